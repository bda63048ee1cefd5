//! `scalec simulate`: replay a load trace through an environment's policies.

use super::output::{self, Format, Problem};
use scalec::diagnostic::{Diagnostics, Severity};
use scalec::sim;
use std::path::PathBuf;

/// Replay a load trace through an environment's scaling policies.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  scalec simulate --env production --trace load.csv\n  scalec simulate examples/macro-ai.scale --env production --trace examples/traces/flash-crowd.csv\n  scalec simulate app.scale --env staging --trace load.csv --svg staging.svg --csv staging.csv\n  scalec simulate app.scale --env production --trace load.csv --format json --price 0.0832\n\nThe trace is a CSV with a header: `minute` first (one row per minute), then any of `cpu` (total CPU demand in percent of one instance), `requests` (total per minute), `memory` (total, percent of one instance) and `response_time` (unloaded, seconds).\nExit codes: 0 simulated, 1 errors in the spec or trace, 2 usage error."
)]
pub struct SimulateCommand {
    /// The .scale file, or a directory holding it (default: the current directory).
    file: Option<PathBuf>,
    /// The environment to simulate.
    #[arg(long, value_name = "ENV")]
    env: String,
    /// The load trace (CSV).
    #[arg(long, value_name = "TRACE.csv")]
    trace: PathBuf,
    /// The group to simulate, if the environment has several.
    #[arg(long, value_name = "NAME")]
    group: Option<String>,
    /// Summary format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Write a chart of load, metric and capacity here.
    #[arg(long, value_name = "OUT.svg")]
    svg: Option<PathBuf>,
    /// Write the per-minute timeline here.
    #[arg(long, value_name = "OUT.csv")]
    csv: Option<PathBuf>,
    /// Instances at minute 0 (default: the group's `desired`).
    #[arg(long, value_name = "N")]
    start_capacity: Option<u32>,
    /// Price per instance-hour, for the cost in the summary (default: the
    /// group's `price`).
    #[arg(long, value_name = "PRICE", value_parser = parse_price)]
    price: Option<f64>,
    /// Time from a scaling decision to the instance being in service.
    #[arg(long, value_name = "DURATION", default_value = "2m", value_parser = super::parse_duration)]
    launch_delay: u32,
    /// A param value, NAME=VALUE; lists are comma-separated.
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = super::parse_param)]
    params: Vec<(String, String)>,
}

fn parse_price(s: &str) -> Result<f64, String> {
    match s.trim_start_matches('$').parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!(
            "expected a price per instance-hour such as `0.0832`, found `{s}`"
        )),
    }
}

impl SimulateCommand {
    pub fn run(self) -> i32 {
        let format = self.format;
        let mut c = match super::compile_env_quietly(self.file.as_deref(), &self.env, &self.params)
        {
            Ok(x) => x.compilation,
            Err(p) => return output::fail(format, &[p]),
        };
        // Notes are about deploying; a simulation shows errors and warnings.
        let mut diags = Diagnostics::new();
        for d in c
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Note)
        {
            diags.push(d.clone());
        }
        let env = match c.spec.environment(&self.env) {
            Some(e) if !c.has_errors() => e.clone(),
            _ => return output::report(format, &diags, &c.sources).max(1),
        };
        let group = match (&self.group, env.groups.as_slice()) {
            (Some(name), groups) => match groups.iter().find(|g| &g.name == name) {
                Some(g) => g,
                None => {
                    output::fail(
                        format,
                        &[Problem::new(
                            scalec::diagnostic::cli_codes::SIM_GROUP,
                            format!(
                                "environment `{}` has no group `{name}`; it has {}",
                                env.name,
                                names(&env)
                            ),
                        )],
                    );
                    return 2;
                }
            },
            (None, [g]) => g,
            (None, []) => {
                return output::fail(
                    format,
                    &[Problem::new(
                        scalec::diagnostic::cli_codes::SIM_GROUP,
                        format!("environment `{}` has no group to simulate", env.name),
                    )],
                );
            }
            (None, _) => {
                output::fail(
                    format,
                    &[Problem::new(
                        scalec::diagnostic::cli_codes::SIM_GROUP,
                        format!(
                            "environment `{}` has several groups ({})",
                            env.name,
                            names(&env)
                        ),
                    )
                    .with_help("choose one with --group")],
                );
                return 2;
            }
        };
        if let Some(n) = self.start_capacity
            && (n < group.min || n > group.max)
        {
            output::fail(
                format,
                &[Problem::new(
                    scalec::diagnostic::cli_codes::SIM_START_CAPACITY,
                    format!(
                        "--start-capacity {n} is outside group `{}`'s capacity {}..{} in {}",
                        group.name, group.min, group.max, env.name
                    ),
                )],
            );
            return 2;
        }
        let text = match super::spec::read(&self.trace) {
            Ok(t) => t,
            Err(p) => return output::fail(format, &[p]),
        };
        let trace_name = self.trace.display().to_string();
        let id = c.sources.add(trace_name.clone(), text, false);
        let trace = match sim::trace::parse(&c.sources, id) {
            Ok((t, warnings)) => {
                warnings.into_iter().for_each(|d| diags.push(d));
                t
            }
            Err(errors) => {
                errors.into_iter().for_each(|d| diags.push(d));
                return output::report(format, &diags, &c.sources).max(1);
            }
        };
        let settings = sim::Settings {
            launch_delay: self.launch_delay,
            start_capacity: self.start_capacity,
            price: self.price,
        };
        let (outcome, warnings) = sim::simulate(&env, group, &trace, &settings);
        warnings.into_iter().for_each(|d| diags.push(d));
        if format == Format::Human {
            output::report(format, &diags, &c.sources);
        }
        if let Some(path) = &self.csv {
            let mut buf = Vec::new();
            let written = sim::write_csv(&outcome, &mut buf)
                .map_err(|e| e.to_string())
                .and_then(|_| String::from_utf8(buf).map_err(|e| e.to_string()))
                .and_then(|s| super::write_atomic(path, &s).map_err(|e| e.to_string()));
            if let Err(e) = written {
                return output::fail(
                    format,
                    &[Problem::new(
                        super::spec::codes::WRITE,
                        format!("can't write {}: {e}", path.display()),
                    )],
                );
            }
        }
        if let Some(path) = &self.svg {
            let svg = sim::svg::render(&outcome, &trace, group, &trace_name);
            if let Err(e) = super::write_atomic(path, &svg) {
                return output::fail(
                    format,
                    &[Problem::new(
                        super::spec::codes::WRITE,
                        format!("can't write {}: {e}", path.display()),
                    )],
                );
            }
        }
        match self.format {
            Format::Human => {
                super::print_stdout(sim::render_human(&outcome, &trace_name).trim_end())
            }
            Format::Json => super::print_stdout(sim::to_json(&outcome).trim_end()),
        }
        0
    }
}

fn names(env: &scalec::model::Environment) -> String {
    env.groups
        .iter()
        .map(|g| format!("`{}`", g.name))
        .collect::<Vec<_>>()
        .join(", ")
}
