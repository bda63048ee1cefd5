//! Real fleets against moto and the proxy: group settings, lifecycle hooks,
//! warm pools, mixed instances, instance refresh and predictive scaling are
//! created, read back with Describe calls, planned again with no changes,
//! changed field by field, and destroyed.

use super::aws::{LocalAws, run_out};
use super::*;

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
            t.starts_with(['+', '~', '-']) || (l.starts_with("        ") && t.contains(" -> "))
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
fn group_settings_apply_read_back_change_and_destroy() {
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
    let m = g.instance_maintenance_policy().expect("maintenance policy");
    assert_eq!(
        (m.min_healthy_percentage(), m.max_healthy_percentage()),
        (Some(90), Some(120))
    );
    assert_eq!(g.new_instances_protected_from_scale_in(), Some(true));
    let mut suspended: Vec<&str> = g
        .suspended_processes()
        .iter()
        .filter_map(|p| p.process_name())
        .collect();
    suspended.sort();
    assert_eq!(suspended, ["AZRebalance", "AlarmNotification"]);
    let c = g
        .capacity_reservation_specification()
        .expect("capacity reservations");
    assert_eq!(
        c.capacity_reservation_preference().map(|p| p.as_str()),
        Some("capacity-reservations-first")
    );
    assert_eq!(
        c.capacity_reservation_target()
            .map(|t| t.capacity_reservation_ids().to_vec()),
        Some(vec!["cr-0123456789abcdef0".to_string()])
    );
    assert_eq!(
        g.availability_zone_distribution()
            .and_then(|d| d.capacity_distribution_strategy())
            .map(|s| s.as_str()),
        Some("balanced-only")
    );

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
    let m = g.instance_maintenance_policy().expect("maintenance policy");
    assert_eq!(
        (m.min_healthy_percentage(), m.max_healthy_percentage()),
        (Some(80), Some(110))
    );
    assert_eq!(g.new_instances_protected_from_scale_in(), Some(false));
    let (code, out, err) = run_out(
        &aws,
        &args("plan", &changed, &params, &["--detailed-exitcode"]),
    );
    assert_eq!(code, 0, "converged after the change:\n{out}{err}");

    let (code, err) = aws.scalec(&args("destroy", &changed, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    let left = rt.block_on(async {
        let (asg, _, _) = aws.clients().await;
        asg.describe_auto_scaling_groups()
            .send()
            .await
            .expect("describe")
            .auto_scaling_groups()
            .len()
    });
    assert_eq!(left, 0);
}
