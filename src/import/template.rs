//! Reading a CloudFormation template for import: JSON or YAML (with the
//! short-form intrinsics `!Ref`, `!Sub`, ...), its parameters, conditions
//! and resources, with the intrinsics scalec can evaluate evaluated.
//!
//! Evaluation is partial on purpose: a `Ref` to a parameter or a resource
//! stays a `{"Ref": ...}` (it becomes a spec param or a spec item), and
//! `Fn::Join`, `Fn::Sub`, `Fn::Select` and `Fn::Split` fold only when all
//! their parts are known. Conditions are decided with the parameters'
//! defaults; `Fn::If` and resources' `Condition` follow them. Anything else
//! (`Fn::ImportValue`, `Fn::GetAZs`, macros) is refused at the resource
//! that uses it.

use super::error as codes;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, SourceMap, Span};
use serde_json::{Map, Value as Json, json};
use std::collections::BTreeMap;

/// A template parameter.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// Logical name.
    pub id: String,
    /// `String`, `List<AWS::EC2::Subnet::Id>`, ...
    pub ty: String,
    /// Its default, if any.
    pub default: Option<Json>,
    /// Its description.
    pub description: Option<String>,
}

/// A resource after evaluation.
#[derive(Debug, Clone)]
pub struct Resource {
    /// Logical id.
    pub id: String,
    /// `AWS::AutoScaling::AutoScalingGroup`.
    pub ty: String,
    /// Properties, evaluated.
    pub props: Json,
    /// `UpdatePolicy`, evaluated.
    pub update_policy: Json,
    /// `CreationPolicy`, as written.
    pub creation_policy: Json,
    /// `Metadata`.
    pub metadata: Json,
    /// Where it is declared.
    pub span: Span,
}

/// A resource left out by its condition.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// Logical id.
    pub id: String,
    /// Its type.
    pub ty: String,
    /// The condition that is false.
    pub condition: String,
    /// Where it is declared.
    pub span: Span,
}

/// A template read and evaluated.
#[derive(Debug, Clone)]
pub struct Template {
    /// Its `Description`.
    pub description: Option<String>,
    /// Parameters in declaration order.
    pub params: Vec<Parameter>,
    /// Resources in declaration order.
    pub resources: Vec<Resource>,
    /// Resources whose condition is false.
    pub skipped: Vec<Skipped>,
}

/// Reads the template in `file`.
pub fn read(sources: &SourceMap, file: FileId) -> Result<Template, Vec<Diagnostic>> {
    read_many(sources, &[file])
}

/// Reads the templates of one environment (the stacks of a split
/// environment) as one: their resources together, each stack's
/// `Fn::ImportValue` of another's export resolved to what it exports.
pub fn read_many(sources: &SourceMap, files: &[FileId]) -> Result<Template, Vec<Diagnostic>> {
    let docs = parse_docs(sources, files)?;
    let mut diags = Vec::new();
    let declared = declared(&docs, &mut diags);
    if !diags.is_empty() {
        return Err(diags);
    }
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for (doc, spans) in docs.iter().zip(&declared.spans) {
        let read = (&mut out, &mut skipped);
        doc_resources(doc, spans, &declared, read, &mut diags);
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let first = docs.first();
    Ok(Template {
        description: first
            .and_then(|d| d.2.get("Description"))
            .and_then(Json::as_str)
            .map(str::to_string),
        params: declared.params,
        resources: out,
        skipped,
    })
}

/// A template read: its file, text and top-level sections.
type Doc<'s> = (FileId, &'s str, Map<String, Json>);

/// Each file parsed, and held to being a CloudFormation template with
/// resources and no `Transform`; every file's problems when any has one.
fn parse_docs<'s>(
    sources: &'s SourceMap,
    files: &[FileId],
) -> Result<Vec<Doc<'s>>, Vec<Diagnostic>> {
    let mut docs: Vec<Doc> = Vec::new();
    let mut diags = Vec::new();
    for &file in files {
        let text = sources.get(file).text.as_str();
        let whole = Span {
            file,
            start: 0,
            end: 0,
        };
        let doc = match parse(text, file) {
            Ok(d) => d,
            Err(d) => {
                diags.extend(d);
                continue;
            }
        };
        let Some(top) = doc.as_object() else {
            diags.push(not_cfn(whole, "the file is not a mapping"));
            continue;
        };
        if !top.get("Resources").is_some_and(Json::is_object) {
            diags.push(not_cfn(whole, "it has no `Resources` section"));
            continue;
        }
        if top.contains_key("Transform") {
            diags.push(
                Diagnostic::error(
                    codes::INTRINSIC,
                    "the template uses a `Transform` (a macro), which only CloudFormation can expand",
                    locate(text, file, "Transform"),
                    "transform",
                )
                .with_help("import the processed template: `aws cloudformation get-template --template-stage Processed`"),
            );
            continue;
        }
        docs.push((file, text, top.clone()));
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(docs)
}

/// What the templates declare together.
struct Declared {
    /// Their parameters, the first of each id.
    params: Vec<Parameter>,
    /// Where each resource id is first declared.
    ids: BTreeMap<String, Span>,
    /// Each template's resources, where they are declared.
    spans: Vec<BTreeMap<String, Span>>,
    /// Every export's value, by its name.
    exports: BTreeMap<String, Json>,
}

/// The templates' parameters, resources and exports; a resource id
/// declared twice, and a reference cycle, reported.
fn declared(docs: &[Doc], diags: &mut Vec<Diagnostic>) -> Declared {
    let mut params: Vec<Parameter> = Vec::new();
    let mut ids: BTreeMap<String, Span> = BTreeMap::new();
    let mut spans: Vec<BTreeMap<String, Span>> = Vec::new();
    let mut exports: BTreeMap<String, Json> = BTreeMap::new();
    for (file, text, top) in docs {
        if let Some(ps) = top.get("Parameters").and_then(Json::as_object) {
            for (id, p) in ps {
                if params.iter().any(|x| &x.id == id) {
                    continue;
                }
                params.push(Parameter {
                    id: id.clone(),
                    ty: p["Type"].as_str().unwrap_or("String").to_string(),
                    default: p.get("Default").cloned(),
                    description: p["Description"].as_str().map(str::to_string),
                });
            }
        }
        let mut cursor = 0usize;
        let mut here = BTreeMap::new();
        for id in top["Resources"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.keys())
        {
            let span = locate_from(text, *file, id, &mut cursor);
            here.insert(id.clone(), span);
            if let Some(first) = ids.insert(id.clone(), span) {
                diags.push(
                    Diagnostic::error(
                        codes::NOT_CFN,
                        format!("two templates both declare resource `{id}`"),
                        span,
                        "again here",
                    )
                    .with_label(first, "first here")
                    .with_help("give the stacks of one environment, each once"),
                );
            }
        }
        diags.extend(super::graph::cycles(top, text, *file, &here));
        spans.push(here);
        for o in top
            .get("Outputs")
            .and_then(Json::as_object)
            .into_iter()
            .flat_map(|m| m.values())
        {
            if let Some(name) = o["Export"]["Name"].as_str() {
                exports.insert(name.to_string(), o["Value"].clone());
            }
        }
    }
    Declared {
        params,
        ids,
        spans,
        exports,
    }
}

/// One template's resources evaluated with the parameters' defaults (into
/// `read`'s resources), those whose condition is false set aside (into its
/// skipped), and what scalec can't evaluate reported.
fn doc_resources(
    (file, text, top): &Doc,
    spans: &BTreeMap<String, Span>,
    declared: &Declared,
    (out, skipped): (&mut Vec<Resource>, &mut Vec<Skipped>),
    diags: &mut Vec<Diagnostic>,
) {
    let mut ev = Eval {
        params: declared
            .params
            .iter()
            .map(|p| (p.id.clone(), p.clone()))
            .collect(),
        resources: declared.ids.keys().cloned().collect(),
        mappings: top.get("Mappings").cloned().unwrap_or(Json::Null),
        conditions: top
            .get("Conditions")
            .and_then(Json::as_object)
            .cloned()
            .unwrap_or_default(),
        decided: BTreeMap::new(),
        exports: declared.exports.clone(),
    };
    let Some(resources) = top.get("Resources").and_then(Json::as_object) else {
        return;
    };
    for (id, r) in resources {
        let span = spans
            .get(id)
            .copied()
            .unwrap_or_else(|| locate(text, *file, id));
        let Some(ty) = r["Type"].as_str() else {
            diags.push(not_cfn(span, &format!("resource `{id}` has no `Type`")));
            continue;
        };
        // What scalec doesn't import (a VPC, the CDK's metadata) is
        // evaluated only as far as it can be: a value known only once
        // deployed stays unknown, and is refused only if something scalec
        // imports needs it.
        let scaling = in_scope(ty);
        if let Some(c) = r["Condition"].as_str() {
            match ev.condition(c) {
                Ok(true) => {}
                Ok(false) => {
                    skipped.push(Skipped {
                        id: id.clone(),
                        ty: ty.to_string(),
                        condition: c.to_string(),
                        span,
                    });
                    continue;
                }
                Err(e) if scaling => {
                    diags.push(unevaluable(span, id, &e));
                    continue;
                }
                Err(_) => {}
            }
        }
        let props = if scaling {
            ev.eval(r.get("Properties").unwrap_or(&json!({})))
        } else {
            Ok(ev.eval_lenient(r.get("Properties").unwrap_or(&json!({}))))
        };
        let update_policy = ev.eval(r.get("UpdatePolicy").unwrap_or(&Json::Null));
        match (props, update_policy) {
            (Ok(props), Ok(update_policy)) => out.push(Resource {
                id: id.clone(),
                ty: ty.to_string(),
                props: strip_no_value(props),
                update_policy: strip_no_value(update_policy),
                creation_policy: r.get("CreationPolicy").cloned().unwrap_or(Json::Null),
                metadata: r.get("Metadata").cloned().unwrap_or(Json::Null),
                span,
            }),
            (Err(e), _) | (_, Err(e)) => diags.push(unevaluable(span, id, &e)),
        }
    }
}

/// The resource types `scalec import` turns into a spec: the rest is only
/// read where these refer to it.
pub fn in_scope(ty: &str) -> bool {
    ty.starts_with("AWS::AutoScaling::")
        || matches!(
            ty,
            "AWS::CloudWatch::Alarm"
                | "AWS::CloudWatch::Dashboard"
                | "AWS::SNS::Topic"
                | "AWS::SNS::Subscription"
        )
}

/// A value the import needs but that is known only once deployed:
/// `{"Fn::Unknown": why}`.
pub fn unknown_reason(v: &Json) -> Option<&str> {
    v.get("Fn::Unknown").and_then(Json::as_str)
}

fn not_cfn(span: Span, why: &str) -> Diagnostic {
    Diagnostic::error(
        codes::NOT_CFN,
        format!("this is not a CloudFormation template: {why}"),
        span,
        "here",
    )
    .with_help(
        "give a template with a `Resources` mapping, as `scalec build` or `cdk synth` writes",
    )
}

fn unevaluable(span: Span, id: &str, why: &str) -> Diagnostic {
    Diagnostic::error(
        codes::INTRINSIC,
        format!("resource `{id}`: {why}"),
        span,
        "in this resource",
    )
    .with_help("scalec evaluates Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::If, Fn::FindInMap and conditions on parameter defaults")
}

/// [`locate`], looking after `cursor` first: resources are found in the
/// order they are written, so a large template is scanned once.
/// The span of the key `key` after byte `cursor`, which moves past it.
pub(super) fn locate_after(text: &str, file: FileId, key: &str, cursor: &mut usize) -> Span {
    locate_from(text, file, key, cursor)
}

fn locate_from(text: &str, file: FileId, key: &str, cursor: &mut usize) -> Span {
    let rest = text.get(*cursor..).unwrap_or_default();
    let quoted = format!("\"{key}\":");
    let bare = format!("\n  {key}:");
    let found = rest
        .find(&quoted)
        .map(|i| (i, quoted.len()))
        .or_else(|| rest.find(&bare).map(|i| (i + 3, key.len())));
    match found {
        Some((i, len)) => {
            let start = *cursor + i;
            *cursor = start + len;
            // The key, without the colon.
            let len = if len == quoted.len() { len - 1 } else { len };
            Span {
                file,
                start: u32::try_from(start).unwrap_or(u32::MAX),
                end: u32::try_from(start + len).unwrap_or(u32::MAX),
            }
        }
        None => locate(text, file, key),
    }
}

/// The byte span of the first key `key` in `text` (quoted or not).
pub fn locate(text: &str, file: FileId, key: &str) -> Span {
    let at = |start: usize, len: usize| Span {
        file,
        start: u32::try_from(start).unwrap_or(u32::MAX),
        end: u32::try_from(start + len).unwrap_or(u32::MAX),
    };
    let quoted = format!("\"{key}\":");
    if let Some(i) = text.find(&quoted) {
        return at(i, quoted.len() - 1);
    }
    let bare = format!("{key}:");
    let mut from = 0;
    while let Some(i) = text[from..].find(&bare) {
        let i = from + i;
        let before = text[..i].chars().next_back();
        if before.is_none_or(|c| c.is_whitespace()) {
            return at(i, key.len());
        }
        from = i + bare.len();
    }
    at(0, 0)
}

/// JSON, or YAML with short-form tags turned into long-form intrinsics.
fn parse(text: &str, file: FileId) -> Result<Json, Vec<Diagnostic>> {
    let offset = |line: usize, col: usize| -> usize {
        let mut off = 0;
        for (k, l) in text.split_inclusive('\n').enumerate() {
            if k + 1 == line {
                return off + col.saturating_sub(1).min(l.len());
            }
            off += l.len();
        }
        text.len()
    };
    let span = |start: usize| Span {
        file,
        start: u32::try_from(start).unwrap_or(u32::MAX),
        end: u32::try_from((start + 1).min(text.len().max(start))).unwrap_or(u32::MAX),
    };
    if text.trim_start().starts_with('{') {
        return super::graph::json_without_duplicates(text).map_err(|e| {
            vec![
                Diagnostic::error(
                    codes::PARSE,
                    format!("the template is not valid JSON: {e}"),
                    span(offset(e.line(), e.column())),
                    "here",
                )
                .with_help(if e.is_eof() {
                    "the file ends early: is it truncated?"
                } else {
                    "fix the JSON at this place"
                }),
            ]
        });
    }
    let yaml: serde_norway::Value = serde_norway::from_str(text).map_err(|e| {
        let at = e.location().map(|l| l.index()).unwrap_or(0);
        vec![
            Diagnostic::error(
                codes::PARSE,
                format!("the template is not valid YAML: {e}"),
                span(at),
                "here",
            )
            .with_help(
                "fix the YAML at this place; a truncated file ends in the middle of a mapping",
            ),
        ]
    })?;
    from_yaml(yaml).map_err(|why| {
        vec![Diagnostic::error(
            codes::PARSE,
            format!("the template is not valid CloudFormation YAML: {why}"),
            span(0),
            "in this file",
        )]
    })
}

/// YAML to JSON; `!Ref X` to `{"Ref": "X"}`, `!GetAtt A.B` to
/// `{"Fn::GetAtt": ["A", "B"]}`, `!Sub`, `!Join`, ... to `Fn::...`.
fn from_yaml(v: serde_norway::Value) -> Result<Json, String> {
    use serde_norway::Value as Y;
    Ok(match v {
        Y::Null => Json::Null,
        Y::Bool(b) => Json::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                json!(i)
            } else if let Some(u) = n.as_u64() {
                json!(u)
            } else {
                n.as_f64().map(|f| json!(f)).unwrap_or(Json::Null)
            }
        }
        Y::String(s) => Json::String(s),
        Y::Sequence(items) => {
            Json::Array(items.into_iter().map(from_yaml).collect::<Result<_, _>>()?)
        }
        Y::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => return Err(format!("a mapping key that isn't a string: {other:?}")),
                };
                out.insert(key, from_yaml(v)?);
            }
            Json::Object(out)
        }
        Y::Tagged(t) => {
            let tag = t.tag.to_string();
            let name = tag.trim_start_matches('!');
            let inner = from_yaml(t.value)?;
            match name {
                "Ref" => json!({ "Ref": inner }),
                "Condition" => json!({ "Condition": inner }),
                "GetAtt" => match inner {
                    Json::String(s) => match s.split_once('.') {
                        Some((a, b)) => json!({ "Fn::GetAtt": [a, b] }),
                        None => return Err(format!("`!GetAtt {s}` needs `Resource.Attribute`")),
                    },
                    other => json!({ "Fn::GetAtt": other }),
                },
                "Base64" | "Cidr" | "FindInMap" | "GetAZs" | "ImportValue" | "Join" | "Select"
                | "Split" | "Sub" | "Transform" | "And" | "Equals" | "If" | "Not" | "Or"
                | "Length" | "ToJsonString" => {
                    json!({ format!("Fn::{name}"): inner })
                }
                other => return Err(format!("unknown tag `!{other}`")),
            }
        }
    })
}

/// Marks a value `AWS::NoValue` removes.
const NO_VALUE: &str = "\u{0}scalec:no-value";

fn strip_no_value(v: Json) -> Json {
    match v {
        Json::Object(m) => Json::Object(
            m.into_iter()
                .filter(|(_, v)| v.as_str() != Some(NO_VALUE))
                .map(|(k, v)| (k, strip_no_value(v)))
                .collect(),
        ),
        Json::Array(a) => Json::Array(
            a.into_iter()
                .filter(|v| v.as_str() != Some(NO_VALUE))
                .map(strip_no_value)
                .collect(),
        ),
        other => other,
    }
}

/// `Fn::Cidr [block, count, bits]` for an IPv4 block: `count` blocks of
/// `bits` host bits each, from the block's start; `None` for what can't be
/// computed here (IPv6, values known only when deployed).
fn cidr(args: &Json) -> Option<Json> {
    let a = args.as_array().filter(|a| a.len() == 3)?;
    let num = |v: &Json| v.as_u64().or_else(|| v.as_str()?.parse().ok());
    let (block, count, bits) = (a[0].as_str()?, num(&a[1])?, num(&a[2])?);
    let (ip, len) = block.split_once('/')?;
    let len: u32 = len.parse().ok()?;
    let octets: Vec<u8> = ip
        .split('.')
        .map(|o| o.parse().ok())
        .collect::<Option<_>>()?;
    let [a0, a1, a2, a3] = <[u8; 4]>::try_from(octets).ok()?;
    let base = u32::from_be_bytes([a0, a1, a2, a3]);
    let bits = u32::try_from(bits).ok().filter(|b| *b <= 32 - len)?;
    let prefix = 32 - bits;
    let size = 1u64 << bits;
    if count > (1u64 << (prefix - len)) || count > 256 {
        return None;
    }
    let start = u64::from(base & u32::MAX.checked_shl(32 - len).unwrap_or(0));
    let nets = (0..count)
        .map(|i| {
            let n = u32::try_from(start + i * size).ok()?;
            let [b0, b1, b2, b3] = n.to_be_bytes();
            Some(json!(format!("{b0}.{b1}.{b2}.{b3}/{prefix}")))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Json::Array(nets))
}

struct Eval {
    params: BTreeMap<String, Parameter>,
    resources: std::collections::BTreeSet<String>,
    mappings: Json,
    conditions: Map<String, Json>,
    decided: BTreeMap<String, bool>,
    /// Other stacks' exports: name -> exported value.
    exports: BTreeMap<String, Json>,
}

impl Eval {
    /// Whether condition `name` holds with the parameters' defaults.
    fn condition(&mut self, name: &str) -> Result<bool, String> {
        if let Some(b) = self.decided.get(name) {
            return Ok(*b);
        }
        let Some(c) = self.conditions.get(name).cloned() else {
            return Err(format!("condition `{name}` is not declared"));
        };
        // A cycle is refused by depth rather than looping.
        self.decided.insert(name.to_string(), false);
        let b = self.truth(&c, 0)?;
        self.decided.insert(name.to_string(), b);
        Ok(b)
    }

    fn truth(&mut self, c: &Json, depth: usize) -> Result<bool, String> {
        if depth > 32 {
            return Err("conditions nest too deeply (a cycle?)".into());
        }
        let Some((k, v)) = c.as_object().and_then(|m| m.iter().next()) else {
            return match c {
                Json::Bool(b) => Ok(*b),
                Json::String(s) if s == "true" || s == "false" => Ok(s == "true"),
                _ => Err(format!("`{c}` is not a condition")),
            };
        };
        let list = |v: &Json| v.as_array().cloned().unwrap_or_default();
        match k.as_str() {
            "Condition" => {
                let name = v
                    .as_str()
                    .ok_or("`Condition` names a condition")?
                    .to_string();
                self.condition(&name)
            }
            "Fn::Not" => Ok(!self.truth(
                list(v).first().ok_or("`Fn::Not` needs one condition")?,
                depth + 1,
            )?),
            "Fn::And" => {
                let mut all = true;
                for x in list(v) {
                    all &= self.truth(&x, depth + 1)?;
                }
                Ok(all)
            }
            "Fn::Or" => {
                let mut any = false;
                for x in list(v) {
                    any |= self.truth(&x, depth + 1)?;
                }
                Ok(any)
            }
            "Fn::Equals" => {
                let l = list(v);
                if l.len() != 2 {
                    return Err("`Fn::Equals` compares two values".into());
                }
                let a = self.concrete(&l[0])?;
                let b = self.concrete(&l[1])?;
                Ok(loose(&a) == loose(&b))
            }
            other => Err(format!("`{other}` is not a condition function")),
        }
    }

    /// A value with parameters replaced by their defaults, for conditions.
    fn concrete(&mut self, v: &Json) -> Result<Json, String> {
        if let Some(p) = v.get("Ref").and_then(Json::as_str)
            && let Some(param) = self.params.get(p)
        {
            return param.default.clone().ok_or_else(|| {
                format!("a condition depends on parameter `{p}`, which has no default")
            });
        }
        let e = self.eval(v)?;
        if e.get("Ref").is_some()
            || e.as_object()
                .is_some_and(|m| m.keys().any(|k| k.starts_with("Fn::")))
        {
            return Err(format!(
                "a condition depends on `{e}`, which has no value before deployment"
            ));
        }
        Ok(e)
    }

    fn eval(&mut self, v: &Json) -> Result<Json, String> {
        match v {
            Json::Array(a) => Ok(Json::Array(
                a.iter().map(|x| self.eval(x)).collect::<Result<_, _>>()?,
            )),
            Json::Object(m) if m.len() == 1 => {
                let (k, arg) = m.iter().next().ok_or("empty")?;
                match k.as_str() {
                    "Ref" => self.reference(arg),
                    "Fn::GetAtt" => self.get_att(arg),
                    "Fn::Join" => self.join(arg),
                    "Fn::Select" => self.select(arg),
                    "Fn::Split" => self.split(arg),
                    "Fn::Sub" => self.sub(arg),
                    "Fn::If" => self.fn_if(arg),
                    "Fn::FindInMap" => self.find_in_map(arg),
                    "Fn::ImportValue" => {
                        match arg.as_str().and_then(|n| self.exports.get(n)).cloned() {
                            Some(v) => self.eval(&v),
                            None => Err(format!(
                                "`Fn::ImportValue` of `{}`, which none of the given templates exports, has no value before deployment",
                                arg.as_str().unwrap_or("?")
                            )),
                        }
                    }
                    "Fn::Base64" => {
                        use base64::Engine as _;
                        let inner = self.eval(arg)?;
                        Ok(match inner.as_str() {
                            Some(s) => json!(base64::engine::general_purpose::STANDARD.encode(s)),
                            None => json!({ "Fn::Base64": inner }),
                        })
                    }
                    "Fn::Cidr" => {
                        let a = self.eval(arg)?;
                        Ok(cidr(&a).unwrap_or_else(|| json!({ "Fn::Cidr": a })))
                    }
                    f if f.starts_with("Fn::") => Err(format!(
                        "`{f}` has no value before deployment, so scalec can't import it"
                    )),
                    _ => Ok(Json::Object(
                        [(k.clone(), self.eval(arg)?)].into_iter().collect(),
                    )),
                }
            }
            Json::Object(m) => Ok(Json::Object(
                m.iter()
                    .map(|(k, v)| Ok((k.clone(), self.eval(v)?)))
                    .collect::<Result<_, String>>()?,
            )),
            other => Ok(other.clone()),
        }
    }

    /// `Fn::GetAtt` of a resource of the template, kept as it is (its
    /// value is known only once deployed).
    fn get_att(&self, arg: &Json) -> Result<Json, String> {
        let (res, attr) = match arg {
            Json::Array(a) if a.len() == 2 => (
                a[0].as_str().unwrap_or_default().to_string(),
                a[1].as_str().unwrap_or_default().to_string(),
            ),
            Json::String(s) => match s.split_once('.') {
                Some((a, b)) => (a.to_string(), b.to_string()),
                None => {
                    return Err(format!("`Fn::GetAtt: {s}` needs `Resource.Attribute`"));
                }
            },
            _ => {
                return Err("`Fn::GetAtt` needs a resource and an attribute".into());
            }
        };
        if !self.resources.contains(&res) {
            return Err(format!(
                "`Fn::GetAtt` names `{res}`, which is not a resource of the template"
            ));
        }
        Ok(json!({ "Fn::GetAtt": [res, attr] }))
    }

    /// `Fn::Join`: the text, when every part is known.
    fn join(&mut self, arg: &Json) -> Result<Json, String> {
        let a = arg
            .as_array()
            .filter(|a| a.len() == 2)
            .ok_or("`Fn::Join` needs a separator and a list")?;
        let sep = a[0].as_str().ok_or("`Fn::Join`'s separator is a string")?;
        let items = self.eval(&a[1])?;
        match items.as_array() {
            Some(parts) if parts.iter().all(Json::is_string) => Ok(Json::String(
                parts
                    .iter()
                    .filter_map(Json::as_str)
                    .collect::<Vec<_>>()
                    .join(sep),
            )),
            _ => Ok(json!({ "Fn::Join": [sep, items] })),
        }
    }

    /// `Fn::Select`: the item, when the list is known.
    fn select(&mut self, arg: &Json) -> Result<Json, String> {
        let a = arg
            .as_array()
            .filter(|a| a.len() == 2)
            .ok_or("`Fn::Select` needs an index and a list")?;
        let idx = self.eval(&a[0])?;
        let idx = idx
            .as_u64()
            .or_else(|| idx.as_str().and_then(|s| s.parse().ok()))
            .ok_or("`Fn::Select`'s index is a number")?;
        let list = self.eval(&a[1])?;
        match list.as_array() {
            Some(items) => usize::try_from(idx)
                .ok()
                .and_then(|i| items.get(i))
                .cloned()
                .ok_or_else(|| format!("`Fn::Select` index {idx} is past the list's end")),
            None => Ok(json!({ "Fn::Select": [idx, list] })),
        }
    }

    /// `Fn::Split`: the parts, when the string is known.
    fn split(&mut self, arg: &Json) -> Result<Json, String> {
        let a = arg
            .as_array()
            .filter(|a| a.len() == 2)
            .ok_or("`Fn::Split` needs a separator and a string")?;
        let sep = a[0].as_str().ok_or("`Fn::Split`'s separator is a string")?;
        let s = self.eval(&a[1])?;
        match s.as_str() {
            Some(text) => Ok(Json::Array(text.split(sep).map(|p| json!(p)).collect())),
            None => Ok(json!({ "Fn::Split": [sep, s] })),
        }
    }

    /// `Fn::If`: the value its condition picks.
    fn fn_if(&mut self, arg: &Json) -> Result<Json, String> {
        let a = arg
            .as_array()
            .filter(|a| a.len() == 3)
            .ok_or("`Fn::If` needs a condition and two values")?;
        let c = a[0].as_str().ok_or("`Fn::If` names a condition")?;
        if self.condition(c)? {
            self.eval(&a[1])
        } else {
            self.eval(&a[2])
        }
    }

    /// `Fn::FindInMap`: the value at the map's two keys.
    fn find_in_map(&mut self, arg: &Json) -> Result<Json, String> {
        let a = arg
            .as_array()
            .filter(|a| a.len() == 3)
            .ok_or("`Fn::FindInMap` needs a map and two keys")?;
        let mut keys = Vec::new();
        for x in a {
            let e = self.concrete(x)?;
            keys.push(loose(&e));
        }
        self.mappings
            .get(&keys[0])
            .and_then(|m| m.get(&keys[1]))
            .and_then(|m| m.get(&keys[2]))
            .cloned()
            .ok_or_else(|| {
                format!(
                    "`Fn::FindInMap` finds nothing at {}.{}.{}",
                    keys[0], keys[1], keys[2]
                )
            })
    }

    /// [`Eval::eval`], with each part that can't be evaluated replaced by
    /// `{"Fn::Unknown": why}`.
    fn eval_lenient(&mut self, v: &Json) -> Json {
        match v {
            Json::Object(m)
                if m.len() == 1 && m.keys().any(|k| k == "Ref" || k.starts_with("Fn::")) =>
            {
                self.eval(v)
                    .unwrap_or_else(|why| json!({ "Fn::Unknown": why }))
            }
            Json::Object(m) => Json::Object(
                m.iter()
                    .map(|(k, x)| (k.clone(), self.eval_lenient(x)))
                    .collect(),
            ),
            Json::Array(a) => Json::Array(a.iter().map(|x| self.eval_lenient(x)).collect()),
            other => other.clone(),
        }
    }

    fn reference(&self, arg: &Json) -> Result<Json, String> {
        let name = arg
            .as_str()
            .ok_or("`Ref` names a parameter or a resource")?;
        match name {
            "AWS::NoValue" => Ok(json!(NO_VALUE)),
            "AWS::Partition" => Ok(json!("aws")),
            "AWS::URLSuffix" => Ok(json!("amazonaws.com")),
            n if n.starts_with("AWS::") => Ok(json!({ "Ref": n })),
            n if self.params.contains_key(n) || self.resources.contains(n) => {
                Ok(json!({ "Ref": n }))
            }
            n => Err(format!(
                "`Ref` names `{n}`, which is neither a parameter nor a resource"
            )),
        }
    }

    /// `Fn::Sub`: variables given as literals are substituted; the others
    /// stay `${X}` with `X` in the variable map when it isn't a plain
    /// parameter or resource name.
    fn sub(&mut self, arg: &Json) -> Result<Json, String> {
        let (text, vars) = match arg {
            Json::String(s) => (s.clone(), Map::new()),
            Json::Array(a) if a.len() == 2 => (
                a[0].as_str()
                    .ok_or("`Fn::Sub`'s text is a string")?
                    .to_string(),
                a[1].as_object().cloned().unwrap_or_default(),
            ),
            _ => return Err("`Fn::Sub` needs a string, or a string and variables".into()),
        };
        let mut values = Map::new();
        for (k, v) in &vars {
            values.insert(k.clone(), self.eval(v)?);
        }
        let mut out = String::new();
        let mut kept = Map::new();
        let mut rest = text.as_str();
        while let Some(i) = rest.find("${") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            let end = after.find('}').ok_or("an unclosed `${` in `Fn::Sub`")?;
            let name = &after[..end];
            if name.starts_with('!') {
                out.push_str(&rest[i..i + 3 + end]);
            } else if let Some(Json::String(s)) = values.get(name) {
                out.push_str(s);
            } else if let Some(v) = values.get(name) {
                kept.insert(name.to_string(), v.clone());
                out.push_str(&format!("${{{name}}}"));
            } else if let Some(Json::String(d)) =
                self.params.get(name).and_then(|p| p.default.as_ref())
            {
                // A name built from a parameter: its default, as deployed.
                out.push_str(d);
            } else {
                let base = name.split('.').next().unwrap_or(name);
                if !(self.params.contains_key(base)
                    || self.resources.contains(base)
                    || base.starts_with("AWS::"))
                {
                    return Err(format!(
                        "`Fn::Sub` uses `${{{name}}}`, which names nothing in the template"
                    ));
                }
                if name == "AWS::Partition" {
                    out.push_str("aws");
                } else {
                    out.push_str(&format!("${{{name}}}"));
                }
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        if !out.contains("${") {
            return Ok(Json::String(out));
        }
        Ok(json!({ "Fn::Sub": [out, kept] }))
    }
}

/// A scalar as CloudFormation compares it: numbers and booleans as text.
fn loose(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{cidr, read, unknown_reason};
    use crate::source::SourceMap;
    use serde_json::json;

    fn resources(text: &str) -> Result<super::Template, Vec<crate::diagnostic::Diagnostic>> {
        let mut s = SourceMap::new();
        let id = s.add("t", text, false);
        read(&s, id)
    }

    #[test]
    fn intrinsics_fold_when_their_parts_are_known() {
        let t = resources(
            r#"{
  "Parameters": {"Stage": {"Type": "String", "Default": "prod"}, "Lb": {"Type": "String"}},
  "Mappings": {"Sizes": {"prod": {"Max": "10"}}},
  "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}, "Off": {"Fn::Not": [{"Condition": "IsProd"}]}},
  "Resources": {
    "A": {"Type": "X", "Properties": {
      "Joined": {"Fn::Join": ["-", ["a", "b"]]},
      "Kept": {"Fn::Join": ["-", ["a", {"Ref": "Stage"}]]},
      "Picked": {"Fn::Select": [1, {"Fn::Split": [",", "x,y,z"]}]},
      "Part": {"Fn::Select": [1, {"Fn::Split": ["loadbalancer/", {"Ref": "Lb"}]}]},
      "Chosen": {"Fn::If": ["IsProd", "big", "small"]},
      "Mapped": {"Fn::FindInMap": ["Sizes", {"Ref": "Stage"}, "Max"]},
      "Named": {"Fn::Sub": "${Stage}-api"},
      "Vars": {"Fn::Sub": ["${X}-${B}", {"X": "lit", "B": {"Ref": "B"}}]},
      "Gone": {"Ref": "AWS::NoValue"},
      "Att": {"Fn::GetAtt": "B.Arn"}
    }},
    "B": {"Type": "X", "Condition": "Off"}
  }
}"#,
        )
        .expect("reads");
        let p = &t.resources[0].props;
        assert_eq!(p["Joined"], "a-b");
        assert_eq!(
            p["Kept"],
            json!({"Fn::Join": ["-", ["a", {"Ref": "Stage"}]]})
        );
        assert_eq!(p["Picked"], "y");
        assert_eq!(
            p["Part"],
            json!({"Fn::Select": [1, {"Fn::Split": ["loadbalancer/", {"Ref": "Lb"}]}]})
        );
        assert_eq!(p["Chosen"], "big");
        assert_eq!(p["Mapped"], "10");
        assert_eq!(p["Named"], "prod-api");
        assert_eq!(
            p["Vars"],
            json!({"Fn::Sub": ["lit-${B}", {"B": {"Ref": "B"}}]})
        );
        assert!(p.get("Gone").is_none(), "AWS::NoValue removes the key");
        assert_eq!(p["Att"], json!({"Fn::GetAtt": ["B", "Arn"]}));
        assert_eq!(t.skipped.len(), 1);
        assert_eq!(t.skipped[0].condition, "Off");
    }

    #[test]
    fn outside_scalecs_scope_what_has_no_value_is_left_unknown_and_base64_and_cidr_are_computed() {
        let text = r##"{"Conditions": {"Here": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}},
            "Resources": {
              "Subnet": {"Type": "AWS::EC2::Subnet", "Condition": "Here", "Properties": {
                "AvailabilityZone": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
                "CidrBlock": {"Fn::Select": [2, {"Fn::Cidr": ["10.0.0.0/16", 4, 8]}]}}},
              "Template": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {
                "LaunchTemplateData": {"UserData": {"Fn::Base64": "#!/bin/bash"}}}}}}"##;
        let t = resources(text).expect("reads");
        let subnet = &t
            .resources
            .iter()
            .find(|r| r.id == "Subnet")
            .expect("kept")
            .props;
        assert!(
            unknown_reason(&subnet["AvailabilityZone"]).is_some_and(|w| w.contains("Fn::GetAZs")),
            "{subnet}"
        );
        assert_eq!(subnet["CidrBlock"], "10.0.2.0/24");
        let lt = &t
            .resources
            .iter()
            .find(|r| r.id == "Template")
            .expect("kept")
            .props;
        assert_eq!(lt["LaunchTemplateData"]["UserData"], "IyEvYmluL2Jhc2g=");
        assert_eq!(
            cidr(&json!(["10.1.0.0/16", 2, 12])),
            Some(json!(["10.1.0.0/20", "10.1.16.0/20"]))
        );
        assert_eq!(cidr(&json!(["2001:db8::/56", 2, 64])), None);
    }

    #[test]
    fn what_has_no_value_before_deployment_is_refused_at_its_resource() {
        for (text, needle) in [
            (
                r#"{"Resources": {"A": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"V": {"Fn::GetAZs": ""}}}}}"#,
                "`Fn::GetAZs` has no value",
            ),
            (
                r#"{"Parameters": {"P": {"Type": "String"}}, "Conditions": {"C": {"Fn::Equals": [{"Ref": "P"}, "x"]}}, "Resources": {"A": {"Type": "AWS::SNS::Topic", "Condition": "C"}}}"#,
                "parameter `P`, which has no default",
            ),
            (
                r#"{"Conditions": {"C": {"Condition": "C"}}, "Resources": {"A": {"Type": "X", "Condition": "C"}}}"#,
                "condition `C` refers to itself",
            ),
            (
                r#"{"Resources": {"A": {"Type": "X", "Properties": {"V": {"Fn::GetAtt": ["B", "Arn"]}}}, "B": {"Type": "X", "DependsOn": "A"}}}"#,
                "resources depend on each other in a circle: `A` -> `B` -> `A`",
            ),
            (
                r#"{"a": 1, "Resources": {"A": {"Type": "X", "Properties": {"V": 1, "V": 2}}}}"#,
                "the key `V` appears twice",
            ),
            (
                r#"{"Resources": {"A": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"V": {"Fn::Select": [5, ["a"]]}}}}}"#,
                "past the list's end",
            ),
        ] {
            match resources(text) {
                Err(d) => {
                    assert!(d[0].message.contains(needle), "{text}: {}", d[0].message);
                    assert!(
                        d[0].labels[0].span.end > d[0].labels[0].span.start,
                        "located: {text}"
                    );
                }
                Ok(_) => panic!("{text} is refused"),
            }
        }
    }
}
