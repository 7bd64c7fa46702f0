//! "Test connection" of the Binance venues in the data-sources view, against the local
//! Binance (REST + WebSocket on 127.0.0.1) replaying the real recorded 1m klines of
//! ../shared/data, with the endpoints given as the data-source settings' URLs.

use std::collections::HashMap;
use std::sync::Arc;
use tw_core::ipc::{BinanceSettings, BinanceUniverse, BinanceVenueSettings};
use tw_core::SharedClock;
use tw_engine::{Engine, EngineConfig, EngineHandle};
use tw_feeds::testkit::binance::{data_root, load_csv, start, Market, ScaledClock, Servers};

async fn local_binance(spot: bool) -> Servers {
    let root = data_root();
    let dir = root.join("crypto/binance_um_futures_1m");
    let mut bars = HashMap::new();
    let mut qv = HashMap::new();
    for (i, code) in ["ALGOUSDT", "AVAXUSDT", "FILUSDT", "NEARUSDT"]
        .iter()
        .enumerate()
    {
        bars.insert(
            code.to_string(),
            load_csv(&dir.join(format!("{code}-1m-2025-02.csv"))),
        );
        qv.insert(code.to_string(), 50e6 - i as f64 * 15e6); // 50, 35, 20, 5 M
    }
    let t0 = bars["ALGOUSDT"][100].open_time + 5_000;
    let mut market = Market::new(Arc::new(ScaledClock::new(t0, 60.0)), bars, qv);
    market.spot = spot;
    market.tick_ms = 1_000;
    start(market).await
}

async fn engine(dir: &std::path::Path) -> EngineHandle {
    let mut cfg = EngineConfig::new(dir);
    cfg.clock = Arc::new(tw_core::SystemClock) as SharedClock;
    cfg.demo = None;
    cfg.notifications = false;
    cfg.keyring_service = "tickwarden-test".into();
    Engine::start(cfg).await.unwrap()
}

fn venue(s: &Servers) -> BinanceVenueSettings {
    BinanceVenueSettings {
        enabled: true,
        universe: BinanceUniverse::Top,
        top_n: 2,
        min_quote_volume: 10e6,
        ws_url: Some(s.ws_url.clone()),
        rest_url: Some(s.rest_url.clone()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_saved_usdm_settings_are_tested_and_answered_in_words() {
    let servers = local_binance(false).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path()).await;
    engine
        .set_binance_settings(BinanceSettings {
            usdm: venue(&servers),
            ..Default::default()
        })
        .await
        .unwrap();
    // The same command the data-sources view calls for Tushare.
    let t = engine
        .test_source_connection("binance-usdm", None)
        .await
        .unwrap();
    assert!(t.ok, "{t:?}");
    assert!(
        t.summary
            .starts_with("Binance USDⓈ-M futures is reachable: REST answered in ")
            && t.summary.contains("lists 4 symbols to watch"),
        "{}",
        t.summary
    );
    let names: Vec<&str> = t.checks.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["exchangeInfo", "ticker/24hr", "stream"]);
    assert!(
        t.checks[0].detail.contains("4 of 4 symbols can be watched"),
        "{}",
        t.checks[0].detail
    );
    assert!(
        t.checks[1]
            .detail
            .contains("3 of them with a 24 h quote volume of at least 10000000")
            && t.checks[1].detail.contains("the top 2 are watched"),
        "{}",
        t.checks[1].detail
    );
    assert!(
        t.checks[2]
            .detail
            .contains("the first ALGOUSDT kline arrived after"),
        "{}",
        t.checks[2].detail
    );
    assert!(
        servers
            .market
            .connections
            .load(std::sync::atomic::Ordering::Relaxed)
            >= 1
    );
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsaved_spot_settings_and_an_unreachable_url_are_told_apart() {
    let servers = local_binance(true).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path()).await;
    let t = engine
        .test_binance_connection("binance-spot", Some(venue(&servers)))
        .await
        .unwrap();
    assert!(t.ok, "{t:?}");
    assert!(
        t.summary.starts_with("Binance spot is reachable"),
        "{}",
        t.summary
    );

    // Nothing listens there: not reachable, in words, and nothing else tried over REST.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let mut v = venue(&servers);
    v.rest_url = Some(format!("http://127.0.0.1:{port}"));
    let t = engine
        .test_binance_connection("binance-spot", Some(v))
        .await
        .unwrap();
    assert!(!t.ok);
    assert!(
        t.summary.starts_with(&format!(
            "Binance spot is not reachable: cannot reach http://127.0.0.1:{port}/api/v3/exchangeInfo"
        )),
        "{}",
        t.summary
    );
    assert_eq!(
        t.checks.len(),
        2,
        "exchangeInfo failed, the stream still tried"
    );
    assert!(t.checks[1].ok, "{:?}", t.checks[1]);

    // A bad URL in the form is refused with the field named.
    let mut v = venue(&servers);
    v.ws_url = Some("http://127.0.0.1:1".into());
    let e = engine
        .test_binance_connection("binance-spot", Some(v))
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("wsUrl") && e.contains("ws://"), "{e}");
    let e = engine
        .test_source_connection("yahoo", None)
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("no connection test"), "{e}");
    engine.shutdown().await;
}
