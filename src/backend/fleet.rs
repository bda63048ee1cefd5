//! Fleet shapes shared by the backends: a group's launch template, mixed
//! instances policy, maintenance policy, capacity reservations, zone
//! distribution, lifecycle hooks, warm pool and instance refresh
//! preferences. CloudFormation's properties and the API's members have the
//! same names here; the caller says how a spec value is written (a literal
//! for the apply plan, a `Ref` for a template).

use crate::backend::json::{Json, Map};
use crate::json;
use crate::model::{
    CapacityReservation, HealthyRange, Hook, Instances, LaunchTemplateRef, ListValue, OverrideKind,
    Refresh, TemplateKey, Value, WarmPool,
};

/// How a backend writes a spec value and a list value.
pub struct Render<'a> {
    /// One value.
    pub one: &'a dyn Fn(&Value) -> Json,
    /// A list.
    pub list: &'a dyn Fn(&ListValue) -> Json,
}

/// `LaunchTemplateSpecification` (or a group's `LaunchTemplate`).
pub fn launch_template(lt: &LaunchTemplateRef, r: &Render) -> Json {
    let mut j = Map::new();
    match &lt.template {
        TemplateKey::Id(v) => j.insert("LaunchTemplateId", (r.one)(v)),
        TemplateKey::Name(v) => j.insert("LaunchTemplateName", (r.one)(v)),
    };
    j.insert("Version", (r.one)(&lt.version));
    Json::Object(j)
}

/// `InstanceMaintenancePolicy`.
pub fn maintenance(h: &HealthyRange) -> Json {
    json!({ "MinHealthyPercentage": h.min, "MaxHealthyPercentage": h.max })
}

/// `CapacityReservationSpecification`.
pub fn capacity_reservation(c: &CapacityReservation, r: &Render) -> Json {
    let mut j = json!({ "CapacityReservationPreference": &c.preference });
    let mut target = Map::new();
    if !is_empty(&c.ids) {
        target.insert("CapacityReservationIds", (r.list)(&c.ids));
    }
    if !is_empty(&c.resource_groups) {
        target.insert(
            "CapacityReservationResourceGroupArns",
            (r.list)(&c.resource_groups),
        );
    }
    if !target.is_empty() {
        j["CapacityReservationTarget"] = Json::Object(target);
    }
    j
}

fn is_empty(l: &ListValue) -> bool {
    matches!(l, ListValue::Items(i) if i.is_empty())
}

/// `AvailabilityZoneDistribution`.
pub fn az_distribution(strategy: &str) -> Json {
    json!({ "CapacityDistributionStrategy": strategy })
}

/// `MixedInstancesPolicy`, over the group's launch template.
pub fn mixed_instances_policy(m: &Instances, lt: &LaunchTemplateRef, r: &Render) -> Json {
    let overrides: Vec<Json> = m
        .overrides
        .iter()
        .map(|o| {
            let mut j = Map::new();
            match &o.kind {
                OverrideKind::Type(t) => {
                    j.insert("InstanceType", json!(t));
                }
                OverrideKind::Requirements { vcpus, memory_mib } => {
                    let range = |(min, max): (u32, Option<u32>)| {
                        let mut x = json!({ "Min": min });
                        if let Some(m) = max {
                            x["Max"] = json!(m);
                        }
                        x
                    };
                    j.insert(
                        "InstanceRequirements",
                        json!({ "VCpuCount": range(*vcpus), "MemoryMiB": range(*memory_mib) }),
                    );
                }
            }
            if let Some(w) = o.weight {
                j.insert("WeightedCapacity", json!(w.to_string()));
            }
            if let Some(t) = &o.launch_template {
                j.insert("LaunchTemplateSpecification", launch_template(t, r));
            }
            Json::Object(j)
        })
        .collect();
    let mut lt_json = json!({ "LaunchTemplateSpecification": launch_template(lt, r) });
    if !overrides.is_empty() {
        lt_json["Overrides"] = Json::Array(overrides);
    }
    let mut dist = Map::new();
    if let Some(s) = &m.on_demand_strategy {
        dist.insert("OnDemandAllocationStrategy", json!(s));
    }
    if let Some(b) = m.on_demand_base {
        dist.insert("OnDemandBaseCapacity", json!(b));
    }
    if let Some(p) = m.on_demand_above_base {
        dist.insert("OnDemandPercentageAboveBaseCapacity", json!(p));
    }
    if let Some(s) = &m.spot_strategy {
        dist.insert("SpotAllocationStrategy", json!(s));
    }
    if let Some(n) = m.spot_pools {
        dist.insert("SpotInstancePools", json!(n));
    }
    let mut j = json!({ "LaunchTemplate": lt_json });
    if !dist.is_empty() {
        j["InstancesDistribution"] = Json::Object(dist);
    }
    j
}

/// One `LifecycleHookSpecification` (the group's create call and the
/// template's `LifecycleHookSpecificationList`); `PutLifecycleHook` takes
/// the same members plus the group's name.
pub fn hook(h: &Hook, r: &Render) -> Json {
    let mut j = json!({
        "LifecycleHookName": &h.physical_name,
        "LifecycleTransition": &h.transition,
        "HeartbeatTimeout": h.heartbeat_timeout,
        "DefaultResult": &h.default_result,
    });
    if let Some(m) = &h.metadata {
        j["NotificationMetadata"] = json!(m);
    }
    if let Some(t) = &h.target {
        j["NotificationTargetARN"] = (r.one)(t);
    }
    if let Some(role) = &h.role {
        j["RoleARN"] = (r.one)(role);
    }
    j
}

/// A warm pool's members (`PutWarmPool` without the group's name; the
/// template's `AWS::AutoScaling::WarmPool` properties likewise).
pub fn warm_pool(w: &WarmPool) -> Json {
    let mut j = json!({
        "MinSize": w.min_size,
        "PoolState": &w.state,
        "InstanceReusePolicy": { "ReuseOnScaleIn": w.reuse_on_scale_in },
    });
    if let Some(m) = w.max_prepared {
        j["MaxGroupPreparedCapacity"] = json!(m);
    }
    j
}

/// Instance refresh `Preferences`. `alarms` are the alarms' AWS names (or
/// `Ref`s); `api` adds what only the API has (`AutoRollback`: a template
/// rolls back with its stack).
pub fn refresh_preferences(f: &Refresh, alarms: Vec<Json>, api: bool) -> Json {
    let mut j = json!({ "MinHealthyPercentage": f.min_healthy });
    if let Some(m) = f.max_healthy {
        j["MaxHealthyPercentage"] = json!(m);
    }
    if let Some(w) = f.warmup {
        j["InstanceWarmup"] = json!(w);
    }
    if !f.checkpoints.is_empty() {
        j["CheckpointPercentages"] = json!(&f.checkpoints);
    }
    if let Some(d) = f.checkpoint_delay {
        j["CheckpointDelay"] = json!(d);
    }
    if f.skip_matching {
        j["SkipMatching"] = json!(true);
    }
    if api && f.auto_rollback {
        j["AutoRollback"] = json!(true);
    }
    if !alarms.is_empty() {
        j["AlarmSpecification"] = json!({ "Alarms": alarms });
    }
    j
}
