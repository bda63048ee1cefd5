//! What the language server answers, from the last analysis of a document:
//! diagnostics, hover, definition and references, completion, the outline,
//! code actions and formatting.

use super::analysis::Analysis;
use super::text::{LineIndex, word_at};
use crate::diagnostic::Severity;
use crate::source::{FileId, Span};
use crate::syntax::ast::{Item, ScalableDecl};
use lsp_types as lsp;
use lsp_types::Uri;
use std::fmt::Write as _;

/// The scheme of the std-lib's read-only documents.
pub const STD_SCHEME: &str = "scalec-std";

/// The user's file in every analysis.
pub(crate) const USER: FileId = FileId(0);

/// Where a span is, as an LSP location: the document itself, or a std-lib
/// file: a real, read-only file when the server has the std-lib on disk
/// (every client opens `file:` URIs), else `scalec-std:/metrics.scale`,
/// which the VS Code extension serves through `scalec/stdFile`.
fn location(a: &Analysis, uri: &Uri, span: Span, utf8: bool) -> Option<lsp::Location> {
    let file = a.comp().sources.get(span.file);
    let range = LineIndex::new(&file.text, utf8).range(span.start as usize, span.end as usize);
    let uri = if span.file == USER {
        uri.clone()
    } else if file.is_std {
        std_uri(&file.name)?
    } else {
        // A used file: its name is its path.
        file_uri(std::path::Path::new(&file.name)).parse().ok()?
    };
    Some(lsp::Location { uri, range })
}

/// The URI of a std-lib file, by its name in the sources
/// (`<std-lib/metrics.scale>`).
fn std_uri(name: &str) -> Option<Uri> {
    let name = name.trim_matches(['<', '>']).trim_start_matches("std-lib/");
    match super::std_dir() {
        Some(dir) => file_uri(&dir.join(name)).parse().ok(),
        None => format!("{STD_SCHEME}:/{name}").parse().ok(),
    }
}

/// `file:///a/b%20c.scale`: an absolute path as a URI, every byte but the
/// unreserved ones and `/` percent-encoded.
pub fn file_uri(path: &std::path::Path) -> String {
    let mut out = String::from("file://");
    let text = path.to_string_lossy();
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The text of a std-lib document by its `scalec-std:` path.
pub fn std_text(path: &str) -> Option<&'static str> {
    let name = path.trim_start_matches('/');
    crate::stdlib::FILES
        .iter()
        .find(|(n, _)| n.trim_matches(['<', '>']).trim_start_matches("std-lib/") == name)
        .map(|(_, t)| *t)
}

/// The document's diagnostics (those in the user's file), labels as
/// ranges, secondary labels as related information, help in the message.
pub fn diagnostics(a: &Analysis, uri: &Uri, utf8: bool) -> Vec<lsp::Diagnostic> {
    let index = LineIndex::new(&a.text, utf8);
    // What is wrong in a used file is shown on the `use` that brings it in
    // (the first one), said where it is and linked to it.
    let first_use = a
        .trees()
        .iter()
        .find(|(id, _)| *id == USER)
        .and_then(|(_, t)| {
            t.items.iter().find_map(|i| match i {
                Item::Use(u) => Some(u.path_span),
                _ => None,
            })
        });
    a.comp()
        .diagnostics
        .sorted()
        .into_iter()
        .filter(|d| {
            d.span().file == USER
                || (first_use.is_some() && !a.comp().sources.get(d.span().file).is_std)
        })
        .map(|d| {
            let elsewhere = d.span().file != USER;
            let moved;
            let d = if elsewhere {
                let at = d.span();
                let file = a.comp().sources.get(at.file);
                let (line, col) = file.line_col(at.start as usize);
                let mut m = d.clone();
                m.message = format!("in {}:{line}:{col}: {}", file.name, d.message);
                m.labels.insert(
                    0,
                    crate::diagnostic::Label {
                        span: first_use.unwrap_or(at),
                        message: String::new(),
                    },
                );
                m.labels[1].message = if m.labels[1].message.is_empty() {
                    "here".into()
                } else {
                    m.labels[1].message.clone()
                };
                moved = m;
                &moved
            } else {
                d
            };
            let primary = &d.labels[0];
            let related: Vec<lsp::DiagnosticRelatedInformation> = d.labels[1..]
                .iter()
                .filter_map(|l| {
                    Some(lsp::DiagnosticRelatedInformation {
                        location: location(a, uri, l.span, utf8)?,
                        message: l.message.clone(),
                    })
                })
                .collect();
            // The label adds to the message only what it doesn't say
            // already (pest's errors label the place with their "expected").
            let mut message = d.message.clone();
            if !primary.message.is_empty()
                && !d
                    .message
                    .to_lowercase()
                    .contains(&primary.message.to_lowercase())
            {
                let _ = write!(message, " ({})", primary.message);
            }
            if let Some(h) = &d.help {
                let _ = write!(message, "\nhelp: {h}");
            }
            lsp::Diagnostic {
                range: index.range(primary.span.start as usize, primary.span.end as usize),
                severity: Some(match d.severity {
                    Severity::Error => lsp::DiagnosticSeverity::ERROR,
                    Severity::Warning => lsp::DiagnosticSeverity::WARNING,
                    Severity::Note => lsp::DiagnosticSeverity::INFORMATION,
                }),
                code: Some(lsp::NumberOrString::String(d.code.to_string())),
                source: Some("scalec".into()),
                message,
                related_information: (!related.is_empty()).then_some(related),
                ..Default::default()
            }
        })
        .collect()
}

/// A declaration the cursor can name: its kind, name and name's span.
struct Decl<'a> {
    kind: &'static str,
    name: String,
    at: Span,
    whole: Span,
    group: Option<&'a str>,
}

/// Every named declaration of every file, groups' members included.
fn declarations(a: &Analysis) -> Vec<Decl<'_>> {
    let mut out = Vec::new();
    for (_, tree) in a.trees() {
        for item in &tree.items {
            match item {
                Item::App(_) | Item::Lints(_) | Item::Use(_) => {}
                Item::Test(t) => out.push(Decl {
                    kind: "test",
                    name: t.name.name.clone(),
                    at: t.name.span,
                    whole: t.span,
                    group: None,
                }),
                Item::Template(t) => out.push(Decl {
                    kind: "template",
                    name: t.body.name.name.clone(),
                    at: t.body.name.span,
                    whole: t.span,
                    group: None,
                }),
                Item::Param(p) => out.push(Decl {
                    kind: "param",
                    name: format!("param.{}", p.name.name),
                    at: p.name.span,
                    whole: p.span,
                    group: None,
                }),
                Item::Metric(m) => out.push(Decl {
                    kind: "metric",
                    name: m.name.dotted().into_owned(),
                    at: m.name.span,
                    whole: m.span,
                    group: None,
                }),
                Item::Preset(e) | Item::Environment(e) => out.push(Decl {
                    kind: if matches!(item, Item::Preset(_)) {
                        "preset"
                    } else {
                        "environment"
                    },
                    name: e.name.name.clone(),
                    at: e.name.span,
                    whole: e.span,
                    group: None,
                }),
                Item::Topic(t) => out.push(Decl {
                    kind: "topic",
                    name: t.name.name.clone(),
                    at: t.name.span,
                    whole: t.span,
                    group: None,
                }),
                Item::Group(_) | Item::Scalable(_) => {
                    let (g, whole) = match item {
                        Item::Scalable(t) => (&t.body, t.span),
                        Item::Group(g) => (g, g.span),
                        _ => continue,
                    };
                    out.push(Decl {
                        kind: "group",
                        name: g.name.name.clone(),
                        at: g.name.span,
                        whole,
                        group: None,
                    });
                    let members = g
                        .policies
                        .iter()
                        .map(|p| ("policy", &p.name, p.span))
                        .chain(g.alarms.iter().map(|x| ("alarm", &x.name, x.span)))
                        .chain(g.hooks.iter().map(|x| ("hook", &x.name, x.span)))
                        .chain(g.schedules.iter().map(|x| ("schedule", &x.name, x.span)));
                    for (kind, name, whole) in members {
                        out.push(Decl {
                            kind,
                            name: name.name.clone(),
                            at: name.span,
                            whole,
                            group: Some(&g.name.name),
                        });
                    }
                }
            }
        }
    }
    out
}

/// The declaration a dotted word refers to: `param.X`, a metric (also
/// when called, `alb.requests`), a topic, group, preset or environment.
fn referent<'a>(a: &'a Analysis, word: &str) -> Option<Decl<'a>> {
    let decls = declarations(a);
    let bare = word.strip_prefix("std.").unwrap_or(word);
    decls.into_iter().find(|d| match d.kind {
        "param" | "metric" => d.name == word,
        "preset" => d.name == bare,
        "topic" | "group" | "environment" | "template" => d.name == word,
        _ => false,
    })
}

/// The user's group whose `from` call holds `offset`.
fn user_group_from_at(a: &Analysis, offset: usize) -> Option<String> {
    let (_, tree) = a.trees().iter().find(|(id, _)| *id == USER)?;
    tree.items.iter().find_map(|i| match i {
        Item::Group(g)
            if g.from.as_ref().is_some_and(|c| {
                c.span.start as usize <= offset && offset <= c.span.end as usize
            }) =>
        {
            Some(g.name.name.clone())
        }
        _ => None,
    })
}

/// A group made from a template: each setting it has once written out,
/// where that was set (the template, an argument, the group), and for a
/// value read from the environment, each environment's.
fn inherited(a: &Analysis, group: &str, md: &mut String) {
    let refs: Vec<(FileId, &crate::syntax::ast::File)> =
        a.trees().iter().map(|(id, t)| (*id, t)).collect();
    if !crate::check::expand::needed(&refs) {
        return;
    }
    let mut ignored = crate::diagnostic::Diagnostics::new();
    let (expanded, _) = crate::check::expand::expand(&refs, &a.comp().sources, &mut ignored);
    let Some(g) = expanded
        .iter()
        .find(|(id, _)| *id == USER)
        .and_then(|(_, f)| {
            f.items.iter().find_map(|i| match i {
                Item::Group(g) if g.name.name == group => Some(g),
                _ => None,
            })
        })
    else {
        return;
    };
    let _ = writeln!(md, "\nSettings, written out:\n");
    for p in &g.properties {
        let file = a.comp().sources.get(p.value.span.file);
        let (line, _) = file.line_col(p.value.span.start as usize);
        let from = if p.value.span.file == USER && p.key.span().file == USER {
            "set here".to_string()
        } else if p.value.span.file == USER {
            format!("argument, line {line}")
        } else {
            let name = std::path::Path::new(&file.name)
                .file_name()
                .map_or(file.name.clone(), |n| n.to_string_lossy().into_owned());
            format!("template, {name}:{line}")
        };
        let value = crate::syntax::unparse::expr(&p.value);
        let _ = writeln!(md, "- `{} = {value}` ({from})", p.key.text());
        if let Some(key) = value.strip_prefix("env.")
            && !key.contains(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        {
            for (env, span) in env_value_spans(a, key) {
                let shown = span.map_or("not set".to_string(), |s| format!("`{}`", a.slice(s)));
                let _ = writeln!(md, "  - `{env}`: {shown}");
            }
        }
    }
    let members: Vec<String> = g
        .policies
        .iter()
        .map(|p| format!("policy `{}`", p.name.name))
        .chain(g.alarms.iter().map(|x| format!("alarm `{}`", x.name.name)))
        .chain(g.hooks.iter().map(|x| format!("hook `{}`", x.name.name)))
        .chain(
            g.schedules
                .iter()
                .map(|x| format!("schedule `{}`", x.name.name)),
        )
        .collect();
    if !members.is_empty() {
        let _ = writeln!(md, "\nMembers: {}", members.join(", "));
    }
}

/// `env.X`: where each environment's value of X comes from.
fn env_value_spans<'a>(a: &'a Analysis, key: &str) -> Vec<(&'a str, Option<Span>)> {
    a.env_values
        .iter()
        .map(|(env, values)| (env.as_str(), values.get(key).copied()))
        .collect()
}

/// Hover: a declaration's `///` doc, each environment's value of `env.X`
/// or `param.X`, and for a policy or alarm what AWS will receive.
pub fn hover(a: &Analysis, offset: usize, utf8: bool) -> Option<lsp::Hover> {
    let word = word_at(&a.text, offset);
    let mut range = word.map(|(s, e, _)| (s, e));
    let mut md = String::new();
    let referred = word.and_then(|(_, _, w)| referent(a, w).map(|d| (w, d)));
    if let Some(key) = word.and_then(|(_, _, w)| w.strip_prefix("env.")) {
        let _ = writeln!(md, "`env.{key}` in each environment:\n");
        for (env, span) in env_value_spans(a, key) {
            match span {
                Some(s) => {
                    let from = if s.file == USER { "" } else { " (std-lib)" };
                    let _ = writeln!(md, "- `{env}`: `{}`{from}", a.slice(s));
                }
                None => {
                    let _ = writeln!(md, "- `{env}`: not set");
                }
            }
        }
    } else if let Some((w, d)) = referred {
        let _ = writeln!(md, "```scale\n{}\n```", header(a, &d));
        if let Some(doc) = a.doc_before(d.at.file, d.whole.start as usize) {
            let _ = writeln!(md, "\n{doc}");
        }
        // A group made from a template (hovered by its name, or by the
        // template's name in its `from`): what it inherits.
        let instance = match d.kind {
            "group" => Some(w.to_string()),
            "template" => user_group_from_at(a, offset),
            _ => None,
        };
        if let Some(g) = instance {
            inherited(a, &g, &mut md);
        }
        if d.kind == "group" {
            target_view(a, w, &mut md);
        }
        if d.kind == "param" {
            let _ = writeln!(md, "\nIn each environment:\n");
            for (env, span) in env_value_spans(a, w) {
                let shown = span.map_or("from `--param`".to_string(), |s| {
                    format!("`{}`", a.slice(s))
                });
                let _ = writeln!(md, "- `{env}`: {shown}");
            }
        }
    } else {
        // A policy's or alarm's name, or anything inside one (a step range,
        // a `match env`): what AWS receives in each environment.
        let decls = declarations(a);
        let inside =
            |s: Span| s.file == USER && s.start as usize <= offset && offset <= s.end as usize;
        let d = match decls.iter().find(|d| inside(d.at)) {
            Some(d) => d,
            None => {
                range = None;
                decls
                    .iter()
                    .find(|d| matches!(d.kind, "policy" | "alarm") && inside(d.whole))?
            }
        };
        let _ = writeln!(md, "```scale\n{}\n```", header(a, d));
        if let (Some(group), "policy" | "alarm") = (d.group, d.kind) {
            aws_view(a, group, d.kind, &d.name, &mut md);
        }
    }
    let index = LineIndex::new(&a.text, utf8);
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: md.trim_end().to_string(),
        }),
        range: range.map(|(s, e)| index.range(s, e)),
    })
}

/// A declaration's first line as written, up to its `{`.
fn header(a: &Analysis, d: &Decl<'_>) -> String {
    let text = a.slice(d.whole);
    let first = text.split('{').next().unwrap_or(text);
    first.lines().next().unwrap_or(first).trim().to_string()
}

/// What AWS receives for a policy or alarm, per environment, from the
/// template scalec builds (only that group's part).
fn aws_view(a: &Analysis, group: &str, kind: &str, name: &str, md: &mut String) {
    // The owner is a group, or a scalable target (`service api`).
    let keyword = a
        .comp()
        .spec
        .environments
        .iter()
        .flat_map(|e| &e.targets)
        .find(|t| t.name == group)
        .map_or("group", |t| t.keyword.as_str());
    let item = format!("{keyword} {group} / {kind} {name}");
    for env in &a.comp().spec.environments {
        let mut one = env.clone();
        one.groups.retain(|g| g.name == group);
        one.targets.retain(|t| t.name == group);
        if one.groups.is_empty() && one.targets.is_empty() {
            continue;
        }
        let Ok(built) = crate::backend::cfn::model_to_cfn(
            &one,
            &a.comp().sources,
            crate::backend::cfn::Format::Json,
        ) else {
            continue;
        };
        let mut lines = Vec::new();
        for stack in &built.stacks {
            let Ok(t) = serde_json::from_str::<serde_json::Value>(&stack.text) else {
                continue;
            };
            let Some(resources) = t["Resources"].as_object() else {
                continue;
            };
            for r in resources.values() {
                if r["Metadata"]["scalec"]["item"].as_str() != Some(item.as_str()) {
                    continue;
                }
                let p = &r["Properties"];
                match r["Type"].as_str() {
                    Some("AWS::CloudWatch::Alarm") => lines.push(format!(
                        "alarm `{}`: {} {} {} over {} x {} s",
                        p["AlarmName"].as_str().unwrap_or_default(),
                        p["MetricName"].as_str().unwrap_or("(metric math)"),
                        p["ComparisonOperator"].as_str().unwrap_or_default(),
                        p["Threshold"],
                        p["EvaluationPeriods"],
                        p["Period"]
                    )),
                    Some(
                        "AWS::AutoScaling::ScalingPolicy"
                        | "AWS::ApplicationAutoScaling::ScalingPolicy",
                    ) => {
                        let physical = one
                            .groups
                            .iter()
                            .flat_map(|g| &g.policies)
                            .chain(one.targets.iter().flat_map(|t| &t.policies))
                            .find(|x| x.name == name)
                            .map_or("", |x| x.physical_name.as_str());
                        let mut l = format!(
                            "policy `{physical}`: {}",
                            p["PolicyType"].as_str().unwrap_or("SimpleScaling")
                        );
                        let tracking = p
                            .get("TargetTrackingConfiguration")
                            .or_else(|| p.get("TargetTrackingScalingPolicyConfiguration"));
                        if let Some(v) = tracking.and_then(|c| c.get("TargetValue")) {
                            let _ = write!(l, ", target {v}");
                        }
                        let steps = p
                            .get("StepAdjustments")
                            .or_else(|| p["StepScalingPolicyConfiguration"].get("StepAdjustments"));
                        for s in steps.and_then(|x| x.as_array()).into_iter().flatten() {
                            let _ = write!(
                                l,
                                "; [{}, {}) {:+}",
                                s["MetricIntervalLowerBound"],
                                s["MetricIntervalUpperBound"],
                                s["ScalingAdjustment"].as_i64().unwrap_or(0)
                            );
                        }
                        lines.push(l);
                    }
                    _ => {}
                }
            }
        }
        lines.sort();
        if !lines.is_empty() {
            let _ = writeln!(md, "\n**{}** receives:", env.name);
            for l in lines {
                let _ = writeln!(md, "- {}", l.replace("null", "∞"));
            }
        }
    }
}

/// Go to definition.
pub fn definition(a: &Analysis, uri: &Uri, offset: usize, utf8: bool) -> Option<lsp::Location> {
    // `use "platform.scale"`: the file.
    if let Some((_, tree)) = a.trees().iter().find(|(id, _)| *id == USER) {
        for item in &tree.items {
            if let Item::Use(u) = item
                && (u.path_span.start as usize..=u.path_span.end as usize).contains(&offset)
            {
                let here = &a.comp().sources.get(USER).name;
                let dir = std::path::Path::new(here).parent()?;
                let want = crate::uses_normal(&dir.join(&u.path).display().to_string());
                let (id, _) = a.comp().sources.iter().find(|(id, f)| {
                    *id != USER && !f.is_std && crate::uses_normal(&f.name) == want
                })?;
                return location(a, uri, Span::new(id, 0, 0), utf8);
            }
        }
    }
    let (_, _, word) = word_at(&a.text, offset)?;
    if let Some(key) = word.strip_prefix("env.") {
        // The environment or preset of the user's file that sets it first,
        // else the std-lib preset.
        let mut found: Option<Span> = None;
        for (_, tree) in a.trees() {
            for item in &tree.items {
                if let Item::Preset(e) | Item::Environment(e) = item
                    && let Some(p) = e.body.properties.iter().find(|p| p.key.text() == key)
                    && found.is_none_or(|f| f.file != USER && p.key.span().file == USER)
                {
                    found = Some(p.key.span());
                }
            }
        }
        return location(a, uri, found?, utf8);
    }
    let d = referent(a, word)?;
    location(a, uri, d.at, utf8)
}

/// Whether a byte of the text is inside a comment or a string.
fn in_comment_or_string(
    text: &str,
    comments: &[crate::syntax::format::Comment],
    at: usize,
) -> bool {
    if comments.iter().any(|c| c.start <= at && at < c.end) {
        return true;
    }
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..at].matches('"').count() % 2 == 1
}

/// Find references: every use of the dotted word in the document (outside
/// comments and strings), and its declaration.
pub fn references(a: &Analysis, uri: &Uri, offset: usize, utf8: bool) -> Vec<lsp::Location> {
    let Some((_, _, word)) = word_at(&a.text, offset) else {
        return Vec::new();
    };
    let (comments, _) = crate::syntax::format::comments(&a.text);
    let index = LineIndex::new(&a.text, utf8);
    let mut out = Vec::new();
    for (i, _) in a.text.match_indices(word) {
        let end = i + word.len();
        let whole = word_at(&a.text, i).is_some_and(|(s, e, _)| s == i && e == end);
        if whole && !in_comment_or_string(&a.text, &comments, i) {
            out.push(lsp::Location {
                uri: uri.clone(),
                range: index.range(i, end),
            });
        }
    }
    if let Some(d) = referent(a, word).filter(|d| d.at.file != USER)
        && let Some(l) = location(a, uri, d.at, utf8)
    {
        out.insert(0, l);
    }
    out
}

/// The innermost declaration around an offset of the user's file
/// (`group`, `policy step`, `alarm`, ..., or `file`).
fn enclosing(a: &Analysis, offset: usize) -> &'static str {
    let inside = |s: Span| s.start as usize <= offset && offset <= s.end as usize;
    let Some((_, tree)) = a.trees().first() else {
        return "file";
    };
    for item in &tree.items {
        match item {
            Item::Group(g) if inside(g.span) => {
                for (kind, span) in g
                    .policies
                    .iter()
                    .map(|p| (policy_block(&p.kind.name), p.span))
                    .chain(g.alarms.iter().map(|x| ("alarm", x.span)))
                    .chain(g.hooks.iter().map(|x| ("hook", x.span)))
                    .chain(g.schedules.iter().map(|x| ("schedule", x.span)))
                    .chain(g.dashboards.iter().map(|x| ("dashboard", x.span)))
                {
                    if inside(span) {
                        return kind;
                    }
                }
                return "group";
            }
            Item::Topic(t) if inside(t.span) => return "topic",
            Item::Environment(e) | Item::Preset(e) if inside(e.span) => return "environment",
            Item::Metric(m) if inside(m.span) => return "metric",
            _ => {}
        }
    }
    "file"
}

/// A scalable target in each environment: what Application Auto Scaling
/// is asked to register.
fn target_view(a: &Analysis, name: &str, md: &mut String) {
    for env in &a.comp().spec.environments {
        let Some(t) = env.targets.iter().find(|t| t.name == name) else {
            continue;
        };
        let id = t.resource_id().unwrap_or_else(|| {
            let parts: Vec<String> = t
                .parts
                .iter()
                .map(|(k, v)| match v {
                    crate::model::Value::Literal(s) => format!("{k} `{s}`"),
                    crate::model::Value::Param(p) => format!("{k} from `param.{p}`"),
                })
                .collect();
            parts.join(", ")
        });
        let _ = writeln!(
            md,
            "\n**{}**: `{}` `{}` of `{id}`, {}..{}",
            env.name, t.namespace, t.dimension, t.min, t.max
        );
    }
}

/// The scalable target whose declaration holds `offset`, and the block
/// of it that does (`policy target_tracking`, `schedule`, `alarm`), or ""
/// for the target's own body.
fn enclosing_target(a: &Analysis, offset: usize) -> Option<(&ScalableDecl, &'static str)> {
    let inside = |s: Span| s.start as usize <= offset && offset <= s.end as usize;
    let (_, tree) = a.trees().first()?;
    tree.items.iter().find_map(|item| match item {
        Item::Scalable(t) if inside(t.span) => {
            let g = &t.body;
            let member = g
                .policies
                .iter()
                .map(|p| (policy_block(&p.kind.name), p.span))
                .chain(g.alarms.iter().map(|x| ("alarm", x.span)))
                .chain(g.schedules.iter().map(|x| ("schedule", x.span)))
                .find(|(_, span)| inside(*span))
                .map_or("", |(kind, _)| kind);
            Some((t, member))
        }
        _ => None,
    })
}

/// The std-lib metrics `pick` chooses, by name.
fn metric_keys(pick: impl Fn(&crate::check::MetricDef) -> bool) -> Vec<String> {
    crate::check::std_metric_defs()
        .into_iter()
        .filter(|d| pick(d))
        .map(|d| d.key)
        .collect()
}

/// Completion inside a scalable target: its kind's properties (or its
/// member's), its members' keywords, the metrics that read a scalable
/// target (and those with only arguments, such as ALB requests), tiers.
fn target_completion(
    a: &Analysis,
    decls: &[Decl],
    t: &ScalableDecl,
    member: &str,
) -> Vec<lsp::CompletionItem> {
    use lsp::CompletionItemKind as K;
    let mut out = Vec::new();
    let (keys, what) = if member.is_empty() {
        (
            crate::check::target_keys(&t.keyword.name, &t.kind.name),
            t.keyword.name.as_str(),
        )
    } else {
        (crate::check::target_block_keys(member), member)
    };
    for k in keys {
        out.push(item(k, K::PROPERTY, Some(format!("{what} property")), None));
    }
    if member.is_empty() {
        for m in ["policy", "alarm", "schedule"] {
            out.push(item(m, K::KEYWORD, None, None));
        }
    }
    let groups_only = metric_keys(|def| {
        def.group_metric
            || def
                .dimensions
                .iter()
                .any(|(_, s)| matches!(s, crate::check::DimSource::GroupName))
    });
    metrics_and_tiers(a, decls, &groups_only, &mut out);
    out
}

/// The metrics declared anywhere but those `left_out` names, and the
/// alarm tiers, as completion items.
fn metrics_and_tiers(
    a: &Analysis,
    decls: &[Decl],
    left_out: &[String],
    out: &mut Vec<lsp::CompletionItem>,
) {
    use lsp::CompletionItemKind as K;
    for d in decls
        .iter()
        .filter(|d| d.kind == "metric" && !left_out.contains(&d.name))
    {
        out.push(item(
            &d.name,
            K::FUNCTION,
            Some(header(a, d)),
            a.doc_before(d.at.file, d.whole.start as usize),
        ));
    }
    for tier in ["critical", "warning", "info"] {
        out.push(item(tier, K::ENUM_MEMBER, Some("alarm tier".into()), None));
    }
}

/// A policy's block name for [`crate::check::block_keys`].
fn policy_block(kind: &str) -> &'static str {
    match kind {
        "target_tracking" => "policy target_tracking",
        "step" => "policy step",
        "simple" => "policy simple",
        "predictive" => "policy predictive",
        _ => "policy",
    }
}

/// The parameters of the template whose `from NAME(...)` (or `extends`)
/// call holds `offset`, but not its name: those the call doesn't give.
fn template_params_at(a: &Analysis, offset: usize) -> Option<Vec<lsp::CompletionItem>> {
    let (_, tree) = a.trees().iter().find(|(id, _)| *id == USER)?;
    let call = tree.items.iter().find_map(|i| {
        let c = match i {
            Item::Group(g) => g.from.as_ref(),
            Item::Template(t) => t.extends.as_ref(),
            _ => None,
        }?;
        (c.name.span.end as usize <= offset && offset <= c.span.end as usize).then_some(c)
    })?;
    let template = a.trees().iter().find_map(|(_, t)| {
        t.items.iter().find_map(|i| match i {
            Item::Template(t) if t.body.name.name == call.name.name => Some(t),
            _ => None,
        })
    })?;
    let given: Vec<String> = call
        .args
        .iter()
        .map(|p| p.key.text().into_owned())
        .collect();
    Some(
        template
            .params
            .iter()
            .filter(|p| !given.contains(&p.name.name))
            .map(|p| {
                let ty = a.slice(p.ty.span).to_string();
                let detail = match &p.default {
                    Some(d) => format!("{ty} = {}", a.slice(d.span)),
                    None => format!("{ty} (required)"),
                };
                let mut it = item(
                    &p.name.name,
                    lsp::CompletionItemKind::FIELD,
                    Some(detail),
                    a.doc_before(p.span.file, p.span.start as usize),
                );
                it.insert_text = Some(format!("{} = ", p.name.name));
                it
            })
            .collect(),
    )
}

fn item(
    label: &str,
    kind: lsp::CompletionItemKind,
    detail: Option<String>,
    doc: Option<String>,
) -> lsp::CompletionItem {
    lsp::CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail,
        documentation: doc.map(|d| {
            lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: d,
            })
        }),
        ..Default::default()
    }
}

/// Completion at an offset: after `env.`, `param.` or `std.`, after a
/// number, inside `match env {`, or the properties, members and metrics of
/// the enclosing block.
pub fn completion(a: &Analysis, text: &str, offset: usize) -> Vec<lsp::CompletionItem> {
    use lsp::CompletionItemKind as K;
    let offset = offset.min(text.len());
    // Inside `from NAME(...)`: the template's parameters not given yet.
    if let Some(items) = template_params_at(a, offset) {
        return items;
    }
    let before = text.get(..offset).unwrap_or_default();
    let line = before.rsplit('\n').next().unwrap_or_default();
    let token: &str = {
        let start = line
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
            .last()
            .map_or(line.len(), |(i, _)| i);
        &line[start..]
    };
    let mut out = Vec::new();
    let mut keys = std::collections::BTreeSet::new();
    if token.starts_with("env.") {
        for (_, values) in &a.env_values {
            keys.extend(values.keys().filter(|k| !k.starts_with("param.")).cloned());
        }
        for k in keys {
            out.push(item(&k, K::FIELD, Some(format!("env.{k}")), None));
        }
        return out;
    }
    let decls = declarations(a);
    if token.starts_with("param.") {
        for d in decls
            .iter()
            .filter(|d| d.kind == "param" && d.at.file == USER)
        {
            let name = d.name.trim_start_matches("param.");
            out.push(item(name, K::VARIABLE, Some(header(a, d)), None));
        }
        return out;
    }
    if token.starts_with("std.") {
        for d in decls
            .iter()
            .filter(|d| d.kind == "preset" && d.at.file != USER)
        {
            out.push(item(
                &d.name,
                K::MODULE,
                Some(format!("std.{}", d.name)),
                a.doc_before(d.at.file, d.whole.start as usize),
            ));
        }
        return out;
    }
    if !token.is_empty() && token.starts_with(|c: char| c.is_ascii_digit()) {
        for (unit, _, _) in crate::model::units::UNITS {
            out.push(item(unit, K::UNIT, None, None));
        }
        return out;
    }
    // Inside `match env { ... }`: the environments.
    if let Some(m) = before.rfind("match env")
        && before[m..].matches('{').count() > before[m..].matches('}').count()
    {
        for d in decls.iter().filter(|d| d.kind == "environment") {
            out.push(item(
                &d.name,
                K::ENUM_MEMBER,
                Some("environment".into()),
                None,
            ));
        }
        out.push(item(
            "_",
            K::ENUM_MEMBER,
            Some("any other environment".into()),
            None,
        ));
        return out;
    }
    let block = enclosing(a, offset);
    if block == "environment" {
        let mut keys = std::collections::BTreeSet::new();
        for (_, values) in &a.env_values {
            keys.extend(values.keys().cloned());
        }
        for k in keys {
            out.push(item(
                &k,
                K::PROPERTY,
                Some("environment value".into()),
                None,
            ));
        }
        return out;
    }
    if let Some((t, member)) = enclosing_target(a, offset) {
        return target_completion(a, &decls, t, member);
    }
    for k in crate::check::block_keys(block) {
        out.push(item(
            k,
            K::PROPERTY,
            Some(format!("{block} property")),
            None,
        ));
    }
    let members: &[&str] = match block {
        "file" => crate::syntax::TOP_KEYWORDS,
        "group" => crate::syntax::GROUP_KEYWORDS,
        _ => &[],
    };
    for m in members {
        out.push(item(m, K::KEYWORD, None, None));
    }
    if block != "file" {
        // A group's metrics: not a scalable target's (`ecs.cpu`).
        let targets_only = metric_keys(|def| {
            def.dimensions
                .iter()
                .any(|(_, s)| matches!(s, crate::check::DimSource::Target(_)))
        });
        metrics_and_tiers(a, &decls, &targets_only, &mut out);
    }
    out
}

/// The outline: environments and presets, topics, params, metrics, and
/// groups with their policies, alarms, hooks and schedules.
#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be given
pub fn symbols(a: &Analysis, utf8: bool) -> Vec<lsp::DocumentSymbol> {
    use lsp::SymbolKind as S;
    let index = LineIndex::new(&a.text, utf8);
    let sym = |name: String,
               kind: S,
               detail: &str,
               whole: Span,
               at: Span,
               children: Option<Vec<lsp::DocumentSymbol>>| lsp::DocumentSymbol {
        name,
        detail: (!detail.is_empty()).then(|| detail.to_string()),
        kind,
        tags: None,
        deprecated: None,
        range: index.range(whole.start as usize, whole.end as usize),
        selection_range: index.range(at.start as usize, at.end as usize),
        children,
    };
    let Some((_, tree)) = a.trees().first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in &tree.items {
        if let Item::Group(g) = item {
            // A group's members, in the order written.
            let mut members: Vec<(&crate::syntax::ast::Ident, S, String, Span)> = Vec::new();
            members.extend(g.policies.iter().map(|p| {
                (
                    &p.name,
                    S::METHOD,
                    format!("policy {}", p.kind.name),
                    p.span,
                )
            }));
            members.extend(
                g.alarms
                    .iter()
                    .map(|x| (&x.name, S::EVENT, format!("alarm {}", x.tier.name), x.span)),
            );
            members.extend(
                g.hooks
                    .iter()
                    .map(|x| (&x.name, S::EVENT, format!("hook {}", x.on.name), x.span)),
            );
            members.extend(
                g.schedules
                    .iter()
                    .map(|x| (&x.name, S::EVENT, "schedule".to_string(), x.span)),
            );
            members.sort_by_key(|(_, _, _, whole)| whole.start);
            let children = members
                .into_iter()
                .map(|(name, kind, detail, whole)| {
                    sym(name.name.clone(), kind, &detail, whole, name.span, None)
                })
                .collect();
            out.push(sym(
                g.name.name.clone(),
                S::CLASS,
                "group",
                g.span,
                g.name.span,
                Some(children),
            ));
        } else if let Some((name, kind, detail, whole, at)) = item_symbol(item) {
            out.push(sym(name, kind, detail, whole, at, None));
        }
    }
    out
}

/// A top-level item other than a group as an outline entry: its name,
/// kind, detail, whole span and name's span (a `use` has none).
fn item_symbol(item: &Item) -> Option<(String, lsp::SymbolKind, &'static str, Span, Span)> {
    use lsp::SymbolKind as S;
    Some(match item {
        Item::App(x) => (x.name.clone(), S::PACKAGE, "app", x.span, x.name_span),
        Item::Param(p) => (
            p.name.name.clone(),
            S::VARIABLE,
            "param",
            p.span,
            p.name.span,
        ),
        Item::Metric(m) => (
            m.name.dotted().into_owned(),
            S::FUNCTION,
            "metric",
            m.span,
            m.name.span,
        ),
        Item::Preset(e) => (
            e.name.name.clone(),
            S::NAMESPACE,
            "preset",
            e.span,
            e.name.span,
        ),
        Item::Environment(e) => (
            e.name.name.clone(),
            S::NAMESPACE,
            "environment",
            e.span,
            e.name.span,
        ),
        Item::Topic(t) => (t.name.name.clone(), S::EVENT, "topic", t.span, t.name.span),
        Item::Test(t) => (t.name.name.clone(), S::METHOD, "test", t.span, t.name.span),
        Item::Template(t) => (
            t.body.name.name.clone(),
            S::CLASS,
            "template",
            t.span,
            t.body.name.span,
        ),
        Item::Lints(l) => {
            let word = Span {
                end: l.span.start + 5,
                ..l.span
            };
            (
                "lints".to_string(),
                S::PROPERTY,
                "lint levels",
                l.span,
                word,
            )
        }
        Item::Scalable(t) => (
            t.body.name.name.clone(),
            S::OBJECT,
            crate::kinds::scalable::KINDS
                .iter()
                .find(|k| k.keyword == t.keyword.name)
                .map_or("scalable target", |k| k.keyword),
            t.span,
            t.body.name.span,
        ),
        Item::Use(_) | Item::Group(_) => return None,
    })
}

/// Code actions for the diagnostics at a range: a did-you-mean replaced,
/// a missing `match` arm added as `_ => ...`.
pub fn code_actions(
    a: &Analysis,
    uri: &Uri,
    range: lsp::Range,
    utf8: bool,
) -> Vec<lsp::CodeActionOrCommand> {
    let index = LineIndex::new(&a.text, utf8);
    let (from, to) = (index.offset(range.start), index.offset(range.end));
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let published = diagnostics(a, uri, utf8);
    for d in a.comp().diagnostics.sorted() {
        let span = d.span();
        if span.file != USER || (span.end as usize) < from || (span.start as usize) > to {
            continue;
        }
        let Some(help) = &d.help else { continue };
        let edit = if d.code == "scale::env::non_exhaustive" {
            missing_arms(a, span, &d.message)
        } else if d.code == "scale::step::gap" {
            close_gap(a, span, help)
        } else if let Some(rest) = help.split("did you mean `").nth(1)
            && let Some(fix) = rest.split('`').next()
        {
            let replace = if a.slice(span).contains('.') && !fix.contains('.') {
                // `env.cpuu` -> keep the prefix, fix the last segment.
                let text = a.slice(span);
                let (head, _) = text.rsplit_once('.').unwrap_or(("", text));
                format!("{head}.{fix}")
            } else {
                fix.to_string()
            };
            Some((
                format!("Replace with `{replace}`"),
                span.start as usize,
                span.end as usize,
                replace,
            ))
        } else {
            None
        };
        let Some((title, s, e, new_text)) = edit else {
            continue;
        };
        // The same fix for the same place (one diagnostic per environment).
        if !seen.insert((s, e, new_text.clone())) {
            continue;
        }
        // lsp-types keys edits by `Uri`, which clippy thinks mutable.
        #[allow(clippy::mutable_key_type)]
        let mut changes = std::collections::HashMap::new();
        changes.insert(
            uri.clone(),
            vec![lsp::TextEdit {
                range: index.range(s, e),
                new_text,
            }],
        );
        out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
            title,
            kind: Some(lsp::CodeActionKind::QUICKFIX),
            diagnostics: Some(
                published
                    .iter()
                    .filter(|x| x.range == index.range(span.start as usize, span.end as usize))
                    .cloned()
                    .collect(),
            ),
            edit: Some(lsp::WorkspaceEdit {
                changes: Some(changes),
                ..Default::default()
            }),
            is_preferred: Some(true),
            ..Default::default()
        }));
    }
    out
}

/// A fix: a title, the byte range to replace and the new text.
type Fix = (String, usize, usize, String);

/// Adds an arm for each environment a `match env` misses, with the last
/// arm's value (to be changed where it shouldn't be the same).
fn missing_arms(a: &Analysis, span: Span, message: &str) -> Option<Fix> {
    let missing: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let text = a.slice(span);
    let close = text.rfind('}')?;
    let value = text[..close]
        .rsplit("=>")
        .next()?
        .trim()
        .trim_end_matches(',')
        .trim();
    if missing.is_empty() || value.is_empty() {
        return None;
    }
    let arms: Vec<String> = missing.iter().map(|e| format!("{e} => {value}")).collect();
    let before = text[..close].trim_end();
    let sep = if before.ends_with(',') || before.ends_with('{') {
        " "
    } else {
        ", "
    };
    let at = span.start as usize + before.len();
    Some((
        format!(
            "Add {} (with the last arm's value)",
            crate::suggest::quoted_list(missing.iter().copied())
        ),
        at,
        at,
        format!("{sep}{}", arms.join(", ")),
    ))
}

/// Closes a gap between two steps: the later range starts where the
/// earlier one ends (the help says where).
fn close_gap(a: &Analysis, span: Span, help: &str) -> Option<Fix> {
    let from = help
        .strip_prefix("start this range at ")?
        .split(" or end")
        .next()?;
    let range = a.slice(span);
    let (_, upper) = range.split_once("..")?;
    Some((
        format!("Start this range at {from}"),
        span.start as usize,
        span.end as usize,
        format!("{from}..{upper}"),
    ))
}

/// Formatting: the whole document replaced by `scalec fmt`'s layout, or
/// nothing when it has syntax errors or is already formatted.
pub fn formatting(text: &str, utf8: bool) -> Vec<lsp::TextEdit> {
    match crate::syntax::format::format(text, USER) {
        Ok(new) if new != text => {
            let index = LineIndex::new(text, utf8);
            vec![lsp::TextEdit {
                range: index.range(0, text.len()),
                new_text: new,
            }]
        }
        _ => Vec::new(),
    }
}
