//! The resolved model: one plain-data [`Environment`] per environment.
//!
//! Everything here is already checked and merged: environment values are
//! substituted, `match env` arms chosen, units converted to canonical ones
//! (seconds, whole percent, counts, bytes, per-minute rates), and step ranges
//! turned into an alarm threshold plus relative bounds. Backends (CloudFormation,
//! the apply plan) and analyses (lints, the simulator) read only this.
//!
//! The model holds no AST. Each item keeps an `origin` span so that a later
//! stage can still point at the source.

pub mod fleet;
pub mod ids;
pub mod scalable;
pub mod scaling_test;
mod shift;
pub mod units;

pub use fleet::*;
pub use scaling_test::ScaleTest;

use crate::source::Span;
use serde::Serialize;
use std::collections::BTreeMap;

/// A checked spec: the app and each environment it defines.
#[derive(Debug, Clone, Serialize)]
pub struct Spec {
    /// The app's name.
    pub app: String,
    /// Environments, in declaration order.
    pub environments: Vec<Environment>,
}

impl Spec {
    /// The environment with this name.
    pub fn environment(&self, name: &str) -> Option<&Environment> {
        self.environments.iter().find(|e| e.name == name)
    }
}

/// One environment, fully resolved.
#[derive(Debug, Clone, Serialize)]
pub struct Environment {
    /// The app's name.
    pub app: String,
    /// `production`.
    pub name: String,
    /// AWS region, if the spec sets one.
    pub region: Option<String>,
    /// The AWS account (12 digits) the environment deploys to, if the spec
    /// says: commands that read or write refuse other credentials.
    pub account: Option<String>,
    /// An IAM role ARN to assume for the environment's calls.
    pub role: Option<String>,
    /// Tags put on everything that takes tags.
    pub tags: BTreeMap<String, String>,
    /// The spec's inputs, with a value where one is known.
    pub params: Vec<Param>,
    /// SNS topics.
    pub topics: Vec<Topic>,
    /// Auto Scaling groups.
    pub groups: Vec<Group>,
    /// Scalable targets of Application Auto Scaling.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<scalable::ScalableTarget>,
    /// Scaling tests of its groups, for `scalec test`; no backend reads
    /// them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tests: Vec<ScaleTest>,
    /// The environment's declaration.
    pub origin: Span,
}

/// The type of a param.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamType {
    /// Any text.
    String,
    /// A number.
    Number,
    /// An email address.
    Email,
    /// An https URL.
    Url,
    /// `lt-...`.
    LaunchTemplateId,
    /// `subnet-...`.
    SubnetId,
    /// `sg-...`.
    SecurityGroupId,
    /// `vpc-...`.
    VpcId,
    /// An Application Load Balancer ARN.
    LoadBalancerArn,
    /// A target group ARN.
    TargetGroupArn,
    /// An SNS topic ARN.
    TopicArn,
    /// An SQS queue ARN.
    QueueArn,
    /// A Lambda function ARN.
    FunctionArn,
    /// An IAM role ARN.
    RoleArn,
    /// `cr-...`: an EC2 capacity reservation.
    CapacityReservationId,
    /// A resource group ARN (of capacity reservations).
    ResourceGroupArn,
}

/// A param as seen in one environment.
#[derive(Debug, Clone, Serialize)]
pub struct Param {
    /// `subnets`.
    pub name: String,
    /// The element type.
    pub ty: ParamType,
    /// Whether it is `list<...>`.
    pub list: bool,
    /// The value, if the environment or the command line gives one.
    pub value: Option<ParamValue>,
    /// The declaration.
    pub origin: Span,
}

/// A param's value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// One value.
    One(String),
    /// A list.
    List(Vec<String>),
}

/// A text value that is either known or comes from a param (and so is a
/// CloudFormation `Ref` or a value given at plan time).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// A literal.
    Literal(String),
    /// `param.NAME`.
    Param(String),
}

/// Param type names and their meaning.
pub const PARAM_TYPES: &[(&str, ParamType)] = &[
    ("string", ParamType::String),
    ("number", ParamType::Number),
    ("email", ParamType::Email),
    ("url", ParamType::Url),
    ("launch_template_id", ParamType::LaunchTemplateId),
    ("subnet_id", ParamType::SubnetId),
    ("security_group_id", ParamType::SecurityGroupId),
    ("vpc_id", ParamType::VpcId),
    ("load_balancer_arn", ParamType::LoadBalancerArn),
    ("target_group_arn", ParamType::TargetGroupArn),
    ("topic_arn", ParamType::TopicArn),
    ("queue_arn", ParamType::QueueArn),
    ("function_arn", ParamType::FunctionArn),
    ("role_arn", ParamType::RoleArn),
    ("capacity_reservation_id", ParamType::CapacityReservationId),
    ("resource_group_arn", ParamType::ResourceGroupArn),
];

impl ParamType {
    /// The name a spec writes the type with: `subnet_id`.
    pub fn name(self) -> &'static str {
        PARAM_TYPES
            .iter()
            .find(|(_, t)| *t == self)
            .map_or("string", |(n, _)| *n)
    }
}

/// A list value: a literal list, a list param, or items of either kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ListValue {
    /// A `list<...>` param as a whole.
    Param(String),
    /// Individual items.
    Items(Vec<Value>),
}

/// An SNS topic.
#[derive(Debug, Clone, Serialize)]
pub struct Topic {
    /// `critical`.
    pub name: String,
    /// `macro-ai-production-critical`.
    pub physical_name: String,
    /// `display_name`: what email and SMS subscribers see as the sender.
    pub display_name: Option<Value>,
    /// Subscriptions.
    pub subscriptions: Vec<Subscription>,
    /// The declaration.
    pub origin: Span,
}

/// A subscription protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    /// Email.
    Email,
    /// HTTPS endpoint.
    Https,
    /// SQS queue ARN.
    Sqs,
    /// Lambda function ARN.
    Lambda,
}

/// One subscription.
#[derive(Debug, Clone, Serialize)]
pub struct Subscription {
    /// How.
    pub protocol: Protocol,
    /// Where.
    pub endpoint: Value,
}

/// Health check type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthCheckType {
    /// EC2 status checks.
    Ec2,
    /// Load balancer health checks (plus EC2's).
    Elb,
}

/// An Auto Scaling group.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// `web`.
    pub name: String,
    /// `macro-ai-production-web`.
    pub physical_name: String,
    /// The launch template (with a mixed instances policy, the default
    /// one its overrides fall back to).
    pub launch_template: LaunchTemplateRef,
    /// Subnets.
    pub subnets: ListValue,
    /// Target group ARNs.
    pub target_groups: ListValue,
    /// Minimum size.
    pub min: u32,
    /// Maximum size.
    pub max: u32,
    /// Desired capacity at creation. Scaling owns it afterwards: backends
    /// must not reset a running group to this value.
    pub desired: u32,
    /// Health check type.
    pub health_check: HealthCheckType,
    /// Health check grace period, seconds.
    pub health_check_grace: u32,
    /// Default instance warmup, seconds.
    pub default_warmup: Option<u32>,
    /// Default cooldown for simple scaling, seconds.
    pub default_cooldown: Option<u32>,
    /// Price of one instance-hour (any currency), for the simulator's cost.
    pub price: Option<f64>,
    /// Group metrics collected at one-minute granularity (CloudWatch names).
    pub metrics: Vec<String>,
    /// Termination policies, AWS names, in order.
    pub termination_policies: Vec<String>,
    /// Tags: the environment's plus the group's.
    pub tags: BTreeMap<String, String>,
    /// SNS notifications for group events.
    pub notifications: Vec<Notification>,
    /// Mixed instances and Spot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instances: Option<Instances>,
    /// `CapacityRebalance`: replace Spot instances at risk of interruption.
    #[serde(skip_serializing_if = "is_false")]
    pub capacity_rebalance: bool,
    /// `InstanceMaintenancePolicy`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maintenance: Option<HealthyRange>,
    /// `NewInstancesProtectedFromScaleIn`.
    #[serde(skip_serializing_if = "is_false")]
    pub protect_new_instances: bool,
    /// Suspended processes, AWS names (`AZRebalance`, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suspended: Vec<String>,
    /// `CapacityReservationSpecification`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity_reservation: Option<CapacityReservation>,
    /// `AvailabilityZoneDistribution.CapacityDistributionStrategy`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub az_distribution: Option<String>,
    /// Lifecycle hooks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hooks: Vec<Hook>,
    /// The warm pool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warm_pool: Option<WarmPool>,
    /// How launch-setting changes replace instances.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh: Option<Refresh>,
    /// Scaling policies.
    pub policies: Vec<Policy>,
    /// Monitoring alarms.
    pub alarms: Vec<Alarm>,
    /// Scheduled actions.
    pub schedules: Vec<Schedule>,
    /// The dashboard, if declared.
    pub dashboard: Option<Dashboard>,
    /// The declaration.
    pub origin: Span,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Group events routed to a topic.
#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    /// Topic name.
    pub topic: String,
    /// `autoscaling:EC2_INSTANCE_LAUNCH`, ...
    pub events: Vec<String>,
    /// The statement.
    pub origin: Span,
}

/// Units in canonical form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Whole percent, 0-100.
    Percent,
    /// Seconds.
    Seconds,
    /// A plain count.
    Count,
    /// Events per minute.
    PerMinute,
    /// Bytes.
    Bytes,
}

/// CloudWatch statistic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Statistic {
    /// Average.
    Average,
    /// Sum.
    Sum,
    /// Minimum.
    Minimum,
    /// Maximum.
    Maximum,
    /// SampleCount.
    SampleCount,
}

/// How a dimension value is formed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DimensionValue {
    /// The group's physical name.
    GroupName,
    /// The load balancer part of an ALB ARN: `app/NAME/ID`.
    LoadBalancer(Value),
    /// The target group part of a target group ARN: `targetgroup/NAME/ID`.
    TargetGroup(Value),
    /// The value as is.
    Plain(Value),
}

/// A predefined target-tracking metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Predefined {
    /// `ASGAverageCPUUtilization`, `ALBRequestCountPerTarget`, ...
    pub kind: String,
    /// For ALB request count: the load balancer and target group whose ARN
    /// parts make `app/LB/ID/targetgroup/TG/ID`.
    pub resource_label: Option<(Value, Value)>,
}

/// A CloudWatch metric with its dimensions bound.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metric {
    /// The declaration's name: `ec2.cpu`.
    pub key: String,
    /// `AWS/EC2`.
    pub namespace: String,
    /// `CPUUtilization`.
    pub name: String,
    /// Dimensions in declaration order.
    pub dimensions: Vec<(String, DimensionValue)>,
    /// Canonical unit of values.
    pub unit: Unit,
    /// Statistic to read it with.
    pub statistic: Statistic,
    /// The predefined target-tracking form, if any.
    pub predefined: Option<Predefined>,
}

impl Metric {
    /// What a per-minute threshold is multiplied by to compare with an
    /// alarm datapoint of `period` seconds: rate metrics read with `sum`
    /// count events per period; everything else is 1.
    pub fn rate_factor(&self, period: u32) -> f64 {
        if self.unit == Unit::PerMinute && self.statistic == Statistic::Sum {
            period as f64 / 60.0
        } else {
            1.0
        }
    }
}

/// What an alarm watches: one metric or a metric-math expression.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MetricQuery {
    /// One metric with a statistic.
    Single {
        /// The metric.
        metric: Metric,
    },
    /// `ABS(DIFF(m1))` over metrics `m1`, ...
    Math {
        /// CloudWatch metric-math expression.
        expression: String,
        /// The metrics it reads, with their ids (`m1`, ...).
        metrics: Vec<(String, Metric)>,
    },
}

/// Alarm comparison, CloudWatch names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Comparison {
    /// `>=`
    GreaterThanOrEqualToThreshold,
    /// `>`
    GreaterThanThreshold,
    /// `<`
    LessThanThreshold,
    /// `<=`
    LessThanOrEqualToThreshold,
}

/// How missing data counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum MissingData {
    /// Missing (AWS default).
    Missing,
    /// Counts as breaching.
    Breaching,
    /// Counts as not breaching.
    NotBreaching,
    /// Keeps the current state.
    Ignore,
}

/// An alarm condition with its evaluation window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlarmSpec {
    /// What is watched.
    pub query: MetricQuery,
    /// How it compares.
    pub comparison: Comparison,
    /// The threshold in the metric's canonical unit (counts per period for
    /// rate metrics read with `sum`).
    pub threshold: f64,
    /// Period, seconds.
    pub period: u32,
    /// Evaluation periods.
    pub evaluation_periods: u32,
    /// Datapoints that must breach.
    pub datapoints_to_alarm: u32,
    /// Missing-data treatment.
    pub missing_data: MissingData,
}

/// How a step or simple policy changes capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AdjustmentType {
    /// Add or remove instances.
    ChangeInCapacity,
    /// Add or remove a percentage.
    PercentChangeInCapacity,
    /// Set the capacity.
    ExactCapacity,
}

/// One step, relative to the alarm threshold as AWS wants it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepAdjustment {
    /// Lower bound relative to the threshold; `None` is minus infinity.
    pub lower: Option<f64>,
    /// Upper bound relative to the threshold; `None` is plus infinity.
    pub upper: Option<f64>,
    /// The adjustment.
    pub adjustment: i32,
    /// The step line.
    pub origin: Span,
}

/// Scale out or in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Adds capacity.
    Out,
    /// Removes capacity.
    In,
}

/// Metric aggregation for step policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Aggregation {
    /// Average.
    Average,
    /// Minimum.
    Minimum,
    /// Maximum.
    Maximum,
}

/// A scaling policy.
#[derive(Debug, Clone, Serialize)]
pub struct Policy {
    /// `cpu`.
    pub name: String,
    /// `macro-ai-production-web-cpu`.
    pub physical_name: String,
    /// Type-specific settings.
    pub kind: PolicyKind,
    /// Application Auto Scaling's cooldowns (a scalable target's policies
    /// only).
    #[serde(skip_serializing_if = "Cooldowns::is_empty")]
    pub cooldowns: Cooldowns,
    /// The declaration.
    pub origin: Span,
}

/// The cooldowns of a scalable target's policy, seconds: target
/// tracking's `ScaleOutCooldown` and `ScaleInCooldown`, step scaling's
/// `Cooldown` (in its `StepScalingPolicyConfiguration`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Cooldowns {
    /// `ScaleOutCooldown`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale_out: Option<u32>,
    /// `ScaleInCooldown`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale_in: Option<u32>,
    /// A step policy's `Cooldown`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<u32>,
}

impl Cooldowns {
    /// Whether none is set.
    pub fn is_empty(&self) -> bool {
        *self == Cooldowns::default()
    }
}

/// Policy types and their settings.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PolicyKind {
    /// Target tracking.
    TargetTracking {
        /// The tracked metric. With `math`, a stand-in that carries the
        /// expression's unit and, as `key`, the expression in the spec's
        /// words.
        metric: Metric,
        /// Metric math the policy tracks instead of one metric.
        #[serde(skip_serializing_if = "Option::is_none")]
        math: Option<MetricQuery>,
        /// Target value in the metric's canonical unit (per minute for ALB
        /// request count).
        target: f64,
        /// `DisableScaleIn`.
        disable_scale_in: bool,
        /// Estimated instance warmup, seconds.
        warmup: Option<u32>,
    },
    /// Step scaling.
    Step {
        /// The alarm that triggers it; `threshold` is where the steps start.
        alarm: AlarmSpec,
        /// Out or in.
        direction: Direction,
        /// Adjustment type.
        adjustment_type: AdjustmentType,
        /// Steps, ordered from the threshold outwards.
        steps: Vec<StepAdjustment>,
        /// Minimum adjustment magnitude (percent change only).
        min_adjustment_magnitude: Option<u32>,
        /// Metric aggregation type.
        aggregation: Aggregation,
        /// Estimated instance warmup, seconds.
        warmup: Option<u32>,
    },
    /// Predictive scaling.
    Predictive {
        /// The metric specification.
        metric: PredictiveMetric,
        /// Target value in the scaling metric's canonical unit.
        target: f64,
        /// `ForecastOnly` or `ForecastAndScale`.
        mode: String,
        /// `SchedulingBufferTime`, seconds.
        buffer: Option<u32>,
        /// `HonorMaxCapacity` or `IncreaseMaxCapacity`.
        max_capacity_breach: String,
        /// `MaxCapacityBuffer`, percent (only with increase).
        max_capacity_buffer: Option<u32>,
    },
    /// Simple scaling.
    Simple {
        /// The alarm that triggers it.
        alarm: AlarmSpec,
        /// Adjustment type.
        adjustment_type: AdjustmentType,
        /// The adjustment.
        adjustment: i32,
        /// Cooldown, seconds; `None` uses the group's default.
        cooldown: Option<u32>,
        /// Minimum adjustment magnitude (percent change only).
        min_adjustment_magnitude: Option<u32>,
    },
}

/// What a predictive policy forecasts and scales on.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PredictiveMetric {
    /// A predefined metric pair: `ASGCPUUtilization`, `ASGNetworkIn`,
    /// `ASGNetworkOut` or `ALBRequestCount`.
    Pair {
        /// The pair's type.
        kind: String,
        /// For ALB request count: load balancer and target group.
        resource_label: Option<(Value, Value)>,
        /// The per-instance metric the target is in.
        metric: Metric,
    },
    /// A custom scaling metric (per instance) and load metric (total).
    Custom {
        /// The metric the target is in.
        scaling: Metric,
        /// The total load.
        load: Metric,
    },
}

impl PredictiveMetric {
    /// The metric the target is in.
    pub fn scaling_metric(&self) -> &Metric {
        match self {
            PredictiveMetric::Pair { metric, .. } => metric,
            PredictiveMetric::Custom { scaling, .. } => scaling,
        }
    }
}

/// The name of the alarm that triggers the step or simple policy with this
/// physical name.
pub fn policy_alarm_name(policy_physical_name: &str) -> String {
    format!("{policy_physical_name}{POLICY_ALARM_SUFFIX}")
}

/// What [`policy_alarm_name`] appends.
pub const POLICY_ALARM_SUFFIX: &str = "-alarm";

/// What the alarm of a step or simple policy says about itself.
pub fn policy_alarm_description(policy: &str, group: &str) -> String {
    format!("Triggers scaling policy `{policy}` of group `{group}`. Managed by scalec.")
}

impl Alarm {
    /// The alarm's `AlarmDescription`: the tier in brackets, then the
    /// spec's description or one scalec writes. Both backends send this.
    pub fn description_text(&self, group: &str) -> String {
        let tier = self.tier.name();
        match &self.description {
            Some(d) => format!("[{tier}] {d}"),
            None => format!(
                "[{tier}] alarm `{}` of group `{group}`. Managed by scalec.",
                self.name
            ),
        }
    }
}

impl Policy {
    /// The name of the alarm that triggers this policy, if it has one
    /// (target tracking manages its own).
    pub fn alarm_name(&self) -> Option<String> {
        match self.kind {
            PolicyKind::TargetTracking { .. } | PolicyKind::Predictive { .. } => None,
            PolicyKind::Step { .. } | PolicyKind::Simple { .. } => {
                Some(policy_alarm_name(&self.physical_name))
            }
        }
    }
}

impl Environment {
    /// The environment as pretty JSON (`scalec debug model`).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Every alarm the environment's spec creates: policy alarms and
    /// monitoring alarms.
    pub fn alarm_names(&self) -> std::collections::HashSet<String> {
        self.groups
            .iter()
            .flat_map(|g| {
                g.policies
                    .iter()
                    .filter_map(Policy::alarm_name)
                    .chain(g.alarms.iter().map(|a| a.physical_name.clone()))
            })
            .collect()
    }
}

/// Alarm severity tiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Page someone.
    Critical,
    /// Look soon.
    Warning,
    /// For the record.
    Info,
}

impl Tier {
    /// `critical`, `warning` or `info`, as written in a spec.
    pub fn name(self) -> &'static str {
        match self {
            Tier::Critical => "critical",
            Tier::Warning => "warning",
            Tier::Info => "info",
        }
    }
}

/// A monitoring alarm.
#[derive(Debug, Clone, Serialize)]
pub struct Alarm {
    /// `at_capacity`.
    pub name: String,
    /// `macro-ai-production-web-at_capacity`.
    pub physical_name: String,
    /// Severity.
    pub tier: Tier,
    /// Condition and window.
    pub spec: AlarmSpec,
    /// Topics notified (by name), the tier's first.
    pub topics: Vec<String>,
    /// Description.
    pub description: Option<String>,
    /// The declaration.
    pub origin: Span,
}

/// A scheduled action.
#[derive(Debug, Clone, Serialize)]
pub struct Schedule {
    /// `nightly`.
    pub name: String,
    /// `macro-ai-production-web-nightly`.
    pub physical_name: String,
    /// Five-field cron.
    pub recurrence: String,
    /// IANA time zone.
    pub time_zone: Option<String>,
    /// New minimum.
    pub min: Option<u32>,
    /// New maximum.
    pub max: Option<u32>,
    /// New desired.
    pub desired: Option<u32>,
    /// The declaration.
    pub origin: Span,
}

/// A dashboard widget.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "widget", rename_all = "snake_case")]
pub enum Widget {
    /// Desired, in-service and total instances.
    Capacity,
    /// Pending and terminating instances.
    Activity,
    /// In-service as a percentage of max.
    Utilization,
    /// A metric next to capacity.
    Correlate {
        /// The metric.
        metric: Metric,
    },
}

/// A CloudWatch dashboard for a group.
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    /// `macro-ai-production-web`.
    pub physical_name: String,
    /// Widgets in order.
    pub widgets: Vec<Widget>,
    /// The declaration.
    pub origin: Span,
}
