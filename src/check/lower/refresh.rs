//! Lowering `refresh = { ... }`: how a change of launch settings replaces
//! a group's running instances (instance refresh), with AWS's rules:
//! healthy range 0-100% .. 100-200% at most 100 points apart, checkpoints
//! ascending in 1-100%, a checkpoint delay only with checkpoints,
//! auto-rollback only with numbered launch template versions, at most 10
//! alarms, and those the group's own.

use super::*;

const REFRESH_KEYS: &[&str] = &[
    "healthy",
    "warmup",
    "checkpoints",
    "checkpoint_delay",
    "skip_matching",
    "auto_rollback",
    "stop_on",
];

/// The most alarms that can stop a refresh (`AlarmSpecification.Alarms`).
const MAX_ALARMS: usize = 10;

pub(super) fn refresh<'a>(
    cx: &mut Cx<'a, '_>,
    p: &'a ast::Property,
    g: &'a ast::GroupDecl,
    lt: Option<&LaunchTemplateRef>,
    overrides: &[Override],
) -> Option<Refresh> {
    let r = cx.resolve(&p.value)?;
    let ExprKind::Object { block } = &r.kind else {
        cx.diags.push(
            mismatch(r, "a block such as `{ healthy = 90%..110%  warmup = 5m }`")
                .with_help("write `refresh = { healthy = 90%..110% }`; `{}` takes AWS's defaults"),
        );
        return None;
    };
    let props = by_key(&block.properties, REFRESH_KEYS, &[], "`refresh`", cx.diags);
    let (min_healthy, max_healthy) = match props.get("healthy") {
        Some(h) => refresh_healthy(cx, &h.value)?,
        // AWS's default.
        None => (90, None),
    };
    let warmup = match props.get("warmup") {
        Some(w) => Some(cx.expect_seconds(&w.value, &C::REFRESH_WARMUP)?),
        None => None,
    };
    let checkpoints = match props.get("checkpoints") {
        Some(c) => checkpoints(cx, c)?,
        None => vec![],
    };
    let checkpoint_delay = match props.get("checkpoint_delay") {
        Some(d) => {
            if checkpoints.is_empty() {
                cx.diags.push(
                    Diagnostic::error(
                        codes::REFRESH,
                        "`checkpoint_delay` without `checkpoints`",
                        d.key.span(),
                        "delay after what?",
                    )
                    .with_help("AWS waits `checkpoint_delay` at each checkpoint: add `checkpoints = [50%, 100%]`, or remove the delay"),
                );
                return None;
            }
            Some(cx.expect_seconds(&d.value, &C::REFRESH_CHECKPOINT_DELAY)?)
        }
        None => None,
    };
    let skip_matching = match props.get("skip_matching") {
        Some(s) => cx.expect_bool(&s.value)?,
        None => false,
    };
    let auto_rollback = match props.get("auto_rollback") {
        Some(a) => {
            let on = cx.expect_bool(&a.value)?;
            if on {
                // Each template's version as this environment knows it:
                // written here, or given to a param.
                let versions: Vec<(String, crate::check::field::Origin)> = lt
                    .into_iter()
                    .chain(overrides.iter().filter_map(|o| o.launch_template.as_ref()))
                    .flat_map(|t| cx.known_texts(&t.version, a.value.span))
                    .filter(|(v, _)| v.starts_with('$'))
                    .collect();
                if let Some((v, origin)) = versions.into_iter().next() {
                    let p = crate::check::field::Problem {
                        code: codes::REFRESH,
                        message: format!(
                            "auto-rollback needs a numbered launch template version, not `{v}`"
                        ),
                        label: "not a version number".into(),
                        help: "AWS can't roll back to `$Latest` or `$Default`: they name no fixed version. Set `launch_template_version` to a number, or turn auto-rollback off".into(),
                    };
                    cx.report(
                        p,
                        &v,
                        &origin,
                        a.value.span,
                        "the version auto-rollback needs",
                    );
                    return None;
                }
            }
            on
        }
        None => false,
    };
    let alarms = match props.get("stop_on") {
        Some(s) => stop_alarms(cx, s, g)?,
        None => vec![],
    };
    Some(Refresh {
        min_healthy,
        max_healthy,
        warmup,
        checkpoints,
        checkpoint_delay,
        skip_matching,
        auto_rollback,
        alarms,
        origin: p.key.span(),
    })
}

/// `90%..110%`, or `90%..` (AWS keeps at most 100% then).
fn refresh_healthy<'a>(cx: &mut Cx<'a, '_>, e: &'a Expr) -> Option<(u32, Option<u32>)> {
    let r = cx.resolve(e)?;
    if let ExprKind::Range {
        lower: Some(lo),
        upper: None,
    } = &r.kind
    {
        let min = whole(cx, lo, Unit::Percent, &C::REFRESH_MIN_HEALTHY)?;
        return Some((min, None));
    }
    let h = healthy_range(
        cx,
        r,
        &C::REFRESH_MIN_HEALTHY,
        &C::REFRESH_MAX_HEALTHY,
        "`refresh`",
    )?;
    Some((h.min, Some(h.max)))
}

/// `checkpoints = [20%, 50%, 100%]`: ascending, whole percent, 1-100.
fn checkpoints<'a>(cx: &mut Cx<'a, '_>, p: &'a ast::Property) -> Option<Vec<u32>> {
    let items = cx.expect_list(&p.value)?;
    if items.is_empty() {
        cx.diags.push(empty_list(
            p,
            "checkpoints",
            "a refresh with checkpoints pauses at least once",
        ));
        return None;
    }
    let mut out: Vec<u32> = Vec::new();
    for it in items {
        let v = whole(cx, it, Unit::Percent, &C::REFRESH_CHECKPOINT)?;
        if v == 0 {
            cx.diags.push(
                Diagnostic::error(
                    codes::REFRESH,
                    "a checkpoint at 0% pauses before anything is replaced",
                    it.span,
                    "0%",
                )
                .with_help("checkpoints are percentages of instances replaced, from 1% to 100%"),
            );
            return None;
        }
        if let Some(last) = out.last()
            && v <= *last
        {
            cx.diags.push(
                Diagnostic::error(
                    codes::REFRESH,
                    format!("checkpoint {v}% comes after {last}%"),
                    it.span,
                    "not ascending",
                )
                .with_help(
                    "AWS takes checkpoints in ascending order, each once, e.g. `[20%, 50%, 100%]`",
                ),
            );
            return None;
        }
        out.push(v);
    }
    Some(out)
}

/// `stop_on = [errors, latency]`: the group's alarms that stop a refresh.
fn stop_alarms<'a>(
    cx: &mut Cx<'a, '_>,
    p: &'a ast::Property,
    g: &'a ast::GroupDecl,
) -> Option<Vec<String>> {
    let items = cx.expect_list(&p.value)?;
    if let Some(extra) = items.get(MAX_ALARMS) {
        cx.diags.push(
            Diagnostic::error(
                codes::REFRESH,
                format!(
                    "{} alarms stop this refresh; AWS allows {MAX_ALARMS}",
                    items.len()
                ),
                extra.span,
                "one too many",
            )
            .with_help("combine alarms into one with metric math, or keep the 10 that matter most"),
        );
        return None;
    }
    let names: Vec<&str> = g.alarms.iter().map(|a| a.name.name.as_str()).collect();
    let mut out = Vec::new();
    for it in items {
        let r = cx.resolve(it)?;
        let name = match &r.kind {
            ExprKind::Path { path } if path.segments.len() == 1 => path.segments[0].name.as_str(),
            _ => {
                cx.diags
                    .push(mismatch(r, "the name of an alarm of this group"));
                return None;
            }
        };
        if !names.contains(&name) {
            let help = suggest::did_you_mean(name, names.iter().copied()).unwrap_or_else(|| {
                format!(
                    "declare `alarm {name} critical {{ ... }}` in group `{}`: a refresh stops on the group's own alarms",
                    g.name.name
                )
            });
            cx.diags.push(
                Diagnostic::error(
                    codes::UNDEFINED,
                    format!("group `{}` has no alarm `{name}`", g.name.name),
                    r.span,
                    "unknown alarm",
                )
                .with_help(help),
            );
            return None;
        }
        if !out.iter().any(|x: &String| x == name) {
            out.push(name.to_string());
        }
    }
    Some(out)
}
