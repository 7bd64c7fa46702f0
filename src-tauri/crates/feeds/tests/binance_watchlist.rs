//! A fixed (watchlist) Binance universe changed while the feed runs: symbols added are
//! checked against exchangeInfo, SUBSCRIBEd on the open connection and back-filled; symbols
//! removed are UNSUBSCRIBEd and stop arriving. Against a local Binance on 127.0.0.1
//! replaying real recorded 1m klines.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;
use tw_core::{Clock, Interval, MarketEvent, SharedClock};
use tw_feeds::binance::{self, BinanceConfig, NoHistory, Universe, Venue};
use tw_feeds::testkit::binance::{data_root, load_csv, start, Market, ScaledClock};

const MIN: i64 = 60_000;

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
async fn watchlist_changes_subscribe_and_unsubscribe_live() {
    let root = data_root();
    let dir = root.join("crypto/binance_um_futures_1m");
    let mut bars = HashMap::new();
    for c in ["ALGOUSDT", "AVAXUSDT"] {
        bars.insert(
            c.to_string(),
            load_csv(&dir.join(format!("{c}-1m-2025-02.csv"))),
        );
    }
    let t0 = bars["ALGOUSDT"][0].open_time + 30 * 60 * MIN + 17_000;
    let clock = Arc::new(ScaledClock::new(t0, 150.0));
    let servers = start(Market::new(clock.clone(), bars, HashMap::new())).await;
    let m = servers.market.clone();

    let mut cfg = BinanceConfig::new(Venue::UsdM);
    cfg.ws_url = servers.ws_url.clone();
    cfg.rest_url = servers.rest_url.clone();
    cfg.universe = Universe::Fixed(vec!["ALGOUSDT".into()]);
    cfg.initial_history = Duration::from_secs(10 * 60);
    cfg.open_interest_every = None;
    let shared: SharedClock = clock.clone();
    let (tx, mut rx) = mpsc::channel(4096);
    let feed = binance::spawn(cfg, shared, tx, Arc::new(NoHistory)).unwrap();

    // Closed bars seen, by (code, open time) → count; and when each code was last seen.
    let seen: Arc<Mutex<HashMap<(String, i64), u32>>> = Arc::default();
    let s2 = seen.clone();
    let sink = tokio::spawn(async move {
        while let Some(ev) = rx.recv().await {
            if let MarketEvent::Candle(c) | MarketEvent::Backfill(c) = &ev {
                if c.closed {
                    *s2.lock()
                        .unwrap()
                        .entry((c.symbol.code().to_string(), c.open_time))
                        .or_default() += 1;
                }
            }
        }
    });
    let newest = |code: &str| {
        seen.lock()
            .unwrap()
            .keys()
            .filter(|k| k.0 == code)
            .map(|k| k.1)
            .max()
    };
    let bar0 = Interval::M1.floor(t0);
    wait_for("ALGOUSDT live", || newest("ALGOUSDT") >= Some(bar0 + MIN)).await;
    assert_eq!(m.connections.load(Ordering::SeqCst), 1);
    assert_eq!(newest("AVAXUSDT"), None);

    // Add AVAXUSDT (and a symbol Binance does not list) to the watchlist.
    let added_at = clock.now_ms();
    feed.control
        .watch(vec!["AVAXUSDT".into(), "NOPEUSDT".into()])
        .await
        .unwrap();
    wait_for("AVAXUSDT live", || {
        newest("AVAXUSDT") >= Some(Interval::M1.floor(added_at) + MIN)
    })
    .await;
    assert_eq!(
        m.connections.load(Ordering::SeqCst),
        1,
        "subscribed on the open connection, not a new one"
    );
    assert_eq!(m.subscribe_requests.load(Ordering::SeqCst), 1);
    assert_eq!(*feed.universe.lock().unwrap(), ["ALGOUSDT", "AVAXUSDT"]);
    let err = feed.health.snapshot().last_error.unwrap_or_default();
    assert!(err.contains("NOPEUSDT"), "{err}");
    {
        // Its history came over REST: ten minutes before it was added, then every bar.
        let s = seen.lock().unwrap();
        let from = Interval::M1.floor(added_at) - 10 * MIN;
        let to = newest_of(&s, "AVAXUSDT");
        let mut t = from;
        while t <= to {
            assert_eq!(s.get(&("AVAXUSDT".into(), t)), Some(&1), "AVAXUSDT bar {t}");
            t += MIN;
        }
    }

    // Remove ALGOUSDT: UNSUBSCRIBE, and its bars stop while AVAXUSDT goes on.
    feed.control.unwatch(vec!["ALGOUSDT".into()]).await.unwrap();
    wait_for("the UNSUBSCRIBE", || {
        m.subscribe_requests.load(Ordering::SeqCst) == 2
    })
    .await;
    let removed_at = clock.now_ms();
    wait_for("AVAXUSDT three minutes on", || {
        newest("AVAXUSDT") >= Some(Interval::M1.floor(removed_at) + 3 * MIN)
    })
    .await;
    let last_algo = newest("ALGOUSDT").unwrap();
    assert!(
        last_algo < Interval::M1.floor(removed_at),
        "ALGOUSDT bar {last_algo} after it was removed at {removed_at}"
    );
    assert_eq!(*feed.universe.lock().unwrap(), ["AVAXUSDT"]);
    assert!(
        seen.lock().unwrap().values().all(|&n| n == 1),
        "a closed bar came twice"
    );
    feed.task.abort();
    sink.abort();
}

fn newest_of(s: &HashMap<(String, i64), u32>, code: &str) -> i64 {
    s.keys().filter(|k| k.0 == code).map(|k| k.1).max().unwrap()
}
