//! CloudFormation logical IDs, derived from names only (`web` +
//! `cpu_surge` -> `WebCpuSurgePolicy`), so that editing a value updates a
//! resource in place. They live in the model because the checker must find
//! two names that become one ID (names that differ only in case or
//! underscores) before any backend runs.

use super::{Environment, Group, PolicyKind};
use crate::source::Span;

/// `cpu_surge` -> `CpuSurge`.
pub fn pascal(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    push_pascal(&mut out, name);
    out
}

/// Appends `name` in PascalCase: each part between `_` and `-` starts
/// upper-case, and only ASCII letters and digits are kept.
fn push_pascal(out: &mut String, name: &str) {
    for part in name.split(['_', '-']) {
        let mut chars = part.chars();
        if let Some(c) = chars.next() {
            out.extend(c.to_uppercase().filter(char::is_ascii_alphanumeric));
            out.extend(chars.filter(char::is_ascii_alphanumeric));
        }
    }
}

/// `prefix` + `name` in PascalCase + `suffix`, in one allocation.
fn id_of(prefix: &str, name: &str, suffix: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + name.len() + suffix.len());
    out.push_str(prefix);
    push_pascal(&mut out, name);
    out.push_str(suffix);
    out
}

/// The template parameter for a spec param: `launch_template` -> `LaunchTemplate`.
pub fn param_id(name: &str) -> String {
    pascal(name)
}

/// The logical IDs a group's resources get, in order.
pub fn logical_ids(g: &Group) -> Vec<String> {
    group_ids(g).into_iter().map(|l| l.id).collect()
}

/// How many resources a group becomes.
pub fn resource_count(g: &Group) -> usize {
    logical_ids(g).len()
}

/// A topic's logical ID: `critical` -> `TopicCritical`.
pub fn topic_id(name: &str) -> String {
    format!("Topic{}", pascal(name))
}

/// A logical ID and the item it comes from.
#[derive(Debug, Clone)]
pub struct LogicalId<'a> {
    /// The ID.
    pub id: String,
    /// `group`, `policy`, `alarm`, `schedule`, `warm pool`, `dashboard`,
    /// `topic`, `param`.
    pub kind: &'static str,
    /// The item's name (the group's, for its dashboard).
    pub name: &'a str,
    /// The group it belongs to, if it isn't one.
    pub group: Option<&'a str>,
    /// The item's declaration.
    pub origin: Span,
}

impl LogicalId<'_> {
    /// The item in words: `policy `cpu` of group `web``.
    pub fn owner(&self) -> String {
        match (self.kind, self.group) {
            ("dashboard", _) => format!("the dashboard of group `{}`", self.name),
            ("warm pool", _) => format!("the warm pool of group `{}`", self.name),
            (kind, Some(g)) => format!("{kind} `{}` of group `{g}`", self.name),
            (kind, None) => format!("{kind} `{}`", self.name),
        }
    }

    /// Whether two IDs come from the same item (a policy and its alarm do).
    pub fn same_item(&self, other: &LogicalId) -> bool {
        self.kind == other.kind && self.name == other.name && self.group == other.group
    }
}

/// Every logical ID an environment's templates use, resources and
/// parameters alike (they share one namespace).
pub fn environment_ids(env: &Environment) -> Vec<LogicalId<'_>> {
    let mut out = Vec::new();
    for t in &env.topics {
        out.push(LogicalId {
            id: topic_id(&t.name),
            kind: "topic",
            name: &t.name,
            group: None,
            origin: t.origin,
        });
    }
    for p in &env.params {
        out.push(LogicalId {
            id: param_id(&p.name),
            kind: "param",
            name: &p.name,
            group: None,
            origin: p.origin,
        });
    }
    for g in &env.groups {
        out.extend(group_ids(g));
    }
    out
}

/// A group's logical IDs with their items, in template order.
fn group_ids(g: &Group) -> Vec<LogicalId<'_>> {
    let gp = pascal(&g.name);
    let group = Some(g.name.as_str());
    let mut out = Vec::with_capacity(2 + 2 * g.policies.len() + g.alarms.len() + g.schedules.len());
    out.push(LogicalId {
        id: id_of(&gp, "", "Group"),
        kind: "group",
        name: &g.name,
        group: None,
        origin: g.origin,
    });
    for p in &g.policies {
        let id = |suffix: &str| LogicalId {
            id: id_of(&gp, &p.name, suffix),
            kind: "policy",
            name: &p.name,
            group,
            origin: p.origin,
        };
        out.push(id("Policy"));
        if !matches!(p.kind, PolicyKind::TargetTracking { .. }) {
            out.push(id("PolicyAlarm"));
        }
    }
    for a in &g.alarms {
        out.push(LogicalId {
            id: id_of(&gp, &a.name, "Alarm"),
            kind: "alarm",
            name: &a.name,
            group,
            origin: a.origin,
        });
    }
    for s in &g.schedules {
        out.push(LogicalId {
            id: id_of(&gp, &s.name, "Schedule"),
            kind: "schedule",
            name: &s.name,
            group,
            origin: s.origin,
        });
    }
    if let Some(w) = &g.warm_pool {
        out.push(LogicalId {
            id: id_of(&gp, "", "WarmPool"),
            kind: "warm pool",
            name: &g.name,
            group,
            origin: w.origin,
        });
    }
    if let Some(d) = &g.dashboard {
        out.push(LogicalId {
            id: id_of(&gp, "", "Dashboard"),
            kind: "dashboard",
            name: &g.name,
            group,
            origin: d.origin,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::pascal;

    #[test]
    fn case_and_underscores_fold_together() {
        assert_eq!(pascal("cpu_surge"), "CpuSurge");
        assert_eq!(pascal("web"), pascal("Web"));
        assert_eq!(pascal("a_b"), pascal("a__b"));
    }
}
