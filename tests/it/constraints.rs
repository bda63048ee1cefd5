//! The table of AWS field constraints (`scalec::check::constraints`)
//! against everything scalec emits, and against AWS's own models.

use super::*;
use scalec::backend::{cfn, plan};
use scalec::check::constraints::{self as c, TABLE};
use serde_json::{Value as Json, json};
use std::collections::BTreeSet;

/// A spec that uses what the examples don't: a time zone, scale-in off,
/// exact capacity, a custom metric, subscriptions of every protocol.
const EXTRA: &str = r#"app "extra"
param lt: launch_template_id
param subnets: list<subnet_id>
metric app.backlog {
  namespace = "App/Queue"
  name = "BacklogPerInstance"
  unit = count
  statistic = average
  dimensions = { AutoScalingGroupName = group.name }
}
environment production extends std.production {
  region = "eu-west-1"
  param.lt = "lt-0123456789abcdef0"
  param.subnets = ["subnet-0123abcd"]
}
topic critical {
  email = "ops@example.com"
  https = "https://hooks.example.com/scale"
  sqs = "arn:aws:sqs:eu-west-1:123456789012:scale-events"
  lambda = "arn:aws:lambda:eu-west-1:123456789012:function:page"
}
group worker {
  launch_template = param.lt
  launch_template_version = 7
  subnets = param.subnets
  capacity = 1..20
  notify [launch, terminate, test] -> critical
  policy backlog target_tracking { metric = app.backlog  target = 10  scale_in = false }
  policy floor step {
    metric = ec2.cpu
    ..5% => exactly 1
  }
  schedule night {
    cron = "0 22 * * *"
    timezone = "Europe/Dublin"
    desired = 1
  }
}
group tuned {
  launch_template_name = "web-template"
  launch_template_version = 4
  subnets = param.subnets
  capacity = 0..4
  maintenance = 90%..120%
  scale_in_protection = true
  suspend = [az_rebalance, alarm_notification]
  capacity_reservations = first {
    ids = ["cr-0123456789abcdef0"]
    resource_groups = ["arn:aws:resource-groups:eu-west-1:123456789012:group/reserved"]
  }
  az_distribution = balanced_only
  refresh = { skip_matching = true }
}
group spot {
  launch_template = param.lt
  launch_template_version = 3
  subnets = param.subnets
  capacity = 0..40
  capacity_rebalance = true
  instances = {
    types = [
      { type = "m5.large"  weight = 2 },
      { type = "m6g.large"  weight = 2  launch_template_name = "arm-template"  launch_template_version = 2 },
      { type = "m6i.large"  weight = 2  launch_template = "lt-0123456789abcdef1"  launch_template_version = 5 },
    ]
    on_demand_base = 2
    on_demand_above_base = 0%
    spot_pools = 4
  }
  refresh = { healthy = 90%..110% }
  hook boot launch {
    timeout = 5m
    metadata = "boot"
    notify = "arn:aws:sqs:eu-west-1:123456789012:hooks"
    role = "arn:aws:iam::123456789012:role/hooks"
  }
}
group attribute {
  launch_template_name = "x86-template"
  launch_template_version = 1
  subnets = param.subnets
  capacity = 0..4
  instances = {
    requirements = [
      { vcpus = 2..8  memory = 4GiB..16GiB },
      { vcpus = 4..  memory = 8GiB..  launch_template = "lt-0123456789abcdef1"  launch_template_version = 2 },
    ]
    spot_strategy = capacity_optimized
  }
  refresh = {}
}
group pooled {
  launch_template = param.lt
  launch_template_version = 2
  subnets = param.subnets
  capacity = 0..4
  warm_pool = { min = 1  max_prepared = 6  state = hibernated  reuse_on_scale_in = true }
  hook drain terminate { timeout = 2m  default = continue }
}
group rolled {
  launch_template = param.lt
  launch_template_version = 6
  subnets = param.subnets
  capacity = 0..4
  metrics = all
  refresh = {
    healthy = 90%..120%
    warmup = 1m
    checkpoints = [25%, 100%]
    checkpoint_delay = 2m
    skip_matching = true
    auto_rollback = true
    stop_on = [stuck]
  }
  alarm stuck critical { when = group.pending > 0  for = 30m }
}
group forecast {
  launch_template = param.lt
  launch_template_version = 2
  subnets = param.subnets
  target_groups = ["arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/api/73e2d6bc24d8a067"]
  capacity = 0..10
  policy requests predictive {
    metric = alb.requests_per_target("arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/api/50dc6c495c0c9188", "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/api/73e2d6bc24d8a067")
    target = 1000/min
    mode = forecast_and_scale
    buffer = 5m
    max_capacity = increase { buffer = 20% }
  }
  policy backlog predictive {
    metric = app.backlog
    load = app.backlog
    target = 10
  }
}
group literal {
  launch_template = "lt-0123456789abcdef0"
  launch_template_version = 1
  subnets = ["subnet-0123abcd", "subnet-4567ef01"]
  capacity = 0..1
}
"#;

/// Every compilation the table is tried on: the examples' environments
/// (params in their regions) and [`EXTRA`].
fn compilations() -> Vec<(scalec::Compilation, String)> {
    let mut out = Vec::new();
    for f in scale_files(&root().join("examples")) {
        out.extend(super::plan::compile_envs_with_params(&f));
    }
    let c = scalec::compile("extra.scale", EXTRA, &scalec::check::Options::default());
    assert!(!c.has_errors(), "{}", render(&c));
    out.push((c, EXTRA.to_string()));
    out
}

/// `(path, value)` of every field of a request or of template properties:
/// lists and their items (`Name[]`), down to scalars, ARNs known only at
/// apply time (`{"topic": ...}`) and intrinsic functions (`{"Ref": ...}`).
fn fields(path: &str, v: &Json, out: &mut Vec<(String, Json)>) {
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match v {
        Json::Object(m)
            if m.len() == 1
                && m.keys().next().is_some_and(|k| {
                    k == "Ref" || k.starts_with("Fn::") || k == "topic" || k == "policy"
                }) =>
        {
            out.push((path.to_string(), v.clone()))
        }
        Json::Object(m) => m.iter().for_each(|(k, x)| fields(&join(k), x, out)),
        Json::Array(a) => {
            out.push((path.to_string(), v.clone()));
            a.iter().for_each(|x| fields(&format!("{path}[]"), x, out));
        }
        _ => out.push((path.to_string(), v.clone())),
    }
}

/// A live state that differs from `p` in every way a plan can act on, so
/// that its diff makes updates, attaches, detaches, tag calls and deletes.
fn drifted(p: &plan::ApplyPlan) -> plan::LiveState {
    let mut live = plan::LiveState::default();
    for op in &p.operations {
        let request = serde_json::to_value(&op.call).expect("call")["request"].clone();
        match &op.call {
            plan::Call::CreateTopic { name, .. } => {
                live.topics.insert(
                    name.clone(),
                    format!("arn:aws:sns:{}:123456789012:{name}", p.region),
                );
                live.topics_ours.insert(name.clone(), true);
                live.display_names.insert(name.clone(), "Old alerts".into());
            }
            plan::Call::CreateAutoScalingGroup {
                auto_scaling_group_name: name,
                ..
            } => {
                let mut r = request.clone();
                r["MinSize"] = json!(0);
                r["DesiredCapacity"] = json!(0);
                r["HealthCheckType"] = json!("EC2");
                r["HealthCheckGracePeriod"] = json!(1);
                r["DefaultInstanceWarmup"] = json!(1);
                r["DefaultCooldown"] = json!(1);
                r["VPCZoneIdentifier"] = json!("subnet-99999999");
                r["TerminationPolicies"] = json!(["NewestInstance"]);
                r["LaunchTemplate"]["Version"] = json!("1");
                r["LaunchTemplate"]["LaunchTemplateId"] = json!("lt-99999999999999999");
                r["MaxSize"] = json!(99);
                r["InstanceMaintenancePolicy"] =
                    json!({ "MinHealthyPercentage": 50, "MaxHealthyPercentage": 150 });
                r["NewInstancesProtectedFromScaleIn"] = json!(false);
                r["CapacityRebalance"] = json!(false);
                r["CapacityReservationSpecification"] =
                    json!({ "CapacityReservationPreference": "none" });
                r["AvailabilityZoneDistribution"] =
                    json!({ "CapacityDistributionStrategy": "balanced-best-effort" });
                r["TargetGroupARNs"] = json!([format!(
                    "arn:aws:elasticloadbalancing:{}:123456789012:targetgroup/old/0123456789abcdef",
                    p.region
                )]);
                let old = format!("{name}-old");
                if let Some(m) = r.get_mut("MixedInstancesPolicy") {
                    m["InstancesDistribution"]["OnDemandBaseCapacity"] = json!(0);
                    m["LaunchTemplate"]["Overrides"] = json!([{ "InstanceType": "t3.micro" }]);
                    m["LaunchTemplate"]["LaunchTemplateSpecification"]["Version"] = json!("9");
                }
                let hook = |hname: &str| {
                    json!({
                        "AutoScalingGroupName": name,
                        "LifecycleHookName": hname,
                        "LifecycleTransition": "autoscaling:EC2_INSTANCE_LAUNCHING",
                        "HeartbeatTimeout": 30,
                        "DefaultResult": "CONTINUE",
                    })
                };
                let hooks = r
                    .get("LifecycleHookSpecificationList")
                    .and_then(Json::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|h| h["LifecycleHookName"].as_str())
                            .map(|h| (h.to_string(), hook(h)))
                            .chain([(format!("{name}-old"), hook(&format!("{name}-old")))])
                            .collect()
                    });
                let mut g = plan::LiveGroup {
                    ours: true,
                    request: r,
                    tags: [("managed-by".to_string(), "someone".to_string())].into(),
                    suspended: vec!["Launch".into()],
                    warm_pool: Some(
                        json!({ "MinSize": 0, "PoolState": "Stopped", "MaxGroupPreparedCapacity": 3 }),
                    ),
                    hooks,
                    ..Default::default()
                };
                g.policies.insert(
                    old.clone(),
                    (json!({ "PolicyType": "StepScaling" }), "arn:policy".into()),
                );
                g.schedules.insert(old.clone(), json!({}));
                g.notifications.insert(
                    format!("arn:aws:sns:{}:123456789012:old", p.region),
                    vec!["autoscaling:TEST_NOTIFICATION".into()],
                );
                live.groups.insert(name.clone(), g);
                live.alarms.insert(
                    scalec::model::policy_alarm_name(&old),
                    plan::LiveAlarm {
                        ours: true,
                        request: json!({}),
                    },
                );
            }
            plan::Call::PutDashboard { dashboard_name, .. } => {
                live.dashboards.insert(dashboard_name.clone(), "{}".into());
            }
            _ => {}
        }
    }
    live
}

/// Calls `visit` with every field scalec emits for [`compilations`]: each
/// request of an offline plan, of a plan against drifted state and of a
/// teardown, and each property of every template, as (API or resource
/// type, path, value).
fn each_emitted_field(mut visit: impl FnMut(&str, &str, &Json)) {
    for (comp, text) in compilations() {
        for env in &comp.spec.environments {
            // The direct plan refuses scalable targets (for now): their
            // fields are the template's.
            if !env.targets.is_empty() {
                template_fields(env, &comp, &mut visit);
                continue;
            }
            let offline = plan::model_to_plan(env, None, &text).expect("plans");
            let live = drifted(&offline);
            let updated = plan::diff(&offline, &live, true).expect("diffs");
            let teardown = plan::teardown(env, &offline.region, &live);
            for p in [&offline, &updated, &teardown] {
                for op in &p.operations {
                    let request = serde_json::to_value(&op.call).expect("call")["request"].clone();
                    let mut out = Vec::new();
                    fields("", &request, &mut out);
                    for (path, v) in out {
                        visit(op.call.api(), &path, &v);
                    }
                }
                for req in p.refresh.values() {
                    let mut out = Vec::new();
                    fields("", req, &mut out);
                    for (path, v) in out {
                        visit("autoscaling:StartInstanceRefresh", &path, &v);
                    }
                }
            }
            template_fields(env, &comp, &mut visit);
        }
    }
}

/// Each property of every template of `env`'s build, as `visit` takes it.
fn template_fields(
    env: &scalec::model::Environment,
    comp: &scalec::Compilation,
    visit: &mut impl FnMut(&str, &str, &Json),
) {
    let build = cfn::model_to_cfn(env, &comp.sources, cfn::Format::Json).expect("builds");
    for stack in &build.stacks {
        visit(
            "AWS::CloudFormation::Template",
            "<stack name>",
            &json!(stack.name),
        );
        let t: Json = serde_json::from_str(&stack.text).expect("template");
        for (id, r) in t["Resources"].as_object().expect("resources") {
            visit(
                "AWS::CloudFormation::Template",
                "Resources.<logical ID>",
                &json!(id),
            );
            let ty = r["Type"].as_str().expect("type");
            let mut out = Vec::new();
            fields("", &r["Properties"], &mut out);
            if let Some(u) = r.get("UpdatePolicy") {
                fields("UpdatePolicy", u, &mut out);
            }
            for (path, v) in out {
                visit(ty, &path, &v);
            }
        }
    }
}

#[test]
fn every_emitted_field_has_a_row_and_keeps_it() {
    let mut used: BTreeSet<(&str, String)> = BTreeSet::new();
    let mut failures = Vec::new();
    each_emitted_field(|api, path, v| match c::row(api, path) {
        None => failures.push(format!("no row for {api} {path}")),
        Some(row) => {
            // ARNs of resources made earlier in the run are known at apply.
            let deferred = v
                .as_object()
                .is_some_and(|m| m.contains_key("topic") || m.contains_key("policy"));
            if !deferred && let Err(e) = row.check(v) {
                failures.push(format!("{api} {path}: {e}"));
            }
            used.insert((row.api, row.field.to_string()));
        }
    });
    failures.sort();
    failures.dedup();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // And the table has no row nothing uses.
    let unused: Vec<String> = TABLE
        .iter()
        .filter(|r| !used.contains(&(r.api, r.field.to_string())))
        .map(|r| format!("{} {}", r.api, r.field))
        .collect();
    assert!(
        unused.is_empty(),
        "rows no emitted field uses:\n{}",
        unused.join("\n")
    );
}

#[test]
fn every_shape_accepts_its_witnesses() {
    for r in TABLE {
        if let Some(shape) = r.shape {
            assert!(!shape.witnesses().is_empty(), "{shape:?} has no witness");
            for w in shape.witnesses() {
                assert!(shape.accepts(w), "{shape:?} refuses its witness `{w}`");
            }
        }
    }
}

#[test]
fn aws_models_are_never_stricter_than_the_table() {
    let dir = scratch("constraints-oracle");
    let table = dir.join("table.json");
    // Each row with the values its shape accepts at its edges and the text
    // values scalec emits for it: AWS's patterns must take them all.
    let mut samples: std::collections::BTreeMap<(String, String), BTreeSet<String>> =
        Default::default();
    each_emitted_field(|api, path, v| {
        if let Some(text) = v.as_str() {
            samples
                .entry((api.to_string(), path.to_string()))
                .or_default()
                .insert(text.to_string());
        }
    });
    let rows: Vec<Json> = TABLE
        .iter()
        .map(|r| {
            let mut j = serde_json::to_value(r).expect("row JSON");
            j["witnesses"] = json!(r.shape.map_or(&[][..], |s| s.witnesses()));
            j["samples"] = json!(
                samples
                    .get(&(r.api.to_string(), r.field.to_string()))
                    .cloned()
                    .unwrap_or_default()
            );
            j
        })
        .collect();
    std::fs::write(&table, serde_json::to_string(&rows).expect("table JSON")).expect("written");
    let out = std::process::Command::new("python3")
        .arg(root().join("tests/harness/constraints_oracle.py"))
        .arg(&table)
        .output()
        .expect("python3 runs the oracle (botocore and cfn-lint come with requirements-test.txt)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Json = serde_json::from_slice(&out.stdout).expect("oracle JSON");
    let problems = v["problems"].as_array().expect("problems");
    assert!(
        problems.is_empty(),
        "{}",
        serde_json::to_string_pretty(problems).unwrap_or_default()
    );
    // Everything but the template's own structure has a counterpart.
    let compared = v["compared"].as_u64().unwrap_or(0);
    assert_eq!(
        compared as usize + v["uncompared"].as_array().map_or(0, Vec::len),
        TABLE.len()
    );
    assert!(compared as usize >= TABLE.len() - 2, "{v}");
    // Patterns: the fleet's names (hooks, launch templates) and every
    // XmlString field are compared with witnesses and emitted values.
    let patterns = v["patterns_compared"].as_u64().unwrap_or(0);
    assert!(patterns >= 100, "only {patterns} patterns compared: {v}");
    // "One of these words" rows whose field has no enum upstream: only the
    // words' lengths were compared. They are reported, and each is a
    // word-list row of the table.
    let unchecked = v["words_without_enum"]
        .as_array()
        .expect("words_without_enum");
    for u in unchecked {
        let u = u.as_str().unwrap_or_default();
        let row = TABLE
            .iter()
            .find(|r| format!("{} {}", r.api, r.field) == u)
            .unwrap_or_else(|| panic!("`{u}` is no row"));
        assert!(
            matches!(row.rule, c::Rule::OneOf { .. }),
            "{u} is not a word list"
        );
    }
    eprintln!(
        "word lists with no enum upstream ({}), compared by length only:\n  {}",
        unchecked.len(),
        unchecked
            .iter()
            .filter_map(Json::as_str)
            .collect::<Vec<_>>()
            .join("\n  ")
    );
}

#[test]
fn the_scalable_kinds_words_are_among_botocores_enums() {
    // Each word list of kinds::scalable against the enum of the field it
    // fills in botocore's application-autoscaling model: AWS takes every
    // namespace, dimension, predefined metric type and policy type
    // scalec writes.
    use scalec::kinds::scalable as k;
    let lists = json!({
        "ServiceNamespace": k::NAMESPACES,
        "ScalableDimension": k::DIMENSIONS,
        "MetricType": k::PREDEFINED,
        "PolicyType": k::POLICY_TYPES,
    });
    let script = r#"
import json, sys, botocore.session
m = botocore.session.get_session().get_service_model("application-autoscaling")
lists = json.loads(sys.argv[1])
out = {name: sorted(set(words) - set(m.shape_for(name).enum)) for name, words in lists.items()}
print(json.dumps(out))
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", script, &lists.to_string()])
        .output()
        .expect("python3 runs botocore (requirements-test.txt)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let missing: Json = serde_json::from_slice(&out.stdout).expect("JSON");
    for (field, words) in missing.as_object().expect("object") {
        assert_eq!(words, &json!([]), "{field}: not among botocore's values");
    }
    // And every kind's dimensions belong to its namespace.
    for kind in k::KINDS {
        for (_, d) in kind.dimensions {
            assert!(
                d.starts_with(&format!("{}:", kind.namespace)),
                "{d} of {}",
                kind.namespace
            );
        }
    }
}
