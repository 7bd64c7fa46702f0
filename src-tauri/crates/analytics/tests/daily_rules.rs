//! Rules on a daily-only source's figures (Tushare: `turnover_rate`, `volume_ratio`, `pe`,
//! `net_inflow`) through the same series and rule code as live: history synced at start is
//! never alerted on; the new day's data fires once when it arrives after the close; a day
//! that arrives more than a day after its bar ended is stale and stays quiet.

use std::collections::HashMap;
use tw_analytics::rules::{compile, RuleBook};
use tw_analytics::{SeriesBook, SeriesConfig, SeriesUpdate};
use tw_core::rule::RuleSpec;
use tw_core::{Candle, Fundamentals, Interval, MarketEvent, Symbol};

const DAY: i64 = 86_400_000;
/// 2018-07-16 00:00 UTC: the open time of that trading day's 1d bar.
const MON: i64 = 1_531_699_200_000;
/// 16:15 China time (08:15 UTC), when the sync picks up the day's data.
const AFTER_CLOSE: i64 = 8 * 3_600_000 + 15 * 60_000;

fn stock() -> Symbol {
    Symbol::new("tushare", "000001.SZ")
}

fn day(open_time: i64, close: f64, backfill: bool) -> Vec<MarketEvent> {
    let facts = MarketEvent::Fundamentals(Fundamentals {
        symbol: stock(),
        day_ms: open_time,
        values: vec![
            ("turnover_rate".into(), if backfill { 0.9 } else { 2.5 }),
            ("volume_ratio".into(), 1.4),
        ],
        backfill,
    });
    let c = Candle {
        symbol: stock(),
        interval: Interval::D1,
        open_time,
        open: close,
        high: close,
        low: close,
        close,
        volume: 1e7,
        quote_volume: 1e8,
        trades: 0,
        closed: true,
    };
    vec![
        facts,
        if backfill {
            MarketEvent::Backfill(c)
        } else {
            MarketEvent::Candle(c)
        },
    ]
}

fn rules() -> RuleBook {
    let spec = RuleSpec::from_json(
        r#"{"name":"turnover","target":{"source":"tushare"},"interval":"1d","level":"high",
            "when":{"all":[{"metric":"turnover_rate","op":"gt","value":2},
                           {"metric":"volume_ratio","op":"ge","value":1.2}]},
            "frequency":{"mode":"once_per_bar","cooldown_s":0}}"#,
    )
    .unwrap();
    let mut book = RuleBook::new();
    book.load(vec![compile(1, &spec, None).unwrap()], &HashMap::new());
    book
}

fn feed(series: &mut SeriesBook, book: &mut RuleBook, evs: &[MarketEvent], now: i64) -> usize {
    let mut ups: Vec<SeriesUpdate> = Vec::new();
    for e in evs {
        series.on_event(e, &mut ups);
    }
    ups.iter().map(|u| book.on_update(u, now).len()).sum()
}

#[test]
fn a_daily_rule_fires_on_the_new_days_data_and_never_on_history() {
    let mut series = SeriesBook::new(SeriesConfig::default());
    let mut book = rules();
    // Twenty days of synced history (turnover 0.9 %, and even a day above the threshold
    // would not count: history is never alerted on).
    let mut history = Vec::new();
    for i in (1..=20).rev() {
        history.extend(day(MON - i * DAY, 10.0 + i as f64 * 0.01, true));
    }
    let mut loud = day(MON - DAY, 10.0, true);
    if let MarketEvent::Fundamentals(f) = &mut loud[0] {
        f.values[0].1 = 9.9;
    }
    history.extend(loud);
    assert_eq!(feed(&mut series, &mut book, &history, MON + AFTER_CLOSE), 0);

    // Monday's data after the close: turnover 2.5 %, 量比 1.4 → one alert.
    let fired = feed(
        &mut series,
        &mut book,
        &day(MON, 10.5, false),
        MON + AFTER_CLOSE,
    );
    assert_eq!(fired, 1);
    // The same day reported again (a re-sync) does not fire twice.
    assert_eq!(
        feed(
            &mut series,
            &mut book,
            &day(MON, 10.5, false),
            MON + AFTER_CLOSE + 60_000
        ),
        0
    );
    // Tuesday's data, but only picked up on Thursday (the app was off): more than a day past
    // the bar's end, so stale and quiet.
    let tue = MON + DAY;
    assert_eq!(
        feed(
            &mut series,
            &mut book,
            &day(tue, 10.6, false),
            tue + 2 * DAY + AFTER_CLOSE
        ),
        0
    );
    // Wednesday's, on time: fires again.
    let wed = MON + 2 * DAY;
    assert_eq!(
        feed(
            &mut series,
            &mut book,
            &day(wed, 10.7, false),
            wed + AFTER_CLOSE
        ),
        1
    );
}
