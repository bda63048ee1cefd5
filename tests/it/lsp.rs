//! `scalec lsp` driven as an editor drives it: the real binary as a child
//! process, JSON-RPC frames over its stdin and stdout.

use super::*;
use serde_json::{Value as Json, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A minimal LSP client: frames out, a reader thread for frames in.
struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: mpsc::Receiver<Json>,
    next_id: i64,
    /// Notifications read while waiting for a response.
    pending: Vec<Json>,
}

/// Where the test servers write the std-lib's files (`XDG_CACHE_HOME`).
fn cache_home() -> std::path::PathBuf {
    let dir = root()
        .join("target")
        .join("test-scratch")
        .join("lsp-cache-home");
    std::fs::create_dir_all(&dir).expect("cache home");
    dir
}

impl Client {
    fn start(capabilities: Json) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_scalec"))
            .arg("lsp")
            .env("XDG_CACHE_HOME", cache_home())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("scalec lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length:") {
                        length = v.trim().parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("Content-Length")];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let msg: Json = serde_json::from_slice(&body).expect("JSON frame");
                if tx.send(msg).is_err() {
                    return;
                }
            }
        });
        let mut c = Client {
            child,
            stdin,
            incoming,
            next_id: 0,
            pending: Vec::new(),
        };
        let init = c.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": capabilities }),
        );
        assert!(init.get("error").is_none(), "{init}");
        c.notify("initialized", json!({}));
        c.pending.push(init);
        c
    }

    fn send(&mut self, msg: &Json) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn next(&mut self) -> Json {
        self.incoming
            .recv_timeout(Duration::from_secs(60))
            .expect("the server answers within a minute")
    }

    /// Sends a request and returns its whole response.
    fn request(&mut self, method: &str, params: Json) -> Json {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let msg = self.next();
            if msg["id"] == json!(id) {
                return msg;
            }
            self.pending.push(msg);
        }
    }

    fn notify(&mut self, method: &str, params: Json) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// The diagnostics published for a document version.
    fn diagnostics(&mut self, version: i64) -> Vec<Json> {
        loop {
            let found = self.pending.iter().position(|m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["version"] == json!(version)
            });
            if let Some(i) = found {
                let m = self.pending.remove(i);
                return m["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
            let msg = self.next();
            self.pending.push(msg);
        }
    }

    /// Shuts the server down; returns its exit code.
    fn shutdown(mut self) -> i32 {
        let r = self.request("shutdown", Json::Null);
        assert_eq!(r["result"], Json::Null, "{r}");
        self.notify("exit", Json::Null);
        drop(self.stdin);
        self.child.wait().expect("exits").code().unwrap_or(-1)
    }
}

const URI: &str = "file:///work/app.scale";

fn at(line: usize, character: usize) -> Json {
    json!({ "textDocument": { "uri": URI }, "position": { "line": line, "character": character } })
}

/// Line and column (UTF-16 = bytes here: the example is ASCII) of the
/// first occurrence of `needle` on a line containing `line_has`.
fn find(text: &str, line_has: &str, needle: &str) -> (usize, usize) {
    text.lines()
        .enumerate()
        .find(|(_, l)| l.contains(line_has))
        .and_then(|(i, l)| l.find(needle).map(|c| (i, c)))
        .unwrap_or_else(|| panic!("no `{needle}` on a line with `{line_has}`"))
}

/// A diagnostic as (code, severity, line).
fn brief(d: &Json) -> String {
    format!(
        "{} {} line {}",
        d["code"].as_str().unwrap_or_default(),
        d["severity"],
        d["range"]["start"]["line"]
    )
}

#[test]
fn an_editing_session_over_stdio() {
    let text = std::fs::read_to_string(root().join("examples/macro-ai.scale")).expect("example");
    let mut c = Client::start(json!({}));
    let init = c.pending.remove(0);
    insta::with_settings!({ snapshot_path => "snapshots/lsp", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(
            "initialize",
            serde_json::to_string_pretty(&init["result"]).expect("JSON")
        );
    });

    // Open: the example's diagnostics (notes and warnings, no error).
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": URI, "languageId": "scale", "version": 1, "text": text } }),
    );
    let opened: Vec<String> = c.diagnostics(1).iter().map(brief).collect();
    assert!(!opened.is_empty());
    assert!(
        opened.iter().all(|d| !d.contains(" 1 line")),
        "no error: {opened:?}"
    );
    insta::with_settings!({ snapshot_path => "snapshots/lsp", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("open-diagnostics", opened.join("\n"));
    });

    // An edit that introduces an error: `env.cpu` -> `env.cpuu`.
    let (line, col) = find(&text, "target = env.cpu", "env.cpu");
    let end = col + "env.cpu".len();
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": URI, "version": 2 }, "contentChanges": [
            { "range": { "start": { "line": line, "character": end }, "end": { "line": line, "character": end } }, "text": "u" }
        ] }),
    );
    let broken = c.diagnostics(2);
    let error = broken
        .iter()
        .find(|d| d["severity"] == 1)
        .unwrap_or_else(|| panic!("an error: {broken:?}"));
    assert_eq!(error["code"], "scale::env::undefined_value");
    assert_eq!(
        error["range"],
        json!({ "start": { "line": line, "character": col }, "end": { "line": line, "character": end + 1 } })
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("help: did you mean `cpu`?")
    );
    assert!(
        error["relatedInformation"][0]["location"]["uri"] == URI,
        "{error}"
    );

    // The quick fix for it, once (not once per environment).
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": URI }, "range": error["range"], "context": { "diagnostics": [] } }),
    );
    let actions = actions["result"].as_array().cloned().unwrap_or_default();
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["title"], "Replace with `env.cpu`");
    let edit = &actions[0]["edit"]["changes"][URI][0];
    assert_eq!(edit["newText"], "env.cpu");
    assert_eq!(edit["range"], error["range"]);

    // Applied, the error is gone and the diagnostics are the first ones.
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": URI, "version": 3 }, "contentChanges": [
            { "range": edit["range"], "text": edit["newText"] }
        ] }),
    );
    let fixed: Vec<String> = c.diagnostics(3).iter().map(brief).collect();
    assert_eq!(fixed, opened);

    // Hover on `env.cpu`: every environment's value.
    let hover = c.request("textDocument/hover", at(line, col + 5));
    let shown = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    insta::with_settings!({ snapshot_path => "snapshots/lsp", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("hover-env-cpu", shown);
    });
    for env in ["production", "staging", "development"] {
        assert!(shown.contains(&format!("`{env}`")), "{shown}");
    }

    // Hover on a step policy: what AWS receives, relative step bounds.
    let (pl, pc) = find(&text, "policy cpu_surge step", "cpu_surge");
    let hover = c.request("textDocument/hover", at(pl, pc + 1));
    let shown = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    insta::with_settings!({ snapshot_path => "snapshots/lsp", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("hover-step-policy", shown);
    });

    // Hover inside the policy, on a step range: the same view of it.
    let (sl, sc) = find(&text, "env.cpu_hot..85%", "85%");
    let hover = c.request("textDocument/hover", at(sl, sc + 1));
    let on_step = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(on_step, shown, "a step shows its policy");

    // Definition of a metric: into the std-lib, a real read-only file that
    // any editor opens.
    let (ml, mc) = find(&text, "metric = ec2.cpu", "ec2.cpu");
    let def = c.request("textDocument/definition", at(ml, mc + 2));
    let uri = def["result"]["uri"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let path = uri
        .strip_prefix("file://")
        .unwrap_or_else(|| panic!("a file URI: {def}"));
    assert!(
        path.starts_with(cache_home().to_str().expect("utf-8")) && path.ends_with("/metrics.scale"),
        "{path}"
    );
    let meta = std::fs::metadata(path).expect("the std-lib file exists");
    assert!(meta.permissions().readonly(), "read-only");
    let std_text = std::fs::read_to_string(path).expect("readable");
    assert_eq!(
        std_text,
        std::fs::read_to_string(root().join("std-lib/metrics.scale")).expect("std-lib")
    );
    // Opened by the editor, it is shown, never checked: no diagnostics.
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "scale", "version": 1, "text": std_text } }),
    );
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(
        symbols["result"],
        Json::Null,
        "no analysis of a std-lib file: {symbols}"
    );
    let l = def["result"]["range"]["start"]["line"]
        .as_u64()
        .unwrap_or(0) as usize;
    assert!(
        std_text
            .lines()
            .nth(l)
            .is_some_and(|x| x.contains("metric ec2.cpu")),
        "line {l} of the std-lib"
    );

    // Completion inside a policy: its properties.
    let completion = c.request("textDocument/completion", at(line, 4));
    let labels: Vec<String> = completion["result"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["label"].as_str().map(str::to_string))
        .collect();
    insta::with_settings!({ snapshot_path => "snapshots/lsp", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("completion-in-policy", labels.join("\n"));
    });
    assert!(labels.iter().any(|l| l == "target"), "{labels:?}");

    // The outline.
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": URI } }),
    );
    let outline: Vec<String> = symbols["result"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            let children: Vec<&str> = s["children"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| c["name"].as_str())
                .collect();
            format!(
                "{} ({}) {}",
                s["name"].as_str().unwrap_or_default(),
                s["detail"].as_str().unwrap_or_default(),
                children.join(" ")
            )
        })
        .collect();
    insta::with_settings!({ snapshot_path => "snapshots/lsp", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("outline", outline.join("\n"));
    });

    // Formatting a messy document: the formatter's output, as one edit.
    let messy = "app  \"x\"\ntopic   t{}\n";
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": URI, "version": 4 }, "contentChanges": [ { "text": messy } ] }),
    );
    let _ = c.diagnostics(4);
    let fmt = c.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": URI }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(
        fmt["result"][0]["newText"], "app \"x\"\ntopic t {}\n",
        "{fmt}"
    );
    assert_eq!(
        fmt["result"][0]["range"]["end"],
        json!({ "line": 2, "character": 0 })
    );

    // An unknown method is an error response, not a dead server.
    let unknown = c.request("textDocument/unknownThing", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");

    assert_eq!(c.shutdown(), 0);
}

#[test]
fn positions_count_bytes_when_the_client_offers_utf8() {
    let text = "app \"é😀\" env.x\n";
    for (caps, encoding, column) in [
        (json!({}), "utf-16", 10),
        (
            json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } }),
            "utf-8",
            13,
        ),
    ] {
        let mut c = Client::start(caps);
        let init = c.pending.remove(0);
        assert_eq!(init["result"]["capabilities"]["positionEncoding"], encoding);
        c.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": URI, "languageId": "scale", "version": 1, "text": text } }),
        );
        let diags = c.diagnostics(1);
        let stray = diags
            .iter()
            .find(|d| {
                d["range"]["start"]["line"] == 0 && d["range"]["start"]["character"] == column
            })
            .unwrap_or_else(|| panic!("a diagnostic at column {column} ({encoding}): {diags:?}"));
        assert_eq!(stray["severity"], 1, "{stray}");
        assert_eq!(c.shutdown(), 0);
    }
}

#[test]
fn random_edits_and_requests_never_kill_the_server() {
    let text = std::fs::read_to_string(root().join("examples/spot-fleet.scale")).expect("example");
    let mut c = Client::start(json!({}));
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": URI, "languageId": "scale", "version": 1, "text": text } }),
    );
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut rand = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n.max(1)
    };
    let pieces = [
        "{",
        "}",
        "env.",
        "param.",
        "\"",
        "match env {",
        "é",
        "\n",
        "=>",
        "1..",
        "//",
        "😀",
    ];
    let methods = [
        "textDocument/hover",
        "textDocument/definition",
        "textDocument/completion",
        "textDocument/references",
        "textDocument/documentSymbol",
        "textDocument/formatting",
        "textDocument/codeAction",
    ];
    for version in 2..202 {
        // Positions anywhere, past the ends of lines and of the file too.
        let pos = json!({ "line": rand(260), "character": rand(120) });
        let end = json!({ "line": rand(260), "character": rand(120) });
        let change = if rand(10) == 0 {
            json!({ "text": pieces[rand(pieces.len() as u64) as usize].repeat(3) })
        } else {
            json!({ "range": { "start": pos, "end": end }, "text": pieces[rand(pieces.len() as u64) as usize] })
        };
        c.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": URI, "version": version }, "contentChanges": [change] }),
        );
        let method = methods[rand(methods.len() as u64) as usize];
        let r = c.request(
            method,
            json!({
                "textDocument": { "uri": URI }, "position": pos,
                "range": { "start": pos, "end": pos }, "context": { "diagnostics": [], "includeDeclaration": true },
                "options": { "tabSize": 2, "insertSpaces": true }
            }),
        );
        assert!(
            r.get("result").is_some() || r.get("error").is_some(),
            "{method}: {r}"
        );
    }
    // Still alive and current: the last version is checked and published.
    let last = c.diagnostics(201);
    assert!(
        last.iter().all(|d| d["range"]["start"]["line"].is_u64()),
        "{last:?}"
    );
    assert_eq!(c.shutdown(), 0);
}

/// Applies LSP text edits (ASCII text: characters are bytes) to `text`.
fn apply_edits(text: &str, edits: &[Json]) -> String {
    let offset = |p: &Json| {
        let line = p["line"].as_u64().unwrap_or(0) as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + p["character"].as_u64().unwrap_or(0) as usize
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, t) in edits {
        out.replace_range(s..e, &t);
    }
    out
}

#[test]
fn quick_fixes_add_missing_match_arms_and_close_step_gaps() {
    let text =
        std::fs::read_to_string(root().join("tests/lsp/quick-fixes.scale")).expect("fixture");
    let mut c = Client::start(json!({}));
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": URI, "languageId": "scale", "version": 1, "text": text } }),
    );
    let errors: Vec<String> = c
        .diagnostics(1)
        .iter()
        .filter(|d| d["severity"] == 1)
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(errors, ["scale::env::non_exhaustive", "scale::step::gap"]);
    let lines = text.lines().count();
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": URI }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": lines, "character": 0 } }, "context": { "diagnostics": [] } }),
    );
    let actions = actions["result"].as_array().cloned().unwrap_or_default();
    let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
    assert_eq!(
        titles,
        [
            "Add `staging` and `development` (with the last arm's value)",
            "Start this range at 60%"
        ]
    );
    let edits: Vec<Json> = actions
        .iter()
        .flat_map(|a| {
            a["edit"]["changes"][URI]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    let fixed = apply_edits(&text, &edits);
    assert!(
        fixed.contains(
            "capacity = match env { production => 2..10, staging => 2..10, development => 2..10 }"
        ),
        "{fixed}"
    );
    assert!(fixed.contains("    60%.. => +2\n"), "{fixed}");
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": URI, "version": 2 }, "contentChanges": [ { "text": fixed } ] }),
    );
    let after = c.diagnostics(2);
    assert!(
        after.iter().all(|d| d["severity"] != 1),
        "no error left: {after:?}"
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn the_protocols_rules_exit_codes_and_errors() {
    // `exit` before `shutdown`: exit code 1.
    let mut c = Client::start(json!({}));
    c.notify("exit", Json::Null);
    drop(c.stdin);
    assert_eq!(c.child.wait().expect("exits").code(), Some(1));
    // A connection that ends without either: 1 as well.
    let c = Client::start(json!({}));
    let Client {
        mut child, stdin, ..
    } = c;
    drop(stdin);
    assert_eq!(child.wait().expect("exits").code(), Some(1));
    // Params that aren't the request's: JSON-RPC's -32602.
    let mut c = Client::start(json!({}));
    let r = c.request("textDocument/hover", json!({ "position": "here" }));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    let r = c.request("textDocument/formatting", json!([1, 2]));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    // A document whose `app` line is broken: the syntax error says so, and
    // no zero-width "no `app` declaration" at 0:0 repeats it.
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": URI, "languageId": "scale", "version": 1,
            "text": "app \"x\nparam lt: launch_template_id\n" } }),
    );
    let diags = c.diagnostics(1);
    assert!(!diags.is_empty());
    for d in &diags {
        assert_ne!(d["code"], "scale::names::app", "{d}");
        let start = &d["range"]["start"];
        assert!(
            !(start == &json!({ "line": 0, "character": 0 }) && d["range"]["end"] == *start),
            "nothing zero-width at 0:0: {d}"
        );
        // The label isn't repeated after a message that already says it.
        let message = d["message"].as_str().unwrap_or_default();
        let first = message.lines().next().unwrap_or_default();
        if let Some((head, tail)) = first.rsplit_once(" (") {
            assert!(!head.contains(tail.trim_end_matches(')')), "{message}");
        }
    }
    assert_eq!(c.shutdown(), 0);
}

/// The next diagnostics published for `uri` that `pick` accepts.
fn published_for(c: &mut Client, uri: &str, pick: impl Fn(&[Json]) -> bool) -> Vec<Json> {
    loop {
        let found = c.pending.iter().position(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && pick(
                    m["params"]["diagnostics"]
                        .as_array()
                        .map_or(&[], Vec::as_slice),
                )
        });
        if let Some(i) = found {
            let m = c.pending.remove(i);
            return m["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
        }
        let msg = c.next();
        c.pending.push(msg);
    }
}

#[test]
fn a_spec_across_files_resolves_defines_and_rechecks_in_the_editor() {
    let dir = scratch("lsp-use");
    let platform = "// shared\nparam lt: launch_template_id\nparam subnets: list<subnet_id>\n\ntemplate service(cpu: percent = 60%) {\n  launch_template = param.lt\n  launch_template_version = 3\n  subnets = param.subnets\n  capacity = env.capacity\n  warmup = 3m\n  policy cpu target_tracking { metric = ec2.cpu  target = arg.cpu }\n}\n";
    std::fs::write(dir.join("platform.scale"), platform).expect("write");
    let app = "app \"shop\"\nuse \"platform.scale\"\nenvironment production extends std.production { region = \"us-east-1\" }\ngroup api from service(cpu = 70%) {}\n";
    std::fs::write(dir.join("app.scale"), app).expect("write");
    let app_uri = format!("file://{}", dir.join("app.scale").display());
    let platform_uri = format!("file://{}", dir.join("platform.scale").display());
    let mut c = Client::start(json!({}));
    c.pending.clear();
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": app_uri, "languageId": "scale", "version": 1, "text": app } }),
    );
    let first = published_for(&mut c, &app_uri, |_| true);
    assert!(
        first.iter().all(|d| d["severity"] != 1),
        "the used file is read from disk: {first:?}"
    );
    let pos = |line: usize, character: usize| json!({ "textDocument": { "uri": app_uri }, "position": { "line": line, "character": character } });
    // From an instance to its template, in the other file.
    let (l, col) = find(app, "group api", "service");
    let def = c.request("textDocument/definition", pos(l, col + 2));
    assert_eq!(def["result"]["uri"], platform_uri.as_str(), "{def}");
    assert_eq!(def["result"]["range"]["start"]["line"], 4, "{def}");
    // From a `use` to the file.
    let (l, col) = find(app, "use", "platform");
    let def = c.request("textDocument/definition", pos(l, col + 3));
    assert_eq!(def["result"]["uri"], platform_uri.as_str(), "{def}");

    // Hover on the instance: what it inherits, where each was set, and a
    // value read from the environment in each environment.
    let (l, col) = find(app, "group api", "api");
    let hover = c.request("textDocument/hover", pos(l, col + 1));
    let shown = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        shown.contains("`warmup = 3m` (template, platform.scale:10)"),
        "{shown}"
    );
    assert!(shown.contains("`capacity = env.capacity`"), "{shown}");
    assert!(
        shown.contains("- `production`: `2..10`"),
        "each environment's value: {shown}"
    );
    assert!(shown.contains("Members: policy `cpu`"), "{shown}");
    // Completion inside `from service(...)`: its parameters not given.
    let edited = app.replace("service(cpu = 70%)", "service()");
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": app_uri, "version": 2 }, "contentChanges": [{ "text": edited }] }),
    );
    published_for(&mut c, &app_uri, |_| true);
    let (l, col) = find(&edited, "group api", "()");
    let done = c.request("textDocument/completion", pos(l, col + 1));
    let items = done["result"].as_array().cloned().unwrap_or_default();
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    assert_eq!(labels, vec!["cpu"], "{done}");
    assert_eq!(items[0]["detail"], "percent = 60%", "{done}");

    // The shared file opened and broken in the editor (not saved): the
    // file using it is checked again, with the error shown on its `use`.
    let broken = platform.replace("warmup = 3m", "warmup = 3");
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": platform_uri, "languageId": "scale", "version": 1, "text": broken } }),
    );
    let again = published_for(&mut c, &app_uri, |ds| ds.iter().any(|d| d["severity"] == 1));
    let e = again
        .iter()
        .find(|d| d["severity"] == 1)
        .unwrap_or_else(|| panic!("{again:?}"));
    assert_eq!(e["code"], "scale::units::missing", "{e}");
    assert_eq!(e["range"]["start"]["line"], 1, "on the `use` line: {e}");
    let msg = e["message"].as_str().unwrap_or_default();
    assert!(msg.contains("platform.scale:10:"), "says where: {msg}");
    let related = e["relatedInformation"].to_string();
    assert!(related.contains(&platform_uri), "links to it: {related}");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn a_test_runs_from_its_code_lens_and_its_failures_show_on_the_expectations() {
    // The seed's first draft, with its trace beside it as the spec says.
    let dir = scratch("lsp-test");
    let text = std::fs::read_to_string(root().join("tests/test/seed-thrash.scale"))
        .expect("fixture")
        .replace("../../examples/traces/diurnal-week.csv", "week.csv");
    std::fs::copy(
        root().join("examples/traces/diurnal-week.csv"),
        dir.join("week.csv"),
    )
    .expect("copy");
    std::fs::write(dir.join("app.scale"), &text).expect("write");
    let uri = format!("file://{}", dir.join("app.scale").display());
    let mut c = Client::start(json!({}));
    c.pending.clear();
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "scale", "version": 1, "text": text } }),
    );
    let checked = c.diagnostics(1);
    assert!(
        checked.iter().all(|d| d["code"] != "scale::test::failed"),
        "not run yet"
    );
    // A lens on the test's name runs it.
    let lenses = c.request(
        "textDocument/codeLens",
        json!({ "textDocument": { "uri": uri } }),
    );
    let lenses = lenses["result"].as_array().cloned().unwrap_or_default();
    assert_eq!(lenses.len(), 1, "{lenses:?}");
    let (line, col) = find(&text, "test diurnal_week", "diurnal_week");
    assert_eq!(
        lenses[0]["range"]["start"],
        json!({ "line": line, "character": col })
    );
    let command = &lenses[0]["command"];
    assert_eq!(command["command"], "scalec.runTest");
    assert_eq!(command["arguments"], json!([uri, "diurnal_week"]));
    let ran = c.request(
        "workspace/executeCommand",
        json!({ "command": command["command"], "arguments": command["arguments"] }),
    );
    assert_eq!(ran["result"]["passed"], false, "{ran}");
    // The failure is shown on the expectation that broke, and only there.
    let shown = c.diagnostics(1);
    let failed: Vec<&Json> = shown
        .iter()
        .filter(|d| d["code"] == "scale::test::failed")
        .collect();
    assert_eq!(failed.len(), 1, "{shown:?}");
    let (line, _) = find(&text, "expect no_thrash", "expect");
    assert_eq!(failed[0]["range"]["start"]["line"], line, "{:?}", failed[0]);
    let message = failed[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("thrash events") && message.contains("cpu_surge"),
        "{message}"
    );
    // An edit drops the last run's failures: they pointed into the old text.
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": format!("{text}\n") }] }),
    );
    let after = c.diagnostics(2);
    assert!(
        after.iter().all(|d| d["code"] != "scale::test::failed"),
        "{after:?}"
    );
    // A test that isn't there is an error answer, not a crash.
    let missing = c.request(
        "workspace/executeCommand",
        json!({ "command": "scalec.runTest", "arguments": [uri, "nope"] }),
    );
    assert!(
        missing["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("no test `nope`"),
        "{missing}"
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn completion_in_a_scalable_target_offers_its_kinds_words_and_metrics() {
    let text = "app \"shop\"\nenvironment production { region = \"eu-west-1\" }\nservice api ecs {\n  cluster = \"prod\"\n  \n  policy cpu target_tracking {\n    metric = ecs.cpu\n    \n  }\n}\ngroup web {\n  \n}\n";
    let mut c = Client::start(json!({}));
    c.pending.clear();
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": URI, "languageId": "scale", "version": 1, "text": text } }),
    );
    // Checked once before it is asked anything.
    let _ = c.diagnostics(1);
    let mut labels_at = |line: usize, col: usize| -> Vec<String> {
        let r = c.request("textDocument/completion", at(line, col));
        r["result"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i["label"].as_str().map(str::to_string))
            .collect()
    };
    let has = |labels: &[String], l: &str| labels.iter().any(|x| x == l);
    // The service's body: its resource id's parts, no group settings, and
    // the metrics a service reads (an ALB's, with arguments, too).
    let body = labels_at(4, 2);
    for l in [
        "cluster",
        "service",
        "capacity",
        "suspend",
        "policy",
        "schedule",
        "ecs.cpu",
        "alb.requests_per_target",
    ] {
        assert!(has(&body, l), "{l} in {body:?}");
    }
    for l in [
        "launch_template",
        "dimension",
        "hook",
        "ec2.cpu",
        "group.in_service",
    ] {
        assert!(!has(&body, l), "{l} not in {body:?}");
    }
    // Its target-tracking policy: Application Auto Scaling's cooldowns, no warmup.
    let policy = labels_at(7, 4);
    for l in ["target", "scale_out_cooldown", "scale_in_cooldown"] {
        assert!(has(&policy, l), "{l} in {policy:?}");
    }
    assert!(!has(&policy, "warmup"), "{policy:?}");
    // A group's body: a group's metrics, not a service's.
    let group = labels_at(11, 2);
    assert!(
        has(&group, "ec2.cpu") && !has(&group, "ecs.cpu"),
        "{group:?}"
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn hover_shows_what_application_auto_scaling_receives_for_a_target_and_its_policy() {
    let text = "app \"shop\"\nenvironment production { region = \"eu-west-1\" }\nservice api ecs {\n  cluster = \"prod\"\n  service = \"api\"\n  capacity = 2..20\n  policy cpu target_tracking {\n    metric = ecs.cpu\n    target = 60%\n  }\n}\n";
    let mut c = Client::start(json!({}));
    c.pending.clear();
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": URI, "languageId": "scale", "version": 1, "text": text } }),
    );
    let _ = c.diagnostics(1);
    let mut hover = |line: usize, col: usize| -> String {
        let r = c.request("textDocument/hover", at(line, col));
        r["result"]["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    // The target's name: its namespace, dimension, resource id and range.
    let target = hover(2, 9);
    assert!(
        target.contains(
            "**production**: `ecs` `ecs:service:DesiredCount` of `service/prod/api`, 2..20"
        ),
        "{target}"
    );
    // A policy's name: the policy AWS receives.
    let policy = hover(6, 10);
    assert!(
        policy.contains("policy `shop-production-api-cpu`: TargetTrackingScaling, target 60"),
        "{policy}"
    );
    assert_eq!(c.shutdown(), 0);
}
