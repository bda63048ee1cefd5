//! Parsing a text again after an edit: the top-level items whose text is
//! unchanged are not parsed again, only copied to where they now start.

use super::ast::{File, Item};
use super::build::{PARALLEL_FROM, item_ranges, parse_file_then, parse_item, splittable};
use super::shift::{Move, Shift};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::FileId;
use std::collections::HashMap;
use std::sync::Arc;

/// One item's parse, with spans as if it started the file.
type Parsed = Arc<(Vec<Item>, Vec<Diagnostic>)>;

/// An item placed: its parse, and a copy moved to where it now starts.
type Placed = (Parsed, Vec<Item>, Vec<Diagnostic>);

/// The items of each file's last parsed text, by their text. For a tool
/// that parses versions of one text again and again (the language server).
#[derive(Default)]
pub struct ItemCache {
    files: HashMap<FileId, HashMap<String, Parsed>>,
}

impl ItemCache {
    /// An empty cache.
    pub fn new() -> ItemCache {
        ItemCache::default()
    }

    /// Parses `text` as [`super::parse_by_items`] does, reusing the items
    /// of this file's previous text that are unchanged. Afterwards the
    /// cache holds this text's items only.
    pub fn parse(&mut self, text: &str, file: FileId) -> (File, Diagnostics) {
        if !splittable(text, file) {
            self.files.remove(&file);
            let (f, d, _) = parse_file_then(text, file, |_, _| ());
            return (f, d);
        }
        let mut old = self.files.remove(&file).unwrap_or_default();
        let ranges = item_ranges(text);
        let mut known: Vec<Option<Parsed>> = Vec::with_capacity(ranges.len());
        let mut next: HashMap<String, Parsed> = HashMap::with_capacity(ranges.len());
        for &(start, end) in &ranges {
            let piece = &text[start..end];
            let hit = old.remove(piece).or_else(|| next.get(piece).cloned());
            if let Some(p) = &hit {
                next.insert(piece.to_string(), Arc::clone(p));
            }
            known.push(hit);
        }
        // Place every item, parsing the new ones: on several threads when
        // the text is large, a run of items each.
        let threads = if text.len() < PARALLEL_FROM {
            1
        } else {
            std::thread::available_parallelism().map_or(1, usize::from)
        };
        let per = ranges.len().div_ceil(threads).max(1);
        let placed: Vec<Vec<Placed>> = std::thread::scope(|scope| {
            let handles: Vec<_> = ranges
                .chunks(per)
                .zip(known.chunks(per))
                .map(|(run, hits)| {
                    scope.spawn(move || {
                        run.iter()
                            .zip(hits)
                            .map(|(&(start, end), hit)| place(text, file, start, end, hit))
                            .collect()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        let mut items = Vec::new();
        let mut diags = Diagnostics::new();
        for (&(start, end), (parsed, i, d)) in ranges.iter().zip(placed.into_iter().flatten()) {
            next.entry(text[start..end].to_string()).or_insert(parsed);
            items.extend(i);
            for d in d {
                diags.push(d);
            }
        }
        self.files.insert(file, next);
        (File { items }, diags)
    }
}

/// The item at `text[start..end]`, from its earlier parse or a new one,
/// with its spans moved to `start`; and the parse, for the cache.
fn place(text: &str, file: FileId, start: usize, end: usize, hit: &Option<Parsed>) -> Placed {
    let parsed = match hit {
        Some(p) => Arc::clone(p),
        None => {
            let (items, diags) = parse_item(&text[start..end], file, 0, end - start);
            Arc::new((items, diags.iter().cloned().collect()))
        }
    };
    let by = Move::all(file, u32::try_from(start).unwrap_or(u32::MAX));
    let mut items = parsed.0.clone();
    items.shift(&by);
    let mut diags = parsed.1.clone();
    diags.shift(&by);
    (parsed, items, diags)
}
