//! The Tushare feed task: sync on start, then once per trading day after the close.

use super::calendar::{add_days, cst_date, fmt_cst, next_due};
use super::client::{TushareClient, TushareError};
use super::sync::{SyncError, SyncReport, Syncer};
use super::SOURCE;
use crate::HealthCell;
use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use tokio::sync::{mpsc, Notify};
use tokio::task::JoinHandle;
use tw_core::ipc::FeedState;
use tw_core::{MarketEvent, Sensitive, SharedClock};
use tw_store::Store;

#[derive(Clone, Debug)]
pub struct TushareConfig {
    pub url: String,
    /// Codes as Tushare writes them: `000001.SZ`, `600036.SH`.
    pub symbols: Vec<String>,
    /// How far back a symbol never synced is fetched, in calendar days.
    pub history_days: u32,
    /// Calls per minute the token's points allow (the docs: 500 for `daily` at the base
    /// level; fewer for other interfaces), kept with a margin.
    pub calls_per_minute: u32,
    /// How long to wait before asking again when the day's data is late or Tushare failed.
    pub retry_ms: i64,
}

impl Default for TushareConfig {
    fn default() -> Self {
        TushareConfig {
            url: TushareClient::url_from_env(),
            symbols: Vec::new(),
            history_days: 365,
            calls_per_minute: 180,
            retry_ms: 15 * 60_000,
        }
    }
}

/// Reads the token when the feed needs it (from the OS keyring in the app), so a token saved
/// while the feed waits is picked up without a restart.
/// An `Err` (no keyring service, a locked keyring) is shown as such, not as "no token".
pub type TokenSource = Arc<
    dyn Fn() -> Pin<Box<dyn Future<Output = Result<Option<Sensitive<String>>, String>> + Send>>
        + Send
        + Sync,
>;

/// Wakes the feed for a sync now (after a new token, or a full refresh).
#[derive(Clone, Default)]
pub struct TushareControl(Arc<Notify>);

impl TushareControl {
    pub fn sync_now(&self) {
        self.0.notify_one();
    }
    /// Forgets what is synced, so the next sync fetches the whole history again.
    pub async fn full_refresh(&self, store: &Store) -> Result<(), tw_store::StoreError> {
        store.reset_sync_state(SOURCE, None).await?;
        self.sync_now();
        Ok(())
    }
}

/// Starts the feed. History is handed on as back-fill; each later trading day's bar and
/// fundamentals as live events, so rules fire on the new day's data.
pub fn spawn(
    cfg: TushareConfig,
    token: TokenSource,
    store: Store,
    clock: SharedClock,
    tx: mpsc::Sender<MarketEvent>,
    health: HealthCell,
    control: TushareControl,
) -> JoinHandle<()> {
    let guard = clock.register();
    tokio::spawn(async move {
        let _guard = guard;
        let mut live = false;
        let mut denied = BTreeSet::new();
        loop {
            let wake_at = match token().await {
                Err(e) => {
                    health.set_state(FeedState::Stopped);
                    health.on_error(format!("cannot read the Tushare token: {e}"));
                    health.set_next_update(None);
                    None
                }
                Ok(None) => {
                    health.set_state(FeedState::Stopped);
                    health.on_error(TushareError::NoToken.to_string());
                    health.set_next_update(None);
                    None
                }
                Ok(Some(tok)) => {
                    let client =
                        TushareClient::new(&cfg.url, tok, clock.clone(), cfg.calls_per_minute);
                    match sync_once(
                        &cfg,
                        &client,
                        &store,
                        &clock,
                        &tx,
                        &health,
                        live,
                        &mut denied,
                    )
                    .await
                    {
                        Ok(at) => {
                            live = true;
                            Some(at)
                        }
                        Err(SyncError::Closed) => return,
                        Err(e) => {
                            let retry = matches!(&e, SyncError::Tushare(t) if t.is_retryable())
                                || matches!(e, SyncError::Store(_));
                            health.on_error(e.to_string());
                            health.set_state(if retry {
                                FeedState::Reconnecting
                            } else {
                                FeedState::Stopped
                            });
                            if retry {
                                health.on_reconnect();
                                Some(clock.now_ms() + cfg.retry_ms)
                            } else {
                                // A refused token or a broken answer: wait for a new token or a
                                // full refresh instead of hammering the server.
                                health.set_next_update(None);
                                None
                            }
                        }
                    }
                }
            };
            if let Some(at) = wake_at {
                health.set_next_update(Some(at));
            }
            let sleep = clock.sleep_until(wake_at.unwrap_or(i64::MAX));
            tokio::select! {
                _ = sleep => {}
                _ = control.0.notified() => {}
            }
        }
    })
}

/// One sync; returns when the next one is due.
#[allow(clippy::too_many_arguments)]
async fn sync_once(
    cfg: &TushareConfig,
    client: &TushareClient,
    store: &Store,
    clock: &SharedClock,
    tx: &mpsc::Sender<MarketEvent>,
    health: &HealthCell,
    live: bool,
    denied: &mut BTreeSet<String>,
) -> Result<i64, SyncError> {
    let now = clock.now_ms();
    let syncer = Syncer {
        client,
        store,
        tx,
        now_ms: now,
        history_start: add_days(&cst_date(now), -(cfg.history_days as i64)).unwrap_or_default(),
    };
    let open_days = syncer.calendar().await?;
    if let Err(e) = syncer.stock_basic().await {
        // The symbol list is for search; the bars still come without it.
        match e {
            SyncError::Tushare(t @ TushareError::NoPermission { .. }) => {
                denied.insert("stock_basic".into());
                health.on_error(t.to_string());
            }
            other => return Err(other),
        }
    }
    let report = syncer
        .symbols(&cfg.symbols, &open_days, live, denied)
        .await?;
    health.on_messages(
        (report.candles + report.fundamentals) as u64,
        clock.now_ms(),
    );
    describe(health, &report, denied);

    let now = clock.now_ms();
    let next = if report.not_yet_published.is_empty() {
        next_due(&open_days, now).map(|(_, t)| t)
    } else {
        Some(now + cfg.retry_ms)
    }
    // Past the stored calendar: look again tomorrow (the calendar is refreshed then).
    .unwrap_or(now + 24 * 3_600_000);
    health.set_detail(Some(format!(
        "{}; next update due {}",
        health.snapshot().detail.unwrap_or_default(),
        fmt_cst(next)
    )));
    Ok(next)
}

fn describe(health: &HealthCell, r: &SyncReport, denied: &BTreeSet<String>) {
    let mut parts = vec![format!("data through {}", r.through)];
    if !r.not_yet_published.is_empty() {
        parts.push(format!(
            "{} not published yet for {}",
            r.through,
            r.not_yet_published.join(", ")
        ));
    }
    if !denied.is_empty() {
        parts.push(format!(
            "not allowed by the token's points: {}",
            denied.iter().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    health.set_detail(Some(parts.join("; ")));
    match r.denied.first().or(r.skipped.first()) {
        Some(e) => health.on_error(e.clone()),
        None if denied.is_empty() => health.clear_error(),
        None => {}
    }
    health.set_state(FeedState::Connected);
}
