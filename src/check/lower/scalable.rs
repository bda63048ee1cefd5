//! Lowering a scalable target of Application Auto Scaling (`service api
//! ecs { ... }`): its kind from `kinds::scalable`, the parts of its
//! resource id, its capacity in the kind's unit, suspended scaling, tags,
//! and its policies (through the group's policy lowering, with
//! Application Auto Scaling's cooldowns), scheduled actions (`cron`,
//! `rate` or `at`; min and max only) and alarms.

use super::*;
use crate::check::eval::ScalableCx;
use crate::kinds::scalable::{self as kinds, Kind};
use crate::model::scalable::{ScalableTarget, Suspended, TargetSchedule};

/// The properties every scalable target takes, besides its kind's parts.
pub(crate) const SCALABLE_KEYS: &[&str] = &[
    "capacity",
    "dimension",
    "suspend",
    "role",
    "tags",
    "enabled",
    "name",
];

/// The properties of a scalable target's schedule.
pub(crate) const TARGET_SCHEDULE_KEYS: &[&str] =
    &["cron", "rate", "at", "timezone", "capacity", "enabled"];

/// `suspend = [...]` words and what each suspends.
const SUSPEND: &[&str] = &["scale_in", "scale_out", "scheduled"];

/// Properties of an EC2 group that a scalable target doesn't take, and why.
const GROUP_ONLY: &[(&str, &str, &str)] = &[
    (
        "desired",
        codes::SCALABLE_MEMBER,
        "Application Auto Scaling has no desired capacity: the resource keeps its own (an ECS service's desired count), and scaling moves it within `capacity`",
    ),
    (
        "launch_template",
        codes::SCALABLE_MEMBER,
        "launch templates belong to EC2 Auto Scaling groups",
    ),
    (
        "subnets",
        codes::SCALABLE_MEMBER,
        "subnets belong to EC2 Auto Scaling groups (an ECS service's network is the service's own)",
    ),
];

/// Lowers one scalable target in one environment; `None` when it is off
/// there (`enabled = false`) or has errors that leave nothing to build.
pub(super) fn lower_scalable<'a>(
    cx: &mut Cx<'a, '_>,
    base_name: &PhysName,
    t: &'a ast::ScalableDecl,
    env_tags: &BTreeMap<String, String>,
) -> Option<ScalableTarget> {
    let kind = known_kind(cx, t)?;
    let g = &t.body;
    refuse_group_members(cx, kind, g);
    let mut keys: Vec<&str> = SCALABLE_KEYS.to_vec();
    keys.extend(kind.parts.iter().map(|p| p.key));
    let props = by_key(&g.properties, &keys, GROUP_ONLY, kind.what, cx.diags);
    if !enabled(cx, &props) {
        return None;
    }
    let physical_name = aws_name(
        cx,
        &g.properties,
        base_name.child(&g.name.name, g.name.span, "the target's name"),
    );
    let parts = resource_parts(cx, kind, &props, &g.name);
    let dimension = dimension(cx, kind, &props, &g.name);
    let capacity = require(cx, &props, "capacity", "2..10", &g.name)
        .and_then(|p| cx.expect_count_range(&p.value, &C::ASG_MIN_SIZE, &C::ASG_MAX_SIZE))
        .and_then(|(min, max, span)| capacity_fits(cx, kind, min, max, span));
    let suspended = props
        .get("suspend")
        .map(|p| suspended(cx, &p.value))
        .unwrap_or_default();
    let role = props.get("role").and_then(|p| role(cx, kind, &p.value));
    let mut tags = env_tags.clone();
    if let Some(p) = props.get("tags")
        && let Some(own) = cx.expect_string_map(&p.value)
    {
        check_tags(&own, Some(p.value.span), cx.diags);
        tags.extend(own);
    }
    tags.insert("target".into(), g.name.name.clone());
    if tags.len() > C::CFN_TARGET_TAGS.max_items() {
        cx.diags.push(
            Diagnostic::error(
                codes::GROUP_LIMIT,
                format!(
                    "{} `{}` would carry {} tags; AWS allows {}",
                    kind.keyword,
                    g.name.name,
                    tags.len(),
                    C::CFN_TARGET_TAGS.max_items()
                ),
                props.get("tags").map_or(g.name.span, |p| p.value.span),
                "too many tags",
            )
            .with_help("the environment's tags, the target's and scalec's own (app, env, managed-by, target) count together"),
        );
        return None;
    }
    let (parts, dimension, (min, max)) = (parts?, dimension?, capacity?);
    cx.capacity = Some((min, max, min));
    cx.scalable = Some(ScalableCx {
        kind,
        parts: parts.clone(),
        dimension,
    });
    let policies = policies(cx, kind, &physical_name, g);
    let schedules = schedules(cx, &physical_name, g);
    let topic_names: Vec<&str> = cx
        .decls
        .topics
        .iter()
        .map(|t| t.name.name.as_str())
        .collect();
    let alarms = g
        .alarms
        .iter()
        .filter_map(|a| lower_alarm(cx, &g.name.name, &physical_name, a, &topic_names, &[]))
        .collect();
    cx.capacity = None;
    cx.scalable = None;
    Some(ScalableTarget {
        name: g.name.name.clone(),
        keyword: kind.keyword.to_string(),
        kind: kind.kind.to_string(),
        physical_name: physical_name.text,
        namespace: kind.namespace.to_string(),
        dimension: dimension.to_string(),
        parts,
        min,
        max,
        suspended,
        role,
        tags,
        policies,
        schedules,
        alarms,
        origin: g.name.span,
    })
}

/// The declaration's kind, or a diagnostic naming the kinds there are.
fn known_kind(cx: &mut Cx, t: &ast::ScalableDecl) -> Option<&'static Kind> {
    if let Some(k) = kinds::kind(&t.keyword.name, &t.kind.name) {
        return Some(k);
    }
    let forms: Vec<String> = kinds::KINDS
        .iter()
        .map(|k| format!("`{} NAME {}`", k.keyword, k.kind))
        .collect();
    let same_keyword: Vec<&str> = kinds::KINDS
        .iter()
        .filter(|k| k.keyword == t.keyword.name)
        .map(|k| k.kind)
        .collect();
    let help = suggest::did_you_mean(&t.kind.name, same_keyword.iter().copied())
        .unwrap_or_else(|| format!("the scalable targets are {}", forms.join(", ")));
    cx.diags.push(
        Diagnostic::error(
            codes::SCALABLE_KIND,
            format!(
                "`{} {} {}` is not a kind of scalable target",
                t.keyword.name, t.body.name.name, t.kind.name
            ),
            t.kind.span,
            "unknown kind",
        )
        .with_help(help),
    );
    None
}

/// Hooks, notifications and dashboards are a group's; each is refused
/// where it is written.
fn refuse_group_members(cx: &mut Cx, kind: &Kind, g: &ast::GroupDecl) {
    let refuse = |span: Span, what: &str, help: &str| {
        Diagnostic::error(
            codes::SCALABLE_MEMBER,
            format!("{} has no {what}", kind.what),
            span,
            "not for a scalable target",
        )
        .with_help(help.to_string())
    };
    for h in &g.hooks {
        cx.diags.push(refuse(
            h.span,
            "lifecycle hooks",
            "lifecycle hooks belong to EC2 Auto Scaling groups",
        ));
    }
    for n in &g.notifications {
        cx.diags.push(refuse(n.span, "notifications", "Application Auto Scaling sends no notifications; alarm on the resource's metrics instead"));
    }
    for d in &g.dashboards {
        cx.diags.push(refuse(
            d.span,
            "dashboard yet",
            "scalec draws dashboards for EC2 groups only so far; remove it",
        ));
    }
    if let Some(f) = &g.from {
        cx.diags.push(refuse(
            f.span,
            "template",
            "templates make EC2 groups; write the target out",
        ));
    }
}

/// The resource id's parts: each a property named after it, held to
/// AWS's naming rules when known.
fn resource_parts<'a>(
    cx: &mut Cx<'a, '_>,
    kind: &Kind,
    props: &crate::check::eval::Props<'a>,
    owner: &ast::Ident,
) -> Option<Vec<(String, Value)>> {
    let mut parts = Vec::new();
    let mut ok = true;
    for part in kind.parts {
        let Some(p) = require(cx, props, part.key, &format!("\"{}\"", part.key), owner) else {
            ok = false;
            continue;
        };
        let Some(v) = cx.expect_value(&p.value, ParamType::String) else {
            ok = false;
            continue;
        };
        if let Some(known) = cx.known_items(&ListValue::Items(vec![v.clone()]))
            && let Some(problem) = known.first().and_then(|s| part.problem(s))
        {
            cx.diags.push(
                Diagnostic::error(
                    codes::SCALABLE_RESOURCE,
                    format!("`{}` can't be {}", known[0], part.what),
                    p.value.span,
                    "AWS refuses this name",
                )
                .with_help(problem),
            );
            ok = false;
            continue;
        }
        parts.push((part.key.to_string(), v));
    }
    ok.then_some(parts)
}

/// The scalable dimension: the kind's only one, or the `dimension = ...`
/// word of a kind with several.
fn dimension<'a>(
    cx: &mut Cx<'a, '_>,
    kind: &Kind,
    props: &crate::check::eval::Props<'a>,
    owner: &ast::Ident,
) -> Option<&'static str> {
    let words: Vec<&str> = kind.dimensions.iter().map(|(w, _)| *w).collect();
    match (kind.dimensions, props.get("dimension")) {
        ([(_, only)], None) => Some(only),
        ([_], Some(p)) => {
            cx.diags.push(
                Diagnostic::error(
                    codes::WRONG_POLICY_PROPERTY,
                    format!(
                        "{} scales one dimension; `dimension` doesn't apply",
                        kind.what
                    ),
                    p.key.span(),
                    "not valid here",
                )
                .with_help("remove `dimension`"),
            );
            None
        }
        (_, Some(p)) => cx
            .expect_word(&p.value, "dimension", &words)
            .map(|i| kind.dimensions[i].1),
        (_, None) => {
            require(cx, props, "dimension", &words.join(" or "), owner);
            None
        }
    }
}

/// The capacity within the kind's limits.
fn capacity_fits(cx: &mut Cx, kind: &Kind, min: u32, max: u32, span: Span) -> Option<(u32, u32)> {
    if min < kind.min_capacity {
        cx.diags.push(
            Diagnostic::error(
                codes::SCALABLE_CAPACITY,
                format!(
                    "{} can't scale below {} {}",
                    kind.what, kind.min_capacity, kind.unit
                ),
                span,
                format!("minimum {min}"),
            )
            .with_help(format!("start the range at {} or more", kind.min_capacity)),
        );
        return None;
    }
    if let Some((limit, why)) = kind.max_capacity
        && max > limit
    {
        cx.diags.push(
            Diagnostic::error(
                codes::SCALABLE_CAPACITY,
                format!("a maximum of {max} {} is more than AWS allows", kind.unit),
                span,
                format!("maximum {max}"),
            )
            .with_help(format!("{why}; end the range at {limit} or less")),
        );
        return None;
    }
    Some((min, max))
}

/// `suspend = [scale_in, scale_out, scheduled]`.
fn suspended<'a>(cx: &mut Cx<'a, '_>, e: &'a Expr) -> Suspended {
    let mut s = Suspended::default();
    for item in cx.expect_list(e).unwrap_or_default() {
        match cx.expect_word(item, "suspended scaling", SUSPEND) {
            Some(0) => s.dynamic_in = true,
            Some(1) => s.dynamic_out = true,
            Some(_) => s.scheduled = true,
            None => {}
        }
    }
    s
}

/// `role = ...`: an IAM role ARN, which must not be another namespace's
/// service-linked role.
fn role<'a>(cx: &mut Cx<'a, '_>, kind: &Kind, e: &'a Expr) -> Option<Value> {
    let v = cx.expect_value(e, ParamType::RoleArn)?;
    if let Value::Literal(arn) = &v
        && arn.contains(":role/aws-service-role/")
        && !arn.ends_with(&format!(":role/{}", kind.service_linked_role_path()))
    {
        cx.diags.push(
            Diagnostic::error(
                codes::SCALABLE_ROLE,
                format!("this is not the service-linked role of {}", kind.what),
                e.span,
                "another service's role",
            )
            .with_help(format!(
                "leave `role` out: Application Auto Scaling uses (and creates) `{}`",
                kind.service_linked_role
            )),
        );
        return None;
    }
    Some(v)
}

/// The target's policies: each of a type its namespace supports, lowered
/// as a group's, with Application Auto Scaling's cooldowns.
fn policies<'a>(
    cx: &mut Cx<'a, '_>,
    kind: &Kind,
    phys: &PhysName,
    g: &'a ast::GroupDecl,
) -> Vec<Policy> {
    let mut out: Vec<Policy> = Vec::new();
    let mut seen: Vec<&ast::Ident> = Vec::new();
    for p in &g.policies {
        if let Some(first) = seen.iter().find(|n| n.name == p.name.name) {
            cx.diags.push(dup("policy", &p.name, first.span));
            continue;
        }
        seen.push(&p.name);
        let ty = p.kind.name.as_str();
        if policy::POLICY_KINDS.contains(&ty) && !kind.supports(ty) {
            let supported: Vec<String> = kind.policies.iter().map(|k| format!("`{k}`")).collect();
            cx.diags.push(
                Diagnostic::error(
                    codes::SCALABLE_MEMBER,
                    format!("{} has no {} scaling", kind.what, ty.replace('_', " ")),
                    p.kind.span,
                    "not supported here",
                )
                .with_help(format!(
                    "Application Auto Scaling supports {} for the `{}` namespace",
                    supported.join(", "),
                    kind.namespace
                )),
            );
            continue;
        }
        if ty == "predictive" {
            cx.diags.push(
                Diagnostic::error(
                    codes::SCALABLE_MEMBER,
                    format!("scalec doesn't write predictive scaling for {} yet", kind.what),
                    p.kind.span,
                    "not supported yet",
                )
                .with_help("Application Auto Scaling's predictive scaling has its own metric pairs; use target tracking here for now"),
            );
            continue;
        }
        let Some(mut policy) = policy::lower_policy(cx, phys, p, &None, &[]) else {
            continue;
        };
        policy.cooldowns = cooldowns(cx, p);
        if !fraction_target_fits(cx, &policy, p) {
            continue;
        }
        out.push(policy);
    }
    out
}

/// Lambda's provisioned-concurrency utilization is a fraction (0.7 is
/// 70%), and so is its target: a target above 1, such as `70`, can never
/// be reached.
fn fraction_target_fits(cx: &mut Cx, policy: &Policy, p: &ast::PolicyDecl) -> bool {
    let PolicyKind::TargetTracking { metric, target, .. } = &policy.kind else {
        return true;
    };
    let fraction = metric
        .predefined
        .as_ref()
        .is_some_and(|x| x.kind == "LambdaProvisionedConcurrencyUtilization");
    if !fraction || *target <= 1.0 {
        return true;
    }
    let at = p
        .properties
        .iter()
        .find(|x| x.key.text() == "target")
        .map_or(p.name.span, |x| x.value.span);
    cx.diags.push(
        Diagnostic::error(
            codes::TARGET_RANGE,
            format!(
                "a target of {target} can never be tracked: `{}` is a fraction from 0 to 1",
                metric.key
            ),
            at,
            "above 1",
        )
        .with_help(format!(
            "write the utilization as a fraction: 70% is `{}`",
            0.7
        )),
    );
    false
}

/// A scalable target's policy's cooldowns.
fn cooldowns<'a>(cx: &mut Cx<'a, '_>, p: &'a ast::PolicyDecl) -> Cooldowns {
    let mut get = |key: &str| {
        p.properties
            .iter()
            .find(|x| x.key.text() == key)
            .and_then(|x| cx.expect_seconds(&x.value, &C::POLICY_COOLDOWN))
    };
    Cooldowns {
        scale_out: get("scale_out_cooldown"),
        scale_in: get("scale_in_cooldown"),
        step: get("cooldown"),
    }
}

/// The properties a scalable target of this kind takes, for editors: the
/// shared ones and its resource id's parts.
pub fn target_keys(keyword: &str, kind: &str) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = SCALABLE_KEYS.to_vec();
    if let Some(k) = kinds::kind(keyword, kind) {
        keys.extend(k.parts.iter().map(|p| p.key));
        if k.dimensions.len() < 2 {
            keys.retain(|x| *x != "dimension");
        }
    }
    keys
}

/// The properties of a block of a scalable target, for editors:
/// `schedule`, `policy target_tracking` or `policy step`.
pub fn target_block_keys(block: &str) -> Vec<&'static str> {
    match block {
        "schedule" => TARGET_SCHEDULE_KEYS.to_vec(),
        "policy target_tracking" => policy::target_policy_keys(TRACKING_KEYS),
        "policy step" => policy::target_policy_keys(STEP_KEYS),
        other => block_keys(other).to_vec(),
    }
}

/// The target's scheduled actions.
fn schedules<'a>(
    cx: &mut Cx<'a, '_>,
    phys: &PhysName,
    g: &'a ast::GroupDecl,
) -> Vec<TargetSchedule> {
    let mut out: Vec<TargetSchedule> = Vec::new();
    for s in &g.schedules {
        if let Some(first) = out.iter().find(|x| x.name == s.name.name) {
            cx.diags.push(dup("schedule", &s.name, first.origin));
            continue;
        }
        if let Some(x) = target_schedule(cx, phys, s) {
            out.push(x);
        }
    }
    out
}

/// One scheduled action: exactly one of `cron` (six fields), `rate` (a
/// duration) or `at` (a date and time), and the new min and max.
fn target_schedule<'a>(
    cx: &mut Cx<'a, '_>,
    phys: &PhysName,
    s: &'a ast::ScheduleDecl,
) -> Option<TargetSchedule> {
    let props = by_key(
        &s.body.properties,
        TARGET_SCHEDULE_KEYS,
        &[(
            "desired",
            codes::SCALABLE_SCHEDULE,
            "Application Auto Scaling's scheduled actions set only the minimum and maximum (`capacity = min..max`)",
        )],
        "a scalable target's schedule",
        cx.diags,
    );
    if !enabled(cx, &props) {
        return None;
    }
    let given: Vec<&ast::Property> = ["cron", "rate", "at"]
        .iter()
        .filter_map(|k| props.get(k).copied())
        .collect();
    let [when] = given.as_slice() else {
        let span = given.get(1).map_or(s.name.span, |p| p.key.span());
        cx.diags.push(
            Diagnostic::error(
                codes::SCALABLE_SCHEDULE,
                format!("schedule `{}` needs exactly one of `cron`, `rate` and `at`", s.name.name),
                span,
                if given.is_empty() { "no schedule" } else { "a second schedule" },
            )
            .with_help("write `cron = \"0 22 ? * MON-FRI *\"` (six fields), `rate = 6h` or `at = \"2027-01-01T08:00:00\"`"),
        );
        return None;
    };
    let schedule = schedule_expression(cx, when)?;
    let time_zone = props
        .get("timezone")
        .and_then(|p| schedule::time_zone(cx, &p.value));
    let Some(cap) = props.get("capacity") else {
        cx.diags.push(
            Diagnostic::error(
                codes::SCHEDULE_EMPTY,
                format!("schedule `{}` changes nothing", s.name.name),
                s.name.span,
                "no capacity",
            )
            .with_help("set `capacity = min..max`"),
        );
        return None;
    };
    let (min, max, _) = cx.expect_count_range(&cap.value, &C::SCHEDULE_MIN, &C::SCHEDULE_MAX)?;
    let physical_name = phys.child(&s.name.name, s.name.span, "the schedule's name");
    rules::check_name(
        NameCheck {
            name: &physical_name,
            what: "scheduled action",
            max: C::CFN_TARGET_SCHEDULE_NAME.max_chars(),
            alnum_plus: None,
        },
        s.name.span,
        cx.diags,
    );
    Some(TargetSchedule {
        name: s.name.name.clone(),
        physical_name: physical_name.text,
        schedule,
        time_zone,
        min: Some(min),
        max: Some(max),
        origin: s.name.span,
    })
}

/// `cron(...)`, `rate(N unit)` or `at(yyyy-mm-ddThh:mm:ss)`.
fn schedule_expression<'a>(cx: &mut Cx<'a, '_>, p: &'a ast::Property) -> Option<String> {
    match p.key.text().as_ref() {
        "cron" => {
            let e = cx.resolve(&p.value)?;
            let text = cx.expect_string(e)?;
            if let Err(err) = crate::kinds::cron::parse_six(&text) {
                cx.diags.push(
                    Diagnostic::error(
                        codes::CRON,
                        err.message,
                        schedule::inner_span(e, &text, err.at),
                        "not a valid schedule",
                    )
                    .with_help(err.help),
                );
                return None;
            }
            Some(format!(
                "cron({})",
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            ))
        }
        "rate" => {
            let secs = cx.expect_seconds(&p.value, &C::POLICY_COOLDOWN)?;
            let (n, unit) = match secs {
                s if s % 86_400 == 0 => (s / 86_400, "day"),
                s if s % 3_600 == 0 => (s / 3_600, "hour"),
                s if s % 60 == 0 => (s / 60, "minute"),
                _ => {
                    cx.diags.push(
                        Diagnostic::error(
                            codes::SCALABLE_SCHEDULE,
                            "a rate counts whole minutes, hours or days",
                            p.value.span,
                            "not whole minutes",
                        )
                        .with_help("write a rate such as `30m`, `6h` or `1d`"),
                    );
                    return None;
                }
            };
            if n == 0 {
                cx.diags.push(
                    Diagnostic::error(
                        codes::SCALABLE_SCHEDULE,
                        "a rate of zero never runs",
                        p.value.span,
                        "zero",
                    )
                    .with_help("write a rate such as `30m`, `6h` or `1d`"),
                );
                return None;
            }
            Some(format!("rate({n} {unit}{})", if n == 1 { "" } else { "s" }))
        }
        _ => {
            let e = cx.resolve(&p.value)?;
            let text = cx.expect_string(e)?;
            if !is_local_timestamp(&text) {
                cx.diags.push(
                    Diagnostic::error(
                        codes::SCALABLE_SCHEDULE,
                        format!("`{text}` is not a date and time AWS takes in `at()`"),
                        e.span,
                        "not yyyy-mm-ddThh:mm:ss",
                    )
                    .with_help("write `at = \"2027-01-01T08:00:00\"` (the time zone is `timezone`, UTC by default)"),
                );
                return None;
            }
            Some(format!("at({text})"))
        }
    }
}

/// `yyyy-mm-ddThh:mm:ss`, a real date and time.
fn is_local_timestamp(s: &str) -> bool {
    s.len() == 19 && s.parse::<jiff::civil::DateTime>().is_ok() && s.as_bytes()[10] == b'T'
}
