//! Playing a recording on the injected clock.

use super::{Recording, SOURCE};
use crate::HealthCell;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tw_core::ipc::FeedState;
use tw_core::{MarketEvent, SharedClock};

#[derive(Clone, Debug)]
pub struct ReplayConfig {
    /// How many times faster than real time the recording plays (60: an hour of 1m bars in a
    /// minute). `0` plays as fast as the pipeline takes it.
    pub speed: f64,
}

impl Default for ReplayConfig {
    fn default() -> Self {
        ReplayConfig { speed: 60.0 }
    }
}

/// Plays every candle of the recording as a live, closed bar: bar `i` is handed over when
/// `(close_time(i) - close_time(0)) / speed` has passed on the clock, followed by a heartbeat
/// at its close (the recording's own time). The health cell tells how far it has got and
/// names the bad lines of the file. Ends when the recording does or the receiver is dropped.
pub fn spawn(
    rec: Recording,
    cfg: ReplayConfig,
    clock: SharedClock,
    tx: mpsc::Sender<MarketEvent>,
    health: HealthCell,
) -> JoinHandle<()> {
    let guard = clock.register();
    if let Some(first) = rec.bad_rows.first() {
        health.on_error(format!(
            "{} bad line(s) skipped; first: {first}",
            rec.bad_rows.len()
        ));
    }
    tokio::spawn(async move {
        let _guard = guard;
        let total = rec.candles.len();
        let Some(first) = rec.candles.first() else {
            health.set_state(FeedState::Stopped);
            return;
        };
        let t0 = clock.now_ms();
        let data0 = first.close_time();
        for (i, c) in rec.candles.into_iter().enumerate() {
            if cfg.speed > 0.0 {
                let due = t0 + ((c.close_time() - data0) as f64 / cfg.speed) as i64;
                if due > clock.now_ms() {
                    clock.sleep_until(due).await;
                }
            }
            let at_ms = c.close_time();
            health.on_messages(1, clock.now_ms());
            if tx.send(MarketEvent::Candle(c)).await.is_err() {
                return;
            }
            let beat = MarketEvent::Heartbeat {
                source: SOURCE.to_string(),
                at_ms,
            };
            if tx.send(beat).await.is_err() {
                return;
            }
            if (i + 1) % 64 == 0 || i + 1 == total {
                health.set_detail(Some(format!(
                    "{} ({}): played {} of {total} bars",
                    rec.symbol,
                    rec.format.describe(),
                    i + 1
                )));
            }
        }
        health.set_state(FeedState::Stopped);
        health.set_detail(Some(format!(
            "{}: finished, {total} bars played",
            rec.symbol
        )));
    })
}
