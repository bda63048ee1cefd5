//! Semantic checking: name resolution, types with units, environment
//! resolution and AWS's rules, ending in one [`model::Environment`] per
//! environment.
//!
//! # Passes, in order
//! 1. **Declarations** (`collect`): walk every file once, index params,
//!    metrics, presets, environments, topics and groups; report duplicates.
//!    Metric declarations (mostly from the std-lib) are validated here.
//! 2. **Environments** (`envs`): merge each environment with what it
//!    `extends`, detect cycles, validate `param.X = ...` values.
//! 3. **Lowering** (`lower`), once per environment: evaluate every property
//!    with the type and unit it needs (`eval`), following `env.X` and `match
//!    env`, and apply AWS's rules (`rules`, `kinds::cron`, `timezone`, and the
//!    field limits of `constraints`) to build the model; then find names
//!    that become one CloudFormation logical ID (`collisions`).
//!
//! The checker never fails: it always returns what it could build plus every
//! diagnostic. Identical diagnostics from different environments are
//! reported once.
//!
//! # Terminology
//! - *declaration*: a top-level item as written.
//! - *environment values*: the merged `key = value` pairs of an environment.
//! - *physical name*: the name an AWS resource gets, `app-env-group-item`.

mod cache;
mod collisions;
pub mod constraints;
pub mod error;
pub(crate) mod eval;
pub mod expand;
mod field;
pub(crate) mod lower;
mod metric_decl;
mod rules;
pub mod timezone;
/// The units of quantities (the model's): kept at this path for the
/// checker's callers.
pub use crate::model::units;

pub use cache::GroupCache;
pub use eval::{arn_region, wrong_region};
pub use lower::block_keys;
pub use lower::scalable::{target_block_keys, target_keys};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{self, ParamType};
use crate::source::{FileId, SourceMap, Span};
use crate::suggest;
use crate::syntax::ast::{self, EnvDecl, Item};
use error as codes;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

/// What to check.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Environments to resolve; empty means all.
    pub envs: Vec<String>,
    /// `--param NAME=VALUE` values; lists are comma-separated.
    pub params: BTreeMap<String, String>,
    /// Where a `params` value was given when not by `--param`: a params
    /// file's `staging.params:3`, for messages about it.
    pub param_sources: BTreeMap<String, String>,
    /// One environment's own values (`--env-params ENV=FILE`): name ->
    /// (value, where). They win over `params` from files, not over
    /// `--param`'s (those without a source).
    pub env_params: BTreeMap<String, BTreeMap<String, (String, String)>>,
    /// How the files a spec `use`s are read: the library does no I/O.
    /// Without one, `use` is an error.
    pub files: Option<FileLoader>,
}

/// Reads a file a spec `use`s. Given the path (the using file's folder
/// joined with the path written), it gives the name to show for it (one
/// name per file: a file used twice is read once) and its text, or why it
/// can't be read.
#[derive(Clone)]
pub struct FileLoader(pub std::sync::Arc<ReadFile>);

/// A path -> its name and text, or why it can't be read.
pub type ReadFile = dyn Fn(&str) -> Result<(String, String), String> + Send + Sync;

impl std::fmt::Debug for FileLoader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FileLoader")
    }
}

/// A metric declaration after validation.
#[derive(Debug, Clone)]
pub(crate) struct MetricDef {
    pub key: String,
    pub params: Vec<(String, ParamType)>,
    pub namespace: String,
    pub name: String,
    pub unit: model::Unit,
    pub statistic: model::Statistic,
    pub dimensions: Vec<(String, DimSource)>,
    pub predefined: Option<String>,
    pub trackable: bool,
    pub instead: Option<String>,
    pub agent: bool,
    pub group_metric: bool,
    /// Target tracking's predefined metric only: AWS derives it and
    /// CloudWatch publishes none by that name (DynamoDB's capacity
    /// utilization), so nothing else may read it.
    pub tracking_only: bool,
    pub span: Span,
}

/// Where a dimension's value comes from.
#[derive(Debug, Clone)]
pub(crate) enum DimSource {
    GroupName,
    /// `target.cluster`: a part of the scalable target's resource id.
    Target(String),
    Arg(usize),
    Literal(String),
}

impl DimSource {
    /// `group.name`, the argument's name, or the literal in quotes.
    pub(crate) fn text(&self, params: &[(String, ParamType)]) -> String {
        match self {
            DimSource::GroupName => "group.name".into(),
            DimSource::Target(part) => format!("target.{part}"),
            DimSource::Arg(i) => params.get(*i).map(|(n, _)| n.clone()).unwrap_or_default(),
            DimSource::Literal(s) => format!("\"{s}\""),
        }
    }
}

/// The `.scale` word of a statistic (`average`).
pub fn statistic_name(s: model::Statistic) -> &'static str {
    metric_decl::STATISTICS
        .iter()
        .find(|(_, x)| *x == s)
        .map_or("average", |(n, _)| *n)
}

/// A declared param.
#[derive(Debug, Clone)]
pub(crate) struct ParamDef {
    pub ty: ParamType,
    pub list: bool,
    pub span: Span,
    pub order: usize,
}

/// Everything declared, indexed by name.
pub(crate) struct Decls<'a> {
    pub app: Option<&'a ast::AppDecl>,
    pub params: HashMap<String, ParamDef>,
    pub metrics: HashMap<String, MetricDef>,
    pub presets: HashMap<String, &'a EnvDecl>,
    pub std_presets: HashMap<String, &'a EnvDecl>,
    pub envs: Vec<&'a EnvDecl>,
    pub topics: Vec<&'a ast::TopicDecl>,
    pub groups: Vec<&'a ast::GroupDecl>,
    pub scalables: Vec<&'a ast::ScalableDecl>,
    pub tests: Vec<&'a ast::TestDecl>,
}

/// An environment with everything it extends merged in.
pub(crate) struct EnvValues<'a> {
    pub decl: &'a EnvDecl,
    /// `key` -> the property that sets it (the most specific one).
    pub values: HashMap<String, &'a ast::Property>,
    /// `param.X = ...` values.
    pub params: HashMap<String, &'a ast::Property>,
}

/// Checks parsed files and builds the model. `files` are the user's files
/// and the std-lib's; `sources` is used only to tell them apart.
pub fn ast_to_model(
    files: &[(FileId, &ast::File)],
    sources: &SourceMap,
    opts: &Options,
) -> (model::Spec, Diagnostics) {
    ast_to_model_cached(files, sources, opts, None)
}

/// [`ast_to_model`] for a text checked again and again: each environment's
/// groups whose declarations are unchanged since the last call with the
/// cache, while nothing outside the groups changed, are copied from `last`,
/// the model that call gave.
pub fn ast_to_model_cached(
    files: &[(FileId, &ast::File)],
    sources: &SourceMap,
    opts: &Options,
    cache: Option<(&mut GroupCache, Option<&model::Spec>)>,
) -> (model::Spec, Diagnostics) {
    if !expand::needed(files) {
        return checked(files, files, sources, opts, cache);
    }
    // Templates, `use` and `for_each`: checked written out. The group
    // cache's context is then the files as written (templates included),
    // and a group's key its name too: `for_each`'s groups share a text.
    let mut diags = Diagnostics::new();
    let (expanded, origins) = expand::expand(files, sources, &mut diags);
    let refs: Vec<(FileId, &ast::File)> = expanded.iter().map(|(id, f)| (*id, f)).collect();
    let (spec, d) = checked(&refs, files, sources, opts, cache);
    diags.extend(d);
    (spec, origins.label(diags))
}

/// [`ast_to_model_cached`] of files with every group written out;
/// `written` are the files as written, what the group cache's context is.
fn checked(
    files: &[(FileId, &ast::File)],
    written: &[(FileId, &ast::File)],
    sources: &SourceMap,
    opts: &Options,
    cache: Option<(&mut GroupCache, Option<&model::Spec>)>,
) -> (model::Spec, Diagnostics) {
    let mut diags = Diagnostics::new();
    let decls = collect(files, sources, &mut diags);
    let app = match decls.app {
        Some(a) => a.name.clone(),
        None => String::new(),
    };
    let user_file = files
        .iter()
        .find(|(id, _)| !sources.get(*id).is_std)
        .map(|(id, _)| *id)
        .unwrap_or(FileId(0));
    // What is about the whole file points at its first word (a zero-width
    // place at 0:0 only in an empty file).
    let user_text = sources.get(user_file).text.as_str();
    let file_start = first_word(user_text, user_file).unwrap_or(Span::new(user_file, 0, 0));
    // An `app` line the parser couldn't read is explained where it is.
    let broken_app = user_text.lines().any(|l| {
        l.strip_prefix("app")
            .is_some_and(|rest| rest.starts_with([' ', '\t', '"']))
    });
    if decls.app.is_none() && !broken_app {
        diags.push(
            Diagnostic::error(
                codes::APP,
                "the spec has no `app` declaration",
                file_start,
                "expected `app \"name\"` here",
            )
            .with_help(
                "start the file with `app \"my-service\"`: the name prefixes every AWS resource",
            ),
        );
    }
    if let Some(a) = decls.app
        && a.name.is_empty()
    {
        diags.push(
            Diagnostic::error(
                codes::EMPTY,
                "the app name is empty",
                a.name_span,
                "an empty name",
            )
            .with_help(
                "the app name starts every AWS name and stack name: write `app \"my-service\"`",
            ),
        );
    }
    if decls.envs.is_empty() {
        diags.push(
            Diagnostic::error(
                codes::NO_ENVIRONMENTS,
                "the spec declares no environment",
                decls.app.map(|a| a.span).unwrap_or(file_start),
                "nothing to build without an environment",
            )
            .with_help("add `environment production extends std.production {}`"),
        );
    }
    command_line_names(
        &decls,
        opts,
        decls.app.map(|a| a.span).unwrap_or(file_start),
        &mut diags,
    );
    tests_environments(&decls, &mut diags);
    let merged: Vec<EnvValues> = decls
        .envs
        .iter()
        .map(|e| merge_env(e, &decls, &mut diags))
        .collect();
    for ev in &merged {
        lower::validate_env_params(ev, &decls, &mut diags);
    }
    let environments = lower_environments(
        &app,
        &merged,
        &decls,
        Sources {
            files,
            written,
            sources,
        },
        opts,
        cache,
        &mut diags,
    );
    collisions::check_across_environments(&environments, &mut diags);
    (model::Spec { app, environments }, diags)
}

/// What the command line names must be the spec's: the environments of
/// `--env` and `--env-params`, and the params of `--param` and params
/// files. `place` is where the spec says what it has.
fn command_line_names(decls: &Decls, opts: &Options, place: Span, diags: &mut Diagnostics) {
    // An environment's own values must name one.
    for env in opts.env_params.keys() {
        if !decls.envs.iter().any(|e| e.name.name == *env) {
            let help = suggest::did_you_mean(env, decls.envs.iter().map(|e| e.name.name.as_str()))
                .unwrap_or_else(|| "name one of the spec's environments".into());
            diags.push(
                Diagnostic::error(
                    codes::UNKNOWN_ENV,
                    format!("`--env-params {env}=...` names no environment of the spec"),
                    place,
                    "in this spec",
                )
                .with_help(help),
            );
        }
    }
    // --param names must be declared.
    let per_env = opts
        .env_params
        .values()
        .flat_map(|m| m.iter().map(|(k, (_, at))| (k, Some(at))));
    for (name, at) in opts
        .params
        .keys()
        .map(|k| (k, opts.param_sources.get(k)))
        .chain(per_env)
    {
        if !decls.params.contains_key(name) {
            let help = suggest::did_you_mean(name, decls.params.keys().map(|s| s.as_str()))
                .unwrap_or_else(|| "declare it with `param NAME: TYPE`".into());
            let given = match at {
                Some(at) => format!("`{name}` ({at})"),
                None => format!("`--param {name}=...`"),
            };
            diags.push(
                Diagnostic::error(
                    codes::UNDEFINED,
                    format!("{given} names no declared param"),
                    place,
                    "in this spec",
                )
                .with_help(help),
            );
        }
    }
    let env_names: Vec<&str> = decls.envs.iter().map(|e| e.name.name.as_str()).collect();
    for wanted in &opts.envs {
        if !env_names.contains(&wanted.as_str()) {
            let known = suggest::quoted_list(env_names.iter().copied());
            let mut d = Diagnostic::error(
                codes::UNKNOWN_ENV,
                format!("there is no environment `{wanted}`"),
                place,
                "in this spec",
            );
            for e in &decls.envs {
                d = d.with_label(e.name.span, "declared here");
            }
            let help = match suggest::did_you_mean(wanted, env_names.iter().copied()) {
                Some(m) => format!("{m} the known environments are {known}"),
                None if env_names.is_empty() => {
                    "declare one with `environment NAME { ... }`".to_string()
                }
                None => format!("the known environments are {known}"),
            };
            diags.push(d.with_help(help));
        }
    }
}

/// Each test names one of the spec's environments, or the spec has one.
fn tests_environments(decls: &Decls, diags: &mut Diagnostics) {
    let envs = || decls.envs.iter().map(|e| e.name.name.as_str());
    for t in &decls.tests {
        let given = t.properties.iter().find(|p| p.key.text() == "env");
        match (given, lower::scaling_test::env_of(t)) {
            (Some(_), Some((name, e))) if !envs().any(|n| n == name) => {
                let help = suggest::did_you_mean(name, envs()).unwrap_or_else(|| {
                    format!("the environments are {}", suggest::quoted_list(envs()))
                });
                diags.push(
                    Diagnostic::error(
                        codes::TEST_ENV,
                        format!(
                            "test `{}` names no environment of the spec: `{name}`",
                            t.name.name
                        ),
                        e.span,
                        "no such environment",
                    )
                    .with_help(help),
                );
            }
            (Some(p), None) => diags.push(eval::mismatch(&p.value, "an environment's name")),
            (None, _) if decls.envs.len() > 1 => diags.push(
                Diagnostic::error(
                    codes::TEST_ENV,
                    format!(
                        "test `{}` names no environment, and the spec has {}",
                        t.name.name,
                        decls.envs.len()
                    ),
                    t.name.span,
                    "which environment?",
                )
                .with_help(format!(
                    "add `env = NAME`: one of {}",
                    suggest::quoted_list(envs())
                )),
            ),
            _ => {}
        }
    }
}

/// What the group cache needs to know of the files: the files checked,
/// the files as written (their context), and their text.
struct Sources<'s, 'a> {
    files: &'s [(FileId, &'a ast::File)],
    written: &'s [(FileId, &'a ast::File)],
    sources: &'s SourceMap,
}

/// Every wanted environment lowered, on threads of their own, in
/// declaration order; through the group cache if given.
fn lower_environments(
    app: &str,
    merged: &[EnvValues],
    decls: &Decls,
    src: Sources,
    opts: &Options,
    cache: Option<(&mut GroupCache, Option<&model::Spec>)>,
    diags: &mut Diagnostics,
) -> Vec<model::Environment> {
    let Sources {
        files,
        written,
        sources,
    } = src;
    // Environments are independent: lower them on separate threads, then
    // merge results in declaration order so output stays deterministic.
    let wanted: Vec<&EnvValues> = merged
        .iter()
        .filter(|ev| opts.envs.is_empty() || opts.envs.contains(&ev.decl.name.name))
        .collect();
    // With a cache: every group's text, and the context the groups were
    // lowered in (everything else the user wrote, where it is, and the
    // options).
    let group_texts: Vec<std::borrow::Cow<str>> = match cache {
        Some(_) if std::ptr::eq(files, written) => decls
            .groups
            .iter()
            .map(|g| sources.slice(g.span).into())
            .collect(),
        Some(_) => decls
            .groups
            .iter()
            .map(|g| format!("{}\n{}", g.name.name, sources.slice(g.span)).into())
            .collect(),
        None => Vec::new(),
    };
    // Environments are told apart by name: with two of one name (an error),
    // nothing is cached.
    let mut names: Vec<&str> = wanted.iter().map(|ev| ev.decl.name.name.as_str()).collect();
    names.sort_unstable();
    let unique = names.windows(2).all(|w| w[0] != w[1]);
    let (mut cache, last) = match cache {
        Some((c, last)) if unique => (Some(c), last),
        _ => (None, None),
    };
    let mut env_caches: Vec<Option<cache::EnvGroups>> = match cache.as_deref_mut() {
        Some(c) => {
            let context = group_context(written, sources, opts);
            wanted
                .iter()
                .map(|ev| Some(c.take(&ev.decl.name.name, &context)))
                .collect()
        }
        None => wanted.iter().map(|_| None).collect(),
    };
    let last_groups = |name: &str| -> &[model::Group] {
        last.and_then(|s| s.environment(name))
            .map_or(&[], |e| e.groups.as_slice())
    };
    let lower_one = |ev: &EnvValues, env_cache: &mut Option<cache::EnvGroups>| {
        let mut d = Diagnostics::new();
        let c = env_cache
            .as_mut()
            .map(|c| (c, group_texts.as_slice(), last_groups(&ev.decl.name.name)));
        let env = lower::lower_env(app, ev, merged, decls, opts, &mut d, c);
        (env, d)
    };
    let results: Vec<(model::Environment, Diagnostics)> = std::thread::scope(|scope| {
        let mut slots = env_caches.iter_mut();
        let first_cache = slots.next();
        let handles: Vec<_> = wanted
            .iter()
            .skip(1)
            .zip(slots)
            .map(|(ev, env_cache)| {
                let lower_one = &lower_one;
                scope.spawn(move || lower_one(ev, env_cache))
            })
            .collect();
        let mut out = Vec::new();
        if let (Some(first), Some(env_cache)) = (wanted.first(), first_cache) {
            out.push(lower_one(first, env_cache));
        }
        for h in handles {
            match h.join() {
                Ok(r) => out.push(r),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    });
    if let Some(c) = cache {
        for (ev, env_cache) in wanted.iter().zip(env_caches) {
            if let Some(env_cache) = env_cache {
                c.put(&ev.decl.name.name, env_cache);
            }
        }
    }
    let mut environments = Vec::new();
    for (env, d) in results {
        diags.extend(d);
        environments.push(env);
    }
    environments
}

/// The span of a text's first word outside comments, if any.
fn first_word(text: &str, file: FileId) -> Option<Span> {
    let (comments, _) = crate::syntax::format::comments(text);
    let mut at = 0;
    let mut spans = comments.iter().map(|c| (c.start, c.end)).peekable();
    loop {
        let rest = text.get(at..)?;
        let skip = rest.len() - rest.trim_start().len();
        at += skip;
        match spans.peek() {
            Some(&(s, e)) if s <= at => {
                at = at.max(e);
                spans.next();
            }
            _ => break,
        }
    }
    let word = text.get(at..)?;
    let len = word.find(|c: char| c.is_whitespace()).unwrap_or(word.len());
    (len > 0).then(|| Span::new(file, at, at + len))
}

/// What a group's lowering may depend on besides the group: every other
/// item of the user's files, with its place, and the options.
fn group_context(files: &[(FileId, &ast::File)], sources: &SourceMap, opts: &Options) -> String {
    let mut context = format!("{:?}\n{:?}\n", opts.envs, opts.params);
    for (id, file) in files {
        if sources.get(*id).is_std {
            continue;
        }
        for item in &file.items {
            let span = match item {
                // Tests are run after the check; no group reads them.
                Item::Group(_) | Item::Test(_) => continue,
                Item::App(d) => d.span,
                Item::Param(d) => d.span,
                Item::Metric(d) => d.span,
                Item::Preset(d) | Item::Environment(d) => d.span,
                Item::Topic(d) => d.span,
                Item::Scalable(d) => d.span,
                Item::Lints(d) => d.span,
                Item::Use(d) => d.span,
                Item::Template(d) => d.span,
            };
            context.push_str(&format!(
                "{}:{}:{}\n",
                id.0,
                span.start,
                sources.slice(span)
            ));
        }
    }
    context
}

fn collect<'a>(
    files: &[(FileId, &'a ast::File)],
    sources: &SourceMap,
    diags: &mut Diagnostics,
) -> Decls<'a> {
    let mut d = Decls {
        app: None,
        params: HashMap::default(),
        metrics: HashMap::default(),
        presets: HashMap::default(),
        std_presets: HashMap::default(),
        envs: Vec::new(),
        topics: Vec::new(),
        groups: Vec::new(),
        scalables: Vec::new(),
        tests: Vec::new(),
    };
    let mut seen: HashMap<(&'static str, String), Span> = HashMap::default();
    let mut dup = |kind: &'static str, name: &str, span: Span, diags: &mut Diagnostics| -> bool {
        match seen.get(&(kind, name.to_string())) {
            Some(first) => {
                diags.push(
                    Diagnostic::error(
                        codes::DUPLICATE,
                        format!("the {kind} `{name}` is declared twice"),
                        span,
                        "declared again here",
                    )
                    .with_label(*first, "first declared here")
                    .with_help(format!("rename or remove one of the two {kind}s")),
                );
                true
            }
            None => {
                seen.insert((kind, name.to_string()), span);
                false
            }
        }
    };
    let mut order = 0;
    for (id, file) in files {
        let is_std = sources.get(*id).is_std;
        for item in &file.items {
            match item {
                Item::App(a) => {
                    if let Some(first) = d.app {
                        diags.push(
                            Diagnostic::error(
                                codes::APP,
                                "the spec declares `app` twice",
                                a.span,
                                "second `app`",
                            )
                            .with_label(first.span, "first `app`")
                            .with_help("a spec describes one app; remove one declaration"),
                        );
                    } else {
                        d.app = Some(a);
                    }
                }
                Item::Param(p) => {
                    if !dup("param", &p.name.name, p.name.span, diags)
                        && let Some((ty, list)) = eval::param_type(&p.ty, diags)
                    {
                        d.params.insert(
                            p.name.name.clone(),
                            ParamDef {
                                ty,
                                list,
                                span: p.name.span,
                                order,
                            },
                        );
                        order += 1;
                    }
                }
                Item::Metric(m) => {
                    let key = m.name.dotted().into_owned();
                    if !dup("metric", &key, m.name.span, diags)
                        && let Some(def) = metric_decl::metric_def(m, diags)
                    {
                        d.metrics.insert(key, def);
                    }
                }
                Item::Preset(p) => {
                    if is_std {
                        d.std_presets.insert(p.name.name.clone(), p);
                    } else if !dup("preset", &p.name.name, p.name.span, diags) {
                        d.presets.insert(p.name.name.clone(), p);
                    }
                }
                Item::Environment(e) => {
                    if !dup("environment", &e.name.name, e.name.span, diags) {
                        d.envs.push(e);
                    }
                }
                Item::Topic(t) => {
                    if !dup("topic", &t.name.name, t.name.span, diags) {
                        d.topics.push(t);
                    }
                }
                Item::Group(g) => {
                    if !dup("group", &g.name.name, g.name.span, diags) {
                        d.groups.push(g);
                    }
                }
                Item::Scalable(t) => {
                    // Targets share groups' names: both name policies and
                    // alarms `app-env-NAME-...`.
                    if !dup("group", &t.body.name.name, t.body.name.span, diags) {
                        d.scalables.push(t);
                    }
                }
                Item::Test(t) => {
                    if !dup("test", &t.name.name, t.name.span, diags) {
                        d.tests.push(t);
                    }
                }
                // Read by `levels`, once the diagnostics are all in.
                Item::Lints(_) => {}
                // Written out by `expand` before this.
                Item::Use(_) | Item::Template(_) => {}
            }
        }
    }
    d
}

/// What each environment sets, its `extends` chain merged in, for editors:
/// (environment, key -> the span of the value that wins), keys being
/// `cpu` or `param.subnets`. Problems are not reported here.
pub fn environment_values(
    files: &[(FileId, &ast::File)],
    sources: &SourceMap,
) -> Vec<(String, std::collections::BTreeMap<String, Span>)> {
    let mut diags = Diagnostics::new();
    let decls = collect(files, sources, &mut diags);
    decls
        .envs
        .iter()
        .map(|e| {
            let merged = merge_env(e, &decls, &mut diags);
            let values = merged
                .values
                .iter()
                .map(|(k, p)| (k.clone(), p.value.span))
                .chain(
                    merged
                        .params
                        .iter()
                        .map(|(k, p)| (format!("param.{k}"), p.value.span)),
                )
                .collect();
            (e.name.name.clone(), values)
        })
        .collect()
}

/// Merges an environment with its `extends` chain: parents first, later
/// parents override earlier ones, the environment's own values win.
fn merge_env<'a>(env: &'a EnvDecl, decls: &Decls<'a>, diags: &mut Diagnostics) -> EnvValues<'a> {
    let mut out = EnvValues {
        decl: env,
        values: HashMap::default(),
        params: HashMap::default(),
    };
    let mut stack: Vec<(&str, Span)> = Vec::new();
    apply_decl(env, true, decls, &mut stack, &mut out, diags);
    out
}

fn apply_decl<'a>(
    decl: &'a EnvDecl,
    is_env: bool,
    decls: &Decls<'a>,
    stack: &mut Vec<(&'a str, Span)>,
    out: &mut EnvValues<'a>,
    diags: &mut Diagnostics,
) {
    stack.push((decl.name.name.as_str(), decl.name.span));
    for parent in &decl.extends {
        let (target, parent_is_env) = match resolve_extends(parent, decl, is_env, decls, diags) {
            Some(t) => t,
            None => continue,
        };
        if stack
            .iter()
            .any(|(n, s)| *n == target.name.name && *s == target.name.span)
        {
            let chain: Vec<&str> = stack.iter().map(|(n, _)| *n).collect();
            diags.push(
                Diagnostic::error(
                    codes::ENV_CYCLE,
                    format!(
                        "`{}` extends itself through {}",
                        target.name.name,
                        chain.join(" -> ")
                    ),
                    parent.span,
                    "this closes the circle",
                )
                .with_label(target.name.span, "declared here")
                .with_help("remove one `extends` so that the chain ends in a preset"),
            );
            continue;
        }
        apply_decl(target, parent_is_env, decls, stack, out, diags);
    }
    let mut seen: HashMap<String, Span> = HashMap::default();
    for p in &decl.body.properties {
        let key = p.key.text();
        if let Some(first) = seen.insert(key.to_string(), p.key.span()) {
            diags.push(
                Diagnostic::error(
                    codes::DUPLICATE_PROPERTY,
                    format!("`{key}` is set twice"),
                    p.key.span(),
                    "set again here",
                )
                .with_label(first, "first set here")
                .with_help("remove one of the two"),
            );
            continue;
        }
        match key.strip_prefix("param.") {
            Some(name) => {
                out.params.insert(name.to_string(), p);
            }
            None => {
                out.values.insert(key.into_owned(), p);
            }
        }
    }
    stack.pop();
}

fn resolve_extends<'a>(
    path: &ast::Path,
    from: &'a EnvDecl,
    _from_is_env: bool,
    decls: &Decls<'a>,
    diags: &mut Diagnostics,
) -> Option<(&'a EnvDecl, bool)> {
    let text = path.dotted();
    if let Some(std_name) = text.strip_prefix("std.") {
        if let Some(p) = decls.std_presets.get(std_name) {
            return Some((p, false));
        }
        let mut names: Vec<&str> = decls.std_presets.keys().map(|s| s.as_str()).collect();
        names.sort();
        let help = match suggest::closest(std_name, names.iter().copied()) {
            Some(c) => format!("did you mean `std.{c}`?"),
            None => format!(
                "the standard presets are {}",
                suggest::quoted_list(
                    names
                        .iter()
                        .map(|n| n.to_string())
                        .collect::<Vec<_>>()
                        .iter()
                        .map(|s| s.as_str())
                )
            ),
        };
        diags.push(
            Diagnostic::error(
                codes::UNDEFINED,
                format!("there is no standard preset `{text}`"),
                path.span,
                "not a std-lib preset",
            )
            .with_help(help),
        );
        return None;
    }
    if let Some(p) = decls.presets.get(text.as_ref()) {
        return Some((p, false));
    }
    if text == from.name.name {
        diags.push(
            Diagnostic::error(
                codes::ENV_CYCLE,
                format!("environment `{text}` extends itself"),
                path.span,
                "its own name",
            )
            .with_label(from.name.span, "the environment")
            .with_help(format!(
                "remove `{text}` from its `extends`: an environment extends presets (such as `std.production`) or other environments"
            )),
        );
        return None;
    }
    if let Some(e) = decls
        .envs
        .iter()
        .find(|e| e.name.name == text && !std::ptr::eq(**e, from))
    {
        return Some((e, true));
    }
    let mut candidates: Vec<String> = decls.presets.keys().cloned().collect();
    candidates.extend(decls.envs.iter().map(|e| e.name.name.clone()));
    candidates.extend(decls.std_presets.keys().map(|k| format!("std.{k}")));
    candidates.sort();
    let help =
        suggest::did_you_mean(&text, candidates.iter().map(|s| s.as_str())).unwrap_or_else(|| {
            "extend a preset of this file or a standard one such as `std.production`".into()
        });
    diags.push(
        Diagnostic::error(
            codes::UNDEFINED,
            format!("there is no preset or environment `{text}`"),
            path.span,
            "not declared",
        )
        .with_help(help),
    );
    None
}

/// The note that explains who owns desired capacity, pointing at the first
/// group that sets `desired`. Given only for specs without errors.
pub fn desired_note(files: &[(FileId, &ast::File)]) -> Option<Diagnostic> {
    let p = files
        .iter()
        .flat_map(|(_, f)| f.items.iter())
        .find_map(|item| match item {
            Item::Group(g) => g.properties.iter().find(|p| p.key.text() == "desired"),
            _ => None,
        })?;
    Some(
        Diagnostic::note(
            codes::DESIRED_OWNER,
            "`desired` is the starting capacity; scaling owns it after that",
            p.key.span(),
            "used when a group is created",
        )
        .with_help(
            "a deploy never resets a running group to `desired` unless `desired` or `capacity` changes in the spec \
             (CloudFormation: IgnoreUnmodifiedGroupSizeProperties; apply: no SetDesiredCapacity)",
        ),
    )
}

/// The std-lib's metric declarations, validated: what `scalec import`
/// matches CloudWatch metrics against.
pub(crate) fn std_metric_defs() -> Vec<MetricDef> {
    let mut sources = SourceMap::new();
    let mut out = Vec::new();
    for (name, text) in crate::stdlib::FILES {
        let id = sources.add(*name, *text, true);
        let (file, _) = crate::syntax::source_to_ast(&sources, id);
        let mut diags = Diagnostics::new();
        for item in &file.items {
            if let Item::Metric(m) = item
                && let Some(def) = metric_decl::metric_def(m, &mut diags)
            {
                out.push(def);
            }
        }
    }
    out
}
