//! Lowering scaling policies: target tracking, step and simple, with
//! their adjustments and AWS's rules on which property goes with which.

use super::*;

pub(super) const POLICY_KINDS: &[&str] = &["target_tracking", "step", "simple", "predictive"];

/// The properties of a target-tracking policy.
pub(crate) const TRACKING_KEYS: &[&str] =
    &["metric", "target", "warmup", "scale_in", "enabled", "name"];

/// The properties of a step policy (besides its steps).
pub(crate) const STEP_KEYS: &[&str] = &[
    "metric",
    "statistic",
    "period",
    "evaluate",
    "datapoints",
    "missing",
    "aggregation",
    "min_magnitude",
    "warmup",
    "enabled",
    "name",
];

/// The properties of a simple policy.
pub(crate) const SIMPLE_KEYS: &[&str] = &[
    "when",
    "adjust",
    "cooldown",
    "period",
    "evaluate",
    "datapoints",
    "missing",
    "min_magnitude",
    "enabled",
    "name",
];

pub(super) const COOLDOWN_HELP_TT: &str = "target tracking ignores cooldowns (AWS applies them to simple scaling only); use `warmup` so new instances settle before they count";

pub(super) const COOLDOWN_HELP_STEP: &str = "step policies ignore cooldowns; use `warmup`, or a longer evaluation window (`evaluate`) to scale more slowly";

pub(super) const ALARM_HELP_TT: &str = "target tracking creates and manages its own alarms; only `metric`, `target`, `warmup` and `scale_in` apply";

pub(super) fn lower_policy<'a>(
    cx: &mut Cx<'a, '_>,
    group_phys: &PhysName,
    p: &'a ast::PolicyDecl,
    target_groups: &Option<ListValue>,
    collected: &[String],
) -> Option<Policy> {
    let _ = target_groups;
    let kind = p.kind.name.as_str();
    if !POLICY_KINDS.contains(&kind) {
        unknown_policy_kind(cx, p, kind);
        return None;
    }
    let physical_name = policy_name(cx, group_phys, p);
    if kind != "step"
        && let Some(s) = p.steps.first()
    {
        cx.diags.push(
            Diagnostic::error(
                codes::WRONG_POLICY_PROPERTY,
                format!("a {kind} policy has no steps"),
                s.span,
                "steps belong to step policies",
            )
            .with_label(p.kind.span, "declared here")
            .with_help("change the kind to `step`, or remove the steps"),
        );
    }
    // Known to be one of `POLICY_KINDS` here; named in diagnostics only.
    let what = match kind {
        "target_tracking" => "a target-tracking policy",
        "step" => "a step policy",
        "simple" => "a simple policy",
        _ => "a predictive policy",
    };
    let result = match kind {
        "predictive" => predictive(cx, p)??,
        "target_tracking" => target_tracking(cx, p, what, collected)?,
        "step" => step_policy(cx, p, what, collected)?,
        _ => simple_policy(cx, p, what, collected)?,
    };
    Some(Policy {
        name: p.name.name.clone(),
        physical_name,
        kind: result,
        cooldowns: Default::default(),
        origin: p.name.span,
    })
}

/// Reports a policy kind scalec doesn't know, with the likeliest one.
fn unknown_policy_kind(cx: &mut Cx, p: &ast::PolicyDecl, kind: &str) {
    let help = match kind {
        "target" | "tracking" | "target_tracking_scaling" => {
            Some("did you mean `target_tracking`?".to_string())
        }
        "step_scaling" | "steps" => Some("did you mean `step`?".to_string()),
        "simple_scaling" => Some("did you mean `simple`?".to_string()),
        "forecast" | "predictive_scaling" => Some("did you mean `predictive`?".to_string()),
        _ => suggest::did_you_mean(kind, POLICY_KINDS.iter().copied()),
    }
    .unwrap_or_else(|| "a policy is `target_tracking`, `step`, `simple` or `predictive`".into());
    cx.diags.push(
        Diagnostic::error(
            codes::UNKNOWN_POLICY_KIND,
            format!("unknown policy kind `{kind}`"),
            p.kind.span,
            "not a policy kind",
        )
        .with_help(help),
    );
}

/// The policy's AWS name, short enough for its alarm's name too.
fn policy_name<'a>(cx: &mut Cx<'a, '_>, group_phys: &PhysName, p: &'a ast::PolicyDecl) -> String {
    let physical_name = aws_name(
        cx,
        &p.properties,
        group_phys.child(&p.name.name, p.name.span, "the policy's name"),
    );
    rules::check_name(
        NameCheck {
            name: &physical_name,
            what: "scaling policy",
            // Its alarm is named after it with `-alarm`.
            max: C::POLICY_NAME
                .max_chars()
                .min(C::ALARM_NAME.max_chars() - model::POLICY_ALARM_SUFFIX.len()),
            alnum_plus: None,
        },
        p.name.span,
        cx.diags,
    );
    physical_name.text
}

/// A target-tracking policy: a metric that falls as instances are added
/// (or math over metrics), the target it is kept near, warmup and scale-in.
fn target_tracking<'a>(
    cx: &mut Cx<'a, '_>,
    p: &'a ast::PolicyDecl,
    what: &str,
    collected: &[String],
) -> Option<PolicyKind> {
    let wp = codes::WRONG_POLICY_PROPERTY;
    let mut elsewhere = vec![
        ("cooldown", wp, COOLDOWN_HELP_TT),
        ("period", wp, ALARM_HELP_TT),
        ("evaluate", wp, ALARM_HELP_TT),
        ("datapoints", wp, ALARM_HELP_TT),
        ("statistic", wp, ALARM_HELP_TT),
        (
            "when",
            wp,
            "target tracking has no condition: it keeps `metric` near `target`",
        ),
        (
            "adjust",
            wp,
            "target tracking computes its own adjustments from `target`",
        ),
        (
            "min_magnitude",
            wp,
            "`min_magnitude` applies to percent-change step and simple policies",
        ),
    ];
    let keys = policy_keys(cx, TRACKING_KEYS, &mut elsewhere);
    let props = by_key(&p.properties, &keys, &elsewhere, what, cx.diags);
    if !enabled(cx, &props) {
        return None;
    }
    let metric_p = require(cx, &props, "metric", "ec2.cpu", &p.name)?;
    let target_p = require(cx, &props, "target", "60%", &p.name);
    let resolved = cx.resolve(&metric_p.value)?;
    if is_math(resolved) {
        let (metric, math) = tracked_math(cx, resolved, collected)?;
        let target = cx.expect_quantity(&target_p?.value, metric.unit)?;
        if target <= 0.0 {
            cx.diags.push(
                Diagnostic::error(
                    codes::TARGET_RANGE,
                    format!(
                        "a target of {} can never be tracked",
                        units::show(target, metric.unit)
                    ),
                    target_p.map(|t| t.value.span).unwrap_or(p.name.span),
                    "out of range",
                )
                .with_help("the target must be above zero"),
            );
            return None;
        }
        let (warmup, scale_in) = warmup_and_scale_in(cx, &props);
        return Some(PolicyKind::TargetTracking {
            metric,
            math,
            target,
            disable_scale_in: !scale_in,
            warmup,
        });
    }
    cx.tracking = true;
    let read = cx.expect_metric(&metric_p.value);
    cx.tracking = false;
    let (metric, def) = read?;
    trackable(cx, def, metric_p)?;
    let target = cx.expect_quantity(&target_p?.value, metric.unit)?;
    let tspan = target_p.map(|p| p.value.span).unwrap_or(p.name.span);
    tracking_target(cx, &metric, target, tspan)?;
    let (warmup, scale_in) = warmup_and_scale_in(cx, &props);
    Some(PolicyKind::TargetTracking {
        metric,
        math: None,
        target,
        disable_scale_in: !scale_in,
        warmup,
    })
}

/// A target-tracking policy's `warmup`, and whether it scales in
/// (`scale_in`, true unless said).
fn warmup_and_scale_in<'a>(
    cx: &mut Cx<'a, '_>,
    props: &crate::check::eval::Props<'a>,
) -> (Option<u32>, bool) {
    let warmup = props
        .get("warmup")
        .and_then(|x| cx.expect_seconds(&x.value, &C::POLICY_WARMUP));
    let scale_in = props
        .get("scale_in")
        .and_then(|x| cx.expect_bool(&x.value))
        .unwrap_or(true);
    (warmup, scale_in)
}

/// Whether target tracking can follow a declared metric: one that falls
/// as instances are added (else an error); a note when the CloudWatch
/// agent publishes it.
fn trackable(cx: &mut Cx, def: &crate::check::MetricDef, metric_p: &ast::Property) -> Option<()> {
    if !def.trackable || def.group_metric {
        let help = match &def.instead {
            Some(i) => format!(
                "target tracking needs a metric that falls as instances are added; use `{i}` instead, or a step policy"
            ),
            None => "target tracking needs a metric that falls as instances are added; use a step policy for this one".into(),
        };
        cx.diags.push(
            Diagnostic::error(
                codes::NOT_TRACKABLE,
                format!("target tracking can't use `{}`", def.key),
                metric_p.value.span,
                "does not scale with capacity",
            )
            .with_label(def.span, "declared here")
            .with_help(help),
        );
        return None;
    }
    if def.agent {
        cx.diags.push(
            Diagnostic::note(
                codes::AGENT_METRIC,
                format!("`{}` is published by the CloudWatch agent, not by EC2", def.key),
                metric_p.value.span,
                format!("{}/{}", def.namespace, def.name),
            )
            .with_help("install the CloudWatch agent through the launch template and publish the metric with the `AutoScalingGroupName` dimension, or this policy never sees data"),
        );
    }
    Some(())
}

/// Whether a target can be tracked: above zero, and a percentage at most
/// 100% (else an error); a warning under 1%.
fn tracking_target(cx: &mut Cx, metric: &Metric, target: f64, tspan: Span) -> Option<()> {
    let bad = match metric.unit {
        Unit::Percent => target <= 0.0 || target > 100.0,
        _ => target <= 0.0,
    };
    if bad {
        cx.diags.push(
            Diagnostic::error(
                codes::TARGET_RANGE,
                format!(
                    "a target of {} can never be tracked",
                    units::show(target, metric.unit)
                ),
                tspan,
                "out of range",
            )
            .with_help(if metric.unit == Unit::Percent {
                "a percentage target must be above 0% and at most 100%"
            } else {
                "the target must be above zero"
            }),
        );
        return None;
    }
    // Under 1%, target tracking adds instances until the metric is almost
    // nothing: a fraction written as a percentage (`0.55%` for 55%) more
    // likely than a wish.
    if metric.unit == Unit::Percent && target < 1.0 {
        cx.diags.push(
            Diagnostic::warning(
                codes::TARGET_RANGE,
                format!(
                    "a target of {} holds `{}` under 1%: the group grows until it is all but idle",
                    units::show(target, metric.unit),
                    metric.key
                ),
                tspan,
                "under 1%",
            )
            .with_help(format!(
                "did you mean `{}`? A percentage is written whole: 55% is `55%`",
                units::show(target * 100.0, metric.unit)
            )),
        );
    }
    Some(())
}

/// A step policy: its metric and statistic, its steps held to AWS's
/// rules, its alarm's window, minimum magnitude, aggregation and warmup.
fn step_policy<'a>(
    cx: &mut Cx<'a, '_>,
    p: &'a ast::PolicyDecl,
    what: &str,
    collected: &[String],
) -> Option<PolicyKind> {
    let wp = codes::WRONG_POLICY_PROPERTY;
    let mut elsewhere = vec![
        ("cooldown", wp, COOLDOWN_HELP_STEP),
        (
            "target",
            wp,
            "`target` belongs to target-tracking policies; a step policy scales by its steps",
        ),
        (
            "scale_in",
            wp,
            "`scale_in` belongs to target-tracking policies",
        ),
        (
            "when",
            wp,
            "a step policy's condition is its steps: write ranges such as `50%..70% => +1`",
        ),
        (
            "adjust",
            wp,
            "a step policy's adjustments are in its steps: `50%..70% => +1`",
        ),
    ];
    let keys = policy_keys(cx, STEP_KEYS, &mut elsewhere);
    let props = by_key(&p.properties, &keys, &elsewhere, what, cx.diags);
    if !enabled(cx, &props) {
        return None;
    }
    let metric_p = require(cx, &props, "metric", "ec2.cpu", &p.name)?;
    let (mut metric, _) = cx.expect_metric(&metric_p.value)?;
    if let Some(s) = props.get("statistic") {
        let names: Vec<&str> = crate::check::metric_decl::STATISTICS
            .iter()
            .map(|(n, _)| *n)
            .collect();
        metric.statistic =
            crate::check::metric_decl::STATISTICS[cx.expect_word(&s.value, "statistic", &names)?].1;
    }
    let abs = written_steps(cx, p, metric.unit)?;
    if let Some(first) = abs.first()
        && abs
            .iter()
            .all(|s| s.adjustment == 0 && s.kind != AdjustmentType::ExactCapacity)
    {
        cx.diags.push(does_nothing(&p.name.name, first.adj_span));
    }
    let (threshold, direction, adjustment_type, mut steps) =
        rules::lower_steps(&abs, metric.unit, p.span, cx.diags)?;
    let (period, evaluate, datapoints, missing) = window(cx, &props, None)?;
    let factor = metric.rate_factor(period);
    for s in &mut steps {
        s.lower = s.lower.map(|v| v * factor);
        s.upper = s.upper.map(|v| v * factor);
    }
    let min_mag = min_magnitude(cx, &props, adjustment_type);
    let aggregation = match props.get("aggregation") {
        Some(a) => [
            Aggregation::Average,
            Aggregation::Minimum,
            Aggregation::Maximum,
        ][cx.expect_word(&a.value, "aggregation", &["average", "minimum", "maximum"])?],
        None => Aggregation::Average,
    };
    let warmup = props
        .get("warmup")
        .and_then(|x| cx.expect_seconds(&x.value, &C::POLICY_WARMUP));
    note_uncollected(cx, &metric, collected, metric_p.value.span);
    Some(PolicyKind::Step {
        alarm: AlarmSpec {
            query: MetricQuery::Single { metric },
            comparison: match direction {
                Direction::Out => Comparison::GreaterThanOrEqualToThreshold,
                Direction::In => Comparison::LessThanOrEqualToThreshold,
            },
            threshold: threshold * factor,
            period,
            evaluation_periods: evaluate,
            datapoints_to_alarm: datapoints,
            missing_data: missing,
        },
        direction,
        adjustment_type,
        steps,
        min_adjustment_magnitude: min_mag,
        aggregation,
        warmup,
    })
}

/// A step policy's steps as written, bounds in the metric's unit; none
/// when any bound or adjustment is wrong (each reported).
fn written_steps<'a>(
    cx: &mut Cx<'a, '_>,
    p: &'a ast::PolicyDecl,
    unit: Unit,
) -> Option<Vec<AbsStep>> {
    let mut abs = Vec::new();
    let mut ok = true;
    for s in &p.steps {
        let lower = match &s.lower {
            Some(l) => match cx.expect_quantity(l, unit) {
                Some(v) => Some(v),
                None => {
                    ok = false;
                    None
                }
            },
            None => None,
        };
        let upper = match &s.upper {
            Some(u) => match cx.expect_quantity(u, unit) {
                Some(v) => Some(v),
                None => {
                    ok = false;
                    None
                }
            },
            None => None,
        };
        match adjustment(cx, &s.adjustment) {
            Some((kind, adj)) => abs.push(AbsStep {
                lower,
                upper,
                adjustment: adj,
                kind,
                span: s.span,
                range_span: s.range_span,
                adj_span: s.adjustment.span,
            }),
            None => ok = false,
        }
    }
    ok.then_some(abs)
}

/// A simple policy: its condition and alarm window, adjustment, cooldown
/// and minimum magnitude.
fn simple_policy<'a>(
    cx: &mut Cx<'a, '_>,
    p: &'a ast::PolicyDecl,
    what: &str,
    collected: &[String],
) -> Option<PolicyKind> {
    let wp = codes::WRONG_POLICY_PROPERTY;
    let props = by_key(
        &p.properties,
        SIMPLE_KEYS,
        &[
            (
                "warmup",
                wp,
                "simple scaling waits for its `cooldown` instead of a warmup",
            ),
            ("target", wp, "`target` belongs to target-tracking policies"),
            (
                "metric",
                wp,
                "a simple policy's metric is in its condition: `when = ec2.cpu > 80%`",
            ),
            ("aggregation", wp, "`aggregation` applies to step policies"),
        ],
        what,
        cx.diags,
    );
    if !enabled(cx, &props) {
        return None;
    }
    let when = require(cx, &props, "when", "ec2.cpu > 80%", &p.name);
    let adjust = require(cx, &props, "adjust", "+1", &p.name);
    let (period, evaluate, datapoints, missing) = window(cx, &props, None)?;
    let (query, comparison, threshold) = condition(cx, &when?.value, period, collected)?;
    let adjust = adjust?;
    let (adjustment_type, adj) = adjustment(cx, &adjust.value)?;
    if adj == 0 && adjustment_type != AdjustmentType::ExactCapacity {
        cx.diags.push(does_nothing(&p.name.name, adjust.value.span));
    }
    let cooldown = props
        .get("cooldown")
        .and_then(|x| cx.expect_seconds(&x.value, &C::POLICY_COOLDOWN));
    let min_mag = min_magnitude(cx, &props, adjustment_type);
    Some(PolicyKind::Simple {
        alarm: AlarmSpec {
            query,
            comparison,
            threshold,
            period,
            evaluation_periods: evaluate,
            datapoints_to_alarm: datapoints,
            missing_data: missing,
        },
        adjustment_type,
        adjustment: adj,
        cooldown,
        min_adjustment_magnitude: min_mag,
    })
}

/// Rate metrics read with `sum` count events per period; thresholds written
/// per minute are scaled to the period.
pub(super) fn min_magnitude<'a>(
    cx: &mut Cx<'a, '_>,
    props: &crate::check::eval::Props<'a>,
    kind: AdjustmentType,
) -> Option<u32> {
    let p = props.get("min_magnitude")?;
    let v = cx.expect_count(&p.value, &C::POLICY_MIN_MAGNITUDE)?;
    if kind != AdjustmentType::PercentChangeInCapacity {
        cx.diags.push(
            Diagnostic::error(
                codes::MIN_MAGNITUDE,
                "`min_magnitude` only applies to percent changes",
                p.key.span(),
                "no effect here",
            )
            .with_help("use percent adjustments such as `+20%`, or remove `min_magnitude`"),
        );
        return None;
    }
    if v < 1 {
        cx.diags.push(
            Diagnostic::error(
                codes::MIN_MAGNITUDE,
                "`min_magnitude` must be at least 1",
                p.value.span,
                "zero",
            )
            .with_help("set it to 1 or more instances"),
        );
        return None;
    }
    Some(v)
}

pub(super) fn adjustment<'a>(cx: &mut Cx<'a, '_>, e: &'a Expr) -> Option<(AdjustmentType, i32)> {
    let r = cx.resolve(e)?;
    let (kind, v) = match &r.kind {
        ExprKind::Signed {
            value,
            percent: false,
        } => (AdjustmentType::ChangeInCapacity, *value),
        ExprKind::Signed {
            value,
            percent: true,
        } => (AdjustmentType::PercentChangeInCapacity, *value),
        ExprKind::Exactly { value } => (AdjustmentType::ExactCapacity, *value),
        ExprKind::Number { value } => {
            cx.diags.push(
                Diagnostic::error(
                    codes::BAD_ADJUSTMENT,
                    format!("`{value}` is ambiguous as an adjustment"),
                    r.span,
                    "add or set?",
                )
                .with_help(format!(
                    "write `+{value}` to add instances, or `exactly {value}` to set the capacity"
                )),
            );
            return None;
        }
        _ => {
            cx.diags.push(
                mismatch(r, "an adjustment such as `+1`, `-1`, `+20%` or `exactly 4`")
                    .with_help("write `+N`/`-N` to add or remove instances, `+N%` for a percentage, `exactly N` to set capacity"),
            );
            return None;
        }
    };
    if v.fract() != 0.0 {
        cx.diags.push(
            Diagnostic::error(
                codes::NOT_INTEGER,
                "an adjustment must be a whole number",
                r.span,
                "not whole",
            )
            .with_help("AWS adjusts capacity in whole instances or whole percent"),
        );
        return None;
    }
    // ScalingAdjustment is a 32-bit integer.
    let (min, max) = C::POLICY_ADJUSTMENT.int_range();
    let Some(whole) = i32::try_from(v as i64)
        .ok()
        .filter(|w| (min..=max).contains(&i64::from(*w)) && (v as i64) as f64 == v)
    else {
        cx.diags.push(
            Diagnostic::error(
                codes::RANGE,
                format!(
                    "`{}` is too large for AWS's `ScalingAdjustment`, which takes {min} to {max}",
                    units::show(v, Unit::Count)
                ),
                r.span,
                "out of range",
            )
            .with_help("adjust by fewer instances or a smaller percentage"),
        );
        return None;
    };
    // Zero is AWS's: a step of zero is a dead band (the user guide's own
    // step-scaling example has one). A policy of nothing but zeros is
    // warned about where it is lowered.
    Some((kind, whole))
}

/// A policy whose every adjustment is zero: AWS takes it, and it never
/// changes capacity.
fn does_nothing(policy: &str, span: Span) -> Diagnostic {
    Diagnostic::warning(
        codes::BAD_ADJUSTMENT,
        format!("policy `{policy}` adjusts capacity by zero: it never changes the group"),
        span,
        "zero",
    )
    .with_help("a zero step is a dead band between others; give the policy a non-zero adjustment, or remove it")
}

/// Whether a tracked metric is metric math rather than one metric:
/// arithmetic, or a math function (`rate(...)`, `abs(...)`).
fn is_math(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Binary { .. } => true,
        ExprKind::Call { path, .. } => path.segments.len() == 1,
        _ => false,
    }
}

/// The metric-math expression a target-tracking policy tracks, e.g. queue
/// backlog per instance: `sqs.visible(param.queue) / group.in_service`.
/// AWS's rules: it returns one time series (scalec's math always does),
/// reads at most 10 metrics, and group metrics need collecting.
fn tracked_math<'a>(
    cx: &mut Cx<'a, '_>,
    e: &'a Expr,
    collected: &[String],
) -> Option<(Metric, Option<MetricQuery>)> {
    let (m, unit) = cx.expect_metric_expr(e)?;
    if matches!(m, eval::MExpr::Const(_)) {
        cx.diags.push(
            mismatch(e, "a metric or metric math over metrics")
                .with_help("target tracking follows a metric: write e.g. `sqs.visible(param.queue) / group.in_service`"),
        );
        return None;
    }
    check_uncollected_expr(cx, &m, collected);
    let label = eval::describe_math(&m);
    let query = eval::to_query(m);
    let MetricQuery::Math { .. } = &query else {
        // One metric with another statistic (`maximum(ec2.cpu)`): a
        // customized metric, never the predefined one.
        let MetricQuery::Single { mut metric } = query else {
            return None;
        };
        metric.predefined = None;
        return Some((metric, None));
    };
    // Target tracking labels the expression with the spec's words.
    let fits = math_fits(
        cx,
        &query,
        &label,
        e.span,
        MathRows {
            queries: &C::POLICY_TT_QUERIES,
            expression: &C::POLICY_TT_QUERY_EXPRESSION,
            label: &C::POLICY_TT_QUERY_LABEL,
        },
        "track fewer metrics, or publish the combination as one metric",
    );
    if !fits {
        return None;
    }
    let metric = Metric {
        key: label,
        namespace: String::new(),
        name: String::new(),
        dimensions: vec![],
        unit,
        statistic: Statistic::Average,
        predefined: None,
    };
    Some((metric, Some(query)))
}

pub(super) fn cross_check_tracking<'a>(
    cx: &mut Cx<'a, '_>,
    policies: &[Policy],
    target_groups: Option<&ListValue>,
    g: &'a ast::GroupDecl,
) {
    let tt: Vec<(&Policy, &Metric)> = policies
        .iter()
        .filter_map(|p| match &p.kind {
            PolicyKind::TargetTracking { metric, .. } => Some((p, metric)),
            _ => None,
        })
        .collect();
    for (i, (p, m)) in tt.iter().enumerate() {
        for (q, n) in &tt[..i] {
            // Metric math has no namespace; its key is the expression.
            let same = if m.namespace.is_empty() || n.namespace.is_empty() {
                m.key == n.key
            } else {
                m.namespace == n.namespace && m.name == n.name && m.dimensions == n.dimensions
            };
            if same {
                cx.diags.push(
                    Diagnostic::error(
                        codes::DUPLICATE_TARGET_METRIC,
                        format!("policies `{}` and `{}` both track `{}`", q.name, p.name, m.key),
                        p.origin,
                        "second policy on this metric",
                    )
                    .with_label(q.origin, "first policy on this metric")
                    .with_help("AWS needs a different metric for each target-tracking policy: merge them into one"),
                );
            }
        }
        if let Some(Predefined {
            resource_label: Some((_, tg)),
            ..
        }) = &m.predefined
        {
            let attached = match target_groups {
                Some(ListValue::Items(items)) => items.contains(tg),
                Some(ListValue::Param(name)) => matches!(tg, Value::Param(x) if x == name),
                None => true,
            };
            if !attached {
                let shown = match tg {
                    Value::Param(n) => format!("param.{n}"),
                    Value::Literal(s) => format!("\"{s}\""),
                };
                cx.diags.push(
                    Diagnostic::error(
                        codes::TARGET_GROUP_NOT_ATTACHED,
                        format!("policy `{}` tracks requests to {shown}, which group `{}` doesn't attach", p.name, g.name.name),
                        p.origin,
                        "tracks an unattached target group",
                    )
                    .with_label(g.name.span, "this group")
                    .with_help(format!("add {shown} to the group's `target_groups`, or track the target group the group serves")),
                );
            }
        }
    }
}

/// The key lists of a policy, adjusted for a scalable target: no
/// `warmup`, and Application Auto Scaling's cooldowns instead (target
/// tracking's two, step scaling's one). For a group, `keys` as they are.
fn policy_keys(
    cx: &Cx,
    keys: &[&'static str],
    elsewhere: &mut Vec<(&'static str, &'static str, &'static str)>,
) -> Vec<&'static str> {
    if cx.scalable.is_none() {
        return keys.to_vec();
    }
    let own = own_policy_keys(keys);
    elsewhere.retain(|(k, _, _)| !own.contains(k));
    elsewhere.push((
        "warmup",
        codes::WRONG_POLICY_PROPERTY,
        "Application Auto Scaling has no instance warmup: a scalable target's policies wait out their cooldowns (`scale_out_cooldown`, `scale_in_cooldown`; a step policy's `cooldown`)",
    ));
    target_policy_keys(keys)
}

/// Application Auto Scaling's own keys of a policy whose group keys are
/// `keys`: step scaling's cooldown, else target tracking's two.
fn own_policy_keys(keys: &[&str]) -> &'static [&'static str] {
    if keys.contains(&"aggregation") {
        &["cooldown"]
    } else {
        &["scale_out_cooldown", "scale_in_cooldown"]
    }
}

/// A scalable target's policy keys, from a group policy's `keys`: no
/// `warmup`, Application Auto Scaling's cooldowns instead.
pub(crate) fn target_policy_keys(keys: &[&'static str]) -> Vec<&'static str> {
    keys.iter()
        .copied()
        .filter(|k| *k != "warmup")
        .chain(own_policy_keys(keys).iter().copied())
        .collect()
}
