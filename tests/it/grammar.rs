//! The VS Code extension's TextMate grammar, judged by VS Code's own engine
//! (vscode-textmate with vscode-oniguruma, pinned in package-lock.json and
//! installed by scripts/test): every example and std-lib file tokenized,
//! the scopes snapshotted, and the scopes that matter asserted.

use super::*;

/// `node tests/harness/tokenize.js FILES...`'s output.
fn tokenize(files: &[PathBuf]) -> String {
    let engine = root().join("node_modules/vscode-textmate");
    assert!(
        engine.is_dir(),
        "vscode-textmate is missing: run scripts/test (it runs `npm ci`)"
    );
    let out = std::process::Command::new("node")
        .arg(root().join("tests/harness/tokenize.js"))
        .args(files)
        .current_dir(root())
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The scopes of the first token on `line` (1-based) whose text is `text`.
fn scopes_of<'a>(tokens: &'a str, file: &str, line: usize, text: &str) -> &'a str {
    let section = tokens
        .split("== ")
        .find(|s| s.starts_with(file))
        .unwrap_or_else(|| panic!("no tokens for {file}"));
    let prefix = format!("{line}:");
    let quoted = format!("{text:?}");
    section
        .lines()
        .filter(|l| l.starts_with(&prefix))
        .find_map(|l| {
            let rest = l.split_once(' ')?.1;
            rest.strip_prefix(quoted.as_str()).map(str::trim)
        })
        .unwrap_or_else(|| panic!("no token {quoted} on line {line} of {file}"))
}

#[test]
fn the_grammar_scopes_every_example_as_vscode_would() {
    let mut files = scale_files(&root().join("examples"));
    files.extend(scale_files(&root().join("std-lib")));
    let tokens = tokenize(&files);
    for f in &files {
        let rel = f.strip_prefix(root()).expect("in the repo");
        let name = rel.to_str().expect("utf-8");
        let text = std::fs::read_to_string(f).expect("readable");
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            let t = line.trim_start();
            // Comments, doc comments included, are comments.
            if t.starts_with("///") {
                assert_eq!(
                    scopes_of(&tokens, name, n, t.trim_end()),
                    "comment.line.documentation.scale"
                );
            } else if t.starts_with("//") {
                assert_eq!(
                    scopes_of(&tokens, name, n, t.trim_end()),
                    "comment.line.double-slash.scale"
                );
            }
            // Declarations: the keyword and the name.
            for kw in ["group", "policy", "alarm", "topic", "environment", "preset"] {
                // (`group = web` in a test is a property, not a declaration.)
                if let Some(rest) = t.strip_prefix(&format!("{kw} "))
                    && !rest.starts_with('=')
                {
                    let decl_name = rest.split_whitespace().next().unwrap_or_default();
                    assert_eq!(
                        scopes_of(&tokens, name, n, kw),
                        "keyword.declaration.scale",
                        "{name}:{n}"
                    );
                    let scope = scopes_of(&tokens, name, n, decl_name);
                    assert!(
                        scope.starts_with("entity.name."),
                        "{name}:{n} {decl_name}: {scope}"
                    );
                }
            }
            // `env.X`: the environment's value.
            if line.contains("= env.") && !t.starts_with("//") {
                assert_eq!(
                    scopes_of(&tokens, name, n, "env"),
                    "variable.language.scale",
                    "{name}:{n}"
                );
            }
        }
    }
    // A string is a string, and a quantity's number and unit are told apart.
    let example = std::fs::read_to_string(root().join("examples/macro-ai.scale")).expect("example");
    let line_of = |needle: &str| {
        example
            .lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .unwrap_or_else(|| panic!("no `{needle}`"))
    };
    let app = line_of("app \"macro-ai\"");
    assert_eq!(
        scopes_of(&tokens, "examples/macro-ai.scale", app, "macro-ai"),
        "string.quoted.double.scale"
    );
    let period = line_of("period = 1m");
    assert_eq!(
        scopes_of(&tokens, "examples/macro-ai.scale", period, "1"),
        "constant.numeric.scale"
    );
    assert_eq!(
        scopes_of(&tokens, "examples/macro-ai.scale", period, "m"),
        "keyword.other.unit.scale"
    );
    let step = line_of("=> +2");
    assert_eq!(
        scopes_of(&tokens, "examples/macro-ai.scale", step, "+2"),
        "constant.numeric.adjustment.scale"
    );
    insta::with_settings!({ snapshot_path => "snapshots/grammar", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("scopes", tokens);
    });
}

#[test]
fn the_vs_code_extension_packages_into_a_vsix_a_user_can_install() {
    let vsce = root().join("node_modules/.bin/vsce");
    assert!(
        vsce.exists(),
        "@vscode/vsce is missing: run scripts/test (it runs `npm ci`)"
    );
    let ext = root().join("editors/vscode");
    assert!(
        ext.join("node_modules/vscode-languageclient").is_dir(),
        "the extension's dependencies are missing: run scripts/test (`npm ci --prefix editors/vscode`)"
    );
    let out_dir = scratch("vsix");
    let vsix = out_dir.join("scalec.vsix");
    let out = std::process::Command::new(&vsce)
        .args(["package", "--skip-license", "--out"])
        .arg(&vsix)
        .current_dir(&ext)
        .output()
        .expect("vsce runs");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The .vsix is a zip: what VS Code installs from it.
    let list = std::process::Command::new("python3")
        .args([
            "-c",
            "import json, sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(json.dumps({'names': z.namelist(), 'package': json.loads(z.read('extension/package.json'))}))",
        ])
        .arg(&vsix)
        .output()
        .expect("python3 reads the zip");
    assert!(
        list.status.success(),
        "{}",
        String::from_utf8_lossy(&list.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&list.stdout).expect("listing");
    let names: Vec<&str> = v["names"]
        .as_array()
        .expect("names")
        .iter()
        .filter_map(|n| n.as_str())
        .collect();
    for wanted in [
        "extension.vsixmanifest",
        "extension/extension.js",
        "extension/syntaxes/scale.tmLanguage.json",
        "extension/language-configuration.json",
        "extension/readme.md",
        "extension/node_modules/vscode-languageclient/package.json",
    ] {
        assert!(
            names.contains(&wanted),
            "no {wanted} in the .vsix: {names:?}"
        );
    }
    assert_eq!(v["package"]["main"], "./extension.js");
    assert_eq!(v["package"]["contributes"]["languages"][0]["id"], "scale");
}
