//! `scalec import`: write the spec of an existing CloudFormation template.

use super::output::{self, Format, Problem};
use scalec::diagnostic::{Diagnostics, Severity};
use scalec::import::{self, Entry, Options};
use scalec::source::SourceMap;
use std::path::PathBuf;

/// Write the spec that builds an existing CloudFormation template.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  scalec import --template stack.json -o app.scale\n  scalec import --template cdk.out/Api.template.json --app api --env production\n  scalec import --template stack.yaml --format json\n  scalec import --env-template production=prod.json --env-template staging=staging.json -o app.scale\n  scalec import --template out/production/app-production-shared.json --template out/production/app-production-1.json\n\nThe template may be JSON or YAML (short-form intrinsics such as !Ref and !Sub included), as `scalec build`, `cdk synth` or `aws cloudformation get-template` write it. Every resource is listed with what became of it; a resource scalec can't express yet stops the import with a located explanation, and nothing is written.\nExit codes: 0 imported, 1 refused or errors, 2 usage error."
)]
pub struct ImportCommand {
    /// The CloudFormation template to import; give every stack of a split
    /// environment, one --template each.
    #[arg(long, value_name = "FILE", required_unless_present_any = ["env_template", "env"])]
    template: Vec<PathBuf>,
    /// One environment's template, ENV=FILE; give one per environment to
    /// import them into one spec, values that differ becoming `env.X`.
    #[arg(long = "env-template", value_name = "ENV=FILE", value_parser = parse_env_template, conflicts_with_all = ["template", "env"])]
    env_template: Vec<(String, PathBuf)>,
    /// Write the spec here (default: stdout). An existing file is kept
    /// unless --force.
    #[arg(short, long, value_name = "PATH")]
    output: Option<PathBuf>,
    /// Overwrite --output if it exists.
    #[arg(long)]
    force: bool,
    /// Write every group out, even where three or more follow one pattern
    /// (without it, they become a template and short instances).
    #[arg(long)]
    flat: bool,
    /// The app's name, if the template doesn't say (scalec's templates do).
    #[arg(long, value_name = "NAME")]
    app: Option<String>,
    /// The environment's name; without --template, import it from the
    /// live account.
    #[arg(long, value_name = "ENV")]
    env: Option<String>,
    /// From the account: this group (repeatable).
    #[arg(long = "group", value_name = "NAME")]
    groups: Vec<String>,
    /// From the account: groups whose names start with this.
    #[arg(long, value_name = "PREFIX")]
    prefix: Option<String>,
    /// From the account: groups with this tag, KEY=VALUE (repeatable).
    #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = super::parse_param)]
    tags: Vec<(String, String)>,
    /// From the account: also read this dashboard (repeatable); those
    /// whose names contain a selected group's name are read anyway.
    #[arg(long = "dashboard", value_name = "NAME", requires = "env")]
    dashboards: Vec<String>,
    /// AWS region (default: AWS_REGION, then AWS_DEFAULT_REGION).
    #[arg(long, value_name = "REGION")]
    region: Option<String>,
    /// AWS profile.
    #[arg(long, value_name = "PROFILE")]
    profile: Option<String>,
    /// From the account: refuse to read unless the credentials are this
    /// account's (12 digits); the spec's environment names it.
    #[arg(long, value_name = "ID", requires = "env", value_parser = account_id)]
    account: Option<String>,
    /// From the account: assume this IAM role first; the spec's
    /// environment names it.
    #[arg(long, value_name = "ROLE_ARN", requires = "env")]
    role: Option<String>,
    /// Report format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

/// `--account`: 12 digits.
fn account_id(s: &str) -> Result<String, String> {
    if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s.to_string())
    } else {
        Err(format!("an account id is 12 digits, not `{s}`"))
    }
}

impl ImportCommand {
    /// The selected groups of the live account, as a template: (a name
    /// for it, its text).
    fn live_region(&self) -> Option<String> {
        self.region
            .clone()
            .or_else(|| std::env::var("AWS_REGION").ok())
            .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
    }

    fn survey(&self) -> Result<(String, String), Problem> {
        let region = self.live_region().ok_or_else(|| {
            Problem::new(
                scalec::backend::plan::error::NO_REGION,
                "scalec import needs a region to read the account",
            )
            .with_help("give --region, or set AWS_REGION")
        })?;
        let sel = scalec::apply::Selection {
            names: self.groups.clone(),
            prefix: self.prefix.clone(),
            tags: self.tags.clone(),
            dashboards: self.dashboards.clone(),
        };
        // The environment it will be, for the account check.
        let env = scalec::model::Environment {
            app: String::new(),
            name: self.env.clone().unwrap_or_default(),
            region: Some(region.clone()),
            account: self.account.clone(),
            role: self.role.clone(),
            tags: Default::default(),
            params: vec![],
            topics: vec![],
            groups: vec![],
            targets: vec![],
            tests: Vec::new(),
            origin: scalec::source::Span {
                file: scalec::source::FileId(0),
                start: 0,
                end: 0,
            },
        };
        let doc = super::runtime()?.block_on(async {
            let (aws, _) = scalec::apply::Aws::connect_env(&env, &region, self.profile.as_deref())
                .await
                .map_err(|e| Problem::aws(&e))?;
            aws.survey(&sel).await.map_err(|e| Problem::aws(&e))
        })?;
        if doc["Resources"].as_object().is_none_or(|r| r.is_empty()) {
            return Err(Problem::new(
                scalec::import::error::UNSUPPORTED,
                format!("no Auto Scaling group in {region} matches the selection"),
            )
            .with_help("name groups with --group, or select them with --prefix or --tag"));
        }
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        Ok((format!("<account {region}>"), text))
    }
}

fn parse_env_template(s: &str) -> Result<(String, PathBuf), String> {
    match s.split_once('=') {
        Some((e, f)) if !e.is_empty() && !f.is_empty() => Ok((e.to_string(), PathBuf::from(f))),
        _ => Err(format!(
            "expected ENV=FILE such as `production=prod.json`, found `{s}`"
        )),
    }
}

impl ImportCommand {
    pub fn run(self) -> i32 {
        let format = self.format;
        if let Some(out) = &self.output
            && out.exists()
            && !self.force
        {
            output::fail(
                format,
                &[Problem::new(
                    super::spec::codes::WRITE,
                    format!(
                        "{} exists; scalec import doesn't overwrite a spec",
                        out.display()
                    ),
                )
                .with_help("choose another --output, or give --force")],
            );
            return 1;
        }
        let mut sources = SourceMap::new();
        let mut per_env = match self.import_each_env(&mut sources) {
            Ok(per_env) => per_env,
            Err(code) => return code,
        };
        let recovered = if per_env.len() > 1 {
            match merge_envs(&per_env, format) {
                Ok(r) => r,
                Err(code) => return code,
            }
        } else {
            match per_env.pop() {
                Some((_, r)) => r,
                None => return 1,
            }
        };
        // Written as `scalec fmt` lays it out, so `fmt --check` passes.
        let mut recovered = recovered;
        if let Ok(formatted) =
            scalec::syntax::format::format(&recovered.text, scalec::source::FileId(0))
        {
            recovered.text = formatted;
        }
        // Groups of one pattern: a template and instances.
        let factored = if self.flat {
            Vec::new()
        } else {
            factor(&mut recovered.text, format)
        };
        // The spec must be one `check` accepts: compile it as written.
        let name = self
            .output
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "imported.scale".into());
        let (c, trees) = scalec::compile_keeping_trees(
            &name,
            recovered.text.as_str(),
            &scalec::check::Options::default(),
        );
        if c.has_errors() {
            // Nothing was written: each error points at the template
            // resource its part of the spec came from.
            let d = blame_template(&c, &trees, &recovered.entries);
            return output::report(format, &d, &sources).max(1);
        }
        let lints: Vec<_> = c
            .diagnostics
            .iter()
            .filter(|x| x.severity == Severity::Warning)
            .cloned()
            .collect();
        if let Some(out) = &self.output
            && let Err(e) = super::write_atomic(out, &recovered.text)
        {
            return output::fail(format, &[Problem::cant_write(out, &e)]);
        }
        match format {
            Format::Human => self.report_human(&recovered, &factored, &lints, &c.sources),
            Format::Json => {
                let v = serde_json::json!({
                    "ok": true,
                    "spec": recovered.text,
                    "resources": recovered.entries,
                    "added": recovered.added,
                    "templates": factored.iter().map(|(t, p, n)| serde_json::json!({ "name": t, "parameters": p, "groups": n })).collect::<Vec<_>>(),
                    "params": recovered.params.iter().map(|(name, from)| serde_json::json!({ "name": name, "from": from })).collect::<Vec<_>>(),
                    "lints": scalec::diagnostic::render_json_value(&lints.iter().collect::<Vec<_>>(), &c.sources),
                });
                output::print_json(&v);
            }
        }
        0
    }

    /// Each environment's templates (or the live account's survey) read
    /// and imported on its own; `Err` holds the exit code of a failure,
    /// reported.
    fn import_each_env(
        &self,
        sources: &mut SourceMap,
    ) -> Result<Vec<(String, import::Recovered)>, i32> {
        let format = self.format;
        let live = self.template.is_empty() && self.env_template.is_empty();
        let groups: Vec<(Option<String>, Vec<PathBuf>)> = if live {
            vec![(self.env.clone(), vec![])]
        } else if self.env_template.is_empty() {
            vec![(self.env.clone(), self.template.clone())]
        } else {
            self.env_template
                .iter()
                .map(|(e, f)| (Some(e.clone()), vec![f.clone()]))
                .collect()
        };
        let several = groups.len() > 1;
        let mut per_env: Vec<(String, import::Recovered)> = Vec::new();
        for (env, paths) in &groups {
            let mut ids = Vec::new();
            if live {
                match self.survey() {
                    Ok((name, text)) => ids.push(sources.add(name, text, false)),
                    Err(p) => return Err(output::fail(format, &[p])),
                }
            }
            for path in paths {
                let text = match super::spec::read(path) {
                    Ok(t) => t,
                    Err(p) => return Err(output::fail(format, &[p])),
                };
                ids.push(sources.add(path.display().to_string(), text, false));
            }
            let opts = Options {
                app: self.app.clone(),
                env: env.clone(),
                explicit: several,
                region: if live { self.live_region() } else { None },
                account: if live { self.account.clone() } else { None },
                role: if live { self.role.clone() } else { None },
            };
            match import::import_templates(sources, &ids, &opts) {
                Ok(r) => per_env.push((env.clone().unwrap_or_default(), r)),
                Err((diags, entries)) => {
                    let mut d = Diagnostics::new();
                    diags.into_iter().for_each(|x| d.push(x));
                    if format == Format::Human {
                        eprint!("{}", render_entries(&entries));
                    }
                    return Err(output::report(format, &d, sources).max(1));
                }
            }
        }
        Ok(per_env)
    }

    /// The resources imported, what was added or renamed, the patterns
    /// factored and the lints, on stderr; the spec on stdout unless
    /// written to --output.
    fn report_human(
        &self,
        recovered: &import::Recovered,
        factored: &[(String, Vec<String>, usize)],
        lints: &[scalec::diagnostic::Diagnostic],
        sources: &SourceMap,
    ) {
        if !lints.is_empty() {
            let mut d = Diagnostics::new();
            lints.iter().for_each(|x| d.push(x.clone()));
            output::report(self.format, &d, sources);
        }
        eprint!("{}", render_entries(&recovered.entries));
        for a in &recovered.added {
            if a.starts_with("rename:") {
                eprintln!("  {a}");
            } else {
                eprintln!("  added {a}");
            }
        }
        for (t, params, n) in factored {
            let list = if params.is_empty() {
                "no parameters".to_string()
            } else {
                format!("parameters {}", params.join(", "))
            };
            eprintln!("  {n} groups follow one pattern: template `{t}` ({list})");
        }
        eprintln!("{}", summary(&recovered.entries, lints.len()));
        if self.output.is_none() {
            super::print_stdout(recovered.text.trim_end());
        } else if let Some(out) = &self.output {
            eprintln!("wrote {}", out.display());
        }
    }
}

/// Several environments' specs merged into one, values that differ
/// becoming `env.X`: each param once, as the first environment has it,
/// and each resource named with its environment. `Err` holds the exit
/// code of a refusal (different apps, or shapes that don't line up),
/// reported.
fn merge_envs(
    per_env: &[(String, import::Recovered)],
    format: Format,
) -> Result<import::Recovered, i32> {
    let texts: Vec<(String, String)> = per_env
        .iter()
        .map(|(e, r)| (e.clone(), r.text.clone()))
        .collect();
    let apps: std::collections::BTreeSet<&str> = texts
        .iter()
        .filter_map(|(_, t)| t.lines().find_map(|l| l.strip_prefix("app ")))
        .collect();
    if apps.len() > 1 {
        return Err(output::fail(
            format,
            &[Problem::new(
                scalec::import::error::UNSUPPORTED,
                format!(
                    "the templates are of different apps ({})",
                    apps.into_iter().collect::<Vec<_>>().join(", ")
                ),
            )
            .with_help("give the templates of one app's environments, or --app to name it")],
        ));
    }
    match import::merge::merge(&texts) {
        Ok(text) => Ok(import::Recovered {
            text,
            params: {
                let mut seen = std::collections::BTreeSet::new();
                per_env
                    .iter()
                    .flat_map(|(_, r)| r.params.iter().cloned())
                    .filter(|(name, _)| seen.insert(name.clone()))
                    .collect()
            },
            entries: per_env
                .iter()
                .flat_map(|(e, r)| {
                    r.entries.iter().map(move |x| Entry {
                        id: format!("{e}/{}", x.id),
                        ..x.clone()
                    })
                })
                .collect(),
            added: per_env
                .iter()
                .flat_map(|(_, r)| r.added.clone())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect(),
        }),
        Err(problems) => {
            let list: Vec<Problem> = problems
                .into_iter()
                .map(|p| {
                    Problem::new(scalec::import::error::UNSUPPORTED, format!("the environments differ in shape: {p}"))
                        .with_help("scalec merges environments whose groups, policies and alarms line up; import each environment on its own with --template")
                })
                .collect();
            Err(output::fail(format, &list))
        }
    }
}

/// The errors of a spec import would write, each at the template resource
/// that became the part of the spec it is about (the first template's
/// start when no resource did), quoting the spec's line.
fn blame_template(
    c: &scalec::Compilation,
    trees: &[(scalec::source::FileId, scalec::syntax::ast::File)],
    entries: &[Entry],
) -> Diagnostics {
    use scalec::diagnostic::Diagnostic;
    let mut out = Diagnostics::new();
    let user = trees.first();
    let start = scalec::source::Span {
        file: scalec::source::FileId(0),
        start: 0,
        end: 0,
    };
    for d in c
        .diagnostics
        .iter()
        .filter(|x| x.severity == Severity::Error)
    {
        let Some(at) = d.labels.first().map(|l| l.span) else {
            continue;
        };
        let became = user
            .filter(|(id, _)| *id == at.file)
            .and_then(|(_, f)| item_at(f, at));
        let entry = became
            .as_ref()
            .and_then(|b| entries.iter().find(|e| e.imported && &e.became == b));
        let line = {
            let file = c.sources.get(at.file);
            let text = file.text.as_str();
            let begin = text[..(at.start as usize).min(text.len())]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let end = text[begin..].find('\n').map_or(text.len(), |i| begin + i);
            text[begin..end].trim().to_string()
        };
        let (span, label, from) = match entry {
            Some(e) => (
                e.span.unwrap_or(start),
                format!("imported as {}", e.became),
                format!("resource `{}`", e.id),
            ),
            None => (
                start,
                "this template".to_string(),
                "this template".to_string(),
            ),
        };
        let mut x = Diagnostic::error(
            d.code,
            format!("the spec imported from {from} doesn't check: {}", d.message),
            span,
            label,
        );
        x.help = Some(format!(
            "in the spec import would write: `{line}`{}; nothing was written. This is a gap in `scalec import`: please report it with the template",
            d.help
                .as_ref()
                .map(|h| format!(" ({h})"))
                .unwrap_or_default()
        ));
        out.push(x);
    }
    out
}

/// The part of a spec at `span`, in the words of import's report:
/// `policy web/cpu`, `alarm web/full`, `group web`, `topic critical`.
fn item_at(file: &scalec::syntax::ast::File, span: scalec::source::Span) -> Option<String> {
    use scalec::syntax::ast::Item;
    let inside = |outer: scalec::source::Span| outer.start <= span.start && span.end <= outer.end;
    for item in &file.items {
        match item {
            Item::Group(g) if inside(g.span) => {
                let group = &g.name.name;
                if let Some(p) = g.policies.iter().find(|p| inside(p.span)) {
                    return Some(format!("policy {group}/{}", p.name.name));
                }
                if let Some(a) = g.alarms.iter().find(|a| inside(a.span)) {
                    return Some(format!("alarm {group}/{}", a.name.name));
                }
                if let Some(s) = g.schedules.iter().find(|s| inside(s.span)) {
                    return Some(format!("schedule {group}/{}", s.name.name));
                }
                if g.dashboards.iter().any(|d| inside(d.span)) {
                    return Some(format!("dashboard of group {group}"));
                }
                if g.properties
                    .iter()
                    .any(|p| p.key.text() == "warm_pool" && inside(p.span))
                {
                    return Some(format!("warm pool of group {group}"));
                }
                return Some(format!("group {group}"));
            }
            Item::Topic(t) if inside(t.span) => return Some(format!("topic {}", t.name.name)),
            _ => {}
        }
    }
    None
}

/// One line per resource: what it became.
fn render_entries(entries: &[Entry]) -> String {
    let mut s = String::new();
    let width = entries.iter().map(|e| e.id.len()).max().unwrap_or(0);
    for e in entries {
        let mark = if e.imported { '+' } else { '-' };
        s.push_str(&format!(
            "  {mark} {:<width$}  {:<38} {}\n",
            e.id, e.ty, e.became
        ));
    }
    s
}

/// `imported 1 group, 7 policies, ...; left out 2 resources; 1 lint`.
fn summary(entries: &[Entry], lints: usize) -> String {
    let count = |prefix: &str| {
        entries
            .iter()
            .filter(|e| e.imported && e.became.starts_with(prefix))
            .count()
    };
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let left = entries.iter().filter(|e| !e.imported).count();
    // Said only when there are some: a groups-only import reads as before.
    let targets: usize = scalec::kinds::scalable::KINDS
        .iter()
        .map(|k| k.keyword)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|k| count(&format!("{k} ")))
        .sum();
    let targets = if targets == 0 {
        String::new()
    } else {
        format!(
            ", {}",
            plural(targets, "scalable target", "scalable targets")
        )
    };
    format!(
        "imported {}{targets}, {}, {}, {}, {}, {}; left out {}; {} in the imported spec",
        plural(count("group "), "group", "groups"),
        plural(count("policy "), "policy", "policies"),
        plural(count("alarm ") + count("the alarm of"), "alarm", "alarms"),
        plural(count("topic "), "topic", "topics"),
        plural(count("schedule "), "schedule", "schedules"),
        plural(count("dashboard "), "dashboard", "dashboards"),
        plural(left, "resource", "resources"),
        plural(lints, "lint warning", "lint warnings"),
    )
}

/// Three or more groups of one pattern in `text` as a template and
/// instances, kept only when that builds the same templates; what was
/// factored: (template, parameters, groups).
fn factor(text: &mut String, format: Format) -> Vec<(String, Vec<String>, usize)> {
    let Some(f) = scalec::import::factor::factor(text) else {
        return Vec::new();
    };
    if !builds_the_same(text, &f.text) {
        if format == Format::Human {
            eprintln!(
                "note: the groups that follow one pattern are written out: as a template they would not build the same templates"
            );
        }
        return Vec::new();
    }
    *text = f.text;
    f.templates
}

/// Whether two specs build the same CloudFormation templates in every
/// environment (where each line came from aside).
fn builds_the_same(flat: &str, factored: &str) -> bool {
    use scalec::backend::cfn;
    let opts = scalec::check::Options::default();
    let a = scalec::compile("flat.scale", flat, &opts);
    let b = scalec::compile("factored.scale", factored, &opts);
    if a.has_errors() || b.has_errors() || a.spec.environments.len() != b.spec.environments.len() {
        return false;
    }
    let strip = |text: &str| -> Option<serde_json::Value> {
        let mut v: serde_json::Value = serde_json::from_str(text).ok()?;
        if let Some(rs) = v.get_mut("Resources").and_then(|r| r.as_object_mut()) {
            for r in rs.values_mut() {
                if let Some(m) = r
                    .get_mut("Metadata")
                    .and_then(|m| m.get_mut("scalec"))
                    .and_then(|m| m.as_object_mut())
                {
                    m.remove("source");
                }
            }
        }
        Some(v)
    };
    a.spec
        .environments
        .iter()
        .zip(&b.spec.environments)
        .all(|(x, y)| {
            match (
                cfn::model_to_cfn(x, &a.sources, cfn::Format::Json),
                cfn::model_to_cfn(y, &b.sources, cfn::Format::Json),
            ) {
                (Ok(p), Ok(q)) => {
                    p.stacks.len() == q.stacks.len()
                        && p.stacks.iter().zip(&q.stacks).all(|(s, t)| {
                            s.name == t.name
                                && strip(&s.text).is_some()
                                && strip(&s.text) == strip(&t.text)
                        })
                }
                _ => false,
            }
        })
}
