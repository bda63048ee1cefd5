//! The single integration-test binary: mods per area. Every test goes
//! through the real library or the real `scalec` binary.

mod adoption;
mod aws;
mod aws_errors;
mod cdk;
mod cfn;
mod cli;
mod codes;
mod constraints;
mod examples;
mod faults;
mod first_contact;
mod fleet;
mod fmt;
mod grammar;
mod house;
mod import;
mod lsp;
mod mutation;
mod names;
mod placement;
mod plan;
mod promise;
mod scaling_tests;
mod seed;
mod simulate;
mod templates;
mod trace_fetch;
mod ui;

use scalec::check::Options;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Compiles a file from the repository with all environments.
pub fn compile_path(path: &Path) -> scalec::Compilation {
    let text = std::fs::read_to_string(path).expect("test input is readable");
    let name = path
        .strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string();
    scalec::compile(&name, &text, &Options::default())
}

/// Renders all diagnostics without colour at a fixed width.
pub fn render(c: &scalec::Compilation) -> String {
    scalec::diagnostic::render_human(&c.diagnostics.sorted(), &c.sources, false, 80)
}

/// Sorted `.scale` files of a folder: at least one, or the test fails (a
/// loop over none would pass having checked nothing).
pub fn scale_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("folder exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "scale"))
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no .scale files in {}", dir.display());
    v
}

/// A file's name without its extension, for snapshot names.
pub fn stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("file")
        .to_string()
}

/// Reads `DIR/manifest.json` written by `scalec build --out-dir DIR`.
pub fn read_manifest(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("manifest.json")).expect("manifest written");
    serde_json::from_str(&text).expect("manifest is JSON")
}

/// A fresh, empty folder under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target").join("test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// Runs the real binary in the repository root: exit code, stdout, stderr.
pub fn scalec(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_scalec"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// [`scalec`] with reports 1000 columns wide, so that no message or help
/// line of a located diagnostic is wrapped.
pub fn scalec_wide(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_scalec"))
        .args(args)
        .current_dir(root())
        .env("COLUMNS", "1000")
        .output()
        .expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs the binary with `input` on its standard input.
pub fn scalec_stdin(args: &[&str], input: &str) -> (i32, String, String) {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_scalec"))
        .args(args)
        .current_dir(root())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("binary runs");
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input.as_bytes()).expect("stdin");
    }
    let out = child.wait_with_output().expect("binary ends");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Asserts that `text` has each of `lines` as a whole line.
pub fn assert_lines(text: &str, lines: &[&str]) {
    for line in lines {
        assert!(
            text.lines().any(|l| l == *line),
            "missing `{line}` in\n{text}"
        );
    }
}
