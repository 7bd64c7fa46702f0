//! The Binance feed against a local Binance (WebSocket + REST on 127.0.0.1) replaying real
//! recorded 1m klines. The server drops connections, goes silent, sends `serverShutdown` and
//! answers 429/418 while the feed runs; the events go through the real series stage into
//! SQLite, and the database must end with every closed candle exactly once, equal to the
//! recording.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;
use tw_analytics::{SeriesBook, SeriesConfig};
use tw_core::{Candle, Clock, Interval, MarketEvent, SharedClock, Symbol};
use tw_feeds::binance::{self, BinanceConfig, CandleHistory, HistoryFuture, Universe, Venue};
use tw_feeds::testkit::binance::{data_root, load_csv, start, Cmd, Market, ScaledClock};
use tw_store::Store;

const MIN: i64 = 60_000;

/// The engine's view of the store, as the engine implements it.
struct StoreHistory(Store);

impl CandleHistory for StoreHistory {
    fn last_closed(&self, symbol: &Symbol, interval: Interval) -> HistoryFuture<'_> {
        let (s, store) = (symbol.to_string(), self.0.clone());
        Box::pin(async move {
            let c = store
                .candles(&s, interval, 2)
                .await
                .map_err(|e| e.to_string())?;
            Ok(c.iter().rev().find(|c| c.closed).map(|c| c.open_time))
        })
    }
}

/// What reached the engine: every closed 1m candle with how often it came, and the times
/// it was marked closed before its end (must never happen).
#[derive(Default)]
struct Seen {
    closed: HashMap<(String, i64), (u32, Candle)>,
    early_close: Vec<(String, i64, i64)>,
    reconnect_markers: u32,
    open_interest: HashMap<String, u32>,
}

async fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    for _ in 0..1200 {
        if cond() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_closed_candle_exactly_once_through_drops_silence_shutdown_and_bans() {
    let root = data_root();
    let dir = root.join("crypto/binance_um_futures_1m");
    let codes = ["ALGOUSDT", "AVAXUSDT", "FILUSDT", "NEARUSDT"];
    let mut bars = HashMap::new();
    for c in codes {
        bars.insert(
            c.to_string(),
            load_csv(&dir.join(format!("{c}-1m-2025-02.csv"))),
        );
    }
    // Start just before the 2025-02-03 crash, 3 h into the recording, mid-bar.
    let t0 = bars["ALGOUSDT"][0].open_time + 49 * 60 * MIN + 17_000;
    // One recorded minute per 0.4 s of wall time.
    let clock = Arc::new(ScaledClock::new(t0, 150.0));
    // NEARUSDT joins the top-N later, to be subscribed live.
    let qv: HashMap<String, f64> = [
        ("ALGOUSDT", 3e8),
        ("AVAXUSDT", 5e8),
        ("FILUSDT", 2e8),
        ("NEARUSDT", 1e6),
    ]
    .iter()
    .map(|(c, v)| (c.to_string(), *v))
    .collect();
    let servers = start(Market::new(clock.clone(), bars, qv)).await;
    let m = servers.market.clone();

    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).await.unwrap();
    let mut cfg = BinanceConfig::new(Venue::UsdM);
    cfg.ws_url = servers.ws_url.clone();
    cfg.rest_url = servers.rest_url.clone();
    cfg.universe = Universe::TopByQuoteVolume {
        n: 150,
        min_quote_volume: 1e7,
        refresh: Duration::from_secs(5 * 60),
    };
    cfg.initial_history = Duration::from_secs(3600);
    // Two symbols per connection: the universe spreads over connections.
    cfg.max_streams_per_connection = 2;
    cfg.silence_timeout = Duration::from_secs(60);
    cfg.backoff_initial = Duration::from_secs(2);
    cfg.backoff_max = Duration::from_secs(30);
    cfg.open_interest_every = Some(Duration::from_secs(60));
    let shared_clock: SharedClock = clock.clone();
    let (tx, mut rx) = mpsc::channel(4096);
    let feed =
        binance::spawn(cfg, shared_clock, tx, Arc::new(StoreHistory(store.clone()))).unwrap();

    // The engine's series stage and candle writer.
    let seen = Arc::new(Mutex::new(Seen::default()));
    let writer = store.spawn_writer(4096);
    let (s2, c2, w2) = (seen.clone(), clock.clone(), writer.clone());
    let (stop_tx, mut stop_rx) = tokio::sync::oneshot::channel::<()>();
    let sink = tokio::spawn(async move {
        let mut book = SeriesBook::new(SeriesConfig::default());
        let mut out = Vec::new();
        loop {
            let ev = tokio::select! {
                biased;
                _ = &mut stop_rx => break,
                ev = rx.recv() => match ev { Some(ev) => ev, None => break },
            };
            {
                let mut s = s2.lock().unwrap();
                match &ev {
                    MarketEvent::Candle(c) | MarketEvent::Backfill(c) if c.closed => {
                        let now = c2.now_ms();
                        if now < c.close_time() {
                            s.early_close.push((c.symbol.to_string(), c.open_time, now));
                        }
                        let e = s
                            .closed
                            .entry((c.symbol.code().to_string(), c.open_time))
                            .or_insert((0, c.clone()));
                        e.0 += 1;
                    }
                    MarketEvent::Reconnecting { .. } => s.reconnect_markers += 1,
                    MarketEvent::OpenInterest { symbol, value, .. } => {
                        assert!(*value > 0.0);
                        *s.open_interest
                            .entry(symbol.code().to_string())
                            .or_default() += 1;
                    }
                    _ => {}
                }
            }
            book.on_event(&ev, &mut out);
            for u in out.drain(..) {
                w2.upsert(u.bar).await.unwrap();
            }
        }
    });

    let closed_from = |code: &str, from: i64, t: i64| {
        let s = seen.lock().unwrap();
        let mut x = from;
        while x <= t {
            if !s.closed.contains_key(&(code.to_string(), x)) {
                return false;
            }
            x += MIN;
        }
        true
    };
    let closed_through =
        |code: &str, t: i64| closed_from(code, Interval::M1.floor(t0) - 60 * MIN, t);
    let top3 = ["ALGOUSDT", "AVAXUSDT", "FILUSDT"];
    let all_through = |t: i64| top3.iter().all(|c| closed_through(c, t));
    let bar0 = Interval::M1.floor(t0);

    wait_for("the first live closed bars", || all_through(bar0 + 2 * MIN)).await;
    assert!(
        m.connections.load(Ordering::SeqCst) >= 2,
        "3 symbols, 2 per connection"
    );

    let _ = m.cmd.send(Cmd::Drop);
    wait_for("recovery after a drop", || all_through(bar0 + 5 * MIN)).await;

    let _ = m.cmd.send(Cmd::Mute);
    wait_for("recovery after silence", || all_through(bar0 + 8 * MIN)).await;

    let rotations = feed.counters.rotations.load(Ordering::SeqCst);
    let _ = m.cmd.send(Cmd::Shutdown { grace_ms: 20_000 });
    wait_for("rotation after serverShutdown", || {
        feed.counters.rotations.load(Ordering::SeqCst) >= rotations + 2
    })
    .await;
    wait_for("bars after the rotation", || all_through(bar0 + 11 * MIN)).await;

    // Rate limited while back-filling after a drop: 429 twice, then a 418 ban.
    m.rest.lock().unwrap().kline_errors = vec![(429, 5), (429, 5), (418, 30)];
    let _ = m.cmd.send(Cmd::Drop);
    wait_for("recovery through 429 and 418", || {
        all_through(bar0 + 15 * MIN)
    })
    .await;

    // NEARUSDT's volume rises: the next universe refresh subscribes it on a live connection.
    m.quote_volume
        .lock()
        .unwrap()
        .insert("NEARUSDT".into(), 9e8);
    wait_for("NEARUSDT joining", || {
        closed_from("NEARUSDT", bar0 + 10 * MIN, bar0 + 17 * MIN)
    })
    .await;
    wait_for("all symbols", || all_through(bar0 + 18 * MIN)).await;
    let end = bar0 + 18 * MIN;

    let health = feed.health.snapshot();
    let stats = feed.rest.stats();
    let counters = &feed.counters;
    // Stop taking events (the feed ends once its receiver is gone), then commit.
    let _ = stop_tx.send(());
    sink.await.unwrap();
    writer.flush().await.unwrap();

    {
        let s = seen.lock().unwrap();
        // Exactly once, and never marked closed before its end.
        let dups: Vec<_> = s.closed.iter().filter(|(_, (n, _))| *n != 1).collect();
        assert!(
            dups.is_empty(),
            "closed candles delivered more than once: {dups:?}"
        );
        assert!(
            s.early_close.is_empty(),
            "closed before their end: {:?}",
            s.early_close
        );
        assert!(
            s.reconnect_markers >= 3,
            "{} reconnect markers",
            s.reconnect_markers
        );
        assert!(counters.reconnects.load(Ordering::SeqCst) >= 3);
        assert!(health.reconnects >= 3, "{health:?}");
        assert!(health.last_error.is_some());

        // Rate limits were honoured: no request during the ban, and the back-off was used.
        {
            let r = m.rest.lock().unwrap();
            assert_eq!(r.limited_answers, 3);
            assert_eq!(r.violations, 0, "requests were sent during a 418 ban");
            assert!(stats.rate_limited >= 2 && stats.banned >= 1, "{stats:?}");
            assert!(r.weight.values().all(|&w| w <= 1200), "{:?}", r.weight);
        }
        assert!(
            m.subscribe_requests.load(Ordering::SeqCst) >= 1,
            "no live SUBSCRIBE"
        );
        assert!(
            m.pongs.load(Ordering::SeqCst) >= 1,
            "pings were not answered"
        );
        for c in top3 {
            assert!(
                s.open_interest.get(c).copied().unwrap_or(0) >= 1,
                "no open interest for {c}"
            );
        }
    }

    // The database: every closed bar of the window, once, equal to the recording.
    for code in ["ALGOUSDT", "AVAXUSDT", "FILUSDT", "NEARUSDT"] {
        let sym = format!("binance-usdm:{code}");
        let rows = store
            .candles_between(&sym, Interval::M1, 0, end + MIN)
            .await
            .unwrap();
        let from = rows[0].open_time;
        if code == "NEARUSDT" {
            // Joined later; its first hour of history starts later too.
            assert!(
                from > bar0 - 60 * MIN && from <= bar0,
                "{code} starts at {from}"
            );
        } else {
            assert_eq!(from, bar0 - 60 * MIN, "{code}: where the history starts");
        }
        let expected = ((end - from) / MIN + 1) as usize;
        assert_eq!(rows.len(), expected, "{code}: rows in the database");
        for r in &rows {
            let b = m.bar_at(code, r.open_time).unwrap();
            assert!(r.closed, "{code} {} not closed", r.open_time);
            let want = [b.o.as_str(), &b.h, &b.l, &b.c, &b.v].map(|x| x.parse::<f64>().unwrap());
            assert_eq!(
                [r.open, r.high, r.low, r.close, r.volume],
                want,
                "{code} bar {} differs from the recording",
                r.open_time
            );
        }
    }
}
