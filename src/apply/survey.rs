//! Reading existing fleets for `scalec import --env`: the groups chosen by
//! name, prefix or tag, and everything that acts on them (policies, the
//! alarms that trigger them and watch the groups, schedules,
//! notifications and their topics, hooks, warm pools), written as a
//! CloudFormation template document so that import reads it like any
//! template. Literal ids and ARNs become parameters whose defaults are
//! the values found; alarms target tracking made for itself are skipped.

use super::requests::{alarm_request, group_request, warm_pool_request};
use super::state::{
    NAMES_PER_CALL, PolicyRow, READS_AT_ONCE, ScheduleRow, counts_hooks, each, for_each_page,
    list_policies, list_schedules, read_hooks, read_notifications, tag_pairs,
};
use super::{ApplyError, Aws, Task};
use serde_json::{Map, Value as Json, json};
use std::collections::BTreeMap;

/// Which groups to import.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Group names; all groups when empty (then filtered by the rest).
    pub names: Vec<String>,
    /// Names starting with this.
    pub prefix: Option<String>,
    /// Groups with all of these tags.
    pub tags: Vec<(String, String)>,
    /// Dashboards to read besides those whose names contain a selected
    /// group's name.
    pub dashboards: Vec<String>,
}

/// Whether a group may have lifecycle hooks: any group scalec didn't
/// make, and scalec's own when its `scalec:hooks` tag counts some.
fn may_have_hooks(g: &aws_sdk_autoscaling::types::AutoScalingGroup) -> bool {
    let tag = |k: &str| {
        g.tags()
            .iter()
            .find(|t| t.key() == Some(k))
            .and_then(|t| t.value())
    };
    if tag("managed-by") != Some("scalec") {
        return true;
    }
    counts_hooks(tag(crate::model::HOOKS_TAG))
}

/// `my-app_web` -> `MyAppWeb`.
fn pascal(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Parameters made from literal values: value -> parameter id.
#[derive(Default)]
struct Params {
    ids: BTreeMap<String, String>,
    doc: Map<String, Json>,
}

impl Params {
    /// The parameter holding `value` (made once), named `base`, `base2`, ...
    fn of(&mut self, base: &str, value: &str, ty: &str) -> Json {
        if let Some(id) = self.ids.get(value) {
            return json!({ "Ref": id });
        }
        let mut id = base.to_string();
        let mut k = 2;
        while self.doc.contains_key(&id) {
            id = format!("{base}{k}");
            k += 1;
        }
        self.doc
            .insert(id.clone(), json!({ "Type": ty, "Default": value }));
        self.ids.insert(value.to_string(), id.clone());
        json!({ "Ref": id })
    }
}

impl Aws {
    /// Reads the selected groups and what acts on them, as a template
    /// document for import. Groups, notifications and hooks are read 50
    /// names or one group a call; policies, schedules and alarms are
    /// listed once each; topics' subscriptions once per topic used.
    pub fn survey<'a>(&'a self, sel: &'a Selection) -> Task<'a, Result<Json, ApplyError>> {
        Box::pin(async move {
            let groups = self.read_selected_groups(sel).await?;
            // Hooks are read one group a call, so not for the groups
            // scalec made without any: its `scalec:hooks` tag counts them.
            let with_hooks: Vec<String> = groups
                .iter()
                .filter(|g| may_have_hooks(g))
                .filter_map(|g| g.auto_scaling_group_name().map(str::to_string))
                .collect();
            let mut draft = Draft::new(&groups);
            let (policies, schedules, notifications, hooks) = tokio::try_join!(
                list_policies(self.asg.clone()),
                list_schedules(self.asg.clone()),
                read_notifications(self.asg.clone(), draft.names.clone()),
                read_hooks(self.asg.clone(), with_hooks),
            )?;
            let alarms = self.read_alarms().await?;
            for g in &groups {
                draft.add_group(g, &notifications, &hooks)?;
            }
            let policy_ids = draft.add_policies(&policies);
            draft.add_schedules(&schedules);
            draft.add_alarms(&alarms, &policy_ids);
            let topics = self
                .read_topics(draft.topics.keys().cloned().collect())
                .await?;
            draft.add_topics(topics);
            let dashboards = self.read_dashboards(sel, &draft.names).await?;
            draft.add_dashboards(dashboards);
            Ok(json!({
                "Description": "Read from the account by scalec import.",
                "Parameters": draft.params.doc,
                "Resources": draft.res,
            }))
        })
    }

    /// The selected groups, sorted by name: those named, 50 names a call,
    /// or every group AWS filters by the selected tags; then held to the
    /// prefix and the tags.
    async fn read_selected_groups(&self, sel: &Selection) -> Result<Vec<AsgGroup>, ApplyError> {
        let mut groups = Vec::new();
        let chunks: Vec<Vec<String>> = if sel.names.is_empty() {
            vec![vec![]]
        } else {
            sel.names
                .chunks(NAMES_PER_CALL)
                .map(<[String]>::to_vec)
                .collect()
        };
        for chunk in chunks {
            let req = self.asg.describe_auto_scaling_groups();
            let req = if chunk.is_empty() {
                // Every group: the selected tags filtered by AWS, and
                // the largest pages it gives.
                sel.tags.iter().fold(req.max_records(100), |r, (k, v)| {
                    r.filters(
                        aws_sdk_autoscaling::types::Filter::builder()
                            .name(format!("tag:{k}"))
                            .values(v)
                            .build(),
                    )
                })
            } else {
                req.set_auto_scaling_group_names(Some(chunk.clone()))
            };
            for_each_page!(
                req.clone(),
                "autoscaling:DescribeAutoScalingGroups",
                "groups",
                |page| {
                    for g in page.auto_scaling_groups() {
                        groups.push(g.clone());
                    }
                }
            );
        }
        groups.retain(|g| {
            let name = g.auto_scaling_group_name().unwrap_or_default();
            let tags = tag_pairs(g.tags().iter().map(|t| (t.key(), t.value())));
            sel.prefix.as_deref().is_none_or(|p| name.starts_with(p))
                && sel.tags.iter().all(|t| tags.contains(t))
        });
        groups.sort_by(|a, b| {
            a.auto_scaling_group_name()
                .cmp(&b.auto_scaling_group_name())
        });
        Ok(groups)
    }

    /// Every metric alarm in the region.
    async fn read_alarms(&self) -> Result<Vec<MetricAlarm>, ApplyError> {
        let mut alarms = Vec::new();
        for_each_page!(
            self.cw.describe_alarms(),
            "cloudwatch:DescribeAlarms",
            "alarms",
            |page| {
                for a in page.metric_alarms() {
                    alarms.push(a.clone());
                }
            }
        );
        Ok(alarms)
    }

    /// Each topic's subscriptions (`Protocol` and `Endpoint`) and display
    /// name, read one topic a call.
    async fn read_topics(&self, arns: Vec<String>) -> Result<Vec<TopicRead>, ApplyError> {
        each(arns, READS_AT_ONCE, |arn| {
            let sns = self.sns.clone();
            async move {
                let mut out = Vec::new();
                for_each_page!(
                    sns.list_subscriptions_by_topic().topic_arn(&arn),
                    "sns:ListSubscriptionsByTopic",
                    &arn,
                    |page| {
                        for s in page.subscriptions() {
                            out.push(json!({ "Protocol": s.protocol(), "Endpoint": s.endpoint() }));
                        }
                    }
                );
                let attributes = sns
                    .get_topic_attributes()
                    .topic_arn(&arn)
                    .send()
                    .await
                    .map_err(|e| ApplyError::sdk("sns:GetTopicAttributes", &arn, e))?;
                let display = attributes
                    .attributes()
                    .and_then(|a| a.get("DisplayName"))
                    .filter(|d| !d.is_empty())
                    .cloned();
                Ok((arn, out, display))
            }
        })
        .await
    }

    /// The names and bodies of the dashboards that may show a selected
    /// group: those named in the selection, and those whose names contain
    /// a group's (as scalec's do), read one a call.
    async fn read_dashboards(
        &self,
        sel: &Selection,
        names: &[String],
    ) -> Result<Vec<(String, String)>, ApplyError> {
        let mut dash_names = Vec::new();
        for_each_page!(
            self.cw.list_dashboards(),
            "cloudwatch:ListDashboards",
            "dashboards",
            |page| {
                for d in page.dashboard_entries() {
                    if let Some(n) = d.dashboard_name()
                        && (sel.dashboards.iter().any(|x| x == n)
                            || names.iter().any(|g| n.contains(g.as_str())))
                    {
                        dash_names.push(n.to_string());
                    }
                }
            }
        );
        each(dash_names, READS_AT_ONCE, |name| {
            let cw = self.cw.clone();
            async move {
                let out = cw
                    .get_dashboard()
                    .dashboard_name(&name)
                    .send()
                    .await
                    .map_err(|e| ApplyError::sdk("cloudwatch:GetDashboard", &name, e))?;
                Ok((name, out.dashboard_body().unwrap_or_default().to_string()))
            }
        })
        .await
    }
}

/// A group as the SDK reads it.
type AsgGroup = aws_sdk_autoscaling::types::AutoScalingGroup;
/// An alarm as the SDK reads it.
type MetricAlarm = aws_sdk_cloudwatch::types::MetricAlarm;
/// A topic's ARN, its subscriptions and its display name.
type TopicRead = (String, Vec<Json>, Option<String>);

/// A group's resource id in the template: `my-app` -> `MyAppGroup`.
fn group_id(name: &str) -> String {
    format!("{}Group", pascal(name))
}

/// A topic's resource id in the template, from its ARN's last part.
fn topic_id(arn: &str) -> String {
    format!("Topic{}", pascal(arn.rsplit(':').next().unwrap_or(arn)))
}

/// The template survey writes, and what it knows of the selected groups
/// while writing it.
struct Draft {
    params: Params,
    res: Map<String, Json>,
    /// The selected groups' AWS names, sorted.
    names: Vec<String>,
    /// Each group's name in a spec: its `group` tag (scalec's), else its
    /// AWS name; import reads it from the metadata item.
    local: BTreeMap<String, String>,
    /// Target group ARNs by their `targetgroup/NAME/ID` part, for
    /// request-count metrics.
    tg_arns: BTreeMap<String, String>,
    /// Topics used by notifications and alarms: ARN -> resource id.
    topics: BTreeMap<String, String>,
}

impl Draft {
    /// An empty template for `groups`, with their names and target groups.
    fn new(groups: &[AsgGroup]) -> Draft {
        let names: Vec<String> = groups
            .iter()
            .filter_map(|g| g.auto_scaling_group_name().map(str::to_string))
            .collect();
        let mut tg_arns: BTreeMap<String, String> = BTreeMap::new();
        for g in groups {
            for arn in g.target_group_arns() {
                if let Some(i) = arn.find("targetgroup/") {
                    tg_arns.insert(arn[i..].to_string(), arn.clone());
                }
            }
        }
        let mut local: BTreeMap<String, String> = BTreeMap::new();
        for g in groups {
            let name = g.auto_scaling_group_name().unwrap_or_default().to_string();
            let tag = g
                .tags()
                .iter()
                .find(|t| t.key() == Some("group"))
                .and_then(|t| t.value())
                .map(str::to_string);
            local.insert(
                name.clone(),
                tag.unwrap_or_else(|| name.replace(['-', '.', '/'], "_")),
            );
        }
        Draft {
            params: Params::default(),
            res: Map::new(),
            names,
            local,
            tg_arns,
            topics: BTreeMap::new(),
        }
    }

    /// The metadata naming the spec item a resource comes from: the group
    /// `grp`, or `what` within it.
    fn item(&self, grp: &str, what: &str) -> Json {
        let l = self.local.get(grp).cloned().unwrap_or_default();
        if what.is_empty() {
            json!({ "scalec": { "item": format!("group {l}") } })
        } else {
            json!({ "scalec": { "item": format!("group {l} / {what}") } })
        }
    }

    /// A group's resource, with its notifications, hooks and tags, and its
    /// warm pool's.
    fn add_group(
        &mut self,
        g: &AsgGroup,
        notifications: &[(String, String, String)],
        hooks: &[(String, BTreeMap<String, Json>)],
    ) -> Result<(), ApplyError> {
        let name = g.auto_scaling_group_name().unwrap_or_default();
        let mut p = group_request(g);
        let o = p
            .as_object_mut()
            .ok_or_else(|| ApplyError::Internal("a group".into()))?;
        o.retain(|_, v| !v.is_null());
        self.group_literals_to_params(o);
        if let Some(c) = o.remove("DefaultCooldown")
            && c.as_i64() != Some(300)
        {
            o.insert("Cooldown".into(), json!(c.to_string()));
        }
        if o.get("TerminationPolicies") == Some(&json!(["Default"])) {
            o.remove("TerminationPolicies");
        }
        group_metrics_tags_and_processes(g, o);
        if let Some(list) = self.notification_configurations(name, notifications) {
            o.insert("NotificationConfigurations".into(), Json::Array(list));
        }
        if let Some((_, hs)) = hooks.iter().find(|(grp, _)| grp == name)
            && !hs.is_empty()
        {
            o.insert("LifecycleHookSpecificationList".into(), hook_specs(hs));
        }
        if let Some(w) = g.warm_pool_configuration() {
            let mut wp = warm_pool_request(w);
            wp["AutoScalingGroupName"] = json!({ "Ref": group_id(name) });
            if let Some(m) = wp.as_object_mut() {
                m.retain(|_, v| !v.is_null());
            }
            let item = self.item(name, "warm pool");
            self.res.insert(
                format!("{}WarmPool", pascal(name)),
                json!({ "Type": "AWS::AutoScaling::WarmPool", "Properties": wp, "Metadata": item }),
            );
        }
        let item = self.item(name, "");
        self.res.insert(group_id(name), json!({ "Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": p, "Metadata": item }));
        Ok(())
    }

    /// A group's launch template, subnets and target groups as parameters.
    fn group_literals_to_params(&mut self, o: &mut Map<String, Json>) {
        let params = &mut self.params;
        if let Some(lt) = o.get_mut("LaunchTemplate") {
            if let Some(id) = lt
                .get("LaunchTemplateId")
                .and_then(Json::as_str)
                .map(str::to_string)
            {
                lt["LaunchTemplateId"] = params.of("LaunchTemplate", &id, "String");
            }
            if let Some(n) = lt
                .get("LaunchTemplateName")
                .and_then(Json::as_str)
                .map(str::to_string)
            {
                lt["LaunchTemplateName"] = params.of("LaunchTemplateName", &n, "String");
            }
        }
        if let Some(s) = o
            .get("VPCZoneIdentifier")
            .and_then(Json::as_str)
            .map(str::to_string)
        {
            o.insert(
                "VPCZoneIdentifier".into(),
                params.of("Subnets", &s, "List<AWS::EC2::Subnet::Id>"),
            );
        }
        if let Some(tgs) = o.get("TargetGroupARNs").and_then(Json::as_array).cloned() {
            if tgs.is_empty() {
                o.remove("TargetGroupARNs");
            } else {
                let refs: Vec<Json> = tgs
                    .iter()
                    .filter_map(Json::as_str)
                    .map(|a| params.of("TargetGroup", a, "String"))
                    .collect();
                o.insert("TargetGroupARNs".into(), Json::Array(refs));
            }
        }
    }

    /// A group's notification configurations, one per topic, recording
    /// the topics; none when it has none.
    fn notification_configurations(
        &mut self,
        name: &str,
        notifications: &[(String, String, String)],
    ) -> Option<Vec<Json>> {
        let mut nots: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (grp, topic, kind) in notifications {
            if grp == name {
                nots.entry(topic.clone()).or_default().push(kind.clone());
            }
        }
        if nots.is_empty() {
            return None;
        }
        let list = nots
            .iter()
            .map(|(t, kinds)| {
                self.topics.insert(t.clone(), topic_id(t));
                json!({ "TopicARN": { "Ref": topic_id(t) }, "NotificationTypes": kinds })
            })
            .collect();
        Some(list)
    }

    /// The selected groups' policies; returns each one's resource id by
    /// its ARN, for the alarms that name them, and the names of the alarms
    /// target tracking made for itself.
    fn add_policies(&mut self, policies: &[PolicyRow]) -> PolicyIds {
        let mut policy_ids: BTreeMap<String, String> = BTreeMap::new();
        let mut tracking_alarms: Vec<String> = Vec::new();
        for (grp, pname, request, arn) in policies {
            if !self.names.contains(grp) {
                continue;
            }
            let short = pname.strip_prefix(&format!("{grp}-")).unwrap_or(pname);
            let id = format!("{}{}Policy", pascal(grp), pascal(short));
            let mut p = request.clone();
            if let Some(m) = p.as_object_mut() {
                m.retain(|_, v| !v.is_null() && v != &json!([]));
                if m.get("PolicyType") != Some(&json!("StepScaling")) {
                    m.remove("MetricAggregationType");
                }
            }
            p["AutoScalingGroupName"] = json!({ "Ref": group_id(grp) });
            label_to_params(&mut p, &self.tg_arns, &mut self.params);
            if let Some(a) = request["Alarms"].as_array() {
                tracking_alarms.extend(
                    a.iter()
                        .filter_map(|x| x["AlarmName"].as_str().map(str::to_string)),
                );
            }
            policy_ids.insert(arn.clone(), id.clone());
            let short = short.replace(['-', '.', '/'], "_");
            let item = self.item(grp, &format!("policy {short}"));
            self.res.insert(id, json!({ "Type": "AWS::AutoScaling::ScalingPolicy", "Properties": p, "Metadata": item }));
        }
        (policy_ids, tracking_alarms)
    }

    /// The selected groups' scheduled actions.
    fn add_schedules(&mut self, schedules: &[ScheduleRow]) {
        for (grp, sname, request) in schedules {
            if !self.names.contains(grp) {
                continue;
            }
            let short = sname.strip_prefix(&format!("{grp}-")).unwrap_or(sname);
            let mut p = request.clone();
            if let Some(m) = p.as_object_mut() {
                m.retain(|_, v| !v.is_null());
            }
            p["AutoScalingGroupName"] = json!({ "Ref": group_id(grp) });
            let id = format!("{}{}Schedule", pascal(grp), pascal(short));
            let short = short.replace(['-', '.', '/'], "_");
            let item = self.item(grp, &format!("schedule {short}"));
            self.res.insert(
                id,
                json!({ "Type": "AWS::AutoScaling::ScheduledAction", "Properties": p, "Metadata": item }),
            );
        }
    }

    /// Alarms that trigger the policies or watch the groups; not those
    /// target tracking made for itself.
    fn add_alarms(&mut self, alarms: &[MetricAlarm], (policy_ids, tracking_alarms): &PolicyIds) {
        for a in alarms {
            let aname = a.alarm_name().unwrap_or_default().to_string();
            if aname.starts_with("TargetTracking-") || tracking_alarms.contains(&aname) {
                continue;
            }
            let mut p = alarm_request(a);
            let actions: Vec<String> = a.alarm_actions().to_vec();
            let triggers = actions.iter().any(|x| policy_ids.contains_key(x));
            let text = p.to_string();
            let watches = self.names.iter().any(|n| {
                text.contains(&format!("\"Value\":\"{n}\"")) || aname.starts_with(&format!("{n}-"))
            });
            if !triggers && !watches {
                continue;
            }
            let mut refs = Vec::new();
            for x in &actions {
                if let Some(id) = policy_ids.get(x) {
                    refs.push(json!({ "Ref": id }));
                } else if x.starts_with("arn:aws:sns:") {
                    self.topics.insert(x.clone(), topic_id(x));
                    refs.push(json!({ "Ref": topic_id(x) }));
                } else {
                    refs.push(json!(x));
                }
            }
            p["AlarmActions"] = Json::Array(refs);
            if let Some(m) = p.as_object_mut() {
                m.retain(|_, v| !v.is_null());
            }
            dims_to_refs(
                &mut p,
                &self.names,
                &self.tg_arns,
                &mut self.params,
                &group_id,
            );
            // A monitoring alarm named after its group: its item.
            let owner = self
                .names
                .iter()
                .filter(|n| aname.starts_with(&format!("{n}-")))
                .max_by_key(|n| n.len());
            let meta = match owner {
                Some(n) if !triggers => self.item(
                    n,
                    &format!(
                        "alarm {}",
                        aname[n.len() + 1..].replace(['-', '.', '/'], "_")
                    ),
                ),
                _ => Json::Null,
            };
            self.res.insert(
                format!("{}Alarm", pascal(&aname)),
                json!({ "Type": "AWS::CloudWatch::Alarm", "Properties": p, "Metadata": meta }),
            );
        }
    }

    /// The topics used, with their subscriptions and display names.
    fn add_topics(&mut self, topics: Vec<TopicRead>) {
        for (arn, list, display) in topics {
            let mut p = json!({ "TopicName": arn.rsplit(':').next().unwrap_or_default() });
            if !list.is_empty() {
                p["Subscription"] = Json::Array(list);
            }
            if let Some(d) = display {
                p["DisplayName"] = Json::from(d);
            }
            self.res.insert(
                topic_id(&arn),
                json!({ "Type": "AWS::SNS::Topic", "Properties": p }),
            );
        }
    }

    /// The dashboards that show a selected group, as the item of the
    /// first group they show.
    fn add_dashboards(&mut self, dashboards: Vec<(String, String)>) {
        for (name, body) in dashboards {
            if let Some(n) = self
                .names
                .iter()
                .find(|n| body.contains(&format!("\"{n}\"")))
            {
                let body = dashboard_body(
                    &body,
                    &self.names,
                    &self.tg_arns,
                    &mut self.params,
                    &group_id,
                );
                let item = self.item(n, "dashboard");
                self.res.insert(
                    format!("{}Dashboard", pascal(&name)),
                    json!({ "Type": "AWS::CloudWatch::Dashboard", "Properties": { "DashboardName": name, "DashboardBody": body }, "Metadata": item }),
                );
            }
        }
    }
}

/// A policy's resource id by its ARN, and the alarms target tracking made.
type PolicyIds = (BTreeMap<String, String>, Vec<String>);

/// A group's enabled metrics, its tags (not AWS's own) and its suspended
/// processes, as the template's members.
fn group_metrics_tags_and_processes(g: &AsgGroup, o: &mut Map<String, Json>) {
    let metrics: Vec<String> = g
        .enabled_metrics()
        .iter()
        .filter_map(|m| m.metric().map(str::to_string))
        .collect();
    if !metrics.is_empty() {
        o.insert(
            "MetricsCollection".into(),
            json!([{ "Granularity": "1Minute", "Metrics": metrics }]),
        );
    }
    let tags: Vec<Json> = g
        .tags()
        .iter()
        .filter(|t| !t.key().unwrap_or_default().starts_with("aws:"))
        .map(|t| json!({ "Key": t.key(), "Value": t.value(), "PropagateAtLaunch": t.propagate_at_launch().unwrap_or(true) }))
        .collect();
    if !tags.is_empty() {
        o.insert("Tags".into(), Json::Array(tags));
    }
    let suspended: Vec<&str> = g
        .suspended_processes()
        .iter()
        .filter_map(|s| s.process_name())
        .collect();
    if !suspended.is_empty() {
        o.insert("SuspendedProcesses".into(), json!(suspended));
    }
}

/// A group's hooks as `LifecycleHookSpecificationList` entries.
fn hook_specs(hooks: &BTreeMap<String, Json>) -> Json {
    let list: Vec<Json> = hooks
        .values()
        .map(|h| {
            let mut h = h.clone();
            if let Some(m) = h.as_object_mut() {
                m.remove("AutoScalingGroupName");
                m.retain(|_, v| !v.is_null());
            }
            h
        })
        .collect();
    Json::Array(list)
}

/// A target-tracking or predictive resource label (`app/LB/ID/targetgroup/
/// TG/ID`) as scalec writes it: the parts of a load balancer and a target
/// group ARN parameter.
fn label_to_params(p: &mut Json, tg_arns: &BTreeMap<String, String>, params: &mut Params) {
    let spots = ["/TargetTrackingConfiguration/PredefinedMetricSpecification/ResourceLabel"];
    for spot in spots {
        let Some(label) = p.pointer(spot).and_then(Json::as_str).map(str::to_string) else {
            continue;
        };
        let Some(i) = label.find("/targetgroup/") else {
            continue;
        };
        let (lb, tg) = (&label[..i], &label[i + 1..]);
        let Some(tg_arn) = tg_arns.get(tg) else {
            continue;
        };
        let prefix = tg_arn.split("targetgroup/").next().unwrap_or_default();
        let lb_arn = format!("{prefix}loadbalancer/{lb}");
        let lb_ref = params.of("LoadBalancer", &lb_arn, "String");
        let tg_ref = params.of("TargetGroup", tg_arn, "String");
        if let Some(slot) = p.pointer_mut(spot) {
            *slot = json!({ "Fn::Join": ["/", [
                { "Fn::Select": [1, { "Fn::Split": ["loadbalancer/", lb_ref] }] },
                { "Fn::Select": [5, { "Fn::Split": [":", tg_ref] }] },
            ]] });
        }
    }
}

/// A dashboard body as an `Fn::Sub`: in its metric rows, a group's name
/// becomes `${GroupId}` and load balancer and target group parts become
/// variables holding parts of ARN parameters, as scalec writes them.
fn dashboard_body(
    body: &str,
    names: &[String],
    tg_arns: &BTreeMap<String, String>,
    params: &mut Params,
    gid: &dyn Fn(&str) -> String,
) -> Json {
    let Ok(mut doc) = serde_json::from_str::<Json>(body) else {
        return json!(body);
    };
    let mut vars = Map::new();
    for w in doc["widgets"].as_array_mut().into_iter().flatten() {
        for row in w
            .pointer_mut("/properties/metrics")
            .and_then(Json::as_array_mut)
            .into_iter()
            .flatten()
        {
            let Some(items) = row.as_array_mut() else {
                continue;
            };
            let mut k = 0;
            while k + 1 < items.len() {
                let dim = items[k].as_str().map(str::to_string);
                let value = items[k + 1].as_str().map(str::to_string);
                if let (Some(d), Some(v)) = (dim, value) {
                    let replaced = match d.as_str() {
                        "AutoScalingGroupName" if names.contains(&v) => Some(format!("${{{}}}", gid(&v))),
                        "LoadBalancer" => tg_arns.values().next().and_then(|a| a.split("targetgroup/").next()).map(|prefix| {
                            let r = params.of("LoadBalancer", &format!("{prefix}loadbalancer/{v}"), "String");
                            let var = format!("Dim{}", vars.len() + 1);
                            vars.insert(var.clone(), json!({ "Fn::Select": [1, { "Fn::Split": ["loadbalancer/", r] }] }));
                            format!("${{{var}}}")
                        }),
                        "TargetGroup" => tg_arns.get(&v).map(|arn| {
                            let r = params.of("TargetGroup", arn, "String");
                            let var = format!("Dim{}", vars.len() + 1);
                            vars.insert(var.clone(), json!({ "Fn::Select": [5, { "Fn::Split": [":", r] }] }));
                            format!("${{{var}}}")
                        }),
                        _ => None,
                    };
                    if let Some(r) = replaced {
                        items[k + 1] = json!(r);
                        k += 2;
                        continue;
                    }
                }
                k += 1;
            }
        }
    }
    json!({ "Fn::Sub": [doc.to_string(), vars] })
}

/// Alarm dimensions: a selected group's name as a `Ref` to it, load
/// balancer and target group parts as parts of ARN parameters.
fn dims_to_refs(
    p: &mut Json,
    names: &[String],
    tg_arns: &BTreeMap<String, String>,
    params: &mut Params,
    gid: &dyn Fn(&str) -> String,
) {
    let mut fix = |dims: &mut Json| {
        for d in dims.as_array_mut().into_iter().flatten() {
            let (Some(n), Some(v)) = (
                d["Name"].as_str().map(str::to_string),
                d["Value"].as_str().map(str::to_string),
            ) else {
                continue;
            };
            match n.as_str() {
                "AutoScalingGroupName" if names.contains(&v) => {
                    d["Value"] = json!({ "Ref": gid(&v) })
                }
                "TargetGroup" => {
                    if let Some(arn) = tg_arns.get(&v) {
                        let r = params.of("TargetGroup", arn, "String");
                        d["Value"] = json!({ "Fn::Select": [5, { "Fn::Split": [":", r] }] });
                    }
                }
                "LoadBalancer" => {
                    if let Some(prefix) = tg_arns
                        .values()
                        .next()
                        .and_then(|a| a.split("targetgroup/").next())
                    {
                        let r = params.of(
                            "LoadBalancer",
                            &format!("{prefix}loadbalancer/{v}"),
                            "String",
                        );
                        d["Value"] =
                            json!({ "Fn::Select": [1, { "Fn::Split": ["loadbalancer/", r] }] });
                    }
                }
                _ => {}
            }
        }
    };
    if let Some(d) = p.get_mut("Dimensions") {
        fix(d);
    }
    for q in p
        .get_mut("Metrics")
        .and_then(Json::as_array_mut)
        .into_iter()
        .flatten()
    {
        if let Some(d) = q.pointer_mut("/MetricStat/Metric/Dimensions") {
            fix(d);
        }
    }
}
