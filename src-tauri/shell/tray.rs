//! The tray icon: show the window, the latest alerts, pause alerts, show logs, quit; an
//! unread count while the window is hidden.

use super::EVENT;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use tauri::menu::{CheckMenuItem, Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Emitter, Manager, Wry};
use tw_core::ipc::UiEvent;
use tw_core::Alert;
use tw_engine::EngineHandle;

const TRAY_ID: &str = "main";

/// How many alerts the tray's "Recent alerts" menu lists.
const RECENT: usize = 8;

struct TrayState {
    pause: CheckMenuItem<Wry>,
    unread: AtomicUsize,
    recent_menu: Submenu<Wry>,
    recent: Mutex<VecDeque<String>>,
}

fn chinese() -> bool {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .is_some_and(|v| v.starts_with("zh"))
}

pub fn create(app: &AppHandle, engine: &EngineHandle) -> tauri::Result<()> {
    let zh = chinese();
    let t = |en: &'static str, cn: &'static str| if zh { cn } else { en };
    let show = MenuItem::with_id(
        app,
        "show",
        t("Show Tickwarden", "显示 Tickwarden"),
        true,
        None::<&str>,
    )?;
    let pause = CheckMenuItem::with_id(
        app,
        "pause",
        t("Pause alerts", "暂停提醒"),
        true,
        engine.alerts_paused(),
        None::<&str>,
    )?;
    let logs = MenuItem::with_id(app, "logs", t("Show logs", "查看日志"), true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", t("Quit", "退出"), true, None::<&str>)?;
    let sep = PredefinedMenuItem::separator(app)?;
    let none_label = t("No alerts yet", "暂无提醒");
    let none = MenuItem::with_id(app, "recent-none", none_label, false, None::<&str>)?;
    let recent_menu = Submenu::with_items(app, t("Recent alerts", "最近提醒"), true, &[&none])?;
    let menu = Menu::with_items(app, &[&show, &recent_menu, &pause, &logs, &sep, &quit])?;
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Tickwarden")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id.as_ref() {
            "show" => show_window(app),
            "pause" => toggle_pause(app),
            "logs" => show_logs(app),
            "quit" => app.exit(0),
            id if id.starts_with("recent-") => show_window(app),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    app.manage(TrayState {
        pause,
        unread: AtomicUsize::new(0),
        recent_menu,
        recent: Mutex::new(VecDeque::new()),
    });
    Ok(())
}

/// What closing the main window does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CloseAction {
    /// Hide the window; Tickwarden keeps watching from the tray.
    HideToTray,
    /// Quit the app (engine shut down cleanly), as a desktop app without tray mode does.
    Quit,
}

/// The "Minimise to tray" setting decides; settings that cannot be read keep the default
/// (tray mode on), so a closed window never stops the alerts by accident.
pub fn close_action<E>(minimize_to_tray: Result<bool, E>) -> CloseAction {
    match minimize_to_tray {
        Ok(false) => CloseAction::Quit,
        Ok(true) | Err(_) => CloseAction::HideToTray,
    }
}

/// The window's close button: hides to the tray or quits, as the settings say.
pub fn on_close_requested(window: &tauri::Window) {
    let app = window.app_handle().clone();
    let window = window.clone();
    tauri::async_runtime::spawn(async move {
        let setting = match app.try_state::<EngineHandle>() {
            Some(engine) => engine.ui_settings().await.map(|s| s.minimize_to_tray),
            None => Ok(true),
        };
        if let Err(e) = &setting {
            tracing::warn!("settings not read on close ({e}); hiding to the tray");
        }
        match close_action(setting) {
            CloseAction::HideToTray => {
                let _ = window.hide();
            }
            CloseAction::Quit => app.exit(0),
        }
    });
}

pub fn show_window(app: &AppHandle) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.show();
        let _ = w.unminimize();
        let _ = w.set_focus();
    }
    if let Some(st) = app.try_state::<TrayState>() {
        st.unread.store(0, Ordering::Relaxed);
    }
    set_unread_label(app, 0);
}

/// The folder the logs are written to, for "Show logs".
pub struct LogFolder(pub std::path::PathBuf);

/// Opens the log folder in the desktop's file manager.
fn show_logs(app: &AppHandle) {
    let Some(dir) = app.try_state::<LogFolder>() else {
        return;
    };
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(&dir.0).spawn() {
        tracing::warn!("cannot open the log folder {}: {e}", dir.0.display());
    }
}

fn toggle_pause(app: &AppHandle) {
    let Some(engine) = app.try_state::<EngineHandle>() else {
        return;
    };
    let engine = engine.inner().clone();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let paused = !engine.alerts_paused();
        if let Err(e) = engine.set_alerts_paused(paused).await {
            tracing::warn!("could not change the pause setting: {e}");
        }
        set_paused(&app, engine.alerts_paused());
        let _ = app.emit(
            EVENT,
            UiEvent::AlertsPaused {
                paused: engine.alerts_paused(),
            },
        );
    });
}

/// Keeps the tray's check mark in step with the pause setting.
pub fn set_paused(app: &AppHandle, paused: bool) {
    if let Some(st) = app.try_state::<TrayState>() {
        let _ = st.pause.set_checked(paused);
    }
}

/// One line of the "Recent alerts" menu: time (UTC), level, symbol, rule.
fn recent_label(a: &Alert) -> String {
    let secs = a.fired_at.div_euclid(1000).rem_euclid(86_400);
    let code = a
        .symbol
        .split_once(':')
        .map_or(a.symbol.as_str(), |(_, c)| c);
    format!(
        "{:02}:{:02} {} {} · {}",
        secs / 3600,
        secs / 60 % 60,
        a.level.as_str().to_uppercase(),
        code,
        a.rule_name
    )
}

/// Puts the alert at the top of the tray's "Recent alerts" menu.
fn add_recent(app: &AppHandle, st: &TrayState, alert: &Alert) {
    let labels: Vec<String> = {
        let mut recent = st.recent.lock().unwrap();
        recent.push_front(recent_label(alert));
        recent.truncate(RECENT);
        recent.iter().cloned().collect()
    };
    let menu = &st.recent_menu;
    if let Ok(items) = menu.items() {
        for item in items {
            let _ = menu.remove(&item);
        }
    }
    for (i, label) in labels.iter().enumerate() {
        if let Ok(item) = MenuItem::with_id(app, format!("recent-{i}"), label, true, None::<&str>) {
            let _ = menu.append(&item);
        }
    }
}

/// Lists the alert in the tray, and counts it while the window is not visible.
pub fn on_alert(app: &AppHandle, alert: &Alert) {
    let visible = app
        .get_webview_window("main")
        .and_then(|w| w.is_visible().ok())
        .unwrap_or(false);
    let Some(st) = app.try_state::<TrayState>() else {
        return;
    };
    add_recent(app, &st, alert);
    if visible {
        return;
    }
    let n = st.unread.fetch_add(1, Ordering::Relaxed) + 1;
    set_unread_label(app, n);
}

fn set_unread_label(app: &AppHandle, n: usize) {
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        let label = (n > 0).then(|| n.to_string());
        let _ = tray.set_title(label.as_deref());
        let tip = if n > 0 {
            format!("Tickwarden — {n} new alerts")
        } else {
            "Tickwarden".to_string()
        };
        let _ = tray.set_tooltip(Some(tip));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_quits_only_when_tray_mode_is_off() {
        assert_eq!(close_action::<()>(Ok(true)), CloseAction::HideToTray);
        assert_eq!(close_action::<()>(Ok(false)), CloseAction::Quit);
        assert_eq!(
            close_action(Err("database locked")),
            CloseAction::HideToTray
        );
    }

    #[test]
    fn the_default_settings_keep_the_tray_mode() {
        let s = tw_core::ui::UiSettings::default();
        assert_eq!(
            close_action::<()>(Ok(s.minimize_to_tray)),
            CloseAction::HideToTray
        );
    }
}
