//! Reading what exists for one environment, in a number of calls that
//! grows with pages, not with groups, and with independent reads in flight
//! together.

use super::requests::{
    alarm_request, group_request, hook_request, policy_request, schedule_request, warm_pool_request,
};
use super::{ApplyError, Aws, Task};
use crate::backend::plan::{ApplyPlan, Call, LiveAlarm, LiveGroup, LiveState};
use crate::model::Environment;
use std::collections::{BTreeMap, HashSet};
use std::future::Future;

/// What the live state is read for: a plan compares bodies, a destroy needs
/// to know what exists and whose it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `plan` and `apply`: subscriptions and dashboard bodies too.
    Plan,
    /// `destroy`: topic tags (is the topic scalec's?), no bodies.
    Destroy,
}

/// How many reads of one kind run at once (tag lookups, dashboard bodies).
pub(super) const READS_AT_ONCE: usize = 8;
/// Names per DescribeAutoScalingGroups / DescribeNotificationConfigurations call.
pub(super) const NAMES_PER_CALL: usize = 50;
/// Names per DescribeAlarms call.
const ALARMS_PER_CALL: usize = 100;

/// Runs a paged call until the last page; `$page` is each response. The
/// request expression is evaluated again for every page.
macro_rules! for_each_page {
    ($req:expr, $api:expr, $what:expr, |$page:ident| $body:block) => {{
        let mut token: Option<String> = None;
        loop {
            let $page = $req
                .set_next_token(token.clone())
                .send()
                .await
                .map_err(|e| ApplyError::sdk($api, $what, e))?;
            $body
            token = $page.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
    }};
}

pub(super) use for_each_page;

/// `(key, value)` pairs from the SDK's optional strings.
pub(crate) fn tag_pairs<'a>(
    tags: impl Iterator<Item = (Option<&'a str>, Option<&'a str>)>,
) -> Vec<(String, String)> {
    tags.map(|(k, v)| {
        (
            k.unwrap_or_default().to_string(),
            v.unwrap_or_default().to_string(),
        )
    })
    .collect()
}

/// Whether tags mark a resource as scalec's for this app and environment.
pub(crate) fn is_ours(tags: &[(String, String)], app: &str, env: &str) -> bool {
    let has = |k: &str, v: &str| tags.iter().any(|(a, b)| a == k && b == v);
    has("managed-by", "scalec") && has("app", app) && has("env", env)
}

/// Runs `f` on every item in spawned tasks, at most `limit` at a time;
/// results come back in the items' order.
pub(super) async fn each<T, R, F, Fut>(
    items: Vec<T>,
    limit: usize,
    f: F,
) -> Result<Vec<R>, ApplyError>
where
    T: Send + 'static,
    R: Send + 'static,
    F: Fn(T) -> Fut,
    Fut: Future<Output = Result<R, ApplyError>> + Send + 'static,
{
    let mut set = tokio::task::JoinSet::new();
    let mut out: Vec<Option<R>> = Vec::new();
    out.resize_with(items.len(), || None);
    let mut pending = items.into_iter().enumerate();
    let mut failure = None;
    loop {
        while failure.is_none() && set.len() < limit.max(1) {
            let Some((i, item)) = pending.next() else {
                break;
            };
            let fut = f(item);
            set.spawn(async move { (i, fut.await) });
        }
        let Some(joined) = set.join_next().await else {
            break;
        };
        match joined {
            Ok((i, Ok(r))) => out[i] = Some(r),
            Ok((_, Err(e))) => {
                failure.get_or_insert(e);
            }
            Err(e) => {
                failure.get_or_insert(ApplyError::Internal(format!(
                    "a read stopped unexpectedly: {e}"
                )));
            }
        }
    }
    match failure {
        Some(e) => Err(e),
        None => Ok(out.into_iter().flatten().collect()),
    }
}

impl Aws {
    /// Every SNS topic ARN in the region.
    pub fn topic_arns(&self) -> Task<'_, Result<Vec<String>, ApplyError>> {
        Box::pin(topic_arns(self.sns.clone()))
    }

    /// Reads everything the environment's spec could manage. The reads run
    /// concurrently, and their number grows with pages, not with groups:
    /// topics (one listing, then subscriptions or tags per topic of the
    /// spec), groups and notification configurations (50 names a call),
    /// all policies and all scheduled actions (one listing each), alarms by
    /// the environment's prefix, dashboards by prefix. Alarm tags are read
    /// only for alarms not in `wanted_alarms` (the deletion candidates);
    /// dashboard bodies only for a plan.
    pub fn read_state<'a>(
        &'a self,
        env: &'a Environment,
        wanted_alarms: &'a HashSet<String>,
        purpose: Purpose,
    ) -> Task<'a, Result<LiveState, ApplyError>> {
        Box::pin(async move {
            let names: Vec<String> = env.groups.iter().map(|g| g.physical_name.clone()).collect();
            let prefix = format!("{}-{}-", env.app, env.name);
            let (topics, groups, policies, schedules, notifications, alarms, dashboards) = tokio::try_join!(
                read_topics(self.sns.clone(), env, purpose),
                read_groups(self.asg.clone(), names.clone(), env),
                list_policies(self.asg.clone()),
                list_schedules(self.asg.clone()),
                read_notifications(self.asg.clone(), names),
                read_alarms(self.cw.clone(), env, wanted_alarms),
                read_dashboards(self.cw.clone(), prefix, env, purpose),
            )?;
            let mut state = LiveState {
                groups,
                alarms,
                dashboards,
                ..Default::default()
            };
            for t in topics {
                if let Some(subs) = t.subscriptions {
                    state.subscriptions.insert(t.name.clone(), subs);
                }
                if let Some(ours) = t.ours {
                    state.topics_ours.insert(t.name.clone(), ours);
                }
                if let Some(d) = t.display_name {
                    state.display_names.insert(t.name.clone(), d);
                }
                state.topics.insert(t.name, t.arn);
            }
            for (group, name, request, arn) in policies {
                if let Some(g) = state.groups.get_mut(&group) {
                    g.policies.insert(name, (request, arn));
                }
            }
            for (group, name, request) in schedules {
                if let Some(g) = state.groups.get_mut(&group) {
                    g.schedules.insert(name, request);
                }
            }
            for (group, topic, kind) in notifications {
                if let Some(g) = state.groups.get_mut(&group) {
                    g.notifications.entry(topic).or_default().push(kind);
                }
            }
            if purpose == Purpose::Plan {
                // Hooks are read per group, so only where the spec has
                // some or scalec's tag says it made some.
                let with_hooks: Vec<String> = state
                    .groups
                    .iter()
                    .filter(|(name, g)| {
                        let tagged = counts_hooks(g.tags.get(crate::model::HOOKS_TAG));
                        let declared = env
                            .groups
                            .iter()
                            .any(|x| &x.physical_name == *name && !x.hooks.is_empty());
                        tagged || declared
                    })
                    .map(|(name, _)| name.clone())
                    .collect();
                // Refreshes are read per group, so only where instances
                // run older launch settings and the spec has a refresh.
                let stale: Vec<String> = state
                    .groups
                    .iter()
                    .filter(|(name, g)| {
                        g.stale_instances > 0
                            && env
                                .groups
                                .iter()
                                .any(|x| &x.physical_name == *name && x.refresh.is_some())
                    })
                    .map(|(name, _)| name.clone())
                    .collect();
                let (hooks, refreshing) = tokio::try_join!(
                    read_hooks(self.asg.clone(), with_hooks),
                    read_refreshing(self.asg.clone(), stale),
                )?;
                for (group, hooks) in hooks {
                    if let Some(g) = state.groups.get_mut(&group) {
                        g.hooks = Some(hooks);
                    }
                }
                for (group, running) in refreshing {
                    if let Some(g) = state.groups.get_mut(&group) {
                        g.refresh_running = running;
                    }
                }
            }
            Ok(state)
        })
    }
}

async fn topic_arns(sns: aws_sdk_sns::Client) -> Result<Vec<String>, ApplyError> {
    let mut arns = Vec::new();
    for_each_page!(sns.list_topics(), "sns:ListTopics", "topics", |page| {
        arns.extend(
            page.topics()
                .iter()
                .filter_map(|t| t.topic_arn().map(str::to_string)),
        );
    });
    Ok(arns)
}

/// A topic of the spec that exists.
struct LiveTopic {
    name: String,
    arn: String,
    subscriptions: Option<Vec<(String, String)>>,
    /// `DisplayName` (empty when unset), read for plans.
    display_name: Option<String>,
    ours: Option<bool>,
}

async fn read_topics(
    sns: aws_sdk_sns::Client,
    env: &Environment,
    purpose: Purpose,
) -> Result<Vec<LiveTopic>, ApplyError> {
    let arns = topic_arns(sns.clone()).await?;
    let found: Vec<(String, String)> = env
        .topics
        .iter()
        .filter_map(|t| {
            let suffix = format!(":{}", t.physical_name);
            arns.iter()
                .find(|a| a.ends_with(&suffix))
                .map(|a| (t.physical_name.clone(), a.clone()))
        })
        .collect();
    let (app, env_name) = (env.app.clone(), env.name.clone());
    each(found, READS_AT_ONCE, |(name, arn)| {
        let (sns, app, env_name) = (sns.clone(), app.clone(), env_name.clone());
        async move {
            let mut topic = LiveTopic {
                name,
                arn,
                subscriptions: None,
                display_name: None,
                ours: None,
            };
            match purpose {
                Purpose::Plan => {
                    let mut subs = Vec::new();
                    for_each_page!(
                        sns.list_subscriptions_by_topic().topic_arn(&topic.arn),
                        "sns:ListSubscriptionsByTopic",
                        &topic.name,
                        |page| {
                            for sub in page.subscriptions() {
                                if let (Some(p), Some(e)) = (sub.protocol(), sub.endpoint()) {
                                    subs.push((p.to_string(), e.to_string()));
                                }
                            }
                        }
                    );
                    topic.subscriptions = Some(subs);
                    let attributes = sns
                        .get_topic_attributes()
                        .topic_arn(&topic.arn)
                        .send()
                        .await
                        .map_err(|e| ApplyError::sdk("sns:GetTopicAttributes", &topic.name, e))?;
                    topic.display_name = Some(
                        attributes
                            .attributes()
                            .and_then(|a| a.get("DisplayName"))
                            .cloned()
                            .unwrap_or_default(),
                    );
                }
                Purpose::Destroy => {
                    let tags = sns
                        .list_tags_for_resource()
                        .resource_arn(&topic.arn)
                        .send()
                        .await
                        .map_err(|e| ApplyError::sdk("sns:ListTagsForResource", &topic.name, e))?;
                    let pairs =
                        tag_pairs(tags.tags().iter().map(|x| (Some(x.key()), Some(x.value()))));
                    topic.ours = Some(is_ours(&pairs, &app, &env_name));
                }
            }
            Ok(topic)
        }
    })
    .await
}

async fn read_groups(
    asg: aws_sdk_autoscaling::Client,
    names: Vec<String>,
    env: &Environment,
) -> Result<BTreeMap<String, LiveGroup>, ApplyError> {
    use aws_sdk_autoscaling::types::Filter;
    let (app, env_name) = (env.app.clone(), env.name.clone());
    // scalec's groups of this environment, by their tags: those the spec
    // names, and those it no longer does (a `for_each` key dropped, a
    // group deleted from the spec), which a plan then deletes.
    let tag = |k: &str, v: &str| Filter::builder().name(format!("tag:{k}")).values(v).build();
    let mut found: BTreeMap<String, LiveGroup> = BTreeMap::new();
    for_each_page!(
        asg.describe_auto_scaling_groups()
            .filters(tag("managed-by", "scalec"))
            .filters(tag("app", &app))
            .filters(tag("env", &env_name))
            .max_records(100),
        "autoscaling:DescribeAutoScalingGroups",
        "groups",
        |page| {
            for g in page.auto_scaling_groups() {
                let (name, live) = live_group(g, &app, &env_name);
                found.insert(name, live);
            }
        }
    );
    // The spec's other names: groups not made by scalec, or not yet made.
    let rest: Vec<String> = names
        .into_iter()
        .filter(|n| !found.contains_key(n))
        .collect();
    let chunks: Vec<Vec<String>> = rest
        .chunks(NAMES_PER_CALL)
        .map(<[String]>::to_vec)
        .collect();
    let pages = each(chunks, READS_AT_ONCE, |chunk| {
        let (asg, app, env_name) = (asg.clone(), app.clone(), env_name.clone());
        async move {
            let mut found = Vec::new();
            for_each_page!(
                asg.describe_auto_scaling_groups()
                    .set_auto_scaling_group_names(Some(chunk.clone())),
                "autoscaling:DescribeAutoScalingGroups",
                "groups",
                |page| {
                    for g in page.auto_scaling_groups() {
                        found.push(live_group(g, &app, &env_name));
                    }
                }
            );
            Ok(found)
        }
    })
    .await?;
    found.extend(pages.into_iter().flatten());
    Ok(found)
}

/// A group as read, with whether scalec made it for this environment.
fn live_group(
    g: &aws_sdk_autoscaling::types::AutoScalingGroup,
    app: &str,
    env_name: &str,
) -> (String, LiveGroup) {
    let name = g.auto_scaling_group_name().unwrap_or_default().to_string();
    let pairs = tag_pairs(g.tags().iter().map(|t| (t.key(), t.value())));
    let live = LiveGroup {
        ours: is_ours(&pairs, app, env_name),
        request: group_request(g),
        tags: pairs.into_iter().collect(),
        metrics: g
            .enabled_metrics()
            .iter()
            .filter_map(|m| m.metric().map(str::to_string))
            .collect(),
        suspended: {
            let mut s: Vec<String> = g
                .suspended_processes()
                .iter()
                .filter_map(|p| p.process_name().map(str::to_string))
                .collect();
            s.sort();
            s
        },
        warm_pool: g.warm_pool_configuration().map(warm_pool_request),
        stale_instances: stale_instances(g),
        ..Default::default()
    };
    (name, live)
}

/// How many of a group's instances run a launch template the group no
/// longer names, or another version of one it names (when both versions
/// are numbers: `$Latest` and `$Default` resolve to numbers AWS doesn't
/// say here).
fn stale_instances(g: &aws_sdk_autoscaling::types::AutoScalingGroup) -> u32 {
    use aws_sdk_autoscaling::types::LaunchTemplateSpecification as Spec;
    let mut current: Vec<&Spec> = g.launch_template().into_iter().collect();
    if let Some(lt) = g.mixed_instances_policy().and_then(|m| m.launch_template()) {
        current.extend(lt.launch_template_specification());
        current.extend(
            lt.overrides()
                .iter()
                .filter_map(|o| o.launch_template_specification()),
        );
    }
    let same_template = |a: &Spec, b: &Spec| match (a.launch_template_id(), b.launch_template_id())
    {
        (Some(x), Some(y)) => x == y,
        _ => {
            a.launch_template_name().is_some()
                && a.launch_template_name() == b.launch_template_name()
        }
    };
    fn numbered(v: Option<&str>) -> Option<&str> {
        v.filter(|v| v.parse::<u64>().is_ok())
    }
    let fresh = |i: &Spec| {
        current.iter().any(|c| {
            same_template(i, c)
                && match (numbered(i.version()), numbered(c.version())) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                }
        })
    };
    let n = g
        .instances()
        .iter()
        .filter(|i| i.launch_template().is_some_and(|t| !fresh(t)))
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Whether each group has an instance refresh under way.
pub(super) async fn read_refreshing(
    asg: aws_sdk_autoscaling::Client,
    groups: Vec<String>,
) -> Result<Vec<(String, bool)>, ApplyError> {
    use aws_sdk_autoscaling::types::InstanceRefreshStatus as S;
    each(groups, READS_AT_ONCE, |group| {
        let asg = asg.clone();
        async move {
            let out = asg
                .describe_instance_refreshes()
                .auto_scaling_group_name(&group)
                .send()
                .await
                .map_err(|e| ApplyError::sdk("autoscaling:DescribeInstanceRefreshes", &group, e))?;
            let running = out.instance_refreshes().iter().any(|r| {
                matches!(
                    r.status(),
                    Some(
                        S::Pending
                            | S::InProgress
                            | S::Cancelling
                            | S::RollbackInProgress
                            | S::Baking
                    )
                )
            });
            Ok((group, running))
        }
    })
    .await
}

/// Whether a `scalec:hooks` tag value says scalec made hooks on a group.
pub(super) fn counts_hooks(value: Option<impl AsRef<str>>) -> bool {
    value
        .and_then(|v| v.as_ref().parse::<u32>().ok())
        .is_some_and(|n| n > 0)
}

/// The lifecycle hooks of each group, in `PutLifecycleHook` request shape.
pub(super) async fn read_hooks(
    asg: aws_sdk_autoscaling::Client,
    groups: Vec<String>,
) -> Result<Vec<(String, BTreeMap<String, serde_json::Value>)>, ApplyError> {
    each(groups, READS_AT_ONCE, |group| {
        let asg = asg.clone();
        async move {
            let out = asg
                .describe_lifecycle_hooks()
                .auto_scaling_group_name(&group)
                .send()
                .await
                .map_err(|e| ApplyError::sdk("autoscaling:DescribeLifecycleHooks", &group, e))?;
            let hooks = out
                .lifecycle_hooks()
                .iter()
                .map(|h| {
                    (
                        h.lifecycle_hook_name().unwrap_or_default().to_string(),
                        hook_request(h),
                    )
                })
                .collect();
            Ok((group, hooks))
        }
    })
    .await
}

/// A policy listed: its group, its name, its request and its ARN.
pub(super) type PolicyRow = (String, String, serde_json::Value, String);

pub(super) async fn list_policies(
    asg: aws_sdk_autoscaling::Client,
) -> Result<Vec<PolicyRow>, ApplyError> {
    let mut out = Vec::new();
    for_each_page!(
        asg.describe_policies(),
        "autoscaling:DescribePolicies",
        "policies",
        |page| {
            for p in page.scaling_policies() {
                if let Some(group) = p.auto_scaling_group_name() {
                    out.push((
                        group.to_string(),
                        p.policy_name().unwrap_or_default().to_string(),
                        policy_request(p),
                        p.policy_arn().unwrap_or_default().to_string(),
                    ));
                }
            }
        }
    );
    Ok(out)
}

/// A scheduled action listed: its group, its name and its request.
pub(super) type ScheduleRow = (String, String, serde_json::Value);

pub(super) async fn list_schedules(
    asg: aws_sdk_autoscaling::Client,
) -> Result<Vec<ScheduleRow>, ApplyError> {
    let mut out = Vec::new();
    for_each_page!(
        asg.describe_scheduled_actions(),
        "autoscaling:DescribeScheduledActions",
        "scheduled actions",
        |page| {
            for a in page.scheduled_update_group_actions() {
                if let Some(group) = a.auto_scaling_group_name() {
                    out.push((
                        group.to_string(),
                        a.scheduled_action_name().unwrap_or_default().to_string(),
                        schedule_request(a),
                    ));
                }
            }
        }
    );
    Ok(out)
}

pub(super) async fn read_notifications(
    asg: aws_sdk_autoscaling::Client,
    names: Vec<String>,
) -> Result<Vec<(String, String, String)>, ApplyError> {
    let chunks: Vec<Vec<String>> = names
        .chunks(NAMES_PER_CALL)
        .map(<[String]>::to_vec)
        .collect();
    let pages = each(chunks, READS_AT_ONCE, |chunk| {
        let asg = asg.clone();
        async move {
            let mut out = Vec::new();
            for_each_page!(
                asg.describe_notification_configurations()
                    .set_auto_scaling_group_names(Some(chunk.clone())),
                "autoscaling:DescribeNotificationConfigurations",
                "groups",
                |page| {
                    for n in page.notification_configurations() {
                        if let (Some(g), Some(t), Some(kind)) = (
                            n.auto_scaling_group_name(),
                            n.topic_arn(),
                            n.notification_type(),
                        ) {
                            out.push((g.to_string(), t.to_string(), kind.to_string()));
                        }
                    }
                }
            );
            Ok(out)
        }
    })
    .await?;
    Ok(pages.into_iter().flatten().collect())
}

async fn read_alarms(
    cw: aws_sdk_cloudwatch::Client,
    env: &Environment,
    wanted: &HashSet<String>,
) -> Result<BTreeMap<String, LiveAlarm>, ApplyError> {
    let group_prefixes: Vec<String> = env
        .groups
        .iter()
        .map(|g| format!("{}-", g.physical_name))
        .collect();
    // One listing for the environment's prefix, one per group whose given
    // name lies outside it, and the alarms with given names outside every
    // prefix by name, 100 a call.
    let env_prefix = format!("{}-{}-", env.app, env.name);
    let mut prefixes = vec![env_prefix.clone()];
    prefixes.extend(
        group_prefixes
            .iter()
            .filter(|p| !p.starts_with(&env_prefix))
            .cloned(),
    );
    let mut by_name: Vec<String> = wanted
        .iter()
        .filter(|n| !prefixes.iter().any(|p| n.starts_with(p.as_str())))
        .cloned()
        .collect();
    by_name.sort();
    let mut found = Vec::new();
    let keep = |a: &aws_sdk_cloudwatch::types::MetricAlarm, found: &mut Vec<_>| {
        if let (Some(name), Some(arn)) = (a.alarm_name(), a.alarm_arn())
            && (group_prefixes.iter().any(|p| name.starts_with(p)) || wanted.contains(name))
        {
            found.push((name.to_string(), arn.to_string(), alarm_request(a)));
        }
    };
    for prefix in &prefixes {
        for_each_page!(
            cw.describe_alarms().alarm_name_prefix(prefix),
            "cloudwatch:DescribeAlarms",
            prefix,
            |page| {
                for a in page.metric_alarms() {
                    keep(a, &mut found);
                }
            }
        );
    }
    for chunk in by_name.chunks(ALARMS_PER_CALL) {
        for_each_page!(
            cw.describe_alarms().set_alarm_names(Some(chunk.to_vec())),
            "cloudwatch:DescribeAlarms",
            "alarms by name",
            |page| {
                for a in page.metric_alarms() {
                    keep(a, &mut found);
                }
            }
        );
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found.dedup_by(|a, b| a.0 == b.0);
    // Ours by name when the spec wants it; otherwise only by its tags.
    let (app, env_name) = (env.app.clone(), env.name.clone());
    let checked = each(
        found
            .into_iter()
            .map(|(name, arn, request)| (wanted.contains(&name), name, arn, request))
            .collect(),
        READS_AT_ONCE,
        |(wanted, name, arn, request)| {
            let (cw, app, env_name) = (cw.clone(), app.clone(), env_name.clone());
            async move {
                let ours = wanted || {
                    let tags = cw
                        .list_tags_for_resource()
                        .resource_arn(&arn)
                        .send()
                        .await
                        .map_err(|e| ApplyError::sdk("cloudwatch:ListTagsForResource", &name, e))?;
                    is_ours(
                        &tag_pairs(tags.tags().iter().map(|t| (t.key(), t.value()))),
                        &app,
                        &env_name,
                    )
                };
                Ok((name, LiveAlarm { ours, request }))
            }
        },
    )
    .await?;
    Ok(checked.into_iter().collect())
}

async fn read_dashboards(
    cw: aws_sdk_cloudwatch::Client,
    prefix: String,
    env: &Environment,
    purpose: Purpose,
) -> Result<BTreeMap<String, String>, ApplyError> {
    let wanted: HashSet<&str> = env
        .groups
        .iter()
        .filter_map(|g| g.dashboard.as_ref().map(|d| d.physical_name.as_str()))
        .collect();
    if wanted.is_empty() {
        return Ok(BTreeMap::new());
    }
    // One listing for the environment's prefix, one per given name outside it.
    let mut prefixes = vec![prefix.clone()];
    let mut outside: Vec<String> = wanted
        .iter()
        .filter(|n| !n.starts_with(prefix.as_str()))
        .map(|n| n.to_string())
        .collect();
    outside.sort();
    prefixes.extend(outside);
    let mut existing = Vec::new();
    for p in &prefixes {
        for_each_page!(
            cw.list_dashboards().dashboard_name_prefix(p),
            "cloudwatch:ListDashboards",
            p,
            |page| {
                for d in page.dashboard_entries() {
                    if let Some(n) = d.dashboard_name()
                        && wanted.contains(n)
                        && !existing.iter().any(|e| e == n)
                    {
                        existing.push(n.to_string());
                    }
                }
            }
        );
    }
    if purpose == Purpose::Destroy {
        return Ok(existing.into_iter().map(|n| (n, String::new())).collect());
    }
    let bodies = each(existing, READS_AT_ONCE, |name| {
        let cw = cw.clone();
        async move {
            let out = cw
                .get_dashboard()
                .dashboard_name(&name)
                .send()
                .await
                .map_err(|e| ApplyError::sdk("cloudwatch:GetDashboard", &name, e))?;
            let body = out.dashboard_body().unwrap_or_default().to_string();
            Ok((name, body))
        }
    })
    .await?;
    Ok(bodies.into_iter().collect())
}

/// The names of the alarms a plan puts, for [`Aws::read_state`].
pub fn wanted_alarms(plan: &ApplyPlan) -> HashSet<String> {
    plan.operations
        .iter()
        .filter_map(|o| match &o.call {
            Call::PutMetricAlarm(a) => Some(a.alarm_name.clone()),
            _ => None,
        })
        .collect()
}
