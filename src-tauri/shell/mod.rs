//! The Tauri shell: the only code that imports `tauri`. Commands are thin adapters over the
//! engine handle; live data goes over an IPC channel, rare notices as events.

mod alert_commands;
mod backtest_commands;
mod commands;
mod local_api;
mod portfolio_commands;
mod tray;
mod ui_commands;

use crate::cli::EngineArgs;
use tauri::{Emitter, Manager, WindowEvent};
use tokio::sync::broadcast::error::RecvError;
use tw_core::ipc::UiEvent;
use tw_engine::{Engine, EngineHandle};

/// The one event name the UI listens to; the payload is a [`UiEvent`].
pub const EVENT: &str = "tw://event";

pub fn run(args: EngineArgs) -> i32 {
    let result = tauri::Builder::default()
        // First: a second launch focuses the running window instead of starting a second
        // engine on the same database.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            tray::show_window(app);
        }))
        .manage(commands::LiveSubscription::default())
        // The file chooser of "Open recording…" (the capability grants only `open`).
        .plugin(tauri_plugin_dialog::init())
        // "Start at login" registers this binary with `--minimized`: it starts in the tray.
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec!["--minimized"]),
        ))
        .invoke_handler(tauri::generate_handler![
            commands::get_autostart,
            commands::set_autostart,
            commands::get_watchlist,
            commands::get_candles,
            commands::subscribe_live,
            commands::list_rules,
            commands::create_rule,
            commands::set_rule_enabled,
            commands::delete_rule,
            commands::list_alerts,
            commands::get_status,
            commands::get_radar,
            commands::set_alerts_paused,
            commands::get_binance_settings,
            commands::set_binance_settings,
            commands::test_binance_connection,
            commands::open_recording,
            alert_commands::alert_history,
            alert_commands::acknowledge_alerts,
            alert_commands::resolve_alerts,
            alert_commands::alert_stats,
            alert_commands::export_alerts_csv,
            alert_commands::import_rules,
            alert_commands::export_rules,
            alert_commands::update_rule,
            alert_commands::duplicate_rule,
            alert_commands::get_delivery_settings,
            alert_commands::set_delivery_settings,
            alert_commands::set_webhook_secret,
            ui_commands::list_watchlists,
            ui_commands::watchlist_rows,
            ui_commands::create_watchlist,
            ui_commands::rename_watchlist,
            ui_commands::delete_watchlist,
            ui_commands::add_to_watchlist,
            ui_commands::remove_from_watchlist,
            ui_commands::reorder_watchlist,
            ui_commands::search_symbols,
            ui_commands::get_indicators,
            ui_commands::get_candles_before,
            ui_commands::get_sparklines,
            ui_commands::get_fundamentals,
            ui_commands::preview_rule,
            backtest_commands::backtest_rules,
            backtest_commands::backtest_strategy,
            backtest_commands::strategy_templates,
            ui_commands::get_ui_settings,
            ui_commands::set_ui_settings,
            ui_commands::set_source_token,
            ui_commands::has_source_token,
            ui_commands::delete_source_token,
            ui_commands::test_source_connection,
            portfolio_commands::get_portfolio,
            portfolio_commands::list_holdings,
            portfolio_commands::add_holding,
            portfolio_commands::update_holding,
            portfolio_commands::delete_holding,
            portfolio_commands::import_holdings_csv,
            portfolio_commands::get_portfolio_settings,
            portfolio_commands::set_portfolio_settings,
        ])
        .setup(move |app| {
            let data_dir = match &args.data_dir {
                Some(d) => d.clone(),
                None => app.path().app_data_dir()?,
            };
            let mut cfg = args.engine_config(data_dir);
            // The window starts the Binance venues turned on in the settings.
            cfg.binance_from_settings = true;
            let engine = tauri::async_runtime::block_on(Engine::start(cfg))
                .map_err(|e| format!("Tickwarden could not start: {e}"))?;
            app.manage(engine.clone());
            app.manage(tray::LogFolder(crate::logging::log_dir(
                args.data_dir.as_deref(),
            )));
            tray::create(app.handle(), &engine)?;
            local_api::start(app.handle(), engine.clone());
            if args.minimized {
                if let Some(w) = app.get_webview_window("main") {
                    let _ = w.hide();
                }
            }
            forward_notices(app.handle().clone(), &engine);
            forward_alerts(app.handle().clone(), engine);
            Ok(())
        })
        .on_window_event(|window, event| {
            // Closing the window keeps Tickwarden watching from the tray, or quits when
            // "Minimise to tray" is off.
            if let WindowEvent::CloseRequested { api, .. } = event {
                api.prevent_close();
                tray::on_close_requested(window);
            }
        })
        .build(tauri::generate_context!("tauri.conf.json"));
    let app = match result {
        Ok(app) => app,
        Err(e) => {
            eprintln!("tickwarden: {e}");
            return 1;
        }
    };
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event {
            local_api::stop(handle);
            if let Some(engine) = handle.try_state::<EngineHandle>() {
                tauri::async_runtime::block_on(engine.shutdown());
            }
        }
    });
    0
}

/// Notifications as shown (with the level and whether to play its sound) go to the UI.
fn forward_notices(app: tauri::AppHandle, engine: &EngineHandle) {
    let mut rx = engine.subscribe_notices();
    tauri::async_runtime::spawn(async move {
        loop {
            match rx.recv().await {
                Ok(notice) => {
                    let _ = app.emit(EVENT, UiEvent::Notice { notice });
                }
                Err(RecvError::Lagged(n)) => tracing::debug!("{n} notices not sent to the window"),
                Err(RecvError::Closed) => break,
            }
        }
    });
}

/// Every alert goes to the UI as an event and bumps the tray's unread count.
fn forward_alerts(app: tauri::AppHandle, engine: EngineHandle) {
    let mut rx = engine.subscribe_alerts();
    tauri::async_runtime::spawn(async move {
        loop {
            match rx.recv().await {
                Ok(alert) => {
                    tray::on_alert(&app, &alert);
                    let _ = app.emit(EVENT, UiEvent::Alert { alert });
                }
                Err(RecvError::Lagged(n)) => {
                    tracing::warn!("{n} alerts not forwarded to the window (they are stored)")
                }
                Err(RecvError::Closed) => break,
            }
        }
    });
}
