//! The real binary: exit codes, JSON output, colour, `--env`, `--param`.

use super::*;

#[test]
fn clean_example_exits_zero() {
    let (code, _, err) = scalec(&["check", "examples/macro-ai.scale"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("ok, 3 environments checked"), "{err}");
}

#[test]
fn errors_exit_one_and_usage_errors_exit_two() {
    let (code, _, err) = scalec(&["check", "tests/ui/units_mismatch_target.scale"]);
    assert_eq!(code, 1, "{err}");
    let (code, _, _) = scalec(&["check", "--no-such-flag"]);
    assert_eq!(code, 2);
    let (code, _, err) = scalec(&["plan", "--offline"]);
    assert_eq!(code, 2, "--env is required: {err}");
    let (code, _, _) = scalec(&["check", "x.scale", "--format", "yaml"]);
    assert_eq!(code, 2);
    let (code, _, err) = scalec(&["check", "does/not/exist.scale"]);
    assert_eq!(code, 1);
    assert!(err.contains("scale::io::read"), "{err}");
}

#[test]
fn output_has_no_colour_when_not_a_terminal() {
    let (code, _, err) = scalec(&["check", "tests/ui/units_mismatch_target.scale"]);
    assert_eq!(code, 1, "{err}");
    // The report is there, in full, and plain.
    for part in [
        "scale::units::mismatch",
        "expected a percentage such as `60%`, found a duration",
        "units_mismatch_target.scale:14:14",
        "target = 5m",
        "help: write a percentage such as `60%`",
    ] {
        assert!(err.contains(part), "missing {part:?} in {err:?}");
    }
    assert!(
        !err.contains('\u{1b}'),
        "ANSI escapes in piped output: {err:?}"
    );
}

#[test]
fn json_format_gives_locations_codes_and_help() {
    let (code, out, _) = scalec(&[
        "check",
        "tests/ui/units_mismatch_target.scale",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["ok"], false);
    let d = &v["diagnostics"][0];
    for key in [
        "code", "severity", "message", "file", "start", "end", "line", "column", "labels", "help",
    ] {
        assert!(!d[key].is_null(), "missing {key} in {d}");
    }
    assert!(d["code"].as_str().is_some_and(|c| c.starts_with("scale::")));
    assert!(d["line"].as_u64().is_some_and(|l| l >= 1));
}

#[test]
fn unknown_env_lists_the_known_ones() {
    let (code, _, err) = scalec(&["check", "examples/macro-ai.scale", "--env", "prod"]);
    assert_eq!(code, 1);
    assert!(err.contains("scale::env::unknown"), "{err}");
    assert!(
        err.contains("`production`") && err.contains("`staging`") && err.contains("`development`"),
        "{err}"
    );
}

#[test]
fn deny_warnings_fails_on_warnings_only_then() {
    let path = "tests/ui/alarm_metric_not_collected.scale";
    let (code, _, err) = scalec(&["check", path]);
    assert_eq!(code, 0, "{err}");
    let (code, _, _) = scalec(&["check", path, "--deny-warnings"]);
    assert_eq!(code, 1);
}

#[test]
fn params_on_the_command_line_are_validated_and_used() {
    let (code, out, err) = scalec(&[
        "debug",
        "model",
        "examples/macro-ai.scale",
        "--env",
        "staging",
        "--param",
        "subnets=subnet-0123456789abcdef0,subnet-0123456789abcdef1",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("model JSON");
    let subnets = v["params"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == "subnets"))
        .expect("param");
    assert_eq!(subnets["value"][1], "subnet-0123456789abcdef1");
    let (code, _, err) = scalec(&[
        "check",
        "examples/macro-ai.scale",
        "--param",
        "subnets=sub-1",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("scale::types::bad_value"), "{err}");
    let (code, _, err) = scalec(&["check", "examples/macro-ai.scale", "--param", "subnetz=x"]);
    assert_eq!(code, 1);
    assert!(err.contains("did you mean `subnets`?"), "{err}");
}

#[test]
fn every_subcommand_has_help_with_examples() {
    /// The commands a help page lists under `Commands:`, without `help`.
    fn commands(help: &str) -> Vec<String> {
        help.lines()
            .skip_while(|l| !l.starts_with("Commands:"))
            .skip(1)
            .take_while(|l| l.starts_with("  "))
            .filter_map(|l| l.split_whitespace().next())
            .filter(|c| *c != "help")
            .map(str::to_string)
            .collect()
    }
    let (code, top, _) = scalec(&["--help"]);
    assert_eq!(code, 0);
    assert!(top.contains("Examples:"), "{top}");
    let mut pages = Vec::new();
    for c in commands(&top) {
        let (code, out, err) = scalec(&[&c, "--help"]);
        assert_eq!(code, 0, "{c} --help: {err}");
        for sub in commands(&out) {
            pages.push(vec![c.clone(), sub]);
        }
        pages.push(vec![c]);
    }
    assert!(
        pages.len() >= 13,
        "every command, debug's two too: {pages:?}"
    );
    for page in &pages {
        let mut args: Vec<&str> = page.iter().map(String::as_str).collect();
        args.push("--help");
        let (code, out, err) = scalec(&args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(out.contains("Example"), "{args:?} has no example: {out}");
        // Each example line runs the command it documents.
        let examples: Vec<&str> = out
            .lines()
            .skip_while(|l| !l.starts_with("Example"))
            .skip(1)
            .take_while(|l| l.starts_with("  "))
            .collect();
        assert!(
            examples.iter().any(|l| l
                .trim_start()
                .starts_with(&format!("scalec {}", page.join(" ")))),
            "{args:?}: no example of this command: {examples:?}"
        );
    }
}

#[test]
fn build_prints_a_template_or_writes_it_with_param_defaults() {
    let (code, out, err) = scalec(&[
        "build",
        "examples/macro-ai.scale",
        "--env",
        "staging",
        "--param",
        "launch_template=lt-0123456789abcdef0",
    ]);
    assert_eq!(code, 0, "{err}");
    let t: serde_json::Value = serde_json::from_str(&out).expect("template JSON on stdout");
    assert_eq!(
        t["Parameters"]["LaunchTemplate"]["Default"],
        "lt-0123456789abcdef0"
    );
    assert!(
        err.contains("scale::capacity::desired"),
        "build says who owns desired capacity: {err}"
    );
    let dir = scratch("cli-build-o");
    let file = dir.join("staging.json");
    let (code, _, err) = scalec(&[
        "build",
        "examples/macro-ai.scale",
        "--env",
        "staging",
        "--param",
        "launch_template=lt-0123456789abcdef0",
        "-o",
        file.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(&file).expect("written").trim_end(),
        out.trim_end()
    );
    let (code, out, _) = scalec(&[
        "build",
        "examples/macro-ai.scale",
        "--env",
        "staging",
        "--format",
        "yaml",
    ]);
    assert_eq!(code, 0);
    assert!(out.starts_with("AWSTemplateFormatVersion"), "{out}");
}

#[test]
fn build_all_envs_writes_stacks_and_a_manifest() {
    let (code, _, _) = scalec(&["build", "examples/macro-ai.scale", "--all-envs"]);
    assert_eq!(code, 2, "--all-envs needs --out-dir");
    let dir = scratch("cli-build-all");
    let (code, _, err) = scalec(&[
        "build",
        "examples/macro-ai.scale",
        "--all-envs",
        "--out-dir",
        dir.to_str().expect("path"),
    ]);
    assert_eq!(code, 0, "{err}");
    let m = read_manifest(&dir);
    let envs = m["environments"].as_array().expect("environments");
    assert_eq!(envs.len(), 3);
    for e in envs {
        let stack = &e["stacks"][0];
        assert_eq!(stack["order"], 1);
        let file = dir.join(stack["template"].as_str().expect("file"));
        assert!(file.exists(), "{}", file.display());
        assert!(
            stack["parameters"]
                .as_object()
                .is_some_and(|p| p.contains_key("Subnets"))
        );
    }
}

/// Every file under `dir` with its inode (a rewrite renames a new file in,
/// so the inode changes) and its text.
#[cfg(unix)]
fn files_with_inodes(dir: &std::path::Path) -> std::collections::BTreeMap<String, (u64, String)> {
    use std::os::unix::fs::MetadataExt;
    let mut out = std::collections::BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).expect("dir").flatten() {
            let path = e.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .expect("inside")
                    .display()
                    .to_string();
                let ino = std::fs::metadata(&path).expect("meta").ino();
                out.insert(rel, (ino, std::fs::read_to_string(&path).expect("text")));
            }
        }
    }
    out
}

#[cfg(unix)]
#[test]
fn build_leaves_templates_that_are_already_up_to_date_alone() {
    let dir = scratch("cli-build-unchanged");
    let spec = dir.join("fleet.scale");
    let text = super::cfn::generated_spec(260);
    std::fs::write(&spec, &text).expect("spec");
    let out = dir.join("out");
    let build_into = |dir: &std::path::Path| {
        scalec(&[
            "build",
            spec.to_str().expect("path"),
            "--env",
            "production",
            "--out-dir",
            dir.to_str().expect("path"),
        ])
    };
    // A build into `out` that succeeds and sums up what it wrote as `says`.
    let build_saying = |says: &str| {
        let (code, _, err) = build_into(&out);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains(says), "expected {says:?} in:\n{err}");
    };
    build_saying("wrote 3 template(s) for 1 environment(s)");
    let first = files_with_inodes(&out);
    assert_eq!(
        first.len(),
        4,
        "three stacks and the manifest: {:?}",
        first.keys()
    );

    // Nothing changed: nothing is written, not even the manifest.
    build_saying("wrote 0 template(s) for 1 environment(s); 3 were already up to date");
    assert_eq!(files_with_inodes(&out), first);

    // One group's launch template version changes (same length, so no
    // other item moves): only its stack is written again.
    let edited = text.replace(
        "group g259 {\n  launch_template = param.lt  launch_template_version = 4",
        "group g259 {\n  launch_template = param.lt  launch_template_version = 5",
    );
    assert_ne!(edited, text);
    std::fs::write(&spec, &edited).expect("spec");
    build_saying("wrote 1 template(s) for 1 environment(s); 2 were already up to date");
    let second = files_with_inodes(&out);
    let rewritten: Vec<&String> = second
        .iter()
        .filter(|(k, v)| first.get(*k).map(|f| f.0) != Some(v.0))
        .map(|(k, _)| k)
        .collect();
    assert_eq!(rewritten, ["production/fleet-production-2.json"]);
    assert!(
        second["production/fleet-production-2.json"]
            .1
            .contains("\"Version\": \"5\"")
    );

    // And what is there is what a build into an empty folder writes.
    let fresh = dir.join("fresh");
    let (code, _, err) = build_into(&fresh);
    assert_eq!(code, 0, "{err}");
    let texts = |m: std::collections::BTreeMap<String, (u64, String)>| -> Vec<(String, String)> {
        m.into_iter().map(|(k, (_, t))| (k, t)).collect()
    };
    assert_eq!(texts(second), texts(files_with_inodes(&fresh)));
}

#[test]
fn build_refuses_one_file_for_an_environment_that_needs_several_stacks() {
    let dir = scratch("cli-build-split");
    let spec = dir.join("fleet.scale");
    std::fs::write(&spec, super::cfn::generated_spec(260)).expect("spec");
    let (code, out, err) = scalec(&["build", spec.to_str().expect("path"), "--env", "production"]);
    assert_eq!(code, 1);
    assert!(out.is_empty(), "nothing on stdout when refusing");
    assert!(
        err.contains("scale::cfn::needs_split") && err.contains("--out-dir"),
        "{err}"
    );
    let out_dir = dir.join("out");
    let (code, _, err) = scalec(&[
        "build",
        spec.to_str().expect("path"),
        "--env",
        "production",
        "--out-dir",
        out_dir.to_str().expect("path"),
    ]);
    assert_eq!(code, 0, "{err}");
    let m = read_manifest(&out_dir);
    let stacks = m["environments"][0]["stacks"].as_array().expect("stacks");
    assert_eq!(
        stacks.len(),
        3,
        "shared + 2 group stacks for 780 group resources"
    );
    assert_eq!(stacks[1]["order"], 2);
    assert_eq!(stacks[1]["name"], "fleet-production-1");
    let placed: usize = stacks
        .iter()
        .map(|s| s["groups"].as_array().map_or(0, |g| g.len()))
        .sum();
    assert_eq!(placed, 260);
    assert_eq!(stacks[1]["depends_on"][0], "fleet-production-shared");
}

fn plan_args(extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = ["plan", "examples/macro-ai.scale", "--env", "staging"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for (k, v) in super::plan::PARAMS {
        if *k != "ops_email" {
            args.push("--param".into());
            args.push(format!("{k}={v}"));
        }
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

#[test]
fn offline_plan_lists_calls_saves_json_and_reports_changes() {
    let dir = scratch("cli-plan");
    let out = dir.join("plan.json");
    let args = plan_args(&[
        "--offline",
        "--detailed-exitcode",
        "--out",
        out.to_str().expect("path"),
    ]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, stdout, err) = scalec(&refs);
    assert_eq!(code, 2, "changes with --detailed-exitcode: {err}");
    assert!(!stdout.contains('\u{1b}'), "no colour when piped");
    assert!(
        stdout.contains("+ [3] autoscaling:CreateAutoScalingGroup")
            && stdout.contains("macro-ai-staging-web"),
        "{stdout}"
    );
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("saved")).expect("JSON");
    assert_eq!(saved["environment"], "staging");
    assert_eq!(saved["spec_hash"].as_str().map(str::len), Some(16));
    let first = &saved["operations"][0];
    assert_eq!(
        (first["api"].as_str(), first["step"].as_u64()),
        (Some("sns:CreateTopic"), Some(1))
    );
    let (code, _, _) = scalec(&refs[..refs.len() - 3]);
    assert_eq!(
        code, 0,
        "without --detailed-exitcode a plan with changes exits 0"
    );
}

#[test]
fn plan_needs_every_used_param_before_any_aws_call() {
    // Live or offline, a missing param is found before AWS is contacted.
    let (code, _, err) = scalec(&["plan", "examples/macro-ai.scale", "--env", "staging"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("scale::plan::missing_param") && !err.contains("scale::aws"),
        "{err}"
    );
    let (code, _, err) = scalec(&[
        "plan",
        "examples/macro-ai.scale",
        "--env",
        "staging",
        "--offline",
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("scale::plan::missing_param")
            && err.contains("param `subnets` has no value in environment `staging`"),
        "{err}"
    );
}

#[test]
fn max_reach_turns_on_the_slow_reach_lint() {
    let (code, _, err) = scalec(&["check", "examples/macro-ai.scale"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("scale::lint::slow_reach"), "{err}");
    // production grows 2 -> 10; that can't happen within a minute
    let (code, _, err) = scalec(&["check", "examples/macro-ai.scale", "--max-reach", "1m"]);
    assert_eq!(code, 0, "a lint is a warning: {err}");
    assert!(err.contains("scale::lint::slow_reach"), "{err}");
    let (code, _, err) = scalec(&["check", "examples/macro-ai.scale", "--max-reach", "1h"]);
    assert_eq!(code, 0);
    assert!(!err.contains("scale::lint::slow_reach"), "{err}");
    let (code, _, err) = scalec(&["check", "examples/macro-ai.scale", "--max-reach", "soon"]);
    assert_eq!(code, 2);
    assert!(err.contains("10m"), "{err}");
}

/// Runs scalec with `args`, reads the first bytes of `stream` (stdout or
/// stderr), closes it and drains the other: the exit status and the other
/// stream's text.
fn read_a_little_then_close(args: &[&str], stderr: bool) -> (std::process::ExitStatus, String) {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_scalec"))
        .args(args)
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let (mut short, mut long): (Box<dyn Read + Send>, Box<dyn Read + Send>) = {
        let out = child.stdout.take().expect("stdout");
        let err = child.stderr.take().expect("stderr");
        if stderr {
            (Box::new(err), Box::new(out))
        } else {
            (Box::new(out), Box::new(err))
        }
    };
    let rest = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = long.read_to_string(&mut s);
        s
    });
    let mut first = [0u8; 100];
    short.read_exact(&mut first).expect("the first bytes");
    drop(short);
    let status = child.wait().expect("ends");
    (status, rest.join().unwrap_or_default())
}

#[test]
fn a_reader_that_stops_early_ends_scalec_quietly() {
    // Megabytes of JSON on stdout; the reader takes 100 bytes.
    let (status, err) = read_a_little_then_close(
        &[
            "simulate",
            "examples/macro-ai.scale",
            "--env",
            "production",
            "--trace",
            "examples/traces/diurnal-week.csv",
            "--format",
            "json",
        ],
        false,
    );
    assert_ne!(status.code(), Some(101), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(
            status.signal(),
            Some(13),
            "ended by SIGPIPE, as cat is: {status:?}"
        );
    }
    // Thousands of diagnostics on stderr; the reader takes 100 bytes.
    let dir = scratch("closed-stderr");
    let mut spec = String::from("app \"x\"\nenvironment production extends std.production {}\n");
    for i in 0..2000 {
        spec.push_str(&format!("group g{i} {{ capacity = 1..2 }}\n"));
    }
    let path = dir.join("app.scale");
    std::fs::write(&path, spec).expect("spec written");
    let (status, out) = read_a_little_then_close(&["check", path.to_str().expect("utf-8")], true);
    assert_ne!(status.code(), Some(101), "{out}");
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(13), "{status:?}");
    }
}

#[test]
fn lint_levels_come_from_the_spec_and_the_command_line() {
    // The example's note about `desired`, and the agent-metric note.
    let (code, _, err) = scalec(&["check", "examples/macro-ai.scale"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("scale::capacity::desired"), "{err}");
    let (code, _, err) = scalec(&[
        "check",
        "examples/macro-ai.scale",
        "--allow",
        "capacity.desired",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("scale::capacity::desired"), "allowed: {err}");
    assert!(
        err.contains("scale::policy::agent_metric"),
        "others stay: {err}"
    );
    // A note made a warning, then warnings denied: it fails.
    let (code, _, err) = scalec(&[
        "check",
        "examples/macro-ai.scale",
        "--warn",
        "policy.agent_metric",
        "--deny",
        "warnings",
    ]);
    assert_eq!(code, 1, "{err}");
    let words = err.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("(an error by `--deny warnings`)"), "{err}");
    // --deny-warnings on a file without warnings passes.
    let (code, _, err) = scalec(&["check", "examples/spot-fleet.scale", "--deny-warnings"]);
    assert_eq!(code, 0, "a clean file passes --deny-warnings: {err}");
    // The spec's levels hold for every command that reads it.
    let dir = scratch("lint-levels");
    let text = std::fs::read_to_string(root().join("examples/macro-ai.scale"))
        .expect("example")
        .replacen(
            "app \"macro-ai\"\n",
            "app \"macro-ai\"\nlints { capacity.desired = allow  policy.agent_metric = allow }\n",
            1,
        );
    let path = dir.join("app.scale");
    std::fs::write(&path, text).expect("spec");
    let path = path.display().to_string();
    let mut params: Vec<String> = Vec::new();
    for (k, v) in super::plan::PARAMS
        .iter()
        .filter(|(k, _)| *k != "ops_email")
    {
        params.push("--param".into());
        params.push(format!("{k}={v}"));
    }
    for cmd in [
        vec!["check", path.as_str()],
        vec!["build", path.as_str(), "--env", "staging"],
        vec!["plan", path.as_str(), "--env", "staging", "--offline"],
    ] {
        let mut args = cmd.clone();
        if cmd[0] != "check" {
            args.extend(params.iter().map(String::as_str));
        }
        let (code, _, err) = scalec(&args);
        assert_eq!(code, 0, "{cmd:?}: {err}");
        assert!(!err.contains("scale::capacity::desired"), "{cmd:?}: {err}");
        assert!(
            !err.contains("scale::policy::agent_metric"),
            "{cmd:?}: {err}"
        );
    }
    // A code scalec doesn't have is a usage error with a suggestion.
    let (code, _, err) = scalec(&["check", "examples/macro-ai.scale", "--deny", "runway"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("did you mean `runaway`?"), "{err}");
}

#[test]
fn std_lists_every_metric_with_its_unit_and_every_preset_with_its_values() {
    let (code, out, err) = scalec(&["std", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let metrics = v["metrics"].as_array().expect("metrics");
    let std_metrics = std::fs::read_to_string(root().join("std-lib/metrics.scale"))
        .expect("std-lib")
        .lines()
        .filter(|l| l.starts_with("metric "))
        .count();
    assert_eq!(metrics.len(), std_metrics, "every std-lib metric");
    let rt = metrics
        .iter()
        .find(|m| m["name"] == "alb.response_time")
        .expect("alb.response_time");
    assert_eq!(rt["unit"], "duration");
    assert_eq!(rt["params"][0][0], "load_balancer");
    assert_eq!(rt["dimensions"][0][0], "LoadBalancer");
    assert!(rt["doc"].as_str().is_some_and(|d| !d.is_empty()));
    let presets = v["presets"].as_array().expect("presets");
    let production = presets
        .iter()
        .find(|p| p["name"] == "std.production")
        .expect("std.production");
    assert!(
        production["values"].as_array().is_some_and(|vals| vals
            .iter()
            .any(|kv| kv[0] == "capacity" && kv[1] == "2..10")),
        "{production}"
    );
    let (code, out, _) = scalec(&["std", "presets"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("std.staging") && out.contains("cpu = 70%"),
        "{out}"
    );
    assert!(!out.contains("ec2.cpu"), "presets only: {out}");
}

#[test]
fn explain_gives_a_codes_meaning_and_its_example_with_the_report() {
    let (code, out, err) = scalec(&["--explain", "scale::step::gap"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("scale::step::gap\n\nA gap between two step ranges."),
        "{out}"
    );
    assert!(
        out.contains("An example (tests/ui/step_gap.scale)"),
        "{out}"
    );
    assert!(out.contains("no step covers 70%..75%"), "the report: {out}");
    // The short form, and a code with no spec example.
    let (code, out, _) = scalec(&["--explain", "io.no_spec"]);
    assert_eq!(code, 2, "`io.no_spec` is not a form the flag takes: {out}");
    let (code, out, err) = scalec(&["--explain", "io::no_spec"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("no spec example"), "{out}");
    let (code, _, err) = scalec(&["--explain", "scale::step::gapp"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `scale::step::gap`?"), "{err}");
}

/// The names in a folder, sorted.
fn entries(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("folder")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    names
}

#[test]
fn a_plan_out_onto_a_directory_is_an_io_write_error_and_leaves_no_temporary_file() {
    let dir = scratch("cli-plan-out-directory");
    let target = dir.join("plan.json");
    std::fs::create_dir(&target).expect("a directory where the plan would go");
    let args = plan_args(&["--offline", "--out", target.to_str().expect("path")]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = scalec(&refs);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.is_empty(),
        "no plan printed when it can't be saved: {out}"
    );
    assert!(
        err.contains(&format!(
            "error[scale::io::write]: can't write {}: ",
            target.display()
        )),
        "{err}"
    );
    // The temporary file written next to it was removed; the directory is
    // as it was.
    assert_eq!(entries(&dir), ["plan.json"]);
    assert!(entries(&target).is_empty());
}

#[test]
fn build_output_below_a_file_is_an_io_write_error_and_writes_nothing() {
    let dir = scratch("cli-build-below-a-file");
    let file = dir.join("notes.txt");
    std::fs::write(&file, "keep\n").expect("a file");
    let target = file.join("staging.json");
    let mut args = vec![
        "build".to_string(),
        "examples/macro-ai.scale".into(),
        "--env".into(),
        "staging".into(),
        "-o".into(),
        target.to_str().expect("path").into(),
    ];
    for (k, v) in super::plan::PARAMS {
        if *k != "ops_email" {
            args.push("--param".into());
            args.push(format!("{k}={v}"));
        }
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = scalec(&refs);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains(&format!(
            "error[scale::io::write]: can't write {}: ",
            target.display()
        )),
        "{err}"
    );
    assert_eq!(entries(&dir), ["notes.txt"]);
    assert_eq!(std::fs::read_to_string(&file).expect("kept"), "keep\n");
}

#[test]
fn apply_of_a_json_file_that_is_not_a_saved_plan_is_plan_invalid() {
    let dir = scratch("cli-apply-invalid-plan");
    for (name, text) in [
        ("not-json.json", "this is not JSON\n"),
        ("other.json", "{\"terraform_version\": \"1.9.0\"}\n"),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("file");
        let (code, out, err) = scalec(&["apply", path.to_str().expect("path"), "--auto-approve"]);
        assert_eq!(code, 1, "{name}: {err}");
        assert!(out.is_empty(), "{out}");
        assert_lines(
            &err,
            &["  help: save a plan with `scalec plan --env ENV --out plan.json`"],
        );
        assert!(
            err.starts_with(&format!(
                "error[scale::plan::invalid]: {} is not a scalec plan: ",
                path.display()
            )),
            "{name}: {err}"
        );
        // Refused before any AWS call: nothing about credentials.
        assert!(!err.contains("scale::aws::"), "{err}");
    }
}

/// A spec whose only environment names no region.
const NO_REGION_SPEC: &str = "app \"shop\"\nparam lt: launch_template_id\nparam subnets: list<subnet_id>\n\
    environment production extends std.production {}\n\
    group web {\n  launch_template = param.lt\n  launch_template_version = 1\n  subnets = param.subnets\n  capacity = env.capacity\n}\n";

#[test]
fn live_commands_on_an_environment_without_a_region_are_plan_no_region() {
    let dir = scratch("cli-no-region");
    let spec = dir.join("shop.scale");
    std::fs::write(&spec, NO_REGION_SPEC).expect("spec");
    let spec = spec.to_str().expect("path");
    let params = [
        "--param",
        "lt=lt-0123456789abcdef0",
        "--param",
        "subnets=subnet-0123456789abcdef0",
    ];
    // A live plan: located at the environment, before any AWS call.
    let mut args = vec!["plan", spec, "--env", "production"];
    args.extend(params);
    let (code, out, err) = scalec_wide(&args);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("scale::plan::no_region")
            && err.contains("environment `production` has no region")
            && err.contains("no `region` here"),
        "{err}"
    );
    assert!(
        err.contains("pass `--region`") && err.contains("`plan --offline` needs none"),
        "{err}"
    );
    assert!(!err.contains("scale::aws::"), "{err}");
    // An offline plan needs none, but applying it does.
    let saved = dir.join("plan.json");
    args.extend(["--offline", "--out", saved.to_str().expect("path")]);
    let (code, _, err) = scalec(&args);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = scalec(&["apply", saved.to_str().expect("path"), "--auto-approve"]);
    assert_eq!(code, 1, "{err}");
    assert_lines(
        &err,
        &[
            "error[scale::plan::no_region]: this plan names no region (it was made offline for any region)",
            "  help: make the plan again with `--region`, or set the environment's `region`",
        ],
    );
}

#[test]
fn a_live_plan_whose_async_runtime_cannot_start_is_aws_runtime() {
    // With four file descriptors (stdin, stdout, stderr and one more), the
    // spec can be read, but the runtime's event queue and its waker can't
    // both be opened. Descriptors the test runner may pass on are closed.
    let args = plan_args(&[]);
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("exec 3<&- 4<&- 5<&- 6<&- 7<&- 8<&- 9<&- && ulimit -n 4 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_scalec"))
        .args(&args)
        .current_dir(root())
        .output()
        .expect("sh runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.lines().any(|l| l
            .starts_with("error[scale::aws::runtime]: can't start the async runtime: ")
            && l.contains("Too many open files")),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}
