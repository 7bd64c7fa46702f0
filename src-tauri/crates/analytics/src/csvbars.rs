//! Reads recorded candles from CSV text, for `tickwarden scan` and the crash report.
//!
//! Formats, told apart by the header (or its absence): Binance kline files without a header
//! (open time in ms or µs first) or with one (`open_time,...`); Yahoo (`Date,Open,High,Low,
//! Close,Adj Close,Volume`); `date|timestamp|open_time,open,high,low,close,volume` with ISO
//! dates, datetimes (with or without an offset) or Unix seconds/ms; a pandas index column
//! first; columns in any order when named. Rows newest-first are put in time order.
//!
//! The replay feed in tw-feeds is getting its own reader for the same formats; `scan` should
//! switch to that once it lands so there is one reader.

use crate::nab::days_from_civil;
use thiserror::Error;

#[derive(Debug, Error, PartialEq)]
pub enum CsvError {
    #[error("line {line}: {msg}")]
    Row { line: usize, msg: String },
    #[error("no {0} column in the header {1:?}")]
    MissingColumn(&'static str, String),
    #[error("the file has no rows")]
    Empty,
}

/// One recorded bar (times in ms UTC).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CsvBar {
    pub open_time: i64,
    pub open: f64,
    pub high: f64,
    pub low: f64,
    pub close: f64,
    pub volume: f64,
}

struct Columns {
    time: usize,
    open: usize,
    high: usize,
    low: usize,
    close: usize,
    volume: Option<usize>,
}

fn find(header: &[String], names: &[&str]) -> Option<usize> {
    header.iter().position(|h| names.contains(&h.as_str()))
}

fn columns(header: &[String], raw: &str) -> Result<Columns, CsvError> {
    let need = |what: &'static str, names: &[&str]| {
        find(header, names).ok_or_else(|| CsvError::MissingColumn(what, raw.to_string()))
    };
    Ok(Columns {
        time: need(
            "time",
            &["open_time", "date", "datetime", "timestamp", "time", "unix"],
        )?,
        open: need("open", &["open"])?,
        high: need("high", &["high"])?,
        low: need("low", &["low"])?,
        close: need("close", &["close", "last"])?,
        volume: find(header, &["volume", "vol"]),
    })
}

/// Parses a whole file. Rows with a bad number or time are an error naming the line.
pub fn parse(text: &str) -> Result<Vec<CsvBar>, CsvError> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, first)) = lines.next() else {
        return Err(CsvError::Empty);
    };
    let first_field = first.split(',').next().unwrap_or("").trim();
    let headerless = first_field.parse::<f64>().is_ok();
    let (cols, rows): (Columns, Vec<(usize, &str)>) = if headerless {
        // Binance kline files: open_time, open, high, low, close, volume, ...
        let cols = Columns {
            time: 0,
            open: 1,
            high: 2,
            low: 3,
            close: 4,
            volume: Some(5),
        };
        (cols, std::iter::once((0, first)).chain(lines).collect())
    } else {
        let header: Vec<String> = first
            .split(',')
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        (columns(&header, first)?, lines.collect())
    };
    let mut out = Vec::with_capacity(rows.len());
    for (i, line) in rows {
        let f: Vec<&str> = line.split(',').collect();
        let bad = |msg: String| CsvError::Row { line: i + 1, msg };
        let num = |c: usize, what: &str| -> Result<f64, CsvError> {
            let s = f.get(c).map(|s| s.trim()).unwrap_or("");
            s.parse::<f64>()
                .map_err(|_| bad(format!("{what} {s:?} is not a number")))
        };
        let t = f.get(cols.time).map(|s| s.trim()).unwrap_or("");
        let open_time = parse_time(t)
            .ok_or_else(|| bad(format!("time {t:?} is not a date, datetime or Unix time")))?;
        let volume = match cols.volume {
            Some(c) if f.get(c).is_some_and(|s| !s.trim().is_empty()) => num(c, "volume")?,
            _ => 0.0,
        };
        out.push(CsvBar {
            open_time,
            open: num(cols.open, "open")?,
            high: num(cols.high, "high")?,
            low: num(cols.low, "low")?,
            close: num(cols.close, "close")?,
            volume,
        });
    }
    if out.is_empty() {
        return Err(CsvError::Empty);
    }
    if out.len() > 1 && out[0].open_time > out[out.len() - 1].open_time {
        out.reverse();
    }
    Ok(out)
}

/// ms UTC of `2014-06-09`, `2014-06-09 13:30:00[.fff][+hh:mm|Z]`, `...T...`, or a Unix time
/// in s, ms or µs.
pub fn parse_time(s: &str) -> Option<i64> {
    if let Ok(n) = s.parse::<i64>() {
        return Some(match n.abs() {
            a if a >= 100_000_000_000_000 => n / 1000, // µs
            a if a >= 100_000_000_000 => n,            // ms
            _ => n * 1000,                             // s
        });
    }
    let (date, rest) = match s.find([' ', 'T']) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    };
    let d: Vec<i64> = date
        .split('-')
        .map(|x| x.parse().ok())
        .collect::<Option<_>>()?;
    if d.len() != 3 || !(1..=12).contains(&d[1]) || !(1..=31).contains(&d[2]) {
        return None;
    }
    let mut ms = days_from_civil(d[0], d[1], d[2]) * 86_400_000;
    if rest.is_empty() {
        return Some(ms);
    }
    // Split off an offset: Z, +hh:mm, -hh:mm (a '-' after the time part).
    let (time, offset_min) = if let Some(t) = rest.strip_suffix('Z') {
        (t, 0)
    } else if let Some(i) = rest.rfind(['+', '-']).filter(|&i| i >= 5) {
        let (t, o) = rest.split_at(i);
        let sign = if o.starts_with('-') { -1 } else { 1 };
        let hm: Vec<i64> = o[1..]
            .split(':')
            .map(|x| x.parse().ok())
            .collect::<Option<_>>()?;
        (t, sign * (hm[0] * 60 + hm.get(1).copied().unwrap_or(0)))
    } else {
        (rest, 0)
    };
    let mut parts = time.split(':');
    let h: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next().unwrap_or("0").parse().ok()?;
    let sec: f64 = parts.next().unwrap_or("0").parse().ok()?;
    ms += h * 3_600_000 + m * 60_000 + (sec * 1000.0).round() as i64;
    Some(ms - offset_min * 60_000)
}

/// The usual spacing of the bars (the median step), for guessing the interval.
pub fn median_step_ms(bars: &[CsvBar]) -> Option<i64> {
    let mut steps: Vec<i64> = bars
        .windows(2)
        .map(|w| w[1].open_time - w[0].open_time)
        .filter(|d| *d > 0)
        .take(10_000)
        .collect();
    if steps.is_empty() {
        return None;
    }
    steps.sort_unstable();
    Some(steps[steps.len() / 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_every_recorded_form() {
        let day = parse_time("2014-06-09").unwrap();
        assert_eq!(day, 1_402_272_000_000);
        assert_eq!(parse_time("2014-06-09 00:01:00"), Some(day + 60_000));
        assert_eq!(parse_time("2014-06-09T00:01:00.000Z"), Some(day + 60_000));
        assert_eq!(parse_time("2014-06-09 00:01:00+00:00"), Some(day + 60_000));
        assert_eq!(
            parse_time("2014-06-09 00:01:00-05:00"),
            Some(day + 60_000 + 5 * 3_600_000)
        );
        assert_eq!(
            parse_time("2021-12-31 23:01:00.000000"),
            parse_time("2021-12-31T23:01:00Z")
        );
        assert_eq!(parse_time("1402272000"), Some(day));
        assert_eq!(parse_time("1402272000000"), Some(day));
        assert_eq!(parse_time("1402272000000000"), Some(day));
        assert_eq!(parse_time("09/06/2014"), None);
    }

    #[test]
    fn headers_headerless_order_and_bad_rows() {
        let bin = "1651363200000,78.1,78.19,78.02,78.02,4371.65,1651363259999,1,2,3,4,0\n";
        let b = parse(bin).unwrap();
        assert_eq!(
            (b[0].open_time, b[0].close, b[0].volume),
            (1_651_363_200_000, 78.02, 4371.65)
        );
        let odd = "Date,Open,Close,High,Low,Volume\n2019-11-05 09:30:00,1,2,3,0.5,10\n";
        let b = parse(odd).unwrap();
        assert_eq!(
            (b[0].open, b[0].high, b[0].low, b[0].close),
            (1.0, 3.0, 0.5, 2.0)
        );
        let newest_first =
            "date,open,high,low,close,volume\n2020-01-02,2,2,2,2,1\n2020-01-01,1,1,1,1,1\n";
        assert_eq!(parse(newest_first).unwrap()[0].close, 1.0);
        let bad = "date,open,high,low,close,volume\n2020-01-01,1,1,1,1,1\n2020-01-02,1,x,1,1,1\n";
        assert_eq!(
            parse(bad),
            Err(CsvError::Row {
                line: 3,
                msg: "high \"x\" is not a number".into()
            })
        );
        assert!(matches!(
            parse("a,b\n1,2\n"),
            Err(CsvError::MissingColumn("time", _))
        ));
        assert_eq!(parse(""), Err(CsvError::Empty));
    }
}
