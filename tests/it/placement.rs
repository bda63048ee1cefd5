//! Sticky stack placement with the real binary: `build --out-dir` reads the
//! manifest it left last time and keeps every deployed group in its stack,
//! whatever happens to the spec around it.

use super::*;
use std::collections::BTreeMap;

/// A spec with these groups, in this order. `big` groups carry extra
/// alarms, so they take more room in a stack.
fn spec(groups: &[String], big: &[&str]) -> String {
    let mut s = String::from(
        "app \"fleet\"\nparam lt: launch_template_id\nparam subnets: list<subnet_id>\nparam email: email\n\
         environment production extends std.production { param.lt = \"lt-0123456789abcdef0\" }\n\
         topic critical { email = param.email }\n",
    );
    for name in groups {
        s.push_str(&format!(
            "group {name} {{\n  launch_template = param.lt  launch_template_version = 4\n  subnets = param.subnets\n  capacity = env.capacity  desired = env.desired\n  metrics = all\n  policy cpu target_tracking {{ metric = ec2.cpu  target = env.cpu }}\n  alarm full critical {{ when = group.in_service >= capacity.max  for = 10m }}\n"
        ));
        if big.contains(&name.as_str()) {
            for i in 0..40 {
                s.push_str(&format!(
                    "  alarm extra{i} critical {{ when = ec2.cpu > 95%  for = 5m }}\n"
                ));
            }
        }
        s.push_str("}\n");
    }
    s
}

/// Builds `source` into `out` with the real binary; returns stderr.
fn build(dir: &std::path::Path, source: &str) -> String {
    let path = dir.join("fleet.scale");
    std::fs::write(&path, source).expect("spec");
    let (code, _, err) = scalec(&[
        "build",
        path.to_str().expect("path"),
        "--all-envs",
        "--out-dir",
        dir.join("out").to_str().expect("path"),
    ]);
    assert_eq!(code, 0, "{err}");
    err
}

/// group -> stack, from the manifest in `dir/out`.
fn stacks_of(dir: &std::path::Path) -> BTreeMap<String, String> {
    let m = read_manifest(&dir.join("out"));
    let mut out = BTreeMap::new();
    for s in m["environments"][0]["stacks"].as_array().expect("stacks") {
        for g in s["groups"].as_array().expect("groups") {
            out.insert(
                g.as_str().expect("name").to_string(),
                s["name"].as_str().expect("stack").to_string(),
            );
        }
    }
    out
}

#[test]
fn inserting_deleting_and_reordering_groups_never_moves_an_existing_one() {
    let dir = scratch("placement-300");
    let mut names: Vec<String> = (0..300).map(|i| format!("g{i}")).collect();
    build(&dir, &spec(&names, &[]));
    let before = stacks_of(&dir);
    assert!(
        before
            .values()
            .collect::<std::collections::BTreeSet<_>>()
            .len()
            >= 2,
        "300 groups need several stacks"
    );
    // Insert in the middle, delete some, and reverse the order.
    names.insert(10, "inserted_a".into());
    names.insert(150, "inserted_b".into());
    names.retain(|n| n != "g42" && n != "g250");
    names.reverse();
    let err = build(&dir, &spec(&names, &[]));
    assert!(!err.contains("scale::cfn::moved"), "{err}");
    let after = stacks_of(&dir);
    for (group, stack) in &before {
        if group == "g42" || group == "g250" {
            assert!(!after.contains_key(group), "{group} was deleted");
            continue;
        }
        assert_eq!(after.get(group), Some(stack), "{group} changed stack");
    }
    // The new groups took the room the deleted ones left.
    for new in ["inserted_a", "inserted_b"] {
        let stack = after.get(new).expect("placed");
        assert!(
            before.values().any(|s| s == stack),
            "{new} went to a new stack {stack}"
        );
    }
    // Every template is still within CloudFormation's limits.
    let m = read_manifest(&dir.join("out"));
    for s in m["environments"][0]["stacks"].as_array().expect("stacks") {
        assert!(s["resources"].as_u64().is_some_and(|r| r <= 500), "{s}");
        assert!(s["bytes"].as_u64().is_some_and(|b| b <= 1_000_000), "{s}");
    }
}

#[test]
fn a_group_that_must_move_is_reported_as_a_replacement_before_writing() {
    let dir = scratch("placement-move");
    let names: Vec<String> = (0..300).map(|i| format!("g{i}")).collect();
    build(&dir, &spec(&names, &[]));
    let before = stacks_of(&dir);
    // g0 grows by 80 resources; its stack (full) can't keep all its groups.
    let err = build(&dir, &spec(&names, &["g0"]));
    let after = stacks_of(&dir);
    let moved: Vec<&String> = before
        .keys()
        .filter(|g| after.get(*g) != before.get(*g))
        .collect();
    // The group that grew moves; the rest of its stack stays.
    assert_eq!(moved, vec!["g0"], "{err}");
    let line = format!(
        "group `g0` moves from stack `{}` to `{}`:",
        before["g0"], after["g0"]
    );
    assert!(err.contains(&line), "missing `{line}` in:\n{err}");
    assert!(
        err.contains("CloudFormation") && err.contains("replaces it"),
        "{err}"
    );
    // Reported before the files were written.
    let warned = err.find("scale::cfn::moved").expect("warning");
    let wrote = err.find("wrote ").expect("summary");
    assert!(warned < wrote, "{err}");
}

#[test]
fn an_unreadable_manifest_stops_the_build() {
    let dir = scratch("placement-bad-manifest");
    std::fs::create_dir_all(dir.join("out")).expect("dir");
    std::fs::write(dir.join("out/manifest.json"), "{ not json").expect("manifest");
    let path = dir.join("fleet.scale");
    std::fs::write(&path, spec(&["web".to_string()], &[])).expect("spec");
    let (code, _, err) = scalec(&[
        "build",
        path.to_str().expect("path"),
        "--all-envs",
        "--out-dir",
        dir.join("out").to_str().expect("path"),
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("scale::cfn::manifest") && err.contains("delete it to place groups afresh"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("out/manifest.json")).expect("kept"),
        "{ not json",
        "nothing was overwritten"
    );
}

#[test]
fn a_stack_whose_groups_are_all_gone_is_reported_as_emptied() {
    // Three groups of 201 resources: `a` and `b` share a stack, `c` has one
    // of its own; then `c` is deleted from the spec.
    let spec = |groups: &[&str]| {
        let mut s = spec(&[], &[]);
        for g in groups {
            s.push_str(&format!(
                "group {g} {{\n  launch_template = param.lt  launch_template_version = 4\n  subnets = param.subnets\n  capacity = env.capacity\n"
            ));
            for i in 0..200 {
                s.push_str(&format!(
                    "  alarm a{i} critical {{ when = ec2.cpu > 95%  for = 5m }}\n"
                ));
            }
            s.push_str("}\n");
        }
        s
    };
    let dir = scratch("placement-emptied");
    build(&dir, &spec(&["a", "b", "c"]));
    let before = stacks_of(&dir);
    assert_eq!(before["c"], "fleet-production-2", "{before:?}");
    assert_eq!(before["a"], before["b"], "{before:?}");
    let path = dir.join("fleet.scale");
    std::fs::write(&path, spec(&["a", "b"])).expect("spec");
    let (code, _, err) = scalec_wide(&[
        "build",
        path.to_str().expect("path"),
        "--all-envs",
        "--out-dir",
        dir.join("out").to_str().expect("path"),
    ]);
    assert_eq!(code, 0, "a note, not an error: {err}");
    assert_lines(
        &err,
        &[
            "scale::cfn::stack_emptied",
            "  ☞ stack `fleet-production-2` holds no group any more and is no longer built",
            "  help: deploy the other stacks first, then delete `fleet-production-2` in CloudFormation",
        ],
    );
    let after = stacks_of(&dir);
    assert!(
        !after.values().any(|s| s == "fleet-production-2"),
        "{after:?}"
    );
    assert_eq!(after["a"], before["a"], "the others stay");
}
