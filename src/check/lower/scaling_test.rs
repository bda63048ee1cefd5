//! Lowers `test` declarations: which environment and groups a test runs,
//! its load (a trace file or generators), its assumptions, and its
//! expectations, typed with units and judged against the groups they name.

use super::super::eval::{Cx, by_key, mismatch};
use super::super::{codes, units};
use crate::diagnostic::Diagnostic;
use crate::model::scaling_test::*;
use crate::model::{self, PolicyKind, Unit};
use crate::suggest;
use crate::syntax::ast::{self, CmpOp, Expr, ExprKind, TestDecl};

/// The properties a test takes.
pub(crate) const KEYS: &[&str] = &[
    "env",
    "group",
    "groups",
    "load",
    "duration",
    "launch_delay",
    "hook_wait",
    "terminate_delay",
    "start_capacity",
    "start",
];

/// The load's columns and the unit their values are in.
const COLUMNS: &[(&str, Unit)] = &[
    ("cpu", Unit::Count),
    ("requests", Unit::Count),
    ("memory", Unit::Count),
    ("response_time", Unit::Seconds),
];

/// The generators a load is written with, and what they take.
const GENERATORS: &[(&str, &str)] = &[
    (
        "ramp",
        "`ramp(from, to, over)` or `ramp(from, to, over, start)`",
    ),
    ("step", "`step(before, after, at)`"),
    ("spike", "`spike(height, at, lasting)`"),
    ("daily", "`daily(low, high, peak)`"),
    ("weekly", "`weekly(weekday, weekend)`"),
    ("decay", "`decay(height, at, half_life)`"),
    ("noise", "`noise(sd, seed)`"),
];

/// The longest run a test may ask for: a year of minutes.
const MAX_MINUTES: f64 = 366.0 * 1440.0;

/// The environment a test names, if any: `env = NAME`.
pub(crate) fn env_of(t: &TestDecl) -> Option<(&str, &Expr)> {
    let p = t.properties.iter().find(|p| p.key.text() == "env")?;
    match &p.value.kind {
        ExprKind::Path { path } if path.segments.len() == 1 => {
            Some((path.segments[0].name.as_str(), &p.value))
        }
        _ => None,
    }
}

/// The tests of environment `env` (those naming it, or every test when it
/// is the spec's only environment), lowered.
pub(crate) fn lower_tests<'a>(
    cx: &mut Cx<'a, '_>,
    env: &str,
    only_env: bool,
    groups: &[model::Group],
    tests: &[&'a TestDecl],
) -> Vec<ScaleTest> {
    tests
        .iter()
        .filter(|t| match env_of(t) {
            Some((name, _)) => name == env,
            None => only_env && !t.properties.iter().any(|p| p.key.text() == "env"),
        })
        .filter_map(|t| lower_test(cx, env, groups, t))
        .collect()
}

fn lower_test<'a>(
    cx: &mut Cx<'a, '_>,
    env: &str,
    groups: &[model::Group],
    t: &'a TestDecl,
) -> Option<ScaleTest> {
    let props = by_key(&t.properties, KEYS, &[], "a test", cx.diags);
    let names = test_groups(cx, t, &props)?;
    let chosen: Vec<&model::Group> = names
        .iter()
        .filter_map(|n| groups.iter().find(|g| g.name == *n))
        .collect();
    if chosen.len() != names.len() {
        // A group that failed to lower has said why; one switched off
        // here (`enabled`, `for_each`) is the test's mistake.
        if !cx.diags.has_errors()
            && let Some(missing) = names.iter().find(|n| !groups.iter().any(|g| g.name == **n))
        {
            cx.diags.push(
                Diagnostic::error(
                    codes::TEST_GROUP,
                    format!("test `{}` runs group `{missing}`, which `{env}` doesn't have", t.name.name),
                    t.name.span,
                    "not in this environment",
                )
                .with_help(format!("the group is switched off in `{env}` (`enabled` or `for_each`): test it in an environment that has it")),
            );
        }
        return None;
    }
    let seconds = |cx: &mut Cx<'a, '_>, key: &str| -> Option<Option<f64>> {
        match props.get(key) {
            None => Some(None),
            Some(p) => {
                let v = cx.expect_quantity(&p.value, Unit::Seconds)?;
                if !(0.0..=MAX_MINUTES * 60.0).contains(&v) {
                    cx.diags.push(out_of_range(&p.value, "between 0s and 366d"));
                    return None;
                }
                Some(Some(v))
            }
        }
    };
    let duration = seconds(cx, "duration")?;
    let minutes = match duration {
        Some(s) if s < 60.0 => {
            let at = props.get("duration").map_or(t.name.span, |p| p.value.span);
            cx.diags.push(
                Diagnostic::error(
                    codes::TEST_LOAD,
                    "a test runs for at least a minute",
                    at,
                    "shorter than a minute",
                )
                .with_help(
                    "the simulator steps a minute at a time: write `duration = 1h` or longer",
                ),
            );
            return None;
        }
        Some(s) => Some((s / 60.0).floor() as usize),
        None => None,
    };
    let launch_delay = seconds(cx, "launch_delay")?.map(|s| s as u32);
    let hook_wait = seconds(cx, "hook_wait")?.map(|s| s as u32);
    let terminate_delay = seconds(cx, "terminate_delay")?.map(|s| s as u32);
    let start_capacity = match props.get("start_capacity") {
        Some(p) => Some(whole(cx, &p.value)?),
        None => None,
    };
    let start = match props.get("start") {
        Some(p) => {
            let s = cx.expect_string(&p.value)?;
            if s.parse::<jiff::Timestamp>().is_err() {
                cx.diags.push(
                    Diagnostic::error(
                        codes::BAD_VALUE,
                        format!("`{s}` is not a date and time"),
                        p.value.span,
                        "not RFC 3339",
                    )
                    .with_help(
                        "write when the load's first minute is, such as `\"2026-01-05T00:00:00Z\"`",
                    ),
                );
                return None;
            }
            Some(s)
        }
        None => None,
    };
    let load = load(cx, t, props.get("load").map(|p| &p.value), minutes)?;
    let columns: Option<Vec<&str>> = match &load {
        Load::Generated { columns, .. } => Some(columns.iter().map(|(c, _)| c.as_str()).collect()),
        Load::Trace { .. } => None,
    };
    let mut expects = Vec::new();
    for e in &t.expects {
        let given = Given {
            env,
            groups: &chosen,
            columns: columns.as_deref(),
        };
        if let Some(x) = expectation(cx, e, &given) {
            expects.push(x);
        }
    }
    if t.expects.is_empty() {
        cx.diags.push(
            Diagnostic::warning(
                codes::TEST_EXPECT,
                format!("test `{}` expects nothing", t.name.name),
                t.name.span,
                "no `expect`",
            )
            .with_help("add what the run must show, such as `expect in_service <= 10` or `expect no_thrash`"),
        );
    }
    Some(ScaleTest {
        name: t.name.name.clone(),
        environment: env.to_string(),
        groups: names,
        load,
        assume: Assumptions {
            launch_delay,
            hook_wait,
            terminate_delay,
            start_capacity,
            start,
        },
        expects,
        origin: t.name.span,
    })
}

/// The groups a test runs, each one of the environment's.
fn test_groups<'a>(
    cx: &mut Cx<'a, '_>,
    t: &'a TestDecl,
    props: &super::super::eval::Props<'a>,
) -> Option<Vec<String>> {
    let exprs: Vec<&Expr> = match (props.get("group"), props.get("groups")) {
        (Some(g), None) => vec![&g.value],
        (None, Some(gs)) => cx.expect_list(&gs.value)?,
        (Some(g), Some(gs)) => {
            cx.diags.push(
                Diagnostic::error(
                    codes::DUPLICATE_PROPERTY,
                    "a test names its groups with `group` or `groups`, not both",
                    gs.key.span(),
                    "and here",
                )
                .with_label(g.key.span(), "one here")
                .with_help("write `groups = [web, api]` for several"),
            );
            return None;
        }
        (None, None) => {
            cx.diags.push(
                Diagnostic::error(
                    codes::MISSING_PROPERTY,
                    format!("test `{}` names no group", t.name.name),
                    t.name.span,
                    "which group?",
                )
                .with_help("add `group = NAME`, or `groups = [a, b]`"),
            );
            return None;
        }
    };
    let mut names = Vec::new();
    for e in exprs {
        let ExprKind::Path { path } = &e.kind else {
            cx.diags.push(mismatch(e, "a group's name"));
            return None;
        };
        let name = path.dotted().into_owned();
        let declared = cx.decls.groups.iter().any(|g| g.name.name == name);
        if let Some(target) = cx.decls.scalables.iter().find(|x| x.body.name.name == name) {
            cx.diags.push(
                Diagnostic::error(
                    codes::TEST_GROUP,
                    format!(
                        "test `{}` names {} `{name}`: scaling tests run EC2 groups only so far",
                        t.name.name, target.keyword.name
                    ),
                    e.span,
                    "not a group",
                )
                .with_help("the simulator doesn't model scalable targets (task start delays, Application Auto Scaling's cooldowns) yet; test a group"),
            );
            return None;
        }
        if !declared {
            let help =
                suggest::did_you_mean(&name, cx.decls.groups.iter().map(|g| g.name.name.as_str()))
                    .unwrap_or_else(|| {
                        format!(
                            "the groups are {}",
                            suggest::quoted_list(
                                cx.decls.groups.iter().map(|g| g.name.name.as_str())
                            )
                        )
                    });
            cx.diags.push(
                Diagnostic::error(
                    codes::TEST_GROUP,
                    format!(
                        "test `{}` names no group of the spec: `{name}`",
                        t.name.name
                    ),
                    e.span,
                    "no such group",
                )
                .with_help(help),
            );
            return None;
        }
        if names.contains(&name) {
            cx.diags.push(
                Diagnostic::error(
                    codes::DUPLICATE,
                    format!("test `{}` names group `{name}` twice", t.name.name),
                    e.span,
                    "again",
                )
                .with_help("name each group once"),
            );
            return None;
        }
        names.push(name);
    }
    Some(names)
}

/// A whole, non-negative number.
fn whole<'a>(cx: &mut Cx<'a, '_>, e: &'a Expr) -> Option<u32> {
    let v = cx.expect_quantity(e, Unit::Count)?;
    if v < 0.0 || v.fract() != 0.0 || v > f64::from(u32::MAX) {
        cx.diags.push(out_of_range(e, "a whole number, 0 or more"));
        return None;
    }
    Some(v as u32)
}

fn out_of_range(e: &Expr, expected: &str) -> Diagnostic {
    Diagnostic::error(
        codes::BAD_VALUE,
        format!("expected {expected}"),
        e.span,
        "out of range",
    )
    .with_help(format!("write {expected}"))
}

// ---------------------------------------------------------------------------
// load
// ---------------------------------------------------------------------------

fn load<'a>(
    cx: &mut Cx<'a, '_>,
    t: &'a TestDecl,
    e: Option<&'a Expr>,
    minutes: Option<usize>,
) -> Option<Load> {
    let Some(e) = e else {
        cx.diags.push(
            Diagnostic::error(
                codes::MISSING_PROPERTY,
                format!("test `{}` has no load", t.name.name),
                t.name.span,
                "what load?",
            )
            .with_help("add `load = trace(\"traces/week.csv\")`, or generators: `load = { cpu = daily(100, 440, 14h) }`"),
        );
        return None;
    };
    match &e.kind {
        ExprKind::Call { path, args } if path.dotted() == "trace" => {
            let [arg] = args.as_slice() else {
                cx.diags.push(
                    Diagnostic::error(
                        codes::TEST_LOAD,
                        "`trace` takes one path",
                        e.span,
                        "one argument",
                    )
                    .with_help("write `trace(\"traces/week.csv\")`, relative to this file"),
                );
                return None;
            };
            let path = cx.expect_string(arg)?;
            Some(Load::Trace {
                path,
                span: arg.span,
                minutes,
            })
        }
        ExprKind::Object { block } => {
            let props = by_key(
                &block.properties,
                &COLUMNS.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
                &[],
                "a load",
                cx.diags,
            );
            let Some(minutes) = minutes else {
                cx.diags.push(
                    Diagnostic::error(
                        codes::MISSING_PROPERTY,
                        format!(
                            "test `{}` generates its load but has no `duration`",
                            t.name.name
                        ),
                        e.span,
                        "for how long?",
                    )
                    .with_help("add `duration = 7d` (or `6h`, `90m`): how long the run is"),
                );
                return None;
            };
            let mut columns = Vec::new();
            let mut ok = true;
            for (name, unit) in COLUMNS {
                if let Some(p) = props.get(name) {
                    match generator(cx, &p.value, *unit) {
                        Some(g) => columns.push((name.to_string(), g)),
                        None => ok = false,
                    }
                }
            }
            if columns.is_empty() && ok {
                cx.diags.push(
                    Diagnostic::error(
                        codes::TEST_LOAD,
                        "the load gives no column",
                        e.span,
                        "empty",
                    )
                    .with_help("give at least `cpu`: the group's total CPU demand in percent of one instance"),
                );
                return None;
            }
            ok.then_some(Load::Generated { minutes, columns })
        }
        _ => {
            cx.diags.push(
                mismatch(e, "`trace(\"FILE.csv\")` or `{ cpu = ... }`").with_help(
                    "a load is a trace file, `trace(\"traces/week.csv\")`, or generated columns: `{ cpu = ramp(100, 520, 8h) }`",
                ),
            );
            None
        }
    }
}

/// A generator of values in `unit` (counts for CPU, memory and requests,
/// seconds for response time).
fn generator<'a>(cx: &mut Cx<'a, '_>, e: &'a Expr, unit: Unit) -> Option<Gen> {
    match &e.kind {
        ExprKind::Binary { op, lhs, rhs } => {
            let l = Box::new(generator(cx, lhs, unit)?);
            // A factor or divisor is a plain number or a generator of
            // plain numbers (`1 + noise(5%, 1)`).
            let r_unit = match op {
                ast::BinOp::Add | ast::BinOp::Sub => unit,
                _ => Unit::Count,
            };
            let r = Box::new(generator(cx, rhs, r_unit)?);
            Some(match op {
                ast::BinOp::Add => Gen::Add(l, r),
                ast::BinOp::Sub => Gen::Sub(l, r),
                ast::BinOp::Mul => Gen::Mul(l, r),
                ast::BinOp::Div => Gen::Div(l, r),
            })
        }
        ExprKind::Call { path, args } => call(cx, e, &path.dotted(), args, unit),
        _ => cx.expect_quantity(e, unit).map(Gen::Constant),
    }
}

fn call<'a>(
    cx: &mut Cx<'a, '_>,
    e: &'a Expr,
    name: &str,
    args: &'a [Expr],
    unit: Unit,
) -> Option<Gen> {
    let Some((_, shape)) = GENERATORS.iter().find(|(n, _)| *n == name) else {
        let help =
            suggest::did_you_mean(name, GENERATORS.iter().map(|(n, _)| *n)).unwrap_or_else(|| {
                format!(
                    "the generators are {}",
                    suggest::quoted_list(GENERATORS.iter().map(|(n, _)| *n))
                )
            });
        cx.diags.push(
            Diagnostic::error(
                codes::TEST_LOAD,
                format!("there is no load generator `{name}`"),
                e.span,
                "unknown generator",
            )
            .with_help(help),
        );
        return None;
    };
    let arity = match name {
        "ramp" => 3..=4,
        "noise" | "weekly" => 2..=2,
        _ => 3..=3,
    };
    if !arity.contains(&args.len()) {
        cx.diags.push(
            Diagnostic::error(
                codes::TEST_LOAD,
                format!(
                    "`{name}` takes {} arguments, not {}",
                    arity_words(&arity),
                    args.len()
                ),
                e.span,
                "wrong number of arguments",
            )
            .with_help(format!("write {shape}")),
        );
        return None;
    }
    let value = |cx: &mut Cx<'a, '_>, i: usize| cx.expect_quantity(&args[i], unit);
    let minute = |cx: &mut Cx<'a, '_>, i: usize| minutes_of(cx, &args[i]);
    Some(match name {
        "ramp" => Gen::Ramp {
            from: value(cx, 0)?,
            to: value(cx, 1)?,
            over: minute(cx, 2)?.max(1),
            start: if args.len() == 4 { minute(cx, 3)? } else { 0 },
        },
        "step" => Gen::Step {
            before: value(cx, 0)?,
            after: value(cx, 1)?,
            at: minute(cx, 2)?,
        },
        "spike" => Gen::Spike {
            height: value(cx, 0)?,
            at: minute(cx, 1)?,
            lasting: minute(cx, 2)?,
        },
        "weekly" => Gen::Weekly {
            weekday: cx.expect_quantity(&args[0], Unit::Count)?,
            weekend: cx.expect_quantity(&args[1], Unit::Count)?,
        },
        "decay" => Gen::Decay {
            height: value(cx, 0)?,
            at: minute(cx, 1)?,
            half_life: minute(cx, 2)?.max(1),
        },
        "daily" => {
            let peak = minute(cx, 2)?;
            if peak >= 1440 {
                cx.diags
                    .push(out_of_range(&args[2], "a time of day, from 0h to 23h59m"));
                return None;
            }
            Gen::Daily {
                low: value(cx, 0)?,
                high: value(cx, 1)?,
                peak,
            }
        }
        _ => {
            // The deviation: in the column's unit, or a percentage, a
            // fraction for a factor (`* (1 + noise(5%, 7))`).
            let sd = match &args[0].kind {
                ExprKind::Quantity { unit: u, .. } if u == "%" => {
                    cx.expect_quantity(&args[0], Unit::Percent)? / 100.0
                }
                _ => cx.expect_quantity(&args[0], unit)?,
            };
            let seed = whole(cx, &args[1])?;
            Gen::Noise {
                sd: sd.abs(),
                seed: u64::from(seed),
            }
        }
    })
}

fn arity_words(r: &std::ops::RangeInclusive<usize>) -> String {
    if r.start() == r.end() {
        r.start().to_string()
    } else {
        format!("{} or {}", r.start(), r.end())
    }
}

/// A time in whole minutes.
fn minutes_of<'a>(cx: &mut Cx<'a, '_>, e: &'a Expr) -> Option<usize> {
    let s = cx.expect_quantity(e, Unit::Seconds)?;
    if !(0.0..=MAX_MINUTES * 60.0).contains(&s) || s % 60.0 != 0.0 {
        cx.diags.push(
            Diagnostic::error(
                codes::TEST_LOAD,
                format!(
                    "a load changes on whole minutes; this is {}",
                    units::show(s, Unit::Seconds)
                ),
                e.span,
                "not a whole number of minutes",
            )
            .with_help("write whole minutes, from `0m` to `366d`, such as `90m` or `2h`"),
        );
        return None;
    }
    Some((s / 60.0) as usize)
}

// ---------------------------------------------------------------------------
// expectations
// ---------------------------------------------------------------------------

/// What an expectation is judged against.
struct Given<'g> {
    env: &'g str,
    groups: &'g [&'g model::Group],
    /// The generated load's columns; `None` for a trace (read at run).
    columns: Option<&'g [&'g str]>,
}

fn expectation<'a>(
    cx: &mut Cx<'a, '_>,
    e: &'a ast::ExpectStmt,
    given: &Given<'_>,
) -> Option<Expectation> {
    let kind = match &e.cond.kind {
        ExprKind::Path { path } if path.segments.len() == 1 => {
            match path.segments[0].name.as_str() {
                "at_max" => Expect::Always(State::AtMax),
                "at_min" => Expect::Always(State::AtMin),
                "no_thrash" => Expect::Figure {
                    figure: Figure::Thrash,
                    op: Cmp::Le,
                    value: 0.0,
                },
                other => {
                    cx.diags.push(unknown_quantity(other, e.cond.span));
                    return None;
                }
            }
        }
        ExprKind::Compare { op, lhs, rhs, .. } => compare(cx, *op, lhs, rhs, given)?,
        _ => {
            cx.diags.push(
                Diagnostic::error(
                    codes::TEST_EXPECT,
                    format!("`expect` takes a comparison, found {}", super::super::eval::describe(&e.cond)),
                    e.cond.span,
                    "not a comparison",
                )
                .with_help("write what must hold, such as `expect in_service <= 10`, `expect p95(cpu) < 80%` or `expect no_thrash`"),
            );
            return None;
        }
    };
    let kind = match (&e.duration, kind) {
        (None, k) => k,
        (Some(d), Expect::Always(state)) => {
            if !matches!(d.op, CmpOp::Le | CmpOp::Lt) {
                cx.diags.push(
                    Diagnostic::error(
                        codes::TEST_EXPECT,
                        "`for` says how long a state may last at most: `for <= 15m`",
                        d.op_span,
                        "at most?",
                    )
                    .with_help("write `for <= 15m` (or `for < 15m`)"),
                );
                return None;
            }
            let s = cx.expect_quantity(&d.value, Unit::Seconds)?;
            if s < 0.0 {
                cx.diags
                    .push(out_of_range(&d.value, "a duration of 0s or more"));
                return None;
            }
            Expect::Longest {
                state,
                minutes: s / 60.0,
                strict: d.op == CmpOp::Lt,
            }
        }
        (Some(d), _) => {
            cx.diags.push(
                Diagnostic::error(
                    codes::TEST_EXPECT,
                    "only a state that holds minute by minute takes `for`",
                    d.op_span,
                    "`for` here",
                )
                .with_label(e.cond.span, "a figure of the whole run")
                .with_help("`for` follows a state: `expect at_max for <= 15m`, `expect cpu >= 90% for <= 10m`"),
            );
            return None;
        }
    };
    impossible(cx, &kind, e, given)?;
    Some(Expectation {
        kind,
        text: crate::syntax::unparse::expect(e),
        origin: e.span,
    })
}

fn unknown_quantity(name: &str, span: crate::source::Span) -> Diagnostic {
    let known = Series::ALL
        .iter()
        .map(|(n, _)| *n)
        .chain(Figure::ALL.iter().map(|(n, _)| *n))
        .chain(["at_max", "at_min", "no_thrash", "p95"]);
    let help = suggest::did_you_mean(name, known.clone())
        .unwrap_or_else(|| format!("a test expects one of {}", suggest::quoted_list(known)));
    Diagnostic::error(
        codes::TEST_EXPECT,
        format!("a test can't expect `{name}`"),
        span,
        "unknown",
    )
    .with_help(help)
}

/// The unit a series is compared in.
fn series_unit(s: Series) -> Unit {
    match s {
        Series::Cpu | Series::Memory => Unit::Percent,
        Series::ResponseTime => Unit::Seconds,
        Series::RequestsPerTarget => Unit::PerMinute,
        _ => Unit::Count,
    }
}

fn compare<'a>(
    cx: &mut Cx<'a, '_>,
    op: CmpOp,
    lhs: &'a Expr,
    rhs: &'a Expr,
    given: &Given<'_>,
) -> Option<Expect> {
    let op = match op {
        CmpOp::Lt => Cmp::Lt,
        CmpOp::Le => Cmp::Le,
        CmpOp::Gt => Cmp::Gt,
        CmpOp::Ge => Cmp::Ge,
    };
    match &lhs.kind {
        ExprKind::Path { path } if path.segments.len() == 1 => {
            let name = path.segments[0].name.as_str();
            if let Some((_, s)) = Series::ALL.iter().find(|(n, _)| *n == name) {
                needs_column(cx, *s, lhs, given)?;
                let value = series_value(cx, *s, rhs)?;
                return Some(Expect::Always(State::Compare {
                    series: *s,
                    op,
                    value,
                }));
            }
            let Some((_, f)) = Figure::ALL.iter().find(|(n, _)| *n == name) else {
                cx.diags.push(unknown_quantity(name, lhs.span));
                return None;
            };
            let (figure, value) = match f {
                Figure::OverTarget | Figure::React => {
                    tracks(cx, *f, lhs, given)?;
                    (*f, cx.expect_quantity(rhs, Unit::Seconds)? / 60.0)
                }
                Figure::ScalingEvents => match &rhs.kind {
                    ExprKind::Quantity { unit, .. } if unit.starts_with('/') => (
                        Figure::ScalingEventsPerHour,
                        cx.expect_quantity(rhs, Unit::PerMinute)? * 60.0,
                    ),
                    _ => (*f, cx.expect_quantity(rhs, Unit::Count)?),
                },
                _ => (*f, cx.expect_quantity(rhs, Unit::Count)?),
            };
            Some(Expect::Figure { figure, op, value })
        }
        ExprKind::Call { path, args } if path.segments.len() == 1 => {
            let name = path.segments[0].name.as_str();
            let p = name
                .strip_prefix('p')
                .and_then(|n| n.parse::<f64>().ok())
                .filter(|p| *p > 0.0 && *p <= 100.0);
            let Some(p) = p else {
                cx.diags.push(
                    Diagnostic::error(
                        codes::TEST_EXPECT,
                        format!("`{name}` is not a percentile"),
                        path.span,
                        "not `p1`..`p100`",
                    )
                    .with_help("a percentile is written `p50(cpu)`, `p95(response_time)`, `p100(in_service)`"),
                );
                return None;
            };
            let series = match args.as_slice() {
                [
                    Expr {
                        kind: ExprKind::Path { path: s },
                        ..
                    },
                ] if s.segments.len() == 1 => Series::ALL
                    .iter()
                    .find(|(n, _)| *n == s.segments[0].name)
                    .map(|(_, x)| *x),
                _ => None,
            };
            let Some(series) = series else {
                cx.diags.push(
                    Diagnostic::error(
                        codes::TEST_EXPECT,
                        format!("`{name}` takes one series"),
                        lhs.span,
                        "of what?",
                    )
                    .with_help(format!(
                        "the series are {}",
                        suggest::quoted_list(Series::ALL.iter().map(|(n, _)| *n))
                    )),
                );
                return None;
            };
            needs_column(cx, series, lhs, given)?;
            let value = series_value(cx, series, rhs)?;
            Some(Expect::Percentile {
                p,
                series,
                op,
                value,
            })
        }
        _ => {
            cx.diags.push(
                mismatch(lhs, "what the run shows").with_help(
                    "the left side names a series (`in_service`, `cpu`, ...), a figure (`react`, `thrash`, ...) or a percentile (`p95(cpu)`)",
                ),
            );
            None
        }
    }
}

/// A value to compare `s` with, in the model's units (percent, seconds,
/// per minute, count).
fn series_value<'a>(cx: &mut Cx<'a, '_>, s: Series, rhs: &'a Expr) -> Option<f64> {
    match (s, &rhs.kind) {
        // Requests per target: a plain number is per minute too.
        (Series::RequestsPerTarget, ExprKind::Number { value }) => Some(*value),
        _ => cx.expect_quantity(rhs, series_unit(s)),
    }
}

/// A metric series needs its column in the load.
fn needs_column<'a>(cx: &mut Cx<'a, '_>, s: Series, at: &Expr, given: &Given<'_>) -> Option<()> {
    let (Some(column), Some(columns)) = (s.column(), given.columns) else {
        return Some(());
    };
    if columns.contains(&column) || (s == Series::ResponseTime && columns.contains(&"cpu")) {
        return Some(());
    }
    cx.diags.push(
        Diagnostic::error(
            codes::TEST_METRIC,
            format!(
                "the test's load gives no `{column}`, so its {} is unknown",
                s.words()
            ),
            at.span,
            "not in the load",
        )
        .with_help(format!(
            "add `{column} = ...` to the load, or expect something the load drives"
        )),
    );
    None
}

/// The metric columns the simulator drives target tracking with.
fn tracked(g: &model::Group) -> bool {
    g.policies.iter().any(|p| match &p.kind {
        PolicyKind::TargetTracking {
            metric, math: None, ..
        } => tracked_column(metric).is_some(),
        _ => false,
    })
}

/// `over_target` and `react` measure against target tracking.
fn tracks<'a>(cx: &mut Cx<'a, '_>, f: Figure, at: &Expr, given: &Given<'_>) -> Option<()> {
    let Some(g) = given.groups.iter().find(|g| !tracked(g)) else {
        return Some(());
    };
    let what = if f == Figure::React {
        "react"
    } else {
        "over_target"
    };
    cx.diags.push(
        Diagnostic::error(
            codes::TEST_METRIC,
            format!(
                "`{what}` is measured against target tracking, and group `{}` has no target tracking policy on CPU, memory or requests per target in `{}`",
                g.name, given.env
            ),
            at.span,
            "no target to measure against",
        )
        .with_help("expect what its policies drive instead: `in_service`, `cpu >= 90% for <= 10m`, `scaling_events`"),
    );
    None
}

/// An expectation that can't hold, whatever the load: an error, since the
/// test could never pass.
fn impossible<'a>(
    cx: &mut Cx<'a, '_>,
    kind: &Expect,
    e: &ast::ExpectStmt,
    given: &Given<'_>,
) -> Option<()> {
    let state = match kind {
        Expect::Always(s) => Some(*s),
        Expect::Percentile {
            series, op, value, ..
        } => Some(State::Compare {
            series: *series,
            op: *op,
            value: *value,
        }),
        Expect::Figure { op, value, .. } if matches!(op, Cmp::Lt) && *value <= 0.0 => {
            return never(cx, e, "no figure of a run is below 0".to_string());
        }
        Expect::Figure { op, value, .. } if matches!(op, Cmp::Le) && *value < 0.0 => {
            return never(cx, e, "no figure of a run is below 0".to_string());
        }
        _ => None,
    };
    let Some(State::Compare { series, op, value }) = state else {
        return Some(());
    };
    let up_to = |max: f64| match op {
        Cmp::Gt => value >= max,
        Cmp::Ge => value > max,
        Cmp::Lt => value <= 0.0,
        Cmp::Le => value < 0.0,
    };
    match series {
        Series::Cpu | Series::Memory if up_to(100.0) => never(
            cx,
            e,
            format!("per-instance {} is between 0% and 100%", series.words()),
        ),
        Series::InService | Series::Desired => {
            for g in given.groups {
                let never_holds = match op {
                    Cmp::Gt => value >= f64::from(g.max),
                    Cmp::Ge => value > f64::from(g.max),
                    Cmp::Lt => value <= f64::from(g.min) && series == Series::Desired,
                    Cmp::Le => value < f64::from(g.min) && series == Series::Desired,
                };
                if never_holds || up_to(f64::INFINITY) {
                    return never(
                        cx,
                        e,
                        format!(
                            "group `{}` runs {}..{} in `{}`",
                            g.name, g.min, g.max, given.env
                        ),
                    );
                }
            }
            Some(())
        }
        _ if up_to(f64::INFINITY) => never(cx, e, "the value is never below 0".to_string()),
        _ => Some(()),
    }
}

fn never<'a>(cx: &mut Cx<'a, '_>, e: &ast::ExpectStmt, why: String) -> Option<()> {
    cx.diags.push(
        Diagnostic::error(
            codes::TEST_IMPOSSIBLE,
            format!(
                "`{}` can never hold: {why}",
                crate::syntax::unparse::expect(e)
            ),
            e.cond.span,
            "never holds",
        )
        .with_help("a test that can't pass proves nothing: expect what the group can do"),
    );
    None
}
