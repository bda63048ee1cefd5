//! `scalec import`: CloudFormation templates back into a spec. `template`
//! reads and evaluates a template, `recover` turns its resources into spec
//! items; the result is checked by compiling it like any spec.

pub mod factor;

mod fleet;
mod graph;
mod items;
pub mod merge;
mod metrics;
pub mod recover;
mod scalable;
pub mod template;
mod text;

use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;

/// The codes of import's diagnostics.
pub mod error {
    use crate::diagnostic::codes;
    codes! {
    /// A template that is neither JSON nor YAML, or is cut short.
    PARSE = "scale::import::parse";
    /// A file that is not a CloudFormation template.
    NOT_CFN = "scale::import::not_cfn";
    /// An intrinsic function or macro scalec can't evaluate.
    INTRINSIC = "scale::import::intrinsic";
    /// Something a spec can't express, or import doesn't read yet.
    UNSUPPORTED = "scale::import::unsupported";
    /// Conditions or resources that depend on themselves, which
    /// CloudFormation refuses.
    CYCLE = "scale::import::cycle";
    }
}

pub use recover::{Entry, Options, Recovered};

/// Imports the template `file` of `sources`: the spec and what became of
/// every resource, or located errors (with the entries read so far).
pub fn import_template(
    sources: &SourceMap,
    file: crate::source::FileId,
    opts: &Options,
) -> Result<Recovered, (Vec<Diagnostic>, Vec<Entry>)> {
    import_templates(sources, &[file], opts)
}

/// Imports the stacks of one environment together (a split environment:
/// a shared stack and stacks of groups that import its exports).
pub fn import_templates(
    sources: &SourceMap,
    files: &[crate::source::FileId],
    opts: &Options,
) -> Result<Recovered, (Vec<Diagnostic>, Vec<Entry>)> {
    let t = template::read_many(sources, files).map_err(|d| (d, vec![]))?;
    recover::recover(&t, opts)
}
