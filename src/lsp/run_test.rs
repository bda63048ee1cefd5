//! Scaling tests in the editor: a "run test" code lens on each `test`, the
//! `scalec.runTest` command that runs it (the one place the server reads a
//! trace file), and the failures of its last run as diagnostics on the
//! expectations that broke, until the document changes.

use super::analysis::Analysis;
use super::features::USER;
use super::text::LineIndex;
use crate::model::scaling_test::Load;
use crate::sim;
use crate::syntax::ast::Item;
use lsp_types as lsp;
use lsp_types::Uri;
use serde_json::{Value as Json, json};

/// The command a lens runs: arguments `[uri, test name]`.
pub const RUN_TEST: &str = "scalec.runTest";

/// The code of a failed expectation's diagnostic.
pub const FAILED: &str = "scale::test::failed";

/// A lens on each test's name in the document.
pub fn lenses(a: &Analysis, uri: &Uri, utf8: bool) -> Vec<lsp::CodeLens> {
    let index = LineIndex::new(&a.text, utf8);
    let Some((_, tree)) = a.trees().iter().find(|(id, _)| *id == USER) else {
        return Vec::new();
    };
    tree.items
        .iter()
        .filter_map(|i| match i {
            Item::Test(t) => Some(t),
            _ => None,
        })
        .map(|t| lsp::CodeLens {
            range: index.range(t.name.span.start as usize, t.name.span.end as usize),
            command: Some(lsp::Command {
                title: "▶ Run test".into(),
                command: RUN_TEST.into(),
                arguments: Some(vec![json!(uri.as_str()), json!(t.name.name)]),
            }),
            data: None,
        })
        .collect()
}

/// What running a test gives: the answer to the command, and the
/// diagnostics of its failures.
pub struct Ran {
    /// The command's result.
    pub result: Json,
    /// One per broken expectation, on the `expect` statement.
    pub failures: Vec<lsp::Diagnostic>,
}

/// Runs test `name` of the checked document at `path`. `Err` says why it
/// can't run (the spec has errors, no such test, a trace that can't be
/// read).
pub fn run(a: &Analysis, path: Option<&str>, name: &str, utf8: bool) -> Result<Ran, String> {
    let comp = a.comp();
    if comp.has_errors() {
        return Err("the spec has errors: fix them, then run the test".into());
    }
    let Some((env, t)) = comp
        .spec
        .environments
        .iter()
        .find_map(|e| e.tests.iter().find(|t| t.name == name).map(|t| (e, t)))
    else {
        return Err(format!("there is no test `{name}` in this spec"));
    };
    let index = LineIndex::new(&a.text, utf8);
    let mut failures = Vec::new();
    let mut lines = Vec::new();
    for g in env.groups.iter().filter(|g| t.groups.contains(&g.name)) {
        let trace = load(t, &g.name, path)?;
        let run = sim::scaling_test::run_group(env, t, g, &trace);
        for v in run.verdicts.iter().filter(|v| !v.passed) {
            lines.push(format!(
                "group {}, expect {}: {}",
                g.name, v.expect, v.message
            ));
            if v.origin.file != USER {
                continue;
            }
            failures.push(lsp::Diagnostic {
                range: index.range(v.origin.start as usize, v.origin.end as usize),
                severity: Some(lsp::DiagnosticSeverity::ERROR),
                code: Some(lsp::NumberOrString::String(FAILED.into())),
                source: Some("scalec test".into()),
                message: format!("test `{name}` failed on group {}: {}", g.name, v.message),
                ..Default::default()
            });
        }
    }
    let passed = lines.is_empty();
    Ok(Ran {
        result: json!({
            "test": name,
            "environment": env.name,
            "passed": passed,
            "failures": lines,
        }),
        failures,
    })
}

/// A group's load for a test: generated, or its trace read from disk,
/// relative to the document.
fn load(
    t: &crate::model::ScaleTest,
    group: &str,
    path: Option<&str>,
) -> Result<sim::Trace, String> {
    match &t.load {
        Load::Generated { minutes, columns } => Ok(sim::load::generate(*minutes, columns)),
        Load::Trace {
            path: file,
            minutes,
            ..
        } => {
            let dir = path
                .and_then(|p| std::path::Path::new(p).parent())
                .unwrap_or(std::path::Path::new("."));
            let full = dir.join(file);
            let text = std::fs::read_to_string(&full)
                .map_err(|e| format!("can't read the trace {}: {e}", full.display()))?;
            let mut sources = crate::source::SourceMap::new();
            let id = sources.add(full.display().to_string(), text, false);
            let (mut trace, _) = sim::trace::parse_for(&sources, id, Some(group)).map_err(|d| {
                d.first().map_or_else(
                    || "the trace can't be read".into(),
                    |d| format!("{}: {}", full.display(), d.message),
                )
            })?;
            if let Some(m) = minutes {
                trace.truncate(*m);
            }
            Ok(trace)
        }
    }
}
