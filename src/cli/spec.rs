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
    match found.len() {
        1 => Ok(tidy(found.remove(0))),
        0 => Err(Problem::new(
            codes::NO_SPEC,
            format!("no .scale file in {shown}"),
        )
        .with_help(format!(
            "name the spec (`scalec check path/to/app.scale`), or run scalec where `{DEFAULT_NAME}` is"
        ))),
        _ => {
            let names: Vec<String> = found.iter().map(|p| format!("`{}`", tidy(p.clone()).display())).collect();
            Err(Problem::new(
                codes::SEVERAL_SPECS,
                format!(
                    "{} .scale files in {shown} and none is `{DEFAULT_NAME}`: {}",
                    found.len(),
                    names.join(", ")
                ),
            )
            .with_help(format!(
                "name the one to use (`scalec plan {} --env ...`), or call it `{DEFAULT_NAME}`",
                tidy(found[0].clone()).display()
            )))
        }
    }
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
