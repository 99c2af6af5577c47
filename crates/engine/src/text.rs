//! The folded view of a text that the detectors search, with a map back to the original.
//!
//! Folding lowercases, turns look-alike letters from other scripts (Cyrillic `і`, Greek `υ`,
//! full-width forms) and accented letters into plain ASCII letters, straightens quotes and
//! drops zero-width characters, so one lexicon entry matches every disguise of a word. Every
//! byte of the folded text remembers the byte range of the original character it came from,
//! so spans found in the folded view map back to char boundaries of the original.

use std::borrow::Cow;

/// A folded copy of a text and the map back to it.
pub(crate) struct Folded {
    text: String,
    /// Where folding may have changed lengths: one entry per character of the original that
    /// is not ASCII, in order. Everything between them is ASCII, folded byte for byte. Empty
    /// when the original is ASCII, where folding keeps every byte in place.
    changes: Vec<Change>,
}

/// A character of the original that is not ASCII and what folding made of it.
#[derive(Debug, Clone, Copy)]
struct Change {
    /// Where its folding starts in the folded text, and how many bytes it has there (none
    /// for a dropped character).
    folded: usize,
    folded_len: usize,
    /// Where it starts in the original, and its length there.
    original: usize,
    original_len: usize,
}

impl Folded {
    pub(crate) fn new(original: &str) -> Folded {
        let mut folded = Folded::empty();
        folded.fold(original);
        folded
    }

    /// A folding of the empty text, to fold others into (see [`Folded::fold`]).
    pub(crate) const fn empty() -> Folded {
        Folded {
            text: String::new(),
            changes: Vec::new(),
        }
    }

    /// Makes this the folding of `original`, in the room the last text left (no allocation
    /// once it has grown to fit).
    pub(crate) fn fold(&mut self, original: &str) {
        let Folded { text, changes } = self;
        text.clear();
        changes.clear();
        let bytes = original.as_bytes();
        if ascii_prefix(bytes) == bytes.len() {
            text.push_str(original);
            lowercase_ascii(text);
            return;
        }
        text.reserve(original.len());
        let mut at = 0;
        while let Some(rest) = original.get(at..)
            && !rest.is_empty()
        {
            // A run of ASCII is copied and lowercased in bulk.
            let run = ascii_prefix(rest.as_bytes());
            if let Some(ascii) = rest.get(..run) {
                let before = text.len();
                text.push_str(ascii);
                if let Some(copied) = text.get_mut(before..) {
                    lowercase_ascii(copied);
                }
            }
            at += run;
            // Then the characters that are not ASCII, one by one.
            for c in rest.get(run..).unwrap_or_default().chars() {
                if c.is_ascii() {
                    break;
                }
                let before = text.len();
                match fold_char(c) {
                    Fold::Drop => {}
                    Fold::To(f) => text.push(f),
                    Fold::Lower => text.extend(c.to_lowercase()),
                }
                changes.push(Change {
                    folded: before,
                    folded_len: text.len() - before,
                    original: at,
                    original_len: c.len_utf8(),
                });
                at += c.len_utf8();
            }
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the folded text holds a letter beyond ASCII (one that folding keeps: Greek,
    /// Cyrillic, Han...). Only the characters folding changed need a look.
    pub(crate) fn has_wide_letter(&self) -> bool {
        self.changes.iter().any(|c| {
            self.text
                .get(c.folded..c.folded + c.folded_len)
                .is_some_and(|s| s.chars().any(|ch| !ch.is_ascii() && ch.is_alphabetic()))
        })
    }

    /// Maps a byte span `[start, end)` of the folded text to the original text. The result is
    /// on char boundaries of the original. An empty or out-of-range span maps to `None`.
    #[inline]
    pub(crate) fn original_span(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        if start >= end || end > self.text.len() {
            return None;
        }
        match self.changes.first() {
            None => Some((start, end)),
            // Before the first change (most spans: an emoji tends to end a post) the original
            // is ASCII too, byte for byte.
            Some(first) if end <= first.folded.min(u32::MAX as usize) => Some((start, end)),
            Some(_) => Some((self.source(start).0, self.source(end - 1).1)),
        }
    }

    /// The start and end in the original of the character folded byte `at` came from (offsets
    /// past `u32::MAX` read as `u32::MAX`, as the map has always stored them).
    fn source(&self, at: usize) -> (usize, usize) {
        // The last change that starts at or before `at`.
        let last = self.changes.partition_point(|c| c.folded <= at);
        let (start, end) = match last.checked_sub(1).and_then(|k| self.changes.get(k)) {
            Some(c) if at < c.folded + c.folded_len => (c.original, c.original + c.original_len),
            // ASCII after the change, byte for byte.
            Some(c) => {
                let start = c.original + c.original_len + (at - c.folded - c.folded_len);
                (start, start + 1)
            }
            None => (at, at + 1),
        };
        let clamp = |offset: usize| offset.min(u32::MAX as usize);
        (clamp(start), clamp(end))
    }
}

/// The length of the ASCII run at the start of `bytes`, checked a chunk at a time (loops the
/// compiler turns into vector code).
fn ascii_prefix(bytes: &[u8]) -> usize {
    const CHUNK: usize = 32;
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let is_ascii = |chunk: &[u8]| chunk.iter().fold(0, |acc, &c| acc | c) < 0x80;
    let mut len = 0;
    for chunk in bytes.chunks_exact(CHUNK) {
        if !is_ascii(chunk) {
            break;
        }
        len += CHUNK;
    }
    // Fewer than a chunk left: the last chunk of the text, overlapping, settles the common
    // case of a text all ASCII.
    let rest = bytes.get(len..).unwrap_or_default();
    if rest.len() < CHUNK
        && let Some(last) = bytes.len().checked_sub(CHUNK)
        && bytes.get(last..).is_some_and(is_ascii)
    {
        return bytes.len();
    }
    // The first byte that is not ASCII, eight at a time.
    let mut words = rest.chunks_exact(8);
    for word in &mut words {
        let high = u64::from_le_bytes(word.try_into().unwrap_or_default()) & HIGH_BITS;
        if high != 0 {
            return len + high.trailing_zeros() as usize / 8;
        }
        len += 8;
    }
    len + words
        .remainder()
        .iter()
        .take_while(|c| c.is_ascii())
        .count()
}

/// Lowercases an ASCII text 32 bytes at a time, in vector code without a byte-by-byte tail:
/// the last 32 bytes overlap the chunks before them, and lowercasing twice changes nothing.
fn lowercase_ascii(text: &mut str) {
    const CHUNK: usize = 32;
    let len = text.len();
    let Some(last) = len.checked_sub(CHUNK) else {
        text.make_ascii_lowercase();
        return;
    };
    if let Some(whole) = text.get_mut(..len - len % CHUNK) {
        whole.make_ascii_lowercase();
    }
    if let Some(tail) = text.get_mut(last..) {
        tail.make_ascii_lowercase();
    }
}

enum Fold {
    Drop,
    To(char),
    Lower,
}

fn fold_char(c: char) -> Fold {
    if c.is_ascii() {
        return Fold::To(c.to_ascii_lowercase());
    }
    let to = match c {
        // Zero-width and invisible characters used to break words apart.
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
        | '\u{180E}' => return Fold::Drop,
        // Variation selectors (emoji presentation) carry no letters.
        '\u{FE00}'..='\u{FE0F}' => return Fold::Drop,
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
        '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\u{2009}' | '\u{200A}' => ' ',
        // Cyrillic look-alikes.
        'а' | 'А' => 'a',
        'в' | 'В' => 'b',
        'с' | 'С' => 'c',
        'е' | 'Е' | 'ё' | 'Ё' => 'e',
        'һ' | 'Һ' | 'н' | 'Н' => 'h',
        'і' | 'І' | 'ї' | 'Ї' => 'i',
        'ј' | 'Ј' => 'j',
        'к' | 'К' => 'k',
        'м' | 'М' => 'm',
        'о' | 'О' => 'o',
        'р' | 'Р' => 'p',
        'ѕ' | 'Ѕ' => 's',
        'т' | 'Т' => 't',
        'у' | 'У' => 'y',
        'х' | 'Х' => 'x',
        'ԁ' => 'd',
        'ɡ' => 'g',
        'ⅼ' | 'ӏ' => 'l',
        // Greek look-alikes.
        'α' | 'Α' | 'ά' => 'a',
        'β' | 'Β' => 'b',
        'ε' | 'Ε' | 'έ' => 'e',
        'η' | 'Η' => 'n',
        'ι' | 'Ι' | 'ί' => 'i',
        'κ' | 'Κ' => 'k',
        'ν' | 'Ν' => 'v',
        'ο' | 'Ο' | 'ό' => 'o',
        'ρ' | 'Ρ' => 'p',
        'τ' | 'Τ' => 't',
        'υ' | 'Υ' | 'ύ' => 'u',
        'χ' | 'Χ' => 'x',
        'ζ' | 'Ζ' => 'z',
        'Μ' => 'm',
        // Latin letters with diacritics.
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => {
            'a'
        }
        'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'ń' | 'ň' | 'Ñ' | 'Ń' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => {
            'o'
        }
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        'ś' | 'š' | 'ş' | 'Ś' | 'Š' => 's',
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => 'z',
        'ł' | 'Ł' => 'l',
        // Full-width ASCII.
        '\u{FF01}'..='\u{FF5E}' => {
            let ascii = u32::from(c) - 0xFF01 + 0x21;
            return match char::from_u32(ascii) {
                Some(a) => Fold::To(a.to_ascii_lowercase()),
                None => Fold::Lower,
            };
        }
        _ => return Fold::Lower,
    };
    Fold::To(to)
}

/// What one pass over the folded text learns about its shape, so that later stages can skip
/// work that cannot find anything (no digits: no identifiers; no symbols: no disguised words).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Shape {
    pub(crate) digits: usize,
    pub(crate) longest_digit_run: usize,
    /// Digits either side of `/`, `.` or `-` (12/03, 1957-03).
    pub(crate) digit_separator_digit: bool,
    pub(crate) first_at: Option<usize>,
    pub(crate) first_question: Option<usize>,
    /// A symbol that can stand for a letter touching a letter (`f*ck`, `a$$`, `sh1t`).
    pub(crate) symbol_in_word: bool,
    /// A character three times in a row (`fuuuck`).
    pub(crate) run_of_three: bool,
    /// Three single letters standing apart (`f u c k`, `f.u.c.k`).
    pub(crate) spaced_letters: bool,
    /// A number straight after `(` or `, ` (an age after a name: "(58)", ", 94,").
    pub(crate) digit_in_brackets_or_commas: bool,
    /// An ASCII letter right before or after a digit (12th, la9): where the original has a
    /// capital by a digit (LA9), both are ASCII and fold to this.
    pub(crate) letter_by_digit: bool,
}

impl Shape {
    /// One pass in two steps: a branch-free pass over windows of `LANES` bytes (vector code)
    /// flags the few positions where something may happen, and only those are checked
    /// exactly, in order, as a byte-at-a-time pass would (`shape_reference` in the tests).
    pub(crate) fn of(folded: &str) -> Shape {
        let b = folded.as_bytes();
        let mut scan = ShapeScan {
            b,
            shape: Shape::default(),
            run: 0,
        };
        // The windows at the end look past it: they are read from a copy of the last bytes
        // padded with zeros, which read like bytes out of range (no letter, gap or digit).
        // `padded[k]` is byte `base + k`.
        let base = b.len().saturating_sub(WINDOW);
        let mut padded = [0u8; 2 * WINDOW];
        match b.get(base..).map(<&[u8; WINDOW]>::try_from) {
            Some(Ok(last)) => padded[..WINDOW].copy_from_slice(last),
            _ => {
                if let Some(head) = padded.get_mut(..b.len()) {
                    head.copy_from_slice(b);
                }
            }
        }
        let mut from = 0;
        while from < b.len() {
            let window = b
                .get(from..from + WINDOW)
                .or_else(|| padded.get(from - base..from - base + WINDOW));
            let Some(Ok(window)) = window.map(<&[u8; WINDOW]>::try_from) else {
                break;
            };
            let mut bits = lane_bits(window);
            // Lanes past the end are no positions.
            let lanes = b.len() - from;
            if lanes < LANES {
                bits &= (1 << lanes) - 1;
            }
            while bits != 0 {
                scan.visit(from + bits.trailing_zeros() as usize);
                bits &= bits - 1;
            }
            from += LANES;
        }
        scan.shape
    }
}

/// How many positions the fast step of `Shape::of` flags at once.
const LANES: usize = 64;
/// The bytes that takes: a flag looks up to three bytes past its position.
const WINDOW: usize = LANES + 3;

/// The positions of `w` where the shape may change, as bits (lane `j` at bit `j`): a byte
/// from `!` to `@` (digits, symbols, `?`, separators) or `|`; the same byte three times
/// (`fuuuck`); gap-like bytes (0x20..=0x2f) one and three further on (`f u c k`). Each is a
/// necessary condition of what `ShapeScan::visit` checks; ordinary text (letters, spaces, a
/// comma) has few. The loop over the lanes compiles to branch-free vector code.
fn lane_bits(w: &[u8; WINDOW]) -> u64 {
    let gap_like = |c: u8| c & 0xf0 == 0x20;
    let mut flags = [0u8; LANES];
    for (j, flag) in flags.iter_mut().enumerate() {
        let (c, c1, c2, c3) = (w[j], w[j + 1], w[j + 2], w[j + 3]);
        let rare = (c.wrapping_sub(b'!') <= b'@' - b'!') | (c == b'|');
        let triple = (c == c1) & (c1 == c2);
        let spaced = gap_like(c1) & gap_like(c3);
        *flag = u8::from(rare | triple | spaced);
    }
    // A multiplication gathers the eight 0-or-1 bytes of a word into its top byte.
    flags
        .chunks_exact(8)
        .enumerate()
        .fold(0, |bits, (k, word)| {
            let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
            bits | (word.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * k)
        })
}

/// The state of `Shape::of` between flagged positions, which it visits in order.
struct ShapeScan<'a> {
    b: &'a [u8],
    shape: Shape,
    /// The length of the digit run ending at the last digit seen.
    run: usize,
}

impl ShapeScan<'_> {
    /// Checks position `i` exactly, as a byte-at-a-time pass would; nothing happens at a
    /// position that is not flagged.
    #[inline(always)]
    fn visit(&mut self, i: usize) {
        let is_letter = |c: u8| c.is_ascii_alphabetic() || c >= 0x80;
        let is_gap = |c: u8| matches!(c, b' ' | b'.' | b'-');
        let b = self.b;
        let at = |i: usize| b.get(i).copied().unwrap_or(0);
        let prev = || at(i.wrapping_sub(1));
        let shape = &mut self.shape;
        let c = at(i);
        match c {
            b'a'..=b'z' => {
                let next = at(i + 1);
                if next == c && at(i + 2) == c {
                    shape.run_of_three = true;
                }
                if is_gap(next)
                    && !is_letter(prev())
                    && is_letter(at(i + 2))
                    && is_gap(at(i + 3))
                    && is_letter(at(i + 4))
                    && !is_letter(at(i + 5))
                {
                    shape.spaced_letters = true;
                }
            }
            b'0'..=b'9' => {
                shape.digits += 1;
                let prev = prev();
                if prev.is_ascii_lowercase() || at(i + 1).is_ascii_lowercase() {
                    shape.letter_by_digit = true;
                }
                // Every digit is visited, so a digit before this one ends the run so far.
                if prev.is_ascii_digit() {
                    self.run += 1;
                } else {
                    self.run = 1;
                    if prev == b'(' || prev == b' ' && at(i.wrapping_sub(2)) == b',' {
                        shape.digit_in_brackets_or_commas = true;
                    }
                    if is_letter(prev) && is_letter(at(i + 1)) {
                        shape.symbol_in_word = true;
                    }
                }
                shape.longest_digit_run = shape.longest_digit_run.max(self.run);
            }
            b'@' | b'*' | b'$' | b'!' | b'|' | b'#' => {
                if c == b'@' && shape.first_at.is_none() {
                    shape.first_at = Some(i);
                }
                if is_letter(at(i + 1)) || is_letter(prev()) {
                    shape.symbol_in_word = true;
                }
            }
            b'?' if shape.first_question.is_none() => shape.first_question = Some(i),
            b'/' | b'.' | b'-' if prev().is_ascii_digit() && at(i + 1).is_ascii_digit() => {
                shape.digit_separator_digit = true;
            }
            _ => {}
        }
    }
}

/// The spans of the @handles of a text (`@` and the ASCII letters, digits and `_` after it), in
/// order; the `@` of an e-mail address is no handle.
pub(crate) fn handles(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    text.match_indices('@').filter_map(move |(at, _)| {
        let in_email = text
            .get(..at)
            .and_then(|b| b.chars().next_back())
            .is_some_and(|c| c.is_alphanumeric());
        let len = text.get(at + 1..).map_or(0, |h| {
            h.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(h.len())
        });
        (!in_email && len > 0).then_some((at, at + 1 + len))
    })
}

/// The lowercase of a word (as `to_lowercase`): folded into `buf` when it fits, else
/// allocated.
#[inline]
pub(crate) fn fold<'a, const N: usize>(word: &'a str, buf: &'a mut [u8; N]) -> Cow<'a, str> {
    let b = word.as_bytes();
    if b.len() > N || !b.is_ascii() {
        return fold_wide(word, buf);
    }
    let Some(dst) = buf.get_mut(..b.len()) else {
        return Cow::Owned(word.to_ascii_lowercase());
    };
    for (d, &c) in dst.iter_mut().zip(b) {
        *d = c.to_ascii_lowercase();
    }
    Cow::Borrowed(std::str::from_utf8(dst).unwrap_or(""))
}

/// [`fold`] of a word outside ASCII or too long for `buf`: a character at a time, as
/// `to_lowercase` does but for a capital sigma, whose lowercase depends on where it is.
#[inline(never)]
fn fold_wide<'a, const N: usize>(word: &'a str, buf: &'a mut [u8; N]) -> Cow<'a, str> {
    let lower = || word.chars().flat_map(char::to_lowercase);
    let len: usize = lower().map(char::len_utf8).sum();
    if len > N || word.contains('Σ') {
        return Cow::Owned(word.to_lowercase());
    }
    let mut at = 0;
    for c in lower() {
        if let Some(slot) = buf.get_mut(at..at + c.len_utf8()) {
            at += c.encode_utf8(slot).len();
        }
    }
    Cow::Borrowed(
        buf.get(..at)
            .and_then(|s| std::str::from_utf8(s).ok())
            .unwrap_or(""),
    )
}

/// The (at most) `N` bytes of `text` before `at`, from a char boundary, lowercased into
/// `buf` (see [`fold`]): reading back a few words allocates nothing.
pub(crate) fn lower_tail<'a, const N: usize>(
    text: &'a str,
    at: usize,
    buf: &'a mut [u8; N],
) -> Cow<'a, str> {
    let mut from = at.saturating_sub(N);
    while from < at && !text.is_char_boundary(from) {
        from += 1;
    }
    fold(text.get(from..at).unwrap_or(""), buf)
}

/// Whether a folded character is part of a word for boundary checks.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_homoglyphs_and_maps_back() {
        let original = "fυck shіt";
        let folded = Folded::new(original);
        assert_eq!(folded.as_str(), "fuck shit");
        let (s, e) = folded.original_span(5, 9).unwrap();
        assert_eq!(original.get(s..e), Some("shіt"));
    }

    #[test]
    fn drops_zero_width() {
        let original = "f\u{200B}uck";
        let folded = Folded::new(original);
        assert_eq!(folded.as_str(), "fuck");
        assert_eq!(folded.original_span(0, 4), Some((0, original.len())));
    }

    #[test]
    fn expanding_lowercase_maps_every_byte() {
        let original = "İx";
        let folded = Folded::new(original);
        let n = folded.as_str().len();
        assert_eq!(folded.original_span(0, n), Some((0, original.len())));
    }

    /// The shape pass as first written, a byte at a time, to check the fast one against.
    fn shape_reference(folded: &str) -> Shape {
        let b = folded.as_bytes();
        let is_letter = |c: u8| c.is_ascii_alphabetic() || c >= 0x80;
        let is_gap = |c: u8| matches!(c, b' ' | b'.' | b'-');
        let at = |i: usize| b.get(i).copied().unwrap_or(0);
        let mut shape = Shape::default();
        let mut run = 0;
        let (mut prev2, mut prev) = (0u8, 0u8);
        for (i, &c) in b.iter().enumerate() {
            if c.is_ascii_lowercase() {
                if c == prev && c == prev2 {
                    shape.run_of_three = true;
                }
                if !is_letter(prev)
                    && is_gap(at(i + 1))
                    && is_letter(at(i + 2))
                    && is_gap(at(i + 3))
                    && is_letter(at(i + 4))
                    && !is_letter(at(i + 5))
                {
                    shape.spaced_letters = true;
                }
                run = 0;
            } else if c.is_ascii_digit() {
                if prev == b'(' || prev == b' ' && prev2 == b',' {
                    shape.digit_in_brackets_or_commas = true;
                }
                shape.digits += 1;
                if prev.is_ascii_lowercase() || at(i + 1).is_ascii_lowercase() {
                    shape.letter_by_digit = true;
                }
                run += 1;
                shape.longest_digit_run = shape.longest_digit_run.max(run);
                if is_letter(prev) && is_letter(at(i + 1)) {
                    shape.symbol_in_word = true;
                }
            } else {
                run = 0;
                match c {
                    b'@' | b'*' | b'$' | b'!' | b'|' | b'#' => {
                        if c == b'@' && shape.first_at.is_none() {
                            shape.first_at = Some(i);
                        }
                        if is_letter(at(i + 1)) || is_letter(prev) {
                            shape.symbol_in_word = true;
                        }
                    }
                    b'?' if shape.first_question.is_none() => shape.first_question = Some(i),
                    b'/' | b'.' | b'-' if prev.is_ascii_digit() && at(i + 1).is_ascii_digit() => {
                        shape.digit_separator_digit = true;
                    }
                    _ => {}
                }
            }
            prev2 = prev;
            prev = c;
        }
        shape
    }

    /// The fold as first written, a char at a time, to check the bulk ASCII runs against.
    fn folded_reference(original: &str) -> (String, Vec<u32>, Vec<u32>) {
        let (mut text, mut starts, mut ends) = (String::new(), Vec::new(), Vec::new());
        for (at, c) in original.char_indices() {
            let start = u32::try_from(at).unwrap();
            let end = u32::try_from(at + c.len_utf8()).unwrap();
            let mut push = |f: char| {
                let before = text.len();
                text.push(f);
                for _ in before..text.len() {
                    starts.push(start);
                    ends.push(end);
                }
            };
            match fold_char(c) {
                Fold::Drop => {}
                Fold::To(f) => push(f),
                Fold::Lower => c.to_lowercase().for_each(&mut push),
            }
        }
        (text, starts, ends)
    }

    proptest::proptest! {
        /// Texts short and long, across the windows of the fast pass, with every byte class.
        #[test]
        fn shape_is_the_same_as_a_byte_at_a_time(
            text in "[aaabbkK0199 ,,.(@*?/é\\-!#$|:\\x00Z]{0,200}"
        ) {
            let got = format!("{:?}", Shape::of(&text));
            let want = format!("{:?}", shape_reference(&text));
            proptest::prop_assert_eq!(got, want);
        }

        #[test]
        fn fold_is_the_same_as_a_char_at_a_time(
            text in "[aAbZ1 ,.!é\u{200B}\u{FE0F}İіυ’Ａ❤💙]{0,60}"
        ) {
            let folded = Folded::new(&text);
            let (want, starts, ends) = folded_reference(&text);
            proptest::prop_assert_eq!(folded.as_str(), want.as_str());
            for start in 0..=want.len() + 1 {
                for end in 0..=want.len() + 1 {
                    let last = end.checked_sub(1).and_then(|last| ends.get(last));
                    let expected = match (starts.get(start), last) {
                        (Some(&s), Some(&e)) if start < end => Some((s as usize, e as usize)),
                        _ => None,
                    };
                    proptest::prop_assert_eq!(folded.original_span(start, end), expected);
                }
            }
        }
    }
}
