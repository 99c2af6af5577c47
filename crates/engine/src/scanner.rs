//! The scanner: a pack compiled once into matchers, then used for every text.
//!
//! Checking a text is one pass of a single Aho-Corasick automaton over the folded text (every
//! cue phrase and bad word of the pack), a token pass for disguised words, identifier patterns
//! only where digits or `@` occur, and names only where a context makes them matter. Rules
//! then turn those detections into findings: detector rules report each detection whose owner
//! matches the rule's category; scored rules add the weights of the cue groups and features
//! present and fire at their threshold.
//!
//! A `Scanner` is immutable and `Send + Sync`: build it once, share it across threads.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use regex::Regex;

use crate::finding::{Category, Finding, Kind, RuleText, Severity};
use crate::identifiers::{Candidate, Hints, Patterns, Reach, each_near_number};
use crate::names::{NameCandidate, NameLexicon, Role};
use crate::pack::{Detector, PackError, PackFile, PackSources, PackSpec, RuleSource};
use crate::person::Span;
use crate::text::{Folded, Shape, is_word_char};
use crate::words::{self, Growth, WordLexicon};

/// A staff role (or "I work") and the capitalised place after it, or a role signature.
const WORKPLACE: &str = r"(?:(?-u:\b)(?i:nurse|midwife|radiographer|hca|odp|sister|porter|portering|doctor|consultant|paramedic|registrar|reg|physio|pharmacist|coordinator|sn|student|band \d|\d+ years|i work|i've worked|i worked|work|worked|working|placement|here|theatres|catering|cleaner|domestic|admin|receptionist|manager|matron|surgeon|anaesthetist|gp|therapist|technician|assistant|staff|team)(?:\s+(?:here|there|nurse))?(?:\s+(?i:in|on)\s+[A-Za-z&]+)?\s+(?i:at|in|for)\s+(?:the\s+)?[A-Z][A-Za-z&'’.-]+|(?-u:\b)(?i:nurse|midwife|paramedic|porter|hca|doctor|physio)\s+with\s+(?:the\s+)?[A-Z][A-Za-z&'’.-]+|(?-u:\b)(?i:nurse|midwife|odp|hca|sister|porter|paramedic|doctor|reg|physio|radiographer|consultant|band \d|sn)\s*,\s*[A-Z][a-z]+)";

/// Where a [`WORKPLACE`] match can start, as phrases of the folded text: its role words, with
/// "band" for "band 5" and "years" for "13 years" (whose match starts at the number).
const ROLE_WORDS: [&str; 44] = [
    "nurse",
    "midwife",
    "radiographer",
    "hca",
    "odp",
    "sister",
    "porter",
    "portering",
    "doctor",
    "consultant",
    "paramedic",
    "registrar",
    "reg",
    "physio",
    "pharmacist",
    "coordinator",
    "sn",
    "student",
    "band",
    "years",
    "i work",
    "i've worked",
    "i worked",
    "work",
    "worked",
    "working",
    "placement",
    "here",
    "theatres",
    "catering",
    "cleaner",
    "domestic",
    "admin",
    "receptionist",
    "manager",
    "matron",
    "surgeon",
    "anaesthetist",
    "gp",
    "therapist",
    "technician",
    "assistant",
    "staff",
    "team",
];

/// An age: "58yo", "(58)", "Smith, 58,", "aged 58".
const AGE: &str = r"(?-u:\b)\d{1,3}\s?(?:yo|y/o|yrs?|yr old|years? old|-year-old|year-old|-yr-old|m|f)(?-u:\b)|\(\d{1,3}\)|(?:^|[a-z]), \d{1,3},|(?-u:\b)aged \d{1,3}(?-u:\b)";

/// How far an age reaches around its number (one to three digits, all of it): "aged " before
/// it, and after it a space of `\s` (up to three bytes) and "years old".
const AGE_REACH: Reach = Reach {
    digits: 3,
    before: "aged ".len(),
    after: 3 + "years old".len(),
};

/// Words after an age; the age pattern runs only when one is present (or a number stands in
/// brackets or between commas: "Dennis Arkwright (58)", "Mrs Crabtree, 94,").
const AGE_WORDS: [&str; 9] = ["yo", "y/o", "yrs", "yr", "year", "years", "aged", "m", "f"];

/// Words a door code or PIN follows; the code pattern runs only when one is present.
const CODE_WORDS: [&str; 7] = [
    "code",
    "pin",
    "password",
    "passcode",
    "combination",
    "combo",
    "keypad",
];

/// How far (in bytes) a name may be from the detail that makes it identifying.
const NAME_REACH: usize = 100;

/// A policy pack compiled for checking text.
pub struct Scanner {
    info: PackInfo,
    rules: Vec<Rule>,
    /// Every phrase, in two sets under their own roots in one trie (one walk loop for both).
    trie: Trie,
    /// The phrases that can only count where no letter comes before them (a word start, or
    /// right after a digit: "61yo"), walked from those places only.
    anchored: Starts,
    /// The phrases that may start inside a word (`+infix` bad words, phrases that open with a
    /// symbol), walked from every place one can start.
    free: Starts,
    /// For each byte: [`OPENS_ANCHORED`], [`OPENS_FREE`] and [`ASCII_LETTER`], one lookup a
    /// byte of the text.
    byte_kinds: [u8; 256],
    /// Each phrase's places in `cues` and `targets` and its word edges, by phrase index.
    phrases: Vec<Phrase>,
    /// The cue groups each phrase stands for, all phrases' in one list.
    cues: Vec<Cue>,
    /// What else each phrase stands for (bad words, dates, addresses, ages), all phrases' in
    /// one list: most phrases stand for cues only.
    targets: Vec<Target>,
    words: WordLexicon,
    names: NameLexicon,
    patterns: Patterns,
    code_number: Regex,
    age: Regex,
    workplace: Regex,
    /// [`WORKPLACE`] anchored at the start of the haystack.
    workplace_at: Regex,
    /// When `@workplace` could change a finding.
    workplace_gate: FeatureGate,
    groups: Groups,
    group_names: Vec<String>,
    /// The cue groups that judgements aimed at a person are read from (person.rs).
    person: crate::person::PersonGroups,
}

/// What a pack is, for listing and display.
#[derive(Debug, Clone)]
pub struct PackInfo {
    pub id: String,
    pub title: String,
    pub document: Option<String>,
    pub extends: Vec<String>,
    /// Each category's clause: citation and text.
    pub clauses: Vec<(Category, String, String)>,
    /// Rule ids with their category and severity.
    pub rules: Vec<(String, Category, Severity)>,
}

/// Cue groups the detectors themselves consult, by name.
#[derive(Default)]
struct Groups {
    patient_context: Option<usize>,
    /// Conditions, drugs and procedures: clinical detail that ties a name to a patient.
    clinical: Vec<usize>,
    place_context: Option<usize>,
    staff_context: Option<usize>,
    /// Words of someone's phone or address ("her mobile", "lives at"): a colleague's detail
    /// only when nothing says the post is about a patient.
    contact_words: Option<usize>,
    /// A colleague's role or workplace: says whose a name is, but is no personal detail.
    colleague_role: Option<usize>,
    /// Stated consent ("shared with Tracey's permission"): names are shared, not disclosed.
    name_consent: Option<usize>,
    /// Simulation and training ("sim session", "manikin"): the names and dates of birth in
    /// it are made up.
    simulation: Option<usize>,
    /// A television show, film or book: a first name alone is a character's.
    fiction: Option<usize>,
    public_contact: Option<usize>,
    own_contact: Option<usize>,
    /// The writer's own NHS or hospital number or date of birth follows.
    own_identifier: Option<usize>,
    dob_context: Option<usize>,
    praise: Option<usize>,
    insult: Option<usize>,
    target_person: Option<usize>,
    staff_self: Option<usize>,
}

/// A phrase of the tries: its cues are `cues[cues.0..cues.1]`, its other targets
/// `targets[targets.0..targets.1]`; `first_word` and `last_word` say whether its first and its
/// last character are word characters (then the match must not run on from a word before or
/// after it).
#[derive(Debug, Clone, Copy)]
struct Phrase {
    cues: (u32, u32),
    targets: (u32, u32),
    first_word: bool,
    last_word: bool,
}

/// A cue group a phrase stands for (the low 15 bits) and whether the entry may run on into a
/// longer word (the top bit): two bytes, so that the cues of all phrases, read at every match,
/// stay in the nearest cache.
#[derive(Debug, Clone, Copy)]
struct Cue(u16);

/// The [`Cue`] bit that says the entry may run on into a longer word.
const PREFIX: u16 = 1 << 15;

impl Cue {
    fn new(group: usize, prefix: bool) -> Option<Cue> {
        let group = u16::try_from(group).ok().filter(|g| g & PREFIX == 0)?;
        Some(Cue(if prefix { group | PREFIX } else { group }))
    }

    #[inline(always)]
    fn group(self) -> usize {
        usize::from(self.0 & !PREFIX)
    }

    #[inline(always)]
    fn prefix(self) -> bool {
        self.0 & PREFIX != 0
    }
}

#[derive(Debug, Clone, Copy)]
enum Target {
    Cue {
        group: usize,
        prefix: bool,
    },
    /// A bad word, and how its entry may grow (an `Infix` one may sit inside a longer word).
    Word {
        growth: Growth,
    },
    /// A month name (dates may be written with words).
    Month,
    /// A street-type word (addresses may follow).
    Street,
    /// A word that follows an age (61yo, 94 years old, aged 94).
    AgeWord,
    /// A word a workplace can follow (see [`ROLE_WORDS`]).
    Role,
    /// A word a door code or PIN follows (see [`CODE_WORDS`]).
    CodeWord,
}

const FEATURE_COUNT: usize = 15;
const _: () = assert!(Feature::AimedMockery as usize + 1 == FEATURE_COUNT);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Feature {
    PatientIdentifier,
    StaffPersonalData,
    Name,
    Offensive,
    Slur,
    Reply,
    Mention,
    Question,
    CodeNumber,
    /// An insult, obscenity or slur aimed at someone the text points to.
    PersonInsult,
    /// The writer names where they work: "radiographer at Calderdale", "ODP, Colchester".
    Workplace,
    /// An @handle that reads as a news outlet or journalist (@WalesOnline, @sarahjourno).
    MediaHandle,
    /// An @handle that reads as an NHS body (@UHDBTrust, @LeedsHospitals, @RoyalInfirmaryNHS).
    TrustHandle,
    /// A negative judgement and a person it is aimed at in one clause (person.rs).
    AimedJudgement,
    /// A mockery marker (eye-roll, crying-laughing) aimed at a person in one clause.
    AimedMockery,
}

impl Feature {
    fn parse(name: &str) -> Option<Feature> {
        Some(match name {
            "@patient_identifier" => Feature::PatientIdentifier,
            "@staff_personal_data" => Feature::StaffPersonalData,
            "@name" => Feature::Name,
            "@offensive" => Feature::Offensive,
            "@slur" => Feature::Slur,
            "@reply" => Feature::Reply,
            "@mention" => Feature::Mention,
            "@question" => Feature::Question,
            "@code_number" => Feature::CodeNumber,
            "@person_insult" => Feature::PersonInsult,
            "@workplace" => Feature::Workplace,
            "@media_handle" => Feature::MediaHandle,
            "@trust_handle" => Feature::TrustHandle,
            "@aimed_judgement" => Feature::AimedJudgement,
            "@aimed_mockery" => Feature::AimedMockery,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
enum Signal {
    Group(usize),
    Feature(Feature),
    /// Present when any of these is.
    Any(Vec<Signal>),
    /// Present when each signal shows after the one before it, within the gap (in bytes)
    /// given with it: `intent>harm>person` ("I'll lamp him"), `~` for a looser gap, `+` for
    /// words side by side.
    Seq(Vec<(Signal, usize)>),
}

/// The most bytes between two parts of a sequence joined by `>`: a few words.
const TIGHT_GAP: usize = 32;
/// The most bytes between two parts of a sequence joined by `~`: about a sentence.
const LOOSE_GAP: usize = 80;
/// The most bytes between two parts of a sequence joined by `+`: next to each other.
const ADJACENT_GAP: usize = 3;

impl Signal {
    fn parse(name: &str, find: &dyn Fn(&str) -> Option<usize>) -> Option<Signal> {
        if name.contains(['>', '~', '+']) {
            let mut parts = Vec::new();
            let mut gap = 0;
            let mut rest = name;
            while let Some(at) = rest.find(['>', '~', '+']) {
                parts.push((Signal::parse(rest.get(..at)?, find)?, gap));
                gap = match rest.get(at..=at) {
                    Some(">") => TIGHT_GAP,
                    Some("+") => ADJACENT_GAP,
                    _ => LOOSE_GAP,
                };
                rest = rest.get(at + 1..)?;
            }
            parts.push((Signal::parse(rest, find)?, gap));
            return Some(Signal::Seq(parts));
        }
        if name.contains('|') {
            return Some(Signal::Any(
                name.split('|')
                    .filter_map(|n| Signal::parse(n, find))
                    .collect(),
            ));
        }
        match Feature::parse(name) {
            Some(f) => Some(Signal::Feature(f)),
            None => Some(Signal::Group(find(name)?)),
        }
    }

    /// The first place this signal shows in the text.
    #[inline]
    fn first(&self, d: &Detections) -> Option<Hit> {
        // Most signals of a scored rule are one cue group or feature: answered in place.
        match self {
            Signal::Group(g) => d.groups.first(*g),
            Signal::Feature(f) => d.feature_first.get(*f as usize).copied().flatten(),
            _ => self.first_of_compound(d),
        }
    }

    /// Whether this signal shows in the text (whether [`Signal::first`] finds it), from
    /// presence bits where they answer.
    fn present(&self, d: &Detections) -> bool {
        match self {
            Signal::Group(g) => d.groups.has(*g),
            Signal::Feature(f) => d
                .feature_first
                .get(*f as usize)
                .is_some_and(Option::is_some),
            Signal::Any(all) => all.iter().any(|s| s.present(d)),
            Signal::Seq(_) => self.first_of_compound(d).is_some(),
        }
    }

    /// The presence bits (see [`Signal::bits`]) one of which is set exactly when this signal
    /// shows, as masks by word: a sequence has none (its parts may show apart).
    fn presence_masks(&self, groups: usize) -> Option<Vec<(usize, u64)>> {
        let simple = |s: &Signal| matches!(s, Signal::Group(_) | Signal::Feature(_));
        let exact = match self {
            Signal::Any(all) => all.iter().all(simple),
            other => simple(other),
        };
        if !exact {
            return None;
        }
        let mut masks: Vec<(usize, u64)> = Vec::new();
        for bit in self.bits(groups)? {
            match masks.iter_mut().find(|(word, _)| *word == bit / 64) {
                Some((_, mask)) => *mask |= 1 << (bit % 64),
                None => masks.push((bit / 64, 1 << (bit % 64))),
            }
        }
        Some(masks)
    }

    /// Bits (cue groups first, then features after `groups`) one of which is present whenever
    /// this signal is: its own, any member's of an `Any`, a part's of a `Seq`.
    fn bits(&self, groups: usize) -> Option<Vec<usize>> {
        match self {
            Signal::Group(g) => Some(vec![*g]),
            Signal::Feature(f) => Some(vec![groups + *f as usize]),
            Signal::Any(all) => all.iter().try_fold(Vec::new(), |mut acc, s| {
                acc.extend(s.bits(groups)?);
                Some(acc)
            }),
            Signal::Seq(parts) => parts.iter().find_map(|(s, _)| s.bits(groups)),
        }
    }

    /// Whether this signal weighs `feature`, alone or as a part.
    fn reads(&self, feature: Feature) -> bool {
        match self {
            Signal::Group(_) => false,
            Signal::Feature(f) => *f == feature,
            Signal::Any(all) => all.iter().any(|s| s.reads(feature)),
            Signal::Seq(parts) => parts.iter().any(|(s, _)| s.reads(feature)),
        }
    }

    /// [`Signal::first`] for `Any` and `Seq`.
    fn first_of_compound(&self, d: &Detections) -> Option<Hit> {
        match self {
            Signal::Group(g) => d.groups.first(*g),
            Signal::Feature(f) => d.feature_first.get(*f as usize).copied().flatten(),
            Signal::Any(all) => all
                .iter()
                .filter_map(|s| s.first(d))
                .min_by_key(|h| h.start),
            // A sequence shows only where every part shows: most texts miss a part, and
            // then there is no chain to build.
            Signal::Seq(parts) if parts.iter().any(|(s, _)| !s.present(d)) => None,
            Signal::Seq(_) => self.hits(d).into_iter().min_by_key(|h| h.start),
        }
    }

    /// Every place this signal shows, sorted by start (a sequence spans all its parts).
    fn hits(&self, d: &Detections) -> Vec<Hit> {
        let mut out = match self {
            Signal::Group(g) => d.groups.of(*g).to_vec(),
            Signal::Feature(f) => d
                .features
                .iter()
                .filter(|(g, _)| g == f)
                .map(|(_, h)| *h)
                .collect(),
            Signal::Any(all) => all.iter().flat_map(|s| s.hits(d)).collect(),
            Signal::Seq(parts) => {
                let mut chains: Vec<Hit> = Vec::new();
                for (i, (signal, gap)) in parts.iter().enumerate() {
                    let hits = signal.hits(d);
                    if i == 0 {
                        chains = hits;
                    } else {
                        // Chains sorted by end: those ending within `gap` before each hit.
                        chains.sort_unstable_by_key(|c| c.end);
                        chains = hits
                            .iter()
                            .filter_map(|h| {
                                let from = chains.partition_point(|c| c.end + gap < h.start);
                                chains
                                    .get(from..)
                                    .unwrap_or(&[])
                                    .iter()
                                    .take_while(|c| c.end <= h.start)
                                    .next()
                                    .map(|c| Hit {
                                        start: c.start,
                                        end: h.end,
                                    })
                            })
                            .collect();
                    }
                    if chains.is_empty() {
                        break;
                    }
                }
                chains
            }
        };
        out.sort_unstable_by_key(|h| (h.start, h.end));
        out
    }
}

struct Rule {
    text: Arc<RuleText>,
    category: Category,
    severity: Severity,
    threshold: f32,
    source: Source,
}

enum Source {
    Detector(Detector),
    Score {
        weights: Vec<(Signal, f32)>,
        /// Each weight's presence test, with the weight: what most texts are scored by.
        tests: Vec<(Presence, f32)>,
        /// Presence bits (see [`Signal::bits`]) one of which every text that reaches the
        /// threshold shows: the rule is skipped when none is present. `None` when no such set
        /// is known.
        needs: Option<Vec<u64>>,
    },
}

/// When a feature can change a finding: where a scored rule that weighs it could reach its
/// threshold, as told by the rule's `needs` (see [`Source::Score`]) before any feature is
/// found. `None`: always (a rule that weighs it has no such needs, or needs a feature).
struct FeatureGate(Option<Vec<Vec<u64>>>);

impl FeatureGate {
    fn new(rules: &[Rule], feature: Feature, groups: usize) -> FeatureGate {
        let feature_bit = |needs: &[u64]| {
            (groups..groups + FEATURE_COUNT)
                .any(|b| needs.get(b / 64).is_some_and(|w| w & (1 << (b % 64)) != 0))
        };
        let mut gates = Vec::new();
        for rule in rules {
            let Source::Score { weights, needs, .. } = &rule.source else {
                continue;
            };
            if !weights.iter().any(|(s, _)| s.reads(feature)) {
                continue;
            }
            match needs {
                Some(needs) if !feature_bit(needs) => gates.push(needs.clone()),
                _ => return FeatureGate(None),
            }
        }
        FeatureGate(Some(gates))
    }

    /// Whether the feature can count in a text with these cue groups present.
    fn holds(&self, present: &[u64]) -> bool {
        self.0
            .as_ref()
            .is_none_or(|gates| gates.iter().any(|needs| any_present(needs, present)))
    }
}

/// Whether any bit of `mask` is set in word `word` of the presence bits `bits`.
#[inline(always)]
fn mask_set(bits: &[u64], word: usize, mask: u64) -> bool {
    bits.get(word).is_some_and(|w| w & mask != 0)
}

/// Whether any bit of `mask` is set in `present` (both presence bits, see [`Signal::bits`]).
fn any_present(mask: &[u64], present: &[u64]) -> bool {
    mask.iter().zip(present).any(|(m, p)| m & p != 0)
}

/// How to tell whether a scored rule's signal shows, from the presence bits (see
/// [`Signal::bits`]) as masks: a word's index and bits in it.
#[derive(Debug, Clone)]
enum Presence {
    /// When any bit of the mask is set (a cue group, a feature, any of several).
    Mask(usize, u64),
    /// When any bit of any of the masks is set (any of several, in more than one word).
    AnyMask(Box<[(usize, u64)]>),
    /// A sequence whose parts each show by one mask: only where every part shows is the
    /// signal asked.
    Parts(Box<[(usize, u64)]>),
    /// The signal is asked.
    Signal,
}

impl Presence {
    /// Whether the signal shows, given the presence bits and the signal itself. Out of line, so
    /// that the loop over a rule's tests (most of one mask, see [`score`]) takes one two-way
    /// branch a test rather than a jump through a table.
    #[inline(never)]
    fn shows(&self, bits: &[u64], signal: Option<&Signal>, d: &Detections) -> bool {
        let any_set = |&(word, mask): &(usize, u64)| mask_set(bits, word, mask);
        match self {
            Presence::Mask(word, mask) => mask_set(bits, *word, *mask),
            Presence::AnyMask(masks) => masks.iter().any(any_set),
            Presence::Parts(parts) => {
                parts.iter().all(any_set) && signal.is_some_and(|s| s.present(d))
            }
            Presence::Signal => signal.is_some_and(|s| s.present(d)),
        }
    }

    fn of(signal: &Signal, groups: usize) -> Presence {
        if let Some(masks) = signal.presence_masks(groups) {
            return match masks.as_slice() {
                &[(word, mask)] => Presence::Mask(word, mask),
                _ => Presence::AnyMask(masks.into()),
            };
        }
        let one_mask = |part: &Signal| match part.presence_masks(groups)?.as_slice() {
            &[mask] => Some(mask),
            _ => None,
        };
        if let Signal::Seq(parts) = signal
            && let Some(masks) = parts.iter().map(|(part, _)| one_mask(part)).collect()
        {
            return Presence::Parts(masks);
        }
        Presence::Signal
    }
}

/// A detection in original-text coordinates.
#[derive(Debug, Clone, Copy)]
struct Hit {
    start: usize,
    end: usize,
}

/// Cue-group hits of one text: a list per group, sorted by start, and a bit per group with a
/// hit. The lists are kept from text to text (see [`Scratch`]) and only those of groups with a
/// hit are ever filled (a text hits a dozen of a hundred groups): hits go straight to their
/// group as they are found, with nothing to gather afterwards.
struct GroupHits {
    /// Each group's hits, by group index: in the order found (by start, as the text is
    /// walked), then sorted by start by [`GroupHits::finish`]. Every list that is not empty
    /// has its bit set in `present`.
    lists: Vec<Vec<Hit>>,
    /// One bit per group that has a hit: what scored rules ask most. Then one bit per feature
    /// present (see [`Signal::bits`]), set by [`Scanner::detect`] once features are known.
    present: Vec<u64>,
    /// The start and end of the last hit pushed.
    last: (usize, usize),
    /// Whether each hit came after the one before it (by start, then end): then so did each
    /// group's (most texts: one test a hit instead of one a list once all are in).
    in_order: bool,
}

impl GroupHits {
    const fn new() -> GroupHits {
        GroupHits {
            lists: Vec::new(),
            present: Vec::new(),
            last: (0, 0),
            in_order: true,
        }
    }

    /// Empties the lists for a text checked by a scanner of `groups` cue groups.
    fn reset(&mut self, groups: usize) {
        let GroupHits {
            lists,
            present,
            last,
            in_order,
        } = self;
        (*last, *in_order) = ((0, 0), true);
        // The lists the last text filled are those whose bit is set (a feature bit may stand
        // for a list too: emptying an empty list does no harm).
        for_each_set_bit(present, |g| {
            if let Some(list) = lists.get_mut(g) {
                list.clear();
            }
        });
        present.clear();
        present.resize((groups + FEATURE_COUNT).div_ceil(64), 0);
        if lists.len() < groups {
            lists.resize_with(groups, Vec::new);
        }
    }

    /// Files a phrase's hit under each of its cue groups; where the match runs on into a
    /// longer word, under its `prefix` cues only.
    #[inline]
    fn push(&mut self, cues: &[Cue], runs_on: bool, hit: Hit) {
        // Order is noted once a hit: if all hits came in order, so did each group's.
        let key = (hit.start, hit.end);
        self.in_order &= self.last <= key;
        self.last = key;
        for &cue in cues {
            let group = cue.group();
            if (cue.prefix() || !runs_on)
                && let Some(list) = self.lists.get_mut(group)
                && let Some(word) = self.present.get_mut(group / 64)
            {
                list.push(hit);
                *word |= 1 << (group % 64);
            }
        }
    }

    /// Sorts each group's hits by start, then end. They come in sorted by start but for the
    /// odd pair at one start, so a list is sorted only when it is not already.
    fn finish(&mut self) {
        let GroupHits {
            lists,
            present,
            in_order,
            ..
        } = self;
        if *in_order {
            return;
        }
        for_each_set_bit(present, |g| {
            if let Some(list) = lists.get_mut(g)
                && !list.is_sorted_by_key(|h| (h.start, h.end))
            {
                list.sort_unstable_by_key(|h| (h.start, h.end));
            }
        });
    }

    fn first(&self, group: usize) -> Option<Hit> {
        self.of(group).first().copied()
    }

    #[inline]
    fn has(&self, group: usize) -> bool {
        self.present
            .get(group / 64)
            .is_some_and(|w| w & (1 << (group % 64)) != 0)
    }

    /// The group's hits, sorted by start.
    fn of(&self, group: usize) -> &[Hit] {
        self.lists.get(group).map_or(&[], Vec::as_slice)
    }
}

/// Calls `each` with the index of every set bit of a bitset, in ascending order (two plain
/// loops: an iterator of iterators compiled to a state machine that cost more per bit).
#[inline]
fn for_each_set_bit(words: &[u64], mut each: impl FnMut(usize)) {
    for (i, &word) in words.iter().enumerate() {
        let mut rest = word;
        while rest != 0 {
            each(i * 64 + rest.trailing_zeros() as usize);
            rest &= rest - 1;
        }
    }
}

/// Words that, inside an @handle, mark a news outlet or a journalist.
const MEDIA_HANDLE_WORDS: HandleWords<26> = HandleWords::new([
    "news",
    "journo",
    "press",
    "reporter",
    "online",
    "live",
    "bbc",
    "itv",
    "sky",
    "times",
    "post",
    "echo",
    "herald",
    "gazette",
    "mirror",
    "telegraph",
    "guardian",
    "radio",
    "fm",
    "tv",
    "edp",
    "chronicle",
    "argus",
    "standard",
    "express",
    "mail",
]);

/// The @handles of a folded text as hits (see [`crate::text::handles`]).
fn handles(f: &str) -> impl Iterator<Item = Hit> + '_ {
    crate::text::handles(f).map(|(start, end)| Hit { start, end })
}

/// Words right before a slur that make it point at one person ("that y1d", "the p*ki locum").
const SLUR_POINTERS: [&str; 5] = ["that", "the", "this", "our", "your"];

/// Words after "a <slur>" that place it as one person ("a tr*nny in bed 9", "a p*ki who").
const SLUR_PLACERS: [&str; 7] = ["in", "on", "at", "from", "who", "with", "behind"];

/// Words that, inside an @handle, mark an NHS body.
const TRUST_HANDLE_WORDS: HandleWords<6> = HandleWords::new([
    "nhs",
    "trust",
    "hospital",
    "infirmary",
    "healthcare",
    "hosp",
]);

/// Words looked for inside @handles, each of two or more lowercase ASCII letters, with the
/// pairs of letters they start with: one pass over a handle, where most places are passed over
/// by one bit test, costs a fraction of a substring search a word.
struct HandleWords<const N: usize> {
    words: [&'static str; N],
    /// Bit `y` of entry `x`: a word starts with the letters `x` and `y` (0 for `a`).
    starts: [u32; 26],
}

impl<const N: usize> HandleWords<N> {
    const fn new(words: [&'static str; N]) -> HandleWords<N> {
        let mut starts = [0u32; 26];
        let mut i = 0;
        while i < N {
            let w = words[i].as_bytes();
            // Checked when compiled.
            assert!(w.len() >= 2 && w[0].is_ascii_lowercase() && w[1].is_ascii_lowercase());
            starts[(w[0] - b'a') as usize] |= 1 << (w[1] - b'a');
            i += 1;
        }
        HandleWords { words, starts }
    }

    /// Whether any of the words occurs in `name`.
    fn found_in(&self, name: &str) -> bool {
        let b = name.as_bytes();
        b.windows(2).enumerate().any(|(i, pair)| {
            let &[x, y] = pair else { return false };
            let (x, y) = (x.wrapping_sub(b'a'), y.wrapping_sub(b'a'));
            y < 26
                && self
                    .starts
                    .get(usize::from(x))
                    .is_some_and(|s| s >> y & 1 != 0)
                && b.get(i..)
                    .is_some_and(|rest| self.words.iter().any(|w| rest.starts_with(w.as_bytes())))
        })
    }
}

/// The first of the @handles of the folded text `f` that reads as an NHS body, not counting one
/// the text opens with (that addresses the body rather than names an employer).
fn trust_handle(f: &str, handles: &[Hit]) -> Option<Hit> {
    let lead = f.len() - f.trim_start().len();
    handles.iter().copied().find(|h| {
        let name = f.get(h.start + 1..h.end).unwrap_or("");
        h.start > lead && TRUST_HANDLE_WORDS.found_in(name)
    })
}

/// The first of the @handles of the folded text `f` that reads as a news outlet or journalist.
fn media_handle(f: &str, handles: &[Hit]) -> Option<Hit> {
    handles.iter().copied().find(|h| {
        let name = f.get(h.start + 1..h.end).unwrap_or("");
        name.len() >= 3 && MEDIA_HANDLE_WORDS.found_in(name)
    })
}

/// The distance from `at` to the nearest of `sorted` (sorted by start), if within `reach`.
fn nearest_within(sorted: &[Hit], at: &Hit, reach: usize) -> Option<usize> {
    // Cue phrases are short; a hit that starts this far back cannot end within reach.
    const LONGEST_HIT: usize = 128;
    let from = sorted.partition_point(|h| h.start + LONGEST_HIT + reach < at.start);
    sorted
        .get(from..)
        .unwrap_or(&[])
        .iter()
        .take_while(|h| h.start <= at.end + reach)
        .map(|h| distance(h, at))
        .filter(|d| *d <= reach)
        .min()
}

/// Everything found in one text before rules are applied.
struct Detections {
    /// Per cue group, its hits in the original text.
    groups: GroupHits,
    bad_words: Vec<(Kind, Hit)>,
    /// Identifiers with the category of their owner.
    identifiers: Vec<(Kind, Category, Hit)>,
    features: Vec<(Feature, Hit)>,
    /// The first hit of each feature, by `Feature as usize`.
    feature_first: [Option<Hit>; FEATURE_COUNT],
}

/// The buffers that checking a text fills, kept on each thread from one text to the next: once
/// they have grown to fit, a check asks the allocator for little more than its findings (a
/// dozen small lists made and freed a text cost about a tenth of a check). Each is emptied
/// before use, so nothing of one text shows in the next, which may be checked by another
/// scanner.
struct Scratch {
    detections: Detections,
    folded: Folded,
    word_hits: Vec<(usize, usize)>,
    roles: Vec<usize>,
    candidates: Vec<Candidate>,
    names: Vec<NameCandidate>,
    patient_hits: Vec<Hit>,
    persons: Vec<Hit>,
    spans: Vec<Span>,
    handle_hits: Vec<Hit>,
}

impl Scratch {
    const fn new() -> Scratch {
        Scratch {
            detections: Detections {
                groups: GroupHits::new(),
                bad_words: Vec::new(),
                identifiers: Vec::new(),
                features: Vec::new(),
                feature_first: [None; FEATURE_COUNT],
            },
            folded: Folded::empty(),
            word_hits: Vec::new(),
            roles: Vec::new(),
            candidates: Vec::new(),
            names: Vec::new(),
            patient_hits: Vec::new(),
            persons: Vec::new(),
            spans: Vec::new(),
            handle_hits: Vec::new(),
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = const { RefCell::new(Scratch::new()) };
}

/// A text longer than this gives its buffers back when checked, so that one very long text
/// does not leave a thread holding megabytes.
const SCRATCH_KEEP_BYTES: usize = 1 << 16;

impl Scanner {
    /// Compiles the pack called `id` from `sources`.
    pub fn load(id: &str, sources: &dyn PackSources) -> Result<Scanner, PackError> {
        Scanner::compile(crate::pack::load(id, sources)?)
    }

    /// Compiles the pack in `file`, resolving what it extends from `sources`.
    pub fn load_file(file: &PackFile, sources: &dyn PackSources) -> Result<Scanner, PackError> {
        Scanner::compile(crate::pack::load_file(file, sources)?)
    }

    /// Compiles a resolved pack.
    pub fn compile(spec: PackSpec) -> Result<Scanner, PackError> {
        let bad = |message: String| PackError::Invalid {
            path: format!("policies/{}.toml", spec.id),
            line: 1,
            column: 1,
            message,
        };
        let mut phrases: Vec<String> = Vec::new();
        let mut targets: Vec<Vec<Target>> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut add = |phrase: &str,
                       target: Target,
                       phrases: &mut Vec<String>,
                       targets: &mut Vec<Vec<Target>>| {
            let folded = Folded::new(phrase).as_str().to_owned();
            if folded.is_empty() {
                return;
            }
            let at = *index.entry(folded.clone()).or_insert_with(|| {
                phrases.push(folded);
                targets.push(Vec::new());
                targets.len() - 1
            });
            if let Some(t) = targets.get_mut(at) {
                t.push(target);
            }
        };
        let group_names: Vec<String> = spec.cues.keys().cloned().collect();
        if group_names.len() >= usize::from(PREFIX) {
            return Err(bad(format!(
                "{} cue groups: a pack may have at most {}",
                group_names.len(),
                PREFIX - 1
            )));
        }
        for (group, (_, entries)) in spec.cues.iter().enumerate() {
            for entry in entries {
                let (body, prefix) = match entry.strip_suffix('*') {
                    Some(body) => (body, true),
                    None => (entry.as_str(), false),
                };
                add(
                    body,
                    Target::Cue { group, prefix },
                    &mut phrases,
                    &mut targets,
                );
            }
        }
        let mut entries = Vec::new();
        for (list, kind) in [
            (&spec.lexicons.slurs, Kind::Slur),
            (&spec.lexicons.offensive, Kind::OffensiveWord),
        ] {
            for line in list {
                let entry = words::parse_entry(line, kind)
                    .map_err(|e| bad(format!("lexicon entry `{line}`: {e}")))?;
                add(
                    &entry.word,
                    Target::Word {
                        growth: entry.growth,
                    },
                    &mut phrases,
                    &mut targets,
                );
                entries.push(entry);
            }
        }
        for word in crate::identifiers::MONTH_WORDS {
            add(word, Target::Month, &mut phrases, &mut targets);
        }
        for word in crate::identifiers::STREET_WORDS {
            add(word, Target::Street, &mut phrases, &mut targets);
        }
        for word in AGE_WORDS {
            add(word, Target::AgeWord, &mut phrases, &mut targets);
        }
        for word in ROLE_WORDS {
            add(word, Target::Role, &mut phrases, &mut targets);
        }
        for word in CODE_WORDS {
            add(word, Target::CodeWord, &mut phrases, &mut targets);
        }
        let edges: Vec<(bool, bool)> = phrases
            .iter()
            .map(|p| {
                (
                    p.chars().next().is_some_and(is_word_char),
                    p.chars().next_back().is_some_and(is_word_char),
                )
            })
            .collect();
        // A phrase that opens with a word character counts only where no letter comes before
        // it (see `detect`), unless it is a bad word that may sit inside a longer word.
        let (free_phrases, anchored_phrases): (Vec<usize>, Vec<usize>) = (0..phrases.len())
            .partition(|&i| {
                let opens_word = edges.get(i).is_some_and(|&(first, _)| first);
                let infix = targets.get(i).is_some_and(|t| {
                    t.iter().any(|t| {
                        matches!(
                            t,
                            Target::Word {
                                growth: Growth::Infix
                            }
                        )
                    })
                });
                !opens_word || infix
            });
        // A phrase that ends with a word character counts only where no letter follows,
        // unless one of its entries may run on (a `*` cue, a bad word, which the token pass
        // judges whole).
        let ends_word: Vec<bool> = phrases
            .iter()
            .enumerate()
            .map(|(i, _)| {
                edges.get(i).is_some_and(|&(_, last)| last)
                    && targets.get(i).is_some_and(|t| {
                        t.iter().all(|t| match t {
                            Target::Cue { prefix, .. } => !prefix,
                            Target::Word { .. } => false,
                            Target::Month
                            | Target::Street
                            | Target::AgeWord
                            | Target::Role
                            | Target::CodeWord => true,
                        })
                    })
            })
            .collect();
        let trie = Trie::new(&phrases, &[&anchored_phrases, &free_phrases], &ends_word);
        let (anchored, free) = (trie.starts(0), trie.starts(1));
        let mut byte_kinds = [0u8; 256];
        for (byte, kinds) in (0..=u8::MAX).zip(byte_kinds.iter_mut()) {
            for (yes, kind) in [
                (trie.opens(anchored.root, byte), OPENS_ANCHORED),
                (trie.opens(free.root, byte), OPENS_FREE),
            ] {
                if yes {
                    *kinds |= kind;
                }
            }
            if byte.is_ascii_alphabetic() {
                *kinds |= ASCII_LETTER;
            }
        }

        let find = |name: &str| group_names.iter().position(|g| g == name);
        let groups = Groups {
            patient_context: find("patient_context"),
            clinical: ["condition", "drug", "procedure"]
                .into_iter()
                .filter_map(find)
                .collect(),
            place_context: find("place_context"),
            staff_context: find("staff_context"),
            contact_words: find("contact_words"),
            colleague_role: find("colleague_role"),
            name_consent: find("name_consent"),
            simulation: find("simulation"),
            fiction: find("fiction"),
            public_contact: find("public_contact"),
            own_contact: find("own_contact"),
            own_identifier: find("own_identifier"),
            dob_context: find("dob_context"),
            praise: find("praise"),
            insult: find("insult"),
            target_person: find("target_person"),
            staff_self: find("staff_self"),
        };

        let mut rules = Vec::new();
        for r in &spec.rules {
            let source = match &r.source {
                RuleSource::Detector(d) => Source::Detector(*d),
                RuleSource::Score(weights) => {
                    let weights: Vec<(Signal, f32)> = weights
                        .iter()
                        .filter_map(|(name, w)| Some((Signal::parse(name, &find)?, *w)))
                        .collect();
                    let needs = needed_bits(&weights, r.threshold, group_names.len());
                    let tests = weights
                        .iter()
                        .map(|(signal, w)| (Presence::of(signal, group_names.len()), *w))
                        .collect();
                    Source::Score {
                        weights,
                        tests,
                        needs,
                    }
                }
            };
            rules.push(Rule {
                text: Arc::new(RuleText {
                    id: r.id.as_str().into(),
                    message: r.message.as_str().into(),
                    clause: r.clause.cite.as_str().into(),
                }),
                category: r.category,
                severity: r.severity,
                threshold: r.threshold,
                source,
            });
        }

        let workplace_gate = FeatureGate::new(&rules, Feature::Workplace, group_names.len());
        let info = PackInfo {
            id: spec.id.clone(),
            title: spec.title.clone(),
            document: spec.document.clone(),
            extends: spec.extends.clone(),
            clauses: spec
                .clauses
                .iter()
                .map(|(c, cl)| (*c, cl.cite.clone(), cl.text.clone()))
                .collect(),
            rules: spec
                .rules
                .iter()
                .map(|r| (r.id.clone(), r.category, r.severity))
                .collect(),
        };
        let l = &spec.lexicons;
        Ok(Scanner {
            info,
            rules,
            trie,
            anchored,
            free,
            byte_kinds,
            phrases: edges
                .iter()
                .zip(&targets)
                .scan(
                    (0u32, 0u32),
                    |(cues_at, others_at), (&(first_word, last_word), t)| {
                        let cues = t.iter().filter(|t| matches!(t, Target::Cue { .. })).count();
                        let cues_to = *cues_at + u32::try_from(cues).unwrap_or(0);
                        let others_to = *others_at + u32::try_from(t.len() - cues).unwrap_or(0);
                        let phrase = Phrase {
                            cues: (*cues_at, cues_to),
                            targets: (*others_at, others_to),
                            first_word,
                            last_word,
                        };
                        (*cues_at, *others_at) = (cues_to, others_to);
                        Some(phrase)
                    },
                )
                .collect(),
            cues: targets
                .iter()
                .flatten()
                .filter_map(|t| match *t {
                    Target::Cue { group, prefix } => Cue::new(group, prefix),
                    _ => None,
                })
                .collect(),
            targets: targets
                .iter()
                .flatten()
                .filter(|t| !matches!(t, Target::Cue { .. }))
                .copied()
                .collect(),
            words: WordLexicon::new(entries, l.offensive_allow.iter().cloned())
                .map_err(|e| bad(format!("bad-word matcher: {e}")))?,
            names: NameLexicon::new(
                &l.first_names,
                &l.surnames,
                &l.name_ambiguous,
                &l.public_names,
            ),
            patterns: Patterns::new().map_err(|e| bad(format!("identifier pattern: {e}")))?,
            code_number: Regex::new(&format!(
                r"(?-u:\b)(?:{})(?-u:\b)[^.\n]{{0,40}}?(?-u:\b)\d{{3,6}}(?-u:\b)[#*]?",
                CODE_WORDS.join("|")
            ))
            .map_err(|e| bad(format!("code pattern: {e}")))?,
            age: Regex::new(AGE).map_err(|e| bad(format!("age pattern: {e}")))?,
            workplace: Regex::new(WORKPLACE).map_err(|e| bad(format!("workplace pattern: {e}")))?,
            workplace_at: Regex::new(&format!("^(?:{WORKPLACE})"))
                .map_err(|e| bad(format!("workplace pattern: {e}")))?,
            workplace_gate,
            groups,
            person: crate::person::PersonGroups::new(&find),
            group_names,
        })
    }

    /// The pack this scanner was built from.
    pub fn info(&self) -> &PackInfo {
        &self.info
    }

    /// Checks `text` against the pack. Findings are sorted by start, then end, then
    /// category and rule; the same text always gives the same findings.
    pub fn check(&self, text: &str) -> Vec<Finding> {
        self.with_scratch(text, Scanner::findings)
    }

    /// Runs `run` on `text` with this thread's [`Scratch`], or with a fresh one when that is in
    /// use or gone (a thread shutting down).
    fn with_scratch<R>(&self, text: &str, run: fn(&Scanner, &str, &mut Scratch) -> R) -> R {
        SCRATCH
            .try_with(|cell| {
                let mut scratch = cell.try_borrow_mut().ok()?;
                let out = run(self, text, &mut scratch);
                if text.len() > SCRATCH_KEEP_BYTES {
                    *scratch = Scratch::new();
                }
                Some(out)
            })
            .ok()
            .flatten()
            .unwrap_or_else(|| run(self, text, &mut Scratch::new()))
    }

    /// [`Scanner::check`] with the buffers of `scratch`.
    fn findings(&self, text: &str, scratch: &mut Scratch) -> Vec<Finding> {
        self.apply_rules(self.detect(text, scratch, false))
    }

    /// The findings of the pack's rules on what a text shows.
    fn apply_rules(&self, detections: &Detections) -> Vec<Finding> {
        let mut findings = Vec::new();
        for rule in &self.rules {
            match &rule.source {
                Source::Detector(d) => self.apply_detector(rule, *d, detections, &mut findings),
                Source::Score {
                    weights,
                    tests,
                    needs,
                } => {
                    // Most rules lack on most texts every signal they cannot do without.
                    if needs
                        .as_ref()
                        .is_some_and(|needs| !any_present(needs, &detections.groups.present))
                    {
                        continue;
                    }
                    if let Some(hit) = score(weights, tests, rule.threshold, detections) {
                        findings.push(self.finding(rule, kind_of(rule.category), hit));
                    }
                }
            }
        }
        findings.sort_by(|a, b| {
            (a.start, a.end, a.category, &a.rule.id).cmp(&(b.start, b.end, b.category, &b.rule.id))
        });
        findings.dedup_by(|a, b| {
            a.start == b.start && a.end == b.end && a.category == b.category && a.kind == b.kind
        });
        findings
    }

    /// Which cue groups and features a text shows, with the first place each shows: what
    /// scored rules weigh. For tuning packs (`socialgov check --explain`).
    pub fn explain(&self, text: &str) -> Vec<(String, usize, usize)> {
        self.with_scratch(text, Scanner::explain_in)
    }

    fn explain_in(&self, text: &str, scratch: &mut Scratch) -> Vec<(String, usize, usize)> {
        let d = self.detect(text, scratch, true);
        let mut out: Vec<(String, usize, usize)> = self
            .group_names
            .iter()
            .enumerate()
            .filter_map(|(g, name)| d.groups.first(g).map(|h| (name.clone(), h.start, h.end)))
            .collect();
        for (feature, hit) in &d.features {
            let name = format!("@{feature:?}");
            if !out.iter().any(|(n, _, _)| *n == name) {
                out.push((name, hit.start, hit.end));
            }
        }
        out
    }

    /// Returns `text` with every identifier replaced by a marker such as `[NHS NUMBER]`.
    pub fn redact(&self, text: &str) -> String {
        let findings = self.check(text);
        redact_with(text, &findings)
    }

    fn finding(&self, rule: &Rule, kind: Kind, hit: Hit) -> Finding {
        Finding {
            category: rule.category,
            rule: Arc::clone(&rule.text),
            severity: rule.severity,
            kind,
            start: hit.start,
            end: hit.end,
        }
    }

    fn apply_detector(
        &self,
        rule: &Rule,
        detector: Detector,
        d: &Detections,
        out: &mut Vec<Finding>,
    ) {
        let kind = match detector {
            Detector::NhsNumber => Kind::NhsNumber,
            Detector::HospitalNumber => Kind::HospitalNumber,
            Detector::Name => Kind::Name,
            Detector::Dob => Kind::Dob,
            Detector::Postcode => Kind::Postcode,
            Detector::Address => Kind::Address,
            Detector::Phone => Kind::Phone,
            Detector::Email => Kind::Email,
            Detector::OffensiveWord => Kind::OffensiveWord,
            Detector::Slur => Kind::Slur,
        };
        if matches!(kind, Kind::OffensiveWord | Kind::Slur) {
            for (k, hit) in &d.bad_words {
                if *k == kind {
                    out.push(self.finding(rule, kind, *hit));
                }
            }
            return;
        }
        for (k, owner, hit) in &d.identifiers {
            if *k == kind && *owner == rule.category {
                out.push(self.finding(rule, kind, *hit));
            }
        }
    }

    /// What `text` shows: cue groups, bad words, identifiers and features. A feature that is
    /// costly to find is looked for only where it could change a finding, unless
    /// `all_features`.
    fn detect<'s>(
        &self,
        text: &str,
        scratch: &'s mut Scratch,
        all_features: bool,
    ) -> &'s Detections {
        let Scratch {
            detections,
            folded,
            word_hits,
            roles,
            candidates,
            names,
            patient_hits,
            persons,
            spans,
            handle_hits,
        } = scratch;
        let Detections {
            groups,
            bad_words,
            identifiers,
            features,
            feature_first,
        } = detections;
        folded.fold(text);
        let folded = &*folded;
        let f = folded.as_str();
        let to_original = |s: usize, e: usize| {
            folded
                .original_span(s, e)
                .map(|(start, end)| Hit { start, end })
        };

        // 1. Cue phrases and bad words, in one pass.
        groups.reset(self.group_names.len());
        word_hits.clear();
        roles.clear();
        let mut marks = Marks {
            word_hits: std::mem::take(word_hits),
            roles: std::mem::take(roles),
            ..Marks::default()
        };
        let shape = Shape::of(f);
        let mut on_match = |pattern: usize, start: usize, end: usize| {
            let Some(&phrase) = self.phrases.get(pattern) else {
                return;
            };
            // Whether the match stands as whole words (a `prefix` cue may run on into a longer
            // word), from the phrase's edges and the characters either side of the match.
            let starts_clear = !phrase.first_word || !word_char_before(f, start);
            let runs_on = phrase.last_word && word_char_at(f, end);
            // Most matches are of phrases that stand for cues only: the other targets are
            // marked out of line.
            if let Some(others) = self
                .targets
                .get(phrase.targets.0 as usize..phrase.targets.1 as usize)
                && !others.is_empty()
            {
                mark_targets(f, others, start, end, starts_clear && !runs_on, &mut marks);
            }
            if !starts_clear {
                return;
            }
            if let Some(cues) = self
                .cues
                .get(phrase.cues.0 as usize..phrase.cues.1 as usize)
                && let Some(hit) = to_original(start, end)
            {
                groups.push(cues, runs_on, hit);
            }
        };
        self.each_phrase(f, &mut on_match);
        let Marks {
            word_hits: found,
            roles: role_starts,
            month,
            street,
            age_word,
            code_word,
        } = marks;
        *word_hits = found;
        *roles = role_starts;

        groups.finish();
        word_hits.sort_unstable();

        // 2. Bad words, plain or disguised.
        bad_words.clear();
        // A post about care: a patient's, or a clinical term besides AF.
        let clinical_post = || {
            [self.groups.patient_context]
                .into_iter()
                .chain(self.groups.clinical.iter().copied().map(Some))
                .flatten()
                .any(|g| {
                    groups
                        .of(g)
                        .iter()
                        .any(|h| text.get(h.start..h.end) != Some("AF"))
                })
        };
        // A slur a condition's name starts with ("spastic paraplegia") is clinical.
        let names_a_condition = |hit: &Hit| {
            self.groups.clinical.iter().any(|g| {
                groups
                    .of(*g)
                    .iter()
                    .any(|c| c.start == hit.end + 1 || c.start == hit.start && c.end > hit.end)
            })
        };
        self.find_bad_words(f, &shape, word_hits, &mut |kind, s, e| {
            if let Some(hit) = to_original(s, e)
                && !self.names.is_written_as_name(text, hit.start, hit.end)
                && !(is_clinical_capitals(text, &hit) && clinical_post())
                && !(kind == Kind::Slur && names_a_condition(&hit))
            {
                bad_words.push((kind, hit));
            }
        });

        // 3. Identifiers and names.
        candidates.clear();
        let hints = Hints {
            shape,
            capital_by_digit: shape.digits >= 2
                && shape.letter_by_digit
                && crate::identifiers::capital_by_digit(text),
            month,
            street,
        };
        self.patterns.find(
            f,
            &hints,
            |s, e| {
                to_original(s, e)
                    .and_then(|h| text.get(h.start..h.end))
                    .map(str::to_owned)
            },
            candidates,
        );
        let has = |g: Option<usize>| g.is_some_and(|g| groups.has(g));
        let hits_of = |g: Option<usize>| -> &[Hit] { g.map_or(&[], |g| groups.of(g)) };
        names.clear();
        // Names are looked for beside a context that could make them identifying, or an
        // identifier that could be theirs ("Mr Len Okafor home to 2 Dale Road").
        let names_searched = !candidates.is_empty()
            || has(self.groups.patient_context)
            || has(self.groups.staff_context)
            || has(self.groups.colleague_role)
            || has(self.groups.place_context)
            || self.groups.clinical.iter().any(|g| has(Some(*g)));
        // Whiteboard names ("Bed 11 JENKINS") need a number and a bed or bay.
        let beds = shape.digits > 0
            && self.groups.patient_context.is_some_and(|g| {
                groups.of(g).iter().any(|h| {
                    text.get(h.start..h.end).is_some_and(|w| {
                        w.eq_ignore_ascii_case("bed") || w.eq_ignore_ascii_case("bay")
                    })
                })
            });
        if names_searched {
            self.names.find(text, beds, names);
            self.add_relatives(text, hits_of(self.groups.patient_context), names);
            // A town in an address ("14 Mill Lane, Ripon") is no one's name.
            if !candidates.is_empty() {
                let in_address = |n: &NameCandidate| {
                    candidates.iter().any(|c| {
                        matches!(c.kind, Kind::Address | Kind::Email)
                            && to_original(c.start, c.end)
                                .is_some_and(|h| h.start < n.end && n.start < h.end)
                    })
                };
                names.retain(|n| !in_address(n));
            }
        }

        identifiers.clear();
        features.clear();
        let near = |g: Option<usize>, at: &Hit, reach: usize| nearest_within(hits_of(g), at, reach);
        // Evidence that the person in the text is a patient: patient words, clinical detail,
        // an age. Evidence that it is a colleague: details of their personal life. Only
        // identifiers and names are given an owner: most texts have neither, and skip the age
        // pattern.
        patient_hits.clear();
        let mut patient_evidence = 0;
        if !candidates.is_empty() || !names.is_empty() {
            patient_hits.extend_from_slice(hits_of(self.groups.patient_context));
            if shape.digits > 0 && (age_word || shape.digit_in_brackets_or_commas) {
                each_near_number(&self.age, f, &AGE_REACH, |s, e| {
                    patient_hits.extend(to_original(s, e));
                });
            }
            // Clinical detail is close to a name for patients and colleagues alike; it does
            // not say whose it is.
            patient_evidence = patient_hits.len();
            for g in &self.groups.clinical {
                patient_hits.extend_from_slice(groups.of(*g));
            }
            patient_hits.sort_unstable_by_key(|h| (h.start, h.end));
        }
        let staff_hits = hits_of(self.groups.staff_context);
        let role_hits = hits_of(self.groups.colleague_role);
        let place_hits = hits_of(self.groups.place_context);
        // One owner per text: posts are about one person far more often than two. The
        // balance of evidence decides: patient words, ages and names placed as patients',
        // against a colleague's personal details and names placed as colleagues'.
        let clinical = self.groups.clinical.iter().any(|g| groups.has(*g));
        // "Iris Blackwood's warfarin": the person whose treatment or illness it is.
        for n in names.iter_mut().filter(|n| n.role == Role::Unknown) {
            let after = text.get(n.end..).unwrap_or("");
            let Some(rest) = after
                .strip_prefix("'s ")
                .or_else(|| after.strip_prefix("’s "))
            else {
                continue;
            };
            let at = text.len() - rest.len();
            if self
                .groups
                .clinical
                .iter()
                .any(|g| groups.of(*g).iter().any(|h| h.start == at))
            {
                n.role = Role::Patient;
            }
        }
        let patient_names = names.iter().filter(|n| n.role == Role::Patient).count();
        // Praise within a few words before a name ("Thank you Dr Patel and Nurse Becky").
        let praised_at = |hit: &Hit| {
            let praise = hits_of(self.groups.praise);
            praise
                .get(praise.partition_point(|h| h.end + 30 < hit.start)..)
                .unwrap_or(&[])
                .iter()
                .take_while(|h| h.start < hit.start)
                .any(|h| h.end <= hit.start)
        };
        // Colleagues thanked in a post say nothing of whose its details are ("… for looking
        // after my husband Graham Tuckett after his heart attack").
        let colleague_names = names
            .iter()
            .filter(|n| n.role == Role::Colleague)
            .filter(|n| {
                !praised_at(&Hit {
                    start: n.start,
                    end: n.end,
                })
            })
            .count();
        // A name placed as a patient's ("Mr Abdi in Bay 1") says whose a detail is more than a
        // word of context does ("ring his mobile").
        let patient_score = patient_evidence + 2 * patient_names;
        // "Her mobile" is anyone's: it makes a detail a colleague's only where a colleague is
        // named or nothing makes it a patient's ("she's been admitted … her mobile is …").
        let contact_hits = if patient_score == 0 || !role_hits.is_empty() || colleague_names > 0 {
            hits_of(self.groups.contact_words)
        } else {
            &[]
        };
        let staff_score = staff_hits.len() + contact_hits.len() + role_hits.len() + colleague_names;
        // A detail given as the trust's own ("reach the ward on …") or the writer's is no one's
        // private detail.
        let contact_detail = candidates.iter().any(|c| {
            matches!(
                c.kind,
                Kind::Phone | Kind::Email | Kind::Address | Kind::Postcode | Kind::Dob
            ) && to_original(c.start, c.end).is_some_and(|hit| {
                near(self.groups.public_contact, &hit, 60).is_none()
                    && near(self.groups.own_contact, &hit, 30).is_none()
            })
        });
        // A date of birth before any colleague now at work is a patient's.
        let born_retired = candidates.iter().any(|c| {
            c.kind == Kind::Dob
                && c.year.is_some_and(|y| y <= RETIRED_BY)
                && (c.labelled
                    || to_original(c.start, c.end)
                        .is_some_and(|hit| near(self.groups.dob_context, &hit, 50).is_some()))
        });
        let item_owner = if born_retired {
            Some(Category::PatientIdentifier)
        } else if staff_score > 0 && staff_score >= patient_score {
            // A colleague's name is theirs to share; their details, private life and health
            // are not (their work is: "Dr Patel on the stroke unit").
            let their_health = clinical
                && self
                    .groups
                    .clinical
                    .iter()
                    .flat_map(|g| groups.of(*g))
                    .any(|h| !names_work(text, h.end));
            (!staff_hits.is_empty() || !contact_hits.is_empty() || their_health || contact_detail)
                .then_some(Category::StaffPersonalData)
        } else if patient_score > 0 || clinical || !place_hits.is_empty() {
            Some(Category::PatientIdentifier)
        } else {
            None
        };
        // A training scenario's patient is no one.
        let made_up = has(self.groups.simulation);
        for c in candidates.iter() {
            let Some(hit) = to_original(c.start, c.end) else {
                continue;
            };
            let public = near(self.groups.public_contact, &hit, 60).is_some();
            let own_identifier = near(self.groups.own_identifier, &hit, 30).is_some();
            let own = own_identifier || near(self.groups.own_contact, &hit, 30).is_some();
            let who = match c.kind {
                // The writer's own number or date of birth is theirs to share.
                Kind::NhsNumber | Kind::HospitalNumber | Kind::Dob if own_identifier => None,
                Kind::NhsNumber => Some(Category::PatientIdentifier),
                Kind::HospitalNumber if c.labelled => Some(Category::PatientIdentifier),
                Kind::HospitalNumber => (!patient_hits.is_empty() || !place_hits.is_empty())
                    .then_some(Category::PatientIdentifier),
                // No one alive was born before 1900: a date of history.
                Kind::Dob if c.year.is_some_and(|y| y < 1900) => None,
                Kind::Dob => {
                    let birth_year = c.year.is_some_and(|y| y <= 2010);
                    // "Happy birthday" near the date, not anywhere ("Happy 76th birthday NHS
                    // … opened on 5 July 1948").
                    let birthday = near(self.groups.dob_context, &hit, 50).is_some()
                        && c.year.is_some_and(|y| y <= 2012);
                    // A full date with a birth year right after a name or an age.
                    let by_person = birth_year
                        && (names
                            .get(names.partition_point(|n| n.end + 40 < hit.start)..)
                            .unwrap_or(&[])
                            .iter()
                            .take_while(|n| n.end <= hit.start)
                            .next()
                            .is_some()
                            || nearest_within(patient_hits, &hit, 20).is_some());
                    // "Born 22/11/1984 and spending this birthday on nights": a post that
                    // opens with a date of birth and goes on with what the writer does speaks
                    // of the writer ("Born 29/02/1944, our leap year lady in bed 11" not).
                    let writers = text.get(..hit.start).is_some_and(|before| {
                        let before = before.trim();
                        before.eq_ignore_ascii_case("born")
                            || before.eq_ignore_ascii_case("born on")
                    }) && text
                        .get(hit.end..)
                        .is_some_and(|after| after.starts_with(" and "));
                    if writers || made_up {
                        None
                    } else if c.labelled || birthday || by_person {
                        Some(item_owner.unwrap_or(Category::PatientIdentifier))
                    } else {
                        None
                    }
                }
                _ if public || own => None,
                _ => item_owner,
            };
            if let Some(who) = who {
                identifiers.push((c.kind, who, hit));
            }
        }
        for n in names.iter() {
            let hit = Hit {
                start: n.start,
                end: n.end,
            };
            features.push((Feature::Name, hit));
            // Praise of a named colleague is not personal data.
            let praised = praised_at(&hit);
            // A name is identifying only with its clinical, place or personal detail close by.
            let close = [
                patient_hits.as_slice(),
                staff_hits,
                contact_hits,
                role_hits,
                place_hits,
            ]
            .iter()
            .any(|hits| nearest_within(hits, &hit, NAME_REACH).is_some());
            // Congratulations on a pregnancy are still about a private life, and praise of
            // someone placed in a bed or bay is still about a patient.
            let praised = praised
                && staff_hits.is_empty()
                && contact_hits.is_empty()
                && n.role != Role::Patient;
            // In a post about a show or a book, a name without a title is a character's.
            let character = n.title.is_none() && has(self.groups.fiction);
            if praised || !close || has(self.groups.name_consent) || made_up || character {
                continue;
            }
            let who = match item_owner {
                // A colleague named in a post about a patient is not the patient.
                Some(Category::PatientIdentifier) if n.role == Role::Colleague => None,
                other => other,
            };
            // A name identifies a colleague's details only when those details are given.
            if let Some(who) = who {
                identifiers.push((Kind::Name, who, hit));
            }
        }

        // 4. Features for scored rules.
        for (_, who, hit) in identifiers.iter() {
            let feature = if *who == Category::PatientIdentifier {
                Feature::PatientIdentifier
            } else {
                Feature::StaffPersonalData
            };
            features.push((feature, *hit));
        }
        for (kind, hit) in bad_words.iter() {
            features.push((
                if *kind == Kind::Slur {
                    Feature::Slur
                } else {
                    Feature::Offensive
                },
                *hit,
            ));
        }
        let trimmed = f.trim_start();
        let lead = f.len() - trimmed.len();
        if trimmed.starts_with("replying to @") || trimmed.starts_with('@') {
            let end = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
            if let Some(hit) = to_original(lead, lead + end) {
                features.push((Feature::Reply, hit));
            }
        }
        // The text's @handles, found once for the features that read them (only a text with
        // an `@` has one).
        handle_hits.clear();
        if shape.first_at.is_some() {
            handle_hits.extend(handles(f));
        }
        if let Some(at) = handle_hits.first()
            && let Some(hit) = to_original(at.start, at.end)
        {
            features.push((Feature::Mention, hit));
        }
        if let Some(at) = shape.first_question
            && let Some(hit) = to_original(at, at + 1)
        {
            features.push((Feature::Question, hit));
        }
        // The pattern can match only after a code word, which the phrase pass finds as a whole
        // word wherever the pattern's ASCII word boundary allows one, unless a letter beyond
        // ASCII comes right before it (no anchored phrase starts after a letter).
        if shape.digits >= 3
            && (code_word || folded.has_wide_letter())
            && let Some(m) = self.code_number.find(f)
            && let Some(hit) = to_original(m.start(), m.end())
        {
            features.push((Feature::CodeNumber, hit));
        }

        // An insult aimed at someone the text points to: a name or a person right beside it,
        // not "whoever parked here", and not a slur someone else was reported as saying.
        // Most texts hold no insult: the persons are gathered only for one.
        let insult_hits = hits_of(self.groups.insult);
        persons.clear();
        if !bad_words.is_empty() || !insult_hits.is_empty() {
            persons.extend(names.iter().map(|n| Hit {
                start: n.start,
                end: n.end,
            }));
            persons.extend_from_slice(hits_of(self.groups.target_person));
            persons.sort_unstable_by_key(|h| (h.start, h.end));
        }
        let insults = bad_words
            .iter()
            .map(|(k, h)| (*k == Kind::Slur, *h))
            .chain(insult_hits.iter().map(|h| (false, *h)));
        for (slur, insult) in insults {
            let mut buf = [0u8; 40];
            let before = crate::text::lower_tail(text, insult.start, &mut buf);
            let before: &str = &before;
            let reported = before.contains("called") || before.contains("calling");
            let nobody = ["whoever", "anyone", "someone", "somebody", "whoeva"]
                .iter()
                .any(|w| before.contains(w));
            // A slur used as a noun for one particular person: "that y1d", "a tr*nny in bed 9"
            // (after "a", only when a place or a clause follows: not "ordering a ch!nky").
            let pointed_slur = slur && {
                let last = before.split_whitespace().next_back().unwrap_or("");
                let next = text
                    .get(insult.end..)
                    .and_then(|r| r.split_whitespace().next())
                    .unwrap_or("")
                    .to_lowercase();
                SLUR_POINTERS.contains(&last)
                    || (matches!(last, "a" | "an") && SLUR_PLACERS.contains(&next.as_str()))
            };
            if !reported
                && !nobody
                && (pointed_slur || nearest_within(persons, &insult, 40).is_some())
            {
                features.push((Feature::PersonInsult, insult));
                break;
            }
        }

        // The writer names their workplace: a role or "I work" before "at <Capitalised>", or a
        // signature "Nurse, Darent Valley" (not "are you a nurse at …?", "looking for a nurse
        // at …"). Only where a staff role word is present at all, and where it could count: a
        // rule that weighs it could reach its threshold, or a judgement may be aimed.
        let workplace_counts =
            all_features || self.workplace_gate.holds(&groups.present) || self.person.may_aim(&has);
        if workplace_counts
            && self.groups.staff_self.is_some_and(|g| groups.has(g))
            && let Some(hit) = self.workplace(text, roles)
        {
            features.push((Feature::Workplace, hit));
        }
        if let Some(hit) = media_handle(f, handle_hits)
            && let Some(hit) = to_original(hit.start, hit.end)
        {
            features.push((Feature::MediaHandle, hit));
        }
        let trust = trust_handle(f, handle_hits);
        if let Some(hit) = trust
            && let Some(hit) = to_original(hit.start, hit.end)
        {
            features.push((Feature::TrustHandle, hit));
        }
        // Judgements and mockery aimed at a person in one clause (person.rs).
        if self.person.may_aim(&has) {
            // Names count as persons here whatever the context: looked for now if not before.
            if !names_searched {
                self.names.find(text, beds, names);
            }
            // @handles do too, but for one that reads as an NHS body.
            let trust = trust.map(|h| h.start);
            let named = names.iter().map(|n| (n.start, n.end)).chain(
                handle_hits
                    .iter()
                    .filter(|h| Some(h.start) != trust)
                    .filter_map(|h| folded.original_span(h.start, h.end)),
            );
            self.aimed_features(text, groups, named, spans, features);
        }
        *feature_first = [None; FEATURE_COUNT];
        for (feature, hit) in features.iter() {
            if let Some(slot) = feature_first.get_mut(*feature as usize) {
                slot.get_or_insert(*hit);
            }
            // Feature bits follow the group bits (see `Signal::bits`).
            let bit = self.group_names.len() + *feature as usize;
            if let Some(word) = groups.present.get_mut(bit / 64) {
                *word |= 1 << (bit % 64);
            }
        }
        detections
    }

    /// Adds the relatives named right after a relative's word ("my dad", "my nan", "Taid")
    /// among `patient_context`, whose first name the lexicon may lack, keeping `names` in
    /// order of place.
    fn add_relatives(&self, text: &str, patient_context: &[Hit], names: &mut Vec<NameCandidate>) {
        let before = names.len();
        for hit in patient_context {
            if let Some(n) = self.names.relative_named_at(text, hit.end)
                && !names
                    .iter()
                    .take(before)
                    .any(|m| m.start < n.end && n.start < m.end)
            {
                names.push(n);
            }
        }
        if names.len() > before {
            names.sort_by_key(|n| n.start);
        }
    }

    /// The first [`WORKPLACE`] match in `text` that is the writer's own (not "are you a nurse
    /// at …?", "looking for a nurse at …"), as `find_iter` would find it. In ASCII text, where
    /// the folded text is the text in lowercase, a match can only start at a role word found
    /// by the phrase pass (`roles`, in order), so only there is the pattern tried, anchored,
    /// and not over the whole text.
    fn workplace(&self, text: &str, roles: &mut [usize]) -> Option<Hit> {
        let owned = |start: usize| {
            let mut buf = [0u8; 24];
            let before = crate::text::lower_tail(text, start, &mut buf);
            !(before.contains("you") || before.contains("looking for"))
        };
        if !text.is_ascii() {
            return self
                .workplace
                .find_iter(text)
                .find(|m| owned(m.start()))
                .map(|m| Hit {
                    start: m.start(),
                    end: m.end(),
                });
        }
        let b = text.as_bytes();
        // "13 years" matches from its number: one space, then digits back to the first.
        for start in roles.iter_mut() {
            if b.get(*start..*start + 5)
                .is_some_and(|r| r.eq_ignore_ascii_case(b"years"))
                && b.get(start.wrapping_sub(1)) == Some(&b' ')
            {
                let digits = b.get(..start.saturating_sub(1)).map_or(0, |r| {
                    r.iter().rev().take_while(|c| c.is_ascii_digit()).count()
                });
                if digits > 0 {
                    *start -= 1 + digits;
                }
            }
        }
        roles.sort_unstable();
        // After a match that is not the writer's, `find_iter` goes on from its end.
        let mut from = 0;
        for &start in roles.iter() {
            // The pattern opens with a word boundary, which the anchored copy, matching from
            // `start`, cannot see: the byte before must be no word character.
            if start < from
                || start
                    .checked_sub(1)
                    .and_then(|i| b.get(i))
                    .is_some_and(|&c| WORD_BYTES[usize::from(c)])
            {
                continue;
            }
            let Some(m) = text
                .get(start..)
                .and_then(|rest| self.workplace_at.find(rest))
            else {
                continue;
            };
            let hit = Hit {
                start,
                end: start + m.end(),
            };
            if owned(start) {
                return Some(hit);
            }
            from = hit.end;
        }
        None
    }

    /// Pushes `@aimed_judgement` and `@aimed_mockery` (see person.rs): the person references are
    /// the pack's cue groups and `named` (names and @handles), all gathered in `spans`.
    fn aimed_features(
        &self,
        text: &str,
        groups: &GroupHits,
        named: impl Iterator<Item = Span>,
        spans: &mut Vec<Span>,
        features: &mut Vec<(Feature, Hit)>,
    ) {
        // Every list the detector reads, one after another in one buffer kept from text to
        // text: where each is.
        fn append(spans: &mut Vec<Span>, items: impl Iterator<Item = Span>) -> Range<usize> {
            let from = spans.len();
            spans.extend(items);
            from..spans.len()
        }
        let group = |g: Option<usize>| {
            g.map_or(&[][..], |g| groups.of(g))
                .iter()
                .map(|h| (h.start, h.end))
        };
        let p = &self.person;
        spans.clear();
        let person_ref = append(spans, group(p.person_ref));
        let role_noun = append(spans, group(p.role_noun));
        let determiner = append(spans, group(p.person_determiner));
        let locator = append(spans, group(p.person_locator));
        let judgement = append(spans, group(p.judgement));
        let mock_marker = append(spans, group(p.mock_marker));
        let shield = append(spans, group(p.shield));
        let named = append(spans, named);
        let others = append(spans, group(p.self_ref).chain(group(p.institution)));
        let signature = append(
            spans,
            features
                .iter()
                .filter(|(f, _)| *f == Feature::Workplace)
                .map(|(_, h)| (h.start, h.end)),
        );
        for merged in [named.clone(), others.clone()] {
            if let Some(merged) = spans.get_mut(merged) {
                merged.sort_unstable();
            }
        }
        let part = |r: Range<usize>| spans.get(r).unwrap_or(&[]);
        let aimed = crate::person::aimed(
            text,
            &crate::person::Inputs {
                person_ref: part(person_ref),
                role_noun: part(role_noun),
                determiner: part(determiner),
                locator: part(locator),
                named: part(named),
                judgement: part(judgement),
                mock_marker: part(mock_marker),
                shield: part(shield),
                self_ref: part(others),
                signature: part(signature),
            },
        );
        if let Some((start, end)) = aimed.judgement {
            features.push((Feature::AimedJudgement, Hit { start, end }));
        }
        if let Some((start, end)) = aimed.mockery {
            features.push((Feature::AimedMockery, Hit { start, end }));
        }
    }

    /// Calls `on_match(phrase, start, end)` for every match of a phrase in the folded text
    /// that can count, each once: every match of a free phrase, and every match of an anchored
    /// phrase where the character before is not a letter.
    // Kept out of `detect`: with registers of its own, the trie walks spill less; generic over
    // `on_match`, so that matches are handled in line rather than through a call. A byte at a
    // time: a pass over 64-byte windows that flagged the places to walk from ran fewer
    // instructions but took longer (its branches are harder to predict).
    #[inline(never)]
    fn each_phrase(&self, f: &str, on_match: &mut impl FnMut(usize, usize, usize)) {
        let b = f.as_bytes();
        // A copy on the stack is read without a register kept for the scanner.
        let byte_kinds = self.byte_kinds;
        let mut after_letter = false;
        let mut start = 0;
        while let Some(&c) = b.get(start) {
            let kinds = byte_kinds[usize::from(c)];
            if kinds & OPENS_ANCHORED != 0 && !after_letter {
                self.trie.walk_pair(&self.anchored, b, start, on_match);
            }
            if kinds & OPENS_FREE != 0 {
                self.trie.walk_pair(&self.free, b, start, on_match);
            }
            start += 1;
            if kinds & ASCII_LETTER != 0 {
                // The rest of an ASCII word, where only a free phrase can start: one look-up
                // a byte says both whether the word goes on and whether a phrase opens.
                while let Some(&c) = b.get(start) {
                    let kinds = byte_kinds[usize::from(c)] & (ASCII_LETTER | OPENS_FREE);
                    if kinds != ASCII_LETTER {
                        if kinds & ASCII_LETTER == 0 {
                            break;
                        }
                        // Through `black_box`, so that the loop keeps one index rather than
                        // three (`start` and the walk's `start + 1` and `start + 2`).
                        self.trie
                            .walk_pair(&self.free, b, std::hint::black_box(start), on_match);
                    }
                    start += 1;
                }
                after_letter = true;
            } else if c < 0x80 {
                after_letter = false;
            } else if c >= 0xC0 {
                // A continuation byte leaves the character before as it was.
                after_letter = f
                    .get(start - 1..)
                    .and_then(|r| r.chars().next())
                    .is_some_and(char::is_alphabetic);
            }
        }
    }

    /// Finds bad words in the folded text: tokens that hold a lexicon hit, tokens in disguise,
    /// and runs of spaced-out letters.
    fn find_bad_words(
        &self,
        f: &str,
        shape: &Shape,
        word_hits: &[(usize, usize)],
        report: &mut dyn FnMut(Kind, usize, usize),
    ) {
        // Most texts hold no lexicon hit and nothing that could hide one.
        let spaced = shape.spaced_letters;
        let maybe_hidden = spaced || shape.run_of_three || shape.symbol_in_word;
        if word_hits.is_empty() && !maybe_hidden {
            return;
        }
        let mut reported_until = 0usize;
        let mut hits = word_hits.iter().peekable();
        // In a text with no stretched letter, only tokens that hold a hit or a character other
        // than a lowercase ASCII letter can count: found from those places, not word by word.
        // Otherwise every token, streamed rather than collected.
        let (mut found, mut every);
        let suspects: &mut dyn Iterator<Item = Token> = if shape.run_of_three {
            every = Tokens::new(f);
            &mut every
        } else {
            found = suspect_tokens(f, word_hits);
            &mut found
        };
        for token in suspects {
            let t = (token.start, token.end);
            let Some(raw) = f.get(t.0..t.1) else { continue };
            // A number (a date, a time, a ward) holds no letter to classify and no hit.
            if !raw
                .bytes()
                .any(|c| c.is_ascii_alphabetic() || !c.is_ascii())
            {
                continue;
            }
            while hits.next_if(|&&(s, _)| s < t.0).is_some() {}
            let holds_hit = hits
                .clone()
                .take_while(|&&(s, _)| s < t.1)
                .any(|&(_, e)| e <= t.1);
            // A plain lowercase word hides nothing, unless the text stretches a letter.
            let plain = !shape.run_of_three && token.lowercase;
            let disguised = !plain && (is_disguised(raw) || words::has_run_of_three(raw));
            if !holds_hit && !disguised {
                continue;
            }
            // A hyphenated compound that is innocent as a whole (cock-up) is left alone.
            if f.as_bytes().get(t.1) == Some(&b'-')
                && let Some(next) = Tokens::from(f, t.1 + 1).next()
                && next.start == t.1 + 1
                && f.get(t.1..next.start) == Some("-")
                && let Some(compound) = f.get(t.0..next.end)
                && self.words.is_allowed(compound)
            {
                continue;
            }
            if let Some(kind) = self.classify_token(raw, !shape.run_of_three) {
                report(kind, t.0, t.1);
                reported_until = t.1;
            }
        }
        // Spaced or dotted letters: f u c k, f.u.c.k.
        let tokens: Vec<(usize, usize)> = if spaced {
            Tokens::new(f).map(|t| (t.start, t.end)).collect()
        } else {
            Vec::new()
        };
        let mut i = 0;
        while i < tokens.len() {
            let mut j = i;
            while let (Some(a), Some(b)) = (tokens.get(j), tokens.get(j + 1)) {
                let single =
                    |t: &(usize, usize)| f.get(t.0..t.1).is_some_and(|s| s.chars().count() == 1);
                let gap = f.get(a.1..b.0).unwrap_or("");
                if single(a) && single(b) && gap.len() == 1 && matches!(gap, " " | "." | "-") {
                    j += 1;
                } else {
                    break;
                }
            }
            if j >= i + 2
                && let (Some(first), Some(last)) = (tokens.get(i), tokens.get(j))
                && first.0 >= reported_until
            {
                let joined: String = tokens
                    .get(i..=j)
                    .unwrap_or(&[])
                    .iter()
                    .filter_map(|t| f.get(t.0..t.1))
                    .collect();
                if let Some(kind) = self.classify_token(&joined, false) {
                    report(kind, first.0, last.1);
                }
            }
            i = j + 1;
        }
    }

    /// What kind of bad word a token is, if any; `in_unstretched` when it is part of a text
    /// with no lowercase letter three times in a row.
    fn classify_token(&self, raw: &str, in_unstretched: bool) -> Option<Kind> {
        let body = raw
            .trim_start_matches(['#', '@'])
            .trim_end_matches(['!', '\'', '*', '#', '_']);
        let body = if raw.starts_with('@') { "" } else { body };
        // A plain lowercase word (night, after) is its own letters: the common case.
        if !body.is_empty() && body.bytes().all(|c| c.is_ascii_lowercase()) {
            return if in_unstretched {
                self.words.classify_unstretched(body)
            } else {
                self.words.classify(body)
            };
        }
        if body.chars().filter(|c| c.is_alphabetic()).count() < 1 {
            return None;
        }
        if body
            .chars()
            .any(|c| words::is_mask(c) && c != '.' && c != '-')
        {
            let unmask = |c| {
                if words::is_mask(c) {
                    '*'
                } else {
                    words::unleet(c).unwrap_or(c)
                }
            };
            // On the stack when short, as masked tokens are.
            let mut buf = ['\0'; 32];
            let mut n = 0;
            for (slot, c) in buf.iter_mut().zip(body.chars()) {
                *slot = unmask(c);
                n += 1;
            }
            if n < buf.len() {
                return self.words.classify_masked(buf.get(..n).unwrap_or(&[]));
            }
            let chars: Vec<char> = body.chars().map(unmask).collect();
            return self.words.classify_masked(&chars);
        }
        // Most such tokens are short and ASCII (don't, 2nd, sh1t): their letters are gathered on
        // the stack.
        let mut buf = [0u8; 32];
        if body.is_ascii() && body.len() <= buf.len() {
            let mut n = 0;
            for c in body.bytes() {
                let c = words::unleet(char::from(c)).map_or(c, |l| u8::try_from(l).unwrap_or(c));
                if (c.is_ascii_alphabetic() || c == b'\'')
                    && let Some(slot) = buf.get_mut(n)
                {
                    *slot = c;
                    n += 1;
                }
            }
            if n + 1 < body.len() / 2 {
                return None;
            }
            let letters = buf.get(..n).and_then(|l| std::str::from_utf8(l).ok())?;
            return self.words.classify(letters);
        }
        // Others are gathered on the stack too when they fit.
        let mut buf = [0u8; 128];
        let (mut len, mut fits) = (0, true);
        let (mut kept, mut all) = (0, 0);
        for c in body.chars().map(|c| words::unleet(c).unwrap_or(c)) {
            all += 1;
            if c.is_alphabetic() || c == '\'' {
                kept += 1;
                match buf.get_mut(len..len + c.len_utf8()) {
                    Some(slot) => len += c.encode_utf8(slot).len(),
                    None => fits = false,
                }
            }
        }
        if kept + 1 < all / 2 {
            return None;
        }
        if fits {
            let letters = buf.get(..len).and_then(|l| std::str::from_utf8(l).ok())?;
            return self.words.classify(letters);
        }
        let letters: String = body
            .chars()
            .map(|c| words::unleet(c).unwrap_or(c))
            .filter(|c| c.is_alphabetic() || *c == '\'')
            .collect();
        self.words.classify(&letters)
    }
}

/// No node, no phrase.
const NONE: u32 = u32::MAX;

/// A byte that opens a phrase of [`Scanner::anchored`].
const OPENS_ANCHORED: u8 = 1;
/// A byte that opens a phrase of [`Scanner::free`].
const OPENS_FREE: u8 = 2;
/// An ASCII letter.
const ASCII_LETTER: u8 = 4;

/// Phrases walked from a given start, a byte at a time: a trie laid out as a double array,
/// where the child of a node for byte `c` is in slot `base + c`, if that slot is labelled `c`.
/// No two nodes share a base, so the label alone says whose child a slot holds: a slot is 4
/// bytes, one lookup a byte, and the trie is small enough to stay in cache. Sets of phrases
/// walked apart hang under roots of their own (see [`Trie::root`]).
struct Trie {
    slots: Vec<Slot>,
    /// The phrase that ends at each slot, or `NONE`: read only where the slot has
    /// [`HAS_PHRASE`].
    phrase_at: Vec<u32>,
}

/// A slot of a [`Trie`]: the byte that leads to its node with [`USED`] (bits 0 to 8),
/// [`HAS_PHRASE`], [`ENDS_WORD`], and the node's base above [`BASE_SHIFT`].
#[derive(Clone, Copy)]
struct Slot(u32);

/// The bits of a [`Slot`] that must equal `USED | byte` for the slot to hold a child for `byte`.
const LABEL: u32 = 0x1ff;
/// The bit of a [`Slot`] that says it holds a node; a free slot is no one's child.
const USED: u32 = 0x100;
/// The bit of a [`Slot`] that says a phrase ends at its node.
const HAS_PHRASE: u32 = 0x200;
/// The bit of a [`Slot`] that says its phrase counts only where no letter follows.
const ENDS_WORD: u32 = 0x400;
/// How many nodes in a row may pass a free slot by before [`Trie::new`] leaves it empty.
const HOLE_AFTER: usize = 16;
/// Where a [`Slot`]'s base starts.
const BASE_SHIFT: u32 = 11;
/// The base of a node with no children: its children would lie past any slot.
const LEAF_BASE: u32 = (u32::MAX >> BASE_SHIFT) - 256;

/// The root of a set of phrases in a [`Trie`]: its slot and base.
#[derive(Clone, Copy)]
struct Root {
    slot: u32,
    base: u32,
}

/// A set of phrases' root, and where a walk from each pair of bytes gets to: the node after
/// both, found by one look-up instead of two trie steps. A third of walks end there.
struct Starts {
    root: Root,
    /// By `first << 8 | second` for an ASCII `first`: the slot of the node after both bytes,
    /// [`NO_WALK`] where no phrase starts so, or [`FROM_ROOT`] where a one-byte phrase does.
    pairs: Vec<u32>,
}

/// No phrase starts with this pair of bytes.
const NO_WALK: u32 = NONE;
/// A one-byte phrase starts here: walk from the root.
const FROM_ROOT: u32 = NONE - 1;

impl Slot {
    /// Where this node's children are, less their byte.
    #[inline(always)]
    fn base(self) -> u32 {
        self.0 >> BASE_SHIFT
    }

    #[inline(always)]
    fn has_phrase(self) -> bool {
        self.0 & HAS_PHRASE != 0
    }

    /// Whether a phrase ends at this node for a walk that got here at `end` of `b`: one does,
    /// and either it need not end a word or no letter follows.
    #[inline(always)]
    fn reports(self, b: &[u8], end: usize) -> bool {
        self.has_phrase()
            && (self.0 & ENDS_WORD == 0 || !b.get(end).is_some_and(u8::is_ascii_alphabetic))
    }

    /// Whether this slot holds the child for `byte` of the node whose base led here.
    #[inline(always)]
    fn holds(self, byte: u8) -> bool {
        self.0 & LABEL == USED | u32::from(byte)
    }
}

impl Trie {
    /// The trie of `all[i]` for each `i` of `phrases`.
    fn new(all: &[String], sets: &[&[usize]], ends_word: &[bool]) -> Trie {
        // First a trie with a child list per node, then laid out in the double array. Set `k`
        // hangs under the child of the first node for byte `k + 1`, where no walk starts.
        let mut kids: Vec<Vec<(u8, usize)>> = vec![Vec::new()];
        let mut ends: Vec<Option<(u32, bool)>> = vec![None];
        // Every set has its root, even one with no phrase.
        for k in 1..=sets.len() {
            let marker = u8::try_from(k).unwrap_or(u8::MAX);
            if let Some(root) = kids.first_mut() {
                root.push((marker, k));
            }
            kids.push(Vec::new());
            ends.push(None);
        }
        let phrases = sets.iter().enumerate().flat_map(|(k, set)| {
            let marker = u8::try_from(k + 1).unwrap_or(u8::MAX);
            set.iter().map(move |&phrase| (marker, phrase))
        });
        for (marker, phrase) in phrases {
            let Some(text) = all.get(phrase) else {
                continue;
            };
            let Ok(id) = u32::try_from(phrase) else {
                continue;
            };
            let mut node = 0usize;
            for &byte in std::iter::once(&marker).chain(text.as_bytes()) {
                let found = kids
                    .get(node)
                    .and_then(|k| k.iter().find(|(b, _)| *b == byte))
                    .map(|&(_, n)| n);
                node = match found {
                    Some(n) => n,
                    None => {
                        let n = kids.len();
                        kids.push(Vec::new());
                        ends.push(None);
                        if let Some(k) = kids.get_mut(node) {
                            k.push((byte, n));
                        }
                        n
                    }
                };
            }
            if let Some(end) = ends.get_mut(node) {
                *end = Some((id, ends_word.get(phrase).copied().unwrap_or(false)));
            }
        }
        // The root is slot 0, used but no one's child (its label is no byte's). Its children
        // sit at their bytes (base 0); every other node's above them, at a base of its own,
        // where any free slot can take a node's only child (most nodes have one).
        let mut slots = vec![Slot(0); 256];
        let mut used = vec![false; 256];
        let mut phrase_at = vec![NONE; 256];
        let mut base_taken = vec![false; 256];
        if let (Some(u), Some(t)) = (used.first_mut(), base_taken.first_mut()) {
            (*u, *t) = (true, true);
        }
        let mut first_free = 256usize;
        // How many nodes in a row have been placed past `first_free`.
        let mut passed = 0;
        let mut queue = std::collections::VecDeque::from([(0usize, 0usize)]);
        while let Some((node, slot)) = queue.pop_front() {
            let Some(children) = kids.get_mut(node) else {
                continue;
            };
            let base = if children.is_empty() {
                LEAF_BASE as usize
            } else {
                children.sort_unstable();
                let lowest = children.first().map_or(0, |&(b, _)| usize::from(b));
                let fits = |base: usize| {
                    !base_taken.get(base).is_some_and(|&t| t)
                        && children
                            .iter()
                            .all(|&(b, _)| !used.get(base + usize::from(b)).is_some_and(|&u| u))
                };
                let base = if slot == 0 {
                    0
                } else {
                    // The lowest child in the first free slot where every child fits and the
                    // base is no one else's. A free slot that node after node passes by is
                    // left as a hole, so that the search does not start there forever.
                    while used.get(first_free).is_some_and(|&u| u) {
                        first_free += 1;
                    }
                    let mut at = first_free;
                    loop {
                        while used.get(at).is_some_and(|&u| u) {
                            at += 1;
                        }
                        if fits(at - lowest) {
                            break;
                        }
                        at += 1;
                    }
                    if at == first_free {
                        passed = 0;
                    } else {
                        passed += 1;
                        if passed > HOLE_AFTER {
                            first_free += 1;
                            passed = 0;
                        }
                    }
                    at - lowest
                };
                if slots.len() < base + 256 {
                    slots.resize(base + 256, Slot(0));
                    used.resize(base + 256, false);
                    phrase_at.resize(base + 256, NONE);
                    base_taken.resize(base + 256, false);
                }
                if let Some(t) = base_taken.get_mut(base) {
                    *t = true;
                }
                for &(b, child) in children.iter() {
                    let at = base + usize::from(b);
                    let phrase = ends.get(child).copied().flatten();
                    if let (Some(s), Some(u), Some(p)) =
                        (slots.get_mut(at), used.get_mut(at), phrase_at.get_mut(at))
                    {
                        *u = true;
                        s.0 = USED | u32::from(b);
                        if let Some((phrase, ends_word)) = phrase {
                            s.0 |= if ends_word {
                                HAS_PHRASE | ENDS_WORD
                            } else {
                                HAS_PHRASE
                            };
                            *p = phrase;
                        }
                    }
                    queue.push_back((child, at));
                }
                base
            };
            let Ok(base) = u32::try_from(base) else {
                break;
            };
            if base > LEAF_BASE {
                break;
            }
            if let Some(s) = slots.get_mut(slot) {
                s.0 = s.0 & (LABEL | HAS_PHRASE | ENDS_WORD) | base << BASE_SHIFT;
            }
        }
        // Trailing free slots only ever fail a check.
        while used.last().is_some_and(|&u| !u) {
            used.pop();
        }
        slots.truncate(used.len());
        slots.shrink_to_fit();
        phrase_at.truncate(slots.len());
        phrase_at.shrink_to_fit();
        Trie { slots, phrase_at }
    }

    /// The child of the node in `slot` for `byte`, if any.
    #[inline]
    fn next(&self, slot: u32, byte: u8) -> Option<(u32, Slot)> {
        let base = self.slots.get(slot as usize)?.base();
        let at = base.wrapping_add(u32::from(byte));
        let child = *self.slots.get(at as usize)?;
        child.holds(byte).then_some((at, child))
    }

    /// The root of the phrases of `sets[set]` (see [`Trie::new`]).
    fn root(&self, set: u8) -> Root {
        match self.next(0, set.saturating_add(1)) {
            Some((slot, node)) => Root {
                slot,
                base: node.base(),
            },
            // Never: every set has its root. Children would lie past any slot.
            None => Root {
                slot: NONE,
                base: LEAF_BASE,
            },
        }
    }

    /// The root of `sets[set]` with the table of where a walk from each pair of bytes gets to.
    fn starts(&self, set: u8) -> Starts {
        let root = self.root(set);
        let mut pairs = vec![NO_WALK; 128 << 8];
        for first in 0..128u8 {
            let Some((at, node)) = self.next(root.slot, first) else {
                continue;
            };
            for second in 0..=u8::MAX {
                let entry = if node.has_phrase() {
                    FROM_ROOT
                } else {
                    match self.next(at, second) {
                        Some((at, _)) => at,
                        None => continue,
                    }
                };
                if let Some(e) = pairs.get_mut(usize::from(first) << 8 | usize::from(second)) {
                    *e = entry;
                }
            }
        }
        Starts { root, pairs }
    }

    /// Calls `on_match(phrase, start, end)` for each phrase of `starts` that starts at
    /// `start`, taking the first two bytes in one look-up where the first is ASCII.
    #[inline(always)]
    fn walk_pair(
        &self,
        starts: &Starts,
        b: &[u8],
        start: usize,
        on_match: &mut impl FnMut(usize, usize, usize),
    ) {
        let (Some(&first), Some(&second)) = (b.get(start), b.get(start + 1)) else {
            return self.walk(starts.root, b, start, on_match);
        };
        match starts
            .pairs
            .get(usize::from(first) << 8 | usize::from(second))
        {
            Some(&NO_WALK) => {}
            None | Some(&FROM_ROOT) => self.walk(starts.root, b, start, on_match),
            Some(&slot) => self.walk_on(slot, b, start, start + 2, on_match),
        }
    }

    /// Whether a phrase under `root` can start with this byte.
    #[inline]
    fn opens(&self, root: Root, byte: u8) -> bool {
        self.next(root.slot, byte).is_some()
    }

    /// Calls `on_match(phrase, start, end)` for each phrase under `root` that starts at
    /// `start`.
    #[inline]
    fn walk(
        &self,
        root: Root,
        b: &[u8],
        start: usize,
        on_match: &mut impl FnMut(usize, usize, usize),
    ) {
        self.walk_from(root.base, b, start, start, on_match);
    }

    /// [`Trie::walk`] from the node in `slot`, reached by the bytes `start..end`: its phrase
    /// first, then on.
    #[inline]
    fn walk_on(
        &self,
        slot: u32,
        b: &[u8],
        start: usize,
        end: usize,
        on_match: &mut impl FnMut(usize, usize, usize),
    ) {
        let Some(&node) = self.slots.get(slot as usize) else {
            return;
        };
        if node.reports(b, end) {
            self.report(slot, start, end, on_match);
        }
        self.walk_from(node.base(), b, start, end, on_match);
    }

    /// The steps of a walk from `start`, now at the node with `base` after `start..end`.
    #[inline]
    fn walk_from(
        &self,
        mut base: u32,
        b: &[u8],
        start: usize,
        mut end: usize,
        on_match: &mut impl FnMut(usize, usize, usize),
    ) {
        // The node's base comes with the node: one lookup a byte.
        while let Some(&byte) = b.get(end) {
            let at = base.wrapping_add(u32::from(byte));
            let Some(&node) = self.slots.get(at as usize).filter(|n| n.holds(byte)) else {
                return;
            };
            base = node.base();
            end += 1;
            if node.reports(b, end) {
                self.report(at, start, end, on_match);
            }
        }
    }

    /// Calls `on_match` for the phrase that ends at the node in `slot`, reached by
    /// `start..end`. Out of line: the walks that call it keep their registers.
    #[inline(never)]
    fn report(
        &self,
        slot: u32,
        start: usize,
        end: usize,
        on_match: &mut impl FnMut(usize, usize, usize),
    ) {
        let phrase = self.phrase_at.get(slot as usize).copied().unwrap_or(NONE);
        if phrase != NONE {
            on_match(phrase as usize, start, end);
        }
    }
}

/// What the phrase pass notes besides cue hits: bad-word hits for the token pass, and whether a
/// month, a street word or an age word shows (hints for the identifier and age patterns).
#[derive(Default)]
struct Marks {
    word_hits: Vec<(usize, usize)>,
    /// Where role words start (see [`ROLE_WORDS`]).
    roles: Vec<usize>,
    month: bool,
    street: bool,
    age_word: bool,
    /// A code word as a whole word (see [`CODE_WORDS`]).
    code_word: bool,
}

/// Whether the match at `start..end` of the folded text `f` lies in a plain lowercase word
/// that is no inflection of it ("nig" in "night"): the token pass would find no bad word there
/// (any entry the word is an inflection of has a hit of its own), so it need not look.
fn in_plain_word_not_inflected(f: &str, start: usize, end: usize) -> bool {
    let b = f.as_bytes();
    // Ends a token without being part of it, or is no byte at all.
    let ends_token = |c: Option<&u8>| c.is_none_or(|&c| TOKEN_BYTES[usize::from(c)] == 0);
    let rest_len = b.get(end..).map_or(0, |r| {
        r.iter().take_while(|c| c.is_ascii_lowercase()).count()
    });
    let (Some(word), Some(rest)) = (f.get(start..end), f.get(end..end + rest_len)) else {
        return false;
    };
    ends_token(start.checked_sub(1).and_then(|i| b.get(i)))
        && ends_token(b.get(end + rest_len))
        && word.bytes().all(|c| c.is_ascii_lowercase())
        && !words::is_inflection(word, rest)
}

/// Notes in `marks` the targets other than cues of a phrase matched at `start..end` of the
/// folded text `f`; `whole` when the match stands as whole words.
#[inline(never)]
fn mark_targets(
    f: &str,
    targets: &[Target],
    start: usize,
    end: usize,
    whole: bool,
    marks: &mut Marks,
) {
    for target in targets {
        match *target {
            // Cues are kept apart (see `Phrase`).
            Target::Cue { .. } => {}
            Target::Word { growth } => {
                // A bad word that starts inside a longer word (class, Sussex) can only count
                // when the entry may grow in front.
                let starts_word = match start.checked_sub(1).and_then(|i| f.as_bytes().get(i)) {
                    None => true,
                    Some(c) if c.is_ascii() => !c.is_ascii_alphanumeric(),
                    Some(_) => !f
                        .get(..start)
                        .and_then(|b| b.chars().next_back())
                        .is_some_and(char::is_alphanumeric),
                };
                let counts = match growth {
                    Growth::Infix => true,
                    Growth::Suffix => starts_word,
                    Growth::Inflections => {
                        starts_word && !in_plain_word_not_inflected(f, start, end)
                    }
                };
                if counts {
                    marks.word_hits.push((start, end));
                }
            }
            Target::Month => marks.month |= whole,
            Target::AgeWord if marks.age_word => {}
            Target::AgeWord => {
                // Right after a number ("61yo", "94 years") or as its own word.
                let after_number = f
                    .get(..start)
                    .map(str::trim_end)
                    .and_then(|b| b.chars().next_back())
                    .is_some_and(|c| c.is_ascii_digit());
                marks.age_word |= after_number
                    && !f
                        .get(end..)
                        .and_then(|r| r.chars().next())
                        .is_some_and(char::is_alphabetic);
                marks.age_word |= end - start > 3 && whole;
            }
            Target::Street => marks.street |= whole,
            Target::Role => marks.roles.push(start),
            Target::CodeWord => marks.code_word |= whole,
        }
    }
}

/// Replaces each identifier finding's span with its marker. Overlapping spans are merged.
pub fn redact_with(text: &str, findings: &[Finding]) -> String {
    let mut spans: Vec<(usize, usize, &'static str)> = findings
        .iter()
        .filter(|f| f.kind.is_identifier())
        .map(|f| (f.start, f.end, f.kind.redaction_marker()))
        .collect();
    spans.sort_by_key(|s| (s.0, std::cmp::Reverse(s.1)));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end, marker) in spans {
        if start < at {
            at = at.max(end);
            continue;
        }
        out.push_str(text.get(at..start).unwrap_or(""));
        out.push_str(marker);
        at = end;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    out
}

fn kind_of(category: Category) -> Kind {
    match category {
        Category::HealthInformation => Kind::HealthDetail,
        Category::StaffPersonalData => Kind::PersonalDetail,
        Category::Discrimination => Kind::Remark,
        Category::ImageryConsent => Kind::Media,
        Category::DisclaimerMissing => Kind::Opinion,
        _ => Kind::Cue,
    }
}

/// The presence bits a scored rule cannot do without (see [`Source::Score`]): the signals of
/// its largest positive weights, taken until the rest could not reach the threshold. The
/// margin covers the order of float additions.
fn needed_bits(weights: &[(Signal, f32)], threshold: f32, groups: usize) -> Option<Vec<u64>> {
    let mut positive: Vec<&(Signal, f32)> = weights.iter().filter(|(_, w)| *w > 0.0).collect();
    positive.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut rest: f32 = positive.iter().map(|(_, w)| *w).sum();
    let mut needs = vec![0u64; (groups + FEATURE_COUNT).div_ceil(64)];
    for (signal, weight) in positive {
        if rest + 1e-3 < threshold {
            break;
        }
        for bit in signal.bits(groups)? {
            *needs.get_mut(bit / 64)? |= 1 << (bit % 64);
        }
        rest -= weight;
    }
    (rest + 1e-3 < threshold).then_some(needs)
}

/// The first place of the best-weighted positive evidence, when the weights present reach the
/// threshold. Presence alone decides whether they do: most rules weighed fall short, and then
/// no hit is looked up.
fn score(
    weights: &[(Signal, f32)],
    tests: &[(Presence, f32)],
    threshold: f32,
    d: &Detections,
) -> Option<Hit> {
    let bits = d.groups.present.as_slice();
    let signal = |i: usize| weights.get(i).map(|(signal, _)| signal);
    let mut total = 0.0f32;
    // The best weight and its index.
    let mut best: Option<(f32, usize)> = None;
    for (i, (test, weight)) in tests.iter().enumerate() {
        // Most tests are of one mask, told apart from the rest by one branch.
        let present = match test {
            Presence::Mask(word, mask) => mask_set(bits, *word, *mask),
            other => other.shows(bits, signal(i), d),
        };
        if present {
            total += weight;
            if *weight > 0.0 && best.is_none_or(|(w, _)| *weight > w) {
                best = Some((*weight, i));
            }
        }
    }
    if total >= threshold {
        signal(best?.1)?.first(d)
    } else {
        None
    }
}

/// The last birth year of people past working age: a date of birth this early is no
/// colleague's.
const RETIRED_BY: u32 = 1957;

/// Words after a clinical term that make it a service or a subject of work ("the stroke
/// unit", "the ECG session"), not anyone's health.
const WORK_AFTER_CLINICAL: [&str; 18] = [
    "unit",
    "ward",
    "team",
    "clinic",
    "service",
    "services",
    "session",
    "sessions",
    "training",
    "course",
    "teaching",
    "specialist",
    "nurse",
    "nurses",
    "lead",
    "consultant",
    "department",
    "pathway",
];

/// Whether the word after a clinical term ending at `end` makes it a service or a subject of
/// work (see [`WORK_AFTER_CLINICAL`]).
fn names_work(text: &str, end: usize) -> bool {
    let Some(rest) = text.get(end..).and_then(|r| r.strip_prefix(' ')) else {
        return false;
    };
    let word = rest
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    WORK_AFTER_CLINICAL
        .iter()
        .any(|w| w.eq_ignore_ascii_case(word))
}

fn distance(a: &Hit, b: &Hit) -> usize {
    b.start
        .saturating_sub(a.end)
        .max(a.start.saturating_sub(b.end))
}

/// ASCII word characters (letters, digits, `_`), by byte.
const WORD_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = c.is_ascii_alphanumeric() || c == b'_';
        i += 1;
    }
    t
};

/// Whether the character that ends just before `at` is a word character.
#[inline]
fn word_char_before(f: &str, at: usize) -> bool {
    match at.checked_sub(1).and_then(|i| f.as_bytes().get(i)) {
        None => false,
        Some(&c) if c.is_ascii() => WORD_BYTES[usize::from(c)],
        Some(_) => f
            .get(..at)
            .and_then(|b| b.chars().next_back())
            .is_some_and(is_word_char),
    }
}

/// "New AF, started apixaban": atrial fibrillation, written in capitals in a post that is not
/// (and is about care).
fn is_clinical_capitals(text: &str, hit: &Hit) -> bool {
    text.get(hit.start..hit.end) == Some("AF") && text.bytes().any(|c| c.is_ascii_lowercase())
}

/// Whether the character that starts at `at` is a word character.
#[inline]
fn word_char_at(f: &str, at: usize) -> bool {
    match f.as_bytes().get(at) {
        None => false,
        Some(&c) if c.is_ascii() => WORD_BYTES[usize::from(c)],
        Some(_) => f
            .get(at..)
            .and_then(|r| r.chars().next())
            .is_some_and(is_word_char),
    }
}

/// Whether a token hides letters: a symbol or digit standing between letters (`sh1t`,
/// `f*ck`, `w@nker`) or a trailing mask (`c**`). Hashtags, times (`2pm`) and ordinals
/// (`13th`) are not disguises.
fn is_disguised(token: &str) -> bool {
    let body = token.trim_start_matches('#');
    if body.is_ascii() {
        return is_disguised_ascii(body.as_bytes());
    }
    is_disguised_chars(body)
}

/// [`is_disguised`] of a token without its leading `#`s, character by character.
fn is_disguised_chars(body: &str) -> bool {
    let letters = body.chars().filter(|c| c.is_alphabetic()).count();
    if letters == 0 || letters == body.chars().count() {
        return false;
    }
    let first_letter = body.find(char::is_alphabetic).unwrap_or(0);
    let tail = body.get(first_letter..).unwrap_or("");
    tail.chars()
        .any(|c| !c.is_alphabetic() && (!c.is_ascii_digit() || tail.ends_with(char::is_alphabetic)))
        && !(body.starts_with(|c: char| c.is_ascii_digit())
            && tail.chars().all(char::is_alphabetic))
}

/// [`is_disguised`] of an ASCII token without its leading `#`s, byte by byte.
fn is_disguised_ascii(body: &[u8]) -> bool {
    let letters = body.iter().filter(|c| c.is_ascii_alphabetic()).count();
    if letters == 0 || letters == body.len() {
        return false;
    }
    let first_letter = body.iter().position(u8::is_ascii_alphabetic).unwrap_or(0);
    let tail = body.get(first_letter..).unwrap_or(&[]);
    let ends_with_letter = tail.last().is_some_and(u8::is_ascii_alphabetic);
    tail.iter()
        .any(|c| !c.is_ascii_alphabetic() && (!c.is_ascii_digit() || ends_with_letter))
        && !(body.first().is_some_and(u8::is_ascii_digit)
            && tail.iter().all(u8::is_ascii_alphabetic))
}

/// Token spans for bad-word detection, in order: letters, digits and the symbols used to
/// disguise letters. A hyphen ends a token; `!`, `|` and `'` count only inside a word, before a
/// letter or digit. Streamed a byte at a time for ASCII, so a text is walked once without a
/// list of tokens.
struct Tokens<'a> {
    f: &'a str,
    at: usize,
}

/// A token and whether it is all ASCII lowercase letters (then it hides nothing).
#[derive(Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
    lowercase: bool,
}

/// Byte classes for [`Tokens`]: a lowercase ASCII letter, another character that is part of a
/// token (digit, capital, `*$@#_`), one that is part of it only inside a word (`!|'`), and the
/// first byte of a character outside ASCII (decided per character).
const LOWER: u8 = 1;
const PART: u8 = 2;
const INNER: u8 = 4;
const WIDE: u8 = 8;
const TOKEN_BYTES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = if c.is_ascii_lowercase() {
            LOWER
        } else if c.is_ascii_alphanumeric() || matches!(c, b'*' | b'$' | b'@' | b'#' | b'_') {
            PART
        } else if matches!(c, b'!' | b'|' | b'\'') {
            INNER
        } else if c >= 0x80 {
            WIDE
        } else {
            0
        };
        i += 1;
    }
    t
};

impl<'a> Tokens<'a> {
    fn new(f: &'a str) -> Tokens<'a> {
        Tokens { f, at: 0 }
    }

    /// The tokens from byte `at` on, which must be a char boundary outside a token.
    fn from(f: &'a str, at: usize) -> Tokens<'a> {
        Tokens { f, at }
    }

    /// The class of the character at byte `i` ([`LOWER`], [`PART`], [`INNER`] or 0) and its
    /// length in bytes.
    #[inline]
    fn class_at(&self, i: usize) -> Option<(u8, usize)> {
        let class = TOKEN_BYTES[usize::from(*self.f.as_bytes().get(i)?)];
        if class != WIDE {
            return Some((class, 1));
        }
        let c = self.f.get(i..)?.chars().next()?;
        let class = if c.is_alphanumeric() { PART } else { 0 };
        Some((class, c.len_utf8()))
    }
}

/// The tokens of a text (see [`Tokens`]) that hold the start of a lexicon hit or a character
/// other than a lowercase ASCII letter, in order, and perhaps a few others: the only ones that
/// can hold a bad word when no letter is stretched. From each byte that may be such a character
/// ([`next_mark`]) or hit start, the tokens are read again from the last ASCII byte before it
/// that no token holds: the plain lowercase words between are passed over without being read.
fn suspect_tokens<'a>(
    f: &'a str,
    word_hits: &'a [(usize, usize)],
) -> impl Iterator<Item = Token> + 'a {
    let b = f.as_bytes();
    let mut hits = word_hits.iter().map(|h| h.0).peekable();
    // Where the tokens are read on from: the end of a token, or 0.
    let mut at = 0;
    let mut mark = next_mark(b, 0);
    std::iter::from_fn(move || {
        loop {
            if mark.is_some_and(|m| m < at) {
                mark = next_mark(b, at);
            }
            while hits.next_if(|&h| h < at).is_some() {}
            let p = mark.into_iter().chain(hits.peek().copied()).min()?;
            // Between `at` and `p` are only lowercase letters and ASCII bytes that end tokens.
            let from = b
                .get(at..p)
                .and_then(|between| {
                    between
                        .iter()
                        .rposition(|&c| TOKEN_BYTES[usize::from(c)] == 0)
                })
                .map_or(at, |i| at + i + 1);
            let mut tokens = Tokens::from(f, from);
            let token = loop {
                let token = tokens.next()?;
                // The tokens before `p` are plain words that hold no hit.
                if token.end > p {
                    break token;
                }
            };
            at = token.end;
            // `p` may be in no token (an emoji, a lone `'`): then the token after it is looked
            // at as a token found from its own start would be.
            let mut holds_hit = || {
                while hits.next_if(|&h| h < token.start).is_some() {}
                hits.peek().is_some_and(|&h| h < token.end)
            };
            if token.start <= p || !token.lowercase || holds_hit() {
                return Some(token);
            }
        }
    })
}

/// The first byte at or after `from` that is part of a token but not a lowercase letter (a
/// [`PART`] or [`INNER`] byte) or that leads a character outside ASCII. Most bytes of a text are
/// lowercase letters, spaces and punctuation, so this looks at sixteen bytes at a time for any
/// byte that may be one: from `!` to `*`, from `0` to `Z`, one at least `|` once bit 5 is set
/// (`_`, `|` and the rare `\`, `]`, `^`, `}`, `~`), or one outside ASCII. Each is then checked
/// exactly. Not inlined, so that the loop has registers for its constants.
#[inline(never)]
fn next_mark(b: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Bit 7 of each byte that may be a mark.
    let may = |w: u64| {
        // With bit 7 cleared, adding `0x80 - lo` to a byte sets its bit 7 exactly when it is
        // at least `lo`, and carries into no other byte; at least `lo` but not `hi + 1` is a
        // byte from `lo` to `hi`.
        let low = w & !HIGH;
        let at_least = |lo: u8| low.wrapping_add(u64::from(0x80 - lo) * ONES);
        let within = |lo: u8, hi: u8| at_least(lo) ^ at_least(hi + 1);
        (within(b'!', b'*')
            | within(b'0', b'Z')
            | (low | (0x20 * ONES)).wrapping_add(u64::from(0x80 - b'|') * ONES)
            | w)
            & HIGH
    };
    let is_mark = |c: u8| TOKEN_BYTES[usize::from(c)] & (PART | INNER | WIDE) != 0;
    let rest = b.get(from..)?;
    // Sixteen bytes a round, as two words.
    let mut chunks = rest.chunks_exact(16);
    let mut at = from;
    for chunk in &mut chunks {
        let Ok(sixteen) = <[u8; 16]>::try_from(chunk) else {
            break;
        };
        let words = u128::from_le_bytes(sixteen);
        let (first, second) = (may(words as u64), may((words >> 64) as u64));
        if first | second != 0 {
            for (mut bits, base) in [(first, at), (second, at + 8)] {
                while bits != 0 {
                    let i = base + bits.trailing_zeros() as usize / 8;
                    if b.get(i).is_some_and(|&c| is_mark(c)) {
                        return Some(i);
                    }
                    bits &= bits - 1;
                }
            }
        }
        at += 16;
    }
    let i = chunks.remainder().iter().position(|&c| is_mark(c))?;
    Some(at + i)
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let b = self.f.as_bytes();
        // A token starts at a letter, digit or `*$@#_`.
        loop {
            let class = TOKEN_BYTES[usize::from(*b.get(self.at)?)];
            if class & (LOWER | PART) != 0 {
                break;
            }
            let (class, len) = if class == WIDE {
                self.class_at(self.at)?
            } else {
                (class, 1)
            };
            if class & (LOWER | PART) != 0 {
                break;
            }
            self.at += len;
        }
        let start = self.at;
        let mut seen = 0u8;
        while let Some(&c) = b.get(self.at) {
            let mut class = TOKEN_BYTES[usize::from(c)];
            // Most bytes of a token are letters and digits.
            if class & (LOWER | PART) != 0 {
                seen |= class;
                self.at += 1;
                continue;
            }
            let mut len = 1;
            if class == WIDE {
                (class, len) = self.class_at(self.at).unwrap_or((0, 1));
            } else if class == INNER
                && !self
                    .f
                    .get(self.at + 1..)
                    .and_then(|r| r.chars().next())
                    .is_some_and(char::is_alphanumeric)
            {
                class = 0;
            }
            if class == 0 {
                break;
            }
            seen |= class;
            self.at += len;
        }
        Some(Token {
            start,
            end: self.at,
            lowercase: seen == LOWER,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the character before `at` is a letter.
    fn letter_before(f: &str, at: usize) -> bool {
        match at.checked_sub(1).and_then(|i| f.as_bytes().get(i)) {
            None => false,
            Some(c) if c.is_ascii() => c.is_ascii_alphabetic(),
            Some(_) => f
                .get(..at)
                .and_then(|b| b.chars().next_back())
                .is_some_and(char::is_alphabetic),
        }
    }

    /// Pieces of texts near every part of the age pattern, and what may trip up a window
    /// around a number: other scripts' digits and spaces, word characters next to numbers.
    #[rustfmt::skip]
    const AGE_PIECES: &[&str] = &[
        "58", "5", "100", "1234", "0", "yo", "y/o", "yr", "yrs", "yr old", "year", "years old",
        "-year-old", "year-old", "-yr-old", "m", "f", "aged", "aged ", "(", ")", ",", ", ", " ",
        "  ", "a", "z", "x", "_", "é", "\u{3000}", "\u{a0}", "\u{2028}", "٣", "\n", ".", "-",
        "mo", "smith", "old", "years",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// Searching around the numbers finds the ages searching the whole text finds.
        #[test]
        fn ages_near_numbers_are_the_ages_everywhere(
            pieces in proptest::collection::vec(proptest::sample::select(AGE_PIECES.to_vec()), 0..16)
        ) {
            let text = pieces.concat();
            let age = Regex::new(AGE).unwrap();
            let mut near = Vec::new();
            each_near_number(&age, &text, &AGE_REACH, |s, e| near.push((s, e)));
            let everywhere: Vec<_> = age.find_iter(&text).map(|m| (m.start(), m.end())).collect();
            proptest::prop_assert_eq!(near, everywhere, "{:?}", text);
        }
    }

    /// The phrase pass as a byte-at-a-time reference: a walk from the root at every place,
    /// anchored phrases only where no letter comes before.
    fn phrases_reference(scanner: &Scanner, f: &str) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        for start in (0..f.len()).filter(|&i| f.is_char_boundary(i)) {
            let mut push = |p, s, e| found.push((p, s, e));
            if !letter_before(f, start) {
                scanner
                    .trie
                    .walk(scanner.anchored.root, f.as_bytes(), start, &mut push);
            }
            scanner
                .trie
                .walk(scanner.free.root, f.as_bytes(), start, &mut push);
        }
        found
    }

    fn baseline() -> &'static Scanner {
        static SCANNER: std::sync::OnceLock<Scanner> = std::sync::OnceLock::new();
        SCANNER.get_or_init(|| match Scanner::load("nhs-baseline", &crate::Builtin) {
            Ok(scanner) => scanner,
            Err(e) => panic!("nhs-baseline: {e}"),
        })
    }

    /// `@workplace` is looked for only where it could change a finding: over every labelled
    /// post, as written and with a workplace signature and an opinion added, what is found
    /// with the feature gated is what is found with every feature looked for.
    #[test]
    fn gated_features_change_no_finding() {
        let scanner = baseline();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
        let mut posts = 0;
        for sub in ["labelled", "heldout"] {
            let mut files: Vec<_> = std::fs::read_dir(root.join(sub))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            files.sort();
            for path in files {
                for line in std::fs::read_to_string(&path).unwrap().lines() {
                    let item: serde_json::Value = serde_json::from_str(line).unwrap();
                    let text = item["text"].as_str().unwrap();
                    posts += 1;
                    for text in [
                        text.to_owned(),
                        format!("{text} Nurse at Darent Valley"),
                        format!("{text} Nurse at Darent Valley. Honestly a disgrace"),
                    ] {
                        let mut scratch = Scratch::new();
                        let gated = scanner.apply_rules(scanner.detect(&text, &mut scratch, false));
                        let full = scanner.apply_rules(scanner.detect(&text, &mut scratch, true));
                        assert_eq!(gated, full, "{text}");
                    }
                }
            }
        }
        assert!(posts > 1000, "{posts} labelled posts");
        // The gate does keep the pattern from texts where it cannot count.
        let mut scratch = Scratch::new();
        let quiet = scanner.detect("Nurse at Darent Valley, lovely shift", &mut scratch, false);
        assert!(!scanner.workplace_gate.holds(&quiet.groups.present));
        let opinion = scanner.detect("Nurse at Darent Valley. A disgrace", &mut scratch, false);
        assert!(scanner.workplace_gate.holds(&opinion.groups.present));
    }

    /// Pieces of texts with and without a workplace in them.
    const WORKPLACE_PIECES: &[&str] = &[
        "nurse",
        "Nurse",
        "NURSE",
        "nurses",
        "sister",
        "reg",
        "regs",
        "registrar",
        "band",
        "Band 5",
        "5",
        "13",
        "years",
        " years",
        "i work",
        "I work",
        "i've worked",
        "I worked",
        "work",
        "working",
        "here",
        "there",
        "team",
        "staff",
        "gp",
        "with",
        "at",
        "At",
        "in",
        "on",
        "for",
        "the",
        "The",
        "Darent",
        "Valley",
        "A&E",
        "Kent",
        "you",
        "looking for",
        ",",
        ", ",
        " ",
        " ",
        "  ",
        "\t",
        "\n",
        ".",
        "_",
        "x",
        "a",
        "é",
        "’",
    ];

    /// Every word the workplace pattern can start with is a role word the phrase pass marks
    /// (a number of years by its "years", a band by its "band").
    #[test]
    fn role_words_are_the_workplace_pattern_s_first_words() {
        let first = WORKPLACE
            .split("(?i:")
            .nth(1)
            .and_then(|rest| rest.split(')').next())
            .unwrap();
        let words: Vec<&str> = first
            .split('|')
            .map(|w| match w {
                r"band \d" => "band",
                r"\d+ years" => "years",
                w => w,
            })
            .collect();
        assert_eq!(words, ROLE_WORDS);
        let others: Vec<&str> = WORKPLACE.split("(?-u:\\b)(?i:").skip(2).collect();
        assert_eq!(others.len(), 2);
        for alternative in others {
            let list = alternative.split(')').next().unwrap();
            for w in list.split('|') {
                let w = if w == r"band \d" { "band" } else { w };
                assert!(ROLE_WORDS.contains(&w), "{w}");
            }
        }
    }

    /// The workplace of a text, as `detect` finds it.
    fn workplace_of(text: &str) -> Option<&str> {
        let mut scratch = Scratch::new();
        let d = baseline().detect(text, &mut scratch, true);
        d.feature_first[Feature::Workplace as usize].and_then(|h| text.get(h.start..h.end))
    }

    #[test]
    fn workplaces_start_at_role_words_or_numbers_of_years() {
        assert_eq!(
            workplace_of("13 years at Kent, love it"),
            Some("13 years at Kent")
        );
        assert_eq!(
            workplace_of("I've worked 5 years at Darent"),
            Some("5 years at Darent")
        );
        assert_eq!(
            workplace_of("Band 5 nurse at Kent"),
            Some("Band 5 nurse at Kent")
        );
        assert_eq!(
            workplace_of("Are you a nurse at Kent? No, my sister is. Nurse, Darent"),
            Some("Nurse, Darent")
        );
        assert_eq!(workplace_of("x13 years at Kent"), None);
        assert_eq!(
            workplace_of("12 YEARS AT NINEWELLS"),
            Some("12 YEARS AT NINEWELLS")
        );
        assert_eq!(
            workplace_of("Proud nurse at Kent 😊"),
            Some("nurse at Kent")
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// The workplace found from the role words is the one a search of the whole text finds.
        #[test]
        fn workplaces_from_role_words_are_the_workplaces_everywhere(
            pieces in proptest::collection::vec(proptest::sample::select(WORKPLACE_PIECES.to_vec()), 0..14),
            joiners in proptest::collection::vec(proptest::sample::select(vec!["", " ", "  "]), 14),
        ) {
            let text: String = pieces.iter().zip(&joiners).flat_map(|(p, j)| [*p, *j]).collect();
            let scanner = baseline();
            let mut scratch = Scratch::new();
            let d = scanner.detect(&text, &mut scratch, true);
            let got = d.feature_first[Feature::Workplace as usize].map(|h| (h.start, h.end));
            let staff = scanner.groups.staff_self.is_some_and(|g| d.groups.has(g));
            let want = scanner
                .workplace
                .find_iter(&text)
                .find(|m| {
                    let mut buf = [0u8; 24];
                    let before = crate::text::lower_tail(&text, m.start(), &mut buf);
                    !(before.contains("you") || before.contains("looking for"))
                })
                .filter(|_| staff)
                .map(|m| (m.start(), m.end()));
            proptest::prop_assert_eq!(got, want, "{:?}", text);
        }
    }

    proptest::proptest! {
        /// The phrase pass finds what a walk from every place finds, in order.
        #[test]
        fn the_phrase_pass_finds_every_phrase(
            text in "([a-z]{1,6}|fuck|shit|cunt|the|at the|nurse|ward|[0-9]{1,3}|yo|#|@|é|😂|[ .,'(\\[-])*",
        ) {
            let scanner = baseline();
            let f = Folded::new(&text);
            let mut got = Vec::new();
            scanner.each_phrase(f.as_str(), &mut |p, s, e| got.push((p, s, e)));
            proptest::prop_assert_eq!(got, phrases_reference(scanner, f.as_str()));
        }
    }

    proptest::proptest! {
        /// The suspects of any text are some of its tokens, in order, and among them every one
        /// that is not all lowercase ASCII letters or that holds a hit's start.
        #[test]
        fn suspect_tokens_hold_the_tokens_worth_classifying(
            text in "([a-c19 *$@#_!|'.A-Z-]|é|’|😂|ǅ|\u{200b}|٣){0,30}",
            starts in proptest::collection::btree_set(0usize..60, 0..4),
        ) {
            let hits: Vec<(usize, usize)> = starts.iter().map(|&s| (s, s + 1)).collect();
            let got: Vec<(usize, usize)> = suspect_tokens(&text, &hits)
                .map(|t| (t.start, t.end))
                .collect();
            let all: Vec<Token> = Tokens::new(&text).collect();
            let mut rest = all.iter().map(|t| (t.start, t.end));
            for g in &got {
                proptest::prop_assert!(rest.any(|t| t == *g), "{:?} not a token in order", g);
            }
            for t in &all {
                let wanted = !t.lowercase || starts.iter().any(|&s| (t.start..t.end).contains(&s));
                if wanted {
                    proptest::prop_assert!(got.contains(&(t.start, t.end)));
                }
            }
        }

        /// Sixteen bytes at a time find the first mark a byte at a time finds, in any bytes.
        #[test]
        fn next_mark_finds_the_first_mark(
            b in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40),
            from in 0usize..44,
        ) {
            let want = b.get(from..).and_then(|rest| {
                rest.iter()
                    .position(|&c| TOKEN_BYTES[usize::from(c)] & (PART | INNER | WIDE) != 0)
                    .map(|p| from + p)
            });
            proptest::prop_assert_eq!(next_mark(&b, from), want);
        }

        /// Bytes and characters tell the same disguises in ASCII.
        #[test]
        fn disguises_of_ascii_tokens_are_read_from_bytes(body in "[a-c19 *$@#_!|'.A-Z-]{0,12}") {
            proptest::prop_assert_eq!(
                is_disguised_ascii(body.as_bytes()),
                is_disguised_chars(&body)
            );
        }
    }

    proptest::proptest! {
        /// One pass over a handle finds what a substring search a word finds.
        #[test]
        fn handle_words_are_found_as_substrings(
            name in "(tv|fm|nhs|mail|hosp|news|[a-z0-9_é])*",
        ) {
            proptest::prop_assert_eq!(
                MEDIA_HANDLE_WORDS.found_in(&name),
                MEDIA_HANDLE_WORDS.words.iter().any(|w| name.contains(w))
            );
            proptest::prop_assert_eq!(
                TRUST_HANDLE_WORDS.found_in(&name),
                TRUST_HANDLE_WORDS.words.iter().any(|w| name.contains(w))
            );
        }
    }

    proptest::proptest! {
        /// The tail on the stack is the lowercase of the bytes before, as a `String` would be.
        #[test]
        fn lower_tails_are_the_lowercase_before(
            text in "[a-zA-Z .,]{0,50}|[a-zA-Zé ÉİK]{0,30}",
            at in 0usize..60,
        ) {
            let at = (0..=at.min(text.len())).rev().find(|&a| text.is_char_boundary(a)).unwrap_or(0);
            let mut from = at.saturating_sub(24);
            while !text.is_char_boundary(from) {
                from += 1;
            }
            let want = text.get(from..at).unwrap_or("").to_lowercase();
            let got = crate::text::lower_tail(&text, at, &mut [0u8; 24]).into_owned();
            proptest::prop_assert_eq!(got.as_str(), want.as_str());
        }
    }

    #[test]
    fn a_rule_needs_the_signals_the_rest_cannot_make_up_for() {
        let weights = [
            (Signal::Group(0), 0.6),
            (Signal::Group(1), 0.6),
            (Signal::Feature(Feature::Name), 0.3),
            (Signal::Group(2), -1.0),
        ];
        // Without group 0 the rest reach 0.9 at most: below 1.0, so group 0 is needed.
        assert_eq!(needed_bits(&weights, 1.0, 3), Some(vec![0b1]));
        // At 0.8, one of groups 0 and 1 is needed.
        assert_eq!(needed_bits(&weights, 0.8, 3), Some(vec![0b11]));
        // At 0.3 any of the three will do; a feature's bit comes after the groups.
        assert_eq!(
            needed_bits(&weights, 0.3, 3),
            Some(vec![0b11 | 1 << (3 + Feature::Name as usize)])
        );
        // A rule that fires on nothing needs nothing.
        assert_eq!(needed_bits(&weights, 0.0, 3), None);
    }

    #[test]
    fn tokens_keep_inner_marks_between_letters_only() {
        let spans: Vec<&str> = Tokens::new("don't sh!t !x f*ck 'tis a|b #nhs x- y")
            .filter_map(|t| "don't sh!t !x f*ck 'tis a|b #nhs x- y".get(t.start..t.end))
            .collect();
        assert_eq!(
            spans,
            ["don't", "sh!t", "x", "f*ck", "tis", "a|b", "#nhs", "x", "y"]
        );
    }

    /// A trie walk finds exactly the phrases that start where it starts, each once, whether it
    /// takes the first two bytes from the pair table or not.
    #[test]
    fn trie_walks_find_every_phrase_at_the_start() {
        let all: Vec<String> = [
            "a", "ab", "abc", "b", "bed", "bed 4", "be", "é", "éa", "#x", "zz", "m", "ma", "mab",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let ids: Vec<usize> = (0..all.len()).collect();
        let ends_word = vec![false; all.len()];
        let trie = Trie::new(&all, &[&ids], &ends_word);
        let root = trie.root(0);
        let starts = trie.starts(0);
        let text = "abc bed 4 zzz éab #x mab maabed";
        let b = text.as_bytes();
        for start in 0..b.len() {
            let mut found = Vec::new();
            trie.walk(root, b, start, &mut |p, s, e| found.push((p, s, e)));
            let mut paired = Vec::new();
            trie.walk_pair(&starts, b, start, &mut |p, s, e| paired.push((p, s, e)));
            assert_eq!(found, paired, "walk from a pair at {start}");
            let mut expected: Vec<(usize, usize, usize)> = all
                .iter()
                .enumerate()
                .filter(|(_, p)| b[start..].starts_with(p.as_bytes()))
                .map(|(i, p)| (i, start, start + p.len()))
                .collect();
            found.sort_unstable();
            expected.sort_unstable();
            assert_eq!(found, expected, "at {start}");
        }
        assert!(trie.opens(root, b'a') && trie.opens(root, b'#') && !trie.opens(root, b'q'));
    }
}
