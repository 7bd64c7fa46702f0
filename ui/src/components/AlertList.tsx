import type { Alert } from "../bindings/Alert";
import type { ApiError } from "../bindings/ApiError";
import { formatTime } from "../i18n/format";
import { useI18n } from "../i18n/I18nProvider";
import { symbolCode } from "../state/watchlist";
import { ErrorNote } from "./ErrorNote";
import { SimTag } from "./SimTag";

export function AlertList({
  alerts,
  error,
  paused,
  isSimulated,
}: {
  alerts: readonly Alert[];
  error: ApiError | null;
  paused: boolean;
  isSimulated: (symbol: string) => boolean;
}) {
  const { t, locale } = useI18n();
  return (
    <section className="panel alerts" aria-labelledby="alerts-title">
      <div className="panel-head">
        <h2 id="alerts-title">{t("alerts.title")}</h2>
        {paused && <span className="chip warn">{t("alerts.paused")}</span>}
        <span className="count">{alerts.length > 0 ? alerts.length : ""}</span>
      </div>
      {error && <ErrorNote error={error} textKey="alerts.loadError" />}
      <ol className="alert-list" data-testid="alert-list" aria-live="polite" aria-relevant="additions">
        {alerts.map((a) => (
          <li
            key={a.id !== 0 ? `id-${a.id}` : `tmp-${a.ruleId}-${a.symbol}-${a.firedAt}`}
            className={`alert-row level-${a.level}`}
            data-testid="alert-row"
            data-rule-name={a.ruleName}
            data-level={a.level}
          >
            <div className="alert-line">
              <time dateTime={new Date(a.firedAt).toISOString()} className="alert-time">
                {formatTime(locale, a.firedAt)}
              </time>
              <span className={`level level-${a.level}`}>{t(`level.${a.level}`)}</span>
              <span className="alert-symbol" title={a.symbol}>
                {symbolCode(a.symbol)}
                {isSimulated(a.symbol) && <SimTag />}
              </span>
              <span className="alert-rule" title={a.ruleName}>
                {a.ruleName}
              </span>
            </div>
            <div className="alert-message">{a.message}</div>
          </li>
        ))}
      </ol>
      {alerts.length === 0 && !error && <p className="empty">{t("alerts.empty")}</p>}
    </section>
  );
}
