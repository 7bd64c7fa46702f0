import type { Time, UTCTimestamp } from "lightweight-charts";
import { useEffect, useRef } from "react";
import type { ValuePoint } from "../bindings/ValuePoint";
import { useValueDrawdownChart } from "../chart/valueChart";
import { useI18n } from "../i18n/I18nProvider";
import { formatPlainPct } from "./portfolioFormat";

/** Bar close times need the time of day; the portfolio's daily values do not. */
const TIME_VISIBLE = false;

const dayLabel = (time: Time, locale: string) =>
  new Intl.DateTimeFormat(locale, { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "UTC" }).format((time as number) * 1000);

/**
 * The daily value of today's holdings over the stored history, with its drawdown below the
 * running peak in a second pane (as negative bars). `data-points` tells tests how many days.
 */
export function PortfolioChart({ history, currency }: { history: readonly ValuePoint[]; currency: string }) {
  const { t, locale } = useI18n();
  const hostRef = useRef<HTMLDivElement>(null);
  const handlesRef = useValueDrawdownChart(hostRef, TIME_VISIBLE);

  // Always an explicit locale (the app's), never the browser's.
  useEffect(() => {
    handlesRef.current?.chart.applyOptions({
      localization: {
        locale,
        timeFormatter: (time: Time) => dayLabel(time, locale),
        priceFormatter: (p: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(p),
      },
    });
  }, [handlesRef, locale]);

  // New data only when the history itself changed (the view polls every few seconds).
  const last = history[history.length - 1];
  const key = `${history.length}|${last?.time ?? 0}|${last?.value ?? 0}`;
  useEffect(() => {
    const h = handlesRef.current;
    if (!h) return;
    const time = (ms: number) => Math.floor(ms / 1000) as UTCTimestamp;
    h.value.setData(history.map((p) => ({ time: time(p.time), value: p.value })));
    h.drawdown.setData(history.map((p) => ({ time: time(p.time), value: -p.drawdownPct })));
    if (history.length > 0) h.chart.timeScale().fitContent();
    // `key` stands for `history`: a fresh array with the same days is not redrawn.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const worst = history.reduce((m, p) => Math.max(m, p.drawdownPct), 0);
  return (
    <figure className="pf-chart-box">
      <figcaption>
        {t("pf.chartTitle", { currency })}
        {history.length > 0 && <span className="pf-muted"> · {t("pf.chartWorst", { pct: formatPlainPct(locale, worst) })}</span>}
      </figcaption>
      <div ref={hostRef} className="pf-chart" data-testid="pf-chart" data-points={history.length} />
      {history.length === 0 && <p className="empty">{t("pf.chartEmpty")}</p>}
    </figure>
  );
}
