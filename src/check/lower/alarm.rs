//! Lowering alarms and the conditions and evaluation windows that step
//! and simple policies share with them.

use super::*;

pub(super) const TIERS: &[&str] = &["critical", "warning", "info"];

/// The properties of an alarm.
pub(crate) const ALARM_KEYS: &[&str] = &[
    "when",
    "for",
    "period",
    "evaluate",
    "datapoints",
    "missing",
    "description",
    "notify",
    "enabled",
    "name",
];

pub(super) const MISSING: &[&str] = &["missing", "breaching", "not_breaching", "ignore"];

/// period, evaluate, datapoints, missing, with `for` as a shorthand.
pub(super) fn window<'a>(
    cx: &mut Cx<'a, '_>,
    props: &crate::check::eval::Props<'a>,
    default_period: Option<u32>,
) -> Option<(u32, u32, u32, MissingData)> {
    let period_p = props.get("period");
    let period = match period_p {
        Some(p) => cx.expect_seconds(&p.value, &C::ALARM_PERIOD)?,
        None => default_period.unwrap_or(60),
    };
    let pspan = period_p.map(|p| p.value.span);
    let evaluate_p = props.get("evaluate");
    let for_p = props.get("for");
    let evaluate = match (evaluate_p, for_p) {
        (Some(e), Some(f)) => {
            cx.diags.push(
                Diagnostic::error(codes::ALARM_FOR, "`for` and `evaluate` both set the evaluation window", f.key.span(), "`for` here")
                    .with_label(e.key.span(), "`evaluate` here")
                    .with_help("use `for = 10m` (a duration) or `evaluate = 10` (a number of periods), not both"),
            );
            return None;
        }
        (Some(e), None) => cx.expect_count(&e.value, &C::ALARM_EVALUATE)?,
        (None, Some(f)) => {
            // `for` is Period x EvaluationPeriods, which AWS caps at the
            // longest period.
            let total = cx.expect_seconds(&f.value, &C::ALARM_PERIOD)?;
            if period == 0 || total % period != 0 || total == 0 {
                cx.diags.push(
                    Diagnostic::error(
                        codes::ALARM_FOR,
                        format!("`for` of {total}s is not a whole number of {period}s periods"),
                        f.value.span,
                        "not a multiple of the period",
                    )
                    .with_help("make `for` a multiple of `period`"),
                );
                return None;
            }
            total / period
        }
        (None, None) => 1,
    };
    let espan = evaluate_p.or(for_p).map(|p| p.value.span).or(pspan);
    let dp = props.get("datapoints");
    let datapoints = match dp {
        Some(d) => cx.expect_count(&d.value, &C::ALARM_DATAPOINTS)?,
        None => evaluate,
    };
    let missing = match props.get("missing") {
        Some(m) => [
            MissingData::Missing,
            MissingData::Breaching,
            MissingData::NotBreaching,
            MissingData::Ignore,
        ][cx.expect_word(&m.value, "missing-data treatment", MISSING)?],
        None => MissingData::Missing,
    };
    // Spans for diagnostics: fall back to whatever was written.
    let any = props.values().next().map(|p| p.span);
    let ps = pspan.or(espan).or(any);
    let es = espan.or(ps);
    let ds = dp.map(|d| d.value.span).or(es);
    if let (Some(ps), Some(es), Some(ds)) = (ps, es, ds)
        && !rules::check_window((period, ps), (evaluate, es), (datapoints, ds), cx.diags)
    {
        return None;
    }
    Some((period, evaluate, datapoints, missing))
}

/// `metric OP threshold` -> query, comparison, threshold in the metric's
/// reported unit.
pub(super) fn condition<'a>(
    cx: &mut Cx<'a, '_>,
    e: &'a Expr,
    period: u32,
    collected: &[String],
) -> Option<(MetricQuery, Comparison, f64)> {
    let r = cx.resolve(e)?;
    let ExprKind::Compare { op, lhs, rhs, .. } = &r.kind else {
        cx.diags.push(
            mismatch(r, "a condition such as `ec2.cpu > 80%`")
                .with_help("write `METRIC > THRESHOLD` (or `>=`, `<`, `<=`)"),
        );
        return None;
    };
    if is_constant(rhs) && !is_constant(lhs) {
        // the normal form
    } else if is_constant(lhs) {
        cx.diags.push(
            Diagnostic::error(
                codes::ALARM_CONDITION,
                "the metric must be on the left of the comparison",
                r.span,
                "threshold on the left",
            )
            .with_help("write `METRIC > THRESHOLD`, e.g. `ec2.cpu > 80%`"),
        );
        return None;
    }
    let (m, unit) = cx.expect_metric_expr(lhs)?;
    let threshold = cx.expect_quantity(rhs, unit)?;
    // A threshold relative to the group's capacity becomes metric math on
    // the group's size metrics, so it stays right when a scheduled action
    // or a console edit changes min or max at run time.
    let (m, threshold) = match (capacity_relative(cx, rhs), &m) {
        (Some((percent, size_metric)), eval::MExpr::Metric(metric, _))
            if metric.namespace == "AWS/AutoScaling" =>
        {
            let size = eval::MExpr::Metric(size_metric, rhs.span);
            match percent {
                None => (
                    eval::MExpr::Bin(ast::BinOp::Sub, Box::new(m), Box::new(size)),
                    0.0,
                ),
                Some(p) => (
                    eval::MExpr::Bin(
                        ast::BinOp::Mul,
                        Box::new(eval::MExpr::Const(100.0)),
                        Box::new(eval::MExpr::Bin(
                            ast::BinOp::Div,
                            Box::new(m),
                            Box::new(size),
                        )),
                    ),
                    p,
                ),
            }
        }
        _ => (m, threshold),
    };
    check_uncollected_expr(cx, &m, collected);
    let query = eval::to_query(m);
    if let MetricQuery::Math { expression, .. } = &query {
        let fits = math_fits(
            cx,
            &query,
            expression,
            lhs.span,
            MathRows {
                queries: &C::ALARM_QUERIES,
                expression: &C::ALARM_QUERY_EXPRESSION,
                label: &C::ALARM_QUERY_LABEL,
            },
            "split the condition over several alarms",
        );
        if !fits {
            return None;
        }
    }
    let factor = match &query {
        MetricQuery::Single { metric } => metric.rate_factor(period),
        MetricQuery::Math { .. } => 1.0,
    };
    let comparison = match op {
        CmpOp::Gt => Comparison::GreaterThanThreshold,
        CmpOp::Ge => Comparison::GreaterThanOrEqualToThreshold,
        CmpOp::Lt => Comparison::LessThanThreshold,
        CmpOp::Le => Comparison::LessThanOrEqualToThreshold,
    };
    Some((query, comparison, threshold * factor))
}

/// `capacity.max` -> (None, GroupMaxSize); `80% of capacity.max` ->
/// (Some(80), GroupMaxSize). Anything else -> None.
pub(super) fn capacity_relative<'a>(
    cx: &mut Cx<'a, '_>,
    e: &'a Expr,
) -> Option<(Option<f64>, Metric)> {
    let r = cx.resolve(e)?;
    let (percent, whole) = match &r.kind {
        ExprKind::Of { fraction, whole } => match cx.resolve(fraction).map(|f| &f.kind) {
            Some(ExprKind::Quantity { value, unit, .. }) if unit == "%" => {
                (Some(*value), cx.resolve(whole)?)
            }
            _ => return None,
        },
        ExprKind::Path { .. } => (None, r),
        _ => return None,
    };
    let ExprKind::Path { path } = &whole.kind else {
        return None;
    };
    if path.segments.len() != 2 || path.segments[0].name != "capacity" {
        return None;
    }
    let key = match path.segments[1].name.as_str() {
        "max" => "group.max_size",
        "min" => "group.min_size",
        "desired" => "group.desired",
        _ => return None,
    };
    let def = cx.decls.metrics.get(key)?;
    Some((
        percent,
        Metric {
            key: def.key.clone(),
            namespace: def.namespace.clone(),
            name: def.name.clone(),
            dimensions: vec![("AutoScalingGroupName".into(), DimensionValue::GroupName)],
            unit: def.unit,
            statistic: def.statistic,
            predefined: None,
        },
    ))
}

pub(super) fn is_constant(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Number { .. }
        | ExprKind::Quantity { .. }
        | ExprKind::Match { .. }
        | ExprKind::Of { .. } => true,
        ExprKind::Path { path } => matches!(path.segments[0].name.as_str(), "env" | "capacity"),
        ExprKind::Binary { lhs, rhs, .. } => is_constant(lhs) && is_constant(rhs),
        _ => false,
    }
}

pub(super) fn check_uncollected_expr<'a>(
    cx: &mut Cx<'a, '_>,
    m: &eval::MExpr,
    collected: &[String],
) {
    match m {
        eval::MExpr::Metric(metric, span) => note_uncollected(cx, metric, collected, *span),
        eval::MExpr::Func(_, inner, _) => check_uncollected_expr(cx, inner, collected),
        eval::MExpr::Bin(_, l, r) => {
            check_uncollected_expr(cx, l, collected);
            check_uncollected_expr(cx, r, collected);
        }
        eval::MExpr::Const(_) => {}
    }
}

pub(super) fn note_uncollected<'a>(
    cx: &mut Cx<'a, '_>,
    metric: &Metric,
    collected: &[String],
    span: Span,
) {
    if metric.namespace == "AWS/AutoScaling" && !collected.contains(&metric.name) {
        cx.diags.push(
            Diagnostic::warning(
                codes::METRIC_NOT_COLLECTED,
                format!(
                    "`{}` is a group metric, but the group doesn't collect `{}`",
                    metric.key, metric.name
                ),
                span,
                "no data unless collected",
            )
            .with_help("add `metrics = all` to the group, or list this metric"),
        );
    }
}

pub(super) fn lower_alarm<'a>(
    cx: &mut Cx<'a, '_>,
    group_name: &str,
    group_phys: &PhysName,
    a: &'a ast::AlarmDecl,
    topics: &[&str],
    collected: &[String],
) -> Option<Alarm> {
    let props = by_key(&a.body.properties, ALARM_KEYS, &[], "an alarm", cx.diags);
    let tier = match a.tier.name.as_str() {
        "critical" => Tier::Critical,
        "warning" => Tier::Warning,
        "info" => Tier::Info,
        other => {
            cx.diags.push(unknown_variant(
                other,
                a.tier.span,
                "tier",
                TIERS.iter().copied(),
            ));
            return None;
        }
    };
    if !enabled(cx, &props) {
        return None;
    }
    let mut alarm_topics = Vec::new();
    if topics.contains(&a.tier.name.as_str()) {
        alarm_topics.push(a.tier.name.clone());
    } else {
        cx.diags
            .push(undefined_topic(&a.tier, topics).with_help(format!(
                "a `{}` alarm notifies the topic `{}`: declare `topic {} {{ ... }}`",
                a.tier.name, a.tier.name, a.tier.name
            )));
    }
    if let Some(n) = props.get("notify") {
        for e in cx.expect_list(&n.value).unwrap_or_default() {
            match &e.kind {
                ExprKind::Path { path } if path.segments.len() == 1 => {
                    let id = &path.segments[0];
                    if topics.contains(&id.name.as_str()) {
                        if !alarm_topics.contains(&id.name) {
                            alarm_topics.push(id.name.clone());
                        }
                    } else {
                        cx.diags.push(undefined_topic(id, topics));
                    }
                }
                _ => cx.diags.push(mismatch(e, "a topic name")),
            }
        }
        if alarm_topics.len() > 5 {
            cx.diags.push(
                Diagnostic::error(
                    codes::ALARM_ACTIONS,
                    format!(
                        "this alarm notifies {} topics; CloudWatch allows 5 actions per state",
                        alarm_topics.len()
                    ),
                    n.value.span,
                    "too many actions",
                )
                .with_help("notify at most 5 topics; fan out with SNS subscriptions instead"),
            );
            return None;
        }
    }
    let when = require(cx, &props, "when", "ec2.cpu > 85%", &a.name)?;
    let (period, evaluate, datapoints, missing) = window(cx, &props, None)?;
    let (query, comparison, threshold) = condition(cx, &when.value, period, collected)?;
    let description = props
        .get("description")
        .and_then(|d| cx.expect_string(&d.value));
    let physical_name = aws_name(
        cx,
        &a.body.properties,
        group_phys.child(&a.name.name, a.name.span, "the alarm's name"),
    );
    rules::check_name(
        NameCheck {
            name: &physical_name,
            what: "alarm",
            max: C::ALARM_NAME.max_chars(),
            alnum_plus: None,
        },
        a.name.span,
        cx.diags,
    );
    let physical_name = physical_name.text;
    let alarm = Alarm {
        name: a.name.name.clone(),
        physical_name,
        tier,
        spec: AlarmSpec {
            query,
            comparison,
            threshold,
            period,
            evaluation_periods: evaluate,
            datapoints_to_alarm: datapoints,
            missing_data: missing,
        },
        topics: alarm_topics,
        description,
        origin: a.name.span,
    };
    // AlarmDescription: 0-1024 characters with scalec's `[tier]` prefix,
    // no control characters. scalec's own text (no description) is short.
    if alarm.description.is_none() {
        return Some(alarm);
    }
    let text = alarm.description_text(group_name);
    let length = text.chars().count();
    let span = props
        .get("description")
        .map_or(a.name.span, |d| d.value.span);
    if length > C::ALARM_DESCRIPTION.max_chars() {
        cx.diags.push(
            Diagnostic::error(
                codes::TOO_LONG,
                format!(
                    "this description makes an AlarmDescription of {length} characters with its `[{}] ` prefix; CloudWatch takes at most {}",
                    alarm.tier.name(),
                    C::ALARM_DESCRIPTION.max_chars()
                ),
                span,
                "too long",
            )
            .with_help(format!(
                "shorten it to {} characters",
                C::ALARM_DESCRIPTION.max_chars() - (length - alarm.description.as_deref().map_or(0, |d| d.chars().count()))
            )),
        );
        return None;
    }
    if !C::Shape::NoControl.accepts(&text) {
        cx.diags.push(
            Diagnostic::error(codes::BAD_VALUE, "this description has a control character", span, "control character")
                .with_help("CloudWatch takes no control characters (such as tabs or newlines) in an alarm description"),
        );
        return None;
    }
    Some(alarm)
}
