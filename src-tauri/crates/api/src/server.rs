//! Starting and stopping the server.

use crate::auth;
use crate::config::ApiConfig;
use crate::error::ApiError;
use crate::routes;
use crate::stream::{self, Hub};
use axum::routing::get;
use axum::{middleware, Router};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tw_core::Sensitive;
use tw_engine::EngineHandle;

pub const STREAM_PATH: &str = "/api/v1/stream";

#[derive(Clone)]
pub(crate) struct AppState {
    pub engine: EngineHandle,
    pub token: Arc<Sensitive<String>>,
    pub hub: Arc<Hub>,
}

pub struct ApiServer;

/// A running server; [`RunningApi::shutdown`] stops it and closes every stream.
pub struct RunningApi {
    /// Where it listens (the port the OS chose when the configuration asked for 0).
    pub addr: SocketAddr,
    hub: Arc<Hub>,
    stop: watch::Sender<bool>,
    server: JoinHandle<()>,
    hub_task: JoinHandle<()>,
}

impl ApiServer {
    /// Binds 127.0.0.1 (any other address is refused) and serves until shut down.
    pub async fn start(engine: EngineHandle, cfg: ApiConfig) -> Result<RunningApi, ApiError> {
        cfg.validate()?;
        let listener = tokio::net::TcpListener::bind((cfg.bind, cfg.port))
            .await
            .map_err(|source| ApiError::Bind {
                port: cfg.port,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| ApiError::Bind {
            port: cfg.port,
            source,
        })?;
        let (stop, stop_rx) = watch::channel(false);
        let (hub, hub_task) = Hub::start(&engine, cfg.max_stream_clients, stop_rx.clone());
        let state = AppState {
            engine,
            token: Arc::new(cfg.token),
            hub: hub.clone(),
        };
        let app = router(state);
        let mut stop_rx = stop_rx;
        let server = tokio::spawn(async move {
            let shutdown = async move { stream::stopped(&mut stop_rx).await };
            if let Err(e) = axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await
            {
                tracing::error!("local API server stopped: {e}");
            }
        });
        tracing::debug!("local API listening on http://{addr}/api/v1/");
        Ok(RunningApi {
            addr,
            hub,
            stop,
            server,
            hub_task,
        })
    }
}

fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/v1/health", get(routes::health))
        .route("/api/v1/symbols", get(routes::symbols))
        .route("/api/v1/candles", get(routes::candles))
        .route("/api/v1/alerts", get(routes::alerts))
        .route("/api/v1/radar", get(routes::radar))
        .route("/api/v1/openapi.json", get(routes::openapi))
        .route(STREAM_PATH, get(stream::handler))
        .fallback(routes::not_found)
        .method_not_allowed_fallback(routes::method_not_allowed)
        // Outermost, so it also guards the fallbacks: without the token nothing is revealed,
        // not even which routes exist.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_token,
        ))
        .with_state(state)
}

impl RunningApi {
    /// The base URL of the API (`http://127.0.0.1:PORT/api/v1`), without the token.
    pub fn url(&self) -> String {
        format!("http://{}/api/v1", self.addr)
    }

    /// WebSocket clients connected right now.
    pub fn stream_clients(&self) -> usize {
        self.hub.clients()
    }

    /// Stops accepting, finishes requests in flight and closes every stream (code 1001).
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.server.await;
        let _ = self.hub_task.await;
    }
}
