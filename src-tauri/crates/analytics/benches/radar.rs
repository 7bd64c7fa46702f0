//! Cost of the market radar on top of the series stage: 200 symbols of real 1m bars (the
//! ALGOUSDT month, each symbol starting at a different day so the symbols differ), every
//! update fed to the radar as the engine does, then the radar read (top 20 of each list).
//!
//! `cargo bench -p tw-analytics --bench radar` (a harness that prints figures; release).

use std::path::PathBuf;
use std::time::Instant;
use tw_analytics::radar::{MoveWindow, Radar};
use tw_analytics::{SeriesBook, SeriesConfig};
use tw_core::{Candle, MarketEvent, Symbol};

const FILE: &str = "crypto/binance_um_futures_1m/ALGOUSDT-1m-2025-02.csv";
const SYMBOLS: usize = 200;
const BARS: usize = 720;

/// Best of 3 runs of the series stage alone and with the radar fed; returns the times, the
/// number of updates and the radar of the first run.
fn measure(events: &[MarketEvent], cfg: SeriesConfig) -> ([f64; 2], usize, Radar) {
    let mut best = [f64::MAX; 2];
    let mut updates = 0;
    let mut radar = Radar::all();
    for run in 0..3 {
        for (j, with_radar) in [false, true].into_iter().enumerate() {
            let mut book = SeriesBook::new(cfg.clone());
            book.collect_flagged(with_radar);
            let mut r = Radar::all();
            let mut out = Vec::with_capacity(16);
            updates = 0;
            let t = Instant::now();
            for ev in events {
                out.clear();
                book.on_event(ev, &mut out);
                updates += out.len();
                if with_radar {
                    for u in &out {
                        r.on_update(u);
                    }
                    for f in book.take_flagged() {
                        r.on_flagged(&f);
                    }
                }
            }
            best[j] = best[j].min(t.elapsed().as_secs_f64());
            if with_radar && run == 0 {
                radar = r;
            }
        }
    }
    (best, updates, radar)
}

fn main() {
    let data = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../../shared/data"
    ));
    if !data.is_dir() {
        println!("SKIPPED: shared data folder {} is absent", data.display());
        return;
    }
    let bars = tw_feeds::replay::load(&data.join(FILE)).unwrap().candles;
    // Bar i of every symbol at the same time, symbol k reading the file from day k % 27.
    let mut events = Vec::with_capacity(SYMBOLS * BARS);
    for i in 0..BARS {
        for k in 0..SYMBOLS {
            let src = &bars[(k % 27) * 1440 + i];
            events.push(MarketEvent::Candle(Candle {
                symbol: Symbol::new("bench", &format!("S{k:03}")),
                open_time: bars[i].open_time,
                ..src.clone()
            }));
        }
    }
    println!(
        "input: {SYMBOLS} symbols × {BARS} closed 1m bars (rolled up into 5m … 1d) = {} events",
        events.len()
    );

    let (best, updates, radar) = measure(&events, SeriesConfig::default());
    let per = |s: f64| s / updates as f64 * 1e9;
    println!(
        "series stage alone: {:.0} updates/s ({:.0} ns/update)",
        updates as f64 / best[0],
        per(best[0])
    );
    println!(
        "series stage + radar: {:.0} updates/s ({:.0} ns/update; the radar adds {:.0} ns/update)",
        updates as f64 / best[1],
        per(best[1]),
        per(best[1]) - per(best[0])
    );

    let t = Instant::now();
    let n = 200;
    let mut rows = 0;
    for _ in 0..n {
        rows += radar.top_anomalies(20, 0.0, None).len();
        for w in [MoveWindow::M5, MoveWindow::H1, MoveWindow::H24] {
            rows += radar.top_movers(w, 20).len();
        }
        rows += radar.top_rvol(20).len();
    }
    println!(
        "radar read over {} symbols (top 20 anomalies, 3 movers lists, rvol): {:.0} µs ({} rows)",
        radar.len(),
        t.elapsed().as_secs_f64() / n as f64 * 1e6,
        rows / n
    );

    // Futures: an open-interest reading per symbol before every bar (its running traded
    // volume, so the readings follow the real data), and a 12 h change look-back so the
    // 12 h of bars cover it; the radar then also ranks open-interest changes.
    let mut oi = vec![1e6; SYMBOLS];
    let mut with_oi = Vec::with_capacity(events.len() * 2);
    for (j, ev) in events.iter().enumerate() {
        if let MarketEvent::Candle(c) = ev {
            let k = j % SYMBOLS;
            let side = if (c.close >= c.open) == k.is_multiple_of(2) {
                1.0
            } else {
                -0.5
            };
            oi[k] += c.volume * side;
            with_oi.push(MarketEvent::OpenInterest {
                symbol: c.symbol.clone(),
                ts_ms: c.open_time,
                value: oi[k].max(0.0),
            });
        }
        with_oi.push(ev.clone());
    }
    let cfg = SeriesConfig {
        change_window_ms: 12 * 3_600_000,
        ..SeriesConfig::default()
    };
    let (best, updates, radar) = measure(&with_oi, cfg);
    let per = |s: f64| s / updates as f64 * 1e9;
    println!(
        "with open interest ({} events): series alone {:.0} ns/update, + radar {:.0} ns/update (the radar adds {:.0} ns/update)",
        with_oi.len(),
        per(best[0]),
        per(best[1]),
        per(best[1]) - per(best[0])
    );
    let t = Instant::now();
    let mut rows = 0;
    for _ in 0..n {
        rows += radar.top_oi_changes(20).len();
    }
    println!(
        "open-interest ranking read over {} symbols (top 20): {:.1} µs ({} rows)",
        radar.len(),
        t.elapsed().as_secs_f64() / n as f64 * 1e6,
        rows / n
    );
}
