//! The behavioural lints' codes: all warnings, all stable. Each has a case
//! in `tests/ui/`, which a test enforces.

use crate::diagnostic::codes;

codes! {
    /// A scale-in threshold at or above a scale-out threshold on the same metric: the policies fight.
    NO_HYSTERESIS = "scale::lint::no_hysteresis";
    /// Step or simple scale-out starting below a target-tracking target on the same metric.
    STEP_BELOW_TARGET = "scale::lint::step_below_target";
    /// Step or simple scale-in above 90% of a target-tracking target (target tracking's own scale-in line).
    STEP_IN_NEAR_TARGET = "scale::lint::step_in_near_target";
    /// A simple scale-out policy whose cooldown ends before its new instances finish warming up.
    RUNAWAY = "scale::lint::runaway";
    /// Minimum equals maximum while scaling policies are declared.
    FIXED_CAPACITY = "scale::lint::fixed_capacity";
    /// An alarm whose metric can't reach its threshold.
    NEVER_FIRES = "scale::lint::never_fires";
    /// A warning alarm that needs a worse value than the critical one on the same metric.
    TIER_ORDER = "scale::lint::tier_order";
    /// Growing from minimum to maximum takes longer than `--max-reach`.
    SLOW_REACH = "scale::lint::slow_reach";
    /// Instance refresh on a `$Latest`/`$Default` launch template version, which no change triggers.
    REFRESH_UNPINNED = "scale::lint::refresh_unpinned";
    /// A warm pool larger than the group can use.
    WARM_POOL_SIZE = "scale::lint::warm_pool_size";
    /// A launch hook that holds instances longer than scale-out's warm-up.
    HOOK_DELAY = "scale::lint::hook_delay";
    /// Forecast-and-scale predictive scaling capped at the group's starting size.
    PREDICTIVE_CAPPED = "scale::lint::predictive_capped";
    /// Predictive scaling that may raise the group's maximum, which AWS leaves raised.
    PREDICTIVE_RAISES_MAX = "scale::lint::predictive_raises_max";
    /// All capacity above the base on Spot without capacity rebalance.
    SPOT_NO_REBALANCE = "scale::lint::spot_no_rebalance";
    /// Suspended processes that stop the group's own scaling.
    SUSPENDED_SCALING = "scale::lint::suspended_scaling";
    /// Instance weights large next to the group's capacity in units.
    WEIGHTED_CAPACITY = "scale::lint::weighted_capacity";
}
