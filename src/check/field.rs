//! Holding a value to every AWS field it reaches: the row of
//! [`constraints`](super::constraints) (length and shape) and the place of
//! an ARN (its partition, and its region where the field is regional),
//! whether the value is written in place or reaches the field through a
//! param whose value the environment or `--param` gives. A param's value
//! is judged at each use, so one value used in two fields meets the rules
//! of both, and the diagnostic points where the value was written.

use super::constraints::{self as C, Row};
use super::error as codes;
use super::eval::{Cx, arn_region};
use crate::diagnostic::Diagnostic;
use crate::model::{ListValue, ParamType, ParamValue, Value};
use crate::source::Span;

/// How far from the environment's region an ARN may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    /// In the environment's region: groups, alarms and what they act on
    /// are regional.
    Region,
    /// Anywhere in the environment's partition: SNS delivers to SQS queues
    /// and Lambda functions in other regions.
    Partition,
}

/// Where a value known in this environment was written.
#[derive(Debug, Clone)]
pub(crate) enum Origin {
    /// In the spec, where it is used (a literal, or a `match env` arm).
    Here(Span),
    /// As the environment's `param.NAME = "..."` (the value's span).
    Env(Span),
    /// On the command line, as `--param NAME=...`.
    Cli(String),
}

/// A problem with a known value, to be reported where it was written.
pub(crate) struct Problem {
    pub code: &'static str,
    pub message: String,
    pub label: String,
    pub help: String,
}

impl<'a> Cx<'a, '_> {
    /// The texts a value has in this environment, each with where it was
    /// written; empty when a param has no value yet (it is judged again
    /// when `--param` gives one).
    pub(crate) fn known_texts(&self, v: &Value, at: Span) -> Vec<(String, Origin)> {
        match v {
            Value::Literal(s) => vec![(s.clone(), Origin::Here(at))],
            Value::Param(name) => self.param_texts(name),
        }
    }

    /// The texts of a list value known in this environment.
    pub(crate) fn known_list_texts(&self, v: &ListValue, at: Span) -> Vec<(String, Origin)> {
        match v {
            ListValue::Items(items) => items.iter().flat_map(|i| self.known_texts(i, at)).collect(),
            ListValue::Param(name) => self.param_texts(name),
        }
    }

    fn param_texts(&self, name: &str) -> Vec<(String, Origin)> {
        let origin = if self.cli_params.contains_key(name) {
            Origin::Cli(name.to_string())
        } else {
            match self.env.params.get(name) {
                Some(p) => Origin::Env(p.value.span),
                // A value the checker didn't read from either: nothing to
                // point at but the use.
                None => return Vec::new(),
            }
        };
        match self.param_values.get(name) {
            Some(ParamValue::One(s)) => vec![(s.clone(), origin)],
            Some(ParamValue::List(l)) => l.iter().map(|s| (s.clone(), origin.clone())).collect(),
            None => Vec::new(),
        }
    }

    /// Reports `p` about `text`, written at `origin` and used at `at` as
    /// `what` (or just used, when `what` is empty).
    pub(crate) fn report(&mut self, p: Problem, text: &str, origin: &Origin, at: Span, what: &str) {
        let used = if what.is_empty() {
            "used here".to_string()
        } else {
            format!("used here as {what}")
        };
        let d = match origin {
            Origin::Here(span) => {
                Diagnostic::error(p.code, p.message, *span, p.label).with_help(p.help)
            }
            Origin::Env(span) => {
                let mut d = Diagnostic::error(p.code, p.message, *span, p.label);
                if *span != at {
                    d = d.with_label(at, used);
                }
                d.with_help(p.help)
            }
            Origin::Cli(name) => Diagnostic::error(
                p.code,
                match self.param_sources.get(name) {
                    Some(at) => format!("`{name} = {text}` ({at}): {}", p.message),
                    None => format!("`--param {name}={text}`: {}", p.message),
                },
                at,
                used,
            )
            .with_help(p.help),
        };
        self.diags.push(d);
    }

    /// Checks the place of an ARN of type `ty`: its partition must be the
    /// environment region's, and, for `Reach::Region`, its region the
    /// environment's. Returns whether every known text is in place.
    pub(crate) fn check_place(&mut self, v: &Value, at: Span, ty: ParamType, reach: Reach) -> bool {
        let texts = self.known_texts(v, at);
        self.check_place_of(texts, at, ty, reach)
    }

    /// [`Cx::check_place`] for a list value.
    pub(crate) fn check_list_place(
        &mut self,
        v: &ListValue,
        at: Span,
        ty: ParamType,
        reach: Reach,
    ) -> bool {
        let texts = self.known_list_texts(v, at);
        self.check_place_of(texts, at, ty, reach)
    }

    fn check_place_of(
        &mut self,
        texts: Vec<(String, Origin)>,
        at: Span,
        ty: ParamType,
        reach: Reach,
    ) -> bool {
        let Some(region) = self.region.clone() else {
            return true;
        };
        let mut ok = true;
        for (text, origin) in texts {
            if let Some(p) = place_problem(ty, &text, self.env_name(), &region, reach) {
                ok = false;
                self.report(p, &text, &origin, at, "");
            }
        }
        ok
    }

    /// Checks a value against the row of the AWS field it becomes (its
    /// length and shape), wherever the value was written. `what` names the
    /// field in words: "the launch template version".
    pub(crate) fn check_row(&mut self, v: &Value, at: Span, row: &Row, what: &str) -> bool {
        let mut ok = true;
        for (text, origin) in self.known_texts(v, at) {
            if let Some(p) = row_problem(row, &text, what) {
                ok = false;
                self.report(p, &text, &origin, at, what);
            }
        }
        ok
    }
}

/// What is wrong with the place of an ARN, if anything.
fn place_problem(
    ty: ParamType,
    text: &str,
    env: &str,
    region: &str,
    reach: Reach,
) -> Option<Problem> {
    let arn = C::arn_parts(text)?;
    let want = C::partition_of(region);
    if arn.partition != want {
        return Some(Problem {
            code: codes::WRONG_REGION,
            message: format!(
                "`{text}` is in the partition `{}`, but environment `{env}` deploys to {region}, in `{want}`",
                arn.partition
            ),
            label: format!("in `{}`", arn.partition),
            help: format!(
                "resources of one partition can't refer to another's: use the ARN of the resource in `{want}` (`arn:{want}:...`), or set the environment's `region`"
            ),
        });
    }
    if reach == Reach::Region
        && let Some(theirs) = arn_region(ty, text)
        && theirs != region
    {
        return Some(Problem {
            code: codes::WRONG_REGION,
            message: format!(
                "`{text}` is in {theirs}, but environment `{env}` deploys to {region}"
            ),
            label: format!("in {theirs}"),
            help: format!(
                "Auto Scaling groups, alarms and their targets must be in one region: use the ARN of the resource in {region}, or set the environment's `region`"
            ),
        });
    }
    None
}

/// What is wrong with `text` as the field of `row`, if anything.
pub(crate) fn row_problem(row: &Row, text: &str, what: &str) -> Option<Problem> {
    if let C::Rule::Text { min, max } = row.rule {
        let n = text.chars().count();
        if n < min || n > max {
            let (code, message, label) = if n == 0 {
                (codes::EMPTY, format!("{what} is empty"), "empty")
            } else if n < min {
                (
                    codes::BAD_VALUE,
                    format!("`{text}` is {n} characters, too short for {what}"),
                    "too short",
                )
            } else {
                (
                    codes::TOO_LONG,
                    format!("`{text}` is {n} characters, too long for {what}"),
                    "too long",
                )
            };
            return Some(Problem {
                code,
                message,
                label: label.into(),
                help: format!("AWS's `{}` takes {min} to {max} characters", row.field),
            });
        }
    }
    match row.shape {
        Some(shape) if !shape.accepts(text) => Some(Problem {
            code: codes::BAD_VALUE,
            message: format!("`{text}` is not {what}: AWS takes {}", shape.describe()),
            label: "not valid here".into(),
            help: format!("write {}", shape.describe()),
        }),
        _ => None,
    }
}
