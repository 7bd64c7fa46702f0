//! The portfolio's risk figures against an independent computation (numpy and Python's
//! NormalDist, `tests/fixtures/portfolio/make_reference.py`) on real daily closes.

use std::collections::HashMap;
use std::path::PathBuf;
use tw_analytics::portfolio::{PortfolioBook, PortfolioInputs};
use tw_core::portfolio::Holding;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../../shared/data/stocks/us_daily_backtrader")
        .join(name)
}

const FROM: i64 = 1_356_998_400_000; // 2013-01-01
const TODAY: i64 = 1_419_984_000_000; // 2014-12-31

fn closes(name: &str, symbol: &str) -> Vec<(i64, f64)> {
    let rec = tw_feeds::replay::load(&data(name)).expect("the recorded CSV reads");
    let _ = symbol;
    rec.candles
        .iter()
        .filter(|c| c.open_time >= FROM && c.open_time < TODAY)
        .map(|c| (c.open_time, c.close))
        .collect()
}

fn lot(id: i64, symbol: &str, quantity: f64, cost: f64) -> Holding {
    Holding {
        id,
        symbol: symbol.into(),
        quantity,
        cost,
        opened: "2012-06-01".into(),
        currency: None,
        note: None,
    }
}

#[test]
fn risk_matches_numpy_on_real_closes() {
    let reference: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/portfolio/reference.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let mut daily = HashMap::new();
    daily.insert(
        "yahoo:NVDA".to_string(),
        closes("nvda-1999-2014.csv", "NVDA"),
    );
    daily.insert(
        "yahoo:ORCL".to_string(),
        closes("orcl-1995-2014.csv", "ORCL"),
    );
    let book = PortfolioBook::build(
        PortfolioInputs {
            // Two lots of ORCL make one position of 300.
            holdings: vec![
                lot(1, "yahoo:NVDA", 100.0, 12.0),
                lot(2, "yahoo:ORCL", 200.0, 30.0),
                lot(3, "yahoo:ORCL", 100.0, 33.0),
            ],
            currency: "USD".into(),
            fx: HashMap::from([("USD".to_string(), 1.0)]),
            daily,
            ..Default::default()
        },
        TODAY,
    );
    let view = book.view(TODAY);
    assert!(view.warnings.is_empty(), "{:?}", view.warnings);
    let r = &view.risk;
    let want = |k: &str| reference[k].as_f64().unwrap();
    let close = |got: Option<f64>, k: &str| {
        let got = got.unwrap_or_else(|| panic!("{k} missing"));
        assert!(
            (got - want(k)).abs() <= 1e-9 * want(k).abs().max(1.0),
            "{k}: {got} vs numpy {}",
            want(k)
        );
    };
    assert_eq!(r.days as f64, want("days"));
    assert_eq!(view.history.len() as f64, want("history_len"));
    close(view.history.first().map(|p| p.value), "first_value");
    close(view.history.last().map(|p| p.value), "last_value");
    close(r.volatility_pct, "volatility_pct");
    close(r.var95_hist_pct, "var95_hist_pct");
    close(r.var99_hist_pct, "var99_hist_pct");
    close(r.var95_param_pct, "var95_param_pct");
    close(r.var99_param_pct, "var99_param_pct");
    close(r.max_drawdown_pct, "max_drawdown_pct");
    close(r.sharpe, "sharpe");
    close(r.hhi, "hhi");
    close(r.top_weight_pct, "top_weight_pct");
    // Position figures: 300 ORCL at an average cost of (200·30 + 100·33)/300 = 31.
    let orcl = view
        .positions
        .iter()
        .find(|p| p.symbol == "yahoo:ORCL")
        .unwrap();
    assert_eq!(orcl.quantity, 300.0);
    assert!((orcl.avg_cost - 31.0).abs() < 1e-12);
    let price = orcl.price.unwrap();
    assert!((orcl.total_pnl.unwrap() - 300.0 * (price - 31.0)).abs() < 1e-9);
    assert!(orcl.volatility_pct.unwrap() > 5.0);
}
