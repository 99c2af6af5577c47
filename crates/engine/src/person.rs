//! Judgements aimed at a person: a reference to someone the reader could pick out (a pronoun,
//! "that/our/the <role>", "the bloke in cubicle 6", a name, an @handle) and a negative
//! judgement or mockery in the same clause. This is the structure of a personal attack,
//! whatever its words: "our new band 7 can barely switch a computer on" and "the porter with
//! the neck tattoo thinks he's hilarious" share no phrase but have one shape. Criticism of a
//! service ("the rota system is useless") or an insult with nobody in the clause has not.
//!
//! Which words refer to people, which judge them and which soften a judgement into praise or
//! affection are pack data (cue groups); this module only decides reference, clause and aim.
//! Time is linear in the text: one byte pass for clause breaks, then bisection of sorted hits.

/// A byte span in the original text.
pub(crate) type Span = (usize, usize);

/// The cue groups (by index) that the aim detector reads; a pack without `person_ref` or
/// `judgement` simply has no aimed judgements.
#[derive(Default, Debug, Clone, Copy)]
pub(crate) struct PersonGroups {
    /// Words that on their own refer to one person: she, he, him, her, "my manager", "Dr".
    pub(crate) person_ref: Option<usize>,
    /// Nouns for a person by role or appearance (porter, matron, bloke, woman): a reference
    /// only when a determiner comes just before ("that porter", "our new band 7") or a
    /// locator just after ("bloke in cubicle 6", "woman behind the counter").
    pub(crate) role_noun: Option<usize>,
    /// Determiners that make a role noun one particular person: that, this, the, our, your.
    pub(crate) person_determiner: Option<usize>,
    /// Words after a role noun that place one person: in, on, behind, from, who, with.
    pub(crate) person_locator: Option<usize>,
    /// Negative judgements of a person: character, competence, looks, contempt.
    pub(crate) judgement: Option<usize>,
    /// Mockery markers (eye-roll, crying-laughing, facepalm emoji) that sneer when aimed.
    pub(crate) mock_marker: Option<usize>,
    /// Praise, affection and sympathy that turn a clause into something other than an attack
    /// ("love him to bits", "bless", "legend", "deserves a medal").
    pub(crate) shield: Option<usize>,
    /// The writer as subject ("I'm useless at cannulas" judges nobody else).
    pub(crate) self_ref: Option<usize>,
    /// Institutions and things as subject ("our trust does nothing", "the rota is a joke").
    pub(crate) institution: Option<usize>,
}

impl PersonGroups {
    pub(crate) fn new(find: &dyn Fn(&str) -> Option<usize>) -> PersonGroups {
        PersonGroups {
            person_ref: find("person_ref"),
            role_noun: find("role_noun"),
            person_determiner: find("person_determiner"),
            person_locator: find("person_locator"),
            judgement: find("judgement"),
            mock_marker: find("sneer"),
            shield: find("judgement_shield"),
            self_ref: find("self_ref"),
            institution: find("institution"),
        }
    }

    /// Whether a text with these groups present could hold an aimed judgement at all.
    pub(crate) fn may_aim(&self, has: &dyn Fn(Option<usize>) -> bool) -> bool {
        has(self.judgement) || has(self.mock_marker)
    }
}

/// How far (bytes) a determiner may stand before its role noun: "our new band 7",
/// "that ginger nurse", "the night coordinator".
const DETERMINER_REACH: usize = 14;
/// How far (bytes) a locator may stand after its role noun: "bloke in", "woman behind".
const LOCATOR_REACH: usize = 2;

/// Whether a person named in the clause before carries over to a clause with none.
const CLAUSE_CARRY: bool = true;

/// Whether a possessive ("Ward 7's", "Theatre's") stands between `from` and `to`.
fn possessive_before(text: &str, from: usize, to: usize) -> bool {
    let mut from = from;
    while from < to && !text.is_char_boundary(from) {
        from += 1;
    }
    // "'s " or "’s " (the curly quote is E2 80 99), found from their "s " by hand: the window
    // is a few bytes, too short for a substring search to pay.
    let Some(window) = text.get(from..to).map(str::as_bytes) else {
        return false;
    };
    (1..window.len().saturating_sub(1)).any(|at| {
        window.get(at..at + 2) == Some(b"s ".as_slice())
            && (window.get(at - 1) == Some(&b'\'')
                || (at >= 3 && window.get(at - 3..at) == Some("’".as_bytes())))
    })
}

/// What was found: the first judgement and the first mockery aimed at a person.
#[derive(Default, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Aimed {
    pub(crate) judgement: Option<Span>,
    pub(crate) mockery: Option<Span>,
}

/// The hits the detector needs, each sorted by start.
pub(crate) struct Inputs<'a> {
    pub(crate) person_ref: &'a [Span],
    pub(crate) role_noun: &'a [Span],
    pub(crate) determiner: &'a [Span],
    pub(crate) locator: &'a [Span],
    /// Names and @handles found by other detectors.
    pub(crate) named: &'a [Span],
    pub(crate) judgement: &'a [Span],
    pub(crate) mock_marker: &'a [Span],
    pub(crate) shield: &'a [Span],
    /// Subjects that are not another person: the writer (I'm, I am) and institutions (our
    /// trust, management, the rota), sorted by start.
    pub(crate) self_ref: &'a [Span],
    /// Where the writer names their own job and workplace ("Nurse at Good Hope"): role nouns
    /// there are the writer.
    pub(crate) signature: &'a [Span],
}

/// Finds judgements and mockery aimed at a person in `text` (the original text; spans are
/// byte offsets into it).
pub(crate) fn aimed(text: &str, i: &Inputs) -> Aimed {
    if i.judgement.is_empty() && i.mock_marker.is_empty() {
        return Aimed::default();
    }
    let mut persons: Vec<Span> = Vec::with_capacity(i.person_ref.len() + i.named.len() + 4);
    persons.extend_from_slice(i.person_ref);
    persons.extend_from_slice(i.named);
    if persons.is_empty() && i.role_noun.is_empty() {
        return Aimed::default();
    }
    let breaks = clause_breaks(text);
    for &noun in i.role_noun {
        // "the nurses' station", "the porter's trolley": a possessive names a thing.
        let rest = text.get(noun.1..).unwrap_or("");
        if rest.starts_with(['\'', '’']) || rest.starts_with("s'") || rest.starts_with("s’") {
            continue;
        }
        if i.signature.iter().any(|g| g.0 <= noun.0 && noun.1 <= g.1) {
            continue;
        }
        let reach = noun.0.saturating_sub(DETERMINER_REACH);
        let determined =
            any_within(i.determiner, reach, noun.0) || possessive_before(text, reach, noun.0);
        let located = any_starting_within(i.locator, noun.1, noun.1 + LOCATOR_REACH);
        // A role noun that opens a clause is its subject: "Receptionist at X laughed at me".
        let (from, _) = clause_of(&breaks, noun.0, text.len());
        let opens = text
            .get(from..noun.0)
            .is_some_and(|b| !b.chars().any(char::is_alphanumeric));
        if determined || located || opens {
            persons.push(noun);
        }
    }
    if persons.is_empty() {
        return Aimed::default();
    }
    persons.sort_unstable();
    let aimed_at = |hits: &[Span]| -> Option<Span> {
        hits.iter().copied().find(|&(s, e)| {
            let (from, to) = clause_of(&breaks, s, text.len());
            if any_within(i.shield, from, to) {
                return false;
            }
            // The writer judging themselves ("I'm useless at cannulas") or an institution ("our
            // trust does nothing"): the nearest subject before the judgement is not a person.
            let subject = persons
                .get(..persons.partition_point(|p| p.0 < s))
                .unwrap_or(&[])
                .iter()
                .rev()
                .take_while(|p| p.0 >= from)
                .next();
            let own = i
                .self_ref
                .get(..i.self_ref.partition_point(|p| p.0 < s))
                .unwrap_or(&[])
                .last()
                .is_some_and(|me| me.0 >= from && subject.is_none_or(|p| me.0 > p.0));
            if own {
                return false;
            }
            // A person in the clause, or in the one before when this clause names nobody (its
            // subject left out: "Handed the surgeon the wrong tray twice").
            let in_clause = |from: usize, to: usize| {
                persons
                    .get(persons.partition_point(|p| p.0 < from)..)
                    .unwrap_or(&[])
                    .iter()
                    .take_while(|p| p.0 < to)
                    .any(|p| *p != (s, e))
            };
            in_clause(from, to)
                || (CLAUSE_CARRY && {
                    let (before, _) = clause_of(&breaks, from.saturating_sub(2), text.len());
                    from > 0 && in_clause(before, from)
                })
        })
    };
    Aimed {
        judgement: aimed_at(i.judgement),
        mockery: aimed_at(i.mock_marker),
    }
}

/// Whether any of `sorted` (by start) lies wholly inside `[from, to)`.
fn any_within(sorted: &[Span], from: usize, to: usize) -> bool {
    sorted
        .get(sorted.partition_point(|h| h.0 < from)..)
        .unwrap_or(&[])
        .iter()
        .take_while(|h| h.0 < to)
        .any(|h| h.1 <= to)
}

/// Whether any of `sorted` (by start) starts inside `[from, to]`.
fn any_starting_within(sorted: &[Span], from: usize, to: usize) -> bool {
    sorted
        .get(sorted.partition_point(|h| h.0 < from)..)
        .unwrap_or(&[])
        .first()
        .is_some_and(|h| h.0 <= to)
}

/// Titles whose full stop does not end a sentence ("Dr. Patel").
const TITLES: [&str; 7] = ["dr", "mr", "mrs", "ms", "prof", "st", "sr"];

/// The byte offsets where a clause ends: sentence punctuation followed by a space or the end
/// (not the stop of "Dr." or of "£3.80"), semicolons, colons, dashes between spaces and line
/// breaks. Sorted.
fn clause_breaks(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // Eight bytes at a time: only the few that are not letters or spaces are looked at.
    let mut chunks = bytes.chunks_exact(8);
    let mut base = 0;
    for chunk in chunks.by_ref() {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let odd = odd_bytes(u64::from_le_bytes(word));
        // Most runs of eight bytes are letters and spaces only: nothing to look at.
        if odd != 0 {
            breaks_among(text, base, odd, &mut out);
        }
        base += 8;
    }
    // The last few bytes, with spaces after them to make up eight.
    let mut word = [b' '; 8];
    word.iter_mut()
        .zip(chunks.remainder())
        .for_each(|(w, b)| *w = *b);
    breaks_among(text, base, odd_bytes(u64::from_le_bytes(word)), &mut out);
    out
}

/// Pushes the clause breaks among the eight bytes of `text` from `base`, given the [`odd_bytes`]
/// among them.
fn breaks_among(text: &str, base: usize, mut odd: u64, out: &mut Vec<usize>) {
    while odd != 0 {
        let at = base + odd.trailing_zeros() as usize / 8;
        if is_break(text, at) {
            out.push(at);
        }
        odd &= odd - 1;
    }
}

/// The high bit of each of the eight bytes of `word` that is neither a space nor an ASCII byte
/// from `@` up (letters and the like), so may end a clause. All eight are tested at once.
fn odd_bytes(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    // With each byte's high bit set first, a subtraction cannot borrow from the next byte: the
    // high bit stays set where the byte (less its high bit) is at least what was taken away.
    let from_at_sign = (word | HIGH).wrapping_sub(ONES * 0x40) & HIGH;
    let not_space = ((word ^ (ONES * 0x20)) | HIGH).wrapping_sub(ONES) & HIGH;
    // Bytes of 0x80 and up (not ASCII) are odd whatever the rest says.
    ((not_space & !from_at_sign) | word) & HIGH
}

/// Whether the byte at `at` ends a clause (see [`clause_breaks`]).
fn is_break(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    let Some(&b) = bytes.get(at) else {
        return false;
    };
    let spaced = bytes.get(at + 1).is_none_or(|n| n.is_ascii_whitespace());
    match b {
        b'\n' | b';' => true,
        b'!' | b'?' | b':' => spaced,
        b'.' => spaced && !after_title(text, at),
        // " - " and " – " / " — " (an en or em dash is 3 bytes: E2 80 93/94).
        b'-' => spaced && at > 0 && bytes.get(at - 1) == Some(&b' '),
        0xE2 => {
            matches!(bytes.get(at + 1..at + 3), Some([0x80, 0x93 | 0x94]))
                && bytes.get(at + 3).is_none_or(|n| n.is_ascii_whitespace())
        }
        _ => false,
    }
}

/// Whether the full stop at `at` closes a title such as "Dr".
fn after_title(text: &str, at: usize) -> bool {
    let word = text
        .get(at.saturating_sub(5)..at)
        .or_else(|| text.get(..at))
        .unwrap_or("")
        .rsplit(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    TITLES.iter().any(|t| word.eq_ignore_ascii_case(t))
}

/// The clause `[from, to)` that holds the byte at `at`.
fn clause_of(breaks: &[usize], at: usize, len: usize) -> (usize, usize) {
    let i = breaks.partition_point(|b| *b < at);
    let from = i
        .checked_sub(1)
        .and_then(|j| breaks.get(j))
        .map_or(0, |b| b + 1);
    let to = breaks.get(i).copied().unwrap_or(len);
    (from, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_split_on_sentence_ends_not_titles_or_prices() {
        let t = "Dr. Patel is here. Coffee £3.80! Then: more - and — done";
        let b = clause_breaks(t);
        let ends: Vec<char> = b
            .iter()
            .filter_map(|&i| t.get(i..).and_then(|r| r.chars().next()))
            .collect();
        assert_eq!(ends, vec!['.', '!', ':', '-', '—']);
        assert_eq!(clause_of(&b, 0, t.len()), (0, 17));
        // Eight bytes at a time or one at a time, the same breaks.
        for t in [
            t,
            "one two. three four five six! seven eight\nnine ten; eleven",
        ] {
            let one_by_one: Vec<usize> = (0..t.len()).filter(|&at| is_break(t, at)).collect();
            assert_eq!(clause_breaks(t), one_by_one);
        }
        let odd = |bytes: &[u8; 8]| odd_bytes(u64::from_le_bytes(*bytes)).to_le_bytes();
        assert_eq!(odd(b"ab Cd ~z"), [0; 8]);
        assert_eq!(
            odd(b"a.\n7,\xE2\x80\x94"),
            [0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80]
        );
    }

    #[test]
    fn possessives_before_a_role_noun() {
        let t = "Ward 7’s porter and Theatre's nurse, as nurse";
        assert!(possessive_before(t, 0, 12));
        assert!(possessive_before(t, 20, 34));
        // The byte after "Ward 7" starts the curly quote: the window must hold all of it.
        assert!(!possessive_before(t, 7, 12));
        assert!(!possessive_before(t, 36, t.len()));
    }

    #[test]
    fn aim_needs_a_person_in_the_same_clause_and_no_shield() {
        // "the porter ... is useless" vs "the rota is useless. He said hi".
        let text = "the porter is useless";
        let i = Inputs {
            person_ref: &[],
            role_noun: &[(4, 10)],
            determiner: &[(0, 3)],
            locator: &[],
            named: &[],
            judgement: &[(14, 21)],
            mock_marker: &[],
            shield: &[],
            self_ref: &[],
            signature: &[],
        };
        assert_eq!(aimed(text, &i).judgement, Some((14, 21)));
        let shielded = Inputs {
            shield: &[(0, 3)],
            ..i
        };
        assert_eq!(aimed(text, &shielded).judgement, None);
        let text = "the rota is useless. He said hi";
        let i = Inputs {
            person_ref: &[(21, 23)],
            role_noun: &[],
            determiner: &[(0, 3)],
            locator: &[],
            named: &[],
            judgement: &[(12, 19)],
            mock_marker: &[],
            shield: &[],
            self_ref: &[],
            signature: &[],
        };
        assert_eq!(aimed(text, &i).judgement, None);
    }
}
