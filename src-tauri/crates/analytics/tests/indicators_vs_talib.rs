//! The streaming indicators against TA-Lib's values on real series. The reference values were
//! produced by `fixtures/make_reference.py` (TA-Lib 0.6 via the PyPI `TA-Lib` package; session
//! VWAP, relative volume and volume ratio, which TA-Lib lacks, by plain pandas).

use std::collections::HashMap;
use std::path::PathBuf;
use tw_analytics::indicators::{
    Atr, Bar, Bollinger, Ema, Macd, NewHighLow, RelativeVolume, Rsi, SessionVwap, Sma, VolumeRatio,
};

fn data_dir() -> PathBuf {
    let d = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../../shared/data"
    ));
    // `make test` runs with shared/ beside the clone (as CI has it): absent data fails.
    assert!(
        d.is_dir(),
        "the shared test data is missing: {} (clone with shared/ beside the repository)",
        d.display()
    );
    d
}

/// Reads the first `rows` bars of a Yahoo daily or Binance 1m CSV.
fn read_bars(path: &PathBuf, rows: usize, yahoo: bool) -> Vec<Bar> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .skip(1)
        .take(rows)
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            let num = |i: usize| f[i].parse::<f64>().unwrap();
            if yahoo {
                let d: Vec<i64> = f[0].split('-').map(|x| x.parse().unwrap()).collect();
                Bar {
                    open_time: days_from_civil(d[0], d[1], d[2]) * 86_400_000,
                    open: num(1),
                    high: num(2),
                    low: num(3),
                    close: num(4),
                    volume: num(6),
                }
            } else {
                Bar {
                    open_time: f[0].parse().unwrap(),
                    open: num(1),
                    high: num(2),
                    low: num(3),
                    close: num(4),
                    volume: num(5),
                }
            }
        })
        .collect()
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// row index -> column -> value (absent where the reference has no value yet).
fn read_reference(name: &str) -> Vec<(usize, HashMap<String, f64>)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/").to_string() + name;
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let row = f[0].parse().unwrap();
            let vals = header
                .iter()
                .zip(&f)
                .skip(1)
                .filter(|(_, v)| !v.is_empty())
                .map(|(h, v)| (h.clone(), v.parse().unwrap()))
                .collect();
            (row, vals)
        })
        .collect()
}

/// What the streaming set computes for every bar, by reference column name.
fn stream(bars: &[Bar], interval_ms: i64) -> Vec<HashMap<&'static str, f64>> {
    let mut sma20 = Sma::new(20);
    let mut sma50 = Sma::new(50);
    let mut emas = [
        (9, Ema::new(9)),
        (12, Ema::new(12)),
        (26, Ema::new(26)),
        (50, Ema::new(50)),
    ];
    let mut rsi = Rsi::new(14);
    let mut macd = Macd::new(12, 26, 9);
    let mut bb = Bollinger::new(20, 2.0);
    let mut atr = Atr::new(14);
    let mut hl = NewHighLow::new(20);
    let mut vwap = SessionVwap::new(0);
    let mut ratio = VolumeRatio::new(5);
    let mut rvol = RelativeVolume::new(interval_ms, 10);
    bars.iter()
        .map(|b| {
            let mut m = HashMap::new();
            let mut put = |k: &'static str, v: Option<f64>| {
                if let Some(v) = v {
                    m.insert(k, v);
                }
            };
            // Previewing the bar first must give what pushing it gives.
            let peeked = (
                sma20.peek(b.close),
                rsi.peek(b.close),
                macd.peek(b.close),
                atr.peek(b),
            );
            put("sma20", sma20.push(b.close));
            put("sma50", sma50.push(b.close));
            for (n, e) in emas.iter_mut() {
                let k = match n {
                    9 => "ema9",
                    12 => "ema12",
                    26 => "ema26",
                    _ => "ema50",
                };
                put(k, e.push(b.close));
            }
            put("rsi14", rsi.push(b.close));
            let mv = macd.push(b.close);
            put("macd", mv.map(|x| x.macd));
            put("macd_signal", mv.map(|x| x.signal));
            put("macd_hist", mv.map(|x| x.hist));
            same(peeked.2.map(|x| x.hist), mv.map(|x| x.hist), "macd peek");
            let bv = bb.push(b.close);
            put("bb_upper", bv.map(|x| x.upper));
            put("bb_mid", bv.map(|x| x.mid));
            put("bb_lower", bv.map(|x| x.lower));
            let a = atr.push(b);
            same(peeked.3, a, "atr peek");
            put("atr14", a);
            let prior = hl.prior_extremes();
            hl.push(b);
            put("prior_high20", prior.map(|p| p.0));
            put("prior_low20", prior.map(|p| p.1));
            put("vwap", vwap.push(b));
            put("volume_ratio", ratio.push(b.volume));
            put("rvol", rvol.push(b));
            same(peeked.0, m.get("sma20").copied(), "sma peek");
            same(peeked.1, m.get("rsi14").copied(), "rsi peek");
            m
        })
        .collect()
}

/// Previewing an open bar gives what closing it gives (to rounding).
fn same(a: Option<f64>, b: Option<f64>, what: &str) {
    match (a, b) {
        (Some(x), Some(y)) => assert!(
            (x - y).abs() <= 1e-12 * y.abs().max(1e-9),
            "{what}: {x} vs {y}"
        ),
        (a, b) => assert_eq!(a.is_some(), b.is_some(), "{what}: {a:?} vs {b:?}"),
    }
}

fn compare(fixture: &str, rel: &str, rows: usize, yahoo: bool, interval_ms: i64) {
    let data = data_dir();
    let bars = read_bars(&data.join(rel), rows, yahoo);
    let ours = stream(&bars, interval_ms);
    let mut checked = 0;
    let mut worst = (0.0f64, String::new());
    for (row, want) in read_reference(fixture) {
        for (col, &w) in &want {
            if col == "open_time" {
                assert_eq!(bars[row].open_time as f64, w, "row {row}: bar times differ");
                continue;
            }
            let got = ours[row].get(col.as_str()).copied().unwrap_or_else(|| {
                panic!("{fixture} row {row}: {col} is {w} in the reference, still warming up here")
            });
            let err = (got - w).abs() / w.abs().max(got.abs()).max(1e-12);
            assert!(
                err <= 1e-9,
                "{fixture} row {row} {col}: ours {got}, reference {w} (rel err {err:e})"
            );
            if err > worst.0 {
                worst = (err, format!("{col} row {row}"));
            }
            checked += 1;
        }
        // Where the reference is still empty we must be warming up too (or a value TA-Lib
        // leaves out of its output but we may give, never the other way round).
        for (col, _) in ours[row].iter() {
            if !want.contains_key(*col) && !matches!(*col, "vwap" | "prior_high20" | "prior_low20")
            {
                panic!("{fixture} row {row}: {col} is given before the reference warms up");
            }
        }
    }
    assert!(checked > 1000, "only {checked} values compared");
    println!(
        "{fixture}: {checked} values match; worst relative error {:e} ({})",
        worst.0, worst.1
    );
}

#[test]
fn daily_aapl_matches_talib_and_pandas() {
    compare(
        "aapl_1d.csv",
        "stocks/us_daily_mplfinance/yahoofinance-AAPL-20040819-20180120.csv",
        1500,
        true,
        86_400_000,
    );
}

#[test]
fn minute_algo_futures_match_talib_and_pandas() {
    compare(
        "algo_1m.csv",
        "crypto/binance_um_futures_1m/ALGOUSDT-1m-2025-02.csv",
        8000,
        false,
        60_000,
    );
}
