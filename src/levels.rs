//! Lint levels, as clippy has them: a spec's `lints { runaway = deny
//! capacity.desired = allow  warnings = deny }` and the command line's
//! `--allow CODE`, `--warn CODE` and `--deny CODE` say what becomes of each
//! warning and note: left out (`allow`), reported (`warn`), or an error
//! that fails the command (`deny`).
//!
//! A key names a code as `scale::lint::runaway`, `lint.runaway`, or, for
//! the behavioural lints, `runaway`; `warnings` names every warning. A
//! level for one code wins over `warnings`, and the command line over the
//! spec. Errors are never lowered: a level applies to warnings and notes.

use crate::check::error as codes;
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::source::Span;
use crate::suggest;
use crate::syntax::ast::{self, ExprKind, Item};

/// What becomes of a warning or note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Left out.
    Allow,
    /// Reported as a warning.
    Warn,
    /// Reported as an error.
    Deny,
}

impl Level {
    /// `allow`, `warn` or `deny`.
    pub fn word(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }
}

/// The key that names every warning.
const WARNINGS: &str = "warnings";

/// Where a level was set, for the help line of what it denies.
#[derive(Debug, Clone)]
struct Set {
    level: Level,
    /// `lints { runaway = deny }` or `--deny runaway`.
    by: String,
}

/// The levels in effect: per code, and for every warning.
#[derive(Debug, Default)]
struct Levels {
    codes: Vec<(&'static str, Set)>,
    warnings: Option<Set>,
}

/// The code a key names, if it names one scalec reports.
pub fn code_of(key: &str) -> Option<&'static str> {
    let catalog = crate::catalog::catalog();
    let full = if key.starts_with("scale::") {
        key.to_string()
    } else if key.contains('.') || key.contains("::") {
        format!("scale::{}", key.replace('.', "::"))
    } else {
        format!("scale::lint::{key}")
    };
    catalog.iter().map(|(c, _)| *c).find(|c| *c == full)
}

/// The keys a `lints` block takes, for editors: every code in its short
/// dotted form, and `warnings`.
pub fn keys() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (c, _) in crate::catalog::catalog() {
        if let Some(lint) = c.strip_prefix("scale::lint::") {
            out.push(lint.to_string());
        }
        out.push(c.trim_start_matches("scale::").replace("::", "."));
    }
    out.push(WARNINGS.into());
    out
}

/// Applies the spec's `lints` blocks and the command line's levels to
/// `diags`, and reports what is wrong in the blocks.
pub fn apply(
    files: &[(crate::source::FileId, &ast::File)],
    sources: &crate::source::SourceMap,
    cli: &[(String, Level)],
    diags: &mut Diagnostics,
) {
    let mut levels = Levels::default();
    let mut problems = Diagnostics::new();
    let mut first_block: Option<Span> = None;
    for (id, file) in files {
        if sources.get(*id).is_std {
            continue;
        }
        for item in &file.items {
            let Item::Lints(block) = item else { continue };
            if let Some(first) = first_block {
                problems.push(
                    Diagnostic::error(
                        codes::DUPLICATE,
                        "the spec declares `lints` twice",
                        block.span,
                        "second `lints`",
                    )
                    .with_label(first, "first `lints`")
                    .with_help("put every level in one `lints { ... }`"),
                );
                continue;
            }
            first_block = Some(block.span);
            read_block(block, &mut levels, &mut problems);
        }
    }
    // The command line after the spec: it wins.
    for (key, level) in cli {
        let set = Set {
            level: *level,
            by: format!("--{} {key}", level.word()),
        };
        if key == WARNINGS {
            levels.warnings = Some(set);
        } else if let Some(code) = code_of(key) {
            levels.codes.retain(|(c, _)| *c != code);
            levels.codes.push((code, set));
        }
    }
    let found = std::mem::take(diags).into_vec();
    for mut d in found {
        if d.severity != Severity::Error {
            // The code's own level first; then, for what is a warning now,
            // `warnings` (as rustc's `-W x -D warnings` denies x).
            let own = levels
                .codes
                .iter()
                .find(|(c, _)| *c == d.code)
                .map(|(_, s)| s);
            if let Some(set) = own
                && !lift(&mut d, set)
            {
                continue;
            }
            if d.severity == Severity::Warning
                && let Some(set) = &levels.warnings
                && !lift(&mut d, set)
            {
                continue;
            }
        }
        diags.push(d);
    }
    diags.extend(problems);
}

/// Applies a level to a warning or note; `false` when it is left out.
fn lift(d: &mut Diagnostic, set: &Set) -> bool {
    match set.level {
        Level::Allow => return false,
        Level::Warn => d.severity = Severity::Warning,
        Level::Deny => {
            d.severity = Severity::Error;
            d.help = Some(match d.help.take() {
                Some(h) => format!("{h} (an error by `{}`)", set.by),
                None => format!("an error by `{}`", set.by),
            });
        }
    }
    true
}

/// Reads one `lints { ... }` block into `levels`.
fn read_block(block: &ast::LintsDecl, levels: &mut Levels, problems: &mut Diagnostics) {
    let mut seen: Vec<(String, Span)> = Vec::new();
    for p in &block.body.properties {
        let key = p.key.text().into_owned();
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
            problems.push(
                Diagnostic::error(
                    codes::DUPLICATE_PROPERTY,
                    format!("`{key}` is set twice"),
                    p.key.span(),
                    "set again here",
                )
                .with_label(*first, "first set here")
                .with_help("remove one of the two"),
            );
            continue;
        }
        seen.push((key.clone(), p.key.span()));
        let level = match &p.value.kind {
            ExprKind::Path { path } if path.segments.len() == 1 => {
                match path.segments[0].name.as_str() {
                    "allow" => Some(Level::Allow),
                    "warn" => Some(Level::Warn),
                    "deny" => Some(Level::Deny),
                    other => {
                        problems.push(crate::check::eval::unknown_variant(
                            other,
                            p.value.span,
                            "lint level",
                            ["allow", "warn", "deny"].into_iter(),
                        ));
                        None
                    }
                }
            }
            _ => {
                problems.push(
                    crate::check::eval::mismatch(
                        &p.value,
                        "a lint level (`allow`, `warn` or `deny`)",
                    )
                    .with_help(
                        "write `runaway = deny`, `capacity.desired = allow` or `warnings = deny`",
                    ),
                );
                None
            }
        };
        let Some(level) = level else { continue };
        let set = Set {
            level,
            by: format!("lints {{ {key} = {} }}", level.word()),
        };
        if key == WARNINGS {
            levels.warnings = Some(set);
            continue;
        }
        match code_of(&key) {
            Some(code) => levels.codes.push((code, set)),
            None => {
                let known = keys();
                let help = suggest::did_you_mean(&key, known.iter().map(String::as_str))
                    .unwrap_or_else(|| "name a code as `lint.runaway` (or `runaway` for a behavioural lint), `capacity.desired`, or `warnings` for all of them; `scalec check` prints each diagnostic's code".into());
                problems.push(
                    Diagnostic::error(
                        codes::UNDEFINED,
                        format!("`{key}` names no diagnostic code"),
                        p.key.span(),
                        "not a code",
                    )
                    .with_help(help),
                );
            }
        }
    }
}

/// Parses `--allow CODE` and its kin: the code must be one scalec has.
pub fn parse_cli(key: &str) -> Result<String, String> {
    if key == WARNINGS || code_of(key).is_some() {
        return Ok(key.to_string());
    }
    let known = keys();
    Err(
        match suggest::did_you_mean(key, known.iter().map(String::as_str)) {
            Some(m) => format!("`{key}` names no diagnostic code; {m}"),
            None => format!(
                "`{key}` names no diagnostic code (write one as `lint.runaway`, `runaway` or `warnings`)"
            ),
        },
    )
}
