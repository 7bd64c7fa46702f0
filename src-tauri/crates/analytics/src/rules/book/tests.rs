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

fn spec_rule(id: i64, json: &str) -> CompiledRule {
    compile(id, &RuleSpec::from_json(json).unwrap(), None).unwrap()
}

/// A live update at `at` with the previous sample set (no gap).
fn tick(at: i64, price: f64, closed: bool, prev: f64) -> SeriesUpdate {
    let mut u = upd("demo:ALPHA", at, price, closed);
    let mut p = Metrics::default();
    p.set(MetricKey::Price, Some(prev));
    u.prev = Some(p);
    u
}

#[test]
fn hysteresis_rearms_only_after_the_condition_was_false() {
    let mut b = book(vec![rule(
        1,
        r#","frequency":{"mode":"every_time","cooldown_s":0,"rearm":true}"#,
    )]);
    let mut fired = Vec::new();
    for (i, price) in [101.0, 102.0, 103.0, 99.0, 101.0, 101.5].iter().enumerate() {
        let at = T0 + 1 + i as i64 * 1_000;
        if !b.on_update(&tick(at, *price, false, 100.0), at).is_empty() {
            fired.push(*price);
        }
    }
    assert_eq!(
        fired,
        vec![101.0, 101.0],
        "fires, holds quiet while true, re-arms on 99"
    );
}

#[test]
fn a_pending_period_needs_the_condition_to_hold_over_bars() {
    let mut b = book(vec![rule(
        1,
        r#","frequency":{"mode":"once_per_bar","cooldown_s":0,"hold_bars":2}"#,
    )]);
    let at = |bar: i64, s: i64| T0 + bar * 60_000 + s * 1_000;
    let out = |b: &mut RuleBook, t: i64, p: f64| b.on_update(&tick(t, p, false, 100.0), t).len();
    assert_eq!(out(&mut b, at(0, 1), 101.0), 0, "first bar: pending");
    assert_eq!(out(&mut b, at(0, 30), 101.0), 0);
    assert_eq!(out(&mut b, at(1, 1), 101.0), 1, "held into the second bar");
    assert_eq!(
        out(&mut b, at(2, 1), 99.0),
        0,
        "false resets the pending period"
    );
    assert_eq!(out(&mut b, at(3, 1), 101.0), 0);
    assert_eq!(out(&mut b, at(4, 1), 101.0), 1);
    // A gap (no previous sample) also resets it.
    let gap = upd("demo:ALPHA", at(5, 1), 101.0, false);
    assert!(
        b.on_update(&gap, gap.at_ms).is_empty(),
        "the run restarts after a gap"
    );
    let t = at(6, 1);
    assert_eq!(b.on_update(&tick(t, 101.0, false, 100.0), t).len(), 1);
}

#[test]
fn bar_close_rules_compare_closed_bars_and_ignore_the_live_bar() {
    let mut b = book(vec![spec_rule(
        1,
        r#"{"name":"c","target":{"symbols":["demo:ALPHA"]},"interval":"1m","evaluate":"bar_close",
            "when":{"metric":"price","op":"crosses_up","value":100},
            "frequency":{"mode":"every_time"}}"#,
    )]);
    let close = |bar: i64, p: f64, prev: f64| tick(T0 + (bar + 1) * 60_000, p, true, prev);
    // A live spike above 100 is not a close.
    let live = tick(T0 + 10_000, 120.0, false, 90.0);
    assert!(b.on_update(&live, live.at_ms).is_empty());
    let c0 = close(0, 95.0, 120.0);
    assert!(
        b.on_update(&c0, c0.at_ms).is_empty(),
        "first close: no previous close yet"
    );
    let c1 = close(1, 101.0, 99.0);
    assert_eq!(
        b.on_update(&c1, c1.at_ms).len(),
        1,
        "95 → 101 across closes"
    );
    assert!(
        b.on_update(&c1, c1.at_ms).is_empty(),
        "the same close again"
    );
    let c2 = close(2, 102.0, 101.0);
    assert!(
        b.on_update(&c2, c2.at_ms).is_empty(),
        "101 → 102 is no cross"
    );
}

#[test]
fn moving_rules_use_closed_bar_history_and_restart_after_a_gap() {
    let mut b = book(vec![spec_rule(
        1,
        r#"{"name":"m","target":{"symbols":["demo:ALPHA"]},"interval":"1m",
            "when":{"metric":"price","op":"moving_up_pct","value":5,"bars":3},
            "frequency":{"mode":"once_per_bar"}}"#,
    )]);
    for (bar, p) in [100.0, 101.0, 102.0].iter().enumerate() {
        let c = tick(T0 + (bar as i64 + 1) * 60_000, *p, true, *p);
        assert!(b.on_update(&c, c.at_ms).is_empty(), "warming up");
    }
    let live = tick(T0 + 3 * 60_000 + 5_000, 105.5, false, 102.0);
    assert_eq!(
        b.on_update(&live, live.at_ms).len(),
        1,
        "+5.5 % over the low of 3 bars"
    );
    // After a gap (no previous sample) the look-back is empty again.
    let mut after_gap = live.clone();
    after_gap.at_ms += 60_000;
    after_gap.bar.open_time += 60_000;
    after_gap.prev = None;
    assert!(b.on_update(&after_gap, after_gap.at_ms).is_empty());
}

#[test]
fn the_circuit_breaker_pauses_a_rule_that_fires_too_often_and_says_so() {
    let mut b = book(vec![rule(
        1,
        r#","frequency":{"mode":"every_time","cooldown_s":0}"#,
    )]);
    b.set_breaker(BreakerConfig {
        window_ms: 60_000,
        max: 5,
        pause_ms: 600_000,
    });
    let fired = fire_times(&mut b, 1, 1_000);
    assert_eq!(fired.len(), 5, "five, then the breaker trips");
    let paused = b.take_paused();
    assert_eq!(paused.len(), 1);
    assert_eq!((paused[0].rule_id, paused[0].fired), (1, 5));
    assert_eq!(paused[0].until_ms, T0 + 1 + 5_000 + 600_000);
    assert!(b.take_paused().is_empty(), "said once");
    let later = T0 + 700_000;
    assert_eq!(
        b.on_update(&tick(later, 101.0, false, 100.0), later).len(),
        1,
        "resumes after the pause"
    );
}

#[test]
fn trigger_state_survives_a_restart() {
    let r = || {
        rule(
            1,
            r#","frequency":{"mode":"once_per_bar","cooldown_s":600}"#,
        )
    };
    let mut b = book(vec![r()]);
    assert_eq!(
        b.on_update(&tick(T0 + 1, 101.0, false, 100.0), T0 + 1)
            .len(),
        1
    );
    let saved = b.take_dirty_state();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].2.last_fired_ms, Some(T0 + 1));
    assert!(b.take_dirty_state().is_empty(), "nothing changed since");
    // Round trip through JSON as the store keeps it.
    let json = serde_json::to_string(&saved[0].2).unwrap();
    let st: RuleState = serde_json::from_str(&json).unwrap();
    let mut fresh = book(vec![r()]);
    fresh.restore_state([(1, Symbol::parse("demo:ALPHA").unwrap(), st)]);
    let t = T0 + 120_000;
    assert!(
        fresh.on_update(&tick(t, 101.0, false, 100.0), t).is_empty(),
        "the cooldown carried over the restart"
    );
    let mut forgetful = book(vec![r()]);
    assert_eq!(
        forgetful.on_update(&tick(t, 101.0, false, 100.0), t).len(),
        1
    );
}

#[test]
fn watchlist_rules_follow_symbols_added_and_removed() {
    let wl = r#"{"name":"wl","target":{"watchlist":"main"},"interval":"1m","when":{"metric":"price","op":"gt","value":100},"frequency":{"mode":"every_time"}}"#;
    let mut b = RuleBook::new();
    b.load(vec![spec_rule(1, wl)], &WatchlistMap::new());
    let n = |b: &mut RuleBook, s: &str| b.on_update(&upd(s, T0 + 1, 101.0, false), T0 + 1).len();
    assert_eq!(n(&mut b, "demo:GAMMA"), 0);
    b.set_watchlist("main", vec![Symbol::parse("demo:GAMMA").unwrap()]);
    assert_eq!(n(&mut b, "demo:GAMMA"), 1, "added later, followed");
    b.set_watchlist("main", vec![]);
    assert_eq!(n(&mut b, "demo:GAMMA"), 0, "removed, no longer watched");
}

#[test]
fn only_rules_watching_the_symbol_are_evaluated() {
    let mut rules = Vec::new();
    for i in 0..100 {
        let sym = format!("demo:S{i}");
        rules.push(spec_rule(
            i + 1,
            &format!(r#"{{"name":"r{i}","target":{{"symbols":["{sym}"]}},"interval":"1m","when":{{"metric":"price","op":"gt","value":100}}}}"#),
        ));
    }
    rules.push(spec_rule(
        1000,
        r#"{"name":"all","target":{"source":"demo","symbols":["demo:S1"]},"interval":"1m","when":{"metric":"price","op":"gt","value":100}}"#,
    ));
    let mut b = book(rules);
    let fired = b.on_update(&upd("demo:S1", T0 + 1, 101.0, false), T0 + 1);
    assert_eq!(
        b.evaluations(),
        2,
        "its own rule and the universe rule, once each"
    );
    assert_eq!(fired.len(), 2);
}

#[test]
fn message_templates_fill_placeholders_once() {
    assert_eq!(
        fill("{a} {b} {unknown} {", |k| match k {
            "a" => Some("{b}".into()),
            "b" => Some("B".into()),
            _ => None,
        }),
        "{b} B {unknown} {"
    );
    let mut b = book(vec![rule(
        1,
        r#","message":"[{level}] {code} {interval}: {rule}""#,
    )]);
    let f = b.on_update(&upd("demo:ALPHA", T0 + 1, 101.5, false), T0 + 1);
    assert_eq!(f[0].alert.message, "[high] ALPHA 1m: rule 1");
}

#[test]
fn a_rule_listens_to_its_own_interval_only() {
    let mut b = book(vec![spec_rule(
        1,
        r#"{"name":"hourly","target":{"symbols":["demo:ALPHA"]},"interval":"1h",
            "when":{"metric":"price","op":"gt","value":100},"frequency":{"mode":"once_per_bar"}}"#,
    )]);
    let minute = upd("demo:ALPHA", T0 + 1, 101.0, false);
    assert!(b.on_update(&minute, T0 + 1).is_empty(), "a 1m update");
    let mut hour = minute.clone();
    hour.interval = Interval::H1;
    hour.bar.interval = Interval::H1;
    hour.bar.open_time = Interval::H1.floor(T0 + 1);
    assert_eq!(b.on_update(&hour, T0 + 1).len(), 1);
    // Stale is judged by the rule's interval: 30 min old is still fresh for an hourly bar.
    let mut later = hour.clone();
    later.at_ms += 3_600_000;
    later.bar.open_time += 3_600_000;
    assert_eq!(b.on_update(&later, later.at_ms + 1_800_000).len(), 1);
    later.at_ms += 3_600_000;
    later.bar.open_time += 3_600_000;
    assert!(
        b.on_update(&later, later.at_ms + 3_700_000).is_empty(),
        "older than its interval"
    );
}
