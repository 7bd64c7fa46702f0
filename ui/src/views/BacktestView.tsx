import { useEffect, useState, type SyntheticEvent } from "react";
import { api } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { Interval } from "../bindings/Interval";
import type { StrategyBacktestRequest } from "../bindings/StrategyBacktestRequest";
import type { StrategyMode } from "../bindings/StrategyMode";
import type { StrategyReport } from "../bindings/StrategyReport";
import type { StrategyTemplate } from "../bindings/StrategyTemplate";
import type { TradeRecord } from "../bindings/TradeRecord";
import type { WatchRow } from "../bindings/WatchRow";
import { exchangeTimeZone, zoneLabel } from "../chart/timeFormat";
import { ErrorNote } from "../components/ErrorNote";
import { directionOf, formatDateTime, formatPrice } from "../i18n/format";
import { useI18n } from "../i18n/I18nProvider";
import { DateRangeFields, SymbolField } from "../components/BacktestFields";
import type { MessageKey } from "../i18n/messages";
import { formatAmount, formatFrac, formatNumber, formatRatio, parseField, windowOf, type FieldProblem } from "../state/backtest";
import { useStoredWindow } from "../state/useStoredWindow";
import { symbolCode } from "../state/watchlist";
import { BacktestChart } from "./BacktestChart";
import "./backtest.css";

/** The template keys the app has words for (`strategy_templates` may add others: shown by name). */
export const TEMPLATE_KEYS = ["dual_ma", "macd_cross", "rsi_reversal", "momentum", "mean_reversion"] as const;
type TemplateKey = (typeof TEMPLATE_KEYS)[number];
const isKnown = (k: string): k is TemplateKey => (TEMPLATE_KEYS as readonly string[]).includes(k);

const INTERVALS: readonly Interval[] = ["1m", "5m", "15m", "1h", "4h", "1d"];
/** Trades listed (the newest); the figures count them all. */
export const TRADES_SHOWN = 500;

interface Params {
  fees: string;
  slippage: string;
  size: string;
  capital: string;
  stopLoss: string;
  takeProfit: string;
}

/** A template's stop or target as the field shows it (the engine sends `null` for none). */
const pctText = (x: number | null | undefined) => (x === undefined || x === null ? "" : String(x));

function paramsOf(tpl: StrategyTemplate | undefined, keep?: Params): Params {
  const s = tpl?.spec;
  return {
    fees: keep?.fees ?? String(s?.fees_bps ?? 0),
    slippage: keep?.slippage ?? String(s?.slippage_bps ?? 0),
    size: keep?.size ?? String((s?.position_size ?? 1) * 100),
    capital: keep?.capital ?? String(s?.initial_capital ?? 10_000),
    // Stops and targets belong to the template: they follow it.
    stopLoss: pctText(s?.stop_loss_pct),
    takeProfit: pctText(s?.take_profit_pct),
  };
}

type Run = { kind: "idle" } | { kind: "running" } | { kind: "done"; report: StrategyReport; symbol: string; name: string } | { kind: "error"; error: ApiError };

/**
 * The strategy backtest: a ready template (dual moving average, MACD cross …) over the stored
 * history of one symbol, with the user's positions, costs and sizing, through the engine's
 * `backtest_strategy`; then its figures, equity and drawdown chart, and trades.
 */
export function BacktestView({ rows, defaultSymbol }: { rows: readonly WatchRow[]; defaultSymbol: string | null }) {
  const { t, locale } = useI18n();
  const [templates, setTemplates] = useState<StrategyTemplate[] | null>(null);
  const [templatesError, setTemplatesError] = useState<ApiError | null>(null);
  const [loads, setLoads] = useState(0);
  const [key, setKey] = useState<string>("dual_ma");
  const [picked, setPicked] = useState<string | null>(null);
  const [interval, setInterval] = useState<Interval>("1m");
  const [mode, setMode] = useState<StrategyMode>("long_only");
  const [params, setParams] = useState<Params | null>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [run, setRun] = useState<Run>({ kind: "idle" });

  useEffect(() => {
    let active = true;
    api.strategyTemplates().then(
      (ts) => {
        if (!active) return;
        setTemplates(ts);
        setTemplatesError(null);
      },
      (e: unknown) => {
        if (active) setTemplatesError(e as ApiError);
      },
    );
    return () => {
      active = false;
    };
  }, [loads]);

  const tpl = templates?.find((x) => x.key === key) ?? templates?.[0];
  const shownParams = params ?? paramsOf(tpl);
  const setParam = (k: keyof Params, v: string) => {
    setParams({ ...shownParams, [k]: v });
  };
  const pickTemplate = (k: string) => {
    setKey(k);
    setParams(paramsOf(templates?.find((x) => x.key === k), shownParams));
  };
  const nameOf = (x: StrategyTemplate) => (isKnown(x.key) ? t(`bt.tpl.${x.key}`) : x.spec.name);

  const rowSymbols = rows.map((r) => r.symbol);
  const symbol = picked ?? defaultSymbol ?? rowSymbols[0] ?? "";
  const symbolOptions = symbol !== "" && !rowSymbols.includes(symbol) ? [symbol, ...rowSymbols] : rowSymbols;
  const { end, dates, setDates } = useStoredWindow(symbol, interval);

  const submit = (e: SyntheticEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!tpl || run.kind === "running") return;
    const p = shownParams;
    const fees = parseField(p.fees, t("bt.fees"), { min: 0, max: 1000 });
    const slippage = parseField(p.slippage, t("bt.slippage"), { min: 0, max: 1000 });
    const size = parseField(p.size, t("bt.size"), { min: 0, max: 100, above: true });
    const capital = parseField(p.capital, t("bt.capital"), { min: 0, above: true });
    const stop = parseField(p.stopLoss, t("bt.stopLoss"), { min: 0, max: 100, above: true, optional: true });
    const target = parseField(p.takeProfit, t("bt.takeProfit"), { min: 0, max: 10_000, above: true, optional: true });
    const found: FieldProblem[] = [fees, slippage, size, capital, stop, target].flatMap((f) => (f.problem ? [f.problem] : []));
    if (symbol === "") found.unshift({ key: "bt.err.symbol", vars: {} });
    const w = windowOf(dates.from, dates.to);
    if (w === null) found.push({ key: "bt.err.dates", vars: {} });
    setProblems(found);
    if (found.length > 0 || w === null) return;
    // The template's stop and target are replaced by the fields' (blank: none).
    const spec = { ...tpl.spec };
    delete spec.stop_loss_pct;
    delete spec.take_profit_pct;
    const request: StrategyBacktestRequest = {
      strategy: {
        ...spec,
        mode,
        fees_bps: fees.value ?? 0,
        slippage_bps: slippage.value ?? 0,
        position_size: (size.value ?? 100) / 100,
        initial_capital: capital.value ?? 10_000,
        ...(stop.value !== null ? { stop_loss_pct: stop.value } : {}),
        ...(target.value !== null ? { take_profit_pct: target.value } : {}),
      },
      symbol,
      interval,
      from: w.from,
      to: w.to,
    };
    const name = nameOf(tpl);
    setRun({ kind: "running" });
    api.backtestStrategy(request).then(
      (report) => setRun({ kind: "done", report, symbol, name }),
      (err: unknown) => setRun({ kind: "error", error: err as ApiError }),
    );
  };

  const invalid = (label: MessageKey) => problems.some((p) => p.vars.field === t(label));
  const numberField = (k: keyof Params, label: MessageKey, testId: string, optional = false) => (
    <label className="bt-field">
      <span>
        {t(label)}
        {optional && <small className="hint"> ({t("bt.optional")})</small>}
      </span>
      <input type="text" inputMode="decimal" data-testid={testId} value={shownParams[k]} aria-invalid={invalid(label)} onChange={(e) => setParam(k, e.target.value)} />
    </label>
  );

  return (
    <main className="view backtest-view" data-testid="view-backtest">
      <section className="panel" aria-labelledby="bt-title">
        <div className="panel-head">
          <h2 id="bt-title">{t("bt.view.title")}</h2>
        </div>
        <div className="bt-body">
          <p className="hint">{t("bt.view.hint")}</p>
          {templatesError && <ErrorNote error={templatesError} textKey="bt.templatesError" onRetry={() => setLoads((n) => n + 1)} />}
          <form className="bt-form" data-testid="bt-form" noValidate onSubmit={submit}>
            <div className="bt-controls">
              <label className="bt-field wide">
                <span>{t("bt.template")}</span>
                <select data-testid="bt-template" value={tpl?.key ?? ""} disabled={!templates} onChange={(e) => pickTemplate(e.target.value)}>
                  {(templates ?? []).map((x) => (
                    <option key={x.key} value={x.key}>
                      {nameOf(x)}
                    </option>
                  ))}
                </select>
              </label>
              <SymbolField prefix="bt" symbol={symbol} options={symbolOptions} onChange={setPicked} />
              <label className="bt-field">
                <span>{t("bt.interval")}</span>
                <select data-testid="bt-interval" value={interval} onChange={(e) => setInterval(e.target.value as Interval)}>
                  {INTERVALS.map((i) => (
                    <option key={i} value={i}>
                      {t(`interval.${i}`)}
                    </option>
                  ))}
                </select>
              </label>
              <DateRangeFields prefix="bt" dates={dates} onChange={setDates} />
            </div>
            {tpl && <p className="bt-desc">{isKnown(tpl.key) ? t(`bt.tplDesc.${tpl.key}`) : tpl.spec.name}</p>}
            <div className="bt-controls">
              <fieldset className="bt-radios">
                <legend>{t("bt.mode")}</legend>
                {(["long_only", "long_short"] as const).map((m) => (
                  <label key={m}>
                    <input type="radio" name="bt-mode" data-testid={`bt-mode-${m}`} value={m} checked={mode === m} onChange={() => setMode(m)} />
                    {t(`bt.mode.${m}`)}
                  </label>
                ))}
              </fieldset>
              {numberField("fees", "bt.fees", "bt-fees")}
              {numberField("slippage", "bt.slippage", "bt-slippage")}
              {numberField("size", "bt.size", "bt-size")}
              {numberField("capital", "bt.capital", "bt-capital")}
              {numberField("stopLoss", "bt.stopLoss", "bt-stop-loss", true)}
              {numberField("takeProfit", "bt.takeProfit", "bt-take-profit", true)}
              <button type="submit" className="btn primary" data-testid="bt-run" disabled={!tpl || run.kind === "running"}>
                {run.kind === "running" ? t("bt.running") : t("bt.run")}
              </button>
            </div>
            <p className="hint">
              {end.kind === "last"
                ? t("bt.lastBar", { symbol: symbolCode(symbol), time: formatDateTime(locale, end.time) })
                : end.kind === "none" && symbol !== ""
                  ? t("bt.noHistory", { symbol: symbolCode(symbol), interval: t(`interval.${interval}`) })
                  : t("bt.datesHint")}
            </p>
            {problems.length > 0 && (
              <ul className="form-error bt-errors" role="alert" data-testid="bt-problems">
                {problems.map((p, i) => (
                  <li key={i}>{t(p.key, p.vars)}</li>
                ))}
              </ul>
            )}
            {run.kind === "error" && <ErrorNote error={run.error} textKey="bt.error" />}
          </form>
        </div>
      </section>
      {run.kind === "done" && <Results report={run.report} symbol={run.symbol} name={run.name} />}
    </main>
  );
}

/** Below this many days an annualised return is arithmetic noise (+11 % in a day compounds to
 * billions of per cent), so the card says the window is too short instead. */
const MIN_ANNUALISED_DAYS = 30;

function Results({ report, symbol, name }: { report: StrategyReport; symbol: string; name: string }) {
  const { t, locale } = useI18n();
  const tz = exchangeTimeZone(symbol);
  const time = (ms: number) => formatDateTime(locale, ms, tz);
  const periods = formatNumber(locale, report.periodsPerYear);
  // The window's length in days, from its bar count and the bars a year measured from the data.
  const days = report.periodsPerYear > 0 ? (report.bars / report.periodsPerYear) * 365 : 0;
  const fig = (id: string, label: MessageKey, value: string, opts: { cls?: string; title?: string } = {}) => (
    <div title={opts.title}>
      <dt>
        {t(label)}
        {opts.title !== undefined && (
          <>
            {" "}
            <span className="bt-info" aria-hidden="true">
              i
            </span>
          </>
        )}
      </dt>
      <dd data-testid={`bt-fig-${id}`} className={opts.cls}>
        {value}
      </dd>
    </div>
  );
  return (
    <>
      <section className="panel" aria-labelledby="bt-results-title" data-testid="bt-results">
        <div className="panel-head">
          <h2 id="bt-results-title">{t("bt.fig.title")}</h2>
        </div>
        <div className="bt-body">
          <p className="hint" data-testid="bt-summary">
            {t("bt.summary", { name, symbol, bars: formatNumber(locale, report.bars), interval: t(`interval.${report.interval}`), from: time(report.from), to: time(report.to) })}
          </p>
          <dl className="bt-figures" data-testid="bt-figures">
            {fig("total-return", "bt.fig.totalReturn", formatFrac(locale, report.totalReturn, true), { cls: directionOf(report.totalReturn) })}
            {days < MIN_ANNUALISED_DAYS
              ? fig("annual-return", "bt.fig.annualReturn", t("bt.fig.tooShort"), {
                  cls: "muted",
                  title: t("bt.fig.tooShortTitle", { days: formatNumber(locale, Math.round(days * 10) / 10), min: MIN_ANNUALISED_DAYS }),
                })
              : fig("annual-return", "bt.fig.annualReturn", formatFrac(locale, report.annualReturn, true), {
                  cls: directionOf(report.annualReturn),
                  title: t("bt.fig.annualTitle", { periods }),
                })}
            {fig("volatility", "bt.fig.volatility", formatFrac(locale, report.volatility), { title: t("bt.fig.annualTitle", { periods }) })}
            {fig("sharpe", "bt.fig.sharpe", formatRatio(locale, report.sharpe), { title: t("bt.fig.annualTitle", { periods }) })}
            {fig("sortino", "bt.fig.sortino", formatRatio(locale, report.sortino), { title: t("bt.fig.sortinoTitle", { periods }) })}
            {fig("max-drawdown", "bt.fig.maxDrawdown", formatFrac(locale, report.maxDrawdown))}
            {fig("win-rate", "bt.fig.winRate", formatFrac(locale, report.winRate, false, 1), { title: t("bt.fig.winRateTitle") })}
            {fig("profit-factor", "bt.fig.profitFactor", formatRatio(locale, report.profitFactor), { title: t("bt.fig.profitFactorTitle") })}
            {fig("exposure", "bt.fig.exposure", formatFrac(locale, report.exposure, false, 1), { title: t("bt.fig.exposureTitle") })}
            {fig("trades", "bt.fig.trades", formatNumber(locale, report.trades.length))}
            {fig("fees", "bt.fig.fees", formatAmount(locale, report.feesPaid))}
            {fig("final-equity", "bt.fig.finalEquity", formatAmount(locale, report.finalEquity), { cls: directionOf(report.finalEquity - report.initialCapital) })}
          </dl>
          <BacktestChart equity={report.equity} timeZone={tz} />
        </div>
      </section>
      <Trades trades={report.trades} tz={tz} />
    </>
  );
}

function Trades({ trades, tz }: { trades: readonly TradeRecord[]; tz: string | undefined }) {
  const { t, locale } = useI18n();
  const shown = trades.slice(-TRADES_SHOWN).reverse();
  const zone = zoneLabel(locale, tz, trades[0]?.entryTime ?? 0);
  const time = (ms: number) => formatDateTime(locale, ms, tz);
  return (
    <section className="panel" aria-labelledby="bt-trades-title">
      <div className="panel-head">
        <h2 id="bt-trades-title">{t("bt.trades.title")}</h2>
        <span className="count">{trades.length > 0 ? formatNumber(locale, trades.length) : ""}</span>
      </div>
      <div className="bt-body">
        {trades.length === 0 ? (
          <p className="empty" data-testid="bt-no-trades">
            {t("bt.trades.none")}
          </p>
        ) : (
          <>
            {trades.length > shown.length && <p className="hint">{t("bt.trades.more", { shown: shown.length, count: trades.length })}</p>}
            <div className="bt-table-wrap">
              <table className="history bt-table" data-testid="bt-trades">
                <thead>
                  <tr>
                    <th>{t("bt.col.entry", { zone })}</th>
                    <th>{t("bt.col.exit")}</th>
                    <th>{t("bt.col.side")}</th>
                    <th className="num">{t("bt.col.entryPrice")}</th>
                    <th className="num">{t("bt.col.exitPrice")}</th>
                    <th className="num">{t("bt.col.return")}</th>
                    <th className="num">{t("bt.col.pnl")}</th>
                    <th>{t("bt.col.reason")}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((x, i) => (
                    <tr key={`${x.entryTime}-${i}`} data-testid="bt-trade" data-side={x.side}>
                      <td className="bt-time">{time(x.entryTime)}</td>
                      <td className="bt-time">{time(x.exitTime)}</td>
                      <td>{x.side === "short" ? t("bt.side.short") : t("bt.side.long")}</td>
                      <td className="num">{formatPrice(locale, x.entryPrice)}</td>
                      <td className="num">{formatPrice(locale, x.exitPrice)}</td>
                      <td className={`num ${directionOf(x.returnPct)}`} data-testid="bt-trade-return">
                        {formatFrac(locale, x.returnPct, true)}
                      </td>
                      <td className={`num ${directionOf(x.pnl)}`} data-testid="bt-trade-pnl">
                        {formatAmount(locale, x.pnl, true)}
                      </td>
                      <td>{t(`bt.reason.${x.exitReason}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </div>
    </section>
  );
}
