//! The REST routes: parse and check the query, ask the engine, shape the answer.

use crate::error::HttpError;
use crate::params::{shorten, Params};
use crate::server::AppState;
use crate::wire::{self, AlertBody, CandleBody, ErrorCode, SymbolRow};
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use tw_core::history::AlertQuery;
use tw_core::{Interval, Level, Symbol};

type Answer<T> = Result<Json<T>, HttpError>;

pub const MAX_CANDLES: u32 = 5_000;
pub const DEFAULT_CANDLES: u32 = 500;
pub const MAX_ALERTS: u32 = 10_000;
pub const DEFAULT_ALERTS: u32 = 100;
pub const MAX_RADAR: u32 = 500;
pub const DEFAULT_RADAR: u32 = 20;

pub async fn health(State(s): State<AppState>, RawQuery(q): RawQuery) -> Answer<wire::Health> {
    Params::parse(q.as_deref(), &[])?;
    Ok(Json(wire::Health::from_status(s.engine.status())))
}

pub async fn symbols(State(s): State<AppState>, RawQuery(q): RawQuery) -> Answer<wire::Symbols> {
    Params::parse(q.as_deref(), &[])?;
    let rows = s.engine.watchlist().await?;
    Ok(Json(wire::Symbols {
        symbols: rows.into_iter().map(SymbolRow::from).collect(),
    }))
}

pub async fn candles(State(s): State<AppState>, RawQuery(q): RawQuery) -> Answer<wire::Candles> {
    let p = Params::parse(q.as_deref(), &["symbol", "interval", "limit"])?;
    let raw = p.required("symbol", "demo:ALPHA")?;
    let symbol = Symbol::parse(raw).map_err(|e| HttpError::bad_param("symbol", e))?;
    let interval = match p.str("interval") {
        None => Interval::M1,
        Some(i) => Interval::parse(i.trim()).ok_or_else(|| {
            HttpError::bad_param(
                "interval",
                format!(
                    "unknown interval {:?}; known: 1m, 5m, 15m, 1h, 4h, 1d",
                    shorten(i)
                ),
            )
        })?,
    };
    let limit = p.u32_in("limit", 1, MAX_CANDLES, DEFAULT_CANDLES)?;
    let bars = s.engine.candles(symbol.as_str(), interval, limit).await?;
    if bars.is_empty() && !on_watchlist(&s, symbol.as_str()).await? {
        return Err(HttpError::not_found(format!(
            "symbol: no candles for {symbol} (it is not on the watchlist and nothing is stored)"
        )));
    }
    Ok(Json(wire::Candles {
        symbol: symbol.as_str().to_string(),
        interval: interval.as_str(),
        candles: bars.into_iter().map(CandleBody::from).collect(),
    }))
}

async fn on_watchlist(s: &AppState, symbol: &str) -> Result<bool, HttpError> {
    Ok(s.engine
        .watchlist()
        .await?
        .iter()
        .any(|r| r.symbol == symbol))
}

pub async fn alerts(State(s): State<AppState>, RawQuery(q): RawQuery) -> Answer<wire::Alerts> {
    let p = Params::parse(q.as_deref(), &["limit", "symbol", "level", "since"])?;
    let limit = p.u32_in("limit", 1, MAX_ALERTS, DEFAULT_ALERTS)?;
    let symbol = match p.str("symbol") {
        None => None,
        Some(raw) => Some(
            Symbol::parse(raw.trim())
                .map_err(|e| HttpError::bad_param("symbol", e))?
                .as_str()
                .to_string(),
        ),
    };
    let level = match p.str("level") {
        None => None,
        Some(raw) => Some(Level::parse(raw.trim()).ok_or_else(|| {
            HttpError::bad_param(
                "level",
                format!(
                    "unknown level {:?}; known: low, medium, high, critical",
                    shorten(raw)
                ),
            )
        })?),
    };
    let since = p.i64("since", "a time in ms since the Unix epoch (UTC)")?;
    if since.is_some_and(|t| t < 0) {
        return Err(HttpError::bad_param(
            "since",
            "must be a time in ms since the Unix epoch (UTC), not negative",
        ));
    }
    let query = AlertQuery {
        symbol,
        level,
        from: since,
        limit: Some(limit),
        ..AlertQuery::default()
    };
    let entries = s.engine.alert_history(&query).await?;
    Ok(Json(wire::Alerts {
        alerts: entries.into_iter().map(AlertBody::from).collect(),
    }))
}

pub async fn radar(State(s): State<AppState>, RawQuery(q): RawQuery) -> Answer<wire::Radar> {
    let p = Params::parse(q.as_deref(), &["min_score", "limit"])?;
    let min_score = p.finite_f64("min_score")?.unwrap_or(0.0);
    if min_score < 0.0 {
        return Err(HttpError::bad_param(
            "min_score",
            "must be 0 or more (a score is a composite anomaly score, 0 when nothing is unusual)",
        ));
    }
    let limit = p.u32_in("limit", 1, MAX_RADAR, DEFAULT_RADAR)?;
    Ok(Json(crate::radar::to_wire(
        s.engine.radar(limit as usize, min_score),
    )))
}

pub async fn openapi(RawQuery(q): RawQuery) -> Answer<serde_json::Value> {
    Params::parse(q.as_deref(), &[])?;
    Ok(Json(crate::openapi::document()))
}

pub async fn not_found() -> HttpError {
    HttpError::not_found("no such route; GET /api/v1/openapi.json lists them all")
}

pub async fn method_not_allowed() -> HttpError {
    HttpError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::MethodNotAllowed,
        "this route only answers GET",
    )
}
