import { useEffect, useState } from "react";
import { api } from "../api";
import type { Alert } from "../bindings/Alert";
import type { AlertStats } from "../bindings/AlertStats";
import type { EngineStatus } from "../bindings/EngineStatus";
import type { WatchRow } from "../bindings/WatchRow";
import { directionOf, formatCount, formatPct, formatPrice, formatTime } from "../i18n/format";
import { useI18n } from "../i18n/I18nProvider";
import { LEVELS } from "../state/ruleForm";
import { symbolCode } from "../state/watchlist";
import { startOfLocalDay, topMovers } from "./dashboardModel";
import { RadarPanel } from "./RadarPanel";

/**
 * The cockpit's first page: the market radar (whole universe), the watchlist's movers, feed
 * health, today's alerts, the engine's own health.
 */
export function Dashboard({
  rows,
  status,
  alerts,
  onOpen,
}: {
  rows: readonly WatchRow[];
  status: EngineStatus | null;
  alerts: readonly Alert[];
  onOpen: (symbol: string) => void;
}) {
  const { t, locale } = useI18n();
  const [stats, setStats] = useState<AlertStats | null>(null);
  const latest = alerts[0]?.id ?? 0;
  useEffect(() => {
    let active = true;
    const from = startOfLocalDay(Date.now());
    api.alertStats({ from }, -new Date().getTimezoneOffset()).then(
      (s) => {
        if (active) setStats(s);
      },
      () => undefined,
    );
    return () => {
      active = false;
    };
  }, [latest]);

  const { gainers, losers } = topMovers(rows, 5);
  const rate = status?.feeds.reduce((n, f) => n + f.messagesPerSec, 0) ?? 0;
  const mover = (r: WatchRow) => (
    <li key={r.symbol}>
      <button type="button" className="mover" data-testid="mover" onClick={() => onOpen(r.symbol)}>
        <span className="watch-code">{symbolCode(r.symbol)}</span>
        <span>{formatPrice(locale, r.price)}</span>
        <span className={directionOf(r.changePct)}>{formatPct(locale, r.changePct)}</span>
      </button>
    </li>
  );
  return (
    <div className="view dashboard" data-testid="view-dashboard">
      <RadarPanel onOpen={onOpen} />
      <section className="panel card" aria-labelledby="dash-movers">
        <h2 id="dash-movers">{t("dash.movers")}</h2>
        {gainers.length === 0 ? (
          <p className="empty">{t("dash.noMovers")}</p>
        ) : (
          <div className="movers">
            <div>
              <h3>{t("dash.gainers")}</h3>
              <ul>{gainers.map(mover)}</ul>
            </div>
            <div>
              <h3>{t("dash.losers")}</h3>
              <ul>{losers.map(mover)}</ul>
            </div>
          </div>
        )}
      </section>
      <section className="panel card" aria-labelledby="dash-alerts">
        <h2 id="dash-alerts">{t("dash.alertsToday")}</h2>
        <div className="level-counts" data-testid="dash-alert-counts">
          {LEVELS.map((l) => (
            <div key={l} className={`level-count level-${l}`}>
              <span className="n">{formatCount(locale, stats?.byLevel.find((k) => k.key === l)?.count ?? 0)}</span>
              <span>{t(`level.${l}`)}</span>
            </div>
          ))}
        </div>
        <h3>{t("dash.recentAlerts")}</h3>
        <ul className="recent-alerts">
          {alerts.slice(0, 5).map((a) => (
            <li key={`${a.id}-${a.firedAt}`}>
              <time>{formatTime(locale, a.firedAt)}</time> <span className={`lvl lvl-${a.level}`}>{t(`level.${a.level}`)}</span>{" "}
              {a.message}
            </li>
          ))}
        </ul>
      </section>
      <section className="panel card" aria-labelledby="dash-feeds">
        <h2 id="dash-feeds">{t("dash.feeds")}</h2>
        <ul className="feed-cards">
          {status?.feeds.map((f) => (
            <li key={f.source} className={`feed-card state-${f.state}`} data-testid="feed-card">
              <strong>{f.source}</strong> <span className="chip">{t(`feedState.${f.state}`)}</span>
              <span>{t("dash.rate", { rate: f.messagesPerSec.toFixed(1) })}</span>
              {f.lagMs !== null && <span>{t("dash.lag", { ms: formatCount(locale, f.lagMs) })}</span>}
              <span>{t("dash.reconnects", { count: f.reconnects })}</span>
              {f.lastError && <span className="feed-error">{t("feed.lastError", { error: f.lastError })}</span>}
            </li>
          ))}
        </ul>
      </section>
      <section className="panel card" aria-labelledby="dash-engine">
        <h2 id="dash-engine">{t("dash.engine")}</h2>
        <dl className="engine-health">
          <dt>{t("dash.updatesPerSec")}</dt>
          <dd>{rate.toFixed(1)}</dd>
          <dt>{t("dash.dbSize")}</dt>
          <dd>{status ? `${formatCount(locale, Math.round(status.storage.fileBytes / 1048576))} MB` : "—"}</dd>
        </dl>
      </section>
    </div>
  );
}
