//! A scalable target of Application Auto Scaling, resolved: its kind's
//! namespace and dimension, the parts of its resource id, its capacity,
//! suspended scaling, policies, scheduled actions and alarms. The kind's
//! facts are in `kinds::scalable`; this is one target's data.

use super::{Alarm, Policy, Value};
use crate::source::Span;
use serde::Serialize;
use std::collections::BTreeMap;

/// An ECS service, DynamoDB table or index, or Lambda alias that
/// Application Auto Scaling scales.
#[derive(Debug, Clone, Serialize)]
pub struct ScalableTarget {
    /// `api`.
    pub name: String,
    /// The declaration's keyword: `service`.
    pub keyword: String,
    /// The kind after the name: `ecs`.
    pub kind: String,
    /// `shop-production-api`: what its policies' and actions' names start
    /// with.
    pub physical_name: String,
    /// `ServiceNamespace`: `ecs`.
    pub namespace: String,
    /// `ScalableDimension`: `ecs:service:DesiredCount`.
    pub dimension: String,
    /// The resource id's parts, in the kind's order: (`cluster`, value).
    pub parts: Vec<(String, Value)>,
    /// `MinCapacity`.
    pub min: u32,
    /// `MaxCapacity`.
    pub max: u32,
    /// `SuspendedState`.
    pub suspended: Suspended,
    /// `RoleARN`, when the spec gives one (else the service-linked role).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Value>,
    /// Tags: the environment's plus the target's.
    pub tags: BTreeMap<String, String>,
    /// Scaling policies (target tracking, step, predictive).
    pub policies: Vec<Policy>,
    /// Scheduled actions.
    pub schedules: Vec<TargetSchedule>,
    /// Monitoring alarms.
    pub alarms: Vec<Alarm>,
    /// The declaration.
    pub origin: Span,
}

/// Which of a target's scaling is suspended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Suspended {
    /// `DynamicScalingInSuspended`.
    pub dynamic_in: bool,
    /// `DynamicScalingOutSuspended`.
    pub dynamic_out: bool,
    /// `ScheduledScalingSuspended`.
    pub scheduled: bool,
}

impl Suspended {
    /// Whether anything is suspended.
    pub fn any(&self) -> bool {
        self.dynamic_in || self.dynamic_out || self.scheduled
    }
}

/// A scheduled action of Application Auto Scaling: it sets only the
/// minimum and maximum.
#[derive(Debug, Clone, Serialize)]
pub struct TargetSchedule {
    /// `night`.
    pub name: String,
    /// `shop-production-api-night`.
    pub physical_name: String,
    /// `cron(0 22 ? * * *)`, `rate(1 hour)` or `at(2026-12-24T18:00:00)`.
    pub schedule: String,
    /// IANA time zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// New minimum.
    pub min: Option<u32>,
    /// New maximum.
    pub max: Option<u32>,
    /// The declaration.
    pub origin: Span,
}

impl ScalableTarget {
    /// The resource id, when every part is known: `service/prod/api`.
    pub fn resource_id(&self) -> Option<String> {
        let kind = crate::kinds::scalable::kind(&self.keyword, &self.kind)?;
        let values: Option<Vec<&str>> = self
            .parts
            .iter()
            .map(|(_, v)| match v {
                Value::Literal(s) => Some(s.as_str()),
                Value::Param(_) => None,
            })
            .collect();
        Some(kind.resource_id(&values?))
    }
}
