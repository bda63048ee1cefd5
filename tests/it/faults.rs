//! `examples/spot-fleet.scale` applied, changed and destroyed through the
//! test proxy's faults, with the real binary and SDK against moto: a lost
//! answer must not repeat what took effect (a refresh started twice), a
//! refresh that never started is planned from the instances, and a delete
//! whose resource is gone already is done. What scalec sent is read from
//! the proxy's record of the raw requests, each checked against botocore's
//! shape of its input.

use super::aws::{LocalAws, run_out};
use super::*;

const SPEC: &str = "examples/spot-fleet.scale";

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

/// The example with the API's launch template at another version: a change
/// that starts a refresh.
fn next_version(name: &str, version: u32) -> String {
    let text = std::fs::read_to_string(root().join(SPEC)).expect("spec");
    let changed = text.replacen(
        "  launch_template_version = 2\n",
        &format!("  launch_template_version = {version}\n"),
        1,
    );
    assert_ne!(changed, text, "the example names version 2");
    let path = scratch(name).join("app.scale");
    std::fs::write(&path, changed).expect("spec written");
    path.to_string_lossy().into_owned()
}

/// The refreshes of the API group, as the proxy (AWS's stand-in) has them.
fn refresh_count(aws: &LocalAws, rt: &tokio::runtime::Runtime) -> usize {
    rt.block_on(async {
        let (asg, _, _) = aws.clients().await;
        asg.describe_instance_refreshes()
            .auto_scaling_group_name("spot-fleet-api")
            .send()
            .await
            .expect("describe refreshes")
            .instance_refreshes()
            .len()
    })
}

#[test]
fn a_lost_refresh_answer_starts_no_second_refresh() {
    // Held: the first refresh still runs when the retry comes, as on AWS;
    // not held: it is done at once, and a blind retry would start another.
    for hold in [true, false] {
        let aws = LocalAws::start_losing(0, &["StartInstanceRefresh"], hold);
        let params = super::fleet::spot_params(&aws);
        let (code, err) = aws.scalec(&args("apply", SPEC, &params, &["--auto-approve"]));
        assert_eq!(code, 0, "{err}");
        let v3 = next_version(&format!("lost-refresh-{hold}"), 3);
        let (code, err) = aws.scalec(&args("apply", &v3, &params, &["--auto-approve"]));
        assert_eq!(code, 0, "held {hold}: the lost start is recognised:\n{err}");
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        assert_eq!(refresh_count(&aws, &rt), 1, "held {hold}: one refresh");
        let sent = aws.sent("StartInstanceRefresh");
        assert_eq!(
            sent.len(),
            1,
            "held {hold}: sent once, never retried: {sent:#?}"
        );
        // The refresh carries the configuration AWS rolls back from.
        let spec = &sent[0]["DesiredConfiguration"]["MixedInstancesPolicy"]["LaunchTemplate"]["LaunchTemplateSpecification"];
        assert_eq!(spec["Version"], "3", "{:#}", sent[0]);
        assert_eq!(sent[0]["Preferences"]["AutoRollback"], true);
        assert!(
            !aws.sent("DescribeInstanceRefreshes").is_empty(),
            "the refreshes were read to recognise the lost start"
        );
        // Converged: with the refresh still running (held) or done.
        let (code, out, err) = run_out(&aws, &args("plan", &v3, &params, &["--detailed-exitcode"]));
        assert_eq!(code, 0, "held {hold}:\n{out}{err}");
    }
}

#[test]
fn a_refresh_that_never_started_is_planned_from_the_instances_and_deletes_already_done_succeed() {
    let aws = LocalAws::start_losing(
        0,
        &[
            "DeleteScheduledAction",
            "DeleteDashboards",
            "DeleteAutoScalingGroup",
            "DeletePolicy",
            "DeleteLifecycleHook",
            "DeleteWarmPool",
            "DeleteAlarms",
            "DeleteTopic",
        ],
        false,
    );
    let params = super::fleet::spot_params(&aws);
    let (code, err) = aws.scalec(&args("apply", SPEC, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let instances = || {
        rt.block_on(async {
            let (asg, _, _) = aws.clients().await;
            asg.describe_auto_scaling_groups()
                .auto_scaling_group_names("spot-fleet-api")
                .send()
                .await
                .expect("describe")
                .auto_scaling_groups()[0]
                .instances()
                .len()
        })
    };
    assert!(instances() > 0, "the API runs instances");

    // The update lands, then the refresh is refused: the apply stops
    // between them.
    aws.respond("StartInstanceRefresh", "denied");
    let v3 = next_version("never-started", 3);
    let (code, err) = aws.scalec(&args("apply", &v3, &params, &["--auto-approve"]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("scale::aws::access_denied"), "{err}");
    aws.respond("StartInstanceRefresh", "");
    // The group already names version 3; its instances still run 2.
    let instances = instances();
    let (code, out, err) = run_out(&aws, &args("plan", &v3, &params, &["--detailed-exitcode"]));
    assert_eq!(code, 2, "{out}{err}");
    let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("~ [6] autoscaling:StartInstanceRefresh spot-fleet-api"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "({instances} instances still on older launch settings)"
        )),
        "{out}"
    );
    assert!(
        !out.contains("UpdateAutoScalingGroup spot-fleet-api"),
        "the update is done already:\n{out}"
    );
    let (code, err) = aws.scalec(&args("apply", &v3, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(refresh_count(&aws, &rt), 1);
    let (code, out, err) = run_out(&aws, &args("plan", &v3, &params, &["--detailed-exitcode"]));
    assert_eq!(code, 0, "the refresh replaced them:\n{out}{err}");

    // Every delete's first answer is lost: the SDK's retry finds the
    // resource gone, and that is done, on the first run.
    let (code, err) = aws.scalec(&args("destroy", &v3, &params, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    for action in [
        "DeleteScheduledAction",
        "DeleteDashboards",
        "DeleteAutoScalingGroup",
        "DeletePolicy",
        "DeleteAlarms",
        "DeleteTopic",
    ] {
        assert!(
            aws.sent(action).len() >= 2,
            "{action}: a lost answer and a retry"
        );
    }
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
            "nothing is left"
        );
    });
}

#[test]
fn the_fleet_example_converges_through_every_kind_of_fault() {
    let aws = LocalAws::start_losing(3, &[], false);
    let params = super::fleet::spot_params(&aws);
    let mut runs = 0;
    let mut converge = |spec: &str, verb: &str| loop {
        runs += 1;
        assert!(runs < 20, "no convergence after {runs} runs");
        let (code, err) = aws.scalec(&args(verb, spec, &params, &["--auto-approve"]));
        if code == 0 {
            break;
        }
        assert!(
            !err.contains("panicked") && !err.contains("scale::aws::invalid"),
            "{err}"
        );
    };
    converge(SPEC, "apply");
    let v3 = next_version("faults-v3", 3);
    converge(&v3, "apply");
    let (_, injected) = aws.faults();
    assert!(injected >= 10, "only {injected} faults injected");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    assert_eq!(refresh_count(&aws, &rt), 1, "one refresh for one change");
    converge(&v3, "destroy");
    rt.block_on(async {
        let (asg, cw, sns) = aws.clients().await;
        // Reads may fault too: retried by the SDK like scalec's own.
        let groups = asg
            .describe_auto_scaling_groups()
            .send()
            .await
            .expect("groups")
            .auto_scaling_groups()
            .len();
        let alarms = cw
            .describe_alarms()
            .send()
            .await
            .expect("alarms")
            .metric_alarms()
            .len();
        let topics = sns
            .list_topics()
            .send()
            .await
            .expect("topics")
            .topics()
            .len();
        assert_eq!((groups, alarms, topics), (0, 0, 0), "nothing leaked");
    });
    // Every request scalec sent, faulted or not, fits botocore's shapes.
    let all = aws.requests();
    assert!(all.len() > 50, "{}", all.len());
    for r in &all {
        assert_eq!(
            r["problems"].as_array().map_or(0, Vec::len),
            0,
            "botocore refuses a request scalec sent: {r:#}"
        );
    }
}
