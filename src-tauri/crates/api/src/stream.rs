//! `/api/v1/stream`: a WebSocket that pushes alerts and detector anomalies as JSON.
//!
//! One hub task reads the engine's alert and anomaly broadcasts and turns each message into
//! its JSON text once; every client gets a cheap clone of that text. A client that reads too slowly is told
//! how many messages it missed (`lagged`) instead of holding everyone else back.

use crate::error::HttpError;
use crate::params::Params;
use crate::server::AppState;
use crate::wire::{AlertBody, ErrorCode, RadarItem, StreamMessage};
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;
use tw_engine::EngineHandle;

/// Close code sent when the server stops ("going away").
const GOING_AWAY: u16 = 1001;

/// A client that has not taken a message for this long is dropped: its socket buffers are
/// full, it is not reading, and it must not keep a task (and a slot) forever.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Hub {
    messages: broadcast::Sender<Utf8Bytes>,
    clients: AtomicUsize,
    max_clients: usize,
    stop: watch::Receiver<bool>,
}

impl Hub {
    /// Subscribes to the engine's alerts now (so nothing fired after `start` returns is
    /// missed) and spawns the task that serialises them.
    pub fn start(
        engine: &EngineHandle,
        max_clients: usize,
        stop: watch::Receiver<bool>,
    ) -> (Arc<Hub>, JoinHandle<()>) {
        let (messages, _) = broadcast::channel(1024);
        let hub = Arc::new(Hub {
            messages: messages.clone(),
            clients: AtomicUsize::new(0),
            max_clients,
            stop: stop.clone(),
        });
        let mut alerts = engine.subscribe_alerts();
        let mut anomalies = engine.subscribe_anomalies();
        let mut anomalies_open = true;
        let mut stop = stop;
        let task = tokio::spawn(async move {
            loop {
                tokio::select! {
                    a = alerts.recv() => match a {
                        Ok(alert) => {
                            let msg = StreamMessage::Alert { alert: AlertBody::from(alert) };
                            if let Some(text) = to_text(&msg) {
                                // No subscriber is fine: nobody is listening right now.
                                let _ = messages.send(text);
                            }
                        }
                        Err(RecvError::Lagged(n)) => {
                            tracing::warn!("local API stream: {n} alerts skipped (they are stored)");
                            if let Some(text) = to_text(&StreamMessage::Lagged { missed: n }) {
                                let _ = messages.send(text);
                            }
                        }
                        Err(RecvError::Closed) => break,
                    },
                    a = anomalies.recv(), if anomalies_open => match a {
                        Ok(a) => {
                            let msg = StreamMessage::Anomaly { anomaly: RadarItem::from(a) };
                            if let Some(text) = to_text(&msg) {
                                let _ = messages.send(text);
                            }
                        }
                        Err(RecvError::Lagged(n)) => {
                            // Anomalies are not stored: the radar has the current ones.
                            tracing::warn!("local API stream: {n} anomalies skipped");
                            if let Some(text) = to_text(&StreamMessage::Lagged { missed: n }) {
                                let _ = messages.send(text);
                            }
                        }
                        Err(RecvError::Closed) => anomalies_open = false,
                    },
                    _ = stopped(&mut stop) => break,
                }
            }
        });
        (hub, task)
    }

    pub fn clients(&self) -> usize {
        self.clients.load(Ordering::Relaxed)
    }
}

/// Resolves once the server is stopping (the guard `wait_for` returns is not `Send`).
pub async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

fn to_text(msg: &StreamMessage) -> Option<Utf8Bytes> {
    match serde_json::to_string(msg) {
        Ok(s) => Some(Utf8Bytes::from(s)),
        Err(e) => {
            tracing::error!("local API stream: cannot serialise a message: {e}");
            None
        }
    }
}

/// Counts a connected client for as long as it lives.
struct Slot(Arc<Hub>);
impl Drop for Slot {
    fn drop(&mut self) {
        self.0.clients.fetch_sub(1, Ordering::Relaxed);
    }
}

pub async fn handler(
    State(s): State<AppState>,
    RawQuery(q): RawQuery,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    if let Err(e) = Params::parse(q.as_deref(), &[crate::auth::WS_TOKEN_PARAM]) {
        return e.into_response();
    }
    let ws = match ws {
        Ok(ws) => ws,
        Err(e) => {
            return HttpError::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidInput,
                format!("this route is a WebSocket: open it with a WebSocket client ({e})"),
            )
            .into_response()
        }
    };
    let hub = s.hub.clone();
    if hub.clients.fetch_add(1, Ordering::Relaxed) >= hub.max_clients {
        hub.clients.fetch_sub(1, Ordering::Relaxed);
        return HttpError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::TooManyClients,
            format!(
                "{} stream clients are connected, the most allowed; try again later",
                hub.max_clients
            ),
        )
        .into_response();
    }
    let slot = Slot(hub);
    ws.on_upgrade(move |socket| serve(socket, slot))
}

async fn serve(mut socket: WebSocket, slot: Slot) {
    let hub = slot.0.clone();
    // Subscribed before `hello`: a client that has read `hello` misses nothing after it.
    let mut rx = hub.messages.subscribe();
    let mut stop = hub.stop.clone();
    let hello = to_text(&StreamMessage::Hello {
        version: env!("CARGO_PKG_VERSION"),
    });
    if let Some(h) = hello {
        if !send(&mut socket, Message::Text(h)).await {
            return;
        }
    }
    loop {
        tokio::select! {
            m = rx.recv() => {
                let text = match m {
                    Ok(t) => t,
                    Err(RecvError::Lagged(n)) => match to_text(&StreamMessage::Lagged { missed: n }) {
                        Some(t) => t,
                        None => continue,
                    },
                    Err(RecvError::Closed) => break,
                };
                if !send(&mut socket, Message::Text(text)).await {
                    break; // the client is gone or not reading
                }
            }
            incoming = socket.recv() => match incoming {
                // Pings are answered by the WebSocket layer; anything a client sends is
                // otherwise ignored (the stream is one-way).
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => {}
            },
            _ = stopped(&mut stop) => {
                let close = Message::Close(Some(CloseFrame {
                    code: GOING_AWAY,
                    reason: Utf8Bytes::from_static("the local API is stopping"),
                }));
                send(&mut socket, close).await;
                break;
            }
        }
    }
    drop(slot);
}

/// False when the client is gone or has not taken the message within [`SEND_TIMEOUT`].
async fn send(socket: &mut WebSocket, msg: Message) -> bool {
    matches!(
        tokio::time::timeout(SEND_TIMEOUT, socket.send(msg)).await,
        Ok(Ok(()))
    )
}
