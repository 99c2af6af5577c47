#!/usr/bin/env python3
"""Check the lexicons in policies/lexicons/.

Usage: python3 tools/lexicons/check.py [DIR]

Every *.txt file must be strict UTF-8 (no BOM, LF line ends, final newline), open with `#`
comment lines that include `# source:` and `# licence:`, and have no comment lines after the
first entry. Entries must be non-blank, trimmed, lowercase, NFC, free of control characters
and doubled spaces, sorted by Unicode code point (Rust `str` order) and unique. The files the
engine reads with flags (offensive.txt, slurs.txt) take `word` or `word<TAB>+suffix|+infix`.
Cross-file rules: name_ambiguous.txt lists only names from first_names.txt or surnames.txt;
no word is both in offensive.txt and slurs.txt; offensive_allow.txt shares no word with either.
Sizes must be in the ranges agreed for each list, and SOURCES.md must name every file.

Prints one line per file and a closing `N passed, N failed`; exits 1 if anything failed.
Uses only the standard library.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DIR = ROOT / "policies" / "lexicons"

FLAGS = {"+suffix", "+infix"}
FLAGGED = {"offensive.txt", "slurs.txt"}

NAME_RE = re.compile(r"^[^\W\d_]+(?:'[^\W\d_]+)?$")          # letters, one inner apostrophe
PHRASE_RE = re.compile(r"^[^\W_](?:[^\W_]|[ \-'&./+])*$")     # clinical phrases: 'covid-19', 'u&e', 'me/cfs', 'c. diff'
WORD_RE = re.compile(r"^[a-z]+$")                              # offensive/slur tokens, after folding
ALLOW_RE = re.compile(r"^[a-z](?:[a-z'\-]*[a-z])?$")

# file -> (pattern, min entries, max entries)
EXPECTED = {
    "first_names.txt": (NAME_RE, 3000, 6000),
    "surnames.txt": (NAME_RE, 5000, 10000),
    "name_ambiguous.txt": (NAME_RE, 100, None),
    "conditions.txt": (PHRASE_RE, 400, None),
    "drugs.txt": (PHRASE_RE, 300, None),
    "procedures.txt": (PHRASE_RE, 200, None),
    "offensive.txt": (WORD_RE, 50, None),
    "offensive_allow.txt": (ALLOW_RE, 150, None),
    "slurs.txt": (WORD_RE, 30, None),
}


def read_entries(path: Path, errors: list[str]) -> list[str]:
    """The entry lines of `path` (header dropped), recording format errors."""
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        errors.append("starts with a UTF-8 byte-order mark")
        raw = raw[3:]
    try:
        text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        errors.append(f"not valid UTF-8: {e}")
        return []
    if "\r" in text:
        errors.append("has CR characters (use LF line ends)")
    if text and not text.endswith("\n"):
        errors.append("does not end with a newline")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()

    header: list[str] = []
    i = 0
    while i < len(lines) and lines[i].startswith("#"):
        header.append(lines[i])
        i += 1
    if not header or not header[0].startswith("# source:"):
        errors.append("first line must be a '# source: ...' comment")
    if not any(h.startswith("# licence:") for h in header):
        errors.append("header has no '# licence: ...' comment")

    entries = []
    for n, line in enumerate(lines[i:], start=i + 1):
        if line.startswith("#"):
            errors.append(f"line {n}: comment after the first entry")
            continue
        entries.append((n, line))
    return entries


def check_file(path: Path) -> tuple[list[str], list[str], int]:
    """Errors for one file, its words (flags stripped), and its entry count."""
    errors: list[str] = []
    name = path.name
    pattern, lo, hi = EXPECTED.get(name, (PHRASE_RE, 1, None))
    entries = read_entries(path, errors)
    words: list[str] = []
    lines_only: list[str] = []
    for n, line in entries:
        where = f"line {n}"
        if not line.strip():
            errors.append(f"{where}: blank entry")
            continue
        if line != line.strip():
            errors.append(f"{where}: leading or trailing whitespace: {line!r}")
        if line != line.lower():
            errors.append(f"{where}: not lowercase: {line!r}")
        if unicodedata.normalize("NFC", line) != line:
            errors.append(f"{where}: not NFC: {line!r}")
        if "  " in line:
            errors.append(f"{where}: doubled space: {line!r}")
        word, flag = line, None
        if name in FLAGGED and "\t" in line:
            word, _, flag = line.partition("\t")
            if flag not in FLAGS:
                errors.append(f"{where}: flag must be one of {sorted(FLAGS)}, got {flag!r}")
        if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in word):
            errors.append(f"{where}: control or format character in {word!r}")
        if not pattern.match(word):
            errors.append(f"{where}: {word!r} has characters this list does not allow")
        words.append(word)
        lines_only.append(line)

    # Sorted by code point. In flagged files the tab sorts before any letter, so line order
    # and word order agree; check both.
    if lines_only != sorted(lines_only):
        bad = next(k for k in range(1, len(lines_only)) if lines_only[k - 1] > lines_only[k])
        errors.append(f"not sorted: {lines_only[bad - 1]!r} comes before {lines_only[bad]!r}")
    if words != sorted(words):
        errors.append("words are not in sorted order")
    seen: set[str] = set()
    for w in words:
        if w in seen:
            errors.append(f"duplicate entry {w!r}")
        seen.add(w)

    count = len(words)
    if count < lo or (hi is not None and count > hi):
        errors.append(f"{count} entries, expected {lo}..{hi if hi is not None else 'any'}")
    return errors, words, count


def main() -> int:
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR
    passed = failed = 0
    words: dict[str, set[str]] = {}
    files = sorted(directory.glob("*.txt"))
    missing = [f for f in EXPECTED if not (directory / f).exists()]

    for path in files:
        errors, ws, count = check_file(path)
        words[path.name] = set(ws)
        if errors:
            failed += 1
            print(f"FAIL {path.name}: {count} entries")
            for e in errors[:20]:
                print(f"  {e}")
            if len(errors) > 20:
                print(f"  ... and {len(errors) - 20} more")
        else:
            passed += 1
            print(f"ok   {path.name}: {count} entries")

    cross: list[str] = []
    for f in missing:
        cross.append(f"{f} is missing")
    if {"name_ambiguous.txt", "first_names.txt", "surnames.txt"} <= words.keys():
        stray = words["name_ambiguous.txt"] - words["first_names.txt"] - words["surnames.txt"]
        if stray:
            cross.append(f"name_ambiguous.txt has {len(stray)} entries in neither name list: {sorted(stray)[:10]}")
    if {"offensive.txt", "slurs.txt"} <= words.keys():
        both = words["offensive.txt"] & words["slurs.txt"]
        if both:
            cross.append(f"in both offensive.txt and slurs.txt: {sorted(both)}")
    if "offensive_allow.txt" in words:
        for other in ("offensive.txt", "slurs.txt"):
            clash = words["offensive_allow.txt"] & words.get(other, set())
            if clash:
                cross.append(f"offensive_allow.txt allows words listed in {other}: {sorted(clash)}")
    sources = directory / "SOURCES.md"
    if not sources.exists():
        cross.append("SOURCES.md is missing")
    else:
        text = sources.read_text(encoding="utf-8")
        for path in files:
            if path.name not in text:
                cross.append(f"SOURCES.md does not mention {path.name}")

    if cross:
        failed += 1
        print("FAIL cross-file checks")
        for e in cross:
            print(f"  {e}")
    else:
        passed += 1
        print("ok   cross-file checks")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
