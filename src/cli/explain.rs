//! `scalec --explain CODE`: a diagnostic code at length, as rustc's
//! `--explain` does: what it means, which stage reports it, and a failing
//! example from the test corpus with the report `check` gives of it.

use super::output::{self, Format, Problem};

include!(concat!(env!("OUT_DIR"), "/explain_examples.rs"));

/// Prints the explanation of `code`; exit 0, or 2 for a code scalec
/// doesn't have.
pub fn run(code: &str) -> i32 {
    let catalog = scalec::catalog::catalog();
    // `step::gap` and `scale::step::gap` alike.
    let wanted = if code.starts_with("scale::") {
        code.to_string()
    } else {
        format!("scale::{code}")
    };
    let Some((code, meaning)) = catalog.iter().find(|(c, _)| *c == wanted) else {
        let known: Vec<&str> = catalog.iter().map(|(c, _)| *c).collect();
        let help = scalec::suggest::did_you_mean(&wanted, known.iter().copied()).unwrap_or_else(
            || "codes look like `scale::step::gap`; `scalec check` prints them with every diagnostic".into(),
        );
        output::fail(
            Format::Human,
            &[Problem::new(
                scalec::diagnostic::cli_codes::USAGE,
                format!("`{code}` is not a code scalec reports"),
            )
            .with_help(help)],
        );
        return 2;
    };
    let mut out = format!("{code}\n\n{meaning}\n\nReported by {}.\n", stage(code));
    match EXAMPLES.iter().find(|(c, _, _)| c == code) {
        Some((_, file, text)) => {
            let (opts, reporting) = options(text);
            let (c, _) = scalec::compile_reporting(&format!("tests/ui/{file}"), *text, &opts, &reporting);
            let mine: Vec<&scalec::diagnostic::Diagnostic> =
                c.diagnostics.iter().filter(|d| d.code == *code).collect();
            out.push_str(&format!("\nAn example (tests/ui/{file}):\n\n"));
            for line in text.lines().filter(|l| !l.starts_with("// expect:")) {
                out.push_str(&format!("    {line}\n"));
            }
            out.push_str("\n`scalec check` reports:\n\n");
            let report = scalec::diagnostic::render_human(
                &mine,
                &c.sources,
                false,
                super::width(),
            );
            out.push_str(&report);
        }
        None => out.push_str(
            "\nIt is reported outside a spec's text (a command's files, flags or AWS's answers), so it has no spec example.\n",
        ),
    }
    super::print_stdout(out.trim_end());
    0
}

/// The stage a code comes from, by its area.
fn stage(code: &str) -> &'static str {
    let area = code.split("::").nth(1).unwrap_or_default();
    match area {
        "syntax" => "the parser (`scalec check` and every command that reads a spec)",
        "lint" => "the behavioural lints of `scalec check` (warnings)",
        "cfn" => "`scalec build` (and, as warnings, `scalec check`)",
        "plan" => "`scalec plan` and `scalec apply`",
        "aws" | "apply" => "`scalec apply`, `plan` and `destroy` (AWS's answers)",
        "import" => "`scalec import`",
        "io" | "cli" => "the command line (files, flags, saved plans)",
        "trace" | "sim" => "`scalec simulate`",
        _ => "the checker (`scalec check` and every command that reads a spec)",
    }
}

/// The options a corpus file asks for on its `// args:` line.
fn options(text: &str) -> (scalec::check::Options, scalec::Reporting) {
    let mut opts = scalec::check::Options::default();
    let mut reporting = scalec::Reporting::default();
    if let Some(args) = text.lines().nth(1).and_then(|l| l.strip_prefix("// args:")) {
        let words: Vec<&str> = args.split_whitespace().collect();
        for w in words.windows(2) {
            match w[0] {
                "--env" => opts.envs.push(w[1].to_string()),
                "--param" => {
                    if let Some((k, v)) = w[1].split_once('=') {
                        opts.params.insert(k.to_string(), v.to_string());
                    }
                }
                "--max-reach" => {
                    reporting.lints.max_reach = w[1]
                        .trim_end_matches('m')
                        .parse::<u32>()
                        .ok()
                        .map(|m| m * 60);
                }
                _ => {}
            }
        }
    }
    (opts, reporting)
}
