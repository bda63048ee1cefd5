//! Deterministic mutation testing: thousands of byte- and token-level edits
//! of the examples. None may panic, and every diagnostic's spans must lie
//! inside their file.

use super::*;

/// A small deterministic generator (xorshift64*), so failures reproduce.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "..",
    "=>",
    "=",
    ">",
    ">=",
    "%",
    "5m",
    "1.5s",
    "100/min",
    "-1",
    "+3",
    "exactly",
    "match env {",
    "_ =>",
    "env.",
    "param.",
    "\"",
    "\\",
    "//",
    "/*",
    "of",
    "group",
    "policy",
    "alarm",
    "step",
    "target_tracking",
    "simple",
    "0",
    "99999999999999999999999",
    "é",
    "\n",
    ",",
];

pub(super) fn mutate(src: &str, rng: &mut Rng) -> String {
    let mut bytes = src.as_bytes().to_vec();
    let edits = 1 + rng.below(3);
    for _ in 0..edits {
        let at = rng.below(bytes.len() + 1);
        match rng.below(5) {
            0 if !bytes.is_empty() => {
                let end = (at + 1 + rng.below(8)).min(bytes.len());
                bytes.drain(at.min(bytes.len())..end);
            }
            1 => {
                let b = (rng.next() & 0x7f) as u8;
                bytes.insert(at, b);
            }
            2 if at < bytes.len() => {
                bytes[at] = (rng.next() & 0xff) as u8;
            }
            _ => {
                let t = TOKENS[rng.below(TOKENS.len())];
                for (i, b) in t.bytes().enumerate() {
                    bytes.insert(at + i, b);
                }
            }
        }
    }
    // Inputs reach the library as text: invalid UTF-8 is the CLI's concern.
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Mutants of each example for a test that spends `total` over all the
/// examples: a new example shares the budget rather than lengthening the
/// suite (each example's mutants are the first of its seed's sequence).
fn per_example(total: usize) -> usize {
    total / scale_files(&root().join("examples")).len().max(1)
}

/// A value for each param an example declares, as `--param` would give
/// it, so that a mutant's environments can be planned.
fn example_params(src: &str) -> std::collections::BTreeMap<String, String> {
    let value = |name: &str| -> &str {
        match name {
            "alert_email" | "ops_email" => "ops@example.com",
            "arm_template" => "scalec-test-arm",
            "launch_template" => "lt-0123456789abcdef0",
            "cluster" => "prod",
            "launch_template_version" => "3",
            "lifecycle_queue" => "arn:aws:sqs:us-east-1:123456789012:lifecycle",
            "lifecycle_role" => "arn:aws:iam::123456789012:role/hooks",
            "load_balancer" => {
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/0123456789abcdef"
            }
            "target_group" => {
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef"
            }
            "pager" => "https://pager.example.com/hook",
            "queue" => "jobs",
            "subnets" => "subnet-0123456789abcdef0,subnet-0123456789abcdef1",
            other => panic!("an example's param `{other}` has no test value: add one"),
        }
    };
    src.lines()
        .filter_map(|l| l.strip_prefix("param "))
        .filter_map(|l| l.split(':').next())
        .map(|n| (n.trim().to_string(), value(n.trim()).to_string()))
        .collect()
}

#[test]
fn mutated_examples_never_panic_and_spans_stay_inside_the_file() {
    let mut total = 0;
    let mut clean = 0;
    let (mut built, mut planned) = (0, 0);
    for (i, f) in scale_files(&root().join("examples"))
        .into_iter()
        .enumerate()
    {
        let src = std::fs::read_to_string(&f).expect("readable");
        let opts = scalec::check::Options {
            params: example_params(&src),
            ..Default::default()
        };
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1));
        for n in 0..per_example(9000) {
            let m = mutate(&src, &mut rng);
            let c = scalec::compile("mutant.scale", &m, &opts);
            for d in c.diagnostics.iter() {
                for word in ["catch_all", "probe_", "BUILTIN", "EOI", "_KW", "Rule::"] {
                    assert!(
                        !d.message.contains(word),
                        "mutant {n}: grammar internals in `{}`\n{m}",
                        d.message
                    );
                }
                for l in &d.labels {
                    let len = c.sources.get(l.span.file).text.len() as u32;
                    assert!(
                        l.span.start <= l.span.end && l.span.end <= len,
                        "mutant {n} of {}: {} span {:?} outside file of {len} bytes\n{m}",
                        f.display(),
                        d.code,
                        l.span
                    );
                }
            }
            // Mutants that still check clean go through both backends too:
            // each builds and plans, or refuses with an error `check`
            // already warned of (build) or one of plan's own (a param
            // without a value).
            if !c.has_errors() {
                for env in &c.spec.environments {
                    let what = format!("mutant {n} of {}, env {}", f.display(), env.name);
                    match scalec::backend::cfn::model_to_cfn(
                        env,
                        &c.sources,
                        scalec::backend::cfn::Format::Json,
                    ) {
                        Ok(_) => built += 1,
                        Err(d) => {
                            assert!(d.has_errors(), "{what}: build failed without an error");
                            for e in d.iter() {
                                assert!(
                                    c.diagnostics.iter().any(|w| w.code == e.code),
                                    "{what}: build refused with {} ({}), which check never mentioned\n{m}",
                                    e.code,
                                    e.message
                                );
                            }
                        }
                    }
                    match scalec::backend::plan::model_to_plan(env, Some("us-east-1"), &m) {
                        Ok(_) => planned += 1,
                        Err(d) => {
                            assert!(d.has_errors(), "{what}: plan failed without an error");
                            for e in d.iter() {
                                // The direct plan refuses scalable targets
                                // by name, for now.
                                let refused_target = e.code
                                    == scalec::backend::plan::error::UNSUPPORTED
                                    && !env.targets.is_empty();
                                assert!(
                                    e.code == scalec::backend::plan::error::MISSING_PARAM
                                        || refused_target,
                                    "{what}: plan refused: {}\n{m}",
                                    e.message
                                );
                            }
                        }
                    }
                    clean += 1;
                }
            }
            // Rendering must not panic either (sampled: it is the slow part).
            if n % 10 == 0 {
                let _ = render(&c);
            }
            total += 1;
        }
    }
    assert!(total >= 3000, "ran {total} mutants");
    assert!(
        clean > 100,
        "only {clean} environments of mutants reached the backends"
    );
    assert!(
        built * 2 > clean && planned * 2 > clean,
        "of {clean} clean environments only {built} built and {planned} planned"
    );
}

#[test]
fn mutants_that_parse_format_idempotently_keeping_tree_and_comments() {
    let mut formatted = 0;
    for (i, f) in scale_files(&root().join("examples"))
        .into_iter()
        .enumerate()
    {
        let src = std::fs::read_to_string(&f).expect("readable");
        let mut rng = Rng(0xD1B5_4A32_D192_ED03 ^ (i as u64 + 1));
        for n in 0..per_example(3000) {
            let m = mutate(&src, &mut rng);
            let (_, diags) = {
                let mut sources = scalec::source::SourceMap::new();
                let id = sources.add("m.scale", m.as_str(), false);
                scalec::syntax::source_to_ast(&sources, id)
            };
            match scalec::syntax::format::format(&m, scalec::source::FileId(0)) {
                Ok(_) => {
                    assert!(!diags.has_errors(), "mutant {n} formatted despite errors");
                    super::fmt::assert_faithful(&m, &format!("mutant {n} of {}", f.display()));
                    formatted += 1;
                }
                Err(d) => assert!(d.has_errors(), "mutant {n}: refused without an error\n{m}"),
            }
        }
    }
    eprintln!("{formatted} of 3000 mutants parsed and were formatted");
    assert!(formatted > 700, "only {formatted} mutants parsed");
}

#[test]
fn mutants_parse_item_by_item_and_from_the_cache_exactly_as_in_one_piece() {
    // Large files and the language server parse one top-level item at a
    // time, the server reusing unchanged items of the previous version;
    // the result must not depend on it, whatever the damage.
    let mut split = 0;
    for (i, f) in scale_files(&root().join("examples"))
        .into_iter()
        .enumerate()
    {
        let src = std::fs::read_to_string(&f).expect("readable");
        let mut rng = Rng(0x2545_F491_4F6C_DD1D ^ (i as u64 + 1));
        // The language server's cache, parsing each mutant after the last.
        let mut cache = scalec::syntax::ItemCache::new();
        let mut last: Option<scalec::syntax::ast::File> = None;
        for n in 0..per_example(1500) {
            let m = mutate(&src, &mut rng);
            let id = scalec::source::FileId(0);
            let (whole, whole_diags, _) = scalec::syntax::parse_file_then(&m, id, |_, _| ());
            let (items, item_diags) = scalec::syntax::parse_by_items(&m, id);
            assert_eq!(
                whole.to_json(),
                items.to_json(),
                "mutant {n} of {}: trees differ\n{m}",
                f.display()
            );
            assert_eq!(
                format!("{:?}", whole_diags.iter().collect::<Vec<_>>()),
                format!("{:?}", item_diags.iter().collect::<Vec<_>>()),
                "mutant {n} of {}: diagnostics differ\n{m}",
                f.display()
            );
            let (cached, cached_diags) = cache.parse(&m, id, last.as_ref());
            assert_eq!(
                items.to_json(),
                cached.to_json(),
                "mutant {n} of {}: the cache's tree differs\n{m}",
                f.display()
            );
            assert_eq!(
                format!("{:?}", item_diags.iter().collect::<Vec<_>>()),
                format!("{:?}", cached_diags.iter().collect::<Vec<_>>()),
                "mutant {n} of {}: the cache's diagnostics differ\n{m}",
                f.display()
            );
            last = Some(cached);
            split += usize::from(scalec::syntax::item_ranges(&m).len() > 1);
        }
    }
    assert!(split > 1200, "only {split} mutants had several items");
}

/// Everything a compilation says, spans included, as text.
fn compiled(
    c: &scalec::Compilation,
    trees: &[(scalec::source::FileId, scalec::syntax::ast::File)],
) -> String {
    let diags: Vec<_> = c.diagnostics.iter().collect();
    let trees: Vec<String> = trees.iter().map(|(_, t)| t.to_json()).collect();
    format!(
        "{diags:?}\n{}\n{}",
        serde_json::to_string(&c.spec).expect("model serializes"),
        trees.join("\n")
    )
}

#[test]
fn incremental_compilation_gives_what_a_fresh_one_gives() {
    // The language server checks each version reusing the last one's parsed
    // items and lowered groups. Over chains of mutants (each after the
    // last), and over typing inside groups, where the groups are reused,
    // it must say exactly what a fresh compilation says.
    let opts = scalec::check::Options::default();
    let mut compared = 0;
    for (i, f) in scale_files(&root().join("examples"))
        .into_iter()
        .enumerate()
    {
        let src = std::fs::read_to_string(&f).expect("readable");
        let mut cache = scalec::CompileCache::new();
        let mut check = |text: &str, what: &str| {
            let (fresh, fresh_trees) = scalec::compile_keeping_trees("app.scale", text, &opts);
            let inc = scalec::compile_incrementally("app.scale", text, &opts, &mut cache);
            assert_eq!(
                compiled(&fresh, &fresh_trees),
                compiled(&inc.comp, &inc.trees),
                "{what} of {}: the incremental compilation differs\n{text}",
                f.display()
            );
        };
        check(&src, "the file");
        let mut rng = Rng(0xA076_1D64_78BD_642F ^ (i as u64 + 1));
        for n in 0..per_example(450) {
            check(&mutate(&src, &mut rng), &format!("mutant {n}"));
            compared += 1;
        }
        // Typing inside group bodies: one character at a time, the rest of
        // the file (and so each group's context) unchanged.
        let mut text = src.clone();
        check(&text, "the file again");
        let bodies: Vec<usize> = text.match_indices("\n  ").map(|(k, _)| k + 1).collect();
        for n in 0..60 {
            let at = bodies[rng.below(bodies.len())];
            // Earlier insertions moved later lines: find a line start again.
            let at = text[..at.min(text.len())].rfind('\n').map_or(0, |k| k + 1);
            let what = ["  ", "x", "\n", "9", "%"][rng.below(5)];
            text.insert_str(at, what);
            check(&text, &format!("typing step {n}"));
            compared += 1;
        }
    }
    assert!(compared >= 600, "compared {compared}");
}

#[test]
fn incremental_compilation_of_a_large_file_gives_what_a_fresh_one_gives() {
    // Past 64 KiB, both sides parse on several threads, the cache placing
    // runs of items per thread.
    let opts = scalec::check::Options::default();
    let src = std::fs::read_to_string(root().join("examples/macro-ai.scale")).expect("readable");
    let mut text = src.clone();
    for k in 0.. {
        if text.len() > 96 * 1024 {
            break;
        }
        for (start, end) in scalec::syntax::item_ranges(&src) {
            let piece = &src[start..end];
            if piece.starts_with("group ") {
                text.push_str(&piece.replacen("group ", &format!("group g{k}_"), 1));
            }
        }
    }
    let mut cache = scalec::CompileCache::new();
    let mut check = |text: &str, what: &str| {
        let (fresh, fresh_trees) = scalec::compile_keeping_trees("app.scale", text, &opts);
        let inc = scalec::compile_incrementally("app.scale", text, &opts, &mut cache);
        assert!(
            !fresh.spec.environments.is_empty(),
            "{what}: no environments"
        );
        assert_eq!(
            compiled(&fresh, &fresh_trees),
            compiled(&inc.comp, &inc.trees),
            "{what}: the incremental compilation differs"
        );
    };
    check(&text, "the large file");
    let mut rng = Rng(0x8EBC_6AF0_9C88_C6E3);
    for n in 0..8 {
        let lines: Vec<usize> = text.match_indices("\n    ").map(|(k, _)| k + 1).collect();
        let at = lines[rng.below(lines.len())];
        text.insert_str(at, ["  ", "x", "\n", "9"][rng.below(4)]);
        check(&text, &format!("typing step {n}"));
    }
    // An edit outside the groups: nothing lowered is reused.
    let at = text.find("environment").expect("an environment");
    text.insert(at, '\n');
    check(&text, "a blank line before the environments");
}

#[test]
fn mutated_multi_file_specs_never_panic_and_spans_stay_in_their_own_files() {
    // The templated example and the platform file it uses, each mutated
    // in turn; the used file is served from memory, as an editor's open
    // document is.
    let dir = root().join("examples/templates");
    let app = std::fs::read_to_string(dir.join("macro-ai.scale")).expect("example");
    let platform = std::fs::read_to_string(dir.join("platform.scale")).expect("platform");
    let mut rng = Rng(0x5DEE_CE66_D1CE_4E5B);
    let mut expanded = 0;
    for n in 0..1200 {
        let (a, p) = if n % 2 == 0 {
            (mutate(&app, &mut rng), platform.clone())
        } else {
            (app.clone(), mutate(&platform, &mut rng))
        };
        let served = p.clone();
        let opts = scalec::check::Options {
            files: Some(scalec::check::FileLoader(std::sync::Arc::new(
                move |path: &str| {
                    if path.ends_with("platform.scale") {
                        Ok((path.to_string(), served.clone()))
                    } else {
                        Err("no such file".to_string())
                    }
                },
            ))),
            ..Default::default()
        };
        let c = scalec::compile("examples/templates/macro-ai.scale", &a, &opts);
        for d in c.diagnostics.iter() {
            for l in &d.labels {
                let len = c.sources.get(l.span.file).text.len() as u32;
                assert!(
                    l.span.start <= l.span.end && l.span.end <= len,
                    "mutant {n}: {} span {:?} outside {} ({len} bytes)\n{a}\n----\n{p}",
                    d.code,
                    l.span,
                    c.sources.get(l.span.file).name
                );
            }
        }
        if !c.has_errors() {
            expanded += 1;
            // A clean mutant writes out to a spec that checks too.
            let written = scalec::expand_text("examples/templates/macro-ai.scale", &a, &opts)
                .unwrap_or_else(|_| panic!("mutant {n} checks but doesn't write out"));
            let again = scalec::compile(
                "written.scale",
                &written,
                &scalec::check::Options::default(),
            );
            assert!(
                !again.has_errors(),
                "mutant {n} written out doesn't check:\n{written}\n{}",
                render(&again)
            );
        }
        if n % 10 == 0 {
            let _ = render(&c);
        }
    }
    assert!(expanded > 50, "only {expanded} mutants checked clean");
}
