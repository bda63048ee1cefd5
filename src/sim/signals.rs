//! The simulated metrics and alarms: where each metric's per-minute value
//! comes from (the trace or the simulation's own state), metric math as
//! scalec writes it, and CloudWatch alarms evaluated period by period with
//! their M-of-N window and missing-data treatment.

use super::Trace;
use crate::model::{AlarmSpec, Comparison, Metric, MetricQuery, MissingData, Statistic};

/// Where a metric's per-minute value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
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

pub(super) const SOURCES: usize = 11;

pub(super) fn source_of(m: &Metric) -> Option<Source> {
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
pub(super) fn available(s: Source, t: &Trace) -> bool {
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
/// `ABS(DIFF(m1))`, `(100 * (m1 / m2))`, `FILL(m1, 0)`. Functions that
/// remember the last period (`DIFF`, `FILL(.., REPEAT)`) own a slot.
#[derive(Debug, Clone)]
enum Expr {
    Num(f64),
    Metric(usize),
    Bin(u8, Box<Expr>, Box<Expr>),
    Abs(Box<Expr>),
    Diff(Box<Expr>, usize),
    /// A missing value replaced by a constant.
    FillValue(Box<Expr>, f64),
    /// A missing value replaced by the last one seen.
    FillRepeat(Box<Expr>, usize),
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
                // A second argument: FILL's value or word.
                let mut second = None;
                if self.s.get(self.i) == Some(&b',') {
                    self.i += 1;
                    self.ws();
                    let from = self.i;
                    while self
                        .s
                        .get(self.i)
                        .is_some_and(|c| c.is_ascii_alphanumeric() || b".-_".contains(c))
                    {
                        self.i += 1;
                    }
                    second = Some(std::str::from_utf8(&self.s[from..self.i]).ok()?);
                    self.ws();
                }
                if self.s.get(self.i) != Some(&b')') {
                    return None;
                }
                self.i += 1;
                return match (word, second) {
                    ("ABS", None) => Some(Expr::Abs(Box::new(inner))),
                    ("DIFF", None) => {
                        self.diffs += 1;
                        Some(Expr::Diff(Box::new(inner), self.diffs - 1))
                    }
                    ("FILL", Some("REPEAT")) => {
                        self.diffs += 1;
                        Some(Expr::FillRepeat(Box::new(inner), self.diffs - 1))
                    }
                    // LINEAR interpolates between values on both sides
                    // of a gap: a minute-by-minute replay can't see the
                    // later one, so such an expression is not simulated.
                    ("FILL", Some(v)) => v
                        .parse::<f64>()
                        .ok()
                        .map(|v| Expr::FillValue(Box::new(inner), v)),
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
        Expr::FillValue(x, with) => {
            let v = eval_math(x, vals, prev);
            if v.is_nan() { *with } else { v }
        }
        Expr::FillRepeat(x, slot) => {
            let v = eval_math(x, vals, prev);
            if v.is_nan() {
                prev[*slot]
            } else {
                prev[*slot] = v;
                v
            }
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
pub(super) struct AlarmSim {
    accs: Vec<Acc>,
    math: Option<(Expr, Vec<f64>)>,
    period: usize,
    comparison: Comparison,
    pub(super) threshold: f64,
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
    pub(super) fn new(spec: &AlarmSpec, t: &Trace) -> Option<AlarmSim> {
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
    pub(super) fn observe(&mut self, i: usize, values: &[f64; SOURCES]) -> Option<(f64, bool)> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Evaluates `text` over successive values of its one metric `m1`.
    fn series(text: &str, values: &[f64]) -> Option<Vec<f64>> {
        let (e, slots) = parse_math(text, &["m1".to_string()])?;
        let mut prev = vec![f64::NAN; slots];
        Some(
            values
                .iter()
                .map(|v| eval_math(&e, &[*v], &mut prev))
                .collect(),
        )
    }

    #[test]
    fn fill_replaces_missing_values_with_a_constant_or_the_last_one() {
        let nan = f64::NAN;
        assert_eq!(
            series("FILL(m1, 0)", &[3.0, nan, 5.0]),
            Some(vec![3.0, 0.0, 5.0])
        );
        assert_eq!(
            series("(FILL(m1, -1.5) * 2)", &[nan, 1.0]),
            Some(vec![-3.0, 2.0])
        );
        let repeated = series("FILL(m1, REPEAT)", &[nan, 4.0, nan, nan, 6.0]).expect("parses");
        assert!(repeated[0].is_nan(), "nothing to repeat yet");
        assert_eq!(repeated[1..], [4.0, 4.0, 4.0, 6.0]);
    }

    #[test]
    fn what_the_simulator_cannot_replay_is_not_parsed() {
        // LINEAR needs the value after a gap; FILL needs its second argument.
        assert!(series("FILL(m1, LINEAR)", &[1.0]).is_none());
        assert!(series("FILL(m1)", &[1.0]).is_none());
        assert!(series("ABS(m1, 2)", &[1.0]).is_none());
    }
}
