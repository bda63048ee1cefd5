//! Lints on a group's fleet: settings AWS accepts that don't do what the
//! spec seems to want. A refresh that a floating launch template version
//! never triggers, a warm pool bigger than the group, launch hooks that
//! hold new instances longer than scale-out waits for them, predictive
//! scaling capped at the group's starting size or raising its maximum for
//! good, Spot without capacity rebalance, suspended processes that switch
//! scaling off, and weights too large for the group's capacity.

use super::codes;
use super::policy_warmup;
use crate::diagnostic::Diagnostic;
use crate::model::{Group, PolicyKind, Value};

/// Runs the fleet lints of one group.
pub(super) fn lint_fleet(g: &Group, out: &mut Vec<Diagnostic>) {
    refresh_unpinned(g, out);
    warm_pool_size(g, out);
    hook_delay(g, out);
    predictive(g, out);
    spot_without_rebalance(g, out);
    suspended_scaling(g, out);
    weighted_capacity(g, out);
}

fn refresh_unpinned(g: &Group, out: &mut Vec<Diagnostic>) {
    let Some(f) = &g.refresh else { return };
    let Value::Literal(v) = &g.launch_template.version else {
        return;
    };
    if !v.starts_with('$') {
        return;
    }
    out.push(
        Diagnostic::warning(
            codes::REFRESH_UNPINNED,
            format!("group `{}` refreshes on launch-template changes but follows `{v}`", g.name),
            f.origin,
            "never triggered",
        )
        .with_label(g.origin, format!("launch template version `{v}`"))
        .with_help("a new template version doesn't change the spec, so no plan or stack update ever starts this refresh (and CloudFormation refuses `$Latest`): set `launch_template_version` to the version to roll out"),
    );
}

fn warm_pool_size(g: &Group, out: &mut Vec<Diagnostic>) {
    let Some(w) = &g.warm_pool else { return };
    let prepared_over = w.max_prepared.is_some_and(|m| m > g.max.saturating_mul(2));
    if w.min_size <= g.max && !prepared_over {
        return;
    }
    let (what, help) = if w.min_size > g.max {
        (
            format!(
                "keeps at least {} instances warm, more than the group's maximum of {}",
                w.min_size, g.max
            ),
            "the group can never take more than its maximum out of the pool: lower `min` to at most the maximum",
        )
    } else {
        (
            format!(
                "may prepare up to {} instances, more than twice the group's maximum of {}",
                w.max_prepared.unwrap_or(0),
                g.max
            ),
            "prepared instances beyond what the group can use cost money and never serve: lower `max_prepared`, or leave it out (AWS's default is the group's maximum)",
        )
    };
    out.push(
        Diagnostic::warning(
            codes::WARM_POOL_SIZE,
            format!("the warm pool of group `{}` {what}", g.name),
            w.origin,
            "warm pool",
        )
        .with_help(help),
    );
}

fn hook_delay(g: &Group, out: &mut Vec<Diagnostic>) {
    let Some(h) = g
        .hooks
        .iter()
        .filter(|h| h.on_launch())
        .max_by_key(|h| h.heartbeat_timeout)
    else {
        return;
    };
    let outs: Vec<_> = g.policies.iter().filter(|p| super::scales_out(p)).collect();
    let Some(fastest) = outs.iter().map(|p| policy_warmup(g, p)).min() else {
        return;
    };
    if h.heartbeat_timeout <= fastest {
        return;
    }
    let mut d = Diagnostic::warning(
        codes::HOOK_DELAY,
        format!(
            "launch hook `{}` may hold new instances for {}, longer than the {} warm-up scale-out waits for",
            h.name,
            super::minutes(h.heartbeat_timeout),
            super::minutes(fastest)
        ),
        h.origin,
        "holds launches",
    );
    for p in &outs {
        d = d.with_label(p.origin, format!("policy `{}` scales out", p.name));
    }
    out.push(d.with_help(
        "an instance waiting on the hook isn't in service, so the metric stays high and scale-out adds more: complete the lifecycle action as soon as the instance is ready, shorten `timeout`, or raise the warm-up to match",
    ));
}

fn predictive(g: &Group, out: &mut Vec<Diagnostic>) {
    for p in &g.policies {
        let PolicyKind::Predictive {
            mode,
            max_capacity_breach,
            max_capacity_buffer,
            ..
        } = &p.kind
        else {
            continue;
        };
        if mode != "ForecastAndScale" {
            continue;
        }
        if max_capacity_breach == "HonorMaxCapacity" && g.max <= g.desired {
            out.push(
                Diagnostic::warning(
                    codes::PREDICTIVE_CAPPED,
                    format!(
                        "policy `{}` scales to its forecast, but group `{}` starts at its maximum of {}",
                        p.name, g.name, g.max
                    ),
                    p.origin,
                    "forecast can't act",
                )
                .with_help("with `max_capacity = honor` the forecast never goes above the maximum: raise the maximum, or use `max_capacity = increase { buffer = 10% }`"),
            );
        }
        if max_capacity_breach == "IncreaseMaxCapacity" {
            out.push(
                Diagnostic::warning(
                    codes::PREDICTIVE_RAISES_MAX,
                    format!(
                        "policy `{}` may raise group `{}`'s maximum above {} by up to {}%, and AWS leaves it raised",
                        p.name,
                        g.name,
                        g.max,
                        max_capacity_buffer.unwrap_or(0)
                    ),
                    p.origin,
                    "raises the maximum",
                )
                .with_help("AWS doesn't lower the maximum once the forecast passes; the next `scalec plan` shows `MaxSize` drifting back to the spec's value. Keep `honor` unless the forecast must win"),
            );
        }
    }
}

fn spot_without_rebalance(g: &Group, out: &mut Vec<Diagnostic>) {
    let Some(m) = &g.instances else { return };
    if !m.spot_only() || g.capacity_rebalance {
        return;
    }
    out.push(
        Diagnostic::warning(
            codes::SPOT_NO_REBALANCE,
            format!("group `{}` runs all its capacity above the base on Spot without capacity rebalance", g.name),
            m.origin,
            "Spot only",
        )
        .with_help("with `capacity_rebalance = true` AWS launches a replacement when EC2 warns that a Spot instance is at risk, before it is interrupted"),
    );
}

fn suspended_scaling(g: &Group, out: &mut Vec<Diagnostic>) {
    if g.policies.is_empty() && g.schedules.is_empty() {
        return;
    }
    let stops = |p: &str| g.suspended.iter().any(|s| s == p);
    let mut what = Vec::new();
    if stops("AlarmNotification") && !g.policies.is_empty() {
        what.push("`alarm_notification` stops every scaling policy from acting on its alarms");
    }
    if stops("Launch") {
        what.push("`launch` stops all scale-out");
    }
    if stops("Terminate") {
        what.push("`terminate` stops all scale-in");
    }
    if stops("ScheduledActions") && !g.schedules.is_empty() {
        what.push("`scheduled_actions` stops the group's schedules");
    }
    if what.is_empty() {
        return;
    }
    out.push(
        Diagnostic::warning(
            codes::SUSPENDED_SCALING,
            format!(
                "group `{}` suspends processes its scaling needs: {}",
                g.name,
                what.join("; ")
            ),
            g.origin,
            "suspended",
        )
        .with_help(
            "suspend these only for maintenance, and resume them by removing them from `suspend`",
        ),
    );
}

fn weighted_capacity(g: &Group, out: &mut Vec<Diagnostic>) {
    let Some(m) = &g.instances else { return };
    let Some(largest) = m.overrides.iter().filter_map(|o| o.weight).max() else {
        return;
    };
    if g.max >= largest.saturating_mul(2) {
        return;
    }
    out.push(
        Diagnostic::warning(
            codes::WEIGHTED_CAPACITY,
            format!(
                "group `{}` weighs instances up to {largest} units but its capacity is {}..{} units",
                g.name, g.min, g.max
            ),
            m.origin,
            "weights",
        )
        .with_label(g.origin, "capacity counts units, not instances")
        .with_help(format!(
            "with weights, `capacity` and `desired` are in the weights' units; AWS recommends a capacity of at least 2-3 times the largest weight ({}..), and may exceed the maximum by up to {largest}",
            largest * 2
        )),
    );
}
