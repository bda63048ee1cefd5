//! The plan and its calls: each [`Call`] is one AWS API request, with the
//! API's own member names, so the JSON reads like the SDK request it becomes.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

/// The plan for one environment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApplyPlan {
    /// The version of this document's format ([`FORMAT_VERSION`]);
    /// `docs/plan.schema.json` describes it.
    #[serde(default = "first_format")]
    pub format_version: u32,
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
    /// The `--param` values the plan was made with: `apply PLAN` plans
    /// again with them and runs the plan only if it comes out the same.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub params: std::collections::BTreeMap<String, String>,
    /// Fingerprint of the live state the plan was made against (`empty`
    /// for an offline plan).
    #[serde(default)]
    pub state_fingerprint: String,
    /// Resources found in the environment that scalec doesn't own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left_alone: Vec<String>,
    /// Group name -> the `StartInstanceRefresh` request that replaces its
    /// instances when its launch settings change (groups with `refresh`).
    /// Not a call of its own: the diff adds one where it is needed.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub refresh: std::collections::BTreeMap<String, Json>,
    /// The calls, in order.
    pub operations: Vec<Operation>,
}

impl ApplyPlan {
    /// The plan as pretty JSON, as `plan --out` saves it.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// A plan saved by `plan --out`.
    pub fn from_json(text: &str) -> Result<ApplyPlan, String> {
        let p: ApplyPlan = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if p.format_version > FORMAT_VERSION {
            return Err(format!(
                "its format is version {}, and this scalec reads up to {FORMAT_VERSION}: it was made by a newer scalec",
                p.format_version
            ));
        }
        Ok(p)
    }
}

/// The format of a saved or printed plan. A change that could break a
/// reader of the JSON (a member renamed, removed or given another meaning)
/// raises it; new optional members don't.
pub const FORMAT_VERSION: u32 = 1;

fn first_format() -> u32 {
    1
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
    /// What the call means beyond its fields, in words (a refresh that
    /// replaces instances).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
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
    CreateTopic {
        name: String,
        /// `DisplayName`, when the spec gives one.
        #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
        attributes: std::collections::BTreeMap<String, String>,
        tags: Vec<Tag>,
    },
    /// `sns:SetTopicAttributes`: one attribute of an existing topic.
    #[serde(rename = "sns:SetTopicAttributes", rename_all = "PascalCase")]
    SetTopicAttributes {
        topic_arn: String,
        attribute_name: String,
        attribute_value: String,
    },
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
        #[serde(default, skip_serializing_if = "Option::is_none")]
        launch_template: Option<LaunchTemplate>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mixed_instances_policy: Option<Json>,
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
        #[serde(default, skip_serializing_if = "Option::is_none")]
        capacity_rebalance: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        instance_maintenance_policy: Option<Json>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        new_instances_protected_from_scale_in: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        capacity_reservation_specification: Option<Json>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        availability_zone_distribution: Option<Json>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        lifecycle_hook_specification_list: Vec<Json>,
        tags: Vec<GroupTag>,
    },
    /// `autoscaling:PutLifecycleHook`: the group's name and the hook's
    /// members.
    #[serde(rename = "autoscaling:PutLifecycleHook")]
    PutLifecycleHook(Json),
    /// `autoscaling:DeleteLifecycleHook`.
    #[serde(rename = "autoscaling:DeleteLifecycleHook", rename_all = "PascalCase")]
    DeleteLifecycleHook {
        auto_scaling_group_name: String,
        lifecycle_hook_name: String,
    },
    /// `autoscaling:PutWarmPool`: the group's name and the pool's members.
    #[serde(rename = "autoscaling:PutWarmPool")]
    PutWarmPool(Json),
    /// `autoscaling:DeleteWarmPool`.
    #[serde(rename = "autoscaling:DeleteWarmPool", rename_all = "PascalCase")]
    DeleteWarmPool {
        auto_scaling_group_name: String,
        force_delete: bool,
    },
    /// `autoscaling:StartInstanceRefresh`.
    #[serde(rename = "autoscaling:StartInstanceRefresh")]
    StartInstanceRefresh(Json),
    /// `autoscaling:SuspendProcesses`.
    #[serde(rename = "autoscaling:SuspendProcesses", rename_all = "PascalCase")]
    SuspendProcesses {
        auto_scaling_group_name: String,
        scaling_processes: Vec<String>,
    },
    /// `autoscaling:ResumeProcesses`.
    #[serde(rename = "autoscaling:ResumeProcesses", rename_all = "PascalCase")]
    ResumeProcesses {
        auto_scaling_group_name: String,
        scaling_processes: Vec<String>,
    },
    /// `autoscaling:EnableMetricsCollection`.
    #[serde(
        rename = "autoscaling:EnableMetricsCollection",
        rename_all = "PascalCase"
    )]
    EnableMetricsCollection {
        auto_scaling_group_name: String,
        granularity: String,
        /// None: every metric AWS has.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
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
    CreateOrUpdateTags { tags: Vec<ResourceTag> },
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
    /// `autoscaling:DeleteAutoScalingGroup`.
    #[serde(
        rename = "autoscaling:DeleteAutoScalingGroup",
        rename_all = "PascalCase"
    )]
    DeleteAutoScalingGroup {
        auto_scaling_group_name: String,
        force_delete: bool,
    },
    /// `sns:DeleteTopic`.
    #[serde(rename = "sns:DeleteTopic", rename_all = "PascalCase")]
    DeleteTopic { topic_arn: String },
    /// `cloudwatch:DeleteDashboards`.
    #[serde(rename = "cloudwatch:DeleteDashboards", rename_all = "PascalCase")]
    DeleteDashboards { dashboard_names: Vec<String> },
}

impl Call {
    /// The API, as IAM names it: `autoscaling:PutScalingPolicy`.
    pub fn api(&self) -> &'static str {
        match self {
            Call::CreateTopic { .. } => "sns:CreateTopic",
            Call::SetTopicAttributes { .. } => "sns:SetTopicAttributes",
            Call::Subscribe { .. } => "sns:Subscribe",
            Call::CreateAutoScalingGroup { .. } => "autoscaling:CreateAutoScalingGroup",
            Call::SuspendProcesses { .. } => "autoscaling:SuspendProcesses",
            Call::PutLifecycleHook(_) => "autoscaling:PutLifecycleHook",
            Call::PutWarmPool(_) => "autoscaling:PutWarmPool",
            Call::StartInstanceRefresh(_) => "autoscaling:StartInstanceRefresh",
            Call::DeleteWarmPool { .. } => "autoscaling:DeleteWarmPool",
            Call::DeleteLifecycleHook { .. } => "autoscaling:DeleteLifecycleHook",
            Call::ResumeProcesses { .. } => "autoscaling:ResumeProcesses",
            Call::EnableMetricsCollection { .. } => "autoscaling:EnableMetricsCollection",
            Call::PutNotificationConfiguration { .. } => "autoscaling:PutNotificationConfiguration",
            Call::PutScalingPolicy(_) => "autoscaling:PutScalingPolicy",
            Call::PutScheduledUpdateGroupAction { .. } => {
                "autoscaling:PutScheduledUpdateGroupAction"
            }
            Call::PutMetricAlarm(_) => "cloudwatch:PutMetricAlarm",
            Call::UpdateAutoScalingGroup(_) => "autoscaling:UpdateAutoScalingGroup",
            Call::AttachLoadBalancerTargetGroups { .. } => {
                "autoscaling:AttachLoadBalancerTargetGroups"
            }
            Call::DetachLoadBalancerTargetGroups { .. } => {
                "autoscaling:DetachLoadBalancerTargetGroups"
            }
            Call::CreateOrUpdateTags { .. } => "autoscaling:CreateOrUpdateTags",
            Call::DeletePolicy { .. } => "autoscaling:DeletePolicy",
            Call::DeleteScheduledAction { .. } => "autoscaling:DeleteScheduledAction",
            Call::DeleteNotificationConfiguration { .. } => {
                "autoscaling:DeleteNotificationConfiguration"
            }
            Call::DeleteAlarms { .. } => "cloudwatch:DeleteAlarms",
            Call::PutDashboard { .. } => "cloudwatch:PutDashboard",
            Call::DeleteAutoScalingGroup { .. } => "autoscaling:DeleteAutoScalingGroup",
            Call::DeleteTopic { .. } => "sns:DeleteTopic",
            Call::DeleteDashboards { .. } => "cloudwatch:DeleteDashboards",
        }
    }
}

/// A launch template reference.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LaunchTemplate {
    /// `lt-...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_template_id: Option<String>,
    /// The template's name, when it is named instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_template_name: Option<String>,
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

/// A tag of `CreateOrUpdateTags`, which names the group it goes on.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceTag {
    /// The group's name.
    pub resource_id: String,
    /// Always `auto-scaling-group`.
    pub resource_type: String,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predictive_scaling_configuration: Option<Json>,
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
