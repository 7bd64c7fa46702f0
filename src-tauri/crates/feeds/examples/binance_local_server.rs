//! A stand-alone local Binance USDⓈ-M (WebSocket combined streams + REST on 127.0.0.1) for
//! measuring the whole app against many streaming symbols without the internet.
//!
//! It serves the four real recorded 1m files of ../shared/data/crypto/binance_um_futures_1m
//! (Feb 2025) under `--symbols` names through `tw_feeds::testkit::binance`, in Binance's exact
//! formats. The recording is shifted in time so that its third day starts at the current
//! minute: the app runs on the system clock, so it must see bars of *now*, with two days of
//! recorded history behind them for its back-fill. At `--speed 1` (the default) market time
//! is wall time: a kline update per symbol every `--tick-ms` (2,000) ms and each bar's
//! closing frame when its minute ends, as Binance streams them. Bars are served from 25 h
//! before the start to `--hours` after it; then the symbols stop (a halt).
//!
//! cargo run -p tw-feeds --features testkit --example binance_local_server -- [--symbols 150]
//!     [--speed 1] [--tick-ms 2000] [--hours 4]
//!
//! Prints `WS <url>` and `REST <url>` (the values for `TICKWARDEN_BINANCE_USDM_WS` / `_REST`)
//! and runs until killed.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};
use tw_feeds::testkit::binance::{data_root, load_csv, start, Bar, Market, ScaledClock};

const MIN: i64 = 60_000;

/// A numeric option; a value that does not parse stops the program with a message naming it.
fn arg(name: &str, default: f64) -> f64 {
    let args: Vec<String> = std::env::args().collect();
    match args.iter().position(|a| a == name) {
        None => default,
        Some(i) => match args.get(i + 1).map(|v| (v, v.parse::<f64>())) {
            Some((_, Ok(x))) if x.is_finite() && x > 0.0 => x,
            Some((v, _)) => fail(&format!("{name}: {v:?} is not a positive number")),
            None => fail(&format!("{name} needs a value")),
        },
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("binance_local_server: {msg}");
    std::process::exit(2)
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run());
}

async fn run() {
    let root = data_root();
    let n_symbols = arg("--symbols", 150.0) as usize;
    let speed = arg("--speed", 1.0);
    let tick_ms = arg("--tick-ms", 2_000.0) as i64;
    let hours = arg("--hours", 4.0) as i64;

    let dir = root.join("crypto/binance_um_futures_1m");
    let files = ["ALGOUSDT", "AVAXUSDT", "FILUSDT", "NEARUSDT"];
    let recs: Vec<Vec<Bar>> = files
        .iter()
        .map(|c| load_csv(&dir.join(format!("{c}-1m-2025-02.csv"))))
        .collect();
    if recs.iter().any(|r| r.is_empty()) {
        fail(&format!("a recording in {} is empty", dir.display()));
    }

    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("system clock before 1970")
        .as_millis() as i64;
    // Whole minutes, so shifted bars still open on minute boundaries.
    let shift = (now - now.rem_euclid(MIN)) - (recs[0][0].open_time + 2 * 24 * 60 * MIN);
    // Only what the app can ask for: its back-fill (24 h) and `--hours` of streaming; the
    // whole month under 150 names would take gigabytes.
    let (from, to) = (now - 25 * 60 * MIN, now + hours * 60 * MIN);
    let mut bars = HashMap::new();
    let mut qv = HashMap::new();
    for i in 0..n_symbols {
        let base = files[i % files.len()].trim_end_matches("USDT");
        let code = if i < files.len() {
            files[i].to_string()
        } else {
            format!("{base}{i}USDT")
        };
        let shifted: Vec<Bar> = recs[i % files.len()]
            .iter()
            .filter(|b| b.open_time + shift >= from && b.open_time + shift < to)
            .map(|b| Bar {
                open_time: b.open_time + shift,
                ..b.clone()
            })
            .collect();
        bars.insert(code.clone(), shifted);
        // Distinct volumes well above the app's default floor (10 M), so a top-N universe
        // takes them all in a stable order.
        qv.insert(code, 1e9 - i as f64 * 1e6);
    }
    let clock = Arc::new(ScaledClock::new(now, speed));
    let mut market = Market::new(clock, bars, qv);
    market.tick_ms = tick_ms;
    let servers = start(market).await;
    println!("WS {}", servers.ws_url);
    println!("REST {}", servers.rest_url);
    println!(
        "binance_local_server: {n_symbols} USDⓈ-M symbols at {speed}x, a kline update every {tick_ms} ms of market time"
    );
    // Scripts read the URLs from a pipe or file: make sure they are there now.
    let _ = std::io::stdout().flush();
    if let Err(e) = tokio::signal::ctrl_c().await {
        fail(&format!("cannot wait for Ctrl-C: {e}"));
    }
}
