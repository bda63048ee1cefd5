//! `scalec fmt`: rewrite specs in the canonical layout, or list those that
//! aren't (`--check`).

use super::output::{self, Format, Problem};
use scalec::source::SourceMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Rewrite .scale files in scalec's canonical layout.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  scalec fmt\n  scalec fmt app.scale\n  scalec fmt --check .\n  cat app.scale | scalec fmt -\n\nA directory means every .scale file under it (hidden folders and target/ skipped).\nThe files that change (or, with --check, would change) are listed on stdout.\nComments are kept; a file with syntax errors is reported and left as it is.\n\nExit codes: 0 formatted (or already formatted), 1 syntax errors, unreadable files, or --check found files to format, 2 usage error."
)]
pub struct FmtCommand {
    /// Files or directories (default: the current directory); `-` formats
    /// standard input to standard output.
    paths: Vec<PathBuf>,
    /// Write nothing: list the files that aren't formatted and exit 1 if any.
    #[arg(long)]
    check: bool,
}

/// The .scale files under `dir`, sorted, skipping hidden folders and
/// `target`.
fn scale_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if p.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                scale_files(&p, out)?;
            }
        } else if p.extension().is_some_and(|e| e == "scale") {
            out.push(p);
        }
    }
    Ok(())
}

/// Writes text to stdout as is; a closed pipe is not an error.
fn write_stdout(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// What became of one file.
enum Outcome {
    Same,
    Changed(String),
    Failed,
}

/// Formats one text; syntax errors are printed.
fn format_text(name: &str, text: &str) -> Outcome {
    let mut sources = SourceMap::new();
    let id = sources.add(name, text, false);
    match scalec::syntax::format::format(text, id) {
        Ok(new) if new == text => Outcome::Same,
        Ok(new) => Outcome::Changed(new),
        Err(diags) => {
            output::report(Format::Human, &diags, &sources);
            eprintln!("{name} was not formatted: fix its syntax errors first");
            Outcome::Failed
        }
    }
}

impl FmtCommand {
    pub fn run(self) -> i32 {
        if self.paths.iter().any(|p| p.as_os_str() == "-") {
            if self.paths.len() > 1 {
                return output::fail(
                    Format::Human,
                    &[Problem::new(
                        scalec::diagnostic::cli_codes::USAGE,
                        "`-` (standard input) can't be combined with files",
                    )
                    .with_help("format stdin alone: `scalec fmt - < app.scale`")],
                );
            }
            return self.stdin();
        }
        let roots = if self.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            self.paths.clone()
        };
        let mut files = Vec::new();
        let mut failed = false;
        for root in &roots {
            if root.is_dir() {
                if let Err(e) = scale_files(root, &mut files) {
                    output::fail(
                        Format::Human,
                        &[Problem::new(
                            super::spec::codes::READ,
                            format!("can't read {}: {e}", root.display()),
                        )],
                    );
                    failed = true;
                }
            } else {
                files.push(root.clone());
            }
        }
        let mut unformatted = 0;
        for path in &files {
            let text = match super::spec::read(path) {
                Ok(t) => t,
                Err(p) => {
                    output::fail(Format::Human, &[p]);
                    failed = true;
                    continue;
                }
            };
            let name = path.display().to_string();
            match format_text(&name, &text) {
                Outcome::Same => {}
                Outcome::Failed => failed = true,
                Outcome::Changed(new) => {
                    unformatted += 1;
                    if !self.check
                        && let Err(e) = super::write_atomic(path, &new)
                    {
                        output::fail(
                            Format::Human,
                            &[Problem::cant_write(path, &e).in_file(path)],
                        );
                        failed = true;
                        continue;
                    }
                    super::print_stdout(&name);
                }
            }
        }
        if self.check && unformatted > 0 {
            eprintln!(
                "{unformatted} of {} file{} would be reformatted; run `scalec fmt` to format",
                files.len(),
                if files.len() == 1 { "" } else { "s" }
            );
        }
        i32::from(failed || (self.check && unformatted > 0))
    }

    fn stdin(&self) -> i32 {
        let mut text = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut text) {
            return output::fail(
                Format::Human,
                &[Problem::new(
                    super::spec::codes::READ,
                    format!("can't read standard input: {e}"),
                )],
            );
        }
        if u32::try_from(text.len()).is_err() {
            return output::fail(
                Format::Human,
                &[Problem::new(
                    super::spec::codes::READ,
                    "standard input is over 4 GiB, too large for a spec",
                )],
            );
        }
        match format_text("<stdin>", &text) {
            Outcome::Failed => 1,
            Outcome::Same => {
                if !self.check {
                    write_stdout(&text);
                }
                0
            }
            Outcome::Changed(new) => {
                if self.check {
                    super::print_stdout("<stdin>");
                    1
                } else {
                    write_stdout(&new);
                    0
                }
            }
        }
    }
}
