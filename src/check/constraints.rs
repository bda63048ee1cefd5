//! AWS's constraints on every field scalec emits, in one table: each
//! request member of the API calls and each CloudFormation property, its
//! rule and where the rule comes from. The checker enforces the rows
//! through [`Row::max_chars`], [`Row::int_range`], [`Shape::accepts`] and
//! friends, so a spec `check` accepts deploys; a test walks every emitted
//! request and template and asserts each field has a row its value keeps,
//! and another compares the rows with botocore's API models and cfn-lint's
//! resource schemas, which must never be stricter than this table.
//!
//! Sources: "model" is botocore's service model (the source of every AWS
//! SDK) for the operation and member; "schema" is the CloudFormation
//! resource schema as cfn-lint 1.58 ships it; pages are AWS's API
//! reference and user guides, cited where a rule is only written in prose.
//! Lengths count characters (Unicode scalar values), as AWS does.

use crate::kinds::group::{
    AZ_STRATEGY_NAMES as AZ_STRATEGIES, ON_DEMAND_STRATEGY_NAMES as ON_DEMAND_STRATEGIES,
    POOL_STATE_NAMES as POOL_STATES, PREDICTIVE_PAIR_NAMES as PREDICTIVE_PAIRS,
    PROCESS_NAMES as PROCESSES, RESERVATION_PREFERENCE_NAMES as RESERVATION_PREFERENCES,
    SPOT_STRATEGY_NAMES as SPOT_STRATEGIES,
};
use crate::kinds::group::{
    HOOK_RESULT_NAMES as HOOK_RESULTS, HOOK_TRANSITION_NAMES as HOOK_TRANSITIONS,
    PREDICTIVE_MODE_NAMES as PREDICTIVE_MODES,
};
use serde::Serialize;

/// AWS's 32-bit signed integer fields.
pub const I32: i64 = i32::MAX as i64;

/// What a field's value must be.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rule {
    /// Text of `min..=max` characters.
    Text {
        /// Fewest characters.
        min: usize,
        /// Most characters.
        max: usize,
    },
    /// A whole number in `min..=max` (in templates, its decimal text).
    Int {
        /// Smallest.
        min: i64,
        /// Largest.
        max: i64,
    },
    /// A finite number.
    Number,
    /// `true` or `false`.
    Bool,
    /// One of these words.
    OneOf {
        /// The words.
        values: &'static [&'static str],
    },
    /// A list of `min..=max` items; the items have rows of their own
    /// (`Field[]`).
    List {
        /// Fewest items.
        min: usize,
        /// Most items.
        max: usize,
    },
    /// A JSON document, as text.
    Json,
}

/// A shape a text value must have beyond its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// Printable ASCII except `:` (Auto Scaling names).
    AutoScalingName,
    /// No control characters (CloudWatch alarm names and descriptions).
    NoControl,
    /// Letters, digits, `-` and `_` (SNS topic and dashboard names).
    Word,
    /// `lt-` and 17 hex digits.
    LaunchTemplateId,
    /// `$Latest`, `$Default` or a version number.
    LaunchTemplateVersion,
    /// Comma-separated subnet ids.
    SubnetIds,
    /// A target group ARN.
    TargetGroupArn,
    /// An SNS topic ARN.
    TopicArn,
    /// A tag key: not starting with `aws:`.
    TagKey,
    /// `app/LB/ID/targetgroup/TG/ID`.
    ResourceLabel,
    /// A five-field Unix cron expression.
    Cron,
    /// An IANA time zone name.
    TimeZone,
    /// A CloudWatch namespace.
    Namespace,
    /// A CloudWatch metric or dimension name.
    MetricName,
    /// A metric-math query id: a lowercase letter, then letters, digits, `_`.
    MetricId,
    /// An alarm period: 10, 20, 30 or a multiple of 60 seconds.
    AlarmPeriod,
    /// A subscription endpoint: an email address, https URL or ARN.
    Endpoint,
    /// A CloudFormation logical ID: letters and digits.
    LogicalId,
    /// A launch template name: letters, digits and `().-/_`.
    LaunchTemplateName,
    /// `cr-` and 17 hex digits.
    CapacityReservationId,
    /// A resource group ARN.
    ResourceGroupArn,
    /// A lifecycle hook name: letters, digits and `-_/`.
    HookName,
    /// An SNS topic or SQS queue ARN.
    HookTarget,
    /// An IAM role ARN.
    RoleArn,
    /// An instance weight: a whole number from 1 to 999, as text.
    Weight,
}

impl Shape {
    /// Whether `v` has this shape. Cron expressions and time zones are
    /// judged by their own modules; here they only need to be non-empty.
    pub fn accepts(self, v: &str) -> bool {
        match self {
            Shape::AutoScalingName => v.chars().all(|c| ('!'..='~').contains(&c) && c != ':'),
            Shape::NoControl => !v.chars().any(|c| c.is_control()),
            Shape::Word => v
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            Shape::LaunchTemplateId => hex_id(v, "lt-", &[17]),
            Shape::LaunchTemplateVersion => {
                v == "$Latest"
                    || v == "$Default"
                    || (!v.is_empty()
                        && v.chars().all(|c| c.is_ascii_digit())
                        && !v.starts_with('0')
                        && v.parse::<i64>().is_ok())
            }
            Shape::SubnetIds => v.split(',').all(|s| hex_id(s, "subnet-", &[8, 17])),
            Shape::TargetGroupArn => {
                parse_elb_arn(v).is_some_and(|a| a.kind == ElbKind::TargetGroup)
            }
            Shape::TopicArn => topic_arn_check(v).is_ok(),
            Shape::TagKey => !v.to_ascii_lowercase().starts_with("aws:"),
            Shape::ResourceLabel => {
                let p: Vec<&str> = v.split('/').collect();
                p.len() == 6
                    && p[0] == "app"
                    && p[3] == "targetgroup"
                    && p.iter().all(|x| !x.is_empty())
            }
            Shape::Cron => crate::kinds::cron::parse(v).is_ok(),
            Shape::TimeZone => super::timezone::canonical(v) == Some(v),
            Shape::Namespace => namespace_ok(v),
            Shape::MetricName => v.is_ascii() && !v.trim().is_empty() && !v.starts_with(':'),
            Shape::MetricId => {
                let mut c = v.chars();
                c.next().is_some_and(|f| f.is_ascii_lowercase())
                    && c.all(|x| x.is_ascii_alphanumeric() || x == '_')
            }
            Shape::AlarmPeriod => v
                .parse::<u32>()
                .is_ok_and(|p| p == 10 || p == 20 || p == 30 || (p >= 60 && p % 60 == 0)),
            Shape::Endpoint => {
                v.starts_with("https://") || v.contains('@') || arn_parts(v).is_some()
            }
            Shape::LogicalId => v.chars().all(|c| c.is_ascii_alphanumeric()),
            Shape::LaunchTemplateName => v
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "().-/_".contains(c)),
            Shape::CapacityReservationId => hex_id(v, "cr-", &[17]),
            Shape::ResourceGroupArn => arn_parts(v).is_some_and(|p| p.service == "resource-groups"),
            Shape::HookName => v
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_/".contains(c)),
            Shape::HookTarget => topic_arn_check(v).is_ok() || queue_arn_check(v).is_ok(),
            Shape::RoleArn => role_arn_ok(v),
            Shape::Weight => v.parse::<u32>().is_ok_and(|w| (1..=999).contains(&w)),
        }
    }

    /// Values the shape accepts that reach the edges of what it allows
    /// (its characters, its lengths, its forms): AWS's own patterns must
    /// accept every one, which the oracle test checks against botocore and
    /// cfn-lint, so the table is never looser than AWS.
    pub fn witnesses(self) -> &'static [&'static str] {
        match self {
            Shape::AutoScalingName => &["!", "~", "a-b_c/d.e", "web#1[blue]"],
            Shape::NoControl => &["é", "a b", "日本", "\u{10000}"],
            Shape::Word => &["-", "_", "a-B_9"],
            Shape::LaunchTemplateId => &["lt-0123456789abcdef0"],
            Shape::LaunchTemplateVersion => &["$Latest", "$Default", "1", "9007199254740993"],
            Shape::SubnetIds => &[
                "subnet-0123abcd",
                "subnet-0123abcd,subnet-0123456789abcdef0",
            ],
            Shape::TargetGroupArn => &[
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/a/0123456789abcdef",
                "arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:targetgroup/a-b-c/0123456789abcdef",
            ],
            Shape::TopicArn => &[
                "arn:aws:sns:us-east-1:123456789012:a",
                "arn:aws-us-gov:sns:us-gov-west-1:123456789012:a-b_c",
            ],
            Shape::TagKey => &["a", "aws", "x:aws:y", "é"],
            Shape::ResourceLabel => &["app/a/0123456789abcdef/targetgroup/b/0123456789abcdef"],
            Shape::Cron => &["* * * * *", "0 6 * * MON-FRI", "*/10 1-5 1,15 JAN-JUN 0"],
            Shape::TimeZone => &["UTC", "America/New_York", "Etc/GMT+5"],
            Shape::Namespace => &["a", "AWS/EC2", "App/Queue #1: x.y-z_w"],
            Shape::MetricName => &["a", "a b", "x:y", "~"],
            Shape::MetricId => &["m1", "a", "aB_9"],
            Shape::AlarmPeriod => &["10", "20", "30", "60", "86400"],
            Shape::Endpoint => &[
                "ops@example.com",
                "https://hooks.example.com/a?b=c",
                "arn:aws:sqs:us-east-1:123456789012:q",
            ],
            Shape::LogicalId => &["A", "a9"],
            Shape::LaunchTemplateName => &["a(b).c-d/e_f"],
            Shape::CapacityReservationId => &["cr-0123456789abcdef0"],
            Shape::ResourceGroupArn => &["arn:aws:resource-groups:us-east-1:123456789012:group/a"],
            Shape::HookName => &["a", "A-b_c/9"],
            Shape::HookTarget => &[
                "arn:aws:sns:us-east-1:123456789012:a",
                "arn:aws:sqs:us-east-1:123456789012:a-b_c",
            ],
            Shape::RoleArn => &[
                "arn:aws:iam::123456789012:role/a",
                "arn:aws:iam::123456789012:role/path/to/r+=,.@_-",
            ],
            Shape::Weight => &["1", "999"],
        }
    }

    /// The shape in words, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Shape::AutoScalingName => "printable ASCII characters except `:`",
            Shape::NoControl => "no control characters",
            Shape::Word => "letters, digits, `-` and `_`",
            Shape::LaunchTemplateId => "`lt-` and 17 hex digits",
            Shape::LaunchTemplateVersion => "`$Latest`, `$Default` or a version number",
            Shape::SubnetIds => "subnet ids (`subnet-` and 8 or 17 hex digits)",
            Shape::TargetGroupArn => "a target group ARN",
            Shape::TopicArn => "an SNS topic ARN",
            Shape::TagKey => "a key not starting with `aws:`",
            Shape::ResourceLabel => "`app/LB/ID/targetgroup/TG/ID`",
            Shape::Cron => "a five-field cron expression",
            Shape::TimeZone => "an IANA time zone name",
            Shape::Namespace => "ASCII letters, digits and `.-_/#: `, not starting with `:`",
            Shape::MetricName => "ASCII, not blank, not starting with `:`",
            Shape::MetricId => "a lowercase letter, then letters, digits and `_`",
            Shape::AlarmPeriod => "10, 20, 30 or a multiple of 60 seconds",
            Shape::Endpoint => "an email address, https URL or ARN",
            Shape::LogicalId => "letters and digits",
            Shape::LaunchTemplateName => "letters, digits and `().-/_`",
            Shape::CapacityReservationId => "`cr-` and 17 hex digits",
            Shape::ResourceGroupArn => "a resource group ARN",
            Shape::HookName => "letters, digits and `-_/`",
            Shape::HookTarget => "an SNS topic or SQS queue ARN",
            Shape::RoleArn => "an IAM role ARN",
            Shape::Weight => "a whole number from 1 to 999",
        }
    }
}

/// `prefix` then one of `lens` lowercase hex digits.
pub fn hex_id(v: &str, prefix: &str, lens: &[usize]) -> bool {
    v.strip_prefix(prefix).is_some_and(|rest| {
        lens.contains(&rest.len())
            && rest
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
    })
}

/// CloudWatch namespaces: 1-255 ASCII letters, digits and `.-_/#:` and
/// space, at least one not a space, not starting with `:`.
/// (PutMetricAlarm `Namespace` model pattern `[^:].*`; CloudWatch concepts
/// page, "Namespaces".)
fn namespace_ok(v: &str) -> bool {
    !v.trim().is_empty()
        && !v.starts_with(':')
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-_/#: ".contains(c))
}

pub use crate::kinds::arn::{
    Arn, PARTITIONS, arn_parts, arn_problem, partition_of, partition_ok, region_ok,
};

/// IAM role names: 1-64 letters, digits and `+=,.@_-` (IAM API reference,
/// CreateRole `RoleName`).
const ROLE_NAME_MAX: usize = 64;
/// IAM paths: `/`, or `/` and printable ASCII ending in `/`, at most 512
/// (CreateRole `Path`).
const ROLE_PATH_MAX: usize = 512;
/// SQS queue names: 1-80 letters, digits, `-` and `_`, with `.fifo` at the
/// end of a FIFO queue's (SQS API reference, CreateQueue `QueueName`).
const QUEUE_NAME_MAX: usize = 80;
/// Lambda function names in an ARN: 1-64 letters, digits, `-` and `_`
/// (Lambda API reference, CreateFunction `FunctionName`).
const FUNCTION_NAME_MAX: usize = 64;

/// An IAM role ARN: `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`. IAM is
/// global, so the region part is empty. `Err` says what is wrong.
pub fn role_arn_check(v: &str) -> Result<(), String> {
    let a = arn_parts(v).ok_or_else(|| arn_problem(v))?;
    if a.service != "iam" {
        return Err(format!("it names the service `{}`, not `iam`", a.service));
    }
    let rest = a
        .resource
        .strip_prefix("role/")
        .ok_or("its resource does not start with `role/`")?;
    let (path, name) = match rest.rfind('/') {
        Some(i) => (&rest[..=i], &rest[i + 1..]),
        None => ("", rest),
    };
    let n = name.chars().count();
    if n == 0 || n > ROLE_NAME_MAX {
        return Err(format!(
            "its role name is {n} characters; IAM takes 1 to {ROLE_NAME_MAX}"
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "+=,.@_-".contains(*c)))
    {
        return Err(format!(
            "its role name contains `{}`; IAM takes letters, digits and `+=,.@_-`",
            c.escape_default()
        ));
    }
    if path.len() + 1 > ROLE_PATH_MAX || path.chars().any(|c| !('!'..='~').contains(&c)) {
        return Err(format!(
            "its path is not `/` and at most {ROLE_PATH_MAX} printable ASCII characters"
        ));
    }
    Ok(())
}

/// Whether `v` is an IAM role ARN.
pub fn role_arn_ok(v: &str) -> bool {
    role_arn_check(v).is_ok()
}

/// An SQS queue ARN: `arn:PARTITION:sqs:REGION:ACCOUNT:NAME`.
pub fn queue_arn_check(v: &str) -> Result<(), String> {
    let a = arn_parts(v).ok_or_else(|| arn_problem(v))?;
    if a.service != "sqs" {
        return Err(format!("it names the service `{}`, not `sqs`", a.service));
    }
    let name = a.resource;
    let n = name.chars().count();
    if n > QUEUE_NAME_MAX {
        return Err(format!(
            "its queue name is {n} characters; SQS takes at most {QUEUE_NAME_MAX}"
        ));
    }
    let base = name.strip_suffix(".fifo").unwrap_or(name);
    if base.is_empty() {
        return Err("it has no queue name".into());
    }
    if let Some(c) = base
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!(
            "its queue name contains `{}`; SQS takes letters, digits, `-` and `_` (and `.fifo` at the end)",
            c.escape_default()
        ));
    }
    Ok(())
}

/// Whether an SQS queue ARN names a FIFO queue (its name ends in `.fifo`).
pub fn is_fifo_queue(v: &str) -> bool {
    arn_parts(v).is_some_and(|a| a.service == "sqs" && a.resource.ends_with(".fifo"))
}

/// An SNS topic ARN: `arn:PARTITION:sns:REGION:ACCOUNT:NAME`, the name as
/// `CreateTopic` takes it (1-256 letters, digits, `-` and `_`).
pub fn topic_arn_check(v: &str) -> Result<(), String> {
    let a = arn_parts(v).ok_or_else(|| arn_problem(v))?;
    if a.service != "sns" {
        return Err(format!("it names the service `{}`, not `sns`", a.service));
    }
    let n = a.resource.chars().count();
    if n > TOPIC_NAME.max_chars() {
        return Err(format!(
            "its topic name is {n} characters; SNS takes at most {}",
            TOPIC_NAME.max_chars()
        ));
    }
    if !Shape::Word.accepts(a.resource) {
        return Err("its topic name is not letters, digits, `-` and `_`".into());
    }
    Ok(())
}

/// A Lambda function ARN: `arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME`,
/// with an optional `:VERSION` or `:ALIAS`.
pub fn function_arn_check(v: &str) -> Result<(), String> {
    let a = arn_parts(v).ok_or_else(|| arn_problem(v))?;
    if a.service != "lambda" {
        return Err(format!(
            "it names the service `{}`, not `lambda`",
            a.service
        ));
    }
    let rest = a
        .resource
        .strip_prefix("function:")
        .ok_or("its resource does not start with `function:`")?;
    let name = rest.split(':').next().unwrap_or_default();
    let n = name.chars().count();
    if n == 0 || n > FUNCTION_NAME_MAX || !Shape::Word.accepts(name) {
        return Err(format!(
            "its function name is not 1 to {FUNCTION_NAME_MAX} letters, digits, `-` and `_`"
        ));
    }
    Ok(())
}

/// What an Elastic Load Balancing ARN names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElbKind {
    /// `loadbalancer/app/NAME/ID`.
    LoadBalancer,
    /// `targetgroup/NAME/ID`.
    TargetGroup,
}

/// An Application Load Balancer or target group ARN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ElbArn<'a> {
    /// Which.
    pub kind: ElbKind,
    /// Its region.
    pub region: &'a str,
}

/// Parses an ALB or target group ARN. Names are 1-32 letters, digits and
/// hyphens, not starting or ending with a hyphen; ids are 16 hex digits
/// (Elastic Load Balancing API reference, CreateLoadBalancer and
/// CreateTargetGroup `Name`).
pub fn parse_elb_arn(v: &str) -> Option<ElbArn<'_>> {
    let a = arn_parts(v)?;
    if a.service != "elasticloadbalancing" {
        return None;
    }
    let name_ok = |n: &str| {
        (1..=32).contains(&n.len())
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !n.starts_with('-')
            && !n.ends_with('-')
    };
    let id_ok = |i: &str| i.len() == 16 && i.chars().all(|c| c.is_ascii_hexdigit());
    let r: Vec<&str> = a.resource.split('/').collect();
    let kind = match r.as_slice() {
        ["loadbalancer", "app", name, id] if name_ok(name) && id_ok(id) => ElbKind::LoadBalancer,
        ["targetgroup", name, id] if name_ok(name) && id_ok(id) => ElbKind::TargetGroup,
        _ => return None,
    };
    Some(ElbArn {
        kind,
        region: a.region,
    })
}

/// One field scalec emits.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Row {
    /// `autoscaling:PutScalingPolicy`, or a resource type
    /// (`AWS::AutoScaling::ScalingPolicy`).
    pub api: &'static str,
    /// The member or property path; list items as `Name[]`.
    pub field: &'static str,
    /// The rule.
    pub rule: Rule,
    /// A shape, for text.
    pub shape: Option<Shape>,
    /// Where the rule is written.
    pub source: &'static str,
}

impl Row {
    /// The longest text the field takes.
    pub fn max_chars(&self) -> usize {
        match self.rule {
            Rule::Text { max, .. } => max,
            _ => usize::MAX,
        }
    }

    /// The range of a whole-number field.
    pub fn int_range(&self) -> (i64, i64) {
        match self.rule {
            Rule::Int { min, max } => (min, max),
            _ => (i64::MIN, i64::MAX),
        }
    }

    /// The most items of a list field.
    pub fn max_items(&self) -> usize {
        match self.rule {
            Rule::List { max, .. } => max,
            _ => usize::MAX,
        }
    }

    /// Whether `v` keeps the row; `Err` says why not. Template values may
    /// be intrinsic functions (`{"Ref": ...}`), which are resolved at
    /// deploy time and pass here.
    pub fn check(&self, v: &serde_json::Value) -> Result<(), String> {
        use serde_json::Value as J;
        if let J::Object(m) = v
            && m.len() == 1
            && m.keys()
                .next()
                .is_some_and(|k| k == "Ref" || k.starts_with("Fn::"))
        {
            return Ok(());
        }
        match (self.rule, v) {
            (Rule::Text { min, max }, J::String(s)) => {
                let n = s.chars().count();
                if n < min || n > max {
                    return Err(format!("{n} characters, not {min} to {max}"));
                }
                match self.shape {
                    Some(shape) if !shape.accepts(s) => {
                        Err(format!("`{s}` is not {}", shape.describe()))
                    }
                    _ => Ok(()),
                }
            }
            (Rule::Int { min, max }, J::Number(n)) => match n.as_i64() {
                Some(i) if (min..=max).contains(&i) => self.shape_of_int(i),
                _ => Err(format!("{n} is not a whole number from {min} to {max}")),
            },
            (Rule::Int { min, max }, J::String(s)) => match s.parse::<i64>() {
                Ok(i) if (min..=max).contains(&i) => self.shape_of_int(i),
                _ => Err(format!("`{s}` is not a whole number from {min} to {max}")),
            },
            (Rule::Number, J::Number(n)) if n.as_f64().is_some_and(f64::is_finite) => Ok(()),
            (Rule::Bool, J::Bool(_)) => Ok(()),
            (Rule::OneOf { values }, J::String(s)) if values.contains(&s.as_str()) => Ok(()),
            (Rule::List { min, max }, J::Array(a)) if (min..=max).contains(&a.len()) => Ok(()),
            (Rule::List { min, max }, J::Array(a)) => {
                Err(format!("{} items, not {min} to {max}", a.len()))
            }
            (Rule::Json, J::String(s)) => serde_json::from_str::<J>(s)
                .map(|_| ())
                .map_err(|e| e.to_string()),
            (rule, v) => Err(format!("{v} does not keep {rule:?}")),
        }
    }

    fn shape_of_int(&self, i: i64) -> Result<(), String> {
        match self.shape {
            Some(s) if !s.accepts(&i.to_string()) => Err(format!("{i} is not {}", s.describe())),
            _ => Ok(()),
        }
    }
}

/// The row of a field, if the table has one.
pub fn row(api: &str, field: &str) -> Option<&'static Row> {
    TABLE.iter().find(|r| r.api == api && r.field == field)
}

macro_rules! text {
    ($min:expr, $max:expr) => {
        Rule::Text {
            min: $min,
            max: $max,
        }
    };
}
macro_rules! int {
    ($min:expr, $max:expr) => {
        Rule::Int {
            min: $min,
            max: $max,
        }
    };
}
macro_rules! list {
    ($min:expr, $max:expr) => {
        Rule::List {
            min: $min,
            max: $max,
        }
    };
}

/// Declares named rows and the table of all of them.
macro_rules! rows {
    ($( $name:ident = $api:expr, $field:expr, $rule:expr, $shape:expr, $source:expr; )*) => {
        $(
            #[doc = concat!("The row of `", $field, "`.")]
            pub const $name: Row = Row { api: $api, field: $field, rule: $rule, shape: $shape, source: $source };
        )*
        /// Every row.
        pub const TABLE: &[Row] = &[ $( $name ),* ];
    };
}

const ASG: &str = "autoscaling:CreateAutoScalingGroup";
const UPDATE_ASG: &str = "autoscaling:UpdateAutoScalingGroup";
const METRICS: &str = "autoscaling:EnableMetricsCollection";
const NOTIFY: &str = "autoscaling:PutNotificationConfiguration";
const POLICY: &str = "autoscaling:PutScalingPolicy";
const SCHEDULE: &str = "autoscaling:PutScheduledUpdateGroupAction";
const ATTACH: &str = "autoscaling:AttachLoadBalancerTargetGroups";
const DETACH: &str = "autoscaling:DetachLoadBalancerTargetGroups";
const TAGS: &str = "autoscaling:CreateOrUpdateTags";
const DEL_POLICY: &str = "autoscaling:DeletePolicy";
const DEL_SCHEDULE: &str = "autoscaling:DeleteScheduledAction";
const DEL_NOTIFY: &str = "autoscaling:DeleteNotificationConfiguration";
const DEL_ASG: &str = "autoscaling:DeleteAutoScalingGroup";
const ALARM: &str = "cloudwatch:PutMetricAlarm";
const DEL_ALARMS: &str = "cloudwatch:DeleteAlarms";
const DASHBOARD: &str = "cloudwatch:PutDashboard";
const DEL_DASHBOARDS: &str = "cloudwatch:DeleteDashboards";
const SUSPEND: &str = "autoscaling:SuspendProcesses";
const RESUME: &str = "autoscaling:ResumeProcesses";
const PUT_HOOK: &str = "autoscaling:PutLifecycleHook";
const DEL_HOOK: &str = "autoscaling:DeleteLifecycleHook";
const PUT_WARM_POOL: &str = "autoscaling:PutWarmPool";
const DEL_WARM_POOL: &str = "autoscaling:DeleteWarmPool";
const CFN_WARM_POOL: &str = "AWS::AutoScaling::WarmPool";
const REFRESH: &str = "autoscaling:StartInstanceRefresh";
const TOPIC: &str = "sns:CreateTopic";
const SET_TOPIC_ATTRIBUTES: &str = "sns:SetTopicAttributes";
const SUBSCRIBE: &str = "sns:Subscribe";
const DEL_TOPIC: &str = "sns:DeleteTopic";
const CFN_ASG: &str = "AWS::AutoScaling::AutoScalingGroup";
const CFN_POLICY: &str = "AWS::AutoScaling::ScalingPolicy";
const CFN_SCHEDULE: &str = "AWS::AutoScaling::ScheduledAction";
const CFN_ALARM: &str = "AWS::CloudWatch::Alarm";
const CFN_DASHBOARD: &str = "AWS::CloudWatch::Dashboard";
const CFN_TOPIC: &str = "AWS::SNS::Topic";
const CFN_TEMPLATE: &str = "AWS::CloudFormation::Template";
const CFN_TARGET: &str = "AWS::ApplicationAutoScaling::ScalableTarget";
const CFN_AAS_POLICY: &str = "AWS::ApplicationAutoScaling::ScalingPolicy";
const AAS_PAGE: &str = "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html (ResourceId 1-1600; MinCapacity and MaxCapacity integers)";
const AAS_POLICY_PAGE: &str = "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScalingPolicy.html (PolicyName 1-256 printable characters; step settings nested)";
const AAS_SCHEDULE_PAGE: &str = "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScheduledAction.html (ScheduledActionName 1-256 without : / |; Schedule at(), rate() or six-field cron(); min and max only)";
use crate::kinds::scalable::{
    DIMENSIONS as AAS_DIMENSIONS, NAMESPACES as AAS_NAMESPACES, POLICY_TYPES as AAS_POLICY_TYPES,
    PREDEFINED as AAS_PREDEFINED,
};

/// `HealthCheckType` values scalec emits (EC2 is implicit and alone).
pub const HEALTH_CHECK_TYPES: &[&str] = &["EC2", "ELB"];
/// Termination policies (CreateAutoScalingGroup `TerminationPolicies`),
/// group metrics (EnableMetricsCollection `Metrics`) and notification types
/// (PutNotificationConfiguration `NotificationTypes`): a group's words.
pub use crate::kinds::group::{
    EVENT_NAMES as NOTIFICATION_TYPES, GROUP_METRIC_NAMES as GROUP_METRICS,
    TERMINATION_NAMES as TERMINATION_POLICIES, every_group_metric,
};

const POLICY_TYPES: &[&str] = &[
    "TargetTrackingScaling",
    "StepScaling",
    "SimpleScaling",
    "PredictiveScaling",
];
const ADJUSTMENT_TYPES: &[&str] = &[
    "ChangeInCapacity",
    "ExactCapacity",
    "PercentChangeInCapacity",
];
const AGGREGATIONS: &[&str] = &["Minimum", "Maximum", "Average"];
const PREDEFINED: &[&str] = &[
    "ASGAverageCPUUtilization",
    "ASGAverageNetworkIn",
    "ASGAverageNetworkOut",
    "ALBRequestCountPerTarget",
];
const STATISTICS: &[&str] = &["Average", "Minimum", "Maximum", "SampleCount", "Sum"];
const COMPARISONS: &[&str] = &[
    "GreaterThanOrEqualToThreshold",
    "GreaterThanThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
];
const MISSING_DATA: &[&str] = &["breaching", "notBreaching", "ignore", "missing"];
const PROTOCOLS: &[&str] = &["email", "https", "sqs", "lambda"];
const GRANULARITY: &[&str] = &["1Minute"];

const QUOTAS: &str =
    "https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-quotas.html";
const NAME_PAGE: &str = "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html (AutoScalingGroupName)";
const TAG_PAGE: &str = "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html (50 tags a resource; keys may not start with aws:)";
const CRON_PAGE: &str = "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutScheduledUpdateGroupAction.html (Recurrence: Unix cron, five fields)";
const TZ_PAGE: &str = "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutScheduledUpdateGroupAction.html (TimeZone: canonical IANA names)";
const PERIOD_PAGE: &str = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html (Period: 10, 20, 30 or a multiple of 60; Period x EvaluationPeriods at most one day under an hour, else 7 days)";
const MATH_PAGE: &str = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html (at most 10 metrics per alarm expression); model: cloudwatch MetricDataQuery.Id pattern ^[a-z][a-zA-Z0-9_]*$";
const WARMUP_PAGE: &str = "https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-default-instance-warmup.html (0 to 3600 seconds)";
const DASHBOARD_PAGE: &str =
    "model: cloudwatch PutDashboard DashboardName (letters, digits, - and _; at most 255)";
const TOPIC_PAGE: &str = "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html (Name: 1-256 letters, digits, - and _)";
const TOPIC_ATTRIBUTES_PAGE: &str = "https://docs.aws.amazon.com/sns/latest/api/API_SetTopicAttributes.html (DisplayName: at most 100 characters, shown to email and SMS subscribers)";
const LABEL_PAGE: &str = "model: autoscaling PredefinedMetricSpecification.ResourceLabel (XmlStringMaxLen1023; app/LB/ID/targetgroup/TG/ID)";
const LT_PAGE: &str = "model: autoscaling LaunchTemplateSpecification (XmlStringMaxLen255); EC2 ids are lt- and 17 hex digits";
const SUBNET_PAGE: &str =
    "model: autoscaling XmlStringMaxLen5000; EC2 subnet ids are subnet- and 8 or 17 hex digits";
const LT_NAME_PAGE: &str =
    "model: autoscaling LaunchTemplateName (3-128 characters of letters, digits and ().-/_)";
const MAINTENANCE_PAGE: &str = "model: autoscaling InstanceMaintenancePolicy (IntPercentResettable -1..100, IntPercent100To200Resettable -1..200); https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-instance-maintenance-policy.html (min 0-100, max 100-200, at most 100 apart)";
const RESERVATION_PAGE: &str = "model: autoscaling CapacityReservationSpecification; EC2 capacity reservation ids are cr- and 17 hex digits";
const PROCESS_PAGE: &str = "https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-suspend-resume-processes.html (the nine process names)";
const HOOK_PAGE: &str = "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutLifecycleHook.html (HeartbeatTimeout 30-7200; names of letters, digits and -_/; metadata of printable ASCII)";
const WARM_POOL_PAGE: &str = "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutWarmPool.html (MinSize at least 0; MaxGroupPreparedCapacity at least -1; PoolState Stopped, Running or Hibernated)";
const MIXED_PAGE: &str = "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_InstancesDistribution.html and API_LaunchTemplateOverrides.html (WeightedCapacity 1-999; SpotInstancePools 1-20; OnDemandPercentageAboveBaseCapacity 0-100)";
const REFRESH_PAGE: &str = "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html (MinHealthyPercentage 0-100, MaxHealthyPercentage 100-200, CheckpointPercentages 1-100 ascending, CheckpointDelay at most 172800, at most 10 alarms)";
const PREDICTIVE_PAGE: &str = "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PredictiveScalingConfiguration.html (one MetricSpecification; SchedulingBufferTime at most 3600; MaxCapacityBuffer 0-100, only with IncreaseMaxCapacity)";
const BREACH: &[&str] = &["HonorMaxCapacity", "IncreaseMaxCapacity"];
const LOGICAL_ID_PAGE: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resources-section-structure.html (logical IDs: alphanumeric, at most 255)";

rows! {
    // CreateAutoScalingGroup
    ASG_NAME = ASG, "AutoScalingGroupName", text!(1, 255), Some(Shape::AutoScalingName), NAME_PAGE;
    ASG_LT_ID = ASG, "LaunchTemplate.LaunchTemplateId", text!(1, 255), Some(Shape::LaunchTemplateId), LT_PAGE;
    ASG_LT_VERSION = ASG, "LaunchTemplate.Version", text!(1, 255), Some(Shape::LaunchTemplateVersion), LT_PAGE;
    ASG_MIN_SIZE = ASG, "MinSize", int!(0, I32), None, "model: autoscaling AutoScalingGroupMinSize (integer)";
    ASG_MAX_SIZE = ASG, "MaxSize", int!(0, I32), None, "model: autoscaling AutoScalingGroupMaxSize (integer)";
    ASG_DESIRED = ASG, "DesiredCapacity", int!(0, I32), None, "model: autoscaling AutoScalingGroupDesiredCapacity (integer)";
    ASG_SUBNETS = ASG, "VPCZoneIdentifier", text!(1, 5000), Some(Shape::SubnetIds), SUBNET_PAGE;
    ASG_TARGET_GROUPS = ASG, "TargetGroupARNs", list!(0, 50), None, QUOTAS;
    ASG_TARGET_GROUP = ASG, "TargetGroupARNs[]", text!(1, 511), Some(Shape::TargetGroupArn), "model: autoscaling XmlStringMaxLen511";
    ASG_HEALTH_TYPE = ASG, "HealthCheckType", Rule::OneOf { values: HEALTH_CHECK_TYPES }, None, "model: autoscaling HealthCheckType (XmlStringMaxLen32)";
    ASG_GRACE = ASG, "HealthCheckGracePeriod", int!(0, I32), None, "model: autoscaling HealthCheckGracePeriod (integer)";
    ASG_WARMUP = ASG, "DefaultInstanceWarmup", int!(0, 3600), None, WARMUP_PAGE;
    ASG_COOLDOWN = ASG, "DefaultCooldown", int!(0, I32), None, "model: autoscaling Cooldown (integer)";
    ASG_TERMINATION = ASG, "TerminationPolicies", list!(0, 7), None, "model: autoscaling TerminationPolicies";
    ASG_TERMINATION_ITEM = ASG, "TerminationPolicies[]", Rule::OneOf { values: TERMINATION_POLICIES }, None, "model: autoscaling TerminationPolicies (XmlStringMaxLen1600)";
    ASG_TAGS = ASG, "Tags", list!(0, 50), None, TAG_PAGE;
    ASG_TAG_KEY = ASG, "Tags[].Key", text!(1, 128), Some(Shape::TagKey), "model: autoscaling TagKey";
    ASG_TAG_VALUE = ASG, "Tags[].Value", text!(0, 256), None, "model: autoscaling TagValue";
    ASG_TAG_PROPAGATE = ASG, "Tags[].PropagateAtLaunch", Rule::Bool, None, "model: autoscaling PropagateAtLaunch";
    ASG_LT_NAME = ASG, "LaunchTemplate.LaunchTemplateName", text!(3, 128), Some(Shape::LaunchTemplateName), LT_NAME_PAGE;
    ASG_MAINTENANCE_MIN = ASG, "InstanceMaintenancePolicy.MinHealthyPercentage", int!(-1, 100), None, MAINTENANCE_PAGE;
    ASG_MAINTENANCE_MAX = ASG, "InstanceMaintenancePolicy.MaxHealthyPercentage", int!(-1, 200), None, MAINTENANCE_PAGE;
    ASG_PROTECT = ASG, "NewInstancesProtectedFromScaleIn", Rule::Bool, None, "model: autoscaling InstanceProtected (boolean)";
    ASG_RESERVATION_PREFERENCE = ASG, "CapacityReservationSpecification.CapacityReservationPreference", Rule::OneOf { values: RESERVATION_PREFERENCES }, None, RESERVATION_PAGE;
    ASG_RESERVATION_IDS = ASG, "CapacityReservationSpecification.CapacityReservationTarget.CapacityReservationIds", list!(1, 100), None, "model: autoscaling CapacityReservationIds (no limit in the model; 100 is scalec's bound)";
    ASG_RESERVATION_ID = ASG, "CapacityReservationSpecification.CapacityReservationTarget.CapacityReservationIds[]", text!(1, 255), Some(Shape::CapacityReservationId), RESERVATION_PAGE;
    ASG_RESERVATION_GROUPS = ASG, "CapacityReservationSpecification.CapacityReservationTarget.CapacityReservationResourceGroupArns", list!(1, 100), None, "model: autoscaling CapacityReservationResourceGroupArns (no limit in the model; 100 is scalec's bound)";
    ASG_RESERVATION_GROUP = ASG, "CapacityReservationSpecification.CapacityReservationTarget.CapacityReservationResourceGroupArns[]", text!(1, 255), Some(Shape::ResourceGroupArn), RESERVATION_PAGE;
    ASG_AZ_DISTRIBUTION = ASG, "AvailabilityZoneDistribution.CapacityDistributionStrategy", Rule::OneOf { values: AZ_STRATEGIES }, None, "model: autoscaling CapacityDistributionStrategy";
    ASG_HOOKS = ASG, "LifecycleHookSpecificationList", list!(1, 50), None, QUOTAS;
    ASG_HOOK_NAME = ASG, "LifecycleHookSpecificationList[].LifecycleHookName", text!(1, 255), Some(Shape::HookName), HOOK_PAGE;
    ASG_HOOK_TRANSITION = ASG, "LifecycleHookSpecificationList[].LifecycleTransition", Rule::OneOf { values: HOOK_TRANSITIONS }, None, HOOK_PAGE;
    ASG_HOOK_TIMEOUT = ASG, "LifecycleHookSpecificationList[].HeartbeatTimeout", int!(30, 7200), None, HOOK_PAGE;
    ASG_HOOK_RESULT = ASG, "LifecycleHookSpecificationList[].DefaultResult", Rule::OneOf { values: HOOK_RESULTS }, None, HOOK_PAGE;
    ASG_HOOK_METADATA = ASG, "LifecycleHookSpecificationList[].NotificationMetadata", text!(1, 4000), None, HOOK_PAGE;
    ASG_HOOK_TARGET = ASG, "LifecycleHookSpecificationList[].NotificationTargetARN", text!(0, 255), Some(Shape::HookTarget), HOOK_PAGE;
    ASG_HOOK_ROLE = ASG, "LifecycleHookSpecificationList[].RoleARN", text!(1, 255), Some(Shape::RoleArn), HOOK_PAGE;
    ASG_MIXED_LT_ID = ASG, "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateId", text!(1, 255), Some(Shape::LaunchTemplateId), LT_PAGE;
    ASG_MIXED_LT_NAME = ASG, "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateName", text!(3, 128), Some(Shape::LaunchTemplateName), LT_NAME_PAGE;
    ASG_MIXED_LT_VERSION = ASG, "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.Version", text!(1, 255), Some(Shape::LaunchTemplateVersion), LT_PAGE;
    ASG_MIXED_OVERRIDES = ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides", list!(1, 40), None, MIXED_PAGE;
    ASG_MIXED_TYPE = ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].InstanceType", text!(1, 255), None, "model: autoscaling XmlStringMaxLen255";
    ASG_MIXED_WEIGHT = ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].WeightedCapacity", text!(1, 3), Some(Shape::Weight), MIXED_PAGE;
    ASG_MIXED_OVERRIDE_LT_ID = ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].LaunchTemplateSpecification.LaunchTemplateId", text!(1, 255), Some(Shape::LaunchTemplateId), LT_PAGE;
    ASG_MIXED_OVERRIDE_LT_NAME = ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].LaunchTemplateSpecification.LaunchTemplateName", text!(3, 128), Some(Shape::LaunchTemplateName), LT_NAME_PAGE;
    ASG_MIXED_OVERRIDE_LT_VERSION = ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].LaunchTemplateSpecification.Version", text!(1, 255), Some(Shape::LaunchTemplateVersion), LT_PAGE;
    ASG_MIXED_VCPU_MIN = ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].InstanceRequirements.VCpuCount.Min", int!(0, I32), None, "model: autoscaling VCpuCountRequest (NullablePositiveInteger)";
    ASG_MIXED_VCPU_MAX = ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].InstanceRequirements.VCpuCount.Max", int!(0, I32), None, "model: autoscaling VCpuCountRequest (NullablePositiveInteger)";
    ASG_MIXED_MEMORY_MIN = ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].InstanceRequirements.MemoryMiB.Min", int!(0, I32), None, "model: autoscaling MemoryMiBRequest (NullablePositiveInteger)";
    ASG_MIXED_MEMORY_MAX = ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].InstanceRequirements.MemoryMiB.Max", int!(0, I32), None, "model: autoscaling MemoryMiBRequest (NullablePositiveInteger)";
    ASG_MIXED_ON_DEMAND_STRATEGY = ASG, "MixedInstancesPolicy.InstancesDistribution.OnDemandAllocationStrategy", Rule::OneOf { values: ON_DEMAND_STRATEGIES }, None, MIXED_PAGE;
    ASG_MIXED_ON_DEMAND_BASE = ASG, "MixedInstancesPolicy.InstancesDistribution.OnDemandBaseCapacity", int!(0, I32), None, MIXED_PAGE;
    ASG_MIXED_ON_DEMAND_PERCENT = ASG, "MixedInstancesPolicy.InstancesDistribution.OnDemandPercentageAboveBaseCapacity", int!(0, 100), None, MIXED_PAGE;
    ASG_MIXED_SPOT_STRATEGY = ASG, "MixedInstancesPolicy.InstancesDistribution.SpotAllocationStrategy", Rule::OneOf { values: SPOT_STRATEGIES }, None, MIXED_PAGE;
    ASG_MIXED_SPOT_POOLS = ASG, "MixedInstancesPolicy.InstancesDistribution.SpotInstancePools", int!(1, 20), None, MIXED_PAGE;
    ASG_CAPACITY_REBALANCE = ASG, "CapacityRebalance", Rule::Bool, None, "model: autoscaling CapacityRebalanceEnabled (boolean)";
    // UpdateAutoScalingGroup: the changed members of the group.
    UPDATE_NAME = UPDATE_ASG, "AutoScalingGroupName", text!(1, 255), Some(Shape::AutoScalingName), NAME_PAGE;
    UPDATE_LT_ID = UPDATE_ASG, "LaunchTemplate.LaunchTemplateId", text!(1, 255), Some(Shape::LaunchTemplateId), LT_PAGE;
    UPDATE_LT_VERSION = UPDATE_ASG, "LaunchTemplate.Version", text!(1, 255), Some(Shape::LaunchTemplateVersion), LT_PAGE;
    UPDATE_MIN_SIZE = UPDATE_ASG, "MinSize", int!(0, I32), None, "model: autoscaling AutoScalingGroupMinSize (integer)";
    UPDATE_MAX_SIZE = UPDATE_ASG, "MaxSize", int!(0, I32), None, "model: autoscaling AutoScalingGroupMaxSize (integer)";
    UPDATE_DESIRED = UPDATE_ASG, "DesiredCapacity", int!(0, I32), None, "model: autoscaling AutoScalingGroupDesiredCapacity (integer)";
    UPDATE_SUBNETS = UPDATE_ASG, "VPCZoneIdentifier", text!(1, 5000), Some(Shape::SubnetIds), SUBNET_PAGE;
    UPDATE_HEALTH_TYPE = UPDATE_ASG, "HealthCheckType", Rule::OneOf { values: HEALTH_CHECK_TYPES }, None, "model: autoscaling HealthCheckType (XmlStringMaxLen32)";
    UPDATE_GRACE = UPDATE_ASG, "HealthCheckGracePeriod", int!(0, I32), None, "model: autoscaling HealthCheckGracePeriod (integer)";
    UPDATE_WARMUP = UPDATE_ASG, "DefaultInstanceWarmup", int!(0, 3600), None, WARMUP_PAGE;
    UPDATE_COOLDOWN = UPDATE_ASG, "DefaultCooldown", int!(0, I32), None, "model: autoscaling Cooldown (integer)";
    UPDATE_TERMINATION = UPDATE_ASG, "TerminationPolicies", list!(0, 7), None, "model: autoscaling TerminationPolicies";
    UPDATE_TERMINATION_ITEM = UPDATE_ASG, "TerminationPolicies[]", Rule::OneOf { values: TERMINATION_POLICIES }, None, "model: autoscaling TerminationPolicies (XmlStringMaxLen1600)";
    UPDATE_LT_NAME = UPDATE_ASG, "LaunchTemplate.LaunchTemplateName", text!(3, 128), Some(Shape::LaunchTemplateName), LT_NAME_PAGE;
    UPDATE_MAINTENANCE_MIN = UPDATE_ASG, "InstanceMaintenancePolicy.MinHealthyPercentage", int!(-1, 100), None, MAINTENANCE_PAGE;
    UPDATE_MAINTENANCE_MAX = UPDATE_ASG, "InstanceMaintenancePolicy.MaxHealthyPercentage", int!(-1, 200), None, MAINTENANCE_PAGE;
    UPDATE_PROTECT = UPDATE_ASG, "NewInstancesProtectedFromScaleIn", Rule::Bool, None, "model: autoscaling InstanceProtected (boolean)";
    UPDATE_RESERVATION_PREFERENCE = UPDATE_ASG, "CapacityReservationSpecification.CapacityReservationPreference", Rule::OneOf { values: RESERVATION_PREFERENCES }, None, RESERVATION_PAGE;
    UPDATE_RESERVATION_IDS = UPDATE_ASG, "CapacityReservationSpecification.CapacityReservationTarget.CapacityReservationIds", list!(1, 100), None, "model: autoscaling CapacityReservationIds (no limit in the model; 100 is scalec's bound)";
    UPDATE_RESERVATION_ID = UPDATE_ASG, "CapacityReservationSpecification.CapacityReservationTarget.CapacityReservationIds[]", text!(1, 255), Some(Shape::CapacityReservationId), RESERVATION_PAGE;
    UPDATE_RESERVATION_GROUPS = UPDATE_ASG, "CapacityReservationSpecification.CapacityReservationTarget.CapacityReservationResourceGroupArns", list!(1, 100), None, "model: autoscaling CapacityReservationResourceGroupArns (no limit in the model; 100 is scalec's bound)";
    UPDATE_RESERVATION_GROUP = UPDATE_ASG, "CapacityReservationSpecification.CapacityReservationTarget.CapacityReservationResourceGroupArns[]", text!(1, 255), Some(Shape::ResourceGroupArn), RESERVATION_PAGE;
    UPDATE_AZ_DISTRIBUTION = UPDATE_ASG, "AvailabilityZoneDistribution.CapacityDistributionStrategy", Rule::OneOf { values: AZ_STRATEGIES }, None, "model: autoscaling CapacityDistributionStrategy";
    UPDATE_MIXED_LT_ID = UPDATE_ASG, "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateId", text!(1, 255), Some(Shape::LaunchTemplateId), LT_PAGE;
    UPDATE_MIXED_LT_NAME = UPDATE_ASG, "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateName", text!(3, 128), Some(Shape::LaunchTemplateName), LT_NAME_PAGE;
    UPDATE_MIXED_LT_VERSION = UPDATE_ASG, "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.Version", text!(1, 255), Some(Shape::LaunchTemplateVersion), LT_PAGE;
    UPDATE_MIXED_OVERRIDES = UPDATE_ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides", list!(1, 40), None, MIXED_PAGE;
    UPDATE_MIXED_TYPE = UPDATE_ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].InstanceType", text!(1, 255), None, "model: autoscaling XmlStringMaxLen255";
    UPDATE_MIXED_WEIGHT = UPDATE_ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].WeightedCapacity", text!(1, 3), Some(Shape::Weight), MIXED_PAGE;
    UPDATE_MIXED_OVERRIDE_LT_ID = UPDATE_ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].LaunchTemplateSpecification.LaunchTemplateId", text!(1, 255), Some(Shape::LaunchTemplateId), LT_PAGE;
    UPDATE_MIXED_OVERRIDE_LT_NAME = UPDATE_ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].LaunchTemplateSpecification.LaunchTemplateName", text!(3, 128), Some(Shape::LaunchTemplateName), LT_NAME_PAGE;
    UPDATE_MIXED_OVERRIDE_LT_VERSION = UPDATE_ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].LaunchTemplateSpecification.Version", text!(1, 255), Some(Shape::LaunchTemplateVersion), LT_PAGE;
    UPDATE_MIXED_VCPU_MIN = UPDATE_ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].InstanceRequirements.VCpuCount.Min", int!(0, I32), None, "model: autoscaling VCpuCountRequest (NullablePositiveInteger)";
    UPDATE_MIXED_VCPU_MAX = UPDATE_ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].InstanceRequirements.VCpuCount.Max", int!(0, I32), None, "model: autoscaling VCpuCountRequest (NullablePositiveInteger)";
    UPDATE_MIXED_MEMORY_MIN = UPDATE_ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].InstanceRequirements.MemoryMiB.Min", int!(0, I32), None, "model: autoscaling MemoryMiBRequest (NullablePositiveInteger)";
    UPDATE_MIXED_MEMORY_MAX = UPDATE_ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].InstanceRequirements.MemoryMiB.Max", int!(0, I32), None, "model: autoscaling MemoryMiBRequest (NullablePositiveInteger)";
    UPDATE_MIXED_ON_DEMAND_STRATEGY = UPDATE_ASG, "MixedInstancesPolicy.InstancesDistribution.OnDemandAllocationStrategy", Rule::OneOf { values: ON_DEMAND_STRATEGIES }, None, MIXED_PAGE;
    UPDATE_MIXED_ON_DEMAND_BASE = UPDATE_ASG, "MixedInstancesPolicy.InstancesDistribution.OnDemandBaseCapacity", int!(0, I32), None, MIXED_PAGE;
    UPDATE_MIXED_ON_DEMAND_PERCENT = UPDATE_ASG, "MixedInstancesPolicy.InstancesDistribution.OnDemandPercentageAboveBaseCapacity", int!(0, 100), None, MIXED_PAGE;
    UPDATE_MIXED_SPOT_STRATEGY = UPDATE_ASG, "MixedInstancesPolicy.InstancesDistribution.SpotAllocationStrategy", Rule::OneOf { values: SPOT_STRATEGIES }, None, MIXED_PAGE;
    UPDATE_MIXED_SPOT_POOLS = UPDATE_ASG, "MixedInstancesPolicy.InstancesDistribution.SpotInstancePools", int!(1, 20), None, MIXED_PAGE;
    UPDATE_CAPACITY_REBALANCE = UPDATE_ASG, "CapacityRebalance", Rule::Bool, None, "model: autoscaling CapacityRebalanceEnabled (boolean)";
    // Attach/Detach target groups, tags.
    ATTACH_NAME = ATTACH, "AutoScalingGroupName", text!(1, 255), Some(Shape::AutoScalingName), NAME_PAGE;
    ATTACH_TGS = ATTACH, "TargetGroupARNs", list!(1, 50), None, QUOTAS;
    ATTACH_TG = ATTACH, "TargetGroupARNs[]", text!(1, 511), Some(Shape::TargetGroupArn), "model: autoscaling XmlStringMaxLen511";
    DETACH_NAME = DETACH, "AutoScalingGroupName", text!(1, 255), Some(Shape::AutoScalingName), NAME_PAGE;
    DETACH_TGS = DETACH, "TargetGroupARNs", list!(1, 50), None, QUOTAS;
    DETACH_TG = DETACH, "TargetGroupARNs[]", text!(1, 511), Some(Shape::TargetGroupArn), "model: autoscaling XmlStringMaxLen511";
    TAGS_LIST = TAGS, "Tags", list!(1, 50), None, TAG_PAGE;
    TAGS_KEY = TAGS, "Tags[].Key", text!(1, 128), Some(Shape::TagKey), "model: autoscaling TagKey";
    TAGS_VALUE = TAGS, "Tags[].Value", text!(0, 256), None, "model: autoscaling TagValue";
    TAGS_PROPAGATE = TAGS, "Tags[].PropagateAtLaunch", Rule::Bool, None, "model: autoscaling PropagateAtLaunch";
    TAGS_RESOURCE = TAGS, "Tags[].ResourceId", text!(1, 255), Some(Shape::AutoScalingName), "model: autoscaling Tag.ResourceId (the group's name)";
    TAGS_RESOURCE_TYPE = TAGS, "Tags[].ResourceType", Rule::OneOf { values: &["auto-scaling-group"] }, None, "model: autoscaling Tag.ResourceType (only auto-scaling-group)";
    // EnableMetricsCollection
    METRICS_NAME = METRICS, "AutoScalingGroupName", text!(1, 255), Some(Shape::AutoScalingName), NAME_PAGE;
    METRICS_GRANULARITY = METRICS, "Granularity", Rule::OneOf { values: GRANULARITY }, None, "model: autoscaling EnableMetricsCollection Granularity (only 1Minute)";
    METRICS_LIST = METRICS, "Metrics", list!(1, 13), None, "model: autoscaling Metrics (an empty list means all)";
    METRICS_ITEM = METRICS, "Metrics[]", Rule::OneOf { values: GROUP_METRICS }, None, "model: autoscaling Metrics (XmlStringMaxLen255)";
    // PutNotificationConfiguration
    NOTIFY_NAME = NOTIFY, "AutoScalingGroupName", text!(1, 255), Some(Shape::AutoScalingName), NAME_PAGE;
    NOTIFY_TOPIC = NOTIFY, "TopicARN", text!(1, 255), Some(Shape::TopicArn), "model: autoscaling TopicARN (XmlStringMaxLen255)";
    NOTIFY_TYPES = NOTIFY, "NotificationTypes", list!(1, 5), None, "model: autoscaling NotificationTypes (required)";
    NOTIFY_TYPE = NOTIFY, "NotificationTypes[]", Rule::OneOf { values: NOTIFICATION_TYPES }, None, "model: autoscaling NotificationTypes (XmlStringMaxLen255)";
    // PutScalingPolicy
    POLICY_GROUP = POLICY, "AutoScalingGroupName", text!(1, 255), Some(Shape::AutoScalingName), NAME_PAGE;
    POLICY_NAME = POLICY, "PolicyName", text!(1, 255), Some(Shape::AutoScalingName), "model: autoscaling PolicyName (XmlStringMaxLen255)";
    POLICY_TYPE = POLICY, "PolicyType", Rule::OneOf { values: POLICY_TYPES }, None, "model: autoscaling PolicyType (XmlStringMaxLen64)";
    POLICY_ADJUSTMENT_TYPE = POLICY, "AdjustmentType", Rule::OneOf { values: ADJUSTMENT_TYPES }, None, "model: autoscaling AdjustmentType";
    POLICY_ADJUSTMENT = POLICY, "ScalingAdjustment", int!(-I32 - 1, I32), None, "model: autoscaling PolicyIncrement (integer)";
    POLICY_COOLDOWN = POLICY, "Cooldown", int!(0, I32), None, "model: autoscaling Cooldown (integer)";
    POLICY_MIN_MAGNITUDE = POLICY, "MinAdjustmentMagnitude", int!(1, I32), None, "model: autoscaling MinAdjustmentMagnitude (integer, at least 1)";
    POLICY_AGGREGATION = POLICY, "MetricAggregationType", Rule::OneOf { values: AGGREGATIONS }, None, "model: autoscaling MetricAggregationType (XmlStringMaxLen32)";
    POLICY_WARMUP = POLICY, "EstimatedInstanceWarmup", int!(0, I32), None, "model: autoscaling EstimatedInstanceWarmup (integer)";
    POLICY_STEPS = POLICY, "StepAdjustments", list!(1, 20), None, QUOTAS;
    POLICY_STEP_LOWER = POLICY, "StepAdjustments[].MetricIntervalLowerBound", Rule::Number, None, "model: autoscaling MetricScale (double)";
    POLICY_STEP_UPPER = POLICY, "StepAdjustments[].MetricIntervalUpperBound", Rule::Number, None, "model: autoscaling MetricScale (double)";
    POLICY_STEP_ADJUSTMENT = POLICY, "StepAdjustments[].ScalingAdjustment", int!(-I32 - 1, I32), None, "model: autoscaling PolicyIncrement (integer)";
    POLICY_TARGET = POLICY, "TargetTrackingConfiguration.TargetValue", Rule::Number, None, "model: autoscaling MetricScale (double)";
    POLICY_DISABLE_SCALE_IN = POLICY, "TargetTrackingConfiguration.DisableScaleIn", Rule::Bool, None, "model: autoscaling DisableScaleIn";
    POLICY_PREDEFINED = POLICY, "TargetTrackingConfiguration.PredefinedMetricSpecification.PredefinedMetricType", Rule::OneOf { values: PREDEFINED }, None, "model: autoscaling MetricType";
    POLICY_LABEL = POLICY, "TargetTrackingConfiguration.PredefinedMetricSpecification.ResourceLabel", text!(1, 1023), Some(Shape::ResourceLabel), LABEL_PAGE;
    POLICY_NAMESPACE = POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Namespace", text!(1, 255), Some(Shape::Namespace), "model: cloudwatch Namespace (the metric's namespace in CloudWatch)";
    POLICY_METRIC = POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.MetricName", text!(1, 255), Some(Shape::MetricName), "model: cloudwatch MetricName";
    POLICY_DIMENSIONS = POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Dimensions", list!(0, 30), None, "model: cloudwatch Dimensions (at most 30)";
    POLICY_DIMENSION_NAME = POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Dimensions[].Name", text!(1, 255), Some(Shape::MetricName), "model: cloudwatch DimensionName";
    POLICY_DIMENSION_VALUE = POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Dimensions[].Value", text!(1, 1024), None, "model: cloudwatch DimensionValue";
    POLICY_STATISTIC = POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Statistic", Rule::OneOf { values: STATISTICS }, None, "model: autoscaling MetricStatistic";
    POLICY_PRED_SPECS = POLICY, "PredictiveScalingConfiguration.MetricSpecifications", list!(1, 1), None, PREDICTIVE_PAGE;
    POLICY_PRED_TARGET = POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].TargetValue", Rule::Number, None, "model: autoscaling PredictiveScalingConfiguration";
    POLICY_PRED_PAIR = POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].PredefinedMetricPairSpecification.PredefinedMetricType", Rule::OneOf { values: PREDICTIVE_PAIRS }, None, "model: autoscaling PredictiveScalingConfiguration";
    POLICY_PRED_LABEL = POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].PredefinedMetricPairSpecification.ResourceLabel", text!(1, 1023), Some(Shape::ResourceLabel), LABEL_PAGE;
    POLICY_PRED_MODE = POLICY, "PredictiveScalingConfiguration.Mode", Rule::OneOf { values: PREDICTIVE_MODES }, None, PREDICTIVE_PAGE;
    POLICY_PRED_BUFFER = POLICY, "PredictiveScalingConfiguration.SchedulingBufferTime", int!(0, 3600), None, PREDICTIVE_PAGE;
    POLICY_PRED_BREACH = POLICY, "PredictiveScalingConfiguration.MaxCapacityBreachBehavior", Rule::OneOf { values: BREACH }, None, PREDICTIVE_PAGE;
    POLICY_PRED_MAX_BUFFER = POLICY, "PredictiveScalingConfiguration.MaxCapacityBuffer", int!(0, 100), None, PREDICTIVE_PAGE;
    POLICY_PRED_SCALING_QUERIES = POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedScalingMetricSpecification.MetricDataQueries", list!(1, 10), None, MATH_PAGE;
    POLICY_PRED_SCALING_ID = POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedScalingMetricSpecification.MetricDataQueries[].Id", text!(1, 255), Some(Shape::MetricId), MATH_PAGE;
    POLICY_PRED_SCALING_RETURN = POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedScalingMetricSpecification.MetricDataQueries[].ReturnData", Rule::Bool, None, "model: autoscaling PredictiveScalingConfiguration";
    POLICY_PRED_SCALING_NAMESPACE = POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedScalingMetricSpecification.MetricDataQueries[].MetricStat.Metric.Namespace", text!(1, 255), Some(Shape::Namespace), "model: cloudwatch Namespace";
    POLICY_PRED_SCALING_METRIC = POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedScalingMetricSpecification.MetricDataQueries[].MetricStat.Metric.MetricName", text!(1, 255), Some(Shape::MetricName), "model: cloudwatch MetricName";
    POLICY_PRED_SCALING_DIMENSIONS = POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedScalingMetricSpecification.MetricDataQueries[].MetricStat.Metric.Dimensions", list!(0, 30), None, "model: cloudwatch Dimensions (at most 30)";
    POLICY_PRED_SCALING_DIMENSION_NAME = POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedScalingMetricSpecification.MetricDataQueries[].MetricStat.Metric.Dimensions[].Name", text!(1, 255), Some(Shape::MetricName), "model: cloudwatch DimensionName";
    POLICY_PRED_SCALING_DIMENSION_VALUE = POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedScalingMetricSpecification.MetricDataQueries[].MetricStat.Metric.Dimensions[].Value", text!(1, 1024), None, "model: cloudwatch DimensionValue";
    POLICY_PRED_SCALING_STAT = POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedScalingMetricSpecification.MetricDataQueries[].MetricStat.Stat", Rule::OneOf { values: STATISTICS }, None, "model: autoscaling PredictiveScalingConfiguration";
    POLICY_PRED_LOAD_QUERIES = POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedLoadMetricSpecification.MetricDataQueries", list!(1, 10), None, MATH_PAGE;
    POLICY_PRED_LOAD_ID = POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedLoadMetricSpecification.MetricDataQueries[].Id", text!(1, 255), Some(Shape::MetricId), MATH_PAGE;
    POLICY_PRED_LOAD_RETURN = POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedLoadMetricSpecification.MetricDataQueries[].ReturnData", Rule::Bool, None, "model: autoscaling PredictiveScalingConfiguration";
    POLICY_PRED_LOAD_NAMESPACE = POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedLoadMetricSpecification.MetricDataQueries[].MetricStat.Metric.Namespace", text!(1, 255), Some(Shape::Namespace), "model: cloudwatch Namespace";
    POLICY_PRED_LOAD_METRIC = POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedLoadMetricSpecification.MetricDataQueries[].MetricStat.Metric.MetricName", text!(1, 255), Some(Shape::MetricName), "model: cloudwatch MetricName";
    POLICY_PRED_LOAD_DIMENSIONS = POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedLoadMetricSpecification.MetricDataQueries[].MetricStat.Metric.Dimensions", list!(0, 30), None, "model: cloudwatch Dimensions (at most 30)";
    POLICY_PRED_LOAD_DIMENSION_NAME = POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedLoadMetricSpecification.MetricDataQueries[].MetricStat.Metric.Dimensions[].Name", text!(1, 255), Some(Shape::MetricName), "model: cloudwatch DimensionName";
    POLICY_PRED_LOAD_DIMENSION_VALUE = POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedLoadMetricSpecification.MetricDataQueries[].MetricStat.Metric.Dimensions[].Value", text!(1, 1024), None, "model: cloudwatch DimensionValue";
    POLICY_PRED_LOAD_STAT = POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedLoadMetricSpecification.MetricDataQueries[].MetricStat.Stat", Rule::OneOf { values: STATISTICS }, None, "model: autoscaling PredictiveScalingConfiguration";
    POLICY_TT_QUERIES = POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics", list!(2, 11), None, MATH_PAGE;
    POLICY_TT_QUERY_ID = POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics[].Id", text!(1, 64), Some(Shape::MetricId), "schema and model: TargetTrackingMetricDataQuery.Id (1-64; CloudWatch's id pattern)";
    POLICY_TT_QUERY_EXPRESSION = POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics[].Expression", text!(1, 2047), None, "model: autoscaling XmlStringMaxLen2047";
    POLICY_TT_QUERY_LABEL = POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics[].Label", text!(1, 2047), None, "model: autoscaling XmlStringMetricLabel";
    POLICY_TT_QUERY_RETURN = POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics[].ReturnData", Rule::Bool, None, "model: autoscaling ReturnData";
    POLICY_TT_QUERY_NAMESPACE = POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics[].MetricStat.Metric.Namespace", text!(1, 255), Some(Shape::Namespace), "model: cloudwatch Namespace";
    POLICY_TT_QUERY_METRIC = POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics[].MetricStat.Metric.MetricName", text!(1, 255), Some(Shape::MetricName), "model: cloudwatch MetricName";
    POLICY_TT_QUERY_DIMENSIONS = POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics[].MetricStat.Metric.Dimensions", list!(0, 30), None, "model: cloudwatch Dimensions (at most 30)";
    POLICY_TT_QUERY_DIMENSION_NAME = POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics[].MetricStat.Metric.Dimensions[].Name", text!(1, 255), Some(Shape::MetricName), "model: cloudwatch DimensionName";
    POLICY_TT_QUERY_DIMENSION_VALUE = POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics[].MetricStat.Metric.Dimensions[].Value", text!(1, 1024), None, "model: cloudwatch DimensionValue";
    POLICY_TT_QUERY_STAT = POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics[].MetricStat.Stat", Rule::OneOf { values: STATISTICS }, None, "model: autoscaling XmlStringMetricStat";
    // PutScheduledUpdateGroupAction
    SCHEDULE_GROUP = SCHEDULE, "AutoScalingGroupName", text!(1, 255), Some(Shape::AutoScalingName), NAME_PAGE;
    SCHEDULE_NAME = SCHEDULE, "ScheduledActionName", text!(1, 255), Some(Shape::AutoScalingName), "model: autoscaling XmlStringMaxLen255";
    SCHEDULE_RECURRENCE = SCHEDULE, "Recurrence", text!(1, 255), Some(Shape::Cron), CRON_PAGE;
    SCHEDULE_TIME_ZONE = SCHEDULE, "TimeZone", text!(1, 255), Some(Shape::TimeZone), TZ_PAGE;
    SCHEDULE_MIN = SCHEDULE, "MinSize", int!(0, I32), None, "model: autoscaling AutoScalingGroupMinSize (integer)";
    SCHEDULE_MAX = SCHEDULE, "MaxSize", int!(0, I32), None, "model: autoscaling AutoScalingGroupMaxSize (integer)";
    SCHEDULE_DESIRED = SCHEDULE, "DesiredCapacity", int!(0, I32), None, "model: autoscaling AutoScalingGroupDesiredCapacity (integer)";
    // Deletes
    DEL_POLICY_GROUP = DEL_POLICY, "AutoScalingGroupName", text!(1, 255), Some(Shape::AutoScalingName), NAME_PAGE;
    DEL_POLICY_NAME = DEL_POLICY, "PolicyName", text!(1, 255), Some(Shape::AutoScalingName), "model: autoscaling ResourceName (1600)";
    DEL_SCHEDULE_GROUP = DEL_SCHEDULE, "AutoScalingGroupName", text!(1, 255), Some(Shape::AutoScalingName), NAME_PAGE;
    DEL_SCHEDULE_NAME = DEL_SCHEDULE, "ScheduledActionName", text!(1, 255), Some(Shape::AutoScalingName), "model: autoscaling XmlStringMaxLen255";
    DEL_NOTIFY_GROUP = DEL_NOTIFY, "AutoScalingGroupName", text!(1, 255), Some(Shape::AutoScalingName), NAME_PAGE;
    DEL_NOTIFY_TOPIC = DEL_NOTIFY, "TopicARN", text!(1, 255), Some(Shape::TopicArn), "model: autoscaling TopicARN (XmlStringMaxLen255)";
    DEL_ASG_NAME = DEL_ASG, "AutoScalingGroupName", text!(1, 255), Some(Shape::AutoScalingName), NAME_PAGE;
    DEL_ASG_FORCE = DEL_ASG, "ForceDelete", Rule::Bool, None, "model: autoscaling ForceDelete";
    DEL_ALARM_NAMES = DEL_ALARMS, "AlarmNames", list!(1, 100), None, "model: cloudwatch AlarmNames (at most 100)";
    DEL_ALARM_NAME = DEL_ALARMS, "AlarmNames[]", text!(1, 255), Some(Shape::NoControl), "model: cloudwatch AlarmName";
    DEL_DASHBOARD_NAMES = DEL_DASHBOARDS, "DashboardNames", list!(1, 100), None, "model: cloudwatch DashboardNames";
    DEL_DASHBOARD_NAME = DEL_DASHBOARDS, "DashboardNames[]", text!(1, 255), Some(Shape::Word), DASHBOARD_PAGE;
    DEL_TOPIC_ARN = DEL_TOPIC, "TopicArn", text!(1, 1024), Some(Shape::TopicArn), "model: sns topicARN";
    // PutMetricAlarm
    ALARM_NAME = ALARM, "AlarmName", text!(1, 255), Some(Shape::NoControl), "model: cloudwatch AlarmName (no control characters)";
    ALARM_DESCRIPTION = ALARM, "AlarmDescription", text!(0, 1024), Some(Shape::NoControl), "model: cloudwatch AlarmDescription (at most 1024, including scalec's `[tier]` prefix)";
    ALARM_NAMESPACE = ALARM, "Namespace", text!(1, 255), Some(Shape::Namespace), "model: cloudwatch Namespace (pattern [^:].*)";
    ALARM_METRIC = ALARM, "MetricName", text!(1, 255), Some(Shape::MetricName), "model: cloudwatch MetricName";
    ALARM_DIMENSIONS = ALARM, "Dimensions", list!(0, 30), None, "model: cloudwatch Dimensions (at most 30)";
    ALARM_DIMENSION_NAME = ALARM, "Dimensions[].Name", text!(1, 255), Some(Shape::MetricName), "model: cloudwatch DimensionName";
    ALARM_DIMENSION_VALUE = ALARM, "Dimensions[].Value", text!(1, 1024), None, "model: cloudwatch DimensionValue";
    ALARM_STATISTIC = ALARM, "Statistic", Rule::OneOf { values: STATISTICS }, None, "model: cloudwatch Statistic";
    ALARM_PERIOD = ALARM, "Period", int!(10, 604_800), Some(Shape::AlarmPeriod), PERIOD_PAGE;
    ALARM_EVALUATE = ALARM, "EvaluationPeriods", int!(1, 8640), None, PERIOD_PAGE;
    ALARM_DATAPOINTS = ALARM, "DatapointsToAlarm", int!(1, 8640), None, "model: cloudwatch DatapointsToAlarm (at least 1, at most EvaluationPeriods)";
    ALARM_THRESHOLD = ALARM, "Threshold", Rule::Number, None, "model: cloudwatch Threshold (double)";
    ALARM_COMPARISON = ALARM, "ComparisonOperator", Rule::OneOf { values: COMPARISONS }, None, "model: cloudwatch ComparisonOperator (anomaly-detection operators are not emitted)";
    ALARM_MISSING = ALARM, "TreatMissingData", Rule::OneOf { values: MISSING_DATA }, None, "model: cloudwatch TreatMissingData";
    ALARM_ACTIONS = ALARM, "AlarmActions", list!(0, 5), None, "model: cloudwatch ResourceList (at most 5)";
    ALARM_ACTION = ALARM, "AlarmActions[]", text!(1, 1024), None, "model: cloudwatch ResourceName";
    ALARM_QUERIES = ALARM, "Metrics", list!(2, 11), None, MATH_PAGE;
    ALARM_QUERY_ID = ALARM, "Metrics[].Id", text!(1, 255), Some(Shape::MetricId), MATH_PAGE;
    ALARM_QUERY_EXPRESSION = ALARM, "Metrics[].Expression", text!(1, 2048), None, "model: cloudwatch MetricExpression (at most 2048)";
    ALARM_QUERY_LABEL = ALARM, "Metrics[].Label", text!(1, 2048), None, "model: cloudwatch MetricLabel (scalec labels the expression with itself)";
    ALARM_QUERY_RETURN = ALARM, "Metrics[].ReturnData", Rule::Bool, None, "model: cloudwatch ReturnData";
    ALARM_QUERY_NAMESPACE = ALARM, "Metrics[].MetricStat.Metric.Namespace", text!(1, 255), Some(Shape::Namespace), "model: cloudwatch Namespace (pattern [^:].*)";
    ALARM_QUERY_METRIC = ALARM, "Metrics[].MetricStat.Metric.MetricName", text!(1, 255), Some(Shape::MetricName), "model: cloudwatch MetricName";
    ALARM_QUERY_DIMENSIONS = ALARM, "Metrics[].MetricStat.Metric.Dimensions", list!(0, 30), None, "model: cloudwatch Dimensions (at most 30)";
    ALARM_QUERY_DIMENSION_NAME = ALARM, "Metrics[].MetricStat.Metric.Dimensions[].Name", text!(1, 255), Some(Shape::MetricName), "model: cloudwatch DimensionName";
    ALARM_QUERY_DIMENSION_VALUE = ALARM, "Metrics[].MetricStat.Metric.Dimensions[].Value", text!(1, 1024), None, "model: cloudwatch DimensionValue";
    ALARM_QUERY_PERIOD = ALARM, "Metrics[].MetricStat.Period", int!(10, 604_800), Some(Shape::AlarmPeriod), PERIOD_PAGE;
    ALARM_QUERY_STAT = ALARM, "Metrics[].MetricStat.Stat", Rule::OneOf { values: STATISTICS }, None, "model: cloudwatch Stat";
    ALARM_TAGS = ALARM, "Tags", list!(0, 50), None, TAG_PAGE;
    ALARM_TAG_KEY = ALARM, "Tags[].Key", text!(1, 128), Some(Shape::TagKey), "model: cloudwatch TagKey";
    ALARM_TAG_VALUE = ALARM, "Tags[].Value", text!(0, 256), None, "model: cloudwatch TagValue";
    // PutDashboard
    DASHBOARD_NAME = DASHBOARD, "DashboardName", text!(1, 255), Some(Shape::Word), DASHBOARD_PAGE;
    DASHBOARD_BODY = DASHBOARD, "DashboardBody", Rule::Json, None, "model: cloudwatch DashboardBody (a JSON document)";
    // SNS
    TOPIC_NAME = TOPIC, "Name", text!(1, 256), Some(Shape::Word), TOPIC_PAGE;
    TOPIC_DISPLAY_NAME = TOPIC, "Attributes.DisplayName", text!(0, 100), None, TOPIC_ATTRIBUTES_PAGE;
    SET_TOPIC_ARN = SET_TOPIC_ATTRIBUTES, "TopicArn", text!(1, 1024), Some(Shape::TopicArn), "model: sns topicARN";
    SET_TOPIC_ATTRIBUTE_NAME = SET_TOPIC_ATTRIBUTES, "AttributeName", Rule::OneOf { values: &["DisplayName"] }, None, TOPIC_ATTRIBUTES_PAGE;
    SET_TOPIC_DISPLAY_NAME = SET_TOPIC_ATTRIBUTES, "AttributeValue", text!(0, 100), None, TOPIC_ATTRIBUTES_PAGE;
    TOPIC_TAGS = TOPIC, "Tags", list!(0, 50), None, TAG_PAGE;
    TOPIC_TAG_KEY = TOPIC, "Tags[].Key", text!(1, 128), Some(Shape::TagKey), "model: sns TagKey";
    TOPIC_TAG_VALUE = TOPIC, "Tags[].Value", text!(0, 256), None, "model: sns TagValue";
    SUBSCRIBE_TOPIC = SUBSCRIBE, "TopicArn", text!(1, 1024), Some(Shape::TopicArn), "model: sns topicARN";
    SUBSCRIBE_PROTOCOL = SUBSCRIBE, "Protocol", Rule::OneOf { values: PROTOCOLS }, None, "model: sns protocol (scalec subscribes these four)";
    SUBSCRIBE_ENDPOINT = SUBSCRIBE, "Endpoint", text!(1, 2048), Some(Shape::Endpoint), "https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html (Endpoint per protocol)";
    // CloudFormation: AWS::AutoScaling::AutoScalingGroup
    CFN_ASG_NAME = CFN_ASG, "AutoScalingGroupName", text!(1, 255), Some(Shape::AutoScalingName), "schema: AWS::AutoScaling::AutoScalingGroup AutoScalingGroupName";
    CFN_ASG_LT_ID = CFN_ASG, "LaunchTemplate.LaunchTemplateId", text!(1, 255), Some(Shape::LaunchTemplateId), LT_PAGE;
    CFN_ASG_LT_VERSION = CFN_ASG, "LaunchTemplate.Version", text!(1, 255), Some(Shape::LaunchTemplateVersion), "schema: LaunchTemplateSpecification.Version (CloudFormation takes version numbers only)";
    CFN_ASG_MIN_SIZE = CFN_ASG, "MinSize", int!(0, I32), None, "schema: MinSize (pattern ^[0-9]+$)";
    CFN_ASG_MAX_SIZE = CFN_ASG, "MaxSize", int!(0, I32), None, "schema: MaxSize (pattern ^[0-9]+$)";
    CFN_ASG_DESIRED = CFN_ASG, "DesiredCapacity", int!(0, I32), None, "schema: DesiredCapacity (pattern ^[0-9]+$)";
    CFN_ASG_SUBNETS = CFN_ASG, "VPCZoneIdentifier", list!(1, 200), None, "schema: VPCZoneIdentifier (list of subnet ids)";
    CFN_ASG_SUBNET = CFN_ASG, "VPCZoneIdentifier[]", text!(1, 255), Some(Shape::SubnetIds), SUBNET_PAGE;
    CFN_ASG_TARGET_GROUPS = CFN_ASG, "TargetGroupARNs", list!(0, 50), None, QUOTAS;
    CFN_ASG_TARGET_GROUP = CFN_ASG, "TargetGroupARNs[]", text!(1, 511), Some(Shape::TargetGroupArn), "schema: TargetGroupARNs";
    CFN_ASG_HEALTH_TYPE = CFN_ASG, "HealthCheckType", Rule::OneOf { values: HEALTH_CHECK_TYPES }, None, "schema: HealthCheckType";
    CFN_ASG_GRACE = CFN_ASG, "HealthCheckGracePeriod", int!(0, I32), None, "schema: HealthCheckGracePeriod (integer)";
    CFN_ASG_WARMUP = CFN_ASG, "DefaultInstanceWarmup", int!(0, 3600), None, WARMUP_PAGE;
    CFN_ASG_COOLDOWN = CFN_ASG, "Cooldown", int!(0, I32), None, "schema: Cooldown (pattern ^[0-9]+$)";
    CFN_ASG_TERMINATION = CFN_ASG, "TerminationPolicies", list!(0, 7), None, "schema: TerminationPolicies";
    CFN_ASG_TERMINATION_ITEM = CFN_ASG, "TerminationPolicies[]", Rule::OneOf { values: TERMINATION_POLICIES }, None, "schema: TerminationPolicies";
    CFN_ASG_METRICS_COLLECTION = CFN_ASG, "MetricsCollection", list!(1, 1), None, "schema: MetricsCollection";
    CFN_ASG_GRANULARITY = CFN_ASG, "MetricsCollection[].Granularity", Rule::OneOf { values: GRANULARITY }, None, "schema: MetricsCollection.Granularity";
    CFN_ASG_METRICS = CFN_ASG, "MetricsCollection[].Metrics", list!(1, 13), None, "schema: MetricsCollection.Metrics";
    CFN_ASG_METRIC = CFN_ASG, "MetricsCollection[].Metrics[]", Rule::OneOf { values: GROUP_METRICS }, None, "schema: MetricsCollection.Metrics";
    CFN_ASG_NOTIFICATIONS = CFN_ASG, "NotificationConfigurations", list!(0, 10), None, QUOTAS;
    CFN_ASG_NOTIFY_TOPIC = CFN_ASG, "NotificationConfigurations[].TopicARN", text!(1, 255), Some(Shape::TopicArn), "schema: NotificationConfiguration.TopicARN";
    CFN_ASG_NOTIFY_TYPES = CFN_ASG, "NotificationConfigurations[].NotificationTypes", list!(1, 5), None, "schema: NotificationConfiguration.NotificationTypes";
    CFN_ASG_NOTIFY_TYPE = CFN_ASG, "NotificationConfigurations[].NotificationTypes[]", Rule::OneOf { values: NOTIFICATION_TYPES }, None, "schema: NotificationConfiguration.NotificationTypes";
    CFN_ASG_TAGS = CFN_ASG, "Tags", list!(0, 50), None, TAG_PAGE;
    CFN_ASG_TAG_KEY = CFN_ASG, "Tags[].Key", text!(1, 128), Some(Shape::TagKey), "schema: TagProperty.Key";
    CFN_ASG_TAG_VALUE = CFN_ASG, "Tags[].Value", text!(0, 256), None, "schema: TagProperty.Value";
    CFN_ASG_TAG_PROPAGATE = CFN_ASG, "Tags[].PropagateAtLaunch", Rule::Bool, None, "schema: TagProperty.PropagateAtLaunch";
    CFN_ASG_LT_NAME = CFN_ASG, "LaunchTemplate.LaunchTemplateName", text!(3, 128), Some(Shape::LaunchTemplateName), LT_NAME_PAGE;
    CFN_ASG_MAINTENANCE_MIN = CFN_ASG, "InstanceMaintenancePolicy.MinHealthyPercentage", int!(-1, 100), None, MAINTENANCE_PAGE;
    CFN_ASG_MAINTENANCE_MAX = CFN_ASG, "InstanceMaintenancePolicy.MaxHealthyPercentage", int!(-1, 200), None, MAINTENANCE_PAGE;
    CFN_ASG_PROTECT = CFN_ASG, "NewInstancesProtectedFromScaleIn", Rule::Bool, None, "model: autoscaling InstanceProtected (boolean)";
    CFN_ASG_RESERVATION_PREFERENCE = CFN_ASG, "CapacityReservationSpecification.CapacityReservationPreference", Rule::OneOf { values: RESERVATION_PREFERENCES }, None, RESERVATION_PAGE;
    CFN_ASG_RESERVATION_IDS = CFN_ASG, "CapacityReservationSpecification.CapacityReservationTarget.CapacityReservationIds", list!(1, 100), None, "model: autoscaling CapacityReservationIds (no limit in the model; 100 is scalec's bound)";
    CFN_ASG_RESERVATION_ID = CFN_ASG, "CapacityReservationSpecification.CapacityReservationTarget.CapacityReservationIds[]", text!(1, 255), Some(Shape::CapacityReservationId), RESERVATION_PAGE;
    CFN_ASG_RESERVATION_GROUPS = CFN_ASG, "CapacityReservationSpecification.CapacityReservationTarget.CapacityReservationResourceGroupArns", list!(1, 100), None, "model: autoscaling CapacityReservationResourceGroupArns (no limit in the model; 100 is scalec's bound)";
    CFN_ASG_RESERVATION_GROUP = CFN_ASG, "CapacityReservationSpecification.CapacityReservationTarget.CapacityReservationResourceGroupArns[]", text!(1, 255), Some(Shape::ResourceGroupArn), RESERVATION_PAGE;
    CFN_ASG_AZ_DISTRIBUTION = CFN_ASG, "AvailabilityZoneDistribution.CapacityDistributionStrategy", Rule::OneOf { values: AZ_STRATEGIES }, None, "model: autoscaling CapacityDistributionStrategy";
    CFN_ASG_MIXED_LT_ID = CFN_ASG, "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateId", text!(1, 255), Some(Shape::LaunchTemplateId), LT_PAGE;
    CFN_ASG_MIXED_LT_NAME = CFN_ASG, "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateName", text!(3, 128), Some(Shape::LaunchTemplateName), LT_NAME_PAGE;
    CFN_ASG_MIXED_LT_VERSION = CFN_ASG, "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.Version", text!(1, 255), Some(Shape::LaunchTemplateVersion), LT_PAGE;
    CFN_ASG_MIXED_OVERRIDES = CFN_ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides", list!(1, 40), None, MIXED_PAGE;
    CFN_ASG_MIXED_TYPE = CFN_ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].InstanceType", text!(1, 255), None, "model: autoscaling XmlStringMaxLen255";
    CFN_ASG_MIXED_WEIGHT = CFN_ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].WeightedCapacity", text!(1, 3), Some(Shape::Weight), MIXED_PAGE;
    CFN_ASG_MIXED_OVERRIDE_LT_ID = CFN_ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].LaunchTemplateSpecification.LaunchTemplateId", text!(1, 255), Some(Shape::LaunchTemplateId), LT_PAGE;
    CFN_ASG_MIXED_OVERRIDE_LT_NAME = CFN_ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].LaunchTemplateSpecification.LaunchTemplateName", text!(3, 128), Some(Shape::LaunchTemplateName), LT_NAME_PAGE;
    CFN_ASG_MIXED_OVERRIDE_LT_VERSION = CFN_ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].LaunchTemplateSpecification.Version", text!(1, 255), Some(Shape::LaunchTemplateVersion), LT_PAGE;
    CFN_ASG_MIXED_VCPU_MIN = CFN_ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].InstanceRequirements.VCpuCount.Min", int!(0, I32), None, "model: autoscaling VCpuCountRequest (NullablePositiveInteger)";
    CFN_ASG_MIXED_VCPU_MAX = CFN_ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].InstanceRequirements.VCpuCount.Max", int!(0, I32), None, "model: autoscaling VCpuCountRequest (NullablePositiveInteger)";
    CFN_ASG_MIXED_MEMORY_MIN = CFN_ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].InstanceRequirements.MemoryMiB.Min", int!(0, I32), None, "model: autoscaling MemoryMiBRequest (NullablePositiveInteger)";
    CFN_ASG_MIXED_MEMORY_MAX = CFN_ASG, "MixedInstancesPolicy.LaunchTemplate.Overrides[].InstanceRequirements.MemoryMiB.Max", int!(0, I32), None, "model: autoscaling MemoryMiBRequest (NullablePositiveInteger)";
    CFN_ASG_MIXED_ON_DEMAND_STRATEGY = CFN_ASG, "MixedInstancesPolicy.InstancesDistribution.OnDemandAllocationStrategy", Rule::OneOf { values: ON_DEMAND_STRATEGIES }, None, MIXED_PAGE;
    CFN_ASG_MIXED_ON_DEMAND_BASE = CFN_ASG, "MixedInstancesPolicy.InstancesDistribution.OnDemandBaseCapacity", int!(0, I32), None, MIXED_PAGE;
    CFN_ASG_MIXED_ON_DEMAND_PERCENT = CFN_ASG, "MixedInstancesPolicy.InstancesDistribution.OnDemandPercentageAboveBaseCapacity", int!(0, 100), None, MIXED_PAGE;
    CFN_ASG_MIXED_SPOT_STRATEGY = CFN_ASG, "MixedInstancesPolicy.InstancesDistribution.SpotAllocationStrategy", Rule::OneOf { values: SPOT_STRATEGIES }, None, MIXED_PAGE;
    CFN_ASG_MIXED_SPOT_POOLS = CFN_ASG, "MixedInstancesPolicy.InstancesDistribution.SpotInstancePools", int!(1, 20), None, MIXED_PAGE;
    CFN_ASG_CAPACITY_REBALANCE = CFN_ASG, "CapacityRebalance", Rule::Bool, None, "model: autoscaling CapacityRebalanceEnabled (boolean)";
    CFN_ASG_HOOKS = CFN_ASG, "LifecycleHookSpecificationList", list!(1, 50), None, QUOTAS;
    CFN_ASG_HOOK_NAME = CFN_ASG, "LifecycleHookSpecificationList[].LifecycleHookName", text!(1, 255), Some(Shape::HookName), HOOK_PAGE;
    CFN_ASG_HOOK_TRANSITION = CFN_ASG, "LifecycleHookSpecificationList[].LifecycleTransition", Rule::OneOf { values: HOOK_TRANSITIONS }, None, HOOK_PAGE;
    CFN_ASG_HOOK_TIMEOUT = CFN_ASG, "LifecycleHookSpecificationList[].HeartbeatTimeout", int!(30, 7200), None, HOOK_PAGE;
    CFN_ASG_HOOK_RESULT = CFN_ASG, "LifecycleHookSpecificationList[].DefaultResult", Rule::OneOf { values: HOOK_RESULTS }, None, HOOK_PAGE;
    CFN_ASG_HOOK_METADATA = CFN_ASG, "LifecycleHookSpecificationList[].NotificationMetadata", text!(1, 4000), None, HOOK_PAGE;
    CFN_ASG_HOOK_TARGET = CFN_ASG, "LifecycleHookSpecificationList[].NotificationTargetARN", text!(0, 255), Some(Shape::HookTarget), HOOK_PAGE;
    CFN_ASG_HOOK_ROLE = CFN_ASG, "LifecycleHookSpecificationList[].RoleARN", text!(1, 255), Some(Shape::RoleArn), HOOK_PAGE;
    // PutLifecycleHook and DeleteLifecycleHook
    HOOK_GROUP = PUT_HOOK, "AutoScalingGroupName", text!(1, 255), Some(Shape::AutoScalingName), NAME_PAGE;
    HOOK_NAME = PUT_HOOK, "LifecycleHookName", text!(1, 255), Some(Shape::HookName), HOOK_PAGE;
    HOOK_TRANSITION = PUT_HOOK, "LifecycleTransition", Rule::OneOf { values: HOOK_TRANSITIONS }, None, HOOK_PAGE;
    HOOK_TIMEOUT = PUT_HOOK, "HeartbeatTimeout", int!(30, 7200), None, HOOK_PAGE;
    HOOK_RESULT = PUT_HOOK, "DefaultResult", Rule::OneOf { values: HOOK_RESULTS }, None, HOOK_PAGE;
    HOOK_METADATA = PUT_HOOK, "NotificationMetadata", text!(1, 4000), None, HOOK_PAGE;
    HOOK_TARGET = PUT_HOOK, "NotificationTargetARN", text!(0, 255), Some(Shape::HookTarget), HOOK_PAGE;
    HOOK_ROLE = PUT_HOOK, "RoleARN", text!(1, 255), Some(Shape::RoleArn), HOOK_PAGE;
    DEL_HOOK_GROUP = DEL_HOOK, "AutoScalingGroupName", text!(1, 255), Some(Shape::AutoScalingName), NAME_PAGE;
    DEL_HOOK_NAME = DEL_HOOK, "LifecycleHookName", text!(1, 255), Some(Shape::HookName), HOOK_PAGE;
    // PutWarmPool, DeleteWarmPool and AWS::AutoScaling::WarmPool
    WARM_POOL_GROUP = PUT_WARM_POOL, "AutoScalingGroupName", text!(1, 255), Some(Shape::AutoScalingName), NAME_PAGE;
    WARM_POOL_MIN = PUT_WARM_POOL, "MinSize", int!(0, I32), None, WARM_POOL_PAGE;
    WARM_POOL_MAX_PREPARED = PUT_WARM_POOL, "MaxGroupPreparedCapacity", int!(-1, I32), None, WARM_POOL_PAGE;
    WARM_POOL_STATE = PUT_WARM_POOL, "PoolState", Rule::OneOf { values: POOL_STATES }, None, WARM_POOL_PAGE;
    WARM_POOL_REUSE = PUT_WARM_POOL, "InstanceReusePolicy.ReuseOnScaleIn", Rule::Bool, None, WARM_POOL_PAGE;
    DEL_WARM_POOL_GROUP = DEL_WARM_POOL, "AutoScalingGroupName", text!(1, 255), Some(Shape::AutoScalingName), NAME_PAGE;
    DEL_WARM_POOL_FORCE = DEL_WARM_POOL, "ForceDelete", Rule::Bool, None, "model: autoscaling ForceDelete";
    CFN_WARM_POOL_GROUP = CFN_WARM_POOL, "AutoScalingGroupName", text!(1, 255), Some(Shape::AutoScalingName), "schema: WarmPool AutoScalingGroupName";
    CFN_WARM_POOL_MIN = CFN_WARM_POOL, "MinSize", int!(0, I32), None, WARM_POOL_PAGE;
    CFN_WARM_POOL_MAX_PREPARED = CFN_WARM_POOL, "MaxGroupPreparedCapacity", int!(-1, I32), None, WARM_POOL_PAGE;
    CFN_WARM_POOL_STATE = CFN_WARM_POOL, "PoolState", Rule::OneOf { values: POOL_STATES }, None, WARM_POOL_PAGE;
    CFN_WARM_POOL_REUSE = CFN_WARM_POOL, "InstanceReusePolicy.ReuseOnScaleIn", Rule::Bool, None, WARM_POOL_PAGE;
    // StartInstanceRefresh
    REFRESH_GROUP = REFRESH, "AutoScalingGroupName", text!(1, 255), Some(Shape::AutoScalingName), NAME_PAGE;
    REFRESH_STRATEGY = REFRESH, "Strategy", Rule::OneOf { values: &["Rolling"] }, None, REFRESH_PAGE;
    REFRESH_MIN_HEALTHY = REFRESH, "Preferences.MinHealthyPercentage", int!(0, 100), None, REFRESH_PAGE;
    REFRESH_MAX_HEALTHY = REFRESH, "Preferences.MaxHealthyPercentage", int!(100, 200), None, REFRESH_PAGE;
    REFRESH_WARMUP = REFRESH, "Preferences.InstanceWarmup", int!(0, I32), None, REFRESH_PAGE;
    REFRESH_CHECKPOINTS = REFRESH, "Preferences.CheckpointPercentages", list!(1, 100), None, REFRESH_PAGE;
    REFRESH_CHECKPOINT = REFRESH, "Preferences.CheckpointPercentages[]", int!(1, 100), None, REFRESH_PAGE;
    REFRESH_CHECKPOINT_DELAY = REFRESH, "Preferences.CheckpointDelay", int!(0, 172_800), None, REFRESH_PAGE;
    REFRESH_SKIP_MATCHING = REFRESH, "Preferences.SkipMatching", Rule::Bool, None, REFRESH_PAGE;
    REFRESH_ALARMS = REFRESH, "Preferences.AlarmSpecification.Alarms", list!(1, 10), None, REFRESH_PAGE;
    REFRESH_ALARM = REFRESH, "Preferences.AlarmSpecification.Alarms[]", text!(1, 255), Some(Shape::NoControl), REFRESH_PAGE;
    REFRESH_AUTO_ROLLBACK = REFRESH, "Preferences.AutoRollback", Rule::Bool, None, REFRESH_PAGE;
    // The configuration a refresh replaces instances with (what AutoRollback
    // rolls back from): the group's launch template or mixed instances policy.
    REFRESH_DESIRED_LT_ID = REFRESH, "DesiredConfiguration.LaunchTemplate.LaunchTemplateId", text!(1, 255), Some(Shape::LaunchTemplateId), LT_PAGE;
    REFRESH_DESIRED_LT_VERSION = REFRESH, "DesiredConfiguration.LaunchTemplate.Version", text!(1, 255), Some(Shape::LaunchTemplateVersion), LT_PAGE;
    REFRESH_DESIRED_LT_NAME = REFRESH, "DesiredConfiguration.LaunchTemplate.LaunchTemplateName", text!(3, 128), Some(Shape::LaunchTemplateName), LT_NAME_PAGE;
    REFRESH_DESIRED_MIXED_LT_ID = REFRESH, "DesiredConfiguration.MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateId", text!(1, 255), Some(Shape::LaunchTemplateId), LT_PAGE;
    REFRESH_DESIRED_MIXED_LT_NAME = REFRESH, "DesiredConfiguration.MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateName", text!(3, 128), Some(Shape::LaunchTemplateName), LT_NAME_PAGE;
    REFRESH_DESIRED_MIXED_LT_VERSION = REFRESH, "DesiredConfiguration.MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.Version", text!(1, 255), Some(Shape::LaunchTemplateVersion), LT_PAGE;
    REFRESH_DESIRED_MIXED_OVERRIDES = REFRESH, "DesiredConfiguration.MixedInstancesPolicy.LaunchTemplate.Overrides", list!(1, 40), None, MIXED_PAGE;
    REFRESH_DESIRED_MIXED_TYPE = REFRESH, "DesiredConfiguration.MixedInstancesPolicy.LaunchTemplate.Overrides[].InstanceType", text!(1, 255), None, "model: autoscaling XmlStringMaxLen255";
    REFRESH_DESIRED_MIXED_WEIGHT = REFRESH, "DesiredConfiguration.MixedInstancesPolicy.LaunchTemplate.Overrides[].WeightedCapacity", text!(1, 3), Some(Shape::Weight), MIXED_PAGE;
    REFRESH_DESIRED_MIXED_OVERRIDE_LT_ID = REFRESH, "DesiredConfiguration.MixedInstancesPolicy.LaunchTemplate.Overrides[].LaunchTemplateSpecification.LaunchTemplateId", text!(1, 255), Some(Shape::LaunchTemplateId), LT_PAGE;
    REFRESH_DESIRED_MIXED_OVERRIDE_LT_NAME = REFRESH, "DesiredConfiguration.MixedInstancesPolicy.LaunchTemplate.Overrides[].LaunchTemplateSpecification.LaunchTemplateName", text!(3, 128), Some(Shape::LaunchTemplateName), LT_NAME_PAGE;
    REFRESH_DESIRED_MIXED_OVERRIDE_LT_VERSION = REFRESH, "DesiredConfiguration.MixedInstancesPolicy.LaunchTemplate.Overrides[].LaunchTemplateSpecification.Version", text!(1, 255), Some(Shape::LaunchTemplateVersion), LT_PAGE;
    REFRESH_DESIRED_MIXED_VCPU_MIN = REFRESH, "DesiredConfiguration.MixedInstancesPolicy.LaunchTemplate.Overrides[].InstanceRequirements.VCpuCount.Min", int!(0, I32), None, "model: autoscaling VCpuCountRequest (NullablePositiveInteger)";
    REFRESH_DESIRED_MIXED_VCPU_MAX = REFRESH, "DesiredConfiguration.MixedInstancesPolicy.LaunchTemplate.Overrides[].InstanceRequirements.VCpuCount.Max", int!(0, I32), None, "model: autoscaling VCpuCountRequest (NullablePositiveInteger)";
    REFRESH_DESIRED_MIXED_MEMORY_MIN = REFRESH, "DesiredConfiguration.MixedInstancesPolicy.LaunchTemplate.Overrides[].InstanceRequirements.MemoryMiB.Min", int!(0, I32), None, "model: autoscaling MemoryMiBRequest (NullablePositiveInteger)";
    REFRESH_DESIRED_MIXED_MEMORY_MAX = REFRESH, "DesiredConfiguration.MixedInstancesPolicy.LaunchTemplate.Overrides[].InstanceRequirements.MemoryMiB.Max", int!(0, I32), None, "model: autoscaling MemoryMiBRequest (NullablePositiveInteger)";
    REFRESH_DESIRED_MIXED_ON_DEMAND_STRATEGY = REFRESH, "DesiredConfiguration.MixedInstancesPolicy.InstancesDistribution.OnDemandAllocationStrategy", Rule::OneOf { values: ON_DEMAND_STRATEGIES }, None, MIXED_PAGE;
    REFRESH_DESIRED_MIXED_ON_DEMAND_BASE = REFRESH, "DesiredConfiguration.MixedInstancesPolicy.InstancesDistribution.OnDemandBaseCapacity", int!(0, I32), None, MIXED_PAGE;
    REFRESH_DESIRED_MIXED_ON_DEMAND_PERCENT = REFRESH, "DesiredConfiguration.MixedInstancesPolicy.InstancesDistribution.OnDemandPercentageAboveBaseCapacity", int!(0, 100), None, MIXED_PAGE;
    REFRESH_DESIRED_MIXED_SPOT_STRATEGY = REFRESH, "DesiredConfiguration.MixedInstancesPolicy.InstancesDistribution.SpotAllocationStrategy", Rule::OneOf { values: SPOT_STRATEGIES }, None, MIXED_PAGE;
    REFRESH_DESIRED_MIXED_SPOT_POOLS = REFRESH, "DesiredConfiguration.MixedInstancesPolicy.InstancesDistribution.SpotInstancePools", int!(1, 20), None, MIXED_PAGE;
    CFN_ASG_SCHEDULED_ACTION = CFN_ASG, "UpdatePolicy.AutoScalingScheduledAction.IgnoreUnmodifiedGroupSizeProperties", Rule::Bool, None, "cfn-lint: update_policy.json AutoScalingScheduledAction";
    CFN_ASG_REFRESH_STRATEGY = CFN_ASG, "UpdatePolicy.AutoScalingInstanceRefresh.Strategy", Rule::OneOf { values: &["Rolling"] }, None, "cfn-lint: update_policy.json AutoScalingInstanceRefresh";
    CFN_ASG_REFRESH_MIN_HEALTHY = CFN_ASG, "UpdatePolicy.AutoScalingInstanceRefresh.Preferences.MinHealthyPercentage", int!(0, 100), None, REFRESH_PAGE;
    CFN_ASG_REFRESH_MAX_HEALTHY = CFN_ASG, "UpdatePolicy.AutoScalingInstanceRefresh.Preferences.MaxHealthyPercentage", int!(100, 200), None, REFRESH_PAGE;
    CFN_ASG_REFRESH_WARMUP = CFN_ASG, "UpdatePolicy.AutoScalingInstanceRefresh.Preferences.InstanceWarmup", int!(0, I32), None, REFRESH_PAGE;
    CFN_ASG_REFRESH_CHECKPOINTS = CFN_ASG, "UpdatePolicy.AutoScalingInstanceRefresh.Preferences.CheckpointPercentages", list!(1, 100), None, REFRESH_PAGE;
    CFN_ASG_REFRESH_CHECKPOINT = CFN_ASG, "UpdatePolicy.AutoScalingInstanceRefresh.Preferences.CheckpointPercentages[]", int!(1, 100), None, REFRESH_PAGE;
    CFN_ASG_REFRESH_CHECKPOINT_DELAY = CFN_ASG, "UpdatePolicy.AutoScalingInstanceRefresh.Preferences.CheckpointDelay", int!(0, 172_800), None, REFRESH_PAGE;
    CFN_ASG_REFRESH_SKIP_MATCHING = CFN_ASG, "UpdatePolicy.AutoScalingInstanceRefresh.Preferences.SkipMatching", Rule::Bool, None, REFRESH_PAGE;
    CFN_ASG_REFRESH_ALARMS = CFN_ASG, "UpdatePolicy.AutoScalingInstanceRefresh.Preferences.AlarmSpecification.Alarms", list!(1, 10), None, REFRESH_PAGE;
    CFN_ASG_REFRESH_ALARM = CFN_ASG, "UpdatePolicy.AutoScalingInstanceRefresh.Preferences.AlarmSpecification.Alarms[]", text!(1, 255), Some(Shape::NoControl), REFRESH_PAGE;
    // SuspendProcesses and ResumeProcesses
    SUSPEND_NAME = SUSPEND, "AutoScalingGroupName", text!(1, 255), Some(Shape::AutoScalingName), NAME_PAGE;
    SUSPEND_PROCESSES = SUSPEND, "ScalingProcesses", list!(1, 9), None, PROCESS_PAGE;
    SUSPEND_PROCESS = SUSPEND, "ScalingProcesses[]", Rule::OneOf { values: PROCESSES }, None, PROCESS_PAGE;
    RESUME_NAME = RESUME, "AutoScalingGroupName", text!(1, 255), Some(Shape::AutoScalingName), NAME_PAGE;
    RESUME_PROCESSES = RESUME, "ScalingProcesses", list!(1, 9), None, PROCESS_PAGE;
    RESUME_PROCESS = RESUME, "ScalingProcesses[]", Rule::OneOf { values: PROCESSES }, None, PROCESS_PAGE;
    // AWS::AutoScaling::ScalingPolicy
    CFN_POLICY_GROUP = CFN_POLICY, "AutoScalingGroupName", text!(1, 255), Some(Shape::AutoScalingName), "schema: ScalingPolicy AutoScalingGroupName";
    CFN_POLICY_TYPE = CFN_POLICY, "PolicyType", Rule::OneOf { values: POLICY_TYPES }, None, "schema: ScalingPolicy PolicyType";
    CFN_POLICY_ADJUSTMENT_TYPE = CFN_POLICY, "AdjustmentType", Rule::OneOf { values: ADJUSTMENT_TYPES }, None, "schema: ScalingPolicy AdjustmentType";
    CFN_POLICY_ADJUSTMENT = CFN_POLICY, "ScalingAdjustment", int!(-I32 - 1, I32), None, "schema: ScalingPolicy ScalingAdjustment (integer)";
    CFN_POLICY_COOLDOWN = CFN_POLICY, "Cooldown", int!(0, I32), None, "schema: ScalingPolicy Cooldown";
    CFN_POLICY_MIN_MAGNITUDE = CFN_POLICY, "MinAdjustmentMagnitude", int!(1, I32), None, "schema: ScalingPolicy MinAdjustmentMagnitude (integer)";
    CFN_POLICY_AGGREGATION = CFN_POLICY, "MetricAggregationType", Rule::OneOf { values: AGGREGATIONS }, None, "schema: ScalingPolicy MetricAggregationType";
    CFN_POLICY_WARMUP = CFN_POLICY, "EstimatedInstanceWarmup", int!(0, I32), None, "schema: ScalingPolicy EstimatedInstanceWarmup (integer)";
    CFN_POLICY_STEPS = CFN_POLICY, "StepAdjustments", list!(1, 20), None, QUOTAS;
    CFN_POLICY_STEP_LOWER = CFN_POLICY, "StepAdjustments[].MetricIntervalLowerBound", Rule::Number, None, "schema: StepAdjustment.MetricIntervalLowerBound";
    CFN_POLICY_STEP_UPPER = CFN_POLICY, "StepAdjustments[].MetricIntervalUpperBound", Rule::Number, None, "schema: StepAdjustment.MetricIntervalUpperBound";
    CFN_POLICY_STEP_ADJUSTMENT = CFN_POLICY, "StepAdjustments[].ScalingAdjustment", int!(-I32 - 1, I32), None, "schema: StepAdjustment.ScalingAdjustment (integer)";
    CFN_POLICY_TARGET = CFN_POLICY, "TargetTrackingConfiguration.TargetValue", Rule::Number, None, "schema: TargetTrackingConfiguration.TargetValue";
    CFN_POLICY_DISABLE_SCALE_IN = CFN_POLICY, "TargetTrackingConfiguration.DisableScaleIn", Rule::Bool, None, "schema: TargetTrackingConfiguration.DisableScaleIn";
    CFN_POLICY_PREDEFINED = CFN_POLICY, "TargetTrackingConfiguration.PredefinedMetricSpecification.PredefinedMetricType", Rule::OneOf { values: PREDEFINED }, None, "schema: PredefinedMetricSpecification.PredefinedMetricType";
    CFN_POLICY_LABEL = CFN_POLICY, "TargetTrackingConfiguration.PredefinedMetricSpecification.ResourceLabel", text!(1, 1023), Some(Shape::ResourceLabel), LABEL_PAGE;
    CFN_POLICY_NAMESPACE = CFN_POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Namespace", text!(1, 255), Some(Shape::Namespace), "schema: CustomizedMetricSpecification.Namespace";
    CFN_POLICY_METRIC = CFN_POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.MetricName", text!(1, 255), Some(Shape::MetricName), "schema: CustomizedMetricSpecification.MetricName";
    CFN_POLICY_DIMENSIONS = CFN_POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Dimensions", list!(0, 30), None, "schema: CustomizedMetricSpecification.Dimensions";
    CFN_POLICY_DIMENSION_NAME = CFN_POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Dimensions[].Name", text!(1, 255), Some(Shape::MetricName), "schema: MetricDimension.Name";
    CFN_POLICY_DIMENSION_VALUE = CFN_POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Dimensions[].Value", text!(1, 1024), None, "schema: MetricDimension.Value";
    CFN_POLICY_STATISTIC = CFN_POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Statistic", Rule::OneOf { values: STATISTICS }, None, "schema: CustomizedMetricSpecification.Statistic";
    CFN_POLICY_PRED_SPECS = CFN_POLICY, "PredictiveScalingConfiguration.MetricSpecifications", list!(1, 1), None, PREDICTIVE_PAGE;
    CFN_POLICY_PRED_TARGET = CFN_POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].TargetValue", Rule::Number, None, "schema: PredictiveScalingConfiguration";
    CFN_POLICY_PRED_PAIR = CFN_POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].PredefinedMetricPairSpecification.PredefinedMetricType", Rule::OneOf { values: PREDICTIVE_PAIRS }, None, "schema: PredictiveScalingConfiguration";
    CFN_POLICY_PRED_LABEL = CFN_POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].PredefinedMetricPairSpecification.ResourceLabel", text!(1, 1023), Some(Shape::ResourceLabel), LABEL_PAGE;
    CFN_POLICY_PRED_MODE = CFN_POLICY, "PredictiveScalingConfiguration.Mode", Rule::OneOf { values: PREDICTIVE_MODES }, None, PREDICTIVE_PAGE;
    CFN_POLICY_PRED_BUFFER = CFN_POLICY, "PredictiveScalingConfiguration.SchedulingBufferTime", int!(0, 3600), None, PREDICTIVE_PAGE;
    CFN_POLICY_PRED_BREACH = CFN_POLICY, "PredictiveScalingConfiguration.MaxCapacityBreachBehavior", Rule::OneOf { values: BREACH }, None, PREDICTIVE_PAGE;
    CFN_POLICY_PRED_MAX_BUFFER = CFN_POLICY, "PredictiveScalingConfiguration.MaxCapacityBuffer", int!(0, 100), None, PREDICTIVE_PAGE;
    CFN_POLICY_PRED_SCALING_QUERIES = CFN_POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedScalingMetricSpecification.MetricDataQueries", list!(1, 10), None, MATH_PAGE;
    CFN_POLICY_PRED_SCALING_ID = CFN_POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedScalingMetricSpecification.MetricDataQueries[].Id", text!(1, 255), Some(Shape::MetricId), MATH_PAGE;
    CFN_POLICY_PRED_SCALING_RETURN = CFN_POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedScalingMetricSpecification.MetricDataQueries[].ReturnData", Rule::Bool, None, "schema: PredictiveScalingConfiguration";
    CFN_POLICY_PRED_SCALING_NAMESPACE = CFN_POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedScalingMetricSpecification.MetricDataQueries[].MetricStat.Metric.Namespace", text!(1, 255), Some(Shape::Namespace), "model: cloudwatch Namespace";
    CFN_POLICY_PRED_SCALING_METRIC = CFN_POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedScalingMetricSpecification.MetricDataQueries[].MetricStat.Metric.MetricName", text!(1, 255), Some(Shape::MetricName), "model: cloudwatch MetricName";
    CFN_POLICY_PRED_SCALING_DIMENSIONS = CFN_POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedScalingMetricSpecification.MetricDataQueries[].MetricStat.Metric.Dimensions", list!(0, 30), None, "model: cloudwatch Dimensions (at most 30)";
    CFN_POLICY_PRED_SCALING_DIMENSION_NAME = CFN_POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedScalingMetricSpecification.MetricDataQueries[].MetricStat.Metric.Dimensions[].Name", text!(1, 255), Some(Shape::MetricName), "model: cloudwatch DimensionName";
    CFN_POLICY_PRED_SCALING_DIMENSION_VALUE = CFN_POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedScalingMetricSpecification.MetricDataQueries[].MetricStat.Metric.Dimensions[].Value", text!(1, 1024), None, "model: cloudwatch DimensionValue";
    CFN_POLICY_PRED_SCALING_STAT = CFN_POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedScalingMetricSpecification.MetricDataQueries[].MetricStat.Stat", Rule::OneOf { values: STATISTICS }, None, "schema: PredictiveScalingConfiguration";
    CFN_POLICY_PRED_LOAD_QUERIES = CFN_POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedLoadMetricSpecification.MetricDataQueries", list!(1, 10), None, MATH_PAGE;
    CFN_POLICY_PRED_LOAD_ID = CFN_POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedLoadMetricSpecification.MetricDataQueries[].Id", text!(1, 255), Some(Shape::MetricId), MATH_PAGE;
    CFN_POLICY_PRED_LOAD_RETURN = CFN_POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedLoadMetricSpecification.MetricDataQueries[].ReturnData", Rule::Bool, None, "schema: PredictiveScalingConfiguration";
    CFN_POLICY_PRED_LOAD_NAMESPACE = CFN_POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedLoadMetricSpecification.MetricDataQueries[].MetricStat.Metric.Namespace", text!(1, 255), Some(Shape::Namespace), "model: cloudwatch Namespace";
    CFN_POLICY_PRED_LOAD_METRIC = CFN_POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedLoadMetricSpecification.MetricDataQueries[].MetricStat.Metric.MetricName", text!(1, 255), Some(Shape::MetricName), "model: cloudwatch MetricName";
    CFN_POLICY_PRED_LOAD_DIMENSIONS = CFN_POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedLoadMetricSpecification.MetricDataQueries[].MetricStat.Metric.Dimensions", list!(0, 30), None, "model: cloudwatch Dimensions (at most 30)";
    CFN_POLICY_PRED_LOAD_DIMENSION_NAME = CFN_POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedLoadMetricSpecification.MetricDataQueries[].MetricStat.Metric.Dimensions[].Name", text!(1, 255), Some(Shape::MetricName), "model: cloudwatch DimensionName";
    CFN_POLICY_PRED_LOAD_DIMENSION_VALUE = CFN_POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedLoadMetricSpecification.MetricDataQueries[].MetricStat.Metric.Dimensions[].Value", text!(1, 1024), None, "model: cloudwatch DimensionValue";
    CFN_POLICY_PRED_LOAD_STAT = CFN_POLICY, "PredictiveScalingConfiguration.MetricSpecifications[].CustomizedLoadMetricSpecification.MetricDataQueries[].MetricStat.Stat", Rule::OneOf { values: STATISTICS }, None, "schema: PredictiveScalingConfiguration";
    CFN_POLICY_TT_QUERIES = CFN_POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics", list!(2, 11), None, MATH_PAGE;
    CFN_POLICY_TT_QUERY_ID = CFN_POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics[].Id", text!(1, 64), Some(Shape::MetricId), "schema and model: TargetTrackingMetricDataQuery.Id (1-64; CloudWatch's id pattern)";
    CFN_POLICY_TT_QUERY_EXPRESSION = CFN_POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics[].Expression", text!(1, 2047), None, "model: autoscaling XmlStringMaxLen2047";
    CFN_POLICY_TT_QUERY_LABEL = CFN_POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics[].Label", text!(1, 2047), None, "model: autoscaling XmlStringMetricLabel";
    CFN_POLICY_TT_QUERY_RETURN = CFN_POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics[].ReturnData", Rule::Bool, None, "model: autoscaling ReturnData";
    CFN_POLICY_TT_QUERY_NAMESPACE = CFN_POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics[].MetricStat.Metric.Namespace", text!(1, 255), Some(Shape::Namespace), "model: cloudwatch Namespace";
    CFN_POLICY_TT_QUERY_METRIC = CFN_POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics[].MetricStat.Metric.MetricName", text!(1, 255), Some(Shape::MetricName), "model: cloudwatch MetricName";
    CFN_POLICY_TT_QUERY_DIMENSIONS = CFN_POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics[].MetricStat.Metric.Dimensions", list!(0, 30), None, "model: cloudwatch Dimensions (at most 30)";
    CFN_POLICY_TT_QUERY_DIMENSION_NAME = CFN_POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics[].MetricStat.Metric.Dimensions[].Name", text!(1, 255), Some(Shape::MetricName), "model: cloudwatch DimensionName";
    CFN_POLICY_TT_QUERY_DIMENSION_VALUE = CFN_POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics[].MetricStat.Metric.Dimensions[].Value", text!(1, 1024), None, "model: cloudwatch DimensionValue";
    CFN_POLICY_TT_QUERY_STAT = CFN_POLICY, "TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics[].MetricStat.Stat", Rule::OneOf { values: STATISTICS }, None, "model: autoscaling XmlStringMetricStat";
    // AWS::ApplicationAutoScaling::ScalableTarget
    CFN_TARGET_NAMESPACE = CFN_TARGET, "ServiceNamespace", Rule::OneOf { values: AAS_NAMESPACES }, None, "schema: ScalableTarget ServiceNamespace";
    CFN_TARGET_DIMENSION = CFN_TARGET, "ScalableDimension", Rule::OneOf { values: AAS_DIMENSIONS }, None, "schema: ScalableTarget ScalableDimension";
    CFN_TARGET_RESOURCE = CFN_TARGET, "ResourceId", text!(1, 1600), None, AAS_PAGE;
    CFN_TARGET_MIN = CFN_TARGET, "MinCapacity", int!(0, I32), None, AAS_PAGE;
    CFN_TARGET_MAX = CFN_TARGET, "MaxCapacity", int!(0, I32), None, AAS_PAGE;
    CFN_TARGET_TAGS = CFN_TARGET, "Tags", list!(0, 50), None, TAG_PAGE;
    CFN_TARGET_TAG_KEY = CFN_TARGET, "Tags[].Key", text!(1, 128), Some(Shape::TagKey), "model: application-autoscaling TagKey";
    CFN_TARGET_TAG_VALUE = CFN_TARGET, "Tags[].Value", text!(0, 256), None, "model: application-autoscaling TagValue";
    CFN_TARGET_SUSPEND_IN = CFN_TARGET, "SuspendedState.DynamicScalingInSuspended", Rule::Bool, None, "schema: SuspendedState";
    CFN_TARGET_SUSPEND_OUT = CFN_TARGET, "SuspendedState.DynamicScalingOutSuspended", Rule::Bool, None, "schema: SuspendedState";
    CFN_TARGET_SUSPEND_SCHEDULED = CFN_TARGET, "SuspendedState.ScheduledScalingSuspended", Rule::Bool, None, "schema: SuspendedState";
    CFN_TARGET_SCHEDULES = CFN_TARGET, "ScheduledActions", list!(0, 200), None, "https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-limits.html (200 scheduled actions per scalable target)";
    CFN_TARGET_SCHEDULE_NAME = CFN_TARGET, "ScheduledActions[].ScheduledActionName", text!(1, 256), None, AAS_SCHEDULE_PAGE;
    CFN_TARGET_SCHEDULE = CFN_TARGET, "ScheduledActions[].Schedule", text!(1, 1600), None, AAS_SCHEDULE_PAGE;
    CFN_TARGET_SCHEDULE_TZ = CFN_TARGET, "ScheduledActions[].Timezone", text!(1, 1600), Some(Shape::TimeZone), AAS_SCHEDULE_PAGE;
    CFN_TARGET_SCHEDULE_MIN = CFN_TARGET, "ScheduledActions[].ScalableTargetAction.MinCapacity", int!(0, I32), None, AAS_SCHEDULE_PAGE;
    CFN_TARGET_SCHEDULE_MAX = CFN_TARGET, "ScheduledActions[].ScalableTargetAction.MaxCapacity", int!(0, I32), None, AAS_SCHEDULE_PAGE;
    // AWS::ApplicationAutoScaling::ScalingPolicy
    CFN_AAS_POLICY_NAME = CFN_AAS_POLICY, "PolicyName", text!(1, 256), None, AAS_POLICY_PAGE;
    CFN_AAS_POLICY_TYPE = CFN_AAS_POLICY, "PolicyType", Rule::OneOf { values: AAS_POLICY_TYPES }, None, "schema: ScalingPolicy PolicyType";
    CFN_AAS_POLICY_TARGET_ID = CFN_AAS_POLICY, "ScalingTargetId", text!(1, 1600), None, "schema: ScalingPolicy ScalingTargetId (a Ref to the target)";
    CFN_AAS_TT_TARGET = CFN_AAS_POLICY, "TargetTrackingScalingPolicyConfiguration.TargetValue", Rule::Number, None, "schema: TargetTrackingScalingPolicyConfiguration.TargetValue";
    CFN_AAS_TT_PREDEFINED = CFN_AAS_POLICY, "TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType", Rule::OneOf { values: AAS_PREDEFINED }, None, "schema: PredefinedMetricSpecification.PredefinedMetricType";
    CFN_AAS_TT_LABEL = CFN_AAS_POLICY, "TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.ResourceLabel", text!(1, 1023), Some(Shape::ResourceLabel), LABEL_PAGE;
    CFN_AAS_TT_SCALE_IN = CFN_AAS_POLICY, "TargetTrackingScalingPolicyConfiguration.ScaleInCooldown", int!(0, I32), None, "schema: TargetTrackingScalingPolicyConfiguration.ScaleInCooldown (integer)";
    CFN_AAS_TT_SCALE_OUT = CFN_AAS_POLICY, "TargetTrackingScalingPolicyConfiguration.ScaleOutCooldown", int!(0, I32), None, "schema: TargetTrackingScalingPolicyConfiguration.ScaleOutCooldown (integer)";
    CFN_AAS_STEP_ADJUSTMENT_TYPE = CFN_AAS_POLICY, "StepScalingPolicyConfiguration.AdjustmentType", Rule::OneOf { values: ADJUSTMENT_TYPES }, None, "schema: StepScalingPolicyConfiguration.AdjustmentType";
    CFN_AAS_STEP_COOLDOWN = CFN_AAS_POLICY, "StepScalingPolicyConfiguration.Cooldown", int!(0, I32), None, "schema: StepScalingPolicyConfiguration.Cooldown (integer)";
    CFN_AAS_STEP_AGGREGATION = CFN_AAS_POLICY, "StepScalingPolicyConfiguration.MetricAggregationType", Rule::OneOf { values: AGGREGATIONS }, None, "schema: StepScalingPolicyConfiguration.MetricAggregationType";
    CFN_AAS_STEP_MIN_MAGNITUDE = CFN_AAS_POLICY, "StepScalingPolicyConfiguration.MinAdjustmentMagnitude", int!(1, I32), None, "schema: StepScalingPolicyConfiguration.MinAdjustmentMagnitude (integer)";
    CFN_AAS_STEPS = CFN_AAS_POLICY, "StepScalingPolicyConfiguration.StepAdjustments", list!(1, 20), None, AAS_POLICY_PAGE;
    CFN_AAS_STEP_LOWER = CFN_AAS_POLICY, "StepScalingPolicyConfiguration.StepAdjustments[].MetricIntervalLowerBound", Rule::Number, None, "schema: StepAdjustment.MetricIntervalLowerBound";
    CFN_AAS_STEP_UPPER = CFN_AAS_POLICY, "StepScalingPolicyConfiguration.StepAdjustments[].MetricIntervalUpperBound", Rule::Number, None, "schema: StepAdjustment.MetricIntervalUpperBound";
    CFN_AAS_STEP_ADJUSTMENT = CFN_AAS_POLICY, "StepScalingPolicyConfiguration.StepAdjustments[].ScalingAdjustment", int!(-I32 - 1, I32), None, "schema: StepAdjustment.ScalingAdjustment (integer)";
    // AWS::AutoScaling::ScheduledAction
    CFN_SCHEDULE_GROUP = CFN_SCHEDULE, "AutoScalingGroupName", text!(1, 255), Some(Shape::AutoScalingName), "schema: ScheduledAction AutoScalingGroupName";
    CFN_SCHEDULE_RECURRENCE = CFN_SCHEDULE, "Recurrence", text!(1, 255), Some(Shape::Cron), CRON_PAGE;
    CFN_SCHEDULE_TIME_ZONE = CFN_SCHEDULE, "TimeZone", text!(1, 255), Some(Shape::TimeZone), TZ_PAGE;
    CFN_SCHEDULE_MIN = CFN_SCHEDULE, "MinSize", int!(0, I32), None, "schema: ScheduledAction MinSize (integer)";
    CFN_SCHEDULE_MAX = CFN_SCHEDULE, "MaxSize", int!(0, I32), None, "schema: ScheduledAction MaxSize (integer)";
    CFN_SCHEDULE_DESIRED = CFN_SCHEDULE, "DesiredCapacity", int!(0, I32), None, "schema: ScheduledAction DesiredCapacity (integer)";
    // AWS::CloudWatch::Alarm
    CFN_ALARM_NAME = CFN_ALARM, "AlarmName", text!(1, 255), Some(Shape::NoControl), "schema: Alarm AlarmName";
    CFN_ALARM_DESCRIPTION = CFN_ALARM, "AlarmDescription", text!(0, 1024), Some(Shape::NoControl), "schema: Alarm AlarmDescription (including scalec's `[tier]` prefix)";
    CFN_ALARM_ACTIONS = CFN_ALARM, "AlarmActions", list!(0, 5), None, "schema: Alarm AlarmActions (at most 5)";
    CFN_ALARM_ACTION = CFN_ALARM, "AlarmActions[]", text!(1, 1024), None, "schema: Alarm AlarmActions";
    CFN_ALARM_NAMESPACE = CFN_ALARM, "Namespace", text!(1, 255), Some(Shape::Namespace), "schema: Alarm Namespace";
    CFN_ALARM_METRIC = CFN_ALARM, "MetricName", text!(1, 255), Some(Shape::MetricName), "schema: Alarm MetricName";
    CFN_ALARM_DIMENSIONS = CFN_ALARM, "Dimensions", list!(0, 30), None, "schema: Alarm Dimensions";
    CFN_ALARM_DIMENSION_NAME = CFN_ALARM, "Dimensions[].Name", text!(1, 255), Some(Shape::MetricName), "schema: Dimension.Name";
    CFN_ALARM_DIMENSION_VALUE = CFN_ALARM, "Dimensions[].Value", text!(1, 1024), None, "schema: Dimension.Value";
    CFN_ALARM_STATISTIC = CFN_ALARM, "Statistic", Rule::OneOf { values: STATISTICS }, None, "schema: Alarm Statistic";
    CFN_ALARM_PERIOD = CFN_ALARM, "Period", int!(10, 604_800), Some(Shape::AlarmPeriod), PERIOD_PAGE;
    CFN_ALARM_EVALUATE = CFN_ALARM, "EvaluationPeriods", int!(1, 8640), None, PERIOD_PAGE;
    CFN_ALARM_DATAPOINTS = CFN_ALARM, "DatapointsToAlarm", int!(1, 8640), None, "schema: Alarm DatapointsToAlarm";
    CFN_ALARM_THRESHOLD = CFN_ALARM, "Threshold", Rule::Number, None, "schema: Alarm Threshold";
    CFN_ALARM_COMPARISON = CFN_ALARM, "ComparisonOperator", Rule::OneOf { values: COMPARISONS }, None, "schema: Alarm ComparisonOperator";
    CFN_ALARM_MISSING = CFN_ALARM, "TreatMissingData", Rule::OneOf { values: MISSING_DATA }, None, "schema: Alarm TreatMissingData";
    CFN_ALARM_QUERIES = CFN_ALARM, "Metrics", list!(2, 11), None, MATH_PAGE;
    CFN_ALARM_QUERY_ID = CFN_ALARM, "Metrics[].Id", text!(1, 255), Some(Shape::MetricId), MATH_PAGE;
    CFN_ALARM_QUERY_EXPRESSION = CFN_ALARM, "Metrics[].Expression", text!(1, 2048), None, "schema: MetricDataQuery.Expression";
    CFN_ALARM_QUERY_LABEL = CFN_ALARM, "Metrics[].Label", text!(1, 2048), None, "schema: MetricDataQuery.Label";
    CFN_ALARM_QUERY_RETURN = CFN_ALARM, "Metrics[].ReturnData", Rule::Bool, None, "schema: MetricDataQuery.ReturnData";
    CFN_ALARM_QUERY_NAMESPACE = CFN_ALARM, "Metrics[].MetricStat.Metric.Namespace", text!(1, 255), Some(Shape::Namespace), "schema: Metric.Namespace";
    CFN_ALARM_QUERY_METRIC = CFN_ALARM, "Metrics[].MetricStat.Metric.MetricName", text!(1, 255), Some(Shape::MetricName), "schema: Metric.MetricName";
    CFN_ALARM_QUERY_DIMENSIONS = CFN_ALARM, "Metrics[].MetricStat.Metric.Dimensions", list!(0, 30), None, "schema: Metric.Dimensions";
    CFN_ALARM_QUERY_DIMENSION_NAME = CFN_ALARM, "Metrics[].MetricStat.Metric.Dimensions[].Name", text!(1, 255), Some(Shape::MetricName), "schema: Dimension.Name";
    CFN_ALARM_QUERY_DIMENSION_VALUE = CFN_ALARM, "Metrics[].MetricStat.Metric.Dimensions[].Value", text!(1, 1024), None, "schema: Dimension.Value";
    CFN_ALARM_QUERY_PERIOD = CFN_ALARM, "Metrics[].MetricStat.Period", int!(10, 604_800), Some(Shape::AlarmPeriod), PERIOD_PAGE;
    CFN_ALARM_QUERY_STAT = CFN_ALARM, "Metrics[].MetricStat.Stat", Rule::OneOf { values: STATISTICS }, None, "schema: MetricStat.Stat";
    // AWS::CloudWatch::Dashboard
    CFN_DASHBOARD_NAME = CFN_DASHBOARD, "DashboardName", text!(1, 255), Some(Shape::Word), DASHBOARD_PAGE;
    CFN_DASHBOARD_BODY = CFN_DASHBOARD, "DashboardBody", Rule::Json, None, "schema: Dashboard DashboardBody (a JSON document; here an Fn::Sub)";
    // AWS::SNS::Topic
    CFN_TOPIC_NAME = CFN_TOPIC, "TopicName", text!(1, 256), Some(Shape::Word), TOPIC_PAGE;
    CFN_TOPIC_DISPLAY_NAME = CFN_TOPIC, "DisplayName", text!(0, 100), None, TOPIC_ATTRIBUTES_PAGE;
    CFN_TOPIC_SUBSCRIPTIONS = CFN_TOPIC, "Subscription", list!(0, 100), None, "schema: Topic Subscription";
    CFN_TOPIC_PROTOCOL = CFN_TOPIC, "Subscription[].Protocol", Rule::OneOf { values: PROTOCOLS }, None, "schema: Subscription.Protocol";
    CFN_TOPIC_ENDPOINT = CFN_TOPIC, "Subscription[].Endpoint", text!(1, 2048), Some(Shape::Endpoint), "schema: Subscription.Endpoint";
    CFN_TOPIC_TAGS = CFN_TOPIC, "Tags", list!(0, 50), None, TAG_PAGE;
    CFN_TOPIC_TAG_KEY = CFN_TOPIC, "Tags[].Key", text!(1, 128), Some(Shape::TagKey), "schema: Topic Tag.Key";
    CFN_TOPIC_TAG_VALUE = CFN_TOPIC, "Tags[].Value", text!(0, 256), None, "schema: Topic Tag.Value";
    // The template itself.
    CFN_LOGICAL_ID = CFN_TEMPLATE, "Resources.<logical ID>", text!(1, 255), Some(Shape::LogicalId), LOGICAL_ID_PAGE;
    CFN_STACK_NAME = CFN_TEMPLATE, "<stack name>", text!(1, 128), None, "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html (StackName: a letter, then letters, digits and hyphens; at most 128)";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_api_and_field_has_one_row() {
        let mut seen = std::collections::BTreeSet::new();
        for r in TABLE {
            assert!(
                seen.insert((r.api, r.field)),
                "two rows for {} {}",
                r.api,
                r.field
            );
            assert!(!r.source.is_empty());
        }
    }

    #[test]
    fn rows_judge_values() {
        assert!(ALARM_DESCRIPTION.check(&serde_json::json!("ok")).is_ok());
        let long = "é".repeat(1025);
        assert!(ALARM_DESCRIPTION.check(&serde_json::json!(long)).is_err());
        // Characters, not bytes: 1024 two-byte characters fit.
        assert!(
            ALARM_DESCRIPTION
                .check(&serde_json::json!("é".repeat(1024)))
                .is_ok()
        );
        assert!(
            ASG_MIN_SIZE
                .check(&serde_json::json!(2_147_483_648u64))
                .is_err()
        );
        assert!(CFN_ASG_MIN_SIZE.check(&serde_json::json!("7")).is_ok());
        assert!(ALARM_PERIOD.check(&serde_json::json!(45)).is_err());
        assert!(
            CFN_ASG_NAME
                .check(&serde_json::json!({ "Ref": "X" }))
                .is_ok()
        );
    }

    #[test]
    fn arns_are_taken_apart() {
        let tg =
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/api/73e2d6bc24d8a067";
        assert_eq!(
            parse_elb_arn(tg),
            Some(ElbArn {
                kind: ElbKind::TargetGroup,
                region: "eu-west-1"
            })
        );
        assert!(parse_elb_arn("arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/-api/73e2d6bc24d8a067").is_none());
        assert!(
            parse_elb_arn(
                "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/api/73e2d6"
            )
            .is_none()
        );
        assert!(
            parse_elb_arn(
                "arn:aws:elasticloadbalancing:moon-1:123456789012:targetgroup/api/73e2d6bc24d8a067"
            )
            .is_none()
        );
        assert!(hex_id("subnet-0123abcd", "subnet-", &[8, 17]));
        assert!(!hex_id("subnet-0123abcde", "subnet-", &[8, 17]));
        assert!(!hex_id("lt-0123456789ABCDEF0", "lt-", &[17]));
    }
}
