import { useEffect, useState } from "react";
import { api } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { BinanceSettings } from "../bindings/BinanceSettings";
import type { BinanceVenueSettings } from "../bindings/BinanceVenueSettings";
import type { ConnectionTest } from "../bindings/ConnectionTest";
import { useI18n } from "../i18n/I18nProvider";

const TUSHARE = "tushare";

/** Feeds on/off with their settings, and tokens that go to the keyring and never come back. */
export function SourcesView() {
  const { t, errorText } = useI18n();
  const [binance, setBinance] = useState<BinanceSettings | null>(null);
  const [hasToken, setHasToken] = useState<boolean | null>(null);
  const [token, setToken] = useState("");
  const [test, setTest] = useState<ConnectionTest | "running" | null>(null);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    let active = true;
    api.getBinanceSettings().then((s) => active && setBinance(s), () => undefined);
    api.hasSourceToken(TUSHARE).then((h) => active && setHasToken(h), (e: unknown) => active && setNote({ ok: false, text: errorText(e as ApiError) }));
    return () => {
      active = false;
    };
  }, [errorText]);

  const fail = (e: unknown) => setNote({ ok: false, text: t("src.error", { message: errorText(e as ApiError) }) });
  const venue = (key: "usdm" | "spot", v: BinanceVenueSettings) => {
    const set = (p: Partial<BinanceVenueSettings>) => binance && setBinance({ ...binance, [key]: { ...v, ...p } });
    return (
      <fieldset key={key} className="venue" data-testid={`src-${key}`}>
        <legend>{t(key === "usdm" ? "src.binanceUsdm" : "src.binanceSpot")}</legend>
        <label className="check">
          <input type="checkbox" data-testid={`src-${key}-enabled`} checked={v.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          {t("src.enabled")}
        </label>
        <label className="field">
          <span>{t("src.universe")}</span>
          <select value={v.universe} onChange={(e) => set({ universe: e.target.value as BinanceVenueSettings["universe"] })}>
            <option value="top">{t("src.universe.top")}</option>
            <option value="watchlist">{t("src.universe.watchlist")}</option>
          </select>
        </label>
        {v.universe === "top" && (
          <label className="field">
            <span>{t("src.topN")}</span>
            <input type="number" min={1} max={400} value={v.topN} onChange={(e) => set({ topN: Number(e.target.value) })} />
          </label>
        )}
      </fieldset>
    );
  };

  return (
    <div className="view sources" data-testid="view-sources">
      <section className="panel form-panel">
        <h2>{t("src.title")}</h2>
        {binance && (
          <>
            {venue("usdm", binance.usdm)}
            {venue("spot", binance.spot)}
            <button
              type="button"
              className="btn primary"
              data-testid="src-save"
              onClick={() => void api.setBinanceSettings(binance).then(() => setNote({ ok: true, text: t("src.saved") }), fail)}
            >
              {t("src.save")}
            </button>
          </>
        )}
      </section>
      <section className="panel form-panel">
        <h2>{t("src.tushare")}</h2>
        <p data-testid="src-token-state">{hasToken ? t("src.tokenSet") : t("src.tokenUnset")}</p>
        <label className="field">
          <span>{t("src.token")}</span>
          <input
            type="password"
            autoComplete="off"
            data-testid="src-token"
            value={token}
            placeholder={t("src.tokenPlaceholder")}
            onChange={(e) => setToken(e.target.value)}
          />
        </label>
        <div className="row">
          <button
            type="button"
            className="btn primary"
            data-testid="src-token-save"
            disabled={token.trim() === ""}
            onClick={() =>
              void api.setSourceToken(TUSHARE, token).then(() => {
                setToken("");
                setHasToken(true);
                setNote({ ok: true, text: t("src.tokenSet") });
              }, fail)
            }
          >
            {t("src.saveToken")}
          </button>
          {hasToken && (
            <button type="button" className="btn" onClick={() => void api.deleteSourceToken(TUSHARE).then(() => setHasToken(false), fail)}>
              {t("src.deleteToken")}
            </button>
          )}
          <button
            type="button"
            className="btn"
            data-testid="src-test"
            onClick={() => {
              setTest("running");
              api.testSourceConnection(TUSHARE, token.trim() === "" ? null : token).then(setTest, (e: unknown) => {
                setTest(null);
                fail(e);
              });
            }}
          >
            {test === "running" ? t("src.testing") : t("src.test")}
          </button>
        </div>
        {test !== null && test !== "running" && (
          <div className={test.ok ? "form-ok" : "form-error"} data-testid="src-test-result">
            <p>{test.summary}</p>
            <ul>
              {test.checks.map((c) => (
                <li key={c.name}>
                  {c.ok ? "✓" : "✗"} {c.name}: {c.detail}
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>
      {note && (
        <p className={note.ok ? "form-ok" : "form-error"} role={note.ok ? "status" : "alert"}>
          {note.text}
        </p>
      )}
    </div>
  );
}
