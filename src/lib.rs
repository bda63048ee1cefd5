#![doc = include_str!("../ARCHITECTURE.md")]
#![deny(unsafe_code)]
#![warn(missing_docs)]

// The grammar's generated parser names `alloc::` paths: pest is used
// without its `std` feature, whose only addition is a native stack probe on
// every rule call (a tenth of parse time without LTO). Bracket nesting is
// capped before parsing instead (`MAX_DEPTH` in `syntax/build.rs`).
extern crate alloc;

pub mod analysis;
pub mod apply;
pub mod backend;
pub mod catalog;
pub mod check;
pub mod diagnostic;
pub mod import;
pub mod kinds;
pub mod levels;
pub mod lsp;
pub mod model;
pub mod parallel;
pub mod sarif;
pub mod sim;
pub mod source;
pub mod stdlib;
pub mod suggest;
pub mod syntax;
mod uses;
pub(crate) use uses::normal as uses_normal;

use diagnostic::Diagnostics;
use source::SourceMap;

/// The result of checking one file: its sources (for rendering), the model
/// (complete only when there are no errors) and every diagnostic.
#[derive(Debug)]
pub struct Compilation {
    /// The user's file first, then the std-lib files.
    pub sources: SourceMap,
    /// The resolved model.
    pub spec: model::Spec,
    /// Everything found, errors and warnings.
    pub diagnostics: Diagnostics,
}

impl Compilation {
    /// Whether any error was found.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }
}

/// How findings are reported, apart from what is checked: the settings of
/// the behavioural lints and the command line's lint levels (`--allow`,
/// `--warn`, `--deny`, in order; they win over a spec's `lints { ... }`).
#[derive(Debug, Clone, Default)]
pub struct Reporting {
    /// Settings of the behavioural lints.
    pub lints: analysis::LintOptions,
    /// Lint levels from the command line.
    pub levels: Vec<(String, levels::Level)>,
}

/// Parses and checks one `.scale` file together with the std-lib.
/// Does no I/O: the caller reads the file.
pub fn compile(name: &str, text: &str, opts: &check::Options) -> Compilation {
    compile_keeping_trees(name, text, opts).0
}

/// [`compile_keeping_trees`], its findings reported as `reporting` says.
pub fn compile_reporting(
    name: &str,
    text: impl Into<String>,
    opts: &check::Options,
    reporting: &Reporting,
) -> (Compilation, Vec<(source::FileId, syntax::ast::File)>) {
    compile_parsing_with(
        name,
        text.into(),
        (opts, reporting),
        syntax::source_to_ast,
        None,
    )
}

/// [`compile`], also returning every file's syntax tree (the user's first,
/// then the std-lib's), for tools that answer questions about the text.
/// The text is kept in the result's sources: given a `String`, it is moved
/// there rather than copied.
pub fn compile_keeping_trees(
    name: &str,
    text: impl Into<String>,
    opts: &check::Options,
) -> (Compilation, Vec<(source::FileId, syntax::ast::File)>) {
    compile_reporting(name, text, opts, &Reporting::default())
}

/// The spec written out (`scalec debug expand`): templates and `for_each`
/// expanded, the used files' declarations brought in, as one formatted
/// file that compiles to the same model. A spec with errors gives its
/// compilation instead.
pub fn expand_text(
    name: &str,
    text: &str,
    opts: &check::Options,
) -> Result<String, Box<Compilation>> {
    let (c, trees) = compile_keeping_trees(name, text.to_string(), opts);
    if c.has_errors() {
        return Err(Box::new(c));
    }
    let refs: Vec<(source::FileId, &syntax::ast::File)> =
        trees.iter().map(|(id, t)| (*id, t)).collect();
    let mut ignored = Diagnostics::new();
    let (expanded, _) = check::expand::expand(&refs, &c.sources, &mut ignored);
    let user = |id: source::FileId| !c.sources.get(id).is_std;
    let main = expanded.first().map(|(id, _)| *id);
    let mut items: Vec<&syntax::ast::Item> = Vec::new();
    // The app first, then what the used files declare, then the rest.
    for (id, f) in &expanded {
        if Some(*id) == main {
            items.extend(
                f.items
                    .iter()
                    .filter(|i| matches!(i, syntax::ast::Item::App(_))),
            );
        }
    }
    for (id, f) in &expanded {
        if user(*id) && Some(*id) != main {
            items.extend(f.items.iter());
        }
    }
    for (id, f) in &expanded {
        if Some(*id) == main {
            items.extend(
                f.items
                    .iter()
                    .filter(|i| !matches!(i, syntax::ast::Item::App(_))),
            );
        }
    }
    let raw = syntax::unparse::items(&items);
    Ok(syntax::format::format(&raw, source::FileId(0)).unwrap_or(raw))
}

/// A compilation and every file's syntax tree (the user's first, then the
/// std-lib's): what [`compile_keeping_trees`] returns, shared.
pub struct Compiled {
    /// Model, diagnostics and sources.
    pub comp: Compilation,
    /// Every file's tree.
    pub trees: Vec<(source::FileId, syntax::ast::File)>,
}

/// What [`compile_incrementally`] keeps from one call to the next: the
/// last result (shared with the caller, not copied), and where its items
/// and each environment's groups are in it.
#[derive(Default)]
pub struct CompileCache {
    items: syntax::ItemCache,
    groups: check::GroupCache,
    last: Option<std::sync::Arc<Compiled>>,
}

impl CompileCache {
    /// An empty cache.
    pub fn new() -> CompileCache {
        CompileCache::default()
    }
}

/// [`compile_keeping_trees`] for a text checked again and again (the
/// language server): the top-level items unchanged since the last call
/// with this `cache` are copied from its trees rather than parsed, and
/// while nothing outside the groups changed, the unchanged groups are
/// copied from its model rather than lowered. Gives what
/// [`compile_keeping_trees`] gives.
pub fn compile_incrementally(
    name: &str,
    text: &str,
    opts: &check::Options,
    cache: &mut CompileCache,
) -> std::sync::Arc<Compiled> {
    // Taken out while in use: if this call doesn't finish, the cache is
    // empty rather than out of step with `last`.
    let CompileCache {
        mut items,
        mut groups,
        last,
    } = std::mem::take(cache);
    let last_tree = |id: source::FileId| {
        last.as_ref()
            .and_then(|l| l.trees.iter().find(|(i, _)| *i == id))
            .map(|(_, t)| t)
    };
    let (comp, trees) = compile_parsing_with(
        name,
        text.to_string(),
        (opts, &Reporting::default()),
        |sources, id| items.parse(&sources.get(id).text, id, last_tree(id)),
        Some((&mut groups, last.as_ref().map(|l| &l.comp.spec))),
    );
    let compiled = std::sync::Arc::new(Compiled { comp, trees });
    *cache = CompileCache {
        items,
        groups,
        last: Some(std::sync::Arc::clone(&compiled)),
    };
    compiled
}

/// [`compile_keeping_trees`], each file parsed by `parse`, groups lowered
/// through `groups` if given.
fn compile_parsing_with(
    name: &str,
    text: String,
    (opts, reporting): (&check::Options, &Reporting),
    mut parse: impl FnMut(&SourceMap, source::FileId) -> (syntax::ast::File, Diagnostics),
    groups: Option<(&mut check::GroupCache, Option<&model::Spec>)>,
) -> (Compilation, Vec<(source::FileId, syntax::ast::File)>) {
    let mut sources = SourceMap::new();
    let user = sources.add(name, text, false);
    let std_ids: Vec<_> = stdlib::FILES
        .iter()
        .map(|(n, t)| sources.add(*n, *t, true))
        .collect();
    let mut diagnostics = Diagnostics::new();
    let mut asts = Vec::new();
    for id in std::iter::once(user).chain(std_ids) {
        let (ast, d) = parse(&sources, id);
        diagnostics.extend(d);
        asts.push((id, ast));
    }
    // The files the user's `use`, and theirs, after the std-lib's.
    uses::load(
        &mut sources,
        &mut asts,
        user,
        opts,
        &mut diagnostics,
        &mut parse,
    );
    let refs: Vec<_> = asts.iter().map(|(id, a)| (*id, a)).collect();
    let (spec, d) = check::ast_to_model_cached(&refs, &sources, opts, groups);
    diagnostics.extend(d);
    if !diagnostics.has_errors() {
        diagnostics.extend(analysis::lint_spec(&spec, &reporting.lints));
        // What a backend refuses, though the spec is one `apply` takes.
        for env in &spec.environments {
            for d in backend::cfn::refusals(env).iter() {
                let mut d = d.clone();
                d.severity = diagnostic::Severity::Warning;
                d.message = format!(
                    "{} (`scalec build` stops here; `apply` takes it)",
                    d.message
                );
                diagnostics.push(d);
            }
        }
    }
    if !diagnostics.has_errors()
        && let Some(note) = check::desired_note(&refs)
    {
        diagnostics.push(note);
    }
    levels::apply(&refs, &sources, &reporting.levels, &mut diagnostics);
    drop(refs);
    (
        Compilation {
            sources,
            spec,
            diagnostics,
        },
        asts,
    )
}
