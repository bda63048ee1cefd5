//! Lowering a group: launch template, subnets, capacity, health checks,
//! metrics, tags and notifications, then its policies, alarms, schedules
//! and dashboard.

use super::*;
use crate::kinds::group::{EVENTS, GROUP_METRICS, TERMINATION};

/// The largest whole number an `f64` holds exactly: 2^53 - 1.
pub(super) const MAX_EXACT: f64 = 9_007_199_254_740_991.0;

pub(super) const GROUP_KEYS: &[&str] = &[
    "launch_template",
    "launch_template_version",
    "subnets",
    "target_groups",
    "capacity",
    "desired",
    "health_check",
    "warmup",
    "cooldown",
    "metrics",
    "termination",
    "tags",
    "price",
    "name",
    "launch_template_name",
    "maintenance",
    "scale_in_protection",
    "suspend",
    "capacity_reservations",
    "az_distribution",
    "warm_pool",
    "instances",
    "capacity_rebalance",
    "refresh",
    "enabled",
];

pub(super) fn lower_group<'a>(
    cx: &mut Cx<'a, '_>,
    base_name: &PhysName,
    env: &str,
    g: &'a ast::GroupDecl,
    env_tags: &BTreeMap<String, String>,
) -> Option<Group> {
    let props = by_key(&g.properties, GROUP_KEYS, &[], "a group", cx.diags);
    // `enabled = false` (or `match env`): the group is not in this
    // environment, as a `for_each` key an environment's list lacks.
    if !enabled(cx, &props) {
        return None;
    }
    let physical_name = group_name(cx, base_name, g);
    let lt = launch_template(
        cx,
        &props,
        &format!("group `{}`", g.name.name),
        g.name.span,
        true,
    )
    .flatten();
    let subnets =
        require_group_key(cx, &props, g, "subnets", "param.subnets").and_then(|p| subnets(cx, p));
    let capacity = require_group_key(cx, &props, g, "capacity", "2..10")
        .and_then(|p| cx.expect_count_range(&p.value, &C::ASG_MIN_SIZE, &C::ASG_MAX_SIZE));
    let desired = props
        .get("desired")
        .map(|p| (cx.expect_count(&p.value, &C::ASG_DESIRED), p.value.span));
    let target_groups = match props.get("target_groups") {
        Some(p) => target_groups(cx, p, g),
        None => Some(ListValue::Items(vec![])),
    };
    let (health_check, grace) = match props.get("health_check") {
        Some(p) => health(cx, &p.value).unwrap_or((HealthCheckType::Ec2, 300)),
        None => (HealthCheckType::Ec2, 300),
    };
    let warmup = props
        .get("warmup")
        .and_then(|p| cx.expect_seconds(&p.value, &C::ASG_WARMUP));
    let cooldown = props
        .get("cooldown")
        .and_then(|p| cx.expect_seconds(&p.value, &C::ASG_COOLDOWN));
    let price = props.get("price").and_then(|p| price(cx, p));
    let metrics = match props.get("metrics") {
        Some(p) => group_metrics(cx, &p.value),
        None => vec![],
    };
    let termination = match props.get("termination") {
        Some(p) => termination_policies(cx, p),
        None => vec![],
    };
    let settings = settings(cx, &props);
    let mixed = props
        .get("instances")
        .and_then(|p| instances(cx, p, lt.as_ref()));
    let refresh_setting = props.get("refresh").and_then(|p| {
        let overrides = mixed
            .as_ref()
            .map(|m| m.overrides.as_slice())
            .unwrap_or(&[]);
        refresh(cx, p, g, lt.as_ref(), overrides)
    });
    let capacity_rebalance = props
        .get("capacity_rebalance")
        .and_then(|p| cx.expect_bool(&p.value))
        .unwrap_or(false);
    let warm_pool = props
        .get("warm_pool")
        .and_then(|p| warm_pool(cx, p, props.get("instances").copied()));
    let mut tags = group_tags(cx, &props, g, env_tags);
    // Lifecycle hooks, before the tags are counted: a group with hooks
    // carries `scalec:hooks`, so that `plan` knows whose hooks to read.
    let mut seen: BTreeMap<String, Span> = BTreeMap::new();
    let hooks = lower_hooks(cx, &g.name.name, &physical_name, &g.hooks, &mut seen);
    if !hooks.is_empty() {
        tags.insert(crate::model::HOOKS_TAG.into(), hooks.len().to_string());
    }

    let (min, max, cap_span) = capacity?;
    let desired = desired_capacity(cx, env, (min, max, cap_span), desired)?;
    cx.capacity = Some((min, max, desired));
    // Remembers the `desired` a deploy set, so the next one can tell a
    // change in the spec from a change made by scaling.
    tags.insert("scalec:desired".into(), desired.to_string());

    let topic_names: Vec<&str> = cx
        .decls
        .topics
        .iter()
        .map(|t| t.name.name.as_str())
        .collect();
    let notifications = lower_notifications(cx, g, &topic_names);
    check_item_counts(cx, g);
    let policies = lower_policies(cx, g, &physical_name, (&target_groups, &metrics), &mut seen);
    cross_check_tracking(cx, &policies, target_groups.as_ref(), g);
    // Predictive scaling that may raise the maximum: remember the spec's,
    // so a deploy tells the spec's change from the forecast's.
    let raises_max = policies.iter().any(|p| {
        matches!(&p.kind, PolicyKind::Predictive { max_capacity_breach, .. } if max_capacity_breach == "IncreaseMaxCapacity")
    });
    if raises_max {
        tags.insert(crate::model::MAX_TAG.into(), max.to_string());
    }
    let alarms = lower_alarms(cx, g, &physical_name, (&topic_names, &metrics), &mut seen);
    let refresh_setting = refresh_setting.and_then(|f| refresh_alarms_here(cx, env, g, f, &alarms));
    let schedules = lower_schedules(cx, g, &physical_name, &mut seen);
    let dashboard = group_dashboard(cx, &physical_name, g);
    cx.capacity = None;
    check_tag_count(cx, env, g, &props, &tags);
    Some(Group {
        name: g.name.name.clone(),
        physical_name: physical_name.text,
        launch_template: lt?,
        subnets: subnets?,
        target_groups: target_groups?,
        min,
        max,
        desired,
        health_check,
        health_check_grace: grace,
        default_warmup: warmup,
        default_cooldown: cooldown,
        price,
        metrics,
        termination_policies: termination,
        tags,
        notifications,
        instances: mixed,
        capacity_rebalance,
        maintenance: settings.maintenance,
        protect_new_instances: settings.protect_new_instances,
        suspended: settings.suspended,
        capacity_reservation: settings.capacity_reservation,
        az_distribution: settings.az_distribution,
        hooks,
        warm_pool,
        refresh: refresh_setting,
        policies,
        alarms,
        schedules,
        dashboard,
        origin: g.name.span,
    })
}

/// The group's AWS name, held to AWS's length.
fn group_name<'a>(cx: &mut Cx<'a, '_>, base_name: &PhysName, g: &'a ast::GroupDecl) -> PhysName {
    let physical_name = aws_name(
        cx,
        &g.properties,
        base_name.child(&g.name.name, g.name.span, "the group's name"),
    );
    rules::check_name(
        NameCheck {
            name: &physical_name,
            what: "Auto Scaling group",
            max: C::ASG_NAME.max_chars(),
            alnum_plus: None,
        },
        g.name.span,
        cx.diags,
    );
    physical_name
}

/// The group's property `key`, or an error saying to add it (as `example`).
fn require_group_key<'a>(
    cx: &mut Cx,
    props: &crate::check::eval::Props<'a>,
    g: &ast::GroupDecl,
    key: &str,
    example: &str,
) -> Option<&'a ast::Property> {
    match props.get(key) {
        Some(p) => Some(*p),
        None => {
            cx.diags.push(
                Diagnostic::error(
                    codes::MISSING_PROPERTY,
                    format!("group `{}` has no `{key}`", g.name.name),
                    g.name.span,
                    format!("needs `{key}`"),
                )
                .with_help(format!("add `{key} = {example}`")),
            );
            None
        }
    }
}

/// `subnets`: at least one, and a VPCZoneIdentifier (the subnets joined
/// with commas) of 1-5000 characters.
fn subnets<'a>(cx: &mut Cx<'a, '_>, p: &'a ast::Property) -> Option<ListValue> {
    let v = cx.expect_list_value(&p.value, ParamType::SubnetId)?;
    if let Some(items) = cx.known_items(&v) {
        if items.is_empty() {
            cx.diags.push(empty_list(
                p,
                "subnets",
                "a group launches instances in at least one subnet",
            ));
            return None;
        }
        let joined = items.join(",").chars().count();
        if joined > C::ASG_SUBNETS.max_chars() {
            cx.diags.push(
                Diagnostic::error(
                    codes::TOO_LONG,
                    format!("these {} subnets make a VPCZoneIdentifier of {joined} characters; AWS takes at most {}", items.len(), C::ASG_SUBNETS.max_chars()),
                    p.value.span,
                    "too many subnets",
                )
                .with_help("use one subnet per Availability Zone"),
            );
            return None;
        }
    }
    Some(v)
}

/// `target_groups`: ARNs, no more than AWS attaches to a group.
fn target_groups<'a>(
    cx: &mut Cx<'a, '_>,
    p: &'a ast::Property,
    g: &ast::GroupDecl,
) -> Option<ListValue> {
    let v = cx.expect_list_value(&p.value, ParamType::TargetGroupArn)?;
    let n = cx.known_items(&v).map_or(0, |i| i.len());
    if n > C::ASG_TARGET_GROUPS.max_items() {
        cx.diags.push(
            Diagnostic::error(
                codes::GROUP_LIMIT,
                format!(
                    "group `{}` attaches {n} target groups; AWS allows {}",
                    g.name.name,
                    C::ASG_TARGET_GROUPS.max_items()
                ),
                p.value.span,
                "too many target groups",
            )
            .with_help("put the service behind fewer target groups, or split the group"),
        );
        return None;
    }
    Some(v)
}

/// `price`: an instance-hour's, not negative.
fn price<'a>(cx: &mut Cx<'a, '_>, p: &'a ast::Property) -> Option<f64> {
    let v = cx.expect_quantity(&p.value, Unit::Count)?;
    if v < 0.0 || !v.is_finite() {
        cx.diags.push(
            Diagnostic::error(
                codes::GROUP_LIMIT,
                "a price can't be negative",
                p.value.span,
                "negative price",
            )
            .with_help("give the price of one instance-hour, e.g. `price = 0.0832`"),
        );
        return None;
    }
    Some(v)
}

/// `termination`: the termination policies, in AWS's names.
fn termination_policies<'a>(cx: &mut Cx<'a, '_>, p: &'a ast::Property) -> Vec<String> {
    let names: Vec<&str> = TERMINATION.iter().map(|(n, _)| *n).collect();
    cx.expect_list(&p.value)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|e| {
            cx.expect_word(e, "termination policy", &names)
                .map(|i| TERMINATION[i].1.to_string())
        })
        .collect()
}

/// The environment's tags, the group's own over them, and `group`.
fn group_tags<'a>(
    cx: &mut Cx<'a, '_>,
    props: &crate::check::eval::Props<'a>,
    g: &ast::GroupDecl,
    env_tags: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut tags = env_tags.clone();
    if let Some(p) = props.get("tags")
        && let Some(t) = cx.expect_string_map(&p.value)
    {
        check_tags(&t, Some(p.value.span), cx.diags);
        for (k, v) in t {
            tags.insert(k, v);
        }
    }
    tags.insert("group".into(), g.name.name.clone());
    tags
}

/// The desired capacity, the minimum when none is given: within the
/// capacity, as AWS requires (0 <= min <= desired <= max).
fn desired_capacity(
    cx: &mut Cx,
    env: &str,
    (min, max, cap_span): (u32, u32, Span),
    desired: Option<(Option<u32>, Span)>,
) -> Option<u32> {
    match desired {
        Some((Some(d), dspan)) => {
            if d < min || d > max {
                cx.diags.push(
                    Diagnostic::error(
                        codes::CAPACITY_ORDER,
                        format!("in `{env}`, desired capacity {d} is outside {min}..{max}"),
                        dspan,
                        format!("desired {d}"),
                    )
                    .with_label(cap_span, format!("capacity {min}..{max}"))
                    .with_help(format!("AWS requires min <= desired <= max: pick a desired capacity between {min} and {max}")),
                );
                return None;
            }
            Some(d)
        }
        Some((None, _)) => None,
        None => Some(min),
    }
}

/// The group's notifications, merged per topic; at most 10 topics.
fn lower_notifications<'a>(
    cx: &mut Cx<'a, '_>,
    g: &'a ast::GroupDecl,
    topic_names: &[&str],
) -> Vec<Notification> {
    let mut notifications: Vec<Notification> = Vec::new();
    for n in &g.notifications {
        if !topic_names.contains(&n.topic.name.as_str()) {
            cx.diags.push(undefined_topic(&n.topic, topic_names));
            continue;
        }
        let names: Vec<&str> = EVENTS.iter().map(|(e, _)| *e).collect();
        let listed = cx.expect_list(&n.events).unwrap_or_default();
        if listed.is_empty() {
            cx.diags.push(
                Diagnostic::error(
                    codes::EMPTY,
                    format!("this notifies `{}` of no event", n.topic.name),
                    n.events.span,
                    "no events",
                )
                .with_help(format!(
                    "AWS needs at least one notification type: list events such as `[launch_error, terminate_error]` ({})",
                    suggest::quoted_list(names.iter().copied())
                )),
            );
            continue;
        }
        let mut events: Vec<String> = listed
            .into_iter()
            .filter_map(|e| {
                cx.expect_word(e, "group event", &names)
                    .map(|i| EVENTS[i].1.to_string())
            })
            .collect();
        match notifications.iter_mut().find(|x| x.topic == n.topic.name) {
            Some(existing) => {
                existing.events.append(&mut events);
                existing.events.sort();
                existing.events.dedup();
            }
            None => {
                events.sort();
                events.dedup();
                notifications.push(Notification {
                    topic: n.topic.name.clone(),
                    events,
                    origin: n.span,
                });
            }
        }
    }
    if notifications.len() > 10 {
        cx.diags.push(
            Diagnostic::error(
                codes::GROUP_LIMIT,
                "a group can notify at most 10 SNS topics",
                g.name.span,
                "too many topics",
            )
            .with_help("route more events to fewer topics"),
        );
    }
    notifications
}

/// No more policies (50) and scheduled actions (125) than AWS allows a
/// group.
fn check_item_counts(cx: &mut Cx, g: &ast::GroupDecl) {
    for (items, limit, what) in [
        (
            g.policies.iter().map(|p| p.name.span).collect::<Vec<_>>(),
            50,
            "scaling policies",
        ),
        (
            g.schedules.iter().map(|s| s.name.span).collect::<Vec<_>>(),
            125,
            "scheduled actions",
        ),
    ] {
        if let Some(span) = items.get(limit) {
            cx.diags.push(
                Diagnostic::error(
                    codes::GROUP_LIMIT,
                    format!(
                        "group `{}` has {} {what}; AWS allows {limit}",
                        g.name.name,
                        items.len()
                    ),
                    *span,
                    format!("number {} of {}", limit + 1, items.len()),
                )
                .with_help(format!(
                    "a group can have at most {limit} {what}: merge some, or split the group"
                )),
            );
        }
    }
}

/// A refresh that stops only on alarms this environment has; else an
/// error, and no refresh.
fn refresh_alarms_here(
    cx: &mut Cx,
    env: &str,
    g: &ast::GroupDecl,
    f: Refresh,
    alarms: &[Alarm],
) -> Option<Refresh> {
    match f
        .alarms
        .iter()
        .find(|a| !alarms.iter().any(|x: &Alarm| &x.name == *a))
    {
        Some(missing) => {
            cx.diags.push(
                Diagnostic::error(
                    codes::REFRESH,
                    format!("the refresh of group `{}` stops on alarm `{missing}`, which `{env}` doesn't have", g.name.name),
                    f.origin,
                    "refresh",
                )
                .with_help("the alarm is disabled in this environment: enable it, or leave it out of `stop_on` here with `match env`"),
            );
            None
        }
        None => Some(f),
    }
}

/// The group's dashboard; a second one is an error.
fn group_dashboard<'a>(
    cx: &mut Cx<'a, '_>,
    physical_name: &PhysName,
    g: &'a ast::GroupDecl,
) -> Option<Dashboard> {
    let mut dashboard = None;
    for (i, d) in g.dashboards.iter().enumerate() {
        if i > 0 {
            cx.diags.push(
                Diagnostic::error(
                    codes::DUPLICATE,
                    "a group has at most one dashboard",
                    d.span,
                    "second dashboard",
                )
                .with_label(g.dashboards[0].span, "first dashboard")
                .with_help("put all widgets in one `dashboard { ... }`"),
            );
            continue;
        }
        dashboard = lower_dashboard(cx, physical_name, d);
    }
    dashboard
}

/// No more tags than AWS allows a group, counting the environment's and
/// scalec's own.
fn check_tag_count(
    cx: &mut Cx,
    env: &str,
    g: &ast::GroupDecl,
    props: &crate::check::eval::Props,
    tags: &BTreeMap<String, String>,
) {
    if tags.len() > C::ASG_TAGS.max_items() {
        cx.diags.push(
            Diagnostic::error(
                codes::GROUP_LIMIT,
                format!("group `{}` would carry {} tags in `{env}`; AWS allows 50", g.name.name, tags.len()),
                props.get("tags").map(|p| p.value.span).unwrap_or(g.name.span),
                "too many tags",
            )
            .with_help("the environment's tags, the group's tags and scalec's own (app, env, managed-by, group, scalec:desired, scalec:hooks with hooks, scalec:max with predictive scaling that raises the maximum) count together"),
        );
    }
}

/// The group's policies, each name once among its hooks, policies, alarms
/// and schedules (`seen`); `target_groups` and the metrics it collects
/// are the group's.
fn lower_policies<'a>(
    cx: &mut Cx<'a, '_>,
    g: &'a ast::GroupDecl,
    physical_name: &PhysName,
    (target_groups, metrics): (&Option<ListValue>, &[String]),
    seen: &mut BTreeMap<String, Span>,
) -> Vec<Policy> {
    let mut policies = Vec::new();
    for p in &g.policies {
        if let Some(first) = seen.insert(p.name.name.clone(), p.name.span) {
            cx.diags.push(dup("policy", &p.name, first));
            continue;
        }
        if let Some(policy) = lower_policy(cx, physical_name, p, target_groups, metrics) {
            policies.push(policy);
        }
    }
    policies
}

/// The group's alarms, each name once (`seen`); they notify topics of
/// `topic_names` and may watch the metrics the group collects.
fn lower_alarms<'a>(
    cx: &mut Cx<'a, '_>,
    g: &'a ast::GroupDecl,
    physical_name: &PhysName,
    (topic_names, metrics): (&[&str], &[String]),
    seen: &mut BTreeMap<String, Span>,
) -> Vec<Alarm> {
    let mut alarms = Vec::new();
    for a in &g.alarms {
        if let Some(first) = seen.insert(a.name.name.clone(), a.name.span) {
            cx.diags.push(dup("alarm or policy", &a.name, first));
            continue;
        }
        if let Some(alarm) = lower_alarm(cx, &g.name.name, physical_name, a, topic_names, metrics) {
            alarms.push(alarm);
        }
    }
    alarms
}

/// The group's scheduled actions, each name once (`seen`).
fn lower_schedules<'a>(
    cx: &mut Cx<'a, '_>,
    g: &'a ast::GroupDecl,
    physical_name: &PhysName,
    seen: &mut BTreeMap<String, Span>,
) -> Vec<Schedule> {
    let mut schedules = Vec::new();
    for s in &g.schedules {
        if let Some(first) = seen.insert(s.name.name.clone(), s.name.span) {
            cx.diags.push(dup("schedule", &s.name, first));
            continue;
        }
        if let Some(x) = lower_schedule(cx, physical_name, s) {
            schedules.push(x);
        }
    }
    schedules
}

pub(super) fn health<'a>(cx: &mut Cx<'a, '_>, e: &'a Expr) -> Option<(HealthCheckType, u32)> {
    let r = cx.resolve(e)?;
    let (tag, block) = match &r.kind {
        ExprKind::Tagged { tag, block } => (tag, Some(block)),
        ExprKind::Path { path } if path.segments.len() == 1 => (&path.segments[0], None),
        _ => {
            cx.diags
                .push(mismatch(r, "a health check such as `elb { grace = 5m }`"));
            return None;
        }
    };
    let kind = match tag.name.as_str() {
        "ec2" => HealthCheckType::Ec2,
        "elb" => HealthCheckType::Elb,
        other => {
            cx.diags.push(unknown_variant(
                other,
                tag.span,
                "health check type",
                ["ec2", "elb"].into_iter(),
            ));
            return None;
        }
    };
    let mut grace = 300;
    if let Some(b) = block {
        let props = by_key(&b.properties, &["grace"], &[], "a health check", cx.diags);
        if let Some(p) = props.get("grace") {
            grace = cx.expect_seconds(&p.value, &C::ASG_GRACE)?;
        }
    }
    Some((kind, grace))
}

pub(super) fn group_metrics<'a>(cx: &mut Cx<'a, '_>, e: &'a Expr) -> Vec<String> {
    let Some(r) = cx.resolve(e) else {
        return vec![];
    };
    if let ExprKind::Path { path } = &r.kind {
        match path.dotted().as_ref() {
            "all" => return GROUP_METRICS.iter().map(|(_, m)| m.to_string()).collect(),
            "none" => return vec![],
            _ => {}
        }
    }
    let names: Vec<&str> = GROUP_METRICS.iter().map(|(n, _)| *n).collect();
    let mut out: Vec<String> = cx
        .expect_list(r)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|x| {
            cx.expect_word(x, "group metric", &names)
                .map(|i| GROUP_METRICS[i].1.to_string())
        })
        .collect();
    out.sort();
    out.dedup();
    out
}
