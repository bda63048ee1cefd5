//! The simulator against small traces worked out by hand.

use super::*;
use crate::source::SourceMap;

/// Simulates `group` (a group's statements) with the default settings.
fn run(group: &str, cpu: &[f64]) -> Outcome {
    run_with(group, cpu, &Settings::default()).0
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

/// Compiles `group` (a group's statements) into a one-environment spec,
/// simulates it over `cpu` (one row a minute) with `settings`, and returns
/// the outcome and the warnings.
fn run_with(group: &str, cpu: &[f64], settings: &Settings) -> (Outcome, Vec<Diagnostic>) {
    let spec = format!(
        "app \"t\"\nparam lt: launch_template_id\nparam subnets: list<subnet_id>\nenvironment production {{}}\ntopic critical {{}}\ntopic warning {{}}\ngroup web {{\n  launch_template = param.lt\n  launch_template_version = 1\n  subnets = param.subnets\n{group}\n}}\n"
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
    simulate(env, &env.groups[0], &trace, settings)
}

const TRACKING: &str = "  capacity = 1..10\n  desired = 2\n  warmup = 2m\n  policy cpu target_tracking { metric = ec2.cpu target = 50% }\n";

#[test]
fn a_launch_hook_adds_its_wait_to_every_launch() {
    // CPU 90% per instance from minute 0: the policy asks for 4 at minute 2.
    // Without hooks the two new instances are in service at 2 + 2 = 4; the
    // hook's 5 minute timeout (nothing answers it) moves that to 9.
    let cpu = [180.0; 14];
    let (plain, _) = run_with(TRACKING, &cpu, &Settings::default());
    assert_eq!(in_service(&plain)[3..6], [2, 4, 4]);
    let hooked = format!("{TRACKING}  hook boot launch {{ timeout = 5m }}\n");
    let (o, _) = run_with(&hooked, &cpu, &Settings::default());
    assert_eq!(o.hook_wait_seconds, Some(300));
    assert_eq!(o.events[0].minute, 2);
    assert_eq!(in_service(&o)[7..11], [2, 2, 4, 4]);
    // --hook-wait says how long the hook really takes.
    let quick = Settings {
        hook_wait: Some(60),
        ..Settings::default()
    };
    let (o, _) = run_with(&hooked, &cpu, &quick);
    assert_eq!(in_service(&o)[4..6], [2, 4]);
    // A terminate hook doesn't delay launches.
    let drain = format!("{TRACKING}  hook drain terminate {{ timeout = 5m }}\n");
    let (o, _) = run_with(&drain, &cpu, &Settings::default());
    assert_eq!(o.hook_wait_seconds, None);
    assert_eq!(in_service(&o), in_service(&plain));
}

#[test]
fn instances_from_a_warm_pool_are_in_service_after_the_warm_launch_delay() {
    // The pool holds max - desired = 8 prepared instances; the scale-out at
    // minute 2 takes two of them, in service a minute later, even behind
    // the 5 minute launch hook, which ran when they were prepared.
    let cpu = [180.0; 12];
    let spec =
        format!("{TRACKING}  warm_pool = {{ min = 0 }}\n  hook boot launch {{ timeout = 5m }}\n");
    let (o, _) = run_with(&spec, &cpu, &Settings::default());
    assert_eq!(in_service(&o)[2..5], [2, 4, 4]);
    let pool = o.warm_pool.expect("a warm pool");
    assert_eq!(pool.instances_from_pool, 2);
    assert_eq!(pool.state, "Stopped");
    // A pool of one: the second instance is a fresh launch behind the hook.
    let small = format!(
        "{TRACKING}  warm_pool = {{ min = 1  max_prepared = 3 }}\n  hook boot launch {{ timeout = 5m }}\n"
    );
    let (o, _) = run_with(&small, &cpu, &Settings::default());
    assert_eq!(in_service(&o)[2..10], [2, 3, 3, 3, 3, 3, 3, 4]);
    assert_eq!(o.warm_pool.map(|p| p.instances_from_pool), Some(1));
}

/// A fixed fleet of 10 with `refresh`, refreshed from minute 0.
fn refreshed(refresh: &str) -> Outcome {
    let spec = format!("  capacity = 10..10\n  desired = 10\n  refresh = {{ {refresh} }}\n");
    let settings = Settings {
        refresh_at: Some(0),
        ..Settings::default()
    };
    run_with(&spec, &[50.0; 50], &settings).0
}

#[test]
fn a_refresh_replaces_in_batches_and_keeps_the_minimum_healthy() {
    // 90%..100%: one instance at a time, terminated first. Each batch is
    // back in service 2 minutes later and warm 1 minute after that, when
    // the next starts: 10 batches, the last warm at minute 30.
    let o = refreshed("healthy = 90%..100%  warmup = 1m");
    let r = o.refresh.clone().expect("a refresh");
    assert_eq!((r.replaced, r.total), (10, 10));
    assert_eq!(r.finished_minute, Some(30));
    assert_eq!((r.lowest_in_service, r.peak_running), (9, 10));
    assert_eq!(in_service(&o)[0..4], [9, 9, 10, 9]);
    assert!(in_service(&o)[30..].iter().all(|&n| n == 10));
    // 100%..110%: the replacement launches first, so the fleet never dips.
    let r = refreshed("healthy = 100%..110%  warmup = 1m")
        .refresh
        .expect("a refresh");
    assert_eq!((r.lowest_in_service, r.peak_running), (10, 11));
    assert_eq!(r.finished_minute, Some(30));
    // 50%..100%: five at a time, two batches.
    let r = refreshed("healthy = 50%..100%  warmup = 1m")
        .refresh
        .expect("a refresh");
    assert_eq!((r.lowest_in_service, r.finished_minute), (5, Some(6)));
}

#[test]
fn a_refresh_checkpoint_pauses_for_its_delay() {
    // Half replaced after the fifth batch (launched at minute 12, warm at
    // 15); the checkpoint holds the next batch until 15 + 10 = 25. Five
    // more batches, 3 minutes each: done at 40.
    let o = refreshed(
        "healthy = 90%..100%  warmup = 1m  checkpoints = [50%, 100%]  checkpoint_delay = 10m",
    );
    let r = o.refresh.clone().expect("a refresh");
    assert_eq!(r.finished_minute, Some(40));
    assert!(in_service(&o)[15..25].iter().all(|&n| n == 10));
    assert_eq!(in_service(&o)[25], 9);
}

#[test]
fn schedules_replay_at_their_local_time_when_the_trace_has_a_start() {
    // 19:00 in Berlin on Monday 2026-11-30 is 18:00 UTC: minute 5 of a trace
    // starting at 17:55 UTC.
    let spec = format!(
        "{TRACKING}  schedule night {{ cron = \"0 19 * * MON-FRI\"  timezone = \"Europe/Berlin\"  capacity = 1..1  desired = 1 }}\n"
    );
    let start: jiff::Timestamp = "2026-11-30T17:55:00Z".parse().expect("a timestamp");
    let settings = Settings {
        start: Some(start),
        ..Settings::default()
    };
    let (o, diags) = run_with(&spec, &[60.0; 10], &settings);
    assert!(diags.iter().all(|d| d.code != SCHEDULES), "{diags:?}");
    assert_eq!(desired(&o)[4..8], [2, 2, 1, 1]);
    assert_eq!(o.events[0].minute, 5);
    assert_eq!(o.events[0].policy, "schedule night");
    assert_eq!(o.schedules[0].times_run, 1);
    // The next day it's a Tuesday, and it runs again; on a Saturday it doesn't.
    let saturday = Settings {
        start: Some("2026-12-05T17:55:00Z".parse().expect("a timestamp")),
        ..Settings::default()
    };
    let (o, _) = run_with(&spec, &[60.0; 10], &saturday);
    assert_eq!(o.schedules[0].times_run, 0);
    // Without a start, a note says they aren't replayed.
    let (o, diags) = run_with(&spec, &[60.0; 10], &Settings::default());
    assert!(o.schedules.is_empty() && o.events.is_empty());
    assert!(diags.iter().any(|d| d.code == SCHEDULES));
}

#[test]
fn a_schedules_new_minimum_raises_desired() {
    let spec = format!("{TRACKING}  schedule floor {{ cron = \"0 8 * * *\"  capacity = 4..10 }}\n");
    let settings = Settings {
        start: Some("2026-11-30T07:59:00Z".parse().expect("a timestamp")),
        ..Settings::default()
    };
    let (o, _) = run_with(&spec, &[60.0; 4], &settings);
    assert_eq!(desired(&o), [2, 2, 4, 4]);
}
