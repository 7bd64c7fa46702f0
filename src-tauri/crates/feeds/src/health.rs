//! Feed health, shared between a feed task (writer) and the UI (reader).

use std::sync::{Arc, Mutex};
use tw_core::ipc::{FeedHealth, FeedState};

#[derive(Clone)]
pub struct HealthCell(Arc<Mutex<FeedHealth>>);

impl HealthCell {
    pub fn new(source: &str, simulated: bool) -> Self {
        HealthCell(Arc::new(Mutex::new(FeedHealth {
            source: source.to_string(),
            simulated,
            state: FeedState::Connecting,
            last_message_at: None,
            messages: 0,
            reconnects: 0,
            last_error: None,
        })))
    }
    pub fn snapshot(&self) -> FeedHealth {
        self.0.lock().unwrap().clone()
    }
    pub fn on_messages(&self, n: u64, at_ms: i64) {
        let mut h = self.0.lock().unwrap();
        h.messages += n;
        if n > 0 {
            h.last_message_at = Some(at_ms);
        }
        h.state = FeedState::Connected;
    }
    pub fn set_state(&self, state: FeedState) {
        self.0.lock().unwrap().state = state;
    }
    pub fn on_error(&self, error: impl Into<String>) {
        self.0.lock().unwrap().last_error = Some(error.into());
    }
}
