//! Any pack text that extends the baseline: loading it never panics; it is refused or used.
#![no_main]

use libfuzzer_sys::fuzz_target;
use socialgov_engine::{Builtin, PackFile, Scanner};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = PackFile {
        path: "fuzz.toml".to_owned(),
        text: text.to_owned(),
    };
    if let Ok(scanner) = Scanner::load_file(&file, &Builtin) {
        let _ = scanner.check("NHS no 943 476 5919, who the f*ck moved the resus trolley");
    }
});
