//! `scalec check`.

use super::Format;
use scalec::diagnostic::{self, Severity};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Check specs: parse, resolve every environment and apply AWS's rules.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  scalec check examples/macro-ai.scale\n  scalec check app.scale --env production --env staging\n  scalec check app.scale --format json --deny-warnings\n  scalec check app.scale --max-reach 15m\n\nExit codes: 0 clean (warnings allowed), 1 errors (or warnings with --deny-warnings), 2 usage error."
)]
pub struct CheckCommand {
    /// The .scale files to check.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Check only these environments (default: all).
    #[arg(long = "env", value_name = "ENV")]
    envs: Vec<String>,
    /// A param value, NAME=VALUE; lists are comma-separated.
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = super::parse_param)]
    params: Vec<(String, String)>,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Fail on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// Warn when a group takes longer than this to grow from its minimum
    /// to its maximum (e.g. `10m`); off by default.
    #[arg(long, value_name = "DURATION", value_parser = super::parse_duration)]
    max_reach: Option<u32>,
}

impl CheckCommand {
    pub fn run(self) -> i32 {
        let opts = scalec::check::Options {
            envs: self.envs.clone(),
            params: self.params.iter().cloned().collect::<BTreeMap<_, _>>(),
            lints: scalec::analysis::LintOptions {
                max_reach: self.max_reach,
            },
        };
        let mut failed = false;
        let mut json_all = Vec::new();
        for path in &self.files {
            let text = match super::read_file(path) {
                Ok(t) => t,
                Err(code) => return code,
            };
            let c = scalec::compile(&path.display().to_string(), &text, &opts);
            // Freeing a large syntax tree costs time and changes nothing at exit.
            let c = std::mem::ManuallyDrop::new(c);
            let diags = c.diagnostics.sorted();
            let errors = c.diagnostics.count(Severity::Error);
            let warnings = c.diagnostics.count(Severity::Warning);
            if errors > 0 || (self.deny_warnings && warnings > 0) {
                failed = true;
            }
            match self.format {
                Format::Human => {
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
                Format::Json => {
                    if let serde_json::Value::Array(a) =
                        diagnostic::render_json_value(&diags, &c.sources)
                    {
                        json_all.extend(a);
                    }
                }
            }
        }
        if self.format == Format::Json {
            let out = serde_json::json!({ "diagnostics": json_all, "ok": !failed });
            super::print_stdout(&serde_json::to_string_pretty(&out).unwrap_or_default());
        }
        i32::from(failed)
    }
}
