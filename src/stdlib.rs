//! The standard library: `.scale` files embedded in the binary.
//!
//! They are parsed and checked with every spec, under pseudo-paths such as
//! `<std-lib/metrics.scale>`, so diagnostics that point into them show
//! which std-lib line is involved.

/// Pseudo-path and text of each std-lib file.
pub const FILES: &[(&str, &str)] = &[
    (
        "<std-lib/metrics.scale>",
        include_str!("../std-lib/metrics.scale"),
    ),
    (
        "<std-lib/presets.scale>",
        include_str!("../std-lib/presets.scale"),
    ),
];

/// What the std-lib offers, for `scalec std` and did-you-mean: every
/// metric with its unit and dimensions, every preset with its values.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Catalog {
    /// The metrics, in declaration order.
    pub metrics: Vec<MetricInfo>,
    /// The presets, in declaration order.
    pub presets: Vec<PresetInfo>,
}

/// One std-lib metric.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MetricInfo {
    /// `alb.requests_per_target`.
    pub name: String,
    /// Its arguments: name and type (`load_balancer: load_balancer_arn`).
    pub params: Vec<(String, String)>,
    /// `percentage`, `duration`, `rate`, ...
    pub unit: &'static str,
    /// `average`, `sum`, ...
    pub statistic: &'static str,
    /// CloudWatch's namespace and name.
    pub namespace: String,
    /// CloudWatch's metric name.
    pub metric_name: String,
    /// Dimension name and where its value comes from (`group.name`, an
    /// argument's name, or a literal).
    pub dimensions: Vec<(String, String)>,
    /// Whether target tracking can follow it.
    pub trackable: bool,
    /// What to use instead, when it can't.
    pub instead: Option<String>,
    /// The `///` doc.
    pub doc: String,
}

impl MetricInfo {
    /// `alb.requests(load_balancer: load_balancer_arn)`, as it is called.
    pub fn signature(&self) -> String {
        if self.params.is_empty() {
            return self.name.clone();
        }
        let args: Vec<String> = self
            .params
            .iter()
            .map(|(n, t)| format!("{n}: {t}"))
            .collect();
        format!("{}({})", self.name, args.join(", "))
    }
}

/// One std-lib preset.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PresetInfo {
    /// `std.production`.
    pub name: String,
    /// Its values as written: `capacity` -> `2..10`.
    pub values: Vec<(String, String)>,
    /// The `///` doc.
    pub doc: String,
}

/// The std-lib's metrics and presets.
pub fn catalog() -> Catalog {
    use crate::syntax::ast::Item;
    let mut sources = crate::source::SourceMap::new();
    let mut presets = Vec::new();
    let mut docs = std::collections::BTreeMap::new();
    for (name, text) in FILES {
        let id = sources.add(*name, *text, true);
        let (file, _) = crate::syntax::source_to_ast(&sources, id);
        for item in &file.items {
            match item {
                Item::Preset(p) => presets.push(PresetInfo {
                    name: format!("std.{}", p.name.name),
                    values: p
                        .body
                        .properties
                        .iter()
                        .map(|prop| {
                            (
                                prop.key.text().into_owned(),
                                sources.slice(prop.value.span).to_string(),
                            )
                        })
                        .collect(),
                    doc: crate::syntax::doc_before(text, p.span.start as usize).unwrap_or_default(),
                }),
                Item::Metric(m) => {
                    docs.insert(
                        m.name.dotted().into_owned(),
                        crate::syntax::doc_before(text, m.span.start as usize).unwrap_or_default(),
                    );
                }
                _ => {}
            }
        }
    }
    let metrics = crate::check::std_metric_defs()
        .into_iter()
        .map(|d| MetricInfo {
            doc: docs.get(&d.key).cloned().unwrap_or_default(),
            params: d
                .params
                .iter()
                .map(|(n, t)| (n.clone(), t.name().to_string()))
                .collect(),
            unit: crate::model::units::name(d.unit),
            statistic: crate::check::statistic_name(d.statistic),
            dimensions: d
                .dimensions
                .iter()
                .map(|(n, src)| (n.clone(), src.text(&d.params)))
                .collect(),
            namespace: d.namespace.clone(),
            metric_name: d.name.clone(),
            trackable: d.trackable,
            instead: d.instead.clone(),
            name: d.key,
        })
        .collect();
    Catalog { metrics, presets }
}
