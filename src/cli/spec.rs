//! Finding and reading the spec a command works on: the file given, or the
//! one in a directory (`./app.scale`, else the only `*.scale`), the way
//! terraform reads its working directory.

use super::output::Problem;
use std::path::{Path, PathBuf};

/// The name looked for first in a directory.
pub const DEFAULT_NAME: &str = "app.scale";

pub use scalec::diagnostic::cli_codes as codes;

/// The spec for `arg`: a file as given; for a directory (or nothing, the
/// current one) its `app.scale`, else its only `*.scale` file.
pub fn locate(arg: Option<&Path>) -> Result<PathBuf, Problem> {
    let dir = match arg {
        Some(p) if p.is_dir() => p,
        Some(p) => return Ok(p.to_path_buf()),
        None => Path::new("."),
    };
    let shown = if arg.is_none() {
        "the current directory".to_string()
    } else {
        dir.display().to_string()
    };
    let default = dir.join(DEFAULT_NAME);
    if default.is_file() {
        return Ok(tidy(default));
    }
    let mut found: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "scale") && p.is_file())
            .collect(),
        Err(e) => {
            return Err(Problem::new(
                codes::READ,
                format!("can't list {shown}: {e}"),
            ));
        }
    };
    found.sort();
    let command = command();
    match found.len() {
        1 => Ok(tidy(found.remove(0))),
        0 => {
            // A spec one or two folders down: say where, and how to name it.
            let below = specs_below(dir, 2);
            let help = match below.as_slice() {
                [] => format!(
                    "name the spec (`scalec {command} path/to/app.scale`), or run scalec where `{DEFAULT_NAME}` is"
                ),
                [one] => format!(
                    "there is one in a folder below: `scalec {command} {}{}`",
                    tidy(one.clone()).display(),
                    env_hint(&command)
                ),
                more => format!(
                    "folders below hold {}: name one, as `scalec {command} {}{}`",
                    more.iter()
                        .take(5)
                        .map(|p| format!("`{}`", tidy(p.clone()).display()))
                        .collect::<Vec<_>>()
                        .join(", "),
                    tidy(more[0].clone()).display(),
                    env_hint(&command)
                ),
            };
            Err(Problem::new(codes::NO_SPEC, format!("no .scale file in {shown}")).with_help(help))
        }
        _ => {
            let names: Vec<String> = found
                .iter()
                .map(|p| format!("`{}`", tidy(p.clone()).display()))
                .collect();
            let first = tidy(found[0].clone());
            let help = if command == "check" {
                format!(
                    "check them all (`scalec check {}`), name one, or call the main one `{DEFAULT_NAME}`",
                    found
                        .iter()
                        .map(|p| tidy(p.clone()).display().to_string())
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            } else {
                format!(
                    "name the one to use (`scalec {command} {}{}`), or call it `{DEFAULT_NAME}`",
                    first.display(),
                    env_hint(&command)
                )
            };
            Err(Problem::new(
                codes::SEVERAL_SPECS,
                format!(
                    "{} .scale files in {shown} and none is `{DEFAULT_NAME}`: {}",
                    found.len(),
                    names.join(", ")
                ),
            )
            .with_help(help))
        }
    }
}

/// The subcommand running, for help lines that show a command to type.
fn command() -> String {
    const COMMANDS: &[&str] = &[
        "check", "build", "plan", "apply", "destroy", "simulate", "import", "debug",
    ];
    std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .filter(|a| COMMANDS.contains(&a.as_str()))
        .map(|a| {
            if a == "debug" {
                "debug model".to_string()
            } else {
                a
            }
        })
        .unwrap_or_else(|| "check".to_string())
}

/// ` --env ...` for the commands that need an environment.
fn env_hint(command: &str) -> &'static str {
    match command {
        "check" | "import" => "",
        _ => " --env ...",
    }
}

/// `.scale` files up to `depth` folders below `dir` (hidden folders and
/// `target` skipped), sorted.
fn specs_below(dir: &Path, depth: usize) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut level: Vec<PathBuf> = vec![dir.to_path_buf()];
    for _ in 0..depth {
        let mut next = Vec::new();
        for d in &level {
            let Ok(entries) = std::fs::read_dir(d) else {
                continue;
            };
            let mut children: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            children.sort();
            for p in children {
                let hidden = p
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_none_or(|n| n.starts_with('.') || n == "target" || n == "node_modules");
                if p.is_dir() && !hidden {
                    next.push(p);
                }
            }
        }
        for d in &next {
            if let Ok(entries) = std::fs::read_dir(d) {
                let mut found: Vec<PathBuf> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "scale") && p.is_file())
                    .collect();
                found.sort();
                out.extend(found);
            }
        }
        level = next;
    }
    out
}

/// `./x.scale` -> `x.scale`, for messages and the `file` of diagnostics.
fn tidy(p: PathBuf) -> PathBuf {
    match p.strip_prefix(".") {
        Ok(rest) if !rest.as_os_str().is_empty() => rest.to_path_buf(),
        _ => p,
    }
}

/// A spec file's text.
pub fn read(path: &Path) -> Result<String, Problem> {
    match std::fs::read(path) {
        Ok(bytes) => {
            // Spans are 32-bit byte offsets.
            if u32::try_from(bytes.len()).is_err() {
                return Err(Problem::new(
                    codes::READ,
                    format!("{} is over 4 GiB, too large for a spec", path.display()),
                )
                .in_file(path));
            }
            String::from_utf8(bytes).map_err(|e| {
                Problem::new(
                    codes::ENCODING,
                    format!(
                        "{} is not UTF-8 text (invalid byte at offset {})",
                        path.display(),
                        e.utf8_error().valid_up_to()
                    ),
                )
                .with_help("save the file as UTF-8")
                .in_file(path)
            })
        }
        Err(e) => Err(
            Problem::new(codes::READ, format!("can't read {}: {e}", path.display())).in_file(path),
        ),
    }
}
