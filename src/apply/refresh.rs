//! Starting an instance refresh exactly once. `StartInstanceRefresh` is not
//! idempotent: when its response is lost (a timeout, a 5xx after AWS
//! acted), a blind retry starts a second refresh, or, while the first
//! still runs, fails with `InstanceRefreshInProgress`. So the call is sent
//! without the SDK's retries, and after any failure that may hide a start
//! that took effect, the group's refreshes are read: one started since the
//! first attempt with the same desired configuration is this apply's own,
//! and the call is done. Otherwise it is tried again, up to the attempts
//! every other call gets.

use super::error::{ATTEMPTS, ApplyError, Kind};
use super::{Aws, shapes};
use crate::backend::plan::Operation;
use aws_sdk_autoscaling::types::{DesiredConfiguration, InstanceRefresh};
use serde_json::Value as Json;
use std::time::{Duration, SystemTime};

/// How far AWS's clock may be behind this machine's: a refresh started up
/// to this long before the first attempt may still be its own.
const CLOCK_SKEW: Duration = Duration::from_secs(300);

/// Starts the refresh of `req` (a `StartInstanceRefresh` request) once.
pub(super) async fn start_once(aws: &Aws, op: &Operation, req: &Json) -> Result<(), ApplyError> {
    let api = op.call.api();
    let group = shapes::text(req, "AutoScalingGroupName").unwrap_or_default();
    let since = SystemTime::now()
        .checked_sub(CLOCK_SKEW)
        .unwrap_or(SystemTime::UNIX_EPOCH);
    let mut last: Option<ApplyError> = None;
    for attempt in 0..ATTEMPTS {
        if let Some(e) = &last {
            // Did an attempt whose answer never came take effect?
            let runs = describe(aws, api, &group).await?;
            if runs.iter().any(|r| is_ours(r, req, since)) {
                return Ok(());
            }
            // A refresh of someone else's is running: say so.
            if matches!(e, ApplyError::Call(c) if c.kind == Kind::Busy) {
                return Err(last.take().unwrap_or_else(|| unanswered(api, op)));
            }
            tokio::time::sleep(backoff(attempt)).await;
        }
        match send(aws, op, req).await {
            Ok(()) => return Ok(()),
            Err(e) if may_have_acted(&e) => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| unanswered(api, op)))
}

/// One `StartInstanceRefresh`, without the SDK's retries.
async fn send(aws: &Aws, op: &Operation, req: &Json) -> Result<(), ApplyError> {
    let api = op.call.api();
    let at = shapes::At {
        api,
        resource: &op.resource,
    };
    let prefs = req
        .get("Preferences")
        .map(|p| shapes::refresh_preferences(p, &at))
        .transpose()?;
    let desired = req
        .get("DesiredConfiguration")
        .map(|d| shapes::desired_configuration(d, &at))
        .transpose()?;
    aws.asg
        .start_instance_refresh()
        .auto_scaling_group_name(shapes::text(req, "AutoScalingGroupName").unwrap_or_default())
        .set_strategy(
            shapes::text(req, "Strategy")
                .map(|s| aws_sdk_autoscaling::types::RefreshStrategy::from(s.as_str())),
        )
        .set_desired_configuration(desired)
        .set_preferences(prefs)
        .customize()
        .config_override(
            aws_sdk_autoscaling::config::Builder::default()
                .retry_config(aws_config::retry::RetryConfig::disabled()),
        )
        .send()
        .await
        .map(|_| ())
        .map_err(|e| ApplyError::sdk(api, &op.resource, e))
}

/// The group's refreshes, newest first.
async fn describe(aws: &Aws, api: &str, group: &str) -> Result<Vec<InstanceRefresh>, ApplyError> {
    let out = aws
        .asg
        .describe_instance_refreshes()
        .auto_scaling_group_name(group)
        .send()
        .await
        .map_err(|e| ApplyError::sdk(api, group, e))?;
    Ok(out.instance_refreshes().to_vec())
}

/// Whether a failed start may have started a refresh all the same: no
/// answer, a 5xx, throttling (a retried call's first try may have got
/// through), or `InstanceRefreshInProgress` (perhaps its own).
fn may_have_acted(e: &ApplyError) -> bool {
    matches!(e, ApplyError::Call(c) if matches!(
        c.kind,
        Kind::Network | Kind::Server | Kind::NotAws | Kind::Throttled | Kind::Busy
    ))
}

/// Whether `r` is the refresh `req` asks for: started since `since`, with
/// the same launch template and version.
fn is_ours(r: &InstanceRefresh, req: &Json, since: SystemTime) -> bool {
    let started = r
        .start_time()
        .and_then(|t| SystemTime::try_from(*t).ok())
        .is_some_and(|t| t >= since);
    started
        && r.desired_configuration()
            .is_some_and(|d| template_of(d) == wanted_template(req))
}

/// (id, name, version) of a desired configuration's launch template.
fn template_of(
    d: &DesiredConfiguration,
) -> Option<(Option<String>, Option<String>, Option<String>)> {
    let lt = d.launch_template().or_else(|| {
        d.mixed_instances_policy()
            .and_then(|m| m.launch_template())
            .and_then(|l| l.launch_template_specification())
    })?;
    Some((
        lt.launch_template_id().map(str::to_string),
        lt.launch_template_name().map(str::to_string),
        lt.version().map(str::to_string),
    ))
}

/// The same, of the request's desired configuration.
fn wanted_template(req: &Json) -> Option<(Option<String>, Option<String>, Option<String>)> {
    let d = req.get("DesiredConfiguration")?;
    let lt = d.get("LaunchTemplate").or_else(|| {
        d.pointer("/MixedInstancesPolicy/LaunchTemplate/LaunchTemplateSpecification")
    })?;
    Some((
        shapes::text(lt, "LaunchTemplateId"),
        shapes::text(lt, "LaunchTemplateName"),
        shapes::text(lt, "Version"),
    ))
}

/// Waits before attempt `n` (from 1): 50 ms, doubling, at most 5 s.
fn backoff(n: u32) -> Duration {
    Duration::from_millis(50u64.saturating_mul(1 << n.min(7))).min(Duration::from_secs(5))
}

/// Never reached: a failed attempt always leaves its error.
fn unanswered(api: &str, op: &Operation) -> ApplyError {
    ApplyError::Internal(format!(
        "{api} for `{}` failed and left no answer to report",
        op.resource
    ))
}
