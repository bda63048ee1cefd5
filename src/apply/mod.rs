//! Executes an [`ApplyPlan`] with the AWS SDK. This is the only module that
//! does network I/O.
//!
//! Credentials, region and endpoints come from `aws-config`'s standard chain
//! (environment, profiles, SSO, IMDS; `AWS_ENDPOINT_URL` and the
//! per-service endpoint variables), so scalec runs against local emulators.
//! Calls run step by step (see [`crate::backend::plan`]); the calls of one
//! step run concurrently, up to a bound. ARNs that only exist after a call
//! (topics, policies) are recorded and substituted into later calls.
//!
//! CloudWatch is `aws-sdk-cloudwatch` 1.99, the last release that speaks the
//! awsQuery protocol: later releases speak Smithy RPC-v2 CBOR, which the
//! local emulator the tests use (moto) doesn't understand.

use crate::backend::plan::{ApplyPlan, ArnRef, Call, MetricAlarm, Operation, ScalingPolicy};
use aws_sdk_autoscaling::error::ProvideErrorMetadata;
use aws_sdk_sns::config::ProvideCredentials;
use serde_json::Value as Json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Why an apply stopped.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// No usable credentials.
    #[error("{0}")]
    Credentials(String),
    /// An AWS call failed.
    #[error("{api} for `{resource}` failed: {message}")]
    Call {
        /// The API.
        api: String,
        /// The resource.
        resource: String,
        /// What AWS said.
        message: String,
    },
    /// The environment exists already; this version only creates.
    #[error("{0}")]
    Exists(String),
}

/// SDK clients for one region.
#[derive(Clone)]
pub struct Aws {
    asg: aws_sdk_autoscaling::Client,
    cw: aws_sdk_cloudwatch::Client,
    sns: aws_sdk_sns::Client,
}

const NO_CREDENTIALS: &str = "scalec found no AWS credentials.

It looks where the AWS CLI and SDKs look, in this order:
  1. AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN)
  2. the profile in AWS_PROFILE or --profile, from ~/.aws/config and ~/.aws/credentials
     (including SSO profiles: run `aws sso login --profile NAME` first)
  3. a web identity token, ECS task role or EC2 instance profile

Set one of these, or plan without AWS with `scalec plan --offline`.";

impl Aws {
    /// Loads the standard configuration and checks that credentials resolve.
    pub async fn connect(region: &str, profile: Option<&str>) -> Result<Aws, ApplyError> {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .http_client(http_client())
            .region(aws_config::Region::new(region.to_string()));
        if let Some(p) = profile {
            loader = loader.profile_name(p);
        }
        let config = loader.load().await;
        match config.credentials_provider() {
            Some(provider) => {
                if let Err(e) = provider.provide_credentials().await {
                    return Err(ApplyError::Credentials(format!(
                        "{NO_CREDENTIALS}\n\n(details: {e})"
                    )));
                }
            }
            None => return Err(ApplyError::Credentials(NO_CREDENTIALS.to_string())),
        }
        let asg_conf = aws_sdk_autoscaling::config::Builder::from(&config)
            .retry_config(retry())
            .build();
        let cw_conf = aws_sdk_cloudwatch::config::Builder::from(&config)
            .retry_config(retry())
            .build();
        let sns_conf = aws_sdk_sns::config::Builder::from(&config)
            .retry_config(retry())
            .build();
        Ok(Aws {
            asg: aws_sdk_autoscaling::Client::from_conf(asg_conf),
            cw: aws_sdk_cloudwatch::Client::from_conf(cw_conf),
            sns: aws_sdk_sns::Client::from_conf(sns_conf),
        })
    }
}

/// The HTTPS client every SDK client uses: hyper with rustls on `ring`, the
/// SDK's own client minus the C code of aws-lc, which dominated a fresh
/// clone's build.
pub fn http_client() -> aws_sdk_autoscaling::config::SharedHttpClient {
    use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

fn retry() -> aws_config::retry::RetryConfig {
    aws_config::retry::RetryConfig::standard()
        .with_max_attempts(6)
        .with_initial_backoff(std::time::Duration::from_millis(50))
}

fn call_error<E: ProvideErrorMetadata + std::error::Error>(
    api: &str,
    resource: &str,
    e: E,
) -> ApplyError {
    ApplyError::Call {
        api: api.to_string(),
        resource: resource.to_string(),
        message: describe(&e),
    }
}

/// `Code: message` from AWS, or the error chain when there is no code
/// (a connection failure, a timeout).
fn describe<E: ProvideErrorMetadata + std::error::Error>(e: &E) -> String {
    match (e.code(), e.message()) {
        (Some(code), Some(msg)) => format!("{code}: {msg}"),
        (Some(code), None) => code.to_string(),
        _ => aws_sdk_autoscaling::error::DisplayErrorContext(e).to_string(),
    }
}

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

/// Runs a plan's calls in order; calls of one step run concurrently, at
/// most `concurrency` at a time. `known` holds the ARNs of what exists
/// already (topics, policies), for calls that refer to them. Stops at the first failure and returns
/// what was done so far with the error.
pub async fn execute(
    aws: &Aws,
    plan: &ApplyPlan,
    known: HashMap<ArnRef, String>,
    concurrency: usize,
    on_done: &(dyn Fn(&Operation) + Sync),
) -> Result<Summary, (Summary, ApplyError)> {
    let arns: Arns = Arc::new(Mutex::new(known));
    let mut summary = Summary::default();
    let mut i = 0;
    while i < plan.operations.len() {
        let step = plan.operations[i].step;
        let mut j = i;
        while j < plan.operations.len() && plan.operations[j].step == step {
            j += 1;
        }
        for chunk in plan.operations[i..j].chunks(concurrency.max(1)) {
            let mut set = tokio::task::JoinSet::new();
            for (k, op) in chunk.iter().enumerate() {
                let aws = aws.clone();
                let op = op.clone();
                let arns = arns.clone();
                set.spawn(async move { (k, run(&aws, &op, &arns).await) });
            }
            let mut results: Vec<(usize, Result<(), ApplyError>)> = Vec::new();
            while let Some(r) = set.join_next().await {
                match r {
                    Ok(x) => results.push(x),
                    Err(e) => {
                        return Err((
                            summary,
                            ApplyError::Call {
                                api: "task".into(),
                                resource: String::new(),
                                message: e.to_string(),
                            },
                        ));
                    }
                }
            }
            results.sort_by_key(|(k, _)| *k);
            let mut failure = None;
            for (k, r) in results {
                let op = &chunk[k];
                match r {
                    Ok(()) => {
                        on_done(op);
                        summary
                            .done
                            .push(format!("{} {}", api_name(&op.call), op.resource));
                    }
                    Err(e) => {
                        failure.get_or_insert(e);
                    }
                }
            }
            if let Some(e) = failure {
                return Err((summary, e));
            }
        }
        i = j;
    }
    Ok(summary)
}

/// `autoscaling:PutScalingPolicy`, ...
pub fn api_name(call: &Call) -> String {
    serde_json::to_value(call)
        .ok()
        .and_then(|v| v.get("api").and_then(|a| a.as_str()).map(str::to_string))
        .unwrap_or_default()
}

async fn run(aws: &Aws, op: &Operation, arns: &Arns) -> Result<(), ApplyError> {
    let api = api_name(&op.call);
    let err = |e: &dyn Describe| ApplyError::Call {
        api: api.clone(),
        resource: op.resource.clone(),
        message: e.describe(),
    };
    match &op.call {
        Call::CreateTopic { name, tags } => {
            let mut req = aws.sns.create_topic().name(name);
            for t in tags {
                if let Ok(tag) = aws_sdk_sns::types::Tag::builder()
                    .key(&t.key)
                    .value(&t.value)
                    .build()
                {
                    req = req.tags(tag);
                }
            }
            let out = req.send().await.map_err(|e| err(&e))?;
            if let (Some(a), Ok(mut m)) = (out.topic_arn(), arns.lock()) {
                m.insert(ArnRef::Topic(name.clone()), a.to_string());
            }
        }
        Call::Subscribe {
            topic_arn,
            protocol,
            endpoint,
        } => {
            aws.sns
                .subscribe()
                .topic_arn(arn(arns, topic_arn))
                .protocol(protocol)
                .endpoint(endpoint)
                .send()
                .await
                .map_err(|e| err(&e))?;
        }
        Call::CreateAutoScalingGroup {
            auto_scaling_group_name,
            launch_template,
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
            tags,
        } => {
            use aws_sdk_autoscaling::types::{LaunchTemplateSpecification, Tag};
            let lt = LaunchTemplateSpecification::builder()
                .launch_template_id(&launch_template.launch_template_id)
                .version(&launch_template.version)
                .build();
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
                .launch_template(lt)
                .min_size(*min_size as i32)
                .max_size(*max_size as i32)
                .desired_capacity(*desired_capacity as i32)
                .vpc_zone_identifier(vpc_zone_identifier)
                .set_target_group_arns(
                    (!target_group_arns.is_empty()).then(|| target_group_arns.clone()),
                )
                .health_check_type(health_check_type)
                .health_check_grace_period(*health_check_grace_period as i32)
                .set_default_instance_warmup(default_instance_warmup.map(|w| w as i32))
                .set_default_cooldown(default_cooldown.map(|c| c as i32))
                .set_termination_policies(
                    (!termination_policies.is_empty()).then(|| termination_policies.clone()),
                )
                .set_tags(Some(tags))
                .send()
                .await;
            if let Err(e) = r {
                // A retried call whose first response was lost: the group
                // is ours already, so this is done.
                let exists = e
                    .as_service_error()
                    .is_some_and(|s| s.is_already_exists_fault());
                if !exists {
                    return Err(err(&e));
                }
            }
        }
        Call::EnableMetricsCollection {
            auto_scaling_group_name,
            granularity,
            metrics,
        } => {
            aws.asg
                .enable_metrics_collection()
                .auto_scaling_group_name(auto_scaling_group_name)
                .granularity(granularity)
                .set_metrics(Some(metrics.clone()))
                .send()
                .await
                .map_err(|e| err(&e))?;
        }
        Call::PutNotificationConfiguration {
            auto_scaling_group_name,
            topic_arn,
            notification_types,
        } => {
            aws.asg
                .put_notification_configuration()
                .auto_scaling_group_name(auto_scaling_group_name)
                .topic_arn(arn(arns, topic_arn))
                .set_notification_types(Some(notification_types.clone()))
                .send()
                .await
                .map_err(|e| err(&e))?;
        }
        Call::PutScalingPolicy(p) => {
            let out = put_policy(aws, p).await.map_err(|e| err(&e))?;
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
                    .map_err(|e| err(&e))?
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
        }
        Call::PutScheduledUpdateGroupAction {
            auto_scaling_group_name,
            scheduled_action_name,
            recurrence,
            time_zone,
            min_size,
            max_size,
            desired_capacity,
        } => {
            aws.asg
                .put_scheduled_update_group_action()
                .auto_scaling_group_name(auto_scaling_group_name)
                .scheduled_action_name(scheduled_action_name)
                .recurrence(recurrence)
                .set_time_zone(time_zone.clone())
                .set_min_size(min_size.map(|v| v as i32))
                .set_max_size(max_size.map(|v| v as i32))
                .set_desired_capacity(desired_capacity.map(|v| v as i32))
                .send()
                .await
                .map_err(|e| err(&e))?;
        }
        Call::PutMetricAlarm(a) => {
            put_alarm(aws, a, arns).await.map_err(|e| err(&e))?;
        }
        Call::UpdateAutoScalingGroup(req) => {
            use aws_sdk_autoscaling::types::LaunchTemplateSpecification;
            let int = |k: &str| num(req, k).map(|v| v as i32);
            let lt = req.get("LaunchTemplate").map(|l| {
                LaunchTemplateSpecification::builder()
                    .set_launch_template_id(text(l, "LaunchTemplateId").map(str::to_string))
                    .set_version(text(l, "Version").map(str::to_string))
                    .build()
            });
            aws.asg
                .update_auto_scaling_group()
                .auto_scaling_group_name(text(req, "AutoScalingGroupName").unwrap_or_default())
                .set_launch_template(lt)
                .set_min_size(int("MinSize"))
                .set_max_size(int("MaxSize"))
                .set_desired_capacity(int("DesiredCapacity"))
                .set_vpc_zone_identifier(text(req, "VPCZoneIdentifier").map(str::to_string))
                .set_health_check_type(text(req, "HealthCheckType").map(str::to_string))
                .set_health_check_grace_period(int("HealthCheckGracePeriod"))
                .set_default_instance_warmup(int("DefaultInstanceWarmup"))
                .set_default_cooldown(int("DefaultCooldown"))
                .set_termination_policies(
                    req.get("TerminationPolicies")
                        .and_then(Json::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(|x| x.as_str().map(str::to_string))
                                .collect()
                        }),
                )
                .send()
                .await
                .map_err(|e| err(&e))?;
        }
        Call::AttachLoadBalancerTargetGroups {
            auto_scaling_group_name,
            target_group_arns,
        } => {
            aws.asg
                .attach_load_balancer_target_groups()
                .auto_scaling_group_name(auto_scaling_group_name)
                .set_target_group_arns(Some(target_group_arns.clone()))
                .send()
                .await
                .map_err(|e| err(&e))?;
        }
        Call::DetachLoadBalancerTargetGroups {
            auto_scaling_group_name,
            target_group_arns,
        } => {
            aws.asg
                .detach_load_balancer_target_groups()
                .auto_scaling_group_name(auto_scaling_group_name)
                .set_target_group_arns(Some(target_group_arns.clone()))
                .send()
                .await
                .map_err(|e| err(&e))?;
        }
        Call::CreateOrUpdateTags {
            auto_scaling_group_name,
            tags,
        } => {
            let tags = tags
                .iter()
                .map(|t| {
                    aws_sdk_autoscaling::types::Tag::builder()
                        .key(&t.key)
                        .value(&t.value)
                        .propagate_at_launch(t.propagate_at_launch)
                        .resource_id(auto_scaling_group_name)
                        .resource_type("auto-scaling-group")
                        .build()
                })
                .collect();
            aws.asg
                .create_or_update_tags()
                .set_tags(Some(tags))
                .send()
                .await
                .map_err(|e| err(&e))?;
        }
        Call::DeletePolicy {
            auto_scaling_group_name,
            policy_name,
        } => {
            aws.asg
                .delete_policy()
                .auto_scaling_group_name(auto_scaling_group_name)
                .policy_name(policy_name)
                .send()
                .await
                .map_err(|e| err(&e))?;
        }
        Call::DeleteScheduledAction {
            auto_scaling_group_name,
            scheduled_action_name,
        } => {
            aws.asg
                .delete_scheduled_action()
                .auto_scaling_group_name(auto_scaling_group_name)
                .scheduled_action_name(scheduled_action_name)
                .send()
                .await
                .map_err(|e| err(&e))?;
        }
        Call::DeleteNotificationConfiguration {
            auto_scaling_group_name,
            topic_arn,
        } => {
            aws.asg
                .delete_notification_configuration()
                .auto_scaling_group_name(auto_scaling_group_name)
                .topic_arn(topic_arn)
                .send()
                .await
                .map_err(|e| err(&e))?;
        }
        Call::DeleteAlarms { alarm_names } => {
            aws.cw
                .delete_alarms()
                .set_alarm_names(Some(alarm_names.clone()))
                .send()
                .await
                .map_err(|e| err(&e))?;
        }
        Call::PutDashboard {
            dashboard_name,
            dashboard_body,
        } => {
            aws.cw
                .put_dashboard()
                .dashboard_name(dashboard_name)
                .dashboard_body(dashboard_body)
                .send()
                .await
                .map_err(|e| err(&e))?;
        }
    }
    Ok(())
}

/// An SDK error that can say what AWS answered.
trait Describe {
    fn describe(&self) -> String;
}

impl<E: ProvideErrorMetadata + std::error::Error> Describe for E {
    fn describe(&self) -> String {
        describe(self)
    }
}

fn num(j: &Json, key: &str) -> Option<f64> {
    j.get(key).and_then(Json::as_f64)
}

fn text<'j>(j: &'j Json, key: &str) -> Option<&'j str> {
    j.get(key).and_then(Json::as_str)
}

async fn put_policy(
    aws: &Aws,
    p: &ScalingPolicy,
) -> Result<
    aws_sdk_autoscaling::operation::put_scaling_policy::PutScalingPolicyOutput,
    aws_sdk_autoscaling::error::SdkError<
        aws_sdk_autoscaling::operation::put_scaling_policy::PutScalingPolicyError,
    >,
> {
    use aws_sdk_autoscaling::types::*;
    let steps = p
        .step_adjustments
        .iter()
        .map(|s| {
            StepAdjustment::builder()
                .set_metric_interval_lower_bound(num(s, "MetricIntervalLowerBound"))
                .set_metric_interval_upper_bound(num(s, "MetricIntervalUpperBound"))
                .scaling_adjustment(num(s, "ScalingAdjustment").unwrap_or_default() as i32)
                .build()
        })
        .collect::<Vec<_>>();
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
        if let Some(cu) = c.get("CustomizedMetricSpecification") {
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
    aws.asg
        .put_scaling_policy()
        .auto_scaling_group_name(&p.auto_scaling_group_name)
        .policy_name(&p.policy_name)
        .policy_type(&p.policy_type)
        .set_adjustment_type(p.adjustment_type.clone())
        .set_scaling_adjustment(p.scaling_adjustment)
        .set_cooldown(p.cooldown.map(|c| c as i32))
        .set_min_adjustment_magnitude(p.min_adjustment_magnitude.map(|m| m as i32))
        .set_metric_aggregation_type(p.metric_aggregation_type.clone())
        .set_estimated_instance_warmup(p.estimated_instance_warmup.map(|w| w as i32))
        .set_step_adjustments((!steps.is_empty()).then_some(steps))
        .set_target_tracking_configuration(tt)
        .send()
        .await
}

async fn put_alarm(
    aws: &Aws,
    a: &MetricAlarm,
    arns: &Arns,
) -> Result<
    aws_sdk_cloudwatch::operation::put_metric_alarm::PutMetricAlarmOutput,
    aws_sdk_cloudwatch::error::SdkError<
        aws_sdk_cloudwatch::operation::put_metric_alarm::PutMetricAlarmError,
    >,
> {
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
    let queries: Vec<MetricDataQuery> = a
        .metrics
        .iter()
        .map(|q| {
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
                        .period(num(ms, "Period").unwrap_or(60.0) as i32)
                        .stat(text(ms, "Stat").unwrap_or("Average"))
                        .build(),
                );
            }
            b.build()
        })
        .collect();
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
        .set_period(a.period.map(|p| p as i32))
        .set_metrics((!queries.is_empty()).then_some(queries))
        .evaluation_periods(a.evaluation_periods as i32)
        .datapoints_to_alarm(a.datapoints_to_alarm as i32)
        .threshold(a.threshold)
        .comparison_operator(ComparisonOperator::from(a.comparison_operator.as_str()))
        .treat_missing_data(&a.treat_missing_data)
        .set_alarm_actions(Some(actions))
        .set_tags(Some(tags))
        .send()
        .await
}

/// What `destroy` did and what it left alone.
#[derive(Debug, Default, Clone)]
pub struct Destroyed {
    /// Deleted, as `kind name`.
    pub deleted: Vec<String>,
    /// Found but not scalec's, as `kind name: why`.
    pub left: Vec<String>,
}

fn is_ours(tags: &[(String, String)], app: &str, env: &str) -> bool {
    let has = |k: &str, v: &str| tags.iter().any(|(a, b)| a == k && b == v);
    has("managed-by", "scalec") && has("app", app) && has("env", env)
}

impl Aws {
    /// Deletes everything scalec manages for `env`, and nothing else:
    /// groups, topics and alarms must carry scalec's tags (`managed-by`,
    /// `app`, `env`); policies, scheduled actions and dashboards must have the
    /// group's name prefix. A step or simple policy's alarm goes with it.
    pub async fn destroy(
        &self,
        env: &crate::model::Environment,
    ) -> Result<Destroyed, (Destroyed, ApplyError)> {
        let mut out = Destroyed::default();
        macro_rules! tryd {
            ($e:expr, $api:expr, $what:expr) => {
                match $e {
                    Ok(v) => v,
                    Err(e) => return Err((out, call_error($api, $what, e))),
                }
            };
        }
        for g in &env.groups {
            let name = &g.physical_name;
            let prefix = format!("{name}-");
            let found = tryd!(
                self.asg
                    .describe_auto_scaling_groups()
                    .auto_scaling_group_names(name)
                    .send()
                    .await,
                "autoscaling:DescribeAutoScalingGroups",
                name
            );
            if let Some(group) = found.auto_scaling_groups().first() {
                let tags = tag_pairs(group.tags().iter().map(|t| (t.key(), t.value())));
                if !is_ours(&tags, &env.app, &env.name) {
                    out.left.push(format!(
                        "group {name}: not tagged as scalec's for {} {}",
                        env.app, env.name
                    ));
                    continue;
                }
                let policies = tryd!(
                    self.asg
                        .describe_policies()
                        .auto_scaling_group_name(name)
                        .send()
                        .await,
                    "autoscaling:DescribePolicies",
                    name
                );
                for p in policies.scaling_policies() {
                    let pname = p.policy_name().unwrap_or_default();
                    if !pname.starts_with(&prefix) {
                        out.left
                            .push(format!("policy {pname}: not named by scalec"));
                        continue;
                    }
                    let alarm = format!("{pname}-alarm");
                    if p.policy_type() != Some("TargetTrackingScaling") {
                        tryd!(
                            self.cw.delete_alarms().alarm_names(&alarm).send().await,
                            "cloudwatch:DeleteAlarms",
                            &alarm
                        );
                        out.deleted.push(format!("alarm {alarm}"));
                    }
                    tryd!(
                        self.asg
                            .delete_policy()
                            .auto_scaling_group_name(name)
                            .policy_name(pname)
                            .send()
                            .await,
                        "autoscaling:DeletePolicy",
                        pname
                    );
                    out.deleted.push(format!("policy {pname}"));
                }
                let actions = tryd!(
                    self.asg
                        .describe_scheduled_actions()
                        .auto_scaling_group_name(name)
                        .send()
                        .await,
                    "autoscaling:DescribeScheduledActions",
                    name
                );
                for a in actions.scheduled_update_group_actions() {
                    let aname = a.scheduled_action_name().unwrap_or_default();
                    if aname.starts_with(&prefix) {
                        tryd!(
                            self.asg
                                .delete_scheduled_action()
                                .auto_scaling_group_name(name)
                                .scheduled_action_name(aname)
                                .send()
                                .await,
                            "autoscaling:DeleteScheduledAction",
                            aname
                        );
                        out.deleted.push(format!("scheduled action {aname}"));
                    }
                }
                let notes = tryd!(
                    self.asg
                        .describe_notification_configurations()
                        .auto_scaling_group_names(name)
                        .send()
                        .await,
                    "autoscaling:DescribeNotificationConfigurations",
                    name
                );
                let mut topics: Vec<String> = notes
                    .notification_configurations()
                    .iter()
                    .filter_map(|n| n.topic_arn().map(str::to_string))
                    .collect();
                topics.sort();
                topics.dedup();
                for t in topics {
                    tryd!(
                        self.asg
                            .delete_notification_configuration()
                            .auto_scaling_group_name(name)
                            .topic_arn(&t)
                            .send()
                            .await,
                        "autoscaling:DeleteNotificationConfiguration",
                        name
                    );
                    out.deleted.push(format!("notification {name} -> {t}"));
                }
                tryd!(
                    self.asg
                        .delete_auto_scaling_group()
                        .auto_scaling_group_name(name)
                        .force_delete(true)
                        .send()
                        .await,
                    "autoscaling:DeleteAutoScalingGroup",
                    name
                );
                out.deleted.push(format!("group {name}"));
            }
            // Monitoring alarms: our prefix and our tags.
            let alarms = tryd!(
                self.cw
                    .describe_alarms()
                    .alarm_name_prefix(&prefix)
                    .send()
                    .await,
                "cloudwatch:DescribeAlarms",
                &prefix
            );
            for a in alarms.metric_alarms() {
                let (Some(aname), Some(aarn)) = (a.alarm_name(), a.alarm_arn()) else {
                    continue;
                };
                let tags = tryd!(
                    self.cw
                        .list_tags_for_resource()
                        .resource_arn(aarn)
                        .send()
                        .await,
                    "cloudwatch:ListTagsForResource",
                    aname
                );
                let tags = tag_pairs(tags.tags().iter().map(|t| (t.key(), t.value())));
                if is_ours(&tags, &env.app, &env.name) {
                    tryd!(
                        self.cw.delete_alarms().alarm_names(aname).send().await,
                        "cloudwatch:DeleteAlarms",
                        aname
                    );
                    out.deleted.push(format!("alarm {aname}"));
                } else {
                    out.left
                        .push(format!("alarm {aname}: not tagged as scalec's"));
                }
            }
            if let Some(d) = &g.dashboard
                && self
                    .cw
                    .get_dashboard()
                    .dashboard_name(&d.physical_name)
                    .send()
                    .await
                    .is_ok()
            {
                tryd!(
                    self.cw
                        .delete_dashboards()
                        .dashboard_names(&d.physical_name)
                        .send()
                        .await,
                    "cloudwatch:DeleteDashboards",
                    &d.physical_name
                );
                out.deleted.push(format!("dashboard {}", d.physical_name));
            }
        }
        // Topics: by name, and only with our tags.
        let arns = match self.topic_arns().await {
            Ok(a) => a,
            Err(e) => return Err((out, e)),
        };
        for t in &env.topics {
            let suffix = format!(":{}", t.physical_name);
            let Some(topic_arn) = arns.iter().find(|a| a.ends_with(&suffix)) else {
                continue;
            };
            let tags = tryd!(
                self.sns
                    .list_tags_for_resource()
                    .resource_arn(topic_arn)
                    .send()
                    .await,
                "sns:ListTagsForResource",
                &t.physical_name
            );
            let tags = tag_pairs(tags.tags().iter().map(|x| (Some(x.key()), Some(x.value()))));
            if is_ours(&tags, &env.app, &env.name) {
                tryd!(
                    self.sns.delete_topic().topic_arn(topic_arn).send().await,
                    "sns:DeleteTopic",
                    &t.physical_name
                );
                out.deleted.push(format!("topic {}", t.physical_name));
            } else {
                out.left
                    .push(format!("topic {}: not tagged as scalec's", t.physical_name));
            }
        }
        Ok(out)
    }
}

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
                .map_err(|e| call_error($api, $what, e))?;
            $body
            token = $page.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
    }};
}

fn tag_pairs<'a>(
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

/// Reading what exists, for `plan` and `apply` against a live account.
impl Aws {
    /// Every SNS topic ARN in the region.
    pub async fn topic_arns(&self) -> Result<Vec<String>, ApplyError> {
        let mut arns = Vec::new();
        for_each_page!(self.sns.list_topics(), "sns:ListTopics", "topics", |page| {
            arns.extend(
                page.topics()
                    .iter()
                    .filter_map(|t| t.topic_arn().map(str::to_string)),
            );
        });
        Ok(arns)
    }

    /// Reads everything the environment's spec could manage, in a number of
    /// calls that grows with pages, not with groups: topics and their
    /// subscriptions, groups (50 names a call), all policies and scheduled
    /// actions (one listing each), notifications (50 groups a call), alarms
    /// by the environment's prefix, and dashboards. Alarm tags are read only
    /// for alarms not in `wanted_alarms` (the deletion candidates).
    pub async fn read_state(
        &self,
        env: &crate::model::Environment,
        wanted_alarms: &std::collections::HashSet<String>,
    ) -> Result<crate::backend::plan::LiveState, ApplyError> {
        use crate::backend::plan::{LiveAlarm, LiveGroup, LiveState};
        use serde_json::json;
        let mut state = LiveState::default();
        for arn in self.topic_arns().await? {
            if let Some(topic) = env
                .topics
                .iter()
                .find(|x| arn.ends_with(&format!(":{}", x.physical_name)))
            {
                state.topics.insert(topic.physical_name.clone(), arn);
            }
        }
        let topics: Vec<(String, String)> = state
            .topics
            .iter()
            .map(|(n, a)| (n.clone(), a.clone()))
            .collect();
        for (name, arn) in topics {
            for_each_page!(
                self.sns.list_subscriptions_by_topic().topic_arn(&arn),
                "sns:ListSubscriptionsByTopic",
                &name,
                |page| {
                    for sub in page.subscriptions() {
                        if let (Some(p), Some(e)) = (sub.protocol(), sub.endpoint()) {
                            state
                                .subscriptions
                                .entry(name.clone())
                                .or_default()
                                .push((p.to_string(), e.to_string()));
                        }
                    }
                }
            );
        }
        let names: Vec<String> = env.groups.iter().map(|g| g.physical_name.clone()).collect();
        for chunk in names.chunks(50) {
            for_each_page!(
                self.asg
                    .describe_auto_scaling_groups()
                    .set_auto_scaling_group_names(Some(chunk.to_vec())),
                "autoscaling:DescribeAutoScalingGroups",
                "groups",
                |page| {
                    for g in page.auto_scaling_groups() {
                        let name = g.auto_scaling_group_name().unwrap_or_default().to_string();
                        let pairs = tag_pairs(g.tags().iter().map(|t| (t.key(), t.value())));
                        let mut request = json!({
                            "AutoScalingGroupName": name,
                            "MinSize": g.min_size(),
                            "MaxSize": g.max_size(),
                            "DesiredCapacity": g.desired_capacity(),
                            "VPCZoneIdentifier": g.vpc_zone_identifier(),
                            "TargetGroupARNs": g.target_group_arns(),
                            "HealthCheckType": g.health_check_type(),
                            "HealthCheckGracePeriod": g.health_check_grace_period(),
                            "DefaultInstanceWarmup": g.default_instance_warmup(),
                            "DefaultCooldown": g.default_cooldown(),
                            "TerminationPolicies": g.termination_policies(),
                        });
                        if let Some(lt) = g.launch_template() {
                            request["LaunchTemplate"] = json!({ "LaunchTemplateId": lt.launch_template_id(), "Version": lt.version() });
                        }
                        let live = LiveGroup {
                            ours: is_ours(&pairs, &env.app, &env.name),
                            request,
                            tags: pairs.into_iter().collect(),
                            metrics: g
                                .enabled_metrics()
                                .iter()
                                .filter_map(|m| m.metric().map(str::to_string))
                                .collect(),
                            ..Default::default()
                        };
                        state.groups.insert(name, live);
                    }
                }
            );
        }
        for_each_page!(
            self.asg.describe_policies(),
            "autoscaling:DescribePolicies",
            "policies",
            |page| {
                for p in page.scaling_policies() {
                    if let Some(g) = p
                        .auto_scaling_group_name()
                        .and_then(|n| state.groups.get_mut(n))
                    {
                        g.policies.insert(
                            p.policy_name().unwrap_or_default().to_string(),
                            (
                                policy_request(p),
                                p.policy_arn().unwrap_or_default().to_string(),
                            ),
                        );
                    }
                }
            }
        );
        for_each_page!(
            self.asg.describe_scheduled_actions(),
            "autoscaling:DescribeScheduledActions",
            "scheduled actions",
            |page| {
                for a in page.scheduled_update_group_actions() {
                    let Some(name) = a.auto_scaling_group_name() else {
                        continue;
                    };
                    let Some(g) = state.groups.get_mut(name) else {
                        continue;
                    };
                    g.schedules.insert(
                        a.scheduled_action_name().unwrap_or_default().to_string(),
                        json!({
                            "AutoScalingGroupName": name,
                            "ScheduledActionName": a.scheduled_action_name(),
                            "Recurrence": a.recurrence(),
                            "TimeZone": a.time_zone(),
                            "MinSize": a.min_size(),
                            "MaxSize": a.max_size(),
                            "DesiredCapacity": a.desired_capacity(),
                        }),
                    );
                }
            }
        );
        let group_names: Vec<String> = state.groups.keys().cloned().collect();
        for chunk in group_names.chunks(50) {
            for_each_page!(
                self.asg
                    .describe_notification_configurations()
                    .set_auto_scaling_group_names(Some(chunk.to_vec())),
                "autoscaling:DescribeNotificationConfigurations",
                "groups",
                |page| {
                    for n in page.notification_configurations() {
                        if let (Some(gn), Some(t), Some(kind)) = (
                            n.auto_scaling_group_name(),
                            n.topic_arn(),
                            n.notification_type(),
                        ) && let Some(g) = state.groups.get_mut(gn)
                        {
                            g.notifications
                                .entry(t.to_string())
                                .or_default()
                                .push(kind.to_string());
                        }
                    }
                }
            );
        }
        let group_prefixes: Vec<String> = env
            .groups
            .iter()
            .map(|g| format!("{}-", g.physical_name))
            .collect();
        for_each_page!(
            self.cw
                .describe_alarms()
                .alarm_name_prefix(format!("{}-{}-", env.app, env.name)),
            "cloudwatch:DescribeAlarms",
            &env.name,
            |page| {
                for a in page.metric_alarms() {
                    let (Some(name), Some(arn)) = (a.alarm_name(), a.alarm_arn()) else {
                        continue;
                    };
                    if !group_prefixes.iter().any(|p| name.starts_with(p)) {
                        continue;
                    }
                    let ours = wanted_alarms.contains(name) || {
                        let tags = self
                            .cw
                            .list_tags_for_resource()
                            .resource_arn(arn)
                            .send()
                            .await
                            .map_err(|e| call_error("cloudwatch:ListTagsForResource", name, e))?;
                        is_ours(
                            &tag_pairs(tags.tags().iter().map(|t| (t.key(), t.value()))),
                            &env.app,
                            &env.name,
                        )
                    };
                    state.alarms.insert(
                        name.to_string(),
                        LiveAlarm {
                            ours,
                            request: alarm_request(a),
                        },
                    );
                }
            }
        );
        for d in env.groups.iter().filter_map(|g| g.dashboard.as_ref()) {
            if let Ok(out) = self
                .cw
                .get_dashboard()
                .dashboard_name(&d.physical_name)
                .send()
                .await
            {
                state.dashboards.insert(
                    d.physical_name.clone(),
                    out.dashboard_body().unwrap_or_default().to_string(),
                );
            }
        }
        Ok(state)
    }
}

fn dims_json<'a>(dims: impl Iterator<Item = (Option<&'a str>, Option<&'a str>)>) -> Json {
    Json::Array(
        dims.map(|(n, v)| serde_json::json!({ "Name": n, "Value": v }))
            .collect(),
    )
}

/// A live policy in the shape of its `PutScalingPolicy` request.
fn policy_request(p: &aws_sdk_autoscaling::types::ScalingPolicy) -> Json {
    use serde_json::json;
    let mut r = json!({
        "AutoScalingGroupName": p.auto_scaling_group_name(),
        "PolicyName": p.policy_name(),
        "PolicyType": p.policy_type(),
        "AdjustmentType": p.adjustment_type(),
        "ScalingAdjustment": p.scaling_adjustment(),
        "Cooldown": p.cooldown(),
        "MinAdjustmentMagnitude": p.min_adjustment_magnitude(),
        "MetricAggregationType": p.metric_aggregation_type(),
        "EstimatedInstanceWarmup": p.estimated_instance_warmup(),
    });
    let steps: Vec<Json> = p
        .step_adjustments()
        .iter()
        .map(|s| {
            let mut j = json!({ "ScalingAdjustment": s.scaling_adjustment() });
            if let Some(l) = s.metric_interval_lower_bound() {
                j["MetricIntervalLowerBound"] = json!(l);
            }
            if let Some(u) = s.metric_interval_upper_bound() {
                j["MetricIntervalUpperBound"] = json!(u);
            }
            j
        })
        .collect();
    r["StepAdjustments"] = Json::Array(steps);
    if let Some(c) = p.target_tracking_configuration() {
        let mut conf = json!({ "TargetValue": c.target_value() });
        if c.disable_scale_in() == Some(true) {
            conf["DisableScaleIn"] = json!(true);
        }
        if let Some(pre) = c.predefined_metric_specification() {
            let mut spec =
                json!({ "PredefinedMetricType": pre.predefined_metric_type().map(|t| t.as_str()) });
            if let Some(l) = pre.resource_label() {
                spec["ResourceLabel"] = json!(l);
            }
            conf["PredefinedMetricSpecification"] = spec;
        }
        if let Some(cu) = c.customized_metric_specification() {
            let mut spec = json!({
                "Namespace": cu.namespace(),
                "MetricName": cu.metric_name(),
                "Statistic": cu.statistic().map(|s| s.as_str()),
            });
            spec["Dimensions"] = dims_json(cu.dimensions().iter().map(|d| (d.name(), d.value())));
            conf["CustomizedMetricSpecification"] = spec;
        }
        r["TargetTrackingConfiguration"] = conf;
    }
    r
}

/// A live alarm in the shape of its `PutMetricAlarm` request, actions as ARNs.
fn alarm_request(a: &aws_sdk_cloudwatch::types::MetricAlarm) -> Json {
    use serde_json::json;
    let mut r = json!({
        "AlarmName": a.alarm_name(),
        "AlarmDescription": a.alarm_description(),
        "Namespace": a.namespace(),
        "MetricName": a.metric_name(),
        "Statistic": a.statistic().map(|s| s.as_str()),
        "Period": a.period(),
        "EvaluationPeriods": a.evaluation_periods(),
        "DatapointsToAlarm": a.datapoints_to_alarm(),
        "Threshold": a.threshold(),
        "ComparisonOperator": a.comparison_operator().map(|c| c.as_str()),
        "TreatMissingData": a.treat_missing_data(),
        "AlarmActions": a.alarm_actions(),
    });
    if !a.dimensions().is_empty() {
        r["Dimensions"] = dims_json(a.dimensions().iter().map(|d| (d.name(), d.value())));
    }
    let metrics: Vec<Json> = a
        .metrics()
        .iter()
        .map(|q| {
            let mut j = json!({ "Id": q.id(), "ReturnData": q.return_data() });
            if let Some(e) = q.expression() {
                j["Expression"] = json!(e);
            }
            if let Some(l) = q.label() {
                j["Label"] = json!(l);
            }
            if let Some(ms) = q.metric_stat() {
                let m = ms.metric();
                let mut metric = json!({
                    "Namespace": m.and_then(|m| m.namespace()),
                    "MetricName": m.and_then(|m| m.metric_name()),
                });
                metric["Dimensions"] = dims_json(
                    m.map(|m| m.dimensions())
                        .unwrap_or_default()
                        .iter()
                        .map(|d| (d.name(), d.value())),
                );
                let mut stat = json!({ "Period": ms.period(), "Stat": ms.stat() });
                stat["Metric"] = metric;
                j["MetricStat"] = stat;
            }
            j
        })
        .collect();
    if !metrics.is_empty() {
        r["Metrics"] = Json::Array(metrics);
    }
    r
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

/// The names of the alarms a plan puts, for [`Aws::read_state`].
pub fn wanted_alarms(plan: &ApplyPlan) -> std::collections::HashSet<String> {
    plan.operations
        .iter()
        .filter_map(|o| match &o.call {
            Call::PutMetricAlarm(a) => Some(a.alarm_name.clone()),
            _ => None,
        })
        .collect()
}
