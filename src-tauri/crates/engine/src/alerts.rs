//! The alert stage: write the alert first, then fan it out (the UI, OS notifications through
//! storm control / quiet hours / pause, sounds, webhooks). A slow or failing sink never blocks
//! detection and never loses the alert.

use crate::storm::{Gate, Notice};
use crate::webhook::{self, Message, RetryPolicy, WebhookWorker};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, oneshot};
use tw_analytics::rules::{Fired, RulePaused};
use tw_core::delivery::{DeliverySettings, WebhookConfig};
use tw_core::ipc::NotifierStatus;
use tw_core::{Alert, Level, SharedClock};
use tw_os::{Notification, Notifier, Secrets};
use tw_store::Store;

pub enum AlertMsg {
    Fired(Fired),
    /// The circuit breaker paused a rule.
    RulePaused(RulePaused),
    /// New delivery settings (storm control, quiet hours, sounds, webhooks).
    Settings(DeliverySettings),
    Flush(oneshot::Sender<()>),
}

/// A notification as shown (or that would be shown, with OS notifications off): for the UI,
/// which also plays the level's sound when `sound` is set.
pub use tw_core::ipc::NoticeEvent;

pub struct Dispatcher {
    pub store: Store,
    pub ui: broadcast::Sender<Alert>,
    pub notices: broadcast::Sender<NoticeEvent>,
    pub notifier: Option<Notifier>,
    pub notifier_status: Arc<Mutex<NotifierStatus>>,
    pub paused: Arc<AtomicBool>,
    /// Told when a `once` rule has fired and switched itself off.
    pub rules_changed: mpsc::UnboundedSender<i64>,
    pub clock: SharedClock,
    pub settings: DeliverySettings,
    /// Where webhook URLs and tokens are kept; `None`: webhooks off.
    pub secrets: Option<Secrets>,
    pub webhook_policy: RetryPolicy,
    /// Alerts that could not be written yet (kept and retried).
    pub unsaved: Vec<Alert>,
    /// Clock time of the next retry of `unsaved`.
    pub retry_at: i64,
}

/// Alerts written in one transaction at most.
const MAX_BATCH: usize = 512;

/// Title of the OS notification for an alert.
pub fn summary(a: &Alert) -> String {
    let code = a
        .symbol
        .split_once(':')
        .map_or(a.symbol.as_str(), |(_, c)| c);
    format!("{} · {} [{}]", a.rule_name, code, a.level.as_str())
}

/// How often held notifications and storm windows are looked at when nothing else happens.
const TICK_MS: i64 = 1_000;

struct Hook {
    cfg: WebhookConfig,
    worker: WebhookWorker,
    task: tokio::task::JoinHandle<()>,
}

impl Dispatcher {
    pub async fn run(mut self, mut rx: mpsc::Receiver<AlertMsg>) {
        // A looping sleeper on the engine's clock: a manual clock waits for it to settle.
        let _guard = self.clock.register();
        let mut in_flight = tokio::task::JoinSet::new();
        let mut gate = Gate::new(self.settings.clone());
        match self.store.held_notices().await {
            Ok(Some(json)) => {
                if let Err(e) = gate.restore_held(&json) {
                    tracing::warn!("held notifications from before the restart unreadable: {e}");
                }
            }
            Ok(None) => {}
            Err(e) => tracing::warn!("held notifications from before the restart not read: {e}"),
        }
        let mut hooks = self.start_webhooks().await;
        loop {
            let now = self.clock.now_ms();
            let deadline = gate
                .next_deadline()
                .map_or(now + TICK_MS, |d| d.min(now + TICK_MS));
            let msg = tokio::select! {
                biased;
                m = rx.recv() => m,
                _ = self.clock.sleep_until(deadline) => {
                    let paused = self.paused.load(Ordering::Relaxed);
                    for n in gate.tick(self.clock.now_ms(), paused) {
                        self.show(n, &mut in_flight);
                    }
                    while in_flight.try_join_next().is_some() {}
                    self.save_held(&mut gate).await;
                    self.retry_unsaved().await;
                    continue;
                }
            };
            let Some(msg) = msg else { break };
            // A burst: take every alert already waiting and write them in one transaction.
            let mut fired = Vec::new();
            let mut next = Some(msg);
            while let Some(AlertMsg::Fired(f)) = next {
                fired.push(f);
                next = if fired.len() < MAX_BATCH {
                    rx.try_recv().ok()
                } else {
                    None
                };
            }
            if !fired.is_empty() {
                let alerts = self
                    .persist_all(fired.iter().map(|f| f.alert.clone()).collect())
                    .await;
                for (f, alert) in fired.into_iter().zip(alerts) {
                    self.deliver(f, alert, &mut gate, &hooks, &mut in_flight)
                        .await;
                }
                while in_flight.try_join_next().is_some() {}
                self.save_held(&mut gate).await;
            }
            self.retry_unsaved().await;
            let Some(msg) = next else { continue };
            match msg {
                AlertMsg::Fired(_) => unreachable!("taken by the batch above"),
                AlertMsg::RulePaused(p) => {
                    tracing::warn!(
                        "rule {} ({}) paused until {}: it fired {} times in {} s",
                        p.rule_id,
                        p.rule_name,
                        p.until_ms,
                        p.fired,
                        p.window_ms / 1000
                    );
                    let n = Notice::RulePaused {
                        rule_name: p.rule_name,
                        fired: p.fired,
                        window_s: p.window_ms / 1000,
                        minutes: (p.until_ms - self.clock.now_ms()).max(0) / 60_000,
                    };
                    self.show(n, &mut in_flight);
                }
                AlertMsg::Settings(s) => {
                    gate.set_settings(s.clone());
                    self.settings = s;
                    for (_, h) in hooks.drain() {
                        h.task.abort();
                    }
                    hooks = self.start_webhooks().await;
                }
                AlertMsg::Flush(ack) => {
                    let paused = self.paused.load(Ordering::Relaxed);
                    for n in gate.tick(self.clock.now_ms(), paused) {
                        self.show(n, &mut in_flight);
                    }
                    while in_flight.join_next().await.is_some() {}
                    self.save_held(&mut gate).await;
                    let _ = ack.send(());
                }
            }
        }
        while in_flight.join_next().await.is_some() {}
    }

    /// Keeps the held digest in the store, so a restart still shows it.
    async fn save_held(&self, gate: &mut Gate) {
        if let Some(digest) = gate.take_held_change() {
            let now = self.clock.now_ms();
            if let Err(e) = self.store.save_held_notices(digest.as_deref(), now).await {
                tracing::warn!("held notifications not saved: {e}");
            }
        }
    }

    async fn start_webhooks(&self) -> HashMap<String, Hook> {
        let mut hooks = HashMap::new();
        let Some(secrets) = &self.secrets else {
            return hooks;
        };
        let client = match reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .build()
        {
            Ok(c) => c,
            Err(e) => {
                tracing::error!("webhooks are off: cannot build an HTTP client: {e}");
                return hooks;
            }
        };
        for cfg in self.settings.webhooks.iter().filter(|c| c.enabled) {
            let secret = match secrets.get(&webhook::secret_name(&cfg.name)).await {
                Ok(Some(s)) => s,
                Ok(None) => {
                    tracing::warn!("webhook {} has no URL or token in the keyring", cfg.name);
                    continue;
                }
                Err(e) => {
                    tracing::warn!("webhook {}: {e}", cfg.name);
                    continue;
                }
            };
            let (worker, task) = webhook::spawn_worker(
                client.clone(),
                self.clock.clone(),
                self.webhook_policy,
                cfg.clone(),
                secret,
                None,
            );
            hooks.insert(
                cfg.name.clone(),
                Hook {
                    cfg: cfg.clone(),
                    worker,
                    task,
                },
            );
        }
        hooks
    }

    fn show(&self, n: Notice, in_flight: &mut tokio::task::JoinSet<()>) {
        self.show_with(n, false, in_flight)
    }

    /// Whether the UI plays a sound: the rule asked for one and its level has one.
    fn plays(&self, rule_wants: bool, level: Level) -> bool {
        rule_wants && self.settings.sound_levels.contains(&level)
    }

    fn show_with(&self, n: Notice, sound: bool, in_flight: &mut tokio::task::JoinSet<()>) {
        let level = n.level();
        let note = Notification {
            summary: n.title(),
            body: n.body(),
            level,
        };
        let alerts = match &n {
            Notice::One(_) => 1,
            Notice::Group { count, .. } | Notice::Digest { count, .. } => *count,
            Notice::RulePaused { .. } => 0,
        };
        let _ = self.notices.send(NoticeEvent {
            title: note.summary.clone(),
            body: note.body.clone(),
            level,
            sound: self.plays(sound, level),
            alerts: u32::try_from(alerts).unwrap_or(u32::MAX),
            notified: true,
        });
        let Some(notifier) = &self.notifier else {
            return;
        };
        let (notifier, status) = (notifier.clone(), self.notifier_status.clone());
        in_flight.spawn(async move {
            let result = notifier.send(&note).await;
            let mut st = status.lock().unwrap();
            match result {
                Ok(()) => {
                    *st = NotifierStatus {
                        available: true,
                        error: None,
                    }
                }
                Err(e) => {
                    tracing::warn!("notification {:?} not shown: {e}", note.summary);
                    *st = NotifierStatus {
                        available: false,
                        error: Some(e.to_string()),
                    };
                }
            }
        });
    }

    /// Hands one stored alert to the UI, the notification gate and its webhooks.
    async fn deliver(
        &self,
        f: Fired,
        alert: Alert,
        gate: &mut Gate,
        hooks: &HashMap<String, Hook>,
        in_flight: &mut tokio::task::JoinSet<()>,
    ) {
        if f.disable_rule {
            if let Err(e) = self
                .store
                .set_rule_enabled(alert.rule_id, false, alert.fired_at)
                .await
            {
                tracing::warn!("could not switch off once-only rule {}: {e}", alert.rule_id);
            }
            let _ = self.rules_changed.send(alert.rule_id);
        }
        let _ = self.ui.send(alert.clone());
        let paused = self.paused.load(Ordering::Relaxed);
        let now = self.clock.now_ms();
        let notices = if f.channels.notification {
            gate.offer(&alert, now, paused)
        } else {
            let out = gate.tick(now, paused);
            // A sound without a notification: held like one in quiet hours and pauses.
            if self.plays(f.channels.sound, alert.level) && !gate.holds(&alert, paused) {
                let _ = self.notices.send(NoticeEvent {
                    title: summary(&alert),
                    body: alert.message.clone(),
                    level: alert.level,
                    sound: true,
                    alerts: 1,
                    notified: false,
                });
            }
            out
        };
        for n in notices {
            let sound = f.channels.sound && matches!(&n, Notice::One(_));
            self.show_with(n, sound, in_flight);
        }
        for name in &f.channels.webhooks {
            send_to_hook(hooks, name, &alert);
        }
    }

    /// Writes a burst of alerts in one transaction. If that fails (disk full, file locked),
    /// they are delivered anyway (id 0) and kept to be written later: detection never waits
    /// on a failing disk, and nothing is lost while the app runs.
    async fn persist_all(&mut self, mut alerts: Vec<Alert>) -> Vec<Alert> {
        match self.store.insert_alerts(&alerts).await {
            Ok(ids) => {
                for (a, id) in alerts.iter_mut().zip(ids) {
                    a.id = id;
                }
            }
            Err(e) => {
                tracing::error!(
                    "{} alerts not stored yet ({e}); kept to retry",
                    alerts.len()
                );
                self.unsaved.extend(alerts.iter().cloned());
            }
        }
        alerts
    }

    /// Tries again to store alerts that could not be written.
    async fn retry_unsaved(&mut self) {
        if self.unsaved.is_empty() || self.clock.now_ms() < self.retry_at {
            return;
        }
        match self.store.insert_alerts(&self.unsaved).await {
            Ok(_) => {
                tracing::info!("{} held alerts are stored now", self.unsaved.len());
                self.unsaved.clear();
            }
            Err(e) => {
                self.retry_at = self.clock.now_ms() + 5_000;
                tracing::warn!("{} alerts still not stored: {e}", self.unsaved.len());
            }
        }
    }
}

fn send_to_hook(hooks: &HashMap<String, Hook>, name: &str, alert: &Alert) {
    let Some(h) = hooks.get(name) else {
        tracing::debug!(
            "alert {} names webhook {name}, which is not set up",
            alert.id
        );
        return;
    };
    if alert.level < h.cfg.min_level {
        return;
    }
    let msg = Message {
        title: summary(alert),
        body: alert.message.clone(),
        alert: Some(alert.clone()),
    };
    if h.worker.tx.try_send(msg).is_err() {
        tracing::warn!(
            "webhook {name} is behind; alert {} not sent there (it is stored)",
            alert.id
        );
    }
}

#[cfg(test)]
mod tests;
