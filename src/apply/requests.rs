//! Live resources in the shape of the requests that would create them, so
//! the plan's diff compares like with like.

use serde_json::Value as Json;

fn dims_json<'a>(dims: impl Iterator<Item = (Option<&'a str>, Option<&'a str>)>) -> Json {
    Json::Array(
        dims.map(|(n, v)| serde_json::json!({ "Name": n, "Value": v }))
            .collect(),
    )
}

/// A live policy in the shape of its `PutScalingPolicy` request.
pub(crate) fn policy_request(p: &aws_sdk_autoscaling::types::ScalingPolicy) -> Json {
    use serde_json::json;
    let mut r = json!({
        "AutoScalingGroupName": p.auto_scaling_group_name(),
        "PolicyName": p.policy_name(),
        "PolicyType": p.policy_type(),
        "AdjustmentType": p.adjustment_type(),
        "ScalingAdjustment": p.scaling_adjustment(),
        "Cooldown": p.cooldown(),
        "MinAdjustmentMagnitude": p.min_adjustment_magnitude(),
        // A step policy without one aggregates by average (AWS's default).
        "MetricAggregationType": p.metric_aggregation_type().or(
            (p.policy_type() == Some("StepScaling")).then_some("Average"),
        ),
        "EstimatedInstanceWarmup": p.estimated_instance_warmup(),
    });
    let steps: Vec<Json> = p
        .step_adjustments()
        .iter()
        .map(|s| {
            let mut j = json!({ "ScalingAdjustment": s.scaling_adjustment() });
            if let Some(l) = s.metric_interval_lower_bound() {
                j["MetricIntervalLowerBound"] = json!(l);
            }
            if let Some(u) = s.metric_interval_upper_bound() {
                j["MetricIntervalUpperBound"] = json!(u);
            }
            j
        })
        .collect();
    r["StepAdjustments"] = Json::Array(steps);
    if let Some(c) = p.target_tracking_configuration() {
        let mut conf = json!({ "TargetValue": c.target_value() });
        if c.disable_scale_in() == Some(true) {
            conf["DisableScaleIn"] = json!(true);
        }
        if let Some(pre) = c.predefined_metric_specification() {
            let mut spec =
                json!({ "PredefinedMetricType": pre.predefined_metric_type().map(|t| t.as_str()) });
            if let Some(l) = pre.resource_label() {
                spec["ResourceLabel"] = json!(l);
            }
            conf["PredefinedMetricSpecification"] = spec;
        }
        if let Some(cu) = c.customized_metric_specification()
            && !cu.metrics().is_empty()
        {
            let queries: Vec<Json> = cu
                .metrics()
                .iter()
                .map(|q| {
                    let mut j = json!({ "Id": q.id(), "ReturnData": q.return_data() });
                    if let Some(e) = q.expression() {
                        j["Expression"] = json!(e);
                    }
                    if let Some(l) = q.label() {
                        j["Label"] = json!(l);
                    }
                    if let Some(s) = q.metric_stat() {
                        let m = s.metric();
                        let mut metric = json!({
                            "Namespace": m.and_then(|m| m.namespace()),
                            "MetricName": m.and_then(|m| m.metric_name()),
                        });
                        metric["Dimensions"] = dims_json(
                            m.map(|m| m.dimensions())
                                .unwrap_or_default()
                                .iter()
                                .map(|d| (d.name(), d.value())),
                        );
                        j["MetricStat"] = json!({ "Metric": metric, "Stat": s.stat() });
                    }
                    j
                })
                .collect();
            conf["CustomizedMetricSpecification"] = json!({ "Metrics": queries });
        } else if let Some(cu) = c.customized_metric_specification() {
            let mut spec = json!({
                "Namespace": cu.namespace(),
                "MetricName": cu.metric_name(),
                "Statistic": cu.statistic().map(|s| s.as_str()),
            });
            spec["Dimensions"] = dims_json(cu.dimensions().iter().map(|d| (d.name(), d.value())));
            conf["CustomizedMetricSpecification"] = spec;
        }
        r["TargetTrackingConfiguration"] = conf;
    }
    if let Some(c) = p.predictive_scaling_configuration() {
        r["PredictiveScalingConfiguration"] = predictive_request(c);
    }
    r
}

/// A live `PredictiveScalingConfiguration` in request shape.
fn predictive_request(c: &aws_sdk_autoscaling::types::PredictiveScalingConfiguration) -> Json {
    use serde_json::json;
    let queries = |q: &[aws_sdk_autoscaling::types::MetricDataQuery]| -> Json {
        let items: Vec<Json> = q
            .iter()
            .map(|x| {
                let mut j = json!({ "Id": x.id() });
                if let Some(e) = x.expression() {
                    j["Expression"] = json!(e);
                }
                if let Some(s) = x.metric_stat() {
                    let m = s.metric();
                    let mut metric = json!({
                        "Namespace": m.and_then(|m| m.namespace()),
                        "MetricName": m.and_then(|m| m.metric_name()),
                    });
                    metric["Dimensions"] = dims_json(
                        m.map(|m| m.dimensions())
                            .unwrap_or_default()
                            .iter()
                            .map(|d| (d.name(), d.value())),
                    );
                    j["MetricStat"] = json!({ "Metric": metric, "Stat": s.stat() });
                }
                if let Some(r) = x.return_data() {
                    j["ReturnData"] = json!(r);
                }
                j
            })
            .collect();
        json!({ "MetricDataQueries": items })
    };
    let specs: Vec<Json> = c
        .metric_specifications()
        .iter()
        .map(|s| {
            let mut j = json!({ "TargetValue": s.target_value() });
            if let Some(p) = s.predefined_metric_pair_specification() {
                let mut pair = json!({ "PredefinedMetricType": p.predefined_metric_type().map(|t| t.as_str()) });
                if let Some(l) = p.resource_label() {
                    pair["ResourceLabel"] = json!(l);
                }
                j["PredefinedMetricPairSpecification"] = pair;
            }
            if let Some(m) = s.customized_scaling_metric_specification() {
                j["CustomizedScalingMetricSpecification"] = queries(m.metric_data_queries());
            }
            if let Some(m) = s.customized_load_metric_specification() {
                j["CustomizedLoadMetricSpecification"] = queries(m.metric_data_queries());
            }
            j
        })
        .collect();
    let mut out = json!({
        "MetricSpecifications": specs,
        "Mode": c.mode().map(|m| m.as_str()),
        "MaxCapacityBreachBehavior": c.max_capacity_breach_behavior().map(|b| b.as_str()),
    });
    if let Some(b) = c.scheduling_buffer_time() {
        out["SchedulingBufferTime"] = json!(b);
    }
    if let Some(b) = c.max_capacity_buffer() {
        out["MaxCapacityBuffer"] = json!(b);
    }
    out
}

/// A live alarm in the shape of its `PutMetricAlarm` request, actions as ARNs.
pub(crate) fn alarm_request(a: &aws_sdk_cloudwatch::types::MetricAlarm) -> Json {
    use serde_json::json;
    let mut r = json!({
        "AlarmName": a.alarm_name(),
        "AlarmDescription": a.alarm_description(),
        "Namespace": a.namespace(),
        "MetricName": a.metric_name(),
        "Statistic": a.statistic().map(|s| s.as_str()),
        "Period": a.period(),
        "EvaluationPeriods": a.evaluation_periods(),
        // Unset means every evaluated period, and `missing`: AWS's defaults.
        "DatapointsToAlarm": a.datapoints_to_alarm().or(a.evaluation_periods()),
        "Threshold": a.threshold(),
        "ComparisonOperator": a.comparison_operator().map(|c| c.as_str()),
        "TreatMissingData": a.treat_missing_data().unwrap_or("missing"),
        "AlarmActions": a.alarm_actions(),
    });
    if !a.dimensions().is_empty() {
        r["Dimensions"] = dims_json(a.dimensions().iter().map(|d| (d.name(), d.value())));
    }
    let metrics: Vec<Json> = a
        .metrics()
        .iter()
        .map(|q| {
            let mut j = json!({ "Id": q.id(), "ReturnData": q.return_data() });
            if let Some(e) = q.expression() {
                j["Expression"] = json!(e);
            }
            if let Some(l) = q.label() {
                j["Label"] = json!(l);
            }
            if let Some(ms) = q.metric_stat() {
                let m = ms.metric();
                let mut metric = json!({
                    "Namespace": m.and_then(|m| m.namespace()),
                    "MetricName": m.and_then(|m| m.metric_name()),
                });
                metric["Dimensions"] = dims_json(
                    m.map(|m| m.dimensions())
                        .unwrap_or_default()
                        .iter()
                        .map(|d| (d.name(), d.value())),
                );
                let mut stat = json!({ "Period": ms.period(), "Stat": ms.stat() });
                stat["Metric"] = metric;
                j["MetricStat"] = stat;
            }
            j
        })
        .collect();
    if !metrics.is_empty() {
        r["Metrics"] = Json::Array(metrics);
    }
    r
}

/// A live group in the shape of its `CreateAutoScalingGroup` request (tags
/// and metrics are read separately).
pub(crate) fn group_request(g: &aws_sdk_autoscaling::types::AutoScalingGroup) -> Json {
    use serde_json::json;
    let mut request = json!({
        "AutoScalingGroupName": g.auto_scaling_group_name(),
        "MinSize": g.min_size(),
        "MaxSize": g.max_size(),
        "DesiredCapacity": g.desired_capacity(),
        "VPCZoneIdentifier": g.vpc_zone_identifier(),
        "TargetGroupARNs": g.target_group_arns(),
        "HealthCheckType": g.health_check_type(),
        "HealthCheckGracePeriod": g.health_check_grace_period(),
        "DefaultInstanceWarmup": g.default_instance_warmup(),
        "DefaultCooldown": g.default_cooldown(),
        "TerminationPolicies": g.termination_policies(),
    });
    if let Some(lt) = g.launch_template() {
        request["LaunchTemplate"] = launch_template(lt);
    }
    if let Some(m) = g.mixed_instances_policy() {
        request["MixedInstancesPolicy"] = mixed_instances_policy(m);
    }
    if g.capacity_rebalance() == Some(true) {
        request["CapacityRebalance"] = json!(true);
    }
    if g.new_instances_protected_from_scale_in() == Some(true) {
        request["NewInstancesProtectedFromScaleIn"] = json!(true);
    }
    if let Some(p) = g.instance_maintenance_policy() {
        // -1 and -1 (or nothing) is AWS's "no policy".
        if p.min_healthy_percentage().is_some_and(|v| v >= 0) {
            request["InstanceMaintenancePolicy"] = json!({
                "MinHealthyPercentage": p.min_healthy_percentage(),
                "MaxHealthyPercentage": p.max_healthy_percentage(),
            });
        }
    }
    if let Some(c) = g.capacity_reservation_specification() {
        let mut j = json!({
            "CapacityReservationPreference": c.capacity_reservation_preference().map(|p| p.as_str()),
        });
        if let Some(t) = c.capacity_reservation_target() {
            let mut target = serde_json::Map::new();
            if !t.capacity_reservation_ids().is_empty() {
                target.insert(
                    "CapacityReservationIds".into(),
                    json!(t.capacity_reservation_ids()),
                );
            }
            if !t.capacity_reservation_resource_group_arns().is_empty() {
                target.insert(
                    "CapacityReservationResourceGroupArns".into(),
                    json!(t.capacity_reservation_resource_group_arns()),
                );
            }
            if !target.is_empty() {
                j["CapacityReservationTarget"] = Json::Object(target);
            }
        }
        // `default` is what a group without one has.
        if j["CapacityReservationPreference"] != json!("default")
            || j.get("CapacityReservationTarget").is_some()
        {
            request["CapacityReservationSpecification"] = j;
        }
    }
    if let Some(d) = g.availability_zone_distribution()
        && let Some(s) = d.capacity_distribution_strategy()
        && s.as_str() != "balanced-best-effort"
    {
        request["AvailabilityZoneDistribution"] =
            json!({ "CapacityDistributionStrategy": s.as_str() });
    }
    request
}

/// A launch template specification in request shape. AWS answers with
/// both the id and the name; the diff compares only what the spec names.
fn launch_template(lt: &aws_sdk_autoscaling::types::LaunchTemplateSpecification) -> Json {
    let mut j = serde_json::Map::new();
    if let Some(id) = lt.launch_template_id() {
        j.insert("LaunchTemplateId".into(), Json::from(id));
    }
    if let Some(n) = lt.launch_template_name() {
        j.insert("LaunchTemplateName".into(), Json::from(n));
    }
    if let Some(v) = lt.version() {
        j.insert("Version".into(), Json::from(v));
    }
    Json::Object(j)
}

/// A live mixed instances policy in request shape.
fn mixed_instances_policy(m: &aws_sdk_autoscaling::types::MixedInstancesPolicy) -> Json {
    use serde_json::json;
    let mut lt = serde_json::Map::new();
    if let Some(t) = m.launch_template() {
        if let Some(spec) = t.launch_template_specification() {
            lt.insert("LaunchTemplateSpecification".into(), launch_template(spec));
        }
        let overrides: Vec<Json> = t
            .overrides()
            .iter()
            .map(|o| {
                let mut j = serde_json::Map::new();
                if let Some(it) = o.instance_type() {
                    j.insert("InstanceType".into(), json!(it));
                }
                if let Some(r) = o.instance_requirements() {
                    let range = |min: Option<i32>, max: Option<i32>| {
                        let mut x = json!({ "Min": min });
                        if let Some(m) = max {
                            x["Max"] = json!(m);
                        }
                        x
                    };
                    j.insert(
                        "InstanceRequirements".into(),
                        json!({
                            "VCpuCount": range(r.v_cpu_count().and_then(|v| v.min()), r.v_cpu_count().and_then(|v| v.max())),
                            "MemoryMiB": range(r.memory_mib().and_then(|v| v.min()), r.memory_mib().and_then(|v| v.max())),
                        }),
                    );
                }
                if let Some(w) = o.weighted_capacity() {
                    j.insert("WeightedCapacity".into(), json!(w));
                }
                if let Some(spec) = o.launch_template_specification() {
                    j.insert("LaunchTemplateSpecification".into(), launch_template(spec));
                }
                Json::Object(j)
            })
            .collect();
        if !overrides.is_empty() {
            lt.insert("Overrides".into(), Json::Array(overrides));
        }
    }
    let mut out = json!({ "LaunchTemplate": Json::Object(lt) });
    if let Some(d) = m.instances_distribution() {
        let mut dist = serde_json::Map::new();
        let mut put = |k: &str, v: Json| {
            if !v.is_null() {
                dist.insert(k.into(), v);
            }
        };
        put(
            "OnDemandAllocationStrategy",
            json!(d.on_demand_allocation_strategy()),
        );
        put("OnDemandBaseCapacity", json!(d.on_demand_base_capacity()));
        put(
            "OnDemandPercentageAboveBaseCapacity",
            json!(d.on_demand_percentage_above_base_capacity()),
        );
        put(
            "SpotAllocationStrategy",
            json!(d.spot_allocation_strategy()),
        );
        put("SpotInstancePools", json!(d.spot_instance_pools()));
        if !dist.is_empty() {
            out["InstancesDistribution"] = Json::Object(dist);
        }
    }
    out
}

/// A live scheduled action in the shape of its `PutScheduledUpdateGroupAction` request.
pub(crate) fn schedule_request(a: &aws_sdk_autoscaling::types::ScheduledUpdateGroupAction) -> Json {
    serde_json::json!({
        "AutoScalingGroupName": a.auto_scaling_group_name(),
        "ScheduledActionName": a.scheduled_action_name(),
        "Recurrence": a.recurrence(),
        "TimeZone": a.time_zone(),
        "MinSize": a.min_size(),
        "MaxSize": a.max_size(),
        "DesiredCapacity": a.desired_capacity(),
    })
}

/// A live warm pool in the shape of its `PutWarmPool` request (without
/// the group's name).
pub(crate) fn warm_pool_request(w: &aws_sdk_autoscaling::types::WarmPoolConfiguration) -> Json {
    let mut j = serde_json::json!({
        "MinSize": w.min_size(),
        "PoolState": w.pool_state().map(|s| s.as_str()),
        "InstanceReusePolicy": {
            "ReuseOnScaleIn": w.instance_reuse_policy().and_then(|r| r.reuse_on_scale_in()).unwrap_or(false),
        },
    });
    // -1 (or nothing) is "the group's maximum".
    if let Some(m) = w.max_group_prepared_capacity().filter(|m| *m >= 0) {
        j["MaxGroupPreparedCapacity"] = serde_json::json!(m);
    }
    j
}

/// A live lifecycle hook in the shape of its `PutLifecycleHook` request.
pub(crate) fn hook_request(h: &aws_sdk_autoscaling::types::LifecycleHook) -> Json {
    serde_json::json!({
        "AutoScalingGroupName": h.auto_scaling_group_name(),
        "LifecycleHookName": h.lifecycle_hook_name(),
        "LifecycleTransition": h.lifecycle_transition(),
        "HeartbeatTimeout": h.heartbeat_timeout(),
        "DefaultResult": h.default_result(),
        "NotificationMetadata": h.notification_metadata(),
        "NotificationTargetARN": h.notification_target_arn(),
        "RoleARN": h.role_arn(),
    })
}
