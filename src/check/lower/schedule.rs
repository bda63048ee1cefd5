//! Lowering scheduled actions: Unix cron, IANA time zones, capacities.

use super::*;

/// The properties of a schedule.
pub(crate) const SCHEDULE_KEYS: &[&str] = &["cron", "timezone", "capacity", "desired", "enabled"];

pub(super) fn lower_schedule<'a>(
    cx: &mut Cx<'a, '_>,
    group_phys: &PhysName,
    s: &'a ast::ScheduleDecl,
) -> Option<Schedule> {
    let props = by_key(
        &s.body.properties,
        SCHEDULE_KEYS,
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
    if let Err(e) = crate::kinds::cron::parse(&cron) {
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
        Some(p) => Some(time_zone(cx, &p.value)?),
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
    let physical_name = group_phys.child(&s.name.name, s.name.span, "the schedule's name");
    rules::check_name(
        NameCheck {
            name: &physical_name,
            what: "scheduled action",
            max: C::SCHEDULE_NAME.max_chars(),
            alnum_plus: None,
        },
        s.name.span,
        cx.diags,
    );
    let physical_name = physical_name.text;
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
pub(super) fn inner_span(e: &Expr, value: &str, at: std::ops::Range<usize>) -> Span {
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

/// A schedule's `timezone`: a canonical IANA name.
pub(super) fn time_zone<'a>(cx: &mut Cx<'a, '_>, e: &'a Expr) -> Option<String> {
    let tz_e = cx.resolve(e)?;
    let tz = cx.expect_string(tz_e)?;
    match crate::check::timezone::canonical(&tz) {
        Some(name) if name == tz => Some(tz),
        found => {
            let suggestions: Vec<&str> = match found {
                Some(name) => vec![name],
                None => crate::check::timezone::similar(&tz),
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
            None
        }
    }
}
