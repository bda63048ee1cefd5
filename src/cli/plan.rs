//! `scalec plan`.

use super::Format;
use scalec::backend::plan;
use std::path::PathBuf;

/// Show the AWS API calls that would make an environment real.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  scalec plan examples/macro-ai.scale --env staging --offline \\\n    --param launch_template=lt-0123456789abcdef0 --param launch_template_version=3 ...\n  scalec plan app.scale --env production --offline --format json --out plan.json\n\n--offline plans against an empty account and makes no AWS call: the output is the complete, ordered\nlist of SDK calls (the direct apply plan). Planning against the live account comes with `scalec apply`.\n\nExit codes: 0 no changes, 1 error, 2 changes (with --detailed-exitcode; otherwise 0)."
)]
pub struct PlanCommand {
    /// The .scale file.
    file: PathBuf,
    /// The environment.
    #[arg(long)]
    env: String,
    /// Plan against an empty account, with no AWS call.
    #[arg(long)]
    offline: bool,
    /// A param value, NAME=VALUE; lists are comma-separated.
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = super::parse_param)]
    params: Vec<(String, String)>,
    /// AWS region (default: the environment's `region`).
    #[arg(long)]
    region: Option<String>,
    /// Also save the plan as JSON here.
    #[arg(long, value_name = "PLAN.json")]
    out: Option<PathBuf>,
    /// How to print the plan.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Exit 2 when the plan has changes, 0 when it has none.
    #[arg(long)]
    detailed_exitcode: bool,
}

impl PlanCommand {
    pub fn run(self) -> i32 {
        if !self.offline {
            eprintln!(
                "error: this version of scalec plans only with --offline (against an empty account, no AWS calls);\n       reading live state arrives with `scalec apply`"
            );
            return 2;
        }
        let (c, text) = match super::compile_env(&self.file, &self.env, &self.params) {
            Ok(x) => x,
            Err(code) => return code,
        };
        let p = match super::plan_env(&c, &self.env, self.region.as_deref(), &text) {
            Ok(p) => p,
            Err(code) => return code,
        };
        let json = serde_json::to_string_pretty(&p).unwrap_or_default() + "\n";
        if let Some(path) = &self.out
            && let Err(e) = super::write_atomic(path, &json)
        {
            eprintln!(
                "error[scale::io::write]: can't write {}: {e}",
                path.display()
            );
            return 1;
        }
        match self.format {
            Format::Human => super::print_stdout(plan::render_human(&p).trim_end()),
            Format::Json => super::print_stdout(json.trim_end()),
        }
        if self.detailed_exitcode && !p.operations.is_empty() {
            2
        } else {
            0
        }
    }
}
