//! Feed health, shared between a feed task (writer) and the UI (reader).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use tw_core::ipc::{FeedHealth, FeedState};

/// Seconds the message rate is averaged over.
const RATE_WINDOW_S: i64 = 10;

#[derive(Clone)]
pub struct HealthCell(Arc<Mutex<Inner>>);

struct Inner {
    h: FeedHealth,
    /// Messages per whole second (ms / 1000), the last `RATE_WINDOW_S` + 1 seconds.
    per_second: VecDeque<(i64, u64)>,
    /// Event time carried by the newest message (ms), for the lag.
    last_event_ms: Option<i64>,
}

impl Inner {
    fn snapshot_at(&self, now_ms: i64) -> FeedHealth {
        let mut h = self.h.clone();
        let now_s = now_ms.div_euclid(1000);
        // Whole seconds before the current one, so a second just begun does not halve it.
        let n: u64 = self
            .per_second
            .iter()
            .filter(|(s, _)| *s < now_s && *s >= now_s - RATE_WINDOW_S)
            .map(|(_, n)| n)
            .sum();
        h.messages_per_sec = n as f64 / RATE_WINDOW_S as f64;
        h.lag_ms = self.last_event_ms.map(|e| (now_ms - e).max(0));
        h
    }
}

impl HealthCell {
    pub fn new(source: &str, simulated: bool) -> Self {
        HealthCell(Arc::new(Mutex::new(Inner {
            h: FeedHealth {
                source: source.to_string(),
                simulated,
                state: FeedState::Connecting,
                last_message_at: None,
                messages: 0,
                reconnects: 0,
                last_error: None,
                next_update_at: None,
                detail: None,
                messages_per_sec: 0.0,
                lag_ms: None,
            },
            per_second: VecDeque::new(),
            last_event_ms: None,
        })))
    }
    /// Health as of the last message (rate and lag measured then); see [`Self::snapshot_at`].
    pub fn snapshot(&self) -> FeedHealth {
        let inner = self.0.lock().unwrap();
        let at = inner.h.last_message_at.map_or(0, |t| t + 1000);
        inner.snapshot_at(at)
    }
    /// Health as of `now_ms`: the message rate of the last seconds up to now (zero when the
    /// feed has gone quiet) and the lag behind the source now.
    pub fn snapshot_at(&self, now_ms: i64) -> FeedHealth {
        self.0.lock().unwrap().snapshot_at(now_ms)
    }
    pub fn on_messages(&self, n: u64, at_ms: i64) {
        let mut inner = self.0.lock().unwrap();
        let h = &mut inner.h;
        h.messages += n;
        if n > 0 {
            h.last_message_at = Some(at_ms);
        }
        h.state = FeedState::Connected;
        if n > 0 {
            let sec = at_ms.div_euclid(1000);
            match inner.per_second.back_mut() {
                Some((s, c)) if *s == sec => *c += n,
                _ => inner.per_second.push_back((sec, n)),
            }
            while inner
                .per_second
                .front()
                .is_some_and(|(s, _)| *s < sec - RATE_WINDOW_S)
            {
                inner.per_second.pop_front();
            }
        }
    }
    /// The event time (source clock, ms) of the newest message, for the lag.
    pub fn on_event_time(&self, event_ms: i64) {
        let mut inner = self.0.lock().unwrap();
        inner.last_event_ms = Some(inner.last_event_ms.map_or(event_ms, |e| e.max(event_ms)));
    }
    pub fn set_state(&self, state: FeedState) {
        self.0.lock().unwrap().h.state = state;
    }
    pub fn on_error(&self, error: impl Into<String>) {
        self.0.lock().unwrap().h.last_error = Some(error.into());
    }
    /// Clears the last error once the source works again.
    pub fn clear_error(&self) {
        self.0.lock().unwrap().h.last_error = None;
    }
    pub fn on_reconnect(&self) {
        self.0.lock().unwrap().h.reconnects += 1;
    }
    pub fn set_next_update(&self, at_ms: Option<i64>) {
        self.0.lock().unwrap().h.next_update_at = at_ms;
    }
    pub fn set_detail(&self, detail: Option<String>) {
        self.0.lock().unwrap().h.detail = detail;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_is_per_second_over_the_window_and_falls_to_zero_when_quiet() {
        let h = HealthCell::new("x", false);
        // 5 messages in each of 20 seconds.
        for s in 0..20 {
            h.on_messages(5, s * 1000 + 300);
        }
        assert_eq!(h.snapshot_at(20_000).messages_per_sec, 5.0);
        // 4 s later, 4 of the 10 seconds in the window were quiet.
        assert_eq!(h.snapshot_at(24_000).messages_per_sec, 3.0);
        assert_eq!(h.snapshot_at(60_000).messages_per_sec, 0.0);
        assert_eq!(h.snapshot().messages, 100);
    }

    #[test]
    fn lag_is_now_minus_the_newest_event_time() {
        let h = HealthCell::new("x", false);
        assert_eq!(h.snapshot_at(5_000).lag_ms, None);
        h.on_event_time(9_000);
        h.on_event_time(8_000); // an older frame does not make the feed look behind
        assert_eq!(h.snapshot_at(9_250).lag_ms, Some(250));
        assert_eq!(h.snapshot_at(39_000).lag_ms, Some(30_000));
    }
}
