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

/// [`compile_envs_with_params`], without the environments the direct
/// plan refuses (scalable targets: `scale::plan::unsupported`, which
/// `the_direct_plan_refuses_scalable_targets_by_name` shows).
pub fn plannable_envs(path: &std::path::Path) -> Vec<(scalec::Compilation, String)> {
    compile_envs_with_params(path)
        .into_iter()
        .filter(|(c, _)| c.spec.environments[0].targets.is_empty())
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
        for (c, text) in plannable_envs(&f) {
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
        for (c, text) in plannable_envs(&f) {
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

/// Runs the pinned `jsonschema` over `docs/plan.schema.json` and `docs`;
/// panics with its findings.
fn assert_schema_valid(docs: &[std::path::PathBuf]) {
    let out = std::process::Command::new("python3")
        .arg(root().join("tests/harness/validate_json.py"))
        .arg(root().join("docs/plan.schema.json"))
        .args(docs)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "plans that don't follow docs/plan.schema.json:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn plan_json_follows_its_documented_schema() {
    let dir = scratch("plan-schema");
    let mut docs = Vec::new();
    let mut write = |name: String, p: &plan::ApplyPlan| {
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, p.to_json()).expect("written");
        docs.push(path);
    };
    let mut changed = 0;
    for f in scale_files(&root().join("examples")) {
        for (c, text) in plannable_envs(&f) {
            let env = &c.spec.environments[0];
            let p = plan::model_to_plan(env, None, &text).expect("plans");
            assert_eq!(p.format_version, plan::FORMAT_VERSION);
            write(format!("{}-{}", stem(&f), env.name), &p);
            // Against an account holding the first group with another
            // maximum and a policy the spec doesn't have: updates with
            // their changes, creates and a delete.
            let Some(create) = p
                .operations
                .iter()
                .find(|o| matches!(o.call, plan::Call::CreateAutoScalingGroup { .. }))
            else {
                continue;
            };
            let mut request = serde_json::to_value(&create.call).expect("call")["request"].clone();
            request["MaxSize"] = json!(99);
            let mut live = plan::LiveState::default();
            let mut g = plan::LiveGroup {
                ours: true,
                request,
                ..Default::default()
            };
            g.policies.insert(
                format!("{}-gone", create.resource),
                (
                    json!({"PolicyType": "SimpleScaling"}),
                    "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x".into(),
                ),
            );
            live.groups.insert(create.resource.clone(), g);
            let d = plan::diff(&p, &live, false).expect("diffs");
            assert!(
                d.operations.iter().any(|o| !o.changes.is_empty()),
                "an update with changes"
            );
            assert!(
                d.operations
                    .iter()
                    .any(|o| o.action == plan::Action::Delete)
            );
            changed += 1;
            write(format!("{}-{}-diff", stem(&f), env.name), &d);
        }
    }
    assert!(changed >= 3, "diffs of {changed} environments");
    // Every environment at once, as `plan --all-envs` prints it.
    let (code, all, err) = scalec(&[
        "plan",
        "examples/macro-ai.scale",
        "--all-envs",
        "--offline",
        "--format",
        "json",
        "--env-params",
        "staging=examples/params/macro-ai.staging.params",
    ]);
    // Staging has its values; the others are reported without them.
    assert_eq!(code, 1, "{err}");
    let v: Json = serde_json::from_str(&all).expect("JSON");
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["plans"][0]["environment"], "staging", "{v:#}");
    assert_eq!(v["plans"].as_array().map(Vec::len), Some(1), "{v:#}");
    let mut failed: Vec<&str> = v["failed"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["environment"].as_str())
        .collect();
    failed.sort_unstable();
    assert_eq!(failed, ["development", "production"], "{v:#}");
    let all_path = dir.join("all-envs.json");
    std::fs::write(&all_path, &all).expect("written");
    docs.push(all_path);
    assert_schema_valid(&docs);
    // The schema has teeth: a member it doesn't know fails it.
    let stray = dir.join("stray.json");
    let mut v: Json =
        serde_json::from_str(&std::fs::read_to_string(&docs[0]).expect("doc")).expect("JSON");
    v["operations"][0]["surprise"] = json!(1);
    std::fs::write(&stray, v.to_string()).expect("written");
    let out = std::process::Command::new("python3")
        .arg(root().join("tests/harness/validate_json.py"))
        .arg(root().join("docs/plan.schema.json"))
        .arg(&stray)
        .output()
        .expect("python3 runs");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("surprise"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// `plan --offline` of an example's environment with the params it uses.
fn offline_plan(spec: &str, env: &str, extra: &[&str]) -> String {
    let text = std::fs::read_to_string(root().join(spec)).expect("spec");
    let mut args: Vec<String> = ["plan", spec, "--env", env, "--offline"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for (k, v) in params_in("us-east-1") {
        if text.contains(&format!("param {k}:")) {
            args.push("--param".into());
            args.push(format!("{k}={v}"));
        }
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = scalec(&args);
    assert_eq!(code, 0, "{err}");
    out
}

/// The indented lines under the create of `resource` by `api`.
fn under<'a>(plan: &'a str, api: &str, resource: &str) -> Vec<&'a str> {
    plan.lines()
        .skip_while(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            !(words.len() == 4 && words[0] == "+" && words[2] == api && words[3] == resource)
        })
        .skip(1)
        .take_while(|l| l.starts_with("        "))
        .map(str::trim)
        .collect()
}

#[test]
fn a_create_shows_the_values_it_sets_and_verbose_every_field() {
    let out = offline_plan("examples/macro-ai.scale", "staging", &[]);
    // The group: capacities, health check, warmup, launch template, tags.
    let group = under(
        &out,
        "autoscaling:CreateAutoScalingGroup",
        "macro-ai-staging-web",
    );
    for line in [
        "MinSize: 1",
        "MaxSize: 5",
        "DesiredCapacity: 2",
        "HealthCheckType: \"ELB\"",
        "HealthCheckGracePeriod: 300",
        "DefaultInstanceWarmup: 120",
        "LaunchTemplate.LaunchTemplateId: \"lt-0123456789abcdef0\"",
        "LaunchTemplate.Version: \"3\"",
    ] {
        assert!(group.contains(&line), "missing `{line}` in {group:#?}");
    }
    assert!(
        group
            .iter()
            .any(|l| l.starts_with("Tags: app=macro-ai, ") && l.ends_with(" (at launch)")),
        "{group:#?}"
    );
    assert!(
        !group.iter().any(|l| l.starts_with("AutoScalingGroupName")),
        "the name is on the call's line: {group:#?}"
    );
    // Target tracking and step scaling: targets, step bounds, adjustments.
    let cpu = under(
        &out,
        "autoscaling:PutScalingPolicy",
        "macro-ai-staging-web-cpu",
    );
    assert!(
        cpu.contains(&"TargetTrackingConfiguration.TargetValue: 70.0"),
        "{cpu:#?}"
    );
    assert!(cpu.contains(&"EstimatedInstanceWarmup: 120"), "{cpu:#?}");
    let surge = under(
        &out,
        "autoscaling:PutScalingPolicy",
        "macro-ai-staging-web-cpu_surge",
    );
    assert!(
        surge.contains(
            &"StepAdjustments: +1 at 0..8, +2 at 8..15, +3 at 15.. (from the alarm's threshold)"
        ),
        "{surge:#?}"
    );
    // The alarm: metric, threshold, window and actions; defaults left out.
    let alarm = under(
        &out,
        "cloudwatch:PutMetricAlarm",
        "macro-ai-staging-web-cpu_surge-alarm",
    );
    for line in [
        "Threshold: 70.0",
        "Period: 60",
        "EvaluationPeriods: 3",
        "ComparisonOperator: \"GreaterThanOrEqualToThreshold\"",
        "Dimensions: AutoScalingGroupName=macro-ai-staging-web",
        "AlarmActions: [(ARN of policy macro-ai-staging-web-cpu_surge, known after apply)]",
    ] {
        assert!(alarm.contains(&line), "missing `{line}` in {alarm:#?}");
    }
    for default in ["TreatMissingData", "DatapointsToAlarm", "ActionsEnabled"] {
        assert!(
            !alarm.iter().any(|l| l.starts_with(default)),
            "AWS's default {default} shown: {alarm:#?}"
        );
    }
    // A dashboard by its widgets.
    let dash = under(&out, "cloudwatch:PutDashboard", "macro-ai-staging-web");
    assert!(
        dash.iter()
            .any(|l| l.starts_with("DashboardBody: ") && l.contains(" widgets: web: capacity")),
        "{dash:#?}"
    );

    // --verbose: every field, defaults and the dashboard's body included.
    let all = offline_plan("examples/macro-ai.scale", "staging", &["--verbose"]);
    let alarm = under(
        &all,
        "cloudwatch:PutMetricAlarm",
        "macro-ai-staging-web-cpu_surge-alarm",
    );
    assert!(
        alarm.contains(&"TreatMissingData: \"missing\""),
        "{alarm:#?}"
    );
    assert!(alarm.contains(&"DatapointsToAlarm: 3"), "{alarm:#?}");
    assert!(
        alarm.contains(&"AlarmName: \"macro-ai-staging-web-cpu_surge-alarm\""),
        "{alarm:#?}"
    );
    let dash = under(&all, "cloudwatch:PutDashboard", "macro-ai-staging-web");
    assert!(
        dash.iter()
            .any(|l| l.starts_with("DashboardBody: \"{\\\"widgets\\\"")),
        "{dash:#?}"
    );

    // Fleet features: hooks with their timeouts, Spot, given names.
    let fleet = offline_plan("examples/spot-fleet.scale", "production", &[]);
    let api = under(
        &fleet,
        "autoscaling:CreateAutoScalingGroup",
        "spot-fleet-api",
    );
    for line in [
        "LifecycleHookSpecificationList[0].LifecycleHookName: \"spot-fleet-api-bootstrap\"",
        "LifecycleHookSpecificationList[0].HeartbeatTimeout: 120",
        "LifecycleHookSpecificationList[1].DefaultResult: \"CONTINUE\"",
        "MixedInstancesPolicy.InstancesDistribution.OnDemandBaseCapacity: 2",
        "MixedInstancesPolicy.InstancesDistribution.SpotAllocationStrategy: \"price-capacity-optimized\"",
        "CapacityRebalance: true",
    ] {
        assert!(api.contains(&line), "missing `{line}` in {api:#?}");
    }
    assert!(
        !api.iter()
            .any(|l| l.starts_with("LifecycleHookSpecificationList[0].DefaultResult")),
        "ABANDON is AWS's default: {api:#?}"
    );
    assert!(
        !under(&fleet, "sns:CreateTopic", "platform-critical").is_empty(),
        "a given name: {fleet}"
    );
}

#[test]
fn the_direct_plan_refuses_scalable_targets_by_name() {
    let f = root().join("examples/ecs-service.scale");
    let envs = compile_envs_with_params(&f);
    assert_eq!(envs.len(), 3, "ecs-service has three environments");
    for (c, text) in envs {
        let env = &c.spec.environments[0];
        let diags = plan::model_to_plan(env, None, &text).expect_err("refused");
        let refused: Vec<&str> = diags
            .iter()
            .filter(|d| d.code == "scale::plan::unsupported")
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            refused.len(),
            env.targets.len(),
            "{}: {refused:?}",
            env.name
        );
        assert!(
            refused.iter().any(|m| m.contains("service `api`")),
            "{refused:?}"
        );
    }
    // Through the binary: a located error and a non-zero exit.
    let (code, out, err) = scalec(&[
        "plan",
        f.to_str().expect("utf-8"),
        "--env",
        "staging",
        "--offline",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("scale::plan::unsupported") && err.contains("ecs-service.scale:"),
        "{err}"
    );
}
