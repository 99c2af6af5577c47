//! Policy packs: the data files in `policies/` that say what to look for and why.
//!
//! A pack is TOML. `[pack]` names it and may `extends` another; `[clauses.<category>]` gives
//! the trust's own clause for each category; `[rules.<id>]` turns detections into findings
//! with a severity, message and threshold; `[cues]` holds the phrase lists that scored rules
//! weigh; `[lexicons]` names the word lists of the built-in detectors. Lists are inline arrays
//! or the path of a text file beside the pack (one entry a line, `#` comments).
//!
//! This module only reads text it is given: where packs and files come from is the caller's
//! business, through [`PackSources`]. The engine itself never touches the file system.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::finding::{Category, Severity};

/// The text of a pack or of a file it names, and the path to show in errors.
#[derive(Debug, Clone)]
pub struct PackFile {
    pub path: String,
    pub text: String,
}

/// Where packs and the files they name come from.
pub trait PackSources {
    /// The pack called `id`, for `extends = "id"` and for loading by name.
    fn pack(&self, id: &str) -> Option<PackFile>;
    /// The file `relative` named by the pack at `pack_path`.
    fn file(&self, pack_path: &str, relative: &str) -> Option<PackFile>;
}

/// A pack that cannot be used, with where the problem is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PackError {
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("no policy pack called `{0}`")]
    NotFound(String),
    #[error("{path}: `{relative}` not found")]
    FileNotFound { path: String, relative: String },
    #[error("packs extend each other in a loop: {0}")]
    Cycle(String),
}

/// The detectors written in code that a rule can take its detections from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Detector {
    NhsNumber,
    HospitalNumber,
    Name,
    Dob,
    Postcode,
    Address,
    Phone,
    Email,
    OffensiveWord,
    Slur,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    pack: RawMeta,
    #[serde(default)]
    clauses: BTreeMap<Category, RawClause>,
    #[serde(default)]
    rules: BTreeMap<String, RawRule>,
    #[serde(default)]
    cues: BTreeMap<String, RawList>,
    #[serde(default)]
    lexicons: RawLexicons,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    id: String,
    title: String,
    #[serde(default)]
    document: Option<String>,
    #[serde(default)]
    extends: Option<String>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawClause {
    cite: String,
    text: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
struct RawRule {
    category: Option<Category>,
    severity: Option<Severity>,
    message: Option<String>,
    clause: Option<String>,
    threshold: Option<f32>,
    enabled: Option<bool>,
    detector: Option<Detector>,
    score: Option<BTreeMap<String, f32>>,
}

#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum RawList {
    File(String),
    Inline(Vec<String>),
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLexicons {
    first_names: Option<RawList>,
    surnames: Option<RawList>,
    name_ambiguous: Option<RawList>,
    public_names: Option<RawList>,
    offensive: Option<RawList>,
    offensive_allow: Option<RawList>,
    slurs: Option<RawList>,
}

/// One clause of a trust's policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// The citation, e.g. `tsdft §9.6.1`.
    pub cite: String,
    /// A short quotation or statement of the clause.
    pub text: String,
}

/// What a rule takes its evidence from.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleSource {
    /// A detector written in code.
    Detector(Detector),
    /// Weighted cue groups and features; the rule fires when the weights of those present
    /// reach the threshold. A key `a|b` counts once when any of its groups is present.
    Score(Vec<(String, f32)>),
}

/// A rule after `extends` is resolved: complete and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSpec {
    pub id: String,
    pub category: Category,
    pub severity: Severity,
    pub message: String,
    pub clause: Clause,
    pub threshold: f32,
    pub source: RuleSource,
}

/// A pack with `extends` resolved and every list read: what the scanner is built from.
#[derive(Debug, Clone)]
pub struct PackSpec {
    pub id: String,
    pub title: String,
    pub document: Option<String>,
    /// The packs this one extends, nearest first.
    pub extends: Vec<String>,
    pub clauses: BTreeMap<Category, Clause>,
    pub rules: Vec<RuleSpec>,
    pub cues: BTreeMap<String, Vec<String>>,
    pub lexicons: Lexicons,
}

/// The word lists of the built-in detectors.
#[derive(Debug, Clone, Default)]
pub struct Lexicons {
    pub first_names: Vec<String>,
    pub surnames: Vec<String>,
    pub name_ambiguous: Vec<String>,
    /// Full names of public figures and fictional characters, in lowercase: no one a post
    /// identifies.
    pub public_names: Vec<String>,
    pub offensive: Vec<String>,
    pub offensive_allow: Vec<String>,
    pub slurs: Vec<String>,
}

/// Names a feature the engine computes rather than reads from a cue list.
pub const FEATURES: [&str; 15] = [
    "@patient_identifier",
    "@staff_personal_data",
    "@name",
    "@offensive",
    "@slur",
    "@reply",
    "@mention",
    "@question",
    "@code_number",
    "@person_insult",
    "@workplace",
    "@media_handle",
    "@trust_handle",
    "@aimed_judgement",
    "@aimed_mockery",
];

/// Reads the pack `id` from `sources`, resolving `extends`.
pub fn load(id: &str, sources: &dyn PackSources) -> Result<PackSpec, PackError> {
    let file = sources
        .pack(id)
        .ok_or_else(|| PackError::NotFound(id.to_owned()))?;
    load_file(&file, sources)
}

/// Reads the pack in `file`, resolving `extends` through `sources`.
pub fn load_file(file: &PackFile, sources: &dyn PackSources) -> Result<PackSpec, PackError> {
    // Collect the chain: this pack, then what it extends, and so on.
    let mut chain: Vec<(PackFile, RawPack)> = Vec::new();
    let mut next = Some(file.clone());
    while let Some(file) = next.take() {
        let raw: RawPack = toml::from_str(&file.text).map_err(|e| toml_error(&file, &e))?;
        if chain.iter().any(|(_, r)| r.pack.id == raw.pack.id) {
            let mut ids: Vec<&str> = chain.iter().map(|(_, r)| r.pack.id.as_str()).collect();
            ids.push(&raw.pack.id);
            return Err(PackError::Cycle(ids.join(" → ")));
        }
        if let Some(parent) = &raw.pack.extends {
            next = Some(sources.pack(parent).ok_or_else(|| {
                invalid(
                    &file,
                    "pack",
                    "extends",
                    format!("extends `{parent}`, which is not a known pack"),
                )
            })?);
        }
        chain.push((file, raw));
    }

    let mut clauses: BTreeMap<Category, Clause> = BTreeMap::new();
    let mut rules: BTreeMap<String, (RawRule, PackFile)> = BTreeMap::new();
    let mut cues: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut lexicons = Lexicons::default();

    // Apply from the root of the chain to the pack itself, so nearer packs win.
    for (file, raw) in chain.iter().rev() {
        for (category, clause) in &raw.clauses {
            clauses.insert(
                *category,
                Clause {
                    cite: clause.cite.clone(),
                    text: clause.text.clone(),
                },
            );
        }
        for (id, rule) in &raw.rules {
            let merged = match rules.remove(id) {
                Some((base, _)) => merge_rule(base, rule.clone()),
                None => rule.clone(),
            };
            rules.insert(id.clone(), (merged, file.clone()));
        }
        for (group, list) in &raw.cues {
            let entries = read_list(file, list, sources)?;
            for entry in &entries {
                check_cue(file, group, entry)?;
            }
            cues.entry(group.clone()).or_default().extend(entries);
        }
        let l = &raw.lexicons;
        let set = |list: &Option<RawList>, into: &mut Vec<String>| {
            if let Some(list) = list {
                *into = read_list(file, list, sources)?;
            }
            Ok::<(), PackError>(())
        };
        set(&l.first_names, &mut lexicons.first_names)?;
        set(&l.surnames, &mut lexicons.surnames)?;
        set(&l.name_ambiguous, &mut lexicons.name_ambiguous)?;
        set(&l.public_names, &mut lexicons.public_names)?;
        set(&l.offensive, &mut lexicons.offensive)?;
        set(&l.offensive_allow, &mut lexicons.offensive_allow)?;
        set(&l.slurs, &mut lexicons.slurs)?;
    }

    let mut specs = Vec::new();
    for (id, (rule, file)) in rules {
        if rule.enabled == Some(false) {
            continue;
        }
        let field = |name: &str| {
            invalid(
                &file,
                &format!("rules.{id}"),
                name,
                format!("rule `{id}` has no `{name}`"),
            )
        };
        let category = rule.category.ok_or_else(|| field("category"))?;
        let clause = clauses.get(&category).cloned().ok_or_else(|| {
            invalid(
                &file,
                &format!("rules.{id}"),
                "category",
                format!("no `[clauses.{category}]` for rule `{id}`"),
            )
        })?;
        let clause = match rule.clause {
            Some(cite) => Clause {
                cite,
                text: clause.text,
            },
            None => clause,
        };
        let source = match (rule.detector, rule.score) {
            (Some(d), None) => RuleSource::Detector(d),
            (None, Some(score)) => {
                for name in score.keys().flat_map(|k| k.split(['|', '>', '~', '+'])) {
                    if !cues.contains_key(name) && !FEATURES.contains(&name) {
                        return Err(invalid(
                            &file,
                            &format!("rules.{id}.score"),
                            name,
                            format!(
                                "rule `{id}` weighs `{name}`, which is neither a cue group nor a feature ({})",
                                FEATURES.join(", ")
                            ),
                        ));
                    }
                }
                RuleSource::Score(score.into_iter().collect())
            }
            _ => {
                return Err(invalid(
                    &file,
                    &format!("rules.{id}"),
                    "detector",
                    format!("rule `{id}` needs exactly one of `detector` and `score`"),
                ));
            }
        };
        let threshold = rule.threshold.unwrap_or(1.0);
        if !threshold.is_finite() {
            return Err(invalid(
                &file,
                &format!("rules.{id}"),
                "threshold",
                format!("rule `{id}` has a threshold that is not a number"),
            ));
        }
        specs.push(RuleSpec {
            id: id.clone(),
            category,
            severity: rule.severity.ok_or_else(|| field("severity"))?,
            message: rule.message.ok_or_else(|| field("message"))?,
            clause,
            threshold,
            source,
        });
    }

    let (own_file, own) = match chain.first() {
        Some(first) => first,
        None => return Err(PackError::NotFound(file.path.clone())),
    };
    for category in Category::ALL {
        if !clauses.contains_key(&category) {
            return Err(invalid(
                own_file,
                "pack",
                "id",
                format!("pack `{}` has no `[clauses.{category}]`", own.pack.id),
            ));
        }
    }
    Ok(PackSpec {
        id: own.pack.id.clone(),
        title: own.pack.title.clone(),
        document: own.pack.document.clone(),
        extends: chain
            .iter()
            .skip(1)
            .map(|(_, r)| r.pack.id.clone())
            .collect(),
        clauses,
        rules: specs,
        cues,
        lexicons,
    })
}

fn merge_rule(base: RawRule, over: RawRule) -> RawRule {
    // A rule that names a new source replaces the old one whole.
    let (detector, score) = if over.detector.is_some() || over.score.is_some() {
        (over.detector, over.score)
    } else {
        (base.detector, base.score)
    };
    RawRule {
        category: over.category.or(base.category),
        severity: over.severity.or(base.severity),
        message: over.message.or(base.message),
        clause: over.clause.or(base.clause),
        threshold: over.threshold.or(base.threshold),
        enabled: over.enabled.or(base.enabled),
        detector,
        score,
    }
}

fn read_list(
    file: &PackFile,
    list: &RawList,
    sources: &dyn PackSources,
) -> Result<Vec<String>, PackError> {
    match list {
        RawList::Inline(items) => Ok(items
            .iter()
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty())
            .collect()),
        RawList::File(relative) => {
            let listed =
                sources
                    .file(&file.path, relative)
                    .ok_or_else(|| PackError::FileNotFound {
                        path: file.path.clone(),
                        relative: relative.clone(),
                    })?;
            Ok(listed
                .text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_lowercase)
                .collect())
        }
    }
}

fn check_cue(file: &PackFile, group: &str, entry: &str) -> Result<(), PackError> {
    let body = entry.strip_suffix('*').unwrap_or(entry);
    if body.trim().is_empty() || body.contains('*') {
        return Err(invalid(
            file,
            "cues",
            group,
            format!("cue `{entry}` in `{group}` is empty or has `*` other than at its end"),
        ));
    }
    Ok(())
}

fn toml_error(file: &PackFile, e: &toml::de::Error) -> PackError {
    let (line, column) = e
        .span()
        .map(|s| line_col(&file.text, s.start))
        .unwrap_or((1, 1));
    PackError::Invalid {
        path: file.path.clone(),
        line,
        column,
        message: e.message().trim().to_owned(),
    }
}

/// An error about `key` in `[table]`, placed at the key's line when it can be found.
fn invalid(file: &PackFile, table: &str, key: &str, message: String) -> PackError {
    let at = locate(&file.text, table, key).unwrap_or(0);
    let (line, column) = line_col(&file.text, at);
    PackError::Invalid {
        path: file.path.clone(),
        line,
        column,
        message,
    }
}

/// The byte offset of `key` in `[table]`: a `key = …` line under the table's header, or,
/// for an inline table (`score = { key = … }`), the key inside its parent's line.
fn locate(text: &str, table: &str, key: &str) -> Option<usize> {
    let header = format!("[{table}]");
    if let Some(from) = text.find(&header) {
        let mut lines = text.get(from..)?.split_inclusive('\n');
        let mut offset = from + lines.next().map_or(0, str::len);
        for line in lines {
            let indent = line.len() - line.trim_start().len();
            let trimmed = line.trim_start();
            if trimmed.starts_with('[') {
                break;
            }
            if trimmed.starts_with(key) || trimmed.starts_with(&format!("\"{key}\"")) {
                return Some(offset + indent);
            }
            offset += line.len();
        }
        return Some(from);
    }
    let (parent, last) = table.rsplit_once('.')?;
    let line_at = locate(text, parent, last)?;
    let line = text.get(line_at..)?.lines().next()?;
    Some(line_at + line.find(key).unwrap_or(0))
}

fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}
