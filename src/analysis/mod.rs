//! Static analysis of scaling behaviour: warnings about policies that fight
//! each other, thrash, run away, can't act or react too slowly.
//!
//! Lints read only the model ([`crate::model::Environment`]), one environment
//! at a time, and never block a build: every finding is a warning with a
//! `scale::lint::*` code, a label on each policy or alarm involved and a help
//! line. A finding that holds in several environments (but not all) says in
//! which; one that holds in all says nothing about environments.
//!
//! The timing assumptions (instance launch delay, target tracking's alarm
//! windows) are the simulator's ([`crate::sim`]), so `check` and `simulate`
//! agree about what a spec does.

pub mod error;
mod fleet;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::units;
use crate::model::{
    AdjustmentType, AlarmSpec, Comparison, Direction, Environment, Group, Metric, MetricQuery,
    Policy, PolicyKind, Spec, Unit,
};
use crate::source::Span;
use error as codes;
use std::collections::HashMap;

/// Settings of the optional lints.
#[derive(Debug, Clone, Copy, Default)]
pub struct LintOptions {
    /// `--max-reach`: the longest a group may take to grow from its minimum
    /// to its maximum, seconds. `None` turns the lint off.
    pub max_reach: Option<u32>,
}

/// Lints every environment of a checked spec.
pub fn lint_spec(spec: &Spec, opts: &LintOptions) -> Diagnostics {
    // the same finding in several environments, in first-seen order
    let mut found: Vec<(Diagnostic, Vec<&str>)> = Vec::new();
    let mut index: HashMap<Diagnostic, usize> = HashMap::new();
    // Environments lint independently: on threads of their own, the
    // results merged in declaration order.
    let linted = crate::parallel::map(&spec.environments, |env| lint_environment(env, opts));
    for (env, diags) in spec.environments.iter().zip(linted) {
        for d in diags {
            match index.get(&d) {
                Some(&k) => found[k].1.push(&env.name),
                None => {
                    index.insert(d.clone(), found.len());
                    found.push((d, vec![&env.name]));
                }
            }
        }
    }
    let all = spec.environments.len();
    let mut out = Diagnostics::new();
    for (mut d, envs) in found {
        if envs.len() < all {
            d.message = format!("{} (in {})", d.message, envs.join(", "));
        }
        out.push(d);
    }
    out
}

/// Lints one environment.
pub fn lint_environment(env: &Environment, opts: &LintOptions) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for g in &env.groups {
        let triggers = triggers(g);
        opposing(&triggers, &mut out);
        against_target(g, &triggers, &mut out);
        runaway(g, &triggers, &mut out);
        fixed_capacity(g, &mut out);
        never_fires(g, &mut out);
        tier_order(g, &mut out);
        fleet::lint_fleet(g, &mut out);
        if let Some(bound) = opts.max_reach {
            slow_reach(g, bound, &mut out);
        }
    }
    out
}

/// The effective warmup of a policy's new instances, seconds: the policy's,
/// else the group's default warmup, else its default cooldown, else AWS's
/// 300 s default cooldown (AWS's own fallback order).
pub fn policy_warmup(g: &Group, p: &Policy) -> u32 {
    let own = match &p.kind {
        PolicyKind::TargetTracking { warmup, .. } | PolicyKind::Step { warmup, .. } => *warmup,
        PolicyKind::Simple { .. } | PolicyKind::Predictive { .. } => None,
    };
    own.or(g.default_warmup)
        .or(g.default_cooldown)
        .unwrap_or(DEFAULT_COOLDOWN)
}

/// How long after it launches an instance counts in the group's metrics:
/// the group's default warmup, else the longest policy warmup, else the
/// default cooldown (300 s unless set).
pub fn group_warmup(g: &Group) -> u32 {
    g.default_warmup
        .or_else(|| {
            g.policies
                .iter()
                .filter_map(|p| match &p.kind {
                    PolicyKind::TargetTracking { warmup, .. } | PolicyKind::Step { warmup, .. } => {
                        *warmup
                    }
                    PolicyKind::Simple { .. } | PolicyKind::Predictive { .. } => None,
                })
                .max()
        })
        .or(g.default_cooldown)
        .unwrap_or(DEFAULT_COOLDOWN)
}

/// AWS's default cooldown, seconds.
pub const DEFAULT_COOLDOWN: u32 = 300;

/// The simulator's default launch delay: from the scaling decision to the
/// instance being in service, seconds.
pub const LAUNCH_DELAY: u32 = 120;

/// A threshold at which a step or simple policy acts.
struct Trigger<'a> {
    policy: &'a Policy,
    metric: &'a Metric,
    direction: Direction,
    /// The alarm threshold, per minute for rate metrics.
    at: f64,
    /// Where the threshold is written.
    span: Span,
}

fn triggers(g: &Group) -> Vec<Trigger<'_>> {
    let mut out = Vec::new();
    for p in &g.policies {
        let (alarm, direction, span, offset) = match &p.kind {
            PolicyKind::Step {
                alarm,
                direction,
                steps,
                adjustment_type,
                ..
            } => {
                // Where the policy first changes capacity: steps of zero
                // next to the threshold are a dead band (AWS's user guide
                // has one), in which neither AWS nor the simulator acts.
                let acting = steps.iter().find(|s| {
                    s.adjustment != 0 || *adjustment_type == AdjustmentType::ExactCapacity
                });
                let Some(first) = acting else { continue };
                let offset = match direction {
                    Direction::Out => first.lower.unwrap_or(0.0),
                    Direction::In => first.upper.unwrap_or(0.0),
                };
                (alarm, *direction, first.origin, offset)
            }
            PolicyKind::Simple {
                alarm,
                adjustment_type,
                adjustment,
                ..
            } => {
                let up = matches!(
                    alarm.comparison,
                    Comparison::GreaterThanThreshold | Comparison::GreaterThanOrEqualToThreshold
                );
                let direction = match (adjustment_type, *adjustment > 0, up) {
                    (AdjustmentType::ExactCapacity, _, _) => continue,
                    (_, true, true) => Direction::Out,
                    (_, false, false) => Direction::In,
                    _ => continue,
                };
                (alarm, direction, p.origin, 0.0)
            }
            PolicyKind::TargetTracking { .. } | PolicyKind::Predictive { .. } => continue,
        };
        let MetricQuery::Single { metric } = &alarm.query else {
            continue;
        };
        out.push(Trigger {
            policy: p,
            metric,
            direction,
            at: per_minute(metric, alarm.threshold + offset, alarm.period),
            span,
        });
    }
    out
}

/// A threshold in the metric's own terms: rate thresholds are stored per
/// alarm period, shown per minute.
fn per_minute(metric: &Metric, threshold: f64, period: u32) -> f64 {
    threshold / metric.rate_factor(period.max(1))
}

fn same_metric(a: &Metric, b: &Metric) -> bool {
    a.namespace == b.namespace && a.name == b.name && a.dimensions == b.dimensions
}

fn show(m: &Metric, v: f64) -> String {
    units::show(v, m.unit)
}

/// Scale-in at or above a scale-out threshold on the same metric.
fn opposing(ts: &[Trigger<'_>], out: &mut Vec<Diagnostic>) {
    for i in ts.iter().filter(|t| t.direction == Direction::In) {
        for o in ts.iter().filter(|t| t.direction == Direction::Out) {
            if !same_metric(i.metric, o.metric) || i.at < o.at {
                continue;
            }
            out.push(
                Diagnostic::warning(
                    codes::NO_HYSTERESIS,
                    format!(
                        "`{}` scales in at {} while `{}` scales out from {}: the group will thrash",
                        i.policy.name,
                        show(i.metric, i.at),
                        o.policy.name,
                        show(o.metric, o.at),
                    ),
                    i.span,
                    format!("removes capacity below {}", show(i.metric, i.at)),
                )
                .with_label(o.span, format!("adds capacity from {}", show(o.metric, o.at)))
                .with_help(format!(
                    "leave a band between the two: removing one instance raises `{}`, so scale in well below {}",
                    i.metric.key,
                    show(o.metric, o.at)
                )),
            );
        }
    }
}

/// Step or simple thresholds that fight a target-tracking target.
fn against_target(g: &Group, ts: &[Trigger<'_>], out: &mut Vec<Diagnostic>) {
    for p in &g.policies {
        let PolicyKind::TargetTracking { metric, target, .. } = &p.kind else {
            continue;
        };
        let target = *target;
        for t in ts.iter().filter(|t| same_metric(t.metric, metric)) {
            let (at, tt) = (show(metric, t.at), show(metric, target));
            let (code, message, label, help) = match t.direction {
                Direction::Out if t.at < target => (
                    codes::STEP_BELOW_TARGET,
                    format!(
                        "`{}` adds capacity from {at}, below the {tt} that `{}` tracks",
                        t.policy.name, p.name
                    ),
                    format!("scales out from {at}"),
                    format!(
                        "between {at} and {tt} one policy adds instances while the other removes them; start the steps at or above {tt}"
                    ),
                ),
                Direction::In if t.at > 0.9 * target => (
                    codes::STEP_IN_NEAR_TARGET,
                    format!(
                        "`{}` removes capacity below {at}, above 90% of the {tt} that `{}` tracks",
                        t.policy.name, p.name
                    ),
                    format!("scales in below {at}"),
                    format!(
                        "target tracking itself scales in below {} (90% of its target); put this policy's threshold below that",
                        show(metric, 0.9 * target)
                    ),
                ),
                _ => continue,
            };
            out.push(
                Diagnostic::warning(code, message, t.span, label)
                    .with_label(p.origin, format!("holds `{}` at {tt}", metric.key))
                    .with_help(help),
            );
        }
    }
}

/// Simple scale-out policies that act again before their new instances
/// count in the metrics. A simple policy waits for its launches and its
/// cooldown, then acts again while its alarm is still in ALARM: with a
/// cooldown shorter than the group's warmup, the alarm still sees the old
/// capacity and it adds instances again. A step policy never runs away so:
/// while instances warm up, AWS counts them as capacity already added, so
/// a breach in the same step adds nothing more and a bigger step adds only
/// the difference. The simulator does the same (`sim`, rule 4), in whole
/// minutes, as here.
fn runaway(g: &Group, ts: &[Trigger<'_>], out: &mut Vec<Diagnostic>) {
    let warmup = group_warmup(g);
    for t in ts.iter().filter(|t| t.direction == Direction::Out) {
        let PolicyKind::Simple { cooldown, .. } = &t.policy.kind else {
            continue;
        };
        let c = cooldown.or(g.default_cooldown).unwrap_or(DEFAULT_COOLDOWN);
        if c.div_ceil(60) >= warmup.div_ceil(60) {
            continue;
        }
        out.push(
            Diagnostic::warning(
                codes::RUNAWAY,
                format!(
                    "`{}` can act again {} after its new instances are in service, before they finish their {} warmup",
                    t.policy.name,
                    minutes(c),
                    minutes(warmup)
                ),
                t.policy.origin,
                format!("cooldown of {}", minutes(c)),
            )
            .with_help(format!(
                "the alarm still sees the old capacity and adds instances again; set `cooldown = {}` or more, or use a step policy, which adds nothing more for the same breach while instances warm up",
                spec_duration(warmup)
            )),
        );
    }
}

/// min = max with scaling policies.
fn fixed_capacity(g: &Group, out: &mut Vec<Diagnostic>) {
    let resized = g
        .schedules
        .iter()
        .any(|s| s.min.is_some_and(|m| m != g.min) || s.max.is_some_and(|m| m != g.max));
    if g.min != g.max || g.policies.is_empty() || resized {
        return;
    }
    let mut d = Diagnostic::warning(
        codes::FIXED_CAPACITY,
        format!(
            "group `{}` has capacity {}..{}, so its {} scaling {} can never change its size",
            g.name,
            g.min,
            g.max,
            g.policies.len(),
            if g.policies.len() == 1 {
                "policy"
            } else {
                "policies"
            }
        ),
        g.origin,
        format!("always {} instances", g.min),
    );
    for p in &g.policies {
        d = d.with_label(p.origin, "can't act");
    }
    out.push(d.with_help(format!(
        "widen `capacity` (e.g. `{}..{}`), or remove the policies",
        g.min,
        g.max.saturating_mul(2).max(g.min.saturating_add(1))
    )));
}

/// The range a query's values can take, if known.
/// Why a metric stays in its range, put in words only for a diagnostic.
enum Why<'a> {
    Within(&'a str, f64, f64),
    AtMost(&'a str, f64),
    NeverNegative(&'a str),
    Percent(&'a str),
    Said(&'static str),
}

impl std::fmt::Display for Why<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::Within(key, lo, hi) => write!(f, "`{key}` stays within {lo}..{hi}"),
            Why::AtMost(key, hi) => write!(f, "`{key}` is at most {hi} (capacity.max)"),
            Why::NeverNegative(key) => write!(f, "`{key}` is never negative"),
            Why::Percent(key) => write!(f, "`{key}` lies within 0%..100%"),
            Why::Said(text) => f.write_str(text),
        }
    }
}

fn value_range<'a>(g: &Group, q: &'a MetricQuery) -> Option<(f64, f64, Why<'a>)> {
    // scheduled actions can move min and max at run time
    let hi_cap = g
        .schedules
        .iter()
        .filter_map(|s| s.max)
        .fold(g.max, u32::max) as f64;
    let lo_cap = g
        .schedules
        .iter()
        .filter_map(|s| s.min)
        .fold(g.min, u32::min) as f64;
    match q {
        MetricQuery::Single { metric } => {
            if metric.namespace == "AWS/AutoScaling" {
                return match metric.name.as_str() {
                    "GroupDesiredCapacity" => {
                        Some((lo_cap, hi_cap, Why::Within(&metric.key, lo_cap, hi_cap)))
                    }
                    "GroupInServiceInstances" => {
                        Some((0.0, hi_cap, Why::AtMost(&metric.key, hi_cap)))
                    }
                    _ => Some((0.0, f64::INFINITY, Why::NeverNegative(&metric.key))),
                };
            }
            match metric.unit {
                Unit::Percent => Some((0.0, 100.0, Why::Percent(&metric.key))),
                _ => Some((0.0, f64::INFINITY, Why::NeverNegative(&metric.key))),
            }
        }
        MetricQuery::Math {
            expression,
            metrics,
        } => {
            let name = |id: &str| {
                metrics
                    .iter()
                    .find(|(i, _)| i == id)
                    .map(|(_, m)| m.name.as_str())
            };
            let size = matches!(
                name("m1"),
                Some("GroupDesiredCapacity" | "GroupInServiceInstances")
            );
            match (expression.as_str(), name("m2")) {
                ("(m1 - m2)", Some("GroupMaxSize")) if size => Some((
                    f64::NEG_INFINITY,
                    0.0,
                    Why::Said("the group never runs more than capacity.max"),
                )),
                ("(100 * (m1 / m2))", Some("GroupMaxSize")) if size => Some((
                    0.0,
                    100.0,
                    Why::Said("the group never runs more than 100% of capacity.max"),
                )),
                ("(m1 - m2)", Some("GroupMinSize"))
                    if name("m1") == Some("GroupDesiredCapacity") =>
                {
                    Some((
                        0.0,
                        f64::INFINITY,
                        Why::Said("desired never drops below capacity.min"),
                    ))
                }
                (e, _) if e.starts_with("ABS(") => Some((
                    0.0,
                    f64::INFINITY,
                    Why::Said("an absolute value is never negative"),
                )),
                _ => None,
            }
        }
    }
}

fn can_fire(spec: &AlarmSpec, lo: f64, hi: f64) -> bool {
    let t = spec.threshold;
    match spec.comparison {
        Comparison::GreaterThanThreshold => hi > t,
        Comparison::GreaterThanOrEqualToThreshold => hi >= t,
        Comparison::LessThanThreshold => lo < t,
        Comparison::LessThanOrEqualToThreshold => lo <= t,
    }
}

fn op(c: Comparison) -> &'static str {
    match c {
        Comparison::GreaterThanThreshold => ">",
        Comparison::GreaterThanOrEqualToThreshold => ">=",
        Comparison::LessThanThreshold => "<",
        Comparison::LessThanOrEqualToThreshold => "<=",
    }
}

/// Alarms whose condition the metric can't meet.
fn never_fires(g: &Group, out: &mut Vec<Diagnostic>) {
    let policy_alarms = g.policies.iter().filter_map(|p| match &p.kind {
        PolicyKind::Step { alarm, .. } | PolicyKind::Simple { alarm, .. } => {
            Some((("policy", p.name.as_str()), alarm, p.origin))
        }
        PolicyKind::TargetTracking { .. } | PolicyKind::Predictive { .. } => None,
    });
    let alarms = g
        .alarms
        .iter()
        .map(|a| (("alarm", a.name.as_str()), &a.spec, a.origin));
    for ((kind, name), spec, origin) in alarms.chain(policy_alarms) {
        let Some((lo, hi, why)) = value_range(g, &spec.query) else {
            continue;
        };
        if can_fire(spec, lo, hi) {
            continue;
        }
        let edge = matches!(
            spec.comparison,
            Comparison::GreaterThanThreshold | Comparison::LessThanThreshold
        ) && (spec.threshold == hi || spec.threshold == lo);
        let help = if edge {
            let inclusive = match spec.comparison {
                Comparison::GreaterThanThreshold => ">=",
                _ => "<=",
            };
            format!("to catch the metric at its limit, compare with `{inclusive}`")
        } else {
            "move the threshold inside the range the metric can take".into()
        };
        out.push(
            Diagnostic::warning(
                codes::NEVER_FIRES,
                match &spec.query {
                    MetricQuery::Single { .. } => format!(
                        "{kind} `{name}` can never fire: {why}, and it waits for `{} {}`",
                        op(spec.comparison),
                        fmt_threshold(spec)
                    ),
                    MetricQuery::Math { .. } => format!("{kind} `{name}` can never fire: {why}"),
                },
                origin,
                "this condition is never true",
            )
            .with_help(help),
        );
    }
}

fn fmt_threshold(spec: &AlarmSpec) -> String {
    match &spec.query {
        MetricQuery::Single { metric } => {
            show(metric, per_minute(metric, spec.threshold, spec.period))
        }
        MetricQuery::Math { .. } => units::show(spec.threshold, Unit::Count),
    }
}

fn same_query(a: &MetricQuery, b: &MetricQuery) -> bool {
    match (a, b) {
        (MetricQuery::Single { metric: x }, MetricQuery::Single { metric: y }) => {
            same_metric(x, y) && x.statistic == y.statistic
        }
        _ => a == b,
    }
}

/// A less severe alarm that needs a worse value than a more severe one.
fn tier_order(g: &Group, out: &mut Vec<Diagnostic>) {
    let value = |s: &AlarmSpec| match &s.query {
        MetricQuery::Single { metric } => per_minute(metric, s.threshold, s.period),
        MetricQuery::Math { .. } => s.threshold,
    };
    let up = |c: Comparison| {
        matches!(
            c,
            Comparison::GreaterThanThreshold | Comparison::GreaterThanOrEqualToThreshold
        )
    };
    for severe in &g.alarms {
        for mild in g.alarms.iter().filter(|m| m.tier > severe.tier) {
            if !same_query(&severe.spec.query, &mild.spec.query)
                || up(severe.spec.comparison) != up(mild.spec.comparison)
            {
                continue;
            }
            let (s, m) = (value(&severe.spec), value(&mild.spec));
            let wrong = if up(severe.spec.comparison) {
                m > s
            } else {
                m < s
            };
            if !wrong {
                continue;
            }
            let (st, mt) = (fmt_threshold(&severe.spec), fmt_threshold(&mild.spec));
            out.push(
                Diagnostic::warning(
                    codes::TIER_ORDER,
                    format!(
                        "{} alarm `{}` fires at {} {mt}, past {} alarm `{}` at {} {st}",
                        mild.tier.name(),
                        mild.name,
                        op(mild.spec.comparison),
                        severe.tier.name(),
                        severe.name,
                        op(severe.spec.comparison),
                    ),
                    mild.origin,
                    format!("{} at {mt}", mild.tier.name()),
                )
                .with_label(severe.origin, format!("{} at {st}", severe.tier.name()))
                .with_help(format!(
                    "a {} alarm should fire before a {} one on the same metric: swap the thresholds or the tiers",
                    mild.tier.name(),
                    severe.tier.name()
                )),
            );
        }
    }
}

/// AWS's rounding of a percent-change adjustment, then the minimum magnitude.
pub fn percent_change(capacity: u32, percent: i32, min_magnitude: Option<u32>) -> i64 {
    let raw = capacity as f64 * percent as f64 / 100.0;
    let rounded = if raw > 1.0 {
        raw.floor()
    } else if raw > 0.0 {
        1.0
    } else if raw > -1.0 && raw < 0.0 {
        -1.0
    } else if raw < -1.0 {
        raw.ceil()
    } else {
        raw
    } as i64;
    match min_magnitude {
        Some(m) if rounded.unsigned_abs() < m as u64 => {
            if rounded < 0 {
                -(m as i64)
            } else {
                m as i64
            }
        }
        _ => rounded,
    }
}

/// A duration as a spec writes it: `5m`, `90s`.
fn spec_duration(seconds: u32) -> String {
    if seconds.is_multiple_of(60) {
        format!("{}m", seconds / 60)
    } else {
        format!("{seconds}s")
    }
}

/// `3 min`, `2.5 min`: a duration in seconds for messages.
pub fn minutes(seconds: u32) -> String {
    if seconds.is_multiple_of(60) {
        format!("{} min", seconds / 60)
    } else {
        format!("{:.1} min", seconds as f64 / 60.0)
    }
}

/// The fastest a group grows from min to max, seconds, and the policy that
/// does it.
fn reach(g: &Group) -> Option<(u32, &Policy, String)> {
    let mut best: Option<(u32, &Policy, String)> = None;
    let cycle_warm = LAUNCH_DELAY.saturating_add(group_warmup(g));
    for p in &g.policies {
        // (time to the first decision, capacity after each decision)
        let (first, grow): (u32, Box<dyn Fn(u32) -> u32>) = match &p.kind {
            PolicyKind::TargetTracking {
                metric,
                target,
                disable_scale_in: _,
                ..
            } => {
                let target = *target;
                if target <= 0.0 {
                    continue;
                }
                let capped = metric.unit == Unit::Percent;
                (
                    180,
                    Box::new(move |c: u32| {
                        if capped {
                            (c as f64 * 100.0 / target).ceil() as u32
                        } else {
                            u32::MAX
                        }
                    }),
                )
            }
            PolicyKind::Step {
                alarm,
                direction: Direction::Out,
                adjustment_type,
                steps,
                min_adjustment_magnitude,
                ..
            } => {
                let biggest = steps.iter().map(|s| s.adjustment).max().unwrap_or(0);
                let kind = *adjustment_type;
                let mm = *min_adjustment_magnitude;
                (
                    alarm.period.saturating_mul(alarm.evaluation_periods),
                    Box::new(move |c| adjust(c, kind, biggest, mm)),
                )
            }
            PolicyKind::Simple {
                alarm,
                adjustment_type,
                adjustment,
                min_adjustment_magnitude,
                ..
            } if *adjustment > 0 => {
                let (kind, adj, mm) = (*adjustment_type, *adjustment, *min_adjustment_magnitude);
                (
                    alarm.period.saturating_mul(alarm.evaluation_periods),
                    Box::new(move |c| adjust(c, kind, adj, mm)),
                )
            }
            _ => continue,
        };
        let cycle = match &p.kind {
            PolicyKind::Simple { cooldown, .. } => LAUNCH_DELAY
                .saturating_add(cooldown.or(g.default_cooldown).unwrap_or(DEFAULT_COOLDOWN)),
            _ => cycle_warm,
        };
        let mut c = g.min;
        let mut t = first;
        let mut n = 0;
        while c < g.max && n < 1000 {
            let next = grow(c).min(g.max);
            if next <= c {
                break;
            }
            if n > 0 {
                t = t.saturating_add(cycle);
            }
            c = next;
            n += 1;
        }
        if c < g.max {
            continue;
        }
        let total = t.saturating_add(LAUNCH_DELAY);
        let how = format!("{} decisions, {} apart after the first", n, minutes(cycle));
        if best.as_ref().is_none_or(|(b, _, _)| total < *b) {
            best = Some((total, p, how));
        }
    }
    best
}

/// The capacity after an adjustment of `capacity`: AWS's rounding for
/// percent changes, then the minimum magnitude; never below 0.
pub fn adjust(capacity: u32, kind: AdjustmentType, adj: i32, min_magnitude: Option<u32>) -> u32 {
    let c = capacity as i64;
    let new = match kind {
        AdjustmentType::ChangeInCapacity => c + adj as i64,
        AdjustmentType::PercentChangeInCapacity => c + percent_change(capacity, adj, min_magnitude),
        AdjustmentType::ExactCapacity => adj as i64,
    };
    new.clamp(0, u32::MAX as i64) as u32
}

/// Growing from min to max takes longer than the bound.
fn slow_reach(g: &Group, bound: u32, out: &mut Vec<Diagnostic>) {
    if g.max <= g.min || !g.policies.iter().any(scales_out) {
        return;
    }
    let found = reach(g);
    let (label, secs) = match &found {
        Some((t, _, _)) if *t <= bound => return,
        Some((t, _, _)) => (
            format!("about {} from {} to {}", minutes(*t), g.min, g.max),
            Some(*t),
        ),
        None => (
            format!("no policy can take it from {} to {}", g.min, g.max),
            None,
        ),
    };
    let message = match secs {
        Some(t) => format!(
            "group `{}` needs about {} to grow from {} to {} instances, more than the {} bound",
            g.name,
            minutes(t),
            g.min,
            g.max,
            minutes(bound)
        ),
        None => format!(
            "group `{}` can't grow from {} to {} instances with its scaling policies",
            g.name, g.min, g.max
        ),
    };
    let mut d = Diagnostic::warning(codes::SLOW_REACH, message, g.origin, label);
    if let Some((_, p, how)) = &found {
        d = d.with_label(p.origin, format!("fastest: {how}"));
    }
    out.push(d.with_help(format!(
        "use larger or percent steps, or a shorter warmup; this assumes instances are in service {} after the decision",
        minutes(LAUNCH_DELAY)
    )));
}

pub(crate) fn scales_out(p: &Policy) -> bool {
    match &p.kind {
        PolicyKind::TargetTracking { .. } => true,
        // Forecast-driven: it has no reaction speed to judge.
        PolicyKind::Predictive { .. } => false,
        PolicyKind::Step { direction, .. } => *direction == Direction::Out,
        PolicyKind::Simple { adjustment, .. } => *adjustment > 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_change_rounds_like_aws() {
        // values above 1 round down; between 0 and 1 round to 1
        assert_eq!(percent_change(10, 25, None), 2);
        assert_eq!(percent_change(2, 20, None), 1);
        // negatives round toward zero, at least -1
        assert_eq!(percent_change(10, -25, None), -2);
        assert_eq!(percent_change(2, -20, None), -1);
        // the minimum magnitude applies after rounding
        assert_eq!(percent_change(4, 20, Some(2)), 2);
        assert_eq!(percent_change(4, -20, Some(3)), -3);
        assert_eq!(percent_change(100, 20, Some(2)), 20);
    }
}
