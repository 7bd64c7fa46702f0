//! The radar's open-interest ranking through the whole engine: a local Binance USDⓈ-M on
//! 127.0.0.1 replays real 1m klines (../shared/data) and answers `/fapi/v1/openInterest`;
//! the engine polls it, the series stage turns the readings into `open_interest` and its
//! 24 h change, and `EngineHandle::radar` ranks the contracts by the size of that change.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tw_core::{Clock, SharedClock};
use tw_engine::{Engine, EngineConfig};
use tw_feeds::binance::{BinanceConfig, Universe, Venue};
use tw_feeds::testkit::binance::{data_root, load_csv, start, Market, ScaledClock};

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn futures_open_interest_changes_are_ranked_on_the_radar() {
    let root = data_root();
    let dir = root.join("crypto/binance_um_futures_1m");
    let codes = ["ALGOUSDT", "AVAXUSDT", "FILUSDT"];
    let bars: HashMap<String, _> = codes
        .iter()
        .map(|c| {
            (
                c.to_string(),
                load_csv(&dir.join(format!("{c}-1m-2025-02.csv"))),
            )
        })
        .collect();
    let t0 = bars["ALGOUSDT"][0].open_time + 2 * HOUR + 17_000;
    // One recorded minute per 20 ms: the 12 h a 24 h change needs pass in ~15 s.
    let clock = Arc::new(ScaledClock::new(t0, 3_000.0));
    let mut market = Market::new(clock.clone(), bars, HashMap::new());
    market.tick_ms = 30_000;
    let servers = start(market).await;
    let m = servers.market.clone();

    let data = tempfile::tempdir().unwrap();
    let mut cfg = EngineConfig::new(data.path());
    cfg.clock = clock.clone() as SharedClock;
    cfg.demo = None;
    cfg.notifications = false;
    cfg.keyring_service = "tickwarden-test".into();
    let mut usdm = BinanceConfig::new(Venue::UsdM);
    usdm.ws_url = servers.ws_url.clone();
    usdm.rest_url = servers.rest_url.clone();
    usdm.universe = Universe::Fixed(codes.iter().map(|c| c.to_string()).collect());
    usdm.initial_history = Duration::from_secs(10 * 60);
    usdm.silence_timeout = Duration::from_secs(600);
    usdm.open_interest_every = Some(Duration::from_secs(300));
    cfg.binance = vec![usdm];
    let engine = Engine::start(cfg).await.unwrap();

    // Before half the look-back is covered there is open interest but no change to rank.
    // Generous: a loaded machine may lag the replay by a while.
    let until = t0 + 20 * HOUR;
    let mut early_checked = false;
    let radar = loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        engine.flush().await.unwrap();
        let r = engine.radar(10, 0.0);
        let now = clock.now_ms();
        if now < t0 + 11 * HOUR && m.oi_requests.load(Ordering::SeqCst) > 6 {
            assert!(
                r.oi_changes.is_empty(),
                "no 24 h change after {} h",
                (now - t0) / HOUR
            );
            early_checked = true;
        }
        if r.oi_changes.len() == codes.len() || now > until {
            break r;
        }
    };
    assert!(
        early_checked,
        "the radar was looked at before the change was due"
    );
    let rows = &radar.oi_changes;
    assert_eq!(
        rows.len(),
        codes.len(),
        "every contract is ranked: {rows:?}"
    );
    assert!(
        rows.windows(2)
            .all(|w| w[0].change_pct.abs() >= w[1].change_pct.abs()),
        "largest change first: {rows:?}"
    );
    for r in rows {
        assert!(r.symbol.starts_with("binance-usdm:"), "{r:?}");
        assert!(!r.simulated);
        assert!(r.open_interest > 0.0 && r.change_pct.is_finite(), "{r:?}");
        // The testkit's open interest is ten times the volume of the minute before the
        // reading: the ranked figure is one the venue reported.
        let code = r.symbol.trim_start_matches("binance-usdm:");
        let reported = m.bars[code]
            .iter()
            .any(|b| (b.v.parse::<f64>().unwrap() * 10.0 - r.open_interest).abs() < 1e-3);
        assert!(reported, "{r:?} is not a reading of the venue");
    }
    assert_eq!(radar.movers_1h.len(), codes.len(), "{:?}", radar.movers_1h);
}
