import { useId, useState } from "react";
import { api } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { Direction } from "../bindings/Direction";
import type { RuleBacktestReport } from "../bindings/RuleBacktestReport";
import type { RuleFire } from "../bindings/RuleFire";
import type { RuleSpec } from "../bindings/RuleSpec";
import { exchangeTimeZone, zoneLabel } from "../chart/timeFormat";
import { directionOf, formatDateTime, formatPrice } from "../i18n/format";
import { useI18n } from "../i18n/I18nProvider";
import { DateRangeFields, SymbolField } from "./BacktestFields";
import { formatFrac, formatNumber, windowOf } from "../state/backtest";
import { useStoredWindow } from "../state/useStoredWindow";
import { symbolCode } from "../state/watchlist";
import "../views/backtest.css";

/** Fires listed under the figures (the newest); the figures count them all. */
export const FIRES_SHOWN = 200;

type State =
  | { kind: "idle" }
  | { kind: "running" }
  | { kind: "done"; report: RuleBacktestReport; ran: string }
  | { kind: "error"; error: ApiError };

/**
 * The rule editor's backtest: the rule being edited (saved or not: `spec`, null while the form
 * does not hold a valid rule) over the stored history of one symbol, through the engine's
 * `backtest_rules` (the live series and rule code on a manual clock). Runs on request.
 */
export function RuleBacktestBox({ spec, symbols, defaultSymbol }: { spec: RuleSpec | null; symbols: readonly string[]; defaultSymbol: string }) {
  const { t, locale, errorText } = useI18n();
  const id = useId();
  const [picked, setPicked] = useState<string | null>(null);
  const [direction, setDirection] = useState<Direction>("up");
  const [state, setState] = useState<State>({ kind: "idle" });
  const [problem, setProblem] = useState<string | null>(null);
  const symbol = picked ?? defaultSymbol;
  const { end, dates, setDates } = useStoredWindow(symbol, "1m");
  const specKey = spec === null ? "" : JSON.stringify(spec);
  const options = symbol !== "" && !symbols.includes(symbol) ? [symbol, ...symbols] : symbols;

  const run = () => {
    if (spec === null) return;
    if (symbol === "") {
      setProblem(t("bt.err.symbol"));
      return;
    }
    const w = windowOf(dates.from, dates.to);
    if (w === null) {
      setProblem(t("bt.err.dates"));
      return;
    }
    setProblem(null);
    setState({ kind: "running" });
    const ran = `${specKey}|${symbol}|${w.from}|${w.to}|${direction}`;
    api.backtestRules({ rules: [spec], symbols: [symbol], from: w.from, to: w.to, direction }).then(
      (report) => setState({ kind: "done", report, ran }),
      (e: unknown) => setState({ kind: "error", error: e as ApiError }),
    );
  };

  const w = windowOf(dates.from, dates.to);
  const current = `${specKey}|${symbol}|${w?.from ?? ""}|${w?.to ?? ""}|${direction}`;
  const stale = state.kind === "done" && state.ran !== current;

  return (
    <section className="rule-backtest" aria-labelledby={`${id}-title`} data-testid="rule-backtest">
      <h4 id={`${id}-title`}>{t("bt.rule.title")}</h4>
      <p className="hint">{t("bt.rule.hint")}</p>
      <div className="bt-controls">
        <SymbolField prefix="rbt" symbol={symbol} options={options} onChange={setPicked} />
        <DateRangeFields prefix="rbt" dates={dates} onChange={setDates} />
        <label className="bt-field">
          <span>{t("bt.rule.direction")}</span>
          <select data-testid="rbt-direction" value={direction} onChange={(e) => setDirection(e.target.value as Direction)}>
            <option value="up">{t("bt.rule.direction.up")}</option>
            <option value="down">{t("bt.rule.direction.down")}</option>
          </select>
        </label>
        <button type="button" className="btn primary" data-testid="rbt-run" disabled={spec === null || state.kind === "running"} onClick={run}>
          {state.kind === "running" ? t("bt.running") : t("bt.run")}
        </button>
      </div>
      <p className="hint">
        {end.kind === "last"
          ? t("bt.lastBar", { symbol: symbolCode(symbol), time: formatDateTime(locale, end.time) })
          : end.kind === "none" && symbol !== ""
            ? t("bt.noHistory", { symbol: symbolCode(symbol), interval: t("interval.1m") })
            : t("bt.datesHint")}
      </p>
      {spec === null && (
        <p className="hint" data-testid="rbt-need-rule">
          {t("bt.rule.needRule")}
        </p>
      )}
      {problem !== null && (
        <p className="form-error" role="alert" data-testid="rbt-error">
          {problem}
        </p>
      )}
      {state.kind === "error" && (
        <p className="form-error" role="alert" data-testid="rbt-error" data-code={state.error.code}>
          {t("bt.error", { message: errorText(state.error) })}
        </p>
      )}
      {state.kind === "done" && <RuleBacktestResult report={state.report} stale={stale} />}
    </section>
  );
}

function RuleBacktestResult({ report, stale }: { report: RuleBacktestReport; stale: boolean }) {
  const { t, locale } = useI18n();
  const s = report.rules[0];
  const dir = report.direction;
  const fires = report.fires;
  const shown = fires.slice(-FIRES_SHOWN).reverse();
  const tz = exchangeTimeZone(fires[0]?.symbol ?? report.symbols[0]);
  const zone = zoneLabel(locale, tz, report.to);
  const fmtTime = (ms: number) => formatDateTime(locale, ms, tz);
  const fwd = (x: number | null) => <span className={directionOf(x)}>{formatFrac(locale, x, true)}</span>;
  return (
    <div className={`bt-result${stale ? " stale" : ""}`} data-testid="rbt-result" data-stale={stale}>
      {stale && (
        <p className="hint" data-testid="rbt-stale">
          {t("bt.rule.stale")}
        </p>
      )}
      <p className="hint">
        {t("bt.window", {
          bars: formatNumber(locale, report.bars),
          from: fmtTime(report.from),
          to: fmtTime(report.to),
          days: formatNumber(locale, report.days, 1),
        })}
      </p>
      {s?.skipped != null && (
        <p className="form-error" role="alert" data-testid="rbt-skipped">
          {t("bt.rule.skipped", { reason: s.skipped })}
        </p>
      )}
      {s !== undefined && (
        <dl className="bt-figures rbt-figures" data-testid="rbt-figures">
          <div>
            <dt>{t("bt.rule.fires")}</dt>
            <dd data-testid="rbt-fires">{formatNumber(locale, s.fires)}</dd>
          </div>
          <div>
            <dt>{t("bt.rule.perDay")}</dt>
            <dd data-testid="rbt-per-day">{formatNumber(locale, s.alertsPerDay, 2)}</dd>
          </div>
          <div title={t(dir === "down" ? "bt.rule.hitDef.down" : "bt.rule.hitDef.up", { hits: s.hits, scored: s.scored })} data-testid="rbt-hit-def">
            <dt>
              {t("bt.rule.hitRate")} <span className="bt-info" aria-hidden="true">i</span>
            </dt>
            <dd data-testid="rbt-hit-rate">{formatFrac(locale, s.hitRate, false, 1)}</dd>
          </div>
          {([1, 5, 20] as const).map((n) => (
            <div key={n} title={t("bt.fwdTitle", { n })}>
              <dt>
                {t("bt.rule.meanFwd")} {t(`bt.rule.fwd${n}`)}
              </dt>
              <dd data-testid={`rbt-mean-fwd${n}`}>{fwd(n === 1 ? s.meanFwd1 : n === 5 ? s.meanFwd5 : s.meanFwd20)}</dd>
            </div>
          ))}
        </dl>
      )}
      {s !== undefined && s.paused > 0 && <p className="hint">{t("bt.rule.paused", { count: s.paused })}</p>}
      {fires.length === 0 ? (
        s?.skipped == null && <p className="hint" data-testid="rbt-none">{t("bt.rule.none")}</p>
      ) : (
        <>
          <h5 className="bt-sub">{t("bt.rule.list")}</h5>
          {fires.length > shown.length && <p className="hint">{t("bt.rule.more", { shown: shown.length, count: fires.length })}</p>}
          <div className="bt-table-wrap">
            <table className="history bt-table" data-testid="rbt-fire-list">
              <thead>
                <tr>
                  <th>{t("bt.col.time", { zone })}</th>
                  {report.symbols.length > 1 && <th>{t("bt.symbol")}</th>}
                  <th className="num">{t("bt.col.price")}</th>
                  {([1, 5, 20] as const).map((n) => (
                    <th key={n} className="num" title={t("bt.fwdTitle", { n })}>
                      {t(`bt.rule.fwd${n}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {shown.map((f: RuleFire, i) => (
                  <tr key={`${f.symbol}-${f.firedAt}-${i}`} data-testid="rbt-fire" data-time={f.firedAt}>
                    <td className="bt-time">{fmtTime(f.firedAt)}</td>
                    {report.symbols.length > 1 && <td>{symbolCode(f.symbol)}</td>}
                    <td className="num">{formatPrice(locale, f.price)}</td>
                    <td className="num" data-testid="rbt-fwd1">
                      {fwd(f.fwd1)}
                    </td>
                    <td className="num" data-testid="rbt-fwd5">
                      {fwd(f.fwd5)}
                    </td>
                    <td className="num" data-testid="rbt-fwd20">
                      {fwd(f.fwd20)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
