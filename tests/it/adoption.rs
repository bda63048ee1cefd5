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
    let mut examples = scale_files(&root().join("examples"));
    examples.extend(scale_files(&root().join("examples/templates")));
    for f in examples {
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

const PROD_ROLE: &str = "arn:aws:iam::111111111111:role/deploy";

/// Two environments in two accounts: staging in the default one (moto's
/// 123456789012), production in 111111111111 through a role; each with
/// the seed of its own account.
fn two_account_spec(aws: &LocalAws, prod_role: bool) -> (std::path::PathBuf, String) {
    let get = |seed: &[(String, String)], k: &str| {
        seed.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let staging = aws.seed();
    let production = aws.seed_as(Some(PROD_ROLE));
    let list = |s: &str| {
        s.split(',')
            .map(|x| format!("\"{x}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let role = if prod_role {
        format!("  role = \"{PROD_ROLE}\"\n")
    } else {
        String::new()
    };
    let text = format!(
        r#"app "shop"
param lt: launch_template_id
param subnets: list<subnet_id>
environment staging {{
  region = "us-east-1"
  account = "123456789012"
  param.lt = "{}"
  param.subnets = [{}]
}}
environment production {{
  region = "us-east-1"
  account = "111111111111"
{role}  param.lt = "{}"
  param.subnets = [{}]
}}
topic critical {{ email = "oncall@example.com" }}
group web {{
  capacity = 1..2
  launch_template = param.lt
  launch_template_version = 1
  subnets = param.subnets
  alarm busy critical {{ when = ec2.cpu > 90%  for = 10m }}
}}
"#,
        get(&staging, "launch_template"),
        list(&get(&staging, "subnets")),
        get(&production, "launch_template"),
        list(&get(&production, "subnets")),
    );
    let dir = scratch(if prod_role {
        "two-accounts"
    } else {
        "two-accounts-norole"
    });
    let spec = dir.join("app.scale");
    std::fs::write(&spec, &text).expect("spec");
    (dir, spec.to_str().expect("path").to_string())
}

fn group_names(
    rt: &tokio::runtime::Runtime,
    clients: impl std::future::Future<
        Output = (
            aws_sdk_autoscaling::Client,
            aws_sdk_cloudwatch::Client,
            aws_sdk_sns::Client,
        ),
    >,
) -> Vec<String> {
    rt.block_on(async {
        let (asg, _, _) = clients.await;
        let mut names: Vec<String> = asg
            .describe_auto_scaling_groups()
            .send()
            .await
            .expect("groups")
            .auto_scaling_groups()
            .iter()
            .filter_map(|g| g.auto_scaling_group_name().map(str::to_string))
            .collect();
        names.sort();
        names
    })
}

#[test]
fn every_environment_is_planned_and_applied_in_its_own_account_at_once() {
    let aws = LocalAws::start();
    let (dir, spec) = two_account_spec(&aws, true);
    let args = |extra: &[&str]| -> Vec<String> {
        let mut a = vec![spec.clone()];
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let mut plan = vec!["plan".to_string()];
    plan.extend(args(&["--all-envs", "--detailed-exitcode"]));
    let (code, out, err) = run_out(&aws, &plan);
    assert_eq!(code, 2, "{out}{err}");
    for header in [
        "Plan for shop staging in us-east-1 (",
        "Plan for shop production in us-east-1 (",
        "2 environments: ",
    ] {
        assert!(out.contains(header), "missing `{header}` in\n{out}");
    }
    // The role was assumed, and each account checked, before any read.
    let requests = aws.requests();
    let first_read = requests
        .iter()
        .position(|r| r["service"] != "sts")
        .expect("reads");
    let sts: Vec<&str> = requests[..first_read]
        .iter()
        .filter_map(|r| r["action"].as_str())
        .collect();
    assert!(
        sts.contains(&"AssumeRole") && sts.contains(&"GetCallerIdentity"),
        "{sts:?}"
    );

    let mut apply = vec!["apply".to_string()];
    apply.extend(args(&["--all-envs", "--auto-approve"]));
    let (code, err) = aws.scalec(&apply);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("Environment `staging`: apply complete"),
        "{err}"
    );
    assert!(
        err.contains("Environment `production`: apply complete"),
        "{err}"
    );
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    assert_eq!(
        group_names(&rt, aws.clients()),
        ["shop-staging-web"],
        "the default account"
    );
    assert_eq!(
        group_names(&rt, aws.clients_as(PROD_ROLE)),
        ["shop-production-web"],
        "the role's account"
    );
    let (code, out, err) = run_out(&aws, &plan);
    assert_eq!(code, 0, "both converged:\n{out}{err}");

    // A saved plan of both, applied as saved; an edited one refused.
    let saved = dir.join("plans.json");
    let mut plan_out = vec!["plan".to_string()];
    plan_out.extend(args(&[
        "--all-envs",
        "--out",
        saved.to_str().expect("path"),
    ]));
    let (code, _, err) = run_out(&aws, &plan_out);
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&saved).expect("saved")).expect("JSON");
    assert_eq!(doc["plans"].as_array().map(Vec::len), Some(2), "{doc:#}");
    assert_eq!(doc["plans"][1]["account"], "111111111111", "{doc:#}");
    let apply_saved = vec![
        "apply".to_string(),
        saved.to_str().expect("path").to_string(),
        "--auto-approve".into(),
    ];
    let (code, err) = aws.scalec(&apply_saved);
    assert_eq!(code, 0, "{err}");
    let mut edited = doc.clone();
    edited["plans"][1]["operations"] = serde_json::json!([{
        "step": 3, "action": "delete", "resource": "shop-staging-web",
        "api": "autoscaling:DeleteAutoScalingGroup",
        "request": { "AutoScalingGroupName": "shop-staging-web", "ForceDelete": true }
    }]);
    std::fs::write(&saved, edited.to_string()).expect("edited");
    let (code, err) = aws.scalec(&apply_saved);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("scale::plan::altered"), "{err}");
    assert_eq!(group_names(&rt, aws.clients()), ["shop-staging-web"]);

    // A live import through the role, its account checked: the spec it
    // writes names both, so every later command checks them too.
    let imported = dir.join("imported.scale");
    let import = |account: &str| -> Vec<String> {
        [
            "import",
            "--env",
            "production",
            "--prefix",
            "shop-production-",
            "--region",
            "us-east-1",
            "--role",
            PROD_ROLE,
            "--account",
            account,
            "-o",
            imported.to_str().expect("path"),
            "--force",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let (code, out, err) = run_out(&aws, &import("111111111111"));
    assert_eq!(code, 0, "{out}{err}");
    let text = std::fs::read_to_string(&imported).expect("imported");
    assert!(text.contains("  account = \"111111111111\""), "{text}");
    assert!(
        text.contains(&format!("  role = \"{PROD_ROLE}\"")),
        "{text}"
    );
    assert!(text.contains("group web"), "{text}");
    let (code, out, err) = run_out(&aws, &import("123456789012"));
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("scale::aws::wrong_account"), "{err}");
}

#[test]
fn the_wrong_account_is_refused_before_anything_is_read() {
    let aws = LocalAws::start();
    // Production names its account but no role: the default credentials
    // are another account's.
    let (_, spec) = two_account_spec(&aws, false);
    let before = aws.requests().len();
    let (code, out, err) = run_out(
        &aws,
        &[
            "plan".to_string(),
            spec.clone(),
            "--env".into(),
            "production".into(),
        ],
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("scale::aws::wrong_account"), "{err}");
    let words = err.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("environment `production` deploys to account 111111111111 (its `account`), but the credentials in use are account 123456789012: nothing was read or changed"),
        "{err}"
    );
    let sent: Vec<String> = aws.requests()[before..]
        .iter()
        .map(|r| {
            format!(
                "{}:{}",
                r["service"].as_str().unwrap_or(""),
                r["action"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        sent,
        ["sts:GetCallerIdentity"],
        "nothing but the identity was asked"
    );

    // apply and destroy refuse the same way; --all-envs plans staging and
    // reports production with its name, and applies nothing.
    for verb in ["apply", "destroy"] {
        let (code, err) = aws.scalec(&[
            verb.to_string(),
            spec.clone(),
            "--env".into(),
            "production".into(),
            "--auto-approve".into(),
        ]);
        assert_eq!(code, 1, "{verb}: {err}");
        assert!(err.contains("scale::aws::wrong_account"), "{verb}: {err}");
    }
    let (code, err) = aws.scalec(&[
        "apply".to_string(),
        spec.clone(),
        "--all-envs".into(),
        "--auto-approve".into(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("Plan for shop staging in us-east-1"), "{err}");
    assert!(
        err.contains("Environment `production`: not planned"),
        "{err}"
    );
    assert!(err.contains("Nothing was applied"), "{err}");
    assert!(
        aws.sent("CreateAutoScalingGroup").is_empty(),
        "nothing written"
    );
}

#[test]
fn an_environments_account_and_role_are_checked_with_the_spec() {
    let dir = scratch("account-role-check");
    let spec = dir.join("app.scale");
    let text = |account: &str, role: &str| {
        format!(
            "app \"shop\"\nparam lt: launch_template_id\nparam subnets: list<subnet_id>\nenvironment production {{\n  region = \"us-east-1\"\n  account = \"{account}\"\n  role = \"{role}\"\n}}\ngroup web {{\n  capacity = 1..2\n  launch_template = param.lt\n  launch_template_version = 1\n  subnets = param.subnets\n}}\n"
        )
    };
    std::fs::write(
        &spec,
        text("111111111111", "arn:aws:iam::222222222222:role/deploy"),
    )
    .expect("spec");
    let (code, _, err) = scalec_wide(&["check", spec.to_str().expect("path")]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(
            "the role is in account 222222222222, the environment's `account` is 111111111111"
        ),
        "{err}"
    );
    std::fs::write(&spec, text("1111", "arn:aws:iam::111111111111:role/deploy")).expect("spec");
    let (code, _, err) = scalec_wide(&["check", spec.to_str().expect("path")]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("`1111` is not an AWS account id"), "{err}");
    std::fs::write(
        &spec,
        text("111111111111", "arn:aws:sns:us-east-1:111111111111:deploy"),
    )
    .expect("spec");
    let (code, _, err) = scalec_wide(&["check", spec.to_str().expect("path")]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("scale::types::bad_value"), "{err}");
    std::fs::write(
        &spec,
        text("111111111111", "arn:aws:iam::111111111111:role/deploy"),
    )
    .expect("spec");
    let (code, _, err) = scalec(&["check", spec.to_str().expect("path")]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn an_environments_own_params_file_wins_over_shared_ones_and_param_over_both() {
    let dir = scratch("env-params");
    let shared = dir.join("shared.params");
    std::fs::write(&shared, STAGING_PARAMS).expect("written");
    let own = dir.join("staging.params");
    std::fs::write(
        &own,
        "launch_template_version = \"7\"\nalert_email = \"staging@example.com\"\n",
    )
    .expect("written");
    let env_params = format!("staging={}", own.display());
    let run = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec![
            "plan",
            "examples/macro-ai.scale",
            "--env",
            "staging",
            "--offline",
            "--format",
            "json",
            "--params",
            shared.to_str().expect("path"),
            "--env-params",
            &env_params,
        ];
        args.extend(extra);
        let (code, out, err) = scalec(&args);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str(&out).expect("JSON")
    };
    let p = run(&[]);
    assert_eq!(
        p["params"]["launch_template_version"], "7",
        "the environment's own file wins"
    );
    assert_eq!(p["params"]["alert_email"], "staging@example.com");
    assert_eq!(
        p["params"]["launch_template"], "lt-0123456789abcdef0",
        "the shared file fills the rest"
    );
    let p = run(&["--param", "launch_template_version=9"]);
    assert_eq!(
        p["params"]["launch_template_version"], "9",
        "--param wins over both"
    );
    // A file for an environment the spec doesn't have.
    let (code, _, err) = scalec(&[
        "check",
        "examples/macro-ai.scale",
        "--env-params",
        &format!("stagin={}", own.display()),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("`--env-params stagin=...` names no environment of the spec"),
        "{err}"
    );
    assert!(err.contains("did you mean `staging`?"), "{err}");
}
