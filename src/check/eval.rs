//! Evaluating expressions with the type and unit a property needs.
//!
//! Naming: `expect_x` evaluates an expression that must be an `x` and
//! returns `None` after reporting a diagnostic when it is not. Every
//! expecter first follows `env.X` and `match env { ... }` through
//! [`Cx::resolve`], so environment-specific values work everywhere.

use super::constraints::Row;
use super::error as codes;
use super::field::Reach;
use super::metric_decl::STATISTICS;
use super::units;
use super::{Decls, DimSource, EnvValues, MetricDef};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{self, ListValue, ParamType, Unit, Value};
use crate::source::Span;
use crate::suggest;
use crate::syntax::ast::{self, Expr, ExprKind};
use std::collections::BTreeMap;

pub(crate) use crate::model::PARAM_TYPES;

pub(crate) fn type_name(ty: ParamType) -> &'static str {
    ty.name()
}

/// `list<subnet_id>` -> (SubnetId, true).
pub(crate) fn param_type(t: &ast::TypeExpr, diags: &mut Diagnostics) -> Option<(ParamType, bool)> {
    if t.name.name == "list" {
        let inner = match &t.arg {
            Some(a) => a,
            None => {
                diags.push(
                    Diagnostic::error(
                        codes::UNKNOWN_TYPE,
                        "`list` needs an element type",
                        t.span,
                        "list of what?",
                    )
                    .with_help("write `list<subnet_id>`"),
                );
                return None;
            }
        };
        if inner.arg.is_some() || inner.name.name == "list" {
            diags.push(
                Diagnostic::error(
                    codes::UNKNOWN_TYPE,
                    "lists of lists are not supported",
                    inner.span,
                    "nested list",
                )
                .with_help("use `list<T>` with a plain element type"),
            );
            return None;
        }
        return param_type(inner, diags).map(|(ty, _)| (ty, true));
    }
    if let Some(arg) = &t.arg {
        diags.push(
            Diagnostic::error(
                codes::UNKNOWN_TYPE,
                format!("`{}` takes no type argument", t.name.name),
                arg.span,
                "unexpected",
            )
            .with_help("only `list<...>` takes an element type"),
        );
        return None;
    }
    match PARAM_TYPES.iter().find(|(n, _)| *n == t.name.name) {
        Some((_, ty)) => Some((*ty, false)),
        None => {
            let help = suggest::did_you_mean(&t.name.name, PARAM_TYPES.iter().map(|(n, _)| *n))
                .unwrap_or_else(|| {
                    format!(
                        "the types are {}, and `list<T>` of any of them",
                        suggest::quoted_list(PARAM_TYPES.iter().map(|(n, _)| *n))
                    )
                });
            diags.push(
                Diagnostic::error(
                    codes::UNKNOWN_TYPE,
                    format!("unknown type `{}`", t.name.name),
                    t.name.span,
                    "not a type",
                )
                .with_help(help),
            );
            None
        }
    }
}

/// What a user who named no known metric may have meant: a close name, a
/// synonym (`latency` is `response_time`), the family's metrics (every
/// `alb.*`), and where the whole list is.
fn metric_help<'k>(key: &str, known: impl Iterator<Item = &'k str>) -> String {
    let mut known: Vec<&str> = known.collect();
    known.sort_unstable();
    let (family, leaf) = key.rsplit_once('.').unwrap_or(("", key));
    // Words people use for a metric the std-lib names otherwise.
    const SYNONYMS: &[(&[&str], &str)] = &[
        (
            &["latency", "response", "duration", "time"],
            "response_time",
        ),
        (&["rps", "request_count", "request", "hits"], "requests"),
        (&["mem", "memory_used", "ram"], "memory"),
        (&["cpu_utilization", "cpu_percent", "utilization"], "cpu"),
        (&["backlog", "messages", "queue", "depth"], "visible"),
    ];
    let synonym = SYNONYMS
        .iter()
        .find(|(words, _)| words.contains(&leaf))
        .and_then(|(_, meant)| {
            known
                .iter()
                .find(|k| k.starts_with(&format!("{family}.")) && k.ends_with(&format!(".{meant}")))
                .or_else(|| known.iter().find(|k| k.ends_with(&format!(".{meant}"))))
        })
        .map(|k| format!("did you mean `{k}`?"));
    let close = synonym.or_else(|| suggest::did_you_mean(key, known.iter().copied()));
    let siblings: Vec<&str> = known
        .iter()
        .copied()
        .filter(|k| !family.is_empty() && k.starts_with(&format!("{family}.")))
        .collect();
    let mut help = close.unwrap_or_default();
    if !siblings.is_empty() {
        if !help.is_empty() {
            help.push(' ');
        }
        help.push_str(&format!(
            "the `{family}` metrics are {}",
            suggest::quoted_list(siblings.iter().copied())
        ));
    }
    if help.is_empty() {
        "`scalec std metrics` lists the standard metrics; declare your own with `metric NAME { namespace = ... name = ... unit = ... }`".into()
    } else {
        format!("{help}; `scalec std metrics` lists them all")
    }
}

/// How to write a plain number with the unit it lacks. A number between 0
/// and 1 where a percentage goes is a fraction (`0.55` is `55%`); one under
/// a second where a duration goes is milliseconds (`0.25` is `250ms`).
fn missing_unit_help(value: f64, unit: Unit) -> String {
    let n = |v: f64| units::show(v, Unit::Count);
    let fraction = value > 0.0 && value < 1.0;
    match unit {
        Unit::Percent if fraction => format!(
            "a number under 1 reads as a fraction: write `{}%` (or `{}%` for less than one percent)",
            n(value * 100.0),
            n(value)
        ),
        Unit::Percent => format!("write `{}%`", n(value)),
        Unit::Seconds if fraction => format!("write `{}ms`, or `{}s`", n(value * 1000.0), n(value)),
        Unit::Seconds => format!("write `{}s` or `{}m`", n(value), n(value)),
        Unit::PerMinute => format!("write `{}/min` or `{}/s`", n(value), n(value)),
        Unit::Bytes => format!("write `{}MB` or another size unit", n(value)),
        Unit::Count => String::new(),
    }
}

/// Why a literal is not a value of its param type: what the type takes,
/// and, when there is more to say than its shape, what is wrong with it.
#[derive(Debug, Clone)]
pub(crate) struct BadLiteral {
    /// `an IAM role ARN such as ...`.
    pub want: String,
    /// `its role name is 70 characters; IAM takes 1 to 64`.
    pub why: Option<String>,
}

impl BadLiteral {
    /// "`v` is not WANT" and the reason.
    pub fn message(&self, v: &str) -> String {
        match &self.why {
            Some(why) => format!("`{v}` is not {}: {why}", self.want),
            None => format!("`{v}` is not {}", self.want),
        }
    }
}

/// Checks a literal against a param type's format; `Err` says what is wrong.
/// Ids are lowercase hex of EC2's lengths; ARNs have a partition, a
/// region, a 12-digit account and the resource shape of their service
/// (rules in [`super::constraints`]).
pub(crate) fn validate_literal(ty: ParamType, v: &str) -> Result<(), BadLiteral> {
    use super::constraints::{self as c, ElbKind, arn_parts, hex_id, parse_elb_arn};
    let checked = |r: Result<(), String>| r.err().map(Some);
    let why: Option<Option<String>> = match ty {
        ParamType::String => None,
        ParamType::Number => (!v.parse::<f64>().is_ok_and(|f| f.is_finite())).then_some(None),
        ParamType::Email => {
            let mut it = v.split('@');
            let ok = matches!((it.next(), it.next(), it.next()), (Some(a), Some(d), None)
                if !a.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.') && !v.contains(char::is_whitespace));
            (!ok).then_some(None)
        }
        ParamType::Url => {
            (!(v.starts_with("https://") && v.len() > 8 && !v.contains(char::is_whitespace)))
                .then_some(None)
        }
        ParamType::LaunchTemplateId => (!hex_id(v, "lt-", &[17])).then_some(None),
        ParamType::SubnetId => (!hex_id(v, "subnet-", &[8, 17])).then_some(None),
        ParamType::SecurityGroupId => (!hex_id(v, "sg-", &[8, 17])).then_some(None),
        ParamType::VpcId => (!hex_id(v, "vpc-", &[8, 17])).then_some(None),
        ParamType::LoadBalancerArn => {
            (!parse_elb_arn(v).is_some_and(|a| a.kind == ElbKind::LoadBalancer)).then_some(None)
        }
        ParamType::TargetGroupArn => {
            (!parse_elb_arn(v).is_some_and(|a| a.kind == ElbKind::TargetGroup)).then_some(None)
        }
        ParamType::TopicArn => checked(c::topic_arn_check(v)),
        ParamType::QueueArn => checked(c::queue_arn_check(v)),
        ParamType::FunctionArn => checked(c::function_arn_check(v)),
        ParamType::RoleArn => checked(c::role_arn_check(v)),
        ParamType::CapacityReservationId => (!hex_id(v, "cr-", &[17])).then_some(None),
        ParamType::ResourceGroupArn => (!arn_parts(v).is_some_and(|p| {
            p.service == "resource-groups"
                && p.resource
                    .strip_prefix("group/")
                    .is_some_and(|n| !n.is_empty())
        }))
        .then_some(None),
    };
    let Some(mut why) = why else {
        return Ok(());
    };
    // An ARN that isn't one at all says which part is wrong.
    if why.is_none() && v.starts_with("arn:") && arn_parts(v).is_none() {
        why = Some(c::arn_problem(v));
    }
    let want = match ty {
        ParamType::String => String::new(),
        ParamType::Number => "a number".into(),
        ParamType::Email => "an email address such as `ops@example.com`".into(),
        ParamType::Url => "an https URL".into(),
        ParamType::LaunchTemplateId => "a launch template id: `lt-` and 17 lowercase hex digits, such as `lt-0123456789abcdef0`".into(),
        ParamType::SubnetId => "a subnet id: `subnet-` and 8 or 17 lowercase hex digits, such as `subnet-0123456789abcdef0`".into(),
        ParamType::SecurityGroupId => "a security group id: `sg-` and 8 or 17 lowercase hex digits".into(),
        ParamType::VpcId => "a VPC id: `vpc-` and 8 or 17 lowercase hex digits".into(),
        ParamType::LoadBalancerArn => {
            "an ALB ARN (`loadbalancer/app/NAME/ID`, a name of 1-32 letters, digits and hyphens, a 16-digit hex id), such as `arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/api/50dc6c495c0c9188`".into()
        }
        ParamType::TargetGroupArn => {
            "a target group ARN (`targetgroup/NAME/ID`, a name of 1-32 letters, digits and hyphens, a 16-digit hex id), such as `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067`".into()
        }
        ParamType::TopicArn => "an SNS topic ARN such as `arn:aws:sns:us-east-1:123456789012:alerts`".into(),
        ParamType::QueueArn => "an SQS queue ARN such as `arn:aws:sqs:us-east-1:123456789012:jobs`".into(),
        ParamType::FunctionArn => "a Lambda function ARN such as `arn:aws:lambda:us-east-1:123456789012:function:page`".into(),
        ParamType::RoleArn => "an IAM role ARN such as `arn:aws:iam::123456789012:role/hooks`".into(),
        ParamType::CapacityReservationId => "a capacity reservation id: `cr-` and 17 lowercase hex digits".into(),
        ParamType::ResourceGroupArn => "a resource group ARN such as `arn:aws:resource-groups:us-east-1:123456789012:group/reserved`".into(),
    };
    Err(BadLiteral { want, why })
}

/// A block's properties by name, in name order, as [`by_key`] returns
/// them: a block holds a handful, so a sorted `Vec` searched in place beats
/// a tree map's nodes.
pub(crate) struct Props<'a> {
    sorted: Vec<(std::borrow::Cow<'a, str>, &'a ast::Property)>,
}

impl<'a> Props<'a> {
    /// The property named `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&&'a ast::Property> {
        self.sorted
            .iter()
            .find(|(k, _)| k.as_ref() == key)
            .map(|(_, p)| p)
    }

    /// Whether a property is named `key`.
    pub(crate) fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Whether the block has no (valid) property.
    pub(crate) fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    /// The properties in name order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &&'a ast::Property> {
        self.sorted.iter().map(|(_, p)| p)
    }

    /// Adds `p` as `key`, which is not there yet.
    fn insert(&mut self, key: std::borrow::Cow<'a, str>, p: &'a ast::Property) {
        let at = self.sorted.partition_point(|(k, _)| *k < key);
        self.sorted.insert(at, (key, p));
    }
}

impl<'b, 'a> IntoIterator for &'b Props<'a> {
    type Item = (&'b std::borrow::Cow<'a, str>, &'b &'a ast::Property);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'b, (std::borrow::Cow<'a, str>, &'a ast::Property)>,
        fn(
            &'b (std::borrow::Cow<'a, str>, &'a ast::Property),
        ) -> (&'b std::borrow::Cow<'a, str>, &'b &'a ast::Property),
    >;

    /// The properties in name order, with their names.
    fn into_iter(self) -> Self::IntoIter {
        self.sorted.iter().map(|(k, p)| (k, p))
    }
}

/// Indexes a block's properties by key, reporting unknown and duplicate
/// keys. `elsewhere` lists keys that are valid in a sibling construct, each
/// with the help to show (e.g. `cooldown` on a target-tracking policy).
pub(crate) fn by_key<'a>(
    props: &'a [ast::Property],
    allowed: &[&str],
    elsewhere: &[(&str, &'static str, &str)],
    what: &str,
    diags: &mut Diagnostics,
) -> Props<'a> {
    let mut out = Props {
        sorted: Vec::with_capacity(props.len()),
    };
    for p in props {
        let key = p.key.text();
        if let Some((_, code, help)) = elsewhere.iter().find(|(k, _, _)| *k == key) {
            diags.push(
                Diagnostic::error(
                    code,
                    format!("`{key}` does not apply to {what}"),
                    p.key.span(),
                    "not valid here",
                )
                .with_help(*help),
            );
            continue;
        }
        if !allowed.contains(&key.as_ref()) {
            let help = suggest::did_you_mean(&key, allowed.iter().copied()).unwrap_or_else(|| {
                format!(
                    "{what} takes {}",
                    suggest::quoted_list(allowed.iter().copied())
                )
            });
            diags.push(
                Diagnostic::error(
                    codes::UNKNOWN_PROPERTY,
                    format!("unknown property `{key}` in {what}"),
                    p.key.span(),
                    "unknown property",
                )
                .with_help(help),
            );
            continue;
        }
        if let Some(first) = out.get(&key) {
            diags.push(
                Diagnostic::error(
                    codes::DUPLICATE_PROPERTY,
                    format!("`{key}` is set twice"),
                    p.key.span(),
                    "set again here",
                )
                .with_label(first.key.span(), "first set here")
                .with_help("remove one of the two"),
            );
            continue;
        }
        out.insert(key, p);
    }
    out
}

/// "a string", "a number", ... for messages.
pub(crate) fn describe(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Number { .. } => "a plain number".into(),
        ExprKind::Quantity { unit, .. } => match units::parse_unit(unit) {
            Some((u, _)) => format!("a {}", units::name(u)),
            None => "a quantity".into(),
        },
        ExprKind::Signed { .. } => "an adjustment".into(),
        ExprKind::Exactly { .. } => "an exact capacity".into(),
        ExprKind::String { .. } => "a string".into(),
        ExprKind::Bool { .. } => "a boolean".into(),
        ExprKind::Path { path } => format!("the name `{}`", path.dotted()),
        ExprKind::Call { path, .. } => format!("a call of `{}`", path.dotted()),
        ExprKind::List { .. } => "a list".into(),
        ExprKind::Range { .. } => "a range".into(),
        ExprKind::Match { .. } => "a match".into(),
        ExprKind::Object { .. } => "a block".into(),
        ExprKind::Tagged { tag, .. } => format!("`{} {{ ... }}`", tag.name),
        ExprKind::Binary { .. } => "an arithmetic expression".into(),
        ExprKind::Of { .. } => "an `of` expression".into(),
        ExprKind::Compare { .. } => "a comparison".into(),
        ExprKind::Error => "an invalid value".into(),
    }
}

pub(crate) fn mismatch(e: &Expr, expected: &str) -> Diagnostic {
    let found = describe(e);
    Diagnostic::error(
        codes::TYPE_MISMATCH,
        format!("expected {expected}, found {found}"),
        e.span,
        format!("this is {found}"),
    )
    .with_help(format!("write {expected} here"))
}

pub(crate) fn unknown_variant<'x>(
    value: &str,
    span: Span,
    what: &str,
    options: impl Iterator<Item = &'x str> + Clone,
) -> Diagnostic {
    let help = suggest::did_you_mean(value, options.clone())
        .unwrap_or_else(|| format!("use one of {}", suggest::quoted_list(options)));
    Diagnostic::error(
        codes::UNKNOWN_VARIANT,
        format!("`{value}` is not a {what}"),
        span,
        format!("unknown {what}"),
    )
    .with_help(help)
}

/// The evaluation context: one environment, and optionally one group.
pub(crate) struct Cx<'a, 'd> {
    pub decls: &'d Decls<'a>,
    pub env: &'d EnvValues<'a>,
    pub all_envs: &'d [EnvValues<'a>],
    pub diags: &'d mut Diagnostics,
    /// The group's (min, max, desired), for `capacity.*`.
    pub capacity: Option<(u32, u32, u32)>,
    /// The environment's region, once known: ARNs must be in it.
    pub region: Option<String>,
    /// Param values known in this environment (from it or `--param`).
    pub param_values: BTreeMap<String, model::ParamValue>,
    /// `--param NAME=VALUE` values: these params' values were given on the
    /// command line, not by the environment.
    pub cli_params: &'d BTreeMap<String, String>,
    /// Where each of `cli_params` was given when not by `--param`.
    pub param_sources: &'d BTreeMap<String, String>,
    /// The scalable target being lowered, if any: its kind, and its
    /// resource id's parts, which its metrics' `target.X` dimensions read.
    pub scalable: Option<ScalableCx>,
    /// Set while a target-tracking policy reads its metric: only then may
    /// a `tracking_only` metric be read.
    pub tracking: bool,
}

/// The scalable target whose members are being lowered.
#[derive(Debug, Clone)]
pub(crate) struct ScalableCx {
    /// Its kind.
    pub kind: &'static crate::kinds::scalable::Kind,
    /// Its resource id's parts: (`cluster`, value).
    pub parts: Vec<(String, Value)>,
    /// Its scalable dimension's AWS name.
    pub dimension: &'static str,
}

impl Cx<'_, '_> {
    /// The items of a list value, when they are all known now.
    pub fn known_items(&self, v: &ListValue) -> Option<Vec<String>> {
        let one = |v: &Value| match v {
            Value::Literal(s) => Some(s.clone()),
            Value::Param(p) => match self.param_values.get(p) {
                Some(model::ParamValue::One(s)) => Some(s.clone()),
                _ => None,
            },
        };
        match v {
            ListValue::Items(items) => items.iter().map(one).collect(),
            ListValue::Param(p) => match self.param_values.get(p) {
                Some(model::ParamValue::List(l)) => Some(l.clone()),
                Some(model::ParamValue::One(s)) => Some(vec![s.clone()]),
                None => None,
            },
        }
    }
}

pub use crate::kinds::arn::arn_region;

/// The diagnostic for an ARN in another region than the environment's.
pub fn wrong_region(
    arn: &str,
    arn_region: &str,
    env: &str,
    region: &str,
    span: Span,
) -> Diagnostic {
    Diagnostic::error(
        codes::WRONG_REGION,
        format!("`{arn}` is in {arn_region}, but environment `{env}` deploys to {region}"),
        span,
        format!("in {arn_region}"),
    )
    .with_help(format!(
        "Auto Scaling groups, alarms and their targets must be in one region: use the ARN of the resource in {region}, or set the environment's `region`"
    ))
}

/// A metric expression on the left of a condition.
#[derive(Debug, Clone)]
pub(crate) enum MExpr {
    Metric(model::Metric, Span),
    /// A function of one metric expression, and its second argument in
    /// CloudWatch's words (`FILL(m1, 0)`, `FILL(m1, REPEAT)`).
    Func(&'static str, Box<MExpr>, Option<String>),
    Bin(ast::BinOp, Box<MExpr>, Box<MExpr>),
    Const(f64),
}

const MATH_FUNCS: &[(&str, &str)] = &[
    ("abs", "ABS"),
    ("diff", "DIFF"),
    ("rate", "RATE"),
    ("fill", "FILL"),
];

/// The words `fill(metric, ...)` takes besides a number.
const FILL_WORDS: &[(&str, &str)] = &[("repeat", "REPEAT"), ("linear", "LINEAR")];

impl<'a, 'd> Cx<'a, 'd> {
    pub fn env_name(&self) -> &str {
        &self.env.decl.name.name
    }

    /// Follows `env.X` and `match env` to the expression that gives the
    /// value in this environment.
    pub fn resolve(&mut self, e: &'a Expr) -> Option<&'a Expr> {
        let mut cur = e;
        for _ in 0..32 {
            match &cur.kind {
                ExprKind::Path { path }
                    if path.segments.len() == 2 && path.segments[0].name == "env" =>
                {
                    let key = &path.segments[1].name;
                    match self.env.values.get(key.as_str()) {
                        Some(p) => cur = &p.value,
                        None => {
                            let mut known: Vec<&str> =
                                self.env.values.keys().map(|s| s.as_str()).collect();
                            known.sort();
                            let help = match suggest::did_you_mean(key, known.iter().copied()) {
                                Some(m) => m,
                                None => format!(
                                    "add `{key} = ...` to environment `{}` or to a preset it extends",
                                    self.env_name()
                                ),
                            };
                            self.diags.push(
                                Diagnostic::error(
                                    codes::ENV_UNDEFINED_VALUE,
                                    format!(
                                        "`env.{key}` is not defined in environment `{}`",
                                        self.env_name()
                                    ),
                                    path.span,
                                    format!("no `{key}` in `{}`", self.env_name()),
                                )
                                .with_label(
                                    self.env.decl.name.span,
                                    format!("`{}` defines no `{key}`", self.env_name()),
                                )
                                .with_help(help),
                            );
                            return None;
                        }
                    }
                }
                ExprKind::Match { subject, arms } => {
                    if subject.dotted() != "env" {
                        self.diags.push(
                            Diagnostic::error(codes::TYPE_MISMATCH, format!("can't match on `{}`", subject.dotted()), subject.span, "not `env`")
                                .with_help("only `match env { ... }` is supported: it picks a value per environment"),
                        );
                        return None;
                    }
                    let names: Vec<&str> = self
                        .all_envs
                        .iter()
                        .map(|e| e.decl.name.name.as_str())
                        .collect();
                    let mut covered: Vec<&str> = Vec::new();
                    let mut wildcard = false;
                    for arm in arms {
                        for p in arm.patterns.iter().flatten() {
                            if names.contains(&p.name.as_str()) {
                                covered.push(p.name.as_str());
                            } else {
                                let help = suggest::did_you_mean(&p.name, names.iter().copied())
                                    .unwrap_or_else(|| {
                                        format!(
                                            "the environments are {}",
                                            suggest::quoted_list(names.iter().copied())
                                        )
                                    });
                                self.diags.push(
                                    Diagnostic::error(
                                        codes::UNDEFINED,
                                        format!("there is no environment `{}`", p.name),
                                        p.span,
                                        "unknown environment",
                                    )
                                    .with_help(help),
                                );
                            }
                        }
                        if arm.patterns.iter().any(|p| p.is_none()) {
                            wildcard = true;
                        }
                    }
                    let missing: Vec<&str> = names
                        .iter()
                        .copied()
                        .filter(|n| !covered.contains(n))
                        .collect();
                    if !wildcard && !missing.is_empty() {
                        self.diags.push(
                            Diagnostic::error(
                                codes::NON_EXHAUSTIVE,
                                format!(
                                    "this match has no value for {}",
                                    suggest::quoted_list(missing.iter().copied())
                                ),
                                subject.span.to(cur.span),
                                "not every environment is covered",
                            )
                            .with_help(format!(
                                "add an arm for {} or a catch-all `_ => ...`",
                                suggest::quoted_list(missing.iter().copied())
                            )),
                        );
                    }
                    let name = self.env_name().to_string();
                    let arm = arms
                        .iter()
                        .find(|a| a.patterns.iter().flatten().any(|p| p.name == name))
                        .or_else(|| arms.iter().find(|a| a.patterns.iter().any(|p| p.is_none())));
                    match arm {
                        Some(a) => cur = &a.value,
                        None => return None,
                    }
                }
                ExprKind::Error => return None,
                _ => return Some(cur),
            }
        }
        None
    }

    /// A quantity in `unit`, converted to canonical form.
    pub fn expect_quantity(&mut self, e: &'a Expr, unit: Unit) -> Option<f64> {
        let e = self.resolve(e)?;
        match &e.kind {
            ExprKind::Quantity {
                value,
                unit: text,
                unit_span,
            } => {
                let (found, factor) = match units::parse_unit(text) {
                    Some(x) => x,
                    None => {
                        self.unknown_unit(text, *unit_span);
                        return None;
                    }
                };
                if found != unit {
                    let mut d = Diagnostic::error(
                        codes::UNIT_MISMATCH,
                        format!(
                            "expected {}, found a {}",
                            units::describe(unit),
                            units::name(found)
                        ),
                        e.span,
                        format!("this is a {}", units::name(found)),
                    );
                    if unit == Unit::Count {
                        d = d.with_help("write a plain number without a unit");
                    } else {
                        d = d.with_help(format!("write {}", units::describe(unit)));
                    }
                    self.diags.push(d);
                    return None;
                }
                Some(value * factor)
            }
            ExprKind::Number { value } => {
                if unit == Unit::Count {
                    Some(*value)
                } else {
                    self.diags.push(
                        Diagnostic::error(
                            codes::MISSING_UNIT,
                            format!("expected {}, found a plain number", units::describe(unit)),
                            e.span,
                            "no unit",
                        )
                        .with_help(missing_unit_help(*value, unit)),
                    );
                    None
                }
            }
            ExprKind::Path { path }
                if path.segments.len() == 2 && path.segments[0].name == "capacity" =>
            {
                let v = self.capacity_value(path)?;
                if unit == Unit::Count {
                    Some(v)
                } else {
                    self.diags.push(mismatch(e, units::describe(unit)));
                    None
                }
            }
            ExprKind::Of { fraction, whole } => {
                let f = self.expect_quantity(fraction, Unit::Percent)?;
                let w = self.expect_quantity(whole, unit)?;
                Some(f / 100.0 * w)
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let l = self.expect_quantity(lhs, unit)?;
                let r = match op {
                    ast::BinOp::Add | ast::BinOp::Sub => self.expect_quantity(rhs, unit)?,
                    _ => self.expect_quantity(rhs, Unit::Count)?,
                };
                match op {
                    ast::BinOp::Add => Some(l + r),
                    ast::BinOp::Sub => Some(l - r),
                    ast::BinOp::Mul => Some(l * r),
                    ast::BinOp::Div => {
                        if r == 0.0 {
                            self.diags.push(Diagnostic::error(
                                codes::TYPE_MISMATCH,
                                "division by zero",
                                rhs.span,
                                "this is zero",
                            ));
                            None
                        } else {
                            Some(l / r)
                        }
                    }
                }
            }
            _ => {
                self.diags.push(mismatch(e, units::describe(unit)));
                None
            }
        }
    }

    fn capacity_value(&mut self, path: &ast::Path) -> Option<f64> {
        let field = path.segments[1].name.as_str();
        let (min, max, desired) = match self.capacity {
            Some(c) => c,
            None => {
                self.diags.push(
                    Diagnostic::error(codes::UNDEFINED, "`capacity` is only known inside a group", path.span, "no group here")
                        .with_help("use `capacity.min`, `capacity.max` or `capacity.desired` in a group's alarms"),
                );
                return None;
            }
        };
        match field {
            "min" => Some(min as f64),
            "max" => Some(max as f64),
            "desired" => Some(desired as f64),
            other => {
                self.diags.push(unknown_variant(
                    other,
                    path.segments[1].span,
                    "capacity field",
                    ["min", "max", "desired"].into_iter(),
                ));
                None
            }
        }
    }

    fn unknown_unit(&mut self, text: &str, span: Span) {
        let help = match units::suggest_unit(text) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "the units are {}",
                suggest::quoted_list(units::UNITS.iter().map(|(t, _, _)| *t))
            ),
        };
        self.diags.push(
            Diagnostic::error(
                codes::UNKNOWN_UNIT,
                format!("unknown unit `{text}`"),
                span,
                "unknown unit",
            )
            .with_help(help),
        );
    }

    /// A duration in whole seconds, within the range of the AWS field
    /// (`row`) it becomes. Only the upper end and negatives are judged
    /// here; a field's own lower bound (an alarm period of at least 10s)
    /// has its own, more telling diagnostic where it is used.
    pub fn expect_seconds(&mut self, e: &'a Expr, row: &Row) -> Option<u32> {
        let v = self.expect_quantity(e, Unit::Seconds)?;
        if v.fract() != 0.0 && v.is_finite() {
            self.diags.push(
                Diagnostic::error(
                    codes::NOT_INTEGER,
                    "this duration must be a whole number of seconds",
                    e.span,
                    "not whole seconds",
                )
                .with_help("AWS takes durations in whole seconds: write e.g. `90s`"),
            );
            return None;
        }
        self.in_range(v, e.span, row, Unit::Seconds)
    }

    /// A whole, non-negative count within the range of the AWS field
    /// (`row`) it becomes; see [`Cx::expect_seconds`] for what is judged.
    pub fn expect_count(&mut self, e: &'a Expr, row: &Row) -> Option<u32> {
        let r = self.resolve(e)?;
        let v = self.expect_quantity(r, Unit::Count)?;
        if v.fract() != 0.0 && v.is_finite() {
            self.diags.push(
                Diagnostic::error(
                    codes::NOT_INTEGER,
                    format!("expected a whole number, found `{v}`"),
                    r.span,
                    "not a whole count",
                )
                .with_help("counts are whole numbers from 0"),
            );
            return None;
        }
        self.in_range(v, r.span, row, Unit::Count)
    }

    /// `v` as a `u32` if it is from 0 to the row's maximum; else a range
    /// error naming the AWS field.
    fn in_range(&mut self, v: f64, span: Span, row: &Row, unit: Unit) -> Option<u32> {
        let (_, max) = row.int_range();
        if v < 0.0 || v > max as f64 || !v.is_finite() {
            let shown = units::show(v, unit);
            let limit = units::show(max as f64, unit);
            self.diags.push(
                Diagnostic::error(
                    codes::RANGE,
                    if v < 0.0 {
                        format!("`{shown}` is negative, but AWS's `{}` can't be", row.field)
                    } else {
                        format!(
                            "`{shown}` is too large for AWS's `{}`, which takes at most {limit}",
                            row.field
                        )
                    },
                    span,
                    "out of range",
                )
                .with_help(format!("use a value from 0 to {limit}")),
            );
            return None;
        }
        // In range of a u32 by the check above (every row's maximum is at
        // most i32::MAX), and whole.
        Some(v as u32)
    }

    /// `lo..hi` of whole counts; both ends required.
    pub fn expect_count_range(
        &mut self,
        e: &'a Expr,
        lo_row: &Row,
        hi_row: &Row,
    ) -> Option<(u32, u32, Span)> {
        let r = self.resolve(e)?;
        match &r.kind {
            ExprKind::Range {
                lower: Some(lo),
                upper: Some(hi),
            } => {
                let lo = self.expect_count(lo, lo_row);
                let hi = self.expect_count(hi, hi_row);
                let (lo, hi) = (lo?, hi?);
                // AWS refuses a minimum above the maximum, in a group and
                // in a scheduled action alike.
                if lo > hi {
                    let mut d = Diagnostic::error(
                        codes::CAPACITY_ORDER,
                        format!(
                            "in `{}`, the minimum {lo} is above the maximum {hi}",
                            self.env_name()
                        ),
                        r.span,
                        format!("{lo}..{hi}"),
                    )
                    .with_help("write the capacity as `min..max` with min <= max");
                    if r.span != e.span {
                        d = d.with_label(e.span, "used here");
                    }
                    self.diags.push(d);
                    return None;
                }
                Some((lo, hi, r.span))
            }
            ExprKind::Range { .. } => {
                self.diags.push(
                    Diagnostic::error(
                        codes::TYPE_MISMATCH,
                        "a capacity range needs both ends",
                        r.span,
                        "open range",
                    )
                    .with_help("write `min..max`, e.g. `2..10`"),
                );
                None
            }
            _ => {
                self.diags.push(
                    mismatch(r, "a range such as `2..10`")
                        .with_help("write `min..max`, e.g. `2..10`"),
                );
                None
            }
        }
    }

    pub fn expect_string(&mut self, e: &'a Expr) -> Option<String> {
        let r = self.resolve(e)?;
        match &r.kind {
            ExprKind::String { value } => Some(value.clone()),
            _ => {
                self.diags.push(mismatch(r, "a string"));
                None
            }
        }
    }

    pub fn expect_bool(&mut self, e: &'a Expr) -> Option<bool> {
        let r = self.resolve(e)?;
        match &r.kind {
            ExprKind::Bool { value } => Some(*value),
            _ => {
                self.diags.push(mismatch(r, "`true` or `false`"));
                None
            }
        }
    }

    /// One word out of a fixed set, returning its index.
    pub fn expect_word(&mut self, e: &'a Expr, what: &str, options: &[&str]) -> Option<usize> {
        let r = self.resolve(e)?;
        match &r.kind {
            ExprKind::Path { path } if path.segments.len() == 1 => {
                let w = path.segments[0].name.as_str();
                match options.iter().position(|o| *o == w) {
                    Some(i) => Some(i),
                    None => {
                        self.diags
                            .push(unknown_variant(w, r.span, what, options.iter().copied()));
                        None
                    }
                }
            }
            _ => {
                self.diags.push(mismatch(
                    r,
                    &format!(
                        "a {what} ({})",
                        suggest::quoted_list(options.iter().copied())
                    ),
                ));
                None
            }
        }
    }

    /// A list (one value is accepted as a list of one).
    pub fn expect_list(&mut self, e: &'a Expr) -> Option<Vec<&'a Expr>> {
        let r = self.resolve(e)?;
        match &r.kind {
            ExprKind::List { items } => Some(items.iter().collect()),
            _ => Some(vec![r]),
        }
    }

    /// A `{ key = "value" }` block of strings.
    pub fn expect_string_map(&mut self, e: &'a Expr) -> Option<BTreeMap<String, String>> {
        let r = self.resolve(e)?;
        match &r.kind {
            ExprKind::Object { block } => {
                let mut out = BTreeMap::new();
                for p in &block.properties {
                    let key = p.key.text();
                    if let Some(v) = self.expect_string(&p.value)
                        && out.insert(key.to_string(), v).is_some()
                    {
                        self.diags.push(
                            Diagnostic::error(
                                codes::DUPLICATE_PROPERTY,
                                format!("`{key}` is set twice"),
                                p.key.span(),
                                "set again here",
                            )
                            .with_help("remove one of the two"),
                        );
                    }
                }
                Some(out)
            }
            _ => {
                self.diags
                    .push(mismatch(r, "a block such as `{ team = \"api\" }`"));
                None
            }
        }
    }

    /// A value of a param type: a literal of that format or `param.X` of
    /// that type, whose ARN (written here or given to the param) is in the
    /// environment's region.
    pub fn expect_value(&mut self, e: &'a Expr, ty: ParamType) -> Option<Value> {
        self.expect_value_reaching(e, ty, Reach::Region)
    }

    /// [`Cx::expect_value`] with the reach of the field it becomes: SNS
    /// subscriptions may be in another region of the partition.
    pub fn expect_value_reaching(
        &mut self,
        e: &'a Expr,
        ty: ParamType,
        reach: Reach,
    ) -> Option<Value> {
        let (v, at) = self.expect_value_unplaced(e, ty)?;
        self.check_place(&v, at, ty, reach).then_some(v)
    }

    /// A value of a param type and the AWS field it becomes: a literal or a
    /// param value known in this environment must also keep `row`.
    pub fn expect_field(
        &mut self,
        e: &'a Expr,
        ty: ParamType,
        row: &Row,
        what: &str,
    ) -> Option<Value> {
        let (v, at) = self.expect_value_unplaced(e, ty)?;
        let placed = self.check_place(&v, at, ty, Reach::Region);
        (placed && self.check_row(&v, at, row, what)).then_some(v)
    }

    /// A value of a param type and where it is written (after `env.X` and
    /// `match env`), its place not judged yet.
    fn expect_value_unplaced(&mut self, e: &'a Expr, ty: ParamType) -> Option<(Value, Span)> {
        let r = self.resolve(e)?;
        let v = self.value_of(r, ty)?;
        Some((v, r.span))
    }

    fn value_of(&mut self, r: &'a Expr, ty: ParamType) -> Option<Value> {
        match &r.kind {
            ExprKind::String { value } => match validate_literal(ty, value) {
                Ok(()) => Some(Value::Literal(value.clone())),
                Err(bad) => {
                    self.diags.push(
                        Diagnostic::error(
                            codes::BAD_VALUE,
                            bad.message(value),
                            r.span,
                            format!("expected {}", type_name(ty)),
                        )
                        .with_help(format!("write {}", bad.want)),
                    );
                    None
                }
            },
            ExprKind::Path { path } if path.segments.first().is_some_and(|s| s.name == "param") => {
                let (name, def) = self.param_ref(path)?;
                if def.list {
                    self.diags.push(
                        Diagnostic::error(
                            codes::TYPE_MISMATCH,
                            format!("expected one {}, found the list param `{name}`", type_name(ty)),
                            r.span,
                            format!("`{name}` is a list"),
                        )
                        .with_label(def.span, "declared here")
                        .with_help("pass a single value, or put the param in a list where a list is expected"),
                    );
                    return None;
                }
                if def.ty != ty && ty != ParamType::String {
                    self.diags.push(
                        Diagnostic::error(
                            codes::TYPE_MISMATCH,
                            format!(
                                "expected a {}, found param `{name}` of type `{}`",
                                type_name(ty),
                                type_name(def.ty)
                            ),
                            r.span,
                            format!("this is a {}", type_name(def.ty)),
                        )
                        .with_label(def.span, "declared here")
                        .with_help(format!(
                            "declare `param {name}: {}` or pass another param",
                            type_name(ty)
                        )),
                    );
                    return None;
                }
                Some(Value::Param(name))
            }
            _ => {
                self.diags.push(mismatch(
                    r,
                    &format!("a {} (a string or a param)", type_name(ty)),
                ));
                None
            }
        }
    }

    /// A list of values: a `list<T>` param, or `[...]` of values.
    pub fn expect_list_value(&mut self, e: &'a Expr, ty: ParamType) -> Option<ListValue> {
        let r = self.resolve(e)?;
        if let ExprKind::Path { path } = &r.kind
            && path.segments.first().is_some_and(|s| s.name == "param")
        {
            let (name, def) = self.param_ref(path)?;
            if def.list && def.ty == ty {
                let v = ListValue::Param(name);
                return self
                    .check_list_place(&v, r.span, ty, Reach::Region)
                    .then_some(v);
            }
            if !def.list {
                return self.expect_value(r, ty).map(|v| ListValue::Items(vec![v]));
            }
            self.diags.push(
                Diagnostic::error(
                    codes::TYPE_MISMATCH,
                    format!(
                        "expected a list of {}, found `list<{}>`",
                        type_name(ty),
                        type_name(def.ty)
                    ),
                    r.span,
                    "wrong element type",
                )
                .with_label(def.span, "declared here"),
            );
            return None;
        }
        let items = self.expect_list(r)?;
        let mut out = Vec::new();
        let mut ok = true;
        for it in items {
            match self.expect_value(it, ty) {
                Some(v) => out.push(v),
                None => ok = false,
            }
        }
        ok.then_some(ListValue::Items(out))
    }

    fn param_ref(&mut self, path: &ast::Path) -> Option<(String, super::ParamDef)> {
        if path.segments.len() != 2 {
            self.diags.push(
                Diagnostic::error(
                    codes::UNDEFINED,
                    format!("`{}` is not a param", path.dotted()),
                    path.span,
                    "expected `param.NAME`",
                )
                .with_help("params are referenced as `param.NAME`"),
            );
            return None;
        }
        let name = &path.segments[1].name;
        match self.decls.params.get(name) {
            Some(def) => Some((name.clone(), def.clone())),
            None => {
                let help =
                    suggest::did_you_mean(name, self.decls.params.keys().map(|s| s.as_str()))
                        .unwrap_or_else(|| format!("declare it: `param {name}: TYPE`"));
                self.diags.push(
                    Diagnostic::error(
                        codes::UNDEFINED,
                        format!("there is no param `{name}`"),
                        path.segments[1].span,
                        "not declared",
                    )
                    .with_help(help),
                );
                None
            }
        }
    }

    /// A metric reference: `ec2.cpu` or `alb.requests(param.lb)`.
    pub fn expect_metric(&mut self, e: &'a Expr) -> Option<(model::Metric, &'d MetricDef)> {
        let r = self.resolve(e)?;
        let (path, args): (&ast::Path, &[Expr]) = match &r.kind {
            ExprKind::Path { path } => (path, &[]),
            ExprKind::Call { path, args } => (path, args.as_slice()),
            _ => {
                self.diags.push(mismatch(r, "a metric such as `ec2.cpu`"));
                return None;
            }
        };
        let key = path.dotted();
        let decls = self.decls;
        let def = match decls.metrics.get(key.as_ref()) {
            Some(d) => d,
            None => {
                let help = metric_help(&key, decls.metrics.keys().map(|s| s.as_str()));
                self.diags.push(
                    Diagnostic::error(
                        codes::UNDEFINED,
                        format!("there is no metric `{key}`"),
                        path.span,
                        "unknown metric",
                    )
                    .with_help(help),
                );
                return None;
            }
        };
        if args.len() != def.params.len() {
            let sig: Vec<String> = def
                .params
                .iter()
                .map(|(n, t)| format!("{n}: {}", type_name(*t)))
                .collect();
            self.diags.push(
                Diagnostic::error(
                    codes::ARITY,
                    format!(
                        "metric `{key}` takes {} argument(s), found {}",
                        def.params.len(),
                        args.len()
                    ),
                    r.span,
                    "wrong number of arguments",
                )
                .with_label(def.span, "declared here")
                .with_help(if sig.is_empty() {
                    format!("write `{key}` without arguments")
                } else {
                    format!("write `{key}({})`", sig.join(", "))
                }),
            );
            return None;
        }
        let mut values = Vec::new();
        for (arg, (_, ty)) in args.iter().zip(&def.params) {
            // Arguments become dimension values (ARNs, their resource part).
            values.push(self.expect_field(
                arg,
                *ty,
                &super::constraints::ALARM_DIMENSION_VALUE,
                "a metric dimension's value",
            ));
        }
        let values: Vec<Value> = values.into_iter().collect::<Option<_>>()?;
        if def.tracking_only && !self.tracking {
            self.diags.push(
                Diagnostic::error(
                    codes::SCALABLE_METRIC,
                    format!("`{}` is target tracking's predefined metric: CloudWatch publishes no metric by that name", def.key),
                    r.span,
                    "only for target tracking",
                )
                .with_label(def.span, "declared here")
                .with_help("track it with a `target_tracking` policy; alarm on a metric CloudWatch publishes"),
            );
            return None;
        }
        let dimensions = self.metric_dimensions(def, &values, r.span)?;
        let predefined = def.predefined.as_ref().map(|kind| {
            let lb = def
                .params
                .iter()
                .position(|(_, t)| *t == ParamType::LoadBalancerArn);
            let tg = def
                .params
                .iter()
                .position(|(_, t)| *t == ParamType::TargetGroupArn);
            model::Predefined {
                kind: kind.clone(),
                resource_label: match (lb, tg) {
                    (Some(l), Some(t)) => Some((values[l].clone(), values[t].clone())),
                    _ => None,
                },
            }
        });
        Some((
            model::Metric {
                key: key.into_owned(),
                namespace: def.namespace.clone(),
                name: def.name.clone(),
                dimensions,
                unit: def.unit,
                statistic: def.statistic,
                predefined,
            },
            def,
        ))
    }

    /// A metric's dimensions bound: its arguments, the group's name, or
    /// the scalable target's resource id parts (`target.cluster`). A
    /// group's metric read on a scalable target, a target's read on a
    /// group, or a predefined metric the target's namespace doesn't track
    /// is `scale::scalable::metric`.
    fn metric_dimensions(
        &mut self,
        def: &MetricDef,
        values: &[Value],
        at: Span,
    ) -> Option<Vec<(String, model::DimensionValue)>> {
        let wrong = |what: String, help: String| {
            Diagnostic::error(
                codes::SCALABLE_METRIC,
                what,
                at,
                "reads another kind of resource",
            )
            .with_label(def.span, "declared here")
            .with_help(help)
        };
        if let (Some(t), Some(p)) = (&self.scalable, &def.predefined)
            && !t.kind.tracks(p, t.dimension)
        {
            let d = if t.kind.predefined.contains(&p.as_str()) {
                wrong(
                    format!("`{}` is the utilization of the other capacity: this target scales `{}`", def.key, t.dimension),
                    "track read utilization on read capacity and write utilization on write capacity".into(),
                )
            } else {
                wrong(
                    format!("`{}` is not a metric of {}", def.key, t.kind.what),
                    format!(
                        "{} tracks {}",
                        t.kind.what,
                        crate::suggest::quoted_list(t.kind.predefined.iter().copied())
                    ),
                )
            };
            self.diags.push(d);
            return None;
        }
        let mut out = Vec::with_capacity(def.dimensions.len());
        for (name, src) in &def.dimensions {
            let v = match src {
                DimSource::GroupName if self.scalable.is_some() => {
                    let what = self.scalable.as_ref().map_or("", |t| t.kind.what);
                    let d = wrong(
                        format!("`{}` reads an EC2 Auto Scaling group, not {what}", def.key),
                        "use a metric of the target's own namespace, e.g. `ecs.cpu` for an ECS service".into(),
                    );
                    self.diags.push(d);
                    return None;
                }
                DimSource::GroupName => model::DimensionValue::GroupName,
                DimSource::Target(part) => {
                    let found = self
                        .scalable
                        .as_ref()
                        .and_then(|t| t.parts.iter().find(|(k, _)| k == part));
                    match found {
                        Some((_, v)) => model::DimensionValue::Plain(v.clone()),
                        None => {
                            let d = wrong(
                                format!("`{}` reads `target.{part}`, which this has not", def.key),
                                "a scalable target's metric belongs in that target's policies and alarms (`service NAME ecs { ... }`)".into(),
                            );
                            self.diags.push(d);
                            return None;
                        }
                    }
                }
                DimSource::Literal(s) => model::DimensionValue::Plain(Value::Literal(s.clone())),
                DimSource::Arg(i) => {
                    let v = values[*i].clone();
                    match def.params[*i].1 {
                        ParamType::LoadBalancerArn => model::DimensionValue::LoadBalancer(v),
                        ParamType::TargetGroupArn => model::DimensionValue::TargetGroup(v),
                        _ => model::DimensionValue::Plain(v),
                    }
                }
            };
            out.push((name.clone(), v));
        }
        Some(out)
    }

    /// The left side of a condition: a metric, a statistic of one
    /// (`maximum(ec2.cpu)`), or metric math (`abs(diff(group.desired))`).
    pub fn expect_metric_expr(&mut self, e: &'a Expr) -> Option<(MExpr, Unit)> {
        let r = self.resolve(e)?;
        match &r.kind {
            ExprKind::Call { path, args } if path.segments.len() == 1 => {
                let f = path.segments[0].name.as_str();
                // CloudWatch's FILL takes what to fill with: a value,
                // REPEAT or LINEAR.
                if f == "fill" {
                    return self.fill(r, args);
                }
                if args.len() != 1 {
                    self.diags.push(
                        Diagnostic::error(
                            codes::ARITY,
                            format!("`{f}` takes one argument"),
                            r.span,
                            "wrong number of arguments",
                        )
                        .with_help(format!("write `{f}(metric)`")),
                    );
                    return None;
                }
                if let Some((_, stat)) = STATISTICS.iter().find(|(n, _)| *n == f) {
                    let (mut m, unit) = self.expect_metric_expr(&args[0])?;
                    if let MExpr::Metric(metric, _) = &mut m {
                        metric.statistic = *stat;
                        return Some((m, unit));
                    }
                    self.diags.push(
                        mismatch(&args[0], "a metric")
                            .with_help(format!("`{f}(...)` picks the statistic of one metric")),
                    );
                    return None;
                }
                if let Some((_, cw)) = MATH_FUNCS.iter().find(|(n, _)| *n == f) {
                    let (inner, unit) = self.expect_metric_expr(&args[0])?;
                    return Some((
                        MExpr::Func(cw, Box::new(inner), None),
                        if f == "rate" { Unit::Count } else { unit },
                    ));
                }
                let mut options: Vec<&str> = STATISTICS.iter().map(|(n, _)| *n).collect();
                options.extend(MATH_FUNCS.iter().map(|(n, _)| *n));
                self.diags.push(unknown_variant(
                    f,
                    path.span,
                    "function",
                    options.into_iter(),
                ));
                None
            }
            ExprKind::Path { .. } | ExprKind::Call { .. } => {
                let (m, _) = self.expect_metric(r)?;
                let unit = m.unit;
                Some((MExpr::Metric(m, r.span), unit))
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let (l, lu) = self.expect_metric_expr(lhs)?;
                match op {
                    ast::BinOp::Add | ast::BinOp::Sub => {
                        let (rr, ru) = self.expect_metric_expr(rhs)?;
                        if lu != ru {
                            self.diags.push(
                                Diagnostic::error(
                                    codes::UNIT_MISMATCH,
                                    format!(
                                        "can't add or subtract a {} and a {}",
                                        units::name(lu),
                                        units::name(ru)
                                    ),
                                    r.span,
                                    "units differ",
                                )
                                .with_help("combine metrics of the same unit"),
                            );
                            return None;
                        }
                        Some((MExpr::Bin(*op, Box::new(l), Box::new(rr)), lu))
                    }
                    _ => match &rhs.kind {
                        ExprKind::Number { value } => Some((
                            MExpr::Bin(*op, Box::new(l), Box::new(MExpr::Const(*value))),
                            lu,
                        )),
                        _ => {
                            let (rr, _) = self.expect_metric_expr(rhs)?;
                            Some((
                                MExpr::Bin(*op, Box::new(l), Box::new(rr)),
                                if *op == ast::BinOp::Div {
                                    Unit::Count
                                } else {
                                    lu
                                },
                            ))
                        }
                    },
                }
            }
            ExprKind::Number { value } => Some((MExpr::Const(*value), Unit::Count)),
            _ => {
                self.diags.push(mismatch(r, "a metric such as `ec2.cpu`"));
                None
            }
        }
    }

    /// `fill(metric, 0)`, `fill(metric, repeat)`, `fill(metric, linear)`:
    /// CloudWatch's FILL, which needs what to fill gaps with.
    fn fill(&mut self, call: &'a Expr, args: &'a [Expr]) -> Option<(MExpr, Unit)> {
        let [metric, with] = args else {
            self.diags.push(
                Diagnostic::error(
                    codes::ARITY,
                    format!("`fill` takes two arguments, found {}", args.len()),
                    call.span,
                    "wrong number of arguments",
                )
                .with_help("write `fill(metric, 0)` (a value), `fill(metric, repeat)` (the last value) or `fill(metric, linear)` (interpolated)"),
            );
            return None;
        };
        let (inner, unit) = self.expect_metric_expr(metric)?;
        let with = match &with.kind {
            ExprKind::Number { value } if value.is_finite() => format!("{value}"),
            ExprKind::Path { path } if path.segments.len() == 1 => {
                let w = path.segments[0].name.as_str();
                match FILL_WORDS.iter().find(|(n, _)| *n == w) {
                    Some((_, cw)) => cw.to_string(),
                    None => {
                        self.diags.push(unknown_variant(
                            w,
                            with.span,
                            "way to fill",
                            FILL_WORDS.iter().map(|(n, _)| *n),
                        ));
                        return None;
                    }
                }
            }
            _ => {
                self.diags.push(
                    mismatch(with, "a number, `repeat` or `linear`")
                        .with_help("`fill(metric, 0)` fills gaps with 0; `repeat` with the last value; `linear` by interpolation"),
                );
                return None;
            }
        };
        Some((MExpr::Func("FILL", Box::new(inner), Some(with)), unit))
    }
}

/// A metric expression in the spec's words, metrics by name:
/// `sqs.visible / group.in_service`.
pub(crate) fn describe_math(m: &MExpr) -> String {
    match m {
        MExpr::Metric(metric, _) => metric.key.clone(),
        MExpr::Func(f, inner, None) => {
            format!("{}({})", f.to_ascii_lowercase(), describe_math(inner))
        }
        MExpr::Func(f, inner, Some(with)) => format!(
            "{}({}, {})",
            f.to_ascii_lowercase(),
            describe_math(inner),
            with.to_ascii_lowercase()
        ),
        MExpr::Bin(op, l, r) => {
            let sym = match op {
                ast::BinOp::Add => "+",
                ast::BinOp::Sub => "-",
                ast::BinOp::Mul => "*",
                ast::BinOp::Div => "/",
            };
            format!("{} {sym} {}", describe_math(l), describe_math(r))
        }
        MExpr::Const(v) => format!("{v}"),
    }
}

/// Turns a metric expression into a CloudWatch query.
pub(crate) fn to_query(m: MExpr) -> model::MetricQuery {
    match m {
        MExpr::Metric(metric, _) => model::MetricQuery::Single { metric },
        other => {
            let mut metrics: Vec<(String, model::Metric)> = Vec::new();
            let mut expression = String::new();
            render_math(&other, &mut metrics, &mut expression);
            model::MetricQuery::Math {
                expression,
                metrics,
            }
        }
    }
}

/// Writes `m` as CloudWatch metric math into `out`, each metric as an id
/// (`m1`, ...) added to `metrics` the first time it is met.
fn render_math(m: &MExpr, metrics: &mut Vec<(String, model::Metric)>, out: &mut String) {
    use std::fmt::Write;
    match m {
        MExpr::Metric(metric, _) => match metrics.iter().find(|(_, x)| x == metric) {
            Some((id, _)) => out.push_str(id),
            None => {
                let id = format!("m{}", metrics.len() + 1);
                out.push_str(&id);
                metrics.push((id, metric.clone()));
            }
        },
        MExpr::Func(f, inner, with) => {
            out.push_str(f);
            out.push('(');
            render_math(inner, metrics, out);
            if let Some(w) = with {
                out.push_str(", ");
                out.push_str(w);
            }
            out.push(')');
        }
        MExpr::Bin(op, l, r) => {
            let sym = match op {
                ast::BinOp::Add => " + ",
                ast::BinOp::Sub => " - ",
                ast::BinOp::Mul => " * ",
                ast::BinOp::Div => " / ",
            };
            out.push('(');
            render_math(l, metrics, out);
            out.push_str(sym);
            render_math(r, metrics, out);
            out.push(')');
        }
        // Writing to a `String` can't fail.
        MExpr::Const(v) => {
            let _ = write!(out, "{v}");
        }
    }
}
