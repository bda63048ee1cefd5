//! `scalec import --template`: every example's templates round-trip
//! exactly (build -> import -> build), templates in the CDK's style and in
//! YAML short form import and check, bad templates are located errors, and
//! mutated templates never panic.

use super::*;
use scalec::backend::cfn::{self, Format};
use serde_json::Value as Json;

/// Resources without the `source` line of their metadata (which names the
/// spec file and line they came from), keeping the scalec item name.
fn comparable(t: &Json) -> Json {
    let mut r = t["Resources"].clone();
    if let Some(m) = r.as_object_mut() {
        for v in m.values_mut() {
            if let Some(meta) = v.get_mut("Metadata").and_then(|m| m.get_mut("scalec"))
                && let Some(o) = meta.as_object_mut()
            {
                o.remove("source");
            }
        }
    }
    r
}

#[test]
fn every_example_round_trips_through_import_in_every_environment() {
    let dir = scratch("import-round-trip");
    let mut checked = 0;
    for f in scale_files(&root().join("examples")) {
        let c = compile_path(&f);
        assert!(!c.has_errors(), "{}", render(&c));
        for env in &c.spec.environments {
            let b = cfn::model_to_cfn(env, &c.sources, Format::Json).expect("builds");
            let original: Json = serde_json::from_str(&b.stacks[0].text).expect("JSON");
            let name = format!("{}.{}", stem(&f), env.name);
            let template = dir.join(format!("{name}.json"));
            std::fs::write(&template, &b.stacks[0].text).expect("write");
            let spec = dir.join(format!("{name}.scale"));
            let (code, out, err) = scalec(&[
                "import",
                "--template",
                template.to_str().expect("utf-8"),
                "-o",
                spec.to_str().expect("utf-8"),
                "--force",
            ]);
            assert_eq!(code, 0, "{name}: {out}{err}");
            assert!(err.contains("left out 0 resources"), "{name}: {err}");
            // Written as `fmt` lays a spec out.
            let (code, out, err) = scalec(&["fmt", "--check", spec.to_str().expect("utf-8")]);
            assert_eq!(
                code, 0,
                "{name}: `fmt --check` passes an imported spec: {out}{err}"
            );
            let again = compile_path(&spec);
            assert!(!again.has_errors(), "{name}: {}", render(&again));
            let e = again
                .spec
                .environment(&env.name)
                .unwrap_or_else(|| panic!("{name}: the environment is kept"));
            let rebuilt = cfn::model_to_cfn(e, &again.sources, Format::Json).expect("rebuilds");
            let rebuilt: Json = serde_json::from_str(&rebuilt.stacks[0].text).expect("JSON");
            let (a, z) = (comparable(&original), comparable(&rebuilt));
            let (am, zm) = (a.as_object().expect("map"), z.as_object().expect("map"));
            assert_eq!(
                am.keys().collect::<Vec<_>>(),
                zm.keys().collect::<Vec<_>>(),
                "{name}: the same logical ids"
            );
            for (id, res) in am {
                assert_eq!(res, &zm[id], "{name}: resource {id} differs");
            }
            for key in ["Parameters", "Outputs", "Description", "Conditions"] {
                assert_eq!(original.get(key), rebuilt.get(key), "{name}: {key}");
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 8,
        "every environment of the three examples: {checked}"
    );
}

#[test]
fn a_split_300_group_environment_round_trips_through_its_stacks() {
    let text = super::cfn::generated_spec(300);
    let c = scalec::compile("fleet.scale", &text, &scalec::check::Options::default());
    assert!(!c.has_errors(), "{}", render(&c));
    let env = &c.spec.environments[0];
    let b = cfn::model_to_cfn(env, &c.sources, Format::Json).expect("builds");
    assert!(
        b.stacks.len() > 2,
        "the environment is split: {}",
        b.stacks.len()
    );
    let dir = scratch("import-split");
    let mut args = vec!["import".to_string()];
    for s in &b.stacks {
        let path = dir.join(format!("{}.json", s.name));
        std::fs::write(&path, &s.text).expect("write");
        args.push("--template".into());
        args.push(path.to_string_lossy().into_owned());
    }
    let spec = dir.join("fleet.scale");
    args.extend([
        "-o".into(),
        spec.to_string_lossy().into_owned(),
        "--force".into(),
    ]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = scalec(&refs);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("imported 300 groups, 300 policies, 300 alarms, 1 topic"),
        "{err}"
    );
    // 300 groups of one pattern: one template, 300 one-line instances.
    assert!(
        err.contains("300 groups follow one pattern: template `g`"),
        "{err}"
    );
    let text = std::fs::read_to_string(&spec).expect("spec");
    assert_eq!(text.matches("\ntemplate g").count(), 1, "{text}");
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("group g") && l.ends_with(" from g {}"))
            .count(),
        300
    );
    let again = compile_path(&spec);
    assert!(!again.has_errors(), "{}", render(&again));
    let rebuilt = cfn::model_to_cfn(&again.spec.environments[0], &again.sources, Format::Json)
        .expect("rebuilds");
    let names = |b: &cfn::Build| b.stacks.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&b),
        names(&rebuilt),
        "the same stacks, groups in the same places"
    );
    for (x, y) in b.stacks.iter().zip(&rebuilt.stacks) {
        let (x, y): (Json, Json) = (
            serde_json::from_str(&x.text).expect("JSON"),
            serde_json::from_str(&y.text).expect("JSON"),
        );
        assert_eq!(comparable(&x), comparable(&y), "stack resources");
        for key in ["Parameters", "Outputs", "Description"] {
            assert_eq!(x.get(key), y.get(key), "{key}");
        }
    }
}

fn import(args: &[&str]) -> (i32, String, String) {
    let mut a = vec!["import"];
    a.extend_from_slice(args);
    scalec(&a)
}

#[test]
fn a_cdk_style_template_imports_with_its_conditions_and_references() {
    let (code, spec, err) = import(&[
        "--template",
        "tests/import/cdk-api.template.json",
        "--app",
        "shop",
        "--env",
        "prod",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_lines(
        &spec,
        &[
            // Fn::Join of a parameter's default: the deployed name, which is
            // what scalec derives for app `shop`, env `prod`, group `api`.
            "group api {",
            // The launch template and target group in the stack become params.
            "  launch_template = param.api_launch_template",
            "  launch_template_version = param.api_launch_template_latest_version_number",
            "  target_groups = [param.api_target_group]",
            // Fn::If on a condition over a parameter default.
            "  capacity = 3..12",
            "  health_check = elb { grace = 2m }",
            "  notify [launch_error] -> alerts",
            // An alarm wired by Fn::GetAtt to the policy's ARN; relative
            // bounds 0 and 15 over a 70% threshold.
            "  policy asg_scale_out step {",
            "    70%..85% => +1",
            "    85%..    => +3",
            "    target = 55%",
            "    when = group.in_service < 2",
            "    notify = [alerts]",
            "    name = \"shop-api-few-healthy\"",
            "    timezone = \"Europe/Berlin\"",
            "    capacity = 1..4",
            // A separate AWS::SNS::Subscription, its endpoint a param default.
            "  email = param.ops_email",
            "  param.ops_email = \"ops@example.com\"",
            "  dashboard { correlate [ec2.cpu] }",
        ],
    );
    assert!(
        !spec.contains("bootstrap_version"),
        "an unused parameter is left out:\n{spec}"
    );
    // Every resource is listed with what became of it.
    for needle in [
        "DevNotesTopicC0FFEE11",
        "its condition `IsDev` is false",
        "CDKMetadata",
        "not an Auto Scaling, alarm, topic or dashboard resource",
        "ApiLaunchTemplate4A1B2C3D",
        "the spec takes it as `param.api_launch_template` and `param.api_launch_template_latest_version_number`",
        "added topic info: alarms of tier `info` notify a topic of that name",
        "rename: the alarm of policy api/asg_scale_out has a name CloudFormation generated; scalec names it `shop-prod-api-asg_scale_out-alarm`, a new alarm",
        "imported 1 group, 2 policies, 2 alarms, 1 topic, 1 schedule, 1 dashboard; left out 4 resources; 1 lint warning",
    ] {
        assert!(err.contains(needle), "missing `{needle}` in\n{err}");
    }
    // The source's problem shows as a lint: the group doesn't collect the
    // metric an alarm reads. Its step policy's alarm window is shorter than
    // the warm-up, which is no runaway: AWS adds nothing more for a breach
    // in the same step while instances warm up (nor does the simulator).
    assert!(err.contains("scale::alarm::metric_not_collected"), "{err}");
    assert!(!err.contains("scale::lint::runaway"), "{err}");
}

#[test]
fn yaml_short_form_intrinsics_import() {
    let (code, spec, err) = import(&["--template", "tests/import/short-form.yaml"]);
    assert_eq!(code, 0, "{err}");
    assert_lines(
        &spec,
        &[
            "param launch_template_id: launch_template_id",
            "param load_balancer_arn: load_balancer_arn",
            "param subnets: list<subnet_id>",
            // !Sub over parameter defaults gives the deployed name.
            "  name = \"jobs-staging-workers\"",
            "  launch_template_version = 7",
            // !If [IsProduction, ...] with Environment's default, staging.
            "  capacity = 1..20",
            "  desired = 2",
            "  warmup = 2m",
            "  termination = [oldest_instance]",
            "    warmup = 3m",
            // !Select/!Split of the ARN: the std-lib metric with its param.
            "    when = alb.response_time(param.load_balancer_arn) > 1.5s",
            "    adjust = +20%",
            "    cooldown = 5m",
            "    min_magnitude = 2",
        ],
    );
}

#[test]
fn bad_templates_are_located_errors() {
    let dir = scratch("import-bad");
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "app.scale",
            "app \"x\"\ngroup web {\n",
            "scale::import::not_cfn",
            "not a mapping",
        ),
        (
            "broken.json",
            "{\"Resources\": {\"T\": {\"Type\" \"AWS::SNS::Topic\"}}}",
            "scale::import::parse",
            "not valid JSON",
        ),
        (
            "list.json",
            "[1, 2]\n",
            "scale::import::not_cfn",
            "not a mapping",
        ),
        (
            "nores.yaml",
            "Description: x\nParameters: {}\n",
            "scale::import::not_cfn",
            "no `Resources`",
        ),
        (
            "cut.json",
            "{\n  \"Resources\": {\n    \"G\": {\n      \"Type\": \"AWS::SNS::Topic\",\n",
            "scale::import::parse",
            "truncated",
        ),
        (
            "cut.yaml",
            "Resources:\n  G:\n    Type: AWS::SNS::Topic\n    Properties: {TopicName: [\n",
            "scale::import::parse",
            "YAML",
        ),
        (
            "import.json",
            "{\"Resources\": {\"T\": {\"Type\": \"AWS::SNS::Topic\", \"Properties\": {\"TopicName\": {\"Fn::ImportValue\": \"shared-name\"}}}}}",
            "scale::import::intrinsic",
            "`Fn::ImportValue` of `shared-name`, which none of the given templates exports",
        ),
        (
            "tag.yaml",
            "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Frobnicate x\n",
            "scale::import::parse",
            "unknown tag `!Frobnicate`",
        ),
        (
            "ref.json",
            "{\"Resources\": {\"T\": {\"Type\": \"AWS::SNS::Topic\", \"Properties\": {\"TopicName\": {\"Ref\": \"Nowhere\"}}}}}",
            "scale::import::intrinsic",
            "`Ref` names `Nowhere`",
        ),
        (
            "macro.yaml",
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  T:\n    Type: AWS::SNS::Topic\n",
            "scale::import::intrinsic",
            "Transform",
        ),
        (
            "twice.json",
            "{\"Resources\": {\"T\": {\"Type\": \"AWS::SNS::Topic\",\n  \"Properties\": {\"TopicName\": \"a\", \"TopicName\": \"b\"}}}}",
            "scale::import::parse",
            "the key `TopicName` appears twice",
        ),
        (
            "twice.yaml",
            "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: a\n      TopicName: b\n",
            "scale::import::parse",
            "duplicate",
        ),
        (
            "circle.json",
            "{\"Conditions\": {\"A\": {\"Condition\": \"B\"}, \"B\": {\"Fn::Not\": [{\"Condition\": \"A\"}]}},\n \"Resources\": {\"T\": {\"Type\": \"AWS::SNS::Topic\", \"Condition\": \"A\"}}}",
            "scale::import::cycle",
            "conditions depend on each other in a circle: `A` -> `B` -> `A`",
        ),
        (
            "itself.yaml",
            "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !GetAtt T.TopicName\n",
            "scale::import::cycle",
            "resource `T` refers to itself",
        ),
    ];
    for (file, text, code, needle) in cases {
        let path = dir.join(file);
        std::fs::write(&path, text).expect("write");
        let (exit, out, err) = import(&["--template", path.to_str().expect("utf-8")]);
        assert_eq!(exit, 1, "{file}: {out}{err}");
        assert!(out.is_empty(), "{file}: nothing on stdout");
        assert!(err.contains(code), "{file}: no {code} in\n{err}");
        assert!(err.contains(needle), "{file}: no `{needle}` in\n{err}");
        assert!(err.contains(&format!("{file}:")), "{file}: located:\n{err}");
        assert!(!err.contains("panicked"), "{file}: {err}");
    }
    // A group with a setting import doesn't read yet is refused, located,
    // and nothing is written.
    let path = dir.join("lc.json");
    std::fs::write(
        &path,
        "{\"Resources\": {\"G\": {\"Type\": \"AWS::AutoScaling::AutoScalingGroup\", \"Properties\": {\"LaunchConfigurationName\": \"old\", \"MinSize\": \"1\", \"MaxSize\": \"2\"}}}}",
    )
    .expect("write");
    let out_spec = dir.join("never.scale");
    let (exit, _, err) = import(&[
        "--template",
        path.to_str().expect("utf-8"),
        "-o",
        out_spec.to_str().expect("utf-8"),
    ]);
    assert_eq!(exit, 1, "{err}");
    assert!(
        err.contains("scale::import::unsupported") && err.contains("`LaunchConfigurationName`"),
        "{err}"
    );
    assert!(err.contains("lc.json:1:"), "{err}");
    assert!(!out_spec.exists(), "nothing written on refusal");

    // A spec that doesn't check is never written, and its errors point at
    // the resource it came from, not into a spec nobody can open.
    let path = dir.join("order.json");
    std::fs::write(
        &path,
        r#"{
  "Parameters": {
    "Lt": {"Type": "String", "Default": "lt-0123456789abcdef0"},
    "Subnets": {"Type": "List<AWS::EC2::Subnet::Id>", "Default": "subnet-0123abcd"}
  },
  "Resources": {
    "WebGroup": {
      "Type": "AWS::AutoScaling::AutoScalingGroup",
      "Properties": {
        "MinSize": "5", "MaxSize": "2",
        "LaunchTemplate": {"LaunchTemplateId": {"Ref": "Lt"}, "Version": "1"},
        "VPCZoneIdentifier": {"Ref": "Subnets"}
      }
    }
  }
}"#,
    )
    .expect("write");
    let (exit, out, err) = import(&[
        "--template",
        path.to_str().expect("utf-8"),
        "--app",
        "shop",
        "--env",
        "production",
        "-o",
        out_spec.to_str().expect("utf-8"),
    ]);
    assert_eq!(exit, 1, "{out}{err}");
    assert!(err.contains("scale::capacity::order"), "{err}");
    assert!(
        err.contains("the spec imported from resource `WebGroup` doesn't check"),
        "{err}"
    );
    assert!(err.contains("order.json:7:"), "at the resource: {err}");
    assert!(err.contains("imported as group web"), "{err}");
    assert!(
        err.contains("`capacity = 5..2`"),
        "quotes the spec's line: {err}"
    );
    assert!(
        !err.contains("never.scale:"),
        "not into the unwritten spec: {err}"
    );
    assert!(!out_spec.exists(), "nothing written");
}

#[test]
fn an_existing_spec_is_kept_and_json_lists_every_resource() {
    let dir = scratch("import-out");
    let spec = dir.join("app.scale");
    std::fs::write(&spec, "// mine\n").expect("write");
    let args = [
        "--template",
        "tests/import/short-form.yaml",
        "-o",
        spec.to_str().expect("utf-8"),
    ];
    let (code, _, err) = import(&args);
    assert_eq!(code, 1);
    assert!(err.contains("exists") && err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&spec).expect("read"), "// mine\n");
    let mut forced = args.to_vec();
    forced.push("--force");
    let (code, _, err) = import(&forced);
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::read_to_string(&spec)
            .expect("read")
            .contains("group worker {")
    );
    let (code, out, err) = import(&[
        "--template",
        "tests/import/short-form.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    let v: Json = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["ok"], true);
    assert!(
        v["spec"]
            .as_str()
            .is_some_and(|s| s.contains("group worker {"))
    );
    let ids: Vec<&str> = v["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "CpuTracking",
            "SlowResponsesAlarm",
            "SlowResponsesPolicy",
            "WorkerGroup"
        ]
    );
}

/// xorshift64*, as in the spec mutation test.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap_or(0)
    }
}

#[test]
fn mutated_templates_never_panic_and_errors_stay_in_their_file() {
    let c = compile_path(&root().join("examples/spot-fleet.scale"));
    let env = c.spec.environment("production").expect("production");
    let json = cfn::model_to_cfn(env, &c.sources, Format::Json)
        .expect("builds")
        .stacks[0]
        .text
        .clone();
    let yaml = cfn::model_to_cfn(env, &c.sources, Format::Yaml)
        .expect("builds")
        .stacks[0]
        .text
        .clone();
    let snippets = [
        "{\"Fn::ImportValue\": \"x\"}",
        "{\"Ref\": \"Nope\"}",
        "\"7\"",
        "-1",
        "null",
        "[]",
        "{}",
        "!Ref X",
        "{\"Fn::If\": [\"Missing\", 1, 2]}",
        "\"AWS::AutoScaling::LifecycleHook\"",
        "99999999999999999999",
    ];
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let mut imported = 0;
    for round in 0..600 {
        let base = if round % 2 == 0 { &json } else { &yaml };
        let mut text = base.clone();
        for _ in 0..=rng.below(3) {
            let len = text.len();
            let at = rng.below(len);
            let at = (0..=at)
                .rev()
                .find(|i| text.is_char_boundary(*i))
                .unwrap_or(0);
            match rng.below(4) {
                0 => text.truncate(at),
                1 => {
                    let end = (at + rng.below(40)).min(text.len());
                    let end = (end..=text.len())
                        .find(|i| text.is_char_boundary(*i))
                        .unwrap_or(text.len());
                    text.replace_range(at..end, "");
                }
                2 => text.insert_str(at, snippets[rng.below(snippets.len())]),
                _ => {
                    // Swap a value after a colon for a snippet.
                    if let Some(colon) = text[at..].find(": ") {
                        let start = at + colon + 2;
                        let end = text[start..]
                            .find([',', '\n'])
                            .map_or(text.len(), |e| start + e);
                        text.replace_range(start..end, snippets[rng.below(snippets.len())]);
                    }
                }
            }
        }
        let mut sources = scalec::source::SourceMap::new();
        let id = sources.add("mutant", text.clone(), false);
        let len = u32::try_from(text.len()).expect("small");
        match scalec::import::import_template(&sources, id, &scalec::import::Options::default()) {
            Ok(r) => {
                imported += 1;
                // What import writes, scalec reads without panicking.
                let _ = scalec::compile(
                    "imported.scale",
                    &r.text,
                    &scalec::check::Options::default(),
                );
            }
            Err((diags, _)) => {
                assert!(!diags.is_empty(), "round {round}: a refusal says why");
                for d in &diags {
                    for l in &d.labels {
                        assert!(
                            l.span.start <= l.span.end && l.span.end <= len,
                            "round {round}: {d:?}"
                        );
                    }
                }
            }
        }
    }
    assert!(imported > 0, "some mutants still import");
}

#[test]
fn one_template_per_environment_merges_into_one_spec_that_builds_each_back() {
    let dir = scratch("import-envs");
    for f in scale_files(&root().join("examples")) {
        let c = compile_path(&f);
        let mut args: Vec<String> = vec!["import".into()];
        let mut originals = Vec::new();
        for env in &c.spec.environments {
            let b = cfn::model_to_cfn(env, &c.sources, Format::Json).expect("builds");
            let path = dir.join(format!("{}.{}.json", stem(&f), env.name));
            std::fs::write(&path, &b.stacks[0].text).expect("write");
            args.push("--env-template".into());
            args.push(format!("{}={}", env.name, path.display()));
            originals.push((
                env.name.clone(),
                serde_json::from_str::<Json>(&b.stacks[0].text).expect("JSON"),
            ));
        }
        let spec = dir.join(format!("{}.scale", stem(&f)));
        args.extend([
            "-o".into(),
            spec.to_string_lossy().into_owned(),
            "--force".into(),
        ]);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out, err) = scalec(&refs);
        assert_eq!(code, 0, "{}: {out}{err}", f.display());
        let text = std::fs::read_to_string(&spec).expect("spec");
        // Written once: one group block per group, values that differ as env.
        assert_eq!(
            text.matches("\ngroup ").count(),
            c.spec.environments[0].groups.len(),
            "{text}"
        );
        let again = compile_path(&spec);
        assert!(!again.has_errors(), "{}", render(&again));
        for (name, original) in &originals {
            let e = again
                .spec
                .environment(name)
                .expect("the environment is kept");
            let rebuilt = cfn::model_to_cfn(e, &again.sources, Format::Json).expect("rebuilds");
            let rebuilt: Json = serde_json::from_str(&rebuilt.stacks[0].text).expect("JSON");
            assert_eq!(
                comparable(original),
                comparable(&rebuilt),
                "{} {name}",
                f.display()
            );
        }
    }
    // The macro-ai environments differ in their targets: env values.
    let text = std::fs::read_to_string(dir.join("macro-ai.scale")).expect("spec");
    assert!(
        text.contains("  capacity = env.web_capacity_from..env.web_capacity_to\n"),
        "{text}"
    );
    assert!(text.contains("    target = env.web_cpu_target\n"), "{text}");
    assert!(text.contains("environment staging {\n  tags = { service = \"api\", team = \"platform\", tier = \"staging\" }\n"), "{text}");
    // Schedules in development only.
    assert!(
        text.contains("    enabled = match env { development => true, _ => false }\n"),
        "{text}"
    );
}

#[test]
fn environments_of_different_shapes_are_refused_with_what_differs() {
    let dir = scratch("import-shapes");
    // Production has groups web and api; staging only web.
    let both = "app \"x\"\nparam lt: launch_template_id\nparam subnets: list<subnet_id>\nenvironment production {}\nenvironment staging {}\ngroup web { launch_template = param.lt  launch_template_version = 1  subnets = param.subnets  capacity = 1..2 }\ngroup api { launch_template = param.lt  launch_template_version = 1  subnets = param.subnets  capacity = 1..2 }\n";
    let only: String = both
        .lines()
        .filter(|l| !l.starts_with("group api"))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut files = Vec::new();
    for (env, text) in [("production", both), ("staging", only.as_str())] {
        let c = scalec::compile("x.scale", text, &scalec::check::Options::default());
        assert!(!c.has_errors(), "{}", render(&c));
        let e = c.spec.environment(env).expect("env");
        let b = cfn::model_to_cfn(e, &c.sources, Format::Json).expect("builds");
        let p = dir.join(format!("{env}.json"));
        std::fs::write(&p, &b.stacks[0].text).expect("write");
        files.push(format!("{env}={}", p.display()));
    }
    let out = dir.join("never.scale");
    let (code, _, err) = scalec(&[
        "import",
        "--env-template",
        &files[0],
        "--env-template",
        &files[1],
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("the environments differ in shape: `group api` is in production only"),
        "{err}"
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_live_environment_imports_into_an_empty_folder_and_plans_no_changes() {
    use super::aws::{LocalAws, apply_args, run_out};
    let aws = LocalAws::start();
    let params = aws.seed();
    let (code, err) = aws.scalec(&apply_args("staging", &params));
    assert_eq!(code, 0, "{err}");
    let dir = scratch("import-live");
    let spec = dir.join("app.scale");
    let args: Vec<String> = [
        "import",
        "--env",
        "staging",
        "--prefix",
        "macro-ai-staging-",
        "-o",
        spec.to_str().expect("utf-8"),
        "--force",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let (code, out, err) = run_out(&aws, &args);
    assert_eq!(code, 0, "{out}{err}");
    let text = std::fs::read_to_string(&spec).expect("spec");
    // Literal ids became params, with the values found.
    assert!(
        text.contains("param launch_template: launch_template_id"),
        "{text}"
    );
    assert!(text.contains("  param.launch_template = \"lt-"), "{text}");
    assert!(text.contains("  region = \"us-east-1\""), "{text}");
    let plan: Vec<String> = [
        "plan",
        spec.to_str().expect("utf-8"),
        "--env",
        "staging",
        "--detailed-exitcode",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let (code, out, err) = run_out(&aws, &plan);
    assert_eq!(
        code, 0,
        "the imported spec plans no change:\n{out}{err}\n{text}"
    );
    assert!(out.contains("No changes"), "{out}");
}

#[test]
fn a_group_made_with_the_sdk_imports_and_adopting_it_changes_only_tags() {
    use super::aws::{LocalAws, run_out};
    let aws = LocalAws::start();
    let seed = aws.seed();
    let get = |k: &str| {
        seed.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let (asg, cw, _) = aws.clients().await;
        asg.create_auto_scaling_group()
            .auto_scaling_group_name("legacy-api")
            .launch_template(
                aws_sdk_autoscaling::types::LaunchTemplateSpecification::builder()
                    .launch_template_id(get("launch_template"))
                    .version("1")
                    .build(),
            )
            .min_size(1)
            .max_size(6)
            .desired_capacity(2)
            .vpc_zone_identifier(get("subnets"))
            .send()
            .await
            .expect("group");
        asg.put_lifecycle_hook()
            .auto_scaling_group_name("legacy-api")
            .lifecycle_hook_name("drain")
            .lifecycle_transition("autoscaling:EC2_INSTANCE_TERMINATING")
            .heartbeat_timeout(300)
            .send()
            .await
            .expect("hook");
        asg.put_scaling_policy()
            .auto_scaling_group_name("legacy-api")
            .policy_name("cpu-tracking")
            .policy_type("TargetTrackingScaling")
            .target_tracking_configuration(
                aws_sdk_autoscaling::types::TargetTrackingConfiguration::builder()
                    .predefined_metric_specification(
                        aws_sdk_autoscaling::types::PredefinedMetricSpecification::builder()
                            .predefined_metric_type(
                                aws_sdk_autoscaling::types::MetricType::AsgAverageCpuUtilization,
                            )
                            .build(),
                    )
                    .target_value(55.0)
                    .build(),
            )
            .send()
            .await
            .expect("tt policy");
        asg.put_scaling_policy()
            .auto_scaling_group_name("legacy-api")
            .policy_name("legacy-api-burst")
            .policy_type("StepScaling")
            .adjustment_type("ChangeInCapacity")
            .step_adjustments(
                aws_sdk_autoscaling::types::StepAdjustment::builder()
                    .metric_interval_lower_bound(0.0)
                    .scaling_adjustment(2)
                    .build(),
            )
            .send()
            .await
            .expect("step policy");
        let burst_arn = asg
            .describe_policies()
            .auto_scaling_group_name("legacy-api")
            .send()
            .await
            .expect("policies")
            .scaling_policies()
            .iter()
            .find(|p| p.policy_name() == Some("legacy-api-burst"))
            .and_then(|p| p.policy_arn().map(str::to_string))
            .expect("the step policy's ARN");
        cw.put_metric_alarm()
            .alarm_name("legacy-api-burst-alarm")
            .namespace("AWS/EC2")
            .metric_name("CPUUtilization")
            .dimensions(
                aws_sdk_cloudwatch::types::Dimension::builder()
                    .name("AutoScalingGroupName")
                    .value("legacy-api")
                    .build(),
            )
            .statistic(aws_sdk_cloudwatch::types::Statistic::Average)
            .period(60)
            .evaluation_periods(5)
            .threshold(85.0)
            .comparison_operator(
                aws_sdk_cloudwatch::types::ComparisonOperator::GreaterThanOrEqualToThreshold,
            )
            .alarm_actions(burst_arn)
            .send()
            .await
            .expect("alarm");
    });
    let dir = scratch("import-sdk");
    // A dashboard not named after the group is read only when asked for.
    rt.block_on(async {
        let (_, cw, _) = aws.clients().await;
        cw.put_dashboard()
            .dashboard_name("ops-overview")
            .dashboard_body(r#"{"widgets":[{"type":"metric","x":0,"y":0,"width":12,"height":6,"properties":{"title":"legacy-api","region":"us-east-1","metrics":[["AWS/AutoScaling","GroupInServiceInstances","AutoScalingGroupName","legacy-api"]]}}]}"#)
            .send()
            .await
            .expect("dashboard");
    });
    let asked = dir.join("with-dashboard.scale");
    let (code, out, err) = run_out(
        &aws,
        &[
            "import",
            "--env",
            "production",
            "--group",
            "legacy-api",
            "--dashboard",
            "ops-overview",
            "-o",
            asked.to_str().expect("utf-8"),
            "--force",
        ]
        .map(String::from),
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("+ OpsOverviewDashboard"),
        "the report lists it as imported: {err}"
    );
    let with = std::fs::read_to_string(&asked).expect("spec");
    assert_lines(
        &with,
        &[
            "  dashboard {",
            "    name = \"ops-overview\"",
            "    correlate [group.in_service]",
        ],
    );
    let spec = dir.join("app.scale");
    let s = spec.to_str().expect("utf-8").to_string();
    let args: Vec<String> = [
        "import",
        "--env",
        "production",
        "--app",
        "legacy",
        "--group",
        "legacy-api",
        "-o",
        &s,
        "--force",
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    let (code, out, err) = run_out(&aws, &args);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!format!("{out}{err}").contains("OpsOverview"), "{out}{err}");
    let text = std::fs::read_to_string(&spec).expect("spec");
    assert_lines(
        &text,
        &[
            "group legacy_api {",
            "  name = \"legacy-api\"",
            "  capacity = 1..6",
            "  desired = 2",
            "  policy cpu_tracking target_tracking {",
            "    name = \"cpu-tracking\"",
            "    target = 55%",
            "  policy burst step {",
            "    85%.. => +2",
            "  hook drain terminate {",
        ],
    );
    let plan: Vec<String> = [
        "plan",
        &s,
        "--env",
        "production",
        "--adopt",
        "--detailed-exitcode",
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    let (code, out, err) = run_out(&aws, &plan);
    assert_eq!(code, 2, "{out}{err}");
    // Adopting adds scalec's ownership: the group's tags (the hook count
    // among them), and the policy alarm's description, which says scalec
    // manages it. Nothing else: the hook read from the group is the spec's.
    let lines: Vec<String> = out
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            t.starts_with(['+', '~', '-']) || t.contains(" -> ") || t.starts_with("note:")
        })
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        lines,
        [
            "~ [3] autoscaling:CreateOrUpdateTags legacy-api",
            "Tags.app: null -> \"legacy\"",
            "Tags.env: null -> \"production\"",
            "Tags.group: null -> \"legacy_api\"",
            "Tags.managed-by: null -> \"scalec\"",
            "Tags.scalec:desired: null -> \"2\"",
            "Tags.scalec:hooks: null -> \"1\"",
            "~ [5] cloudwatch:PutMetricAlarm legacy-api-burst-alarm",
            "AlarmDescription: null -> \"Triggers scaling policy `burst` of group `legacy_api`. Managed by scalec.\"",
            "note: adopting: scalec marks an alarm it takes over in its description (its tier, and that scalec manages it); CloudWatch keeps an existing alarm's tags as they are",
        ],
        "{out}\n{text}"
    );
    // After adopting, nothing is left to change.
    let apply = vec![
        "apply".to_string(),
        s.clone(),
        "--env".into(),
        "production".into(),
        "--adopt".into(),
        "--auto-approve".into(),
    ];
    let (code, err) = aws.scalec(&apply);
    assert_eq!(code, 0, "{err}");
    let plain: Vec<String> = ["plan", &s, "--env", "production", "--detailed-exitcode"]
        .iter()
        .map(|x| x.to_string())
        .collect();
    let (code, out, err) = run_out(&aws, &plain);
    assert_eq!(code, 0, "no change after adopting:\n{out}{err}");
}
