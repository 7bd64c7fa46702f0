//! The demo feed task.

use super::{DemoMarket, SOURCE};
use crate::HealthCell;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tw_core::{Interval, MarketEvent, SharedClock};

/// Starts the demo feed: first the simulated history as closed 1m candles (what a real feed
/// back-fills over REST), then live trades every `tick_ms`, each batch followed by a
/// heartbeat so bars close on time. Ends when the receiver is dropped.
pub fn spawn(
    mut market: DemoMarket,
    clock: SharedClock,
    tx: mpsc::Sender<MarketEvent>,
    health: HealthCell,
    tick_ms: i64,
) -> JoinHandle<()> {
    let guard = clock.register();
    tokio::spawn(async move {
        let _guard = guard;
        let now = clock.now_ms();
        let history = market.backfill_until(Interval::M1.floor(now));
        health.on_messages(history.len() as u64, now);
        for candle in history {
            if tx.send(MarketEvent::Backfill(candle)).await.is_err() {
                return;
            }
        }
        market.start_live(now);
        let mut next = now;
        loop {
            let now = clock.now_ms();
            let trades = market.step(now);
            health.on_messages(trades.len() as u64, now);
            // A tick without trades is still current: its heartbeat carries `now`.
            health.on_event_time(trades.iter().map(|t| t.ts_ms).max().unwrap_or(now));
            for t in trades {
                if tx.send(MarketEvent::Trade(t)).await.is_err() {
                    return;
                }
            }
            let beat = MarketEvent::Heartbeat {
                source: SOURCE.to_string(),
                at_ms: now,
            };
            if tx.send(beat).await.is_err() {
                return;
            }
            next = (next + tick_ms).max(now + 1);
            clock.sleep_until(next).await;
        }
    })
}
