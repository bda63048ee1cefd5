//! A chart of a simulation as a standalone SVG: load and capacity on top,
//! the per-instance metric against its target below, with every capacity
//! change marked. Long traces are drawn in at most [`BUCKETS`] columns, each
//! showing its column's largest values, so peaks stay visible.
//!
//! Hand-written rather than drawn with a charting crate: the chart is a few
//! polylines and labels, and writing them directly gives stable ids for
//! each series (tests and stylesheets use them), byte-identical output and
//! no font handling.

use super::{Outcome, Trace};
use crate::model::{Direction, Group, PolicyKind};
use std::fmt::Write as _;

/// The most columns a chart draws.
pub const BUCKETS: usize = 1000;

const W: f64 = 1100.0;
const LEFT: f64 = 60.0;
const RIGHT: f64 = 30.0;
const TOP_Y: f64 = 70.0;
const TOP_H: f64 = 260.0;
const BOT_Y: f64 = 390.0;
const BOT_H: f64 = 150.0;
const H: f64 = 590.0;

/// Which per-instance metric the lower panel shows.
struct Lower {
    name: &'static str,
    unit: &'static str,
    values: Vec<f64>,
    targets: Vec<(String, f64)>,
}

/// [`render`] with a broken expectation marked: a red band over minutes
/// `from..to` of the run across both panels, and what broke above it.
pub fn render_marked(
    o: &Outcome,
    trace: &Trace,
    group: &Group,
    trace_name: &str,
    (from, to): (i64, i64),
    what: &str,
) -> String {
    let mut s = render(o, trace, group, trace_name);
    let n = o.timeline.len().max(1);
    let bucket = n.div_ceil(BUCKETS).max(1);
    let cols = n.div_ceil(bucket);
    let plot_w = W - LEFT - RIGHT;
    let first = o.timeline.first().map_or(0, |m| m.minute);
    let col = |minute: i64| {
        let i = usize::try_from(minute - first).unwrap_or(0).min(n);
        LEFT + plot_w * (i / bucket) as f64 / cols as f64
    };
    let (x0, x1) = (col(from), col(to).max(col(from) + 1.5));
    let mark = format!(
        r##"<g id="broken"><title>{}</title><rect x="{x0:.1}" y="{TOP_Y}" width="{:.1}" height="{:.1}" fill="#d62728" fill-opacity="0.18" stroke="#d62728" stroke-width="1"/><text x="{x0:.1}" y="{:.1}" fill="#d62728" font-weight="600">✗ {}</text></g>
"##,
        esc(what),
        x1 - x0,
        BOT_Y + BOT_H - TOP_Y,
        TOP_Y - 6.0,
        esc(what)
    );
    match s.rfind("</svg>") {
        Some(at) => s.insert_str(at, &mark),
        None => s.push_str(&mark),
    }
    s
}

/// Renders the chart.
pub fn render(o: &Outcome, trace: &Trace, group: &Group, trace_name: &str) -> String {
    let n = o.timeline.len().max(1);
    let bucket = n.div_ceil(BUCKETS).max(1);
    let cols = n.div_ceil(bucket);
    let plot_w = W - LEFT - RIGHT;
    let x = |col: usize| LEFT + plot_w * col as f64 / cols as f64;
    let bmax = |f: &dyn Fn(usize) -> f64| -> Vec<f64> {
        (0..cols)
            .map(|c| {
                (c * bucket..((c + 1) * bucket).min(n))
                    .map(f)
                    .fold(f64::NEG_INFINITY, f64::max)
            })
            .collect()
    };
    let tl = &o.timeline;
    let desired = bmax(&|i| tl[i].desired as f64);
    let in_service = bmax(&|i| tl[i].in_service as f64);
    let load = load_series(trace, group, &bmax);
    let lower = lower_panel(o, group, &bmax);

    let top_max = desired
        .iter()
        .chain(&in_service)
        .chain(load.iter().flat_map(|(v, _)| v.iter()))
        .fold(group.max as f64, |a, b| a.max(*b))
        .max(1.0)
        * 1.08;
    let ty = |v: f64| TOP_Y + TOP_H - TOP_H * v / top_max;

    let mut s = header(o, group, trace_name);
    // top panel: grid, axes
    grid(&mut s, TOP_Y, TOP_H, top_max, "instances", &|v| {
        format!("{v:.0}")
    });
    for (v, label) in [(group.min as f64, "min"), (group.max as f64, "max")] {
        let _ = writeln!(
            s,
            r##"<line x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#999" stroke-dasharray="2 4"/><text x="{:.1}" y="{:.1}" fill="#777" font-size="10" text-anchor="end">{label} {v}</text>"##,
            W - RIGHT,
            W - RIGHT - 2.0,
            ty(v) - 3.0,
            y = ty(v)
        );
    }
    if let Some((v, label)) = &load {
        load_area(&mut s, v, label, (&x, &ty), cols);
    }
    step_line(
        &mut s,
        "desired",
        "desired capacity",
        &desired,
        &x,
        &ty,
        "#2f6fdf",
        "5 3",
        1.8,
    );
    step_line(
        &mut s,
        "in_service",
        "in service",
        &in_service,
        &x,
        &ty,
        "#1b8a3a",
        "",
        2.2,
    );
    if let Some(real) = &trace.actual_in_service {
        let actual = bmax(&|i| real.get(i).copied().unwrap_or(0.0));
        step_line(
            &mut s,
            "actual",
            "actual in service (from the trace)",
            &actual,
            &x,
            &ty,
            "#7f3fbf",
            "2 2",
            1.6,
        );
    }

    let column_middle = |i: usize| x(i / bucket) + (plot_w / cols as f64) / 2.0;
    actions(&mut s, o, &column_middle, &ty);

    if let Some(l) = &lower {
        lower_chart(&mut s, l, &x);
    }
    time_axis(&mut s, n, lower.is_some());
    legend(
        &mut s,
        load.as_ref().map(|(_, label)| label.as_str()),
        lower.as_ref().map(|l| l.name),
        bucket,
    );
    s.push_str("</svg>\n");
    s
}

/// The load in instances' worth of work, per column, and what it is: CPU
/// demand / 100%, or else requests over the request-tracking target.
fn load_series(trace: &Trace, group: &Group, bmax: Columns<'_>) -> Option<(Vec<f64>, String)> {
    let request_target = group.policies.iter().find_map(|p| match &p.kind {
        PolicyKind::TargetTracking { metric, target, .. }
            if metric.name == "RequestCountPerTarget" && *target > 0.0 =>
        {
            Some(*target)
        }
        _ => None,
    });
    match (&trace.cpu, &trace.requests, request_target) {
        (Some(v), _, _) => Some((bmax(&|i| v[i] / 100.0), "CPU demand ÷ 100%".into())),
        (None, Some(v), Some(t)) => Some((
            bmax(&|i| v[i] / t),
            format!("requests ÷ the {t}/min target"),
        )),
        _ => None,
    }
}

/// The chart's opening: its size, title, and the run's line of figures.
fn header(o: &Outcome, group: &Group, trace_name: &str) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" font-family="system-ui, sans-serif" font-size="12">
<title>{}</title>
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="{LEFT}" y="24" font-size="16" font-weight="600">{} {} / {}: {}</text>
<text x="{LEFT}" y="44" fill="#555">{} minutes · capacity {}..{} · peak {} · {} out, {} in, {} thrash · {:.1} instance-hours</text>
"##,
        esc(&format!(
            "scalec simulate: {} {} / {}",
            o.app, o.environment, o.group
        )),
        esc(&o.app),
        esc(&o.environment),
        esc(&o.group),
        esc(trace_name),
        o.minutes,
        group.min,
        group.max,
        o.peak_capacity,
        o.scale_out_events,
        o.scale_in_events,
        o.thrash_events,
        o.instance_hours
    );
    s
}

/// The load as a filled step area over `cols` columns, on the top panel's
/// scales (`x` by column, `y` by instances).
fn load_area(
    s: &mut String,
    v: &[f64],
    label: &str,
    (x, ty): (&dyn Fn(usize) -> f64, &dyn Fn(f64) -> f64),
    cols: usize,
) {
    let mut d = format!("M{:.1},{:.1}", x(0), ty(0.0));
    for (c, val) in v.iter().enumerate() {
        let _ = write!(
            d,
            " L{:.1},{:.1} L{:.1},{:.1}",
            x(c),
            ty(*val),
            x(c + 1),
            ty(*val)
        );
    }
    let _ = write!(d, " L{:.1},{:.1} Z", x(cols), ty(0.0));
    let _ = writeln!(
        s,
        r##"<g id="load"><title>load: {}</title><path d="{d}" fill="#f4b183" fill-opacity="0.45" stroke="#e07b39" stroke-width="0.8"/></g>"##,
        esc(label)
    );
}

/// A marker at each capacity change: ▲ out, ▼ in, at the minute's column
/// (`x`) and the new capacity (`y`).
fn actions(s: &mut String, o: &Outcome, x: &dyn Fn(usize) -> f64, y: &dyn Fn(f64) -> f64) {
    let _ = writeln!(s, r#"<g id="actions"><title>capacity changes</title>"#);
    for e in &o.events {
        let i = (e.minute - o.start_minute).max(0) as usize;
        let cx = x(i);
        let cy = y(e.to as f64);
        let (pts, color) = match e.direction {
            Direction::Out => (
                format!(
                    "{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
                    cx,
                    cy - 9.0,
                    cx - 5.0,
                    cy - 1.0,
                    cx + 5.0,
                    cy - 1.0
                ),
                "#1f5fbf",
            ),
            Direction::In => (
                format!(
                    "{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
                    cx,
                    cy + 9.0,
                    cx - 5.0,
                    cy + 1.0,
                    cx + 5.0,
                    cy + 1.0
                ),
                "#c0392b",
            ),
        };
        let _ = writeln!(
            s,
            r#"<polygon class="{}" points="{pts}" fill="{color}"><title>minute {}: {} {} to {} by {}</title></polygon>"#,
            if e.direction == Direction::Out {
                "scale-out"
            } else {
                "scale-in"
            },
            e.minute,
            if e.direction == Direction::Out {
                "scale out"
            } else {
                "scale in"
            },
            e.from,
            e.to,
            esc(&e.policy)
        );
    }
    let _ = writeln!(s, "</g>");
}

/// The lower panel: the per-instance metric against its targets.
fn lower_chart(s: &mut String, l: &Lower, x: &dyn Fn(usize) -> f64) {
    let top = l
        .values
        .iter()
        .copied()
        .chain(l.targets.iter().map(|t| t.1))
        .fold(1.0, f64::max)
        * 1.1;
    let top = if l.unit == "%" { top.min(105.0) } else { top };
    let by = |v: f64| BOT_Y + BOT_H - BOT_H * v / top;
    let unit = l.unit;
    grid(
        s,
        BOT_Y,
        BOT_H,
        top,
        &if unit == "%" {
            format!("{} per instance", l.name)
        } else {
            format!("{}{unit} per instance", l.name)
        },
        &|v| {
            if unit == "%" {
                format!("{v:.0}%")
            } else {
                format!("{v:.0}")
            }
        },
    );
    for (name, t) in &l.targets {
        let _ = writeln!(
            s,
            r##"<g id="target-{}"><title>target of {}: {t}{unit}</title><line x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#c0392b" stroke-dasharray="6 4"/><text x="{:.1}" y="{:.1}" fill="#c0392b" font-size="10" text-anchor="end">target {t}{unit} ({})</text></g>"##,
            esc(name),
            esc(name),
            W - RIGHT,
            W - RIGHT - 2.0,
            by(*t) - 3.0,
            esc(name),
            y = by(*t)
        );
    }
    step_line(
        s,
        "metric",
        &format!("{} per instance", l.name),
        &l.values,
        &x,
        &by,
        "#7b3fa0",
        "",
        1.4,
    );
}

/// The time axis under the panels, in minutes, hours or days.
fn time_axis(s: &mut String, n: usize, has_lower: bool) {
    let plot_w = W - LEFT - RIGHT;
    let unit_min = if n > 2 * 1440 {
        1440
    } else if n > 360 {
        60
    } else {
        15
    };
    let every = (n / unit_min / 12).max(1) * unit_min;
    let axis_y = if has_lower {
        BOT_Y + BOT_H
    } else {
        TOP_Y + TOP_H
    };
    let mut m = 0;
    while m <= n {
        let px = LEFT + plot_w * m as f64 / n as f64;
        let label = match unit_min {
            1440 => format!("day {}", m / 1440),
            60 => format!("{}h", m / 60),
            _ => format!("{m}m"),
        };
        let _ = writeln!(
            s,
            r##"<line x1="{px:.1}" x2="{px:.1}" y1="{TOP_Y}" y2="{axis_y}" stroke="#eee"/><text x="{px:.1}" y="{:.1}" fill="#555" text-anchor="middle">{label}</text>"##,
            axis_y + 16.0
        );
        m += every;
    }
}

/// The legend: what each line is, and how columns fold minutes.
fn legend(s: &mut String, load: Option<&str>, lower: Option<&str>, bucket: usize) {
    let mut lx = LEFT;
    let ly = 60.0;
    let mut item = |s: &mut String, color: &str, dash: &str, text: &str| {
        let _ = writeln!(
            s,
            r##"<line x1="{lx:.1}" x2="{:.1}" y1="{ly}" y2="{ly}" stroke="{color}" stroke-width="3" stroke-dasharray="{dash}"/><text x="{:.1}" y="{:.1}">{}</text>"##,
            lx + 18.0,
            lx + 22.0,
            ly + 4.0,
            esc(text)
        );
        lx += 30.0 + 7.0 * text.chars().count() as f64;
    };
    if let Some(label) = load {
        item(s, "#e07b39", "", &format!("load ({label})"));
    }
    item(s, "#2f6fdf", "5 3", "desired");
    item(s, "#1b8a3a", "", "in service");
    item(s, "#1f5fbf", "", "▲ scale-out");
    item(s, "#c0392b", "", "▼ scale-in");
    if let Some(name) = lower {
        item(s, "#7b3fa0", "", &format!("{name} per instance"));
    }
    if bucket > 1 {
        let _ = writeln!(
            s,
            r##"<text x="{:.1}" y="{:.1}" fill="#777" font-size="10" text-anchor="end">each column shows the largest value of {bucket} minutes</text>"##,
            W - RIGHT,
            H - 8.0
        );
    }
}

/// Folds the timeline into chart columns.
type Columns<'a> = &'a dyn Fn(&dyn Fn(usize) -> f64) -> Vec<f64>;

fn lower_panel(o: &Outcome, group: &Group, bmax: Columns<'_>) -> Option<Lower> {
    let tl = &o.timeline;
    let first = tl.first()?;
    let targets = |ns: &str, name: &str| -> Vec<(String, f64)> {
        group
            .policies
            .iter()
            .filter_map(|p| match &p.kind {
                PolicyKind::TargetTracking { metric, target, .. }
                    if metric.namespace == ns && metric.name == name =>
                {
                    Some((p.name.clone(), *target))
                }
                _ => None,
            })
            .collect()
    };
    let pick = |f: super::Field| bmax(&|i| f(&tl[i]).unwrap_or(0.0));
    if first.cpu.is_some() {
        Some(Lower {
            name: "CPU",
            unit: "%",
            values: pick(|m| m.cpu),
            targets: targets("AWS/EC2", "CPUUtilization"),
        })
    } else if first.requests_per_target.is_some() {
        Some(Lower {
            name: "requests",
            unit: "/min",
            values: pick(|m| m.requests_per_target),
            targets: targets("AWS/ApplicationELB", "RequestCountPerTarget"),
        })
    } else if first.memory.is_some() {
        Some(Lower {
            name: "memory",
            unit: "%",
            values: pick(|m| m.memory),
            targets: targets("CWAgent", "mem_used_percent"),
        })
    } else {
        None
    }
}

fn grid(s: &mut String, y0: f64, h: f64, top: f64, label: &str, fmt: &dyn Fn(f64) -> String) {
    let step = nice_step(top / 5.0);
    let mut v = 0.0;
    while v <= top + 1e-9 {
        let y = y0 + h - h * v / top;
        let _ = writeln!(
            s,
            r##"<line x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#e6e6e6"/><text x="{:.1}" y="{:.1}" fill="#555" text-anchor="end">{}</text>"##,
            W - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            esc(&fmt(v))
        );
        v += step;
    }
    let _ = writeln!(
        s,
        r##"<text transform="translate(16 {:.1}) rotate(-90)" fill="#333" text-anchor="middle">{}</text><rect x="{LEFT}" y="{y0}" width="{:.1}" height="{h}" fill="none" stroke="#bbb"/>"##,
        y0 + h / 2.0,
        esc(label),
        W - LEFT - RIGHT
    );
}

fn nice_step(raw: f64) -> f64 {
    let mag = 10f64.powf(raw.max(1e-9).log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    (nice * mag).max(1.0)
}

#[allow(clippy::too_many_arguments)]
fn step_line(
    s: &mut String,
    id: &str,
    title: &str,
    values: &[f64],
    x: &dyn Fn(usize) -> f64,
    y: &dyn Fn(f64) -> f64,
    color: &str,
    dash: &str,
    width: f64,
) {
    let mut pts = String::with_capacity(values.len() * 24);
    for (c, v) in values.iter().enumerate() {
        let _ = write!(
            pts,
            "{:.1},{:.1} {:.1},{:.1} ",
            x(c),
            y(*v),
            x(c + 1),
            y(*v)
        );
    }
    let _ = writeln!(
        s,
        r#"<g id="{id}"><title>{}</title><polyline points="{}" fill="none" stroke="{color}" stroke-width="{width}" stroke-dasharray="{dash}" stroke-linejoin="round"/></g>"#,
        esc(title),
        pts.trim_end()
    );
}

fn esc(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
