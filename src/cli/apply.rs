//! `scalec apply`.

use scalec::apply;
use scalec::backend::plan::{self, ApplyPlan};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Make the account match the spec, with direct API calls.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  scalec apply examples/macro-ai.scale --env staging --param ...\n  scalec apply app.scale --env production --auto-approve --profile prod\n  scalec plan app.scale --env production --out plan.json && scalec apply plan.json --auto-approve\n\nApply reads the live state first and makes only the calls needed. A saved plan is refused when\nthe spec or the live state changed since it was made. Credentials, region and endpoints follow\nthe AWS CLI's rules (AWS_PROFILE, AWS_ENDPOINT_URL, ...)."
)]
pub struct ApplyCommand {
    /// The .scale file, or a plan saved with `scalec plan --out`.
    file: PathBuf,
    /// The environment (not with a saved plan).
    #[arg(long)]
    env: Option<String>,
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
    /// Take over a group of the same name that scalec didn't create.
    #[arg(long)]
    adopt: bool,
    /// Calls run at once within a step.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
}

impl ApplyCommand {
    pub fn run(self) -> i32 {
        let saved: Option<ApplyPlan> = if self.file.extension().is_some_and(|e| e == "json") {
            let text = match super::read_file(&self.file) {
                Ok(t) => t,
                Err(code) => return code,
            };
            match serde_json::from_str(&text) {
                Ok(p) => Some(p),
                Err(e) => {
                    eprintln!(
                        "error[scale::plan::invalid]: {} is not a scalec plan: {e}",
                        self.file.display()
                    );
                    return 1;
                }
            }
        } else {
            None
        };
        let (spec_path, env_name) = match (&saved, &self.env) {
            (Some(p), _) => (PathBuf::from(&p.source), p.environment.clone()),
            (None, Some(e)) => (self.file.clone(), e.clone()),
            (None, None) => {
                eprintln!("error: --env is required with a .scale file");
                return 2;
            }
        };
        let (c, text) = match super::compile_env(&spec_path, &env_name, &self.params) {
            Ok(x) => x,
            Err(code) => return code,
        };
        if let Some(p) = &saved
            && plan::fingerprint(&text) != p.spec_hash
        {
            eprintln!(
                "error[scale::plan::stale]: {} changed since this plan was made; run `scalec plan` again",
                spec_path.display()
            );
            return 1;
        }
        let Some(env) = c.spec.environment(&env_name) else {
            return 1;
        };
        let desired = match &saved {
            Some(_) => None,
            None => match super::plan_env(&c, &env_name, self.region.as_deref(), &text) {
                Ok(p) => Some(p),
                Err(code) => return code,
            },
        };
        let region = saved
            .as_ref()
            .map(|p| p.region.clone())
            .or_else(|| desired.as_ref().map(|p| p.region.clone()))
            .unwrap_or_default();
        let wanted = match (&saved, &desired) {
            (Some(p), _) | (None, Some(p)) => apply::wanted_alarms(p),
            _ => Default::default(),
        };
        super::with_aws(&region, self.profile.as_deref(), |aws| async move {
            let state = match aws.read_state(env, &wanted).await {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("error[scale::aws::call]: {e}");
                    return 1;
                }
            };
            let p = match (saved, desired) {
                (Some(p), _) => {
                    if p.state_fingerprint != state.fingerprint() {
                        eprintln!(
                            "error[scale::plan::stale]: the account changed since this plan was made; run `scalec plan` again"
                        );
                        return 1;
                    }
                    p
                }
                (None, Some(d)) => match plan::diff(&d, &state, self.adopt) {
                    Ok(p) => p,
                    Err(e) => {
                        eprintln!("error[scale::apply::not_ours]: {e}");
                        return 1;
                    }
                },
                (None, None) => return 1,
            };
            eprint!(
                "{}",
                super::colorize_plan(&plan::render_human(&p), std::io::stderr().is_terminal())
            );
            if p.operations.is_empty() {
                return 0;
            }
            if !self.auto_approve
                && !super::confirm(&format!(
                    "\nMake these {} calls in {}?",
                    p.operations.len(),
                    p.region
                ))
            {
                return 1;
            }
            // A progress bar on a terminal; nothing when piped (indicatif
            // hides itself when stderr isn't a terminal).
            let bar = indicatif::ProgressBar::new(p.operations.len() as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            let on_done = |op: &plan::Operation| {
                bar.set_message(format!("{} {}", apply::api_name(&op.call), op.resource));
                bar.inc(1);
            };
            match apply::execute(
                &aws,
                &p,
                apply::known_arns(&state),
                self.concurrency,
                &on_done,
            )
            .await
            {
                Ok(summary) => {
                    let count =
                        |a: plan::Action| p.operations.iter().filter(|o| o.action == a).count();
                    eprintln!(
                        "\nApply complete: {} calls; {} created, {} updated, {} deleted.",
                        summary.done.len(),
                        count(plan::Action::Create),
                        count(plan::Action::Update),
                        count(plan::Action::Delete)
                    );
                    0
                }
                Err((summary, e)) => {
                    eprintln!("\nerror[scale::aws::call]: {e}");
                    eprintln!(
                        "{} of {} calls were made before the failure; run apply again to finish:",
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
