// A value line over a drawdown pane (negative bars, %): the chart of the portfolio view and
// of the strategy backtest. One chart for the component's life, themed, with the stylesheet's
// accent colour for the line; the caller sets its own formatters and data.
import { HistogramSeries, LineSeries, createChart, type IChartApi, type ISeriesApi } from "lightweight-charts";
import { useEffect, useRef, type RefObject } from "react";
import { documentChartColors, themedOptions, useAppearanceKey, withAlpha } from "./theme";

export interface ValueChart {
  chart: IChartApi;
  value: ISeriesApi<"Line">;
  drawdown: ISeriesApi<"Histogram">;
}

/** The accent colour of the stylesheet, for the value line. */
function accent(): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue("--accent").trim();
  return v === "" ? "#4c9aff" : v;
}

/**
 * Creates the chart in `hostRef` (with a fixed valid locale: WebKitGTK may report
 * navigator.language "C", and lightweight-charts draws nothing with it) and follows the
 * theme. Call it before the caller's own effects, which then find the chart in the ref.
 */
export function useValueDrawdownChart(hostRef: RefObject<HTMLDivElement | null>, timeVisible: boolean): RefObject<ValueChart | null> {
  const appearance = useAppearanceKey();
  const handlesRef = useRef<ValueChart | null>(null);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const colors = documentChartColors();
    const base = themedOptions(colors);
    const chart = createChart(host, {
      autoSize: true,
      layout: { ...base.layout, fontSize: 11, attributionLogo: false },
      localization: { locale: "en-US" },
      grid: base.grid,
      rightPriceScale: base.rightPriceScale,
      timeScale: { ...base.timeScale, timeVisible, secondsVisible: false, rightOffset: 2 },
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
  }, [hostRef, timeVisible]);

  useEffect(() => {
    const h = handlesRef.current;
    if (!h) return;
    const colors = documentChartColors();
    h.chart.applyOptions(themedOptions(colors));
    h.value.applyOptions({ color: accent() });
    h.drawdown.applyOptions({ color: withAlpha(colors.palette.down, 0.6) });
  }, [appearance]);

  return handlesRef;
}
