//! `scalec std`: what the std-lib offers, its metrics (with units,
//! arguments and dimensions) and presets (with their values).

use super::output::{self, Format};

/// List the std-lib's metrics and presets.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  scalec std\n  scalec std metrics\n  scalec std presets --format json\n\nA metric is used as `metric = ec2.cpu` or `alb.response_time(param.load_balancer)`; a preset as `environment production extends std.production { ... }`."
)]
pub struct StdCommand {
    /// Only metrics, or only presets.
    #[arg(value_enum)]
    part: Option<Part>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Part {
    Metrics,
    Presets,
}

impl StdCommand {
    pub fn run(self) -> i32 {
        let mut catalog = scalec::stdlib::catalog();
        match self.part {
            Some(Part::Metrics) => catalog.presets.clear(),
            Some(Part::Presets) => catalog.metrics.clear(),
            None => {}
        }
        match self.format {
            Format::Json => output::print_json(&serde_json::json!(catalog)),
            Format::Human => super::print_stdout(render(&catalog).trim_end()),
        }
        0
    }
}

/// The catalog for people: a metric or preset a paragraph.
fn render(c: &scalec::stdlib::Catalog) -> String {
    let mut out = String::new();
    if !c.metrics.is_empty() {
        out.push_str("Metrics (`metric = NAME`):\n\n");
        for m in &c.metrics {
            out.push_str(&format!("  {}\n", m.signature()));
            let dims: Vec<String> = m
                .dimensions
                .iter()
                .map(|(n, v)| format!("{n} = {v}"))
                .collect();
            out.push_str(&format!(
                "      {} ({}), CloudWatch {} {}{}\n",
                m.unit,
                m.statistic,
                m.namespace,
                m.metric_name,
                if dims.is_empty() {
                    String::new()
                } else {
                    format!(" by {}", dims.join(", "))
                }
            ));
            if !m.trackable {
                out.push_str(&format!(
                    "      not for target tracking{}\n",
                    m.instead
                        .as_ref()
                        .map(|i| format!(": use `{i}`"))
                        .unwrap_or_default()
                ));
            }
            for line in m.doc.lines() {
                out.push_str(&format!("      {line}\n"));
            }
            out.push('\n');
        }
    }
    if !c.presets.is_empty() {
        out.push_str("Presets (`environment NAME extends PRESET { ... }`):\n\n");
        for p in &c.presets {
            out.push_str(&format!("  {}\n", p.name));
            for line in p.doc.lines() {
                out.push_str(&format!("      {line}\n"));
            }
            for (k, v) in &p.values {
                out.push_str(&format!("      {k} = {v}\n"));
            }
            out.push('\n');
        }
    }
    out
}
