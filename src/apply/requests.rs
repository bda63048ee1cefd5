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
        "MetricAggregationType": p.metric_aggregation_type(),
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
        if let Some(cu) = c.customized_metric_specification() {
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
    r
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
        "DatapointsToAlarm": a.datapoints_to_alarm(),
        "Threshold": a.threshold(),
        "ComparisonOperator": a.comparison_operator().map(|c| c.as_str()),
        "TreatMissingData": a.treat_missing_data(),
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
        request["LaunchTemplate"] =
            json!({ "LaunchTemplateId": lt.launch_template_id(), "Version": lt.version() });
    }
    request
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
