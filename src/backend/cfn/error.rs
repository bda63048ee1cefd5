//! CloudFormation backend diagnostics (`scale::cfn::*`).

/// A group needs more resources or bytes than one stack allows.
pub const TOO_LARGE: &str = "scale::cfn::too_large";
/// Two items map to the same logical ID.
pub const LOGICAL_ID: &str = "scale::cfn::logical_id";
/// A stack or export name CloudFormation would reject.
pub const STACK_NAME: &str = "scale::cfn::stack_name";
/// The environment needs several stacks but one output file was asked for.
pub const NEEDS_SPLIT: &str = "scale::cfn::needs_split";

/// `$Default`/`$Latest` as a launch template version, which CloudFormation rejects.
pub const LAUNCH_TEMPLATE_VERSION: &str = "scale::cfn::launch_template_version";

/// Every backend code.
pub const CODES: &[&str] = &[
    TOO_LARGE,
    LOGICAL_ID,
    STACK_NAME,
    NEEDS_SPLIT,
    LAUNCH_TEMPLATE_VERSION,
];
