//! How outcomes are printed: rendered for people on stderr, or, with
//! `--format json`, as one JSON document on stdout whatever happens, so a
//! script or an editor never parses an empty stdout.

use scalec::diagnostic::{self, Diagnostics};
use scalec::source::SourceMap;
use serde_json::{Value as Json, json};
use std::path::Path;

/// Output format of commands that print for machines too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Rendered for people.
    Human,
    /// JSON on stdout, for editors and scripts.
    Json,
}

/// Something that stopped a command and isn't located in a spec: a file
/// that can't be read, an AWS error, a bad flag.
#[derive(Debug, Clone)]
pub struct Problem {
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
    pub file: Option<String>,
}

impl Problem {
    pub fn new(code: &'static str, message: impl Into<String>) -> Problem {
        Problem {
            code,
            message: message.into(),
            help: None,
            file: None,
        }
    }

    /// `scale::io::write`: `path` could not be written, with what to do
    /// about the kind of failure.
    pub fn cant_write(path: &std::path::Path, e: &std::io::Error) -> Problem {
        use std::io::ErrorKind as K;
        let parent = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."));
        let (why, help) = match e.kind() {
            K::IsADirectory => (
                "it is a folder".to_string(),
                "give a file name inside it".to_string(),
            ),
            K::AlreadyExists | K::NotADirectory => (
                format!("a part of {} is a file, not a folder", parent.display()),
                "choose a path whose folders are folders".to_string(),
            ),
            K::PermissionDenied | K::ReadOnlyFilesystem => (
                "permission denied".to_string(),
                format!(
                    "write somewhere you may, or change the permissions of {}",
                    parent.display()
                ),
            ),
            K::StorageFull | K::QuotaExceeded => (
                e.to_string(),
                "free some space and run the command again".to_string(),
            ),
            _ => (
                e.to_string(),
                "check the path and run the command again".to_string(),
            ),
        };
        // A rename over a folder says so only in words on some systems.
        let (why, help) = if path.is_dir() {
            (
                "it is a folder".to_string(),
                "give a file name inside it".to_string(),
            )
        } else {
            (why, help)
        };
        Problem::new(
            super::spec::codes::WRITE,
            format!("can't write {}: {why}", path.display()),
        )
        .with_help(format!("{help}; nothing was written there"))
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }

    pub fn in_file(mut self, path: &Path) -> Problem {
        self.file = Some(path.display().to_string());
        self
    }

    /// An AWS failure, with its code and what to do next.
    pub fn aws(e: &scalec::apply::ApplyError) -> Problem {
        Problem {
            code: e.code(),
            message: e.to_string(),
            help: e.help(),
            file: None,
        }
    }

    /// As a JSON diagnostic, in the shape of located ones minus the place.
    pub fn to_json(&self) -> Json {
        json!({
            "code": self.code,
            "severity": "error",
            "message": self.message,
            "file": self.file,
            "labels": [],
            "help": self.help,
        })
    }

    /// For people: `error[code]: message` and a help line.
    pub fn to_human(&self) -> String {
        let mut s = format!("error[{}]: {}\n", self.code, self.message);
        if let Some(h) = &self.help {
            s.push_str(&format!("  help: {h}\n"));
        }
        s
    }
}

/// Prints problems and returns exit code 1: on stderr for people, or as
/// `{"ok": false, "diagnostics": [...]}` on stdout.
pub fn fail(format: Format, problems: &[Problem]) -> i32 {
    match format {
        Format::Human => {
            for p in problems {
                eprint!("{}", p.to_human());
            }
        }
        Format::Json => {
            let list: Vec<Json> = problems.iter().map(Problem::to_json).collect();
            print_json(&json!({ "ok": false, "diagnostics": list }));
        }
    }
    1
}

/// Prints a spec's diagnostics and returns 1 if any is an error, else 0.
/// In JSON, errors make the whole outcome `{"ok": false, ...}` on stdout;
/// without errors, nothing is printed here (the command prints its result).
pub fn report(format: Format, diags: &Diagnostics, sources: &SourceMap) -> i32 {
    let list = diags.sorted();
    let failed = diags.has_errors();
    match format {
        Format::Human => {
            if !list.is_empty() {
                eprint!(
                    "{}",
                    diagnostic::render_human(&list, sources, super::color_stderr(), super::width())
                );
            }
        }
        Format::Json if failed => {
            print_json(&json!({
                "ok": false,
                "diagnostics": diagnostic::render_json_value(&list, sources),
            }));
        }
        Format::Json => {}
    }
    i32::from(failed)
}

/// Prints a JSON document on stdout, pretty.
pub fn print_json(v: &Json) {
    super::print_stdout(&serde_json::to_string_pretty(v).unwrap_or_default());
}
