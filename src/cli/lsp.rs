//! `scalec lsp`: the language server, on stdin and stdout.

/// Run the language server (for editors), speaking LSP on stdin/stdout.
#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  scalec lsp    (started by the editor: VS Code through editors/vscode/, neovim with\n               vim.lsp.start({ name = 'scalec', cmd = { 'scalec', 'lsp' } }))\n\nEditors start this themselves; see editors/vscode/ for VS Code.\nIt answers diagnostics (on open and on every change), hover, go to definition,\nreferences, completion, formatting, the outline and quick fixes.\n\nGo to definition opens the std-lib as read-only files, written once to\n$XDG_CACHE_HOME/scalec (or ~/.cache/scalec).\n\nExit codes: 0 after the client's shutdown and exit, 1 if the client said exit first or the connection broke."
)]
pub struct LspCommand {}

impl LspCommand {
    pub fn run(self) -> i32 {
        match scalec::lsp::run(std_files(), Some(super::params::files())) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: scalec lsp: {e}");
                1
            }
        }
    }
}

/// Writes the std-lib's files where go-to-definition can open them, read
/// only: `$XDG_CACHE_HOME/scalec/std-lib-VERSION-HASH/` (else `~/.cache`,
/// else the temporary folder). A folder already written for these very
/// files is used as it is. `None` if no folder can be written.
fn std_files() -> Option<std::path::PathBuf> {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    scalec::stdlib::FILES.hash(&mut h);
    let leaf = format!("std-lib-{}-{:016x}", env!("CARGO_PKG_VERSION"), h.finish());
    let bases = [
        std::env::var_os("XDG_CACHE_HOME").map(std::path::PathBuf::from),
        std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cache")),
        Some(std::env::temp_dir()),
    ];
    bases
        .into_iter()
        .flatten()
        .filter(|b| b.is_absolute())
        .find_map(|base| write_std(&base.join("scalec").join(&leaf)).ok())
}

/// The std-lib's files in `dir`, read-only.
fn write_std(dir: &std::path::Path) -> std::io::Result<std::path::PathBuf> {
    std::fs::create_dir_all(dir)?;
    for (name, text) in scalec::stdlib::FILES {
        let name = name.trim_matches(['<', '>']).trim_start_matches("std-lib/");
        let path = dir.join(name);
        if std::fs::read_to_string(&path).is_ok_and(|t| t == *text) {
            continue;
        }
        if path.exists() {
            let mut perms = std::fs::metadata(&path)?.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&path, perms)?;
        }
        super::write_atomic(&path, text)?;
        let mut perms = std::fs::metadata(&path)?.permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&path, perms)?;
    }
    Ok(dir.to_path_buf())
}
