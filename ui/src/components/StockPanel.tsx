import { useEffect, useState } from "react";
import { api } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { FundamentalDay } from "../bindings/FundamentalDay";
import { directionOf, formatCompact } from "../i18n/format";
import { useI18n } from "../i18n/I18nProvider";
import type { MessageKey } from "../i18n/messages";
import { isAShare, stockPanelModel, type Indicator } from "../state/stockPanel";

const LABEL: Record<Indicator, MessageKey> = {
  turnover_rate: "stock.turnover",
  volume_ratio: "stock.volumeRatio",
  pe: "stock.pe",
  pe_ttm: "stock.peTtm",
  pb: "stock.pb",
  total_mv: "stock.totalMv",
  circ_mv: "stock.circMv",
};

/** Days of figures asked for; daily data changes once a day, so a slow refresh is enough. */
const DAYS = 30;
const FLOW_DAYS = 10;
const REFRESH_MS = 10 * 60_000;

function dayLabel(locale: string, ms: number): string {
  return new Intl.DateTimeFormat(locale, { month: "2-digit", day: "2-digit", timeZone: "UTC" }).format(ms);
}

/** The A-share panel: the latest daily indicators and the main-force money flow. */
export function StockPanel({ symbol }: { symbol: string | null }) {
  const { t, locale, errorText } = useI18n();
  // Figures and error are kept with the symbol they belong to, so a switch shows nothing stale.
  const [data, setData] = useState<{ symbol: string; days: FundamentalDay[] } | null>(null);
  const [failure, setFailure] = useState<{ symbol: string; error: ApiError } | null>(null);

  useEffect(() => {
    if (!isAShare(symbol)) return;
    let live = true;
    const load = () => {
      api
        .getFundamentals(symbol, DAYS)
        .then((d) => {
          if (!live) return;
          setData({ symbol, days: d });
          setFailure(null);
        })
        .catch((e: unknown) => {
          if (live) setFailure({ symbol, error: e as ApiError });
        });
    };
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [symbol]);

  if (!isAShare(symbol)) return null;
  const days = data?.symbol === symbol ? data.days : null;
  const error = failure?.symbol === symbol ? failure.error : null;
  const num = (k: Indicator, v: number | null): string => {
    if (v === null) return t("stock.notPublished");
    if (k === "total_mv" || k === "circ_mv") return formatCompact(locale, v);
    const s = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(v);
    return k === "turnover_rate" ? `${s}%` : s;
  };
  const m = days ? stockPanelModel(days, FLOW_DAYS) : null;
  return (
    <section className="stock-panel" data-testid="stock-panel" aria-labelledby="stock-title">
      <div className="stock-head">
        <h3 id="stock-title">{t("stock.title")}</h3>
        {m?.asOf != null && <span className="hint">{t("stock.asOf", { date: dayLabel(locale, m.asOf) })}</span>}
      </div>
      {error && (
        <p className="error-note" role="alert">
          {t("stock.error", { message: errorText(error) })}
        </p>
      )}
      {m && m.asOf === null && m.flow.length === 0 && <p className="hint">{t("stock.none")}</p>}
      {m && m.asOf !== null && (
        <dl className="stock-figures">
          {(Object.keys(LABEL) as Indicator[]).map((k) => (
            <div key={k} data-testid={`stock-${k}`}>
              <dt>{t(LABEL[k])}</dt>
              <dd className={m.latest[k] === null ? "muted" : undefined}>{num(k, m.latest[k])}</dd>
            </div>
          ))}
        </dl>
      )}
      {m && m.asOf !== null && (
        <div className="stock-flow">
          <h4>{t("stock.flowTitle", { days: FLOW_DAYS })}</h4>
          {m.flow.length === 0 ? (
            <p className="hint">{t("stock.flowNone")}</p>
          ) : (
            <ol className="flow-bars" data-testid="stock-flow">
              {m.flow.map((f) => {
                const width = m.flowScale > 0 ? (Math.abs(f.main) / m.flowScale) * 100 : 0;
                const detail = [
                  f.large !== null ? t("stock.flowLarge", { value: formatCompact(locale, f.large) }) : null,
                  f.xlarge !== null ? t("stock.flowXlarge", { value: formatCompact(locale, f.xlarge) }) : null,
                ]
                  .filter(Boolean)
                  .join(" · ");
                return (
                  <li key={f.day} title={detail} data-testid="stock-flow-day">
                    <span className="flow-day">{dayLabel(locale, f.day)}</span>
                    <span className="flow-track">
                      <span className={`flow-bar ${directionOf(f.main)}`} style={{ width: `${width.toFixed(1)}%` }} />
                    </span>
                    <span className={`flow-value ${directionOf(f.main)}`}>{formatCompact(locale, f.main)}</span>
                  </li>
                );
              })}
            </ol>
          )}
        </div>
      )}
    </section>
  );
}
