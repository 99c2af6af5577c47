//! Finding packs: the shipped ones by id, or a pack file on disk that may extend them.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Subcommand};
use socialgov_engine::{Builtin, PackFile, PackSources, Scanner, pack_ids};

/// `--pack NAME|PATH`, shared by the commands that check text.
#[derive(Args, Clone)]
pub struct PackArg {
    /// A shipped pack's id (see `socialgov packs list`) or the path of a pack file.
    #[arg(long, short, default_value = "nhs-baseline", value_name = "NAME|PATH")]
    pub pack: String,
}

impl PackArg {
    pub fn load(&self) -> anyhow::Result<Scanner> {
        load(&self.pack)
    }
}

/// Builtin packs are named `builtin:policies/…` in errors, so they are never mistaken for
/// files on disk.
const BUILTIN_PREFIX: &str = "builtin:";

/// Packs on disk, falling back to the shipped packs for `extends` and for their own files.
pub struct FsSources;

impl PackSources for FsSources {
    fn pack(&self, id: &str) -> Option<PackFile> {
        Builtin.pack(id).map(|f| PackFile {
            path: format!("{BUILTIN_PREFIX}{}", f.path),
            text: f.text,
        })
    }

    fn file(&self, pack_path: &str, relative: &str) -> Option<PackFile> {
        if pack_path.starts_with(BUILTIN_PREFIX) {
            return Builtin.file(pack_path, relative);
        }
        let dir = Path::new(pack_path).parent().unwrap_or(Path::new("."));
        let path = dir.join(relative);
        let text = std::fs::read_to_string(&path).ok()?;
        Some(PackFile {
            path: path.display().to_string(),
            text,
        })
    }
}

/// Loads a shipped pack by id, or a pack file by path.
pub fn load(name_or_path: &str) -> anyhow::Result<Scanner> {
    if pack_ids().any(|id| id == name_or_path) {
        return Ok(Scanner::load(name_or_path, &FsSources)?);
    }
    let path = PathBuf::from(name_or_path);
    if !path.exists() {
        anyhow::bail!(
            "no pack called `{name_or_path}` and no such file (shipped packs: {})",
            pack_ids().collect::<Vec<_>>().join(", ")
        );
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let file = PackFile {
        path: path.display().to_string(),
        text,
    };
    Ok(Scanner::load_file(&file, &FsSources)?)
}

#[derive(Subcommand)]
pub enum PacksCommand {
    /// List the shipped packs.
    List,
    /// Show a pack: what it extends, its clauses and its rules.
    Show {
        /// A shipped pack's id or a pack file's path.
        pack: String,
    },
    /// Check that pack files are valid; errors name the file, line and field.
    Validate {
        /// Pack files or shipped pack ids.
        #[arg(required = true)]
        packs: Vec<String>,
    },
}

pub fn run(command: PacksCommand) -> anyhow::Result<u8> {
    match command {
        PacksCommand::List => {
            for id in pack_ids() {
                let scanner = load(id)?;
                let info = scanner.info();
                outln!(
                    "{:<14} {}{}",
                    info.id,
                    info.title,
                    info.document
                        .as_deref()
                        .map(|d| format!(" — {d}"))
                        .unwrap_or_default()
                );
            }
            Ok(0)
        }
        PacksCommand::Show { pack } => {
            let scanner = load(&pack)?;
            let info = scanner.info();
            outln!("{} — {}", info.id, info.title);
            if let Some(doc) = &info.document {
                outln!("document: {doc}");
            }
            if !info.extends.is_empty() {
                outln!("extends: {}", info.extends.join(" → "));
            }
            outln!("\nclauses:");
            for (category, cite, text) in &info.clauses {
                outln!("  {category:<25} {cite}\n  {:<25} {text}", "");
            }
            outln!("\nrules:");
            for (id, category, severity) in &info.rules {
                outln!("  {id:<26} {category:<25} {severity}");
            }
            Ok(0)
        }
        PacksCommand::Validate { packs } => {
            let mut failed = false;
            // Every pack stays loaded until the end, as in a server that serves them all.
            let mut loaded = Vec::new();
            for pack in packs {
                match load(&pack) {
                    Ok(scanner) => {
                        outln!("{pack}: ok ({} rules)", scanner.info().rules.len());
                        loaded.push(scanner);
                    }
                    Err(e) => {
                        eprintln!("{e:#}");
                        failed = true;
                    }
                }
            }
            Ok(if failed { 2 } else { 0 })
        }
    }
}
