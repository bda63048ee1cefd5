//! Every code scalec can report (`scalec::catalog::catalog()`) is shown
//! by a test: a code about a spec (syntax, check, lint) by a `tests/ui`
//! case that reports it; every other code by a `#[test]` function in
//! `tests/it/*.rs` that names it in a string literal outside a negation
//! (`err.contains("scale::aws::quota")`, not `!err.contains(...)`). Codes
//! nothing from outside can provoke are listed in [`EXEMPT`], each with its
//! reason, and the list is checked to stay true.
//!
//! The test sources are read with a small lexer (below), not a Rust parser:
//! it blanks comments and literal contents, so `#[test]`, braces and `!`
//! are found only in code.

use super::*;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// Codes no test can provoke from outside the binary, with the reason.
const EXEMPT: &[(&str, &str)] = &[(
    "scale::syntax::unexpected",
    "pest's parse of a file (`syntax::build`, where the code is reported) \
     cannot fail: `top_catch_all` takes any line that no other rule does, an \
     unclosed `/*` is cut off first, and nesting deep enough to matter is \
     refused as `scale::syntax::too_deep` before pest runs; the code would \
     mark a bug in the grammar",
)];

/// A Rust source with every comment and the contents of every string and
/// char literal blanked to spaces (newlines kept), so byte offsets are
/// the source's; and each string literal: where it starts (its `"` or
/// `r#"`) and the range of its contents.
struct Lexed {
    code: String,
    strings: Vec<(usize, Range<usize>)>,
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Lexes just enough Rust: `//` and `/* */` comments (not nested), string
/// literals (escapes; raw `r#"..."#`; a `b` prefix is passed over as a
/// name), char literals (`'x'`, `'\''`, `'\u{..}'`); any other `'` starts
/// a lifetime and is left alone.
fn lex(src: &str) -> Lexed {
    let b = src.as_bytes();
    let mut code = b.to_vec();
    let mut strings = Vec::new();
    let blank = |code: &mut Vec<u8>, r: Range<usize>| {
        for c in &mut code[r] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    let find = |from: usize, pat: &[u8]| {
        b[from.min(b.len())..]
            .windows(pat.len())
            .position(|w| w == pat)
            .map_or(b.len(), |p| from + p)
    };
    let mut i = 0;
    while i < b.len() {
        let prev = if i == 0 { b' ' } else { b[i - 1] };
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = find(i, b"\n");
                blank(&mut code, i..end);
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = (find(i + 2, b"*/") + 2).min(b.len());
                blank(&mut code, i..end);
                i = end;
            }
            // r"...", r#"..."# (also after `b`): no escapes inside.
            b'r' if !is_ident(prev) || (prev == b'b' && (i < 2 || !is_ident(b[i - 2]))) => {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                if b.get(i + 1 + hashes) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let start = i + 2 + hashes;
                let mut close = b"\"".to_vec();
                close.extend(std::iter::repeat_n(b'#', hashes));
                let end = find(start, &close);
                strings.push((i, start..end));
                blank(&mut code, start..end);
                i = end + close.len();
            }
            b'"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                let end = j.min(b.len());
                strings.push((i, i + 1..end));
                blank(&mut code, i + 1..end);
                i = end + 1;
            }
            // A char literal ('x', '"', '\n', '\u{..}'), or else a lifetime.
            b'\'' => {
                let len = src[i + 1..].chars().next().map_or(0, char::len_utf8);
                let end = if b.get(i + 1) == Some(&b'\\') {
                    find(i + 3, b"'")
                } else if b.get(i + 1 + len) == Some(&b'\'') {
                    i + 1 + len
                } else {
                    i += 1;
                    continue;
                };
                blank(&mut code, i + 1..end);
                i = end + 1;
            }
            _ => i += 1,
        }
    }
    Lexed {
        code: String::from_utf8(code).expect("only ASCII bytes were replaced"),
        strings,
    }
}

/// The `#[test]` functions of a source, found by splitting its code at
/// each `#[test]`: the name after the next `fn`, and the body, from the
/// next `{` to the `}` that closes it.
fn test_bodies(lexed: &Lexed) -> Vec<(String, Range<usize>)> {
    let code = &lexed.code;
    let b = code.as_bytes();
    let mut out = Vec::new();
    for (at, _) in code.match_indices("#[test]") {
        let Some(f) = code[at..].find("fn ").map(|f| at + f + 3) else {
            continue;
        };
        let name: String = code[f..]
            .chars()
            .take_while(|&c| c.is_alphanumeric() || c == '_')
            .collect();
        let Some(open) = code[f..].find('{').map(|o| f + o) else {
            continue;
        };
        let mut depth = 0;
        let mut close = b.len();
        for (k, &c) in b.iter().enumerate().skip(open) {
            match c {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = k;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.push((name, open + 1..close));
    }
    out
}

/// Whether the string literal starting at `at` is the argument of a
/// negation: in the code before it on its line (or on the line before, when
/// the literal starts its line, as rustfmt breaks a long call), after the
/// last `&&` or `||`, an `assert_ne!` or a `!` that is neither a macro's
/// (after a name) nor `!=`.
fn negated(code: &str, at: usize) -> bool {
    let line = code[..at].rfind('\n').map_or(0, |n| n + 1);
    let from = if code[line..at].trim().is_empty() && line > 0 {
        code[..line - 1].rfind('\n').map_or(0, |n| n + 1)
    } else {
        line
    };
    let before = &code[from..at];
    let cut = [before.rfind("&&"), before.rfind("||")]
        .into_iter()
        .flatten()
        .max()
        .map_or(0, |p| p + 2);
    let clause = &before.as_bytes()[cut..];
    let bang = (0..clause.len()).any(|k| {
        clause[k] == b'!'
            && (k == 0 || !is_ident(clause[k - 1]))
            && clause.get(k + 1) != Some(&b'=')
    });
    bang || before.contains("assert_ne!")
}

/// Whether `text` holds `code` as a whole code (not the start of a longer one).
fn names_code(text: &str, code: &str) -> bool {
    text.match_indices(code).any(|(p, _)| {
        let before = text[..p].bytes().next_back();
        let after = text[p + code.len()..].bytes().next();
        !before.is_some_and(|c| is_ident(c) || c == b':') && !after.is_some_and(is_ident)
    })
}

/// For each of `codes`, the tests of `src` that name it in a string literal
/// outside a negation.
fn tests_naming(src: &str, codes: &[&'static str]) -> BTreeMap<&'static str, BTreeSet<String>> {
    let lexed = lex(src);
    let mut out: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (name, body) in test_bodies(&lexed) {
        for (at, text) in &lexed.strings {
            if !body.contains(at) || negated(&lexed.code, *at) {
                continue;
            }
            for code in codes {
                if names_code(&src[text.clone()], code) {
                    out.entry(code).or_default().insert(name.clone());
                }
            }
        }
    }
    out
}

/// The codes of the `// expect:` headers of `tests/ui`.
fn ui_codes() -> BTreeSet<String> {
    scale_files(&root().join("tests/ui"))
        .iter()
        .filter_map(|f| super::ui::expected_code(&std::fs::read_to_string(f).expect("readable")))
        .collect()
}

/// Every code of `tests/it/*.rs`, with the tests that name it.
fn tested_codes(codes: &[&'static str]) -> BTreeMap<&'static str, BTreeSet<String>> {
    let mut files: Vec<_> = std::fs::read_dir(root().join("tests/it"))
        .expect("tests/it")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    assert!(files.len() > 10, "tests/it has its modules: {files:?}");
    let mut out: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for f in files {
        let src = std::fs::read_to_string(&f).expect("readable");
        let file = stem(&f);
        for (code, tests) in tests_naming(&src, codes) {
            out.entry(code)
                .or_default()
                .extend(tests.into_iter().map(|t| format!("{file}::{t}")));
        }
    }
    out
}

fn is_spec_code(code: &str) -> bool {
    scalec::syntax::error::CODES
        .iter()
        .chain(scalec::check::error::CODES)
        .chain(scalec::analysis::error::CODES)
        .any(|c| *c == code)
}

#[test]
fn every_code_in_the_catalog_is_shown_by_a_test() {
    let catalog: Vec<&'static str> = scalec::catalog::catalog()
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    let ui = ui_codes();
    let tested = tested_codes(&catalog);
    let exempt = |c: &str| EXEMPT.iter().any(|(e, _)| *e == c);
    let spec_missing: Vec<&str> = catalog
        .iter()
        .copied()
        .filter(|c| is_spec_code(c) && !exempt(c) && !ui.contains(*c))
        .collect();
    assert!(
        spec_missing.is_empty(),
        "spec codes without a tests/ui case: {spec_missing:?}"
    );
    let missing: Vec<&str> = catalog
        .iter()
        .copied()
        .filter(|c| !is_spec_code(c) && !exempt(c) && !tested.contains_key(c))
        .collect();
    assert!(
        missing.is_empty(),
        "codes no #[test] in tests/it names (outside a negation): {missing:?}"
    );
}

#[test]
fn the_exempt_codes_are_in_the_catalog_and_shown_by_no_test() {
    let catalog: Vec<&'static str> = scalec::catalog::catalog()
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    let ui = ui_codes();
    let tested = tested_codes(&catalog);
    for (code, reason) in EXEMPT {
        assert!(!reason.is_empty(), "{code} is exempt without a reason");
        assert!(
            catalog.contains(code),
            "{code} is exempt but no longer in the catalog: drop it from EXEMPT"
        );
        assert!(
            !ui.contains(*code) && !tested.contains_key(code),
            "{code} is exempt but has a test ({:?}, tests/ui: {}): drop it from EXEMPT",
            tested.get(code),
            ui.contains(*code)
        );
    }
}

#[test]
fn the_reader_counts_positive_mentions_in_test_bodies_only() {
    // Made-up codes: only the catalog's are looked for elsewhere.
    let codes = &[
        "scale::demo::shown",
        "scale::demo::negated",
        "scale::demo::wrapped_negation",
        "scale::demo::in_a_helper",
        "scale::demo::in_a_comment",
        "scale::demo::ne",
        "scale::demo::prefix",
        "scale::demo::both",
    ];
    let src = r###"
fn helper() -> &'static str { "scale::demo::in_a_helper" }

#[test]
fn one() {
    let c = '"'; let q = '\''; let l: &'static str = "x";
    // "scale::demo::in_a_comment"
    /* "scale::demo::in_a_comment" */
    assert!(err.contains("error[scale::demo::shown]: it") && !err.contains("scale::demo::negated"));
    assert!(
        !err.contains(
            "scale::demo::wrapped_negation"
        ),
    );
    assert_ne!(v["code"], "scale::demo::ne");
    assert!(err.contains("scale::demo::prefix_longer"));
    assert!(!err.contains(r#"scale::demo::both"#));
}

#[test]
fn two() {
    let cases = [("x", "scale::demo::both")];
    let braces = "}}}";
}
"###;
    let found = tests_naming(src, codes);
    let names = |c: &str| -> Vec<&str> {
        found
            .get(c)
            .map(|s| s.iter().map(String::as_str).collect())
            .unwrap_or_default()
    };
    assert_eq!(names("scale::demo::shown"), ["one"]);
    assert_eq!(names("scale::demo::both"), ["two"]);
    for not in [
        "scale::demo::negated",
        "scale::demo::wrapped_negation",
        "scale::demo::in_a_helper",
        "scale::demo::in_a_comment",
        "scale::demo::ne",
        "scale::demo::prefix",
    ] {
        assert!(names(not).is_empty(), "{not} counted: {:?}", names(not));
    }
    let lexed = lex(src);
    let bodies: Vec<String> = test_bodies(&lexed).into_iter().map(|(n, _)| n).collect();
    assert_eq!(bodies, ["one", "two"]);
}
