//! The OpenAPI 3.1 document of the local API, written out by hand (every shape in it is a
//! type in `wire.rs`; the tests check that each route served is described and each
//! described route is served).

use crate::routes::{
    DEFAULT_ALERTS, DEFAULT_CANDLES, DEFAULT_RADAR, MAX_ALERTS, MAX_CANDLES, MAX_RADAR,
};
use crate::wire::ErrorCode;
use serde_json::{json, Value};

/// Every route the server answers (all GET).
pub const ROUTES: [&str; 7] = [
    "/api/v1/health",
    "/api/v1/symbols",
    "/api/v1/candles",
    "/api/v1/alerts",
    "/api/v1/radar",
    "/api/v1/openapi.json",
    "/api/v1/stream",
];

fn ok(description: &str, schema: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } }
    })
}

fn err(description: &str) -> Value {
    json!({ "$ref": format!("#/components/responses/{description}") })
}

fn param(name: &str, required: bool, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": required, "description": description, "schema": schema })
}

fn op(
    id: &str,
    summary: &str,
    description: &str,
    params: Vec<Value>,
    ok_resp: Value,
    extra: &[(&str, &str)],
) -> Value {
    let mut responses = serde_json::Map::new();
    responses.insert("200".into(), ok_resp);
    responses.insert("400".into(), err("BadRequest"));
    responses.insert("401".into(), err("Unauthorized"));
    for (code, name) in extra {
        responses.insert((*code).into(), err(name));
    }
    json!({ "get": {
        "operationId": id,
        "summary": summary,
        "description": description,
        "parameters": params,
        "responses": responses
    }})
}

fn nullable(t: &str) -> Value {
    json!({ "type": [t, "null"] })
}

/// The document served at `/api/v1/openapi.json`.
pub fn document() -> Value {
    let symbol = json!({ "type": "string", "pattern": "^[a-z0-9-]+:.+$", "examples": ["demo:ALPHA", "binance-usdm:BTCUSDT"] });
    let level = json!({ "type": "string", "enum": ["low", "medium", "high", "critical"] });
    let interval = json!({ "type": "string", "enum": ["1m", "5m", "15m", "1h", "4h", "1d"] });
    let paths = json!({
        "/api/v1/health": op("getHealth", "Feed health and engine status",
            "`status` is `ok` when every feed is connected, `degraded` otherwise.",
            vec![], ok("Health", "Health"), &[]),
        "/api/v1/symbols": op("getSymbols", "The watchlist with live prices",
            "One row per watched symbol; prices are null until the first update.",
            vec![], ok("Watchlist rows", "Symbols"), &[]),
        "/api/v1/candles": op("getCandles", "Candles of one symbol, oldest first",
            "The last candle may still be open (`closed: false`).",
            vec![
                param("symbol", true, "source:CODE", symbol.clone()),
                param("interval", false, "Candle interval (default 1m)", json!({ "allOf": [interval.clone()], "default": "1m" })),
                param("limit", false, "Most candles to return", json!({ "type": "integer", "minimum": 1, "maximum": MAX_CANDLES, "default": DEFAULT_CANDLES })),
            ],
            ok("Candles", "Candles"), &[("404", "NotFound")]),
        "/api/v1/alerts": op("getAlerts", "Stored alerts, newest first",
            "Every filter narrows the list.",
            vec![
                param("limit", false, "Most alerts to return", json!({ "type": "integer", "minimum": 1, "maximum": MAX_ALERTS, "default": DEFAULT_ALERTS })),
                param("symbol", false, "Only this symbol", symbol.clone()),
                param("level", false, "Only this level", level.clone()),
                param("since", false, "Only alerts fired at or after this time (ms since the Unix epoch, UTC)", json!({ "type": "integer", "minimum": 0 })),
            ],
            ok("Alerts", "Alerts"), &[]),
        "/api/v1/radar": op("getRadar", "The market radar: top anomalies and top movers",
            "Across every symbol the engine sees (not only the watchlist), updated as data \
             arrives. `items` are the symbols with the highest composite anomaly score \
             (`rankedBy` = `anomaly_score`) in the last hour (a daily bar's for its day), one \
             per symbol at its highest-scoring interval; a flagged item carries the detector's \
             reasons in words. `movers5m`, `movers1h`, `movers24h` rank by the size of the % \
             move over that window (`value`, signed), `relativeVolume` by the volume against \
             the usual volume of that time of day. `oiChanges` ranks futures contracts by the \
             size of their open-interest change over 24 h (`changePct`, signed); it is empty \
             for a source without futures.",
            vec![
                param("min_score", false, "Leave out items whose anomaly score is less (movers are not filtered)", json!({ "type": "number", "minimum": 0, "default": 0 })),
                param("limit", false, "Most rows in each list", json!({ "type": "integer", "minimum": 1, "maximum": MAX_RADAR, "default": DEFAULT_RADAR })),
            ],
            ok("Radar", "Radar"), &[]),
        "/api/v1/openapi.json": op("getOpenApi", "This document", "OpenAPI 3.1.",
            vec![], json!({ "description": "The OpenAPI document", "content": { "application/json": { "schema": { "type": "object" } } } }), &[]),
        "/api/v1/stream": { "get": {
            "operationId": "stream",
            "summary": "WebSocket of live alerts and anomalies",
            "description": "Open with a WebSocket client. The token goes in the `Authorization` \
                header or, for browsers (whose WebSocket cannot set headers), in `access_token`. \
                Each text message is one JSON `StreamMessage`: first `hello`, then an `alert` \
                for every alert as it is stored, and `lagged` if the client read too slowly and \
                messages were dropped for it (they are stored: see /api/v1/alerts). An \
                `anomaly` message is sent for every closed live bar the detector flags, on any \
                symbol the engine sees, with its score and reasons (rules decide what becomes \
                an alert; this is the raw detector). On shutdown the server closes with code \
                1001.",
            "parameters": [ param("access_token", false, "The bearer token, for clients that cannot set headers", json!({ "type": "string" })) ],
            "responses": {
                "101": { "description": "Switching to the WebSocket protocol; messages are StreamMessage",
                         "content": { "application/json": { "schema": { "$ref": "#/components/schemas/StreamMessage" } } } },
                "400": err("BadRequest"),
                "401": err("Unauthorized"),
                "503": err("TooManyClients")
            }
        }}
    });

    let error_codes: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    let alert = json!({
        "type": "object",
        "required": ["id", "ruleId", "ruleName", "symbol", "interval", "level", "firedAt", "barTime", "message", "metrics"],
        "properties": {
            "id": { "type": "integer" },
            "ruleId": { "type": "integer" },
            "ruleName": { "type": "string" },
            "symbol": symbol.clone(),
            "interval": interval.clone(),
            "level": level.clone(),
            "firedAt": { "type": "integer", "description": "When the condition was met, ms UTC (market time)" },
            "barTime": { "type": "integer", "description": "Open time of the bar, ms UTC" },
            "message": { "type": "string" },
            "metrics": { "type": "object", "additionalProperties": { "type": "number" } },
            "acknowledgedAt": { "type": ["integer", "null"], "description": "History only" },
            "resolvedAt": { "type": ["integer", "null"], "description": "History only" }
        }
    });
    let schemas = json!({
        "Error": {
            "type": "object", "required": ["code", "message"],
            "properties": {
                "code": { "type": "string", "enum": error_codes },
                "message": { "type": "string", "description": "Names the parameter that is wrong and why" }
            }
        },
        "Health": {
            "type": "object", "required": ["status", "version", "feeds", "alertsPaused", "notifications"],
            "properties": {
                "status": { "type": "string", "enum": ["ok", "degraded"] },
                "version": { "type": "string" },
                "feeds": { "type": "array", "items": { "$ref": "#/components/schemas/FeedHealth" } },
                "alertsPaused": { "type": "boolean" },
                "notifications": {
                    "type": "object", "required": ["available"],
                    "properties": { "available": { "type": "boolean" }, "error": nullable("string") }
                }
            }
        },
        "FeedHealth": {
            "type": "object", "required": ["source", "simulated", "state", "messages", "reconnects"],
            "properties": {
                "source": { "type": "string" },
                "simulated": { "type": "boolean" },
                "state": { "type": "string", "enum": ["connecting", "connected", "reconnecting", "stale", "stopped"] },
                "lastMessageAt": nullable("integer"),
                "messages": { "type": "integer" },
                "reconnects": { "type": "integer" },
                "lastError": nullable("string"),
                "detail": nullable("string")
            }
        },
        "SymbolRow": {
            "type": "object", "required": ["symbol", "name", "simulated"],
            "properties": {
                "symbol": symbol.clone(),
                "name": { "type": "string" },
                "simulated": { "type": "boolean", "description": "True for the simulated demo market" },
                "price": nullable("number"),
                "changePct": { "type": ["number", "null"], "description": "% change against 24 h earlier" },
                "volume": { "type": ["number", "null"], "description": "Volume of the current 1m bar" },
                "updatedAt": nullable("integer")
            }
        },
        "Symbols": {
            "type": "object", "required": ["symbols"],
            "properties": { "symbols": { "type": "array", "items": { "$ref": "#/components/schemas/SymbolRow" } } }
        },
        "Candle": {
            "type": "object",
            "required": ["openTime", "open", "high", "low", "close", "volume", "quoteVolume", "trades", "closed"],
            "properties": {
                "openTime": { "type": "integer", "description": "ms UTC" },
                "open": { "type": "number" }, "high": { "type": "number" },
                "low": { "type": "number" }, "close": { "type": "number" },
                "volume": { "type": "number" }, "quoteVolume": { "type": "number" },
                "trades": { "type": "integer" },
                "closed": { "type": "boolean" }
            }
        },
        "Candles": {
            "type": "object", "required": ["symbol", "interval", "candles"],
            "properties": {
                "symbol": symbol.clone(),
                "interval": interval,
                "candles": { "type": "array", "items": { "$ref": "#/components/schemas/Candle" } }
            }
        },
        "Alert": alert,
        "Alerts": {
            "type": "object", "required": ["alerts"],
            "properties": { "alerts": { "type": "array", "items": { "$ref": "#/components/schemas/Alert" } } }
        },
        "RadarItem": {
            "type": "object",
            "required": ["symbol", "name", "simulated", "interval", "score", "flagged", "reasons", "price", "barOpen", "at", "closed"],
            "properties": {
                "symbol": symbol,
                "name": { "type": "string" },
                "simulated": { "type": "boolean" },
                "interval": interval.clone(),
                "score": { "type": "number", "minimum": 0, "description": "Composite anomaly score (anomaly_score)" },
                "flagged": { "type": "boolean", "description": "Over the detector's thresholds" },
                "reasons": { "type": "array", "items": { "type": "string" },
                             "description": "Why, in words, e.g. \"volume 6.2σ above its 60-bar norm\"; empty unless flagged" },
                "price": { "type": "number" },
                "barOpen": { "type": "integer", "description": "Open time of the bar, ms UTC" },
                "at": { "type": "integer", "description": "Market time of the score, ms UTC" },
                "closed": { "type": "boolean", "description": "False while the bar is being built" }
            }
        },
        "Mover": {
            "type": "object", "required": ["symbol", "name", "simulated", "interval", "price", "value", "at"],
            "properties": {
                "symbol": symbol,
                "name": { "type": "string" },
                "simulated": { "type": "boolean" },
                "interval": interval.clone(),
                "price": { "type": "number" },
                "value": { "type": "number", "description": "% move (signed), or relative volume" },
                "at": { "type": "integer" }
            }
        },
        "Radar": {
            "type": "object", "required": ["rankedBy", "items", "movers5m", "movers1h", "movers24h", "relativeVolume", "oiChanges"],
            "properties": {
                "rankedBy": { "type": "string", "enum": [crate::RANKED_BY],
                              "description": "anomaly_score: items are ranked by the composite anomaly score" },
                "items": { "type": "array", "items": { "$ref": "#/components/schemas/RadarItem" } },
                "movers5m": { "type": "array", "items": { "$ref": "#/components/schemas/Mover" } },
                "movers1h": { "type": "array", "items": { "$ref": "#/components/schemas/Mover" } },
                "movers24h": { "type": "array", "items": { "$ref": "#/components/schemas/Mover" } },
                "relativeVolume": { "type": "array", "items": { "$ref": "#/components/schemas/Mover" } },
                "oiChanges": { "type": "array", "items": { "$ref": "#/components/schemas/OiChange" } }
            }
        },
        "OiChange": {
            "type": "object", "required": ["symbol", "name", "simulated", "openInterest", "changePct", "price", "at"],
            "properties": {
                "symbol": symbol.clone(),
                "name": { "type": "string" },
                "simulated": { "type": "boolean" },
                "openInterest": { "type": "number", "description": "Open interest in contracts, as the venue reports it" },
                "changePct": { "type": "number", "description": "% change of the open interest over 24 h (signed)" },
                "price": { "type": "number" },
                "at": { "type": "integer" }
            }
        },
        "StreamMessage": {
            "oneOf": [
                { "type": "object", "required": ["type", "version"],
                  "properties": { "type": { "const": "hello" }, "version": { "type": "string" } } },
                { "type": "object", "required": ["type", "alert"],
                  "properties": { "type": { "const": "alert" }, "alert": { "$ref": "#/components/schemas/Alert" } } },
                { "type": "object", "required": ["type", "anomaly"],
                  "properties": { "type": { "const": "anomaly" }, "anomaly": { "$ref": "#/components/schemas/RadarItem" } } },
                { "type": "object", "required": ["type", "missed"],
                  "properties": { "type": { "const": "lagged" }, "missed": { "type": "integer" } } }
            ],
            "discriminator": { "propertyName": "type" }
        }
    });
    let error_resp = |d: &str| {
        json!({
            "description": d,
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
        })
    };
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Tickwarden local API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Read-only access to the Tickwarden engine for tools on this machine. \
                Listens on 127.0.0.1 only, when enabled in Settings. Every request needs the \
                bearer token shown in Settings → Local API."
        },
        "servers": [ { "url": "http://127.0.0.1:{port}", "variables": { "port": { "default": crate::LocalApiSettings::DEFAULT_PORT.to_string() } } } ],
        "security": [ { "bearer": [] } ],
        "paths": paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": schemas,
            "responses": {
                "BadRequest": error_resp("A parameter is missing, unknown or malformed; the message names it"),
                "Unauthorized": error_resp("No bearer token, or the wrong one"),
                "NotFound": error_resp("Nothing is known under that name"),
                "TooManyClients": error_resp("Too many WebSocket clients are connected")
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `$ref` points at something that exists.
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if k == "$ref" {
                        out.push(x.as_str().unwrap().to_string());
                    } else {
                        refs(x, out);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }

    #[test]
    fn describes_every_route_and_every_ref_resolves() {
        let doc = document();
        assert_eq!(doc["openapi"], "3.1.0");
        let paths = doc["paths"].as_object().unwrap();
        let mut described: Vec<&str> = paths.keys().map(String::as_str).collect();
        described.sort();
        let mut served = ROUTES.to_vec();
        served.sort();
        assert_eq!(described, served);
        for (p, item) in paths {
            let get = &item["get"];
            assert!(get["operationId"].is_string(), "{p}");
            assert!(get["responses"]["401"].is_object(), "{p}: 401 documented");
        }
        let mut all = Vec::new();
        refs(&doc, &mut all);
        assert!(all.len() > 10);
        for r in all {
            let ptr = r.strip_prefix('#').unwrap();
            assert!(doc.pointer(ptr).is_some(), "dangling $ref {r}");
        }
    }
}
