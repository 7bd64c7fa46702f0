//! The radar: symbols ranked by how unusual their move is right now.
//!
//! The engine does not expose composite anomaly scores yet (they are being built in
//! tw-analytics). Until it does, the radar ranks by the one move measure every watchlist row
//! carries, the size of the 24-hour change, and says so in every response (`rankedBy`) and
//! in the OpenAPI document. No score is made up: a row without a 24 h change is left out.

use crate::wire::{RadarItem, SymbolRow};

/// What `score` means in a radar response.
pub const RANKED_BY: &str = "abs_change_pct";

/// The rows whose score is at least `min_score`, highest first (ties by symbol), at most
/// `limit` of them.
pub fn rank(rows: Vec<SymbolRow>, min_score: f64, limit: usize) -> Vec<RadarItem> {
    let mut items: Vec<RadarItem> = rows
        .into_iter()
        .filter_map(|r| {
            let change = r.change_pct.filter(|c| c.is_finite())?;
            let score = change.abs();
            (score >= min_score).then_some(RadarItem {
                symbol: r.symbol,
                name: r.name,
                simulated: r.simulated,
                score,
                price: r.price,
                change_pct: change,
                updated_at: r.updated_at,
            })
        })
        .collect();
    items.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.symbol.cmp(&b.symbol))
    });
    items.truncate(limit);
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(symbol: &str, change: Option<f64>) -> SymbolRow {
        SymbolRow {
            symbol: symbol.into(),
            name: symbol.into(),
            simulated: true,
            price: Some(1.0),
            change_pct: change,
            volume: None,
            updated_at: Some(1),
        }
    }

    #[test]
    fn ranks_by_size_of_move_filters_and_limits() {
        let rows = vec![
            row("demo:A", Some(1.5)),
            row("demo:B", Some(-7.0)),
            row("demo:C", None),
            row("demo:D", Some(3.0)),
            row("demo:E", Some(f64::NAN)),
            row("demo:F", Some(0.2)),
        ];
        let got = rank(rows.clone(), 0.0, 10);
        let order: Vec<&str> = got.iter().map(|i| i.symbol.as_str()).collect();
        assert_eq!(order, ["demo:B", "demo:D", "demo:A", "demo:F"]);
        assert_eq!(got[0].score, 7.0);
        assert_eq!(got[0].change_pct, -7.0);
        let got = rank(rows.clone(), 1.5, 10);
        assert_eq!(got.len(), 3, "min_score is inclusive");
        assert_eq!(rank(rows, 0.0, 2).len(), 2);
    }
}
