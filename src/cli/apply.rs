//! `scalec apply`.

use scalec::apply;
use scalec::backend::plan;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Create an environment in AWS with direct API calls.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  scalec apply examples/macro-ai.scale --env staging --param ... \n  scalec apply app.scale --env production --auto-approve --profile prod\n\nThis version creates an environment that doesn't exist yet: it refuses when one of the\nenvironment's groups exists already. Updating and destroying come next.\nCredentials, region and endpoints follow the AWS CLI's rules (AWS_PROFILE, AWS_ENDPOINT_URL, ...)."
)]
pub struct ApplyCommand {
    /// The .scale file.
    file: PathBuf,
    /// The environment.
    #[arg(long)]
    env: String,
    /// Don't ask for confirmation (required when not on a terminal).
    #[arg(long)]
    auto_approve: bool,
    /// A param value, NAME=VALUE; lists are comma-separated.
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = super::parse_param)]
    params: Vec<(String, String)>,
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

impl ApplyCommand {
    pub fn run(self) -> i32 {
        let (c, text) = match super::compile_env(&self.file, &self.env, &self.params) {
            Ok(x) => x,
            Err(code) => return code,
        };
        let p = match super::plan_env(&c, &self.env, self.region.as_deref(), &text) {
            Ok(p) => p,
            Err(code) => return code,
        };
        let Some(env) = c.spec.environment(&self.env) else {
            return 1;
        };
        let region = p.region.clone();
        super::with_aws(&region, self.profile.as_deref(), |aws| async move {
            let groups: Vec<String> = env.groups.iter().map(|g| g.physical_name.clone()).collect();
            match aws.existing_groups(&groups).await {
                Ok(found) if !found.is_empty() => {
                    eprintln!(
                        "error[scale::apply::exists]: environment `{}` exists already (group {}).\n  help: this version of scalec creates environments; updating one in place is not supported yet",
                        env.name,
                        found.join(", ")
                    );
                    return 1;
                }
                Ok(_) => {}
                Err(e) => {
                    eprintln!("error[scale::aws::call]: {e}");
                    return 1;
                }
            }
            eprint!("{}", plan::render_human(&p));
            if !self.auto_approve
                && !super::confirm(&format!(
                    "\nApply these {} calls in {}?",
                    p.operations.len(),
                    p.region
                ))
            {
                return 1;
            }
            let show = std::io::stderr().is_terminal();
            let on_done = |op: &plan::Operation| {
                if show {
                    eprintln!("  done {} {}", apply::api_name(&op.call), op.resource);
                }
            };
            match apply::execute(&aws, &p, self.concurrency, &on_done).await {
                Ok(summary) => {
                    eprintln!(
                        "\nApply complete: {} calls made, environment `{}` created.",
                        summary.done.len(),
                        env.name
                    );
                    0
                }
                Err((summary, e)) => {
                    eprintln!("\nerror[scale::aws::call]: {e}");
                    eprintln!(
                        "{} of {} calls were made before the failure:",
                        summary.done.len(),
                        p.operations.len()
                    );
                    for d in &summary.done {
                        eprintln!("  done {d}");
                    }
                    1
                }
            }
        })
    }
}
