//! Tushare tables → Tickwarden's candles, fundamentals, symbols and calendar days.
//!
//! Units follow the official docs: `daily.vol` is in lots of 100 shares and `amount` in
//! thousand CNY; `daily_basic.total_mv/circ_mv` and `moneyflow.*_amount` are in 10k CNY. They
//! are converted to shares and CNY here. A `null` (or NaN) is left out, never turned into 0.

use super::messages::Table;
use super::pinyin::initials;
use super::{date_ms, SOURCE};
use serde_json::Value;
use tw_core::{Candle, Fundamentals, Interval, Symbol};
use tw_store::StockSymbol;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ParseError {
    #[error("{api}: the answer has no {column:?} column (columns: {found})")]
    MissingColumn {
        api: String,
        column: String,
        found: String,
    },
    #[error("{api}: row {row}: {what}")]
    BadRow {
        api: String,
        row: usize,
        what: String,
    },
}

/// Columns looked up by name, so the order Tushare sends them in does not matter.
pub struct Rows<'a> {
    api: &'a str,
    table: &'a Table,
}

pub struct Row<'a> {
    cols: &'a [String],
    values: &'a [Value],
}

impl<'a> Rows<'a> {
    pub fn new(api: &'a str, table: &'a Table) -> Self {
        Rows { api, table }
    }
    /// Fails early, naming the column, when a field the parser needs is absent.
    pub fn require(&self, columns: &[&str]) -> Result<(), ParseError> {
        for c in columns {
            if !self.table.fields.iter().any(|f| f == c) {
                return Err(ParseError::MissingColumn {
                    api: self.api.to_string(),
                    column: c.to_string(),
                    found: self.table.fields.join(","),
                });
            }
        }
        Ok(())
    }
    pub fn iter(&self) -> impl Iterator<Item = (usize, Row<'a>)> + 'a {
        let cols = &self.table.fields;
        self.table.items.iter().enumerate().map(move |(i, values)| {
            (
                i,
                Row {
                    cols,
                    values: values.as_slice(),
                },
            )
        })
    }
    fn bad(&self, row: usize, what: impl Into<String>) -> ParseError {
        ParseError::BadRow {
            api: self.api.to_string(),
            row,
            what: what.into(),
        }
    }
}

impl Row<'_> {
    fn get(&self, name: &str) -> Option<&Value> {
        let i = self.cols.iter().position(|c| c == name)?;
        self.values.get(i)
    }
    pub fn str(&self, name: &str) -> Option<&str> {
        self.get(name)?.as_str().filter(|s| !s.is_empty())
    }
    /// A number, or `None` for `null`, NaN, an empty string or a missing column.
    pub fn num(&self, name: &str) -> Option<f64> {
        let v = match self.get(name)? {
            Value::Number(n) => n.as_f64()?,
            // Some clients (and pandas round trips) write numbers as text, "NaN" included.
            Value::String(s) => s.trim().parse::<f64>().ok()?,
            _ => return None,
        };
        v.is_finite().then_some(v)
    }
}

pub fn symbol(ts_code: &str) -> Symbol {
    Symbol::new(SOURCE, ts_code)
}

/// `daily` → closed 1d candles, oldest first. A row without a price is skipped and reported.
pub fn daily(table: &Table) -> Result<(Vec<Candle>, Vec<ParseError>), ParseError> {
    let rows = Rows::new("daily", table);
    rows.require(&["ts_code", "trade_date", "open", "high", "low", "close"])?;
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for (i, r) in rows.iter() {
        let (Some(code), Some(date)) = (r.str("ts_code"), r.str("trade_date")) else {
            skipped.push(rows.bad(i, "no ts_code or trade_date"));
            continue;
        };
        let Some(day) = date_ms(date) else {
            skipped.push(rows.bad(i, format!("trade_date {date:?} is not YYYYMMDD")));
            continue;
        };
        let (Some(open), Some(high), Some(low), Some(close)) =
            (r.num("open"), r.num("high"), r.num("low"), r.num("close"))
        else {
            skipped.push(rows.bad(i, format!("{code} {date}: a price is missing")));
            continue;
        };
        out.push(Candle {
            symbol: symbol(code),
            interval: Interval::D1,
            open_time: day,
            open,
            high,
            low,
            close,
            // Lots of 100 shares; thousand CNY.
            volume: r.num("vol").map(|v| v * 100.0).unwrap_or(0.0),
            quote_volume: r.num("amount").map(|v| v * 1000.0).unwrap_or(0.0),
            trades: 0,
            closed: true,
        });
    }
    out.sort_by(|a, b| (&a.symbol, a.open_time).cmp(&(&b.symbol, b.open_time)));
    Ok((out, skipped))
}

/// `daily_basic` metric name ← Tushare field, with the factor to natural units.
const DAILY_BASIC: [(&str, &str, f64); 12] = [
    ("turnover_rate", "turnover_rate", 1.0),
    ("turnover_rate_free", "turnover_rate_f", 1.0),
    ("volume_ratio", "volume_ratio", 1.0),
    ("pe", "pe", 1.0),
    ("pe_ttm", "pe_ttm", 1.0),
    ("pb", "pb", 1.0),
    ("ps", "ps", 1.0),
    ("ps_ttm", "ps_ttm", 1.0),
    ("dv_ratio", "dv_ratio", 1.0),
    ("dv_ttm", "dv_ttm", 1.0),
    ("total_mv", "total_mv", 10_000.0),
    ("circ_mv", "circ_mv", 10_000.0),
];

/// Fields asked from `daily_basic`.
pub const DAILY_BASIC_FIELDS: &str = "ts_code,trade_date,turnover_rate,turnover_rate_f,\
    volume_ratio,pe,pe_ttm,pb,ps,ps_ttm,dv_ratio,dv_ttm,total_mv,circ_mv";

/// `daily_basic` → per-day fundamentals (turnover rate %, volume ratio 量比, PE, PB, market
/// cap in CNY, …). A value Tushare has no number for (loss-making PE is `null`) is left out.
pub fn daily_basic(table: &Table, backfill: bool) -> Result<Vec<Fundamentals>, ParseError> {
    fundamentals("daily_basic", table, backfill, |r| {
        DAILY_BASIC
            .iter()
            .filter_map(|(metric, field, k)| r.num(field).map(|v| (metric.to_string(), v * k)))
            .collect()
    })
}

/// `moneyflow` → net inflow of large and extra-large orders (主力: large + extra-large), in
/// CNY, plus Tushare's own net figure.
pub fn moneyflow(table: &Table, backfill: bool) -> Result<Vec<Fundamentals>, ParseError> {
    Rows::new("moneyflow", table).require(&["buy_lg_amount", "sell_lg_amount"])?;
    fundamentals("moneyflow", table, backfill, |r| {
        let net = |side: &str| {
            Some(
                (r.num(&format!("buy_{side}_amount"))? - r.num(&format!("sell_{side}_amount"))?)
                    * 10_000.0,
            )
        };
        let lg = net("lg");
        let elg = net("elg");
        let mut v = Vec::new();
        if let Some(x) = lg {
            v.push(("large_net_inflow".to_string(), x));
        }
        if let Some(x) = elg {
            v.push(("xlarge_net_inflow".to_string(), x));
        }
        if let (Some(a), Some(b)) = (lg, elg) {
            v.push(("main_net_inflow".to_string(), a + b));
        }
        if let Some(x) = r.num("net_mf_amount") {
            v.push(("net_mf_amount".to_string(), x * 10_000.0));
        }
        v
    })
}

fn fundamentals(
    api: &str,
    table: &Table,
    backfill: bool,
    values: impl Fn(&Row) -> Vec<(String, f64)>,
) -> Result<Vec<Fundamentals>, ParseError> {
    let rows = Rows::new(api, table);
    rows.require(&["ts_code", "trade_date"])?;
    let mut out = Vec::new();
    for (i, r) in rows.iter() {
        let (Some(code), Some(date)) = (r.str("ts_code"), r.str("trade_date")) else {
            return Err(rows.bad(i, "no ts_code or trade_date"));
        };
        let day_ms = date_ms(date)
            .ok_or_else(|| rows.bad(i, format!("trade_date {date:?} is not YYYYMMDD")))?;
        out.push(Fundamentals {
            symbol: symbol(code),
            day_ms,
            values: values(&r),
            backfill,
        });
    }
    out.sort_by(|a, b| (&a.symbol, a.day_ms).cmp(&(&b.symbol, b.day_ms)));
    Ok(out)
}

pub const STOCK_BASIC_FIELDS: &str = "ts_code,symbol,name,area,industry,market,list_date";

/// `stock_basic` → the searchable symbol list (with the pinyin initials of each name).
pub fn stock_basic(table: &Table) -> Result<Vec<StockSymbol>, ParseError> {
    let rows = Rows::new("stock_basic", table);
    rows.require(&["ts_code", "name"])?;
    let mut out = Vec::new();
    for (i, r) in rows.iter() {
        let (Some(code), Some(name)) = (r.str("ts_code"), r.str("name")) else {
            return Err(rows.bad(i, "no ts_code or name"));
        };
        out.push(StockSymbol {
            symbol: symbol(code).to_string(),
            name: name.to_string(),
            pinyin: initials(name),
            area: r.str("area").map(str::to_string),
            industry: r.str("industry").map(str::to_string),
            market: r.str("market").map(str::to_string),
            list_date: r.str("list_date").map(str::to_string),
        });
    }
    Ok(out)
}

/// `trade_cal` → (YYYYMMDD, open).
pub fn trade_cal(table: &Table) -> Result<Vec<(String, bool)>, ParseError> {
    let rows = Rows::new("trade_cal", table);
    rows.require(&["cal_date", "is_open"])?;
    rows.iter()
        .map(|(i, r)| {
            let date = r
                .str("cal_date")
                .filter(|d| date_ms(d).is_some())
                .ok_or_else(|| rows.bad(i, "cal_date is not YYYYMMDD"))?;
            // is_open is 0/1, sent as a number or (older answers) as text.
            let open = r
                .num("is_open")
                .ok_or_else(|| rows.bad(i, "is_open is not 0 or 1"))?;
            Ok((date.to_string(), open == 1.0))
        })
        .collect()
}
