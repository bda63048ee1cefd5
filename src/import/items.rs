//! A group's items for import: its policies (target tracking, step,
//! simple, predictive) with their alarms, its monitoring alarms, schedules
//! and dashboard, in the order of the spec they came from when the
//! template says.

use super::metrics::math;
use super::recover::{Cx, Entry, concrete_name, local_name};
use super::template::{Resource, Template};
use super::text::{adjustment, as_f64, as_u32, comparison, duration, quantity, quote, snake};
use crate::model::Unit;
use serde_json::{Value as Json, json};
use std::fmt::Write as _;

/// Where scalec's metadata says a resource was declared (`file:line:col`),
/// for writing items in their original order; others after, in template
/// order.
pub(super) fn source_position(r: &Resource) -> (u32, u32) {
    let pos = r.metadata["scalec"]["source"].as_str().and_then(|s| {
        let mut it = s.rsplitn(3, ':');
        let col = it.next()?.parse().ok()?;
        let line = it.next()?.parse().ok()?;
        Some((line, col))
    });
    pos.unwrap_or((u32::MAX, u32::MAX))
}

/// The alarm that triggers policy `pid`, if any.
pub(super) fn policy_alarm<'a>(cx: &Cx<'a>, pid: &str) -> Option<&'a Resource> {
    let t: &'a Template = cx.t;
    cx.index.alarm_of.get(pid).map(|&i| &t.resources[i])
}

/// The alarms or dashboards of type `ty` that belong to group `gid`, in
/// the order of the spec they came from.
fn owned(cx: &Cx, gid: &str, ty: &str) -> Vec<Resource> {
    let mut out: Vec<(usize, Resource)> = cx
        .index
        .owned
        .get(gid)
        .into_iter()
        .flatten()
        .filter(|i| cx.t.resources[**i].ty == ty)
        .map(|i| (*i, cx.t.resources[*i].clone()))
        .collect();
    out.sort_by_key(|(i, r)| (source_position(r), *i));
    out.into_iter().map(|(_, r)| r).collect()
}

/// The window lines of an alarm: period, evaluate, datapoints, missing.
pub(super) fn window(a: &Json, default_period: u32, explicit: bool) -> String {
    let mut s = String::new();
    let period = as_u32(&a["Period"]).unwrap_or(60);
    let evaluate = as_u32(&a["EvaluationPeriods"]).unwrap_or(1);
    let datapoints = as_u32(&a["DatapointsToAlarm"]).unwrap_or(evaluate);
    if explicit || period != default_period {
        let _ = write!(s, "  period = {}", duration(f64::from(period)));
    }
    let _ = write!(s, "  evaluate = {evaluate}");
    if explicit || datapoints != evaluate {
        let _ = write!(s, "  datapoints = {datapoints}");
    }
    match a["TreatMissingData"].as_str() {
        Some("breaching") => s.push_str("  missing = breaching"),
        Some("notBreaching") => s.push_str("  missing = not_breaching"),
        Some("ignore") => s.push_str("  missing = ignore"),
        _ => {}
    }
    s
}

pub(super) fn group_items(cx: &mut Cx, gid: &str, group: &str) -> String {
    let mut out = String::new();
    let physical = cx
        .groups
        .get(gid)
        .map(|(_, p)| p.clone())
        .unwrap_or_default();
    for r in cx.of_group(gid, "AWS::AutoScaling::ScalingPolicy") {
        let name = local_name(&r, "", &["Policy"]);
        let name = name
            .strip_prefix(&format!("{group}_"))
            .map(str::to_string)
            .unwrap_or(name);
        let before = cx.diags.len();
        let text = match r.props["PolicyType"].as_str().unwrap_or("SimpleScaling") {
            "TargetTrackingScaling" => tracking(cx, &r, group, &name),
            "StepScaling" => step(cx, &r, group, &name, policy_alarm(cx, &r.id)),
            "SimpleScaling" => simple(cx, &r, group, &name, policy_alarm(cx, &r.id)),
            "PredictiveScaling" => super::fleet::predictive(cx, &r, &name),
            other => {
                cx.refuse(
                    &r,
                    format!("a `{other}` policy isn't imported yet"),
                    "target tracking, step and simple policies are imported",
                );
                None
            }
        };
        if text.is_none() {
            unreadable(cx, &r, before);
        }
        // A live policy's name, kept when it isn't the one scalec derives.
        let text = text.map(|t| match r.props["PolicyName"].as_str() {
            Some(n) if n != format!("{physical}-{name}") => {
                t.replacen(" {\n", &format!(" {{\n    name = {}\n", quote(n)), 1)
            }
            _ => t,
        });
        if let Some(text) = text {
            out.push('\n');
            out.push_str(&text);
            cx.record(&r, format!("policy {group}/{name}"));
            if let Some(a) = policy_alarm(cx, &r.id) {
                let a = a.clone();
                cx.record(&a, format!("the alarm of policy {group}/{name}"));
                // The language names a policy's alarm after the policy.
                let policy = r.props["PolicyName"]
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("{physical}-{name}"));
                let wanted = format!("{policy}-alarm");
                match concrete_name(cx.t, &a.props["AlarmName"]) {
                    Some(now) if now != wanted => cx.renames.push(format!(
                        "rename: alarm `{now}` of policy {group}/{name} becomes `{wanted}`, a new alarm (CloudWatch can't rename one: the old is deleted)"
                    )),
                    None => cx.renames.push(format!(
                        "rename: the alarm of policy {group}/{name} has a name CloudFormation generated; scalec names it `{wanted}`, a new alarm"
                    )),
                    Some(_) => {}
                }
            }
        }
    }
    // Alarms of the group that trigger no policy.
    let mut alarms: Vec<Resource> = owned(cx, gid, "AWS::CloudWatch::Alarm")
        .into_iter()
        .filter(|r| !cx.entries.contains_key(&r.id))
        .collect();
    alarms.sort_by_key(source_position);
    for r in alarms {
        let before = cx.diags.len();
        match alarm(cx, &r, group, &physical) {
            Some(text) => {
                out.push('\n');
                out.push_str(&text);
            }
            None => unreadable(cx, &r, before),
        }
    }
    for r in cx.of_group(gid, "AWS::AutoScaling::ScheduledAction") {
        let before = cx.diags.len();
        match schedule(cx, &r, &physical) {
            Some(text) => {
                out.push('\n');
                out.push_str(&text);
            }
            None => unreadable(cx, &r, before),
        }
    }
    let dashboards = owned(cx, gid, "AWS::CloudWatch::Dashboard");
    for r in dashboards {
        let before = cx.diags.len();
        match dashboard(cx, &r, gid, group) {
            Some(text) => {
                out.push('\n');
                out.push_str(&text);
            }
            None if !cx.entries.contains_key(&r.id) => unreadable(cx, &r, before),
            None => {}
        }
    }
    out
}

/// A resource that came back empty without saying why: refused, so that
/// nothing is dropped silently.
fn unreadable(cx: &mut Cx, r: &Resource, diags_before: usize) {
    if cx.diags.len() == diags_before {
        cx.refuse(
            r,
            "properties scalec can't read (a missing or malformed value)".into(),
            "compare the resource with the CloudFormation documentation of its type",
        );
    }
}

pub(super) fn tracking(cx: &mut Cx, r: &Resource, group: &str, name: &str) -> Option<String> {
    let c = &r.props["TargetTrackingConfiguration"];
    let mut s = format!("  policy {name} target_tracking {{\n");
    let (metric, unit) = if let Some(pre) = c.get("PredefinedMetricSpecification") {
        let kind = pre["PredefinedMetricType"].as_str().unwrap_or_default();
        let std = std::rc::Rc::clone(&cx.std);
        let Some(def) = std.iter().find(|d| d.predefined.as_deref() == Some(kind)) else {
            cx.refuse(r, format!("predefined metric `{kind}`"), "scalec knows ASGAverageCPUUtilization, ASGAverageNetworkIn/Out and ALBRequestCountPerTarget");
            return None;
        };
        if def.params.is_empty() {
            (def.key.clone(), def.unit)
        } else {
            // ALBRequestCountPerTarget: `app/LB/ID/targetgroup/TG/ID`.
            let Some((lb, tg)) = cx.label_parts(&pre["ResourceLabel"]) else {
                cx.refuse(r, "a request-count resource label scalec can't trace to its load balancer and target group".into(), "give the label as scalec writes it: a join of the ARNs' parts");
                return None;
            };
            let lb = cx.param_ref(&lb, Some("load_balancer_arn"))?;
            let tg = cx.param_ref(&tg, Some("target_group_arn"))?;
            (format!("{}({lb}, {tg})", def.key), def.unit)
        }
    } else if let Some(custom) = c.get("CustomizedMetricSpecification") {
        if custom.get("Metrics").is_some() {
            let e = math(cx, r, group, &custom["Metrics"])?;
            (e, Unit::Count)
        } else {
            let (m, unit, _) = cx.metric(
                r,
                group,
                custom["Namespace"].as_str().unwrap_or_default(),
                custom["MetricName"].as_str().unwrap_or_default(),
                &custom["Dimensions"],
                custom["Statistic"].as_str(),
            )?;
            (m, unit)
        }
    } else {
        cx.refuse(
            r,
            "target tracking without a metric".into(),
            "give a predefined or customized metric",
        );
        return None;
    };
    let target = as_f64(&c["TargetValue"])?;
    let _ = writeln!(s, "    metric = {metric}");
    let _ = writeln!(s, "    target = {}", quantity(target, unit, 1.0));
    if let Some(w) = as_f64(&r.props["EstimatedInstanceWarmup"]) {
        let _ = writeln!(s, "    warmup = {}", duration(w));
    }
    if c["DisableScaleIn"] == true {
        let _ = writeln!(s, "    scale_in = false");
    }
    s.push_str("  }\n");
    Some(s)
}

pub(super) fn alarm_metric(
    cx: &mut Cx,
    r: &Resource,
    a: &Json,
    group: &str,
) -> Option<(String, Unit, f64)> {
    if a.get("Metrics").is_some() {
        let e = math(cx, r, group, &a["Metrics"])?;
        return Some((e, Unit::Count, 1.0));
    }
    let (m, unit, _) = cx.metric(
        r,
        group,
        a["Namespace"].as_str().unwrap_or_default(),
        a["MetricName"].as_str().unwrap_or_default(),
        &a["Dimensions"],
        a["Statistic"].as_str(),
    )?;
    let period = as_u32(&a["Period"]).unwrap_or(60);
    let factor = if unit == Unit::PerMinute && a["Statistic"] == "Sum" {
        f64::from(period) / 60.0
    } else {
        1.0
    };
    Some((m, unit, factor))
}

/// The alarm that triggers a step or simple policy, and its metric; a
/// policy no alarm triggers is refused.
fn triggering_alarm(
    cx: &mut Cx,
    r: &Resource,
    kind: &str,
    alarm: Option<&Resource>,
    group: &str,
) -> Option<(Json, String, Unit, f64)> {
    let Some(alarm) = alarm else {
        cx.refuse(
            r,
            format!("a {kind} policy no alarm triggers"),
            &format!("a {kind} policy is imported with the alarm whose actions name it"),
        );
        return None;
    };
    if !alarm_refusals(cx, alarm) {
        return None;
    }
    let a = alarm.props.clone();
    let (metric, unit, factor) = alarm_metric(cx, alarm, &a, group)?;
    Some((a, metric, unit, factor))
}

pub(super) fn step(
    cx: &mut Cx,
    r: &Resource,
    group: &str,
    name: &str,
    alarm: Option<&Resource>,
) -> Option<String> {
    let (a, metric, unit, factor) = triggering_alarm(cx, r, "step", alarm, group)?;
    let threshold = as_f64(&a["Threshold"])?;
    let kind = r.props["AdjustmentType"]
        .as_str()
        .unwrap_or("ChangeInCapacity");
    // A statistic other than the metric's own is the step policy's
    // `statistic`, not a function around the metric.
    let (metric, statistic) = match metric.split_once('(') {
        Some((f, rest))
            if ["average", "sum", "minimum", "maximum", "sample_count"].contains(&f)
                && rest.ends_with(')') =>
        {
            (rest[..rest.len() - 1].to_string(), Some(f.to_string()))
        }
        _ => (metric, None),
    };
    let mut s = format!(
        "  policy {name} step {{\n    metric = {metric}\n  {}\n",
        window(&a, 60, cx.explicit)
    );
    if let Some(st) = statistic {
        let _ = writeln!(s, "    statistic = {st}");
    }
    if let Some(m) = as_u32(&r.props["MinAdjustmentMagnitude"]) {
        let _ = writeln!(s, "    min_magnitude = {m}");
    }
    if let Some(w) = as_f64(&r.props["EstimatedInstanceWarmup"]) {
        let _ = writeln!(s, "    warmup = {}", duration(w));
    }
    match r.props["MetricAggregationType"].as_str() {
        Some("Minimum") => s.push_str("    aggregation = minimum\n"),
        Some("Maximum") => s.push_str("    aggregation = maximum\n"),
        _ => {}
    }
    for st in r.props["StepAdjustments"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let lo =
            as_f64(&st["MetricIntervalLowerBound"]).map(|v| quantity(threshold + v, unit, factor));
        let hi =
            as_f64(&st["MetricIntervalUpperBound"]).map(|v| quantity(threshold + v, unit, factor));
        let adj = st["ScalingAdjustment"].as_i64()?;
        let _ = writeln!(
            s,
            "    {}..{} => {}",
            lo.unwrap_or_default(),
            hi.unwrap_or_default(),
            adjustment(kind, adj)
        );
    }
    s.push_str("  }\n");
    Some(s)
}

pub(super) fn simple(
    cx: &mut Cx,
    r: &Resource,
    group: &str,
    name: &str,
    alarm: Option<&Resource>,
) -> Option<String> {
    let (a, metric, unit, factor) = triggering_alarm(cx, r, "simple", alarm, group)?;
    let op = comparison(a["ComparisonOperator"].as_str().unwrap_or_default())?;
    let threshold = as_f64(&a["Threshold"])?;
    let kind = r.props["AdjustmentType"]
        .as_str()
        .unwrap_or("ChangeInCapacity");
    let adj = r.props["ScalingAdjustment"].as_i64().or_else(|| {
        r.props["ScalingAdjustment"]
            .as_str()
            .and_then(|t| t.parse::<i64>().ok())
    })?;
    let mut s = format!(
        "  policy {name} simple {{\n    when = {metric} {op} {}\n    adjust = {}\n",
        quantity(threshold, unit, factor),
        adjustment(kind, adj)
    );
    if let Some(c) = as_f64(&r.props["Cooldown"]) {
        let _ = writeln!(s, "    cooldown = {}", duration(c));
    }
    if let Some(m) = as_u32(&r.props["MinAdjustmentMagnitude"]) {
        let _ = writeln!(s, "    min_magnitude = {m}");
    }
    let _ = writeln!(s, "  {}", window(&a, 60, cx.explicit));
    s.push_str("  }\n");
    Some(s)
}

/// The group scalec's metadata names (`group web / alarm hot`), if any.
fn metadata_group(r: &Resource) -> Option<&str> {
    r.metadata["scalec"]["item"]
        .as_str()?
        .strip_prefix("group ")?
        .split(" / ")
        .next()
}

/// The group an alarm belongs to: scalec's metadata; else the group an
/// `AutoScalingGroupName` dimension names (of the alarm's metric or of one
/// in its metric math); else the group behind the load balancer or target
/// group it watches; else the template's only group.
pub(super) fn alarm_group(cx: &Cx, r: &Resource) -> Option<String> {
    if let Some(g) = metadata_group(r) {
        return cx.group_ids.get(g).cloned();
    }
    let dims: Vec<&Json> = r.props["Dimensions"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(
            r.props["Metrics"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|q| {
                    q["MetricStat"]["Metric"]["Dimensions"]
                        .as_array()
                        .into_iter()
                        .flatten()
                }),
        )
        .collect();
    let named = dims
        .iter()
        .find(|d| d["Name"] == "AutoScalingGroupName")
        .and_then(|d| d["Value"].get("Ref").and_then(Json::as_str))
        .filter(|id| cx.groups.contains_key(*id));
    if let Some(id) = named {
        return Some(id.to_string());
    }
    // A target group's, or a load balancer's (through its listeners'
    // target groups): the group they send traffic to.
    let mut tgs: Vec<String> = Vec::new();
    for d in &dims {
        if let Some(tg) = super::metrics::target_group_of(&d["Value"])
            && let Some(id) = tg.get("Ref").and_then(Json::as_str)
        {
            tgs.push(id.to_string());
        }
        if let Some(lb) = cx.load_balancer_of(&d["Value"]) {
            for l in cx.t.resources.iter().filter(|l| {
                l.ty == "AWS::ElasticLoadBalancingV2::Listener" && l.props["LoadBalancerArn"] == lb
            }) {
                for a in l.props["DefaultActions"].as_array().into_iter().flatten() {
                    let forward = a["TargetGroupArn"].clone();
                    let weighted = a["ForwardConfig"]["TargetGroups"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                    for t in std::iter::once(forward)
                        .chain(weighted.iter().map(|t| t["TargetGroupArn"].clone()))
                    {
                        if let Some(id) = t.get("Ref").and_then(Json::as_str) {
                            tgs.push(id.to_string());
                        }
                    }
                }
            }
        }
    }
    let mut behind: Vec<&String> = cx
        .groups
        .keys()
        .filter(|gid| {
            cx.t.resources.iter().any(|g| {
                &&g.id == gid
                    && g.props["TargetGroupARNs"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|t| {
                            t.get("Ref")
                                .and_then(Json::as_str)
                                .is_some_and(|id| tgs.iter().any(|x| x == id))
                        })
            })
        })
        .collect();
    behind.sort();
    behind.dedup();
    if let [one] = behind.as_slice() {
        return Some((*one).clone());
    }
    // A metric one group's scaling policies watch (a queue's backlog, an
    // application metric): that group's.
    let watched = |a: &Resource| -> Vec<Json> {
        let one = json!([
            a.props["Namespace"],
            a.props["MetricName"],
            a.props["Dimensions"]
        ]);
        std::iter::once(one)
            .chain(
                a.props["Metrics"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|q| {
                        let m = &q["MetricStat"]["Metric"];
                        json!([m["Namespace"], m["MetricName"], m["Dimensions"]])
                    }),
            )
            .filter(|m| !m[1].is_null())
            .collect()
    };
    let mine = watched(r);
    let mut owners: Vec<String> = Vec::new();
    for (pid, &i) in &cx.index.alarm_of {
        let policy = cx.t.resources.iter().find(|p| &p.id == pid);
        let Some(g) = policy
            .and_then(|p| p.props["AutoScalingGroupName"].get("Ref"))
            .and_then(Json::as_str)
        else {
            continue;
        };
        if watched(&cx.t.resources[i]).iter().any(|m| mine.contains(m))
            && !owners.iter().any(|o| o == g)
        {
            owners.push(g.to_string());
        }
    }
    if let [one] = owners.as_slice() {
        return Some(one.clone());
    }
    // A template of one group: its alarms are that group's.
    let mut groups = cx.groups.keys();
    match (groups.next(), groups.next()) {
        (Some(only), None) => Some(only.clone()),
        _ => None,
    }
}

/// Alarm properties scalec writes from the spec; anything else is refused.
const ALARM_PROPS: &[&str] = &[
    "AlarmName",
    "AlarmDescription",
    "AlarmActions",
    "ActionsEnabled",
    "ComparisonOperator",
    "DatapointsToAlarm",
    "Dimensions",
    "EvaluationPeriods",
    "MetricName",
    "Metrics",
    "Namespace",
    "Period",
    "Statistic",
    "Threshold",
    "TreatMissingData",
    "Tags",
];

/// Refuses what an alarm has that scalec's alarms can't say: OK or
/// insufficient-data actions, percentiles, units, disabled actions,
/// anomaly bands.
pub(super) fn alarm_refusals(cx: &mut Cx, r: &Resource) -> bool {
    let mut ok = true;
    for (k, v) in r.props.as_object().into_iter().flatten() {
        let (what, help) = match k.as_str() {
            "ActionsEnabled" if *v != false => continue,
            k if ALARM_PROPS.contains(&k) => continue,
            "OKActions" => (
                "an OK action (`OKActions`)",
                "scalec's alarms notify their tier's topic when they fire; remove the OK action, or keep this alarm outside scalec",
            ),
            "InsufficientDataActions" => (
                "an insufficient-data action",
                "scalec's alarms notify their tier's topic when they fire",
            ),
            "ExtendedStatistic" => (
                "a percentile statistic (`ExtendedStatistic`)",
                "scalec's alarms take average, sum, minimum, maximum and sample_count",
            ),
            "ActionsEnabled" => (
                "disabled actions (`ActionsEnabled: false`)",
                "disable an alarm in scalec with `enabled = false`, which removes it",
            ),
            _ => ("", ""),
        };
        let what = if what.is_empty() {
            format!("alarm property `{k}`")
        } else {
            what.to_string()
        };
        let help = if help.is_empty() {
            "scalec alarms have a condition, a window, a tier, topics and a description"
        } else {
            help
        };
        cx.refuse(r, what, help);
        ok = false;
    }
    ok
}

/// An alarm's name without the words it shares with its group's name:
/// `emails_backlog_warning` of group `emails_fleet` (both made by one CDK
/// construct, `Emails`) is `backlog_warning`, as the group's other
/// members are named, so that groups made by one construct read alike.
fn strip_group_words(name: &str, group: &str) -> String {
    let words: Vec<&str> = name.split('_').collect();
    let shared = words
        .iter()
        .zip(group.split('_'))
        .take_while(|(a, b)| **a == *b)
        .count();
    if shared == 0 || shared >= words.len() {
        return name.to_string();
    }
    words[shared..].join("_")
}

pub(super) fn alarm(
    cx: &mut Cx,
    r: &Resource,
    group: &str,
    group_physical: &str,
) -> Option<String> {
    if !alarm_refusals(cx, r) {
        return None;
    }
    let a = r.props.clone();
    let physical = concrete_name(cx.t, &a["AlarmName"]).unwrap_or_default();
    let name = match r.metadata["scalec"]["item"]
        .as_str()
        .and_then(|i| i.rsplit(" / alarm ").next())
    {
        Some(n) if n != r.metadata["scalec"]["item"].as_str().unwrap_or_default() => n.to_string(),
        _ => physical
            .strip_prefix(&format!("{group_physical}-"))
            .map(snake)
            .unwrap_or_else(|| {
                let n = local_name(r, "", &["Alarm"]);
                strip_group_words(&n, group)
            }),
    };
    let desc = a["AlarmDescription"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let (tier, rest) = match desc.strip_prefix('[').and_then(|d| d.split_once("] ")) {
        Some((t, rest)) if matches!(t, "critical" | "warning" | "info") => {
            (t.to_string(), rest.to_string())
        }
        // Not scalec's: the tier of the first topic it notifies named as
        // one (`critical`), else `info`.
        _ => {
            let tier = a["AlarmActions"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|x| x.get("Ref").and_then(Json::as_str))
                .filter_map(|id| cx.topics.get(id))
                .find(|t| matches!(t.as_str(), "critical" | "warning" | "info"))
                .cloned()
                .unwrap_or_else(|| "info".to_string());
            (tier, desc.clone())
        }
    };
    let (metric, unit, factor) = alarm_metric(cx, r, &a, group)?;
    let op = comparison(a["ComparisonOperator"].as_str().unwrap_or_default())?;
    let threshold = as_f64(&a["Threshold"])?;
    let mut s = format!(
        "  alarm {name} {tier} {{\n    when = {metric} {op} {}\n  {}\n",
        quantity(threshold, unit, factor),
        window(&a, 60, cx.explicit)
    );
    let mut topics: Vec<String> = Vec::new();
    for x in a["AlarmActions"].as_array().cloned().unwrap_or_default() {
        match x
            .get("Ref")
            .and_then(Json::as_str)
            .and_then(|id| cx.topics.get(id).cloned())
        {
            Some(t) => topics.push(t),
            None => {
                cx.refuse(
                    r,
                    format!("an alarm action `{x}` that isn't a topic of the template"),
                    "monitoring alarms notify the spec's topics",
                );
                return None;
            }
        }
    }
    if topics.first().is_some_and(|t| *t == tier) {
        topics.remove(0);
    }
    if !cx.topics.values().any(|t| *t == tier) {
        cx.tier_topics.insert(tier.clone());
    }
    if !topics.is_empty() {
        let _ = writeln!(s, "    notify = [{}]", topics.join(", "));
    }
    if rest != format!("alarm `{name}` of group `{group}`. Managed by scalec.") && !rest.is_empty()
    {
        let _ = writeln!(s, "    description = {}", quote(&rest));
    }
    if (cx.explicit || physical != format!("{group_physical}-{name}")) && !physical.is_empty() {
        let _ = writeln!(s, "    name = {}", quote(&physical));
    }
    s.push_str("  }\n");
    cx.record(r, format!("alarm {group}/{name}"));
    Some(s)
}

pub(super) fn schedule(cx: &mut Cx, r: &Resource, group_physical: &str) -> Option<String> {
    let p = r.props.clone();
    let physical = p["ScheduledActionName"].as_str().map(str::to_string);
    let name = match &physical {
        Some(n) => n
            .strip_prefix(&format!("{group_physical}-"))
            .map(str::to_string)
            .unwrap_or_else(|| snake(n)),
        None => local_name(r, "", &["Schedule"]),
    };
    let group = cx
        .groups
        .values()
        .find(|(_, ph)| ph == group_physical)
        .map(|(l, _)| l.clone())
        .unwrap_or_default();
    let name = r.metadata["scalec"]["item"]
        .as_str()
        .and_then(|i| i.rsplit(" / schedule ").next().filter(|n| *n != i))
        .map(str::to_string)
        .unwrap_or_else(|| {
            name.strip_prefix(&format!("{group}_"))
                .map(str::to_string)
                .unwrap_or(name)
        });
    let Some(cron) = p["Recurrence"].as_str() else {
        cx.refuse(
            r,
            "a one-time scheduled action".into(),
            "scalec schedules recur: give `Recurrence`",
        );
        return None;
    };
    let mut s = format!("  schedule {name} {{\n    cron = {}\n", quote(cron));
    if let Some(z) = p["TimeZone"].as_str() {
        let _ = writeln!(s, "    timezone = {}", quote(z));
    }
    match (as_u32(&p["MinSize"]), as_u32(&p["MaxSize"])) {
        (Some(a), Some(b)) => {
            let _ = writeln!(s, "    capacity = {a}..{b}");
        }
        (None, None) => {}
        _ => {
            cx.refuse(
                r,
                "a scheduled action that sets only one of MinSize and MaxSize".into(),
                "a spec schedule sets both, as `capacity = MIN..MAX`",
            );
            return None;
        }
    }
    if let Some(d) = as_u32(&p["DesiredCapacity"]) {
        let _ = writeln!(s, "    desired = {d}");
    }
    s.push_str("  }\n");
    cx.record(r, format!("schedule {group}/{name}"));
    Some(s)
}

/// The group a dashboard shows: scalec's metadata, else the group whose
/// name its body refers to.
pub(super) fn dashboard_group(cx: &Cx, r: &Resource) -> Option<String> {
    if let Some(g) = metadata_group(r) {
        return cx.group_ids.get(g).cloned();
    }
    // The names the body refers to, `${X}` or `{"Ref":"X"}`, read once.
    let body = r.props["DashboardBody"].to_string();
    let mut ids: Vec<&str> = Vec::new();
    for (open, close) in [("${", '}'), ("{\"Ref\":\"", '"')] {
        let mut rest = body.as_str();
        while let Some(i) = rest.find(open) {
            rest = &rest[i + open.len()..];
            if let Some(end) = rest.find(close) {
                let id = &rest[..end];
                if cx.groups.contains_key(id) {
                    ids.push(id);
                }
            }
        }
    }
    ids.sort_unstable();
    ids.first().map(|s| (*s).to_string())
}

/// A group's dashboard, as the spec's `dashboard { ... }`: scalec's own
/// widgets by their words, any other metric correlated with capacity;
/// what the spec's layout doesn't keep is said. `None` when the body
/// can't be read, or a widget has no spec form.
pub(super) fn dashboard(cx: &mut Cx, r: &Resource, gid: &str, group: &str) -> Option<String> {
    let (text, vars) = dashboard_text(cx, r)?;
    let Ok(body) = serde_json::from_str::<Json>(&text) else {
        cx.refuse(
            r,
            "a dashboard body that isn't JSON".into(),
            "CloudWatch dashboard bodies are JSON",
        );
        return None;
    };
    let mut words: Vec<String> = Vec::new();
    let mut correlate: Vec<String> = Vec::new();
    // What the dashboard shows that scalec's layout doesn't keep.
    let mut dropped: Vec<String> = Vec::new();
    let mut titled = 0;
    for w in body["widgets"].as_array().cloned().unwrap_or_default() {
        let props = &w["properties"];
        if let Some(region) = props["region"].as_str().filter(|r| !r.contains("${")) {
            cx.region.get_or_insert_with(|| region.to_string());
        }
        let title = props["title"].as_str().unwrap_or_default();
        let what = title.strip_prefix(&format!("{group}: ")).unwrap_or(title);
        let word = match what {
            "capacity" => Some("capacity"),
            "scaling activity" => Some("activity"),
            "in service, % of max" => Some("utilization"),
            _ => None,
        };
        if let Some(word) = word {
            if !correlate.is_empty() {
                words.push(format!("correlate [{}]", correlate.join(", ")));
                correlate.clear();
            }
            words.push(word.to_string());
            continue;
        }
        // A metric widget scalec didn't write: each of its metrics is
        // correlated with capacity (the layout becomes scalec's).
        if !what.ends_with(" vs capacity") {
            titled += 1;
        }
        let rows: Vec<Json> = if what.ends_with(" vs capacity") {
            props["metrics"]
                .as_array()
                .and_then(|m| m.first())
                .cloned()
                .into_iter()
                .collect()
        } else if w["type"] == "metric" {
            props["metrics"].as_array().cloned().unwrap_or_default()
        } else {
            vec![]
        };
        let seen = (&mut correlate, &mut dropped);
        widget_metrics(cx, r, group, &rows, &vars, seen)?;
        if rows.is_empty() {
            // Text and other widgets have no spec form: the dashboard is
            // left out, and the report says why.
            cx.entries.insert(
                r.id.clone(),
                Entry {
                    id: r.id.clone(),
                    ty: r.ty.clone(),
                    became: format!("left out: its `{}` widget has no spec form (scalec dashboards show metrics)", w["type"].as_str().unwrap_or("unknown")),
                    imported: false,
                    span: Some(r.span),
                },
            );
            return None;
        }
    }
    if !correlate.is_empty() {
        words.push(format!("correlate [{}]", correlate.join(", ")));
    }
    let _ = gid;
    let s = dashboard_block(cx, r, group, &words);
    if titled > 0 {
        dropped.insert(
            0,
            format!(
                "the layout of {titled} widget{} (titles, axes, sizes, annotations)",
                if titled == 1 { "" } else { "s" }
            ),
        );
    }
    if !dropped.is_empty() {
        cx.renames.push(format!(
            "changed: dashboard of group {group} shows each metric against capacity, in scalec's layout; not kept: {}",
            dropped.join(", ")
        ));
    }
    cx.record(r, format!("dashboard of group {group}"));
    Some(s)
}

/// A dashboard body's text and the values of its `${X}` variables: a
/// string, an `Fn::Join` (parts that aren't text become `${VarN}` with
/// their value) or an `Fn::Sub`; `None` (refused) otherwise.
fn dashboard_text(cx: &mut Cx, r: &Resource) -> Option<(String, serde_json::Map<String, Json>)> {
    match &r.props["DashboardBody"] {
        Json::String(s) => Some((s.clone(), serde_json::Map::new())),
        b if b.get("Fn::Join").is_some() => {
            let parts = b["Fn::Join"][1].as_array().cloned().unwrap_or_default();
            let sep = b["Fn::Join"][0].as_str().unwrap_or_default().to_string();
            let mut text = String::new();
            let mut vars = serde_json::Map::new();
            for (k, part) in parts.iter().enumerate() {
                if k > 0 {
                    text.push_str(&sep);
                }
                match part.as_str() {
                    Some(s) => text.push_str(s),
                    None => {
                        let var = format!("Var{k}");
                        text.push_str(&format!("${{{var}}}"));
                        vars.insert(var, part.clone());
                    }
                }
            }
            Some((text, vars))
        }
        b => match b.get("Fn::Sub").and_then(Json::as_array) {
            Some(a) => Some((
                a.first()
                    .and_then(Json::as_str)
                    .unwrap_or_default()
                    .to_string(),
                a.get(1)
                    .and_then(Json::as_object)
                    .cloned()
                    .unwrap_or_default(),
            )),
            None => {
                cx.refuse(
                    r,
                    "a dashboard body scalec can't read".into(),
                    "the body is a string or an Fn::Sub",
                );
                None
            }
        },
    }
}

/// Each metric line of a widget as the spec's metric, added to those
/// correlated with capacity; a math line, or a line's own statistic,
/// noted among what isn't kept. `None` when a metric is refused.
fn widget_metrics(
    cx: &mut Cx,
    r: &Resource,
    group: &str,
    rows: &[Json],
    vars: &serde_json::Map<String, Json>,
    (correlate, dropped): (&mut Vec<String>, &mut Vec<String>),
) -> Option<()> {
    // `${X}` back to what it stands for.
    let resolve = |s: &str| -> Json {
        match s.strip_prefix("${").and_then(|x| x.strip_suffix('}')) {
            Some(v) if vars.contains_key(v) => vars[v].clone(),
            Some(v) => serde_json::json!({ "Ref": v }),
            None => Json::String(s.to_string()),
        }
    };
    let mut last: Option<(String, String)> = None;
    for row in rows.iter().filter_map(Json::as_array) {
        // A math line: its metrics are lines of their own (the CDK's
        // hidden ones), the expression isn't kept.
        if let Some(e) = row
            .first()
            .and_then(|o| o.get("expression"))
            .and_then(Json::as_str)
        {
            dropped.push(format!("the math line `{e}`"));
            continue;
        }
        let word = |i: usize| {
            row.get(i)
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_string()
        };
        // `"..."` repeats the line before's namespace and name.
        let (ns, name) = match (word(0).as_str(), &last) {
            ("...", Some(prev)) => prev.clone(),
            _ => (word(0), word(1)),
        };
        last = Some((ns.clone(), name.clone()));
        let mut dims = Vec::new();
        let mut stat = None;
        let mut k = 2;
        while k < row.len() {
            if let Some(o) = row[k].as_object() {
                stat = o.get("stat").and_then(Json::as_str).map(str::to_string);
                k += 1;
                continue;
            }
            let n = row[k].as_str().unwrap_or_default();
            let v = row.get(k + 1).and_then(Json::as_str).unwrap_or_default();
            dims.push(serde_json::json!({ "Name": n, "Value": resolve(v) }));
            k += 2;
        }
        let (m, _, _) = cx.metric(r, group, &ns, &name, &Json::Array(dims), stat.as_deref())?;
        // A dashboard line shows a metric with its own statistic.
        let m = match m.split_once('(') {
            Some((f, rest))
                if ["average", "sum", "minimum", "maximum", "sample_count"].contains(&f)
                    && rest.ends_with(')') =>
            {
                dropped.push(format!(
                    "the {f} statistic of `{}`",
                    &rest[..rest.len() - 1]
                ));
                rest[..rest.len() - 1].to_string()
            }
            _ => m,
        };
        if !correlate.contains(&m) {
            correlate.push(m);
        }
    }
    Some(())
}

/// The spec's `dashboard { ... }` block: its name unless derived, then
/// its words.
fn dashboard_block(cx: &Cx, r: &Resource, group: &str, words: &[String]) -> String {
    let mut s = String::from("  dashboard {\n");
    if let Some(n) = r.props["DashboardName"].as_str()
        && (cx.explicit || n != format!("{}-{}-{group}", cx.app, cx.env))
    {
        let _ = writeln!(s, "    name = {}", quote(n));
    }
    for w in words {
        let _ = writeln!(s, "    {w}");
    }
    s.push_str("  }\n");
    s
}
