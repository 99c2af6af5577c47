//! The folded view of a text that the detectors search, with a map back to the original.
//!
//! Folding lowercases, turns look-alike letters from other scripts (Cyrillic `і`, Greek `υ`,
//! full-width forms) and accented letters into plain ASCII letters, straightens quotes and
//! drops zero-width characters, so one lexicon entry matches every disguise of a word. Every
//! byte of the folded text remembers the byte range of the original character it came from,
//! so spans found in the folded view map back to char boundaries of the original.

/// A folded copy of a text and the map back to it.
pub(crate) struct Folded {
    text: String,
    /// For each byte of `text`: the start and end of the original character it came from.
    /// `None` when the original is ASCII, where folding keeps every byte in place.
    map: Option<(Vec<u32>, Vec<u32>)>,
}

impl Folded {
    pub(crate) fn new(original: &str) -> Folded {
        if original.is_ascii() {
            return Folded {
                text: original.to_ascii_lowercase(),
                map: None,
            };
        }
        let mut text = String::with_capacity(original.len());
        let mut starts = Vec::with_capacity(original.len());
        let mut ends = Vec::with_capacity(original.len());
        for (at, c) in original.char_indices() {
            let start = u32::try_from(at).unwrap_or(u32::MAX);
            let end = u32::try_from(at + c.len_utf8()).unwrap_or(u32::MAX);
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
        Folded {
            text,
            map: Some((starts, ends)),
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// Maps a byte span `[start, end)` of the folded text to the original text. The result is
    /// on char boundaries of the original. An empty or out-of-range span maps to `None`.
    pub(crate) fn original_span(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        if start >= end || end > self.text.len() {
            return None;
        }
        match &self.map {
            None => Some((start, end)),
            Some((starts, ends)) => {
                Some((*starts.get(start)? as usize, *ends.get(end - 1)? as usize))
            }
        }
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
}

impl Shape {
    pub(crate) fn of(folded: &str) -> Shape {
        let b = folded.as_bytes();
        let is_letter = |c: u8| c.is_ascii_alphabetic() || c >= 0x80;
        let is_gap = |c: u8| matches!(c, b' ' | b'.' | b'-');
        let at = |i: usize| b.get(i).copied().unwrap_or(0);
        let mut shape = Shape::default();
        let mut run = 0;
        let mut i = 0;
        while let Some(&c) = b.get(i) {
            let (prev, prev2) = (at(i.wrapping_sub(1)), at(i.wrapping_sub(2)));
            if c.is_ascii_lowercase() {
                // The common case: a run of letters. A lone letter that starts a spaced-out
                // word; inside the run, only a stretched letter matters.
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
                let (mut prev2, mut prev) = (prev, c);
                i += 1;
                while let Some(&c) = b.get(i)
                    && c.is_ascii_lowercase()
                {
                    if c == prev && c == prev2 {
                        shape.run_of_three = true;
                    }
                    prev2 = prev;
                    prev = c;
                    i += 1;
                }
                continue;
            }
            if c.is_ascii_digit() {
                if prev == b'(' || prev == b' ' && prev2 == b',' {
                    shape.digit_in_brackets_or_commas = true;
                }
                shape.digits += 1;
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
            i += 1;
        }
        shape
    }
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

    proptest::proptest! {
        #[test]
        fn shape_is_the_same_as_a_byte_at_a_time(
            text in "[aabbkK19 ,.(@*?/é\\-]{0,24}"
        ) {
            let got = format!("{:?}", Shape::of(&text));
            let want = format!("{:?}", shape_reference(&text));
            proptest::prop_assert_eq!(got, want);
        }
    }
}
