//! EC2 Auto Scaling groups: the words of a group, its fleet, its
//! notifications and its predictive policies, and AWS's names for them.

words!(
    /// Processes that can be suspended (SuspendProcesses `ScalingProcesses`).
    PROCESSES,
    PROCESS_NAMES = [
        ("launch", "Launch"),
        ("terminate", "Terminate"),
        ("add_to_load_balancer", "AddToLoadBalancer"),
        ("alarm_notification", "AlarmNotification"),
        ("az_rebalance", "AZRebalance"),
        ("health_check", "HealthCheck"),
        ("instance_refresh", "InstanceRefresh"),
        ("replace_unhealthy", "ReplaceUnhealthy"),
        ("scheduled_actions", "ScheduledActions"),
    ]
);

words!(
    /// Capacity reservation preferences.
    RESERVATION_PREFERENCES,
    RESERVATION_PREFERENCE_NAMES = [
        ("only", "capacity-reservations-only"),
        ("first", "capacity-reservations-first"),
        ("none", "none"),
        ("default", "default"),
    ]
);

words!(
    /// Zone distribution strategies.
    AZ_STRATEGIES,
    AZ_STRATEGY_NAMES = [
        ("balanced_only", "balanced-only"),
        ("balanced_best_effort", "balanced-best-effort"),
    ]
);

words!(
    /// The states a warm pool keeps instances in.
    POOL_STATES,
    POOL_STATE_NAMES = [
        ("stopped", "Stopped"),
        ("running", "Running"),
        ("hibernated", "Hibernated"),
    ]
);

words!(
    /// On-Demand allocation strategies of a mixed instances policy.
    ON_DEMAND_STRATEGIES,
    ON_DEMAND_STRATEGY_NAMES = [("prioritized", "prioritized"), ("lowest_price", "lowest-price")]
);

words!(
    /// Spot allocation strategies of a mixed instances policy.
    SPOT_STRATEGIES,
    SPOT_STRATEGY_NAMES = [
        ("price_capacity_optimized", "price-capacity-optimized"),
        ("capacity_optimized", "capacity-optimized"),
        ("capacity_optimized_prioritized", "capacity-optimized-prioritized"),
        ("lowest_price", "lowest-price"),
    ]
);

words!(
    /// Group metrics collected at one-minute granularity.
    GROUP_METRICS,
    GROUP_METRIC_NAMES = [
        ("min_size", "GroupMinSize"),
        ("max_size", "GroupMaxSize"),
        ("desired", "GroupDesiredCapacity"),
        ("in_service", "GroupInServiceInstances"),
        ("pending", "GroupPendingInstances"),
        ("standby", "GroupStandbyInstances"),
        ("terminating", "GroupTerminatingInstances"),
        ("total", "GroupTotalInstances"),
        ("in_service_capacity", "GroupInServiceCapacity"),
        ("pending_capacity", "GroupPendingCapacity"),
        ("standby_capacity", "GroupStandbyCapacity"),
        ("terminating_capacity", "GroupTerminatingCapacity"),
        ("total_capacity", "GroupTotalCapacity"),
    ]
);

words!(
    /// Termination policies.
    TERMINATION,
    TERMINATION_NAMES = [
        ("default", "Default"),
        ("allocation_strategy", "AllocationStrategy"),
        ("closest_to_next_instance_hour", "ClosestToNextInstanceHour"),
        ("newest_instance", "NewestInstance"),
        ("oldest_instance", "OldestInstance"),
        ("oldest_launch_configuration", "OldestLaunchConfiguration"),
        ("oldest_launch_template", "OldestLaunchTemplate"),
    ]
);

words!(
    /// The group events a topic can be notified of.
    EVENTS,
    EVENT_NAMES = [
        ("launch", "autoscaling:EC2_INSTANCE_LAUNCH"),
        ("launch_error", "autoscaling:EC2_INSTANCE_LAUNCH_ERROR"),
        ("terminate", "autoscaling:EC2_INSTANCE_TERMINATE"),
        ("terminate_error", "autoscaling:EC2_INSTANCE_TERMINATE_ERROR"),
        ("test", "autoscaling:TEST_NOTIFICATION"),
    ]
);

words!(
    /// Target tracking's predefined metric types, and the predictive
    /// metric pair of each.
    PREDICTIVE_PAIRS,
    PREDICTIVE_PAIR_NAMES = [
        ("ASGAverageCPUUtilization", "ASGCPUUtilization"),
        ("ASGAverageNetworkIn", "ASGNetworkIn"),
        ("ASGAverageNetworkOut", "ASGNetworkOut"),
        ("ALBRequestCountPerTarget", "ALBRequestCount"),
    ]
);

words!(
    /// The transitions a lifecycle hook holds instances in.
    HOOK_TRANSITIONS,
    HOOK_TRANSITION_NAMES = [
        ("launch", "autoscaling:EC2_INSTANCE_LAUNCHING"),
        ("terminate", "autoscaling:EC2_INSTANCE_TERMINATING"),
    ]
);

words!(
    /// What a lifecycle hook does when nothing answers.
    HOOK_RESULTS,
    HOOK_RESULT_NAMES = [("continue", "CONTINUE"), ("abandon", "ABANDON")]
);

words!(
    /// Predictive scaling's modes.
    PREDICTIVE_MODES,
    PREDICTIVE_MODE_NAMES = [
        ("forecast_only", "ForecastOnly"),
        ("forecast_and_scale", "ForecastAndScale"),
    ]
);

/// Whether `metrics` are every group metric (`metrics = all`): then the
/// backends send no list, which AWS reads as every metric it has, the warm
/// pool's and any added later included (as the CDK's `GroupMetrics.all()`).
pub fn every_group_metric(metrics: &[String]) -> bool {
    GROUP_METRIC_NAMES
        .iter()
        .all(|m| metrics.iter().any(|x| x == m))
}
