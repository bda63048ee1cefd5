//! Subcommands. Each is a clap struct with a `run` method returning the
//! process exit code: 0 clean, 1 errors found, 2 usage errors.

mod apply;
mod build;
mod check;
mod debug;
mod destroy;
mod plan;
mod simulate;

use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::Path;

/// scalec: a compiler for EC2 Auto Scaling specifications.
#[derive(Parser)]
#[command(name = "scalec", version, about, long_about = None)]
#[command(
    after_help = "Examples:\n  scalec check app.scale\n  scalec build app.scale --env production -o production.json\n  scalec check app.scale --env staging --format json\n  scalec debug model app.scale --env production\n  scalec simulate app.scale --env production --trace load.csv --svg load.svg"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
    /// Print the compiler's intermediate forms.
    #[command(subcommand)]
    Debug(debug::DebugCommand),
}

/// Output format for diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Rendered for people.
    Human,
    /// JSON for editors and scripts.
    Json,
}

/// Parses and runs; returns the exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Command::Check(c) => c.run(),
        Command::Build(b) => b.run(),
        Command::Plan(p) => p.run(),
        Command::Apply(a) => a.run(),
        Command::Destroy(d) => d.run(),
        Command::Simulate(s) => s.run(),
        Command::Debug(d) => d.run(),
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
        Some((scalec::model::Unit::Seconds, factor)) if value * factor <= u32::MAX as f64 => {
            Ok((value * factor).round() as u32)
        }
        _ => Err(format!(
            "expected a duration with a unit (`90s`, `10m`, `1h`), found `{s}`"
        )),
    }
}

/// Reads a spec file, or prints why not.
pub fn read_file(path: &std::path::Path) -> Result<String, i32> {
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(s) => Ok(s),
            Err(e) => {
                eprintln!(
                    "error[scale::io::encoding]: {} is not UTF-8 text (invalid byte at offset {})",
                    path.display(),
                    e.utf8_error().valid_up_to()
                );
                Err(1)
            }
        },
        Err(e) => {
            eprintln!("error[scale::io::read]: can't read {}: {e}", path.display());
            Err(1)
        }
    }
}

/// Writes a line to stdout; a closed pipe (`scalec ... | head`) is not an error.
pub fn print_stdout(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
}

/// Prints diagnostics to stderr, rendered for people.
pub fn report(diags: &scalec::diagnostic::Diagnostics, sources: &scalec::source::SourceMap) {
    let list = diags.sorted();
    if !list.is_empty() {
        eprint!(
            "{}",
            scalec::diagnostic::render_human(&list, sources, color_stderr(), width())
        );
    }
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

/// Reads and checks one environment of a spec, printing diagnostics.
pub fn compile_env(
    file: &Path,
    env: &str,
    params: &[(String, String)],
) -> Result<(scalec::Compilation, String), i32> {
    let (c, text) = compile_env_quietly(file, env, params)?;
    report(&c.diagnostics, &c.sources);
    if c.diagnostics.has_errors() || c.spec.environment(env).is_none() {
        return Err(1);
    }
    Ok((c, text))
}

/// Reads and compiles one environment of a spec without reporting; the
/// caller decides what to show.
pub fn compile_env_quietly(
    file: &Path,
    env: &str,
    params: &[(String, String)],
) -> Result<(scalec::Compilation, String), i32> {
    let text = read_file(file)?;
    let opts = scalec::check::Options {
        envs: vec![env.to_string()],
        params: params.iter().cloned().collect(),
        ..Default::default()
    };
    let c = scalec::compile(&file.display().to_string(), &text, &opts);
    Ok((c, text))
}

/// The offline plan of one environment, or the exit code after reporting.
pub fn plan_env(
    c: &scalec::Compilation,
    env: &str,
    region: Option<&str>,
    text: &str,
) -> Result<scalec::backend::plan::ApplyPlan, i32> {
    let Some(e) = c.spec.environment(env) else {
        return Err(1);
    };
    scalec::backend::plan::model_to_plan(e, region, text).map_err(|d| {
        report(&d, &c.sources);
        1
    })
}

/// Runs `f` with AWS clients for `region`, on a tokio runtime; explains a
/// missing-credentials failure in one screen.
pub fn with_aws<F, Fut>(region: &str, profile: Option<&str>, f: F) -> i32
where
    F: FnOnce(scalec::apply::Aws) -> Fut,
    Fut: std::future::Future<Output = i32>,
{
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: can't start the async runtime: {e}");
            return 1;
        }
    };
    runtime.block_on(async {
        match scalec::apply::Aws::connect(region, profile).await {
            Ok(aws) => f(aws).await,
            Err(e) => {
                eprintln!("error[scale::aws::credentials]: {e}");
                1
            }
        }
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
