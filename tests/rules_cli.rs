//! `tickwarden rules …` as a user runs it: import a file, list, disable, export, and refuse a
//! bad file with the rule and field named, all against `--data-dir`.

mod common;

use common::tickwarden;

const RULES: &str = r#"{ "version": 2, "rules": [
  { "name": "BTC breakout", "target": { "symbols": ["binance-usdm:BTCUSDT"] }, "interval": "1m",
    "when": { "metric": "price", "op": "exiting_channel", "lower": 90000, "upper": 100000 },
    "level": "critical", "frequency": { "mode": "once_per_bar", "cooldown_s": 60, "rearm": true } },
  { "version": 1, "name": "Old export", "target": { "source": "demo" }, "interval": "1m",
    "when": { "metric": "volume_z", "op": "crosses_up", "value": 3 } } ] }"#;

#[test]
fn import_list_disable_export_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rules.json");
    std::fs::write(&file, RULES).unwrap();
    let (code, out, err) = tickwarden(dir.path(), &["rules", "import", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("imported 2 rule(s)"), "{err}");
    assert!(
        out.contains("BTC breakout") && out.contains("critical"),
        "{out}"
    );

    let (code, out, _) = tickwarden(dir.path(), &["rules", "list", "--json"]);
    assert_eq!(code, 0);
    let recs: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs.len(), 2);
    let id = recs[0]["id"].as_i64().unwrap().to_string();

    let (code, out, _) = tickwarden(dir.path(), &["rules", "disable", &id]);
    assert_eq!(code, 0);
    assert!(out.contains(" off "), "{out}");

    let (code, out, _) = tickwarden(dir.path(), &["rules", "export"]);
    assert_eq!(code, 0);
    let exported: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(exported["rules"][0]["enabled"], false);
    assert_eq!(exported["rules"][0]["when"]["op"], "exiting_channel");
    // The export imports again.
    let again = dir.path().join("again.json");
    std::fs::write(&again, &out).unwrap();
    let (code, _, err) = tickwarden(dir.path(), &["rules", "import", again.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = tickwarden(dir.path(), &["rules", "list"]);
    assert_eq!(out.lines().count(), 4);
}

#[test]
fn a_bad_file_is_refused_whole_with_the_rule_and_field_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.json");
    std::fs::write(&file, RULES.replace("\"volume_z\"", "\"volme_z\"")).unwrap();
    let (code, _, err) = tickwarden(dir.path(), &["rules", "import", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("rules[1].when.metric: unknown metric \"volme_z\""),
        "{err}"
    );
    let (_, out, _) = tickwarden(dir.path(), &["rules", "list"]);
    assert!(out.trim().is_empty(), "nothing half-imported: {out}");
    let (code, _, err) = tickwarden(dir.path(), &["rules", "enable", "99"]);
    assert_eq!(code, 2);
    assert!(err.contains("rule 99 does not exist"), "{err}");
}
