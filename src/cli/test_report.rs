//! The reports of `scalec test`: a line per test as `cargo test` prints,
//! JSON, and JUnit XML (the schema CI systems read: testsuites, testsuite,
//! testcase, failure).

use scalec::sim::scaling_test::GroupRun;
use serde_json::json;
use std::fmt::Write as _;

/// A test's result.
pub struct Ran {
    /// `env/name`.
    pub id: String,
    /// The spec file.
    pub spec: String,
    /// Where the test is declared (`file:line:col`).
    pub at: String,
    /// Each group's run.
    pub runs: Vec<GroupRun>,
    /// `file:line:col` of each failing expectation, by run and verdict.
    pub places: Vec<Vec<String>>,
    /// Charts written for failures.
    pub charts: Vec<String>,
    /// Seconds the run took.
    pub seconds: f64,
}

impl Ran {
    /// Whether every expectation held on every group.
    pub fn passed(&self) -> bool {
        self.runs
            .iter()
            .all(|r| r.verdicts.iter().all(|v| v.passed))
    }
}

/// The human report; `seconds` is the whole run's time.
pub fn human(ran: &[Ran], filtered: usize, seconds: f64) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "running {} test{}", ran.len(), plural(ran.len()));
    for r in ran {
        let _ = writeln!(
            s,
            "test {} ... {}",
            r.id,
            if r.passed() { "ok" } else { "FAILED" }
        );
    }
    let failed: Vec<&Ran> = ran.iter().filter(|r| !r.passed()).collect();
    if !failed.is_empty() {
        s.push_str("\nfailures:\n");
        for r in &failed {
            let _ = writeln!(s, "\n---- {} ({}) ----", r.id, r.at);
            for (run, places) in r.runs.iter().zip(&r.places) {
                for (v, at) in run.verdicts.iter().zip(places) {
                    if v.passed {
                        continue;
                    }
                    let _ = writeln!(s, "group {}, `expect {}` ({at}):", run.group, v.expect);
                    let _ = writeln!(s, "  {}", v.message);
                }
            }
            for c in &r.charts {
                let _ = writeln!(s, "  chart: {c}");
            }
        }
        s.push_str("\nfailures:\n");
        for r in &failed {
            let _ = writeln!(s, "    {}", r.id);
        }
    }
    let _ = writeln!(
        s,
        "\ntest result: {}. {} passed; {} failed; {filtered} filtered out; finished in {seconds:.2}s",
        if failed.is_empty() { "ok" } else { "FAILED" },
        ran.len() - failed.len(),
        failed.len()
    );
    s
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The JSON report: every test, group and expectation, without times, so
/// that it is the same from run to run.
pub fn json(ran: &[Ran], filtered: usize) -> String {
    let tests: Vec<serde_json::Value> = ran
        .iter()
        .map(|r| {
            let groups: Vec<serde_json::Value> = r
                .runs
                .iter()
                .zip(&r.places)
                .map(|(run, places)| {
                    let expectations: Vec<serde_json::Value> = run
                        .verdicts
                        .iter()
                        .zip(places)
                        .map(|(v, at)| {
                            let mut x = serde_json::to_value(v).unwrap_or_default();
                            x["at"] = json!(at);
                            x
                        })
                        .collect();
                    json!({
                        "group": run.group,
                        "passed": run.verdicts.iter().all(|v| v.passed),
                        "expectations": expectations,
                    })
                })
                .collect();
            json!({
                "test": r.id,
                "spec": r.spec,
                "at": r.at,
                "passed": r.passed(),
                "groups": groups,
                "charts": r.charts,
            })
        })
        .collect();
    let failed = ran.iter().filter(|r| !r.passed()).count();
    let doc = json!({
        "passed": ran.len() - failed,
        "failed": failed,
        "filtered_out": filtered,
        "tests": tests,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// JUnit XML: a testsuite per spec, a testcase per test, a failure per
/// test that failed with each broken expectation in it.
pub fn junit(ran: &[Ran]) -> String {
    let mut specs: Vec<&str> = ran.iter().map(|r| r.spec.as_str()).collect();
    specs.dedup();
    let failures = ran.iter().filter(|r| !r.passed()).count();
    let total: f64 = ran.iter().map(|r| r.seconds).sum();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<testsuites name=\"scalec test\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" time=\"{total:.3}\">",
        ran.len()
    );
    for spec in specs {
        let mine: Vec<&Ran> = ran.iter().filter(|r| r.spec == spec).collect();
        let f = mine.iter().filter(|r| !r.passed()).count();
        let t: f64 = mine.iter().map(|r| r.seconds).sum();
        let _ = writeln!(
            s,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{f}\" errors=\"0\" skipped=\"0\" time=\"{t:.3}\">",
            xml(spec),
            mine.len()
        );
        for r in mine {
            let (env, name) = r.id.split_once('/').unwrap_or(("", &r.id));
            let _ = write!(
                s,
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" time=\"{:.3}\"",
                xml(name),
                xml(env),
                xml(spec),
                r.seconds
            );
            if r.passed() {
                s.push_str("/>\n");
                continue;
            }
            s.push_str(">\n");
            let mut broken = Vec::new();
            for (run, places) in r.runs.iter().zip(&r.places) {
                for (v, at) in run.verdicts.iter().zip(places) {
                    if !v.passed {
                        broken.push(format!(
                            "group {}, expect {} ({at}): {}",
                            run.group, v.expect, v.message
                        ));
                    }
                }
            }
            let first = broken.first().cloned().unwrap_or_default();
            let _ = writeln!(
                s,
                "      <failure message=\"{}\" type=\"expectation\">{}</failure>",
                xml(&first),
                xml(&broken.join("\n"))
            );
            s.push_str("    </testcase>\n");
        }
        s.push_str("  </testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    s
}

/// Text as XML character data or an attribute value.
fn xml(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            c if (c as u32) < 0x20 && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}
