//! The portfolio end to end on the headless engine: holdings stored, priced by the live demo
//! market, and watched by ordinary rules on the `portfolio:` series through the same alert
//! path as market rules.

use tw_core::ipc::ErrorCode;
use tw_core::portfolio::{HoldingInput, PortfolioSettings};
use tw_core::rule::RuleSpec;
use tw_core::ManualClock;
use tw_engine::{Engine, EngineError};

mod common;

use common::{config, quiet_demo, run_for, T0};

fn lot(symbol: &str, quantity: f64, cost: f64) -> HoldingInput {
    HoldingInput {
        symbol: symbol.into(),
        quantity,
        cost,
        opened: "2025-12-01".into(),
        currency: None,
        note: None,
    }
}

/// "once" fires a single time and then switches the rule off (TradingView's "Only once").
fn rule(name: &str, target: &str, when: &str) -> RuleSpec {
    rule_freq(name, target, when, "once")
}

fn rule_freq(name: &str, target: &str, when: &str, mode: &str) -> RuleSpec {
    RuleSpec::from_json(&format!(
        r#"{{"name":"{name}","target":{target},"interval":"1m","level":"high","when":{when},
            "frequency":{{"mode":"{mode}","cooldown_s":0}}}}"#
    ))
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn holdings_are_priced_live_and_risk_rules_fire_through_the_alert_path() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let engine = Engine::start(config(dir.path(), &clock, quiet_demo(7, 60)))
        .await
        .unwrap();
    clock.settle().await;
    engine.flush().await.unwrap();
    let rows = engine.watchlist().await.unwrap();
    let (a, b) = (rows[0].symbol.clone(), rows[1].symbol.clone());

    // A bad lot is refused with its field; a bad CSV with its line and column, adding nothing.
    match engine.add_holding(lot(&a, 0.0, 1.0)).await {
        Err(e @ EngineError::InvalidInput(_)) => {
            assert_eq!(e.to_api().code, ErrorCode::InvalidInput);
            assert!(e.to_string().starts_with("quantity:"), "{e}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let csv = format!("symbol,quantity,cost,date\n{b},5,1,2025-12-01\n{b},x,1,2025-12-01\n");
    let e = engine.import_holdings_csv(&csv).await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 3, column 2 (quantity): \"x\" is not a number"
    );
    assert!(engine.holdings().await.unwrap().is_empty());

    // 10 of A at a cost of 1 (deep in profit), and B from a CSV.
    engine.add_holding(lot(&a, 10.0, 1.0)).await.unwrap();
    let csv = format!("symbol,quantity,cost,date\n{b},5,1,2025-12-01\n");
    assert_eq!(engine.import_holdings_csv(&csv).await.unwrap().len(), 1);

    let total = engine
        .create_rule(rule(
            "portfolio in profit",
            r#"{"symbols":["portfolio:total"]}"#,
            r#"{"metric":"pnl_total","op":"gt","value":0}"#,
        ))
        .await
        .unwrap();
    let weight = engine
        .create_rule(rule_freq(
            "position too heavy",
            r#"{"source":"portfolio"}"#,
            r#"{"metric":"weight_pct","op":"gt","value":0}"#,
            "once_per_bar",
        ))
        .await
        .unwrap();
    // A market alert on A, then the risk rule on alerts per hour on the holding.
    engine
        .create_rule(rule(
            "A trades",
            &format!(r#"{{"symbols":["{a}"]}}"#),
            r#"{"metric":"price","op":"gt","value":0}"#,
        ))
        .await
        .unwrap();
    let busy = engine
        .create_rule(rule(
            "busy holding",
            &format!(r#"{{"symbols":["portfolio:{a}"]}}"#),
            r#"{"metric":"alerts_1h","op":"ge","value":1}"#,
        ))
        .await
        .unwrap();

    run_for(&clock, &engine, 120_000).await;

    let alerts = engine.alerts(1000).await.unwrap();
    let of = |id: i64| {
        alerts
            .iter()
            .filter(|x| x.rule_id == id)
            .collect::<Vec<_>>()
    };
    let t = of(total.id);
    assert_eq!(t.len(), 1, "{alerts:?}");
    assert_eq!(t[0].symbol, "portfolio:total");
    assert!(t[0].metrics["pnl_total"] > 0.0);
    // `source: portfolio` watches every position, not the account total.
    let w: Vec<&str> = of(weight.id).iter().map(|x| x.symbol.as_str()).collect();
    assert!(w.contains(&format!("portfolio:{a}").as_str()), "{w:?}");
    assert!(w.contains(&format!("portfolio:{b}").as_str()), "{w:?}");
    assert!(!w.contains(&"portfolio:total"), "{w:?}");
    let busy_alerts = of(busy.id);
    assert_eq!(busy_alerts.len(), 1, "{alerts:?}");
    assert_eq!(busy_alerts[0].metrics["alerts_1h"], 1.0);

    let view = engine.portfolio();
    assert_eq!(view.positions.len(), 2);
    let pa = view.positions.iter().find(|p| p.symbol == a).unwrap();
    let live = engine
        .watchlist()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.symbol == a)
        .unwrap();
    assert_eq!(pa.price, live.price);
    assert!((pa.value.unwrap() - 10.0 * live.price.unwrap()).abs() < 1e-9);
    let weights: f64 = view.positions.iter().filter_map(|p| p.weight_pct).sum();
    assert!((weights - 100.0).abs() < 1e-9);
    // An hour of demo history holds no closed day: the risk figures say why they are empty.
    assert!(
        view.warnings
            .iter()
            .all(|w| w.ends_with("no daily history stored, left out of the risk figures")),
        "{:?}",
        view.warnings
    );
    assert_eq!(view.risk.days, 0);
    assert!(view.value > 0.0);

    // A different account currency without a rate: said, and left out of the totals.
    let s = PortfolioSettings {
        currency: "EUR".into(),
        ..Default::default()
    };
    engine.set_portfolio_settings(s.clone()).await.unwrap();
    let view = engine.portfolio();
    assert_eq!(view.value, 0.0);
    assert!(
        view.warnings.iter().any(|w| w.contains("USD→EUR")),
        "{:?}",
        view.warnings
    );
    let mut s = s;
    s.fx.insert("USD".into(), 0.5);
    engine.set_portfolio_settings(s).await.unwrap();
    let view = engine.portfolio();
    let pa = view.positions.iter().find(|p| p.symbol == a).unwrap();
    assert_eq!(pa.fx, Some(0.5));

    // Holdings and settings survive a restart.
    engine.shutdown().await;
    let engine = Engine::start(config(dir.path(), &clock, quiet_demo(7, 60)))
        .await
        .unwrap();
    assert_eq!(engine.holdings().await.unwrap().len(), 2);
    assert_eq!(engine.portfolio().currency, "EUR");
    assert_eq!(engine.portfolio().positions.len(), 2);
    engine.shutdown().await;
}
