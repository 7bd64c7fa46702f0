//! The one batching candle writer.
//!
//! Live feeds update the forming bar many times a second; writing each update would keep
//! SQLite busy for nothing. The writer keeps only the latest state of each bar in a batch and
//! commits the batch in one transaction when it is big enough, old enough, or flushed.

use crate::{Result, Store, StoreError};
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::time::{sleep_until, Instant};
use tw_core::{Candle, Interval, Symbol};

/// Distinct bars in a batch that trigger a commit.
const BATCH_KEYS: usize = 512;
/// Longest a queued update waits for its commit.
const LINGER: Duration = Duration::from_millis(250);
/// While commits fail the batch keeps growing so nothing is lost; past this the writer stops
/// reading its queue and producers feel the back-pressure.
const MAX_PENDING_KEYS: usize = 65_536;
const BACKOFF_FIRST: Duration = Duration::from_millis(100);
const BACKOFF_MAX: Duration = Duration::from_secs(10);
/// Tries left for the last batch once every sender is gone (nobody can retry it later).
const FINAL_ATTEMPTS: u32 = 5;

enum Msg {
    Candle(Candle),
    Flush(oneshot::Sender<Result<()>>),
}

/// A handle on the writer task. Cheap to clone; the task ends once every clone is dropped,
/// after committing what it still holds. To be sure everything is on disk (before
/// [`Store::close`], say), call [`CandleWriter::flush`].
#[derive(Clone, Debug)]
pub struct CandleWriter {
    tx: mpsc::Sender<Msg>,
    health: WriterHealth,
}

/// Whether the writer's last commit failed, and why (disk full, file locked …): for the
/// UI's storage status. Cleared by the next commit that succeeds.
#[derive(Clone, Debug, Default)]
pub struct WriterHealth(std::sync::Arc<std::sync::Mutex<Option<String>>>);

impl WriterHealth {
    pub fn last_error(&self) -> Option<String> {
        self.0.lock().unwrap().clone()
    }
    fn set(&self, e: Option<String>) {
        *self.0.lock().unwrap() = e;
    }
}

impl CandleWriter {
    /// Queues a candle; waits while the queue is full.
    pub async fn upsert(&self, candle: Candle) -> Result<()> {
        self.tx
            .send(Msg::Candle(candle))
            .await
            .map_err(|_| StoreError::WriterGone)
    }

    /// Returns once every candle queued before this call is committed, or with the error of
    /// the commit that failed (the candles are kept and retried).
    pub async fn flush(&self) -> Result<()> {
        let (reply, done) = oneshot::channel();
        self.tx
            .send(Msg::Flush(reply))
            .await
            .map_err(|_| StoreError::WriterGone)?;
        done.await.map_err(|_| StoreError::WriterGone)?
    }

    pub fn health(&self) -> WriterHealth {
        self.health.clone()
    }
}

impl Store {
    /// Starts the candle writer task on the current tokio runtime. `capacity` bounds its
    /// queue (at least 1).
    pub fn spawn_writer(&self, capacity: usize) -> CandleWriter {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        let health = WriterHealth::default();
        tokio::spawn(Writer::new(self.clone(), health.clone()).run(rx));
        CandleWriter { tx, health }
    }
}

type Key = (Symbol, Interval, i64);

struct Writer {
    store: Store,
    batch: HashMap<Key, Candle>,
    /// When the first update of the current batch arrived.
    since: Option<Instant>,
    /// Set after a failed commit: when to try again, and the wait that led there.
    retry: Option<(Instant, Duration)>,
    health: WriterHealth,
}

impl Writer {
    fn new(store: Store, health: WriterHealth) -> Self {
        Writer {
            store,
            health,
            batch: HashMap::new(),
            since: None,
            retry: None,
        }
    }

    async fn run(mut self, mut rx: mpsc::Receiver<Msg>) {
        loop {
            if self.batch.len() >= BATCH_KEYS && self.retry.is_none() {
                let _ = self.commit().await;
                continue;
            }
            let due = self.due();
            tokio::select! {
                // Timer first: under a steady stream of updates the queue is never empty, and
                // the linger deadline must still be met.
                biased;
                _ = sleep_until(due.unwrap_or_else(Instant::now)), if due.is_some() => {
                    let _ = self.commit().await;
                }
                msg = rx.recv(), if self.batch.len() < MAX_PENDING_KEYS => match msg {
                    Some(Msg::Candle(c)) => self.add(c),
                    Some(Msg::Flush(reply)) => {
                        let _ = reply.send(self.commit().await);
                    }
                    None => break,
                },
            }
        }
        self.finish().await;
    }

    fn due(&self) -> Option<Instant> {
        if self.batch.is_empty() {
            return None;
        }
        match (self.retry, self.since) {
            (Some((at, _)), _) => Some(at),
            (None, Some(since)) => Some(since + LINGER),
            (None, None) => Some(Instant::now()),
        }
    }

    fn add(&mut self, candle: Candle) {
        if self.batch.is_empty() {
            self.since = Some(Instant::now());
        }
        merge(&mut self.batch, candle);
    }

    /// Commits the batch; on failure keeps it and schedules a retry.
    async fn commit(&mut self) -> Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let candles: Vec<Candle> = self.batch.drain().map(|(_, c)| c).collect();
        match self.store.upsert_candles(&candles).await {
            Ok(()) => {
                self.since = None;
                self.retry = None;
                self.health.set(None);
                Ok(())
            }
            Err(e) => {
                // Nothing was received during the commit, so the batch is empty: put it back.
                for c in candles {
                    merge(&mut self.batch, c);
                }
                let wait = self
                    .retry
                    .map_or(BACKOFF_FIRST, |(_, w)| (w * 2).min(BACKOFF_MAX));
                self.retry = Some((Instant::now() + wait, wait));
                tracing::warn!(
                    error = %e,
                    pending = self.batch.len(),
                    retry_in_ms = wait.as_millis() as u64,
                    "could not save candles; keeping them to retry"
                );
                self.health.set(Some(e.to_string()));
                Err(StoreError::Write(e.to_string()))
            }
        }
    }

    /// Every sender is gone: commit what is left, with a few retries.
    async fn finish(mut self) {
        let mut attempts = 0;
        while !self.batch.is_empty() {
            if self.commit().await.is_ok() {
                break;
            }
            attempts += 1;
            // A closed store will not come back; nobody is left to wait for the rest.
            if attempts >= FINAL_ATTEMPTS || self.store.pool().is_closed() {
                tracing::error!(
                    lost = self.batch.len(),
                    "candle writer stopping with candles it could not save"
                );
                return;
            }
            if let Some((at, _)) = self.retry {
                sleep_until(at).await;
            }
        }
        tracing::debug!("candle writer stopped");
    }
}

/// Keeps the latest update of a bar, except that a closed bar beats a later unclosed one.
fn merge(batch: &mut HashMap<Key, Candle>, candle: Candle) {
    let key = (candle.symbol.clone(), candle.interval, candle.open_time);
    match batch.entry(key) {
        Entry::Occupied(mut e) => {
            if candle.closed || !e.get().closed {
                e.insert(candle);
            }
        }
        Entry::Vacant(e) => {
            e.insert(candle);
        }
    }
}
