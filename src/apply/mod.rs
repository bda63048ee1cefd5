//! Talks to AWS: reads an environment's live state, executes an
//! [`ApplyPlan`](crate::backend::plan::ApplyPlan) with the AWS SDK, and
//! tears an environment down. This is the only module that does network
//! I/O.
//!
//! - `client`: SDK clients from `aws-config`'s standard chain (environment,
//!   profiles, SSO, IMDS; `AWS_ENDPOINT_URL` and the per-service endpoint
//!   variables, so scalec runs against local emulators), retries.
//! - `error`: failed calls in words, with a code and what to do next.
//! - `execute`: the calls of a plan in dependency order; the calls of one
//!   step concurrently, up to a bound; ARNs that only exist after a call
//!   (topics, policies) recorded and substituted into later calls.
//! - `refresh`: `StartInstanceRefresh` exactly once: a start whose answer
//!   was lost is recognised among the group's refreshes, not repeated.
//! - `state`: live state in a bounded number of concurrent reads.
//! - `requests`: live resources in the shape of their create requests.
//!
//! `destroy` is a plan too: [`crate::backend::plan::teardown`] turns the
//! live state into delete calls, which `execute` runs.
//!
//! Public async entry points return a boxed [`Task`], so their state
//! machines are compiled once, here, and not again in the binary that
//! awaits them (the binary crate's release build went from 21 s to 6 s).
//!
//! CloudWatch is `aws-sdk-cloudwatch` 1.99, the last release that speaks the
//! awsQuery protocol: later releases speak Smithy RPC-v2 CBOR, which the
//! local emulator the tests use (moto) doesn't understand.

mod client;
pub mod error;
mod execute;
pub mod history;
mod refresh;
mod requests;
mod shapes;
mod state;
mod survey;
pub use survey::Selection;

pub use client::{Aws, http_client};
pub use error::{ApplyError, CallError};
pub use execute::{Summary, execute, known_arns};
pub use state::{Purpose, wanted_alarms};

/// A future built and boxed in this crate.
pub type Task<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;
