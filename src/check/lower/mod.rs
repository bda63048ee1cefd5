//! Lowering one environment: declarations plus environment values to a
//! [`model::Environment`], applying AWS's rules along the way. This file
//! does the environment itself (region, tags, params, topics) and the
//! helpers its parts share; `group`, `policy`, `alarm`, `schedule` and
//! `dashboard` lower the rest.

use super::cache::EnvGroups;
use super::constraints as C;
use super::error as codes;
use super::eval::{self, Cx, by_key, mismatch, unknown_variant};
use super::field::{Problem, Reach};
use super::rules::{self, AbsStep, NameCheck, PhysName};
use super::units;
use super::{Decls, EnvValues, Options};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{self, *};
use crate::source::Span;
use crate::suggest;
use crate::syntax::ast::{self, CmpOp, Expr, ExprKind};
use std::collections::BTreeMap;

mod alarm;
mod dashboard;
pub(crate) mod fleet;
pub(crate) mod group;
mod hook;
pub(crate) mod instances;
mod policy;
pub(crate) mod predictive;
mod refresh;
pub(crate) mod scalable;
pub(crate) mod scaling_test;
mod schedule;

/// The properties of a topic.
const TOPIC_KEYS: &[&str] = &["email", "https", "sqs", "lambda", "name", "display_name"];

/// The properties a block takes, for editors: `group`, `alarm`, `hook`,
/// `schedule`, `topic`, `dashboard`, `metric`, or `policy KIND`.
pub fn block_keys(block: &str) -> &'static [&'static str] {
    match block {
        "group" => GROUP_KEYS,
        "alarm" => ALARM_KEYS,
        "hook" => HOOK_KEYS,
        "schedule" => SCHEDULE_KEYS,
        "topic" => TOPIC_KEYS,
        "dashboard" => &["name"],
        "metric" => super::metric_decl::METRIC_KEYS,
        "policy target_tracking" => TRACKING_KEYS,
        "policy step" => STEP_KEYS,
        "policy simple" => SIMPLE_KEYS,
        "policy predictive" => PREDICTIVE_KEYS,
        _ => &[],
    }
}

use alarm::*;
use dashboard::*;
use fleet::*;
use group::*;
use hook::*;
use instances::*;
use policy::*;
use predictive::*;
use refresh::*;
use schedule::*;

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
                            if let Err(bad) = eval::validate_literal(def.ty, value) {
                                diags.push(
                                    Diagnostic::error(
                                        codes::BAD_VALUE,
                                        bad.message(value),
                                        it.span,
                                        format!("expected {}", eval::type_name(def.ty)),
                                    )
                                    .with_label(def.span, "declared here")
                                    .with_help(format!("write {}", bad.want)),
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

pub(super) fn param_value(
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
            if let Err(bad) = eval::validate_literal(def.ty, p) {
                diags.push(
                    Diagnostic::error(
                        codes::BAD_VALUE,
                        match opts.param_sources.get(name) {
                            Some(at) => format!("`{name} = {raw}` ({at}): {}", bad.message(p)),
                            None => format!("`--param {name}={raw}`: {}", bad.message(p)),
                        },
                        def.span,
                        "this param",
                    )
                    .with_help(format!("give {}", bad.want)),
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
    // A value of the wrong type is reported by `validate_env_params` and
    // known to nothing after it.
    let prop = ev.params.get(name)?;
    let fits = |v: &str| eval::validate_literal(def.ty, v).is_ok();
    match &prop.value.kind {
        ExprKind::String { value } if !def.list && fits(value) => {
            Some(ParamValue::One(value.clone()))
        }
        ExprKind::List { items }
            if def.list
                && items
                    .iter()
                    .any(|i| !matches!(&i.kind, ExprKind::String { value } if fits(value))) =>
        {
            None
        }
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

/// Lowers one environment. With a cache (the text of each group's
/// declaration, one per group, and the last check's groups of this
/// environment), each group the last check lowered from the same text in
/// the same context is copied from there and moved, not lowered again.
pub(crate) fn lower_env(
    app: &str,
    ev: &EnvValues,
    all: &[EnvValues],
    decls: &Decls,
    opts: &Options,
    diags: &mut Diagnostics,
    cache: Option<GroupCacheUse<'_>>,
) -> model::Environment {
    let env_name = ev.decl.name.name.clone();
    let own = with_env_params(opts, &env_name);
    let opts = own.as_ref().unwrap_or(opts);
    // Every derived physical name starts `app-env`.
    let base_name = PhysName::derived(&[
        (
            app,
            decls.app.map_or(ev.decl.name.span, |a| a.name_span),
            rules::APP_PART,
        ),
        (&env_name, ev.decl.name.span, "the environment's name"),
    ]);
    let mut cx = Cx {
        decls,
        env: ev,
        all_envs: all,
        diags,
        capacity: None,
        region: None,
        param_values: BTreeMap::new(),
        cli_params: &opts.params,
        param_sources: &opts.param_sources,
        scalable: None,
        tracking: false,
    };
    let region = env_region(&mut cx, ev);
    cx.region = region.clone();
    let (account, role) = account_and_role(&mut cx, ev);
    let tags = env_tags(&mut cx, ev, app, &env_name);
    let params = env_params(decls, ev, opts, cx.diags);
    cx.param_values = params
        .iter()
        .filter_map(|p| p.value.clone().map(|v| (p.name.clone(), v)))
        .collect();
    // A param's value is judged where it is used (`check::field`): its
    // ARN's region matters only in regional fields.
    let topics = decls
        .topics
        .iter()
        .map(|t| lower_topic(&mut cx, &base_name, t))
        .collect();
    let groups = lower_groups(&mut cx, &base_name, &env_name, &tags, cache);
    let targets = decls
        .scalables
        .iter()
        .filter_map(|t| scalable::lower_scalable(&mut cx, &base_name, t, &tags))
        .collect();
    let tests =
        scaling_test::lower_tests(&mut cx, &env_name, all.len() == 1, &groups, &decls.tests);
    let env = model::Environment {
        app: app.to_string(),
        name: env_name,
        region,
        account,
        role,
        tags,
        params,
        topics,
        groups,
        targets,
        tests,
        origin: ev.decl.name.span,
    };
    super::collisions::check_logical_ids(&env, cx.diags);
    super::collisions::check_physical_names(&env, cx.diags);
    env
}

/// The options with this environment's own param values over the shared
/// ones (from files), never over `--param`'s; none when it has none.
fn with_env_params(opts: &Options, env_name: &str) -> Option<Options> {
    let values = opts.env_params.get(env_name)?;
    let mut o = opts.clone();
    for (k, (v, at)) in values {
        let flag = o.params.contains_key(k) && !o.param_sources.contains_key(k);
        if !flag {
            o.params.insert(k.clone(), v.clone());
            o.param_sources.insert(k.clone(), at.clone());
        }
    }
    Some(o)
}

/// The environment's `region`, which must be an AWS region's code.
fn env_region<'a>(cx: &mut Cx<'a, '_>, ev: &EnvValues<'a>) -> Option<String> {
    let p = ev.values.get("region")?;
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
}

/// The environment's tags and scalec's own (app, env, managed-by), which
/// its topics and alarms carry: no more than AWS allows them.
fn env_tags<'a>(
    cx: &mut Cx<'a, '_>,
    ev: &EnvValues<'a>,
    app: &str,
    env_name: &str,
) -> BTreeMap<String, String> {
    let mut tags = ev
        .values
        .get("tags")
        .and_then(|p| cx.expect_string_map(&p.value))
        .unwrap_or_default();
    check_tags(&tags, ev.values.get("tags").map(|p| p.value.span), cx.diags);
    tags.insert("app".into(), app.to_string());
    tags.insert("env".into(), env_name.to_string());
    tags.insert("managed-by".into(), "scalec".into());
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
    tags
}

/// The declared params in declaration order, with their values in this
/// environment.
fn env_params(
    decls: &Decls,
    ev: &EnvValues,
    opts: &Options,
    diags: &mut Diagnostics,
) -> Vec<Param> {
    let mut params: Vec<(&String, &super::ParamDef)> = decls.params.iter().collect();
    params.sort_by_key(|(_, d)| d.order);
    params
        .into_iter()
        .map(|(name, def)| Param {
            name: name.clone(),
            ty: def.ty,
            list: def.list,
            value: param_value(name, def, ev, opts, diags),
            origin: def.span,
        })
        .collect()
}

/// A topic: its AWS name, display name and subscriptions.
fn lower_topic<'a>(cx: &mut Cx<'a, '_>, base_name: &PhysName, t: &'a ast::TopicDecl) -> Topic {
    let props = by_key(&t.body.properties, TOPIC_KEYS, &[], "a topic", cx.diags);
    let subscriptions = subscriptions(cx, &props);
    let physical_name = aws_name(
        cx,
        &t.body.properties,
        base_name.child(&t.name.name, t.name.span, "the topic's name"),
    );
    rules::check_name(
        NameCheck {
            name: &physical_name,
            what: "SNS topic",
            max: C::TOPIC_NAME.max_chars(),
            alnum_plus: Some("-_"),
        },
        t.name.span,
        cx.diags,
    );
    let display_name = props.get("display_name").and_then(|p| {
        cx.expect_field(
            &p.value,
            ParamType::String,
            &C::TOPIC_DISPLAY_NAME,
            "a topic's display name",
        )
    });
    Topic {
        name: t.name.name.clone(),
        physical_name: physical_name.text,
        display_name,
        subscriptions,
        origin: t.name.span,
    }
}

/// A topic's subscriptions, one per endpoint listed under a protocol's
/// key. SNS delivers to queues and functions in other regions, not in
/// other partitions, and not to FIFO queues.
fn subscriptions<'a>(
    cx: &mut Cx<'a, '_>,
    props: &crate::check::eval::Props<'a>,
) -> Vec<Subscription> {
    let mut subscriptions = Vec::new();
    for (key, prop) in props {
        let (protocol, ty) = match key.as_ref() {
            "name" | "display_name" => continue,
            "email" => (Protocol::Email, ParamType::Email),
            "https" => (Protocol::Https, ParamType::Url),
            "sqs" => (Protocol::Sqs, ParamType::QueueArn),
            _ => (Protocol::Lambda, ParamType::FunctionArn),
        };
        if let Some(items) = cx.expect_list(&prop.value) {
            for it in items {
                let Some(v) = cx.expect_value_reaching(it, ty, Reach::Partition) else {
                    continue;
                };
                if protocol == Protocol::Sqs && !fifo_free(cx, &v, it.span, "a topic's subscriber")
                {
                    continue;
                }
                subscriptions.push(Subscription {
                    protocol,
                    endpoint: v,
                });
            }
        }
    }
    subscriptions
}

/// The environment's groups, each copied from the cache where the last
/// check lowered it from the same text, else lowered (and recorded, with
/// its own diagnostics).
fn lower_groups(
    cx: &mut Cx,
    base_name: &PhysName,
    env_name: &str,
    tags: &BTreeMap<String, String>,
    mut cache: Option<GroupCacheUse<'_>>,
) -> Vec<model::Group> {
    let decls = cx.decls;
    let mut groups = Vec::new();
    for (k, g) in decls.groups.iter().enumerate() {
        let group = match &mut cache {
            None => lower_group(cx, base_name, env_name, g, tags),
            Some((cache, texts, last)) => {
                let text = texts.get(k).map_or("", |t| t.as_ref());
                let (group, own) = match cache.reuse(text, g.span, last) {
                    Some(reused) => reused,
                    None => {
                        // The group's own diagnostics, kept with it.
                        let outer = std::mem::take(cx.diags);
                        let group = lower_group(cx, base_name, env_name, g, tags);
                        let own = std::mem::replace(cx.diags, outer);
                        (group, own.iter().cloned().collect())
                    }
                };
                for d in &own {
                    cx.diags.push(d.clone());
                }
                cache.record(text, g.span, group.as_ref().map(|_| groups.len()), own);
                group
            }
        };
        if let Some(group) = group {
            groups.push(group);
        }
    }
    groups
}

/// The environment's `account` (12 digits) and `role` (an IAM role ARN in
/// the environment's partition), and that they agree: a role is assumed
/// in its own account.
fn account_and_role<'a>(
    cx: &mut Cx<'a, '_>,
    ev: &EnvValues<'a>,
) -> (Option<String>, Option<String>) {
    let account = ev.values.get("account").and_then(|p| {
        let a = cx.expect_string(&p.value)?;
        if a.len() != 12 || !a.bytes().all(|b| b.is_ascii_digit()) {
            cx.diags.push(
                Diagnostic::error(
                    codes::BAD_VALUE,
                    format!("`{a}` is not an AWS account id"),
                    p.value.span,
                    "not 12 digits",
                )
                .with_help("an account id is 12 digits, such as `123456789012` (`aws sts get-caller-identity` shows yours)"),
            );
            return None;
        }
        Some((a, p.value.span))
    });
    let role = ev.values.get("role").and_then(|p| {
        let v = cx.expect_value_reaching(&p.value, ParamType::RoleArn, Reach::Partition)?;
        match v {
            model::Value::Literal(s) => Some((s, p.value.span)),
            model::Value::Param(_) => {
                cx.diags.push(
                    Diagnostic::error(
                        codes::BAD_VALUE,
                        "an environment's `role` is written in the spec, not given by a param",
                        p.value.span,
                        "a param",
                    )
                    .with_help(
                        "write the role's ARN: `role = \"arn:aws:iam::123456789012:role/deploy\"`",
                    ),
                );
                None
            }
        }
    });
    if let (Some((a, a_at)), Some((r, r_at))) = (&account, &role)
        && let Some(arn) = C::arn_parts(r)
        && arn.account != a
    {
        cx.diags.push(
            Diagnostic::error(
                codes::BAD_VALUE,
                format!("the role is in account {}, the environment's `account` is {a}", arn.account),
                *r_at,
                "assumed in its own account",
            )
            .with_label(*a_at, "the environment's account")
            .with_help("a role gives credentials for the account it is in: name the environment's account, or a role in it"),
        );
    }
    (account.map(|(a, _)| a), role.map(|(r, _)| r))
}

pub(super) fn check_tags(
    tags: &BTreeMap<String, String>,
    span: Option<Span>,
    diags: &mut Diagnostics,
) {
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

/// Whether a queue ARN, written here or given to a param, names a standard
/// queue: SNS standard topics and lifecycle hooks can't deliver to FIFO
/// queues (SNS developer guide, "Message delivery" of FIFO topics; Auto
/// Scaling user guide, "Configure a notification target for lifecycle
/// notifications": standard queues only).
pub(super) fn fifo_free(cx: &mut Cx, v: &Value, at: Span, what: &str) -> bool {
    let mut ok = true;
    for (text, origin) in cx.known_texts(v, at) {
        if C::is_fifo_queue(&text) {
            ok = false;
            let p = Problem {
                code: codes::BAD_VALUE,
                message: format!("`{text}` is a FIFO queue, which can't be {what}"),
                label: "a FIFO queue".into(),
                help: "FIFO queues take messages only from FIFO topics: use a standard queue (a name without `.fifo`)".into(),
            };
            cx.report(p, &text, &origin, at, what);
        }
    }
    ok
}

/// Whether `enabled = false` switches the item off in this environment.
pub(super) fn enabled<'a>(cx: &mut Cx<'a, '_>, props: &crate::check::eval::Props<'a>) -> bool {
    match props.get("enabled") {
        Some(p) => cx.expect_bool(&p.value).unwrap_or(true),
        None => true,
    }
}

/// The name an item gets in AWS: the spec's `name = "..."` (an existing
/// resource's name, kept when adopting it) or the derived one.
pub(super) fn aws_name<'a>(
    cx: &mut Cx<'a, '_>,
    props: &'a [ast::Property],
    derived: PhysName,
) -> PhysName {
    let Some(p) = props.iter().find(|p| p.key.text() == "name") else {
        return derived;
    };
    let Some(e) = cx.resolve(&p.value) else {
        return derived;
    };
    match cx.expect_string(e) {
        Some(name) => PhysName::given(name, e.span),
        None => derived,
    }
}

/// The rows a metric-math query is held to: the list of queries (the
/// metrics and the expression), the expression and its label.
pub(super) struct MathRows {
    pub queries: &'static C::Row,
    pub expression: &'static C::Row,
    pub label: &'static C::Row,
}

/// Whether a metric-math query fits the request it becomes: its metrics
/// and the expression within the list of queries, the expression and its
/// label within their lengths. `label` is what the query is labelled with;
/// `help` how to make it smaller.
pub(super) fn math_fits(
    cx: &mut Cx,
    query: &MetricQuery,
    label: &str,
    span: Span,
    rows: MathRows,
    help: &str,
) -> bool {
    let MetricQuery::Math {
        expression,
        metrics,
    } = query
    else {
        return true;
    };
    // The queries are the metrics plus the expression.
    let most = rows.queries.max_items() - 1;
    if metrics.len() > most {
        cx.diags.push(
            Diagnostic::error(
                codes::ALARM_METRICS,
                format!(
                    "this metric math reads {} metrics; AWS takes at most {most} beside the expression",
                    metrics.len()
                ),
                span,
                "too many metrics",
            )
            .with_help(help.to_string()),
        );
        return false;
    }
    for (text, row, what) in [
        (expression.as_str(), rows.expression, "expression"),
        (label, rows.label, "label"),
    ] {
        let length = text.chars().count();
        if length > row.max_chars() {
            cx.diags.push(
                Diagnostic::error(
                    codes::TOO_LONG,
                    format!(
                        "this becomes a metric-math {what} of {length} characters; AWS's `{}` takes at most {}",
                        row.field,
                        row.max_chars()
                    ),
                    span,
                    "too long",
                )
                .with_help(format!("simplify the metric math: {help}")),
            );
            return false;
        }
    }
    true
}

/// An empty list where AWS needs at least one item.
pub(super) fn empty_list(p: &ast::Property, what: &str, why: &str) -> Diagnostic {
    Diagnostic::error(
        codes::EMPTY,
        format!("`{what}` is empty"),
        p.value.span,
        "no items",
    )
    .with_help(format!("{why}: give at least one"))
}

pub(super) fn dup(kind: &str, name: &ast::Ident, first: Span) -> Diagnostic {
    Diagnostic::error(
        codes::DUPLICATE,
        format!("`{}` is declared twice in this group", name.name),
        name.span,
        "declared again here",
    )
    .with_label(first, "first declared here")
    .with_help(format!("give the {kind} a different name"))
}

/// The group cache of one environment, each group's key text, and the
/// groups the last check lowered.
pub(super) type GroupCacheUse<'c> = (
    &'c mut EnvGroups,
    &'c [std::borrow::Cow<'c, str>],
    &'c [model::Group],
);

pub(super) fn undefined_topic(name: &ast::Ident, topics: &[&str]) -> Diagnostic {
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

pub(super) fn require<'a>(
    cx: &mut Cx<'a, '_>,
    props: &crate::check::eval::Props<'a>,
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
