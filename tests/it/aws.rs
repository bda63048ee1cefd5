//! `scalec apply` with the real AWS SDK against a local moto_server (behind
//! the project's proxy, which adds the notification APIs moto lacks).
//! Each test starts its own servers on free loopback ports and stops them.

use super::*;
use std::collections::{BTreeMap, BTreeSet};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// moto_server plus the notification proxy; both stop when dropped.
pub(crate) struct LocalAws {
    moto: Child,
    proxy: Child,
    /// The proxy: what scalec and the checks talk to.
    pub(crate) endpoint: String,
    /// moto itself, for seeding without faults.
    pub(crate) moto_endpoint: String,
    proxy_port: u16,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn wait_for(port: u16) {
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "server on port {port} didn't start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

impl LocalAws {
    pub(crate) fn start() -> LocalAws {
        Self::start_with(0, &[])
    }

    /// With `every > 0`, the proxy faults every `every`-th request.
    fn start_with_faults(every: u32) -> LocalAws {
        Self::start_with(every, &[])
    }

    /// `respond` holds `ACTION=KIND` answers the proxy gives itself (see
    /// `aws_proxy.py`).
    pub(crate) fn start_with(every: u32, respond: &[&str]) -> LocalAws {
        Self::start_full(every, respond, &[])
    }

    /// Instance refreshes stay in progress until cancelled.
    pub(crate) fn start_holding_refreshes() -> LocalAws {
        Self::start_full(0, &[], &["--hold-refreshes"])
    }

    /// The first request of each of `actions` takes effect and its answer
    /// is lost; with `every > 0`, every `every`-th request faults too.
    pub(crate) fn start_losing(every: u32, actions: &[&str], hold_refreshes: bool) -> LocalAws {
        let mut extra: Vec<&str> = actions.iter().flat_map(|a| ["--lose", a]).collect();
        if hold_refreshes {
            extra.push("--hold-refreshes");
        }
        Self::start_full(every, &[], &extra)
    }

    pub(crate) fn start_full(every: u32, respond: &[&str], extra: &[&str]) -> LocalAws {
        let (moto_port, proxy_port) = (free_port(), free_port());
        let moto = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &moto_port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server must be installed: run `scripts/test`, which installs requirements-test.txt");
        let proxy = Command::new("python3")
            .arg(root().join("tests/harness/aws_proxy.py"))
            .args([
                "--port",
                &proxy_port.to_string(),
                "--upstream",
                &moto_port.to_string(),
            ])
            .args(["--fault-every", &every.to_string()])
            .args(respond.iter().flat_map(|r| ["--respond", r]))
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs the proxy");
        let aws = LocalAws {
            moto,
            proxy,
            endpoint: format!("http://127.0.0.1:{proxy_port}"),
            moto_endpoint: format!("http://127.0.0.1:{moto_port}"),
            proxy_port,
        };
        wait_for(moto_port);
        wait_for(proxy_port);
        aws
    }

    /// Creates the VPC, subnets, launch template and load balancer the
    /// example points at; returns `--param` values for them.
    pub(crate) fn seed(&self) -> Vec<(String, String)> {
        self.seed_all()
            .into_iter()
            .filter(|(k, _)| !k.starts_with('_'))
            .collect()
    }

    /// Everything the seed script printed.
    fn seed_all(&self) -> Vec<(String, String)> {
        self.seed_as(None)
    }

    /// The seed, made in the account of `role` (assumed through moto's STS).
    pub(crate) fn seed_as(&self, role: Option<&str>) -> Vec<(String, String)> {
        let mut cmd = Command::new("python3");
        cmd.arg(root().join("tests/harness/seed_moto.py"))
            .args(["--endpoint", &self.moto_endpoint]);
        if let Some(r) = role {
            cmd.args(["--role", r]);
        }
        let out = cmd.output().expect("seed script runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("seed JSON");
        v.as_object()
            .expect("object")
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .collect()
    }

    /// [`LocalAws::seed`]'s params, and the ARN of a second target group.
    pub(crate) fn seed_with_second_target_group(&self) -> (Vec<(String, String)>, String) {
        let all = self.seed_all();
        let second = all
            .iter()
            .find(|(k, _)| k == "_second_target_group")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        (
            all.into_iter()
                .filter(|(k, _)| !k.starts_with('_'))
                .collect(),
            second,
        )
    }

    /// Runs scalec against this endpoint: exit code and stderr.
    pub(crate) fn scalec(&self, args: &[String]) -> (i32, String) {
        let (code, _, err) = run_out(self, args);
        (code, err)
    }

    /// (requests seen, faults injected) by the proxy.
    pub(crate) fn faults(&self) -> (u64, u64) {
        let v = self.stats();
        (
            v["requests"].as_u64().unwrap_or(0),
            v["injected"].as_u64().unwrap_or(0),
        )
    }

    /// The proxy's counters: requests, faults injected, requests per
    /// action, most requests in flight at once.
    pub(crate) fn stats(&self) -> serde_json::Value {
        self.proxy_get("/__scalec_faults")
    }

    /// Every request scalec sent, as the proxy recorded it before any
    /// fault: service, action, parameters typed by botocore's model, and
    /// what botocore's validator says of them.
    pub(crate) fn requests(&self) -> Vec<serde_json::Value> {
        self.proxy_get("/__scalec_requests")
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The recorded requests of one action, each checked against botocore's
    /// shape of its input (a request botocore finds fault with fails the
    /// test).
    pub(crate) fn sent(&self, action: &str) -> Vec<serde_json::Value> {
        let all = self.requests();
        for r in &all {
            let problems = r["problems"].as_array().map_or(0, Vec::len);
            assert_eq!(problems, 0, "botocore refuses a request scalec sent: {r:#}");
        }
        all.into_iter()
            .filter(|r| r["action"] == action)
            .map(|r| r["params"].clone())
            .collect()
    }

    /// Sets (`kind` not empty) or clears the proxy's own answer to `action`.
    pub(crate) fn respond(&self, action: &str, kind: &str) {
        self.proxy_get(&format!("/__scalec_respond?{action}={kind}"));
    }

    /// Starts the per-action counts and the in-flight maximum afresh.
    fn reset_stats(&self) {
        self.proxy_get("/__scalec_reset_stats");
    }

    /// Gives groups a scaling-activity history the proxy answers
    /// DescribeScalingActivities from (moto has none).
    pub(crate) fn put_activities(&self, history: &serde_json::Value) {
        use std::io::{Read, Write};
        let body = history.to_string();
        let mut s = std::net::TcpStream::connect(("127.0.0.1", self.proxy_port)).expect("proxy");
        let _ = s.write_all(
            format!(
                "PUT /__scalec_activities HTTP/1.0\r\nHost: x\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
            .as_bytes(),
        );
        let mut text = String::new();
        let _ = s.read_to_string(&mut text);
        assert!(
            text.starts_with("HTTP/1.0 200") || text.starts_with("HTTP/1.1 200"),
            "{text}"
        );
    }

    fn proxy_get(&self, path: &str) -> serde_json::Value {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(("127.0.0.1", self.proxy_port)).expect("proxy");
        let _ = s.write_all(format!("GET {path} HTTP/1.0\r\nHost: x\r\n\r\n").as_bytes());
        let mut text = String::new();
        let _ = s.read_to_string(&mut text);
        let body = text.split("\r\n\r\n").nth(1).unwrap_or("{}");
        serde_json::from_str(body).expect("proxy counters")
    }

    pub(crate) async fn clients(
        &self,
    ) -> (
        aws_sdk_autoscaling::Client,
        aws_sdk_cloudwatch::Client,
        aws_sdk_sns::Client,
    ) {
        let conf = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .http_client(scalec::apply::http_client())
            .region(aws_config::Region::new("us-east-1"))
            .endpoint_url(&self.endpoint)
            .credentials_provider(aws_sdk_sns::config::Credentials::new(
                "testing", "testing", None, None, "test",
            ))
            .load()
            .await;
        (
            aws_sdk_autoscaling::Client::new(&conf),
            aws_sdk_cloudwatch::Client::new(&conf),
            aws_sdk_sns::Client::new(&conf),
        )
    }
}

impl LocalAws {
    /// [`LocalAws::clients`] in the account of `role`, assumed through
    /// moto's STS.
    pub(crate) async fn clients_as(
        &self,
        role: &str,
    ) -> (
        aws_sdk_autoscaling::Client,
        aws_sdk_cloudwatch::Client,
        aws_sdk_sns::Client,
    ) {
        let base = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .http_client(scalec::apply::http_client())
            .region(aws_config::Region::new("us-east-1"))
            .endpoint_url(&self.endpoint)
            .credentials_provider(aws_sdk_sns::config::Credentials::new(
                "testing", "testing", None, None, "test",
            ))
            .load()
            .await;
        let assumed = aws_config::sts::AssumeRoleProvider::builder(role)
            .session_name("test")
            .configure(&base)
            .build()
            .await;
        let conf = base
            .into_builder()
            .credentials_provider(aws_sdk_sns::config::SharedCredentialsProvider::new(assumed))
            .build();
        (
            aws_sdk_autoscaling::Client::new(&conf),
            aws_sdk_cloudwatch::Client::new(&conf),
            aws_sdk_sns::Client::new(&conf),
        )
    }
}

impl Drop for LocalAws {
    fn drop(&mut self) {
        let _ = self.proxy.kill();
        let _ = self.moto.kill();
        let _ = self.proxy.wait();
        let _ = self.moto.wait();
    }
}

pub(crate) fn apply_args(env: &str, params: &[(String, String)]) -> Vec<String> {
    let mut args: Vec<String> = [
        "apply",
        "examples/macro-ai.scale",
        "--env",
        env,
        "--auto-approve",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for (k, v) in params {
        args.push("--param".into());
        args.push(format!("{k}={v}"));
    }
    args
}

#[test]
fn apply_creates_the_whole_production_environment_and_describes_match() {
    let aws = LocalAws::start();
    let params = aws.seed();
    let (code, err) = aws.scalec(&apply_args("production", &params));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("Apply complete: 29 calls; 29 created, 0 updated, 0 deleted."),
        "{err}"
    );
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let (asg, cw, sns) = aws.clients().await;
        let group = "macro-ai-production-web";
        let g = asg
            .describe_auto_scaling_groups()
            .auto_scaling_group_names(group)
            .send()
            .await
            .expect("describe groups");
        let g = &g.auto_scaling_groups()[0];
        assert_eq!(
            (g.min_size(), g.max_size(), g.desired_capacity()),
            (Some(2), Some(10), Some(3))
        );
        assert_eq!(g.health_check_type(), Some("ELB"));
        assert!(
            g.tags()
                .iter()
                .any(|t| t.key() == Some("managed-by") && t.value() == Some("scalec"))
        );
        let enabled: Vec<&str> = g
            .enabled_metrics()
            .iter()
            .filter_map(|m| m.metric())
            .collect();
        assert!(
            enabled.contains(&"GroupInServiceInstances") && enabled.contains(&"GroupMaxSize"),
            "{enabled:?}"
        );

        let policies = asg
            .describe_policies()
            .auto_scaling_group_name(group)
            .send()
            .await
            .expect("policies");
        let policies = policies.scaling_policies();
        assert_eq!(policies.len(), 7);
        let by_name = |n: &str| {
            policies
                .iter()
                .find(|p| p.policy_name() == Some(&format!("{group}-{n}")))
                .expect("policy")
        };
        let cpu = by_name("cpu")
            .target_tracking_configuration()
            .expect("target tracking");
        assert_eq!(cpu.target_value(), Some(60.0));
        let req = by_name("requests")
            .target_tracking_configuration()
            .expect("tt");
        let label = req
            .predefined_metric_specification()
            .and_then(|p| p.resource_label())
            .unwrap_or_default();
        assert!(
            label.starts_with("app/scalec-test/") && label.contains("/targetgroup/scalec-test/"),
            "{label}"
        );
        let surge: Vec<(Option<f64>, Option<f64>, Option<i32>)> = by_name("cpu_surge")
            .step_adjustments()
            .iter()
            .map(|s| {
                (
                    s.metric_interval_lower_bound(),
                    s.metric_interval_upper_bound(),
                    s.scaling_adjustment(),
                )
            })
            .collect();
        assert_eq!(
            surge,
            vec![
                (Some(0.0), Some(10.0), Some(1)),
                (Some(10.0), Some(25.0), Some(2)),
                (Some(25.0), None, Some(3))
            ]
        );
        assert_eq!(by_name("request_burst").cooldown(), Some(180));

        let alarms = cw
            .describe_alarms()
            .alarm_name_prefix("macro-ai-production-")
            .send()
            .await
            .expect("alarms");
        let alarms = alarms.metric_alarms();
        assert_eq!(alarms.len(), 12);
        let policy_arns: Vec<&str> = policies.iter().filter_map(|p| p.policy_arn()).collect();
        let topics = sns.list_topics().send().await.expect("topics");
        let topic_arns: Vec<&str> = topics
            .topics()
            .iter()
            .filter_map(|t| t.topic_arn())
            .collect();
        assert_eq!(topic_arns.len(), 3);
        for a in alarms {
            let name = a.alarm_name().unwrap_or_default();
            for action in a.alarm_actions() {
                let ok = if name.ends_with("-alarm") {
                    policy_arns.contains(&action.as_str())
                } else {
                    topic_arns.contains(&action.as_str())
                };
                assert!(
                    ok,
                    "{name}: action {action} is not a policy or topic ARN we made"
                );
            }
            assert_eq!(a.alarm_actions().len(), 1, "{name}");
        }
        let surge_alarm = alarms
            .iter()
            .find(|a| a.alarm_name() == Some(&format!("{group}-cpu_surge-alarm")))
            .expect("alarm");
        assert_eq!(surge_alarm.threshold(), Some(60.0));
        let near = alarms
            .iter()
            .find(|a| a.alarm_name() == Some(&format!("{group}-near_capacity")))
            .expect("alarm");
        assert_eq!(near.threshold(), Some(80.0));
        assert_eq!(
            near.metrics().len(),
            3,
            "metric math on in-service and max size"
        );

        // Notifications live in the proxy's emulation: assert what was sent.
        assert_eq!(
            sent_notifications(&aws, group),
            BTreeSet::from([("critical".to_string(), 2), ("info".to_string(), 2),]),
            "2 error events to critical, 2 events to info"
        );

        let dash = cw
            .get_dashboard()
            .dashboard_name(group)
            .send()
            .await
            .expect("dashboard");
        let body: serde_json::Value =
            serde_json::from_str(dash.dashboard_body().unwrap_or_default()).expect("body JSON");
        assert_eq!(body["widgets"].as_array().map(|w| w.len()), Some(6));
        assert!(body.to_string().contains(group));
    });
    // Applying again changes nothing.
    let (code, err) = aws.scalec(&apply_args("production", &params));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("No changes"), "{err}");
}

#[test]
fn apply_without_credentials_explains_in_one_screen() {
    let dir = scratch("no-credentials");
    let args = apply_args(
        "staging",
        &[("launch_template".into(), "lt-0123456789abcdef0".into())],
    );
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_scalec"));
    cmd.args(&args)
        .args(
            super::plan::PARAMS
                .iter()
                .filter(|(k, _)| *k != "launch_template" && *k != "ops_email")
                .flat_map(|(k, v)| ["--param".to_string(), format!("{k}={v}")]),
        )
        .current_dir(root());
    for (k, _) in std::env::vars() {
        if k.starts_with("AWS_") {
            cmd.env_remove(k);
        }
    }
    let out = cmd
        .env("AWS_CONFIG_FILE", dir.join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("none"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("HOME", &dir)
        .output()
        .expect("binary runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let report = err
        .split("error[scale::aws::credentials]")
        .nth(1)
        .unwrap_or_else(|| panic!("no credentials error in:\n{err}"));
    assert!(report.contains("scalec found no AWS credentials"), "{err}");
    assert!(
        report.lines().count() < 20,
        "one screen, not a stack of SDK errors:\n{report}"
    );
}

#[test]
fn destroy_removes_only_what_scalec_manages() {
    let aws = LocalAws::start();
    let params = aws.seed();
    let (code, err) = aws.scalec(&apply_args("staging", &params));
    assert_eq!(code, 0, "{err}");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    // Things scalec doesn't own: an alarm with the group's prefix but no tags,
    // and a topic of someone else's.
    rt.block_on(async {
        let (_, cw, sns) = aws.clients().await;
        cw.put_metric_alarm()
            .alarm_name("macro-ai-staging-web-handmade")
            .namespace("AWS/EC2")
            .metric_name("CPUUtilization")
            .statistic(aws_sdk_cloudwatch::types::Statistic::Average)
            .period(60)
            .evaluation_periods(1)
            .threshold(99.0)
            .comparison_operator(
                aws_sdk_cloudwatch::types::ComparisonOperator::GreaterThanThreshold,
            )
            .send()
            .await
            .expect("unmanaged alarm");
        sns.create_topic()
            .name("someone-elses")
            .send()
            .await
            .expect("unmanaged topic");
    });
    let args: Vec<String> = [
        "destroy",
        "examples/macro-ai.scale",
        "--env",
        "staging",
        "--auto-approve",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let (code, err) = aws.scalec(&args);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("left alone (not scalec's): alarm macro-ai-staging-web-handmade\n"),
        "{err}"
    );
    rt.block_on(async {
        let (asg, cw, sns) = aws.clients().await;
        let groups = asg
            .describe_auto_scaling_groups()
            .auto_scaling_group_names("macro-ai-staging-web")
            .send()
            .await
            .expect("describe");
        assert!(groups.auto_scaling_groups().is_empty(), "group deleted");
        let alarms = cw
            .describe_alarms()
            .alarm_name_prefix("macro-ai-staging-")
            .send()
            .await
            .expect("alarms");
        let names: Vec<&str> = alarms
            .metric_alarms()
            .iter()
            .filter_map(|a| a.alarm_name())
            .collect();
        assert_eq!(
            names,
            vec!["macro-ai-staging-web-handmade"],
            "only the unmanaged alarm is left"
        );
        let topics = sns.list_topics().send().await.expect("topics");
        let arns: Vec<&str> = topics
            .topics()
            .iter()
            .filter_map(|t| t.topic_arn())
            .collect();
        assert_eq!(arns.len(), 1, "{arns:?}");
        assert!(arns[0].ends_with(":someone-elses"));
        assert!(
            cw.get_dashboard()
                .dashboard_name("macro-ai-staging-web")
                .send()
                .await
                .is_err(),
            "dashboard deleted"
        );
    });
}

#[test]
fn apply_converges_through_throttling_and_lost_responses() {
    // Every 4th request fails: throttled, a 503, or a 503 after moto
    // executed it (a lost response). That is 25% of requests.
    let aws = LocalAws::start_with_faults(4);
    let params = aws.seed();
    let (code, err) = aws.scalec(&apply_args("production", &params));
    assert_eq!(code, 0, "{err}");
    let (requests, injected) = aws.faults();
    assert!(
        requests >= 29 && injected * 5 >= requests,
        "at least 20% of at least 29 requests faulted: {injected} of {requests}"
    );
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let (asg, cw, sns) = aws.clients().await;
        let group = "macro-ai-production-web";
        let groups = asg
            .describe_auto_scaling_groups()
            .auto_scaling_group_names(group)
            .send()
            .await
            .expect("groups");
        assert_eq!(groups.auto_scaling_groups().len(), 1);
        let policies = asg
            .describe_policies()
            .auto_scaling_group_name(group)
            .send()
            .await
            .expect("policies");
        assert_eq!(
            policies.scaling_policies().len(),
            7,
            "nothing missing, nothing duplicated"
        );
        let alarms = cw
            .describe_alarms()
            .alarm_name_prefix("macro-ai-production-")
            .send()
            .await
            .expect("alarms");
        assert_eq!(alarms.metric_alarms().len(), 12);
        for a in alarms.metric_alarms() {
            assert!(
                a.alarm_actions().iter().all(|x| x.starts_with("arn:aws:")),
                "{:?} has an unresolved action",
                a.alarm_name()
            );
        }
        let topics = sns.list_topics().send().await.expect("topics");
        assert_eq!(topics.topics().len(), 3);
        let subs = sns
            .list_subscriptions()
            .send()
            .await
            .expect("subscriptions");
        assert_eq!(
            subs.subscriptions().len(),
            2,
            "a retried Subscribe doesn't duplicate"
        );
        assert_eq!(
            sent_notifications(&aws, group),
            BTreeSet::from([("critical".to_string(), 2), ("info".to_string(), 2),]),
            "each topic's notifications sent, retries alike"
        );
        assert!(
            cw.get_dashboard()
                .dashboard_name(group)
                .send()
                .await
                .is_ok()
        );
    });
}

/// The notification configurations scalec sent for `group`, as the proxy
/// recorded them: (the topic's name after its account, number of
/// notification types). Retries of one configuration count once.
fn sent_notifications(aws: &LocalAws, group: &str) -> BTreeSet<(String, usize)> {
    aws.sent("PutNotificationConfiguration")
        .iter()
        .filter(|r| r["AutoScalingGroupName"] == group)
        .map(|r| {
            let topic = r["TopicARN"].as_str().unwrap_or_default();
            let name = topic.rsplit(':').next().unwrap_or_default();
            let short = name.rsplit('-').next().unwrap_or_default().to_string();
            let types = r["NotificationTypes"].as_array().map_or(0, Vec::len);
            (short, types)
        })
        .collect()
}

/// The `+`, `~` and `-` lines of a rendered plan.
fn changed_lines(out: &str) -> Vec<&str> {
    out.lines()
        .filter(|l| l.trim_start().starts_with(['+', '~', '-']))
        .collect()
}

pub(crate) fn plan_args(
    spec: &str,
    env: &str,
    params: &[(String, String)],
    extra: &[&str],
) -> Vec<String> {
    let mut args: Vec<String> = ["plan", spec, "--env", env]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for (k, v) in params {
        args.push("--param".into());
        args.push(format!("{k}={v}"));
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

pub(crate) fn run_out(aws: &LocalAws, args: &[String]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_scalec"))
        .args(args)
        .current_dir(root())
        .env("AWS_ENDPOINT_URL", &aws.endpoint)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn plan_and_apply_converge_against_live_state() {
    let aws = LocalAws::start();
    let params = aws.seed();
    let (code, err) = aws.scalec(&apply_args("production", &params));
    assert_eq!(code, 0, "{err}");
    // A second plan has nothing to do.
    let (code, out, err) = run_out(
        &aws,
        &plan_args(
            "examples/macro-ai.scale",
            "production",
            &params,
            &["--detailed-exitcode"],
        ),
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("No changes"), "{out}");
    // A new alert address means new subscriptions, and nothing else.
    let other: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| {
            if k == "alert_email" {
                (k.clone(), "pager@example.com".to_string())
            } else {
                (k.clone(), v.clone())
            }
        })
        .collect();
    let (code, out, _) = run_out(
        &aws,
        &plan_args(
            "examples/macro-ai.scale",
            "production",
            &other,
            &["--detailed-exitcode"],
        ),
    );
    assert_eq!(code, 2, "{out}");
    let changed = changed_lines(&out);
    assert_eq!(changed.len(), 2, "{out}");
    assert!(
        changed.iter().all(|l| l.contains("+ [2] sns:Subscribe")),
        "{out}"
    );

    // Edit one value: exactly that update.
    let dir = scratch("live-plan");
    let edited = dir.join("edited.scale");
    let text = std::fs::read_to_string(root().join("examples/macro-ai.scale")).expect("example");
    assert!(text.contains("    target = env.cpu\n"));
    std::fs::write(
        &edited,
        text.replace("    target = env.cpu\n", "    target = 65%\n"),
    )
    .expect("write");
    let spec = edited.to_str().expect("path").to_string();
    let (code, out, err) = run_out(
        &aws,
        &plan_args(&spec, "production", &params, &["--detailed-exitcode"]),
    );
    assert_eq!(code, 2, "{out}{err}");
    let changed = changed_lines(&out);
    assert_eq!(changed.len(), 1, "{out}");
    assert!(
        changed[0].contains("~ [4] autoscaling:PutScalingPolicy")
            && changed[0].contains("macro-ai-production-web-cpu"),
        "{out}"
    );
    assert!(
        out.contains("TargetTrackingConfiguration.TargetValue: 60.0 -> 65.0"),
        "{out}"
    );
    let mut apply_edited = apply_args("production", &params);
    apply_edited[1] = spec.clone();
    let (code, err) = aws.scalec(&apply_edited);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("0 created, 1 updated, 0 deleted"), "{err}");
    let (code, out, _) = run_out(
        &aws,
        &plan_args(&spec, "production", &params, &["--detailed-exitcode"]),
    );
    assert_eq!(code, 0, "converged: {out}");

    // Out-of-band changes: a deleted managed policy, an unmanaged policy,
    // and desired capacity moved by scaling.
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let group = "macro-ai-production-web";
    rt.block_on(async {
        let (asg, _, _) = aws.clients().await;
        asg.delete_policy()
            .auto_scaling_group_name(group)
            .policy_name(format!("{group}-memory"))
            .send()
            .await
            .expect("delete");
        asg.put_scaling_policy()
            .auto_scaling_group_name(group)
            .policy_name("handmade")
            .policy_type("SimpleScaling")
            .adjustment_type("ChangeInCapacity")
            .scaling_adjustment(1)
            .send()
            .await
            .expect("unmanaged policy");
        asg.set_desired_capacity()
            .auto_scaling_group_name(group)
            .desired_capacity(7)
            .send()
            .await
            .expect("desired");
    });
    let (code, out, _) = run_out(
        &aws,
        &plan_args(
            &spec,
            "production",
            &params,
            &[
                "--detailed-exitcode",
                "--out",
                dir.join("plan.json").to_str().expect("path"),
            ],
        ),
    );
    assert_eq!(code, 2, "{out}");
    let changed = changed_lines(&out);
    assert_eq!(
        changed.len(),
        1,
        "only the deleted policy comes back: {out}"
    );
    let saved_plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("plan.json")).expect("saved"))
            .expect("JSON");
    assert_eq!(
        saved_plan["account"], "123456789012",
        "the account, read from live ARNs"
    );
    assert_eq!(saved_plan["environment"], "production");
    assert_eq!(
        saved_plan["state_fingerprint"].as_str().map(str::len),
        Some(16)
    );
    assert!(
        changed[0].contains("+ [4] autoscaling:PutScalingPolicy") && changed[0].contains("-memory"),
        "{out}"
    );
    assert!(
        out.contains("left alone (not scalec's): policy handmade"),
        "{out}"
    );

    // A saved plan is refused once the account changed under it.
    rt.block_on(async {
        let (asg, _, _) = aws.clients().await;
        asg.delete_policy()
            .auto_scaling_group_name(group)
            .policy_name(format!("{group}-requests"))
            .send()
            .await
            .expect("delete");
    });
    let saved = vec![
        "apply".to_string(),
        dir.join("plan.json").to_str().expect("path").to_string(),
        "--auto-approve".into(),
    ];
    let (code, err) = aws.scalec(&saved);
    assert_eq!(code, 1);
    assert!(err.contains("scale::plan::stale"), "{err}");
    // A fresh plan applies, and converges.
    let (code, _, err) = run_out(
        &aws,
        &plan_args(
            &spec,
            "production",
            &params,
            &["--out", dir.join("plan.json").to_str().expect("path")],
        ),
    );
    assert_eq!(code, 0, "{err}");
    let (code, err) = aws.scalec(&saved);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("2 created, 0 updated, 0 deleted"), "{err}");
    let (code, out, _) = run_out(
        &aws,
        &plan_args(&spec, "production", &params, &["--detailed-exitcode"]),
    );
    assert_eq!(code, 0, "{out}");
    rt.block_on(async {
        let (asg, _, _) = aws.clients().await;
        let g = asg
            .describe_auto_scaling_groups()
            .auto_scaling_group_names(group)
            .send()
            .await
            .expect("group");
        assert_eq!(
            g.auto_scaling_groups()[0].desired_capacity(),
            Some(7),
            "scaling's desired capacity was not reset"
        );
        let p = asg
            .describe_policies()
            .auto_scaling_group_name(group)
            .policy_names("handmade")
            .send()
            .await
            .expect("policies");
        assert_eq!(
            p.scaling_policies().len(),
            1,
            "the unmanaged policy is untouched"
        );
    });
    // Removing a simple policy from the spec deletes it and its alarm.
    let text = std::fs::read_to_string(&edited).expect("edited spec");
    let start = text
        .find("  policy request_burst simple {")
        .expect("policy in the example");
    let end = start + text[start..].find("  }\n").expect("end of policy") + 4;
    std::fs::write(&edited, format!("{}{}", &text[..start], &text[end..])).expect("write");
    let (code, out, _) = run_out(
        &aws,
        &plan_args(&spec, "production", &params, &["--detailed-exitcode"]),
    );
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("- [4] autoscaling:DeletePolicy")
            && out.contains("macro-ai-production-web-request_burst"),
        "{out}"
    );
    assert!(
        out.contains("- [5] cloudwatch:DeleteAlarms")
            && out.contains("macro-ai-production-web-request_burst-alarm"),
        "{out}"
    );
    let (code, err) = aws.scalec(&apply_edited);
    assert_eq!(code, 0, "{err}");
    rt.block_on(async {
        let (_, cw, _) = aws.clients().await;
        let alarms = cw
            .describe_alarms()
            .alarm_names(format!("{group}-request_burst-alarm"))
            .send()
            .await
            .expect("alarms");
        assert!(alarms.metric_alarms().is_empty(), "no orphaned alarm");
    });
}

/// Calls per action since the last reset, split into reads and the rest.
fn reads_and_writes(stats: &serde_json::Value) -> (u64, BTreeMap<String, u64>) {
    let mut reads = 0;
    let mut writes = BTreeMap::new();
    for (action, n) in stats["actions"].as_object().expect("actions") {
        let n = n.as_u64().unwrap_or(0);
        if ["Describe", "List", "Get"]
            .iter()
            .any(|p| action.starts_with(p))
        {
            reads += n;
        } else {
            writes.insert(action.clone(), n);
        }
    }
    (reads, writes)
}

#[test]
fn planning_and_destroying_300_groups_take_a_bounded_number_of_calls() {
    let aws = LocalAws::start();
    let seed = aws.seed();
    let value = |k: &str| {
        seed.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut spec = String::from(
        "app \"fleet\"\nparam lt: launch_template_id\nparam subnets: list<subnet_id>\nparam email: email\n\
         environment production extends std.production { region = \"us-east-1\" }\n\
         topic critical { email = param.email }\n",
    );
    for i in 0..300 {
        spec.push_str(&format!(
            "group g{i} {{\n  launch_template = param.lt  launch_template_version = 1\n  subnets = param.subnets\n  capacity = 0..2  desired = 0\n  metrics = all\n  policy cpu target_tracking {{ metric = ec2.cpu  target = env.cpu }}\n  alarm full critical {{ when = group.in_service >= capacity.max  for = 10m }}\n}}\n"
        ));
    }
    let dir = scratch("plan-300");
    let path = dir.join("fleet.scale");
    std::fs::write(&path, spec).expect("spec");
    let p = path.to_str().expect("path").to_string();
    let params = vec![
        ("lt".to_string(), value("launch_template")),
        ("subnets".to_string(), value("subnets")),
        ("email".to_string(), "ops@example.com".to_string()),
    ];
    let mut apply = apply_args("production", &params);
    apply[1] = p.clone();
    let (code, err) = aws.scalec(&apply);
    assert_eq!(code, 0, "{err}");

    aws.reset_stats();
    let start = Instant::now();
    let (code, out, err) = run_out(
        &aws,
        &plan_args(&p, "production", &params, &["--detailed-exitcode"]),
    );
    let elapsed = start.elapsed();
    assert_eq!(code, 0, "{out}{err}");
    let stats = aws.stats();
    let (plan_reads, plan_writes) = reads_and_writes(&stats);
    eprintln!(
        "plan of 300 existing groups: {plan_reads} API calls in {elapsed:?}, at most {} at once",
        stats["max_in_flight"]
    );
    assert!(plan_writes.is_empty(), "a plan only reads: {plan_writes:?}");
    // ListTopics + ListSubscriptionsByTopic, 6 x DescribeAutoScalingGroups
    // (50 names each), one listing each of policies and scheduled actions,
    // 6 x notification configurations, one alarm listing: no call per group.
    assert!(
        (14..=20).contains(&plan_reads),
        "{plan_reads} calls for 300 groups"
    );
    assert!(
        stats["max_in_flight"].as_u64().unwrap_or(0) >= 2,
        "independent reads run concurrently: {stats}"
    );

    // Importing the same 300 groups reads as little: no call per group
    // (scalec's tags say these groups have no hooks; no dashboard is
    // named after them).
    aws.reset_stats();
    let imported = dir.join("imported.scale");
    let import: Vec<String> = [
        "import",
        "--env",
        "production",
        "--tag",
        "app=fleet",
        "-o",
        imported.to_str().expect("path"),
        "--force",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let start = Instant::now();
    let (code, out, err) = run_out(&aws, &import);
    let elapsed = start.elapsed();
    assert_eq!(code, 0, "{out}{err}");
    let stats = aws.stats();
    let (import_reads, import_writes) = reads_and_writes(&stats);
    eprintln!(
        "import of 300 existing groups: {import_reads} API calls in {elapsed:?}: {}",
        stats["actions"]
    );
    assert!(
        import_writes.is_empty(),
        "import only reads: {import_writes:?}"
    );
    assert!(
        import_reads <= plan_reads,
        "import read {import_reads} times, planning read {plan_reads} times: {}",
        stats["actions"]
    );
    let text = std::fs::read_to_string(&imported).expect("imported spec");
    assert_eq!(
        text.lines().filter(|l| l.starts_with("group g")).count(),
        300,
        "{err}"
    );

    aws.reset_stats();
    let mut destroy: Vec<String> = ["destroy", &p, "--env", "production", "--auto-approve"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for (k, v) in &params {
        destroy.push("--param".into());
        destroy.push(format!("{k}={v}"));
    }
    destroy.extend(["--region".to_string(), "us-east-1".to_string()]);
    let start = Instant::now();
    let (code, err) = aws.scalec(&destroy);
    let elapsed = start.elapsed();
    assert_eq!(code, 0, "{err}");
    let stats = aws.stats();
    let (reads, writes) = reads_and_writes(&stats);
    eprintln!("destroy of 300 groups: {reads} reads and {writes:?} in {elapsed:?}");
    assert!(
        reads <= plan_reads,
        "destroy reads {reads} times, planning read {plan_reads} times"
    );
    let expected: BTreeMap<String, u64> = [
        ("DeleteAutoScalingGroup", 300),
        ("DeletePolicy", 300),
        ("DeleteAlarms", 3),
        ("DeleteTopic", 1),
    ]
    .into_iter()
    .map(|(a, n)| (a.to_string(), n))
    .collect();
    assert_eq!(
        writes, expected,
        "one delete per group and policy, alarms 100 a call"
    );
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let (asg, cw, _) = aws.clients().await;
        let groups = asg
            .describe_auto_scaling_groups()
            .send()
            .await
            .expect("describe");
        assert!(
            groups.auto_scaling_groups().is_empty(),
            "every group deleted"
        );
        let alarms = cw
            .describe_alarms()
            .alarm_name_prefix("fleet-production-")
            .send()
            .await
            .expect("alarms");
        assert!(alarms.metric_alarms().is_empty(), "every alarm deleted");
    });
}

#[test]
fn a_group_scalec_did_not_create_needs_adopt() {
    let aws = LocalAws::start();
    let params = aws.seed();
    let value = |k: &str| {
        params
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let (asg, _, _) = aws.clients().await;
        asg.create_auto_scaling_group()
            .auto_scaling_group_name("macro-ai-staging-web")
            .launch_template(
                aws_sdk_autoscaling::types::LaunchTemplateSpecification::builder()
                    .launch_template_id(value("launch_template"))
                    .version("1")
                    .build(),
            )
            .min_size(0)
            .max_size(1)
            .vpc_zone_identifier(value("subnets"))
            .send()
            .await
            .expect("someone else's group");
    });
    let (code, out, err) = run_out(
        &aws,
        &plan_args("examples/macro-ai.scale", "staging", &params, &[]),
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        err.contains("scale::apply::not_ours") && err.contains("--adopt"),
        "{err}"
    );
    let (code, out, err) = run_out(
        &aws,
        &plan_args("examples/macro-ai.scale", "staging", &params, &["--adopt"]),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("~ [3] autoscaling:UpdateAutoScalingGroup") && out.contains("MaxSize: 1 -> 5"),
        "{out}"
    );
    assert!(
        out.contains("autoscaling:CreateOrUpdateTags"),
        "adopting marks the group as scalec's: {out}"
    );
}

#[test]
fn a_new_target_group_is_attached_and_the_old_one_detached() {
    let aws = LocalAws::start();
    let (params, second) = aws.seed_with_second_target_group();
    let (code, err) = aws.scalec(&apply_args("staging", &params));
    assert_eq!(code, 0, "{err}");
    let moved: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| {
            if k == "target_group" {
                (k.clone(), second.clone())
            } else {
                (k.clone(), v.clone())
            }
        })
        .collect();
    let (code, out, err) = run_out(
        &aws,
        &plan_args(
            "examples/macro-ai.scale",
            "staging",
            &moved,
            &["--detailed-exitcode"],
        ),
    );
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        out.contains("~ [3] autoscaling:AttachLoadBalancerTargetGroups")
            && out.contains("~ [3] autoscaling:DetachLoadBalancerTargetGroups"),
        "{out}"
    );
    assert!(
        !out.contains("UpdateAutoScalingGroup"),
        "UpdateAutoScalingGroup can't change target groups: {out}"
    );
    let (code, err) = aws.scalec(&apply_args("staging", &moved));
    assert_eq!(code, 0, "{err}");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let (asg, _, _) = aws.clients().await;
        let g = asg
            .describe_auto_scaling_groups()
            .auto_scaling_group_names("macro-ai-staging-web")
            .send()
            .await
            .expect("describe");
        assert_eq!(
            g.auto_scaling_groups()[0].target_group_arns(),
            std::slice::from_ref(&second)
        );
    });
    let (code, out, _) = run_out(
        &aws,
        &plan_args(
            "examples/macro-ai.scale",
            "staging",
            &moved,
            &["--detailed-exitcode"],
        ),
    );
    assert_eq!(code, 0, "converged: {out}");
}

#[test]
fn a_saved_plan_edited_to_delete_another_teams_group_is_refused() {
    let aws = LocalAws::start();
    let params = aws.seed();
    let value = |k: &str| {
        params
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let (code, err) = aws.scalec(&apply_args("staging", &params));
    assert_eq!(code, 0, "{err}");
    // Another team's group, in the same account, not scalec's.
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let theirs = "payments-web";
    let group_names = || {
        rt.block_on(async {
            let (asg, _, _) = aws.clients().await;
            let mut names: Vec<String> = asg
                .describe_auto_scaling_groups()
                .send()
                .await
                .expect("groups")
                .auto_scaling_groups()
                .iter()
                .filter_map(|g| g.auto_scaling_group_name().map(str::to_string))
                .collect();
            names.sort();
            names
        })
    };
    rt.block_on(async {
        let (asg, _, _) = aws.clients().await;
        asg.create_auto_scaling_group()
            .auto_scaling_group_name(theirs)
            .launch_template(
                aws_sdk_autoscaling::types::LaunchTemplateSpecification::builder()
                    .launch_template_id(value("launch_template"))
                    .version("1")
                    .build(),
            )
            .min_size(0)
            .max_size(1)
            .vpc_zone_identifier(value("subnets"))
            .send()
            .await
            .expect("their group");
    });
    let before = group_names();
    assert!(before.iter().any(|n| n == theirs), "{before:?}");

    // A plan with no changes, saved; then edited to hold one delete of
    // their group, its fingerprints kept.
    let dir = scratch("tampered-plan");
    let path = dir.join("plan.json");
    let (code, out, err) = run_out(
        &aws,
        &plan_args(
            "examples/macro-ai.scale",
            "staging",
            &params,
            &["--detailed-exitcode", "--out", path.to_str().expect("path")],
        ),
    );
    assert_eq!(code, 0, "no changes: {out}{err}");
    let mut plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("saved")).expect("JSON");
    assert_eq!(plan["operations"], serde_json::json!([]), "{plan:#}");
    assert!(
        plan["params"]["launch_template"].is_string(),
        "the plan carries its params: {plan:#}"
    );
    plan["operations"] = serde_json::json!([{
        "step": 1,
        "action": "delete",
        "resource": theirs,
        "api": "autoscaling:DeleteAutoScalingGroup",
        "request": { "AutoScalingGroupName": theirs, "ForceDelete": true }
    }]);
    std::fs::write(&path, plan.to_string()).expect("edited");
    let apply_saved = vec![
        "apply".to_string(),
        path.to_str().expect("path").to_string(),
        "--auto-approve".into(),
    ];
    let (code, err) = aws.scalec(&apply_saved);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("scale::plan::altered"), "{err}");
    assert!(
        err.contains("`autoscaling:DeleteAutoScalingGroup payments-web` in the plan, nothing when planned again"),
        "{err}"
    );
    assert_eq!(group_names(), before, "nothing was deleted");
    assert!(
        aws.sent("DeleteAutoScalingGroup").is_empty(),
        "no delete was sent"
    );

    // Params can't be swapped under a saved plan either.
    let mut with_param = apply_saved.clone();
    with_param.extend(["--param".into(), "launch_template_version=4".into()]);
    let (code, err) = aws.scalec(&with_param);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("scale::cli::usage") && err.contains("--param"),
        "{err}"
    );

    // The same plan, unedited, applies: planned again from its own params.
    let (code, _, err) = run_out(
        &aws,
        &plan_args(
            "examples/macro-ai.scale",
            "staging",
            &params,
            &["--out", path.to_str().expect("path")],
        ),
    );
    assert_eq!(code, 0, "{err}");
    let (code, err) = aws.scalec(&apply_saved);
    assert_eq!(code, 0, "{err}");
    assert_eq!(group_names(), before);
}
