import {
  CandlestickSeries,
  CrosshairMode,
  HistogramSeries,
  LineSeries,
  LineStyle,
  createChart,
  createSeriesMarkers,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type LogicalRange,
  type MouseEventParams,
  type Time,
  type UTCTimestamp,
} from "lightweight-charts";
import { useEffect, useEffectEvent, useMemo, useRef, useState } from "react";
import type { Alert } from "../bindings/Alert";
import type { ApiError } from "../bindings/ApiError";
import type { Candle } from "../bindings/Candle";
import type { Interval } from "../bindings/Interval";
import { indicatorNames, rollInto, type IndicatorGroup } from "./indicators";
import { api } from "../api";
import { useI18n } from "../i18n/I18nProvider";
import { formatPrice, priceDigits } from "../i18n/format";
import type { LiveHub } from "../state/liveHub";
import { useUiEvent } from "../state/useUiEvent";
import { alertMarkers, alertReasons, alertsByBar, LEVEL_COLORS, mergeChartAlerts } from "./alertMarkers";
import { BAR_CAP, HISTORY_LIMIT, applyCandles, candlesToBars, volumePoint, type Bar, type Palette } from "./bars";
import { endDrag, hitLine, moveDrag, startDrag, type DragState } from "./dragLines";
import { HISTORY_PAGE, nearLeftEdge, nearRightEdge, pageBefore, prependBars, shiftRange } from "./history";
import { documentChartColors, themedOptions, useAppearanceKey } from "./theme";
import { crosshairLabel, exchangeTimeZone, tickLabel, zoneLabel } from "./timeFormat";

interface Handles {
  chart: IChartApi;
  candles: ISeriesApi<"Candlestick">;
  volume: ISeriesApi<"Histogram">;
  markers: ISeriesMarkersPluginApi<Time>;
}

type Phase = "loading" | "ready" | "error";
interface View {
  symbol: string;
  phase: Phase;
  bars: number;
  error: ApiError | null;
}
/** Older history: being asked for, all of it held, or failed. */
type Older = { state: "idle" | "loading" | "done" } | { state: "error"; error: ApiError };

/** A price line of a rule, as the chart draws it; `key` names it for dragging. */
export interface ChartPriceLine {
  key: string;
  price: number;
  title: string;
}

const asTime = (seconds: number) => seconds as UTCTimestamp;
const toCandle = (b: Bar) => ({ time: asTime(b.time), open: b.open, high: b.high, low: b.low, close: b.close });
const toVolume = (b: Bar, palette: Palette) => {
  const v = volumePoint(b, palette);
  return { ...v, time: asTime(v.time) };
};
const seconds = (time: Time) => (typeof time === "number" ? time : 0);
/** Most alerts of one symbol asked for when its chart opens. */
const ALERT_HISTORY = 500;
const LINE_COLOR = "#f0b429";
/** Width (px) of the alert tooltip. */
const TIP_WIDTH = 260;

function setAll(h: Handles, bars: readonly Bar[], palette: Palette) {
  h.candles.setData(bars.map(toCandle));
  h.volume.setData(bars.map((b) => toVolume(b, palette)));
  const last = bars[bars.length - 1];
  if (last) {
    const d = priceDigits(last.close);
    h.candles.applyOptions({ priceFormat: { type: "price", precision: d, minMove: 10 ** -d } });
  }
}

function candleColors(p: Palette) {
  return { upColor: p.up, downColor: p.down, wickUpColor: p.up, wickDownColor: p.down };
}

/**
 * The candlestick chart with a volume pane. History comes from `get_candles`, older pages from
 * `get_candles_before` when the view reaches the left edge, live bars from the hub; alerts of
 * this symbol and interval are marked on their bars. `data-bars` tells tests how many bars the
 * series holds.
 */
export function CandleChart({
  symbol,
  hub,
  interval = "1m",
  indicators = [],
  priceLines = [],
  onPickPrice,
  onMoveLine,
}: {
  symbol: string | null;
  hub: LiveHub;
  interval?: Interval;
  indicators?: readonly IndicatorGroup[];
  /** Price levels of rules on this symbol. */
  priceLines?: readonly ChartPriceLine[];
  /** A click on the chart offers "create alert here" at that price. */
  onPickPrice?: (price: number) => void;
  /** A price line was dragged from one price to another and let go. */
  onMoveLine?: (key: string, from: number, to: number) => void;
}) {
  const { t, locale, errorText } = useI18n();
  const appearance = useAppearanceKey();
  const linesRef = useRef<ISeriesApi<"Line">[]>([]);
  const [version, setVersion] = useState(0);
  const hostRef = useRef<HTMLDivElement>(null);
  const handlesRef = useRef<Handles | null>(null);
  const barsRef = useRef<Bar[]>([]);
  const paletteRef = useRef<Palette>(documentChartColors().palette);
  const [view, setView] = useState<View | null>(null);
  const [older, setOlder] = useState<Older>({ state: "idle" });
  const [alerts, setAlerts] = useState<{ key: string; list: Alert[] }>({ key: "", list: [] });
  /** The bar under the crosshair that has alerts, and where the tooltip goes (px from the left, or from the right near that edge). */
  const [hover, setHover] = useState<{ time: number; left: number | null; right: number | null } | null>(null);
  const priceLinesRef = useRef(new Map<string, { line: IPriceLine; price: number }>());
  const [dragging, setDragging] = useState<string | null>(null);
  const [grab, setGrab] = useState(false);
  const timeZone = exchangeTimeZone(symbol);
  // The zone's short name (GMT+8, EST) as of when the chart opened.
  const [openedAt] = useState(() => Date.now());
  const alertKey = `${symbol ?? ""}|${interval}`;

  // One chart for the component's life. It starts with a fixed valid locale: WebKitGTK
  // can report navigator.language "C", which lightweight-charts would throw on.
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const colors = documentChartColors();
    const base = themedOptions(colors);
    const chart = createChart(host, {
      autoSize: true,
      layout: { ...base.layout, fontSize: 11, attributionLogo: false, panes: { ...base.layout.panes, enableResize: true } },
      localization: { locale: "en-US" },
      grid: base.grid,
      crosshair: { mode: CrosshairMode.Normal },
      rightPriceScale: base.rightPriceScale,
      timeScale: { ...base.timeScale, timeVisible: true, secondsVisible: false, rightOffset: 4 },
    });
    const candles = chart.addSeries(CandlestickSeries, { ...candleColors(colors.palette), borderVisible: false });
    const volume = chart.addSeries(
      HistogramSeries,
      { priceFormat: { type: "volume" }, priceScaleId: "volume", lastValueVisible: false, priceLineVisible: false },
      1,
    );
    const markers = createSeriesMarkers(candles, []);
    const panes = chart.panes();
    panes[0]?.setStretchFactor(3);
    panes[1]?.setStretchFactor(1);
    paletteRef.current = colors.palette;
    handlesRef.current = { chart, candles, volume, markers };
    return () => {
      handlesRef.current = null;
      chart.remove();
    };
  }, []);

  // The theme and the up/down convention: layout colours, candles, and the volume bars again.
  useEffect(() => {
    const h = handlesRef.current;
    if (!h) return;
    const colors = documentChartColors();
    paletteRef.current = colors.palette;
    h.chart.applyOptions(themedOptions(colors));
    h.candles.applyOptions(candleColors(colors.palette));
    if (barsRef.current.length > 0) h.volume.setData(barsRef.current.map((b) => toVolume(b, colors.palette)));
  }, [appearance]);

  // Axis and crosshair times in the exchange's zone, in the app's (always explicit) locale.
  useEffect(() => {
    handlesRef.current?.chart.applyOptions({
      localization: { locale, timeFormatter: (time: Time) => crosshairLabel(seconds(time), locale, timeZone) },
      timeScale: {
        tickMarkFormatter: (time: Time, type: number) => tickLabel(seconds(time), type, locale, timeZone),
      },
    });
  }, [locale, timeZone]);

  useEffect(() => {
    const h = handlesRef.current;
    if (!h || symbol === null) return;
    let active = true;
    barsRef.current = [];
    let pending: Candle[] | null = [];
    // Older pages: one at a time; `exhausted` once the store has no more.
    let loadingOlder = false;
    let exhausted = false;
    // True after paging back dropped the newest bars: live bars wait until the view returns.
    let liveCut = false;
    h.candles.setData([]);
    h.volume.setData([]);
    setOlder({ state: "idle" });

    const shown = () => {
      setView({ symbol, phase: "ready", bars: barsRef.current.length, error: null });
      setVersion((v) => v + 1);
    };

    const apply = (live: Candle[]) => {
      if (liveCut) return;
      const bars = barsRef.current;
      // Live bars are 1m; a coarser chart folds them into its last bar.
      const candles = interval === "1m" ? live : rollInto(bars, live, interval);
      const r = applyCandles(bars, candles, BAR_CAP);
      const grew = r.bars.length !== bars.length || (r.bars[0]?.time ?? 0) !== (bars[0]?.time ?? 0);
      barsRef.current = r.bars;
      if (r.reset) setAll(h, r.bars, paletteRef.current);
      else
        for (const b of r.updates) {
          h.candles.update(toCandle(b));
          h.volume.update(toVolume(b, paletteRef.current));
        }
      if (grew) shown();
    };

    const loadOlder = () => {
      const before = pageBefore(barsRef.current);
      if (loadingOlder || exhausted || pending !== null || before === null) return;
      loadingOlder = true;
      setOlder({ state: "loading" });
      api.getCandlesBefore(symbol, interval, before, HISTORY_PAGE).then(
        (page) => {
          if (!active) return;
          loadingOlder = false;
          if (page.length < HISTORY_PAGE) exhausted = true;
          const range = h.chart.timeScale().getVisibleLogicalRange();
          const r = prependBars(barsRef.current, page, BAR_CAP);
          setOlder({ state: exhausted ? "done" : "idle" });
          if (r.added === 0) return;
          barsRef.current = r.bars;
          if (r.droppedNewest > 0) liveCut = true;
          setAll(h, r.bars, paletteRef.current);
          if (range) h.chart.timeScale().setVisibleLogicalRange(shiftRange(range, r.added));
          shown();
        },
        (e: unknown) => {
          if (!active) return;
          loadingOlder = false;
          exhausted = true; // not asked again and again; a new symbol or interval retries
          setOlder({ state: "error", error: e as ApiError });
        },
      );
    };

    // Back at the right edge after the newest bars were dropped: the latest bars again.
    const backToLive = () => {
      liveCut = false;
      pending = [];
      api.getCandles(symbol, interval, HISTORY_LIMIT).then(
        (latest) => {
          if (!active) return;
          barsRef.current = candlesToBars([...latest, ...(pending ?? [])], BAR_CAP);
          pending = null;
          exhausted = latest.length < HISTORY_LIMIT;
          setOlder({ state: exhausted ? "done" : "idle" });
          setAll(h, barsRef.current, paletteRef.current);
          h.chart.timeScale().scrollToRealTime();
          shown();
        },
        (e: unknown) => {
          if (!active) return;
          pending = null;
          liveCut = true;
          setOlder({ state: "error", error: e as ApiError });
        },
      );
    };

    const onRange = (range: LogicalRange | null) => {
      if (!active || pending !== null) return;
      if (nearLeftEdge(range)) loadOlder();
      else if (liveCut && nearRightEdge(range, barsRef.current.length)) backToLive();
    };
    const timeScale = h.chart.timeScale();
    timeScale.subscribeVisibleLogicalRangeChange(onRange);

    // Live bars that arrive while history loads are kept and applied after it.
    const unsubscribe = hub.subscribe(symbol, (candles) => {
      if (!active) return;
      if (pending) pending.push(...candles);
      else apply(candles);
    });

    api.getCandles(symbol, interval, HISTORY_LIMIT).then(
      (history) => {
        if (!active) return;
        barsRef.current = candlesToBars([...history, ...(pending ?? [])], BAR_CAP);
        pending = null;
        exhausted = history.length < HISTORY_LIMIT;
        if (exhausted) setOlder({ state: "done" });
        setAll(h, barsRef.current, paletteRef.current);
        h.chart.timeScale().scrollToRealTime();
        shown();
      },
      (e: unknown) => {
        if (!active) return;
        pending = null;
        setView({ symbol, phase: "error", bars: barsRef.current.length, error: e as ApiError });
      },
    );

    return () => {
      active = false;
      timeScale.unsubscribeVisibleLogicalRangeChange(onRange);
      unsubscribe();
    };
  }, [symbol, hub, interval]);

  // Alerts of this symbol and interval: the stored ones, then each new one as it fires.
  useEffect(() => {
    if (symbol === null) return;
    let active = true;
    api.alertHistory({ symbol, limit: ALERT_HISTORY }).then(
      (stored) => {
        if (!active) return;
        setAlerts((cur) => ({ key: alertKey, list: mergeChartAlerts(cur.key === alertKey ? cur.list : [], stored, symbol, interval) }));
      },
      () => undefined, // no markers is not worth an error box over the chart
    );
    return () => {
      active = false;
    };
  }, [symbol, interval, alertKey]);
  useUiEvent((e) => {
    if (e.kind !== "alert" || symbol === null || e.alert.symbol !== symbol || e.alert.interval !== interval) return;
    setAlerts((cur) => ({ key: alertKey, list: mergeChartAlerts(cur.key === alertKey ? cur.list : [], [e.alert], symbol, interval) }));
  });
  const byBar = useMemo(() => alertsByBar(alerts.key === alertKey ? alerts.list : [], interval), [alerts, alertKey, interval]);
  const barCount = view !== null && view.symbol === symbol ? view.bars : 0;
  const [markerCount, setMarkerCount] = useState(0);
  // `version` changes whenever the bars held change: markers only go on bars the series has.
  useEffect(() => {
    const h = handlesRef.current;
    if (!h) return;
    const m = alertMarkers(byBar, barsRef.current.map((b) => b.time));
    h.markers.setMarkers(m.map((x) => ({ ...x, time: asTime(x.time) })));
    setMarkerCount(m.length);
  }, [byBar, version]);

  // The alerts of the bar under the crosshair, for the tooltip.
  useEffect(() => {
    const h = handlesRef.current;
    if (!h) return;
    const handler = (p: MouseEventParams) => {
      const time = p.time === undefined ? null : seconds(p.time);
      if (time === null || !p.point || !byBar.has(time)) {
        setHover(null);
        return;
      }
      const x = p.point.x;
      const width = hostRef.current?.clientWidth ?? 0;
      const flip = width > 0 && x > width - TIP_WIDTH - 24;
      setHover((cur) =>
        cur?.time === time ? cur : { time, left: flip ? null : Math.max(8, x + 12), right: flip ? Math.max(8, width - x + 12) : null },
      );
    };
    h.chart.subscribeCrosshairMove(handler);
    return () => {
      h.chart.unsubscribeCrosshairMove(handler);
    };
  }, [byBar]);

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
    const held = barsRef.current;
    const first = held[0]?.time ?? -Infinity;
    const last = held[held.length - 1]?.time ?? Infinity;
    const limit = Math.min(BAR_CAP, Math.max(HISTORY_LIMIT, held.length));
    api.getIndicators(symbol, interval, limit, names.map((n) => n.metric)).then(
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
          // Only over the bars held: a point outside them would add a time with no candle.
          s.setData(
            series.times.flatMap((time, j) => {
              const v = line.values[j];
              const sec = Math.floor(time / 1000);
              return v === null || v === undefined || sec < first || sec > last ? [] : [{ time: asTime(sec), value: v }];
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
    const made = priceLinesRef.current;
    made.clear();
    for (const p of JSON.parse(linesKey) as ChartPriceLine[]) {
      const line = h.candles.createPriceLine({
        price: p.price,
        title: p.title,
        color: LINE_COLOR,
        lineStyle: LineStyle.Dashed,
        lineWidth: 1,
        axisLabelVisible: true,
      });
      made.set(p.key, { line, price: p.price });
    }
    return () => {
      for (const m of made.values()) h.candles.removePriceLine(m.line);
      made.clear();
    };
  }, [linesKey, symbol]);

  // Dragging a price line: a press near a line is taken before the chart sees it (no panning),
  // the line follows the pointer, and letting go reports the new price.
  const moved = useEffectEvent((key: string, from: number, to: number) => onMoveLine?.(key, from, to));
  const draggable = onMoveLine !== undefined;
  useEffect(() => {
    const host = hostRef.current;
    const h = handlesRef.current;
    if (!host || !h || !draggable) return;
    const placed = () =>
      [...priceLinesRef.current].map(([key, m]) => ({ key, price: m.price, y: h.candles.priceToCoordinate(m.price) }));
    const yOf = (e: MouseEvent) => e.clientY - host.getBoundingClientRect().top;
    let drag: DragState | null = null;

    const onMove = (e: MouseEvent) => {
      if (!drag) return;
      drag = moveDrag(drag, yOf(e), (y) => h.candles.coordinateToPrice(y));
      const m = priceLinesRef.current.get(drag.key);
      if (m && drag.price !== null) m.line.applyOptions({ price: drag.price });
    };
    const onUp = () => {
      window.removeEventListener("mousemove", onMove);
      window.removeEventListener("mouseup", onUp);
      const d = drag;
      drag = null;
      setDragging(null);
      if (!d) return;
      const done = endDrag(d);
      const m = priceLinesRef.current.get(d.key);
      if (!done) {
        m?.line.applyOptions({ price: d.from });
        return;
      }
      moved(done.key, done.from, done.to);
    };
    const onDown = (e: MouseEvent) => {
      if (e.button !== 0) return;
      const hit = hitLine(placed(), yOf(e));
      if (!hit) return;
      e.stopPropagation();
      e.preventDefault();
      drag = startDrag(hit.key, hit.price, yOf(e));
      setDragging(hit.key);
      window.addEventListener("mousemove", onMove);
      window.addEventListener("mouseup", onUp);
    };
    const onHover = (e: MouseEvent) => {
      if (!drag) setGrab(hitLine(placed(), yOf(e)) !== null);
    };
    host.addEventListener("mousedown", onDown, { capture: true });
    host.addEventListener("mousemove", onHover);
    return () => {
      host.removeEventListener("mousedown", onDown, { capture: true });
      host.removeEventListener("mousemove", onHover);
      window.removeEventListener("mousemove", onMove);
      window.removeEventListener("mouseup", onUp);
    };
  }, [draggable]);

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

  let overlay: string | null = null;
  if (phase === "none") overlay = t("chart.pick");
  else if (phase === "loading") overlay = t("chart.loading");
  else if (phase === "error" && current?.error) overlay = t("chart.loadError", { message: errorText(current.error) });
  else if (phase === "ready" && barCount === 0) overlay = t("chart.noData");

  const hovered = hover ? (byBar.get(hover.time) ?? []) : [];
  const zone = symbol !== null ? zoneLabel(locale, timeZone, openedAt) : "";

  return (
    <div
      className={`chart-box${grab || dragging !== null ? " grab" : ""}`}
      data-testid="chart"
      data-symbol={symbol ?? ""}
      data-bars={barCount}
      data-phase={phase}
      data-interval={interval}
      data-indicators={groupsKey}
      data-older={older.state}
      data-markers={markerCount}
      data-timezone={timeZone ?? "local"}
      data-dragging={dragging ?? ""}
    >
      <div className="chart-host" ref={hostRef} />
      {symbol !== null && (
        <span className="chart-tz" title={t("chart.timeZone", { zone: timeZone ?? zone })}>
          {zone}
        </span>
      )}
      {older.state === "loading" && (
        <span className="chart-older" role="status">
          {t("chart.olderLoading")}
        </span>
      )}
      {older.state === "error" && (
        <span className="chart-older error" role="alert">
          {t("chart.olderError", { message: errorText(older.error) })}
        </span>
      )}
      {hover && hovered.length > 0 && (
        <div className="chart-tip" role="tooltip" data-testid="chart-alert-tip" style={{ left: hover.left ?? undefined, right: hover.right ?? undefined, width: TIP_WIDTH }}>
          {hovered.slice(0, 4).map((a) => (
            <div key={`${a.id}|${a.firedAt}|${a.ruleId}`} className="tip-alert">
              <div className="tip-head">
                <span className="tip-level" style={{ color: LEVEL_COLORS[a.level] }}>
                  {t(`level.${a.level}`)}
                </span>
                <span className="tip-rule">{a.ruleName}</span>
              </div>
              <div className="tip-time">{crosshairLabel(a.firedAt / 1000, locale, timeZone)}</div>
              {a.message && <div className="tip-msg">{a.message}</div>}
              {alertReasons(a).length > 0 && (
                <div className="tip-reasons">
                  {alertReasons(a)
                    .map(([k, v]) => `${k} ${formatPrice(locale, v)}`)
                    .join(" · ")}
                </div>
              )}
            </div>
          ))}
          {hovered.length > 4 && <div className="tip-more">{t("chart.moreAlerts", { count: hovered.length - 4 })}</div>}
        </div>
      )}
      {overlay !== null && (
        <div className={`chart-overlay${phase === "error" ? " error" : ""}`} role={phase === "error" ? "alert" : "status"}>
          {overlay}
        </div>
      )}
    </div>
  );
}
