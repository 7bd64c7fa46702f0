//! Tushare's per-minute call limits, kept on the injected clock.

use std::collections::VecDeque;
use tokio::sync::Mutex;
use tw_core::SharedClock;

const WINDOW_MS: i64 = 60_000;

/// At most `per_minute` calls in any 60 s window: a call that would exceed it waits until the
/// oldest call in the window is a minute old.
pub struct RateLimiter {
    clock: SharedClock,
    per_minute: usize,
    calls: Mutex<VecDeque<i64>>,
}

impl RateLimiter {
    pub fn new(clock: SharedClock, per_minute: u32) -> Self {
        RateLimiter {
            clock,
            per_minute: per_minute.max(1) as usize,
            calls: Mutex::new(VecDeque::new()),
        }
    }

    /// Waits (on the clock) for a free slot and takes it.
    pub async fn acquire(&self) {
        let mut calls = self.calls.lock().await;
        loop {
            let now = self.clock.now_ms();
            while calls.front().is_some_and(|&t| t <= now - WINDOW_MS) {
                calls.pop_front();
            }
            if calls.len() < self.per_minute {
                calls.push_back(now);
                return;
            }
            let free_at = calls[0] + WINDOW_MS;
            self.clock.sleep_until(free_at).await;
        }
    }

    /// After the server said "too many calls": no call for a whole window.
    pub async fn back_off(&self) {
        let now = self.clock.now_ms();
        let mut calls = self.calls.lock().await;
        calls.clear();
        calls.extend(std::iter::repeat_n(now, self.per_minute));
    }

    pub fn per_minute(&self) -> usize {
        self.per_minute
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use tw_core::{Clock, ManualClock};

    #[tokio::test]
    async fn no_more_than_the_limit_in_any_minute() {
        let clock = ManualClock::new(1_000_000);
        let limiter = Arc::new(RateLimiter::new(Arc::new(clock.clone()), 3));
        let done = Arc::new(AtomicUsize::new(0));
        let guard = clock.register();
        let (l, d) = (limiter.clone(), done.clone());
        tokio::spawn(async move {
            let _guard = guard;
            for _ in 0..7 {
                l.acquire().await;
                d.fetch_add(1, Ordering::SeqCst);
            }
        });
        clock.settle().await;
        assert_eq!(done.load(Ordering::SeqCst), 3);
        clock.advance(59_999).await;
        assert_eq!(done.load(Ordering::SeqCst), 3, "the window is not over yet");
        clock.advance(1).await;
        assert_eq!(done.load(Ordering::SeqCst), 6);
        clock.advance(60_000).await;
        assert_eq!(done.load(Ordering::SeqCst), 7);
    }

    #[tokio::test]
    async fn back_off_blocks_a_whole_window() {
        let clock = ManualClock::new(0);
        let limiter = RateLimiter::new(Arc::new(clock.clone()), 100);
        limiter.back_off().await;
        let fut = limiter.acquire();
        tokio::pin!(fut);
        assert!(futures_poll_once(fut.as_mut()).await.is_none());
        clock.set(60_000);
        fut.await;
        assert_eq!(clock.now_ms(), 60_000);
    }

    async fn futures_poll_once<F: std::future::Future + Unpin>(f: F) -> Option<F::Output> {
        tokio::select! {
            biased;
            v = f => Some(v),
            _ = tokio::task::yield_now() => None,
        }
    }
}
