//! What the checker keeps between checks of versions of one text (the
//! language server): where each environment's lowered groups are in the
//! last check's model, reused while the group's declaration and everything
//! outside the groups are unchanged. The model itself is the caller's; it
//! hands the last one back.

use crate::diagnostic::Diagnostic;
use crate::model;
use crate::source::Span;
use crate::syntax::shift::{Move, Shift};
// Keys are whole group declarations, hashed on every check: Fx hashes
// them several times faster than SipHash, and they are the user's own text.
use rustc_hash::FxHashMap as HashMap;

/// The lowered groups of the last check, per environment.
#[derive(Default)]
pub struct GroupCache {
    envs: std::collections::HashMap<String, EnvGroups>,
}

impl GroupCache {
    /// An empty cache.
    pub fn new() -> GroupCache {
        GroupCache::default()
    }

    /// The groups of environment `env` lowered under `context` (all of the
    /// user's text outside the groups, with positions, and the options);
    /// none if the context changed.
    pub(crate) fn take(&mut self, env: &str, context: &str) -> EnvGroups {
        match self.envs.remove(env) {
            Some(e) if e.context == context => EnvGroups {
                context: e.context,
                this: HashMap::with_capacity_and_hasher(e.this.len(), Default::default()),
                last: e.this,
                key: None,
            },
            _ => EnvGroups::new(context),
        }
    }

    /// Keeps an environment's groups for the next check.
    pub(crate) fn put(&mut self, env: &str, groups: EnvGroups) {
        self.envs.insert(env.to_string(), groups);
    }
}

/// One environment's lowered groups, by the text of their declarations:
/// those of the last check, and those of this one.
pub(crate) struct EnvGroups {
    context: String,
    last: HashMap<String, Lowered>,
    this: HashMap<String, Lowered>,
    /// The key [`EnvGroups::reuse`] last took out of `last`, for
    /// [`EnvGroups::record`] to move into `this` rather than copy the text.
    key: Option<String>,
}

/// Where a group of the last check was: its declaration's place, its index
/// in that check's groups of the environment (none if lowering gave no
/// group), and the diagnostics its lowering reported.
struct Lowered {
    span: Span,
    index: Option<usize>,
    diags: Vec<Diagnostic>,
}

impl EnvGroups {
    fn new(context: &str) -> EnvGroups {
        EnvGroups {
            context: context.to_string(),
            last: HashMap::default(),
            this: HashMap::default(),
            key: None,
        }
    }

    /// The group declared by `text` at `span` as the last check lowered it
    /// (`last` being that check's groups of this environment), moved to
    /// `span`, with its diagnostics; `None` if the last check had no such
    /// declaration.
    pub(crate) fn reuse(
        &mut self,
        text: &str,
        span: Span,
        last: &[model::Group],
    ) -> Option<(Option<model::Group>, Vec<Diagnostic>)> {
        let (key, old) = self.last.remove_entry(text)?;
        self.key = Some(key);
        let by = Move {
            file: old.span.file,
            start: old.span.start,
            end: old.span.end,
            by: i64::from(span.start) - i64::from(old.span.start),
        };
        let group = match old.index {
            None => None,
            Some(i) => {
                let mut g = last.get(i)?.clone();
                g.shift(&by);
                Some(g)
            }
        };
        let mut diags = old.diags;
        diags.shift(&by);
        Some((group, diags))
    }

    /// Records the group declared by `text` at `span`: where it is among
    /// this check's groups, and its diagnostics.
    pub(crate) fn record(
        &mut self,
        text: &str,
        span: Span,
        index: Option<usize>,
        diags: Vec<Diagnostic>,
    ) {
        let key = match self.key.take() {
            Some(k) if k == text => k,
            _ => text.to_string(),
        };
        self.this.insert(key, Lowered { span, index, diags });
    }
}
