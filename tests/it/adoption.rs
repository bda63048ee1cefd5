//! Adopting scalec from another tool: topics' display names through every
//! stage against moto, `--params FILE`, and the commands the examples and
//! the README show, run as written.

use super::aws::{LocalAws, run_out};
use super::*;

/// A small spec: one group notifying a topic with a display name.
fn display_spec(display: &str) -> String {
    format!(
        r#"app "shop"
param lt: launch_template_id
param subnets: list<subnet_id>
environment staging {{ region = "us-east-1" }}
topic critical {{
  email = "oncall@example.com"
  display_name = "{display}"
}}
group web {{
  capacity = 1..2
  launch_template = param.lt
  launch_template_version = 1
  subnets = param.subnets
  notify [launch_error] -> critical
}}
"#
    )
}

/// `VERB SPEC --env staging` with the seed's template and subnets.
fn with_seed(seed: &[(String, String)], verb: &str, spec: &str, extra: &[&str]) -> Vec<String> {
    let get = |k: &str| {
        seed.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut args: Vec<String> = [verb, spec, "--env", "staging"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.push("--param".into());
    args.push(format!("lt={}", get("launch_template")));
    args.push("--param".into());
    args.push(format!("subnets={}", get("subnets")));
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

#[test]
fn a_topics_display_name_is_created_changed_planned_and_imported() {
    let aws = LocalAws::start();
    let seed = aws.seed();
    let dir = scratch("display-name");
    let spec = dir.join("app.scale");
    std::fs::write(&spec, display_spec("Shop: critical")).expect("spec");
    let spec = spec.to_str().expect("path");
    let (code, out, err) = run_out(&aws, &with_seed(&seed, "plan", spec, &[]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Attributes: DisplayName=Shop: critical")
            || out.contains("Attributes.DisplayName: \"Shop: critical\""),
        "the create shows its display name:\n{out}"
    );
    let (code, err) = aws.scalec(&with_seed(&seed, "apply", spec, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let display = || {
        rt.block_on(async {
            let (_, _, sns) = aws.clients().await;
            let arn = sns
                .list_topics()
                .send()
                .await
                .expect("topics")
                .topics()
                .iter()
                .filter_map(|t| t.topic_arn())
                .find(|a| a.ends_with(":shop-staging-critical"))
                .expect("the topic")
                .to_string();
            sns.get_topic_attributes()
                .topic_arn(arn)
                .send()
                .await
                .expect("attributes")
                .attributes()
                .and_then(|a| a.get("DisplayName").cloned())
                .unwrap_or_default()
        })
    };
    assert_eq!(display(), "Shop: critical", "moto stores what was sent");

    // Changed in the spec: one update, in words, then applied.
    std::fs::write(spec, display_spec("Shop alerts")).expect("spec");
    let (code, out, err) = run_out(
        &aws,
        &with_seed(&seed, "plan", spec, &["--detailed-exitcode"]),
    );
    assert_eq!(code, 2, "{out}{err}");
    let changed: Vec<&str> = out
        .lines()
        .filter(|l| l.trim_start().starts_with(['+', '~', '-']))
        .collect();
    assert_eq!(changed.len(), 1, "only the display name changes:\n{out}");
    assert!(
        changed[0].contains("~ [1] sns:SetTopicAttributes")
            && changed[0].ends_with("shop-staging-critical"),
        "{out}"
    );
    assert!(
        out.contains("DisplayName: \"Shop: critical\" -> \"Shop alerts\""),
        "{out}"
    );
    let (code, err) = aws.scalec(&with_seed(&seed, "apply", spec, &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(display(), "Shop alerts");
    let (code, out, err) = run_out(
        &aws,
        &with_seed(&seed, "plan", spec, &["--detailed-exitcode"]),
    );
    assert_eq!(code, 0, "converged:\n{out}{err}");

    // Imported from the live account, the display name comes back.
    let imported = dir.join("imported.scale");
    let args: Vec<String> = [
        "import",
        "--env",
        "staging",
        "--prefix",
        "shop-staging-",
        "-o",
        imported.to_str().expect("path"),
        "--force",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let (code, out, err) = run_out(&aws, &args);
    assert_eq!(code, 0, "{out}{err}");
    let text = std::fs::read_to_string(&imported).expect("imported");
    assert!(text.contains("display_name = \"Shop alerts\""), "{text}");
}

#[test]
fn a_display_name_over_100_characters_is_refused_at_check() {
    let dir = scratch("display-name-long");
    let spec = dir.join("app.scale");
    std::fs::write(&spec, display_spec(&"x".repeat(101))).expect("spec");
    let (code, _, err) = scalec(&["check", spec.to_str().expect("path")]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("scale::types::too_long"), "{err}");
    assert!(err.contains("display name"), "{err}");
    std::fs::write(&spec, display_spec(&"x".repeat(100))).expect("spec");
    let (code, _, err) = scalec(&["check", spec.to_str().expect("path")]);
    assert_eq!(code, 0, "100 characters are fine: {err}");
}

/// The macro-ai example's staging values, as a params file would hold them.
const STAGING_PARAMS: &str = r#"// staging.params: the values `plan --env staging` needs
launch_template = "lt-0123456789abcdef0"
launch_template_version = "3"
subnets = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
load_balancer = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/api/50dc6c495c0c9188"
target_group = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067"
alert_email = "ops@example.com"  // the on-call list
"#;

#[test]
fn a_params_file_gives_what_param_flags_give_and_flags_win() {
    let dir = scratch("params-file");
    let file = dir.join("staging.params");
    std::fs::write(&file, STAGING_PARAMS).expect("written");
    let file = file.to_str().expect("path");
    let spec = "examples/macro-ai.scale";
    let (code, from_file, err) = scalec(&[
        "plan",
        spec,
        "--env",
        "staging",
        "--offline",
        "--format",
        "json",
        "--params",
        file,
    ]);
    assert_eq!(code, 0, "{err}");
    let mut flags = vec![
        "plan",
        spec,
        "--env",
        "staging",
        "--offline",
        "--format",
        "json",
    ];
    let entries: Vec<(String, String)> = STAGING_PARAMS
        .lines()
        .filter(|l| !l.starts_with("//"))
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| {
            let v = v.split("  //").next().unwrap_or(v).trim();
            let v = v
                .trim_matches(|c| c == '[' || c == ']')
                .split(", ")
                .map(|x| x.trim_matches('"'))
                .collect::<Vec<_>>()
                .join(",");
            (k.to_string(), format!("{k}={v}"))
        })
        .collect();
    assert_eq!(entries.len(), 6);
    for (_, kv) in &entries {
        flags.push("--param");
        flags.push(kv);
    }
    let (code, from_flags, err) = scalec(&flags);
    assert_eq!(code, 0, "{err}");
    assert_eq!(from_file, from_flags, "the same plan either way");
    let plan: serde_json::Value = serde_json::from_str(&from_file).expect("JSON");
    assert_eq!(
        plan["params"]["subnets"],
        "subnet-0123456789abcdef0,subnet-0123456789abcdef1"
    );

    // --param wins over the file.
    let (code, out, err) = scalec(&[
        "plan",
        spec,
        "--env",
        "staging",
        "--offline",
        "--format",
        "json",
        "--params",
        file,
        "--param",
        "launch_template_version=4",
    ]);
    assert_eq!(code, 0, "{err}");
    let plan: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(plan["params"]["launch_template_version"], "4");
    assert!(out.contains("\"Version\": \"4\""), "{out}");

    // check, build and simulate take the file too.
    let (code, _, err) = scalec(&["check", spec, "--env", "staging", "--params", file]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = scalec(&["build", spec, "--env", "staging", "--params", file]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("lt-0123456789abcdef0"),
        "the file's value is the template's default"
    );
}

#[test]
fn a_params_file_with_a_bad_line_or_value_is_reported_where_it_is() {
    let dir = scratch("params-file-bad");
    let spec = "examples/macro-ai.scale";
    let bad = dir.join("bad.params");
    std::fs::write(
        &bad,
        "launch_template = \"lt-0123456789abcdef0\"\nsubnets = subnet-1\n",
    )
    .expect("written");
    let (code, _, err) = scalec(&[
        "plan",
        spec,
        "--env",
        "staging",
        "--offline",
        "--params",
        bad.to_str().expect("path"),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("scale::cli::params_file"), "{err}");
    assert!(err.contains("bad.params:2:11: expected a value"), "{err}");
    assert!(
        err.contains("help: write one `name = value` a line"),
        "{err}"
    );

    // A name the spec doesn't declare, and a value its field refuses: said
    // with the file and line that gave them.
    let wrong = dir.join("wrong.params");
    std::fs::write(&wrong, "subnetz = [\"subnet-0123456789abcdef0\"]\n").expect("written");
    let (code, _, err) = scalec_wide(&["check", spec, "--params", wrong.to_str().expect("path")]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("`subnetz` (") && err.contains("wrong.params:1) names no declared param"),
        "{err}"
    );
    assert!(err.contains("did you mean `subnets`?"), "{err}");
    std::fs::write(&wrong, "// values\nsubnets = [\"sub-1\"]\n").expect("written");
    let (code, _, err) = scalec_wide(&["check", spec, "--params", wrong.to_str().expect("path")]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("`subnets = sub-1` (") && err.contains("wrong.params:2)"),
        "{err}"
    );
    assert!(err.contains("scale::types::bad_value"), "{err}");

    // A file that isn't there, in check's JSON too.
    let (code, out, _) = scalec(&[
        "check",
        spec,
        "--params",
        "no/such.params",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    assert_eq!(v["ok"], false);
    assert!(out.contains("scale::io::read"), "{out}");
}

/// The commands a text shows: lines of `prefix` + `scalec ...` or
/// `cargo run --release -- ...`, a trailing `\` joining the next line, a
/// `#` comment dropped.
fn shown_commands(lines: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = String::new();
    for l in lines {
        let l = l.split(" # ").next().unwrap_or(l).trim();
        let (text, more) = match l.strip_suffix('\\') {
            Some(t) => (t.trim(), true),
            None => (l, false),
        };
        if !pending.is_empty() {
            pending.push(' ');
        }
        pending.push_str(text);
        if !more {
            if pending.starts_with("scalec ")
                || pending.starts_with("cargo run --release -- ")
                || pending == "scripts/test"
            {
                out.push(std::mem::take(&mut pending));
            }
            pending.clear();
        }
    }
    out
}

#[test]
fn every_command_the_examples_and_the_readme_show_runs_as_written() {
    let mut commands: Vec<(String, String)> = Vec::new();
    // Each example's header: its leading comment's indented commands.
    for f in scale_files(&root().join("examples")) {
        let text = std::fs::read_to_string(&f).expect("example");
        let header: Vec<&str> = text
            .lines()
            .take_while(|l| l.starts_with("//"))
            .filter_map(|l| l.strip_prefix("//"))
            .filter(|l| l.starts_with("     "))
            .collect();
        for c in shown_commands(&header) {
            commands.push((stem(&f), c));
        }
    }
    // The README's shell blocks.
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let mut in_sh = false;
    let mut block: Vec<&str> = Vec::new();
    for l in readme.lines() {
        if l.starts_with("```") {
            if in_sh {
                for c in shown_commands(&block) {
                    commands.push(("README".into(), c));
                }
                block.clear();
            }
            in_sh = !in_sh && l.trim() == "```sh";
            continue;
        }
        if in_sh {
            block.push(l);
        }
    }
    assert!(
        commands.iter().filter(|(w, _)| w == "README").count() >= 3
            && commands.iter().filter(|(w, _)| w != "README").count() >= 5,
        "too few commands found: {commands:#?}"
    );
    // Run where the README is, with the files they write in a scratch
    // folder: `examples/` is linked there.
    let dir = scratch("shown-commands");
    let link = dir.join("examples");
    if !link.exists() {
        std::os::unix::fs::symlink(root().join("examples"), &link).expect("link");
    }
    let mut ran = 0;
    for (from, c) in &commands {
        if c == "scripts/test" {
            // The command that runs this test.
            continue;
        }
        let args: Vec<&str> = c
            .strip_prefix("cargo run --release -- ")
            .or_else(|| c.strip_prefix("scalec "))
            .unwrap_or(c)
            .split_whitespace()
            .collect();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_scalec"))
            .args(&args)
            .current_dir(&dir)
            .output()
            .expect("scalec runs");
        assert!(
            out.status.success(),
            "{from} shows `{c}`, which fails:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        ran += 1;
    }
    assert!(ran >= 8, "ran {ran}");
}
