//! What a group really did next to what the spec would have done: with a
//! trace fetched from CloudWatch (`in_service`, `desired` columns), the
//! real capacity is compared with the simulated one, figure by figure, and
//! the simulator's fidelity measured (how far the in-service counts are
//! apart, how many real scaling events the simulation matches).

use super::{Event, Outcome, Trace};
use crate::model::scaling_test::tracked_column;
use crate::model::{Direction, Group, PolicyKind};
use serde::Serialize;

/// How close a simulated event must be to a real one to match it.
pub const MATCH_MINUTES: i64 = 5;

/// The real run against the simulated one.
#[derive(Debug, Clone, Serialize)]
pub struct Actual {
    /// Instance-hours the group really ran.
    pub instance_hours: f64,
    /// Minutes a target-tracking metric was over its target with the
    /// real capacity.
    pub minutes_over_target: u64,
    /// Real scaling events (changes of desired capacity).
    pub scaling_events: u32,
    /// Real events a simulated one in the same direction matched, within
    /// [`MATCH_MINUTES`].
    pub events_matched: u32,
    /// Mean of |simulated - real| instances in service, per minute.
    pub mean_in_service_difference: f64,
    /// The largest difference, and the first minute it was seen.
    pub worst_in_service_difference: u32,
    /// That minute.
    pub worst_minute: i64,
}

/// The comparison, if the trace has the real in-service count.
pub fn compare(o: &Outcome, trace: &Trace, g: &Group) -> Option<Actual> {
    let real = trace.actual_in_service.as_ref()?;
    let n = real.len().min(o.timeline.len());
    if n == 0 {
        return None;
    }
    let mut total = 0.0;
    let (mut worst, mut worst_minute) = (0u32, o.timeline[0].minute);
    for (m, r) in o.timeline.iter().zip(real) {
        let d = (f64::from(m.in_service) - r).abs();
        total += d;
        let d = d.round() as u32;
        if d > worst {
            worst = d;
            worst_minute = m.minute;
        }
    }
    let changes = real_events(trace.actual_desired.as_deref().unwrap_or(real), trace.start);
    Some(Actual {
        instance_hours: (real[..n].iter().sum::<f64>() / 60.0 * 10.0).round() / 10.0,
        minutes_over_target: over_target(trace, real, g),
        scaling_events: changes.len() as u32,
        events_matched: matched(&changes, &o.events),
        mean_in_service_difference: (total / n as f64 * 100.0).round() / 100.0,
        worst_in_service_difference: worst,
        worst_minute,
    })
}

/// The minutes a capacity series changes, and which way.
fn real_events(capacity: &[f64], start: i64) -> Vec<(i64, Direction)> {
    capacity
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[1].round() != w[0].round())
        .map(|(i, w)| {
            let d = if w[1] > w[0] {
                Direction::Out
            } else {
                Direction::In
            };
            (start + i as i64 + 1, d)
        })
        .collect()
}

/// Real events matched by a simulated one of the same direction within
/// [`MATCH_MINUTES`], each simulated event used once.
fn matched(real: &[(i64, Direction)], simulated: &[Event]) -> u32 {
    let mut used = vec![false; simulated.len()];
    let mut n = 0;
    for (minute, dir) in real {
        let hit = simulated.iter().enumerate().find(|(k, e)| {
            !used[*k] && e.direction == *dir && (e.minute - minute).abs() <= MATCH_MINUTES
        });
        if let Some((k, _)) = hit {
            used[k] = true;
            n += 1;
        }
    }
    n
}

/// Minutes any target-tracking metric the trace drives was over its
/// target with the real instances in service.
fn over_target(trace: &Trace, real: &[f64], g: &Group) -> u64 {
    let tracked: Vec<(&Vec<f64>, f64, bool)> = g
        .policies
        .iter()
        .filter_map(|p| match &p.kind {
            PolicyKind::TargetTracking {
                metric,
                math: None,
                target,
                ..
            } => {
                let (col, capped) = match tracked_column(metric)? {
                    "cpu" => (trace.cpu.as_ref()?, true),
                    "memory" => (trace.memory.as_ref()?, true),
                    _ => (trace.requests.as_ref()?, false),
                };
                Some((col, *target, capped))
            }
            _ => None,
        })
        .collect();
    (0..real.len())
        .filter(|&i| {
            let n = real[i].max(1.0);
            tracked.iter().any(|(col, target, capped)| {
                let per = col.get(i).map_or(0.0, |v| v / n);
                let per = if *capped { per.min(100.0) } else { per };
                per > *target
            })
        })
        .count() as u64
}
