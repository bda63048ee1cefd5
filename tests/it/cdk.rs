//! The AWS CDK's real output: the apps in `tests/cdk/` are synthesized with
//! the pinned `aws-cdk-lib` (`app.synth()`, no CLI, no network), imported,
//! checked and built back; every scaling resource of the CDK's template
//! must have its equal in scalec's, property by property.
//!
//! Both templates are evaluated as if deployed: each resource gets a
//! physical value (an ARN, an id, a name), and each param of scalec's
//! template the value of what the import report says it stands for. A
//! resource both templates hold (a group, a policy, a topic...) gets the
//! same value on both sides, keyed by the spec item it became, so names
//! may differ and nothing else. The differences allowed, and only these:
//! - names and logical ids (a `Name` tag too), and metric math's query ids
//!   and labels (the expression compared as a tree over the metrics);
//! - the ownership tags scalec adds (`app`, `env`, `group`, `managed-by`,
//!   `scalec:*`);
//! - alarm descriptions: scalec puts the tier before a monitoring alarm's
//!   description, and writes its own where the CDK has none and on a
//!   policy's alarm (its ownership mark);
//! - where subscriptions are written (in the topic, or resources of their
//!   own): each is compared;
//! - a property one side leaves out and the other sets to AWS's default.

use super::*;
use serde_json::{Map, Value as Json, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The CDK apps' templates, synthesized once per test run.
fn synthesized() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch("cdk-synth");
        let out = std::process::Command::new("node")
            .arg(root().join("tests/cdk/synth-all.js"))
            .arg(&dir)
            .current_dir(root())
            .output()
            .expect("node runs");
        assert!(
            out.status.success(),
            "the CDK apps don't synthesize (is aws-cdk-lib installed? run scripts/test):\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        dir
    })
}

fn read_json(path: &Path) -> Json {
    serde_json::from_str(&std::fs::read_to_string(path).expect("readable")).expect("JSON")
}

/// What `scalec import` made of a stack: the report and the spec's path.
struct Imported {
    report: Json,
    spec: PathBuf,
}

fn import(stack: &str) -> Imported {
    let template = synthesized().join(format!("{stack}.template.json"));
    let dir = scratch(&format!("cdk-{stack}"));
    let spec = dir.join("app.scale");
    let (code, out, err) = scalec(&[
        "import",
        "--env-template",
        &format!("production={}", template.display()),
        "--app",
        "cdk",
        "-o",
        spec.to_str().expect("path"),
        "--force",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stack} imports:\n{out}\n{err}");
    Imported {
        report: serde_json::from_str(&out).expect("the report is JSON"),
        spec,
    }
}

/// The spec item a report entry became, as a key both sides share.
fn item_key(became: &str) -> Option<String> {
    let (kind, rest) = if let Some(r) = became.strip_prefix("the alarm of policy ") {
        ("policyalarm", r)
    } else if let Some(r) = became.strip_prefix("warm pool of group ") {
        ("warmpool", r)
    } else if let Some(r) = became.strip_prefix("dashboard of group ") {
        ("dashboard", r)
    } else if let Some(r) = became.strip_prefix("a subscription of topic ") {
        ("subscription", r)
    } else {
        let (k, r) = became.split_once(' ')?;
        if ["service", "table", "index", "function"].contains(&k) {
            return Some(format!("target:{r}"));
        }
        if !["group", "policy", "alarm", "schedule", "topic", "hook"].contains(&k) {
            return None;
        }
        (k, r)
    };
    Some(format!("{kind}:{rest}"))
}

/// A logical id of scalec's template -> the spec item it comes from.
fn scalec_items(spec: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(spec).expect("spec");
    let c = scalec::compile("app.scale", &text, &scalec::check::Options::default());
    assert!(!c.has_errors(), "{}", render(&c));
    let mut out = BTreeMap::new();
    for env in &c.spec.environments {
        scalec::model::ids::each_environment_id(env, |id, item| {
            let key = match (item.kind, item.group) {
                ("policy", Some(g)) if id.ends_with("PolicyAlarm") => {
                    format!("policyalarm:{g}/{}", item.name)
                }
                ("warm pool", _) => format!("warmpool:{}", item.name),
                ("dashboard", _) => format!("dashboard:{}", item.name),
                (kind, Some(g)) => format!("{kind}:{g}/{}", item.name),
                (kind, None) => format!("{kind}:{}", item.name),
            };
            out.insert(id.to_string(), key);
        });
    }
    out
}

/// A deployment of one template, imagined: what each `Ref` and
/// `Fn::GetAtt` gives.
struct World<'a> {
    template: &'a Json,
    /// Logical id -> the spec item both sides share.
    items: &'a BTreeMap<String, String>,
    /// scalec's params -> the value the CDK's side gives what each stands
    /// for (empty on the CDK's side).
    params: &'a BTreeMap<String, Json>,
}

const REGION: &str = "us-east-1";
const ACCOUNT: &str = "123456789012";

/// 16 hex digits from a name, as AWS's generated suffixes look.
fn hex(name: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

impl World<'_> {
    fn resource(&self, id: &str) -> &Json {
        &self.template["Resources"][id]
    }

    /// The name a resource has once deployed: its spec item's, so both
    /// sides agree, else its logical id.
    fn name(&self, id: &str) -> String {
        self.items
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
            .replace([':', '/'], "-")
    }

    fn reference(&self, id: &str) -> Json {
        match id {
            "AWS::Region" => return json!(REGION),
            "AWS::AccountId" => return json!(ACCOUNT),
            "AWS::Partition" => return json!("aws"),
            "AWS::URLSuffix" => return json!("amazonaws.com"),
            "AWS::StackName" => return json!("stack"),
            "AWS::NoValue" => return Json::Null,
            _ => {}
        }
        if let Some(p) = self.template["Parameters"].get(id) {
            if let Some(v) = self.params.get(id) {
                return v.clone();
            }
            return p
                .get("Default")
                .cloned()
                .unwrap_or(json!(format!("<{id}>")));
        }
        let r = self.resource(id);
        let name = self.name(id);
        let ty = r["Type"].as_str().unwrap_or_default();
        json!(match ty {
            "AWS::SNS::Topic" => format!("arn:aws:sns:{REGION}:{ACCOUNT}:{name}"),
            "AWS::AutoScaling::ScalingPolicy" => format!(
                "arn:aws:autoscaling:{REGION}:{ACCOUNT}:scalingPolicy:{}:autoScalingGroupName/g:policyName/{name}",
                hex(&name)
            ),
            "AWS::ElasticLoadBalancingV2::LoadBalancer" => format!(
                "arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/app/{name}/{}",
                hex(&name)
            ),
            "AWS::ElasticLoadBalancingV2::TargetGroup" => format!(
                "arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/{name}/{}",
                hex(&name)
            ),
            "AWS::ElasticLoadBalancingV2::Listener" => {
                let lb = self.eval(&r["Properties"]["LoadBalancerArn"]);
                let lb = lb
                    .as_str()
                    .unwrap_or_default()
                    .replace(":loadbalancer/", ":listener/");
                format!("{lb}/{}", hex(&name))
            }
            "AWS::EC2::LaunchTemplate" => format!("lt-0{}", hex(&name)),
            "AWS::EC2::Subnet" => format!("subnet-{}", hex(&name)),
            "AWS::EC2::SecurityGroup" => format!("sg-{}", hex(&name)),
            "AWS::EC2::VPC" => format!("vpc-{}", hex(&name)),
            "AWS::SQS::Queue" => format!(
                "https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{}",
                self.queue_name(id)
            ),
            "AWS::IAM::Role" => name,
            _ => name,
        })
    }

    fn queue_name(&self, id: &str) -> String {
        self.resource(id)["Properties"]["QueueName"]
            .as_str()
            .map_or_else(|| self.name(id), str::to_string)
    }

    fn get_att(&self, id: &str, attr: &str) -> Json {
        if let Some(v) = self.params.get(&format!("{id}.{attr}")) {
            return v.clone();
        }
        let ty = self.resource(id)["Type"].as_str().unwrap_or_default();
        let name = self.name(id);
        json!(match (ty, attr) {
            ("AWS::ElasticLoadBalancingV2::LoadBalancer", "LoadBalancerFullName") =>
                format!("app/{name}/{}", hex(&name)),
            ("AWS::ElasticLoadBalancingV2::TargetGroup", "TargetGroupFullName") =>
                format!("targetgroup/{name}/{}", hex(&name)),
            ("AWS::EC2::LaunchTemplate", "LatestVersionNumber") => "7".to_string(),
            ("AWS::EC2::LaunchTemplate", "DefaultVersionNumber") => "1".to_string(),
            ("AWS::SQS::Queue", "QueueName") => self.queue_name(id),
            ("AWS::SQS::Queue", "Arn") => {
                format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{}", self.queue_name(id))
            }
            ("AWS::IAM::Role", "Arn") => format!("arn:aws:iam::{ACCOUNT}:role/{name}"),
            ("AWS::SNS::Topic", "TopicArn") => format!("arn:aws:sns:{REGION}:{ACCOUNT}:{name}"),
            ("AWS::SNS::Topic", "TopicName") => name,
            ("AWS::EC2::SecurityGroup", "GroupId") => format!("sg-{}", hex(&name)),
            _ => format!("<{id}.{attr}>"),
        })
    }

    fn condition(&self, name: &str) -> bool {
        let c = &self.template["Conditions"][name];
        self.eval(c).as_bool().unwrap_or(false)
    }

    /// The value of `v` once deployed.
    fn eval(&self, v: &Json) -> Json {
        match v {
            Json::Array(a) => Json::Array(
                a.iter()
                    .map(|x| self.eval(x))
                    .filter(|x| !x.is_null())
                    .collect(),
            ),
            Json::Object(m) if m.len() == 1 => {
                let (k, arg) = m.iter().next().expect("one");
                match k.as_str() {
                    "Ref" => self.reference(arg.as_str().unwrap_or_default()),
                    "Fn::GetAtt" => {
                        let (id, attr) = match arg {
                            Json::Array(a) => (
                                a[0].as_str().unwrap_or_default().to_string(),
                                a[1].as_str().unwrap_or_default().to_string(),
                            ),
                            Json::String(s) => {
                                let (i, a) = s.split_once('.').unwrap_or((s, ""));
                                (i.to_string(), a.to_string())
                            }
                            _ => Default::default(),
                        };
                        self.get_att(&id, &attr)
                    }
                    "Fn::Join" => {
                        let sep = arg[0].as_str().unwrap_or_default();
                        let parts = self.eval(&arg[1]);
                        json!(
                            parts
                                .as_array()
                                .into_iter()
                                .flatten()
                                .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_string))
                                .collect::<Vec<_>>()
                                .join(sep)
                        )
                    }
                    "Fn::Split" => {
                        let sep = arg[0].as_str().unwrap_or_default();
                        let s = self.eval(&arg[1]);
                        json!(
                            s.as_str()
                                .unwrap_or_default()
                                .split(sep)
                                .collect::<Vec<_>>()
                        )
                    }
                    "Fn::Select" => {
                        let i = self.eval(&arg[0]);
                        let i = i
                            .as_u64()
                            .or_else(|| i.as_str().and_then(|s| s.parse().ok()));
                        let list = self.eval(&arg[1]);
                        i.and_then(|i| list.get(usize::try_from(i).ok()?).cloned())
                            .unwrap_or(Json::Null)
                    }
                    "Fn::Sub" => {
                        let (text, vars) = match arg {
                            Json::Array(a) => (a[0].as_str().unwrap_or_default(), a[1].clone()),
                            other => (other.as_str().unwrap_or_default(), json!({})),
                        };
                        let mut out = String::new();
                        let mut rest = text;
                        while let Some(i) = rest.find("${") {
                            out.push_str(&rest[..i]);
                            let end = rest[i..].find('}').map_or(rest.len(), |e| i + e);
                            let var = &rest[i + 2..end];
                            let value = match vars.get(var) {
                                Some(x) => self.eval(x),
                                None => match var.split_once('.') {
                                    Some((id, attr)) => self.get_att(id, attr),
                                    None => self.reference(var),
                                },
                            };
                            out.push_str(
                                &value
                                    .as_str()
                                    .map_or_else(|| value.to_string(), str::to_string),
                            );
                            rest = &rest[(end + 1).min(rest.len())..];
                        }
                        out.push_str(rest);
                        json!(out)
                    }
                    "Fn::If" => {
                        let c = arg[0].as_str().unwrap_or_default();
                        self.eval(&arg[if self.condition(c) { 1 } else { 2 }])
                    }
                    "Fn::Equals" => json!(self.eval(&arg[0]) == self.eval(&arg[1])),
                    "Fn::Or" => json!(
                        arg.as_array()
                            .into_iter()
                            .flatten()
                            .any(|c| self.eval(c) == json!(true))
                    ),
                    "Fn::And" => json!(
                        arg.as_array()
                            .into_iter()
                            .flatten()
                            .all(|c| self.eval(c) == json!(true))
                    ),
                    "Fn::Not" => json!(self.eval(&arg[0]) != json!(true)),
                    "Condition" => json!(self.condition(arg.as_str().unwrap_or_default())),
                    _ => Json::Object(m.iter().map(|(k, x)| (k.clone(), self.eval(x))).collect()),
                }
            }
            Json::Object(m) => {
                Json::Object(m.iter().map(|(k, x)| (k.clone(), self.eval(x))).collect())
            }
            other => other.clone(),
        }
    }
}

/// Numbers as numbers (CloudFormation takes `"30"` and `30` alike), names
/// and the ownership tags scalec adds left out.
fn normal(v: &Json) -> Json {
    match v {
        Json::String(s) => match s.parse::<f64>() {
            Ok(n) if !s.is_empty() && s.trim() == s => json!(n),
            _ => v.clone(),
        },
        Json::Number(n) => json!(n.as_f64().unwrap_or_default()),
        Json::Array(a) => Json::Array(a.iter().map(normal).collect()),
        Json::Object(m) => {
            let mut out = Map::new();
            for (k, x) in m {
                if NAMES.contains(&k.as_str()) {
                    continue;
                }
                if k == "Tags" {
                    let kept: Vec<Json> = x
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter(|t| {
                            let key = t["Key"].as_str().unwrap_or_default();
                            !(["app", "env", "group", "target", "managed-by", "Name"]
                                .contains(&key)
                                || key.starts_with("scalec:"))
                        })
                        .map(normal)
                        .collect();
                    if !kept.is_empty() {
                        out.insert(k.clone(), Json::Array(kept));
                    }
                    continue;
                }
                if k == "Metrics"
                    && x.as_array()
                        .is_some_and(|a| a.iter().any(|q| q.get("Id").is_some()))
                {
                    out.insert(k.clone(), math_tree(x));
                    continue;
                }
                let mut v = normal(x);
                // Lists that are sets: metrics collected, notification types.
                if matches!(k.as_str(), "Metrics" | "NotificationTypes")
                    && let Some(a) = v.as_array_mut()
                {
                    a.sort_by_key(|x| x.to_string());
                }
                out.insert(k.clone(), v);
            }
            Json::Object(out)
        }
        other => other.clone(),
    }
}

/// Metric math as what it computes: the returned expression as a tree,
/// each query id replaced by its metric (ids and labels are names).
fn math_tree(queries: &Json) -> Json {
    let list = queries.as_array().cloned().unwrap_or_default();
    let metric_of = |id: &str| -> Option<Json> {
        list.iter()
            .find(|q| q["Id"] == id)
            .map(|q| normal(&q["MetricStat"]))
    };
    let returned = list
        .iter()
        .find(|q| q["ReturnData"] != false && q.get("Expression").is_some())
        .and_then(|q| q["Expression"].as_str())
        .unwrap_or_default()
        .to_string();
    json!({ "computes": parse_math(&returned, &metric_of) })
}

/// A metric-math expression as a tree: numbers, metrics, `+ - * /` with
/// their precedence, parentheses and function calls.
fn parse_math(text: &str, metric_of: &dyn Fn(&str) -> Option<Json>) -> Json {
    let mut tokens: Vec<String> = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == '.')
            {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else {
            tokens.push(c.to_string());
            i += 1;
        }
    }
    type Metric<'a> = &'a dyn Fn(&str) -> Option<Json>;
    fn expr(t: &[String], i: &mut usize, m: Metric) -> Json {
        let mut left = term(t, i, m);
        while *i < t.len() && (t[*i] == "+" || t[*i] == "-") {
            let op = t[*i].clone();
            *i += 1;
            let right = term(t, i, m);
            left = json!([op, left, right]);
        }
        left
    }
    fn term(t: &[String], i: &mut usize, m: Metric) -> Json {
        let mut left = atom(t, i, m);
        while *i < t.len() && (t[*i] == "*" || t[*i] == "/") {
            let op = t[*i].clone();
            *i += 1;
            let right = atom(t, i, m);
            left = json!([op, left, right]);
        }
        left
    }
    fn atom(t: &[String], i: &mut usize, m: Metric) -> Json {
        let Some(tok) = t.get(*i).cloned() else {
            return Json::Null;
        };
        *i += 1;
        if tok == "(" {
            let e = expr(t, i, m);
            *i += 1;
            return e;
        }
        if t.get(*i).is_some_and(|x| x == "(") {
            *i += 1;
            let mut args = vec![json!(tok.to_uppercase())];
            while *i < t.len() && t[*i] != ")" {
                args.push(expr(t, i, m));
                if t.get(*i).is_some_and(|x| x == ",") {
                    *i += 1;
                }
            }
            *i += 1;
            return Json::Array(args);
        }
        match tok.parse::<f64>() {
            Ok(n) => json!(n),
            Err(_) => m(&tok).unwrap_or(json!(tok)),
        }
    }
    let mut at = 0;
    expr(&tokens, &mut at, metric_of)
}

/// Name properties: the one thing allowed to differ besides logical ids.
const NAMES: &[&str] = &[
    "AutoScalingGroupName",
    "PolicyName",
    "AlarmName",
    "TopicName",
    "LifecycleHookName",
    "ScheduledActionName",
    "DashboardName",
];

/// AWS's defaults for properties a template may leave out.
fn default_of(ty: &str, key: &str, props: &Json) -> Option<Json> {
    Some(match (ty, key) {
        ("AWS::AutoScaling::AutoScalingGroup", "DesiredCapacity") => normal(&props["MinSize"]),
        ("AWS::AutoScaling::AutoScalingGroup", "HealthCheckType") => json!("EC2"),
        ("AWS::AutoScaling::AutoScalingGroup", "HealthCheckGracePeriod") => json!(0.0),
        ("AWS::AutoScaling::AutoScalingGroup", "Cooldown") => json!(300.0),
        ("AWS::AutoScaling::AutoScalingGroup", "TerminationPolicies") => json!(["Default"]),
        ("AWS::AutoScaling::ScalingPolicy.TargetTrackingConfiguration", "DisableScaleIn") => {
            json!(false)
        }
        ("AWS::AutoScaling::AutoScalingGroup", "NewInstancesProtectedFromScaleIn") => json!(false),
        ("AWS::AutoScaling::AutoScalingGroup", "CapacityRebalance") => json!(false),
        ("AWS::AutoScaling::ScalingPolicy", "MetricAggregationType") => json!("Average"),
        ("AWS::CloudWatch::Alarm", "TreatMissingData") => json!("missing"),
        ("AWS::CloudWatch::Alarm", "DatapointsToAlarm") => normal(&props["EvaluationPeriods"]),
        ("AWS::CloudWatch::Alarm", "ActionsEnabled") => json!(true),
        ("AWS::AutoScaling::LifecycleHook", "HeartbeatTimeout") => json!(3600.0),
        ("AWS::AutoScaling::LifecycleHook", "DefaultResult") => json!("ABANDON"),
        _ => return None,
    })
}

/// The differences of two evaluated property sets, as `path: cdk vs scalec`,
/// AWS's defaults filling what one side leaves out.
fn differences(ty: &str, cdk: &Json, ours: &Json) -> Vec<String> {
    let (cdk, ours) = (normal(cdk), normal(ours));
    let mut out = Vec::new();
    let keys: std::collections::BTreeSet<&String> = cdk
        .as_object()
        .into_iter()
        .flat_map(|m| m.keys())
        .chain(ours.as_object().into_iter().flat_map(|m| m.keys()))
        .collect();
    for k in keys {
        let (a, b) = (cdk.get(k), ours.get(k));
        let filled = |x: Option<&Json>, other: &Json| match x {
            Some(v) => Some(v.clone()),
            None => default_of(ty, k, other),
        };
        let (a, b) = (filled(a, &cdk), filled(b, &ours));
        if a != b {
            // One level down for the nested configurations.
            if let (Some(Json::Object(x)), Some(Json::Object(y))) = (&a, &b) {
                for d in differences(
                    &format!("{ty}.{k}"),
                    &Json::Object(x.clone()),
                    &Json::Object(y.clone()),
                ) {
                    out.push(format!("{k}.{d}"));
                }
                continue;
            }
            out.push(format!(
                "{k}: {} vs {}",
                a.map_or("(none)".into(), |v| v.to_string()),
                b.map_or("(none)".into(), |v| v.to_string())
            ));
        }
    }
    out
}

/// The metrics a dashboard body shows: (namespace, metric, dimensions).
fn dashboard_metrics(body: &Json) -> std::collections::BTreeSet<String> {
    let body: Json = body
        .as_str()
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default();
    let mut out = std::collections::BTreeSet::new();
    for w in body["widgets"].as_array().into_iter().flatten() {
        for line in w["properties"]["metrics"].as_array().into_iter().flatten() {
            let Some(parts) = line.as_array() else {
                continue;
            };
            let words: Vec<&str> = parts.iter().filter_map(Json::as_str).collect();
            if words.len() >= 2 && !words[0].is_empty() && words[0] != "..." {
                out.insert(words.join(" "));
            }
        }
    }
    out
}

/// Imports, checks and builds `stack` back, and compares every scaling
/// resource: returns the differences found, one line each. `tamper`
/// changes scalec's template before the comparison (to prove it sees).
fn round_trip(stack: &str, tamper: impl Fn(&mut Json)) -> Vec<String> {
    let imported = import(stack);
    let cdk_template = read_json(&synthesized().join(format!("{stack}.template.json")));
    let spec = imported.spec.to_str().expect("path").to_string();
    let (code, _, err) = scalec(&["check", &spec]);
    assert_eq!(code, 0, "{stack}: the imported spec checks:\n{err}");
    assert!(!err.contains("error["), "{err}");
    let built = imported.spec.with_extension("json");
    let (code, _, err) = scalec(&[
        "build",
        &spec,
        "--env",
        "production",
        "-o",
        built.to_str().expect("path"),
    ]);
    assert_eq!(code, 0, "{stack}: builds back:\n{err}");
    let mut ours = read_json(&built);
    tamper(&mut ours);

    // Which spec item each CDK resource became, and each of scalec's.
    let mut cdk_items = BTreeMap::new();
    for e in imported.report["resources"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if let (Some(id), Some(key)) = (e["id"].as_str(), e["became"].as_str().and_then(item_key)) {
            cdk_items.insert(id.trim_start_matches("production/").to_string(), key);
        }
    }
    let our_items = scalec_items(&imported.spec);
    let cdk_world = World {
        template: &cdk_template,
        items: &cdk_items,
        params: &BTreeMap::new(),
    };
    // scalec's params, by logical id: the CDK's value of what each
    // stands for.
    let mut params = BTreeMap::new();
    for p in imported.report["params"].as_array().into_iter().flatten() {
        let name = p["name"].as_str().unwrap_or_default();
        let from = &p["from"];
        let value = match from.get("Parameter").and_then(Json::as_str) {
            Some(id) => cdk_world.reference(id),
            None => cdk_world.eval(from),
        };
        params.insert(scalec::model::ids::param_id(name), value);
    }
    let our_world = World {
        template: &ours,
        items: &our_items,
        params: &params,
    };

    let mut diffs = Vec::new();
    let mut compared = 0;
    let by_item: BTreeMap<&String, &String> = our_items.iter().map(|(id, k)| (k, id)).collect();
    let resources = cdk_template["Resources"].as_object().expect("resources");
    for (id, r) in resources {
        let ty = r["Type"].as_str().unwrap_or_default();
        let scaling = ty.starts_with("AWS::AutoScaling::")
            || ty.starts_with("AWS::ApplicationAutoScaling::")
            || ty == "AWS::CloudWatch::Alarm"
            || ty.starts_with("AWS::SNS::");
        if !scaling && ty != "AWS::CloudWatch::Dashboard" {
            continue;
        }
        let Some(key) = cdk_items.get(id) else {
            diffs.push(format!("{id} ({ty}): not imported"));
            continue;
        };
        let cdk_props = cdk_world.eval(&r["Properties"]);
        match ty {
            "AWS::SNS::Subscription" => {
                // Inside scalec's topic.
                let topic = key.trim_start_matches("subscription:");
                let Some(tid) = by_item.get(&format!("topic:{topic}")) else {
                    diffs.push(format!("{id}: no topic {topic}"));
                    continue;
                };
                let subs =
                    our_world.eval(&ours["Resources"][tid.as_str()]["Properties"]["Subscription"]);
                let want =
                    json!({ "Protocol": cdk_props["Protocol"], "Endpoint": cdk_props["Endpoint"] });
                if !subs
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|s| normal(s) == normal(&want))
                {
                    diffs.push(format!("{id}: subscription {want} not in topic {topic}"));
                }
            }
            "AWS::AutoScaling::LifecycleHook" => {
                let (group, hook) = key
                    .trim_start_matches("hook:")
                    .split_once('/')
                    .unwrap_or_default();
                let Some(gid) = by_item.get(&format!("group:{group}")) else {
                    diffs.push(format!("{id}: no group {group}"));
                    continue;
                };
                let list = our_world.eval(&ours["Resources"][gid.as_str()]["Properties"]["LifecycleHookSpecificationList"]);
                let ours_hook = list
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find(|h| {
                        h["LifecycleHookName"].as_str().is_some_and(|n| {
                            n.ends_with(&format!("-{hook}"))
                                || Some(n) == cdk_props["LifecycleHookName"].as_str()
                        })
                    })
                    .cloned();
                let Some(mut h) = ours_hook else {
                    diffs.push(format!("{id}: no hook {hook} in group {group}"));
                    continue;
                };
                h["AutoScalingGroupName"] = cdk_props["AutoScalingGroupName"].clone();
                for d in differences(ty, &cdk_props, &h) {
                    diffs.push(format!("{id}: {d}"));
                }
            }
            "AWS::CloudWatch::Dashboard" => {
                let Some(did) = by_item.get(key) else {
                    diffs.push(format!("{id}: no {key} in scalec's template"));
                    continue;
                };
                let ours_body =
                    our_world.eval(&ours["Resources"][did.as_str()]["Properties"]["DashboardBody"]);
                let missing: Vec<String> = dashboard_metrics(&cdk_props["DashboardBody"])
                    .difference(&dashboard_metrics(&ours_body))
                    .cloned()
                    .collect();
                if !missing.is_empty() {
                    diffs.push(format!("{id}: the dashboard doesn't show {missing:?}"));
                }
            }
            _ => {
                let Some(oid) = by_item.get(key) else {
                    diffs.push(format!("{id}: no {key} in scalec's template"));
                    continue;
                };
                let mut ours_props = our_world.eval(&ours["Resources"][oid.as_str()]["Properties"]);
                let mut cdk_props = cdk_props.clone();
                if ty == "AWS::CloudWatch::Alarm" {
                    describe(&mut cdk_props, &mut ours_props, key);
                }
                if ty == "AWS::SNS::Topic" {
                    // Subscriptions are compared one by one, with the
                    // CDK's own subscription resources.
                    let theirs = cdk_props["Subscription"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                    let mine = ours_props["Subscription"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                    for s in &theirs {
                        if !mine.iter().any(|m| normal(m) == normal(s)) {
                            diffs.push(format!("{id}: subscription {s} not kept"));
                        }
                    }
                    for m in [&mut cdk_props, &mut ours_props] {
                        if let Some(o) = m.as_object_mut() {
                            o.remove("Subscription");
                        }
                    }
                }
                if ty == "AWS::AutoScaling::AutoScalingGroup" {
                    // Hooks are compared one by one, with the CDK's own
                    // hook resources.
                    if let Some(m) = ours_props.as_object_mut() {
                        m.remove("LifecycleHookSpecificationList");
                    }
                }
                for d in differences(ty, &cdk_props, &ours_props) {
                    diffs.push(format!("{id}: {d}"));
                }
                let (a, b) = (
                    &r["UpdatePolicy"],
                    &ours["Resources"][oid.as_str()]["UpdatePolicy"],
                );
                if !a.is_null() {
                    for d in differences("UpdatePolicy", &cdk_world.eval(a), &our_world.eval(b)) {
                        diffs.push(format!("{id}: UpdatePolicy.{d}"));
                    }
                }
            }
        }
        compared += 1;
    }
    // The smallest app (DataStack) has six scaling resources.
    assert!(compared >= 6, "{stack}: only {compared} resources compared");
    diffs
}

/// The one description difference allowed: scalec's tier before a
/// monitoring alarm's, and its own on a policy's alarm.
fn describe(cdk: &mut Json, ours: &mut Json, key: &str) {
    let d = ours["AlarmDescription"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    if key.starts_with("policyalarm:") {
        assert!(d.contains("Managed by scalec."), "{d}");
        cdk.as_object_mut().map(|m| m.remove("AlarmDescription"));
        ours.as_object_mut().map(|m| m.remove("AlarmDescription"));
        return;
    }
    if let Some(rest) = d.strip_prefix('[').and_then(|r| r.split_once("] ")) {
        ours["AlarmDescription"] = json!(rest.1);
    }
    if cdk.get("AlarmDescription").is_none()
        && d.ends_with("Managed by scalec.")
        && let Some(m) = ours.as_object_mut()
    {
        m.remove("AlarmDescription");
    }
}

fn assert_round_trip(stack: &str) {
    let diffs = round_trip(stack, |_| {});
    assert!(
        diffs.is_empty(),
        "{stack}: scalec's template differs from the CDK's:\n  {}",
        diffs.join("\n  ")
    );
}

#[test]
fn the_cdks_api_stack_imports_and_builds_back_resource_by_resource() {
    assert_round_trip("ApiStack");
}

#[test]
fn the_cdks_workers_stack_imports_and_builds_back_resource_by_resource() {
    assert_round_trip("WorkersStack");
}

#[test]
fn the_cdks_ecs_stack_imports_and_builds_back_resource_by_resource() {
    // `autoScaleTaskCount` on two Fargate services: target tracking on CPU
    // and memory, step scaling on memory, schedules with a time zone, an
    // alarm on a service's memory.
    assert_round_trip("EcsStack");
    let imported = import("EcsStack");
    let text = std::fs::read_to_string(&imported.spec).expect("spec");
    assert_eq!(text.matches("\nservice ").count(), 2, "{text}");
}

#[test]
fn the_cdks_dynamodb_stack_imports_and_builds_back_resource_by_resource() {
    // `autoScaleReadCapacity`, `autoScaleWriteCapacity` and a global
    // secondary index's reads: three targets on one table.
    assert_round_trip("DataStack");
    let imported = import("DataStack");
    let text = std::fs::read_to_string(&imported.spec).expect("spec");
    assert_eq!(text.matches("\ntable ").count(), 2, "{text}");
    assert_eq!(text.matches("\nindex ").count(), 1, "{text}");
}

#[test]
fn the_cdks_spot_stack_imports_and_builds_back_resource_by_resource() {
    assert_round_trip("SpotStack");
}

#[test]
fn the_cdks_repeated_construct_becomes_one_template_and_builds_back_resource_by_resource() {
    // Four services made by one construct: one template, four short
    // instances, and the same resources as the CDK's.
    assert_round_trip("ServicesStack");
    let imported = import("ServicesStack");
    let templates = imported.report["templates"].as_array().expect("templates");
    assert_eq!(templates.len(), 1, "{templates:?}");
    assert_eq!(templates[0]["groups"], 4, "{templates:?}");
    let text = std::fs::read_to_string(&imported.spec).expect("spec");
    assert_eq!(text.matches("\ntemplate ").count(), 1, "{text}");
    let instances: Vec<&str> = text.lines().filter(|l| l.starts_with("group ")).collect();
    assert_eq!(instances.len(), 4, "{text}");
    assert!(
        instances.iter().all(|l| l.contains(" from ")),
        "every group an instance: {instances:?}"
    );
    // What differs between the services, and only that, is an argument.
    let params: Vec<&str> = templates[0]["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .filter_map(|p| p.as_str())
        .collect();
    for p in [
        "capacity_min",
        "capacity_max",
        "scaling_policy_cpu_target",
        "jobs_queue_name",
    ] {
        assert!(params.contains(&p), "{p} in {params:?}");
    }
    assert!(
        !params
            .iter()
            .any(|p| p.contains("warmup") || p.contains("subnet")),
        "shared values stay in the template: {params:?}"
    );
    // --flat writes every group out.
    let template = synthesized().join("ServicesStack.template.json");
    let flat = scratch("cdk-services-flat").join("app.scale");
    let (code, _, err) = scalec(&[
        "import",
        "--env-template",
        &format!("production={}", template.display()),
        "--app",
        "cdk",
        "-o",
        flat.to_str().expect("path"),
        "--force",
        "--flat",
    ]);
    assert_eq!(code, 0, "{err}");
    let flat = std::fs::read_to_string(&flat).expect("spec");
    assert!(!flat.contains("\ntemplate "), "{flat}");
}

#[test]
fn the_comparison_sees_a_changed_threshold_capacity_step_and_action() {
    // The same round trip with scalec's template changed in four places:
    // each must be reported, or the tests above prove nothing.
    let diffs = round_trip("ApiStack", |t| {
        for (_, r) in t["Resources"].as_object_mut().expect("resources") {
            let ty = r["Type"].as_str().unwrap_or_default().to_string();
            let p = &mut r["Properties"];
            match Some(ty.as_str()) {
                Some("AWS::AutoScaling::AutoScalingGroup") => p["MaxSize"] = json!("31"),
                Some("AWS::CloudWatch::Alarm") if p["Threshold"] == json!(5.0) => {
                    p["Threshold"] = json!(6.0);
                }
                Some("AWS::AutoScaling::ScalingPolicy") if p.get("StepAdjustments").is_some() => {
                    p["StepAdjustments"][0]["ScalingAdjustment"] = json!(9);
                }
                Some("AWS::CloudWatch::Alarm") if p["Threshold"] == json!(1.0) => {
                    p["AlarmActions"] = json!([]);
                }
                _ => {}
            }
        }
    });
    for needle in [
        "MaxSize: 30.0 vs 31.0",
        "Threshold: 5.0 vs 6.0",
        "ScalingAdjustment",
        "AlarmActions",
    ] {
        assert!(
            diffs.iter().any(|d| d.contains(needle)),
            "`{needle}` not seen in {diffs:#?}"
        );
    }
}

#[test]
fn what_the_cdk_writes_that_scalec_cannot_express_is_refused_at_its_construct() {
    let template = synthesized().join("LegacyStack.template.json");
    let dir = scratch("cdk-legacy");
    let spec = dir.join("app.scale");
    let (code, out, err) = scalec_wide(&[
        "import",
        "--template",
        template.to_str().expect("path"),
        "-o",
        spec.to_str().expect("path"),
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(!spec.exists(), "nothing is written");
    let words = err.split_whitespace().collect::<Vec<_>>().join(" ");
    for (construct, what) in [
        (
            "LegacyStack/Legacy/ASG",
            "the update policy `AutoScalingRollingUpdate`",
        ),
        ("LegacyStack/Legacy/ASG", "a creation policy"),
        (
            "LegacyStack/HotCritical/Resource",
            "an OK action (`OKActions`)",
        ),
        (
            "LegacyStack/SpikyCritical/Resource",
            "a percentile statistic (`ExtendedStatistic`)",
        ),
        (
            "LegacyStack/UnderFloorCritical/Resource",
            "`IF` in the metric-math expression",
        ),
    ] {
        let line = format!("(CDK construct `{construct}`): {what}");
        assert!(words.contains(&line), "missing `{line}` in\n{err}");
    }
    assert_eq!(
        err.matches("scale::import::unsupported").count(),
        5,
        "each refused once, located:\n{err}"
    );
    assert!(
        err.contains("LegacyStack.template.json:"),
        "located in the template: {err}"
    );
}
