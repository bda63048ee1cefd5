//! Scaling tests as checked: what `scalec test` runs (an environment's
//! groups, a load, assumptions) and what the simulated run must show.

use crate::model::Metric;
use crate::source::Span;
use serde::Serialize;

/// The load column whose per-instance share a target-tracking metric is,
/// for the metrics the simulator drives from a load.
pub fn tracked_column(m: &Metric) -> Option<&'static str> {
    Some(match (m.namespace.as_str(), m.name.as_str()) {
        ("AWS/EC2", "CPUUtilization") => "cpu",
        ("CWAgent", "mem_used_percent") => "memory",
        ("AWS/ApplicationELB", "RequestCountPerTarget") => "requests",
        _ => return None,
    })
}

/// A checked `test` declaration.
#[derive(Debug, Clone, Serialize)]
pub struct ScaleTest {
    /// The test's name.
    pub name: String,
    /// The environment it simulates.
    pub environment: String,
    /// The groups it simulates, each on its own share of the load.
    pub groups: Vec<String>,
    /// Where the load comes from.
    pub load: Load,
    /// The simulation's assumptions, where the test sets them.
    pub assume: Assumptions,
    /// What the run must show, in the order written.
    pub expects: Vec<Expectation>,
    /// The test's name as written.
    pub origin: Span,
}

/// A test's load.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum Load {
    /// A CSV trace, by a path relative to the spec that names it. Columns
    /// `GROUP.cpu` are that group's; plain `cpu` is every group's.
    Trace {
        /// The path as written.
        path: String,
        /// The string literal.
        span: Span,
        /// At most this many minutes of it (`duration`), if set.
        minutes: Option<usize>,
    },
    /// Columns generated minute by minute.
    Generated {
        /// The run's length.
        minutes: usize,
        /// Trace columns (`cpu`, `requests`, ...) and their generators.
        columns: Vec<(String, Gen)>,
    },
}

/// A load generator: one value per minute, deterministic.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gen {
    /// The same value every minute.
    Constant(f64),
    /// `ramp(from, to, over, start)`: `from` until `start`, a straight line
    /// to `to` over `over` minutes, then `to`.
    Ramp {
        /// The first value.
        from: f64,
        /// The last value.
        to: f64,
        /// Minutes the climb takes (at least 1).
        over: usize,
        /// The minute it starts.
        start: usize,
    },
    /// `step(before, after, at)`.
    Step {
        /// The value before `at`.
        before: f64,
        /// The value from `at` on.
        after: f64,
        /// The minute it changes.
        at: usize,
    },
    /// `spike(height, at, lasting)`: `height` from `at` for `lasting`
    /// minutes, 0 elsewhere (added to a base with `+`).
    Spike {
        /// The value during the spike.
        height: f64,
        /// Its first minute.
        at: usize,
        /// Its length in minutes.
        lasting: usize,
    },
    /// `daily(low, high, peak)`: a 24-hour cycle, `high` at `peak` minutes
    /// after midnight and `low` twelve hours from it.
    Daily {
        /// The lowest value.
        low: f64,
        /// The highest value.
        high: f64,
        /// The peak's minute of the day.
        peak: usize,
    },
    /// `weekly(weekday, weekend)`: a factor, `weekday` Monday to Friday and
    /// `weekend` on Saturday and Sunday; the load's first day is a Monday.
    Weekly {
        /// The factor on a weekday.
        weekday: f64,
        /// The factor on a weekend day.
        weekend: f64,
    },
    /// `decay(height, at, half_life)`: 0 before `at`, then `height` halving
    /// every `half_life` minutes.
    Decay {
        /// The value at `at`.
        height: f64,
        /// Its first minute.
        at: usize,
        /// Minutes to halve (at least 1).
        half_life: usize,
    },
    /// `noise(sd, seed)`: bell-shaped noise around 0 with this standard
    /// deviation, the same for the same seed on every machine.
    Noise {
        /// The standard deviation.
        sd: f64,
        /// The seed.
        seed: u64,
    },
    /// `a + b`.
    Add(Box<Gen>, Box<Gen>),
    /// `a - b`.
    Sub(Box<Gen>, Box<Gen>),
    /// `a * b`.
    Mul(Box<Gen>, Box<Gen>),
    /// `a / b`.
    Div(Box<Gen>, Box<Gen>),
}

/// What a test sets of the simulation's assumptions; the simulator's own
/// defaults elsewhere.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Assumptions {
    /// From the scaling decision to in service, seconds.
    pub launch_delay: Option<u32>,
    /// What launch hooks add to a launch, seconds.
    pub hook_wait: Option<u32>,
    /// From a scale-in decision to the instance gone, seconds.
    pub terminate_delay: Option<u32>,
    /// Instances at minute 0.
    pub start_capacity: Option<u32>,
    /// When the load's first minute is (RFC 3339), for schedules.
    pub start: Option<String>,
}

/// One `expect` line.
#[derive(Debug, Clone, Serialize)]
pub struct Expectation {
    /// What it asks.
    pub kind: Expect,
    /// The line as written, for reports.
    pub text: String,
    /// The whole `expect` statement.
    pub origin: Span,
}

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cmp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Cmp {
    /// Whether `a` compares so with `b`.
    pub fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Cmp::Lt => a < b,
            Cmp::Le => a <= b,
            Cmp::Gt => a > b,
            Cmp::Ge => a >= b,
        }
    }

    /// "at most", "below", ... for reports.
    pub fn words(self) -> &'static str {
        match self {
            Cmp::Lt => "below",
            Cmp::Le => "at most",
            Cmp::Gt => "above",
            Cmp::Ge => "at least",
        }
    }
}

/// A per-minute quantity of a simulated group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Series {
    /// Instances in service.
    InService,
    /// Desired capacity.
    Desired,
    /// Instances launching.
    Pending,
    /// Per-instance CPU, percent.
    Cpu,
    /// Per-instance memory, percent.
    Memory,
    /// Requests per target per minute.
    RequestsPerTarget,
    /// Response time, seconds.
    ResponseTime,
}

impl Series {
    /// Every series by the name tests write.
    pub const ALL: &'static [(&'static str, Series)] = &[
        ("in_service", Series::InService),
        ("desired", Series::Desired),
        ("pending", Series::Pending),
        ("cpu", Series::Cpu),
        ("memory", Series::Memory),
        ("requests_per_target", Series::RequestsPerTarget),
        ("response_time", Series::ResponseTime),
    ];

    /// The name tests write.
    pub fn name(self) -> &'static str {
        Series::ALL
            .iter()
            .find(|(_, s)| *s == self)
            .map_or("", |(n, _)| n)
    }

    /// How reports call it: "in service", "CPU".
    pub fn words(self) -> &'static str {
        match self {
            Series::InService => "in service",
            Series::Desired => "desired",
            Series::Pending => "pending",
            Series::Cpu => "CPU",
            Series::Memory => "memory",
            Series::RequestsPerTarget => "requests per target",
            Series::ResponseTime => "response time",
        }
    }

    /// The load column it needs, for the metrics.
    pub fn column(self) -> Option<&'static str> {
        match self {
            Series::Cpu => Some("cpu"),
            Series::Memory => Some("memory"),
            Series::RequestsPerTarget => Some("requests"),
            Series::ResponseTime => Some("response_time"),
            _ => None,
        }
    }
}

/// A state of one minute.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    /// A series compared with a value.
    Compare {
        /// What is compared.
        series: Series,
        /// How.
        op: Cmp,
        /// With what, in the model's units.
        value: f64,
    },
    /// In service at the group's maximum.
    AtMax,
    /// In service at the group's minimum.
    AtMin,
}

/// What an expectation asks of a run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "expect", rename_all = "snake_case")]
pub enum Expect {
    /// A state that must hold every minute: `in_service <= 10`.
    Always(State),
    /// A state that may hold for no longer than this many minutes in a
    /// row: `at_max for <= 15m` (`strict` for `<`).
    Longest {
        /// The state.
        state: State,
        /// The longest allowed run, minutes.
        minutes: f64,
        /// `for < ...` rather than `for <= ...`.
        strict: bool,
    },
    /// A figure of the whole run compared with a value.
    Figure {
        /// Which figure.
        figure: Figure,
        /// How.
        op: Cmp,
        /// With what.
        value: f64,
    },
    /// `p95(cpu) <= 70%`: a percentile of a series over the run.
    Percentile {
        /// The percentile, 0 < p <= 100.
        p: f64,
        /// Of what.
        series: Series,
        /// How.
        op: Cmp,
        /// With what.
        value: f64,
    },
}

/// A figure of a whole run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    /// Minutes any target-tracking metric was above its target.
    OverTarget,
    /// The longest time, in minutes, the group was short of the capacity
    /// its target-tracking policies ask for.
    React,
    /// Scaling events in the whole run.
    ScalingEvents,
    /// Scaling events in the busiest hour (any 60 minutes in a row).
    ScalingEventsPerHour,
    /// A scale-out and a scale-in (or the reverse) close together.
    Thrash,
    /// Instance-hours.
    InstanceHours,
    /// Instance-hours times the price.
    Cost,
}

impl Figure {
    /// Every figure by the name tests write; `scaling_events` with a rate
    /// (`6/h`) is the busiest hour's.
    pub const ALL: &'static [(&'static str, Figure)] = &[
        ("over_target", Figure::OverTarget),
        ("react", Figure::React),
        ("scaling_events", Figure::ScalingEvents),
        ("thrash", Figure::Thrash),
        ("instance_hours", Figure::InstanceHours),
        ("cost", Figure::Cost),
    ];
}
