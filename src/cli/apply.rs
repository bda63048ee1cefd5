//! `scalec apply`.

use super::output::{self, Format, Problem};
use scalec::apply::{self, Aws, Purpose};
use scalec::backend::plan::{self, ApplyPlan};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Make the account match the spec, with direct API calls.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  scalec apply --env staging\n  scalec apply examples/macro-ai.scale --env staging --param ...\n  scalec apply app.scale --env production --auto-approve --profile prod\n  scalec plan app.scale --env production --out plan.json && scalec apply plan.json --auto-approve\n  scalec apply app.scale --all-envs\n\nWith --all-envs, every environment is planned in its region and account (its `role` assumed,\nits `account` checked), the plans are shown together and confirmed once, and the\nenvironments are applied a few at a time; nothing is applied unless every one planned.\n\nApply reads the live state first and makes only the calls needed. A saved plan is refused when\nthe spec or the live state changed since it was made. Credentials, region and endpoints follow\nthe AWS CLI's rules (AWS_PROFILE, AWS_ENDPOINT_URL, ...)."
)]
pub struct ApplyCommand {
    /// The .scale file (or a directory holding it; default: the current
    /// directory), or a plan saved with `scalec plan --out`.
    file: Option<PathBuf>,
    /// The environment (not with a saved plan).
    #[arg(long)]
    env: Option<String>,
    /// Every environment of the spec, each in its own region and account.
    #[arg(long, conflicts_with = "env")]
    all_envs: bool,
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
    /// Take over a group of the same name that scalec didn't create.
    #[arg(long)]
    adopt: bool,
    /// Show every field a create sets, AWS's defaults included.
    #[arg(long)]
    verbose: bool,
    /// Calls run at once within a step.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
}

impl ApplyCommand {
    /// The plan `FILE` holds when it is a saved plan's JSON. `Err` is the
    /// exit code: of a saved plan of several environments, run here, or
    /// of a refusal (not a plan, or params given with one).
    fn saved_plan(&self) -> Result<Option<ApplyPlan>, i32> {
        let human = Format::Human;
        let saved: Option<ApplyPlan> = match &self.file {
            Some(f) if f.extension().is_some_and(|e| e == "json") => {
                let text = match super::spec::read(f) {
                    Ok(t) => t,
                    Err(p) => return Err(output::fail(human, &[p])),
                };
                if let Some(plans) = super::all_envs::read_saved(&text) {
                    return Err(match plans {
                        Ok(plans) => self.run_saved_all(plans),
                        Err(e) => output::fail(
                            human,
                            &[Problem::new(
                                scalec::diagnostic::cli_codes::PLAN_INVALID,
                                format!("{} is not a scalec plan: {e}", f.display()),
                            )
                            .with_help(
                                "save a plan with `scalec plan --all-envs --out plans.json`",
                            )],
                        ),
                    });
                }
                match ApplyPlan::from_json(&text) {
                    Ok(p) => Some(p),
                    Err(e) => {
                        return Err(output::fail(
                            human,
                            &[Problem::new(
                                scalec::diagnostic::cli_codes::PLAN_INVALID,
                                format!("{} is not a scalec plan: {e}", f.display()),
                            )
                            .with_help("save a plan with `scalec plan --env ENV --out plan.json`")],
                        ));
                    }
                }
            }
            _ => None,
        };
        if saved.is_some()
            && (!self.params.params.is_empty() || !self.params.param_files.is_empty())
        {
            return Err(output::fail(
                human,
                &[Problem::new(
                    scalec::diagnostic::cli_codes::USAGE,
                    "a saved plan carries the params it was made with; --param and --params can't change them",
                )
                .with_help("make the plan again with these params: `scalec plan ... --param NAME=VALUE --out plan.json`")],
            ));
        }
        Ok(saved)
    }

    pub fn run(self) -> i32 {
        let human = Format::Human;
        if self.all_envs {
            return self.run_all();
        }
        // A saved plan (`Err`: what running it, or refusing it, exited with).
        let saved = match self.saved_plan() {
            Ok(p) => p,
            Err(code) => return code,
        };
        let (spec, env_name) = match self.spec_and_env(saved.as_ref()) {
            Ok(x) => x,
            Err(code) => return code,
        };
        let Some(env) = spec.env(&env_name) else {
            return 1;
        };
        if saved.as_ref().is_some_and(|p| p.region.is_empty()) {
            return output::fail(
                human,
                &[Problem::new(
                    scalec::backend::plan::error::NO_REGION,
                    "this plan names no region (it was made offline for any region)",
                )
                .with_help(
                    "make the plan again with `--region`, or set the environment's `region`",
                )],
            );
        }
        // A saved plan is planned again, from its spec and params, in its
        // region: it runs only if that gives the same calls.
        let region = saved.as_ref().map(|p| p.region.as_str());
        let desired = match super::plan_env(
            &spec,
            &env_name,
            region.or(self.region.as_deref()),
            true,
            human,
        ) {
            Ok(p) => p,
            Err(code) => return code,
        };
        let region = region.map_or_else(|| desired.region.clone(), str::to_string);
        let wanted = apply::wanted_alarms(&desired);
        let runtime = match super::runtime() {
            Ok(r) => r,
            Err(p) => return output::fail(human, &[p]),
        };
        runtime.block_on(async {
            let (aws, caller) = match Aws::connect_env(env, &region, self.profile.as_deref()).await
            {
                Ok(a) => a,
                Err(e) => return output::fail(human, &[Problem::aws(&e)]),
            };
            if let Err(code) = same_account(&aws, caller, saved.as_ref(), &env_name).await {
                return code;
            }
            let state = match aws.read_state(env, &wanted, Purpose::Plan).await {
                Ok(s) => s,
                Err(e) => return output::fail(human, &[Problem::aws(&e)]),
            };
            let p = match self.calls(saved.as_ref(), &desired, &state) {
                Ok(p) => p,
                Err(code) => return code,
            };
            eprint!(
                "{}",
                super::colorize_plan(
                    &plan::render_human_with(&p, super::detail(self.verbose)),
                    std::io::stderr().is_terminal(),
                )
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
            run_plan(
                &aws,
                &p,
                apply::known_arns(&state),
                self.concurrency,
                "Apply",
            )
            .await
        })
    }

    /// The spec compiled for the environment, with the params' values: a
    /// saved plan's spec, environment and params (refused when the spec
    /// changed since), else the command line's. `Err`: the exit code.
    fn spec_and_env(&self, saved: Option<&ApplyPlan>) -> Result<(super::Spec, String), i32> {
        let human = Format::Human;
        let values = match saved {
            Some(p) => super::params::Values {
                params: p.params.clone().into_iter().collect(),
                ..Default::default()
            },
            None => self.params.values().map_err(|p| output::fail(human, &p))?,
        };
        let (spec_path, env_name) = match (saved, &self.env) {
            (Some(p), _) => (Some(PathBuf::from(&p.source)), p.environment.clone()),
            (None, Some(e)) => (self.file.clone(), e.clone()),
            (None, None) => {
                eprintln!("error: --env is required with a .scale file");
                return Err(2);
            }
        };
        let spec = super::compile_env_with(spec_path.as_deref(), &env_name, &values, human)?;
        if let Some(p) = saved
            && plan::fingerprint(&spec.text) != p.spec_hash
        {
            return Err(output::fail(
                human,
                &[Problem::new(
                    scalec::diagnostic::cli_codes::PLAN_STALE,
                    format!("{} changed since this plan was made", spec.path.display()),
                )
                .with_help("run `scalec plan` again")],
            ));
        }
        Ok((spec, env_name))
    }

    /// The calls to make: the diff of the spec against the account, so
    /// that every write passes the ownership checks of a fresh apply; a
    /// saved plan's only when the account and the calls are as they were.
    /// `Err`: the exit code.
    fn calls(
        &self,
        saved: Option<&ApplyPlan>,
        desired: &ApplyPlan,
        state: &plan::LiveState,
    ) -> Result<ApplyPlan, i32> {
        let human = Format::Human;
        if let Some(p) = saved
            && p.state_fingerprint != state.fingerprint()
        {
            return Err(output::fail(
                human,
                &[Problem::new(
                    scalec::diagnostic::cli_codes::PLAN_STALE,
                    "the account changed since this plan was made",
                )
                .with_help("run `scalec plan` again")],
            ));
        }
        let p = plan::diff(desired, state, self.adopt)
            .map_err(|e| output::fail(human, &[super::plan::not_ours(e)]))?;
        if let Some(s) = saved
            && let Some(problem) = altered(s, &p)
        {
            return Err(output::fail(human, &[problem]));
        }
        Ok(p)
    }
}

/// A saved plan runs only in the account it was made in: the caller's
/// (asked for when connecting didn't say). `Err`: the exit code.
async fn same_account(
    aws: &Aws,
    caller: Option<String>,
    saved: Option<&ApplyPlan>,
    env_name: &str,
) -> Result<(), i32> {
    let human = Format::Human;
    let Some(wanted) = saved.and_then(|p| p.account.clone()) else {
        return Ok(());
    };
    let caller = match caller {
        Some(c) => c,
        None => aws
            .caller_account()
            .await
            .map_err(|e| output::fail(human, &[Problem::aws(&e)]))?,
    };
    if caller != wanted {
        let e = scalec::apply::ApplyError::WrongAccount {
            env: env_name.to_string(),
            wanted,
            caller,
            by: "plan",
        };
        return Err(output::fail(human, &[Problem::aws(&e)]));
    }
    Ok(())
}

impl ApplyCommand {
    /// `--all-envs`: every environment planned, shown together, confirmed
    /// once and applied.
    fn run_all(&self) -> i32 {
        use super::all_envs;
        let human = Format::Human;
        let values = match self.params.values() {
            Ok(v) => v,
            Err(p) => return output::fail(human, &p),
        };
        let spec = match all_envs::compile_all(self.file.as_deref(), &values, human) {
            Ok(s) => s,
            Err(code) => return code,
        };
        let plans = match all_envs::plan_all(
            &spec,
            &values,
            self.region.as_deref(),
            self.profile.as_deref(),
            self.adopt,
            true,
        ) {
            Ok(p) => p,
            Err(problem) => return output::fail(human, &[problem]),
        };
        self.confirm_and_apply(plans, &spec)
    }

    /// Shows the plans; applies them after one confirmation when every
    /// environment planned.
    fn confirm_and_apply(&self, plans: Vec<super::all_envs::EnvPlan>, spec: &super::Spec) -> i32 {
        use super::all_envs;
        let (text, all) = all_envs::render_human(&plans, spec, super::detail(self.verbose));
        eprint!(
            "{}",
            super::colorize_plan(&text, std::io::stderr().is_terminal())
        );
        if !all {
            eprintln!("\nNothing was applied: every environment must plan first.");
            return 1;
        }
        let calls: usize = plans
            .iter()
            .filter_map(|p| p.result.as_ref().ok())
            .map(|p| p.plan.operations.len())
            .sum();
        if calls == 0 {
            return 0;
        }
        let envs = plans
            .iter()
            .filter(|p| {
                p.result
                    .as_ref()
                    .is_ok_and(|r| !r.plan.operations.is_empty())
            })
            .count();
        if !self.auto_approve
            && !super::confirm(&format!(
                "\nMake these {calls} calls in {envs} environments?"
            ))
        {
            return 1;
        }
        all_envs::apply_all(plans, self.concurrency)
    }

    /// A saved plan of several environments: each planned again from its
    /// spec, params and account, and run only if every one comes out the
    /// same, in the same account.
    fn run_saved_all(&self, saved: Vec<ApplyPlan>) -> i32 {
        use super::all_envs;
        let human = Format::Human;
        if !self.params.params.is_empty() || !self.params.param_files.is_empty() {
            return output::fail(
                human,
                &[Problem::new(
                    scalec::diagnostic::cli_codes::USAGE,
                    "a saved plan carries the params it was made with; --param and --params can't change them",
                )],
            );
        }
        let Some(first) = saved.first() else {
            return output::fail(
                human,
                &[Problem::new(
                    scalec::diagnostic::cli_codes::PLAN_INVALID,
                    "the saved plan holds no environment",
                )],
            );
        };
        // Each environment with the values it was planned with.
        let values = super::params::Values {
            per_env: saved
                .iter()
                .map(|p| {
                    let own = p
                        .params
                        .iter()
                        .map(|(k, v)| (k.clone(), (v.clone(), "the saved plan".to_string())))
                        .collect();
                    (p.environment.clone(), own)
                })
                .collect(),
            ..Default::default()
        };
        let spec = match all_envs::compile_all(
            Some(std::path::Path::new(&first.source)),
            &values,
            human,
        ) {
            Ok(s) => s,
            Err(code) => return code,
        };
        if saved
            .iter()
            .any(|p| plan::fingerprint(&spec.text) != p.spec_hash)
        {
            return output::fail(
                human,
                &[Problem::new(
                    scalec::diagnostic::cli_codes::PLAN_STALE,
                    format!("{} changed since this plan was made", spec.path.display()),
                )
                .with_help("run `scalec plan --all-envs` again")],
            );
        }
        let mut fresh = match all_envs::plan_all(
            &spec,
            &values,
            None,
            self.profile.as_deref(),
            self.adopt,
            true,
        ) {
            Ok(p) => p,
            Err(problem) => return output::fail(human, &[problem]),
        };
        // Only the environments the plan holds, each as it was saved.
        fresh.retain(|f| saved.iter().any(|s| s.environment == f.env));
        for s in &saved {
            let Some(f) = fresh.iter().find(|f| f.env == s.environment) else {
                return output::fail(
                    human,
                    &[Problem::new(
                        scalec::diagnostic::cli_codes::PLAN_STALE,
                        format!("the spec has no environment `{}` any more", s.environment),
                    )],
                );
            };
            let Ok(planned) = &f.result else {
                continue;
            };
            if s.state_fingerprint != planned.plan.state_fingerprint {
                return output::fail(
                    human,
                    &[Problem::new(
                        scalec::diagnostic::cli_codes::PLAN_STALE,
                        format!(
                            "environment `{}`: the account changed since this plan was made",
                            s.environment
                        ),
                    )
                    .with_help("run `scalec plan --all-envs` again")],
                );
            }
            if let (Some(want), Some(have)) = (&s.account, &planned.plan.account)
                && want != have
            {
                let e = scalec::apply::ApplyError::WrongAccount {
                    env: s.environment.clone(),
                    wanted: want.clone(),
                    caller: have.clone(),
                    by: "plan",
                };
                return output::fail(human, &[Problem::aws(&e)]);
            }
            if let Some(problem) = altered(s, &planned.plan) {
                return output::fail(human, &[problem]);
            }
        }
        self.confirm_and_apply(fresh, &spec)
    }
}

/// `scale::plan::altered` when a saved plan's calls are not the ones its
/// spec and the account call for now, naming the first that differs.
fn altered(saved: &plan::ApplyPlan, fresh: &plan::ApplyPlan) -> Option<Problem> {
    let shape = |o: &plan::Operation| serde_json::to_value(o).unwrap_or_default();
    let (a, b) = (&saved.operations, &fresh.operations);
    if a.len() == b.len() && a.iter().zip(b).all(|(x, y)| shape(x) == shape(y)) {
        return None;
    }
    let first = a
        .iter()
        .zip(b)
        .position(|(x, y)| shape(x) != shape(y))
        .unwrap_or(a.len().min(b.len()));
    let what = |o: Option<&plan::Operation>| {
        o.map_or("nothing".to_string(), |o| {
            format!("`{} {}`", o.call.api(), o.resource)
        })
    };
    Some(
        Problem::new(
            scalec::diagnostic::cli_codes::PLAN_ALTERED,
            format!(
                "the saved plan's calls are not the ones its spec and the account call for: call {} is {} in the plan, {} when planned again ({} calls saved, {} planned)",
                first + 1,
                what(a.get(first)),
                what(b.get(first)),
                a.len(),
                b.len()
            ),
        )
        .with_help("the plan was edited after it was saved; nothing was changed. Make it again with `scalec plan --out`"),
    )
}

/// Makes a plan's calls with a progress bar on a terminal, and reports what
/// was done; after a failure, what was done before it.
pub async fn run_plan(
    aws: &Aws,
    p: &ApplyPlan,
    known: std::collections::HashMap<plan::ArnRef, String>,
    concurrency: usize,
    what: &str,
) -> i32 {
    // A progress bar on a terminal; nothing when piped (indicatif hides
    // itself when stderr isn't a terminal).
    let bar = indicatif::ProgressBar::new(u64::try_from(p.operations.len()).unwrap_or(u64::MAX));
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let on_done = |op: &plan::Operation| {
        bar.set_message(format!("{} {}", op.call.api(), op.resource));
        bar.inc(1);
    };
    let count = |a: plan::Action| p.operations.iter().filter(|o| o.action == a).count();
    match apply::execute(aws, p, known, concurrency, &on_done).await {
        Ok(summary) => {
            bar.finish_and_clear();
            eprintln!(
                "\n{what} complete: {} calls; {} created, {} updated, {} deleted.",
                summary.done.len(),
                count(plan::Action::Create),
                count(plan::Action::Update),
                count(plan::Action::Delete)
            );
            0
        }
        Err((summary, e)) => {
            bar.finish_and_clear();
            eprintln!();
            output::fail(Format::Human, &[Problem::aws(&e)]);
            eprintln!(
                "{} of {} calls were made before the failure; run the command again to finish:",
                summary.done.len(),
                p.operations.len()
            );
            for d in &summary.done {
                eprintln!("  done {d}");
            }
            1
        }
    }
}
