//! CloudFormation logical IDs, derived from names only (`web` +
//! `cpu_surge` -> `WebCpuSurgePolicy`), so that editing a value updates a
//! resource in place. They live in the model because the checker must find
//! two names that become one ID (names that differ only in case or
//! underscores) before any backend runs.

use super::scalable::ScalableTarget;
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

/// The template parameter for a spec param: `launch_template` -> `LaunchTemplate`.
pub fn param_id(name: &str) -> String {
    pascal(name)
}

/// How many resources a group becomes.
pub fn resource_count(g: &Group) -> usize {
    let mut n = 0;
    each_group_id(g, &mut String::new(), |_, _| n += 1);
    n
}

/// A topic's logical ID: `critical` -> `TopicCritical`.
pub fn topic_id(name: &str) -> String {
    format!("Topic{}", pascal(name))
}

impl IdItem<'_> {
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
    pub fn same_item(&self, other: &IdItem) -> bool {
        self.kind == other.kind && self.name == other.name && self.group == other.group
    }
}

/// Calls `f` with every logical ID an environment's templates use,
/// resources and parameters alike (they share one namespace), without an
/// allocation per ID.
pub fn each_environment_id<'e>(env: &'e Environment, mut f: impl FnMut(&str, IdItem<'e>)) {
    for t in &env.topics {
        let item = IdItem {
            kind: "topic",
            name: &t.name,
            group: None,
            origin: t.origin,
        };
        f(&topic_id(&t.name), item);
    }
    for p in &env.params {
        let item = IdItem {
            kind: "param",
            name: &p.name,
            group: None,
            origin: p.origin,
        };
        f(&param_id(&p.name), item);
    }
    let mut buf = String::new();
    for g in &env.groups {
        each_group_id(g, &mut buf, &mut f);
    }
    for t in &env.targets {
        each_target_id(t, &mut f);
    }
}

/// A scalable target's logical ID: `api` -> `ApiTarget`.
pub fn target_id(name: &str) -> String {
    format!("{}Target", pascal(name))
}

/// The output holding a scalable target's id: `api` -> `ApiTargetId`.
pub fn target_output_id(name: &str) -> String {
    format!("{}Id", target_id(name))
}

/// The logical ID of a member of a scalable target (or of a group):
/// `api`, `cpu`, `Policy` -> `ApiCpuPolicy`.
pub fn member_id(owner: &str, member: &str, suffix: &str) -> String {
    format!("{}{}{suffix}", pascal(owner), pascal(member))
}

/// Calls `f` with each logical ID of a scalable target, in template order:
/// the target, each policy (and a step policy's alarm), each alarm.
pub fn each_target_id<'t>(t: &'t ScalableTarget, f: &mut impl FnMut(&str, IdItem<'t>)) {
    let owner = Some(t.name.as_str());
    f(
        &target_id(&t.name),
        IdItem {
            kind: "target",
            name: &t.name,
            group: None,
            origin: t.origin,
        },
    );
    for p in &t.policies {
        let item = IdItem {
            kind: "policy",
            name: &p.name,
            group: owner,
            origin: p.origin,
        };
        f(&member_id(&t.name, &p.name, "Policy"), item);
        if matches!(p.kind, PolicyKind::Step { .. }) {
            f(&member_id(&t.name, &p.name, "PolicyAlarm"), item);
        }
    }
    for a in &t.alarms {
        let item = IdItem {
            kind: "alarm",
            name: &a.name,
            group: owner,
            origin: a.origin,
        };
        f(&member_id(&t.name, &a.name, "Alarm"), item);
    }
}

/// The output holding a topic's ARN: `critical` -> `TopicCriticalArn`.
pub fn topic_output_id(name: &str) -> String {
    format!("{}Arn", topic_id(name))
}

/// The output holding a group's name: `web` -> `WebGroupName`.
pub fn group_output_id(group: &str) -> String {
    format!("{}GroupName", pascal(group))
}

/// The output holding a group's dashboard name: `web` -> `WebDashboardName`.
pub fn dashboard_output_id(group: &str) -> String {
    format!("{}DashboardName", pascal(group))
}

/// Calls `f` with the logical ID of every output of an environment's
/// templates: the outputs' own namespace, under the same 255-character
/// limit as resources.
pub fn each_output_id<'e>(env: &'e Environment, mut f: impl FnMut(&str, IdItem<'e>)) {
    for t in &env.topics {
        let item = IdItem {
            kind: "topic",
            name: &t.name,
            group: None,
            origin: t.origin,
        };
        f(&topic_output_id(&t.name), item);
    }
    for g in &env.groups {
        let item = IdItem {
            kind: "group",
            name: &g.name,
            group: None,
            origin: g.origin,
        };
        f(&group_output_id(&g.name), item);
        if let Some(d) = &g.dashboard {
            let item = IdItem {
                kind: "dashboard",
                name: &g.name,
                group: Some(&g.name),
                origin: d.origin,
            };
            f(&dashboard_output_id(&g.name), item);
        }
    }
    for t in &env.targets {
        let item = IdItem {
            kind: "target",
            name: &t.name,
            group: None,
            origin: t.origin,
        };
        f(&target_output_id(&t.name), item);
    }
}

/// The item a logical ID comes from.
#[derive(Clone, Copy)]
pub struct IdItem<'a> {
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

/// Calls `f` with each logical ID of the group, in template order, written
/// into `buf` (no allocation per ID), and its item.
pub fn each_group_id<'g>(g: &'g Group, buf: &mut String, mut f: impl FnMut(&str, IdItem<'g>)) {
    let mut gp = String::with_capacity(g.name.len());
    push_pascal(&mut gp, &g.name);
    let group = Some(g.name.as_str());
    let mut emit = |name: &str, suffix: &str, item: IdItem<'g>| {
        buf.clear();
        buf.push_str(&gp);
        push_pascal(buf, name);
        buf.push_str(suffix);
        f(buf, item);
    };
    let item = |kind, name, origin| IdItem {
        kind,
        name,
        group,
        origin,
    };
    emit(
        "",
        "Group",
        IdItem {
            group: None,
            ..item("group", &g.name, g.origin)
        },
    );
    for p in &g.policies {
        emit(&p.name, "Policy", item("policy", &p.name, p.origin));
        if !matches!(p.kind, PolicyKind::TargetTracking { .. }) {
            emit(&p.name, "PolicyAlarm", item("policy", &p.name, p.origin));
        }
    }
    for a in &g.alarms {
        emit(&a.name, "Alarm", item("alarm", &a.name, a.origin));
    }
    for s in &g.schedules {
        emit(&s.name, "Schedule", item("schedule", &s.name, s.origin));
    }
    if let Some(w) = &g.warm_pool {
        emit("", "WarmPool", item("warm pool", &g.name, w.origin));
    }
    if let Some(d) = &g.dashboard {
        emit("", "Dashboard", item("dashboard", &g.name, d.origin));
    }
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
