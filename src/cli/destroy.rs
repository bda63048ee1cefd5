//! `scalec destroy`.

use std::path::PathBuf;

/// Delete what scalec manages for an environment, and nothing else.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  scalec destroy examples/macro-ai.scale --env development\n  scalec destroy app.scale --env staging --auto-approve --profile staging\n\nOnly resources carrying scalec's marks are deleted: groups, topics and alarms tagged\nmanaged-by=scalec with this app and environment; policies, scheduled actions and dashboards\nnamed after the group. Everything else is left alone and listed."
)]
pub struct DestroyCommand {
    /// The .scale file.
    file: PathBuf,
    /// The environment.
    #[arg(long)]
    env: String,
    /// Don't ask for confirmation (required when not on a terminal).
    #[arg(long)]
    auto_approve: bool,
    /// AWS region (default: the environment's `region`).
    #[arg(long)]
    region: Option<String>,
    /// AWS profile.
    #[arg(long)]
    profile: Option<String>,
}

impl DestroyCommand {
    pub fn run(self) -> i32 {
        let (c, _) = match super::compile_env(&self.file, &self.env, &[]) {
            Ok(x) => x,
            Err(code) => return code,
        };
        let Some(env) = c.spec.environment(&self.env) else {
            return 1;
        };
        let Some(region) = self.region.clone().or_else(|| env.region.clone()) else {
            eprintln!(
                "error[scale::plan::no_region]: environment `{}` has no region; pass --region",
                env.name
            );
            return 1;
        };
        if !self.auto_approve
            && !super::confirm(&format!(
                "Delete everything scalec manages for {} {} in {region}?",
                env.app, env.name
            ))
        {
            return 1;
        }
        super::with_aws(&region, self.profile.as_deref(), |aws| async move {
            let (result, code) = match aws.destroy(env).await {
                Ok(d) => (d, 0),
                Err((d, e)) => {
                    eprintln!("error[scale::aws::call]: {e}");
                    (d, 1)
                }
            };
            for d in &result.deleted {
                eprintln!("  - deleted {d}");
            }
            for l in &result.left {
                eprintln!("  left alone: {l}");
            }
            eprintln!(
                "\nDestroy {}: {} deleted, {} left alone.",
                if code == 0 { "complete" } else { "stopped" },
                result.deleted.len(),
                result.left.len()
            );
            code
        })
    }
}
