//! The checker's diagnostic codes. Each code is stable: editors, CI scripts
//! and the test corpus (`tests/ui/`) refer to it. Messages are built where
//! the problem is found; every code here has at least one failing input in
//! the corpus, which a test enforces.

use crate::diagnostic::codes;

codes! {
    /// A name that is not declared: param, metric, topic, environment, preset.
    UNDEFINED = "scale::names::undefined";
    /// Two declarations with one name.
    DUPLICATE = "scale::names::duplicate";
    /// Two names that become one CloudFormation logical ID (they differ
    /// only in case or underscores), or a logical ID over 255 characters.
    COLLISION = "scale::names::collision";
    /// A property that the block doesn't take.
    UNKNOWN_PROPERTY = "scale::names::unknown_property";
    /// A required property is missing.
    MISSING_PROPERTY = "scale::names::missing_property";
    /// A property given twice in one block.
    DUPLICATE_PROPERTY = "scale::names::duplicate_property";
    /// The file has no `app` declaration, or more than one.
    APP = "scale::names::app";
    /// A value of the wrong kind: text where a number is needed, ...
    TYPE_MISMATCH = "scale::types::mismatch";
    /// A word that is not one of the allowed choices.
    UNKNOWN_VARIANT = "scale::types::unknown_variant";
    /// A param type that doesn't exist.
    UNKNOWN_TYPE = "scale::types::unknown_type";
    /// A fraction where a whole number is needed.
    NOT_INTEGER = "scale::types::not_integer";
    /// A number outside the range of the AWS field it becomes (negative, or
    /// too large for a 32-bit integer or the field's own limit).
    RANGE = "scale::types::range";
    /// An empty list, text or name where AWS needs at least one item or
    /// character.
    EMPTY = "scale::types::empty";
    /// Text longer than the AWS field it becomes, counted in characters.
    TOO_LONG = "scale::types::too_long";
    /// An ARN in another region than the environment's.
    WRONG_REGION = "scale::types::wrong_region";
    /// A param value or literal that doesn't have the type's format.
    BAD_VALUE = "scale::types::bad_value";
    /// A metric called with the wrong number of arguments.
    ARITY = "scale::types::arity";
    /// A quantity in the wrong unit.
    UNIT_MISMATCH = "scale::units::mismatch";
    /// A unit suffix that scalec doesn't know.
    UNKNOWN_UNIT = "scale::units::unknown";
    /// A plain number where a unit is required.
    MISSING_UNIT = "scale::units::missing";
    /// `env.X` that some environment doesn't define.
    ENV_UNDEFINED_VALUE = "scale::env::undefined_value";
    /// `--env` names no environment.
    UNKNOWN_ENV = "scale::env::unknown";
    /// Environments or presets that extend each other in a circle.
    ENV_CYCLE = "scale::env::cycle";
    /// `match env` without an arm for some environment.
    NON_EXHAUSTIVE = "scale::env::non_exhaustive";
    /// The spec declares no environment.
    NO_ENVIRONMENTS = "scale::env::none";
    /// min <= desired <= max is violated.
    CAPACITY_ORDER = "scale::capacity::order";
    /// A policy kind that doesn't exist.
    UNKNOWN_POLICY_KIND = "scale::policy::unknown_kind";
    /// A target-tracking target outside its valid range.
    TARGET_RANGE = "scale::policy::target_range";
    /// A metric that target tracking can't use.
    NOT_TRACKABLE = "scale::policy::not_trackable";
    /// A property that belongs to another policy type (cooldown on target tracking).
    WRONG_POLICY_PROPERTY = "scale::policy::wrong_property";
    /// Two target-tracking policies on one metric.
    DUPLICATE_TARGET_METRIC = "scale::policy::duplicate_metric";
    /// ALB request-count tracking on a target group the group doesn't attach.
    TARGET_GROUP_NOT_ATTACHED = "scale::policy::target_group_not_attached";
    /// A metric published only by the CloudWatch agent.
    AGENT_METRIC = "scale::policy::agent_metric";
    /// An adjustment of the wrong form for its place.
    BAD_ADJUSTMENT = "scale::policy::bad_adjustment";
    /// `min_magnitude` without a percent-change adjustment.
    MIN_MAGNITUDE = "scale::policy::min_magnitude";
    /// A step policy without steps.
    NO_STEPS = "scale::step::none";
    /// Two step ranges overlap.
    STEP_OVERLAP = "scale::step::overlap";
    /// A gap between two step ranges.
    STEP_GAP = "scale::step::gap";
    /// Steps that add and remove capacity in one policy, or sit on the wrong side.
    STEP_DIRECTION = "scale::step::direction";
    /// More than 20 steps.
    TOO_MANY_STEPS = "scale::step::too_many";
    /// A step set whose open ends AWS rejects.
    STEP_OPEN_END = "scale::step::open_end";
    /// A step range whose lower end is not below its upper end.
    STEP_EMPTY = "scale::step::empty";
    /// Steps mixing `+1`, `+10%` and `exactly` forms.
    STEP_MIXED = "scale::step::mixed";
    /// An alarm period AWS rejects.
    ALARM_PERIOD = "scale::alarm::period";
    /// Period x evaluation periods beyond AWS's limit.
    ALARM_WINDOW = "scale::alarm::window";
    /// More datapoints to alarm than evaluation periods.
    ALARM_DATAPOINTS = "scale::alarm::datapoints";
    /// More than 5 actions for one alarm state.
    ALARM_ACTIONS = "scale::alarm::actions";
    /// Metric math over more than 10 metrics.
    ALARM_METRICS = "scale::alarm::metrics";
    /// A condition that is not `metric OP threshold`.
    ALARM_CONDITION = "scale::alarm::condition";
    /// `for` that is not a whole number of periods, or `for` with `evaluate`.
    ALARM_FOR = "scale::alarm::for";
    /// An alarm on a group metric the group doesn't collect.
    METRIC_NOT_COLLECTED = "scale::alarm::metric_not_collected";
    /// A physical name over AWS's length limit.
    NAME_TOO_LONG = "scale::name::too_long";
    /// A physical name with characters AWS rejects.
    NAME_CHARS = "scale::name::chars";
    /// A group setting outside AWS's range (warmup, grace, topics).
    GROUP_LIMIT = "scale::group::limit";
    /// A cron expression that is not five fields.
    CRON = "scale::schedule::cron";
    /// A time zone that is not an IANA name.
    TIMEZONE = "scale::schedule::timezone";
    /// A scheduled action that changes nothing.
    SCHEDULE_EMPTY = "scale::schedule::empty";
    /// Note: what `desired` means once a group runs.
    DESIRED_OWNER = "scale::capacity::desired";
    /// A metric declaration that is incomplete or inconsistent.
    METRIC_DECL = "scale::metric::declaration";
    /// A launch template named both by id and by name, or a version
    /// without a template.
    TEMPLATE_KEY = "scale::fleet::template";
    /// A healthy-capacity range AWS rejects (min 0-100%, max 100-200%, at
    /// most 100 points apart).
    HEALTHY_RANGE = "scale::fleet::healthy_range";
    /// A lifecycle hook with a notification target but no role, or a role
    /// but no target.
    HOOK_TARGET = "scale::hook::target";
    /// Settings AWS won't take together: a warm pool with mixed instances,
    /// allocation strategies that exclude each other.
    EXCLUSIVE = "scale::fleet::exclusive";
    /// Weights on some instance types but not all.
    WEIGHTS = "scale::fleet::weights";
    /// Instance refresh settings AWS rejects: a checkpoint delay without
    /// checkpoints, auto-rollback without a numbered version, checkpoints
    /// out of order, too many alarms.
    REFRESH = "scale::refresh::settings";
    /// Predictive scaling settings AWS rejects: not exactly one metric
    /// specification, a custom metric without its load metric, a capacity
    /// buffer without `increase` or `increase` without one.
    PREDICTIVE = "scale::predictive::settings";
    /// `from` or `extends` naming a template that is not declared.
    TEMPLATE_UNKNOWN = "scale::template::unknown";
    /// A template's argument that is missing, not one of its parameters,
    /// or of the wrong type for it.
    TEMPLATE_ARGUMENT = "scale::template::argument";
    /// `override` or `remove` of a member the template doesn't have, or a
    /// member that redeclares the template's without `override`.
    TEMPLATE_MEMBER = "scale::template::member";
    /// Templates that extend each other in a circle.
    TEMPLATE_CYCLE = "scale::template::cycle";
    /// A `use`d file that can't be read.
    USE_MISSING = "scale::use::missing";
    /// Files that `use` each other in a circle, or an `app` in a used file.
    USE_CYCLE = "scale::use::cycle";
    /// A `for_each` that is not a list or map of names, or a key that
    /// can't be part of a group's name.
    FOR_EACH = "scale::group::for_each";
    /// A test naming an environment the spec doesn't declare, or none
    /// where the spec has several.
    TEST_ENV = "scale::test::env";
    /// A test naming a group that isn't the spec's, or isn't in its
    /// environment.
    TEST_GROUP = "scale::test::group";
    /// A test's load that can't be generated: an unknown generator, wrong
    /// arguments, times off whole minutes.
    TEST_LOAD = "scale::test::load";
    /// An expectation that isn't one: an unknown quantity, a misplaced
    /// `for`, or a test with none.
    TEST_EXPECT = "scale::test::expect";
    /// An expectation on a metric the test's load or the group's policies
    /// don't give.
    TEST_METRIC = "scale::test::metric";
    /// An expectation that can't hold, whatever the load.
    TEST_IMPOSSIBLE = "scale::test::impossible";
    /// A scalable target of a kind scalec doesn't know: `service api ec2`.
    SCALABLE_KIND = "scale::scalable::kind";
    /// A member a scalable target doesn't take (lifecycle hooks,
    /// notifications, a dashboard), or a policy type its namespace doesn't
    /// support (step scaling on DynamoDB or Lambda, predictive scaling
    /// outside ECS, simple scaling anywhere).
    SCALABLE_MEMBER = "scale::scalable::member";
    /// A resource id part AWS would refuse: an ECS cluster or service,
    /// DynamoDB table or index, Lambda function or alias name.
    SCALABLE_RESOURCE = "scale::scalable::resource";
    /// A capacity outside what the kind allows (an ECS service's 5,000
    /// tasks; at least 1 capacity unit or provisioned execution).
    SCALABLE_CAPACITY = "scale::scalable::capacity";
    /// A metric that reads another kind of resource: an EC2 group's metric
    /// on a scalable target, an ECS service's on a group, or a predefined
    /// metric the target's namespace doesn't track.
    SCALABLE_METRIC = "scale::scalable::metric";
    /// A schedule Application Auto Scaling refuses: not exactly one of
    /// `cron` (six fields), `rate` or `at`; a desired capacity.
    SCALABLE_SCHEDULE = "scale::scalable::schedule";
    /// A role that is another namespace's service-linked role.
    SCALABLE_ROLE = "scale::scalable::role";
}
