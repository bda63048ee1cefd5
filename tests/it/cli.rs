//! The real binary: exit codes, JSON output, colour, `--env`, `--param`.

use super::*;
use std::process::Command;

fn scalec(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_scalec"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

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
    let (code, _, _) = scalec(&["check"]);
    assert_eq!(code, 2);
    let (code, _, _) = scalec(&["check", "x.scale", "--format", "yaml"]);
    assert_eq!(code, 2);
    let (code, _, err) = scalec(&["check", "does/not/exist.scale"]);
    assert_eq!(code, 1);
    assert!(err.contains("scale::io::read"), "{err}");
}

#[test]
fn output_has_no_colour_when_not_a_terminal() {
    let (_, _, err) = scalec(&["check", "tests/ui/units_mismatch_target.scale"]);
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
    for args in [
        vec!["check", "--help"],
        vec!["debug", "model", "--help"],
        vec!["debug", "ast", "--help"],
    ] {
        let (code, out, _) = scalec(&args);
        assert_eq!(code, 0);
        assert!(out.contains("Example"), "{args:?}: {out}");
    }
}
