//! Runs scaling tests: each group a test names is simulated on its load,
//! then each expectation is judged against the run, with the minute and
//! the values that broke it.

use super::{Minute, Outcome, Settings, Trace, simulate, thrash_pairs};
use crate::diagnostic::Diagnostic;
use crate::model::scaling_test::*;
use crate::model::{Direction, Environment, Group, PolicyKind};
use crate::source::Span;
use serde::Serialize;

/// One expectation judged on one group's run.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// The expectation as written.
    pub expect: String,
    /// Whether the run shows it.
    pub passed: bool,
    /// What the run showed: for a failure, what broke, when, with values.
    pub message: String,
    /// The first minute of what broke it, if it is a time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_minute: Option<i64>,
    /// The minute after it, if it lasted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_minute: Option<i64>,
    /// The `expect` statement.
    #[serde(skip)]
    pub origin: Span,
}

/// A test's run of one group.
#[derive(Debug, Clone)]
pub struct GroupRun {
    /// The group.
    pub group: String,
    /// The simulation.
    pub outcome: Outcome,
    /// Each expectation, in the order written.
    pub verdicts: Vec<Verdict>,
    /// What the simulator couldn't drive.
    pub warnings: Vec<Diagnostic>,
}

/// The simulator's settings a test's assumptions give.
pub fn settings(t: &ScaleTest) -> Settings {
    let a = &t.assume;
    let mut s = Settings::default();
    if let Some(d) = a.launch_delay {
        s.launch_delay = d;
    }
    s.hook_wait = a.hook_wait;
    s.terminate_delay = a.terminate_delay;
    s.start_capacity = a.start_capacity;
    s.start = a.start.as_deref().and_then(|x| x.parse().ok());
    s
}

/// Simulates `group` of `env` on `trace` and judges the test's
/// expectations on the run.
pub fn run_group(env: &Environment, t: &ScaleTest, group: &Group, trace: &Trace) -> GroupRun {
    let (outcome, warnings) = simulate(env, group, trace, &settings(t));
    let verdicts = t
        .expects
        .iter()
        .map(|x| judge(x, &outcome, trace, group))
        .collect();
    GroupRun {
        group: group.name.clone(),
        outcome,
        verdicts,
        warnings,
    }
}

/// Judges one expectation on a run.
pub fn judge(x: &Expectation, o: &Outcome, trace: &Trace, g: &Group) -> Verdict {
    let mut v = Verdict {
        expect: x.text.clone(),
        passed: true,
        message: String::new(),
        from_minute: None,
        to_minute: None,
        origin: x.origin,
    };
    match x.kind {
        Expect::Always(state) => always(&mut v, state, o, g),
        Expect::Longest {
            state,
            minutes,
            strict,
        } => longest(&mut v, state, minutes, strict, o, g),
        Expect::Figure { figure, op, value } => {
            self::figure(&mut v, figure, op, value, o, trace, g)
        }
        Expect::Percentile {
            p,
            series,
            op,
            value,
        } => percentile(&mut v, p, series, op, value, o),
    }
    v
}

/// The value of a series at a minute; `None` where the load can't say.
fn at(series: Series, m: &Minute) -> Option<f64> {
    match series {
        Series::InService => Some(f64::from(m.in_service)),
        Series::Desired => Some(f64::from(m.desired)),
        Series::Pending => Some(f64::from(m.pending)),
        Series::Cpu => m.cpu,
        Series::Memory => m.memory,
        Series::RequestsPerTarget => m.requests_per_target,
        Series::ResponseTime => m.response_time,
    }
}

/// A series' value as reports write it.
fn show(series: Series, v: f64) -> String {
    match series {
        Series::Cpu | Series::Memory => format!("{}%", round1(v)),
        Series::ResponseTime => format!("{}s", (v * 1000.0).round() / 1000.0),
        Series::RequestsPerTarget => format!("{}/min", round1(v)),
        _ => format!("{}", round1(v)),
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0 + 0.0
}

/// Whether a state holds at a minute (`None`: the load can't say).
fn holds(state: State, m: &Minute, g: &Group) -> Option<bool> {
    match state {
        State::Compare { series, op, value } => at(series, m).map(|x| op.holds(x, value)),
        State::AtMax => Some(m.in_service >= g.max),
        State::AtMin => Some(m.in_service <= g.min),
    }
}

/// "in service was 10 (max)", "CPU was at least 90%".
fn state_words(state: State, m: &Minute, g: &Group) -> String {
    match state {
        State::Compare { series, op, value } => format!(
            "{} was {} ({} {})",
            series.words(),
            at(series, m).map_or("unknown".into(), |x| show(series, x)),
            op.words(),
            show(series, value)
        ),
        State::AtMax => format!("in service was {} (max)", g.max),
        State::AtMin => format!("in service was {} (min)", g.min),
    }
}

fn always(v: &mut Verdict, state: State, o: &Outcome, g: &Group) {
    let broken: Vec<&Minute> = o
        .timeline
        .iter()
        .filter(|m| holds(state, m, g) == Some(false))
        .collect();
    let Some(first) = broken.first() else {
        v.message = "held every minute".into();
        return;
    };
    v.passed = false;
    v.from_minute = Some(first.minute);
    v.to_minute = Some(first.minute + 1);
    let worst = match state {
        State::Compare { series, op, .. } => {
            let values = broken.iter().filter_map(|m| at(series, m));
            let w = match op {
                Cmp::Lt | Cmp::Le => values.fold(f64::NEG_INFINITY, f64::max),
                Cmp::Gt | Cmp::Ge => values.fold(f64::INFINITY, f64::min),
            };
            format!(", at worst {}", show(series, w))
        }
        _ => String::new(),
    };
    let what = match state {
        State::Compare { series, .. } => format!(
            "{} was {} at minute {}",
            series.words(),
            at(series, first).map_or("unknown".into(), |x| show(series, x)),
            first.minute
        ),
        _ => format!("it didn't hold at minute {}", first.minute),
    };
    v.message = format!(
        "{what} ({} minute{} in all{worst}); expected `{}` at every minute",
        broken.len(),
        if broken.len() == 1 { "" } else { "s" },
        v.expect
    );
}

/// The longest run of `true` in a row: its length and first index.
fn longest_run(flags: impl Iterator<Item = bool>) -> (usize, usize) {
    let (mut best, mut best_from, mut run) = (0, 0, 0);
    for (i, on) in flags.enumerate() {
        run = if on { run + 1 } else { 0 };
        if run > best {
            best = run;
            best_from = i + 1 - run;
        }
    }
    (best, best_from)
}

fn longest(v: &mut Verdict, state: State, most: f64, strict: bool, o: &Outcome, g: &Group) {
    let (best, best_from) =
        longest_run(o.timeline.iter().map(|m| holds(state, m, g) == Some(true)));
    let ok = if strict {
        (best as f64) < most
    } else {
        (best as f64) <= most
    };
    let limit = format!(
        "{} {} min",
        if strict { "under" } else { "at most" },
        round1(most)
    );
    if ok {
        v.message = format!("longest {best} min; expected {limit}");
        return;
    }
    v.passed = false;
    let m = &o.timeline[best_from];
    v.from_minute = Some(m.minute);
    v.to_minute = Some(m.minute + best as i64);
    v.message = format!(
        "{} for {best} min from minute {}; expected {limit}",
        state_words(state, m, g),
        m.minute
    );
}

fn compare_words(v: &mut Verdict, what: String, op: Cmp, value: String, got_ok: bool) {
    v.passed = got_ok;
    v.message = format!("{what}; expected {} {value}", op.words());
}

fn figure(v: &mut Verdict, f: Figure, op: Cmp, value: f64, o: &Outcome, trace: &Trace, g: &Group) {
    match f {
        Figure::OverTarget => {
            let got = o.minutes_over_target as f64;
            compare_words(
                v,
                format!("over target for {} min in all", o.minutes_over_target),
                op,
                format!("{} min", round1(value)),
                op.holds(got, value),
            );
        }
        Figure::React => react(v, op, value, o, trace, g),
        Figure::ScalingEvents => {
            let n = o.scale_out_events + o.scale_in_events;
            compare_words(
                v,
                format!(
                    "{n} scaling events ({} out, {} in)",
                    o.scale_out_events, o.scale_in_events
                ),
                op,
                round1(value).to_string(),
                op.holds(f64::from(n), value),
            );
        }
        Figure::ScalingEventsPerHour => {
            let minutes: Vec<i64> = o.events.iter().map(|e| e.minute).collect();
            let (mut most, mut from) = (0usize, None);
            for (i, m) in minutes.iter().enumerate() {
                let n = minutes[i..].iter().take_while(|x| **x < m + 60).count();
                if n > most {
                    most = n;
                    from = Some(*m);
                }
            }
            let ok = op.holds(most as f64, value);
            let when = from.map_or(String::new(), |m| format!(" in the hour from minute {m}"));
            compare_words(
                v,
                format!(
                    "{most} scaling event{}{when}",
                    if most == 1 { "" } else { "s" }
                ),
                op,
                format!("{} per hour", round1(value)),
                ok,
            );
            if !ok {
                v.from_minute = from;
                v.to_minute = from.map(|m| m + 60);
            }
        }
        Figure::Thrash => {
            let n = o.thrash_events;
            let first = thrash_pairs(&o.events).next();
            let detail = match first {
                Some((a, b)) => format!(
                    ", the first at minute {}: `{}` scaled {} ({} to {}) and `{}` undid it at minute {} ({} to {})",
                    a.minute,
                    a.policy,
                    if a.direction == Direction::Out {
                        "out"
                    } else {
                        "in"
                    },
                    a.from,
                    a.to,
                    b.policy,
                    b.minute,
                    b.from,
                    b.to
                ),
                None => String::new(),
            };
            let ok = op.holds(f64::from(n), value);
            compare_words(
                v,
                format!("{n} thrash event{}{detail}", if n == 1 { "" } else { "s" }),
                op,
                round1(value).to_string(),
                ok,
            );
            if !ok && let Some((a, b)) = first {
                v.from_minute = Some(a.minute);
                v.to_minute = Some(b.minute + 1);
            }
        }
        Figure::InstanceHours => compare_words(
            v,
            format!("{} instance-hours", round1(o.instance_hours)),
            op,
            round1(value).to_string(),
            op.holds(o.instance_hours, value),
        ),
        Figure::Cost => match o.cost {
            Some(c) => compare_words(
                v,
                format!("cost {:.2}", c),
                op,
                format!("{value:.2}"),
                op.holds(c, value),
            ),
            None => {
                v.passed = false;
                v.message = format!("group `{}` has no `price`, so its cost is unknown", g.name);
            }
        },
    }
}

/// The capacity the group's target-tracking policies ask for at minute
/// `i`: for each, the load's total over the target, rounded up; within
/// min..max.
fn needed(i: usize, trace: &Trace, g: &Group) -> Option<u32> {
    let mut most: Option<f64> = None;
    for p in &g.policies {
        let PolicyKind::TargetTracking {
            metric,
            math: None,
            target,
            ..
        } = &p.kind
        else {
            continue;
        };
        let column = match tracked_column(metric) {
            Some("cpu") => &trace.cpu,
            Some("memory") => &trace.memory,
            Some(_) => &trace.requests,
            None => continue,
        };
        if let Some(total) = column.as_ref().and_then(|c| c.get(i))
            && *target > 0.0
        {
            let n = (total / target).ceil();
            most = Some(most.map_or(n, |m: f64| m.max(n)));
        }
    }
    most.map(|n| n.clamp(f64::from(g.min), f64::from(g.max)) as u32)
}

fn react(v: &mut Verdict, op: Cmp, value: f64, o: &Outcome, trace: &Trace, g: &Group) {
    let (best, best_from) = longest_run(
        o.timeline
            .iter()
            .enumerate()
            .map(|(i, m)| needed(i, trace, g).is_some_and(|n| m.in_service < n)),
    );
    let ok = op.holds(best as f64, value);
    let limit = format!("{} {} min", op.words(), round1(value));
    if best == 0 {
        v.passed = ok;
        v.message = format!("never short of the capacity its targets ask for; expected {limit}");
        return;
    }
    let m = &o.timeline[best_from];
    let need = needed(best_from, trace, g).unwrap_or(0);
    v.passed = ok;
    v.message = format!(
        "short of the capacity its targets ask for, for {best} min from minute {} (needed {need}, had {} in service); expected {limit}",
        m.minute, m.in_service
    );
    if !ok {
        v.from_minute = Some(m.minute);
        v.to_minute = Some(m.minute + best as i64);
    }
}

fn percentile(v: &mut Verdict, p: f64, series: Series, op: Cmp, value: f64, o: &Outcome) {
    let mut values: Vec<f64> = o.timeline.iter().filter_map(|m| at(series, m)).collect();
    if values.is_empty() {
        v.passed = false;
        v.message = format!(
            "the run has no {}: the load doesn't give it",
            series.words()
        );
        return;
    }
    values.sort_by(f64::total_cmp);
    // Nearest rank.
    let rank = ((p / 100.0) * values.len() as f64).ceil().max(1.0) as usize;
    let got = values[rank.min(values.len()) - 1];
    let name = if p.fract() == 0.0 {
        format!("p{p}")
    } else {
        format!("p{}", round1(p))
    };
    compare_words(
        v,
        format!("{name} of {} was {}", series.words(), show(series, got)),
        op,
        show(series, value),
        op.holds(got, value),
    );
}
