import { ColorType, HistogramSeries, LineSeries, createChart, type IChartApi, type ISeriesApi, type Time, type UTCTimestamp } from "lightweight-charts";
import { useEffect, useRef } from "react";
import type { EquityPoint } from "../bindings/EquityPoint";
import { documentChartColors, useAppearanceKey, withAlpha, type ChartColors } from "../chart/theme";
import { crosshairLabel, tickLabel } from "../chart/timeFormat";
import { useI18n } from "../i18n/I18nProvider";
import { formatFrac } from "../state/backtest";

interface Handles {
  chart: IChartApi;
  equity: ISeriesApi<"Line">;
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

/** The accent colour of the stylesheet, for the equity line. */
function accent(): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue("--accent").trim();
  return v === "" ? "#4c9aff" : v;
}

const seconds = (time: Time) => time as number;

/**
 * A strategy's equity curve, with its drawdown below the running peak in a second pane (as
 * negative bars, in %). Times are bar close times, labelled in the symbol's exchange zone
 * (`timeZone`; undefined: the user's). `data-points` tells tests how many points are drawn.
 */
export function BacktestChart({ equity, timeZone }: { equity: readonly EquityPoint[]; timeZone: string | undefined }) {
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
      timeScale: { ...base.timeScale, timeVisible: true, secondsVisible: false, rightOffset: 2 },
    });
    const line = chart.addSeries(LineSeries, { color: accent(), lineWidth: 2, priceLineVisible: false });
    const drawdown = chart.addSeries(
      HistogramSeries,
      { color: withAlpha(colors.palette.down, 0.6), priceFormat: { type: "percent" }, priceLineVisible: false, lastValueVisible: false },
      1,
    );
    const panes = chart.panes();
    panes[0]?.setStretchFactor(3);
    panes[1]?.setStretchFactor(1);
    handlesRef.current = { chart, equity: line, drawdown };
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
    h.equity.applyOptions({ color: accent() });
    h.drawdown.applyOptions({ color: withAlpha(colors.palette.down, 0.6) });
  }, [appearance]);

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
  }, [locale, timeZone]);

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
    h.equity.setData(points.map((p) => ({ time: time(p.time), value: p.equity })));
    h.drawdown.setData(points.map((p) => ({ time: time(p.time), value: -p.drawdown * 100 })));
    if (points.length > 0) h.chart.timeScale().fitContent();
  }, [equity]);

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
