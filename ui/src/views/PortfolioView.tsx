import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { Holding } from "../bindings/Holding";
import type { PortfolioView as Portfolio } from "../bindings/PortfolioView";
import type { PositionRow } from "../bindings/PositionRow";
import type { RuleRecord } from "../bindings/RuleRecord";
import type { RuleSpec } from "../bindings/RuleSpec";
import { ErrorNote } from "../components/ErrorNote";
import { directionOf, formatCount, formatPct, formatTime } from "../i18n/format";
import { useI18n } from "../i18n/I18nProvider";
import { PortfolioChart } from "./PortfolioChart";
import { PortfolioLots } from "./PortfolioLots";
import { PortfolioPresets } from "./PortfolioPresets";
import { PortfolioSettingsPanel } from "./PortfolioSettingsPanel";
import { formatMoney, formatPlainPct, formatQuantity, formatRatio, formatUnitPrice } from "./portfolioFormat";
import "./portfolio.css";

/** How often the live figures are fetched while the view is open and the window visible. */
export const PORTFOLIO_REFRESH_MS = 3000;

/**
 * The portfolio as the engine prices it, fetched now, every `everyMs` while the document is
 * visible (one request at a time), and again at once when the window comes back.
 */
function usePortfolio(everyMs: number) {
  const [data, setData] = useState<Portfolio | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const busy = useRef(false);
  /** A reload asked for while one was under way (after a change): run it when that one ends. */
  const again = useRef(false);
  const alive = useRef(true);

  const reload = useCallback(() => {
    if (busy.current) {
      again.current = true;
      return;
    }
    busy.current = true;
    const run = () => {
      again.current = false;
      void api
        .getPortfolio()
        .then(
          (p) => {
            if (!alive.current) return;
            setData(p);
            setError(null);
          },
          (e: unknown) => {
            if (alive.current) setError(e as ApiError);
          },
        )
        .finally(() => {
          if (again.current && alive.current) run();
          else busy.current = false;
        });
    };
    run();
  }, []);

  useEffect(() => {
    alive.current = true;
    reload();
    const timer = setInterval(() => {
      if (!document.hidden) reload();
    }, everyMs);
    const onVisible = () => {
      if (!document.hidden) reload();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      alive.current = false;
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [everyMs, reload]);

  return { data, error, reload };
}

/** The portfolio: summary, positions, risk with the value chart, lots, risk rules, settings. */
export function PortfolioView({
  onCreateRule,
  onOpen,
  canOpen,
}: {
  /** Stores a rule (the app's rule list follows). */
  onCreateRule: (spec: RuleSpec) => Promise<RuleRecord>;
  /** Opens a symbol's chart. */
  onOpen?: (symbol: string) => void;
  /** Whether the chart can show the symbol (it is on a watchlist). */
  canOpen?: (symbol: string) => boolean;
}) {
  const { t } = useI18n();
  const { data, error, reload } = usePortfolio(PORTFOLIO_REFRESH_MS);
  const [holdings, setHoldings] = useState<Holding[]>([]);
  const [holdingsError, setHoldingsError] = useState<ApiError | null>(null);

  const loadHoldings = useCallback(() => {
    api.listHoldings().then(
      (h) => {
        setHoldings(h);
        setHoldingsError(null);
      },
      (e: unknown) => setHoldingsError(e as ApiError),
    );
  }, []);
  useEffect(loadHoldings, [loadHoldings]);

  /** After a lot or the settings changed: the lots and the figures again. */
  const changed = useCallback(() => {
    loadHoldings();
    reload();
  }, [loadHoldings, reload]);

  const held = [...new Set(holdings.map((h) => h.symbol))];
  const missingFx = [...new Set((data?.positions ?? []).filter((p) => p.fx === null).map((p) => p.currency))];

  return (
    <div className="view portfolio" data-testid="view-portfolio">
      {error && <ErrorNote error={error} textKey="pf.loadError" onRetry={reload} />}
      {data && <Summary data={data} />}
      <section className="panel pf-wide" aria-labelledby="pf-positions-title">
        <div className="panel-head">
          <h2 id="pf-positions-title">{t("pf.positions")}</h2>
          <span className="count">{data && data.positions.length > 0 ? data.positions.length : ""}</span>
        </div>
        {data === null ? (
          <p className="empty">{t("watchlist.loading")}</p>
        ) : data.positions.length === 0 ? (
          <p className="empty" data-testid="pf-empty">
            {t("pf.noPositions")}
          </p>
        ) : (
          <Positions data={data} onOpen={onOpen} canOpen={canOpen} />
        )}
      </section>
      <section className="panel card" aria-labelledby="pf-risk-title">
        <h2 id="pf-risk-title">{t("pf.risk")}</h2>
        {data && <RiskFigures data={data} />}
        <PortfolioChart history={data?.history ?? []} currency={data?.currency ?? ""} />
      </section>
      <section className="panel card pf-span2" aria-labelledby="pf-lots-title">
        <h2 id="pf-lots-title">{t("pf.lots")}</h2>
        {holdingsError && <ErrorNote error={holdingsError} textKey="pf.lotsLoadError" onRetry={loadHoldings} />}
        <PortfolioLots holdings={holdings} onChanged={changed} />
      </section>
      <section className="panel card pf-span2" aria-labelledby="pf-presets-title">
        <h2 id="pf-presets-title">{t("pf.presets")}</h2>
        <PortfolioPresets held={held} onCreateRule={onCreateRule} />
      </section>
      <section className="panel card" aria-labelledby="pf-settings-title">
        <h2 id="pf-settings-title">{t("pf.settings")}</h2>
        <PortfolioSettingsPanel missingFx={missingFx} onSaved={changed} />
      </section>
    </div>
  );
}

function Summary({ data }: { data: Portfolio }) {
  const { t, locale } = useI18n();
  const c = data.currency;
  return (
    <section className="pf-summary pf-wide" data-testid="pf-summary" aria-label={t("pf.summary")}>
      <div className="pf-card">
        <span className="pf-label">{t("pf.value")}</span>
        <span className="pf-big" data-testid="pf-total-value">
          {formatMoney(locale, data.value, c)}
        </span>
        <span className="pf-muted">{t("pf.asOf", { time: formatTime(locale, data.asOf) })}</span>
      </div>
      <div className="pf-card">
        <span className="pf-label">{t("pf.dayPnl")}</span>
        <span className={`pf-big ${directionOf(data.dayPnl)}`} data-testid="pf-total-day">
          {formatMoney(locale, data.dayPnl, c, true)}
        </span>
        <span className={directionOf(data.dayPnlPct)}>{formatPct(locale, data.dayPnlPct)}</span>
      </div>
      <div className="pf-card">
        <span className="pf-label">{t("pf.totalPnl")}</span>
        <span className={`pf-big ${directionOf(data.totalPnl)}`} data-testid="pf-total-pnl">
          {formatMoney(locale, data.totalPnl, c, true)}
        </span>
        <span className={directionOf(data.totalPnlPct)}>{formatPct(locale, data.totalPnlPct)}</span>
      </div>
      {data.warnings.length > 0 && (
        <div className="pf-warnings" role="status" data-testid="pf-warnings">
          <strong>{t("pf.warnings")}</strong>
          <ul>
            {data.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function Positions({ data, onOpen, canOpen }: { data: Portfolio; onOpen?: (s: string) => void; canOpen?: (s: string) => boolean }) {
  const { t, locale } = useI18n();
  const c = data.currency;
  const symbolCell = (p: PositionRow) =>
    onOpen && (canOpen?.(p.symbol) ?? true) ? (
      <button type="button" className="pf-link" data-testid="pf-open" title={t("pf.openChart", { symbol: p.symbol })} onClick={() => onOpen(p.symbol)}>
        {p.symbol}
      </button>
    ) : (
      p.symbol
    );
  return (
    <div className="pf-table-wrap">
      <table className="history pf-table" data-testid="pf-positions">
        <thead>
          <tr>
            <th>{t("pf.col.symbol")}</th>
            <th className="num">{t("pf.col.quantity")}</th>
            <th className="num">{t("pf.col.avgCost")}</th>
            <th className="num">{t("pf.col.price")}</th>
            <th className="num">{t("pf.col.value", { currency: c })}</th>
            <th className="num">{t("pf.col.dayPnl")}</th>
            <th className="num">{t("pf.col.totalPnl")}</th>
            <th>{t("pf.col.weight")}</th>
            <th className="num" title={t("pf.col.volatilityTitle")}>
              {t("pf.col.volatility")}
            </th>
            <th className="num" title={t("pf.col.alertsTitle")}>
              {t("pf.col.alerts")}
            </th>
            <th>{t("pf.col.problem")}</th>
          </tr>
        </thead>
        <tbody>
          {data.positions.map((p) => (
            <tr key={p.symbol} data-testid="pf-row" data-symbol={p.symbol}>
              <td className="pf-sym">{symbolCell(p)}</td>
              <td className="num">{formatQuantity(locale, p.quantity)}</td>
              <td className="num">
                {formatUnitPrice(locale, p.avgCost)} <span className="pf-ccy">{p.currency}</span>
              </td>
              <td className="num" data-testid="pf-price">
                {formatUnitPrice(locale, p.price)}
              </td>
              <td className="num" data-testid="pf-value">
                {formatMoney(locale, p.value, c)}
              </td>
              <td className={`num ${directionOf(p.dayPnl)}`} data-testid="pf-day">
                {formatMoney(locale, p.dayPnl, c, true)}
                <br />
                <small>{formatPct(locale, p.dayPnlPct)}</small>
              </td>
              <td className={`num ${directionOf(p.totalPnl)}`} data-testid="pf-total">
                {formatMoney(locale, p.totalPnl, c, true)}
                <br />
                <small>{formatPct(locale, p.totalPnlPct)}</small>
              </td>
              <td data-testid="pf-weight">
                <span className="pf-weight">
                  <span className="pf-bar" aria-hidden>
                    <span style={{ width: `${Math.min(100, Math.max(0, p.weightPct ?? 0)).toFixed(1)}%` }} />
                  </span>
                  {formatPlainPct(locale, p.weightPct, 1)}
                </span>
              </td>
              <td className="num">{formatPlainPct(locale, p.volatilityPct, 1)}</td>
              <td className={`num${p.alerts1h > 0 ? " pf-hot" : ""}`} data-testid="pf-alerts">
                {formatCount(locale, p.alerts1h)}
              </td>
              <td className="pf-problem" data-testid="pf-problem">
                {p.problem ?? ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RiskFigures({ data }: { data: Portfolio }) {
  const { t, locale } = useI18n();
  const r = data.risk;
  const pct = (x: number | null) => formatPlainPct(locale, x);
  return (
    <>
      <dl className="pf-risk" data-testid="pf-risk">
        <dt>{t("pf.r.volatility")}</dt>
        <dd data-testid="pf-r-vol">{pct(r.volatilityPct)}</dd>
        <dt>{t("pf.r.var95")}</dt>
        <dd data-testid="pf-r-var95">
          {t("pf.r.varPair", { hist: pct(r.var95HistPct), param: pct(r.var95ParamPct) })}
        </dd>
        <dt>{t("pf.r.var99")}</dt>
        <dd data-testid="pf-r-var99">
          {t("pf.r.varPair", { hist: pct(r.var99HistPct), param: pct(r.var99ParamPct) })}
        </dd>
        <dt>{t("pf.r.var95Amount")}</dt>
        <dd data-testid="pf-r-var95-amount">{formatMoney(locale, r.var95Amount, data.currency)}</dd>
        <dt>{t("pf.r.maxDrawdown")}</dt>
        <dd data-testid="pf-r-maxdd">{pct(r.maxDrawdownPct)}</dd>
        <dt>{t("pf.r.drawdown")}</dt>
        <dd data-testid="pf-r-dd">{pct(r.drawdownPct)}</dd>
        <dt>{t("pf.r.sharpe")}</dt>
        <dd data-testid="pf-r-sharpe">{formatRatio(locale, r.sharpe)}</dd>
        <dt>{t("pf.r.hhi")}</dt>
        <dd data-testid="pf-r-hhi">{formatRatio(locale, r.hhi, 3)}</dd>
        <dt>{t("pf.r.topWeight")}</dt>
        <dd>{pct(r.topWeightPct)}</dd>
      </dl>
      <p className="pf-muted pf-days" data-testid="pf-r-days">
        {r.days < 20 ? t("pf.r.fewDays", { days: r.days }) : t("pf.r.days", { days: formatCount(locale, r.days) })}
      </p>
    </>
  );
}
