//! Injected time. Everything that reads the time or waits takes a clock, so tests step a
//! manual clock instead of sleeping.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::{watch, Notify};

pub type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

pub trait Clock: Send + Sync + 'static {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;
    /// Resolves once `now_ms() >= deadline_ms`.
    fn sleep_until(&self, deadline_ms: i64) -> BoxFuture;
    /// Called (synchronously, before spawning) by a task that will sleep on this clock in a
    /// loop; keep the guard for the task's life. Only a manual clock cares.
    fn register(&self) -> SleeperGuard {
        SleeperGuard { clock: None }
    }
}

pub type SharedClock = Arc<dyn Clock>;

/// Wall-clock time; waits with tokio timers.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }
    fn sleep_until(&self, deadline_ms: i64) -> BoxFuture {
        let wait = (deadline_ms - self.now_ms()).max(0) as u64;
        Box::pin(tokio::time::sleep(Duration::from_millis(wait)))
    }
}

/// A clock that moves only when the test says so.
///
/// Tasks that sleep on it are tracked, so [`ManualClock::advance`] can wait until every
/// sleeper that became due has run and gone back to sleep: after it returns, all the work
/// that the new time allows has been handed on.
#[derive(Clone)]
pub struct ManualClock {
    inner: Arc<ManualInner>,
}

struct ManualInner {
    now: watch::Sender<i64>,
    state: Mutex<SleepState>,
    changed: Notify,
}

#[derive(Default)]
struct SleepState {
    /// Tasks that sleep on this clock in a loop.
    registered: usize,
    /// Deadlines of the tasks asleep right now.
    asleep: Vec<i64>,
}

/// Held by a task that sleeps on a [`ManualClock`] in a loop; dropping it says the task ended.
pub struct SleeperGuard {
    clock: Option<ManualClock>,
}

impl Drop for SleeperGuard {
    fn drop(&mut self) {
        if let Some(c) = &self.clock {
            c.inner.state.lock().unwrap().registered -= 1;
            c.inner.changed.notify_waiters();
        }
    }
}

impl ManualClock {
    pub fn new(start_ms: i64) -> Self {
        let (now, _) = watch::channel(start_ms);
        ManualClock {
            inner: Arc::new(ManualInner {
                now,
                state: Mutex::new(SleepState::default()),
                changed: Notify::new(),
            }),
        }
    }

    pub fn set(&self, ms: i64) {
        self.inner.now.send_replace(ms);
    }

    /// Moves time forward by `ms` and waits until every registered sleeper is asleep again
    /// with a deadline in the future.
    pub async fn advance(&self, ms: i64) {
        let target = self.now_ms() + ms;
        self.set(target);
        self.settle().await;
    }

    /// Waits until all registered sleepers are asleep on deadlines after now.
    pub async fn settle(&self) {
        loop {
            let notified = self.inner.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let now = self.now_ms();
                let st = self.inner.state.lock().unwrap();
                if st.asleep.len() >= st.registered && st.asleep.iter().all(|&d| d > now) {
                    return;
                }
            }
            notified.await;
        }
    }
}

/// Keeps a sleeper's deadline in the asleep list for exactly as long as it waits.
struct AsleepEntry {
    inner: Arc<ManualInner>,
    deadline: i64,
}

impl Drop for AsleepEntry {
    fn drop(&mut self) {
        let mut st = self.inner.state.lock().unwrap();
        if let Some(i) = st.asleep.iter().position(|&d| d == self.deadline) {
            st.asleep.swap_remove(i);
        }
        drop(st);
        self.inner.changed.notify_waiters();
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        *self.inner.now.borrow()
    }
    /// Registers a looping sleeper (see [`ManualClock::advance`]).
    fn register(&self) -> SleeperGuard {
        self.inner.state.lock().unwrap().registered += 1;
        SleeperGuard {
            clock: Some(self.clone()),
        }
    }
    fn sleep_until(&self, deadline_ms: i64) -> BoxFuture {
        let inner = self.inner.clone();
        let mut rx = inner.now.subscribe();
        inner.state.lock().unwrap().asleep.push(deadline_ms);
        inner.changed.notify_waiters();
        let entry = AsleepEntry {
            inner,
            deadline: deadline_ms,
        };
        Box::pin(async move {
            let _entry = entry;
            let _ = rx.wait_for(|&now| now >= deadline_ms).await;
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn advance_runs_every_due_wake_before_returning() {
        let clock = ManualClock::new(0);
        let ticks = Arc::new(AtomicUsize::new(0));
        let (c, t) = (clock.clone(), ticks.clone());
        let guard = clock.register();
        tokio::spawn(async move {
            let _guard = guard;
            let mut next = 100;
            loop {
                c.sleep_until(next).await;
                t.fetch_add(1, Ordering::SeqCst);
                next += 100;
            }
        });
        clock.settle().await;
        assert_eq!(ticks.load(Ordering::SeqCst), 0);
        clock.advance(250).await;
        assert_eq!(ticks.load(Ordering::SeqCst), 2);
        clock.advance(1000).await;
        assert_eq!(ticks.load(Ordering::SeqCst), 12);
    }

    #[test]
    fn system_clock_reads_wall_time() {
        let now = SystemClock.now_ms();
        assert!(now > 1_600_000_000_000);
    }
}
