import { useEffect, useState } from "react";
import { api } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { DeliverySettings } from "../bindings/DeliverySettings";
import type { Level } from "../bindings/Level";
import type { UiSettings } from "../bindings/UiSettings";
import { useI18n } from "../i18n/I18nProvider";
import { LANG_LABELS, isLang } from "../i18n/lang";
import { LEVELS } from "../state/ruleForm";
import { appSoundPlayer } from "../sound/alertSound";
import { applyAppearance, hhmmToMin, minToHhmm } from "./settingsModel";

/** Days kept per coarser interval (0 = forever); labels are interval names, the same in
 * every language. */
const RETENTION_FIELDS = [
  ["retention5mDays", "5m"],
  ["retention15mDays", "15m"],
  ["retention1hDays", "1h"],
  ["retention4hDays", "4h"],
  ["retention1dDays", "1d"],
] as const;

/** Notifications, retention, language, theme, up/down colours, start at login, tray. */
export function SettingsView() {
  const { t, setLang, errorText } = useI18n();
  const [ui, setUi] = useState<UiSettings | null>(null);
  const [delivery, setDelivery] = useState<DeliverySettings | null>(null);
  const [autostart, setAutostart] = useState<boolean | null>(null);
  // Kept as a key, so a note written just before a language switch shows in the new language.
  const [note, setNote] = useState<{ ok: true } | { ok: false; error: ApiError } | null>(null);

  useEffect(() => {
    let active = true;
    api.getUiSettings().then((s) => active && setUi(s), (e: unknown) => active && setNote({ ok: false, error: e as ApiError }));
    api.getDeliverySettings().then((s) => active && setDelivery(s), () => undefined);
    api.getAutostart().then((s) => active && setAutostart(s), () => undefined);
    return () => {
      active = false;
    };
  }, []);

  const noteText = note === null ? "" : note.ok ? t("set.saved") : t("set.error", { message: errorText(note.error) });
  if (!ui) return <div className="view settings" data-testid="view-settings">{noteText}</div>;
  const patch = (p: Partial<UiSettings>) => {
    setUi({ ...ui, ...p });
    setNote(null);
  };
  const patchD = (p: Partial<DeliverySettings>) => delivery && setDelivery({ ...delivery, ...p });
  const toggleSound = (l: Level) =>
    delivery && patchD({ soundLevels: delivery.soundLevels.includes(l) ? delivery.soundLevels.filter((x) => x !== l) : [...delivery.soundLevels, l] });

  const save = async () => {
    try {
      await api.setUiSettings(ui);
      if (delivery) await api.setDeliverySettings(delivery);
      if (autostart !== null) await api.setAutostart(autostart);
      applyAppearance(ui);
      if (isLang(ui.language)) setLang(ui.language);
      setNote({ ok: true });
    } catch (e) {
      setNote({ ok: false, error: e as ApiError });
    }
  };

  const quiet = delivery?.quietHours ?? null;
  return (
    <div className="view settings" data-testid="view-settings">
      <section className="panel form-panel">
        <h2>{t("set.appearance")}</h2>
        <label className="field">
          <span>{t("set.language")}</span>
          <select data-testid="set-language" value={ui.language} onChange={(e) => patch({ language: e.target.value })}>
            <option value="system">{t("set.lang.system")}</option>
            <option value="en">{LANG_LABELS.en}</option>
            <option value="zh-CN">{LANG_LABELS["zh-CN"]}</option>
          </select>
        </label>
        <label className="field">
          <span>{t("set.theme")}</span>
          <select data-testid="set-theme" value={ui.theme} onChange={(e) => patch({ theme: e.target.value })}>
            {(["system", "light", "dark"] as const).map((x) => (
              <option key={x} value={x}>
                {t(`set.theme.${x}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t("set.upColor")}</span>
          <select data-testid="set-upcolor" value={ui.upColor} onChange={(e) => patch({ upColor: e.target.value })}>
            {(["green_up", "red_up"] as const).map((x) => (
              <option key={x} value={x}>
                {t(`set.upColor.${x}`)}
              </option>
            ))}
          </select>
        </label>
      </section>
      {delivery && (
        <section className="panel form-panel">
          <h2>{t("set.notifications")}</h2>
          <label className="check">
            <input
              type="checkbox"
              data-testid="set-quiet"
              checked={quiet !== null}
              onChange={(e) =>
                patchD({
                  quietHours: e.target.checked
                    ? { startMin: 22 * 60, endMin: 7 * 60, utcOffsetMin: -new Date().getTimezoneOffset(), allowCritical: true }
                    : null,
                })
              }
            />
            {t("set.quietHours")}
          </label>
          {quiet && (
            <div className="row">
              <label className="field">
                <span>{t("set.quietFrom")}</span>
                <input type="time" value={minToHhmm(quiet.startMin)} onChange={(e) => patchD({ quietHours: { ...quiet, startMin: hhmmToMin(e.target.value) } })} />
              </label>
              <label className="field">
                <span>{t("set.quietTo")}</span>
                <input type="time" value={minToHhmm(quiet.endMin)} onChange={(e) => patchD({ quietHours: { ...quiet, endMin: hhmmToMin(e.target.value) } })} />
              </label>
              <label className="check">
                <input type="checkbox" checked={quiet.allowCritical} onChange={(e) => patchD({ quietHours: { ...quiet, allowCritical: e.target.checked } })} />
                {t("set.allowCritical")}
              </label>
            </div>
          )}
          <div className="row">
            <label className="field">
              <span>{t("set.stormMax")}</span>
              <input type="number" min={1} value={delivery.stormMax} onChange={(e) => patchD({ stormMax: Number(e.target.value) })} />
            </label>
            <label className="field">
              <span>{t("set.stormWindow")}</span>
              <input type="number" min={1} value={delivery.stormWindowS} onChange={(e) => patchD({ stormWindowS: Number(e.target.value) })} />
            </label>
          </div>
          <fieldset className="levels">
            <legend>{t("set.sounds")}</legend>
            {LEVELS.map((l) => (
              <label key={l} className="check">
                <input type="checkbox" data-testid={`set-sound-${l}`} checked={delivery.soundLevels.includes(l)} onChange={() => toggleSound(l)} />
                {t(`level.${l}`)}
                <button
                  type="button"
                  className="btn small"
                  data-testid={`set-sound-try-${l}`}
                  aria-label={t("set.soundTry", { level: t(`level.${l}`) })}
                  title={t("set.soundTry", { level: t(`level.${l}`) })}
                  onClick={() => appSoundPlayer().play(l)}
                >
                  ▶
                </button>
              </label>
            ))}
          </fieldset>
        </section>
      )}
      <section className="panel form-panel">
        <h2>{t("set.system")}</h2>
        <label className="field">
          <span>{t("set.retention")}</span>
          <input type="number" min={0} data-testid="set-retention" value={ui.retention1mDays} onChange={(e) => patch({ retention1mDays: Number(e.target.value) })} />
        </label>
        <fieldset className="retention-grid" data-testid="set-retention-more">
          <legend>{t("set.retentionOther")}</legend>
          {RETENTION_FIELDS.map(([field, label]) => (
            <label className="field" key={field}>
              <span>{label}</span>
              <input
                type="number"
                min={0}
                data-testid={`set-${field}`}
                value={ui[field]}
                onChange={(e) => {
                  patch({ [field]: Number(e.target.value) });
                }}
              />
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>{t("set.maxDbMb")}</span>
          <input type="number" min={0} data-testid="set-maxDbMb" value={ui.maxDbMb} onChange={(e) => patch({ maxDbMb: Number(e.target.value) })} />
        </label>
        <label className="field">
          <span>{t("set.maxCandles")}</span>
          <input
            type="number"
            min={0}
            data-testid="set-maxCandlesPerSeries"
            value={ui.maxCandlesPerSeries}
            onChange={(e) => patch({ maxCandlesPerSeries: Number(e.target.value) })}
          />
        </label>
        <label className="check">
          <input type="checkbox" checked={ui.localApiEnabled} onChange={(e) => patch({ localApiEnabled: e.target.checked })} />
          {t("set.localApi")} — http://127.0.0.1:{ui.localApiPort}
        </label>
        <label className="field">
          <span>{t("set.localApiPort")}</span>
          <input type="number" data-testid="set-port" value={ui.localApiPort} onChange={(e) => patch({ localApiPort: Number(e.target.value) })} />
        </label>
        {autostart !== null && (
          <label className="check">
            <input
              type="checkbox"
              data-testid="set-autostart"
              checked={autostart}
              onChange={(e) => {
                setAutostart(e.target.checked);
              }}
            />
            {t("set.autostart")}
          </label>
        )}
        <label className="check">
          <input type="checkbox" checked={ui.minimizeToTray} onChange={(e) => patch({ minimizeToTray: e.target.checked })} />
          {t("set.tray")}
        </label>
      </section>
      <div className="save-bar">
        <button type="button" className="btn primary" data-testid="set-save" onClick={() => void save()}>
          {t("set.save")}
        </button>
        {note && (
          <span className={note.ok ? "form-ok" : "form-error"} role={note.ok ? "status" : "alert"} data-testid="set-note">
            {noteText}
          </span>
        )}
      </div>
    </div>
  );
}
