//! `Notifier` against a notification server served by the test itself on the private
//! session bus of `scripts/with-session-bus.sh`.

#![cfg(target_os = "linux")]

mod common;

use common::Setting;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tw_core::Level;
use tw_os::{Notification, Notifier, NotifyError};
use zbus::fdo::DBusProxy;
use zbus::names::BusName;

const NAME: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";

/// The tests share one bus name; they take turns.
static BUS_NAME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[derive(Clone, Debug)]
struct Received {
    app_name: String,
    replaces_id: u32,
    icon: String,
    summary: String,
    body: String,
    urgency: Option<u8>,
}

#[derive(Clone, Copy, PartialEq)]
enum Behaviour {
    Accept,
    Refuse,
    /// Answers `Notify` only after this long.
    Stall(Duration),
}

#[derive(Clone)]
struct Server {
    received: Arc<Mutex<Vec<Received>>>,
    info_calls: Arc<AtomicUsize>,
    behaviour: Behaviour,
}

impl Server {
    fn new(behaviour: Behaviour) -> Self {
        Server {
            received: Arc::default(),
            info_calls: Arc::default(),
            behaviour,
        }
    }
    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Server {
    #[allow(clippy::too_many_arguments)]
    async fn notify(
        &self,
        app_name: String,
        replaces_id: u32,
        app_icon: String,
        summary: String,
        body: String,
        _actions: Vec<String>,
        hints: HashMap<String, zbus::OwnedVariant>,
        _expire_timeout: i32,
    ) -> zbus::fdo::Result<u32> {
        match self.behaviour {
            Behaviour::Refuse => {
                return Err(zbus::fdo::Error::Failed(
                    "too many notifications".to_string(),
                ))
            }
            Behaviour::Stall(d) => {
                // zbus runs this on its own executor, without tokio's timer: sleep on a thread.
                let (done, wait) = tokio::sync::oneshot::channel();
                std::thread::spawn(move || {
                    std::thread::sleep(d);
                    let _ = done.send(());
                });
                wait.await.unwrap();
            }
            Behaviour::Accept => {}
        }
        let urgency = hints.get("urgency").map(|v| match **v {
            zbus::Variant::U8(u) => u,
            ref other => panic!("urgency hint is not a byte: {other:?}"),
        });
        let mut received = self.received.lock().unwrap();
        received.push(Received {
            app_name,
            replaces_id,
            icon: app_icon,
            summary,
            body,
            urgency,
        });
        Ok(received.len() as u32)
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into(), "icon-static".into()]
    }

    #[zbus(out_args("name", "vendor", "version", "spec_version"))]
    fn get_server_information(&self) -> (String, String, String, String) {
        self.info_calls.fetch_add(1, Ordering::SeqCst);
        (
            "tw-test-server".into(),
            "Tickwarden tests".into(),
            "1.0".into(),
            "1.2".into(),
        )
    }

    fn close_notification(&self, _id: u32) {}
}

/// Owns the notification bus name while alive; `stop` gives it back and waits until the
/// bus has seen that.
struct Running {
    conn: zbus::Connection,
}

impl Running {
    async fn start(server: Server) -> Running {
        let conn = zbus::connection::Builder::session()
            .name(NAME)
            .serve_at(PATH, server)
            .build()
            .await
            .expect("serve org.freedesktop.Notifications on the private bus");
        Running { conn }
    }
    async fn stop(self) {
        assert!(self.conn.release_name(NAME).await.unwrap());
    }
}

async fn name_has_owner() -> bool {
    let conn = zbus::Connection::session().await.unwrap();
    DBusProxy::new(&conn)
        .await
        .unwrap()
        .name_has_owner(BusName::try_from(NAME).unwrap())
        .await
        .unwrap()
}

fn note(level: Level) -> Notification {
    Notification {
        summary: format!("BTCUSDT {} alert", level.as_str()),
        body: "Price moved 5.2% in 1m <b>now</b>".into(),
        level,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_delivers_app_name_summary_body_icon_and_urgency() {
    common::require_private_session();
    let _turn = BUS_NAME.lock().await;
    let server = Server::new(Behaviour::Accept);
    let running = Running::start(server.clone()).await;

    let notifier = Notifier::new("Tickwarden");
    let levels = [Level::Low, Level::Medium, Level::High, Level::Critical];
    for level in levels {
        notifier.send(&note(level)).await.unwrap();
    }
    Notifier::new("Tickwarden")
        .with_icon("tickwarden")
        .send(&note(Level::Medium))
        .await
        .unwrap();
    running.stop().await;

    let got = server.received();
    assert_eq!(got.len(), 5, "{got:#?}");
    let expected = [
        (Level::Low, 0u8, "dialog-information"),
        (Level::Medium, 1, "dialog-information"),
        (Level::High, 2, "dialog-warning"),
        (Level::Critical, 2, "dialog-error"),
        (Level::Medium, 1, "tickwarden"),
    ];
    for (r, (level, urgency, icon)) in got.iter().zip(expected) {
        assert_eq!(r.app_name, "Tickwarden");
        assert_eq!(r.summary, note(level).summary);
        assert_eq!(r.body, "Price moved 5.2% in 1m <b>now</b>");
        assert_eq!(r.urgency, Some(urgency), "{level:?}");
        assert_eq!(r.icon, icon, "{level:?}");
        assert_eq!(r.replaces_id, 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_is_available_when_a_server_answers() {
    common::require_private_session();
    let _turn = BUS_NAME.lock().await;
    let server = Server::new(Behaviour::Accept);
    let running = Running::start(server.clone()).await;

    let status = Notifier::new("Tickwarden").status().await;
    running.stop().await;
    assert!(status.available, "{status:?}");
    assert_eq!(status.error, None);
    assert_eq!(
        server.info_calls.load(Ordering::SeqCst),
        1,
        "status asked the server"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_server_send_and_status_say_unavailable() {
    common::require_private_session();
    let _turn = BUS_NAME.lock().await;
    assert!(
        !name_has_owner().await,
        "something else serves notifications on this bus"
    );

    let notifier = Notifier::new("Tickwarden");
    let e = notifier.send(&note(Level::High)).await.unwrap_err();
    println!("send without a server: {e}");
    assert!(matches!(e, NotifyError::Unavailable(_)), "{e:?}");
    assert!(
        e.to_string()
            .starts_with("no notification service is running ("),
        "{e}"
    );

    let status = notifier.status().await;
    assert!(!status.available);
    let reason = status.error.expect("a reason");
    assert!(
        reason.starts_with("no notification service is running ("),
        "{reason}"
    );
    assert!(reason.contains("ServiceUnknown"), "{reason}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_refuses_is_a_failure_not_unavailability() {
    common::require_private_session();
    let _turn = BUS_NAME.lock().await;
    let running = Running::start(Server::new(Behaviour::Refuse)).await;
    let e = Notifier::new("Tickwarden")
        .send(&note(Level::Low))
        .await
        .unwrap_err();
    running.stop().await;
    assert!(matches!(e, NotifyError::Failed(_)), "{e:?}");
    assert!(e.to_string().contains("too many notifications"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_does_not_answer_counts_as_unavailable() {
    common::require_private_session();
    let _turn = BUS_NAME.lock().await;
    let server = Server::new(Behaviour::Stall(Duration::from_millis(1500)));
    let running = Running::start(server.clone()).await;
    let started = std::time::Instant::now();
    let e = Notifier::new("Tickwarden")
        .with_timeout(Duration::from_millis(300))
        .send(&note(Level::Low))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(1200));
    assert!(matches!(e, NotifyError::Unavailable(_)), "{e:?}");
    assert!(e.to_string().contains("no answer within"), "{e}");
    // The call did reach the server, which answers later.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while server.received().is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the stalled server never answered"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    running.stop().await;
}

/// With no session bus at all: unavailable, with a reason, and no panic.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_session_bus_notifications_are_unavailable() {
    if !common::in_child(Setting::NoBus) {
        common::run_child(
            "without_a_session_bus_notifications_are_unavailable",
            Setting::NoBus,
        );
        return;
    }
    let notifier = Notifier::new("Tickwarden");
    let e = notifier.send(&note(Level::Critical)).await.unwrap_err();
    println!("send without a bus: {e}");
    assert!(matches!(e, NotifyError::Unavailable(_)), "{e:?}");
    let status = notifier.status().await;
    println!("status without a bus: {status:?}");
    assert!(!status.available);
    assert!(status
        .error
        .unwrap()
        .starts_with("no notification service is running ("));
    println!("{}", common::CHILD_DONE);
}
