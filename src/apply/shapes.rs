//! The plan's nested request members (JSON, in the API's member names) as
//! the SDK's types: launch templates, mixed instances policies, maintenance
//! policies, capacity reservations, zone distribution, lifecycle hooks and
//! refresh preferences.
//! Integers are checked into AWS's 32-bit fields, never wrapped.

use super::error::ApplyError;
use aws_sdk_autoscaling::config::http::HttpResponse;
use aws_sdk_autoscaling::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_autoscaling::types as t;
use serde_json::Value as Json;

/// Where a conversion is for, to name it in an error.
pub(crate) struct At<'a> {
    pub api: &'a str,
    pub resource: &'a str,
}

impl At<'_> {
    /// An SDK error of this call, for the report.
    pub fn sdk<E>(&self, e: SdkError<E, HttpResponse>) -> ApplyError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        ApplyError::sdk(self.api, self.resource, e)
    }

    /// An integer member, if present.
    pub fn int(&self, j: &Json, key: &str) -> Result<Option<i32>, ApplyError> {
        match j.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(v) => v
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| {
                    ApplyError::Internal(format!(
                        "{} for `{}`: {key} = {v} is not a 32-bit integer",
                        self.api, self.resource
                    ))
                }),
        }
    }
}

/// A text member, if present.
pub(crate) fn text(j: &Json, key: &str) -> Option<String> {
    j.get(key).and_then(Json::as_str).map(str::to_string)
}

/// A list of text members, if present.
pub(crate) fn texts(j: &Json, key: &str) -> Option<Vec<String>> {
    j.get(key).and_then(Json::as_array).map(|a| {
        a.iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect()
    })
}

fn flag(j: &Json, key: &str) -> Option<bool> {
    j.get(key).and_then(Json::as_bool)
}

/// `LaunchTemplateSpecification`.
pub(crate) fn launch_template(j: &Json) -> t::LaunchTemplateSpecification {
    t::LaunchTemplateSpecification::builder()
        .set_launch_template_id(text(j, "LaunchTemplateId"))
        .set_launch_template_name(text(j, "LaunchTemplateName"))
        .set_version(text(j, "Version"))
        .build()
}

/// `DesiredConfiguration` of an instance refresh: a launch template or a
/// mixed instances policy.
pub(crate) fn desired_configuration(
    j: &Json,
    at: &At,
) -> Result<t::DesiredConfiguration, ApplyError> {
    let mixed = j
        .get("MixedInstancesPolicy")
        .map(|m| mixed_instances_policy(m, at))
        .transpose()?;
    Ok(t::DesiredConfiguration::builder()
        .set_launch_template(j.get("LaunchTemplate").map(launch_template))
        .set_mixed_instances_policy(mixed)
        .build())
}

/// `MixedInstancesPolicy`.
pub(crate) fn mixed_instances_policy(
    j: &Json,
    at: &At,
) -> Result<t::MixedInstancesPolicy, ApplyError> {
    let lt = j.get("LaunchTemplate").cloned().unwrap_or(Json::Null);
    let mut overrides = Vec::new();
    for o in lt
        .get("Overrides")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let requirements = match o.get("InstanceRequirements") {
            Some(r) => {
                let range = |k: &str| r.get(k).cloned().unwrap_or(Json::Null);
                let (v, m) = (range("VCpuCount"), range("MemoryMiB"));
                Some(
                    t::InstanceRequirements::builder()
                        .v_cpu_count(
                            t::VCpuCountRequest::builder()
                                .set_min(at.int(&v, "Min")?)
                                .set_max(at.int(&v, "Max")?)
                                .build(),
                        )
                        .memory_mib(
                            t::MemoryMiBRequest::builder()
                                .set_min(at.int(&m, "Min")?)
                                .set_max(at.int(&m, "Max")?)
                                .build(),
                        )
                        .build(),
                )
            }
            None => None,
        };
        overrides.push(
            t::LaunchTemplateOverrides::builder()
                .set_instance_type(text(o, "InstanceType"))
                .set_weighted_capacity(text(o, "WeightedCapacity"))
                .set_launch_template_specification(
                    o.get("LaunchTemplateSpecification").map(launch_template),
                )
                .set_instance_requirements(requirements)
                .build(),
        );
    }
    let distribution = match j.get("InstancesDistribution") {
        Some(d) => Some(
            t::InstancesDistribution::builder()
                .set_on_demand_allocation_strategy(text(d, "OnDemandAllocationStrategy"))
                .set_on_demand_base_capacity(at.int(d, "OnDemandBaseCapacity")?)
                .set_on_demand_percentage_above_base_capacity(
                    at.int(d, "OnDemandPercentageAboveBaseCapacity")?,
                )
                .set_spot_allocation_strategy(text(d, "SpotAllocationStrategy"))
                .set_spot_instance_pools(at.int(d, "SpotInstancePools")?)
                .build(),
        ),
        None => None,
    };
    Ok(t::MixedInstancesPolicy::builder()
        .launch_template(
            t::LaunchTemplate::builder()
                .set_launch_template_specification(
                    lt.get("LaunchTemplateSpecification").map(launch_template),
                )
                .set_overrides((!overrides.is_empty()).then_some(overrides))
                .build(),
        )
        .set_instances_distribution(distribution)
        .build())
}

/// `InstanceMaintenancePolicy`.
pub(crate) fn maintenance(j: &Json, at: &At) -> Result<t::InstanceMaintenancePolicy, ApplyError> {
    Ok(t::InstanceMaintenancePolicy::builder()
        .set_min_healthy_percentage(at.int(j, "MinHealthyPercentage")?)
        .set_max_healthy_percentage(at.int(j, "MaxHealthyPercentage")?)
        .build())
}

/// `CapacityReservationSpecification`.
pub(crate) fn capacity_reservation(j: &Json) -> t::CapacityReservationSpecification {
    let target = j.get("CapacityReservationTarget").map(|tj| {
        t::CapacityReservationTarget::builder()
            .set_capacity_reservation_ids(texts(tj, "CapacityReservationIds"))
            .set_capacity_reservation_resource_group_arns(texts(
                tj,
                "CapacityReservationResourceGroupArns",
            ))
            .build()
    });
    t::CapacityReservationSpecification::builder()
        .set_capacity_reservation_preference(
            text(j, "CapacityReservationPreference")
                .map(|p| t::CapacityReservationPreference::from(p.as_str())),
        )
        .set_capacity_reservation_target(target)
        .build()
}

/// `AvailabilityZoneDistribution`.
pub(crate) fn az_distribution(j: &Json) -> t::AvailabilityZoneDistribution {
    t::AvailabilityZoneDistribution::builder()
        .set_capacity_distribution_strategy(
            text(j, "CapacityDistributionStrategy")
                .map(|s| t::CapacityDistributionStrategy::from(s.as_str())),
        )
        .build()
}

/// `LifecycleHookSpecification`.
pub(crate) fn hook(j: &Json, at: &At) -> Result<t::LifecycleHookSpecification, ApplyError> {
    Ok(t::LifecycleHookSpecification::builder()
        .set_lifecycle_hook_name(text(j, "LifecycleHookName"))
        .set_lifecycle_transition(text(j, "LifecycleTransition"))
        .set_heartbeat_timeout(at.int(j, "HeartbeatTimeout")?)
        .set_default_result(text(j, "DefaultResult"))
        .set_notification_metadata(text(j, "NotificationMetadata"))
        .set_notification_target_arn(text(j, "NotificationTargetARN"))
        .set_role_arn(text(j, "RoleARN"))
        .build())
}

/// Instance refresh `Preferences`.
pub(crate) fn refresh_preferences(j: &Json, at: &At) -> Result<t::RefreshPreferences, ApplyError> {
    let checkpoints = match j.get("CheckpointPercentages").and_then(Json::as_array) {
        Some(a) => {
            let mut out = Vec::with_capacity(a.len());
            for x in a {
                match x.as_i64().and_then(|n| i32::try_from(n).ok()) {
                    Some(n) => out.push(n),
                    None => {
                        return Err(ApplyError::Internal(format!(
                            "{} for `{}`: checkpoint {x} is not a 32-bit integer",
                            at.api, at.resource
                        )));
                    }
                }
            }
            Some(out)
        }
        None => None,
    };
    let alarms = j.get("AlarmSpecification").map(|a| {
        t::AlarmSpecification::builder()
            .set_alarms(texts(a, "Alarms"))
            .build()
    });
    Ok(t::RefreshPreferences::builder()
        .set_min_healthy_percentage(at.int(j, "MinHealthyPercentage")?)
        .set_max_healthy_percentage(at.int(j, "MaxHealthyPercentage")?)
        .set_instance_warmup(at.int(j, "InstanceWarmup")?)
        .set_checkpoint_percentages(checkpoints)
        .set_checkpoint_delay(at.int(j, "CheckpointDelay")?)
        .set_skip_matching(flag(j, "SkipMatching"))
        .set_auto_rollback(flag(j, "AutoRollback"))
        .set_alarm_specification(alarms)
        .build())
}

fn dimensions(j: &Json) -> Option<Vec<t::MetricDimension>> {
    j.get("Dimensions").and_then(Json::as_array).map(|a| {
        a.iter()
            .map(|d| {
                t::MetricDimension::builder()
                    .set_name(text(d, "Name"))
                    .set_value(text(d, "Value"))
                    .build()
            })
            .collect()
    })
}

/// A metric's `Metric` member (namespace, name, dimensions).
fn metric(j: &Json) -> t::Metric {
    t::Metric::builder()
        .set_namespace(text(j, "Namespace"))
        .set_metric_name(text(j, "MetricName"))
        .set_dimensions(dimensions(j))
        .build()
}

/// Predictive scaling's `MetricDataQueries`.
fn data_queries(j: &Json) -> Vec<t::MetricDataQuery> {
    j.get("MetricDataQueries")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .map(|q| {
            let stat = q.get("MetricStat").map(|s| {
                t::MetricStat::builder()
                    .set_metric(s.get("Metric").map(metric))
                    .set_stat(text(s, "Stat"))
                    .build()
            });
            t::MetricDataQuery::builder()
                .set_id(text(q, "Id"))
                .set_expression(text(q, "Expression"))
                .set_metric_stat(stat)
                .set_return_data(flag(q, "ReturnData"))
                .build()
        })
        .collect()
}

/// `PredictiveScalingConfiguration`.
pub(crate) fn predictive_configuration(
    j: &Json,
    at: &At,
) -> Result<t::PredictiveScalingConfiguration, ApplyError> {
    let specs = j
        .get("MetricSpecifications")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .map(|s| {
            let pair = s.get("PredefinedMetricPairSpecification").map(|p| {
                t::PredictiveScalingPredefinedMetricPair::builder()
                    .set_predefined_metric_type(
                        text(p, "PredefinedMetricType")
                            .map(|k| t::PredefinedMetricPairType::from(k.as_str())),
                    )
                    .set_resource_label(text(p, "ResourceLabel"))
                    .build()
            });
            let scaling = s.get("CustomizedScalingMetricSpecification").map(|c| {
                t::PredictiveScalingCustomizedScalingMetric::builder()
                    .set_metric_data_queries(Some(data_queries(c)))
                    .build()
            });
            let load = s.get("CustomizedLoadMetricSpecification").map(|c| {
                t::PredictiveScalingCustomizedLoadMetric::builder()
                    .set_metric_data_queries(Some(data_queries(c)))
                    .build()
            });
            t::PredictiveScalingMetricSpecification::builder()
                .set_target_value(s.get("TargetValue").and_then(Json::as_f64))
                .set_predefined_metric_pair_specification(pair)
                .set_customized_scaling_metric_specification(scaling)
                .set_customized_load_metric_specification(load)
                .build()
        })
        .collect();
    Ok(t::PredictiveScalingConfiguration::builder()
        .set_metric_specifications(Some(specs))
        .set_mode(text(j, "Mode").map(|m| t::PredictiveScalingMode::from(m.as_str())))
        .set_scheduling_buffer_time(at.int(j, "SchedulingBufferTime")?)
        .set_max_capacity_breach_behavior(
            text(j, "MaxCapacityBreachBehavior")
                .map(|b| t::PredictiveScalingMaxCapacityBreachBehavior::from(b.as_str())),
        )
        .set_max_capacity_buffer(at.int(j, "MaxCapacityBuffer")?)
        .build())
}

/// A target-tracking `CustomizedMetricSpecification` over metric math
/// (`Metrics`).
pub(crate) fn tracking_math(j: &Json) -> t::CustomizedMetricSpecification {
    let queries = j
        .get("Metrics")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .map(|q| {
            let stat = q.get("MetricStat").map(|s| {
                t::TargetTrackingMetricStat::builder()
                    .set_metric(s.get("Metric").map(metric))
                    .set_stat(text(s, "Stat"))
                    .build()
            });
            t::TargetTrackingMetricDataQuery::builder()
                .set_id(text(q, "Id"))
                .set_expression(text(q, "Expression"))
                .set_label(text(q, "Label"))
                .set_metric_stat(stat)
                .set_return_data(flag(q, "ReturnData"))
                .build()
        })
        .collect();
    t::CustomizedMetricSpecification::builder()
        .set_metrics(Some(queries))
        .build()
}
