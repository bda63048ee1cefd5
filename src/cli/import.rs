//! `scalec import`: write the spec of an existing CloudFormation template.

use super::output::{self, Format, Problem};
use scalec::diagnostic::{Diagnostics, Severity};
use scalec::import::{self, Entry, Options};
use scalec::source::SourceMap;
use std::path::PathBuf;

/// Write the spec that builds an existing CloudFormation template.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  scalec import --template stack.json -o app.scale\n  scalec import --template cdk.out/Api.template.json --app api --env production\n  scalec import --template stack.yaml --format json\n  scalec import --template out/production/app-production-shared.json --template out/production/app-production-1.json\n\nThe template may be JSON or YAML (short-form intrinsics such as !Ref and !Sub included), as `scalec build`, `cdk synth` or `aws cloudformation get-template` write it. Every resource is listed with what became of it; a resource scalec can't express yet stops the import with a located explanation, and nothing is written.\nExit codes: 0 imported, 1 refused or errors, 2 usage error."
)]
pub struct ImportCommand {
    /// The CloudFormation template to import; give every stack of a split
    /// environment, one --template each.
    #[arg(long, value_name = "FILE", required = true)]
    template: Vec<PathBuf>,
    /// Write the spec here (default: stdout). An existing file is kept
    /// unless --force.
    #[arg(short, long, value_name = "PATH")]
    output: Option<PathBuf>,
    /// Overwrite --output if it exists.
    #[arg(long)]
    force: bool,
    /// The app's name, if the template doesn't say (scalec's templates do).
    #[arg(long, value_name = "NAME")]
    app: Option<String>,
    /// The environment's name, likewise.
    #[arg(long, value_name = "ENV")]
    env: Option<String>,
    /// Report format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

impl ImportCommand {
    pub fn run(self) -> i32 {
        let format = self.format;
        if let Some(out) = &self.output
            && out.exists()
            && !self.force
        {
            output::fail(
                format,
                &[Problem::new(
                    super::spec::codes::WRITE,
                    format!(
                        "{} exists; scalec import doesn't overwrite a spec",
                        out.display()
                    ),
                )
                .with_help("choose another --output, or give --force")],
            );
            return 1;
        }
        let mut sources = SourceMap::new();
        let mut ids = Vec::new();
        for path in &self.template {
            let text = match super::spec::read(path) {
                Ok(t) => t,
                Err(p) => return output::fail(format, &[p]),
            };
            ids.push(sources.add(path.display().to_string(), text, false));
        }
        let opts = Options {
            app: self.app.clone(),
            env: self.env.clone(),
        };
        let recovered = match import::import_templates(&sources, &ids, &opts) {
            Ok(r) => r,
            Err((diags, entries)) => {
                let mut d = Diagnostics::new();
                diags.into_iter().for_each(|x| d.push(x));
                if format == Format::Human {
                    eprint!("{}", render_entries(&entries));
                }
                return output::report(format, &d, &sources).max(1);
            }
        };
        // The spec must be one `check` accepts: compile it as written.
        let name = self
            .output
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "imported.scale".into());
        let c = scalec::compile(&name, &recovered.text, &scalec::check::Options::default());
        if c.has_errors() {
            let mut d = Diagnostics::new();
            c.diagnostics
                .iter()
                .filter(|x| x.severity == Severity::Error)
                .for_each(|x| d.push(x.clone()));
            if format == Format::Human {
                eprintln!(
                    "scalec import wrote a spec that doesn't check; this is a bug in import. The spec:\n{}",
                    recovered.text
                );
            }
            return output::report(format, &d, &c.sources).max(1);
        }
        let lints: Vec<_> = c
            .diagnostics
            .iter()
            .filter(|x| x.severity == Severity::Warning)
            .cloned()
            .collect();
        if let Some(out) = &self.output
            && let Err(e) = super::write_atomic(out, &recovered.text)
        {
            return output::fail(
                format,
                &[Problem::new(
                    super::spec::codes::WRITE,
                    format!("can't write {}: {e}", out.display()),
                )],
            );
        }
        match format {
            Format::Human => {
                if !lints.is_empty() {
                    let mut d = Diagnostics::new();
                    lints.iter().for_each(|x| d.push(x.clone()));
                    output::report(format, &d, &c.sources);
                }
                eprint!("{}", render_entries(&recovered.entries));
                for a in &recovered.added {
                    eprintln!("  added {a}");
                }
                eprintln!("{}", summary(&recovered.entries, lints.len()));
                if self.output.is_none() {
                    super::print_stdout(recovered.text.trim_end());
                } else if let Some(out) = &self.output {
                    eprintln!("wrote {}", out.display());
                }
            }
            Format::Json => {
                let v = serde_json::json!({
                    "ok": true,
                    "spec": recovered.text,
                    "resources": recovered.entries,
                    "added": recovered.added,
                    "lints": scalec::diagnostic::render_json_value(&lints.iter().collect::<Vec<_>>(), &c.sources),
                });
                output::print_json(&v);
            }
        }
        0
    }
}

/// One line per resource: what it became.
fn render_entries(entries: &[Entry]) -> String {
    let mut s = String::new();
    let width = entries.iter().map(|e| e.id.len()).max().unwrap_or(0);
    for e in entries {
        let mark = if e.imported { '+' } else { '-' };
        s.push_str(&format!(
            "  {mark} {:<width$}  {:<38} {}\n",
            e.id, e.ty, e.became
        ));
    }
    s
}

/// `imported 1 group, 7 policies, ...; left out 2 resources; 1 lint`.
fn summary(entries: &[Entry], lints: usize) -> String {
    let count = |prefix: &str| {
        entries
            .iter()
            .filter(|e| e.imported && e.became.starts_with(prefix))
            .count()
    };
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let left = entries.iter().filter(|e| !e.imported).count();
    format!(
        "imported {}, {}, {}, {}, {}, {}; left out {}; {} in the imported spec",
        plural(count("group "), "group", "groups"),
        plural(count("policy "), "policy", "policies"),
        plural(count("alarm ") + count("the alarm of"), "alarm", "alarms"),
        plural(count("topic "), "topic", "topics"),
        plural(count("schedule "), "schedule", "schedules"),
        plural(count("dashboard "), "dashboard", "dashboards"),
        plural(left, "resource", "resources"),
        plural(lints, "lint warning", "lint warnings"),
    )
}
