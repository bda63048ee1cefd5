//! Positions for the language server: byte offsets to LSP line/character
//! (UTF-16 code units, or bytes when the client speaks UTF-8) and back,
//! and the dotted word under the cursor.

use lsp_types::{Position, Range};

/// Line starts of one text, and the encoding positions are counted in.
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
    utf8: bool,
}

impl<'t> LineIndex<'t> {
    /// Indexes `text`; `utf8` when the client counts bytes.
    pub fn new(text: &'t str, utf8: bool) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts, utf8 }
    }

    /// The position of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self
            .starts
            .partition_point(|s| *s <= offset)
            .saturating_sub(1);
        let start = self.starts[line];
        let prefix = self.text.get(start..offset).unwrap_or_default();
        let character = if self.utf8 {
            prefix.len()
        } else {
            prefix.chars().map(char::len_utf16).sum()
        };
        Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            character: u32::try_from(character).unwrap_or(u32::MAX),
        }
    }

    /// The range of a byte span.
    pub fn range(&self, start: usize, end: usize) -> Range {
        Range {
            start: self.position(start),
            end: self.position(end),
        }
    }

    /// The byte offset of a position (clamped to its line and the text).
    pub fn offset(&self, p: Position) -> usize {
        let Some(&start) = usize::try_from(p.line)
            .ok()
            .and_then(|l| self.starts.get(l))
        else {
            return self.text.len();
        };
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |n| start + n);
        let want = usize::try_from(p.character).unwrap_or(usize::MAX);
        let mut counted = 0;
        for (i, c) in self.text[start..end].char_indices() {
            if counted >= want {
                return start + i;
            }
            counted += if self.utf8 {
                c.len_utf8()
            } else {
                c.len_utf16()
            };
        }
        end
    }
}

/// Whether a character can be part of a dotted name.
fn word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.'
}

/// The dotted name at a byte offset (`env.cpu`, `alb.requests`), with its
/// byte range.
pub fn word_at(text: &str, offset: usize) -> Option<(usize, usize, &str)> {
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| word_char(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|(_, c)| !word_char(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    // `env.min..env.max` is a range of two names: the one at the cursor.
    let (mut start, mut end) = (start, end);
    let mut from = start;
    for part in text[start..end].split("..") {
        let to = from + part.len();
        if offset <= to {
            (start, end) = (from, to);
            break;
        }
        from = to + 2;
    }
    let word = text[start..end].trim_matches('.');
    if word.is_empty() || word.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let lead = text[start..end].len() - text[start..end].trim_start_matches('.').len();
    Some((start + lead, start + lead + word.len(), word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_and_utf8_columns_differ_after_wide_characters() {
        let text = "a\n\"é😀\" x\n";
        let x = text.find('x').expect("x");
        let u16 = LineIndex::new(text, false);
        let u8 = LineIndex::new(text, true);
        assert_eq!(
            u16.position(x),
            Position {
                line: 1,
                character: 6
            }
        );
        assert_eq!(
            u8.position(x),
            Position {
                line: 1,
                character: 9
            }
        );
        assert_eq!(
            u16.offset(Position {
                line: 1,
                character: 6
            }),
            x
        );
        assert_eq!(
            u8.offset(Position {
                line: 1,
                character: 9
            }),
            x
        );
        assert_eq!(
            u16.offset(Position {
                line: 9,
                character: 0
            }),
            text.len()
        );
    }

    #[test]
    fn the_word_is_the_dotted_name_around_the_cursor() {
        let text = "target = env.cpu + 1";
        let at = text.find("cpu").expect("cpu");
        assert_eq!(word_at(text, at), Some((9, 16, "env.cpu")));
        assert_eq!(word_at(text, text.len()), None);
        assert_eq!(word_at("x = 60%", 5), None);
        let range = "env.min..env.max";
        assert_eq!(word_at(range, 2), Some((0, 7, "env.min")));
        assert_eq!(word_at(range, 12), Some((9, 16, "env.max")));
        assert_eq!(word_at("env.hot..85%", 10), None);
    }
}
