//! Group templates, `for_each` and specs across files: a spec written with
//! them builds and plans exactly as the same spec written out by hand,
//! diagnostics land in the file that holds the text, and a `for_each` key
//! an environment drops is deleted there and nowhere else.

use super::aws::{LocalAws, run_out};
use super::*;
use serde_json::Value as Json;

/// The platform's shared file: params, a topic and the template.
const PLATFORM: &str = r#"// The platform's pattern, shared by every service.
param lt: launch_template_id
param subnets: list<subnet_id>
param alert_email: email

topic critical { email = param.alert_email }

template service(cpu: percent = 60%, warmup: duration = 3m) {
  launch_template = param.lt
  launch_template_version = 3
  subnets = param.subnets
  capacity = env.capacity
  warmup = arg.warmup
  policy cpu target_tracking {
    metric = ec2.cpu
    target = arg.cpu
  }
  alarm hot critical {
    when = ec2.cpu > 85%
    for = 15m
  }
}

// Builds on `service`: a queue worker, its queue in a tag.
template worker(queue: string, cpu: percent = 50%) extends service(cpu = arg.cpu) {
  tags = { queue = arg.queue }
}
"#;

/// The app: one instance with its own settings, one removal and one
/// override, and a worker per queue, the list per environment.
fn app(staging_queues: &str) -> String {
    format!(
        r#"app "shop"
use "platform.scale"

environment production extends std.production {{
  region = "us-east-1"
  queues = ["emails", "thumbnails"]
}}
environment staging extends std.staging {{
  region = "us-east-1"
  queues = {staging_queues}
}}

group api from service(cpu = 70%) {{
  warmup = 2m
  remove alarm hot
  override policy cpu target_tracking {{
    metric = ec2.cpu
    target = 65%
    scale_in = false
  }}
  alarm busy critical {{
    when = ec2.cpu > 95%
    for = 5m
  }}
}}

group worker from worker(queue = each.key) {{
  for_each = env.queues
}}
"#
    )
}

/// What `app(...)` means, written out by hand.
fn flat(staging_queues: &[&str]) -> String {
    let mut s = String::from(
        r#"app "shop"
param lt: launch_template_id
param subnets: list<subnet_id>
param alert_email: email

topic critical { email = param.alert_email }

environment production extends std.production {
  region = "us-east-1"
}
environment staging extends std.staging {
  region = "us-east-1"
}

group api {
  launch_template = param.lt
  launch_template_version = 3
  subnets = param.subnets
  capacity = env.capacity
  warmup = 2m
  policy cpu target_tracking {
    metric = ec2.cpu
    target = 65%
    scale_in = false
  }
  alarm busy critical {
    when = ec2.cpu > 95%
    for = 5m
  }
}
"#,
    );
    for q in ["emails", "thumbnails"] {
        let enabled = if staging_queues.contains(&q) {
            String::new()
        } else {
            "  enabled = match env { production => true  _ => false }\n".to_string()
        };
        s.push_str(&format!(
            r#"group worker_{q} {{
{enabled}  launch_template = param.lt
  launch_template_version = 3
  subnets = param.subnets
  capacity = env.capacity
  warmup = 3m
  tags = {{ queue = "{q}" }}
  policy cpu target_tracking {{
    metric = ec2.cpu
    target = 50%
  }}
  alarm hot critical {{
    when = ec2.cpu > 85%
    for = 15m
  }}
}}
"#
        ));
    }
    s
}

/// A template with its provenance (`Metadata.scalec.source`, the file and
/// line the text is on) taken out: the one thing that differs between a
/// spec and its hand-written twin.
fn without_sources(mut v: Json) -> Json {
    fn walk(v: &mut Json) {
        match v {
            Json::Object(m) => {
                if let Some(Json::Object(s)) = m.get_mut("scalec") {
                    s.remove("source");
                }
                m.values_mut().for_each(walk);
            }
            Json::Array(a) => a.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut v);
    v
}

fn read_json(p: &std::path::Path) -> Json {
    serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("json")
}

const PARAMS: [&str; 6] = [
    "--param",
    "lt=lt-0123456789abcdef0",
    "--param",
    "subnets=subnet-0a1b2c3d",
    "--param",
    "alert_email=ops@example.com",
];

#[test]
fn a_spec_with_templates_builds_and_plans_as_its_written_out_twin() {
    let dir = scratch("templates-twin");
    std::fs::write(dir.join("platform.scale"), PLATFORM).expect("write");
    std::fs::write(dir.join("app.scale"), app(r#"["emails"]"#)).expect("write");
    std::fs::write(dir.join("flat.scale"), flat(&["emails"])).expect("write");
    let mut outs = Vec::new();
    for name in ["app", "flat"] {
        let spec = dir.join(format!("{name}.scale"));
        let out = dir.join(format!("{name}-out"));
        let (code, _, err) = scalec(&[
            "build",
            spec.to_str().expect("path"),
            "--all-envs",
            "--out-dir",
            out.to_str().expect("path"),
        ]);
        assert_eq!(code, 0, "{name}: {err}");
        outs.push(out);
    }
    for env in ["production", "staging"] {
        let file = format!("{env}/shop-{env}.json");
        let a = read_json(&outs[0].join(&file));
        let b = read_json(&outs[1].join(&file));
        assert_eq!(
            without_sources(a.clone()),
            without_sources(b),
            "{env}'s template"
        );
        let groups = a["Resources"]
            .as_object()
            .expect("resources")
            .values()
            .filter(|r| r["Type"] == "AWS::AutoScaling::AutoScalingGroup")
            .count();
        assert_eq!(
            groups,
            if env == "production" { 3 } else { 2 },
            "{env}'s groups"
        );
        // Provenance points into the file that holds the text.
        let text = a.to_string();
        assert!(
            text.contains("platform.scale:"),
            "{env}: sources in the shared file"
        );
    }
    // The plan JSON: byte for byte.
    for env in ["production", "staging"] {
        let mut plans = Vec::new();
        for name in ["app", "flat"] {
            let spec = dir.join(format!("{name}.scale"));
            let mut args = vec![
                "plan",
                spec.to_str().expect("path"),
                "--env",
                env,
                "--offline",
                "--format",
                "json",
            ];
            args.extend(PARAMS);
            let (code, out, err) = scalec(&args);
            assert_eq!(code, 0, "{name} {env}: {err}");
            // The spec's path and the hash of its text differ, as they
            // would for any two files; every call is compared.
            let mut plan: Json = serde_json::from_str(&out).expect("plan json");
            let obj = plan.as_object_mut().expect("object");
            assert!(obj.remove("spec_hash").is_some(), "a plan has a spec_hash");
            obj.remove("source");
            plans.push(serde_json::to_string_pretty(&plan).expect("json"));
        }
        assert_eq!(plans[0], plans[1], "{env}'s plan");
    }
}

#[test]
fn debug_expand_writes_out_a_spec_that_builds_the_same_templates() {
    let dir = scratch("templates-expand");
    std::fs::write(dir.join("platform.scale"), PLATFORM).expect("write");
    std::fs::write(dir.join("app.scale"), app(r#"["emails"]"#)).expect("write");
    let app_spec = dir.join("app.scale");
    let (code, written, err) = scalec(&["debug", "expand", app_spec.to_str().expect("path")]);
    assert_eq!(code, 0, "{err}");
    for line in written.lines() {
        let t = line.trim_start();
        for gone in ["template ", "use ", "for_each", "override ", "remove "] {
            assert!(!t.starts_with(gone), "`{gone}` is written out:\n{written}");
        }
        assert!(
            !t.contains(" from ") && !t.contains("arg.") && !t.contains("each."),
            "{line}"
        );
    }
    assert!(
        written.contains("group worker_thumbnails {") && written.contains("group api {"),
        "{written}"
    );
    std::fs::write(dir.join("written.scale"), &written).expect("write");
    // It is formatted already.
    let (code, _, err) = scalec(&[
        "fmt",
        "--check",
        dir.join("written.scale").to_str().expect("path"),
    ]);
    assert_eq!(code, 0, "fmt --check: {err}");
    let mut outs = Vec::new();
    for name in ["app", "written"] {
        let out = dir.join(format!("{name}-out"));
        let (code, _, err) = scalec(&[
            "build",
            dir.join(format!("{name}.scale")).to_str().expect("path"),
            "--all-envs",
            "--out-dir",
            out.to_str().expect("path"),
        ]);
        assert_eq!(code, 0, "{name}: {err}");
        outs.push(out);
    }
    for env in ["production", "staging"] {
        let file = format!("{env}/shop-{env}.json");
        assert_eq!(
            without_sources(read_json(&outs[0].join(&file))),
            without_sources(read_json(&outs[1].join(&file))),
            "{env}"
        );
    }
    // A spec with errors prints them, and no spec.
    std::fs::write(dir.join("bad.scale"), app("[\"a-b\"]")).expect("write");
    let (code, out, err) = scalec(&[
        "debug",
        "expand",
        dir.join("bad.scale").to_str().expect("path"),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.is_empty() && err.contains("scale::group::for_each"),
        "{err}"
    );
}

#[test]
fn a_type_error_in_an_argument_points_at_the_argument_and_the_parameter() {
    let dir = scratch("templates-arg");
    std::fs::write(dir.join("platform.scale"), PLATFORM).expect("write");
    let spec = app(r#"["emails"]"#).replace("service(cpu = 70%)", "service(cpu = 70)");
    std::fs::write(dir.join("app.scale"), spec).expect("write");
    let (code, out, err) = scalec(&[
        "check",
        dir.join("app.scale").to_str().expect("path"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let diags: Json = serde_json::from_str(&out).expect("json");
    let d = diags["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .find(|d| d["code"] == "scale::types::mismatch")
        .unwrap_or_else(|| panic!("a type error: {out}"));
    assert!(
        d["file"].as_str().expect("file").ends_with("app.scale"),
        "{d}"
    );
    assert_eq!(d["line"], 13, "at the argument: {d}");
    let labels = d["labels"].as_array().expect("labels");
    assert!(
        labels.iter().any(|l| l["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("platform.scale"))
            && l["line"] == 8),
        "and at the parameter: {d}"
    );
}

#[test]
fn an_error_inside_a_template_is_in_the_shared_file_and_names_the_instance() {
    let dir = scratch("templates-inside");
    std::fs::write(
        dir.join("platform.scale"),
        PLATFORM.replace("warmup = arg.warmup", "warmup = 3"),
    )
    .expect("write");
    std::fs::write(dir.join("app.scale"), app(r#"["emails"]"#)).expect("write");
    let (code, out, err) = scalec(&[
        "check",
        dir.join("app.scale").to_str().expect("path"),
        "--format",
        "sarif",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let sarif: Json = serde_json::from_str(&out).expect("sarif");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 1, "one error, not one per instance: {out}");
    let r = &results[0];
    let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .expect("uri");
    assert!(uri.ends_with("platform.scale"), "{uri}");
    let related = r["relatedLocations"].to_string();
    assert!(
        related.contains("app.scale") && related.contains("instantiated here"),
        "the instance is named: {related}"
    );
}

#[test]
fn a_key_an_environment_drops_is_deleted_there_and_nowhere_else() {
    let aws = LocalAws::start();
    let seed = aws.seed();
    let get = |k: &str| {
        seed.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let dir = scratch("templates-for-each");
    std::fs::write(dir.join("platform.scale"), PLATFORM).expect("write");
    let spec = dir.join("app.scale");
    let spec_s = spec.to_str().expect("path").to_string();
    let args = |verb: &str, env: &str, extra: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = [verb, spec_s.as_str(), "--env", env]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for p in [
            format!("lt={}", get("launch_template")),
            format!("subnets={}", get("subnets")),
            "alert_email=ops@example.com".to_string(),
        ] {
            a.push("--param".into());
            a.push(p);
        }
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    std::fs::write(&spec, app(r#"["emails", "thumbnails"]"#)).expect("write");
    for env in ["staging", "production"] {
        let (code, err) = aws.scalec(&args("apply", env, &["--auto-approve"]));
        assert_eq!(code, 0, "{env}: {err}");
    }

    // Staging's list loses `thumbnails`: its group goes, there only.
    std::fs::write(&spec, app(r#"["emails"]"#)).expect("write");
    let (code, out, err) = run_out(&aws, &args("plan", "staging", &["--detailed-exitcode"]));
    assert_eq!(code, 2, "{out}{err}");
    let changed: Vec<&str> = out
        .lines()
        .filter(|l| l.trim_start().starts_with(['+', '~', '-']))
        .collect();
    assert!(
        changed
            .iter()
            .any(|l| l.contains("autoscaling:DeleteAutoScalingGroup")
                && l.trim_end().ends_with("shop-staging-worker_thumbnails")),
        "the dropped key's group is deleted:\n{out}"
    );
    assert!(
        changed
            .iter()
            .all(|l| l.trim_start().starts_with('-') && l.contains("worker_thumbnails")),
        "nothing else changes:\n{out}"
    );
    assert!(
        out.contains("no longer in the spec"),
        "and the plan says why:\n{out}"
    );
    let (code, out, err) = run_out(&aws, &args("plan", "production", &["--detailed-exitcode"]));
    assert_eq!(code, 0, "production keeps both: {out}{err}");

    let (code, err) = aws.scalec(&args("apply", "staging", &["--auto-approve"]));
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run_out(&aws, &args("plan", "staging", &["--detailed-exitcode"]));
    assert_eq!(code, 0, "converged after the delete: {out}{err}");
}

#[test]
fn the_templated_macro_ai_example_builds_and_plans_as_the_written_out_one() {
    let dir = scratch("templates-macro-ai");
    let mut outs = Vec::new();
    for spec in [
        "examples/macro-ai.scale",
        "examples/templates/macro-ai.scale",
    ] {
        let out = dir.join(format!("out{}", outs.len()));
        let (code, _, err) = scalec(&[
            "build",
            root().join(spec).to_str().expect("path"),
            "--all-envs",
            "--out-dir",
            out.to_str().expect("path"),
        ]);
        assert_eq!(code, 0, "{spec}: {err}");
        outs.push(out);
    }
    for env in ["production", "staging", "development"] {
        let file = format!("{env}/macro-ai-{env}.json");
        assert_eq!(
            without_sources(read_json(&outs[0].join(&file))),
            without_sources(read_json(&outs[1].join(&file))),
            "{env}"
        );
    }
    let params = root().join("examples/params/macro-ai.staging.params");
    let plans: Vec<Json> = [
        "examples/macro-ai.scale",
        "examples/templates/macro-ai.scale",
    ]
    .iter()
    .map(|spec| {
        let (code, out, err) = scalec(&[
            "plan",
            root().join(spec).to_str().expect("path"),
            "--env",
            "staging",
            "--offline",
            "--params",
            params.to_str().expect("path"),
            "--format",
            "json",
        ]);
        assert_eq!(code, 0, "{spec}: {err}");
        let mut plan: Json = serde_json::from_str(&out).expect("plan");
        let obj = plan.as_object_mut().expect("object");
        obj.remove("spec_hash");
        obj.remove("source");
        plan
    })
    .collect();
    assert_eq!(plans[0], plans[1], "the plans' calls");
}
