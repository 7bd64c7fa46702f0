//! The Yahoo polling task: history once, then the intraday chart in market hours and the
//! daily chart otherwise, with backoff on 429 and a health line that says whether data is
//! live, delayed, stale or the market is closed.

use super::client::{ChartQuery, YahooClient, YahooError};
use super::messages::Meta;
use super::parse::{chart, market_status, MarketStatus};
use super::SOURCE;
use crate::HealthCell;
use std::collections::{BTreeMap, BTreeSet};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tw_core::ipc::FeedState;
use tw_core::{MarketEvent, SharedClock};

#[derive(Clone, Debug)]
pub struct YahooConfig {
    pub url: String,
    /// Yahoo codes: `AAPL`, `0700.HK`, `EURUSD=X`, `BTC-USD`.
    pub symbols: Vec<String>,
    /// Poll period in market hours (at least 15 s: Yahoo throttles faster clients).
    pub poll_ms: i64,
    /// Poll period outside market hours.
    pub closed_poll_ms: i64,
    /// Intraday bar size: `1m` or `5m`.
    pub intraday: &'static str,
    /// Daily history fetched at start (`1y`, `5y`, …).
    pub history_range: &'static str,
    /// Pause between two requests of one round, so a long watchlist is not a burst.
    pub request_gap_ms: i64,
    /// Longest wait after repeated 429s.
    pub max_backoff_ms: i64,
}

pub const MIN_POLL_MS: i64 = 15_000;

impl Default for YahooConfig {
    fn default() -> Self {
        YahooConfig {
            url: YahooClient::url_from_env(),
            symbols: Vec::new(),
            poll_ms: 60_000,
            closed_poll_ms: 15 * 60_000,
            intraday: "1m",
            history_range: "1y",
            request_gap_ms: 1_000,
            max_backoff_ms: 15 * 60_000,
        }
    }
}

#[derive(Default)]
struct SymState {
    meta: Option<Meta>,
    history_done: bool,
    last_intraday: Option<i64>,
    last_daily: Option<i64>,
    splits: BTreeSet<i64>,
    /// A permanent problem (unknown symbol): not asked again this run.
    dead: Option<String>,
}

/// Starts the poller.
pub fn spawn(
    cfg: YahooConfig,
    clock: SharedClock,
    tx: mpsc::Sender<MarketEvent>,
    health: HealthCell,
) -> JoinHandle<()> {
    let guard = clock.register();
    tokio::spawn(async move {
        let _guard = guard;
        let client = YahooClient::new(&cfg.url);
        let poll_ms = cfg.poll_ms.max(MIN_POLL_MS);
        let mut states: BTreeMap<String, SymState> = cfg
            .symbols
            .iter()
            .map(|s| (s.clone(), SymState::default()))
            .collect();
        let mut backoff_ms = 0i64;
        loop {
            let mut rate_limited = None;
            let mut errors = false;
            for (i, (code, st)) in states.iter_mut().enumerate() {
                if st.dead.is_some() {
                    continue;
                }
                if i > 0 {
                    let at = clock.now_ms() + cfg.request_gap_ms;
                    clock.sleep_until(at).await;
                }
                match poll(&client, &cfg, code, st, &clock, &tx, &health).await {
                    Ok(n) => {
                        health.on_messages(n, clock.now_ms());
                    }
                    Err(Poll::Closed) => return,
                    Err(Poll::Yahoo(e @ YahooError::RateLimited { .. })) => {
                        rate_limited = Some(e);
                        break;
                    }
                    Err(Poll::Yahoo(e)) if e.is_retryable() => {
                        errors = true;
                        health.on_error(e.to_string());
                        health.on_reconnect();
                    }
                    Err(Poll::Yahoo(e)) => {
                        errors = true;
                        health.on_error(e.to_string());
                        st.dead = Some(e.to_string());
                    }
                }
            }
            let now = clock.now_ms();
            let wake = if let Some(YahooError::RateLimited { retry_after_ms, .. }) = &rate_limited {
                backoff_ms = retry_after_ms
                    .unwrap_or((backoff_ms * 2).max(30_000))
                    .min(cfg.max_backoff_ms);
                health.set_state(FeedState::Reconnecting);
                health.on_reconnect();
                health.on_error(format!(
                    "{}; next try in {} s",
                    rate_limited.as_ref().unwrap(),
                    backoff_ms / 1000
                ));
                now + backoff_ms
            } else {
                backoff_ms = 0;
                if !errors && states.values().all(|s| s.dead.is_none()) {
                    health.clear_error();
                }
                let (any_open, opens) = summarise(&states, now, &health);
                let next = now
                    + if any_open {
                        poll_ms
                    } else {
                        cfg.closed_poll_ms
                    };
                // Wake for the open rather than sleeping through it.
                opens.map_or(next, |o| next.min(o.max(now + 1)))
            };
            health.set_next_update(Some(wake));
            clock.sleep_until(wake).await;
        }
    })
}

enum Poll {
    Yahoo(YahooError),
    Closed,
}

impl From<YahooError> for Poll {
    fn from(e: YahooError) -> Self {
        Poll::Yahoo(e)
    }
}

/// One symbol, one round: returns how many bars were handed on.
async fn poll(
    client: &YahooClient,
    cfg: &YahooConfig,
    code: &str,
    st: &mut SymState,
    clock: &SharedClock,
    tx: &mpsc::Sender<MarketEvent>,
    health: &HealthCell,
) -> Result<u64, Poll> {
    let mut sent = 0u64;
    if !st.history_done {
        let r = client
            .chart(
                code,
                &ChartQuery {
                    interval: "1d",
                    range: cfg.history_range,
                },
            )
            .await?;
        let c = parse(&r, clock.now_ms())?;
        st.splits = c.splits.iter().map(|s| s.date_ms).collect();
        st.meta = Some(r.meta);
        for bar in c.candles {
            st.last_daily = Some(bar.open_time);
            let ev = if bar.closed {
                MarketEvent::Backfill(bar)
            } else {
                MarketEvent::Candle(bar)
            };
            send(tx, ev).await?;
            sent += 1;
        }
        st.history_done = true;
    }
    let now = clock.now_ms();
    let in_session = st
        .meta
        .as_ref()
        .is_some_and(|m| !matches!(market_status(m, now), MarketStatus::Closed { .. }));
    // Delayed exchanges: a bar is only final once the delay has passed too.
    let delay_ms = st
        .meta
        .as_ref()
        .and_then(|m| m.exchange_data_delayed_by)
        .unwrap_or(0)
        * 60_000;
    let query = if in_session {
        ChartQuery {
            interval: cfg.intraday,
            range: "1d",
        }
    } else {
        ChartQuery {
            interval: "1d",
            range: "5d",
        }
    };
    let r = client.chart(code, &query).await?;
    let c = parse(&r, now - delay_ms)?;
    st.meta = Some(r.meta);
    if c.null_bars > 0 {
        tracing::debug!("{code}: {} bars with null prices skipped", c.null_bars);
    }
    let new_splits: Vec<_> = c
        .splits
        .iter()
        .filter(|s| !st.splits.contains(&s.date_ms))
        .collect();
    if !new_splits.is_empty() {
        // Yahoo adjusts the whole history for a split: stored bars from before it are now on
        // another scale. Re-fetch the history (it upserts) and reset detectors across the gap.
        let s = new_splits[0];
        health.set_detail(Some(format!(
            "{code}: split {}:{} — history re-fetched",
            s.numerator, s.denominator
        )));
        st.splits.extend(c.splits.iter().map(|s| s.date_ms));
        st.history_done = false;
        send(
            tx,
            MarketEvent::Reconnecting {
                source: SOURCE.to_string(),
                at_ms: now,
            },
        )
        .await?;
        return Ok(sent);
    }
    let last = if in_session {
        &mut st.last_intraday
    } else {
        &mut st.last_daily
    };
    let first_fetch = last.is_none();
    for bar in c.candles {
        // The last bar we sent may have changed (forming); older ones are final.
        if last.is_some_and(|l| bar.open_time < l) {
            continue;
        }
        *last = Some(bar.open_time);
        let ev = if first_fetch && bar.closed {
            MarketEvent::Backfill(bar)
        } else {
            MarketEvent::Candle(bar)
        };
        send(tx, ev).await?;
        sent += 1;
    }
    Ok(sent)
}

fn parse(r: &super::messages::ChartResult, now: i64) -> Result<super::Chart, Poll> {
    chart(r, now).map_err(|e| {
        Poll::Yahoo(YahooError::Decode {
            symbol: r.meta.symbol.clone(),
            detail: e.to_string(),
        })
    })
}

async fn send(tx: &mpsc::Sender<MarketEvent>, ev: MarketEvent) -> Result<(), Poll> {
    tx.send(ev).await.map_err(|_| Poll::Closed)
}

/// Sets the health state and detail from every symbol's session; returns whether any market
/// is in session and the earliest known open.
fn summarise(
    states: &BTreeMap<String, SymState>,
    now: i64,
    health: &HealthCell,
) -> (bool, Option<i64>) {
    let mut parts = Vec::new();
    let mut any_open = false;
    let mut any_stale = false;
    let mut opens: Option<i64> = None;
    for (code, st) in states {
        if let Some(why) = &st.dead {
            parts.push(format!("{code}: {why}"));
            continue;
        }
        let Some(meta) = &st.meta else { continue };
        parts.push(match market_status(meta, now) {
            MarketStatus::Open { delayed_min: 0 } => {
                any_open = true;
                format!("{code}: live")
            }
            MarketStatus::Open { delayed_min } => {
                any_open = true;
                format!("{code}: delayed {delayed_min} min")
            }
            MarketStatus::Stale { last_trade_ms, .. } => {
                any_open = true;
                any_stale = true;
                format!(
                    "{code}: stale, no trade for {} min in market hours",
                    (now - last_trade_ms) / 60_000
                )
            }
            MarketStatus::Closed { opens_ms } => {
                if let Some(o) = opens_ms {
                    opens = Some(opens.map_or(o, |x| x.min(o)));
                }
                format!("{code}: market closed")
            }
        });
    }
    health.set_state(if any_stale {
        FeedState::Stale
    } else {
        FeedState::Connected
    });
    health.set_detail(Some(parts.join("; ")));
    (any_open, opens)
}
