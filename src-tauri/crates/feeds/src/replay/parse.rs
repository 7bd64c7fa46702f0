//! Rows of a candle CSV → closed candles, with every bad line reported by line and column.

use super::format::{detect, Format, Layout};
use super::SOURCE;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};
use std::path::Path;
use tw_core::{Candle, Interval, Symbol};

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("cannot read the recording {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the recording is empty")]
    Empty,
    #[error(
        "not a candle file Tickwarden knows: the first line {header:?} has no \
         time/open/high/low/close columns (expected Binance klines, \
         Date,Open,High,Low,Close,Adj Close,Volume or date,open,high,low,close,volume)"
    )]
    UnknownFormat { header: String },
    #[error("the recording has no valid rows ({bad} bad lines; first: {first})")]
    NoRows { bad: usize, first: String },
    #[error("the bars are {found} apart; Tickwarden plays bars of 1m, 5m, 15m, 1h, 4h or 1d")]
    UnsupportedInterval { found: String },
}

/// A line that could not be read, in words: which line, which column, what was wrong.
#[derive(Clone, Debug, PartialEq)]
pub struct BadRow {
    /// 1-based line number in the file.
    pub line: usize,
    /// 1-based column number.
    pub column: usize,
    /// The column's name from the header.
    pub column_name: String,
    pub reason: String,
}

impl std::fmt::Display for BadRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {} ({}): {}",
            self.line, self.column, self.column_name, self.reason
        )
    }
}

/// A parsed recording: closed candles oldest first, and the lines that were skipped.
#[derive(Clone, Debug)]
pub struct Recording {
    pub symbol: Symbol,
    pub format: Format,
    pub interval: Interval,
    pub candles: Vec<Candle>,
    /// Every bad line (the file's good rows are still played).
    pub bad_rows: Vec<BadRow>,
}

/// Reads and parses a recording; the symbol is `replay:<file stem>`.
pub fn load(path: &Path) -> Result<Recording, ReplayError> {
    let text = std::fs::read_to_string(path).map_err(|source| ReplayError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "recording".into());
    parse(&text, &stem)
}

/// Parses the text of a candle CSV; `name` becomes the code of the `replay:NAME` symbol.
pub fn parse(text: &str, name: &str) -> Result<Recording, ReplayError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let head: Vec<&str> = lines.iter().take(8).copied().collect();
    let layout = detect(&head)?;
    let code: String = name
        .chars()
        .map(|c| {
            if c.is_whitespace() || c == ':' {
                '_'
            } else {
                c
            }
        })
        .collect();
    let symbol = Symbol::new(SOURCE, if code.is_empty() { "recording" } else { &code });

    let mut rows = Vec::with_capacity(lines.len());
    let mut bad_rows = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(layout.first_data_line) {
        if line.trim().is_empty() {
            continue;
        }
        match parse_row(line, &layout) {
            Ok(r) => rows.push((i + 1, r)),
            Err((col, reason)) => bad_rows.push(bad(i + 1, col, &layout, reason)),
        }
    }
    if rows.is_empty() {
        return Err(ReplayError::NoRows {
            bad: bad_rows.len(),
            first: bad_rows
                .first()
                .map(|b| b.to_string())
                .unwrap_or_else(|| "the file has a header and nothing else".into()),
        });
    }
    // Some exports are newest first.
    if rows.len() > 1 && rows[0].1.time > rows[rows.len() - 1].1.time {
        rows.reverse();
    }
    let interval = detect_interval(&rows)?;

    let mut candles: Vec<Candle> = Vec::with_capacity(rows.len());
    for (line, r) in rows {
        let open_time = interval.floor(r.time);
        if let Some(prev) = candles.last() {
            if open_time <= prev.open_time {
                bad_rows.push(bad(
                    line,
                    layout.time,
                    &layout,
                    format!(
                        "time {} is not after the previous row's {} (rows must be in time order)",
                        fmt_time(open_time),
                        fmt_time(prev.open_time)
                    ),
                ));
                continue;
            }
        }
        candles.push(Candle {
            symbol: symbol.clone(),
            interval,
            open_time,
            open: r.open,
            high: r.high,
            low: r.low,
            close: r.close,
            volume: r.volume,
            quote_volume: r.quote_volume.unwrap_or(r.volume * r.close),
            trades: r.trades,
            closed: true,
        });
    }
    bad_rows.sort_by_key(|b| b.line);
    Ok(Recording {
        symbol,
        format: layout.format,
        interval,
        candles,
        bad_rows,
    })
}

struct Row {
    time: i64,
    open: f64,
    high: f64,
    low: f64,
    close: f64,
    volume: f64,
    quote_volume: Option<f64>,
    trades: u32,
}

fn bad(line: usize, col: usize, layout: &Layout, reason: String) -> BadRow {
    BadRow {
        line,
        column: col + 1,
        column_name: layout
            .names
            .get(col)
            .cloned()
            .unwrap_or_else(|| format!("column {}", col + 1)),
        reason,
    }
}

type RowError = (usize, String);

fn parse_row(line: &str, l: &Layout) -> Result<Row, RowError> {
    let fields: Vec<&str> = line
        .split(',')
        .map(|f| f.trim().trim_matches('"'))
        .collect();
    let get = |i: usize| -> Result<&str, RowError> {
        fields.get(i).copied().ok_or_else(|| {
            (
                i,
                format!("missing (the line has only {} fields)", fields.len()),
            )
        })
    };
    let price = |i: usize| -> Result<f64, RowError> {
        let s = get(i)?;
        if s.is_empty() {
            return Err((i, "empty".into()));
        }
        match s.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
            Ok(v) => Err((i, format!("{v} is not a price"))),
            Err(_) => Err((i, format!("{s:?} is not a number"))),
        }
    };
    // A file with no volume (mark prices) or an empty volume cell plays with volume 0.
    let amount = |i: Option<usize>| -> Result<Option<f64>, RowError> {
        let Some(i) = i else { return Ok(None) };
        let s = get(i)?;
        if s.is_empty() {
            return Ok(None);
        }
        match s.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Ok(Some(v)),
            Ok(v) => Err((i, format!("{v} is not a volume"))),
            Err(_) => Err((i, format!("{s:?} is not a number"))),
        }
    };
    let time_s = get(l.time)?;
    let mut time = parse_time(time_s).ok_or_else(|| {
        (
            l.time,
            format!(
                "{time_s:?} is not a time (expected epoch ms/s, YYYY-MM-DD[ HH:MM:SS] or ISO 8601)"
            ),
        )
    })?;
    if let Some(t) = l.time_of_day {
        let s = get(t)?;
        let tod = NaiveTime::parse_from_str(s, "%H:%M:%S")
            .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M"))
            .map_err(|_| (t, format!("{s:?} is not a time of day (HH:MM:SS)")))?;
        time += i64::from(tod.signed_duration_since(NaiveTime::MIN).num_seconds() as i32) * 1000;
    }
    let (open, high, low, close) = (
        price(l.open)?,
        price(l.high)?,
        price(l.low)?,
        price(l.close)?,
    );
    if high < low {
        return Err((l.high, format!("high {high} is below low {low}")));
    }
    let trades = match amount(l.trades)? {
        Some(n) => n as u32,
        None => 0,
    };
    Ok(Row {
        time,
        open,
        high,
        low,
        close,
        volume: amount(l.volume)?.unwrap_or(0.0),
        quote_volume: amount(l.quote_volume)?,
        trades,
    })
}

/// Epoch (s, ms or µs), `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS[.f][+zz:zz]`, ISO 8601 with `T`,
/// `M/D/YYYY` or `YYYYMMDD`, all as ms UTC. A time without a zone is taken as UTC.
fn parse_time(s: &str) -> Option<i64> {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = s.parse().ok()?;
        return match s.len() {
            8 => date_ms(NaiveDate::parse_from_str(s, "%Y%m%d").ok()?),
            9..=11 => Some(n * 1000),
            12..=14 => Some(n),
            15..=17 => Some(n / 1000),
            _ => None,
        };
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.timestamp_millis());
    }
    for f in [
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%:z",
        "%Y-%m-%dT%H:%M:%S%.f%:z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(d.timestamp_millis());
        }
    }
    for f in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d.and_utc().timestamp_millis());
        }
    }
    // CryptoDataDownload hourly files: `2019-10-17 09-AM`.
    if let Some((day, hour)) = s.split_once(' ') {
        if let Some((h, ampm)) = hour.split_once('-') {
            let h: i64 = h.parse().ok().filter(|h| (1..=12).contains(h))?;
            let h24 = match ampm {
                "AM" => h % 12,
                "PM" => h % 12 + 12,
                _ => return None,
            };
            let d = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
            return Some(date_ms(d)? + h24 * 3_600_000);
        }
    }
    for f in ["%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return date_ms(d);
        }
    }
    None
}

#[cfg(test)]
pub(crate) fn parse_time_for_test(s: &str) -> Option<i64> {
    parse_time(s)
}

fn date_ms(d: NaiveDate) -> Option<i64> {
    Some(d.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis())
}

fn fmt_time(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .map(|d| d.format("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_else(|| ms.to_string())
}

/// The bar length: the most common step between consecutive rows (gaps such as weekends or
/// halts are rarer than the regular step).
fn detect_interval(rows: &[(usize, Row)]) -> Result<Interval, ReplayError> {
    if rows.len() < 2 {
        return Ok(Interval::D1);
    }
    let mut steps: Vec<i64> = rows
        .windows(2)
        .take(500)
        .map(|w| (w[1].1.time - w[0].1.time).abs())
        .filter(|&d| d > 0)
        .collect();
    steps.sort_unstable();
    let mut best = (0i64, 0usize);
    let mut i = 0;
    while i < steps.len() {
        let j = steps[i..].iter().take_while(|&&s| s == steps[i]).count();
        if j > best.1 {
            best = (steps[i], j);
        }
        i += j;
    }
    let step = best.0;
    // Daily files of a short span may show a weekend or holiday gap more often than a 1-day
    // step; whole days are daily bars.
    if step > 0 && step % Interval::D1.millis() == 0 && step <= 5 * Interval::D1.millis() {
        return Ok(Interval::D1);
    }
    Interval::ALL
        .into_iter()
        .find(|iv| iv.millis() == step)
        .ok_or_else(|| ReplayError::UnsupportedInterval {
            found: human_span(step),
        })
}

fn human_span(ms: i64) -> String {
    match ms {
        0 => "0 s".into(),
        ms if ms % 86_400_000 == 0 => format!("{}d", ms / 86_400_000),
        ms if ms % 3_600_000 == 0 => format!("{}h", ms / 3_600_000),
        ms if ms % 60_000 == 0 => format!("{}m", ms / 60_000),
        ms => format!("{} s", ms as f64 / 1000.0),
    }
}
