//! `scalec lsp`: a language server over stdio (lsp-server's transport,
//! lsp-types' messages).
//!
//! - The main loop keeps the open documents and answers requests from the
//!   last analysis of each (`analysis.rs`), never by checking again.
//! - Checking runs on a thread of its own: a change sends the new text
//!   there; the thread takes the newest version of each document waiting,
//!   checks it, and publishes its diagnostics unless a newer version
//!   arrived meanwhile (stale results are dropped).
//! - A panic in a request handler or in the checker is caught: the request
//!   gets an error response and the server carries on.
//! - Positions are UTF-16 unless the client offers UTF-8.

mod analysis;
mod features;
mod run_test;
mod text;

use crate::CompileCache;
pub use analysis::Analysis;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types as lsp;
use lsp_types::Uri;
use serde_json::{Value as Json, json};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

/// What the checker thread and the main loop share.
#[derive(Default)]
struct Shared {
    /// The newest version of each open document.
    latest: HashMap<String, i32>,
    /// The last analysis of each document.
    analyses: HashMap<String, Arc<Analysis>>,
    /// The text of each open `file:` document, by path: what a `use` of
    /// it reads, before the disk.
    open: HashMap<String, String>,
    /// The failures of each document's tests' last runs, by test, until
    /// the document changes.
    failures: HashMap<String, std::collections::BTreeMap<String, Vec<lsp::Diagnostic>>>,
}

/// A document to check.
struct Job {
    uri: Uri,
    version: i32,
    text: String,
}

/// Locks the shared state, even after a panic elsewhere poisoned it.
fn lock(m: &Mutex<Shared>) -> std::sync::MutexGuard<'_, Shared> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Where the std-lib's files are on disk, read-only, for go-to-definition:
/// set once, by [`run`].
static STD_DIR: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();

/// How the server reads a used file that is not open: set once, by [`run`].
static DISK: std::sync::OnceLock<crate::check::FileLoader> = std::sync::OnceLock::new();

/// The path of a `file:` URI, percent-decoded.
pub(crate) fn path_of(uri: &Uri) -> Option<String> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(h) = rest.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(h, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The reader a document's check gets: open documents first, then what
/// [`run`] was given for the disk.
fn reader(shared: &Arc<Mutex<Shared>>) -> crate::check::FileLoader {
    let shared = Arc::clone(shared);
    crate::check::FileLoader(Arc::new(move |path: &str| {
        let open = lock(&shared).open.get(path).cloned();
        match open {
            Some(text) => Ok((path.to_string(), text)),
            None => match DISK.get() {
                Some(disk) => (disk.0)(path),
                None => Err("not open in the editor, and this server reads no files".into()),
            },
        }
    }))
}

/// The std-lib's folder on disk, if the server has one.
fn std_dir() -> Option<&'static std::path::Path> {
    STD_DIR.get().map(std::path::PathBuf::as_path)
}

/// Runs the server on stdin/stdout until the client says `exit`. `std_dir`
/// holds the std-lib's files (the command line writes them there, as
/// rust-analyzer opens the sysroot's): definitions into the std-lib are
/// `file:` locations there.
pub fn run(
    std_dir: Option<std::path::PathBuf>,
    disk: Option<crate::check::FileLoader>,
) -> Result<(), String> {
    if let Some(dir) = std_dir {
        let _ = STD_DIR.set(dir);
    }
    if let Some(disk) = disk {
        let _ = DISK.set(disk);
    }
    let (connection, io_threads) = Connection::stdio();
    let served = serve(&connection);
    drop(connection);
    io_threads.join().map_err(|e| e.to_string())?;
    served
}

/// Whether a document is one of the std-lib's files on disk: shown, not
/// checked.
fn is_std_document(uri: &Uri) -> bool {
    std_dir().is_some_and(|dir| uri.as_str().starts_with(&features::file_uri(dir)))
}

/// The server on a connection: handshake, then the loop. `Err` when the
/// connection ends without `shutdown` and `exit`, or `exit` comes first.
pub fn serve(connection: &Connection) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let init: lsp::InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let utf8 = init
        .capabilities
        .general
        .and_then(|g| g.position_encodings)
        .is_some_and(|v| v.contains(&lsp::PositionEncodingKind::UTF8));
    let caps = lsp::ServerCapabilities {
        position_encoding: Some(if utf8 {
            lsp::PositionEncodingKind::UTF8
        } else {
            lsp::PositionEncodingKind::UTF16
        }),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Kind(
            lsp::TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec![".".into()]),
            ..Default::default()
        }),
        document_formatting_provider: Some(lsp::OneOf::Left(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Simple(true)),
        code_lens_provider: Some(lsp::CodeLensOptions {
            resolve_provider: Some(false),
        }),
        execute_command_provider: Some(lsp::ExecuteCommandOptions {
            commands: vec![run_test::RUN_TEST.into()],
            ..Default::default()
        }),
        ..Default::default()
    };
    let result = json!({
        "capabilities": caps,
        "serverInfo": { "name": "scalec", "version": env!("CARGO_PKG_VERSION") },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;

    let shared = Arc::new(Mutex::new(Shared::default()));
    let (jobs, job_rx) = mpsc::channel::<Job>();
    let checker = {
        let shared = Arc::clone(&shared);
        let sender = connection.sender.clone();
        std::thread::spawn(move || check_loop(&job_rx, &shared, &sender, utf8))
    };
    let mut docs: HashMap<String, (i32, String)> = HashMap::new();
    let mut ended: Result<(), String> =
        Err("the connection ended before `shutdown` and `exit`".into());
    for msg in &connection.receiver {
        match msg {
            Message::Request(req) => {
                // `shutdown`, then (waited for) `exit`: a clean end.
                match connection.handle_shutdown(&req) {
                    Ok(true) => {
                        ended = Ok(());
                        break;
                    }
                    Ok(false) => {}
                    Err(e) => {
                        ended = Err(format!("after `shutdown`: {e}"));
                        break;
                    }
                }
                if req.method == "workspace/executeCommand" {
                    if !command(connection, &req, &shared, utf8) {
                        break;
                    }
                    continue;
                }
                let resp = catch_unwind(AssertUnwindSafe(|| answer(&req, &docs, &shared, utf8)))
                    .unwrap_or_else(|_| {
                        Response::new_err(
                            req.id.clone(),
                            ErrorCode::InternalError as i32,
                            format!("scalec lsp failed on {}; it carries on", req.method),
                        )
                    });
                if connection.sender.send(Message::Response(resp)).is_err() {
                    break;
                }
            }
            Message::Notification(n) => {
                // LSP: `exit` without `shutdown` first ends with code 1.
                if n.method == "exit" {
                    ended = Err("the client said `exit` before `shutdown`".into());
                    break;
                }
                if let Some(job) = document_change(&n, &mut docs, utf8) {
                    if is_std_document(&job.uri) {
                        continue;
                    }
                    // The open documents that use this one are checked
                    // again, after it.
                    let again = changed(&job, &docs, &shared);
                    if jobs.send(job).is_err() {
                        break;
                    }
                    if again.into_iter().any(|j| jobs.send(j).is_err()) {
                        break;
                    }
                } else if n.method == "textDocument/didClose"
                    && let Ok(p) =
                        serde_json::from_value::<lsp::DidCloseTextDocumentParams>(n.params)
                {
                    let key = p.text_document.uri.to_string();
                    docs.remove(&key);
                    let mut s = lock(&shared);
                    if let Some(path) = path_of(&p.text_document.uri) {
                        s.open.remove(&path);
                    }
                    s.latest.remove(&key);
                    s.analyses.remove(&key);
                }
            }
            Message::Response(_) => {}
        }
    }
    drop(jobs);
    let _ = checker.join();
    ended
}

/// Records a changed document (its version, and its text for the files
/// that `use` it; its last test failures dropped) and gives the open
/// documents that use it, to check again after it.
fn changed(job: &Job, docs: &HashMap<String, (i32, String)>, shared: &Mutex<Shared>) -> Vec<Job> {
    let mut s = lock(shared);
    s.latest.insert(job.uri.to_string(), job.version);
    // A test's failures point into the text that ran.
    s.failures.remove(job.uri.as_str());
    let path = path_of(&job.uri);
    if let Some(p) = &path {
        s.open.insert(p.clone(), job.text.clone());
    }
    let me = job.uri.to_string();
    s.analyses
        .iter()
        .filter(|(uri, a)| {
            **uri != me
                && path.as_ref().is_some_and(|p| {
                    a.comp()
                        .sources
                        .iter()
                        .any(|(id, f)| id != features::USER && !f.is_std && f.name == *p)
                })
        })
        .filter_map(|(uri, _)| {
            let (version, text) = docs.get(uri)?;
            Some(Job {
                uri: uri.parse().ok()?,
                version: *version,
                text: text.clone(),
            })
        })
        .collect()
}

/// Applies didOpen/didChange to the documents; returns the text to check.
fn document_change(
    n: &Notification,
    docs: &mut HashMap<String, (i32, String)>,
    utf8: bool,
) -> Option<Job> {
    match n.method.as_str() {
        "textDocument/didOpen" => {
            let p: lsp::DidOpenTextDocumentParams =
                serde_json::from_value(n.params.clone()).ok()?;
            let d = p.text_document;
            docs.insert(d.uri.to_string(), (d.version, d.text.clone()));
            Some(Job {
                uri: d.uri,
                version: d.version,
                text: d.text,
            })
        }
        "textDocument/didChange" => {
            let p: lsp::DidChangeTextDocumentParams =
                serde_json::from_value(n.params.clone()).ok()?;
            let uri = p.text_document.uri;
            let (version, text) = docs.get_mut(uri.as_str())?;
            for change in p.content_changes {
                match change.range {
                    // Positions are in the encoding agreed at start.
                    Some(r) => {
                        let index = text::LineIndex::new(text, utf8);
                        let (s, e) = (index.offset(r.start), index.offset(r.end));
                        if s <= e && e <= text.len() {
                            text.replace_range(s..e, &change.text);
                        }
                    }
                    None => *text = change.text,
                }
            }
            *version = p.text_document.version;
            Some(Job {
                uri,
                version: *version,
                text: text.clone(),
            })
        }
        _ => None,
    }
}

/// The checker thread: newest version of each waiting document first,
/// stale results dropped. Each open document's `CompileCache` keeps its
/// last version, so an edit parses and lowers again only what it touched.
fn check_loop(
    jobs: &mpsc::Receiver<Job>,
    shared: &Arc<Mutex<Shared>>,
    sender: &crossbeam_channel::Sender<Message>,
    utf8: bool,
) {
    let mut caches: HashMap<String, CompileCache> = HashMap::new();
    // The thread freeing an older version, if still at it.
    let mut freeing: Option<std::thread::JoinHandle<()>> = None;
    while let Ok(first) = jobs.recv() {
        let mut waiting: Vec<Job> = vec![first];
        while let Ok(more) = jobs.try_recv() {
            waiting.retain(|j| j.uri != more.uri);
            waiting.push(more);
        }
        for job in waiting {
            let key = job.uri.to_string();
            {
                let s = lock(shared);
                // Closed documents' items go.
                caches.retain(|uri, _| s.latest.contains_key(uri));
                if s.latest.get(&key) != Some(&job.version) {
                    continue;
                }
            }
            // The version before the last may still be being freed: that
            // runs alongside this check instead of delaying it (memory
            // peaks at about three versions; the caches share the last
            // one's trees and model).
            let cache = caches.entry(key.clone()).or_default();
            let name = path_of(&job.uri).unwrap_or_else(|| "app.scale".into());
            let files = reader(shared);
            let checked = catch_unwind(AssertUnwindSafe(|| {
                Analysis::of_file(job.text, job.version, cache, &name, Some(files))
            }));
            let Ok(analysis) = checked else {
                // A cache a panic interrupted isn't trusted again.
                caches.remove(&key);
                continue;
            };
            let mut diagnostics = features::diagnostics(&analysis, &job.uri, utf8);
            let previous = {
                let mut s = lock(shared);
                if s.latest.get(&key) != Some(&job.version) {
                    continue;
                }
                if let Some(f) = s.failures.get(&key) {
                    diagnostics.extend(f.values().flatten().cloned());
                }
                s.analyses.insert(key, Arc::new(analysis))
            };
            let params = lsp::PublishDiagnosticsParams {
                uri: job.uri,
                diagnostics,
                version: Some(job.version),
            };
            let note = Notification::new("textDocument/publishDiagnostics".into(), params);
            if sender.send(Message::Notification(note)).is_err() {
                return;
            }
            // Freeing the last version's trees and model takes a while: on
            // a thread of its own, so that neither answering requests nor
            // the next check waits. One such thread at a time: a slow one is
            // waited for here, after publishing, never before a check.
            if let Some(previous) = previous {
                if let Some(f) = freeing.take() {
                    let _ = f.join();
                }
                freeing = Some(std::thread::spawn(move || drop(previous)));
            }
        }
    }
}

/// Answers `workspace/executeCommand` under `catch_unwind`, with the
/// diagnostics it gives first; false if the connection is gone.
fn command(connection: &Connection, req: &Request, shared: &Mutex<Shared>, utf8: bool) -> bool {
    let (resp, note) = catch_unwind(AssertUnwindSafe(|| execute(req, shared, utf8)))
        .unwrap_or_else(|_| {
            let failed = Response::new_err(
                req.id.clone(),
                ErrorCode::InternalError as i32,
                "scalec lsp failed running the test; it carries on".into(),
            );
            (failed, None)
        });
    let sent = note.is_none_or(|n| connection.sender.send(Message::Notification(n)).is_ok());
    sent && connection.sender.send(Message::Response(resp)).is_ok()
}

/// `workspace/executeCommand`: runs a test (`scalec.runTest [uri, name]`)
/// and gives, with the answer, the document's diagnostics with the run's
/// failures on the expectations that broke.
fn execute(req: &Request, shared: &Mutex<Shared>, utf8: bool) -> (Response, Option<Notification>) {
    let fail = |message: String| {
        let r = Response::new_err(req.id.clone(), ErrorCode::RequestFailed as i32, message);
        (r, None)
    };
    let p = match params::<lsp::ExecuteCommandParams>(req) {
        Ok(p) => p,
        Err(invalid) => return (invalid, None),
    };
    let args: Vec<&str> = p.arguments.iter().filter_map(Json::as_str).collect();
    let (uri, name) = match (p.command.as_str(), args.as_slice()) {
        (run_test::RUN_TEST, [uri, name]) => (*uri, *name),
        (run_test::RUN_TEST, _) => {
            return fail(format!(
                "{} takes a document and a test's name",
                run_test::RUN_TEST
            ));
        }
        (other, _) => return fail(format!("scalec lsp has no command `{other}`")),
    };
    let Some(a) = lock(shared).analyses.get(uri).cloned() else {
        return fail(format!("{uri} is not open"));
    };
    let Ok(parsed) = uri.parse::<Uri>() else {
        return fail(format!("`{uri}` is not a URI"));
    };
    let ran = match run_test::run(&a, path_of(&parsed).as_deref(), name, utf8) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let mut diagnostics = features::diagnostics(&a, &parsed, utf8);
    {
        let mut s = lock(shared);
        let mine = s.failures.entry(uri.to_string()).or_default();
        mine.insert(name.to_string(), ran.failures);
        diagnostics.extend(mine.values().flatten().cloned());
    }
    let params = lsp::PublishDiagnosticsParams {
        uri: parsed,
        diagnostics,
        version: Some(a.version),
    };
    let note = Notification::new("textDocument/publishDiagnostics".into(), params);
    (Response::new_ok(req.id.clone(), ran.result), Some(note))
}

/// Parses a request's params; `Err` is the response for params that
/// aren't the request's (JSON-RPC's -32602).
fn params<T: serde::de::DeserializeOwned>(req: &Request) -> Result<T, Response> {
    serde_json::from_value(req.params.clone()).map_err(|e| {
        Response::new_err(
            req.id.clone(),
            ErrorCode::InvalidParams as i32,
            format!("invalid params for {}: {e}", req.method),
        )
    })
}

/// Answers one request from the documents and their last analyses.
fn answer(
    req: &Request,
    docs: &HashMap<String, (i32, String)>,
    shared: &Mutex<Shared>,
    utf8: bool,
) -> Response {
    let analysis = |uri: &Uri| lock(shared).analyses.get(uri.as_str()).cloned();
    let at = |a: &Analysis, p: lsp::Position| text::LineIndex::new(&a.text, utf8).offset(p);
    macro_rules! parsed {
        ($t:ty) => {
            match params::<$t>(req) {
                Ok(p) => p,
                Err(invalid) => return invalid,
            }
        };
    }
    let result: Json = match req.method.as_str() {
        "textDocument/hover" => {
            let d = parsed!(lsp::HoverParams).text_document_position_params;
            analysis(&d.text_document.uri)
                .and_then(|a| features::hover(&a, at(&a, d.position), utf8))
                .map_or(Json::Null, |h| json!(h))
        }
        "textDocument/definition" => {
            let d = parsed!(lsp::GotoDefinitionParams).text_document_position_params;
            analysis(&d.text_document.uri)
                .and_then(|a| {
                    features::definition(&a, &d.text_document.uri, at(&a, d.position), utf8)
                })
                .map_or(Json::Null, |l| json!(l))
        }
        "textDocument/references" => {
            let d = parsed!(lsp::ReferenceParams).text_document_position;
            analysis(&d.text_document.uri)
                .map(|a| features::references(&a, &d.text_document.uri, at(&a, d.position), utf8))
                .map_or(Json::Null, |l| json!(l))
        }
        "textDocument/completion" => {
            let d = parsed!(lsp::CompletionParams).text_document_position;
            // The cursor is in the newest text, which may be ahead of the
            // analysis: complete against the newest text's prefix.
            analysis(&d.text_document.uri)
                .zip(docs.get(d.text_document.uri.as_str()))
                .map(|(a, (_, newest))| {
                    let offset = text::LineIndex::new(newest, utf8).offset(d.position);
                    features::completion(&a, newest, offset)
                })
                .map_or(Json::Null, |c| json!(c))
        }
        "textDocument/documentSymbol" => {
            let p = parsed!(lsp::DocumentSymbolParams);
            analysis(&p.text_document.uri)
                .map_or(Json::Null, |a| json!(features::symbols(&a, utf8)))
        }
        "textDocument/codeAction" => {
            let p = parsed!(lsp::CodeActionParams);
            analysis(&p.text_document.uri)
                .map(|a| features::code_actions(&a, &p.text_document.uri, p.range, utf8))
                .map_or(Json::Null, |c| json!(c))
        }
        "textDocument/codeLens" => {
            let p = parsed!(lsp::CodeLensParams);
            analysis(&p.text_document.uri).map_or(Json::Null, |a| {
                json!(run_test::lenses(&a, &p.text_document.uri, utf8))
            })
        }
        "textDocument/formatting" => {
            let p = parsed!(lsp::DocumentFormattingParams);
            docs.get(p.text_document.uri.as_str())
                .map_or(Json::Null, |(_, t)| json!(features::formatting(t, utf8)))
        }
        "scalec/stdFile" => req
            .params
            .get("path")
            .and_then(Json::as_str)
            .and_then(features::std_text)
            .map_or(Json::Null, |t| json!(t)),
        _ => {
            return Response::new_err(
                req.id.clone(),
                ErrorCode::MethodNotFound as i32,
                format!("scalec lsp doesn't answer {}", req.method),
            );
        }
    };
    Response::new_ok(req.id.clone(), result)
}
