//! Recognising a candle CSV from its first lines.

use super::ReplayError;

/// The families of candle files Tickwarden reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Binance public-data klines: `open_time(ms|µs),open,high,low,close,volume,close_time,
    /// quote_volume,count,…`, with or without a header row.
    BinanceKlines { header: bool },
    /// Yahoo Finance download: `Date,Open,High,Low,Close,Adj Close,Volume`.
    Yahoo,
    /// Any other `time,open,high,low,close,volume` table with a header (column order and
    /// names vary: `date`, `timestamp`, `open_time`, `Date,Time`, `Last` for close, …).
    Ohlcv,
}

impl Format {
    pub fn describe(self) -> &'static str {
        match self {
            Format::BinanceKlines { header: true } => "Binance klines (with header)",
            Format::BinanceKlines { header: false } => "Binance klines (no header)",
            Format::Yahoo => "Yahoo Finance (Date,Open,High,Low,Close,Adj Close,Volume)",
            Format::Ohlcv => "date,open,high,low,close,volume",
        }
    }
}

/// Where each field is in a row (0-based indexes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    pub format: Format,
    /// Column names as written in the file (or the Binance names when it has no header).
    pub names: Vec<String>,
    pub time: usize,
    /// A separate clock-time column (`Date,Time,…` files).
    pub time_of_day: Option<usize>,
    pub open: usize,
    pub high: usize,
    pub low: usize,
    pub close: usize,
    pub volume: Option<usize>,
    pub quote_volume: Option<usize>,
    pub trades: Option<usize>,
    /// 0-based index of the first data line.
    pub first_data_line: usize,
}

const BINANCE_NAMES: [&str; 12] = [
    "open_time",
    "open",
    "high",
    "low",
    "close",
    "volume",
    "close_time",
    "quote_volume",
    "count",
    "taker_buy_volume",
    "taker_buy_quote_volume",
    "ignore",
];

/// How many lines before the header may be a banner (CryptoDataDownload puts one there).
const MAX_BANNER_LINES: usize = 2;

/// Finds the format from the first non-empty lines of the file.
pub fn detect(lines: &[&str]) -> Result<Layout, ReplayError> {
    let mut tried = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if tried.is_empty() && looks_like_epoch(fields[0]) && fields.len() >= 6 {
            return Ok(binance(false, i));
        }
        if let Some(layout) = from_header(&fields, i + 1) {
            return Ok(layout);
        }
        tried.push(line.to_string());
        if tried.len() > MAX_BANNER_LINES {
            break;
        }
    }
    match tried.first() {
        None => Err(ReplayError::Empty),
        Some(header) => Err(ReplayError::UnknownFormat {
            header: header.chars().take(200).collect(),
        }),
    }
}

fn looks_like_epoch(s: &str) -> bool {
    s.len() >= 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn binance(header: bool, first_data_line: usize) -> Layout {
    Layout {
        format: Format::BinanceKlines { header },
        names: BINANCE_NAMES.iter().map(|s| s.to_string()).collect(),
        time: 0,
        time_of_day: None,
        open: 1,
        high: 2,
        low: 3,
        close: 4,
        volume: Some(5),
        quote_volume: Some(7),
        trades: Some(8),
        first_data_line,
    }
}

fn from_header(fields: &[&str], first_data_line: usize) -> Option<Layout> {
    let norm: Vec<String> = fields
        .iter()
        .map(|f| {
            f.trim_matches('"')
                .trim()
                .to_ascii_lowercase()
                .replace(' ', "_")
        })
        .collect();
    let find = |names: &[&str]| names.iter().find_map(|n| norm.iter().position(|c| c == n));
    let open = find(&["open"])?;
    let high = find(&["high"])?;
    let low = find(&["low"])?;
    let close = find(&["close", "last"])?;
    let time = find(&["open_time", "date", "datetime", "timestamp", "time"])?;
    // `Date,Time,…`: the clock time is a column of its own.
    let time_of_day = (norm[time] == "date")
        .then(|| find(&["time"]))
        .flatten()
        .filter(|&t| t != time);
    let format = if norm.iter().any(|c| c == "close_time") && norm.iter().any(|c| c == "ignore") {
        Format::BinanceKlines { header: true }
    } else if norm.iter().any(|c| c == "adj_close") {
        Format::Yahoo
    } else {
        Format::Ohlcv
    };
    Some(Layout {
        format,
        names: fields.iter().map(|s| s.to_string()).collect(),
        time,
        time_of_day,
        open,
        high,
        low,
        close,
        volume: find(&["volume", "vol"]),
        quote_volume: find(&["quote_volume", "quote_asset_volume"]),
        trades: find(&["count", "trades", "number_of_trades"]),
        first_data_line,
    })
}
