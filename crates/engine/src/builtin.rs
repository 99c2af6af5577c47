//! The packs shipped with socialgov, compiled into the binary from `policies/`.

use crate::pack::{PackFile, PackSources};

macro_rules! policy {
    ($path:literal) => {
        ($path, include_str!(concat!("../../../policies/", $path)))
    };
}

/// Every shipped pack: `(id, file name)`.
const PACKS: [(&str, &str); 6] = [
    ("nhs-baseline", "nhs-baseline.toml"),
    ("2gether", "2gether.toml"),
    ("cumbria", "cumbria.toml"),
    ("heft", "heft.toml"),
    ("mtw", "mtw.toml"),
    ("tsdft", "tsdft.toml"),
];

const FILES: [(&str, &str); 16] = [
    policy!("nhs-baseline.toml"),
    policy!("2gether.toml"),
    policy!("cumbria.toml"),
    policy!("heft.toml"),
    policy!("mtw.toml"),
    policy!("tsdft.toml"),
    policy!("lexicons/first_names.txt"),
    policy!("lexicons/surnames.txt"),
    policy!("lexicons/name_ambiguous.txt"),
    policy!("lexicons/public_names.txt"),
    policy!("lexicons/conditions.txt"),
    policy!("lexicons/drugs.txt"),
    policy!("lexicons/procedures.txt"),
    policy!("lexicons/offensive.txt"),
    policy!("lexicons/offensive_allow.txt"),
    policy!("lexicons/slurs.txt"),
];

/// The ids of the shipped packs, baseline first.
pub fn pack_ids() -> impl Iterator<Item = &'static str> {
    PACKS.iter().map(|(id, _)| *id)
}

/// The shipped packs and their files, as [`PackSources`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Builtin;

impl PackSources for Builtin {
    fn pack(&self, id: &str) -> Option<PackFile> {
        let (_, file) = PACKS.iter().find(|(p, _)| *p == id)?;
        self.file("", file)
    }

    fn file(&self, _pack_path: &str, relative: &str) -> Option<PackFile> {
        let (path, text) = FILES.iter().find(|(p, _)| *p == relative)?;
        Some(PackFile {
            path: format!("policies/{path}"),
            text: (*text).to_owned(),
        })
    }
}
