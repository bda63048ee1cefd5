//! CloudFormation backend diagnostics (`scale::cfn::*`).

crate::diagnostic::codes! {
    /// A group needs more resources or bytes than one stack allows.
    TOO_LARGE = "scale::cfn::too_large";
    /// A stack or export name CloudFormation would reject.
    STACK_NAME = "scale::cfn::stack_name";
    /// The environment needs several stacks but one output file was asked for.
    NEEDS_SPLIT = "scale::cfn::needs_split";
    /// `$Default`/`$Latest` as a launch template version, which CloudFormation rejects.
    LAUNCH_TEMPLATE_VERSION = "scale::cfn::launch_template_version";
    /// A group that changes stack since the last build: CloudFormation replaces it.
    MOVED = "scale::cfn::moved";
    /// A stack of the last build that now holds nothing.
    STACK_EMPTIED = "scale::cfn::stack_emptied";
    /// The previous build's manifest.json can't be read.
    MANIFEST = "scale::cfn::manifest";
    /// A setting CloudFormation has no property for (suspended processes),
    /// or handles its own way (a refresh's rollback): left out of the
    /// template, applied by `scalec apply`.
    NOT_IN_TEMPLATE = "scale::cfn::not_in_template";
}
