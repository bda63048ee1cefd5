//! `scalec fmt`: the shipped specs are formatted, formatting is idempotent
//! and changes neither the tree, the comments nor any environment's model,
//! messy inputs match their snapshots, and the command's modes behave.

use super::*;
use scalec::source::FileId;
use scalec::syntax::format::{comments, format};
use serde_json::Value as Json;

fn fmt(text: &str) -> String {
    format(text, FileId(0)).unwrap_or_else(|d| panic!("not formatted: {d:?}\n{text}"))
}

/// A JSON tree without the places things were written.
pub fn without_spans(v: &mut Json) {
    match v {
        Json::Object(m) => {
            m.retain(|k, _| {
                k != "span" && k != "origin" && !k.ends_with("_span") && !k.ends_with("_spans")
            });
            m.values_mut().for_each(without_spans);
        }
        Json::Array(a) => a.iter_mut().for_each(without_spans),
        _ => {}
    }
}

/// The syntax tree of a text, spans aside.
fn tree(text: &str) -> Json {
    let mut sources = scalec::source::SourceMap::new();
    let id = sources.add("t.scale", text, false);
    let (file, _) = scalec::syntax::source_to_ast(&sources, id);
    let mut v: Json = serde_json::from_str(&file.to_json()).expect("tree as JSON");
    without_spans(&mut v);
    v
}

/// The comments of a text, sorted (their text, trailing spaces aside).
fn comment_texts(text: &str) -> Vec<String> {
    let mut v: Vec<String> = comments(text)
        .0
        .iter()
        .map(|c| text[c.start..c.end].trim_end().to_string())
        .collect();
    v.sort();
    v
}

/// Checks what formatting must keep, for one input; returns the output.
pub fn assert_faithful(input: &str, what: &str) -> String {
    let out = fmt(input);
    assert_eq!(fmt(&out), out, "{what}: formatting twice changes it\n{out}");
    assert_eq!(tree(input), tree(&out), "{what}: the tree changed\n{out}");
    assert_eq!(
        comment_texts(input),
        comment_texts(&out),
        "{what}: the comments changed\n{out}"
    );
    out
}

/// The spec in the README's "What a spec looks like".
fn readme_spec() -> String {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let from = readme
        .find("## What a spec looks like")
        .expect("the README shows a spec");
    let rest = &readme[from..];
    let start = rest.find("```\n").expect("a code block") + 4;
    let len = rest[start..].find("```\n").expect("the block ends");
    rest[start..start + len].to_string()
}

#[test]
fn examples_std_lib_and_the_readme_spec_are_formatted() {
    let mut files = scale_files(&root().join("examples"));
    files.extend(scale_files(&root().join("examples/templates")));
    files.extend(scale_files(&root().join("std-lib")));
    assert!(files.len() >= 5, "{files:?}");
    for f in &files {
        let text = std::fs::read_to_string(f).expect("readable");
        let out = assert_faithful(&text, &f.display().to_string());
        assert!(
            out == text,
            "{} is not formatted; run `scalec fmt {}`",
            f.display(),
            f.display()
        );
    }
    let spec = readme_spec();
    assert_eq!(
        assert_faithful(&spec, "README"),
        spec,
        "the README's spec is not formatted"
    );
    // The command agrees.
    let (code, out, err) = scalec(&["fmt", "--check", "examples", "std-lib"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out, "", "nothing to list");
}

/// Asserts that two texts check without errors and give the same model
/// in every environment (spans aside); returns how many were compared.
fn assert_same_models(before: &str, after: &str, what: &str) -> usize {
    // A fixture's `use`d files are in tests/fmt/used/.
    let opts = scalec::check::Options {
        files: Some(scalec::check::FileLoader(std::sync::Arc::new(
            |path: &str| {
                std::fs::read_to_string(root().join("tests/fmt").join(path))
                    .map(|t| (path.to_string(), t))
                    .map_err(|e| e.to_string())
            },
        ))),
        ..Default::default()
    };
    let a = scalec::compile("a.scale", before, &opts);
    let b = scalec::compile("a.scale", after, &opts);
    assert!(!a.has_errors(), "{what}: {}", render(&a));
    assert!(!b.has_errors(), "{what}: {}", render(&b));
    assert_eq!(
        a.spec.environments.len(),
        b.spec.environments.len(),
        "{what}"
    );
    for (x, y) in a.spec.environments.iter().zip(&b.spec.environments) {
        let mut x_json: Json = serde_json::from_str(&x.to_json()).expect("model");
        let mut y_json: Json = serde_json::from_str(&y.to_json()).expect("model");
        without_spans(&mut x_json);
        without_spans(&mut y_json);
        assert_eq!(x_json, y_json, "{what}: environment {}", x.name);
    }
    a.spec.environments.len()
}

#[test]
fn every_environment_model_is_the_same_after_formatting() {
    let mut compared = 0;
    for f in scale_files(&root().join("tests/fmt")) {
        let text = std::fs::read_to_string(&f).expect("readable");
        compared += assert_same_models(&text, &fmt(&text), &f.display().to_string());
    }
    // The examples were formatted by `scalec fmt`; an unformatted copy (its
    // indentation gone) must format back to them and give the same models.
    for f in scale_files(&root().join("examples")) {
        let text = std::fs::read_to_string(&f).expect("readable");
        let squeezed: String = text
            .lines()
            .map(|l| format!("{}\n", l.trim_start()))
            .collect();
        assert_eq!(fmt(&squeezed), text, "{}", f.display());
        compared += assert_same_models(&squeezed, &text, &f.display().to_string());
    }
    // 3 fixtures' environments and the examples' 8.
    assert!(compared >= 12, "compared {compared} environments");
}

#[test]
fn messy_inputs_match_their_snapshots() {
    let files = scale_files(&root().join("tests/fmt"));
    assert!(files.len() >= 3, "{files:?}");
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable");
        let out = assert_faithful(&text, &f.display().to_string());
        let stem = f
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name")
            .to_string();
        insta::with_settings!({ snapshot_path => "snapshots/fmt", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(stem, out);
        });
    }
}

#[test]
fn check_lists_unformatted_files_and_writes_nothing() {
    let dir = scratch("fmt-check");
    let nested = dir.join("nested");
    std::fs::create_dir_all(&nested).expect("dir");
    let messy = "app \"a\"\ngroup g{capacity=1..2}\n";
    let tidy = "app \"a\"\n\ngroup g {\n  capacity = 1..2\n}\n";
    std::fs::write(dir.join("a.scale"), tidy).expect("write");
    std::fs::write(nested.join("b.scale"), messy).expect("write");
    std::fs::write(nested.join("notes.txt"), messy).expect("write");
    let d = dir.to_str().expect("utf-8");
    let (code, out, err) = scalec(&["fmt", "--check", d]);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(out.trim(), nested.join("b.scale").display().to_string());
    assert!(err.contains("1 of 2 files would be reformatted"), "{err}");
    assert_eq!(
        std::fs::read_to_string(nested.join("b.scale")).expect("read"),
        messy,
        "--check writes nothing"
    );
    // Without --check it writes, lists what it changed, and is then clean.
    let (code, out, err) = scalec(&["fmt", d]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.trim(), nested.join("b.scale").display().to_string());
    assert_eq!(
        std::fs::read_to_string(nested.join("b.scale")).expect("read"),
        "app \"a\"\ngroup g {\n  capacity = 1..2\n}\n"
    );
    assert_eq!(
        std::fs::read_to_string(nested.join("notes.txt")).expect("read"),
        messy,
        "only .scale files"
    );
    let (code, out, err) = scalec(&["fmt", "--check", d]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out, "");
}

#[test]
fn a_file_with_syntax_errors_is_refused_and_left_as_it_is() {
    let dir = scratch("fmt-bad");
    let path = dir.join("bad.scale");
    let text = "app \"a\"\ngrup web {\n  capacity = 1..2\n}\n";
    std::fs::write(&path, text).expect("write");
    let p = path.to_str().expect("utf-8");
    let (code, out, err) = scalec(&["fmt", p]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("scale::syntax::"), "{err}");
    assert!(err.contains("bad.scale:2:1"), "located: {err}");
    assert!(err.contains("was not formatted"), "{err}");
    assert_eq!(out, "");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), text);
    // An unclosed comment is a syntax error too, not a lost tail.
    std::fs::write(&path, "app \"a\" /* never closed\ngroup g {}\n").expect("write");
    let (code, _, err) = scalec(&["fmt", p]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("scale::syntax::unclosed_comment"), "{err}");
    // A missing file is an error, named.
    let missing = dir.join("missing.scale");
    let (code, _, err) = scalec(&["fmt", missing.to_str().expect("utf-8")]);
    assert_eq!(code, 1);
    assert!(err.contains("missing.scale"), "{err}");
}

#[test]
fn standard_input_is_formatted_to_standard_output() {
    let (code, out, err) = scalec_stdin(&["fmt", "-"], "app  \"a\"\ntopic t{}\n");
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "app \"a\"\ntopic t {}\n");
    let (code, out, _) = scalec_stdin(&["fmt", "--check", "-"], "app  \"a\"\n");
    assert_eq!((code, out.trim()), (1, "<stdin>"));
    let (code, out, err) = scalec_stdin(&["fmt", "-"], "app \"a\"\ngroup {\n");
    assert_eq!(code, 1);
    assert_eq!(out, "", "nothing half-formatted");
    assert!(err.contains("<stdin>"), "{err}");
}

#[test]
fn a_separator_may_end_any_member_and_fmt_leaves_it_out() {
    // `,` or `;` after every kind of declaration and member: steps,
    // params, widgets, notifications, match arms, properties, items.
    let with = r#"app "shop";
param lt: launch_template_id,
param subnets: list<subnet_id>;
environment production extends std.production { cpu = 60%, };
topic critical { email = "ops@example.com"; },
lints { capacity.desired = allow, },
group web {
  launch_template = param.lt,
  launch_template_version = 1;
  subnets = param.subnets,
  capacity = env.capacity,
  metrics = all;
  policy surge step {
    metric = ec2.cpu,
    evaluate = match env { production => 3, _ => 2, },
    80%..90% => +1,
    90%.. => +2;
  },
  alarm full critical { when = group.in_service >= capacity.max, for = 10m, },
  notify [launch_error, terminate_error] -> critical,
  dashboard { capacity, activity; correlate [ec2.cpu], },
};
"#;
    let c = scalec::compile("with.scale", with, &scalec::check::Options::default());
    assert!(!c.has_errors(), "{}", render(&c));
    let formatted = fmt(with);
    assert!(
        !formatted.lines().any(|l| l.trim_end().ends_with(',')
            && !l.contains("=>")
            && !l.trim_start().starts_with('"')),
        "fmt leaves separators out:\n{formatted}"
    );
    assert_eq!(tree(with), tree(&formatted), "{formatted}");
    assert_same_models(with, &formatted, "separators");
}

#[test]
fn a_crlf_file_keeps_its_line_endings() {
    for f in scale_files(&root().join("examples")) {
        let text = std::fs::read_to_string(&f).expect("example");
        let crlf = text.replace('\n', "\r\n");
        let formatted = fmt(&crlf);
        assert_eq!(
            formatted,
            crlf,
            "{}: a formatted CRLF file is unchanged",
            f.display()
        );
        // And a messy one (other indentation) comes out CRLF throughout.
        let messy = crlf.replace("\r\n  ", "\r\n\t ");
        assert_ne!(messy, crlf);
        let out = fmt(&messy);
        assert_eq!(out, crlf, "{}", f.display());
        assert!(!out.replace("\r\n", "").contains('\n'), "no bare LF");
    }
    let dir = scratch("fmt-crlf");
    let path = dir.join("app.scale");
    let text = std::fs::read_to_string(root().join("examples/macro-ai.scale"))
        .expect("example")
        .replace('\n', "\r\n");
    std::fs::write(&path, &text).expect("written");
    let (code, out, err) = scalec(&["fmt", "--check", path.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{out}{err}");
}
