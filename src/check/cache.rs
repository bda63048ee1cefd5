//! What the checker keeps between checks of versions of one text (the
//! language server): each environment's lowered groups, reused while the
//! group's declaration and everything outside the groups are unchanged.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model;
use crate::source::Span;
use crate::syntax::shift::{Move, Shift};
use std::collections::HashMap;

/// The lowered groups of the last check, per environment.
#[derive(Default)]
pub struct GroupCache {
    envs: HashMap<String, EnvGroups>,
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
                last: e.this,
                this: HashMap::new(),
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
}

/// A group as lowered, with the diagnostics lowering reported.
struct Lowered {
    /// Where the declaration was.
    span: Span,
    group: Option<model::Group>,
    diags: Vec<Diagnostic>,
}

impl EnvGroups {
    fn new(context: &str) -> EnvGroups {
        EnvGroups {
            context: context.to_string(),
            last: HashMap::new(),
            this: HashMap::new(),
        }
    }

    /// The group declared by `text` at `span` as the last check lowered
    /// it, moved to `span`, its diagnostics pushed to `diags`; `None` if
    /// the last check had no such declaration.
    pub(crate) fn reuse(
        &mut self,
        text: &str,
        span: Span,
        diags: &mut Diagnostics,
    ) -> Option<Option<model::Group>> {
        let mut old = self.last.remove(text)?;
        let by = Move {
            file: old.span.file,
            start: old.span.start,
            end: old.span.end,
            by: i64::from(span.start) - i64::from(old.span.start),
        };
        old.span = span;
        old.group.shift(&by);
        old.diags.shift(&by);
        for d in &old.diags {
            diags.push(d.clone());
        }
        let group = old.group.clone();
        self.this.insert(text.to_string(), old);
        Some(group)
    }

    /// Keeps what lowering the group declared by `text` at `span` gave.
    pub(crate) fn keep(
        &mut self,
        text: &str,
        span: Span,
        group: &Option<model::Group>,
        diags: &Diagnostics,
    ) {
        let lowered = Lowered {
            span,
            group: group.clone(),
            diags: diags.iter().cloned().collect(),
        };
        self.this.insert(text.to_string(), lowered);
    }
}
