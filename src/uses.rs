//! `use "platform.scale"`: reading the files a spec uses, through the
//! caller's [`check::FileLoader`] (the library does no I/O), each once,
//! and refusing circles.

use crate::check::{self, error as codes};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::{File, Item};

/// Loads every file `user` uses, and what those use, into `sources` and
/// `asts`: depth first, each file once.
pub(crate) fn load(
    sources: &mut SourceMap,
    asts: &mut Vec<(FileId, File)>,
    user: FileId,
    opts: &check::Options,
    diags: &mut Diagnostics,
    parse: &mut dyn FnMut(&SourceMap, FileId) -> (File, Diagnostics),
) {
    let mut stack = vec![user];
    visit(sources, asts, user, opts, diags, parse, &mut stack);
}

/// The path a `use` names, joined to the using file's folder, with `.`
/// and `..` taken out where they can be.
fn joined(using: &str, written: &str) -> String {
    if written.starts_with('/') {
        return normal(written);
    }
    match std::path::Path::new(using).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            normal(&dir.join(written).display().to_string())
        }
        _ => normal(written),
    }
}

/// `a/./b/../c` as `a/c`: one spelling per file, so a file is read once.
pub(crate) fn normal(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "." => {}
            "" if !parts.is_empty() => {}
            ".." if parts.last().is_some_and(|p| *p != ".." && !p.is_empty()) => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

fn uses_of(asts: &[(FileId, File)], id: FileId) -> Vec<(String, Span)> {
    asts.iter()
        .find(|(i, _)| *i == id)
        .map(|(_, f)| {
            f.items
                .iter()
                .filter_map(|i| match i {
                    Item::Use(u) => Some((u.path.clone(), u.path_span)),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn visit(
    sources: &mut SourceMap,
    asts: &mut Vec<(FileId, File)>,
    id: FileId,
    opts: &check::Options,
    diags: &mut Diagnostics,
    parse: &mut dyn FnMut(&SourceMap, FileId) -> (File, Diagnostics),
    stack: &mut Vec<FileId>,
) {
    for (written, span) in uses_of(asts, id) {
        let path = joined(&sources.get(id).name, &written);
        let Some(loader) = &opts.files else {
            diags.push(
                Diagnostic::error(
                    codes::USE_MISSING,
                    format!("`{written}` can't be read here"),
                    span,
                    "used here",
                )
                .with_help(
                    "check the spec with `scalec check FILE`, which reads the files it uses",
                ),
            );
            continue;
        };
        let (name, text) = match (loader.0)(&path) {
            Ok(x) => x,
            Err(why) => {
                diags.push(
                    Diagnostic::error(
                        codes::USE_MISSING,
                        format!("can't read `{written}`: {why}"),
                        span,
                        "used here",
                    )
                    .with_help(format!(
                        "the path is relative to this file's folder: `{path}`; fix it or create the file"
                    )),
                );
                continue;
            }
        };
        // Already read: on the way here (a circle), or before (once).
        let key = normal(&name);
        if let Some((seen, _)) = sources
            .iter()
            .find(|(_, f)| !f.is_std && normal(&f.name) == key)
        {
            if let Some(pos) = stack.iter().position(|s| *s == seen) {
                let chain: Vec<String> = stack[pos..]
                    .iter()
                    .map(|s| sources.get(*s).name.clone())
                    .chain(std::iter::once(name.clone()))
                    .collect();
                diags.push(
                    Diagnostic::error(
                        codes::USE_CYCLE,
                        format!("files use each other in a circle: {}", chain.join(" -> ")),
                        span,
                        "back to the start",
                    )
                    .with_help("move what both need into a third file that both use"),
                );
            }
            continue;
        }
        let new = sources.add(name, text, false);
        let (ast, d) = parse(sources, new);
        diags.extend(d);
        for item in &ast.items {
            if let Item::App(a) = item {
                diags.push(
                    Diagnostic::error(
                        codes::USE_CYCLE,
                        "a used file declares `app`",
                        a.span,
                        "the app is the using spec's",
                    )
                    .with_label(span, "used here")
                    .with_help(
                        "a used file holds declarations (templates, presets, topics, metrics, params): \
                         remove its `app` line",
                    ),
                );
            }
        }
        asts.push((new, ast));
        stack.push(new);
        visit(sources, asts, new, opts, diags, parse, stack);
        stack.pop();
    }
}
