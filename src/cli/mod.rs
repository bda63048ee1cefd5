//! Subcommands. Each is a clap struct with a `run` method returning the
//! process exit code: 0 clean, 1 errors found, 2 usage errors.

mod all_envs;
mod apply;
mod build;
mod check;
mod debug;
mod destroy;
mod explain;
mod fmt;
mod import;
mod lsp;
mod output;
mod params;
mod plan;
mod simulate;
mod spec;
mod std_lib;
mod test;
mod test_report;
mod trace;

use clap::{Parser, Subcommand};
use output::{Format, Problem};
use std::io::IsTerminal;
use std::path::Path;

/// scalec: a compiler for EC2 Auto Scaling specifications.
#[derive(Parser)]
#[command(name = "scalec", version, about, long_about = None)]
#[command(
    after_help = "Examples:\n  scalec check\n  scalec plan --env staging\n  scalec check app.scale --env staging --format json\n  scalec check --format sarif > scalec.sarif\n  scalec build app.scale --env production -o production.json\n  scalec debug model app.scale --env production\n  scalec simulate app.scale --env production --trace load.csv --svg load.svg\n\nWithout FILE, a command uses ./app.scale, or the only .scale file in the current directory."
)]
#[command(args_conflicts_with_subcommands = true, arg_required_else_help = true)]
struct Cli {
    /// Explain a diagnostic code at length, with an example (as rustc's
    /// --explain): `scalec --explain scale::step::gap`.
    #[arg(long, value_name = "CODE")]
    explain: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Check specs and report problems.
    Check(check::CheckCommand),
    /// Compile environments to CloudFormation templates.
    Build(build::BuildCommand),
    /// Show the AWS API calls that would make an environment real.
    Plan(plan::PlanCommand),
    /// Create an environment in AWS with direct API calls.
    Apply(apply::ApplyCommand),
    /// Delete what scalec manages for an environment, and nothing else.
    Destroy(destroy::DestroyCommand),
    /// Replay a load trace through an environment's scaling policies.
    Simulate(simulate::SimulateCommand),
    /// Run the specs' scaling tests: simulate each and judge its expectations.
    Test(test::TestCommand),
    /// Work with load traces: `trace fetch` reads a group's history from
    /// CloudWatch.
    #[command(
        subcommand,
        after_help = "Examples:\n  scalec trace fetch --env production --group web --since 7d -o last-week.csv\n  scalec trace generate examples/traces/traces.scale --test flash_crowd -o flash-crowd.csv"
    )]
    Trace(trace::TraceCommand),
    /// Write the spec of an existing CloudFormation template.
    Import(import::ImportCommand),
    /// Rewrite .scale files in the canonical layout.
    Fmt(fmt::FmtCommand),
    /// Run the language server for editors, on stdin/stdout.
    Lsp(lsp::LspCommand),
    /// List the std-lib: metrics with units and dimensions, presets with
    /// their values.
    Std(std_lib::StdCommand),
    /// Print the compiler's intermediate forms.
    #[command(
        subcommand,
        after_help = "Examples:\n  scalec debug ast examples/macro-ai.scale\n  scalec debug model examples/macro-ai.scale --env staging\n\nThe JSON printed is for looking at, not for scripts: its shape follows the compiler's and may change."
    )]
    Debug(debug::DebugCommand),
}

/// Parses and runs; returns the exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            if !e.use_stderr() {
                // --help, --version
                let _ = e.print();
                return 0;
            }
            match machine_format() {
                Some(kind) => usage_document(kind, &e),
                None => {
                    let _ = e.print();
                }
            }
            return 2;
        }
    };
    let Some(command) = cli.command else {
        return match cli.explain {
            Some(code) => explain::run(&code),
            None => 2,
        };
    };
    match command {
        Command::Check(c) => c.run(),
        Command::Build(b) => b.run(),
        Command::Plan(p) => p.run(),
        Command::Apply(a) => a.run(),
        Command::Destroy(d) => d.run(),
        Command::Simulate(s) => s.run(),
        Command::Test(t) => t.run(),
        Command::Trace(t) => t.run(),
        Command::Import(i) => i.run(),
        Command::Fmt(f) => f.run(),
        Command::Lsp(l) => l.run(),
        Command::Std(s) => s.run(),
        Command::Debug(d) => d.run(),
    }
}

/// `json` or `sarif` when the command line asks for a machine format, so
/// that even a usage error is printed as a document on stdout.
fn machine_format() -> Option<&'static str> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().enumerate().find_map(|(i, a)| {
        let value = match a.strip_prefix("--format=") {
            Some(v) => v,
            None if a == "--format" => args.get(i + 1).map(String::as_str).unwrap_or_default(),
            None => return None,
        };
        match value {
            "json" => Some("json"),
            "sarif" => Some("sarif"),
            _ => None,
        }
    })
}

/// A usage error as a JSON or SARIF document on stdout.
fn usage_document(kind: &str, e: &clap::Error) {
    // clap's text up to its usage line, on one line.
    let text = e.render().to_string();
    let message = text
        .lines()
        .take_while(|l| !l.starts_with("Usage:"))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .trim_start_matches("error: ")
        .to_string();
    let problem = Problem::new(scalec::diagnostic::cli_codes::USAGE, message)
        .with_help("run `scalec help` or `scalec COMMAND --help` for the options");
    if kind == "sarif" {
        let note = scalec::sarif::Notification {
            code: problem.code,
            message: &problem.message,
            file: None,
        };
        output::print_json(&scalec::sarif::render(
            &[],
            &[note],
            env!("CARGO_PKG_VERSION"),
        ));
    } else {
        output::fail(Format::Json, &[problem]);
    }
}

/// Whether to colour output on stderr.
pub fn color_stderr() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Terminal width for wrapping, or 100.
pub fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

/// Parses `NAME=VALUE`.
pub fn parse_param(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("expected NAME=VALUE, found `{s}`")),
    }
}

/// `90s`, `10m`, `1h` -> seconds, for command-line durations.
pub fn parse_duration(s: &str) -> Result<u32, String> {
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let value: f64 = num
        .parse()
        .map_err(|_| format!("expected a duration such as `10m`, found `{s}`"))?;
    match scalec::check::units::parse_unit(unit) {
        Some((scalec::model::Unit::Seconds, factor))
            if (value * factor).round() <= f64::from(u32::MAX) =>
        {
            // Non-negative (digits only) and within u32 by the guard.
            Ok((value * factor).round() as u32)
        }
        _ => Err(format!(
            "expected a duration with a unit (`90s`, `10m`, `1h`), found `{s}`"
        )),
    }
}

/// Writes a line to stdout; a closed pipe (`scalec ... | head`) is not an error.
pub fn print_stdout(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
}

/// Writes a file so that readers see either the old or the new content,
/// never a half-written one.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = dir.join(format!(".{name}.scalec-{}.tmp", std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// [`write_atomic`], unless `path` already holds exactly `text`: then the
/// file, and its modification time, are left alone, the way `make` and CI
/// caches expect of a rebuild. Returns whether it wrote.
pub fn write_if_changed(path: &Path, text: &str) -> std::io::Result<bool> {
    let same = std::fs::metadata(path)
        .is_ok_and(|m| m.is_file() && u64::try_from(text.len()).is_ok_and(|n| n == m.len()))
        && std::fs::read(path).is_ok_and(|old| old == text.as_bytes());
    if same {
        return Ok(false);
    }
    write_atomic(path, text).map(|()| true)
}

/// Finds, reads and checks one environment of a spec. Diagnostics are
/// printed in `format`; errors end the command (the exit code is returned).
pub fn compile_env(
    file: Option<&Path>,
    env: &str,
    params: &params::ParamArgs,
    format: Format,
) -> Result<Spec, i32> {
    let values = params.values().map_err(|p| output::fail(format, &p))?;
    compile_env_with(file, env, &values, format)
}

/// [`compile_env`] with the param values read already.
pub fn compile_env_with(
    file: Option<&Path>,
    env: &str,
    values: &params::Values,
    format: Format,
) -> Result<Spec, i32> {
    let spec = compile_env_quietly(file, env, values).map_err(|p| output::fail(format, &[p]))?;
    if output::report(
        format,
        &spec.compilation.diagnostics,
        &spec.compilation.sources,
    ) != 0
        || spec.compilation.spec.environment(env).is_none()
    {
        return Err(1);
    }
    Ok(spec)
}

/// A compiled spec with its path and text.
pub struct Spec {
    pub path: std::path::PathBuf,
    pub text: String,
    pub compilation: scalec::Compilation,
}

impl Spec {
    /// The environment, which `compile_env` made sure exists.
    pub fn env(&self, name: &str) -> Option<&scalec::model::Environment> {
        self.compilation.spec.environment(name)
    }
}

/// [`scalec::compile`] for a command that exits after using it: the syntax
/// trees are never freed (freeing the 1,000-group spec's takes 8 ms and
/// changes nothing at exit), and the text is moved into the sources, not
/// copied.
pub fn compile(name: &str, text: String, opts: &scalec::check::Options) -> scalec::Compilation {
    compile_reporting(name, text, opts, &scalec::Reporting::default())
}

/// [`compile`], its findings reported as `reporting` says (`check`'s lint
/// settings and levels).
pub fn compile_reporting(
    name: &str,
    text: String,
    opts: &scalec::check::Options,
    reporting: &scalec::Reporting,
) -> scalec::Compilation {
    let (c, trees) = scalec::compile_reporting(name, text, opts, reporting);
    std::mem::forget(trees);
    c
}

/// Finds, reads and compiles one environment of a spec without reporting
/// its diagnostics; the caller decides what to show.
pub fn compile_env_quietly(
    file: Option<&Path>,
    env: &str,
    values: &params::Values,
) -> Result<Spec, Problem> {
    let path = spec::locate(file)?;
    let text = spec::read(&path)?;
    let opts = values.options(scalec::check::Options {
        envs: vec![env.to_string()],
        ..Default::default()
    });
    let compilation = compile(&path.display().to_string(), text.clone(), &opts);
    Ok(Spec {
        path,
        text,
        compilation,
    })
}

/// The offline plan of one environment; plan diagnostics (a missing param,
/// no region) are printed in `format`.
/// The plan of an environment. `live` plans are for an account, so they
/// need a region (`--region` or the environment's); an offline one may
/// have none.
pub fn plan_env(
    spec: &Spec,
    env: &str,
    region: Option<&str>,
    live: bool,
    format: Format,
) -> Result<scalec::backend::plan::ApplyPlan, i32> {
    use scalec::backend::plan::error::NO_REGION;
    use scalec::diagnostic::{Diagnostic, Diagnostics};
    let Some(e) = spec.env(env) else {
        return Err(1);
    };
    let p = scalec::backend::plan::model_to_plan(e, region, &spec.text).map_err(|d| {
        output::report(format, &d, &spec.compilation.sources);
        1
    })?;
    if live && p.region.is_empty() {
        let mut d = Diagnostics::new();
        d.push(
            Diagnostic::error(NO_REGION, format!("environment `{}` has no region", e.name), e.origin, "no `region` here")
                .with_help("set `region = \"us-east-1\"` in the environment (or a preset it extends), or pass `--region`; `plan --offline` needs none"),
        );
        output::report(format, &d, &spec.compilation.sources);
        return Err(1);
    }
    Ok(p)
}

/// How much of a create `--verbose` shows.
pub fn detail(verbose: bool) -> scalec::backend::plan::Detail {
    if verbose {
        scalec::backend::plan::Detail::All
    } else {
        scalec::backend::plan::Detail::Set
    }
}

/// A tokio runtime for the AWS calls.
pub fn runtime() -> Result<tokio::runtime::Runtime, Problem> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            Problem::new(
                scalec::apply::error::RUNTIME,
                format!("can't start the async runtime: {e}"),
            )
            .with_help("the system refused threads or file handles: raise `ulimit -n` (open files) or `ulimit -u` (processes), then run the command again")
        })
}

/// Asks for `yes` on a terminal; elsewhere `--auto-approve` is required.
pub fn confirm(question: &str) -> bool {
    use std::io::{BufRead, Write};
    if !std::io::stdin().is_terminal() {
        eprintln!("error: not on a terminal; pass --auto-approve to go ahead without confirmation");
        return false;
    }
    eprint!("{question} Only `yes` proceeds: ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    if answer.trim() == "yes" {
        true
    } else {
        eprintln!("Cancelled.");
        false
    }
}

/// Colours plan lines for a terminal: green creates, yellow updates, red
/// deletes. Off when the stream isn't a terminal or `NO_COLOR` is set.
pub fn colorize_plan(text: &str, terminal: bool) -> String {
    let on = terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if !on {
        return text.to_string();
    }
    text.lines()
        .map(|l| {
            let code = match l.trim_start().chars().next() {
                Some('+') if l.starts_with("  + ") => "32",
                Some('~') if l.starts_with("  ~ ") => "33",
                Some('-') if l.starts_with("  - ") => "31",
                _ if l.starts_with("        ") => "2",
                _ => return l.to_string(),
            };
            format!("\x1b[{code}m{l}\x1b[0m")
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
