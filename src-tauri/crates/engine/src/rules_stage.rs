//! The rules stage: evaluates every series update against the rules that watch its symbol,
//! hands fired alerts to the alert stage, and keeps the trigger state of every (rule, symbol)
//! in the store so it survives a restart (as do the circuit breaker's pauses).

use crate::alerts::AlertMsg;
use tokio::sync::{mpsc, oneshot};
use tw_analytics::rules::{compile, BreakerConfig, RuleBook, RuleState, WatchlistMap};
use tw_analytics::SeriesUpdate;
use tw_core::ipc::RuleRecord;
use tw_core::{SharedClock, Symbol};
use tw_store::{RulePauseRow, RuleStateRow, Store};

// The large variant is the hot one (every update); boxing it would allocate per tick.
#[allow(clippy::large_enum_variant)]
pub enum RulesMsg {
    Update(SeriesUpdate),
    Reload(Vec<RuleRecord>, WatchlistMap),
    /// Watchlist `name` now holds these symbols.
    Watchlist(String, Vec<Symbol>),
    Breaker(BreakerConfig),
    /// Forget the trigger state of a rule (it was edited).
    ResetRule(i64),
    Flush(oneshot::Sender<()>),
}

/// Trigger state is written at most this often while updates flow (and at every flush).
const SAVE_EVERY_MS: i64 = 5_000;

pub async fn run(
    clock: SharedClock,
    store: Store,
    mut rx: mpsc::Receiver<RulesMsg>,
    alerts: mpsc::Sender<AlertMsg>,
) {
    let mut book = RuleBook::new();
    match store.rule_states().await {
        Ok(rows) => book.restore_state(rows.into_iter().filter_map(|r| {
            let sym = Symbol::parse(&r.symbol).ok()?;
            match serde_json::from_str::<RuleState>(&r.state) {
                Ok(st) => Some((r.rule_id, sym, st)),
                Err(e) => {
                    tracing::warn!(
                        "trigger state of rule {} on {} unreadable: {e}",
                        r.rule_id,
                        r.symbol
                    );
                    None
                }
            }
        })),
        Err(e) => tracing::warn!("trigger state not restored: {e}"),
    }
    // Circuit-breaker pauses still in force: a restart does not let a paused rule loose.
    match store.rule_pauses(clock.now_ms()).await {
        Ok(rows) => book.restore_paused(rows.into_iter().map(|p| (p.rule_id, p.until_ms))),
        Err(e) => tracing::warn!("circuit-breaker pauses not restored: {e}"),
    }
    let mut last_save = clock.now_ms();
    while let Some(msg) = rx.recv().await {
        match msg {
            RulesMsg::Update(u) => {
                for f in book.on_update(&u, clock.now_ms()) {
                    if alerts.send(AlertMsg::Fired(f)).await.is_err() {
                        return;
                    }
                }
                for p in book.take_paused() {
                    let row = RulePauseRow {
                        rule_id: p.rule_id,
                        until_ms: p.until_ms,
                        fired: i64::from(p.fired),
                        window_ms: p.window_ms,
                    };
                    if let Err(e) = store.save_rule_pause(&row).await {
                        tracing::warn!("pause of rule {} not saved: {e}", p.rule_id);
                    }
                    if alerts.send(AlertMsg::RulePaused(p)).await.is_err() {
                        return;
                    }
                }
                if clock.now_ms() - last_save >= SAVE_EVERY_MS {
                    save(&store, &mut book, clock.now_ms()).await;
                    last_save = clock.now_ms();
                }
            }
            RulesMsg::Reload(records, lists) => {
                let compiled = records
                    .iter()
                    .filter_map(|r| match compile(r.id, &r.spec, None) {
                        Ok(c) => Some(c),
                        Err(e) => {
                            tracing::warn!("stored rule {} ({}) skipped: {e}", r.id, r.spec.name);
                            None
                        }
                    })
                    .collect();
                book.load(compiled, &lists);
            }
            RulesMsg::Watchlist(name, symbols) => book.set_watchlist(&name, symbols),
            RulesMsg::Breaker(cfg) => book.set_breaker(cfg),
            RulesMsg::ResetRule(id) => book.reset_rule(id),
            RulesMsg::Flush(ack) => {
                save(&store, &mut book, clock.now_ms()).await;
                last_save = clock.now_ms();
                let _ = alerts.send(AlertMsg::Flush(ack)).await;
            }
        }
    }
}

async fn save(store: &Store, book: &mut RuleBook, now_ms: i64) {
    let rows: Vec<RuleStateRow> = book
        .take_dirty_state()
        .into_iter()
        .filter_map(|(rule_id, sym, st)| {
            Some(RuleStateRow {
                rule_id,
                symbol: sym.to_string(),
                state: serde_json::to_string(&st).ok()?,
            })
        })
        .collect();
    if let Err(e) = store.save_rule_states(&rows, now_ms).await {
        tracing::warn!(
            "trigger state of {} (rule, symbol) pairs not saved: {e}",
            rows.len()
        );
    }
}
