//! `name = "..."`: items that keep the AWS names they had before scalec
//! managed them, in the model, both backends and against moto.

use super::*;
use scalec::backend::{cfn, plan};

fn given_names() -> scalec::Compilation {
    let mut opts = scalec::check::Options::default();
    for (k, v) in [
        ("lt", "lt-0123456789abcdef0"),
        ("subnets", "subnet-0123abcd"),
        ("email", "ops@example.com"),
    ] {
        opts.params.insert(k.into(), v.into());
    }
    let path = root().join("tests/specs/given-names.scale");
    let text = std::fs::read_to_string(&path).expect("spec");
    let c = scalec::compile("tests/specs/given-names.scale", &text, &opts);
    assert!(!c.has_errors(), "{}", render(&c));
    c
}

#[test]
fn given_names_replace_derived_ones_in_the_model_plan_and_template() {
    let c = given_names();
    let prod = c.spec.environment("production").expect("production");
    let web = &prod.groups[0];
    assert_eq!(web.physical_name, "legacy-web-asg");
    assert_eq!(
        prod.groups[1].physical_name, "shop-production-api",
        "derived"
    );
    assert_eq!(prod.topics[0].physical_name, "ops-pager");
    assert_eq!(web.policies[0].physical_name, "legacy-cpu");
    assert_eq!(
        web.policies[1].physical_name, "legacy-web-asg-calm",
        "derived from the given group name"
    );
    assert_eq!(web.alarms[0].physical_name, "web-at-capacity");
    assert_eq!(
        web.dashboard.as_ref().map(|d| d.physical_name.as_str()),
        Some("web-overview")
    );
    let staging = c.spec.environment("staging").expect("staging");
    assert_eq!(staging.groups[0].physical_name, "legacy-web-asg-staging");

    let p = plan::model_to_plan(prod, None, "").expect("plans");
    let resources: Vec<&str> = p.operations.iter().map(|o| o.resource.as_str()).collect();
    for name in [
        "ops-pager",
        "legacy-web-asg",
        "legacy-cpu",
        "web-at-capacity",
        "web-overview",
    ] {
        assert!(resources.contains(&name), "{name} not in {resources:?}");
    }
    let b = cfn::model_to_cfn(prod, &c.sources, cfn::Format::Json).expect("builds");
    let t: serde_json::Value = serde_json::from_str(&b.stacks[0].text).expect("template");
    let r = &t["Resources"];
    assert_eq!(
        r["WebGroup"]["Properties"]["AutoScalingGroupName"],
        "legacy-web-asg"
    );
    assert_eq!(r["TopicCritical"]["Properties"]["TopicName"], "ops-pager");
    assert_eq!(
        r["WebFullAlarm"]["Properties"]["AlarmName"],
        "web-at-capacity"
    );
    assert_eq!(
        r["WebDashboard"]["Properties"]["DashboardName"],
        "web-overview"
    );
    // Logical IDs still come from the spec's names.
    assert!(r.get("WebCpuPolicy").is_some());
}

#[test]
fn a_given_name_is_checked_like_a_derived_one() {
    let spec = std::fs::read_to_string(root().join("tests/specs/given-names.scale")).expect("spec");
    let bad = spec.replace("\"legacy-web-asg\"", "\"legacy:web\"");
    let c = scalec::compile("x.scale", &bad, &scalec::check::Options::default());
    let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"scale::name::chars"), "{codes:?}");
    let long = spec.replace("\"web-overview\"", &format!("\"{}\"", "d".repeat(256)));
    let c = scalec::compile("x.scale", &long, &scalec::check::Options::default());
    let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"scale::name::too_long"), "{codes:?}");
}

/// The seed's values under the names `given-names.scale` gives its params.
fn given_names_params(aws: &aws::LocalAws) -> Vec<(String, String)> {
    let seed = aws.seed();
    let get = |k: &str| {
        seed.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    vec![
        ("lt".into(), get("launch_template")),
        ("subnets".into(), get("subnets")),
        ("email".into(), get("alert_email")),
    ]
}

fn with_params(mut args: Vec<String>, params: &[(String, String)]) -> Vec<String> {
    for (k, v) in params {
        args.push("--param".into());
        args.push(format!("{k}={v}"));
    }
    args
}

#[test]
fn given_names_apply_replan_clean_and_destroy_against_moto() {
    let aws = aws::LocalAws::start();
    let params = given_names_params(&aws);
    let spec = "tests/specs/given-names.scale";
    let cmd = |verb: &str, extra: &[&str]| {
        let mut a: Vec<String> = [verb, spec, "--env", "production"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        a.extend(extra.iter().map(|s| s.to_string()));
        with_params(a, &params)
    };
    let (code, err) = aws.scalec(&cmd("apply", &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");

    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (groups, policies, alarms, dashboard, topics) = rt.block_on(async {
        let (asg, cw, sns) = aws.clients().await;
        let g = asg
            .describe_auto_scaling_groups()
            .auto_scaling_group_names("legacy-web-asg")
            .auto_scaling_group_names("shop-production-api")
            .send()
            .await
            .expect("groups");
        let mut groups: Vec<String> = g
            .auto_scaling_groups()
            .iter()
            .filter_map(|g| g.auto_scaling_group_name().map(str::to_string))
            .collect();
        groups.sort();
        let p = asg
            .describe_policies()
            .auto_scaling_group_name("legacy-web-asg")
            .send()
            .await
            .expect("policies");
        let mut policies: Vec<String> = p
            .scaling_policies()
            .iter()
            .filter_map(|p| p.policy_name().map(str::to_string))
            .collect();
        policies.sort();
        let a = cw
            .describe_alarms()
            .alarm_names("web-at-capacity")
            .alarm_names("legacy-web-asg-calm-alarm")
            .send()
            .await
            .expect("alarms");
        let mut alarms: Vec<String> = a
            .metric_alarms()
            .iter()
            .filter_map(|a| a.alarm_name().map(str::to_string))
            .collect();
        alarms.sort();
        let dashboard = cw
            .get_dashboard()
            .dashboard_name("web-overview")
            .send()
            .await
            .is_ok();
        let t = sns.list_topics().send().await.expect("topics");
        let topics: Vec<String> = t
            .topics()
            .iter()
            .filter_map(|t| t.topic_arn().map(str::to_string))
            .collect();
        (groups, policies, alarms, dashboard, topics)
    });
    assert_eq!(groups, ["legacy-web-asg", "shop-production-api"]);
    assert_eq!(policies, ["legacy-cpu", "legacy-web-asg-calm"]);
    assert_eq!(alarms, ["legacy-web-asg-calm-alarm", "web-at-capacity"]);
    assert!(dashboard, "dashboard web-overview");
    assert!(
        topics.iter().any(|t| t.ends_with(":ops-pager")),
        "{topics:?}"
    );

    // The second plan reads every given name back and has nothing to do.
    let (code, out, err) = aws::run_out(&aws, &cmd("plan", &["--detailed-exitcode"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("No changes"), "{out}");

    // Leaving `name` out renames the policy: the derived one is created and
    // the old one, no longer named by the spec, is left alone and listed.
    let text = std::fs::read_to_string(root().join(spec)).expect("spec");
    let renamed = text.replace(
        "name = match env { production => \"legacy-cpu\", staging => \"legacy-cpu-staging\" }",
        "",
    );
    assert_ne!(renamed, text);
    let path = scratch("given-names-renamed").join("renamed.scale");
    std::fs::write(&path, renamed).expect("write");
    let p = path.to_string_lossy().to_string();
    let mut args: Vec<String> = ["plan", p.as_str(), "--env", "production"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args = with_params(args, &params);
    let (code, out, err) = aws::run_out(&aws, &args);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("legacy-web-asg-cpu"), "{out}");
    assert!(
        out.contains("left alone (not scalec's): policy legacy-cpu on group legacy-web-asg"),
        "{out}{err}"
    );

    let (code, err) = aws.scalec(&cmd("destroy", &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    let left = rt.block_on(async {
        let (asg, cw, sns) = aws.clients().await;
        let g = asg
            .describe_auto_scaling_groups()
            .send()
            .await
            .expect("groups");
        let a = cw.describe_alarms().send().await.expect("alarms");
        let d = cw.list_dashboards().send().await.expect("dashboards");
        let t = sns.list_topics().send().await.expect("topics");
        (
            g.auto_scaling_groups().len(),
            a.metric_alarms().len(),
            d.dashboard_entries().len(),
            t.topics().len(),
        )
    });
    assert_eq!(
        left,
        (0, 0, 0, 0),
        "groups, alarms, dashboards, topics left"
    );
}
