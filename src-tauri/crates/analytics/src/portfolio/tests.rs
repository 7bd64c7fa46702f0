use super::*;
use std::collections::BTreeMap;

const DAY: i64 = 86_400_000;
const T0: i64 = 1_700_006_400_000; // 2023-11-15 00:00 UTC

fn lot(symbol: &str, quantity: f64, cost: f64, opened: &str) -> Holding {
    Holding {
        id: 0,
        symbol: symbol.into(),
        quantity,
        cost,
        opened: opened.into(),
        currency: None,
        note: None,
    }
}

fn book() -> PortfolioBook {
    // BTC: 30 daily closes 100..129 (yesterday 129); AAPL (USD) 10 closes 50..59.
    let btc: Vec<(i64, f64)> = (0..30)
        .map(|i| (T0 - (30 - i) * DAY, 100.0 + i as f64))
        .collect();
    let aapl: Vec<(i64, f64)> = (0..10)
        .map(|i| (T0 - (10 - i) * DAY, 50.0 + i as f64))
        .collect();
    PortfolioBook::build(
        PortfolioInputs {
            holdings: vec![
                lot("binance:BTCUSDT", 2.0, 100.0, "2023-10-01"),
                lot("yahoo:AAPL", 10.0, 40.0, "2023-10-01"),
            ],
            currency: "USD".into(),
            fx: HashMap::from([("USDT".into(), 1.0), ("USD".into(), 1.0)]),
            daily: HashMap::from([("binance:BTCUSDT".into(), btc), ("yahoo:AAPL".into(), aapl)]),
            ..Default::default()
        },
        T0 + 3_600_000,
    )
}

#[test]
fn currencies_are_inferred_from_the_symbol() {
    assert_eq!(infer_currency("tushare:600036.SH"), "CNY");
    assert_eq!(infer_currency("yahoo:0700.HK"), "HKD");
    assert_eq!(infer_currency("yahoo:AAPL"), "USD");
    assert_eq!(infer_currency("yahoo:EURUSD=X"), "USD");
    assert_eq!(infer_currency("binance:ETHBTC"), "BTC");
    assert_eq!(infer_currency("binance:BTCUSDT"), "USDT");
    assert_eq!(infer_currency("demo:ALPHA"), "USD");
}

#[test]
fn exchange_rates_come_from_the_user_then_stored_pairs() {
    let prices: HashMap<&str, f64> = HashMap::from([
        ("yahoo:CNY=X", 7.2),
        ("yahoo:EURUSD=X", 1.1),
        ("binance:BTCUSDT", 40_000.0),
    ]);
    let look = |s: &str| prices.get(s).copied();
    let none = BTreeMap::new();
    assert_eq!(resolve_fx("USDT", "USD", &none, &look), Some(1.0));
    assert!((resolve_fx("CNY", "USD", &none, &look).unwrap() - 1.0 / 7.2).abs() < 1e-12);
    assert_eq!(resolve_fx("USD", "CNY", &none, &look), Some(7.2));
    assert_eq!(resolve_fx("EUR", "USD", &none, &look), Some(1.1));
    assert!((resolve_fx("USD", "EUR", &none, &look).unwrap() - 1.0 / 1.1).abs() < 1e-12);
    assert_eq!(resolve_fx("BTC", "USD", &none, &look), Some(40_000.0));
    assert!((resolve_fx("BTC", "CNY", &none, &look).unwrap() - 288_000.0).abs() < 1e-6);
    assert_eq!(resolve_fx("JPY", "USD", &none, &look), None);
    let manual = BTreeMap::from([("JPY".to_string(), 0.0067)]);
    assert_eq!(resolve_fx("JPY", "USD", &manual, &look), Some(0.0067));
}

#[test]
fn positions_are_valued_with_day_and_total_pnl_and_weights() {
    let b = book();
    let v = b.view(T0 + 3_600_000);
    // Before any live price the last daily close is the price: BTC 129, AAPL 59.
    assert_eq!(v.value, 2.0 * 129.0 + 10.0 * 59.0);
    let btc = &v.positions[0];
    assert_eq!(btc.total_pnl, Some(2.0 * 29.0));
    assert!((btc.weight_pct.unwrap() - 258.0 / 848.0 * 100.0).abs() < 1e-9);
    // The price is yesterday's close, so the day's P&L is 0.
    assert_eq!(v.day_pnl, 0.0);
    assert!(v.risk.volatility_pct.is_some() || v.risk.days < 2);
}

#[test]
fn a_live_price_publishes_every_interval_for_the_position_and_the_total() {
    let mut b = book();
    let ups = b.on_price("binance:BTCUSDT", 116.1, T0 + 7_200_000, true);
    assert_eq!(ups.len(), 2 * Interval::ALL.len());
    let pos = ups
        .iter()
        .find(|u| u.symbol.as_str() == "portfolio:binance:BTCUSDT")
        .unwrap();
    // Day P&L: 2 × (116.1 − 129) = −25.8, of yesterday's value 258 → −10 %.
    assert!((pos.metrics.get(MetricKey::PnlDay).unwrap() + 25.8).abs() < 1e-9);
    assert!((pos.metrics.get(MetricKey::PnlDayPct).unwrap() + 10.0).abs() < 1e-9);
    assert!((pos.metrics.get(MetricKey::DrawdownPct).unwrap() - 10.0).abs() < 1e-9);
    let total = ups
        .iter()
        .find(|u| u.symbol.as_str() == PORTFOLIO_TOTAL)
        .unwrap();
    assert!((total.metrics.get(MetricKey::PnlDay).unwrap() + 25.8).abs() < 1e-9);
    assert!((total.metrics.get(MetricKey::PnlDayPct).unwrap() + 25.8 / 848.0 * 100.0).abs() < 1e-9);
    assert_eq!(total.bar.close, 2.0 * 116.1 + 590.0);
    assert!(total.prev.is_none());
    // The next update carries this one as `prev` (crossing operators need it).
    let ups = b.on_price("binance:BTCUSDT", 117.0, T0 + 7_260_000, true);
    assert!(ups.iter().all(|u| u.prev.is_some()));
    // Back-filled prices move the value but publish nothing.
    assert!(b
        .on_price("binance:BTCUSDT", 118.0, T0 + 7_300_000, false)
        .is_empty());
    assert!(b
        .on_price("binance:ETHUSDT", 1.0, T0 + 7_300_000, true)
        .is_empty());
    assert!(b
        .on_price("binance:BTCUSDT", f64::NAN, T0 + 7_300_000, true)
        .is_empty());
}

#[test]
fn a_new_day_counts_its_pnl_from_the_last_price_of_the_day_before() {
    let mut b = book();
    b.on_price("binance:BTCUSDT", 120.0, T0 + 80_000_000, true);
    let ups = b.on_price("binance:BTCUSDT", 126.0, T0 + DAY + 60_000, true);
    let pos = &ups[0];
    assert!((pos.metrics.get(MetricKey::PnlDay).unwrap() - 12.0).abs() < 1e-9);
}

#[test]
fn alerts_on_a_holding_count_for_an_hour() {
    let mut b = book();
    let t = T0 + 7_200_000;
    b.on_alert("yahoo:AAPL", t - 3_000_000);
    b.on_alert("yahoo:AAPL", t - 10_000);
    b.on_alert("yahoo:MSFT", t);
    let ups = b.on_price("yahoo:AAPL", 60.0, t, true);
    assert_eq!(ups[0].metrics.get(MetricKey::Alerts1h), Some(2.0));
    let ups = b.on_price("yahoo:AAPL", 60.0, t + 700_000, true);
    assert_eq!(ups[0].metrics.get(MetricKey::Alerts1h), Some(1.0));
    let total = ups
        .iter()
        .find(|u| u.symbol.as_str() == PORTFOLIO_TOTAL)
        .unwrap();
    assert_eq!(total.metrics.get(MetricKey::Alerts1h), Some(1.0));
}

#[test]
fn a_missing_rate_is_said_and_left_out_of_the_totals() {
    let b = PortfolioBook::build(
        PortfolioInputs {
            holdings: vec![lot("tushare:600036.SH", 100.0, 30.0, "2023-01-03")],
            currency: "USD".into(),
            daily: HashMap::from([("tushare:600036.SH".into(), vec![(T0 - DAY, 32.0)])]),
            ..Default::default()
        },
        T0,
    );
    let v = b.view(T0);
    assert_eq!(v.value, 0.0);
    assert!(v.warnings[0].contains("CNY→USD"), "{:?}", v.warnings);
    assert!(v.positions[0]
        .problem
        .as_deref()
        .unwrap()
        .contains("exchange rate"));
}

#[test]
fn a_lot_bought_today_makes_its_day_pnl_from_cost() {
    let b = PortfolioBook::build(
        PortfolioInputs {
            holdings: vec![lot("demo:ALPHA", 10.0, 95.0, "2023-11-15")],
            currency: "USD".into(),
            fx: HashMap::from([("USD".into(), 1.0)]),
            daily: HashMap::from([("demo:ALPHA".into(), vec![(T0 - DAY, 90.0), (T0, 100.0)])]),
            ..Default::default()
        },
        T0 + 1000,
    );
    let v = b.view(T0 + 1000);
    assert_eq!(v.positions[0].day_pnl, Some(50.0));
    assert_eq!(ymd_ms("2023-11-15"), Some(T0));
}

#[test]
fn the_max_drawdown_counts_todays_fall_below_the_peak() {
    let mut b = book();
    // Yesterday's value is the peak of the history (258 + 590 = 848); BTC falls 20 % today.
    b.on_price("binance:BTCUSDT", 103.2, T0 + 7_200_000, true);
    let v = b.view(T0 + 7_200_000);
    let now = v.risk.drawdown_pct.unwrap();
    assert!((now - 2.0 * 25.8 / 848.0 * 100.0).abs() < 1e-9, "{now}");
    assert!(v.risk.max_drawdown_pct.unwrap() >= now);
}

#[test]
fn every_pair_resolve_fx_reads_is_among_the_candidates() {
    for (c, a) in [
        ("CNY", "USD"),
        ("USD", "CNY"),
        ("EUR", "USD"),
        ("BTC", "CNY"),
        ("JPY", "EUR"),
    ] {
        let cands = fx_candidates(c, a);
        let asked = std::cell::RefCell::new(Vec::new());
        let look = |s: &str| {
            asked.borrow_mut().push(s.to_string());
            None
        };
        resolve_fx(c, a, &BTreeMap::new(), &look);
        for s in asked.borrow().iter() {
            assert!(cands.contains(s), "{c}→{a}: {s} is not a candidate");
        }
    }
}
