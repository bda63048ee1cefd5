//! `scalec plan`.

use super::output::{self, Format, Problem};
use scalec::apply::{Aws, Purpose};
use scalec::backend::plan;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Show the AWS API calls that would make an environment real.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  scalec plan --env staging\n  scalec plan examples/macro-ai.scale --env staging --offline \\\n    --param launch_template=lt-0123456789abcdef0 --param launch_template_version=3 ...\n  scalec plan app.scale --env production --offline --format json --out plan.json\n  scalec plan app.scale --env staging --params staging.params\n\nWithout FILE, scalec plans ./app.scale, or the only .scale file in the current directory.\nWithout --offline, scalec reads the live account and lists only the calls needed (+ create,\n~ update with each changed field, - delete). --offline plans against an empty account and makes\nno AWS call: the complete, ordered list of SDK calls (the direct apply plan).\nWith --format json, stdout is one JSON document whatever happens: the plan, or\n{\"ok\": false, \"diagnostics\": [...]}.\n\nExit codes: 0 no changes, 1 error, 2 changes (with --detailed-exitcode; otherwise 0)."
)]
pub struct PlanCommand {
    /// The .scale file, or a directory holding it (default: the current directory).
    file: Option<PathBuf>,
    /// The environment.
    #[arg(long)]
    env: String,
    /// Plan against an empty account, with no AWS call.
    #[arg(long)]
    offline: bool,
    #[command(flatten)]
    params: super::params::ParamArgs,
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
    /// Show every field a create sets, AWS's defaults included.
    #[arg(long)]
    verbose: bool,
    /// AWS profile.
    #[arg(long)]
    profile: Option<String>,
    /// Take over a group of the same name that scalec didn't create.
    #[arg(long)]
    adopt: bool,
}

impl PlanCommand {
    pub fn run(self) -> i32 {
        let format = self.format;
        let values = match self.params.values() {
            Ok(v) => v,
            Err(p) => return output::fail(format, &p),
        };
        let spec = match super::compile_env_with(self.file.as_deref(), &self.env, &values, format) {
            Ok(x) => x,
            Err(code) => return code,
        };
        let mut p = match super::plan_env(
            &spec,
            &self.env,
            self.region.as_deref(),
            !self.offline,
            format,
        ) {
            Ok(p) => p,
            Err(code) => return code,
        };
        p.source = spec.path.display().to_string();
        p.params = values.params.iter().cloned().collect();
        if !self.offline {
            let Some(env) = spec.env(&self.env) else {
                return 1;
            };
            match live_plan(&p, env, self.profile.as_deref(), self.adopt) {
                Ok(d) => p = d,
                Err(problem) => return output::fail(format, &[problem]),
            }
        }
        let json = p.to_json();
        if let Some(path) = &self.out
            && let Err(e) = super::write_atomic(path, &json)
        {
            return output::fail(format, &[Problem::cant_write(path, &e)]);
        }
        match format {
            Format::Human => super::print_stdout(
                super::colorize_plan(
                    &plan::render_human_with(&p, super::detail(self.verbose)),
                    std::io::stdout().is_terminal(),
                )
                .trim_end(),
            ),
            Format::Json => super::print_stdout(json.trim_end()),
        }
        // Said after the plan, on stderr, so stdout stays the plan itself.
        if let Some(path) = &self.out
            && format == Format::Human
        {
            let how = if p.state_fingerprint == "empty" {
                "an offline plan: `scalec apply` takes it only for an empty account".to_string()
            } else {
                format!("apply it with `scalec apply {}`", path.display())
            };
            eprintln!("wrote the plan to {} ({how})", path.display());
        }
        if self.detailed_exitcode && !p.operations.is_empty() {
            2
        } else {
            0
        }
    }
}

/// The calls needed against the live account.
fn live_plan(
    desired: &plan::ApplyPlan,
    env: &scalec::model::Environment,
    profile: Option<&str>,
    adopt: bool,
) -> Result<plan::ApplyPlan, Problem> {
    let wanted = scalec::apply::wanted_alarms(desired);
    super::runtime()?.block_on(async {
        let aws = Aws::connect(&desired.region, profile)
            .await
            .map_err(|e| Problem::aws(&e))?;
        let state = aws
            .read_state(env, &wanted, Purpose::Plan)
            .await
            .map_err(|e| Problem::aws(&e))?;
        plan::diff(desired, &state, adopt).map_err(not_ours)
    })
}

/// A same-named group that scalec didn't create.
pub fn not_ours(message: String) -> Problem {
    Problem::new(scalec::apply::error::NOT_OURS, message).with_help(
        "check that the spec's app and environment names are right; `--adopt` takes the group over",
    )
}
