//! Merging the specs imported from one template per environment into one
//! spec: what is the same everywhere is written once, a value that differs
//! becomes `env.NAME` with the value in each environment's block, and an
//! item some environments lack gets `enabled = match env { ... }`.
//!
//! It works on the text import writes (one item per line, blocks closed
//! by a line of their own), written explicitly (defaults and derived names
//! included) so that the environments' lines line up. Environments whose
//! specs differ in shape (a group in one only, a different number of
//! steps) are refused with what differs.

use std::collections::BTreeMap;

/// A line and the block it opens, if any.
#[derive(Debug, Clone)]
struct Node {
    line: String,
    children: Vec<Node>,
    /// Whether the line opens a block (ends with `{`).
    block: bool,
}

/// Lines into a tree by their braces.
fn tree(text: &str) -> Vec<Node> {
    fn parse(lines: &mut std::iter::Peekable<std::str::Lines>) -> Vec<Node> {
        let mut out = Vec::new();
        while let Some(l) = lines.next() {
            let t = l.trim();
            if t == "}" {
                break;
            }
            if t.ends_with('{') {
                let children = parse(lines);
                out.push(Node {
                    line: l.to_string(),
                    children,
                    block: true,
                });
            } else {
                out.push(Node {
                    line: l.to_string(),
                    children: vec![],
                    block: false,
                });
            }
        }
        out
    }
    parse(&mut text.lines().peekable())
}

/// What identifies a node among its siblings: a block's header, a
/// property's key, or the line itself.
fn key(n: &Node, index: usize) -> String {
    let t = n.line.trim();
    if n.block {
        return t.to_string();
    }
    if let Some((k, _)) = t.split_once(" = ")
        && !k.contains(' ')
    {
        return format!("{k} =");
    }
    if t.contains("=>") {
        // A step: by its place.
        return format!("step #{index}");
    }
    t.to_string()
}

/// Splits a line into tokens: quoted strings whole, brackets, commas and
/// `..` apart, everything else by whitespace.
fn tokens(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        if !cur.is_empty() {
            out.push(std::mem::take(cur));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                flush(&mut cur, &mut out);
                let mut s = String::from('"');
                let mut escaped = false;
                for d in chars.by_ref() {
                    s.push(d);
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == '"' {
                        break;
                    }
                }
                out.push(s);
            }
            c if c.is_whitespace() => flush(&mut cur, &mut out),
            '[' | ']' | '{' | '}' | '(' | ')' | ',' => {
                flush(&mut cur, &mut out);
                out.push(c.to_string());
            }
            '.' if chars.peek() == Some(&'.') => {
                chars.next();
                flush(&mut cur, &mut out);
                out.push("..".into());
            }
            c => cur.push(c),
        }
    }
    flush(&mut cur, &mut out);
    out
}

/// Joins tokens back with the spacing import writes.
fn join(tokens: &[String]) -> String {
    let mut s = String::new();
    for (i, t) in tokens.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| tokens[p].as_str());
        let tight = matches!(t.as_str(), "," | ")" | "]" | "..")
            || matches!(prev, Some("(") | Some("[") | Some(".."))
            || (t == "(" && prev.is_some());
        if i > 0 && !tight {
            s.push(' ');
        }
        s.push_str(t);
    }
    s
}

/// One environment's value for each `env.` key the merge introduced.
pub type EnvValues = BTreeMap<String, BTreeMap<String, String>>;

struct Merger<'a> {
    envs: &'a [String],
    values: EnvValues,
    problems: Vec<String>,
}

impl Merger<'_> {
    /// A name for an environment value (the path and the key before it)
    /// holding `per_env`: an existing one with the same values, or a new one.
    fn name(&mut self, path: &[String], near: &str, per_env: &BTreeMap<String, String>) -> String {
        let mut parts: Vec<String> = path
            .iter()
            .map(|p| {
                let w: Vec<&str> = p.split_whitespace().collect();
                // `group web {` -> web; `policy cpu step {` -> cpu.
                w.get(1).copied().unwrap_or("x").to_string()
            })
            .collect();
        if !near.is_empty() {
            parts.push(near.to_string());
        }
        let mut base: String = parts
            .join("_")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
            base = format!("v_{base}");
        }
        let mut name = base.clone();
        let mut k = 2;
        while self.values.get(&name).is_some_and(|v| v != per_env) {
            name = format!("{base}_{k}");
            k += 1;
        }
        name
    }

    /// Merges one line as written in each environment (`None` where an
    /// environment lacks it).
    fn line(&mut self, path: &[String], lines: &[&str]) -> Option<String> {
        let toks: Vec<Vec<String>> = lines.iter().map(|l| tokens(l)).collect();
        let indent: String = lines[0].chars().take_while(|c| *c == ' ').collect();
        if toks.iter().any(|t| t.len() != toks[0].len()) {
            self.problems.push(format!(
                "`{}` differs in shape between environments: {}",
                lines[0].trim(),
                lines
                    .iter()
                    .map(|l| format!("`{}`", l.trim()))
                    .collect::<Vec<_>>()
                    .join(" vs ")
            ));
            return None;
        }
        let mut out = toks[0].clone();
        for i in 0..out.len() {
            if toks.iter().all(|t| t[i] == toks[0][i]) {
                continue;
            }
            // The key this value belongs to: the word before the nearest `=`.
            let near = (0..i)
                .rev()
                .find(|j| toks[0][*j] == "=")
                .and_then(|j| j.checked_sub(1))
                .map(|j| toks[0][j].clone())
                .unwrap_or_default();
            let side = if toks[0].get(i + 1).is_some_and(|t| t == "..") {
                "from"
            } else if i > 0 && toks[0][i - 1] == ".." {
                "to"
            } else {
                ""
            };
            let near = match (near.is_empty(), side.is_empty()) {
                (_, true) => near,
                (true, false) => side.to_string(),
                (false, false) => format!("{near}_{side}"),
            };
            let per_env: BTreeMap<String, String> = self
                .envs
                .iter()
                .zip(&toks)
                .map(|(e, t)| (e.clone(), t[i].clone()))
                .collect();
            let name = self.name(path, &near, &per_env);
            self.values.insert(name.clone(), per_env);
            out[i] = format!("env.{name}");
        }
        Some(format!("{indent}{}", join(&out)))
    }

    /// Merges sibling nodes of every environment.
    fn nodes(&mut self, path: &[String], per_env: &[&[Node]], out: &mut Vec<String>) {
        // Keys in first-seen order across environments.
        let mut order: Vec<String> = Vec::new();
        let mut found: Vec<BTreeMap<String, &Node>> = Vec::new();
        for nodes in per_env {
            let mut m = BTreeMap::new();
            let mut steps = 0;
            for n in nodes.iter() {
                let k = key(n, steps);
                if k.starts_with("step #") {
                    steps += 1;
                }
                if !order.contains(&k) {
                    order.push(k.clone());
                }
                m.insert(k, n);
            }
            found.push(m);
        }
        for k in &order {
            let present: Vec<Option<&&Node>> = found.iter().map(|m| m.get(k)).collect();
            let have: Vec<(usize, &Node)> = present
                .iter()
                .enumerate()
                .filter_map(|(i, n)| n.map(|n| (i, *n)))
                .collect();
            let first = have[0].1;
            if first.block {
                let header = first.line.clone();
                let indent: String = header.chars().take_while(|c| *c == ' ').collect();
                // A blank line before groups, and before a group's items.
                if path.len() <= 1
                    && !header.starts_with("topic ")
                    && !header.starts_with("metric ")
                {
                    out.push(String::new());
                }
                out.push(header.clone());
                if have.len() < per_env.len() {
                    if path.is_empty() {
                        self.problems.push(format!(
                            "`{}` is in {} only",
                            header.trim().trim_end_matches(" {"),
                            have.iter()
                                .map(|(i, _)| self.envs[*i].as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ));
                    }
                    let arms: Vec<String> = have
                        .iter()
                        .map(|(i, _)| format!("{} => true", self.envs[*i]))
                        .collect();
                    out.push(format!(
                        "{indent}  enabled = match env {{ {}, _ => false }}",
                        arms.join(", ")
                    ));
                }
                let mut sub = path.to_vec();
                sub.push(header.trim().to_string());
                let kids: Vec<&[Node]> = have.iter().map(|(_, n)| n.children.as_slice()).collect();
                let envs: Vec<String> = have.iter().map(|(i, _)| self.envs[*i].clone()).collect();
                let mut inner = Merger {
                    envs: &envs,
                    values: std::mem::take(&mut self.values),
                    problems: vec![],
                };
                inner.nodes(&sub, &kids, out);
                self.values = inner.values;
                self.problems.extend(inner.problems);
                out.push(format!("{indent}}}"));
            } else if have.len() < per_env.len() {
                self.problems.push(format!(
                    "`{}` is set in {} only",
                    first.line.trim(),
                    have.iter()
                        .map(|(i, _)| self.envs[*i].as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            } else {
                let lines: Vec<&str> = have.iter().map(|(_, n)| n.line.as_str()).collect();
                if let Some(l) = self.line(path, &lines) {
                    out.push(l);
                }
            }
        }
    }
}

/// Merges `(environment, spec)` pairs imported with explicit values into
/// one spec, or says what differs in shape.
pub fn merge(specs: &[(String, String)]) -> Result<String, Vec<String>> {
    let envs: Vec<String> = specs.iter().map(|(e, _)| e.clone()).collect();
    let trees: Vec<Vec<Node>> = specs.iter().map(|(_, t)| tree(t)).collect();
    // Environment blocks are kept apart; everything else merges.
    let is_env = |n: &Node| n.line.starts_with("environment ");
    let rest: Vec<Vec<Node>> = trees
        .iter()
        .map(|t| t.iter().filter(|n| !is_env(n)).cloned().collect())
        .collect();
    let env_blocks: Vec<Vec<Node>> = trees
        .iter()
        .map(|t| t.iter().filter(|n| is_env(n)).cloned().collect())
        .collect();
    let mut m = Merger {
        envs: &envs,
        values: EnvValues::new(),
        problems: vec![],
    };
    let slices: Vec<&[Node]> = rest.iter().map(Vec::as_slice).collect();
    let mut body = Vec::new();
    m.nodes(&[], &slices, &mut body);
    if !m.problems.is_empty() {
        return Err(m.problems);
    }
    drop_derived_names(&mut body, &mut m.values, &envs);
    let mut out = String::new();
    let mut in_header = true;
    for l in &body {
        // The environments go after the params and declared metrics.
        if in_header && (l.starts_with("topic ") || l.starts_with("group ")) {
            in_header = false;
            if !out.ends_with("\n\n") {
                out.push('\n');
            }
            for (e, block) in envs.iter().zip(&env_blocks) {
                out.push_str(&format!("environment {e} {{\n"));
                for n in block.iter().flat_map(|b| b.children.iter()) {
                    out.push_str(&n.line);
                    out.push('\n');
                }
                for (k, v) in &m.values {
                    if let Some(x) = v.get(e) {
                        out.push_str(&format!("  {k} = {x}\n"));
                    }
                }
                out.push_str("}\n\n");
            }
        }
        out.push_str(l);
        out.push('\n');
        if l.starts_with("app ") {
            out.push('\n');
        }
    }
    Ok(out)
}

/// `name = env.X` where every environment's value is the name scalec
/// derives (the same text with only the environment's name changed) is
/// left out: the derived names are those names.
fn drop_derived_names(body: &mut Vec<String>, values: &mut EnvValues, envs: &[String]) {
    let derived: Vec<String> = values
        .iter()
        .filter(|(k, v)| {
            k.ends_with("_name") && {
                let shapes: Vec<String> = envs
                    .iter()
                    .filter_map(|e| {
                        v.get(e).map(|x| {
                            x.replace(&format!("-{e}-"), "-{env}-")
                                .replace(&format!("-{e}\""), "-{env}\"")
                        })
                    })
                    .collect();
                shapes.len() == envs.len()
                    && shapes.iter().all(|s| *s == shapes[0])
                    && shapes[0].contains("{env}")
            }
        })
        .map(|(k, _)| k.clone())
        .collect();
    body.retain(|l| {
        !derived
            .iter()
            .any(|k| l.trim() == format!("name = env.{k}"))
    });
    for k in derived {
        values.remove(&k);
    }
    // Names equal in every environment were written once as literals; a
    // literal name that is every environment's derived name can't be, as
    // derived names contain the environment.
}

#[cfg(test)]
mod tests {
    use super::{join, merge, tokens};

    #[test]
    fn tokens_keep_strings_and_split_ranges() {
        assert_eq!(
            tokens("  capacity = 2..10  name = \"a b\""),
            ["capacity", "=", "2", "..", "10", "name", "=", "\"a b\""]
        );
        assert_eq!(
            join(&tokens("    when = alb.requests(param.lb) > 6000/min")),
            "when = alb.requests(param.lb) > 6000/min"
        );
        assert_eq!(join(&tokens("    ..20% => -1")), "..20% => -1");
        assert_eq!(
            join(&tokens("  tags = { a = \"x\", b = \"y\" }")),
            "tags = { a = \"x\", b = \"y\" }"
        );
    }

    #[test]
    fn differing_values_become_environment_values() {
        let a = "app \"x\"\n\nenvironment production {\n}\n\ngroup web {\n  name = \"x-production-web\"\n  capacity = 2..10\n  policy cpu step {\n    60%..70% => +1\n  }\n}\n";
        let b = "app \"x\"\n\nenvironment staging {\n}\n\ngroup web {\n  name = \"x-staging-web\"\n  capacity = 1..5\n  policy cpu step {\n    70%..78% => +1\n  }\n  schedule night {\n    cron = \"0 19 * * *\"\n  }\n}\n";
        let m = merge(&[
            ("production".into(), a.into()),
            ("staging".into(), b.into()),
        ])
        .expect("merges");
        assert!(
            m.contains("  capacity = env.web_capacity_from..env.web_capacity_to\n"),
            "{m}"
        );
        assert!(
            m.contains("    env.web_cpu_from..env.web_cpu_to => +1\n"),
            "{m}"
        );
        assert!(
            m.contains(
                "environment production {\n  web_capacity_from = 2\n  web_capacity_to = 10\n"
            ),
            "{m}"
        );
        assert!(
            m.contains("    enabled = match env { staging => true, _ => false }\n"),
            "{m}"
        );
        assert!(!m.contains("name ="), "derived names are left out: {m}");
    }
}
