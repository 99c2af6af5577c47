//! Personal names, found from name lexicons and the way names are written.
//!
//! A candidate is a capitalised word after a title (`Mrs Crabtree`, `Dr Lowe`), or a
//! capitalised known first name, with the capitalised surname that follows it. First names
//! that are also common words (`Will`, `May`, `Hope`) need a title or a known surname. The
//! scanner then decides from the context whether the name is a patient's, a colleague's
//! whose personal details are given, or neither (praise, a public figure), which is most.

use rustc_hash::FxHashSet as HashSet;

/// A name candidate: its span in the original text and the title before it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NameCandidate {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) title: Option<String>,
    /// Whose name the words around it say this is.
    pub(crate) role: Role,
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
const WORK_WORDS: [&str; 58] = [
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

/// Decides a name's role from its title and the few words either side of it.
fn role_of(text: &str, start: usize, end: usize, title: Option<&str>) -> Role {
    match title {
        Some("dr" | "doctor" | "sister" | "nurse" | "matron" | "prof" | "professor") => {
            return Role::Colleague;
        }
        Some("mr" | "mrs" | "ms" | "miss" | "master" | "mister") => return Role::Patient,
        _ => {}
    }
    let after = lower_window(text.get(end..).unwrap_or(""), 30, false);
    let before = lower_window(text.get(..start).unwrap_or(""), 30, true);
    let after = after.trim_start_matches(['\'', '’', 's']).trim_start();
    let after_words: Vec<&str> = after
        .split(|c: char| !c.is_alphanumeric() && c != '&')
        .filter(|w| !w.is_empty())
        .collect();
    let first_after = after_words.first().copied().unwrap_or("");
    let then = after_words
        .get(1..)
        .map(|w| w.join(" "))
        .unwrap_or_default();
    if matches!(first_after, "from" | "in" | "on" | "at") {
        if PATIENT_PLACES.iter().any(|p| then.starts_with(p)) {
            return Role::Patient;
        }
        let then = then.strip_prefix("the ").unwrap_or(&then);
        if WORK_WORDS.iter().any(|w| then.starts_with(w)) {
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
    let before = before.trim_end();
    if before.ends_with("our") || WORK_WORDS.iter().any(|w| before.ends_with(w)) {
        return Role::Colleague;
    }
    if [
        "patient",
        "pt",
        "baby",
        "little",
        "resident",
        "service user",
    ]
    .iter()
    .any(|w| before.ends_with(w))
    {
        return Role::Patient;
    }
    Role::Unknown
}

/// The lowercase of at most `chars` characters at the start (or, with `tail`, the end).
fn lower_window(s: &str, chars: usize, tail: bool) -> String {
    let piece = if tail {
        let from = s.char_indices().rev().nth(chars - 1).map_or(0, |(i, _)| i);
        s.get(from..).unwrap_or("")
    } else {
        let to = s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i);
        s.get(..to).unwrap_or("")
    };
    piece.to_lowercase()
}

pub(crate) struct NameLexicon {
    first: HashSet<String>,
    surnames: HashSet<String>,
    ambiguous: HashSet<String>,
}

const TITLES: [&str; 14] = [
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
];

/// Capitalised words that follow a name but are not part of it, or that make a capitalised
/// word a place rather than a person.
const NOT_NAME: [&str; 56] = [
    "queen",
    "princess",
    "prince",
    "king",
    "lord",
    "lady",
    "eid",
    "mubarak",
    "vic",
    "royal",
    "general",
    "happy",
    "ward",
    "bay",
    "bed",
    "unit",
    "hospital",
    "infirmary",
    "centre",
    "center",
    "clinic",
    "house",
    "street",
    "road",
    "nhs",
    "trust",
    "team",
    "department",
    "dept",
    "a&e",
    "ed",
    "icu",
    "itu",
    "amu",
    "day",
    "night",
    "theatre",
    "theatres",
    "lane",
    "avenue",
    "close",
    "park",
    "court",
    "surgery",
    "practice",
    "medical",
    "health",
    "community",
    "hospice",
    "foundation",
    "university",
    "college",
    "school",
    "church",
    "council",
    "award",
];

impl NameLexicon {
    pub(crate) fn new(first: &[String], surnames: &[String], ambiguous: &[String]) -> NameLexicon {
        NameLexicon {
            first: first.iter().cloned().collect(),
            surnames: surnames.iter().cloned().collect(),
            ambiguous: ambiguous.iter().cloned().collect(),
        }
    }

    pub(crate) fn find(&self, text: &str, out: &mut Vec<NameCandidate>) {
        if !self.may_hold_a_name(text) {
            return;
        }
        let words = words(text);
        let mut i = 0;
        while let Some(&(start, end)) = words.get(i) {
            let word = text.get(start..end).unwrap_or("");
            // Names, and the titles before them, start with a capital.
            if !word.starts_with(char::is_uppercase) {
                i += 1;
                continue;
            }
            let mut buf = [0u8; 32];
            let lower = fold(word, &mut buf);
            let lower = lower.trim_end_matches('.');
            if TITLES.contains(&lower) && word.chars().next().is_some_and(char::is_uppercase) {
                // Title + one to three capitalised words.
                let mut j = i + 1;
                let mut last = None;
                while let Some(&(s, e)) = words.get(j) {
                    let w = text.get(s..e).unwrap_or("");
                    if j > i + 3
                        || !is_capitalised(w)
                        || NOT_NAME.contains(&&*fold(w, &mut [0u8; 32]))
                        || !adjacent(text, words.get(j - 1), s)
                    {
                        break;
                    }
                    last = Some(e);
                    j += 1;
                }
                if let (Some(&(s, _)), Some(e)) = (words.get(i + 1), last) {
                    // The writer signing off ("– Sister Collins, Ward 7") or introducing
                    // themselves ("It's Nurse Becky") is not someone the post identifies.
                    if !is_speaker_or_self(text, s, e)
                        && !is_speaker_or_self(text, start, e)
                        && !is_signature(text, start)
                        && !is_vocative(text, start, e)
                    {
                        out.push(NameCandidate {
                            start: s,
                            end: e,
                            title: Some(lower.to_owned()),
                            role: role_of(text, s, e, Some(lower)),
                        });
                    }
                    i = j;
                    continue;
                }
            } else if is_capitalised(word) && self.is_first(word, lower) {
                let next = words
                    .get(i + 1)
                    .filter(|&&(s, _)| adjacent(text, Some(&(start, end)), s));
                let next_word = next.and_then(|&(s, e)| text.get(s..e)).unwrap_or("");
                let mut next_buf = [0u8; 32];
                let next_lower = fold(next_word, &mut next_buf);
                let next_lower: &str = &next_lower;
                let next_is_surname = is_capitalised(next_word)
                    && !NOT_NAME.contains(&next_lower)
                    && (self.surnames.contains(next_lower)
                        || !self.first.contains(next_lower)
                            && !self.ambiguous.contains(next_lower));
                // The word before, or before a given name the lexicon does not know
                // ("Local MP Rishi Chandra").
                let before = |k: usize| {
                    words
                        .get(i.wrapping_sub(k))
                        .and_then(|&(s, e)| text.get(s..e))
                };
                let back = if before(1).is_some_and(is_capitalised)
                    && before(2).is_some_and(|w| matches!(w, "MP" | "Sir" | "Dame" | "Cllr"))
                {
                    2
                } else {
                    1
                };
                let follows_place = before(back).is_some_and(|w| {
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
                });
                let ambiguous = self.ambiguous.contains(lower);
                // "Pat from Bay 4", "Grace on reception": a person, even if the name is a word.
                let placed = matches!(
                    words
                        .get(i + 1)
                        .and_then(|&(s, e)| text.get(s..e))
                        .map(str::to_lowercase)
                        .as_deref(),
                    Some("from" | "on" | "in")
                ) && [i + 2, i + 3].iter().any(|&k| {
                    let w = words
                        .get(k)
                        .and_then(|&(s, e)| text.get(s..e))
                        .unwrap_or("");
                    PLACES.contains(&&*fold(w, &mut [0u8; 32]))
                        && (k == i + 2
                            || words
                                .get(i + 2)
                                .and_then(|&(s, e)| text.get(s..e))
                                .is_some_and(|t| t.eq_ignore_ascii_case("the")))
                });
                // "Mags Ellery, 71, COPD": a name with an age after it is a person's.
                let aged = {
                    let after_name = match next {
                        Some(&(_, e)) if next_is_surname => e,
                        _ => end,
                    };
                    text.get(after_name..)
                        .and_then(|a| a.strip_prefix(", "))
                        .is_some_and(|a| a.starts_with(|c: char| c.is_ascii_digit()))
                };
                let surname_follows = next_is_surname && self.surnames.contains(next_lower);
                if !follows_place
                    && !is_handle_or_addressee(text, start, end)
                    && (!ambiguous || surname_follows || placed || aged)
                    && !NOT_NAME.contains(&lower)
                {
                    let end = match next {
                        Some(&(_, e)) if next_is_surname => {
                            i += 1;
                            e
                        }
                        _ => end,
                    };
                    if !is_speaker_or_self(text, start, end)
                        && !is_vocative(text, start, end)
                        && !is_sign_off(text, start, end)
                        && !is_public_figure(text, end)
                    {
                        out.push(NameCandidate {
                            start,
                            end,
                            title: None,
                            role: role_of(text, start, end, None),
                        });
                    }
                }
            }
            i += 1;
        }
    }
}

/// Where a named person can be ("Pat from Bay 4", "Ash from theatres").
const PLACES: [&str; 25] = [
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
    let before = lower_window(text.get(..start).unwrap_or(""), 14, true);
    let before = before.trim_end();
    [
        "i'm",
        "i’m",
        "im",
        "i am",
        "my name is",
        "this is",
        "it's",
        "it’s",
    ]
    .iter()
    .any(|w| before.ends_with(w))
}

/// Whether the words at `start` follow a dash that opens a sign-off ("– Sister Collins").
fn is_signature(text: &str, start: usize) -> bool {
    text.get(..start)
        .map(str::trim_end)
        .is_some_and(|b| b.ends_with(['–', '—', '-', '~']) || b.ends_with("^"))
}

/// A name that is part of an @handle, or the person a reply speaks to ("Sharon, …",
/// "Hi Jo,", "sorry Lynne,", "Comment from Jackie F:") is not someone the post identifies.
fn is_handle_or_addressee(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).unwrap_or("");
    if before.ends_with(['@', '_']) || text.get(end..).is_some_and(|a| a.starts_with('_')) {
        return true;
    }
    let before = before.trim_end();
    // Only the last few words matter; never lowercase the whole text before a name.
    let tail_start = before.char_indices().rev().nth(15).map_or(0, |(i, _)| i);
    let before = before.get(tail_start..).unwrap_or("").to_lowercase();
    let greeted = before.is_empty()
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
        .any(|g| before.ends_with(g));
    let after = text.get(end..).unwrap_or("").trim_start_matches(' ');
    // "Jackie F:" — a commenter's name and initial.
    let after = after
        .strip_prefix(|c: char| c.is_uppercase())
        .filter(|rest| rest.starts_with([':', '.']))
        .map_or(after, |rest| rest.trim_start_matches('.'));
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
    greeted && !details && after.starts_with([',', '!', ':', '—'])
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
    let clause = lower_window(clause.get(from..).unwrap_or(""), 60, true);
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
    rest_ok && is_signature(text, start)
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
            if TITLES.contains(&word) || self.first.contains(word) {
                return true;
            }
            i += n.max(1);
        }
        // Names written with letters outside ASCII (Siobhán) take the full path.
        !text.is_ascii()
    }
}

/// Word spans of the text: letters with inner apostrophes or hyphens, without a possessive
/// `'s`.
fn words(text: &str) -> Vec<(usize, usize)> {
    if text.is_ascii() {
        return words_ascii(text.as_bytes());
    }
    let mut out = Vec::with_capacity(text.len() / 4 + 1);
    let mut start = None;
    words_unicode(text, &mut start, &mut out);
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    // Strip possessives.
    for w in &mut out {
        let word = text.get(w.0..w.1).unwrap_or("");
        for suffix in ["'s", "’s"] {
            if word.len() > suffix.len() + 1 && word.ends_with(suffix) {
                w.1 -= suffix.len();
            }
        }
    }
    out
}

/// [`words`] of an ASCII text, a word at a time (a possessive can only be written `'s`).
fn words_ascii(b: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(b.len() / 4 + 1);
    let letter = |i: usize| b.get(i).is_some_and(u8::is_ascii_alphabetic);
    let mut i = 0;
    while i < b.len() {
        if !letter(i) {
            i += 1;
            continue;
        }
        let s = i;
        loop {
            while letter(i) {
                i += 1;
            }
            if matches!(b.get(i), Some(b'\'' | b'-')) && letter(i + 1) {
                i += 1;
            } else {
                break;
            }
        }
        let possessive = i - s > 3 && b.get(i - 2..i) == Some(b"'s".as_slice());
        out.push((s, if possessive { i - 2 } else { i }));
    }
    out
}

/// [`words`] over characters, for texts with letters outside ASCII.
fn words_unicode(text: &str, start: &mut Option<usize>, out: &mut Vec<(usize, usize)>) {
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let inner = matches!(c, '\'' | '’' | '-')
            && start.is_some()
            && iter.peek().is_some_and(|(_, n)| n.is_alphabetic());
        if c.is_alphabetic() || inner {
            if start.is_none() {
                *start = Some(i);
            }
        } else if let Some(s) = start.take() {
            out.push((s, i));
        }
    }
}

/// The lowercase of a word: folded into `buf` when it is ASCII and fits, else allocated.
fn fold<'a>(word: &'a str, buf: &'a mut [u8; 32]) -> std::borrow::Cow<'a, str> {
    let b = word.as_bytes();
    if let Some(dst) = buf.get_mut(..b.len())
        && b.is_ascii()
    {
        for (d, &c) in dst.iter_mut().zip(b) {
            *d = c.to_ascii_lowercase();
        }
        if let Ok(s) = std::str::from_utf8(dst) {
            return std::borrow::Cow::Borrowed(s);
        }
    }
    std::borrow::Cow::Owned(word.to_lowercase())
}

fn is_capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
}

/// Whether the word starting at `next_start` follows `prev` with only spaces between.
fn adjacent(text: &str, prev: Option<&(usize, usize)>, next_start: usize) -> bool {
    prev.is_some_and(|&(s, e)| {
        let gap = text.get(e..next_start).unwrap_or("");
        // A full stop joins words only after an initial ("J. Smith"), never across sentences.
        gap == " " || gap == ". " && e - s == 1
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> NameLexicon {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        NameLexicon::new(
            &s(&["alan", "eileen", "kath", "will", "elizabeth", "sian"]),
            &s(&["tregear", "crabtree", "doyle", "morley"]),
            &s(&["will"]),
        )
    }

    fn names(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        lexicon().find(text, &mut out);
        out.iter()
            .map(|c| text.get(c.start..c.end).unwrap())
            .collect()
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
    }
}
