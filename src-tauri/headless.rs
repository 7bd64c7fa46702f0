//! `tickwarden headless`: the same engine without a window; alerts as JSON lines on stdout.

use crate::cli::{EngineArgs, HeadlessArgs};
use std::io::Write;
use tokio::sync::broadcast::error::RecvError;
use tw_engine::Engine;

pub fn run(engine_args: EngineArgs, args: HeadlessArgs) -> i32 {
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tickwarden: cannot start the async runtime: {e}");
            return 1;
        }
    };
    rt.block_on(run_async(engine_args, args))
}

async fn run_async(engine_args: EngineArgs, args: HeadlessArgs) -> i32 {
    let mut cfg = engine_args.engine_config(
        engine_args
            .data_dir
            .clone()
            .unwrap_or_else(crate::cli::default_data_dir),
    );
    cfg.notifications = args.notify;
    if let Err(e) = args.apply_sources(&mut cfg) {
        eprintln!("tickwarden: {e}");
        return 2;
    }
    let engine = match Engine::start(cfg).await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("tickwarden: cannot start: {e}");
            return 1;
        }
    };
    tracing::info!("headless engine running on {}", engine.data_dir().display());
    // The local API, when Settings or --api turn it on (its URL goes to the log, never the token).
    let api = match tw_api::start_if_enabled(&engine, args.api, args.api_port).await {
        Ok(api) => api,
        Err(e) => {
            eprintln!("tickwarden: local API: {e}");
            engine.shutdown().await;
            return 1;
        }
    };
    let mut alerts = engine.subscribe_alerts();
    let stop = shutdown_signal();
    tokio::pin!(stop);
    let mut stdout = std::io::stdout();
    loop {
        tokio::select! {
            _ = &mut stop => break,
            a = alerts.recv() => match a {
                Ok(a) => {
                    let line = serde_json::to_string(&a).unwrap_or_default();
                    if writeln!(stdout, "{line}").and_then(|_| stdout.flush()).is_err() {
                        break; // stdout closed
                    }
                }
                Err(RecvError::Lagged(n)) => tracing::warn!("{n} alerts not printed (they are stored)"),
                Err(RecvError::Closed) => break,
            }
        }
    }
    if let Some(api) = api {
        api.shutdown().await;
    }
    engine.shutdown().await;
    0
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
