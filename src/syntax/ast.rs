//! The untyped syntax tree. Every node carries its [`Span`]; every name
//! carries its own span too, so diagnostics can point precisely.
//!
//! The tree is what the user wrote, nothing more: `env.cpu` is a path, not a
//! resolved value, and `60%` is a number with the unit text `%`.

use crate::source::Span;
use serde::Serialize;

/// A name with its place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it is written.
    pub span: Span,
}

/// `env.cpu`: dotted names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Path {
    /// The parts, at least one.
    pub segments: Vec<Ident>,
    /// The whole path.
    pub span: Span,
}

impl Path {
    /// `a.b.c` as text.
    pub fn dotted(&self) -> std::borrow::Cow<'_, str> {
        if let [one] = self.segments.as_slice() {
            return std::borrow::Cow::Borrowed(&one.name);
        }
        let mut s = String::new();
        for (i, seg) in self.segments.iter().enumerate() {
            if i > 0 {
                s.push('.');
            }
            s.push_str(&seg.name);
        }
        std::borrow::Cow::Owned(s)
    }
}

/// A whole file.
#[derive(Debug, Clone, Serialize)]
pub struct File {
    /// Declarations in source order.
    pub items: Vec<Item>,
}

impl File {
    /// The tree as pretty JSON (`scalec debug ast`).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// A top-level declaration.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "item", rename_all = "snake_case")]
pub enum Item {
    /// `app "name"`.
    App(AppDecl),
    /// `param name: type`.
    Param(ParamDecl),
    /// `metric ns.name(args) { ... }`.
    Metric(MetricDecl),
    /// `preset name { ... }`.
    Preset(EnvDecl),
    /// `environment name { ... }`.
    Environment(EnvDecl),
    /// `topic name { ... }`.
    Topic(TopicDecl),
    /// `group name { ... }`.
    Group(GroupDecl),
    /// `service api ecs { ... }`: an Application Auto Scaling target.
    Scalable(ScalableDecl),
    /// `lints { runaway = deny }`.
    Lints(LintsDecl),
    /// `use "platform.scale"`.
    Use(UseDecl),
    /// `template service(cpu: percent = 60%) { ... }`.
    Template(TemplateDecl),
    /// `test flash_crowd { ... expect in_service <= 10 }`.
    Test(TestDecl),
}

/// `test flash_crowd { env = production  group = web  load = ...
/// expect in_service <= 10 }`: a scaling test.
#[derive(Debug, Clone, Serialize)]
pub struct TestDecl {
    /// The test's name.
    pub name: Ident,
    /// What it runs: `env`, `group`, `load`, assumptions.
    pub properties: Vec<Property>,
    /// What the run must show, in order.
    pub expects: Vec<ExpectStmt>,
    /// The whole declaration.
    pub span: Span,
}

/// `expect cpu >= 90% for <= 10m`.
#[derive(Debug, Clone, Serialize)]
pub struct ExpectStmt {
    /// The condition: `cpu >= 90%`, `p95(cpu) <= 70%`, `no_thrash`.
    pub cond: Expr,
    /// `for <= 10m`: how long a state may hold at most.
    pub duration: Option<ExpectFor>,
    /// The whole statement.
    pub span: Span,
}

/// `for <= 10m`.
#[derive(Debug, Clone, Serialize)]
pub struct ExpectFor {
    /// `<=` or `<`.
    pub op: CmpOp,
    /// Where the operator is.
    pub op_span: Span,
    /// The longest time.
    pub value: Expr,
}

/// `use "platform.scale"`.
#[derive(Debug, Clone, Serialize)]
pub struct UseDecl {
    /// The path as written, unescaped: relative to the using file.
    pub path: String,
    /// The string literal.
    pub path_span: Span,
    /// The whole declaration.
    pub span: Span,
}

/// `template service(cpu: percent = 60%) extends base(port = 80) { ... }`.
#[derive(Debug, Clone, Serialize)]
pub struct TemplateDecl {
    /// Its parameters, in order.
    pub params: Vec<TemplateParam>,
    /// The template it builds on, with its arguments.
    pub extends: Option<TemplateCall>,
    /// The body, read as a group's; its `name` is the template's.
    pub body: GroupDecl,
    /// The whole declaration.
    pub span: Span,
}

/// `cpu: percent = 60%`.
#[derive(Debug, Clone, Serialize)]
pub struct TemplateParam {
    /// The parameter's name, read as `arg.NAME` in the body.
    pub name: Ident,
    /// Its type: a param type or a unit (`percent`, `duration`...).
    pub ty: TypeExpr,
    /// Its default, if any.
    pub default: Option<Expr>,
    /// The whole parameter.
    pub span: Span,
}

/// `from service(cpu = 70%)` or `extends base(port = 80)`.
#[derive(Debug, Clone, Serialize)]
pub struct TemplateCall {
    /// The template's name.
    pub name: Ident,
    /// Its arguments, by name.
    pub args: Vec<Property>,
    /// The name and arguments.
    pub span: Span,
}

/// `override policy cpu` or `remove alarm hot`: a member of a template
/// named by its kind and name.
#[derive(Debug, Clone, Serialize)]
pub struct MemberRef {
    /// `policy`, `alarm`, `hook`, `schedule` or `dashboard`.
    pub kind: Ident,
    /// The member's name.
    pub name: Ident,
    /// The whole statement.
    pub span: Span,
}

/// `lints { runaway = deny  capacity.desired = allow }`.
#[derive(Debug, Clone, Serialize)]
pub struct LintsDecl {
    /// `code = level` properties.
    pub body: Block,
    /// The whole declaration.
    pub span: Span,
}

/// `app "macro-ai"`.
#[derive(Debug, Clone, Serialize)]
pub struct AppDecl {
    /// The name, unescaped.
    pub name: String,
    /// The string literal.
    pub name_span: Span,
    /// The whole declaration.
    pub span: Span,
}

/// `list<subnet_id>`.
#[derive(Debug, Clone, Serialize)]
pub struct TypeExpr {
    /// `list` or `subnet_id`.
    pub name: Ident,
    /// The element type of `list<...>`.
    pub arg: Option<Box<TypeExpr>>,
    /// The whole type.
    pub span: Span,
}

/// `param subnets: list<subnet_id>`.
#[derive(Debug, Clone, Serialize)]
pub struct ParamDecl {
    /// ```text
    /// param subnets: list<subnet_id>
    ///       ^^^^^^^
    /// ```
    pub name: Ident,
    /// The declared type.
    pub ty: TypeExpr,
    /// The whole declaration.
    pub span: Span,
}

/// `metric alb.requests(load_balancer: load_balancer_arn) { ... }`.
#[derive(Debug, Clone, Serialize)]
pub struct MetricDecl {
    /// ```text
    /// metric alb.requests(load_balancer: load_balancer_arn) { .. }
    ///        ^^^^^^^^^^^^
    /// ```
    pub name: Path,
    /// Parameters, each a name and a type.
    pub params: Vec<(Ident, TypeExpr)>,
    /// namespace, name, unit, statistic, dimensions, ...
    pub body: Block,
    /// The whole declaration.
    pub span: Span,
}

/// `environment staging extends base { ... }` or `preset base { ... }`.
#[derive(Debug, Clone, Serialize)]
pub struct EnvDecl {
    /// The environment's or preset's name.
    pub name: Ident,
    /// What it extends, in order: later ones override earlier ones.
    pub extends: Vec<Path>,
    /// Its values.
    pub body: Block,
    /// The whole declaration.
    pub span: Span,
}

/// `topic critical { email = param.alert_email }`.
#[derive(Debug, Clone, Serialize)]
pub struct TopicDecl {
    /// The topic's name, also a tier name for alarms.
    pub name: Ident,
    /// Subscriptions.
    pub body: Block,
    /// The whole declaration.
    pub span: Span,
}

/// `group web { ... }`.
#[derive(Debug, Clone, Serialize)]
pub struct GroupDecl {
    /// The group's name.
    pub name: Ident,
    /// Plain properties such as `capacity = ...`.
    pub properties: Vec<Property>,
    /// `policy` declarations.
    pub policies: Vec<PolicyDecl>,
    /// `alarm` declarations.
    pub alarms: Vec<AlarmDecl>,
    /// `hook` declarations.
    pub hooks: Vec<HookDecl>,
    /// `schedule` declarations.
    pub schedules: Vec<ScheduleDecl>,
    /// `notify [...] -> topic` statements.
    pub notifications: Vec<NotifyStmt>,
    /// `dashboard { ... }` declarations.
    pub dashboards: Vec<DashboardDecl>,
    /// `from service(cpu = 70%)`: the template it is made from.
    pub from: Option<TemplateCall>,
    /// Members declared with `override`: they replace the template's.
    pub overrides: Vec<MemberRef>,
    /// `remove alarm hot`: the template's members left out.
    pub removes: Vec<MemberRef>,
    /// The whole declaration.
    pub span: Span,
}

impl GroupDecl {
    /// A group with nothing in it yet.
    pub fn empty(name: Ident, span: Span) -> GroupDecl {
        GroupDecl {
            name,
            properties: vec![],
            policies: vec![],
            alarms: vec![],
            hooks: vec![],
            schedules: vec![],
            notifications: vec![],
            dashboards: vec![],
            from: None,
            overrides: vec![],
            removes: vec![],
            span,
        }
    }
}

/// `service api ecs { ... }`, `table orders dynamodb { ... }`: a
/// scalable target of Application Auto Scaling. Its body is a group's
/// (`body.name` is its name); the checker says which members its kind
/// takes.
#[derive(Debug, Clone, Serialize)]
pub struct ScalableDecl {
    /// `service`, `table`, `index` or `function`.
    pub keyword: Ident,
    /// `ecs`, `dynamodb` or `lambda`.
    pub kind: Ident,
    /// The name and members.
    pub body: GroupDecl,
    /// The whole declaration.
    pub span: Span,
}

/// `policy cpu target_tracking { ... }`.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyDecl {
    /// ```text
    /// policy cpu target_tracking { .. }
    ///        ^^^
    /// ```
    pub name: Ident,
    /// ```text
    /// policy cpu target_tracking { .. }
    ///            ^^^^^^^^^^^^^^^
    /// ```
    pub kind: Ident,
    /// Properties.
    pub properties: Vec<Property>,
    /// `range => adjustment` lines, for step policies.
    pub steps: Vec<Step>,
    /// The whole declaration.
    pub span: Span,
}

/// `50%..70% => +1`.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// The lower end, if any.
    pub lower: Option<Box<Expr>>,
    /// The upper end, if any.
    pub upper: Option<Box<Expr>>,
    /// The range as written.
    pub range_span: Span,
    /// What to do.
    pub adjustment: Expr,
    /// The whole line.
    pub span: Span,
}

/// `alarm hot warning { ... }`.
#[derive(Debug, Clone, Serialize)]
pub struct AlarmDecl {
    /// The alarm's name.
    pub name: Ident,
    /// Its tier: the topic it notifies.
    pub tier: Ident,
    /// Properties.
    pub body: Block,
    /// The whole declaration.
    pub span: Span,
}

/// `hook drain terminate { ... }`.
#[derive(Debug, Clone, Serialize)]
pub struct HookDecl {
    /// The hook's name.
    pub name: Ident,
    /// `launch` or `terminate`.
    pub on: Ident,
    /// Properties.
    pub body: Block,
    /// The whole declaration.
    pub span: Span,
}

/// `schedule nightly { ... }`.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleDecl {
    /// The action's name.
    pub name: Ident,
    /// Properties.
    pub body: Block,
    /// The whole declaration.
    pub span: Span,
}

/// `notify [launch, terminate] -> info`.
#[derive(Debug, Clone, Serialize)]
pub struct NotifyStmt {
    /// The event list expression.
    pub events: Expr,
    /// The topic.
    pub topic: Ident,
    /// The whole statement.
    pub span: Span,
}

/// `dashboard { capacity activity correlate [ec2.cpu] }`.
#[derive(Debug, Clone, Serialize)]
pub struct DashboardDecl {
    /// An optional name.
    pub name: Option<Ident>,
    /// Widgets in order.
    pub widgets: Vec<Widget>,
    /// Properties: `name = "..."`.
    pub properties: Vec<Property>,
    /// The whole declaration.
    pub span: Span,
}

/// One widget of a dashboard.
#[derive(Debug, Clone, Serialize)]
pub struct Widget {
    /// `capacity`, `activity`, `correlate`, ...
    pub kind: Ident,
    /// The list argument, if any.
    pub args: Option<Vec<Expr>>,
    /// The whole widget.
    pub span: Span,
}

/// `{ key = value ... }`.
#[derive(Debug, Clone, Serialize)]
pub struct Block {
    /// Properties in order.
    pub properties: Vec<Property>,
    /// The braces and everything between.
    pub span: Span,
}

/// A property's key: a dotted name, or a string (for tag keys).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "key", rename_all = "snake_case")]
pub enum Key {
    /// `capacity` or `param.subnets`.
    Path(Path),
    /// `"cost-center"`.
    String {
        /// The unescaped text.
        value: String,
        /// The literal.
        span: Span,
    },
}

impl Key {
    /// The key as text (`param.subnets`).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Key::Path(p) => p.dotted(),
            Key::String { value, .. } => std::borrow::Cow::Borrowed(value),
        }
    }

    /// Where the key is written.
    pub fn span(&self) -> Span {
        match self {
            Key::Path(p) => p.span,
            Key::String { span, .. } => *span,
        }
    }
}

/// `key = value`.
#[derive(Debug, Clone, Serialize)]
pub struct Property {
    /// The name.
    pub key: Key,
    /// The value.
    pub value: Expr,
    /// The whole property.
    pub span: Span,
}

/// An expression with its place.
#[derive(Debug, Clone, Serialize)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where.
    pub span: Span,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CmpOp {
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `<=`
    Le,
}

impl CmpOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
        }
    }
}

/// One arm of a `match`.
#[derive(Debug, Clone, Serialize)]
pub struct MatchArm {
    /// Environment names; `None` is the wildcard `_`.
    pub patterns: Vec<Option<Ident>>,
    /// Spans of the patterns, wildcard included.
    pub pattern_spans: Vec<Span>,
    /// The value.
    pub value: Expr,
    /// The whole arm.
    pub span: Span,
}

/// The kinds of expression.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "expr", rename_all = "snake_case")]
pub enum ExprKind {
    /// `3`, `1.5`.
    Number {
        /// The value.
        value: f64,
    },
    /// `60%`, `5m`, `100/min`: a number and its unit text.
    Quantity {
        /// The number.
        value: f64,
        /// The unit as written: `%`, `m`, `/min`, `MiB`.
        unit: String,
        /// Where the unit is written.
        unit_span: Span,
    },
    /// `+1`, `-20%`: a signed change.
    Signed {
        /// The signed number.
        value: f64,
        /// Whether it ends in `%`.
        percent: bool,
    },
    /// `exactly 4`.
    Exactly {
        /// The capacity.
        value: f64,
    },
    /// `"text"`, unescaped.
    String {
        /// The text.
        value: String,
    },
    /// `true` or `false`.
    Bool {
        /// The value.
        value: bool,
    },
    /// `env.cpu`.
    Path {
        /// The path.
        path: Path,
    },
    /// `alb.requests(param.lb)`.
    Call {
        /// The function or metric.
        path: Path,
        /// Arguments.
        args: Vec<Expr>,
    },
    /// `[a, b]`.
    List {
        /// Items.
        items: Vec<Expr>,
    },
    /// `lo..hi`, either end optional.
    Range {
        /// Lower end.
        lower: Option<Box<Expr>>,
        /// Upper end.
        upper: Option<Box<Expr>>,
    },
    /// `match env { ... }`.
    Match {
        /// What is matched: `env`.
        subject: Path,
        /// Arms in order.
        arms: Vec<MatchArm>,
    },
    /// `{ key = value }`.
    Object {
        /// The block.
        block: Block,
    },
    /// `elb { grace = 5m }`.
    Tagged {
        /// The variant.
        tag: Ident,
        /// Its settings.
        block: Block,
    },
    /// `a + b`.
    Binary {
        /// Operator.
        op: BinOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// `80% of capacity.max`.
    Of {
        /// The fraction.
        fraction: Box<Expr>,
        /// The whole.
        whole: Box<Expr>,
    },
    /// `ec2.cpu > 85%`.
    Compare {
        /// Operator.
        op: CmpOp,
        /// Where the operator is.
        op_span: Span,
        /// Left side.
        lhs: Box<Expr>,
        /// Right side.
        rhs: Box<Expr>,
    },
    /// A value that could not be parsed; its diagnostic is already reported.
    Error,
}
