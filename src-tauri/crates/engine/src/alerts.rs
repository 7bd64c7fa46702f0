//! The alert stage: write the alert first, then fan it out. A slow or failing sink never
//! blocks detection and never loses the alert.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, oneshot};
use tw_analytics::rules::Fired;
use tw_core::ipc::NotifierStatus;
use tw_core::Alert;
use tw_os::{Notification, Notifier};
use tw_store::Store;

pub enum AlertMsg {
    Fired(Fired),
    Flush(oneshot::Sender<()>),
}

pub struct Dispatcher {
    pub store: Store,
    pub ui: broadcast::Sender<Alert>,
    pub notifier: Option<Notifier>,
    pub notifier_status: Arc<Mutex<NotifierStatus>>,
    pub paused: Arc<AtomicBool>,
    /// Told when a `once` rule has fired and switched itself off.
    pub rules_changed: mpsc::UnboundedSender<i64>,
}

/// Title of the OS notification for an alert.
pub fn summary(a: &Alert) -> String {
    let code = a
        .symbol
        .split_once(':')
        .map_or(a.symbol.as_str(), |(_, c)| c);
    format!("{} · {} [{}]", a.rule_name, code, a.level.as_str())
}

impl Dispatcher {
    pub async fn run(self, mut rx: mpsc::Receiver<AlertMsg>) {
        let mut in_flight = tokio::task::JoinSet::new();
        while let Some(msg) = rx.recv().await {
            match msg {
                AlertMsg::Fired(f) => {
                    let alert = self.persist(f.alert).await;
                    if f.disable_rule {
                        if let Err(e) = self
                            .store
                            .set_rule_enabled(alert.rule_id, false, alert.fired_at)
                            .await
                        {
                            tracing::warn!(
                                "could not switch off once-only rule {}: {e}",
                                alert.rule_id
                            );
                        }
                        let _ = self.rules_changed.send(alert.rule_id);
                    }
                    let _ = self.ui.send(alert.clone());
                    if let (Some(n), false) = (&self.notifier, self.paused.load(Ordering::Relaxed))
                    {
                        let (n, status) = (n.clone(), self.notifier_status.clone());
                        in_flight.spawn(async move {
                            let note = Notification {
                                summary: summary(&alert),
                                body: alert.message.clone(),
                                level: alert.level,
                            };
                            let result = n.send(&note).await;
                            let mut st = status.lock().unwrap();
                            match result {
                                Ok(()) => {
                                    *st = NotifierStatus {
                                        available: true,
                                        error: None,
                                    }
                                }
                                Err(e) => {
                                    tracing::warn!(
                                        "notification for alert {} not shown: {e}",
                                        alert.id
                                    );
                                    *st = NotifierStatus {
                                        available: false,
                                        error: Some(e.to_string()),
                                    };
                                }
                            }
                        });
                    }
                    while in_flight.try_join_next().is_some() {}
                }
                AlertMsg::Flush(ack) => {
                    while in_flight.join_next().await.is_some() {}
                    let _ = ack.send(());
                }
            }
        }
        while in_flight.join_next().await.is_some() {}
    }

    /// Writes the alert, retrying while the store says it may succeed later. If it still
    /// cannot be written the alert is delivered anyway (id 0) and the failure is logged.
    async fn persist(&self, mut alert: Alert) -> Alert {
        let mut wait = Duration::from_millis(50);
        for attempt in 0..5 {
            match self.store.insert_alert(&alert).await {
                Ok(id) => {
                    alert.id = id;
                    return alert;
                }
                Err(e) if e.is_retryable() && attempt < 4 => {
                    tracing::warn!("alert not written yet ({e}); retrying");
                    tokio::time::sleep(wait).await;
                    wait *= 2;
                }
                Err(e) => {
                    tracing::error!(
                        "alert {} on {} could not be stored: {e}",
                        alert.rule_name,
                        alert.symbol
                    );
                    break;
                }
            }
        }
        alert
    }
}
