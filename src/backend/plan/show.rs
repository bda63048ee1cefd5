//! What a create sets, for a reviewer: a call's request as `Field: value`
//! lines, in the style of an update's `Field: old -> new`. Nested members
//! are dotted paths (`TargetTrackingConfiguration.TargetValue`), list items
//! indexed (`StepAdjustments[1].ScalingAdjustment`), name/value lists
//! (tags, dimensions) one line of `k=v`, ARNs known only after an earlier
//! call said so, and a dashboard by its widgets. Without `--verbose`, AWS's
//! defaults and the name the line above already shows are left out.

use super::{ArnRef, Operation};
use serde_json::Value as Json;

/// How much of a request to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// What differs from AWS's defaults.
    Set,
    /// Every field of the request.
    All,
}

/// AWS's default for a field of a call (from each API's reference):
/// `(api, path, value)`, `[]` standing for any list item. A field a create
/// sends at its default says nothing a reviewer needs.
const DEFAULTS: &[(&str, &str, &str)] = &[
    (
        "autoscaling:CreateAutoScalingGroup",
        "HealthCheckType",
        r#""EC2""#,
    ),
    (
        "autoscaling:CreateAutoScalingGroup",
        "HealthCheckGracePeriod",
        "0",
    ),
    (
        "autoscaling:CreateAutoScalingGroup",
        "DefaultCooldown",
        "300",
    ),
    (
        "autoscaling:CreateAutoScalingGroup",
        "NewInstancesProtectedFromScaleIn",
        "false",
    ),
    (
        "autoscaling:CreateAutoScalingGroup",
        "CapacityRebalance",
        "false",
    ),
    (
        "autoscaling:CreateAutoScalingGroup",
        "TerminationPolicies",
        r#"["Default"]"#,
    ),
    (
        "autoscaling:CreateAutoScalingGroup",
        "LifecycleHookSpecificationList[].HeartbeatTimeout",
        "3600",
    ),
    (
        "autoscaling:CreateAutoScalingGroup",
        "LifecycleHookSpecificationList[].DefaultResult",
        r#""ABANDON""#,
    ),
    (
        "*",
        "MixedInstancesPolicy.InstancesDistribution.OnDemandAllocationStrategy",
        r#""prioritized""#,
    ),
    (
        "*",
        "MixedInstancesPolicy.InstancesDistribution.OnDemandBaseCapacity",
        "0",
    ),
    (
        "*",
        "MixedInstancesPolicy.InstancesDistribution.OnDemandPercentageAboveBaseCapacity",
        "100",
    ),
    (
        "*",
        "MixedInstancesPolicy.InstancesDistribution.SpotAllocationStrategy",
        r#""lowest-price""#,
    ),
    (
        "*",
        "MixedInstancesPolicy.InstancesDistribution.SpotInstancePools",
        "2",
    ),
    ("autoscaling:PutScalingPolicy", "Enabled", "true"),
    (
        "autoscaling:PutScalingPolicy",
        "MetricAggregationType",
        r#""Average""#,
    ),
    (
        "autoscaling:PutScalingPolicy",
        "TargetTrackingConfiguration.DisableScaleIn",
        "false",
    ),
    (
        "autoscaling:PutScalingPolicy",
        "PredictiveScalingConfiguration.Mode",
        r#""ForecastOnly""#,
    ),
    (
        "autoscaling:PutScalingPolicy",
        "PredictiveScalingConfiguration.MaxCapacityBreachBehavior",
        r#""HonorMaxCapacity""#,
    ),
    (
        "autoscaling:PutScalingPolicy",
        "PredictiveScalingConfiguration.SchedulingBufferTime",
        "0",
    ),
    ("cloudwatch:PutMetricAlarm", "ActionsEnabled", "true"),
    (
        "cloudwatch:PutMetricAlarm",
        "TreatMissingData",
        r#""missing""#,
    ),
    ("cloudwatch:PutMetricAlarm", "Metrics[].ReturnData", "true"),
    ("autoscaling:PutLifecycleHook", "HeartbeatTimeout", "3600"),
    (
        "autoscaling:PutLifecycleHook",
        "DefaultResult",
        r#""ABANDON""#,
    ),
    ("autoscaling:PutWarmPool", "PoolState", r#""Stopped""#),
    ("autoscaling:PutWarmPool", "MinSize", "0"),
    (
        "autoscaling:PutWarmPool",
        "InstanceReusePolicy.ReuseOnScaleIn",
        "false",
    ),
    (
        "autoscaling:EnableMetricsCollection",
        "Granularity",
        r#""1Minute""#,
    ),
    (
        "autoscaling:StartInstanceRefresh",
        "Preferences.MinHealthyPercentage",
        "90",
    ),
    (
        "autoscaling:StartInstanceRefresh",
        "Preferences.SkipMatching",
        "false",
    ),
    (
        "autoscaling:StartInstanceRefresh",
        "Preferences.AutoRollback",
        "false",
    ),
];

/// The `Field: value` lines of a create's request.
pub fn create_lines(op: &Operation, detail: Detail) -> Vec<String> {
    let api = op.call.api();
    let request = serde_json::to_value(&op.call)
        .ok()
        .and_then(|v| v.get("request").cloned())
        .unwrap_or(Json::Null);
    let mut out = Vec::new();
    let Json::Object(fields) = &request else {
        return out;
    };
    for (k, v) in fields {
        // The name the call's line already shows.
        if detail == Detail::Set && v.as_str() == Some(op.resource.as_str()) {
            continue;
        }
        field_lines(api, k, k, v, &request, detail, &mut out);
    }
    out
}

/// Lines for the value `v` at `path` (`generic` is the path with list
/// indexes as `[]`, the key of [`DEFAULTS`]).
fn field_lines(
    api: &str,
    path: &str,
    generic: &str,
    v: &Json,
    request: &Json,
    detail: Detail,
    out: &mut Vec<String>,
) {
    if v.is_null() || (detail == Detail::Set && is_default(api, generic, v, request)) {
        return;
    }
    if let Some(arn) = arn_ref(v) {
        out.push(format!("{path}: {arn}"));
        return;
    }
    if path == "DashboardBody"
        && detail == Detail::Set
        && let Some(s) = v.as_str()
    {
        out.push(format!("{path}: {}", dashboard(s)));
        return;
    }
    match v {
        Json::Object(m) => {
            for (k, x) in m {
                field_lines(
                    api,
                    &format!("{path}.{k}"),
                    &format!("{generic}.{k}"),
                    x,
                    request,
                    detail,
                    out,
                );
            }
        }
        Json::Array(items) => {
            if generic.ends_with("StepAdjustments")
                && detail == Detail::Set
                && let Some(steps) = steps(items)
            {
                out.push(format!("{path}: {steps}"));
            } else if let Some(pairs) = pairs(items) {
                out.push(format!("{path}: {pairs}"));
            } else if items.iter().all(|x| !x.is_object() || arn_ref(x).is_some()) {
                let shown: Vec<String> = items
                    .iter()
                    .map(|x| arn_ref(x).unwrap_or_else(|| scalar(x)))
                    .collect();
                out.push(format!("{path}: [{}]", shown.join(", ")));
            } else {
                for (i, x) in items.iter().enumerate() {
                    field_lines(
                        api,
                        &format!("{path}[{i}]"),
                        &format!("{generic}[]"),
                        x,
                        request,
                        detail,
                        out,
                    );
                }
            }
        }
        _ => out.push(format!("{path}: {}", scalar(v))),
    }
}

/// Whether `v` is AWS's default for the field. `DatapointsToAlarm` defaults
/// to the alarm's `EvaluationPeriods`.
fn is_default(api: &str, generic: &str, v: &Json, request: &Json) -> bool {
    if api == "cloudwatch:PutMetricAlarm" && generic == "DatapointsToAlarm" {
        return Some(v) == request.get("EvaluationPeriods");
    }
    DEFAULTS.iter().any(|(a, p, d)| {
        (*a == api || *a == "*")
            && (*p == generic
                || generic
                    .strip_suffix(p)
                    .is_some_and(|pre| pre.ends_with('.')))
            && serde_json::from_str::<Json>(d).is_ok_and(|d| same(&d, v))
    })
}

/// Numbers compare by value (`90` and `90.0` alike).
fn same(a: &Json, b: &Json) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// An ARN only an earlier call makes, in words.
fn arn_ref(v: &Json) -> Option<String> {
    if !v.is_object() {
        return None;
    }
    match serde_json::from_value::<ArnRef>(v.clone()).ok()? {
        ArnRef::Topic(t) => Some(format!("(ARN of topic {t}, known after apply)")),
        ArnRef::Policy { policy, .. } => {
            Some(format!("(ARN of policy {policy}, known after apply)"))
        }
    }
}

/// A list of name/value objects (tags, dimensions) as `k=v, k=v`, with
/// `(at launch)` when every tag propagates to instances.
fn pairs(items: &[Json]) -> Option<String> {
    if items.is_empty() {
        return None;
    }
    let mut shown = Vec::new();
    let mut launch = true;
    for x in items {
        let m = x.as_object()?;
        let key = m.get("Key").or_else(|| m.get("Name"))?.as_str()?;
        let value = m.get("Value")?;
        let extra = m
            .keys()
            .filter(|k| {
                !matches!(
                    k.as_str(),
                    "Key" | "Name" | "Value" | "PropagateAtLaunch" | "ResourceId" | "ResourceType"
                )
            })
            .count();
        if extra > 0 {
            return None;
        }
        launch &= m.get("PropagateAtLaunch") == Some(&Json::Bool(true));
        let value = value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_string);
        shown.push(format!("{key}={value}"));
    }
    let at_launch = if launch { " (at launch)" } else { "" };
    Some(format!("{}{at_launch}", shown.join(", ")))
}

/// Step adjustments as the spec writes steps: `+1 at 0..8, +2 at 8..15,
/// +3 at 15..`, bounds relative to the alarm's threshold.
fn steps(items: &[Json]) -> Option<String> {
    let mut shown = Vec::new();
    for x in items {
        let bound = |k: &str| {
            x.get(k)
                .and_then(Json::as_f64)
                .map_or(String::new(), |b| b.to_string())
        };
        let by = x.get("ScalingAdjustment")?.as_i64()?;
        shown.push(format!(
            "{by:+} at {}..{}",
            bound("MetricIntervalLowerBound"),
            bound("MetricIntervalUpperBound")
        ));
    }
    Some(format!("{} (from the alarm's threshold)", shown.join(", ")))
}

/// A scalar as a reviewer reads it: strings quoted, numbers as AWS takes
/// them.
fn scalar(v: &Json) -> String {
    match v {
        Json::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

/// A dashboard body by its widgets' titles.
fn dashboard(body: &str) -> String {
    let Ok(v) = serde_json::from_str::<Json>(body) else {
        return format!("{} characters", body.len());
    };
    let widgets = v["widgets"].as_array().cloned().unwrap_or_default();
    let titles: Vec<String> = widgets
        .iter()
        .map(|w| {
            w["properties"]["title"]
                .as_str()
                .or_else(|| w["properties"]["markdown"].as_str().map(|_| "text"))
                .unwrap_or("untitled")
                .to_string()
        })
        .collect();
    format!(
        "{} widget{}: {} (--verbose shows the body)",
        widgets.len(),
        if widgets.len() == 1 { "" } else { "s" },
        titles.join(", ")
    )
}
