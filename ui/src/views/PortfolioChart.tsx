import { ColorType, HistogramSeries, LineSeries, createChart, type IChartApi, type ISeriesApi, type Time, type UTCTimestamp } from "lightweight-charts";
import { useEffect, useRef } from "react";
import type { ValuePoint } from "../bindings/ValuePoint";
import { documentChartColors, useAppearanceKey, withAlpha, type ChartColors } from "../chart/theme";
import { useI18n } from "../i18n/I18nProvider";
import { formatPlainPct } from "./portfolioFormat";

interface Handles {
  chart: IChartApi;
  value: ISeriesApi<"Line">;
  drawdown: ISeriesApi<"Histogram">;
}

function themed(c: ChartColors) {
  return {
    layout: {
      background: { type: ColorType.Solid, color: c.background },
      textColor: c.text,
      panes: { separatorColor: c.border, separatorHoverColor: c.borderHover },
    },
    grid: { vertLines: { color: c.grid }, horzLines: { color: c.grid } },
    rightPriceScale: { borderColor: c.border },
    timeScale: { borderColor: c.border },
  };
}

/** The accent colour of the stylesheet, for the value line. */
function accent(): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue("--accent").trim();
  return v === "" ? "#4c9aff" : v;
}

const dayLabel = (time: Time, locale: string) =>
  new Intl.DateTimeFormat(locale, { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "UTC" }).format((time as number) * 1000);

/**
 * The daily value of today's holdings over the stored history, with its drawdown below the
 * running peak in a second pane (as negative bars). `data-points` tells tests how many days.
 */
export function PortfolioChart({ history, currency }: { history: readonly ValuePoint[]; currency: string }) {
  const { t, locale } = useI18n();
  const appearance = useAppearanceKey();
  const hostRef = useRef<HTMLDivElement>(null);
  const handlesRef = useRef<Handles | null>(null);

  // One chart for the component's life, created with a fixed valid locale: WebKitGTK may
  // report navigator.language "C", and lightweight-charts draws nothing with it.
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const colors = documentChartColors();
    const base = themed(colors);
    const chart = createChart(host, {
      autoSize: true,
      layout: { ...base.layout, fontSize: 11, attributionLogo: false },
      localization: { locale: "en-US" },
      grid: base.grid,
      rightPriceScale: base.rightPriceScale,
      timeScale: { ...base.timeScale, timeVisible: false, rightOffset: 2 },
    });
    const value = chart.addSeries(LineSeries, { color: accent(), lineWidth: 2, priceLineVisible: false });
    const drawdown = chart.addSeries(
      HistogramSeries,
      { color: withAlpha(colors.palette.down, 0.6), priceFormat: { type: "percent" }, priceLineVisible: false, lastValueVisible: false },
      1,
    );
    const panes = chart.panes();
    panes[0]?.setStretchFactor(3);
    panes[1]?.setStretchFactor(1);
    handlesRef.current = { chart, value, drawdown };
    return () => {
      handlesRef.current = null;
      chart.remove();
    };
  }, []);

  useEffect(() => {
    const h = handlesRef.current;
    if (!h) return;
    const colors = documentChartColors();
    h.chart.applyOptions(themed(colors));
    h.value.applyOptions({ color: accent() });
    h.drawdown.applyOptions({ color: withAlpha(colors.palette.down, 0.6) });
  }, [appearance]);

  // Always an explicit locale (the app's), never the browser's.
  useEffect(() => {
    handlesRef.current?.chart.applyOptions({
      localization: {
        locale,
        timeFormatter: (time: Time) => dayLabel(time, locale),
        priceFormatter: (p: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(p),
      },
    });
  }, [locale]);

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
