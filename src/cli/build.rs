//! `scalec build`: CloudFormation templates.

use super::output::Problem;
use scalec::backend::cfn::{self, Format};
use scalec::diagnostic::{Diagnostics, Severity};
use scalec::source::Span;
use std::path::{Path, PathBuf};

/// Compile environments to CloudFormation templates.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  scalec build --env production\n  scalec build examples/macro-ai.scale --env production\n  scalec build app.scale --env staging -o staging.json --param subnets=subnet-0a1b2c3d,subnet-4e5f6a7b\n  scalec build app.scale --all-envs --out-dir cfn/ --format yaml\n\nWith --out-dir, scalec writes DIR/ENV/STACK.json for every stack and DIR/manifest.json with stack names, groups, files, parameters and deploy order. When DIR already holds a manifest, every group stays in the stack it was in; a group that must move (a replacement in CloudFormation) is reported before anything is written.\nAn environment over CloudFormation's limits (500 resources, 1 MB) becomes a shared stack plus one stack per group."
)]
pub struct BuildCommand {
    /// The .scale file, or a directory holding it (default: the current directory).
    file: Option<PathBuf>,
    /// Environment(s) to build.
    #[arg(long = "env", value_name = "ENV", required_unless_present = "all_envs")]
    envs: Vec<String>,
    /// Build every environment (needs --out-dir).
    #[arg(long, conflicts_with = "envs", requires = "out_dir")]
    all_envs: bool,
    /// Write the template here instead of stdout (one environment, one stack).
    #[arg(
        short = 'o',
        long = "output",
        value_name = "PATH",
        conflicts_with = "out_dir"
    )]
    output: Option<PathBuf>,
    /// Write every stack and a manifest.json into this folder.
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// Template format.
    #[arg(long, value_enum, default_value = "json")]
    format: TemplateFormat,
    #[command(flatten)]
    params: super::params::ParamArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum TemplateFormat {
    Json,
    Yaml,
}

impl BuildCommand {
    pub fn run(self) -> i32 {
        let found = super::spec::locate(self.file.as_deref())
            .and_then(|path| super::spec::read(&path).map(|text| (path, text)));
        let (path, text) = match found {
            Ok(x) => x,
            Err(p) => return super::output::fail(super::output::Format::Human, &[p]),
        };
        if !self.all_envs && self.envs.len() > 1 && self.out_dir.is_none() {
            eprintln!("error: building several environments needs --out-dir");
            return 2;
        }
        let format = match self.format {
            TemplateFormat::Json => Format::Json,
            TemplateFormat::Yaml => Format::Yaml,
        };
        let source = path.display().to_string();
        let values = match self.params.values() {
            Ok(v) => v,
            Err(p) => return super::output::fail(super::output::Format::Human, &p),
        };
        let opts = values.options(scalec::check::Options {
            envs: if self.all_envs {
                vec![]
            } else {
                self.envs.clone()
            },
            ..Default::default()
        });
        let c = super::compile(&source, text, &opts);
        let c = std::mem::ManuallyDrop::new(c);
        let report = |d: &Diagnostics| {
            super::output::report(super::output::Format::Human, d, &c.sources);
        };
        if c.diagnostics.count(Severity::Error) > 0 {
            report(&c.diagnostics);
            return 1;
        }
        // `check`'s warnings of what the template refuses become the
        // build's errors below: each is said once, as the error.
        let refused: Vec<(&str, Span)> = c
            .spec
            .environments
            .iter()
            .flat_map(|e| cfn::refusals(e).into_vec())
            .map(|d| (d.code, d.span()))
            .collect();
        let mut shown = Diagnostics::new();
        for d in c.diagnostics.iter() {
            if !refused.contains(&(d.code, d.span())) {
                shown.push(d.clone());
            }
        }
        report(&shown);
        // With --out-dir, the last build's manifest keeps groups in their stacks.
        let previous = match &self.out_dir {
            Some(dir) => match read_previous(dir) {
                Ok(p) => p,
                Err(problem) => {
                    return super::output::fail(super::output::Format::Human, &[problem]);
                }
            },
            None => Default::default(),
        };
        // Environments are independent: build them in parallel.
        let results = scalec::parallel::map(&c.spec.environments, |env| {
            cfn::build_env(env, &c.sources, format, previous.get(&env.name))
        });
        let mut builds = Vec::new();
        let mut failed = Diagnostics::new();
        for r in results {
            match r {
                Ok(b) => builds.push(b),
                Err(d) => failed.extend(d),
            }
        }
        // Freeing the templates at exit is wasted work.
        let builds = std::mem::ManuallyDrop::new(builds);
        if !failed.is_empty() {
            report(&failed);
            return 1;
        }
        // Moves and emptied stacks, said before anything is written.
        let mut notices = Diagnostics::new();
        for b in builds.iter() {
            notices.extend(b.notices.clone());
        }
        report(&notices);
        if let Some(dir) = &self.out_dir {
            return write_dir(dir, &source, &c.spec.app, &builds, format);
        }
        let Some(build) = builds.first() else {
            return 1;
        };
        if build.stacks.len() != 1 {
            let mut d = Diagnostics::new();
            d.push(
                scalec::diagnostic::Diagnostic::error(
                    cfn::error::NEEDS_SPLIT,
                    format!(
                        "environment `{}` needs {} stacks to stay within CloudFormation's limits",
                        build.env,
                        build.stacks.len()
                    ),
                    c.spec.environments[0].origin,
                    "too large for one template",
                )
                .with_help("write all stacks and a manifest with `--out-dir DIR`"),
            );
            report(&d);
            return 1;
        }
        let text = &build.stacks[0].text;
        match &self.output {
            Some(path) => match super::write_if_changed(path, text) {
                Ok(wrote) => {
                    eprintln!(
                        "{} {} ({} resources)",
                        if wrote { "wrote" } else { "up to date:" },
                        path.display(),
                        build.stacks[0].resources
                    );
                    0
                }
                Err(e) => super::output::fail(
                    super::output::Format::Human,
                    &[Problem::cant_write(path, &e)],
                ),
            },
            None => {
                super::print_stdout(text.trim_end());
                0
            }
        }
    }
}

/// The placements of the last build into `dir`, if it left a manifest.
fn read_previous(
    dir: &Path,
) -> Result<std::collections::BTreeMap<String, cfn::placement::Previous>, Problem> {
    let path = dir.join("manifest.json");
    if !path.exists() {
        return Ok(Default::default());
    }
    let text = super::spec::read(&path)?;
    cfn::previous_placements(&text).map_err(|e| {
        Problem::new(
            cfn::error::MANIFEST,
            format!("{} is not a manifest scalec can read: {e}", path.display()),
        )
        .with_help(
            "it tells scalec which stack each group is in; restore it, or delete it to place groups afresh (deployed groups may then move stacks)",
        )
        .in_file(&path)
    })
}

/// Writes one environment's templates, leaving those already up to date
/// alone; returns its manifest entry and how many were up to date.
fn write_env(
    dir: &Path,
    b: &cfn::Build,
    format: Format,
) -> Result<(cfn::ManifestEnv, usize), Problem> {
    let mut stacks = Vec::new();
    let mut unchanged = 0;
    for s in &b.stacks {
        let rel = format!("{}/{}.{}", b.env, s.name, format.extension());
        let path = dir.join(&rel);
        let wrote =
            super::write_if_changed(&path, &s.text).map_err(|e| Problem::cant_write(&path, &e))?;
        if !wrote {
            unchanged += 1;
        }
        stacks.push(cfn::ManifestStack {
            order: if s.depends_on.is_empty() { 1 } else { 2 },
            name: s.name.clone(),
            template: rel,
            depends_on: s.depends_on.clone(),
            groups: s.groups.clone(),
            parameters: s.parameters.clone(),
            resources: s.resources,
            bytes: s.text.len(),
        });
    }
    Ok((
        cfn::ManifestEnv {
            name: b.env.clone(),
            region: b.region.clone(),
            stacks,
        },
        unchanged,
    ))
}

fn write_dir(dir: &Path, source: &str, app: &str, builds: &[cfn::Build], format: Format) -> i32 {
    // Every environment built; now write them, one thread each.
    let written = scalec::parallel::map(builds, |b| write_env(dir, b, format));
    let mut envs = Vec::new();
    let mut unchanged = 0;
    for w in written {
        match w {
            Ok((e, same)) => {
                envs.push(e);
                unchanged += same;
            }
            Err(p) => return super::output::fail(super::output::Format::Human, &[p]),
        }
    }
    let manifest = cfn::Manifest {
        app: app.to_string(),
        source: source.to_string(),
        generator: format!("scalec {}", env!("CARGO_PKG_VERSION")),
        desired_capacity: cfn::DESIRED_CAPACITY_POLICY,
        environments: envs,
    };
    let text = serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n";
    let path = dir.join("manifest.json");
    if let Err(e) = super::write_if_changed(&path, &text) {
        return super::output::fail(
            super::output::Format::Human,
            &[Problem::cant_write(&path, &e)],
        );
    }
    let stacks: usize = builds.iter().map(|b| b.stacks.len()).sum();
    if unchanged == 0 {
        eprintln!(
            "wrote {stacks} template(s) for {} environment(s) and {}",
            builds.len(),
            path.display()
        );
    } else {
        eprintln!(
            "wrote {} template(s) for {} environment(s); {unchanged} were already up to date ({})",
            stacks - unchanged,
            builds.len(),
            path.display()
        );
    }
    0
}
