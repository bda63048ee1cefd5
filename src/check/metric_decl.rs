//! Metric declarations (`metric ec2.cpu { ... }`, mostly the std-lib's):
//! validated once, without an environment, into [`MetricDef`]s, with
//! CloudWatch's rules on namespaces, metric and dimension names.

use super::error as codes;
use super::eval::{Props, by_key, mismatch, param_type, unknown_variant};
use super::{DimSource, MetricDef};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Statistic, Unit};
use crate::source::Span;
use crate::syntax::ast::{self, ExprKind};

pub(crate) const METRIC_KEYS: &[&str] = &[
    "namespace",
    "name",
    "unit",
    "statistic",
    "dimensions",
    "predefined",
    "trackable",
    "instead",
    "agent",
    "group_metric",
    "tracking_only",
    "description",
];

pub(crate) const METRIC_UNITS: &[(&str, Unit)] = &[
    ("percent", Unit::Percent),
    ("duration", Unit::Seconds),
    ("count", Unit::Count),
    ("rate", Unit::PerMinute),
    ("bytes", Unit::Bytes),
];

pub(crate) const STATISTICS: &[(&str, Statistic)] = &[
    ("average", Statistic::Average),
    ("sum", Statistic::Sum),
    ("minimum", Statistic::Minimum),
    ("maximum", Statistic::Maximum),
    ("sample_count", Statistic::SampleCount),
];

const PREDEFINED: &[&str] = &[
    "ASGAverageCPUUtilization",
    "ASGAverageNetworkIn",
    "ASGAverageNetworkOut",
    "ALBRequestCountPerTarget",
];

/// Validates a metric declaration. Metric declarations need no environment.
pub(crate) fn metric_def(m: &ast::MetricDecl, diags: &mut Diagnostics) -> Option<MetricDef> {
    let params = metric_params(m, diags)?;
    let props = by_key(
        &m.body.properties,
        METRIC_KEYS,
        &[],
        "a metric declaration",
        diags,
    );
    let namespace = text(&props, "namespace", diags);
    let name = text(&props, "name", diags);
    if namespace.is_none() && !props.contains_key("namespace") {
        missing(m, "namespace", diags);
    }
    if name.is_none() && !props.contains_key("name") {
        missing(m, "name", diags);
    }
    let unit = metric_unit(m, &props, diags);
    let statistic = metric_statistic(&props, diags);
    let predefined = text(&props, "predefined", diags);
    if let (Some(p), Some(prop)) = (&predefined, props.get("predefined"))
        && !PREDEFINED.contains(&p.as_str())
        && !crate::kinds::scalable::all_predefined().any(|x| x == p)
    {
        let mut known: Vec<&str> = PREDEFINED.to_vec();
        known.extend(crate::kinds::scalable::all_predefined().filter(|x| !PREDEFINED.contains(x)));
        diags.push(unknown_variant(
            p,
            prop.value.span,
            "predefined metric type",
            known.into_iter(),
        ));
    }
    let dimensions = match props.get("dimensions") {
        Some(p) => metric_dimensions(p, &params, diags),
        None => Vec::new(),
    };
    let names = (namespace.as_deref(), name.as_deref());
    if !cloudwatch_accepts(m, &props, names, &dimensions, diags) {
        return None;
    }
    Some(MetricDef {
        key: m.name.dotted().into_owned(),
        params,
        namespace: namespace?,
        name: name?,
        unit: unit?,
        statistic: statistic?,
        dimensions,
        predefined,
        trackable: flag(&props, "trackable", diags).unwrap_or(true),
        instead: text(&props, "instead", diags),
        agent: flag(&props, "agent", diags).unwrap_or(false),
        group_metric: flag(&props, "group_metric", diags).unwrap_or(false),
        tracking_only: flag(&props, "tracking_only", diags).unwrap_or(false),
        span: m.name.span,
    })
}

/// The metric's parameters, one value each (a list is an error).
fn metric_params(
    m: &ast::MetricDecl,
    diags: &mut Diagnostics,
) -> Option<Vec<(String, crate::model::ParamType)>> {
    let mut params = Vec::new();
    for (name, ty) in &m.params {
        let (t, list) = param_type(ty, diags)?;
        if list {
            diags.push(Diagnostic::error(
                codes::METRIC_DECL,
                "a metric parameter can't be a list",
                ty.span,
                "one value per dimension",
            )
            .with_help("declare one parameter per dimension value, e.g. `target_group: target_group_arn`"));
            return None;
        }
        params.push((name.name.clone(), t));
    }
    Some(params)
}

/// The string property `key`, if given (anything else is an error).
fn text(props: &Props, key: &str, diags: &mut Diagnostics) -> Option<String> {
    match props.get(key) {
        Some(p) => match &p.value.kind {
            ExprKind::String { value } => Some(value.clone()),
            _ => {
                diags.push(mismatch(&p.value, "a string"));
                None
            }
        },
        None => None,
    }
}

/// The one-word property `key` and where it is, if given.
fn word(props: &Props, key: &str, diags: &mut Diagnostics) -> Option<(String, Span)> {
    let p = props.get(key)?;
    match &p.value.kind {
        ExprKind::Path { path } if path.segments.len() == 1 => {
            Some((path.dotted().into_owned(), p.value.span))
        }
        _ => {
            diags.push(mismatch(&p.value, "a word"));
            None
        }
    }
}

/// The `true` or `false` property `key`, if given.
fn flag(props: &Props, key: &str, diags: &mut Diagnostics) -> Option<bool> {
    let p = props.get(key)?;
    match &p.value.kind {
        ExprKind::Bool { value } => Some(*value),
        _ => {
            diags.push(mismatch(&p.value, "`true` or `false`"));
            None
        }
    }
}

/// Reports a property every metric declaration needs.
fn missing(m: &ast::MetricDecl, key: &str, diags: &mut Diagnostics) {
    diags.push(
        Diagnostic::error(
            codes::MISSING_PROPERTY,
            format!("metric `{}` has no `{key}`", m.name.dotted()),
            m.name.span,
            format!("needs `{key}`"),
        )
        .with_help("a metric declaration needs `namespace`, `name`, `unit` and `statistic`"),
    );
}

/// The metric's `unit`, one of [`METRIC_UNITS`].
fn metric_unit(m: &ast::MetricDecl, props: &Props, diags: &mut Diagnostics) -> Option<Unit> {
    match word(props, "unit", diags) {
        Some((u, span)) => match METRIC_UNITS.iter().find(|(n, _)| *n == u) {
            Some((_, unit)) => Some(*unit),
            None => {
                diags.push(unknown_variant(
                    &u,
                    span,
                    "metric unit",
                    METRIC_UNITS.iter().map(|(n, _)| *n),
                ));
                None
            }
        },
        None => {
            if !props.contains_key("unit") {
                missing(m, "unit", diags);
            }
            None
        }
    }
}

/// The metric's `statistic`, one of [`STATISTICS`]; the average unless
/// said.
fn metric_statistic(props: &Props, diags: &mut Diagnostics) -> Option<Statistic> {
    match word(props, "statistic", diags) {
        Some((s, span)) => match STATISTICS.iter().find(|(n, _)| *n == s) {
            Some((_, st)) => Some(*st),
            None => {
                diags.push(unknown_variant(
                    &s,
                    span,
                    "statistic",
                    STATISTICS.iter().map(|(n, _)| *n),
                ));
                None
            }
        },
        None => Some(Statistic::Average),
    }
}

/// The metric's `dimensions` block: each dimension's name and where its
/// value comes from.
fn metric_dimensions(
    p: &ast::Property,
    params: &[(String, crate::model::ParamType)],
    diags: &mut Diagnostics,
) -> Vec<(String, DimSource)> {
    let mut dimensions = Vec::new();
    match &p.value.kind {
        ExprKind::Object { block } => {
            for d in &block.properties {
                if let Some(src) = dimension_source(d, params, diags) {
                    dimensions.push((d.key.text().into_owned(), src));
                }
            }
        }
        _ => diags.push(mismatch(
            &p.value,
            "a block of dimensions `{ Name = value }`",
        )),
    }
    dimensions
}

/// Where a dimension's value comes from: the group's name, a part of a
/// scalable target's resource id, a parameter of the metric, or a string.
fn dimension_source(
    d: &ast::Property,
    params: &[(String, crate::model::ParamType)],
    diags: &mut Diagnostics,
) -> Option<DimSource> {
    let src = match &d.value.kind {
        ExprKind::Path { path } if path.dotted() == "group.name" => DimSource::GroupName,
        ExprKind::Path { path }
            if path.segments.len() == 2 && path.segments[0].name == "target" =>
        {
            DimSource::Target(path.segments[1].name.clone())
        }
        ExprKind::Path { path } if path.segments.len() == 1 => {
            match params.iter().position(|(n, _)| *n == path.segments[0].name) {
                Some(i) => DimSource::Arg(i),
                None => {
                    diags.push(
                        Diagnostic::error(
                            codes::UNDEFINED,
                            format!("`{}` is not a parameter of this metric", path.dotted()),
                            d.value.span,
                            "not a parameter",
                        )
                        .with_help(
                            "a dimension is `group.name`, `target.PART` (a scalable target's resource id part), a parameter of the metric, or a string",
                        ),
                    );
                    return None;
                }
            }
        }
        ExprKind::String { value } => DimSource::Literal(value.clone()),
        _ => {
            diags.push(mismatch(
                &d.value,
                "`group.name`, a metric parameter or a string",
            ));
            return None;
        }
    };
    Some(src)
}

/// Whether CloudWatch takes what the alarms and policies will name: the
/// namespace, the metric's name, and the dimensions' count, names and
/// literal values (each one it refuses reported).
fn cloudwatch_accepts(
    m: &ast::MetricDecl,
    props: &Props,
    (namespace, name): (Option<&str>, Option<&str>),
    dimensions: &[(String, DimSource)],
    diags: &mut Diagnostics,
) -> bool {
    use super::constraints::{self as c, Shape};
    let mut rules_ok = true;
    let mut bad = |span: Span, message: String, help: &str, diags: &mut Diagnostics| {
        rules_ok = false;
        diags.push(
            Diagnostic::error(
                codes::METRIC_DECL,
                message,
                span,
                "not accepted by CloudWatch",
            )
            .with_help(help.to_string()),
        );
    };
    let value_span = |key: &str| props.get(key).map_or(m.name.span, |p| p.value.span);
    if let Some(ns) = namespace
        && (ns.chars().count() > c::ALARM_NAMESPACE.max_chars() || !Shape::Namespace.accepts(ns))
    {
        bad(
            value_span("namespace"),
            format!("`{ns}` is not a CloudWatch namespace"),
            "a namespace is 1-255 ASCII letters, digits and `.-_/#: `, not blank and not starting with `:`",
            diags,
        );
    }
    if let Some(n) = name
        && (n.chars().count() > c::ALARM_METRIC.max_chars() || !Shape::MetricName.accepts(n))
    {
        bad(
            value_span("name"),
            format!("`{n}` is not a CloudWatch metric name"),
            "a metric name is 1-255 ASCII characters, not blank and not starting with `:`",
            diags,
        );
    }
    if dimensions.len() > c::ALARM_DIMENSIONS.max_items() {
        bad(
            value_span("dimensions"),
            format!(
                "{} dimensions; CloudWatch takes at most {}",
                dimensions.len(),
                c::ALARM_DIMENSIONS.max_items()
            ),
            "metrics are published with at most 30 dimensions",
            diags,
        );
    }
    for (dim, src) in dimensions {
        if dim.chars().count() > c::ALARM_DIMENSION_NAME.max_chars()
            || !Shape::MetricName.accepts(dim)
        {
            bad(
                value_span("dimensions"),
                format!("`{dim}` is not a CloudWatch dimension name"),
                "a dimension name is 1-255 ASCII characters, not blank and not starting with `:`",
                diags,
            );
        }
        if let DimSource::Literal(v) = src
            && (v.is_empty() || v.chars().count() > c::ALARM_DIMENSION_VALUE.max_chars())
        {
            bad(
                value_span("dimensions"),
                format!(
                    "the value of dimension `{dim}` is {} characters; CloudWatch takes 1 to 1024",
                    v.chars().count()
                ),
                "give the dimension the value the metric is published with",
                diags,
            );
        }
    }
    rules_ok
}
