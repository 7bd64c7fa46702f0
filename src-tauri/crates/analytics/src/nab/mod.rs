//! The Numenta Anomaly Benchmark: its scoring rules (reimplemented from `SCORING.md` in the
//! shared data), the parsing of its timestamps and label windows, and a port of the CAD OSE
//! detector ([`Cad`], as NAB runs it, and [`StreamingCad`], without look-ahead, used as a stage
//! of [`crate::anomaly::ValueDetector`]). Reading and writing files is the app's job
//! (`tickwarden nab`); this module is pure.

mod cad;
mod scorer;

pub use cad::{py2_tuple_hash, Cad, CadConfig, PyIntDict, StreamingCad};

pub use scorer::{
    row_weights, score_corpus, score_file_at, CorpusScore, FileInput, FileScore, Profile,
};

use thiserror::Error;

#[derive(Debug, Error, PartialEq)]
pub enum NabError {
    #[error("bad timestamp {0:?}: expected YYYY-MM-DD HH:MM:SS")]
    Timestamp(String),
    #[error("labels file: {0}")]
    Labels(String),
}

/// Seconds since the Unix epoch of a NAB timestamp (`2014-04-10 07:15:00` with optional
/// fractional seconds; naive, read as UTC).
pub fn parse_timestamp(s: &str) -> Result<i64, NabError> {
    let bad = || NabError::Timestamp(s.to_string());
    let s2 = s.trim();
    let (date, time) = s2.split_once([' ', 'T']).ok_or_else(bad)?;
    let d: Vec<i64> = date
        .split('-')
        .map(|x| x.parse().map_err(|_| bad()))
        .collect::<Result<_, _>>()?;
    let time = time.split('.').next().unwrap_or("");
    let t: Vec<i64> = time
        .split(':')
        .map(|x| x.parse().map_err(|_| bad()))
        .collect::<Result<_, _>>()?;
    if d.len() != 3 || t.len() != 3 || !(1..=12).contains(&d[1]) || !(1..=31).contains(&d[2]) {
        return Err(bad());
    }
    Ok(days_from_civil(d[0], d[1], d[2]) * 86_400 + t[0] * 3600 + t[1] * 60 + t[2])
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Label windows per data file: (file name, [(start, end)] in seconds).
pub type LabelWindows = Vec<(String, Vec<(i64, i64)>)>;

/// `labels/combined_windows.json`: file name → list of [start, end] windows (seconds).
pub fn parse_windows(json: &str) -> Result<LabelWindows, NabError> {
    let map: std::collections::BTreeMap<String, Vec<Vec<String>>> =
        serde_json::from_str(json).map_err(|e| NabError::Labels(e.to_string()))?;
    map.into_iter()
        .map(|(name, ws)| {
            let ws = ws
                .iter()
                .map(|w| match w.as_slice() {
                    [a, b] => Ok((parse_timestamp(a)?, parse_timestamp(b)?)),
                    _ => Err(NabError::Labels(format!(
                        "{name}: a window must be [start, end], got {} values",
                        w.len()
                    ))),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok((name, ws))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_parse_with_and_without_fraction_and_bad_ones_are_named() {
        assert_eq!(parse_timestamp("1970-01-02 00:00:01"), Ok(86_401));
        assert_eq!(
            parse_timestamp("2014-04-10 07:15:00.000000"),
            parse_timestamp("2014-04-10 07:15:00")
        );
        assert_eq!(parse_timestamp("2014-04-10 07:15:00"), Ok(1_397_114_100));
        assert_eq!(
            parse_timestamp("2014/04/10"),
            Err(NabError::Timestamp("2014/04/10".into()))
        );
    }
}
