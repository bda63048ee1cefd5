//! `scalec plan`.

use super::Format;
use scalec::backend::plan;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Show the AWS API calls that would make an environment real.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  scalec plan examples/macro-ai.scale --env staging --offline \\\n    --param launch_template=lt-0123456789abcdef0 --param launch_template_version=3 ...\n  scalec plan app.scale --env production --offline --format json --out plan.json\n\nWithout --offline, scalec reads the live account and lists only the calls needed (+ create,\n~ update with each changed field, - delete). --offline plans against an empty account and makes\nno AWS call: the complete, ordered list of SDK calls (the direct apply plan).\n\nExit codes: 0 no changes, 1 error, 2 changes (with --detailed-exitcode; otherwise 0)."
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
    /// AWS profile.
    #[arg(long)]
    profile: Option<String>,
    /// Take over a group of the same name that scalec didn't create.
    #[arg(long)]
    adopt: bool,
}

impl PlanCommand {
    pub fn run(self) -> i32 {
        let (c, text) = match super::compile_env(&self.file, &self.env, &self.params) {
            Ok(x) => x,
            Err(code) => return code,
        };
        let mut p = match super::plan_env(&c, &self.env, self.region.as_deref(), &text) {
            Ok(p) => p,
            Err(code) => return code,
        };
        p.source = self.file.display().to_string();
        if !self.offline {
            let Some(env) = c.spec.environment(&self.env) else {
                return 1;
            };
            let region = p.region.clone();
            let mut live = None;
            let (out, desired, adopt) = (&mut live, &p, self.adopt);
            let wanted = scalec::apply::wanted_alarms(&p);
            let code = super::with_aws(&region, self.profile.as_deref(), |aws| async move {
                match aws.read_state(env, &wanted).await {
                    Ok(state) => match plan::diff(desired, &state, adopt) {
                        Ok(d) => {
                            *out = Some(d);
                            0
                        }
                        Err(e) => {
                            eprintln!("error[scale::apply::not_ours]: {e}");
                            1
                        }
                    },
                    Err(e) => {
                        eprintln!("error[scale::aws::call]: {e}");
                        1
                    }
                }
            });
            match live {
                Some(d) => p = d,
                None => return code.max(1),
            }
        }
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
            Format::Human => super::print_stdout(
                super::colorize_plan(&plan::render_human(&p), std::io::stdout().is_terminal())
                    .trim_end(),
            ),
            Format::Json => super::print_stdout(json.trim_end()),
        }
        if self.detailed_exitcode && !p.operations.is_empty() {
            2
        } else {
            0
        }
    }
}
