import { useEffect, useState } from "react";
import { api } from "../api";
import type { ApiError } from "../bindings/ApiError";
import { useI18n } from "../i18n/I18nProvider";
import { checkSettingsForm, settingsFormOf, type SettingsForm } from "../state/portfolio";

type Note = { ok: true } | { ok: false; error: ApiError };

/**
 * The account currency and the exchange rates given by hand (units of the account currency
 * for one unit of another). Currencies of positions without a rate are offered as new rows.
 */
export function PortfolioSettingsPanel({ missingFx, onSaved }: { missingFx: readonly string[]; onSaved: () => void }) {
  const { t, errorText } = useI18n();
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [note, setNote] = useState<Note | null>(null);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let active = true;
    api.getPortfolioSettings().then(
      (s) => active && setForm(settingsFormOf(s)),
      (e: unknown) => active && setLoadError(e as ApiError),
    );
    return () => {
      active = false;
    };
  }, []);

  if (!form) {
    return loadError ? (
      <p className="form-error" role="alert">
        {t("pf.s.loadError", { message: errorText(loadError) })}
      </p>
    ) : (
      <p className="empty">{t("watchlist.loading")}</p>
    );
  }

  const check = checkSettingsForm(form);
  const edit = (next: SettingsForm) => {
    setForm(next);
    setNote(null);
  };
  const setRow = (i: number, p: Partial<SettingsForm["rates"][number]>) => edit({ ...form, rates: form.rates.map((r, j) => (j === i ? { ...r, ...p } : r)) });
  const account = form.currency.trim().toUpperCase();
  const offered = missingFx.filter((c) => c !== account && !form.rates.some((r) => r.currency.trim().toUpperCase() === c));

  const save = async () => {
    setTried(true);
    if (!check.settings) return;
    setBusy(true);
    try {
      const saved = await api.setPortfolioSettings(check.settings);
      setForm(settingsFormOf(saved));
      setTried(false);
      setNote({ ok: true });
      onSaved();
    } catch (e) {
      setNote({ ok: false, error: e as ApiError });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="pf-settings"
      data-testid="pf-settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label className="field">
        <span>{t("pf.s.currency")}</span>
        <input
          type="text"
          data-testid="pf-set-currency"
          value={form.currency}
          size={6}
          aria-invalid={check.currencyError !== null}
          onChange={(e) => edit({ ...form, currency: e.target.value })}
        />
        {check.currencyError && (
          <small className="pf-field-error" role="alert">
            {t(check.currencyError)}
          </small>
        )}
      </label>
      <h3>{t("pf.s.rates")}</h3>
      <p className="pf-muted pf-hint">{t("pf.s.ratesHint", { account: account || "?" })}</p>
      {form.rates.length === 0 && <p className="pf-muted">{t("pf.s.noRates")}</p>}
      {form.rates.map((r, i) => {
        const err = check.rowErrors[i] ?? null;
        const c = r.currency.trim().toUpperCase() || "?";
        return (
          <div key={i} className="row pf-fx-row" data-testid="pf-fx-row">
            <input
              type="text"
              size={6}
              aria-label={t("pf.s.rateCurrency")}
              data-testid="pf-fx-currency"
              value={r.currency}
              aria-invalid={(tried || r.currency !== "") && err === "pf.err.currency"}
              onChange={(e) => setRow(i, { currency: e.target.value })}
            />
            <span className="pf-muted">{t("pf.s.rateEq", { currency: c, account: account || "?" })}</span>
            <input
              type="text"
              inputMode="decimal"
              size={10}
              aria-label={t("pf.s.rate", { currency: c, account: account || "?" })}
              data-testid="pf-fx-rate"
              value={r.rate}
              aria-invalid={err === "pf.err.fxRate"}
              onChange={(e) => setRow(i, { rate: e.target.value })}
            />
            <span className="pf-muted">{account || "?"}</span>
            <button type="button" className="btn btn-small" aria-label={t("pf.s.removeRate", { currency: c })} onClick={() => edit({ ...form, rates: form.rates.filter((_, j) => j !== i) })}>
              ×
            </button>
            {err && (tried || r.rate !== "" || err === "pf.err.fxDuplicate") && (
              <small className="pf-field-error" role="alert">
                {t(err)}
              </small>
            )}
          </div>
        );
      })}
      <div className="row">
        <button type="button" className="btn btn-small" data-testid="pf-fx-add" onClick={() => edit({ ...form, rates: [...form.rates, { currency: "", rate: "" }] })}>
          {t("pf.s.addRate")}
        </button>
        {offered.map((c) => (
          <button
            type="button"
            key={c}
            className="btn btn-small"
            data-testid="pf-fx-offer"
            title={t("pf.s.offerTitle", { currency: c })}
            onClick={() => edit({ ...form, rates: [...form.rates, { currency: c, rate: "" }] })}
          >
            {t("pf.s.offer", { currency: c })}
          </button>
        ))}
      </div>
      <div className="save-bar">
        <button type="submit" className="btn primary" data-testid="pf-set-save" disabled={busy}>
          {t("pf.s.save")}
        </button>
        {note &&
          (note.ok ? (
            <span className="form-ok" role="status" data-testid="pf-set-ok">
              {t("pf.s.saved")}
            </span>
          ) : (
            <span className="form-error" role="alert" data-testid="pf-set-error">
              {t("pf.s.error", { message: errorText(note.error) })}
            </span>
          ))}
      </div>
    </form>
  );
}
