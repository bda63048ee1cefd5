//! Importing the fleet settings of a group: mixed instances and Spot,
//! capacity rebalancing, instance maintenance, scale-in protection,
//! capacity reservations, zone distribution, lifecycle hooks, the warm
//! pool, instance refresh (the update policy) and predictive policies.

use super::recover::{Cx, local_name};
use super::template::Resource;
use super::text::{as_f64, as_u32, duration, num, quote};
use crate::kinds::group::PREDICTIVE_PAIRS as PAIRS;
use crate::kinds::group::{
    AZ_STRATEGIES, ON_DEMAND_STRATEGIES, POOL_STATES, PROCESSES, RESERVATION_PREFERENCES,
    SPOT_STRATEGIES,
};
use crate::kinds::group::{HOOK_TRANSITIONS, PREDICTIVE_MODES};
use serde_json::Value as Json;
use std::fmt::Write as _;

/// The spec word for AWS's value in a `(word, aws)` table.
fn word(table: &[(&'static str, &str)], aws: &str) -> Option<&'static str> {
    table.iter().find(|(_, a)| *a == aws).map(|(w, _)| *w)
}

/// `launch_template = ...` or `launch_template_name = ...` and the version,
/// as `key = value` pairs, from a launch template specification.
pub(super) fn template_spec(cx: &mut Cx, r: &Resource, lt: &Json) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    if let Some(id) = lt.get("LaunchTemplateId") {
        out.push((
            "launch_template".into(),
            cx.value(r, id, Some("launch_template_id"))?,
        ));
    } else if let Some(name) = lt.get("LaunchTemplateName") {
        out.push((
            "launch_template_name".into(),
            cx.value(r, name, Some("string"))?,
        ));
    } else {
        cx.refuse(
            r,
            "a launch template without an id or a name".into(),
            "give LaunchTemplateId or LaunchTemplateName",
        );
        return None;
    }
    if let Some(v) = lt.get("Version") {
        let text = match v {
            Json::String(s) if s.parse::<u64>().is_ok() => s.clone(),
            other => cx.value(r, other, Some("string"))?,
        };
        out.push(("launch_template_version".into(), text));
    }
    Some(out)
}

/// The group's fleet lines: everything besides its launch template.
pub(super) fn group_lines(cx: &mut Cx, r: &Resource) -> Option<String> {
    let p = &r.props;
    let mut b = String::new();
    if let Some(m) = p.get("MixedInstancesPolicy") {
        let text = instances(cx, r, m)?;
        b.push_str(&text);
    }
    if p["CapacityRebalance"] == true {
        b.push_str("  capacity_rebalance = true\n");
    }
    if let Some(m) = p.get("InstanceMaintenancePolicy") {
        let (lo, hi) = (
            as_u32(&m["MinHealthyPercentage"]),
            as_u32(&m["MaxHealthyPercentage"]),
        );
        if let (Some(lo), Some(hi)) = (lo, hi) {
            let _ = writeln!(b, "  maintenance = {lo}%..{hi}%");
        }
    }
    if p["NewInstancesProtectedFromScaleIn"] == true {
        b.push_str("  scale_in_protection = true\n");
    }
    if let Some(list) = p["SuspendedProcesses"].as_array() {
        let mut words = Vec::new();
        for x in list.iter().filter_map(Json::as_str) {
            match word(PROCESSES, x) {
                Some(w) => words.push(w),
                None => {
                    cx.refuse(
                        r,
                        format!("suspended process `{x}`"),
                        "scalec knows the processes AWS documents for SuspendProcesses",
                    );
                    return None;
                }
            }
        }
        let _ = writeln!(b, "  suspend = [{}]", words.join(", "));
    }
    if let Some(c) = p.get("CapacityReservationSpecification") {
        let pref = c["CapacityReservationPreference"]
            .as_str()
            .unwrap_or("default");
        let Some(w) = word(RESERVATION_PREFERENCES, pref) else {
            cx.refuse(
                r,
                format!("capacity reservation preference `{pref}`"),
                "scalec knows only, first, none and default",
            );
            return None;
        };
        let target = &c["CapacityReservationTarget"];
        let mut inner = Vec::new();
        if let Some(ids) = target.get("CapacityReservationIds") {
            inner.push(format!(
                "ids = {}",
                cx.list(r, ids, Some("capacity_reservation_id"))?
            ));
        }
        if let Some(gs) = target.get("CapacityReservationResourceGroupArns") {
            inner.push(format!(
                "resource_groups = {}",
                cx.list(r, gs, Some("resource_group_arn"))?
            ));
        }
        if inner.is_empty() {
            let _ = writeln!(b, "  capacity_reservations = {w}");
        } else {
            let _ = writeln!(
                b,
                "  capacity_reservations = {w} {{ {} }}",
                inner.join("  ")
            );
        }
    }
    if let Some(s) = p["AvailabilityZoneDistribution"]["CapacityDistributionStrategy"].as_str()
        && s != "balanced-best-effort"
    {
        let Some(w) = word(AZ_STRATEGIES, s) else {
            cx.refuse(
                r,
                format!("zone distribution `{s}`"),
                "scalec knows balanced-only and balanced-best-effort",
            );
            return None;
        };
        let _ = writeln!(b, "  az_distribution = {w}");
    }
    if let Some(w) = warm_pool(cx, &r.id) {
        b.push_str(&w?);
    }
    if let Some(text) = refresh(cx, r)? {
        b.push_str(&text);
    }
    let hooks = hooks(cx, r)?;
    b.push_str(&hooks);
    Some(b)
}

fn instances(cx: &mut Cx, r: &Resource, m: &Json) -> Option<String> {
    let mut types = Vec::new();
    let mut requirements = Vec::new();
    for o in m["LaunchTemplate"]["Overrides"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let mut parts = Vec::new();
        if let Some(req) = o.get("InstanceRequirements") {
            let range = |v: &Json, f: &dyn Fn(f64) -> String| -> String {
                let lo = as_f64(&v["Min"]).map(f).unwrap_or_default();
                let hi = as_f64(&v["Max"]).map(f).unwrap_or_default();
                format!("{lo}..{hi}")
            };
            parts.push(format!("vcpus = {}", range(&req["VCpuCount"], &|x| num(x))));
            parts.push(format!(
                "memory = {}",
                range(&req["MemoryMiB"], &|x| format!("{}MiB", num(x)))
            ));
            if let Some(k) = req
                .as_object()
                .and_then(|o| o.keys().find(|k| *k != "VCpuCount" && *k != "MemoryMiB"))
            {
                cx.refuse(
                    r,
                    format!("instance requirement `{k}`"),
                    "scalec's instance requirements are vCPU and memory ranges",
                );
                return None;
            }
        } else if let Some(t) = o["InstanceType"].as_str() {
            parts.push(format!("type = {}", quote(t)));
        }
        if let Some(w) = as_u32(&o["WeightedCapacity"]) {
            parts.push(format!("weight = {w}"));
        }
        if let Some(lt) = o.get("LaunchTemplateSpecification") {
            for (k, v) in template_spec(cx, r, lt)? {
                parts.push(format!("{k} = {v}"));
            }
        }
        let text = if parts.len() == 1 && o.get("InstanceType").is_some() {
            parts.remove(0).trim_start_matches("type = ").to_string()
        } else {
            format!("{{ {} }}", parts.join("  "))
        };
        if o.get("InstanceRequirements").is_some() {
            requirements.push(text);
        } else {
            types.push(text);
        }
    }
    let mut s = String::from("  instances = {\n");
    if !types.is_empty() {
        let _ = writeln!(s, "    types = [{}]", types.join(", "));
    }
    if !requirements.is_empty() {
        let _ = writeln!(s, "    requirements = [{}]", requirements.join(", "));
    }
    let d = &m["InstancesDistribution"];
    if let Some(v) = as_u32(&d["OnDemandBaseCapacity"]) {
        let _ = writeln!(s, "    on_demand_base = {v}");
    }
    if let Some(v) = as_u32(&d["OnDemandPercentageAboveBaseCapacity"]) {
        let _ = writeln!(s, "    on_demand_above_base = {v}%");
    }
    if let Some(v) = d["OnDemandAllocationStrategy"].as_str() {
        let w = word(ON_DEMAND_STRATEGIES, v)?;
        let _ = writeln!(s, "    on_demand_strategy = {w}");
    }
    if let Some(v) = d["SpotAllocationStrategy"].as_str() {
        let w = word(SPOT_STRATEGIES, v)?;
        let _ = writeln!(s, "    spot_strategy = {w}");
    }
    if let Some(v) = as_u32(&d["SpotInstancePools"]) {
        let _ = writeln!(s, "    spot_pools = {v}");
    }
    if let Some(k) = d.as_object().and_then(|o| {
        o.keys().find(|k| {
            !matches!(
                k.as_str(),
                "OnDemandBaseCapacity"
                    | "OnDemandPercentageAboveBaseCapacity"
                    | "OnDemandAllocationStrategy"
                    | "SpotAllocationStrategy"
                    | "SpotInstancePools"
            )
        })
    }) {
        cx.refuse(r, format!("instances distribution member `{k}`"), "scalec's instances block has the on-demand base and share, both strategies and Spot pools");
        return None;
    }
    s.push_str("  }\n");
    Some(s)
}

/// The group's warm pool, from its `AWS::AutoScaling::WarmPool`.
fn warm_pool(cx: &mut Cx, gid: &str) -> Option<Option<String>> {
    let r = cx
        .of_group(gid, "AWS::AutoScaling::WarmPool")
        .into_iter()
        .next()?;
    let p = &r.props;
    let mut parts = Vec::new();
    parts.push(format!("min = {}", as_u32(&p["MinSize"]).unwrap_or(0)));
    if let Some(m) = p["MaxGroupPreparedCapacity"].as_i64().filter(|m| *m >= 0) {
        parts.push(format!("max_prepared = {m}"));
    }
    let state = p["PoolState"].as_str().unwrap_or("Stopped");
    let Some(w) = word(POOL_STATES, state) else {
        cx.refuse(
            &r,
            format!("pool state `{state}`"),
            "scalec knows stopped, running and hibernated",
        );
        return Some(None);
    };
    parts.push(format!("state = {w}"));
    if p["InstanceReusePolicy"]["ReuseOnScaleIn"] == true {
        parts.push("reuse_on_scale_in = true".into());
    }
    let group = cx
        .groups
        .get(gid)
        .map(|(l, _)| l.clone())
        .unwrap_or_default();
    cx.record(&r, format!("warm pool of group {group}"));
    Some(Some(format!("  warm_pool = {{ {} }}\n", parts.join("  "))))
}

/// `refresh = { ... }` from the group's `AutoScalingInstanceRefresh`
/// update policy.
fn refresh(cx: &mut Cx, r: &Resource) -> Option<Option<String>> {
    let u = &r.update_policy["AutoScalingInstanceRefresh"];
    if u.is_null() {
        return Some(None);
    }
    let p = &u["Preferences"];
    let mut parts = Vec::new();
    let lo = as_u32(&p["MinHealthyPercentage"]).unwrap_or(90);
    match as_u32(&p["MaxHealthyPercentage"]) {
        Some(hi) => parts.push(format!("healthy = {lo}%..{hi}%")),
        None => parts.push(format!("healthy = {lo}%..")),
    }
    if let Some(w) = as_f64(&p["InstanceWarmup"]) {
        parts.push(format!("warmup = {}", duration(w)));
    }
    if let Some(c) = p["CheckpointPercentages"].as_array() {
        let items: Vec<String> = c
            .iter()
            .filter_map(as_u32)
            .map(|v| format!("{v}%"))
            .collect();
        parts.push(format!("checkpoints = [{}]", items.join(", ")));
    }
    if let Some(d) = as_f64(&p["CheckpointDelay"]) {
        parts.push(format!("checkpoint_delay = {}", duration(d)));
    }
    if p["SkipMatching"] == true {
        parts.push("skip_matching = true".into());
    }
    if let Some(alarms) = p["AlarmSpecification"]["Alarms"].as_array() {
        let mut names = Vec::new();
        for a in alarms {
            let name = a.as_str().unwrap_or_default();
            let found =
                cx.t.resources
                    .iter()
                    .find(|x| x.ty == "AWS::CloudWatch::Alarm" && x.props["AlarmName"] == name);
            let local = found.and_then(|x| {
                x.metadata["scalec"]["item"]
                    .as_str()
                    .and_then(|i| i.rsplit(" / alarm ").next().filter(|n| *n != i))
                    .map(str::to_string)
            });
            let physical = cx
                .groups
                .get(&r.id)
                .map(|(_, p)| p.clone())
                .unwrap_or_default();
            match local.or_else(|| {
                name.strip_prefix(&format!("{physical}-"))
                    .map(str::to_string)
            }) {
                Some(l) => names.push(l),
                None => {
                    cx.refuse(r, format!("the refresh stops on alarm `{name}`, which is not one of the group's alarms"), "a refresh stops on the group's own alarms");
                    return None;
                }
            }
        }
        parts.push(format!("stop_on = [{}]", names.join(", ")));
    }
    Some(Some(format!("  refresh = {{ {} }}\n", parts.join("  "))))
}

fn hooks(cx: &mut Cx, r: &Resource) -> Option<String> {
    let mut s = String::new();
    let physical = cx
        .groups
        .get(&r.id)
        .map(|(_, p)| p.clone())
        .unwrap_or_default();
    let group = cx
        .groups
        .get(&r.id)
        .map(|(l, _)| l.clone())
        .unwrap_or_default();
    // The group's own list, then `AWS::AutoScaling::LifecycleHook`s of it
    // (as the CDK writes `addLifecycleHook`).
    let listed: Vec<(Json, Resource)> = r.props["LifecycleHookSpecificationList"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|h| (h, r.clone()))
        .collect();
    let separate: Vec<(Json, Resource)> = cx
        .of_group(&r.id, "AWS::AutoScaling::LifecycleHook")
        .into_iter()
        .map(|h| (h.props.clone(), h))
        .collect();
    for (h, from) in listed.into_iter().chain(separate) {
        let own = from.id != r.id;
        let full = h["LifecycleHookName"].as_str().map(str::to_string);
        let (name, given): (String, Option<String>) = match &full {
            Some(full) => match full.strip_prefix(&format!("{physical}-")) {
                Some(n) if n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                    (n.to_string(), None)
                }
                _ => (super::text::snake(full), Some(full.to_string())),
            },
            // A name CloudFormation generates: scalec derives one.
            None => {
                let n = local_name(&from, "", &["Hook", "LifecycleHook"]);
                let n = n.strip_prefix(&format!("{group}_")).unwrap_or(&n);
                // `addLifecycleHook('DrainOnTerminate')` is `LifecycleHookDrainOnTerminate`.
                let n = n.strip_prefix("lifecycle_hook_").unwrap_or(n).to_string();
                cx.renames.push(format!(
                    "rename: hook {group}/{n} has a name CloudFormation generated; scalec names it `{physical}-{n}`"
                ));
                (n, None)
            }
        };
        if own {
            let extra: Vec<String> = h
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, _)| k.clone())
                .filter(|k| {
                    !matches!(
                        k.as_str(),
                        "AutoScalingGroupName"
                            | "LifecycleHookName"
                            | "LifecycleTransition"
                            | "HeartbeatTimeout"
                            | "DefaultResult"
                            | "NotificationMetadata"
                            | "NotificationTargetARN"
                            | "RoleARN"
                    )
                })
                .collect();
            if let Some(k) = extra.first() {
                cx.refuse(&from, format!("lifecycle hook property `{k}`"), "scalec hooks have a transition, a timeout, a default result, metadata, a target and a role");
                return None;
            }
        }
        let aws = h["LifecycleTransition"].as_str();
        let transition = match HOOK_TRANSITIONS.iter().find(|(_, a)| Some(*a) == aws) {
            Some((word, _)) => *word,
            None => {
                let other = aws;
                cx.refuse(
                    &from,
                    format!("lifecycle transition `{}`", other.unwrap_or_default()),
                    "hooks are on launching or terminating",
                );
                return None;
            }
        };
        let mut parts = vec![format!(
            "timeout = {}",
            duration(as_f64(&h["HeartbeatTimeout"]).unwrap_or(3600.0))
        )];
        if h["DefaultResult"] == "CONTINUE" {
            parts.push("default = continue".into());
        } else if cx.explicit {
            parts.push("default = abandon".into());
        }
        if let Some(m) = h["NotificationMetadata"].as_str() {
            parts.push(format!("metadata = {}", quote(m)));
        }
        if let Some(t) = h.get("NotificationTargetARN") {
            let target = t
                .get("Ref")
                .or_else(|| t.get("Fn::GetAtt").and_then(|a| a.get(0)))
                .and_then(Json::as_str)
                .and_then(|id| cx.t.resources.iter().find(|x| x.id == id))
                .map(|x| x.ty.clone());
            let ty = if t.to_string().contains(":sns:")
                || target.as_deref() == Some("AWS::SNS::Topic")
            {
                "topic_arn"
            } else {
                "queue_arn"
            };
            parts.push(format!("notify = {}", cx.value(&from, t, Some(ty))?));
        }
        if let Some(role) = h.get("RoleARN") {
            parts.push(format!(
                "role = {}",
                cx.value(&from, role, Some("role_arn"))?
            ));
        }
        if let Some(g) = given {
            parts.push(format!("name = {}", quote(&g)));
        }
        let _ = writeln!(
            s,
            "\n  hook {name} {transition} {{\n    {}\n  }}",
            parts.join("\n    ")
        );
        if own {
            cx.record(&from, format!("hook {group}/{name}"));
        }
    }
    Some(s)
}

/// `policy X predictive { ... }`.
pub(super) fn predictive(cx: &mut Cx, r: &Resource, name: &str) -> Option<String> {
    let c = &r.props["PredictiveScalingConfiguration"];
    let specs = c["MetricSpecifications"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let [spec] = specs.as_slice() else {
        cx.refuse(
            r,
            format!("{} metric specifications", specs.len()),
            "AWS takes exactly one",
        );
        return None;
    };
    let Some(pair) = spec.get("PredefinedMetricPairSpecification") else {
        cx.refuse(
            r,
            "predictive scaling on custom metrics isn't imported yet".into(),
            "predictive policies on a predefined metric pair are imported",
        );
        return None;
    };
    let kind = pair["PredefinedMetricType"].as_str().unwrap_or_default();
    let Some((tt, _)) = PAIRS.iter().find(|(_, p)| *p == kind) else {
        cx.refuse(
            r,
            format!("predictive metric pair `{kind}`"),
            "scalec knows the CPU, network and ALB request pairs",
        );
        return None;
    };
    let std = std::rc::Rc::clone(&cx.std);
    let def = std.iter().find(|d| d.predefined.as_deref() == Some(*tt))?;
    let metric = if def.params.is_empty() {
        def.key.clone()
    } else {
        let parts = pair["ResourceLabel"]
            .get("Fn::Join")
            .and_then(|j| j[1].as_array())
            .cloned()
            .unwrap_or_default();
        let lb = parts
            .first()
            .and_then(|p| super::metrics::arn_part(p, 1, "loadbalancer/"))
            .cloned();
        let tg = parts
            .get(1)
            .and_then(|p| super::metrics::arn_part(p, 5, ":"))
            .cloned();
        let (Some(lb), Some(tg)) = (lb, tg) else {
            cx.refuse(r, "a request-count resource label scalec can't trace to its load balancer and target group".into(), "give the label as a join of the ARNs' parts");
            return None;
        };
        let lb = cx.param_ref(&lb, Some("load_balancer_arn"))?;
        let tg = cx.param_ref(&tg, Some("target_group_arn"))?;
        format!("{}({lb}, {tg})", def.key)
    };
    let target = as_f64(&spec["TargetValue"])?;
    let mut s = format!(
        "  policy {name} predictive {{\n    metric = {metric}\n    target = {}\n",
        super::text::quantity(target, def.unit, 1.0)
    );
    if let Some((word, _)) = PREDICTIVE_MODES.iter().find(|(_, a)| c["Mode"] == *a) {
        let _ = writeln!(s, "    mode = {word}");
    }
    if let Some(b) = as_f64(&c["SchedulingBufferTime"]) {
        let _ = writeln!(s, "    buffer = {}", duration(b));
    }
    if c["MaxCapacityBreachBehavior"] == "IncreaseMaxCapacity" {
        match as_u32(&c["MaxCapacityBuffer"]) {
            Some(b) => {
                let _ = writeln!(s, "    max_capacity = increase {{ buffer = {b}% }}");
            }
            None => s.push_str("    max_capacity = increase\n"),
        }
    }
    s.push_str("  }\n");
    Some(s)
}
