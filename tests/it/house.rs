//! The dependencies ARCHITECTURE.md promises, read from the sources: the
//! diagnostics module imports no stage (the catalogue of codes is gathered
//! in `catalog.rs`, by what uses it), and the checker reaches no later
//! stage and nothing of the report's settings (lints, levels).

use super::*;

/// Every `crate::NAME` a file refers to.
fn crate_paths(text: &str) -> Vec<String> {
    text.match_indices("crate::")
        .map(|(i, _)| {
            text[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("folder").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}

#[test]
fn the_diagnostics_module_imports_no_stage() {
    let text = std::fs::read_to_string(root().join("src/diagnostic.rs")).expect("source");
    let used = crate_paths(&text);
    assert!(!used.is_empty(), "the reader finds its imports");
    for p in used {
        assert!(
            p == "source",
            "src/diagnostic.rs reaches `crate::{p}`: gather codes in catalog.rs"
        );
    }
}

#[test]
fn the_checker_reaches_no_later_stage_nor_the_reports_settings() {
    let later = [
        "analysis", "backend", "sim", "apply", "import", "lsp", "catalog", "levels", "sarif",
    ];
    let files = rust_files(&root().join("src/check"));
    assert!(files.len() > 10, "the checker's files are read");
    for f in files {
        let text = std::fs::read_to_string(&f).expect("source");
        for p in crate_paths(&text) {
            assert!(
                !later.contains(&p.as_str()),
                "{} reaches `crate::{p}`",
                f.strip_prefix(root()).unwrap_or(&f).display()
            );
        }
    }
}

/// Every AWS name of every list in `src/kinds`.
fn kind_names() -> Vec<&'static str> {
    use scalec::kinds::group::*;
    [
        PROCESS_NAMES,
        RESERVATION_PREFERENCE_NAMES,
        AZ_STRATEGY_NAMES,
        POOL_STATE_NAMES,
        ON_DEMAND_STRATEGY_NAMES,
        SPOT_STRATEGY_NAMES,
        GROUP_METRIC_NAMES,
        TERMINATION_NAMES,
        EVENT_NAMES,
        PREDICTIVE_PAIR_NAMES,
        HOOK_TRANSITION_NAMES,
        HOOK_RESULT_NAMES,
        PREDICTIVE_MODE_NAMES,
    ]
    .concat()
    .into_iter()
    // Plain lowercase words (`default`, `none`) name other things too.
    .filter(|n| {
        n.chars()
            .any(|c| c.is_ascii_uppercase() || c == '-' || c == ':')
    })
    .collect()
}

#[test]
fn no_word_list_of_a_kind_is_written_twice() {
    // A `const` list elsewhere in src/ that holds one of the kinds' AWS
    // names is a second copy of a list in src/kinds.
    let names = kind_names();
    assert!(names.len() > 40, "the kinds' lists are read");
    let mut copies = Vec::new();
    for f in rust_files(&root().join("src")) {
        // src/backend/plan/show.rs lists AWS's default values as JSON, to
        // leave them out of a plan: values, not a list of words.
        if f.starts_with(root().join("src/kinds")) || f.ends_with("src/backend/plan/show.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&f).expect("source");
        for (at, _) in text.match_indices("const ") {
            let decl = &text[at..];
            let Some(end) = decl.find(';') else { continue };
            let decl = &decl[..end];
            if !decl.contains("&[") {
                continue;
            }
            if let Some(n) = names.iter().find(|n| decl.contains(&format!("\"{n}\""))) {
                copies.push(format!(
                    "{}: a list with `{n}`",
                    f.strip_prefix(root()).unwrap_or(&f).display()
                ));
            }
        }
    }
    assert!(
        copies.is_empty(),
        "lists written again outside src/kinds: {copies:#?}"
    );
}

#[test]
fn later_stages_read_the_model_not_the_checker() {
    // What the backends, the simulator, apply, the lints, the model and
    // the kinds' facts may take from `check`: only the plan's report of a
    // param given at plan time in the wrong region, with the checker's own
    // code and words (so both say the same). Tests compile specs.
    let allowed = |file: &str, use_: &str| {
        (file == "src/backend/plan/offline.rs"
            && ["error::WRONG_REGION", "wrong_region"].contains(&use_))
            || file.ends_with("/tests.rs")
            || file.ends_with("/worked_examples.rs")
    };
    let mut reaching = Vec::new();
    for dir in ["backend", "sim", "apply", "analysis", "model", "kinds"] {
        for f in rust_files(&root().join("src").join(dir)) {
            let rel = f.strip_prefix(root()).unwrap_or(&f).display().to_string();
            let text = std::fs::read_to_string(&f).expect("source");
            for (at, _) in text.match_indices("crate::check::") {
                let use_: String = text[at + 14..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                if !allowed(&rel, &use_) {
                    reaching.push(format!("{rel}: check::{use_}"));
                }
            }
        }
    }
    assert!(
        reaching.is_empty(),
        "later stages reaching into the checker: {reaching:#?}"
    );
}

#[test]
fn the_syntax_knows_nothing_of_the_later_stages() {
    // `syntax` parses and lays out text: no AWS facts, no units, no
    // environments. It reaches only the source map, diagnostics and the
    // small shared helpers (did-you-mean, threads).
    let allowed = ["source", "diagnostic", "suggest", "parallel", "syntax"];
    let files = rust_files(&root().join("src/syntax"));
    assert!(files.len() > 5, "the syntax's files are read");
    for f in files {
        let text = std::fs::read_to_string(&f).expect("source");
        for p in crate_paths(&text) {
            assert!(
                allowed.contains(&p.as_str()),
                "{} reaches `crate::{p}`",
                f.strip_prefix(root()).unwrap_or(&f).display()
            );
        }
    }
}

#[test]
fn only_the_command_line_the_language_server_and_apply_do_io() {
    // The library reads no files, environment variables or clocks' worth
    // of state of its own and prints nothing: the CLI and the language
    // server do, and `apply` makes the network calls.
    let io = [
        "std::fs",
        "std::env::var",
        "println!",
        "eprintln!",
        "std::process",
        "std::io::stdin",
    ];
    let mut found = Vec::new();
    for f in rust_files(&root().join("src")) {
        let rel = f.strip_prefix(root()).unwrap_or(&f).display().to_string();
        if rel.starts_with("src/cli/") || rel.starts_with("src/lsp/") || rel == "src/main.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&f).expect("source");
        // Unit tests may write scratch files.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for w in io {
            if code.contains(w) {
                found.push(format!("{rel}: {w}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "I/O outside the CLI and the language server: {found:#?}"
    );
}
