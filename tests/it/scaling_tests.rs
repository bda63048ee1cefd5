//! `scalec test` on the real binary: the examples' tests pass, the seed's
//! first draft fails its no-thrash test and says why, the reports (human,
//! JSON, JUnit read back by `junitparser`), per-group trace columns, bad
//! traces, and mutants of test declarations.

use super::*;

/// Runs `scalec test ARGS --out-dir SCRATCH`; exit code, stdout, stderr.
fn test_run(scratch_name: &str, args: &[&str]) -> (i32, String, String, PathBuf) {
    let out = scratch(scratch_name);
    // Relative to the repository, where the binary runs: reports name it.
    let dir = out
        .strip_prefix(root())
        .unwrap_or(&out)
        .display()
        .to_string();
    let mut all = vec!["test"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out-dir", &dir]);
    let (code, stdout, stderr) = scalec(&all);
    (code, stdout, stderr, out)
}

fn json_of(out: &str) -> serde_json::Value {
    serde_json::from_str(out).expect("scalec test --format json prints JSON")
}

#[test]
fn every_example_carries_tests_that_pass() {
    let mut specs = scale_files(&root().join("examples"));
    specs.push(root().join("examples/templates/macro-ai.scale"));
    for spec in specs {
        let rel = spec
            .strip_prefix(root())
            .unwrap_or(&spec)
            .display()
            .to_string();
        let (code, out, err, charts) = test_run("examples-tests", &[&rel, "--format", "json"]);
        let v = json_of(&out);
        assert_eq!(code, 0, "{rel}: {out}\n{err}");
        assert!(v["passed"].as_u64() >= Some(1), "{rel} carries no test");
        assert_eq!(v["failed"], 0, "{rel}");
        for t in v["tests"].as_array().expect("tests") {
            for g in t["groups"].as_array().expect("groups") {
                for e in g["expectations"].as_array().expect("expectations") {
                    assert_eq!(e["passed"], true, "{rel}: {e}");
                }
            }
        }
        assert!(
            std::fs::read_dir(&charts).map_or(0, |d| d.count()) == 0,
            "{rel}: a passing run writes no chart"
        );
    }
}

#[test]
fn the_seed_first_draft_fails_its_no_thrash_test_and_says_why() {
    let (code, out, err, charts) = test_run("seed-thrash", &["tests/test/seed-thrash.scale"]);
    assert_eq!(code, 1, "a failing test exits 1: {out}\n{err}");
    assert!(
        out.contains("test production/diurnal_week ... FAILED"),
        "{out}"
    );
    // What broke, when, and which policies fought.
    assert!(
        out.contains("`expect no_thrash` (tests/test/seed-thrash.scale:"),
        "{out}"
    );
    assert!(
        out.contains("thrash events, the first at minute ")
            && out.contains(": `cpu` scaled in (3 to 2) and `cpu_surge` undid it at minute ")
            && out.contains("(2 to 3); expected at most 0"),
        "{out}"
    );
    assert!(
        out.contains("test result: FAILED. 0 passed; 1 failed; 0 filtered out"),
        "{out}"
    );
    // The other expectations hold and aren't reported.
    assert!(!out.contains("p95(cpu)"), "{out}");
    let chart = charts.join("production-diurnal_week-web.svg");
    let svg = std::fs::read_to_string(&chart).expect("the failing run's chart is written");
    assert!(
        svg.contains("<g id=\"broken\">") && svg.contains("no_thrash: "),
        "chart marks the expectation"
    );
}

/// The run's time, the only thing that changes between runs.
fn without_times(s: &str) -> String {
    let re_human = regex_lite(s, "finished in ", "s\n");
    let mut out = String::new();
    for line in re_human.lines() {
        let mut l = line.to_string();
        while let Some(at) = l.find(" time=\"") {
            let end = l[at + 7..].find('"').map_or(l.len(), |e| at + 7 + e + 1);
            l.replace_range(at..end, " time=\"T\"");
            if !l[at + 9..].contains(" time=\"") {
                break;
            }
        }
        out.push_str(&l);
        out.push('\n');
    }
    out
}

/// `s` with what lies between `from` and `to` replaced by `T`.
fn regex_lite(s: &str, from: &str, to: &str) -> String {
    match s.find(from) {
        Some(a) => match s[a + from.len()..].find(to) {
            Some(b) => format!("{}{from}T{}", &s[..a], &s[a + from.len() + b..]),
            None => s.to_string(),
        },
        None => s.to_string(),
    }
}

#[test]
fn the_three_reports_are_golden() {
    let args = ["tests/test/seed-thrash.scale"];
    let (_, human, _, _) = test_run("golden-human", &args);
    insta::assert_snapshot!("scaling_test_human", without_times(&human));
    let (_, json, _, _) = test_run("golden-json", &[args[0], "--format", "json"]);
    insta::assert_snapshot!("scaling_test_json", json);
    let out = scratch("golden-junit");
    let xml = out.join("results.xml");
    let xml_arg = xml.display().to_string();
    let (code, _, _, _) = test_run("golden-junit-charts", &[args[0], "--junit", &xml_arg]);
    assert_eq!(code, 1);
    let text = std::fs::read_to_string(&xml).expect("JUnit written");
    insta::assert_snapshot!("scaling_test_junit", without_times(&text));
}

#[test]
fn the_junit_report_is_read_by_a_real_junit_parser() {
    let out = scratch("junitparser");
    let xml = out.join("results.xml");
    let xml_arg = xml.display().to_string();
    let (code, _, err, _) = test_run(
        "junitparser-charts",
        &["tests/test/seed-thrash.scale", "--junit", &xml_arg],
    );
    assert_eq!(code, 1, "{err}");
    let (code2, _, err2, _) = test_run(
        "junitparser-charts2",
        &[
            "examples/macro-ai.scale",
            "--junit",
            &format!("{}2", xml_arg),
        ],
    );
    assert_eq!(code2, 0, "{err2}");
    let script = r#"
import sys
from junitparser import JUnitXml, Failure
for path, want_cases, want_failed in ((sys.argv[1], 1, 1), (sys.argv[1] + "2", 3, 0)):
    xml = JUnitXml.fromfile(path)
    cases = [c for suite in xml for c in suite]
    failed = [c for c in cases if not c.is_passed]
    assert len(cases) == want_cases, (path, len(cases))
    assert len(failed) == want_failed, (path, len(failed))
    for c in failed:
        (f,) = [r for r in c.result if isinstance(r, Failure)]
        assert "no_thrash" in f.message and "cpu_surge" in f.message, f.message
        assert c.classname == "production" and c.name == "diurnal_week"
    assert xml.tests == want_cases and xml.failures == want_failed
print("read")
"#;
    let py = std::process::Command::new("python3")
        .args(["-c", script, &xml_arg])
        .output()
        .expect("python3 runs");
    assert!(
        py.status.success(),
        "junitparser: {}",
        String::from_utf8_lossy(&py.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&py.stdout).trim(), "read");
}

#[test]
fn filter_and_env_choose_the_tests_that_run() {
    let (code, out, _, _) = test_run("filter", &["examples/macro-ai.scale", "--filter", "flash"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("running 1 test\n") && out.contains("2 filtered out"),
        "{out}"
    );
    let (code, out, _, _) = test_run("env", &["examples/macro-ai.scale", "--env", "staging"]);
    assert_eq!(code, 0);
    assert!(out.contains("running 0 tests"), "{out}");
    // A directory: every spec in it with an `app`.
    let (code, out, _, _) = test_run("dir", &["examples", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let v = json_of(&out);
    assert_eq!(v["passed"], 6, "{out}");
}

#[test]
fn each_group_takes_its_own_column_of_a_shared_trace() {
    let (code, out, _, _) = test_run(
        "two-groups",
        &["tests/test/two-groups.scale", "--format", "json"],
    );
    assert_eq!(code, 1, "{out}");
    let v = json_of(&out);
    let groups = v["tests"][0]["groups"].as_array().expect("groups");
    assert_eq!(groups[0]["group"], "web");
    assert_eq!(groups[0]["passed"], false, "web sees the shared jump");
    let message = groups[0]["expectations"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.starts_with("in service was 4 at minute 6"),
        "{message}"
    );
    assert_eq!(groups[1]["group"], "api");
    assert_eq!(groups[1]["passed"], true, "api's own column is flat");
}

#[test]
fn a_bad_or_missing_trace_is_a_located_error() {
    let dir = scratch("bad-trace");
    let spec =
        std::fs::read_to_string(root().join("tests/test/two-groups.scale")).expect("fixture");
    std::fs::write(
        dir.join("app.scale"),
        spec.replace("two-groups.csv", "load.csv"),
    )
    .expect("write");
    let d = dir.display().to_string();
    let (code, _, err, _) = test_run("bad-trace-out", &[&d]);
    assert_eq!(code, 1);
    assert!(
        err.contains("can't read the trace") && err.contains("app.scale:"),
        "{err}"
    );
    std::fs::write(dir.join("load.csv"), "minute,cpu\n0,100\n1,lots\n").expect("write");
    let (code, _, err, _) = test_run("bad-trace-out", &[&d]);
    assert_eq!(code, 1);
    assert!(
        err.contains("scale::trace::row") && err.contains("load.csv:3"),
        "{err}"
    );
}

#[test]
fn mutated_test_declarations_never_panic_the_checker_or_the_simulator() {
    let src = std::fs::read_to_string(root().join("examples/macro-ai.scale")).expect("example");
    let at = src.find("test slow_ramp").expect("a generated test");
    let (head, tests) = src.split_at(at);
    let opts = scalec::check::Options::default();
    let mut rng = super::mutation::Rng(0x5eed_7e57);
    let mut ran = 0;
    for n in 0..1500 {
        let m = format!("{head}{}", super::mutation::mutate(tests, &mut rng));
        let c = scalec::compile("mutant.scale", &m, &opts);
        for d in c.diagnostics.iter() {
            for l in &d.labels {
                let len = c.sources.get(l.span.file).text.len() as u32;
                assert!(
                    l.span.end <= len,
                    "mutant {n}: {} outside the file\n{m}",
                    d.code
                );
            }
        }
        if c.has_errors() {
            continue;
        }
        for env in &c.spec.environments {
            for t in &env.tests {
                let scalec::model::scaling_test::Load::Generated { minutes, columns } = &t.load
                else {
                    continue;
                };
                let trace = scalec::sim::load::generate((*minutes).min(3000), columns);
                for g in env.groups.iter().filter(|g| t.groups.contains(&g.name)) {
                    let run = scalec::sim::scaling_test::run_group(env, t, g, &trace);
                    assert_eq!(run.verdicts.len(), t.expects.len(), "mutant {n}");
                    ran += 1;
                }
            }
        }
    }
    assert!(
        ran >= 20,
        "only {ran} mutants ran: the mutation is too destructive"
    );
}

#[test]
fn the_example_traces_are_what_their_generators_write() {
    // Each file of examples/traces/ is `scalec trace generate` of a test of
    // traces.scale, byte for byte.
    for (test, file) in [
        ("diurnal_week", "diurnal-week.csv"),
        ("flash_crowd", "flash-crowd.csv"),
        ("slow_ramp", "slow-ramp.csv"),
    ] {
        let (code, out, err) = scalec(&[
            "trace",
            "generate",
            "examples/traces/traces.scale",
            "--test",
            test,
        ]);
        assert_eq!(code, 0, "{err}");
        let kept =
            std::fs::read_to_string(root().join("examples/traces").join(file)).expect("trace");
        assert!(
            out.trim_end() == kept.trim_end(),
            "{file} differs from what `{test}` generates"
        );
    }
    // A test whose load is a file has nothing to generate; an unknown one is named.
    let (code, _, err) = scalec(&[
        "trace",
        "generate",
        "examples/macro-ai.scale",
        "--test",
        "flash_crowd",
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("scale::trace::test") && err.contains("reads its load from a file"),
        "{err}"
    );
    let (code, _, err) = scalec(&[
        "trace",
        "generate",
        "examples/traces/traces.scale",
        "--test",
        "flash",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("the spec has no test `flash`"), "{err}");
}
