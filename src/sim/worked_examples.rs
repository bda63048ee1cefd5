//! The simulator against the worked examples of the Amazon EC2 Auto
//! Scaling User Guide and API reference, one test each, citing its page.
//! Where a page states a rule with numbers, the trace puts the group in
//! exactly that situation and the test asserts AWS's numbers.

use super::*;
use crate::analysis::percent_change;
use crate::source::SourceMap;

// Pages are named by their file under
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/ (the user guide)
// or https://docs.aws.amazon.com/autoscaling/ec2/APIReference/ (API_*).

/// Simulates a one-group spec (`group`: the group's statements) over a
/// trace given as CSV rows after the header `columns`.
fn run(group: &str, columns: &str, rows: &[String], settings: &Settings) -> Outcome {
    let spec = format!(
        "app \"t\"\nparam lt: launch_template_id\nparam subnets: list<subnet_id>\nenvironment production {{}}\ngroup web {{\n  launch_template = param.lt\n  launch_template_version = 1\n  subnets = param.subnets\n{group}\n}}\n"
    );
    let c = crate::compile("t.scale", &spec, &crate::check::Options::default());
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
    let env = &c.spec.environments[0];
    let mut csv = format!("minute,{columns}\n");
    for (i, r) in rows.iter().enumerate() {
        csv.push_str(&format!("{i},{r}\n"));
    }
    let mut sources = SourceMap::new();
    let id = sources.add("t.csv", csv, false);
    let (trace, _) = trace::parse(&sources, id).expect("trace parses");
    simulate(env, &env.groups[0], &trace, settings).0
}

/// CPU demand minute by minute: `(minutes, total)` pieces.
fn cpu(pieces: &[(usize, f64)]) -> Vec<String> {
    pieces
        .iter()
        .flat_map(|(n, v)| std::iter::repeat_n(format!("{v}"), *n))
        .collect()
}

/// Each capacity change: (minute, from, to).
fn changes(o: &Outcome) -> Vec<(i64, u32, u32)> {
    o.events.iter().map(|e| (e.minute, e.from, e.to)).collect()
}

#[test]
fn step_adjustments_ten_to_eleven_to_fourteen_then_thirteen_then_ten() {
    // as-scaling-simple-step.html, "Step adjustments for step scaling": a
    // group of 10 scales out 10% at 60% and 30% at 70%, in 10% at 40% and
    // 30% at 30%. At 60%: +1, 11. At 70% on 11: 3.3, rounded down, +3,
    // 14. At 40% on 14: 1.4, -1, 13. At 30% on 13: 3.9, -3, 10.
    let o = run(
        "  capacity = 10..20\n  desired = 10\n  warmup = 1m\n  policy out step { metric = ec2.cpu period = 1m evaluate = 1\n    60%..70% => +10%\n    70%.. => +30% }\n  policy in step { metric = ec2.cpu period = 1m evaluate = 1\n    30%..40% => -10%\n    ..30% => -30% }",
        "cpu",
        &cpu(&[(3, 500.0), (5, 600.0), (5, 770.0), (4, 560.0), (3, 390.0)]),
        &Settings::default(),
    );
    assert_eq!(
        changes(&o),
        vec![(3, 10, 11), (8, 11, 14), (13, 14, 13), (17, 13, 10)]
    );
}

#[test]
fn percent_changes_round_as_the_adjustment_types_page_says() {
    // as-scaling-simple-step.html, "Scaling adjustment types":
    // PercentChangeInCapacity above 1 rounds down (12.7 -> 12), between 0
    // and 1 to 1 (0.67 -> 1), between 0 and -1 to -1 (-0.58 -> -1), below
    // -1 up (-6.67 -> -6).
    assert_eq!(percent_change(10, 127, None), 12);
    assert_eq!(percent_change(1, 67, None), 1);
    assert_eq!(percent_change(1, -58, None), -1);
    assert_eq!(percent_change(29, -23, None), -6);
}

#[test]
fn the_minimum_magnitude_lifts_twenty_five_percent_of_four_to_two() {
    // API_PutScalingPolicy.html, MinAdjustmentMagnitude: 25% of 4 is 1,
    // and a minimum magnitude of 2 adds 2.
    let o = run(
        "  capacity = 1..10\n  desired = 4\n  warmup = 1m\n  policy out step { metric = ec2.cpu period = 1m evaluate = 1 min_magnitude = 2\n    70%.. => +25% }",
        "cpu",
        &cpu(&[(1, 320.0)]),
        &Settings::default(),
    );
    assert_eq!(changes(&o), vec![(0, 4, 6)]);
}

#[test]
fn a_breach_in_the_same_step_while_warming_adds_nothing_and_a_bigger_step_adds_the_difference() {
    // as-scaling-simple-step.html, "Instance warmup": 10 instances, +10%
    // at 60%, +30% at 70%. At 60%, desired 11; at 62% while the new
    // instance warms up, still 11 (same step, counted from the current 10);
    // at 70% while it warms, 30% of the current 10: 13.
    let o = run(
        "  capacity = 1..20\n  desired = 10\n  warmup = 10m\n  policy out step { metric = ec2.cpu period = 1m evaluate = 1\n    60%..70% => +10%\n    70%.. => +30% }",
        "cpu",
        &cpu(&[(1, 600.0), (2, 620.0), (1, 700.0)]),
        &Settings::default(),
    );
    assert_eq!(changes(&o), vec![(0, 10, 11), (3, 11, 13)]);
}

#[test]
fn of_two_policies_at_once_the_larger_capacity_wins() {
    // as-scale-based-on-demand.html, "Multiple dynamic scaling policies":
    // when several policies fire, the one that gives the largest capacity
    // is chosen. On 12 instances, +4 against +25% (3): 16.
    let o = run(
        "  capacity = 1..30\n  desired = 12\n  warmup = 1m\n  policy four step { metric = ec2.cpu period = 1m evaluate = 1\n    70%.. => +4 }\n  policy quarter step { metric = ec2.cpu period = 1m evaluate = 1\n    70%.. => +25% }",
        "cpu",
        &cpu(&[(1, 960.0)]),
        &Settings::default(),
    );
    assert_eq!(changes(&o), vec![(0, 12, 16)]);
    assert_eq!(
        o.policies.iter().map(|p| p.actions).collect::<Vec<_>>(),
        vec![1, 0]
    );
}

#[test]
fn of_two_scale_ins_at_once_the_one_leaving_more_wins() {
    // as-scale-based-on-demand.html, "Multiple dynamic scaling policies":
    // for scale-in too, the policy that leaves the largest capacity.
    let o = run(
        "  capacity = 1..30\n  desired = 12\n  warmup = 1m\n  policy one step { metric = ec2.cpu period = 1m evaluate = 1\n    ..20% => -1 }\n  policy half step { metric = ec2.cpu period = 1m evaluate = 1\n    ..20% => -50% }",
        "cpu",
        &cpu(&[(1, 120.0)]),
        &Settings::default(),
    );
    assert_eq!(changes(&o), vec![(0, 12, 11)]);
}

#[test]
fn target_tracking_rounds_the_capacity_it_adds_up() {
    // as-scaling-target-tracking.html: scale-out rounds up. 10 instances at
    // 66% against 50% need 13.2: 14, after three minutes above target.
    let o = run(
        "  capacity = 1..20\n  desired = 10\n  warmup = 1m\n  policy cpu target_tracking { metric = ec2.cpu target = 50% }",
        "cpu",
        &cpu(&[(3, 660.0)]),
        &Settings::default(),
    );
    assert_eq!(changes(&o), vec![(2, 10, 14)]);
}

#[test]
fn target_tracking_rounds_the_capacity_it_removes_down() {
    // as-scaling-target-tracking.html: when 1.5 instances could be
    // removed, one is. 10 instances at 42.5% against 50% need 8.5: after
    // 15 minutes below 90% of the target, 9.
    let o = run(
        "  capacity = 1..20\n  desired = 10\n  warmup = 1m\n  policy cpu target_tracking { metric = ec2.cpu target = 50% }",
        "cpu",
        &cpu(&[(30, 425.0)]),
        &Settings::default(),
    );
    assert_eq!(changes(&o)[0], (14, 10, 9));
    assert_eq!(
        o.timeline[16].cpu.map(|c| (c * 10.0).round() / 10.0),
        Some(47.2)
    );
}

#[test]
fn several_target_tracking_policies_scale_in_only_when_all_are_ready() {
    // as-scaling-target-tracking.html, "Multiple target tracking scaling
    // policies": scale-in happens only when every policy is ready to scale
    // in. CPU is far below its target; memory is at its own: nothing goes.
    let rows: Vec<String> = (0..30).map(|_| "100,280".to_string()).collect();
    let o = run(
        "  capacity = 1..20\n  desired = 4\n  warmup = 1m\n  policy cpu target_tracking { metric = ec2.cpu target = 60% }\n  policy memory target_tracking { metric = cwagent.memory target = 70% }",
        "cpu,memory",
        &rows,
        &Settings::default(),
    );
    assert_eq!(changes(&o), vec![]);
}

#[test]
fn capacity_never_leaves_min_and_max() {
    // asg-capacity-limits.html: scaling policies can't take desired capacity
    // above the maximum or below the minimum. +30 on 8 of at most 10: 10;
    // -30 on 10 of at least 2: 2.
    let o = run(
        "  capacity = 2..10\n  desired = 8\n  warmup = 1m\n  policy out step { metric = ec2.cpu period = 1m evaluate = 1\n    70%.. => +30 }\n  policy in step { metric = ec2.cpu period = 1m evaluate = 1\n    ..10% => -30 }",
        "cpu",
        &cpu(&[(1, 800.0), (6, 900.0), (2, 50.0)]),
        &Settings::default(),
    );
    assert_eq!(changes(&o), vec![(0, 8, 10), (7, 10, 2)]);
    assert!(o.timeline.iter().all(|m| (2..=10).contains(&m.desired)));
}

#[test]
fn exact_capacity_sets_the_number() {
    // as-scaling-simple-step.html, "Scaling adjustment types": ExactCapacity
    // changes the capacity to the value given: 3 to 6.
    let o = run(
        "  capacity = 1..10\n  desired = 3\n  warmup = 1m\n  policy out step { metric = ec2.cpu period = 1m evaluate = 1\n    70%.. => exactly 6 }",
        "cpu",
        &cpu(&[(1, 270.0)]),
        &Settings::default(),
    );
    assert_eq!(changes(&o), vec![(0, 3, 6)]);
}

#[test]
fn a_simple_policy_waits_for_its_cooldown_after_the_activity() {
    // ec2-auto-scaling-scaling-cooldowns.html: after a simple policy's
    // scaling activity, the group waits for the cooldown (here 5 minutes,
    // after the 2-minute launch) before the policy acts again.
    let o = run(
        "  capacity = 1..10\n  desired = 2\n  warmup = 30m\n  policy add simple { when = ec2.cpu > 70% adjust = +1 cooldown = 5m }",
        "cpu",
        &cpu(&[(10, 200.0)]),
        &Settings::default(),
    );
    assert_eq!(
        o.events.iter().map(|e| e.minute).collect::<Vec<_>>(),
        vec![0, 7]
    );
}

#[test]
fn terminating_instances_hold_back_the_next_scale_in() {
    // as-scaling-simple-step.html: terminating instances count as current
    // capacity, and no further step scale-in runs while they terminate. A
    // scale-in alarm that stays in ALARM removes one instance, then the
    // next only once the first is gone (5 minutes here).
    let settings = Settings {
        terminate_delay: Some(300),
        ..Settings::default()
    };
    let group = "  capacity = 1..10\n  desired = 8\n  warmup = 1m\n  policy in step { metric = ec2.cpu period = 1m evaluate = 1\n    ..20% => -1 }";
    let o = run(group, "cpu", &cpu(&[(12, 80.0)]), &settings);
    assert_eq!(
        o.events.iter().map(|e| e.minute).collect::<Vec<_>>(),
        vec![0, 5, 10]
    );
    assert_eq!(o.terminate_delay_seconds, 300);
    // Without a delay the alarm removes one every minute.
    let instant = Settings {
        terminate_delay: Some(0),
        ..Settings::default()
    };
    let o = run(group, "cpu", &cpu(&[(4, 80.0)]), &instant);
    assert_eq!(
        o.events.iter().map(|e| e.minute).collect::<Vec<_>>(),
        vec![0, 1, 2, 3]
    );
}

#[test]
fn a_scale_in_step_holds_its_upper_bound_and_not_its_lower() {
    // API_StepAdjustment.html: below the threshold the lower bound is
    // exclusive and the upper inclusive. With a threshold of 50 and a step
    // of -10..0, 50 is in it and 40 isn't.
    let o = run(
        "  capacity = 1..20\n  desired = 10\n  warmup = 1m\n  policy in step { metric = ec2.cpu period = 1m evaluate = 1\n    40%..50% => -1\n    ..40% => -3 }",
        "cpu",
        &cpu(&[(1, 500.0), (3, 760.0), (1, 360.0)]),
        &Settings::default(),
    );
    // 50% on 10: the -1 step; 40% on 9: the -3 step.
    assert_eq!(changes(&o), vec![(0, 10, 9), (4, 9, 6)]);
}
