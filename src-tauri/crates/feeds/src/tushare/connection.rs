//! "Test connection": which interfaces the token's points allow, in words.

use super::calendar::{add_days, cst_date};
use super::client::{params, TushareClient, TushareError};

/// The result of trying each interface the feed uses once.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectionReport {
    /// The token is accepted at all.
    pub token_ok: bool,
    /// Interface → `Ok(rows)` or the error in words.
    pub interfaces: Vec<(String, Result<usize, String>)>,
}

impl ConnectionReport {
    /// One paragraph for the user.
    pub fn summary(&self) -> String {
        if !self.token_ok {
            let why = self
                .interfaces
                .iter()
                .find_map(|(_, r)| r.as_ref().err())
                .cloned()
                .unwrap_or_default();
            return format!("The connection does not work: {why}");
        }
        let ok: Vec<&str> = self
            .interfaces
            .iter()
            .filter(|(_, r)| r.is_ok())
            .map(|(n, _)| n.as_str())
            .collect();
        let no: Vec<String> = self
            .interfaces
            .iter()
            .filter_map(|(_, r)| r.as_ref().err().cloned())
            .collect();
        let mut s = format!("The token works. Allowed: {}.", ok.join(", "));
        if !no.is_empty() {
            s.push_str(&format!(" Not available: {}.", no.join("; ")));
        }
        s
    }
}

/// Calls `trade_cal`, `stock_basic`, `daily`, `daily_basic` and `moneyflow` once each for a
/// few recent days of 000001.SZ.
pub async fn test_connection(client: &TushareClient, now_ms: i64) -> ConnectionReport {
    let today = cst_date(now_ms);
    let from = add_days(&today, -10).unwrap_or_default();
    // (interface, params, fields)
    type Call<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);
    let calls: [Call; 5] = [
        (
            "trade_cal",
            vec![
                ("exchange", "SSE"),
                ("start_date", &from),
                ("end_date", &today),
            ],
            "cal_date,is_open",
        ),
        (
            "stock_basic",
            vec![("ts_code", "000001.SZ")],
            "ts_code,name",
        ),
        (
            "daily",
            vec![
                ("ts_code", "000001.SZ"),
                ("start_date", &from),
                ("end_date", &today),
            ],
            "",
        ),
        (
            "daily_basic",
            vec![
                ("ts_code", "000001.SZ"),
                ("start_date", &from),
                ("end_date", &today),
            ],
            "",
        ),
        (
            "moneyflow",
            vec![
                ("ts_code", "000001.SZ"),
                ("start_date", &from),
                ("end_date", &today),
            ],
            "",
        ),
    ];
    let mut report = ConnectionReport {
        token_ok: true,
        interfaces: Vec::new(),
    };
    for (api, p, fields) in calls {
        match client.call(api, params(&p), fields).await {
            Ok(t) => report.interfaces.push((api.to_string(), Ok(t.items.len()))),
            Err(e) => {
                let fatal = matches!(
                    e,
                    TushareError::InvalidToken { .. }
                        | TushareError::NoToken
                        | TushareError::Network { .. }
                );
                report
                    .interfaces
                    .push((api.to_string(), Err(e.to_string())));
                if fatal {
                    report.token_ok = false;
                    break;
                }
            }
        }
    }
    report
}
