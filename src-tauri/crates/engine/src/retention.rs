//! Background pruning: applies the retention settings now and then, in small batches, so
//! the file stays small without ever stalling ingestion.

use std::time::Duration;
use tokio::task::JoinHandle;
use tw_core::SharedClock;
use tw_store::{Retention, Store};

/// How often the retention settings are applied.
pub const PRUNE_EVERY: Duration = Duration::from_secs(15 * 60);
/// Rows per delete statement: a short write lock each.
const BATCH: u32 = 2_000;

pub fn spawn(store: Store, clock: SharedClock) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(PRUNE_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let policy = match Retention::load(&store).await {
                Ok(p) => p,
                Err(e) => {
                    tracing::warn!("retention settings not applied: {e}");
                    continue;
                }
            };
            match store.prune(&policy, clock.now_ms(), BATCH).await {
                Ok(rep) if rep.total() > 0 => tracing::info!(
                    by_age = rep.by_age,
                    by_count = rep.by_count,
                    by_size = rep.by_size,
                    batches = rep.batches,
                    "old candles pruned"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!("pruning failed (will try again): {e}"),
            }
        }
    })
}
