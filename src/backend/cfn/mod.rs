//! CloudFormation backend: one checked environment to one or more templates.
//!
//! # Shape
//! - An environment becomes **one stack** while it fits CloudFormation's
//!   limits (500 resources, 1,000,000 bytes). Past that it becomes a
//!   **shared stack** holding the SNS topics (exporting their ARNs) plus
//!   **group stacks** `APP-ENV-1`, `APP-ENV-2`, ..., filled with whole groups
//!   in declaration order and importing the topic ARNs. Groups appended at the
//!   end of the spec never move the ones before them; inserting a group in
//!   the middle can move later groups to the next stack (a replacement), so
//!   the manifest lists each stack's groups. A group too large for one stack
//!   is refused with a diagnostic.
//! - Logical IDs are derived from names only (`WebCpuSurgePolicy`), so
//!   editing a value updates a resource in place and never replaces it.
//! - Every resource carries `Metadata.scalec.source` = `file:line:column` of
//!   the item it came from: the source map from a CloudFormation error back
//!   to the spec.
//! - Desired capacity: `DesiredCapacity` is the starting size, and the group
//!   has `UpdatePolicy.AutoScalingScheduledAction.IgnoreUnmodifiedGroupSizeProperties`,
//!   so a deploy leaves a group that scaling has moved alone unless the spec's
//!   `desired`, `capacity` itself changed.
//! - Output is deterministic: `serde_json::Value` objects are ordered maps.
//!
//! Terminology: *logical ID* is the key of a resource in `Resources`;
//! *physical name* is the AWS name (`macro-ai-production-web`).

pub mod error;
mod gen_resources;
pub(crate) mod pretty;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model;
use crate::source::SourceMap;
use serde::Serialize;
use serde_json::{Map, Value as Json};
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

/// Builds the templates of one environment.
pub fn model_to_cfn(
    env: &model::Environment,
    sources: &SourceMap,
    format: Format,
) -> Result<Build, Diagnostics> {
    let mut diags = Diagnostics::new();
    let g = gen_resources::Gen::new(env, sources);
    let topics = g.topics();
    check_logical_ids(&topics, env, &mut diags);
    for grp in &env.groups {
        if let model::Value::Literal(v) = &grp.launch_template_version
            && v.starts_with('$')
        {
            diags.push(
                    Diagnostic::error(
                        error::LAUNCH_TEMPLATE_VERSION,
                        format!("CloudFormation can't use launch template version `{v}` for group `{}`", grp.name),
                        grp.origin,
                        "no version number",
                    )
                    .with_help("set `launch_template_version` to a version number or a param (CloudFormation accepts only version numbers here)"),
                );
        }
    }
    let base = format!("{}-{}", env.app, env.name);
    check_stack_name(&base, env, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    // One stack if it fits.
    let total: usize = topics.len()
        + env
            .groups
            .iter()
            .map(gen_resources::resource_count)
            .sum::<usize>();
    if total <= MAX_RESOURCES {
        let mut resources: Vec<(String, Json)> = topics.clone();
        let mut outputs: Vec<(String, Json)> = gen_resources::topic_outputs(env, None);
        for grp in &env.groups {
            let out = g.group(grp);
            resources.extend(out.resources);
            outputs.extend(out.outputs);
        }
        let mut stack = g.stack(
            &base,
            resources,
            outputs,
            vec![],
            &description(env, None),
            format,
        );
        stack.groups = env.groups.iter().map(|x| x.name.clone()).collect();
        if stack.text.len() <= MAX_BYTES {
            return Ok(Build {
                env: env.name.clone(),
                region: env.region.clone(),
                stacks: vec![stack],
            });
        }
    }
    // Split: a shared stack with the topics (exporting their ARNs), then the
    // groups packed in declaration order into stacks that import them.
    let shared_name = format!("{base}-shared");
    // The longest names this environment can produce must be valid too.
    check_stack_name(&shared_name, env, &mut diags);
    check_stack_name(
        &format!("{base}-{}", env.groups.len().max(1)),
        env,
        &mut diags,
    );
    if diags.has_errors() {
        return Err(diags);
    }
    let mut stacks = Vec::new();
    let mut deps = Vec::new();
    if !topics.is_empty() {
        let outputs = gen_resources::topic_outputs(env, Some(&shared_name));
        stacks.push(g.stack(
            &shared_name,
            topics,
            outputs,
            vec![],
            &description(env, Some("shared SNS topics")),
            format,
        ));
        deps.push(shared_name.clone());
    }
    let mut g2 = gen_resources::Gen::new(env, sources);
    g2.import_topics_from = deps.first().cloned();
    // Pack whole groups, in declaration order, up to the resource limit.
    let mut batches: Vec<Vec<&model::Group>> = Vec::new();
    let mut batch: Vec<&model::Group> = Vec::new();
    let mut count = 0;
    for grp in &env.groups {
        let n = gen_resources::resource_count(grp);
        if n > MAX_RESOURCES {
            diags.push(too_large(grp, env, &format!("{n} resources")));
            continue;
        }
        if !batch.is_empty() && count + n > MAX_RESOURCES {
            batches.push(std::mem::take(&mut batch));
            count = 0;
        }
        count += n;
        batch.push(grp);
    }
    if !batch.is_empty() {
        batches.push(batch);
    }
    if diags.has_errors() {
        return Err(diags);
    }
    // Render the batches. If one comes out over the byte limit, render
    // again in order, halving batches until they fit (stack names are
    // numbered in order, so a split renumbers the rest). Environments are
    // already built in parallel by the caller; nesting more threads here
    // measured slower on two cores.
    let render_batch = |index: usize, batch: &[&model::Group]| -> Stack {
        let mut resources = Vec::new();
        let mut outputs = Vec::new();
        for grp in batch {
            let out = g2.group(grp);
            resources.extend(out.resources);
            outputs.extend(out.outputs);
        }
        let first = batch.first().map(|g| g.name.as_str()).unwrap_or_default();
        let last = batch.last().map(|g| g.name.as_str()).unwrap_or_default();
        let part = if first == last {
            format!("group {first}")
        } else {
            format!("groups {first} to {last}")
        };
        let mut stack = g2.stack(
            &format!("{base}-{}", index + 1),
            resources,
            outputs,
            deps.clone(),
            &description(env, Some(&part)),
            format,
        );
        stack.groups = batch.iter().map(|g| g.name.clone()).collect();
        stack
    };
    let rendered: Vec<Stack> = batches
        .iter()
        .enumerate()
        .map(|(i, b)| render_batch(i, b))
        .collect();
    if rendered.iter().all(|s| s.text.len() <= MAX_BYTES) {
        stacks.extend(rendered);
    } else {
        drop(rendered);
        let mut queue: std::collections::VecDeque<Vec<&model::Group>> = batches.into();
        let mut index = 0;
        while let Some(batch) = queue.pop_front() {
            let stack = render_batch(index, &batch);
            if stack.text.len() > MAX_BYTES {
                if batch.len() == 1 {
                    diags.push(too_large(
                        batch[0],
                        env,
                        &format!("{} bytes", stack.text.len()),
                    ));
                    continue;
                }
                let (a, b) = batch.split_at(batch.len() / 2);
                queue.push_front(b.to_vec());
                queue.push_front(a.to_vec());
                continue;
            }
            stacks.push(stack);
            index += 1;
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(Build {
        env: env.name.clone(),
        region: env.region.clone(),
        stacks,
    })
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

fn check_logical_ids(topics: &[(String, Json)], env: &model::Environment, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (id, _) in topics {
        *seen.entry(id.clone()).or_default() += 1;
    }
    for g in &env.groups {
        for id in gen_resources::logical_ids(g) {
            *seen.entry(id).or_default() += 1;
        }
    }
    for p in &env.params {
        *seen.entry(gen_resources::param_id(&p.name)).or_default() += 1;
    }
    for (id, n) in seen {
        if n > 1 {
            let span = env.groups.first().map(|g| g.origin).unwrap_or(env.origin);
            diags.push(
                Diagnostic::error(error::LOGICAL_ID, format!("{n} resources would have the logical ID `{id}`"), span, "names collide once underscores are removed")
                    .with_help("logical IDs drop `_` and capitalise words: rename one of the items (e.g. `a_b` and `a__b` both become `AB`)"),
            );
        }
    }
}

fn check_stack_name(name: &str, env: &model::Environment, diags: &mut Diagnostics) {
    let ok = name.len() <= 128
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !ok {
        diags.push(
            Diagnostic::error(error::STACK_NAME, format!("`{name}` is not a valid CloudFormation stack name"), env.origin, "stack names come from the app and environment names")
                .with_help("a stack name starts with a letter and has at most 128 letters, digits and hyphens: rename the app (no `_` or `.`)"),
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

/// What the templates do with desired capacity, for the manifest and notes.
pub const DESIRED_CAPACITY_POLICY: &str = "DesiredCapacity is the size a group starts with. Each group has UpdatePolicy.AutoScalingScheduledAction.IgnoreUnmodifiedGroupSizeProperties, so a stack update does not reset a size that scaling has moved unless `desired` or `capacity` changed in the spec.";

/// Collects the template parameters of a stack, for the manifest.
pub(crate) fn parameter_defaults(template: &Json) -> BTreeMap<String, Option<String>> {
    let mut out = BTreeMap::new();
    if let Some(Json::Object(params)) = template.get("Parameters") {
        for (k, v) in params {
            out.insert(
                k.clone(),
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
    let mut m = Map::new();
    for (k, v) in pairs {
        m.insert(k, v);
    }
    Json::Object(m)
}
