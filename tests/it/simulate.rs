//! `scalec simulate` on the real binary: the example traces, the thrash
//! case, the outputs (JSON, CSV, SVG) and bad traces.

use super::*;

const TRACES: &[&str] = &["diurnal-week", "flash-crowd", "slow-ramp"];
const ENVS: &[&str] = &["production", "staging", "development"];

fn simulate(spec: &str, env: &str, trace: &str, extra: &[&str]) -> serde_json::Value {
    let trace = format!("examples/traces/{trace}.csv");
    let mut args = vec![
        "simulate", spec, "--env", env, "--trace", &trace, "--format", "json",
    ];
    args.extend_from_slice(extra);
    let (code, out, err) = scalec(&args);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON summary");
    // `{"groups": [...]}` whatever the number of groups; these specs have one.
    let groups = v["groups"].as_array().expect("a list of groups");
    assert_eq!(groups.len(), 1, "{spec}: one group");
    groups[0].clone()
}

/// Every reversal (a change undone within 15 minutes) is of one instance:
/// the wobble AWS's documented rounding gives on a noisy load (a scale-in
/// rounded down leaves the metric just under its target, and noise lifts
/// it over for a few minutes), not a fight that moves the fleet back and
/// forth by several.
fn only_one_instance_wobbles(v: &serde_json::Value, what: &str) {
    let events = v["events"].as_array().expect("events");
    for w in events.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if a["direction"] == b["direction"]
            || b["minute"].as_i64() > a["minute"].as_i64().map(|m| m + 15)
        {
            continue;
        }
        let step = |e: &serde_json::Value| {
            (e["to"].as_i64().unwrap_or(0) - e["from"].as_i64().unwrap_or(0)).abs()
        };
        assert!(
            step(a) == 1 && step(b) == 1,
            "{what}: a fight, not a wobble: {a} then {b}"
        );
    }
}

#[test]
fn the_seed_configuration_never_fights_on_any_example_trace() {
    for env in ENVS {
        for trace in TRACES {
            let what = format!("{env} {trace}");
            let v = simulate("examples/macro-ai.scale", env, trace, &[]);
            only_one_instance_wobbles(&v, &what);
            assert!(
                v["scale_out_events"].as_u64() > Some(0),
                "{what} never scaled out"
            );
        }
    }
    // The flash crowd has no noise to wobble on.
    let v = simulate("examples/macro-ai.scale", "production", "flash-crowd", &[]);
    assert_eq!(v["thrash_events"], 0, "{:#}", v["events"]);
}

#[test]
fn a_thrashing_spec_is_flagged_by_check_and_oscillates_in_simulate() {
    let (code, _, err) = scalec(&["check", "tests/sim/thrash.scale"]);
    assert_eq!(code, 0, "warnings don't fail check: {err}");
    assert!(err.contains("scale::lint::step_in_near_target"), "{err}");
    let (code, _, _) = scalec(&["check", "tests/sim/thrash.scale", "--deny-warnings"]);
    assert_eq!(code, 1);
    for trace in TRACES {
        let v = simulate("tests/sim/thrash.scale", "production", trace, &[]);
        let thrash = v["thrash_events"].as_u64().expect("count");
        assert!(thrash >= 5, "{trace}: only {thrash} thrash events");
        // it oscillates: most capacity changes reverse the previous one
        let events = v["events"].as_array().expect("events");
        let reversals = events
            .windows(2)
            .filter(|w| w[0]["direction"] != w[1]["direction"])
            .count();
        assert!(
            reversals * 2 >= events.len(),
            "{trace}: {reversals} of {}",
            events.len()
        );
    }
}

#[test]
fn the_design_documents_literal_cpu_steps_thrash_where_the_examples_barely_wobble() {
    // tests/ui/lint_step_below_target.scale holds the design's 50-70% +1
    // steps next to a 60% CPU target.
    let literal = simulate(
        "tests/ui/lint_step_below_target.scale",
        "production",
        "diurnal-week",
        &[],
    );
    let thrash = literal["thrash_events"].as_u64().unwrap_or(0);
    let example = simulate("examples/macro-ai.scale", "production", "diurnal-week", &[]);
    let calm = example["thrash_events"].as_u64().unwrap_or(0);
    // The literal steps fight target tracking all week; the example only
    // wobbles by an instance now and then.
    assert!(
        thrash > 10 * calm.max(1),
        "literal {thrash}, example {calm}"
    );
    only_one_instance_wobbles(&example, "example");
}

#[test]
fn summaries_of_the_example_traces_match_their_snapshots() {
    for trace in TRACES {
        let path = format!("examples/traces/{trace}.csv");
        let (code, out, err) = scalec(&[
            "simulate",
            "examples/macro-ai.scale",
            "--env",
            "production",
            "--trace",
            &path,
            "--price",
            "0.0832",
        ]);
        assert_eq!(code, 0, "{err}");
        insta::with_settings!({ snapshot_path => "snapshots/simulate", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("macro-ai.production.{trace}"), out);
        });
    }
}

#[test]
fn json_has_the_summary_keys_and_a_timeline_per_minute() {
    let v = simulate(
        "examples/macro-ai.scale",
        "staging",
        "flash-crowd",
        &["--price", "0.1"],
    );
    for key in [
        "peak_capacity",
        "lowest_capacity",
        "instance_hours",
        "minutes_overloaded",
        "scale_out_events",
        "scale_in_events",
        "thrash_events",
        "minutes_over_target",
        "cost",
        "timeline",
    ] {
        assert!(!v[key].is_null(), "missing {key}");
    }
    let tl = v["timeline"].as_array().expect("timeline");
    assert_eq!(tl.len(), 360);
    for (i, m) in tl.iter().enumerate() {
        assert_eq!(m["minute"], i as u64);
        for k in [
            "desired",
            "in_service",
            "cpu",
            "memory",
            "requests_per_target",
            "response_time",
        ] {
            assert!(m[k].is_number(), "minute {i} lacks {k}");
        }
    }
    let peak = tl.iter().filter_map(|m| m["desired"].as_u64()).max();
    assert_eq!(v["peak_capacity"].as_u64(), peak);
    let hours = v["instance_hours"].as_f64().expect("hours");
    assert!((v["cost"].as_f64().expect("cost") - hours * 0.1).abs() < 0.01);
    // the same input gives the same bytes
    let again = simulate(
        "examples/macro-ai.scale",
        "staging",
        "flash-crowd",
        &["--price", "0.1"],
    );
    assert_eq!(v, again);
}

#[test]
fn csv_and_svg_outputs_hold_the_timeline_and_the_series() {
    let dir = scratch("simulate-outputs");
    let csv = dir.join("t.csv");
    let svg = dir.join("t.svg");
    // Without --group, files are named after each group, the only one too.
    let (csv_out, svg_out) = (dir.join("t-web.csv"), dir.join("t-web.svg"));
    let v = simulate(
        "examples/macro-ai.scale",
        "production",
        "flash-crowd",
        &[
            "--csv",
            csv.to_str().expect("utf-8"),
            "--svg",
            svg.to_str().expect("utf-8"),
        ],
    );
    assert!(!csv.exists() && !svg.exists(), "no unsuffixed files");
    let text = std::fs::read_to_string(&csv_out).expect("csv written");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "minute,desired,in_service,pending,cpu,memory,requests_per_target,response_time,action"
        )
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 360);
    let actions = rows.iter().filter(|r| !r.ends_with(',')).count();
    assert_eq!(
        actions as u64,
        v["events"].as_array().map(|e| e.len() as u64).unwrap_or(0)
    );

    let text = std::fs::read_to_string(&svg_out).expect("svg written");
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    for id in [
        "load",
        "desired",
        "in_service",
        "metric",
        "actions",
        "target-cpu",
    ] {
        let g = doc
            .descendants()
            .find(|n| n.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("no series `{id}`"));
        let drawn = g.descendants().any(|n| {
            n.attribute("points").is_some() || n.attribute("d").is_some() || n.has_tag_name("line")
        });
        assert!(drawn, "series `{id}` draws nothing");
    }
    let marks = doc
        .descendants()
        .filter(|n| n.has_tag_name("polygon"))
        .count();
    assert_eq!(
        marks as u64,
        v["events"].as_array().map(|e| e.len() as u64).unwrap_or(0)
    );
}

/// `scalec simulate` of the example's production with `trace` and `extra`.
fn simulate_raw(trace: &str, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "simulate",
        "examples/macro-ai.scale",
        "--env",
        "production",
        "--trace",
        trace,
    ];
    args.extend_from_slice(extra);
    scalec(&args)
}

#[test]
fn bad_traces_are_located_errors() {
    let dir = scratch("simulate-bad");
    let cases: &[(&str, &str, &str)] = &[
        ("minute,cpu\n0,100\n1,lots\n", "scale::trace::row", "line 3"),
        (
            "minute,cpu\n0,100\n2,100\n",
            "scale::trace::minute",
            "line 3",
        ),
        ("time,cpu\n0,100\n", "scale::trace::header", "minute"),
        ("minute,cpu\n0,100\n1\n", "scale::trace::row", "line 3"),
    ];
    for (k, (text, code, needle)) in cases.iter().enumerate() {
        let path = dir.join(format!("bad{k}.csv"));
        std::fs::write(&path, text).expect("write");
        let (exit, out, err) = simulate_raw(path.to_str().expect("utf-8"), &[]);
        assert_eq!(exit, 1, "{text}: {err}");
        assert!(out.is_empty(), "no summary on error");
        assert!(err.contains(code) && err.contains(needle), "{text}: {err}");
    }
    // unknown columns are a warning, not an error
    let path = dir.join("extra.csv");
    std::fs::write(&path, "minute,cpu,weather\n0,100,sunny\n1,100,rain\n").expect("write");
    let p = path.to_str().expect("utf-8");
    let (exit, out, err) = simulate_raw(p, &[]);
    assert_eq!(exit, 0, "{err}");
    assert!(err.contains("scale::trace::unknown_column"), "{err}");
    assert!(out.contains("2 minutes"), "{out}");
    // a missing trace, a group that doesn't exist, a start outside capacity
    let (exit, _, err) = simulate_raw("nope.csv", &[]);
    assert_eq!(exit, 1);
    assert!(err.contains("nope.csv"), "{err}");
    let (exit, _, err) = simulate_raw(p, &["--group", "api"]);
    assert_eq!(exit, 2);
    assert!(err.contains("`web`"), "{err}");
    let (exit, _, err) = simulate_raw(p, &["--start-capacity", "50"]);
    assert_eq!(exit, 2);
    assert!(err.contains("2..10"), "{err}");
}

#[test]
fn start_capacity_and_launch_delay_change_the_run() {
    let base = simulate("examples/macro-ai.scale", "production", "flash-crowd", &[]);
    let big = simulate(
        "examples/macro-ai.scale",
        "production",
        "flash-crowd",
        &["--start-capacity", "8"],
    );
    assert_eq!(base["timeline"][0]["desired"], 3);
    assert_eq!(big["timeline"][0]["desired"], 8);
    let slow = simulate(
        "examples/macro-ai.scale",
        "production",
        "flash-crowd",
        &["--launch-delay", "6m"],
    );
    assert_eq!(slow["launch_delay_seconds"], 360);
    assert!(
        slow["minutes_overloaded"].as_u64() > base["minutes_overloaded"].as_u64(),
        "slower launches overload longer: {} vs {}",
        slow["minutes_overloaded"],
        base["minutes_overloaded"]
    );
}

/// `--param`s the spot-fleet example needs.
fn spot_params() -> Vec<String> {
    const USED: &[&str] = &[
        "launch_template",
        "arm_template",
        "subnets",
        "load_balancer",
        "target_group",
        "alert_email",
        "lifecycle_queue",
        "lifecycle_role",
    ];
    super::plan::params_in("us-east-1")
        .into_iter()
        .filter(|(k, _)| USED.contains(&k.as_str()))
        .flat_map(|(k, v)| ["--param".to_string(), format!("{k}={v}")])
        .collect()
}

/// The arguments of `scalec simulate` of the spot-fleet example's
/// production with `extra`.
fn fleet_args(extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "simulate",
        "examples/spot-fleet.scale",
        "--env",
        "production",
        "--trace",
        "examples/traces/flash-crowd.csv",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(spot_params());
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

/// `scalec simulate` of the spot-fleet example's production with `extra`.
fn simulate_fleet(extra: &[&str]) -> (i32, String, String) {
    let args = fleet_args(extra);
    scalec(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

#[test]
fn every_group_is_simulated_without_group_with_a_summary_each() {
    let (code, out, err) = simulate_fleet(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("spot-fleet production / group api:"), "{out}");
    assert!(
        out.contains("spot-fleet production / group workers:"),
        "{out}"
    );
    // Hooks, the warm pool and predictive scaling are said in words.
    assert!(
        out.contains("launch hooks add 2 min to each launch"),
        "{out}"
    );
    assert!(
        out.contains("from the warm pool (stopped) in service 1 min"),
        "{out}"
    );
    assert!(
        out.contains("forecast            predictive       not simulated (AWS's forecast)"),
        "{out}"
    );
    assert!(
        err.contains("policy `forecast` is predictive scaling"),
        "{err}"
    );
    let (code, out, err) = simulate_fleet(&["--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let groups = v["groups"].as_array().expect("a summary per group");
    let names: Vec<&str> = groups.iter().filter_map(|g| g["group"].as_str()).collect();
    assert_eq!(names, ["api", "workers"]);
    assert_eq!(groups[0]["hook_wait_seconds"], 120);
    assert_eq!(groups[1]["warm_pool"]["state"], "Stopped");
    assert_eq!(groups[0]["timeline"].as_array().map(Vec::len), Some(360));
    // One group by name: the same shape, with that group's summary alone.
    let (code, out, _) = simulate_fleet(&["--format", "json", "--group", "workers"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["groups"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["groups"][0]["group"], "workers");
    // With --group, a chart is named as given.
    let dir = scratch("simulate-one-group");
    let one = dir.join("workers.svg");
    let (code, _, err) =
        simulate_fleet(&["--group", "workers", "--svg", one.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    assert!(one.exists(), "named as given");
    // Charts and timelines: one file per group.
    let dir = scratch("simulate-groups");
    let svg = dir.join("load.svg");
    let csv = dir.join("load.csv");
    let (code, _, err) = simulate_fleet(&[
        "--svg",
        svg.to_str().expect("utf-8"),
        "--csv",
        csv.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{err}");
    for g in ["api", "workers"] {
        let svg = std::fs::read_to_string(dir.join(format!("load-{g}.svg"))).expect("svg");
        assert!(svg.starts_with("<svg") && svg.contains(g), "{g}");
        let csv = std::fs::read_to_string(dir.join(format!("load-{g}.csv"))).expect("csv");
        assert_eq!(csv.lines().count(), 361, "{g}: a header and 360 minutes");
    }
    assert!(!svg.exists() && !csv.exists(), "no unsuffixed files");
}

#[test]
fn an_instance_refresh_is_replayed_at_the_given_minute() {
    let (code, out, err) = simulate_fleet(&["--format", "json", "--refresh-at", "30"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let api = &v["groups"][0];
    let r = &api["refresh"];
    assert_eq!(r["started_minute"], 30);
    assert_eq!(
        (
            r["min_healthy_percent"].as_u64(),
            r["max_healthy_percent"].as_u64()
        ),
        (Some(100), Some(120))
    );
    assert!(r["finished_minute"].as_i64().is_some_and(|m| m > 30), "{r}");
    assert_eq!(r["replaced"], r["total"]);
    // Launch before terminate (100%..120%): never below desired at start.
    let desired_then = api["timeline"][30]["desired"].as_u64().expect("desired");
    assert!(r["lowest_in_service"].as_u64() >= Some(desired_then), "{r}");
    assert!(r["peak_running"].as_u64() > Some(desired_then), "{r}");
    // The workers terminate first (90%..100%): one of two goes at once.
    let w = &v["groups"][1]["refresh"];
    assert_eq!(w["lowest_in_service"], 1, "{w}");
    // Outside the trace is a usage error.
    let (code, out, err) = simulate_fleet(&["--refresh-at", "999"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("scale::sim::refresh_at") && err.contains("minute 0 to 359"),
        "{err}"
    );
}

#[test]
fn schedules_are_replayed_from_a_start_date_and_time() {
    // Saturday 2026-12-05 00:00 in New York is 05:00 UTC, an hour after
    // this start: the weekend floor runs at minute 60.
    let (code, out, err) = simulate_fleet(&[
        "--format",
        "json",
        "--group",
        "workers",
        "--start",
        "2026-12-05T04:00Z",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let v = &v["groups"][0];
    assert_eq!(v["start"], "2026-12-05T04:00:00Z");
    assert_eq!(v["schedules"][0]["name"], "weekend_floor");
    assert_eq!(v["schedules"][0]["times_run"], 1);
    assert_eq!(v["schedules"][1]["times_run"], 0);
    // The floor lowers min to 1 and raises max to 20; desired 2 is inside.
    assert_eq!(v["timeline"][61]["desired"], 2);
    assert_eq!(v["events"].as_array().map(Vec::len), Some(0));
    // A zoned start means the same instant.
    let (_, zoned, _) = simulate_fleet(&[
        "--format",
        "json",
        "--group",
        "workers",
        "--start",
        "2026-12-04T23:00[America/New_York]",
    ]);
    let z: serde_json::Value = serde_json::from_str(&zoned).expect("JSON");
    assert_eq!(z["groups"][0]["schedules"], v["schedules"]);
    // Without --start, a note says they aren't replayed.
    let (code, _, err) = simulate_fleet(&["--group", "workers"]);
    assert_eq!(code, 0);
    assert!(err.contains("scheduled actions are not replayed"), "{err}");
    // A start that isn't a date is a usage error.
    let (code, _, err) = simulate_fleet(&["--start", "tomorrow"]);
    assert_eq!(code, 2);
    assert!(err.contains("expected a date and time"), "{err}");
}

#[test]
fn the_runaway_lint_agrees_with_the_simulator() {
    // Six instances' worth of CPU for an hour: 8 instances hold it under
    // the 80% threshold.
    let dir = scratch("runaway-agrees");
    let trace = dir.join("load.csv");
    let mut csv = String::from("minute,cpu\n");
    for m in 0..60 {
        csv.push_str(&format!("{m},600\n"));
    }
    std::fs::write(&trace, csv).expect("trace");
    let spec = |policy: &str| {
        let text = format!(
            r#"app "shop"
param lt: launch_template_id
param subnets: list<subnet_id>
environment production extends std.production {{}}
group web {{
  launch_template = param.lt
  launch_template_version = 1
  subnets = param.subnets
  capacity = 2..20
  desired = 2
  warmup = 5m
  {policy}
}}
"#
        );
        let path = dir.join(format!(
            "{}.scale",
            if policy.contains("simple") {
                "simple"
            } else {
                "step"
            }
        ));
        std::fs::write(&path, text).expect("spec");
        path.display().to_string()
    };
    let peak = |path: &str| {
        let (code, out, err) = scalec(&[
            "simulate",
            path,
            "--env",
            "production",
            "--trace",
            trace.to_str().expect("utf-8"),
            "--format",
            "json",
        ]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        v["groups"][0]["peak_capacity"].as_u64().expect("peak")
    };
    let lints = |path: &str| {
        let (code, _, err) = scalec(&["check", path]);
        assert_eq!(code, 0, "{err}");
        err.contains("scale::lint::runaway")
    };
    // A simple policy acts again after its launch and 1-minute cooldown,
    // before its instances count: it overshoots, and check says so.
    let simple = spec("policy surge simple { when = ec2.cpu > 80%  adjust = +2  cooldown = 1m }");
    assert!(
        peak(&simple) > 8,
        "the simulator runs away: {}",
        peak(&simple)
    );
    assert!(lints(&simple), "check warns of it");
    // A step policy decides every minute, but a breach in the same step
    // while instances warm up adds nothing: it stops at what holds the
    // load, and check says nothing.
    let step =
        spec("policy surge step { metric = ec2.cpu  period = 1m  evaluate = 1  80%.. => +2 }");
    assert_eq!(peak(&step), 8, "the simulator adds only what is needed");
    assert!(!lints(&step), "no runaway warning for a step policy");
}

#[test]
fn a_trace_with_a_header_and_no_rows_is_trace_empty() {
    let dir = scratch("simulate-empty-trace");
    let path = dir.join("empty.csv");
    std::fs::write(&path, "minute,cpu\n").expect("write");
    let (exit, out, err) = simulate_raw(path.to_str().expect("utf-8"), &[]);
    assert_eq!(exit, 1, "{err}");
    assert!(out.is_empty(), "no summary on error: {out}");
    assert_lines(
        &err,
        &[
            "scale::trace::empty",
            "  × the trace has a header but no rows",
            "  help: add one row per minute: `0,120,900`",
        ],
    );
    assert!(err.contains("only a header"), "{err}");
}

#[test]
fn policies_and_alarms_on_metrics_the_trace_lacks_are_sim_unsimulated() {
    // A trace of CPU alone: the memory, request and response-time policies
    // and alarms can't act; the CPU policy can.
    let dir = scratch("simulate-cpu-only");
    let path = dir.join("cpu.csv");
    std::fs::write(&path, "minute,cpu\n0,100\n1,400\n2,400\n").expect("write");
    let trace = path.to_str().expect("utf-8");
    let (exit, out, err) = scalec_wide(&[
        "simulate",
        "examples/macro-ai.scale",
        "--env",
        "production",
        "--trace",
        trace,
    ]);
    assert_eq!(exit, 0, "warnings don't stop a simulation: {err}");
    assert!(out.contains("3 minutes"), "{out}");
    assert_lines(
        &err,
        &[
            "scale::sim::unsimulated",
            "  ⚠ policy `memory` reads `cwagent.memory`, which this trace doesn't give; it doesn't act in the simulation",
            "  ⚠ policy `requests` reads `alb.requests_per_target`, which this trace doesn't give; it doesn't act in the simulation",
            "  ☞ alarms `unhealthy`, `memory_pressure`, `slow` watch metrics this trace doesn't give, so they are not simulated",
        ],
    );
    assert!(
        err.contains("help: the trace's columns give ec2.cpu (`cpu`), cwagent.memory (`memory`)"),
        "{err}"
    );
    assert!(
        !err.contains("policy `cpu` reads"),
        "the CPU policy acts: {err}"
    );
}

#[test]
fn schedules_without_a_start_are_sim_schedules_not_replayed() {
    let args = fleet_args(&["--group", "workers"]);
    let (code, out, err) = scalec_wide(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 0, "a note: {err}");
    assert!(out.contains("group workers"), "{out}");
    assert_lines(
        &err,
        &[
            "scale::sim::schedules",
            "  ☞ scheduled actions are not replayed: the trace's minutes have no date",
            "  help: give the trace's first minute with `--start`, such as `--start 2026-11-30T00:00Z`, to replay them",
        ],
    );
    // With a start, they are.
    let args = fleet_args(&["--group", "workers", "--start", "2026-12-05T04:00Z"]);
    let (code, _, err) = scalec_wide(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("scale::sim::schedules"), "{err}");
}

#[test]
fn a_group_that_is_not_there_is_sim_group() {
    let trace = "examples/traces/flash-crowd.csv";
    let (code, out, err) = simulate_raw(trace, &["--group", "api"]);
    assert_eq!(code, 2, "a usage error: {err}");
    assert!(out.is_empty(), "{out}");
    assert_lines(
        &err,
        &["error[scale::sim::group]: environment `production` has no group `api`; it has `web`"],
    );
    // An environment without groups has nothing to simulate.
    let dir = scratch("simulate-no-groups");
    let spec = dir.join("app.scale");
    std::fs::write(
        &spec,
        "app \"shop\"\nenvironment production extends std.production {}\n",
    )
    .expect("spec");
    let (code, out, err) = scalec(&[
        "simulate",
        spec.to_str().expect("path"),
        "--env",
        "production",
        "--trace",
        trace,
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty(), "{out}");
    assert_lines(
        &err,
        &["error[scale::sim::group]: environment `production` has no group to simulate"],
    );
    // A scalable target is named as one, not as a missing group.
    let (code, out, err) = scalec(&[
        "simulate",
        "examples/ecs-service.scale",
        "--env",
        "production",
        "--group",
        "api",
        "--trace",
        trace,
    ]);
    assert_eq!(code, 2, "a usage error: {err}");
    assert!(out.is_empty(), "{out}");
    assert_lines(
        &err,
        &[
            "error[scale::sim::group]: `api` is a scalable target: the simulator runs EC2 groups only so far",
        ],
    );
}

#[test]
fn a_start_capacity_outside_the_groups_range_is_sim_start_capacity() {
    let (code, out, err) = simulate_raw(
        "examples/traces/flash-crowd.csv",
        &["--start-capacity", "50"],
    );
    assert_eq!(code, 2, "a usage error: {err}");
    assert!(out.is_empty(), "{out}");
    assert_lines(
        &err,
        &[
            "error[scale::sim::start_capacity]: --start-capacity 50 is outside group `web`'s capacity 2..10 in production",
            "  help: give a capacity inside the group's range",
        ],
    );
    // Several groups: the help points at --group.
    let (code, _, err) = simulate_fleet(&["--start-capacity", "1000"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("error[scale::sim::start_capacity]: --start-capacity 1000 is outside group `api`'s capacity")
            && err.contains("  help: choose a group with --group to give it its own start capacity"),
        "{err}"
    );
}

#[test]
fn a_group_made_from_a_template_simulates_as_the_written_out_one() {
    for trace in ["flash-crowd", "diurnal-week"] {
        let flat = simulate("examples/macro-ai.scale", "production", trace, &[]);
        let made = simulate(
            "examples/templates/macro-ai.scale",
            "production",
            trace,
            &[],
        );
        assert_eq!(flat, made, "{trace}");
    }
}
