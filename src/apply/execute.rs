//! The executor: runs a plan's calls in dependency order, the calls of one
//! step concurrently, recording ARNs that later calls refer to.

use super::{ApplyError, Aws, Task, shapes};
use crate::backend::plan::{
    Action, ApplyPlan, ArnRef, Call, MetricAlarm, Operation, ScalingPolicy,
};
use serde_json::Value as Json;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// What an apply did.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// Calls that succeeded, as `api resource`.
    pub done: Vec<String>,
}

type Arns = Arc<Mutex<HashMap<ArnRef, String>>>;

fn arn(arns: &Arns, r: &ArnRef) -> String {
    arns.lock()
        .ok()
        .and_then(|m| m.get(r).cloned())
        .unwrap_or_default()
}

/// Runs a plan's calls in order. The calls of one step run concurrently,
/// at most `concurrency` at a time; a step starts when the one before it
/// is done. `known` holds the ARNs of what exists already (topics,
/// policies), for calls that refer to them. Stops starting calls at the
/// first failure, lets those in flight finish, and returns what was done
/// with the error.
pub fn execute<'a>(
    aws: &'a Aws,
    plan: &'a ApplyPlan,
    known: HashMap<ArnRef, String>,
    concurrency: usize,
    on_done: &'a (dyn Fn(&Operation) + Sync),
) -> Task<'a, Result<Summary, (Summary, ApplyError)>> {
    Box::pin(async move {
        let arns: Arns = Arc::new(Mutex::new(known));
        let mut summary = Summary::default();
        let limit = concurrency.max(1);
        let mut i = 0;
        while i < plan.operations.len() {
            let step = plan.operations[i].step;
            let mut j = i;
            while j < plan.operations.len() && plan.operations[j].step == step {
                j += 1;
            }
            let ops = &plan.operations[i..j];
            let mut set = tokio::task::JoinSet::new();
            let mut next = 0;
            let mut failure: Option<ApplyError> = None;
            let mut finished: Vec<usize> = Vec::new();
            loop {
                while failure.is_none() && next < ops.len() && set.len() < limit {
                    let (aws, op, arns) = (aws.clone(), ops[next].clone(), arns.clone());
                    let k = next;
                    set.spawn(async move { (k, run(&aws, &op, &arns).await) });
                    next += 1;
                }
                let Some(joined) = set.join_next().await else {
                    break;
                };
                match joined {
                    Ok((k, Ok(()))) => {
                        on_done(&ops[k]);
                        finished.push(k);
                    }
                    Ok((_, Err(e))) => {
                        failure.get_or_insert(e);
                    }
                    Err(e) => {
                        failure.get_or_insert(ApplyError::Internal(format!(
                            "a call stopped unexpectedly: {e}"
                        )));
                    }
                }
            }
            // Report what was done in plan order, whatever order it finished in.
            finished.sort_unstable();
            for k in finished {
                summary
                    .done
                    .push(format!("{} {}", ops[k].call.api(), ops[k].resource));
            }
            if let Some(e) = failure {
                return Err((summary, e));
            }
            i = j;
        }
        Ok(summary)
    })
}

/// A count for an AWS integer member. The checker keeps every value in
/// range, so a value that doesn't fit is refused here rather than wrapped.
fn to_int(v: u32, api: &str, resource: &str) -> Result<i32, ApplyError> {
    i32::try_from(v).map_err(|_| {
        ApplyError::Internal(format!(
            "{api} for `{resource}`: {v} does not fit AWS's 32-bit integer field"
        ))
    })
}

/// An integer member of a JSON request, checked the same way.
fn json_int(j: &Json, key: &str, api: &str, resource: &str) -> Result<Option<i32>, ApplyError> {
    match j.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| {
                ApplyError::Internal(format!(
                    "{api} for `{resource}`: {key} = {v} is not a 32-bit integer"
                ))
            }),
    }
}

fn num(j: &Json, key: &str) -> Option<f64> {
    j.get(key).and_then(Json::as_f64)
}

fn text<'j>(j: &'j Json, key: &str) -> Option<&'j str> {
    j.get(key).and_then(Json::as_str)
}

/// Makes one call. A delete whose resource is gone already is done: its
/// first response may have been lost and the call retried, or something
/// else removed the resource, and either way what the plan wanted holds
/// (as a create of what exists already is done, in the calls below).
async fn run(aws: &Aws, op: &Operation, arns: &Arns) -> Result<(), ApplyError> {
    match call(aws, op, arns).await {
        Err(e) if op.action == Action::Delete && e.gone() => Ok(()),
        other => other,
    }
}

/// Makes one call's request, recording the ARN of a topic or policy it
/// creates for the calls after it.
async fn call(aws: &Aws, op: &Operation, arns: &Arns) -> Result<(), ApplyError> {
    let at = &shapes::At {
        api: op.call.api(),
        resource: &op.resource,
    };
    match &op.call {
        Call::CreateTopic {
            name,
            attributes,
            tags,
        } => create_topic(aws, at, arns, name, attributes, tags).await,
        Call::SetTopicAttributes {
            topic_arn,
            attribute_name,
            attribute_value,
        } => set_topic_attribute(aws, at, topic_arn, attribute_name, attribute_value).await,
        Call::Subscribe {
            topic_arn,
            protocol,
            endpoint,
        } => subscribe(aws, at, &arn(arns, topic_arn), protocol, endpoint).await,
        Call::CreateAutoScalingGroup { .. } => create_group(aws, at, &op.call).await,
        Call::EnableMetricsCollection {
            auto_scaling_group_name,
            granularity,
            metrics,
        } => enable_metrics(aws, at, auto_scaling_group_name, granularity, metrics).await,
        Call::PutNotificationConfiguration {
            auto_scaling_group_name,
            topic_arn,
            notification_types,
        } => {
            let topic_arn = arn(arns, topic_arn);
            put_notifications(
                aws,
                at,
                auto_scaling_group_name,
                &topic_arn,
                notification_types,
            )
            .await
        }
        Call::PutScalingPolicy(p) => put_policy_recording_arn(aws, at, p, arns).await,
        Call::PutScheduledUpdateGroupAction {
            auto_scaling_group_name,
            scheduled_action_name,
            recurrence,
            time_zone,
            min_size,
            max_size,
            desired_capacity,
        } => {
            let sizes = [*min_size, *max_size, *desired_capacity];
            let names = (
                auto_scaling_group_name.as_str(),
                scheduled_action_name.as_str(),
            );
            put_schedule(aws, at, names, recurrence, time_zone.as_deref(), sizes).await
        }
        Call::PutMetricAlarm(a) => put_alarm(aws, a, arns, at.api, at.resource).await,
        Call::UpdateAutoScalingGroup(req) => update_group(aws, at, req).await,
        Call::PutLifecycleHook(req) => put_hook(aws, at, req).await,
        Call::DeleteLifecycleHook {
            auto_scaling_group_name,
            lifecycle_hook_name,
        } => delete_hook(aws, at, auto_scaling_group_name, lifecycle_hook_name).await,
        Call::PutWarmPool(req) => put_warm_pool(aws, at, req).await,
        Call::DeleteWarmPool {
            auto_scaling_group_name,
            force_delete,
        } => delete_warm_pool(aws, at, auto_scaling_group_name, *force_delete).await,
        Call::StartInstanceRefresh(req) => super::refresh::start_once(aws, op, req).await,
        Call::SuspendProcesses {
            auto_scaling_group_name,
            scaling_processes,
        } => suspend_processes(aws, at, auto_scaling_group_name, scaling_processes).await,
        Call::ResumeProcesses {
            auto_scaling_group_name,
            scaling_processes,
        } => resume_processes(aws, at, auto_scaling_group_name, scaling_processes).await,
        Call::AttachLoadBalancerTargetGroups {
            auto_scaling_group_name,
            target_group_arns,
        } => attach_target_groups(aws, at, auto_scaling_group_name, target_group_arns).await,
        Call::DetachLoadBalancerTargetGroups {
            auto_scaling_group_name,
            target_group_arns,
        } => detach_target_groups(aws, at, auto_scaling_group_name, target_group_arns).await,
        Call::CreateOrUpdateTags { tags } => tag_resources(aws, at, tags).await,
        Call::DeletePolicy {
            auto_scaling_group_name,
            policy_name,
        } => delete_policy(aws, at, auto_scaling_group_name, policy_name).await,
        Call::DeleteScheduledAction {
            auto_scaling_group_name,
            scheduled_action_name,
        } => delete_schedule(aws, at, auto_scaling_group_name, scheduled_action_name).await,
        Call::DeleteNotificationConfiguration {
            auto_scaling_group_name,
            topic_arn,
        } => delete_notifications(aws, at, auto_scaling_group_name, topic_arn).await,
        Call::DeleteAlarms { alarm_names } => delete_alarms(aws, at, alarm_names).await,
        Call::PutDashboard {
            dashboard_name,
            dashboard_body,
        } => put_dashboard(aws, at, dashboard_name, dashboard_body).await,
        Call::DeleteAutoScalingGroup {
            auto_scaling_group_name,
            force_delete,
        } => delete_group(aws, at, auto_scaling_group_name, *force_delete).await,
        Call::DeleteTopic { topic_arn } => delete_topic(aws, at, topic_arn).await,
        Call::DeleteDashboards { dashboard_names } => {
            delete_dashboards(aws, at, dashboard_names).await
        }
    }
}

/// `sns:CreateTopic`, recording the new topic's ARN.
async fn create_topic(
    aws: &Aws,
    at: &shapes::At<'_>,
    arns: &Arns,
    name: &str,
    attributes: &BTreeMap<String, String>,
    tags: &[crate::backend::plan::Tag],
) -> Result<(), ApplyError> {
    let mut req =
        aws.sns.create_topic().name(name).set_attributes(
            (!attributes.is_empty()).then(|| attributes.clone().into_iter().collect()),
        );
    for t in tags {
        if let Ok(tag) = aws_sdk_sns::types::Tag::builder()
            .key(&t.key)
            .value(&t.value)
            .build()
        {
            req = req.tags(tag);
        }
    }
    let out = req.send().await.map_err(|e| at.sdk(e))?;
    if let (Some(a), Ok(mut m)) = (out.topic_arn(), arns.lock()) {
        m.insert(ArnRef::Topic(name.to_string()), a.to_string());
    }
    Ok(())
}

/// `sns:SetTopicAttributes`: one attribute of an existing topic.
async fn set_topic_attribute(
    aws: &Aws,
    at: &shapes::At<'_>,
    topic_arn: &str,
    name: &str,
    value: &str,
) -> Result<(), ApplyError> {
    aws.sns
        .set_topic_attributes()
        .topic_arn(topic_arn)
        .attribute_name(name)
        .attribute_value(value)
        .send()
        .await
        .map(drop)
        .map_err(|e| at.sdk(e))
}

/// `sns:Subscribe`.
async fn subscribe(
    aws: &Aws,
    at: &shapes::At<'_>,
    topic_arn: &str,
    protocol: &str,
    endpoint: &str,
) -> Result<(), ApplyError> {
    aws.sns
        .subscribe()
        .topic_arn(topic_arn)
        .protocol(protocol)
        .endpoint(endpoint)
        .send()
        .await
        .map(drop)
        .map_err(|e| at.sdk(e))
}

/// `sns:DeleteTopic`.
async fn delete_topic(aws: &Aws, at: &shapes::At<'_>, topic_arn: &str) -> Result<(), ApplyError> {
    aws.sns
        .delete_topic()
        .topic_arn(topic_arn)
        .send()
        .await
        .map(drop)
        .map_err(|e| at.sdk(e))
}

/// `autoscaling:CreateAutoScalingGroup`. A group that exists already is
/// done: a retried call whose first response was lost made it.
async fn create_group(aws: &Aws, at: &shapes::At<'_>, call: &Call) -> Result<(), ApplyError> {
    use aws_sdk_autoscaling::types::{LaunchTemplateSpecification, Tag};
    let Call::CreateAutoScalingGroup {
        auto_scaling_group_name,
        launch_template,
        mixed_instances_policy,
        min_size,
        max_size,
        desired_capacity,
        vpc_zone_identifier,
        target_group_arns,
        health_check_type,
        health_check_grace_period,
        default_instance_warmup,
        default_cooldown,
        termination_policies,
        capacity_rebalance,
        instance_maintenance_policy,
        new_instances_protected_from_scale_in,
        capacity_reservation_specification,
        availability_zone_distribution,
        lifecycle_hook_specification_list,
        tags,
    } = call
    else {
        return Err(ApplyError::Internal(format!(
            "{} for `{}` is not a group's creation",
            at.api, at.resource
        )));
    };
    let int = |v: u32| to_int(v, at.api, at.resource);
    let lt = launch_template.as_ref().map(|l| {
        LaunchTemplateSpecification::builder()
            .set_launch_template_id(l.launch_template_id.clone())
            .set_launch_template_name(l.launch_template_name.clone())
            .version(&l.version)
            .build()
    });
    let mixed = mixed_instances_policy
        .as_ref()
        .map(|m| shapes::mixed_instances_policy(m, at))
        .transpose()?;
    let maintenance = instance_maintenance_policy
        .as_ref()
        .map(|m| shapes::maintenance(m, at))
        .transpose()?;
    let mut hooks = Vec::with_capacity(lifecycle_hook_specification_list.len());
    for h in lifecycle_hook_specification_list {
        hooks.push(shapes::hook(h, at)?);
    }
    let tags = tags
        .iter()
        .map(|t| {
            Tag::builder()
                .key(&t.key)
                .value(&t.value)
                .propagate_at_launch(t.propagate_at_launch)
                .resource_id(auto_scaling_group_name)
                .resource_type("auto-scaling-group")
                .build()
        })
        .collect();
    let r = aws
        .asg
        .create_auto_scaling_group()
        .auto_scaling_group_name(auto_scaling_group_name)
        .set_launch_template(lt)
        .set_mixed_instances_policy(mixed)
        .min_size(int(*min_size)?)
        .max_size(int(*max_size)?)
        .desired_capacity(int(*desired_capacity)?)
        .vpc_zone_identifier(vpc_zone_identifier)
        .set_target_group_arns((!target_group_arns.is_empty()).then(|| target_group_arns.clone()))
        .health_check_type(health_check_type)
        .health_check_grace_period(int(*health_check_grace_period)?)
        .set_default_instance_warmup(default_instance_warmup.map(int).transpose()?)
        .set_default_cooldown(default_cooldown.map(int).transpose()?)
        .set_termination_policies(
            (!termination_policies.is_empty()).then(|| termination_policies.clone()),
        )
        .set_capacity_rebalance(*capacity_rebalance)
        .set_instance_maintenance_policy(maintenance)
        .set_new_instances_protected_from_scale_in(*new_instances_protected_from_scale_in)
        .set_capacity_reservation_specification(
            capacity_reservation_specification
                .as_ref()
                .map(shapes::capacity_reservation),
        )
        .set_availability_zone_distribution(
            availability_zone_distribution
                .as_ref()
                .map(shapes::az_distribution),
        )
        .set_lifecycle_hook_specification_list((!hooks.is_empty()).then_some(hooks))
        .set_tags(Some(tags))
        .send()
        .await;
    if let Err(e) = r {
        // A retried call whose first response was lost: the group is ours
        // already, so this is done.
        let exists = e
            .as_service_error()
            .is_some_and(|s| s.is_already_exists_fault());
        if !exists {
            return Err(at.sdk(e));
        }
    }
    Ok(())
}

/// `autoscaling:UpdateAutoScalingGroup`, from the plan's JSON request.
async fn update_group(aws: &Aws, at: &shapes::At<'_>, req: &Json) -> Result<(), ApplyError> {
    let field = |k: &str| json_int(req, k, at.api, at.resource);
    let mixed = req
        .get("MixedInstancesPolicy")
        .map(|m| shapes::mixed_instances_policy(m, at))
        .transpose()?;
    let maintenance = req
        .get("InstanceMaintenancePolicy")
        .map(|m| shapes::maintenance(m, at))
        .transpose()?;
    aws.asg
        .update_auto_scaling_group()
        .auto_scaling_group_name(text(req, "AutoScalingGroupName").unwrap_or_default())
        .set_launch_template(req.get("LaunchTemplate").map(shapes::launch_template))
        .set_mixed_instances_policy(mixed)
        .set_min_size(field("MinSize")?)
        .set_max_size(field("MaxSize")?)
        .set_desired_capacity(field("DesiredCapacity")?)
        .set_vpc_zone_identifier(text(req, "VPCZoneIdentifier").map(str::to_string))
        .set_health_check_type(text(req, "HealthCheckType").map(str::to_string))
        .set_health_check_grace_period(field("HealthCheckGracePeriod")?)
        .set_default_instance_warmup(field("DefaultInstanceWarmup")?)
        .set_default_cooldown(field("DefaultCooldown")?)
        .set_termination_policies(shapes::texts(req, "TerminationPolicies"))
        .set_capacity_rebalance(req.get("CapacityRebalance").and_then(Json::as_bool))
        .set_instance_maintenance_policy(maintenance)
        .set_new_instances_protected_from_scale_in(
            req.get("NewInstancesProtectedFromScaleIn")
                .and_then(Json::as_bool),
        )
        .set_capacity_reservation_specification(
            req.get("CapacityReservationSpecification")
                .map(shapes::capacity_reservation),
        )
        .set_availability_zone_distribution(
            req.get("AvailabilityZoneDistribution")
                .map(shapes::az_distribution),
        )
        .send()
        .await
        .map(drop)
        .map_err(|e| at.sdk(e))
}

/// `autoscaling:DeleteAutoScalingGroup`.
async fn delete_group(
    aws: &Aws,
    at: &shapes::At<'_>,
    group: &str,
    force_delete: bool,
) -> Result<(), ApplyError> {
    aws.asg
        .delete_auto_scaling_group()
        .auto_scaling_group_name(group)
        .force_delete(force_delete)
        .send()
        .await
        .map(drop)
        .map_err(|e| at.sdk(e))
}

/// `autoscaling:EnableMetricsCollection`.
async fn enable_metrics(
    aws: &Aws,
    at: &shapes::At<'_>,
    group: &str,
    granularity: &str,
    metrics: &[String],
) -> Result<(), ApplyError> {
    aws.asg
        .enable_metrics_collection()
        .auto_scaling_group_name(group)
        .granularity(granularity)
        .set_metrics((!metrics.is_empty()).then(|| metrics.to_vec()))
        .send()
        .await
        .map(drop)
        .map_err(|e| at.sdk(e))
}

/// `autoscaling:PutNotificationConfiguration`.
async fn put_notifications(
    aws: &Aws,
    at: &shapes::At<'_>,
    group: &str,
    topic_arn: &str,
    notification_types: &[String],
) -> Result<(), ApplyError> {
    aws.asg
        .put_notification_configuration()
        .auto_scaling_group_name(group)
        .topic_arn(topic_arn)
        .set_notification_types(Some(notification_types.to_vec()))
        .send()
        .await
        .map(drop)
        .map_err(|e| at.sdk(e))
}

/// `autoscaling:DeleteNotificationConfiguration`.
async fn delete_notifications(
    aws: &Aws,
    at: &shapes::At<'_>,
    group: &str,
    topic_arn: &str,
) -> Result<(), ApplyError> {
    aws.asg
        .delete_notification_configuration()
        .auto_scaling_group_name(group)
        .topic_arn(topic_arn)
        .send()
        .await
        .map(drop)
        .map_err(|e| at.sdk(e))
}

/// `autoscaling:PutScalingPolicy`, recording the policy's ARN (asked for
/// with `DescribePolicies` where the response leaves it out).
async fn put_policy_recording_arn(
    aws: &Aws,
    at: &shapes::At<'_>,
    p: &ScalingPolicy,
    arns: &Arns,
) -> Result<(), ApplyError> {
    let out = put_policy(aws, p, at.api, at.resource).await?;
    let policy_arn = match out.policy_arn() {
        Some(a) => a.to_string(),
        // Some endpoints (the local emulator) don't return it.
        None => aws
            .asg
            .describe_policies()
            .auto_scaling_group_name(&p.auto_scaling_group_name)
            .policy_names(&p.policy_name)
            .send()
            .await
            .map_err(|e| at.sdk(e))?
            .scaling_policies()
            .first()
            .and_then(|x| x.policy_arn())
            .unwrap_or_default()
            .to_string(),
    };
    if let Ok(mut m) = arns.lock() {
        m.insert(
            ArnRef::Policy {
                group: p.auto_scaling_group_name.clone(),
                policy: p.policy_name.clone(),
            },
            policy_arn,
        );
    }
    Ok(())
}

/// `autoscaling:DeletePolicy`.
async fn delete_policy(
    aws: &Aws,
    at: &shapes::At<'_>,
    group: &str,
    policy_name: &str,
) -> Result<(), ApplyError> {
    aws.asg
        .delete_policy()
        .auto_scaling_group_name(group)
        .policy_name(policy_name)
        .send()
        .await
        .map(drop)
        .map_err(|e| at.sdk(e))
}

/// `autoscaling:PutScheduledUpdateGroupAction`; `names` are the group's
/// and the action's, `sizes` the minimum, maximum and desired capacity.
async fn put_schedule(
    aws: &Aws,
    at: &shapes::At<'_>,
    (group, action): (&str, &str),
    recurrence: &str,
    time_zone: Option<&str>,
    [min_size, max_size, desired_capacity]: [Option<u32>; 3],
) -> Result<(), ApplyError> {
    let int = |v: u32| to_int(v, at.api, at.resource);
    aws.asg
        .put_scheduled_update_group_action()
        .auto_scaling_group_name(group)
        .scheduled_action_name(action)
        .recurrence(recurrence)
        .set_time_zone(time_zone.map(str::to_string))
        .set_min_size(min_size.map(int).transpose()?)
        .set_max_size(max_size.map(int).transpose()?)
        .set_desired_capacity(desired_capacity.map(int).transpose()?)
        .send()
        .await
        .map(drop)
        .map_err(|e| at.sdk(e))
}

/// `autoscaling:DeleteScheduledAction`.
async fn delete_schedule(
    aws: &Aws,
    at: &shapes::At<'_>,
    group: &str,
    action: &str,
) -> Result<(), ApplyError> {
    aws.asg
        .delete_scheduled_action()
        .auto_scaling_group_name(group)
        .scheduled_action_name(action)
        .send()
        .await
        .map(drop)
        .map_err(|e| at.sdk(e))
}

/// `autoscaling:PutLifecycleHook`, from the plan's JSON request.
async fn put_hook(aws: &Aws, at: &shapes::At<'_>, req: &Json) -> Result<(), ApplyError> {
    aws.asg
        .put_lifecycle_hook()
        .auto_scaling_group_name(text(req, "AutoScalingGroupName").unwrap_or_default())
        .lifecycle_hook_name(text(req, "LifecycleHookName").unwrap_or_default())
        .set_lifecycle_transition(shapes::text(req, "LifecycleTransition"))
        .set_heartbeat_timeout(at.int(req, "HeartbeatTimeout")?)
        .set_default_result(shapes::text(req, "DefaultResult"))
        .set_notification_metadata(shapes::text(req, "NotificationMetadata"))
        .set_notification_target_arn(shapes::text(req, "NotificationTargetARN"))
        .set_role_arn(shapes::text(req, "RoleARN"))
        .send()
        .await
        .map(drop)
        .map_err(|e| at.sdk(e))
}

/// `autoscaling:DeleteLifecycleHook`.
async fn delete_hook(
    aws: &Aws,
    at: &shapes::At<'_>,
    group: &str,
    hook: &str,
) -> Result<(), ApplyError> {
    aws.asg
        .delete_lifecycle_hook()
        .auto_scaling_group_name(group)
        .lifecycle_hook_name(hook)
        .send()
        .await
        .map(drop)
        .map_err(|e| at.sdk(e))
}

/// `autoscaling:PutWarmPool`, from the plan's JSON request.
async fn put_warm_pool(aws: &Aws, at: &shapes::At<'_>, req: &Json) -> Result<(), ApplyError> {
    let reuse = req
        .get("InstanceReusePolicy")
        .and_then(|r| r.get("ReuseOnScaleIn"))
        .and_then(Json::as_bool)
        .map(|b| {
            aws_sdk_autoscaling::types::InstanceReusePolicy::builder()
                .reuse_on_scale_in(b)
                .build()
        });
    aws.asg
        .put_warm_pool()
        .auto_scaling_group_name(text(req, "AutoScalingGroupName").unwrap_or_default())
        .set_min_size(at.int(req, "MinSize")?)
        .set_max_group_prepared_capacity(at.int(req, "MaxGroupPreparedCapacity")?)
        .set_pool_state(
            shapes::text(req, "PoolState")
                .map(|s| aws_sdk_autoscaling::types::WarmPoolState::from(s.as_str())),
        )
        .set_instance_reuse_policy(reuse)
        .send()
        .await
        .map(drop)
        .map_err(|e| at.sdk(e))
}

/// `autoscaling:DeleteWarmPool`.
async fn delete_warm_pool(
    aws: &Aws,
    at: &shapes::At<'_>,
    group: &str,
    force_delete: bool,
) -> Result<(), ApplyError> {
    aws.asg
        .delete_warm_pool()
        .auto_scaling_group_name(group)
        .force_delete(force_delete)
        .send()
        .await
        .map(drop)
        .map_err(|e| at.sdk(e))
}

/// `autoscaling:SuspendProcesses`.
async fn suspend_processes(
    aws: &Aws,
    at: &shapes::At<'_>,
    group: &str,
    processes: &[String],
) -> Result<(), ApplyError> {
    aws.asg
        .suspend_processes()
        .auto_scaling_group_name(group)
        .set_scaling_processes(Some(processes.to_vec()))
        .send()
        .await
        .map(drop)
        .map_err(|e| at.sdk(e))
}

/// `autoscaling:ResumeProcesses`.
async fn resume_processes(
    aws: &Aws,
    at: &shapes::At<'_>,
    group: &str,
    processes: &[String],
) -> Result<(), ApplyError> {
    aws.asg
        .resume_processes()
        .auto_scaling_group_name(group)
        .set_scaling_processes(Some(processes.to_vec()))
        .send()
        .await
        .map(drop)
        .map_err(|e| at.sdk(e))
}

/// `autoscaling:AttachLoadBalancerTargetGroups`.
async fn attach_target_groups(
    aws: &Aws,
    at: &shapes::At<'_>,
    group: &str,
    target_group_arns: &[String],
) -> Result<(), ApplyError> {
    aws.asg
        .attach_load_balancer_target_groups()
        .auto_scaling_group_name(group)
        .set_target_group_arns(Some(target_group_arns.to_vec()))
        .send()
        .await
        .map(drop)
        .map_err(|e| at.sdk(e))
}

/// `autoscaling:DetachLoadBalancerTargetGroups`.
async fn detach_target_groups(
    aws: &Aws,
    at: &shapes::At<'_>,
    group: &str,
    target_group_arns: &[String],
) -> Result<(), ApplyError> {
    aws.asg
        .detach_load_balancer_target_groups()
        .auto_scaling_group_name(group)
        .set_target_group_arns(Some(target_group_arns.to_vec()))
        .send()
        .await
        .map(drop)
        .map_err(|e| at.sdk(e))
}

/// `autoscaling:CreateOrUpdateTags`.
async fn tag_resources(
    aws: &Aws,
    at: &shapes::At<'_>,
    tags: &[crate::backend::plan::ResourceTag],
) -> Result<(), ApplyError> {
    let tags = tags
        .iter()
        .map(|t| {
            aws_sdk_autoscaling::types::Tag::builder()
                .key(&t.key)
                .value(&t.value)
                .propagate_at_launch(t.propagate_at_launch)
                .resource_id(&t.resource_id)
                .resource_type(&t.resource_type)
                .build()
        })
        .collect();
    aws.asg
        .create_or_update_tags()
        .set_tags(Some(tags))
        .send()
        .await
        .map(drop)
        .map_err(|e| at.sdk(e))
}

/// `cloudwatch:DeleteAlarms`.
async fn delete_alarms(
    aws: &Aws,
    at: &shapes::At<'_>,
    alarm_names: &[String],
) -> Result<(), ApplyError> {
    aws.cw
        .delete_alarms()
        .set_alarm_names(Some(alarm_names.to_vec()))
        .send()
        .await
        .map(drop)
        .map_err(|e| at.sdk(e))
}

/// `cloudwatch:PutDashboard`.
async fn put_dashboard(
    aws: &Aws,
    at: &shapes::At<'_>,
    name: &str,
    body: &str,
) -> Result<(), ApplyError> {
    aws.cw
        .put_dashboard()
        .dashboard_name(name)
        .dashboard_body(body)
        .send()
        .await
        .map(drop)
        .map_err(|e| at.sdk(e))
}

/// `cloudwatch:DeleteDashboards`.
async fn delete_dashboards(
    aws: &Aws,
    at: &shapes::At<'_>,
    dashboard_names: &[String],
) -> Result<(), ApplyError> {
    aws.cw
        .delete_dashboards()
        .set_dashboard_names(Some(dashboard_names.to_vec()))
        .send()
        .await
        .map(drop)
        .map_err(|e| at.sdk(e))
}

async fn put_policy(
    aws: &Aws,
    p: &ScalingPolicy,
    api: &str,
    resource: &str,
) -> Result<aws_sdk_autoscaling::operation::put_scaling_policy::PutScalingPolicyOutput, ApplyError>
{
    let int = |v: u32| to_int(v, api, resource);
    use aws_sdk_autoscaling::types::*;
    let mut steps = Vec::new();
    for s in &p.step_adjustments {
        let adjustment = json_int(s, "ScalingAdjustment", api, resource)?.unwrap_or_default();
        steps.push(
            StepAdjustment::builder()
                .set_metric_interval_lower_bound(num(s, "MetricIntervalLowerBound"))
                .set_metric_interval_upper_bound(num(s, "MetricIntervalUpperBound"))
                .scaling_adjustment(adjustment)
                .build(),
        );
    }
    let tt = p.target_tracking_configuration.as_ref().map(|c| {
        let mut b = TargetTrackingConfiguration::builder()
            .target_value(num(c, "TargetValue").unwrap_or_default())
            .set_disable_scale_in(c.get("DisableScaleIn").and_then(Json::as_bool));
        if let Some(pre) = c.get("PredefinedMetricSpecification") {
            b = b.predefined_metric_specification(
                PredefinedMetricSpecification::builder()
                    .predefined_metric_type(MetricType::from(
                        text(pre, "PredefinedMetricType").unwrap_or_default(),
                    ))
                    .set_resource_label(text(pre, "ResourceLabel").map(str::to_string))
                    .build(),
            );
        }
        if let Some(cu) = c.get("CustomizedMetricSpecification")
            && cu.get("Metrics").is_some()
        {
            b = b.customized_metric_specification(shapes::tracking_math(cu));
        } else if let Some(cu) = c.get("CustomizedMetricSpecification") {
            let dims = cu
                .get("Dimensions")
                .and_then(Json::as_array)
                .map(|a| {
                    a.iter()
                        .map(|d| {
                            MetricDimension::builder()
                                .name(text(d, "Name").unwrap_or_default())
                                .value(text(d, "Value").unwrap_or_default())
                                .build()
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            b = b.customized_metric_specification(
                CustomizedMetricSpecification::builder()
                    .namespace(text(cu, "Namespace").unwrap_or_default())
                    .metric_name(text(cu, "MetricName").unwrap_or_default())
                    .statistic(MetricStatistic::from(
                        text(cu, "Statistic").unwrap_or_default(),
                    ))
                    .set_dimensions(Some(dims))
                    .build(),
            );
        }
        b.build()
    });
    let at = shapes::At { api, resource };
    let predictive = p
        .predictive_scaling_configuration
        .as_ref()
        .map(|c| shapes::predictive_configuration(c, &at))
        .transpose()?;
    aws.asg
        .put_scaling_policy()
        .auto_scaling_group_name(&p.auto_scaling_group_name)
        .policy_name(&p.policy_name)
        .policy_type(&p.policy_type)
        .set_adjustment_type(p.adjustment_type.clone())
        .set_scaling_adjustment(p.scaling_adjustment)
        .set_cooldown(p.cooldown.map(int).transpose()?)
        .set_min_adjustment_magnitude(p.min_adjustment_magnitude.map(int).transpose()?)
        .set_metric_aggregation_type(p.metric_aggregation_type.clone())
        .set_estimated_instance_warmup(p.estimated_instance_warmup.map(int).transpose()?)
        .set_step_adjustments((!steps.is_empty()).then_some(steps))
        .set_target_tracking_configuration(tt)
        .set_predictive_scaling_configuration(predictive)
        .send()
        .await
        .map_err(|e| ApplyError::sdk(api, resource, e))
}

async fn put_alarm(
    aws: &Aws,
    a: &MetricAlarm,
    arns: &Arns,
    api: &str,
    resource: &str,
) -> Result<(), ApplyError> {
    let int = |v: u32| to_int(v, api, resource);
    use aws_sdk_cloudwatch::types::*;
    let dims = |v: &[Json]| -> Vec<Dimension> {
        v.iter()
            .map(|d| {
                Dimension::builder()
                    .name(text(d, "Name").unwrap_or_default())
                    .value(text(d, "Value").unwrap_or_default())
                    .build()
            })
            .collect()
    };
    let mut queries: Vec<MetricDataQuery> = Vec::new();
    for q in &a.metrics {
        let period = json_int(
            q.get("MetricStat").unwrap_or(&Json::Null),
            "Period",
            api,
            resource,
        )?;
        queries.push({
            let mut b = MetricDataQuery::builder()
                .id(text(q, "Id").unwrap_or_default())
                .set_return_data(q.get("ReturnData").and_then(Json::as_bool))
                .set_expression(text(q, "Expression").map(str::to_string))
                .set_label(text(q, "Label").map(str::to_string));
            if let Some(ms) = q.get("MetricStat") {
                let m = &ms["Metric"];
                let metric = Metric::builder()
                    .namespace(text(m, "Namespace").unwrap_or_default())
                    .metric_name(text(m, "MetricName").unwrap_or_default())
                    .set_dimensions(Some(dims(
                        m.get("Dimensions")
                            .and_then(Json::as_array)
                            .map(Vec::as_slice)
                            .unwrap_or_default(),
                    )))
                    .build();
                b = b.metric_stat(
                    MetricStat::builder()
                        .metric(metric)
                        .period(period.unwrap_or(60))
                        .stat(text(ms, "Stat").unwrap_or("Average"))
                        .build(),
                );
            }
            b.build()
        });
    }
    let actions: Vec<String> = a.alarm_actions.iter().map(|r| arn(arns, r)).collect();
    let tags = a
        .tags
        .iter()
        .map(|t| Tag::builder().key(&t.key).value(&t.value).build())
        .collect();
    aws.cw
        .put_metric_alarm()
        .alarm_name(&a.alarm_name)
        .alarm_description(&a.alarm_description)
        .set_namespace(a.namespace.clone())
        .set_metric_name(a.metric_name.clone())
        .set_dimensions((!a.dimensions.is_empty()).then(|| dims(&a.dimensions)))
        .set_statistic(a.statistic.as_deref().map(Statistic::from))
        .set_period(a.period.map(int).transpose()?)
        .set_metrics((!queries.is_empty()).then_some(queries))
        .evaluation_periods(int(a.evaluation_periods)?)
        .datapoints_to_alarm(int(a.datapoints_to_alarm)?)
        .threshold(a.threshold)
        .comparison_operator(ComparisonOperator::from(a.comparison_operator.as_str()))
        .treat_missing_data(&a.treat_missing_data)
        .set_alarm_actions(Some(actions))
        .set_tags(Some(tags))
        .send()
        .await
        .map(|_| ())
        .map_err(|e| ApplyError::sdk(api, resource, e))
}

/// The ARNs of existing topics and policies, for [`execute`].
pub fn known_arns(state: &crate::backend::plan::LiveState) -> HashMap<ArnRef, String> {
    let mut m = HashMap::new();
    for (name, arn) in &state.topics {
        m.insert(ArnRef::Topic(name.clone()), arn.clone());
    }
    for (group, g) in &state.groups {
        for (policy, (_, arn)) in &g.policies {
            m.insert(
                ArnRef::Policy {
                    group: group.clone(),
                    policy: policy.clone(),
                },
                arn.clone(),
            );
        }
    }
    m
}
