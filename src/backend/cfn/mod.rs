//! CloudFormation backend: one checked environment to one or more templates.
//!
//! # Shape
//! - An environment becomes **one stack** while it fits CloudFormation's
//!   limits (500 resources, 1,000,000 bytes). Past that, the SNS topics live
//!   in a stack of their own (`APP-ENV-shared`, exporting their ARNs) and
//!   whole groups in group stacks `APP-ENV-1`, `APP-ENV-2`, ... that import
//!   them. `placement` decides which group goes where; with the previous
//!   build's manifest it is sticky: a deployed group never changes stack
//!   unless its stack can't hold it any more, and then the move (a
//!   replacement) is reported in [`Build::notices`]. A group too large for
//!   any stack is refused with a diagnostic.
//! - Logical IDs are derived from names only (`WebCpuSurgePolicy`), so
//!   editing a value updates a resource in place and never replaces it.
//! - Every resource carries `Metadata.scalec.source` = `file:line:column` of
//!   the item it came from: the source map from a CloudFormation error back
//!   to the spec.
//! - Desired capacity: `DesiredCapacity` is the starting size, and the group
//!   has `UpdatePolicy.AutoScalingScheduledAction.IgnoreUnmodifiedGroupSizeProperties`,
//!   so a deploy leaves a group that scaling has moved alone unless the spec's
//!   `desired`, `capacity` itself changed.
//! - Output is deterministic: [`Json`](crate::backend::json::Json) objects
//!   are kept in key order.
//!
//! Terminology: *logical ID* is the key of a resource in `Resources`;
//! *physical name* is the AWS name (`macro-ai-production-web`).

pub mod error;
mod gen_resources;
pub mod placement;
pub(crate) mod pretty;
mod scalable;

use crate::backend::json::{Json, Map};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model;
use crate::source::SourceMap;
use serde::Serialize;
use std::collections::BTreeMap;

/// CloudFormation's resource limit per stack.
pub const MAX_RESOURCES: usize = 500;
/// CloudFormation's template size limit, bytes.
pub const MAX_BYTES: usize = 1_000_000;

/// Output format of templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Pretty JSON.
    Json,
    /// YAML with long-form intrinsics.
    Yaml,
}

impl Format {
    /// File extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Yaml => "yaml",
        }
    }
}

/// One CloudFormation stack of an environment.
#[derive(Debug, Clone, Serialize)]
pub struct Stack {
    /// Stack name: `macro-ai-production`, or `macro-ai-production-web`.
    pub name: String,
    /// The template rendered in the build's format.
    #[serde(skip)]
    pub text: String,
    /// The groups whose resources this stack holds.
    pub groups: Vec<String>,
    /// Stacks that must be deployed first (they export what this one imports).
    pub depends_on: Vec<String>,
    /// Parameters of the template and their default, if the spec gives one.
    pub parameters: BTreeMap<String, Option<String>>,
    /// Number of resources.
    pub resources: usize,
}

/// All the stacks of one environment, in deploy order.
#[derive(Debug, Clone, Serialize)]
pub struct Build {
    /// The environment.
    pub env: String,
    /// Its region, if the spec sets one.
    pub region: Option<String>,
    /// Stacks in deploy order.
    pub stacks: Vec<Stack>,
    /// Warnings and notes about placement: groups that change stack (a
    /// replacement) and stacks that no longer hold anything.
    #[serde(skip)]
    pub notices: Diagnostics,
}

/// Renders a template as text.
pub fn render(template: &Json, format: Format) -> String {
    render_with_capacity(template, format, 0)
}

/// Renders into a buffer of the expected size, so large templates are not
/// copied while the buffer grows.
pub(crate) fn render_with_capacity(template: &Json, format: Format, capacity: usize) -> String {
    match format {
        Format::Json => {
            let mut buf = String::with_capacity(capacity);
            pretty::write_pretty(&mut buf, template);
            buf.push('\n');
            buf
        }
        Format::Yaml => serde_norway::to_string(template).unwrap_or_default(),
    }
}

/// What CloudFormation refuses in an environment that the model allows
/// (the direct apply takes it): launch template versions other than
/// numbers, a stack name out of the app's and environment's names, a group
/// over a stack's resources. `build` fails on these; `check` reports them
/// as warnings naming `build`, so a spec that checks never surprises it.
pub fn refusals(env: &model::Environment) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let known = |v: &model::Value| -> Option<String> {
        match v {
            model::Value::Literal(s) => Some(s.clone()),
            model::Value::Param(p) => {
                env.params
                    .iter()
                    .find(|x| &x.name == p)
                    .and_then(|x| match &x.value {
                        Some(model::ParamValue::One(s)) => Some(s.clone()),
                        _ => None,
                    })
            }
        }
    };
    for grp in &env.groups {
        let templates = std::iter::once((&grp.launch_template, grp.origin)).chain(
            grp.instances.iter().flat_map(|m| {
                m.overrides
                    .iter()
                    .filter_map(|o| o.launch_template.as_ref().map(|t| (t, o.origin)))
            }),
        );
        for (lt, origin) in templates {
            if let Some(v) = known(&lt.version).filter(|v| v.starts_with('$')) {
                let missing = matches!(&lt.version, model::Value::Literal(_)) && v == "$Default";
                diags.push(
                    Diagnostic::error(
                        error::LAUNCH_TEMPLATE_VERSION,
                        format!("CloudFormation can't use launch template version `{v}` for group `{}`", grp.name),
                        origin,
                        "no version number",
                    )
                    .with_help(if missing {
                        "CloudFormation takes only version numbers, and a spec without `launch_template_version` means `$Default`: set `launch_template_version` to the version to deploy (a number or a param)"
                    } else {
                        "set `launch_template_version` to a version number or a param (CloudFormation accepts only version numbers here)"
                    }),
                );
            }
        }
        let resources = gen_resources::resource_count(grp);
        if resources > MAX_RESOURCES {
            diags.push(too_large(grp, env, &format!("{resources} resources")));
        }
    }
    check_stack_name(&format!("{}-{}", env.app, env.name), env, &mut diags);
    diags
}

/// Builds the templates of one environment, placing groups afresh.
pub fn model_to_cfn(
    env: &model::Environment,
    sources: &SourceMap,
    format: Format,
) -> Result<Build, Diagnostics> {
    build_env(env, sources, format, None)
}

/// Builds the templates of one environment. With `previous` (the last
/// build's stacks, from its manifest), every group stays in the stack it
/// was in; moves are reported in [`Build::notices`].
pub fn build_env(
    env: &model::Environment,
    sources: &SourceMap,
    format: Format,
    previous: Option<&placement::Previous>,
) -> Result<Build, Diagnostics> {
    let mut diags = Diagnostics::new();
    let g = gen_resources::Gen::new(env, sources);
    let topics = g.topics();
    let mut fleet_notices = Diagnostics::new();
    diags.extend(refusals(env));
    for grp in &env.groups {
        if !grp.suspended.is_empty() {
            fleet_notices.push(
                Diagnostic::warning(
                    error::NOT_IN_TEMPLATE,
                    format!(
                        "CloudFormation has no property for suspended processes: group `{}`'s `suspend` ({}) is not in the template",
                        grp.name,
                        grp.suspended.join(", ")
                    ),
                    grp.origin,
                    "`suspend` is left out",
                )
                .with_help("`scalec apply` suspends them; after a CloudFormation deploy, run `aws autoscaling suspend-processes` or deploy with `scalec apply`"),
            );
        }
        if grp.refresh.as_ref().is_some_and(|f| f.auto_rollback) {
            fleet_notices.push(
                Diagnostic::note(
                    error::NOT_IN_TEMPLATE,
                    format!("group `{}`: a template's instance refresh has no `AutoRollback`; a failed refresh fails the stack update, and CloudFormation rolls back the launch settings", grp.name),
                    grp.origin,
                    "rolled back by CloudFormation",
                )
                .with_help("`scalec apply` sets AutoRollback on StartInstanceRefresh"),
            );
        }
    }
    let base = format!("{}-{}", env.app, env.name);
    let items: Vec<placement::Item> = env
        .groups
        .iter()
        .map(|grp| placement::Item {
            name: &grp.name,
            resources: gen_resources::resource_count(grp),
        })
        .collect();
    if diags.has_errors() {
        return Err(diags);
    }
    let mut layout = placement::place(&base, &items, topics.len(), previous);
    // Render every stack; a stack over the byte limit gives its last group
    // to another stack, and the two are rendered again. Environments are
    // already built in parallel by the caller; nesting more threads here
    // measured slower on two cores.
    let mut rendered: Vec<Option<Stack>> = vec![None; layout.slots.len()];
    loop {
        rendered.resize(layout.slots.len(), None);
        for (i, slot) in layout.slots.iter().enumerate() {
            if rendered[i].is_none() {
                rendered[i] = Some(render_slot(
                    &g, env, sources, &layout, slot, &topics, format,
                ));
            }
        }
        let over = rendered
            .iter()
            .position(|s| s.as_ref().is_some_and(|s| s.text.len() > MAX_BYTES));
        let Some(i) = over else { break };
        let before: Vec<Vec<usize>> = layout.slots.iter().map(|s| s.groups.clone()).collect();
        match layout.evict(i, &items) {
            Some(_) => {
                for (j, slot) in layout.slots.iter().enumerate() {
                    if before.get(j) != Some(&slot.groups)
                        && let Some(r) = rendered.get_mut(j)
                    {
                        *r = None;
                    }
                }
                // Which stack holds the topics may have changed meaning
                // (one stack became several): render everything again.
                if before.len() == 1 {
                    rendered.iter_mut().for_each(|r| *r = None);
                }
            }
            None => {
                let slot = &layout.slots[i];
                let size = rendered[i].as_ref().map_or(0, |s| s.text.len());
                match slot.groups.first() {
                    Some(&gi) => diags.push(too_large(&env.groups[gi], env, &format!("{size} bytes"))),
                    None => diags.push(
                        Diagnostic::error(
                            error::TOO_LARGE,
                            format!("the SNS topics of `{}` need {size} bytes, over CloudFormation's {MAX_BYTES}", env.name),
                            env.origin,
                            "too many topics",
                        )
                        .with_help("declare fewer topics"),
                    ),
                }
                return Err(diags);
            }
        }
    }
    for slot in &layout.slots {
        check_stack_name(&slot.name, env, &mut diags);
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let mut notices = fleet_notices;
    for m in &layout.moves {
        let grp = &env.groups[m.group];
        notices.push(
            Diagnostic::warning(
                error::MOVED,
                format!(
                    "group `{}` moves from stack `{}` to `{}`: CloudFormation replaces it (deletes the group and its instances, then creates it again)",
                    grp.name, m.from, m.to
                ),
                grp.origin,
                format!("no longer fits in `{}`", m.from),
            )
            .with_help(format!(
                "to keep it in place, make `{}` smaller (fewer alarms or policies on its groups, or move a newer group out by hand)",
                m.from
            )),
        );
    }
    for name in &layout.emptied {
        notices.push(
            Diagnostic::note(
                error::STACK_EMPTIED,
                format!("stack `{name}` holds no group any more and is no longer built"),
                env.origin,
                "in this environment",
            )
            .with_help(format!(
                "deploy the other stacks first, then delete `{name}` in CloudFormation"
            )),
        );
    }
    Ok(Build {
        env: env.name.clone(),
        region: env.region.clone(),
        stacks: rendered.into_iter().flatten().collect(),
        notices,
    })
}

/// Renders one stack of a layout.
fn render_slot(
    g: &gen_resources::Gen,
    env: &model::Environment,
    sources: &SourceMap,
    layout: &placement::Layout,
    slot: &placement::Slot,
    topics: &[(String, Json)],
    format: Format,
) -> Stack {
    let single = layout.single();
    let holder = layout.topics_stack();
    let groups: Vec<&model::Group> = slot.groups.iter().map(|i| &env.groups[*i]).collect();
    let mut resources: Vec<(String, Json)> = Vec::new();
    let mut outputs: Vec<(String, Json)> = Vec::new();
    let mut depends_on = Vec::new();
    let importing;
    let gen_for = if slot.topics || holder.is_none() || env.topics.is_empty() {
        g
    } else {
        let from = holder.unwrap_or_default().to_string();
        depends_on.push(from.clone());
        let mut g2 = gen_resources::Gen::new(env, sources);
        g2.import_topics_from = Some(from);
        importing = g2;
        &importing
    };
    if slot.topics {
        resources.extend(topics.iter().cloned());
        outputs.extend(gen_resources::topic_outputs(
            env,
            if single { None } else { Some(&slot.name) },
        ));
    }
    for grp in &groups {
        let out = gen_for.group(grp);
        resources.extend(out.resources);
        outputs.extend(out.outputs);
    }
    // Scalable targets are few and small: the first stack holds them.
    if layout
        .slots
        .first()
        .is_some_and(|first| first.name == slot.name)
    {
        for t in &env.targets {
            let out = gen_for.target(t);
            resources.extend(out.resources);
            outputs.extend(out.outputs);
        }
    }
    let part = match (groups.first(), groups.last()) {
        (Some(f), Some(l)) if f.name == l.name => format!("group {}", f.name),
        (Some(f), Some(l)) => format!("groups {} to {}", f.name, l.name),
        _ => String::new(),
    };
    let description = if single {
        description(env, None)
    } else if slot.topics && part.is_empty() {
        description(env, Some("shared SNS topics"))
    } else if slot.topics {
        description(env, Some(&format!("shared SNS topics and {part}")))
    } else {
        description(env, Some(&part))
    };
    let mut stack = gen_for.stack(
        &slot.name,
        resources,
        outputs,
        depends_on,
        &description,
        format,
    );
    stack.groups = groups.iter().map(|x| x.name.clone()).collect();
    stack
}

fn too_large(grp: &model::Group, env: &model::Environment, what: &str) -> Diagnostic {
    Diagnostic::error(
        error::TOO_LARGE,
        format!(
            "group `{}` needs {what} in `{}`: over CloudFormation's limits of {MAX_RESOURCES} resources and {MAX_BYTES} bytes per stack",
            grp.name, env.name
        ),
        grp.origin,
        "too large for one stack",
    )
    .with_help("a group and its policies and alarms share one stack: split its alarms over several groups")
}

fn description(env: &model::Environment, part: Option<&str>) -> String {
    match part {
        Some(p) => format!(
            "{} {}: {p}. Generated by scalec; edit the .scale spec, not this template.",
            env.app, env.name
        ),
        None => format!(
            "{} {}: Auto Scaling. Generated by scalec; edit the .scale spec, not this template.",
            env.app, env.name
        ),
    }
}

fn check_stack_name(name: &str, env: &model::Environment, diags: &mut Diagnostics) {
    let ok = name.len() <= 128
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !ok {
        diags.push(
            Diagnostic::error(error::STACK_NAME, format!("`{name}` is not a valid CloudFormation stack name"), env.origin, "stack names come from the app and environment names")
                .with_help("a stack name is `APP-ENV`: it starts with a letter and has at most 128 letters, digits and hyphens, so rename the app or the environment (no `_` or `.`)"),
        );
    }
}

/// The manifest written next to the templates of `--out-dir`.
#[derive(Debug, Serialize)]
pub struct Manifest {
    /// The app.
    pub app: String,
    /// The spec file.
    pub source: String,
    /// The scalec version that wrote it.
    pub generator: String,
    /// What `DesiredCapacity` means in these templates.
    pub desired_capacity: &'static str,
    /// Per environment, the stacks in deploy order.
    pub environments: Vec<ManifestEnv>,
}

/// One environment in the manifest.
#[derive(Debug, Serialize)]
pub struct ManifestEnv {
    /// Name.
    pub name: String,
    /// Region, if set.
    pub region: Option<String>,
    /// Stacks in deploy order.
    pub stacks: Vec<ManifestStack>,
}

/// One stack in the manifest.
#[derive(Debug, Serialize)]
pub struct ManifestStack {
    /// Deploy order, from 1; stacks with the same order can deploy in parallel.
    pub order: usize,
    /// Stack name.
    pub name: String,
    /// Template file, relative to the manifest.
    pub template: String,
    /// Stacks to deploy first.
    pub depends_on: Vec<String>,
    /// The groups in this stack.
    pub groups: Vec<String>,
    /// Parameters and their defaults (`null`: must be given at deploy time).
    pub parameters: BTreeMap<String, Option<String>>,
    /// Resource count.
    pub resources: usize,
    /// Template size in bytes.
    pub bytes: usize,
}

/// The placement each environment had in a manifest written by
/// `build --out-dir`: environment name -> its stacks and their groups.
pub fn previous_placements(
    manifest: &str,
) -> Result<BTreeMap<String, placement::Previous>, String> {
    #[derive(serde::Deserialize)]
    struct M {
        environments: Vec<E>,
    }
    #[derive(serde::Deserialize)]
    struct E {
        name: String,
        stacks: Vec<S>,
    }
    #[derive(serde::Deserialize)]
    struct S {
        name: String,
        groups: Vec<String>,
    }
    let m: M = serde_json::from_str(manifest).map_err(|e| e.to_string())?;
    Ok(m.environments
        .into_iter()
        .map(|e| {
            let stacks = e.stacks.into_iter().map(|s| (s.name, s.groups)).collect();
            (e.name, placement::Previous { stacks })
        })
        .collect())
}

/// What the templates do with desired capacity, for the manifest and notes.
pub const DESIRED_CAPACITY_POLICY: &str = "DesiredCapacity is the size a group starts with. Each group has UpdatePolicy.AutoScalingScheduledAction.IgnoreUnmodifiedGroupSizeProperties, so a stack update does not reset a size that scaling has moved unless `desired` or `capacity` changed in the spec.";

/// Collects the template parameters of a stack, for the manifest.
pub(crate) fn parameter_defaults(template: &Json) -> BTreeMap<String, Option<String>> {
    let mut out = BTreeMap::new();
    if let Some(Json::Object(params)) = template.get("Parameters") {
        for (k, v) in params {
            out.insert(
                k.to_string(),
                v.get("Default")
                    .and_then(|d| d.as_str())
                    .map(str::to_string),
            );
        }
    }
    out
}

/// A deterministic, sorted JSON object from pairs.
pub(crate) fn object(pairs: Vec<(String, Json)>) -> Json {
    Json::Object(Map::from_entries(
        pairs.into_iter().map(|(k, v)| (k.into(), v)).collect(),
    ))
}
