//! `scalec debug`: dumps of the intermediate forms.

use scalec::diagnostic::{self, Severity};
use std::path::PathBuf;

/// Print an intermediate form as JSON.
#[derive(clap::Subcommand)]
pub enum DebugCommand {
    /// The syntax tree of a file.
    #[command(after_help = "Example:\n  scalec debug ast examples/macro-ai.scale")]
    Ast {
        /// The .scale file, or a directory holding it (default: the current directory).
        file: Option<PathBuf>,
    },
    /// The spec written out: templates and for_each expanded, used files' declarations in.
    #[command(
        after_help = "Example:\n  scalec debug expand app.scale > written-out.scale\n\nThe text printed is a spec that compiles to what FILE compiles to: every group as if written by hand. Comments are not kept."
    )]
    Expand {
        /// The .scale file, or a directory holding it (default: the current directory).
        file: Option<PathBuf>,
    },
    /// The resolved model of one environment.
    #[command(after_help = "Example:\n  scalec debug model examples/macro-ai.scale --env staging")]
    Model {
        /// The .scale file, or a directory holding it (default: the current directory).
        file: Option<PathBuf>,
        /// The environment.
        #[arg(long)]
        env: String,
        #[command(flatten)]
        params: super::params::ParamArgs,
    },
}

impl DebugCommand {
    pub fn run(self) -> i32 {
        match self {
            DebugCommand::Ast { file } => {
                let found = super::spec::locate(file.as_deref())
                    .and_then(|path| super::spec::read(&path).map(|text| (path, text)));
                let (file, text) = match found {
                    Ok(x) => x,
                    Err(p) => return super::output::fail(super::output::Format::Human, &[p]),
                };
                let mut sources = scalec::source::SourceMap::new();
                let id = sources.add(file.display().to_string(), text, false);
                let (ast, diags) = scalec::syntax::source_to_ast(&sources, id);
                if !diags.is_empty() {
                    eprint!(
                        "{}",
                        diagnostic::render_human(
                            &diags.sorted(),
                            &sources,
                            super::color_stderr(),
                            super::width()
                        )
                    );
                }
                super::print_stdout(&ast.to_json());
                i32::from(diags.has_errors())
            }
            DebugCommand::Expand { file } => {
                let found = super::spec::locate(file.as_deref())
                    .and_then(|path| super::spec::read(&path).map(|text| (path, text)));
                let (file, text) = match found {
                    Ok(x) => x,
                    Err(p) => return super::output::fail(super::output::Format::Human, &[p]),
                };
                let opts = super::params::Values::default().options(Default::default());
                match scalec::expand_text(&file.display().to_string(), &text, &opts) {
                    Ok(written) => {
                        super::print_stdout(written.trim_end_matches('\n'));
                        0
                    }
                    Err(c) => {
                        super::output::report(
                            super::output::Format::Human,
                            &c.diagnostics,
                            &c.sources,
                        );
                        1
                    }
                }
            }
            DebugCommand::Model { file, env, params } => {
                let found = super::spec::locate(file.as_deref())
                    .and_then(|path| super::spec::read(&path).map(|text| (path, text)));
                let (file, text) = match found {
                    Ok(x) => x,
                    Err(p) => return super::output::fail(super::output::Format::Human, &[p]),
                };
                let values = match params.values() {
                    Ok(v) => v,
                    Err(p) => return super::output::fail(super::output::Format::Human, &p),
                };
                let opts = values.options(scalec::check::Options {
                    envs: vec![env.clone()],
                    ..Default::default()
                });
                let c = scalec::compile(&file.display().to_string(), &text, &opts);
                super::output::report(super::output::Format::Human, &c.diagnostics, &c.sources);
                if c.diagnostics.count(Severity::Error) > 0 {
                    return 1;
                }
                match c.spec.environment(&env) {
                    Some(e) => {
                        super::print_stdout(&e.to_json());
                        0
                    }
                    None => 1,
                }
            }
        }
    }
}
