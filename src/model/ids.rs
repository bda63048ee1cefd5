//! CloudFormation logical IDs, derived from names only (`web` +
//! `cpu_surge` -> `WebCpuSurgePolicy`), so that editing a value updates a
//! resource in place. They live in the model because the checker must find
//! two names that become one ID (names that differ only in case or
//! underscores) before any backend runs.

use super::{Environment, Group, PolicyKind};
use crate::source::Span;

/// `cpu_surge` -> `CpuSurge`.
pub fn pascal(name: &str) -> String {
    let mut out = String::new();
    for part in name.split(['_', '-']) {
        let mut chars = part.chars();
        if let Some(c) = chars.next() {
            out.extend(c.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out.retain(|c| c.is_ascii_alphanumeric());
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
pub struct LogicalId {
    /// The ID.
    pub id: String,
    /// `group web`, `policy cpu of group web`, `param subnets`.
    pub owner: String,
    /// The item's declaration.
    pub origin: Span,
}

/// Every logical ID an environment's templates use, resources and
/// parameters alike (they share one namespace).
pub fn environment_ids(env: &Environment) -> Vec<LogicalId> {
    let mut out = Vec::new();
    for t in &env.topics {
        out.push(LogicalId {
            id: topic_id(&t.name),
            owner: format!("topic `{}`", t.name),
            origin: t.origin,
        });
    }
    for p in &env.params {
        out.push(LogicalId {
            id: param_id(&p.name),
            owner: format!("param `{}`", p.name),
            origin: p.origin,
        });
    }
    for g in &env.groups {
        out.extend(group_ids(g));
    }
    out
}

/// A group's logical IDs with their items, in template order.
fn group_ids(g: &Group) -> Vec<LogicalId> {
    let gp = pascal(&g.name);
    let mut out = Vec::new();
    let mut push =
        |id: String, owner: String, origin: Span| out.push(LogicalId { id, owner, origin });
    push(
        format!("{gp}Group"),
        format!("group `{}`", g.name),
        g.origin,
    );
    for p in &g.policies {
        let owner = format!("policy `{}` of group `{}`", p.name, g.name);
        push(
            format!("{gp}{}Policy", pascal(&p.name)),
            owner.clone(),
            p.origin,
        );
        if !matches!(p.kind, PolicyKind::TargetTracking { .. }) {
            push(
                format!("{gp}{}PolicyAlarm", pascal(&p.name)),
                owner,
                p.origin,
            );
        }
    }
    for a in &g.alarms {
        push(
            format!("{gp}{}Alarm", pascal(&a.name)),
            format!("alarm `{}` of group `{}`", a.name, g.name),
            a.origin,
        );
    }
    for s in &g.schedules {
        push(
            format!("{gp}{}Schedule", pascal(&s.name)),
            format!("schedule `{}` of group `{}`", s.name, g.name),
            s.origin,
        );
    }
    if let Some(d) = &g.dashboard {
        push(
            format!("{gp}Dashboard"),
            format!("the dashboard of group `{}`", g.name),
            d.origin,
        );
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
