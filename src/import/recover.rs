//! From an evaluated template to a spec: each Auto Scaling, CloudWatch and
//! SNS resource becomes the spec item that builds it back, metrics are
//! matched against the std-lib, thresholds and step bounds go back to
//! absolute values in the metric's unit, and names scalec would derive
//! are left out. Every resource gets an entry saying what became of it.

use super::items::{group_items, source_position};
use super::template::{Resource, Template};
use super::text::{as_f64, as_u32, duration, quote, snake, tag_key};
use crate::check::MetricDef;
use crate::diagnostic::Diagnostic;
use crate::kinds::group::{EVENTS, GROUP_METRICS, TERMINATION};
use serde_json::Value as Json;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// What became of one resource.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Entry {
    /// Logical id.
    pub id: String,
    /// Resource type.
    #[serde(rename = "type")]
    pub ty: String,
    /// `group web`, `policy web/cpu`, or why it was left out.
    pub became: String,
    /// Whether it is in the spec.
    pub imported: bool,
    /// Where the resource is in its template (live imports have none).
    #[serde(skip)]
    pub span: Option<crate::source::Span>,
}

/// Names the template can't tell.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The app, if the template doesn't say (scalec's templates do).
    pub app: Option<String>,
    /// The environment, likewise.
    pub env: Option<String>,
    /// Write every value, defaults and derived names included (what
    /// merging environments compares).
    pub explicit: bool,
    /// The environment's region, when known (a live import).
    pub region: Option<String>,
    /// The environment's account, when a live import checked it: written
    /// into the environment, so every later command checks it too.
    pub account: Option<String>,
    /// The role a live import assumed, written into the environment.
    pub role: Option<String>,
}

/// The spec, and what became of every resource.
#[derive(Debug, Clone)]
pub struct Recovered {
    /// The spec's text.
    pub text: String,
    /// One entry per resource, in template order.
    pub entries: Vec<Entry>,
    /// What the spec has that the template doesn't, and why.
    pub added: Vec<String>,
    /// Each param of the spec and what it stands for in the template:
    /// `{"Parameter": id}`, `{"Ref": id}` or `{"Fn::GetAtt": [id, attr]}`.
    pub params: Vec<(String, Json)>,
}

pub(super) struct Param {
    pub(super) name: String,
    pub(super) used: bool,
    pub(super) ty: Option<String>,
    pub(super) list: bool,
    pub(super) default: Option<Json>,
}

struct GroupOut {
    local: String,
    body: String,
}

pub(super) struct Cx<'a> {
    pub(super) t: &'a Template,
    pub(super) app: String,
    pub(super) env: String,
    pub(super) region: Option<String>,
    pub(super) account: Option<String>,
    pub(super) role: Option<String>,
    pub(super) params: BTreeMap<String, Param>,
    pub(super) param_order: Vec<String>,
    /// The std-lib's metrics; shared, so a lookup that calls back into the
    /// context doesn't copy them.
    pub(super) std: std::rc::Rc<Vec<MetricDef>>,
    pub(super) custom: BTreeMap<String, String>,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) entries: BTreeMap<String, Entry>,
    pub(super) topics: HashMap<String, String>,
    pub(super) groups: HashMap<String, (String, String)>,
    /// Resources outside scalec taken as params: logical id -> param.
    pub(super) outside: BTreeMap<String, Vec<String>>,
    /// Tier topics the spec needs that the template doesn't have.
    pub(super) tier_topics: std::collections::BTreeSet<String>,
    /// Resources whose names the spec can't keep: what they would become.
    pub(super) renames: Vec<String>,
    /// Lookups built once, so a large template imports in linear time.
    pub(super) index: Index,
    /// A group's spec name -> its logical id.
    pub(super) group_ids: HashMap<String, String>,
    /// [`Options::explicit`].
    pub(super) explicit: bool,
    /// The resource id parts of the scalable target being recovered:
    /// its metrics' `target.PART` dimensions match these values.
    pub(super) target_parts: Vec<(String, Json)>,
}

/// Who acts on whom, found in one pass over the resources.
#[derive(Default)]
pub(super) struct Index {
    /// Group id -> indices of resources whose `AutoScalingGroupName` is a
    /// `Ref` to it.
    by_group: HashMap<String, Vec<usize>>,
    /// Policy id -> index of the alarm whose actions name it.
    pub(super) alarm_of: HashMap<String, usize>,
    /// Group id -> indices of the alarms and dashboards that belong to it.
    pub(super) owned: HashMap<String, Vec<usize>>,
    /// Tags every scalec resource carries besides its own.
    pub(super) env_tags: BTreeMap<String, String>,
}

/// Recovers the spec of `t`.
pub fn recover(t: &Template, opts: &Options) -> Result<Recovered, (Vec<Diagnostic>, Vec<Entry>)> {
    let (app, env) = names_of(t, opts);
    let mut cx = Cx {
        t,
        app,
        env,
        region: None,
        account: opts.account.clone(),
        role: opts.role.clone(),
        params: BTreeMap::new(),
        param_order: Vec::new(),
        std: std::rc::Rc::new(crate::check::std_metric_defs()),
        custom: BTreeMap::new(),
        diags: Vec::new(),
        entries: BTreeMap::new(),
        topics: HashMap::new(),
        groups: HashMap::new(),
        outside: BTreeMap::new(),
        tier_topics: Default::default(),
        renames: Vec::new(),
        index: Index::default(),
        group_ids: HashMap::new(),
        explicit: opts.explicit,
        target_parts: Vec::new(),
    };
    cx.region = opts.region.clone();
    read_params(&mut cx);
    // Names first: topics and groups are referred to by the rest.
    name_topics_and_groups(&mut cx);
    cx.group_ids = cx
        .groups
        .iter()
        .map(|(id, (local, _))| (local.clone(), id.clone()))
        .collect();
    tier_topics_by_alarms(&mut cx);
    cx.index = build_index(&cx);
    // Before the groups claim alarms: a target's take its own.
    let targets = super::scalable::recover_targets(&mut cx);
    cx.index.owned = owned_index(&cx);
    let topics = recover_topics(&mut cx);
    let groups = recover_groups(&mut cx);
    note_left_out(&mut cx);
    // A scaling resource no group took is refused, never dropped.
    for r in &t.resources {
        let attachable = r.ty.starts_with("AWS::AutoScaling::")
            || r.ty.starts_with("AWS::ApplicationAutoScaling::")
            || r.ty == "AWS::CloudWatch::Alarm";
        if attachable && !cx.entries.contains_key(&r.id) && cx.diags.is_empty() {
            cx.refuse(
                r,
                "scalec can't tell which group this belongs to".into(),
                "scalec's policies, hooks, schedules and alarms belong to a group: give the alarm the group's `AutoScalingGroupName` dimension (or one of its load balancer's or target group's), or keep it outside scalec",
            );
        }
    }
    let entries = entries_in_order(&mut cx);
    if !cx.diags.is_empty() {
        return Err((cx.diags, entries));
    }
    let text = write(&cx, &topics, &groups, &targets);
    let added = cx
        .tier_topics
        .iter()
        .map(|t| format!("topic {t}: alarms of tier `{t}` notify a topic of that name; it is new, with no subscriptions"))
        .chain(cx.renames.iter().cloned())
        .collect();
    Ok(Recovered {
        text,
        entries,
        added,
        params: used_params(&cx),
    })
}

/// The template's parameters as the spec's params: the name and type
/// scalec wrote in a description, else from the id and CloudFormation's
/// type.
fn read_params(cx: &mut Cx) {
    let t = cx.t;
    for p in &t.params {
        let (name, ty, list) = scalec_param(p.description.as_deref())
            .map(|(n, ty, list)| (n, Some(ty), list))
            .unwrap_or_else(|| {
                let (ty, list) = cfn_param_type(&p.ty);
                (snake(&p.id), ty, list)
            });
        cx.param_order.push(p.id.clone());
        cx.params.insert(
            p.id.clone(),
            Param {
                name,
                used: false,
                ty,
                list,
                default: p.default.clone(),
            },
        );
    }
}

/// Each topic's and group's name in the spec (and a group's AWS name),
/// with a rename said for a name CloudFormation generated.
fn name_topics_and_groups(cx: &mut Cx) {
    let t = cx.t;
    for r in &t.resources {
        match r.ty.as_str() {
            "AWS::SNS::Topic" => {
                // A derived name says the topic's spec name.
                let derived = concrete_name(t, &r.props["TopicName"]).and_then(|n| {
                    n.strip_prefix(&format!("{}-{}-", cx.app, cx.env))
                        .map(snake)
                });
                let local = derived.unwrap_or_else(|| local_name(r, "Topic", &["Topic"]));
                if concrete_name(t, &r.props["TopicName"]).is_none() {
                    cx.renames.push(format!(
                        "rename: topic {local} has a name CloudFormation generated; scalec names it `{}-{}-{local}`, a new topic (subscribers confirm again)",
                        cx.app, cx.env
                    ));
                }
                cx.topics.insert(r.id.clone(), local);
            }
            "AWS::AutoScaling::AutoScalingGroup" => {
                let local =
                    tag(&r.props, "group").unwrap_or_else(|| local_name(r, "", &["Group", "ASG"]));
                if concrete_name(t, &r.props["AutoScalingGroupName"]).is_none() {
                    cx.renames.push(format!(
                        "rename: group {local} has a name CloudFormation generated; scalec names it `{}-{}-{local}`, a new group (a rename replaces a group)",
                        cx.app, cx.env
                    ));
                }
                let physical = concrete_name(t, &r.props["AutoScalingGroupName"])
                    .unwrap_or_else(|| format!("{}-{}-{local}", cx.app, cx.env));
                cx.groups.insert(r.id.clone(), (local, physical));
            }
            _ => {}
        }
    }
}

/// The groups, in the order the template has them; a group that can't
/// be read and said nothing is refused.
fn recover_groups(cx: &mut Cx) -> Vec<GroupOut> {
    let mut groups: Vec<GroupOut> = Vec::new();
    let t = cx.t;
    let mut in_order: Vec<&Resource> = t.resources.iter().collect();
    in_order.sort_by_key(|r| source_position(r));
    for r in in_order {
        if r.ty == "AWS::AutoScaling::AutoScalingGroup" {
            let before = cx.diags.len();
            match recover_group(cx, r) {
                Some(g) => groups.push(g),
                None if cx.diags.len() == before => cx.refuse(
                    r,
                    "properties scalec can't read (a missing or malformed value)".into(),
                    "compare the group with the CloudFormation documentation of AWS::AutoScaling::AutoScalingGroup",
                ),
                None => {}
            }
        }
    }
    groups
}

/// The entries of what the spec leaves out on purpose: resources whose
/// condition is false, and resources outside scaling that it takes as
/// params.
fn note_left_out(cx: &mut Cx) {
    let t = cx.t;
    for s in &t.skipped {
        cx.entries.insert(
            s.id.clone(),
            Entry {
                id: s.id.clone(),
                ty: s.ty.clone(),
                became: format!(
                    "left out: its condition `{}` is false with the parameters' defaults",
                    s.condition
                ),
                imported: false,
                span: Some(s.span),
            },
        );
    }
    for (id, params) in &cx.outside {
        let param = params
            .iter()
            .map(|p| format!("`param.{p}`"))
            .collect::<Vec<_>>()
            .join(" and ");
        if let Some(r) = t.resources.iter().find(|r| &r.id == id) {
            cx.entries.insert(
                id.clone(),
                Entry {
                    id: id.clone(),
                    ty: r.ty.clone(),
                    became: format!(
                        "left out: not a scaling resource; the spec takes it as {param}"
                    ),
                    imported: false,
                    span: Some(r.span),
                },
            );
        }
    }
}

/// Every resource's entry (left out, where nothing else said what became
/// of it), in the template's order.
fn entries_in_order(cx: &mut Cx) -> Vec<Entry> {
    let t = cx.t;
    for r in &t.resources {
        cx.entries.entry(r.id.clone()).or_insert_with(|| Entry {
            id: r.id.clone(),
            ty: r.ty.clone(),
            became: if r.ty.starts_with("AWS::AutoScaling::")
                || r.ty.starts_with("AWS::CloudWatch::")
                || r.ty.starts_with("AWS::SNS::")
            {
                "left out: not attached to a group scalec imports".into()
            } else {
                "left out: not an Auto Scaling, alarm, topic or dashboard resource".into()
            },
            imported: false,
            span: Some(r.span),
        });
    }
    let order: Vec<String> = t
        .skipped
        .iter()
        .map(|s| s.id.clone())
        .chain(t.resources.iter().map(|r| r.id.clone()))
        .collect();
    let mut entries: Vec<Entry> = Vec::new();
    for id in order {
        if let Some(e) = cx.entries.remove(&id) {
            entries.push(e);
        }
    }
    let position: HashMap<&str, usize> = t
        .resources
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    entries.sort_by_key(|e| position.get(e.id.as_str()).copied().unwrap_or(usize::MAX));
    entries
}

/// The params the spec uses, each with where the template had its value.
fn used_params(cx: &Cx) -> Vec<(String, Json)> {
    cx.param_order
        .iter()
        .filter_map(|key| {
            let p = cx.params.get(key).filter(|p| p.used)?;
            let from = if cx.t.params.iter().any(|x| &x.id == key) {
                serde_json::json!({ "Parameter": key })
            } else if let Some((id, attr)) = key.split_once('.') {
                serde_json::json!({ "Fn::GetAtt": [id, attr] })
            } else {
                serde_json::json!({ "Ref": key })
            };
            Some((p.name.clone(), from))
        })
        .collect()
}

/// A name as deployed: a string, or a join of strings and parameters
/// with defaults.
pub(super) fn concrete_name(t: &Template, v: &Json) -> Option<String> {
    if let Some(s) = v.as_str() {
        return Some(s.to_string());
    }
    let j = v.get("Fn::Join")?.as_array()?;
    let sep = j.first()?.as_str()?;
    let mut parts = Vec::new();
    for p in j.get(1)?.as_array()? {
        match p {
            Json::String(s) => parts.push(s.clone()),
            other => {
                let id = other.get("Ref")?.as_str()?;
                let d = t.params.iter().find(|x| x.id == id)?.default.clone()?;
                parts.push(d.as_str()?.to_string());
            }
        }
    }
    Some(parts.join(sep))
}

/// App and environment: the template's description (`APP ENV: ...`) or
/// tags, else the options, else `imported` / `production`.
fn names_of(t: &Template, opts: &Options) -> (String, String) {
    let from_tags = t
        .resources
        .iter()
        .find_map(|r| Some((tag(&r.props, "app")?, tag(&r.props, "env")?)));
    let (app, env) = match from_tags {
        Some(x) => (Some(x.0), Some(x.1)),
        None => (None, None),
    };
    (
        opts.app
            .clone()
            .or(app)
            .unwrap_or_else(|| "imported".into()),
        opts.env
            .clone()
            .or(env)
            .unwrap_or_else(|| "production".into()),
    )
}

/// A tag's value from `Tags` (a list of Key/Value or a map).
pub(super) fn tag(props: &Json, key: &str) -> Option<String> {
    match &props["Tags"] {
        Json::Array(a) => a
            .iter()
            .find(|t| t["Key"] == key)
            .and_then(|t| t["Value"].as_str())
            .map(str::to_string),
        Json::Object(m) => m.get(key).and_then(Json::as_str).map(str::to_string),
        _ => None,
    }
}

/// `scalec param `x` (list<subnet_id>)` in a scalec template.
fn scalec_param(desc: Option<&str>) -> Option<(String, String, bool)> {
    let d = desc?.strip_prefix("scalec param `")?;
    let (name, rest) = d.split_once("` (")?;
    let ty = rest.strip_suffix(')')?;
    match ty.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
        Some(inner) => Some((name.to_string(), inner.to_string(), true)),
        None => Some((name.to_string(), ty.to_string(), false)),
    }
}

/// A CloudFormation parameter type as a spec param type, when it says.
fn cfn_param_type(ty: &str) -> (Option<String>, bool) {
    let (inner, list) = match ty.strip_prefix("List<").and_then(|t| t.strip_suffix('>')) {
        Some(i) => (i, true),
        None => (ty, false),
    };
    let t = match inner {
        "AWS::EC2::Subnet::Id" => Some("subnet_id"),
        "AWS::EC2::SecurityGroup::Id" => Some("security_group_id"),
        "AWS::EC2::VPC::Id" => Some("vpc_id"),
        "Number" => Some("number"),
        "CommaDelimitedList" => return (Some("string".into()), true),
        _ => None,
    };
    (t.map(str::to_string), list)
}

/// A spec name from a resource: its scalec metadata item, else its
/// logical id without `prefix`, `suffixes` and a CDK hash, in snake case.
pub(super) fn local_name(r: &Resource, prefix: &str, suffixes: &[&str]) -> String {
    if let Some(item) = r.metadata["scalec"]["item"].as_str()
        && let Some(last) = item.rsplit(" / ").next()
        && let Some((_, name)) = last.split_once(' ')
    {
        return name.to_string();
    }
    let mut id = r.id.as_str();
    // CDK appends 8 hex digits of a hash.
    if id.len() > 8 {
        let (head, tail) = id.split_at(id.len() - 8);
        if tail
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase())
        {
            id = head;
        }
    }
    id = id.strip_prefix(prefix).unwrap_or(id);
    for s in suffixes {
        if let Some(x) = id.strip_suffix(s)
            && !x.is_empty()
        {
            id = x;
        }
    }
    snake(id)
}

fn recover_topics(cx: &mut Cx) -> Vec<String> {
    let mut out = Vec::new();
    let t = cx.t;
    let mut topics: Vec<&Resource> = t
        .resources
        .iter()
        .filter(|r| r.ty == "AWS::SNS::Topic")
        .collect();
    topics.sort_by_key(|r| source_position(r));
    for r in topics {
        let local = cx.topics.get(&r.id).cloned().unwrap_or_default();
        let mut body = String::new();
        if let Some(name) = concrete_name(t, &r.props["TopicName"])
            && (cx.explicit || name != format!("{}-{}-{local}", cx.app, cx.env))
        {
            let _ = writeln!(body, "  name = {}", quote(&name));
        }
        if !r.props["DisplayName"].is_null()
            && let Some(v) = cx.value(r, &r.props["DisplayName"], Some("string"))
        {
            let _ = writeln!(body, "  display_name = {v}");
        }
        // Subscriptions in the topic, and `AWS::SNS::Subscription`s of it.
        let separate: Vec<Resource> = t
            .resources
            .iter()
            .filter(|x| {
                x.ty == "AWS::SNS::Subscription"
                    && x.props["TopicArn"].get("Ref").and_then(Json::as_str) == Some(r.id.as_str())
            })
            .cloned()
            .collect();
        for x in &separate {
            cx.record(x, format!("a subscription of topic {local}"));
        }
        let subs = r.props["Subscription"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .chain(separate.iter().map(|x| x.props.clone()));
        for s in subs {
            let proto = s["Protocol"].as_str().unwrap_or_default().to_string();
            let ty = match proto.as_str() {
                "email" => "email",
                "https" | "http" => "url",
                "sqs" => "queue_arn",
                "lambda" => "function_arn",
                _ => {
                    cx.refuse(
                        r,
                        format!("a `{proto}` subscription"),
                        "scalec topics take email, https, sqs and lambda subscriptions",
                    );
                    continue;
                }
            };
            let key = if proto == "http" {
                "https"
            } else {
                proto.as_str()
            };
            if let Some(v) = cx.value(r, &s["Endpoint"], Some(ty)) {
                let _ = writeln!(body, "  {key} = {v}");
            }
        }
        let keys: Vec<&String> = r
            .props
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        if let Some(k) = keys.iter().find(|k| {
            !matches!(
                k.as_str(),
                "TopicName" | "DisplayName" | "Subscription" | "Tags"
            )
        }) {
            cx.refuse(
                r,
                format!("topic property `{k}`"),
                "scalec topics have a name, a display name and subscriptions",
            );
        }
        cx.record(r, format!("topic {local}"));
        out.push(if body.is_empty() {
            format!("topic {local} {{}}\n")
        } else {
            format!("topic {local} {{\n{body}}}\n")
        });
    }
    out
}

/// Group properties scalec writes from the spec; anything else is refused.
const GROUP_PROPS: &[&str] = &[
    "AutoScalingGroupName",
    "MinSize",
    "MaxSize",
    "DesiredCapacity",
    "VPCZoneIdentifier",
    "LaunchTemplate",
    "TargetGroupARNs",
    "HealthCheckType",
    "HealthCheckGracePeriod",
    "DefaultInstanceWarmup",
    "Cooldown",
    "MetricsCollection",
    "TerminationPolicies",
    "Tags",
    "NotificationConfigurations",
    "MixedInstancesPolicy",
    "CapacityRebalance",
    "InstanceMaintenancePolicy",
    "NewInstancesProtectedFromScaleIn",
    "CapacityReservationSpecification",
    "AvailabilityZoneDistribution",
    "LifecycleHookSpecificationList",
    // Not CloudFormation: the live account's suspended processes.
    "SuspendedProcesses",
];

/// Tags scalec sets itself.
fn reserved_tag(k: &str) -> bool {
    matches!(k, "app" | "env" | "group" | "managed-by") || k.starts_with("scalec:")
}

/// A group's body in the spec: its name, launch template, placement,
/// capacity, health check, timings, metrics, termination policies, tags,
/// fleet settings and notifications, then its items. `None` when a part
/// of it is refused.
fn recover_group(cx: &mut Cx, r: &Resource) -> Option<GroupOut> {
    let (local, physical) = cx.groups.get(&r.id).cloned()?;
    let p = &r.props;
    let mut b = String::new();
    if let Some(k) = p
        .as_object()
        .and_then(|m| m.keys().find(|k| !GROUP_PROPS.contains(&k.as_str())))
    {
        cx.refuse(
            r,
            format!("group property `{k}` isn't imported yet"),
            "scalec import reads a group's sizes, launch template, subnets, target groups, health check, warm-up, cooldown, metrics, termination policies, tags and notifications; the fleet settings come next",
        );
        return None;
    }
    refuse_deploy_policies(cx, r);
    if cx.explicit || physical != format!("{}-{}-{local}", cx.app, cx.env) {
        let _ = writeln!(b, "  name = {}", quote(&physical));
    }
    launch_placement_and_capacity(cx, r, &mut b)?;
    health_and_timing(cx, p, &mut b);
    metrics_and_termination(p, &mut b);
    own_tags(cx, p, &mut b);
    let fleet = super::fleet::group_lines(cx, r)?;
    b.push_str(&fleet);
    notifications(cx, r, &mut b)?;
    cx.record(r, format!("group {local}"));
    let gid = r.id.clone();
    let items = group_items(cx, &gid, &local);
    b.push_str(&items);
    Some(GroupOut { local, body: b })
}

/// Refuses CloudFormation's own ways of replacing instances on a deploy
/// (scalec's is `refresh`, `AutoScalingInstanceRefresh`) and a creation
/// policy; the group's items are read on, so each refusal is said.
fn refuse_deploy_policies(cx: &mut Cx, r: &Resource) {
    for (k, help) in [
        (
            "AutoScalingRollingUpdate",
            "scalec replaces instances with an instance refresh: write `refresh = { healthy = 90%..110% }` (the CDK's `UpdatePolicy.instanceRefresh()`), or keep this group outside scalec",
        ),
        (
            "AutoScalingReplacingUpdate",
            "scalec replaces instances with an instance refresh, never the whole group: write `refresh = { ... }`, or keep this group outside scalec",
        ),
    ] {
        if !r.update_policy[k].is_null() {
            cx.refuse(r, format!("the update policy `{k}`"), help);
        }
    }
    if !r.creation_policy.is_null() {
        cx.refuse(
            r,
            "a creation policy (`CreationPolicy`: instances signal CloudFormation)".into(),
            "scalec doesn't wait for signals; a launch lifecycle hook holds new instances until they are ready",
        );
    }
}

/// The group's launch template, subnets, target groups, capacity and
/// desired capacity; `None` when one is refused.
fn launch_placement_and_capacity(cx: &mut Cx, r: &Resource, b: &mut String) -> Option<()> {
    let p = &r.props;
    let lt = match p.get("MixedInstancesPolicy") {
        Some(m) => &m["LaunchTemplate"]["LaunchTemplateSpecification"],
        None => &p["LaunchTemplate"],
    };
    if lt.is_null() {
        cx.refuse(
            r,
            "a group without a launch template".into(),
            "scalec groups launch from a launch template",
        );
        return None;
    }
    for (k, v) in super::fleet::template_spec(cx, r, lt)? {
        let _ = writeln!(b, "  {k} = {v}");
    }
    let subnets = cx.list(r, &p["VPCZoneIdentifier"], Some("subnet_id"))?;
    let _ = writeln!(b, "  subnets = {subnets}");
    if !p["TargetGroupARNs"].is_null() {
        let tgs = cx.list(r, &p["TargetGroupARNs"], Some("target_group_arn"))?;
        let _ = writeln!(b, "  target_groups = {tgs}");
    }
    let (min, max) = (as_u32(&p["MinSize"]), as_u32(&p["MaxSize"]));
    let (Some(min), Some(max)) = (min, max) else {
        cx.refuse(
            r,
            "sizes that aren't numbers".into(),
            "give MinSize and MaxSize as numbers",
        );
        return None;
    };
    let _ = writeln!(b, "  capacity = {min}..{max}");
    if let Some(d) = as_u32(&p["DesiredCapacity"])
        && (cx.explicit || d != min)
    {
        let _ = writeln!(b, "  desired = {d}");
    }
    Some(())
}

/// The group's health check (unless AWS's default), warmup and cooldown.
fn health_and_timing(cx: &Cx, p: &Json, b: &mut String) {
    let hc = p["HealthCheckType"].as_str().unwrap_or("EC2");
    // AWS's default when a template leaves it out.
    let grace = as_f64(&p["HealthCheckGracePeriod"]).unwrap_or(0.0);
    if cx.explicit || hc != "EC2" || grace != 300.0 {
        let _ = writeln!(
            b,
            "  health_check = {} {{ grace = {} }}",
            hc.to_lowercase(),
            duration(grace)
        );
    }
    if let Some(w) = as_f64(&p["DefaultInstanceWarmup"]) {
        let _ = writeln!(b, "  warmup = {}", duration(w));
    }
    if let Some(c) = as_f64(&p["Cooldown"]) {
        let _ = writeln!(b, "  cooldown = {}", duration(c));
    }
}

/// The group metrics it collects and its termination policies, in the
/// spec's words.
fn metrics_and_termination(p: &Json, b: &mut String) {
    if let Some(m) = p["MetricsCollection"].as_array().and_then(|a| a.first()) {
        let names: Vec<&str> = m["Metrics"]
            .as_array()
            .map(|a| a.iter().filter_map(Json::as_str).collect())
            .unwrap_or_default();
        if names.is_empty() || names.len() == GROUP_METRICS.len() {
            let _ = writeln!(b, "  metrics = all");
        } else {
            let words: Vec<&str> = names
                .iter()
                .filter_map(|n| GROUP_METRICS.iter().find(|(_, a)| a == n).map(|(w, _)| *w))
                .collect();
            let _ = writeln!(b, "  metrics = [{}]", words.join(", "));
        }
    }
    if let Some(t) = p["TerminationPolicies"].as_array() {
        let words: Vec<&str> = t
            .iter()
            .filter_map(Json::as_str)
            .filter_map(|n| TERMINATION.iter().find(|(_, a)| *a == n).map(|(w, _)| *w))
            .collect();
        let _ = writeln!(b, "  termination = [{}]", words.join(", "));
    }
}

/// The group's own tags: not scalec's, nor the environment's.
fn own_tags(cx: &Cx, p: &Json, b: &mut String) {
    let env_tags = &cx.index.env_tags;
    let own: Vec<(String, String)> = match &p["Tags"] {
        Json::Array(a) => a
            .iter()
            .filter_map(|t| {
                Some((
                    t["Key"].as_str()?.to_string(),
                    t["Value"].as_str()?.to_string(),
                ))
            })
            .filter(|(k, v)| !reserved_tag(k) && env_tags.get(k) != Some(v))
            .collect(),
        _ => vec![],
    };
    if !own.is_empty() {
        let items: Vec<String> = own
            .iter()
            .map(|(k, v)| format!("{} = {}", tag_key(k), quote(v)))
            .collect();
        let _ = writeln!(b, "  tags = {{ {} }}", items.join(", "));
    }
}

/// The group's notifications, each to a topic of the template; `None`
/// when one goes elsewhere.
fn notifications(cx: &mut Cx, r: &Resource, b: &mut String) -> Option<()> {
    let Some(ns) = r.props["NotificationConfigurations"].as_array() else {
        return Some(());
    };
    let _ = writeln!(b);
    for n in ns {
        let topic = n["TopicARN"]
            .get("Ref")
            .and_then(Json::as_str)
            .and_then(|id| cx.topics.get(id).cloned());
        let Some(topic) = topic else {
            cx.refuse(
                r,
                "a notification to a topic outside the template".into(),
                "notifications go to the spec's topics",
            );
            return None;
        };
        let events: Vec<&str> = n["NotificationTypes"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Json::as_str)
                    .filter_map(|t| EVENTS.iter().find(|(_, a)| *a == t).map(|(w, _)| *w))
                    .collect()
            })
            .unwrap_or_default();
        let _ = writeln!(b, "  notify [{}] -> {topic}", events.join(", "));
    }
    Some(())
}

/// The lookups of [`Index`].
fn build_index(cx: &Cx) -> Index {
    let t = cx.t;
    let mut ix = Index {
        env_tags: cx.env_tags(),
        ..Index::default()
    };
    for (i, r) in t.resources.iter().enumerate() {
        if let Some(g) = r.props["AutoScalingGroupName"]
            .get("Ref")
            .and_then(Json::as_str)
        {
            ix.by_group.entry(g.to_string()).or_default().push(i);
        }
        if r.ty == "AWS::CloudWatch::Alarm" {
            for x in r.props["AlarmActions"].as_array().into_iter().flatten() {
                let target = x
                    .get("Ref")
                    .and_then(Json::as_str)
                    .or_else(|| x.get("Fn::GetAtt").and_then(|g| g[0].as_str()));
                if let Some(p) = target {
                    ix.alarm_of.entry(p.to_string()).or_insert(i);
                }
            }
        }
    }
    ix
}

/// A topic scalec's alarms of one tier notify first is that tier's topic,
/// whatever its AWS name (`critical` named `platform-critical`): it takes
/// the tier's name, unless a topic has it already.
fn tier_topics_by_alarms(cx: &mut Cx) {
    for r in
        cx.t.resources
            .iter()
            .filter(|r| r.ty == "AWS::CloudWatch::Alarm")
    {
        let desc = r.props["AlarmDescription"].as_str().unwrap_or_default();
        let Some((tier, _)) = desc.strip_prefix('[').and_then(|d| d.split_once("] ")) else {
            continue;
        };
        if !matches!(tier, "critical" | "warning" | "info") || cx.topics.values().any(|t| t == tier)
        {
            continue;
        }
        let first = r.props["AlarmActions"][0].get("Ref").and_then(Json::as_str);
        if let Some(t) = first.and_then(|id| cx.topics.get_mut(id)) {
            *t = tier.to_string();
        }
    }
}

/// Group id -> the alarms and dashboards that belong to it; after
/// [`build_index`], whose policy alarms it reads.
fn owned_index(cx: &Cx) -> HashMap<String, Vec<usize>> {
    let mut owned: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, r) in cx.t.resources.iter().enumerate() {
        // Taken already (a scalable target's alarms).
        if cx.entries.contains_key(&r.id) {
            continue;
        }
        let g = match r.ty.as_str() {
            "AWS::CloudWatch::Alarm" => super::items::alarm_group(cx, r),
            "AWS::CloudWatch::Dashboard" => super::items::dashboard_group(cx, r),
            _ => None,
        };
        if let Some(g) = g {
            owned.entry(g).or_default().push(i);
        }
    }
    owned
}

impl Cx<'_> {
    /// Tags every scalec resource carries besides its own: those on the
    /// topics, else those shared by every group.
    pub(super) fn env_tags(&self) -> BTreeMap<String, String> {
        let mut sets = self
            .t
            .resources
            .iter()
            .filter(|r| r.ty == "AWS::SNS::Topic" || r.ty == "AWS::AutoScaling::AutoScalingGroup")
            .map(|r| {
                let m: BTreeMap<String, String> = match &r.props["Tags"] {
                    Json::Array(a) => a
                        .iter()
                        .filter_map(|t| {
                            Some((
                                t["Key"].as_str()?.to_string(),
                                t["Value"].as_str()?.to_string(),
                            ))
                        })
                        .filter(|(k, _)| !reserved_tag(k))
                        .collect(),
                    _ => BTreeMap::new(),
                };
                m
            });
        let Some(mut common) = sets.next() else {
            return BTreeMap::new();
        };
        for s in sets {
            common.retain(|k, v| s.get(k) == Some(v));
        }
        common
    }

    /// Resources that act on group `gid`: `AutoScalingGroupName: Ref gid`,
    /// in the order of the spec they were built from, when they say.
    pub(super) fn of_group(&self, gid: &str, ty: &str) -> Vec<Resource> {
        let mut out: Vec<Resource> = self
            .index
            .by_group
            .get(gid)
            .into_iter()
            .flatten()
            .map(|&i| &self.t.resources[i])
            .filter(|r| r.ty == ty)
            .cloned()
            .collect();
        out.sort_by_key(source_position);
        out
    }
}

fn write(cx: &Cx, topics: &[String], groups: &[GroupOut], targets: &[String]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "// Imported by `scalec import`.\n");
    let _ = writeln!(s, "app {}\n", quote(&cx.app));
    for id in &cx.param_order {
        if let Some(p) = cx.params.get(id).filter(|p| p.used) {
            let ty = p.ty.clone().unwrap_or_else(|| "string".into());
            if p.list {
                let _ = writeln!(s, "param {}: list<{ty}>", p.name);
            } else {
                let _ = writeln!(s, "param {}: {ty}", p.name);
            }
        }
    }
    if !cx.param_order.is_empty() {
        s.push('\n');
    }
    for m in cx.custom.values() {
        s.push_str(m);
        s.push('\n');
    }
    let _ = writeln!(s, "environment {} {{", cx.env);
    if let Some(r) = &cx.region {
        let _ = writeln!(s, "  region = {}", quote(r));
    }
    if let Some(a) = &cx.account {
        let _ = writeln!(s, "  account = {}", quote(a));
    }
    if let Some(r) = &cx.role {
        let _ = writeln!(s, "  role = {}", quote(r));
    }
    let tags = &cx.index.env_tags;
    if !tags.is_empty() {
        let items: Vec<String> = tags
            .iter()
            .map(|(k, v)| format!("{} = {}", tag_key(k), quote(v)))
            .collect();
        let _ = writeln!(s, "  tags = {{ {} }}", items.join(", "));
    }
    for id in &cx.param_order {
        if let Some(p) = cx.params.get(id).filter(|p| p.used)
            && let Some(d) = &p.default
        {
            let v = match d {
                Json::String(x) if p.list => {
                    let items: Vec<String> = x.split(',').map(|i| quote(i.trim())).collect();
                    format!("[{}]", items.join(", "))
                }
                Json::String(x) => quote(x),
                other => other.to_string(),
            };
            let _ = writeln!(s, "  param.{} = {v}", p.name);
        }
    }
    s.push_str("}\n\n");
    for t in topics {
        s.push_str(t);
    }
    for tier in &cx.tier_topics {
        let _ = writeln!(
            s,
            "// Not in the template: scalec's `{tier}` alarms notify a topic of that name.\ntopic {tier} {{}}"
        );
    }
    for g in groups {
        let _ = write!(s, "\ngroup {} {{\n{}}}\n", g.local, g.body);
    }
    for t in targets {
        s.push('\n');
        s.push_str(t);
    }
    s
}
