//! The `scalec` command: a thin layer of argument parsing, file reading and
//! printing over the `scalec` library.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
