//! Embeds the failing inputs of `tests/ui/` that `scalec --explain CODE`
//! shows as the code's example: each file's `// expect: CODE` header names
//! the code it is about.

use std::fmt::Write;

fn main() {
    println!("cargo:rerun-if-changed=tests/ui");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "scale"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut out = String::from(
        "/// (code, file name, text) of every failing input in `tests/ui/`.\npub const EXAMPLES: &[(&str, &str, &str)] = &[\n",
    );
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let Some(code) = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("// expect:"))
            .map(str::trim)
        else {
            continue;
        };
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let _ = writeln!(
            out,
            "    ({code:?}, {name:?}, include_str!({:?})),",
            f.display()
        );
    }
    out.push_str("];\n");
    let target = std::path::Path::new(&std::env::var("OUT_DIR").unwrap_or_default())
        .join("explain_examples.rs");
    if let Err(e) = std::fs::write(&target, out) {
        println!("cargo:warning=can't write {}: {e}", target.display());
    }
}
