//! The direct apply plan: one environment as the ordered AWS API calls that
//! create it in an empty account (`scalec plan --offline`).
//!
//! The plan is data. Each [`Call`] carries the API's own member names, so
//! the JSON reads like the SDK request it becomes. Values are concrete: every
//! param the environment uses must have a value (from the spec or
//! `--param`). ARNs that exist only once an earlier call has run (topic and
//! policy ARNs) are [`ArnRef`]s, resolved by whoever executes the plan.
//!
//! Calls come in dependency order, numbered by `step`: calls with the same
//! step don't depend on each other and can run concurrently.
//! 1. topics,
//! 2. subscriptions,
//! 3. groups,
//! 4. group settings, policies and scheduled actions,
//! 5. alarms (they need policy and topic ARNs),
//! 6. dashboards.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{self, *};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::collections::BTreeMap;

/// Plan diagnostics.
pub mod error {
    /// A param the environment uses has no value.
    pub const MISSING_PARAM: &str = "scale::plan::missing_param";
    /// No region in the spec or on the command line.
    pub const NO_REGION: &str = "scale::plan::no_region";
    /// Every plan code.
    pub const CODES: &[&str] = &[MISSING_PARAM, NO_REGION];
}

/// The plan for one environment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApplyPlan {
    /// The app.
    pub app: String,
    /// The environment.
    pub environment: String,
    /// The region the calls go to.
    pub region: String,
    /// The spec file the plan was made from.
    #[serde(default)]
    pub source: String,
    /// The AWS account, when the live state shows it (from an ARN).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// FNV-1a hash of the spec text, to detect a plan made from another spec.
    pub spec_hash: String,
    /// Fingerprint of the live state the plan was made against (`empty`
    /// for an offline plan).
    #[serde(default)]
    pub state_fingerprint: String,
    /// Resources found in the environment that scalec doesn't own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left_alone: Vec<String>,
    /// The calls, in order.
    pub operations: Vec<Operation>,
}

/// One API call.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Operation {
    /// Dependency level: calls of one step can run together.
    pub step: u32,
    /// What the call does to the account.
    pub action: Action,
    /// The resource's physical name.
    pub resource: String,
    /// The call and its request.
    #[serde(flatten)]
    pub call: Call,
    /// For updates: what changes, field by field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
}

/// One field an update changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The request member.
    pub field: String,
    /// The live value (`null` when unset).
    pub old: Json,
    /// The value the spec wants.
    pub new: Json,
}

/// What a call does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Creates a resource.
    Create,
    /// Changes one.
    Update,
    /// Removes one.
    Delete,
}

/// An ARN known only after an earlier call.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArnRef {
    /// The ARN of the topic with this physical name.
    Topic(String),
    /// The ARN of a scaling policy: group name, policy name.
    Policy {
        /// Auto Scaling group name.
        group: String,
        /// Policy name.
        policy: String,
    },
}

/// A tag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    /// Key.
    pub key: String,
    /// Value.
    pub value: String,
}

/// API calls with their requests, in the APIs' member names.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "api", content = "request")]
#[allow(missing_docs)]
pub enum Call {
    /// `sns:CreateTopic`.
    #[serde(rename = "sns:CreateTopic", rename_all = "PascalCase")]
    CreateTopic { name: String, tags: Vec<Tag> },
    /// `sns:Subscribe`.
    #[serde(rename = "sns:Subscribe", rename_all = "PascalCase")]
    Subscribe {
        topic_arn: ArnRef,
        protocol: String,
        endpoint: String,
    },
    /// `autoscaling:CreateAutoScalingGroup`.
    #[serde(
        rename = "autoscaling:CreateAutoScalingGroup",
        rename_all = "PascalCase"
    )]
    CreateAutoScalingGroup {
        auto_scaling_group_name: String,
        launch_template: LaunchTemplate,
        min_size: u32,
        max_size: u32,
        desired_capacity: u32,
        #[serde(rename = "VPCZoneIdentifier")]
        vpc_zone_identifier: String,
        #[serde(
            rename = "TargetGroupARNs",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        target_group_arns: Vec<String>,
        health_check_type: String,
        health_check_grace_period: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        default_instance_warmup: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        default_cooldown: Option<u32>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        termination_policies: Vec<String>,
        tags: Vec<GroupTag>,
    },
    /// `autoscaling:EnableMetricsCollection`.
    #[serde(
        rename = "autoscaling:EnableMetricsCollection",
        rename_all = "PascalCase"
    )]
    EnableMetricsCollection {
        auto_scaling_group_name: String,
        granularity: String,
        metrics: Vec<String>,
    },
    /// `autoscaling:PutNotificationConfiguration`.
    #[serde(
        rename = "autoscaling:PutNotificationConfiguration",
        rename_all = "PascalCase"
    )]
    PutNotificationConfiguration {
        auto_scaling_group_name: String,
        #[serde(rename = "TopicARN")]
        topic_arn: ArnRef,
        notification_types: Vec<String>,
    },
    /// `autoscaling:PutScalingPolicy`.
    #[serde(rename = "autoscaling:PutScalingPolicy")]
    PutScalingPolicy(ScalingPolicy),
    /// `autoscaling:PutScheduledUpdateGroupAction`.
    #[serde(
        rename = "autoscaling:PutScheduledUpdateGroupAction",
        rename_all = "PascalCase"
    )]
    PutScheduledUpdateGroupAction {
        auto_scaling_group_name: String,
        scheduled_action_name: String,
        recurrence: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        time_zone: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_size: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_size: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        desired_capacity: Option<u32>,
    },
    /// `cloudwatch:PutMetricAlarm`.
    #[serde(rename = "cloudwatch:PutMetricAlarm")]
    PutMetricAlarm(MetricAlarm),
    /// `autoscaling:UpdateAutoScalingGroup`, only the changed members.
    #[serde(rename = "autoscaling:UpdateAutoScalingGroup")]
    UpdateAutoScalingGroup(Json),
    /// `autoscaling:AttachLoadBalancerTargetGroups`.
    #[serde(
        rename = "autoscaling:AttachLoadBalancerTargetGroups",
        rename_all = "PascalCase"
    )]
    AttachLoadBalancerTargetGroups {
        auto_scaling_group_name: String,
        #[serde(rename = "TargetGroupARNs")]
        target_group_arns: Vec<String>,
    },
    /// `autoscaling:DetachLoadBalancerTargetGroups`.
    #[serde(
        rename = "autoscaling:DetachLoadBalancerTargetGroups",
        rename_all = "PascalCase"
    )]
    DetachLoadBalancerTargetGroups {
        auto_scaling_group_name: String,
        #[serde(rename = "TargetGroupARNs")]
        target_group_arns: Vec<String>,
    },
    /// `autoscaling:CreateOrUpdateTags`.
    #[serde(rename = "autoscaling:CreateOrUpdateTags", rename_all = "PascalCase")]
    CreateOrUpdateTags {
        auto_scaling_group_name: String,
        tags: Vec<GroupTag>,
    },
    /// `autoscaling:DeletePolicy`.
    #[serde(rename = "autoscaling:DeletePolicy", rename_all = "PascalCase")]
    DeletePolicy {
        auto_scaling_group_name: String,
        policy_name: String,
    },
    /// `autoscaling:DeleteScheduledAction`.
    #[serde(
        rename = "autoscaling:DeleteScheduledAction",
        rename_all = "PascalCase"
    )]
    DeleteScheduledAction {
        auto_scaling_group_name: String,
        scheduled_action_name: String,
    },
    /// `autoscaling:DeleteNotificationConfiguration`.
    #[serde(
        rename = "autoscaling:DeleteNotificationConfiguration",
        rename_all = "PascalCase"
    )]
    DeleteNotificationConfiguration {
        auto_scaling_group_name: String,
        #[serde(rename = "TopicARN")]
        topic_arn: String,
    },
    /// `cloudwatch:DeleteAlarms`.
    #[serde(rename = "cloudwatch:DeleteAlarms", rename_all = "PascalCase")]
    DeleteAlarms { alarm_names: Vec<String> },
    /// `cloudwatch:PutDashboard`.
    #[serde(rename = "cloudwatch:PutDashboard", rename_all = "PascalCase")]
    PutDashboard {
        dashboard_name: String,
        dashboard_body: String,
    },
}

/// A launch template reference.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LaunchTemplate {
    /// `lt-...`.
    pub launch_template_id: String,
    /// `$Default`, `$Latest` or a number.
    pub version: String,
}

/// A group tag.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupTag {
    /// Key.
    pub key: String,
    /// Value.
    pub value: String,
    /// Copied to instances.
    pub propagate_at_launch: bool,
}

/// `PutScalingPolicy` request.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct ScalingPolicy {
    pub auto_scaling_group_name: String,
    pub policy_name: String,
    pub policy_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjustment_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling_adjustment: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cooldown: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_adjustment_magnitude: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_aggregation_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_instance_warmup: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub step_adjustments: Vec<Json>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_tracking_configuration: Option<Json>,
}

/// `PutMetricAlarm` request.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct MetricAlarm {
    pub alarm_name: String,
    pub alarm_description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dimensions: Vec<Json>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistic: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<Json>,
    pub evaluation_periods: u32,
    pub datapoints_to_alarm: u32,
    pub threshold: f64,
    pub comparison_operator: String,
    pub treat_missing_data: String,
    pub alarm_actions: Vec<ArnRef>,
    pub tags: Vec<Tag>,
}

/// FNV-1a, 64 bits, as hex: a stable fingerprint of text.
pub fn fingerprint(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

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
/// the spec's; `spec_text` is fingerprinted into the plan.
pub fn model_to_plan(
    env: &model::Environment,
    region: Option<&str>,
    spec_text: &str,
) -> Result<ApplyPlan, Diagnostics> {
    let mut diags = Diagnostics::new();
    let region = region.map(str::to_string).or_else(|| env.region.clone());
    if region.is_none() {
        diags.push(
            Diagnostic::error(error::NO_REGION, format!("environment `{}` has no region", env.name), env.origin, "no `region` here")
                .with_help("set `region = \"us-east-1\"` in the environment (or a preset it extends), or pass `--region`"),
        );
    }
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
    let Some(region) = region else {
        return Err(diags);
    };
    if diags.has_errors() {
        return Err(diags);
    }
    let values = Values {
        params: env.params.iter().map(|p| (p.name.as_str(), p)).collect(),
    };
    let mut ops = Vec::new();
    let op = |step, resource: &str, call| Operation {
        step,
        action: Action::Create,
        resource: resource.to_string(),
        call,
        changes: vec![],
    };
    let topic_arn = |name: &str| -> ArnRef {
        ArnRef::Topic(
            env.topics
                .iter()
                .find(|t| t.name == name)
                .map(|t| t.physical_name.clone())
                .unwrap_or_default(),
        )
    };
    for t in &env.topics {
        ops.push(op(
            1,
            &t.physical_name,
            Call::CreateTopic {
                name: t.physical_name.clone(),
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
            ops.push(op(
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
    for g in &env.groups {
        let name = g.physical_name.clone();
        ops.push(op(
            3,
            &name,
            Call::CreateAutoScalingGroup {
                auto_scaling_group_name: name.clone(),
                launch_template: LaunchTemplate {
                    launch_template_id: values.one(&g.launch_template),
                    version: values.one(&g.launch_template_version),
                },
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
        ));
    }
    for g in &env.groups {
        let name = g.physical_name.clone();
        if !g.metrics.is_empty() {
            ops.push(op(
                4,
                &name,
                Call::EnableMetricsCollection {
                    auto_scaling_group_name: name.clone(),
                    granularity: "1Minute".into(),
                    metrics: g.metrics.clone(),
                },
            ));
        }
        for n in &g.notifications {
            ops.push(op(
                4,
                &name,
                Call::PutNotificationConfiguration {
                    auto_scaling_group_name: name.clone(),
                    topic_arn: topic_arn(&n.topic),
                    notification_types: n.events.clone(),
                },
            ));
        }
        for p in &g.policies {
            ops.push(op(
                4,
                &p.physical_name,
                Call::PutScalingPolicy(scaling_policy(g, p, &values)),
            ));
        }
        for s in &g.schedules {
            ops.push(op(
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
    for g in &env.groups {
        for p in &g.policies {
            let spec = match &p.kind {
                PolicyKind::Step { alarm, .. } | PolicyKind::Simple { alarm, .. } => alarm,
                PolicyKind::TargetTracking { .. } => continue,
            };
            let alarm_name = format!("{}-alarm", p.physical_name);
            let mut a = metric_alarm(env, g, spec, &values, alarm_name.clone());
            a.alarm_description = format!(
                "Triggers scaling policy `{}` of group `{}`. Managed by scalec.",
                p.name, g.name
            );
            a.alarm_actions = vec![ArnRef::Policy {
                group: g.physical_name.clone(),
                policy: p.physical_name.clone(),
            }];
            ops.push(op(5, &alarm_name, Call::PutMetricAlarm(a)));
        }
        for al in &g.alarms {
            let mut a = metric_alarm(env, g, &al.spec, &values, al.physical_name.clone());
            let tier = format!("{:?}", al.tier).to_lowercase();
            a.alarm_description = match &al.description {
                Some(d) => format!("[{tier}] {d}"),
                None => format!(
                    "[{tier}] alarm `{}` of group `{}`. Managed by scalec.",
                    al.name, g.name
                ),
            };
            a.alarm_actions = al.topics.iter().map(|t| topic_arn(t)).collect();
            ops.push(op(5, &al.physical_name, Call::PutMetricAlarm(a)));
        }
    }
    for g in &env.groups {
        if let Some(d) = &g.dashboard {
            let mut dim = |dv: &DimensionValue| values.dim(dv, &g.physical_name);
            let body = crate::backend::dashboard::body(g, d, &region, &mut dim);
            let mut text = String::new();
            crate::backend::cfn::pretty::write_compact(&mut text, &body);
            ops.push(op(
                6,
                &d.physical_name,
                Call::PutDashboard {
                    dashboard_name: d.physical_name.clone(),
                    dashboard_body: text,
                },
            ));
        }
    }
    Ok(ApplyPlan {
        app: env.app.clone(),
        environment: env.name.clone(),
        region,
        source: String::new(),
        account: None,
        spec_hash: fingerprint(spec_text),
        state_fingerprint: "empty".into(),
        left_alone: vec![],
        operations: ops,
    })
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
    };
    match &p.kind {
        PolicyKind::TargetTracking {
            metric,
            target,
            disable_scale_in,
            warmup,
        } => {
            sp.policy_type = "TargetTrackingScaling".into();
            sp.estimated_instance_warmup = *warmup;
            sp.target_tracking_configuration =
                Some(crate::backend::dashboard::target_tracking_configuration(
                    metric,
                    *target,
                    *disable_scale_in,
                    |lb, tg| {
                        Json::String(format!(
                            "{}/{}",
                            values.dim(&DimensionValue::LoadBalancer(lb.clone()), ""),
                            values.dim(&DimensionValue::TargetGroup(tg.clone()), "")
                        ))
                    },
                    || Json::Array(values.dimensions(metric, &g.physical_name)),
                ));
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
            sp.step_adjustments = crate::backend::dashboard::step_adjustments(steps);
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

/// The plan for people: one line a call.
pub fn render_human(plan: &ApplyPlan) -> String {
    let against = if plan.state_fingerprint == "empty" {
        "an empty account"
    } else {
        "the live account"
    };
    let mut out = format!(
        "Plan for {} {} in {} ({} calls, against {against}):\n\n",
        plan.app,
        plan.environment,
        plan.region,
        plan.operations.len()
    );
    for op in &plan.operations {
        let api = serde_json::to_value(&op.call)
            .ok()
            .and_then(|v| v.get("api").and_then(|a| a.as_str()).map(str::to_string))
            .unwrap_or_default();
        let sign = match op.action {
            Action::Create => "+",
            Action::Update => "~",
            Action::Delete => "-",
        };
        out.push_str(&format!(
            "  {sign} [{}] {api:<45} {}\n",
            op.step, op.resource
        ));
        for c in &op.changes {
            out.push_str(&format!("        {}: {} -> {}\n", c.field, c.old, c.new));
        }
    }
    for l in &plan.left_alone {
        out.push_str(&format!("  left alone (not scalec's): {l}\n"));
    }
    let count = |a: Action| plan.operations.iter().filter(|o| o.action == a).count();
    if plan.operations.is_empty() {
        out.push_str("\nNo changes: the account matches the spec.\n");
    } else {
        out.push_str(&format!(
            "\n{} to create, {} to update, {} to delete.\n",
            count(Action::Create),
            count(Action::Update),
            count(Action::Delete)
        ));
    }
    out
}

/// What scalec found in the account for one environment.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LiveState {
    /// Topic name -> ARN, for the environment's topics that exist.
    pub topics: BTreeMap<String, String>,
    /// Group name -> what exists.
    pub groups: BTreeMap<String, LiveGroup>,
    /// Alarms whose names start with one of the environment's group names.
    pub alarms: BTreeMap<String, LiveAlarm>,
    /// Dashboard name -> body.
    pub dashboards: BTreeMap<String, String>,
    /// Topic name -> its subscriptions as (protocol, endpoint).
    pub subscriptions: BTreeMap<String, Vec<(String, String)>>,
}

/// A live group and what hangs off it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LiveGroup {
    /// Tagged as scalec's for this app and environment.
    pub ours: bool,
    /// The group as a `CreateAutoScalingGroup` request.
    pub request: Json,
    /// Its tags.
    pub tags: BTreeMap<String, String>,
    /// Collected metrics.
    pub metrics: Vec<String>,
    /// Topic ARN -> notification types.
    pub notifications: BTreeMap<String, Vec<String>>,
    /// Policy name -> (request, ARN).
    pub policies: BTreeMap<String, (Json, String)>,
    /// Scheduled action name -> request.
    pub schedules: BTreeMap<String, Json>,
}

/// A live alarm.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LiveAlarm {
    /// Tagged as scalec's.
    pub ours: bool,
    /// The alarm as a `PutMetricAlarm` request (actions as ARNs).
    pub request: Json,
}

impl LiveState {
    /// A fingerprint of everything read: a plan made against other state is stale.
    pub fn fingerprint(&self) -> String {
        fingerprint(&serde_json::to_string(self).unwrap_or_default())
    }
}

fn norm(v: &Json) -> Json {
    match v {
        Json::Number(n) => Json::from(n.as_f64().unwrap_or_default()),
        Json::Array(a) => Json::Array(a.iter().map(norm).collect()),
        Json::Object(m) => Json::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), norm(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Members whose order AWS doesn't keep.
const SETS: &[&str] = &[
    "TargetGroupARNs",
    "TerminationPolicies",
    "Metrics",
    "NotificationTypes",
    "Tags",
    "AlarmActions",
    "Dimensions",
];

fn norm_field(field: &str, v: &Json) -> Json {
    let v = norm(v);
    if field == "VPCZoneIdentifier" {
        let mut parts: Vec<&str> = v
            .as_str()
            .unwrap_or_default()
            .split(',')
            .filter(|s| !s.is_empty())
            .collect();
        parts.sort();
        return Json::from(parts.join(","));
    }
    match v {
        Json::Array(mut a) if SETS.contains(&field) => {
            a.sort_by_key(|x| x.to_string());
            Json::Array(a)
        }
        other => other,
    }
}

/// The members of `want` whose values differ in `have`, as dotted paths
/// to the innermost differing member (`TargetTrackingConfiguration.TargetValue`).
fn changes(want: &Json, have: &Json, skip: &[&str]) -> Vec<Change> {
    let mut out = Vec::new();
    collect_changes("", want, have, skip, &mut out);
    out
}

fn collect_changes(prefix: &str, want: &Json, have: &Json, skip: &[&str], out: &mut Vec<Change>) {
    let Json::Object(m) = want else { return };
    for (k, v) in m {
        if prefix.is_empty() && skip.contains(&k.as_str()) {
            continue;
        }
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        let old = have.get(k).cloned().unwrap_or(Json::Null);
        let (a, b) = (norm_field(k, v), norm_field(k, &old));
        if a == b || (a == Json::Array(vec![]) && b.is_null()) {
            continue;
        }
        if v.is_object() && old.is_object() {
            collect_changes(&path, v, &old, &[], out);
        } else {
            out.push(Change {
                field: path,
                old,
                new: v.clone(),
            });
        }
    }
}

fn request(call: &Call) -> Json {
    serde_json::to_value(call)
        .ok()
        .and_then(|v| v.get("request").cloned())
        .unwrap_or(Json::Null)
}

/// The tag that remembers the `desired` scalec last set, so a deploy knows
/// whether the spec changed it (then it is set) or scaling did (then it is
/// left alone).
pub const DESIRED_TAG: &str = "scalec:desired";

/// Compares the calls that would create `env` with what exists, and keeps
/// only those needed: creates for what is missing, updates (with their
/// changes) for what differs, deletes for what scalec made and the spec no
/// longer has. Things that aren't scalec's are never touched, only listed.
/// Fails when a group of the same name exists but isn't scalec's, unless
/// `adopt`.
pub fn diff(desired: &ApplyPlan, live: &LiveState, adopt: bool) -> Result<ApplyPlan, String> {
    let mut ops = Vec::new();
    let mut left = Vec::new();
    let resolve = |r: &ArnRef| -> String {
        match r {
            ArnRef::Topic(name) => live
                .topics
                .get(name)
                .cloned()
                .unwrap_or_else(|| format!("(topic {name}, known after apply)")),
            ArnRef::Policy { group, policy } => live
                .groups
                .get(group)
                .and_then(|g| g.policies.get(policy))
                .map(|(_, arn)| arn.clone())
                .unwrap_or_else(|| format!("(policy {policy}, known after apply)")),
        }
    };
    let mut push = |op: &Operation, action: Action, changes: Vec<Change>| {
        let mut o = op.clone();
        o.action = action;
        o.changes = changes;
        ops.push(o);
    };
    let mut wanted_policies: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut wanted_schedules: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut wanted_topics: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut wanted_alarms: Vec<String> = Vec::new();
    for op in &desired.operations {
        match &op.call {
            Call::CreateTopic { name, .. } => {
                if !live.topics.contains_key(name) {
                    push(op, Action::Create, vec![]);
                }
            }
            Call::Subscribe {
                topic_arn: ArnRef::Topic(name),
                protocol,
                endpoint,
            } => {
                let have = live
                    .subscriptions
                    .get(name)
                    .is_some_and(|subs| subs.iter().any(|(p, e)| p == protocol && e == endpoint));
                if !have {
                    push(op, Action::Create, vec![]);
                }
            }
            Call::CreateAutoScalingGroup {
                auto_scaling_group_name: name,
                min_size,
                max_size,
                desired_capacity,
                tags,
                ..
            } => {
                let Some(g) = live.groups.get(name) else {
                    push(op, Action::Create, vec![]);
                    continue;
                };
                if !g.ours && !adopt {
                    return Err(format!(
                        "a group named `{name}` exists but isn't managed by scalec (no managed-by=scalec, app and env tags); pass --adopt to take it over"
                    ));
                }
                let want = request(&op.call);
                let mut ch = changes(
                    &want,
                    &g.request,
                    &["DesiredCapacity", "Tags", "AutoScalingGroupName"],
                );
                // Desired capacity: set only when the spec's value changed,
                // else clamp a running value into the new range.
                let last = g.tags.get(DESIRED_TAG).and_then(|v| v.parse::<u32>().ok());
                let current = g
                    .request
                    .get("DesiredCapacity")
                    .and_then(Json::as_u64)
                    .unwrap_or_default() as u32;
                let new_desired = if last != Some(*desired_capacity) {
                    Some(*desired_capacity)
                } else if current < *min_size {
                    Some(*min_size)
                } else if current > *max_size {
                    Some(*max_size)
                } else {
                    None
                };
                if let Some(d) = new_desired.filter(|d| *d != current) {
                    ch.push(Change {
                        field: "DesiredCapacity".into(),
                        old: Json::from(current),
                        new: Json::from(d),
                    });
                }
                if !ch.is_empty() {
                    let mut req = serde_json::Map::new();
                    req.insert("AutoScalingGroupName".into(), Json::from(name.clone()));
                    for c in &ch {
                        req.insert(c.field.clone(), c.new.clone());
                    }
                    let mut o = op.clone();
                    o.call = Call::UpdateAutoScalingGroup(Json::Object(req));
                    push(&o, Action::Update, ch);
                }
                let tag_changes: Vec<GroupTag> = tags
                    .iter()
                    .filter(|t| g.tags.get(&t.key) != Some(&t.value))
                    .cloned()
                    .collect();
                if !tag_changes.is_empty() {
                    let ch = tag_changes
                        .iter()
                        .map(|t| Change {
                            field: format!("Tags.{}", t.key),
                            old: g
                                .tags
                                .get(&t.key)
                                .map(|v| Json::from(v.clone()))
                                .unwrap_or(Json::Null),
                            new: Json::from(t.value.clone()),
                        })
                        .collect();
                    let mut o = op.clone();
                    o.call = Call::CreateOrUpdateTags {
                        auto_scaling_group_name: name.clone(),
                        tags: tag_changes,
                    };
                    push(&o, Action::Update, ch);
                }
            }
            Call::EnableMetricsCollection {
                auto_scaling_group_name: name,
                metrics,
                ..
            } => {
                let have = live
                    .groups
                    .get(name)
                    .map(|g| g.metrics.clone())
                    .unwrap_or_default();
                let (mut a, mut b) = (metrics.clone(), have.clone());
                a.sort();
                b.sort();
                if a != b {
                    let action = if live.groups.contains_key(name) {
                        Action::Update
                    } else {
                        Action::Create
                    };
                    push(
                        op,
                        action,
                        vec![Change {
                            field: "Metrics".into(),
                            old: Json::from(have),
                            new: Json::from(metrics.clone()),
                        }],
                    );
                }
            }
            Call::PutNotificationConfiguration {
                auto_scaling_group_name: name,
                topic_arn,
                notification_types,
            } => {
                let arn = resolve(topic_arn);
                wanted_topics
                    .entry(name.clone())
                    .or_default()
                    .push(arn.clone());
                let have = live
                    .groups
                    .get(name)
                    .and_then(|g| g.notifications.get(&arn))
                    .cloned();
                let (mut a, mut b) = (notification_types.clone(), have.clone().unwrap_or_default());
                a.sort();
                b.sort();
                if have.is_none() {
                    push(op, Action::Create, vec![]);
                } else if a != b {
                    push(
                        op,
                        Action::Update,
                        vec![Change {
                            field: "NotificationTypes".into(),
                            old: Json::from(b),
                            new: Json::from(a),
                        }],
                    );
                }
            }
            Call::PutScalingPolicy(p) => {
                wanted_policies
                    .entry(p.auto_scaling_group_name.clone())
                    .or_default()
                    .push(p.policy_name.clone());
                match live
                    .groups
                    .get(&p.auto_scaling_group_name)
                    .and_then(|g| g.policies.get(&p.policy_name))
                {
                    None => push(op, Action::Create, vec![]),
                    Some((have, _)) => {
                        let ch = changes(&request(&op.call), have, &[]);
                        if !ch.is_empty() {
                            push(op, Action::Update, ch);
                        }
                    }
                }
            }
            Call::PutScheduledUpdateGroupAction {
                auto_scaling_group_name: g,
                scheduled_action_name: n,
                ..
            } => {
                wanted_schedules
                    .entry(g.clone())
                    .or_default()
                    .push(n.clone());
                match live.groups.get(g).and_then(|x| x.schedules.get(n)) {
                    None => push(op, Action::Create, vec![]),
                    Some(have) => {
                        let ch = changes(&request(&op.call), have, &[]);
                        if !ch.is_empty() {
                            push(op, Action::Update, ch);
                        }
                    }
                }
            }
            Call::PutMetricAlarm(a) => {
                wanted_alarms.push(a.alarm_name.clone());
                let mut want = request(&op.call);
                want["AlarmActions"] =
                    Json::from(a.alarm_actions.iter().map(resolve).collect::<Vec<_>>());
                match live.alarms.get(&a.alarm_name) {
                    None => push(op, Action::Create, vec![]),
                    Some(have) => {
                        // Tags are set when the alarm is created; reading them
                        // back would cost a call per alarm.
                        let ch = changes(&want, &have.request, &["Tags"]);
                        if !ch.is_empty() {
                            push(op, Action::Update, ch);
                        }
                    }
                }
            }
            Call::PutDashboard {
                dashboard_name,
                dashboard_body,
            } => match live.dashboards.get(dashboard_name) {
                None => push(op, Action::Create, vec![]),
                Some(have) => {
                    let a: Json = serde_json::from_str(dashboard_body).unwrap_or(Json::Null);
                    let b: Json = serde_json::from_str(have).unwrap_or(Json::Null);
                    if norm(&a) != norm(&b) {
                        push(
                            op,
                            Action::Update,
                            vec![Change {
                                field: "DashboardBody".into(),
                                old: Json::from("(previous body)"),
                                new: Json::from("(body from the spec)"),
                            }],
                        );
                    }
                }
            },
            _ => push(op, op.action, op.changes.clone()),
        }
    }
    // What scalec made that the spec no longer has.
    let delete = |step: u32, resource: &str, call: Call| Operation {
        step,
        action: Action::Delete,
        resource: resource.to_string(),
        call,
        changes: vec![],
    };
    for (name, g) in &live.groups {
        if !g.ours {
            continue;
        }
        let prefix = format!("{name}-");
        for (pname, (req, _)) in &g.policies {
            if wanted_policies.get(name).is_some_and(|w| w.contains(pname)) {
                continue;
            }
            if !pname.starts_with(&prefix) {
                left.push(format!("policy {pname} on group {name}"));
                continue;
            }
            if req.get("PolicyType").and_then(Json::as_str) != Some("TargetTrackingScaling") {
                let alarm = format!("{pname}-alarm");
                ops.push(delete(
                    5,
                    &alarm,
                    Call::DeleteAlarms {
                        alarm_names: vec![alarm.clone()],
                    },
                ));
            }
            ops.push(delete(
                4,
                pname,
                Call::DeletePolicy {
                    auto_scaling_group_name: name.clone(),
                    policy_name: pname.clone(),
                },
            ));
        }
        for sname in g.schedules.keys() {
            if wanted_schedules
                .get(name)
                .is_some_and(|w| w.contains(sname))
            {
                continue;
            }
            if sname.starts_with(&prefix) {
                ops.push(delete(
                    4,
                    sname,
                    Call::DeleteScheduledAction {
                        auto_scaling_group_name: name.clone(),
                        scheduled_action_name: sname.clone(),
                    },
                ));
            } else {
                left.push(format!("scheduled action {sname} on group {name}"));
            }
        }
        for arn in g.notifications.keys() {
            if !wanted_topics.get(name).is_some_and(|w| w.contains(arn)) {
                ops.push(delete(
                    4,
                    name,
                    Call::DeleteNotificationConfiguration {
                        auto_scaling_group_name: name.clone(),
                        topic_arn: arn.clone(),
                    },
                ));
            }
        }
    }
    let policy_alarms: Vec<String> = ops
        .iter()
        .filter_map(|o| match &o.call {
            Call::DeleteAlarms { alarm_names } => alarm_names.first().cloned(),
            _ => None,
        })
        .collect();
    for (aname, a) in &live.alarms {
        if wanted_alarms.contains(aname) || policy_alarms.contains(aname) {
            continue;
        }
        if a.ours {
            ops.push(delete(
                5,
                aname,
                Call::DeleteAlarms {
                    alarm_names: vec![aname.clone()],
                },
            ));
        } else {
            left.push(format!("alarm {aname}"));
        }
    }
    ops.sort_by_key(|o| o.step);
    Ok(ApplyPlan {
        app: desired.app.clone(),
        environment: desired.environment.clone(),
        region: desired.region.clone(),
        source: desired.source.clone(),
        account: live
            .topics
            .values()
            .chain(
                live.groups
                    .values()
                    .flat_map(|g| g.policies.values().map(|(_, arn)| arn)),
            )
            .find_map(|arn| {
                arn.split(':')
                    .nth(4)
                    .filter(|a| a.len() == 12)
                    .map(str::to_string)
            }),
        spec_hash: desired.spec_hash.clone(),
        state_fingerprint: live.fingerprint(),
        left_alone: left,
        operations: ops,
    })
}
