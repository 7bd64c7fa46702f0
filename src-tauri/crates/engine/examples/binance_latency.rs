//! End-to-end latency and throughput of the Binance feed through the real engine.
//!
//! A local Binance (WebSocket + REST on 127.0.0.1, `tw_feeds::testkit`) streams 150 USDⓈ-M
//! symbols in Binance's exact combined-stream format: the four real recorded 1m files of
//! ../shared/data/crypto/binance_um_futures_1m (Feb 2025, around the 02-03 crash), each
//! replayed under many names. The engine (`Engine::start`) runs a `binance-usdm` source
//! pointed at it (top 150 by quote volume) and one rule that fires on every closed 1m bar.
//! Latency = from the moment the server hands a bar's closing frame to its socket to the
//! moment that bar's alert arrives on `subscribe_alerts()` (after series, rules, and the
//! alert being written to SQLite). Market time runs `--speed` times faster than wall time,
//! so the feed sees real Binance pacing compressed.
//!
//! cargo run --release -p tw-engine --example binance_latency -- [--symbols 150]
//!     [--minutes 10] [--speed 20]

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::broadcast::error::RecvError;
use tw_core::rule::RuleSpec;
use tw_core::{Clock, SharedClock};
use tw_engine::{Engine, EngineConfig};
use tw_feeds::binance::{BinanceConfig, Universe, Venue};
use tw_feeds::testkit::binance::{data_root, load_csv, start, Bar, Market, ScaledClock};

const MIN: i64 = 60_000;

const RULE: &str = r#"{
  "name": "every close",
  "target": { "source": "binance-usdm" },
  "interval": "1m",
  "when": { "metric": "price", "op": "gt", "value": 0 },
  "evaluate": "bar_close",
  "frequency": { "mode": "once_per_bar_close" },
  "level": "low",
  "channels": { "notification": false }
}"#;

fn arg(name: &str, default: f64) -> f64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(|v| {
            v.parse()
                .unwrap_or_else(|_| panic!("{name}: {v:?} is not a number"))
        })
        .unwrap_or(default)
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run());
}

async fn run() {
    let root = data_root();
    let n_symbols = arg("--symbols", 150.0) as usize;
    let minutes = arg("--minutes", 10.0) as i64;
    let speed = arg("--speed", 20.0);

    let dir = root.join("crypto/binance_um_futures_1m");
    let files = ["ALGOUSDT", "AVAXUSDT", "FILUSDT", "NEARUSDT"];
    let recs: Vec<Vec<Bar>> = files
        .iter()
        .map(|c| load_csv(&dir.join(format!("{c}-1m-2025-02.csv"))))
        .collect();
    // From two hours before the crash of 2025-02-03 ~02:00 UTC.
    let t0 = recs[0][0].open_time + 48 * 60 * MIN + 17_000;
    let (from, to) = (t0 - 2 * 3600 * 1000, t0 + (minutes + 10) * MIN);
    let mut bars = HashMap::new();
    let mut qv = HashMap::new();
    for i in 0..n_symbols {
        let base = files[i % files.len()].trim_end_matches("USDT");
        let code = if i < files.len() {
            files[i].to_string()
        } else {
            format!("{base}{i}USDT")
        };
        let window: Vec<Bar> = recs[i % files.len()]
            .iter()
            .filter(|b| b.open_time >= from && b.open_time <= to)
            .cloned()
            .collect();
        bars.insert(code.clone(), window);
        qv.insert(code, 1e9 - i as f64 * 1e6);
    }
    let clock = Arc::new(ScaledClock::new(t0, speed));
    let mut market = Market::new(clock.clone(), bars, qv);
    market.log_sends = true;
    // Binance pushes kline updates every 250 ms; compressed by `speed` that would be more
    // than the 2-core machine should spend on the server, so every 2 s of market time.
    market.tick_ms = 2_000;
    let servers = start(market).await;
    let m = servers.market.clone();

    let data = tempfile::tempdir().expect("temp dir");
    let mut cfg = EngineConfig::new(data.path());
    cfg.clock = clock.clone() as SharedClock;
    cfg.demo = None;
    cfg.notifications = false;
    cfg.keyring_service = "tickwarden-bench".into();
    let mut b = BinanceConfig::new(Venue::UsdM);
    b.ws_url = servers.ws_url.clone();
    b.rest_url = servers.rest_url.clone();
    b.universe = Universe::TopByQuoteVolume {
        n: 150,
        min_quote_volume: 0.0,
        refresh: Duration::from_secs(3600),
    };
    b.initial_history = Duration::from_secs(3600);
    cfg.binance = vec![b];
    let engine = Engine::start(cfg).await.expect("engine");
    // One alert per symbol and minute is the point here: lift the circuit breaker (30 a
    // minute by default), which would otherwise pause the rule.
    let mut delivery = engine.delivery_settings().await;
    delivery.breaker_max = u32::MAX;
    engine
        .set_delivery_settings(delivery)
        .await
        .expect("delivery settings");
    engine
        .create_rule(RuleSpec::from_json(RULE).expect("rule"))
        .await
        .expect("rule");
    let mut alerts = engine.subscribe_alerts();

    // Warm-up: the back-fill of an hour for every symbol and the first live minute.
    let warm_until = Instant::now() + Duration::from_secs_f64(2.0 * 60.0 / speed);
    let measure_from_market = t0 + 2 * MIN;
    let measure_to_market = measure_from_market + minutes * MIN;
    // The closing frames of the last measured bar leave a tick after it ends.
    let end_market = measure_to_market + MIN;
    while Instant::now() < warm_until {
        let _ = tokio::time::timeout(Duration::from_millis(100), alerts.recv()).await;
    }
    let feed_msgs = |e: &tw_engine::EngineHandle| {
        e.status()
            .feeds
            .iter()
            .find(|f| f.source == "binance-usdm")
            .map_or(0, |f| f.messages)
    };
    let (msgs0, sent0, wall0) = (
        feed_msgs(&engine),
        m.frames_sent.load(Ordering::Relaxed),
        Instant::now(),
    );
    let mut lat = Vec::new();
    let mut unmatched = 0u64;
    let mut lagged = 0u64;
    while clock.now_ms() < end_market {
        match tokio::time::timeout(Duration::from_millis(200), alerts.recv()).await {
            Ok(Ok(a)) => {
                let arrived = Instant::now();
                if a.bar_time < measure_from_market || a.bar_time >= measure_to_market {
                    continue;
                }
                let code = a.symbol.split_once(':').map_or("", |x| x.1).to_string();
                match m.sent_closed.lock().unwrap().get(&(code, a.bar_time)) {
                    Some(&sent) => lat.push(arrived.saturating_duration_since(sent)),
                    None => unmatched += 1, // back-filled over REST, not streamed
                }
            }
            Ok(Err(RecvError::Lagged(n))) => lagged += n,
            Ok(Err(RecvError::Closed)) => break,
            Err(_) => {}
        }
    }
    let wall = wall0.elapsed().as_secs_f64();
    let msgs = feed_msgs(&engine) - msgs0;
    let sent = m.frames_sent.load(Ordering::Relaxed) - sent0;
    let h = engine
        .status()
        .feeds
        .into_iter()
        .find(|f| f.source == "binance-usdm")
        .expect("feed");
    engine.shutdown().await;

    lat.sort();
    let bars_expected = n_symbols as i64 * minutes;
    println!(
        "binance_latency: {n_symbols} symbols, {minutes} market minutes at {speed}x ({wall:.1} s wall)"
    );
    println!(
        "  frames: server sent {sent} ({:.0}/s), feed received {msgs} ({:.0}/s)",
        sent as f64 / wall,
        msgs as f64 / wall
    );
    println!(
        "  alerts on streamed closed bars: {} of {bars_expected} bars ({unmatched} back-filled, {lagged} lagged)",
        lat.len()
    );
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "  frame sent → alert received: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(pct(&lat, 0.50)),
        ms(pct(&lat, 0.90)),
        ms(pct(&lat, 0.99)),
        ms(pct(&lat, 1.0))
    );
    println!(
        "  feed health: {:?}, {} reconnects, {:.0} msg/s (market time), lag {:?} ms",
        h.state, h.reconnects, h.messages_per_sec, h.lag_ms
    );
}
