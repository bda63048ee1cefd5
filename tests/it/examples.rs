//! Every example checks clean, its model is snapshotted per environment,
//! and the std-lib checks clean on its own.

use super::*;
use scalec::diagnostic::Severity;

#[test]
fn every_example_checks_clean() {
    let files = scale_files(&root().join("examples"));
    assert!(!files.is_empty(), "examples/ has .scale files");
    for f in files {
        let c = compile_path(&f);
        let bad: Vec<_> = c
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Note)
            .collect();
        assert!(
            bad.is_empty(),
            "{} has diagnostics:\n{}",
            f.display(),
            render(&c)
        );
        assert!(
            !c.spec.environments.is_empty(),
            "{} has environments",
            f.display()
        );
    }
}

#[test]
fn example_models_are_snapshotted_per_environment() {
    for f in scale_files(&root().join("examples")) {
        let c = compile_path(&f);
        let stem = stem(&f);
        for env in &c.spec.environments {
            let json = serde_json::to_string_pretty(env).expect("model serializes");
            insta::with_settings!({ snapshot_path => "snapshots/models", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(format!("{stem}.{}", env.name), json);
            });
        }
    }
}

#[test]
fn compiling_twice_gives_identical_models() {
    for f in scale_files(&root().join("examples")) {
        let a = serde_json::to_string(&compile_path(&f).spec).expect("serializes");
        let b = serde_json::to_string(&compile_path(&f).spec).expect("serializes");
        assert_eq!(a, b, "{} is not deterministic", f.display());
    }
}

#[test]
fn std_lib_has_no_diagnostics_of_its_own() {
    let c = scalec::compile(
        "min.scale",
        "app \"x\"\nenvironment production extends std.production {}\n",
        &Options::default(),
    );
    let in_std: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| c.sources.get(d.span().file).is_std)
        .collect();
    assert!(in_std.is_empty(), "std-lib diagnostics:\n{}", render(&c));
    // and every std preset resolves the keys the example relies on
    for preset in ["production", "staging", "development"] {
        let src = format!(
            "app \"x\"\nparam lt: launch_template_id\nparam s: list<subnet_id>\nenvironment e extends std.{preset} {{}}\ngroup g {{ launch_template = param.lt subnets = param.s capacity = env.capacity desired = env.desired policy c target_tracking {{ metric = ec2.cpu target = env.cpu }} }}\n"
        );
        let c = scalec::compile("p.scale", &src, &Options::default());
        assert!(!c.has_errors(), "std.{preset}:\n{}", render(&c));
    }
}

#[test]
fn the_readme_spec_checks_clean() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let after = readme
        .split("## What a spec looks like")
        .nth(1)
        .expect("section");
    let spec = after.split("```").nth(1).expect("code block");
    let c = scalec::compile("README.md", spec, &Options::default());
    assert!(!c.has_errors(), "{}", render(&c));
    assert!(
        c.diagnostics
            .iter()
            .all(|d| d.severity == scalec::diagnostic::Severity::Note),
        "nothing but notes:\n{}",
        render(&c)
    );
    assert_eq!(c.spec.environments.len(), 2);
    // It builds and plans offline as the README shows, with the params it
    // declares and no region.
    let dir = scratch("readme-spec");
    std::fs::write(dir.join("app.scale"), spec).expect("spec written");
    let path = dir.join("app.scale").display().to_string();
    let params = [
        "launch_template=lt-0123456789abcdef0",
        "subnets=subnet-0123abcd",
        "load_balancer=arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/api/50dc6c495c0c9188",
        "target_group=arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067",
        "alert_email=ops@example.com",
    ];
    for env in ["production", "staging"] {
        for verb in [&["build"][..], &["plan", "--offline"][..]] {
            let mut args: Vec<&str> = verb.to_vec();
            args.extend([path.as_str(), "--env", env]);
            for p in &params {
                args.extend(["--param", p]);
            }
            let (code, out, err) = scalec(&args);
            assert_eq!(code, 0, "{args:?}: {err}");
            assert!(!out.is_empty(), "{args:?} printed nothing");
        }
    }
    let (code, out, _) = scalec(&["plan", &path, "--env", "staging", "--offline"]);
    assert_eq!(code, 1, "the params are still needed: {out}");
}

#[test]
fn debug_model_shows_the_fleet_items() {
    let (code, out, err) = scalec(&[
        "debug",
        "model",
        "examples/spot-fleet.scale",
        "--env",
        "production",
    ]);
    assert_eq!(code, 0, "{err}");
    let env: serde_json::Value = serde_json::from_str(&out).expect("the model as JSON");
    let api = &env["groups"][0];
    assert_eq!(api["physical_name"], "spot-fleet-api");
    assert_eq!(
        api["instances"]["overrides"].as_array().map(Vec::len),
        Some(4)
    );
    assert_eq!(api["instances"]["on_demand_base"], 2);
    assert_eq!(api["capacity_rebalance"], true);
    assert_eq!(api["maintenance"]["min"], 90);
    assert_eq!(api["az_distribution"], "balanced-only");
    let hooks: Vec<&str> = api["hooks"]
        .as_array()
        .expect("hooks")
        .iter()
        .filter_map(|h| h["default_result"].as_str())
        .collect();
    assert_eq!(hooks, ["ABANDON", "CONTINUE"]);
    assert_eq!(api["refresh"]["min_healthy"], 100);
    assert_eq!(api["refresh"]["alarms"], serde_json::json!(["no_capacity"]));
    assert_eq!(api["policies"][2]["kind"]["type"], "predictive");
    let workers = &env["groups"][1];
    assert_eq!(workers["warm_pool"]["min_size"], 2);
    assert_eq!(workers["warm_pool"]["state"], "Stopped");
    assert_eq!(workers["suspended"], serde_json::json!(["AZRebalance"]));
    assert_eq!(workers["protect_new_instances"], true);
    assert_eq!(workers["capacity_reservation"]["preference"], "none");
    assert_eq!(
        workers["launch_template"]["template"]["name"]["param"],
        "arm_template"
    );
    assert_eq!(
        workers["policies"][0]["kind"]["math"]["expression"],
        "(m1 / m2)"
    );
}
