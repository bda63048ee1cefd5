//! `scalec simulate`: replay a load trace through an environment's policies.

use super::output::{self, Format, Problem};
use scalec::diagnostic::{Diagnostics, Severity, cli_codes};
use scalec::model::Group;
use scalec::sim;
use std::path::{Path, PathBuf};

/// Replay a load trace through an environment's scaling policies.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  scalec simulate --env production --trace load.csv\n  scalec simulate examples/macro-ai.scale --env production --trace examples/traces/flash-crowd.csv\n  scalec simulate app.scale --env staging --trace load.csv --svg staging.svg --csv staging.csv\n  scalec simulate app.scale --env production --trace load.csv --format json --price 0.0832\n  scalec simulate --env production --trace load.csv --refresh-at 600\n  scalec simulate --env production --trace load.csv --start 2026-11-30T00:00[Europe/Berlin]\n\nWithout --group every group of the environment is simulated, one summary each, and --svg and --csv write one file per group, named OUT-GROUP.svg (`--svg load.svg` writes load-web.svg); with --group, the one file is named as given. --format json prints {\"groups\": [...]}, a summary per group.\nThe trace is a CSV with a header: `minute` first (one row per minute), then any of `cpu` (total CPU demand in percent of one instance), `requests` (total per minute), `memory` (total, percent of one instance) and `response_time` (unloaded, seconds).\nExit codes: 0 simulated, 1 errors in the spec or trace, 2 usage error."
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
    /// The group to simulate (default: every group of the environment).
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
    /// Time from a scaling decision to the instance being in service, or
    /// `auto`: the median of the group's launches in its scaling
    /// activities (DescribeScalingActivities, six weeks of them).
    #[arg(long, value_name = "DURATION|auto", default_value = "2m", value_parser = parse_launch_delay)]
    launch_delay: LaunchDelay,
    /// An AWS profile, for `--launch-delay auto`.
    #[arg(long)]
    profile: Option<String>,
    /// What launch lifecycle hooks add to each launch (default: the longest
    /// launch hook's heartbeat timeout, the wait when nothing answers).
    #[arg(long, value_name = "DURATION", value_parser = super::parse_duration)]
    hook_wait: Option<u32>,
    /// Time from a scaling decision to in service for an instance from the
    /// warm pool.
    #[arg(long, value_name = "DURATION", default_value = "1m", value_parser = super::parse_duration)]
    warm_launch_delay: u32,
    /// Time from a scale-in decision to the instance gone; nothing scales in
    /// meanwhile (default: the longest terminate hook's heartbeat timeout,
    /// else 5m behind a load balancer, else 1m).
    #[arg(long, value_name = "DURATION", value_parser = super::parse_duration)]
    terminate_delay: Option<u32>,
    /// Start an instance refresh at this minute of the trace.
    #[arg(long, value_name = "MINUTE")]
    refresh_at: Option<i64>,
    /// The date and time of the trace's first minute; scheduled actions are
    /// replayed from it. RFC 3339 (`2026-11-30T08:00Z`), with a zone
    /// (`2026-11-30T08:00[Europe/Berlin]`), or UTC (`2026-11-30T08:00`).
    #[arg(long, value_name = "DATETIME", value_parser = parse_start)]
    start: Option<jiff::Timestamp>,
    #[command(flatten)]
    params: super::params::ParamArgs,
}

/// `--launch-delay`: a duration, or read from the group's history.
#[derive(Clone, Copy)]
enum LaunchDelay {
    Fixed(u32),
    Auto,
}

fn parse_launch_delay(s: &str) -> Result<LaunchDelay, String> {
    if s == "auto" {
        return Ok(LaunchDelay::Auto);
    }
    super::parse_duration(s)
        .map(LaunchDelay::Fixed)
        .map_err(|e| format!("{e}, or `auto`"))
}

/// Each group's launch delay from its scaling activities: the median
/// launch, said on stderr with the calls it took.
fn launch_delays(
    env: &scalec::model::Environment,
    groups: &[&Group],
    profile: Option<&str>,
) -> Result<Vec<u32>, Problem> {
    let Some(region) = env.region.clone() else {
        return Err(Problem::new(
            scalec::backend::plan::error::NO_REGION,
            format!(
                "environment `{}` has no region to read launches from",
                env.name
            ),
        )
        .with_help("set `region` in the environment, or give --launch-delay a duration"));
    };
    let read = super::runtime()?.block_on(async {
        let (aws, _) = scalec::apply::Aws::connect_env(env, &region, profile).await?;
        let mut out = Vec::new();
        for g in groups {
            out.push(aws.launch_durations(&g.physical_name).await?);
        }
        Ok::<_, scalec::apply::ApplyError>(out)
    });
    let read = read.map_err(|e| Problem::aws(&e))?;
    let mut delays = Vec::new();
    for (g, (durations, calls)) in groups.iter().zip(read) {
        let Some(d) = scalec::sim::history::median_launch(&durations) else {
            return Err(Problem::new(
                cli_codes::SIM_LAUNCH_DELAY,
                format!(
                    "group `{}` has no finished launch in its scaling activities",
                    g.physical_name
                ),
            )
            .with_help("AWS keeps six weeks of activities; give --launch-delay a duration"));
        };
        eprintln!(
            "launch delay of {}: {}s, the median of {} launch{} ({calls} DescribeScalingActivities call{})",
            g.name,
            d,
            durations.len(),
            if durations.len() == 1 { "" } else { "es" },
            if calls == 1 { "" } else { "s" }
        );
        delays.push(d);
    }
    Ok(delays)
}

/// `--start`: an instant, a zoned date and time, or a civil one in UTC.
fn parse_start(s: &str) -> Result<jiff::Timestamp, String> {
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Ok(t);
    }
    if let Ok(z) = s.parse::<jiff::Zoned>() {
        return Ok(z.timestamp());
    }
    s.parse::<jiff::civil::DateTime>()
        .ok()
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map(|z| z.timestamp())
        .ok_or_else(|| {
            format!(
                "expected a date and time such as `2026-11-30T08:00Z`, `2026-11-30T08:00[Europe/Berlin]` or `2026-11-30T08:00` (UTC), found `{s}`"
            )
        })
}

/// The launch delay the simulator assumes without one.
fn analysis_default() -> u32 {
    sim::Settings::default().launch_delay
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
        let values = match self.params.values() {
            Ok(v) => v,
            Err(p) => return output::fail(format, &p),
        };
        let mut c = match super::compile_env_quietly(self.file.as_deref(), &self.env, &values) {
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
        let groups = match self.chosen_groups(&env) {
            Ok(g) => g,
            Err(code) => return code,
        };
        if let Err(p) = self.start_fits(&env, &groups) {
            output::fail(format, &[p]);
            return 2;
        }
        let trace_name = self.trace.display().to_string();
        let trace = match self.read_trace(&mut c.sources, &trace_name, &mut diags) {
            Ok(t) => t,
            Err(code) => return code,
        };
        if let Err(p) = self.refresh_in(&trace) {
            output::fail(format, &[p]);
            return 2;
        }
        let delays = match self.launch_delay {
            LaunchDelay::Fixed(d) => vec![d; groups.len()],
            LaunchDelay::Auto => match launch_delays(&env, &groups, self.profile.as_deref()) {
                Ok(d) => d,
                Err(p) => return output::fail(format, &[p]),
            },
        };
        let settings = sim::Settings {
            launch_delay: delays.first().copied().unwrap_or(analysis_default()),
            start_capacity: self.start_capacity,
            price: self.price,
            hook_wait: self.hook_wait,
            warm_launch_delay: self.warm_launch_delay,
            refresh_at: self.refresh_at,
            start: self.start,
            terminate_delay: self.terminate_delay,
        };
        // Without --group, every group's files are named after it (even a
        // spec's only group), as --help says; with it, the names are as given.
        let several = self.group.is_none();
        let mut outcomes = Vec::with_capacity(groups.len());
        for (group, delay) in groups.iter().zip(&delays) {
            let settings = sim::Settings {
                launch_delay: *delay,
                ..settings
            };
            let (outcome, warnings) = sim::simulate(&env, group, &trace, &settings);
            warnings.into_iter().for_each(|d| diags.push(d));
            outcomes.push(outcome);
        }
        if format == Format::Human {
            output::report(format, &diags, &c.sources);
        }
        let files = Files {
            csv: self.csv.as_deref(),
            svg: self.svg.as_deref(),
            several,
        };
        for (group, outcome) in groups.iter().zip(&outcomes) {
            if let Err(p) = files.write(group, outcome, &trace, &trace_name) {
                return output::fail(format, &[p]);
            }
        }
        let text = match self.format {
            Format::Human => outcomes
                .iter()
                .map(|o| sim::render_human(o, &trace_name).trim_end().to_string())
                .collect::<Vec<_>>()
                .join("\n\n"),
            // One shape whatever the number of groups: `{"groups": [...]}`.
            Format::Json => sim::to_json_all(&outcomes),
        };
        super::print_stdout(text.trim_end());
        0
    }

    /// The groups to simulate: the one `--group` names, else every group;
    /// `Err` holds the exit code after the problem is reported (a
    /// scalable target, a group that isn't there, no group at all).
    fn chosen_groups<'e>(
        &self,
        env: &'e scalec::model::Environment,
    ) -> Result<Vec<&'e Group>, i32> {
        let format = self.format;
        let groups: Vec<&Group> = match &self.group {
            Some(name) => match env.groups.iter().find(|g| &g.name == name) {
                Some(g) => vec![g],
                None if env.targets.iter().any(|t| &t.name == name) => {
                    output::fail(
                        format,
                        &[Problem::new(
                            cli_codes::SIM_GROUP,
                            format!(
                                "`{name}` is a scalable target: the simulator runs EC2 groups only so far"
                            ),
                        )
                        .with_help(format!(
                            "task start delays and Application Auto Scaling's cooldowns are not modelled yet; simulate one of {}",
                            names(env)
                        ))],
                    );
                    return Err(2);
                }
                None => {
                    output::fail(
                        format,
                        &[Problem::new(
                            cli_codes::SIM_GROUP,
                            format!(
                                "environment `{}` has no group `{name}`; it has {}",
                                env.name,
                                names(env)
                            ),
                        )
                        .with_help(
                            match scalec::suggest::did_you_mean(
                                name,
                                env.groups.iter().map(|g| g.name.as_str()),
                            ) {
                                Some(d) => format!("{d} (or leave --group out to simulate every group)"),
                                None => "give one of its groups, or leave --group out to simulate every group".to_string(),
                            },
                        )],
                    );
                    return Err(2);
                }
            },
            None => env.groups.iter().collect(),
        };
        if groups.is_empty() {
            return Err(output::fail(
                format,
                &[Problem::new(
                    cli_codes::SIM_GROUP,
                    format!("environment `{}` has no group to simulate", env.name),
                )
                .with_help("declare a `group`, or simulate another environment with --env")],
            ));
        }
        Ok(groups)
    }

    /// The load trace, added to the sources so its diagnostics point into
    /// it; its warnings go to `diags`, and its errors make `Err` the exit
    /// code after they are reported.
    fn read_trace(
        &self,
        sources: &mut scalec::source::SourceMap,
        trace_name: &str,
        diags: &mut Diagnostics,
    ) -> Result<sim::trace::Trace, i32> {
        let text = super::spec::read(&self.trace).map_err(|p| output::fail(self.format, &[p]))?;
        let id = sources.add(trace_name.to_string(), text, false);
        match sim::trace::parse(sources, id) {
            Ok((t, warnings)) => {
                warnings.into_iter().for_each(|d| diags.push(d));
                Ok(t)
            }
            Err(errors) => {
                errors.into_iter().for_each(|d| diags.push(d));
                Err(output::report(self.format, diags, sources).max(1))
            }
        }
    }

    /// `--start-capacity` within every simulated group's capacity.
    fn start_fits(
        &self,
        env: &scalec::model::Environment,
        groups: &[&Group],
    ) -> Result<(), Problem> {
        if let Some(n) = self.start_capacity
            && let Some(group) = groups.iter().find(|g| n < g.min || n > g.max)
        {
            return Err(Problem::new(
                cli_codes::SIM_START_CAPACITY,
                format!(
                    "--start-capacity {n} is outside group `{}`'s capacity {}..{} in {}",
                    group.name, group.min, group.max, env.name
                ),
            )
            .with_help(if groups.len() > 1 {
                "choose a group with --group to give it its own start capacity"
            } else {
                "give a capacity inside the group's range"
            }));
        }
        Ok(())
    }

    /// `--refresh-at` within the trace.
    fn refresh_in(&self, trace: &sim::Trace) -> Result<(), Problem> {
        let last = trace
            .start
            .saturating_add(trace.len as i64)
            .saturating_sub(1);
        if let Some(m) = self.refresh_at
            && (m < trace.start || m > last)
        {
            return Err(Problem::new(
                cli_codes::SIM_REFRESH_AT,
                format!(
                    "--refresh-at {m} is outside the trace, which runs from minute {} to {last}",
                    trace.start
                ),
            ));
        }
        Ok(())
    }
}

/// Where `--csv` and `--svg` go.
struct Files<'a> {
    csv: Option<&'a Path>,
    svg: Option<&'a Path>,
    /// Every group of the environment: files named after each.
    several: bool,
}

impl Files<'_> {
    /// Writes a group's timeline and chart where asked.
    fn write(
        &self,
        group: &Group,
        outcome: &sim::Outcome,
        trace: &sim::Trace,
        trace_name: &str,
    ) -> Result<(), Problem> {
        if let Some(path) = self.csv {
            let path = per_group(path, self.several, &group.name);
            let mut buf = Vec::new();
            // The CSV is written to memory first: only writing it out
            // can fail.
            sim::write_csv(outcome, &mut buf)
                .and_then(|_| String::from_utf8(buf).map_err(std::io::Error::other))
                .and_then(|s| super::write_atomic(&path, &s))
                .map_err(|e| Problem::cant_write(&path, &e))?;
        }
        if let Some(path) = self.svg {
            let path = per_group(path, self.several, &group.name);
            let svg = sim::svg::render(outcome, trace, group, trace_name);
            super::write_atomic(&path, &svg).map_err(|e| Problem::cant_write(&path, &e))?;
        }
        Ok(())
    }
}

/// `out.svg` for the group given with --group; `out-web.svg` for each
/// group of the environment otherwise.
fn per_group(path: &Path, several: bool, group: &str) -> PathBuf {
    if !several {
        return path.to_path_buf();
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match path.extension() {
        Some(ext) => format!("{stem}-{group}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{group}"),
    };
    path.with_file_name(name)
}

fn names(env: &scalec::model::Environment) -> String {
    env.groups
        .iter()
        .map(|g| format!("`{}`", g.name))
        .collect::<Vec<_>>()
        .join(", ")
}
