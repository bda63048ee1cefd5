//! A group's real history as a trace: which CloudWatch metrics make each
//! column, the finest resolution CloudWatch still keeps for a time range,
//! and the fetched series written out as a trace, with its resolution and
//! every gap said in its header, never filled silently.
//!
//! The columns are demand that doesn't depend on the fleet's size, so a
//! changed spec can be replayed on them: CPU and memory are the group's
//! average times the instances in service, requests the target group's
//! total. `in_service` and `desired` are what the group really did, for
//! `simulate` to set beside what the spec would do.

use crate::model::{DimensionValue, Environment, Group, Metric, ParamValue, PolicyKind, Value};

/// One metric to read: its query id, where it lives, and its statistic.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The GetMetricData query id (and what the series is called).
    pub id: &'static str,
    /// `AWS/EC2`.
    pub namespace: String,
    /// `CPUUtilization`.
    pub name: String,
    /// `Average` or `Sum`.
    pub stat: &'static str,
    /// Name and value of each dimension.
    pub dimensions: Vec<(String, String)>,
}

/// CloudWatch keeps 1-minute data for 15 days, 5-minute for 63 days and
/// 1-hour for 455 days: the finest period that covers data `age_seconds`
/// old, or `None` past 455 days.
pub fn period_for(age_seconds: i64) -> Option<u32> {
    const DAY: i64 = 86_400;
    match age_seconds {
        a if a <= 15 * DAY => Some(60),
        a if a <= 63 * DAY => Some(300),
        a if a <= 455 * DAY => Some(3600),
        _ => None,
    }
}

/// The metrics that make a group's trace, and what can't be read (a
/// load balancer whose ARN the spec doesn't know).
pub fn queries(env: &Environment, g: &Group) -> (Vec<Query>, Vec<String>) {
    let by_group = |id: &'static str, ns: &str, name: &str| Query {
        id,
        namespace: ns.into(),
        name: name.into(),
        stat: "Average",
        dimensions: vec![("AutoScalingGroupName".into(), g.physical_name.clone())],
    };
    let mut out = vec![
        by_group("in_service", "AWS/AutoScaling", "GroupInServiceInstances"),
        by_group("desired", "AWS/AutoScaling", "GroupDesiredCapacity"),
        by_group("cpu", "AWS/EC2", "CPUUtilization"),
        by_group("memory", "CWAgent", "mem_used_percent"),
    ];
    let mut notes = Vec::new();
    match alb(env, g) {
        Some((lb, tg)) => {
            let dims = vec![("LoadBalancer".to_string(), lb), ("TargetGroup".to_string(), tg)];
            out.push(Query {
                id: "requests",
                namespace: "AWS/ApplicationELB".into(),
                name: "RequestCount".into(),
                stat: "Sum",
                dimensions: dims.clone(),
            });
            out.push(Query {
                id: "response_time",
                namespace: "AWS/ApplicationELB".into(),
                name: "TargetResponseTime".into(),
                stat: "Average",
                dimensions: dims,
            });
        }
        None => notes.push(
            "requests and response time: no policy or alarm of the group names its load balancer and target group with known values, so they aren't read".into(),
        ),
    }
    (out, notes)
}

/// The load balancer and target group dimension values of the group's
/// first ALB metric whose ARNs have values here.
fn alb(env: &Environment, g: &Group) -> Option<(String, String)> {
    let metrics = g.policies.iter().filter_map(|p| match &p.kind {
        PolicyKind::TargetTracking { metric, .. } => Some(metric),
        _ => None,
    });
    for m in metrics {
        if m.namespace != "AWS/ApplicationELB" {
            continue;
        }
        if let (Some(lb), Some(tg)) = (
            dimension(env, m, "LoadBalancer"),
            dimension(env, m, "TargetGroup"),
        ) {
            return Some((lb, tg));
        }
    }
    None
}

fn dimension(env: &Environment, m: &Metric, name: &str) -> Option<String> {
    let (_, d) = m.dimensions.iter().find(|(n, _)| n == name)?;
    let value = |v: &Value| match v {
        Value::Literal(s) => Some(s.clone()),
        Value::Param(p) => match env.params.iter().find(|x| x.name == *p)?.value.as_ref()? {
            ParamValue::One(s) => Some(s.clone()),
            ParamValue::List(_) => None,
        },
    };
    let text = match d {
        DimensionValue::LoadBalancer(v) => {
            let arn = value(v)?;
            arn.split_once("loadbalancer/")
                .map(|(_, r)| r.to_string())?
        }
        DimensionValue::TargetGroup(v) => value(v)?.splitn(6, ':').nth(5)?.to_string(),
        DimensionValue::Plain(v) => value(v)?,
        DimensionValue::GroupName => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// The datapoints read for one query: seconds since the epoch and value.
#[derive(Debug, Clone, Default)]
pub struct Series {
    /// The query id.
    pub id: String,
    /// (timestamp, value), in any order.
    pub points: Vec<(i64, f64)>,
}

/// A stretch of minutes a column had no data for.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    /// The column.
    pub column: String,
    /// Its first minute.
    pub from: usize,
    /// Minutes missing.
    pub minutes: usize,
}

/// A fetched trace: its CSV text, and what the reader must know.
#[derive(Debug, Clone)]
pub struct Written {
    /// The trace, header comments first.
    pub csv: String,
    /// Minutes in it.
    pub minutes: usize,
    /// Every stretch with no data, per column.
    pub gaps: Vec<Gap>,
    /// The columns written.
    pub columns: Vec<String>,
    /// What couldn't be read or made, in words.
    pub notes: Vec<String>,
}

/// Writes the series read from `start` (seconds since the epoch) for
/// `minutes` minutes at `period` seconds as a trace. A period above a
/// minute holds each value for its minutes, and the header says so; a
/// minute without data is written as the last value before it (the first
/// after, at the start) and listed as a gap, in the header and in
/// [`Written::gaps`]. A column with no data at all is left out and said.
pub fn write_trace(
    group: &str,
    start: i64,
    minutes: usize,
    period: u32,
    series: &[Series],
    mut notes: Vec<String>,
) -> Written {
    let per = (period / 60).max(1) as usize;
    // One value a minute per query, `None` where CloudWatch had none.
    let minute_values = |id: &str| -> Option<Vec<Option<f64>>> {
        let s = series.iter().find(|s| s.id == id)?;
        if s.points.is_empty() {
            return None;
        }
        let mut v = vec![None; minutes];
        for (t, x) in &s.points {
            let Ok(first) = usize::try_from((t - start) / 60) else {
                continue;
            };
            let end = (first + per).min(minutes);
            if first < end {
                v[first..end].fill(Some(*x));
            }
        }
        Some(v)
    };
    let in_service = minute_values("in_service");
    let desired = minute_values("desired");
    let times = |avg: Option<Vec<Option<f64>>>| -> Option<Vec<Option<f64>>> {
        let (avg, n) = (avg?, in_service.as_ref()?);
        Some(
            avg.iter()
                .zip(n)
                .map(|(a, n)| Some(a.as_ref()? * n.as_ref()?))
                .collect(),
        )
    };
    if in_service.is_none() {
        notes.push(format!(
            "group metrics were off for `{group}` (no GroupInServiceInstances): CPU and memory demand can't be made from the averages, and the trace has no actual capacity; enable them with `metrics = all`"
        ));
    }
    let response_time = minute_values("response_time");
    let mut cols: Vec<(&str, Vec<Option<f64>>)> = Vec::new();
    for (name, values) in [
        ("cpu", times(minute_values("cpu"))),
        ("requests", minute_values("requests")),
        ("memory", times(minute_values("memory"))),
        ("response_time", response_time),
        ("in_service", in_service.clone()),
        ("desired", desired),
    ] {
        match values {
            Some(v) => cols.push((name, v)),
            None if name == "memory" => notes.push(
                "memory: the CloudWatch agent publishes no mem_used_percent for the group".into(),
            ),
            None => {}
        }
    }
    let mut gaps = Vec::new();
    for (name, v) in &mut cols {
        gaps.extend(fill(name, v));
    }
    let mut csv = format!(
        "# scalec trace fetch: group {group}, {minutes} minutes from {}\n",
        at(start)
    );
    if per > 1 {
        csv.push_str(&format!(
            "# resolution: {period} s (CloudWatch keeps no finer data this old); each value holds for its {per} minutes\n"
        ));
    } else {
        csv.push_str("# resolution: 60 s\n");
    }
    for g in &gaps {
        csv.push_str(&format!(
            "# gap: {} has no data for {} minute{} from minute {}; the value before it is repeated\n",
            g.column,
            g.minutes,
            if g.minutes == 1 { "" } else { "s" },
            g.from
        ));
    }
    for n in &notes {
        csv.push_str(&format!("# note: {n}\n"));
    }
    csv.push_str("minute");
    for (name, _) in &cols {
        csv.push(',');
        csv.push_str(name);
    }
    csv.push('\n');
    for m in 0..minutes {
        csv.push_str(&m.to_string());
        for (name, v) in &cols {
            let x = v[m].unwrap_or(0.0);
            csv.push(',');
            csv.push_str(&match *name {
                "response_time" => format!("{x:.3}"),
                "in_service" | "desired" | "requests" => format!("{}", x.round()),
                _ => format!("{x:.1}"),
            });
        }
        csv.push('\n');
    }
    Written {
        csv,
        minutes,
        gaps,
        columns: cols.iter().map(|(n, _)| n.to_string()).collect(),
        notes,
    }
}

/// Fills a column's missing minutes with the value before (or, at the
/// start, after) them; returns each stretch filled.
fn fill(name: &str, v: &mut [Option<f64>]) -> Vec<Gap> {
    let mut gaps = Vec::new();
    let mut i = 0;
    while i < v.len() {
        if v[i].is_some() {
            i += 1;
            continue;
        }
        let from = i;
        while i < v.len() && v[i].is_none() {
            i += 1;
        }
        let with = if from > 0 {
            v[from - 1]
        } else {
            v.get(i).copied().flatten()
        };
        for x in &mut v[from..i] {
            *x = with;
        }
        gaps.push(Gap {
            column: name.to_string(),
            from,
            minutes: i - from,
        });
    }
    gaps
}

/// The launch delay a group's history shows: the median of its launches'
/// durations, seconds; `None` without a launch.
pub fn median_launch(durations: &[u32]) -> Option<u32> {
    let mut d = durations.to_vec();
    d.sort_unstable();
    let n = d.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(d[n / 2]),
        _ => Some((d[n / 2 - 1] + d[n / 2]).div_ceil(2)),
    }
}

/// A timestamp as RFC 3339.
fn at(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds).map_or_else(|_| seconds.to_string(), |t| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_launch_delay_is_the_median_launch() {
        assert_eq!(median_launch(&[]), None);
        assert_eq!(median_launch(&[300, 90, 120]), Some(120));
        assert_eq!(median_launch(&[90, 120, 150, 400]), Some(135));
    }

    #[test]
    fn the_period_is_the_finest_cloudwatch_keeps() {
        assert_eq!(period_for(7 * 86_400), Some(60));
        assert_eq!(period_for(15 * 86_400), Some(60));
        assert_eq!(period_for(16 * 86_400), Some(300));
        assert_eq!(period_for(100 * 86_400), Some(3600));
        assert_eq!(period_for(456 * 86_400), None);
    }

    #[test]
    fn demand_is_the_average_times_in_service_and_gaps_are_said() {
        let s = |id: &str, pts: &[(i64, f64)]| Series {
            id: id.into(),
            points: pts.to_vec(),
        };
        let series = vec![
            s("in_service", &[(0, 2.0), (60, 2.0), (180, 4.0)]),
            s("cpu", &[(0, 50.0), (60, 60.0), (120, 70.0), (180, 40.0)]),
        ];
        let w = write_trace("web", 0, 4, 60, &series, vec![]);
        assert!(
            w.csv
                .contains("minute,cpu,in_service\n0,100.0,2\n1,120.0,2\n2,120.0,2\n3,160.0,4\n"),
            "{}",
            w.csv
        );
        assert_eq!(
            w.gaps,
            vec![
                Gap {
                    column: "cpu".into(),
                    from: 2,
                    minutes: 1
                },
                Gap {
                    column: "in_service".into(),
                    from: 2,
                    minutes: 1
                }
            ]
        );
        assert!(
            w.csv
                .contains("# gap: cpu has no data for 1 minute from minute 2"),
            "{}",
            w.csv
        );
    }

    #[test]
    fn five_minute_data_holds_for_five_minutes_and_says_so() {
        let series = vec![
            Series {
                id: "in_service".into(),
                points: vec![(0, 3.0), (300, 5.0)],
            },
            Series {
                id: "desired".into(),
                points: vec![(0, 3.0), (300, 5.0)],
            },
        ];
        let w = write_trace("web", 0, 10, 300, &series, vec![]);
        assert!(w.csv.contains("# resolution: 300 s"), "{}", w.csv);
        assert!(w.gaps.is_empty());
        let rows: Vec<&str> = w
            .csv
            .lines()
            .filter(|l| !l.starts_with('#'))
            .skip(1)
            .collect();
        assert_eq!(rows[4], "4,3,3");
        assert_eq!(rows[5], "5,5,5");
    }
}
