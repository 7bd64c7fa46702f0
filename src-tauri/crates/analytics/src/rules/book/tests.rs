use super::*;
use crate::metric::Metrics;
use crate::rules::compile;
use tw_core::rule::RuleSpec;
use tw_core::{Candle, Interval, Level};

const T0: i64 = 1_767_571_200_000;

fn rule(id: i64, json_extra: &str) -> CompiledRule {
    let json = format!(
        r#"{{"name":"rule {id}","target":{{"symbols":["demo:ALPHA"]}},"interval":"1m","level":"high",
            "when":{{"metric":"price","op":"gt","value":100}}{json_extra}}}"#
    );
    compile(id, &RuleSpec::from_json(&json).unwrap(), None).unwrap()
}

fn upd(sym: &str, at: i64, price: f64, closed: bool) -> SeriesUpdate {
    let symbol = Symbol::parse(sym).unwrap();
    let mut metrics = Metrics::default();
    metrics.set(MetricKey::Price, Some(price));
    SeriesUpdate {
        bar: Candle {
            symbol: symbol.clone(),
            interval: Interval::M1,
            open_time: Interval::M1.floor(if closed { at - 1 } else { at }),
            open: price,
            high: price,
            low: price,
            close: price,
            volume: 1.0,
            quote_volume: price,
            trades: 1,
            closed,
        },
        symbol,
        interval: Interval::M1,
        at_ms: at,
        live: true,
        metrics,
        prev: None,
    }
}

fn book(rules: Vec<CompiledRule>) -> RuleBook {
    let mut b = RuleBook::new();
    b.load(rules, &WatchlistMap::new());
    b
}

/// Feeds one update per `step_ms` for `minutes`, all above the threshold; returns fire times.
fn fire_times(b: &mut RuleBook, minutes: i64, step_ms: i64) -> Vec<i64> {
    let mut out = Vec::new();
    let mut t = T0 + 1;
    while t < T0 + minutes * 60_000 {
        for f in b.on_update(&upd("demo:ALPHA", t, 101.0, false), t) {
            out.push(f.alert.fired_at);
        }
        t += step_ms;
    }
    out
}

#[test]
fn once_per_bar_fires_once_in_each_bar() {
    let mut b = book(vec![rule(1, "")]);
    let times = fire_times(&mut b, 5, 5_000);
    assert_eq!(times.len(), 5);
    for (i, t) in times.iter().enumerate() {
        assert_eq!(Interval::M1.floor(*t), T0 + i as i64 * 60_000);
    }
}

#[test]
fn cooldown_spaces_alerts_across_bars() {
    let mut b = book(vec![rule(
        1,
        r#","frequency":{"mode":"once_per_bar","cooldown_s":150}"#,
    )]);
    let times = fire_times(&mut b, 10, 5_000);
    assert!(
        times.windows(2).all(|w| w[1] - w[0] >= 150_000),
        "{times:?}"
    );
    assert_eq!(times.len(), 4, "{times:?}");
    let mut b = book(vec![rule(
        1,
        r#","frequency":{"mode":"every_time","cooldown_s":20}"#,
    )]);
    assert_eq!(
        fire_times(&mut b, 1, 5_000).len(),
        3,
        "every 20 s within one minute"
    );
}

#[test]
fn once_fires_a_single_time_and_asks_to_disable_the_rule() {
    let mut b = book(vec![rule(
        1,
        r#","frequency":{"mode":"once","cooldown_s":0}"#,
    )]);
    let f = b.on_update(&upd("demo:ALPHA", T0 + 1, 101.0, false), T0 + 1);
    assert!(f.len() == 1 && f[0].disable_rule);
    assert_eq!(fire_times(&mut b, 5, 1_000).len(), 0);
}

#[test]
fn once_per_bar_close_waits_for_the_closed_bar() {
    let mut b = book(vec![rule(
        1,
        r#","frequency":{"mode":"once_per_bar_close","cooldown_s":0}"#,
    )]);
    assert_eq!(
        fire_times(&mut b, 3, 5_000).len(),
        0,
        "live bars never fire"
    );
    let close = upd("demo:ALPHA", T0 + 60_000, 101.0, true);
    assert_eq!(b.on_update(&close, T0 + 60_000).len(), 1);
    assert_eq!(
        b.on_update(&close, T0 + 60_000).len(),
        0,
        "the same close only once"
    );
}

#[test]
fn stale_backfilled_expired_or_unwatched_data_never_fires() {
    let mut b = book(vec![
        rule(1, ""),
        rule(2, &format!(r#","expires_at":{}"#, T0 + 30_000)),
    ]);
    let u = upd("demo:ALPHA", T0 + 1, 101.0, false);
    assert_eq!(
        b.on_update(&u, T0 + 1 + 61_000).len(),
        0,
        "data older than the interval"
    );
    let mut hist = u.clone();
    hist.live = false;
    assert_eq!(b.on_update(&hist, T0 + 1).len(), 0, "history is not news");
    assert_eq!(
        b.on_update(&upd("demo:BETA", T0 + 1, 101.0, false), T0 + 1)
            .len(),
        0
    );
    let fired: Vec<_> = b
        .on_update(&u, T0 + 1)
        .into_iter()
        .map(|f| f.alert.rule_id)
        .collect();
    assert_eq!(fired, vec![1, 2]);
    let later = upd("demo:ALPHA", T0 + 61_000, 101.0, false);
    let fired: Vec<_> = b
        .on_update(&later, T0 + 61_000)
        .into_iter()
        .map(|f| f.alert.rule_id)
        .collect();
    assert_eq!(fired, vec![1], "rule 2 expired");
}

#[test]
fn watchlist_and_source_targets_and_disabled_rules() {
    let wl = r#"{"name":"wl","target":{"watchlist":"main"},"interval":"1m","when":{"metric":"price","op":"gt","value":100}}"#;
    let src = r#"{"name":"all demo","target":{"source":"demo"},"interval":"1m","when":{"metric":"price","op":"gt","value":100}}"#;
    let off = r#"{"name":"off","target":{"source":"demo"},"interval":"1m","enabled":false,"when":{"metric":"price","op":"gt","value":100}}"#;
    let rules = [wl, src, off]
        .iter()
        .enumerate()
        .map(|(i, j)| compile(i as i64 + 1, &RuleSpec::from_json(j).unwrap(), None).unwrap())
        .collect();
    let mut b = RuleBook::new();
    let lists = WatchlistMap::from([(
        "main".to_string(),
        vec![Symbol::parse("demo:GAMMA").unwrap()],
    )]);
    b.load(rules, &lists);
    assert_eq!(b.len(), 2);
    let ids = |b: &mut RuleBook, s: &str| -> Vec<i64> {
        b.on_update(&upd(s, T0 + 1, 101.0, false), T0 + 1)
            .into_iter()
            .map(|f| f.alert.rule_id)
            .collect()
    };
    assert_eq!(ids(&mut b, "demo:GAMMA"), vec![1, 2]);
    assert_eq!(ids(&mut b, "demo:ZETA"), vec![2]);
    assert_eq!(ids(&mut b, "binance-spot:ETHUSDT"), Vec::<i64>::new());
}

#[test]
fn the_alert_carries_level_message_and_metrics() {
    let mut b = book(vec![rule(
        1,
        r#","message":"{symbol} at {price}: {reasons}""#,
    )]);
    let f = b.on_update(&upd("demo:ALPHA", T0 + 1, 101.5, false), T0 + 1);
    let a = &f[0].alert;
    assert_eq!(a.level, Level::High);
    assert_eq!(a.message, "demo:ALPHA at 101.50: price 101.50 > 100");
    assert_eq!(a.metrics.get("price"), Some(&101.5));
    assert_eq!((a.rule_name.as_str(), a.bar_time), ("rule 1", T0));
}
