//! "Open recording…": a candle CSV played into the running engine as a `replay:NAME` source,
//! exactly as `tickwarden headless --replay FILE.csv --speed N` plays it.

use crate::engine::EngineHandle;
use crate::error::EngineError;
use crate::sources::{self, FeedEnv};
use std::path::Path;
use tw_core::ipc::{BadLine, ReplayStarted};
use tw_feeds::replay::ReplayConfig;

/// Fastest playback the window offers (a day of 1m bars in under a second).
pub const MAX_REPLAY_SPEED: f64 = 100_000.0;
/// Bad lines returned to the window (all of them go to the log).
const BAD_LINES_SHOWN: usize = 100;

impl EngineHandle {
    /// Reads the candle CSV at `path` (format detected from the file) and starts playing it
    /// at `speed` times real time (0: as fast as the pipeline takes it). A file with no
    /// playable rows is refused, naming the first bad line's row and column; a file with
    /// some bad lines plays its good rows and lists the bad ones.
    pub async fn open_recording(
        &self,
        path: &str,
        speed: f64,
    ) -> Result<ReplayStarted, EngineError> {
        let bad = |m: String| EngineError::InvalidInput(m);
        if !speed.is_finite() || !(0.0..=MAX_REPLAY_SPEED).contains(&speed) {
            return Err(bad(format!(
                "speed: {speed} must be from 0 (as fast as possible) to {MAX_REPLAY_SPEED}"
            )));
        }
        let path = path.trim();
        if path.is_empty() {
            return Err(bad("path: choose a CSV file to play".into()));
        }
        let p = Path::new(path);
        if !p.is_file() {
            return Err(bad(format!(
                "path: {path} {}",
                if p.exists() {
                    "is not a file"
                } else {
                    "does not exist"
                }
            )));
        }
        let rec = sources::load_recording(p).await?;
        let symbol = rec.symbol.to_string();
        {
            let replays = self.0.replays.lock().unwrap();
            if replays.get(&symbol).is_some_and(|t| !t.is_finished()) {
                return Err(bad(format!(
                    "{symbol} is still playing; open it again when it has finished"
                )));
            }
        }
        let started = ReplayStarted {
            symbol: symbol.clone(),
            format: rec.format.describe().to_string(),
            interval: rec.interval,
            bars: u32::try_from(rec.candles.len()).unwrap_or(u32::MAX),
            speed,
            bad_rows: rec
                .bad_rows
                .iter()
                .take(BAD_LINES_SHOWN)
                .map(|b| BadLine {
                    line: u32::try_from(b.line).unwrap_or(u32::MAX),
                    column: u32::try_from(b.column).unwrap_or(u32::MAX),
                    column_name: b.column_name.clone(),
                    reason: b.reason.clone(),
                })
                .collect(),
            bad_total: u32::try_from(rec.bad_rows.len()).unwrap_or(u32::MAX),
        };
        let env = FeedEnv {
            store: &self.0.store,
            clock: self.0.clock.clone(),
            tx: self.0.market_tx.clone(),
            tick_ms: 0,
        };
        let feed = sources::play_recording(p, rec, &ReplayConfig { speed }, env).await?;
        self.0.feeds.lock().unwrap().push(feed.health);
        if let Some(old) = self.0.replays.lock().unwrap().insert(symbol, feed.task) {
            old.abort(); // finished already
        }
        // Rules that follow the watchlist see the new symbol.
        self.reload_rules().await?;
        Ok(started)
    }
}
