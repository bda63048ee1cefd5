//! `scalec test`: runs the specs' scaling tests on all cores and reports
//! them as `cargo test` does, as JSON, or as JUnit XML for CI.

use super::output::{self, Format, Problem};
use super::test_report::Ran;
use scalec::diagnostic::{Diagnostics, Severity, cli_codes};
use scalec::model::scaling_test::{Load, ScaleTest};
use scalec::model::{Environment, Group};
use scalec::sim::scaling_test::{GroupRun, run_group};
use scalec::sim::{self, Trace};
use scalec::source::SourceMap;
use std::path::{Path, PathBuf};

/// Run the scaling tests of specs.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  scalec test\n  scalec test examples/macro-ai.scale --env production\n  scalec test specs/ --filter flash --junit results.xml\n\nEvery `test` of the spec (or of each spec in DIR that declares an `app`) is simulated, in parallel, and its expectations judged. A failure says what broke, at which minute, with the values, and writes a chart of the run with the broken expectation marked into --out-dir.\nExit codes: 0 every test passed, 1 a test failed or a spec or trace has errors, 2 usage error."
)]
pub struct TestCommand {
    /// A .scale file, or a directory of them (default: the current directory).
    path: Option<PathBuf>,
    /// Only the tests of this environment.
    #[arg(long, value_name = "ENV")]
    env: Option<String>,
    /// Only the tests whose name contains this.
    #[arg(long, value_name = "NAME")]
    filter: Option<String>,
    /// Report format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Also write the results as JUnit XML here.
    #[arg(long, value_name = "FILE.xml")]
    junit: Option<PathBuf>,
    /// Where the charts of failing runs go.
    #[arg(long, value_name = "DIR", default_value = "scalec-test-output")]
    out_dir: PathBuf,
    #[command(flatten)]
    params: super::params::ParamArgs,
}

/// One test of one spec, ready to run: its groups' loads read.
struct Job<'s> {
    spec: &'s Path,
    env: &'s Environment,
    test: &'s ScaleTest,
    loads: Vec<(&'s Group, Trace, String)>,
}

impl TestCommand {
    pub fn run(self) -> i32 {
        let started = std::time::Instant::now();
        let format = self.format;
        let values = match self.params.values() {
            Ok(v) => v,
            Err(p) => return output::fail(format, &p),
        };
        let specs = match specs(self.path.as_deref()) {
            Ok(s) => s,
            Err(p) => return output::fail(format, &[p]),
        };
        let mut compiled = Vec::new();
        for path in &specs {
            let text = match super::spec::read(path) {
                Ok(t) => t,
                Err(p) => return output::fail(format, &[p]),
            };
            let opts = values.options(scalec::check::Options {
                envs: self.env.iter().cloned().collect(),
                ..Default::default()
            });
            compiled.push((
                path.clone(),
                super::compile(&path.display().to_string(), text, &opts),
            ));
        }
        // Errors stop everything, with the diagnostics; warnings and notes
        // are for `check`.
        let mut failed_check = false;
        for (_, c) in &compiled {
            if c.has_errors() {
                let mut d = Diagnostics::new();
                for x in c
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                {
                    d.push(x.clone());
                }
                output::report(format, &d, &c.sources);
                failed_check = true;
            }
        }
        if failed_check {
            return 1;
        }
        let mut sources: Vec<SourceMap> = compiled.iter().map(|(_, c)| c.sources.clone()).collect();
        let mut jobs = Vec::new();
        let mut trace_diags = false;
        for ((path, c), spec_sources) in compiled.iter().zip(sources.iter_mut()) {
            let mut traces = Traces {
                sources: spec_sources,
                files: Default::default(),
                parsed: Default::default(),
            };
            for env in &c.spec.environments {
                for t in &env.tests {
                    if self
                        .filter
                        .as_ref()
                        .is_some_and(|f| !t.name.contains(f.as_str()))
                    {
                        continue;
                    }
                    match loads(path, env, t, &mut traces) {
                        Ok(loads) => jobs.push(Job {
                            spec: path,
                            env,
                            test: t,
                            loads,
                        }),
                        Err(d) => {
                            output::report(format, &d, traces.sources);
                            trace_diags = true;
                        }
                    }
                }
            }
        }
        if trace_diags {
            return 1;
        }
        let total: usize = compiled
            .iter()
            .flat_map(|(_, c)| &c.spec.environments)
            .map(|e| e.tests.len())
            .sum();
        let filtered = total - jobs.len();
        let mut ran = run_all(&jobs, &sources, &compiled);
        // Charts of failing runs.
        for (r, job) in ran.iter_mut().zip(&jobs) {
            if let Err(p) = charts(r, job, &self.out_dir) {
                return output::fail(format, &[p]);
            }
        }
        if let Some(path) = &self.junit {
            let xml = super::test_report::junit(&ran);
            if let Err(e) = super::write_atomic(path, &xml) {
                return output::fail(format, &[Problem::cant_write(path, &e)]);
            }
        }
        let failed = ran.iter().filter(|r| !r.passed()).count();
        let text = match format {
            Format::Human => {
                super::test_report::human(&ran, filtered, started.elapsed().as_secs_f64())
            }
            Format::Json => super::test_report::json(&ran, filtered),
        };
        super::print_stdout(text.trim_end());
        if jobs.is_empty() && total == 0 {
            eprintln!(
                "warning: no `test` in {}",
                specs
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        i32::from(failed > 0)
    }
}

/// The specs `path` means: a file, or each `.scale` file of a directory
/// that declares an `app` (the others are `use`d by them).
fn specs(path: Option<&Path>) -> Result<Vec<PathBuf>, Problem> {
    let dir = match path {
        Some(p) if !p.is_dir() => return Ok(vec![p.to_path_buf()]),
        Some(p) => p.to_path_buf(),
        None => PathBuf::from("."),
    };
    let entries = std::fs::read_dir(&dir).map_err(|e| {
        Problem::new(
            cli_codes::READ,
            format!("can't list {}: {e}", dir.display()),
        )
    })?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "scale") && p.is_file())
        .filter(|p| {
            std::fs::read_to_string(p)
                .is_ok_and(|t| t.lines().any(|l| l.trim_start().starts_with("app ")))
        })
        .map(|p| p.strip_prefix("./").map(Path::to_path_buf).unwrap_or(p))
        .collect();
    found.sort();
    if found.is_empty() {
        return Err(Problem::new(
            cli_codes::READ,
            format!(
                "{} holds no spec (a `.scale` file with `app`)",
                dir.display()
            ),
        )
        .with_help("give a .scale file, or a directory holding one"));
    }
    Ok(found)
}

/// The trace files a spec's tests read: each added to the spec's sources
/// once, and parsed once per group.
struct Traces<'m> {
    sources: &'m mut SourceMap,
    files: std::collections::HashMap<PathBuf, scalec::source::FileId>,
    parsed: std::collections::HashMap<(scalec::source::FileId, String), Trace>,
}

/// Each group's load for a test: generated, or read from its trace file
/// (relative to the spec) with the group's own columns.
fn loads<'s>(
    spec: &Path,
    env: &'s Environment,
    t: &'s ScaleTest,
    traces: &mut Traces<'_>,
) -> Result<Vec<(&'s Group, Trace, String)>, Diagnostics> {
    let mut out = Vec::new();
    let groups = t
        .groups
        .iter()
        .filter_map(|n| env.groups.iter().find(|g| g.name == *n));
    match &t.load {
        Load::Generated { minutes, columns } => {
            let trace = sim::load::generate(*minutes, columns);
            for g in groups {
                out.push((g, trace.clone(), format!("test {} (generated)", t.name)));
            }
        }
        Load::Trace {
            path,
            span,
            minutes,
        } => {
            let file = spec.parent().unwrap_or(Path::new(".")).join(path);
            let name = file.display().to_string();
            // A file several tests read is read and parsed once per group.
            let id = match traces.files.get(&file) {
                Some(id) => *id,
                None => {
                    let text = std::fs::read_to_string(&file).map_err(|e| {
                        let mut d = Diagnostics::new();
                        d.push(
                            scalec::diagnostic::Diagnostic::error(
                                cli_codes::READ,
                                format!("can't read the trace `{}`: {e}", file.display()),
                                *span,
                                "this trace",
                            )
                            .with_help("the path is relative to the spec file"),
                        );
                        d
                    })?;
                    let id = traces.sources.add(name.clone(), text, false);
                    traces.files.insert(file.clone(), id);
                    id
                }
            };
            for g in groups {
                let key = (id, g.name.clone());
                let mut trace = match traces.parsed.get(&key) {
                    Some(t) => t.clone(),
                    None => {
                        let (t, _) = sim::trace::parse_for(traces.sources, id, Some(&g.name))
                            .map_err(|errors| {
                                let mut d = Diagnostics::new();
                                errors.into_iter().for_each(|e| d.push(e));
                                d
                            })?;
                        traces.parsed.insert(key, t.clone());
                        t
                    }
                };
                if let Some(m) = minutes {
                    trace.truncate(*m);
                }
                out.push((g, trace, name.clone()));
            }
        }
    }
    Ok(out)
}

/// Runs the jobs on every core, in the jobs' order.
fn run_all(
    jobs: &[Job<'_>],
    sources: &[SourceMap],
    compiled: &[(PathBuf, scalec::Compilation)],
) -> Vec<Ran> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<Ran>> = (0..jobs.len()).map(|_| None).collect();
    let done: Vec<(usize, Ran)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break };
                        let k = compiled
                            .iter()
                            .position(|(p, _)| p == job.spec)
                            .unwrap_or(0);
                        mine.push((i, run_job(job, &sources[k])));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for (i, r) in done {
        results[i] = Some(r);
    }
    results.into_iter().flatten().collect()
}

fn run_job(job: &Job<'_>, sources: &SourceMap) -> Ran {
    let started = std::time::Instant::now();
    let place = |span: scalec::source::Span| {
        let f = sources.get(span.file);
        let (line, col) = f.line_col(span.start as usize);
        format!("{}:{line}:{col}", f.name)
    };
    let runs: Vec<GroupRun> = job
        .loads
        .iter()
        .map(|(g, trace, _)| run_group(job.env, job.test, g, trace))
        .collect();
    let places = runs
        .iter()
        .map(|r| r.verdicts.iter().map(|v| place(v.origin)).collect())
        .collect();
    Ran {
        id: format!("{}/{}", job.env.name, job.test.name),
        spec: job.spec.display().to_string(),
        at: place(job.test.origin),
        runs,
        places,
        charts: Vec::new(),
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// Writes a chart of each failing run, its first broken expectation marked.
fn charts(r: &mut Ran, job: &Job<'_>, dir: &Path) -> Result<(), Problem> {
    for (run, (g, trace, name)) in r.runs.iter().zip(&job.loads) {
        let Some(v) = run.verdicts.iter().find(|v| !v.passed) else {
            continue;
        };
        let from = v.from_minute.unwrap_or(run.outcome.start_minute);
        let to = v.to_minute.unwrap_or(from + 1);
        let what = format!("{}: {}", v.expect, v.message);
        let svg = sim::svg::render_marked(&run.outcome, trace, g, name, (from, to), &what);
        let file = dir.join(format!("{}-{}-{}.svg", job.env.name, job.test.name, g.name));
        if let Err(e) = std::fs::create_dir_all(dir) {
            return Err(Problem::cant_write(dir, &e));
        }
        super::write_atomic(&file, &svg).map_err(|e| Problem::cant_write(&file, &e))?;
        r.charts.push(file.display().to_string());
    }
    Ok(())
}
