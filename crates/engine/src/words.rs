//! Obscenities, insults and slurs, in any disguise.
//!
//! A lexicon entry is a word and how it may grow: by itself it matches the word and its
//! inflections (`twat`, `twats`, `twatting`); `+suffix` lets any letters follow (`fucking`,
//! `shitshow`); `+infix` also lets letters come before (`clusterfuck`). Tokens are folded
//! (see [`crate::text`]) and then undisguised: leetspeak (`sh1t`, `a$$`), masks (`f*ck`,
//! `c**t`), stretched letters (`fuuuck`) and spaced-out letters (`f u c k`). Innocent words
//! that contain a rude string (Scunthorpe, assess) are in an allow list and never match.

use aho_corasick::{AhoCorasick, MatchKind};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::finding::Kind;

/// How a lexicon word may be extended inside a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Growth {
    Inflections,
    Suffix,
    Infix,
}

/// A bad word and what it is.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) word: String,
    /// The word's letters, for matching masked tokens.
    letters: Vec<char>,
    pub(crate) kind: Kind,
    pub(crate) growth: Growth,
}

/// Parses a lexicon line `word` or `word<TAB>+suffix|+infix`.
pub(crate) fn parse_entry(line: &str, kind: Kind) -> Result<Entry, String> {
    let mut parts = line.split_whitespace();
    let word = parts
        .next()
        .ok_or_else(|| "empty entry".to_owned())?
        .to_owned();
    let growth = match parts.next() {
        None => Growth::Inflections,
        Some("+suffix") => Growth::Suffix,
        Some("+infix") => Growth::Infix,
        Some(other) => {
            return Err(format!(
                "unknown flag `{other}` (expected +suffix or +infix)"
            ));
        }
    };
    if !word.chars().all(|c| c.is_alphabetic()) {
        return Err(format!("`{word}` must be letters only"));
    }
    Ok(Entry {
        letters: word.chars().collect(),
        word,
        kind,
        growth,
    })
}

const INFLECTIONS: [&str; 12] = [
    "", "s", "es", "ed", "d", "ing", "in", "er", "ers", "y", "ies", "'s",
];

/// The compiled word lists.
pub(crate) struct WordLexicon {
    entries: Vec<Entry>,
    /// Every entry with every inflection: see [`inflected_forms`].
    forms: HashMap<String, Kind>,
    allow: HashSet<String>,
    /// The entries that may grow (+suffix, +infix), for finding them inside a token.
    grown: AhoCorasick,
    grown_entries: Vec<usize>,
    /// The first two bytes of every entry, of every +suffix entry and of every +infix entry:
    /// most tokens that reach [`WordLexicon::classify`] (night, after) start with no entry and
    /// hold no +infix entry, and are turned away by these before any hash look-up or search.
    heads: PairSet,
    suffix_heads: PairSet,
    infix_heads: PairSet,
    /// An entry shorter than two bytes has no pair to file it under: then neither set is used.
    short_entry: bool,
    /// Each entry's index under its first letter, in that order, for [`WordLexicon::classify_masked`].
    by_first: Vec<(char, usize)>,
}

/// A set of byte pairs, one bit each.
struct PairSet(Vec<u64>);

impl PairSet {
    fn new<'a>(words: impl Iterator<Item = &'a str>) -> PairSet {
        let mut set = PairSet(vec![0; 65536 / 64]);
        for word in words {
            if let [a, b, ..] = *word.as_bytes() {
                let k = pair(a, b);
                if let Some(w) = set.0.get_mut(k / 64) {
                    *w |= 1 << (k % 64);
                }
            }
        }
        set
    }

    fn contains(&self, a: u8, b: u8) -> bool {
        let k = pair(a, b);
        self.0.get(k / 64).is_some_and(|w| w & (1 << (k % 64)) != 0)
    }
}

fn pair(a: u8, b: u8) -> usize {
    usize::from(a) << 8 | usize::from(b)
}

impl WordLexicon {
    pub(crate) fn new(
        entries: Vec<Entry>,
        allow: impl IntoIterator<Item = String>,
    ) -> Result<WordLexicon, String> {
        let forms = inflected_forms(&entries);
        let grown_entries: Vec<usize> = (0..entries.len())
            .filter(|&i| {
                entries
                    .get(i)
                    .is_some_and(|e| e.growth != Growth::Inflections)
            })
            .collect();
        let words = grown_entries
            .iter()
            .filter_map(|&i| entries.get(i))
            .map(|e| e.word.as_str());
        let grown = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(words)
            .map_err(|e| e.to_string())?;
        let heads = PairSet::new(entries.iter().map(|e| e.word.as_str()));
        let heads_of = |growth: Growth| {
            PairSet::new(
                entries
                    .iter()
                    .filter(move |e| e.growth == growth)
                    .map(|e| e.word.as_str()),
            )
        };
        let suffix_heads = heads_of(Growth::Suffix);
        let infix_heads = heads_of(Growth::Infix);
        let short_entry = entries.iter().any(|e| e.word.len() < 2);
        let mut by_first: Vec<(char, usize)> = entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some((*e.letters.first()?, i)))
            .collect();
        by_first.sort_unstable();
        Ok(WordLexicon {
            entries,
            forms,
            allow: allow.into_iter().collect(),
            grown,
            grown_entries,
            heads,
            suffix_heads,
            infix_heads,
            short_entry,
            by_first,
        })
    }

    /// Whether a word (or hyphenated compound) is on the allow list, with or without hyphens.
    pub(crate) fn is_allowed(&self, word: &str) -> bool {
        self.allow.contains(word) || self.allow.contains(&word.replace('-', ""))
    }

    /// What kind of bad word `token` is, if any. `token` is folded and undisguised: lowercase
    /// letters (and perhaps an apostrophe).
    pub(crate) fn classify(&self, token: &str) -> Option<Kind> {
        if token.len() < 2 {
            return None;
        }
        // Stretched letters (`fuuuck`): only where a letter runs three times or more, so
        // innocent double letters (Shitterton) are never squeezed into a rude word.
        let stretched = || {
            if !has_run_of_three(token) {
                return None;
            }
            let squeezed = squeeze(token);
            if squeezed.len() + 2 <= token.len() && !self.allow.contains(&squeezed) {
                return self.classify_exact(&squeezed);
            }
            None
        };
        // Most tokens match nothing: the allow list is looked up only for one that does.
        let kind = self.classify_exact(token).or_else(stretched)?;
        (!self.allow.contains(token)).then_some(kind)
    }

    /// [`WordLexicon::classify`] of a token with no letter three times in a row, which has no
    /// stretched letters to squeeze.
    pub(crate) fn classify_unstretched(&self, token: &str) -> Option<Kind> {
        if token.len() < 2 {
            return None;
        }
        let kind = self.classify_exact(token)?;
        (!self.allow.contains(token)).then_some(kind)
    }

    fn classify_exact(&self, token: &str) -> Option<Kind> {
        // Every match starts with an entry's first two bytes: at the token's start (an entry,
        // inflected or +suffix), or anywhere for a +infix entry.
        let bytes = token.as_bytes();
        let starts_with = |heads: &PairSet| {
            self.short_entry || matches!(*bytes, [a, b, ..] if heads.contains(a, b))
        };
        // The whole token, or an entry plus an inflection.
        if starts_with(&self.heads)
            && let Some(&kind) = self.forms.get(token)
        {
            return Some(kind);
        }
        let holds_infix_head = || {
            self.short_entry
                || bytes
                    .windows(2)
                    .any(|w| matches!(*w, [a, b] if self.infix_heads.contains(a, b)))
        };
        if starts_with(&self.suffix_heads) || holds_infix_head() {
            return self.grown_in(token);
        }
        None
    }

    /// Grown entries in the token: a prefix (+suffix) or any substring (+infix).
    fn grown_in(&self, token: &str) -> Option<Kind> {
        for m in self.grown.find_overlapping_iter(token) {
            let Some(e) = self
                .grown_entries
                .get(m.pattern().as_usize())
                .and_then(|&i| self.entries.get(i))
            else {
                continue;
            };
            if e.growth == Growth::Infix || m.start() == 0 {
                return Some(e.kind);
            }
        }
        None
    }

    /// Matches a masked token such as `f*ck` or `c**t` (`*` stands for one hidden letter)
    /// against the lexicon. At least half of the word's letters must be visible.
    pub(crate) fn classify_masked(&self, token: &[char]) -> Option<Kind> {
        let visible = token.iter().filter(|c| c.is_alphabetic()).count();
        let masked = token.len() - visible;
        if visible == 0 || masked == 0 || visible < masked || token.first() == Some(&'*') {
            return None;
        }
        // A token starts with a visible letter, which must be its entry's first.
        let first = token.first().copied().unwrap_or('*');
        let from = self.by_first.partition_point(|&(c, _)| c < first);
        let candidates = self.by_first.get(from..).unwrap_or(&[]);
        let candidates = candidates.iter().take_while(|&&(c, _)| c == first);
        for e in candidates.filter_map(|&(_, i)| self.entries.get(i)) {
            let word = &e.letters;
            if token.len() < word.len() {
                continue;
            }
            let head_matches = token.iter().zip(word).all(|(t, w)| *t == '*' || t == w);
            if !head_matches {
                continue;
            }
            let rest = token.get(word.len()..).unwrap_or(&[]);
            if rest.contains(&'*') {
                continue;
            }
            let ok = match e.growth {
                Growth::Inflections => INFLECTIONS
                    .iter()
                    .any(|i| i.chars().eq(rest.iter().copied())),
                Growth::Suffix | Growth::Infix => true,
            };
            if ok {
                return Some(e.kind);
            }
        }
        None
    }
}

/// Every entry with every inflection, and with its last letter doubled before one (twatting,
/// slagged), each with its entry's kind. Where two entries make the same form, the one found
/// first by taking an inflection off the token wins: the earlier inflection in [`INFLECTIONS`],
/// the plain form before the doubled, the earlier entry.
fn inflected_forms(entries: &[Entry]) -> HashMap<String, Kind> {
    let mut forms = HashMap::default();
    for infl in INFLECTIONS {
        for e in entries {
            forms.entry(format!("{}{infl}", e.word)).or_insert(e.kind);
        }
        if infl.is_empty() {
            continue;
        }
        for e in entries {
            if let Some(last) = e.word.chars().last() {
                forms
                    .entry(format!("{}{last}{infl}", e.word))
                    .or_insert(e.kind);
            }
        }
    }
    forms
}

/// Whether `rest` after `word` makes one of the word's inflected forms (see
/// [`inflected_forms`]): an inflection, or the word's last letter doubled before one.
pub(crate) fn is_inflection(word: &str, rest: &str) -> bool {
    INFLECTIONS.contains(&rest)
        || word.chars().last().is_some_and(|last| {
            rest.strip_prefix(last)
                .is_some_and(|infl| !infl.is_empty() && INFLECTIONS.contains(&infl))
        })
}

/// Collapses every run of the same letter to one (`fuuuck` → `fuck`).
fn squeeze(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    let mut last = None;
    for c in token.chars() {
        if Some(c) != last {
            out.push(c);
        }
        last = Some(c);
    }
    out
}

/// Whether a letter repeats three times in a row.
pub(crate) fn has_run_of_three(s: &str) -> bool {
    // Called for every token of a text that may hide a bad word: no allocation, and bytes
    // rather than decoded characters when they are the same thing.
    if s.is_ascii() {
        return s
            .as_bytes()
            .windows(3)
            .any(|w| matches!(*w, [a, b, c] if a == b && b == c));
    }
    let mut chars = s.chars();
    let (Some(mut a), Some(mut b)) = (chars.next(), chars.next()) else {
        return false;
    };
    for c in chars {
        if a == b && b == c {
            return true;
        }
        (a, b) = (b, c);
    }
    false
}

/// Undoes leetspeak in a token: digits and symbols that stand for letters.
pub(crate) fn unleet(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' | '!' | '|' => 'i',
        '3' => 'e',
        '4' | '@' => 'a',
        '5' | '$' => 's',
        '7' | '+' => 't',
        '8' => 'b',
        '9' => 'g',
        _ => return None,
    })
}

/// Characters that stand for one hidden letter.
pub(crate) fn is_mask(c: char) -> bool {
    matches!(c, '*' | '#' | '%' | '_' | '.' | '-' | '?')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> WordLexicon {
        let entries = [
            "fuck\t+infix",
            "shit\t+infix",
            "twat",
            "cunt\t+suffix",
            "cow",
            "ass",
            "paki",
        ]
        .iter()
        .map(|l| {
            parse_entry(
                l,
                if l.starts_with("paki") {
                    Kind::Slur
                } else {
                    Kind::OffensiveWord
                },
            )
            .unwrap()
        })
        .collect();
        WordLexicon::new(entries, ["scunthorpe".to_owned(), "shitterton".to_owned()]).unwrap()
    }

    #[test]
    fn growth_rules() {
        let l = lexicon();
        assert_eq!(l.classify("fucking"), Some(Kind::OffensiveWord));
        assert_eq!(l.classify("clusterfuck"), Some(Kind::OffensiveWord));
        assert_eq!(l.classify("twatting"), Some(Kind::OffensiveWord));
        assert_eq!(l.classify("twatface"), None);
        assert_eq!(l.classify("cows"), Some(Kind::OffensiveWord));
        assert_eq!(l.classify("coward"), None);
        assert_eq!(l.classify("assess"), None);
        assert_eq!(l.classify("class"), None);
        assert_eq!(l.classify("scunthorpe"), None);
        assert_eq!(l.classify("shitterton"), None);
        assert_eq!(l.classify("fuuuuck"), Some(Kind::OffensiveWord));
        assert_eq!(l.classify("pakis"), Some(Kind::Slur));
        for token in ["fucking", "twatting", "coward", "scunthorpe", "x", "cows"] {
            assert_eq!(l.classify_unstretched(token), l.classify(token));
        }
    }

    #[test]
    fn inflections_are_the_forms_made() {
        assert!(is_inflection("cow", ""));
        assert!(is_inflection("cow", "s"));
        assert!(is_inflection("twat", "ting"));
        assert!(is_inflection("slag", "ged"));
        assert!(!is_inflection("cow", "ard"));
        assert!(!is_inflection("nig", "ht"));
        assert!(!is_inflection("twat", "t"));
        // Every form the lexicon matches is an inflection of an entry it starts with.
        let l = lexicon();
        for form in l.forms.keys() {
            assert!(
                l.entries.iter().any(|e| form
                    .strip_prefix(e.word.as_str())
                    .is_some_and(|rest| is_inflection(&e.word, rest))),
                "{form}"
            );
        }
    }

    #[test]
    fn first_pairs_turn_away_only_tokens_that_cannot_match() {
        let l = lexicon();
        // Neither starts with an entry's first pair nor holds a +infix one.
        assert_eq!(l.classify("night"), None);
        assert_eq!(l.classify("after"), None);
        // A +suffix entry at the start; a +infix one inside; a doubled consonant.
        assert_eq!(l.classify("cuntish"), Some(Kind::OffensiveWord));
        assert_eq!(l.classify("bullshitter"), Some(Kind::OffensiveWord));
        assert_eq!(l.classify("twatted"), Some(Kind::OffensiveWord));
        // An entry of one letter has no first pair: every token is then looked up.
        let x = parse_entry("x", Kind::OffensiveWord).unwrap();
        let l = WordLexicon::new(vec![x], []).unwrap();
        assert_eq!(l.classify("xs"), Some(Kind::OffensiveWord));
        assert_eq!(l.classify("xxxxx"), Some(Kind::OffensiveWord));
    }

    #[test]
    fn masks() {
        let l = lexicon();
        let t = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(l.classify_masked(&t("f*ck")), Some(Kind::OffensiveWord));
        assert_eq!(l.classify_masked(&t("f**king")), Some(Kind::OffensiveWord));
        assert_eq!(l.classify_masked(&t("c*nt")), Some(Kind::OffensiveWord));
        assert_eq!(l.classify_masked(&t("p*ki")), Some(Kind::Slur));
        assert_eq!(l.classify_masked(&t("****")), None);
        assert_eq!(l.classify_masked(&t("w*rk")), None);
    }
}
