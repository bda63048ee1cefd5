//! Expanding templates and `for_each`: every group written out, as if by
//! hand, before it is checked.
//!
//! A group `from` a template gets the template's settings and members (its
//! own `extends` chain first), with `arg.NAME` replaced by the argument's
//! expression; the group's own settings win, `override` replaces a member
//! of the same kind and name, `remove` leaves one out. A group with a
//! `for_each` list or map becomes one group per key, `NAME_KEY`, with
//! `each.key` and `each.value` replaced; where environments give different
//! lists, a group is `enabled` only in those whose list has its key.
//!
//! The expanded tree keeps every span where its text is: a template's
//! member points into the template, an argument into the instance. So the
//! checker's diagnostics land in the right file, and [`Origins`] adds the
//! other end ("instantiated here", "from template `service`").

use super::error as codes;
use crate::diagnostic::{Diagnostic, Diagnostics, Label};
use crate::source::{FileId, SourceMap, Span};
use crate::suggest;
use crate::syntax::ast::*;
use std::collections::HashMap;

/// The kinds of value a template parameter may be declared with, besides
/// the param types (`string`, `subnet_id`, `list<...>`...).
pub const TEMPLATE_TYPES: &[&str] = &[
    "number", "percent", "duration", "rate", "bytes", "bool", "capacity", "metric", "value",
];

/// Where a template is first instantiated, and by which group.
type Instance = (Span, String);

/// Where expanded groups came from: what diagnostics inside a template or
/// an argument are told.
#[derive(Debug, Default, Clone)]
pub struct Origins {
    /// A template's declaration, its name, and the first group made from it.
    templates: Vec<(Span, String, Option<Instance>)>,
    /// An argument's value, the template and the parameter it fills.
    args: Vec<(Span, String, Span)>,
}

impl Origins {
    /// Adds the other end of each diagnostic that points into a template
    /// (where it is instantiated) or into an argument (the parameter).
    pub fn label(&self, diags: Diagnostics) -> Diagnostics {
        if self.templates.is_empty() {
            return diags;
        }
        let mut out = Diagnostics::new();
        for mut d in diags.into_vec() {
            let at = d.span();
            let has = |d: &Diagnostic, s: Span| d.labels.iter().any(|l| l.span == s);
            if let Some((_, name, Some((inst, group)))) = self
                .templates
                .iter()
                .find(|(s, _, _)| s.file == at.file && s.start <= at.start && at.end <= s.end)
            {
                if has(&d, *inst) {
                    out.push(d);
                    continue;
                }
                d.labels.push(Label {
                    span: *inst,
                    message: format!("template `{name}` is instantiated here, by group `{group}`"),
                });
            } else if let Some((_, name, param)) = self
                .args
                .iter()
                .find(|(s, _, _)| s.file == at.file && s.start <= at.start && at.end <= s.end)
            {
                if has(&d, *param) {
                    out.push(d);
                    continue;
                }
                d.labels.push(Label {
                    span: *param,
                    message: format!("this value fills this parameter of template `{name}`"),
                });
            }
            out.push(d);
        }
        out
    }
}

/// Whether a spec needs expanding: templates, `use`, `from` or `for_each`.
pub fn needed(files: &[(FileId, &File)]) -> bool {
    files.iter().any(|(_, f)| {
        f.items.iter().any(|i| match i {
            Item::Template(_) | Item::Use(_) => true,
            Item::Group(g) => g.from.is_some() || for_each_of(g).is_some(),
            _ => false,
        })
    })
}

fn for_each_of(g: &GroupDecl) -> Option<&Property> {
    g.properties.iter().find(|p| p.key.text() == "for_each")
}

/// The files with every group written out, templates and uses dropped.
pub fn expand(
    files: &[(FileId, &File)],
    sources: &SourceMap,
    diags: &mut Diagnostics,
) -> (Vec<(FileId, File)>, Origins) {
    let mut templates: HashMap<&str, &TemplateDecl> = HashMap::new();
    for (_, f) in files {
        for item in &f.items {
            if let Item::Template(t) = item {
                let name = t.body.name.name.as_str();
                if let Some(first) = templates.get(name) {
                    diags.push(
                        Diagnostic::error(
                            codes::DUPLICATE,
                            format!("the template `{name}` is declared twice"),
                            t.body.name.span,
                            "declared again here",
                        )
                        .with_label(first.body.name.span, "first declared here")
                        .with_help("rename or remove one of the two templates"),
                    );
                } else {
                    templates.insert(name, t);
                }
            }
        }
    }
    let envs = Envs::new(files, sources);
    let mut x = Expander {
        templates,
        envs,
        diags,
        origins: Origins::default(),
        first_use: HashMap::new(),
        cycles: Default::default(),
    };
    let mut out = Vec::new();
    for (id, f) in files {
        let mut items = Vec::new();
        for item in &f.items {
            match item {
                Item::Template(t) => x.check_template(t),
                Item::Use(_) => {}
                Item::Group(g) => {
                    for g in x.group(g) {
                        items.push(Item::Group(g));
                    }
                }
                other => items.push(other.clone()),
            }
        }
        out.push((*id, File { items }));
    }
    let mut origins = x.origins;
    for (name, t) in &x.templates {
        origins
            .templates
            .push((t.span, name.to_string(), x.first_use.get(name).cloned()));
    }
    origins.templates.sort_by_key(|(s, _, _)| *s);
    (out, origins)
}

/// The environments and presets, to read `for_each = env.NAME`.
struct Envs<'a> {
    envs: Vec<&'a EnvDecl>,
    presets: HashMap<String, &'a EnvDecl>,
}

impl<'a> Envs<'a> {
    fn new(files: &[(FileId, &'a File)], sources: &SourceMap) -> Envs<'a> {
        let mut envs = Vec::new();
        let mut presets = HashMap::new();
        for (id, f) in files {
            let is_std = sources.get(*id).is_std;
            for item in &f.items {
                match item {
                    Item::Environment(e) if !is_std => envs.push(e),
                    Item::Preset(p) => {
                        let key = if is_std {
                            format!("std.{}", p.name.name)
                        } else {
                            p.name.name.clone()
                        };
                        presets.insert(key, p);
                    }
                    _ => {}
                }
            }
        }
        Envs { envs, presets }
    }

    /// The value an environment gives `key`, its `extends` chain included.
    fn lookup(&self, env: &'a EnvDecl, key: &str, depth: usize) -> Option<&'a Expr> {
        if depth > 16 {
            return None;
        }
        if let Some(p) = env
            .body
            .properties
            .iter()
            .rev()
            .find(|p| p.key.text() == key)
        {
            return Some(&p.value);
        }
        for base in env.extends.iter().rev() {
            let name = base.dotted();
            let decl = self
                .presets
                .get(name.as_ref())
                .copied()
                .or_else(|| self.envs.iter().copied().find(|e| e.name.name == name));
            if let Some(v) = decl.and_then(|d| self.lookup(d, key, depth + 1)) {
                return Some(v);
            }
        }
        None
    }
}

/// One key of a `for_each`: its name, where it is written, and its value
/// in each environment that has it (all of them: `None`).
struct EachKey {
    name: String,
    span: Span,
    values: Vec<(Option<String>, Expr)>,
}

struct Expander<'a, 'd> {
    templates: HashMap<&'a str, &'a TemplateDecl>,
    envs: Envs<'a>,
    diags: &'d mut Diagnostics,
    origins: Origins,
    first_use: HashMap<&'a str, (Span, String)>,
    /// Circles already reported, by their sorted names.
    cycles: std::collections::HashSet<Vec<String>>,
}

impl<'a> Expander<'a, '_> {
    /// A template's own declaration: its defaults' types, its `extends`.
    fn check_template(&mut self, t: &'a TemplateDecl) {
        for p in &t.params {
            if let Some(d) = &p.default {
                self.check_type(p, d, &t.body.name.name);
            }
        }
        if let Some(call) = &t.extends {
            let mut chain = vec![t.body.name.name.clone()];
            // Only the chain and the base's name are checked here; the
            // members are checked in each group made from it.
            let _ = self.instantiate(call, &mut chain, None);
        }
    }

    /// The groups one declaration becomes.
    fn group(&mut self, g: &'a GroupDecl) -> Vec<GroupDecl> {
        let Some(fe) = for_each_of(g) else {
            return self.written_out(g, None).into_iter().collect();
        };
        let Some(keys) = self.keys(fe) else {
            return Vec::new();
        };
        let mut seen: HashMap<String, Span> = HashMap::new();
        let mut out = Vec::new();
        for key in keys {
            if let Some(first) = seen.get(&key.name) {
                self.diags.push(
                    Diagnostic::error(
                        codes::FOR_EACH,
                        format!("the key `{}` is given twice", key.name),
                        key.span,
                        "given again here",
                    )
                    .with_label(*first, "first given here")
                    .with_help("each key makes one group: give each once"),
                );
                continue;
            }
            seen.insert(key.name.clone(), key.span);
            if let Some(g) = self.written_out(g, Some(&key)) {
                out.push(g);
            }
        }
        out
    }

    /// The keys of a `for_each`, in each environment.
    fn keys(&mut self, fe: &'a Property) -> Option<Vec<EachKey>> {
        let envs: Vec<&'a EnvDecl> = self.envs.envs.clone();
        let per_env = depends_on_env(&fe.value) && !envs.is_empty();
        let mut keys: Vec<EachKey> = Vec::new();
        let targets: Vec<Option<&'a EnvDecl>> = if per_env {
            envs.iter().map(|e| Some(*e)).collect()
        } else {
            vec![None]
        };
        for env in &targets {
            let pairs = self.eval_keys(&fe.value, *env, 0)?;
            for (name, span, value) in pairs {
                if !valid_key(&name) {
                    self.diags.push(
                        Diagnostic::error(
                            codes::FOR_EACH,
                            format!("the key `{name}` can't be part of a group's name"),
                            span,
                            "not a name",
                        )
                        .with_help(format!(
                            "keys are letters, digits and `_`, as names are: `{}`",
                            name.chars()
                                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                                .collect::<String>()
                        )),
                    );
                    continue;
                }
                let env_name = env.map(|e| e.name.name.clone());
                match keys.iter_mut().find(|k| k.name == name) {
                    Some(k) if per_env => k.values.push((env_name, value)),
                    Some(k) => {
                        // A literal list giving a key twice.
                        self.diags.push(
                            Diagnostic::error(
                                codes::FOR_EACH,
                                format!("the key `{name}` is given twice"),
                                span,
                                "given again here",
                            )
                            .with_label(k.span, "first given here")
                            .with_help("each key makes one group: give each once"),
                        );
                    }
                    None => keys.push(EachKey {
                        name,
                        span,
                        values: vec![(env_name, value)],
                    }),
                }
            }
        }
        Some(keys)
    }

    /// `[a, b]`, `{ a = 1 }`, `env.NAME` or `match env { ... }` of them,
    /// in one environment: (key, where, value).
    fn eval_keys(
        &mut self,
        e: &'a Expr,
        env: Option<&'a EnvDecl>,
        depth: usize,
    ) -> Option<Vec<(String, Span, Expr)>> {
        let bad = |diags: &mut Diagnostics, e: &Expr, why: &str| {
            diags.push(
                Diagnostic::error(
                    codes::FOR_EACH,
                    format!("`for_each` takes a list of names or a map, {why}"),
                    e.span,
                    "not a list or map written in the spec",
                )
                .with_help(
                    "write `for_each = [\"emails\", \"reports\"]`, a map `{ emails = 2 }`, or `env.NAME` \
                     naming one in each environment",
                ),
            );
        };
        if depth > 16 {
            bad(self.diags, e, "and this one refers to itself");
            return None;
        }
        match &e.kind {
            ExprKind::List { items } => {
                let mut out = Vec::new();
                for i in items {
                    match &i.kind {
                        ExprKind::String { value } => out.push((value.clone(), i.span, i.clone())),
                        ExprKind::Path { path } if path.segments.len() == 1 => {
                            let s = Expr {
                                kind: ExprKind::String {
                                    value: path.dotted().into_owned(),
                                },
                                span: i.span,
                            };
                            out.push((path.dotted().into_owned(), i.span, s));
                        }
                        _ => {
                            bad(self.diags, i, "and this item is not a name");
                            return None;
                        }
                    }
                }
                Some(out)
            }
            ExprKind::Object { block } => Some(
                block
                    .properties
                    .iter()
                    .map(|p| (p.key.text().into_owned(), p.key.span(), p.value.clone()))
                    .collect(),
            ),
            ExprKind::Path { path }
                if path.segments.len() == 2 && path.segments[0].name == "env" =>
            {
                let key = &path.segments[1].name;
                let Some(env) = env else {
                    bad(self.diags, e, "and the spec has no environment to give it");
                    return None;
                };
                match self.envs.lookup(env, key, 0) {
                    Some(v) => self.eval_keys(v, Some(env), depth + 1),
                    None => {
                        self.diags.push(
                            Diagnostic::error(
                                codes::FOR_EACH,
                                format!("environment `{}` gives no `{key}`", env.name.name),
                                e.span,
                                "read here",
                            )
                            .with_label(env.name.span, "this environment")
                            .with_help(format!(
                                "set `{key} = [...]` in environment `{}` (or `[]` for none)",
                                env.name.name
                            )),
                        );
                        None
                    }
                }
            }
            ExprKind::Match { arms, .. } => {
                let Some(env) = env else {
                    bad(self.diags, e, "and the spec has no environment to match");
                    return None;
                };
                let arm = arms
                    .iter()
                    .find(|a| {
                        a.patterns
                            .iter()
                            .any(|p| p.as_ref().is_some_and(|p| p.name == env.name.name))
                    })
                    .or_else(|| arms.iter().find(|a| a.patterns.iter().any(Option::is_none)))?;
                self.eval_keys(&arm.value, Some(env), depth + 1)
            }
            _ => {
                bad(self.diags, e, "not this");
                None
            }
        }
    }

    /// One group written out: its template's members under its own, and
    /// one `for_each` key's values in place of `each.*`.
    fn written_out(&mut self, g: &'a GroupDecl, key: Option<&EachKey>) -> Option<GroupDecl> {
        let mut own = g.clone();
        own.properties.retain(|p| p.key.text() != "for_each");
        let mut out = match &g.from {
            Some(call) => {
                let mut chain = Vec::new();
                let base = self.instantiate(call, &mut chain, Some(&g.name))?;
                merge(base, own, self.diags)
            }
            None => {
                self.stray_overrides(&own);
                own.overrides.clear();
                own.removes.clear();
                own
            }
        };
        out.from = None;
        if let Some(key) = key {
            out.name = Ident {
                name: format!("{}_{}", g.name.name, key.name),
                span: key.span,
            };
            let all = key.values.iter().all(|(e, _)| e.is_none());
            let value = if all || key.values.len() == 1 && self.envs.envs.len() <= 1 {
                key.values[0].1.clone()
            } else {
                per_env_value(&key.values, key.span)
            };
            let k = Expr {
                kind: ExprKind::String {
                    value: key.name.clone(),
                },
                span: key.span,
            };
            subst_group(&mut out, &|p: &Path| {
                if p.segments.len() == 2 && p.segments[0].name == "each" {
                    match p.segments[1].name.as_str() {
                        "key" => return Some(k.clone()),
                        "value" => return Some(value.clone()),
                        _ => {}
                    }
                }
                None
            });
            if !all {
                let envs: Vec<&str> = key
                    .values
                    .iter()
                    .filter_map(|(e, _)| e.as_deref())
                    .collect();
                if envs.len() < self.envs.envs.len() {
                    out.properties.push(enabled_in(&envs, key.span));
                }
            }
        }
        Some(out)
    }

    /// `override`/`remove` in a group not made from a template.
    fn stray_overrides(&mut self, g: &GroupDecl) {
        for r in g.overrides.iter().chain(&g.removes) {
            self.diags.push(
                Diagnostic::error(
                    codes::TEMPLATE_MEMBER,
                    format!(
                        "group `{}` is not made from a template: there is no {} `{}` to replace",
                        g.name.name, r.kind.name, r.name.name
                    ),
                    r.span,
                    "nothing to replace",
                )
                .with_help(format!(
                    "make the group from a template (`group {} from NAME(...)`), or drop `override`/`remove`",
                    g.name.name
                )),
            );
        }
    }

    /// A template's body with its arguments in place: its base's first.
    fn instantiate(
        &mut self,
        call: &TemplateCall,
        chain: &mut Vec<String>,
        group: Option<&Ident>,
    ) -> Option<GroupDecl> {
        let name = call.name.name.as_str();
        let Some(t) = self.templates.get(name).copied() else {
            let help = suggest::did_you_mean(name, self.templates.keys().copied())
                .unwrap_or_else(|| {
                    if self.templates.is_empty() {
                        "declare it with `template NAME(...) { ... }`, here or in a file this one `use`s".into()
                    } else {
                        format!(
                            "the templates are {}",
                            suggest::quoted_list(sorted(self.templates.keys().copied()))
                        )
                    }
                });
            self.diags.push(
                Diagnostic::error(
                    codes::TEMPLATE_UNKNOWN,
                    format!("there is no template `{name}`"),
                    call.name.span,
                    "not a template",
                )
                .with_help(help),
            );
            return None;
        };
        if chain.iter().any(|c| c == name) {
            let mut names = chain.clone();
            let mut key = names.clone();
            key.sort();
            if !self.cycles.insert(key) {
                return None;
            }
            names.push(name.to_string());
            self.diags.push(
                Diagnostic::error(
                    codes::TEMPLATE_CYCLE,
                    format!(
                        "templates extend each other in a circle: {}",
                        names.join(" -> ")
                    ),
                    call.name.span,
                    "back to the start",
                )
                .with_label(t.body.name.span, format!("template `{name}`"))
                .with_help("a template may build on another only if that one doesn't build on it"),
            );
            return None;
        }
        if let Some(g) = group {
            self.first_use
                .entry(name_of(t))
                .or_insert((call.span, g.name.clone()));
        }
        let args = self.bind(t, call)?;
        chain.push(name.to_string());
        let mut body = t.body.clone();
        let replace = |p: &Path| -> Option<Expr> {
            if p.segments.len() == 2 && p.segments[0].name == "arg" {
                return args.get(p.segments[1].name.as_str()).cloned();
            }
            None
        };
        subst_group(&mut body, &replace);
        let out = match &t.extends {
            Some(base_call) => {
                let mut base_call = base_call.clone();
                for a in &mut base_call.args {
                    subst_expr(&mut a.value, &replace);
                }
                let base = self.instantiate(&base_call, chain, group);
                chain.pop();
                merge(base?, body, self.diags)
            }
            None => {
                chain.pop();
                self.stray_overrides(&body);
                body.overrides.clear();
                body.removes.clear();
                body
            }
        };
        Some(out)
    }

    /// Each parameter's value: the argument, else the default.
    fn bind(&mut self, t: &'a TemplateDecl, call: &TemplateCall) -> Option<HashMap<&'a str, Expr>> {
        let tname = t.body.name.name.as_str();
        let mut out = HashMap::new();
        let mut ok = true;
        for a in &call.args {
            let an = a.key.text();
            let Some(p) = t.params.iter().find(|p| p.name.name == an) else {
                let names = t.params.iter().map(|p| p.name.name.as_str());
                let help = suggest::did_you_mean(&an, names.clone()).unwrap_or_else(|| {
                    if t.params.is_empty() {
                        format!("template `{tname}` takes no arguments")
                    } else {
                        format!("its parameters are {}", suggest::quoted_list(names))
                    }
                });
                self.diags.push(
                    Diagnostic::error(
                        codes::TEMPLATE_ARGUMENT,
                        format!("template `{tname}` has no parameter `{an}`"),
                        a.key.span(),
                        "not a parameter",
                    )
                    .with_label(t.body.name.span, format!("template `{tname}`"))
                    .with_help(help),
                );
                ok = false;
                continue;
            };
            if out.contains_key(p.name.name.as_str()) {
                self.diags.push(
                    Diagnostic::error(
                        codes::TEMPLATE_ARGUMENT,
                        format!("`{an}` is given twice"),
                        a.key.span(),
                        "given again here",
                    )
                    .with_help("give each argument once"),
                );
                continue;
            }
            ok &= self.check_type(p, &a.value, tname);
            self.origins
                .args
                .push((a.value.span, tname.to_string(), p.span));
            out.insert(p.name.name.as_str(), a.value.clone());
        }
        for p in &t.params {
            if out.contains_key(p.name.name.as_str()) {
                continue;
            }
            match &p.default {
                Some(d) => {
                    out.insert(p.name.name.as_str(), d.clone());
                }
                None => {
                    self.diags.push(
                        Diagnostic::error(
                            codes::TEMPLATE_ARGUMENT,
                            format!("template `{tname}` needs `{}`", p.name.name),
                            call.span,
                            format!("`{}` is missing", p.name.name),
                        )
                        .with_label(p.span, "declared here, without a default")
                        .with_help(format!(
                            "add `{} = ...` to the arguments: {}(..., {} = ...)",
                            p.name.name, tname, p.name.name
                        )),
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    /// Whether a value (each arm of a `match`) is of a parameter's type,
    /// as far as it can be told before the value is resolved.
    fn check_type(&mut self, p: &TemplateParam, e: &Expr, tname: &str) -> bool {
        if let ExprKind::Match { arms, .. } = &e.kind {
            return arms.iter().all(|a| self.check_type(p, &a.value, tname));
        }
        let ty = &p.ty;
        let ty_name = ty.name.name.as_str();
        let expected = match expected_shape(ty) {
            Ok(x) => x,
            Err(()) => {
                let mut all: Vec<&str> = TEMPLATE_TYPES.to_vec();
                all.extend(super::eval::PARAM_TYPES.iter().map(|(n, _)| *n));
                let help =
                    suggest::did_you_mean(ty_name, all.iter().copied()).unwrap_or_else(|| {
                        format!(
                            "the types are {}, and `list<T>`",
                            suggest::quoted_list(all.iter().copied())
                        )
                    });
                self.diags.push(
                    Diagnostic::error(
                        codes::UNKNOWN_TYPE,
                        format!("unknown type `{ty_name}`"),
                        ty.name.span,
                        "not a type",
                    )
                    .with_help(help),
                );
                return false;
            }
        };
        let fits = match (&expected, &e.kind) {
            // Resolved later, where the value is used.
            (_, ExprKind::Path { path }) if path.segments.len() > 1 => true,
            (_, ExprKind::Error) => true,
            (Shape::Any, _) => true,
            (Shape::Number, ExprKind::Number { .. }) => true,
            (Shape::Unit(u), ExprKind::Quantity { unit, .. }) => {
                super::units::parse_unit(unit).is_some_and(|(x, _)| x == *u)
            }
            (Shape::Bool, ExprKind::Bool { .. }) => true,
            (Shape::Range, ExprKind::Range { .. }) => true,
            (Shape::Text, ExprKind::String { .. }) => true,
            (Shape::List, ExprKind::List { .. }) => true,
            _ => false,
        };
        if !fits {
            let want = expected.describe(ty_name);
            let found = super::eval::describe(e);
            let help = match (&expected, &e.kind) {
                (Shape::Unit(crate::model::Unit::Percent), ExprKind::Number { value }) => {
                    format!("write `{value}%`")
                }
                (Shape::Unit(crate::model::Unit::Seconds), ExprKind::Number { value }) => {
                    format!("give the unit: `{value}s`, `{value}m` or `{value}h`")
                }
                (Shape::Number, ExprKind::String { value }) if value.parse::<f64>().is_ok() => {
                    format!("write the number without quotes: `{value}`")
                }
                _ => format!("write {want} here"),
            };
            self.diags.push(
                Diagnostic::error(
                    codes::TYPE_MISMATCH,
                    format!(
                        "`{}` of template `{tname}` is {want}, found {found}",
                        p.name.name
                    ),
                    e.span,
                    format!("this is {found}"),
                )
                .with_label(p.span, "declared here")
                .with_help(help),
            );
        }
        fits
    }
}

fn name_of(t: &TemplateDecl) -> &str {
    t.body.name.name.as_str()
}

fn sorted<'x>(names: impl Iterator<Item = &'x str>) -> Vec<&'x str> {
    let mut v: Vec<&str> = names.collect();
    v.sort_unstable();
    v
}

/// What a template parameter's type takes.
enum Shape {
    Any,
    Number,
    Unit(crate::model::Unit),
    Bool,
    Range,
    Text,
    List,
}

impl Shape {
    fn describe(&self, ty: &str) -> String {
        match self {
            Shape::Any => "a value".into(),
            Shape::Number => "a plain number".into(),
            Shape::Unit(u) => format!("a {}", super::units::name(*u)),
            Shape::Bool => "`true` or `false`".into(),
            Shape::Range => "a range like `2..10`".into(),
            Shape::Text => format!("a string (`{ty}`)"),
            Shape::List => format!("a list (`{ty}`)"),
        }
    }
}

fn expected_shape(ty: &TypeExpr) -> Result<Shape, ()> {
    use crate::model::Unit;
    Ok(match ty.name.name.as_str() {
        "number" => Shape::Number,
        "percent" => Shape::Unit(Unit::Percent),
        "duration" => Shape::Unit(Unit::Seconds),
        "rate" => Shape::Unit(Unit::PerMinute),
        "bytes" => Shape::Unit(Unit::Bytes),
        "bool" => Shape::Bool,
        "capacity" => Shape::Range,
        "metric" | "value" => Shape::Any,
        "list" => Shape::List,
        n if super::eval::PARAM_TYPES.iter().any(|(x, _)| *x == n) => Shape::Text,
        _ => return Err(()),
    })
}

/// Whether a `for_each` value reads the environment.
fn depends_on_env(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Path { path } => path.segments.first().is_some_and(|s| s.name == "env"),
        ExprKind::Match { .. } => true,
        _ => false,
    }
}

/// Letters, digits and `_`: what makes `NAME_KEY` a name.
fn valid_key(k: &str) -> bool {
    !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `match env { a => v1  b => v2 }`: a key's value per environment.
fn per_env_value(values: &[(Option<String>, Expr)], span: Span) -> Expr {
    let arms = values
        .iter()
        .map(|(env, v)| MatchArm {
            patterns: vec![env.as_ref().map(|n| Ident {
                name: n.clone(),
                span,
            })],
            pattern_spans: vec![span],
            value: v.clone(),
            span,
        })
        .collect();
    Expr {
        kind: ExprKind::Match {
            subject: env_path(span),
            arms,
        },
        span,
    }
}

fn env_path(span: Span) -> Path {
    Path {
        segments: vec![Ident {
            name: "env".into(),
            span,
        }],
        span,
    }
}

/// `enabled = match env { a | b => true  _ => false }`.
fn enabled_in(envs: &[&str], span: Span) -> Property {
    let yes = MatchArm {
        patterns: envs
            .iter()
            .map(|n| {
                Some(Ident {
                    name: n.to_string(),
                    span,
                })
            })
            .collect(),
        pattern_spans: envs.iter().map(|_| span).collect(),
        value: Expr {
            kind: ExprKind::Bool { value: true },
            span,
        },
        span,
    };
    let no = MatchArm {
        patterns: vec![None],
        pattern_spans: vec![span],
        value: Expr {
            kind: ExprKind::Bool { value: false },
            span,
        },
        span,
    };
    let arms = if envs.is_empty() {
        vec![no]
    } else {
        vec![yes, no]
    };
    Property {
        key: Key::Path(Path {
            segments: vec![Ident {
                name: "enabled".into(),
                span,
            }],
            span,
        }),
        value: Expr {
            kind: ExprKind::Match {
                subject: env_path(span),
                arms,
            },
            span,
        },
        span,
    }
}

/// The member lists of a group, by kind, as (kind, name) pairs.
fn member_names(g: &GroupDecl) -> Vec<(&'static str, String)> {
    let mut v = Vec::new();
    v.extend(g.policies.iter().map(|m| ("policy", m.name.name.clone())));
    v.extend(g.alarms.iter().map(|m| ("alarm", m.name.name.clone())));
    v.extend(g.hooks.iter().map(|m| ("hook", m.name.name.clone())));
    v.extend(
        g.schedules
            .iter()
            .map(|m| ("schedule", m.name.name.clone())),
    );
    v.extend(g.dashboards.iter().map(|m| {
        (
            "dashboard",
            m.name.as_ref().map_or(String::new(), |n| n.name.clone()),
        )
    }));
    v
}

/// What `override`, `remove` and the group's own members say that the
/// template contradicts: an unknown kind or member, a member redeclared
/// without `override`.
fn member_ref_errors(
    inherited: &[(&'static str, String)],
    base: &GroupDecl,
    own: &GroupDecl,
    diags: &mut Diagnostics,
) {
    // `override`/`remove` of something the template doesn't have.
    for r in own.overrides.iter().chain(&own.removes) {
        if !["policy", "alarm", "hook", "schedule", "dashboard"].contains(&r.kind.name.as_str()) {
            diags.push(
                Diagnostic::error(
                    codes::TEMPLATE_MEMBER,
                    format!("`{}` is not a kind of member", r.kind.name),
                    r.kind.span,
                    "not a member kind",
                )
                .with_help("members are `policy`, `alarm`, `hook`, `schedule` and `dashboard`"),
            );
            continue;
        }
        if !inherited
            .iter()
            .any(|(k, n)| *k == r.kind.name && *n == r.name.name)
        {
            let same_kind = inherited
                .iter()
                .filter(|(k, _)| *k == r.kind.name)
                .map(|(_, n)| n.as_str());
            let help =
                suggest::did_you_mean(&r.name.name, same_kind.clone()).unwrap_or_else(|| {
                    let names: Vec<&str> = same_kind.collect();
                    if names.is_empty() {
                        format!(
                            "the template has no {} to replace; declare it without `override`",
                            r.kind.name
                        )
                    } else {
                        format!(
                            "the template's {}s are {}",
                            r.kind.name,
                            suggest::quoted_list(names)
                        )
                    }
                });
            diags.push(
                Diagnostic::error(
                    codes::TEMPLATE_MEMBER,
                    format!(
                        "the template has no {} `{}` to {}",
                        r.kind.name,
                        r.name.name,
                        if own.removes.iter().any(|x| std::ptr::eq(x, r)) {
                            "remove"
                        } else {
                            "override"
                        }
                    ),
                    r.name.span,
                    "not in the template",
                )
                .with_help(help),
            );
        }
    }
    // A member redeclared without `override`.
    for (k, n) in &member_names(own) {
        let is_override = own
            .overrides
            .iter()
            .any(|r| r.kind.name == *k && r.name.name == *n);
        if !is_override && inherited.iter().any(|(ik, iname)| ik == k && iname == n) {
            let span = member_span(own, k, n).unwrap_or(own.name.span);
            let base_span = member_span(base, k, n).unwrap_or(base.name.span);
            diags.push(
                Diagnostic::error(
                    codes::TEMPLATE_MEMBER,
                    format!("the template already has {} {k} `{n}`", if *k == "alarm" { "an" } else { "a" }),
                    span,
                    "declared again here",
                )
                .with_label(base_span, "the template's")
                .with_help(format!(
                    "write `override {k} {n} ...` to replace it, `remove {k} {n}` to leave it out, or give this one another name"
                )),
            );
        }
    }
}

/// `own` over `base`: settings by key, members by kind and name.
fn merge(base: GroupDecl, own: GroupDecl, diags: &mut Diagnostics) -> GroupDecl {
    let inherited = member_names(&base);
    member_ref_errors(&inherited, &base, &own, diags);
    // An `override` of nothing is said above; what it declares is left
    // out, or it would be checked as a new member and said again.
    let unmatched: Vec<(String, String)> = own
        .overrides
        .iter()
        .filter(|r| {
            !inherited
                .iter()
                .any(|(k, n)| *k == r.kind.name && *n == r.name.name)
        })
        .map(|r| (r.kind.name.clone(), r.name.name.clone()))
        .collect();
    let mut own = own;
    let gone = |k: &str, n: &str| unmatched.iter().any(|(uk, un)| uk == k && un == n);
    own.policies.retain(|m| !gone("policy", &m.name.name));
    own.alarms.retain(|m| !gone("alarm", &m.name.name));
    own.hooks.retain(|m| !gone("hook", &m.name.name));
    own.schedules.retain(|m| !gone("schedule", &m.name.name));
    own.dashboards
        .retain(|m| !gone("dashboard", m.name.as_ref().map_or("", |n| n.name.as_str())));
    let removed = |k: &str, n: &str| {
        own.removes
            .iter()
            .any(|r| r.kind.name == k && r.name.name == n)
    };
    let GroupDecl {
        name,
        properties,
        policies,
        alarms,
        hooks,
        schedules,
        notifications,
        dashboards,
        span,
        ..
    } = own;
    let mut out = GroupDecl::empty(name, span);
    // Settings: the template's, each replaced in place by the group's.
    let mut own_props = properties;
    for p in base.properties {
        match own_props.iter().position(|o| o.key.text() == p.key.text()) {
            Some(i) => out.properties.push(own_props.remove(i)),
            None => out.properties.push(p),
        }
    }
    out.properties.extend(own_props);
    out.policies = merge_members(
        base.policies,
        policies,
        |m| &m.name.name,
        |n| !removed("policy", n),
    );
    out.alarms = merge_members(
        base.alarms,
        alarms,
        |m| &m.name.name,
        |n| !removed("alarm", n),
    );
    out.hooks = merge_members(base.hooks, hooks, |m| &m.name.name, |n| !removed("hook", n));
    out.schedules = merge_members(
        base.schedules,
        schedules,
        |m| &m.name.name,
        |n| !removed("schedule", n),
    );
    out.dashboards = merge_members(
        base.dashboards,
        dashboards,
        |m| m.name.as_ref().map_or("", |n| n.name.as_str()),
        |n| !removed("dashboard", n),
    );
    out.notifications = base.notifications;
    out.notifications.extend(notifications);
    out
}

fn member_span(g: &GroupDecl, kind: &str, name: &str) -> Option<Span> {
    match kind {
        "policy" => g
            .policies
            .iter()
            .find(|m| m.name.name == name)
            .map(|m| m.span),
        "alarm" => g
            .alarms
            .iter()
            .find(|m| m.name.name == name)
            .map(|m| m.span),
        "hook" => g.hooks.iter().find(|m| m.name.name == name).map(|m| m.span),
        "schedule" => g
            .schedules
            .iter()
            .find(|m| m.name.name == name)
            .map(|m| m.span),
        "dashboard" => g
            .dashboards
            .iter()
            .find(|m| m.name.as_ref().map_or("", |n| n.name.as_str()) == name)
            .map(|m| m.span),
        _ => None,
    }
}

/// The template's members, each replaced in place by the group's of the
/// same name, minus the removed; then the group's new ones.
fn merge_members<T>(
    base: Vec<T>,
    own: Vec<T>,
    name: impl Fn(&T) -> &str,
    keep: impl Fn(&str) -> bool,
) -> Vec<T> {
    let mut own: Vec<Option<T>> = own.into_iter().map(Some).collect();
    let mut out = Vec::new();
    for m in base {
        let n = name(&m).to_string();
        if !keep(&n) {
            continue;
        }
        let mine = own
            .iter_mut()
            .find(|o| o.as_ref().is_some_and(|o| name(o) == n))
            .and_then(Option::take);
        out.push(mine.unwrap_or(m));
    }
    out.extend(own.into_iter().flatten());
    out
}

/// Replaces each path `f` gives a value for, everywhere in a group.
fn subst_group(g: &mut GroupDecl, f: &dyn Fn(&Path) -> Option<Expr>) {
    let props = |ps: &mut Vec<Property>| {
        for p in ps {
            subst_expr(&mut p.value, f);
        }
    };
    props(&mut g.properties);
    for m in &mut g.policies {
        props(&mut m.properties);
        for s in &mut m.steps {
            if let Some(l) = &mut s.lower {
                subst_expr(l, f);
            }
            if let Some(u) = &mut s.upper {
                subst_expr(u, f);
            }
            subst_expr(&mut s.adjustment, f);
        }
    }
    for m in &mut g.alarms {
        props(&mut m.body.properties);
    }
    for m in &mut g.hooks {
        props(&mut m.body.properties);
    }
    for m in &mut g.schedules {
        props(&mut m.body.properties);
    }
    for n in &mut g.notifications {
        subst_expr(&mut n.events, f);
    }
    for d in &mut g.dashboards {
        props(&mut d.properties);
        for w in &mut d.widgets {
            for a in w.args.iter_mut().flatten() {
                subst_expr(a, f);
            }
        }
    }
}

/// Replaces each path `f` gives a value for, everywhere in an expression.
pub(crate) fn subst_expr(e: &mut Expr, f: &dyn Fn(&Path) -> Option<Expr>) {
    match &mut e.kind {
        ExprKind::Path { path } => {
            if let Some(v) = f(path) {
                *e = v;
            }
        }
        ExprKind::Call { args, .. } => args.iter_mut().for_each(|a| subst_expr(a, f)),
        ExprKind::List { items } => items.iter_mut().for_each(|a| subst_expr(a, f)),
        ExprKind::Range { lower, upper } => {
            for b in [lower, upper].into_iter().flatten() {
                subst_expr(b, f);
            }
        }
        ExprKind::Match { arms, .. } => arms.iter_mut().for_each(|a| subst_expr(&mut a.value, f)),
        ExprKind::Object { block } | ExprKind::Tagged { block, .. } => {
            for p in &mut block.properties {
                subst_expr(&mut p.value, f);
            }
        }
        ExprKind::Binary { lhs, rhs, .. } | ExprKind::Compare { lhs, rhs, .. } => {
            subst_expr(lhs, f);
            subst_expr(rhs, f);
        }
        ExprKind::Of { fraction, whole } => {
            subst_expr(fraction, f);
            subst_expr(whole, f);
        }
        ExprKind::Number { .. }
        | ExprKind::Quantity { .. }
        | ExprKind::Signed { .. }
        | ExprKind::Exactly { .. }
        | ExprKind::String { .. }
        | ExprKind::Bool { .. }
        | ExprKind::Error => {}
    }
}
