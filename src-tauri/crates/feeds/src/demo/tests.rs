use super::*;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::mpsc;
use tw_core::{Candle, Interval, ManualClock, MarketEvent, SharedClock, Symbol};

const T0: i64 = 1_767_571_200_000; // 2026-01-05 00:00 UTC

fn cfg(seed: u64) -> DemoConfig {
    DemoConfig {
        seed,
        history_minutes: 0,
        ..DemoConfig::default()
    }
}

#[test]
fn output_depends_on_seed_not_on_how_often_it_is_stepped() {
    let mut a = DemoMarket::new(cfg(1), T0, &HashMap::new());
    let mut b = DemoMarket::new(cfg(1), T0, &HashMap::new());
    let coarse = a.step(T0 + 120_000);
    let mut fine = Vec::new();
    for i in 1..=480 {
        fine.extend(b.step(T0 + i * 250));
    }
    let key = |v: &Vec<tw_core::Trade>| {
        let mut v = v.clone();
        v.sort_by(|x, y| (x.symbol.as_str(), x.ts_ms).cmp(&(y.symbol.as_str(), y.ts_ms)));
        v
    };
    assert_eq!(key(&coarse), key(&fine));
    let mut c = DemoMarket::new(cfg(2), T0, &HashMap::new());
    assert_ne!(key(&coarse), key(&c.step(T0 + 120_000)));
}

#[test]
fn trades_arrive_a_few_per_second_per_instrument_with_sane_prices() {
    let mut m = DemoMarket::new(cfg(3), T0, &HashMap::new());
    let trades = m.step(T0 + 10 * 60_000);
    let per_inst_per_s = trades.len() as f64 / 8.0 / 600.0;
    assert!(
        (1.0..10.0).contains(&per_inst_per_s),
        "{per_inst_per_s} trades/s"
    );
    for t in &trades {
        assert!(t.price > 0.0 && t.qty > 0.0 && t.ts_ms > T0 && t.ts_ms <= T0 + 600_000);
        let start = INSTRUMENTS
            .iter()
            .find(|i| i.code == t.symbol.code())
            .unwrap()
            .start_price;
        assert!(
            (t.price / start - 1.0).abs() < 0.25,
            "{t:?} drifted too far in 10 minutes"
        );
    }
}

fn history(seed: u64, minutes: i64) -> Vec<Candle> {
    let mut m = DemoMarket::new(cfg(seed), T0, &HashMap::new());
    m.backfill_until(T0 + minutes * 60_000)
}

#[test]
fn backfill_gives_closed_contiguous_bars() {
    let bars = history(4, 180);
    let alpha: Vec<_> = bars.iter().filter(|c| c.symbol.code() == "ALPHA").collect();
    assert_eq!(alpha.len(), 180);
    for w in alpha.windows(2) {
        assert_eq!(w[1].open_time - w[0].open_time, 60_000);
    }
    assert!(bars.iter().all(|c| c.closed && c.interval == Interval::M1));
    assert!(bars
        .iter()
        .all(|c| c.low <= c.open.min(c.close) && c.high >= c.open.max(c.close)));
}

#[test]
fn volume_bursts_stand_out_and_volatility_clusters() {
    // Over two simulated days, the busiest minutes of an instrument must be far above its
    // median minute (bursts), and absolute returns must be autocorrelated (clustering).
    let bars = history(5, 2 * 1440);
    let alpha: Vec<_> = bars.iter().filter(|c| c.symbol.code() == "ZETA").collect();
    let mut vols: Vec<f64> = alpha.iter().map(|c| c.volume).collect();
    vols.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = vols[vols.len() / 2];
    let top = vols[vols.len() - 5];
    assert!(top > 4.0 * median, "top {top} vs median {median}");
    let rets: Vec<f64> = alpha
        .windows(2)
        .map(|w| (w[1].close / w[0].close).ln().abs())
        .collect();
    let mean = rets.iter().sum::<f64>() / rets.len() as f64;
    let (mut num, mut den) = (0.0, 0.0);
    for i in 1..rets.len() {
        num += (rets[i] - mean) * (rets[i - 1] - mean);
    }
    for r in &rets {
        den += (r - mean).powi(2);
    }
    let ac1 = num / den;
    assert!(ac1 > 0.05, "lag-1 autocorrelation of |returns| {ac1}");
}

#[test]
fn a_restart_continues_from_the_stored_price() {
    let sym = Symbol::new(SOURCE, "ALPHA");
    let resume = HashMap::from([(sym.clone(), (T0 - 60_000, 200.0))]);
    let mut m = DemoMarket::new(cfg(6), T0, &resume);
    let first = m
        .step(T0 + 5_000)
        .into_iter()
        .find(|t| t.symbol == sym)
        .unwrap();
    assert!((first.price / 200.0 - 1.0).abs() < 0.01, "{first:?}");
}

#[tokio::test]
async fn feed_task_sends_history_then_trades_and_heartbeats() {
    let clock = ManualClock::new(T0 + 30_000);
    let shared: SharedClock = Arc::new(clock.clone());
    let (tx, mut rx) = mpsc::channel(100_000);
    let market = DemoMarket::new(
        DemoConfig {
            seed: 9,
            history_minutes: 30,
            ..DemoConfig::default()
        },
        T0 - 30 * 60_000,
        &HashMap::new(),
    );
    let health = crate::HealthCell::new(SOURCE, true);
    let task = spawn(market, shared, tx, health.clone(), 250);
    clock.settle().await;
    for _ in 0..8 {
        clock.advance(250).await;
    }
    let mut candles = 0;
    let mut trades = 0;
    let mut beats = 0;
    while let Ok(ev) = rx.try_recv() {
        match ev {
            MarketEvent::Backfill(c) => {
                assert_eq!(trades, 0, "history comes first");
                assert!(c.closed && c.open_time < T0);
                candles += 1
            }
            MarketEvent::Trade(t) => {
                assert!(t.ts_ms > T0 && t.ts_ms <= T0 + 32_000);
                trades += 1
            }
            MarketEvent::Heartbeat { .. } => beats += 1,
            other => panic!("the demo sends no {other:?}"),
        }
    }
    assert_eq!(candles, 30 * 8);
    assert!(trades > 8 * 30, "{trades} trades");
    assert_eq!(beats, 9, "one heartbeat at start and one per 250 ms tick");
    assert!(health.snapshot().messages > 0);
    // Lag: the newest trade is from the last tick. Rate: the history burst (240 candles at
    // T0 + 30 s) and the live trades after it are all inside the 10 s window.
    let h = health.snapshot_at(T0 + 32_000);
    assert!(h.lag_ms.is_some_and(|l| (0..=250).contains(&l)), "{h:?}");
    assert!(h.messages_per_sec > 24.0, "{h:?}");
    assert_eq!(health.snapshot_at(T0 + 60_000).messages_per_sec, 0.0);
    drop(rx);
    clock.advance(250).await;
    task.await.unwrap();
}
