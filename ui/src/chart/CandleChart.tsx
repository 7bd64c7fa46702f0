import {
  CandlestickSeries,
  ColorType,
  CrosshairMode,
  HistogramSeries,
  LineSeries,
  LineStyle,
  createChart,
  type IChartApi,
  type ISeriesApi,
  type Time,
  type UTCTimestamp,
} from "lightweight-charts";
import { useEffect, useRef, useState } from "react";
import type { ApiError } from "../bindings/ApiError";
import type { Candle } from "../bindings/Candle";
import type { Interval } from "../bindings/Interval";
import { indicatorNames, rollInto, type IndicatorGroup } from "./indicators";
import { api } from "../api";
import { useI18n } from "../i18n/I18nProvider";
import { priceDigits } from "../i18n/format";
import type { LiveHub } from "../state/liveHub";
import { BAR_CAP, HISTORY_LIMIT, applyCandles, candlesToBars, volumePoint, type Bar, type Palette } from "./bars";
import { crosshairLabel, tickLabel } from "./timeFormat";

const PALETTE: Palette = {
  up: "#26a69a",
  down: "#ef5350",
  volumeUp: "rgba(38, 166, 154, 0.45)",
  volumeDown: "rgba(239, 83, 80, 0.45)",
};

interface Handles {
  chart: IChartApi;
  candles: ISeriesApi<"Candlestick">;
  volume: ISeriesApi<"Histogram">;
}

type Phase = "loading" | "ready" | "error";
interface View {
  symbol: string;
  phase: Phase;
  bars: number;
  error: ApiError | null;
}

const asTime = (seconds: number) => seconds as UTCTimestamp;
const toCandle = (b: Bar) => ({ time: asTime(b.time), open: b.open, high: b.high, low: b.low, close: b.close });
const toVolume = (b: Bar) => {
  const v = volumePoint(b, PALETTE);
  return { ...v, time: asTime(v.time) };
};
const seconds = (time: Time) => (typeof time === "number" ? time : 0);

function setAll(h: Handles, bars: readonly Bar[]) {
  h.candles.setData(bars.map(toCandle));
  h.volume.setData(bars.map(toVolume));
  const last = bars[bars.length - 1];
  if (last) {
    const d = priceDigits(last.close);
    h.candles.applyOptions({ priceFormat: { type: "price", precision: d, minMove: 10 ** -d } });
  }
}

/**
 * The live 1m candlestick chart with a volume pane. History comes from `get_candles`,
 * live bars from the hub; `data-bars` tells tests how many bars the series holds.
 */
export function CandleChart({
  symbol,
  hub,
  interval = "1m",
  indicators = [],
  priceLines = [],
  onPickPrice,
}: {
  symbol: string | null;
  hub: LiveHub;
  interval?: Interval;
  indicators?: readonly IndicatorGroup[];
  /** Price levels of rules on this symbol. */
  priceLines?: readonly { price: number; title: string }[];
  /** A click on the chart offers "create alert here" at that price. */
  onPickPrice?: (price: number) => void;
}) {
  const { t, locale, errorText } = useI18n();
  const linesRef = useRef<ISeriesApi<"Line">[]>([]);
  const [version, setVersion] = useState(0);
  const hostRef = useRef<HTMLDivElement>(null);
  const handlesRef = useRef<Handles | null>(null);
  const [view, setView] = useState<View | null>(null);

  // One chart for the component's life. It starts with a fixed valid locale: WebKitGTK
  // can report navigator.language "C", which lightweight-charts would throw on.
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const chart = createChart(host, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: "#0f141b" },
        textColor: "#8b97a7",
        fontSize: 11,
        attributionLogo: false,
        panes: { separatorColor: "#1f2833", separatorHoverColor: "#2b3645", enableResize: true },
      },
      localization: { locale: "en-US" },
      grid: { vertLines: { color: "#18202a" }, horzLines: { color: "#18202a" } },
      crosshair: { mode: CrosshairMode.Normal },
      rightPriceScale: { borderColor: "#1f2833" },
      timeScale: { borderColor: "#1f2833", timeVisible: true, secondsVisible: false, rightOffset: 4 },
    });
    const candles = chart.addSeries(CandlestickSeries, {
      upColor: PALETTE.up,
      downColor: PALETTE.down,
      borderVisible: false,
      wickUpColor: PALETTE.up,
      wickDownColor: PALETTE.down,
    });
    const volume = chart.addSeries(
      HistogramSeries,
      { priceFormat: { type: "volume" }, priceScaleId: "volume", lastValueVisible: false, priceLineVisible: false },
      1,
    );
    const panes = chart.panes();
    panes[0]?.setStretchFactor(3);
    panes[1]?.setStretchFactor(1);
    handlesRef.current = { chart, candles, volume };
    return () => {
      handlesRef.current = null;
      chart.remove();
    };
  }, []);

  useEffect(() => {
    handlesRef.current?.chart.applyOptions({
      localization: { locale, timeFormatter: (time: Time) => crosshairLabel(seconds(time), locale) },
      timeScale: {
        tickMarkFormatter: (time: Time, type: number) => tickLabel(seconds(time), type, locale),
      },
    });
  }, [locale]);

  useEffect(() => {
    const h = handlesRef.current;
    if (!h || symbol === null) return;
    let active = true;
    let bars: Bar[] = [];
    let pending: Candle[] | null = [];
    h.candles.setData([]);
    h.volume.setData([]);

    const apply = (live: Candle[]) => {
      // Live bars are 1m; a coarser chart folds them into its last bar.
      const candles = interval === "1m" ? live : rollInto(bars, live, interval);
      const r = applyCandles(bars, candles, BAR_CAP);
      const grew = r.bars.length !== bars.length;
      bars = r.bars;
      if (r.reset) setAll(h, bars);
      else
        for (const b of r.updates) {
          h.candles.update(toCandle(b));
          h.volume.update(toVolume(b));
        }
      if (grew) {
        setView({ symbol, phase: "ready", bars: bars.length, error: null });
        setVersion((v) => v + 1);
      }
    };

    // Live bars that arrive while history loads are kept and applied after it.
    const unsubscribe = hub.subscribe(symbol, (candles) => {
      if (!active) return;
      if (pending) pending.push(...candles);
      else apply(candles);
    });

    api.getCandles(symbol, interval, HISTORY_LIMIT).then(
      (history) => {
        if (!active) return;
        bars = candlesToBars([...history, ...(pending ?? [])], BAR_CAP);
        pending = null;
        setAll(h, bars);
        h.chart.timeScale().scrollToRealTime();
        setView({ symbol, phase: "ready", bars: bars.length, error: null });
        setVersion((v) => v + 1);
      },
      (e: unknown) => {
        if (!active) return;
        pending = null;
        setView({ symbol, phase: "error", bars: bars.length, error: e as ApiError });
      },
    );

    return () => {
      active = false;
      unsubscribe();
    };
  }, [symbol, hub, interval]);

  // Indicator lines come from the engine, computed by the code the rules read.
  const groupsKey = indicators.join(",");
  useEffect(() => {
    const h = handlesRef.current;
    if (!h || symbol === null) return;
    for (const l of linesRef.current) h.chart.removeSeries(l);
    linesRef.current = [];
    const groups = groupsKey === "" ? [] : (groupsKey.split(",") as IndicatorGroup[]);
    const names = indicatorNames(groups);
    if (names.length === 0) return;
    let active = true;
    api.getIndicators(symbol, interval, HISTORY_LIMIT, names.map((n) => n.metric)).then(
      (series) => {
        if (!active || handlesRef.current !== h) return;
        for (const l of linesRef.current) h.chart.removeSeries(l);
        linesRef.current = series.lines.map((line, i) => {
          const spec = names[i];
          const s = h.chart.addSeries(
            LineSeries,
            { color: spec?.color ?? "#888", lineWidth: 1, priceLineVisible: false, lastValueVisible: false, title: line.name },
            spec?.pane ?? 0,
          );
          s.setData(
            series.times.flatMap((time, j) => {
              const v = line.values[j];
              return v === null || v === undefined ? [] : [{ time: asTime(Math.floor(time / 1000)), value: v }];
            }),
          );
          return s;
        });
      },
      () => undefined,
    );
    return () => {
      active = false;
    };
  }, [symbol, interval, groupsKey, version]);

  // Rule price levels as horizontal lines.
  const linesKey = JSON.stringify(priceLines);
  useEffect(() => {
    const h = handlesRef.current;
    if (!h) return;
    const made = (JSON.parse(linesKey) as { price: number; title: string }[]).map((p) =>
      h.candles.createPriceLine({ price: p.price, title: p.title, color: "#f0b429", lineStyle: LineStyle.Dashed, lineWidth: 1, axisLabelVisible: true }),
    );
    return () => {
      for (const m of made) h.candles.removePriceLine(m);
    };
  }, [linesKey, symbol]);

  // "Create alert here": the price under a click.
  useEffect(() => {
    const h = handlesRef.current;
    if (!h || !onPickPrice) return;
    const handler = (param: { point?: { x: number; y: number } }) => {
      if (!param.point) return;
      const price = h.candles.coordinateToPrice(param.point.y);
      if (price !== null) onPickPrice(price);
    };
    h.chart.subscribeClick(handler);
    return () => {
      h.chart.unsubscribeClick(handler);
    };
  }, [onPickPrice]);

  const current = view !== null && view.symbol === symbol ? view : null;
  const phase: Phase | "none" = symbol === null ? "none" : (current?.phase ?? "loading");
  const barCount = current?.bars ?? 0;

  let overlay: string | null = null;
  if (phase === "none") overlay = t("chart.pick");
  else if (phase === "loading") overlay = t("chart.loading");
  else if (phase === "error" && current?.error) overlay = t("chart.loadError", { message: errorText(current.error) });
  else if (phase === "ready" && barCount === 0) overlay = t("chart.noData");

  return (
    <div
      className="chart-box"
      data-testid="chart"
      data-symbol={symbol ?? ""}
      data-bars={barCount}
      data-phase={phase}
      data-interval={interval}
      data-indicators={groupsKey}
    >
      <div className="chart-host" ref={hostRef} />
      {overlay !== null && (
        <div className={`chart-overlay${phase === "error" ? " error" : ""}`} role={phase === "error" ? "alert" : "status"}>
          {overlay}
        </div>
      )}
    </div>
  );
}
