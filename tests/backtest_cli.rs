//! `tickwarden backtest …` as a user runs it: rules and a strategy over a real CSV from
//! ../shared/data, JSON on stdout, and bad input refused with what is wrong named.

mod common;

use common::tickwarden;

fn data(rel: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(rel);
    assert!(
        p.exists(),
        "the shared test data is missing: {} (clone with shared/ beside the repository)",
        p.display()
    );
    p.to_string_lossy().into_owned()
}

const RULES: &str = r#"{ "version": 2, "rules": [
  { "name": "RSI oversold", "target": { "symbols": ["binance-usdm:BTCUSDT"] }, "interval": "1d",
    "when": { "metric": "rsi", "op": "crosses_up", "value": 30 }, "enabled": false },
  { "name": "Volume burst", "target": { "source": "demo" }, "interval": "1d",
    "when": { "metric": "volume_z", "op": "gt", "value": 3 },
    "frequency": { "mode": "once_per_bar", "rearm": true } } ] }"#;

#[test]
fn rules_over_a_csv_list_fires_with_forward_returns() {
    let csv = data("stocks/us_daily_pandas_ta/SPY_D.csv");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rules.json");
    std::fs::write(&file, RULES).unwrap();
    let (code, out, err) = tickwarden(
        dir.path(),
        &["backtest", "--rules", file.to_str().unwrap(), "--csv", &csv],
    );
    assert_eq!(code, 0, "{err}");
    let r: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    assert_eq!(r["rules"].as_array().unwrap().len(), 2);
    let rsi = &r["rules"][0];
    assert_eq!(rsi["name"], "RSI oversold");
    let fires = rsi["fires"].as_u64().unwrap();
    assert!(
        fires > 10,
        "RSI(14) left oversold only {fires} times in 20 years"
    );
    let listed: Vec<&serde_json::Value> = r["fires"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == 0)
        .collect();
    assert_eq!(listed.len() as u64, fires);
    let f = listed[0];
    assert!(f["fwd1"].is_number() && f["fwd5"].is_number() && f["fwd20"].is_number());
    let hit = rsi["hitRate"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&hit));
    assert_eq!(
        rsi["hits"].as_u64().unwrap(),
        listed
            .iter()
            .filter(|f| f["fwd5"].as_f64().is_some_and(|x| x > 0.0))
            .count() as u64
    );
    assert!(rsi["alertsPerDay"].as_f64().unwrap() > 0.0);
    assert!(r["hitDefinition"].as_str().unwrap().contains("5 bars"));

    // The same replay twice gives the same document (no wall clock in it).
    let (_, again, _) = tickwarden(
        dir.path(),
        &["backtest", "--rules", file.to_str().unwrap(), "--csv", &csv],
    );
    assert_eq!(out, again);
}

#[test]
fn a_strategy_template_over_a_csv_prints_its_figures() {
    let csv = data("crypto/binance_um_futures_1m/ALGOUSDT-1m-2025-02.csv");
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = tickwarden(
        dir.path(),
        &[
            "backtest",
            "--strategy",
            "momentum",
            "--csv",
            &csv,
            "--mode",
            "long_short",
            "--fees-bps",
            "4",
            "--slippage-bps",
            "1",
            "--size",
            "0.5",
            "--interval",
            "5m",
            "--curve-points",
            "300",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["interval"], "5m");
    assert_eq!(r["mode"], "long_short");
    assert_eq!(r["bars"].as_u64().unwrap(), 40_320 / 5);
    let trades = r["trades"].as_array().unwrap();
    assert!(!trades.is_empty());
    assert!(trades.iter().any(|t| t["side"] == "short"));
    assert!(trades
        .iter()
        .any(|t| t["exitReason"] == "stop_loss" || t["exitReason"] == "take_profit"));
    assert!(r["equity"].as_array().unwrap().len() <= 300);
    for k in [
        "totalReturn",
        "annualReturn",
        "volatility",
        "maxDrawdown",
        "exposure",
        "feesPaid",
    ] {
        assert!(r[k].is_number(), "{k}");
    }
    assert!(r["feesPaid"].as_f64().unwrap() > 0.0);
}

#[test]
fn bad_input_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let bad_rules = dir.path().join("bad.json");
    std::fs::write(&bad_rules, RULES.replace("\"volume_z\"", "\"volme_z\"")).unwrap();
    let csv = dir.path().join("bars.csv");
    std::fs::write(
        &csv,
        "date,open,high,low,close,volume\n2024-01-01,1,2,0.5,1.5,10\n2024-01-02,1.5,2,1,oops,10\n2024-01-03,1.5,2,1,1.7,10\n",
    )
    .unwrap();
    let (code, _, err) = tickwarden(
        dir.path(),
        &[
            "backtest",
            "--rules",
            bad_rules.to_str().unwrap(),
            "--csv",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("rules[1].when.metric"), "{err}");

    let (code, out, err) = tickwarden(
        dir.path(),
        &[
            "backtest",
            "--strategy",
            "dual_ma",
            "--csv",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("line 3, column 5 (close)"), "{err}");
    assert!(out.contains("\"trades\": []"), "{out}");

    let (code, _, err) = tickwarden(
        dir.path(),
        &[
            "backtest",
            "--strategy",
            "golden_goose",
            "--csv",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("dual_ma, macd_cross"), "{err}");

    let (code, _, err) = tickwarden(
        dir.path(),
        &[
            "backtest",
            "--strategy",
            "dual_ma",
            "--csv",
            csv.to_str().unwrap(),
            "--size",
            "2",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("position_size"), "{err}");

    // Stored history: an empty database has no candles of the symbol.
    let (code, _, err) = tickwarden(
        dir.path(),
        &[
            "backtest",
            "--strategy",
            "dual_ma",
            "--symbol",
            "demo:ALPHA",
            "--from",
            "2025-01-01",
            "--to",
            "2025-01-02",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no stored 1m candles of demo:ALPHA"), "{err}");
    let (code, _, err) = tickwarden(
        dir.path(),
        &[
            "backtest",
            "--strategy",
            "dual_ma",
            "--symbol",
            "demo:ALPHA",
            "--from",
            "2025-13-01",
            "--to",
            "2025-01-02",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("2025-13-01"), "{err}");
}
