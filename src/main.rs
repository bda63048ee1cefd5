//! The `scalec` command: a thin layer of argument parsing, file reading and
//! printing over the `scalec` library.

mod cli;

fn main() {
    std::process::exit(cli::run());
}

/// glibc's malloc grows per-thread arenas with one `mprotect` call per few
/// pages, which dominated `build --all-envs` (over 170,000 calls for 3,000
/// stacks). mimalloc doesn't.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
