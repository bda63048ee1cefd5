//! Lowering a group's fleet settings: its launch template (by id or by
//! name), instance maintenance, scale-in protection, suspended processes,
//! capacity reservations, Availability Zone distribution and warm pool.
//! Mixed instances and instance refresh are in `instances.rs` and
//! `refresh.rs`; lifecycle hooks in `hook.rs`.

use super::*;
use crate::check::constraints::Row;
use crate::kinds::group::{AZ_STRATEGIES, POOL_STATES, PROCESSES, RESERVATION_PREFERENCES};

/// A whole number of `unit` (percent or count) within the row's range,
/// both ends judged.
pub(super) fn whole<'a>(cx: &mut Cx<'a, '_>, e: &'a Expr, unit: Unit, row: &Row) -> Option<u32> {
    let r = cx.resolve(e)?;
    let v = cx.expect_quantity(r, unit)?;
    let (min, max) = row.int_range();
    if v.fract() != 0.0 || !v.is_finite() {
        cx.diags.push(
            Diagnostic::error(
                codes::NOT_INTEGER,
                format!("`{}` must be whole", units::show(v, unit)),
                r.span,
                "not whole",
            )
            .with_help(format!("AWS's `{}` takes whole numbers", row.field)),
        );
        return None;
    }
    let lo = min.max(0);
    if v < lo as f64 || v > max as f64 {
        cx.diags.push(
            Diagnostic::error(
                codes::RANGE,
                format!(
                    "`{}` is outside {}..{}, the range of AWS's `{}`",
                    units::show(v, unit),
                    units::show(lo as f64, unit),
                    units::show(max as f64, unit),
                    row.field
                ),
                r.span,
                "out of range",
            )
            .with_help(format!(
                "use a value from {} to {}",
                units::show(lo as f64, unit),
                units::show(max as f64, unit)
            )),
        );
        return None;
    }
    u32::try_from(v as i64).ok()
}

/// The launch template of a group or of an override: `launch_template`
/// (an id) or `launch_template_name`, never both, and its version.
/// `needed` says whether one of the two must be present.
pub(super) fn launch_template<'a>(
    cx: &mut Cx<'a, '_>,
    props: &crate::check::eval::Props<'a>,
    owner: &str,
    owner_span: Span,
    needed: bool,
) -> Option<Option<LaunchTemplateRef>> {
    let template = match (
        props.get("launch_template"),
        props.get("launch_template_name"),
    ) {
        (Some(id), Some(name)) => {
            cx.diags.push(
                Diagnostic::error(
                    codes::TEMPLATE_KEY,
                    format!("{owner} names its launch template both by id and by name"),
                    name.key.span(),
                    "second way of naming it",
                )
                .with_label(id.key.span(), "by id here")
                .with_help("AWS takes a launch template's id or its name, not both: keep one"),
            );
            return None;
        }
        (Some(id), None) => {
            TemplateKey::Id(cx.expect_value(&id.value, ParamType::LaunchTemplateId)?)
        }
        (None, Some(name)) => TemplateKey::Name(cx.expect_field(
            &name.value,
            ParamType::String,
            &C::ASG_LT_NAME,
            "a launch template name",
        )?),
        (None, None) if needed => {
            cx.diags.push(
                Diagnostic::error(
                    codes::MISSING_PROPERTY,
                    format!("{owner} has no `launch_template`"),
                    owner_span,
                    "needs `launch_template`",
                )
                .with_help("add `launch_template = param.launch_template` (an id), or `launch_template_name = \"...\"`"),
            );
            return None;
        }
        (None, None) => {
            if let Some(v) = props.get("launch_template_version") {
                cx.diags.push(
                    Diagnostic::error(
                        codes::TEMPLATE_KEY,
                        format!("{owner} gives a launch template version but no launch template"),
                        v.key.span(),
                        "version of what?",
                    )
                    .with_help("add `launch_template = ...` next to it, or remove the version"),
                );
                return None;
            }
            return Some(None);
        }
    };
    let version = match props.get("launch_template_version") {
        Some(p) => template_version(cx, p)?,
        None => Value::Literal("$Default".to_string()),
    };
    Some(Some(LaunchTemplateRef { template, version }))
}

fn template_version<'a>(cx: &mut Cx<'a, '_>, p: &'a ast::Property) -> Option<Value> {
    match cx.resolve(&p.value).map(|e| &e.kind) {
        Some(ExprKind::String { value }) if value == "$Latest" || value == "$Default" => {
            Some(Value::Literal(value.clone()))
        }
        // Versions are 64-bit in EC2; a number is exact up to 2^53.
        Some(ExprKind::Number { value })
            if *value >= 1.0 && value.fract() == 0.0 && *value <= MAX_EXACT =>
        {
            Some(Value::Literal(format!("{}", value.round())))
        }
        Some(ExprKind::Number { value }) if *value > MAX_EXACT => {
            cx.diags.push(
                Diagnostic::error(
                    codes::RANGE,
                    format!(
                        "`{}` is too large for a launch template version",
                        units::show(*value, Unit::Count)
                    ),
                    p.value.span,
                    "out of range",
                )
                .with_help("write the version number EC2 gave the launch template, e.g. `3`"),
            );
            None
        }
        Some(ExprKind::Path { .. }) => cx.expect_field(
            &p.value,
            ParamType::String,
            &C::ASG_LT_VERSION,
            "a launch template version",
        ),
        Some(_) => {
            cx.diags.push(
                Diagnostic::error(
                    codes::BAD_VALUE,
                    "not a launch template version",
                    p.value.span,
                    "expected a version",
                )
                .with_help(
                    "write `\"$Default\"`, `\"$Latest\"`, a version number such as `3`, or a param",
                ),
            );
            None
        }
        None => None,
    }
}

/// `90%..110%`: a healthy-capacity range. AWS: min 0-100%, max
/// 100-200%, at most 100 points apart. `what` names the setting.
pub(super) fn healthy_range<'a>(
    cx: &mut Cx<'a, '_>,
    e: &'a Expr,
    min_row: &Row,
    max_row: &Row,
    what: &str,
) -> Option<HealthyRange> {
    let r = cx.resolve(e)?;
    let ExprKind::Range {
        lower: Some(lo),
        upper: Some(hi),
    } = &r.kind
    else {
        cx.diags.push(
            Diagnostic::error(
                codes::HEALTHY_RANGE,
                format!("{what} needs a healthy range with both ends"),
                r.span,
                "expected `min%..max%`",
            )
            .with_help("write e.g. `90%..110%`: keep at least 90% of desired capacity healthy, and launch up to 110% while replacing"),
        );
        return None;
    };
    let min = healthy_end(cx, lo, 0, 100, min_row, "minimum")?;
    let max = healthy_end(cx, hi, 100, 200, max_row, "maximum")?;
    if max - min > 100 {
        cx.diags.push(
            Diagnostic::error(
                codes::HEALTHY_RANGE,
                format!(
                    "{what}: {min}%..{max}% spans {} points; AWS allows at most 100",
                    max - min
                ),
                r.span,
                "too wide",
            )
            .with_help(format!(
                "raise the minimum to {}% or lower the maximum to {}%",
                max - 100,
                min + 100
            )),
        );
        return None;
    }
    Some(HealthyRange { min, max })
}

fn healthy_end<'a>(
    cx: &mut Cx<'a, '_>,
    e: &'a Expr,
    lo: u32,
    hi: u32,
    row: &Row,
    which: &str,
) -> Option<u32> {
    let v = whole(cx, e, Unit::Percent, row)?;
    if v < lo || v > hi {
        cx.diags.push(
            Diagnostic::error(
                codes::HEALTHY_RANGE,
                format!("a {which} healthy percentage of {v}% is outside {lo}%..{hi}%"),
                e.span,
                "out of range",
            )
            .with_help(format!(
                "AWS takes a minimum of 0-100% and a maximum of 100-200% of desired capacity; use {lo}%..{hi}% here"
            )),
        );
        return None;
    }
    Some(v)
}

/// The group settings of this file, as lowered.
pub(super) struct Settings {
    pub maintenance: Option<HealthyRange>,
    pub protect_new_instances: bool,
    pub suspended: Vec<String>,
    pub capacity_reservation: Option<CapacityReservation>,
    pub az_distribution: Option<String>,
}

pub(super) fn settings<'a>(cx: &mut Cx<'a, '_>, props: &crate::check::eval::Props<'a>) -> Settings {
    let maintenance = props.get("maintenance").and_then(|p| {
        healthy_range(
            cx,
            &p.value,
            &C::ASG_MAINTENANCE_MIN,
            &C::ASG_MAINTENANCE_MAX,
            "`maintenance`",
        )
    });
    let protect_new_instances = props
        .get("scale_in_protection")
        .and_then(|p| cx.expect_bool(&p.value))
        .unwrap_or(false);
    let mut suspended: Vec<String> = match props.get("suspend") {
        Some(p) => {
            let names: Vec<&str> = PROCESSES.iter().map(|(n, _)| *n).collect();
            cx.expect_list(&p.value)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|e| {
                    cx.expect_word(e, "group process", &names)
                        .map(|i| PROCESSES[i].1.to_string())
                })
                .collect()
        }
        None => vec![],
    };
    suspended.sort();
    suspended.dedup();
    let capacity_reservation = props
        .get("capacity_reservations")
        .and_then(|p| reservations(cx, &p.value));
    let az_distribution = props.get("az_distribution").and_then(|p| {
        let names: Vec<&str> = AZ_STRATEGIES.iter().map(|(n, _)| *n).collect();
        cx.expect_word(&p.value, "zone distribution", &names)
            .map(|i| AZ_STRATEGIES[i].1.to_string())
    });
    // Balanced best effort is what every group has unless told otherwise:
    // AWS reports it for groups that never set it, so it is not a setting.
    let az_distribution = az_distribution.filter(|s| s != "balanced-best-effort");
    Settings {
        maintenance,
        protect_new_instances,
        suspended,
        capacity_reservation,
        az_distribution,
    }
}

/// `first`, `none`, `only { ids = [...] }`, `first { resource_groups = [...] }`.
fn reservations<'a>(cx: &mut Cx<'a, '_>, e: &'a Expr) -> Option<CapacityReservation> {
    let r = cx.resolve(e)?;
    let (tag, block) = match &r.kind {
        ExprKind::Tagged { tag, block } => (tag, Some(block)),
        ExprKind::Path { path } if path.segments.len() == 1 => (&path.segments[0], None),
        _ => {
            cx.diags.push(mismatch(
                r,
                "a reservation preference such as `first` or `only { ids = [param.reservation] }`",
            ));
            return None;
        }
    };
    let Some(i) = RESERVATION_PREFERENCES
        .iter()
        .position(|(n, _)| *n == tag.name)
    else {
        cx.diags.push(unknown_variant(
            &tag.name,
            tag.span,
            "capacity reservation preference",
            RESERVATION_PREFERENCES.iter().map(|(n, _)| *n),
        ));
        return None;
    };
    let preference = RESERVATION_PREFERENCES[i].1.to_string();
    let mut out = CapacityReservation {
        preference,
        ids: ListValue::Items(vec![]),
        resource_groups: ListValue::Items(vec![]),
    };
    if let Some(b) = block {
        let props = by_key(
            &b.properties,
            &["ids", "resource_groups"],
            &[],
            "a capacity reservation target",
            cx.diags,
        );
        if !props.is_empty() && !matches!(tag.name.as_str(), "only" | "first") {
            cx.diags.push(
                Diagnostic::error(
                    codes::BAD_VALUE,
                    format!("`{}` takes no reservations to target", tag.name),
                    b.span,
                    "targets given",
                )
                .with_help("only `only { ... }` and `first { ... }` target reservations; with `none` or `default`, leave the block out"),
            );
            return None;
        }
        if let Some(p) = props.get("ids") {
            out.ids = cx.expect_list_value(&p.value, ParamType::CapacityReservationId)?;
        }
        if let Some(p) = props.get("resource_groups") {
            out.resource_groups = cx.expect_list_value(&p.value, ParamType::ResourceGroupArn)?;
        }
    }
    Some(out)
}

/// `warm_pool = { min = 1  max_prepared = 6  state = stopped  reuse_on_scale_in = true }`.
/// AWS takes no warm pool on a group with a mixed instances policy.
pub(super) fn warm_pool<'a>(
    cx: &mut Cx<'a, '_>,
    p: &'a ast::Property,
    mixed: Option<&'a ast::Property>,
) -> Option<WarmPool> {
    let r = cx.resolve(&p.value)?;
    let ExprKind::Object { block } = &r.kind else {
        cx.diags.push(
            mismatch(r, "a block such as `{ min = 1  state = stopped }`").with_help(
                "write `warm_pool = { min = 1  state = stopped }`; `{}` takes AWS's defaults",
            ),
        );
        return None;
    };
    if let Some(m) = mixed {
        cx.diags.push(
            Diagnostic::error(
                codes::EXCLUSIVE,
                "a warm pool can't be used with mixed instances or Spot",
                p.key.span(),
                "warm pool",
            )
            .with_label(m.key.span(), "mixed instances here")
            .with_help("AWS refuses PutWarmPool on a group with a mixed instances policy: put the warm pool on a group of one instance type"),
        );
        return None;
    }
    let props = by_key(
        &block.properties,
        &["min", "max_prepared", "state", "reuse_on_scale_in"],
        &[],
        "a warm pool",
        cx.diags,
    );
    let min_size = match props.get("min") {
        Some(p) => cx.expect_count(&p.value, &C::WARM_POOL_MIN)?,
        None => 0,
    };
    let max_prepared = match props.get("max_prepared") {
        Some(p) => Some(cx.expect_count(&p.value, &C::WARM_POOL_MAX_PREPARED)?),
        None => None,
    };
    let state = match props.get("state") {
        Some(p) => {
            let names: Vec<&str> = POOL_STATES.iter().map(|(n, _)| *n).collect();
            POOL_STATES[cx.expect_word(&p.value, "pool state", &names)?].1
        }
        None => "Stopped",
    };
    let reuse_on_scale_in = match props.get("reuse_on_scale_in") {
        Some(p) => cx.expect_bool(&p.value)?,
        None => false,
    };
    Some(WarmPool {
        min_size,
        max_prepared,
        state: state.to_string(),
        reuse_on_scale_in,
        origin: p.key.span(),
    })
}
