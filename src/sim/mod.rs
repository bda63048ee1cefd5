//! The simulator: replays a load trace through one group's policies, minute
//! by minute, following EC2 Auto Scaling's documented behaviour.
//!
//! # The model
//! Each minute `i` of the trace:
//! 1. **Instances.** Instances launched at minute `t` are in service from
//!    `t + launch delay` and count in the metrics from `t + launch delay +
//!    warmup` (the group's default warmup, else the longest policy warmup,
//!    else the default cooldown, else 300 s). The starting instances are warm.
//! 2. **Metrics.** A per-instance metric is the trace's total divided by the
//!    warm instances (at least 1): `cpu` and `memory` are capped at 100%,
//!    `requests` per target is not. `alb.requests` is the total. Response
//!    time is the trace's unloaded `response_time` times a queueing slowdown
//!    that starts at 70% utilisation (`u` = uncapped per-instance CPU / 100):
//!    `0.3 / (1 - u)` above 0.7, at most 50x. Group metrics (desired,
//!    in service, pending, total, min, max) come from the simulator's state.
//! 3. **Target tracking.** Scale-out when the metric has been above the
//!    target for 3 consecutive minutes, to `ceil(warm * metric / target)`;
//!    it asks again every minute while the metric stays above. Scale-in when
//!    every target-tracking policy that may scale in has been below 90% of
//!    its target for 15 minutes. AWS documents scale-in only as "gradual and
//!    conservative"; scalec removes no more than keeps each metric under
//!    that 90% line: the largest of the policies' `ceil(warm * metric /
//!    (0.9 * target))`. Removing more would put the metric right back at
//!    the target, where noise scales out again minutes later.
//! 4. **Step and simple policies** act on their alarm: one datapoint per
//!    period (the statistic over the period's minutes), ALARM when
//!    `datapoints` of the last `evaluate` breach, and the action runs at
//!    every datapoint while in ALARM. A step scale-out adds to the warm
//!    capacity, so a breach in the same step while instances warm up adds
//!    nothing more and a bigger step adds the difference. Percent changes
//!    round as AWS rounds them, then apply the minimum magnitude. A simple
//!    policy waits for launches to finish and for its cooldown.
//! 5. **Combining.** The largest scale-out wins. Scale-in happens only when
//!    nothing scales out and no instance is launching or warming up; the
//!    smallest removal wins. Capacity stays within min..max.
//!
//! Desired capacity is recorded at the start of each minute, before that
//! minute's decision. Scheduled actions are not replayed: a trace has no
//! wall-clock time.

mod report;
pub mod svg;
pub mod trace;

pub use report::{render_human, to_json, write_csv};

use crate::analysis::{self, adjust, group_warmup};
use crate::diagnostic::{Diagnostic, codes};
use crate::model::{
    AdjustmentType, AlarmSpec, Comparison, Direction, Environment, Group, Metric, MetricQuery,
    MissingData, PolicyKind, Statistic, StepAdjustment, Tier,
};
use serde::Serialize;
use std::collections::VecDeque;
pub use trace::Trace;

codes! {
    /// A policy or alarm on a metric the trace can't give.
    UNSIMULATED = "scale::sim::unsimulated";
    /// Scheduled actions are not replayed.
    SCHEDULES = "scale::sim::schedules";
}

/// What the simulation assumes.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// From the scaling decision to in service, seconds.
    pub launch_delay: u32,
    /// Instances at minute 0; the group's `desired` if `None`.
    pub start_capacity: Option<u32>,
    /// Price per instance-hour; the group's `price` if `None`.
    pub price: Option<f64>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            launch_delay: analysis::LAUNCH_DELAY,
            start_capacity: None,
            price: None,
        }
    }
}

/// A simulation's result.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The app.
    pub app: String,
    /// The environment.
    pub environment: String,
    /// The group.
    pub group: String,
    /// Minutes simulated.
    pub minutes: usize,
    /// The trace's first minute.
    pub start_minute: i64,
    /// Assumed launch delay, seconds.
    pub launch_delay_seconds: u32,
    /// Warmup before new instances count in metrics, seconds.
    pub warmup_seconds: u32,
    /// Largest desired capacity.
    pub peak_capacity: u32,
    /// Smallest desired capacity.
    pub lowest_capacity: u32,
    /// Most instances in service at once.
    pub peak_in_service: u32,
    /// Instance-hours of running (pending or in-service) instances.
    pub instance_hours: f64,
    /// Price per instance-hour, if given.
    pub price_per_hour: Option<f64>,
    /// `instance_hours * price_per_hour`.
    pub cost: Option<f64>,
    /// Minutes in which a target-tracking metric was above its target.
    pub minutes_over_target: u64,
    /// Minutes with per-instance CPU at 95% or more (`None` without `cpu`).
    pub minutes_overloaded: Option<u64>,
    /// Decisions that raised desired capacity.
    pub scale_out_events: u32,
    /// Decisions that lowered it.
    pub scale_in_events: u32,
    /// A scale-in followed by a scale-out within 15 minutes, or the reverse.
    pub thrash_events: u32,
    /// Each policy and how often it changed capacity.
    pub policies: Vec<PolicyStats>,
    /// Each monitoring alarm that could be simulated.
    pub alarms: Vec<AlarmStats>,
    /// Every capacity change.
    pub events: Vec<Event>,
    /// One entry per minute. Left out of the derived serialization:
    /// [`to_json`] writes it one minute per line, without building a tree.
    #[serde(skip)]
    pub timeline: Vec<Minute>,
}

/// A policy's part in the simulation.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyStats {
    /// `cpu`.
    pub name: String,
    /// `target_tracking`, `step` or `simple`.
    pub kind: &'static str,
    /// Whether the trace gives its metric.
    pub simulated: bool,
    /// Capacity changes it won.
    pub actions: u32,
}

/// A monitoring alarm's part in the simulation.
#[derive(Debug, Clone, Serialize)]
pub struct AlarmStats {
    /// `at_capacity`.
    pub name: String,
    /// Its tier.
    pub tier: Tier,
    /// Times it went into ALARM.
    pub times_fired: u32,
    /// Minutes spent in ALARM.
    pub minutes_in_alarm: u64,
}

/// A change of desired capacity.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    /// When.
    pub minute: i64,
    /// Out or in.
    pub direction: Direction,
    /// Desired before.
    pub from: u32,
    /// Desired after.
    pub to: u32,
    /// The policy whose proposal won.
    pub policy: String,
}

/// The state at the start of one minute.
#[derive(Debug, Clone, Serialize)]
pub struct Minute {
    /// The trace's minute.
    pub minute: i64,
    /// Desired capacity.
    pub desired: u32,
    /// Instances in service.
    pub in_service: u32,
    /// Instances launched but not in service yet.
    pub pending: u32,
    /// Per-instance CPU, percent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu: Option<f64>,
    /// Per-instance memory, percent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<f64>,
    /// Requests per target per minute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requests_per_target: Option<f64>,
    /// Response time, seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_time: Option<f64>,
}

/// Reads one per-instance metric of a minute.
pub type Field = fn(&Minute) -> Option<f64>;

/// The timeline's metric columns, in output order.
pub const SERIES: &[(&str, Field)] = &[
    ("cpu", |m| m.cpu),
    ("memory", |m| m.memory),
    ("requests_per_target", |m| m.requests_per_target),
    ("response_time", |m| m.response_time),
];

/// Where a metric's per-minute value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Cpu,
    Memory,
    RequestsPerTarget,
    Requests,
    ResponseTime,
    Desired,
    InService,
    Pending,
    Total,
    MinSize,
    MaxSize,
}

const SOURCES: usize = 11;

fn source_of(m: &Metric) -> Option<Source> {
    Some(match (m.namespace.as_str(), m.name.as_str()) {
        ("AWS/EC2", "CPUUtilization") => Source::Cpu,
        ("CWAgent", "mem_used_percent") => Source::Memory,
        ("AWS/ApplicationELB", "RequestCountPerTarget") => Source::RequestsPerTarget,
        ("AWS/ApplicationELB", "RequestCount") => Source::Requests,
        ("AWS/ApplicationELB", "TargetResponseTime") => Source::ResponseTime,
        ("AWS/AutoScaling", "GroupDesiredCapacity") => Source::Desired,
        ("AWS/AutoScaling", "GroupInServiceInstances" | "GroupInServiceCapacity") => {
            Source::InService
        }
        ("AWS/AutoScaling", "GroupPendingInstances" | "GroupPendingCapacity") => Source::Pending,
        ("AWS/AutoScaling", "GroupTotalInstances" | "GroupTotalCapacity") => Source::Total,
        ("AWS/AutoScaling", "GroupMinSize") => Source::MinSize,
        ("AWS/AutoScaling", "GroupMaxSize") => Source::MaxSize,
        _ => return None,
    })
}

/// Whether the trace has what a source needs.
fn available(s: Source, t: &Trace) -> bool {
    match s {
        Source::Cpu => t.cpu.is_some(),
        Source::Memory => t.memory.is_some(),
        Source::RequestsPerTarget | Source::Requests => t.requests.is_some(),
        Source::ResponseTime => t.response_time.is_some(),
        _ => true,
    }
}

// ---------------------------------------------------------------------------
// alarms
// ---------------------------------------------------------------------------

/// A metric-math expression as scalec writes it: `(m1 - m2)`,
/// `ABS(DIFF(m1))`, `(100 * (m1 / m2))`.
#[derive(Debug, Clone)]
enum Expr {
    Num(f64),
    Metric(usize),
    Bin(u8, Box<Expr>, Box<Expr>),
    Abs(Box<Expr>),
    Diff(Box<Expr>, usize),
}

fn parse_math(text: &str, ids: &[String]) -> Option<(Expr, usize)> {
    struct P<'a> {
        s: &'a [u8],
        i: usize,
        ids: &'a [String],
        diffs: usize,
    }
    impl P<'_> {
        fn ws(&mut self) {
            while self.s.get(self.i) == Some(&b' ') {
                self.i += 1;
            }
        }
        fn expr(&mut self) -> Option<Expr> {
            let mut l = self.term()?;
            loop {
                self.ws();
                match self.s.get(self.i) {
                    Some(&op @ (b'+' | b'-')) => {
                        self.i += 1;
                        l = Expr::Bin(op, Box::new(l), Box::new(self.term()?));
                    }
                    _ => return Some(l),
                }
            }
        }
        fn term(&mut self) -> Option<Expr> {
            let mut l = self.atom()?;
            loop {
                self.ws();
                match self.s.get(self.i) {
                    Some(&op @ (b'*' | b'/')) => {
                        self.i += 1;
                        l = Expr::Bin(op, Box::new(l), Box::new(self.atom()?));
                    }
                    _ => return Some(l),
                }
            }
        }
        fn atom(&mut self) -> Option<Expr> {
            self.ws();
            let start = self.i;
            if self.s.get(self.i) == Some(&b'(') {
                self.i += 1;
                let e = self.expr()?;
                self.ws();
                return (self.s.get(self.i) == Some(&b')')).then(|| {
                    self.i += 1;
                    e
                });
            }
            while self
                .s
                .get(self.i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'.' || *c == b'_')
            {
                self.i += 1;
            }
            let word = std::str::from_utf8(&self.s[start..self.i]).ok()?;
            if self.s.get(self.i) == Some(&b'(') {
                self.i += 1;
                let inner = self.expr()?;
                self.ws();
                if self.s.get(self.i) != Some(&b')') {
                    return None;
                }
                self.i += 1;
                return match word {
                    "ABS" => Some(Expr::Abs(Box::new(inner))),
                    "DIFF" => {
                        self.diffs += 1;
                        Some(Expr::Diff(Box::new(inner), self.diffs - 1))
                    }
                    _ => None,
                };
            }
            if let Some(k) = self.ids.iter().position(|id| id == word) {
                return Some(Expr::Metric(k));
            }
            word.parse().ok().map(Expr::Num)
        }
    }
    let mut p = P {
        s: text.as_bytes(),
        i: 0,
        ids,
        diffs: 0,
    };
    let e = p.expr()?;
    p.ws();
    (p.i == p.s.len()).then_some((e, p.diffs))
}

fn eval_math(e: &Expr, vals: &[f64], prev: &mut [f64]) -> f64 {
    match e {
        Expr::Num(v) => *v,
        Expr::Metric(k) => vals[*k],
        Expr::Bin(op, l, r) => {
            let (a, b) = (eval_math(l, vals, prev), eval_math(r, vals, prev));
            match op {
                b'+' => a + b,
                b'-' => a - b,
                b'*' => a * b,
                _ => a / b,
            }
        }
        Expr::Abs(x) => eval_math(x, vals, prev).abs(),
        Expr::Diff(x, slot) => {
            let v = eval_math(x, vals, prev);
            let d = v - prev[*slot];
            prev[*slot] = v;
            d
        }
    }
}

/// One metric's aggregate over the current period.
#[derive(Debug, Clone, Copy)]
struct Acc {
    source: Source,
    statistic: Statistic,
    sum: f64,
    n: u32,
    min: f64,
    max: f64,
}

impl Acc {
    fn new(source: Source, statistic: Statistic) -> Acc {
        Acc {
            source,
            statistic,
            sum: 0.0,
            n: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
    fn add(&mut self, values: &[f64; SOURCES]) {
        let v = values[self.source as usize];
        if v.is_nan() {
            return;
        }
        self.sum += v;
        self.n += 1;
        self.min = self.min.min(v);
        self.max = self.max.max(v);
    }
    fn take(&mut self) -> f64 {
        let v = if self.n == 0 {
            f64::NAN
        } else {
            match self.statistic {
                Statistic::Average => self.sum / self.n as f64,
                Statistic::Sum => self.sum,
                Statistic::Minimum => self.min,
                Statistic::Maximum => self.max,
                Statistic::SampleCount => self.n as f64,
            }
        };
        *self = Acc::new(self.source, self.statistic);
        v
    }
}

/// A CloudWatch alarm evaluated on the simulated metrics.
#[derive(Debug, Clone)]
struct AlarmSim {
    accs: Vec<Acc>,
    math: Option<(Expr, Vec<f64>)>,
    period: usize,
    comparison: Comparison,
    threshold: f64,
    missing: MissingData,
    datapoints: u32,
    /// The last `evaluate` datapoints: 1 breaching, 0 not, -1 missing.
    window: Vec<i8>,
    next: usize,
    breaching: u32,
    in_alarm: bool,
    scratch: Vec<f64>,
}

impl AlarmSim {
    /// `None` if the trace can't give what the alarm watches.
    fn new(spec: &AlarmSpec, t: &Trace) -> Option<AlarmSim> {
        let (accs, math) = match &spec.query {
            MetricQuery::Single { metric } => {
                let s = source_of(metric).filter(|s| available(*s, t))?;
                (vec![Acc::new(s, metric.statistic)], None)
            }
            MetricQuery::Math {
                expression,
                metrics,
            } => {
                let mut accs = Vec::new();
                for (_, m) in metrics {
                    let s = source_of(m).filter(|s| available(*s, t))?;
                    accs.push(Acc::new(s, m.statistic));
                }
                let ids: Vec<String> = metrics.iter().map(|(id, _)| id.clone()).collect();
                let (e, diffs) = parse_math(expression, &ids)?;
                (accs, Some((e, vec![f64::NAN; diffs])))
            }
        };
        let n = spec.evaluation_periods.max(1) as usize;
        Some(AlarmSim {
            scratch: vec![0.0; accs.len()],
            accs,
            math,
            // 10, 20 and 30 s periods see one-minute data
            period: (spec.period as usize / 60).max(1),
            comparison: spec.comparison,
            threshold: spec.threshold,
            missing: spec.missing_data,
            datapoints: spec.datapoints_to_alarm.max(1),
            window: vec![-1; n],
            next: 0,
            breaching: 0,
            in_alarm: false,
        })
    }

    /// Adds minute `i`'s values. At the end of a period returns the new
    /// datapoint and whether the alarm is in ALARM after it.
    fn observe(&mut self, i: usize, values: &[f64; SOURCES]) -> Option<(f64, bool)> {
        for a in &mut self.accs {
            a.add(values);
        }
        if !(i + 1).is_multiple_of(self.period) {
            return None;
        }
        for (k, a) in self.accs.iter_mut().enumerate() {
            self.scratch[k] = a.take();
        }
        let v = match &mut self.math {
            None => self.scratch[0],
            Some((e, prev)) => eval_math(e, &self.scratch, prev),
        };
        let t = self.threshold;
        let state: i8 = if v.is_nan() {
            match self.missing {
                MissingData::Breaching => 1,
                MissingData::NotBreaching => 0,
                MissingData::Missing | MissingData::Ignore => -1,
            }
        } else {
            let breach = match self.comparison {
                Comparison::GreaterThanThreshold => v > t,
                Comparison::GreaterThanOrEqualToThreshold => v >= t,
                Comparison::LessThanThreshold => v < t,
                Comparison::LessThanOrEqualToThreshold => v <= t,
            };
            breach as i8
        };
        if self.window[self.next] == 1 {
            self.breaching -= 1;
        }
        self.window[self.next] = state;
        if state == 1 {
            self.breaching += 1;
        }
        self.next = (self.next + 1) % self.window.len();
        // Missing data with `ignore` keeps the current state.
        if !(state == -1 && self.missing == MissingData::Ignore) {
            self.in_alarm = self.breaching >= self.datapoints;
        }
        Some((v, self.in_alarm))
    }
}

// ---------------------------------------------------------------------------
// policies
// ---------------------------------------------------------------------------

#[derive(Debug)]
enum Rule {
    Tracking {
        source: Source,
        target: f64,
        scale_in: bool,
        above: u32,
        below: u32,
    },
    Step {
        alarm: AlarmSim,
        direction: Direction,
        kind: AdjustmentType,
        steps: Vec<StepAdjustment>,
        min_magnitude: Option<u32>,
    },
    Simple {
        alarm: AlarmSim,
        kind: AdjustmentType,
        adjustment: i32,
        cooldown: usize,
        min_magnitude: Option<u32>,
    },
}

/// The step whose interval holds `diff` (metric minus threshold). Above the
/// threshold (scale-out steps) the lower bound is inclusive, below it
/// (scale-in steps) the upper one is.
fn step_for(steps: &[StepAdjustment], diff: f64, direction: Direction) -> Option<i32> {
    steps
        .iter()
        .find(|s| {
            let lo = s.lower.unwrap_or(f64::NEG_INFINITY);
            let hi = s.upper.unwrap_or(f64::INFINITY);
            match direction {
                Direction::Out => lo <= diff && diff < hi,
                Direction::In => lo < diff && diff <= hi,
            }
        })
        .map(|s| s.adjustment)
}

/// Launched instances that are not warm yet.
#[derive(Debug, Clone, Copy)]
struct Cohort {
    launched: usize,
    count: u32,
}

/// Simulates `group` of `env` over `trace`. Warnings say which policies and
/// alarms the trace can't drive.
pub fn simulate(
    env: &Environment,
    group: &Group,
    trace: &Trace,
    settings: &Settings,
) -> (Outcome, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let n = trace.len;
    let delay = (settings.launch_delay as usize).div_ceil(60);
    let warmup_s = group_warmup(group);
    let warm_after = delay + (warmup_s as usize).div_ceil(60);
    let default_cooldown = group.default_cooldown.unwrap_or(analysis::DEFAULT_COOLDOWN);

    let mut rules: Vec<Option<Rule>> = Vec::new();
    let mut stats = Vec::new();
    for p in &group.policies {
        let rule = match &p.kind {
            PolicyKind::TargetTracking {
                metric,
                target,
                disable_scale_in,
                ..
            } => source_of(metric)
                .filter(|s| available(*s, trace))
                .map(|source| Rule::Tracking {
                    source,
                    target: *target,
                    scale_in: !disable_scale_in,
                    above: 0,
                    below: 0,
                }),
            PolicyKind::Step {
                alarm,
                direction,
                adjustment_type,
                steps,
                min_adjustment_magnitude,
                ..
            } => AlarmSim::new(alarm, trace).map(|a| Rule::Step {
                alarm: a,
                direction: *direction,
                kind: *adjustment_type,
                steps: steps.clone(),
                min_magnitude: *min_adjustment_magnitude,
            }),
            PolicyKind::Simple {
                alarm,
                adjustment_type,
                adjustment,
                cooldown,
                min_adjustment_magnitude,
            } => AlarmSim::new(alarm, trace).map(|a| Rule::Simple {
                alarm: a,
                kind: *adjustment_type,
                adjustment: *adjustment,
                cooldown: (cooldown.unwrap_or(default_cooldown) as usize).div_ceil(60),
                min_magnitude: *min_adjustment_magnitude,
            }),
            PolicyKind::Predictive { .. } => None,
        };
        let (kind, metric) = match &p.kind {
            PolicyKind::TargetTracking { metric, .. } => ("target_tracking", Some(metric)),
            PolicyKind::Step { alarm, .. } => ("step", single(alarm)),
            PolicyKind::Simple { alarm, .. } => ("simple", single(alarm)),
            PolicyKind::Predictive { metric, .. } => ("predictive", Some(metric.scaling_metric())),
        };
        if let PolicyKind::Predictive { mode, .. } = &p.kind {
            diags.push(
                Diagnostic::warning(
                    UNSIMULATED,
                    format!(
                        "policy `{}` is predictive scaling ({mode}); it is not simulated",
                        p.name
                    ),
                    p.origin,
                    "not simulated",
                )
                .with_help(
                    "AWS forecasts from at least 24 hours (up to 14 days) of the group's CloudWatch history with a model it doesn't publish; scalec doesn't imitate it. `scalec simulate` shows what the other policies do on their own",
                ),
            );
        } else if rule.is_none() {
            diags.push(
                Diagnostic::warning(
                    UNSIMULATED,
                    format!(
                        "policy `{}` reads `{}`, which this trace doesn't give; it doesn't act in the simulation",
                        p.name,
                        metric.map(|m| m.key.as_str()).unwrap_or("a metric-math expression")
                    ),
                    p.origin,
                    "not simulated",
                )
                .with_help(
                    "the trace's columns give ec2.cpu (`cpu`), cwagent.memory (`memory`), alb.requests and alb.requests_per_target (`requests`) and alb.response_time (`response_time`); group metrics come from the simulation",
                ),
            );
        }
        stats.push(PolicyStats {
            name: p.name.clone(),
            kind,
            simulated: rule.is_some(),
            actions: 0,
        });
        rules.push(rule);
    }
    let mut alarms: Vec<(usize, AlarmSim)> = Vec::new();
    let mut skipped = Vec::new();
    for (k, a) in group.alarms.iter().enumerate() {
        match AlarmSim::new(&a.spec, trace) {
            Some(s) => alarms.push((k, s)),
            None => skipped.push(a),
        }
    }
    if let Some(first) = skipped.first() {
        let names: Vec<String> = skipped.iter().map(|a| format!("`{}`", a.name)).collect();
        diags.push(
            Diagnostic::note(
                UNSIMULATED,
                format!(
                    "alarm{} {} watch{} metrics this trace doesn't give, so {} not simulated",
                    if names.len() == 1 { "" } else { "s" },
                    names.join(", "),
                    if names.len() == 1 { "es" } else { "" },
                    if names.len() == 1 { "it is" } else { "they are" },
                ),
                first.origin,
                "not simulated",
            )
            .with_help("only metrics derived from the trace's columns and the group's own metrics are simulated"),
        );
    }
    if let Some(s) = group.schedules.first() {
        diags.push(
            Diagnostic::note(
                SCHEDULES,
                "scheduled actions are not replayed: a trace has minutes, not dates",
                s.origin,
                "not simulated",
            )
            .with_help(
                "to see a schedule's effect, simulate with `--start-capacity` set to its capacity",
            ),
        );
    }
    let mut alarm_stats: Vec<AlarmStats> = alarms
        .iter()
        .map(|(k, _)| AlarmStats {
            name: group.alarms[*k].name.clone(),
            tier: group.alarms[*k].tier,
            times_fired: 0,
            minutes_in_alarm: 0,
        })
        .collect();
    let mut alarm_on = vec![false; alarms.len()];

    let (min, max) = (group.min, group.max);
    let mut desired = settings
        .start_capacity
        .unwrap_or(group.desired)
        .clamp(min, max);
    let mut warm = desired;
    let mut cohorts: VecDeque<Cohort> = VecDeque::new();
    let mut simple_until = 0usize;
    let mut timeline = Vec::with_capacity(n);
    let mut events: Vec<Event> = Vec::new();
    let mut instance_minutes = 0u64;
    let (mut over_target, mut overloaded) = (0u64, 0u64);
    let col = |c: &Option<Vec<f64>>, i: usize| c.as_ref().map(|v| v[i]);
    let round = |v: f64| (v * 1000.0).round() / 1000.0;

    for i in 0..n {
        while cohorts
            .front()
            .is_some_and(|c| c.launched + warm_after <= i)
        {
            if let Some(c) = cohorts.pop_front() {
                warm = warm.saturating_add(c.count);
            }
        }
        let (mut in_service, mut pending) = (warm, 0u32);
        for c in &cohorts {
            if c.launched + delay <= i {
                in_service = in_service.saturating_add(c.count);
            } else {
                pending = pending.saturating_add(c.count);
            }
        }
        instance_minutes += in_service as u64 + pending as u64;

        let denom = warm.max(1) as f64;
        let cpu_total = col(&trace.cpu, i);
        let cpu = cpu_total.map(|v| (v / denom).min(100.0));
        let memory = col(&trace.memory, i).map(|v| (v / denom).min(100.0));
        let requests = col(&trace.requests, i);
        let rpt = requests.map(|v| v / denom);
        let response_time = col(&trace.response_time, i).map(|base| {
            let u = cpu_total.map(|c| c / denom / 100.0).unwrap_or(0.0);
            base * slowdown(u)
        });
        let mut values = [f64::NAN; SOURCES];
        values[Source::Cpu as usize] = cpu.unwrap_or(f64::NAN);
        values[Source::Memory as usize] = memory.unwrap_or(f64::NAN);
        values[Source::RequestsPerTarget as usize] = rpt.unwrap_or(f64::NAN);
        values[Source::Requests as usize] = requests.unwrap_or(f64::NAN);
        values[Source::ResponseTime as usize] = response_time.unwrap_or(f64::NAN);
        values[Source::Desired as usize] = desired as f64;
        values[Source::InService as usize] = in_service as f64;
        values[Source::Pending as usize] = pending as f64;
        values[Source::Total as usize] = in_service as f64 + pending as f64;
        values[Source::MinSize as usize] = min as f64;
        values[Source::MaxSize as usize] = max as f64;

        if cpu.is_some_and(|c| c >= 95.0) {
            overloaded += 1;
        }
        timeline.push(Minute {
            minute: trace.start + i as i64,
            desired,
            in_service,
            pending,
            cpu: cpu.map(round),
            memory: memory.map(round),
            requests_per_target: rpt.map(round),
            response_time: response_time.map(round),
        });

        for ((_, a), (on, st)) in alarms
            .iter_mut()
            .zip(alarm_on.iter_mut().zip(alarm_stats.iter_mut()))
        {
            if let Some((_, now)) = a.observe(i, &values) {
                if now && !*on {
                    st.times_fired += 1;
                }
                *on = now;
            }
            if *on {
                st.minutes_in_alarm += 1;
            }
        }

        // Proposals: (new desired, policy index).
        let mut out: Option<(u32, usize)> = None;
        let mut inn: Option<(u32, usize)> = None;
        let propose = |slot: &mut Option<(u32, usize)>, v: u32, k: usize| {
            if slot.is_none_or(|(best, _)| v > best) {
                *slot = Some((v, k));
            }
        };
        let in_progress = !cohorts.is_empty();
        let launching = pending > 0;
        let mut any_over = false;
        let (mut tt_in_voters, mut tt_in_ready) = (0, 0);
        let mut tt_in: Option<(u32, usize)> = None;
        for (k, rule) in rules.iter_mut().enumerate() {
            let Some(rule) = rule else { continue };
            match rule {
                Rule::Tracking {
                    source,
                    target,
                    scale_in,
                    above,
                    below,
                } => {
                    let v = values[*source as usize];
                    if v.is_nan() {
                        *above = 0;
                        *below = 0;
                        continue;
                    }
                    let wanted = ((denom * v / *target) - 1e-9).ceil().max(0.0) as u32;
                    // Scale-in keeps the metric under the scale-in line.
                    let keep = ((denom * v / (0.9 * *target)) - 1e-9).ceil().max(0.0) as u32;
                    if v > *target {
                        any_over = true;
                        *above += 1;
                    } else {
                        *above = 0;
                    }
                    if v < 0.9 * *target {
                        *below += 1;
                    } else {
                        *below = 0;
                    }
                    if *above >= 3 && wanted > desired {
                        propose(&mut out, wanted, k);
                    }
                    if *scale_in {
                        tt_in_voters += 1;
                        if *below >= 15 {
                            tt_in_ready += 1;
                            if tt_in.is_none_or(|(best, _)| keep > best) {
                                tt_in = Some((keep, k));
                            }
                        }
                    }
                }
                Rule::Step {
                    alarm,
                    direction,
                    kind,
                    steps,
                    min_magnitude,
                } => {
                    let Some((v, true)) = alarm.observe(i, &values) else {
                        continue;
                    };
                    let Some(adj) = step_for(steps, v - alarm.threshold, *direction) else {
                        continue;
                    };
                    match direction {
                        Direction::Out => {
                            // warming instances are not current capacity
                            let to = adjust(warm, *kind, adj, *min_magnitude);
                            if to > desired {
                                propose(&mut out, to, k);
                            }
                        }
                        Direction::In => {
                            let to = adjust(desired, *kind, adj, *min_magnitude);
                            if to < desired {
                                propose(&mut inn, to, k);
                            }
                        }
                    }
                }
                Rule::Simple {
                    alarm,
                    kind,
                    adjustment,
                    min_magnitude,
                    ..
                } => {
                    let Some((_, true)) = alarm.observe(i, &values) else {
                        continue;
                    };
                    if i < simple_until || launching {
                        continue;
                    }
                    let to = adjust(desired, *kind, *adjustment, *min_magnitude);
                    if to > desired {
                        propose(&mut out, to, k);
                    } else if to < desired {
                        propose(&mut inn, to, k);
                    }
                }
            }
        }
        if any_over {
            over_target += 1;
        }
        if tt_in_voters > 0
            && tt_in_ready == tt_in_voters
            && let Some((v, k)) = tt_in
            && v < desired
        {
            propose(&mut inn, v, k);
        }

        let decision = match (out, inn) {
            (Some((v, k)), _) if v.min(max) > desired => Some((v.min(max), k)),
            (None, Some((v, k))) if !in_progress && v.max(min) < desired => Some((v.max(min), k)),
            _ => None,
        };
        let Some((to, k)) = decision else { continue };
        let direction = if to > desired {
            cohorts.push_back(Cohort {
                launched: i,
                count: to - desired,
            });
            Direction::Out
        } else {
            let mut remove = desired - to;
            while remove > 0 {
                match cohorts.back_mut() {
                    Some(c) if c.count > remove => {
                        c.count -= remove;
                        remove = 0;
                    }
                    Some(c) => {
                        remove -= c.count;
                        cohorts.pop_back();
                    }
                    None => {
                        warm = warm.saturating_sub(remove);
                        remove = 0;
                    }
                }
            }
            Direction::In
        };
        if let Some(Rule::Simple { cooldown, .. }) = &rules[k] {
            let activity = if direction == Direction::Out {
                delay
            } else {
                0
            };
            simple_until = i + activity + *cooldown;
        }
        stats[k].actions += 1;
        events.push(Event {
            minute: trace.start + i as i64,
            direction,
            from: desired,
            to,
            policy: group.policies[k].name.clone(),
        });
        desired = to;
    }

    let thrash_events = thrash_pairs(&events).count() as u32;
    let instance_hours = round(instance_minutes as f64 / 60.0);
    let price = settings.price.or(group.price);
    let outcome = Outcome {
        app: env.app.clone(),
        environment: env.name.clone(),
        group: group.name.clone(),
        minutes: n,
        start_minute: trace.start,
        launch_delay_seconds: settings.launch_delay,
        warmup_seconds: warmup_s,
        peak_capacity: timeline.iter().map(|m| m.desired).max().unwrap_or(desired),
        lowest_capacity: timeline.iter().map(|m| m.desired).min().unwrap_or(desired),
        peak_in_service: timeline.iter().map(|m| m.in_service).max().unwrap_or(0),
        instance_hours,
        price_per_hour: price,
        cost: price.map(|p| (p * instance_hours * 100.0).round() / 100.0),
        minutes_over_target: over_target,
        minutes_overloaded: trace.cpu.as_ref().map(|_| overloaded),
        scale_out_events: events
            .iter()
            .filter(|e| e.direction == Direction::Out)
            .count() as u32,
        scale_in_events: events
            .iter()
            .filter(|e| e.direction == Direction::In)
            .count() as u32,
        thrash_events,
        policies: stats,
        alarms: alarm_stats,
        events,
        timeline,
    };
    (outcome, diags)
}

/// Consecutive capacity changes that reverse each other within 15 minutes.
pub fn thrash_pairs(events: &[Event]) -> impl Iterator<Item = (&Event, &Event)> {
    events
        .windows(2)
        .filter(|w| w[0].direction != w[1].direction && w[1].minute - w[0].minute <= 15)
        .map(|w| (&w[0], &w[1]))
}

fn single(a: &AlarmSpec) -> Option<&Metric> {
    match &a.query {
        MetricQuery::Single { metric } => Some(metric),
        MetricQuery::Math { .. } => None,
    }
}

/// Response time multiplier at utilisation `u` (1.0 = one instance's worth
/// of CPU per instance): 1 up to 0.7, then `0.3 / (1 - u)`, at most 50.
pub fn slowdown(u: f64) -> f64 {
    if u <= 0.7 {
        1.0
    } else if u >= 1.0 - 0.3 / 50.0 {
        50.0
    } else {
        0.3 / (1.0 - u)
    }
}

#[cfg(test)]
mod tests;
