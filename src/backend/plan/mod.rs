//! The direct apply plan: one environment as the ordered AWS API calls that
//! create it in an empty account (`scalec plan --offline`).
//!
//! The plan is data. Each [`Call`] carries the API's own member names, so
//! the JSON reads like the SDK request it becomes. Values are concrete: every
//! param the environment uses must have a value (from the spec or
//! `--param`). ARNs that exist only once an earlier call has run (topic and
//! policy ARNs) are [`ArnRef`]s, resolved by whoever executes the plan.
//!
//! Calls come in dependency order, numbered by `step`: calls with the same
//! step don't depend on each other and can run concurrently.
//! 1. topics,
//! 2. subscriptions,
//! 3. groups,
//! 4. group settings, policies and scheduled actions,
//! 5. alarms (they need policy and topic ARNs),
//! 6. dashboards.
//!
//! - `calls`: the plan and its calls, in the APIs' request shapes.
//! - `offline`: a model environment to the calls that create it.
//! - `diff`: those calls against a [`LiveState`], and the delete calls
//!   that tear an environment down.
//! - `render`: the plan for people.

mod calls;
mod diff;
mod offline;
mod render;
mod show;

pub use calls::*;
pub use diff::{DESIRED_TAG, LiveAlarm, LiveGroup, LiveState, diff, teardown};
pub use offline::model_to_plan;
pub use render::{render_human, render_human_with};
pub use show::Detail;

/// Plan diagnostics.
pub mod error {
    use crate::diagnostic::codes;
    codes! {
        /// A param the environment uses has no value.
        MISSING_PARAM = "scale::plan::missing_param";
        /// No region in the spec or on the command line.
        NO_REGION = "scale::plan::no_region";
        /// The environment declares what the direct plan can't make yet:
        /// scalable targets of Application Auto Scaling (`scalec build`
        /// writes them to CloudFormation).
        UNSUPPORTED = "scale::plan::unsupported";
    }
}

/// What the direct plan can't make yet, one error each: planning part of
/// an environment would be a silent wrong plan.
pub fn unsupported(env: &crate::model::Environment) -> crate::diagnostic::Diagnostics {
    let mut diags = crate::diagnostic::Diagnostics::new();
    for t in &env.targets {
        diags.push(
            crate::diagnostic::Diagnostic::error(
                error::UNSUPPORTED,
                format!(
                    "`scalec plan` and `apply` can't make scalable targets yet: {} `{}` is in `{}`",
                    t.keyword, t.name, env.name
                ),
                t.origin,
                "not in a direct plan",
            )
            .with_help("deploy this environment with `scalec build` and CloudFormation"),
        );
    }
    diags
}

/// FNV-1a, 64 bits, as hex: a stable fingerprint of text.
pub fn fingerprint(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}
