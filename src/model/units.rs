//! Units: the suffixes of quantity literals and what they convert to.
//!
//! Canonical units are those of [`crate::model::Unit`]: whole percent,
//! seconds, counts, events per minute and bytes.

use crate::model::Unit;

/// Known unit suffixes: text, canonical unit, factor to canonical.
pub const UNITS: &[(&str, Unit, f64)] = &[
    ("%", Unit::Percent, 1.0),
    ("ms", Unit::Seconds, 0.001),
    ("s", Unit::Seconds, 1.0),
    ("m", Unit::Seconds, 60.0),
    ("h", Unit::Seconds, 3600.0),
    ("d", Unit::Seconds, 86400.0),
    ("/s", Unit::PerMinute, 60.0),
    ("/min", Unit::PerMinute, 1.0),
    ("/h", Unit::PerMinute, 1.0 / 60.0),
    ("B", Unit::Bytes, 1.0),
    ("KB", Unit::Bytes, 1e3),
    ("MB", Unit::Bytes, 1e6),
    ("GB", Unit::Bytes, 1e9),
    ("TB", Unit::Bytes, 1e12),
    ("KiB", Unit::Bytes, 1024.0),
    ("MiB", Unit::Bytes, 1024.0 * 1024.0),
    ("GiB", Unit::Bytes, 1024.0 * 1024.0 * 1024.0),
    ("TiB", Unit::Bytes, 1024.0 * 1024.0 * 1024.0 * 1024.0),
];

/// The canonical unit and factor of a suffix.
pub fn parse_unit(text: &str) -> Option<(Unit, f64)> {
    UNITS
        .iter()
        .find(|(t, _, _)| *t == text)
        .map(|(_, u, f)| (*u, *f))
}

/// A likely intended suffix for an unknown one (`min` -> `m`).
pub fn suggest_unit(text: &str) -> Option<&'static str> {
    let known = match text {
        "min" | "mins" | "minute" | "minutes" => Some("m"),
        "sec" | "secs" | "second" | "seconds" => Some("s"),
        "hr" | "hrs" | "hour" | "hours" => Some("h"),
        "day" | "days" => Some("d"),
        "/m" | "/minute" | "/mins" => Some("/min"),
        "/sec" | "/second" => Some("/s"),
        "/hour" | "/hr" => Some("/h"),
        "kb" | "k" => Some("KB"),
        "mb" => Some("MB"),
        "gb" => Some("GB"),
        _ => None,
    };
    known.or_else(|| crate::suggest::closest(text, UNITS.iter().map(|(t, _, _)| *t)))
}

/// How a unit is described to users: "a percentage such as `60%`".
pub fn describe(unit: Unit) -> &'static str {
    match unit {
        Unit::Percent => "a percentage such as `60%`",
        Unit::Seconds => "a duration such as `90s` or `5m`",
        Unit::Count => "a plain number such as `3`",
        Unit::PerMinute => "a rate such as `100/min`",
        Unit::Bytes => "a size such as `50MB`",
    }
}

/// Short name of a unit: "percentage", "duration", ...
pub fn name(unit: Unit) -> &'static str {
    match unit {
        Unit::Percent => "percentage",
        Unit::Seconds => "duration",
        Unit::Count => "plain number",
        Unit::PerMinute => "rate",
        Unit::Bytes => "size",
    }
}

/// Formats a canonical value back in a readable unit, for messages.
pub fn show(value: f64, unit: Unit) -> String {
    let n = |v: f64| {
        if (v - v.round()).abs() < 1e-9 {
            // f64's Display writes whole numbers without a fraction, and
            // any size exactly (no wrap-around as an integer cast would).
            format!("{}", v.round() + 0.0)
        } else {
            format!("{}", (v * 1000.0).round() / 1000.0)
        }
    };
    match unit {
        Unit::Percent => format!("{}%", n(value)),
        Unit::Seconds => format!("{}s", n(value)),
        Unit::Count => n(value),
        Unit::PerMinute => format!("{}/min", n(value)),
        Unit::Bytes => format!("{}B", n(value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_to_canonical_units() {
        assert_eq!(parse_unit("m"), Some((Unit::Seconds, 60.0)));
        assert_eq!(parse_unit("/s"), Some((Unit::PerMinute, 60.0)));
        assert_eq!(parse_unit("minutes"), None);
        assert_eq!(suggest_unit("minutes"), Some("m"));
        assert_eq!(show(1.5, Unit::Seconds), "1.5s");
    }
}
