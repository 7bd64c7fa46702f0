//! Errors: [`ApiError`] for starting the server, [`HttpError`] for a refused request (sent as
//! `{code, message}` so a client branches on the code, never on the words).

use crate::wire::{ErrorBody, ErrorCode};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tw_engine::EngineError;

/// Why the local API could not start (or its token could not be read or made).
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the local API only listens on 127.0.0.1; refusing to bind {0}")]
    NotLoopback(std::net::IpAddr),
    #[error("the local API token is too short ({0} characters; at least 32 are needed)")]
    WeakToken(usize),
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        port: u16,
        #[source]
        source: std::io::Error,
    },
    #[error("the OS random source failed: {0}")]
    Random(String),
    #[error("local API token: {0}")]
    Engine(#[from] EngineError),
}

/// A refused request.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
}

impl HttpError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        HttpError {
            status,
            code,
            message: message.into(),
        }
    }
    pub fn bad_param(name: &str, reason: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidInput,
            format!("{name}: {reason}"),
        )
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, message)
    }
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, message)
    }
}

impl From<EngineError> for HttpError {
    fn from(e: EngineError) -> Self {
        // The engine already sorts its errors into IPC codes; reuse that sorting.
        use tw_core::ipc::ErrorCode as Ipc;
        let (status, code) = match (&e, e.to_api().code) {
            (EngineError::Stopped, _) => (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Unavailable),
            (_, Ipc::InvalidInput | Ipc::InvalidRule) => {
                (StatusCode::BAD_REQUEST, ErrorCode::InvalidInput)
            }
            (_, Ipc::NotFound) => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            (_, Ipc::Storage) => (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Storage),
            _ => (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal),
        };
        HttpError::new(status, code, e.to_string())
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let unauthorized = self.status == StatusCode::UNAUTHORIZED;
        let body = ErrorBody {
            code: self.code,
            message: self.message,
        };
        let mut resp = (self.status, axum::Json(body)).into_response();
        if unauthorized {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"tickwarden\""),
            );
        }
        resp
    }
}
