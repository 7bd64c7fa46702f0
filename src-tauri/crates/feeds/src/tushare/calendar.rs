//! Shanghai/Shenzhen time and the trading calendar: which day's data should be out, and when
//! the next day's is due. Daily data is published after the close (the docs: loaded 15:00–16:00
//! China time on trading days), so a day counts as published from 16:15 CST.

use super::date_ms;
use chrono::{DateTime, Duration, NaiveDate};

/// China Standard Time is UTC+8 all year (no daylight saving).
pub const CST_OFFSET_MS: i64 = 8 * 3_600_000;
/// Local time of day after which a trading day's data is expected.
pub const PUBLISHED_AFTER_MS: i64 = (16 * 60 + 15) * 60_000;

/// The CST calendar date of an instant, `YYYYMMDD`.
pub fn cst_date(ms: i64) -> String {
    utc_date(ms + CST_OFFSET_MS)
}

/// The UTC calendar date of an instant, `YYYYMMDD`.
pub fn utc_date(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .map(|d| d.format("%Y%m%d").to_string())
        .unwrap_or_default()
}

/// `date` plus `days` (negative: before).
pub fn add_days(date: &str, days: i64) -> Option<String> {
    let d = NaiveDate::parse_from_str(date, "%Y%m%d").ok()? + Duration::days(days);
    Some(d.format("%Y%m%d").to_string())
}

/// When the data of trading day `date` is expected, ms UTC.
pub fn published_at(date: &str) -> Option<i64> {
    Some(date_ms(date)? - CST_OFFSET_MS + PUBLISHED_AFTER_MS)
}

/// The latest open day whose data should be out at `now` (`open_days` sorted ascending).
pub fn last_published(open_days: &[String], now_ms: i64) -> Option<&str> {
    open_days
        .iter()
        .rev()
        .find(|d| published_at(d).is_some_and(|t| t <= now_ms))
        .map(String::as_str)
}

/// When the next trading day's data is due after `now`, if the calendar reaches that far.
pub fn next_due(open_days: &[String], now_ms: i64) -> Option<(String, i64)> {
    open_days
        .iter()
        .filter_map(|d| Some((d.clone(), published_at(d)?)))
        .find(|(_, t)| *t > now_ms)
}

/// `2024-01-05 16:15 CST`, for the health line.
pub fn fmt_cst(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms + CST_OFFSET_MS)
        .map(|d| d.format("%Y-%m-%d %H:%M CST").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(ds: &[&str]) -> Vec<String> {
        ds.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn data_of_a_day_is_due_after_the_close_china_time() {
        // Fri 2018-07-13, Mon 16, Tue 17 (the weekend is closed).
        let open = days(&["20180713", "20180716", "20180717"]);
        let mon_15h_cst = date_ms("20180716").unwrap() - CST_OFFSET_MS + 15 * 3_600_000;
        assert_eq!(last_published(&open, mon_15h_cst), Some("20180713"));
        let (day, due) = next_due(&open, mon_15h_cst).unwrap();
        assert_eq!(day, "20180716");
        assert_eq!(fmt_cst(due), "2018-07-16 16:15 CST");
        assert_eq!(last_published(&open, due), Some("20180716"));
        // Saturday: the next update is Monday's close, not tomorrow.
        let sat = date_ms("20180714").unwrap() + 3_600_000;
        assert_eq!(next_due(&open, sat).unwrap().0, "20180716");
        assert_eq!(
            cst_date(date_ms("20180716").unwrap() - 3_600_000),
            "20180716"
        );
        assert_eq!(add_days("20180731", 1).as_deref(), Some("20180801"));
    }
}
