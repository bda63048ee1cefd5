//! Lowering a group's mixed instances policy (`instances = { ... }`):
//! instance types with optional weights and launch templates, or instance
//! requirements, and the On-Demand/Spot distribution, with AWS's rules:
//! types or requirements, not both; at most 40 overrides, 4 requirement
//! sets and 20 launch templates; weights 1-999 on every type or none;
//! Spot pools only with `lowest_price`; `prioritized` On-Demand not with
//! requirements.
//!
//! AWS fills in the distribution's defaults when the spec leaves them out
//! (prioritized or lowest-price On-Demand, no base, 100% On-Demand above
//! it, lowest-price Spot over 2 pools). They are written out here, so that
//! removing a setting from the spec puts AWS's default back instead of
//! leaving the old value in place.

use super::*;
use crate::kinds::group::{ON_DEMAND_STRATEGIES, SPOT_STRATEGIES};

const INSTANCE_KEYS: &[&str] = &[
    "types",
    "requirements",
    "on_demand_base",
    "on_demand_above_base",
    "on_demand_strategy",
    "spot_strategy",
    "spot_pools",
];

/// AWS's limits on overrides (API_LaunchTemplateOverrides, Auto Scaling
/// quotas).
const MAX_OVERRIDES: usize = 40;
const MAX_REQUIREMENT_SETS: usize = 4;
const MAX_TEMPLATES: usize = 20;

pub(super) fn instances<'a>(
    cx: &mut Cx<'a, '_>,
    p: &'a ast::Property,
    group_template: Option<&LaunchTemplateRef>,
) -> Option<Instances> {
    let r = cx.resolve(&p.value)?;
    let ExprKind::Object { block } = &r.kind else {
        cx.diags.push(
            mismatch(
                r,
                "a block such as `{ types = [\"m5.large\", \"m6i.large\"] }`",
            )
            .with_help("write `instances = { types = [...]  on_demand_above_base = 20% }`"),
        );
        return None;
    };
    let props = by_key(
        &block.properties,
        INSTANCE_KEYS,
        &[],
        "`instances`",
        cx.diags,
    );
    let overrides = launch_overrides(cx, p, &props)?;
    template_count(cx, p, &overrides, group_template)?;
    let requirements_used = overrides
        .iter()
        .any(|o| matches!(o.kind, OverrideKind::Requirements { .. }));
    let on_demand_base = match props.get("on_demand_base") {
        Some(p) => cx.expect_count(&p.value, &C::ASG_MIXED_ON_DEMAND_BASE)?,
        None => 0,
    };
    let on_demand_above_base = match props.get("on_demand_above_base") {
        Some(p) => whole(cx, &p.value, Unit::Percent, &C::ASG_MIXED_ON_DEMAND_PERCENT)?,
        None => 100,
    };
    let on_demand_strategy = on_demand_strategy(cx, &props, requirements_used)?;
    let spot_strategy = spot_strategy(cx, &props, requirements_used)?;
    let spot_pools = spot_pools(cx, &props, spot_strategy)?;
    Some(Instances {
        overrides,
        on_demand_base: Some(on_demand_base),
        on_demand_above_base: Some(on_demand_above_base),
        on_demand_strategy: Some(on_demand_strategy.to_string()),
        spot_strategy: Some(spot_strategy.to_string()),
        spot_pools,
        origin: p.key.span(),
    })
}

/// What the group launches: its instance `types` or its instance
/// `requirements`, one of the two.
fn launch_overrides<'a>(
    cx: &mut Cx<'a, '_>,
    p: &'a ast::Property,
    props: &crate::check::eval::Props<'a>,
) -> Option<Vec<Override>> {
    match (props.get("types"), props.get("requirements")) {
        (Some(t), Some(q)) => {
            cx.diags.push(
                Diagnostic::error(
                    codes::EXCLUSIVE,
                    "`instances` lists both instance types and instance requirements",
                    q.key.span(),
                    "requirements",
                )
                .with_label(t.key.span(), "types")
                .with_help("AWS takes one or the other: list `types`, or describe `requirements` and let AWS pick the types"),
            );
            None
        }
        (Some(t), None) => instance_types(cx, t),
        (None, Some(q)) => requirements(cx, q),
        (None, None) => {
            cx.diags.push(
                Diagnostic::error(
                    codes::MISSING_PROPERTY,
                    "`instances` has neither `types` nor `requirements`",
                    p.key.span(),
                    "what to launch?",
                )
                .with_help("add `types = [\"m5.large\", \"m6i.large\"]` or `requirements = [{ vcpus = 2..8  memory = 4GiB..16GiB }]`"),
            );
            None
        }
    }
}

/// No more launch templates than AWS allows a mixed instances policy,
/// the group's own among them.
fn template_count(
    cx: &mut Cx,
    p: &ast::Property,
    overrides: &[Override],
    group_template: Option<&LaunchTemplateRef>,
) -> Option<()> {
    let templates: std::collections::BTreeSet<&TemplateKey> = overrides
        .iter()
        .filter_map(|o| o.launch_template.as_ref())
        .chain(group_template)
        .map(|t| &t.template)
        .collect();
    if templates.len() > MAX_TEMPLATES {
        cx.diags.push(
            Diagnostic::error(
                codes::GROUP_LIMIT,
                format!(
                    "this group's mixed instances policy uses {} launch templates; AWS allows {MAX_TEMPLATES}",
                    templates.len()
                ),
                p.value.span,
                "too many launch templates",
            )
            .with_help("the group's own launch template counts too: share launch templates between instance types"),
        );
        return None;
    }
    Some(())
}

/// The On-Demand allocation strategy, in AWS's word: `prioritized`
/// unless said, or with instance requirements (which it can't be)
/// `lowest-price`.
fn on_demand_strategy<'a>(
    cx: &mut Cx<'a, '_>,
    props: &crate::check::eval::Props<'a>,
    requirements_used: bool,
) -> Option<&'static str> {
    let strategy = match props.get("on_demand_strategy") {
        Some(p) => {
            let names: Vec<&str> = ON_DEMAND_STRATEGIES.iter().map(|(n, _)| *n).collect();
            let i = cx.expect_word(&p.value, "On-Demand allocation strategy", &names)?;
            if ON_DEMAND_STRATEGIES[i].1 == "prioritized" && requirements_used {
                cx.diags.push(
                    Diagnostic::error(
                        codes::EXCLUSIVE,
                        "`prioritized` On-Demand allocation can't be used with instance requirements",
                        p.value.span,
                        "prioritized",
                    )
                    .with_help("with `requirements` AWS picks the types, so there is no order to follow: use `lowest_price`"),
                );
                return None;
            }
            ON_DEMAND_STRATEGIES[i].1
        }
        None if requirements_used => "lowest-price",
        None => "prioritized",
    };
    Some(strategy)
}

/// The Spot allocation strategy, in AWS's word: `lowest-price` unless
/// said; not the prioritized one with instance requirements.
fn spot_strategy<'a>(
    cx: &mut Cx<'a, '_>,
    props: &crate::check::eval::Props<'a>,
    requirements_used: bool,
) -> Option<&'static str> {
    let strategy = match props.get("spot_strategy") {
        Some(p) => {
            let names: Vec<&str> = SPOT_STRATEGIES.iter().map(|(n, _)| *n).collect();
            let strategy =
                SPOT_STRATEGIES[cx.expect_word(&p.value, "Spot allocation strategy", &names)?].1;
            if strategy == "capacity-optimized-prioritized" && requirements_used {
                cx.diags.push(
                    Diagnostic::error(
                        codes::EXCLUSIVE,
                        "`capacity_optimized_prioritized` Spot allocation can't be used with instance requirements",
                        p.value.span,
                        "capacity_optimized_prioritized",
                    )
                    .with_help("with `requirements` AWS picks the types, so there is no priority to follow: use `price_capacity_optimized` or `capacity_optimized`"),
                );
                return None;
            }
            strategy
        }
        None => "lowest-price",
    };
    Some(strategy)
}

/// The Spot pools the `lowest-price` strategy spreads over (2 unless
/// said); none with another strategy, which can't be given them.
fn spot_pools<'a>(
    cx: &mut Cx<'a, '_>,
    props: &crate::check::eval::Props<'a>,
    spot_strategy: &str,
) -> Option<Option<u32>> {
    let pools = match props.get("spot_pools") {
        Some(p) => {
            if spot_strategy != "lowest-price" {
                let word = SPOT_STRATEGIES
                    .iter()
                    .find(|(_, aws)| *aws == spot_strategy)
                    .map_or(spot_strategy, |(w, _)| w);
                let mut d = Diagnostic::error(
                    codes::EXCLUSIVE,
                    format!("`spot_pools` applies only to the `lowest_price` Spot strategy, not `{word}`"),
                    p.key.span(),
                    "spot pools",
                )
                .with_help("remove `spot_pools`, or use `spot_strategy = lowest_price`");
                if let Some(s) = props.get("spot_strategy") {
                    d = d.with_label(s.value.span, "this strategy picks pools itself");
                }
                cx.diags.push(d);
                return None;
            }
            Some(whole(cx, &p.value, Unit::Count, &C::ASG_MIXED_SPOT_POOLS)?)
        }
        None if spot_strategy == "lowest-price" => Some(2),
        None => None,
    };
    Some(pools)
}

/// `types = ["m5.large", { type = "m5.xlarge"  weight = 2 }]`.
fn instance_types<'a>(cx: &mut Cx<'a, '_>, p: &'a ast::Property) -> Option<Vec<Override>> {
    let items = cx.expect_list(&p.value)?;
    if items.is_empty() {
        cx.diags.push(empty_list(
            p,
            "types",
            "a mixed instances policy launches at least one instance type",
        ));
        return None;
    }
    if let Some(extra) = items.get(MAX_OVERRIDES) {
        cx.diags.push(
            Diagnostic::error(
                codes::GROUP_LIMIT,
                format!("{} instance types; AWS allows {MAX_OVERRIDES}", items.len()),
                extra.span,
                format!("number {} of {}", MAX_OVERRIDES + 1, items.len()),
            )
            .with_help("keep the 40 types you'd most want, or describe `requirements` instead"),
        );
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    let mut seen: BTreeMap<String, Span> = BTreeMap::new();
    for it in items {
        let Some(r) = cx.resolve(it) else {
            ok = false;
            continue;
        };
        let o = match &r.kind {
            ExprKind::String { value } => instance_type(cx, value, r.span).map(|t| Override {
                kind: OverrideKind::Type(t),
                weight: None,
                launch_template: None,
                origin: r.span,
            }),
            ExprKind::Object { block } => {
                let props = by_key(
                    &block.properties,
                    &[
                        "type",
                        "weight",
                        "launch_template",
                        "launch_template_name",
                        "launch_template_version",
                    ],
                    &[],
                    "an instance type",
                    cx.diags,
                );
                let t = match props.get("type") {
                    Some(t) => {
                        let v = cx.expect_string(&t.value);
                        v.and_then(|v| instance_type(cx, &v, t.value.span))
                    }
                    None => {
                        cx.diags.push(
                            Diagnostic::error(
                                codes::MISSING_PROPERTY,
                                "this instance type has no `type`",
                                r.span,
                                "needs `type`",
                            )
                            .with_help("write `{ type = \"m5.xlarge\"  weight = 2 }`"),
                        );
                        None
                    }
                };
                let weight = match props.get("weight") {
                    Some(w) => weight(cx, &w.value).map(Some),
                    None => Some(None),
                };
                let lt = launch_template(cx, &props, "this instance type", r.span, false);
                match (t, weight, lt) {
                    (Some(t), Some(weight), Some(lt)) => Some(Override {
                        kind: OverrideKind::Type(t),
                        weight,
                        launch_template: lt,
                        origin: r.span,
                    }),
                    _ => None,
                }
            }
            _ => {
                cx.diags.push(mismatch(
                    r,
                    "an instance type such as `\"m5.large\"` or `{ type = \"m5.xlarge\"  weight = 2 }`",
                ));
                None
            }
        };
        match o {
            Some(o) => {
                if let OverrideKind::Type(t) = &o.kind
                    && o.launch_template.is_none()
                    && let Some(first) = seen.insert(t.clone(), o.origin)
                {
                    cx.diags.push(
                        Diagnostic::error(
                            codes::DUPLICATE,
                            format!("`{t}` is listed twice"),
                            o.origin,
                            "listed again",
                        )
                        .with_label(first, "first listed here")
                        .with_help("list each instance type once (a second launch template for it is fine)"),
                    );
                    ok = false;
                }
                out.push(o);
            }
            None => ok = false,
        }
    }
    if !ok {
        return None;
    }
    let weighted: Vec<&Override> = out.iter().filter(|o| o.weight.is_some()).collect();
    if !weighted.is_empty() && weighted.len() < out.len() {
        let unweighted = out.iter().find(|o| o.weight.is_none()).map(|o| o.origin);
        let mut d = Diagnostic::error(
            codes::WEIGHTS,
            format!(
                "{} of {} instance types {} a weight; AWS needs a weight on all of them or none",
                weighted.len(),
                out.len(),
                if weighted.len() == 1 { "has" } else { "have" }
            ),
            unweighted.unwrap_or(p.value.span),
            "no weight",
        )
        .with_help("give every type a weight (`{ type = \"m5.large\"  weight = 1 }`), or remove the weights");
        d = d.with_label(weighted[0].origin, "weighted");
        cx.diags.push(d);
        return None;
    }
    Some(out)
}

/// A `WeightedCapacity`: 1 to 999 capacity units.
fn weight<'a>(cx: &mut Cx<'a, '_>, e: &'a Expr) -> Option<u32> {
    let v = cx.expect_count(e, &C::ASG_MIN_SIZE)?;
    if !(1..=999).contains(&v) {
        cx.diags.push(
            Diagnostic::error(
                codes::RANGE,
                format!("a weight of {v} is outside 1..999, the range of AWS's `WeightedCapacity`"),
                e.span,
                "out of range",
            )
            .with_help("give each type the capacity units it provides, from 1 to 999"),
        );
        return None;
    }
    Some(v)
}

/// An EC2 instance type name: `family.size`, lowercase letters, digits
/// and `-`.
fn instance_type(cx: &mut Cx, v: &str, span: Span) -> Option<String> {
    let ok = v.split_once('.').is_some_and(|(family, size)| {
        !family.is_empty()
            && !size.is_empty()
            && family
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && size
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && family.starts_with(|c: char| c.is_ascii_lowercase())
    }) && v.len() <= C::ASG_MIXED_TYPE.max_chars();
    if !ok {
        cx.diags.push(
            Diagnostic::error(
                codes::BAD_VALUE,
                format!("`{v}` is not an EC2 instance type"),
                span,
                "not an instance type",
            )
            .with_help("write a type such as `m5.large` or `c7g.2xlarge`: family, a dot, size"),
        );
        return None;
    }
    Some(v.to_string())
}

/// `requirements = [{ vcpus = 2..8  memory = 4GiB..16GiB }]`.
fn requirements<'a>(cx: &mut Cx<'a, '_>, p: &'a ast::Property) -> Option<Vec<Override>> {
    let items = cx.expect_list(&p.value)?;
    if items.is_empty() {
        cx.diags.push(empty_list(
            p,
            "requirements",
            "a mixed instances policy needs at least one set of requirements",
        ));
        return None;
    }
    if let Some(extra) = items.get(MAX_REQUIREMENT_SETS) {
        cx.diags.push(
            Diagnostic::error(
                codes::GROUP_LIMIT,
                format!(
                    "{} sets of instance requirements; AWS allows {MAX_REQUIREMENT_SETS}",
                    items.len()
                ),
                extra.span,
                "one too many",
            )
            .with_help("widen the ranges of fewer sets"),
        );
        return None;
    }
    let mut out = Vec::new();
    for it in items {
        let r = cx.resolve(it)?;
        let ExprKind::Object { block } = &r.kind else {
            cx.diags.push(mismatch(
                r,
                "a block such as `{ vcpus = 2..8  memory = 4GiB..16GiB }`",
            ));
            return None;
        };
        let props = by_key(
            &block.properties,
            &[
                "vcpus",
                "memory",
                "launch_template",
                "launch_template_name",
                "launch_template_version",
            ],
            &[],
            "instance requirements",
            cx.diags,
        );
        let vcpus = match props.get("vcpus") {
            Some(v) => open_range(cx, &v.value, Unit::Count, 1.0, &C::ASG_MIXED_VCPU_MIN)?,
            None => {
                cx.diags.push(
                    Diagnostic::error(
                        codes::MISSING_PROPERTY,
                        "instance requirements need `vcpus`",
                        r.span,
                        "needs `vcpus`",
                    )
                    .with_help(
                        "AWS requires a vCPU range: add `vcpus = 2..8` (or `2..` for no maximum)",
                    ),
                );
                return None;
            }
        };
        let memory_mib = match props.get("memory") {
            Some(v) => open_range(
                cx,
                &v.value,
                Unit::Bytes,
                1024.0 * 1024.0,
                &C::ASG_MIXED_MEMORY_MIN,
            )?,
            None => {
                cx.diags.push(
                    Diagnostic::error(codes::MISSING_PROPERTY, "instance requirements need `memory`", r.span, "needs `memory`")
                        .with_help("AWS requires a memory range: add `memory = 4GiB..16GiB` (or `4GiB..` for no maximum)"),
                );
                return None;
            }
        };
        let lt = launch_template(cx, &props, "these requirements", r.span, false)?;
        out.push(Override {
            kind: OverrideKind::Requirements { vcpus, memory_mib },
            weight: None,
            launch_template: lt,
            origin: r.span,
        });
    }
    Some(out)
}

/// `lo..hi` or `lo..` in `unit`, divided by `per` (bytes to MiB), whole.
fn open_range<'a>(
    cx: &mut Cx<'a, '_>,
    e: &'a Expr,
    unit: Unit,
    per: f64,
    row: &C::Row,
) -> Option<(u32, Option<u32>)> {
    let r = cx.resolve(e)?;
    let ExprKind::Range {
        lower: Some(lo),
        upper,
    } = &r.kind
    else {
        cx.diags
            .push(mismatch(r, "a range such as `2..8` or `2..`"));
        return None;
    };
    let end = |cx: &mut Cx<'a, '_>, x: &'a Expr| -> Option<u32> {
        let v = cx.expect_quantity(x, unit)? / per;
        let (_, max) = row.int_range();
        if v.fract() != 0.0 || v < 0.0 || v > max as f64 {
            cx.diags.push(
                Diagnostic::error(
                    codes::RANGE,
                    format!(
                        "`{}` is not a whole number of {} AWS takes",
                        units::show(v, Unit::Count),
                        if per > 1.0 { "MiB" } else { "vCPUs" }
                    ),
                    x.span,
                    "out of range",
                )
                .with_help(if per > 1.0 {
                    "write memory in whole MiB, e.g. `512MiB` or `4GiB`"
                } else {
                    "write a whole number of vCPUs"
                }),
            );
            return None;
        }
        u32::try_from(v as i64).ok()
    };
    let min = end(cx, lo)?;
    let max = match upper {
        Some(h) => Some(end(cx, h)?),
        None => None,
    };
    if let Some(m) = max
        && m < min
    {
        cx.diags.push(
            Diagnostic::error(
                codes::RANGE,
                format!("the range's end {m} is below its start {min}"),
                r.span,
                "empty range",
            )
            .with_help("write `min..max` with min <= max"),
        );
        return None;
    }
    Some((min, max))
}
