use super::messages::ExchangeInfo;
use super::universe::{check_fixed, choose_top};
use super::ws::backoff_cap;
use super::*;

fn info(symbols: &[(&str, &str, Option<&str>)]) -> ExchangeInfo {
    let list: Vec<String> = symbols
        .iter()
        .map(|(s, st, ct)| match ct {
            Some(ct) => format!(r#"{{"symbol":"{s}","status":"{st}","contractType":"{ct}"}}"#),
            None => format!(r#"{{"symbol":"{s}","status":"{st}"}}"#),
        })
        .collect();
    serde_json::from_str(&format!(r#"{{"symbols":[{}]}}"#, list.join(","))).unwrap()
}

#[test]
fn top_n_by_quote_volume_skips_halted_small_and_dated_contracts() {
    let i = info(&[
        ("BTCUSDT", "TRADING", Some("PERPETUAL")),
        ("ETHUSDT", "TRADING", Some("PERPETUAL")),
        ("LUNAUSDT", "SETTLING", Some("PERPETUAL")),
        ("BTCUSDT_250328", "TRADING", Some("CURRENT_QUARTER")),
        ("DOGEUSDT", "TRADING", Some("PERPETUAL")),
        ("TINYUSDT", "TRADING", Some("PERPETUAL")),
    ]);
    let t: Vec<(String, f64)> = [
        ("ETHUSDT", 5e9),
        ("BTCUSDT", 9e9),
        ("LUNAUSDT", 8e9),
        ("BTCUSDT_250328", 7e9),
        ("DOGEUSDT", 1e9),
        ("TINYUSDT", 1e5),
        ("NOTLISTED", 1e10),
    ]
    .iter()
    .map(|(s, v)| (s.to_string(), *v))
    .collect();
    assert_eq!(
        choose_top(&t, &i, Venue::UsdM, 150, 1e6),
        ["BTCUSDT", "ETHUSDT", "DOGEUSDT"]
    );
    assert_eq!(
        choose_top(&t, &i, Venue::UsdM, 2, 1e6),
        ["BTCUSDT", "ETHUSDT"]
    );
}

#[test]
fn a_fixed_list_names_what_cannot_be_watched() {
    let i = info(&[("BTCUSDT", "TRADING", None), ("LUNAUSDT", "BREAK", None)]);
    let c = check_fixed(
        &["BTCUSDT".into(), "LUNAUSDT".into(), "NOPE".into()],
        &i,
        Venue::Spot,
    );
    assert_eq!(c.codes, ["BTCUSDT"]);
    assert_eq!(c.rejected[0], ("LUNAUSDT".into(), "status is BREAK".into()));
    assert!(
        c.rejected[1].1.contains("no such symbol"),
        "{:?}",
        c.rejected
    );
}

#[test]
fn settings_are_checked_field_by_field() {
    let mut c = BinanceConfig::new(Venue::Spot);
    c.ws_url = "ws://127.0.0.1:1".into();
    c.rest_url = "http://127.0.0.1:1".into();
    assert_eq!(c.validate(), Ok(()));
    let mut bad = c.clone();
    bad.ws_url = "http://x".into();
    assert!(bad.validate().unwrap_err().starts_with("ws_url:"));
    let mut bad = c.clone();
    bad.max_streams_per_connection = 2000;
    assert!(bad
        .validate()
        .unwrap_err()
        .starts_with("max_streams_per_connection:"));
    let mut bad = c.clone();
    bad.universe = Universe::Fixed(vec!["BTC USDT".into()]);
    assert!(bad.validate().unwrap_err().contains("\"BTC USDT\""));
    c.intervals = vec![Interval::M1, Interval::H1];
    c.max_streams_per_connection = 201;
    assert_eq!(c.symbols_per_connection(), 100);
}

#[test]
fn futures_kline_weight_follows_the_limit() {
    assert_eq!(Venue::UsdM.klines_weight(3), 1);
    assert_eq!(Venue::UsdM.klines_weight(100), 2);
    assert_eq!(Venue::UsdM.klines_weight(1000), 5);
    assert_eq!(Venue::Spot.klines_weight(1000), 2);
}

#[test]
fn backoff_doubles_up_to_the_cap() {
    let (a, b) = (Duration::from_millis(500), Duration::from_secs(60));
    assert_eq!(backoff_cap(a, b, 0), a);
    assert_eq!(backoff_cap(a, b, 3), Duration::from_secs(4));
    assert_eq!(backoff_cap(a, b, 40), b);
}
