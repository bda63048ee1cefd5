//! Lowering a predictive scaling policy (`policy NAME predictive { ... }`):
//! exactly one metric specification (a predefined pair from a metric
//! target tracking knows, or a custom scaling metric with its load
//! metric), the target, the mode (AWS's default: forecast only), the
//! scheduling buffer (0 to 1 hour) and what happens at the group's
//! maximum (a breach buffer only with `increase`).

use super::*;
use crate::kinds::group::PREDICTIVE_PAIRS as PAIRS;
use crate::kinds::group::{PREDICTIVE_MODE_NAMES, PREDICTIVE_MODES};

pub(super) const PREDICTIVE_KEYS: &[&str] = &[
    "metric",
    "load",
    "target",
    "mode",
    "buffer",
    "max_capacity",
    "enabled",
    "name",
];

pub(super) fn predictive<'a>(
    cx: &mut Cx<'a, '_>,
    p: &'a ast::PolicyDecl,
) -> Option<Option<PolicyKind>> {
    let wp = codes::WRONG_POLICY_PROPERTY;
    let props = by_key(
        &p.properties,
        PREDICTIVE_KEYS,
        &[
            (
                "cooldown",
                wp,
                "predictive scaling launches ahead of the forecast; it has no cooldown",
            ),
            (
                "warmup",
                wp,
                "predictive scaling launches `buffer` ahead of need instead of waiting for warm-up",
            ),
            (
                "scale_in",
                wp,
                "predictive scaling never scales in: pair it with target tracking, which does",
            ),
        ],
        "a predictive policy",
        cx.diags,
    );
    if !enabled(cx, &props) {
        return Some(None);
    }
    let metric_p = require(cx, &props, "metric", "ec2.cpu", &p.name)?;
    if let ExprKind::List { items } = &metric_p.value.kind
        && items.len() != 1
    {
        cx.diags.push(
            Diagnostic::error(
                codes::PREDICTIVE,
                format!("a predictive policy takes exactly one metric specification, not {}", items.len()),
                metric_p.value.span,
                "one metric",
            )
            .with_help("AWS's PredictiveScalingConfiguration holds one MetricSpecification: split this into one policy per metric"),
        );
        return None;
    }
    let metric_e = match &metric_p.value.kind {
        ExprKind::List { items } => &items[0],
        _ => &metric_p.value,
    };
    let (metric, def) = cx.expect_metric(metric_e)?;
    let pair = metric
        .predefined
        .as_ref()
        .and_then(|pre| PAIRS.iter().find(|(tt, _)| *tt == pre.kind))
        .map(|(_, pair)| *pair);
    let spec = match (pair, props.get("load")) {
        (Some(kind), None) => PredictiveMetric::Pair {
            kind: kind.to_string(),
            resource_label: metric
                .predefined
                .as_ref()
                .and_then(|x| x.resource_label.clone()),
            metric: metric.clone(),
        },
        (Some(_), Some(l)) => {
            cx.diags.push(
                Diagnostic::error(
                    codes::PREDICTIVE,
                    format!(
                        "`{}` has a predefined load metric; `load` is only for custom metrics",
                        def.key
                    ),
                    l.key.span(),
                    "not needed",
                )
                .with_help("remove `load`: AWS pairs this metric with its own load metric"),
            );
            return None;
        }
        (None, Some(l)) => {
            let (load, _) = cx.expect_metric(&l.value)?;
            PredictiveMetric::Custom {
                scaling: metric.clone(),
                load,
            }
        }
        (None, None) => {
            cx.diags.push(
                Diagnostic::error(
                    codes::PREDICTIVE,
                    format!("`{}` has no predefined predictive pair: a custom metric needs its load metric", def.key),
                    metric_p.value.span,
                    "custom metric",
                )
                .with_help("add `load = ...`: the metric of the total load the group serves (the scaling metric is its per-instance share), or use `ec2.cpu`, `ec2.network_in`, `ec2.network_out` or `alb.requests_per_target(...)`"),
            );
            return None;
        }
    };
    let target_p = require(cx, &props, "target", "50%", &p.name)?;
    let target = cx.expect_quantity(&target_p.value, metric.unit)?;
    let bad = match metric.unit {
        Unit::Percent => target <= 0.0 || target > 100.0,
        _ => target <= 0.0,
    };
    if bad {
        cx.diags.push(
            Diagnostic::error(
                codes::TARGET_RANGE,
                format!(
                    "a target of {} can never be reached",
                    units::show(target, metric.unit)
                ),
                target_p.value.span,
                "out of range",
            )
            .with_help("the target must be above zero (and at most 100% for a percentage)"),
        );
        return None;
    }
    let mode = match props.get("mode") {
        Some(m) => {
            let words: Vec<&str> = PREDICTIVE_MODES.iter().map(|(w, _)| *w).collect();
            let i = cx.expect_word(&m.value, "predictive mode", &words)?;
            PREDICTIVE_MODE_NAMES[i]
        }
        None => "ForecastOnly",
    };
    let buffer = match props.get("buffer") {
        Some(b) => Some(cx.expect_seconds(&b.value, &C::POLICY_PRED_BUFFER)?),
        None => None,
    };
    let (breach, breach_buffer) = match props.get("max_capacity") {
        Some(m) => max_capacity(cx, &m.value)?,
        None => ("HonorMaxCapacity", None),
    };
    Some(Some(PolicyKind::Predictive {
        metric: spec,
        target,
        mode: mode.to_string(),
        buffer,
        max_capacity_breach: breach.to_string(),
        max_capacity_buffer: breach_buffer,
    }))
}

/// `honor`, or `increase` / `increase { buffer = 10% }`.
fn max_capacity<'a>(cx: &mut Cx<'a, '_>, e: &'a Expr) -> Option<(&'static str, Option<u32>)> {
    let r = cx.resolve(e)?;
    let (tag, block) = match &r.kind {
        ExprKind::Tagged { tag, block } => (tag, Some(block)),
        ExprKind::Path { path } if path.segments.len() == 1 => (&path.segments[0], None),
        _ => {
            cx.diags
                .push(mismatch(r, "`honor` or `increase { buffer = 10% }`"));
            return None;
        }
    };
    match tag.name.as_str() {
        "honor" => {
            if let Some(b) = block {
                cx.diags.push(
                    Diagnostic::error(
                        codes::PREDICTIVE,
                        "a capacity buffer only applies when the forecast may raise the maximum",
                        b.span,
                        "buffer with `honor`",
                    )
                    .with_help("AWS takes MaxCapacityBuffer only with IncreaseMaxCapacity: write `increase { buffer = 10% }`, or drop the buffer"),
                );
                return None;
            }
            Some(("HonorMaxCapacity", None))
        }
        "increase" => {
            let buffer = block.and_then(|b| {
                by_key(&b.properties, &["buffer"], &[], "`increase`", cx.diags)
                    .get("buffer")
                    .copied()
            });
            match buffer {
                Some(p) => {
                    let v = whole(cx, &p.value, Unit::Percent, &C::POLICY_PRED_MAX_BUFFER)?;
                    Some(("IncreaseMaxCapacity", Some(v)))
                }
                None => {
                    cx.diags.push(
                        Diagnostic::error(
                            codes::PREDICTIVE,
                            "`increase` needs the buffer the forecast may go above the maximum by",
                            tag.span,
                            "how much above?",
                        )
                        .with_help("AWS requires MaxCapacityBuffer with IncreaseMaxCapacity: write `increase { buffer = 10% }` (`0%` raises the maximum to the forecast exactly)"),
                    );
                    None
                }
            }
        }
        other => {
            cx.diags.push(unknown_variant(
                other,
                tag.span,
                "maximum-capacity behaviour",
                ["honor", "increase"].into_iter(),
            ));
            None
        }
    }
}
