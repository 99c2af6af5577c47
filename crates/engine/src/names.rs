//! Personal names, found from name lexicons and the way names are written.
//!
//! A candidate is a capitalised word after a title (`Mrs Crabtree`, `Dr Lowe`), or a
//! capitalised known first name, with the capitalised surname that follows it. First names
//! that are also common words (`Will`, `May`, `Hope`) need a title or a known surname. The
//! scanner then decides from the context whether the name is a patient's, a colleague's
//! whose personal details are given, or neither (praise, a public figure), which is most.

use std::borrow::Cow;

use crate::text::fold;

use rustc_hash::FxHashSet as HashSet;

/// A name candidate: its span in the original text and the title before it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NameCandidate {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) title: Option<&'static str>,
    /// Whose name the words around it say this is.
    pub(crate) role: Role,
}

impl NameCandidate {
    /// A name with no title at `start..end`, its role read from the words around it.
    fn untitled(text: &str, start: usize, end: usize) -> NameCandidate {
        NameCandidate {
            start,
            end,
            title: None,
            role: role_of(text, start, end, None),
        }
    }
}

/// Whose name a name is, as the words right around it tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// "Mrs Crabtree", "Pat from Bay 4", "the patient in bed 2, Leo".
    Patient,
    /// "Dr Lowe", "our ODP Rashid", "Stelian in portering".
    Colleague,
    Unknown,
}

/// Departments and roles: a name next to one is a colleague's.
const WORK_WORDS: [&str; 62] = [
    "portering",
    "porters",
    "porter",
    "pharmacy",
    "stores",
    "hr",
    "estates",
    "radiology",
    "the lab",
    "pathology",
    "reception",
    "admin",
    "catering",
    "domestics",
    "it",
    "payroll",
    "physio",
    "theatres",
    "the office",
    "finance",
    "odp",
    "hca",
    "nurse",
    "staff nurse",
    "charge nurse",
    "reg",
    "registrar",
    "sister",
    "matron",
    "ward clerk",
    "midwife",
    "consultant",
    "f1",
    "fy1",
    "sho",
    "manager",
    "ward manager",
    "team leader",
    "lead",
    "receptionist",
    "doctor",
    "colleague",
    "student",
    "student nurse",
    "band 5",
    "band 6",
    "band 7",
    "nursing assistant",
    "healthcare assistant",
    "paramedic",
    "cleaner",
    "housekeeper",
    "secretary",
    "medic",
    "anaesthetist",
    "surgeon",
    "phlebotomist",
    "bank nurse",
    "director",
    "midwifery",
    "chief executive",
    "ceo",
];

/// Where a patient is: a name next to one is a patient's.
const PATIENT_PLACES: [&str; 8] = [
    "bay",
    "bed",
    "cubicle",
    "side room",
    "resus",
    "majors",
    "minors",
    "room",
];

/// Whether `text` starts with a specialty as a whole word ("urology", not "entrance").
fn names_specialty(text: &str) -> bool {
    SPECIALTIES.iter().any(|w| {
        text.starts_with(w)
            && !text
                .get(w.len()..)
                .is_some_and(|rest| rest.starts_with(char::is_alphabetic))
    })
}

/// Specialties a consultant comes from ("Mr Fairbanks from urology").
const SPECIALTIES: [&str; 16] = [
    "urology",
    "cardiology",
    "orthopaedics",
    "ortho",
    "ent",
    "gynae",
    "gynaecology",
    "general surgery",
    "vascular",
    "plastics",
    "neurology",
    "oncology",
    "haematology",
    "gastro",
    "respiratory",
    "renal",
];

/// What a colleague is called after a comma that follows their name.
const STAFF_APPOSITIONS: [&str; 11] = [
    "consultant ",
    "staff nurse",
    "senior sister",
    "ward manager",
    "matron",
    "surgeon",
    "registrar",
    "clinical director",
    "chief ",
    "director of",
    "head of",
];

/// Decides a name's role from its title and the few words either side of it.
fn role_of(text: &str, start: usize, end: usize, title: Option<&str>) -> Role {
    if let Some("dr" | "doctor" | "sister" | "nurse" | "matron" | "prof" | "professor") = title {
        return Role::Colleague;
    }
    let mut after_buf = [0u8; 64];
    let after = lower_window(text.get(end..).unwrap_or(""), 30, false, &mut after_buf);
    // "Mr Olusegun Bakare, consultant orthopaedic surgeon, has been appointed": a surgeon is
    // Mr too.
    if after
        .strip_prefix(", ")
        .is_some_and(|a| STAFF_APPOSITIONS.iter().any(|w| a.starts_with(w)))
        // "Mr Fairbanks from urology": a consultant from a specialty.
        || after.strip_prefix(" from ").is_some_and(names_specialty)
    {
        return Role::Colleague;
    }
    if let Some("mr" | "mrs" | "ms" | "miss" | "master" | "mister") = title {
        return Role::Patient;
    }
    let after = after.trim_start_matches(['\'', '’', 's']).trim_start();
    // "Our Frankie (3) on Puffin Ward": an age in brackets is a patient's.
    if after
        .strip_prefix('(')
        .and_then(|a| a.split_once(')'))
        .is_some_and(|(age, _)| {
            (1..=3).contains(&age.len()) && age.bytes().all(|c| c.is_ascii_digit())
        })
    {
        return Role::Patient;
    }
    let mut after_words = after
        .split(|c: char| !c.is_alphanumeric() && c != '&')
        .filter(|w| !w.is_empty())
        .peekable();
    // "Sarah B on the discharge team": an initial after a first name is its surname's.
    after_words.next_if(|w| w.len() == 1);
    let first_after = after_words.next().unwrap_or("");
    // "If Ngozi Adebayo's daughter sees this": a person whose family is told about them.
    if matches!(
        first_after,
        "daughter" | "son" | "husband" | "wife" | "family" | "relatives" | "kids" | "next"
    ) {
        return Role::Patient;
    }
    if matches!(first_after, "from" | "in" | "on" | "at") {
        // The words after it, read as if joined by single spaces.
        let then = after_words;
        if PATIENT_PLACES
            .iter()
            .any(|p| joined_starts_with(then.clone(), p))
        {
            return Role::Patient;
        }
        let mut then_the = then.clone();
        if joined_starts_with(then.clone(), "the ") {
            then_the.next();
        }
        // "Grace from the outreach team", "Sarah B on the discharge team", "Gemma from
        // ITU" (a patient is in ITU, a colleague from it).
        let from_unit =
            first_after == "from" && then_the.clone().next().is_some_and(|w| UNITS.contains(&w));
        if WORK_WORDS
            .iter()
            .any(|w| starts_with_words(then_the.clone(), w))
            || then_the.take(3).any(|w| w == "team")
            || from_unit
        {
            return Role::Colleague;
        }
    }
    // "Sylvia Grant (side room 3)", "Kyle, bay 4".
    let aside = after
        .strip_prefix('(')
        .or_else(|| after.strip_prefix(", "))
        .unwrap_or("");
    if PATIENT_PLACES
        .iter()
        .any(|p| aside.starts_with(p) && aside.get(p.len()..p.len() + 1) == Some(" "))
    {
        return Role::Patient;
    }
    if after.starts_with("(our")
        || after.starts_with(", our")
        || after.starts_with("(bed")
        || after.starts_with(", bed")
    {
        return if after.contains("bed") {
            Role::Patient
        } else {
            Role::Colleague
        };
    }
    with_tail(text.get(..start).unwrap_or(""), 30, |before| {
        if PATIENT_WORD_ENDS.end(before) || RELATION_WORD_ENDS.end(before) {
            Role::Patient
        } else if before.ends_with(b"our") || WORK_WORD_ENDS.end(before) || greets(before) {
            Role::Colleague
        } else {
            Role::Unknown
        }
    })
}

/// Relations before a name ("our old neighbour Beryl", "my nan Joan"): a private person, not
/// a colleague, and where a post speaks of their care, the patient.
const RELATION_WORD_ENDS: Suffixes<30> = Suffixes::new([
    "husband",
    "hubby",
    // With their spaces: not "midwife", "person", "madam".
    " wife",
    "partner",
    " son",
    "daughter",
    "brother",
    "mother",
    "father",
    " mam",
    "grandson",
    "granddaughter",
    "stepdad",
    "stepmum",
    "neighbour",
    "neighbor",
    "nan",
    "nana",
    "nanna",
    "gran",
    "grandma",
    "grandad",
    "grandpa",
    "auntie",
    "aunt",
    "uncle",
    "cousin",
    "mum",
    "dad",
    "friend",
]);

/// Whether the clause before a name (lowercase, as `with_tail` gives it) is a greeting that
/// addresses it: "Happy leaving day Gaz", "Happy 25th Ciara", "Congratulations Amy": the
/// name is the reader's, a friend or colleague.
fn greets(before: &[u8]) -> bool {
    let clause_at = before
        .iter()
        .rposition(|c| matches!(c, b'.' | b'!' | b'?' | b'\n' | b',' | b':'))
        .map_or(0, |i| i + 1);
    // A clause cut off by the window is not known to open with the greeting.
    if clause_at == 0 && before.len() >= 29 {
        return false;
    }
    let clause = before.get(clause_at..).unwrap_or(&[]).trim_ascii();
    let Ok(clause) = std::str::from_utf8(clause) else {
        return false;
    };
    ["happy ", "congratulations", "congrats", "welcome back", "good luck", "farewell"]
        .iter()
        .any(|g| clause.starts_with(g))
        && clause.split(' ').count() <= 4
        // "Happy 100th birthday to Winifred" speaks of her, not to her.
        && !clause.split(' ').any(|w| w == "to")
}

/// [`WORK_WORDS`] at the end of the words before a name.
const WORK_WORD_ENDS: Suffixes<62> = Suffixes::new(WORK_WORDS);

/// Words before a name that make it a patient's.
const PATIENT_WORD_ENDS: Suffixes<6> = Suffixes::new([
    "patient",
    "pt",
    "baby",
    "little",
    "resident",
    "service user",
]);

/// The lowercase of at most `chars` characters at the start (or, with `tail`, the end), in
/// `buf` when it is ASCII and fits.
fn lower_window<'a>(s: &'a str, chars: usize, tail: bool, buf: &'a mut [u8; 64]) -> Cow<'a, str> {
    // Where the bytes are ASCII, so many characters are so many bytes.
    let ascii = if tail {
        s.get(s.len().saturating_sub(chars)..)
    } else {
        s.get(..chars.min(s.len()))
    };
    let piece = match ascii {
        Some(piece) if piece.is_ascii() => piece,
        _ if tail => {
            let from = s.char_indices().rev().nth(chars - 1).map_or(0, |(i, _)| i);
            s.get(from..).unwrap_or("")
        }
        _ => {
            let to = s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i);
            s.get(..to).unwrap_or("")
        }
    };
    fold(piece, buf)
}

/// Calls `check` with the lowercase of the last `chars` characters of `s`, less the whitespace
/// at its end, as bytes: lowercased on the stack when they are ASCII (and at most 32).
fn with_tail<R>(s: &str, chars: usize, check: impl FnOnce(&[u8]) -> R) -> R {
    let mut buf = [0u8; 32];
    if let Some(piece) = s.get(s.len().saturating_sub(chars)..)
        && piece.is_ascii()
        && let piece = piece.trim_end().as_bytes()
        && let Some(lower) = buf.get_mut(..piece.len())
    {
        for (l, &c) in lower.iter_mut().zip(piece) {
            *l = c.to_ascii_lowercase();
        }
        return check(lower);
    }
    let mut buf = [0u8; 64];
    check(lower_window(s, chars, true, &mut buf).trim_end().as_bytes())
}

/// Words looked for at the end of a text, none of them empty (at most 64), filed under their
/// last byte: most texts end in a byte that few words or none end in.
struct Suffixes<const N: usize> {
    words: [&'static str; N],
    /// For each byte, the words that end in it, as bits.
    ending_in: [u64; 256],
}

impl<const N: usize> Suffixes<N> {
    const fn new(words: [&'static str; N]) -> Suffixes<N> {
        assert!(N <= 64);
        let mut ending_in = [0u64; 256];
        let mut i = 0;
        while i < N {
            if let [.., last] = words[i].as_bytes() {
                ending_in[*last as usize] |= 1 << i;
            }
            i += 1;
        }
        Suffixes { words, ending_in }
    }

    /// Whether `s` ends with one of the words.
    fn end(&self, s: &[u8]) -> bool {
        let Some(&last) = s.last() else {
            return false;
        };
        let mut words = self.ending_in[usize::from(last)];
        while words != 0 {
            let i = words.trailing_zeros() as usize;
            if self.words.get(i).is_some_and(|w| s.ends_with(w.as_bytes())) {
                return true;
            }
            words &= words - 1;
        }
        false
    }
}

/// Whether `words`, joined by single spaces, start with `prefix`.
/// Units a colleague is "from": "Gemma from ITU".
const UNITS: [&str; 12] = [
    "itu", "icu", "hdu", "ccu", "nicu", "scbu", "ed", "amu", "sau", "mau", "cdu", "resus",
];

/// Whether `words` start with the whole words of `phrase` ("in ITU" is not "in IT").
fn starts_with_words<'a>(mut words: impl Iterator<Item = &'a str>, phrase: &str) -> bool {
    phrase.split(' ').all(|p| words.next() == Some(p))
}

fn joined_starts_with<'a>(words: impl Iterator<Item = &'a str>, prefix: &str) -> bool {
    let mut rest = prefix.as_bytes();
    for (k, word) in words.enumerate() {
        if k > 0 {
            match rest.strip_prefix(b" ") {
                Some(r) => rest = r,
                None => return false,
            }
        }
        if rest.len() <= word.len() {
            return word.as_bytes().starts_with(rest);
        }
        match rest.strip_prefix(word.as_bytes()) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

/// The [`plain_key`] of a listed word, which is matched against lowercased words: one with a
/// capital letter matches none.
fn lowercase_key(word: &str) -> Option<u128> {
    if word.bytes().any(|c| c.is_ascii_uppercase()) {
        return None;
    }
    plain_key(word.as_bytes(), word.len())
}

/// A set of [`plain_key`]s with a bit per hash of a key in front of it: most words looked up
/// (the capitals that start sentences) are in no set, and most of those find their bit clear.
struct KeySet {
    keys: HashSet<u128>,
    bits: Vec<u64>,
}

impl KeySet {
    /// How many bits the filter has, as a power of two.
    const BITS: u32 = 16;

    fn new(keys: HashSet<u128>) -> KeySet {
        let mut bits = vec![0u64; 1 << (KeySet::BITS - 6)];
        for &key in &keys {
            let bit = KeySet::bit(key);
            if let Some(w) = bits.get_mut(bit / 64) {
                *w |= 1 << (bit % 64);
            }
        }
        KeySet { keys, bits }
    }

    /// A key's bit: a multiplicative hash of its two halves.
    fn bit(key: u128) -> usize {
        let folded = (key as u64) ^ ((key >> 64) as u64);
        (folded.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - KeySet::BITS)) as usize
    }

    fn contains(&self, key: u128) -> bool {
        let bit = KeySet::bit(key);
        self.bits
            .get(bit / 64)
            .is_some_and(|w| w & (1 << (bit % 64)) != 0)
            && self.keys.contains(&key)
    }
}

pub(crate) struct NameLexicon {
    first: HashSet<String>,
    surnames: HashSet<String>,
    ambiguous: HashSet<String>,
    /// Full names of public figures and fictional characters (see [`NameLexicon::is_public`]).
    public: HashSet<String>,
    /// Whether an ASCII first name has an apostrophe or a hyphen, or is longer than 24 bytes.
    first_unusual: bool,
    /// The [`plain_key`]s of the titles and first names.
    title_or_first: KeySet,
}

const TITLES: [&str; 20] = [
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "sister",
    "nurse",
    "prof",
    "professor",
    "master",
    "matron",
    "mister",
    "doctor",
    "rev",
    "revd",
    "reverend",
    "pastor",
    "rabbi",
    "imam",
];

/// Capitalised words that follow a name but are not part of it, or that make a capitalised
/// word a place rather than a person.
fn is_not_name(lower: &str) -> bool {
    matches!(
        lower,
        "queen"
            | "princess"
            | "prince"
            | "king"
            | "lord"
            | "lady"
            | "eid"
            | "mubarak"
            | "vic"
            | "royal"
            | "general"
            | "happy"
            | "ward"
            | "bay"
            | "bed"
            | "unit"
            | "hospital"
            | "infirmary"
            | "centre"
            | "center"
            | "clinic"
            | "house"
            | "street"
            | "road"
            | "nhs"
            | "trust"
            | "team"
            | "department"
            | "dept"
            | "a&e"
            | "ed"
            | "icu"
            | "itu"
            | "amu"
            | "day"
            | "night"
            | "theatre"
            | "theatres"
            | "lane"
            | "avenue"
            | "close"
            | "park"
            | "court"
            | "surgery"
            | "practice"
            | "medical"
            | "health"
            | "community"
            | "hospice"
            | "foundation"
            | "university"
            | "college"
            | "school"
            | "church"
            | "council"
            | "award"
            // Nouns for a person that open a sentence: "Man in bed 3", "Lad in resus".
            | "man"
            | "lad"
            | "lass"
            | "gent"
            | "bloke"
            | "chap"
            | "fella"
            | "woman"
    )
}

impl NameLexicon {
    pub(crate) fn new(
        first: &[String],
        surnames: &[String],
        ambiguous: &[String],
        public: &[String],
    ) -> NameLexicon {
        NameLexicon {
            first: first.iter().cloned().collect(),
            surnames: surnames.iter().cloned().collect(),
            ambiguous: ambiguous.iter().cloned().collect(),
            public: public.iter().cloned().collect(),
            // See `find`: such entries can name a word that the quick check of ASCII texts
            // does not look at.
            first_unusual: first
                .iter()
                .any(|f| f.is_ascii() && (f.len() > 24 || f.contains(['\'', '-']))),
            title_or_first: KeySet::new(
                TITLES
                    .iter()
                    .copied()
                    .chain(first.iter().map(String::as_str))
                    .filter_map(lowercase_key)
                    .collect(),
            ),
        }
    }

    /// Names in `text`; with `beds` (a number and a bed or bay in the post), also surnames in
    /// capitals beside a bed (see [`NameLexicon::board_names`]).
    pub(crate) fn find(&self, text: &str, beds: bool, out: &mut Vec<NameCandidate>) {
        let found = out.len();
        // A post written all in lowercase writes its names so too; one in capitals is read
        // as if in lowercase (ASCII lowercasing keeps every offset), and has no capitalised
        // word to walk to.
        if !text.bytes().any(|c| c.is_ascii_uppercase()) {
            self.lowercase_names(text, out);
            self.capitalised_names(text, out);
        } else if !text.bytes().any(|c| c.is_ascii_lowercase()) {
            self.lowercase_names(&text.to_ascii_lowercase(), out);
        } else {
            let capitalised = out.len();
            self.capitalised_names(text, out);
            let walked = out.len();
            if beds {
                self.board_names(text, out);
            }
            // In order of place, as the names of one walk are.
            if out.len() > walked
                && walked > capitalised
                && let Some(names) = out.get_mut(found..)
            {
                names.sort_by_key(|n| n.start);
            }
        }
        let bytes = text.as_bytes();
        // The person behind an @handle in the post ("Replying to @tina_r_77: … Tina") wrote
        // in public under that name; naming them back discloses nothing new.
        if out.len() > found && bytes.contains(&b'@') {
            let handles: Vec<(usize, usize)> = crate::text::handles(text).collect();
            let mut kept = found;
            for i in found..out.len() {
                let named = out
                    .get(i)
                    .is_some_and(|n| named_in_handle(text, &handles, n.start, n.end));
                if !named {
                    out.swap(kept, i);
                    kept += 1;
                }
            }
            out.truncate(kept);
        }
    }

    /// Names that start with a capitalised title, known first name or initial.
    fn capitalised_names(&self, text: &str, out: &mut Vec<NameCandidate>) {
        // Only a capitalised title or known first name can start a name, so the walk goes
        // from one such word to the next. The quick check of ASCII texts once gated the walk;
        // it finds every such word unless a first name has an apostrophe or a hyphen or is
        // very long, so only then must it still gate.
        if self.first_unusual && text.is_ascii() && !self.may_hold_a_name(text) {
            return;
        }
        let bytes = text.as_bytes();
        let mut from = 0;
        while let Some(at) = next_capital_byte(bytes, from) {
            from = match self.no_name_at(bytes, at) {
                Some(next) => next,
                None => self.capital_at(text, at, out),
            };
        }
    }

    /// The name right after a relative's word, in brackets or not ("my dad (Emrys
    /// Pritchard)", "my nan Gwenllian Hughes"): a capitalised word, known as a first name or
    /// not, and a known surname. `end` is where the relative's word ends.
    pub(crate) fn relative_named_at(&self, text: &str, end: usize) -> Option<NameCandidate> {
        // A space, perhaps a bracket, then a capital: most relatives' words have none after
        // them, and are turned away here.
        let rest = text.get(end..)?;
        let gap = if rest.starts_with(" (") { 2 } else { 1 };
        if !rest.starts_with(' ') || !rest.as_bytes().get(gap).is_some_and(u8::is_ascii_uppercase) {
            return None;
        }
        let first = word_at(text, end + gap);
        let surname = word_after(text, first.end).filter(|w| adjacent(text, first, w.start))?;
        let (first_word, surname_word) = (
            text.get(first.start..first.end)?,
            text.get(surname.start..surname.end)?,
        );
        if !is_capitalised(first_word) || !is_capitalised(surname_word) {
            return None;
        }
        let mut buf = [0u8; 32];
        let lower = fold(surname_word, &mut buf);
        (self.surnames.contains(&*lower)
            && !self.ambiguous.contains(&*lower)
            && !is_not_name(&lower))
        .then_some(NameCandidate {
            start: first.start,
            end: surname.end,
            title: None,
            role: Role::Patient,
        })
    }

    /// Surnames in capitals beside a bed, as a ward's whiteboard writes them ("Bed 11 JENKINS
    /// NBM", "B1 HARRISON – NBM", "BRADSHAW in 9"): a patient's. A word in capitals elsewhere
    /// in a post in mixed case is shouting or an acronym.
    fn board_names(&self, text: &str, out: &mut Vec<NameCandidate>) {
        let b = text.as_bytes();
        let mut from = 0;
        // From capital to capital, eight bytes at a time, as the capitalised walk goes.
        while let Some(start) = next_capital_byte(b, from) {
            let end = start
                + b.get(start..).map_or(0, |r| {
                    r.iter().take_while(|c| c.is_ascii_uppercase()).count()
                });
            from = end.max(start + 1);
            if end - start < 3
                || b.get(start.wrapping_sub(1))
                    .is_some_and(u8::is_ascii_alphanumeric)
                || b.get(end).is_some_and(u8::is_ascii_alphanumeric)
            {
                continue;
            }
            let Some(word) = text.get(start..end) else {
                continue;
            };
            let before = text.get(..start).unwrap_or("").trim_end();
            let after = text.get(end..).unwrap_or("");
            // The bed before it: "B1", "Bed11", "Bed 11", "bay 2".
            let bed_before = before
                .rsplit_once(|c: char| !c.is_ascii_alphanumeric())
                .map_or(before, |(_, last)| last)
                .strip_prefix(['B', 'b'])
                .and_then(|n| n.strip_prefix("ed").or(Some(n)))
                .is_some_and(|n| {
                    (1..=3).contains(&n.len()) && n.bytes().all(|c| c.is_ascii_digit())
                })
                || ends_with_bed(before);
            // The bed after it: "BRADSHAW in 9", "JONES in bed 4".
            let bed_after = after.strip_prefix(" in ").is_some_and(|a| {
                let a = a
                    .strip_prefix("bed ")
                    .or_else(|| a.strip_prefix("bay "))
                    .unwrap_or(a);
                a.bytes().next().is_some_and(|c| c.is_ascii_digit())
            });
            if !(bed_before || bed_after) {
                continue;
            }
            let mut buf = [0u8; 32];
            let lower = fold(word, &mut buf);
            if !(self.surnames.contains(&*lower) || self.first.contains(&*lower))
                || self.ambiguous.contains(&*lower)
                || is_not_name(&lower)
            {
                continue;
            }
            out.push(NameCandidate {
                start,
                end,
                title: None,
                role: Role::Patient,
            });
        }
    }

    /// Names in a post with no capitals: a known first name (not also a word) with a surname
    /// from the lexicon after it ("jean halliwell"), or after a relation or a nickname's
    /// adjective ("my auntie bev", "big dave"). Most words are turned away by their bytes.
    fn lowercase_names(&self, text: &str, out: &mut Vec<NameCandidate>) {
        let b = text.as_bytes();
        let mut from = 0;
        let is_surname = |w: Word| {
            text.get(w.start..w.end).is_some_and(|s| {
                self.surnames.contains(s) && !self.ambiguous.contains(s) && !is_not_name(s)
            })
        };
        while let Some(word) = word_after(text, from) {
            from = word.next;
            // "mr keane in bed 18".
            let title = ["mr", "mrs", "ms", "miss"]
                .into_iter()
                .find(|&t| text.get(word.start..word.end) == Some(t));
            if let Some(title) = title {
                if let Some(surname) = word_after(text, word.next)
                    .filter(|w| w.start == word.end + 1 && is_surname(*w))
                {
                    // "mr desmond morris": a first name before the surname.
                    let surname = word_after(text, surname.next)
                        .filter(|w| w.start == surname.end + 1 && is_surname(*w))
                        .map_or(surname, |last| Word {
                            start: surname.start,
                            ..last
                        });
                    out.push(NameCandidate {
                        start: surname.start,
                        end: surname.end,
                        title: Some(title),
                        role: role_of(text, surname.start, surname.end, Some(title)),
                    });
                    from = surname.next;
                }
                continue;
            }
            let is_first = b
                .get(word.start..)
                .and_then(|rest| plain_key(rest, word.end - word.start))
                .is_some_and(|k| self.title_or_first.contains(k));
            let lower = text.get(word.start..word.end).unwrap_or("");
            if !is_first || !self.first.contains(lower) || is_not_name(lower) {
                continue;
            }
            let surname = word_after(text, word.next).filter(|w| w.start == word.end + 1);
            let surname_end = surname.filter(|w| is_surname(*w)).map(|w| w.end);
            let named = word_before(text, word.start).is_some_and(|w| {
                w.end + 1 == word.start
                    && text
                        .get(w.start..w.end)
                        .is_some_and(|w| LOWERCASE_NAME_BEFORE.contains(&w))
            }) || placed_after(text, word.next);
            // A first name that is also a word ("will", "jean") needs its surname.
            let end = match surname_end {
                Some(end) => end,
                None if named && !self.ambiguous.contains(lower) => word.end,
                None => continue,
            };
            if !self.is_public(text, word.start, end) && !is_pet(text, word.start, end) {
                out.push(NameCandidate::untitled(text, word.start, end));
                from = surname
                    .filter(|_| surname_end.is_some())
                    .map_or(from, |w| w.next);
            }
        }
    }

    /// Where to look on when the bytes at a possible capital show by themselves that no name
    /// starts there, as for most capitals: no capital letter, a capital inside a word
    /// ("McDonald"), or a word of plain ASCII letters that is neither a title nor a first name.
    fn no_name_at(&self, b: &[u8], at: usize) -> Option<usize> {
        match b.get(at) {
            Some(c) if c.is_ascii_uppercase() => {}
            Some(c) if c.is_ascii() => return Some(at + 1),
            _ => return None,
        }
        match at.checked_sub(1).and_then(|i| b.get(i)) {
            Some(c) if c.is_ascii_alphabetic() => return Some(at + 1),
            Some(c) if !c.is_ascii() || matches!(c, b'\'' | b'-') => return None,
            _ => {}
        }
        let rest = b.get(at..)?;
        let (len, key) = letters_key(rest)?;
        if rest
            .get(len)
            .is_some_and(|c| !c.is_ascii() || matches!(c, b'\'' | b'-'))
            || is_initial(b, at, len)
        {
            return None;
        }
        (!self.title_or_first.contains(key)).then_some(at + len)
    }

    /// Looks at a possible capital at `at` closely; returns where to look on.
    fn capital_at(&self, text: &str, at: usize, out: &mut Vec<NameCandidate>) -> usize {
        let capital = text
            .get(at..)
            .is_some_and(|t| t.starts_with(char::is_uppercase));
        if !capital || !starts_word(text, at) {
            return at + 1;
        }
        let word = word_at(text, at);
        if is_initial(text.as_bytes(), word.start, word.end - word.start) {
            return self.initial_name_at(text, word, out);
        }
        // Most capitalised words start a sentence and are neither a title nor a first name.
        let key = text
            .as_bytes()
            .get(word.start..)
            .and_then(|rest| plain_key(rest, word.end - word.start));
        if key.is_some_and(|k| !self.title_or_first.contains(k)) {
            return word.next;
        }
        self.name_at(text, word, out)
    }

    /// Looks for a name at an initial: one or two initials and a capitalised surname from the
    /// lexicon ("J. Mahoney", "T.R. Okafor"); returns where to look on.
    fn initial_name_at(&self, text: &str, word: Word, out: &mut Vec<NameCandidate>) -> usize {
        let start = word.start;
        let b = text.as_bytes();
        let at = initials_end(b, start);
        if b.get(at) != Some(&b' ') {
            return at;
        }
        let Some(surname) = word_after(text, at).filter(|w| w.start == at + 1) else {
            return at;
        };
        if !self.is_surname_after_initial(text, surname) {
            return at;
        }
        let end = surname.end;
        if !is_speaker_or_self(text, start, end)
            && !is_sign_off(text, start, end)
            && !self.is_public(text, start, end)
        {
            out.push(NameCandidate::untitled(text, start, end));
        }
        surname.next
    }

    /// Whether a word after an initial is a surname: capitalised and in the lexicon.
    fn is_surname_after_initial(&self, text: &str, word: Word) -> bool {
        let written = text.get(word.start..word.end).unwrap_or("");
        let mut buf = [0u8; 32];
        let lower = fold(written, &mut buf);
        is_capitalised(written) && !is_not_name(&lower) && self.surnames.contains(&*lower)
    }

    /// Looks for a name at a word that starts with a capital; returns where the next word may
    /// start, after any words the name took.
    fn name_at(&self, text: &str, word: Word, out: &mut Vec<NameCandidate>) -> usize {
        let Word { start, end, next } = word;
        let written = text.get(start..end).unwrap_or("");
        let mut buf = [0u8; 32];
        let lower = fold(written, &mut buf);
        let lower = lower.trim_end_matches('.');
        if let Some(&title) = TITLES.iter().find(|&&t| t == lower) {
            // Title + initials and perhaps a surname ("Mr G.H.", "Mrs J. Patel"), or + one to
            // three capitalised words.
            let mut named: Option<(usize, usize)> = None;
            let mut prev = word;
            let b = text.as_bytes();
            let initials = word_after(text, next)
                .filter(|w| adjacent(text, word, w.start) && is_initial(b, w.start, 1));
            if let Some(w) = initials {
                let e = initials_end(b, w.start);
                named = Some((w.start, e));
                prev = Word {
                    start: w.start,
                    end: e,
                    next: e,
                };
                let surname = word_after(text, e).filter(|s| s.start == e + 1);
                if b.get(e) == Some(&b' ')
                    && let Some(surname) = surname
                    && self.is_surname_after_initial(text, surname)
                {
                    named = Some((w.start, surname.end));
                    prev = surname;
                }
            } else {
                for _ in 0..3 {
                    let Some(w) = word_after(text, prev.next) else {
                        break;
                    };
                    let t = text.get(w.start..w.end).unwrap_or("");
                    if !is_capitalised(t)
                        || is_not_name(&fold(t, &mut [0u8; 32]))
                        || !adjacent(text, prev, w.start)
                    {
                        break;
                    }
                    named = Some((named.map_or(w.start, |(s, _)| s), w.end));
                    prev = w;
                }
            }
            let Some((s, e)) = named else {
                return next;
            };
            // The writer signing off ("– Sister Collins, Ward 7") or introducing
            // themselves ("It's Nurse Becky") is not someone the post identifies.
            if !is_speaker_or_self(text, s, e)
                && !is_speaker_or_self(text, start, e)
                && !is_signature(text, start, e)
                && !is_vocative(text, start, e)
                && !is_pet(text, start, e)
                && !self.is_public(text, start, e)
            {
                out.push(NameCandidate {
                    start: s,
                    end: e,
                    title: Some(title),
                    role: role_of(text, s, e, Some(title)),
                });
            }
            return prev.next;
        }
        if !(is_capitalised(written) && self.is_first(written, lower)) {
            return next;
        }
        self.given_name_at(text, word, lower, out)
    }

    /// Looks for a name at a capitalised known first name (`lower` in lowercase), with the
    /// surname after it; returns where the next word may start. The checks that most often
    /// turn a first name away come first.
    fn given_name_at(
        &self,
        text: &str,
        word: Word,
        lower: &str,
        out: &mut Vec<NameCandidate>,
    ) -> usize {
        let Word { start, end, next } = word;
        // "the Costa in outpatients", "the Oscar winners", "the Roma family", "give him an
        // Oscar", "such a Karen": a capitalised word after an article names a thing, a group
        // or a type, not a person.
        if is_not_name(lower)
            || after_article(text, start)
            || is_month_after_day(text, start, lower)
        {
            return next;
        }
        // A first name that is also a word ("Will", "May", "Hope") needs more: a surname after
        // it, a place or an age. Most such words ("Monday morning") have no capital after
        // them, and are turned away before the word after them is read.
        let ambiguous = self.ambiguous.contains(lower);
        let capital_after = text
            .get(end..)
            .and_then(|a| a.strip_prefix(' '))
            .and_then(|a| a.chars().next())
            .is_some_and(char::is_uppercase);
        if ambiguous && !capital_after && !placed_after(text, next) && !aged_after(text, end) {
            return next;
        }
        let following = word_after(text, next);
        let surname = following.filter(|w| adjacent(text, word, w.start));
        let surname_written = surname.and_then(|w| text.get(w.start..w.end)).unwrap_or("");
        let mut surname_buf = [0u8; 32];
        let surname_lower = fold(surname_written, &mut surname_buf);
        let surname_lower: &str = &surname_lower;
        let next_is_surname = is_capitalised(surname_written)
            && !is_not_name(surname_lower)
            && (self.surnames.contains(surname_lower)
                || !self.first.contains(surname_lower) && !self.ambiguous.contains(surname_lower));
        let surname_follows = next_is_surname && self.surnames.contains(surname_lower);
        // "Pat from Bay 4", "Grace on reception": a person, even if the name is a word.
        let placed = || placed_after(text, next);
        // "Mags Ellery, 71, COPD": a name with an age after it is a person's.
        let aged = || {
            aged_after(
                text,
                match surname {
                    Some(w) if next_is_surname => w.end,
                    _ => end,
                },
            )
        };
        if ambiguous && !surname_follows && !placed() && !aged() {
            return next;
        }
        if self.follows_place(text, start) || is_handle_or_addressee(text, start, end) {
            return next;
        }
        let (end, resume) = match surname {
            Some(w) if next_is_surname => (w.end, w.next),
            _ => (end, next),
        };
        // "Mary Seacole Ward": a full name before a place word names the place.
        let a_place = next_is_surname && names_a_place(text, end);
        if !is_speaker_or_self(text, start, end)
            && !is_vocative(text, start, end)
            && !is_sign_off(text, start, end)
            && !is_public_figure(text, end)
            && !names_an_award(text, end)
            && !a_place
            && !is_likeness(text, start, end)
            && !is_pet(text, start, end)
            && !self.is_public(text, start, end)
        {
            out.push(NameCandidate::untitled(text, start, end));
        }
        resume
    }

    /// Whether the name at `start..end` (with any title), or it and the word after it ("Craig
    /// Revel" of "Craig Revel Horwood"), is a public figure's or a fictional character's.
    fn is_public(&self, text: &str, start: usize, end: usize) -> bool {
        if self.public.is_empty() {
            return false;
        }
        let Some(written) = text.get(start..end) else {
            return false;
        };
        let next = word_just_after(text, end);
        // Most names are ASCII: lowercased on the stack, less their full stops, with the word
        // after them after a space.
        let name_len = written.bytes().filter(|&c| c != b'.').count();
        let mut buf = [0u8; 64];
        if written.is_ascii() && next.is_ascii() && name_len + 1 + next.len() <= buf.len() {
            let with_next = written
                .bytes()
                .filter(|&c| c != b'.')
                .chain([b' '])
                .chain(next.bytes());
            for (slot, c) in buf.iter_mut().zip(with_next) {
                *slot = c.to_ascii_lowercase();
            }
            let known = |n: usize| {
                buf.get(..n)
                    .and_then(|b| std::str::from_utf8(b).ok())
                    .is_some_and(|n| self.public.contains(n))
            };
            return known(name_len) || !next.is_empty() && known(name_len + 1 + next.len());
        }
        let mut name = written.replace('.', "").to_lowercase();
        if self.public.contains(&name) {
            return true;
        }
        !next.is_empty() && {
            name.push(' ');
            name.push_str(&next.to_lowercase());
            self.public.contains(&name)
        }
    }

    /// Whether the word before the first name at `start`, or before a given name the lexicon
    /// does not know ("Local MP Rishi Chandra"), makes it a place or a public figure.
    fn follows_place(&self, text: &str, start: usize) -> bool {
        let before = word_before(text, start);
        let before = match before {
            Some(b) if text.get(b.start..b.end).is_some_and(is_capitalised) => {
                match word_before(text, b.start) {
                    Some(bb)
                        if matches!(
                            text.get(bb.start..bb.end),
                            Some("MP" | "Sir" | "Dame" | "Cllr")
                        ) =>
                    {
                        Some(bb)
                    }
                    _ => before,
                }
            }
            _ => before,
        };
        before
            .and_then(|b| text.get(b.start..b.end))
            .is_some_and(|w| {
                matches!(
                    &*fold(w, &mut [0u8; 32]),
                    "st" | "saint"
                        | "queen"
                        | "king"
                        | "prince"
                        | "princess"
                        | "lady"
                        | "lord"
                        // Public figures in their public role.
                        | "sir"
                        | "dame"
                        | "cllr"
                        | "councillor"
                        | "rev"
                        | "reverend"
                        | "bishop"
                        | "mayor"
                        | "mp"
                        | "secretary"
                        | "minister"
                )
            })
    }
}

/// Where a named person can be ("Pat from Bay 4", "Ash from theatres").
const PLACES: [&str; 40] = [
    "lab",
    "labs",
    "pathology",
    "phlebotomy",
    "maternity",
    "switchboard",
    "porters",
    "portering",
    "hr",
    "payroll",
    "finance",
    "catering",
    "housekeeping",
    "domestics",
    "xray",
    "nights",
    "pharmacy",
    "physio",
    "estates",
    "radiology",
    "desk",
    "paeds",
    "bay",
    "bed",
    "ward",
    "cubicle",
    "side",
    "room",
    "theatres",
    "theatre",
    "reception",
    "resus",
    "majors",
    "minors",
    "amu",
    "icu",
    "itu",
    "ed",
    "a&e",
    "outpatients",
];

/// A chat speaker ("Tunde: lift broken again") or the writer introducing themselves
/// ("I'm Ellie, I write for…") is not someone the post identifies.
fn is_speaker_or_self(text: &str, start: usize, end: usize) -> bool {
    let after = text.get(end..).unwrap_or("");
    // "Tunde: …", "Dan (porter): …"
    let after_role = after
        .trim_start()
        .strip_prefix('(')
        .and_then(|r| r.split_once(')'))
        .map_or(after, |(_, rest)| rest);
    if after.starts_with(':') || after_role.starts_with(':') {
        return true;
    }
    // "Anna from the Bristol Post here": the writer introducing themselves.
    if let Some(rest) = after.strip_prefix(" from ") {
        let clause = rest
            .split(['.', ',', '!', '?', ';', ':', '\n', '–'])
            .next()
            .unwrap_or("");
        if clause.len() <= 48 && clause.trim_end().ends_with(" here") {
            return true;
        }
    }
    // A message that opens by speaking to someone: "Jess I know you've blocked me".
    if text.get(..start).is_some_and(|b| b.trim().is_empty())
        && matches!(
            &*fold(
                after.split_whitespace().next().unwrap_or(""),
                &mut [0u8; 32]
            ),
            "i" | "you" | "u" | "we" | "i'm" | "you're" | "ur"
        )
    {
        return true;
    }
    // "It's Maisie's 7th birthday": the writer names no one's things as they introduce
    // themselves.
    !after.starts_with(['\'', '’'])
        && with_tail(text.get(..start).unwrap_or(""), 14, |before| {
            SELF_WORD_ENDS.end(before)
        })
}

/// The writer speaking of themselves just before a name.
const SELF_WORD_ENDS: Suffixes<9> = Suffixes::new([
    "i'm",
    "i’m",
    "im",
    "i am",
    "my name is",
    "this is",
    "it's",
    "it’s",
    "me (",
]);

/// How far (in bytes) from a name an @handle may be and still be taken for its owner's: a
/// reply's handle opens the post. Bounded, so that a long text stays linear.
const HANDLE_REACH: usize = 1000;

/// Whether the first word of the name at `start..end` (three letters or more) is part of one
/// of the `handles` (spans, in order) within [`HANDLE_REACH`] of it, in any case.
fn named_in_handle(text: &str, handles: &[(usize, usize)], start: usize, end: usize) -> bool {
    let name = text.get(start..end).unwrap_or("");
    let mut buf = [0u8; 32];
    let first_word = fold(
        name.split(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or(""),
        &mut buf,
    );
    if first_word.chars().count() < 3 {
        return false;
    }
    let first = first_word.as_bytes();
    let from = handles.partition_point(|&(at, _)| at + HANDLE_REACH < start);
    handles
        .get(from..)
        .unwrap_or(&[])
        .iter()
        .take_while(|&&(at, _)| at <= end + HANDLE_REACH)
        .any(|&(at, end)| {
            // `first` is lowercase, so this is a search of the handle in lowercase.
            text.get(at + 1..end).is_some_and(|h| {
                h.as_bytes()
                    .windows(first.len())
                    .any(|w| w.eq_ignore_ascii_case(first))
            })
        })
}

/// Whether the words at `start..end` follow a dash that opens a sign-off ("– Sister
/// Collins"), not one of a pair that sets off a field ("Bay 5 bed 2 – Mr Smith – pain 8/10").
fn is_signature(text: &str, start: usize, end: usize) -> bool {
    text.get(..start).map(str::trim_end).is_some_and(|b| {
        (b.ends_with(['–', '—', '-', '~']) || b.ends_with("^"))
                // "Bay 1 – Gladys Thornton, new AF": a handover's bed, then its patient.
                && !ends_with_bed(b.trim_end_matches(['–', '—', '-', '~']).trim_end())
    }) && text.get(end..).map(str::trim).is_some_and(|a| {
        // A sign-off ends the post, or gives a role after a comma; "– Mr Adewale Johnson
        // (bed 12) walked again for the first time since his stroke" goes on about him.
        !a.starts_with(['–', '—', '-']) && (a.len() <= SIGN_OFF_TAIL || a.starts_with(','))
    })
}

/// Whether `text` ends with a bed, bay or cubicle and its number ("Bay 1", "bed 12").
fn ends_with_bed(text: &str) -> bool {
    text.rsplit_once(' ').is_some_and(|(before, number)| {
        (1..=3).contains(&number.len())
            && number.bytes().all(|c| c.is_ascii_digit())
            && ["bay", "bed", "cubicle", "room"].iter().any(|place| {
                before.len() >= place.len()
                    && before
                        .get(before.len() - place.len()..)
                        .is_some_and(|w| w.eq_ignore_ascii_case(place))
            })
    })
}

/// How long (in bytes) what follows a sign-off's name may be: a role, a ward, a kiss.
const SIGN_OFF_TAIL: usize = 40;

/// A name that is part of an @handle, or the person a reply speaks to ("Sharon, …",
/// "Hi Jo,", "sorry Lynne,", "Comment from Jackie F:") is not someone the post identifies.
fn is_handle_or_addressee(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).unwrap_or("");
    if before.ends_with(['@', '_']) || text.get(end..).is_some_and(|a| a.starts_with('_')) {
        return true;
    }
    let after = text.get(end..).unwrap_or("").trim_start_matches(' ');
    // "Jackie F:" — a commenter's name and initial.
    let after = after
        .strip_prefix(|c: char| c.is_uppercase())
        .filter(|rest| rest.starts_with([':', '.']))
        .map_or(after, |rest| rest.trim_start_matches('.'));
    if !after.starts_with([',', '!', ':', '—']) {
        return false;
    }
    // "Ronald Birch, DOB …", "Mags Ellery, 71, COPD": details follow, not a greeting.
    let details = after
        .strip_prefix(',')
        .map(str::trim_start)
        .is_some_and(|d| {
            d.starts_with(|c: char| c.is_ascii_digit())
                || ["dob", "d.o.b", "aged", "age ", "nhs", "bed", "bay"]
                    .iter()
                    .any(|w| d.get(..w.len()).is_some_and(|p| p.eq_ignore_ascii_case(w)))
        });
    // "Kirsty, our AMU ward clerk, is having chemo": a name and what she is, then what she
    // does, is about her, not to her.
    let apposition = after
        .strip_prefix(',')
        .map(str::trim_start)
        .is_some_and(|d| {
            let mut buf = [0u8; 64];
            let d = lower_window(d, 60, false, &mut buf);
            ["our ", "one of ", "who ", "my "]
                .iter()
                .any(|w| d.starts_with(w))
                && [
                    ", is ",
                    ", has ",
                    ", was ",
                    ", had ",
                    ", will ",
                    ", isn't ",
                    ", hasn't ",
                ]
                .iter()
                .any(|verb| d.contains(verb))
        });
    if details || apposition {
        return false;
    }
    let before = before.trim_end();
    // Only the last few words matter; never lowercase the whole text before a name.
    let tail_start = before.char_indices().rev().nth(15).map_or(0, |(i, _)| i);
    let mut buf = [0u8; 64];
    let before = fold(before.get(tail_start..).unwrap_or(""), &mut buf);
    before.is_empty()
        || before.ends_with([':', '.', '!', '?', '\n'])
        || [
            "hi",
            "hello",
            "hey",
            "dear",
            "thanks",
            "thank you",
            "morning",
            "evening",
            "afternoon",
            "sorry",
            "comment from",
            "reply from",
            "review from",
        ]
        .iter()
        .any(|g| before.ends_with(g))
}

/// The person a reply speaks to at the end of a clause: "We're sorry to hear this, Dave.",
/// "Well done, Maisie!", "Thanks so much, Deborah, we've passed it on". A name after a
/// comma that closes its sentence, or (with thanks, sorry or "you" in the clause) is
/// followed by a comma. "Bed 4, Dave." (a number before the comma) is a listing.
fn is_vocative(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).unwrap_or("").trim_end_matches(' ');
    let Some(clause) = before.strip_suffix(',') else {
        return false;
    };
    if !clause.ends_with(|c: char| c.is_alphabetic()) {
        return false;
    }
    let after = text.get(end..).unwrap_or("").trim_start_matches(' ');
    let closes = after.is_empty()
        || after.starts_with(['.', '!', '?', '\n'])
        || after
            .chars()
            .next()
            .is_some_and(|c| !c.is_ascii() && !c.is_alphanumeric());
    if closes {
        return true;
    }
    if !after.starts_with(',') {
        return false;
    }
    // The clause the comma ends, from its last sentence break.
    let from = clause
        .rfind(['.', '!', '?', '\n', ':'])
        .map_or(0, |i| i + 1);
    let mut buf = [0u8; 64];
    let clause = lower_window(clause.get(from..).unwrap_or(""), 60, true, &mut buf);
    clause
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .any(|w| matches!(w, "you" | "your" | "thanks" | "thank" | "sorry" | "hear"))
}

/// A writer signing off with their first name after a dash or caret at the end of the post:
/// "… saved my life. – Derek Pascoe", "^Jenny, ward manager".
fn is_sign_off(text: &str, start: usize, end: usize) -> bool {
    let after = text.get(end..).unwrap_or("").trim_end();
    let rest_ok = after.is_empty()
        || after.starts_with(',')
            && after.len() <= 40
            && !after.contains(|c: char| c.is_ascii_digit());
    rest_ok && is_signature(text, start, end)
}

/// Words after a full name that make it the name of a place: "Mary Seacole Ward", "Florence
/// Nightingale Wing", "the Edith Cavell Building" (a first name alone before one may be a
/// person's: "Sarah Ward").
const PLACE_AFTER_NAME: [&str; 14] = [
    "ward", "wing", "unit", "suite", "house", "centre", "center", "building", "hospital",
    "hospice", "clinic", "lodge", "road", "street",
];

/// Whether the word after a name ending at `end` makes it a place's name.
fn names_a_place(text: &str, end: usize) -> bool {
    word_after(text, end).is_some_and(|w| {
        adjacent_after(text, end, w.start)
            && PLACE_AFTER_NAME.contains(&&*fold(
                text.get(w.start..w.end).unwrap_or(""),
                &mut [0u8; 32],
            ))
    })
}

/// The word one space before `start`, or "".
fn word_just_before(text: &str, start: usize) -> &str {
    word_before(text, start)
        .filter(|w| adjacent_after(text, w.end, start))
        .and_then(|w| text.get(w.start..w.end))
        .unwrap_or("")
}

/// The word one space after `end`, or "".
fn word_just_after(text: &str, end: usize) -> &str {
    word_after(text, end)
        .filter(|w| adjacent_after(text, end, w.start))
        .and_then(|w| text.get(w.start..w.end))
        .unwrap_or("")
}

/// Whether `start` follows `end` across one space.
fn adjacent_after(text: &str, end: usize, start: usize) -> bool {
    text.get(end..start) == Some(" ")
}

/// A likeness, not a person in the post: "looks like Kate Winslet", "like Cheryl", "Rita
/// Sullivan vibes", or a shop: "in Costa".
fn is_likeness(text: &str, start: usize, end: usize) -> bool {
    let before = word_just_before(text, start);
    let after = word_just_after(text, end);
    before.eq_ignore_ascii_case("like")
        // "Watching Emma Raducanu on the day room telly" (not "watching Jack's obs", nor
        // "watching Barbara Ilić walk out of Ward 8").
        || (before.eq_ignore_ascii_case("watching") || before.eq_ignore_ascii_case("watched"))
            && text.get(end..).is_some_and(|a| !a.starts_with(['\'', '’']))
            && !WATCHED_DOING.iter().any(|w| after.eq_ignore_ascii_case(w))
        || after.eq_ignore_ascii_case("vibes")
        // "Bed 5 on Harris Ward": a ward or wing named after someone (not "Bed 3 is Sarah
        // Ward now").
        || matches!(after, "Ward" | "Wing" | "Unit" | "Suite")
            && ["on", "to", "at", "from", "onto"]
                .iter()
                .any(|w| before.eq_ignore_ascii_case(w))
        || before.eq_ignore_ascii_case("in")
            && text.get(end..).is_some_and(|a| !a.starts_with('\''))
        || is_public_work(text, end)
}

/// What someone watched in person is seen doing, and a show's star is not: "watching
/// Barbara Ilić walk out of Ward 8".
const WATCHED_DOING: [&str; 12] = [
    "walk", "walking", "walked", "leave", "leaving", "go", "going", "eat", "eating", "stand",
    "standing", "take",
];

/// Words after a name's possessive that make it a likeness or a public figure's work:
/// "I've got Joanna Lumley's cheekbones", "Adam Kay's book".
const LIKENESS_OR_WORK: [&str; 16] = [
    "cheekbones",
    "double",
    "lookalike",
    "doppelganger",
    "twin",
    "book",
    "books",
    "novel",
    "memoir",
    "podcast",
    "show",
    "film",
    "films",
    "series",
    "album",
    "song",
];

/// Whether a name ending at `end` is followed by its public work or likeness ("Adam Kay's
/// book") or by where it was seen in public ("Matt Hancock on the telly").
fn is_public_work(text: &str, end: usize) -> bool {
    let mut buf = [0u8; 64];
    let after = lower_window(text.get(end..).unwrap_or(""), 24, false, &mut buf);
    if let Some(rest) = after
        .strip_prefix("'s ")
        .or_else(|| after.strip_prefix("’s "))
    {
        let word = rest
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        return LIKENESS_OR_WORK.contains(&word);
    }
    let after = after.strip_prefix(' ').unwrap_or("");
    // "Wes Streeting was on the news".
    let after = ["was ", "is "]
        .iter()
        .find_map(|verb| after.strip_prefix(verb))
        .unwrap_or(after);
    SEEN_IN_PUBLIC.iter().any(|seen| {
        after.starts_with(seen)
            && !after
                .get(seen.len()..)
                .is_some_and(|r| r.starts_with(|c: char| c.is_alphanumeric()))
    })
}

/// Where a public figure is seen, after their name.
const SEEN_IN_PUBLIC: [&str; 6] = [
    "on the telly",
    "on telly",
    "on tv",
    "on the tv",
    "on the news",
    "on the radio",
];

/// Animals a pet's name may follow or be placed as: "my cat Mr Whiskers", "Bonnie the
/// therapy dog".
const PETS: [&str; 14] = [
    "cat", "dog", "kitten", "puppy", "pup", "pony", "horse", "hamster", "rabbit", "bunny",
    "budgie", "parrot", "tortoise", "pooch",
];

/// Whether the name at `start..end` (with any title) is a pet's.
fn is_pet(text: &str, start: usize, end: usize) -> bool {
    let is_pet_word = |w: &str| PETS.iter().any(|p| p.eq_ignore_ascii_case(w));
    if is_pet_word(word_just_before(text, start)) {
        return true;
    }
    // "Bonnie the therapy dog", "Rolo, our cat". Most names have none of these after them,
    // which the bytes show before any lowercasing.
    const PLACED: [&str; 3] = [" the ", ", the ", ", our "];
    let after = text.get(end..).unwrap_or("");
    if !PLACED.iter().any(|p| {
        after
            .as_bytes()
            .get(..p.len())
            .is_some_and(|a| a.eq_ignore_ascii_case(p.as_bytes()))
    }) {
        return false;
    }
    let mut buf = [0u8; 64];
    let after = lower_window(after, 30, false, &mut buf);
    PLACED
        .iter()
        .find_map(|p| after.strip_prefix(p))
        .is_some_and(|rest| {
            rest.split(|c: char| !c.is_alphanumeric())
                .take(2)
                .any(is_pet_word)
        })
}

/// Words after a capitalised word that make it an award ("Oscar nomination", "Bafta-worthy").
const AWARD_WORDS: [&str; 8] = [
    "nomination",
    "nominations",
    "nominated",
    "winner",
    "winning",
    "worthy",
    "award",
    "awards",
];

/// Whether the word ending at `end` names an award, not a person (see [`AWARD_WORDS`]).
fn names_an_award(text: &str, end: usize) -> bool {
    let after = text.get(end..).unwrap_or("");
    let Some(rest) = after.strip_prefix([' ', '-']) else {
        return false;
    };
    let word = rest
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    AWARD_WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// A name followed by "MP" ("Tim Farron MP"): a public figure in their public role.
fn is_public_figure(text: &str, end: usize) -> bool {
    let after = text.get(end..).unwrap_or("");
    after.starts_with(" MP")
        && !after
            .get(3..4)
            .is_some_and(|c| c.chars().all(char::is_alphanumeric))
}

impl NameLexicon {
    /// A known first name, or a hyphenated one whose parts are capitalised and whose first
    /// part is known ("Mary-Jane", "Lee-Anne", "Becky-Jo").
    fn is_first(&self, word: &str, lower: &str) -> bool {
        self.first.contains(lower)
            || word.split_once('-').is_some_and(|(_, b)| {
                b.len() > 1 && b.starts_with(char::is_uppercase) && !b.contains('-')
            }) && lower
                .split_once('-')
                .is_some_and(|(a, _)| self.first.contains(a))
    }

    /// Whether the word at `start..end` is written as a person's given name rather than used
    /// as a word: a known first name in title case ("Dick"), mid-sentence ("Congratulations to
    /// Dick Whitfield", "thank you, Dick") or with a capitalised surname after it.
    pub(crate) fn is_written_as_name(&self, text: &str, start: usize, end: usize) -> bool {
        let Some(word) = text.get(start..end) else {
            return false;
        };
        let mut chars = word.chars();
        if !chars.next().is_some_and(char::is_uppercase)
            || !chars.all(char::is_lowercase)
            || !self.first.contains(&*fold(word, &mut [0u8; 32]))
        {
            return false;
        }
        let before = text.get(..start).unwrap_or("").trim_end_matches(' ');
        let mid_sentence = before
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == ',');
        let after = text.get(end..).unwrap_or("");
        let surname = after
            .strip_prefix(' ')
            .and_then(|a| a.split(|c: char| !c.is_alphabetic()).next())
            .is_some_and(is_capitalised);
        mid_sentence || surname
    }

    /// Whether any capitalised ASCII word of the text is a title or a known first name: most
    /// posts' capitals start sentences, and then there is nothing to look for.
    fn may_hold_a_name(&self, text: &str) -> bool {
        let b = text.as_bytes();
        let mut buf = [0u8; 24];
        let mut i = 0;
        // From one capital to the next: the bytes between cannot start a capitalised word.
        while let Some(skip) = b
            .get(i..)
            .and_then(|rest| rest.iter().position(u8::is_ascii_uppercase))
        {
            i += skip;
            let starts_word = i == 0 || b.get(i - 1).is_some_and(|p| !p.is_ascii_alphabetic());
            if !starts_word {
                i += 1;
                continue;
            }
            let mut n = 0;
            while let Some(&w) = b.get(i + n) {
                if !w.is_ascii_alphabetic() || n >= buf.len() {
                    break;
                }
                if let Some(slot) = buf.get_mut(n) {
                    *slot = w.to_ascii_lowercase();
                }
                n += 1;
            }
            let word = buf
                .get(..n)
                .and_then(|w| std::str::from_utf8(w).ok())
                .unwrap_or("");
            if TITLES.contains(&word) || self.first.contains(word) || is_initial(b, i, n) {
                return true;
            }
            i += n.max(1);
        }
        // Names written with letters outside ASCII (Siobhán) take the full path.
        !text.is_ascii()
    }
}

/// A word: letters with inner apostrophes or hyphens. `end` leaves out a possessive `'s`;
/// `next` is where the text after the whole word starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Word {
    start: usize,
    end: usize,
    next: usize,
}

/// An apostrophe or hyphen joins the letters either side of it into one word.
fn joins(c: char) -> bool {
    matches!(c, '\'' | '’' | '-')
}

/// Whether a letter at `at` starts a word: no letter, nor a letter and a joining mark, before it.
fn starts_word(text: &str, at: usize) -> bool {
    let mut before = text.get(..at).unwrap_or("").chars().rev();
    match before.next() {
        None => true,
        Some(c) if c.is_alphabetic() => false,
        Some(c) if joins(c) => !before.next().is_some_and(char::is_alphabetic),
        Some(_) => true,
    }
}

/// The word that starts at `start`.
fn word_at(text: &str, start: usize) -> Word {
    let rest = text.get(start..).unwrap_or("");
    let b = rest.as_bytes();
    // Most words are plain ASCII letters.
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if !b
        .get(letters)
        .is_some_and(|&c| c >= 0x80 || joins(char::from(c)))
    {
        let end = start + letters;
        return Word {
            start,
            end,
            next: end,
        };
    }
    let mut len = 0;
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let inner = i > 0 && joins(c) && chars.peek().is_some_and(|&(_, n)| n.is_alphabetic());
        if !c.is_alphabetic() && !inner {
            break;
        }
        len = i + c.len_utf8();
    }
    let word = rest.get(..len).unwrap_or("");
    let mut end = start + len;
    for suffix in ["'s", "’s"] {
        if word.len() > suffix.len() + 1 && word.ends_with(suffix) {
            end -= suffix.len();
        }
    }
    Word {
        start,
        end,
        next: start + len,
    }
}

/// The first word at or after `from`, which is not inside a word.
fn word_after(text: &str, mut from: usize) -> Option<Word> {
    loop {
        let rest = text.get(from..)?;
        // ASCII signs and spaces are passed over without decoding them.
        let skip = rest
            .bytes()
            .position(|c| c.is_ascii_alphabetic() || !c.is_ascii())?;
        let c = rest.get(skip..)?.chars().next()?;
        if c.is_alphabetic() {
            return Some(word_at(text, from + skip));
        }
        from += skip + c.len_utf8();
    }
}

/// The word before the one at `start`.
fn word_before(text: &str, start: usize) -> Option<Word> {
    let before = text.get(..start)?;
    let (last, _) = before
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_alphabetic())?;
    let mut first = last;
    let mut back = before.get(..last)?.char_indices().rev().peekable();
    while let Some((i, c)) = back.next() {
        if c.is_alphabetic() {
            first = i;
        } else if !(joins(c) && back.peek().is_some_and(|&(_, p)| p.is_alphabetic())) {
            break;
        }
    }
    Some(word_at(text, first))
}

/// Whether an age follows the name that ends at `end`: "Mags Ellery, 71, COPD".
fn aged_after(text: &str, end: usize) -> bool {
    text.get(end..)
        .and_then(|a| a.strip_prefix(", "))
        .is_some_and(|a| a.starts_with(|c: char| c.is_ascii_digit()))
}

/// Whether the words from `from` place a person: "from", "in" or "on", perhaps "the", and a
/// place ("Pat from Bay 4", "Grace on reception", "Ash from the theatres").
fn placed_after(text: &str, from: usize) -> bool {
    let is_one_of = |w: Word, words: &[&str]| {
        let mut buf = [0u8; 32];
        words.contains(&&*fold(text.get(w.start..w.end).unwrap_or(""), &mut buf))
    };
    // Most words after a name are none of these, as their first letter shows.
    let first = text
        .as_bytes()
        .get(from..)
        .and_then(|r| r.iter().find(|c| c.is_ascii_alphabetic() || !c.is_ascii()));
    if first.is_some_and(|c| c.is_ascii() && !matches!(c.to_ascii_lowercase(), b'f' | b'o' | b'i'))
    {
        return false;
    }
    let Some(preposition) = word_after(text, from) else {
        return false;
    };
    if !is_one_of(preposition, &["from", "on", "in"]) {
        return false;
    }
    let Some(place_or_the) = word_after(text, preposition.next) else {
        return false;
    };
    is_one_of(place_or_the, &PLACES)
        || is_one_of(place_or_the, &["the"])
            && word_after(text, place_or_the.next).is_some_and(|p| is_one_of(p, &PLACES))
}

/// Words that, in a post with no capitals, make the known first name after them a person's:
/// relations and the adjectives of nicknames ("my nan jean", "big dave").
const LOWERCASE_NAME_BEFORE: [&str; 24] = [
    "mum", "mam", "dad", "nan", "nana", "nanna", "gran", "grandma", "grandad", "grandpa", "auntie",
    "aunty", "aunt", "uncle", "son", "daughter", "husband", "wife", "hubby", "cousin", "big",
    "little", "old", "poor",
];

/// Where a run of initials that starts at `at` ends: past the full stop of the last ("G.H.").
fn initials_end(b: &[u8], mut at: usize) -> usize {
    while is_initial(b, at, 1) {
        at += 2;
    }
    at
}

/// Whether the word of `len` bytes at `at` is an initial: one capital and a full stop.
fn is_initial(b: &[u8], at: usize, len: usize) -> bool {
    len == 1 && b.get(at).is_some_and(u8::is_ascii_uppercase) && b.get(at + 1) == Some(&b'.')
}

/// "13th Dec", "on the 4 May": a month after a day, not Dec or May.
fn is_month_after_day(text: &str, start: usize, lower: &str) -> bool {
    crate::identifiers::MONTH_WORDS.contains(&lower)
        && text
            .get(..start)
            .and_then(|b| b.strip_suffix(' '))
            .and_then(|b| b.rsplit(' ').next())
            .is_some_and(|day| {
                let digits = day.trim_end_matches(|c: char| c.is_ascii_alphabetic());
                (1..=2).contains(&digits.len())
                    && digits.bytes().all(|c| c.is_ascii_digit())
                    && matches!(
                        day.get(digits.len()..),
                        Some("" | "st" | "nd" | "rd" | "th")
                    )
            })
}

/// Whether an article comes right before `start`, a space between: `the` in any case, or
/// `a` or `an` in lowercase (a capital `A` may be an initial: "A Lee, bed 2").
fn after_article(text: &str, start: usize) -> bool {
    let Some(before) = text.get(..start).and_then(|b| b.strip_suffix(' ')) else {
        return false;
    };
    ["the", "a", "an"].iter().any(|&article| {
        before.len().checked_sub(article.len()).is_some_and(|i| {
            before.get(i..).is_some_and(|w| {
                w == article || article == "the" && w.eq_ignore_ascii_case(article)
            }) && !before
                .get(..i)
                .and_then(|rest| rest.chars().next_back())
                .is_some_and(char::is_alphabetic)
        })
    })
}

/// The first byte at or after `from` that may start a capital: any byte from 0x40 to 0x5f
/// (the ASCII capitals and a few signs) or one that leads a wider character. Capitals are
/// rare, so this looks at eight bytes at a time.
fn next_capital_byte(b: &[u8], from: usize) -> Option<usize> {
    let may_start = |c: u8| c & 0xe0 == 0x40 || c >= 0xc0;
    let rest = b.get(from..)?;
    let mut chunks = rest.chunks_exact(8);
    let mut at = from;
    for chunk in &mut chunks {
        let Ok(eight) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let w = u64::from_le_bytes(eight);
        // Bits 6 and 5 of each byte moved up to bit 7: bit 6 set, and bit 7 set or bit 5 not.
        let found = (w << 1) & (w | !(w << 2)) & 0x8080_8080_8080_8080;
        if found != 0 {
            return Some(at + found.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    let i = chunks.remainder().iter().position(|&c| may_start(c))?;
    Some(at + i)
}

/// The word of `len` bytes at the start of `rest`, if it has at most 16 ASCII letters and
/// apostrophes, lowercased and packed into a number: an exact key that is cheap to make and
/// look up, for the many capitalised words that are no name.
fn plain_key(rest: &[u8], len: usize) -> Option<u128> {
    let word = rest.get(..len)?;
    if len > 16 || !word.iter().all(|&c| c.is_ascii_alphabetic() || c == b'\'') {
        return None;
    }
    pack(rest, len)
}

/// For each length, the bytes of a key that a word of that length fills.
const FILLED: [u128; 17] = {
    let mut filled = [0u128; 17];
    let mut len = 1;
    while len <= 16 {
        filled[len] = u128::MAX >> (8 * (16 - len));
        len += 1;
    }
    filled
};

/// A byte of each byte of a `u128`.
const EACH_BYTE: u128 = u128::MAX / 0xff;
/// Bit 5 of each byte: setting it lowercases a letter and keeps an apostrophe.
const BIT_5: u128 = 0x20 * EACH_BYTE;

/// The first sixteen bytes of `rest` (zeros past its end) as one number.
fn sixteen(rest: &[u8]) -> u128 {
    let mut bytes = [0u8; 16];
    match rest.get(..16) {
        Some(sixteen) => bytes.copy_from_slice(sixteen),
        None => bytes.iter_mut().zip(rest).for_each(|(b, &c)| *b = c),
    }
    u128::from_le_bytes(bytes)
}

/// [`plain_key`] of a word known to be plain.
fn pack(rest: &[u8], len: usize) -> Option<u128> {
    // Lowercased, then only the word's bytes are kept.
    Some((sixteen(rest) | BIT_5) & FILLED.get(len)?)
}

/// How many ASCII letters `rest` starts with, if at most 16, and their [`plain_key`]: the
/// sixteen bytes are looked at together rather than a letter at a time.
fn letters_key(rest: &[u8]) -> Option<(usize, u128)> {
    const HIGH: u128 = 0x80 * EACH_BYTE;
    let word = sixteen(rest);
    let lower = word | BIT_5;
    // With bit 7 cleared, adding `0x80 - lo` to a byte sets its bit 7 exactly when it is at
    // least `lo`, and carries into no other byte. A letter is from `a` to `z` once bit 5 is
    // set, and had bit 7 clear.
    let low = lower & !HIGH;
    let at_least = |lo: u8| low + u128::from(0x80 - lo) * EACH_BYTE;
    let letters = (at_least(b'a') ^ at_least(b'z' + 1)) & !word & HIGH;
    let len = (!letters & HIGH).trailing_zeros() as usize / 8;
    if len == 16 && rest.get(16).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    Some((len, lower & FILLED.get(len)?))
}

fn is_capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
}

/// Whether the word starting at `next_start` follows `prev` with only spaces between.
fn adjacent(text: &str, prev: Word, next_start: usize) -> bool {
    let gap = text.get(prev.end..next_start).unwrap_or("");
    // A full stop joins words only after an initial ("J. Smith"), never across sentences.
    gap == " " || gap == ". " && prev.end - prev.start == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> NameLexicon {
        lexicon_of([
            &["alan", "eileen", "kath", "will", "elizabeth", "sian"],
            &["tregear", "crabtree", "doyle", "morley"],
            &["will"],
            &["mr darcy", "craig revel horwood"],
        ])
    }

    fn names(text: &str) -> Vec<&str> {
        names_in(&lexicon(), text)
    }
    /// The names `lexicon` finds in `text`, as written.
    fn names_in<'t>(lexicon: &NameLexicon, text: &'t str) -> Vec<&'t str> {
        let mut out = Vec::new();
        lexicon.find(text, true, &mut out);
        out.iter()
            .map(|c| text.get(c.start..c.end).unwrap())
            .collect()
    }

    #[test]
    fn leaves_out_handle_owners_and_the_writer() {
        assert_eq!(
            names("Replying to @eileen_r_77: come and look at Eileen on Ward 4"),
            Vec::<&str>::new()
        );
        assert_eq!(
            names("Replying to @KathD: Kath you've made a nurse cry"),
            Vec::<&str>::new()
        );
        assert_eq!(
            names("Ward 5, bed 3, me (Alan Tregear), 4 days in"),
            Vec::<&str>::new()
        );
        // A handle that does not hold the name leaves it be.
        assert_eq!(names("Eileen on Ward 4, says @WardFour"), vec!["Eileen"]);
        // An e-mail address is no handle: its owner did not post.
        assert_eq!(
            names("Eileen on Ward 4, family on jo@eileencare.co.uk"),
            vec!["Eileen"]
        );
        assert_eq!(
            names("Hello, Eileen from the Bristol Post here. Is ward 4 shut?"),
            Vec::<&str>::new()
        );
    }

    /// After "the" a capitalised word names a thing or a group ("the Costa in outpatients",
    /// "the Oscar winners"), while a name with "the" further back is still found.
    #[test]
    fn a_word_after_the_is_no_name() {
        assert_eq!(
            names("We met at the Alan Tregear lecture"),
            Vec::<&str>::new()
        );
        assert_eq!(names("The Eileen in bay 4, 94"), Vec::<&str>::new());
        assert_eq!(
            names("We met at Alan Tregear's lecture"),
            vec!["Alan Tregear"]
        );
        assert_eq!(
            names("the man in Bed 4, Mr Alan Tregear 61yo"),
            vec!["Alan Tregear"]
        );
        assert_eq!(names("Bathe Alan Tregear in bay 4"), vec!["Alan Tregear"]);
    }

    /// A lexicon of these first names, surnames, ambiguous names and public names.
    fn lexicon_of(lists: [&[&str]; 4]) -> NameLexicon {
        let [first, surnames, ambiguous, public] =
            lists.map(|l| l.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        NameLexicon::new(&first, &surnames, &ambiguous, &public)
    }

    #[test]
    fn public_figures_and_characters_are_no_names() {
        let lexicon = lexicon_of([
            &["craig", "alan"],
            &["revel", "horwood", "darcy", "tregear"],
            &[],
            &["mr darcy", "craig revel horwood"],
        ]);
        assert!(names_in(&lexicon, "Mr Darcy in bay 3 would never").is_empty());
        assert!(names_in(&lexicon, "Craig Revel Horwood was harsh tonight, bay 4").is_empty());
        // Others with the same words are still names.
        assert_eq!(names_in(&lexicon, "Mr Tregear in bay 3"), ["Tregear"]);
        assert_eq!(
            names_in(&lexicon, "Alan Horwood in bed 2"),
            ["Alan Horwood"]
        );
    }

    #[test]
    fn places_and_likenesses_are_no_names() {
        let lexicon = lexicon_of([
            &[
                "mary", "florence", "kate", "rita", "costa", "sarah", "karen",
            ],
            &["seacole", "nightingale", "winslet", "sullivan", "ward"],
            &[],
            &[],
        ]);
        let names = |text: &'static str| names_in(&lexicon, text);
        assert_eq!(names("Mary Seacole Ward is closed"), Vec::<&str>::new());
        assert_eq!(
            names("Florence Nightingale wing, bed 14"),
            Vec::<&str>::new()
        );
        assert_eq!(
            names("she said I look like Kate Winslet"),
            Vec::<&str>::new()
        );
        assert_eq!(names("proper Rita Sullivan vibes"), Vec::<&str>::new());
        assert_eq!(
            names("four of them in Costa for 40 minutes"),
            Vec::<&str>::new()
        );
        // The same names as people: a first name before a place word ("ward" is read as a
        // word, not a surname), "in" before a possessive.
        assert_eq!(names("Mary Seacole is in bay 3"), vec!["Mary Seacole"]);
        assert_eq!(names("Bed 3 is Sarah Ward now"), vec!["Sarah"]);
        assert_eq!(names("Kate Winslet in bed 4"), vec!["Kate Winslet"]);
        assert_eq!(names("it was in Karen's notes"), vec!["Karen"]);
    }

    #[test]
    fn finds_names() {
        assert_eq!(
            names("Bed 4 Mr Alan Tregear 61yo chest pain"),
            vec!["Alan Tregear"]
        );
        assert_eq!(
            names("Mrs Eileen Crabtree, 94, dementia"),
            vec!["Eileen Crabtree"]
        );
        assert_eq!(
            names("Sister Kath Doyle's personal mobile"),
            vec!["Kath Doyle"]
        );
        assert_eq!(
            names("Happy birthday Dr Sian Morley, 07/11/1988"),
            vec!["Sian Morley"]
        );
        assert_eq!(
            names("Will you cover? Queen Elizabeth Hospital"),
            Vec::<&str>::new()
        );
        assert_eq!(names("Eileen on Ward 4"), vec!["Eileen"]);
        // Found past text outside ASCII, and from a capital outside ASCII.
        assert_eq!(
            names("Café ☕ – “thanks” to Mr Alan Tregear’s team"),
            vec!["Alan Tregear"]
        );
        assert_eq!(names("Ça va? Kath Doyle on bay 2"), vec!["Kath Doyle"]);
        // An apostrophe joins letters into one word: "Don't" and "I'm" are no names.
        assert_eq!(names("Don't tell Will. I'm Alan"), Vec::<&str>::new());
    }

    #[test]
    fn capital_scan_matches_a_byte_at_a_time() {
        let may_start = |c: u8| c & 0xe0 == 0x40 || c >= 0xc0;
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        let bytes: Vec<u8> = (0..4000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Mostly lowercase letters and spaces, as text is.
                match x % 10 {
                    0 => (x >> 8) as u8,
                    1 => b' ',
                    _ => b'a' + (x >> 8) as u8 % 26,
                }
            })
            .collect();
        for from in 0..=bytes.len() {
            let expected = bytes
                .get(from..)
                .and_then(|rest| rest.iter().position(|&c| may_start(c)))
                .map(|i| from + i);
            assert_eq!(next_capital_byte(&bytes, from), expected, "from {from}");
        }
    }

    proptest::proptest! {
        /// Folding on the stack lowercases as `to_lowercase` does, in any text.
        #[test]
        fn folds_as_to_lowercase(word in "([A-Za-z'-]|É|ß|İ|Σ|ΣΑ|Ǆ|K|\\PC){0,20}") {
            let mut buf = [0u8; 32];
            proptest::prop_assert_eq!(&*fold(&word, &mut buf), word.to_lowercase());
        }

        /// Sixteen bytes at once count the letters a byte at a time counts, in any bytes.
        #[test]
        fn letters_are_counted_sixteen_at_a_time(
            rest in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::prelude::any::<u8>(),
                    b'a'..=b'z',
                    b'A'..=b'Z',
                ],
                0..24,
            ),
        ) {
            let len = rest
                .iter()
                .position(|c| !c.is_ascii_alphabetic())
                .unwrap_or(rest.len());
            let want = (len <= 16).then(|| (len, pack(&rest, len).unwrap()));
            proptest::prop_assert_eq!(letters_key(&rest), want);
        }
    }

    #[test]
    fn words_read_either_way() {
        let text = "Mary-Jane O'Neil's dog, 'a' --b- it’s Siobhán’s d'Arcy's x-Alan ‘Kath’ \
                    Zoë's 4x4 A&E z";
        // Every word from the first on (without a possessive 's), and each one's word before.
        let mut forward = Vec::new();
        let mut at = 0;
        while let Some(w) = word_after(text, at) {
            forward.push(w);
            at = w.next;
        }
        let spans: Vec<&str> = forward
            .iter()
            .map(|w| text.get(w.start..w.end).unwrap())
            .collect();
        assert_eq!(
            spans,
            [
                "Mary-Jane",
                "O'Neil",
                "dog",
                "a",
                "b",
                "it",
                "Siobhán",
                "d'Arcy",
                "x-Alan",
                "Kath",
                "Zoë",
                "x",
                "A",
                "E",
                "z"
            ]
        );
        for pair in forward.windows(2) {
            assert_eq!(word_before(text, pair[1].start), Some(pair[0]));
            assert!(starts_word(text, pair[1].start));
        }
        assert_eq!(word_before(text, 0), None);
    }
}
