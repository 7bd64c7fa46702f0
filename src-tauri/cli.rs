//! The command line.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "tickwarden",
    version,
    about = "Tickwarden watches markets and tells you about unusual moves.",
    long_about = "Tickwarden watches markets and tells you about unusual moves.\n\nWithout a subcommand it opens the app window."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub gui: EngineArgs,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the engine without a window; print every alert as one JSON line on stdout.
    Headless(HeadlessArgs),
    /// Inspect, clean up, export or import the database.
    Db(crate::db_cli::DbArgs),
    /// Keep a data source's API token in the OS keyring (read from stdin, never an argument).
    Token(crate::token_cli::TokenArgs),
    /// The alert rules: import FILE.json, export, list, enable ID, disable ID.
    Rules(crate::rules_cli::RulesArgs),
    /// Run the anomaly detectors over a recorded CSV; one JSON line per anomaly.
    Scan(crate::scan::ScanArgs),
    /// Backtest rules (fires, forward returns, hit rate) or a strategy (trades, equity, Sharpe…)
    /// over a candle CSV or stored history; prints JSON.
    Backtest(crate::backtest_cli::BacktestArgs),
    /// Run the detector over the Numenta Anomaly Benchmark, write NAB results, print the scores.
    Nab(crate::nab::NabArgs),
}

#[derive(Args, Debug, Clone, Default)]
pub struct EngineArgs {
    /// Where the database lives (default: the OS app-data folder).
    #[arg(long, value_name = "DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Seed of the simulated demo market (default: a new one each run; a restart still
    /// continues from the stored prices).
    #[arg(long, value_name = "N", global = true)]
    pub seed: Option<u64>,
    /// Start in the tray with the window hidden (what "start at login" uses).
    #[arg(long, global = true)]
    pub minimized: bool,
    /// Minutes of history the demo market simulates on a first start (default 1440).
    #[arg(long, value_name = "MIN", global = true)]
    pub demo_history: Option<u32>,
}

#[derive(Args, Debug, Clone)]
pub struct HeadlessArgs {
    /// Also show alerts as OS notifications.
    #[arg(long)]
    pub notify: bool,
    /// Data sources, comma-separated: demo, binance-usdm, binance-spot (default: demo). The
    /// simulated demo market runs only when it is listed.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub source: Vec<String>,
    /// Symbols for the Binance sources, comma-separated: BTCUSDT (every Binance source) or
    /// binance-usdm:BTCUSDT (one). Default: the top 150 by 24 h quote volume. Endpoints come
    /// from TICKWARDEN_BINANCE_{USDM,SPOT}_{WS,REST} when set.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub symbols: Vec<String>,
    /// Play a recorded candle CSV (Binance klines, Yahoo `Date,Open,…,Adj Close,Volume`,
    /// `date,open,high,low,close,volume`) as the `replay:NAME` source.
    #[arg(long, value_name = "FILE.csv")]
    pub replay: Option<PathBuf>,
    /// Replay speed: how many times faster than real time (0: as fast as possible).
    #[arg(
        long,
        value_name = "X",
        default_value_t = 60.0,
        requires = "replay",
        allow_negative_numbers = true
    )]
    pub speed: f64,
    /// Tushare: forget what is synced and fetch the whole history again.
    #[arg(long)]
    pub full_refresh: bool,
    /// Serve the local API (HTTP + WebSocket on 127.0.0.1) for this run, even if it is off in
    /// Settings. Its bearer token is kept in the OS keyring (user `local-api`).
    #[arg(long)]
    pub api: bool,
    /// Port of the local API (default: the one in Settings, else 47878; 0: any free port).
    #[arg(long, value_name = "N")]
    pub api_port: Option<u16>,
}

impl HeadlessArgs {
    /// Applies `--source` and `--symbols` to the engine's configuration; the error names the
    /// bad value.
    pub fn apply_sources(&self, cfg: &mut tw_engine::EngineConfig) -> Result<(), String> {
        use tw_feeds::binance::{BinanceConfig, Universe, Venue};
        let (sources, symbols) = self.apply_stock_sources(cfg)?;
        if sources.is_empty() {
            if !symbols.is_empty() {
                return Err("--symbols needs --source binance-usdm and/or binance-spot".into());
            }
            return Ok(());
        }
        let mut demo = false;
        let mut venues = Vec::new();
        for s in &sources {
            match s.trim() {
                "demo" => demo = true,
                other => match Venue::parse(other) {
                    Some(v) if !venues.contains(&v) => venues.push(v),
                    Some(_) => {}
                    None => {
                        return Err(format!(
                            "--source: unknown source {other:?}; known: demo, binance-usdm, binance-spot, tushare, yahoo"
                        ))
                    }
                },
            }
        }
        if !demo {
            cfg.demo = None;
        }
        let mut per_venue: Vec<(Venue, Vec<String>)> =
            venues.iter().map(|&v| (v, Vec::new())).collect();
        for raw in &symbols {
            let raw = raw.trim();
            let (venue, code) = match raw.split_once(':') {
                Some((src, code)) => match Venue::parse(src) {
                    Some(v) if venues.contains(&v) => (Some(v), code),
                    _ => {
                        return Err(format!(
                            "--symbols: {raw:?} is not for a Binance source given in --source"
                        ))
                    }
                },
                None => (None, raw),
            };
            let code = code.to_ascii_uppercase();
            for (v, list) in per_venue.iter_mut() {
                if venue.is_none() || venue == Some(*v) {
                    list.push(code.clone());
                }
            }
        }
        for (v, list) in per_venue {
            let mut b = BinanceConfig::new(v);
            if !list.is_empty() {
                b.universe = Universe::Fixed(list);
            }
            b.validate().map_err(|e| format!("{}: {e}", v.source()))?;
            cfg.binance.push(b);
        }
        Ok(())
    }
}

impl HeadlessArgs {
    /// Takes `tushare` and `yahoo` out of `--source` (and their symbols out of `--symbols`)
    /// and sets up `--replay`; returns the sources and symbols left for the other feeds.
    /// Unprefixed symbols go to Tushare (if they look like `000001.SZ`) or Yahoo when no
    /// Binance source is listed; when mixing sources, prefix them (`yahoo:AAPL`).
    fn apply_stock_sources(
        &self,
        cfg: &mut tw_engine::EngineConfig,
    ) -> Result<(Vec<String>, Vec<String>), String> {
        use tw_feeds::{tushare, yahoo};
        let mut rest = Vec::new();
        let (mut ts, mut yh) = (None::<Vec<String>>, None::<Vec<String>>);
        for s in &self.source {
            match s.trim() {
                "tushare" => ts = Some(Vec::new()),
                "yahoo" => yh = Some(Vec::new()),
                other => rest.push(other.to_string()),
            }
        }
        let binance_listed = rest.iter().any(|s| s.starts_with("binance"));
        let mut rest_symbols = Vec::new();
        for raw in &self.symbols {
            let raw = raw.trim();
            let missing = |src: &str| format!("--symbols: {raw:?} needs --source {src}");
            if let Some(code) = raw.strip_prefix("tushare:") {
                let list = ts.as_mut().ok_or_else(|| missing("tushare"))?;
                list.push(tushare::parse_code(code).map_err(|e| format!("--symbols: {e}"))?);
            } else if let Some(code) = raw.strip_prefix("yahoo:") {
                let list = yh.as_mut().ok_or_else(|| missing("yahoo"))?;
                list.push(yahoo::parse_code(code).map_err(|e| format!("--symbols: {e}"))?);
            } else if raw.contains(':') || binance_listed || (ts.is_none() && yh.is_none()) {
                rest_symbols.push(raw.to_string());
            } else if let (Some(list), Ok(code)) = (ts.as_mut(), tushare::parse_code(raw)) {
                list.push(code);
            } else if let Some(list) = yh.as_mut() {
                list.push(yahoo::parse_code(raw).map_err(|e| format!("--symbols: {e}"))?);
            } else {
                return Err(format!(
                    "--symbols: {}",
                    tushare::parse_code(raw).unwrap_err()
                ));
            }
        }
        let stock_listed = ts.is_some() || yh.is_some() || self.replay.is_some();
        if stock_listed && !self.source.iter().any(|s| s.trim() == "demo") {
            cfg.demo = None;
        }
        if let Some(symbols) = ts {
            if symbols.is_empty() {
                return Err("--source tushare needs --symbols, e.g. 000001.SZ,600036.SH".into());
            }
            cfg.tushare = Some(tushare::TushareConfig {
                symbols,
                ..Default::default()
            });
            cfg.tushare_full_refresh = self.full_refresh;
        }
        if let Some(symbols) = yh {
            if symbols.is_empty() {
                return Err("--source yahoo needs --symbols, e.g. AAPL,0700.HK".into());
            }
            cfg.yahoo = Some(yahoo::YahooConfig {
                symbols,
                ..Default::default()
            });
        }
        if let Some(path) = &self.replay {
            if !(self.speed.is_finite() && self.speed >= 0.0) {
                return Err(format!(
                    "--speed {}: give a factor of 0 (as fast as possible) or more",
                    self.speed
                ));
            }
            cfg.replay = Some((
                path.clone(),
                tw_feeds::replay::ReplayConfig { speed: self.speed },
            ));
        }
        Ok((rest, rest_symbols))
    }
}

impl EngineArgs {
    /// The engine's configuration for these options and a data folder.
    pub fn engine_config(&self, data_dir: PathBuf) -> tw_engine::EngineConfig {
        let mut cfg = tw_engine::EngineConfig::new(data_dir);
        if let Some(demo) = cfg.demo.as_mut() {
            // A new market each run unless a seed is given; a restart still continues from
            // the stored prices.
            demo.seed = self.seed.unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(7)
            });
            if let Some(m) = self.demo_history {
                demo.history_minutes = m;
            }
        }
        cfg
    }
}

impl EngineArgs {
    /// The engine without feeds or notifications (store and keyring only), for one-shot
    /// commands; says why on stderr when it cannot start.
    pub async fn start_without_feeds(&self) -> Option<tw_engine::EngineHandle> {
        let data_dir = self.data_dir.clone().unwrap_or_else(default_data_dir);
        let mut cfg = tw_engine::EngineConfig::new(data_dir);
        cfg.demo = None;
        cfg.notifications = false;
        match tw_engine::Engine::start(cfg).await {
            Ok(e) => Some(e),
            Err(e) => {
                eprintln!("tickwarden: cannot start: {e}");
                None
            }
        }
    }
}

/// The app's identifier (tauri.conf.json), which names its folders.
pub const APP_ID: &str = "app.tickwarden.desktop";

/// The OS app-data folder, the same one the window uses: `$XDG_DATA_HOME/app.tickwarden.desktop`
/// on Linux.
pub fn default_data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join(APP_ID)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed_and_parses_headless() {
        Cli::command().debug_assert();
        let c = Cli::parse_from([
            "tickwarden",
            "headless",
            "--data-dir",
            "/tmp/x",
            "--seed",
            "5",
        ]);
        assert!(matches!(c.command, Some(Command::Headless(_))));
        assert_eq!(c.gui.seed, Some(5));
        assert_eq!(
            c.gui.data_dir.as_deref(),
            Some(std::path::Path::new("/tmp/x"))
        );
        let c = Cli::parse_from(["tickwarden", "--data-dir", "/tmp/y"]);
        assert!(c.command.is_none());
    }

    fn headless(args: &[&str]) -> HeadlessArgs {
        let mut v = vec!["tickwarden", "headless"];
        v.extend_from_slice(args);
        match Cli::parse_from(v).command {
            Some(Command::Headless(h)) => h,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_local_api_is_off_unless_asked_for() {
        let h = headless(&[]);
        assert!(!h.api);
        assert_eq!(h.api_port, None);
        let h = headless(&["--api", "--api-port", "0"]);
        assert!(h.api);
        assert_eq!(h.api_port, Some(0));
        let e = Cli::try_parse_from(["tickwarden", "headless", "--api-port", "70000"]).unwrap_err();
        assert!(e.to_string().contains("70000"), "{e}");
    }

    #[test]
    fn stock_sources_and_replay_configure_the_feeds() {
        let mut cfg = tw_engine::EngineConfig::new("/tmp/x");
        headless(&[
            "--source",
            "tushare",
            "--symbols",
            "000001.SZ,tushare:600036.sh",
        ])
        .apply_sources(&mut cfg)
        .unwrap();
        assert!(cfg.demo.is_none());
        assert_eq!(
            cfg.tushare.as_ref().unwrap().symbols,
            vec!["000001.SZ".to_string(), "600036.SH".into()]
        );

        let mut cfg = tw_engine::EngineConfig::new("/tmp/x");
        headless(&[
            "--source",
            "tushare,yahoo,demo",
            "--symbols",
            "600036.SH,AAPL,yahoo:0700.HK",
            "--full-refresh",
        ])
        .apply_sources(&mut cfg)
        .unwrap();
        assert!(cfg.demo.is_some() && cfg.tushare_full_refresh);
        assert_eq!(cfg.tushare.unwrap().symbols, vec!["600036.SH".to_string()]);
        assert_eq!(
            cfg.yahoo.unwrap().symbols,
            vec!["AAPL".to_string(), "0700.HK".into()]
        );

        let mut cfg = tw_engine::EngineConfig::new("/tmp/x");
        headless(&["--replay", "/tmp/a.csv", "--speed", "600"])
            .apply_sources(&mut cfg)
            .unwrap();
        assert!(cfg.demo.is_none());
        let (path, r) = cfg.replay.unwrap();
        assert_eq!((path.to_str(), r.speed), (Some("/tmp/a.csv"), 600.0));

        let mut cfg = tw_engine::EngineConfig::new("/tmp/x");
        let e = headless(&["--source", "tushare", "--symbols", "0001.SZ"])
            .apply_sources(&mut cfg)
            .unwrap_err();
        assert!(e.contains("\"0001.SZ\" is not a Tushare stock code"), "{e}");
        let e = headless(&["--source", "tushare"])
            .apply_sources(&mut cfg)
            .unwrap_err();
        assert!(e.contains("--source tushare needs --symbols"), "{e}");
        let e = headless(&["--source", "yahoo", "--symbols", "tushare:000001.SZ"])
            .apply_sources(&mut cfg)
            .unwrap_err();
        assert!(e.contains("needs --source tushare"), "{e}");
        let e = headless(&["--replay", "/tmp/a.csv", "--speed", "-1"])
            .apply_sources(&mut cfg)
            .unwrap_err();
        assert!(e.contains("--speed -1"), "{e}");
        // The token is never an argument.
        assert!(Cli::try_parse_from(["tickwarden", "token", "set", "tushare", "abc"]).is_err());
        let c = Cli::parse_from(["tickwarden", "token", "delete", "tushare"]);
        assert!(matches!(c.command, Some(Command::Token(_))));
    }

    #[test]
    fn sources_and_symbols_configure_the_feeds() {
        use tw_feeds::binance::{Universe, Venue};
        let mut cfg = tw_engine::EngineConfig::new("/tmp/x");
        headless(&[
            "--source",
            "binance-usdm,binance-spot",
            "--symbols",
            "BTCUSDT,binance-spot:ethusdt",
        ])
        .apply_sources(&mut cfg)
        .unwrap();
        assert!(cfg.demo.is_none(), "the demo runs only when listed");
        assert_eq!(cfg.binance.len(), 2);
        assert_eq!(cfg.binance[0].venue, Venue::UsdM);
        assert_eq!(
            cfg.binance[0].universe,
            Universe::Fixed(vec!["BTCUSDT".into()])
        );
        assert_eq!(
            cfg.binance[1].universe,
            Universe::Fixed(vec!["BTCUSDT".into(), "ETHUSDT".into()])
        );

        let mut cfg = tw_engine::EngineConfig::new("/tmp/x");
        headless(&["--source", "demo,binance-usdm"])
            .apply_sources(&mut cfg)
            .unwrap();
        assert!(cfg.demo.is_some());
        assert!(matches!(
            cfg.binance[0].universe,
            Universe::TopByQuoteVolume { n: 150, .. }
        ));

        let mut cfg = tw_engine::EngineConfig::new("/tmp/x");
        let e = headless(&["--source", "binance-coinm"])
            .apply_sources(&mut cfg)
            .unwrap_err();
        assert!(e.contains("\"binance-coinm\""), "{e}");
        let e = headless(&[
            "--source",
            "binance-usdm",
            "--symbols",
            "binance-spot:ETHUSDT",
        ])
        .apply_sources(&mut cfg)
        .unwrap_err();
        assert!(e.contains("binance-spot:ETHUSDT"), "{e}");
        let e = headless(&["--source", "binance-usdm", "--symbols", "BTC-USDT"])
            .apply_sources(&mut cfg)
            .unwrap_err();
        assert!(e.contains("\"BTC-USDT\""), "{e}");
    }
}
