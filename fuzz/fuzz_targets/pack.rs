//! Any pack text that extends the baseline: loading it never panics; it is refused or used,
//! and a pack that loads gives findings that keep their invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;
use socialgov_engine::{Builtin, PackFile, Scanner, pack};

/// Put before any input that has no `[pack]` table of its own, so the fuzzer spends its time
/// on clauses, rules, cues and lexicons layered over the real baseline.
const HEADER: &str = "[pack]\nid = \"fuzz\"\ntitle = \"Fuzz\"\nextends = \"nhs-baseline\"\n\n";

const SAMPLES: [&str; 2] = [
    "NHS no 943 476 5919, who the f*ck moved the resus trolley",
    "Raj on AMU lives at 12 Brook St, Kendal LA9 6BQ 😀 зу\u{200b}б",
];

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let text = if body.contains("[pack]") {
        body.to_owned()
    } else {
        format!("{HEADER}{body}")
    };
    let file = PackFile {
        path: "policies/fuzz.toml".to_owned(),
        text,
    };
    let Ok(spec) = pack::load_file(&file, &Builtin) else {
        return;
    };
    let Ok(scanner) = Scanner::compile(spec) else {
        return;
    };
    for sample in SAMPLES {
        let findings = scanner.check(sample);
        for f in &findings {
            assert!(
                f.start < f.end
                    && f.end <= sample.len()
                    && sample.is_char_boundary(f.start)
                    && sample.is_char_boundary(f.end),
                "bad span: {f:?}"
            );
        }
        assert!(
            findings.windows(2).all(|w| match w {
                [a, b] => (a.start, a.end) <= (b.start, b.end),
                _ => true,
            }),
            "findings out of order"
        );
        let _ = scanner.redact(sample);
    }
});
