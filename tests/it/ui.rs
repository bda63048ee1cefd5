//! The failing-input corpus in `tests/ui/`: each file names the diagnostic
//! code it is about in a `// expect: CODE` header. Its rendered report is
//! snapshotted together with its source.

use super::*;

/// The code a case's `// expect: CODE` first line names.
pub(crate) fn expected_code(text: &str) -> Option<String> {
    text.lines()
        .next()
        .and_then(|l| l.strip_prefix("// expect:"))
        .map(|c| c.trim().to_string())
}

/// Options from an optional `// args: --env NAME --param N=V` second line.
fn options(text: &str) -> (scalec::check::Options, scalec::Reporting) {
    let mut opts = scalec::check::Options::default();
    let mut reporting = scalec::Reporting::default();
    if let Some(args) = text.lines().nth(1).and_then(|l| l.strip_prefix("// args:")) {
        let words: Vec<&str> = args.split_whitespace().collect();
        for w in words.windows(2) {
            if w[0] == "--env" {
                opts.envs.push(w[1].to_string());
            }
            if w[0] == "--param"
                && let Some((name, value)) = w[1].split_once('=')
            {
                opts.params.insert(name.to_string(), value.to_string());
            }
            if w[0] == "--max-reach" {
                let minutes = w[1].trim_end_matches('m').parse::<u32>().expect("minutes");
                reporting.lints.max_reach = Some(minutes * 60);
            }
        }
    }
    (opts, reporting)
}

fn compile_case(f: &std::path::Path, text: &str) -> scalec::Compilation {
    let name = f.strip_prefix(root()).unwrap_or(f).display().to_string();
    let (mut opts, reporting) = options(text);
    opts.files = Some(files_under_root());
    scalec::compile_reporting(&name, text, &opts, &reporting).0
}

/// The files a case `use`s (`tests/ui/used/`), read from the repository:
/// what the CLI's reader does, with paths relative to the root.
pub(crate) fn files_under_root() -> scalec::check::FileLoader {
    scalec::check::FileLoader(std::sync::Arc::new(|path: &str| {
        std::fs::read_to_string(root().join(path))
            .map(|t| (path.to_string(), t))
            .map_err(|_| "no such file".to_string())
    }))
}

#[test]
fn every_ui_case_reports_its_code_and_matches_its_snapshot() {
    let files = scale_files(&root().join("tests/ui"));
    assert!(
        files.len() >= 40,
        "the corpus has at least 40 cases, found {}",
        files.len()
    );
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable");
        let code = expected_code(&text)
            .unwrap_or_else(|| panic!("{} has no `// expect:` header", f.display()));
        let c = compile_case(&f, &text);
        let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code).collect();
        assert!(
            codes.contains(&code.as_str()),
            "{} expects {code}, got {codes:?}\n{}",
            f.display(),
            render(&c)
        );
        let stem = stem(&f);
        let snapshot = format!("----- SOURCE\n{text}\n----- DIAGNOSTICS\n{}", render(&c));
        insta::with_settings!({ snapshot_path => "snapshots/ui", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(stem, snapshot);
        });
    }
}

#[test]
fn every_error_has_a_help_line_and_spans_inside_its_file() {
    for f in scale_files(&root().join("tests/ui")) {
        let text = std::fs::read_to_string(&f).expect("readable");
        let c = compile_case(&f, &text);
        for d in c.diagnostics.iter() {
            assert!(d.help.is_some(), "{}: {} has no help", f.display(), d.code);
            for l in &d.labels {
                let len = c.sources.get(l.span.file).text.len() as u32;
                assert!(
                    l.span.start <= l.span.end && l.span.end <= len,
                    "{}: span out of file",
                    f.display()
                );
            }
        }
    }
}
