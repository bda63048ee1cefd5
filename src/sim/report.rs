//! A simulation's summary as text, and its timeline as CSV.

use super::{Event, Outcome};
use crate::analysis::minutes;
use crate::model::Direction;
use std::fmt::Write as _;

/// The summary people read: capacity, cost, load, events, alarms, policies.
pub fn render_human(o: &Outcome, trace_name: &str) -> String {
    let mut s = String::new();
    let days = o.minutes as f64 / 1440.0;
    let span = if days >= 1.0 {
        format!("{:.1} days", days)
    } else {
        format!("{:.1} hours", o.minutes as f64 / 60.0)
    };
    let _ = writeln!(
        s,
        "{} {} / group {}: {} minutes ({span}) of {trace_name}",
        o.app, o.environment, o.group, o.minutes
    );
    let _ = writeln!(
        s,
        "  assumed: instances in service {} after launch, counted in metrics after {} more",
        minutes(o.launch_delay_seconds),
        minutes(o.warmup_seconds)
    );
    let _ = writeln!(
        s,
        "  assumed: removed instances terminate for {} (--terminate-delay); nothing scales in meanwhile",
        minutes(o.terminate_delay_seconds)
    );
    if let Some(h) = o.hook_wait_seconds {
        let _ = writeln!(
            s,
            "  assumed: launch hooks add {} to each launch (--hook-wait)",
            minutes(h)
        );
    }
    if let Some(p) = &o.warm_pool {
        let _ = writeln!(
            s,
            "  assumed: instances from the warm pool ({}) in service {} after the decision",
            p.state.to_lowercase(),
            minutes(p.launch_delay_seconds)
        );
    }
    if let Some(start) = &o.start {
        let _ = writeln!(s, "  the trace starts at {start}");
    }
    let _ = writeln!(s);
    let mut row = |k: &str, v: String| {
        let _ = writeln!(s, "  {k:<18}{v}");
    };
    row(
        "capacity",
        format!(
            "{}..{} desired, peak {} in service",
            o.lowest_capacity, o.peak_capacity, o.peak_in_service
        ),
    );
    row(
        "instance-hours",
        match (o.cost, o.price_per_hour) {
            (Some(c), Some(p)) => format!("{:.1}, costing {c:.2} at {p}/hour", o.instance_hours),
            _ => format!("{:.1}", o.instance_hours),
        },
    );
    row(
        "over target",
        format!(
            "{} min (a target-tracking metric above its target)",
            o.minutes_over_target
        ),
    );
    row(
        "overloaded",
        match o.minutes_overloaded {
            Some(m) => format!("{m} min (CPU per instance at 95% or more)"),
            None => "unknown (the trace has no `cpu`)".into(),
        },
    );
    row(
        "scaling",
        format!(
            "{} out, {} in, {} thrash",
            o.scale_out_events, o.scale_in_events, o.thrash_events
        ),
    );
    if let Some(p) = &o.warm_pool {
        row(
            "warm pool",
            format!("{} instances came from it", p.instances_from_pool),
        );
    }
    if let Some(r) = &o.refresh {
        let end = match r.finished_minute {
            Some(m) => format!("finished at minute {m}"),
            None => "still running when the trace ended".to_string(),
        };
        row(
            "instance refresh",
            format!(
                "from minute {}, {end}: {} of {} replaced; {} in service at the lowest, {} running at the peak ({}%..{}% healthy)",
                r.started_minute,
                r.replaced,
                r.total,
                r.lowest_in_service,
                r.peak_running,
                r.min_healthy_percent,
                r.max_healthy_percent
            ),
        );
    }
    for sc in &o.schedules {
        row(
            "schedule",
            format!(
                "{} ran {} time{}",
                sc.name,
                sc.times_run,
                if sc.times_run == 1 { "" } else { "s" }
            ),
        );
    }
    policies_and_after(&mut s, o);
    s
}

/// The summary's sections after the figures: policies, alarms, the real
/// run beside the simulated one, and the first thrash events.
fn policies_and_after(s: &mut String, o: &Outcome) {
    let _ = writeln!(s);
    let _ = writeln!(s, "  policies");
    for p in &o.policies {
        let what = if p.simulated {
            format!(
                "{} capacity change{}",
                p.actions,
                if p.actions == 1 { "" } else { "s" }
            )
        } else if p.kind == "predictive" {
            "not simulated (AWS's forecast)".into()
        } else {
            "not simulated (no data in the trace)".into()
        };
        let _ = writeln!(s, "    {:<20}{:<17}{what}", p.name, p.kind);
    }
    if !o.alarms.is_empty() {
        let _ = writeln!(s);
        let _ = writeln!(s, "  alarms");
        for a in &o.alarms {
            let tier = a.tier.name();
            let what = if a.times_fired == 0 {
                "never fired".to_string()
            } else {
                format!(
                    "fired {}x, {} min in ALARM",
                    a.times_fired, a.minutes_in_alarm
                )
            };
            let _ = writeln!(s, "    {:<20}{tier:<17}{what}", a.name);
        }
    }
    if let Some(a) = &o.actual {
        let sim_events = o.scale_out_events + o.scale_in_events;
        let _ = writeln!(s);
        let _ = writeln!(s, "  actual (from the trace) against simulated");
        let _ = writeln!(
            s,
            "    instance-hours    {:.1} actual, {:.1} simulated",
            a.instance_hours, o.instance_hours
        );
        let _ = writeln!(
            s,
            "    over target       {} min actual, {} min simulated",
            a.minutes_over_target, o.minutes_over_target
        );
        let _ = writeln!(
            s,
            "    scaling events    {} actual, {sim_events} simulated; {} of the actual matched within {} min",
            a.scaling_events,
            a.events_matched,
            super::actual::MATCH_MINUTES
        );
        let _ = writeln!(
            s,
            "    in service        {} apart on average, at most {} (minute {})",
            a.mean_in_service_difference, a.worst_in_service_difference, a.worst_minute
        );
    }
    let thrash: Vec<_> = super::thrash_pairs(&o.events).take(5).collect();
    if !thrash.is_empty() {
        let _ = writeln!(s);
        let _ = writeln!(s, "  thrash (first {})", thrash.len());
        for (a, b) in thrash {
            let _ = writeln!(
                s,
                "    minute {}: {}, minute {}: {}",
                a.minute,
                describe(a),
                b.minute,
                describe(b)
            );
        }
    }
}

/// `out 3->4 by cpu`.
fn describe(e: &Event) -> String {
    let dir = match e.direction {
        Direction::Out => "out",
        Direction::In => "in",
    };
    format!("{dir} {}->{} by {}", e.from, e.to, e.policy)
}

/// The per-minute timeline, with the policy that changed capacity in a
/// minute in the `action` column.
pub fn write_csv(o: &Outcome, out: impl std::io::Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let first = o.timeline.first();
    let cols: Vec<(&str, super::Field)> = super::SERIES
        .iter()
        .copied()
        .filter(|(_, f)| first.is_some_and(|m| f(m).is_some()))
        .collect();
    let mut header = vec!["minute", "desired", "in_service", "pending"];
    header.extend(cols.iter().map(|(n, _)| *n));
    header.push("action");
    w.write_record(&header).map_err(std::io::Error::other)?;
    let mut events = o.events.iter().peekable();
    let mut rec: Vec<String> = Vec::with_capacity(header.len());
    for m in &o.timeline {
        rec.clear();
        rec.push(m.minute.to_string());
        rec.push(m.desired.to_string());
        rec.push(m.in_service.to_string());
        rec.push(m.pending.to_string());
        for (_, f) in &cols {
            rec.push(f(m).map(|v| v.to_string()).unwrap_or_default());
        }
        let mut action = String::new();
        while let Some(e) = events.next_if(|e| e.minute == m.minute) {
            action = describe(e);
        }
        rec.push(action);
        w.write_record(&rec).map_err(std::io::Error::other)?;
    }
    w.flush()
}

/// Several groups' outcomes as one JSON document: `{"groups": [...]}`.
pub fn to_json_all(outcomes: &[Outcome]) -> String {
    let mut s = String::from("{\n\"groups\": [\n");
    for (k, o) in outcomes.iter().enumerate() {
        if k > 0 {
            s.push_str(",\n");
        }
        s.push_str(to_json(o).trim_end());
    }
    s.push_str("\n]\n}\n");
    s
}

/// The outcome as JSON: the summary pretty-printed, then the timeline with
/// one minute per line, so a year-long timeline stays readable by line
/// tools and small.
pub fn to_json(o: &Outcome) -> String {
    let head = serde_json::to_string_pretty(o).unwrap_or_default();
    let head = head.trim_end().trim_end_matches('}').trim_end();
    let mut s = String::with_capacity(head.len() + o.timeline.len() * 96);
    s.push_str(head);
    s.push_str(",\n  \"timeline\": [");
    for (k, m) in o.timeline.iter().enumerate() {
        s.push_str(if k == 0 { "\n    " } else { ",\n    " });
        s.push_str(&serde_json::to_string(m).unwrap_or_default());
    }
    s.push_str(if o.timeline.is_empty() {
        "]\n}\n"
    } else {
        "\n  ]\n}\n"
    });
    s
}
