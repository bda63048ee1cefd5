//! `scalec apply`.

use scalec::apply::{self, Aws};
use scalec::backend::plan;
use scalec::diagnostic::Severity;
use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
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
        let text = match super::read_file(&self.file) {
            Ok(t) => t,
            Err(code) => return code,
        };
        let opts = scalec::check::Options {
            envs: vec![self.env.clone()],
            params: self.params.iter().cloned().collect::<BTreeMap<_, _>>(),
        };
        let c = scalec::compile(&self.file.display().to_string(), &text, &opts);
        super::report(&c.diagnostics, &c.sources);
        if c.diagnostics.count(Severity::Error) > 0 {
            return 1;
        }
        let Some(env) = c.spec.environment(&self.env) else {
            return 1;
        };
        let p = match plan::model_to_plan(env, self.region.as_deref(), &text) {
            Ok(p) => p,
            Err(d) => {
                super::report(&d, &c.sources);
                return 1;
            }
        };
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
            let aws = match Aws::connect(&p.region, self.profile.as_deref()).await {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("error[scale::aws::credentials]: {e}");
                    return 1;
                }
            };
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
            if !self.auto_approve {
                if !std::io::stdin().is_terminal() {
                    eprintln!("error: not on a terminal; pass --auto-approve to apply without confirmation");
                    return 1;
                }
                eprint!("\nApply these {} calls in {}? Only `yes` proceeds: ", p.operations.len(), p.region);
                let _ = std::io::stderr().flush();
                let mut answer = String::new();
                let _ = std::io::stdin().lock().read_line(&mut answer);
                if answer.trim() != "yes" {
                    eprintln!("Apply cancelled.");
                    return 1;
                }
            }
            let show = std::io::stderr().is_terminal();
            let on_done = |op: &plan::Operation| {
                if show {
                    eprintln!("  done {} {}", apply::api_name(&op.call), op.resource);
                }
            };
            match apply::execute(&aws, &p, self.concurrency, &on_done).await {
                Ok(summary) => {
                    eprintln!("\nApply complete: {} calls made, environment `{}` created.", summary.done.len(), env.name);
                    0
                }
                Err((summary, e)) => {
                    eprintln!("\nerror[scale::aws::call]: {e}");
                    eprintln!("{} of {} calls were made before the failure:", summary.done.len(), p.operations.len());
                    for d in &summary.done {
                        eprintln!("  done {d}");
                    }
                    1
                }
            }
        })
    }
}
