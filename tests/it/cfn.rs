//! The CloudFormation backend: real cfn-lint on every template, snapshots,
//! the seed's values on the parsed template, splitting large environments,
//! and the backend's diagnostics.

use super::*;
use scalec::backend::cfn::{self, Format};
use serde_json::Value as Json;
use std::process::Command;

fn build_all(path: &std::path::Path, format: Format) -> Vec<cfn::Build> {
    let c = compile_path(path);
    assert!(!c.has_errors(), "{}", render(&c));
    c.spec
        .environments
        .iter()
        .map(|e| cfn::model_to_cfn(e, &c.sources, format).unwrap_or_else(|d| panic!("{d:?}")))
        .collect()
}

/// Runs the pinned cfn-lint on files; panics with its findings.
fn cfn_lint(files: &[std::path::PathBuf]) {
    assert!(!files.is_empty());
    let out = Command::new("cfn-lint").args(files).output().expect(
        "cfn-lint must be installed: run `scripts/test`, which installs requirements-test.txt",
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.trim().is_empty(),
        "cfn-lint found problems (exit {:?}):\n{stdout}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn write_builds(
    dir: &std::path::Path,
    builds: &[cfn::Build],
    format: Format,
) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for b in builds {
        for s in &b.stacks {
            let p = dir.join(format!("{}.{}", s.name, format.extension()));
            std::fs::write(&p, &s.text).expect("write template");
            files.push(p);
        }
    }
    files
}

#[test]
fn every_example_template_is_cfn_lint_clean_in_json_and_yaml() {
    let dir = scratch("lint-examples");
    let mut files = Vec::new();
    for f in scale_files(&root().join("examples")) {
        for format in [Format::Json, Format::Yaml] {
            files.extend(write_builds(&dir, &build_all(&f, format), format));
        }
    }
    assert!(files.len() >= 10, "5 environments x 2 formats");
    cfn_lint(&files);
}

#[test]
fn example_templates_are_snapshotted_and_deterministic() {
    for f in scale_files(&root().join("examples")) {
        let stem = stem(&f);
        let a = build_all(&f, Format::Json);
        let b = build_all(&f, Format::Json);
        for (x, y) in a.iter().zip(&b) {
            let (tx, ty) = (x.stacks[0].text.clone(), y.stacks[0].text.clone());
            assert_eq!(
                tx, ty,
                "{stem} {} is not byte-identical across builds",
                x.env
            );
            insta::with_settings!({ snapshot_path => "snapshots/cfn", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(format!("{stem}.{}", x.env), tx);
            });
        }
    }
}

fn template(env: &str) -> Json {
    let builds = build_all(&root().join("examples/macro-ai.scale"), Format::Json);
    let b = builds.into_iter().find(|b| b.env == env).expect("env");
    assert_eq!(b.stacks.len(), 1);
    // Parse the rendered text, as CloudFormation would.
    serde_json::from_str(&b.stacks[0].text).expect("valid JSON")
}

fn resource<'a>(t: &'a Json, id: &str) -> &'a Json {
    &t["Resources"][id]["Properties"]
}

#[test]
fn seed_values_in_each_environment_template() {
    for (env, min, max, desired, cpu, mem, req) in [
        ("production", "2", "10", "3", 60.0, 70.0, 100.0),
        ("staging", "1", "5", "2", 70.0, 75.0, 150.0),
        ("development", "1", "3", "1", 75.0, 80.0, 200.0),
    ] {
        let t = template(env);
        let g = resource(&t, "WebGroup");
        assert_eq!(
            (
                g["MinSize"].as_str(),
                g["MaxSize"].as_str(),
                g["DesiredCapacity"].as_str()
            ),
            (Some(min), Some(max), Some(desired)),
            "{env}"
        );
        assert_eq!(
            t["Resources"]["WebGroup"]["UpdatePolicy"]["AutoScalingScheduledAction"]["IgnoreUnmodifiedGroupSizeProperties"],
            true
        );
        let c = &resource(&t, "WebCpuPolicy")["TargetTrackingConfiguration"];
        assert_eq!(c["TargetValue"].as_f64(), Some(cpu));
        assert_eq!(
            c["PredefinedMetricSpecification"]["PredefinedMetricType"],
            "ASGAverageCPUUtilization"
        );
        let m = &resource(&t, "WebMemoryPolicy")["TargetTrackingConfiguration"];
        assert_eq!(m["TargetValue"].as_f64(), Some(mem));
        let spec = &m["CustomizedMetricSpecification"];
        assert_eq!(
            (spec["Namespace"].as_str(), spec["MetricName"].as_str()),
            (Some("CWAgent"), Some("mem_used_percent"))
        );
        assert_eq!(spec["Dimensions"][0]["Name"], "AutoScalingGroupName");
        assert_eq!(spec["Dimensions"][0]["Value"]["Ref"], "WebGroup");
        let r = &resource(&t, "WebRequestsPolicy")["TargetTrackingConfiguration"];
        assert_eq!(r["TargetValue"].as_f64(), Some(req));
        assert_eq!(
            r["PredefinedMetricSpecification"]["PredefinedMetricType"],
            "ALBRequestCountPerTarget"
        );
        assert!(
            r["PredefinedMetricSpecification"]["ResourceLabel"]["Fn::Join"].is_array(),
            "label built with intrinsics"
        );
    }
}

fn steps(t: &Json, id: &str) -> Vec<(Option<f64>, Option<f64>, i64)> {
    resource(t, id)["StepAdjustments"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| {
            (
                s["MetricIntervalLowerBound"].as_f64(),
                s["MetricIntervalUpperBound"].as_f64(),
                s["ScalingAdjustment"].as_i64().expect("adjustment"),
            )
        })
        .collect()
}

#[test]
fn seed_steps_simple_scaling_alarms_topics_and_dashboard() {
    let t = template("production");
    assert_eq!(
        steps(&t, "WebCpuSurgePolicy"),
        vec![
            (Some(0.0), Some(10.0), 1),
            (Some(10.0), Some(25.0), 2),
            (Some(25.0), None, 3)
        ]
    );
    let a = resource(&t, "WebCpuSurgePolicyAlarm");
    assert_eq!(a["Threshold"].as_f64(), Some(60.0));
    assert_eq!(a["ComparisonOperator"], "GreaterThanOrEqualToThreshold");
    assert_eq!(a["AlarmActions"][0]["Ref"], "WebCpuSurgePolicy");
    assert_eq!(steps(&t, "WebCpuCalmPolicy"), vec![(None, Some(0.0), -1)]);
    assert_eq!(
        resource(&t, "WebCpuCalmPolicyAlarm")["Threshold"].as_f64(),
        Some(20.0)
    );
    assert_eq!(
        resource(&t, "WebCpuCalmPolicyAlarm")["ComparisonOperator"],
        "LessThanOrEqualToThreshold"
    );
    // response time: 1 s, 2 s, 5 s
    assert_eq!(
        resource(&t, "WebSlowResponsesPolicyAlarm")["Threshold"].as_f64(),
        Some(1.0)
    );
    assert_eq!(
        steps(&t, "WebSlowResponsesPolicy"),
        vec![
            (Some(0.0), Some(1.0), 1),
            (Some(1.0), Some(4.0), 2),
            (Some(4.0), None, 3)
        ]
    );
    // simple scaling with a cooldown, and no cooldown anywhere else
    let s = resource(&t, "WebRequestBurstPolicy");
    assert_eq!(
        (
            s["PolicyType"].as_str(),
            s["Cooldown"].as_str(),
            s["ScalingAdjustment"].as_i64()
        ),
        (Some("SimpleScaling"), Some("180"), Some(1))
    );
    for (id, r) in t["Resources"].as_object().expect("resources") {
        if r["Type"] == "AWS::AutoScaling::ScalingPolicy"
            && r["Properties"]["PolicyType"] != "SimpleScaling"
        {
            assert!(
                r["Properties"].get("Cooldown").is_none(),
                "{id} has a cooldown"
            );
        }
    }
    // alarms per tier notify their tier's topic
    for (alarm, topic) in [
        ("WebAtCapacityAlarm", "TopicCritical"),
        ("WebHotAlarm", "TopicWarning"),
        ("WebScaledOutAlarm", "TopicInfo"),
    ] {
        assert_eq!(
            resource(&t, alarm)["AlarmActions"][0]["Ref"],
            topic,
            "{alarm}"
        );
    }
    let near = resource(&t, "WebNearCapacityAlarm");
    assert_eq!(near["Threshold"].as_f64(), Some(80.0));
    assert_eq!(near["Metrics"][2]["Expression"], "(100 * (m1 / m2))");
    assert_eq!(
        near["Metrics"][1]["MetricStat"]["Metric"]["MetricName"],
        "GroupMaxSize"
    );
    assert_eq!(
        resource(&t, "WebThrashingAlarm")["Metrics"][1]["Expression"],
        "ABS(DIFF(m1))"
    );
    assert_eq!(
        resource(&t, "TopicCritical")["Subscription"][0]["Protocol"],
        "email"
    );
    assert_eq!(
        resource(&t, "TopicCritical")["Subscription"][0]["Endpoint"]["Ref"],
        "AlertEmail"
    );
    let n = &resource(&t, "WebGroup")["NotificationConfigurations"];
    assert_eq!(n.as_array().map(|a| a.len()), Some(2));
    // dashboard: built with Fn::Sub so widgets name the real group
    let body = &resource(&t, "WebDashboard")["DashboardBody"]["Fn::Sub"];
    let text = body[0].as_str().or(body.as_str()).expect("body text");
    let widgets: Json = serde_json::from_str(text).expect("dashboard body is JSON");
    let titles: Vec<&str> = widgets["widgets"]
        .as_array()
        .expect("widgets")
        .iter()
        .filter_map(|w| w["properties"]["title"].as_str())
        .collect();
    assert_eq!(titles.len(), 6);
    assert!(titles[0].contains("capacity") && titles[1].contains("activity"));
    assert!(text.contains("${WebGroup}"));
    assert!(
        text.contains("GroupDesiredCapacity")
            && text.contains("GroupInServiceInstances")
            && text.contains("GroupTotalInstances")
    );
    assert!(text.contains("GroupPendingInstances") && text.contains("GroupTerminatingInstances"));
    // source map: every resource points back at the spec
    for (id, r) in t["Resources"].as_object().expect("resources") {
        let src = r["Metadata"]["scalec"]["source"]
            .as_str()
            .unwrap_or_default();
        assert!(src.starts_with("examples/macro-ai.scale:"), "{id}: {src}");
    }
}

/// A spec with `groups` small groups.
pub fn generated_spec(groups: usize) -> String {
    let mut s = String::from(
        "app \"fleet\"\nparam lt: launch_template_id\nparam subnets: list<subnet_id>\nparam email: email\n\
         environment production extends std.production { param.lt = \"lt-0123456789abcdef0\" }\n\
         topic critical { email = param.email }\n",
    );
    for i in 0..groups {
        s.push_str(&format!(
            "group g{i} {{\n  launch_template = param.lt  launch_template_version = 4\n  subnets = param.subnets\n  capacity = env.capacity  desired = env.desired\n  metrics = all\n  policy cpu target_tracking {{ metric = ec2.cpu  target = env.cpu }}\n  alarm full critical {{ when = group.in_service >= capacity.max  for = 10m }}\n}}\n"
        ));
    }
    s
}

#[test]
fn a_300_group_environment_splits_into_stacks_within_limits_that_lint_clean() {
    let c = scalec::compile(
        "fleet.scale",
        &generated_spec(300),
        &scalec::check::Options::default(),
    );
    assert!(!c.has_errors(), "{}", render(&c));
    let b = cfn::model_to_cfn(&c.spec.environments[0], &c.sources, Format::Json).expect("builds");
    assert!(
        b.stacks.len() >= 3,
        "a shared stack plus several group stacks, got {}",
        b.stacks.len()
    );
    assert_eq!(b.stacks[0].name, "fleet-production-shared");
    let mut groups = 0;
    for s in &b.stacks {
        assert!(
            s.resources <= cfn::MAX_RESOURCES,
            "{} has {} resources",
            s.name,
            s.resources
        );
        assert!(s.text.len() <= cfn::MAX_BYTES);
        groups += s.groups.len();
    }
    assert_eq!(groups, 300, "every group is in exactly one stack");
    let g = &b.stacks[1];
    assert_eq!(g.name, "fleet-production-1");
    assert_eq!(g.depends_on, vec!["fleet-production-shared".to_string()]);
    let text = &g.text;
    assert!(
        text.contains("\"Fn::ImportValue\": \"fleet-production-shared-TopicCriticalArn\""),
        "{text}"
    );
    let shared = &b.stacks[0].text;
    assert!(shared.contains("\"Name\": \"fleet-production-shared-TopicCriticalArn\""));
    let dir = scratch("lint-300");
    cfn_lint(&write_builds(&dir, &[b], Format::Json));
}

#[test]
fn a_group_too_large_for_any_stack_is_refused() {
    let mut s = String::from(
        "app \"big\"\nparam lt: launch_template_id\nparam subnets: list<subnet_id>\nenvironment production extends std.production {}\ntopic warning {}\n\
         group g {\n launch_template = param.lt launch_template_version = 1 subnets = param.subnets capacity = env.capacity\n",
    );
    for i in 0..520 {
        s.push_str(&format!(" alarm a{i} warning {{ when = ec2.cpu > 90% }}\n"));
    }
    s.push_str("}\n");
    let c = scalec::compile("big.scale", &s, &scalec::check::Options::default());
    assert!(!c.has_errors(), "{}", render(&c));
    let d = cfn::model_to_cfn(&c.spec.environments[0], &c.sources, Format::Json)
        .expect_err("too large");
    assert!(d.iter().any(|x| x.code == cfn::error::TOO_LARGE), "{d:?}");
}

#[test]
fn version_and_stack_names_are_diagnosed() {
    let base = |group: &str, extra: &str| {
        format!(
            "app \"x\"\nparam lt: launch_template_id\nparam subnets: list<subnet_id>\nenvironment production extends std.production {{}}\n\
             group {group} {{ launch_template = param.lt subnets = param.subnets capacity = env.capacity {extra} }}\n"
        )
    };
    let codes = |src: &str| -> Vec<&'static str> {
        let c = scalec::compile("x.scale", src, &scalec::check::Options::default());
        assert!(!c.has_errors(), "{}", render(&c));
        match cfn::model_to_cfn(&c.spec.environments[0], &c.sources, Format::Json) {
            Ok(_) => vec![],
            Err(d) => d.iter().map(|x| x.code).collect(),
        }
    };
    assert!(codes(&base("web", "")).contains(&cfn::error::LAUNCH_TEMPLATE_VERSION));
    assert!(codes(&base("web", "launch_template_version = 2")).is_empty());
    let bad_app = base("web", "launch_template_version = 2").replace("app \"x\"", "app \"my_app\"");
    assert!(codes(&bad_app).contains(&cfn::error::STACK_NAME));
}

/// The spot-fleet example's template for `env`, parsed.
fn spot_template(env: &str) -> Json {
    let builds = build_all(&root().join("examples/spot-fleet.scale"), Format::Json);
    let b = builds.into_iter().find(|b| b.env == env).expect("env");
    serde_json::from_str(&b.stacks[0].text).expect("valid JSON")
}

#[test]
fn spot_fleet_values_in_each_environment_template() {
    for (env, od_base, od_share, api_name, pool_min, predictive) in [
        ("production", 2, 25, "spot-fleet-api", 2, true),
        ("staging", 1, 0, "spot-fleet-api-staging", 1, false),
        ("development", 1, 0, "spot-fleet-api-development", 0, false),
    ] {
        let t = spot_template(env);
        let api = resource(&t, "ApiGroup");
        assert_eq!(api["AutoScalingGroupName"], api_name, "{env}: given name");
        // Mixed instances: four weighted types, one from the Arm template.
        let mixed = &api["MixedInstancesPolicy"];
        let dist = &mixed["InstancesDistribution"];
        assert_eq!(dist["OnDemandBaseCapacity"], od_base, "{env}");
        assert_eq!(
            dist["OnDemandPercentageAboveBaseCapacity"], od_share,
            "{env}"
        );
        assert_eq!(dist["OnDemandAllocationStrategy"], "prioritized");
        assert_eq!(dist["SpotAllocationStrategy"], "price-capacity-optimized");
        let overrides = mixed["LaunchTemplate"]["Overrides"]
            .as_array()
            .expect("overrides");
        let types: Vec<(&str, &str)> = overrides
            .iter()
            .map(|o| {
                (
                    o["InstanceType"].as_str().unwrap_or_default(),
                    o["WeightedCapacity"].as_str().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            types,
            [
                ("m5.large", "1"),
                ("m5a.large", "1"),
                ("m5.xlarge", "2"),
                ("m6g.large", "1")
            ]
        );
        assert_eq!(
            overrides[3]["LaunchTemplateSpecification"],
            serde_json::json!({ "LaunchTemplateName": { "Ref": "ArmTemplate" }, "Version": "1" })
        );
        assert_eq!(
            mixed["LaunchTemplate"]["LaunchTemplateSpecification"]["Version"],
            "2"
        );
        assert!(
            api.get("LaunchTemplate").is_none(),
            "mixed instances carry the template"
        );
        assert_eq!(api["CapacityRebalance"], true);
        // Group settings.
        assert_eq!(
            api["InstanceMaintenancePolicy"],
            serde_json::json!({ "MinHealthyPercentage": 90, "MaxHealthyPercentage": 120 })
        );
        assert_eq!(
            api["AvailabilityZoneDistribution"]["CapacityDistributionStrategy"],
            "balanced-only"
        );
        // Hooks: bootstrap waits for the queue, drain continues.
        let hooks = api["LifecycleHookSpecificationList"]
            .as_array()
            .expect("hooks");
        assert_eq!(hooks.len(), 2);
        assert_eq!(
            hooks[0]["LifecycleTransition"],
            "autoscaling:EC2_INSTANCE_LAUNCHING"
        );
        assert_eq!(hooks[0]["HeartbeatTimeout"], 120);
        assert_eq!(hooks[0]["DefaultResult"], "ABANDON");
        assert_eq!(
            hooks[0]["NotificationMetadata"],
            "{\"stage\": \"bootstrap\"}"
        );
        assert_eq!(hooks[0]["NotificationTargetARN"]["Ref"], "LifecycleQueue");
        assert_eq!(hooks[0]["RoleARN"]["Ref"], "LifecycleRole");
        assert_eq!(
            hooks[1]["LifecycleTransition"],
            "autoscaling:EC2_INSTANCE_TERMINATING"
        );
        assert_eq!(hooks[1]["HeartbeatTimeout"], 300);
        assert_eq!(hooks[1]["DefaultResult"], "CONTINUE");
        // Instance refresh is the update policy; alarms by physical name.
        let refresh = &t["Resources"]["ApiGroup"]["UpdatePolicy"]["AutoScalingInstanceRefresh"];
        assert_eq!(refresh["Strategy"], "Rolling");
        let prefs = &refresh["Preferences"];
        assert_eq!(prefs["MinHealthyPercentage"], 100);
        assert_eq!(prefs["MaxHealthyPercentage"], 120);
        assert_eq!(prefs["InstanceWarmup"], 180);
        assert_eq!(prefs["CheckpointPercentages"], serde_json::json!([50, 100]));
        assert_eq!(prefs["CheckpointDelay"], 600);
        assert_eq!(prefs["SkipMatching"], true);
        let alarm = resource(&t, "ApiNoCapacityAlarm");
        assert_eq!(
            prefs["AlarmSpecification"]["Alarms"],
            serde_json::json!([alarm["AlarmName"]])
        );
        assert!(
            prefs.get("AutoRollback").is_none(),
            "not a CloudFormation preference"
        );
        // Predictive scaling in production only.
        let forecast = &t["Resources"]["ApiForecastPolicy"];
        assert_eq!(forecast.is_object(), predictive, "{env}");
        if predictive {
            let c = &forecast["Properties"]["PredictiveScalingConfiguration"];
            assert_eq!(c["Mode"], "ForecastAndScale");
            assert_eq!(c["SchedulingBufferTime"], 600);
            assert_eq!(c["MaxCapacityBreachBehavior"], "HonorMaxCapacity");
            let m = &c["MetricSpecifications"];
            assert_eq!(m.as_array().map(Vec::len), Some(1));
            assert_eq!(
                m[0]["PredefinedMetricPairSpecification"]["PredefinedMetricType"],
                "ASGCPUUtilization"
            );
            assert_eq!(m[0]["TargetValue"], 60.0);
        }
        // The workers: a template by name, a warm pool, metric math.
        let workers = resource(&t, "WorkersGroup");
        assert_eq!(
            workers["LaunchTemplate"]["LaunchTemplateName"]["Ref"],
            "ArmTemplate"
        );
        assert_eq!(workers["NewInstancesProtectedFromScaleIn"], true);
        assert_eq!(
            workers["CapacityReservationSpecification"]["CapacityReservationPreference"],
            "none"
        );
        let pool = resource(&t, "WorkersWarmPool");
        assert_eq!(pool["AutoScalingGroupName"]["Ref"], "WorkersGroup");
        assert_eq!(pool["MinSize"], pool_min, "{env}");
        assert_eq!(pool["PoolState"], "Stopped");
        assert_eq!(pool["InstanceReusePolicy"]["ReuseOnScaleIn"], true);
        let math = &resource(&t, "WorkersBacklogPolicy")["TargetTrackingConfiguration"]["CustomizedMetricSpecification"]
            ["Metrics"];
        let returned: Vec<&Json> = math
            .as_array()
            .expect("metrics")
            .iter()
            .filter(|m| m["ReturnData"] == true)
            .collect();
        assert_eq!(returned.len(), 1, "one time series");
        assert_eq!(returned[0]["Expression"], "(m1 / m2)");
        assert_eq!(
            math[0]["MetricStat"]["Metric"]["MetricName"],
            "ApproximateNumberOfMessagesVisible"
        );
        assert_eq!(
            math[1]["MetricStat"]["Metric"]["MetricName"],
            "GroupInServiceInstances"
        );
        // Given names of a topic, an alarm and a dashboard.
        let suffix = if env == "production" {
            String::new()
        } else {
            format!("-{env}")
        };
        assert_eq!(
            resource(&t, "TopicCritical")["TopicName"],
            format!("platform-critical{suffix}")
        );
        assert_eq!(alarm["AlarmName"], format!("api-no-capacity{suffix}"));
        assert_eq!(
            resource(&t, "ApiDashboard")["DashboardName"],
            format!("spot-fleet-api{suffix}")
        );
    }
}

#[test]
fn what_a_template_cannot_say_is_diagnosed_at_build() {
    let builds = build_all(&root().join("examples/spot-fleet.scale"), Format::Json);
    let b = builds
        .iter()
        .find(|b| b.env == "production")
        .expect("production");
    let found: Vec<(scalec::diagnostic::Severity, String)> = b
        .notices
        .iter()
        .filter(|d| d.code == cfn::error::NOT_IN_TEMPLATE)
        .map(|d| (d.severity, d.message.clone()))
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, scalec::diagnostic::Severity::Note);
    assert!(
        found[0].1.contains("group `api`") && found[0].1.contains("AutoRollback"),
        "{found:?}"
    );
    assert_eq!(found[1].0, scalec::diagnostic::Severity::Warning);
    assert!(
        found[1]
            .1
            .contains("group `workers`'s `suspend` (AZRebalance)"),
        "{found:?}"
    );
    // The binary shows them and still writes the template.
    let dir = scratch("not-in-template");
    let out = dir.join("t.json");
    let (code, _, err) = scalec(&[
        "build",
        "examples/spot-fleet.scale",
        "--env",
        "production",
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("scale::cfn::not_in_template"), "{err}");
    assert!(out.exists());
}

/// `scalec build` of `source` (written to a scratch folder) for `env` into
/// `-o`: exit code, stderr, and whether a template was written.
fn build_one(name: &str, source: &str, env: &str) -> (i32, String, bool) {
    let dir = scratch(name);
    let spec = dir.join("app.scale");
    std::fs::write(&spec, source).expect("spec");
    let out = dir.join("template.json");
    let (code, stdout, err) = scalec_wide(&[
        "build",
        spec.to_str().expect("path"),
        "--env",
        env,
        "--param",
        "lt=lt-0123456789abcdef0",
        "--param",
        "subnets=subnet-0123456789abcdef0",
        "-o",
        out.to_str().expect("path"),
    ]);
    assert!(stdout.is_empty(), "{stdout}");
    (code, err, out.exists())
}

/// A spec of one group `web` in environment `env`, with `members` in the
/// group.
fn one_group(env: &str, members: &str) -> String {
    format!(
        "app \"shop\"\nparam lt: launch_template_id\nparam subnets: list<subnet_id>\ntopic warning {{}}\n\
         environment {env} extends std.production {{ region = \"us-east-1\" }}\n\
         group web {{\n  launch_template = param.lt\n  subnets = param.subnets\n  capacity = env.capacity\n{members}}}\n"
    )
}

#[test]
fn build_refuses_a_group_over_a_stacks_resources_as_cfn_too_large() {
    let mut alarms = String::from("  launch_template_version = 1\n");
    for i in 0..520 {
        alarms.push_str(&format!(
            "  alarm a{i} warning {{ when = ec2.cpu > 90% }}\n"
        ));
    }
    let (code, err, wrote) = build_one(
        "cfn-too-large",
        &one_group("production", &alarms),
        "production",
    );
    assert_eq!(code, 1, "{err}");
    assert!(!wrote, "no template is written");
    assert_lines(
        &err,
        &[
            "scale::cfn::too_large",
            "  × group `web` needs 521 resources in `production`: over CloudFormation's limits of 500 resources and 1000000 bytes per stack",
            "  help: a group and its policies and alarms share one stack: split its alarms over several groups",
        ],
    );
}

#[test]
fn build_refuses_a_stack_name_cloudformation_rejects_as_cfn_stack_name() {
    // An environment name may hold `_`; a stack name may not.
    let (code, err, wrote) = build_one(
        "cfn-stack-name",
        &one_group("production_eu", "  launch_template_version = 1\n"),
        "production_eu",
    );
    assert_eq!(code, 1, "{err}");
    assert!(!wrote, "no template is written");
    assert_lines(
        &err,
        &[
            "scale::cfn::stack_name",
            "  × `shop-production_eu` is not a valid CloudFormation stack name",
            "  help: a stack name is `APP-ENV`: it starts with a letter and has at most 128 letters, digits and hyphens, so rename the app or the environment (no `_` or `.`)",
        ],
    );
    assert_eq!(
        err.matches("scale::cfn::stack_name").count(),
        1,
        "check's warning and build's error are said once, as the error:\n{err}"
    );
    assert!(
        err.contains("stack names come from the app and environment names"),
        "{err}"
    );
}

#[test]
fn build_refuses_a_launch_template_version_cloudformation_cannot_take() {
    // Without `launch_template_version`, a group uses `$Default`.
    let (code, err, wrote) = build_one(
        "cfn-launch-template-version",
        &one_group("production", ""),
        "production",
    );
    assert_eq!(code, 1, "{err}");
    assert!(!wrote, "no template is written");
    assert_lines(
        &err,
        &[
            "scale::cfn::launch_template_version",
            "  × CloudFormation can't use launch template version `$Default` for group `web`",
        ],
    );
    assert_eq!(
        err.matches("scale::cfn::launch_template_version").count(),
        1,
        "said once, as the error:\n{err}"
    );
    assert!(
        err.contains("  help: CloudFormation takes only version numbers, and a spec without `launch_template_version` means `$Default`"),
        "{err}"
    );
}
