//! Tickwarden's OS integration, and the only code that touches the OS keyring and desktop
//! notifications.
//!
//! - [`Secrets`]: one API token per data source in the OS keyring (Secret Service on Linux,
//!   Keychain on macOS, Credential Manager on Windows). Tokens travel as
//!   [`Sensitive<String>`](tw_core::Sensitive) and never appear in an error message or a log.
//! - [`Notifier`]: native notifications (`org.freedesktop.Notifications` on Linux), with a
//!   status probe so the UI can say why notifications are unavailable.
//!
//! Every call into the OS blocks, so each one runs in `tokio::task::spawn_blocking`: the
//! async functions here need a tokio runtime.

pub mod notify;
pub mod secrets;

pub use notify::{Notification, Notifier, NotifyError};
pub use secrets::{SecretError, Secrets};
