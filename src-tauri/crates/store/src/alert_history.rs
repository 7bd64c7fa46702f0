//! The alert history: filtered listing, acknowledge and resolve, statistics, CSV export.

use crate::alerts::{AlertRow, COLUMNS};
use crate::{Result, Store, StoreError};
use sqlx::{QueryBuilder, Sqlite};
use tw_core::history::{AlertEntry, AlertQuery, AlertStats, AlertStatus, KeyCount};

const DEFAULT_LIMIT: u32 = 500;
const MAX_LIMIT: u32 = 100_000;

#[derive(sqlx::FromRow)]
struct EntryRow {
    #[sqlx(flatten)]
    alert: AlertRow,
    acknowledged_at: Option<i64>,
    resolved_at: Option<i64>,
}

/// Appends the WHERE clause of a query (always present, so callers can add to it).
fn filter<'a>(qb: &mut QueryBuilder<'a, Sqlite>, q: &'a AlertQuery) {
    qb.push(" WHERE 1 = 1");
    if let Some(s) = &q.symbol {
        qb.push(" AND symbol = ").push_bind(s.as_str());
    }
    if let Some(r) = q.rule_id {
        qb.push(" AND rule_id = ").push_bind(r);
    }
    if let Some(l) = q.level {
        qb.push(" AND level = ").push_bind(l.as_str());
    }
    if let Some(f) = q.from {
        qb.push(" AND fired_at >= ").push_bind(f);
    }
    if let Some(t) = q.to {
        qb.push(" AND fired_at < ").push_bind(t);
    }
    match q.status {
        Some(AlertStatus::New) => qb.push(" AND acknowledged_at IS NULL AND resolved_at IS NULL"),
        Some(AlertStatus::Acknowledged) => {
            qb.push(" AND acknowledged_at IS NOT NULL AND resolved_at IS NULL")
        }
        Some(AlertStatus::Resolved) => qb.push(" AND resolved_at IS NOT NULL"),
        None => qb,
    };
}

impl Store {
    /// Alerts matching `q`, newest first.
    pub async fn alert_history(&self, q: &AlertQuery) -> Result<Vec<AlertEntry>> {
        let mut qb = QueryBuilder::new(format!(
            "SELECT {COLUMNS}, acknowledged_at, resolved_at FROM alerts"
        ));
        filter(&mut qb, q);
        qb.push(" ORDER BY fired_at DESC, id DESC LIMIT ")
            .push_bind(i64::from(
                q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT),
            ))
            .push(" OFFSET ")
            .push_bind(i64::from(q.offset.unwrap_or(0)));
        let rows: Vec<EntryRow> = qb.build_query_as().fetch_all(self.pool()).await?;
        rows.into_iter()
            .map(|r| {
                Ok(AlertEntry {
                    alert: self.alert(r.alert)?,
                    acknowledged_at: r.acknowledged_at,
                    resolved_at: r.resolved_at,
                })
            })
            .collect()
    }

    /// Marks alerts as seen; returns how many changed (already acknowledged ones keep their
    /// first time).
    pub async fn acknowledge_alerts(&self, ids: &[i64], now_ms: i64) -> Result<u64> {
        self.mark(ids, "acknowledged_at", now_ms).await
    }

    /// Marks alerts as dealt with (which also acknowledges them).
    pub async fn resolve_alerts(&self, ids: &[i64], now_ms: i64) -> Result<u64> {
        self.mark(ids, "acknowledged_at", now_ms).await?;
        self.mark(ids, "resolved_at", now_ms).await
    }

    async fn mark(&self, ids: &[i64], column: &'static str, now_ms: i64) -> Result<u64> {
        if ids.is_empty() {
            return Ok(0);
        }
        let mut qb = QueryBuilder::<Sqlite>::new(format!("UPDATE alerts SET {column} = "));
        qb.push_bind(now_ms)
            .push(format!(" WHERE {column} IS NULL AND id IN ("));
        let mut list = qb.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        qb.push(")");
        let done = qb.build().execute(self.pool()).await?;
        if done.rows_affected() == 0 {
            // Nothing changed: either all were marked already, or none exists.
            let mut qb = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM alerts WHERE id IN (");
            let mut list = qb.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            qb.push(")");
            let n: i64 = qb.build_query_scalar().fetch_one(self.pool()).await?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("alert {ids:?}")));
            }
        }
        Ok(done.rows_affected())
    }

    /// Counts of the alerts matching `q` by level, rule, symbol and hour of day (local hours
    /// at `utc_offset_min`).
    pub async fn alert_stats(&self, q: &AlertQuery, utc_offset_min: i32) -> Result<AlertStats> {
        let group = |col: &str| format!("SELECT {col} AS key, COUNT(*) AS n FROM alerts");
        let mut by = Vec::new();
        for col in ["level", "rule_name", "symbol"] {
            let mut qb = QueryBuilder::new(group(col));
            filter(&mut qb, q);
            qb.push(format!(" GROUP BY {col} ORDER BY n DESC, key"));
            let rows: Vec<(String, i64)> = qb.build_query_as().fetch_all(self.pool()).await?;
            by.push(
                rows.into_iter()
                    .map(|(key, n)| KeyCount {
                        key,
                        count: n as u64,
                    })
                    .collect::<Vec<_>>(),
            );
        }
        let shift = i64::from(utc_offset_min) * 60_000;
        let mut qb = QueryBuilder::new("SELECT (((fired_at + ");
        qb.push_bind(shift)
            .push(") / 3600000) % 24 + 24) % 24 AS h, COUNT(*) FROM alerts");
        filter(&mut qb, q);
        qb.push(" GROUP BY h");
        let hours: Vec<(i64, i64)> = qb.build_query_as().fetch_all(self.pool()).await?;
        let mut by_hour = vec![0u64; 24];
        for (h, n) in hours {
            by_hour[h.rem_euclid(24) as usize] += n as u64;
        }
        let by_symbol = by.pop().unwrap_or_default();
        let by_rule = by.pop().unwrap_or_default();
        let by_level = by.pop().unwrap_or_default();
        Ok(AlertStats {
            total: by_hour.iter().sum(),
            by_level,
            by_rule,
            by_symbol,
            by_hour,
        })
    }

    /// The alerts matching `q` (newest first, all of them unless `q.limit`) as CSV with a
    /// header row; times in ISO 8601 UTC.
    pub async fn export_alerts_csv(&self, q: &AlertQuery) -> Result<String> {
        let mut q = q.clone();
        q.limit = Some(q.limit.unwrap_or(MAX_LIMIT));
        let rows = self.alert_history(&q).await?;
        let mut out = String::from(
            "id,fired_at,symbol,interval,rule_id,rule,level,message,metrics,acknowledged_at,resolved_at\n",
        );
        for e in rows {
            let a = &e.alert;
            let metrics = serde_json::to_string(&a.metrics).unwrap_or_default();
            let fields = [
                a.id.to_string(),
                iso_utc(a.fired_at),
                a.symbol.clone(),
                a.interval.to_string(),
                a.rule_id.to_string(),
                a.rule_name.clone(),
                a.level.as_str().to_string(),
                a.message.clone(),
                metrics,
                e.acknowledged_at.map(iso_utc).unwrap_or_default(),
                e.resolved_at.map(iso_utc).unwrap_or_default(),
            ];
            let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            out.push_str(&line.join(","));
            out.push('\n');
        }
        Ok(out)
    }
}

/// Quotes a CSV field when it needs it (RFC 4180). A leading `=`, `+`, `-` or `@` is
/// prefixed with `'` so a spreadsheet does not run a message as a formula.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '@']) || (s.starts_with('-') && s.parse::<f64>().is_err()) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// `2026-01-05T00:00:00.000Z` for ms since the epoch (proleptic Gregorian, UTC).
pub fn iso_utc(ms: i64) -> String {
    let (days, rem) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_and_csv_quoting() {
        assert_eq!(iso_utc(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_utc(1_767_571_200_123), "2026-01-05T00:00:00.123Z");
        assert_eq!(iso_utc(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=cmd()"), "'=cmd()");
        assert_eq!(csv_field("-3.5"), "-3.5");
    }
}
