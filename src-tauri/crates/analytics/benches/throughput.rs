//! Throughput and memory of the full series stage (candles, every indicator, the detector)
//! on a real month of 1-minute futures bars, and the same file through a plain pandas rolling
//! z-score in the same run for comparison.
//!
//! `cargo bench -p tw-analytics --bench throughput` (release build; a harness that prints
//! figures, not criterion). Set `TW_PYTHON` to a Python with pandas for the comparison.

use std::path::PathBuf;
use std::time::Instant;
use tw_analytics::{SeriesBook, SeriesConfig};
use tw_core::{Candle, Interval, MarketEvent, Symbol, Trade};

const FILE: &str = "crypto/binance_um_futures_1m/ALGOUSDT-1m-2025-02.csv";

fn main() {
    let data = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../../shared/data"
    ));
    if !data.is_dir() {
        println!("SKIPPED: shared data folder {} is absent", data.display());
        return;
    }
    let path = data.join(FILE);
    let bars = tw_feeds::replay::load(&path).unwrap().candles;
    let sym = Symbol::new("binance-usdm", "ALGOUSDT");
    let events: Vec<MarketEvent> = bars
        .iter()
        .map(|b| {
            MarketEvent::Candle(Candle {
                symbol: sym.clone(),
                interval: Interval::M1,
                open_time: b.open_time,
                open: b.open,
                high: b.high,
                low: b.low,
                close: b.close,
                volume: b.volume,
                quote_volume: b.volume * b.close,
                trades: 0,
                closed: true,
            })
        })
        .collect();
    println!("input: {} 1m bars of {FILE}", bars.len());

    for (label, intervals) in [
        ("1m only", vec![Interval::M1]),
        ("1m + rolled-up 5m 15m 1h 4h 1d", Interval::ALL.to_vec()),
    ] {
        let mut best = f64::MAX;
        let mut updates = 0;
        for _ in 0..5 {
            let mut book = SeriesBook::new(SeriesConfig {
                intervals: intervals.clone(),
                ..SeriesConfig::default()
            });
            let mut out = Vec::with_capacity(16);
            updates = 0;
            let t = Instant::now();
            for ev in &events {
                out.clear();
                book.on_event(ev, &mut out);
                updates += out.len();
            }
            best = best.min(t.elapsed().as_secs_f64());
            if intervals.len() == 6 {
                for i in Interval::ALL {
                    if let Some(b) = book.memory_bytes(&sym, i) {
                        print_mem_once(i, b);
                    }
                }
            }
        }
        println!(
            "series stage, {label}: {:.0} bars/s, {:.0} series updates/s ({updates} updates, best of 5: {:.1} ms)",
            events.len() as f64 / best,
            updates as f64 / best,
            best * 1000.0
        );
    }

    // Live path: trades building the 1m bar, every trade a partial-bar update of all six
    // intervals (indicators and detector previewed, not filed).
    let trades: Vec<MarketEvent> = bars
        .iter()
        .take(10_000)
        .flat_map(|b| {
            let s = sym.clone();
            [
                (0, b.open),
                (15_000, b.high),
                (30_000, b.low),
                (45_000, b.close),
            ]
            .into_iter()
            .map(move |(dt, p)| {
                MarketEvent::Trade(Trade {
                    symbol: s.clone(),
                    ts_ms: b.open_time + dt,
                    price: p,
                    qty: b.volume / 4.0,
                })
            })
        })
        .collect();
    let mut best = f64::MAX;
    let mut updates = 0;
    for _ in 0..3 {
        let mut book = SeriesBook::new(SeriesConfig::default());
        let mut out = Vec::with_capacity(16);
        updates = 0;
        let t = Instant::now();
        for ev in &trades {
            out.clear();
            book.on_event(ev, &mut out);
            updates += out.len();
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "series stage from trades (6 intervals): {:.0} trades/s, {:.0} series updates/s",
        trades.len() as f64 / best,
        updates as f64 / best
    );

    let py = std::env::var("TW_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/pandas_zscore.py");
    match std::process::Command::new(&py)
        .arg(script)
        .arg(&path)
        .output()
    {
        Ok(o) if o.status.success() => print!("{}", String::from_utf8_lossy(&o.stdout)),
        Ok(o) => println!(
            "pandas comparison not run ({py}): {}",
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .last()
                .unwrap_or("")
        ),
        Err(e) => println!("pandas comparison not run ({py}): {e}"),
    }
}

fn print_mem_once(i: Interval, bytes: usize) {
    use std::sync::Mutex;
    static SEEN: Mutex<Vec<Interval>> = Mutex::new(Vec::new());
    let mut seen = SEEN.lock().unwrap();
    if !seen.contains(&i) {
        seen.push(i);
        println!(
            "memory of one series after the month, {i}: {:.1} KiB",
            bytes as f64 / 1024.0
        );
    }
}
