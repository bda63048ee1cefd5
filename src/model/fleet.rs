//! A group's fleet in the model: which launch template and instance types
//! it launches (mixed instances and Spot), how its instances are kept
//! (maintenance, scale-in protection, suspended processes, capacity
//! reservations, zone distribution), prepared (lifecycle hooks, warm pool)
//! and replaced (instance refresh). Values are AWS's words and canonical
//! units, like the rest of the model.

use super::{ListValue, Value};
use crate::source::Span;
use serde::Serialize;

/// A launch template and its version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaunchTemplateRef {
    /// By id (`lt-...`) or by name.
    pub template: TemplateKey,
    /// `$Default`, `$Latest`, a number, or a param.
    pub version: Value,
}

/// How a launch template is named: AWS takes one of the two, never both.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateKey {
    /// `LaunchTemplateId`.
    Id(Value),
    /// `LaunchTemplateName`.
    Name(Value),
}

/// Healthy capacity, in percent of desired, kept while instances are
/// replaced (`InstanceMaintenancePolicy`, and instance refresh's range).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HealthyRange {
    /// `MinHealthyPercentage`, 0-100.
    pub min: u32,
    /// `MaxHealthyPercentage`, 100-200.
    pub max: u32,
}

/// Where a group's instances may use capacity reservations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapacityReservation {
    /// `capacity-reservations-only`, `capacity-reservations-first`, `none`
    /// or `default`.
    pub preference: String,
    /// Reservation ids (`cr-...`).
    pub ids: ListValue,
    /// Resource group ARNs of reservations.
    pub resource_groups: ListValue,
}

/// A mixed instances policy: instance types (or requirements) over one or
/// more launch templates, and the On-Demand/Spot split.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Instances {
    /// The overrides, in priority order.
    pub overrides: Vec<Override>,
    /// `OnDemandBaseCapacity` (in capacity units when weighted).
    pub on_demand_base: Option<u32>,
    /// `OnDemandPercentageAboveBaseCapacity`, 0-100.
    pub on_demand_above_base: Option<u32>,
    /// `OnDemandAllocationStrategy`: `prioritized` or `lowest-price`.
    pub on_demand_strategy: Option<String>,
    /// `SpotAllocationStrategy`.
    pub spot_strategy: Option<String>,
    /// `SpotInstancePools` (only with `lowest-price`), 1-20.
    pub spot_pools: Option<u32>,
    /// The declaration.
    pub origin: Span,
}

impl Instances {
    /// Whether any capacity can be Spot: the percentage above base is
    /// under 100 (AWS's default is 100, all On-Demand).
    pub fn uses_spot(&self) -> bool {
        self.on_demand_above_base.is_some_and(|p| p < 100)
    }

    /// Whether all capacity above the base is Spot.
    pub fn spot_only(&self) -> bool {
        self.on_demand_above_base == Some(0)
    }

    /// Whether instance types carry weights (then capacity is in units).
    pub fn weighted(&self) -> bool {
        self.overrides.iter().any(|o| o.weight.is_some())
    }
}

/// One override: an instance type or a set of requirements, with an
/// optional weight and launch template of its own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Override {
    /// What to launch.
    pub kind: OverrideKind,
    /// `WeightedCapacity`, 1-999.
    pub weight: Option<u32>,
    /// A launch template for this override only.
    pub launch_template: Option<LaunchTemplateRef>,
    /// The item.
    pub origin: Span,
}

/// An instance type or requirements.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OverrideKind {
    /// `m5.large`.
    Type(String),
    /// vCPU and memory ranges.
    Requirements {
        /// vCPUs: min, optional max.
        vcpus: (u32, Option<u32>),
        /// Memory in MiB: min, optional max.
        memory_mib: (u32, Option<u32>),
    },
}

/// A lifecycle hook.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hook {
    /// `drain`.
    pub name: String,
    /// `macro-ai-production-web-drain`.
    pub physical_name: String,
    /// `autoscaling:EC2_INSTANCE_LAUNCHING` or `..._TERMINATING`.
    pub transition: String,
    /// `HeartbeatTimeout`, seconds (30-7200).
    pub heartbeat_timeout: u32,
    /// `CONTINUE` or `ABANDON`.
    pub default_result: String,
    /// `NotificationMetadata`.
    pub metadata: Option<String>,
    /// `NotificationTargetARN`: an SNS topic or SQS queue.
    pub target: Option<Value>,
    /// `RoleARN`: lets Auto Scaling publish to the target.
    pub role: Option<Value>,
    /// The declaration.
    pub origin: Span,
}

/// The group tag that counts the lifecycle hooks scalec made, so that
/// `plan` reads hooks only for the groups that have some.
pub const HOOKS_TAG: &str = "scalec:hooks";

/// The tag that remembers the `max` of the spec's capacity that scalec
/// last set, on groups whose predictive scaling may raise their maximum:
/// a deploy sets `MaxSize` only when the spec's maximum changed, never
/// back over a maximum the forecast raised.
pub const MAX_TAG: &str = "scalec:max";

impl Hook {
    /// How long AWS keeps an instance waiting at most, however often the
    /// heartbeat is recorded: 100 heartbeat timeouts, at most 48 hours.
    pub fn global_timeout(&self) -> u32 {
        self.heartbeat_timeout.saturating_mul(100).min(172_800)
    }

    /// Whether this hook waits on launch.
    pub fn on_launch(&self) -> bool {
        self.transition.ends_with("LAUNCHING")
    }
}

/// A warm pool of pre-initialised instances.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WarmPool {
    /// `MinSize`.
    pub min_size: u32,
    /// `MaxGroupPreparedCapacity`; `None` leaves it to AWS (the group's max).
    pub max_prepared: Option<u32>,
    /// `Stopped`, `Running` or `Hibernated`.
    pub state: String,
    /// `InstanceReusePolicy.ReuseOnScaleIn`.
    pub reuse_on_scale_in: bool,
    /// The declaration.
    pub origin: Span,
}

/// How a launch-setting change replaces running instances.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Refresh {
    /// Healthy capacity during the rollout; `max` may be absent (AWS's
    /// default keeps at most 100%).
    pub min_healthy: u32,
    /// `MaxHealthyPercentage`.
    pub max_healthy: Option<u32>,
    /// `InstanceWarmup`, seconds.
    pub warmup: Option<u32>,
    /// `CheckpointPercentages`, ascending, the last usually 100.
    pub checkpoints: Vec<u32>,
    /// `CheckpointDelay`, seconds.
    pub checkpoint_delay: Option<u32>,
    /// `SkipMatching`.
    pub skip_matching: bool,
    /// `AutoRollback`.
    pub auto_rollback: bool,
    /// Alarms (the group's, by name in the spec) that stop it.
    pub alarms: Vec<String>,
    /// The declaration.
    pub origin: Span,
}
