//! Writing a syntax tree back as `.scale` text: what `scalec debug expand`
//! prints once templates and `for_each` are written out. The text is laid
//! out by `format`; comments are not in the tree, so they are not in it.

use super::ast::*;
use std::fmt::Write;

/// The items as one file's text (not yet formatted).
pub fn items(items: &[&Item]) -> String {
    let mut out = String::new();
    for (k, item) in items.iter().enumerate() {
        item_text(&mut out, item);
        // A blank line between items, but not within a run of params.
        let next_param = matches!(items.get(k + 1), Some(Item::Param(_)));
        if !(matches!(item, Item::Param(_)) && next_param) {
            out.push('\n');
        }
    }
    out
}

fn item_text(out: &mut String, item: &Item) {
    match item {
        Item::App(a) => {
            let _ = writeln!(out, "app {}", string(&a.name));
        }
        Item::Use(u) => {
            let _ = writeln!(out, "use {}", string(&u.path));
        }
        Item::Param(p) => {
            let _ = writeln!(out, "param {}: {}", p.name.name, type_text(&p.ty));
        }
        Item::Metric(m) => {
            let params: Vec<String> = m
                .params
                .iter()
                .map(|(n, t)| format!("{}: {}", n.name, type_text(t)))
                .collect();
            let params = if params.is_empty() {
                String::new()
            } else {
                format!("({})", params.join(", "))
            };
            let _ = writeln!(out, "metric {}{params} {}", m.name.dotted(), block(&m.body));
        }
        Item::Preset(e) | Item::Environment(e) => {
            let kw = if matches!(item, Item::Preset(_)) {
                "preset"
            } else {
                "environment"
            };
            let extends = if e.extends.is_empty() {
                String::new()
            } else {
                let names: Vec<String> =
                    e.extends.iter().map(|p| p.dotted().into_owned()).collect();
                format!(" extends {}", names.join(", "))
            };
            let _ = writeln!(out, "{kw} {}{extends} {}", e.name.name, block(&e.body));
        }
        Item::Topic(t) => {
            let _ = writeln!(out, "topic {} {}", t.name.name, block(&t.body));
        }
        Item::Lints(l) => {
            let _ = writeln!(out, "lints {}", block(&l.body));
        }
        Item::Group(g) => group(out, "group", g, None),
        Item::Scalable(t) => group(out, &t.keyword.name, &t.body, Some(&t.kind.name)),
        Item::Test(t) => {
            let _ = writeln!(out, "test {} {{", t.name.name);
            for p in &t.properties {
                let _ = writeln!(out, "{}", property(p));
            }
            for e in &t.expects {
                let _ = writeln!(out, "expect {}", expect(e));
            }
            out.push_str("}\n");
        }
        Item::Template(t) => {
            let params: Vec<String> = t
                .params
                .iter()
                .map(|p| match &p.default {
                    Some(d) => format!("{}: {} = {}", p.name.name, type_text(&p.ty), expr(d)),
                    None => format!("{}: {}", p.name.name, type_text(&p.ty)),
                })
                .collect();
            let mut head = format!("{}({})", t.body.name.name, params.join(", "));
            if let Some(base) = &t.extends {
                head = format!("{head} extends {}", call(base));
            }
            let mut body = t.body.clone();
            body.name.name = head;
            group(out, "template", &body, None);
        }
    }
}

/// An expectation as `expect` writes it, without the keyword:
/// `at_max for <= 15m`.
pub fn expect(e: &ExpectStmt) -> String {
    match &e.duration {
        Some(d) => format!("{} for {} {}", expr(&e.cond), d.op.symbol(), expr(&d.value)),
        None => expr(&e.cond),
    }
}

fn call(c: &TemplateCall) -> String {
    let args: Vec<String> = c.args.iter().map(property).collect();
    format!("{}({})", c.name.name, args.join(", "))
}

/// A group's text; `kind` follows the name of a scalable target
/// (`service api ecs`).
fn group(out: &mut String, kw: &str, g: &GroupDecl, kind: Option<&str>) {
    let from = g
        .from
        .as_ref()
        .map_or(String::new(), |c| format!(" from {}", call(c)));
    let kind = kind.map_or(String::new(), |k| format!(" {k}"));
    let _ = writeln!(out, "{kw} {}{kind}{from} {{", g.name.name);
    for p in &g.properties {
        let _ = writeln!(out, "{}", property(p));
    }
    for n in &g.notifications {
        let _ = writeln!(out, "notify {} -> {}", expr(&n.events), n.topic.name);
    }
    let over = |kind: &str, name: &str| {
        if g.overrides
            .iter()
            .any(|r| r.kind.name == kind && r.name.name == name)
        {
            "override "
        } else {
            ""
        }
    };
    for p in &g.policies {
        let _ = writeln!(
            out,
            "{}policy {} {} {{",
            over("policy", &p.name.name),
            p.name.name,
            p.kind.name
        );
        for x in &p.properties {
            let _ = writeln!(out, "{}", property(x));
        }
        for s in &p.steps {
            let lo = s.lower.as_deref().map_or(String::new(), expr);
            let hi = s.upper.as_deref().map_or(String::new(), expr);
            let _ = writeln!(out, "{lo}..{hi} => {}", expr(&s.adjustment));
        }
        out.push_str("}\n");
    }
    // Alarms, hooks and schedules: `KIND NAME [WORD] { ... }`.
    let members = g
        .alarms
        .iter()
        .map(|a| ("alarm", &a.name, Some(&a.tier), &a.body))
        .chain(
            g.hooks
                .iter()
                .map(|h| ("hook", &h.name, Some(&h.on), &h.body)),
        )
        .chain(
            g.schedules
                .iter()
                .map(|x| ("schedule", &x.name, None, &x.body)),
        );
    for (kind, name, word, body) in members {
        let word = word.map_or(String::new(), |w| format!(" {}", w.name));
        let _ = writeln!(
            out,
            "{}{kind} {}{word} {}",
            over(kind, &name.name),
            name.name,
            block(body)
        );
    }
    for d in &g.dashboards {
        let name = d.name.as_ref().map_or("", |n| n.name.as_str());
        let _ = write!(out, "{}dashboard ", over("dashboard", name));
        if !name.is_empty() {
            let _ = write!(out, "{name} ");
        }
        out.push_str("{\n");
        for p in &d.properties {
            let _ = writeln!(out, "{}", property(p));
        }
        for w in &d.widgets {
            match &w.args {
                Some(args) => {
                    let a: Vec<String> = args.iter().map(expr).collect();
                    let _ = writeln!(out, "{} [{}]", w.kind.name, a.join(", "));
                }
                None => {
                    let _ = writeln!(out, "{}", w.kind.name);
                }
            }
        }
        out.push_str("}\n");
    }
    for r in &g.removes {
        let _ = writeln!(out, "remove {} {}", r.kind.name, r.name.name);
    }
    out.push_str("}\n");
}

fn type_text(t: &TypeExpr) -> String {
    match &t.arg {
        Some(a) => format!("{}<{}>", t.name.name, type_text(a)),
        None => t.name.name.clone(),
    }
}

fn block(b: &Block) -> String {
    if b.properties.is_empty() {
        return "{}".into();
    }
    let props: Vec<String> = b.properties.iter().map(property).collect();
    format!("{{\n{}\n}}", props.join("\n"))
}

fn property(p: &Property) -> String {
    let key = match &p.key {
        Key::Path(path) => path.dotted().into_owned(),
        Key::String { value, .. } => string(value),
    };
    format!("{key} = {}", expr(&p.value))
}

/// A string literal: quotes and backslashes escaped.
fn string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn number(v: f64) -> String {
    format!("{v}")
}

/// An operand of an operator: parenthesised when it is an operation.
fn operand(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Binary { .. } | ExprKind::Compare { .. } | ExprKind::Of { .. } => {
            format!("({})", expr(e))
        }
        _ => expr(e),
    }
}

/// An expression as text.
pub fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Number { value } => number(*value),
        ExprKind::Quantity { value, unit, .. } => format!("{}{unit}", number(*value)),
        ExprKind::Signed { value, percent } => {
            let sign = if *value < 0.0 { "-" } else { "+" };
            format!(
                "{sign}{}{}",
                number(value.abs()),
                if *percent { "%" } else { "" }
            )
        }
        ExprKind::Exactly { value } => format!("exactly {}", number(*value)),
        ExprKind::String { value } => string(value),
        ExprKind::Bool { value } => value.to_string(),
        ExprKind::Path { path } => path.dotted().into_owned(),
        ExprKind::Call { path, args } => {
            let a: Vec<String> = args.iter().map(expr).collect();
            format!("{}({})", path.dotted(), a.join(", "))
        }
        ExprKind::List { items } => {
            let a: Vec<String> = items.iter().map(expr).collect();
            format!("[{}]", a.join(", "))
        }
        ExprKind::Range { lower, upper } => format!(
            "{}..{}",
            lower.as_deref().map_or(String::new(), expr),
            upper.as_deref().map_or(String::new(), expr)
        ),
        ExprKind::Match { subject, arms } => {
            let a: Vec<String> = arms
                .iter()
                .map(|arm| {
                    let pats: Vec<String> = arm
                        .patterns
                        .iter()
                        .map(|p| p.as_ref().map_or("_".to_string(), |i| i.name.clone()))
                        .collect();
                    format!("{} => {}", pats.join(" | "), expr(&arm.value))
                })
                .collect();
            format!("match {} {{ {} }}", subject.dotted(), a.join(", "))
        }
        ExprKind::Object { block: b } => {
            let props: Vec<String> = b.properties.iter().map(property).collect();
            format!("{{ {} }}", props.join(", "))
        }
        ExprKind::Tagged { tag, block: b } => {
            let props: Vec<String> = b.properties.iter().map(property).collect();
            format!("{} {{ {} }}", tag.name, props.join(", "))
        }
        ExprKind::Binary { op, lhs, rhs } => {
            let o = match op {
                BinOp::Add => "+",
                BinOp::Sub => "-",
                BinOp::Mul => "*",
                BinOp::Div => "/",
            };
            format!("{} {o} {}", operand(lhs), operand(rhs))
        }
        ExprKind::Of { fraction, whole } => format!("{} of {}", operand(fraction), operand(whole)),
        ExprKind::Compare { op, lhs, rhs, .. } => {
            format!("{} {} {}", operand(lhs), op.symbol(), operand(rhs))
        }
        ExprKind::Error => "_".into(),
    }
}
