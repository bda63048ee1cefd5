//! `scalec check`.

use super::output::{self, Problem};
use scalec::diagnostic::{self, Severity};
use std::path::PathBuf;

/// Check specs: parse, resolve every environment and apply AWS's rules.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  scalec check\n  scalec check examples/macro-ai.scale\n  scalec check app.scale --env production --env staging\n  scalec check app.scale --format json --deny-warnings\n  scalec check app.scale --format sarif > scalec.sarif\n  scalec check app.scale --max-reach 15m\n  scalec check app.scale --allow capacity.desired --deny lint.runaway\n\nWithout FILE, scalec checks ./app.scale, or the only .scale file in the current directory;\na directory means the same search there.\nWith --format json or sarif, stdout is one document whatever happens (an unreadable file\nincluded); --format sarif writes SARIF 2.1.0 for code-scanning dashboards.\n\nExit codes: 0 clean (warnings allowed), 1 errors (or warnings with --deny-warnings), 2 usage error."
)]
pub struct CheckCommand {
    /// The .scale files or directories to check (default: the current directory).
    files: Vec<PathBuf>,
    /// Check only these environments (default: all).
    #[arg(long = "env", value_name = "ENV")]
    envs: Vec<String>,
    #[command(flatten)]
    params: super::params::ParamArgs,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value = "human")]
    format: CheckFormat,
    /// Fail on warnings too (as `--deny warnings`).
    #[arg(long)]
    deny_warnings: bool,
    /// Leave this code's warnings and notes out (`--allow capacity.desired`).
    #[arg(long = "allow", value_name = "CODE", value_parser = parse_level_key)]
    allow: Vec<String>,
    /// Report this code's notes as warnings (`--warn policy.agent_metric`).
    #[arg(long = "warn", value_name = "CODE", value_parser = parse_level_key)]
    warn: Vec<String>,
    /// Make this code's warnings errors (`--deny lint.runaway`; `--deny
    /// warnings` for all of them).
    #[arg(long = "deny", value_name = "CODE", value_parser = parse_level_key)]
    deny: Vec<String>,
    /// Warn when a group takes longer than this to grow from its minimum
    /// to its maximum (e.g. `10m`); off by default.
    #[arg(long, value_name = "DURATION", value_parser = super::parse_duration)]
    max_reach: Option<u32>,
}

/// Output formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// Rendered for people, on stderr.
    Human,
    /// JSON on stdout, for editors and scripts.
    Json,
    /// SARIF 2.1.0 on stdout, for code-scanning dashboards.
    Sarif,
}

fn parse_level_key(s: &str) -> Result<String, String> {
    scalec::levels::parse_cli(s)
}

impl CheckCommand {
    /// The command line's lint levels, in the order rustc applies its
    /// `-A`/`-W`/`-D`: allows, then warns, then denies.
    fn levels(&self) -> Vec<(String, scalec::levels::Level)> {
        use scalec::levels::Level;
        let mut out: Vec<(String, Level)> = Vec::new();
        out.extend(self.allow.iter().map(|k| (k.clone(), Level::Allow)));
        out.extend(self.warn.iter().map(|k| (k.clone(), Level::Warn)));
        out.extend(self.deny.iter().map(|k| (k.clone(), Level::Deny)));
        if self.deny_warnings {
            out.push(("warnings".into(), Level::Deny));
        }
        out
    }

    pub fn run(self) -> i32 {
        // A params file that can't be read fails the check, said as an
        // unreadable spec is (in the JSON and SARIF documents too).
        let (values, unreadable) = match self.params.values() {
            Ok(v) => (v, Vec::new()),
            Err(p) => (Default::default(), p),
        };
        let opts = values.options(scalec::check::Options {
            envs: self.envs.clone(),
            ..Default::default()
        });
        let reporting = scalec::Reporting {
            lints: scalec::analysis::LintOptions {
                max_reach: self.max_reach,
            },
            levels: self.levels(),
        };
        let args: Vec<Option<PathBuf>> = if self.files.is_empty() {
            vec![None]
        } else {
            self.files.iter().cloned().map(Some).collect()
        };
        let mut failed = false;
        let mut problems: Vec<Problem> = Vec::new();
        for p in unreadable {
            failed = true;
            if self.format == CheckFormat::Human {
                eprint!("{}", p.to_human());
            }
            problems.push(p);
        }
        // Every file's sources stay alive until the output is written.
        let mut checked: Vec<scalec::Compilation> = Vec::new();
        for arg in &args {
            let found = super::spec::locate(arg.as_deref())
                .and_then(|path| super::spec::read(&path).map(|text| (path, text)));
            let (path, text) = match found {
                Ok(x) => x,
                Err(p) => {
                    failed = true;
                    if self.format == CheckFormat::Human {
                        eprint!("{}", p.to_human());
                    }
                    problems.push(p);
                    continue;
                }
            };
            let c = super::compile_reporting(&path.display().to_string(), text, &opts, &reporting);
            let errors = c.diagnostics.count(Severity::Error);
            let warnings = c.diagnostics.count(Severity::Warning);
            if errors > 0 || (self.deny_warnings && warnings > 0) {
                failed = true;
            }
            if self.format == CheckFormat::Human {
                let diags = c.diagnostics.sorted();
                if !diags.is_empty() {
                    eprint!(
                        "{}",
                        diagnostic::render_human(
                            &diags,
                            &c.sources,
                            super::color_stderr(),
                            super::width()
                        )
                    );
                }
                let envs = c.spec.environments.len();
                if errors == 0 {
                    eprintln!(
                        "{}: ok, {} environment{} checked{}",
                        path.display(),
                        envs,
                        if envs == 1 { "" } else { "s" },
                        if warnings > 0 {
                            format!(", {warnings} warning(s)")
                        } else {
                            String::new()
                        }
                    );
                } else {
                    eprintln!(
                        "{}: {errors} error(s), {warnings} warning(s)",
                        path.display()
                    );
                }
            }
            checked.push(c);
        }
        match self.format {
            CheckFormat::Human => {}
            CheckFormat::Json => {
                let mut all: Vec<serde_json::Value> =
                    problems.iter().map(Problem::to_json).collect();
                for c in &checked {
                    if let serde_json::Value::Array(a) =
                        diagnostic::render_json_value(&c.diagnostics.sorted(), &c.sources)
                    {
                        all.extend(a);
                    }
                }
                output::print_json(&serde_json::json!({ "diagnostics": all, "ok": !failed }));
            }
            CheckFormat::Sarif => {
                let files: Vec<_> = checked
                    .iter()
                    .map(|c| (c.diagnostics.sorted(), &c.sources))
                    .collect();
                let notes: Vec<scalec::sarif::Notification> = problems
                    .iter()
                    .map(|p| scalec::sarif::Notification {
                        code: p.code,
                        message: &p.message,
                        file: p.file.as_deref(),
                    })
                    .collect();
                output::print_json(&scalec::sarif::render(
                    &files,
                    &notes,
                    env!("CARGO_PKG_VERSION"),
                ));
            }
        }
        // Freeing large syntax trees costs time and changes nothing at exit.
        std::mem::forget(checked);
        i32::from(failed)
    }
}
