//! Any text: `check` and `redact` never panic, and findings keep their invariants.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use socialgov_engine::{Builtin, Finding, Scanner};

fn scanner() -> &'static Scanner {
    static SCANNER: OnceLock<Scanner> = OnceLock::new();
    SCANNER.get_or_init(|| match Scanner::load("nhs-baseline", &Builtin) {
        Ok(s) => s,
        Err(e) => panic!("baseline pack: {e}"),
    })
}

/// Spans inside the text, non-empty, on char boundaries; findings sorted by (start, end).
fn assert_invariants(text: &str, findings: &[Finding]) {
    for f in findings {
        assert!(
            f.start < f.end && f.end <= text.len(),
            "span out of range: {f:?}"
        );
        assert!(
            text.is_char_boundary(f.start) && text.is_char_boundary(f.end),
            "span off a char boundary: {f:?}"
        );
    }
    for pair in findings.windows(2) {
        if let [a, b] = pair {
            assert!(
                (a.start, a.end) <= (b.start, b.end),
                "findings out of order: {a:?} then {b:?}"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let findings = scanner().check(text);
    assert_invariants(text, &findings);
    assert_eq!(
        findings,
        scanner().check(text),
        "same text, different findings"
    );
    let redacted = scanner().redact(text);
    assert_eq!(
        redacted,
        scanner().redact(text),
        "same text, different redaction"
    );
    if !findings.iter().any(|f| f.kind.is_identifier()) {
        assert_eq!(redacted, text, "redacted a text with no identifier finding");
    }
});
