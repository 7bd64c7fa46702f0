//! What a first start sets up: the demo watchlist and rules that show the alert path working
//! within a couple of minutes.

use tw_core::rule::RuleSpec;
use tw_core::Symbol;
use tw_store::Store;

pub const DEFAULT_WATCHLIST: &str = "default";
const INITIALIZED: &str = "initialized";

const DEFAULT_RULES: [&str; 2] = [
    r#"{ "name": "Volume burst",
         "target": { "watchlist": "default" },
         "interval": "1m",
         "when": { "metric": "volume_z", "op": "crosses_up", "value": 3 },
         "level": "high",
         "frequency": { "mode": "once_per_bar", "cooldown_s": 300 },
         "message": "{symbol}: volume burst ({reasons}), price {price}" }"#,
    r#"{ "name": "Big 24h move",
         "target": { "watchlist": "default" },
         "interval": "1m",
         "when": { "any": [ { "metric": "change_pct", "op": "crosses_up", "value": 8 },
                            { "metric": "change_pct", "op": "crosses_down", "value": -8 } ] },
         "level": "medium",
         "frequency": { "mode": "once_per_bar", "cooldown_s": 3600 } }"#,
];

/// Creates the defaults once per database. Returns true on a first start.
pub async fn ensure(store: &Store, symbols: &[Symbol], now_ms: i64) -> tw_store::Result<bool> {
    if store.setting(INITIALIZED).await?.is_some() {
        return Ok(false);
    }
    for s in symbols {
        store.watchlist_add(DEFAULT_WATCHLIST, s.as_str()).await?;
    }
    for json in DEFAULT_RULES {
        let spec = RuleSpec::from_json(json).expect("built-in rule parses");
        store.insert_rule(&spec, now_ms).await?;
    }
    store.set_setting(INITIALIZED, &now_ms.to_string()).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_rules_compile() {
        for json in DEFAULT_RULES {
            let spec = RuleSpec::from_json(json).unwrap();
            tw_analytics::rules::compile(1, &spec, Some(0)).unwrap();
        }
    }
}
