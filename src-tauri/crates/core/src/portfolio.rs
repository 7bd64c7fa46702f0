//! The user's own holdings and the portfolio figures shown for them: the IPC contract of the
//! portfolio view. Values are in the account currency unless a field says otherwise.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// Symbols of the portfolio's own series: `portfolio:total` for the whole account and
/// `portfolio:<held symbol>` (e.g. `portfolio:binance:BTCUSDT`) per position. Rules on
/// portfolio metrics (`pnl_day_pct`, `drawdown_pct`, `weight_pct`, …) target these.
pub const PORTFOLIO_SOURCE: &str = "portfolio";
pub const PORTFOLIO_TOTAL: &str = "portfolio:total";

/// One lot the user holds (several lots of one symbol add up to one position).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Holding {
    #[ts(type = "number")]
    pub id: i64,
    pub symbol: String,
    pub quantity: f64,
    pub cost: f64,
    pub opened: String,
    pub currency: Option<String>,
    pub note: Option<String>,
}

impl Holding {
    pub fn new(id: i64, lot: HoldingInput) -> Self {
        Holding {
            id,
            symbol: lot.symbol,
            quantity: lot.quantity,
            cost: lot.cost,
            opened: lot.opened,
            currency: lot.currency,
            note: lot.note,
        }
    }
}

/// What the user enters for a lot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HoldingInput {
    /// `source:code`, e.g. `binance:BTCUSDT`, `tushare:600036.SH`, `yahoo:AAPL`.
    pub symbol: String,
    /// Units held; negative for a short position.
    pub quantity: f64,
    /// Cost per unit, in the instrument's currency.
    pub cost: f64,
    /// Day bought, `YYYY-MM-DD`.
    pub opened: String,
    /// The instrument's currency (ISO code); absent: inferred from the symbol.
    #[serde(default)]
    #[ts(optional)]
    pub currency: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub note: Option<String>,
}

/// The account currency and the exchange rates the user gave by hand (units of the account
/// currency for one unit of the key currency). Rates found in stored Yahoo FX series
/// (`yahoo:CNY=X`, `yahoo:EURUSD=X`) are used when no rate is given here.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PortfolioSettings {
    pub currency: String,
    #[serde(default)]
    pub fx: BTreeMap<String, f64>,
}

impl Default for PortfolioSettings {
    fn default() -> Self {
        PortfolioSettings {
            currency: "USD".into(),
            fx: BTreeMap::new(),
        }
    }
}

/// One position as it stands now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PositionRow {
    pub symbol: String,
    pub quantity: f64,
    /// Average cost per unit, in the instrument's currency.
    pub avg_cost: f64,
    pub currency: String,
    /// Last price, in the instrument's currency; absent before any price is known.
    pub price: Option<f64>,
    /// Units of the account currency per unit of the instrument's currency.
    pub fx: Option<f64>,
    pub value: Option<f64>,
    pub day_pnl: Option<f64>,
    pub day_pnl_pct: Option<f64>,
    pub total_pnl: Option<f64>,
    pub total_pnl_pct: Option<f64>,
    /// Share of the gross value (sum of |value|), %.
    pub weight_pct: Option<f64>,
    /// Annualised volatility of the instrument's daily returns, %.
    pub volatility_pct: Option<f64>,
    /// Alerts on this symbol in the last hour.
    pub alerts_1h: u32,
    /// Why figures are missing, in words (no price yet, no exchange rate).
    pub problem: Option<String>,
}

/// Risk of the portfolio as held today, from the daily closes of its positions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PortfolioRisk {
    /// Daily returns the figures rest on.
    pub days: u32,
    pub volatility_pct: Option<f64>,
    /// One-day value at risk as a loss in % of the value: historical and normal (parametric).
    pub var95_hist_pct: Option<f64>,
    pub var99_hist_pct: Option<f64>,
    pub var95_param_pct: Option<f64>,
    pub var99_param_pct: Option<f64>,
    /// The historical 95 % VaR in the account currency.
    pub var95_amount: Option<f64>,
    pub max_drawdown_pct: Option<f64>,
    /// Below the peak value now, %.
    pub drawdown_pct: Option<f64>,
    /// Annualised, risk-free rate 0.
    pub sharpe: Option<f64>,
    /// Herfindahl–Hirschman index of the weights (0..1; 1 = one position).
    pub hhi: Option<f64>,
    pub top_weight_pct: Option<f64>,
}

/// The value of today's holdings on one past day, and its drawdown below the running peak.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ValuePoint {
    #[ts(type = "number")]
    pub time: i64,
    pub value: f64,
    pub drawdown_pct: f64,
}

/// Everything the portfolio view shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PortfolioView {
    pub currency: String,
    pub value: f64,
    pub day_pnl: f64,
    pub day_pnl_pct: Option<f64>,
    pub total_pnl: f64,
    pub total_pnl_pct: Option<f64>,
    pub positions: Vec<PositionRow>,
    pub risk: PortfolioRisk,
    pub history: Vec<ValuePoint>,
    /// Problems that make the totals incomplete, in words.
    pub warnings: Vec<String>,
    #[ts(type = "number")]
    pub as_of: i64,
}

impl HoldingInput {
    /// Checks every field; the error names the field and the reason.
    pub fn validate(&self) -> Result<(), String> {
        crate::Symbol::parse(&self.symbol).map_err(|e| format!("symbol: {e}"))?;
        if self.symbol.starts_with("portfolio:") {
            return Err("symbol: the portfolio's own series cannot be held".into());
        }
        if !self.quantity.is_finite() || self.quantity == 0.0 {
            return Err(format!(
                "quantity: must be a number other than 0 (negative for a short), got {}",
                self.quantity
            ));
        }
        if !self.cost.is_finite() || self.cost < 0.0 {
            return Err(format!(
                "cost: must be a price of 0 or more, got {}",
                self.cost
            ));
        }
        if !is_date(&self.opened) {
            return Err(format!(
                "opened: must be a date as YYYY-MM-DD, got {:?}",
                self.opened
            ));
        }
        if let Some(c) = &self.currency {
            if !is_currency(c) {
                return Err(format!(
                    "currency: must be a code of 3 to 5 capital letters such as USD or CNY, got {c:?}"
                ));
            }
        }
        Ok(())
    }
}

/// A currency code: 3 to 5 ASCII capitals (ISO 4217, and stablecoins such as USDT).
pub fn is_currency(c: &str) -> bool {
    (3..=5).contains(&c.len()) && c.chars().all(|ch| ch.is_ascii_uppercase())
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2200).contains(&y) && (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lot() -> HoldingInput {
        HoldingInput {
            symbol: "binance:BTCUSDT".into(),
            quantity: 0.5,
            cost: 30_000.0,
            opened: "2024-02-29".into(),
            currency: None,
            note: None,
        }
    }

    #[test]
    fn a_lot_is_checked_field_by_field() {
        assert_eq!(lot().validate(), Ok(()));
        let bad = |f: fn(&mut HoldingInput)| {
            let mut l = lot();
            f(&mut l);
            l.validate().unwrap_err()
        };
        assert!(bad(|l| l.symbol = "BTC".into()).starts_with("symbol:"));
        assert!(bad(|l| l.symbol = "portfolio:total".into()).starts_with("symbol:"));
        assert!(bad(|l| l.quantity = 0.0).starts_with("quantity:"));
        assert!(bad(|l| l.quantity = f64::NAN).starts_with("quantity:"));
        assert!(bad(|l| l.cost = -1.0).starts_with("cost:"));
        assert!(bad(|l| l.opened = "2023-02-29".into()).starts_with("opened:"));
        assert!(bad(|l| l.opened = "2024/01/01".into()).starts_with("opened:"));
        assert!(bad(|l| l.currency = Some("usd".into())).starts_with("currency:"));
        let mut short = lot();
        short.quantity = -2.0;
        assert_eq!(short.validate(), Ok(()));
    }
}
