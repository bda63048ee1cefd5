//! Resource generation: model items to CloudFormation resources, with
//! long-form intrinsics only (`Ref`, `Fn::Join`, ...).

use super::{Stack, object, parameter_defaults};
use crate::backend::fleet;
use crate::backend::json::{Json, Map};
use crate::json;
use crate::model::{self, *};
use crate::source::{SourceMap, Span};

/// A group's resources and outputs.
pub struct GroupOut {
    pub resources: Vec<(String, Json)>,
    pub outputs: Vec<(String, Json)>,
}

pub struct Gen<'a> {
    env: &'a model::Environment,
    sources: &'a SourceMap,
    /// When set, topic ARNs come from this stack's exports.
    pub import_topics_from: Option<String>,
}

pub use crate::model::ids::{param_id, pascal, resource_count, topic_id};

fn export_name(stack: &str, output: &str) -> String {
    format!("{stack}-{output}")
}

/// Outputs for the topics, exported when `export_from` names the stack.
pub fn topic_outputs(env: &model::Environment, export_from: Option<&str>) -> Vec<(String, Json)> {
    env.topics
        .iter()
        .map(|t| {
            let out = crate::model::ids::topic_output_id(&t.name);
            let mut v = json!({
                "Description": format!("ARN of the `{}` topic", t.name),
                "Value": { "Ref": topic_id(&t.name) },
            });
            if let Some(stack) = export_from {
                v["Export"] = json!({ "Name": export_name(stack, &out) });
            }
            (out, v)
        })
        .collect()
}

impl<'a> Gen<'a> {
    pub fn new(env: &'a model::Environment, sources: &'a SourceMap) -> Gen<'a> {
        Gen {
            env,
            sources,
            import_topics_from: None,
        }
    }

    pub(super) fn meta(&self, span: Span, item: String) -> Json {
        let f = self.sources.get(span.file);
        let (line, col) = f.line_col(span.start as usize);
        json!({ "scalec": { "source": format!("{}:{line}:{col}", f.name), "item": item } })
    }

    pub(super) fn value(&self, v: &Value) -> Json {
        match v {
            Value::Literal(s) => json!(s),
            Value::Param(p) => json!({ "Ref": param_id(p) }),
        }
    }

    fn list(&self, v: &ListValue) -> Json {
        match v {
            ListValue::Param(p) => json!({ "Ref": param_id(p) }),
            ListValue::Items(items) => Json::Array(items.iter().map(|i| self.value(i)).collect()),
        }
    }

    /// `app/NAME/ID` of a load balancer ARN.
    pub(super) fn lb_suffix(&self, v: &Value) -> Json {
        match v {
            Value::Literal(arn) => json!(
                arn.split_once("loadbalancer/")
                    .map(|(_, r)| r)
                    .unwrap_or(arn)
            ),
            Value::Param(p) => {
                json!({ "Fn::Select": [1, { "Fn::Split": ["loadbalancer/", { "Ref": param_id(p) }] }] })
            }
        }
    }

    /// `targetgroup/NAME/ID` of a target group ARN.
    pub(super) fn tg_suffix(&self, v: &Value) -> Json {
        match v {
            Value::Literal(arn) => json!(arn.splitn(6, ':').nth(5).unwrap_or(arn)),
            Value::Param(p) => {
                json!({ "Fn::Select": [5, { "Fn::Split": [":", { "Ref": param_id(p) }] }] })
            }
        }
    }

    fn dim_value(&self, d: &DimensionValue, group_id: &str) -> Json {
        match d {
            DimensionValue::GroupName => json!({ "Ref": group_id }),
            DimensionValue::LoadBalancer(v) => self.lb_suffix(v),
            DimensionValue::TargetGroup(v) => self.tg_suffix(v),
            DimensionValue::Plain(v) => self.value(v),
        }
    }

    pub(super) fn dimensions(&self, m: &Metric, group_id: &str) -> Json {
        Json::Array(
            m.dimensions
                .iter()
                .map(|(n, d)| {
                    object(vec![
                        ("Name".into(), Json::String(n.clone())),
                        ("Value".into(), self.dim_value(d, group_id)),
                    ])
                })
                .collect(),
        )
    }

    pub(super) fn topic_ref(&self, name: &str) -> Json {
        match &self.import_topics_from {
            Some(stack) => {
                json!({ "Fn::ImportValue": export_name(stack, &format!("{}Arn", topic_id(name))) })
            }
            None => json!({ "Ref": topic_id(name) }),
        }
    }

    pub fn topics(&self) -> Vec<(String, Json)> {
        self.env
            .topics
            .iter()
            .map(|t| {
                let mut props = json!({ "TopicName": &t.physical_name });
                if let Some(d) = &t.display_name {
                    props["DisplayName"] = self.value(d);
                }
                if !t.subscriptions.is_empty() {
                    props["Subscription"] = Json::Array(
                        t.subscriptions
                            .iter()
                            .map(|s| {
                                let protocol = match s.protocol {
                                    Protocol::Email => "email",
                                    Protocol::Https => "https",
                                    Protocol::Sqs => "sqs",
                                    Protocol::Lambda => "lambda",
                                };
                                json!({ "Protocol": protocol, "Endpoint": self.value(&s.endpoint) })
                            })
                            .collect(),
                    );
                }
                props["Tags"] = tags(&self.env.tags, false);
                (
                    topic_id(&t.name),
                    resource(
                        "AWS::SNS::Topic",
                        props,
                        self.meta(t.origin, format!("topic {}", t.name)),
                    ),
                )
            })
            .collect()
    }

    pub(super) fn alarm_props(&self, spec: &AlarmSpec, group_id: &str) -> Map {
        let mut p = Map::new();
        match &spec.query {
            MetricQuery::Single { metric } => {
                p.insert("Namespace", json!(&metric.namespace));
                p.insert("MetricName", json!(&metric.name));
                p.insert("Dimensions", self.dimensions(metric, group_id));
                p.insert("Statistic", json!(statistic(metric.statistic)));
                p.insert("Period", json!(spec.period));
            }
            MetricQuery::Math {
                expression,
                metrics,
            } => {
                let mut queries: Vec<Json> = metrics
                    .iter()
                    .map(|(id, m)| {
                        json!({
                            "Id": id,
                            "MetricStat": {
                                "Metric": {
                                    "Namespace": &m.namespace,
                                    "MetricName": &m.name,
                                    "Dimensions": self.dimensions(m, group_id),
                                },
                                "Period": spec.period,
                                "Stat": statistic(m.statistic),
                            },
                            "ReturnData": false,
                        })
                    })
                    .collect();
                queries.push(json!({ "Id": "e1", "Expression": expression, "Label": expression, "ReturnData": true }));
                p.insert("Metrics", Json::Array(queries));
            }
        }
        p.insert("EvaluationPeriods", json!(spec.evaluation_periods));
        p.insert("DatapointsToAlarm", json!(spec.datapoints_to_alarm));
        p.insert("Threshold", json!(spec.threshold));
        p.insert(
            "ComparisonOperator",
            json!(format!("{:?}", spec.comparison)),
        );
        p.insert(
            "TreatMissingData",
            json!(match spec.missing_data {
                MissingData::Missing => "missing",
                MissingData::Breaching => "breaching",
                MissingData::NotBreaching => "notBreaching",
                MissingData::Ignore => "ignore",
            }),
        );
        p
    }

    /// A group's resources (the group, its warm pool, policies, alarms,
    /// schedules and dashboard) and outputs.
    pub fn group(&self, g: &Group) -> GroupOut {
        let gid = format!("{}Group", pascal(&g.name));
        let mut resources = Vec::new();
        let mut outputs = Vec::new();
        resources.push((gid.clone(), self.group_resource(g)));
        if let Some(w) = &g.warm_pool {
            let mut props = fleet::warm_pool(w);
            props["AutoScalingGroupName"] = json!({ "Ref": &gid });
            resources.push((
                format!("{}WarmPool", pascal(&g.name)),
                resource(
                    "AWS::AutoScaling::WarmPool",
                    props,
                    self.meta(w.origin, format!("group {} / warm pool", g.name)),
                ),
            ));
        }
        outputs.push((
            crate::model::ids::group_output_id(&g.name),
            json!({ "Description": format!("Name of the `{}` Auto Scaling group", g.name), "Value": { "Ref": &gid } }),
        ));
        for p in &g.policies {
            self.policy_resources(g, p, &gid, &mut resources);
        }
        for a in &g.alarms {
            resources.push((
                format!("{}{}Alarm", pascal(&g.name), pascal(&a.name)),
                self.alarm_resource(g, a, &gid),
            ));
        }
        for s in &g.schedules {
            resources.push((
                format!("{}{}Schedule", pascal(&g.name), pascal(&s.name)),
                self.schedule_resource(g, s, &gid),
            ));
        }
        if let Some(d) = &g.dashboard {
            let did = format!("{}Dashboard", pascal(&g.name));
            let body = self.dashboard_body(g, d, &gid);
            resources.push((
                did.clone(),
                resource(
                    "AWS::CloudWatch::Dashboard",
                    object(vec![
                        (
                            "DashboardName".into(),
                            Json::String(d.physical_name.clone()),
                        ),
                        ("DashboardBody".into(), body),
                    ]),
                    self.meta(d.origin, format!("group {} / dashboard", g.name)),
                ),
            ));
            outputs.push((
                crate::model::ids::dashboard_output_id(&g.name),
                json!({ "Description": format!("Dashboard of group `{}`", g.name), "Value": { "Ref": did } }),
            ));
        }
        GroupOut { resources, outputs }
    }

    /// The group's `AWS::AutoScaling::AutoScalingGroup`, with its update
    /// policy (and instance refresh).
    fn group_resource(&self, g: &Group) -> Json {
        let props = self.group_props(g);
        let mut r = resource(
            "AWS::AutoScaling::AutoScalingGroup",
            props,
            self.meta(g.origin, format!("group {}", g.name)),
        );
        r["UpdatePolicy"] = json!({ "AutoScalingScheduledAction": { "IgnoreUnmodifiedGroupSizeProperties": true } });
        if let Some(f) = &g.refresh {
            // By name, not `Ref`: the alarms refer to the group, so a `Ref`
            // back would be a circular dependency.
            let alarms = f
                .alarms
                .iter()
                .filter_map(|a| g.alarms.iter().find(|x| &x.name == a))
                .map(|a| json!(&a.physical_name))
                .collect();
            r["UpdatePolicy"]["AutoScalingInstanceRefresh"] = json!({
                "Strategy": "Rolling",
                "Preferences": fleet::refresh_preferences(f, alarms, false),
            });
        }
        r
    }

    /// The group's properties: capacity, subnets, launch settings, health
    /// checks, hooks, metrics, notifications and termination policies.
    fn group_props(&self, g: &Group) -> Json {
        let one = |v: &Value| self.value(v);
        let list = |v: &ListValue| self.list(v);
        let render = fleet::Render {
            one: &one,
            list: &list,
        };
        let mut props = json!({
            "AutoScalingGroupName": &g.physical_name,
            "MinSize": g.min.to_string(),
            "MaxSize": g.max.to_string(),
            "DesiredCapacity": g.desired.to_string(),
            "VPCZoneIdentifier": self.list(&g.subnets),
            "HealthCheckType": match g.health_check { HealthCheckType::Ec2 => "EC2", HealthCheckType::Elb => "ELB" },
            "HealthCheckGracePeriod": g.health_check_grace,
            "Tags": tags(&g.tags, true),
        });
        match &g.instances {
            Some(m) => {
                props["MixedInstancesPolicy"] =
                    fleet::mixed_instances_policy(m, &g.launch_template, &render)
            }
            None => props["LaunchTemplate"] = fleet::launch_template(&g.launch_template, &render),
        }
        match &g.target_groups {
            ListValue::Items(items) if items.is_empty() => {}
            tg => props["TargetGroupARNs"] = self.list(tg),
        }
        if g.capacity_rebalance {
            props["CapacityRebalance"] = json!(true);
        }
        if let Some(h) = &g.maintenance {
            props["InstanceMaintenancePolicy"] = fleet::maintenance(h);
        }
        if g.protect_new_instances {
            props["NewInstancesProtectedFromScaleIn"] = json!(true);
        }
        if let Some(c) = &g.capacity_reservation {
            props["CapacityReservationSpecification"] = fleet::capacity_reservation(c, &render);
        }
        if let Some(a) = &g.az_distribution {
            props["AvailabilityZoneDistribution"] = fleet::az_distribution(a);
        }
        if !g.hooks.is_empty() {
            props["LifecycleHookSpecificationList"] =
                Json::Array(g.hooks.iter().map(|h| fleet::hook(h, &render)).collect());
        }
        if let Some(w) = g.default_warmup {
            props["DefaultInstanceWarmup"] = json!(w);
        }
        if let Some(c) = g.default_cooldown {
            props["Cooldown"] = json!(c.to_string());
        }
        if crate::kinds::group::every_group_metric(&g.metrics) {
            props["MetricsCollection"] = json!([{ "Granularity": "1Minute" }]);
        } else if !g.metrics.is_empty() {
            props["MetricsCollection"] =
                json!([{ "Granularity": "1Minute", "Metrics": &g.metrics }]);
        }
        if !g.notifications.is_empty() {
            props["NotificationConfigurations"] = Json::Array(
                g.notifications
                    .iter()
                    .map(|n| json!({ "TopicARN": self.topic_ref(&n.topic), "NotificationTypes": &n.events }))
                    .collect(),
            );
        }
        if !g.termination_policies.is_empty() {
            props["TerminationPolicies"] = json!(&g.termination_policies);
        }
        props
    }

    /// A policy's `AWS::AutoScaling::ScalingPolicy`, and the alarm that
    /// triggers it for step and simple policies.
    fn policy_resources(
        &self,
        g: &Group,
        p: &Policy,
        gid: &str,
        resources: &mut Vec<(String, Json)>,
    ) {
        let pid = format!("{}{}Policy", pascal(&g.name), pascal(&p.name));
        let meta = self.meta(p.origin, format!("group {} / policy {}", g.name, p.name));
        let (props, alarm) = self.policy_props(p, gid);
        resources.push((
            pid.clone(),
            resource("AWS::AutoScaling::ScalingPolicy", props, meta.clone()),
        ));
        if let Some(a) = alarm {
            let mut ap = self.alarm_props(a, gid);
            ap.insert(
                "AlarmName",
                json!(model::policy_alarm_name(&p.physical_name)),
            );
            ap.insert(
                "AlarmDescription",
                json!(model::policy_alarm_description(&p.name, &g.name)),
            );
            ap.insert("AlarmActions", json!([{ "Ref": pid }]));
            resources.push((
                format!("{}{}PolicyAlarm", pascal(&g.name), pascal(&p.name)),
                resource("AWS::CloudWatch::Alarm", Json::Object(ap), meta),
            ));
        }
    }

    /// A policy's properties by its kind, and the alarm of a step or
    /// simple policy.
    fn policy_props<'p>(&self, p: &'p Policy, gid: &str) -> (Json, Option<&'p AlarmSpec>) {
        let mut props = json!({ "AutoScalingGroupName": { "Ref": gid } });
        let mut alarm: Option<&AlarmSpec> = None;
        match &p.kind {
            PolicyKind::TargetTracking {
                metric,
                math,
                target,
                disable_scale_in,
                warmup,
            } => {
                props["PolicyType"] = json!("TargetTrackingScaling");
                if let Some(w) = warmup {
                    props["EstimatedInstanceWarmup"] = json!(w);
                }
                props["TargetTrackingConfiguration"] =
                    crate::backend::dashboard::target_tracking_configuration(
                        metric,
                        math.as_ref(),
                        *target,
                        *disable_scale_in,
                        |lb, tg| json!({ "Fn::Join": ["/", [self.lb_suffix(lb), self.tg_suffix(tg)]] }),
                        |m| self.dimensions(m, gid),
                    );
            }
            PolicyKind::Step {
                alarm: a,
                adjustment_type,
                steps,
                min_adjustment_magnitude,
                aggregation,
                warmup,
                ..
            } => {
                props["PolicyType"] = json!("StepScaling");
                props["AdjustmentType"] = json!(format!("{adjustment_type:?}"));
                props["MetricAggregationType"] = json!(format!("{aggregation:?}"));
                if let Some(w) = warmup {
                    props["EstimatedInstanceWarmup"] = json!(w);
                }
                if let Some(m) = min_adjustment_magnitude {
                    props["MinAdjustmentMagnitude"] = json!(m);
                }
                props["StepAdjustments"] =
                    Json::Array(crate::backend::dashboard::step_adjustments(steps));
                alarm = Some(a);
            }
            PolicyKind::Predictive { .. } => {
                props["PolicyType"] = json!("PredictiveScaling");
                props["PredictiveScalingConfiguration"] =
                    crate::backend::dashboard::predictive_configuration(
                        &p.kind,
                        |lb, tg| json!({ "Fn::Join": ["/", [self.lb_suffix(lb), self.tg_suffix(tg)]] }),
                        |m| self.dimensions(m, gid),
                    );
            }
            PolicyKind::Simple {
                alarm: a,
                adjustment_type,
                adjustment,
                cooldown,
                min_adjustment_magnitude,
            } => {
                props["PolicyType"] = json!("SimpleScaling");
                props["AdjustmentType"] = json!(format!("{adjustment_type:?}"));
                props["ScalingAdjustment"] = json!(adjustment);
                if let Some(c) = cooldown {
                    props["Cooldown"] = json!(c.to_string());
                }
                if let Some(m) = min_adjustment_magnitude {
                    props["MinAdjustmentMagnitude"] = json!(m);
                }
                alarm = Some(a);
            }
        }
        (props, alarm)
    }

    /// A group's own alarm, which notifies its topics.
    fn alarm_resource(&self, g: &Group, a: &Alarm, gid: &str) -> Json {
        let mut ap = self.alarm_props(&a.spec, gid);
        ap.insert("AlarmName", json!(&a.physical_name));
        ap.insert("AlarmDescription", json!(a.description_text(&g.name)));
        ap.insert(
            "AlarmActions",
            Json::Array(a.topics.iter().map(|t| self.topic_ref(t)).collect()),
        );
        resource(
            "AWS::CloudWatch::Alarm",
            Json::Object(ap),
            self.meta(a.origin, format!("group {} / alarm {}", g.name, a.name)),
        )
    }

    /// A group's scheduled action.
    fn schedule_resource(&self, g: &Group, s: &Schedule, gid: &str) -> Json {
        let mut props =
            json!({ "AutoScalingGroupName": { "Ref": gid }, "Recurrence": &s.recurrence });
        if let Some(tz) = &s.time_zone {
            props["TimeZone"] = json!(tz);
        }
        if let Some(v) = s.min {
            props["MinSize"] = json!(v);
        }
        if let Some(v) = s.max {
            props["MaxSize"] = json!(v);
        }
        if let Some(v) = s.desired {
            props["DesiredCapacity"] = json!(v);
        }
        resource(
            "AWS::AutoScaling::ScheduledAction",
            props,
            self.meta(s.origin, format!("group {} / schedule {}", g.name, s.name)),
        )
    }

    /// The dashboard body as `Fn::Sub`, so widgets name the real group.
    fn dashboard_body(&self, g: &Group, d: &Dashboard, gid: &str) -> Json {
        let group = format!("${{{gid}}}");
        let mut vars: Vec<(String, Json)> = Vec::new();
        let mut dim = |d: &DimensionValue| -> String {
            match d {
                DimensionValue::GroupName => group.clone(),
                other => {
                    let j = self.dim_value(other, gid);
                    if let Some(s) = j.as_str() {
                        return s.replace("${", "${!");
                    }
                    if let Some((name, _)) = vars.iter().find(|(_, v)| *v == j) {
                        return format!("${{{name}}}");
                    }
                    let name = format!("Dim{}", vars.len() + 1);
                    vars.push((name.clone(), j));
                    format!("${{{name}}}")
                }
            }
        };
        let widgets = crate::backend::dashboard::body(g, d, "${AWS::Region}", &mut dim);
        let mut body = String::with_capacity(2048);
        super::pretty::write_compact(&mut body, &widgets);
        if vars.is_empty() {
            json!({ "Fn::Sub": body })
        } else {
            json!({ "Fn::Sub": [body, object(vars)] })
        }
    }

    /// Assembles a template from resources and outputs, with the parameters
    /// they reference.
    pub fn stack(
        &self,
        name: &str,
        resources: Vec<(String, Json)>,
        outputs: Vec<(String, Json)>,
        depends_on: Vec<String>,
        description: &str,
        format: super::Format,
    ) -> Stack {
        let count = resources.len();
        let resources = object(resources);
        let outputs = object(outputs);
        // The params the stack refers to become its parameters.
        let ids: Vec<String> = self.env.params.iter().map(|p| param_id(&p.name)).collect();
        let mut used = vec![false; ids.len()];
        mark_refs(&resources, &ids, &mut used);
        mark_refs(&outputs, &ids, &mut used);
        let params: Vec<(String, Json)> = self
            .env
            .params
            .iter()
            .zip(ids)
            .zip(&used)
            .filter(|(_, used)| **used)
            .map(|((p, id), _)| (id, parameter(p)))
            .collect();
        let mut t = json!({
            "AWSTemplateFormatVersion": "2010-09-09",
            "Description": description,
            "Metadata": {
                "scalec": {
                    "app": &self.env.app,
                    "environment": &self.env.name,
                    "stack": name,
                    "desired_capacity": super::DESIRED_CAPACITY_POLICY,
                }
            },
        });
        // Assigned, not interpolated: `json!` would deep-copy the resources.
        t["Resources"] = resources;
        if !params.is_empty() {
            t["Parameters"] = object(params);
        }
        if outputs.as_object().is_some_and(|o| !o.is_empty()) {
            t["Outputs"] = outputs;
        }
        Stack {
            name: name.to_string(),
            parameters: parameter_defaults(&t),
            text: super::render_with_capacity(&t, format, count * 1500),
            groups: vec![],
            depends_on,
            resources: count,
        }
    }
}

/// A resource: type, properties and the source-map metadata.
pub(super) fn resource(ty: &str, properties: Json, metadata: Json) -> Json {
    object(vec![
        ("Type".into(), Json::String(ty.to_string())),
        ("Properties".into(), properties),
        ("Metadata".into(), metadata),
    ])
}

/// Sets `used[i]` when `j` holds a `Ref` to `ids[i]`.
fn mark_refs(j: &Json, ids: &[String], used: &mut [bool]) {
    match j {
        Json::Object(m) => {
            for (k, v) in m {
                if k == "Ref"
                    && let Some(s) = v.as_str()
                    && let Some(i) = ids.iter().position(|id| id == s)
                    && let Some(u) = used.get_mut(i)
                {
                    *u = true;
                }
                mark_refs(v, ids, used);
            }
        }
        Json::Array(a) => a.iter().for_each(|x| mark_refs(x, ids, used)),
        _ => {}
    }
}

use crate::backend::dashboard::statistic;

pub(super) fn tags(tags: &std::collections::BTreeMap<String, String>, propagate: bool) -> Json {
    Json::Array(
        tags.iter()
            .map(|(k, v)| {
                if propagate {
                    json!({ "Key": k, "Value": v, "PropagateAtLaunch": true })
                } else {
                    json!({ "Key": k, "Value": v })
                }
            })
            .collect(),
    )
}

fn parameter(p: &Param) -> Json {
    let (ty, pattern): (&str, Option<&str>) = match (p.ty, p.list) {
        (ParamType::SubnetId, false) => ("AWS::EC2::Subnet::Id", None),
        (ParamType::SubnetId, true) => ("List<AWS::EC2::Subnet::Id>", None),
        (ParamType::SecurityGroupId, false) => ("AWS::EC2::SecurityGroup::Id", None),
        (ParamType::SecurityGroupId, true) => ("List<AWS::EC2::SecurityGroup::Id>", None),
        (ParamType::VpcId, false) => ("AWS::EC2::VPC::Id", None),
        (ParamType::VpcId, true) => ("List<AWS::EC2::VPC::Id>", None),
        (ParamType::Number, false) => ("Number", None),
        (ParamType::Number, true) => ("List<Number>", None),
        (_, true) => ("CommaDelimitedList", None),
        (ParamType::LaunchTemplateId, false) => ("String", Some("^lt-[0-9a-f]{8,17}$")),
        (ParamType::LoadBalancerArn, false) => (
            "String",
            Some(
                "^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:loadbalancer/app/[^/]+/[^/]+$",
            ),
        ),
        (ParamType::TargetGroupArn, false) => (
            "String",
            Some(
                "^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:targetgroup/[^/]+/[^/]+$",
            ),
        ),
        (ParamType::Email, false) => ("String", Some("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")),
        (ParamType::Url, false) => ("String", Some("^https://\\S+$")),
        (ParamType::TopicArn, false) => ("String", Some("^arn:aws[a-z-]*:sns:.+")),
        (ParamType::QueueArn, false) => ("String", Some("^arn:aws[a-z-]*:sqs:.+")),
        (ParamType::FunctionArn, false) => {
            ("String", Some("^arn:aws[a-z-]*:lambda:.+:function:.+"))
        }
        (ParamType::RoleArn, false) => ("String", Some("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+")),
        (ParamType::CapacityReservationId, false) => ("String", Some("^cr-[0-9a-f]{17}$")),
        (ParamType::ResourceGroupArn, false) => (
            "String",
            Some("^arn:aws[a-z-]*:resource-groups:.+:group/.+"),
        ),
        (ParamType::String, false) => ("String", None),
    };
    let type_name = p.ty.name();
    let shown = if p.list {
        format!("list<{type_name}>")
    } else {
        type_name.to_string()
    };
    let mut j =
        json!({ "Type": ty, "Description": format!("scalec param `{}` ({shown})", p.name) });
    if let Some(pat) = pattern {
        j["AllowedPattern"] = json!(pat);
    }
    match &p.value {
        Some(ParamValue::One(v)) => j["Default"] = json!(v),
        Some(ParamValue::List(v)) => j["Default"] = json!(v.join(",")),
        None => {}
    }
    j
}
