//! Lowering lifecycle hooks: `hook NAME launch|terminate { ... }`, with
//! AWS's rules (heartbeat timeout 30 s to 2 h, a target only with a role
//! and the reverse, at most 50 hooks a group, hook names of letters,
//! digits and `-_/`).
//!
//! The default result, when the spec leaves it out, is AWS's own:
//! `ABANDON`. The CDK picks `CONTINUE`; scalec doesn't, for two reasons.
//! A launch hook exists to hold an instance until it is ready, so an
//! instance whose hook timed out was never confirmed ready and should not
//! take traffic. And a spec that means what AWS means reads the same in
//! the console, the CLI and an imported stack.

use super::*;
use crate::kinds::group::{HOOK_RESULT_NAMES, HOOK_RESULTS, HOOK_TRANSITIONS};

/// The most hooks a group can have (Auto Scaling quotas).
pub(super) const HOOKS_PER_GROUP: usize = 50;

pub(super) const HOOK_KEYS: &[&str] = &["timeout", "default", "metadata", "notify", "role", "name"];

pub(super) fn lower_hooks<'a>(
    cx: &mut Cx<'a, '_>,
    group: &str,
    group_physical: &PhysName,
    hooks: &'a [ast::HookDecl],
    seen: &mut BTreeMap<String, Span>,
) -> Vec<Hook> {
    if let Some(h) = hooks.get(HOOKS_PER_GROUP) {
        cx.diags.push(
            Diagnostic::error(
                codes::GROUP_LIMIT,
                format!(
                    "group `{group}` has {} lifecycle hooks; AWS allows {HOOKS_PER_GROUP}",
                    hooks.len()
                ),
                h.name.span,
                format!("number {} of {}", HOOKS_PER_GROUP + 1, hooks.len()),
            )
            .with_help("merge hooks that do the same work, or split the group"),
        );
    }
    let mut out: Vec<Hook> = Vec::new();
    for h in hooks {
        if let Some(first) = seen.insert(h.name.name.clone(), h.name.span) {
            cx.diags.push(dup("hook", &h.name, first));
            continue;
        }
        let Some(x) = lower_hook(cx, group_physical, h) else {
            continue;
        };
        // AWS knows a group's hooks by name: two hooks of one name, given
        // or derived, are one hook.
        if let Some(first) = out.iter().find(|o| o.physical_name == x.physical_name) {
            cx.diags.push(
                Diagnostic::error(
                    codes::COLLISION,
                    format!(
                        "hooks `{}` and `{}` of group `{group}` are both named `{}` in AWS",
                        first.name, x.name, x.physical_name
                    ),
                    x.origin,
                    "this hook",
                )
                .with_label(first.origin, "and this one")
                .with_help("AWS keeps one lifecycle hook per name in a group, so one would replace the other: give one of them another `name`"),
            );
            continue;
        }
        out.push(x);
    }
    out
}

/// A hook's notification metadata: 1 to 1,023 printable ASCII characters.
fn metadata<'a>(cx: &mut Cx<'a, '_>, e: &'a Expr) -> Option<String> {
    let m = cx.expect_string(e)?;
    let n = m.chars().count();
    let printable = m
        .chars()
        .all(|c| matches!(c, '\t' | '\n' | '\r' | ' '..='~'));
    if n == 0 || n > C::HOOK_METADATA.max_chars() || !printable {
        cx.diags.push(
            Diagnostic::error(
                if printable {
                    codes::TOO_LONG
                } else {
                    codes::BAD_VALUE
                },
                format!(
                    "notification metadata of {n} characters{} is not what AWS takes",
                    if printable {
                        ""
                    } else {
                        ", not all printable ASCII,"
                    }
                ),
                e.span,
                "not valid metadata",
            )
            .with_help(format!(
                "AWS takes 1 to {} printable ASCII characters (tabs and newlines too)",
                C::HOOK_METADATA.max_chars()
            )),
        );
        return None;
    }
    Some(m)
}

fn lower_hook<'a>(
    cx: &mut Cx<'a, '_>,
    group_physical: &PhysName,
    h: &'a ast::HookDecl,
) -> Option<Hook> {
    let props = by_key(
        &h.body.properties,
        HOOK_KEYS,
        &[],
        "a lifecycle hook",
        cx.diags,
    );
    let transition = match HOOK_TRANSITIONS.iter().find(|(w, _)| *w == h.on.name) {
        Some((_, aws)) => *aws,
        None => {
            cx.diags.push(unknown_variant(
                &h.on.name,
                h.on.span,
                "lifecycle transition",
                HOOK_TRANSITIONS.iter().map(|(w, _)| *w),
            ));
            return None;
        }
    };
    let physical_name = aws_name(
        cx,
        &h.body.properties,
        group_physical.child(&h.name.name, h.name.span, "the hook's name"),
    );
    let name_ok = rules::check_name(
        NameCheck {
            name: &physical_name,
            what: "lifecycle hook",
            max: C::HOOK_NAME.max_chars(),
            alnum_plus: Some("-_/"),
        },
        h.name.span,
        cx.diags,
    );
    if !name_ok {
        return None;
    }
    let physical_name = physical_name.text;
    let heartbeat_timeout = match props.get("timeout") {
        Some(p) => {
            let v = cx.expect_seconds(&p.value, &C::HOOK_TIMEOUT)?;
            let (min, _) = C::HOOK_TIMEOUT.int_range();
            if i64::from(v) < min {
                cx.diags.push(
                    Diagnostic::error(
                        codes::RANGE,
                        format!("a lifecycle hook waits at least {min}s; `{v}s` is shorter"),
                        p.value.span,
                        "too short",
                    )
                    .with_help("AWS takes a heartbeat timeout from 30s to 2h"),
                );
                return None;
            }
            v
        }
        // AWS's default.
        None => 3600,
    };
    let default_result = match props.get("default") {
        Some(p) => {
            let words: Vec<&str> = HOOK_RESULTS.iter().map(|(w, _)| *w).collect();
            let i = cx.expect_word(&p.value, "default result", &words)?;
            HOOK_RESULT_NAMES[i].to_string()
        }
        // AWS's default.
        None => "ABANDON".to_string(),
    };
    let metadata = match props.get("metadata") {
        Some(p) => Some(metadata(cx, &p.value)?),
        None => None,
    };
    // Both judged before either fails the hook.
    let target = props.get("notify").map(|p| hook_target(cx, &p.value));
    let role = props.get("role").map(|p| {
        cx.expect_field(
            &p.value,
            ParamType::RoleArn,
            &C::ASG_HOOK_ROLE,
            "a lifecycle hook's role",
        )
    });
    let target = target.map_or(Some(None), |t| t.map(Some))?;
    let role = role.map_or(Some(None), |r| r.map(Some))?;
    match (props.get("notify"), props.get("role")) {
        (Some(t), None) => {
            cx.diags.push(
                Diagnostic::error(
                    codes::HOOK_TARGET,
                    format!("hook `{}` notifies a target but gives Auto Scaling no role to publish with", h.name.name),
                    t.key.span(),
                    "needs `role`",
                )
                .with_help("add `role = param.hook_role`: an IAM role Auto Scaling can assume, allowed to publish to the topic or queue"),
            );
            return None;
        }
        (None, Some(r)) => {
            cx.diags.push(
                Diagnostic::error(
                    codes::HOOK_TARGET,
                    format!("hook `{}` has a role but nothing to notify", h.name.name),
                    r.key.span(),
                    "role for what?",
                )
                .with_help("the role lets Auto Scaling publish to `notify`: add `notify = param.queue`, or remove `role` (EventBridge sees hooks without one)"),
            );
            return None;
        }
        _ => {}
    }
    Some(Hook {
        name: h.name.name.clone(),
        physical_name,
        transition: transition.to_string(),
        heartbeat_timeout,
        default_result,
        metadata,
        target,
        role,
        origin: h.name.span,
    })
}

/// An SNS topic or SQS queue ARN, literal or param.
fn hook_target<'a>(cx: &mut Cx<'a, '_>, e: &'a Expr) -> Option<Value> {
    let r = cx.resolve(e)?;
    let ty = match &r.kind {
        ExprKind::String { value } if value.contains(":sqs:") => ParamType::QueueArn,
        ExprKind::String { .. } => ParamType::TopicArn,
        ExprKind::Path { path } if path.segments.len() == 2 && path.segments[0].name == "param" => {
            match cx.decls.params.get(&path.segments[1].name) {
                Some(d) if d.ty == ParamType::QueueArn => ParamType::QueueArn,
                _ => ParamType::TopicArn,
            }
        }
        _ => {
            cx.diags.push(mismatch(
                r,
                "an SNS topic or SQS queue ARN (a string or a param)",
            ));
            return None;
        }
    };
    let v = cx.expect_field(r, ty, &C::ASG_HOOK_TARGET, "a lifecycle hook's target")?;
    fifo_free(cx, &v, r.span, "a lifecycle hook's target").then_some(v)
}
