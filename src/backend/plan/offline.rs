//! A model environment to the calls that create it in an empty account
//! (`scalec plan --offline`): every param value concrete, ARNs that exist
//! only after an earlier call as [`ArnRef`]s.

use super::*;
use crate::backend::json::Json as Gen;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{self, *};
use serde_json::Value as Json;
use std::collections::BTreeMap;

struct Values<'a> {
    params: BTreeMap<&'a str, &'a model::Param>,
}

impl Values<'_> {
    fn one(&self, v: &Value) -> String {
        match v {
            Value::Literal(s) => s.clone(),
            Value::Param(p) => match self.params.get(p.as_str()).and_then(|x| x.value.as_ref()) {
                Some(ParamValue::One(s)) => s.clone(),
                Some(ParamValue::List(l)) => l.join(","),
                None => String::new(),
            },
        }
    }

    fn list(&self, v: &ListValue) -> Vec<String> {
        match v {
            ListValue::Items(items) => items.iter().map(|i| self.one(i)).collect(),
            ListValue::Param(p) => match self.params.get(p.as_str()).and_then(|x| x.value.as_ref())
            {
                Some(ParamValue::List(l)) => l.clone(),
                Some(ParamValue::One(s)) => vec![s.clone()],
                None => vec![],
            },
        }
    }

    fn dim(&self, d: &DimensionValue, group: &str) -> String {
        match d {
            DimensionValue::GroupName => group.to_string(),
            DimensionValue::LoadBalancer(v) => {
                let arn = self.one(v);
                arn.split_once("loadbalancer/")
                    .map(|(_, r)| r.to_string())
                    .unwrap_or(arn)
            }
            DimensionValue::TargetGroup(v) => {
                let arn = self.one(v);
                arn.splitn(6, ':').nth(5).map(str::to_string).unwrap_or(arn)
            }
            DimensionValue::Plain(v) => self.one(v),
        }
    }

    fn dimensions(&self, m: &Metric, group: &str) -> Vec<Json> {
        m.dimensions
            .iter()
            .map(|(n, d)| serde_json::json!({ "Name": n, "Value": self.dim(d, group) }))
            .collect()
    }
}

/// The params an environment's plan needs a value for: those its groups and
/// topics use.
fn used_params(env: &model::Environment) -> Vec<String> {
    let mut out = Vec::new();
    let json = serde_json::to_value((&env.topics, &env.groups)).unwrap_or(Json::Null);
    collect_params(&json, &mut out);
    out.sort();
    out.dedup();
    out
}

fn collect_params(j: &Json, out: &mut Vec<String>) {
    match j {
        Json::Object(m) => {
            if let (1, Some(Json::String(p))) = (m.len(), m.get("param")) {
                out.push(p.clone());
            }
            m.values().for_each(|v| collect_params(v, out));
        }
        Json::Array(a) => a.iter().for_each(|v| collect_params(v, out)),
        _ => {}
    }
}

fn tags(env: &model::Environment) -> Vec<Tag> {
    env.tags
        .iter()
        .map(|(k, v)| Tag {
            key: k.clone(),
            value: v.clone(),
        })
        .collect()
}

/// Lists the calls that create `env` in an empty account. `region` overrides
/// the spec's; with neither, the plan's region is empty (for any region).
/// `spec_text` is fingerprinted into the plan.
pub fn model_to_plan(
    env: &model::Environment,
    region: Option<&str>,
    spec_text: &str,
) -> Result<ApplyPlan, Diagnostics> {
    let mut diags = super::unsupported(env);
    // Without a region the plan is for any region: an offline plan reads
    // no account, and `apply` refuses a plan without one (`no_region`).
    let region = region
        .map(str::to_string)
        .or_else(|| env.region.clone())
        .unwrap_or_default();
    missing_params(env, &mut diags);
    params_of_another_region(env, &region, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    let values = Values {
        params: env.params.iter().map(|p| (p.name.as_str(), p)).collect(),
    };
    let one = |v: &Value| Gen::String(values.one(v));
    let list = |v: &ListValue| Gen::from(values.list(v));
    let render = crate::backend::fleet::Render {
        one: &one,
        list: &list,
    };
    let mut ops = topic_ops(env, &values);
    for g in &env.groups {
        ops.push(group_op(g, &values, &render));
    }
    for g in &env.groups {
        group_setting_ops(env, g, &values, &mut ops);
    }
    for g in &env.groups {
        alarm_ops(env, g, &values, &mut ops);
    }
    // After the group's hooks (in its create call, or step 4), as AWS
    // asks: a warm pool's instances go through the launch hooks.
    for g in &env.groups {
        if let Some(w) = &g.warm_pool {
            let mut req = crate::backend::fleet::warm_pool(w);
            req["AutoScalingGroupName"] = Gen::from(g.physical_name.clone());
            ops.push(create_op(
                5,
                &g.physical_name,
                Call::PutWarmPool(req.into()),
            ));
        }
    }
    for g in &env.groups {
        if let Some(d) = &g.dashboard {
            ops.push(dashboard_op(g, d, &values, &region));
        }
    }
    Ok(ApplyPlan {
        format_version: FORMAT_VERSION,
        app: env.app.clone(),
        environment: env.name.clone(),
        region,
        source: String::new(),
        account: None,
        spec_hash: fingerprint(spec_text),
        params: Default::default(),
        state_fingerprint: "empty".into(),
        left_alone: vec![],
        refresh: refreshes(env, &render),
        operations: ops,
    })
}

/// Reports each param the plan uses that has no value.
fn missing_params(env: &model::Environment, diags: &mut Diagnostics) {
    for name in used_params(env) {
        if let Some(p) = env
            .params
            .iter()
            .find(|p| p.name == name && p.value.is_none())
        {
            diags.push(
                Diagnostic::error(
                    error::MISSING_PARAM,
                    format!("param `{name}` has no value in environment `{}`", env.name),
                    p.origin,
                    "needs a value to plan",
                )
                .with_help(format!(
                    "pass `--param {name}=VALUE`{}, or set `param.{name} = ...` in the environment",
                    if p.list { " (comma-separated)" } else { "" }
                )),
            );
        }
    }
}

/// Reports params whose ARNs don't suit `region`: with `--region`, ARNs
/// that suited the spec's region may not suit this one. What groups use is
/// regional; topics subscribe endpoints in any region of the partition.
fn params_of_another_region(env: &model::Environment, region: &str, diags: &mut Diagnostics) {
    let regional = {
        let mut out = Vec::new();
        let json = serde_json::to_value(&env.groups).unwrap_or(Json::Null);
        collect_params(&json, &mut out);
        out
    };
    for p in &env.params {
        let values: Vec<&String> = match &p.value {
            Some(ParamValue::One(v)) => vec![v],
            Some(ParamValue::List(l)) => l.iter().collect(),
            None => vec![],
        };
        for v in values {
            if region.is_empty() {
                continue;
            }
            if let Some(arn) = crate::kinds::arn::arn_parts(v) {
                let want = crate::kinds::arn::partition_of(region);
                if arn.partition != want {
                    diags.push(
                        Diagnostic::error(
                            crate::check::error::WRONG_REGION,
                            format!("`{v}` is in the partition `{}`, but environment `{}` deploys to {region}, in `{want}`", arn.partition, env.name),
                            p.origin,
                            format!("param `{}`", p.name),
                        )
                        .with_help(format!("pass the ARN of the resource in `{want}`, or another `--region`")),
                    );
                    continue;
                }
            }
            if regional.contains(&p.name)
                && let Some(theirs) = crate::kinds::arn::arn_region(p.ty, v)
                && theirs != region
            {
                diags.push(crate::check::wrong_region(
                    v, theirs, &env.name, region, p.origin,
                ));
            }
        }
    }
}

/// A create of `resource` at `step`.
fn create_op(step: u32, resource: &str, call: Call) -> Operation {
    Operation {
        step,
        action: Action::Create,
        resource: resource.to_string(),
        call,
        changes: vec![],
        note: None,
    }
}

/// The topic the spec calls `name`, by its physical name.
fn topic_arn(env: &model::Environment, name: &str) -> ArnRef {
    ArnRef::Topic(
        env.topics
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.physical_name.clone())
            .unwrap_or_default(),
    )
}

/// The topics' creates (step 1), then their subscriptions (step 2).
fn topic_ops(env: &model::Environment, values: &Values) -> Vec<Operation> {
    let mut ops = Vec::new();
    for t in &env.topics {
        ops.push(create_op(
            1,
            &t.physical_name,
            Call::CreateTopic {
                name: t.physical_name.clone(),
                attributes: t
                    .display_name
                    .iter()
                    .map(|d| ("DisplayName".to_string(), values.one(d)))
                    .collect(),
                tags: tags(env),
            },
        ));
    }
    for t in &env.topics {
        for s in &t.subscriptions {
            let protocol = match s.protocol {
                Protocol::Email => "email",
                Protocol::Https => "https",
                Protocol::Sqs => "sqs",
                Protocol::Lambda => "lambda",
            };
            ops.push(create_op(
                2,
                &t.physical_name,
                Call::Subscribe {
                    topic_arn: ArnRef::Topic(t.physical_name.clone()),
                    protocol: protocol.into(),
                    endpoint: values.one(&s.endpoint),
                },
            ));
        }
    }
    ops
}

/// A group's create (step 3), with its launch settings, hooks and tags.
fn group_op(g: &Group, values: &Values, render: &crate::backend::fleet::Render) -> Operation {
    use crate::backend::fleet;
    let name = g.physical_name.clone();
    create_op(
        3,
        &name,
        Call::CreateAutoScalingGroup {
            auto_scaling_group_name: name.clone(),
            launch_template: g.instances.is_none().then(|| LaunchTemplate {
                launch_template_id: match &g.launch_template.template {
                    TemplateKey::Id(v) => Some(values.one(v)),
                    TemplateKey::Name(_) => None,
                },
                launch_template_name: match &g.launch_template.template {
                    TemplateKey::Name(v) => Some(values.one(v)),
                    TemplateKey::Id(_) => None,
                },
                version: values.one(&g.launch_template.version),
            }),
            mixed_instances_policy: g
                .instances
                .as_ref()
                .map(|m| fleet::mixed_instances_policy(m, &g.launch_template, render).into()),
            min_size: g.min,
            max_size: g.max,
            desired_capacity: g.desired,
            vpc_zone_identifier: values.list(&g.subnets).join(","),
            target_group_arns: values.list(&g.target_groups),
            health_check_type: match g.health_check {
                HealthCheckType::Ec2 => "EC2".into(),
                HealthCheckType::Elb => "ELB".into(),
            },
            health_check_grace_period: g.health_check_grace,
            default_instance_warmup: g.default_warmup,
            default_cooldown: g.default_cooldown,
            termination_policies: g.termination_policies.clone(),
            capacity_rebalance: g.capacity_rebalance.then_some(true),
            instance_maintenance_policy: g
                .maintenance
                .as_ref()
                .map(|h| fleet::maintenance(h).into()),
            new_instances_protected_from_scale_in: g.protect_new_instances.then_some(true),
            capacity_reservation_specification: g
                .capacity_reservation
                .as_ref()
                .map(|c| fleet::capacity_reservation(c, render).into()),
            availability_zone_distribution: g
                .az_distribution
                .as_deref()
                .map(|s| fleet::az_distribution(s).into()),
            lifecycle_hook_specification_list: g
                .hooks
                .iter()
                .map(|h| fleet::hook(h, render).into())
                .collect(),
            tags: g
                .tags
                .iter()
                .map(|(k, v)| GroupTag {
                    key: k.clone(),
                    value: v.clone(),
                    propagate_at_launch: true,
                })
                .collect(),
        },
    )
}

/// What acts on a created group (step 4): its metrics collection,
/// suspended processes, notifications, policies and scheduled actions.
fn group_setting_ops(
    env: &model::Environment,
    g: &Group,
    values: &Values,
    ops: &mut Vec<Operation>,
) {
    let name = g.physical_name.clone();
    if !g.metrics.is_empty() {
        ops.push(create_op(
            4,
            &name,
            Call::EnableMetricsCollection {
                auto_scaling_group_name: name.clone(),
                granularity: "1Minute".into(),
                // None listed: every metric.
                metrics: if crate::kinds::group::every_group_metric(&g.metrics) {
                    vec![]
                } else {
                    g.metrics.clone()
                },
            },
        ));
    }
    if !g.suspended.is_empty() {
        ops.push(create_op(
            4,
            &name,
            Call::SuspendProcesses {
                auto_scaling_group_name: name.clone(),
                scaling_processes: g.suspended.clone(),
            },
        ));
    }
    for n in &g.notifications {
        ops.push(create_op(
            4,
            &name,
            Call::PutNotificationConfiguration {
                auto_scaling_group_name: name.clone(),
                topic_arn: topic_arn(env, &n.topic),
                notification_types: n.events.clone(),
            },
        ));
    }
    for p in &g.policies {
        ops.push(create_op(
            4,
            &p.physical_name,
            Call::PutScalingPolicy(scaling_policy(g, p, values)),
        ));
    }
    for s in &g.schedules {
        ops.push(create_op(
            4,
            &s.physical_name,
            Call::PutScheduledUpdateGroupAction {
                auto_scaling_group_name: name.clone(),
                scheduled_action_name: s.physical_name.clone(),
                recurrence: s.recurrence.clone(),
                time_zone: s.time_zone.clone(),
                min_size: s.min,
                max_size: s.max,
                desired_capacity: s.desired,
            },
        ));
    }
}

/// A group's alarms (step 5): those that trigger its step and simple
/// policies, then its own, which notify topics.
fn alarm_ops(env: &model::Environment, g: &Group, values: &Values, ops: &mut Vec<Operation>) {
    for p in &g.policies {
        let spec = match &p.kind {
            PolicyKind::Step { alarm, .. } | PolicyKind::Simple { alarm, .. } => alarm,
            PolicyKind::TargetTracking { .. } | PolicyKind::Predictive { .. } => continue,
        };
        let alarm_name = model::policy_alarm_name(&p.physical_name);
        let mut a = metric_alarm(env, g, spec, values, alarm_name.clone());
        a.alarm_description = model::policy_alarm_description(&p.name, &g.name);
        a.alarm_actions = vec![ArnRef::Policy {
            group: g.physical_name.clone(),
            policy: p.physical_name.clone(),
        }];
        ops.push(create_op(5, &alarm_name, Call::PutMetricAlarm(a)));
    }
    for al in &g.alarms {
        let mut a = metric_alarm(env, g, &al.spec, values, al.physical_name.clone());
        a.alarm_description = al.description_text(&g.name);
        a.alarm_actions = al.topics.iter().map(|t| topic_arn(env, t)).collect();
        ops.push(create_op(5, &al.physical_name, Call::PutMetricAlarm(a)));
    }
}

/// A group's dashboard (step 6), its body compact JSON.
fn dashboard_op(g: &Group, d: &Dashboard, values: &Values, region: &str) -> Operation {
    let mut dim = |dv: &DimensionValue| values.dim(dv, &g.physical_name);
    let body = crate::backend::dashboard::body(g, d, region, &mut dim);
    let mut text = String::new();
    crate::backend::cfn::pretty::write_compact(&mut text, &body);
    create_op(
        6,
        &d.physical_name,
        Call::PutDashboard {
            dashboard_name: d.physical_name.clone(),
            dashboard_body: text,
        },
    )
}

/// Each group's instance refresh request, for when its launch settings
/// change: what it replaces instances with (AWS rolls a failed refresh
/// back only to a configuration it was given) and its preferences.
fn refreshes(
    env: &model::Environment,
    render: &crate::backend::fleet::Render,
) -> BTreeMap<String, Json> {
    env.groups
        .iter()
        .filter_map(|g| {
            let f = g.refresh.as_ref()?;
            let alarms = f
                .alarms
                .iter()
                .filter_map(|a| g.alarms.iter().find(|x| &x.name == a))
                .map(|a| Gen::from(a.physical_name.clone()))
                .collect();
            let desired: Json = match &g.instances {
                Some(m) => serde_json::json!({
                    "MixedInstancesPolicy": crate::backend::fleet::mixed_instances_policy(m, &g.launch_template, render),
                }),
                None => serde_json::json!({
                    "LaunchTemplate": crate::backend::fleet::launch_template(&g.launch_template, render),
                }),
            };
            let req = serde_json::json!({
                "AutoScalingGroupName": g.physical_name,
                "Strategy": "Rolling",
                "DesiredConfiguration": desired,
                "Preferences": crate::backend::fleet::refresh_preferences(f, alarms, true),
            });
            Some((g.physical_name.clone(), req))
        })
        .collect()
}

fn scaling_policy(g: &Group, p: &Policy, values: &Values) -> ScalingPolicy {
    let mut sp = ScalingPolicy {
        auto_scaling_group_name: g.physical_name.clone(),
        policy_name: p.physical_name.clone(),
        policy_type: String::new(),
        adjustment_type: None,
        scaling_adjustment: None,
        cooldown: None,
        min_adjustment_magnitude: None,
        metric_aggregation_type: None,
        estimated_instance_warmup: None,
        step_adjustments: vec![],
        target_tracking_configuration: None,
        predictive_scaling_configuration: None,
    };
    match &p.kind {
        PolicyKind::TargetTracking {
            metric,
            math,
            target,
            disable_scale_in,
            warmup,
        } => {
            sp.policy_type = "TargetTrackingScaling".into();
            sp.estimated_instance_warmup = *warmup;
            sp.target_tracking_configuration = Some(
                crate::backend::dashboard::target_tracking_configuration(
                    metric,
                    math.as_ref(),
                    *target,
                    *disable_scale_in,
                    |lb, tg| {
                        Gen::String(format!(
                            "{}/{}",
                            values.dim(&DimensionValue::LoadBalancer(lb.clone()), ""),
                            values.dim(&DimensionValue::TargetGroup(tg.clone()), "")
                        ))
                    },
                    |m| Gen::from(Json::Array(values.dimensions(m, &g.physical_name))),
                )
                .into(),
            );
        }
        PolicyKind::Step {
            adjustment_type,
            steps,
            min_adjustment_magnitude,
            aggregation,
            warmup,
            ..
        } => {
            sp.policy_type = "StepScaling".into();
            sp.adjustment_type = Some(format!("{adjustment_type:?}"));
            sp.metric_aggregation_type = Some(format!("{aggregation:?}"));
            sp.estimated_instance_warmup = *warmup;
            sp.min_adjustment_magnitude = *min_adjustment_magnitude;
            sp.step_adjustments = crate::backend::dashboard::step_adjustments(steps)
                .into_iter()
                .map(Into::into)
                .collect();
        }
        PolicyKind::Predictive { .. } => {
            sp.policy_type = "PredictiveScaling".into();
            sp.predictive_scaling_configuration = Some(
                crate::backend::dashboard::predictive_configuration(
                    &p.kind,
                    |lb, tg| {
                        Gen::String(format!(
                            "{}/{}",
                            values.dim(&DimensionValue::LoadBalancer(lb.clone()), ""),
                            values.dim(&DimensionValue::TargetGroup(tg.clone()), "")
                        ))
                    },
                    |m| Gen::from(Json::Array(values.dimensions(m, &g.physical_name))),
                )
                .into(),
            );
        }
        PolicyKind::Simple {
            adjustment_type,
            adjustment,
            cooldown,
            min_adjustment_magnitude,
            ..
        } => {
            sp.policy_type = "SimpleScaling".into();
            sp.adjustment_type = Some(format!("{adjustment_type:?}"));
            sp.scaling_adjustment = Some(*adjustment);
            sp.cooldown = *cooldown;
            sp.min_adjustment_magnitude = *min_adjustment_magnitude;
        }
    }
    sp
}

fn metric_alarm(
    env: &model::Environment,
    g: &Group,
    spec: &AlarmSpec,
    values: &Values,
    name: String,
) -> MetricAlarm {
    let mut a = MetricAlarm {
        alarm_name: name,
        alarm_description: String::new(),
        namespace: None,
        metric_name: None,
        dimensions: vec![],
        statistic: None,
        period: None,
        metrics: vec![],
        evaluation_periods: spec.evaluation_periods,
        datapoints_to_alarm: spec.datapoints_to_alarm,
        threshold: spec.threshold,
        comparison_operator: format!("{:?}", spec.comparison),
        treat_missing_data: match spec.missing_data {
            MissingData::Missing => "missing",
            MissingData::Breaching => "breaching",
            MissingData::NotBreaching => "notBreaching",
            MissingData::Ignore => "ignore",
        }
        .into(),
        alarm_actions: vec![],
        tags: tags(env),
    };
    match &spec.query {
        MetricQuery::Single { metric } => {
            a.namespace = Some(metric.namespace.clone());
            a.metric_name = Some(metric.name.clone());
            a.dimensions = values.dimensions(metric, &g.physical_name);
            a.statistic = Some(crate::backend::dashboard::statistic(metric.statistic).into());
            a.period = Some(spec.period);
        }
        MetricQuery::Math {
            expression,
            metrics,
        } => {
            a.metrics = metrics
                .iter()
                .map(|(id, m)| {
                    let mut metric = serde_json::json!({ "Namespace": m.namespace, "MetricName": m.name });
                    metric["Dimensions"] = Json::Array(values.dimensions(m, &g.physical_name));
                    let mut stat = serde_json::json!({ "Period": spec.period, "Stat": crate::backend::dashboard::statistic(m.statistic) });
                    stat["Metric"] = metric;
                    let mut q = serde_json::json!({ "Id": id, "ReturnData": false });
                    q["MetricStat"] = stat;
                    q
                })
                .collect();
            a.metrics.push(serde_json::json!({ "Id": "e1", "Expression": expression, "Label": expression, "ReturnData": true }));
        }
    }
    a
}
