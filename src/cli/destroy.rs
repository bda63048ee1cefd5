//! `scalec destroy`.

use scalec::apply::Aws;
use scalec::diagnostic::Severity;
use std::io::{BufRead, IsTerminal, Write};
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
        let text = match super::read_file(&self.file) {
            Ok(t) => t,
            Err(code) => return code,
        };
        let opts = scalec::check::Options {
            envs: vec![self.env.clone()],
            params: Default::default(),
        };
        let c = scalec::compile(&self.file.display().to_string(), &text, &opts);
        if c.diagnostics.count(Severity::Error) > 0 {
            super::report(&c.diagnostics, &c.sources);
            return 1;
        }
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
        if !self.auto_approve {
            if !std::io::stdin().is_terminal() {
                eprintln!(
                    "error: not on a terminal; pass --auto-approve to destroy without confirmation"
                );
                return 1;
            }
            eprint!(
                "Delete everything scalec manages for {} {} in {region}? Only `yes` proceeds: ",
                env.app, env.name
            );
            let _ = std::io::stderr().flush();
            let mut answer = String::new();
            let _ = std::io::stdin().lock().read_line(&mut answer);
            if answer.trim() != "yes" {
                eprintln!("Destroy cancelled.");
                return 1;
            }
        }
        let runtime = match tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
        {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: can't start the async runtime: {e}");
                return 1;
            }
        };
        runtime.block_on(async {
            let aws = match Aws::connect(&region, self.profile.as_deref()).await {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("error[scale::aws::credentials]: {e}");
                    return 1;
                }
            };
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
