//! Lowering one environment: declarations plus environment values to a
//! [`model::Environment`], applying AWS's rules along the way.

use super::constraints as C;
use super::error as codes;
use super::eval::{self, Cx, by_key, mismatch, unknown_variant};
use super::rules::{self, AbsStep, NameCheck};
use super::units;
use super::{Decls, EnvValues, Options};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{self, *};
use crate::source::Span;
use crate::suggest;
use crate::syntax::ast::{self, CmpOp, Expr, ExprKind};
use std::collections::BTreeMap;

/// The largest whole number an `f64` holds exactly: 2^53 - 1.
const MAX_EXACT: f64 = 9_007_199_254_740_991.0;

const GROUP_KEYS: &[&str] = &[
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
];

const GROUP_METRICS: &[(&str, &str)] = &[
    ("min_size", "GroupMinSize"),
    ("max_size", "GroupMaxSize"),
    ("desired", "GroupDesiredCapacity"),
    ("in_service", "GroupInServiceInstances"),
    ("pending", "GroupPendingInstances"),
    ("standby", "GroupStandbyInstances"),
    ("terminating", "GroupTerminatingInstances"),
    ("total", "GroupTotalInstances"),
    ("in_service_capacity", "GroupInServiceCapacity"),
    ("pending_capacity", "GroupPendingCapacity"),
    ("standby_capacity", "GroupStandbyCapacity"),
    ("terminating_capacity", "GroupTerminatingCapacity"),
    ("total_capacity", "GroupTotalCapacity"),
];

const TERMINATION: &[(&str, &str)] = &[
    ("default", "Default"),
    ("allocation_strategy", "AllocationStrategy"),
    ("closest_to_next_instance_hour", "ClosestToNextInstanceHour"),
    ("newest_instance", "NewestInstance"),
    ("oldest_instance", "OldestInstance"),
    ("oldest_launch_configuration", "OldestLaunchConfiguration"),
    ("oldest_launch_template", "OldestLaunchTemplate"),
];

const EVENTS: &[(&str, &str)] = &[
    ("launch", "autoscaling:EC2_INSTANCE_LAUNCH"),
    ("launch_error", "autoscaling:EC2_INSTANCE_LAUNCH_ERROR"),
    ("terminate", "autoscaling:EC2_INSTANCE_TERMINATE"),
    (
        "terminate_error",
        "autoscaling:EC2_INSTANCE_TERMINATE_ERROR",
    ),
    ("test", "autoscaling:TEST_NOTIFICATION"),
];

const POLICY_KINDS: &[&str] = &["target_tracking", "step", "simple"];
const TIERS: &[&str] = &["critical", "warning", "info"];
const MISSING: &[&str] = &["missing", "breaching", "not_breaching", "ignore"];

const COOLDOWN_HELP_TT: &str = "target tracking ignores cooldowns (AWS applies them to simple scaling only); use `warmup` so new instances settle before they count";
const COOLDOWN_HELP_STEP: &str = "step policies ignore cooldowns; use `warmup`, or a longer evaluation window (`evaluate`) to scale more slowly";
const ALARM_HELP_TT: &str = "target tracking creates and manages its own alarms; only `metric`, `target`, `warmup` and `scale_in` apply";

/// Checks `param.X = ...` values of an environment.
pub(crate) fn validate_env_params(ev: &EnvValues, decls: &Decls, diags: &mut Diagnostics) {
    let mut names: Vec<(&String, &&ast::Property)> = ev.params.iter().collect();
    names.sort_by_key(|(n, _)| n.as_str());
    for (name, prop) in names {
        match decls.params.get(name.as_str()) {
            None => {
                let help = suggest::did_you_mean(name, decls.params.keys().map(|s| s.as_str()))
                    .unwrap_or_else(|| format!("declare it first: `param {name}: TYPE`"));
                diags.push(
                    Diagnostic::error(
                        codes::UNDEFINED,
                        format!("there is no param `{name}`"),
                        prop.key.span(),
                        "not declared",
                    )
                    .with_help(help),
                );
            }
            Some(def) => {
                let items: Vec<&Expr> = match (&prop.value.kind, def.list) {
                    (ExprKind::List { items }, true) => items.iter().collect(),
                    (_, false) => vec![&prop.value],
                    (_, true) => {
                        diags.push(
                            mismatch(&prop.value, "a list of strings")
                                .with_help(format!("`{name}` is a list: write `[\"...\"]`")),
                        );
                        continue;
                    }
                };
                for it in items {
                    match &it.kind {
                        ExprKind::String { value } => {
                            if let Err(want) = eval::validate_literal(def.ty, value) {
                                diags.push(
                                    Diagnostic::error(
                                        codes::BAD_VALUE,
                                        format!("`{value}` is not {want}"),
                                        it.span,
                                        format!("expected {}", eval::type_name(def.ty)),
                                    )
                                    .with_label(def.span, "declared here")
                                    .with_help(format!("write {want}")),
                                );
                            }
                        }
                        _ => diags.push(
                            mismatch(it, "a string")
                                .with_help("param values are written as strings"),
                        ),
                    }
                }
            }
        }
    }
}

fn param_value(
    name: &str,
    def: &super::ParamDef,
    ev: &EnvValues,
    opts: &Options,
    diags: &mut Diagnostics,
) -> Option<ParamValue> {
    if let Some(raw) = opts.params.get(name) {
        let parts: Vec<String> = if def.list {
            raw.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        } else {
            vec![raw.clone()]
        };
        for p in &parts {
            if let Err(want) = eval::validate_literal(def.ty, p) {
                diags.push(
                    Diagnostic::error(
                        codes::BAD_VALUE,
                        format!("`--param {name}={raw}`: `{p}` is not {want}"),
                        def.span,
                        "this param",
                    )
                    .with_help(format!("pass {want}")),
                );
                return None;
            }
        }
        return Some(if def.list {
            ParamValue::List(parts)
        } else {
            ParamValue::One(parts.into_iter().next().unwrap_or_default())
        });
    }
    let prop = ev.params.get(name)?;
    match &prop.value.kind {
        ExprKind::String { value } if !def.list => Some(ParamValue::One(value.clone())),
        ExprKind::List { items } if def.list => Some(ParamValue::List(
            items
                .iter()
                .filter_map(|i| match &i.kind {
                    ExprKind::String { value } => Some(value.clone()),
                    _ => None,
                })
                .collect(),
        )),
        _ => None,
    }
}

/// Lowers one environment.
pub(crate) fn lower_env(
    app: &str,
    ev: &EnvValues,
    all: &[EnvValues],
    decls: &Decls,
    opts: &Options,
    diags: &mut Diagnostics,
) -> model::Environment {
    let env_name = ev.decl.name.name.clone();
    let app_span = decls.app.map(|a| a.name_span);
    let mut cx = Cx {
        decls,
        env: ev,
        all_envs: all,
        diags,
        capacity: None,
        region: None,
        param_values: BTreeMap::new(),
    };
    let region = ev.values.get("region").and_then(|p| {
        let r = cx.expect_string(&p.value)?;
        if !C::region_ok(&r) {
            cx.diags.push(
                Diagnostic::error(
                    codes::BAD_VALUE,
                    format!("`{r}` is not an AWS region"),
                    p.value.span,
                    "not a region",
                )
                .with_help("write a region code such as `us-east-1` or `eu-west-2`"),
            );
            return None;
        }
        Some(r)
    });
    cx.region = region.clone();
    let mut tags = ev
        .values
        .get("tags")
        .and_then(|p| cx.expect_string_map(&p.value))
        .unwrap_or_default();
    check_tags(&tags, ev.values.get("tags").map(|p| p.value.span), cx.diags);
    tags.insert("app".into(), app.to_string());
    tags.insert("env".into(), env_name.clone());
    tags.insert("managed-by".into(), "scalec".into());
    // Topics and alarms carry exactly these.
    if tags.len() > C::TOPIC_TAGS.max_items()
        && let Some(p) = ev.values.get("tags")
    {
        cx.diags.push(
            Diagnostic::error(
                codes::GROUP_LIMIT,
                format!(
                    "`{env_name}` would put {} tags on its topics and alarms; AWS allows {}",
                    tags.len(),
                    C::TOPIC_TAGS.max_items()
                ),
                p.value.span,
                "too many tags",
            )
            .with_help("scalec adds three of its own (app, env, managed-by): keep the environment's tags to 47"),
        );
    }

    let mut params: Vec<(&String, &super::ParamDef)> = decls.params.iter().collect();
    params.sort_by_key(|(_, d)| d.order);
    let params: Vec<Param> = params
        .into_iter()
        .map(|(name, def)| Param {
            name: name.clone(),
            ty: def.ty,
            list: def.list,
            value: param_value(name, def, ev, opts, cx.diags),
            origin: def.span,
        })
        .collect();
    cx.param_values = params
        .iter()
        .filter_map(|p| p.value.clone().map(|v| (p.name.clone(), v)))
        .collect();
    // ARNs given as param values must be in the environment's region.
    if let Some(region) = &region {
        for p in &params {
            let values: Vec<&String> = match &p.value {
                Some(ParamValue::One(v)) => vec![v],
                Some(ParamValue::List(l)) => l.iter().collect(),
                None => vec![],
            };
            let from_cli = opts.params.contains_key(&p.name);
            let span = match ev.params.get(&p.name) {
                Some(prop) if !from_cli => prop.value.span,
                _ => p.origin,
            };
            for v in values {
                if let Some(theirs) = eval::arn_region(p.ty, v)
                    && theirs != region
                {
                    let mut d = eval::wrong_region(v, theirs, &env_name, region, span);
                    if from_cli {
                        d.message = format!("`--param {}`: {}", p.name, d.message);
                    }
                    cx.diags.push(d);
                }
            }
        }
    }

    let mut topics = Vec::new();
    for t in &decls.topics {
        let props = by_key(
            &t.body.properties,
            &["email", "https", "sqs", "lambda"],
            &[],
            "a topic",
            cx.diags,
        );
        let mut subscriptions = Vec::new();
        for (key, prop) in &props {
            let (protocol, ty) = match key.as_str() {
                "email" => (Protocol::Email, ParamType::Email),
                "https" => (Protocol::Https, ParamType::Url),
                "sqs" => (Protocol::Sqs, ParamType::QueueArn),
                _ => (Protocol::Lambda, ParamType::FunctionArn),
            };
            if let Some(items) = cx.expect_list(&prop.value) {
                for it in items {
                    if let Some(v) = cx.expect_value(it, ty) {
                        subscriptions.push(Subscription {
                            protocol,
                            endpoint: v,
                        });
                    }
                }
            }
        }
        let physical_name = format!("{app}-{env_name}-{}", t.name.name);
        rules::check_name(
            NameCheck {
                name: &physical_name,
                what: "SNS topic",
                max: C::TOPIC_NAME.max_chars(),
                alnum_plus: Some("-_"),
            },
            t.name.span,
            app_span,
            cx.diags,
        );
        topics.push(Topic {
            name: t.name.name.clone(),
            physical_name,
            subscriptions,
            origin: t.name.span,
        });
    }

    let mut groups = Vec::new();
    for g in &decls.groups {
        if let Some(group) = lower_group(&mut cx, app, &env_name, app_span, g, &tags) {
            groups.push(group);
        }
    }
    let env = model::Environment {
        app: app.to_string(),
        name: env_name,
        region,
        tags,
        params,
        topics,
        groups,
        origin: ev.decl.name.span,
    };
    super::collisions::check_logical_ids(&env, cx.diags);
    env
}

fn check_tags(tags: &BTreeMap<String, String>, span: Option<Span>, diags: &mut Diagnostics) {
    let Some(span) = span else { return };
    for (k, v) in tags {
        let key_len = k.chars().count();
        let value_len = v.chars().count();
        let problem = if key_len == 0 || key_len > C::ASG_TAG_KEY.max_chars() {
            Some(format!(
                "the tag key `{k}` is {key_len} characters; AWS takes 1 to {}",
                C::ASG_TAG_KEY.max_chars()
            ))
        } else if !C::Shape::TagKey.accepts(k) {
            Some(format!(
                "the tag key `{k}` starts with `aws:`, which AWS keeps for itself"
            ))
        } else if value_len > C::ASG_TAG_VALUE.max_chars() {
            Some(format!(
                "the value of tag `{k}` is {value_len} characters; AWS takes at most {}",
                C::ASG_TAG_VALUE.max_chars()
            ))
        } else {
            None
        };
        if let Some(message) = problem {
            diags.push(
                Diagnostic::error(codes::BAD_VALUE, message, span, "in these tags")
                    .with_help("tag keys are 1-128 characters and may not start with `aws:`; values are at most 256 characters"),
            );
        }
    }
}

/// Whether `enabled = false` switches the item off in this environment.
fn enabled<'a>(cx: &mut Cx<'a, '_>, props: &BTreeMap<String, &'a ast::Property>) -> bool {
    match props.get("enabled") {
        Some(p) => cx.expect_bool(&p.value).unwrap_or(true),
        None => true,
    }
}

fn lower_group<'a>(
    cx: &mut Cx<'a, '_>,
    app: &str,
    env: &str,
    app_span: Option<Span>,
    g: &'a ast::GroupDecl,
    env_tags: &BTreeMap<String, String>,
) -> Option<Group> {
    let props = by_key(&g.properties, GROUP_KEYS, &[], "a group", cx.diags);
    let physical_name = format!("{app}-{env}-{}", g.name.name);
    rules::check_name(
        NameCheck {
            name: &physical_name,
            what: "Auto Scaling group",
            max: C::ASG_NAME.max_chars(),
            alnum_plus: None,
        },
        g.name.span,
        app_span,
        cx.diags,
    );
    let require = |key: &str, example: &str, cx: &mut Cx| -> Option<&ast::Property> {
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
    };
    let lt = require("launch_template", "param.launch_template", cx)
        .and_then(|p| cx.expect_value(&p.value, ParamType::LaunchTemplateId));
    let subnets = require("subnets", "param.subnets", cx).and_then(|p| {
        let v = cx.expect_list_value(&p.value, ParamType::SubnetId)?;
        // VPCZoneIdentifier: the subnets joined with commas, 1-5000 characters.
        if let Some(items) = cx.known_items(&v) {
            if items.is_empty() {
                cx.diags.push(empty_list(p, "subnets", "a group launches instances in at least one subnet"));
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
    });
    let capacity = require("capacity", "2..10", cx).and_then(|p| {
        cx.expect_count_range(&p.value, &C::ASG_MIN_SIZE, &C::ASG_MAX_SIZE)
            .map(|c| (c, p.value.span))
    });
    let desired = props
        .get("desired")
        .map(|p| (cx.expect_count(&p.value, &C::ASG_DESIRED), p.value.span));
    let lt_version = match props.get("launch_template_version") {
        Some(p) => match cx.resolve(&p.value).map(|e| &e.kind) {
            Some(ExprKind::String { value }) if value == "$Latest" || value == "$Default" => {
                Some(Value::Literal(value.clone()))
            }
            // Versions are 64-bit in EC2; a number is exact up to 2^53.
            Some(ExprKind::Number { value })
                if *value >= 1.0 && value.fract() == 0.0 && *value <= MAX_EXACT =>
            {
                Some(Value::Literal(format!("{}", value.round())))
            }
            Some(ExprKind::Number { value }) if *value > MAX_EXACT => {
                cx.diags.push(
                    Diagnostic::error(
                        codes::RANGE,
                        format!(
                            "`{}` is too large for a launch template version",
                            units::show(*value, Unit::Count)
                        ),
                        p.value.span,
                        "out of range",
                    )
                    .with_help("write the version number EC2 gave the launch template, e.g. `3`"),
                );
                None
            }
            Some(ExprKind::Path { .. }) => cx.expect_value(&p.value, ParamType::String),
            Some(_) => {
                cx.diags.push(
                    Diagnostic::error(
                        codes::BAD_VALUE,
                        "not a launch template version",
                        p.value.span,
                        "expected a version",
                    )
                    .with_help(
                        "write `\"$Default\"`, `\"$Latest\"`, a version number such as `3`, or a param",
                    ),
                );
                None
            }
            None => None,
        },
        None => Some(Value::Literal("$Default".to_string())),
    };
    let target_groups = match props.get("target_groups") {
        Some(p) => cx
            .expect_list_value(&p.value, ParamType::TargetGroupArn)
            .and_then(|v| {
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
                        .with_help(
                            "put the service behind fewer target groups, or split the group",
                        ),
                    );
                    return None;
                }
                Some(v)
            }),
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
    let price = props.get("price").and_then(|p| {
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
    });
    let metrics = match props.get("metrics") {
        Some(p) => group_metrics(cx, &p.value),
        None => vec![],
    };
    let termination = match props.get("termination") {
        Some(p) => {
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
        None => vec![],
    };
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
    // scalec:desired is added below.
    if tags.len() + 1 > C::ASG_TAGS.max_items() {
        cx.diags.push(
            Diagnostic::error(
                codes::GROUP_LIMIT,
                format!("group `{}` would carry {} tags in `{env}`; AWS allows 50", g.name.name, tags.len() + 1),
                props.get("tags").map(|p| p.value.span).unwrap_or(g.name.span),
                "too many tags",
            )
            .with_help("the environment's tags, the group's tags and scalec's own five (app, env, managed-by, group, scalec:desired) count together"),
        );
    }

    // Capacity: 0 <= min <= desired <= max.
    let ((min, max, cap_span), cap_use) = capacity?;
    let mut ok = true;
    if min > max {
        ok = false;
        let mut d = Diagnostic::error(
            codes::CAPACITY_ORDER,
            format!("in `{env}`, the minimum {min} is above the maximum {max}"),
            cap_span,
            format!("{min}..{max}"),
        )
        .with_help("write the capacity as `min..max` with min <= max");
        if cap_use != cap_span {
            d = d.with_label(cap_use, format!("used by group `{}`", g.name.name));
        }
        cx.diags.push(d);
    }
    let desired = match desired {
        Some((Some(d), dspan)) => {
            if ok && (d < min || d > max) {
                ok = false;
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
            }
            d
        }
        Some((None, _)) => return None,
        None => min,
    };
    if !ok {
        return None;
    }
    cx.capacity = Some((min, max, desired));
    // Remembers the `desired` a deploy set, so the next one can tell a
    // change in the spec from a change made by scaling.
    tags.insert("scalec:desired".into(), desired.to_string());

    // Notifications, merged per topic.
    let topic_names: Vec<&str> = cx
        .decls
        .topics
        .iter()
        .map(|t| t.name.name.as_str())
        .collect();
    let mut notifications: Vec<Notification> = Vec::new();
    for n in &g.notifications {
        if !topic_names.contains(&n.topic.name.as_str()) {
            cx.diags.push(undefined_topic(&n.topic, &topic_names));
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
    let mut policies = Vec::new();
    let mut seen: BTreeMap<String, Span> = BTreeMap::new();
    for p in &g.policies {
        if let Some(first) = seen.insert(p.name.name.clone(), p.name.span) {
            cx.diags.push(dup("policy", &p.name, first));
            continue;
        }
        if let Some(policy) = lower_policy(cx, &physical_name, p, &target_groups, &metrics) {
            policies.push(policy);
        }
    }
    cross_check_tracking(cx, &policies, target_groups.as_ref(), g);

    let mut alarms = Vec::new();
    for a in &g.alarms {
        if let Some(first) = seen.insert(a.name.name.clone(), a.name.span) {
            cx.diags.push(dup("alarm or policy", &a.name, first));
            continue;
        }
        if let Some(alarm) =
            lower_alarm(cx, &g.name.name, &physical_name, a, &topic_names, &metrics)
        {
            alarms.push(alarm);
        }
    }
    let mut schedules = Vec::new();
    for s in &g.schedules {
        if let Some(first) = seen.insert(s.name.name.clone(), s.name.span) {
            cx.diags.push(dup("schedule", &s.name, first));
            continue;
        }
        if let Some(x) = lower_schedule(cx, &physical_name, s) {
            schedules.push(x);
        }
    }
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
        dashboard = lower_dashboard(cx, &physical_name, d, app_span);
    }
    cx.capacity = None;
    Some(Group {
        name: g.name.name.clone(),
        physical_name,
        launch_template: lt?,
        launch_template_version: lt_version?,
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
        policies,
        alarms,
        schedules,
        dashboard,
        origin: g.name.span,
    })
}

/// An empty list where AWS needs at least one item.
fn empty_list(p: &ast::Property, what: &str, why: &str) -> Diagnostic {
    Diagnostic::error(
        codes::EMPTY,
        format!("`{what}` is empty"),
        p.value.span,
        "no items",
    )
    .with_help(format!("{why}: give at least one"))
}

fn dup(kind: &str, name: &ast::Ident, first: Span) -> Diagnostic {
    Diagnostic::error(
        codes::DUPLICATE,
        format!("`{}` is declared twice in this group", name.name),
        name.span,
        "declared again here",
    )
    .with_label(first, "first declared here")
    .with_help(format!("give the {kind} a different name"))
}

fn undefined_topic(name: &ast::Ident, topics: &[&str]) -> Diagnostic {
    let help = suggest::did_you_mean(&name.name, topics.iter().copied()).unwrap_or_else(|| {
        format!(
            "declare it: `topic {} {{ email = param.alert_email }}`",
            name.name
        )
    });
    Diagnostic::error(
        codes::UNDEFINED,
        format!("there is no topic `{}`", name.name),
        name.span,
        "unknown topic",
    )
    .with_help(help)
}

fn health<'a>(cx: &mut Cx<'a, '_>, e: &'a Expr) -> Option<(HealthCheckType, u32)> {
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

fn group_metrics<'a>(cx: &mut Cx<'a, '_>, e: &'a Expr) -> Vec<String> {
    let Some(r) = cx.resolve(e) else {
        return vec![];
    };
    if let ExprKind::Path { path } = &r.kind {
        match path.dotted().as_str() {
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

fn lower_policy<'a>(
    cx: &mut Cx<'a, '_>,
    group_phys: &str,
    p: &'a ast::PolicyDecl,
    target_groups: &Option<ListValue>,
    collected: &[String],
) -> Option<Policy> {
    let _ = target_groups;
    let kind = p.kind.name.as_str();
    if !POLICY_KINDS.contains(&kind) {
        let help = match kind {
            "target" | "tracking" | "target_tracking_scaling" => {
                Some("did you mean `target_tracking`?".to_string())
            }
            "step_scaling" | "steps" => Some("did you mean `step`?".to_string()),
            "simple_scaling" => Some("did you mean `simple`?".to_string()),
            "predictive" => {
                Some("predictive scaling is not supported yet; use `target_tracking`".to_string())
            }
            _ => suggest::did_you_mean(kind, POLICY_KINDS.iter().copied()),
        }
        .unwrap_or_else(|| "a policy is `target_tracking`, `step` or `simple`".into());
        cx.diags.push(
            Diagnostic::error(
                codes::UNKNOWN_POLICY_KIND,
                format!("unknown policy kind `{kind}`"),
                p.kind.span,
                "not a policy kind",
            )
            .with_help(help),
        );
        return None;
    }
    let physical_name = format!("{group_phys}-{}", p.name.name);
    rules::check_name(
        NameCheck {
            name: &physical_name,
            what: "scaling policy",
            // Its alarm is named after it with `-alarm`.
            max: C::POLICY_NAME
                .max_chars()
                .min(C::ALARM_NAME.max_chars() - model::policy_alarm_name("").chars().count()),
            alnum_plus: None,
        },
        p.name.span,
        None,
        cx.diags,
    );
    if kind != "step"
        && let Some(s) = p.steps.first()
    {
        cx.diags.push(
            Diagnostic::error(
                codes::WRONG_POLICY_PROPERTY,
                format!("a {kind} policy has no steps"),
                s.span,
                "steps belong to step policies",
            )
            .with_label(p.kind.span, "declared here")
            .with_help("change the kind to `step`, or remove the steps"),
        );
    }
    let what = format!("a {} policy", kind.replace('_', "-"));
    let wp = codes::WRONG_POLICY_PROPERTY;
    let result = match kind {
        "target_tracking" => {
            let props = by_key(
                &p.properties,
                &["metric", "target", "warmup", "scale_in", "enabled"],
                &[
                    ("cooldown", wp, COOLDOWN_HELP_TT),
                    ("period", wp, ALARM_HELP_TT),
                    ("evaluate", wp, ALARM_HELP_TT),
                    ("datapoints", wp, ALARM_HELP_TT),
                    ("statistic", wp, ALARM_HELP_TT),
                    (
                        "when",
                        wp,
                        "target tracking has no condition: it keeps `metric` near `target`",
                    ),
                    (
                        "adjust",
                        wp,
                        "target tracking computes its own adjustments from `target`",
                    ),
                    (
                        "min_magnitude",
                        wp,
                        "`min_magnitude` applies to percent-change step and simple policies",
                    ),
                ],
                &what,
                cx.diags,
            );
            if !enabled(cx, &props) {
                return None;
            }
            let metric_p = require(cx, &props, "metric", "ec2.cpu", &p.name)?;
            let target_p = require(cx, &props, "target", "60%", &p.name);
            let (metric, def) = cx.expect_metric(&metric_p.value)?;
            if !def.trackable || def.group_metric {
                let help = match &def.instead {
                    Some(i) => format!(
                        "target tracking needs a metric that falls as instances are added; use `{i}` instead, or a step policy"
                    ),
                    None => "target tracking needs a metric that falls as instances are added; use a step policy for this one".into(),
                };
                cx.diags.push(
                    Diagnostic::error(
                        codes::NOT_TRACKABLE,
                        format!("target tracking can't use `{}`", def.key),
                        metric_p.value.span,
                        "does not scale with capacity",
                    )
                    .with_label(def.span, "declared here")
                    .with_help(help),
                );
                return None;
            }
            if def.agent {
                cx.diags.push(
                    Diagnostic::note(
                        codes::AGENT_METRIC,
                        format!("`{}` is published by the CloudWatch agent, not by EC2", def.key),
                        metric_p.value.span,
                        format!("{}/{}", def.namespace, def.name),
                    )
                    .with_help("install the CloudWatch agent through the launch template and publish the metric with the `AutoScalingGroupName` dimension, or this policy never sees data"),
                );
            }
            let target = cx.expect_quantity(&target_p?.value, metric.unit)?;
            let tspan = target_p.map(|p| p.value.span).unwrap_or(p.name.span);
            let bad = match metric.unit {
                Unit::Percent => target <= 0.0 || target > 100.0,
                _ => target <= 0.0,
            };
            if bad {
                cx.diags.push(
                    Diagnostic::error(
                        codes::TARGET_RANGE,
                        format!(
                            "a target of {} can never be tracked",
                            units::show(target, metric.unit)
                        ),
                        tspan,
                        "out of range",
                    )
                    .with_help(if metric.unit == Unit::Percent {
                        "a percentage target must be above 0% and at most 100%"
                    } else {
                        "the target must be above zero"
                    }),
                );
                return None;
            }
            let warmup = props
                .get("warmup")
                .and_then(|x| cx.expect_seconds(&x.value, &C::POLICY_WARMUP));
            let scale_in = props
                .get("scale_in")
                .and_then(|x| cx.expect_bool(&x.value))
                .unwrap_or(true);
            PolicyKind::TargetTracking {
                metric,
                target,
                disable_scale_in: !scale_in,
                warmup,
            }
        }
        "step" => {
            let props = by_key(
                &p.properties,
                &[
                    "metric",
                    "statistic",
                    "period",
                    "evaluate",
                    "datapoints",
                    "missing",
                    "aggregation",
                    "min_magnitude",
                    "warmup",
                    "enabled",
                ],
                &[
                    ("cooldown", wp, COOLDOWN_HELP_STEP),
                    (
                        "target",
                        wp,
                        "`target` belongs to target-tracking policies; a step policy scales by its steps",
                    ),
                    (
                        "scale_in",
                        wp,
                        "`scale_in` belongs to target-tracking policies",
                    ),
                    (
                        "when",
                        wp,
                        "a step policy's condition is its steps: write ranges such as `50%..70% => +1`",
                    ),
                    (
                        "adjust",
                        wp,
                        "a step policy's adjustments are in its steps: `50%..70% => +1`",
                    ),
                ],
                &what,
                cx.diags,
            );
            if !enabled(cx, &props) {
                return None;
            }
            let metric_p = require(cx, &props, "metric", "ec2.cpu", &p.name)?;
            let (mut metric, _) = cx.expect_metric(&metric_p.value)?;
            if let Some(s) = props.get("statistic") {
                let names: Vec<&str> = eval::STATISTICS.iter().map(|(n, _)| *n).collect();
                metric.statistic =
                    eval::STATISTICS[cx.expect_word(&s.value, "statistic", &names)?].1;
            }
            let mut abs = Vec::new();
            let mut ok = true;
            for s in &p.steps {
                let lower = match &s.lower {
                    Some(l) => match cx.expect_quantity(l, metric.unit) {
                        Some(v) => Some(v),
                        None => {
                            ok = false;
                            None
                        }
                    },
                    None => None,
                };
                let upper = match &s.upper {
                    Some(u) => match cx.expect_quantity(u, metric.unit) {
                        Some(v) => Some(v),
                        None => {
                            ok = false;
                            None
                        }
                    },
                    None => None,
                };
                match adjustment(cx, &s.adjustment) {
                    Some((kind, adj)) => abs.push(AbsStep {
                        lower,
                        upper,
                        adjustment: adj,
                        kind,
                        span: s.span,
                        range_span: s.range_span,
                        adj_span: s.adjustment.span,
                    }),
                    None => ok = false,
                }
            }
            if !ok {
                return None;
            }
            let (threshold, direction, adjustment_type, mut steps) =
                rules::lower_steps(&abs, metric.unit, p.span, cx.diags)?;
            let (period, evaluate, datapoints, missing) = window(cx, &props, None)?;
            let factor = metric.rate_factor(period);
            for s in &mut steps {
                s.lower = s.lower.map(|v| v * factor);
                s.upper = s.upper.map(|v| v * factor);
            }
            let min_mag = min_magnitude(cx, &props, adjustment_type);
            let aggregation = match props.get("aggregation") {
                Some(a) => [
                    Aggregation::Average,
                    Aggregation::Minimum,
                    Aggregation::Maximum,
                ][cx.expect_word(&a.value, "aggregation", &["average", "minimum", "maximum"])?],
                None => Aggregation::Average,
            };
            let warmup = props
                .get("warmup")
                .and_then(|x| cx.expect_seconds(&x.value, &C::POLICY_WARMUP));
            note_uncollected(cx, &metric, collected, metric_p.value.span);
            PolicyKind::Step {
                alarm: AlarmSpec {
                    query: MetricQuery::Single { metric },
                    comparison: match direction {
                        Direction::Out => Comparison::GreaterThanOrEqualToThreshold,
                        Direction::In => Comparison::LessThanOrEqualToThreshold,
                    },
                    threshold: threshold * factor,
                    period,
                    evaluation_periods: evaluate,
                    datapoints_to_alarm: datapoints,
                    missing_data: missing,
                },
                direction,
                adjustment_type,
                steps,
                min_adjustment_magnitude: min_mag,
                aggregation,
                warmup,
            }
        }
        _ => {
            let props = by_key(
                &p.properties,
                &[
                    "when",
                    "adjust",
                    "cooldown",
                    "period",
                    "evaluate",
                    "datapoints",
                    "missing",
                    "min_magnitude",
                    "enabled",
                ],
                &[
                    (
                        "warmup",
                        wp,
                        "simple scaling waits for its `cooldown` instead of a warmup",
                    ),
                    ("target", wp, "`target` belongs to target-tracking policies"),
                    (
                        "metric",
                        wp,
                        "a simple policy's metric is in its condition: `when = ec2.cpu > 80%`",
                    ),
                    ("aggregation", wp, "`aggregation` applies to step policies"),
                ],
                &what,
                cx.diags,
            );
            if !enabled(cx, &props) {
                return None;
            }
            let when = require(cx, &props, "when", "ec2.cpu > 80%", &p.name);
            let adjust = require(cx, &props, "adjust", "+1", &p.name);
            let (period, evaluate, datapoints, missing) = window(cx, &props, None)?;
            let (query, comparison, threshold) = condition(cx, &when?.value, period, collected)?;
            let (adjustment_type, adj) = adjustment(cx, &adjust?.value)?;
            let cooldown = props
                .get("cooldown")
                .and_then(|x| cx.expect_seconds(&x.value, &C::POLICY_COOLDOWN));
            let min_mag = min_magnitude(cx, &props, adjustment_type);
            PolicyKind::Simple {
                alarm: AlarmSpec {
                    query,
                    comparison,
                    threshold,
                    period,
                    evaluation_periods: evaluate,
                    datapoints_to_alarm: datapoints,
                    missing_data: missing,
                },
                adjustment_type,
                adjustment: adj,
                cooldown,
                min_adjustment_magnitude: min_mag,
            }
        }
    };
    Some(Policy {
        name: p.name.name.clone(),
        physical_name,
        kind: result,
        origin: p.name.span,
    })
}

fn require<'a>(
    cx: &mut Cx<'a, '_>,
    props: &BTreeMap<String, &'a ast::Property>,
    key: &str,
    example: &str,
    owner: &ast::Ident,
) -> Option<&'a ast::Property> {
    match props.get(key) {
        Some(p) => Some(*p),
        None => {
            cx.diags.push(
                Diagnostic::error(
                    codes::MISSING_PROPERTY,
                    format!("`{}` has no `{key}`", owner.name),
                    owner.span,
                    format!("needs `{key}`"),
                )
                .with_help(format!("add `{key} = {example}`")),
            );
            None
        }
    }
}

/// Rate metrics read with `sum` count events per period; thresholds written
/// per minute are scaled to the period.
fn min_magnitude<'a>(
    cx: &mut Cx<'a, '_>,
    props: &BTreeMap<String, &'a ast::Property>,
    kind: AdjustmentType,
) -> Option<u32> {
    let p = props.get("min_magnitude")?;
    let v = cx.expect_count(&p.value, &C::POLICY_MIN_MAGNITUDE)?;
    if kind != AdjustmentType::PercentChangeInCapacity {
        cx.diags.push(
            Diagnostic::error(
                codes::MIN_MAGNITUDE,
                "`min_magnitude` only applies to percent changes",
                p.key.span(),
                "no effect here",
            )
            .with_help("use percent adjustments such as `+20%`, or remove `min_magnitude`"),
        );
        return None;
    }
    if v < 1 {
        cx.diags.push(
            Diagnostic::error(
                codes::MIN_MAGNITUDE,
                "`min_magnitude` must be at least 1",
                p.value.span,
                "zero",
            )
            .with_help("set it to 1 or more instances"),
        );
        return None;
    }
    Some(v)
}

fn adjustment<'a>(cx: &mut Cx<'a, '_>, e: &'a Expr) -> Option<(AdjustmentType, i32)> {
    let r = cx.resolve(e)?;
    let (kind, v) = match &r.kind {
        ExprKind::Signed {
            value,
            percent: false,
        } => (AdjustmentType::ChangeInCapacity, *value),
        ExprKind::Signed {
            value,
            percent: true,
        } => (AdjustmentType::PercentChangeInCapacity, *value),
        ExprKind::Exactly { value } => (AdjustmentType::ExactCapacity, *value),
        ExprKind::Number { value } => {
            cx.diags.push(
                Diagnostic::error(
                    codes::BAD_ADJUSTMENT,
                    format!("`{value}` is ambiguous as an adjustment"),
                    r.span,
                    "add or set?",
                )
                .with_help(format!(
                    "write `+{value}` to add instances, or `exactly {value}` to set the capacity"
                )),
            );
            return None;
        }
        _ => {
            cx.diags.push(
                mismatch(r, "an adjustment such as `+1`, `-1`, `+20%` or `exactly 4`")
                    .with_help("write `+N`/`-N` to add or remove instances, `+N%` for a percentage, `exactly N` to set capacity"),
            );
            return None;
        }
    };
    if v.fract() != 0.0 {
        cx.diags.push(
            Diagnostic::error(
                codes::NOT_INTEGER,
                "an adjustment must be a whole number",
                r.span,
                "not whole",
            )
            .with_help("AWS adjusts capacity in whole instances or whole percent"),
        );
        return None;
    }
    // ScalingAdjustment is a 32-bit integer.
    let (min, max) = C::POLICY_ADJUSTMENT.int_range();
    let Some(whole) = i32::try_from(v as i64)
        .ok()
        .filter(|w| (min..=max).contains(&i64::from(*w)) && (v as i64) as f64 == v)
    else {
        cx.diags.push(
            Diagnostic::error(
                codes::RANGE,
                format!(
                    "`{}` is too large for AWS's `ScalingAdjustment`, which takes {min} to {max}",
                    units::show(v, Unit::Count)
                ),
                r.span,
                "out of range",
            )
            .with_help("adjust by fewer instances or a smaller percentage"),
        );
        return None;
    };
    if v == 0.0 && kind != AdjustmentType::ExactCapacity {
        cx.diags.push(
            Diagnostic::error(
                codes::BAD_ADJUSTMENT,
                "an adjustment of zero does nothing",
                r.span,
                "zero",
            )
            .with_help("use a non-zero change, or remove this step"),
        );
        return None;
    }
    Some((kind, whole))
}

/// period, evaluate, datapoints, missing, with `for` as a shorthand.
fn window<'a>(
    cx: &mut Cx<'a, '_>,
    props: &BTreeMap<String, &'a ast::Property>,
    default_period: Option<u32>,
) -> Option<(u32, u32, u32, MissingData)> {
    let period_p = props.get("period");
    let period = match period_p {
        Some(p) => cx.expect_seconds(&p.value, &C::ALARM_PERIOD)?,
        None => default_period.unwrap_or(60),
    };
    let pspan = period_p.map(|p| p.value.span);
    let evaluate_p = props.get("evaluate");
    let for_p = props.get("for");
    let evaluate = match (evaluate_p, for_p) {
        (Some(e), Some(f)) => {
            cx.diags.push(
                Diagnostic::error(codes::ALARM_FOR, "`for` and `evaluate` both set the evaluation window", f.key.span(), "`for` here")
                    .with_label(e.key.span(), "`evaluate` here")
                    .with_help("use `for = 10m` (a duration) or `evaluate = 10` (a number of periods), not both"),
            );
            return None;
        }
        (Some(e), None) => cx.expect_count(&e.value, &C::ALARM_EVALUATE)?,
        (None, Some(f)) => {
            // `for` is Period x EvaluationPeriods, which AWS caps at the
            // longest period.
            let total = cx.expect_seconds(&f.value, &C::ALARM_PERIOD)?;
            if period == 0 || total % period != 0 || total == 0 {
                cx.diags.push(
                    Diagnostic::error(
                        codes::ALARM_FOR,
                        format!("`for` of {total}s is not a whole number of {period}s periods"),
                        f.value.span,
                        "not a multiple of the period",
                    )
                    .with_help("make `for` a multiple of `period`"),
                );
                return None;
            }
            total / period
        }
        (None, None) => 1,
    };
    let espan = evaluate_p.or(for_p).map(|p| p.value.span).or(pspan);
    let dp = props.get("datapoints");
    let datapoints = match dp {
        Some(d) => cx.expect_count(&d.value, &C::ALARM_DATAPOINTS)?,
        None => evaluate,
    };
    let missing = match props.get("missing") {
        Some(m) => [
            MissingData::Missing,
            MissingData::Breaching,
            MissingData::NotBreaching,
            MissingData::Ignore,
        ][cx.expect_word(&m.value, "missing-data treatment", MISSING)?],
        None => MissingData::Missing,
    };
    // Spans for diagnostics: fall back to whatever was written.
    let any = props.values().next().map(|p| p.span);
    let ps = pspan.or(espan).or(any);
    let es = espan.or(ps);
    let ds = dp.map(|d| d.value.span).or(es);
    if let (Some(ps), Some(es), Some(ds)) = (ps, es, ds)
        && !rules::check_window((period, ps), (evaluate, es), (datapoints, ds), cx.diags)
    {
        return None;
    }
    Some((period, evaluate, datapoints, missing))
}

/// `metric OP threshold` -> query, comparison, threshold in the metric's
/// reported unit.
fn condition<'a>(
    cx: &mut Cx<'a, '_>,
    e: &'a Expr,
    period: u32,
    collected: &[String],
) -> Option<(MetricQuery, Comparison, f64)> {
    let r = cx.resolve(e)?;
    let ExprKind::Compare { op, lhs, rhs, .. } = &r.kind else {
        cx.diags.push(
            mismatch(r, "a condition such as `ec2.cpu > 80%`")
                .with_help("write `METRIC > THRESHOLD` (or `>=`, `<`, `<=`)"),
        );
        return None;
    };
    if is_constant(rhs) && !is_constant(lhs) {
        // the normal form
    } else if is_constant(lhs) {
        cx.diags.push(
            Diagnostic::error(
                codes::ALARM_CONDITION,
                "the metric must be on the left of the comparison",
                r.span,
                "threshold on the left",
            )
            .with_help("write `METRIC > THRESHOLD`, e.g. `ec2.cpu > 80%`"),
        );
        return None;
    }
    let (m, unit) = cx.expect_metric_expr(lhs)?;
    let threshold = cx.expect_quantity(rhs, unit)?;
    // A threshold relative to the group's capacity becomes metric math on
    // the group's size metrics, so it stays right when a scheduled action
    // or a console edit changes min or max at run time.
    let (m, threshold) = match (capacity_relative(cx, rhs), &m) {
        (Some((percent, size_metric)), eval::MExpr::Metric(metric, _))
            if metric.namespace == "AWS/AutoScaling" =>
        {
            let size = eval::MExpr::Metric(size_metric, rhs.span);
            match percent {
                None => (
                    eval::MExpr::Bin(ast::BinOp::Sub, Box::new(m), Box::new(size)),
                    0.0,
                ),
                Some(p) => (
                    eval::MExpr::Bin(
                        ast::BinOp::Mul,
                        Box::new(eval::MExpr::Const(100.0)),
                        Box::new(eval::MExpr::Bin(
                            ast::BinOp::Div,
                            Box::new(m),
                            Box::new(size),
                        )),
                    ),
                    p,
                ),
            }
        }
        _ => (m, threshold),
    };
    check_uncollected_expr(cx, &m, collected);
    let query = eval::to_query(m);
    if let MetricQuery::Math {
        expression,
        metrics,
    } = &query
    {
        // The queries are the metrics plus the expression.
        let most = C::ALARM_QUERIES.max_items() - 1;
        if metrics.len() > most {
            cx.diags.push(
                Diagnostic::error(
                    codes::ALARM_METRICS,
                    format!(
                        "this condition reads {} metrics; a CloudWatch metric-math alarm reads at most {most}",
                        metrics.len()
                    ),
                    lhs.span,
                    "too many metrics",
                )
                .with_help("split the condition over several alarms"),
            );
            return None;
        }
        let length = expression.chars().count();
        if length > C::ALARM_QUERY_EXPRESSION.max_chars() {
            cx.diags.push(
                Diagnostic::error(
                    codes::TOO_LONG,
                    format!(
                        "this condition becomes a metric-math expression of {length} characters; CloudWatch takes at most {}",
                        C::ALARM_QUERY_EXPRESSION.max_chars()
                    ),
                    lhs.span,
                    "too long",
                )
                .with_help("simplify the condition, or split it over several alarms"),
            );
            return None;
        }
    }
    let factor = match &query {
        MetricQuery::Single { metric } => metric.rate_factor(period),
        MetricQuery::Math { .. } => 1.0,
    };
    let comparison = match op {
        CmpOp::Gt => Comparison::GreaterThanThreshold,
        CmpOp::Ge => Comparison::GreaterThanOrEqualToThreshold,
        CmpOp::Lt => Comparison::LessThanThreshold,
        CmpOp::Le => Comparison::LessThanOrEqualToThreshold,
    };
    Some((query, comparison, threshold * factor))
}

/// `capacity.max` -> (None, GroupMaxSize); `80% of capacity.max` ->
/// (Some(80), GroupMaxSize). Anything else -> None.
fn capacity_relative<'a>(cx: &mut Cx<'a, '_>, e: &'a Expr) -> Option<(Option<f64>, Metric)> {
    let r = cx.resolve(e)?;
    let (percent, whole) = match &r.kind {
        ExprKind::Of { fraction, whole } => match cx.resolve(fraction).map(|f| &f.kind) {
            Some(ExprKind::Quantity { value, unit, .. }) if unit == "%" => {
                (Some(*value), cx.resolve(whole)?)
            }
            _ => return None,
        },
        ExprKind::Path { .. } => (None, r),
        _ => return None,
    };
    let ExprKind::Path { path } = &whole.kind else {
        return None;
    };
    if path.segments.len() != 2 || path.segments[0].name != "capacity" {
        return None;
    }
    let key = match path.segments[1].name.as_str() {
        "max" => "group.max_size",
        "min" => "group.min_size",
        "desired" => "group.desired",
        _ => return None,
    };
    let def = cx.decls.metrics.get(key)?;
    Some((
        percent,
        Metric {
            key: def.key.clone(),
            namespace: def.namespace.clone(),
            name: def.name.clone(),
            dimensions: vec![("AutoScalingGroupName".into(), DimensionValue::GroupName)],
            unit: def.unit,
            statistic: def.statistic,
            predefined: None,
        },
    ))
}

fn is_constant(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Number { .. }
        | ExprKind::Quantity { .. }
        | ExprKind::Match { .. }
        | ExprKind::Of { .. } => true,
        ExprKind::Path { path } => matches!(path.segments[0].name.as_str(), "env" | "capacity"),
        ExprKind::Binary { lhs, rhs, .. } => is_constant(lhs) && is_constant(rhs),
        _ => false,
    }
}

fn check_uncollected_expr<'a>(cx: &mut Cx<'a, '_>, m: &eval::MExpr, collected: &[String]) {
    match m {
        eval::MExpr::Metric(metric, span) => note_uncollected(cx, metric, collected, *span),
        eval::MExpr::Func(_, inner) => check_uncollected_expr(cx, inner, collected),
        eval::MExpr::Bin(_, l, r) => {
            check_uncollected_expr(cx, l, collected);
            check_uncollected_expr(cx, r, collected);
        }
        eval::MExpr::Const(_) => {}
    }
}

fn note_uncollected<'a>(cx: &mut Cx<'a, '_>, metric: &Metric, collected: &[String], span: Span) {
    if metric.namespace == "AWS/AutoScaling" && !collected.contains(&metric.name) {
        cx.diags.push(
            Diagnostic::warning(
                codes::METRIC_NOT_COLLECTED,
                format!(
                    "`{}` is a group metric, but the group doesn't collect `{}`",
                    metric.key, metric.name
                ),
                span,
                "no data unless collected",
            )
            .with_help("add `metrics = all` to the group, or list this metric"),
        );
    }
}

fn cross_check_tracking<'a>(
    cx: &mut Cx<'a, '_>,
    policies: &[Policy],
    target_groups: Option<&ListValue>,
    g: &'a ast::GroupDecl,
) {
    let tt: Vec<(&Policy, &Metric)> = policies
        .iter()
        .filter_map(|p| match &p.kind {
            PolicyKind::TargetTracking { metric, .. } => Some((p, metric)),
            _ => None,
        })
        .collect();
    for (i, (p, m)) in tt.iter().enumerate() {
        for (q, n) in &tt[..i] {
            if m.namespace == n.namespace && m.name == n.name && m.dimensions == n.dimensions {
                cx.diags.push(
                    Diagnostic::error(
                        codes::DUPLICATE_TARGET_METRIC,
                        format!("policies `{}` and `{}` both track `{}`", q.name, p.name, m.key),
                        p.origin,
                        "second policy on this metric",
                    )
                    .with_label(q.origin, "first policy on this metric")
                    .with_help("AWS needs a different metric for each target-tracking policy: merge them into one"),
                );
            }
        }
        if let Some(Predefined {
            resource_label: Some((_, tg)),
            ..
        }) = &m.predefined
        {
            let attached = match target_groups {
                Some(ListValue::Items(items)) => items.contains(tg),
                Some(ListValue::Param(name)) => matches!(tg, Value::Param(x) if x == name),
                None => true,
            };
            if !attached {
                let shown = match tg {
                    Value::Param(n) => format!("param.{n}"),
                    Value::Literal(s) => format!("\"{s}\""),
                };
                cx.diags.push(
                    Diagnostic::error(
                        codes::TARGET_GROUP_NOT_ATTACHED,
                        format!("policy `{}` tracks requests to {shown}, which group `{}` doesn't attach", p.name, g.name.name),
                        p.origin,
                        "tracks an unattached target group",
                    )
                    .with_label(g.name.span, "this group")
                    .with_help(format!("add {shown} to the group's `target_groups`, or track the target group the group serves")),
                );
            }
        }
    }
}

fn lower_alarm<'a>(
    cx: &mut Cx<'a, '_>,
    group_name: &str,
    group_phys: &str,
    a: &'a ast::AlarmDecl,
    topics: &[&str],
    collected: &[String],
) -> Option<Alarm> {
    let props = by_key(
        &a.body.properties,
        &[
            "when",
            "for",
            "period",
            "evaluate",
            "datapoints",
            "missing",
            "description",
            "notify",
            "enabled",
        ],
        &[],
        "an alarm",
        cx.diags,
    );
    let tier = match a.tier.name.as_str() {
        "critical" => Tier::Critical,
        "warning" => Tier::Warning,
        "info" => Tier::Info,
        other => {
            cx.diags.push(unknown_variant(
                other,
                a.tier.span,
                "tier",
                TIERS.iter().copied(),
            ));
            return None;
        }
    };
    if !enabled(cx, &props) {
        return None;
    }
    let mut alarm_topics = Vec::new();
    if topics.contains(&a.tier.name.as_str()) {
        alarm_topics.push(a.tier.name.clone());
    } else {
        cx.diags
            .push(undefined_topic(&a.tier, topics).with_help(format!(
                "a `{}` alarm notifies the topic `{}`: declare `topic {} {{ ... }}`",
                a.tier.name, a.tier.name, a.tier.name
            )));
    }
    if let Some(n) = props.get("notify") {
        for e in cx.expect_list(&n.value).unwrap_or_default() {
            match &e.kind {
                ExprKind::Path { path } if path.segments.len() == 1 => {
                    let id = &path.segments[0];
                    if topics.contains(&id.name.as_str()) {
                        if !alarm_topics.contains(&id.name) {
                            alarm_topics.push(id.name.clone());
                        }
                    } else {
                        cx.diags.push(undefined_topic(id, topics));
                    }
                }
                _ => cx.diags.push(mismatch(e, "a topic name")),
            }
        }
        if alarm_topics.len() > 5 {
            cx.diags.push(
                Diagnostic::error(
                    codes::ALARM_ACTIONS,
                    format!(
                        "this alarm notifies {} topics; CloudWatch allows 5 actions per state",
                        alarm_topics.len()
                    ),
                    n.value.span,
                    "too many actions",
                )
                .with_help("notify at most 5 topics; fan out with SNS subscriptions instead"),
            );
            return None;
        }
    }
    let when = require(cx, &props, "when", "ec2.cpu > 85%", &a.name)?;
    let (period, evaluate, datapoints, missing) = window(cx, &props, None)?;
    let (query, comparison, threshold) = condition(cx, &when.value, period, collected)?;
    let description = props
        .get("description")
        .and_then(|d| cx.expect_string(&d.value));
    let physical_name = format!("{group_phys}-{}", a.name.name);
    rules::check_name(
        NameCheck {
            name: &physical_name,
            what: "alarm",
            max: C::ALARM_NAME.max_chars(),
            alnum_plus: None,
        },
        a.name.span,
        None,
        cx.diags,
    );
    let alarm = Alarm {
        name: a.name.name.clone(),
        physical_name,
        tier,
        spec: AlarmSpec {
            query,
            comparison,
            threshold,
            period,
            evaluation_periods: evaluate,
            datapoints_to_alarm: datapoints,
            missing_data: missing,
        },
        topics: alarm_topics,
        description,
        origin: a.name.span,
    };
    // AlarmDescription: 0-1024 characters with scalec's `[tier]` prefix,
    // no control characters.
    let text = alarm.description_text(group_name);
    let length = text.chars().count();
    let span = props
        .get("description")
        .map_or(a.name.span, |d| d.value.span);
    if length > C::ALARM_DESCRIPTION.max_chars() {
        cx.diags.push(
            Diagnostic::error(
                codes::TOO_LONG,
                format!(
                    "this description makes an AlarmDescription of {length} characters with its `[{}] ` prefix; CloudWatch takes at most {}",
                    alarm.tier.name(),
                    C::ALARM_DESCRIPTION.max_chars()
                ),
                span,
                "too long",
            )
            .with_help(format!(
                "shorten it to {} characters",
                C::ALARM_DESCRIPTION.max_chars() - (length - alarm.description.as_deref().map_or(0, |d| d.chars().count()))
            )),
        );
        return None;
    }
    if !C::Shape::NoControl.accepts(&text) {
        cx.diags.push(
            Diagnostic::error(codes::BAD_VALUE, "this description has a control character", span, "control character")
                .with_help("CloudWatch takes no control characters (such as tabs or newlines) in an alarm description"),
        );
        return None;
    }
    Some(alarm)
}

fn lower_schedule<'a>(
    cx: &mut Cx<'a, '_>,
    group_phys: &str,
    s: &'a ast::ScheduleDecl,
) -> Option<Schedule> {
    let props = by_key(
        &s.body.properties,
        &["cron", "timezone", "capacity", "desired", "enabled"],
        &[],
        "a schedule",
        cx.diags,
    );
    if !enabled(cx, &props) {
        return None;
    }
    let cron_p = require(cx, &props, "cron", "\"0 8 * * MON-FRI\"", &s.name)?;
    let cron_e = cx.resolve(&cron_p.value)?;
    let cron = cx.expect_string(cron_e)?;
    let recurrence = cron.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Err(e) = super::cron::parse(&cron) {
        cx.diags.push(
            Diagnostic::error(
                codes::CRON,
                e.message,
                inner_span(cron_e, &cron, e.at),
                "not a valid recurrence",
            )
            .with_help(e.help),
        );
        return None;
    }
    if recurrence.chars().count() > C::SCHEDULE_RECURRENCE.max_chars() {
        cx.diags.push(
            Diagnostic::error(
                codes::TOO_LONG,
                format!(
                    "this recurrence is {} characters; AWS takes at most {}",
                    recurrence.chars().count(),
                    C::SCHEDULE_RECURRENCE.max_chars()
                ),
                cron_e.span,
                "too long",
            )
            .with_help("shorten its lists, e.g. with ranges (`1-5`) or steps (`*/10`)"),
        );
        return None;
    }
    let time_zone = match props.get("timezone") {
        Some(p) => {
            let tz_e = cx.resolve(&p.value)?;
            let tz = cx.expect_string(tz_e)?;
            match super::timezone::canonical(&tz) {
                Some(name) if name == tz => Some(tz),
                found => {
                    let suggestions: Vec<&str> = match found {
                        Some(name) => vec![name],
                        None => super::timezone::similar(&tz),
                    };
                    let help = if suggestions.is_empty() {
                        "write an IANA name such as `\"Europe/Berlin\"`, `\"America/New_York\"` or `\"UTC\"`".to_string()
                    } else {
                        format!(
                            "did you mean {}?",
                            suggest::quoted_list(suggestions.iter().copied())
                        )
                    };
                    cx.diags.push(
                        Diagnostic::error(
                            codes::TIMEZONE,
                            format!("`{tz}` is not a time zone of the IANA database"),
                            tz_e.span,
                            "not a time zone",
                        )
                        .with_help(help),
                    );
                    return None;
                }
            }
        }
        None => None,
    };
    let cap = props
        .get("capacity")
        .and_then(|p| cx.expect_count_range(&p.value, &C::SCHEDULE_MIN, &C::SCHEDULE_MAX));
    let desired = props
        .get("desired")
        .and_then(|p| cx.expect_count(&p.value, &C::SCHEDULE_DESIRED));
    if !props.contains_key("capacity") && !props.contains_key("desired") {
        cx.diags.push(
            Diagnostic::error(
                codes::SCHEDULE_EMPTY,
                format!("schedule `{}` changes nothing", s.name.name),
                s.name.span,
                "no capacity or desired",
            )
            .with_help("set `capacity = min..max`, `desired = N`, or both"),
        );
        return None;
    }
    if let (Some((lo, hi, span)), Some(d)) = (cap, desired)
        && (d < lo || d > hi || lo > hi)
    {
        cx.diags.push(
            Diagnostic::error(
                codes::CAPACITY_ORDER,
                format!("scheduled desired {d} is outside {lo}..{hi}"),
                span,
                "this range",
            )
            .with_help("AWS requires min <= desired <= max"),
        );
        return None;
    }
    let physical_name = format!("{group_phys}-{}", s.name.name);
    rules::check_name(
        NameCheck {
            name: &physical_name,
            what: "scheduled action",
            max: C::SCHEDULE_NAME.max_chars(),
            alnum_plus: None,
        },
        s.name.span,
        None,
        cx.diags,
    );
    Some(Schedule {
        name: s.name.name.clone(),
        physical_name,
        recurrence,
        time_zone,
        min: cap.map(|c| c.0),
        max: cap.map(|c| c.1),
        desired,
        origin: s.name.span,
    })
}

/// The span of bytes `at` of a string literal's value: exact when the
/// literal has no escapes, else the whole literal.
fn inner_span(e: &Expr, value: &str, at: std::ops::Range<usize>) -> Span {
    let start = e.span.start as usize;
    let written = e.span.len();
    if written == value.len() + 2 && at.end <= value.len() {
        Span::new(
            e.span.file,
            start + 1 + at.start,
            start + 1 + at.end.max(at.start + 1),
        )
    } else {
        e.span
    }
}

fn lower_dashboard<'a>(
    cx: &mut Cx<'a, '_>,
    group_phys: &str,
    d: &'a ast::DashboardDecl,
    app_span: Option<Span>,
) -> Option<Dashboard> {
    let physical_name = match &d.name {
        Some(n) => format!("{group_phys}-{}", n.name),
        None => group_phys.to_string(),
    };
    rules::check_name(
        NameCheck {
            name: &physical_name,
            what: "dashboard",
            max: C::DASHBOARD_NAME.max_chars(),
            alnum_plus: Some("-_"),
        },
        d.name.as_ref().map(|n| n.span).unwrap_or(d.span),
        app_span,
        cx.diags,
    );
    let mut widgets = Vec::new();
    for w in &d.widgets {
        match w.kind.name.as_str() {
            "capacity" | "activity" | "utilization" => {
                if let Some(a) = &w.args
                    && let Some(first) = a.first()
                {
                    cx.diags.push(
                        Diagnostic::error(
                            codes::TYPE_MISMATCH,
                            format!("the `{}` widget takes no list", w.kind.name),
                            first.span,
                            "unexpected",
                        )
                        .with_help("only `correlate [...]` takes metrics"),
                    );
                }
                widgets.push(match w.kind.name.as_str() {
                    "capacity" => Widget::Capacity,
                    "activity" => Widget::Activity,
                    _ => Widget::Utilization,
                });
            }
            "correlate" => match &w.args {
                Some(args) if args.is_empty() => cx.diags.push(
                    Diagnostic::error(
                        codes::EMPTY,
                        "`correlate` lists no metric",
                        w.span,
                        "empty list",
                    )
                    .with_help("a graph needs at least one metric: write `correlate [ec2.cpu]`"),
                ),
                Some(args) => {
                    for a in args {
                        if let Some((metric, _)) = cx.expect_metric(a) {
                            widgets.push(Widget::Correlate { metric });
                        }
                    }
                }
                None => cx.diags.push(
                    Diagnostic::error(
                        codes::MISSING_PROPERTY,
                        "`correlate` needs a list of metrics",
                        w.span,
                        "no metrics",
                    )
                    .with_help("write `correlate [ec2.cpu, alb.requests(param.load_balancer)]`"),
                ),
            },
            other => cx.diags.push(unknown_variant(
                other,
                w.kind.span,
                "dashboard widget",
                ["capacity", "activity", "utilization", "correlate"].into_iter(),
            )),
        }
    }
    Some(Dashboard {
        physical_name,
        widgets,
        origin: d.span,
    })
}
