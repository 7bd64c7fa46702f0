//! `tickwarden scan FILE.csv [--interval 1d] [--symbol NAME]`: runs the live detectors over a
//! recorded CSV and prints one JSON line per anomalous bar (time, score, reasons).
//!
//! The file is read by the replay feed's reader (`tw_feeds::replay`), so `scan` and
//! `headless --replay` accept the same files and name the same bad lines.

use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use tw_analytics::anomaly::DetectorConfig;
use tw_analytics::scan::scan;
use tw_core::{Interval, Symbol};

#[derive(Args, Debug, Clone)]
pub struct ScanArgs {
    /// A recorded CSV of candles (Binance kline files, Yahoo, date,open,high,low,close,volume).
    pub file: PathBuf,
    /// Scan at this interval: 1m 5m 15m 1h 4h 1d (default: the file's own; a coarser one is
    /// rolled up from the file's bars).
    #[arg(long, value_parser = parse_interval)]
    pub interval: Option<Interval>,
    /// Name shown in the output (default: the file name).
    #[arg(long)]
    pub symbol: Option<String>,
}

fn parse_interval(s: &str) -> Result<Interval, String> {
    Interval::parse(s)
        .ok_or_else(|| format!("unknown interval {s:?}; use one of 1m 5m 15m 1h 4h 1d"))
}

pub fn run(args: ScanArgs) -> i32 {
    let rec = match tw_feeds::replay::load(&args.file) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("tickwarden scan: {}: {e}", args.file.display());
            return 2;
        }
    };
    // Bad lines are named and skipped; the good rows are still scanned.
    for b in rec.bad_rows.iter().take(10) {
        eprintln!("tickwarden scan: {}: skipped {b}", args.file.display());
    }
    if rec.bad_rows.len() > 10 {
        eprintln!(
            "tickwarden scan: {}: … and {} more bad lines",
            args.file.display(),
            rec.bad_rows.len() - 10
        );
    }
    let bars = rec.candles;
    let name = args.symbol.clone().unwrap_or_else(|| {
        args.file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".into())
    });
    let symbol = Symbol::new("file", &name);
    let hits = match scan(
        &bars,
        rec.interval,
        &symbol,
        args.interval,
        DetectorConfig::default(),
    ) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("tickwarden scan: {}: {e}", args.file.display());
            return 2;
        }
    };
    let mut out = std::io::stdout().lock();
    for h in &hits {
        let line = serde_json::json!({
            "symbol": name,
            "time": iso(h.time_ms),
            "time_ms": h.time_ms,
            "interval": h.interval.as_str(),
            "close": h.close,
            "score": (h.score * 1000.0).round() / 1000.0,
            "reasons": h.reasons,
        });
        if writeln!(out, "{line}").is_err() {
            return 0; // stdout closed (e.g. `| head`)
        }
    }
    eprintln!(
        "tickwarden scan: {} {} bars ({}), {} anomalies",
        bars.len(),
        rec.interval,
        rec.format.describe(),
        hits.len()
    );
    0
}

/// `2022-05-09T18:22:00Z`: whole seconds, as bar times are.
fn iso(ms: i64) -> String {
    tw_store::iso_utc(ms - ms.rem_euclid(1000)).replacen(".000Z", "Z", 1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso_times() {
        assert_eq!(super::iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::iso(1_652_120_520_000), "2022-05-09T18:22:00Z");
    }
}
