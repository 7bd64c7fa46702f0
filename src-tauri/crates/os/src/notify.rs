//! Native desktop notifications. On Linux and the BSDs they go to
//! `org.freedesktop.Notifications` on the session bus; macOS and Windows use their own
//! notification centres through notify-rust.
//!
//! A missing notification service is normal (a bare window manager, a headless box): it is
//! reported as [`NotifyError::Unavailable`] / an unavailable [`NotifierStatus`], so the app
//! can say so in the UI and keep the alert.

use std::time::Duration;
use tw_core::ipc::NotifierStatus;
use tw_core::Level;

/// How long a notification server may take to answer before it counts as unavailable.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// One notification to show.
#[derive(Clone, Debug, PartialEq)]
pub struct Notification {
    pub summary: String,
    pub body: String,
    pub level: Level,
}

#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum NotifyError {
    /// No notification service to talk to; the message says why.
    #[error("{0}")]
    Unavailable(String),
    /// The service is there but refused or failed this notification.
    #[error("{0}")]
    Failed(String),
}

/// Sends notifications under the app's name. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Notifier {
    app_name: String,
    icon: Option<String>,
    timeout: Duration,
}

/// The urgency a level is shown with: low → Low, medium → Normal, high and critical →
/// Critical (a critical notification stays until it is dismissed).
pub fn urgency_for(level: Level) -> notify_rust::Urgency {
    match level {
        Level::Low => notify_rust::Urgency::Low,
        Level::Medium => notify_rust::Urgency::Normal,
        Level::High | Level::Critical => notify_rust::Urgency::Critical,
    }
}

/// The freedesktop icon name used for a level unless [`Notifier::with_icon`] set one.
pub fn icon_for(level: Level) -> &'static str {
    match level {
        Level::Low | Level::Medium => "dialog-information",
        Level::High => "dialog-warning",
        Level::Critical => "dialog-error",
    }
}

impl Notifier {
    pub fn new(app_name: impl Into<String>) -> Self {
        Notifier {
            app_name: app_name.into(),
            icon: None,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// Shows every notification with this icon (a theme icon name or an absolute path)
    /// instead of the level's standard icon.
    pub fn with_icon(mut self, icon: impl Into<String>) -> Self {
        self.icon = Some(icon.into());
        self
    }

    /// How long to wait for the notification server (default [`DEFAULT_TIMEOUT`]).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn app_name(&self) -> &str {
        &self.app_name
    }

    /// Shows `n`. Needs a tokio runtime with the time driver enabled.
    pub async fn send(&self, n: &Notification) -> Result<(), NotifyError> {
        let mut native = notify_rust::Notification::new();
        native
            .appname(&self.app_name)
            .summary(&n.summary)
            .body(&n.body)
            .icon(self.icon.as_deref().unwrap_or(icon_for(n.level)));
        #[cfg(any(all(unix, not(target_os = "macos")), target_os = "windows"))]
        native.urgency(urgency_for(n.level));

        let sent = self
            .blocking("sending the notification", move || {
                native
                    .show()
                    .map(drop)
                    .map_err(|e| classify(&e.to_string()))
            })
            .await;
        match &sent {
            Ok(()) => tracing::debug!(level = n.level.as_str(), "notification sent"),
            Err(e) => tracing::warn!(error = %e, "notification not shown"),
        }
        sent
    }

    /// Asks the notification server who it is, and reports whether notifications can be
    /// shown and, if not, why. On macOS and Windows there is nothing to probe: available.
    pub async fn status(&self) -> NotifierStatus {
        let probe = self.probe().await;
        NotifierStatus {
            available: probe.is_ok(),
            error: probe.err().map(|e| e.to_string()),
        }
    }

    #[cfg(all(unix, not(target_os = "macos")))]
    async fn probe(&self) -> Result<(), NotifyError> {
        let info = self
            .blocking("asking the notification service who it is", || {
                notify_rust::get_server_information().map_err(|e| classify(&e.to_string()))
            })
            .await?;
        tracing::debug!(
            server = %info.name,
            vendor = %info.vendor,
            version = %info.version,
            spec = %info.spec_version,
            "notification server found"
        );
        Ok(())
    }

    #[cfg(not(all(unix, not(target_os = "macos"))))]
    async fn probe(&self) -> Result<(), NotifyError> {
        Ok(())
    }

    /// Runs `op` on tokio's blocking pool, giving up after the timeout.
    async fn blocking<T, F>(&self, what: &str, op: F) -> Result<T, NotifyError>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T, NotifyError> + Send + 'static,
    {
        match tokio::time::timeout(self.timeout, tokio::task::spawn_blocking(op)).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(NotifyError::Failed(format!(
                "{what} did not complete: {join}"
            ))),
            Err(_) => Err(NotifyError::Unavailable(format!(
                "no notification service is running (no answer within {} s while {what})",
                self.timeout.as_secs_f32()
            ))),
        }
    }
}

/// Strings in a D-Bus error that mean "there is no notification service".
const NO_SERVICE_MARKERS: &[&str] = &[
    // Nobody owns org.freedesktop.Notifications and nothing can be activated.
    "org.freedesktop.DBus.Error.ServiceUnknown",
    "org.freedesktop.DBus.Error.NameHasNoOwner",
    // D-Bus started a daemon that died (e.g. one that needs X, started without DISPLAY:
    // SpawnChildSignaled / SpawnChildExited) or could not be started.
    "org.freedesktop.DBus.Error.Spawn",
    "org.freedesktop.DBus.Error.NoServer",
    "org.freedesktop.DBus.Error.TimedOut",
];

/// Strings in a connection error that mean "there is no session bus".
const NO_BUS_MARKERS: &[&str] = &[
    // zbus: "failed to connect to `unix:path=/run/user/1000/bus`: No such file or directory"
    "failed to connect to",
    "DBUS_SESSION_BUS_ADDRESS",
    "address error",
    "No such file or directory",
    "Connection refused",
    "session bus",
];

/// Turns a notify-rust error (whose kind is private, hence the text) into a [`NotifyError`].
fn classify(detail: &str) -> NotifyError {
    if NO_SERVICE_MARKERS.iter().any(|m| detail.contains(m)) {
        NotifyError::Unavailable(format!("no notification service is running ({detail})"))
    } else if NO_BUS_MARKERS.iter().any(|m| detail.contains(m)) {
        NotifyError::Unavailable(format!(
            "no notification service is running (no D-Bus session bus: {detail})"
        ))
    } else {
        NotifyError::Failed(format!("the notification service failed: {detail}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_map_to_urgencies_and_icons() {
        use notify_rust::Urgency;
        assert!(matches!(urgency_for(Level::Low), Urgency::Low));
        assert!(matches!(urgency_for(Level::Medium), Urgency::Normal));
        assert!(matches!(urgency_for(Level::High), Urgency::Critical));
        assert!(matches!(urgency_for(Level::Critical), Urgency::Critical));
        assert_eq!(icon_for(Level::Critical), "dialog-error");
    }

    #[test]
    fn dbus_errors_are_classified() {
        for unavailable in [
            "org.freedesktop.DBus.Error.ServiceUnknown: The name is not activatable",
            "org.freedesktop.DBus.Error.Spawn.ChildSignaled: Process org.freedesktop.Notifications received signal 6",
            "address error: DBUS_SESSION_BUS_ADDRESS not set",
            "I/O error: No such file or directory (os error 2)",
        ] {
            let e = classify(unavailable);
            assert!(matches!(e, NotifyError::Unavailable(_)), "{unavailable}");
            assert!(e.to_string().starts_with("no notification service is running ("));
        }
        assert!(matches!(
            classify("org.freedesktop.DBus.Error.Failed: disk full"),
            NotifyError::Failed(_)
        ));
    }
}
