//! Binance settings (stored in SQLite, read at start) and the watchlist that a Binance feed
//! in watchlist mode follows live.

use crate::defaults::DEFAULT_WATCHLIST;
use crate::engine::EngineHandle;
use crate::error::EngineError;
use std::time::Duration;
use tw_core::ipc::{BinanceSettings, BinanceUniverse, BinanceVenueSettings};
use tw_core::ui::{ConnectionCheck, ConnectionTest};
use tw_core::Symbol;
use tw_feeds::binance::{BinanceConfig, Universe, Venue};
use tw_store::Store;

/// The setting key; the value is the JSON of [`BinanceSettings`].
const KEY: &str = "binance";
/// How often a top-N universe is chosen again.
const TOP_REFRESH: Duration = Duration::from_secs(3600);

/// Checks settings before they are stored; the error names the field and the reason.
pub fn validate_binance_settings(s: &BinanceSettings) -> Result<(), String> {
    for (name, v) in [("usdm", &s.usdm), ("spot", &s.spot)] {
        if !(1..=1000).contains(&v.top_n) {
            return Err(format!(
                "{name}.topN: {} must be between 1 and 1000",
                v.top_n
            ));
        }
        if !v.min_quote_volume.is_finite() || v.min_quote_volume < 0.0 {
            return Err(format!(
                "{name}.minQuoteVolume: {} must be a number of at least 0",
                v.min_quote_volume
            ));
        }
        for (field, url, schemes) in [
            ("wsUrl", &v.ws_url, ["ws://", "wss://"]),
            ("restUrl", &v.rest_url, ["http://", "https://"]),
        ] {
            if let Some(u) = url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
                let host = schemes
                    .iter()
                    .find_map(|s| u.strip_prefix(s))
                    .ok_or_else(|| {
                        format!(
                            "{name}.{field}: {u:?} must start with {} or {}",
                            schemes[0], schemes[1]
                        )
                    })?;
                if host.is_empty() || host.starts_with('/') || u.contains(char::is_whitespace) {
                    return Err(format!("{name}.{field}: {u:?} has no host name"));
                }
            }
        }
    }
    Ok(())
}

/// The stored settings; defaults (both venues off) when there are none. Stored settings
/// that no longer parse are reported in the log and replaced by the defaults, so the app
/// still starts.
pub(crate) async fn load(store: &Store) -> Result<BinanceSettings, EngineError> {
    Ok(match store.setting(KEY).await? {
        None => BinanceSettings::default(),
        Some(json) => match serde_json::from_str::<BinanceSettings>(&json) {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!("the stored Binance settings are unreadable ({e}); using defaults");
                BinanceSettings::default()
            }
        },
    })
}

/// The feeds the settings turn on. Endpoints: the environment variables first, then the
/// settings, then Binance's own.
pub(crate) fn configs(s: &BinanceSettings) -> Vec<BinanceConfig> {
    [(Venue::UsdM, &s.usdm), (Venue::Spot, &s.spot)]
        .into_iter()
        .filter(|(_, v)| v.enabled)
        .map(|(venue, v)| venue_config(venue, v))
        .collect()
}

fn venue_config(venue: Venue, v: &BinanceVenueSettings) -> BinanceConfig {
    let mut cfg = BinanceConfig::new(venue);
    let (ws_var, rest_var) = venue.env_vars();
    let env_set = |k: &str| std::env::var(k).is_ok_and(|v| !v.trim().is_empty());
    let given = |u: &Option<String>| {
        u.as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_string)
    };
    if let (false, Some(u)) = (env_set(ws_var), given(&v.ws_url)) {
        cfg.ws_url = u;
    }
    if let (false, Some(u)) = (env_set(rest_var), given(&v.rest_url)) {
        cfg.rest_url = u;
    }
    cfg.universe = match v.universe {
        BinanceUniverse::Watchlist => Universe::Watchlist,
        BinanceUniverse::Top => Universe::TopByQuoteVolume {
            n: v.top_n as usize,
            min_quote_volume: v.min_quote_volume,
            refresh: TOP_REFRESH,
        },
    };
    cfg
}

impl EngineHandle {
    pub async fn binance_settings(&self) -> Result<BinanceSettings, EngineError> {
        load(&self.0.store).await
    }

    /// Checks and stores the Binance settings; they take effect at the next start.
    pub async fn set_binance_settings(&self, s: BinanceSettings) -> Result<(), EngineError> {
        validate_binance_settings(&s).map_err(EngineError::InvalidInput)?;
        let json = serde_json::to_string(&s)
            .map_err(|e| EngineError::InvalidInput(format!("Binance settings: {e}")))?;
        self.0.store.set_setting(KEY, &json).await?;
        Ok(())
    }

    /// Puts `symbol` (`binance-usdm:BTCUSDT`, …) on the default watchlist; a running
    /// Binance feed that follows the watchlist subscribes it at once.
    pub async fn watch_symbol(&self, symbol: &str) -> Result<(), EngineError> {
        let symbol = parse_symbol(symbol)?;
        self.0
            .store
            .watchlist_add(DEFAULT_WATCHLIST, symbol.as_str())
            .await?;
        for w in self.binance_watchers(&symbol) {
            w.watch(vec![symbol.code().to_string()])
                .await
                .map_err(EngineError::InvalidInput)?;
        }
        self.reload_rules().await
    }

    /// Takes `symbol` off the default watchlist; a Binance feed that follows the watchlist
    /// unsubscribes it.
    pub async fn unwatch_symbol(&self, symbol: &str) -> Result<(), EngineError> {
        let symbol = parse_symbol(symbol)?;
        self.0
            .store
            .watchlist_remove(DEFAULT_WATCHLIST, symbol.as_str())
            .await?;
        for w in self.binance_watchers(&symbol) {
            w.unwatch(vec![symbol.code().to_string()])
                .await
                .map_err(EngineError::InvalidInput)?;
        }
        self.reload_rules().await
    }

    /// "Test connection" of a Binance venue (`binance-usdm` or `binance-spot`), with the
    /// given venue settings (the form's, not saved yet) or the saved ones. Endpoints are
    /// chosen as the feed chooses them: the environment variable, the setting, Binance's own.
    pub async fn test_binance_connection(
        &self,
        source: &str,
        settings: Option<BinanceVenueSettings>,
    ) -> Result<ConnectionTest, EngineError> {
        let venue = Venue::parse(source).ok_or_else(|| {
            EngineError::InvalidInput(format!(
                "{source:?} is not a Binance source (binance-usdm or binance-spot)"
            ))
        })?;
        let v = match settings {
            Some(v) => v,
            None => {
                let s = self.binance_settings().await?;
                match venue {
                    Venue::UsdM => s.usdm,
                    Venue::Spot => s.spot,
                }
            }
        };
        let key = match venue {
            Venue::UsdM => "usdm",
            Venue::Spot => "spot",
        };
        let mut check = BinanceSettings::default();
        match venue {
            Venue::UsdM => check.usdm = v.clone(),
            Venue::Spot => check.spot = v.clone(),
        }
        validate_binance_settings(&check)
            .map_err(|e| EngineError::InvalidInput(e.replacen(&format!("{key}."), "", 1)))?;
        let p = tw_feeds::binance::probe(&venue_config(venue, &v)).await;
        Ok(ConnectionTest {
            ok: p.ok,
            summary: p.summary,
            checks: p
                .checks
                .into_iter()
                .map(|c| ConnectionCheck {
                    name: c.name,
                    ok: c.ok,
                    detail: c.detail,
                })
                .collect(),
        })
    }

    fn binance_watchers(&self, symbol: &Symbol) -> Vec<tw_feeds::binance::FeedControl> {
        self.0
            .binance_watch
            .iter()
            .filter(|w| w.venue.source() == symbol.source())
            .map(|w| w.control.clone())
            .collect()
    }
}

fn parse_symbol(s: &str) -> Result<Symbol, EngineError> {
    let symbol = Symbol::parse(s.trim()).map_err(|e| EngineError::InvalidInput(e.to_string()))?;
    if Venue::parse(symbol.source()).is_some()
        && !symbol
            .code()
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(EngineError::InvalidInput(format!(
            "{s:?}: a Binance symbol is upper-case letters and digits, e.g. binance-usdm:BTCUSDT"
        )));
    }
    Ok(symbol)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked_field_by_field() {
        let mut s = BinanceSettings::default();
        assert_eq!(validate_binance_settings(&s), Ok(()));
        s.spot.top_n = 0;
        assert!(validate_binance_settings(&s)
            .unwrap_err()
            .starts_with("spot.topN:"));
        s.spot.top_n = 20;
        s.usdm.ws_url = Some("https://fstream.binance.com".into());
        let e = validate_binance_settings(&s).unwrap_err();
        assert!(e.starts_with("usdm.wsUrl:") && e.contains("ws://"), "{e}");
        s.usdm.ws_url = Some("  ".into()); // blank: Binance's own
        s.usdm.rest_url = Some("http:///x".into());
        assert!(validate_binance_settings(&s)
            .unwrap_err()
            .starts_with("usdm.restUrl:"));
        s.usdm.rest_url = None;
        s.usdm.min_quote_volume = f64::NAN;
        assert!(validate_binance_settings(&s)
            .unwrap_err()
            .starts_with("usdm.minQuoteVolume:"));
    }

    #[test]
    fn settings_become_feed_configs() {
        let mut s = BinanceSettings::default();
        assert!(configs(&s).is_empty(), "both venues are off by default");
        s.spot.enabled = true;
        s.spot.universe = BinanceUniverse::Watchlist;
        s.usdm.enabled = true;
        s.usdm.top_n = 40;
        s.usdm.min_quote_volume = 5e6;
        s.usdm.rest_url = Some("http://127.0.0.1:9".into());
        let c = configs(&s);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].venue, Venue::UsdM);
        assert_eq!(
            c[0].universe,
            Universe::TopByQuoteVolume {
                n: 40,
                min_quote_volume: 5e6,
                refresh: TOP_REFRESH
            }
        );
        // The environment variable, when set, wins over the setting.
        let (_, rest_var) = Venue::UsdM.env_vars();
        let want = std::env::var(rest_var)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| "http://127.0.0.1:9".into());
        assert_eq!(c[0].rest_url, want);
        assert_eq!(c[1].venue, Venue::Spot);
        assert_eq!(c[1].universe, Universe::Watchlist);
    }

    #[test]
    fn binance_symbols_are_checked() {
        assert!(parse_symbol("binance-spot:ETHUSDT").is_ok());
        let e = parse_symbol("binance-spot:ethusdt")
            .unwrap_err()
            .to_string();
        assert!(e.contains("upper-case"), "{e}");
        assert!(parse_symbol("nosource").is_err());
    }
}
