//! Diagnostics: errors, warnings and notes with stable codes and spans.
//!
//! Every stage reports into a [`Diagnostics`] accumulator and carries on;
//! nothing stops at the first error. A [`Diagnostic`] holds only spans; the
//! driver attaches source text when rendering (miette's "delayed source
//! code"), as graphical text ([`render_human`]) or JSON ([`render_json`]).

use crate::source::{SourceMap, Span};

/// Declares stable diagnostic codes as constants, each with its doc comment,
/// plus a `CODES` list of all of them (for coverage tests) and `DOCS`, each
/// code with its doc lines (for [`catalog`]).
macro_rules! codes {
    ($( $(#[doc = $doc:literal])* $name:ident = $code:literal; )*) => {
        $( $(#[doc = $doc])* pub const $name: &str = $code; )*
        /// Every code of this list, for documentation and coverage tests.
        pub const CODES: &[&str] = &[ $( $name ),* ];
        /// Every code with the lines of its doc comment.
        pub const DOCS: &[(&str, &[&str])] = &[ $( ($name, &[ $( $doc ),* ]) ),* ];
    };
}
pub(crate) use codes;

/// Codes the command line reports about files, flags and saved plans.
pub mod cli_codes {
    codes! {
        /// A file that can't be read.
        READ = "scale::io::read";
        /// A file that isn't UTF-8 text.
        ENCODING = "scale::io::encoding";
        /// No `.scale` file where one was looked for.
        NO_SPEC = "scale::io::no_spec";
        /// Several `.scale` files and none called `app.scale`.
        SEVERAL_SPECS = "scale::io::several_specs";
        /// A file that can't be written.
        WRITE = "scale::io::write";
        /// A command line scalec can't parse.
        USAGE = "scale::cli::usage";
        /// A `--params` file with a line that isn't `name = value`.
        PARAMS_FILE = "scale::cli::params_file";
        /// A saved plan that isn't one.
        PLAN_INVALID = "scale::plan::invalid";
        /// A saved plan made from another spec or another account state.
        PLAN_STALE = "scale::plan::stale";
        /// A saved plan whose calls are not the ones its spec and the live
        /// account call for (edited after it was saved).
        PLAN_ALTERED = "scale::plan::altered";
        /// `--group` names no group of the environment, or it has none.
        SIM_GROUP = "scale::sim::group";
        /// `--start-capacity` outside the group's capacity.
        SIM_START_CAPACITY = "scale::sim::start_capacity";
        /// `--refresh-at` outside the trace.
        SIM_REFRESH_AT = "scale::sim::refresh_at";
        /// `--launch-delay auto` with no finished launch to measure.
        SIM_LAUNCH_DELAY = "scale::sim::launch_delay";
        /// `trace fetch --since` older than CloudWatch keeps, or under a
        /// minute.
        TRACE_SINCE = "scale::trace::since";
        /// `trace fetch` found no load of the group in the range.
        TRACE_EMPTY = "scale::trace::no_data";
        /// `trace generate --test` names no test, or one whose load is a file.
        TRACE_TEST = "scale::trace::test";
    }
}
use serde::Serialize;
use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The spec is wrong; nothing can be built from it.
    Error,
    /// Probably a mistake; fails `check` only with `--deny-warnings`.
    Warning,
    /// Something worth knowing; never fails anything.
    Note,
}

/// A labelled span.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What to say there.
    pub message: String,
}

/// One finding about the spec.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// Stable code, `scale::<area>::<name>`.
    pub code: &'static str,
    /// Error, warning or note.
    pub severity: Severity,
    /// One sentence, lower case, no trailing period.
    pub message: String,
    /// The offending span first, then secondary places.
    pub labels: Vec<Label>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(
        code: &'static str,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            labels: vec![Label {
                span,
                message: label.into(),
            }],
            help: None,
        }
    }

    /// A warning at `span`.
    pub fn warning(
        code: &'static str,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message, span, label)
        }
    }

    /// A note at `span`.
    pub fn note(
        code: &'static str,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(code, message, span, label)
        }
    }

    /// Adds a secondary label.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Sets the help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the help line if there is one.
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    /// The primary span.
    pub fn span(&self) -> Span {
        self.labels[0].span
    }
}

/// An accumulator of diagnostics, deduplicated and kept in report order.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
    seen: std::collections::HashSet<Diagnostic>,
    seen_notes: std::collections::HashSet<(&'static str, String)>,
}

impl Diagnostics {
    /// Empty.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one, unless the very same diagnostic was already reported (the
    /// checker runs once per environment and would otherwise repeat itself).
    pub fn push(&mut self, d: Diagnostic) {
        // A note is advice: say it once per spec, not once per use.
        if d.severity == Severity::Note {
            let key = (d.code, d.message.clone());
            if !self.seen_notes.insert(key) {
                return;
            }
        }
        if self.seen.insert(d.clone()) {
            self.list.push(d);
        }
    }

    /// Adds all of another accumulator.
    pub fn extend(&mut self, other: Diagnostics) {
        for d in other.list {
            self.push(d);
        }
    }

    /// Whether any error was reported.
    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of diagnostics of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.list.iter().filter(|d| d.severity == severity).count()
    }

    /// All of them, in order: by file and position, then severity.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.list.iter().collect();
        v.sort_by_key(|d| (d.span().file, d.span().start, d.severity, d.code));
        v
    }

    /// Iterates in report order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.list.iter()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// The diagnostics, in report order.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.list
    }
}

// ---------------------------------------------------------------------------
// miette rendering
// ---------------------------------------------------------------------------

/// A diagnostic with its source text attached, ready for miette.
#[derive(Debug)]
struct Rendered {
    code: &'static str,
    severity: Severity,
    message: String,
    help: Option<String>,
    source: crate::source::IndexedSource,
    labels: Vec<miette::LabeledSpan>,
    related: Vec<Rendered>,
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(
                self.related.iter().map(|r| r as &dyn miette::Diagnostic),
            ))
        }
    }
}

fn to_rendered(d: &Diagnostic, sources: &SourceMap) -> Rendered {
    let primary = d.span().file;
    let file = sources.get(primary);
    let mut labels = Vec::new();
    let mut related = Vec::new();
    for (i, l) in d.labels.iter().enumerate() {
        if l.span.file == primary {
            let span: miette::SourceSpan = l.span.into();
            labels.push(if i == 0 {
                miette::LabeledSpan::new_primary_with_span(Some(l.message.clone()), span)
            } else {
                miette::LabeledSpan::new_with_span(Some(l.message.clone()), span)
            });
        } else {
            // A label can only point into its own diagnostic's source, so a
            // place in another file (often the std-lib) becomes a related note.
            let other = sources.get(l.span.file);
            related.push(Rendered {
                code: d.code,
                severity: Severity::Note,
                message: format!("{} ({})", l.message, other.name),
                help: None,
                source: other.to_miette(),
                labels: vec![miette::LabeledSpan::new_with_span(
                    Some(l.message.clone()),
                    miette::SourceSpan::from(l.span),
                )],
                related: vec![],
            });
        }
    }
    Rendered {
        code: d.code,
        severity: d.severity,
        message: d.message.clone(),
        help: d.help.clone(),
        source: file.to_miette(),
        labels,
        related,
    }
}

/// Renders diagnostics as miette's graphical report, one after another.
/// `color` picks the coloured theme; `width` is the wrap width.
pub fn render_human(
    diags: &[&Diagnostic],
    sources: &SourceMap,
    color: bool,
    width: usize,
) -> String {
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false);
    let mut out = String::new();
    for d in diags {
        let r = to_rendered(d, sources);
        if handler.render_report(&mut out, &r).is_err() {
            out.push_str(&format!("{}: {}\n", d.code, d.message));
        }
        out.push('\n');
    }
    out
}

/// One label in the JSON output.
#[derive(Serialize)]
struct JsonLabel<'a> {
    file: &'a str,
    message: &'a str,
    start: u32,
    end: u32,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    primary: bool,
}

/// One diagnostic in the JSON output.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: Severity,
    message: &'a str,
    file: &'a str,
    start: u32,
    end: u32,
    line: usize,
    column: usize,
    labels: Vec<JsonLabel<'a>>,
    help: Option<&'a str>,
}

/// Renders diagnostics as a JSON array for editors and scripts.
pub fn render_json_value(diags: &[&Diagnostic], sources: &SourceMap) -> serde_json::Value {
    let list: Vec<JsonDiagnostic> = diags
        .iter()
        .map(|d| {
            let labels: Vec<JsonLabel> = d
                .labels
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let f = sources.get(l.span.file);
                    let (line, column) = f.line_col(l.span.start as usize);
                    let (end_line, end_column) = f.line_col(l.span.end as usize);
                    JsonLabel {
                        file: &f.name,
                        message: &l.message,
                        start: l.span.start,
                        end: l.span.end,
                        line,
                        column,
                        end_line,
                        end_column,
                        primary: i == 0,
                    }
                })
                .collect();
            let first = &labels[0];
            JsonDiagnostic {
                code: d.code,
                severity: d.severity,
                message: &d.message,
                file: first.file,
                start: first.start,
                end: first.end,
                line: first.line,
                column: first.column,
                help: d.help.as_deref(),
                labels,
            }
        })
        .collect();
    serde_json::to_value(list).unwrap_or(serde_json::Value::Null)
}
