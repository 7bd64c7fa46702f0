//! Which symbols a venue watches: a fixed list (watchlist, `--symbols`), checked against
//! exchangeInfo, or the top N by 24 h quote volume among the symbols that are trading.

use super::messages::ExchangeInfo;
use super::parse::{parse_exchange_info, parse_tickers};
use super::{Path, RestClient, Universe, Venue};
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
pub enum UniverseError {
    #[error(transparent)]
    Rest(#[from] super::rest::RestError),
    #[error("{what} of {venue}: {source}")]
    Parse {
        what: &'static str,
        venue: &'static str,
        source: super::parse::ParseError,
    },
}

/// The symbols chosen, and those asked for that cannot be watched (with the reason).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Chosen {
    pub codes: Vec<String>,
    pub rejected: Vec<(String, String)>,
}

/// Statuses of the symbols that may be watched: trading, and for futures perpetual.
pub(crate) fn tradable(info: &ExchangeInfo, venue: Venue) -> HashMap<&str, Result<(), String>> {
    info.symbols
        .iter()
        .map(|s| {
            let ok = if s.status != "TRADING" {
                Err(format!("status is {}", s.status))
            } else if venue == Venue::UsdM
                && s.contract_type.as_deref().is_some_and(|t| t != "PERPETUAL")
            {
                Err(format!(
                    "{} contract, not perpetual",
                    s.contract_type.as_deref().unwrap_or("")
                ))
            } else {
                Ok(())
            };
            (s.symbol.as_str(), ok)
        })
        .collect()
}

/// The `n` tradable symbols with the largest quote volume, at least `min_quote_volume`.
pub fn choose_top(
    tickers: &[(String, f64)],
    info: &ExchangeInfo,
    venue: Venue,
    n: usize,
    min_quote_volume: f64,
) -> Vec<String> {
    let ok = tradable(info, venue);
    let mut picks: Vec<&(String, f64)> = tickers
        .iter()
        .filter(|(s, qv)| *qv >= min_quote_volume && matches!(ok.get(s.as_str()), Some(Ok(()))))
        .collect();
    picks.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    picks.into_iter().take(n).map(|(s, _)| s.clone()).collect()
}

/// Splits a fixed list into what can be watched and what cannot (unknown, halted, …).
pub fn check_fixed(codes: &[String], info: &ExchangeInfo, venue: Venue) -> Chosen {
    let ok = tradable(info, venue);
    let mut out = Chosen::default();
    for c in codes {
        match ok.get(c.as_str()) {
            Some(Ok(())) => {
                if !out.codes.contains(c) {
                    out.codes.push(c.clone())
                }
            }
            Some(Err(why)) => out.rejected.push((c.clone(), why.clone())),
            None => out
                .rejected
                .push((c.clone(), format!("{} has no such symbol", venue.source()))),
        }
    }
    out
}

/// Asks the venue and chooses.
pub async fn resolve(
    rest: &RestClient,
    venue: Venue,
    universe: &Universe,
) -> Result<Chosen, UniverseError> {
    let body = rest
        .get(venue.path(Path::ExchangeInfo), venue.exchange_info_weight())
        .await?;
    let info = parse_exchange_info(&body).map_err(|source| UniverseError::Parse {
        what: "exchangeInfo",
        venue: venue.source(),
        source,
    })?;
    match universe {
        Universe::Fixed(codes) => Ok(check_fixed(codes, &info, venue)),
        Universe::Watchlist => Ok(Chosen::default()),
        Universe::TopByQuoteVolume {
            n,
            min_quote_volume,
            ..
        } => {
            let body = rest
                .get(venue.path(Path::Ticker24h), venue.ticker_all_weight())
                .await?;
            let tickers = parse_tickers(&body).map_err(|source| UniverseError::Parse {
                what: "24h tickers",
                venue: venue.source(),
                source,
            })?;
            Ok(Chosen {
                codes: choose_top(&tickers, &info, venue, *n, *min_quote_volume),
                rejected: Vec::new(),
            })
        }
    }
}
