//! The seed design's values, read from the resolved model of the example.

use super::*;
use scalec::model::*;

fn example() -> Spec {
    let c = compile_path(&root().join("examples/macro-ai.scale"));
    assert!(!c.has_errors(), "{}", render(&c));
    c.spec
}

fn group<'a>(spec: &'a Spec, env: &str) -> &'a Group {
    &spec.environment(env).expect("environment exists").groups[0]
}

fn tt_target(g: &Group, name: &str) -> (f64, Metric) {
    match &g
        .policies
        .iter()
        .find(|p| p.name == name)
        .expect("policy")
        .kind
    {
        PolicyKind::TargetTracking { target, metric, .. } => (*target, metric.clone()),
        other => panic!("{name} is {other:?}"),
    }
}

#[test]
fn capacities_and_targets_per_environment() {
    let spec = example();
    let table = [
        ("production", 2, 10, 3, 60.0, 70.0, 100.0),
        ("staging", 1, 5, 2, 70.0, 75.0, 150.0),
        ("development", 1, 3, 1, 75.0, 80.0, 200.0),
    ];
    for (env, min, max, desired, cpu, mem, req) in table {
        let g = group(&spec, env);
        assert_eq!(
            (g.min, g.max, g.desired),
            (min, max, desired),
            "{env} capacity"
        );
        assert_eq!(tt_target(g, "cpu").0, cpu, "{env} cpu");
        let (m, metric) = tt_target(g, "memory");
        assert_eq!(m, mem, "{env} memory");
        assert_eq!(
            (metric.namespace.as_str(), metric.name.as_str()),
            ("CWAgent", "mem_used_percent")
        );
        assert_eq!(
            metric.dimensions,
            vec![(
                "AutoScalingGroupName".to_string(),
                DimensionValue::GroupName
            )]
        );
        let (r, metric) = tt_target(g, "requests");
        assert_eq!(r, req, "{env} requests per target per minute");
        let p = metric.predefined.expect("predefined");
        assert_eq!(p.kind, "ALBRequestCountPerTarget");
        assert_eq!(
            p.resource_label,
            Some((
                Value::Param("load_balancer".into()),
                Value::Param("target_group".into())
            ))
        );
    }
}

type Steps = Vec<(Option<f64>, Option<f64>, i32)>;

fn step(g: &Group, name: &str) -> (f64, Comparison, Steps, u32) {
    match &g
        .policies
        .iter()
        .find(|p| p.name == name)
        .expect("policy")
        .kind
    {
        PolicyKind::Step { alarm, steps, .. } => (
            alarm.threshold,
            alarm.comparison,
            steps
                .iter()
                .map(|s| (s.lower, s.upper, s.adjustment))
                .collect(),
            alarm.evaluation_periods,
        ),
        other => panic!("{name} is {other:?}"),
    }
}

#[test]
/// The design's bands were 50-70 +1, 70-85 +2, 85+ +3; the example starts
/// the first band at each environment's CPU target instead (a band below the
/// target fights target tracking, see `scale::lint::step_below_target`).
fn cpu_step_scale_out_starts_at_the_target_with_relative_bounds() {
    let spec = example();
    let (t, cmp, steps, evals) = step(group(&spec, "production"), "cpu_surge");
    assert_eq!(t, 60.0);
    assert_eq!(cmp, Comparison::GreaterThanOrEqualToThreshold);
    assert_eq!(
        steps,
        vec![
            (Some(0.0), Some(10.0), 1),
            (Some(10.0), Some(25.0), 2),
            (Some(25.0), None, 3)
        ]
    );
    assert_eq!(evals, 3);
    let (t, _, steps, _) = step(group(&spec, "staging"), "cpu_surge");
    assert_eq!(t, 70.0);
    assert_eq!(
        steps,
        vec![
            (Some(0.0), Some(8.0), 1),
            (Some(8.0), Some(15.0), 2),
            (Some(15.0), None, 3)
        ]
    );
    assert_eq!(step(group(&spec, "development"), "cpu_surge").0, 75.0);
}

#[test]
fn cpu_scale_in_below_20_percent_removes_one_slowly_in_production() {
    let spec = example();
    let (t, cmp, steps, evals) = step(group(&spec, "production"), "cpu_calm");
    assert_eq!((t, cmp), (20.0, Comparison::LessThanOrEqualToThreshold));
    assert_eq!(steps, vec![(None, Some(0.0), -1)]);
    assert_eq!(evals, 10);
    assert_eq!(step(group(&spec, "development"), "cpu_calm").3, 5);
}

#[test]
fn response_time_steps_at_1_2_and_5_seconds() {
    let spec = example();
    let (t, _, steps, _) = step(group(&spec, "staging"), "slow_responses");
    assert_eq!(t, 1.0);
    assert_eq!(
        steps,
        vec![
            (Some(0.0), Some(1.0), 1),
            (Some(1.0), Some(4.0), 2),
            (Some(4.0), None, 3)
        ]
    );
}

#[test]
fn simple_policy_has_cooldown_and_per_period_threshold() {
    let spec = example();
    let g = group(&spec, "production");
    match &g
        .policies
        .iter()
        .find(|p| p.name == "request_burst")
        .expect("policy")
        .kind
    {
        PolicyKind::Simple {
            alarm,
            adjustment,
            cooldown,
            adjustment_type,
            ..
        } => {
            assert_eq!(
                (*adjustment, *cooldown, *adjustment_type),
                (1, Some(180), AdjustmentType::ChangeInCapacity)
            );
            // 6000/min over a one-minute period is 6000 requests per datapoint.
            assert_eq!((alarm.threshold, alarm.period), (6000.0, 60));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn alarms_use_capacity_of_each_environment_and_tier_topics() {
    let spec = example();
    // Capacity-relative thresholds are metric math on the group's size
    // metrics, so they follow min/max changes made at run time.
    for env in ["production", "staging", "development"] {
        let g = group(&spec, env);
        let at = g
            .alarms
            .iter()
            .find(|a| a.name == "at_capacity")
            .expect("alarm");
        let MetricQuery::Math {
            expression,
            metrics,
        } = &at.spec.query
        else {
            panic!("at_capacity is metric math")
        };
        assert_eq!((expression.as_str(), at.spec.threshold), ("(m1 - m2)", 0.0));
        assert_eq!(
            (metrics[0].1.name.as_str(), metrics[1].1.name.as_str()),
            ("GroupInServiceInstances", "GroupMaxSize")
        );
        assert_eq!(
            at.spec.comparison,
            Comparison::GreaterThanOrEqualToThreshold
        );
        assert_eq!(at.topics, vec!["critical".to_string()]);
        let near = g
            .alarms
            .iter()
            .find(|a| a.name == "near_capacity")
            .expect("alarm");
        let MetricQuery::Math { expression, .. } = &near.spec.query else {
            panic!("near_capacity is metric math")
        };
        assert_eq!(
            (expression.as_str(), near.spec.threshold),
            ("(100 * (m1 / m2))", 80.0)
        );
        assert_eq!(near.tier, Tier::Warning);
    }
    let g = group(&spec, "production");
    let thrash = g
        .alarms
        .iter()
        .find(|a| a.name == "thrashing")
        .expect("thrash alarm");
    match &thrash.spec.query {
        MetricQuery::Math {
            expression,
            metrics,
        } => {
            assert_eq!(expression, "ABS(DIFF(m1))");
            assert_eq!(metrics[0].1.name, "GroupDesiredCapacity");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        (
            thrash.spec.evaluation_periods,
            thrash.spec.datapoints_to_alarm
        ),
        (30, 4)
    );
    let tiers: Vec<Tier> = g.alarms.iter().map(|a| a.tier).collect();
    assert!(
        tiers.contains(&Tier::Critical)
            && tiers.contains(&Tier::Warning)
            && tiers.contains(&Tier::Info)
    );
}

#[test]
fn notifications_topics_dashboard_and_schedules() {
    let spec = example();
    let env = spec.environment("production").expect("env");
    assert_eq!(env.topics.len(), 3);
    assert_eq!(env.topics[0].physical_name, "macro-ai-production-critical");
    let g = &env.groups[0];
    assert_eq!(g.physical_name, "macro-ai-production-web");
    let critical = g
        .notifications
        .iter()
        .find(|n| n.topic == "critical")
        .expect("critical");
    assert_eq!(
        critical.events,
        vec![
            "autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
            "autoscaling:EC2_INSTANCE_TERMINATE_ERROR"
        ]
    );
    let d = g.dashboard.as_ref().expect("dashboard");
    assert_eq!(
        &d.widgets[..3],
        &[Widget::Capacity, Widget::Activity, Widget::Utilization]
    );
    assert_eq!(d.widgets.len(), 6);
    assert!(g.schedules.is_empty(), "schedules are development-only");
    let dev = &spec.environment("development").expect("env").groups[0];
    assert_eq!(dev.schedules.len(), 2);
    assert_eq!(dev.schedules[0].time_zone.as_deref(), Some("Europe/Berlin"));
    assert_eq!(g.metrics.len(), 13);
    assert_eq!(g.tags.get("managed-by").map(String::as_str), Some("scalec"));
}
