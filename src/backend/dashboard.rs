//! Shapes shared by the backends: dashboard layout (which widgets show
//! which metrics), step adjustments, target-tracking and predictive
//! scaling configurations. The caller says how a dimension value is
//! written (a literal name for the apply plan, `${WebGroup}` for
//! CloudFormation's `Fn::Sub`).

use crate::backend::json::Json;
use crate::json;
use crate::model::{Dashboard, DimensionValue, Group, Statistic, Widget};

/// A step policy's `StepAdjustments`, the same in a template and an API call.
pub fn step_adjustments(steps: &[crate::model::StepAdjustment]) -> Vec<Json> {
    steps
        .iter()
        .map(|s| {
            let mut j = json!({ "ScalingAdjustment": s.adjustment });
            if let Some(l) = s.lower {
                j["MetricIntervalLowerBound"] = json!(l);
            }
            if let Some(u) = s.upper {
                j["MetricIntervalUpperBound"] = json!(u);
            }
            j
        })
        .collect()
}

/// A target-tracking policy's `TargetTrackingConfiguration`. The two parts
/// whose form differs per backend come from the caller: the ALB resource
/// label of a load balancer and target group, and a custom metric's
/// dimensions.
pub fn target_tracking_configuration(
    metric: &crate::model::Metric,
    math: Option<&crate::model::MetricQuery>,
    target: f64,
    disable_scale_in: bool,
    resource_label: impl FnOnce(&crate::model::Value, &crate::model::Value) -> Json,
    dimensions: impl Fn(&crate::model::Metric) -> Json,
) -> Json {
    let mut conf = json!({ "TargetValue": target });
    if disable_scale_in {
        conf["DisableScaleIn"] = json!(true);
    }
    if let Some(crate::model::MetricQuery::Math {
        expression,
        metrics,
    }) = math
    {
        let mut queries: Vec<Json> = metrics
            .iter()
            .map(|(id, m)| {
                json!({
                    "Id": id,
                    "MetricStat": {
                        "Metric": { "Namespace": &m.namespace, "MetricName": &m.name, "Dimensions": dimensions(m) },
                        "Stat": statistic(m.statistic),
                    },
                    "ReturnData": false,
                })
            })
            .collect();
        queries.push(json!({ "Id": "e1", "Expression": expression, "Label": &metric.key, "ReturnData": true }));
        conf["CustomizedMetricSpecification"] = json!({ "Metrics": queries });
        return conf;
    }
    match &metric.predefined {
        Some(pre) => {
            let mut spec = json!({ "PredefinedMetricType": &pre.kind });
            if let Some((lb, tg)) = &pre.resource_label {
                spec["ResourceLabel"] = resource_label(lb, tg);
            }
            conf["PredefinedMetricSpecification"] = spec;
        }
        None => {
            conf["CustomizedMetricSpecification"] = json!({
                "Namespace": &metric.namespace,
                "MetricName": &metric.name,
                "Dimensions": dimensions(metric),
                "Statistic": statistic(metric.statistic),
            });
        }
    }
    conf
}

/// A predictive policy's `PredictiveScalingConfiguration`. As for target
/// tracking, the caller writes the ALB resource label and a metric's
/// dimensions.
pub fn predictive_configuration(
    kind: &crate::model::PolicyKind,
    resource_label: impl Fn(&crate::model::Value, &crate::model::Value) -> Json,
    dimensions: impl Fn(&crate::model::Metric) -> Json,
) -> Json {
    use crate::model::{PolicyKind, PredictiveMetric};
    let PolicyKind::Predictive {
        metric,
        target,
        mode,
        buffer,
        max_capacity_breach,
        max_capacity_buffer,
    } = kind
    else {
        return Json::Null;
    };
    let query = |id: &str, m: &crate::model::Metric| {
        json!({ "MetricDataQueries": [{
            "Id": id,
            "MetricStat": {
                "Metric": { "Namespace": &m.namespace, "MetricName": &m.name, "Dimensions": dimensions(m) },
                "Stat": statistic(m.statistic),
            },
            "ReturnData": true,
        }] })
    };
    let mut spec = json!({ "TargetValue": target });
    match metric {
        PredictiveMetric::Pair {
            kind,
            resource_label: label,
            ..
        } => {
            let mut pair = json!({ "PredefinedMetricType": kind });
            if let Some((lb, tg)) = label {
                pair["ResourceLabel"] = resource_label(lb, tg);
            }
            spec["PredefinedMetricPairSpecification"] = pair;
        }
        PredictiveMetric::Custom { scaling, load } => {
            spec["CustomizedScalingMetricSpecification"] = query("scaling", scaling);
            spec["CustomizedLoadMetricSpecification"] = query("load", load);
        }
    }
    let mut conf = json!({
        "MetricSpecifications": [spec],
        "Mode": mode,
        "MaxCapacityBreachBehavior": max_capacity_breach,
    });
    if let Some(b) = buffer {
        conf["SchedulingBufferTime"] = json!(b);
    }
    if let Some(b) = max_capacity_buffer {
        conf["MaxCapacityBuffer"] = json!(b);
    }
    conf
}

/// CloudWatch's name of a statistic.
pub fn statistic(s: Statistic) -> &'static str {
    match s {
        Statistic::Average => "Average",
        Statistic::Sum => "Sum",
        Statistic::Minimum => "Minimum",
        Statistic::Maximum => "Maximum",
        Statistic::SampleCount => "SampleCount",
    }
}

/// The dashboard body, `{"widgets": [...]}`. `region` is written as given
/// (left out when empty);
/// `dim` writes a dimension value (the group's name included).
pub fn body(
    g: &Group,
    d: &Dashboard,
    region: &str,
    dim: &mut dyn FnMut(&DimensionValue) -> String,
) -> Json {
    let group = dim(&DimensionValue::GroupName);
    let asg = |metric: &str, opts: Json| {
        json!([
            "AWS/AutoScaling",
            metric,
            "AutoScalingGroupName",
            &group,
            opts
        ])
    };
    let mut widgets = Vec::new();
    for (i, w) in d.widgets.iter().enumerate() {
        let (title, metrics, stat) = match w {
            Widget::Capacity => (
                format!("{}: capacity", g.name),
                json!([
                    asg("GroupDesiredCapacity", json!({ "label": "Desired" })),
                    asg("GroupInServiceInstances", json!({ "label": "In service" })),
                    asg("GroupTotalInstances", json!({ "label": "Total" })),
                ]),
                "Average",
            ),
            Widget::Activity => (
                format!("{}: scaling activity", g.name),
                json!([
                    asg("GroupPendingInstances", json!({ "label": "Pending" })),
                    asg(
                        "GroupTerminatingInstances",
                        json!({ "label": "Terminating" })
                    ),
                ]),
                "Average",
            ),
            Widget::Utilization => (
                format!("{}: in service, % of max", g.name),
                json!([
                    asg("GroupInServiceInstances", json!({ "id": "m1", "visible": false })),
                    asg("GroupMaxSize", json!({ "id": "m2", "visible": false })),
                    [{ "expression": "100 * m1 / m2", "label": "In service, % of max", "id": "e1" }],
                ]),
                "Average",
            ),
            Widget::Correlate { metric } => {
                let mut row: Vec<Json> = vec![json!(&metric.namespace), json!(&metric.name)];
                for (n, dv) in &metric.dimensions {
                    row.push(json!(n));
                    row.push(Json::String(dim(dv)));
                }
                row.push(json!({ "stat": statistic(metric.statistic), "label": &metric.key }));
                (
                    format!("{}: {} vs capacity", g.name, metric.key),
                    Json::Array(vec![
                        Json::Array(row),
                        asg(
                            "GroupInServiceInstances",
                            json!({ "label": "In service", "yAxis": "right" }),
                        ),
                    ]),
                    statistic(metric.statistic),
                )
            }
        };
        let mut props = json!({
            "title": title,
            "view": "timeSeries",
            "stat": stat,
            "period": 60,
        });
        // A plan for no region yet: the widget shows the console's.
        if !region.is_empty() {
            props["region"] = json!(region);
        }
        props["metrics"] = metrics;
        let mut widget = json!({
            "type": "metric",
            "x": (i % 2) * 12,
            "y": (i / 2) * 6,
            "width": 12,
            "height": 6,
        });
        widget["properties"] = props;
        widgets.push(widget);
    }
    let mut out = json!({});
    out["widgets"] = Json::Array(widgets);
    out
}
