//! The calls that make a live account match the spec ([`diff`]), and the
//! calls that delete what scalec made for an environment ([`teardown`]).
//! Pure: the live state is read elsewhere (`apply`).

use super::*;
use crate::model;
use serde::Serialize;
use serde_json::Value as Json;
use std::collections::BTreeMap;

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
    /// Topic name -> its `DisplayName` (empty when unset), read for plans.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub display_names: BTreeMap<String, String>,
    /// Topic name -> whether its tags mark it as scalec's (read for
    /// `destroy` only).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub topics_ours: BTreeMap<String, bool>,
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
    /// Suspended processes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suspended: Vec<String>,
    /// The warm pool, as a `PutWarmPool` request without the group's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warm_pool: Option<Json>,
    /// Lifecycle hook name -> `PutLifecycleHook` request, for the groups
    /// whose hooks were read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hooks: Option<BTreeMap<String, Json>>,
    /// Instances still running a launch template or version the group no
    /// longer names (a refresh that never started, or stopped).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub stale_instances: u32,
    /// Whether an instance refresh is under way (read only for groups with
    /// stale instances and a `refresh` in the spec).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub refresh_running: bool,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
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
        if a == b || (a == Json::Array(vec![]) && b.is_null()) || covers(&a, &b) {
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

/// Whether `have` holds everything `want` says, recursively: objects may
/// carry more members than the spec sets (AWS adds a launch template's
/// name next to its id, and defaults), lists match item by item.
fn covers(want: &Json, have: &Json) -> bool {
    match (want, have) {
        (Json::Object(w), Json::Object(h)) => w
            .iter()
            .all(|(k, v)| v.is_null() || h.get(k).is_some_and(|x| covers(v, x))),
        (Json::Array(w), Json::Array(h)) => {
            w.len() == h.len() && w.iter().zip(h).all(|(a, b)| covers(a, b))
        }
        (a, b) => norm(a) == norm(b),
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
    let mut d = Differ::new(desired, live, adopt);
    for op in &desired.operations {
        match &op.call {
            Call::CreateTopic {
                name, attributes, ..
            } => d.topic(op, name, attributes),
            Call::Subscribe {
                topic_arn: ArnRef::Topic(name),
                protocol,
                endpoint,
            } => d.subscription(op, name, protocol, endpoint),
            Call::CreateAutoScalingGroup {
                auto_scaling_group_name: name,
                min_size,
                max_size,
                desired_capacity,
                tags,
                ..
            } => d.group(op, name, tags, [*min_size, *max_size, *desired_capacity])?,
            Call::PutWarmPool(req) => d.warm_pool(op, req),
            Call::SuspendProcesses {
                auto_scaling_group_name: name,
                scaling_processes,
            } => d.suspended_processes(op, name, scaling_processes),
            Call::EnableMetricsCollection {
                auto_scaling_group_name: name,
                metrics,
                ..
            } => d.metrics(op, name, metrics),
            Call::PutNotificationConfiguration {
                auto_scaling_group_name: name,
                topic_arn,
                notification_types,
            } => d.notifications(op, name, topic_arn, notification_types),
            Call::PutScalingPolicy(p) => d.policy(op, p),
            Call::PutScheduledUpdateGroupAction {
                auto_scaling_group_name: g,
                scheduled_action_name: n,
                ..
            } => d.schedule(op, g, n),
            Call::PutMetricAlarm(a) => d.alarm(op, a),
            Call::PutDashboard {
                dashboard_name,
                dashboard_body,
            } => d.dashboard(op, dashboard_name, dashboard_body),
            _ => d.push(op, op.action, op.changes.clone()),
        }
    }
    let mut ops = d.ops;
    let mut left = d.left;
    ops.extend(stale_ops(
        desired,
        live,
        &d.wanted_policies,
        &d.wanted_schedules,
        &d.wanted_topics,
        &d.wanted_alarms,
        &mut left,
    ));
    ops.sort_by_key(|o| o.step);
    Ok(ApplyPlan {
        format_version: FORMAT_VERSION,
        app: desired.app.clone(),
        environment: desired.environment.clone(),
        region: desired.region.clone(),
        source: desired.source.clone(),
        account: account_of(live),
        spec_hash: desired.spec_hash.clone(),
        params: desired.params.clone(),
        state_fingerprint: live.fingerprint(),
        left_alone: left,
        refresh: desired.refresh.clone(),
        operations: ops,
    })
}

/// The account of what exists, from the first topic's or policy's ARN.
fn account_of(live: &LiveState) -> Option<String> {
    live.topics
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
        })
}

/// `op` with another action and its changes.
fn with_action(op: &Operation, action: Action, changes: Vec<Change>) -> Operation {
    let mut o = op.clone();
    o.action = action;
    o.changes = changes;
    o
}

/// What [`diff`] compares against, and what it has kept so far: the calls,
/// what it leaves alone, and the names the spec still has (so that
/// [`stale_ops`] deletes only the others).
struct Differ<'a> {
    live: &'a LiveState,
    adopt: bool,
    /// The desired plan's refreshes, by group.
    refresh: &'a BTreeMap<String, Json>,
    /// The groups the spec gives a warm pool.
    wanted_pools: Vec<&'a str>,
    /// The processes the spec suspends, by group.
    wanted_suspended: BTreeMap<&'a str, &'a Vec<String>>,
    wanted_policies: BTreeMap<String, Vec<String>>,
    wanted_schedules: BTreeMap<String, Vec<String>>,
    wanted_topics: BTreeMap<String, Vec<String>>,
    wanted_alarms: Vec<String>,
    ops: Vec<Operation>,
    left: Vec<String>,
}

impl<'a> Differ<'a> {
    /// A comparison of `desired` with `live`, nothing kept yet.
    fn new(desired: &'a ApplyPlan, live: &'a LiveState, adopt: bool) -> Differ<'a> {
        let wanted_suspended: BTreeMap<&str, &Vec<String>> = desired
            .operations
            .iter()
            .filter_map(|o| match &o.call {
                Call::SuspendProcesses {
                    auto_scaling_group_name,
                    scaling_processes,
                } => Some((auto_scaling_group_name.as_str(), scaling_processes)),
                _ => None,
            })
            .collect();
        let wanted_pools: Vec<&str> = desired
            .operations
            .iter()
            .filter_map(|o| match &o.call {
                Call::PutWarmPool(req) => req.get("AutoScalingGroupName").and_then(Json::as_str),
                _ => None,
            })
            .collect();
        Differ {
            live,
            adopt,
            refresh: &desired.refresh,
            wanted_pools,
            wanted_suspended,
            wanted_policies: BTreeMap::new(),
            wanted_schedules: BTreeMap::new(),
            wanted_topics: BTreeMap::new(),
            wanted_alarms: Vec::new(),
            ops: Vec::new(),
            left: Vec::new(),
        }
    }

    /// Keeps `op` with `action` and its changes.
    fn push(&mut self, op: &Operation, action: Action, changes: Vec<Change>) {
        self.ops.push(with_action(op, action, changes));
    }

    /// An ARN the plan refers to, as it is live, or a placeholder saying it
    /// is known only after apply.
    fn resolve(&self, r: &ArnRef) -> String {
        match r {
            ArnRef::Topic(name) => self
                .live
                .topics
                .get(name)
                .cloned()
                .unwrap_or_else(|| format!("(topic {name}, known after apply)")),
            ArnRef::Policy { group, policy } => self
                .live
                .groups
                .get(group)
                .and_then(|g| g.policies.get(policy))
                .map(|(_, arn)| arn.clone())
                .unwrap_or_else(|| format!("(policy {policy}, known after apply)")),
        }
    }

    /// A topic: created when missing, else its display name set when the
    /// spec sets or drops (back to none) one.
    fn topic(&mut self, op: &Operation, name: &str, attributes: &BTreeMap<String, String>) {
        let Some(arn) = self.live.topics.get(name) else {
            self.push(op, Action::Create, vec![]);
            return;
        };
        let want = attributes.get("DisplayName").cloned().unwrap_or_default();
        if let Some(have) = self.live.display_names.get(name)
            && *have != want
        {
            let set = Operation {
                call: Call::SetTopicAttributes {
                    topic_arn: arn.clone(),
                    attribute_name: "DisplayName".into(),
                    attribute_value: want.clone(),
                },
                ..op.clone()
            };
            let change = Change {
                field: "DisplayName".into(),
                old: Json::from(have.clone()),
                new: Json::from(want),
            };
            self.push(&set, Action::Update, vec![change]);
        }
    }

    /// A topic's subscription, created when missing.
    fn subscription(&mut self, op: &Operation, name: &str, protocol: &str, endpoint: &str) {
        let have = self
            .live
            .subscriptions
            .get(name)
            .is_some_and(|subs| subs.iter().any(|(p, e)| p == protocol && e == endpoint));
        if !have {
            self.push(op, Action::Create, vec![]);
        }
    }

    /// A group: created when missing, refused when it isn't scalec's
    /// (unless adopted), else its update, refresh, hooks, target groups,
    /// tags and retired settings.
    /// The sizes are its minimum, maximum and desired capacity.
    fn group(
        &mut self,
        op: &Operation,
        name: &str,
        tags: &[GroupTag],
        [min_size, max_size, desired_capacity]: [u32; 3],
    ) -> Result<(), String> {
        let Some(g) = self.live.groups.get(name) else {
            self.push(op, Action::Create, vec![]);
            return Ok(());
        };
        if !g.ours && !self.adopt {
            return Err(format!(
                "a group named `{name}` exists but isn't managed by scalec (no managed-by=scalec, app and env tags); pass --adopt to take it over"
            ));
        }
        let want = request(&op.call);
        let mut ch = group_changes(&want, g);
        let ops = &mut self.ops;
        let mut push = |o: &Operation, action: Action, changes: Vec<Change>| {
            ops.push(with_action(o, action, changes));
        };
        hook_ops(op, name, &want, g, &mut push, &mut self.left);
        retired_settings(
            op,
            name,
            g,
            &self.wanted_pools,
            &self.wanted_suspended,
            &mut push,
        );
        target_group_ops(op, name, &want, g, &mut push);
        capacity_changes(g, tags, min_size, max_size, desired_capacity, &mut ch);
        update_and_refresh(op, name, g, &want, ch, self.refresh, &mut push);
        tag_ops(op, name, g, tags, &mut push);
        Ok(())
    }

    /// A warm pool: created when missing, else updated when it differs; no
    /// maximum in the spec is AWS's default (-1, the group's maximum).
    fn warm_pool(&mut self, op: &Operation, req: &Json) {
        let name = req
            .get("AutoScalingGroupName")
            .and_then(Json::as_str)
            .unwrap_or_default();
        let Some(have) = self
            .live
            .groups
            .get(name)
            .and_then(|g| g.warm_pool.as_ref())
        else {
            self.push(op, Action::Create, vec![]);
            return;
        };
        let mut ch = changes(req, have, &["AutoScalingGroupName"]);
        let mut req = req.clone();
        if req.get("MaxGroupPreparedCapacity").is_none()
            && let Some(old) = have.get("MaxGroupPreparedCapacity")
        {
            req["MaxGroupPreparedCapacity"] = Json::from(-1);
            ch.push(Change {
                field: "MaxGroupPreparedCapacity".into(),
                old: old.clone(),
                new: Json::from(-1),
            });
        }
        if !ch.is_empty() {
            let mut o = op.clone();
            o.call = Call::PutWarmPool(req);
            self.push(&o, Action::Update, ch);
        }
    }

    /// Suspended processes: those the group doesn't have suspended yet.
    fn suspended_processes(&mut self, op: &Operation, name: &str, scaling_processes: &[String]) {
        let Some(g) = self.live.groups.get(name) else {
            self.push(op, Action::Create, vec![]);
            return;
        };
        let add: Vec<String> = scaling_processes
            .iter()
            .filter(|p| !g.suspended.contains(p))
            .cloned()
            .collect();
        if !add.is_empty() {
            let mut o = op.clone();
            o.call = Call::SuspendProcesses {
                auto_scaling_group_name: name.to_string(),
                scaling_processes: add,
            };
            let after = scaling_processes.to_vec();
            self.push(
                &o,
                Action::Update,
                vec![Change {
                    field: "SuspendedProcesses".into(),
                    old: Json::from(g.suspended.clone()),
                    new: Json::from(after),
                }],
            );
        }
    }

    /// A group's metrics collection, when the metrics differ.
    fn metrics(&mut self, op: &Operation, name: &str, metrics: &[String]) {
        let have = self
            .live
            .groups
            .get(name)
            .map(|g| g.metrics.clone())
            .unwrap_or_default();
        let (mut a, mut b) = (metrics.to_vec(), have.clone());
        a.sort();
        b.sort();
        // Every metric wanted (no list): every group metric on.
        let same = if a.is_empty() {
            crate::kinds::group::every_group_metric(&b)
        } else {
            a == b
        };
        if !same {
            let action = if self.live.groups.contains_key(name) {
                Action::Update
            } else {
                Action::Create
            };
            self.push(
                op,
                action,
                vec![Change {
                    field: "Metrics".into(),
                    old: Json::from(have),
                    new: Json::from(metrics.to_vec()),
                }],
            );
        }
    }

    /// A group's notifications to one topic: created when missing, else
    /// updated when the kinds differ.
    fn notifications(
        &mut self,
        op: &Operation,
        name: &str,
        topic_arn: &ArnRef,
        notification_types: &[String],
    ) {
        let arn = self.resolve(topic_arn);
        self.wanted_topics
            .entry(name.to_string())
            .or_default()
            .push(arn.clone());
        let have = self
            .live
            .groups
            .get(name)
            .and_then(|g| g.notifications.get(&arn))
            .cloned();
        let (mut a, mut b) = (
            notification_types.to_vec(),
            have.clone().unwrap_or_default(),
        );
        a.sort();
        b.sort();
        if have.is_none() {
            self.push(op, Action::Create, vec![]);
        } else if a != b {
            self.push(
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

    /// A scaling policy: created when missing, else updated when it differs.
    fn policy(&mut self, op: &Operation, p: &ScalingPolicy) {
        self.wanted_policies
            .entry(p.auto_scaling_group_name.clone())
            .or_default()
            .push(p.policy_name.clone());
        match self
            .live
            .groups
            .get(&p.auto_scaling_group_name)
            .and_then(|g| g.policies.get(&p.policy_name))
        {
            None => self.push(op, Action::Create, vec![]),
            Some((have, _)) => {
                let ch = changes(&request(&op.call), have, &[]);
                if !ch.is_empty() {
                    self.push(op, Action::Update, ch);
                }
            }
        }
    }

    /// A scheduled action: created when missing, else updated when it
    /// differs.
    fn schedule(&mut self, op: &Operation, g: &str, n: &str) {
        self.wanted_schedules
            .entry(g.to_string())
            .or_default()
            .push(n.to_string());
        match self.live.groups.get(g).and_then(|x| x.schedules.get(n)) {
            None => self.push(op, Action::Create, vec![]),
            Some(have) => {
                let ch = changes(&request(&op.call), have, &[]);
                if !ch.is_empty() {
                    self.push(op, Action::Update, ch);
                }
            }
        }
    }

    /// An alarm: created when missing, else updated when it differs, with
    /// a note when the update marks an adopted alarm as scalec's.
    fn alarm(&mut self, op: &Operation, a: &MetricAlarm) {
        self.wanted_alarms.push(a.alarm_name.clone());
        let mut want = request(&op.call);
        want["AlarmActions"] = Json::from(
            a.alarm_actions
                .iter()
                .map(|r| self.resolve(r))
                .collect::<Vec<_>>(),
        );
        let Some(have) = self.live.alarms.get(&a.alarm_name) else {
            self.push(op, Action::Create, vec![]);
            return;
        };
        // Tags are set when the alarm is created; reading them back would
        // cost a call per alarm.
        let ch = changes(&want, &have.request, &["Tags"]);
        let marks = self.adopt
            && ch.iter().any(|c| {
                c.field == "AlarmDescription"
                    && c.new.as_str().is_some_and(|d| d.ends_with(MANAGED))
                    && !c.old.as_str().is_some_and(|d| d.ends_with(MANAGED))
            });
        if !ch.is_empty() {
            let mut o = op.clone();
            if marks {
                o.note = Some(ADOPTED_ALARM.into());
            }
            self.push(&o, Action::Update, ch);
        }
    }

    /// A dashboard: created when missing, else updated when its body
    /// differs (compared as JSON).
    fn dashboard(&mut self, op: &Operation, name: &str, body: &str) {
        let Some(have) = self.live.dashboards.get(name) else {
            self.push(op, Action::Create, vec![]);
            return;
        };
        let a: Json = serde_json::from_str(body).unwrap_or(Json::Null);
        let b: Json = serde_json::from_str(have).unwrap_or(Json::Null);
        if norm(&a) != norm(&b) {
            self.push(
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
}

/// A group's changes but for its capacity, tags, hooks and target groups:
/// the request's fields that differ, and the settings the spec no longer
/// sets, back to AWS's defaults.
fn group_changes(want: &Json, g: &LiveGroup) -> Vec<Change> {
    // UpdateAutoScalingGroup can't change target groups: they are attached
    // and detached by calls of their own.
    let mut ch = changes(
        want,
        &g.request,
        &[
            "DesiredCapacity",
            "Tags",
            "AutoScalingGroupName",
            "TargetGroupARNs",
            "LifecycleHookSpecificationList",
        ],
    );
    for (field, default) in resets() {
        if want.get(field).is_none()
            && let Some(old) = g.request.get(field).filter(|v| !v.is_null())
            && *old != default
        {
            ch.push(Change {
                field: field.to_string(),
                old: old.clone(),
                new: default,
            });
        }
    }
    ch
}

/// The deletes of what scalec made that the spec no longer has: policies,
/// schedules and notifications of its groups, their alarms, alarms of its
/// own, and groups it made for this environment.
fn stale_ops(
    desired: &ApplyPlan,
    live: &LiveState,
    wanted_policies: &BTreeMap<String, Vec<String>>,
    wanted_schedules: &BTreeMap<String, Vec<String>>,
    wanted_topics: &BTreeMap<String, Vec<String>>,
    wanted_alarms: &[String],
    left: &mut Vec<String>,
) -> Vec<Operation> {
    let mut ops = Vec::new();
    // What scalec made that the spec no longer has.
    let mut stale_alarms = Vec::new();
    for (name, g) in &live.groups {
        if !g.ours {
            continue;
        }
        let has = |wanted: &BTreeMap<String, Vec<String>>, item: &str| {
            wanted
                .get(name)
                .is_some_and(|w| w.iter().any(|x| x == item))
        };
        let (deletes, alarms) = group_deletes(
            name,
            g,
            4,
            left,
            |item| match item {
                Item::Policy(p) => has(wanted_policies, p),
                Item::Schedule(s) => has(wanted_schedules, s),
                Item::Topic(t) => has(wanted_topics, t),
            },
            &Default::default(),
        );
        ops.extend(deletes);
        stale_alarms.extend(alarms);
    }
    // Groups scalec made for this environment that the spec no longer has
    // (a `for_each` key its list dropped, a group taken out): deleted, and
    // force-deleted as `destroy` does, after their policies and alarms.
    let wanted_groups: std::collections::HashSet<&str> = desired
        .operations
        .iter()
        .filter_map(|o| match &o.call {
            Call::CreateAutoScalingGroup {
                auto_scaling_group_name,
                ..
            } => Some(auto_scaling_group_name.as_str()),
            _ => None,
        })
        .collect();
    for (name, g) in &live.groups {
        if g.ours && !wanted_groups.contains(name.as_str()) {
            let mut op = delete_op(
                6,
                name,
                Call::DeleteAutoScalingGroup {
                    auto_scaling_group_name: name.clone(),
                    force_delete: true,
                },
            );
            op.note = Some("no longer in the spec: scalec made it for this environment".into());
            ops.push(op);
        }
    }
    for alarm in &stale_alarms {
        ops.push(delete_op(
            5,
            alarm,
            Call::DeleteAlarms {
                alarm_names: vec![alarm.clone()],
            },
        ));
    }
    for (aname, a) in &live.alarms {
        if wanted_alarms.contains(aname) || stale_alarms.contains(aname) {
            continue;
        }
        if a.ours {
            ops.push(delete_op(
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
    ops
}

/// A group's warm pool the spec dropped, and processes it no longer
/// suspends: deleted and resumed.
fn retired_settings(
    op: &Operation,
    name: &str,
    g: &LiveGroup,
    wanted_pools: &[&str],
    wanted_suspended: &BTreeMap<&str, &Vec<String>>,
    push: &mut impl FnMut(&Operation, Action, Vec<Change>),
) {
    if g.warm_pool.is_some() && !wanted_pools.contains(&name) {
        let mut o = op.clone();
        o.step = 4;
        o.call = Call::DeleteWarmPool {
            auto_scaling_group_name: name.to_string(),
            force_delete: true,
        };
        push(&o, Action::Delete, vec![]);
    }
    let live_suspended = &g.suspended;
    let resume: Vec<String> = live_suspended
        .iter()
        .filter(|p| !wanted_suspended.get(name).is_some_and(|w| w.contains(p)))
        .cloned()
        .collect();
    if !resume.is_empty() {
        let mut o = op.clone();
        o.step = 4;
        o.call = Call::ResumeProcesses {
            auto_scaling_group_name: name.to_string(),
            scaling_processes: resume.clone(),
        };
        push(
            &o,
            Action::Update,
            vec![Change {
                field: "SuspendedProcesses".into(),
                old: Json::from(live_suspended.clone()),
                new: Json::from(
                    wanted_suspended
                        .get(name)
                        .map(|w| w.to_vec())
                        .unwrap_or_default(),
                ),
            }],
        );
    }
}

/// Target groups to attach and detach: `UpdateAutoScalingGroup` can't
/// change them.
fn target_group_ops(
    op: &Operation,
    name: &str,
    want: &Json,
    g: &LiveGroup,
    push: &mut impl FnMut(&Operation, Action, Vec<Change>),
) {
    let arns = |j: &Json| -> Vec<String> {
        j.get("TargetGroupARNs")
            .and_then(Json::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (wanted_tgs, live_tgs) = (arns(want), arns(&g.request));
    let attach: Vec<String> = wanted_tgs
        .iter()
        .filter(|t| !live_tgs.contains(t))
        .cloned()
        .collect();
    let detach: Vec<String> = live_tgs
        .iter()
        .filter(|t| !wanted_tgs.contains(t))
        .cloned()
        .collect();
    for (list, attaching) in [(attach, true), (detach, false)] {
        if list.is_empty() {
            continue;
        }
        let mut o = op.clone();
        o.call = if attaching {
            Call::AttachLoadBalancerTargetGroups {
                auto_scaling_group_name: name.to_string(),
                target_group_arns: list.clone(),
            }
        } else {
            Call::DetachLoadBalancerTargetGroups {
                auto_scaling_group_name: name.to_string(),
                target_group_arns: list.clone(),
            }
        };
        let change = Change {
            field: "TargetGroupARNs".into(),
            old: if attaching {
                Json::Null
            } else {
                Json::from(list.clone())
            },
            new: if attaching {
                Json::from(list)
            } else {
                Json::Null
            },
        };
        push(&o, Action::Update, vec![change]);
    }
}

/// The group's maximum and desired capacity in `ch`, as scaling left
/// them where the spec's didn't change.
fn capacity_changes(
    g: &LiveGroup,
    tags: &[GroupTag],
    min_size: u32,
    mut max_size: u32,
    desired_capacity: u32,
    ch: &mut Vec<Change>,
) {
    // A maximum the forecast raised (predictive scaling with
    // IncreaseMaxCapacity) stays while the spec's is unchanged.
    let spec_max_tagged = tags.iter().any(|t| t.key == model::MAX_TAG);
    let last_max = g
        .tags
        .get(model::MAX_TAG)
        .and_then(|v| v.parse::<u32>().ok());
    let live_max = g.request.get("MaxSize").and_then(Json::as_u64);
    if spec_max_tagged
        && last_max == Some(max_size)
        && let Some(raised) = live_max
            .filter(|m| *m > u64::from(max_size))
            .and_then(|m| u32::try_from(m).ok())
    {
        ch.retain(|c| c.field != "MaxSize");
        max_size = raised;
    }
    // Desired capacity: set only when the spec's value changed,
    // else clamp a running value into the new range.
    let last = g.tags.get(DESIRED_TAG).and_then(|v| v.parse::<u32>().ok());
    let current = g
        .request
        .get("DesiredCapacity")
        .and_then(Json::as_u64)
        .unwrap_or_default() as u32;
    let new_desired = if last != Some(desired_capacity) {
        Some(desired_capacity)
    } else if current < min_size {
        Some(min_size)
    } else if current > max_size {
        Some(max_size)
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
}

/// The group's update, and the instance refresh it (or instances still
/// on older launch settings) calls for.
fn update_and_refresh(
    op: &Operation,
    name: &str,
    g: &LiveGroup,
    want: &Json,
    ch: Vec<Change>,
    refresh: &BTreeMap<String, Json>,
    push: &mut impl FnMut(&Operation, Action, Vec<Change>),
) {
    let mut refreshed = false;
    if !ch.is_empty() {
        // The request carries each changed member whole: a
        // change of `LaunchTemplate.Version` sends the
        // `LaunchTemplate`.
        let mut req = serde_json::Map::new();
        req.insert("AutoScalingGroupName".into(), Json::from(name.to_string()));
        for c in &ch {
            let top = c.field.split('.').next().unwrap_or(&c.field);
            let value = match want.get(top) {
                Some(whole) if top != c.field => whole.clone(),
                _ => c.new.clone(),
            };
            req.insert(top.to_string(), value);
        }
        let mut o = op.clone();
        o.call = Call::UpdateAutoScalingGroup(Json::Object(req));
        let launch: Vec<&Change> = ch
            .iter()
            .filter(|c| {
                c.field.starts_with("LaunchTemplate")
                    || c.field.starts_with("MixedInstancesPolicy.LaunchTemplate")
                    || c.field == "MixedInstancesPolicy"
            })
            .collect();
        let what = launch
            .iter()
            .map(|c| format!("{} {} -> {}", c.field, c.old, c.new))
            .collect::<Vec<_>>()
            .join(", ");
        let refresh = if launch.is_empty() {
            None
        } else {
            match refresh.get(name) {
                Some(req) => {
                    let mut r = op.clone();
                    r.step = 6;
                    r.call = Call::StartInstanceRefresh(req.clone());
                    r.note = Some(refresh_note(req, &what));
                    Some(r)
                }
                None => {
                    o.note = Some(format!(
                        "running instances keep their launch settings until they are replaced ({what}); add `refresh = {{ ... }}` to the group to replace them now"
                    ));
                    None
                }
            }
        };
        push(&o, Action::Update, ch);
        if let Some(r) = refresh {
            push(&r, Action::Update, vec![]);
            refreshed = true;
        }
    }
    // Instances on older launch settings and no refresh under
    // way: a refresh that never started (an apply that stopped
    // between the update and the refresh) or was stopped.
    if !refreshed
        && g.stale_instances > 0
        && !g.refresh_running
        && let Some(req) = refresh.get(name)
    {
        let mut r = op.clone();
        r.step = 6;
        r.call = Call::StartInstanceRefresh(req.clone());
        let what = format!(
            "{} {} still on older launch settings",
            g.stale_instances,
            if g.stale_instances == 1 {
                "instance"
            } else {
                "instances"
            }
        );
        r.note = Some(refresh_note(req, &what));
        push(&r, Action::Update, vec![]);
    }
}

/// The tags that differ from the spec's (and the hook count gone to 0).
fn tag_ops(
    op: &Operation,
    name: &str,
    g: &LiveGroup,
    tags: &[GroupTag],
    push: &mut impl FnMut(&Operation, Action, Vec<Change>),
) {
    let mut tag_changes: Vec<GroupTag> = tags
        .iter()
        .filter(|t| g.tags.get(&t.key) != Some(&t.value))
        .cloned()
        .collect();
    // No hooks any more: the count goes to 0, so later plans
    // stop reading them.
    let hooks_tagged = g.tags.get(model::HOOKS_TAG).is_some_and(|v| v != "0");
    if hooks_tagged && !tags.iter().any(|t| t.key == model::HOOKS_TAG) {
        tag_changes.push(GroupTag {
            key: model::HOOKS_TAG.into(),
            value: "0".into(),
            propagate_at_launch: true,
        });
    }
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
            tags: tag_changes
                .into_iter()
                .map(|t| ResourceTag {
                    resource_id: name.to_string(),
                    resource_type: "auto-scaling-group".into(),
                    key: t.key,
                    value: t.value,
                    propagate_at_launch: t.propagate_at_launch,
                })
                .collect(),
        };
        push(&o, Action::Update, ch);
    }
}

/// What a refresh does, in words: which instances it replaces and how
/// much capacity it keeps healthy meanwhile.
fn refresh_note(req: &Json, what: &str) -> String {
    let p = &req["Preferences"];
    let min = p["MinHealthyPercentage"].as_u64().unwrap_or(90);
    let keep = match p["MaxHealthyPercentage"].as_u64() {
        Some(max) => format!("between {min}% and {max}% of desired capacity"),
        None => format!("at least {min}% of desired capacity"),
    };
    let mut s = format!(
        "replaces the group's running instances with the new launch settings ({what}), keeping {keep} healthy"
    );
    if let Some(c) = p["CheckpointPercentages"].as_array() {
        let points: Vec<String> = c.iter().map(|x| format!("{x}%")).collect();
        s.push_str(&format!(", pausing at {}", points.join(", ")));
    }
    if p["SkipMatching"].as_bool() == Some(true) {
        s.push_str("; instances already on these settings are kept");
    }
    if p["AutoRollback"].as_bool() == Some(true) {
        s.push_str("; rolls back if it fails");
    }
    s
}

/// The hook calls of an existing group: puts for hooks that are missing
/// or differ, deletes for scalec's hooks the spec no longer has (named
/// after the group); others are listed as left alone.
fn hook_ops(
    op: &Operation,
    group: &str,
    want: &Json,
    g: &LiveGroup,
    push: &mut impl FnMut(&Operation, Action, Vec<Change>),
    left: &mut Vec<String>,
) {
    let empty = BTreeMap::new();
    let live = g.hooks.as_ref().unwrap_or(&empty);
    let wanted: Vec<&Json> = want
        .get("LifecycleHookSpecificationList")
        .and_then(Json::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let mut names = Vec::new();
    for h in wanted {
        let Some(hname) = h.get("LifecycleHookName").and_then(Json::as_str) else {
            continue;
        };
        names.push(hname);
        let mut req = h.clone();
        req["AutoScalingGroupName"] = Json::from(group);
        let mut o = op.clone();
        o.step = 4;
        o.resource = hname.to_string();
        o.call = Call::PutLifecycleHook(req.clone());
        match live.get(hname) {
            None => push(&o, Action::Create, vec![]),
            Some(have) => {
                let ch = changes(&req, have, &[]);
                if !ch.is_empty() {
                    push(&o, Action::Update, ch);
                }
            }
        }
    }
    let prefix = format!("{group}-");
    for hname in live.keys() {
        if names.contains(&hname.as_str()) {
            continue;
        }
        if !hname.starts_with(&prefix) {
            left.push(format!("lifecycle hook {hname} on group {group}"));
            continue;
        }
        let mut o = op.clone();
        o.step = 4;
        o.resource = hname.clone();
        o.call = Call::DeleteLifecycleHook {
            auto_scaling_group_name: group.to_string(),
            lifecycle_hook_name: hname.clone(),
        };
        push(&o, Action::Delete, vec![]);
    }
}

/// Group members that go back to AWS's default when the spec stops
/// setting them, with that default (the value that clears them).
fn resets() -> [(&'static str, Json); 5] {
    [
        ("CapacityRebalance", Json::Bool(false)),
        ("NewInstancesProtectedFromScaleIn", Json::Bool(false)),
        (
            "InstanceMaintenancePolicy",
            serde_json::json!({ "MinHealthyPercentage": -1, "MaxHealthyPercentage": -1 }),
        ),
        (
            "AvailabilityZoneDistribution",
            serde_json::json!({ "CapacityDistributionStrategy": "balanced-best-effort" }),
        ),
        (
            "CapacityReservationSpecification",
            serde_json::json!({ "CapacityReservationPreference": "default" }),
        ),
    ]
}

/// A live item of a group, for [`group_deletes`].
enum Item<'a> {
    Policy(&'a str),
    Schedule(&'a str),
    Topic(&'a str),
}

fn delete_op(step: u32, resource: &str, call: Call) -> Operation {
    Operation {
        step,
        action: Action::Delete,
        resource: resource.to_string(),
        call,
        changes: vec![],
        note: None,
    }
}

/// The deletes, at `step`, of a scalec group's policies, scheduled actions
/// and notification configurations that `keep` doesn't keep. Policies and
/// scheduled actions not named after the group aren't scalec's: they are
/// listed in `left`. Also returns the alarms of the step and simple
/// policies deleted, which their policy doesn't take along.
fn group_deletes(
    name: &str,
    g: &LiveGroup,
    step: u32,
    left: &mut Vec<String>,
    keep: impl Fn(Item) -> bool,
    named: &std::collections::HashSet<&str>,
) -> (Vec<Operation>, Vec<String>) {
    let prefix = format!("{name}-");
    let ours = |n: &str| n.starts_with(&prefix) || named.contains(n);
    let mut ops = Vec::new();
    let mut alarms = Vec::new();
    for (pname, (req, _)) in &g.policies {
        if keep(Item::Policy(pname)) {
            continue;
        }
        if !ours(pname) {
            left.push(format!("policy {pname} on group {name}"));
            continue;
        }
        if req.get("PolicyType").and_then(Json::as_str) != Some("TargetTrackingScaling") {
            alarms.push(crate::model::policy_alarm_name(pname));
        }
        ops.push(delete_op(
            step,
            pname,
            Call::DeletePolicy {
                auto_scaling_group_name: name.to_string(),
                policy_name: pname.clone(),
            },
        ));
    }
    for sname in g.schedules.keys() {
        if keep(Item::Schedule(sname)) {
            continue;
        }
        if !ours(sname) {
            left.push(format!("scheduled action {sname} on group {name}"));
            continue;
        }
        ops.push(delete_op(
            step,
            sname,
            Call::DeleteScheduledAction {
                auto_scaling_group_name: name.to_string(),
                scheduled_action_name: sname.clone(),
            },
        ));
    }
    for arn in g.notifications.keys() {
        if !keep(Item::Topic(arn)) {
            ops.push(delete_op(
                step,
                name,
                Call::DeleteNotificationConfiguration {
                    auto_scaling_group_name: name.to_string(),
                    topic_arn: arn.clone(),
                },
            ));
        }
    }
    (ops, alarms)
}

/// Alarm names per `DeleteAlarms` call, AWS's maximum.
const ALARMS_PER_CALL: usize = 100;

/// How scalec's alarm descriptions end.
const MANAGED: &str = "Managed by scalec.";

/// The note on an alarm `--adopt` takes over.
const ADOPTED_ALARM: &str = "adopting: scalec marks an alarm it takes over in its description (its tier, and that scalec manages it); CloudWatch keeps an existing alarm's tags as they are";
/// Dashboard names per `DeleteDashboards` call.
const DASHBOARDS_PER_CALL: usize = 100;

/// The calls that delete everything scalec manages for `env` in `live`,
/// and nothing else: groups, topics and alarms must carry scalec's tags
/// (alarms the spec declares count by name); policies and scheduled actions
/// must carry their group's name prefix; dashboards are the spec's. Steps:
/// 1. alarms, dashboards, policies, scheduled actions and notifications;
/// 2. groups (force-deleted, instances and all);
/// 3. topics, once no group notifies them.
pub fn teardown(env: &model::Environment, region: &str, live: &LiveState) -> ApplyPlan {
    let mut ops = Vec::new();
    let mut left = Vec::new();
    let mut alarms: Vec<String> = Vec::new();
    // Policies the spec names are scalec's whatever their names.
    let named: std::collections::HashSet<&str> = env
        .groups
        .iter()
        .flat_map(|g| g.policies.iter().map(|p| p.physical_name.as_str()))
        .collect();
    for (name, g) in &live.groups {
        if !g.ours {
            left.push(format!("group {name}"));
            continue;
        }
        let (deletes, policy_alarms) = group_deletes(name, g, 1, &mut left, |_| false, &named);
        ops.extend(deletes);
        alarms.extend(policy_alarms);
        ops.push(delete_op(
            2,
            name,
            Call::DeleteAutoScalingGroup {
                auto_scaling_group_name: name.clone(),
                force_delete: true,
            },
        ));
    }
    for (aname, a) in &live.alarms {
        if a.ours {
            alarms.push(aname.clone());
        } else if !alarms.contains(aname) {
            left.push(format!("alarm {aname}"));
        }
    }
    alarms.sort();
    alarms.dedup();
    // Only alarms that exist: a policy's alarm may be gone already.
    alarms.retain(|a| live.alarms.contains_key(a));
    for chunk in alarms.chunks(ALARMS_PER_CALL) {
        let resource = match chunk {
            [one] => one.clone(),
            _ => format!("{} alarms", chunk.len()),
        };
        ops.push(delete_op(
            1,
            &resource,
            Call::DeleteAlarms {
                alarm_names: chunk.to_vec(),
            },
        ));
    }
    let dashboards: Vec<String> = live.dashboards.keys().cloned().collect();
    for chunk in dashboards.chunks(DASHBOARDS_PER_CALL) {
        let resource = match chunk {
            [one] => one.clone(),
            _ => format!("{} dashboards", chunk.len()),
        };
        ops.push(delete_op(
            1,
            &resource,
            Call::DeleteDashboards {
                dashboard_names: chunk.to_vec(),
            },
        ));
    }
    for (name, arn) in &live.topics {
        if live.topics_ours.get(name).copied().unwrap_or(false) {
            ops.push(delete_op(
                3,
                name,
                Call::DeleteTopic {
                    topic_arn: arn.clone(),
                },
            ));
        } else {
            left.push(format!("topic {name}"));
        }
    }
    ops.sort_by_key(|o| o.step);
    ApplyPlan {
        format_version: FORMAT_VERSION,
        app: env.app.clone(),
        environment: env.name.clone(),
        region: region.to_string(),
        source: String::new(),
        account: None,
        spec_hash: String::new(),
        params: Default::default(),
        state_fingerprint: live.fingerprint(),
        left_alone: left,
        refresh: Default::default(),
        operations: ops,
    }
}
