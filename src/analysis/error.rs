//! The behavioural lints' codes: all warnings, all stable. Each has a case
//! in `tests/ui/`, which a test enforces.

use crate::diagnostic::codes;

codes! {
    /// A scale-in threshold at or above a scale-out threshold on one metric.
    NO_HYSTERESIS = "scale::lint::no_hysteresis";
    /// Step or simple scale-out that starts below a target-tracking target.
    STEP_BELOW_TARGET = "scale::lint::step_below_target";
    /// Step or simple scale-in above 90% of a target-tracking target.
    STEP_IN_NEAR_TARGET = "scale::lint::step_in_near_target";
    /// A scale-out alarm that decides again before new instances count.
    RUNAWAY = "scale::lint::runaway";
    /// min = max while scaling policies are declared.
    FIXED_CAPACITY = "scale::lint::fixed_capacity";
    /// An alarm whose condition the metric can never meet.
    NEVER_FIRES = "scale::lint::never_fires";
    /// A less severe alarm that fires past a more severe one.
    TIER_ORDER = "scale::lint::tier_order";
    /// Growing from min to max takes longer than `--max-reach`.
    SLOW_REACH = "scale::lint::slow_reach";
}
