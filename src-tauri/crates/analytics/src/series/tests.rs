use super::*;
use tw_core::Trade;

const T0: i64 = 1_767_571_200_000;

fn sym() -> Symbol {
    Symbol::new("demo", "ALPHA")
}
fn trade(ts: i64, price: f64, qty: f64) -> MarketEvent {
    MarketEvent::Trade(Trade {
        symbol: sym(),
        ts_ms: ts,
        price,
        qty,
    })
}
fn bar(i: i64, volume: f64) -> MarketEvent {
    MarketEvent::Backfill(Candle {
        symbol: sym(),
        interval: Interval::M1,
        open_time: T0 + i * 60_000,
        open: 100.0,
        high: 101.0,
        low: 99.0,
        close: 100.5,
        volume,
        quote_volume: volume * 100.0,
        trades: 10,
        closed: true,
    })
}
/// The 1m updates of a run (the coarser rolled-up ones are tested on their own).
fn run(book: &mut SeriesBook, evs: &[MarketEvent]) -> Vec<SeriesUpdate> {
    run_all(book, evs)
        .into_iter()
        .filter(|u| u.interval == Interval::M1)
        .collect()
}
fn run_all(book: &mut SeriesBook, evs: &[MarketEvent]) -> Vec<SeriesUpdate> {
    let mut out = Vec::new();
    for e in evs {
        book.on_event(e, &mut out);
    }
    out
}

#[test]
fn trades_build_a_bar_that_closes_on_the_next_minute_or_a_heartbeat() {
    let mut book = SeriesBook::new(SeriesConfig::default());
    let out = run(
        &mut book,
        &[
            trade(T0 + 1_000, 10.0, 1.0),
            trade(T0 + 2_000, 12.0, 2.0),
            trade(T0 + 3_000, 9.0, 1.0),
        ],
    );
    let last = &out.last().unwrap().bar;
    assert_eq!(
        (
            last.open,
            last.high,
            last.low,
            last.close,
            last.volume,
            last.trades
        ),
        (10.0, 12.0, 9.0, 9.0, 4.0, 3)
    );
    assert!(!last.closed);
    let out = run(&mut book, &[trade(T0 + 61_000, 11.0, 1.0)]);
    assert_eq!(out.len(), 2);
    assert!(out[0].bar.closed && out[0].bar.open_time == T0);
    assert_eq!(out[1].bar.open_time, T0 + 60_000);
    let hb = MarketEvent::Heartbeat {
        source: "demo".into(),
        at_ms: T0 + 120_000,
    };
    let out = run(&mut book, &[hb]);
    assert_eq!(out.len(), 1);
    assert!(out[0].bar.closed && out[0].bar.open_time == T0 + 60_000);
    // A late print for a bar that is already final changes nothing.
    assert!(run(&mut book, &[trade(T0 + 100_000, 50.0, 9.0)]).is_empty());
}

#[test]
fn volume_z_warms_up_then_flags_a_burst() {
    let mut book = SeriesBook::new(SeriesConfig::default());
    let history: Vec<_> = (0..19)
        .map(|i| bar(i, 100.0 + (i % 5) as f64 * 10.0))
        .collect();
    let out = run(&mut book, &history);
    assert!(out.iter().all(|u| !u.live && u.prev.is_none()));
    assert!(
        out.iter()
            .all(|u| u.metrics.get(MetricKey::VolumeZ).is_none()),
        "19 bars are not warm"
    );
    let out = run(
        &mut book,
        &[
            bar(19, 120.0),
            trade(T0 + 20 * 60_000 + 500, 100.0, 2_000.0),
        ],
    );
    let z = out
        .last()
        .unwrap()
        .metrics
        .get(MetricKey::VolumeZ)
        .expect("warm after 20 bars");
    assert!(z > 10.0, "a 15x volume minute is {z} sigma");
    assert!(out.last().unwrap().live);
}

#[test]
fn change_pct_is_against_the_open_24h_ago() {
    let cfg = SeriesConfig {
        change_window_ms: 10 * 60_000,
        ..SeriesConfig::default()
    };
    let mut book = SeriesBook::new(cfg);
    run(
        &mut book,
        &(0..30).map(|i| bar(i, 100.0)).collect::<Vec<_>>(),
    );
    let out = run(&mut book, &[trade(T0 + 30 * 60_000 + 1, 110.0, 1.0)]);
    let pct = out[0].metrics.get(MetricKey::ChangePct).unwrap();
    assert!((pct - 10.0).abs() < 1e-9, "{pct}");
}

#[test]
fn a_reconnect_breaks_crossing_history_and_skips_the_torn_bar() {
    let mut book = SeriesBook::new(SeriesConfig::default());
    run(
        &mut book,
        &(0..30)
            .map(|i| bar(i, 100.0 + (i % 3) as f64))
            .collect::<Vec<_>>(),
    );
    let t = T0 + 30 * 60_000;
    let out = run(
        &mut book,
        &[trade(t + 1, 100.0, 1.0), trade(t + 2, 100.0, 1.0)],
    );
    assert!(out[1].prev.is_some());
    let gap = MarketEvent::Reconnecting {
        source: "demo".into(),
        at_ms: t + 3,
    };
    let out = run(&mut book, &[gap, trade(t + 4, 100.0, 1.0)]);
    assert!(out[0].prev.is_none(), "no crossing across a gap");
    assert!(
        out[0].metrics.get(MetricKey::VolumeZ).is_none(),
        "a torn bar is not scored"
    );
    let out = run(&mut book, &[trade(t + 60_000, 100.0, 1.0)]);
    assert!(
        out[1].metrics.get(MetricKey::VolumeZ).is_some(),
        "the next bar is scored again"
    );
}

fn m1(i: i64, o: f64, h: f64, l: f64, c: f64, v: f64, live: bool) -> MarketEvent {
    let candle = Candle {
        symbol: sym(),
        interval: Interval::M1,
        open_time: T0 + i * 60_000,
        open: o,
        high: h,
        low: l,
        close: c,
        volume: v,
        quote_volume: v * c,
        trades: 1,
        closed: true,
    };
    if live {
        MarketEvent::Candle(candle)
    } else {
        MarketEvent::Backfill(candle)
    }
}

#[test]
fn minute_bars_roll_up_into_every_coarser_interval_with_partial_then_closed_states() {
    let mut book = SeriesBook::new(SeriesConfig::default());
    // 0..=6: the 5m bar [0, 5) closes with minute 4; minutes 5 and 6 leave [5, 10) partial.
    let evs: Vec<_> = (0..7)
        .map(|i| {
            let p = 100.0 + i as f64;
            m1(i, p, p + 2.0, p - 1.0, p + 0.5, 10.0 + i as f64, true)
        })
        .collect();
    let out = run_all(&mut book, &evs);
    let m5: Vec<_> = out.iter().filter(|u| u.interval == Interval::M5).collect();
    let closed: Vec<_> = m5.iter().filter(|u| u.bar.closed).collect();
    assert_eq!(closed.len(), 1, "one 5m bar is complete");
    let b = &closed[0].bar;
    assert_eq!(b.open_time, T0);
    assert_eq!(
        (b.open, b.high, b.low, b.close),
        (100.0, 106.0, 99.0, 104.5)
    );
    assert_eq!(b.volume, 10.0 + 11.0 + 12.0 + 13.0 + 14.0);
    assert_eq!(b.trades, 5);
    let last = m5.last().unwrap();
    assert!(!last.bar.closed, "minutes 5 and 6 make a partial 5m bar");
    assert_eq!(last.bar.open_time, T0 + 5 * 60_000);
    assert_eq!(last.bar.volume, 15.0 + 16.0);
    for i in [Interval::M15, Interval::H1, Interval::H4, Interval::D1] {
        let u = out
            .iter()
            .rfind(|u| u.interval == i)
            .expect("every interval gets updates");
        assert!(!u.bar.closed);
        assert_eq!(u.bar.open, 100.0);
        assert_eq!(u.bar.volume, (10..17).sum::<i64>() as f64);
    }
    // Every 1m update is followed by the coarser ones it rolls into.
    assert_eq!(out.len(), 7 * 6);
}

#[test]
fn a_heartbeat_closes_a_rolled_up_bar_whose_last_minute_never_came() {
    let mut book = SeriesBook::new(SeriesConfig {
        intervals: vec![Interval::M1, Interval::M5],
        ..SeriesConfig::default()
    });
    run_all(
        &mut book,
        &[
            m1(0, 1.0, 1.0, 1.0, 1.0, 1.0, true),
            m1(1, 1.0, 1.0, 1.0, 2.0, 1.0, true),
        ],
    );
    let hb = MarketEvent::Heartbeat {
        source: "demo".into(),
        at_ms: T0 + 5 * 60_000,
    };
    let out = run_all(&mut book, &[hb]);
    assert_eq!(out.len(), 1);
    assert!(out[0].bar.closed && out[0].interval == Interval::M5);
    assert_eq!((out[0].bar.close, out[0].bar.volume), (2.0, 2.0));
}

#[test]
fn a_sources_own_coarser_candles_win_and_daily_only_sources_feed_1d_directly() {
    let mut book = SeriesBook::new(SeriesConfig::default());
    let own_hour = MarketEvent::Candle(Candle {
        symbol: sym(),
        interval: Interval::H1,
        open_time: T0,
        open: 50.0,
        high: 60.0,
        low: 40.0,
        close: 55.0,
        volume: 1234.0,
        quote_volume: 0.0,
        trades: 7,
        closed: false,
    });
    let out = run_all(
        &mut book,
        &[
            m1(0, 1.0, 1.0, 1.0, 1.0, 1.0, true),
            own_hour,
            m1(1, 1.0, 1.0, 1.0, 1.0, 1.0, true),
        ],
    );
    let hours: Vec<_> = out.iter().filter(|u| u.interval == Interval::H1).collect();
    // Before the source's own hour bar came, the minute rolled up; after, only the source's.
    assert_eq!(hours.len(), 2);
    assert_eq!(hours[1].bar.volume, 1234.0);
    assert!(out.iter().filter(|u| u.interval == Interval::M5).count() == 2);

    let mut book = SeriesBook::new(SeriesConfig::default());
    let day = |d: i64| {
        MarketEvent::Backfill(Candle {
            symbol: Symbol::new("yahoo", "AAPL"),
            interval: Interval::D1,
            open_time: T0 + d * 86_400_000,
            open: 10.0,
            high: 11.0,
            low: 9.0,
            close: 10.5,
            volume: 100.0,
            quote_volume: 0.0,
            trades: 0,
            closed: true,
        })
    };
    let out = run_all(&mut book, &(0..30).map(day).collect::<Vec<_>>());
    assert_eq!(out.len(), 30);
    assert!(out
        .iter()
        .all(|u| u.interval == Interval::D1 && u.bar.closed && !u.live));
    let last = &out[29].metrics;
    assert_eq!(last.get(MetricKey::Sma(20)), Some(10.5));
    assert!(last.get(MetricKey::Rsi).is_some() && last.get(MetricKey::Atr).is_some());
}

#[test]
fn fundamentals_and_open_interest_become_metrics_of_the_symbols_updates() {
    use tw_core::Fundamentals;
    const DAY: i64 = 86_400_000;
    let stock = Symbol::new("tushare", "600519.SH");
    let day = |i: i64, close: f64| {
        MarketEvent::Candle(Candle {
            symbol: stock.clone(),
            interval: Interval::D1,
            open_time: 20_000 * DAY + i * DAY,
            open: close,
            high: close,
            low: close,
            close,
            volume: 1e6,
            quote_volume: 1e9,
            trades: 0,
            closed: true,
        })
    };
    let mut book = SeriesBook::new(SeriesConfig::default());
    let before = run_all(&mut book, &[day(0, 1500.0)]);
    assert_eq!(before[0].metrics.get(MetricKey::Pe), None);
    let facts = |i: i64, values: &[(&str, f64)]| {
        MarketEvent::Fundamentals(Fundamentals {
            symbol: stock.clone(),
            day_ms: 20_000 * DAY + i * DAY,
            values: values.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            backfill: false,
        })
    };
    let ups = run_all(
        &mut book,
        &[
            facts(
                1,
                &[
                    ("turnover_rate", 0.35),
                    ("volume_ratio", 1.8),
                    ("pe", 27.1),
                    ("pb", 8.4),
                ],
            ),
            facts(1, &[("main_net_inflow", 3.2e8)]),
            day(1, 1510.0),
        ],
    );
    let m = &ups.last().unwrap().metrics;
    assert_eq!(m.get(MetricKey::TurnoverRate), Some(0.35));
    assert_eq!(m.get(MetricKey::Pe), Some(27.1));
    assert_eq!(m.get(MetricKey::Pb), Some(8.4));
    assert_eq!(m.get(MetricKey::NetInflow), Some(3.2e8));
    assert_eq!(
        m.get(MetricKey::VolumeRatio),
        Some(1.8),
        "the source's own 量比 wins on its day"
    );

    // Open interest of a futures contract, 1m bars from trades.
    let perp = Symbol::new("binance-usdm", "BTCUSDT");
    let oi = |t: i64, value: f64| MarketEvent::OpenInterest {
        symbol: perp.clone(),
        ts_ms: t,
        value,
    };
    let print = |t: i64| {
        MarketEvent::Trade(Trade {
            symbol: perp.clone(),
            ts_ms: t,
            price: 90_000.0,
            qty: 1.0,
        })
    };
    let ups = run(
        &mut book,
        &[
            oi(T0, 80_000.0),
            print(T0 + 1),
            oi(T0 + 13 * 3_600_000, 100_000.0),
            print(T0 + 13 * 3_600_000 + 1),
        ],
    );
    assert_eq!(ups[0].metrics.get(MetricKey::OpenInterest), Some(80_000.0));
    assert_eq!(
        ups[0].metrics.get(MetricKey::OiChangePct),
        None,
        "no change before half the look-back is covered"
    );
    let last = &ups.last().unwrap().metrics;
    assert_eq!(last.get(MetricKey::OpenInterest), Some(100_000.0));
    assert!((last.get(MetricKey::OiChangePct).unwrap() - 25.0).abs() < 1e-9);
}
