//! `plan --all-envs` and `apply --all-envs`: every environment of a spec,
//! each in its own region and account (its `role`, its `account` checked),
//! read and planned a few at a time; one plan grouped by environment, one
//! confirmation, and a saved plan that holds them all.
//!
//! A failure in one environment (an AWS error, a missing param, the wrong
//! account) is reported with its environment and doesn't stop the others'
//! reads. `apply` writes nothing unless every environment planned.

use super::Spec;
use super::output::{self, Format, Problem};
use super::params::Values;
use scalec::apply::{self, Aws, Purpose};
use scalec::backend::plan::{self, ApplyPlan, ArnRef, Detail};
use scalec::diagnostic::Diagnostics;
use serde_json::{Value as Json, json};
use std::collections::HashMap;

/// Environments read, planned or applied at once.
pub const ENVS_AT_ONCE: usize = 4;

/// Why an environment has no plan.
pub enum Failure {
    /// Diagnostics about the spec (a param without a value, no region).
    Spec(Diagnostics),
    /// AWS, the account check, or a group that isn't scalec's.
    Problem(Problem),
}

/// One environment's plan, with what applying it needs.
pub struct Planned {
    pub plan: ApplyPlan,
    /// The clients of its region and account (live plans only).
    pub aws: Option<Aws>,
    /// ARNs the account already has, for the calls that refer to them.
    pub known: HashMap<ArnRef, String>,
}

/// An environment and what became of its planning.
pub struct EnvPlan {
    pub env: String,
    pub result: Result<Planned, Failure>,
}

/// The plans of every environment of `spec`: offline ones, or against
/// each environment's live account.
pub fn plan_all(
    spec: &Spec,
    values: &Values,
    region: Option<&str>,
    profile: Option<&str>,
    adopt: bool,
    live: bool,
) -> Result<Vec<EnvPlan>, Problem> {
    let envs = spec.compilation.spec.environments.clone();
    let mut out: Vec<EnvPlan> = Vec::new();
    let mut todo: Vec<(usize, scalec::model::Environment, ApplyPlan)> = Vec::new();
    for e in envs {
        let desired = plan_env_quietly(spec, &e.name, region, live);
        match desired {
            Ok(mut p) => {
                p.source = spec.path.display().to_string();
                p.params = values.for_env(&e.name).into_iter().collect();
                if live {
                    todo.push((out.len(), e.clone(), p.clone()));
                }
                out.push(EnvPlan {
                    env: e.name.clone(),
                    result: Ok(Planned {
                        plan: p,
                        aws: None,
                        known: HashMap::new(),
                    }),
                });
            }
            Err(d) => out.push(EnvPlan {
                env: e.name.clone(),
                result: Err(Failure::Spec(d)),
            }),
        }
    }
    if todo.is_empty() {
        return Ok(out);
    }
    let profile = profile.map(str::to_string);
    let runtime = super::runtime()?;
    let results = runtime.block_on(async move {
        let mut set = tokio::task::JoinSet::new();
        let mut pending = todo.into_iter();
        let mut results = Vec::new();
        loop {
            while set.len() < ENVS_AT_ONCE {
                let Some((i, env, desired)) = pending.next() else {
                    break;
                };
                let profile = profile.clone();
                set.spawn(async move { (i, plan_live(env, desired, profile, adopt).await) });
            }
            let Some(joined) = set.join_next().await else {
                break;
            };
            match joined {
                Ok(r) => results.push(r),
                Err(e) => results.push((
                    usize::MAX,
                    Err(Problem::new(
                        scalec::apply::error::CALL,
                        format!("an environment's reads stopped unexpectedly: {e}"),
                    )),
                )),
            }
        }
        results
    });
    for (i, r) in results {
        if let Some(slot) = out.get_mut(i) {
            slot.result = r.map_err(Failure::Problem);
        }
    }
    Ok(out)
}

/// Finds, reads and checks the spec for every environment; diagnostics
/// are printed, errors end the command (the exit code is returned).
pub fn compile_all(
    file: Option<&std::path::Path>,
    values: &Values,
    format: Format,
) -> Result<Spec, i32> {
    let path = super::spec::locate(file).map_err(|p| output::fail(format, &[p]))?;
    let text = super::spec::read(&path).map_err(|p| output::fail(format, &[p]))?;
    let opts = values.options(Default::default());
    let compilation = super::compile(&path.display().to_string(), text.clone(), &opts);
    if output::report(format, &compilation.diagnostics, &compilation.sources) != 0 {
        return Err(1);
    }
    Ok(Spec {
        path,
        text,
        compilation,
    })
}

/// [`super::plan_env`] without printing: the plan, or why there is none.
fn plan_env_quietly(
    spec: &Spec,
    env: &str,
    region: Option<&str>,
    live: bool,
) -> Result<ApplyPlan, Diagnostics> {
    use scalec::backend::plan::error::NO_REGION;
    use scalec::diagnostic::Diagnostic;
    let Some(e) = spec.env(env) else {
        return Err(Diagnostics::new());
    };
    let p = plan::model_to_plan(e, region, &spec.text)?;
    if live && p.region.is_empty() {
        let mut d = Diagnostics::new();
        d.push(
            Diagnostic::error(NO_REGION, format!("environment `{}` has no region", e.name), e.origin, "no `region` here")
                .with_help("set `region = \"us-east-1\"` in the environment (or a preset it extends), or pass `--region`; `plan --offline` needs none"),
        );
        return Err(d);
    }
    Ok(p)
}

/// One environment against its account: its credentials checked before
/// anything is read.
async fn plan_live(
    env: scalec::model::Environment,
    desired: ApplyPlan,
    profile: Option<String>,
    adopt: bool,
) -> Result<Planned, Problem> {
    let (aws, account) = Aws::connect_env(&env, &desired.region, profile.as_deref())
        .await
        .map_err(|e| Problem::aws(&e))?;
    let wanted = apply::wanted_alarms(&desired);
    let state = aws
        .read_state(&env, &wanted, Purpose::Plan)
        .await
        .map_err(|e| Problem::aws(&e))?;
    let mut p = plan::diff(&desired, &state, adopt).map_err(super::plan::not_ours)?;
    if account.is_some() {
        p.account = account;
    }
    Ok(Planned {
        plan: p,
        aws: Some(aws),
        known: apply::known_arns(&state),
    })
}

/// The plans for people, environment by environment, failures with their
/// environment; and whether every environment planned.
pub fn render_human(plans: &[EnvPlan], spec: &Spec, detail: Detail) -> (String, bool) {
    let mut out = String::new();
    let mut all = true;
    let (mut create, mut update, mut delete) = (0, 0, 0);
    for p in plans {
        match &p.result {
            Ok(planned) => {
                out.push_str(&plan::render_human_with(&planned.plan, detail));
                for o in &planned.plan.operations {
                    match o.action {
                        plan::Action::Create => create += 1,
                        plan::Action::Update => update += 1,
                        plan::Action::Delete => delete += 1,
                    }
                }
            }
            Err(f) => {
                all = false;
                out.push_str(&format!("Environment `{}`: not planned\n\n", p.env));
                out.push_str(&failure_text(f, spec));
            }
        }
        out.push('\n');
    }
    let failed = plans.iter().filter(|p| p.result.is_err()).count();
    out.push_str(&format!(
        "{} environment{}: {create} to create, {update} to update, {delete} to delete{}.\n",
        plans.len(),
        if plans.len() == 1 { "" } else { "s" },
        if failed > 0 {
            format!("; {failed} not planned")
        } else {
            String::new()
        }
    ));
    (out, all)
}

fn failure_text(f: &Failure, spec: &Spec) -> String {
    match f {
        Failure::Spec(d) => scalec::diagnostic::render_human(
            &d.sorted(),
            &spec.compilation.sources,
            false,
            super::width(),
        ),
        Failure::Problem(p) => p.to_human(),
    }
}

/// The plans as one JSON document: `{"format_version", "plans",
/// "failed"}`; a saved one (`--out`) has no `failed`.
pub fn to_json(plans: &[EnvPlan], spec: &Spec) -> Json {
    let ok: Vec<Json> = plans
        .iter()
        .filter_map(|p| p.result.as_ref().ok())
        .map(|p| serde_json::to_value(&p.plan).unwrap_or_default())
        .collect();
    let failed: Vec<Json> = plans
        .iter()
        .filter_map(|p| match &p.result {
            Err(Failure::Spec(d)) => Some(json!({
                "environment": p.env,
                "diagnostics": scalec::diagnostic::render_json_value(
                    &d.iter().collect::<Vec<_>>(),
                    &spec.compilation.sources,
                ),
            })),
            Err(Failure::Problem(pr)) => Some(json!({
                "environment": p.env,
                "diagnostics": [pr.to_json()],
            })),
            Ok(_) => None,
        })
        .collect();
    let mut v = json!({ "format_version": plan::FORMAT_VERSION, "plans": ok });
    if !failed.is_empty() {
        v["failed"] = Json::Array(failed);
    }
    v
}

/// A saved plan of several environments, as `plan --all-envs --out`
/// writes it: its plans.
pub fn read_saved(text: &str) -> Option<Result<Vec<ApplyPlan>, String>> {
    let v: Json = serde_json::from_str(text).ok()?;
    let plans = v.get("plans")?.as_array()?.clone();
    if v.get("failed").is_some() {
        return Some(Err("it holds environments that weren't planned".into()));
    }
    Some(
        plans
            .into_iter()
            .map(|p| ApplyPlan::from_json(&p.to_string()))
            .collect(),
    )
}

/// Applies every planned environment, a few at a time; then says what
/// each did, in the environments' order. 0 when all succeeded.
pub fn apply_all(plans: Vec<EnvPlan>, concurrency: usize) -> i32 {
    let runtime = match super::runtime() {
        Ok(r) => r,
        Err(p) => return output::fail(Format::Human, &[p]),
    };
    let work: Vec<(String, Planned)> = plans
        .into_iter()
        .filter_map(|p| p.result.ok().map(|r| (p.env, r)))
        .filter(|(_, r)| !r.plan.operations.is_empty())
        .collect();
    let results = runtime.block_on(async move {
        let mut set = tokio::task::JoinSet::new();
        let mut pending = work.into_iter().enumerate();
        let mut results = Vec::new();
        loop {
            while set.len() < ENVS_AT_ONCE {
                let Some((i, (env, planned))) = pending.next() else {
                    break;
                };
                set.spawn(async move {
                    let Some(aws) = planned.aws.clone() else {
                        return (
                            i,
                            env,
                            planned.plan.operations.len(),
                            Err(("no AWS clients".to_string(), 0)),
                        );
                    };
                    let r = apply::execute(
                        &aws,
                        &planned.plan,
                        planned.known.clone(),
                        concurrency,
                        &|_| {},
                    )
                    .await;
                    let n = planned.plan.operations.len();
                    (
                        i,
                        env,
                        n,
                        match r {
                            Ok(s) => Ok(s.done.len()),
                            Err((s, e)) => Err((Problem::aws(&e).to_human(), s.done.len())),
                        },
                    )
                });
            }
            let Some(joined) = set.join_next().await else {
                break;
            };
            if let Ok(r) = joined {
                results.push(r);
            }
        }
        results.sort_by_key(|r| r.0);
        results
    });
    let mut code = 0;
    for (_, env, n, r) in results {
        match r {
            Ok(done) => eprintln!("Environment `{env}`: apply complete, {done} of {n} calls."),
            Err((why, done)) => {
                code = 1;
                eprintln!(
                    "Environment `{env}`: {done} of {n} calls were made before a failure; run the command again to finish:"
                );
                eprint!("{why}");
            }
        }
    }
    code
}
