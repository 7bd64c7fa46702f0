//! Open interest of USDⓈ-M futures, polled over REST (`/fapi/v1/openInterest`, weight 1 per
//! symbol). The requests of one round are spread over the period, so 150 symbols a minute
//! cost 150 weight a minute, far under the limit, and never arrive as a burst.

use super::parse::parse_open_interest;
use super::{Path, RestClient, Venue};
use crate::HealthCell;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;
use tw_core::{MarketEvent, SharedClock, Symbol};

pub(crate) async fn poll(
    rest: RestClient,
    clock: SharedClock,
    tx: mpsc::Sender<MarketEvent>,
    codes: Arc<Mutex<Vec<String>>>,
    every: Duration,
    health: HealthCell,
) {
    let every = every.as_millis().max(1) as i64;
    let mut round_start = clock.now_ms();
    loop {
        let list = codes.lock().unwrap().clone();
        let spacing = every / list.len().max(1) as i64;
        for (i, code) in list.iter().enumerate() {
            let path = format!("{}?symbol={code}", Venue::UsdM.path(Path::OpenInterest));
            match rest.get(&path, 1).await {
                Ok(body) => match parse_open_interest(&body) {
                    Ok((sym, ts_ms, value)) => {
                        let ev = MarketEvent::OpenInterest {
                            symbol: Symbol::new(Venue::UsdM.source(), &sym),
                            ts_ms,
                            value,
                        };
                        if tx.send(ev).await.is_err() {
                            return;
                        }
                    }
                    Err(e) => health.on_error(format!("open interest of {code}: {e}")),
                },
                Err(e) => health.on_error(format!("open interest of {code}: {e}")),
            }
            let next = round_start + spacing * (i as i64 + 1);
            tokio::select! {
                _ = clock.sleep_until(next) => {}
                _ = tx.closed() => return,
            }
        }
        round_start = (round_start + every).max(clock.now_ms() - every);
        if list.is_empty() {
            tokio::select! {
                _ = clock.sleep_until(round_start) => {}
                _ = tx.closed() => return,
            }
        }
    }
}
