//! Real fleets against moto and the proxy: group settings, lifecycle hooks,
//! warm pools, mixed instances, instance refresh and predictive scaling are
//! created, planned again with no changes, changed field by field, and
//! destroyed, with nothing left.
//!
//! What moto stores itself is read back with Describe calls. What only the
//! test proxy emulates (lifecycle hooks, instance refreshes, and the group
//! members moto drops: maintenance, zone distribution, reservations, and
//! rebalancing and warmup on update) is asserted from the requests scalec
//! sent, as the proxy recorded them and botocore's shapes accept them: a
//! read-back through the emulation would only show what scalec sent anyway.
//! Tests that lean on the emulation for their plans say so in their names.

use super::aws::{LocalAws, run_out};
use super::*;
use serde_json::Value as Json;

/// The last request of `action` scalec sent whose `field` is `value`, as
/// the proxy recorded it (each request checked against botocore's shape).
fn sent_one(aws: &LocalAws, action: &str, field: &str, value: &str) -> Json {
    aws.sent(action)
        .into_iter()
        .rev()
        .find(|r| r[field] == value)
        .unwrap_or_else(|| panic!("no {action} with {field} = {value}"))
}

/// What is left after `destroy`, through the SDK: no group, policy,
/// scheduled action, alarm, dashboard or topic at all.
fn assert_nothing_left(aws: &LocalAws, rt: &tokio::runtime::Runtime) {
    rt.block_on(async {
        let (asg, cw, sns) = aws.clients().await;
        let groups = asg
            .describe_auto_scaling_groups()
            .send()
            .await
            .expect("groups")
            .auto_scaling_groups()
            .len();
        let policies = asg
            .describe_policies()
            .send()
            .await
            .expect("policies")
            .scaling_policies()
            .len();
        let schedules = asg
            .describe_scheduled_actions()
            .send()
            .await
            .expect("schedules")
            .scheduled_update_group_actions()
            .len();
        let alarms = cw
            .describe_alarms()
            .send()
            .await
            .expect("alarms")
            .metric_alarms()
            .len();
        let dashboards = cw
            .list_dashboards()
            .send()
            .await
            .expect("dashboards")
            .dashboard_entries()
            .len();
        let topics = sns
            .list_topics()
            .send()
            .await
            .expect("topics")
            .topics()
            .len();
        assert_eq!(
            (groups, policies, schedules, alarms, dashboards, topics),
            (0, 0, 0, 0, 0, 0),
            "(groups, policies, schedules, alarms, dashboards, topics) left"
        );
    });
}

/// `verb SPEC --env production --param k=v ...`.
fn args(verb: &str, spec: &str, params: &[(String, String)], extra: &[&str]) -> Vec<String> {
    let mut a: Vec<String> = [verb, spec, "--env", "production"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for (k, v) in params {
        a.push("--param".into());
        a.push(format!("{k}={v}"));
    }
    a.extend(extra.iter().map(|s| s.to_string()));
    a
}

/// The `~` and `+` lines and their field lines of a human plan.
fn plan_lines(out: &str) -> Vec<String> {
    out.lines()
        .filter(|l| {
            let t = l.trim_start();
            t.starts_with(['+', '~', '-'])
                || (l.starts_with("        ") && t.contains(" -> ") && !t.starts_with("note:"))
        })
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// Writes `text` as a spec in a scratch folder and returns its path.
fn spec_file(name: &str, text: &str) -> String {
    let path = scratch(name).join("app.scale");
    std::fs::write(&path, text).expect("write spec");
    path.to_string_lossy().into_owned()
}

#[test]
fn group_settings_are_sent_planned_again_on_the_emulation_changed_and_destroyed() {
    let aws = LocalAws::start();
    let seed = aws.seed();
    let subnets = seed
        .iter()
        .find(|(k, _)| k == "subnets")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let params = vec![
        ("template".to_string(), "scalec-test".to_string()),
        ("subnets".to_string(), subnets),
    ];
    let spec = "tests/specs/group-settings.scale";
    let (code, err) = aws.scalec(&args("apply", spec, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");

    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let describe = || {
        rt.block_on(async {
            let (asg, _, _) = aws.clients().await;
            asg.describe_auto_scaling_groups()
                .auto_scaling_group_names("shop-production-web")
                .send()
                .await
                .expect("describe")
                .auto_scaling_groups()[0]
                .clone()
        })
    };
    let g = describe();
    assert_eq!(
        g.launch_template().and_then(|l| l.launch_template_name()),
        Some("scalec-test")
    );
    // moto drops these; what scalec sent:
    let create = sent_one(
        &aws,
        "CreateAutoScalingGroup",
        "AutoScalingGroupName",
        "shop-production-web",
    );
    assert_eq!(
        create["InstanceMaintenancePolicy"],
        serde_json::json!({ "MinHealthyPercentage": 90, "MaxHealthyPercentage": 120 })
    );
    assert_eq!(
        create["CapacityReservationSpecification"],
        serde_json::json!({
            "CapacityReservationPreference": "capacity-reservations-first",
            "CapacityReservationTarget": { "CapacityReservationIds": ["cr-0123456789abcdef0"] },
        })
    );
    assert_eq!(
        create["AvailabilityZoneDistribution"],
        serde_json::json!({ "CapacityDistributionStrategy": "balanced-only" })
    );
    assert_eq!(g.new_instances_protected_from_scale_in(), Some(true));
    let mut suspended: Vec<&str> = g
        .suspended_processes()
        .iter()
        .filter_map(|p| p.process_name())
        .collect();
    suspended.sort();
    assert_eq!(suspended, ["AZRebalance", "AlarmNotification"]);

    // Read back, nothing differs.
    let (code, out, err) = run_out(&aws, &args("plan", spec, &params, &["--detailed-exitcode"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("No changes"), "{out}");

    // Each setting changed: the plan names exactly the fields.
    let text = std::fs::read_to_string(root().join(spec)).expect("spec");
    let changed = text
        .replace("maintenance = 90%..120%", "maintenance = 80%..110%")
        .replace("scale_in_protection = true\n", "")
        .replace(
            "suspend = [az_rebalance, alarm_notification]",
            "suspend = [az_rebalance, scheduled_actions]",
        )
        .replace("az_distribution = balanced_only\n", "");
    let changed = spec_file("group-settings-changed", &changed);
    let (code, out, err) = run_out(
        &aws,
        &args("plan", &changed, &params, &["--detailed-exitcode"]),
    );
    assert_eq!(code, 2, "{out}{err}");
    let lines = plan_lines(&out);
    let expected = [
        "~ [3] autoscaling:UpdateAutoScalingGroup shop-production-web",
        "InstanceMaintenancePolicy.MaxHealthyPercentage: 120 -> 110",
        "InstanceMaintenancePolicy.MinHealthyPercentage: 90 -> 80",
        "NewInstancesProtectedFromScaleIn: true -> false",
        "AvailabilityZoneDistribution: {\"CapacityDistributionStrategy\":\"balanced-only\"} -> {\"CapacityDistributionStrategy\":\"balanced-best-effort\"}",
        "~ [4] autoscaling:ResumeProcesses shop-production-web",
        "SuspendedProcesses: [\"AZRebalance\",\"AlarmNotification\"] -> [\"AZRebalance\",\"ScheduledActions\"]",
        "~ [4] autoscaling:SuspendProcesses shop-production-web",
        "SuspendedProcesses: [\"AZRebalance\",\"AlarmNotification\"] -> [\"AZRebalance\",\"ScheduledActions\"]",
    ];
    for e in expected {
        assert!(
            lines.iter().any(|l| l == e),
            "missing `{e}` in\n{}",
            lines.join("\n")
        );
    }
    assert_eq!(lines.len(), expected.len(), "{}", lines.join("\n"));
    let (code, err) = aws.scalec(&args("apply", &changed, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    let g = describe();
    let update = sent_one(
        &aws,
        "UpdateAutoScalingGroup",
        "AutoScalingGroupName",
        "shop-production-web",
    );
    assert_eq!(
        update["InstanceMaintenancePolicy"],
        serde_json::json!({ "MinHealthyPercentage": 80, "MaxHealthyPercentage": 110 })
    );
    assert_eq!(
        update["AvailabilityZoneDistribution"],
        serde_json::json!({ "CapacityDistributionStrategy": "balanced-best-effort" }),
        "AWS's default put back"
    );
    assert_eq!(g.new_instances_protected_from_scale_in(), Some(false));
    let (code, out, err) = run_out(
        &aws,
        &args("plan", &changed, &params, &["--detailed-exitcode"]),
    );
    assert_eq!(code, 0, "converged after the change:\n{out}{err}");

    let (code, err) = aws.scalec(&args("destroy", &changed, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    assert_nothing_left(&aws, &rt);
}

#[test]
fn hooks_and_warm_pool_are_sent_planned_again_on_the_emulation_changed_and_destroyed() {
    let aws = LocalAws::start();
    let seed = aws.seed();
    let get = |k: &str| {
        seed.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let params = vec![
        ("lt".to_string(), get("launch_template")),
        ("subnets".to_string(), get("subnets")),
        (
            "queue".to_string(),
            "arn:aws:sqs:us-east-1:123456789012:lifecycle".to_string(),
        ),
        (
            "hook_role".to_string(),
            "arn:aws:iam::123456789012:role/hooks".to_string(),
        ),
    ];
    let spec = "tests/specs/hooks-warm-pool.scale";
    // The hooks go in the group's create call, the warm pool after them.
    let (code, out, err) = run_out(&aws, &args("plan", spec, &params, &[]));
    assert_eq!(code, 0, "{out}{err}");
    let lines = plan_lines(&out);
    let pos = |needle: &str| {
        lines
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no `{needle}` in\n{}", lines.join("\n")))
    };
    assert!(pos("CreateAutoScalingGroup") < pos("PutWarmPool"));
    assert!(
        !out.contains("PutLifecycleHook"),
        "hooks are created with the group:\n{out}"
    );

    let (code, err) = aws.scalec(&args("apply", spec, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    // The warm pool, as moto keeps it.
    let read = || {
        rt.block_on(async {
            let (asg, _, _) = aws.clients().await;
            asg.describe_warm_pool()
                .auto_scaling_group_name("shop-production-web")
                .send()
                .await
                .expect("warm pool")
                .warm_pool_configuration()
                .cloned()
        })
    };
    let pool = read();
    // The hooks went in the create call: as sent.
    let create = sent_one(
        &aws,
        "CreateAutoScalingGroup",
        "AutoScalingGroupName",
        "shop-production-web",
    );
    let hooks = create["LifecycleHookSpecificationList"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(hooks.len(), 2, "{hooks:?}");
    let boot = hooks
        .iter()
        .find(|h| h["LifecycleHookName"] == "shop-production-web-bootstrap")
        .expect("bootstrap hook");
    assert_eq!(
        boot,
        &serde_json::json!({
            "LifecycleHookName": "shop-production-web-bootstrap",
            "LifecycleTransition": "autoscaling:EC2_INSTANCE_LAUNCHING",
            "HeartbeatTimeout": 300,
            "DefaultResult": "ABANDON",
            "NotificationMetadata": "{\"stage\": \"bootstrap\"}",
            "NotificationTargetARN": "arn:aws:sqs:us-east-1:123456789012:lifecycle",
            "RoleARN": "arn:aws:iam::123456789012:role/hooks",
        })
    );
    let drain = hooks
        .iter()
        .find(|h| h["LifecycleHookName"] == "shop-production-web-drain")
        .expect("drain hook");
    assert_eq!(drain["DefaultResult"], "CONTINUE");
    assert!(
        aws.sent("PutLifecycleHook").is_empty(),
        "no hook call of its own for a new group"
    );
    let pool = pool.expect("a warm pool");
    assert_eq!(pool.min_size(), Some(1));
    assert_eq!(pool.max_group_prepared_capacity(), Some(8));
    assert_eq!(pool.pool_state().map(|s| s.as_str()), Some("Stopped"));
    assert_eq!(
        pool.instance_reuse_policy()
            .and_then(|r| r.reuse_on_scale_in()),
        Some(true)
    );

    let (code, out, err) = run_out(&aws, &args("plan", spec, &params, &["--detailed-exitcode"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("No changes"), "{out}");

    // A longer drain, no bootstrap hook, a running pool of 2: precise changes.
    let text = std::fs::read_to_string(root().join(spec)).expect("spec");
    let start = text.find("  hook bootstrap").expect("bootstrap hook");
    let end = text[start..].find("  }\n").expect("end of hook") + start + 4;
    let changed = format!("{}{}", &text[..start], &text[end..])
        .replace("timeout = 2m", "timeout = 10m")
        .replace(
            "min = 1  max_prepared = 8  state = stopped",
            "min = 2  state = running",
        );
    let changed = spec_file("hooks-changed", &changed);
    let (code, out, err) = run_out(
        &aws,
        &args("plan", &changed, &params, &["--detailed-exitcode"]),
    );
    assert_eq!(code, 2, "{out}{err}");
    let lines = plan_lines(&out);
    let expected = [
        "~ [4] autoscaling:PutLifecycleHook shop-production-web-drain",
        "HeartbeatTimeout: 120 -> 600",
        "- [4] autoscaling:DeleteLifecycleHook shop-production-web-bootstrap",
        "~ [5] autoscaling:PutWarmPool shop-production-web",
        "MinSize: 1 -> 2",
        "PoolState: \"Stopped\" -> \"Running\"",
        "MaxGroupPreparedCapacity: 8 -> -1",
        "~ [3] autoscaling:CreateOrUpdateTags shop-production-web",
        "Tags.scalec:hooks: \"2\" -> \"1\"",
    ];
    for e in expected {
        assert!(
            lines.iter().any(|l| l == e),
            "missing `{e}` in\n{}",
            lines.join("\n")
        );
    }
    assert_eq!(lines.len(), expected.len(), "{}", lines.join("\n"));
    let (code, err) = aws.scalec(&args("apply", &changed, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    let put = sent_one(
        &aws,
        "PutLifecycleHook",
        "LifecycleHookName",
        "shop-production-web-drain",
    );
    assert_eq!(put["HeartbeatTimeout"], 600);
    assert_eq!(put["AutoScalingGroupName"], "shop-production-web");
    let deleted = sent_one(
        &aws,
        "DeleteLifecycleHook",
        "LifecycleHookName",
        "shop-production-web-bootstrap",
    );
    assert_eq!(deleted["AutoScalingGroupName"], "shop-production-web");
    let pool = read().expect("a warm pool");
    assert_eq!(pool.min_size(), Some(2));
    let (code, out, err) = run_out(
        &aws,
        &args("plan", &changed, &params, &["--detailed-exitcode"]),
    );
    assert_eq!(code, 0, "converged after the change:\n{out}{err}");

    // Without hooks and pool: both removed, the hook count goes to 0.
    let bare = std::fs::read_to_string(&changed).expect("spec");
    let start = bare.find("  warm_pool").expect("pool");
    let bare = format!("{}}}\n", &bare[..start]);
    let bare = spec_file("hooks-removed", &bare);
    let (code, err) = aws.scalec(&args("apply", &bare, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    let last_drain = sent_one(
        &aws,
        "DeleteLifecycleHook",
        "LifecycleHookName",
        "shop-production-web-drain",
    );
    assert_eq!(last_drain["AutoScalingGroupName"], "shop-production-web");
    let pool = read();
    assert!(pool.is_none(), "{pool:?}");
    let (code, out, err) = run_out(
        &aws,
        &args("plan", &bare, &params, &["--detailed-exitcode"]),
    );
    assert_eq!(code, 0, "converged without hooks:\n{out}{err}");

    let (code, err) = aws.scalec(&args("destroy", &bare, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    assert_nothing_left(&aws, &rt);
}

#[test]
fn mixed_instances_apply_read_back_change_and_destroy() {
    let aws = LocalAws::start();
    let seed = aws.seed();
    let get = |k: &str| {
        seed.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let params = vec![
        ("lt".to_string(), get("launch_template")),
        ("subnets".to_string(), get("subnets")),
    ];
    let spec = "tests/specs/mixed-instances.scale";
    let (code, err) = aws.scalec(&args("apply", spec, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let describe = || {
        rt.block_on(async {
            let (asg, _, _) = aws.clients().await;
            asg.describe_auto_scaling_groups()
                .auto_scaling_group_names("shop-production-workers")
                .send()
                .await
                .expect("describe")
                .auto_scaling_groups()[0]
                .clone()
        })
    };
    let g = describe();
    assert!(
        g.launch_template().is_none(),
        "the mixed policy holds the template"
    );
    assert_eq!(g.capacity_rebalance(), Some(true));
    let m = g.mixed_instances_policy().expect("mixed instances policy");
    let lt = m.launch_template().expect("launch template");
    assert_eq!(
        lt.launch_template_specification()
            .and_then(|s| s.launch_template_id()),
        Some(get("launch_template").as_str())
    );
    let types: Vec<(Option<&str>, Option<&str>)> = lt
        .overrides()
        .iter()
        .map(|o| (o.instance_type(), o.weighted_capacity()))
        .collect();
    assert_eq!(
        types,
        [
            (Some("m5.large"), Some("2")),
            (Some("m5a.large"), Some("2")),
            (Some("m5.xlarge"), Some("4")),
            (Some("m6g.large"), Some("2")),
        ]
    );
    assert_eq!(
        lt.overrides()[3]
            .launch_template_specification()
            .and_then(|s| s.launch_template_name()),
        Some("scalec-test-arm")
    );
    let d = m.instances_distribution().expect("distribution");
    assert_eq!(d.on_demand_base_capacity(), Some(2));
    assert_eq!(d.on_demand_percentage_above_base_capacity(), Some(25));
    assert_eq!(d.on_demand_allocation_strategy(), Some("prioritized"));
    assert_eq!(d.spot_allocation_strategy(), Some("lowest-price"));
    assert_eq!(d.spot_instance_pools(), Some(3));

    let (code, out, err) = run_out(&aws, &args("plan", spec, &params, &["--detailed-exitcode"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("No changes"), "{out}");

    // Half Spot, AWS's Spot strategy by capacity, no rebalance.
    let text = std::fs::read_to_string(root().join(spec)).expect("spec");
    let changed = text
        .replace("on_demand_above_base = 25%", "on_demand_above_base = 50%")
        .replace(
            "spot_strategy = lowest_price\n    spot_pools = 3",
            "spot_strategy = price_capacity_optimized",
        )
        .replace("capacity_rebalance = true\n", "");
    let changed = spec_file("mixed-changed", &changed);
    let (code, out, err) = run_out(
        &aws,
        &args("plan", &changed, &params, &["--detailed-exitcode"]),
    );
    assert_eq!(code, 2, "{out}{err}");
    let lines = plan_lines(&out);
    let expected = [
        "~ [3] autoscaling:UpdateAutoScalingGroup shop-production-workers",
        "MixedInstancesPolicy.InstancesDistribution.OnDemandPercentageAboveBaseCapacity: 25 -> 50",
        "MixedInstancesPolicy.InstancesDistribution.SpotAllocationStrategy: \"lowest-price\" -> \"price-capacity-optimized\"",
        "CapacityRebalance: true -> false",
    ];
    for e in expected {
        assert!(
            lines.iter().any(|l| l == e),
            "missing `{e}` in\n{}",
            lines.join("\n")
        );
    }
    assert_eq!(lines.len(), expected.len(), "{}", lines.join("\n"));
    let (code, err) = aws.scalec(&args("apply", &changed, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    let g = describe();
    let d = g
        .mixed_instances_policy()
        .and_then(|m| m.instances_distribution())
        .expect("distribution")
        .clone();
    assert_eq!(d.on_demand_percentage_above_base_capacity(), Some(50));
    assert_eq!(
        d.spot_allocation_strategy(),
        Some("price-capacity-optimized")
    );
    // moto drops rebalancing on update: what scalec sent.
    let update = sent_one(
        &aws,
        "UpdateAutoScalingGroup",
        "AutoScalingGroupName",
        "shop-production-workers",
    );
    assert_eq!(update["CapacityRebalance"], false);
    let (code, out, err) = run_out(
        &aws,
        &args("plan", &changed, &params, &["--detailed-exitcode"]),
    );
    assert_eq!(code, 0, "converged after the change:\n{out}{err}");

    let (code, err) = aws.scalec(&args("destroy", &changed, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    assert_nothing_left(&aws, &rt);
}

/// The refreshes AWS (here the proxy) has for a group: status and
/// preferences.
fn refreshes(
    aws: &LocalAws,
    rt: &tokio::runtime::Runtime,
    group: &str,
) -> Vec<aws_sdk_autoscaling::types::InstanceRefresh> {
    rt.block_on(async {
        let (asg, _, _) = aws.clients().await;
        asg.describe_instance_refreshes()
            .auto_scaling_group_name(group)
            .send()
            .await
            .expect("describe refreshes")
            .instance_refreshes()
            .to_vec()
    })
}

fn refresh_params(aws: &LocalAws) -> Vec<(String, String)> {
    let seed = aws.seed();
    let get = |k: &str| {
        seed.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    vec![
        ("lt".to_string(), get("launch_template")),
        ("subnets".to_string(), get("subnets")),
    ]
}

#[test]
fn a_new_launch_template_version_starts_a_refresh_after_the_update_on_the_emulation() {
    let aws = LocalAws::start();
    let params = refresh_params(&aws);
    let spec = "tests/specs/refresh.scale";
    let (code, err) = aws.scalec(&args("apply", spec, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    assert!(
        refreshes(&aws, &rt, "shop-production-web").is_empty(),
        "a new group needs no refresh"
    );

    let text = std::fs::read_to_string(root().join(spec)).expect("spec");
    let v2 = spec_file(
        "refresh-v2",
        &text.replace("launch_template_version = 1", "launch_template_version = 2"),
    );
    let (code, out, err) = run_out(&aws, &args("plan", &v2, &params, &["--detailed-exitcode"]));
    assert_eq!(code, 2, "{out}{err}");
    let lines = plan_lines(&out);
    let expected = [
        "~ [3] autoscaling:UpdateAutoScalingGroup shop-production-web",
        "LaunchTemplate.Version: \"1\" -> \"2\"",
        "~ [3] autoscaling:UpdateAutoScalingGroup shop-production-batch",
        "LaunchTemplate.Version: \"1\" -> \"2\"",
        "~ [6] autoscaling:StartInstanceRefresh shop-production-web",
    ];
    for e in expected {
        assert!(
            lines.iter().any(|l| l == e),
            "missing `{e}` in\n{}",
            lines.join("\n")
        );
    }
    assert_eq!(lines.len(), expected.len(), "{}", lines.join("\n"));
    assert!(
        out.contains("note: replaces the group's running instances with the new launch settings (LaunchTemplate.Version \"1\" -> \"2\"), keeping between 90% and 110% of desired capacity healthy, pausing at 50%, 100%; instances already on these settings are kept; rolls back if it fails"),
        "{out}"
    );
    assert!(
        out.contains("note: running instances keep their launch settings until they are replaced (LaunchTemplate.Version \"1\" -> \"2\"); add `refresh = { ... }` to the group to replace them now"),
        "the group without `refresh` says what happens instead:\n{out}"
    );

    let (code, err) = aws.scalec(&args("apply", &v2, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    let version = rt.block_on(async {
        let (asg, _, _) = aws.clients().await;
        asg.describe_auto_scaling_groups()
            .auto_scaling_group_names("shop-production-web")
            .send()
            .await
            .expect("describe")
            .auto_scaling_groups()[0]
            .launch_template()
            .and_then(|l| l.version().map(str::to_string))
    });
    assert_eq!(
        version.as_deref(),
        Some("2"),
        "the update sent the whole LaunchTemplate"
    );
    assert_eq!(
        refreshes(&aws, &rt, "shop-production-web").len(),
        1,
        "one refresh started"
    );
    let started = aws.sent("StartInstanceRefresh");
    assert_eq!(started.len(), 1, "sent once: {started:#?}");
    let sent = &started[0];
    assert_eq!(sent["AutoScalingGroupName"], "shop-production-web");
    let p = &sent["Preferences"];
    assert_eq!(p["MinHealthyPercentage"], 90);
    assert_eq!(p["MaxHealthyPercentage"], 110);
    assert_eq!(p["InstanceWarmup"], 120);
    assert_eq!(p["CheckpointPercentages"], serde_json::json!([50, 100]));
    assert_eq!(p["CheckpointDelay"], 300);
    assert_eq!(p["SkipMatching"], true);
    assert_eq!(p["AutoRollback"], true);
    assert_eq!(
        p["AlarmSpecification"]["Alarms"],
        serde_json::json!(["shop-production-web-empty"])
    );
    let desired = &sent["DesiredConfiguration"]["LaunchTemplate"];
    assert_eq!(
        desired["Version"], "2",
        "a rollback needs the desired configuration: {sent:#}"
    );
    assert!(
        desired["LaunchTemplateId"].is_string() || desired["LaunchTemplateName"].is_string(),
        "{sent:#}"
    );
    assert!(refreshes(&aws, &rt, "shop-production-batch").is_empty());

    let (code, out, err) = run_out(&aws, &args("plan", &v2, &params, &["--detailed-exitcode"]));
    assert_eq!(code, 0, "no refresh without a change:\n{out}{err}");
    let (code, err) = aws.scalec(&args("destroy", &v2, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_refresh_still_running_is_reported_in_words() {
    let aws = LocalAws::start_holding_refreshes();
    let params = refresh_params(&aws);
    let spec = "tests/specs/refresh.scale";
    let (code, err) = aws.scalec(&args("apply", spec, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(root().join(spec)).expect("spec");
    let v2 = spec_file(
        "refresh-held-v2",
        &text.replace("launch_template_version = 1", "launch_template_version = 2"),
    );
    let v3 = spec_file(
        "refresh-held-v3",
        &text.replace("launch_template_version = 1", "launch_template_version = 3"),
    );
    let (code, err) = aws.scalec(&args("apply", &v2, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    let (code, err) = aws.scalec(&args("apply", &v3, &params, &["--auto-approve"]));
    assert_ne!(code, 0, "{err}");
    assert!(err.contains("scale::aws::busy"), "{err}");
    assert!(err.contains("autoscaling:StartInstanceRefresh"), "{err}");
    assert!(err.contains("InstanceRefreshInProgress"), "{err}");
    assert!(err.contains("describe-instance-refreshes"), "{err}");
    assert!(!err.contains("ServiceError"), "no SDK debug output:\n{err}");
}

#[test]
fn predictive_policies_apply_read_back_change_and_destroy() {
    let aws = LocalAws::start();
    let params = refresh_params(&aws);
    let spec = "tests/specs/predictive.scale";
    let (code, err) = aws.scalec(&args("apply", spec, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let policies = rt.block_on(async {
        let (asg, _, _) = aws.clients().await;
        asg.describe_policies()
            .auto_scaling_group_name("shop-production-web")
            .policy_types("PredictiveScaling")
            .send()
            .await
            .expect("policies")
            .scaling_policies()
            .to_vec()
    });
    assert_eq!(policies.len(), 2);
    let forecast = policies
        .iter()
        .find(|p| p.policy_name() == Some("shop-production-web-forecast"))
        .and_then(|p| p.predictive_scaling_configuration())
        .expect("forecast policy");
    assert_eq!(
        forecast.mode().map(|m| m.as_str()),
        Some("ForecastAndScale")
    );
    assert_eq!(forecast.scheduling_buffer_time(), Some(600));
    assert_eq!(
        forecast.max_capacity_breach_behavior().map(|b| b.as_str()),
        Some("IncreaseMaxCapacity")
    );
    assert_eq!(forecast.max_capacity_buffer(), Some(10));
    let spec0 = &forecast.metric_specifications()[0];
    assert_eq!(spec0.target_value(), Some(50.0));
    assert_eq!(
        spec0
            .predefined_metric_pair_specification()
            .and_then(|p| p.predefined_metric_type())
            .map(|t| t.as_str()),
        Some("ASGCPUUtilization")
    );
    let jobs = policies
        .iter()
        .find(|p| p.policy_name() == Some("shop-production-web-jobs"))
        .and_then(|p| p.predictive_scaling_configuration())
        .expect("jobs policy");
    assert_eq!(jobs.mode().map(|m| m.as_str()), Some("ForecastOnly"));
    let custom = &jobs.metric_specifications()[0];
    let load = custom
        .customized_load_metric_specification()
        .expect("load metric");
    assert_eq!(
        load.metric_data_queries()[0]
            .metric_stat()
            .and_then(|s| s.metric())
            .and_then(|m| m.metric_name()),
        Some("Queued")
    );

    let (code, out, err) = run_out(&aws, &args("plan", spec, &params, &["--detailed-exitcode"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("No changes"), "{out}");

    let text = std::fs::read_to_string(root().join(spec)).expect("spec");
    let changed = text
        .replace("mode = forecast_and_scale", "mode = forecast_only")
        .replace("max_capacity = increase { buffer = 10% }", "");
    let changed = spec_file("predictive-changed", &changed);
    let (code, out, err) = run_out(
        &aws,
        &args("plan", &changed, &params, &["--detailed-exitcode"]),
    );
    assert_eq!(code, 2, "{out}{err}");
    let lines = plan_lines(&out);
    let expected = [
        "~ [4] autoscaling:PutScalingPolicy shop-production-web-forecast",
        "PredictiveScalingConfiguration.Mode: \"ForecastAndScale\" -> \"ForecastOnly\"",
        "PredictiveScalingConfiguration.MaxCapacityBreachBehavior: \"IncreaseMaxCapacity\" -> \"HonorMaxCapacity\"",
    ];
    for e in expected {
        assert!(
            lines.iter().any(|l| l == e),
            "missing `{e}` in\n{}",
            lines.join("\n")
        );
    }
    assert_eq!(lines.len(), expected.len(), "{}", lines.join("\n"));
    let (code, err) = aws.scalec(&args("apply", &changed, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run_out(
        &aws,
        &args("plan", &changed, &params, &["--detailed-exitcode"]),
    );
    assert_eq!(code, 0, "converged after the change:\n{out}{err}");
    let (code, err) = aws.scalec(&args("destroy", &changed, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    assert_nothing_left(&aws, &rt);
}

#[test]
fn target_tracking_on_metric_math_apply_read_back_change_and_destroy() {
    let aws = LocalAws::start();
    let mut params = refresh_params(&aws);
    params.push(("queue".to_string(), "jobs".to_string()));
    let spec = "tests/specs/tracking-math.scale";
    let (code, err) = aws.scalec(&args("apply", spec, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let conf = rt.block_on(async {
        let (asg, _, _) = aws.clients().await;
        asg.describe_policies()
            .auto_scaling_group_name("shop-production-workers")
            .send()
            .await
            .expect("policies")
            .scaling_policies()[0]
            .target_tracking_configuration()
            .cloned()
            .expect("target tracking")
    });
    assert_eq!(conf.target_value(), Some(100.0));
    let queries = conf
        .customized_metric_specification()
        .expect("customized metric")
        .metrics();
    let ids: Vec<(Option<&str>, Option<&str>, Option<bool>)> = queries
        .iter()
        .map(|q| (q.id(), q.expression(), q.return_data()))
        .collect();
    assert_eq!(
        ids,
        [
            (Some("m1"), None, Some(false)),
            (Some("m2"), None, Some(false)),
            (Some("e1"), Some("(m1 / m2)"), Some(true)),
        ]
    );
    let visible = queries[0]
        .metric_stat()
        .and_then(|s| s.metric())
        .expect("m1");
    assert_eq!(visible.namespace(), Some("AWS/SQS"));
    assert_eq!(
        visible.metric_name(),
        Some("ApproximateNumberOfMessagesVisible")
    );
    assert_eq!(visible.dimensions()[0].value(), Some("jobs"));

    let (code, out, err) = run_out(&aws, &args("plan", spec, &params, &["--detailed-exitcode"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("No changes"), "{out}");
    let text = std::fs::read_to_string(root().join(spec)).expect("spec");
    let changed = spec_file("math-changed", &text.replace("target = 100", "target = 40"));
    let (code, out, err) = run_out(
        &aws,
        &args("plan", &changed, &params, &["--detailed-exitcode"]),
    );
    assert_eq!(code, 2, "{out}{err}");
    let lines = plan_lines(&out);
    assert_eq!(
        lines,
        [
            "~ [4] autoscaling:PutScalingPolicy shop-production-workers-backlog",
            "TargetTrackingConfiguration.TargetValue: 100.0 -> 40.0",
        ],
        "{out}"
    );
    let (code, err) = aws.scalec(&args("destroy", &changed, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    assert_nothing_left(&aws, &rt);
}

/// The spot-fleet example's params against the harness: the seed's
/// template, subnets, load balancer and topic address, the seed's Arm
/// template by name, and a lifecycle queue and role.
pub(crate) fn spot_params(aws: &LocalAws) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> = aws
        .seed()
        .into_iter()
        .filter(|(k, _)| {
            [
                "launch_template",
                "subnets",
                "load_balancer",
                "target_group",
                "alert_email",
            ]
            .contains(&k.as_str())
        })
        .collect();
    for (k, v) in [
        ("arm_template", "scalec-test-arm"),
        (
            "lifecycle_queue",
            "arn:aws:sqs:us-east-1:123456789012:spot-fleet-lifecycle",
        ),
        (
            "lifecycle_role",
            "arn:aws:iam::123456789012:role/spot-fleet-lifecycle",
        ),
    ] {
        params.push((k.to_string(), v.to_string()));
    }
    params
}

#[test]
fn the_spot_fleet_example_applies_reads_back_changes_and_destroys_on_the_emulation() {
    let aws = LocalAws::start();
    let params = spot_params(&aws);
    assert_eq!(params.len(), 8, "{params:?}");
    let spec = "examples/spot-fleet.scale";
    let (code, err) = aws.scalec(&args("apply", spec, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");

    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (api, workers) = rt.block_on(async {
        let (asg, _, _) = aws.clients().await;
        let groups = asg
            .describe_auto_scaling_groups()
            .auto_scaling_group_names("spot-fleet-api")
            .auto_scaling_group_names("spot-fleet-production-workers")
            .send()
            .await
            .expect("describe")
            .auto_scaling_groups()
            .to_vec();
        let find = |n: &str| {
            groups
                .iter()
                .find(|g| g.auto_scaling_group_name() == Some(n))
                .cloned()
                .unwrap_or_else(|| panic!("no group {n}"))
        };
        (
            find("spot-fleet-api"),
            find("spot-fleet-production-workers"),
        )
    });
    // The API: given name, mixed instances, rebalance, settings.
    let mixed = api.mixed_instances_policy().expect("mixed instances");
    let dist = mixed.instances_distribution().expect("distribution");
    assert_eq!(dist.on_demand_base_capacity(), Some(2));
    assert_eq!(dist.on_demand_percentage_above_base_capacity(), Some(25));
    assert_eq!(
        dist.spot_allocation_strategy(),
        Some("price-capacity-optimized")
    );
    let overrides = mixed
        .launch_template()
        .map(|l| l.overrides().to_vec())
        .unwrap_or_default();
    let types: Vec<(Option<&str>, Option<&str>)> = overrides
        .iter()
        .map(|o| (o.instance_type(), o.weighted_capacity()))
        .collect();
    assert_eq!(
        types,
        [
            (Some("m5.large"), Some("1")),
            (Some("m5a.large"), Some("1")),
            (Some("m5.xlarge"), Some("2")),
            (Some("m6g.large"), Some("1")),
        ]
    );
    // Members moto drops, and the hooks the proxy emulates: as sent.
    let create = sent_one(
        &aws,
        "CreateAutoScalingGroup",
        "AutoScalingGroupName",
        "spot-fleet-api",
    );
    assert_eq!(create["CapacityRebalance"], true);
    assert_eq!(
        create["InstanceMaintenancePolicy"],
        serde_json::json!({"MinHealthyPercentage": 90, "MaxHealthyPercentage": 120})
    );
    let sent_hooks = |group: &str| {
        let create = sent_one(
            &aws,
            "CreateAutoScalingGroup",
            "AutoScalingGroupName",
            group,
        );
        let mut h: Vec<(String, i64)> = create["LifecycleHookSpecificationList"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|h| {
                (
                    h["LifecycleHookName"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                    h["HeartbeatTimeout"].as_i64().unwrap_or_default(),
                )
            })
            .collect();
        h.sort();
        h
    };
    assert_eq!(
        sent_hooks("spot-fleet-api"),
        [
            ("spot-fleet-api-bootstrap".to_string(), 120),
            ("spot-fleet-api-drain".to_string(), 300)
        ]
    );
    assert_eq!(
        sent_hooks("spot-fleet-production-workers"),
        [("spot-fleet-production-workers-bootstrap".to_string(), 120)]
    );
    assert_eq!((api.min_size(), api.max_size()), (Some(4), Some(24)));
    // The workers: template by name, protection, suspended rebalancing.
    assert_eq!(
        workers
            .launch_template()
            .and_then(|l| l.launch_template_name()),
        Some("scalec-test-arm")
    );
    assert_eq!(workers.new_instances_protected_from_scale_in(), Some(true));
    assert_eq!(
        workers
            .suspended_processes()
            .iter()
            .filter_map(|p| p.process_name())
            .collect::<Vec<_>>(),
        ["AZRebalance"]
    );
    // Hooks, the warm pool, the policies, schedules and named things.
    rt.block_on(async {
        let (asg, cw, sns) = aws.clients().await;
        let pool = asg
            .describe_warm_pool()
            .auto_scaling_group_name("spot-fleet-production-workers")
            .send()
            .await
            .expect("warm pool")
            .warm_pool_configuration()
            .cloned()
            .expect("a warm pool");
        assert_eq!(pool.min_size(), Some(2));
        let mut policies: Vec<(String, String)> = asg
            .describe_policies()
            .send()
            .await
            .expect("policies")
            .scaling_policies()
            .iter()
            .map(|p| {
                (
                    p.policy_name().unwrap_or_default().to_string(),
                    p.policy_type().unwrap_or_default().to_string(),
                )
            })
            .collect();
        policies.sort();
        assert_eq!(
            policies,
            [
                ("api-cpu", "TargetTrackingScaling"),
                ("spot-fleet-api-forecast", "PredictiveScaling"),
                ("spot-fleet-api-requests", "TargetTrackingScaling"),
                (
                    "spot-fleet-production-workers-backlog",
                    "TargetTrackingScaling"
                ),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        let schedules = asg
            .describe_scheduled_actions()
            .auto_scaling_group_name("spot-fleet-production-workers")
            .send()
            .await
            .expect("schedules")
            .scheduled_update_group_actions()
            .len();
        assert_eq!(schedules, 2);
        let alarms = cw
            .describe_alarms()
            .alarm_names("api-no-capacity")
            .send()
            .await
            .expect("alarms")
            .metric_alarms()
            .len();
        assert_eq!(alarms, 1, "the alarm keeps its given name");
        let topics: Vec<String> = sns
            .list_topics()
            .send()
            .await
            .expect("topics")
            .topics()
            .iter()
            .filter_map(|t| t.topic_arn().map(str::to_string))
            .collect();
        assert!(
            topics.iter().any(|t| t.ends_with(":platform-critical")),
            "{topics:?}"
        );
    });

    // Read back, nothing differs.
    let (code, out, err) = run_out(&aws, &args("plan", spec, &params, &["--detailed-exitcode"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("No changes"), "{out}");

    // Imported from the account (hooks, warm pool, mixed instances,
    // predictive and suspended processes included), the spec plans no
    // change either.
    let imported = scratch("import-spot").join("app.scale");
    let to = imported.to_str().expect("utf-8");
    let import: Vec<String> = [
        "import",
        "--env",
        "production",
        "--tag",
        "app=spot-fleet",
        "-o",
        to,
        "--force",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let (code, out, err) = run_out(&aws, &import);
    assert_eq!(code, 0, "{out}{err}");
    let text = std::fs::read_to_string(&imported).expect("imported spec");
    for line in [
        "  hook drain terminate {",
        "  warm_pool = {",
        "  instances = {",
    ] {
        assert!(text.contains(line), "no `{line}` in\n{text}");
    }
    let (code, out, err) = run_out(
        &aws,
        &["plan", to, "--env", "production", "--detailed-exitcode"].map(String::from),
    );
    assert_eq!(
        code, 0,
        "the imported spec plans no change:\n{out}{err}\n{text}"
    );

    // One value of each feature changed: the plan names exactly that field.
    let text = std::fs::read_to_string(root().join(spec)).expect("spec");
    let changed = text
        .replace("  on_demand_share = 25%\n", "  on_demand_share = 50%\n")
        .replace("  bootstrap_timeout = 2m\n", "  bootstrap_timeout = 4m\n")
        .replace("  warm_pool_min = 2\n", "  warm_pool_min = 3\n")
        .replace(
            "  launch_template_version = 2\n",
            "  launch_template_version = 3\n",
        )
        .replace("    buffer = 10m\n", "    buffer = 5m\n")
        .replace("  backlog_target = 40\n", "  backlog_target = 60\n")
        .replace("  maintenance = 90%..120%\n", "  maintenance = 80%..120%\n");
    let changed = spec_file("spot-fleet-changed", &changed);
    let (code, out, err) = run_out(
        &aws,
        &args("plan", &changed, &params, &["--detailed-exitcode"]),
    );
    assert_eq!(code, 2, "{out}{err}");
    let lines = plan_lines(&out);
    let expected = [
        "~ [3] autoscaling:UpdateAutoScalingGroup spot-fleet-api",
        "InstanceMaintenancePolicy.MinHealthyPercentage: 90 -> 80",
        "MixedInstancesPolicy.InstancesDistribution.OnDemandPercentageAboveBaseCapacity: 25 -> 50",
        "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.Version: \"2\" -> \"3\"",
        "~ [4] autoscaling:PutLifecycleHook spot-fleet-api-bootstrap",
        "HeartbeatTimeout: 120 -> 240",
        "~ [4] autoscaling:PutLifecycleHook spot-fleet-production-workers-bootstrap",
        "HeartbeatTimeout: 120 -> 240",
        "~ [4] autoscaling:PutScalingPolicy spot-fleet-api-forecast",
        "PredictiveScalingConfiguration.SchedulingBufferTime: 600 -> 300",
        "~ [4] autoscaling:PutScalingPolicy spot-fleet-production-workers-backlog",
        "TargetTrackingConfiguration.TargetValue: 40.0 -> 60.0",
        "~ [5] autoscaling:PutWarmPool spot-fleet-production-workers",
        "MinSize: 2 -> 3",
        "~ [6] autoscaling:StartInstanceRefresh spot-fleet-api",
    ];
    assert_eq!(lines, expected, "{out}");
    assert!(
        out.contains("note: replaces the group's running instances with the new launch settings (MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.Version \"2\" -> \"3\"), keeping between 100% and 120% of desired capacity healthy"),
        "{out}"
    );
    let (code, err) = aws.scalec(&args("apply", &changed, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    rt.block_on(async {
        let (asg, _, _) = aws.clients().await;
        let g = asg
            .describe_auto_scaling_groups()
            .auto_scaling_group_names("spot-fleet-api")
            .send()
            .await
            .expect("describe")
            .auto_scaling_groups()[0]
            .clone();
        let mixed = g.mixed_instances_policy().expect("mixed instances");
        assert_eq!(
            mixed
                .instances_distribution()
                .and_then(|d| d.on_demand_percentage_above_base_capacity()),
            Some(50)
        );
        assert_eq!(
            mixed
                .launch_template()
                .and_then(|l| l.launch_template_specification())
                .and_then(|s| s.version()),
            Some("3")
        );
        let pool = asg
            .describe_warm_pool()
            .auto_scaling_group_name("spot-fleet-production-workers")
            .send()
            .await
            .expect("warm pool")
            .warm_pool_configuration()
            .and_then(|w| w.min_size());
        assert_eq!(pool, Some(3));
    });
    let runs = refreshes(&aws, &rt, "spot-fleet-api");
    assert_eq!(runs.len(), 1, "one refresh, for the API only");
    let started = aws.sent("StartInstanceRefresh");
    assert_eq!(started.len(), 1, "{started:#?}");
    let prefs = &started[0]["Preferences"];
    assert_eq!(started[0]["AutoScalingGroupName"], "spot-fleet-api");
    assert_eq!(
        (
            &prefs["MinHealthyPercentage"],
            &prefs["MaxHealthyPercentage"]
        ),
        (&serde_json::json!(100), &serde_json::json!(120))
    );
    assert_eq!(prefs["AutoRollback"], true);
    assert!(
        started[0]["DesiredConfiguration"]["MixedInstancesPolicy"].is_object(),
        "a mixed-instances group's rollback needs its desired policy: {:#}",
        started[0]
    );
    assert!(refreshes(&aws, &rt, "spot-fleet-production-workers").is_empty());
    let (code, out, err) = run_out(
        &aws,
        &args("plan", &changed, &params, &["--detailed-exitcode"]),
    );
    assert_eq!(code, 0, "converged after the change:\n{out}{err}");

    let (code, err) = aws.scalec(&args("destroy", &changed, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    assert_nothing_left(&aws, &rt);
}
