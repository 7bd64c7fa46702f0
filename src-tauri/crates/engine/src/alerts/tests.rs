use super::*;
use std::sync::Arc;
use tw_core::rule::Channels;
use tw_core::{Interval, ManualClock};

const T0: i64 = 1_767_571_200_000;

fn fired(i: usize) -> Fired {
    Fired {
        alert: Alert {
            id: 0,
            rule_id: 1,
            rule_name: "crash".into(),
            symbol: format!("binance-usdm:S{}USDT", i % 50),
            interval: Interval::M1,
            level: Level::High,
            fired_at: T0,
            bar_time: T0,
            message: format!("alert {i}"),
            metrics: Default::default(),
        },
        disable_rule: false,
        channels: Channels {
            sound: true,
            ..Default::default()
        },
    }
}

struct Rig {
    store: Store,
    tx: mpsc::Sender<AlertMsg>,
    notices: broadcast::Receiver<NoticeEvent>,
    ui: broadcast::Receiver<Alert>,
    paused: Arc<AtomicBool>,
}

async fn dispatcher(dir: &std::path::Path, clock: &ManualClock) -> Rig {
    let store = Store::open(dir).await.unwrap();
    let (ui, ui_rx) = broadcast::channel(16);
    let (notices, notices_rx) = broadcast::channel(64);
    let (rules_changed, _) = mpsc::unbounded_channel();
    let paused = Arc::new(AtomicBool::new(false));
    let d = Dispatcher {
        store: store.clone(),
        ui,
        notices,
        notifier: None,
        notifier_status: Arc::new(Mutex::new(NotifierStatus {
            available: false,
            error: None,
        })),
        paused: paused.clone(),
        rules_changed,
        clock: Arc::new(clock.clone()),
        settings: DeliverySettings::default(),
        secrets: None,
        webhook_policy: RetryPolicy::default(),
        unsaved: Vec::new(),
        retry_at: 0,
    };
    let (tx, rx) = mpsc::channel(64);
    tokio::spawn(d.run(rx));
    Rig {
        store,
        tx,
        notices: notices_rx,
        ui: ui_rx,
        paused,
    }
}

async fn flush(tx: &mpsc::Sender<AlertMsg>) {
    let (ack, done) = oneshot::channel();
    tx.send(AlertMsg::Flush(ack)).await.unwrap();
    done.await.unwrap();
}

fn drain(rx: &mut broadcast::Receiver<NoticeEvent>) -> Vec<NoticeEvent> {
    let mut v = Vec::new();
    while let Ok(n) = rx.try_recv() {
        v.push(n);
    }
    v
}

#[tokio::test]
async fn a_burst_of_ten_thousand_is_all_stored_and_shown_as_a_handful() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let Rig {
        store,
        tx,
        mut notices,
        ..
    } = dispatcher(dir.path(), &clock).await;
    for i in 0..10_000 {
        tx.send(AlertMsg::Fired(fired(i))).await.unwrap();
    }
    flush(&tx).await;
    let all = store.recent_alerts(20_000).await.unwrap();
    assert_eq!(all.len(), 10_000, "every alert is stored");
    let shown = drain(&mut notices);
    assert_eq!(shown.len(), 3, "{shown:?}");
    assert!(
        shown.iter().all(|n| n.sound),
        "high is a sound level by default"
    );
    clock.advance(10_000).await;
    flush(&tx).await;
    let group = drain(&mut notices);
    assert_eq!(group.len(), 1, "{group:?}");
    assert_eq!(group[0].alerts, 9_997);
    assert_eq!(group[0].title, "9997 more alerts in 10 s");
    assert!(!group[0].sound);
}

#[tokio::test]
async fn pausing_holds_notifications_then_a_digest_names_what_was_missed() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let Rig {
        store,
        tx,
        mut notices,
        mut ui,
        paused,
    } = dispatcher(dir.path(), &clock).await;
    paused.store(true, Ordering::Relaxed);
    for i in 0..4 {
        tx.send(AlertMsg::Fired(fired(i))).await.unwrap();
    }
    flush(&tx).await;
    assert!(drain(&mut notices).is_empty(), "held while paused");
    assert_eq!(store.recent_alerts(10).await.unwrap().len(), 4);
    assert!(ui.try_recv().is_ok(), "the app's own list still gets them");
    paused.store(false, Ordering::Relaxed);
    clock.advance(1_000).await;
    flush(&tx).await;
    let digest = drain(&mut notices);
    assert_eq!(digest.len(), 1, "{digest:?}");
    assert_eq!(digest[0].alerts, 4);
    assert!(digest[0].body.starts_with("4 high;"), "{}", digest[0].body);
}

#[tokio::test]
async fn a_paused_rule_is_announced() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let Rig {
        tx, mut notices, ..
    } = dispatcher(dir.path(), &clock).await;
    tx.send(AlertMsg::RulePaused(RulePaused {
        rule_id: 3,
        rule_name: "Flappy".into(),
        fired: 30,
        window_ms: 60_000,
        until_ms: T0 + 900_000,
    }))
    .await
    .unwrap();
    flush(&tx).await;
    let n = drain(&mut notices);
    assert_eq!(n[0].title, "Rule paused: Flappy");
    assert!(n[0].body.contains("30 times within 60 s") && n[0].body.contains("15 min"));
}

fn with_channels(i: usize, level: Level, notification: bool, sound: bool) -> Fired {
    let mut f = fired(i);
    f.alert.level = level;
    f.channels = Channels {
        notification,
        sound,
        ..Default::default()
    };
    f
}

#[tokio::test]
async fn the_notice_carries_the_level_and_the_sound_decision() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let Rig {
        tx,
        mut notices,
        paused,
        ..
    } = dispatcher(dir.path(), &clock).await;
    // Default settings: high and critical play a sound, low and medium do not.
    tx.send(AlertMsg::Fired(with_channels(
        0,
        Level::Critical,
        true,
        true,
    )))
    .await
    .unwrap();
    tx.send(AlertMsg::Fired(with_channels(1, Level::Low, true, true)))
        .await
        .unwrap();
    tx.send(AlertMsg::Fired(with_channels(2, Level::High, true, false)))
        .await
        .unwrap();
    flush(&tx).await;
    let n = drain(&mut notices);
    let got: Vec<(Level, bool, bool)> = n.iter().map(|n| (n.level, n.sound, n.notified)).collect();
    assert_eq!(
        got,
        [
            (Level::Critical, true, true),
            (Level::Low, false, true),  // the level has no sound
            (Level::High, false, true), // the rule asked for none
        ]
    );
    // A rule with a sound but no notification still sounds (and says it was not notified).
    clock.advance(20_000).await;
    tx.send(AlertMsg::Fired(with_channels(3, Level::High, false, true)))
        .await
        .unwrap();
    flush(&tx).await;
    let n = drain(&mut notices);
    assert_eq!(n.len(), 1, "{n:?}");
    assert_eq!(
        (n[0].level, n[0].sound, n[0].notified),
        (Level::High, true, false)
    );
    // Held: no sound at all while paused, neither with nor without a notification.
    paused.store(true, Ordering::Relaxed);
    tx.send(AlertMsg::Fired(with_channels(4, Level::High, false, true)))
        .await
        .unwrap();
    tx.send(AlertMsg::Fired(with_channels(
        5,
        Level::Critical,
        true,
        true,
    )))
    .await
    .unwrap();
    flush(&tx).await;
    assert!(drain(&mut notices).is_empty());
}

#[tokio::test]
async fn the_notice_reaches_the_ui_as_an_event_with_its_sound_flag() {
    let ev = tw_core::ipc::UiEvent::Notice {
        notice: NoticeEvent {
            title: "crash · BTCUSDT [critical]".into(),
            body: "down 5%".into(),
            level: Level::Critical,
            sound: true,
            alerts: 1,
            notified: true,
        },
    };
    let json = serde_json::to_value(&ev).unwrap();
    assert_eq!(json["kind"], "notice");
    assert_eq!(json["notice"]["level"], "critical");
    assert_eq!(json["notice"]["sound"], true);
}
