//! Factoring an imported spec: groups that follow one pattern become one
//! template and short instances.
//!
//! The rule: two groups follow one pattern when they are the same written
//! out but for the values of their settings (the group's own, and those of
//! its policies, alarms, hooks, schedules and dashboard) and their names;
//! members, their kinds and names, steps' adjustments, notifications and
//! widgets must be equal. Three or more groups of one pattern become a
//! template: a value all of them share is written in it, a value they
//! don't is a parameter (typed by what the values are: `percent`,
//! `duration`, `number`, `string`...), whose default is the value most of
//! them have when at least two do; an instance gives only what differs
//! from the defaults. The caller checks that the factored spec builds
//! exactly what the written-out one builds, and keeps the latter if not.

use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::*;
use crate::syntax::unparse;
use std::collections::BTreeMap;

/// The fewest groups of one pattern that become a template.
pub const MIN_GROUPS: usize = 3;

/// What factoring did: for each template, its name, its parameters and
/// how many groups it makes.
#[derive(Debug, Clone, PartialEq)]
pub struct Factored {
    /// The spec with the templates.
    pub text: String,
    /// (template, parameters, groups).
    pub templates: Vec<(String, Vec<String>, usize)>,
}

/// One value of a group, by where it is.
struct Leaf {
    /// The parameter name it would get: `capacity`, `cpu_target`.
    name: String,
    /// The value's tree, for its type.
    expr: Expr,
}

/// The spec with its repeated groups factored, or `None` when no pattern
/// has [`MIN_GROUPS`] groups (or the text doesn't parse).
pub fn factor(text: &str) -> Option<Factored> {
    let mut sources = SourceMap::new();
    let id = sources.add("imported.scale", text, false);
    let (file, diags) = crate::syntax::source_to_ast(&sources, id);
    if diags.has_errors() {
        return None;
    }
    let groups: Vec<&GroupDecl> = file
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Group(g) if g.from.is_none() => Some(g),
            _ => None,
        })
        .collect();
    // Groups by pattern, in the order the first of each is written.
    let mut patterns: Vec<(String, Vec<usize>)> = Vec::new();
    let mut leaves: Vec<Vec<Leaf>> = Vec::new();
    for (k, g) in groups.iter().enumerate() {
        let (shape, l) = pattern(g);
        leaves.push(l);
        match patterns.iter_mut().find(|(s, _)| *s == shape) {
            Some((_, members)) => members.push(k),
            None => patterns.push((shape, vec![k])),
        }
    }
    let mut replace: BTreeMap<u32, (Span, String)> = BTreeMap::new();
    let mut report = Vec::new();
    let mut used_names: Vec<String> = Vec::new();
    for (_, members) in patterns.iter().filter(|(_, m)| m.len() >= MIN_GROUPS) {
        let all: Vec<&str> = groups.iter().map(|g| g.name.name.as_str()).collect();
        let name = template_name(
            members.iter().map(|k| groups[*k].name.name.as_str()),
            &used_names,
            &all,
        );
        used_names.push(name.clone());
        let (template, params, instances) = write(&name, members, &groups, &leaves);
        report.push((name, params, members.len()));
        // The template and every instance where the first group was; the
        // others' places emptied.
        for (n, k) in members.iter().enumerate() {
            let g = groups[*k];
            let with = if n == 0 {
                format!("{template}\n{}", instances.concat())
            } else {
                String::new()
            };
            replace.insert(g.span.start, (g.span, with));
        }
    }
    if replace.is_empty() {
        return None;
    }
    let mut out = String::new();
    let mut at = 0usize;
    for (span, with) in replace.values() {
        out.push_str(text.get(at..span.start as usize)?);
        out.push_str(with);
        at = span.end as usize;
    }
    out.push_str(text.get(at..)?);
    let out = crate::syntax::format::format(&out, FileId(0)).ok()?;
    Some(Factored {
        text: out,
        templates: report,
    })
}

/// A group's pattern (its text with every value and its name blanked) and
/// its values, in the order the pattern has them.
fn pattern(g: &GroupDecl) -> (String, Vec<Leaf>) {
    let mut shape = g.clone();
    shape.name.name = "_".into();
    let mut leaves = Vec::new();
    let mut blank = |prefix: &str, props: &mut Vec<Property>| {
        for p in props {
            let key = p.key.text().replace('.', "_");
            let name = if prefix.is_empty() {
                key
            } else {
                format!("{prefix}_{key}")
            };
            leaves.push(Leaf {
                name,
                expr: p.value.clone(),
            });
            p.value = placeholder(p.value.span);
        }
    };
    blank("", &mut shape.properties);
    for m in &mut shape.policies {
        blank(&m.name.name, &mut m.properties);
    }
    for m in &mut shape.alarms {
        blank(&m.name.name, &mut m.body.properties);
    }
    for m in &mut shape.hooks {
        blank(&m.name.name, &mut m.body.properties);
    }
    for m in &mut shape.schedules {
        blank(&m.name.name, &mut m.body.properties);
    }
    for m in &mut shape.dashboards {
        let n = m
            .name
            .as_ref()
            .map_or("dashboard".to_string(), |n| n.name.clone());
        blank(&n, &mut m.properties);
    }
    // Step bounds are values too; adjustments are the pattern's.
    for m in &mut shape.policies {
        for (i, s) in m.steps.iter_mut().enumerate() {
            for (end, bound) in [("lower", &mut s.lower), ("upper", &mut s.upper)] {
                if let Some(b) = bound {
                    leaves.push(Leaf {
                        name: format!("{}_step{}_{end}", m.name.name, i + 1),
                        expr: (**b).clone(),
                    });
                    **b = placeholder(b.span);
                }
            }
        }
    }
    let text = unparse::items(&[&Item::Group(shape)]);
    (text, leaves)
}

fn placeholder(span: Span) -> Expr {
    Expr {
        kind: ExprKind::Path {
            path: Path {
                segments: vec![Ident {
                    name: "__value".into(),
                    span,
                }],
                span,
            },
        },
        span,
    }
}

/// The template's name: the words the groups' names start with (`web`
/// of `web1`, `web2`...), else those they end with (`fleet` of
/// `emails_fleet`...), else `pattern`; `_pattern` added where that is a
/// group's name too.
fn template_name<'a>(
    names: impl Iterator<Item = &'a str>,
    taken: &[String],
    groups: &[&str],
) -> String {
    let names: Vec<&str> = names.collect();
    let words: Vec<Vec<&str>> = names.iter().map(|n| n.split('_').collect()).collect();
    let shared = |rev: bool| -> Vec<&str> {
        let mut out = Vec::new();
        for i in 0.. {
            let pick = |w: &Vec<&'a str>| -> Option<&'a str> {
                if rev {
                    w.len().checked_sub(i + 1).map(|j| w[j])
                } else {
                    w.get(i).copied()
                }
            };
            let Some(first) = pick(&words[0]) else { break };
            if words
                .iter()
                .all(|w| pick(w) == Some(first) && w.len() > i + 1)
            {
                out.push(first);
            } else {
                break;
            }
        }
        if rev {
            out.reverse();
        }
        out
    };
    let mut prefix = shared(false).join("_");
    if prefix.is_empty() {
        // `g0`, `g1`: the letters before the digits.
        let first = names.first().copied().unwrap_or_default();
        let len = names[1..].iter().fold(first.len(), |len, n| {
            first
                .bytes()
                .zip(n.bytes())
                .take(len)
                .take_while(|(a, b)| a == b)
                .count()
        });
        prefix = first
            .get(..len)
            .unwrap_or_default()
            .trim_end_matches(|c: char| c.is_ascii_digit() || c == '_')
            .to_string();
    }
    let base = if !prefix.is_empty() {
        prefix
    } else {
        shared(true).join("_")
    };
    let base = if base.is_empty() || !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
        "pattern".to_string()
    } else if groups.contains(&base.as_str()) {
        format!("{base}_pattern")
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}{n}");
        n += 1;
    }
    name
}

/// A place in a value where the groups' values differ: the child
/// indices from the value down to it.
type Hole = Vec<usize>;

/// The children of an expression, in a fixed order.
fn children(e: &Expr) -> Vec<&Expr> {
    match &e.kind {
        ExprKind::Call { args, .. } => args.iter().collect(),
        ExprKind::List { items } => items.iter().collect(),
        ExprKind::Range { lower, upper } => {
            [lower, upper].into_iter().flatten().map(|b| &**b).collect()
        }
        ExprKind::Object { block } | ExprKind::Tagged { block, .. } => {
            block.properties.iter().map(|p| &p.value).collect()
        }
        ExprKind::Binary { lhs, rhs, .. } | ExprKind::Compare { lhs, rhs, .. } => {
            vec![&**lhs, &**rhs]
        }
        ExprKind::Of { fraction, whole } => vec![&**fraction, &**whole],
        _ => Vec::new(),
    }
}

fn children_mut(e: &mut Expr) -> Vec<&mut Expr> {
    match &mut e.kind {
        ExprKind::Call { args, .. } => args.iter_mut().collect(),
        ExprKind::List { items } => items.iter_mut().collect(),
        ExprKind::Range { lower, upper } => [lower, upper]
            .into_iter()
            .flatten()
            .map(|b| &mut **b)
            .collect(),
        ExprKind::Object { block } | ExprKind::Tagged { block, .. } => {
            block.properties.iter_mut().map(|p| &mut p.value).collect()
        }
        ExprKind::Binary { lhs, rhs, .. } | ExprKind::Compare { lhs, rhs, .. } => {
            vec![&mut **lhs, &mut **rhs]
        }
        ExprKind::Of { fraction, whole } => vec![&mut **fraction, &mut **whole],
        _ => Vec::new(),
    }
}

/// The expression's own shape, its children left out: two values with
/// one shape differ only inside their children.
fn head(e: &Expr) -> Option<String> {
    Some(match &e.kind {
        ExprKind::Call { path, args } => format!("call {} {}", path.dotted(), args.len()),
        ExprKind::List { items } => format!("list {}", items.len()),
        ExprKind::Range { lower, upper } => {
            format!("range {} {}", lower.is_some(), upper.is_some())
        }
        ExprKind::Object { block } => {
            let keys: Vec<String> = block
                .properties
                .iter()
                .map(|p| p.key.text().into_owned())
                .collect();
            format!("object {}", keys.join(","))
        }
        ExprKind::Tagged { tag, block } => {
            let keys: Vec<String> = block
                .properties
                .iter()
                .map(|p| p.key.text().into_owned())
                .collect();
            format!("tagged {} {}", tag.name, keys.join(","))
        }
        ExprKind::Binary { op, .. } => format!("binary {op:?}"),
        ExprKind::Compare { op, .. } => format!("compare {}", op.symbol()),
        ExprKind::Of { .. } => "of".into(),
        _ => return None,
    })
}

/// Where the values differ: the smallest parts that do, the rest kept.
fn holes(values: &[&Expr], at: &mut Hole, out: &mut Vec<Hole>) {
    let first = unparse::expr(values[0]);
    if values.iter().all(|v| unparse::expr(v) == first) {
        return;
    }
    let h = head(values[0]);
    if h.is_some() && values.iter().all(|v| head(v) == h) {
        let kids: Vec<Vec<&Expr>> = values.iter().map(|v| children(v)).collect();
        for i in 0..kids[0].len() {
            let column: Vec<&Expr> = kids.iter().map(|k| k[i]).collect();
            at.push(i);
            holes(&column, at, out);
            at.pop();
        }
        return;
    }
    out.push(at.clone());
}

fn at_hole<'e>(e: &'e Expr, hole: &[usize]) -> &'e Expr {
    match hole.split_first() {
        Some((i, rest)) => children(e).get(*i).map_or(e, |c| at_hole(c, rest)),
        None => e,
    }
}

fn at_hole_mut<'e>(e: &'e mut Expr, hole: &[usize]) -> Option<&'e mut Expr> {
    match hole.split_first() {
        Some((i, rest)) => children_mut(e)
            .into_iter()
            .nth(*i)
            .and_then(|c| at_hole_mut(c, rest)),
        None => Some(e),
    }
}

/// What a hole is in the value around it: a range's `min` or `max`, a
/// comparison's `threshold`, an object's key.
fn role(first: &Expr, hole: &[usize]) -> Option<String> {
    let (last, up) = hole.split_last()?;
    match &at_hole(first, up).kind {
        ExprKind::Range { lower, .. } => Some(
            if lower.is_some() && *last == 0 {
                "min"
            } else {
                "max"
            }
            .into(),
        ),
        ExprKind::Compare { .. } if *last == 1 => Some("threshold".into()),
        ExprKind::Object { block } | ExprKind::Tagged { block, .. } => block
            .properties
            .get(*last)
            .map(|p| super::text::snake(&p.key.text())),
        _ => None,
    }
}

/// A parameter's name: for params' names alike (`emails_jobs_queue` and
/// `exports_jobs_queue`), the words they end with; else what it is in
/// its value (`capacity_min`, `busy_threshold`); else where it is.
fn param_name(
    values: &[String],
    leaf: &str,
    role: Option<String>,
    index: usize,
    of: usize,
) -> String {
    let words: Vec<Vec<&str>> = values
        .iter()
        .filter_map(|v| v.strip_prefix("param."))
        .map(|v| v.split('_').collect())
        .collect();
    if words.len() == values.len() && !words.is_empty() {
        let mut common = 0;
        'outer: while let Some(i) = words[0].len().checked_sub(common + 1) {
            let w = words[0][i];
            for ws in &words[1..] {
                match ws.len().checked_sub(common + 1) {
                    Some(j) if ws[j] == w => {}
                    _ => break 'outer,
                }
            }
            common += 1;
        }
        // Not the whole of any: then it would be the same name.
        if common > 0 && words.iter().all(|w| w.len() > common) {
            return words[0][words[0].len() - common..].join("_");
        }
    }
    if let Some(r) = role {
        // `when` is the alarm's condition: its threshold is the alarm's.
        let leaf = leaf.strip_suffix("_when").unwrap_or(leaf);
        return format!("{leaf}_{r}");
    }
    if of == 1 {
        leaf.to_string()
    } else {
        format!("{leaf}_{}", index + 1)
    }
}

/// The template's text, its parameters, and each group's instance text.
fn write(
    name: &str,
    members: &[usize],
    groups: &[&GroupDecl],
    leaves: &[Vec<Leaf>],
) -> (String, Vec<String>, Vec<String>) {
    let first = members[0];
    let count = leaves[first].len();
    // Each parameter: its name, type, default and value per group; and
    // per value of the pattern, its holes and the parameter each fills.
    let mut params: Vec<(String, String, Option<String>, Vec<String>)> = Vec::new();
    let mut filled: Vec<Vec<(Hole, usize)>> = Vec::new();
    for i in 0..count {
        let values: Vec<&Expr> = members
            .iter()
            .filter_map(|k| leaves[*k].get(i).map(|l| &l.expr))
            .collect();
        let mut found = Vec::new();
        if values.len() == members.len() {
            holes(&values, &mut Vec::new(), &mut found);
        }
        let mut here = Vec::new();
        let of = found.len();
        for (n, hole) in found.into_iter().enumerate() {
            let parts: Vec<&Expr> = values.iter().map(|v| at_hole(v, &hole)).collect();
            let texts: Vec<String> = parts.iter().map(|p| unparse::expr(p)).collect();
            // The same values as another parameter's: that parameter.
            let p = match params.iter().position(|p| p.3 == texts) {
                Some(p) => p,
                None => {
                    let r = role(values[0], &hole);
                    let mut pname = ident(&param_name(&texts, &leaves[first][i].name, r, n, of));
                    let base = pname.clone();
                    let mut k = 2;
                    while params.iter().any(|p| p.0 == pname) {
                        pname = format!("{base}_{k}");
                        k += 1;
                    }
                    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
                    for t in &texts {
                        *counts.entry(t.as_str()).or_default() += 1;
                    }
                    // The default: the commonest value, when at least two
                    // groups share it.
                    let default = counts
                        .iter()
                        .filter(|(_, c)| **c >= 2)
                        .max_by_key(|(t, c)| (**c, std::cmp::Reverse(**t)))
                        .map(|(t, _)| t.to_string());
                    params.push((pname, type_of(&parts), default, texts));
                    params.len() - 1
                }
            };
            here.push((hole, p));
        }
        filled.push(here);
    }
    // The template: the first group, each hole read from its parameter.
    let mut body = groups[first].clone();
    body.name.name = name.to_string();
    let mut i = 0;
    let fill = |e: &mut Expr, i: usize| {
        for (hole, p) in filled.get(i).into_iter().flatten() {
            if let Some(slot) = at_hole_mut(e, hole) {
                *slot = arg(&params[*p].0, slot.span);
            }
        }
    };
    let props = |ps: &mut Vec<Property>, i: &mut usize| {
        for p in ps {
            fill(&mut p.value, *i);
            *i += 1;
        }
    };
    props(&mut body.properties, &mut i);
    for m in &mut body.policies {
        props(&mut m.properties, &mut i);
    }
    for m in &mut body.alarms {
        props(&mut m.body.properties, &mut i);
    }
    for m in &mut body.hooks {
        props(&mut m.body.properties, &mut i);
    }
    for m in &mut body.schedules {
        props(&mut m.body.properties, &mut i);
    }
    for m in &mut body.dashboards {
        props(&mut m.properties, &mut i);
    }
    for m in &mut body.policies {
        for s in &mut m.steps {
            for b in [&mut s.lower, &mut s.upper].into_iter().flatten() {
                fill(b, i);
                i += 1;
            }
        }
    }
    let decl = TemplateDecl {
        params: Vec::new(),
        extends: None,
        body,
        span: groups[first].span,
    };
    let mut text = unparse::items(&[&Item::Template(decl)]);
    let list: Vec<String> = params
        .iter()
        .map(|(n, ty, d, _)| match d {
            Some(d) => format!("{n}: {ty} = {d}"),
            None => format!("{n}: {ty}"),
        })
        .collect();
    let head = if list.is_empty() {
        format!("template {name}")
    } else {
        format!("template {name}({})", list.join(", "))
    };
    text = text.replacen(&format!("template {name}()"), &head, 1);
    let instances = members
        .iter()
        .enumerate()
        .map(|(m, k)| {
            let args: Vec<String> = params
                .iter()
                .filter(|(_, _, d, values)| d.as_deref() != Some(values[m].as_str()))
                .map(|(n, _, _, values)| format!("{n} = {}", values[m]))
                .collect();
            let args = if args.is_empty() {
                String::new()
            } else {
                format!("({})", args.join(", "))
            };
            format!("group {} from {name}{args} {{}}\n", groups[*k].name.name)
        })
        .collect();
    let pnames = params.iter().map(|(n, _, _, _)| n.clone()).collect();
    (text, pnames, instances)
}

fn arg(name: &str, span: Span) -> Expr {
    Expr {
        kind: ExprKind::Path {
            path: Path {
                segments: vec![
                    Ident {
                        name: "arg".into(),
                        span,
                    },
                    Ident {
                        name: name.into(),
                        span,
                    },
                ],
                span,
            },
        },
        span,
    }
}

/// A parameter name: letters, digits and `_`, not starting with a digit.
fn ident(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'v');
    }
    out
}

/// The parameter type that takes every value: a unit, a number, a
/// string, a boolean, a range, else any value.
fn type_of(exprs: &[&Expr]) -> String {
    use crate::model::Unit;
    let unit = |e: &Expr| match &e.kind {
        ExprKind::Quantity { unit, .. } => crate::model::units::parse_unit(unit).map(|(u, _)| u),
        _ => None,
    };
    let all = |f: &dyn Fn(&Expr) -> bool| exprs.iter().all(|e| f(e));
    if let Some(u) = exprs.first().and_then(|e| unit(e))
        && all(&|e| unit(e) == Some(u))
    {
        return match u {
            Unit::Percent => "percent",
            Unit::Seconds => "duration",
            Unit::PerMinute => "rate",
            Unit::Bytes => "bytes",
            Unit::Count => "number",
        }
        .into();
    }
    if all(&|e| matches!(e.kind, ExprKind::Number { .. })) {
        return "number".into();
    }
    if all(&|e| matches!(e.kind, ExprKind::String { .. })) {
        return "string".into();
    }
    if all(&|e| matches!(e.kind, ExprKind::Bool { .. })) {
        return "bool".into();
    }
    if all(&|e| matches!(e.kind, ExprKind::Range { .. })) {
        return "capacity".into();
    }
    "value".into()
}
