//! Values and metrics for import: template values as params and literals
//! (resources outside scalec become params), CloudWatch metrics matched to
//! the std-lib or declared, and metric math written back as spec math.

use super::error as codes;
use super::recover::{Cx, Entry, Param, local_name};
use super::template::Resource;
use super::text::{quote, snake, statistic_word};
use crate::check::DimSource;
use crate::diagnostic::Diagnostic;
use crate::model::{ParamType, Statistic, Unit};
use serde_json::{Value as Json, json};
use std::collections::BTreeMap;

impl Cx<'_> {
    pub(super) fn refuse(&mut self, r: &Resource, what: String, help: &str) {
        // The CDK says which construct wrote a resource: name it, as the
        // CDK's user knows it.
        let construct = r.metadata["aws:cdk:path"]
            .as_str()
            .map(|p| format!(" (CDK construct `{p}`)"))
            .unwrap_or_default();
        self.diags.push(
            Diagnostic::error(
                codes::UNSUPPORTED,
                format!("resource `{}`{construct}: {what}", r.id),
                r.span,
                "here",
            )
            .with_help(help.to_string()),
        );
    }

    pub(super) fn record(&mut self, r: &Resource, became: String) {
        self.entries.insert(
            r.id.clone(),
            Entry {
                id: r.id.clone(),
                ty: r.ty.clone(),
                became,
                imported: true,
                span: Some(r.span),
            },
        );
    }

    /// `param.x` for a `Ref` to a parameter, noting the type it is used as.
    pub(super) fn param_ref(&mut self, v: &Json, ty: Option<&str>) -> Option<String> {
        // A resource of the template scalec doesn't manage (a launch
        // template, a target group, a subnet): the spec takes it as a param.
        let key = match (
            v.get("Ref").and_then(Json::as_str),
            v.get("Fn::GetAtt").and_then(Json::as_array),
        ) {
            (Some(id), _) => id.to_string(),
            (None, Some(a)) => format!(
                "{}.{}",
                a.first().and_then(Json::as_str).unwrap_or_default(),
                a.get(1).and_then(Json::as_str).unwrap_or_default()
            ),
            _ => return None,
        };
        if !self.params.contains_key(&key) {
            let base = key.split('.').next().unwrap_or_default().to_string();
            let r = self.t.resources.iter().find(|r| r.id == base)?;
            if self.groups.contains_key(&base) || self.topics.contains_key(&base) {
                return None;
            }
            let mut name = local_name(r, "", &[]);
            if let Some((_, attr)) = key.split_once('.') {
                name = format!("{name}_{}", snake(attr));
            }
            while self.params.values().any(|p| p.name == name) {
                name.push_str("_2");
            }
            self.outside.entry(base).or_default().push(name.clone());
            self.param_order.push(key.clone());
            // An attribute the template gives literally (a queue's
            // `QueueName`) is the param's value.
            let default = key
                .split_once('.')
                .and_then(|(_, attr)| r.props.get(attr))
                .filter(|v| v.is_string())
                .cloned();
            self.params.insert(
                key.clone(),
                Param {
                    name,
                    used: false,
                    ty: None,
                    list: false,
                    default,
                },
            );
        }
        let p = self.params.get_mut(&key)?;
        p.used = true;
        if p.ty.is_none() {
            p.ty = ty.map(str::to_string);
        }
        Some(format!("param.{}", p.name))
    }

    /// One value: a parameter, a string or a number.
    pub(super) fn value(&mut self, r: &Resource, v: &Json, ty: Option<&str>) -> Option<String> {
        if let Some(p) = self.param_ref(v, ty) {
            return Some(p);
        }
        match v {
            Json::String(s) => Some(quote(s)),
            Json::Number(n) => Some(n.to_string()),
            Json::Bool(b) => Some(b.to_string()),
            other => {
                self.refuse(
                    r,
                    format!("the value `{other}` has no spec form"),
                    "scalec imports literals and parameters here",
                );
                None
            }
        }
    }

    /// A list: a list parameter, or `[a, b]`.
    pub(super) fn list(&mut self, r: &Resource, v: &Json, ty: Option<&str>) -> Option<String> {
        if let Some(p) = self.param_ref(v, ty) {
            return Some(p);
        }
        let items = v.as_array()?;
        let mut out = Vec::new();
        for i in items {
            out.push(self.value(r, i, ty)?);
        }
        Some(format!("[{}]", out.join(", ")))
    }

    /// A metric from namespace, name and dimensions: a std-lib metric with
    /// its arguments, else a metric the spec declares. Returns the spec
    /// expression and the metric's unit and statistic.
    pub(super) fn metric(
        &mut self,
        r: &Resource,
        group: &str,
        ns: &str,
        name: &str,
        dims: &Json,
        stat: Option<&str>,
    ) -> Option<(String, Unit, Statistic)> {
        let dims: Vec<(String, Json)> = match dims {
            Json::Array(a) => a
                .iter()
                .map(|d| {
                    (
                        d["Name"].as_str().unwrap_or_default().to_string(),
                        d["Value"].clone(),
                    )
                })
                .collect(),
            Json::Null => vec![],
            _ => return None,
        };
        let stat = match stat {
            Some(s) => Some(statistic_word(s)?.1),
            None => None,
        };
        let std = std::rc::Rc::clone(&self.std);
        // A std-lib metric with its own statistic first; then with another
        // one, written as `maximum(sqs.visible(...))`.
        let by_stat = std.iter().filter(|d| stat.is_none_or(|s| s == d.statistic));
        let others = std
            .iter()
            .filter(|d| stat.is_some_and(|s| s != d.statistic));
        'defs: for def in by_stat.chain(others) {
            if def.namespace != ns || def.name != name || def.dimensions.len() != dims.len() {
                continue;
            }
            let mut args: Vec<Option<String>> = vec![None; def.params.len()];
            for (dn, src) in &def.dimensions {
                let Some((_, v)) = dims.iter().find(|(n, _)| n == dn) else {
                    continue 'defs;
                };
                match src {
                    DimSource::GroupName => {
                        if !self.is_group(v, group) {
                            continue 'defs;
                        }
                    }
                    // A scalable target's part, while one is recovered.
                    DimSource::Target(part) => {
                        let same = self.target_parts.iter().any(|(k, x)| k == part && x == v);
                        if !same {
                            continue 'defs;
                        }
                    }
                    DimSource::Literal(l) => {
                        if v.as_str() != Some(l) {
                            continue 'defs;
                        }
                    }
                    DimSource::Arg(i) => {
                        let ty = def.params.get(*i).map(|(_, t)| *t);
                        let arg = match ty {
                            Some(ParamType::LoadBalancerArn) => self
                                .load_balancer_of(v)
                                .and_then(|p| self.param_ref(&p, Some("load_balancer_arn"))),
                            Some(ParamType::TargetGroupArn) => target_group_of(v)
                                .and_then(|p| self.param_ref(&p, Some("target_group_arn"))),
                            _ => match self.param_ref(v, Some("string")) {
                                Some(p) => Some(p),
                                None => v.as_str().map(quote),
                            },
                        };
                        match (arg, args.get_mut(*i)) {
                            (Some(a), Some(slot)) => *slot = Some(a),
                            _ => continue 'defs,
                        }
                    }
                }
            }
            // Every argument comes from a dimension, except target tracking's
            // ALB pair, whose load balancer is only in the resource label.
            let args: Vec<String> = args.into_iter().map(|a| a.unwrap_or_default()).collect();
            if args.iter().any(String::is_empty) {
                continue;
            }
            let expr = if args.is_empty() {
                def.key.clone()
            } else {
                format!("{}({})", def.key, args.join(", "))
            };
            return Some(match stat {
                Some(s) if s != def.statistic => (format!("{}({expr})", stat_name(s)), def.unit, s),
                _ => (expr, def.unit, def.statistic),
            });
        }
        // A metric of the spec's own: group dimensions and literals only.
        let stat = stat.unwrap_or(Statistic::Average);
        let mut dim_text = Vec::new();
        for (n, v) in &dims {
            if self.is_group(v, group) {
                dim_text.push(format!("{n} = group.name"));
            } else if let Some(s) = v.as_str() {
                dim_text.push(format!("{n} = {}", quote(s)));
            } else {
                self.refuse(
                    r,
                    format!("metric {ns}/{name} has dimension `{n}` = `{v}`, which scalec can't declare"),
                    "a declared metric's dimensions are the group's name, literals or its arguments",
                );
                return None;
            }
        }
        let stat_word = stat_name(stat);
        let mut key = format!("app.{}", snake(name));
        let decl = |key: &str| {
            format!(
                "metric {key} {{\n  namespace = {}\n  name = {}\n  unit = count\n  statistic = {stat_word}\n  dimensions = {{ {} }}\n}}\n",
                quote(ns),
                quote(name),
                dim_text.join(", ")
            )
        };
        let mut k = 2;
        while self.custom.get(&key).is_some_and(|d| *d != decl(&key)) {
            key = format!("app.{}_{k}", snake(name));
            k += 1;
        }
        let d = decl(&key);
        self.custom.insert(key.clone(), d);
        Some((key, Unit::Count, stat))
    }

    /// The load balancer ARN (as a `Ref` to it) a dimension value or a
    /// label part names: scalec's `Select 1 / Split "loadbalancer/"` of the
    /// ARN, the CDK's `GetAtt LB.LoadBalancerFullName`, or the CDK's
    /// `app/NAME/ID` joined from a listener's ARN (the listener's load
    /// balancer, then).
    pub(super) fn load_balancer_of(&self, v: &Json) -> Option<Json> {
        if let Some(x) = arn_part(v, 1, "loadbalancer/") {
            return Some(x.clone());
        }
        if let Some(a) = v.get("Fn::GetAtt").and_then(Json::as_array)
            && a.get(1).and_then(Json::as_str) == Some("LoadBalancerFullName")
        {
            return Some(json!({ "Ref": a.first()? }));
        }
        let parts = v.get("Fn::Join")?.get(1)?.as_array()?;
        self.listener_load_balancer(parts)
    }

    /// `Select 1, 2 and 3` of `Split "/"` of one listener's ARN, joined
    /// by "/" (the CDK's load balancer full name): that listener's load
    /// balancer.
    fn listener_load_balancer(&self, parts: &[Json]) -> Option<Json> {
        let mut listener = None;
        let mut picked = Vec::new();
        for p in parts {
            if p.as_str() == Some("/") {
                continue;
            }
            let sel = p.get("Fn::Select")?.as_array()?;
            let split = sel.get(1)?.get("Fn::Split")?.as_array()?;
            if split.first()?.as_str()? != "/" {
                return None;
            }
            let id = split.get(1)?.get("Ref")?.as_str()?;
            if listener.is_some_and(|l| l != id) {
                return None;
            }
            listener = Some(id);
            picked.push(sel.first()?.as_u64()?);
        }
        if picked != [1, 2, 3] {
            return None;
        }
        let r = self
            .t
            .resources
            .iter()
            .find(|r| Some(r.id.as_str()) == listener)?;
        (r.ty == "AWS::ElasticLoadBalancingV2::Listener")
            .then(|| r.props["LoadBalancerArn"].clone())
    }

    /// The load balancer and target group a request-count label names:
    /// scalec's join of the two ARNs' parts, or the CDK's join of a
    /// listener's parts and the target group's full name.
    pub(super) fn label_parts(&self, label: &Json) -> Option<(Json, Json)> {
        let parts = label.get("Fn::Join")?.get(1)?.as_array()?;
        let tg = parts.iter().find_map(target_group_of)?;
        let lb = parts
            .iter()
            .find_map(|p| arn_part(p, 1, "loadbalancer/").cloned())
            .or_else(|| {
                let before: Vec<Json> = parts
                    .iter()
                    .take_while(|p| target_group_of(p).is_none())
                    .cloned()
                    .collect();
                let trimmed = before.strip_suffix(&[json!("/")]).unwrap_or(&before);
                self.listener_load_balancer(trimmed)
            })?;
        Some((lb, tg))
    }

    pub(super) fn is_group(&self, v: &Json, group: &str) -> bool {
        match v.get("Ref").and_then(Json::as_str) {
            Some(id) => self.groups.get(id).is_some_and(|(l, _)| l == group),
            None => v
                .as_str()
                .is_some_and(|s| self.groups.values().any(|(l, p)| l == group && p == s)),
        }
    }
}

/// A statistic as the spec writes it.
pub(super) fn stat_name(s: Statistic) -> &'static str {
    match s {
        Statistic::Average => "average",
        Statistic::Sum => "sum",
        Statistic::Minimum => "minimum",
        Statistic::Maximum => "maximum",
        Statistic::SampleCount => "sample_count",
    }
}

/// The target group ARN (as a `Ref` to it) a dimension value names:
/// scalec's `Select 5 / Split ":"` of the ARN, or the CDK's
/// `GetAtt TG.TargetGroupFullName`.
pub(super) fn target_group_of(v: &Json) -> Option<Json> {
    if let Some(x) = arn_part(v, 5, ":") {
        return Some(x.clone());
    }
    let a = v.get("Fn::GetAtt")?.as_array()?;
    let id = a.first()?;
    (a.get(1).and_then(Json::as_str) == Some("TargetGroupFullName")).then(|| json!({ "Ref": id }))
}

/// `{"Fn::Select": [i, {"Fn::Split": [sep, X]}]}` -> X.
pub(super) fn arn_part<'a>(v: &'a Json, i: u64, sep: &str) -> Option<&'a Json> {
    let sel = v.get("Fn::Select")?.as_array()?;
    if sel.first()?.as_u64()? != i {
        return None;
    }
    let split = sel.get(1)?.get("Fn::Split")?.as_array()?;
    if split.first()?.as_str()? != sep {
        return None;
    }
    split.get(1)
}

/// A metric-math query list as a spec expression: each `mN` becomes its
/// metric, CloudWatch's functions their spec names.
pub(super) fn math(cx: &mut Cx, r: &Resource, group: &str, queries: &Json) -> Option<String> {
    let list = queries.as_array()?;
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut expr = None;
    for q in list {
        let id = q["Id"].as_str().unwrap_or_default().to_string();
        if let Some(e) = q["Expression"].as_str() {
            if q["ReturnData"] != false {
                if expr.is_some() {
                    cx.refuse(
                        r,
                        "metric math that returns more than one time series".into(),
                        "alarms and target tracking take one returned expression",
                    );
                    return None;
                }
                expr = Some(e.to_string());
            }
            continue;
        }
        let m = &q["MetricStat"];
        let (text, _, _) = cx.metric(
            r,
            group,
            m["Metric"]["Namespace"].as_str().unwrap_or_default(),
            m["Metric"]["MetricName"].as_str().unwrap_or_default(),
            &m["Metric"]["Dimensions"],
            m["Stat"].as_str(),
        )?;
        ids.insert(id, text);
    }
    let Some(expr) = expr else {
        cx.refuse(
            r,
            "metric math with no returned expression".into(),
            "mark one expression `ReturnData: true`",
        );
        return None;
    };
    const FUNCS: &[(&str, &str)] = &[
        ("ABS", "abs"),
        ("DIFF", "diff"),
        ("RATE", "rate"),
        ("FILL", "fill"),
    ];
    let mut out = String::new();
    let chars: Vec<char> = expr.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if let Some(m) = ids.get(&word) {
                out.push_str(m);
            } else if let Some((_, f)) = FUNCS.iter().find(|(a, _)| *a == word) {
                out.push_str(f);
            } else {
                cx.refuse(r, format!("`{word}` in the metric-math expression `{expr}`"), "scalec's metric math has + - * /, numbers, abs, diff, rate and fill over metrics");
                return None;
            }
            continue;
        }
        match c {
            '+' | '-' | '*' | '/' => {
                out.push(' ');
                out.push(c);
                out.push(' ');
            }
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
        i += 1;
    }
    Some(out)
}
