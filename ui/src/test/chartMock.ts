// A stand-in for lightweight-charts in jsdom (no canvas): records what the UI asks of it.
// Prices map to pane coordinates as y = 1000 - price; the visible logical range is settable.
import { vi } from "vitest";

export interface FakePriceLine {
  price: number;
  title: string;
  applyOptions: (o: { price?: number }) => void;
}

export interface FakeSeries {
  kind: string;
  data: { time: number }[];
  setData: (d: { time: number }[]) => void;
  update: (p: { time: number }) => void;
  applyOptions: (o: unknown) => void;
  options: Record<string, unknown>[];
  priceLines: FakePriceLine[];
  createPriceLine: (o: { price: number; title: string }) => FakePriceLine;
  removePriceLine: (l: FakePriceLine) => void;
  coordinateToPrice: (y: number) => number | null;
  priceToCoordinate: (price: number) => number | null;
  markers: { time: number; color: string; text: string }[];
}

type RangeHandler = (r: { from: number; to: number } | null) => void;
type CrosshairHandler = (p: { time?: number; point?: { x: number; y: number } }) => void;

export const chartLog = {
  createOptions: [] as unknown[],
  applied: [] as unknown[],
  series: [] as FakeSeries[],
  clickHandlers: [] as ((p: { point?: { x: number; y: number } }) => void)[],
  rangeHandlers: [] as RangeHandler[],
  crosshairHandlers: [] as CrosshairHandler[],
  visibleRange: null as { from: number; to: number } | null,
  reset() {
    this.clickHandlers = [];
    this.createOptions = [];
    this.applied = [];
    this.series = [];
    this.rangeHandlers = [];
    this.crosshairHandlers = [];
    this.visibleRange = null;
  },
  candles(): FakeSeries | undefined {
    return this.series.find((s) => s.kind === "Candlestick");
  },
  /** Scrolls the fake chart: the UI hears the new logical range. */
  scrollTo(range: { from: number; to: number }) {
    this.visibleRange = range;
    for (const h of [...this.rangeHandlers]) h(range);
  },
  /** Moves the crosshair onto the bar at `time` (UTC seconds), or off the chart. */
  crosshair(time: number | undefined, point = { x: 100, y: 100 }) {
    for (const h of [...this.crosshairHandlers]) h(time === undefined ? {} : { time, point });
  },
};

export function fakeLightweightCharts() {
  const makeSeries = (kind: string): FakeSeries => {
    const s: FakeSeries = {
      kind,
      data: [],
      markers: [],
      options: [],
      setData: (d) => {
        s.data = [...d];
      },
      update: (p) => {
        const last = s.data[s.data.length - 1];
        if (last && p.time < last.time) throw new Error("Cannot update oldest data");
        if (last && last.time === p.time) s.data[s.data.length - 1] = p;
        else s.data.push(p);
      },
      applyOptions: (o) => {
        s.options.push(o as Record<string, unknown>);
      },
      priceLines: [],
      createPriceLine: (o) => {
        const line: FakePriceLine = {
          price: o.price,
          title: o.title,
          applyOptions: (x) => {
            if (x.price !== undefined) line.price = x.price;
          },
        };
        s.priceLines.push(line);
        return line;
      },
      removePriceLine: (l) => {
        s.priceLines = s.priceLines.filter((x) => x !== l);
      },
      coordinateToPrice: (y) => 1000 - y,
      priceToCoordinate: (price) => 1000 - price,
    };
    chartLog.series.push(s);
    return s;
  };
  return {
    CandlestickSeries: { type: "Candlestick" },
    HistogramSeries: { type: "Histogram" },
    LineSeries: { type: "Line" },
    LineStyle: { Dashed: 2 },
    ColorType: { Solid: "solid" },
    CrosshairMode: { Normal: 0 },
    createSeriesMarkers: (series: FakeSeries) => ({
      setMarkers: (m: FakeSeries["markers"]) => {
        series.markers = [...m];
      },
      markers: () => series.markers,
      detach: () => undefined,
    }),
    createChart: vi.fn((_el: HTMLElement, options: unknown) => {
      chartLog.createOptions.push(options);
      const timeScale = {
        scrollToRealTime: () => undefined,
        fitContent: () => undefined,
        getVisibleLogicalRange: () => chartLog.visibleRange,
        setVisibleLogicalRange: (r: { from: number; to: number }) => {
          chartLog.visibleRange = r;
        },
        subscribeVisibleLogicalRangeChange: (h: RangeHandler) => {
          chartLog.rangeHandlers.push(h);
        },
        unsubscribeVisibleLogicalRangeChange: (h: RangeHandler) => {
          chartLog.rangeHandlers = chartLog.rangeHandlers.filter((x) => x !== h);
        },
      };
      return {
        addSeries: (def: { type: string }) => makeSeries(def.type),
        panes: () => [{ setStretchFactor: () => undefined }, { setStretchFactor: () => undefined }],
        applyOptions: (o: unknown) => chartLog.applied.push(o),
        timeScale: () => timeScale,
        remove: () => undefined,
        removeSeries: (x: FakeSeries) => {
          chartLog.series = chartLog.series.filter((s) => s !== x);
        },
        subscribeClick: (h: (p: { point?: { x: number; y: number } }) => void) => {
          chartLog.clickHandlers.push(h);
        },
        unsubscribeClick: (h: (p: { point?: { x: number; y: number } }) => void) => {
          chartLog.clickHandlers = chartLog.clickHandlers.filter((x) => x !== h);
        },
        subscribeCrosshairMove: (h: CrosshairHandler) => {
          chartLog.crosshairHandlers.push(h);
        },
        unsubscribeCrosshairMove: (h: CrosshairHandler) => {
          chartLog.crosshairHandlers = chartLog.crosshairHandlers.filter((x) => x !== h);
        },
      };
    }),
  };
}
