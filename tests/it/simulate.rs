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
    serde_json::from_str(&out).expect("JSON summary")
}

#[test]
fn the_seed_configuration_does_not_thrash_on_any_example_trace() {
    for env in ENVS {
        for trace in TRACES {
            let v = simulate("examples/macro-ai.scale", env, trace, &[]);
            assert_eq!(v["thrash_events"], 0, "{env} {trace}: {:#}", v["events"]);
            assert!(
                v["scale_out_events"].as_u64() > Some(0),
                "{env} {trace} never scaled out"
            );
        }
    }
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
fn the_design_documents_literal_cpu_steps_thrash_where_the_examples_do_not() {
    // tests/ui/lint_step_below_target.scale holds the design's 50-70% +1
    // steps next to a 60% CPU target.
    let literal = simulate(
        "tests/ui/lint_step_below_target.scale",
        "production",
        "diurnal-week",
        &[],
    );
    let thrash = literal["thrash_events"].as_u64();
    assert!(thrash > Some(5), "{thrash:?}");
    let example = simulate("examples/macro-ai.scale", "production", "diurnal-week", &[]);
    assert_eq!(example["thrash_events"], 0);
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
    let text = std::fs::read_to_string(&csv).expect("csv written");
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

    let text = std::fs::read_to_string(&svg).expect("svg written");
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
