import { useCallback, useEffect, useState } from "react";
import { api } from "../api";
import type { AlertEntry } from "../bindings/AlertEntry";
import type { AlertQuery } from "../bindings/AlertQuery";
import type { AlertStats } from "../bindings/AlertStats";
import type { AlertStatus } from "../bindings/AlertStatus";
import type { ApiError } from "../bindings/ApiError";
import type { Level } from "../bindings/Level";
import { formatDateTime } from "../i18n/format";
import { useI18n } from "../i18n/I18nProvider";
import { LEVELS } from "../state/ruleForm";
import { useUiEvent } from "../state/useUiEvent";
import { statusOf } from "./alertsModel";

const STATUSES: AlertStatus[] = ["new", "acknowledged", "resolved"];

function Bars({ title, items }: { title: string; items: { key: string; count: number }[] }) {
  const max = Math.max(1, ...items.map((i) => i.count));
  return (
    <figure className="bars">
      <figcaption>{title}</figcaption>
      {items.map((i) => (
        <div key={i.key} className="bar-row">
          <span className="bar-key">{i.key}</span>
          <span className="bar" style={{ width: `${(100 * i.count) / max}%` }} />
          <span className="bar-n">{i.count}</span>
        </div>
      ))}
    </figure>
  );
}

/** The alert history: filters, acknowledge/resolve, statistics, CSV export; new alerts slide in. */
export function AlertsView() {
  const { t, locale, errorText } = useI18n();
  const [level, setLevel] = useState<Level | "">("");
  const [status, setStatus] = useState<AlertStatus | "">("");
  const [rows, setRows] = useState<AlertEntry[]>([]);
  const [stats, setStats] = useState<AlertStats | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [reload, setReload] = useState(0);
  const [fresh, setFresh] = useState<number | null>(null);

  useUiEvent((e) => {
    if (e.kind === "alert") {
      setFresh(e.alert.id);
      setReload((n) => n + 1);
    }
  });

  const query = useCallback((): AlertQuery => {
    const q: AlertQuery = { limit: 300 };
    if (level !== "") q.level = level;
    if (status !== "") q.status = status;
    return q;
  }, [level, status]);

  useEffect(() => {
    let active = true;
    const q = query();
    Promise.all([api.alertHistory(q), api.alertStats(q, -new Date().getTimezoneOffset())]).then(
      ([h, s]) => {
        if (!active) return;
        setRows(h);
        setStats(s);
        setError(null);
      },
      (e: unknown) => {
        if (active) setError(e as ApiError);
      },
    );
    return () => {
      active = false;
    };
  }, [query, reload]);

  const act = (fn: (ids: number[]) => Promise<number>, id: number) => {
    fn([id]).then(
      () => setReload((n) => n + 1),
      (e: unknown) => setError(e as ApiError),
    );
  };

  const exportCsv = () => {
    api.exportAlertsCsv(query()).then(
      (csv) => {
        const url = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
        const a = document.createElement("a");
        a.href = url;
        a.download = "tickwarden-alerts.csv";
        a.click();
        URL.revokeObjectURL(url);
      },
      (e: unknown) => setError(e as ApiError),
    );
  };

  return (
    <div className="view alerts-view" data-testid="view-alerts">
      <section className="panel" aria-labelledby="ah-title">
        <div className="panel-head">
          <h2 id="ah-title">{t("ah.title")}</h2>
          <label className="inline">
            {t("ah.filterLevel")}{" "}
            <select data-testid="ah-level" value={level} onChange={(e) => setLevel(e.target.value as Level | "")}>
              <option value="">{t("ah.all")}</option>
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {t(`level.${l}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="inline">
            {t("ah.filterStatus")}{" "}
            <select data-testid="ah-status" value={status} onChange={(e) => setStatus(e.target.value as AlertStatus | "")}>
              <option value="">{t("ah.all")}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`ah.status.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn" data-testid="ah-export" onClick={exportCsv}>
            {t("ah.export")}
          </button>
        </div>
        {error && (
          <p className="form-error" role="alert">
            {t("ah.error", { message: errorText(error) })}
          </p>
        )}
        <table className="history">
          <thead>
            <tr>
              <th>{t("alerts.time")}</th>
              <th>{t("alerts.level")}</th>
              <th>{t("alerts.symbol")}</th>
              <th>{t("alerts.rule")}</th>
              <th>{t("alerts.message")}</th>
              <th>{t("ah.filterStatus")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => {
              const st = statusOf(a);
              return (
                <tr
                  key={a.id}
                  data-testid="ah-row"
                  data-rule-name={a.ruleName}
                  data-status={st}
                  className={a.id === fresh ? "slide-in" : undefined}
                >
                  <td>
                    <time>{formatDateTime(locale, a.firedAt)}</time>
                  </td>
                  <td>
                    <span className={`lvl lvl-${a.level}`}>{t(`level.${a.level}`)}</span>
                  </td>
                  <td>{a.symbol}</td>
                  <td>{a.ruleName}</td>
                  <td className="msg">{a.message}</td>
                  <td>{t(`ah.status.${st}`)}</td>
                  <td className="actions">
                    {st === "new" && (
                      <button type="button" className="btn small" data-testid="ah-ack" onClick={() => act(api.acknowledgeAlerts, a.id)}>
                        {t("ah.ack")}
                      </button>
                    )}
                    {st !== "resolved" && (
                      <button type="button" className="btn small" data-testid="ah-resolve" onClick={() => act(api.resolveAlerts, a.id)}>
                        {t("ah.resolve")}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {rows.length === 0 && !error && <p className="empty">{t("ah.empty")}</p>}
      </section>
      {stats && (
        <section className="panel stats" aria-label={t("ah.stats")}>
          <Bars title={t("ah.byLevel")} items={stats.byLevel.map((k) => ({ ...k, key: LEVELS.includes(k.key as Level) ? t(`level.${k.key as Level}`) : k.key }))} />
          <Bars title={t("ah.bySymbol")} items={stats.bySymbol.slice(0, 8)} />
          <Bars title={t("ah.byRule")} items={stats.byRule.slice(0, 8)} />
          <Bars title={t("ah.byHour")} items={stats.byHour.map((count, h) => ({ key: String(h).padStart(2, "0"), count }))} />
        </section>
      )}
    </div>
  );
}
