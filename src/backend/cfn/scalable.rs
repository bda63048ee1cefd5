//! A scalable target's resources: `AWS::ApplicationAutoScaling::
//! ScalableTarget` (its scheduled actions inline), a `ScalingPolicy` per
//! policy (the step settings nested, as Application Auto Scaling wants
//! them) with a CloudWatch alarm for each step policy, and its monitoring
//! alarms.

use super::gen_resources::{Gen, GroupOut, resource, tags};
use crate::backend::json::Json;
use crate::json;
use crate::model::ids::{member_id, target_id, target_output_id};
use crate::model::scalable::{ScalableTarget, TargetSchedule};
use crate::model::{self, *};

impl Gen<'_> {
    /// The resources and outputs of one scalable target.
    pub fn target(&self, t: &ScalableTarget) -> GroupOut {
        let tid = target_id(&t.name);
        let mut resources = vec![(tid.clone(), self.target_resource(t))];
        for p in &t.policies {
            resources.extend(self.target_policy(t, p, &tid));
        }
        for a in &t.alarms {
            let mut ap = self.alarm_props(&a.spec, "");
            ap.insert("AlarmName", json!(&a.physical_name));
            ap.insert("AlarmDescription", json!(a.description_text(&t.name)));
            ap.insert(
                "AlarmActions",
                Json::Array(a.topics.iter().map(|x| self.topic_ref(x)).collect()),
            );
            resources.push((
                member_id(&t.name, &a.name, "Alarm"),
                resource(
                    "AWS::CloudWatch::Alarm",
                    Json::Object(ap),
                    self.meta(
                        a.origin,
                        format!("{} {} / alarm {}", t.keyword, t.name, a.name),
                    ),
                ),
            ));
        }
        let outputs = vec![(
            target_output_id(&t.name),
            json!({
                "Description": format!("The `{}` scalable target", t.name),
                "Value": { "Ref": &tid },
            }),
        )];
        GroupOut { resources, outputs }
    }

    /// The `ScalableTarget` resource.
    fn target_resource(&self, t: &ScalableTarget) -> Json {
        let mut props = json!({
            "ServiceNamespace": &t.namespace,
            "ScalableDimension": &t.dimension,
            "ResourceId": self.resource_id(t),
            "MinCapacity": t.min,
            "MaxCapacity": t.max,
            "Tags": tags(&t.tags, false),
        });
        if let Some(r) = &t.role {
            props["RoleARN"] = self.value(r);
        }
        if t.suspended.any() {
            props["SuspendedState"] = json!({
                "DynamicScalingInSuspended": t.suspended.dynamic_in,
                "DynamicScalingOutSuspended": t.suspended.dynamic_out,
                "ScheduledScalingSuspended": t.suspended.scheduled,
            });
        }
        if !t.schedules.is_empty() {
            props["ScheduledActions"] =
                Json::Array(t.schedules.iter().map(scheduled_action).collect());
        }
        resource(
            "AWS::ApplicationAutoScaling::ScalableTarget",
            props,
            self.meta(t.origin, format!("{} {}", t.keyword, t.name)),
        )
    }

    /// `service/CLUSTER/SERVICE`: a string when every part is known, else
    /// joined from the parts' parameters.
    fn resource_id(&self, t: &ScalableTarget) -> Json {
        if let Some(id) = t.resource_id() {
            return json!(id);
        }
        let pieces = crate::kinds::scalable::kind(&t.keyword, &t.kind)
            .map(|k| k.resource_id_pieces())
            .unwrap_or_default();
        let mut joined = Vec::new();
        for (i, piece) in pieces.iter().enumerate() {
            if !piece.is_empty() {
                joined.push(json!(piece));
            }
            if let Some((_, v)) = t.parts.get(i) {
                joined.push(self.value(v));
            }
        }
        json!({ "Fn::Join": ["", joined] })
    }

    /// A policy and, for step scaling, the alarm that triggers it.
    fn target_policy(&self, t: &ScalableTarget, p: &Policy, tid: &str) -> Vec<(String, Json)> {
        let pid = member_id(&t.name, &p.name, "Policy");
        let meta = self.meta(
            p.origin,
            format!("{} {} / policy {}", t.keyword, t.name, p.name),
        );
        let mut props = json!({
            "PolicyName": &p.physical_name,
            "ScalingTargetId": { "Ref": tid },
        });
        let mut out = Vec::new();
        match &p.kind {
            PolicyKind::TargetTracking {
                metric,
                math,
                target,
                disable_scale_in,
                ..
            } => {
                props["PolicyType"] = json!("TargetTrackingScaling");
                let mut conf = crate::backend::dashboard::target_tracking_configuration(
                    metric,
                    math.as_ref(),
                    *target,
                    *disable_scale_in,
                    |lb, tg| json!({ "Fn::Join": ["/", [self.lb_suffix(lb), self.tg_suffix(tg)]] }),
                    |m| self.dimensions(m, ""),
                );
                if let Some(c) = p.cooldowns.scale_out {
                    conf["ScaleOutCooldown"] = json!(c);
                }
                if let Some(c) = p.cooldowns.scale_in {
                    conf["ScaleInCooldown"] = json!(c);
                }
                props["TargetTrackingScalingPolicyConfiguration"] = conf;
            }
            PolicyKind::Step {
                alarm,
                adjustment_type,
                steps,
                min_adjustment_magnitude,
                aggregation,
                ..
            } => {
                props["PolicyType"] = json!("StepScaling");
                let mut conf = json!({
                    "AdjustmentType": format!("{adjustment_type:?}"),
                    "MetricAggregationType": format!("{aggregation:?}"),
                    "StepAdjustments": Json::Array(crate::backend::dashboard::step_adjustments(steps)),
                });
                if let Some(c) = p.cooldowns.step {
                    conf["Cooldown"] = json!(c);
                }
                if let Some(m) = min_adjustment_magnitude {
                    conf["MinAdjustmentMagnitude"] = json!(m);
                }
                props["StepScalingPolicyConfiguration"] = conf;
                let mut ap = self.alarm_props(alarm, "");
                ap.insert(
                    "AlarmName",
                    json!(model::policy_alarm_name(&p.physical_name)),
                );
                ap.insert(
                    "AlarmDescription",
                    json!(format!(
                        "Triggers scaling policy `{}` of {} `{}`. Managed by scalec.",
                        p.name, t.keyword, t.name
                    )),
                );
                ap.insert("AlarmActions", json!([{ "Ref": &pid }]));
                out.push((
                    member_id(&t.name, &p.name, "PolicyAlarm"),
                    resource("AWS::CloudWatch::Alarm", Json::Object(ap), meta.clone()),
                ));
            }
            // The checker refuses the rest on a scalable target.
            PolicyKind::Predictive { .. } | PolicyKind::Simple { .. } => return out,
        }
        out.insert(
            0,
            (
                pid,
                resource("AWS::ApplicationAutoScaling::ScalingPolicy", props, meta),
            ),
        );
        out
    }
}

/// One of the target's `ScheduledActions`.
fn scheduled_action(s: &TargetSchedule) -> Json {
    let mut action = json!({});
    if let Some(v) = s.min {
        action["MinCapacity"] = json!(v);
    }
    if let Some(v) = s.max {
        action["MaxCapacity"] = json!(v);
    }
    let mut a = json!({
        "ScheduledActionName": &s.physical_name,
        "Schedule": &s.schedule,
        "ScalableTargetAction": action,
    });
    if let Some(tz) = &s.time_zone {
        a["Timezone"] = json!(tz);
    }
    a
}
