//! SARIF 2.1.0 rendering of diagnostics, for code-scanning dashboards and
//! CI annotations: one run whose rules are scalec's diagnostic codes (with
//! what each means) and whose results carry level, message, help and
//! locations (line and column in Unicode code points).
//!
//! Each location quotes its text and its whole lines (`snippet`,
//! `contextRegion`), so a dashboard shows the spec without the repository.
//! Locations point only into the user's files: the std-lib is embedded in
//! the binary and has no file a dashboard could open, so a place there is
//! named in the message instead.

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{SourceMap, Span};
use serde_json::{Value as Json, json};

/// Where the SARIF schema lives, as the spec recommends citing it.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// A problem that stopped the run before it could judge the spec (a file
/// that can't be read): a tool execution notification, not a result.
pub struct Notification<'a> {
    /// The diagnostic code.
    pub code: &'a str,
    /// What happened.
    pub message: &'a str,
    /// The file it is about, if any.
    pub file: Option<&'a str>,
}

/// A SARIF log of one run of `scalec check` over some files, each given as
/// its diagnostics and the sources they point into.
pub fn render(
    files: &[(Vec<&Diagnostic>, &SourceMap)],
    notifications: &[Notification],
    version: &str,
) -> Json {
    let rules: Vec<(&str, String)> = crate::catalog::catalog();
    let index_of = |code: &str| rules.iter().position(|(c, _)| *c == code);
    let mut results = Vec::new();
    for (d, sources) in files
        .iter()
        .flat_map(|(diags, sources)| diags.iter().map(move |d| (*d, *sources)))
    {
        let mut locations = Vec::new();
        let mut related = Vec::new();
        let mut elsewhere = Vec::new();
        for (i, l) in d.labels.iter().enumerate() {
            let file = sources.get(l.span.file);
            if file.is_std {
                elsewhere.push(format!("{} ({})", l.message, file.name));
                continue;
            }
            let loc = location(l.span, sources, &l.message);
            if i == 0 {
                locations.push(loc);
            } else {
                let mut loc = loc;
                loc["id"] = json!(related.len());
                related.push(loc);
            }
        }
        let mut text = d.message.clone();
        if !elsewhere.is_empty() {
            text.push_str(&format!("; see {}", elsewhere.join(", ")));
        }
        if let Some(h) = &d.help {
            text.push_str(&format!("\nhelp: {h}"));
        }
        let mut r = json!({
            "ruleId": d.code,
            "level": level(d.severity),
            "message": { "text": text },
            "locations": locations,
        });
        if let Some(i) = index_of(d.code) {
            r["ruleIndex"] = json!(i);
        }
        if !related.is_empty() {
            r["relatedLocations"] = Json::Array(related);
        }
        results.push(r);
    }
    let failed = !notifications.is_empty();
    let notes: Vec<Json> = notifications
        .iter()
        .map(|n| {
            let mut j = json!({
                "level": "error",
                "message": { "text": n.message },
                "descriptor": { "id": n.code },
            });
            if let Some(f) = n.file {
                j["locations"] =
                    json!([{ "physicalLocation": { "artifactLocation": { "uri": uri(f) } } }]);
            }
            j
        })
        .collect();
    let rules: Vec<Json> = rules
        .iter()
        .map(|(code, text)| {
            json!({
                "id": code,
                "name": rule_name(code),
                "shortDescription": { "text": text },
                "fullDescription": { "text": text },
                "help": { "text": format!("{text} Each finding's message ends with how to fix it.") },
                "defaultConfiguration": { "level": default_level(code) },
            })
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "scalec",
                "version": version,
                "semanticVersion": version,
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": !failed,
                "toolExecutionNotifications": notes,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

fn location(span: Span, sources: &SourceMap, message: &str) -> Json {
    let file = sources.get(span.file);
    let (line, column) = file.line_col(span.start as usize);
    let (end_line, end_column) = file.line_col(span.end as usize);
    // A zero-width span still covers one character for viewers.
    let end_column = if (end_line, end_column) == (line, column) {
        column + 1
    } else {
        end_column
    };
    let snippet: String = sources.slice(span).chars().take(SNIPPET_CHARS).collect();
    let lines: Vec<&str> = file
        .text
        .lines()
        .skip(line - 1)
        .take(end_line + 1 - line)
        .collect();
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(&file.name) },
            "region": {
                "startLine": line,
                "startColumn": column,
                "endLine": end_line,
                "endColumn": end_column,
                "snippet": { "text": snippet },
            },
            "contextRegion": {
                "startLine": line,
                "endLine": end_line,
                "snippet": { "text": lines.join("\n") },
            },
        },
        "message": { "text": message },
    })
}

/// The longest snippet a location quotes.
const SNIPPET_CHARS: usize = 200;

/// A relative reference for a path as the user gave it: forward slashes,
/// and characters that can't stand in a URI percent-encoded.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// Lints warn and notes inform; every other code is an error.
fn default_level(code: &str) -> &'static str {
    if code.starts_with("scale::lint::") {
        "warning"
    } else if code == crate::check::error::DESIRED_OWNER {
        "note"
    } else {
        "error"
    }
}

/// `scale::step::gap` -> `StepGap`: SARIF's readable rule name.
fn rule_name(code: &str) -> String {
    code.trim_start_matches("scale::")
        .split([':', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_words_of_the_code() {
        assert_eq!(rule_name("scale::step::gap"), "StepGap");
        assert_eq!(rule_name("scale::lint::no_hysteresis"), "LintNoHysteresis");
    }

    #[test]
    fn paths_become_relative_uris() {
        assert_eq!(uri("examples/a b.scale"), "examples/a%20b.scale");
        assert_eq!(uri("dir\\x.scale"), "dir/x.scale");
    }
}
