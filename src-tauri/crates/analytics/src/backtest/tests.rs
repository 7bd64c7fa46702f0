use super::*;
use crate::rules::BreakerConfig;
use tw_core::backtest::{Direction, ExitReason, StrategyMode, StrategySpec};
use tw_core::rule::RuleSpec;
use tw_core::{Candle, Interval, Symbol};

const T0: i64 = 1_767_225_600_000; // 2026-01-01 00:00 UTC
const MIN: i64 = 60_000;

fn bar(i: usize, open: f64, high: f64, low: f64, close: f64) -> Candle {
    Candle {
        symbol: Symbol::new("test", "X"),
        interval: Interval::M1,
        open_time: T0 + i as i64 * MIN,
        open,
        high,
        low,
        close,
        volume: 10.0,
        quote_volume: 10.0 * close,
        trades: 1,
        closed: true,
    }
}

/// Flat bars at each close (open = previous close).
fn path(closes: &[f64]) -> Vec<Candle> {
    let mut prev = closes[0];
    closes
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let b = bar(i, prev, prev.max(c), prev.min(c), c);
            prev = c;
            b
        })
        .collect()
}

fn rule(json_when: &str, interval: &str) -> RuleSpec {
    RuleSpec::from_json(&format!(
        r#"{{"name":"r","target":{{"symbols":["other:Y"]}},"interval":"{interval}","when":{json_when},
            "frequency":{{"mode":"once_per_bar"}},"enabled":false}}"#
    ))
    .unwrap()
}

fn run_rules(rules: &[RuleSpec], bars: Vec<Candle>) -> tw_core::backtest::RuleBacktestReport {
    backtest_rules(RuleRun {
        rules,
        series: &[bars],
        from: None,
        to: None,
        direction: Direction::Up,
        breaker: BreakerConfig::default(),
    })
    .unwrap()
}

#[test]
fn a_rule_fires_where_the_live_code_would_with_forward_returns() {
    // 40 bars at 100, then 110, 111, …: `price crosses_up 105` fires once, on bar 40.
    let mut closes = vec![100.0; 40];
    closes.extend((0..30).map(|i| 110.0 + i as f64));
    let r = run_rules(
        &[rule(
            r#"{"metric":"price","op":"crosses_up","value":105}"#,
            "1m",
        )],
        path(&closes),
    );
    assert_eq!(r.fires.len(), 1, "{:?}", r.fires);
    let f = &r.fires[0];
    assert_eq!(f.bar_time, T0 + 40 * MIN);
    assert_eq!(f.fired_at, T0 + 41 * MIN, "fires at the bar's close");
    assert_eq!(
        f.symbol, "test:X",
        "the rule runs on the data whatever its target"
    );
    assert_eq!(f.price, 110.0);
    assert_eq!(f.fwd1, Some(111.0 / 110.0 - 1.0));
    assert_eq!(f.fwd5, Some(115.0 / 110.0 - 1.0));
    assert_eq!(f.fwd20, Some(130.0 / 110.0 - 1.0));
    let s = &r.rules[0];
    assert_eq!((s.fires, s.scored, s.hits), (1, 1, 1));
    assert_eq!(s.hit_rate, Some(1.0));
    // 70 one-minute bars: 70 / 1440 days.
    assert!((s.alerts_per_day - 1440.0 / 70.0).abs() < 1e-9);

    // The same data judged for a fall: the fire is a miss.
    let r = backtest_rules(RuleRun {
        rules: &[rule(
            r#"{"metric":"price","op":"crosses_up","value":105}"#,
            "1m",
        )],
        series: &[path(&closes)],
        from: None,
        to: None,
        direction: Direction::Down,
        breaker: BreakerConfig::default(),
    })
    .unwrap();
    assert_eq!(r.rules[0].hit_rate, Some(0.0));
}

#[test]
fn a_state_rule_fires_once_per_bar_and_forward_returns_run_out_at_the_end() {
    let mut closes = vec![100.0; 10];
    closes.extend([106.0, 107.0, 104.0, 108.0]);
    let r = run_rules(
        &[rule(r#"{"metric":"price","op":"gt","value":105}"#, "1m")],
        path(&closes),
    );
    let times: Vec<i64> = r.fires.iter().map(|f| (f.bar_time - T0) / MIN).collect();
    assert_eq!(times, vec![10, 11, 13]);
    assert_eq!(r.fires[0].fwd1, Some(107.0 / 106.0 - 1.0));
    assert_eq!(r.fires[0].fwd5, None, "no 5 bars after it");
    assert_eq!(r.rules[0].scored, 0);
    assert_eq!(r.rules[0].hit_rate, None);
}

#[test]
fn coarser_rules_are_rolled_up_and_finer_ones_are_skipped_with_a_reason() {
    // 1m data, a 5m rule: the 5m bars are built by the series code, forward returns are in 5m
    // bars. The price steps up at minute 50 (inside the 11th 5m bar).
    let mut closes = vec![100.0; 50];
    closes.extend(vec![110.0; 50]);
    let r = run_rules(
        &[
            RuleSpec {
                evaluate: tw_core::rule::EvalMode::BarClose,
                ..rule(r#"{"metric":"price","op":"crosses_up","value":105}"#, "5m")
            },
            rule(r#"{"metric":"price","op":"gt","value":105}"#, "1m"),
        ],
        path(&closes),
    );
    let five: Vec<_> = r.fires.iter().filter(|f| f.rule == 0).collect();
    assert_eq!(five.len(), 1);
    assert_eq!(five[0].bar_time, T0 + 50 * MIN);
    assert_eq!(five[0].fired_at, T0 + 55 * MIN);
    assert_eq!(five[0].fwd1, Some(0.0));
    assert_eq!(r.rules[1].fires, 50);

    let mut coarse = path(&closes);
    for (i, b) in coarse.iter_mut().enumerate() {
        b.interval = Interval::M5;
        b.open_time = T0 + i as i64 * 5 * MIN;
    }
    let r = run_rules(
        &[rule(r#"{"metric":"price","op":"gt","value":105}"#, "1m")],
        coarse,
    );
    assert!(r.rules[0].skipped.as_deref().unwrap().contains("1m"));
    assert_eq!(r.rules[0].fires, 0);
}

#[test]
fn a_bad_rule_is_named() {
    let e = backtest_rules(RuleRun {
        rules: &[
            rule(r#"{"metric":"price","op":"gt","value":1}"#, "1m"),
            rule(r#"{"metric":"volme_z","op":"gt","value":1}"#, "1m"),
        ],
        series: &[path(&[1.0, 2.0])],
        from: None,
        to: None,
        direction: Direction::Up,
        breaker: BreakerConfig::default(),
    })
    .unwrap_err();
    assert!(e.to_string().starts_with("rules[1].when.metric"), "{e}");
}

fn strategy(json: &str) -> StrategySpec {
    serde_json::from_str(json).unwrap()
}

#[test]
fn fills_at_the_next_open_with_fees_and_slippage() {
    // Entry when the price closes above 100, exit when it closes below 100.
    let s = StrategySpec {
        fees_bps: 10.0,
        slippage_bps: 5.0,
        position_size: 0.5,
        ..strategy(
            r#"{"name":"t","entry":{"metric":"price","op":"gt","value":100},
                "exit":{"metric":"price","op":"lt","value":100}}"#,
        )
    };
    let mut bars = path(&[99.0, 99.0, 101.0, 103.0, 104.0, 99.0, 98.0, 97.0]);
    bars[3].open = 102.0; // the fill bar opens at 102
    bars[6].open = 98.5; // the exit fills here
    let r = backtest_strategy(&s, &bars, 0).unwrap();
    assert_eq!(r.trades.len(), 1);
    let t = &r.trades[0];
    let (fee, slip) = (0.001, 0.0005);
    let entry = 102.0 * (1.0 + slip);
    let qty = 10_000.0 * 0.5 / (entry * (1.0 + fee));
    let exit = 98.5 * (1.0 - slip);
    assert_eq!(t.entry_time, bars[3].open_time);
    assert_eq!(t.exit_time, bars[6].open_time);
    assert!((t.entry_price - entry).abs() < 1e-9);
    assert!((t.exit_price - exit).abs() < 1e-9);
    assert!((t.quantity - qty).abs() < 1e-9);
    let pnl = qty * (exit - entry) - qty * entry * fee - qty * exit * fee;
    assert!((t.pnl - pnl).abs() < 1e-9, "{} vs {pnl}", t.pnl);
    assert!((r.final_equity - (10_000.0 + pnl)).abs() < 1e-9);
    assert_eq!(t.exit_reason, ExitReason::Signal);
    assert_eq!(t.bars, 3);
    assert_eq!(r.win_rate, Some(0.0));
    assert_eq!(r.profit_factor, Some(0.0));
    // Bars 3, 4, 5 held at their close.
    assert!((r.exposure - 3.0 / 8.0).abs() < 1e-12);
    assert!(r.max_drawdown > 0.0);
    assert_eq!(r.equity.len(), 8);
}

#[test]
fn stop_loss_and_take_profit_fill_inside_the_bar() {
    let s = strategy(
        r#"{"name":"t","entry":{"metric":"price","op":"crosses_up","value":100},
            "stop_loss_pct":2,"take_profit_pct":3}"#,
    );
    // Enter at 101 (bar 2's open); bar 3 dips to 98.5: the stop at 98.98 fills.
    let mut bars = path(&[99.0, 101.0, 101.0, 100.0, 100.0]);
    bars[3].low = 98.5;
    let r = backtest_strategy(&s, &bars, 0).unwrap();
    assert_eq!(r.trades.len(), 1);
    let t = &r.trades[0];
    assert_eq!(t.exit_reason, ExitReason::StopLoss);
    assert!((t.exit_price - 101.0 * 0.98).abs() < 1e-9);
    assert_eq!(t.exit_time, bars[3].open_time);

    // A gap through the target fills at the open.
    let mut bars = path(&[99.0, 101.0, 101.0, 106.0]);
    bars[3].open = 105.0;
    let r = backtest_strategy(&s, &bars, 0).unwrap();
    let t = &r.trades[0];
    assert_eq!(t.exit_reason, ExitReason::TakeProfit);
    assert_eq!(t.exit_price, 105.0);

    // Never hit: closed at the last close.
    let r = backtest_strategy(&s, &path(&[99.0, 101.0, 101.0, 102.0]), 0).unwrap();
    assert_eq!(r.trades[0].exit_reason, ExitReason::End);
    assert_eq!(r.trades[0].exit_price, 102.0);
}

#[test]
fn long_short_reverses_on_the_opposite_signal() {
    let s = StrategySpec {
        mode: StrategyMode::LongShort,
        ..strategy(
            r#"{"name":"t","entry":{"metric":"price","op":"crosses_up","value":100},
                "short_entry":{"metric":"price","op":"crosses_down","value":100}}"#,
        )
    };
    let r = backtest_strategy(
        &s,
        &path(&[99.0, 101.0, 102.0, 98.0, 96.0, 101.0, 101.0]),
        0,
    )
    .unwrap();
    let sides: Vec<(&str, ExitReason)> = r
        .trades
        .iter()
        .map(|t| (t.side.as_str(), t.exit_reason))
        .collect();
    assert_eq!(
        sides,
        vec![
            ("long", ExitReason::Reverse),
            ("short", ExitReason::Reverse),
            ("long", ExitReason::End)
        ]
    );
    // Short from 98 (bar 4's open) to 101 (bar 6's open): a loss.
    let short = &r.trades[1];
    assert_eq!((short.entry_price, short.exit_price), (98.0, 101.0));
    assert!(short.pnl < 0.0);
    // The same conditions long only never go short.
    let r = backtest_strategy(
        &StrategySpec {
            mode: StrategyMode::LongOnly,
            exit: s.short_entry.clone(),
            ..s.clone()
        },
        &path(&[99.0, 101.0, 102.0, 98.0, 96.0, 101.0, 101.0]),
        0,
    )
    .unwrap();
    assert!(r.trades.iter().all(|t| t.side == "long"));
}

#[test]
fn bad_strategies_are_named() {
    let base = r#"{"name":"t","entry":{"metric":"price","op":"gt","value":1},
                   "exit":{"metric":"price","op":"lt","value":1}}"#;
    let bars = path(&[1.0, 2.0]);
    let cases: Vec<(StrategySpec, &str)> = vec![
        (
            StrategySpec {
                position_size: 1.5,
                ..strategy(base)
            },
            "position_size",
        ),
        (
            StrategySpec {
                fees_bps: -1.0,
                ..strategy(base)
            },
            "fees_bps",
        ),
        (
            StrategySpec {
                stop_loss_pct: Some(100.0),
                ..strategy(base)
            },
            "stop_loss_pct",
        ),
        (
            StrategySpec {
                mode: StrategyMode::LongShort,
                ..strategy(base)
            },
            "short_entry",
        ),
        (
            strategy(
                &base
                    .replace("\"gt\"", "\"crosses_up\"")
                    .replace("price", "prize"),
            ),
            "entry.metric",
        ),
        (
            StrategySpec {
                interval: Some(Interval::M5),
                ..strategy(base)
            },
            "no closed 5m bar",
        ),
    ];
    for (s, want) in cases {
        let e = backtest_strategy(&s, &bars, 0).unwrap_err().to_string();
        assert!(e.contains(want), "{e} (wanted {want})");
    }
    let mut coarse = bars.clone();
    coarse.iter_mut().for_each(|b| b.interval = Interval::H1);
    let e = backtest_strategy(
        &StrategySpec {
            interval: Some(Interval::M5),
            ..strategy(base)
        },
        &coarse,
        0,
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("interval:"), "{e}");
}

#[test]
fn every_template_runs() {
    let closes: Vec<f64> = (0..600)
        .map(|i| 100.0 + 10.0 * (i as f64 / 25.0).sin() + (i as f64 / 7.0).cos())
        .collect();
    let mut bars = path(&closes);
    for (i, b) in bars.iter_mut().enumerate() {
        b.volume = if i % 9 == 0 { 40.0 } else { 10.0 };
    }
    for name in TEMPLATES {
        let mut s = template(name).unwrap();
        let long = backtest_strategy(&s, &bars, 100).unwrap();
        s.mode = StrategyMode::LongShort;
        let both = backtest_strategy(&s, &bars, 100).unwrap();
        assert!(!long.trades.is_empty(), "{name} never traded");
        assert!(both.trades.len() >= long.trades.len(), "{name}");
        assert!(
            long.equity.len() <= 100 && long.equity.last().unwrap().time == bars[599].close_time()
        );
    }
    assert!(template("nope").is_none());
}

#[test]
fn performance_figures_follow_their_definitions() {
    let day = 86_400_000;
    let times: Vec<i64> = (0..5).map(|i| i * day).collect();
    let equity = [100.0, 110.0, 99.0, 108.9, 121.0];
    let p = performance(&times, &equity, 365.0);
    assert!((p.total_return - 0.21).abs() < 1e-12);
    assert!((p.max_drawdown - 0.1).abs() < 1e-12);
    assert_eq!(p.drawdown[2], 1.0 - 99.0 / 110.0);
    // Four daily returns in four days: 365.25 periods a year.
    assert!((p.periods_per_year - 365.25).abs() < 1e-9);
    let r = [0.1, -0.1, 0.1, 121.0 / 108.9 - 1.0];
    let mean = r.iter().sum::<f64>() / 4.0;
    let sd = (r.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 3.0).sqrt();
    assert!((p.sharpe.unwrap() - mean / sd * 365.25f64.sqrt()).abs() < 1e-9);
    let down = (0.01f64 / 4.0).sqrt();
    assert!((p.sortino.unwrap() - mean / down * 365.25f64.sqrt()).abs() < 1e-9);
    assert!((p.annual_return - (1.21f64.powf(365.25 / 4.0) - 1.0)).abs() < 1e-6);
    // A flat curve has no Sharpe.
    let flat = performance(&times, &[1.0; 5], 365.0);
    assert_eq!(
        (flat.sharpe, flat.sortino, flat.max_drawdown),
        (None, None, 0.0)
    );
}
