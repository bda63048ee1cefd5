//! `scalec trace fetch`: a group's real load and capacity from CloudWatch,
//! written as a trace that `simulate` and tests replay.

use super::output::{self, Format, Problem};
use scalec::diagnostic::cli_codes;
use scalec::sim::history;
use std::path::PathBuf;

/// Work with load traces.
#[derive(clap::Subcommand)]
pub enum TraceCommand {
    /// Read a group's history from CloudWatch into a trace.
    Fetch(FetchCommand),
    /// Write a test's generated load as a trace.
    Generate(GenerateCommand),
}

impl TraceCommand {
    pub fn run(self) -> i32 {
        match self {
            TraceCommand::Fetch(f) => f.run(),
            TraceCommand::Generate(g) => g.run(),
        }
    }
}

/// Write a test's generated load as a trace.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  scalec trace generate examples/traces/traces.scale --test flash_crowd -o examples/traces/flash-crowd.csv\n\nThe load a `test` writes with generators (ramp, step, spike, daily, weekly, decay, noise), one row a minute, the same bytes on every machine.\nExit codes: 0 written, 1 errors, 2 usage error."
)]
pub struct GenerateCommand {
    /// The .scale file, or a directory holding it (default: the current directory).
    file: Option<PathBuf>,
    /// The test whose load to write.
    #[arg(long, value_name = "NAME")]
    test: String,
    /// Where to write it (default: standard output).
    #[arg(short = 'o', long = "out", value_name = "TRACE.csv")]
    out: Option<PathBuf>,
    #[command(flatten)]
    params: super::params::ParamArgs,
}

impl GenerateCommand {
    pub fn run(self) -> i32 {
        let format = Format::Human;
        let values = match self.params.values() {
            Ok(v) => v,
            Err(p) => return output::fail(format, &p),
        };
        let path = match super::spec::locate(self.file.as_deref()) {
            Ok(p) => p,
            Err(p) => return output::fail(format, &[p]),
        };
        let text = match super::spec::read(&path) {
            Ok(t) => t,
            Err(p) => return output::fail(format, &[p]),
        };
        let opts = values.options(scalec::check::Options::default());
        let c = super::compile(&path.display().to_string(), text, &opts);
        if c.has_errors() {
            return output::report(format, &c.diagnostics, &c.sources).max(1);
        }
        let tests = c.spec.environments.iter().flat_map(|e| &e.tests);
        let Some(t) = tests.clone().find(|t| t.name == self.test) else {
            let help = scalec::suggest::did_you_mean(&self.test, tests.map(|t| t.name.as_str()))
                .unwrap_or_else(|| "name one of the spec's tests".into());
            return output::fail(
                format,
                &[Problem::new(
                    cli_codes::TRACE_TEST,
                    format!("the spec has no test `{}`", self.test),
                )
                .with_help(help)],
            );
        };
        let scalec::model::scaling_test::Load::Generated { minutes, columns } = &t.load else {
            return output::fail(
                format,
                &[Problem::new(
                    cli_codes::TRACE_TEST,
                    format!(
                        "test `{}` reads its load from a file; there is nothing to generate",
                        t.name
                    ),
                )
                .with_help(
                    "give the test a load of generators: `load = { cpu = daily(100, 440, 14h) }`",
                )],
            );
        };
        let csv = scalec::sim::trace::to_csv(&scalec::sim::load::generate(*minutes, columns));
        match &self.out {
            Some(out) => {
                if let Err(e) = super::write_atomic(out, &csv) {
                    return output::fail(format, &[Problem::cant_write(out, &e)]);
                }
                eprintln!(
                    "wrote {}: {minutes} minutes of test {}'s load",
                    out.display(),
                    t.name
                );
            }
            None => super::print_stdout(csv.trim_end()),
        }
        0
    }
}

/// Read a group's history from CloudWatch into a trace.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  scalec trace fetch --env production --group web --since 7d -o last-week.csv\n  scalec simulate --env production --group web --trace last-week.csv\n\nThe trace holds CPU demand (CPUUtilization average x instances in service), ALB requests and response time (where a policy names the load balancer and target group), memory demand (where the CloudWatch agent publishes mem_used_percent), and the group's real in-service and desired capacity, one row a minute. CloudWatch keeps 1-minute data for 15 days, 5-minute for 63 days, 1-hour for 455 days: the finest it still has is read, and coarser data is said in the trace's header and here. Minutes without data are said too, never filled silently.\nExit codes: 0 written, 1 errors, 2 usage error."
)]
pub struct FetchCommand {
    /// The .scale file, or a directory holding it (default: the current directory).
    file: Option<PathBuf>,
    /// The environment the group is in.
    #[arg(long, value_name = "ENV")]
    env: String,
    /// The group.
    #[arg(long, value_name = "NAME")]
    group: String,
    /// How far back: `7d`, `36h`.
    #[arg(long, value_name = "DURATION", value_parser = super::parse_duration)]
    since: u32,
    /// The end of the range (default: now). RFC 3339: `2026-11-30T00:00Z`.
    #[arg(long, value_name = "DATETIME")]
    until: Option<jiff::Timestamp>,
    /// Where to write the trace.
    #[arg(short = 'o', long = "out", value_name = "TRACE.csv")]
    out: PathBuf,
    /// The region (default: the environment's).
    #[arg(long)]
    region: Option<String>,
    /// An AWS profile.
    #[arg(long)]
    profile: Option<String>,
    /// Summary format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    #[command(flatten)]
    params: super::params::ParamArgs,
}

impl FetchCommand {
    pub fn run(self) -> i32 {
        let format = self.format;
        let spec = match super::compile_env(self.file.as_deref(), &self.env, &self.params, format) {
            Ok(s) => s,
            Err(code) => return code,
        };
        let Some(env) = spec.env(&self.env) else {
            return 1;
        };
        let Some(group) = env.groups.iter().find(|g| g.name == self.group) else {
            let help = scalec::suggest::did_you_mean(
                &self.group,
                env.groups.iter().map(|g| g.name.as_str()),
            )
            .unwrap_or_else(|| "give one of the environment's groups".into());
            return output::fail(
                format,
                &[Problem::new(
                    cli_codes::SIM_GROUP,
                    format!("environment `{}` has no group `{}`", env.name, self.group),
                )
                .with_help(help)],
            );
        };
        let Some(region) = self.region.clone().or_else(|| env.region.clone()) else {
            return output::fail(
                format,
                &[Problem::new(
                    scalec::backend::plan::error::NO_REGION,
                    format!("environment `{}` has no region", env.name),
                )
                .with_help("set `region` in the environment, or pass `--region`")],
            );
        };
        let end = self.until.unwrap_or_else(jiff::Timestamp::now).as_second() / 60 * 60;
        let Some(period) = history::period_for(i64::from(self.since)) else {
            return output::fail(
                format,
                &[Problem::new(
                    cli_codes::TRACE_SINCE,
                    format!(
                        "CloudWatch keeps no data older than 455 days; --since asks for {} days",
                        self.since / 86_400
                    ),
                )
                .with_help("ask for 455 days or less")],
            );
        };
        let start = (end - i64::from(self.since)) / i64::from(period) * i64::from(period);
        let minutes = usize::try_from((end - start) / 60).unwrap_or(0);
        if minutes == 0 {
            return output::fail(
                format,
                &[Problem::new(
                    cli_codes::TRACE_SINCE,
                    "--since asks for less than a minute",
                )
                .with_help("ask for at least `1m`")],
            );
        }
        let (queries, notes) = history::queries(env, group);
        let read = match super::runtime() {
            Ok(rt) => rt.block_on(async {
                let (aws, _) =
                    scalec::apply::Aws::connect_env(env, &region, self.profile.as_deref()).await?;
                aws.metric_history(&queries, start, end, period).await
            }),
            Err(p) => return output::fail(format, &[p]),
        };
        let read = match read {
            Ok(r) => r,
            Err(e) => return output::fail(format, &[Problem::aws(&e)]),
        };
        let written = history::write_trace(
            &group.physical_name,
            start,
            minutes,
            period,
            &read.series,
            notes,
        );
        if !written
            .columns
            .iter()
            .any(|c| scalec::sim::trace::COLUMNS.contains(&c.as_str()))
        {
            let mut p = Problem::new(
                cli_codes::TRACE_EMPTY,
                format!(
                    "CloudWatch has no load of `{}` in that range: nothing to write",
                    group.physical_name
                ),
            );
            if !written.notes.is_empty() {
                p = p.with_help(written.notes.join("\n"));
            }
            return output::fail(format, &[p]);
        }
        if let Err(e) = super::write_atomic(&self.out, &written.csv) {
            return output::fail(format, &[Problem::cant_write(&self.out, &e)]);
        }
        report(format, &self.out, &written, period, read.calls);
        0
    }
}

fn report(format: Format, out: &std::path::Path, w: &history::Written, period: u32, calls: u32) {
    match format {
        Format::Json => output::print_json(&serde_json::json!({
            "trace": out.display().to_string(),
            "minutes": w.minutes,
            "period_seconds": period,
            "columns": w.columns,
            "gaps": w.gaps.iter().map(|g| serde_json::json!({"column": g.column, "from_minute": g.from, "minutes": g.minutes})).collect::<Vec<_>>(),
            "notes": w.notes,
            "get_metric_data_calls": calls,
        })),
        Format::Human => {
            let mut s = format!(
                "wrote {}: {} minutes, columns {}; {calls} GetMetricData call{}",
                out.display(),
                w.minutes,
                w.columns.join(", "),
                if calls == 1 { "" } else { "s" }
            );
            if period > 60 {
                s.push_str(&format!(
                    "\n  resolution: {period} s: CloudWatch keeps no finer data this old; each value holds for its {} minutes",
                    period / 60
                ));
            }
            for g in &w.gaps {
                s.push_str(&format!(
                    "\n  gap: {} has no data for {} minute{} from minute {}; the value before it is repeated",
                    g.column,
                    g.minutes,
                    if g.minutes == 1 { "" } else { "s" },
                    g.from
                ));
            }
            for n in &w.notes {
                s.push_str(&format!("\n  note: {n}"));
            }
            eprintln!("{s}");
        }
    }
}
