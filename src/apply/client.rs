//! The SDK clients of one region: credentials, region and endpoints from
//! `aws-config`'s standard chain, one HTTPS client, retries with backoff.

use super::Task;
use super::error::{ATTEMPTS, ApplyError};
use aws_sdk_sns::config::ProvideCredentials;

/// SDK clients for one region.
#[derive(Clone)]
pub struct Aws {
    pub(crate) asg: aws_sdk_autoscaling::Client,
    pub(crate) cw: aws_sdk_cloudwatch::Client,
    pub(crate) sns: aws_sdk_sns::Client,
    pub(crate) sts: aws_sdk_sts::Client,
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
    pub fn connect<'a>(
        region: &'a str,
        profile: Option<&'a str>,
    ) -> Task<'a, Result<Aws, ApplyError>> {
        Self::connect_as(region, profile, None)
    }

    /// [`Aws::connect`], then, with `role`, credentials for that role from
    /// STS's AssumeRole (aws-config's provider: kept in memory, refreshed
    /// before they expire, never written anywhere).
    pub fn connect_as<'a>(
        region: &'a str,
        profile: Option<&'a str>,
        role: Option<&'a str>,
    ) -> Task<'a, Result<Aws, ApplyError>> {
        Box::pin(async move {
            let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
                .http_client(http_client())
                .region(aws_config::Region::new(region.to_string()));
            if let Some(p) = profile {
                loader = loader.profile_name(p);
            }
            let mut config = loader.load().await;
            if let Some(role) = role {
                if config.credentials_provider().is_none() {
                    return Err(ApplyError::Credentials(NO_CREDENTIALS.to_string()));
                }
                let assumed = aws_config::sts::AssumeRoleProvider::builder(role)
                    .session_name("scalec")
                    .configure(&config)
                    .build()
                    .await;
                if let Err(e) = assumed.provide_credentials().await {
                    return Err(ApplyError::Credentials(format!(
                        "scalec could not assume the environment's role {role}.\n\nThe credentials it started from may not assume it (the role's trust policy names who may), or the role doesn't exist.\n\n(details: {e})"
                    )));
                }
                config = config
                    .into_builder()
                    .credentials_provider(aws_sdk_sns::config::SharedCredentialsProvider::new(
                        assumed,
                    ))
                    .build();
            }
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
            let sts_conf = aws_sdk_sts::config::Builder::from(&config)
                .retry_config(retry())
                .build();
            Ok(Aws {
                asg: aws_sdk_autoscaling::Client::from_conf(asg_conf),
                cw: aws_sdk_cloudwatch::Client::from_conf(cw_conf),
                sns: aws_sdk_sns::Client::from_conf(sns_conf),
                sts: aws_sdk_sts::Client::from_conf(sts_conf),
            })
        })
    }

    /// Connects for environment `env` in `region`: with its role, if it
    /// has one; and, when it names an account (or its role does), refuses
    /// credentials of any other before anything is read. Returns the
    /// caller's account when it was asked for.
    pub fn connect_env<'a>(
        env: &'a crate::model::Environment,
        region: &'a str,
        profile: Option<&'a str>,
    ) -> Task<'a, Result<(Aws, Option<String>), ApplyError>> {
        Box::pin(async move {
            let aws = Self::connect_as(region, profile, env.role.as_deref()).await?;
            let wanted = match (&env.account, &env.role) {
                (Some(a), _) => Some((a.clone(), "account")),
                (None, Some(r)) => {
                    crate::kinds::arn::arn_parts(r).map(|a| (a.account.to_string(), "role"))
                }
                (None, None) => None,
            };
            let Some((wanted, by)) = wanted else {
                return Ok((aws, None));
            };
            let caller = aws.caller_account().await?;
            if caller != wanted {
                return Err(ApplyError::WrongAccount {
                    env: env.name.clone(),
                    wanted,
                    caller,
                    by,
                });
            }
            Ok((aws, Some(caller)))
        })
    }

    /// The account the credentials belong to (STS GetCallerIdentity).
    pub fn caller_account(&self) -> Task<'_, Result<String, ApplyError>> {
        Box::pin(async move {
            let who = self
                .sts
                .get_caller_identity()
                .send()
                .await
                .map_err(|e| ApplyError::sdk("sts:GetCallerIdentity", "the caller", e))?;
            Ok(who.account().unwrap_or_default().to_string())
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

/// Throttling, 5xx answers and lost connections are retried with
/// exponential backoff, [`ATTEMPTS`] tries in all.
fn retry() -> aws_config::retry::RetryConfig {
    aws_config::retry::RetryConfig::standard()
        .with_max_attempts(ATTEMPTS)
        .with_initial_backoff(std::time::Duration::from_millis(50))
}
