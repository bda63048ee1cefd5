//! The `scalec` command: a thin layer of argument parsing, file reading and
//! printing over the `scalec` library.

mod cli;

fn main() {
    reset_sigpipe();
    std::process::exit(cli::run());
}

/// Rust ignores SIGPIPE, so a write to a closed pipe fails and `print!`
/// panics. With the default action back, a reader that stops early (`scalec
/// check | head -1`) ends scalec quietly, as it ends `cat` or `cargo`.
#[cfg(unix)]
fn reset_sigpipe() {
    // SAFETY: restores a signal's default disposition before any thread
    // starts; no handler is installed. Sockets are unaffected: the standard
    // library (under tokio and the AWS SDK) writes them with MSG_NOSIGNAL,
    // so a closed connection is still an error, not a signal.
    #[allow(unsafe_code)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn reset_sigpipe() {}

/// glibc's malloc grows per-thread arenas with one `mprotect` call per few
/// pages, which dominated `build --all-envs` (over 170,000 calls for 3,000
/// stacks). mimalloc doesn't.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
