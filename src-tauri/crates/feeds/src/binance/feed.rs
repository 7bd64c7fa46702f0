//! Starts one Binance venue: chooses the universe, spreads it over connections (shards),
//! polls open interest, and re-chooses the universe periodically, subscribing and
//! unsubscribing live.

use super::universe::{resolve, Chosen};
use super::ws::{Counters, Shard, ShardCmd, Shared};
use super::{oi, BinanceConfig, CandleHistory, RestClient, Universe, Venue};
use crate::HealthCell;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tw_core::ipc::FeedState;
use tw_core::{MarketEvent, SharedClock};

/// A running venue feed.
pub struct BinanceFeed {
    pub health: HealthCell,
    pub task: JoinHandle<()>,
    pub counters: Arc<Counters>,
    pub rest: RestClient,
    /// The symbols watched right now.
    pub universe: Arc<Mutex<Vec<String>>>,
    /// Changes a fixed universe (the watchlist) while the feed runs.
    pub control: FeedControl,
}

/// Adds and removes symbols of a fixed universe live: new ones are checked against
/// exchangeInfo, subscribed on a connection with room and back-filled; removed ones are
/// unsubscribed. A top-N universe chooses its own symbols and ignores these.
#[derive(Clone)]
pub struct FeedControl(mpsc::Sender<FeedCmd>);

enum FeedCmd {
    Watch(Vec<String>),
    Unwatch(Vec<String>),
}

impl FeedControl {
    /// Starts watching `codes` (`BTCUSDT`, …). Err when the feed has stopped.
    pub async fn watch(&self, codes: Vec<String>) -> Result<(), String> {
        self.0
            .send(FeedCmd::Watch(codes))
            .await
            .map_err(|_| "the Binance feed has stopped".to_string())
    }
    /// Stops watching `codes`. Err when the feed has stopped.
    pub async fn unwatch(&self, codes: Vec<String>) -> Result<(), String> {
        self.0
            .send(FeedCmd::Unwatch(codes))
            .await
            .map_err(|_| "the Binance feed has stopped".to_string())
    }
}

/// Starts the feed after checking its settings (the error names the bad setting).
pub fn spawn(
    cfg: BinanceConfig,
    clock: SharedClock,
    tx: mpsc::Sender<MarketEvent>,
    history: Arc<dyn CandleHistory>,
) -> Result<BinanceFeed, String> {
    cfg.validate()
        .map_err(|e| format!("{} settings: {e}", cfg.venue.source()))?;
    let health = HealthCell::new(cfg.venue.source(), false);
    let rest = RestClient::new(
        &cfg.rest_url,
        clock.clone(),
        cfg.weight_budget_per_minute,
        Some(health.clone()),
    );
    let counters = Arc::new(Counters::default());
    let universe = Arc::new(Mutex::new(Vec::new()));
    let shared = Arc::new(Shared {
        cfg,
        clock,
        tx,
        health: health.clone(),
        rest: rest.clone(),
        history,
        counters: counters.clone(),
    });
    let (ctl_tx, ctl_rx) = mpsc::channel(64);
    let task = tokio::spawn(run(shared, universe.clone(), ctl_rx));
    Ok(BinanceFeed {
        health,
        task,
        counters,
        rest,
        universe,
        control: FeedControl(ctl_tx),
    })
}

struct Shards {
    senders: Vec<mpsc::Sender<ShardCmd>>,
    load: Vec<usize>,
    owner: HashMap<String, usize>,
    tasks: Vec<JoinHandle<()>>,
}

async fn run(sh: Arc<Shared>, current: Arc<Mutex<Vec<String>>>, mut ctl: mpsc::Receiver<FeedCmd>) {
    let venue = sh.cfg.venue;
    let mut shards = Shards {
        senders: Vec::new(),
        load: Vec::new(),
        owner: HashMap::new(),
        tasks: Vec::new(),
    };
    // The codes asked for when the universe is fixed; the watchlist changes them live.
    let (fixed, mut wanted) = match &sh.cfg.universe {
        Universe::Fixed(codes) => (true, codes.clone()),
        Universe::Watchlist => (true, Vec::new()),
        Universe::TopByQuoteVolume { .. } => (false, Vec::new()),
    };
    let mut side = Vec::new();
    if let (Venue::UsdM, Some(every)) = (venue, sh.cfg.open_interest_every) {
        side.push(tokio::spawn(oi::poll(
            sh.rest.clone(),
            sh.clock.clone(),
            sh.tx.clone(),
            current.clone(),
            every,
            sh.health.clone(),
        )));
    }
    // When to (re)choose the symbols: at once, then every refresh for a top-N universe,
    // after a change for a fixed one, and after a failed attempt.
    let mut choose_at = Some(sh.clock.now_ms());
    let mut ctl_open = true;
    loop {
        tokio::select! {
            _ = sleep_opt(&sh.clock, choose_at) => {
                let universe = if fixed { Universe::Fixed(wanted.clone()) } else { sh.cfg.universe.clone() };
                let now = sh.clock.now_ms();
                choose_at = match choose(&sh, &universe).await {
                    Some(chosen) => {
                        if chosen.codes.is_empty() {
                            sh.health.set_detail(Some(format!(
                                "{}: no symbol to watch{}",
                                venue.source(),
                                if fixed { " (add some to the watchlist)" } else { "" }
                            )));
                        } else {
                            sh.health.set_detail(None);
                        }
                        apply(&sh, &mut shards, chosen.codes, &current).await;
                        match &sh.cfg.universe {
                            Universe::TopByQuoteVolume { refresh, .. } => {
                                Some(now + refresh.as_millis().max(1) as i64)
                            }
                            Universe::Fixed(_) | Universe::Watchlist => None,
                        }
                    }
                    None => Some(now + sh.cfg.backoff_max.as_millis() as i64),
                };
            }
            cmd = ctl.recv(), if ctl_open => match cmd {
                None => ctl_open = false,
                Some(_) if !fixed => {
                    tracing::info!("{}: the universe is the top N; watchlist changes do not apply", venue.source());
                }
                Some(FeedCmd::Watch(codes)) => {
                    let mut changed = false;
                    for c in codes {
                        if !wanted.contains(&c) {
                            wanted.push(c);
                            changed = true;
                        }
                    }
                    if changed {
                        // New codes are checked against exchangeInfo first.
                        choose_at = Some(sh.clock.now_ms());
                    }
                }
                Some(FeedCmd::Unwatch(codes)) => {
                    wanted.retain(|c| !codes.contains(c));
                    let keep: Vec<String> = current
                        .lock()
                        .unwrap()
                        .iter()
                        .filter(|c| !codes.contains(c))
                        .cloned()
                        .collect();
                    apply(&sh, &mut shards, keep, &current).await;
                }
            },
            _ = sh.tx.closed() => break,
        }
    }
    sh.health.set_state(FeedState::Stopped);
    for t in shards.tasks.into_iter().chain(side) {
        t.abort();
    }
}

/// Sleeps until `at`, or forever when there is nothing to wait for.
async fn sleep_opt(clock: &SharedClock, at: Option<i64>) {
    match at {
        Some(t) => clock.sleep_until(t).await,
        None => std::future::pending().await,
    }
}

/// Makes the shards watch exactly `codes`: unsubscribes what left, subscribes what joined.
async fn apply(
    sh: &Arc<Shared>,
    shards: &mut Shards,
    codes: Vec<String>,
    current: &Mutex<Vec<String>>,
) {
    let new: HashSet<&String> = codes.iter().collect();
    let gone: Vec<String> = shards
        .owner
        .keys()
        .filter(|c| !new.contains(c))
        .cloned()
        .collect();
    let added: Vec<String> = codes
        .iter()
        .filter(|c| !shards.owner.contains_key(*c))
        .cloned()
        .collect();
    if !gone.is_empty() || !added.is_empty() {
        tracing::info!(
            "{}: universe now {} symbols (+{} −{})",
            sh.cfg.venue.source(),
            codes.len(),
            added.len(),
            gone.len()
        );
    }
    remove(shards, gone).await;
    add(sh, shards, added).await;
    *current.lock().unwrap() = codes;
}

async fn choose(sh: &Shared, universe: &Universe) -> Option<Chosen> {
    if matches!(universe, Universe::Fixed(c) if c.is_empty()) {
        return Some(Chosen::default()); // an empty watchlist needs no REST call
    }
    match resolve(&sh.rest, sh.cfg.venue, universe).await {
        Ok(c) => {
            for (code, why) in &c.rejected {
                tracing::warn!("{}: not watching {code}: {why}", sh.cfg.venue.source());
                sh.health.on_error(format!("not watching {code}: {why}"));
            }
            Some(c)
        }
        Err(e) => {
            tracing::warn!("{}: choosing symbols: {e}", sh.cfg.venue.source());
            sh.health.on_error(format!("choosing symbols: {e}"));
            None
        }
    }
}

/// Gives new symbols to shards with room, starting new shards as needed.
async fn add(sh: &Arc<Shared>, shards: &mut Shards, codes: Vec<String>) {
    let per = sh.cfg.symbols_per_connection();
    let mut fresh: Vec<Vec<String>> = Vec::new();
    let mut to_existing: HashMap<usize, Vec<String>> = HashMap::new();
    for code in codes {
        if let Some(i) = (0..shards.load.len()).find(|&i| shards.load[i] < per) {
            shards.load[i] += 1;
            shards.owner.insert(code.clone(), i);
            to_existing.entry(i).or_default().push(code);
        } else {
            match fresh.last_mut() {
                Some(f) if f.len() < per => f.push(code),
                _ => fresh.push(vec![code]),
            }
        }
    }
    for (i, codes) in to_existing {
        let _ = shards.senders[i].send(ShardCmd::Add(codes)).await;
    }
    for codes in fresh {
        let i = shards.senders.len();
        for c in &codes {
            shards.owner.insert(c.clone(), i);
        }
        let (ctx, crx) = mpsc::channel(16);
        shards.load.push(codes.len());
        shards.senders.push(ctx);
        shards.tasks.push(Shard::new(sh.clone(), codes).spawn(crx));
    }
}

async fn remove(shards: &mut Shards, codes: Vec<String>) {
    let mut by_shard: HashMap<usize, Vec<String>> = HashMap::new();
    for c in codes {
        if let Some(i) = shards.owner.remove(&c) {
            shards.load[i] -= 1;
            by_shard.entry(i).or_default().push(c);
        }
    }
    for (i, codes) in by_shard {
        let _ = shards.senders[i].send(ShardCmd::Remove(codes)).await;
    }
}
