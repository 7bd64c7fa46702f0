//! One supervised connection of combined kline streams (a "shard" of the venue's symbols).
//!
//! The shard owns its socket and its subscription set. It
//! - connects to `/stream?streams=...`, answers pings (tungstenite echoes the payload),
//! - treats a socket that stays silent for `silence_timeout` as dead, reconnects with capped
//!   exponential backoff and full jitter, and emits `Reconnecting` so detectors reset,
//! - replaces its connection before the 24 h cut-off and on `serverShutdown`, opening the new
//!   one before letting the old one go (both are read for a moment; duplicates are dropped),
//! - back-fills over REST every closed bar it has not seen (after a start, a reconnect, or a
//!   hole in the stream). While a key (symbol, interval) is being back-filled its live frames
//!   are held and replayed afterwards, so closed candles reach the engine in order and
//!   exactly once, and a forming bar is never taken as closed.

use super::gap::fetch_closed;
use super::parse::{parse_frame, Frame};
use super::{BinanceConfig, CandleHistory, RestClient};
use crate::HealthCell;
use futures_util::{SinkExt, StreamExt};
use rand::Rng;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use tw_core::ipc::FeedState;
use tw_core::{Candle, Interval, MarketEvent, SharedClock, Symbol};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;
type Key = (String, Interval);

/// How long the replaced connection is still read after a rotation.
const DRAIN_MS: i64 = 5_000;
/// Least time between two back-fill jobs of one shard (a bar that has just closed may not
/// be on the REST side yet; asking again at once would only spend weight).
const JOB_SPACING_MS: i64 = 1_000;
/// Binance spot allows 5 incoming messages per second per connection; stay under it.
const CONTROL_SPACING_MS: i64 = 250;
/// Streams per SUBSCRIBE request.
const PARAMS_PER_REQUEST: usize = 200;

/// What all shards of a venue share.
pub(crate) struct Shared {
    pub cfg: BinanceConfig,
    pub clock: SharedClock,
    pub tx: mpsc::Sender<MarketEvent>,
    pub health: HealthCell,
    pub rest: RestClient,
    pub history: Arc<dyn CandleHistory>,
    pub counters: Arc<Counters>,
}

/// Totals over all shards, for tests and benchmarks.
#[derive(Debug, Default)]
pub struct Counters {
    pub frames: AtomicU64,
    pub bad_frames: AtomicU64,
    pub connections: AtomicU64,
    pub reconnects: AtomicU64,
    pub rotations: AtomicU64,
    pub backfilled: AtomicU64,
}

pub(crate) enum ShardCmd {
    Add(Vec<String>),
    Remove(Vec<String>),
}

enum End {
    /// The feed is stopping (command channel closed or the engine went away).
    Stop,
    Lost(String),
}

type JobResult = Vec<(Key, Result<Vec<Candle>, String>)>;

struct Job {
    keys: HashSet<Key>,
    handle: JoinHandle<JobResult>,
}

pub(crate) struct Shard {
    sh: Arc<Shared>,
    symbols: BTreeSet<String>,
    last_closed: HashMap<Key, i64>,
    /// Keys whose closed bars must be fetched over REST before live frames go on.
    wants: HashSet<Key>,
    job: Option<Job>,
    next_job_at: i64,
    /// Live frames of keys being back-filled, in arrival order.
    held: Vec<Candle>,
    next_id: u64,
    last_control_at: i64,
    /// A `serverShutdown` arrived on the primary connection: replace it now.
    shutdown_seen: bool,
}

impl Shard {
    pub(crate) fn new(sh: Arc<Shared>, symbols: Vec<String>) -> Self {
        Shard {
            sh,
            symbols: symbols.into_iter().collect(),
            last_closed: HashMap::new(),
            wants: HashSet::new(),
            job: None,
            next_job_at: 0,
            held: Vec::new(),
            next_id: 1,
            last_control_at: 0,
            shutdown_seen: false,
        }
    }

    pub(crate) fn spawn(self, cmds: mpsc::Receiver<ShardCmd>) -> JoinHandle<()> {
        let guard = self.sh.clock.register();
        tokio::spawn(async move {
            let _guard = guard;
            self.run(cmds).await
        })
    }

    fn source(&self) -> &'static str {
        self.sh.cfg.venue.source()
    }

    fn keys_of(&self, code: &str) -> Vec<Key> {
        self.sh
            .cfg
            .intervals
            .iter()
            .map(|&i| (code.to_string(), i))
            .collect()
    }

    fn streams_of(&self, code: &str) -> Vec<String> {
        let lower = code.to_ascii_lowercase();
        self.sh
            .cfg
            .intervals
            .iter()
            .map(|i| format!("{lower}@kline_{}", i.as_str()))
            .collect()
    }

    fn url(&self) -> String {
        let streams: Vec<String> = self
            .symbols
            .iter()
            .flat_map(|s| self.streams_of(s))
            .collect();
        format!(
            "{}/stream?streams={}",
            self.sh.cfg.ws_url.trim_end_matches('/'),
            streams.join("/")
        )
    }

    async fn run(mut self, mut cmds: mpsc::Receiver<ShardCmd>) {
        for code in self.symbols.clone() {
            self.wants.extend(self.keys_of(&code));
        }
        let mut attempt: u32 = 0;
        loop {
            let ws = match self.connect().await {
                Ok(ws) => ws,
                Err(e) => {
                    self.sh.health.on_error(e);
                    self.sh.health.set_state(FeedState::Reconnecting);
                    if self.backoff(&mut attempt).await.is_err() {
                        return;
                    }
                    continue;
                }
            };
            self.sh.counters.connections.fetch_add(1, Ordering::Relaxed);
            let started = self.sh.clock.now_ms();
            match self.drive(ws, &mut cmds).await {
                End::Stop => return,
                End::Lost(reason) => {
                    tracing::warn!("{}: {reason}; reconnecting", self.source());
                    self.sh.health.on_error(reason);
                    self.sh.health.set_state(FeedState::Reconnecting);
                    self.sh.health.on_reconnect();
                    self.sh.counters.reconnects.fetch_add(1, Ordering::Relaxed);
                    let marker = MarketEvent::Reconnecting {
                        source: self.source().to_string(),
                        at_ms: self.sh.clock.now_ms(),
                    };
                    if self.sh.tx.send(marker).await.is_err() {
                        return;
                    }
                    // Whatever closed while we were away comes over REST.
                    for code in self.symbols.clone() {
                        self.wants.extend(self.keys_of(&code));
                    }
                    // A connection that lived a while resets the backoff.
                    if self.sh.clock.now_ms() - started > 60_000 {
                        attempt = 0;
                    }
                    if self.backoff(&mut attempt).await.is_err() {
                        return;
                    }
                }
            }
        }
    }

    /// Sleeps the capped exponential backoff with full jitter. Err when the feed is gone.
    async fn backoff(&mut self, attempt: &mut u32) -> Result<(), ()> {
        let cap = backoff_cap(
            self.sh.cfg.backoff_initial,
            self.sh.cfg.backoff_max,
            *attempt,
        );
        *attempt += 1;
        let wait = rand::thread_rng().gen_range(cap / 2..=cap);
        let until = self.sh.clock.now_ms() + wait.as_millis() as i64;
        tokio::select! {
            _ = self.sh.clock.sleep_until(until) => Ok(()),
            _ = self.sh.tx.closed() => Err(()),
        }
    }

    async fn connect(&self) -> Result<Ws, String> {
        let url = self.url();
        let deadline = self.sh.clock.now_ms() + 15_000;
        tokio::select! {
            r = tokio_tungstenite::connect_async(url.as_str()) => match r {
                Ok((ws, _)) => Ok(ws),
                Err(e) => Err(format!(
                    "cannot connect to {}: {e}",
                    self.sh.cfg.ws_url
                )),
            },
            _ = self.sh.clock.sleep_until(deadline) => Err(format!(
                "connecting to {} took more than 15 s",
                self.sh.cfg.ws_url
            )),
        }
    }

    async fn drive(&mut self, ws: Ws, cmds: &mut mpsc::Receiver<ShardCmd>) -> End {
        let clock = self.sh.clock.clone();
        let silence = self.sh.cfg.silence_timeout.as_millis() as i64;
        let max_age = self.sh.cfg.max_connection_age.as_millis() as i64;
        let mut primary = ws;
        let mut draining: Option<(Ws, i64)> = None;
        let mut last_msg = clock.now_ms();
        // Pings keep a socket alive but carry no market data: a halted market answers pings
        // and sends nothing else. Data silence makes the feed stale; total silence, dead.
        let mut last_data = last_msg;
        let mut rotate_at = last_msg + max_age;
        let mut stale = false;
        self.sh.health.set_state(FeedState::Connected);
        loop {
            let now = clock.now_ms();
            if self.job.is_none() && !self.wants.is_empty() && now >= self.next_job_at {
                self.start_job();
            }
            let job_timer =
                (self.job.is_none() && !self.wants.is_empty()).then_some(self.next_job_at);
            let stale_at = (!stale).then_some(last_data + silence / 2);
            let drain_until = draining.as_ref().map(|d| d.1);
            tokio::select! {
                msg = primary.next() => match msg {
                    Some(Ok(Message::Text(t))) => {
                        last_msg = clock.now_ms();
                        last_data = last_msg;
                        if stale {
                            stale = false;
                            self.sh.health.set_state(FeedState::Connected);
                            self.sh.health.set_detail(None);
                        }
                        if self.on_text(t.as_str()).await.is_err() {
                            return End::Stop;
                        }
                        if self.shutdown_seen {
                            self.shutdown_seen = false;
                            rotate_at = clock.now_ms();
                        }
                    }
                    Some(Ok(Message::Close(f))) => {
                        return End::Lost(match f {
                            Some(f) => format!("the server closed the connection ({} {})", f.code, f.reason),
                            None => "the server closed the connection".into(),
                        })
                    }
                    // Pings are answered by tungstenite; any frame shows the socket is alive.
                    Some(Ok(_)) => last_msg = clock.now_ms(),
                    Some(Err(e)) => return End::Lost(format!("connection error: {e}")),
                    None => return End::Lost("the connection ended".into()),
                },
                msg = next_of(&mut draining) => match msg {
                    Some(Ok(Message::Text(t))) => {
                        if self.on_text(t.as_str()).await.is_err() {
                            return End::Stop;
                        }
                        self.shutdown_seen = false;
                    }
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => draining = None,
                },
                _ = sleep_opt(&clock, drain_until) => {
                    if let Some((mut old, _)) = draining.take() {
                        let _ = old.close(None).await;
                    }
                }
                _ = sleep_opt(&clock, stale_at) => {
                    stale = true;
                    self.sh.health.set_state(FeedState::Stale);
                    self.sh.health.set_detail(Some(format!(
                        "no market data for {} s{}",
                        (clock.now_ms() - last_data) / 1000,
                        if last_msg > last_data {
                            " (the connection is alive: trading may be halted)"
                        } else {
                            ""
                        }
                    )));
                }
                _ = clock.sleep_until(last_msg + silence) => {
                    return End::Lost(format!(
                        "no message for {} s; treating the connection as dead",
                        silence as f64 / 1000.0
                    ));
                }
                _ = clock.sleep_until(rotate_at) => {
                    match self.connect().await {
                        Ok(new) => {
                            self.sh.counters.connections.fetch_add(1, Ordering::Relaxed);
                            self.sh.counters.rotations.fetch_add(1, Ordering::Relaxed);
                            let old = std::mem::replace(&mut primary, new);
                            let now = clock.now_ms();
                            if let Some((mut older, _)) = draining.replace((old, now + DRAIN_MS)) {
                                let _ = older.close(None).await;
                            }
                            last_msg = now;
                            last_data = now;
                            rotate_at = now + max_age;
                        }
                        Err(e) => {
                            // Keep the old connection while it lasts; try again shortly.
                            self.sh.health.on_error(format!("replacing the connection: {e}"));
                            rotate_at = clock.now_ms() + self.sh.cfg.backoff_initial.as_millis() as i64;
                        }
                    }
                }
                r = job_done(&mut self.job) => {
                    self.job = None;
                    if self.finish_job(r).await.is_err() {
                        return End::Stop;
                    }
                }
                _ = sleep_opt(&clock, job_timer) => {}
                cmd = cmds.recv() => match cmd {
                    None => return End::Stop,
                    Some(cmd) => if let Err(e) = self.on_cmd(cmd, &mut primary).await {
                        return End::Lost(e);
                    },
                },
                _ = self.sh.tx.closed() => return End::Stop,
            }
        }
    }
}

/// Sleeps until `at`, or forever when there is nothing to wait for.
async fn sleep_opt(clock: &SharedClock, at: Option<i64>) {
    match at {
        Some(t) => clock.sleep_until(t).await,
        None => std::future::pending().await,
    }
}

/// Reads the draining connection, or never resolves when there is none.
async fn next_of(
    d: &mut Option<(Ws, i64)>,
) -> Option<Result<Message, tokio_tungstenite::tungstenite::Error>> {
    match d {
        Some((ws, _)) => ws.next().await,
        None => std::future::pending().await,
    }
}

async fn job_done(job: &mut Option<Job>) -> JobResult {
    match job {
        Some(j) => (&mut j.handle).await.unwrap_or_default(),
        None => std::future::pending().await,
    }
}

#[derive(Debug)]
struct Gone;

impl Shard {
    async fn send(&self, ev: MarketEvent) -> Result<(), Gone> {
        self.sh.tx.send(ev).await.map_err(|_| Gone)
    }

    async fn on_text(&mut self, text: &str) -> Result<(), Gone> {
        self.sh.counters.frames.fetch_add(1, Ordering::Relaxed);
        self.sh.health.on_messages(1, self.sh.clock.now_ms());
        match parse_frame(self.source(), text) {
            Ok(Frame::Kline { candle, event_ms }) => {
                self.sh.health.on_event_time(event_ms);
                self.on_candle(candle).await
            }
            Ok(Frame::Trade(t)) => {
                self.sh.health.on_event_time(t.ts_ms);
                self.send(MarketEvent::Trade(t)).await
            }
            Ok(Frame::ServerShutdown { .. }) => {
                tracing::info!(
                    "{}: serverShutdown; moving to a new connection",
                    self.source()
                );
                self.shutdown_seen = true;
                Ok(())
            }
            Ok(Frame::Reply { error: Some(e), id }) => {
                self.sh
                    .health
                    .on_error(format!("request {id:?} was refused: {e}"));
                Ok(())
            }
            Ok(Frame::Reply { .. }) | Ok(Frame::Unknown { .. }) => Ok(()),
            Err(e) => {
                self.sh.counters.bad_frames.fetch_add(1, Ordering::Relaxed);
                let shown: String = text.chars().take(120).collect();
                tracing::warn!("{}: skipped a frame ({e}): {shown}", self.source());
                self.sh.health.on_error(format!("skipped a frame: {e}"));
                Ok(())
            }
        }
    }

    fn pending(&self, key: &Key) -> bool {
        self.wants.contains(key) || self.job.as_ref().is_some_and(|j| j.keys.contains(key))
    }

    async fn on_candle(&mut self, c: Candle) -> Result<(), Gone> {
        let key = (c.symbol.code().to_string(), c.interval);
        if !self.symbols.contains(&key.0) {
            return Ok(()); // unsubscribed; a frame was still in flight
        }
        if self.pending(&key) {
            self.held.push(c);
            return Ok(());
        }
        let step = c.interval.millis();
        match self.last_closed.get(&key) {
            Some(&lc) if c.open_time <= lc => return Ok(()), // seen already
            Some(&lc) if c.open_time > lc + step => {
                // Closed bars went missing (a frame lost in a rotation, say): fetch them
                // before this one goes on.
                self.wants.insert(key);
                self.held.push(c);
                return Ok(());
            }
            _ => {}
        }
        if c.closed {
            self.last_closed.insert(key, c.open_time);
        }
        self.send(MarketEvent::Candle(c)).await
    }

    fn start_job(&mut self) {
        let keys: HashSet<Key> = std::mem::take(&mut self.wants);
        let plan: Vec<(Key, Option<i64>)> = keys
            .iter()
            .map(|k| {
                (
                    k.clone(),
                    self.last_closed.get(k).map(|lc| lc + k.1.millis()),
                )
            })
            .collect();
        let sh = self.sh.clone();
        let handle = tokio::spawn(async move {
            let concurrency = sh.cfg.backfill_concurrency.max(1);
            futures_util::stream::iter(plan)
                .map(|(key, from)| {
                    let sh = sh.clone();
                    async move {
                        let r = backfill_one(&sh, &key, from).await;
                        (key, r)
                    }
                })
                .buffer_unordered(concurrency)
                .collect::<Vec<_>>()
                .await
        });
        self.job = Some(Job { keys, handle });
        self.next_job_at = self.sh.clock.now_ms() + JOB_SPACING_MS;
    }

    async fn finish_job(&mut self, results: JobResult) -> Result<(), Gone> {
        for (key, r) in results {
            if !self.symbols.contains(&key.0) {
                continue;
            }
            match r {
                Ok(candles) => {
                    for c in candles {
                        if self
                            .last_closed
                            .get(&key)
                            .is_some_and(|&lc| c.open_time <= lc)
                        {
                            continue;
                        }
                        self.last_closed.insert(key.clone(), c.open_time);
                        self.sh.counters.backfilled.fetch_add(1, Ordering::Relaxed);
                        self.send(MarketEvent::Backfill(c)).await?;
                    }
                }
                Err(e) => {
                    tracing::warn!("{}: back-fill of {} {}: {e}", self.source(), key.0, key.1);
                    self.sh
                        .health
                        .on_error(format!("back-fill of {} {}: {e}", key.0, key.1));
                    self.wants.insert(key);
                }
            }
        }
        for c in std::mem::take(&mut self.held) {
            self.on_candle(c).await?;
        }
        Ok(())
    }

    async fn on_cmd(&mut self, cmd: ShardCmd, ws: &mut Ws) -> Result<(), String> {
        let (method, codes) = match cmd {
            ShardCmd::Add(codes) => {
                let new: Vec<String> = codes
                    .into_iter()
                    .filter(|c| self.symbols.insert(c.clone()))
                    .collect();
                for c in &new {
                    self.wants.extend(self.keys_of(c));
                }
                ("SUBSCRIBE", new)
            }
            ShardCmd::Remove(codes) => {
                let gone: Vec<String> = codes
                    .into_iter()
                    .filter(|c| self.symbols.remove(c))
                    .collect();
                for c in &gone {
                    for k in self.keys_of(c) {
                        self.last_closed.remove(&k);
                        self.wants.remove(&k);
                    }
                }
                self.held.retain(|h| self.symbols.contains(h.symbol.code()));
                ("UNSUBSCRIBE", gone)
            }
        };
        let streams: Vec<String> = codes.iter().flat_map(|c| self.streams_of(c)).collect();
        for chunk in streams.chunks(PARAMS_PER_REQUEST) {
            let wait_until = self.last_control_at.saturating_add(CONTROL_SPACING_MS);
            self.sh.clock.sleep_until(wait_until).await;
            let req = super::messages::ControlRequest {
                method,
                params: chunk,
                id: self.next_id,
            };
            self.next_id += 1;
            let text = serde_json::to_string(&req).map_err(|e| e.to_string())?;
            ws.send(Message::text(text))
                .await
                .map_err(|e| format!("sending {method}: {e}"))?;
            self.last_control_at = self.sh.clock.now_ms();
        }
        Ok(())
    }
}

async fn backfill_one(sh: &Shared, key: &Key, from: Option<i64>) -> Result<Vec<Candle>, String> {
    let (code, interval) = key;
    let symbol = Symbol::new(sh.cfg.venue.source(), code);
    let step = interval.millis();
    let from = match from {
        Some(f) => f,
        None => {
            let floor = interval.floor(sh.clock.now_ms());
            let window = sh.cfg.initial_history.as_millis() as i64;
            let earliest = floor - (window / step) * step;
            match sh.history.last_closed(&symbol, *interval).await {
                Ok(Some(t)) => (t + step).max(earliest),
                Ok(None) => earliest,
                Err(e) => {
                    tracing::warn!("local history of {symbol}: {e}; fetching the whole window");
                    earliest
                }
            }
        }
    };
    let clock = sh.clock.clone();
    fetch_closed(
        &sh.rest,
        sh.cfg.venue,
        &symbol,
        *interval,
        from,
        move || clock.now_ms(),
    )
    .await
    .map_err(|e| e.to_string())
}

/// Upper end of the jittered wait before reconnect attempt `attempt` (0-based).
pub(crate) fn backoff_cap(initial: Duration, max: Duration, attempt: u32) -> Duration {
    initial.saturating_mul(1u32 << attempt.min(16)).min(max)
}
