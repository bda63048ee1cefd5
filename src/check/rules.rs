//! AWS's rules that don't depend on how a value was written: alarm windows,
//! step sets and physical names. Sources are listed in
//! `../shared/reference/aws-autoscaling-landscape.md` (section 2).

use super::error as codes;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{AdjustmentType, Direction, StepAdjustment, Unit};
use crate::source::Span;

/// Checks an alarm's period and evaluation window.
/// Period: 10, 20, 30 or a multiple of 60 seconds. Period x evaluation
/// periods: at most one day when the period is under an hour, else 7 days.
/// Datapoints to alarm: 1..=evaluation periods.
pub fn check_window(
    period: (u32, Span),
    evaluate: (u32, Span),
    datapoints: (u32, Span),
    diags: &mut Diagnostics,
) -> bool {
    let mut ok = true;
    let (p, ps) = period;
    if !(p == 10 || p == 20 || p == 30 || (p >= 60 && p % 60 == 0)) {
        ok = false;
        diags.push(
            Diagnostic::error(
                codes::ALARM_PERIOD,
                format!("CloudWatch does not accept a period of {p}s"),
                ps,
                "not a valid period",
            )
            .with_help(
                "use 10s, 20s or 30s (high-resolution metrics only) or a whole number of minutes",
            ),
        );
    }
    let (n, ns) = evaluate;
    if n == 0 {
        ok = false;
        diags.push(
            Diagnostic::error(
                codes::ALARM_WINDOW,
                "an alarm needs at least one evaluation period",
                ns,
                "zero periods",
            )
            .with_help("set `evaluate` to 1 or more"),
        );
    }
    let total = p as u64 * n as u64;
    let limit = if p < 3600 { 86_400 } else { 604_800 };
    if n > 0 && total > limit {
        ok = false;
        diags.push(
            Diagnostic::error(
                codes::ALARM_WINDOW,
                format!("the evaluation window is {}s, over AWS's limit of {limit}s", total),
                ns,
                format!("{n} periods of {p}s"),
            )
            .with_label(ps, "period")
            .with_help(if p < 3600 {
                "with a period under an hour, period x evaluate must be at most one day; use a longer period or fewer periods"
            } else {
                "period x evaluate must be at most 7 days"
            }),
        );
    }
    let (m, ms) = datapoints;
    if m == 0 || m > n {
        ok = false;
        diags.push(
            Diagnostic::error(
                codes::ALARM_DATAPOINTS,
                format!("{m} datapoints to alarm, but only {n} evaluation period(s)"),
                ms,
                "must be between 1 and `evaluate`",
            )
            .with_label(ns, "evaluation periods")
            .with_help("an alarm fires when M of the last N periods breach: M must be at most N"),
        );
    }
    ok
}

/// A step as written: absolute bounds in canonical units, and its adjustment.
#[derive(Debug, Clone)]
pub struct AbsStep {
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub adjustment: i32,
    pub kind: AdjustmentType,
    pub span: Span,
    pub range_span: Span,
    pub adj_span: Span,
}

/// Turns absolute steps into AWS's threshold + relative steps, checking
/// overlap, gaps, direction, open ends and the 20-step limit.
pub fn lower_steps(
    steps: &[AbsStep],
    unit: Unit,
    policy_span: Span,
    diags: &mut Diagnostics,
) -> Option<(f64, Direction, AdjustmentType, Vec<StepAdjustment>)> {
    let first = match steps.first() {
        Some(f) => f,
        None => {
            diags.push(
                Diagnostic::error(
                    codes::NO_STEPS,
                    "this step policy has no steps",
                    policy_span,
                    "no steps",
                )
                .with_help("add steps such as `50%..70% => +1`"),
            );
            return None;
        }
    };
    if !steps_well_formed(steps, first, unit, diags) {
        return None;
    }
    let kind = first.kind;
    let direction = step_direction(steps, kind, diags)?;
    let sorted = contiguous(steps, unit, diags)?;
    let threshold = step_threshold(&sorted, direction, unit, diags)?;
    let ordered: Vec<&AbsStep> = match direction {
        Direction::Out => sorted,
        Direction::In => sorted.into_iter().rev().collect(),
    };
    let rel = |v: Option<f64>| v.map(|x| round6(x - threshold));
    let out = ordered
        .iter()
        .map(|s| StepAdjustment {
            lower: rel(s.lower),
            upper: rel(s.upper),
            adjustment: s.adjustment,
            origin: s.span,
        })
        .collect();
    Some((threshold, direction, kind, out))
}

/// Whether the steps are at most 20, all of the first one's kind, and each
/// range non-empty (each problem reported).
fn steps_well_formed(
    steps: &[AbsStep],
    first: &AbsStep,
    unit: Unit,
    diags: &mut Diagnostics,
) -> bool {
    let show = |v: f64| super::units::show(v, unit);
    let mut ok = true;
    if steps.len() > 20 {
        ok = false;
        diags.push(
            Diagnostic::error(
                codes::TOO_MANY_STEPS,
                format!("{} steps, but AWS allows at most 20", steps.len()),
                steps[20].span,
                "the 21st step",
            )
            .with_help("merge adjacent ranges"),
        );
    }
    let kind = first.kind;
    for s in steps {
        if s.kind != kind {
            ok = false;
            diags.push(
                Diagnostic::error(codes::STEP_MIXED, "steps of one policy must all change capacity the same way", s.adj_span, "a different kind of adjustment")
                    .with_label(first.adj_span, "the first step's kind")
                    .with_help("use `+N`/`-N` (instances), `+N%`/`-N%` (percent) or `exactly N` for every step"),
            );
        }
        if let (Some(l), Some(u)) = (s.lower, s.upper)
            && l >= u
        {
            ok = false;
            diags.push(
                Diagnostic::error(
                    codes::STEP_EMPTY,
                    format!("the range {}..{} is empty", show(l), show(u)),
                    s.range_span,
                    "lower end must be below upper end",
                )
                .with_help("write the smaller value first"),
            );
        }
    }
    ok
}

/// The steps' direction: from the adjustments' signs (one sign only), or
/// the open end for exact capacity.
fn step_direction(
    steps: &[AbsStep],
    kind: AdjustmentType,
    diags: &mut Diagnostics,
) -> Option<Direction> {
    if kind == AdjustmentType::ExactCapacity {
        return Some(if steps.iter().any(|s| s.upper.is_none()) {
            Direction::Out
        } else {
            Direction::In
        });
    }
    let outs: Vec<&AbsStep> = steps.iter().filter(|s| s.adjustment > 0).collect();
    let ins: Vec<&AbsStep> = steps.iter().filter(|s| s.adjustment < 0).collect();
    if !outs.is_empty() && !ins.is_empty() {
        diags.push(
            Diagnostic::error(codes::STEP_DIRECTION, "this policy both adds and removes capacity", ins[0].adj_span, "removes capacity")
                .with_label(outs[0].adj_span, "adds capacity")
                .with_help("a step policy's alarm fires in one direction: split scale-out and scale-in into two policies"),
        );
        return None;
    }
    Some(if ins.is_empty() {
        Direction::Out
    } else {
        Direction::In
    })
}

/// The steps by their lower ends, each range ending where the next
/// begins; `None` when two overlap or leave a gap (each reported).
fn contiguous<'s>(
    steps: &'s [AbsStep],
    unit: Unit,
    diags: &mut Diagnostics,
) -> Option<Vec<&'s AbsStep>> {
    let show = |v: f64| super::units::show(v, unit);
    let mut ok = true;
    let mut sorted: Vec<&AbsStep> = steps.iter().collect();
    sorted.sort_by(|a, b| {
        let ka = a.lower.unwrap_or(f64::NEG_INFINITY);
        let kb = b.lower.unwrap_or(f64::NEG_INFINITY);
        ka.partial_cmp(&kb).unwrap_or(std::cmp::Ordering::Equal)
    });
    for w in sorted.windows(2) {
        let (a, b) = (w[0], w[1]);
        let a_up = a.upper.unwrap_or(f64::INFINITY);
        let b_lo = b.lower.unwrap_or(f64::NEG_INFINITY);
        if b_lo < a_up {
            ok = false;
            diags.push(
                Diagnostic::error(codes::STEP_OVERLAP, "these step ranges overlap", b.range_span, "overlaps the other range")
                    .with_label(a.range_span, "this range")
                    .with_help("each value of the metric must fall in exactly one step: make one range end where the next begins"),
            );
        } else if b_lo > a_up {
            ok = false;
            diags.push(
                Diagnostic::error(
                    codes::STEP_GAP,
                    format!("no step covers {}..{}", show(a_up), show(b_lo)),
                    b.range_span,
                    "starts after a gap",
                )
                .with_label(a.range_span, "ends before the gap")
                .with_help(format!(
                    "start this range at {} or end the other at {}",
                    show(a_up),
                    show(b_lo)
                )),
            );
        }
    }
    ok.then_some(sorted)
}

/// The alarm threshold: where scale-out steps start (the highest open
/// above: AWS needs a step with no upper bound above a positive one), or
/// where scale-in steps end (the lowest open below).
fn step_threshold(
    sorted: &[&AbsStep],
    direction: Direction,
    unit: Unit,
    diags: &mut Diagnostics,
) -> Option<f64> {
    let show = |v: f64| super::units::show(v, unit);
    let lowest = sorted[0];
    let highest = sorted[sorted.len() - 1];
    match direction {
        Direction::Out => {
            let t = match lowest.lower {
                Some(t) => t,
                None => {
                    diags.push(
                        Diagnostic::error(codes::STEP_DIRECTION, "a scale-out step can't start at minus infinity", lowest.range_span, "no lower end")
                            .with_help("scale-out steps sit above the alarm threshold: give the lowest step a lower end, e.g. `50%..70%`"),
                    );
                    return None;
                }
            };
            if highest.upper.is_some() {
                diags.push(
                    Diagnostic::error(codes::STEP_OPEN_END, "the highest scale-out step must have no upper end", highest.range_span, "closed at the top")
                        .with_help(format!(
                            "AWS needs a step that covers everything above the last bound: write `{}..`",
                            show(highest.lower.unwrap_or(t))
                        )),
                );
                return None;
            }
            Some(t)
        }
        Direction::In => {
            let t = match highest.upper {
                Some(t) => t,
                None => {
                    diags.push(
                        Diagnostic::error(codes::STEP_DIRECTION, "a scale-in step can't reach plus infinity", highest.range_span, "no upper end")
                            .with_help("scale-in steps sit below the alarm threshold: give the highest step an upper end, e.g. `..20%`"),
                    );
                    return None;
                }
            };
            if lowest.lower.is_some() {
                diags.push(
                    Diagnostic::error(codes::STEP_OPEN_END, "the lowest scale-in step must have no lower end", lowest.range_span, "closed at the bottom")
                        .with_help(format!(
                            "AWS needs a step that covers everything below the last bound: write `..{}`",
                            show(lowest.upper.unwrap_or(t))
                        )),
                );
                return None;
            }
            Some(t)
        }
    }
}

fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// A physical name and where each of its parts was written, so that a
/// diagnostic about one character blames the part that holds it: the app
/// name, a group's given `name`, an item's name.
#[derive(Debug, Clone)]
pub struct PhysName {
    /// `macro-ai-production-web-cpu`.
    pub text: String,
    /// Byte ranges of `text`, each with the span that wrote it and what it
    /// is, in words.
    parts: Vec<(std::ops::Range<usize>, Span, &'static str)>,
    /// Whether the last part is a whole name given with `name = "..."`.
    pub given: bool,
}

impl PhysName {
    /// A name given with `name = "..."`, written at `span`.
    pub fn given(text: String, span: Span) -> PhysName {
        PhysName {
            parts: vec![(0..text.len(), span, "the given name")],
            text,
            given: true,
        }
    }

    /// A name of parts joined with `-`: `app-env`.
    pub fn derived(parts: &[(&str, Span, &'static str)]) -> PhysName {
        let mut out = PhysName {
            text: String::new(),
            parts: Vec::new(),
            given: false,
        };
        for (i, (text, span, what)) in parts.iter().enumerate() {
            if i > 0 {
                out.text.push('-');
            }
            let start = out.text.len();
            out.text.push_str(text);
            out.parts.push((start..out.text.len(), *span, what));
        }
        out
    }

    /// This name, `-` and `name`: an item's name derived from its group's.
    pub fn child(&self, name: &str, span: Span, what: &'static str) -> PhysName {
        let mut out = PhysName {
            text: format!("{}-{name}", self.text),
            parts: self.parts.clone(),
            given: false,
        };
        out.parts
            .push((self.text.len() + 1..out.text.len(), span, what));
        out
    }

    /// The span and words of the part holding byte `at`.
    fn blame(&self, at: usize) -> Option<(Span, &'static str)> {
        self.parts
            .iter()
            .find(|(r, _, _)| r.contains(&at))
            .map(|(_, span, what)| (*span, *what))
    }

    /// The first part's span, when it is another item's (the app's).
    fn app(&self) -> Option<Span> {
        match self.parts.first() {
            Some((_, span, what)) if !self.given && *what == APP_PART => Some(*span),
            _ => None,
        }
    }
}

/// What the app's part of a name is called.
pub const APP_PART: &str = "the app name is part of every physical name";

/// What a physical name must be.
pub struct NameCheck<'n> {
    pub name: &'n PhysName,
    pub what: &'static str,
    pub max: usize,
    /// Characters allowed: `None` = ASCII 33..=126 except `:`;
    /// `Some(extra)` = ASCII letters, digits and the extra characters.
    pub alnum_plus: Option<&'static str>,
}

/// Checks a physical name against AWS's limits: at least one character,
/// at most `max`, and only the characters AWS allows. `span` is the item's.
/// Returns whether the name is one AWS takes.
pub fn check_name(n: NameCheck, span: Span, diags: &mut Diagnostics) -> bool {
    let name = n.name.text.as_str();
    if name.is_empty() {
        diags.push(
            Diagnostic::error(
                codes::EMPTY,
                format!("the {} name is empty", n.what),
                span,
                "an empty name",
            )
            .with_help(format!(
                "AWS names {} {} with at least one character: give a name, or leave `name` out to use the derived one",
                article(n.what),
                n.what
            )),
        );
        return false;
    }
    let mut ok = true;
    // AWS counts characters, not bytes (never more than bytes: counted
    // only when the bytes are over).
    let length = if name.len() > n.max {
        name.chars().count()
    } else {
        name.len()
    };
    if length > n.max {
        ok = false;
        let mut d = Diagnostic::error(
            codes::NAME_TOO_LONG,
            format!(
                "the {} name `{}` is {} characters, over AWS's limit of {}",
                n.what, name, length, n.max
            ),
            span,
            "this name is too long",
        )
        .with_help(if n.name.given {
            "shorten the given name"
        } else {
            "shorten the app, environment or item name, or give the item a shorter `name`"
        });
        if let Some(a) = n.name.app() {
            d = d.with_label(a, "part of every name");
        }
        diags.push(d);
    }
    let bad = name.char_indices().find(|(_, c)| match n.alnum_plus {
        None => !(('!'..='~').contains(c) && *c != ':'),
        Some(extra) => !(c.is_ascii_alphanumeric() || extra.contains(*c)),
    });
    if let Some((at, c)) = bad {
        ok = false;
        let allowed = match n.alnum_plus {
            None => "printable ASCII characters except `:`".to_string(),
            Some(extra) => format!(
                "letters, digits and {}",
                extra
                    .chars()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        };
        let (part, label) = n.name.blame(at).unwrap_or((span, "here"));
        let mut d = Diagnostic::error(
            codes::NAME_CHARS,
            format!(
                "the {} name `{}` contains `{}`, which AWS does not allow",
                n.what,
                name,
                c.escape_default()
            ),
            part,
            label,
        );
        if part != span {
            d = d.with_label(span, format!("the {} named from it", n.what));
        }
        diags.push(d.with_help(format!(
            "{} {} name may contain {allowed}",
            article(n.what),
            n.what
        )));
    }
    ok
}

/// `a` or `an`, for a noun in a message.
fn article(noun: &str) -> &'static str {
    // Initialisms read letter by letter: "an SNS topic".
    if noun.starts_with("SNS") || noun.starts_with("SQS") {
        return "an";
    }
    match noun.chars().next() {
        Some('A' | 'E' | 'I' | 'O' | 'U' | 'a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}
