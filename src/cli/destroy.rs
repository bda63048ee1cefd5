//! `scalec destroy`.

use super::output::{self, Format, Problem};
use scalec::apply::{self, Aws, Purpose};
use scalec::backend::plan;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Delete what scalec manages for an environment, and nothing else.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  scalec destroy --env development\n  scalec destroy examples/macro-ai.scale --env development\n  scalec destroy app.scale --env staging --auto-approve --profile staging --param launch_template=lt-0123456789abcdef0\n\nOnly resources carrying scalec's marks are deleted: groups, topics and alarms tagged\nmanaged-by=scalec with this app and environment (alarms the spec declares count by name);\npolicies and scheduled actions named after their group; the spec's dashboards. Everything\nelse is left alone and listed. It takes the same --param, --region and --profile flags as\nplan and apply, so one script can pass the same flags to all three."
)]
pub struct DestroyCommand {
    /// The .scale file, or a directory holding it (default: the current directory).
    file: Option<PathBuf>,
    /// The environment.
    #[arg(long)]
    env: String,
    /// Don't ask for confirmation (required when not on a terminal).
    #[arg(long)]
    auto_approve: bool,
    #[command(flatten)]
    params: super::params::ParamArgs,
    /// AWS region (default: the environment's `region`).
    #[arg(long)]
    region: Option<String>,
    /// AWS profile.
    #[arg(long)]
    profile: Option<String>,
    /// Calls run at once within a step.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
}

impl DestroyCommand {
    pub fn run(self) -> i32 {
        let human = Format::Human;
        let spec = match super::compile_env(self.file.as_deref(), &self.env, &self.params, human) {
            Ok(x) => x,
            Err(code) => return code,
        };
        let Some(env) = spec.env(&self.env) else {
            return 1;
        };
        let Some(region) = self.region.clone().or_else(|| env.region.clone()) else {
            return output::fail(
                human,
                &[Problem::new(
                    plan::error::NO_REGION,
                    format!("environment `{}` has no region", env.name),
                )
                .with_help("set `region = \"...\"` in the environment, or pass --region")],
            );
        };
        let runtime = match super::runtime() {
            Ok(r) => r,
            Err(p) => return output::fail(human, &[p]),
        };
        runtime.block_on(async {
            let aws = match Aws::connect_env(env, &region, self.profile.as_deref()).await {
                Ok((a, _)) => a,
                Err(e) => return output::fail(human, &[Problem::aws(&e)]),
            };
            let state = match aws
                .read_state(env, &env.alarm_names(), Purpose::Destroy)
                .await
            {
                Ok(s) => s,
                Err(e) => return output::fail(human, &[Problem::aws(&e)]),
            };
            let mut p = plan::teardown(env, &region, &state);
            p.source = spec.path.display().to_string();
            eprint!(
                "{}",
                super::colorize_plan(&plan::render_human(&p), std::io::stderr().is_terminal())
            );
            if p.operations.is_empty() {
                eprintln!("Nothing of {} {} to delete in {region}.", env.app, env.name);
                return 0;
            }
            if !self.auto_approve
                && !super::confirm(&format!(
                    "\nDelete everything scalec manages for {} {} in {region} ({} calls)?",
                    env.app,
                    env.name,
                    p.operations.len()
                ))
            {
                return 1;
            }
            super::apply::run_plan(
                &aws,
                &p,
                apply::known_arns(&state),
                self.concurrency,
                "Destroy",
            )
            .await
        })
    }
}
