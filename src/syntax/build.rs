//! Pest pairs to AST: one `build_<rule>` function per grammar rule.
//!
//! Naming: `build_x` takes a pair of rule `x` and always returns a node;
//! problems go into `self.diags`. The grammar guarantees the shape of a
//! successfully parsed pair, so a missing child is a compiler bug, reported
//! as [`ExprKind::Error`] rather than a panic.

use super::ast::*;
use super::error::{self as codes, rule_words};
use super::grammar::{Rule, ScaleParser};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::{FileId, Span};
use crate::suggest;
use pest::Parser;
use pest::iterators::Pair;

/// The items of `text[start..end]` (one top-level item and the comments
/// after it), with spans in the file.
pub(super) fn parse_item(
    text: &str,
    file: FileId,
    start: usize,
    end: usize,
) -> (Vec<Item>, Diagnostics) {
    let mut b = Builder {
        file,
        base: start,
        diags: Diagnostics::new(),
    };
    let items = b.build_file(&text[start..end]);
    (items, b.diags)
}

/// [`super::parse_file`], then `then` on pest's tree of the same parse and the
/// diagnostics so far (the formatter reads the tree, so the text is parsed
/// once). `then` isn't called when pest's parse fails or the file is cut.
pub fn parse_file_then<T>(
    text: &str,
    file: FileId,
    then: impl FnOnce(Pair<'_, Rule>, &Diagnostics) -> T,
) -> (File, Diagnostics, Option<T>) {
    let mut b = Builder {
        file,
        base: 0,
        diags: Diagnostics::new(),
    };
    if let Some(span) = too_deep(text, file) {
        b.diags.push(
            Diagnostic::error(
                codes::TOO_DEEP,
                "brackets are nested too deeply",
                span,
                format!("more than {MAX_DEPTH} levels deep"),
            )
            .with_help(
                "a .scale file never needs this much nesting; check for unbalanced brackets",
            ),
        );
        return (File { items: vec![] }, b.diags, None);
    }
    // A `/*` that is never closed comments out the rest of the file: say
    // where it starts, and parse what comes before it.
    let cut = unclosed_comment(text);
    let text = match cut {
        Some(start) => {
            b.diags.push(
                Diagnostic::error(
                    codes::UNCLOSED_COMMENT,
                    "this `/*` comment is never closed",
                    Span::new(file, start, start + 2),
                    "the comment starts here",
                )
                .with_help(
                    "close it with `*/`; everything after an unclosed `/*` is part of the comment",
                ),
            );
            &text[..start]
        }
        None => text,
    };
    // A cut file is parsed up to the comment; `then` sees that much.
    let (items, extra) = b.build_file_then(text, then);
    (File { items }, b.diags, extra.filter(|_| cut.is_none()))
}

struct Builder {
    file: FileId,
    /// Where the parsed text starts in the file (a chunk's offset).
    base: usize,
    diags: Diagnostics,
}

/// The context a catch-all line was found in: decides the probe rule and help.
#[derive(Clone, Copy)]
enum Context {
    TopLevel,
    Block,
    Group,
    Policy,
    Dashboard,
    Test,
}

/// The words that start a top-level item.
pub const TOP_KEYWORDS: &[&str] = &[
    "app",
    "param",
    "metric",
    "preset",
    "environment",
    "topic",
    "group",
    "service",
    "table",
    "index",
    "function",
    "lints",
    "test",
];
/// The words that start a member of a group other than a property.
pub const GROUP_KEYWORDS: &[&str] = &["policy", "alarm", "hook", "schedule", "notify", "dashboard"];

impl Builder {
    /// Parses a text (the file, or a piece of it) and builds its items.
    fn build_file(&mut self, text: &str) -> Vec<Item> {
        self.build_file_then(text, |_, _| ()).0
    }

    /// [`Builder::build_file`], then `then` on pest's tree, unless pest's
    /// parse failed.
    fn build_file_then<T>(
        &mut self,
        text: &str,
        then: impl FnOnce(Pair<'_, Rule>, &Diagnostics) -> T,
    ) -> (Vec<Item>, Option<T>) {
        match ScaleParser::parse(Rule::file, text) {
            Ok(mut pairs) => match pairs.next() {
                Some(file_pair) => {
                    let items = file_pair
                        .clone()
                        .into_inner()
                        .filter_map(|p| self.build_item(p))
                        .collect();
                    let extra = then(file_pair, &self.diags);
                    (items, Some(extra))
                }
                None => (Vec::new(), None),
            },
            Err(e) => {
                let d = self.pest_error_to_diag(&e, 0, text, codes::UNEXPECTED, None);
                self.diags.push(d);
                (Vec::new(), None)
            }
        }
    }

    /// The span of a byte range of the parsed text, in the file.
    fn at(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, self.base + start, self.base + end)
    }

    /// The span of a pair, without the whitespace and comments that pest
    /// consumes before an optional part that then doesn't match (`reference
    /// = { ref_head ~ call_args? }` would otherwise end at the next token).
    fn span(&self, p: &Pair<Rule>) -> Span {
        let s = p.as_span();
        // Atomic rules skip no trivia inside, so they end at their last
        // token: most pairs, and the commonest, are these.
        if matches!(
            p.as_rule(),
            Rule::ident
                | Rule::path
                | Rule::ref_head
                | Rule::numeric
                | Rule::number
                | Rule::quantity
                | Rule::string
                | Rule::adjustment
                | Rule::boolean
                | Rule::range
                | Rule::range_bound
                | Rule::step_range
        ) {
            return self.at(s.start(), s.end());
        }
        let text = s.as_str();
        // Trailing trivia ends in whitespace, `*/`, or a `//` comment on the
        // pair's last line. A line comment runs to the end of its line, so
        // it is looked for only in a pair that ends where a line does, and
        // only on its last line (or nested pairs would scan their text again
        // and again).
        let ends_a_line = || {
            matches!(
                s.get_input().as_bytes().get(s.end()),
                None | Some(b'\n' | b'\r')
            )
        };
        let line_comment = || {
            let last_line = text.rfind('\n').map_or(text, |k| &text[k + 1..]);
            last_line.contains("//")
        };
        let end = match text.chars().last() {
            Some(c)
                if c.is_whitespace()
                    || text.ends_with("*/")
                    || (ends_a_line() && line_comment()) =>
            {
                let mut end = s.end();
                if let Some(last) = p.clone().into_inner().last() {
                    let tail = &text[last.as_span().end() - s.start()..];
                    if only_trivia(tail) {
                        end = last.as_span().end();
                    }
                }
                end
            }
            _ => s.end(),
        };
        self.at(s.start(), end)
    }

    fn ident(&self, p: Pair<Rule>) -> Ident {
        Ident {
            name: p.as_str().to_string(),
            span: self.span(&p),
        }
    }

    fn build_item(&mut self, p: Pair<Rule>) -> Option<Item> {
        let span = self.span(&p);
        match p.as_rule() {
            Rule::app_decl => {
                let s = p.into_inner().find(|c| c.as_rule() == Rule::string)?;
                let name_span = self.span(&s);
                let name = self.build_string(&s);
                Some(Item::App(AppDecl {
                    name,
                    name_span,
                    span,
                }))
            }
            Rule::param_decl => {
                let mut inner = p.into_inner().filter(|c| c.as_rule() != Rule::PARAM_KW);
                let name = self.ident(inner.next()?);
                let ty = self.build_type(inner.next()?);
                Some(Item::Param(ParamDecl { name, ty, span }))
            }
            Rule::metric_decl => {
                let mut name = None;
                let mut params = Vec::new();
                let mut body = None;
                for c in p.into_inner() {
                    match c.as_rule() {
                        Rule::path => name = Some(self.build_path(c)),
                        Rule::metric_params => {
                            for mp in c.into_inner() {
                                let mut it = mp.into_inner();
                                if let (Some(n), Some(t)) = (it.next(), it.next()) {
                                    let n = self.ident(n);
                                    params.push((n, self.build_type(t)));
                                }
                            }
                        }
                        Rule::block => body = Some(self.build_block(c)),
                        _ => {}
                    }
                }
                Some(Item::Metric(MetricDecl {
                    name: name?,
                    params,
                    body: body?,
                    span,
                }))
            }
            Rule::preset_decl | Rule::env_decl => {
                let is_env = p.as_rule() == Rule::env_decl;
                let mut name = None;
                let mut extends = Vec::new();
                let mut body = None;
                for c in p.into_inner() {
                    match c.as_rule() {
                        Rule::ident => name = Some(self.ident(c)),
                        Rule::extends => {
                            extends = c
                                .into_inner()
                                .filter(|x| x.as_rule() == Rule::path)
                                .map(|x| self.build_path(x))
                                .collect()
                        }
                        Rule::block => body = Some(self.build_block(c)),
                        _ => {}
                    }
                }
                let decl = EnvDecl {
                    name: name?,
                    extends,
                    body: body?,
                    span,
                };
                Some(if is_env {
                    Item::Environment(decl)
                } else {
                    Item::Preset(decl)
                })
            }
            Rule::topic_decl => {
                let mut inner = p.into_inner().filter(|c| c.as_rule() != Rule::TOPIC_KW);
                let name = self.ident(inner.next()?);
                let body = self.build_block(inner.next()?);
                Some(Item::Topic(TopicDecl { name, body, span }))
            }
            Rule::group_decl => Some(Item::Group(self.build_group(p, span)?)),
            Rule::scalable_decl => Some(Item::Scalable(self.build_scalable(p, span)?)),
            Rule::template_decl => Some(Item::Template(self.build_template(p, span)?)),
            Rule::use_decl => {
                let s = p.into_inner().find(|c| c.as_rule() == Rule::string)?;
                let path_span = self.span(&s);
                let path = self.build_string(&s);
                Some(Item::Use(UseDecl {
                    path,
                    path_span,
                    span,
                }))
            }
            Rule::lints_decl => {
                let mut inner = p.into_inner().filter(|c| c.as_rule() != Rule::LINTS_KW);
                let body = self.build_block(inner.next()?);
                Some(Item::Lints(LintsDecl { body, span }))
            }
            Rule::test_decl => Some(Item::Test(self.build_test(p, span)?)),
            Rule::top_catch_all => {
                self.catch_all(&p, Context::TopLevel);
                None
            }
            _ => None,
        }
    }

    fn build_test(&mut self, p: Pair<Rule>, span: Span) -> Option<TestDecl> {
        let mut inner = p.into_inner().filter(|c| c.as_rule() != Rule::TEST_KW);
        let name = self.ident(inner.next()?);
        let mut t = TestDecl {
            name,
            properties: vec![],
            expects: vec![],
            span,
        };
        for m in inner.next()?.into_inner() {
            match m.as_rule() {
                Rule::property => t.properties.push(self.build_property(m)),
                Rule::expect_stmt => t.expects.push(self.build_expect(m)),
                Rule::block_catch_all if !self.unit_apart(&mut t.properties, &m) => {
                    self.catch_all(&m, Context::Test)
                }
                _ => {}
            }
        }
        Some(t)
    }

    fn build_expect(&mut self, p: Pair<Rule>) -> ExpectStmt {
        let span = self.span(&p);
        let mut cond = None;
        let mut op = None;
        let mut value = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::expr if cond.is_none() => cond = Some(self.build_expr(c)),
                Rule::cmp_op => op = Some((cmp_op(c.as_str()), self.span(&c))),
                Rule::expr => value = Some(self.build_expr(c)),
                _ => {}
            }
        }
        let duration = match (op, value) {
            (Some((op, op_span)), Some(value)) => Some(ExpectFor { op, op_span, value }),
            _ => None,
        };
        ExpectStmt {
            cond: cond.unwrap_or_else(|| err(span)),
            duration,
            span,
        }
    }

    fn build_type(&mut self, p: Pair<Rule>) -> TypeExpr {
        let span = self.span(&p);
        let mut inner = p.into_inner();
        let name = match inner.next() {
            Some(n) => self.ident(n),
            None => Ident {
                name: String::new(),
                span,
            },
        };
        let arg = inner.next().map(|a| Box::new(self.build_type(a)));
        TypeExpr { name, arg, span }
    }

    fn build_group(&mut self, p: Pair<Rule>, span: Span) -> Option<GroupDecl> {
        let mut name = None;
        let mut from = None;
        let mut body = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::ident => name = Some(self.ident(c)),
                Rule::template_call => from = Some(self.build_template_call(c)),
                Rule::group_body => body = Some(c),
                _ => {}
            }
        }
        let mut g = GroupDecl {
            from,
            ..GroupDecl::empty(name?, span)
        };
        for m in body?.into_inner() {
            self.build_group_member(&mut g, m);
        }
        Some(g)
    }

    /// `service api ecs { ... }`.
    fn build_scalable(&mut self, p: Pair<Rule>, span: Span) -> Option<ScalableDecl> {
        let mut keyword = None;
        let mut idents = Vec::new();
        let mut body = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::SCALABLE_KW => keyword = Some(self.ident(c)),
                Rule::ident => idents.push(self.ident(c)),
                Rule::group_body => body = Some(c),
                _ => {}
            }
        }
        let mut idents = idents.into_iter();
        let (name, kind) = (idents.next()?, idents.next()?);
        let mut g = GroupDecl::empty(name, span);
        for m in body?.into_inner() {
            self.build_group_member(&mut g, m);
        }
        Some(ScalableDecl {
            keyword: keyword?,
            kind,
            body: g,
            span,
        })
    }

    /// `template service(cpu: percent = 60%) extends base(...) { ... }`.
    fn build_template(&mut self, p: Pair<Rule>, span: Span) -> Option<TemplateDecl> {
        let mut name = None;
        let mut params = Vec::new();
        let mut extends = None;
        let mut body = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::ident => name = Some(self.ident(c)),
                Rule::template_params => {
                    for tp in c.into_inner() {
                        let pspan = self.span(&tp);
                        let mut it = tp.into_inner();
                        if let (Some(n), Some(t)) = (it.next(), it.next()) {
                            let name = self.ident(n);
                            let ty = self.build_type(t);
                            let default = it.next().map(|e| self.build_expr(e));
                            params.push(TemplateParam {
                                name,
                                ty,
                                default,
                                span: pspan,
                            });
                        }
                    }
                }
                Rule::template_call => extends = Some(self.build_template_call(c)),
                Rule::group_body => body = Some(c),
                _ => {}
            }
        }
        let mut g = GroupDecl::empty(name?, span);
        for m in body?.into_inner() {
            self.build_group_member(&mut g, m);
        }
        Some(TemplateDecl {
            params,
            extends,
            body: g,
            span,
        })
    }

    /// `service(cpu = 70%)`.
    fn build_template_call(&mut self, p: Pair<Rule>) -> TemplateCall {
        let span = self.span(&p);
        let mut name = None;
        let mut args = Vec::new();
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::ident => name = Some(self.ident(c)),
                Rule::template_args => {
                    for a in c.into_inner() {
                        if a.as_rule() == Rule::property {
                            args.push(self.build_property(a));
                        }
                    }
                }
                _ => {}
            }
        }
        TemplateCall {
            name: name.unwrap_or(Ident {
                name: String::new(),
                span,
            }),
            args,
            span,
        }
    }

    /// `kind name` of `override ...` and `remove ...`.
    fn member_ref(&mut self, m: &Pair<Rule>) -> Option<MemberRef> {
        let span = self.span(m);
        let mut kind = None;
        let mut name = None;
        for c in m.clone().into_inner() {
            match c.as_rule() {
                Rule::POLICY_KW
                | Rule::ALARM_KW
                | Rule::HOOK_KW
                | Rule::SCHEDULE_KW
                | Rule::DASHBOARD_KW => kind = Some(self.ident(c)),
                Rule::ident if kind.is_none() => kind = Some(self.ident(c)),
                Rule::ident if name.is_none() => name = Some(self.ident(c)),
                _ => {}
            }
        }
        Some(MemberRef {
            kind: kind?,
            name: name?,
            span,
        })
    }

    /// `policy cpu target_tracking { ... }`.
    fn build_policy(&mut self, m: Pair<Rule>, mspan: Span) -> Option<PolicyDecl> {
        let mut name = None;
        let mut kind = None;
        let mut props = vec![];
        let mut steps = vec![];
        for c in m.into_inner() {
            match c.as_rule() {
                Rule::ident if name.is_none() => name = Some(self.ident(c)),
                Rule::ident => kind = Some(self.ident(c)),
                Rule::policy_body => {
                    for x in c.into_inner() {
                        match x.as_rule() {
                            Rule::property => props.push(self.build_property(x)),
                            Rule::step => steps.push(self.build_step(x)),
                            Rule::block_catch_all if !self.unit_apart(&mut props, &x) => {
                                self.catch_all(&x, Context::Policy)
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        Some(PolicyDecl {
            name: name?,
            kind: kind?,
            properties: props,
            steps,
            span: mspan,
        })
    }

    /// `dashboard { capacity activity correlate [...] }`.
    fn build_dashboard(&mut self, m: Pair<Rule>, mspan: Span) -> DashboardDecl {
        let mut name = None;
        let mut widgets = vec![];
        let mut properties = vec![];
        for c in m.into_inner() {
            match c.as_rule() {
                Rule::ident => name = Some(self.ident(c)),
                Rule::dashboard_body => {
                    for w in c.into_inner() {
                        match w.as_rule() {
                            Rule::widget => {
                                let wspan = self.span(&w);
                                let mut wi = w.into_inner();
                                if let Some(k) = wi.next() {
                                    let kind = self.ident(k);
                                    let args = wi.next().map(|l| {
                                        l.into_inner().map(|e| self.build_expr(e)).collect()
                                    });
                                    widgets.push(Widget {
                                        kind,
                                        args,
                                        span: wspan,
                                    });
                                }
                            }
                            Rule::property => properties.push(self.build_property(w)),
                            Rule::block_catch_all => self.catch_all(&w, Context::Dashboard),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        DashboardDecl {
            name,
            widgets,
            properties,
            span: mspan,
        }
    }

    /// One member of a group's or a template's body.
    fn build_group_member(&mut self, g: &mut GroupDecl, m: Pair<Rule>) {
        {
            let mspan = self.span(&m);
            match m.as_rule() {
                Rule::override_decl => {
                    if let Some(decl) = m
                        .clone()
                        .into_inner()
                        .find(|c| c.as_rule() != Rule::OVERRIDE_KW)
                    {
                        if let Some(r) = self.member_ref(&decl) {
                            g.overrides.push(MemberRef { span: mspan, ..r });
                        }
                        self.build_group_member(g, decl);
                    }
                }
                Rule::remove_stmt => {
                    let mut it = m.into_inner().filter(|c| c.as_rule() == Rule::ident);
                    if let (Some(k), Some(n)) = (it.next(), it.next()) {
                        let kind = self.ident(k);
                        let name = self.ident(n);
                        g.removes.push(MemberRef {
                            kind,
                            name,
                            span: mspan,
                        });
                    }
                }
                Rule::property => g.properties.push(self.build_property(m)),
                Rule::policy_decl => g.policies.extend(self.build_policy(m, mspan)),
                Rule::alarm_decl => {
                    let mut it = m.into_inner().filter(|c| c.as_rule() != Rule::ALARM_KW);
                    if let (Some(n), Some(t), Some(b)) = (it.next(), it.next(), it.next()) {
                        let name = self.ident(n);
                        let tier = self.ident(t);
                        let body = self.build_block(b);
                        g.alarms.push(AlarmDecl {
                            name,
                            tier,
                            body,
                            span: mspan,
                        });
                    }
                }
                Rule::hook_decl => {
                    let mut it = m.into_inner().filter(|c| c.as_rule() != Rule::HOOK_KW);
                    if let (Some(n), Some(t), Some(b)) = (it.next(), it.next(), it.next()) {
                        let name = self.ident(n);
                        let on = self.ident(t);
                        let body = self.build_block(b);
                        g.hooks.push(HookDecl {
                            name,
                            on,
                            body,
                            span: mspan,
                        });
                    }
                }
                Rule::schedule_decl => {
                    let mut it = m.into_inner().filter(|c| c.as_rule() != Rule::SCHEDULE_KW);
                    if let (Some(n), Some(b)) = (it.next(), it.next()) {
                        let name = self.ident(n);
                        let body = self.build_block(b);
                        g.schedules.push(ScheduleDecl {
                            name,
                            body,
                            span: mspan,
                        });
                    }
                }
                Rule::notify_stmt => {
                    let mut it = m.into_inner().filter(|c| c.as_rule() != Rule::NOTIFY_KW);
                    if let (Some(l), Some(t)) = (it.next(), it.next()) {
                        let events = self.build_operand(l);
                        let topic = self.ident(t);
                        g.notifications.push(NotifyStmt {
                            events,
                            topic,
                            span: mspan,
                        });
                    }
                }
                Rule::dashboard_decl => g.dashboards.push(self.build_dashboard(m, mspan)),
                Rule::block_catch_all if !self.unit_apart(&mut g.properties, &m) => {
                    self.catch_all(&m, Context::Group)
                }
                _ => {}
            }
        }
    }

    fn build_step(&mut self, p: Pair<Rule>) -> Step {
        let span = self.span(&p);
        let mut inner = p.into_inner();
        let (lower, upper, range_span) = match inner.next() {
            Some(r) => {
                let rs = self.span(&r);
                let (l, u) = self.build_range_parts(r);
                (l, u, rs)
            }
            None => (None, None, span),
        };
        let adjustment = match inner.next() {
            Some(a) => self.build_operand(a),
            None => Expr {
                kind: ExprKind::Error,
                span,
            },
        };
        Step {
            lower,
            upper,
            range_span,
            adjustment,
            span,
        }
    }

    fn build_block(&mut self, p: Pair<Rule>) -> Block {
        let span = self.span(&p);
        let mut properties = vec![];
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::property => properties.push(self.build_property(c)),
                Rule::block_catch_all if !self.unit_apart(&mut properties, &c) => {
                    self.catch_all(&c, Context::Block)
                }
                _ => {}
            }
        }
        Block { properties, span }
    }

    fn build_property(&mut self, p: Pair<Rule>) -> Property {
        let span = self.span(&p);
        let mut inner = p.into_inner();
        let key = match inner.next().and_then(|k| k.into_inner().next()) {
            Some(k) if k.as_rule() == Rule::string => {
                let kspan = self.span(&k);
                Key::String {
                    value: self.build_string(&k),
                    span: kspan,
                }
            }
            Some(k) => Key::Path(self.build_path(k)),
            None => Key::String {
                value: String::new(),
                span,
            },
        };
        let value = match inner.next() {
            Some(v) => self.build_expr(v),
            None => Expr {
                kind: ExprKind::Error,
                span,
            },
        };
        Property { key, value, span }
    }

    fn build_path(&mut self, p: Pair<Rule>) -> Path {
        // `path` is one atomic token of names joined by dots, no spaces: it
        // holds no trivia, so its span is the pair's.
        let span = p.as_span();
        let (start, text) = (span.start(), span.as_str());
        let mut segments = Vec::new();
        let mut from = 0;
        for (i, b) in text.bytes().enumerate().chain([(text.len(), b'.')]) {
            if b == b'.' {
                segments.push(Ident {
                    name: text[from..i].to_string(),
                    span: self.at(start + from, start + i),
                });
                from = i + 1;
            }
        }
        Path {
            segments,
            span: self.at(start, span.end()),
        }
    }

    /// An expression: operands and operators, combined by precedence
    /// climbing (comparisons loosest, then `+ -`, `* /`, `of`).
    fn build_expr(&mut self, p: Pair<Rule>) -> Expr {
        if p.as_rule() != Rule::expr {
            return self.build_operand(p);
        }
        let whole = self.span(&p);
        let mut operands: Vec<Expr> = Vec::new();
        let mut ops: Vec<(Op, Span)> = Vec::new();
        // Expressions are trees as deep as their operators: capped, like
        // brackets, so that no walk over them can exhaust the stack.
        let mut ops_seen = 0;
        for c in p.into_inner() {
            let op = match c.as_rule() {
                Rule::cmp_op => Some(Op::Cmp(cmp_op(c.as_str()))),
                Rule::add_op => Some(Op::Bin(if c.as_str() == "+" {
                    BinOp::Add
                } else {
                    BinOp::Sub
                })),
                Rule::mul_op => Some(Op::Bin(if c.as_str() == "*" {
                    BinOp::Mul
                } else {
                    BinOp::Div
                })),
                Rule::OF_KW => Some(Op::Of),
                _ => None,
            };
            match op {
                Some(_) if ops_seen == MAX_OPERATORS => {
                    let span = self.span(&c);
                    self.diags.push(
                        Diagnostic::error(
                            codes::TOO_DEEP,
                            format!("this expression has more than {MAX_OPERATORS} operators"),
                            span,
                            format!("operator number {}", MAX_OPERATORS + 1),
                        )
                        .with_help("a .scale expression never needs this many: split it, or declare a metric for part of it"),
                    );
                    return err(whole);
                }
                Some(op) => {
                    ops_seen += 1;
                    let span = self.span(&c);
                    while ops
                        .last()
                        .is_some_and(|(top, _)| top.precedence() >= op.precedence())
                    {
                        reduce(&mut operands, &mut ops);
                    }
                    ops.push((op, span));
                }
                None => operands.push(self.build_operand(c)),
            }
        }
        while !ops.is_empty() {
            reduce(&mut operands, &mut ops);
        }
        operands.pop().unwrap_or_else(|| err(self.at(0, 0)))
    }

    fn build_operand(&mut self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let kind = match p.as_rule() {
            Rule::number => match parse_number(p.as_str()) {
                Some(value) => ExprKind::Number { value },
                None => {
                    self.bad_number(span);
                    ExprKind::Error
                }
            },
            Rule::quantity => self.build_quantity(p.as_str(), span),
            Rule::adjustment => self.build_adjustment(p.as_str(), span),
            Rule::exactly => {
                let n = p.into_inner().find(|c| c.as_rule() == Rule::number);
                match n.as_ref().and_then(|n| parse_number(n.as_str())) {
                    Some(value) => ExprKind::Exactly { value },
                    None => {
                        self.bad_number(span);
                        ExprKind::Error
                    }
                }
            }
            Rule::string => ExprKind::String {
                value: self.build_string(&p),
            },
            Rule::boolean => ExprKind::Bool {
                value: p.as_str() == "true",
            },
            Rule::path => ExprKind::Path {
                path: self.build_path(p),
            },
            Rule::reference => self.build_reference(p),
            Rule::list => ExprKind::List {
                items: p.into_inner().map(|e| self.build_expr(e)).collect(),
            },
            Rule::range => {
                let (lower, upper) = self.build_range_parts(p);
                ExprKind::Range { lower, upper }
            }
            Rule::numeric => {
                if p.as_str().contains("..") {
                    let (lower, upper) = self.build_range_parts(p);
                    ExprKind::Range { lower, upper }
                } else {
                    match p.into_inner().next() {
                        Some(n) => return self.build_operand(n),
                        None => ExprKind::Error,
                    }
                }
            }
            Rule::match_expr => self.build_match(p),
            Rule::object => match p.into_inner().next() {
                Some(b) => ExprKind::Object {
                    block: self.build_block(b),
                },
                None => ExprKind::Error,
            },
            Rule::paren => match p.into_inner().next() {
                Some(e) => return self.build_expr(e),
                None => ExprKind::Error,
            },
            Rule::expr => return self.build_expr(p),
            _ => ExprKind::Error,
        };
        Expr { kind, span }
    }

    /// A number with a unit (`60%`, `5min`, `100/min`), the unit's own span
    /// kept.
    fn build_quantity(&mut self, text: &str, span: Span) -> ExprKind {
        let cut = text
            .find(|c: char| c == '/' || c == '%' || c.is_ascii_alphabetic())
            .unwrap_or(text.len());
        let (num, unit) = text.split_at(cut);
        match parse_number(num) {
            Some(value) => ExprKind::Quantity {
                value,
                unit: unit.to_string(),
                unit_span: Span::new(self.file, span.start as usize + cut, span.end as usize),
            },
            None => {
                self.bad_number(span);
                ExprKind::Error
            }
        }
    }

    /// A signed adjustment: `+1`, `-2`, `+10%`.
    fn build_adjustment(&mut self, text: &str, span: Span) -> ExprKind {
        let percent = text.ends_with('%');
        let body = text.trim_end_matches('%');
        let (sign, digits) = body.split_at(1);
        match parse_number(digits) {
            Some(v) => ExprKind::Signed {
                value: if sign == "-" { -v } else { v },
                percent,
            },
            None => {
                self.bad_number(span);
                ExprKind::Error
            }
        }
    }

    /// A path, a call `f(args)`, or a tagged block `tag { ... }`.
    fn build_reference(&mut self, p: Pair<Rule>) -> ExprKind {
        let mut inner = p.into_inner();
        let path = match inner.next().and_then(|h| h.into_inner().next()) {
            Some(x) => self.build_path(x),
            None => return ExprKind::Error,
        };
        match inner.next() {
            None => ExprKind::Path { path },
            Some(a) if a.as_rule() == Rule::call_args => ExprKind::Call {
                path,
                args: a.into_inner().map(|e| self.build_expr(e)).collect(),
            },
            Some(b) => {
                let block = self.build_block(b);
                let tag = Ident {
                    name: path.dotted().into_owned(),
                    span: path.span,
                };
                ExprKind::Tagged { tag, block }
            }
        }
    }

    /// `match subject { patterns => value ... }`.
    fn build_match(&mut self, p: Pair<Rule>) -> ExprKind {
        let mut subject = None;
        let mut arms = vec![];
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::path => subject = Some(self.build_path(c)),
                Rule::match_arm => arms.push(self.build_match_arm(c)),
                _ => {}
            }
        }
        match subject {
            Some(subject) => ExprKind::Match { subject, arms },
            None => ExprKind::Error,
        }
    }

    /// One arm of a `match`: its patterns (`_` as `None`) and its value.
    fn build_match_arm(&mut self, c: Pair<Rule>) -> MatchArm {
        let aspan = self.span(&c);
        let mut patterns = vec![];
        let mut pattern_spans = vec![];
        let mut value = None;
        for a in c.into_inner() {
            match a.as_rule() {
                Rule::pattern => {
                    pattern_spans.push(self.span(&a));
                    match a.into_inner().next() {
                        Some(x) if x.as_rule() == Rule::ident => patterns.push(Some(self.ident(x))),
                        _ => patterns.push(None),
                    }
                }
                _ => value = Some(self.build_expr(a)),
            }
        }
        MatchArm {
            patterns,
            pattern_spans,
            value: value.unwrap_or(err(aspan)),
            span: aspan,
        }
    }

    fn build_range_parts(&mut self, p: Pair<Rule>) -> (Option<Box<Expr>>, Option<Box<Expr>>) {
        let span = self.span(&p);
        let text = p.as_str();
        let dots = text.find("..").unwrap_or(0) + span.start as usize;
        let mut lower = None;
        let mut upper = None;
        for b in p.into_inner() {
            let bs = self.span(&b);
            let e = if b.as_rule() == Rule::range_bound {
                match b.into_inner().next() {
                    Some(x) => self.build_operand(x),
                    None => err(bs),
                }
            } else {
                self.build_operand(b)
            };
            if (bs.start as usize) < dots {
                lower = Some(Box::new(e));
            } else {
                upper = Some(Box::new(e));
            }
        }
        if lower.is_none() && upper.is_none() {
            self.diags.push(
                Diagnostic::error(
                    codes::EMPTY_RANGE,
                    "a range needs at least one end",
                    span,
                    "no ends",
                )
                .with_help("write `lo..hi`, `lo..` (no upper end) or `..hi` (no lower end)"),
            );
        }
        (lower, upper)
    }

    fn bad_number(&mut self, span: Span) {
        self.diags.push(
            Diagnostic::error(
                codes::BAD_NUMBER,
                "this number is out of range",
                span,
                "too large",
            )
            .with_help("numbers must be finite; write a smaller value"),
        );
    }

    /// Unescapes a string literal, reporting bad escapes.
    fn build_string(&mut self, p: &Pair<Rule>) -> String {
        let raw = p.as_str();
        let start = p.as_span().start();
        let body = raw
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap_or(raw);
        let mut out = String::with_capacity(body.len());
        let mut chars = body.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            let esc_start = start + 1 + i;
            match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, '"')) => out.push('"'),
                Some((_, '\\')) => out.push('\\'),
                Some((_, 'u')) => {
                    let mut hex = String::new();
                    let mut ok = matches!(chars.peek(), Some((_, '{')));
                    let mut end = esc_start + 2;
                    if ok {
                        chars.next();
                        ok = false;
                        for (j, h) in chars.by_ref() {
                            end = start + 1 + j + h.len_utf8();
                            if h == '}' {
                                ok = true;
                                break;
                            }
                            hex.push(h);
                        }
                    }
                    match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        Some(ch) if ok => out.push(ch),
                        _ => self.diags.push(
                            Diagnostic::error(
                                codes::BAD_ESCAPE,
                                "invalid unicode escape in string",
                                self.at(esc_start, end),
                                "not a valid `\\u{...}` escape",
                            )
                            .with_help("write a hexadecimal code point in braces, e.g. `\\u{e9}`"),
                        ),
                    }
                }
                Some((j, other)) => {
                    let end = start + 1 + j + other.len_utf8();
                    self.diags.push(
                        Diagnostic::error(
                            codes::BAD_ESCAPE,
                            format!("unknown escape `\\{other}` in string"),
                            self.at(esc_start, end),
                            "unknown escape",
                        )
                        .with_help(
                            "valid escapes are `\\n`, `\\t`, `\\r`, `\\\"`, `\\\\` and `\\u{...}`",
                        ),
                    );
                    out.push(other);
                }
                None => {}
            }
        }
        out
    }

    /// Turns a caught line into a precise diagnostic by parsing it again
    /// with the rule that should have matched.
    /// `for = 5 minutes`: a lone word right after a property's number, on
    /// its line, is a unit written apart from its number. Said once, here;
    /// the value is left invalid, so nothing after parsing reports it again.
    fn unit_apart(&mut self, props: &mut [Property], p: &Pair<Rule>) -> bool {
        let Some(last) = props.last_mut() else {
            return false;
        };
        let ExprKind::Number { .. } = last.value.kind else {
            return false;
        };
        let word = p.as_str().trim_end();
        if word.is_empty() || !word.chars().all(|c| c.is_ascii_alphabetic()) {
            return false;
        }
        let input = p.as_span().get_input();
        let start = p.as_span().start();
        let value_end = (last.value.span.end as usize).saturating_sub(self.base);
        let between = input.get(value_end..start).unwrap_or("\n");
        if between.is_empty() || !between.chars().all(|c| c == ' ' || c == '\t') {
            return false;
        }
        let number = self.slice_at(input, &last.value.span);
        let span = Span::new(
            self.file,
            last.value.span.start as usize,
            self.base + start + word.len(),
        );
        self.diags.push(
            Diagnostic::error(
                codes::INVALID_MEMBER,
                format!("`{word}` after `{number}`: a unit is written right after its number, without a space"),
                span,
                "a number and a word",
            )
            .with_help(format!(
                "write the number and its unit as one word, such as `{number}m`, `{number}s` or `{number}%`"
            )),
        );
        last.value.kind = ExprKind::Error;
        true
    }

    /// The text of an absolute span within the text being parsed.
    fn slice_at<'i>(&self, input: &'i str, span: &Span) -> &'i str {
        let from = (span.start as usize).saturating_sub(self.base);
        let to = (span.end as usize).saturating_sub(self.base);
        input.get(from..to).unwrap_or("")
    }

    fn catch_all(&mut self, p: &Pair<Rule>, ctx: Context) {
        let text = p.as_str();
        let offset = p.as_span().start();
        let (probe, code) = match ctx {
            Context::TopLevel => (Rule::probe_item, codes::INVALID_ITEM),
            Context::Block => (Rule::probe_property, codes::INVALID_MEMBER),
            Context::Group => (Rule::probe_group_member, codes::INVALID_MEMBER),
            Context::Policy => (Rule::probe_policy_member, codes::INVALID_MEMBER),
            Context::Dashboard => (Rule::probe_widget, codes::INVALID_MEMBER),
            Context::Test => (Rule::probe_test_member, codes::INVALID_MEMBER),
        };
        let first_word: String = text
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let keyword_hint = match ctx {
            Context::TopLevel => suggest::did_you_mean(&first_word, TOP_KEYWORDS.iter().copied()),
            Context::Group => suggest::did_you_mean(&first_word, GROUP_KEYWORDS.iter().copied()),
            _ => None,
        };
        let help = keyword_hint.unwrap_or_else(|| {
            match ctx {
                // From the list did-you-mean uses, so the two can't drift.
                Context::TopLevel => format!(
                    "a top-level declaration starts with {}",
                    suggest::one_of(
                        &TOP_KEYWORDS
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                    )
                ),
                Context::Block => "a property is written `name = value`".to_string(),
                // From the list did-you-mean uses, so the two can't drift.
                Context::Group => format!(
                    "a group holds properties (`name = value`), {}",
                    suggest::quoted_list(GROUP_KEYWORDS.iter().copied())
                ),
                Context::Policy => "a policy holds properties (`name = value`) and steps such as `50%..70% => +1`".to_string(),
                Context::Dashboard => "a dashboard holds widgets: `capacity`, `activity`, `utilization`, `correlate [metric, ...]`".to_string(),
                Context::Test => "a test holds properties (`name = value`) and expectations such as `expect in_service <= 10`".to_string(),
            }
        });
        // pest's error detail (every token tried, for "expected ...") is a
        // process-wide switch, read when a parse starts, and it makes a
        // parse take about 1.7 times as long: on for the probe only. Probes
        // take turns, so one can't switch it off under another.
        let turn = PROBING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        pest::set_error_detail(true);
        let parsed = ScaleParser::parse(probe, text);
        pest::set_error_detail(false);
        drop(turn);
        let d = match parsed {
            Err(e) => self.pest_error_to_diag(&e, offset, text, code, Some(help)),
            Ok(_) => {
                // The line is fine on its own but not here (e.g. a
                // declaration inside a block).
                let span = self.at(offset, offset + text.len());
                Diagnostic::error(
                    code,
                    "this does not belong here",
                    span,
                    "not allowed in this place",
                )
                .with_help(help)
            }
        };
        self.diags.push(d);
    }

    fn pest_error_to_diag(
        &self,
        e: &pest::error::Error<Rule>,
        offset: usize,
        text: &str,
        code: &'static str,
        help: Option<String>,
    ) -> Diagnostic {
        let (pos, mut expected) = position_and_expected(e);
        // Right after a name, `_` is only the name going on: no help.
        let after_name = text
            .get(..pos)
            .and_then(|t| t.chars().next_back())
            .is_some_and(ident_char);
        tidy_expected(&mut expected, after_name);
        let rest = text.get(pos..).unwrap_or("");
        let (found, found_len) = found_at(rest);
        // An invisible character is named, and marked alone.
        let bom = rest.starts_with('\u{feff}');
        // `target-tracking`: a name written with `-` where `.scale` uses `_`.
        let dashed = after_name
            && rest.starts_with('-')
            && rest[1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic());
        let help = if bom {
            Some("a byte order mark may only start a file: remove this one".to_string())
        } else if dashed {
            Some(dashed_name_help(text, pos, rest))
        } else {
            help
        };
        let abs = offset + pos;
        let span = self.at(
            abs,
            abs + found_len.max(if rest.is_empty() { 0 } else { 1 }),
        );
        let expected_words = if expected.is_empty() {
            "something else".to_string()
        } else {
            suggest::one_of(&expected)
        };
        Diagnostic::error(
            code,
            format!("expected {expected_words}, found {found}"),
            span,
            format!("expected {expected_words}"),
        )
        .with_help_opt(help)
    }
}

/// Where a pest error is (the furthest position its attempts reached,
/// where literal tokens such as `=` are tracked), and what was expected
/// there in user words: rules by their words, tokens quoted.
fn position_and_expected(e: &pest::error::Error<Rule>) -> (usize, Vec<String>) {
    let mut pos = match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let mut expected: Vec<String> = Vec::new();
    let attempts = e.parse_attempts();
    // Literal tokens (`=`, `=>`) are tracked only by the parse attempts,
    // which know the furthest position reached; prefer it.
    if let Some(a) = &attempts
        && a.max_position > pos
        && !a.expected_tokens().is_empty()
    {
        pos = a.max_position;
    }
    if let pest::error::ErrorVariant::ParsingError { positives, .. } = &e.variant
        && attempts.as_ref().is_none_or(|a| a.max_position <= pos)
    {
        for r in positives {
            if let Some(w) = rule_words(*r) {
                expected.push(w.to_string());
            }
        }
    }
    if let Some(attempts) = &attempts
        && attempts.max_position == pos
    {
        for t in attempts.expected_tokens() {
            // `ParsingToken` is not exported; its Display gives the
            // literal text, `a..z` for a character range.
            let shown = t.to_string();
            // A range such as `\t..\n` before trimming, which would
            // leave `..`.
            let is_char_range =
                shown.chars().count() == 4 && shown.chars().skip(1).take(2).all(|c| c == '.');
            // `infix` tests an operator's first character before trying
            // the operators themselves: where it was tested, an
            // operator could have come.
            if shown == "*../" {
                expected.push("an operator".to_string());
            }
            let t = shown.trim();
            if !t.is_empty()
                && !is_char_range
                && t != "BUILTIN_RULE"
                && !matches!(t, "//" | "/*" | "\u{feff}" | "\\")
                && !t.starts_with('"')
            {
                expected.push(format!("`{t}`"));
            }
        }
    }
    (pos, expected)
}

/// Whether `c` can be part of a name.
fn ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// What was expected, sorted and each once: no `_` right after a name,
/// and many tokens that can each start a value as "a value".
fn tidy_expected(expected: &mut Vec<String>, after_name: bool) {
    expected.sort();
    expected.dedup();
    if after_name {
        expected.retain(|w| w != "`_`");
    }
    // Many tokens that can each start a value read better as "a value".
    const VALUE_STARTS: &[&str] = &[
        "`(`",
        "`+`",
        "`-`",
        "`..`",
        "`[`",
        "`_`",
        "`exactly`",
        "`false`",
        "`match`",
        "`true`",
        "`{`",
        "a value",
        "a number",
        "a string",
        "a name",
        "a number with a unit",
        "`true` or `false`",
        "a range such as `1..5`",
        "an adjustment such as `+1`",
        "a list `[...]`",
    ];
    if expected
        .iter()
        .filter(|w| VALUE_STARTS.contains(&w.as_str()))
        .count()
        >= 3
    {
        expected.retain(|w| !VALUE_STARTS.contains(&w.as_str()));
        expected.push("a value".to_string());
    }
}

/// What was found where `rest` starts, in words, and how much of it to
/// mark: a word (up to 40 bytes, 20 characters shown), the end of the
/// line, or a byte order mark.
fn found_at(rest: &str) -> (String, usize) {
    let found_len = rest
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map(|(i, _)| i)
        .unwrap_or(rest.len())
        .min(40);
    let found_text: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(20)
        .collect();
    if rest.starts_with('\u{feff}') {
        (
            "a byte order mark (U+FEFF)".to_string(),
            '\u{feff}'.len_utf8(),
        )
    } else if found_text.is_empty() {
        ("end of line".to_string(), found_len)
    } else {
        (format!("`{found_text}`"), found_len)
    }
}

/// The help for a name written with `-`: the whole name with `_`.
fn dashed_name_help(text: &str, pos: usize, rest: &str) -> String {
    let before: String = text
        .get(..pos)
        .unwrap_or_default()
        .chars()
        .rev()
        .take_while(|c| ident_char(*c))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after: String = rest
        .chars()
        .take_while(|c| ident_char(*c) || *c == '-')
        .collect();
    let joined = format!("{before}{after}").replace('-', "_");
    format!("names are written with `_`, not `-`: did you mean `{joined}`?")
}

/// The deepest bracket nesting the parser accepts. The grammar is recursive;
/// this bound keeps hostile input from exhausting the stack.
const MAX_DEPTH: usize = 64;

/// The most operators one expression may have.
const MAX_OPERATORS: usize = 64;

/// Where a `/*` without a closing `*/` starts, if any. Strings and line
/// comments are skipped, as the grammar skips them.
pub(super) fn unclosed_comment(text: &str) -> Option<usize> {
    super::format::scan_comments(text, |_| {})
}

/// Held while a probe parses with pest's error detail on (see `Builder::catch_all`).
pub(super) static PROBING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The span of the first bracket past [`MAX_DEPTH`], if any.
pub(super) fn too_deep(text: &str, file: FileId) -> Option<Span> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    // Bytes, not chars: every byte looked at is ASCII, and no byte of a
    // multi-byte character is.
    for (i, &c) in text.as_bytes().iter().enumerate() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' | b'\n' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            b'"' => in_string = true,
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(Span::new(file, i, i + 1));
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Whether text is only whitespace and comments.
fn only_trivia(mut t: &str) -> bool {
    loop {
        t = t.trim_start();
        if t.is_empty() {
            return true;
        }
        if let Some(rest) = t.strip_prefix("//") {
            t = rest.split_once('\n').map(|(_, r)| r).unwrap_or("");
        } else if let Some(rest) = t.strip_prefix("/*") {
            match rest.split_once("*/") {
                Some((_, r)) => t = r,
                None => return false,
            }
        } else {
            return false;
        }
    }
}

/// An operator met while building an expression.
#[derive(Clone, Copy)]
enum Op {
    Cmp(CmpOp),
    Bin(BinOp),
    Of,
}

impl Op {
    fn precedence(self) -> u8 {
        match self {
            Op::Cmp(_) => 1,
            Op::Bin(BinOp::Add | BinOp::Sub) => 2,
            Op::Bin(_) => 3,
            Op::Of => 4,
        }
    }
}

/// Combines the top operator with its two operands.
fn reduce(operands: &mut Vec<Expr>, ops: &mut Vec<(Op, Span)>) {
    let Some((op, op_span)) = ops.pop() else {
        return;
    };
    let (Some(rhs), Some(lhs)) = (operands.pop(), operands.pop()) else {
        operands.push(err(op_span));
        return;
    };
    let span = lhs.span.to(rhs.span);
    let (lhs, rhs) = (Box::new(lhs), Box::new(rhs));
    let kind = match op {
        Op::Cmp(op) => ExprKind::Compare {
            op,
            op_span,
            lhs,
            rhs,
        },
        Op::Bin(op) => ExprKind::Binary { op, lhs, rhs },
        Op::Of => ExprKind::Of {
            fraction: lhs,
            whole: rhs,
        },
    };
    operands.push(Expr { kind, span });
}

/// The comparison a `cmp_op` token writes.
fn cmp_op(text: &str) -> CmpOp {
    match text {
        ">=" => CmpOp::Ge,
        "<=" => CmpOp::Le,
        ">" => CmpOp::Gt,
        _ => CmpOp::Lt,
    }
}

fn err(span: Span) -> Expr {
    Expr {
        kind: ExprKind::Error,
        span,
    }
}

/// `6_000` -> 6000.0; `None` if not a finite number.
fn parse_number(text: &str) -> Option<f64> {
    let cleaned: String = text.chars().filter(|c| *c != '_').collect();
    cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
}
