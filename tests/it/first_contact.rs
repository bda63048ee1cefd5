//! What a new user, an editor and a CI job meet first: finding the spec
//! without naming it, machine-readable output that stays machine-readable
//! whatever goes wrong, and SARIF judged by Microsoft's validator.

use super::*;
use std::path::Path;

/// Runs the real binary in `dir`: exit code, stdout, stderr.
fn scalec_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_scalec"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn example() -> String {
    std::fs::read_to_string(root().join("examples/macro-ai.scale")).expect("example")
}

/// `--param` flags for the example's staging environment.
fn staging_params() -> Vec<String> {
    super::plan::PARAMS
        .iter()
        .filter(|(k, _)| *k != "ops_email")
        .flat_map(|(k, v)| ["--param".to_string(), format!("{k}={v}")])
        .collect()
}

#[test]
fn without_a_file_commands_use_app_scale_in_the_current_directory() {
    let dir = scratch("discover-app");
    std::fs::write(dir.join("app.scale"), example()).expect("spec");
    std::fs::write(dir.join("other.scale"), "app \"x\"\n").expect("a second spec");
    let (code, _, err) = scalec_in(&dir, &["check"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.starts_with("app.scale: ok, 3 environments checked")
            || err.contains("\napp.scale: ok, 3 environments checked"),
        "{err}"
    );
    let mut args = vec!["plan", "--env", "staging", "--offline"];
    let params = staging_params();
    args.extend(params.iter().map(String::as_str));
    let (code, out, err) = scalec_in(&dir, &args);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Plan for macro-ai staging"), "{out}");
    let (code, out, err) = scalec_in(&dir, &["build", "--env", "staging"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("AWSTemplateFormatVersion"), "{out}");
    let (code, out, err) = scalec_in(&dir, &["debug", "model", "--env", "production"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"name\": \"production\""));
}

#[test]
fn a_directory_argument_means_the_same_search_there() {
    let dir = scratch("discover-dir");
    std::fs::write(dir.join("web.scale"), example()).expect("spec");
    // The only .scale file, found from outside the directory.
    let (code, _, err) = scalec(&["check", dir.to_str().expect("path")]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("web.scale: ok"), "{err}");
    let trace = root().join("examples/traces/flash-crowd.csv");
    let (code, out, err) = scalec_in(
        &dir,
        &[
            "simulate",
            "--env",
            "production",
            "--trace",
            trace.to_str().expect("path"),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("instance-hours"), "{out}");
}

#[test]
fn several_specs_and_no_app_scale_is_an_error_that_lists_them() {
    let dir = scratch("discover-several");
    std::fs::write(dir.join("web.scale"), example()).expect("spec");
    std::fs::write(dir.join("api.scale"), example()).expect("spec");
    let (code, _, err) = scalec_in(&dir, &["plan", "--env", "staging", "--offline"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error[scale::io::several_specs]: 2 .scale files in the current directory and none is `app.scale`: `api.scale`, `web.scale`"),
        "{err}"
    );
    assert!(
        err.contains("help: name the one to use (`scalec plan api.scale --env ...`)"),
        "{err}"
    );
    // `check` takes them all: its help says so, with its own name.
    let (code, _, err) = scalec_in(&dir, &["check"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("help: check them all (`scalec check api.scale web.scale`)"),
        "{err}"
    );
    let (code, _, err) = scalec(&["check", dir.to_str().expect("path")]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("help: check them all (`scalec check "),
        "{err}"
    );
    assert!(
        !err.contains("scalec plan"),
        "the command that was typed: {err}"
    );
    let empty = scratch("discover-none");
    let (code, _, err) = scalec_in(&empty, &["check"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("error[scale::io::no_spec]: no .scale file in the current directory"),
        "{err}"
    );
    // A spec in a folder below is named, in the command that was typed.
    std::fs::create_dir_all(empty.join("infra")).expect("folder");
    std::fs::write(empty.join("infra/app.scale"), example()).expect("spec");
    let (code, _, err) = scalec_in(&empty, &["check"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("help: there is one in a folder below: `scalec check infra/app.scale`"),
        "{err}"
    );
    let (_, _, err) = scalec_in(&empty, &["plan", "--env", "staging"]);
    assert!(
        err.contains("`scalec plan infra/app.scale --env ...`"),
        "{err}"
    );
}

#[test]
fn plan_out_says_where_it_wrote_and_how_to_apply_it() {
    let dir = scratch("plan-out");
    std::fs::write(dir.join("app.scale"), example()).expect("spec");
    let mut args = vec!["plan", "--env", "staging", "--offline", "--out", "p.json"];
    let params = staging_params();
    args.extend(params.iter().map(String::as_str));
    let (code, out, err) = scalec_in(&dir, &args);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Plan for macro-ai staging"), "{out}");
    assert!(err.contains("wrote the plan to p.json"), "{err}");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("p.json")).expect("written"))
            .expect("JSON");
    assert_eq!(saved["environment"], "staging");
}

#[test]
fn help_shows_the_no_file_form() {
    for (cmd, line) in [
        ("check", "scalec check\n"),
        ("plan", "scalec plan --env staging\n"),
        ("apply", "scalec apply --env staging\n"),
        ("destroy", "scalec destroy --env development\n"),
        ("build", "scalec build --env production\n"),
    ] {
        let (code, out, _) = scalec(&[cmd, "--help"]);
        assert_eq!(code, 0);
        assert!(
            out.contains(line),
            "{cmd} --help lacks `{}`:\n{out}",
            line.trim()
        );
        assert!(out.contains("[FILE"), "{cmd}: FILE is optional:\n{out}");
    }
}

/// One JSON document on stdout with `ok: false` and this first code.
fn assert_json_failure(out: &str, err: &str, code: &str) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(out)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {out:?}\nstderr: {err}"));
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["diagnostics"][0]["code"], code, "{v}");
    assert_eq!(v["diagnostics"][0]["severity"], "error", "{v}");
    assert!(
        v["diagnostics"][0]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    v
}

#[test]
fn json_output_stays_json_whatever_goes_wrong() {
    let dir = scratch("json-failures");
    let latin1 = dir.join("latin1.scale");
    std::fs::write(&latin1, b"app \"caf\xe9\"\n").expect("file");
    let latin1 = latin1.to_str().expect("path");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["check", "no/such.scale", "--format", "json"],
            "scale::io::read",
        ),
        (
            vec!["check", latin1, "--format", "json"],
            "scale::io::encoding",
        ),
        (
            vec!["plan", "no/such.scale", "--env", "x", "--format", "json"],
            "scale::io::read",
        ),
        (
            vec!["plan", latin1, "--env", "x", "--format", "json"],
            "scale::io::encoding",
        ),
        (
            vec![
                "plan",
                "examples/macro-ai.scale",
                "--env",
                "prod",
                "--format",
                "json",
                "--offline",
            ],
            "scale::env::unknown",
        ),
        (
            vec![
                "plan",
                "examples/macro-ai.scale",
                "--env",
                "staging",
                "--format",
                "json",
                "--offline",
            ],
            "scale::plan::missing_param",
        ),
        (
            vec![
                "simulate",
                "examples/macro-ai.scale",
                "--env",
                "production",
                "--trace",
                "no/such.csv",
                "--format",
                "json",
            ],
            "scale::io::read",
        ),
        (
            vec![
                "simulate",
                "examples/macro-ai.scale",
                "--env",
                "prod",
                "--trace",
                "x.csv",
                "--format",
                "json",
            ],
            "scale::env::unknown",
        ),
        (
            vec!["check", "--format", "json", "--no-such-flag"],
            "scale::cli::usage",
        ),
        (vec!["plan", "--format=json"], "scale::cli::usage"),
    ];
    for (args, code) in cases {
        let (exit, out, err) = scalec(&args);
        assert!(exit == 1 || exit == 2, "{args:?} exited {exit}");
        let v = assert_json_failure(&out, &err, code);
        if code == "scale::plan::missing_param" {
            assert!(
                v["diagnostics"][0]["line"].as_u64().is_some(),
                "located: {v}"
            );
        }
        assert!(
            !err.contains("error["),
            "{args:?}: the error went to stderr as text too:\n{err}"
        );
    }
}

#[test]
fn a_json_check_of_several_files_reports_each() {
    let (code, out, _) = scalec(&[
        "check",
        "examples/macro-ai.scale",
        "no/such.scale",
        "tests/ui/step_gap.scale",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(
        codes.contains(&"scale::io::read") && codes.contains(&"scale::step::gap"),
        "{codes:?}"
    );
}

/// `check --format sarif` for these files, written to a scratch file.
fn sarif_of(name: &str, files: &[&str]) -> (std::path::PathBuf, serde_json::Value) {
    let mut args = vec!["check", "--format", "sarif"];
    args.extend(files);
    let (code, out, err) = scalec(&args);
    assert!(code <= 1, "{err}");
    assert!(err.is_empty(), "nothing on stderr with SARIF: {err}");
    let path = scratch(&format!("sarif-{name}")).join(format!("{name}.sarif"));
    std::fs::write(&path, &out).expect("written");
    (path, serde_json::from_str(&out).expect("SARIF is JSON"))
}

/// Runs `sarif-multitool validate` (pinned in package.json, installed by
/// `npm ci` in scripts/test) and returns its findings as (level, rule id,
/// message).
fn validate(path: &Path) -> Vec<(String, String, String)> {
    let tool = root().join("node_modules/.bin/sarif-multitool");
    assert!(
        tool.exists(),
        "sarif-multitool is missing: run `scripts/test`, which installs the pinned npm packages"
    );
    let log = path.with_extension("validation.sarif");
    let out = std::process::Command::new(&tool)
        .args(["validate", path.to_str().expect("path"), "--output"])
        .arg(&log)
        .args(["--log", "ForceOverwrite"])
        .output()
        .expect("sarif-multitool runs");
    assert!(
        out.status.success(),
        "validator failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&log).expect("validation log"))
            .expect("JSON");
    // The log must show the validator ran its rules over this file: its own
    // run, a successful invocation and a results array.
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "Sarif.Multitool", "{v:#}");
    assert_eq!(
        run["invocations"][0]["executionSuccessful"], true,
        "the validator's run failed: {v:#}"
    );
    let results = run["results"]
        .as_array()
        .unwrap_or_else(|| panic!("a validation log without results: {v:#}"));
    let ours = results.iter().all(|r| {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .is_some_and(|u| u.ends_with(&*path.to_string_lossy()))
    });
    assert!(ours, "findings about another file: {v:#}");
    let findings: Vec<(String, String, String)> = results
        .iter()
        .map(|r| {
            (
                r["level"].as_str().unwrap_or("warning").to_string(),
                r["ruleId"].as_str().unwrap_or_default().to_string(),
                r["message"]["text"]
                    .as_str()
                    .or_else(|| r["message"]["arguments"][0].as_str())
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect();
    // SARIF2005 is the one warning scalec's logs always earn (see
    // EXPLAINED): its absence means the rules did not run.
    assert!(
        findings.iter().any(|f| f.1 == "SARIF2005"),
        "the validator's rules did not run: {findings:#?}"
    );
    findings
}

#[test]
fn sarif_carries_rules_levels_and_locations_and_the_validator_accepts_it() {
    let (path, v) = sarif_of(
        "mixed",
        &[
            "tests/ui/step_gap.scale",
            "tests/ui/lint_runaway.scale",
            "examples/macro-ai.scale",
        ],
    );
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    let levels: Vec<&str> = results.iter().filter_map(|r| r["level"].as_str()).collect();
    assert!(
        levels.contains(&"error") && levels.contains(&"warning") && levels.contains(&"note"),
        "{levels:?}"
    );
    for r in results {
        let id = r["ruleId"].as_str().expect("rule id");
        let rule = &rules[r["ruleIndex"].as_u64().expect("rule index") as usize];
        assert_eq!(rule["id"], id, "ruleIndex points at the rule");
        assert!(
            rule["help"]["text"].as_str().is_some_and(|t| t.len() > 20),
            "{rule}"
        );
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().is_some_and(|l| l >= 1), "{r}");
        assert!(
            region["startColumn"].as_u64().is_some_and(|c| c >= 1),
            "{r}"
        );
        assert!(
            r["message"]["text"]
                .as_str()
                .is_some_and(|m| m.contains("\nhelp: ")),
            "{r}"
        );
    }
    let gap = results
        .iter()
        .find(|r| r["ruleId"] == "scale::step::gap")
        .expect("the step gap");
    assert_eq!(
        gap["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "tests/ui/step_gap.scale"
    );
    let findings = validate(&path);
    let errors: Vec<_> = findings.iter().filter(|f| f.0 == "error").collect();
    assert!(errors.is_empty(), "SARIF validator errors: {errors:#?}");
    let unexplained: Vec<_> = findings
        .iter()
        .filter(|f| f.0 == "warning" && !EXPLAINED.iter().any(|(id, _)| *id == f.1))
        .collect();
    assert!(
        unexplained.is_empty(),
        "SARIF validator warnings: {unexplained:#?}"
    );
}

/// Validator warnings scalec's SARIF gets on purpose, and why.
const EXPLAINED: &[(&str, &str)] = &[(
    "SARIF2005",
    "the driver has no `informationUri`: scalec has no public home page to name yet",
)];

#[test]
fn sarif_reports_an_unreadable_file_as_a_failed_invocation() {
    let (path, v) = sarif_of("unreadable", &["no/such.scale"]);
    let inv = &v["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    assert_eq!(
        inv["toolExecutionNotifications"][0]["descriptor"]["id"],
        "scale::io::read"
    );
    let errors: Vec<_> = validate(&path)
        .into_iter()
        .filter(|f| f.0 == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}
