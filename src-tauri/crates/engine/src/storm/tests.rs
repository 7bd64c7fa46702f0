use super::*;
use tw_core::delivery::QuietHours;
use tw_core::Interval;

const T0: i64 = 1_767_571_200_000; // 2026-01-05 00:00 UTC

fn alert(i: usize, level: Level) -> Alert {
    Alert {
        id: i as i64 + 1,
        rule_id: 1,
        rule_name: "crash".into(),
        symbol: format!("binance-usdm:S{}USDT", i % 40),
        interval: Interval::M1,
        level,
        fired_at: T0,
        bar_time: T0,
        message: "m".into(),
        metrics: Default::default(),
    }
}

#[test]
fn a_burst_of_ten_thousand_becomes_a_handful_of_notifications() {
    let mut g = Gate::new(DeliverySettings::default()); // 3 one by one per 10 s
    let mut shown = Vec::new();
    for i in 0..10_000 {
        // The whole burst arrives within 5 s.
        shown.extend(g.offer(
            &alert(i, Level::High),
            T0 + (i as i64 / 2_000) * 1_000,
            false,
        ));
    }
    assert_eq!(shown.len(), 3, "three shown at once");
    assert_eq!(g.next_deadline(), Some(T0 + 10_000));
    shown.extend(g.tick(T0 + 10_000, false));
    assert_eq!(shown.len(), 4);
    let Notice::Group { count, symbols, .. } = &shown[3] else {
        panic!("{:?}", shown[3])
    };
    assert_eq!(*count, 9_997);
    assert_eq!(symbols.len(), 40);
    assert_eq!(shown[3].title(), "9997 more alerts in 10 s");
    assert!(
        shown[3].body().starts_with("S3USDT, S4USDT"),
        "{}",
        shown[3].body()
    );
    assert!(g.tick(T0 + 60_000, false).is_empty(), "said once");
    // After the storm, alerts show one by one again.
    assert_eq!(g.offer(&alert(1, Level::Low), T0 + 61_000, false).len(), 1);
}

#[test]
fn a_pause_holds_notifications_and_ends_with_a_digest() {
    let mut g = Gate::new(DeliverySettings::default());
    assert!(g.tick(T0, true).is_empty());
    for i in 0..5 {
        assert!(g
            .offer(
                &alert(i, if i == 0 { Level::Critical } else { Level::Low }),
                T0 + 1,
                true
            )
            .is_empty());
    }
    assert!(g.tick(T0 + 100_000, true).is_empty(), "still paused");
    let out = g.tick(T0 + 200_000, false);
    assert_eq!(out.len(), 1);
    let Notice::Digest {
        count, by_level, ..
    } = &out[0]
    else {
        panic!("{:?}", out[0])
    };
    assert_eq!(*count, 5);
    assert_eq!(by_level[&Level::Critical], 1);
    assert_eq!(out[0].level(), Level::Critical);
    assert!(
        out[0].body().starts_with("1 critical, 4 low"),
        "{}",
        out[0].body()
    );
}

#[test]
fn quiet_hours_hold_all_but_critical_when_allowed() {
    let cfg = DeliverySettings {
        quiet_hours: Some(QuietHours {
            start_min: 0,
            end_min: 60, // 00:00–01:00 UTC
            utc_offset_min: 0,
            allow_critical: true,
        }),
        ..Default::default()
    };
    let mut g = Gate::new(cfg);
    assert!(g
        .offer(&alert(0, Level::High), T0 + 1_000, false)
        .is_empty());
    assert_eq!(
        g.offer(&alert(1, Level::Critical), T0 + 2_000, false).len(),
        1
    );
    let out = g.tick(T0 + 3_600_000, false);
    assert!(
        matches!(out.as_slice(), [Notice::Digest { count: 1, .. }]),
        "{out:?}"
    );
}
