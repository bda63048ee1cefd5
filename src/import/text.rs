//! How import writes values: names in snake case, string literals,
//! numbers, durations and quantities in the metric's unit, comparison and
//! adjustment words.

use crate::model::{Statistic, Unit};
use serde_json::Value as Json;

/// `LoadBalancerArn` -> `load_balancer_arn`.
pub(super) fn snake(s: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev_lower =
                i > 0 && (chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if i > 0 && (prev_lower || (next_lower && chars[i - 1].is_ascii_uppercase())) {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            out.push(*c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_matches('_').to_string();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("x{out}")
    } else {
        out
    }
}

/// A spec string literal.
pub(super) fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A number as the spec writes it: no trailing `.0`.
pub(super) fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        // Whole and well inside i64: the conversion is exact.
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

pub(super) fn as_f64(v: &Json) -> Option<f64> {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

pub(super) fn as_u32(v: &Json) -> Option<u32> {
    as_f64(v)
        .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= f64::from(u32::MAX))
        // Whole and in range: exact.
        .map(|f| f as u32)
}

/// A duration in the largest unit that keeps it whole.
pub(super) fn duration(secs: f64) -> String {
    if secs >= 3600.0 && (secs / 3600.0).fract() == 0.0 {
        format!("{}h", num(secs / 3600.0))
    } else if secs >= 60.0 && (secs / 60.0).fract() == 0.0 {
        format!("{}m", num(secs / 60.0))
    } else {
        format!("{}s", num(secs))
    }
}

/// A value of `unit`; rates read per `factor` minutes back to per minute.
pub(super) fn quantity(v: f64, unit: Unit, factor: f64) -> String {
    match unit {
        Unit::Percent => format!("{}%", num(v)),
        Unit::Seconds => duration(v),
        Unit::PerMinute => format!("{}/min", num(v / factor)),
        Unit::Bytes => format!("{}B", num(v)),
        Unit::Count => num(v),
    }
}

pub(super) fn statistic_word(s: &str) -> Option<(&'static str, Statistic)> {
    Some(match s {
        "Average" => ("average", Statistic::Average),
        "Sum" => ("sum", Statistic::Sum),
        "Minimum" => ("minimum", Statistic::Minimum),
        "Maximum" => ("maximum", Statistic::Maximum),
        "SampleCount" => ("sample_count", Statistic::SampleCount),
        _ => return None,
    })
}

/// A tag key as a record key: bare when it is an identifier.
pub(super) fn tag_key(k: &str) -> String {
    if k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && k.starts_with(|c: char| c.is_ascii_alphabetic())
    {
        k.to_string()
    } else {
        quote(k)
    }
}

pub(super) fn comparison(op: &str) -> Option<&'static str> {
    Some(match op {
        "GreaterThanThreshold" => ">",
        "GreaterThanOrEqualToThreshold" => ">=",
        "LessThanThreshold" => "<",
        "LessThanOrEqualToThreshold" => "<=",
        _ => return None,
    })
}

/// `+1`, `-20%`, `exactly 30`.
pub(super) fn adjustment(kind: &str, v: i64) -> String {
    match kind {
        "ExactCapacity" => format!("exactly {v}"),
        "PercentChangeInCapacity" => format!("{v:+}%"),
        _ => format!("{v:+}"),
    }
}

#[cfg(test)]
mod tests {
    use super::snake;

    #[test]
    fn snake_case_of_logical_ids() {
        assert_eq!(snake("LoadBalancerArn"), "load_balancer_arn");
        assert_eq!(snake("ASGCpuPolicy"), "asg_cpu_policy");
        assert_eq!(snake("Web"), "web");
        assert_eq!(snake("cpu_surge"), "cpu_surge");
        assert_eq!(snake("9Lives"), "x9_lives");
    }
}
