//! Starting the pipeline and the handle that drives it.

use crate::alerts::{AlertMsg, Dispatcher, NoticeEvent};
use crate::config::EngineConfig;
use crate::defaults::{self, DEFAULT_WATCHLIST};
use crate::error::EngineError;
use crate::live::LiveState;
use crate::radar::RadarState;
use crate::rules_stage::{self, RulesMsg};
use crate::sources::{self, FeedEnv};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio::task::JoinHandle;
use tw_analytics::portfolio::PortfolioBook;
use tw_analytics::rules::{compile, metrics_of, WatchlistMap};
use tw_analytics::{MetricKey, SeriesBook, SeriesConfig};
use tw_core::ipc::{
    EngineStatus, LiveBatch, NotifierStatus, Radar, RadarAnomaly, RuleRecord, StorageStatus,
    WatchRow,
};
use tw_core::rule::RuleSpec;
use tw_core::{Alert, Candle, Interval, MarketEvent, Sensitive, SharedClock, Symbol};
use tw_feeds::HealthCell;
use tw_os::{Notifier, Secrets};
use tw_store::{CandleWriter, Store, WriterHealth};

const PAUSED: &str = "alerts_paused";

enum SeriesMsg {
    Flush(oneshot::Sender<()>),
}

pub(crate) struct Shared {
    pub(crate) store: Store,
    /// Why the database file is not in use, when the engine runs on memory.
    storage_error: Option<String>,
    writer_health: WriterHealth,
    pub(crate) clock: SharedClock,
    pub(crate) live: LiveState,
    /// The market radar and the anomaly broadcast.
    pub(crate) radar: RadarState,
    /// `sma(n)`/`ema(n)` the loaded rules name, when they changed since the series stage
    /// last looked.
    tracked: Mutex<Option<Vec<MetricKey>>>,
    /// Health of every running feed (recordings opened from the window are added).
    pub(crate) feeds: Mutex<Vec<HealthCell>>,
    /// Where feeds hand over their events; kept so a source can start while running.
    pub(crate) market_tx: mpsc::Sender<MarketEvent>,
    /// Recordings opened from the window, by symbol, while they play.
    pub(crate) replays: Mutex<HashMap<String, JoinHandle<()>>>,
    alerts: broadcast::Sender<Alert>,
    paused: Arc<AtomicBool>,
    notifier_status: Arc<Mutex<NotifierStatus>>,
    series_ctl: mpsc::Sender<SeriesMsg>,
    pub(crate) rules_tx: mpsc::Sender<RulesMsg>,
    pub(crate) secrets: Secrets,
    /// Notifications as shown (for the UI: sounds, storm groups, digests).
    pub(crate) notices: broadcast::Sender<NoticeEvent>,
    /// Control messages to the alert stage (delivery settings).
    pub(crate) alert_ctl: mpsc::Sender<AlertMsg>,
    data_dir: PathBuf,
    /// Binance feeds that follow the default watchlist.
    pub(crate) binance_watch: Vec<sources::BinanceWatch>,
    /// The user's holdings, priced by the series stage (see `portfolio_api.rs`).
    pub(crate) portfolio: Mutex<PortfolioBook>,
    tasks: Mutex<Vec<JoinHandle<()>>>,
    feed_tasks: Mutex<Vec<JoinHandle<()>>>,
}

/// The engine's one handle: cheap to clone, shared by the shell and the CLI.
#[derive(Clone)]
pub struct EngineHandle(pub(crate) Arc<Shared>);

pub struct Engine;

impl Engine {
    /// Opens the store, sets up a first start, and starts feeds, series, rules and alerts.
    pub async fn start(cfg: EngineConfig) -> Result<EngineHandle, EngineError> {
        let (store, storage_error) = open_store(&cfg.data_dir).await?;
        let now = cfg.clock.now_ms();
        if cfg.demo.is_some() {
            defaults::ensure(&store, &sources::demo_symbols(), now).await?;
        }

        let (alerts_tx, _) = broadcast::channel(1024);
        let (notices_tx, _) = broadcast::channel(256);
        let delivery = crate::delivery_api::load_settings(&store).await;
        let paused = Arc::new(AtomicBool::new(
            store.setting(PAUSED).await?.as_deref() == Some("true"),
        ));
        let notifier = cfg
            .notifications
            .then(|| Notifier::new(cfg.app_name.clone()));
        let notifier_status = Arc::new(Mutex::new(match &notifier {
            Some(n) => n.status().await,
            None => NotifierStatus {
                available: false,
                error: Some("OS notifications are turned off for this run".into()),
            },
        }));

        let (market_tx, market_rx) = mpsc::channel::<MarketEvent>(8192);
        let (series_ctl, series_ctl_rx) = mpsc::channel(16);
        let (rules_tx, rules_rx) = mpsc::channel(8192);
        let (alert_tx, alert_rx) = mpsc::channel(4096);
        let (rules_changed_tx, mut rules_changed_rx) = mpsc::unbounded_channel();
        let writer = store.spawn_writer(8192);

        let env = || FeedEnv {
            store: &store,
            clock: cfg.clock.clone(),
            tx: market_tx.clone(),
            tick_ms: cfg.tick_ms,
        };
        let mut started = Vec::new();
        if let Some(demo_cfg) = &cfg.demo {
            started.push(sources::start_demo(demo_cfg, env()).await?);
        }
        let mut binance = cfg.binance.clone();
        if cfg.binance_from_settings {
            binance.extend(crate::binance_api::configs(
                &crate::binance_api::load(&store).await?,
            ));
        }
        let mut binance_watch = Vec::new();
        for b in &binance {
            let (feed, watch) = sources::start_binance(b, env()).await?;
            started.push(feed);
            binance_watch.extend(watch);
        }
        if let Some(t) = &cfg.tushare {
            let secrets = Secrets::new(cfg.keyring_service.clone());
            let feed = sources::start_tushare(t, cfg.tushare_full_refresh, secrets, env());
            started.push(feed.await?);
        }
        if let Some(y) = &cfg.yahoo {
            started.push(sources::start_yahoo(y, env()).await?);
        }
        if let Some((path, r)) = &cfg.replay {
            started.push(sources::start_replay(path, r, env()).await?);
        }
        let mut feeds = Vec::new();
        let mut feed_tasks = Vec::new();
        let mut names = HashMap::new();
        for f in started {
            feeds.push(f.health);
            feed_tasks.push(f.task);
            names.extend(f.names);
        }

        let shared = Arc::new(Shared {
            store: store.clone(),
            storage_error,
            writer_health: writer.health(),
            clock: cfg.clock.clone(),
            live: LiveState::new(names),
            radar: RadarState::new(),
            tracked: Mutex::new(None),
            feeds: Mutex::new(feeds),
            market_tx,
            replays: Mutex::new(HashMap::new()),
            alerts: alerts_tx.clone(),
            paused: paused.clone(),
            notifier_status: notifier_status.clone(),
            series_ctl,
            rules_tx: rules_tx.clone(),
            secrets: Secrets::new(cfg.keyring_service.clone()),
            notices: notices_tx.clone(),
            alert_ctl: alert_tx.clone(),
            data_dir: cfg.data_dir.clone(),
            binance_watch,
            portfolio: Mutex::new(PortfolioBook::empty()),
            tasks: Mutex::new(Vec::new()),
            feed_tasks: Mutex::new(feed_tasks),
        });
        let handle = EngineHandle(shared.clone());
        handle.reload_rules().await?;
        handle.apply_breaker(&delivery).await?;
        handle.refresh_portfolio().await?;

        let mut tasks = vec![
            tokio::spawn(series_task(
                handle.clone(),
                market_rx,
                series_ctl_rx,
                writer,
                rules_tx.clone(),
            )),
            tokio::spawn(rules_stage::run(
                cfg.clock.clone(),
                store.clone(),
                rules_rx,
                alert_tx,
            )),
            tokio::spawn(
                Dispatcher {
                    store: store.clone(),
                    ui: alerts_tx,
                    notifier,
                    notifier_status,
                    paused,
                    rules_changed: rules_changed_tx,
                    notices: notices_tx,
                    clock: cfg.clock.clone(),
                    settings: delivery.clone(),
                    secrets: Some(Secrets::new(cfg.keyring_service.clone())),
                    webhook_policy: Default::default(),
                    unsaved: Vec::new(),
                    retry_at: 0,
                }
                .run(alert_rx),
            ),
        ];
        tasks.push(crate::retention::spawn(store.clone(), cfg.clock.clone()));
        tasks.push(tokio::spawn(portfolio_task(handle.clone())));
        let h = handle.clone();
        tasks.push(tokio::spawn(async move {
            while rules_changed_rx.recv().await.is_some() {
                if let Err(e) = h.reload_rules().await {
                    tracing::warn!("could not reload rules: {e}");
                }
            }
        }));
        *shared.tasks.lock().unwrap() = tasks;
        Ok(handle)
    }
}

/// Opens the database file, or — when it cannot be used — a throw-away one in memory, so
/// feeds, rules and alerts keep running while the UI says that nothing new is saved.
async fn open_store(dir: &std::path::Path) -> Result<(Store, Option<String>), EngineError> {
    match Store::open(dir).await {
        Ok(s) => Ok((s, None)),
        // A newer app's database is refused outright: the user must update, not lose data.
        Err(e @ tw_store::StoreError::TooNew { .. }) => Err(e.into()),
        Err(e) => {
            let msg = format!("{e}. Tickwarden is running without saving: alerts and candles are kept in memory until it quits");
            tracing::error!("{msg}");
            Ok((Store::open_memory().await?, Some(msg)))
        }
    }
}

async fn series_task(
    engine: EngineHandle,
    mut market: mpsc::Receiver<MarketEvent>,
    mut ctl: mpsc::Receiver<SeriesMsg>,
    writer: CandleWriter,
    rules: mpsc::Sender<RulesMsg>,
) {
    let mut book = SeriesBook::new(SeriesConfig::default());
    book.collect_flagged(true);
    let mut updates = Vec::new();
    let mut market_open = true;
    loop {
        tokio::select! {
            biased;
            ev = market.recv(), if market_open => {
                let Some(ev) = ev else { market_open = false; continue };
                // Periods the rules name are computed from the next bar on.
                if let Some(keys) = engine.0.tracked.lock().unwrap().take() {
                    for k in keys {
                        book.track(k);
                    }
                }
                // The book emits every interval: 1m, the rolled-up 5m..1d, and a source's own
                // candles (stored as sent). All are stored and passed on to the rules.
                book.on_event(&ev, &mut updates);
                engine.0.radar.apply(&updates, &book.take_flagged(), &engine.0.live);
                for u in updates.drain(..) {
                    if let Err(e) = writer.upsert(u.bar.clone()).await {
                        tracing::error!("candle {} {} {} not queued for storage: {e}", u.symbol, u.interval, u.bar.open_time);
                    }
                    // The live view (watchlist row, chart) shows each symbol's finest bars
                    // (1m, or 1d for a daily-only source), not the rolled-up ones.
                    let mut held = Vec::new();
                    if book.base_interval(&u.symbol) == Some(u.interval) {
                        engine.0.live.apply(&u);
                        // A held symbol's price moves the portfolio's own series.
                        let mut p = engine.0.portfolio.lock().unwrap();
                        if p.holds(u.symbol.as_str()) {
                            held = p.on_price(u.symbol.as_str(), u.bar.close, u.at_ms, u.live);
                        }
                    }
                    if rules.send(RulesMsg::Update(u)).await.is_err() {
                        return;
                    }
                    for pu in held {
                        if rules.send(RulesMsg::Update(pu)).await.is_err() {
                            return;
                        }
                    }
                }
            }
            msg = ctl.recv() => match msg {
                Some(SeriesMsg::Flush(ack)) => {
                    // While saving fails (disk full), the writer keeps retrying on its own
                    // schedule; a flush then only passes the barrier on instead of forcing
                    // another attempt against a file that cannot take it.
                    if writer.health().last_error().is_none() {
                        if let Err(e) = writer.flush().await {
                            tracing::warn!("flush: {e}");
                        }
                    }
                    let _ = rules.send(RulesMsg::Flush(ack)).await;
                }
                None => return,
            },
        }
    }
}

/// Counts alerts on held symbols (`alerts_1h`) and rebuilds the portfolio every few minutes
/// (new daily closes, exchange rates).
async fn portfolio_task(engine: EngineHandle) {
    const REFRESH: std::time::Duration = std::time::Duration::from_secs(300);
    let mut alerts = engine.subscribe_alerts();
    let mut tick = tokio::time::interval(REFRESH);
    tick.tick().await;
    loop {
        tokio::select! {
            a = alerts.recv() => match a {
                Ok(a) => engine.0.portfolio.lock().unwrap().on_alert(&a.symbol, a.fired_at),
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    if let Err(e) = engine.refresh_portfolio().await {
                        tracing::warn!("portfolio not refreshed: {e}");
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
            _ = tick.tick() => {
                if let Err(e) = engine.refresh_portfolio().await {
                    tracing::warn!("portfolio not refreshed: {e}");
                }
            }
        }
    }
}

impl EngineHandle {
    pub fn store(&self) -> &Store {
        &self.0.store
    }

    pub fn data_dir(&self) -> &std::path::Path {
        &self.0.data_dir
    }

    /// Re-reads rules and the watchlists they follow (after any change to either).
    pub async fn reload_rules(&self) -> Result<(), EngineError> {
        let rules = self.0.store.rules().await?;
        let mut keys = Vec::new();
        for r in rules.iter().filter(|r| r.spec.enabled) {
            if let Ok(c) = compile(r.id, &r.spec, None) {
                metrics_of(&c.cond, &mut keys);
            }
        }
        keys.retain(|k| matches!(k, MetricKey::Sma(_) | MetricKey::Ema(_)));
        *self.0.tracked.lock().unwrap() = Some(keys);
        let mut lists = WatchlistMap::new();
        for r in &rules {
            if let Some(w) = &r.spec.target.watchlist {
                if !lists.contains_key(w) {
                    let syms = self.0.store.watchlist(w).await?;
                    lists.insert(
                        w.clone(),
                        syms.iter().filter_map(|s| Symbol::parse(s).ok()).collect(),
                    );
                }
            }
        }
        self.0
            .rules_tx
            .send(RulesMsg::Reload(rules, lists))
            .await
            .map_err(|_| EngineError::Stopped)
    }

    /// Waits until every event the feeds have handed over so far has been through series,
    /// storage, rules and alert delivery.
    pub async fn flush(&self) -> Result<(), EngineError> {
        let (tx, rx) = oneshot::channel();
        self.0
            .series_ctl
            .send(SeriesMsg::Flush(tx))
            .await
            .map_err(|_| EngineError::Stopped)?;
        rx.await.map_err(|_| EngineError::Stopped)
    }

    /// Stops the feeds, drains the pipeline and closes the store.
    pub async fn shutdown(&self) {
        for t in self.0.feed_tasks.lock().unwrap().drain(..) {
            t.abort();
        }
        for (_, t) in self.0.replays.lock().unwrap().drain() {
            t.abort();
        }
        if let Err(e) = self.flush().await {
            tracing::warn!("shutdown: {e}");
        }
        for t in self.0.tasks.lock().unwrap().drain(..) {
            t.abort();
        }
        self.0.store.close().await;
    }

    pub fn subscribe_alerts(&self) -> broadcast::Receiver<Alert> {
        self.0.alerts.subscribe()
    }

    /// The market radar across every symbol the engine sees: the top anomalies (scoring at
    /// least `min_score`, with their reasons) and the top movers, `limit` rows per list
    /// (clamped to 1..=[`crate::MAX_RADAR_ROWS`]).
    pub fn radar(&self, limit: usize, min_score: f64) -> Radar {
        self.0.radar.view(limit, min_score, &self.0.live)
    }

    /// Anomalies the detector flags on closed live bars, as they happen.
    pub fn subscribe_anomalies(&self) -> broadcast::Receiver<RadarAnomaly> {
        self.0.radar.subscribe()
    }

    /// What changed since the last call (one consumer: the UI's live channel).
    pub fn take_live_batch(&self) -> Option<LiveBatch> {
        self.0.live.take_batch()
    }

    pub async fn watchlist(&self) -> Result<Vec<WatchRow>, EngineError> {
        let symbols = self.0.store.watchlist(DEFAULT_WATCHLIST).await?;
        Ok(self.0.live.rows(&symbols))
    }

    /// Stored candles, oldest first, with the live bar (which may not be written yet) last.
    pub async fn candles(
        &self,
        symbol: &str,
        interval: Interval,
        limit: u32,
    ) -> Result<Vec<Candle>, EngineError> {
        let symbol = Symbol::parse(symbol).map_err(|e| EngineError::InvalidInput(e.to_string()))?;
        let limit = limit.clamp(1, 5_000);
        let mut out = self
            .0
            .store
            .candles(symbol.as_str(), interval, limit)
            .await?;
        if interval == Interval::M1 {
            if let Some(cur) = self.0.live.current(symbol.as_str()) {
                match out.last() {
                    Some(last) if last.open_time == cur.open_time => *out.last_mut().unwrap() = cur,
                    Some(last) if last.open_time > cur.open_time => {}
                    _ => out.push(cur),
                }
            }
        }
        Ok(out)
    }

    pub async fn rules(&self) -> Result<Vec<RuleRecord>, EngineError> {
        Ok(self.0.store.rules().await?)
    }

    /// Validates and stores a rule; a bad rule is refused with the field and the reason.
    pub async fn create_rule(&self, spec: RuleSpec) -> Result<RuleRecord, EngineError> {
        let now = self.0.clock.now_ms();
        compile(0, &spec, Some(now))?;
        let rec = self.0.store.insert_rule(&spec, now).await?;
        self.reload_rules().await?;
        Ok(rec)
    }

    pub async fn update_rule(&self, id: i64, spec: RuleSpec) -> Result<RuleRecord, EngineError> {
        let now = self.0.clock.now_ms();
        compile(id, &spec, Some(now))?;
        let rec = self.0.store.update_rule(id, &spec, now).await?;
        self.reset_rule_state(id).await?;
        self.reload_rules().await?;
        Ok(rec)
    }

    pub async fn set_rule_enabled(
        &self,
        id: i64,
        enabled: bool,
    ) -> Result<RuleRecord, EngineError> {
        let rec = self
            .0
            .store
            .set_rule_enabled(id, enabled, self.0.clock.now_ms())
            .await?;
        self.reload_rules().await?;
        Ok(rec)
    }

    pub async fn delete_rule(&self, id: i64) -> Result<(), EngineError> {
        self.0.store.delete_rule(id).await?;
        self.reload_rules().await
    }

    pub async fn alerts(&self, limit: u32) -> Result<Vec<Alert>, EngineError> {
        Ok(self.0.store.recent_alerts(limit.clamp(1, 10_000)).await?)
    }

    pub fn alerts_paused(&self) -> bool {
        self.0.paused.load(Ordering::Relaxed)
    }

    /// Holds OS notifications (alerts are still stored and shown in the app).
    pub async fn set_alerts_paused(&self, paused: bool) -> Result<(), EngineError> {
        self.0.paused.store(paused, Ordering::Relaxed);
        self.0
            .store
            .set_setting(PAUSED, if paused { "true" } else { "false" })
            .await?;
        Ok(())
    }

    pub fn status(&self) -> EngineStatus {
        EngineStatus {
            feeds: {
                let now = self.0.clock.now_ms();
                let feeds = self.0.feeds.lock().unwrap();
                feeds.iter().map(|h| h.snapshot_at(now)).collect()
            },
            alerts_paused: self.alerts_paused(),
            notifications: self.0.notifier_status.lock().unwrap().clone(),
            data_dir: self.0.data_dir.display().to_string(),
            storage: StorageStatus {
                persistent: !self.0.store.is_in_memory(),
                error: self.0.storage_error.clone().or_else(|| {
                    self.0
                        .writer_health
                        .last_error()
                        .map(|e| self.write_failure(&e))
                }),
                file_bytes: self.0.store.file_bytes(),
            },
        }
    }

    /// Why writing fails, in words: a full disk is named as such (SQLite's own error for it
    /// is often a secondary "database is locked").
    fn write_failure(&self, error: &str) -> String {
        const LOW: u64 = 1 << 20;
        match fs4::available_space(&self.0.data_dir) {
            Ok(free) if free < LOW => format!(
                "the disk holding {} is full ({} KB free): new candles are not being saved; \
                 retrying ({error})",
                self.0.data_dir.display(),
                free / 1024
            ),
            _ => format!("new candles are not being saved ({error}); retrying"),
        }
    }

    /// Keeps a data source's API token in the OS keyring (never in SQLite or logs).
    pub async fn set_token(
        &self,
        source: &str,
        token: Sensitive<String>,
    ) -> Result<(), EngineError> {
        if token.expose().trim().is_empty() {
            return Err(EngineError::InvalidInput("the token is empty".into()));
        }
        Ok(self.0.secrets.set(source, &token).await?)
    }

    pub async fn has_token(&self, source: &str) -> Result<bool, EngineError> {
        Ok(self.0.secrets.has(source).await?)
    }

    pub async fn delete_token(&self, source: &str) -> Result<bool, EngineError> {
        Ok(self.0.secrets.delete(source).await?)
    }

    /// The token itself, for the feed that needs it; never sent to the UI.
    pub async fn token(&self, source: &str) -> Result<Option<Sensitive<String>>, EngineError> {
        Ok(self.0.secrets.get(source).await?)
    }
}
