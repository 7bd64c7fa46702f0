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

/// What the store already holds, for the Binance back-fill (only missing bars are fetched).
struct StoreHistory(Store);

impl tw_feeds::binance::CandleHistory for StoreHistory {
    fn last_closed(
        &self,
        symbol: &Symbol,
        interval: Interval,
    ) -> tw_feeds::binance::HistoryFuture<'_> {
        let symbol = symbol.to_string();
        Box::pin(async move {
            // The newest row may be a forming bar; the one before it is then the last closed.
            let rows = self
                .0
                .candles(&symbol, interval, 2)
                .await
                .map_err(|e| e.to_string())?;
            Ok(rows.iter().rev().find(|c| c.closed).map(|c| c.open_time))
        })
    }
}

/// A Binance feed whose symbols follow the default watchlist.
pub(crate) struct BinanceWatch {
    pub venue: tw_feeds::binance::Venue,
    pub control: tw_feeds::binance::FeedControl,
}

/// A Binance venue (USDⓈ-M futures or spot): live kline streams, REST back-fill of what the
/// database lacks, open interest for futures. With a watchlist universe the symbols are the
/// venue's entries of the default watchlist, and the returned control follows its changes.
pub(crate) async fn start_binance(
    cfg: &tw_feeds::binance::BinanceConfig,
    env: FeedEnv<'_>,
) -> Result<(StartedFeed, Option<BinanceWatch>), EngineError> {
    use tw_feeds::binance::Universe;
    let mut cfg = cfg.clone();
    let follows = cfg.universe == Universe::Watchlist;
    if follows {
        let prefix = format!("{}:", cfg.venue.source());
        let codes = env
            .store
            .watchlist(crate::defaults::DEFAULT_WATCHLIST)
            .await?
            .into_iter()
            .filter_map(|s| s.strip_prefix(&prefix).map(str::to_string))
            .collect();
        cfg.universe = Universe::Fixed(codes);
    }
    let feed = tw_feeds::binance::spawn(
        cfg.clone(),
        env.clock,
        env.tx,
        std::sync::Arc::new(StoreHistory(env.store.clone())),
    )
    .map_err(EngineError::InvalidInput)?;
    let names = match &cfg.universe {
        Universe::Fixed(codes) => codes
            .iter()
            .map(|c| {
                let s = Symbol::new(cfg.venue.source(), c);
                (s.to_string(), (c.clone(), false))
            })
            .collect(),
        Universe::TopByQuoteVolume { .. } | Universe::Watchlist => HashMap::new(),
    };
    let watch = follows.then(|| BinanceWatch {
        venue: cfg.venue,
        control: feed.control.clone(),
    });
    let started = StartedFeed {
        health: feed.health,
        task: feed.task,
        names,
    };
    Ok((started, watch))
}

/// Puts a feed's symbols on the default watchlist, so they show and watchlist rules see them.
async fn watch(store: &Store, symbols: &[Symbol]) -> Result<(), EngineError> {
    for s in symbols {
        store
            .watchlist_add(crate::defaults::DEFAULT_WATCHLIST, s.as_str())
            .await?;
    }
    Ok(())
}

/// Tushare Pro (A-shares, end of day): the token is read from the OS keyring each time the
/// feed syncs, so one saved later is picked up without a restart.
pub async fn start_tushare(
    cfg: &tw_feeds::tushare::TushareConfig,
    full_refresh: bool,
    secrets: tw_os::Secrets,
    env: FeedEnv<'_>,
) -> Result<StartedFeed, EngineError> {
    use tw_feeds::tushare;
    let symbols: Vec<Symbol> = cfg
        .symbols
        .iter()
        .map(|c| Symbol::new(tushare::SOURCE, c))
        .collect();
    watch(env.store, &symbols).await?;
    let control = tushare::TushareControl::default();
    if full_refresh {
        control.full_refresh(env.store).await?;
    }
    let token: tushare::TokenSource = std::sync::Arc::new(move || {
        let secrets = secrets.clone();
        Box::pin(async move {
            secrets
                .get(tushare::SOURCE)
                .await
                .map_err(|e| e.to_string())
        })
    });
    let health = HealthCell::new(tushare::SOURCE, false);
    let task = tushare::spawn(
        cfg.clone(),
        token,
        env.store.clone(),
        env.clock,
        env.tx,
        health.clone(),
        control,
    );
    let mut names = HashMap::new();
    for s in &symbols {
        let name = env
            .store
            .search_stock_symbols(s.code(), 1)
            .await?
            .into_iter()
            .find(|r| r.symbol == s.as_str())
            .map(|r| r.name)
            .unwrap_or_else(|| s.code().to_string());
        names.insert(s.to_string(), (name, false));
    }
    Ok(StartedFeed {
        health,
        task,
        names,
    })
}

/// Yahoo Finance: polled charts of global stocks, indices, FX and crypto.
pub async fn start_yahoo(
    cfg: &tw_feeds::yahoo::YahooConfig,
    env: FeedEnv<'_>,
) -> Result<StartedFeed, EngineError> {
    use tw_feeds::yahoo;
    let symbols: Vec<Symbol> = cfg
        .symbols
        .iter()
        .map(|c| Symbol::new(yahoo::SOURCE, c))
        .collect();
    watch(env.store, &symbols).await?;
    let health = HealthCell::new(yahoo::SOURCE, false);
    let task = yahoo::spawn(cfg.clone(), env.clock, env.tx, health.clone());
    let names = symbols
        .iter()
        .map(|s| (s.to_string(), (s.code().to_string(), false)))
        .collect();
    Ok(StartedFeed {
        health,
        task,
        names,
    })
}

/// A recorded candle CSV, played at the configured speed. A file that cannot be read is
/// refused at start; bad lines are listed in the log and on the feed's health.
pub async fn start_replay(
    path: &std::path::Path,
    cfg: &tw_feeds::replay::ReplayConfig,
    env: FeedEnv<'_>,
) -> Result<StartedFeed, EngineError> {
    let rec = load_recording(path).await?;
    play_recording(path, rec, cfg, env).await
}

/// Reads and parses a recording (format detected from the file; the symbol is
/// `replay:<file stem>`). Only a file with no playable rows is an error.
pub(crate) async fn load_recording(
    path: &std::path::Path,
) -> Result<tw_feeds::replay::Recording, EngineError> {
    let p = path.to_path_buf();
    tokio::task::spawn_blocking(move || tw_feeds::replay::load(&p))
        .await
        .map_err(|e| EngineError::InvalidInput(format!("reading {}: {e}", path.display())))?
        .map_err(|e| EngineError::InvalidInput(format!("{}: {e}", path.display())))
}

/// Starts playing a parsed recording into the pipeline.
pub(crate) async fn play_recording(
    path: &std::path::Path,
    rec: tw_feeds::replay::Recording,
    cfg: &tw_feeds::replay::ReplayConfig,
    env: FeedEnv<'_>,
) -> Result<StartedFeed, EngineError> {
    use tw_feeds::replay;
    for b in rec.bad_rows.iter().take(50) {
        tracing::warn!("{}: {b}", path.display());
    }
    if rec.bad_rows.len() > 50 {
        tracing::warn!(
            "{}: {} more bad lines",
            path.display(),
            rec.bad_rows.len() - 50
        );
    }
    tracing::info!(
        "replaying {} as {} ({}, {} bars of {}, {}x)",
        path.display(),
        rec.symbol,
        rec.format.describe(),
        rec.candles.len(),
        rec.interval,
        cfg.speed
    );
    watch(env.store, std::slice::from_ref(&rec.symbol)).await?;
    let names = HashMap::from([(
        rec.symbol.to_string(),
        (format!("{} (recording)", rec.symbol.code()), false),
    )]);
    let health = HealthCell::new(replay::SOURCE, false);
    let task = replay::spawn(rec, cfg.clone(), env.clock, env.tx, health.clone());
    Ok(StartedFeed {
        health,
        task,
        names,
    })
}
