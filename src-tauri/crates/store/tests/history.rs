//! Alert history (filters, acknowledge/resolve, statistics, CSV) and rule trigger state on a
//! real SQLite file.

use std::collections::BTreeMap;
use tw_core::history::{AlertQuery, AlertStatus};
use tw_core::rule::RuleSpec;
use tw_core::{Alert, Interval, Level};
use tw_store::{RuleStateRow, Store};

const T0: i64 = 1_767_571_200_000; // 2026-01-05 00:00 UTC

fn alert(rule_id: i64, symbol: &str, level: Level, at: i64) -> Alert {
    Alert {
        id: 0,
        rule_id,
        rule_name: format!("rule {rule_id}"),
        symbol: symbol.into(),
        interval: Interval::M1,
        level,
        fired_at: at,
        bar_time: Interval::M1.floor(at),
        message: format!("{symbol}, \"quoted\""),
        metrics: BTreeMap::from([("price".to_string(), 1.5)]),
    }
}

#[tokio::test]
async fn history_filters_marks_counts_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let mut ids = Vec::new();
    for (i, (rule, sym, level)) in [
        (1, "demo:ALPHA", Level::High),
        (1, "demo:BETA", Level::Low),
        (2, "demo:ALPHA", Level::Critical),
        (2, "demo:ALPHA", Level::High),
    ]
    .into_iter()
    .enumerate()
    {
        let at = T0 + i as i64 * 3_600_000; // one an hour
        ids.push(
            store
                .insert_alert(&alert(rule, sym, level, at))
                .await
                .unwrap(),
        );
    }
    let q = |f: fn(&mut AlertQuery)| {
        let mut q = AlertQuery::default();
        f(&mut q);
        q
    };
    let by_sym = store
        .alert_history(&q(|q| q.symbol = Some("demo:ALPHA".into())))
        .await
        .unwrap();
    assert_eq!(by_sym.len(), 3);
    assert!(
        by_sym[0].alert.fired_at > by_sym[2].alert.fired_at,
        "newest first"
    );
    let high = store
        .alert_history(&q(|q| q.level = Some(Level::High)))
        .await
        .unwrap();
    assert_eq!(high.len(), 2);
    let rule2_late = store
        .alert_history(&q(|q| {
            q.rule_id = Some(2);
            q.from = Some(T0 + 3 * 3_600_000);
        }))
        .await
        .unwrap();
    assert_eq!(rule2_late.len(), 1);

    assert_eq!(
        store.acknowledge_alerts(&ids[..2], T0 + 10).await.unwrap(),
        2
    );
    assert_eq!(
        store.acknowledge_alerts(&ids[..1], T0 + 20).await.unwrap(),
        0,
        "first time kept"
    );
    assert_eq!(store.resolve_alerts(&ids[1..3], T0 + 30).await.unwrap(), 2);
    assert!(
        store.resolve_alerts(&[9_999], T0).await.is_err(),
        "unknown id is an error"
    );
    let status = |s| {
        q(match s {
            AlertStatus::New => |q: &mut AlertQuery| q.status = Some(AlertStatus::New),
            AlertStatus::Acknowledged => {
                |q: &mut AlertQuery| q.status = Some(AlertStatus::Acknowledged)
            }
            AlertStatus::Resolved => |q: &mut AlertQuery| q.status = Some(AlertStatus::Resolved),
        })
    };
    let ids_of = |v: Vec<tw_core::history::AlertEntry>| {
        v.into_iter().map(|e| e.alert.id).collect::<Vec<_>>()
    };
    assert_eq!(
        ids_of(
            store
                .alert_history(&status(AlertStatus::New))
                .await
                .unwrap()
        ),
        vec![ids[3]]
    );
    assert_eq!(
        ids_of(
            store
                .alert_history(&status(AlertStatus::Acknowledged))
                .await
                .unwrap()
        ),
        vec![ids[0]]
    );
    let resolved = store
        .alert_history(&status(AlertStatus::Resolved))
        .await
        .unwrap();
    assert_eq!(resolved.len(), 2);
    assert_eq!(
        resolved[0].acknowledged_at,
        Some(T0 + 30),
        "resolving acknowledges"
    );

    let st = store
        .alert_stats(&AlertQuery::default(), 480)
        .await
        .unwrap();
    assert_eq!(st.total, 4);
    assert_eq!(
        (st.by_symbol[0].key.as_str(), st.by_symbol[0].count),
        ("demo:ALPHA", 3)
    );
    assert_eq!(
        st.by_level.iter().find(|k| k.key == "high").unwrap().count,
        2
    );
    assert_eq!(st.by_rule.len(), 2);
    assert_eq!(
        &st.by_hour[8..12],
        &[1, 1, 1, 1],
        "00:00–03:00 UTC is 08–11 at UTC+8"
    );

    let csv = store
        .export_alerts_csv(&AlertQuery::default())
        .await
        .unwrap();
    let lines: Vec<_> = csv.lines().collect();
    assert_eq!(lines.len(), 5);
    assert!(lines[0].starts_with("id,fired_at,symbol"));
    assert!(
        lines[4].contains("2026-01-05T00:00:00.000Z"),
        "{}",
        lines[4]
    );
    assert!(
        lines[4].contains("\"demo:ALPHA, \"\"quoted\"\"\""),
        "{}",
        lines[4]
    );
}

#[tokio::test]
async fn rule_state_survives_reopening_and_follows_its_rule() {
    let dir = tempfile::tempdir().unwrap();
    let spec = RuleSpec::from_json(
        r#"{"name":"r","target":{"source":"demo"},"interval":"1m","when":{"metric":"price","op":"gt","value":1}}"#,
    )
    .unwrap();
    let rows = {
        let store = Store::open(dir.path()).await.unwrap();
        let keep = store.insert_rule(&spec, T0).await.unwrap();
        let gone = store.insert_rule(&spec, T0).await.unwrap();
        let rows: Vec<RuleStateRow> = [
            (keep.id, "demo:A"),
            (keep.id, "demo:B"),
            (gone.id, "demo:A"),
        ]
        .into_iter()
        .map(|(rule_id, s)| RuleStateRow {
            rule_id,
            symbol: s.into(),
            state: format!(r#"{{"last_fired_ms":{T0}}}"#),
        })
        .collect();
        store.save_rule_states(&rows, T0).await.unwrap();
        store.save_rule_states(&rows[..1], T0 + 1).await.unwrap(); // upsert, no duplicate
        store.delete_rule(gone.id).await.unwrap();
        store.close().await;
        rows
    };
    let store = Store::open(dir.path()).await.unwrap();
    assert_eq!(store.rule_states().await.unwrap(), rows[..2].to_vec());
    store.clear_rule_state(rows[0].rule_id).await.unwrap();
    assert!(store.rule_states().await.unwrap().is_empty());
}
