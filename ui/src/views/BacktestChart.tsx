import type { Time, UTCTimestamp } from "lightweight-charts";
import { useEffect, useRef } from "react";
import type { EquityPoint } from "../bindings/EquityPoint";
import { useValueDrawdownChart } from "../chart/valueChart";
import { crosshairLabel, tickLabel } from "../chart/timeFormat";
import { useI18n } from "../i18n/I18nProvider";
import { formatFrac } from "../state/backtest";

/** Bar close times need the time of day; the portfolio's daily values do not. */
const TIME_VISIBLE = true;

const seconds = (time: Time) => time as number;

/**
 * A strategy's equity curve, with its drawdown below the running peak in a second pane (as
 * negative bars, in %). Times are bar close times, labelled in the symbol's exchange zone
 * (`timeZone`; undefined: the user's). `data-points` tells tests how many points are drawn.
 */
export function BacktestChart({ equity, timeZone }: { equity: readonly EquityPoint[]; timeZone: string | undefined }) {
  const { t, locale } = useI18n();
  const hostRef = useRef<HTMLDivElement>(null);
  const handlesRef = useValueDrawdownChart(hostRef, TIME_VISIBLE);

  // Always an explicit locale (the app's), never the browser's; times in the exchange's zone.
  useEffect(() => {
    handlesRef.current?.chart.applyOptions({
      localization: {
        locale,
        timeFormatter: (time: Time) => crosshairLabel(seconds(time), locale, timeZone),
        priceFormatter: (p: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(p),
      },
      timeScale: { tickMarkFormatter: (time: Time, type: number) => tickLabel(seconds(time), type, locale, timeZone) },
    });
  }, [handlesRef, locale, timeZone]);

  useEffect(() => {
    const h = handlesRef.current;
    if (!h) return;
    // Strictly increasing times, as the chart requires (a curve never repeats a close time).
    const points: EquityPoint[] = [];
    for (const p of equity) {
      const last = points[points.length - 1];
      if (last === undefined || Math.floor(p.time / 1000) > Math.floor(last.time / 1000)) points.push(p);
    }
    const time = (ms: number) => Math.floor(ms / 1000) as UTCTimestamp;
    h.value.setData(points.map((p) => ({ time: time(p.time), value: p.equity })));
    h.drawdown.setData(points.map((p) => ({ time: time(p.time), value: -p.drawdown * 100 })));
    if (points.length > 0) h.chart.timeScale().fitContent();
  }, [handlesRef, equity]);

  const worst = equity.reduce((m, p) => Math.max(m, p.drawdown), 0);
  return (
    <figure className="bt-chart-box">
      <figcaption>
        {t("bt.chart.title")}
        {equity.length > 0 && <span className="hint"> · {t("bt.chart.worst", { pct: formatFrac(locale, worst) })}</span>}
      </figcaption>
      <div ref={hostRef} className="bt-chart" data-testid="bt-equity-chart" data-points={equity.length} />
      {equity.length === 0 && <p className="empty">{t("bt.chart.empty")}</p>}
    </figure>
  );
}
