import { useEffect, useState } from "react";
import { api } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { BinanceSettings } from "../bindings/BinanceSettings";
import type { BinanceVenueSettings } from "../bindings/BinanceVenueSettings";
import type { ConnectionTest } from "../bindings/ConnectionTest";
import type { ReplayStarted } from "../bindings/ReplayStarted";
import { useI18n } from "../i18n/I18nProvider";
import { badLineText, recordingRequest, refusedAt, REPLAY_SPEEDS, speedLabel, startedText, urlSetting, VENUE_DEFAULTS, VENUE_SOURCE, type VenueKey } from "./sourcesModel";

const TUSHARE = "tushare";

/** The answer of a "Test connection", in words: a summary and one line per check. */
function TestResult({ test, testId }: { test: ConnectionTest; testId: string }) {
  return (
    <div className={test.ok ? "form-ok" : "form-error"} data-testid={testId} role="status">
      <p>{test.summary}</p>
      <ul>
        {test.checks.map((c) => (
          <li key={c.name}>
            {c.ok ? "✓" : "✗"} {c.name}: {c.detail}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** "Open recording…": a candle CSV played in the running engine as replay:NAME. */
function RecordingPanel() {
  const { t, errorText } = useI18n();
  const [path, setPath] = useState("");
  const [speed, setSpeed] = useState<number>(60);
  const [state, setState] = useState<
    { kind: "idle" } | { kind: "running" } | { kind: "done"; started: ReplayStarted } | { kind: "error"; text: string; at: ReturnType<typeof refusedAt> }
  >({ kind: "idle" });

  const browse = () => {
    api.chooseRecording(t("src.rec.filter")).then(
      (p) => {
        if (p !== null) setPath(p);
      },
      (e: unknown) => setState({ kind: "error", text: errorText(e as ApiError), at: null }),
    );
  };
  const play = () => {
    const req = recordingRequest(path, speed);
    if (!req.ok) {
      setState({ kind: "error", text: t(req.problem), at: null });
      return;
    }
    setState({ kind: "running" });
    api.openRecording(req.path, req.speed).then(
      (started) => setState({ kind: "done", started }),
      (e: unknown) => {
        const text = errorText(e as ApiError);
        setState({ kind: "error", text, at: refusedAt(text) });
      },
    );
  };

  return (
    <section className="panel form-panel" data-testid="src-recording">
      <h2>{t("src.rec.title")}</h2>
      <p className="hint">{t("src.rec.hint")}</p>
      <div className="row">
        <label className="field grow">
          <span>{t("src.rec.path")}</span>
          <input type="text" data-testid="src-rec-path" value={path} placeholder={t("src.rec.pathPlaceholder")} onChange={(e) => setPath(e.target.value)} />
        </label>
        <button type="button" className="btn" data-testid="src-rec-browse" onClick={browse}>
          {t("src.rec.browse")}
        </button>
      </div>
      <div className="row">
        <label className="field">
          <span>{t("src.rec.speed")}</span>
          <select data-testid="src-rec-speed" value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
            {REPLAY_SPEEDS.map((x) => (
              <option key={x} value={x}>
                {speedLabel(x, t)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn primary" data-testid="src-rec-play" disabled={state.kind === "running"} onClick={play}>
          {state.kind === "running" ? t("src.rec.starting") : t("src.rec.play")}
        </button>
      </div>
      {state.kind === "done" && (
        <div className="form-ok" role="status" data-testid="src-rec-result">
          <p>{startedText(state.started, t)}</p>
          {state.started.badTotal > 0 && (
            <>
              <p>{t("src.rec.badLines", { count: state.started.badTotal })}</p>
              <ul data-testid="src-rec-bad">
                {state.started.badRows.map((b) => (
                  <li key={`${b.line}:${b.column}`}>{badLineText(b, t)}</li>
                ))}
              </ul>
              {state.started.badTotal > state.started.badRows.length && <p>{t("src.rec.moreBad", { count: state.started.badTotal - state.started.badRows.length })}</p>}
            </>
          )}
        </div>
      )}
      {state.kind === "error" && (
        <div className="form-error" role="alert" data-testid="src-rec-error">
          {state.at && <p>{t("src.rec.refusedAt", { line: state.at.line, column: state.at.column, name: state.at.name })}</p>}
          <p>{state.text}</p>
        </div>
      )}
    </section>
  );
}

/** Feeds on/off with their settings, and tokens that go to the keyring and never come back. */
export function SourcesView() {
  const { t, errorText } = useI18n();
  const [binance, setBinance] = useState<BinanceSettings | null>(null);
  const [hasToken, setHasToken] = useState<boolean | null>(null);
  const [token, setToken] = useState("");
  const [test, setTest] = useState<ConnectionTest | "running" | null>(null);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [venueTests, setVenueTests] = useState<Partial<Record<VenueKey, ConnectionTest | "running">>>({});

  useEffect(() => {
    let active = true;
    api.getBinanceSettings().then((s) => active && setBinance(s), () => undefined);
    api.hasSourceToken(TUSHARE).then((h) => active && setHasToken(h), (e: unknown) => active && setNote({ ok: false, text: errorText(e as ApiError) }));
    return () => {
      active = false;
    };
  }, [errorText]);

  const fail = (e: unknown) => setNote({ ok: false, text: t("src.error", { message: errorText(e as ApiError) }) });
  const venue = (key: VenueKey, v: BinanceVenueSettings) => {
    const set = (p: Partial<BinanceVenueSettings>) => binance && setBinance({ ...binance, [key]: { ...v, ...p } });
    const vt = venueTests[key];
    const testVenue = () => {
      setVenueTests((m) => ({ ...m, [key]: "running" }));
      api.testBinanceConnection(VENUE_SOURCE[key], v).then(
        (res) => setVenueTests((m) => ({ ...m, [key]: res })),
        (e: unknown) => {
          setVenueTests((m) => ({ ...m, [key]: undefined }));
          fail(e);
        },
      );
    };
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
        <label className="field">
          <span>{t("src.restUrl")}</span>
          <input
            type="url"
            data-testid={`src-${key}-rest`}
            value={v.restUrl ?? ""}
            placeholder={VENUE_DEFAULTS[key].rest}
            onChange={(e) => set({ restUrl: urlSetting(e.target.value) })}
          />
        </label>
        <label className="field">
          <span>{t("src.wsUrl")}</span>
          <input
            type="url"
            data-testid={`src-${key}-ws`}
            value={v.wsUrl ?? ""}
            placeholder={VENUE_DEFAULTS[key].ws}
            onChange={(e) => set({ wsUrl: urlSetting(e.target.value) })}
          />
        </label>
        <button type="button" className="btn" data-testid={`src-${key}-test`} disabled={vt === "running"} onClick={testVenue}>
          {vt === "running" ? t("src.testing") : t("src.test")}
        </button>
        {vt !== undefined && vt !== "running" && <TestResult test={vt} testId={`src-${key}-test-result`} />}
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
        {test !== null && test !== "running" && <TestResult test={test} testId="src-test-result" />}
      </section>
      <RecordingPanel />
      {note && (
        <p className={note.ok ? "form-ok" : "form-error"} role={note.ok ? "status" : "alert"}>
          {note.text}
        </p>
      )}
    </div>
  );
}
