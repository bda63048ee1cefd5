//! The promise both ways: what AWS accepts, `check` accepts (AWS's own
//! examples), and what AWS refuses, `check` refuses wherever the value
//! comes from (a literal, the environment, `--param`).

use super::*;
use scalec::backend::plan;
use serde_json::{Value as Json, json};

fn compile(text: &str, opts: &Options) -> scalec::Compilation {
    scalec::compile("promise.scale", text, opts)
}

fn codes(c: &scalec::Compilation) -> Vec<&'static str> {
    c.diagnostics.iter().map(|d| d.code).collect()
}

/// The step-scaling example of the EC2 Auto Scaling user guide ("Step
/// adjustments for step scaling"): an alarm at 50% CPU, a dead band of 0
/// from 50% to 60%, +10% and +30% above; and its scale-in mirror.
const USER_GUIDE_STEPS: &str = r#"app "guide"
param lt: launch_template_id
param subnets: list<subnet_id>
environment production extends std.production {
  region = "us-east-1"
  param.lt = "lt-0123456789abcdef0"
  param.subnets = ["subnet-0123abcd"]
}
group web {
  launch_template = param.lt
  launch_template_version = 1
  subnets = param.subnets
  capacity = 2..10
  policy out step {
    metric = ec2.cpu
    50%..60% => +0%
    60%..70% => +10%
    70%..    => +30%
  }
  policy in step {
    metric = ec2.cpu
    40%..50% => -0%
    30%..40% => -10%
    ..30%    => -30%
  }
}
"#;

#[test]
fn the_user_guides_step_example_with_a_dead_band_checks_and_plans() {
    let c = compile(USER_GUIDE_STEPS, &Options::default());
    assert!(c.diagnostics.is_empty(), "{}", render(&c));
    let env = &c.spec.environments[0];
    let p = plan::model_to_plan(env, None, USER_GUIDE_STEPS).expect("plans");
    let steps: Vec<Json> = p
        .operations
        .iter()
        .filter_map(|op| {
            let r = serde_json::to_value(&op.call).expect("call")["request"].clone();
            (r["PolicyName"] == "guide-production-web-out").then(|| r["StepAdjustments"].clone())
        })
        .collect();
    assert_eq!(
        steps,
        vec![json!([
            { "MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": 10.0, "ScalingAdjustment": 0 },
            { "MetricIntervalLowerBound": 10.0, "MetricIntervalUpperBound": 20.0, "ScalingAdjustment": 10 },
            { "MetricIntervalLowerBound": 20.0, "ScalingAdjustment": 30 },
        ])]
    );
}

/// A spec whose topic subscribes a queue and a function in another region,
/// and whose hook notifies a queue given in `queue`.
fn subscriptions(queue: &str) -> String {
    format!(
        r#"app "shop"
param lt: launch_template_id
param subnets: list<subnet_id>
environment production extends std.production {{ region = "us-east-1" }}
topic critical {{
  sqs = "arn:aws:sqs:eu-west-1:123456789012:pager"
  lambda = "arn:aws:lambda:ap-southeast-2:123456789012:function:page"
}}
group web {{
  launch_template = param.lt
  subnets = param.subnets
  capacity = env.capacity
  hook ready launch {{
    notify = "{queue}"
    role = "arn:aws:iam::123456789012:role/hooks"
  }}
}}
"#
    )
}

#[test]
fn subscriptions_may_be_in_another_region_of_the_partition_but_hook_targets_may_not() {
    let ok = compile(
        &subscriptions("arn:aws:sqs:us-east-1:123456789012:hooks"),
        &Options::default(),
    );
    assert!(!ok.has_errors(), "{}", render(&ok));
    let elsewhere = compile(
        &subscriptions("arn:aws:sqs:eu-west-1:123456789012:hooks"),
        &Options::default(),
    );
    assert_eq!(
        codes(&elsewhere),
        vec!["scale::types::wrong_region"],
        "{}",
        render(&elsewhere)
    );
    // Another partition is out of reach for a subscription too.
    let text = subscriptions("arn:aws:sqs:us-east-1:123456789012:hooks")
        .replace("arn:aws:sqs:eu-west-1", "arn:aws-cn:sqs:cn-north-1");
    let cn = compile(&text, &Options::default());
    assert_eq!(
        codes(&cn),
        vec!["scale::types::wrong_region"],
        "{}",
        render(&cn)
    );
    assert!(
        cn.diagnostics
            .iter()
            .any(|d| d.message.contains("in the partition `aws-cn`")),
        "{}",
        render(&cn)
    );
}

#[test]
fn a_params_value_meets_the_rules_of_every_field_it_reaches_at_param_time() {
    let dir = scratch("promise-param-time");
    let spec = dir.join("app.scale");
    std::fs::write(
        &spec,
        r#"app "shop"
param lt: launch_template_id
param subnets: list<subnet_id>
param version: string
environment production extends std.production {
  region = "us-east-1"
  param.lt = "lt-0123456789abcdef0"
  param.subnets = ["subnet-0123abcd"]
}
group web {
  launch_template = param.lt
  launch_template_version = param.version
  subnets = param.subnets
  capacity = 1..4
  refresh = { auto_rollback = true }
}
"#,
    )
    .expect("spec written");
    let spec = spec.display().to_string();
    for (value, needle) in [
        (
            "banana",
            "`--param version=banana`: `banana` is not a launch template version",
        ),
        (
            "$Latest",
            "`--param version=$Latest`: auto-rollback needs a numbered launch template version",
        ),
    ] {
        let param = format!("version={value}");
        for cmd in ["check", "build", "plan"] {
            let mut args = vec![cmd, spec.as_str(), "--param", param.as_str()];
            if cmd != "check" {
                args.extend(["--env", "production"]);
            }
            if cmd == "plan" {
                args.push("--offline");
            }
            let (code, out, err) = scalec(&args);
            assert_eq!(code, 1, "{cmd} {param}: {out}{err}");
            assert!(err.contains(needle), "{cmd} {param}: {err}");
            assert!(out.is_empty(), "{cmd} wrote output: {out}");
        }
    }
    let (code, _, err) = scalec(&[
        "build",
        &spec,
        "--env",
        "production",
        "--param",
        "version=7",
    ]);
    assert_eq!(code, 0, "{err}");
}

/// The live group of `p`'s create call, as a deploy left it: `max` and the
/// `scalec:max` tag as given.
fn live_group(p: &plan::ApplyPlan, max: u32, tagged_max: Option<u32>) -> plan::LiveState {
    let mut live = plan::LiveState::default();
    for op in &p.operations {
        if let plan::Call::CreateAutoScalingGroup {
            auto_scaling_group_name,
            tags,
            ..
        } = &op.call
        {
            let mut request = serde_json::to_value(&op.call).expect("call")["request"].clone();
            request["MaxSize"] = json!(max);
            let mut tags: std::collections::BTreeMap<String, String> = tags
                .iter()
                .map(|t| (t.key.clone(), t.value.clone()))
                .collect();
            match tagged_max {
                Some(m) => tags.insert(scalec::model::MAX_TAG.into(), m.to_string()),
                None => tags.remove(scalec::model::MAX_TAG),
            };
            live.groups.insert(
                auto_scaling_group_name.clone(),
                plan::LiveGroup {
                    ours: true,
                    request,
                    tags,
                    ..Default::default()
                },
            );
        }
    }
    live
}

fn max_changes(p: &plan::ApplyPlan) -> Vec<(Json, Json)> {
    p.operations
        .iter()
        .flat_map(|o| &o.changes)
        .filter(|c| c.field == "MaxSize")
        .map(|c| (c.old.clone(), c.new.clone()))
        .collect()
}

#[test]
fn a_maximum_raised_by_predictive_scaling_stays_until_the_spec_changes_its_own() {
    let text = |max: u32| {
        format!(
            r#"app "shop"
param lt: launch_template_id
param subnets: list<subnet_id>
environment production extends std.production {{
  region = "us-east-1"
  param.lt = "lt-0123456789abcdef0"
  param.subnets = ["subnet-0123abcd"]
}}
group web {{
  launch_template = param.lt
  launch_template_version = 1
  subnets = param.subnets
  capacity = 2..{max}
  policy forecast predictive {{
    metric = ec2.cpu
    target = 50%
    mode = forecast_and_scale
    max_capacity = increase {{ buffer = 20% }}
  }}
}}
"#
        )
    };
    let plan_of = |spec: &str| {
        let c = compile(spec, &Options::default());
        assert!(!c.has_errors(), "{}", render(&c));
        plan::model_to_plan(&c.spec.environments[0], None, spec).expect("plans")
    };
    let ten = plan_of(&text(10));
    // AWS raised the maximum to 13 over the spec's 10: no change.
    let kept = plan::diff(&ten, &live_group(&ten, 13, Some(10)), false).expect("diffs");
    assert_eq!(max_changes(&kept), vec![], "{kept:#?}");
    // The spec's maximum changed to 12: it is set.
    let twelve = plan_of(&text(12));
    let changed = plan::diff(&twelve, &live_group(&twelve, 13, Some(10)), false).expect("diffs");
    assert_eq!(max_changes(&changed), vec![(json!(13), json!(12))]);
    // A group never tagged with the spec's maximum is set to it.
    let untagged = plan::diff(&ten, &live_group(&ten, 13, None), false).expect("diffs");
    assert_eq!(max_changes(&untagged), vec![(json!(13), json!(10))]);
    // A group without a raising policy is always held to the spec.
    let honor = text(10).replace("max_capacity = increase { buffer = 20% }", "");
    let honor = plan_of(&honor);
    let reset = plan::diff(&honor, &live_group(&honor, 13, Some(10)), false).expect("diffs");
    assert_eq!(max_changes(&reset), vec![(json!(13), json!(10))]);
}
