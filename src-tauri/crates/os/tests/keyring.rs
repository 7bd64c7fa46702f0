//! `Secrets` against the real Secret Service (gnome-keyring) of the private session started
//! by `scripts/with-session-bus.sh`. `secret-tool` (libsecret, a different client) reads and
//! writes the same entries, which proves they live in the OS keyring and not in memory.

#![cfg(target_os = "linux")]

mod common;

use common::Setting;
use std::io::Write;
use std::process::{Command, Stdio};
use tw_core::Sensitive;
use tw_os::{SecretError, Secrets};

fn new_service() -> String {
    common::unique("app.tickwarden.test")
}

fn new_token() -> Sensitive<String> {
    Sensitive::new(common::unique("tw-secret-token"))
}

/// What `secret-tool lookup service <service> username <user>` prints; `None` if nothing
/// is stored.
fn secret_tool_lookup(service: &str, user: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", service, "username", user])
        .output()
        .expect("secret-tool runs (apt-get install -y libsecret-tools)");
    if out.status.success() {
        Some(String::from_utf8(out.stdout).unwrap())
    } else {
        assert!(
            out.stdout.is_empty(),
            "secret-tool lookup failed but printed something"
        );
        None
    }
}

/// How many items `secret-tool search --all` finds for the entry.
fn secret_tool_count(service: &str, user: &str) -> usize {
    let out = Command::new("secret-tool")
        .args(["search", "--all", "service", service, "username", user])
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    text.lines().filter(|l| l.starts_with("[/")).count()
}

fn secret_tool_store(service: &str, user: &str, secret: &str) {
    let mut child = Command::new("secret-tool")
        .args([
            "store",
            "--label=stored by secret-tool",
            "service",
            service,
            "username",
            user,
        ])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(secret.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
}

fn assert_no_token(err: &SecretError, token: &Sensitive<String>) {
    let shown = format!("{err} | {err:?}");
    assert!(
        !shown.contains(token.expose().as_str()),
        "error shows the token: {shown}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_lives_in_the_real_keyring_until_deleted() {
    common::require_private_session();
    let service = new_service();
    let secrets = Secrets::new(&service);
    let token = new_token();

    assert!(secrets.get("tushare").await.unwrap().is_none());
    assert!(!secrets.has("tushare").await.unwrap());
    assert_eq!(secret_tool_lookup(&service, "tushare"), None);

    secrets.set("tushare", &token).await.unwrap();
    let got = secrets.get("tushare").await.unwrap().expect("token stored");
    assert_eq!(got.expose(), token.expose());
    assert!(secrets.has("tushare").await.unwrap());
    // Another client of the Secret Service sees it: it is in gnome-keyring, not in memory.
    assert_eq!(
        secret_tool_lookup(&service, "tushare").as_ref(),
        Some(token.expose())
    );
    // And so does a new `Secrets` for the same service.
    assert!(Secrets::new(&service).has("tushare").await.unwrap());
    // The token's own Debug stays redacted.
    assert_eq!(format!("{got:?}"), "<redacted>");

    assert!(secrets.delete("tushare").await.unwrap());
    assert!(secrets.get("tushare").await.unwrap().is_none());
    assert!(!secrets.has("tushare").await.unwrap());
    assert_eq!(secret_tool_lookup(&service, "tushare"), None);
    assert!(
        !secrets.delete("tushare").await.unwrap(),
        "a second delete finds nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn setting_again_replaces_the_token_in_place() {
    common::require_private_session();
    let service = new_service();
    let secrets = Secrets::new(&service);
    let (first, second) = (new_token(), new_token());

    secrets.set("binance-usdm", &first).await.unwrap();
    secrets.set("binance-usdm", &second).await.unwrap();
    assert_eq!(
        secrets.get("binance-usdm").await.unwrap().unwrap().expose(),
        second.expose()
    );
    assert_eq!(secret_tool_count(&service, "binance-usdm"), 1);
    assert!(secrets.delete("binance-usdm").await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_source_and_each_service_has_its_own_entry() {
    common::require_private_session();
    let service = new_service();
    let secrets = Secrets::new(&service);
    let other_app = Secrets::new(new_service());
    let (a, b) = (new_token(), new_token());

    secrets.set("tushare", &a).await.unwrap();
    secrets.set("binance-usdm", &b).await.unwrap();
    assert_eq!(
        secrets.get("tushare").await.unwrap().unwrap().expose(),
        a.expose()
    );
    assert_eq!(
        secrets.get("binance-usdm").await.unwrap().unwrap().expose(),
        b.expose()
    );
    assert!(!other_app.has("tushare").await.unwrap());

    assert!(secrets.delete("tushare").await.unwrap());
    assert!(!secrets.has("tushare").await.unwrap());
    assert!(secrets.has("binance-usdm").await.unwrap());
    assert!(secrets.delete("binance-usdm").await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_stored_by_another_client_is_read() {
    common::require_private_session();
    let service = new_service();
    let token = new_token();
    secret_tool_store(&service, "tushare", token.expose());

    let secrets = Secrets::new(&service);
    assert_eq!(
        secrets.get("tushare").await.unwrap().unwrap().expose(),
        token.expose()
    );
    assert!(secrets.delete("tushare").await.unwrap());
    assert_eq!(secret_tool_lookup(&service, "tushare"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_sources_are_refused_without_showing_the_token() {
    common::require_private_session();
    let secrets = Secrets::new(new_service());
    let token = new_token();
    for bad in ["", "Tushare", "binance_usdm", "a b", "../x", "tushare\n"] {
        let errors = [
            secrets.set(bad, &token).await.unwrap_err(),
            secrets.get(bad).await.unwrap_err(),
            secrets.delete(bad).await.unwrap_err(),
            secrets.has(bad).await.unwrap_err(),
        ];
        for e in &errors {
            assert!(matches!(e, SecretError::InvalidSource(_)), "{bad:?}: {e:?}");
            assert!(e.to_string().contains("invalid data source name"), "{e}");
            assert_no_token(e, &token);
        }
    }
    // A token pasted into the source field is not repeated whole either.
    let pasted = format!("{}{}", token.expose(), "-x".repeat(20));
    let e = secrets.get(&pasted.to_uppercase()).await.unwrap_err();
    assert!(matches!(e, SecretError::InvalidSource(_)));
    assert!(!e.to_string().contains(&pasted.to_uppercase()), "{e}");
}

/// With no session bus there is no Secret Service: a clear `Unavailable`, not a crash, and
/// still no token in the message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_session_bus_the_keyring_is_unavailable() {
    if !common::in_child(Setting::NoBus) {
        common::run_child(
            "without_a_session_bus_the_keyring_is_unavailable",
            Setting::NoBus,
        );
        return;
    }
    assert!(std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none());
    let secrets = Secrets::new(new_service());
    let token = new_token();

    let e = secrets.get("tushare").await.unwrap_err();
    println!("get without a bus: {e}");
    assert!(matches!(e, SecretError::Unavailable(_)), "{e:?}");
    assert!(e.to_string().contains("no OS keyring is available"), "{e}");

    for e in [
        secrets.set("tushare", &token).await.unwrap_err(),
        secrets.delete("tushare").await.unwrap_err(),
        secrets.has("tushare").await.unwrap_err(),
    ] {
        assert!(matches!(e, SecretError::Unavailable(_)), "{e:?}");
        assert_no_token(&e, &token);
    }
    println!("{}", common::CHILD_DONE);
}

/// Locks the default collection (as a screen lock or a timeout would) through the Secret
/// Service API. Unlocking needs a prompt, which cannot show here (no display).
fn lock_default_collection() {
    let out = Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.secrets",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock",
            "array:objpath:/org/freedesktop/secrets/aliases/default",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

/// A locked keyring whose unlock prompt cannot show: `Locked`, quickly, never a hang. It
/// runs in a session of its own, so locking does not disturb the other tests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_keyring_is_reported_as_locked() {
    if !common::in_child(Setting::OwnSession) {
        common::require_private_session();
        common::run_child(
            "a_locked_keyring_is_reported_as_locked",
            Setting::OwnSession,
        );
        return;
    }
    let secrets = Secrets::new(new_service());
    let (stored, token) = (new_token(), new_token());
    secrets.set("tushare", &stored).await.unwrap();
    lock_default_collection();

    let started = std::time::Instant::now();
    let errors = [
        secrets.get("tushare").await.unwrap_err(),
        secrets.has("tushare").await.unwrap_err(),
        secrets.set("tushare", &token).await.unwrap_err(),
        secrets.set("binance-usdm", &token).await.unwrap_err(),
        secrets.delete("tushare").await.unwrap_err(),
    ];
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    for e in &errors {
        println!("locked: {e}");
        assert!(matches!(e, SecretError::Locked(_)), "{e:?}");
        assert!(e.to_string().contains("locked"), "{e}");
        assert_no_token(e, &token);
        assert_no_token(e, &stored);
    }
    println!("{}", common::CHILD_DONE);
}

/// A session bus with no Secret Service provider (and none that can be started):
/// `Unavailable` with the D-Bus reason.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_secret_service_provider_the_keyring_is_unavailable() {
    if !common::in_child(Setting::BareBus) {
        common::run_child(
            "without_a_secret_service_provider_the_keyring_is_unavailable",
            Setting::BareBus,
        );
        return;
    }
    assert!(std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some());
    let secrets = Secrets::new(new_service());
    let token = new_token();
    let e = secrets.get("tushare").await.unwrap_err();
    println!("get without a provider: {e}");
    assert!(matches!(e, SecretError::Unavailable(_)), "{e:?}");
    assert!(e.to_string().contains("no OS keyring is available"), "{e}");
    assert!(e.to_string().contains("ServiceUnknown"), "{e}");
    let e = secrets.set("tushare", &token).await.unwrap_err();
    assert!(matches!(e, SecretError::Unavailable(_)), "{e:?}");
    assert_no_token(&e, &token);
    println!("{}", common::CHILD_DONE);
}
