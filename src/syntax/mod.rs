//! Parsing: source text to [`ast::File`], with diagnostics.
//!
//! This module knows nothing about AWS, units or environments. It can be used
//! on its own (a formatter or a language server would start here). Parsing
//! never fails: malformed lines become diagnostics (`scale::syntax::*`) and
//! the rest of the file is still read.

pub mod ast;
mod build;
pub mod error;
pub mod grammar;

use crate::diagnostic::Diagnostics;
use crate::source::{FileId, SourceMap};

/// Parses one file of the map.
pub fn source_to_ast(sources: &SourceMap, file: FileId) -> (ast::File, Diagnostics) {
    let text = sources.get(file).text.clone();
    build::parse_file(&text, file)
}
