//! One checked version of a document, kept for the requests that follow:
//! the compilation, every file's syntax tree and each environment's values.
//! Hover, definition and completion read it; none of them checks again.

use crate::CompileCache;
use crate::source::{FileId, Span};
use crate::syntax::ast;
use crate::{Compilation, Compiled};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A document as last checked.
pub struct Analysis {
    /// The document version it was made from.
    pub version: i32,
    /// The checked text.
    pub text: String,
    /// Model, diagnostics and sources (the user's file is `FileId(0)`), and
    /// every file's tree (the user's first, then the std-lib's); shared
    /// with the checker's cache, which copies unchanged parts from it.
    pub compiled: Arc<Compiled>,
    /// Each environment's values, `extends` merged in.
    pub env_values: Vec<(String, BTreeMap<String, Span>)>,
}

impl Analysis {
    /// Checks `text` as version `version`, reusing what `cache` kept of
    /// the last version that is unchanged.
    pub fn new(text: String, version: i32, cache: &mut CompileCache) -> Analysis {
        Analysis::of_file(text, version, cache, "app.scale", None)
    }

    /// [`Analysis::new`] of the document at `path`, whose `use`d files
    /// `files` reads (relative paths are relative to `path`).
    pub fn of_file(
        text: String,
        version: i32,
        cache: &mut CompileCache,
        path: &str,
        files: Option<crate::check::FileLoader>,
    ) -> Analysis {
        let opts = crate::check::Options {
            files,
            ..Default::default()
        };
        let compiled = crate::compile_incrementally(path, &text, &opts, cache);
        let refs: Vec<(FileId, &ast::File)> =
            compiled.trees.iter().map(|(id, t)| (*id, t)).collect();
        let env_values = crate::check::environment_values(&refs, &compiled.comp.sources);
        drop(refs);
        Analysis {
            version,
            text,
            compiled,
            env_values,
        }
    }

    /// Model, diagnostics and sources.
    pub fn comp(&self) -> &Compilation {
        &self.compiled.comp
    }

    /// Every file's tree: the user's first, then the std-lib's.
    pub fn trees(&self) -> &[(FileId, ast::File)] {
        &self.compiled.trees
    }

    /// The text of a span in its file.
    pub fn slice(&self, span: Span) -> &str {
        self.compiled.comp.sources.slice(span)
    }

    /// The `///` lines right above a byte offset of a file, joined.
    pub fn doc_before(&self, file: FileId, start: usize) -> Option<String> {
        crate::syntax::doc_before(&self.compiled.comp.sources.get(file).text, start)
    }
}
