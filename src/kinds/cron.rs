//! The `Recurrence` of a scheduled action: traditional five-field Unix cron,
//! as EC2 Auto Scaling takes it (`[Minute] [Hour] [Day_of_Month]
//! [Month_of_Year] [Day_of_Week]`, in UTC unless a time zone is given).
//!
//! Each field is `*` or a comma list of values, ranges `a-b` and steps
//! (`*/n`, `a-b/n`, `a/n`). Ranges: minute 0-59, hour 0-23, day of month
//! 1-31, month 1-12 or `JAN`-`DEC`, day of week 0-7 (0 and 7 are Sunday) or
//! `SUN`-`SAT`; names in any case. The Quartz and EventBridge extensions
//! (`?`, `L`, `W`, `#`, a sixth year field) and `@daily`-style macros are
//! not cron, and AWS rejects them here.
//! Source: API reference, PutScheduledUpdateGroupAction `Recurrence`
//! ("Unix cron syntax format ... five fields"); the EC2 Auto Scaling user
//! guide, "Recurring schedules" ("traditional cron syntax").

/// A problem with one field (or the whole expression).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronError {
    /// Byte range within the expression.
    pub at: std::ops::Range<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
    /// Where name index 0 lands (`JAN` is 1, `SUN` is 0).
    first: u32,
}

const FIELDS: [Field; 5] = [
    Field {
        name: "minute",
        min: 0,
        max: 59,
        names: &[],
        first: 0,
    },
    Field {
        name: "hour",
        min: 0,
        max: 23,
        names: &[],
        first: 0,
    },
    Field {
        name: "day-of-month",
        min: 1,
        max: 31,
        names: &[],
        first: 0,
    },
    Field {
        name: "month",
        min: 1,
        max: 12,
        names: &[
            "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
        ],
        first: 1,
    },
    Field {
        name: "day-of-week",
        min: 0,
        max: 7,
        names: &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
        first: 0,
    },
];

const FORMAT: &str =
    "write `MINUTE HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK`, e.g. `\"0 8 * * MON-FRI\"`";

/// Checks a recurrence; `Err` locates the first problem.
pub fn parse(expr: &str) -> Result<(), CronError> {
    let whole = 0..expr.len();
    if let Some((i, c)) = expr
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || " \t*/,-".contains(*c)))
    {
        let at = i..i + c.len_utf8();
        let help = match c {
            '?' | '#' => "`?` and `#` belong to Quartz and EventBridge cron, not to the Unix cron EC2 Auto Scaling takes: use `*` for \"any\"".to_string(),
            '@' => "macros such as `@daily` are not accepted: write the five fields, e.g. `\"0 0 * * *\"`".to_string(),
            _ => FORMAT.to_string(),
        };
        return Err(CronError {
            at,
            message: format!(
                "`{}` is not allowed in a cron expression",
                c.escape_default()
            ),
            help,
        });
    }
    let fields: Vec<(usize, &str)> = split_fields(expr);
    if fields.len() != 5 {
        return Err(CronError {
            at: whole,
            message: format!("a cron expression has 5 fields, found {}", fields.len()),
            help: if fields.len() == 6 || fields.len() == 7 {
                format!("EC2 Auto Scaling takes Unix cron without seconds or year: {FORMAT}")
            } else {
                FORMAT.to_string()
            },
        });
    }
    for ((start, text), f) in fields.iter().zip(FIELDS.iter()) {
        check_field(text, f).map_err(|(offset, len, message, help)| CronError {
            at: start + offset..start + offset + len,
            message,
            help,
        })?;
    }
    Ok(())
}

fn split_fields(expr: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in expr.char_indices() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                out.push((s, &expr[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &expr[s..]));
    }
    out
}

type FieldError = (usize, usize, String, String);

fn check_field(text: &str, f: &Field) -> Result<(), FieldError> {
    let mut offset = 0;
    for part in text.split(',') {
        check_part(part, f).map_err(|(o, l, m, h)| (offset + o, l, m, h))?;
        offset += part.len() + 1;
    }
    Ok(())
}

fn check_part(part: &str, f: &Field) -> Result<(), FieldError> {
    let all = |m: String, h: String| (0, part.len().max(1), m, h);
    if part.is_empty() {
        return Err(all(
            format!("an empty item in the {} field", f.name),
            "remove the extra comma".into(),
        ));
    }
    let (range, step) = match part.split_once('/') {
        Some((r, s)) => (r, Some(s)),
        None => (part, None),
    };
    if let Some(s) = step {
        let at = range.len() + 1;
        match s.parse::<u32>() {
            Ok(0) => {
                return Err((
                    at,
                    s.len(),
                    format!("a step of 0 in the {} field", f.name),
                    "a step counts in whole units from 1: `*/5` is every fifth".into(),
                ));
            }
            Ok(_) => {}
            Err(_) => {
                return Err((
                    at,
                    s.len().max(1),
                    format!("`{s}` is not a step in the {} field", f.name),
                    "write a step as `/N`, e.g. `*/15`".into(),
                ));
            }
        }
    }
    if range == "*" {
        return Ok(());
    }
    let (lo, hi) = match range.split_once('-') {
        Some((a, b)) => (a, Some(b)),
        None => (range, None),
    };
    let lo_v = value(lo, f).map_err(|(m, h)| (0, lo.len().max(1), m, h))?;
    if let Some(hi) = hi {
        let at = lo.len() + 1;
        let hi_v = value(hi, f).map_err(|(m, h)| (at, hi.len().max(1), m, h))?;
        if lo_v > hi_v {
            return Err(all(
                format!("the {} range `{range}` runs backwards", f.name),
                format!("write the smaller value first, or list both ends: `{lo},{hi}`"),
            ));
        }
    }
    Ok(())
}

fn value(v: &str, f: &Field) -> Result<u32, (String, String)> {
    if let Ok(n) = v.parse::<u32>() {
        if n < f.min || n > f.max {
            return Err((
                format!("{n} is outside the {} field's {}-{}", f.name, f.min, f.max),
                match f.name {
                    "day-of-week" if f.min == 1 => {
                        "days of the week are 1-7 (1 is Sunday) or SUN-SAT".to_string()
                    }
                    "day-of-week" => {
                        "days of the week are 0-7 (0 and 7 are Sunday) or SUN-SAT".to_string()
                    }
                    "month" => "months are 1-12 or JAN-DEC".to_string(),
                    _ => format!("use a value from {} to {}", f.min, f.max),
                },
            ));
        }
        return Ok(n);
    }
    if v.chars().all(|c| c.is_ascii_digit()) && !v.is_empty() {
        return Err((
            format!(
                "`{v}` is outside the {} field's {}-{}",
                f.name, f.min, f.max
            ),
            format!("use a value from {} to {}", f.min, f.max),
        ));
    }
    let upper = v.to_ascii_uppercase();
    match f.names.iter().position(|n| *n == upper) {
        Some(i) => Ok(f.first + u32::try_from(i).unwrap_or(0)),
        None => Err((
            format!("`{v}` is not a value of the {} field", f.name),
            if f.names.is_empty() {
                format!(
                    "the {} field takes numbers from {} to {}",
                    f.name, f.min, f.max
                )
            } else {
                format!(
                    "the {} field takes {}-{} or {}",
                    f.name,
                    f.min,
                    f.max,
                    f.names.join(", ")
                )
            },
        )),
    }
}

/// A checked recurrence, expanded to the values each field allows, so the
/// simulator can tell which minutes it fires in.
#[derive(Debug, Clone)]
pub struct Recurrence {
    /// Bit `v` of field `k` is set when the field allows value `v`.
    sets: [u64; 5],
    /// Whether day of month and day of week are `*` (unrestricted).
    dom_any: bool,
    dow_any: bool,
}

impl Recurrence {
    /// The recurrence of an expression [`parse`] accepts.
    pub fn compile(expr: &str) -> Option<Recurrence> {
        parse(expr).ok()?;
        let fields = split_fields(expr);
        let mut sets = [0u64; 5];
        for (k, ((_, text), f)) in fields.iter().zip(FIELDS.iter()).enumerate() {
            for part in text.split(',') {
                let (range, step) = match part.split_once('/') {
                    Some((r, st)) => (r, st.parse::<u32>().ok()?),
                    None => (part, 1),
                };
                let (lo, hi) = if range == "*" {
                    (f.min, f.max)
                } else {
                    match range.split_once('-') {
                        Some((a, b)) => (value(a, f).ok()?, value(b, f).ok()?),
                        // `a/n` runs from a to the field's end.
                        None if part.contains('/') => (value(range, f).ok()?, f.max),
                        None => {
                            let v = value(range, f).ok()?;
                            (v, v)
                        }
                    }
                };
                let mut v = lo;
                while v <= hi {
                    // Day of week 7 is Sunday, like 0.
                    let bit = if k == 4 && v == 7 { 0 } else { v };
                    sets[k] |= 1u64 << bit;
                    v += step;
                }
            }
        }
        Some(Recurrence {
            sets,
            dom_any: fields[2].1 == "*",
            dow_any: fields[4].1 == "*",
        })
    }

    /// Whether it fires at this minute. Day of week: 0 is Sunday. As in
    /// Unix cron, when both day fields are restricted either may match.
    pub fn fires(&self, minute: u32, hour: u32, day: u32, month: u32, weekday: u32) -> bool {
        let has = |k: usize, v: u32| v < 64 && self.sets[k] & (1u64 << v) != 0;
        let dom = has(2, day);
        let dow = has(4, weekday % 7);
        let day_ok = match (self.dom_any, self.dow_any) {
            (false, false) => dom || dow,
            _ => dom && dow,
        };
        has(0, minute) && has(1, hour) && has(3, month) && day_ok
    }
}

#[cfg(test)]
mod tests {
    use super::{Recurrence, parse};

    #[test]
    fn recurrences_fire_like_cron() {
        let weekdays = Recurrence::compile("0 8 * * MON-FRI").expect("valid");
        // 2026-11-30 is a Monday.
        assert!(weekdays.fires(0, 8, 30, 11, 1));
        assert!(!weekdays.fires(0, 8, 29, 11, 0), "Sunday");
        assert!(!weekdays.fires(1, 8, 30, 11, 1));
        let steps = Recurrence::compile("*/15 9-17/4 * * *").expect("valid");
        assert!(steps.fires(45, 13, 1, 1, 4));
        assert!(!steps.fires(45, 11, 1, 1, 4));
        let sunday = Recurrence::compile("0 0 * * 7").expect("valid");
        assert!(sunday.fires(0, 0, 29, 11, 0));
        // Both day fields restricted: either matches.
        let either = Recurrence::compile("0 0 1 * MON").expect("valid");
        assert!(either.fires(0, 0, 1, 12, 2));
        assert!(either.fires(0, 0, 7, 12, 1));
        assert!(!either.fires(0, 0, 8, 12, 2));
        assert!(Recurrence::compile("0 24 * * *").is_none());
    }

    #[test]
    fn unix_cron_passes() {
        for ok in [
            "0 8 * * MON-FRI",
            "30 0 1 1,6,12 *",
            "*/15 * * * *",
            "0 9-17/2 * * 1-5",
            "0 0 * * 7",
            "5 4 * jan sun",
            "0 0 31 12 *",
        ] {
            assert!(parse(ok).is_ok(), "{ok}: {:?}", parse(ok));
        }
    }

    #[test]
    fn errors_point_at_the_field() {
        let e = parse("0 24 * * *").expect_err("hour 24");
        assert_eq!(e.at, 2..4);
        assert!(e.message.contains("hour"), "{}", e.message);
        let e = parse("0 8 * 13 *").expect_err("month 13");
        assert_eq!(e.at, 6..8);
        let e = parse("0 8 * * MON-FRX").expect_err("bad name");
        assert_eq!(e.at, 12..15);
        let e = parse("*/0 * * * *").expect_err("step 0");
        assert_eq!(e.at, 2..3);
        let e = parse("0 8 ? * MON").expect_err("quartz");
        assert!(e.help.contains("Quartz"));
        let e = parse("0 0 8 * * * 2026").expect_err("seven fields");
        assert!(e.message.contains("5 fields"));
        let e = parse("0 17-9 * * *").expect_err("backwards");
        assert_eq!(e.at, 2..6);
        assert!(parse("0 0 0 * *").is_err(), "day of month 0");
        assert!(parse("0 0 1,,2 * *").is_err());
    }
}

/// The fields of Application Auto Scaling's `cron(...)` schedules after
/// the five shared ones: day of week runs 1-7 (`SUN` is 1), and a year
/// follows. Source: the Application Auto Scaling user guide, "Scheduled
/// scaling" (`cron(Minutes Hours Day-of-month Month Day-of-week Year)`),
/// and EventBridge's cron reference it points to.
const SIX_DAY_OF_WEEK: Field = Field {
    name: "day-of-week",
    min: 1,
    max: 7,
    names: &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
    first: 1,
};
const SIX_YEAR: Field = Field {
    name: "year",
    min: 1970,
    max: 2199,
    names: &[],
    first: 0,
};

const SIX_FORMAT: &str = "write `MINUTES HOURS DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR`, with `?` in one of the two day fields, e.g. `\"0 8 ? * MON-FRI *\"`";

/// Checks the fields of an Application Auto Scaling `cron(...)` schedule
/// (six fields, EventBridge's form): `?` in exactly one of the day fields,
/// `L` and `W` in day of month, `L` and `#` in day of week.
pub fn parse_six(expr: &str) -> Result<(), CronError> {
    let fields = split_fields(expr);
    if fields.len() != 6 {
        return Err(CronError {
            at: 0..expr.len(),
            message: format!("a `cron()` schedule has 6 fields, found {}", fields.len()),
            help: if fields.len() == 5 {
                format!(
                    "Application Auto Scaling's cron has a year field and `?` for \"any\" in one day field: {SIX_FORMAT}"
                )
            } else {
                SIX_FORMAT.to_string()
            },
        });
    }
    let (dom, dow) = (fields[2].1, fields[4].1);
    if (dom == "?") == (dow == "?") {
        let (start, text) = fields[if dom == "?" { 2 } else { 4 }];
        return Err(CronError {
            at: start..start + text.len(),
            message: "exactly one of day-of-month and day-of-week must be `?`".into(),
            help: SIX_FORMAT.into(),
        });
    }
    let spec = [
        &FIELDS[0],
        &FIELDS[1],
        &FIELDS[2],
        &FIELDS[3],
        &SIX_DAY_OF_WEEK,
        &SIX_YEAR,
    ];
    for (i, ((start, text), f)) in fields.iter().zip(spec).enumerate() {
        if *text == "?" || special_day(i, text) {
            continue;
        }
        check_field(text, f).map_err(|(offset, len, message, help)| CronError {
            at: start + offset..start + offset + len,
            message,
            help,
        })?;
    }
    Ok(())
}

/// `L`, `15W`, `LW` (day of month) and `L`, `5L`, `3#2` (day of week):
/// EventBridge's day forms, which plain cron fields don't have.
fn special_day(field: usize, text: &str) -> bool {
    let digits = |s: &str, lo: u32, hi: u32| s.parse::<u32>().is_ok_and(|v| (lo..=hi).contains(&v));
    match field {
        2 => {
            text == "L" || text == "LW" || text.strip_suffix('W').is_some_and(|d| digits(d, 1, 31))
        }
        4 => {
            text == "L"
                || text.strip_suffix('L').is_some_and(|d| digits(d, 1, 7))
                || text
                    .split_once('#')
                    .is_some_and(|(d, n)| digits(d, 1, 7) && digits(n, 1, 5))
        }
        _ => false,
    }
}

#[cfg(test)]
mod six_tests {
    use super::parse_six;

    #[test]
    fn six_field_cron_takes_eventbridge_forms_and_refuses_unix_cron() {
        for ok in [
            "0 8 ? * MON-FRI *",
            "30 22 * * ? *",
            "0 0 L * ? 2027",
            "0 9 ? * 2#1 *",
            "0 6 15W * ? *",
        ] {
            assert!(parse_six(ok).is_ok(), "{ok}: {:?}", parse_six(ok));
        }
        let e = parse_six("0 8 * * MON-FRI").unwrap_err();
        assert!(e.message.contains("6 fields"), "{e:?}");
        let e = parse_six("0 8 * * MON *").unwrap_err();
        assert!(e.message.contains("`?`"), "{e:?}");
        let e = parse_six("0 24 ? * MON *").unwrap_err();
        assert_eq!(e.at, 2..4, "{e:?}");
        let e = parse_six("0 8 ? * 0 *").unwrap_err();
        assert!(e.message.contains("day-of-week"), "{e:?}");
    }
}
