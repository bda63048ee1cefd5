//! AWS errors as people read them: the real binary against moto behind the
//! test proxy, which answers chosen API actions itself with throttling,
//! access denied, validation errors, expired credentials, quotas, server
//! errors, not-found, codes scalec has no kind for, or pages that aren't
//! AWS's.

use super::aws::{LocalAws, apply_args, plan_args, run_out};

/// No SDK debug structure leaks into what a user reads.
fn assert_readable(text: &str) {
    for leak in [
        "ServiceError {",
        "raw: Response",
        "SdkError",
        "DispatchFailure {",
        "source: ",
    ] {
        assert!(!text.contains(leak), "debug output `{leak}` in:\n{text}");
    }
}

/// The `error[...]` line of a failed command and the help line under it.
fn error_and_help(err: &str) -> (&str, &str) {
    let lines: Vec<&str> = err.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("error[scale::aws::"))
        .unwrap_or_else(|| panic!("no AWS error line in:\n{err}"));
    let help = lines
        .get(at + 1)
        .filter(|l| l.trim_start().starts_with("help: "))
        .unwrap_or_else(|| panic!("no help line under the error in:\n{err}"));
    (lines[at], help)
}

#[test]
fn throttling_that_outlasts_the_retries_says_so_and_what_to_do() {
    let aws = LocalAws::start_with(0, &["DescribeAutoScalingGroups=throttle"]);
    let params = aws.seed();
    let (code, out, err) = run_out(
        &aws,
        &plan_args("examples/macro-ai.scale", "staging", &params, &[]),
    );
    assert_eq!(code, 1, "{out}{err}");
    let (error, help) = error_and_help(&err);
    assert_eq!(
        error,
        "error[scale::aws::throttled]: autoscaling:DescribeAutoScalingGroups for `groups` failed: HTTP 400, Throttling: Rate exceeded"
    );
    assert!(
        help.contains("all 6 attempts") && help.contains("run the command again"),
        "{help}"
    );
    assert_readable(&err);
    // Six attempts, then the error.
    assert_eq!(aws.stats()["actions"]["DescribeAutoScalingGroups"], 6);
}

#[test]
fn access_denied_names_the_resource_and_the_permission() {
    let aws = LocalAws::start_with(0, &["CreateAutoScalingGroup=denied"]);
    let params = aws.seed();
    let (code, err) = aws.scalec(&apply_args("staging", &params));
    assert_eq!(code, 1, "{err}");
    let (error, help) = error_and_help(&err);
    assert_eq!(
        error,
        "error[scale::aws::access_denied]: autoscaling:CreateAutoScalingGroup for `macro-ai-staging-web` failed: HTTP 403, AccessDenied: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: autoscaling:CreateAutoScalingGroup"
    );
    assert!(
        help.contains("may not call autoscaling:CreateAutoScalingGroup") && help.contains("IAM"),
        "{help}"
    );
    assert!(
        err.contains("calls were made before the failure; run the command again to finish"),
        "{err}"
    );
    assert_readable(&err);
}

#[test]
fn a_validation_error_quotes_aws_and_points_at_scalec() {
    let aws = LocalAws::start_with(0, &["PutScalingPolicy=invalid"]);
    let params = aws.seed();
    let (code, err) = aws.scalec(&apply_args("staging", &params));
    assert_eq!(code, 1, "{err}");
    let (error, help) = error_and_help(&err);
    assert!(
        error.starts_with("error[scale::aws::invalid]: autoscaling:PutScalingPolicy for `macro-ai-staging-web-")
            && error.ends_with("failed: HTTP 400, ValidationError: Max bound, 5, must be greater than or equal to min bound, 6"),
        "{error}"
    );
    assert!(
        help.contains("names the field") && help.contains("report it"),
        "{help}"
    );
    assert_readable(&err);
}

#[test]
fn an_answer_that_is_not_from_aws_is_one_line() {
    let aws = LocalAws::start_with(0, &["DescribeAutoScalingGroups=html"]);
    let params = aws.seed();
    let (code, out, err) = run_out(
        &aws,
        &plan_args("examples/macro-ai.scale", "staging", &params, &[]),
    );
    assert_eq!(code, 1, "{out}{err}");
    let (error, help) = error_and_help(&err);
    assert_eq!(
        error,
        "error[scale::aws::not_aws]: autoscaling:DescribeAutoScalingGroups for `groups` failed: the answer did not come from AWS (HTTP 502, a text/html body: \"502 Bad Gateway\")"
    );
    assert!(
        help.contains("AWS_ENDPOINT_URL") && help.contains("HTTPS_PROXY"),
        "{help}"
    );
    assert!(
        !err.contains("<html>"),
        "the page itself is not printed: {err}"
    );
    assert_readable(&err);
    // The same failure as JSON: one document on stdout, nothing human.
    let (code, out, err) = run_out(
        &aws,
        &plan_args(
            "examples/macro-ai.scale",
            "staging",
            &params,
            &["--format", "json"],
        ),
    );
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON on stdout");
    assert_eq!(v["ok"], false);
    assert_eq!(v["diagnostics"][0]["code"], "scale::aws::not_aws");
    assert!(
        v["diagnostics"][0]["help"]
            .as_str()
            .is_some_and(|h| h.contains("AWS_ENDPOINT_URL"))
    );
}

#[test]
fn an_empty_answer_is_named_as_such() {
    let aws = LocalAws::start_with(0, &["DescribePolicies=empty"]);
    let params = aws.seed();
    let (code, out, err) = run_out(
        &aws,
        &plan_args("examples/macro-ai.scale", "staging", &params, &[]),
    );
    assert_eq!(code, 1, "{out}{err}");
    let (error, _) = error_and_help(&err);
    assert_eq!(
        error,
        "error[scale::aws::not_aws]: autoscaling:DescribePolicies for `policies` failed: the answer did not come from AWS (HTTP 503, an empty text/plain body)"
    );
    assert_readable(&err);
}

#[test]
fn no_connection_says_where_scalec_tried() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let aws = LocalAws::start();
    let params = aws.seed();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_scalec"))
        .args(plan_args(
            "examples/macro-ai.scale",
            "staging",
            &params,
            &[],
        ))
        .current_dir(super::root())
        .env("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{port}"))
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("binary runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let (error, help) = error_and_help(&err);
    assert!(
        error.starts_with("error[scale::aws::network]: ")
            && error.contains("AWS could not be reached"),
        "{error}"
    );
    assert!(help.contains("check the network"), "{help}");
    assert_readable(&err);
}

#[test]
fn expired_credentials_say_to_renew_them() {
    let aws = LocalAws::start_with(0, &["DescribeAutoScalingGroups=expired"]);
    let params = aws.seed();
    let (code, out, err) = run_out(
        &aws,
        &plan_args("examples/macro-ai.scale", "staging", &params, &[]),
    );
    assert_eq!(code, 1, "{out}{err}");
    let (error, help) = error_and_help(&err);
    assert_eq!(
        error,
        "error[scale::aws::bad_credentials]: autoscaling:DescribeAutoScalingGroups for `groups` failed: HTTP 403, ExpiredToken: The security token included in the request is expired"
    );
    assert!(
        help.contains("expired or not valid") && help.contains("renew them"),
        "{help}"
    );
    assert_readable(&err);
}

#[test]
fn a_reached_quota_points_at_service_quotas() {
    let aws = LocalAws::start_with(0, &["CreateAutoScalingGroup=quota"]);
    let params = aws.seed();
    let (code, err) = aws.scalec(&apply_args("staging", &params));
    assert_eq!(code, 1, "{err}");
    let (error, help) = error_and_help(&err);
    assert_eq!(
        error,
        "error[scale::aws::quota]: autoscaling:CreateAutoScalingGroup for `macro-ai-staging-web` failed: HTTP 400, LimitExceeded: You have requested more AutoScalingGroups than your current limit of 500 allows."
    );
    assert!(
        help.contains("an account quota is reached") && help.contains("Service Quotas console"),
        "{help}"
    );
    assert_readable(&err);
}

#[test]
fn aws_failing_on_its_side_through_every_retry_is_a_server_error() {
    let aws = LocalAws::start_with(0, &["DescribeAutoScalingGroups=unavailable"]);
    let params = aws.seed();
    let (code, out, err) = run_out(
        &aws,
        &plan_args("examples/macro-ai.scale", "staging", &params, &[]),
    );
    assert_eq!(code, 1, "{out}{err}");
    let (error, help) = error_and_help(&err);
    assert_eq!(
        error,
        "error[scale::aws::server]: autoscaling:DescribeAutoScalingGroups for `groups` failed: HTTP 503, ServiceUnavailable: Service is unavailable"
    );
    assert!(
        help.contains("AWS failed on its side through all 6 attempts")
            && help.contains("run again later"),
        "{help}"
    );
    assert_readable(&err);
    assert_eq!(aws.stats()["actions"]["DescribeAutoScalingGroups"], 6);
}

#[test]
fn a_topic_gone_while_applying_says_the_account_changed() {
    // SNS answers NotFound when the topic of a subscription is gone: here
    // the topic was just created, so someone else deleted it meanwhile.
    let aws = LocalAws::start_with(0, &["Subscribe=notfound"]);
    let params = aws.seed();
    let (code, err) = aws.scalec(&apply_args("staging", &params));
    assert_eq!(code, 1, "{err}");
    let (error, help) = error_and_help(&err);
    assert!(
        error.starts_with("error[scale::aws::changed]: sns:Subscribe for `")
            && error.ends_with("` failed: HTTP 404, NotFound: Topic does not exist"),
        "{error}"
    );
    assert!(
        help.contains("the account changed while scalec worked")
            && help.contains("run `scalec plan` again"),
        "{help}"
    );
    assert_readable(&err);
}

#[test]
fn an_aws_code_without_a_kind_is_quoted_as_a_failed_call() {
    let aws = LocalAws::start_with(0, &["CreateAutoScalingGroup=linked_role"]);
    let params = aws.seed();
    let (code, err) = aws.scalec(&apply_args("staging", &params));
    assert_eq!(code, 1, "{err}");
    let (error, help) = error_and_help(&err);
    assert_eq!(
        error,
        "error[scale::aws::call]: autoscaling:CreateAutoScalingGroup for `macro-ai-staging-web` failed: HTTP 400, ServiceLinkedRoleFailure: The service-linked role is not yet ready for use."
    );
    assert!(
        help.contains("see AWS's message above") && help.contains("run `scalec plan` again"),
        "{help}"
    );
    assert_readable(&err);
}
