//! Parsing a text again after an edit: the top-level items whose text is
//! unchanged are not parsed again, only copied from the last version's
//! tree and moved to where they now start.

use super::ast::{File, Item};
use super::build::{parse_file_then, parse_item};
use super::items::{PARALLEL_FROM, item_ranges, splittable};
use super::shift::{Move, Shift};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::FileId;
// Keys are whole items, hashed on every parse: Fx hashes them several
// times faster than SipHash, and they are the user's own text.
use rustc_hash::FxHashMap as HashMap;

/// Where an item of the last version was: its place, its items' indices in
/// the last version's tree, and the diagnostics its parse gave there.
struct Slot {
    start: u32,
    end: u32,
    first: usize,
    count: usize,
    diags: Vec<Diagnostic>,
}

/// The items of each file's last parsed text, by their text. For a tool
/// that parses versions of one text again and again (the language server);
/// it keeps the last version's tree and hands it back to
/// [`ItemCache::parse`], so the items aren't kept twice.
#[derive(Default)]
pub struct ItemCache {
    files: HashMap<FileId, HashMap<String, Slot>>,
}

/// An item placed: its items and diagnostics where it now is.
type Placed = (Vec<Item>, Vec<Diagnostic>);

impl ItemCache {
    /// An empty cache.
    pub fn new() -> ItemCache {
        ItemCache::default()
    }

    /// Parses `text` as [`super::parse_by_items`] does. `last` must be the
    /// tree this cache's previous call for `file` gave (or `None`): the
    /// items unchanged since are copied from it. Afterwards the cache
    /// describes the tree returned.
    pub fn parse(&mut self, text: &str, file: FileId, last: Option<&File>) -> (File, Diagnostics) {
        let mut old = self.files.remove(&file).unwrap_or_default();
        if !splittable(text, file) {
            let (f, d, _) = parse_file_then(text, file, |_, _| ());
            return (f, d);
        }
        let ranges = item_ranges(text);
        // A hit's key is moved to the next map, not copied again.
        let (mut keys, hits): (Vec<Option<String>>, Vec<Option<Slot>>) = ranges
            .iter()
            .map(|&(start, end)| match old.remove_entry(&text[start..end]) {
                Some((k, slot)) => (Some(k), Some(slot)),
                None => (None, None),
            })
            .unzip();
        // Place every item, parsing the new ones: on several threads when
        // the text is large, a run of items each.
        let threads = if text.len() < PARALLEL_FROM {
            1
        } else {
            std::thread::available_parallelism().map_or(1, usize::from)
        };
        let per = ranges.len().div_ceil(threads).max(1);
        let runs: Vec<_> = ranges.chunks(per).zip(hits.chunks(per)).collect();
        let placed: Vec<Vec<Placed>> = crate::parallel::map(&runs, |(run, hits)| {
            run.iter()
                .zip(hits.iter())
                .map(|(&(start, end), hit)| place(text, file, start, end, hit, last))
                .collect()
        });
        let mut items = Vec::new();
        let mut diags = Diagnostics::new();
        let mut next: HashMap<String, Slot> =
            HashMap::with_capacity_and_hasher(ranges.len(), Default::default());
        for ((&(start, end), (i, d)), key) in ranges
            .iter()
            .zip(placed.into_iter().flatten())
            .zip(keys.iter_mut())
        {
            let slot = Slot {
                start: u32::try_from(start).unwrap_or(u32::MAX),
                end: u32::try_from(end).unwrap_or(u32::MAX),
                first: items.len(),
                count: i.len(),
                diags: d.clone(),
            };
            let key = key.take().unwrap_or_else(|| text[start..end].to_string());
            next.entry(key).or_insert(slot);
            items.extend(i);
            for d in d {
                diags.push(d);
            }
        }
        self.files.insert(file, next);
        (File { items }, diags)
    }
}

/// The item at `text[start..end]`: copied from the last version's tree and
/// moved, or parsed.
fn place(
    text: &str,
    file: FileId,
    start: usize,
    end: usize,
    hit: &Option<Slot>,
    last: Option<&File>,
) -> Placed {
    let copied = hit.as_ref().and_then(|slot| {
        let items = last?.items.get(slot.first..slot.first + slot.count)?;
        let by = Move {
            file,
            start: slot.start,
            end: slot.end,
            by: i64::try_from(start).ok()? - i64::from(slot.start),
        };
        let mut items = items.to_vec();
        items.shift(&by);
        let mut diags = slot.diags.clone();
        diags.shift(&by);
        Some((items, diags))
    });
    copied.unwrap_or_else(|| {
        let (items, diags) = parse_item(text, file, start, end);
        (items, diags.iter().cloned().collect())
    })
}
