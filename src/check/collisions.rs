//! Names that collide in AWS or CloudFormation, found by `check` with both
//! items named:
//! - two items whose CloudFormation logical IDs are equal (names that
//!   differ only in case or underscores: `web` and `Web`, `a_b` and
//!   `a__b`), and logical IDs over CloudFormation's 255 characters;
//! - two items of one kind with one AWS name, which a `name = "..."` can
//!   make (a given name equal to a derived one, or the same given name in
//!   two environments of one region; dashboards are global).

use super::constraints as C;
use super::error as codes;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{self, ids};
use crate::source::Span;
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

/// Reports colliding and overlong logical IDs of one environment:
/// resources and parameters, which share one namespace, then outputs.
pub(crate) fn check_logical_ids(env: &model::Environment, diags: &mut Diagnostics) {
    check_ids(|f| ids::each_environment_id(env, f), "", diags);
    check_ids(|f| ids::each_output_id(env, f), " output", diags);
}

/// [`check_logical_ids`] for one namespace, listed by `each`; `what` tells
/// outputs apart in messages.
fn check_ids<'e>(
    each: impl FnOnce(&mut dyn FnMut(&str, ids::IdItem<'e>)),
    what: &str,
    diags: &mut Diagnostics,
) {
    let max = C::CFN_LOGICAL_ID.max_chars();
    // Every ID in one string, then a map over slices of it: no allocation
    // per ID.
    let mut all = String::new();
    let mut items: Vec<(std::ops::Range<usize>, ids::IdItem)> = Vec::new();
    each(&mut |id, item| {
        // No more characters than bytes: count them only when it matters.
        let chars = if id.len() > max {
            id.chars().count()
        } else {
            id.len()
        };
        if chars > max {
            diags.push(
                Diagnostic::error(
                    codes::NAME_TOO_LONG,
                    format!(
                        "{} becomes the CloudFormation{what} logical ID `{id}`, {} characters; CloudFormation takes at most {max}",
                        item.owner(),
                        chars,
                    ),
                    item.origin,
                    "name too long",
                )
                .with_help("shorten the group's or the item's name"),
            );
            return;
        }
        let start = all.len();
        all.push_str(id);
        items.push((start..all.len(), item));
    });
    let mut first: HashMap<&str, &ids::IdItem> =
        HashMap::with_capacity_and_hasher(items.len(), Default::default());
    for (range, l) in &items {
        let id = &all[range.clone()];
        match first.get(id) {
            Some(f) if !f.same_item(l) => {
                let (a, b) = (f.owner(), l.owner());
                diags.push(
                    Diagnostic::error(
                        codes::COLLISION,
                        format!("{a} and {b} would both be{} `{id}` in CloudFormation", if what.is_empty() { "" } else { " the output" }),
                        l.origin,
                        format!("{b} is here"),
                    )
                    .with_label(f.origin, format!("{a} is here"))
                    .with_help(
                        "logical IDs drop `_` and `-` and capitalise each word, so names that differ only in case or underscores become one: rename one of them",
                    ),
                )
            }
            Some(_) => {}
            None => {
                first.insert(id, l);
            }
        }
    }
}

/// The item an AWS name belongs to; put in words only for a diagnostic.
#[derive(Clone, Copy)]
enum Owner<'a> {
    Topic(&'a model::Topic),
    Group(&'a model::Group),
    Alarm(&'a model::Group, &'a model::Alarm),
    PolicyAlarm(&'a model::Group, &'a model::Policy),
    Dashboard(&'a model::Group, &'a model::Dashboard),
}

impl Owner<'_> {
    fn describe(self) -> String {
        match self {
            Owner::Topic(t) => format!("topic `{}`", t.name),
            Owner::Group(g) => format!("group `{}`", g.name),
            Owner::Alarm(g, a) => format!("alarm `{}` of group `{}`", a.name, g.name),
            Owner::PolicyAlarm(g, p) => {
                format!("the alarm of policy `{}` of group `{}`", p.name, g.name)
            }
            Owner::Dashboard(g, _) => format!("the dashboard of group `{}`", g.name),
        }
    }

    fn origin(self) -> Span {
        match self {
            Owner::Topic(t) => t.origin,
            Owner::Group(g) => g.origin,
            Owner::Alarm(_, a) => a.origin,
            Owner::PolicyAlarm(_, p) => p.origin,
            Owner::Dashboard(_, d) => d.origin,
        }
    }

    /// Two owners are one item when they are the very same declaration.
    fn same(self, other: Owner) -> bool {
        self.origin() == other.origin() && self.describe() == other.describe()
    }
}

/// Every AWS name of an environment that must be unique in the account and
/// region (dashboards: the account), with its kind and item: groups,
/// topics, alarms (a step or simple policy's too) and dashboards. With
/// `only_global`, the dashboards alone.
fn names(
    env: &model::Environment,
    only_global: bool,
) -> Vec<(&'static str, Cow<'_, str>, Owner<'_>)> {
    let mut out = Vec::new();
    if only_global {
        for g in &env.groups {
            if let Some(d) = &g.dashboard {
                out.push((
                    "dashboard",
                    Cow::Borrowed(d.physical_name.as_str()),
                    Owner::Dashboard(g, d),
                ));
            }
        }
        return out;
    }
    for t in &env.topics {
        out.push((
            "SNS topic",
            Cow::Borrowed(t.physical_name.as_str()),
            Owner::Topic(t),
        ));
    }
    for g in &env.groups {
        out.push((
            "Auto Scaling group",
            Cow::Borrowed(g.physical_name.as_str()),
            Owner::Group(g),
        ));
        for a in &g.alarms {
            out.push((
                "alarm",
                Cow::Borrowed(a.physical_name.as_str()),
                Owner::Alarm(g, a),
            ));
        }
        for p in &g.policies {
            if let Some(n) = p.alarm_name() {
                out.push(("alarm", Cow::Owned(n), Owner::PolicyAlarm(g, p)));
            }
        }
        if let Some(d) = &g.dashboard {
            out.push((
                "dashboard",
                Cow::Borrowed(d.physical_name.as_str()),
                Owner::Dashboard(g, d),
            ));
        }
    }
    out
}

fn collision(kind: &str, name: &str, a: Owner, b: Owner, why: &str) -> Diagnostic {
    let (a_text, b_text) = (a.describe(), b.describe());
    Diagnostic::error(
        codes::COLLISION,
        format!("{a_text} and {b_text} would both be the {kind} `{name}`{why}"),
        b.origin(),
        format!("{b_text} is here"),
    )
    .with_label(a.origin(), format!("{a_text} is here"))
    .with_help("give one of them another `name`, or leave `name` out to use the derived one")
}

/// Reports two items of one environment that AWS would know by one name.
pub(crate) fn check_physical_names(env: &model::Environment, diags: &mut Diagnostics) {
    let all = names(env, false);
    let mut seen: HashMap<(&str, &str), Owner> =
        HashMap::with_capacity_and_hasher(all.len(), Default::default());
    for (kind, name, owner) in &all {
        match seen.get(&(*kind, name.as_ref())) {
            Some(first) if !first.same(*owner) => {
                diags.push(collision(kind, name, *first, *owner, ""))
            }
            Some(_) => {}
            None => {
                seen.insert((kind, name), *owner);
            }
        }
    }
    for g in &env.groups {
        let mut policies: HashMap<&str, &model::Policy> = HashMap::default();
        for p in &g.policies {
            if let Some(first) = policies.insert(&p.physical_name, p) {
                let mut d = collision(
                    "scaling policy",
                    &p.physical_name,
                    Owner::PolicyAlarm(g, first),
                    Owner::PolicyAlarm(g, p),
                    &format!(" in group `{}`", g.name),
                );
                d.message = format!(
                    "policies `{}` and `{}` would both be the scaling policy `{}` of group `{}`",
                    first.name, p.name, p.physical_name, g.name
                );
                diags.push(d);
            }
        }
    }
}

/// From this many groups in all, each environment's names are listed on a
/// thread of its own: below it, starting threads costs more than it saves.
const PARALLEL_FROM_GROUPS: usize = 300;

/// Reports a name two environments give one kind of item in the same
/// region (in any region, for dashboards, which are global). Derived names
/// hold the environment's name and never meet; given names can.
pub(crate) fn check_across_environments(envs: &[model::Environment], diags: &mut Diagnostics) {
    if envs.len() < 2 {
        return;
    }
    // Without a region, an environment's names meet others' only in the
    // global ones (dashboards).
    fn names_of(env: &model::Environment) -> Vec<(&'static str, Cow<'_, str>, Owner<'_>)> {
        names(env, env.region.is_none())
    }
    let groups: usize = envs.iter().map(|e| e.groups.len()).sum();
    let all: Vec<_> = if groups >= PARALLEL_FROM_GROUPS {
        std::thread::scope(|scope| {
            let handles: Vec<_> = envs
                .iter()
                .map(|env| scope.spawn(move || names_of(env)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    } else {
        envs.iter().map(names_of).collect()
    };
    let all: Vec<_> = envs.iter().zip(all).collect();
    let mut seen: HashMap<(&str, &str, Option<&str>), (&str, Owner)> = HashMap::default();
    for (env, names) in &all {
        for (kind, name, owner) in names {
            let (kind, owner) = (*kind, *owner);
            let region = if kind == "dashboard" {
                None
            } else {
                env.region.as_deref()
            };
            if kind != "dashboard" && region.is_none() {
                continue;
            }
            let key = (kind, name.as_ref(), region);
            match seen.get(&key) {
                Some((other, first)) if *other != env.name => {
                    let why = match region {
                        Some(r) => format!(" in {r} (environments `{other}` and `{}`)", env.name),
                        None => format!(
                            " (environments `{other}` and `{}`; dashboards are global)",
                            env.name
                        ),
                    };
                    if first.same(owner) {
                        let what = owner.describe();
                        diags.push(
                            Diagnostic::error(
                                codes::COLLISION,
                                format!("{what} would be the {kind} `{name}` twice{why}"),
                                owner.origin(),
                                format!("{what} has the same `name` in `{other}` and `{}`", env.name),
                            )
                            .with_help(
                                "give it a `name` per environment with `match env { ... }`, or leave `name` out to use the derived one",
                            ),
                        );
                    } else {
                        diags.push(collision(kind, name, *first, owner, &why));
                    }
                }
                Some(_) => {}
                None => {
                    seen.insert(key, (&env.name, owner));
                }
            }
        }
    }
}
