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
    /// A scale-out alarm that can fire again before its new instances finish warming up.
    RUNAWAY = "scale::lint::runaway";
    /// Minimum equals maximum while scaling policies are declared.
    FIXED_CAPACITY = "scale::lint::fixed_capacity";
    /// An alarm whose metric can't reach its threshold.
    NEVER_FIRES = "scale::lint::never_fires";
    /// A warning alarm that needs a worse value than the critical one on the same metric.
    TIER_ORDER = "scale::lint::tier_order";
    /// Growing from minimum to maximum takes longer than `--max-reach`.
    SLOW_REACH = "scale::lint::slow_reach";
}
