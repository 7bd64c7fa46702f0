//! Starting the feeds the configuration asks for. Each source has one function here that
//! turns its settings into a running feed task; the rest of the engine sees only
//! `MarketEvent`s and a health cell.

use crate::error::EngineError;
use std::collections::HashMap;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tw_core::{Interval, MarketEvent, SharedClock, Symbol};
use tw_feeds::demo::{self, DemoConfig, DemoMarket};
use tw_feeds::HealthCell;
use tw_store::Store;

/// A feed that is running.
pub struct StartedFeed {
    pub health: HealthCell,
    pub task: JoinHandle<()>,
    /// Symbol → (human name, simulated) for the instruments it knows up front.
    pub names: HashMap<String, (String, bool)>,
}

/// What every feed gets to start with.
pub struct FeedEnv<'a> {
    pub store: &'a Store,
    pub clock: SharedClock,
    pub tx: mpsc::Sender<MarketEvent>,
    pub tick_ms: i64,
}

pub fn demo_symbols() -> Vec<Symbol> {
    DemoMarket::instruments()
        .into_iter()
        .map(|(s, _)| s)
        .collect()
}

/// The simulated market: continues from the stored prices, back-fills what is missing.
pub async fn start_demo(cfg: &DemoConfig, env: FeedEnv<'_>) -> Result<StartedFeed, EngineError> {
    let now = env.clock.now_ms();
    let mut resume = HashMap::new();
    for s in demo_symbols() {
        if let Some(c) = env.store.candles(s.as_str(), Interval::M1, 1).await?.pop() {
            resume.insert(s, (c.open_time, c.close));
        }
    }
    let start = Interval::M1.floor(now) - cfg.history_minutes as i64 * 60_000;
    let market = DemoMarket::new(cfg.clone(), start, &resume);
    let health = HealthCell::new(demo::SOURCE, true);
    let task = demo::spawn(market, env.clock, env.tx, health.clone(), env.tick_ms);
    let names = DemoMarket::instruments()
        .into_iter()
        .map(|(s, n)| (s.to_string(), (n.to_string(), true)))
        .collect();
    Ok(StartedFeed {
        health,
        task,
        names,
    })
}
