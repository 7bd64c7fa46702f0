//! The user's holdings as a live series of their own: value, P&L, weights and risk, updated
//! with every price of a held symbol and published as `portfolio:` series updates so that
//! ordinary rules (a daily loss limit, a drawdown, a weight or volatility limit, too many
//! alerts on a holding) watch them through the same rule code as the market.

pub mod risk;

use crate::metric::{MetricKey, Metrics};
use crate::series::SeriesUpdate;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use tw_core::portfolio::{
    Holding, PortfolioRisk, PortfolioView, PositionRow, ValuePoint, PORTFOLIO_TOTAL,
};
use tw_core::{Candle, Interval, Symbol};

const DAY_MS: i64 = 86_400_000;
const HOUR_MS: i64 = 3_600_000;
/// Daily returns the risk figures look at (about a trading year).
pub const RISK_DAYS: usize = 250;
/// Past days of the value history kept for the chart.
pub const HISTORY_DAYS: usize = 730;

/// Stablecoins taken at one US dollar.
const USD_PEGGED: [&str; 6] = ["USDT", "USDC", "FDUSD", "BUSD", "TUSD", "DAI"];

/// The currency an instrument is quoted in, from its symbol: Tushare → CNY; Yahoo by the
/// exchange suffix (`.HK` → HKD, `.SS`/`.SZ` → CNY, `.T` → JPY, …, none → USD); Binance by
/// the quote asset at the end of the pair (`BTCUSDT` → USDT, `ETHBTC` → BTC); the demo
/// market and anything else → USD.
pub fn infer_currency(symbol: &str) -> String {
    let (src, code) = symbol.split_once(':').unwrap_or(("", symbol));
    match src {
        "tushare" => "CNY".into(),
        "yahoo" => {
            if code.ends_with("=X") {
                // An FX pair quotes the second currency (`EURUSD=X`) or, alone, USD→X.
                let c = code.trim_end_matches("=X");
                return if c.len() == 6 {
                    c[3..].to_string()
                } else {
                    c.to_string()
                };
            }
            let suffix = code.rsplit_once('.').map(|(_, s)| s).unwrap_or("");
            match suffix {
                "HK" => "HKD",
                "SS" | "SZ" => "CNY",
                "T" => "JPY",
                "L" => "GBP",
                "DE" | "F" | "PA" | "AS" | "MI" | "MC" => "EUR",
                "TO" | "V" => "CAD",
                "AX" => "AUD",
                "SI" => "SGD",
                "KS" | "KQ" => "KRW",
                "TW" | "TWO" => "TWD",
                _ => "USD",
            }
            .into()
        }
        "binance" | "binance-spot" | "binance-usdm" => {
            let c = code.to_ascii_uppercase();
            [
                "FDUSD", "USDT", "USDC", "BUSD", "TUSD", "BTC", "ETH", "BNB", "EUR", "TRY",
            ]
            .into_iter()
            .find(|q| c.ends_with(q) && c.len() > q.len())
            .unwrap_or("USDT")
            .into()
        }
        _ => "USD".into(),
    }
}

/// Every symbol [`resolve_fx`] may ask `lookup` for when converting `ccy` to `account`, so a
/// caller can price them up front.
pub fn fx_candidates(ccy: &str, account: &str) -> Vec<String> {
    let mut out = Vec::new();
    for c in [ccy, "USD"] {
        out.extend([
            format!("yahoo:{c}{account}=X"),
            format!("yahoo:{account}{c}=X"),
            format!("yahoo:{c}=X"),
            format!("yahoo:{account}=X"),
            format!("binance:{c}USDT"),
            format!("binance-spot:{c}USDT"),
            format!("binance-usdm:{c}USDT"),
        ]);
    }
    out.sort();
    out.dedup();
    out
}

/// Units of `account` for one unit of `ccy`: a rate the user gave, 1 for the same currency
/// (USD stablecoins count as USD), else a price `lookup` finds for a Yahoo FX pair
/// (`yahoo:CNYUSD=X`, the inverse `yahoo:USDCNY=X`, or USD-based `yahoo:CNY=X`) or, for a
/// crypto asset, its Binance price in USDT.
pub fn resolve_fx(
    ccy: &str,
    account: &str,
    manual: &BTreeMap<String, f64>,
    lookup: &dyn Fn(&str) -> Option<f64>,
) -> Option<f64> {
    let norm = |c: &str| -> String {
        if USD_PEGGED.contains(&c) {
            "USD".into()
        } else {
            c.to_string()
        }
    };
    let (c, a) = (norm(ccy), norm(account));
    if c == a {
        return Some(1.0);
    }
    if let Some(r) = manual.get(ccy).or_else(|| manual.get(&c)) {
        return Some(*r).filter(|r| r.is_finite() && *r > 0.0);
    }
    let pos = |s: String| lookup(&s).filter(|r| r.is_finite() && *r > 0.0);
    if let Some(r) = pos(format!("yahoo:{c}{a}=X")) {
        return Some(r);
    }
    if let Some(r) = pos(format!("yahoo:{a}{c}=X")) {
        return Some(1.0 / r);
    }
    if a == "USD" {
        if let Some(r) = pos(format!("yahoo:{c}=X")) {
            return Some(1.0 / r);
        }
    }
    if c == "USD" {
        if let Some(r) = pos(format!("yahoo:{a}=X")) {
            return Some(r);
        }
    }
    // A crypto asset: its USDT price, then USD → account.
    if c != "USD" {
        let usdt = pos(format!("binance:{c}USDT"))
            .or_else(|| pos(format!("binance-spot:{c}USDT")))
            .or_else(|| pos(format!("binance-usdm:{c}USDT")));
        if let Some(p) = usdt {
            return Some(p * resolve_fx("USD", account, manual, lookup)?);
        }
    }
    None
}

/// Everything the book is built from.
#[derive(Clone, Debug, Default)]
pub struct PortfolioInputs {
    pub holdings: Vec<Holding>,
    pub currency: String,
    /// Units of the account currency per unit of each instrument currency, where known.
    pub fx: HashMap<String, f64>,
    /// Closed and current daily bars per held symbol, oldest first: (open time, close).
    pub daily: HashMap<String, Vec<(i64, f64)>>,
    /// Latest prices known now (the live bar), per held symbol.
    pub last_prices: HashMap<String, f64>,
    /// Alert times of the last hour per held symbol.
    pub recent_alerts: HashMap<String, Vec<i64>>,
}

struct Position {
    symbol: String,
    series: Symbol,
    qty: f64,
    /// Σ quantity × cost, in the instrument's currency.
    cost_basis: f64,
    ccy: String,
    fx: Option<f64>,
    price: Option<f64>,
    prev_close: Option<f64>,
    /// Day start (UTC) of `price`.
    day: i64,
    /// Earliest day a lot was opened (a lot bought today makes its day P&L from cost).
    opened_today_cost: Option<f64>,
    vol_pct: Option<f64>,
    var95_pct: Option<f64>,
    var99_pct: Option<f64>,
    peak_price: Option<f64>,
    alerts: VecDeque<i64>,
    prev: Option<Metrics>,
}

/// The portfolio's live state.
pub struct PortfolioBook {
    currency: String,
    positions: Vec<Position>,
    index: HashMap<String, usize>,
    /// Daily value of today's holdings (closed days), for risk and the chart.
    history: Vec<(i64, f64)>,
    risk: PortfolioRisk,
    periods_per_year: f64,
    peak: Option<f64>,
    total_series: Symbol,
    total_prev: Option<Metrics>,
    warnings: Vec<String>,
    as_of: i64,
}

fn day_of(ms: i64) -> i64 {
    ms - ms.rem_euclid(DAY_MS)
}

fn ymd_ms(date: &str) -> Option<i64> {
    let y: i64 = date.get(0..4)?.parse().ok()?;
    let m: i64 = date.get(5..7)?.parse().ok()?;
    let d: i64 = date.get(8..10)?.parse().ok()?;
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * DAY_MS)
}

impl PortfolioBook {
    /// An empty book: no holdings, nothing published.
    pub fn empty() -> Self {
        Self::build(
            PortfolioInputs {
                currency: "USD".into(),
                ..Default::default()
            },
            0,
        )
    }

    pub fn build(inp: PortfolioInputs, now_ms: i64) -> Self {
        let today = day_of(now_ms);
        let mut order: Vec<String> = Vec::new();
        let mut lots: HashMap<String, Vec<&Holding>> = HashMap::new();
        for h in &inp.holdings {
            if !lots.contains_key(&h.symbol) {
                order.push(h.symbol.clone());
            }
            lots.entry(h.symbol.clone()).or_default().push(h);
        }
        let mut warnings = Vec::new();
        let mut positions = Vec::new();
        let mut index = HashMap::new();
        let mut stock_only = true;
        for sym in order {
            let ls = &lots[&sym];
            let qty: f64 = ls.iter().map(|h| h.quantity).sum();
            let cost_basis: f64 = ls.iter().map(|h| h.quantity * h.cost).sum();
            let ccy = ls
                .iter()
                .find_map(|h| h.currency.clone())
                .unwrap_or_else(|| infer_currency(&sym));
            let fx = inp.fx.get(&ccy).copied();
            if fx.is_none() {
                warnings.push(format!(
                    "no {ccy}→{} exchange rate for {sym}: set one in the portfolio settings, or \
                     watch the Yahoo pair yahoo:{ccy}{}=X",
                    inp.currency, inp.currency
                ));
            }
            let today_lots: Vec<&&Holding> = ls
                .iter()
                .filter(|h| ymd_ms(&h.opened) == Some(today))
                .collect();
            let opened_today_cost =
                (!today_lots.is_empty() && today_lots.len() == ls.len()).then(|| cost_basis / qty);
            if !sym.starts_with("tushare:") && !sym.starts_with("yahoo:") {
                stock_only = false;
            }
            let daily = inp.daily.get(&sym).map(|v| v.as_slice()).unwrap_or(&[]);
            let closes: Vec<f64> = daily
                .iter()
                .filter(|(t, _)| *t < today)
                .map(|(_, c)| *c)
                .collect();
            let tail = &closes[closes.len().saturating_sub(RISK_DAYS + 1)..];
            let rets = risk::simple_returns(tail);
            let ppy = if sym.starts_with("tushare:") || sym.starts_with("yahoo:") {
                252.0
            } else {
                365.0
            };
            let price = inp
                .last_prices
                .get(&sym)
                .copied()
                .or_else(|| daily.last().map(|(_, c)| *c));
            let prev_close = closes.last().copied();
            let peak_price = closes
                .iter()
                .copied()
                .chain(price)
                .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
            let mut alerts: Vec<i64> = inp.recent_alerts.get(&sym).cloned().unwrap_or_default();
            alerts.sort_unstable();
            index.insert(sym.clone(), positions.len());
            positions.push(Position {
                series: Symbol::new("portfolio", &sym),
                symbol: sym,
                qty,
                cost_basis,
                ccy,
                fx,
                price,
                prev_close,
                day: today,
                opened_today_cost,
                vol_pct: risk::volatility(&rets, ppy).map(|v| v * 100.0),
                var95_pct: risk::historical_var(&rets, 0.95).map(|v| v * 100.0),
                var99_pct: risk::historical_var(&rets, 0.99).map(|v| v * 100.0),
                peak_price,
                alerts: alerts.into(),
                prev: None,
            });
        }
        let history = value_history(&positions, &inp.daily, today, &mut warnings);
        let periods_per_year = if stock_only { 252.0 } else { 365.0 };
        let mut book = PortfolioBook {
            currency: inp.currency,
            positions,
            index,
            peak: history.iter().map(|(_, v)| *v).reduce(f64::max),
            history,
            risk: PortfolioRisk::default(),
            periods_per_year,
            total_series: Symbol::parse(PORTFOLIO_TOTAL).expect("a valid symbol"),
            total_prev: None,
            warnings,
            as_of: now_ms,
        };
        book.risk = book.compute_risk();
        book
    }

    pub fn holds(&self, symbol: &str) -> bool {
        self.index.contains_key(symbol)
    }

    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// The held symbols.
    pub fn symbols(&self) -> impl Iterator<Item = &str> {
        self.positions.iter().map(|p| p.symbol.as_str())
    }

    /// An alert fired on `symbol` at `at_ms` (counted for `alerts_1h`).
    pub fn on_alert(&mut self, symbol: &str, at_ms: i64) {
        if let Some(&i) = self.index.get(symbol) {
            self.positions[i].alerts.push_back(at_ms);
        }
    }

    /// A new price of a held symbol; returns the portfolio series updates for the rules
    /// (every interval, for the position and the total) when the update is live.
    pub fn on_price(
        &mut self,
        symbol: &str,
        price: f64,
        at_ms: i64,
        live: bool,
    ) -> Vec<SeriesUpdate> {
        let Some(&i) = self.index.get(symbol) else {
            return Vec::new();
        };
        if !price.is_finite() || price <= 0.0 {
            return Vec::new();
        }
        self.as_of = self.as_of.max(at_ms);
        let p = &mut self.positions[i];
        let day = day_of(at_ms);
        if day > p.day {
            // A new day: yesterday's last price is the close the day's P&L counts from.
            if p.price.is_some() {
                p.prev_close = p.price;
            }
            p.opened_today_cost = None;
            p.day = day;
        }
        p.price = Some(price);
        p.peak_price = Some(p.peak_price.map_or(price, |m| m.max(price)));
        if let Some(v) = self.total_value().filter(|v| *v > 0.0) {
            self.peak = Some(self.peak.map_or(v, |m| m.max(v)));
        }
        if !live {
            return Vec::new();
        }
        let gross = self.gross_value();
        let pm = self.position_metrics(i, gross, at_ms);
        let tm = self.total_metrics(at_ms);
        let mut out = Vec::with_capacity(2 * Interval::ALL.len());
        let p = &mut self.positions[i];
        let prev = p.prev.replace(pm);
        push_updates(&mut out, &p.series, pm, prev, at_ms);
        let prev = self.total_prev.replace(tm);
        push_updates(&mut out, &self.total_series, tm, prev, at_ms);
        out
    }

    fn value_of(p: &Position) -> Option<f64> {
        Some(p.qty * p.price? * p.fx?)
    }

    fn total_value(&self) -> Option<f64> {
        let mut sum = 0.0;
        for p in &self.positions {
            sum += Self::value_of(p)?;
        }
        (!self.positions.is_empty()).then_some(sum)
    }

    fn gross_value(&self) -> f64 {
        self.positions
            .iter()
            .filter_map(Self::value_of)
            .map(f64::abs)
            .sum()
    }

    fn day_pnl(p: &Position) -> Option<f64> {
        let base = p.opened_today_cost.or(p.prev_close)?;
        Some(p.qty * (p.price? - base) * p.fx?)
    }

    fn alerts_1h(p: &Position, now_ms: i64) -> usize {
        p.alerts.iter().filter(|t| **t > now_ms - HOUR_MS).count()
    }

    fn position_metrics(&mut self, i: usize, gross: f64, now_ms: i64) -> Metrics {
        let p = &mut self.positions[i];
        while p.alerts.front().is_some_and(|t| *t <= now_ms - HOUR_MS) {
            p.alerts.pop_front();
        }
        let p = &self.positions[i];
        let mut m = Metrics::default();
        let f = figures(p, gross);
        m.set(MetricKey::Price, f.value);
        m.set(MetricKey::PnlDay, f.day);
        m.set(MetricKey::PnlDayPct, f.day_pct);
        m.set(MetricKey::ChangePct, f.day_pct);
        m.set(MetricKey::PnlTotal, f.total);
        m.set(MetricKey::PnlTotalPct, f.total_pct);
        m.set(MetricKey::WeightPct, f.weight_pct);
        m.set(MetricKey::VolatilityPct, p.vol_pct);
        m.set(MetricKey::Var95Pct, p.var95_pct);
        m.set(MetricKey::Var99Pct, p.var99_pct);
        m.set(
            MetricKey::DrawdownPct,
            p.price
                .zip(p.peak_price)
                .filter(|(_, pk)| *pk > 0.0)
                .map(|(x, pk)| (1.0 - x / pk).max(0.0) * 100.0),
        );
        m.set(MetricKey::Alerts1h, Some(Self::alerts_1h(p, now_ms) as f64));
        m
    }

    fn total_metrics(&self, now_ms: i64) -> Metrics {
        let mut m = Metrics::default();
        let value = self.total_value();
        let day: Option<f64> = self.positions.iter().map(Self::day_pnl).sum();
        let cost: Option<f64> = self
            .positions
            .iter()
            .map(|p| p.fx.map(|fx| p.cost_basis * fx))
            .sum();
        let total = value.zip(cost).map(|(v, c)| v - c);
        m.set(MetricKey::Price, value);
        m.set(MetricKey::PnlDay, day);
        let day_pct = day.zip(value).and_then(|(d, v)| pct(d, (v - d).abs()));
        m.set(MetricKey::PnlDayPct, day_pct);
        m.set(MetricKey::ChangePct, day_pct);
        m.set(MetricKey::PnlTotal, total);
        m.set(
            MetricKey::PnlTotalPct,
            total.zip(cost).and_then(|(t, c)| pct(t, c.abs())),
        );
        m.set(MetricKey::DrawdownPct, self.drawdown_now());
        m.set(MetricKey::VolatilityPct, self.risk.volatility_pct);
        m.set(MetricKey::Var95Pct, self.risk.var95_hist_pct);
        m.set(MetricKey::Var99Pct, self.risk.var99_hist_pct);
        m.set(MetricKey::WeightPct, self.risk.top_weight_pct);
        m.set(
            MetricKey::Alerts1h,
            Some(
                self.positions
                    .iter()
                    .map(|p| Self::alerts_1h(p, now_ms))
                    .sum::<usize>() as f64,
            ),
        );
        m
    }

    fn drawdown_now(&self) -> Option<f64> {
        let v = self.total_value()?;
        let peak = self.peak?;
        (peak > 0.0 && v > 0.0).then(|| (1.0 - v / peak).max(0.0) * 100.0)
    }

    fn compute_risk(&self) -> PortfolioRisk {
        let values: Vec<f64> = self.history.iter().map(|(_, v)| *v).collect();
        let tail = &values[values.len().saturating_sub(RISK_DAYS + 1)..];
        let rets = risk::simple_returns(tail);
        let gross = self.gross_value();
        let weights: Vec<f64> = if gross > 0.0 {
            self.positions
                .iter()
                .filter_map(Self::value_of)
                .map(|v| v.abs() / gross)
                .collect()
        } else {
            Vec::new()
        };
        let ppy = self.periods_per_year;
        let var95 = risk::historical_var(&rets, 0.95);
        PortfolioRisk {
            days: rets.len() as u32,
            volatility_pct: risk::volatility(&rets, ppy).map(|v| v * 100.0),
            var95_hist_pct: var95.map(|v| v * 100.0),
            var99_hist_pct: risk::historical_var(&rets, 0.99).map(|v| v * 100.0),
            var95_param_pct: risk::parametric_var(&rets, 0.95).map(|v| v * 100.0),
            var99_param_pct: risk::parametric_var(&rets, 0.99).map(|v| v * 100.0),
            var95_amount: var95.zip(self.total_value()).map(|(r, v)| r * v),
            // The worst fall of the daily history, or today's fall below its peak if worse.
            max_drawdown_pct: match (
                risk::max_drawdown(&values).map(|v| v * 100.0),
                self.drawdown_now(),
            ) {
                (Some(h), Some(n)) => Some(h.max(n)),
                (h, n) => h.or(n),
            },
            drawdown_pct: self.drawdown_now(),
            sharpe: risk::sharpe(&rets, ppy),
            hhi: risk::hhi(&weights),
            top_weight_pct: weights.iter().copied().reduce(f64::max).map(|w| w * 100.0),
        }
    }

    /// The portfolio as it stands, for the UI.
    pub fn view(&self, now_ms: i64) -> PortfolioView {
        let gross = self.gross_value();
        let positions = self
            .positions
            .iter()
            .map(|p| {
                let f = figures(p, gross);
                PositionRow {
                    symbol: p.symbol.clone(),
                    quantity: p.qty,
                    avg_cost: if p.qty != 0.0 {
                        p.cost_basis / p.qty
                    } else {
                        0.0
                    },
                    currency: p.ccy.clone(),
                    price: p.price,
                    fx: p.fx,
                    value: f.value,
                    day_pnl: f.day,
                    day_pnl_pct: f.day_pct,
                    total_pnl: f.total,
                    total_pnl_pct: f.total_pct,
                    weight_pct: f.weight_pct,
                    volatility_pct: p.vol_pct,
                    alerts_1h: Self::alerts_1h(p, now_ms) as u32,
                    problem: if p.price.is_none() {
                        Some("no price yet: the symbol has no stored or live data".into())
                    } else if p.fx.is_none() {
                        Some(format!("no {}→{} exchange rate", p.ccy, self.currency))
                    } else {
                        None
                    },
                }
            })
            .collect::<Vec<_>>();
        let known =
            |f: fn(&PositionRow) -> Option<f64>| -> f64 { positions.iter().filter_map(f).sum() };
        let value = known(|r| r.value);
        let day_pnl = known(|r| r.day_pnl);
        let total_pnl = known(|r| r.total_pnl);
        let cost: f64 = positions
            .iter()
            .filter(|r| r.value.is_some())
            .filter_map(|r| r.fx.map(|fx| r.avg_cost * r.quantity * fx))
            .sum();
        let risk = self.compute_risk();
        let dds = risk::drawdowns(&self.history.iter().map(|(_, v)| *v).collect::<Vec<_>>());
        let mut warnings = self.warnings.clone();
        for r in &positions {
            if r.price.is_none() {
                warnings.push(format!(
                    "{}: no price yet, left out of the totals",
                    r.symbol
                ));
            }
        }
        PortfolioView {
            currency: self.currency.clone(),
            value,
            day_pnl,
            day_pnl_pct: pct(day_pnl, (value - day_pnl).abs()),
            total_pnl,
            total_pnl_pct: pct(total_pnl, cost.abs()),
            positions,
            risk,
            history: self
                .history
                .iter()
                .zip(dds)
                .map(|((t, v), dd)| ValuePoint {
                    time: *t,
                    value: *v,
                    drawdown_pct: dd * 100.0,
                })
                .collect(),
            warnings,
            as_of: self.as_of.max(now_ms),
        }
    }
}

/// A position's money figures in the account currency, as the rules and the view read them.
struct Figures {
    value: Option<f64>,
    day: Option<f64>,
    day_pct: Option<f64>,
    total: Option<f64>,
    total_pct: Option<f64>,
    weight_pct: Option<f64>,
}

fn figures(p: &Position, gross: f64) -> Figures {
    let value = PortfolioBook::value_of(p);
    let day = PortfolioBook::day_pnl(p);
    let cost = p.fx.map(|fx| p.cost_basis * fx);
    let total = value.zip(cost).map(|(v, c)| v - c);
    Figures {
        value,
        day,
        day_pct: day.zip(value).and_then(|(d, v)| pct(d, (v - d).abs())),
        total,
        total_pct: total.zip(cost).and_then(|(t, c)| pct(t, c.abs())),
        weight_pct: value.and_then(|v| pct(v.abs(), gross)),
    }
}

fn pct(x: f64, base: f64) -> Option<f64> {
    (base > 0.0 && x.is_finite()).then(|| x / base * 100.0)
}

fn push_updates(
    out: &mut Vec<SeriesUpdate>,
    series: &Symbol,
    m: Metrics,
    prev: Option<Metrics>,
    at_ms: i64,
) {
    let value = m.get(MetricKey::Price).unwrap_or(0.0);
    for interval in Interval::ALL {
        out.push(SeriesUpdate {
            symbol: series.clone(),
            interval,
            bar: Candle {
                symbol: series.clone(),
                interval,
                open_time: interval.floor(at_ms),
                open: value,
                high: value,
                low: value,
                close: value,
                volume: 0.0,
                quote_volume: 0.0,
                trades: 0,
                closed: false,
            },
            at_ms,
            live: true,
            metrics: m,
            prev,
        });
    }
}

/// The value of today's holdings on each past day (UTC days before `today`), from the days
/// every valued position has a close for (a missing day carries the last close forward).
fn value_history(
    positions: &[Position],
    daily: &HashMap<String, Vec<(i64, f64)>>,
    today: i64,
    warnings: &mut Vec<String>,
) -> Vec<(i64, f64)> {
    let valued: Vec<&Position> = positions.iter().filter(|p| p.fx.is_some()).collect();
    let mut series: Vec<(&Position, &[(i64, f64)])> = Vec::new();
    for p in valued {
        match daily
            .get(&p.symbol)
            .filter(|d| d.iter().any(|(t, _)| *t < today))
        {
            Some(d) => series.push((p, d.as_slice())),
            None => warnings.push(format!(
                "{}: no daily history stored, left out of the risk figures",
                p.symbol
            )),
        }
    }
    if series.is_empty() {
        return Vec::new();
    }
    // Days from the latest first day among the positions (all have a price from then on).
    let start = series.iter().map(|(_, d)| d[0].0).max().unwrap_or(today);
    let days: BTreeSet<i64> = series
        .iter()
        .flat_map(|(_, d)| d.iter().map(|(t, _)| day_of(*t)))
        .filter(|t| *t >= day_of(start) && *t < today)
        .collect();
    let mut cursor = vec![0usize; series.len()];
    let mut out = Vec::with_capacity(days.len());
    for day in days {
        let mut v = 0.0;
        for (k, (p, d)) in series.iter().enumerate() {
            while cursor[k] + 1 < d.len() && day_of(d[cursor[k] + 1].0) <= day {
                cursor[k] += 1;
            }
            v += p.qty * d[cursor[k]].1 * p.fx.unwrap_or(0.0);
        }
        out.push((day, v));
    }
    let keep = out.len().saturating_sub(HISTORY_DAYS);
    out.drain(..keep);
    out
}

#[cfg(test)]
mod tests;
