//! Moving what was made from one top-level item to where the item now
//! starts: the spans a tree, a model or a diagnostic holds into that item,
//! shifted; spans elsewhere kept. [`super::ItemCache`] parses an item once
//! at offset 0 and places copies wherever the item now is; the checker's
//! group cache moves a lowered group the same way.
//!
//! The syntax tree's impls destructure each node without `..`, so a field
//! added to the tree fails to compile here until it is shifted too.

use super::ast::*;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

/// A move of the spans inside `start..=end` of `file` by `by` bytes.
#[derive(Clone, Copy, Debug)]
pub struct Move {
    /// The file whose spans move.
    pub file: FileId,
    /// The first byte of the moved item, before the move.
    pub start: u32,
    /// One past its last byte, before the move.
    pub end: u32,
    /// How far it moves: later if positive.
    pub by: i64,
}

impl Move {
    /// Every span of `file`, `by` bytes later.
    pub fn all(file: FileId, by: u32) -> Move {
        Move {
            file,
            start: 0,
            end: u32::MAX,
            by: i64::from(by),
        }
    }
}

/// Something holding spans.
pub trait Shift {
    /// Applies the move to every span inside its range.
    fn shift(&mut self, by: &Move);
}

impl Shift for Span {
    fn shift(&mut self, by: &Move) {
        if self.file == by.file && self.start >= by.start && self.end <= by.end {
            let to = |x: u32| u32::try_from(i64::from(x) + by.by).unwrap_or(u32::MAX);
            self.start = to(self.start);
            self.end = to(self.end);
        }
    }
}

impl<T: Shift> Shift for Vec<T> {
    fn shift(&mut self, by: &Move) {
        for x in self {
            x.shift(by);
        }
    }
}

impl<T: Shift> Shift for Option<T> {
    fn shift(&mut self, by: &Move) {
        if let Some(x) = self {
            x.shift(by);
        }
    }
}

impl<T: Shift> Shift for Box<T> {
    fn shift(&mut self, by: &Move) {
        (**self).shift(by);
    }
}

impl<A: Shift, B: Shift> Shift for (A, B) {
    fn shift(&mut self, by: &Move) {
        self.0.shift(by);
        self.1.shift(by);
    }
}

impl Shift for Diagnostic {
    fn shift(&mut self, by: &Move) {
        for l in &mut self.labels {
            l.span.shift(by);
        }
    }
}

impl Shift for Ident {
    fn shift(&mut self, by: &Move) {
        let Ident { name: _, span } = self;
        span.shift(by);
    }
}

impl Shift for Path {
    fn shift(&mut self, by: &Move) {
        let Path { segments, span } = self;
        segments.shift(by);
        span.shift(by);
    }
}

impl Shift for Item {
    fn shift(&mut self, by: &Move) {
        match self {
            Item::App(AppDecl {
                name: _,
                name_span,
                span,
            }) => {
                name_span.shift(by);
                span.shift(by);
            }
            Item::Param(ParamDecl { name, ty, span }) => {
                name.shift(by);
                ty.shift(by);
                span.shift(by);
            }
            Item::Metric(MetricDecl {
                name,
                params,
                body,
                span,
            }) => {
                name.shift(by);
                params.shift(by);
                body.shift(by);
                span.shift(by);
            }
            Item::Preset(e) | Item::Environment(e) => {
                let EnvDecl {
                    name,
                    extends,
                    body,
                    span,
                } = e;
                name.shift(by);
                extends.shift(by);
                body.shift(by);
                span.shift(by);
            }
            Item::Topic(TopicDecl { name, body, span }) => {
                name.shift(by);
                body.shift(by);
                span.shift(by);
            }
            Item::Group(g) => g.shift(by),
            Item::Scalable(ScalableDecl {
                keyword,
                kind,
                body,
                span,
            }) => {
                keyword.shift(by);
                kind.shift(by);
                body.shift(by);
                span.shift(by);
            }
            Item::Lints(LintsDecl { body, span }) => {
                body.shift(by);
                span.shift(by);
            }
            Item::Use(UseDecl {
                path: _,
                path_span,
                span,
            }) => {
                path_span.shift(by);
                span.shift(by);
            }
            Item::Template(TemplateDecl {
                params,
                extends,
                body,
                span,
            }) => {
                params.shift(by);
                extends.shift(by);
                body.shift(by);
                span.shift(by);
            }
            Item::Test(TestDecl {
                name,
                properties,
                expects,
                span,
            }) => {
                name.shift(by);
                properties.shift(by);
                for ExpectStmt {
                    cond,
                    duration,
                    span,
                } in expects
                {
                    cond.shift(by);
                    if let Some(ExpectFor {
                        op: _,
                        op_span,
                        value,
                    }) = duration
                    {
                        op_span.shift(by);
                        value.shift(by);
                    }
                    span.shift(by);
                }
                span.shift(by);
            }
        }
    }
}

impl Shift for TemplateParam {
    fn shift(&mut self, by: &Move) {
        let TemplateParam {
            name,
            ty,
            default,
            span,
        } = self;
        name.shift(by);
        ty.shift(by);
        default.shift(by);
        span.shift(by);
    }
}

impl Shift for TemplateCall {
    fn shift(&mut self, by: &Move) {
        let TemplateCall { name, args, span } = self;
        name.shift(by);
        args.shift(by);
        span.shift(by);
    }
}

impl Shift for MemberRef {
    fn shift(&mut self, by: &Move) {
        let MemberRef { kind, name, span } = self;
        kind.shift(by);
        name.shift(by);
        span.shift(by);
    }
}

impl Shift for TypeExpr {
    fn shift(&mut self, by: &Move) {
        let TypeExpr { name, arg, span } = self;
        name.shift(by);
        arg.shift(by);
        span.shift(by);
    }
}

impl Shift for GroupDecl {
    fn shift(&mut self, by: &Move) {
        let GroupDecl {
            name,
            properties,
            policies,
            alarms,
            hooks,
            schedules,
            notifications,
            dashboards,
            from,
            overrides,
            removes,
            span,
        } = self;
        from.shift(by);
        overrides.shift(by);
        removes.shift(by);
        name.shift(by);
        properties.shift(by);
        policies.shift(by);
        alarms.shift(by);
        hooks.shift(by);
        schedules.shift(by);
        notifications.shift(by);
        dashboards.shift(by);
        span.shift(by);
    }
}

impl Shift for PolicyDecl {
    fn shift(&mut self, by: &Move) {
        let PolicyDecl {
            name,
            kind,
            properties,
            steps,
            span,
        } = self;
        name.shift(by);
        kind.shift(by);
        properties.shift(by);
        steps.shift(by);
        span.shift(by);
    }
}

impl Shift for Step {
    fn shift(&mut self, by: &Move) {
        let Step {
            lower,
            upper,
            range_span,
            adjustment,
            span,
        } = self;
        lower.shift(by);
        upper.shift(by);
        range_span.shift(by);
        adjustment.shift(by);
        span.shift(by);
    }
}

impl Shift for AlarmDecl {
    fn shift(&mut self, by: &Move) {
        let AlarmDecl {
            name,
            tier,
            body,
            span,
        } = self;
        name.shift(by);
        tier.shift(by);
        body.shift(by);
        span.shift(by);
    }
}

impl Shift for HookDecl {
    fn shift(&mut self, by: &Move) {
        let HookDecl {
            name,
            on,
            body,
            span,
        } = self;
        name.shift(by);
        on.shift(by);
        body.shift(by);
        span.shift(by);
    }
}

impl Shift for ScheduleDecl {
    fn shift(&mut self, by: &Move) {
        let ScheduleDecl { name, body, span } = self;
        name.shift(by);
        body.shift(by);
        span.shift(by);
    }
}

impl Shift for NotifyStmt {
    fn shift(&mut self, by: &Move) {
        let NotifyStmt {
            events,
            topic,
            span,
        } = self;
        events.shift(by);
        topic.shift(by);
        span.shift(by);
    }
}

impl Shift for DashboardDecl {
    fn shift(&mut self, by: &Move) {
        let DashboardDecl {
            name,
            widgets,
            properties,
            span,
        } = self;
        name.shift(by);
        widgets.shift(by);
        properties.shift(by);
        span.shift(by);
    }
}

impl Shift for Widget {
    fn shift(&mut self, by: &Move) {
        let Widget { kind, args, span } = self;
        kind.shift(by);
        args.shift(by);
        span.shift(by);
    }
}

impl Shift for Block {
    fn shift(&mut self, by: &Move) {
        let Block { properties, span } = self;
        properties.shift(by);
        span.shift(by);
    }
}

impl Shift for Key {
    fn shift(&mut self, by: &Move) {
        match self {
            Key::Path(p) => p.shift(by),
            Key::String { value: _, span } => span.shift(by),
        }
    }
}

impl Shift for Property {
    fn shift(&mut self, by: &Move) {
        let Property { key, value, span } = self;
        key.shift(by);
        value.shift(by);
        span.shift(by);
    }
}

impl Shift for MatchArm {
    fn shift(&mut self, by: &Move) {
        let MatchArm {
            patterns,
            pattern_spans,
            value,
            span,
        } = self;
        patterns.shift(by);
        pattern_spans.shift(by);
        value.shift(by);
        span.shift(by);
    }
}

impl Shift for Expr {
    fn shift(&mut self, by: &Move) {
        let Expr { kind, span } = self;
        span.shift(by);
        match kind {
            ExprKind::Number { value: _ }
            | ExprKind::Signed { .. }
            | ExprKind::Exactly { value: _ }
            | ExprKind::String { value: _ }
            | ExprKind::Bool { value: _ }
            | ExprKind::Error => {}
            ExprKind::Quantity {
                value: _,
                unit: _,
                unit_span,
            } => unit_span.shift(by),
            ExprKind::Path { path } => path.shift(by),
            ExprKind::Call { path, args } => {
                path.shift(by);
                args.shift(by);
            }
            ExprKind::List { items } => items.shift(by),
            ExprKind::Range { lower, upper } => {
                lower.shift(by);
                upper.shift(by);
            }
            ExprKind::Match { subject, arms } => {
                subject.shift(by);
                arms.shift(by);
            }
            ExprKind::Object { block } => block.shift(by),
            ExprKind::Tagged { tag, block } => {
                tag.shift(by);
                block.shift(by);
            }
            ExprKind::Binary { op: _, lhs, rhs } => {
                lhs.shift(by);
                rhs.shift(by);
            }
            ExprKind::Of { fraction, whole } => {
                fraction.shift(by);
                whole.shift(by);
            }
            ExprKind::Compare {
                op: _,
                op_span,
                lhs,
                rhs,
            } => {
                op_span.shift(by);
                lhs.shift(by);
                rhs.shift(by);
            }
        }
    }
}
