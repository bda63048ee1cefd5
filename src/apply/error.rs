//! Errors from AWS, in words: which call failed on which resource, what AWS
//! (or whatever answered instead) said, and what to do next. Never the SDK's
//! debug structures.

use crate::diagnostic::codes;
use aws_sdk_autoscaling::config::http::HttpResponse;
use aws_sdk_autoscaling::error::{ProvideErrorMetadata, SdkError};
use std::fmt;

codes! {
    /// No usable credentials.
    CREDENTIALS = "scale::aws::credentials";
    /// AWS kept throttling after every retry.
    THROTTLED = "scale::aws::throttled";
    /// The identity in use may not make the call.
    ACCESS_DENIED = "scale::aws::access_denied";
    /// The credentials are expired, unknown or wrongly signed.
    BAD_CREDENTIALS = "scale::aws::bad_credentials";
    /// AWS refused a value of the request.
    INVALID = "scale::aws::invalid";
    /// An account quota is reached.
    QUOTA = "scale::aws::quota";
    /// The resource is busy (a scaling activity, an update in progress).
    BUSY = "scale::aws::busy";
    /// The resource vanished or appeared while scalec ran.
    CHANGED = "scale::aws::changed";
    /// AWS failed on its side, after every retry.
    SERVER = "scale::aws::server";
    /// The answer did not come from AWS (an HTML page, an empty body).
    NOT_AWS = "scale::aws::not_aws";
    /// AWS could not be reached.
    NETWORK = "scale::aws::network";
    /// Any other failed call.
    CALL = "scale::aws::call";
    /// The async runtime for the calls could not start.
    RUNTIME = "scale::aws::runtime";
    /// A group of the spec's name exists but isn't scalec's.
    NOT_OURS = "scale::apply::not_ours";
    /// The credentials are another account's than the environment's.
    WRONG_ACCOUNT = "scale::aws::wrong_account";
}

/// Why a call to AWS, or a run of calls, stopped.
#[derive(Debug)]
pub enum ApplyError {
    /// No usable credentials; the text explains where scalec looked.
    Credentials(String),
    /// One API call failed.
    Call(Box<CallError>),
    /// Something else stopped the run (a task that panicked).
    Internal(String),
    /// The credentials belong to another account than the environment
    /// names: nothing was read or written.
    WrongAccount {
        /// The environment.
        env: String,
        /// The account it names (or its role's).
        wanted: String,
        /// The account of the credentials in use.
        caller: String,
        /// What named it: `account`, `role`, or `plan` (a saved plan's).
        by: &'static str,
    },
}

/// A failed API call, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct CallError {
    /// `autoscaling:CreateAutoScalingGroup`.
    pub api: String,
    /// The resource the call was about: a physical name, or what a read lists.
    pub resource: String,
    /// The HTTP status, when a response came back.
    pub status: Option<u16>,
    /// AWS's error code (`ValidationError`).
    pub aws_code: Option<String>,
    /// AWS's message.
    pub aws_message: Option<String>,
    /// What went wrong, for the code and the help line.
    pub kind: Kind,
    /// For answers not from AWS or failed connections: a one-line account.
    pub detail: Option<String>,
}

/// The kinds of failure a user acts on differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Throttling after every retry.
    Throttled,
    /// Not allowed by IAM.
    AccessDenied,
    /// Expired, unknown or wrongly signed credentials.
    BadCredentials,
    /// A value AWS refused.
    Invalid,
    /// A quota.
    Quota,
    /// Busy.
    Busy,
    /// Not found or already there: the account changed under scalec.
    Changed,
    /// 5xx after retries.
    Server,
    /// The answer is not AWS's.
    NotAws,
    /// No connection, or a timeout.
    Network,
    /// Anything else.
    Other,
}

impl Kind {
    /// The diagnostic code printed with the error.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Throttled => THROTTLED,
            Kind::AccessDenied => ACCESS_DENIED,
            Kind::BadCredentials => BAD_CREDENTIALS,
            Kind::Invalid => INVALID,
            Kind::Quota => QUOTA,
            Kind::Busy => BUSY,
            Kind::Changed => CHANGED,
            Kind::Server => SERVER,
            Kind::NotAws => NOT_AWS,
            Kind::Network => NETWORK,
            Kind::Other => CALL,
        }
    }
}

impl ApplyError {
    /// The stable diagnostic code.
    pub fn code(&self) -> &'static str {
        match self {
            ApplyError::Credentials(_) => CREDENTIALS,
            ApplyError::Call(c) => c.kind.code(),
            ApplyError::Internal(_) => CALL,
            ApplyError::WrongAccount { .. } => WRONG_ACCOUNT,
        }
    }

    /// What to do next.
    pub fn help(&self) -> Option<String> {
        match self {
            ApplyError::Credentials(_) => None,
            ApplyError::Call(c) => Some(c.help()),
            ApplyError::Internal(_) => Some("this is a bug in scalec: please report it".into()),
            ApplyError::WrongAccount { wanted, by, .. } => Some(if *by == "plan" {
                format!(
                    "apply the plan with credentials for account {wanted}, or make it again in this account"
                )
            } else if *by == "role" {
                format!("the environment's role is assumed in account {wanted}: check the role ARN")
            } else {
                format!(
                    "use credentials for account {wanted} (`--profile`, AWS_PROFILE), or give the environment a `role` in it to assume; `aws sts get-caller-identity` shows which account is in use"
                )
            }),
        }
    }
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApplyError::Credentials(s) | ApplyError::Internal(s) => f.write_str(s),
            ApplyError::Call(c) => c.fmt(f),
            ApplyError::WrongAccount {
                env,
                wanted,
                caller,
                by,
            } => {
                let named = match *by {
                    "account" => "its `account`",
                    "role" => "its `role`'s account",
                    _ => "the account the saved plan was made in",
                };
                write!(
                    f,
                    "environment `{env}` deploys to account {wanted} ({named}), but the credentials in use are account {caller}: nothing was read or changed"
                )
            }
        }
    }
}

impl std::error::Error for ApplyError {}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} for `{}` failed", self.api, self.resource)?;
        match self.kind {
            Kind::NotAws => {
                write!(f, ": the answer did not come from AWS")?;
                if let Some(s) = self.status {
                    write!(f, " (HTTP {s}")?;
                    if let Some(d) = &self.detail {
                        write!(f, ", {d}")?;
                    }
                    write!(f, ")")?;
                } else if let Some(d) = &self.detail {
                    write!(f, " ({d})")?;
                }
                Ok(())
            }
            Kind::Network => match &self.detail {
                Some(d) => write!(f, ": AWS could not be reached: {d}"),
                None => write!(f, ": AWS could not be reached"),
            },
            _ => {
                if let Some(s) = self.status {
                    write!(f, ": HTTP {s}")?;
                }
                match (&self.aws_code, &self.aws_message) {
                    (Some(c), Some(m)) => write!(f, ", {c}: {}", one_line(m)),
                    (Some(c), None) => write!(f, ", {c}"),
                    (None, Some(m)) => write!(f, ", {}", one_line(m)),
                    (None, None) => match &self.detail {
                        Some(d) => write!(f, ", {d}"),
                        None => Ok(()),
                    },
                }
            }
        }
    }
}

impl CallError {
    /// What to do next, for people.
    pub fn help(&self) -> String {
        let action = &self.api;
        match self.kind {
            Kind::Throttled => format!(
                "AWS throttled {action} through all {ATTEMPTS} attempts; wait a minute and run the command again (an apply picks up where it stopped), or lower --concurrency"
            ),
            Kind::AccessDenied => format!(
                "the identity in use may not call {action}: allow it in IAM, or choose another identity with --profile (`aws sts get-caller-identity` shows which one is in use)"
            ),
            Kind::BadCredentials => "the credentials are expired or not valid: renew them (`aws sso login`, new access keys) and run again".into(),
            Kind::Invalid => "AWS refused a value of this request; its message names the field. If `scalec check` accepted the spec, that is a scalec bug: please report it with the spec".into(),
            Kind::Quota => "an account quota is reached: delete what is unused, or ask for more in the Service Quotas console".into(),
            Kind::Busy => "the resource is busy (a scaling activity, an instance refresh or an update is running): wait for it to finish and run again (`aws autoscaling describe-instance-refreshes` shows a refresh; `cancel-instance-refresh` stops one)".into(),
            Kind::Changed => "the account changed while scalec worked: run `scalec plan` again to see what is there now".into(),
            Kind::Server => format!(
                "AWS failed on its side through all {ATTEMPTS} attempts: run again later (an apply picks up where it stopped)"
            ),
            Kind::NotAws => "something between scalec and AWS answered instead (a proxy, a captive portal, a wrong endpoint): check AWS_ENDPOINT_URL, HTTPS_PROXY and the region".into(),
            Kind::Network => "check the network, HTTPS_PROXY, AWS_ENDPOINT_URL and the region, then run again".into(),
            Kind::Other => "see AWS's message above; run `scalec plan` again to see the account as it is now".into(),
        }
    }

    /// Classifies an SDK error of `api` on `resource`.
    pub fn from_sdk<E>(api: &str, resource: &str, e: &SdkError<E, HttpResponse>) -> CallError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let mut c = CallError {
            api: api.to_string(),
            resource: resource.to_string(),
            status: None,
            aws_code: None,
            aws_message: None,
            kind: Kind::Other,
            detail: None,
        };
        match e {
            SdkError::ServiceError(ctx) => {
                let raw = ctx.raw();
                c.status = Some(raw.status().as_u16());
                c.aws_code = ctx.err().code().map(str::to_string);
                c.aws_message = ctx.err().message().map(str::to_string);
                c.kind = match &c.aws_code {
                    Some(code) => classify(code, c.status),
                    None => Kind::NotAws,
                };
                if c.kind == Kind::NotAws {
                    c.detail = Some(describe_body(raw));
                }
            }
            SdkError::ResponseError(ctx) => {
                let raw = ctx.raw();
                c.status = Some(raw.status().as_u16());
                c.kind = Kind::NotAws;
                c.detail = Some(describe_body(raw));
            }
            SdkError::TimeoutError(_) => {
                c.kind = Kind::Network;
                c.detail = Some("no answer in time".into());
            }
            SdkError::DispatchFailure(d) => {
                c.kind = Kind::Network;
                c.detail = Some(if d.is_timeout() {
                    "no answer in time".into()
                } else {
                    innermost(e)
                });
            }
            _ => {
                c.detail = Some(innermost(e));
            }
        }
        c
    }
}

/// How many times a call is tried before its error is reported.
pub const ATTEMPTS: u32 = 6;

/// The kind of an AWS error code.
fn classify(code: &str, status: Option<u16>) -> Kind {
    match code {
        "Throttling"
        | "ThrottlingException"
        | "ThrottledException"
        | "RequestLimitExceeded"
        | "TooManyRequestsException"
        | "RequestThrottled"
        | "RequestThrottledException"
        | "SlowDown"
        | "PriorRequestNotComplete" => Kind::Throttled,
        "AccessDenied"
        | "AccessDeniedException"
        | "UnauthorizedOperation"
        | "AuthorizationError"
        | "NotAuthorized" => Kind::AccessDenied,
        "ExpiredToken"
        | "ExpiredTokenException"
        | "InvalidClientTokenId"
        | "UnrecognizedClientException"
        | "SignatureDoesNotMatch"
        | "InvalidSignatureException"
        | "IncompleteSignature"
        | "MissingAuthenticationToken"
        | "AuthFailure"
        | "InvalidAccessKeyId"
        | "RequestExpired" => Kind::BadCredentials,
        "LimitExceeded"
        | "LimitExceededFault"
        | "LimitExceededException"
        | "ServiceQuotaExceededException"
        | "TopicLimitExceeded"
        | "SubscriptionLimitExceeded" => Kind::Quota,
        "ResourceInUse"
        | "ResourceInUseFault"
        | "ScalingActivityInProgress"
        | "ScalingActivityInProgressFault"
        | "ResourceContention"
        | "ResourceContentionFault"
        | "ConcurrentAccess"
        | "ConcurrentAccessException"
        | "InstanceRefreshInProgress"
        | "InstanceRefreshInProgressFault" => Kind::Busy,
        "AlreadyExists"
        | "AlreadyExistsFault"
        | "ResourceNotFound"
        | "ResourceNotFoundException"
        | "NotFound"
        | "NotFoundException" => Kind::Changed,
        "ValidationError"
        | "ValidationException"
        | "InvalidParameterValue"
        | "InvalidParameterInput"
        | "InvalidParameterCombination"
        | "InvalidParameter"
        | "InvalidParameterException"
        | "MissingParameter"
        | "InvalidFormat"
        | "InvalidNextToken" => Kind::Invalid,
        _ => match status {
            Some(s) if s >= 500 => Kind::Server,
            _ => Kind::Other,
        },
    }
}

/// A one-line account of a response body that isn't an AWS error: its
/// content type and its title or first words.
fn describe_body(raw: &HttpResponse) -> String {
    let ctype = raw
        .headers()
        .get("content-type")
        .map(|v| v.split(';').next().unwrap_or(v).trim().to_string());
    let body = raw
        .body()
        .bytes()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    let text = body.trim();
    if text.is_empty() {
        return match ctype {
            Some(t) => format!("an empty {t} body"),
            None => "an empty body".into(),
        };
    }
    let lower = text.to_ascii_lowercase();
    let title = lower.find("<title>").and_then(|i| {
        let rest = &text[i + 7..];
        rest.to_ascii_lowercase()
            .find("</title>")
            .map(|j| rest[..j].trim().to_string())
    });
    let shown = title.unwrap_or_else(|| text.chars().take(60).collect());
    let what = match ctype {
        Some(t) => format!("a {t} body"),
        None => "a body".into(),
    };
    format!("{what}: \"{}\"", one_line(&shown))
}

/// The deepest cause of an error chain, which says what actually failed
/// (`Connection refused`), on one line.
fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur: &(dyn std::error::Error + 'static) = e;
    let mut text = cur.to_string();
    while let Some(next) = cur.source() {
        let t = next.to_string();
        if !t.is_empty() {
            text = t;
        }
        cur = next;
    }
    one_line(&text)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl ApplyError {
    /// An error of `api` on `resource` from the SDK.
    pub(crate) fn sdk<E>(api: &str, resource: &str, e: SdkError<E, HttpResponse>) -> ApplyError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        ApplyError::Call(Box::new(CallError::from_sdk(api, resource, &e)))
    }

    /// Whether AWS said that what the call names doesn't exist: a
    /// not-found code, or a validation error that says "not found" or
    /// "does not exist" (Auto Scaling's way: `AutoScalingGroup name not
    /// found`, `Scheduled action name not found`, `No Lifecycle Hook found`;
    /// CloudWatch's `ResourceNotFound` for dashboards).
    pub fn gone(&self) -> bool {
        let ApplyError::Call(c) = self else {
            return false;
        };
        let code = c.aws_code.as_deref().unwrap_or_default();
        if matches!(
            code,
            "ResourceNotFound"
                | "ResourceNotFoundException"
                | "NotFound"
                | "NotFoundException"
                | "ObjectNotFound"
        ) {
            return true;
        }
        let message = c
            .aws_message
            .as_deref()
            .unwrap_or_default()
            .to_ascii_lowercase();
        c.kind == Kind::Invalid
            && (message.contains("not found")
                || message.contains("does not exist")
                || message.contains("no such"))
    }

    /// Whether AWS said that what the call creates exists already.
    pub fn already_exists(&self) -> bool {
        matches!(self, ApplyError::Call(c) if matches!(c.aws_code.as_deref(), Some("AlreadyExists" | "AlreadyExistsFault")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_kinds_that_say_what_to_do() {
        assert_eq!(classify("Throttling", Some(400)), Kind::Throttled);
        assert_eq!(classify("AccessDenied", Some(403)), Kind::AccessDenied);
        assert_eq!(classify("ValidationError", Some(400)), Kind::Invalid);
        assert_eq!(classify("InternalFailure", Some(500)), Kind::Server);
        assert_eq!(classify("Weird", Some(400)), Kind::Other);
    }

    #[test]
    fn not_found_in_a_code_or_a_validation_message_is_gone() {
        let call = |code: &str, message: &str| {
            ApplyError::Call(Box::new(CallError {
                api: "autoscaling:DeleteScheduledAction".into(),
                resource: "x".into(),
                status: Some(400),
                aws_code: Some(code.into()),
                aws_message: Some(message.into()),
                kind: classify(code, Some(400)),
                detail: None,
            }))
        };
        assert!(call("ValidationError", "Scheduled action name not found").gone());
        assert!(
            call(
                "ResourceNotFound",
                "The specified dashboard does not exist."
            )
            .gone()
        );
        assert!(
            call(
                "ValidationError",
                "AutoScalingGroup name not found - AutoScalingGroup 'a' not found"
            )
            .gone()
        );
        assert!(!call("ValidationError", "Max bound, 5, must be greater").gone());
        assert!(!call("AccessDenied", "not found in the policy").gone());
    }

    #[test]
    fn a_call_error_names_call_resource_status_and_aws_words() {
        let c = CallError {
            api: "autoscaling:CreateAutoScalingGroup".into(),
            resource: "app-prod-web".into(),
            status: Some(400),
            aws_code: Some("ValidationError".into()),
            aws_message: Some("Max bound, 5, must be\n greater".into()),
            kind: Kind::Invalid,
            detail: None,
        };
        assert_eq!(
            c.to_string(),
            "autoscaling:CreateAutoScalingGroup for `app-prod-web` failed: HTTP 400, ValidationError: Max bound, 5, must be greater"
        );
        assert!(c.help().contains("scalec bug"));
    }
}
