//! The local API (off by default): an HTTP + WebSocket server on 127.0.0.1 for users who feed
//! other tools from Tickwarden. Every request carries the bearer token kept in the OS keyring;
//! the routes read through the engine handle and never write.
//!
//! ```text
//! GET /api/v1/health        feed health and engine status
//! GET /api/v1/symbols       watchlist rows with the live price
//! GET /api/v1/candles       ?symbol=&interval=&limit=
//! GET /api/v1/alerts        ?limit=&symbol=&level=&since=
//! GET /api/v1/radar         ?min_score=&limit=
//! GET /api/v1/openapi.json  the OpenAPI 3.1 document of all of this
//! GET /api/v1/stream        WebSocket: alerts as JSON messages
//! ```

mod auth;
mod config;
mod error;
mod launch;
mod openapi;
mod params;
mod radar;
mod routes;
mod server;
mod settings;
mod stream;
pub mod wire;

pub use config::{ensure_token, generate_token, ApiConfig, TOKEN_SOURCE};
pub use error::ApiError;
pub use launch::start_if_enabled;
pub use openapi::{document as openapi_document, ROUTES};
pub use radar::RANKED_BY;
pub use server::{ApiServer, RunningApi};
pub use settings::LocalApiSettings;
