//! The portfolio on the engine handle: holdings (add, edit, delete, CSV import), the account
//! currency and exchange rates, and the live view. The book itself lives in the series stage,
//! which prices it with every update of a held symbol and passes its `portfolio:` series to
//! the rules (see `engine.rs`).

use crate::engine::EngineHandle;
use crate::error::EngineError;
use std::collections::{BTreeSet, HashMap};
use tw_analytics::portfolio::{
    fx_candidates, infer_currency, resolve_fx, PortfolioBook, PortfolioInputs,
};
use tw_core::portfolio::{is_currency, Holding, HoldingInput, PortfolioSettings, PortfolioView};
use tw_core::Interval;

const SETTINGS_KEY: &str = "portfolio";
const DAY_MS: i64 = 86_400_000;
/// Days of daily closes loaded per held symbol (the chart keeps two years).
const DAILY_LOOKBACK_DAYS: i64 = 760;

impl EngineHandle {
    pub async fn portfolio_settings(&self) -> Result<PortfolioSettings, EngineError> {
        Ok(match self.0.store.setting(SETTINGS_KEY).await? {
            Some(json) => serde_json::from_str(&json).unwrap_or_else(|e| {
                tracing::warn!("portfolio settings unreadable, using the defaults: {e}");
                PortfolioSettings::default()
            }),
            None => PortfolioSettings::default(),
        })
    }

    pub async fn set_portfolio_settings(
        &self,
        s: PortfolioSettings,
    ) -> Result<PortfolioSettings, EngineError> {
        validate_settings(&s).map_err(EngineError::InvalidInput)?;
        let json =
            serde_json::to_string(&s).map_err(|e| EngineError::InvalidInput(e.to_string()))?;
        self.0.store.set_setting(SETTINGS_KEY, &json).await?;
        self.refresh_portfolio().await?;
        Ok(s)
    }

    pub async fn holdings(&self) -> Result<Vec<Holding>, EngineError> {
        Ok(self.0.store.holdings().await?)
    }

    pub async fn add_holding(&self, lot: HoldingInput) -> Result<Holding, EngineError> {
        let lot = normalise(lot).map_err(EngineError::InvalidInput)?;
        let h = self
            .0
            .store
            .insert_holdings(std::slice::from_ref(&lot), self.0.clock.now_ms())
            .await?;
        self.refresh_portfolio().await?;
        Ok(h.into_iter().next().expect("one lot inserted"))
    }

    pub async fn update_holding(&self, id: i64, lot: HoldingInput) -> Result<Holding, EngineError> {
        let lot = normalise(lot).map_err(EngineError::InvalidInput)?;
        let h = self
            .0
            .store
            .update_holding(id, &lot, self.0.clock.now_ms())
            .await?;
        self.refresh_portfolio().await?;
        Ok(h)
    }

    pub async fn delete_holding(&self, id: i64) -> Result<(), EngineError> {
        self.0.store.delete_holding(id).await?;
        self.refresh_portfolio().await
    }

    /// Adds every lot of a CSV (`symbol,quantity,cost,date[,currency][,note]`, a header
    /// line first), or none: a bad line is refused with its line and column.
    pub async fn import_holdings_csv(&self, text: &str) -> Result<Vec<Holding>, EngineError> {
        let lots = parse_holdings_csv(text).map_err(EngineError::InvalidInput)?;
        let h = self
            .0
            .store
            .insert_holdings(&lots, self.0.clock.now_ms())
            .await?;
        self.refresh_portfolio().await?;
        Ok(h)
    }

    /// The portfolio as it stands now.
    pub fn portfolio(&self) -> PortfolioView {
        self.0.portfolio.lock().unwrap().view(self.0.clock.now_ms())
    }

    /// Rebuilds the book from the stored holdings, daily closes, exchange rates and the last
    /// hour's alerts (after any change, and periodically for new daily closes and rates).
    pub async fn refresh_portfolio(&self) -> Result<(), EngineError> {
        let now = self.0.clock.now_ms();
        let settings = self.portfolio_settings().await?;
        let holdings = self.0.store.holdings().await?;
        let symbols: BTreeSet<String> = holdings.iter().map(|h| h.symbol.clone()).collect();
        let mut inputs = PortfolioInputs {
            currency: settings.currency.clone(),
            ..Default::default()
        };
        for s in &symbols {
            let daily = self
                .0
                .store
                .candles_between(
                    s,
                    Interval::D1,
                    now - DAILY_LOOKBACK_DAYS * DAY_MS,
                    i64::MAX,
                )
                .await?;
            inputs.daily.insert(
                s.clone(),
                daily.iter().map(|c| (c.open_time, c.close)).collect(),
            );
            if let Some(p) = self.latest_price(s).await? {
                inputs.last_prices.insert(s.clone(), p);
            }
            inputs.recent_alerts.insert(
                s.clone(),
                self.0.store.alert_times_since(s, now - 3_600_000).await?,
            );
        }
        // Exchange rates: every candidate pair resolve_fx may ask for, priced up front.
        let ccys: BTreeSet<String> = holdings
            .iter()
            .map(|h| {
                h.currency
                    .clone()
                    .unwrap_or_else(|| infer_currency(&h.symbol))
            })
            .collect();
        let a = &settings.currency;
        let mut prices: HashMap<String, f64> = HashMap::new();
        for c in &ccys {
            for cand in fx_candidates(c, a) {
                if prices.contains_key(&cand) {
                    continue;
                }
                if let Some(p) = self.latest_price(&cand).await? {
                    prices.insert(cand, p);
                }
            }
        }
        let lookup = |s: &str| prices.get(s).copied();
        for c in &ccys {
            if let Some(r) = resolve_fx(c, a, &settings.fx, &lookup) {
                inputs.fx.insert(c.clone(), r);
            }
        }
        inputs.holdings = holdings;
        let book = PortfolioBook::build(inputs, now);
        *self.0.portfolio.lock().unwrap() = book;
        Ok(())
    }

    /// The last price of `symbol`: its live bar, else its newest stored 1m or 1d close.
    async fn latest_price(&self, symbol: &str) -> Result<Option<f64>, EngineError> {
        if let Some(c) = self.0.live.current(symbol) {
            return Ok(Some(c.close));
        }
        for interval in [Interval::M1, Interval::D1] {
            if let Some(c) = self.0.store.candles(symbol, interval, 1).await?.pop() {
                return Ok(Some(c.close));
            }
        }
        Ok(None)
    }
}

fn normalise(mut lot: HoldingInput) -> Result<HoldingInput, String> {
    lot.symbol = lot.symbol.trim().to_string();
    lot.opened = lot.opened.trim().to_string();
    lot.currency = lot
        .currency
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty());
    lot.note = lot
        .note
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    lot.validate()?;
    Ok(lot)
}

fn validate_settings(s: &PortfolioSettings) -> Result<(), String> {
    if !is_currency(&s.currency) {
        return Err(format!(
            "currency: must be a code of 3 to 5 capital letters such as USD or CNY, got {:?}",
            s.currency
        ));
    }
    for (c, r) in &s.fx {
        if !is_currency(c) {
            return Err(format!("fx: {c:?} is not a currency code"));
        }
        if !r.is_finite() || *r <= 0.0 {
            return Err(format!(
                "fx.{c}: the rate must be a number above 0, got {r}"
            ));
        }
    }
    Ok(())
}

/// Reads a holdings CSV. The header names the columns (any order, any case): `symbol`,
/// `quantity` (or `qty`), `cost` (or `price`), `date` (or `opened`), and optionally
/// `currency` and `note`; the Chinese headers 代码, 数量, 成本, 日期, 币种, 备注 work too.
pub fn parse_holdings_csv(text: &str) -> Result<Vec<HoldingInput>, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = rdr
        .headers()
        .map_err(|e| format!("line 1: {e}"))?
        .iter()
        .map(|h| h.to_lowercase())
        .collect::<Vec<_>>();
    let find = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let need = |names: &[&str], what: &str| {
        find(names).ok_or_else(|| {
            format!(
                "line 1: no {what} column (the header must name symbol, quantity, cost and date; \
                 found: {})",
                header.join(", ")
            )
        })
    };
    let sym = need(&["symbol", "代码"], "symbol")?;
    let qty = need(&["quantity", "qty", "数量"], "quantity")?;
    let cost = need(&["cost", "price", "成本"], "cost")?;
    let date = need(&["date", "opened", "日期"], "date")?;
    let ccy = find(&["currency", "币种"]);
    let note = find(&["note", "备注"]);
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| format!("line {line}: {e}"))?;
        if rec.iter().all(|f| f.is_empty()) {
            continue;
        }
        let field = |col: usize| rec.get(col).unwrap_or("");
        let number = |col: usize, what: &str| -> Result<f64, String> {
            field(col).replace(',', "").parse::<f64>().map_err(|_| {
                format!(
                    "line {line}, column {} ({what}): {:?} is not a number",
                    col + 1,
                    field(col)
                )
            })
        };
        let lot = HoldingInput {
            symbol: field(sym).to_string(),
            quantity: number(qty, "quantity")?,
            cost: number(cost, "cost")?,
            opened: field(date).to_string(),
            currency: ccy.map(|c| field(c).to_string()),
            note: note.map(|c| field(c).to_string()),
        };
        let lot = normalise(lot).map_err(|e| {
            let (name, _) = e.split_once(':').unwrap_or(("", ""));
            let col = match name {
                "symbol" => Some(sym),
                "quantity" => Some(qty),
                "cost" => Some(cost),
                "opened" => Some(date),
                "currency" => ccy,
                _ => None,
            };
            match col {
                Some(c) => format!("line {line}, column {}: {e}", c + 1),
                None => format!("line {line}: {e}"),
            }
        })?;
        out.push(lot);
    }
    if out.is_empty() {
        return Err("the file holds no lots (a header line, then one lot per line)".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_lots_are_read_with_any_column_order_and_chinese_headers() {
        let lots = parse_holdings_csv(
            "Quantity,Symbol,Cost,Date,Note\n2,yahoo:AAPL,150.5,2024-01-02,\"core, long\"\n\n",
        )
        .unwrap();
        assert_eq!(lots[0].symbol, "yahoo:AAPL");
        assert_eq!(lots[0].note.as_deref(), Some("core, long"));
        let lots = parse_holdings_csv(
            "\u{feff}代码,数量,成本,日期\ntushare:600036.SH,1000,32.1,2023-05-06\n",
        )
        .unwrap();
        assert_eq!(lots[0].quantity, 1000.0);
    }

    #[test]
    fn a_bad_line_is_named_by_line_and_column() {
        let e = parse_holdings_csv(
            "symbol,quantity,cost,date\nyahoo:AAPL,2,1,2024-01-02\nyahoo:MSFT,two,1,2024-01-02\n",
        )
        .unwrap_err();
        assert_eq!(e, "line 3, column 2 (quantity): \"two\" is not a number");
        let e = parse_holdings_csv("symbol,quantity,cost,date\nyahoo:AAPL,2,1,02/01/2024\n")
            .unwrap_err();
        assert!(e.starts_with("line 2, column 4: opened:"), "{e}");
        let e = parse_holdings_csv("sym,quantity,cost,date\n").unwrap_err();
        assert!(e.contains("no symbol column"), "{e}");
        assert!(parse_holdings_csv("symbol,quantity,cost,date\n").is_err());
    }

    #[test]
    fn settings_are_checked() {
        let mut s = PortfolioSettings::default();
        assert!(validate_settings(&s).is_ok());
        s.fx.insert("CNY".into(), -1.0);
        assert!(validate_settings(&s).unwrap_err().starts_with("fx.CNY"));
        s.currency = "usd".into();
        assert!(validate_settings(&s).unwrap_err().starts_with("currency"));
    }
}
