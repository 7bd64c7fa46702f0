//! Every request must carry the bearer token; anything else is refused before a handler runs.

use crate::error::HttpError;
use crate::server::AppState;
use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

/// Query parameter that may carry the token on the WebSocket route only: a browser's
/// `WebSocket` cannot set an `Authorization` header.
pub const WS_TOKEN_PARAM: &str = "access_token";

pub async fn require_token(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match check(&state, &req) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

fn check(state: &AppState, req: &Request) -> Result<(), HttpError> {
    let presented = match req.headers().get(AUTHORIZATION) {
        Some(v) => {
            let v = v.to_str().unwrap_or("");
            let (scheme, rest) = v.split_once(' ').unwrap_or((v, ""));
            if !scheme.eq_ignore_ascii_case("bearer") || rest.trim().is_empty() {
                return Err(HttpError::unauthorized(
                    "the Authorization header must be `Bearer <token>`",
                ));
            }
            rest.trim().to_string()
        }
        None if req.uri().path() == crate::server::STREAM_PATH => {
            match query_token(req.uri().query()) {
                Some(t) => t,
                None => return Err(missing()),
            }
        }
        None => return Err(missing()),
    };
    // Constant time: how much of a guess matched must not show in the response time.
    let ok: bool = presented
        .as_bytes()
        .ct_eq(state.token.expose().as_bytes())
        .into();
    if ok {
        Ok(())
    } else {
        Err(HttpError::unauthorized(
            "the bearer token is wrong (Settings → Local API shows the current one)",
        ))
    }
}

fn missing() -> HttpError {
    HttpError::unauthorized(
        "no bearer token: send `Authorization: Bearer <token>` (Settings → Local API shows it)",
    )
}

fn query_token(query: Option<&str>) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query?).ok()?;
    pairs
        .into_iter()
        .find(|(k, _)| k == WS_TOKEN_PARAM)
        .map(|(_, v)| v)
}
