//! The simulated fleet: instances as cohorts that go in service and warm
//! up, a warm pool they can come from, launch hooks they wait on, and an
//! instance refresh that replaces them batch by batch. The minute loop in
//! `mod.rs` decides capacity; this file says when that capacity serves.

use crate::model::{Refresh, WarmPool};

/// How long instances take, in whole minutes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Timing {
    /// Decision to in service, for a new instance.
    pub launch: usize,
    /// What launch hooks add to a new instance.
    pub hook: usize,
    /// Decision to in service, for an instance from the warm pool.
    pub from_pool: usize,
    /// In service to counted in the metrics.
    pub warmup: usize,
    /// Scale-in decision to terminated: while instances terminate, AWS
    /// counts them as current capacity and nothing scales in again.
    pub terminate: usize,
}

/// Instances launched together.
#[derive(Debug, Clone, Copy)]
struct Cohort {
    /// Minute in service.
    ready: usize,
    /// Minute counted in the metrics.
    warm: usize,
    count: u32,
    /// Old instances this cohort replaces once warm (a refresh that
    /// launches before it terminates).
    replaces: u32,
    /// Launched by the refresh.
    refresh: bool,
}

/// A warm pool's instances.
#[derive(Debug, Clone)]
struct Pool {
    /// Prepared and waiting.
    ready: u32,
    /// Being prepared: (minute ready, count).
    filling: Vec<(usize, u32)>,
    min_size: u32,
    max_prepared: Option<u32>,
    reuse: bool,
}

impl Pool {
    /// The size AWS keeps the pool at: `MaxGroupPreparedCapacity` (the
    /// group's maximum by default) minus desired capacity, at least the
    /// pool's minimum.
    fn target(&self, desired: u32, max: u32) -> u32 {
        self.max_prepared
            .unwrap_or(max)
            .saturating_sub(desired)
            .max(self.min_size)
    }
}

/// An instance refresh in progress.
#[derive(Debug, Clone)]
struct Run {
    started: usize,
    min: u32,
    max: u32,
    warmup: usize,
    checkpoints: Vec<u32>,
    checkpoint_delay: usize,
    /// Old instances still to replace.
    old: u32,
    total: u32,
    replaced: u32,
    next_checkpoint: usize,
    paused_until: usize,
    pause_when_landed: bool,
    finished: Option<usize>,
}

/// What a refresh did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct RefreshResult {
    /// Index of the minute it started.
    pub started: usize,
    /// Index of the minute its last batch was warm, if it finished.
    pub finished: Option<usize>,
    /// Instances replaced.
    pub replaced: u32,
    /// Instances it had to replace.
    pub total: u32,
}

/// The fleet at one minute.
#[derive(Debug, Clone)]
pub(super) struct Fleet {
    /// In service and counted in the metrics.
    pub warm: u32,
    cohorts: Vec<Cohort>,
    timing: Timing,
    pool: Option<Pool>,
    run: Option<Run>,
    /// Instances that came from the warm pool.
    pub from_pool: u32,
    /// Instances terminating: the minute they are gone, and how many.
    terminating: Vec<(usize, u32)>,
}

impl Fleet {
    /// `start` warm instances; a full warm pool if the group has one.
    pub fn new(start: u32, timing: Timing, pool: Option<&WarmPool>, max: u32) -> Fleet {
        let pool = pool.map(|w| {
            let mut p = Pool {
                ready: 0,
                filling: vec![],
                min_size: w.min_size,
                max_prepared: w.max_prepared,
                reuse: w.reuse_on_scale_in,
            };
            p.ready = p.target(start, max);
            p
        });
        Fleet {
            warm: start,
            cohorts: vec![],
            timing,
            pool,
            run: None,
            from_pool: 0,
            terminating: vec![],
        }
    }

    /// Advances to minute `i`: cohorts that warmed up count, the pool
    /// refills to its size.
    pub fn tick(&mut self, i: usize, desired: u32, max: u32) {
        self.terminating.retain(|(gone, _)| *gone > i);
        let mut landed = false;
        let mut k = 0;
        while k < self.cohorts.len() {
            let c = self.cohorts[k];
            if c.warm <= i {
                self.warm = self.warm.saturating_add(c.count).saturating_sub(c.replaces);
                if let Some(r) = &mut self.run {
                    r.old = r.old.min(self.warm);
                    landed |= c.refresh;
                }
                self.cohorts.remove(k);
            } else {
                k += 1;
            }
        }
        if landed
            && let Some(r) = &mut self.run
            && r.pause_when_landed
            && !self.cohorts.iter().any(|c| c.refresh)
        {
            r.pause_when_landed = false;
            r.paused_until = i + r.checkpoint_delay;
        }
        let hook = self.timing.hook;
        let launch = self.timing.launch;
        if let Some(p) = &mut self.pool {
            let done: u32 = p
                .filling
                .iter()
                .filter(|(t, _)| *t <= i)
                .map(|(_, n)| n)
                .sum();
            p.filling.retain(|(t, _)| *t > i);
            p.ready = p.ready.saturating_add(done);
            let coming: u32 = p.filling.iter().map(|(_, n)| n).sum();
            let want = p.target(desired, max);
            if p.ready + coming < want {
                // Prepared instances go through the launch hooks too.
                p.filling.push((i + launch + hook, want - p.ready - coming));
            }
        }
    }

    /// (in service, pending) at minute `i`.
    pub fn counts(&self, i: usize) -> (u32, u32) {
        let (mut in_service, mut pending) = (self.warm, 0u32);
        for c in &self.cohorts {
            if c.ready <= i {
                in_service = in_service.saturating_add(c.count);
            } else {
                pending = pending.saturating_add(c.count);
            }
        }
        (in_service, pending)
    }

    /// Whether instances are launching, warming up or terminating.
    pub fn busy(&self) -> bool {
        !self.cohorts.is_empty() || !self.terminating.is_empty()
    }

    /// Launches `k` instances at minute `i`, from the warm pool first.
    pub fn launch(&mut self, i: usize, k: u32) {
        let t = self.timing;
        let from_pool = self.pool.as_mut().map_or(0, |p| {
            let n = p.ready.min(k);
            p.ready -= n;
            n
        });
        if from_pool > 0 {
            self.from_pool = self.from_pool.saturating_add(from_pool);
            self.push(i + t.from_pool, t.warmup, from_pool, 0, false);
        }
        if k > from_pool {
            self.push(i + t.launch + t.hook, t.warmup, k - from_pool, 0, false);
        }
    }

    fn push(&mut self, ready: usize, warmup: usize, count: u32, replaces: u32, refresh: bool) {
        self.cohorts.push(Cohort {
            ready,
            warm: ready + warmup,
            count,
            replaces,
            refresh,
        });
    }

    /// Removes `k` instances at minute `i`, the newest first; they
    /// terminate for the timing's `terminate` minutes, and with reuse on
    /// scale-in go back to the warm pool.
    pub fn remove(&mut self, i: usize, k: u32) {
        if self.timing.terminate > 0 {
            self.terminating.push((i + self.timing.terminate, k));
        }
        let mut remove = k;
        while remove > 0 {
            match self.cohorts.last_mut() {
                Some(c) if c.count > remove => {
                    c.count -= remove;
                    remove = 0;
                }
                Some(c) => {
                    remove -= c.count;
                    self.cohorts.pop();
                }
                None => {
                    self.warm = self.warm.saturating_sub(remove);
                    remove = 0;
                }
            }
        }
        if let Some(r) = &mut self.run {
            r.old = r.old.min(self.warm);
        }
        if let Some(p) = &mut self.pool
            && p.reuse
        {
            p.ready = p.ready.saturating_add(k);
        }
    }

    /// Starts an instance refresh at minute `i` with the group's settings
    /// (AWS's defaults without them: 90% healthy, terminate first).
    pub fn start_refresh(&mut self, i: usize, f: Option<&Refresh>, group_warmup: usize) {
        let total = self.warm + self.cohorts.iter().map(|c| c.count).sum::<u32>();
        self.run = Some(Run {
            started: i,
            min: f.map_or(90, |f| f.min_healthy),
            max: f.and_then(|f| f.max_healthy).unwrap_or(100),
            warmup: f
                .and_then(|f| f.warmup)
                .map_or(group_warmup, |w| (w as usize).div_ceil(60)),
            checkpoints: f.map(|f| f.checkpoints.clone()).unwrap_or_default(),
            // AWS's default checkpoint delay is an hour.
            checkpoint_delay: f
                .and_then(|f| f.checkpoint_delay)
                .map_or(60, |d| (d as usize).div_ceil(60)),
            old: total,
            total,
            replaced: 0,
            next_checkpoint: 0,
            paused_until: 0,
            pause_when_landed: false,
            finished: None,
        });
    }

    /// The refresh's next batch, when the last one is warm and no
    /// checkpoint holds it. A batch is the gap between the healthy
    /// percentages, at least one instance: above 100% the replacements
    /// launch first, else the old instances go first.
    pub fn refresh_step(&mut self, i: usize, desired: u32) {
        let in_flight = self.cohorts.iter().any(|c| c.refresh);
        let t = self.timing;
        let Some(r) = &mut self.run else { return };
        if r.finished.is_some() || in_flight || i < r.paused_until || r.pause_when_landed {
            return;
        }
        if r.old == 0 {
            r.finished = Some(i);
            return;
        }
        let span = r.max.saturating_sub(r.min).max(1);
        let batch = (desired.saturating_mul(span) / 100).max(1).min(r.old);
        // The part of a batch above 100% healthy launches first and replaces
        // old instances once warm; the part below goes before its
        // replacements launch.
        let above = r.max.saturating_sub(100).min(span);
        let first = batch.saturating_mul(above) / span;
        let warmup = r.warmup;
        r.old -= batch;
        r.replaced += batch;
        if let Some(&c) = r.checkpoints.get(r.next_checkpoint)
            && c < 100
            && u64::from(r.replaced) * 100 >= u64::from(c) * u64::from(r.total.max(1))
        {
            r.next_checkpoint += 1;
            r.pause_when_landed = true;
        }
        self.warm = self.warm.saturating_sub(batch - first);
        self.push(i + t.launch + t.hook, warmup, batch, first, true);
    }

    /// The refresh's result, if one was started.
    pub fn refresh_result(&self) -> Option<RefreshResult> {
        self.run.as_ref().map(|r| RefreshResult {
            started: r.started,
            finished: r.finished,
            replaced: r.replaced,
            total: r.total,
        })
    }

    /// Whether a refresh is under way.
    pub fn refreshing(&self) -> bool {
        self.run.as_ref().is_some_and(|r| r.finished.is_none())
    }
}
