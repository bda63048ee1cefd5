//! `scalec lsp`: the language server, on stdin and stdout.

/// Run the language server (for editors), speaking LSP on stdin/stdout.
#[derive(clap::Args)]
#[command(
    after_help = "Editors start this themselves; see editors/vscode/ for VS Code.\nIt answers diagnostics (on open and on every change), hover, go to definition,\nreferences, completion, formatting, the outline and quick fixes.\n\nExit codes: 0 after the client's shutdown and exit, 1 if the connection broke."
)]
pub struct LspCommand {}

impl LspCommand {
    pub fn run(self) -> i32 {
        match scalec::lsp::run() {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: scalec lsp: {e}");
                1
            }
        }
    }
}
