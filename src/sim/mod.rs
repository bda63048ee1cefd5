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
//!    its target for 15 minutes (the low alarm AWS creates for the policy),
//!    to the largest of the policies' `ceil(warm * metric / target)`:
//!    as AWS documents it, scale-out rounds the capacity needed up and
//!    scale-in rounds the capacity removed down (with 10 instances at 42.5%
//!    against 50%, 8.5 are needed, 1.5 could go, and one goes: 9).
//! 4. **Step and simple policies** act on their alarm: one datapoint per
//!    period (the statistic over the period's minutes), ALARM when
//!    `datapoints` of the last `evaluate` breach, and the action runs at
//!    every datapoint while in ALARM. A step scale-out adds to the warm
//!    capacity, so a breach in the same step while instances warm up adds
//!    nothing more and a bigger step adds the difference. Percent changes
//!    round as AWS rounds them, then apply the minimum magnitude. A simple
//!    policy waits for launches to finish and for its cooldown.
//! 5. **Combining.** The largest scale-out wins. Scale-in happens only when
//!    nothing scales out and no instance is launching, warming up or
//!    terminating; the smallest removal wins. Capacity stays within
//!    min..max. **Terminating:** removed instances terminate for
//!    `--terminate-delay` (an assumption, like the launch delay): by
//!    default the longest terminate hook's heartbeat timeout, else 300 s
//!    for a group behind a load balancer (the target group's default
//!    deregistration delay), else 60 s. AWS counts terminating instances
//!    as current capacity and takes no further scale-in action while they
//!    terminate; they serve no load.
//! 6. **Launch hooks.** A launch lifecycle hook holds each new instance in
//!    `Pending:Wait` until something completes the action or the heartbeat
//!    times out. The simulator can't know when your hook completes, so it
//!    adds `--hook-wait` to the launch delay, by default the longest launch
//!    hook's heartbeat timeout (the wait when nothing answers).
//! 7. **Warm pools.** The pool starts full and refills to AWS's size (its
//!    maximum prepared capacity, the group's max by default, minus desired,
//!    at least its minimum); refilling takes a launch, and the hooks. A
//!    scale-out takes prepared instances first: they are in service after
//!    `--warm-launch-delay` (default 1 minute, the time to start a stopped
//!    instance; their hooks are assumed to answer at once, since they ran
//!    when the instance was prepared). With reuse on scale-in, removed
//!    instances go back to the pool.
//! 8. **Instance refresh** (`--refresh-at MINUTE`) replaces every instance
//!    in batches: a batch is the gap between the minimum and maximum healthy
//!    percentages of desired capacity (at least one instance). The part
//!    below 100% is terminated before its replacements launch, the part
//!    above 100% launches first; the next batch starts when the last is
//!    warm (the refresh's warmup). A checkpoint pauses for its delay once
//!    its percentage is replaced. Scaling goes on during the refresh, but
//!    nothing scales in while a batch is in flight.
//! 9. **Scheduled actions** are replayed when `--start` says what date and
//!    time the trace's first minute is: at each minute where a recurrence
//!    fires (in the schedule's time zone, UTC by default), min, max and
//!    desired take the schedule's values, and desired moves into the new
//!    range as AWS moves it.
//!
//! Desired capacity is recorded at the start of each minute, before that
//! minute's decision. Capacity is counted in instances; with weighted
//! instance types (where AWS counts min, max and desired in units) each
//! unit is simulated as one instance. Every group of an environment is
//! given the whole trace.
//!
//! Predictive scaling is not simulated: AWS forecasts from 1 to 14 days of
//! the group's history with a model it doesn't publish, and a rough
//! imitation would give figures that look precise and aren't. A warning
//! says so; the other policies are simulated without it.

pub mod actual;
mod fleet;
pub mod history;
pub mod load;
mod report;
pub mod scaling_test;
mod signals;
pub mod svg;
pub mod trace;

pub use report::{render_human, to_json, to_json_all, write_csv};

use crate::analysis::{self, adjust, group_warmup};
use crate::diagnostic::{Diagnostic, codes};
use crate::kinds::cron::Recurrence;
use crate::model::{
    AdjustmentType, AlarmSpec, Direction, Environment, Group, Metric, MetricQuery, PolicyKind,
    StepAdjustment, Tier,
};
use fleet::{Fleet, Timing};
use serde::Serialize;
use signals::{AlarmSim, SOURCES, Source, available, source_of};
pub use trace::Trace;

codes! {
    /// A policy or alarm on a metric the trace can't give.
    UNSIMULATED = "scale::sim::unsimulated";
    /// Scheduled actions are not replayed without `--start`, or can't be.
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
    /// What launch hooks add to a launch, seconds; the longest launch
    /// hook's heartbeat timeout if `None`.
    pub hook_wait: Option<u32>,
    /// From the scaling decision to in service, for an instance from the
    /// warm pool, seconds.
    pub warm_launch_delay: u32,
    /// The trace minute at which an instance refresh starts.
    pub refresh_at: Option<i64>,
    /// When the trace's first minute is; schedules are replayed with it.
    pub start: Option<jiff::Timestamp>,
    /// From a scale-in decision to the instance gone, seconds; the
    /// group's default (see the module's notes) if `None`.
    pub terminate_delay: Option<u32>,
}

/// From a scaling decision to in service, for an instance from a warm
/// pool: the time to start a stopped instance, seconds.
pub const WARM_LAUNCH_DELAY: u32 = 60;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            launch_delay: analysis::LAUNCH_DELAY,
            start_capacity: None,
            price: None,
            hook_wait: None,
            warm_launch_delay: WARM_LAUNCH_DELAY,
            refresh_at: None,
            start: None,
            terminate_delay: None,
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
    /// Assumed time a removed instance takes to terminate, seconds.
    pub terminate_delay_seconds: u32,
    /// What launch hooks add to each launch, seconds (absent without
    /// launch hooks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hook_wait_seconds: Option<u32>,
    /// What the warm pool did (absent without one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warm_pool: Option<PoolStats>,
    /// The instance refresh replayed with `--refresh-at`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh: Option<RefreshStats>,
    /// The trace's first minute as a date and time, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Each scheduled action replayed, and how often it ran.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub schedules: Vec<ScheduleStats>,
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
    /// The group's real run beside the simulated one, when the trace was
    /// fetched with its capacity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<actual::Actual>,
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

/// A warm pool's part in the simulation.
#[derive(Debug, Clone, Serialize)]
pub struct PoolStats {
    /// Its state: `Stopped`, `Running` or `Hibernated`.
    pub state: String,
    /// Assumed time from decision to in service for its instances, seconds.
    pub launch_delay_seconds: u32,
    /// Instances that came from the pool.
    pub instances_from_pool: u32,
}

/// A replayed instance refresh.
#[derive(Debug, Clone, Serialize)]
pub struct RefreshStats {
    /// The minute it started.
    pub started_minute: i64,
    /// The minute its last batch was warm; `None` if the trace ended first.
    pub finished_minute: Option<i64>,
    /// Instances replaced.
    pub replaced: u32,
    /// Instances it set out to replace.
    pub total: u32,
    /// Its minimum healthy percentage.
    pub min_healthy_percent: u32,
    /// Its maximum healthy percentage.
    pub max_healthy_percent: u32,
    /// Fewest instances in service while it ran.
    pub lowest_in_service: u32,
    /// Most instances running (pending or in service) while it ran.
    pub peak_running: u32,
}

/// A replayed scheduled action.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleStats {
    /// `nightly`.
    pub name: String,
    /// Times it ran in the trace.
    pub times_run: u32,
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

/// Simulates `group` of `env` over `trace`. Warnings say which policies and
/// alarms the trace can't drive.
pub fn simulate(
    env: &Environment,
    group: &Group,
    trace: &Trace,
    settings: &Settings,
) -> (Outcome, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let (timing, warmup_s, hook_wait_s) = timing(group, settings);
    let default_cooldown = group.default_cooldown.unwrap_or(analysis::DEFAULT_COOLDOWN);
    let (rules, stats) = policy_rules(group, trace, default_cooldown, &mut diags);
    let alarms = simulated_alarms(group, trace, &mut diags);
    let schedules = replayable_schedules(group, settings.start, &mut diags);
    let mut run = Run::new(
        group,
        trace,
        settings,
        timing,
        (rules, stats),
        alarms,
        schedules,
    );
    for i in 0..trace.len {
        run.minute(i);
    }
    let mut outcome = run.outcome(env, warmup_s, hook_wait_s);
    outcome.actual = actual::compare(&outcome, trace, group);
    (outcome, diags)
}

/// How long a launch, the launch hooks, a launch from the warm pool, the
/// warmup and a termination take, in whole minutes; with the warmup and
/// the hooks' wait in seconds, as the outcome reports them.
fn timing(group: &Group, settings: &Settings) -> (Timing, u32, Option<u32>) {
    let delay = (settings.launch_delay as usize).div_ceil(60);
    let warmup_s = group_warmup(group);
    let hook_wait_s = group
        .hooks
        .iter()
        .filter(|h| h.on_launch())
        .map(|h| h.heartbeat_timeout)
        .max()
        .map(|longest| settings.hook_wait.unwrap_or(longest));
    let timing = Timing {
        launch: delay,
        hook: hook_wait_s.map_or(0, |s| (s as usize).div_ceil(60)),
        from_pool: (settings.warm_launch_delay as usize).div_ceil(60),
        warmup: (warmup_s as usize).div_ceil(60),
        terminate: (terminate_delay(group, settings) as usize).div_ceil(60),
    };
    (timing, warmup_s, hook_wait_s)
}

/// A value to three decimals, as the timeline shows it.
fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// A simulation under way: the group's capacity and fleet, what acts on
/// it, and what has been seen so far.
struct Run<'s> {
    group: &'s Group,
    trace: &'s Trace,
    settings: &'s Settings,
    timing: Timing,
    rules: Vec<Option<Rule>>,
    stats: Vec<PolicyStats>,
    alarms: Vec<(usize, AlarmSim)>,
    alarm_on: Vec<bool>,
    alarm_stats: Vec<AlarmStats>,
    schedules: Vec<(usize, Recurrence, jiff::tz::TimeZone)>,
    schedule_stats: Vec<ScheduleStats>,
    min: u32,
    max: u32,
    desired: u32,
    fleet: Fleet,
    /// The minute the instance refresh starts, if within the trace.
    refresh_index: Option<usize>,
    /// (lowest in service, peak running) while the refresh runs.
    refresh_seen: Option<(u32, u32)>,
    /// The minute a simple policy's cooldown ends.
    simple_until: usize,
    timeline: Vec<Minute>,
    events: Vec<Event>,
    instance_minutes: u64,
    over_target: u64,
    overloaded: u64,
}

impl<'s> Run<'s> {
    /// A run at minute 0: the starting capacity within the group's range,
    /// no alarm on, nothing seen.
    fn new(
        group: &'s Group,
        trace: &'s Trace,
        settings: &'s Settings,
        timing: Timing,
        (rules, stats): (Vec<Option<Rule>>, Vec<PolicyStats>),
        alarms: Vec<(usize, AlarmSim)>,
        schedules: Vec<(usize, Recurrence, jiff::tz::TimeZone)>,
    ) -> Run<'s> {
        let schedule_stats: Vec<ScheduleStats> = schedules
            .iter()
            .map(|(k, _, _)| ScheduleStats {
                name: group.schedules[*k].name.clone(),
                times_run: 0,
            })
            .collect();
        let alarm_stats: Vec<AlarmStats> = alarms
            .iter()
            .map(|(k, _)| AlarmStats {
                name: group.alarms[*k].name.clone(),
                tier: group.alarms[*k].tier,
                times_fired: 0,
                minutes_in_alarm: 0,
            })
            .collect();
        let alarm_on = vec![false; alarms.len()];
        let (min, max) = (group.min, group.max);
        let desired = settings
            .start_capacity
            .unwrap_or(group.desired)
            .clamp(min, max);
        let fleet = Fleet::new(desired, timing, group.warm_pool.as_ref(), max);
        let n = trace.len;
        let refresh_index = settings
            .refresh_at
            .and_then(|m| usize::try_from(m - trace.start).ok())
            .filter(|&i| i < n);
        Run {
            group,
            trace,
            settings,
            timing,
            rules,
            stats,
            alarms,
            alarm_on,
            alarm_stats,
            schedules,
            schedule_stats,
            min,
            max,
            desired,
            fleet,
            refresh_index,
            refresh_seen: None,
            simple_until: 0,
            timeline: Vec::with_capacity(n),
            events: Vec::new(),
            instance_minutes: 0,
            over_target: 0,
            overloaded: 0,
        }
    }

    /// Minute `i`: the fleet moves on, the metrics and alarms are read,
    /// schedules fire, and the policies may change the desired capacity.
    fn minute(&mut self, i: usize) {
        let (in_service, pending) = self.advance_fleet(i);
        let denom = self.fleet.warm.max(1) as f64;
        let values = self.record(i, in_service, pending, denom);
        self.observe_alarms(i, &values);
        self.run_schedules(i);
        self.scale(i, pending, denom, &values);
    }

    /// Moves the fleet to minute `i` (and the refresh, when it starts or
    /// runs); returns the instances in service and pending.
    fn advance_fleet(&mut self, i: usize) -> (u32, u32) {
        self.fleet.tick(i, self.desired, self.max);
        if self.refresh_index == Some(i) {
            self.fleet
                .start_refresh(i, self.group.refresh.as_ref(), self.timing.warmup);
        }
        self.fleet.refresh_step(i, self.desired);
        let (in_service, pending) = self.fleet.counts(i);
        if self.fleet.refreshing() {
            let (low, peak) = self.refresh_seen.get_or_insert((in_service, 0));
            *low = (*low).min(in_service);
            *peak = (*peak).max(in_service.saturating_add(pending));
        }
        self.instance_minutes += in_service as u64 + pending as u64;
        (in_service, pending)
    }

    /// The metrics at minute `i`, recorded in the timeline; returns each
    /// source's value, for the alarms and policies.
    fn record(&mut self, i: usize, in_service: u32, pending: u32, denom: f64) -> [f64; SOURCES] {
        let counts = Counts {
            desired: self.desired,
            in_service,
            pending,
            min: self.min,
            max: self.max,
        };
        let (
            PerInstance {
                cpu,
                memory,
                rpt,
                response_time,
            },
            values,
        ) = minute_metrics(self.trace, i, denom, counts);
        if cpu.is_some_and(|c| c >= 95.0) {
            self.overloaded += 1;
        }
        self.timeline.push(Minute {
            minute: self.trace.start + i as i64,
            desired: self.desired,
            in_service,
            pending,
            cpu: cpu.map(round3),
            memory: memory.map(round3),
            requests_per_target: rpt.map(round3),
            response_time: response_time.map(round3),
        });
        values
    }

    /// Each simulated alarm's state at minute `i`, counting the times it
    /// fires and its minutes in alarm.
    fn observe_alarms(&mut self, i: usize, values: &[f64; SOURCES]) {
        for ((_, a), (on, st)) in self
            .alarms
            .iter_mut()
            .zip(self.alarm_on.iter_mut().zip(self.alarm_stats.iter_mut()))
        {
            if let Some((_, now)) = a.observe(i, values) {
                if now && !*on {
                    st.times_fired += 1;
                }
                *on = now;
            }
            if *on {
                st.minutes_in_alarm += 1;
            }
        }
    }

    /// The schedules that fire at minute `i`: their sizes, and the change
    /// of desired capacity they make.
    fn run_schedules(&mut self, i: usize) {
        for n in 0..self.schedules.len() {
            if !fires(&self.schedules[n], self.settings.start, i) {
                continue;
            }
            let s = &self.group.schedules[self.schedules[n].0];
            self.schedule_stats[n].times_run += 1;
            self.min = s.min.unwrap_or(self.min);
            self.max = s.max.unwrap_or(self.max).max(self.min);
            let to = s.desired.unwrap_or(self.desired).clamp(self.min, self.max);
            if to != self.desired {
                self.events.push(change(
                    &mut self.fleet,
                    i,
                    self.trace.start,
                    self.desired,
                    to,
                    format!("schedule {}", s.name),
                ));
                self.desired = to;
            }
        }
    }

    /// The policies' decision at minute `i`: out when one asks for more
    /// than the desired capacity, in when none does and nothing is under
    /// way; a simple policy's cooldown starts.
    fn scale(&mut self, i: usize, pending: u32, denom: f64, values: &[f64; SOURCES]) {
        let in_progress = self.fleet.busy();
        let now = Now {
            i,
            desired: self.desired,
            warm: self.fleet.warm,
            denom,
            launching: pending > 0,
            simple_until: self.simple_until,
        };
        let Proposals { out, inn, any_over } = proposals(&mut self.rules, values, &now);
        if any_over {
            self.over_target += 1;
        }
        let (min, max, desired) = (self.min, self.max, self.desired);
        let decision = match (out, inn) {
            (Some((v, k)), _) if v.min(max) > desired => Some((v.min(max), k)),
            (None, Some((v, k))) if !in_progress && v.max(min) < desired => Some((v.max(min), k)),
            _ => None,
        };
        let Some((to, k)) = decision else { return };
        let event = change(
            &mut self.fleet,
            i,
            self.trace.start,
            desired,
            to,
            self.group.policies[k].name.clone(),
        );
        if let Some(Rule::Simple { cooldown, .. }) = &self.rules[k] {
            let activity = if event.direction == Direction::Out {
                self.timing.launch + self.timing.hook
            } else {
                0
            };
            self.simple_until = i + activity + *cooldown;
        }
        self.stats[k].actions += 1;
        self.events.push(event);
        self.desired = to;
    }

    /// What the run came to, without the comparison with a real run.
    fn outcome(self, env: &Environment, warmup_s: u32, hook_wait_s: Option<u32>) -> Outcome {
        let (group, trace, settings) = (self.group, self.trace, self.settings);
        let events = self.events;
        let timeline = self.timeline;
        let desired = self.desired;
        let thrash_events = thrash_pairs(&events).count() as u32;
        let instance_hours = round3(self.instance_minutes as f64 / 60.0);
        let price = settings.price.or(group.price);
        let refresh_seen = self.refresh_seen;
        Outcome {
            app: env.app.clone(),
            environment: env.name.clone(),
            group: group.name.clone(),
            minutes: trace.len,
            start_minute: trace.start,
            launch_delay_seconds: settings.launch_delay,
            terminate_delay_seconds: terminate_delay(group, settings),
            warmup_seconds: warmup_s,
            hook_wait_seconds: hook_wait_s,
            warm_pool: group.warm_pool.as_ref().map(|w| PoolStats {
                state: w.state.clone(),
                launch_delay_seconds: settings.warm_launch_delay,
                instances_from_pool: self.fleet.from_pool,
            }),
            refresh: self.fleet.refresh_result().map(|r| {
                let f = group.refresh.as_ref();
                let (low, peak) = refresh_seen.unwrap_or((0, 0));
                RefreshStats {
                    started_minute: trace.start + r.started as i64,
                    finished_minute: r.finished.map(|m| trace.start + m as i64),
                    replaced: r.replaced,
                    total: r.total,
                    min_healthy_percent: f.map_or(90, |f| f.min_healthy),
                    max_healthy_percent: f.and_then(|f| f.max_healthy).unwrap_or(100),
                    lowest_in_service: low,
                    peak_running: peak,
                }
            }),
            start: settings.start.map(|t| t.to_string()),
            schedules: self.schedule_stats,
            peak_capacity: timeline.iter().map(|m| m.desired).max().unwrap_or(desired),
            lowest_capacity: timeline.iter().map(|m| m.desired).min().unwrap_or(desired),
            peak_in_service: timeline.iter().map(|m| m.in_service).max().unwrap_or(0),
            instance_hours,
            price_per_hour: price,
            cost: price.map(|p| (p * instance_hours * 100.0).round() / 100.0),
            minutes_over_target: self.over_target,
            minutes_overloaded: trace.cpu.as_ref().map(|_| self.overloaded),
            scale_out_events: events
                .iter()
                .filter(|e| e.direction == Direction::Out)
                .count() as u32,
            scale_in_events: events
                .iter()
                .filter(|e| e.direction == Direction::In)
                .count() as u32,
            thrash_events,
            policies: self.stats,
            alarms: self.alarm_stats,
            events,
            timeline,
            actual: None,
        }
    }
}

/// The group's counts at a minute, for the metrics about the group.
#[derive(Clone, Copy)]
struct Counts {
    desired: u32,
    in_service: u32,
    pending: u32,
    min: u32,
    max: u32,
}

/// A minute's per-instance metrics, where the trace gives them.
struct PerInstance {
    cpu: Option<f64>,
    memory: Option<f64>,
    rpt: Option<f64>,
    response_time: Option<f64>,
}

/// Minute `i`'s metrics: per-instance figures from the trace's totals
/// over `denom` warm instances, and every source's value.
fn minute_metrics(trace: &Trace, i: usize, denom: f64, c: Counts) -> (PerInstance, [f64; SOURCES]) {
    let col = |c: &Option<Vec<f64>>, i: usize| c.as_ref().map(|v| v[i]);
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
    values[Source::Desired as usize] = f64::from(c.desired);
    values[Source::InService as usize] = f64::from(c.in_service);
    values[Source::Pending as usize] = f64::from(c.pending);
    values[Source::Total as usize] = f64::from(c.in_service) + f64::from(c.pending);
    values[Source::MinSize as usize] = f64::from(c.min);
    values[Source::MaxSize as usize] = f64::from(c.max);

    (
        PerInstance {
            cpu,
            memory,
            rpt,
            response_time,
        },
        values,
    )
}

/// Whether a replayable schedule fires at trace minute `i`, the trace
/// starting at `start` (never without one).
fn fires(
    (_, rec, tz): &(usize, Recurrence, jiff::tz::TimeZone),
    start: Option<jiff::Timestamp>,
    i: usize,
) -> bool {
    let Some(start) = start else { return false };
    let now = start
        .checked_add(jiff::SignedDuration::from_mins(i as i64))
        .unwrap_or(start);
    let z = now.to_zoned(tz.clone());
    let field = |v: i8| u32::from(v.unsigned_abs());
    rec.fires(
        field(z.minute()),
        field(z.hour()),
        field(z.day()),
        field(z.month()),
        field(z.weekday().to_sunday_zero_offset()),
    )
}

/// What a minute's decision is made from: the minute's index, desired
/// capacity, warm instances (and the divisor of per-instance metrics),
/// whether instances are launching, and until when simple policies wait.
#[derive(Clone, Copy)]
struct Now {
    i: usize,
    desired: u32,
    warm: u32,
    denom: f64,
    launching: bool,
    simple_until: usize,
}

/// The policies' proposals for a minute: the largest scale-out, the
/// smallest scale-in (each with its policy's index), and whether a
/// target-tracking metric was over its target.
struct Proposals {
    out: Option<(u32, usize)>,
    inn: Option<(u32, usize)>,
    any_over: bool,
}

/// Every policy's proposal at minute `now.i`, given the metrics'
/// `values`; target tracking scales in only when every policy that may
/// agrees.
fn proposals(rules: &mut [Option<Rule>], values: &[f64; SOURCES], now: &Now) -> Proposals {
    // Proposals: (new desired, policy index).
    let mut out: Option<(u32, usize)> = None;
    let mut inn: Option<(u32, usize)> = None;
    let propose = |slot: &mut Option<(u32, usize)>, v: u32, k: usize| {
        if slot.is_none_or(|(best, _)| v > best) {
            *slot = Some((v, k));
        }
    };
    let Now {
        i,
        desired,
        warm,
        denom,
        launching,
        simple_until,
    } = *now;
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
                // Out: the capacity needed, rounded up. In: what may go,
                // rounded down, which leaves the same number.
                let wanted = ((denom * v / *target) - 1e-9).ceil().max(0.0) as u32;
                let keep = wanted;
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
                let Some((v, true)) = alarm.observe(i, values) else {
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
                let Some((_, true)) = alarm.observe(i, values) else {
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
    if tt_in_voters > 0
        && tt_in_ready == tt_in_voters
        && let Some((v, k)) = tt_in
        && v < desired
    {
        propose(&mut inn, v, k);
    }

    Proposals { out, inn, any_over }
}

/// Each policy as the simulator runs it (`None`: it can't, said in
/// `diags`), and its statistics so far.
fn policy_rules(
    group: &Group,
    trace: &Trace,
    default_cooldown: u32,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Option<Rule>>, Vec<PolicyStats>) {
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
    (rules, stats)
}

/// The alarms the trace can drive, by their index in the group; a note
/// names the others.
fn simulated_alarms(
    group: &Group,
    trace: &Trace,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(usize, AlarmSim)> {
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
    alarms
}

/// How long a removed instance terminates, seconds: as set, else the
/// longest terminate hook's heartbeat timeout, else the target groups'
/// default deregistration delay (300 s) for a group behind a load
/// balancer, else a minute.
pub fn terminate_delay(group: &Group, settings: &Settings) -> u32 {
    settings.terminate_delay.unwrap_or_else(|| {
        let hooks = group
            .hooks
            .iter()
            .filter(|h| !h.on_launch())
            .map(|h| h.heartbeat_timeout)
            .max();
        match hooks {
            Some(h) => h,
            None if !matches!(&group.target_groups, crate::model::ListValue::Items(v) if v.is_empty()) => {
                300
            }
            None => 60,
        }
    })
}

/// Moves desired capacity from `from` to `to` at minute index `i`: launches
/// or removes instances, and says so in an event.
fn change(fleet: &mut Fleet, i: usize, start: i64, from: u32, to: u32, by: String) -> Event {
    let direction = if to > from {
        fleet.launch(i, to - from);
        Direction::Out
    } else {
        fleet.remove(i, from - to);
        Direction::In
    };
    Event {
        minute: start + i as i64,
        direction,
        from,
        to,
        policy: by,
    }
}

/// The schedules `simulate` replays: (index, recurrence, time zone). Says
/// why when it can't.
fn replayable_schedules(
    group: &Group,
    start: Option<jiff::Timestamp>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(usize, Recurrence, jiff::tz::TimeZone)> {
    let Some(first) = group.schedules.first() else {
        return vec![];
    };
    if start.is_none() {
        diags.push(
            Diagnostic::note(
                SCHEDULES,
                "scheduled actions are not replayed: the trace's minutes have no date",
                first.origin,
                "not simulated",
            )
            .with_help(
                "give the trace's first minute with `--start`, such as `--start 2026-11-30T00:00Z`, to replay them",
            ),
        );
        return vec![];
    }
    let mut out = vec![];
    for (k, s) in group.schedules.iter().enumerate() {
        let tz = match &s.time_zone {
            Some(z) => jiff::tz::TimeZone::get(z).ok(),
            None => Some(jiff::tz::TimeZone::UTC),
        };
        match (Recurrence::compile(&s.recurrence), tz) {
            (Some(r), Some(tz)) => out.push((k, r, tz)),
            _ => diags.push(Diagnostic::warning(
                SCHEDULES,
                format!(
                    "schedule `{}` can't be replayed: `{}`{} is not a recurrence the simulator reads",
                    s.name,
                    s.recurrence,
                    s.time_zone.as_deref().map(|z| format!(" in {z}")).unwrap_or_default()
                ),
                s.origin,
                "not simulated",
            )),
        }
    }
    out
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
#[cfg(test)]
mod worked_examples;
