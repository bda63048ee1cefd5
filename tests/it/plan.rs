//! The direct apply plan (`scalec plan --offline`): snapshots, and agreement
//! with the CloudFormation template on every property both express.

use super::*;
use scalec::backend::{cfn, plan};
use serde_json::{Value as Json, json};
use std::collections::BTreeMap;

/// Values for every param of the examples.
pub const PARAMS: &[(&str, &str)] = &[
    ("launch_template", "lt-0123456789abcdef0"),
    ("launch_template_version", "3"),
    (
        "subnets",
        "subnet-0123456789abcdef0,subnet-0123456789abcdef1",
    ),
    (
        "load_balancer",
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/api/50dc6c495c0c9188",
    ),
    (
        "target_group",
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067",
    ),
    ("alert_email", "ops@example.com"),
    ("ops_email", "ops@example.com"),
];

/// Values for the params only spot-fleet has.
pub const FLEET_PARAMS: &[(&str, &str)] = &[
    ("arm_template", "scalec-test-arm"),
    (
        "lifecycle_queue",
        "arn:aws:sqs:us-east-1:123456789012:spot-fleet-lifecycle",
    ),
    (
        "lifecycle_role",
        "arn:aws:iam::123456789012:role/spot-fleet-lifecycle",
    ),
];

/// [`PARAMS`] and [`FLEET_PARAMS`] for a spec's environment in `region`: ARNs name that region,
/// as scalec requires.
pub fn params_in(region: &str) -> Vec<(String, String)> {
    PARAMS
        .iter()
        .chain(FLEET_PARAMS)
        .map(|(k, v)| {
            (
                k.to_string(),
                v.replace(":us-east-1:", &format!(":{region}:")),
            )
        })
        .collect()
}

/// Compiles each environment of a spec with the params it uses, ARNs in
/// its region: (compilation with that one environment, spec text).
pub fn compile_envs_with_params(path: &std::path::Path) -> Vec<(scalec::Compilation, String)> {
    let text = std::fs::read_to_string(path).expect("readable");
    let bare = scalec::compile("x.scale", &text, &scalec::check::Options::default());
    let name = path
        .strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string();
    bare.spec
        .environments
        .iter()
        .map(|env| {
            let mut opts = scalec::check::Options {
                envs: vec![env.name.clone()],
                ..Default::default()
            };
            for (k, v) in params_in(env.region.as_deref().unwrap_or("us-east-1")) {
                if env.params.iter().any(|d| d.name == k) {
                    opts.params.insert(k, v);
                }
            }
            let c = scalec::compile(&name, &text, &opts);
            assert!(!c.has_errors(), "{}", render(&c));
            (c, text.clone())
        })
        .collect()
}

#[test]
fn offline_plans_are_snapshotted_ordered_and_deterministic() {
    for f in scale_files(&root().join("examples")) {
        let stem = stem(&f);
        for (c, text) in compile_envs_with_params(&f) {
            let env = &c.spec.environments[0];
            let p = plan::model_to_plan(env, None, &text).expect("plans");
            let again = plan::model_to_plan(env, None, &text).expect("plans");
            let json = serde_json::to_string_pretty(&p).expect("serializes");
            assert_eq!(
                json,
                serde_json::to_string_pretty(&again).expect("serializes")
            );
            // dependency order: steps never go down
            let steps: Vec<u32> = p.operations.iter().map(|o| o.step).collect();
            assert!(
                steps.windows(2).all(|w| w[0] <= w[1]),
                "{stem} {}: {steps:?}",
                env.name
            );
            insta::with_settings!({ snapshot_path => "snapshots/plan", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(format!("{stem}.{}", env.name), json);
            });
        }
    }
}

/// Evaluates CloudFormation intrinsics against parameter defaults, physical
/// names and the region, the way CloudFormation would at deploy time.
struct Eval<'a> {
    template: &'a Json,
    region: &'a str,
}

impl Eval<'_> {
    fn reference(&self, id: &str) -> Json {
        if let Some(p) = self.template["Parameters"].get(id) {
            let d = p["Default"].as_str().unwrap_or_default();
            return if p["Type"]
                .as_str()
                .is_some_and(|t| t.starts_with("List<") || t == "CommaDelimitedList")
            {
                Json::Array(d.split(',').map(|s| json!(s)).collect())
            } else {
                json!(d)
            };
        }
        if id == "AWS::Region" {
            return json!(self.region);
        }
        let r = &self.template["Resources"][id];
        match r["Type"].as_str().unwrap_or_default() {
            "AWS::AutoScaling::AutoScalingGroup" => r["Properties"]["AutoScalingGroupName"].clone(),
            "AWS::SNS::Topic" => json!({ "topic": r["Properties"]["TopicName"] }),
            "AWS::AutoScaling::ScalingPolicy" => json!("policy"),
            "AWS::CloudWatch::Dashboard" => r["Properties"]["DashboardName"].clone(),
            other => panic!("unexpected Ref to {id} ({other})"),
        }
    }

    fn eval(&self, v: &Json) -> Json {
        match v {
            Json::Object(m) if m.len() == 1 => {
                let (k, arg) = m.iter().next().expect("one key");
                match k.as_str() {
                    "Ref" => self.reference(arg.as_str().expect("Ref name")),
                    "Fn::Join" => {
                        let sep = arg[0].as_str().expect("separator");
                        let parts: Vec<String> = self
                            .eval(&arg[1])
                            .as_array()
                            .expect("list")
                            .iter()
                            .map(|x| x.as_str().expect("str").to_string())
                            .collect();
                        json!(parts.join(sep))
                    }
                    "Fn::Split" => {
                        let sep = arg[0].as_str().expect("separator");
                        let s = self.eval(&arg[1]);
                        Json::Array(
                            s.as_str()
                                .expect("str")
                                .split(sep)
                                .map(|x| json!(x))
                                .collect(),
                        )
                    }
                    "Fn::Select" => {
                        let i = arg[0].as_u64().expect("index") as usize;
                        self.eval(&arg[1])[i].clone()
                    }
                    "Fn::Sub" => {
                        let (text, vars) = match arg {
                            Json::String(s) => (s.clone(), BTreeMap::new()),
                            Json::Array(a) => (
                                a[0].as_str().expect("text").to_string(),
                                a[1].as_object()
                                    .expect("vars")
                                    .iter()
                                    .map(|(k, v)| (k.clone(), self.eval(v)))
                                    .collect(),
                            ),
                            _ => panic!("bad Fn::Sub"),
                        };
                        let mut out = String::new();
                        let mut rest = text.as_str();
                        while let Some(i) = rest.find("${") {
                            out.push_str(&rest[..i]);
                            let after = &rest[i + 2..];
                            let end = after.find('}').expect("closing brace");
                            let name = &after[..end];
                            if let Some(lit) = name.strip_prefix('!') {
                                out.push_str(&format!("${{{lit}}}"));
                            } else {
                                let val = vars
                                    .get(name)
                                    .cloned()
                                    .unwrap_or_else(|| self.reference(name));
                                out.push_str(val.as_str().expect("string substitution"));
                            }
                            rest = &after[end + 1..];
                        }
                        out.push_str(rest);
                        json!(out)
                    }
                    _ => Json::Object(m.iter().map(|(k, v)| (k.clone(), self.eval(v))).collect()),
                }
            }
            Json::Object(m) => {
                Json::Object(m.iter().map(|(k, v)| (k.clone(), self.eval(v))).collect())
            }
            Json::Array(a) => Json::Array(a.iter().map(|x| self.eval(x)).collect()),
            other => other.clone(),
        }
    }
}

/// Numbers written as strings in templates ("2") equal numbers in API calls.
fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::String(s), Json::Number(n)) | (Json::Number(n), Json::String(s)) => {
            s.parse::<f64>().ok() == n.as_f64()
        }
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

thread_local! {
    /// Every `api.Member` [`compare`] has compared on this thread.
    static COMPARED: std::cell::RefCell<std::collections::BTreeSet<String>> =
        std::cell::RefCell::default();
}

/// Compares every key the plan request shares with the template properties;
/// returns how many were compared.
fn compare(what: &str, template: &Json, request: &Json, renames: &[(&str, &str)]) -> usize {
    let mut n = 0;
    for (k, v) in request.as_object().expect("request object") {
        let tk = renames
            .iter()
            .find(|(p, _)| p == k)
            .map(|(_, t)| *t)
            .unwrap_or(k.as_str());
        if let Some(t) = template.get(tk) {
            let t = if k == "VPCZoneIdentifier" {
                json!(t.as_array().map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                }))
            } else {
                t.clone()
            };
            assert!(
                same(&t, v),
                "{what}: `{k}` differs\n template: {t}\n plan:     {v}"
            );
            COMPARED.with(|c| c.borrow_mut().insert(format!("{what}.{k}")));
            n += 1;
        }
    }
    n
}

#[test]
fn template_and_plan_agree_on_every_shared_property() {
    let mut compared = 0;
    for f in scale_files(&root().join("examples")) {
        for (c, text) in compile_envs_with_params(&f) {
            let env = &c.spec.environments[0];
            let p = plan::model_to_plan(env, None, &text).expect("plans");
            let b = cfn::model_to_cfn(env, &c.sources, cfn::Format::Json).expect("builds");
            let t: Json = serde_json::from_str(&b.stacks[0].text).expect("template JSON");
            let ev = Eval {
                template: &t,
                region: &p.region,
            };
            let resources = t["Resources"].as_object().expect("resources");
            let props_of = |ty: &str, pred: &dyn Fn(&Json) -> bool| -> Json {
                let found: Vec<&Json> = resources
                    .values()
                    .filter(|r| r["Type"] == ty && pred(r))
                    .collect();
                assert_eq!(found.len(), 1, "{ty}: expected one match");
                ev.eval(&found[0]["Properties"])
            };
            for op in &p.operations {
                let v = serde_json::to_value(&op.call).expect("call");
                let api = v["api"].as_str().expect("api");
                let req = &v["request"];
                let item = |r: &Json, suffix: &str| {
                    r["Metadata"]["scalec"]["item"]
                        .as_str()
                        .is_some_and(|i| i.ends_with(suffix))
                };
                compared += match api {
                    "sns:CreateTopic" => {
                        let props = props_of("AWS::SNS::Topic", &|r| {
                            r["Properties"]["TopicName"] == req["Name"]
                        });
                        compare(
                            api,
                            &props,
                            &json!({ "TopicName": req["Name"], "Tags": req["Tags"] }),
                            &[],
                        )
                    }
                    "sns:Subscribe" => {
                        let topic = req["TopicArn"]["topic"].clone();
                        let props = props_of("AWS::SNS::Topic", &|r| {
                            r["Properties"]["TopicName"] == topic
                        });
                        let subs = props["Subscription"].as_array().expect("subscriptions");
                        assert!(
                            subs.iter().any(|s| s["Protocol"] == req["Protocol"]
                                && s["Endpoint"] == req["Endpoint"]),
                            "{req}"
                        );
                        1
                    }
                    "autoscaling:CreateAutoScalingGroup" => {
                        let props = props_of("AWS::AutoScaling::AutoScalingGroup", &|r| {
                            r["Properties"]["AutoScalingGroupName"] == req["AutoScalingGroupName"]
                        });
                        compare(api, &props, req, &[("DefaultCooldown", "Cooldown")])
                    }
                    "autoscaling:EnableMetricsCollection" => {
                        let props = props_of("AWS::AutoScaling::AutoScalingGroup", &|r| {
                            r["Properties"]["AutoScalingGroupName"] == req["AutoScalingGroupName"]
                        });
                        compare(
                            api,
                            &props["MetricsCollection"][0],
                            &json!({ "Granularity": req["Granularity"], "Metrics": req["Metrics"] }),
                            &[],
                        )
                    }
                    "autoscaling:PutNotificationConfiguration" => {
                        let props = props_of("AWS::AutoScaling::AutoScalingGroup", &|r| {
                            r["Properties"]["AutoScalingGroupName"] == req["AutoScalingGroupName"]
                        });
                        let n = props["NotificationConfigurations"]
                            .as_array()
                            .expect("notifications");
                        let want = json!({ "TopicARN": { "topic": req["TopicARN"]["topic"] }, "NotificationTypes": req["NotificationTypes"] });
                        assert!(n.iter().any(|x| same(x, &want)), "{want} not in {props}");
                        1
                    }
                    "autoscaling:PutScalingPolicy" => {
                        // The template's policies have generated names:
                        // find the spec's policy by its physical name.
                        let name = req["PolicyName"].as_str().expect("name");
                        let (g, pol) = env
                            .groups
                            .iter()
                            .find_map(|g| {
                                g.policies
                                    .iter()
                                    .find(|p| p.physical_name == name)
                                    .map(|p| (g.name.clone(), p.name.clone()))
                            })
                            .expect("a policy of the spec");
                        let props = props_of("AWS::AutoScaling::ScalingPolicy", &|r| {
                            item(r, &format!("group {g} / policy {pol}"))
                        });
                        compare(api, &props, req, &[])
                    }
                    "autoscaling:PutScheduledUpdateGroupAction" => {
                        let name = req["ScheduledActionName"].as_str().expect("name");
                        let short = name
                            .rsplit_once(&format!(
                                "{}-",
                                req["AutoScalingGroupName"].as_str().expect("group")
                            ))
                            .map(|(_, s)| s)
                            .expect("suffix");
                        let props = props_of("AWS::AutoScaling::ScheduledAction", &|r| {
                            item(r, &format!("/ schedule {short}"))
                        });
                        compare(api, &props, req, &[])
                    }
                    "cloudwatch:PutMetricAlarm" => {
                        let props = props_of("AWS::CloudWatch::Alarm", &|r| {
                            r["Properties"]["AlarmName"] == req["AlarmName"]
                        });
                        let actions: Vec<Json> = req["AlarmActions"]
                            .as_array()
                            .expect("actions")
                            .iter()
                            .map(|a| {
                                if a.get("policy").is_some() {
                                    json!("policy")
                                } else {
                                    a.clone()
                                }
                            })
                            .collect();
                        let mut r = req.clone();
                        r["AlarmActions"] = Json::Array(actions);
                        compare(api, &props, &r, &[])
                    }
                    "cloudwatch:PutDashboard" => {
                        let props = props_of("AWS::CloudWatch::Dashboard", &|r| {
                            r["Properties"]["DashboardName"] == req["DashboardName"]
                        });
                        let a: Json =
                            serde_json::from_str(props["DashboardBody"].as_str().expect("body"))
                                .expect("template body JSON");
                        let b: Json =
                            serde_json::from_str(req["DashboardBody"].as_str().expect("body"))
                                .expect("plan body JSON");
                        assert_eq!(a, b, "dashboard bodies differ");
                        1
                    }
                    "autoscaling:PutWarmPool" => {
                        let props = props_of("AWS::AutoScaling::WarmPool", &|r| {
                            item(r, "/ warm pool")
                                && r["Metadata"]["scalec"]["item"].as_str().is_some_and(|i| {
                                    env.groups.iter().any(|g| {
                                        g.physical_name == req["AutoScalingGroupName"]
                                            && i == format!("group {} / warm pool", g.name)
                                    })
                                })
                        });
                        compare(api, &props, req, &[])
                    }
                    // CloudFormation has no suspended processes: the build
                    // says so, and the template has nothing to compare.
                    "autoscaling:SuspendProcesses" => {
                        let group = env
                            .groups
                            .iter()
                            .find(|g| g.physical_name == req["AutoScalingGroupName"])
                            .expect("a group of the spec");
                        assert_eq!(req["ScalingProcesses"], json!(group.suspended));
                        0
                    }
                    other => panic!("no comparison for {other}"),
                };
            }
            // A refresh is the group's update policy in the template and the
            // StartInstanceRefresh request in the plan.
            for (group, req) in &p.refresh {
                let r = resources
                    .values()
                    .find(|r| r["Properties"]["AutoScalingGroupName"] == json!(group))
                    .expect("the refreshed group");
                let policy = ev.eval(&r["UpdatePolicy"]["AutoScalingInstanceRefresh"]);
                assert_eq!(policy["Strategy"], req["Strategy"]);
                let mut prefs = req["Preferences"].clone();
                // Auto-rollback is an API preference only (a note at build).
                if let Some(m) = prefs.as_object_mut() {
                    m.remove("AutoRollback");
                }
                assert_eq!(
                    policy["Preferences"].as_object().map(|m| m.len()),
                    prefs.as_object().map(|m| m.len()),
                    "{group}: refresh preferences"
                );
                compared += compare("refresh", &policy["Preferences"], &prefs, &[]);
            }
            // every resource of the template is made by some call
            let creates = p
                .operations
                .iter()
                .filter(|o| {
                    !matches!(
                        o.call,
                        plan::Call::Subscribe { .. }
                            | plan::Call::EnableMetricsCollection { .. }
                            | plan::Call::PutNotificationConfiguration { .. }
                            | plan::Call::SuspendProcesses { .. }
                    )
                })
                .count();
            assert_eq!(
                creates,
                resources.len(),
                "{} {}: one call per template resource",
                f.display(),
                env.name
            );
        }
    }
    assert!(compared > 400, "compared only {compared} properties");
    // The fleet features are among them.
    let seen = COMPARED.with(|c| c.borrow().clone());
    for key in [
        "autoscaling:CreateAutoScalingGroup.MixedInstancesPolicy",
        "autoscaling:CreateAutoScalingGroup.CapacityRebalance",
        "autoscaling:CreateAutoScalingGroup.LifecycleHookSpecificationList",
        "autoscaling:CreateAutoScalingGroup.InstanceMaintenancePolicy",
        "autoscaling:CreateAutoScalingGroup.AvailabilityZoneDistribution",
        "autoscaling:CreateAutoScalingGroup.CapacityReservationSpecification",
        "autoscaling:CreateAutoScalingGroup.NewInstancesProtectedFromScaleIn",
        "autoscaling:CreateAutoScalingGroup.LaunchTemplate",
        "autoscaling:PutWarmPool.MinSize",
        "autoscaling:PutWarmPool.PoolState",
        "autoscaling:PutWarmPool.InstanceReusePolicy",
        "autoscaling:PutScalingPolicy.PredictiveScalingConfiguration",
        "autoscaling:PutScalingPolicy.TargetTrackingConfiguration",
        "refresh.MinHealthyPercentage",
        "refresh.MaxHealthyPercentage",
        "refresh.CheckpointPercentages",
        "refresh.CheckpointDelay",
        "refresh.SkipMatching",
        "refresh.AlarmSpecification",
    ] {
        assert!(
            seen.contains(key),
            "{key} was never compared; compared: {seen:?}"
        );
    }
}
