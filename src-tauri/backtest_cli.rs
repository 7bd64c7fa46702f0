//! `tickwarden backtest --rules FILE.json | --strategy TEMPLATE|FILE.json` over `--csv FILE` or
//! `--symbol ID --from DATE --to DATE` (stored history in `--data-dir`): prints one JSON
//! document. The work is `tw_engine::backtest_api`: the live series and rule code, replayed on
//! a manual clock; the CSV is read by the replay feed's reader (bad lines named on stderr).

use clap::{Args, ValueEnum};
use std::path::PathBuf;
use tw_core::backtest::{
    Direction, RuleBacktestRequest, StrategyBacktestRequest, StrategyMode, StrategySpec,
};
use tw_core::Interval;
use tw_engine::backtest_api as api;
use tw_engine::EngineError;

#[derive(Args, Debug, Clone)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["rules", "strategy"])))]
#[command(group(clap::ArgGroup::new("data").required(true).args(["csv", "symbol"])))]
pub struct BacktestArgs {
    /// Rules to replay: a rule, a list, or an export (`tickwarden rules export`). Each runs on
    /// the given data whatever its own target.
    #[arg(long, value_name = "FILE.json")]
    pub rules: Option<PathBuf>,
    /// A strategy: a template (dual_ma, macd_cross, rsi_reversal, momentum, mean_reversion)
    /// or a strategy JSON file.
    #[arg(long, value_name = "TEMPLATE|FILE.json")]
    pub strategy: Option<String>,
    /// A candle CSV (Binance klines, Yahoo, date,open,high,low,close,volume).
    #[arg(long, value_name = "FILE.csv")]
    pub csv: Option<PathBuf>,
    /// Stored history of this symbol (source:CODE), from the database in --data-dir.
    #[arg(long, value_name = "ID", requires_all = ["from", "to"])]
    pub symbol: Option<String>,
    /// Start of the window: 2025-02-01, 2025-02-01T12:00 (UTC) or ms since the epoch.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub from: Option<i64>,
    /// End of the window (exclusive), same forms as --from.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub to: Option<i64>,
    /// Stored bars to read (--symbol; default 1m); for a strategy, the bars it trades on
    /// (rolled up from the data's own; default: the data's interval).
    #[arg(long, value_parser = parse_interval)]
    pub interval: Option<Interval>,
    /// Rules: which way a fire is expected to move the price (the hit rate's sign).
    #[arg(long, value_enum, default_value_t = Dir::Up)]
    pub direction: Dir,
    /// Strategy: long_only or long_short (default: the strategy's own).
    #[arg(long, value_enum)]
    pub mode: Option<Mode>,
    /// Strategy: fee per side, basis points of the traded value.
    #[arg(long, value_name = "BPS")]
    pub fees_bps: Option<f64>,
    /// Strategy: slippage per side, basis points of the price.
    #[arg(long, value_name = "BPS")]
    pub slippage_bps: Option<f64>,
    /// Strategy: fraction of equity per position (0 < F ≤ 1).
    #[arg(long, value_name = "F")]
    pub size: Option<f64>,
    /// Strategy: starting capital.
    #[arg(long, value_name = "N")]
    pub capital: Option<f64>,
    /// Strategy: most points of the equity curve printed (0: every bar).
    #[arg(long, value_name = "N", default_value_t = 2_000)]
    pub curve_points: u32,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Dir {
    Up,
    Down,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum Mode {
    LongOnly,
    LongShort,
}

fn parse_interval(s: &str) -> Result<Interval, String> {
    Interval::parse(s)
        .ok_or_else(|| format!("unknown interval {s:?}; use one of 1m 5m 15m 1h 4h 1d"))
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS][Z]` (UTC) or ms since the epoch.
pub fn parse_date(s: &str) -> Result<i64, String> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().map_err(|e| format!("{s:?}: {e}"));
    }
    let bad = || format!("{s:?} is not a date: use 2025-02-01, 2025-02-01T12:00 (UTC) or ms");
    let (date, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d, t.trim_end_matches('Z')),
        None => (s, ""),
    };
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts[..] else {
        return Err(bad());
    };
    let num = |x: &str| x.parse::<i64>().map_err(|_| bad());
    let (y, m, d) = (num(y)?, num(m)?, num(d)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    let mut ms = days_from_civil(y, m, d) * 86_400_000;
    if !time.is_empty() {
        let t: Vec<&str> = time.split(':').collect();
        if !(2..=3).contains(&t.len()) {
            return Err(bad());
        }
        let (h, mi) = (num(t[0])?, num(t[1])?);
        let sec = t.get(2).map(|x| num(x)).transpose()?.unwrap_or(0);
        if h > 23 || mi > 59 || sec > 59 {
            return Err(bad());
        }
        ms += ((h * 60 + mi) * 60 + sec) * 1000;
    }
    Ok(ms)
}

fn read(path: &std::path::Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn strategy(args: &BacktestArgs, arg: &str) -> Result<StrategySpec, String> {
    let text = if api::template(arg).is_some() {
        arg.to_string()
    } else if std::path::Path::new(arg).exists() {
        read(std::path::Path::new(arg))?
    } else {
        return Err(format!(
            "--strategy {arg:?}: neither a template ({}) nor a file",
            api::TEMPLATES.join(", ")
        ));
    };
    let mut s = api::parse_strategy(&text).map_err(|e| format!("--strategy {arg}: {e}"))?;
    if let Some(m) = args.mode {
        s.mode = match m {
            Mode::LongOnly => StrategyMode::LongOnly,
            Mode::LongShort => StrategyMode::LongShort,
        };
    }
    if let Some(v) = args.fees_bps {
        s.fees_bps = v;
    }
    if let Some(v) = args.slippage_bps {
        s.slippage_bps = v;
    }
    if let Some(v) = args.size {
        s.position_size = v;
    }
    if let Some(v) = args.capital {
        s.initial_capital = v;
    }
    if args.csv.is_some() && args.interval.is_some() {
        s.interval = args.interval;
    }
    Ok(s)
}

pub fn run(engine_args: crate::cli::EngineArgs, args: BacktestArgs) -> i32 {
    match run_inner(engine_args, args) {
        Ok(json) => {
            println!("{json}");
            0
        }
        Err(e) => {
            eprintln!("tickwarden backtest: {e}");
            2
        }
    }
}

fn run_inner(engine_args: crate::cli::EngineArgs, args: BacktestArgs) -> Result<String, String> {
    let direction = match args.direction {
        Dir::Up => Direction::Up,
        Dir::Down => Direction::Down,
    };
    let rules = match &args.rules {
        Some(p) => Some(
            tw_engine::parse_rules_file(&read(p)?, i64::MIN)
                .map_err(|e| format!("{}: {e}", p.display()))?,
        ),
        None => None,
    };
    let strat = match &args.strategy {
        Some(s) => Some(strategy(&args, s)?),
        None => None,
    };
    let to_json = |v: Result<serde_json::Value, EngineError>| {
        v.map_err(|e| e.to_string())
            .and_then(|v| serde_json::to_string_pretty(&v).map_err(|e| e.to_string()))
    };
    if let Some(path) = &args.csv {
        let rec = api::load_candle_csv(path).map_err(|e| e.to_string())?;
        for b in rec.bad_rows.iter().take(10) {
            eprintln!("tickwarden backtest: {}: skipped {b}", path.display());
        }
        if rec.bad_rows.len() > 10 {
            eprintln!(
                "tickwarden backtest: {}: … and {} more bad lines",
                path.display(),
                rec.bad_rows.len() - 10
            );
        }
        let in_window = |c: &tw_core::Candle| {
            args.from.map_or(true, |f| c.open_time >= f)
                && args.to.map_or(true, |t| c.close_time() <= t)
        };
        return to_json(match (rules, strat) {
            (Some(rules), _) => api::backtest_rules_on(
                &rules,
                &[rec.candles],
                args.from,
                args.to,
                direction,
                tw_analytics::rules::BreakerConfig::default(),
            )
            .map(|r| serde_json::to_value(r).unwrap_or_default()),
            (None, Some(s)) => {
                let bars: Vec<_> = rec.candles.into_iter().filter(in_window).collect();
                api::backtest_strategy_on(&s, &bars, Some(args.curve_points))
                    .map(|r| serde_json::to_value(r).unwrap_or_default())
            }
            (None, None) => unreachable!("clap requires --rules or --strategy"),
        });
    }
    let symbol = args.symbol.clone().unwrap_or_default();
    let (Some(from), Some(to)) = (args.from, args.to) else {
        return Err("--symbol needs --from and --to".into());
    };
    let rt = tokio::runtime::Runtime::new().map_err(|e| format!("async runtime: {e}"))?;
    rt.block_on(async move {
        let Some(engine) = engine_args.start_without_feeds().await else {
            return Err("the engine did not start".to_string());
        };
        let out = match (rules, strat) {
            (Some(rules), _) => engine
                .backtest_rules(&RuleBacktestRequest {
                    rules,
                    symbols: symbol.split(',').map(|s| s.trim().to_string()).collect(),
                    interval: args.interval,
                    from,
                    to,
                    direction: Some(direction),
                })
                .await
                .map(|r| serde_json::to_value(r).unwrap_or_default()),
            (None, Some(s)) => engine
                .backtest_strategy(&StrategyBacktestRequest {
                    strategy: s,
                    symbol,
                    interval: args.interval,
                    from,
                    to,
                    curve_points: Some(args.curve_points),
                })
                .await
                .map(|r| serde_json::to_value(r).unwrap_or_default()),
            (None, None) => unreachable!("clap requires --rules or --strategy"),
        };
        engine.shutdown().await;
        to_json(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_in_utc_and_bad_ones_are_named() {
        assert_eq!(parse_date("1970-01-01"), Ok(0));
        assert_eq!(parse_date("2025-02-01"), Ok(1_738_368_000_000));
        assert_eq!(parse_date("2025-02-01T00:01Z"), Ok(1_738_368_060_000));
        assert_eq!(parse_date("2024-02-29 12:00:30"), Ok(1_709_208_030_000));
        assert_eq!(parse_date("1738368000000"), Ok(1_738_368_000_000));
        for bad in ["2025-13-01", "yesterday", "2025-02", "2025-02-01T25:00"] {
            assert!(parse_date(bad).unwrap_err().contains(bad), "{bad}");
        }
    }
}
