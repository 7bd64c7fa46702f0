//! Rule evaluation at scale: 1,000 symbols, 50 rules that each watch all of them (25 on the
//! whole source, 25 on a 1,000-symbol watchlist), a mix of every operator family. Prints
//! evaluations per second and the latency of one update, from `on_update` to the fired
//! alerts being handed back (what the engine then sends to the alert stage).
//!
//! `cargo bench -p tw-analytics --bench rules`

use std::hint::black_box;
use std::time::Instant;
use tw_analytics::rules::{compile, RuleBook, WatchlistMap};
use tw_analytics::{MetricKey, Metrics, SeriesUpdate};
use tw_core::rule::RuleSpec;
use tw_core::{Candle, Interval, Symbol};

const SYMBOLS: usize = 1_000;
const RULES: usize = 50;
const UPDATES_PER_SYMBOL: usize = 120;
const T0: i64 = 1_767_571_200_000;

fn condition(i: usize) -> String {
    let t = 100.0 + (i % 7) as f64;
    match i % 6 {
        0 => format!(r#"{{"metric":"price","op":"gt","value":{t}}}"#),
        1 => format!(r#"{{"metric":"price","op":"crosses_up","value":{t}}}"#),
        2 => format!(
            r#"{{"metric":"price","op":"exiting_channel","lower":{},"upper":{t}}}"#,
            t - 5.0
        ),
        3 => r#"{"metric":"price","op":"moving_up_pct","value":2,"bars":10}"#.to_string(),
        4 => format!(
            r#"{{"all":[{{"metric":"volume_z","op":"gt","value":2}},{{"any":[{{"metric":"change_pct","op":"gt","value":3}},{{"metric":"price","op":"crosses_down","value":{t}}}]}}]}}"#
        ),
        _ => r#"{"metric":"volume","op":"gt","value":{"metric":"quote_volume"}}"#.to_string(),
    }
}

fn main() {
    let symbols: Vec<Symbol> = (0..SYMBOLS)
        .map(|i| Symbol::new("bench", &format!("S{i:04}")))
        .collect();
    let rules = (0..RULES)
        .map(|i| {
            let target = if i % 2 == 0 {
                r#"{"source":"bench"}"#
            } else {
                r#"{"watchlist":"all"}"#
            };
            let json = format!(
                r#"{{"name":"rule {i}","target":{target},"interval":"1m","when":{},
                    "frequency":{{"mode":"every_time","cooldown_s":30}}}}"#,
                condition(i)
            );
            compile(i as i64 + 1, &RuleSpec::from_json(&json).unwrap(), None).unwrap()
        })
        .collect();
    let mut book = RuleBook::new();
    book.load(
        rules,
        &WatchlistMap::from([("all".to_string(), symbols.clone())]),
    );

    // A deterministic random walk per symbol; a bar closes every 10 updates.
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    };
    let mut prices = vec![100.0; SYMBOLS];
    let mut prev: Vec<Option<Metrics>> = vec![None; SYMBOLS];
    let mut latencies = Vec::with_capacity(SYMBOLS * UPDATES_PER_SYMBOL);
    let mut fired = 0usize;
    let start = Instant::now();
    for step in 0..UPDATES_PER_SYMBOL {
        let at = T0 + step as i64 * 6_000 + 1;
        let closed = step % 10 == 9;
        for (i, sym) in symbols.iter().enumerate() {
            prices[i] *= 1.0 + rnd() * 0.01;
            let p = prices[i];
            let mut m = Metrics::default();
            m.set(MetricKey::Price, Some(p));
            m.set(MetricKey::Volume, Some(1_000.0 * (1.0 + rnd())));
            m.set(MetricKey::QuoteVolume, Some(1_000.0 * p));
            m.set(MetricKey::ChangePct, Some((p / 100.0 - 1.0) * 100.0));
            m.set(MetricKey::VolumeZ, Some(rnd() * 6.0));
            let upd = SeriesUpdate {
                symbol: sym.clone(),
                interval: Interval::M1,
                bar: Candle {
                    symbol: sym.clone(),
                    interval: Interval::M1,
                    open_time: Interval::M1.floor(at),
                    open: p,
                    high: p,
                    low: p,
                    close: p,
                    volume: 1.0,
                    quote_volume: p,
                    trades: 1,
                    closed,
                },
                at_ms: at,
                live: true,
                metrics: m,
                prev: prev[i],
            };
            let t = Instant::now();
            let out = book.on_update(black_box(&upd), at);
            latencies.push(t.elapsed().as_nanos() as u64);
            fired += out.len();
            prev[i] = Some(m);
        }
    }
    let total = start.elapsed();
    latencies.sort_unstable();
    let q = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let evals = book.evaluations();
    println!(
        "rules bench: {SYMBOLS} symbols × {RULES} rules, {} updates, {evals} evaluations, {fired} alerts fired",
        latencies.len()
    );
    println!(
        "  evaluations/s: {:.0}   updates/s: {:.0}",
        evals as f64 / total.as_secs_f64(),
        latencies.len() as f64 / total.as_secs_f64()
    );
    println!(
        "  latency per update (update → fired alerts): p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
        q(0.50) as f64 / 1e3,
        q(0.99) as f64 / 1e3,
        *latencies.last().unwrap() as f64 / 1e3
    );
}
