//! `scalec plan`.

use super::output::{self, Format, Problem};
use scalec::apply::{Aws, Purpose};
use scalec::backend::plan;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Show the AWS API calls that would make an environment real.
#[derive(clap::Args)]
#[command(
    group(clap::ArgGroup::new("which").required(true).args(["env", "all_envs"])),
    after_help = "Examples:\n  scalec plan --env staging\n  scalec plan examples/macro-ai.scale --env staging --offline \\\n    --param launch_template=lt-0123456789abcdef0 --param launch_template_version=3 ...\n  scalec plan app.scale --env production --offline --format json --out plan.json\n  scalec plan app.scale --env staging --params staging.params\n  scalec plan app.scale --all-envs --out plans.json\n\nWith --all-envs, every environment is planned, each in its region and account (its `role`\nassumed, its `account` checked), a few at once: one plan grouped by environment; an\nenvironment that fails is reported with its name and the others are still planned.\n\nWithout FILE, scalec plans ./app.scale, or the only .scale file in the current directory.\nWithout --offline, scalec reads the live account and lists only the calls needed (+ create,\n~ update with each changed field, - delete). --offline plans against an empty account and makes\nno AWS call: the complete, ordered list of SDK calls (the direct apply plan).\nWith --format json, stdout is one JSON document whatever happens: the plan, or\n{\"ok\": false, \"diagnostics\": [...]}.\n\nExit codes: 0 no changes, 1 error, 2 changes (with --detailed-exitcode; otherwise 0)."
)]
pub struct PlanCommand {
    /// The .scale file, or a directory holding it (default: the current directory).
    file: Option<PathBuf>,
    /// The environment.
    #[arg(long)]
    env: Option<String>,
    /// Every environment of the spec, each in its own region and account.
    #[arg(long, conflicts_with = "env")]
    all_envs: bool,
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
        let Some(env_name) = self.env.clone() else {
            return self.run_all(&values);
        };
        let spec = match super::compile_env_with(self.file.as_deref(), &env_name, &values, format) {
            Ok(x) => x,
            Err(code) => return code,
        };
        let mut p = match super::plan_env(
            &spec,
            &env_name,
            self.region.as_deref(),
            !self.offline,
            format,
        ) {
            Ok(p) => p,
            Err(code) => return code,
        };
        p.source = spec.path.display().to_string();
        p.params = values.for_env(&env_name).into_iter().collect();
        if !self.offline {
            let Some(env) = spec.env(&env_name) else {
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

impl PlanCommand {
    /// `--all-envs`: every environment, one plan grouped by environment.
    fn run_all(&self, values: &super::params::Values) -> i32 {
        use super::all_envs;
        let format = self.format;
        let spec = match all_envs::compile_all(self.file.as_deref(), values, format) {
            Ok(s) => s,
            Err(code) => return code,
        };
        let plans = match all_envs::plan_all(
            &spec,
            values,
            self.region.as_deref(),
            self.profile.as_deref(),
            self.adopt,
            !self.offline,
        ) {
            Ok(p) => p,
            Err(problem) => return output::fail(format, &[problem]),
        };
        let doc = all_envs::to_json(&plans, &spec);
        let planned = plans.iter().all(|p| p.result.is_ok());
        if let Some(path) = &self.out {
            if !planned {
                return output::fail(
                    format,
                    &[Problem::new(
                        scalec::diagnostic::cli_codes::PLAN_INVALID,
                        format!(
                            "{} was not written: not every environment was planned",
                            path.display()
                        ),
                    )
                    .with_help(
                        "a plan of every environment is saved only when every environment planned",
                    )],
                )
                .max(1);
            }
            let text = serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
            if let Err(e) = super::write_atomic(path, &text) {
                return output::fail(format, &[Problem::cant_write(path, &e)]);
            }
        }
        match format {
            Format::Human => {
                let (text, _) = all_envs::render_human(&plans, &spec, super::detail(self.verbose));
                super::print_stdout(
                    super::colorize_plan(&text, std::io::stdout().is_terminal()).trim_end(),
                );
            }
            Format::Json => super::print_stdout(
                serde_json::to_string_pretty(&doc)
                    .unwrap_or_default()
                    .trim_end(),
            ),
        }
        if let Some(path) = &self.out
            && format == Format::Human
        {
            eprintln!(
                "wrote the plans of {} environments to {} (apply them with `scalec apply {}`)",
                plans.len(),
                path.display(),
                path.display()
            );
        }
        let changes = plans
            .iter()
            .filter_map(|p| p.result.as_ref().ok())
            .any(|p| !p.plan.operations.is_empty());
        if !planned {
            1
        } else if self.detailed_exitcode && changes {
            2
        } else {
            0
        }
    }
}

/// The calls needed against the live account.
pub(super) fn live_plan(
    desired: &plan::ApplyPlan,
    env: &scalec::model::Environment,
    profile: Option<&str>,
    adopt: bool,
) -> Result<plan::ApplyPlan, Problem> {
    let wanted = scalec::apply::wanted_alarms(desired);
    super::runtime()?.block_on(async {
        let (aws, account) = Aws::connect_env(env, &desired.region, profile)
            .await
            .map_err(|e| Problem::aws(&e))?;
        let state = aws
            .read_state(env, &wanted, Purpose::Plan)
            .await
            .map_err(|e| Problem::aws(&e))?;
        let mut p = plan::diff(desired, &state, adopt).map_err(not_ours)?;
        // The account checked, over one read from the live ARNs.
        if account.is_some() {
            p.account = account;
        }
        Ok(p)
    })
}

/// A same-named group that scalec didn't create.
pub fn not_ours(message: String) -> Problem {
    Problem::new(scalec::apply::error::NOT_OURS, message).with_help(
        "check that the spec's app and environment names are right; `--adopt` takes the group over",
    )
}
