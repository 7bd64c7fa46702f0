//! API tokens in the OS keyring: one entry per data source, `service` = the app's service
//! name, `username` = the source name (`tushare`, `binance-usdm`).
//!
//! keyring 3 has no default store: built without a platform feature it silently keeps
//! secrets in an in-memory mock. This crate names the platform store per target in its
//! Cargo.toml and builds every credential with that store's builder (`keyring::default`),
//! never through keyring's global default builder, which anyone could replace.

use std::fmt;
use tw_core::Sensitive;

/// Longest source name accepted.
pub const MAX_SOURCE_LEN: usize = 64;

/// Why a keyring operation failed. Messages are meant for the UI; none of them ever
/// contains a token.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum SecretError {
    /// There is no OS keyring to talk to (no D-Bus session, no Secret Service provider, an
    /// unsupported platform).
    #[error("{0}")]
    Unavailable(String),
    /// The keyring is there but locked, or access was refused.
    #[error("{0}")]
    Locked(String),
    /// The data source name is not a valid entry name.
    #[error("{0}")]
    InvalidSource(String),
    /// Anything else the platform reported.
    #[error("{0}")]
    Other(String),
}

/// The app's tokens in the OS keyring. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Secrets {
    service: String,
}

impl Secrets {
    /// `service` names the app in the keyring, e.g. `"app.tickwarden.desktop"`.
    pub fn new(service: impl Into<String>) -> Self {
        Secrets {
            service: service.into(),
        }
    }

    /// The service name entries are stored under.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// Stores (or replaces) the token of `source`.
    pub async fn set(&self, source: &str, token: &Sensitive<String>) -> Result<(), SecretError> {
        validate_source(source)?;
        let token = token.clone();
        let done = self
            .run(source, move |entry| {
                entry
                    .set_password(token.expose())
                    .map_err(backend::map_error)
            })
            .await;
        match &done {
            Ok(()) => tracing::debug!(service = %self.service, source, "token stored"),
            Err(e) => {
                tracing::warn!(service = %self.service, source, error = %e, "storing token failed")
            }
        }
        done
    }

    /// The token of `source`, or `None` if none is stored.
    pub async fn get(&self, source: &str) -> Result<Option<Sensitive<String>>, SecretError> {
        validate_source(source)?;
        self.run(source, |entry| match entry.get_password() {
            Ok(token) => Ok(Some(Sensitive::new(token))),
            Err(e) if backend::is_no_entry(&e) => Ok(None),
            Err(e) => Err(backend::map_error(e)),
        })
        .await
    }

    /// Removes the token of `source`; `false` if there was none.
    pub async fn delete(&self, source: &str) -> Result<bool, SecretError> {
        validate_source(source)?;
        let done = self
            .run(source, |entry| match entry.delete_credential() {
                Ok(()) => Ok(true),
                Err(e) if backend::is_no_entry(&e) => Ok(false),
                Err(e) => Err(backend::map_error(e)),
            })
            .await;
        if let Ok(true) = done {
            tracing::debug!(service = %self.service, source, "token deleted");
        }
        done
    }

    /// Whether a token is stored for `source`.
    pub async fn has(&self, source: &str) -> Result<bool, SecretError> {
        Ok(self.get(source).await?.is_some())
    }

    /// Runs `op` on the entry of `source` on tokio's blocking pool.
    async fn run<T, F>(&self, source: &str, op: F) -> Result<T, SecretError>
    where
        T: Send + 'static,
        F: FnOnce(backend::Entry) -> Result<T, SecretError> + Send + 'static,
    {
        let service = self.service.clone();
        let source = source.to_owned();
        tokio::task::spawn_blocking(move || op(backend::entry(&service, &source)?))
            .await
            .map_err(|e| SecretError::Other(format!("the keyring call did not complete: {e}")))?
    }
}

/// Source names are `[a-z0-9-]+`, at most [`MAX_SOURCE_LEN`] characters.
pub fn validate_source(source: &str) -> Result<(), SecretError> {
    let ok = !source.is_empty()
        && source.len() <= MAX_SOURCE_LEN
        && source
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(SecretError::InvalidSource(format!(
            "invalid data source name {:?}: use 1 to {MAX_SOURCE_LEN} lowercase letters, digits or '-' (e.g. \"tushare\", \"binance-usdm\")",
            Shortened(source)
        )))
    }
}

/// Shows at most 40 characters of a rejected name, so a token pasted into the wrong field
/// does not end up whole in an error message.
struct Shortened<'a>(&'a str);
impl fmt::Debug for Shortened<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut chars = self.0.chars();
        let head: String = chars.by_ref().take(40).collect();
        if chars.next().is_some() {
            write!(f, "{:?}", format!("{head}…"))
        } else {
            write!(f, "{head:?}")
        }
    }
}

#[cfg(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "macos",
    target_os = "windows"
))]
mod backend {
    use super::SecretError;

    pub use keyring::Entry;

    #[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
    const INSTALL_HINT: &str = "install and unlock gnome-keyring or KWallet";
    #[cfg(target_os = "macos")]
    const INSTALL_HINT: &str = "the macOS Keychain could not be reached";
    #[cfg(target_os = "windows")]
    const INSTALL_HINT: &str = "the Windows Credential Manager could not be reached";

    /// The entry of `source`, built by the platform store chosen at compile time.
    pub fn entry(service: &str, source: &str) -> Result<Entry, SecretError> {
        let credential = keyring::default::default_credential_builder()
            .build(None, service, source)
            .map_err(map_error)?;
        Ok(Entry::new_with_credential(credential))
    }

    pub fn is_no_entry(e: &keyring::Error) -> bool {
        matches!(e, keyring::Error::NoEntry)
    }

    /// Strings in a platform error that mean "there is no keyring to talk to".
    const UNAVAILABLE_MARKERS: &[&str] = &[
        // secret-service's `Error::Unavailable`: no session bus address, no socket, or no
        // provider implementing the interface.
        "no secret service provider or dbus session found",
        "org.freedesktop.DBus.Error.ServiceUnknown",
        "org.freedesktop.DBus.Error.NameHasNoOwner",
        // A provider that D-Bus tried to start and that died or could not be started.
        "org.freedesktop.DBus.Error.Spawn",
        "org.freedesktop.DBus.Error.NoServer",
        "org.freedesktop.DBus.Error.Disconnected",
    ];

    /// Turns a keyring error into a message for people. Only the platform error text is
    /// kept; `BadEncoding` (which carries the stored bytes) and `Ambiguous` (which carries
    /// credentials) are described, never printed.
    pub fn map_error(e: keyring::Error) -> SecretError {
        match e {
            keyring::Error::PlatformFailure(inner) => {
                let detail = inner.to_string();
                if is_unavailable(&detail) {
                    SecretError::Unavailable(unavailable_message(&detail))
                } else if LOCKED_MARKERS.iter().any(|m| detail.contains(m)) {
                    SecretError::Locked(locked_message(&detail))
                } else {
                    SecretError::Other(format!("the OS keyring failed: {detail}"))
                }
            }
            keyring::Error::NoStorageAccess(inner) => {
                let detail = inner.to_string();
                if is_unavailable(&detail) {
                    SecretError::Unavailable(unavailable_message(&detail))
                } else {
                    SecretError::Locked(locked_message(&detail))
                }
            }
            keyring::Error::NoEntry => SecretError::Other("no token is stored".into()),
            keyring::Error::BadEncoding(_) => SecretError::Other(
                "the stored token is not valid UTF-8: delete it and enter it again".into(),
            ),
            keyring::Error::TooLong(attr, limit) => SecretError::InvalidSource(format!(
                "the keyring refuses the entry: {attr} is longer than {limit}"
            )),
            keyring::Error::Invalid(attr, reason) => {
                SecretError::InvalidSource(format!("the keyring refuses the entry: {attr} {reason}"))
            }
            keyring::Error::Ambiguous(items) => SecretError::Other(format!(
                "{} keyring entries match this data source: remove the extra ones in the keyring manager",
                items.len()
            )),
            other => SecretError::Other(format!("the OS keyring failed: {other}")),
        }
    }

    /// Strings in a platform error that mean "locked" where keyring does not say
    /// `NoStorageAccess` (gnome-keyring refusing to create an item in a locked collection).
    const LOCKED_MARKERS: &[&str] = &["org.freedesktop.Secret.Error.IsLocked"];

    fn locked_message(detail: &str) -> String {
        format!("the OS keyring is locked or refused access: unlock it (log in to the desktop session or open the keyring manager) and try again ({detail})")
    }

    fn is_unavailable(detail: &str) -> bool {
        UNAVAILABLE_MARKERS.iter().any(|m| detail.contains(m))
    }

    fn unavailable_message(detail: &str) -> String {
        format!("no OS keyring is available (no Secret Service on the session bus): {INSTALL_HINT} ({detail})")
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn entries_use_the_real_platform_store_not_the_mock() {
            let entry = entry("app.tickwarden.unit", "tushare").unwrap();
            let any = entry.get_credential();
            #[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
            assert!(any
                .downcast_ref::<keyring::secret_service::SsCredential>()
                .is_some());
            #[cfg(target_os = "macos")]
            assert!(any
                .downcast_ref::<keyring::macos::MacCredential>()
                .is_some());
            #[cfg(target_os = "windows")]
            assert!(any
                .downcast_ref::<keyring::windows::WinCredential>()
                .is_some());
            assert!(any
                .downcast_ref::<keyring::mock::MockCredential>()
                .is_none());
        }

        #[derive(Debug)]
        struct Text(&'static str);
        impl std::fmt::Display for Text {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.0)
            }
        }
        impl std::error::Error for Text {}

        #[test]
        fn platform_errors_are_classified() {
            let no_bus = keyring::Error::PlatformFailure(Box::new(Text(
                "no secret service provider or dbus session found",
            )));
            let e = map_error(no_bus);
            assert!(matches!(e, SecretError::Unavailable(_)), "{e:?}");
            assert!(e.to_string().contains("no OS keyring is available"));

            let unknown = keyring::Error::PlatformFailure(Box::new(Text(
                "zbus error: org.freedesktop.DBus.Error.ServiceUnknown: The name is not activatable",
            )));
            assert!(matches!(map_error(unknown), SecretError::Unavailable(_)));

            let locked = keyring::Error::NoStorageAccess(Box::new(Text("SS Error: object locked")));
            let e = map_error(locked);
            assert!(matches!(e, SecretError::Locked(_)), "{e:?}");
            assert!(e.to_string().contains("locked"));

            let is_locked = keyring::Error::PlatformFailure(Box::new(Text(
                "zbus error: org.freedesktop.Secret.Error.IsLocked: Cannot create an item in a locked collection",
            )));
            assert!(matches!(map_error(is_locked), SecretError::Locked(_)));

            let other = keyring::Error::PlatformFailure(Box::new(Text("Crypto error: bad")));
            assert!(matches!(map_error(other), SecretError::Other(_)));
        }

        #[test]
        fn bad_encoding_never_prints_the_stored_bytes() {
            let e = map_error(keyring::Error::BadEncoding(b"tok-\xff-secret".to_vec()));
            let shown = format!("{e} {e:?}");
            assert!(!shown.contains("secret"), "{shown}");
            assert!(!shown.contains("116"), "{shown}"); // b't' as a number
        }
    }
}

#[cfg(not(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "macos",
    target_os = "windows"
)))]
mod backend {
    //! No keyring on this platform: every operation says so.
    use super::SecretError;

    pub enum Entry {}

    impl Entry {
        pub fn set_password(&self, _: &str) -> Result<(), Never> {
            match *self {}
        }
        pub fn get_password(&self) -> Result<String, Never> {
            match *self {}
        }
        pub fn delete_credential(&self) -> Result<(), Never> {
            match *self {}
        }
    }

    pub enum Never {}

    pub fn entry(_service: &str, _source: &str) -> Result<Entry, SecretError> {
        Err(SecretError::Unavailable(
            "no OS keyring is available: this platform has no supported keyring".into(),
        ))
    }
    pub fn is_no_entry(e: &Never) -> bool {
        match *e {}
    }
    pub fn map_error(e: Never) -> SecretError {
        match e {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_names() {
        for ok in [
            "tushare",
            "binance-usdm",
            "a",
            "x1-2",
            &"a".repeat(MAX_SOURCE_LEN),
        ] {
            assert_eq!(validate_source(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "Tushare",
            "binance_usdm",
            "a b",
            "../etc",
            "tü",
            "a\n",
            &"a".repeat(MAX_SOURCE_LEN + 1),
        ] {
            assert!(
                matches!(validate_source(bad), Err(SecretError::InvalidSource(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_long_rejected_name_is_shortened() {
        let pasted = format!("sk-{}", "Z".repeat(60));
        let msg = validate_source(&pasted).unwrap_err().to_string();
        assert!(!msg.contains(&pasted), "{msg}");
        assert!(msg.contains("sk-ZZ"), "{msg}");
    }

    #[tokio::test]
    async fn invalid_sources_never_reach_the_keyring() {
        let secrets = Secrets::new("app.tickwarden.unit");
        let token = Sensitive::new("tok-do-not-print".to_string());
        let e = secrets.set("Bad Name", &token).await.unwrap_err();
        assert!(matches!(e, SecretError::InvalidSource(_)));
        assert!(!format!("{e} {e:?}").contains("tok-do-not-print"));
        assert!(matches!(
            secrets.get("").await,
            Err(SecretError::InvalidSource(_))
        ));
    }
}
