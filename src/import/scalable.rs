//! Import of Application Auto Scaling: a `ScalableTarget` (its kind found
//! by namespace and dimension in `kinds::scalable`), the `ScalingPolicy`s
//! that name it, their alarms and the alarms on its metrics, back to
//! `service NAME ecs { ... }` (or `table`, `index`, `function`). What it
//! can't say is refused with a located error, as for groups.

use super::items::{alarm, policy_alarm, step, tracking};
use super::recover::{Cx, concrete_name, local_name, tag};
use super::template::Resource;
use super::text::{as_u32, duration, quote, snake, tag_key};
use crate::kinds::scalable::{self as kinds, Kind};
use serde_json::{Value as Json, json};
use std::fmt::Write as _;

/// Tags scalec puts on every target itself.
const OWN_TAGS: &[&str] = &["app", "env", "managed-by", "target"];

/// Every scalable target of the template as spec text, each resource it
/// takes recorded (so no group claims its alarms).
pub(super) fn recover_targets(cx: &mut Cx) -> Vec<String> {
    let t = cx.t;
    let mut out = Vec::new();
    for r in t
        .resources
        .iter()
        .filter(|r| r.ty == "AWS::ApplicationAutoScaling::ScalableTarget")
    {
        let before = cx.diags.len();
        match recover_target(cx, r) {
            Some(text) => out.push(text),
            None if cx.diags.len() == before => cx.refuse(
                r,
                "properties scalec can't read (a missing or malformed value)".into(),
                "compare the target with the CloudFormation documentation of AWS::ApplicationAutoScaling::ScalableTarget",
            ),
            None => {}
        }
    }
    cx.target_parts.clear();
    out
}

/// One target's declaration.
fn recover_target(cx: &mut Cx, r: &Resource) -> Option<String> {
    let p = r.props.clone();
    let (ns, dim) = (
        p["ServiceNamespace"].as_str()?,
        p["ScalableDimension"].as_str()?,
    );
    let Some(kind) = kinds::by_dimension(ns, dim) else {
        cx.refuse(
            r,
            format!("a scalable target of `{ns}` / `{dim}`"),
            "scalec scales ECS services, DynamoDB tables and indexes, and Lambda aliases",
        );
        return None;
    };
    // The CDK names it `<Service>TaskCountTarget` (ECS) or `<Table>ReadScalingTarget`.
    let local = tag(&p, "target").unwrap_or_else(|| {
        local_name(
            r,
            "",
            &[
                "TaskCountTarget",
                "ScalableTarget",
                "ScalingTarget",
                "Target",
            ],
        )
    });
    let physical = format!("{}-{}-{local}", cx.app, cx.env);
    let parts = resource_parts(cx, r, kind, &p["ResourceId"])?;
    cx.target_parts = parts
        .iter()
        .map(|(k, v, _)| (k.to_string(), v.clone()))
        .collect();
    let mut s = format!("{} {local} {} {{\n", kind.keyword, kind.kind);
    for (key, _, text) in &parts {
        let _ = writeln!(s, "  {key} = {text}");
    }
    if kind.dimensions.len() > 1
        && let Some((word, _)) = kind.dimensions.iter().find(|(_, d)| *d == dim)
    {
        let _ = writeln!(s, "  dimension = {word}");
    }
    let _ = writeln!(
        s,
        "  capacity = {}..{}",
        as_u32(&p["MinCapacity"])?,
        as_u32(&p["MaxCapacity"])?
    );
    suspended(&p["SuspendedState"], &mut s);
    if let Some(role) = p.get("RoleARN") {
        let v = cx.value(r, role, Some("role_arn"))?;
        let _ = writeln!(s, "  role = {v}");
    }
    own_tags(cx, &p, &mut s);
    cx.record(r, format!("{} {local}", kind.keyword));
    for a in p["ScheduledActions"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        s.push_str(&schedule(cx, r, &a, &physical)?);
    }
    for pr in policies_of(cx, r) {
        s.push_str(&policy(cx, &pr, r, &local, &physical)?);
    }
    for a in alarms_on(cx) {
        s.push_str(&alarm(cx, &a, &local, &physical)?);
    }
    s.push_str("}\n");
    Some(s)
}

/// The resource id's parts: (property, the value in the template, its
/// spec text), from a string or a join of strings and parameters.
fn resource_parts(
    cx: &mut Cx,
    r: &Resource,
    kind: &Kind,
    id: &Json,
) -> Option<Vec<(&'static str, Json, String)>> {
    // Parameters stand in the id as placeholders, so the kind's shape
    // splits a join as it splits a string.
    let mut text = String::new();
    let mut refs: Vec<Json> = Vec::new();
    match (id.as_str(), id.get("Fn::Join")) {
        (Some(s), _) => text.push_str(s),
        (None, Some(j)) if j[0] == "" => {
            for item in j[1].as_array()? {
                match item.as_str() {
                    Some(s) => text.push_str(s),
                    None => {
                        let _ = write!(text, "\u{1}{}\u{1}", refs.len());
                        refs.push(item.clone());
                    }
                }
            }
        }
        _ => {}
    }
    let Some(values) = kind.parts_of(&text) else {
        cx.refuse(
            r,
            format!(
                "a resource id that isn't {}'s `{}`",
                kind.what, kind.resource_id
            ),
            "give the id as a string or a join of strings and parameters",
        );
        return None;
    };
    let mut out = Vec::new();
    for (part, v) in kind.parts.iter().zip(values) {
        let placeholder = v
            .strip_prefix('\u{1}')
            .and_then(|x| x.strip_suffix('\u{1}'))
            .and_then(|i| i.parse::<usize>().ok());
        let (json, spec) = match placeholder {
            Some(i) => {
                let j = refs.get(i)?.clone();
                let spec = cx.value(r, &j, Some("string"))?;
                (j, spec)
            }
            None if v.contains('\u{1}') => {
                cx.refuse(
                    r,
                    format!("{} made of a parameter and text", part.what),
                    "give each part of the resource id as a string or one parameter",
                );
                return None;
            }
            None => (json!(v), quote(&v)),
        };
        out.push((part.key, json, spec));
    }
    Some(out)
}

/// `suspend = [...]`.
fn suspended(state: &Json, s: &mut String) {
    let words: Vec<&str> = [
        ("DynamicScalingInSuspended", "scale_in"),
        ("DynamicScalingOutSuspended", "scale_out"),
        ("ScheduledScalingSuspended", "scheduled"),
    ]
    .iter()
    .filter(|(k, _)| state[*k] == true)
    .map(|(_, w)| *w)
    .collect();
    if !words.is_empty() {
        let _ = writeln!(s, "  suspend = [{}]", words.join(", "));
    }
}

/// The target's tags besides the environment's and scalec's own.
fn own_tags(cx: &Cx, p: &Json, s: &mut String) {
    let env_tags = &cx.index.env_tags;
    let items: Vec<String> = p["Tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| Some((t["Key"].as_str()?, t["Value"].as_str()?)))
        .filter(|(k, v)| !OWN_TAGS.contains(k) && env_tags.get(*k).map(String::as_str) != Some(*v))
        .map(|(k, v)| format!("{} = {}", tag_key(k), quote(v)))
        .collect();
    if !items.is_empty() {
        let _ = writeln!(s, "  tags = {{ {} }}", items.join(", "));
    }
}

/// One of the target's `ScheduledActions`.
fn schedule(cx: &mut Cx, r: &Resource, a: &Json, physical: &str) -> Option<String> {
    let full = a["ScheduledActionName"].as_str()?;
    let name = full
        .strip_prefix(&format!("{physical}-"))
        .map_or_else(|| snake(full), str::to_string);
    let expr = a["Schedule"].as_str()?;
    let when = if let Some(c) = expr.strip_prefix("cron(").and_then(|x| x.strip_suffix(')')) {
        format!("cron = {}", quote(c))
    } else if let Some(at) = expr.strip_prefix("at(").and_then(|x| x.strip_suffix(')')) {
        format!("at = {}", quote(at))
    } else if let Some(rate) = rate(expr) {
        format!("rate = {rate}")
    } else {
        cx.refuse(
            r,
            format!("a schedule `{expr}`"),
            "scalec reads `cron(...)`, `rate(N unit)` and `at(...)`",
        );
        return None;
    };
    let action = &a["ScalableTargetAction"];
    let (Some(min), Some(max)) = (
        as_u32(&action["MinCapacity"]),
        as_u32(&action["MaxCapacity"]),
    ) else {
        cx.refuse(
            r,
            format!("scheduled action `{full}` sets one end of the capacity only"),
            "scalec's schedules set both: `capacity = min..max`",
        );
        return None;
    };
    let mut s = format!("  schedule {name} {{\n    {when}\n");
    if let Some(tz) = a["Timezone"].as_str() {
        let _ = writeln!(s, "    timezone = {}", quote(tz));
    }
    let _ = writeln!(s, "    capacity = {min}..{max}\n  }}");
    Some(s)
}

/// `rate(5 minutes)` as a duration: `5m`.
fn rate(expr: &str) -> Option<String> {
    let inner = expr.strip_prefix("rate(")?.strip_suffix(')')?;
    let (n, unit) = inner.split_once(' ')?;
    let n: f64 = n.parse().ok()?;
    let secs = match unit.trim_end_matches('s') {
        "minute" => 60.0,
        "hour" => 3600.0,
        "day" => 86_400.0,
        _ => return None,
    };
    Some(duration(n * secs))
}

/// The policies whose `ScalingTargetId` is the target.
fn policies_of(cx: &Cx, target: &Resource) -> Vec<Resource> {
    cx.t.resources
        .iter()
        .filter(|r| {
            r.ty == "AWS::ApplicationAutoScaling::ScalingPolicy"
                && r.props["ScalingTargetId"].get("Ref").and_then(Json::as_str)
                    == Some(target.id.as_str())
        })
        .cloned()
        .collect()
}

/// One policy: its configuration read as a group's policy is (the
/// configuration block where a group's policy has its members), with
/// Application Auto Scaling's cooldowns.
fn policy(
    cx: &mut Cx,
    r: &Resource,
    owner: &Resource,
    target: &str,
    physical: &str,
) -> Option<String> {
    let full = concrete_name(cx.t, &r.props["PolicyName"]).unwrap_or_default();
    let name = full
        .strip_prefix(&format!("{physical}-"))
        .map_or_else(|| member_name(r, owner), str::to_string);
    let ty = r.props["PolicyType"].as_str().unwrap_or_default();
    let (text, conf, cooldowns) = match ty {
        "TargetTrackingScaling" => {
            let conf = r.props["TargetTrackingScalingPolicyConfiguration"].clone();
            let mut flat = r.clone();
            flat.props = json!({ "TargetTrackingConfiguration": conf });
            let text = tracking(cx, &flat, target, &name)?;
            (
                text,
                conf,
                [
                    ("ScaleOutCooldown", "scale_out_cooldown"),
                    ("ScaleInCooldown", "scale_in_cooldown"),
                ],
            )
        }
        "StepScaling" => {
            let conf = r.props["StepScalingPolicyConfiguration"].clone();
            let mut flat = r.clone();
            flat.props = conf.clone();
            let alarm = policy_alarm(cx, &r.id).cloned();
            let text = step(cx, &flat, target, &name, alarm.as_ref())?;
            if let Some(a) = &alarm {
                cx.record(a, format!("the alarm of policy {target}/{name}"));
            }
            (text, conf, [("Cooldown", "cooldown"), ("", "")])
        }
        other => {
            cx.refuse(
                r,
                format!("a `{other}` policy"),
                "scalec imports target tracking and step policies of scalable targets",
            );
            return None;
        }
    };
    let mut lines: String = cooldowns
        .iter()
        .filter(|(k, _)| !k.is_empty())
        .filter_map(|(k, word)| {
            conf[*k]
                .as_f64()
                .map(|v| format!("    {word} = {}\n", duration(v)))
        })
        .collect();
    if cx.explicit || full != format!("{physical}-{name}") {
        let _ = writeln!(lines, "    name = {}", quote(&full));
    }
    cx.record(r, format!("policy {target}/{name}"));
    // Before the block's closing brace.
    let body = text.strip_suffix("  }\n")?;
    Some(format!("{body}{lines}  }}\n"))
}

/// A policy's spec name from its logical id: what follows its target's
/// (`WorkerTaskCountTargetMemoryUpperPolicy8DFDFE04` of
/// `WorkerTaskCountTarget0A0DE0B5` is `memory_upper`), else its own.
fn member_name(r: &Resource, owner: &Resource) -> String {
    let base = |id: &str| -> String {
        let tail: String = id.chars().rev().take(8).collect();
        let hashed = id.len() > 8
            && tail
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase());
        if hashed {
            id[..id.len() - 8].to_string()
        } else {
            id.to_string()
        }
    };
    let (mine, theirs) = (base(&r.id), base(&owner.id));
    match mine.strip_prefix(&theirs) {
        Some(rest) if !rest.is_empty() => {
            let rest = rest
                .strip_suffix("Policy")
                .filter(|x| !x.is_empty())
                .unwrap_or(rest);
            snake(rest)
        }
        _ => local_name(r, "", &["Policy", "Scaling"]),
    }
}

/// Monitoring alarms on the target's metrics: an alarm no policy triggers
/// whose dimensions are the target's (its metric resolves with them).
fn alarms_on(cx: &Cx) -> Vec<Resource> {
    let parts: Vec<&Json> = cx.target_parts.iter().map(|(_, v)| v).collect();
    cx.t.resources
        .iter()
        .filter(|r| r.ty == "AWS::CloudWatch::Alarm" && !cx.entries.contains_key(&r.id))
        .filter(|r| {
            let triggers_policy = r.props["AlarmActions"].as_array().is_some_and(|a| {
                a.iter().any(|x| {
                    x["Ref"].as_str().is_some_and(|id| {
                        cx.t.resources
                            .iter()
                            .any(|p| p.id == id && p.ty.ends_with("::ScalingPolicy"))
                    })
                })
            });
            let dims: Vec<&Json> = r.props["Dimensions"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|d| &d["Value"])
                .collect();
            !triggers_policy && !dims.is_empty() && parts.iter().all(|p| dims.contains(p))
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::rate;

    #[test]
    fn rates_read_back_as_the_durations_the_checker_writes_them_from() {
        assert_eq!(rate("rate(1 day)").as_deref(), Some("24h"));
        assert_eq!(rate("rate(6 hours)").as_deref(), Some("6h"));
        assert_eq!(rate("rate(30 minutes)").as_deref(), Some("30m"));
        assert_eq!(rate("rate(2 weeks)"), None);
        assert_eq!(rate("cron(0 8 ? * * *)"), None);
    }
}
