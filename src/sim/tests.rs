//! The simulator against small traces worked out by hand.

use super::*;
use crate::source::SourceMap;

/// Compiles `body` (a group's statements) into a one-environment spec and
/// simulates it over `rows` of `minute,cpu`.
fn run(group: &str, cpu: &[f64]) -> Outcome {
    let spec = format!(
        "app \"t\"\nparam lt: launch_template_id\nparam subnets: list<subnet_id>\nenvironment production {{}}\ntopic critical {{}}\ntopic warning {{}}\ngroup web {{\n  launch_template = param.lt\n  subnets = param.subnets\n{group}\n}}\n"
    );
    let c = crate::compile("t.scale", &spec, &crate::check::Options::default());
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
    let env = &c.spec.environments[0];
    let mut csv = String::from("minute,cpu\n");
    for (i, v) in cpu.iter().enumerate() {
        csv.push_str(&format!("{i},{v}\n"));
    }
    let mut sources = SourceMap::new();
    let id = sources.add("t.csv", csv, false);
    let (trace, _) = trace::parse(&sources, id).expect("trace parses");
    let (o, _) = simulate(env, &env.groups[0], &trace, &Settings::default());
    o
}

fn desired(o: &Outcome) -> Vec<u32> {
    o.timeline.iter().map(|m| m.desired).collect()
}

fn in_service(o: &Outcome) -> Vec<u32> {
    o.timeline.iter().map(|m| m.in_service).collect()
}

#[test]
fn target_tracking_scales_out_in_proportion_after_three_minutes() {
    // 2 instances, CPU demand 80 then 180 (90% each), target 50%.
    // Minutes 3, 4, 5 are above target; at minute 5 it asks for
    // ceil(2 * 90 / 50) = 4. The two new instances are in service after the
    // 2 minute launch delay (minute 7) and warm 2 minutes later (minute 9),
    // when CPU per instance drops to 45%. Meanwhile the policy asks for 4
    // again each minute, which is no change.
    let o = run(
        "  capacity = 1..10\n  desired = 2\n  warmup = 2m\n  policy cpu target_tracking { metric = ec2.cpu target = 50% }",
        &[
            80.0, 80.0, 80.0, 180.0, 180.0, 180.0, 180.0, 180.0, 180.0, 180.0, 180.0, 180.0,
        ],
    );
    assert_eq!(desired(&o), vec![2, 2, 2, 2, 2, 2, 4, 4, 4, 4, 4, 4]);
    assert_eq!(in_service(&o), vec![2, 2, 2, 2, 2, 2, 2, 4, 4, 4, 4, 4]);
    let cpu: Vec<f64> = o.timeline.iter().filter_map(|m| m.cpu).collect();
    assert_eq!(cpu[3..10], [90.0, 90.0, 90.0, 90.0, 90.0, 90.0, 45.0]);
    assert_eq!((o.scale_out_events, o.scale_in_events), (1, 0));
    assert_eq!(o.events[0].minute, 5);
    assert_eq!(o.minutes_over_target, 6);
}

#[test]
fn step_breaches_in_the_same_step_during_warmup_add_nothing_more() {
    // 100% CPU on 2 instances: the alarm is in ALARM every minute, but the
    // +1 is counted from the warm capacity (2), so it adds one instance once.
    // Once that instance is warm (minute 0 + 2 + 2), CPU is 66.7%.
    let o = run(
        "  capacity = 1..10\n  desired = 2\n  warmup = 2m\n  policy busy step { metric = ec2.cpu period = 1m evaluate = 2\n    70%.. => +1 }",
        &[200.0; 10],
    );
    assert_eq!(desired(&o), vec![2, 2, 3, 3, 3, 3, 3, 3, 3, 3]);
    assert_eq!(o.scale_out_events, 1);
    // a bigger step adds the difference: 3 more at 20 points past 70%
    let o = run(
        "  capacity = 1..10\n  desired = 2\n  warmup = 5m\n  policy busy step { metric = ec2.cpu period = 1m evaluate = 1\n    70%..90% => +1\n    90%.. => +3 }",
        &[170.0, 170.0, 200.0, 200.0],
    );
    // 85%: 2 + 1 = 3; 85% again: no change; 100%: warm 2 + 3 = 5
    assert_eq!(desired(&o), vec![2, 3, 3, 5]);
}

#[test]
fn simple_scaling_waits_for_the_launch_and_its_cooldown() {
    // Fires at minute 0; the launch takes 2 minutes, then the 5 minute
    // cooldown: the next action is at minute 7, then 14.
    let o = run(
        "  capacity = 1..10\n  desired = 2\n  warmup = 30m\n  policy add simple { when = ec2.cpu > 70% adjust = +1 cooldown = 5m }",
        &[200.0; 16],
    );
    let minutes: Vec<i64> = o.events.iter().map(|e| e.minute).collect();
    assert_eq!(minutes, vec![0, 7, 14]);
    assert_eq!(o.timeline[15].desired, 5);
}

#[test]
fn target_tracking_scales_in_after_fifteen_minutes_below_ninety_percent() {
    // 4 instances at 20% with a 50% target: 15 minutes below 45%, then it
    // keeps ceil(4 * 20 / 45) = 2, so the metric stays under the 45% line.
    let o = run(
        "  capacity = 1..10\n  desired = 4\n  warmup = 1m\n  policy cpu target_tracking { metric = ec2.cpu target = 50% }",
        &[80.0; 20],
    );
    assert_eq!(o.events.len(), 1);
    assert_eq!((o.events[0].minute, o.events[0].to), (14, 2));
    assert_eq!(o.timeline[15].desired, 2);
    assert_eq!(o.timeline[15].cpu, Some(40.0));
}

#[test]
fn scale_out_wins_and_no_scale_in_runs_while_instances_warm_up() {
    // Scale-out at 60%, scale-in below 70%: at 65% both alarms fire, the
    // scale-out wins; the scale-in waits for the new instance to warm up,
    // then removes it, and the cycle repeats: the group thrashes.
    let o = run(
        "  capacity = 1..10\n  desired = 4\n  warmup = 2m\n  policy busy step { metric = ec2.cpu period = 1m evaluate = 1\n    60%.. => +1 }\n  policy idle step { metric = ec2.cpu period = 1m evaluate = 1\n    ..70% => -1 }",
        &[260.0; 30],
    );
    assert!(o.events[0].direction == Direction::Out, "{:?}", o.events);
    for w in o.events.windows(2) {
        assert_ne!(w[0].direction, w[1].direction, "{:?}", o.events);
        if w[0].direction == Direction::Out {
            // launch 2 + warmup 2 before a scale-in may start
            assert!(w[1].minute - w[0].minute >= 4, "{:?}", o.events);
        }
    }
    assert!(o.thrash_events >= 4, "{}", o.thrash_events);
}

#[test]
fn percent_steps_round_like_aws_and_respect_min_magnitude_and_max() {
    // +30% of 3 = 0.9, which rounds to 1, but the minimum magnitude is 2.
    let o = run(
        "  capacity = 1..6\n  desired = 3\n  warmup = 1m\n  policy busy step { metric = ec2.cpu period = 1m evaluate = 1 min_magnitude = 2\n    70%.. => +30% }",
        &[300.0, 300.0, 300.0, 300.0, 300.0, 300.0, 300.0],
    );
    // 3 -> 5 at minute 0; warm at minute 3 (60%, no breach)
    assert_eq!(desired(&o)[..4], [3, 5, 5, 5]);
    let o = run(
        "  capacity = 1..6\n  desired = 5\n  warmup = 1m\n  policy busy step { metric = ec2.cpu period = 1m evaluate = 1 min_magnitude = 2\n    70%.. => +30% }",
        &[500.0, 500.0],
    );
    // 5 + max(1, 2) = 7, clamped to the maximum 6
    assert_eq!(desired(&o), vec![5, 6]);
}

#[test]
fn alarm_math_follows_the_group_size() {
    let o = run(
        "  capacity = 1..3\n  desired = 3\n  metrics = all\n  alarm full critical { when = group.in_service >= capacity.max for = 2m }\n  alarm big warning { when = group.in_service >= 50% of capacity.max for = 1m }",
        &[10.0; 4],
    );
    assert_eq!(o.alarms[0].times_fired, 1);
    assert_eq!(o.alarms[0].minutes_in_alarm, 3);
    assert_eq!(o.alarms[1].minutes_in_alarm, 4);
}

#[test]
fn slowdown_starts_at_seventy_percent_and_is_capped() {
    assert_eq!(slowdown(0.5), 1.0);
    assert_eq!(slowdown(0.7), 1.0);
    assert!((slowdown(0.85) - 2.0).abs() < 1e-9);
    assert_eq!(slowdown(1.5), 50.0);
}

#[test]
fn a_scale_in_step_includes_its_threshold() {
    // `..20%` alarms at 20% or less, and 20% exactly falls in the step.
    let o = run(
        "  capacity = 1..10\n  desired = 4\n  warmup = 1m\n  policy calm step { metric = ec2.cpu period = 1m evaluate = 1\n    ..20% => -1 }",
        &[80.0, 80.0, 80.0],
    );
    assert_eq!(desired(&o), vec![4, 3, 3]);
}

#[test]
fn the_groups_price_gives_the_cost() {
    let o = run(
        "  capacity = 1..10\n  desired = 2\n  price = 0.5",
        &[10.0; 60],
    );
    assert_eq!(o.instance_hours, 2.0);
    assert_eq!(o.cost, Some(1.0));
}
