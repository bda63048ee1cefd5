//! What a template's text must be before it is evaluated: JSON without
//! duplicate keys (as YAML already refuses them: the last value would win
//! in silence), and conditions and resources that don't depend on
//! themselves, which CloudFormation refuses (cfn-lint's E3004 and
//! E8002-style circular references); evaluating them would decide a cycle
//! as false without a word.

use super::error as codes;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value as Json};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Parses JSON into a value, refusing an object with a key twice.
pub(super) fn json_without_duplicates(text: &str) -> Result<Json, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let v = Checked.deserialize(&mut de)?;
    de.end()?;
    Ok(v)
}

/// A JSON value whose objects have each key once.
struct Checked;

impl<'de> DeserializeSeed<'de> for Checked {
    type Value = Json;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Checked {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Json::Null, Json::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }
    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Checked)? {
            out.push(v);
        }
        Ok(Json::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format_args!(
                    "the key `{key}` appears twice in one object"
                )));
            }
            let v = map.next_value_seed(Checked)?;
            out.insert(key, v);
        }
        Ok(Json::Object(out))
    }
}

/// Cycles among the template's conditions and among its resources, each
/// reported once at its first member, with the others labelled.
pub(super) fn cycles(
    top: &Map<String, Json>,
    text: &str,
    file: FileId,
    resource_spans: &BTreeMap<String, Span>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let conditions = top
        .get("Conditions")
        .and_then(Json::as_object)
        .cloned()
        .unwrap_or_default();
    let condition_deps: BTreeMap<&str, BTreeSet<String>> = conditions
        .iter()
        .map(|(name, body)| {
            let mut deps = BTreeSet::new();
            condition_refs(body, &mut deps);
            (name.as_str(), deps)
        })
        .collect();
    if !condition_deps.is_empty() {
        // The conditions' names, located in their section.
        let section = super::template::locate(text, file, "Conditions");
        let mut cursor = section.end as usize;
        let spans: BTreeMap<&str, Span> = condition_deps
            .keys()
            .map(|n| {
                (
                    *n,
                    super::template::locate_after(text, file, n, &mut cursor),
                )
            })
            .collect();
        for cycle in find_cycles(&condition_deps) {
            out.push(report("condition", &cycle, &spans));
        }
    }
    let resources = top
        .get("Resources")
        .and_then(Json::as_object)
        .cloned()
        .unwrap_or_default();
    let ids: BTreeSet<&str> = resources.keys().map(String::as_str).collect();
    let resource_deps: BTreeMap<&str, BTreeSet<String>> = resources
        .iter()
        .map(|(id, r)| {
            let mut deps = BTreeSet::new();
            for part in ["Properties", "UpdatePolicy", "Metadata"] {
                if let Some(v) = r.get(part) {
                    resource_refs(v, &ids, &mut deps);
                }
            }
            match r.get("DependsOn") {
                Some(Json::String(d)) => {
                    deps.insert(d.clone());
                }
                Some(Json::Array(a)) => {
                    deps.extend(a.iter().filter_map(|d| d.as_str().map(str::to_string)));
                }
                _ => {}
            }
            deps.retain(|d| ids.contains(d.as_str()));
            (id.as_str(), deps)
        })
        .collect();
    let spans: BTreeMap<&str, Span> = resource_spans
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    for cycle in find_cycles(&resource_deps) {
        out.push(report("resource", &cycle, &spans));
    }
    out
}

/// `{"Condition": "X"}` anywhere in a condition's body.
fn condition_refs(v: &Json, out: &mut BTreeSet<String>) {
    match v {
        Json::Object(m) => {
            if let (1, Some(Json::String(name))) = (m.len(), m.get("Condition")) {
                out.insert(name.clone());
            }
            m.values().for_each(|x| condition_refs(x, out));
        }
        Json::Array(a) => a.iter().for_each(|x| condition_refs(x, out)),
        _ => {}
    }
}

/// The resources a value refers to: `Ref`, `Fn::GetAtt` (either form) and
/// `${Id}` or `${Id.Attr}` in `Fn::Sub`.
fn resource_refs(v: &Json, ids: &BTreeSet<&str>, out: &mut BTreeSet<String>) {
    match v {
        Json::Object(m) => {
            if m.len() == 1 {
                match m.iter().next() {
                    Some((k, Json::String(s))) if k == "Ref" => {
                        out.insert(s.clone());
                    }
                    Some((k, Json::String(s))) if k == "Fn::GetAtt" => {
                        out.insert(s.split('.').next().unwrap_or_default().to_string());
                    }
                    Some((k, Json::Array(a))) if k == "Fn::GetAtt" => {
                        if let Some(Json::String(s)) = a.first() {
                            out.insert(s.clone());
                        }
                    }
                    Some((k, sub)) if k == "Fn::Sub" => {
                        // `${Name}` is a resource unless the variables
                        // of the two-item form define it.
                        let (text, vars) = match sub {
                            Json::String(s) => (Some(s.as_str()), None),
                            Json::Array(a) => (
                                a.first().and_then(Json::as_str),
                                a.get(1).and_then(Json::as_object),
                            ),
                            _ => (None, None),
                        };
                        for name in text.map(sub_names).unwrap_or_default() {
                            let local = vars.is_some_and(|v| v.contains_key(&name));
                            if !local && ids.contains(name.as_str()) {
                                out.insert(name);
                            }
                        }
                    }
                    _ => {}
                }
            }
            m.values().for_each(|x| resource_refs(x, ids, out));
        }
        Json::Array(a) => a.iter().for_each(|x| resource_refs(x, ids, out)),
        _ => {}
    }
}

/// The names `${Name}` and `${Name.Attr}` of a `Fn::Sub` string (`${!x}`
/// is a literal).
fn sub_names(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        rest = &rest[i + 2..];
        let Some(j) = rest.find('}') else { break };
        let inner = &rest[..j];
        if !inner.starts_with('!') {
            out.push(inner.split('.').next().unwrap_or_default().to_string());
        }
        rest = &rest[j + 1..];
    }
    out
}

/// Every cycle of the graph once, each from its smallest member, in order.
fn find_cycles(deps: &BTreeMap<&str, BTreeSet<String>>) -> Vec<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut marks: BTreeMap<&str, Mark> = deps.keys().map(|k| (*k, Mark::New)).collect();
    let mut found: BTreeSet<Vec<String>> = BTreeSet::new();
    for start in deps.keys() {
        if marks.get(start) != Some(&Mark::New) {
            continue;
        }
        // An explicit stack: (node, its dependencies still to visit).
        let mut path: Vec<&str> = vec![start];
        let mut todo: Vec<Vec<&str>> = vec![next_of(deps, start)];
        marks.insert(start, Mark::Open);
        while let Some(pending) = todo.last_mut() {
            match pending.pop() {
                Some(next) => match marks.get(next).copied() {
                    Some(Mark::New) => {
                        marks.insert(next, Mark::Open);
                        path.push(next);
                        todo.push(next_of(deps, next));
                    }
                    Some(Mark::Open) => {
                        let at = path.iter().position(|p| *p == next).unwrap_or(0);
                        let mut cycle: Vec<String> =
                            path[at..].iter().map(|s| s.to_string()).collect();
                        // The same cycle, whichever member it was met from.
                        let min = cycle
                            .iter()
                            .enumerate()
                            .min_by(|a, b| a.1.cmp(b.1))
                            .map_or(0, |(i, _)| i);
                        cycle.rotate_left(min);
                        found.insert(cycle);
                    }
                    _ => {}
                },
                None => {
                    if let Some(done) = path.pop() {
                        marks.insert(done, Mark::Done);
                    }
                    todo.pop();
                }
            }
        }
    }
    found.into_iter().collect()
}

fn next_of<'a>(deps: &'a BTreeMap<&str, BTreeSet<String>>, node: &str) -> Vec<&'a str> {
    deps.get(node)
        .map(|d| d.iter().rev().map(String::as_str).collect())
        .unwrap_or_default()
}

fn report(kind: &str, cycle: &[String], spans: &BTreeMap<&str, Span>) -> Diagnostic {
    let nowhere = spans.values().next().map_or(
        Span {
            file: FileId(0),
            start: 0,
            end: 0,
        },
        |s| Span { end: s.start, ..*s },
    );
    let span = |n: &str| spans.get(n).copied().unwrap_or(nowhere);
    let first = cycle.first().map(String::as_str).unwrap_or_default();
    let (message, label) = if cycle.len() == 1 {
        (
            format!("{kind} `{first}` refers to itself"),
            "refers to itself".to_string(),
        )
    } else {
        let mut chain = cycle.to_vec();
        chain.push(first.to_string());
        (
            format!(
                "{kind}s depend on each other in a circle: {}",
                chain
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(" -> ")
            ),
            format!("`{first}` starts the circle"),
        )
    };
    let mut d = Diagnostic::error(codes::CYCLE, message, span(first), label);
    for other in cycle.iter().skip(1) {
        d = d.with_label(span(other), format!("`{other}` is part of it"));
    }
    d.with_help(format!(
        "CloudFormation refuses a {kind} that depends on itself (cfn-lint E3004): break the circle, then import"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_are_refused_at_any_depth() {
        assert!(json_without_duplicates(r#"{"a": 1, "b": {"c": [1, {"d": 2}]}}"#).is_ok());
        let e = json_without_duplicates("{\"a\": 1,\n \"b\": {\"c\": 1, \"c\": 2}}")
            .expect_err("a duplicate");
        assert!(e.to_string().contains("`c` appears twice"), "{e}");
        assert_eq!(e.line(), 2);
    }

    #[test]
    fn cycles_are_found_once_from_their_smallest_member() {
        let deps: BTreeMap<&str, BTreeSet<String>> = [
            ("a", ["b".to_string()].into()),
            ("b", ["c".to_string()].into()),
            ("c", ["a".to_string()].into()),
            ("d", ["d".to_string()].into()),
            ("e", ["a".to_string()].into()),
        ]
        .into();
        assert_eq!(
            find_cycles(&deps),
            vec![
                vec!["a".to_string(), "b".into(), "c".into()],
                vec!["d".to_string()]
            ]
        );
        assert_eq!(sub_names("${A}-${B.Arn}-${!C}"), ["A", "B"]);
    }
}
