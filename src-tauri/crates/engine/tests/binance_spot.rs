//! Binance spot through the whole engine, against a local Binance on 127.0.0.1 replaying the
//! real LUNA/USDT 1m klines of May 2022 (../shared/data) in spot's stream format, up to and
//! through the trading halt (no data after 2022-05-13 00:39 UTC).
//!
//! The venue follows the watchlist: the engine starts with nothing to watch, the test puts
//! `binance-spot:LUNAUSDT` on the watchlist and the running feed subscribes it, back-fills
//! its history over REST, streams it live into SQLite, and when the market halts the feed
//! shows stale without inventing candles.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tw_core::ipc::FeedState;
use tw_core::{Clock, Interval, SharedClock};
use tw_engine::{Engine, EngineConfig, EngineHandle};
use tw_feeds::binance::{BinanceConfig, Universe, Venue};
use tw_feeds::testkit::binance::{data_root, load_csv, start, Market, ScaledClock};

const MIN: i64 = 60_000;
/// 2022-05-13 00:00 UTC.
const MAY13: i64 = 1_652_400_000_000;

async fn wait_for(what: &str, mut cond: impl AsyncFnMut() -> bool) {
    for _ in 0..1200 {
        if cond().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

fn spot_health(engine: &EngineHandle) -> tw_core::ipc::FeedHealth {
    engine
        .status()
        .feeds
        .into_iter()
        .find(|f| f.source == "binance-spot")
        .expect("a binance-spot feed")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn luna_spot_through_the_halt_every_closed_candle_once_and_no_fake_ones() {
    let root = data_root();
    let bars = load_csv(&root.join("crypto/binance_spot_public_data/LUNAUSDT-1m-2022-05.csv"));
    let last_bar = MAY13 + 39 * MIN;
    assert_eq!(
        bars.iter()
            .filter(|b| b.open_time > MAY13 && b.open_time < MAY13 + 18 * 24 * 60 * MIN)
            .map(|b| b.open_time)
            .max(),
        Some(last_bar),
        "the recording halts after 00:39"
    );

    // Start 20 minutes before the halt, mid-bar; one recorded minute per 0.2 s.
    let t0 = MAY13 + 20 * MIN + 17_000;
    let clock = Arc::new(ScaledClock::new(t0, 300.0));
    let mut market = Market::new(
        clock.clone(),
        HashMap::from([("LUNAUSDT".to_string(), bars)]),
        HashMap::new(),
    );
    market.spot = true;
    market.tick_ms = 5_000; // a ping every 40 s of market time
    let servers = start(market).await;
    let m = servers.market.clone();

    let data = tempfile::tempdir().unwrap();
    let mut cfg = EngineConfig::new(data.path());
    cfg.clock = clock.clone() as SharedClock;
    cfg.demo = None;
    cfg.notifications = false;
    cfg.keyring_service = "tickwarden-test".into();
    let mut spot = BinanceConfig::new(Venue::Spot);
    spot.ws_url = servers.ws_url.clone();
    spot.rest_url = servers.rest_url.clone();
    spot.universe = Universe::Watchlist;
    spot.initial_history = Duration::from_secs(30 * 60);
    spot.silence_timeout = Duration::from_secs(120);
    cfg.binance = vec![spot];
    let engine = Engine::start(cfg).await.unwrap();

    // Nothing on the watchlist: no connection yet.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(m.connections.load(std::sync::atomic::Ordering::SeqCst), 0);
    let watched_at = clock.now_ms();
    engine.watch_symbol("binance-spot:LUNAUSDT").await.unwrap();
    assert_eq!(
        engine.store().watchlist("default").await.unwrap(),
        ["binance-spot:LUNAUSDT"]
    );

    let sym = "binance-spot:LUNAUSDT";
    // The back-fill starts 30 minutes (initial_history) before the feed took the symbol.
    let first = Interval::M1.floor(watched_at) - 30 * MIN;
    // Live through the collapse to the last bar before the halt.
    wait_for("the last bar before the halt", async || {
        engine.flush().await.unwrap();
        let rows = engine
            .store()
            .candles_between(sym, Interval::M1, first, last_bar + MIN)
            .await
            .unwrap();
        rows.last()
            .is_some_and(|c| c.open_time == last_bar && c.closed)
    })
    .await;
    // The market halts: the socket stays alive (pings) but no data comes, so the feed is
    // stale — and says why.
    wait_for("the feed going stale", async || {
        spot_health(&engine).state == FeedState::Stale
    })
    .await;
    let h = spot_health(&engine);
    assert!(
        h.detail.as_deref().is_some_and(|d| d.contains("halted")),
        "{h:?}"
    );
    assert!(h.lag_ms.is_some_and(|l| l >= MIN), "{h:?}");
    assert!(m.pongs.load(std::sync::atomic::Ordering::SeqCst) >= 1);
    // Ten more minutes of halt.
    let until = last_bar + 12 * MIN;
    while clock.now_ms() < until {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    engine.flush().await.unwrap();
    let h = spot_health(&engine);
    assert_eq!(h.state, FeedState::Stale, "{h:?}");
    assert_eq!(h.messages_per_sec, 0.0, "{h:?}");

    // Every closed minute from the start of the back-filled history to the halt, exactly
    // once, closed, equal to the recording; nothing after the halt.
    let rows = engine
        .store()
        .candles_between(sym, Interval::M1, 0, i64::MAX / 2)
        .await
        .unwrap();
    let times: Vec<i64> = rows.iter().map(|c| c.open_time).collect();
    let first = times[0];
    assert!(
        first >= Interval::M1.floor(watched_at) - 30 * MIN && first <= t0 - 25 * MIN,
        "history starts at {first}"
    );
    let want: Vec<i64> = (0..=(last_bar - first) / MIN)
        .map(|i| first + i * MIN)
        .collect();
    assert_eq!(times, want, "stored 1m bars");
    for r in &rows {
        let b = m.bar_at("LUNAUSDT", r.open_time).unwrap();
        assert!(r.closed, "{} not closed", r.open_time);
        let rec = [&b.o, &b.h, &b.l, &b.c, &b.v].map(|x| x.parse::<f64>().unwrap());
        assert_eq!(
            [r.open, r.high, r.low, r.close, r.volume],
            rec,
            "bar {} differs from the recording",
            r.open_time
        );
    }

    // Off the watchlist: the feed lets it go.
    engine
        .unwatch_symbol("binance-spot:LUNAUSDT")
        .await
        .unwrap();
    assert!(engine
        .store()
        .watchlist("default")
        .await
        .unwrap()
        .is_empty());
    let e = engine
        .watch_symbol("binance-spot:luna usdt")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("luna usdt"), "{e}");
    engine.shutdown().await;
}
