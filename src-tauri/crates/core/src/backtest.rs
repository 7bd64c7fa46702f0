//! Backtests: how a rule would have fired, and how a strategy built from rule conditions
//! would have traded, over stored history or a candle CSV. The types the engine returns, the
//! CLI prints as JSON and the UI reads (exported to TypeScript with the rest of the contract).
//!
//! Definitions (also in the README):
//! - forward return after k bars: `close(bar + k) / price at the fire − 1` (a fraction),
//!   bars of the rule's own interval; `null` when the data ends first;
//! - hit: a fire whose 5-bar forward return has the sign the rule's `direction` implies
//!   (`up`: > 0, `down`: < 0); hit rate = hits ÷ fires that have a 5-bar forward return;
//! - alerts per day: fires ÷ calendar days of the backtested window.

use crate::market::Interval;
use crate::rule::{Condition, RuleSpec};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Which way a rule's fires are expected to move the price (for the hit rate).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    #[default]
    Up,
    Down,
}

/// A rule backtest over stored history: the rules run over the candles of `symbols` (each
/// rule on every listed symbol, whatever its own target) from `from` to `to`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleBacktestRequest {
    pub rules: Vec<RuleSpec>,
    pub symbols: Vec<String>,
    /// The stored bars to replay; coarser rules are rolled up from them (default 1m).
    #[serde(default)]
    #[ts(optional)]
    pub interval: Option<Interval>,
    /// Window, ms UTC.
    #[ts(type = "number")]
    pub from: i64,
    #[ts(type = "number")]
    pub to: i64,
    #[serde(default)]
    #[ts(optional)]
    pub direction: Option<Direction>,
}

/// One time a rule would have fired.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleFire {
    /// Index of the rule in the request (or file).
    pub rule: u32,
    pub rule_name: String,
    pub symbol: String,
    /// When it fired (the update's market time), ms UTC.
    #[ts(type = "number")]
    pub fired_at: i64,
    /// Open time of the rule-interval bar it fired on.
    #[ts(type = "number")]
    pub bar_time: i64,
    pub price: f64,
    pub message: String,
    /// Forward returns after 1, 5 and 20 bars of the rule's interval (fractions).
    pub fwd1: Option<f64>,
    pub fwd5: Option<f64>,
    pub fwd20: Option<f64>,
}

/// What one rule did over the window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleBacktestSummary {
    pub rule: u32,
    pub name: String,
    pub interval: Interval,
    pub fires: u32,
    /// Fires with a 5-bar forward return (the hit rate's denominator).
    pub scored: u32,
    pub hits: u32,
    pub hit_rate: Option<f64>,
    pub mean_fwd1: Option<f64>,
    pub mean_fwd5: Option<f64>,
    pub mean_fwd20: Option<f64>,
    pub alerts_per_day: f64,
    /// Times the circuit breaker (as configured live) paused the rule.
    pub paused: u32,
    /// Why the rule could not run on this data (e.g. its interval is finer than the bars).
    pub skipped: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleBacktestReport {
    /// The backtested window, ms UTC (bars before `from` only warm the indicators up).
    #[ts(type = "number")]
    pub from: i64,
    #[ts(type = "number")]
    pub to: i64,
    pub days: f64,
    /// Bars replayed (warm-up included), over all symbols.
    pub bars: u32,
    pub symbols: Vec<String>,
    pub direction: Direction,
    pub hit_definition: String,
    pub rules: Vec<RuleBacktestSummary>,
    /// Every fire, oldest first.
    pub fires: Vec<RuleFire>,
}

/// Long only, or long and short.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum StrategyMode {
    #[default]
    LongOnly,
    LongShort,
}

fn default_size() -> f64 {
    1.0
}
fn default_capital() -> f64 {
    10_000.0
}

/// A signal strategy made of rule conditions, evaluated on closed bars of `interval`:
/// a signal on a bar's close is filled at the next bar's open.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct StrategySpec {
    pub name: String,
    /// Bars the strategy trades on; coarser than the data: rolled up (default: the data's).
    #[serde(default)]
    #[ts(optional)]
    pub interval: Option<Interval>,
    /// Opens a long position (and closes a short one).
    pub entry: Condition,
    /// Closes a long position; absent: only stops, targets or a short entry close it.
    #[serde(default)]
    #[ts(optional)]
    pub exit: Option<Condition>,
    /// Long/short only: opens a short position (and closes a long one).
    #[serde(default)]
    #[ts(optional)]
    pub short_entry: Option<Condition>,
    /// Long/short only: closes a short position.
    #[serde(default)]
    #[ts(optional)]
    pub short_exit: Option<Condition>,
    #[serde(default)]
    pub mode: StrategyMode,
    /// Stop loss, % from the entry price (checked against each bar's high and low).
    #[serde(default)]
    #[ts(optional)]
    pub stop_loss_pct: Option<f64>,
    /// Take profit, % from the entry price.
    #[serde(default)]
    #[ts(optional)]
    pub take_profit_pct: Option<f64>,
    /// Fee per side, basis points of the traded value.
    #[serde(default)]
    pub fees_bps: f64,
    /// Slippage per side, basis points of the price (buys fill higher, sells lower).
    #[serde(default)]
    pub slippage_bps: f64,
    /// Fraction of equity committed per position (fees included), 0 < size ≤ 1.
    #[serde(default = "default_size")]
    pub position_size: f64,
    #[serde(default = "default_capital")]
    pub initial_capital: f64,
}

/// A ready strategy: its template key (`dual_ma`, `macd_cross`…, as `tickwarden backtest
/// --strategy NAME` takes it) and its spec, to start an editor from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StrategyTemplate {
    pub key: String,
    pub spec: StrategySpec,
}

/// Why a trade ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExitReason {
    Signal,
    Reverse,
    StopLoss,
    TakeProfit,
    /// Still open when the data ended: closed at the last close.
    End,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TradeRecord {
    /// `long` or `short`.
    pub side: String,
    /// Open time of the bar the entry filled on (at its open), ms UTC.
    #[ts(type = "number")]
    pub entry_time: i64,
    pub entry_price: f64,
    #[ts(type = "number")]
    pub exit_time: i64,
    pub exit_price: f64,
    pub quantity: f64,
    /// Profit after both fees, in account currency.
    pub pnl: f64,
    /// `pnl` ÷ the entry value.
    pub return_pct: f64,
    pub fees: f64,
    pub bars: u32,
    pub exit_reason: ExitReason,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EquityPoint {
    /// Close time of the bar, ms UTC.
    #[ts(type = "number")]
    pub time: i64,
    pub equity: f64,
    /// Fall from the running peak, a fraction ≥ 0.
    pub drawdown: f64,
}

/// Figures of a strategy backtest. Returns are fractions; ratios are annualised with
/// `periods_per_year` (bars per year measured from the data), risk-free rate 0.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StrategyReport {
    pub name: String,
    pub interval: Interval,
    pub mode: StrategyMode,
    pub bars: u32,
    #[ts(type = "number")]
    pub from: i64,
    #[ts(type = "number")]
    pub to: i64,
    pub initial_capital: f64,
    pub final_equity: f64,
    pub total_return: f64,
    pub annual_return: f64,
    pub volatility: f64,
    pub sharpe: Option<f64>,
    pub sortino: Option<f64>,
    pub max_drawdown: f64,
    pub win_rate: Option<f64>,
    pub profit_factor: Option<f64>,
    /// Share of bars with an open position at their close.
    pub exposure: f64,
    pub fees_paid: f64,
    pub periods_per_year: f64,
    pub trades: Vec<TradeRecord>,
    /// The equity curve with its drawdown, at most `curve_points` points (the figures above
    /// are computed on every bar).
    pub equity: Vec<EquityPoint>,
}

/// A strategy backtest over stored history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StrategyBacktestRequest {
    pub strategy: StrategySpec,
    pub symbol: String,
    /// The stored bars to read (default: the strategy's interval, else 1m).
    #[serde(default)]
    #[ts(optional)]
    pub interval: Option<Interval>,
    #[ts(type = "number")]
    pub from: i64,
    #[ts(type = "number")]
    pub to: i64,
    /// Most points of the equity curve returned (default 2,000; 0: every bar).
    #[serde(default)]
    #[ts(optional)]
    pub curve_points: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The strategy view sends a template back as it got it (absent options as `null`), with
    /// the user's mode, costs and sizing: the request must read back whole.
    #[test]
    fn a_template_sent_back_with_the_users_parameters_reads_as_a_request() {
        let spec = StrategySpec {
            name: "MACD cross (12, 26, 9)".into(),
            interval: None,
            entry: serde_json::from_str(
                r#"{"metric":"macd","op":"crosses_up","value":{"metric":"macd_signal"}}"#,
            )
            .unwrap(),
            exit: None,
            short_entry: None,
            short_exit: None,
            mode: StrategyMode::LongOnly,
            stop_loss_pct: None,
            take_profit_pct: None,
            fees_bps: 0.0,
            slippage_bps: 0.0,
            position_size: 1.0,
            initial_capital: 10_000.0,
        };
        let sent = serde_json::to_value(StrategyTemplate {
            key: "macd_cross".into(),
            spec,
        })
        .unwrap();
        assert_eq!(sent["key"], "macd_cross");
        assert!(sent["spec"]["stop_loss_pct"].is_null());
        let mut strategy = sent["spec"].clone();
        strategy["mode"] = "long_short".into();
        strategy["short_entry"] = serde_json::from_str(
            r#"{"metric":"macd","op":"crosses_down","value":{"metric":"macd_signal"}}"#,
        )
        .unwrap();
        strategy["fees_bps"] = 5.into();
        strategy["position_size"] = 0.5.into();
        strategy["stop_loss_pct"] = 3.into();
        let req = serde_json::json!({"strategy": strategy, "symbol": "demo:ALPHA", "interval": "1h", "from": 1, "to": 2});
        let req: StrategyBacktestRequest = serde_json::from_value(req).unwrap();
        assert_eq!(req.strategy.mode, StrategyMode::LongShort);
        assert_eq!(req.strategy.stop_loss_pct, Some(3.0));
        assert_eq!(req.strategy.take_profit_pct, None);
        assert_eq!(req.strategy.position_size, 0.5);
        assert_eq!(req.interval, Some(Interval::H1));
    }
}
