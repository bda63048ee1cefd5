//! Moving a lowered group to where its declaration now starts: the spans
//! of the model that point into the declaration, shifted (see
//! [`crate::syntax::shift`]). The checker's group cache uses it.
//!
//! The model's spans are its items' `origin`s; every type below that holds
//! one (or holds a type that does) is walked.

use super::*;
use crate::syntax::shift::{Move, Shift};

impl Shift for Group {
    fn shift(&mut self, by: &Move) {
        let Group {
            notifications,
            instances,
            hooks,
            warm_pool,
            refresh,
            policies,
            alarms,
            schedules,
            dashboard,
            origin,
            ..
        } = self;
        notifications.shift(by);
        instances.shift(by);
        hooks.shift(by);
        warm_pool.shift(by);
        refresh.shift(by);
        policies.shift(by);
        alarms.shift(by);
        schedules.shift(by);
        dashboard.shift(by);
        origin.shift(by);
    }
}

impl Shift for Notification {
    fn shift(&mut self, by: &Move) {
        self.origin.shift(by);
    }
}

impl Shift for Instances {
    fn shift(&mut self, by: &Move) {
        self.overrides.shift(by);
        self.origin.shift(by);
    }
}

impl Shift for Override {
    fn shift(&mut self, by: &Move) {
        self.origin.shift(by);
    }
}

impl Shift for Hook {
    fn shift(&mut self, by: &Move) {
        self.origin.shift(by);
    }
}

impl Shift for WarmPool {
    fn shift(&mut self, by: &Move) {
        self.origin.shift(by);
    }
}

impl Shift for Refresh {
    fn shift(&mut self, by: &Move) {
        self.origin.shift(by);
    }
}

impl Shift for Policy {
    fn shift(&mut self, by: &Move) {
        if let PolicyKind::Step { steps, .. } = &mut self.kind {
            steps.shift(by);
        }
        self.origin.shift(by);
    }
}

impl Shift for StepAdjustment {
    fn shift(&mut self, by: &Move) {
        self.origin.shift(by);
    }
}

impl Shift for Alarm {
    fn shift(&mut self, by: &Move) {
        self.origin.shift(by);
    }
}

impl Shift for Schedule {
    fn shift(&mut self, by: &Move) {
        self.origin.shift(by);
    }
}

impl Shift for Dashboard {
    fn shift(&mut self, by: &Move) {
        self.origin.shift(by);
    }
}
