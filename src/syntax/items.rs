//! Cutting a file at its top-level items and parsing the items apart: a
//! large file a run of items per core, the language server's cache an item
//! at a time. Each item is one pest parse ([`super::build::parse_item`]).

use super::ast::{File, Item};
use super::build::{TOP_KEYWORDS, parse_file_then, parse_item, too_deep, unclosed_comment};
use crate::diagnostic::Diagnostics;
use crate::source::FileId;

/// Parses a whole file. Never fails; problems are diagnostics.
pub fn parse_file(text: &str, file: FileId) -> (File, Diagnostics) {
    let runs = parallel_pieces(text, file);
    if runs.is_empty() {
        let (f, d, _) = parse_file_then(text, file, |_, _| ());
        return (f, d);
    }
    // Top-level items don't depend on each other: each parses on its own
    // (pest's token queue stays the size of one item), a run of items a
    // thread, with spans offset to their place.
    let results = crate::parallel::map(&runs, |run| parse_items(text, file, run));
    let mut items = Vec::new();
    let mut diags = Diagnostics::new();
    for (i, d) in results {
        items.extend(i);
        diags.extend(d);
    }
    (File { items }, diags)
}

/// Parses `text` one top-level item at a time, on this thread: what large
/// files do on several, and what the language server reuses between
/// versions. Gives what [`parse_file_then`] gives for the whole text; a
/// text the whole-file checks reject (too deep, an unclosed comment) is
/// parsed whole.
pub fn parse_by_items(text: &str, file: FileId) -> (File, Diagnostics) {
    if !splittable(text, file) {
        let (f, d, _) = parse_file_then(text, file, |_, _| ());
        return (f, d);
    }
    let (items, diags) = parse_items(text, file, &item_ranges(text));
    (File { items }, diags)
}

/// The items of the byte ranges `run` of `text`, each parsed on its own.
pub(crate) fn parse_items(
    text: &str,
    file: FileId,
    run: &[(usize, usize)],
) -> (Vec<Item>, Diagnostics) {
    let mut items = Vec::new();
    let mut diags = Diagnostics::new();
    for &(start, end) in run {
        let (i, d) = parse_item(text, file, start, end);
        items.extend(i);
        diags.extend(d);
    }
    (items, diags)
}

/// The runs of top-level items a file is parsed in, one a thread: none for
/// a small file or one the whole-file checks reject (too deep, an unclosed
/// comment), which parse whole.
pub(super) fn parallel_pieces(text: &str, file: FileId) -> Vec<Vec<(usize, usize)>> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if text.len() < PARALLEL_FROM {
        return Vec::new();
    }
    // Two scans of the whole text, each on a core.
    let (ok, items) = std::thread::scope(|scope| {
        let items = scope.spawn(|| item_ranges(text));
        let ok = splittable(text, file);
        (ok, items.join())
    });
    match (ok, items) {
        (true, Ok(items)) => pieces(items, text.len(), threads),
        (false, _) => Vec::new(),
        (true, Err(panic)) => std::panic::resume_unwind(panic),
    }
}

/// Whether `text` may be parsed item by item: the whole-file checks (too
/// deep, an unclosed comment) don't reject it.
pub(crate) fn splittable(text: &str, file: FileId) -> bool {
    too_deep(text, file).is_none() && unclosed_comment(text).is_none()
}

/// Files smaller than this parse on one thread: below it, starting threads
/// costs more than it saves.
pub(super) const PARALLEL_FROM: usize = 64 * 1024;

/// The top-level items of a text `len` bytes long (`items`, from
/// [`item_ranges`]) in `n` runs of similar size (fewer if there are fewer
/// items).
pub(super) fn pieces(items: Vec<(usize, usize)>, len: usize, n: usize) -> Vec<Vec<(usize, usize)>> {
    let target = len / n.max(1);
    let mut runs: Vec<Vec<(usize, usize)>> = vec![Vec::new()];
    let mut run_start = 0;
    for (start, end) in items {
        if start - run_start >= target.max(1) && runs.len() < n {
            runs.push(Vec::new());
            run_start = start;
        }
        if let Some(run) = runs.last_mut() {
            run.push((start, end));
        }
    }
    runs
}

/// Splits `text` at every top-level item: a line that starts with a
/// declaration keyword outside any bracket, string or comment. Returns
/// byte ranges covering the text, in order; each holds one item (or, for
/// the first, whatever comes before the first item as well) and the
/// comments and blank lines after it.
pub fn item_ranges(text: &str) -> Vec<(usize, usize)> {
    /// Bytes [`item_ranges`] passes over: all but line ends, brackets,
    /// quotes and slashes.
    const PLAIN: [bool; 256] = {
        let mut t = [true; 256];
        let special = b"\n{[(}])\"/";
        let mut k = 0;
        while k < special.len() {
            t[special[k] as usize] = false;
            k += 1;
        }
        t
    };
    let bytes = text.as_bytes();
    let mut cuts = vec![0];
    let mut depth: i64 = 0;
    let mut i = 0;
    let mut line_start = true;
    while i < bytes.len() {
        let c = bytes[i];
        if line_start
            && depth <= 0
            && i > 0
            && TOP_KEYWORDS.iter().any(|k| {
                text[i..].starts_with(k)
                    && !text[i + k.len()..]
                        .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            })
        {
            cuts.push(i);
        }
        line_start = false;
        match c {
            b'\n' => line_start = true,
            b'{' | b'[' | b'(' => depth += 1,
            b'}' | b']' | b')' => depth -= 1,
            b'"' => {
                // To the closing quote, or the end of the line.
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if i < bytes.len() && bytes[i] == b'\n' {
                    continue;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(bytes.len(), |k| i + k);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |k| i + 2 + k + 2);
                continue;
            }
            _ => {}
        }
        i += 1;
        // Past the bytes that can't start, end or hide anything (but not
        // past the start of a line, which may hold a keyword).
        while !line_start && bytes.get(i).is_some_and(|&b| PLAIN[usize::from(b)]) {
            i += 1;
        }
    }
    cuts.push(text.len());
    cuts.windows(2).map(|w| (w[0], w[1])).collect()
}
