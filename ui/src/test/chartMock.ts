// A stand-in for lightweight-charts in jsdom (no canvas): records what the UI asks of it.
import { vi } from "vitest";

export interface FakeSeries {
  kind: string;
  data: { time: number }[];
  setData: (d: { time: number }[]) => void;
  update: (p: { time: number }) => void;
  applyOptions: (o: unknown) => void;
  priceLines: { price: number; title: string }[];
  createPriceLine: (o: { price: number; title: string }) => { price: number; title: string };
  removePriceLine: (l: { price: number; title: string }) => void;
  coordinateToPrice: (y: number) => number | null;
}

export const chartLog = {
  createOptions: [] as unknown[],
  applied: [] as unknown[],
  series: [] as FakeSeries[],
  clickHandlers: [] as ((p: { point?: { x: number; y: number } }) => void)[],
  reset() {
    this.clickHandlers = [];
    this.createOptions = [];
    this.applied = [];
    this.series = [];
  },
};

export function fakeLightweightCharts() {
  const makeSeries = (kind: string): FakeSeries => {
    const s: FakeSeries = {
      kind,
      data: [],
      setData: (d) => {
        s.data = [...d];
      },
      update: (p) => {
        const last = s.data[s.data.length - 1];
        if (last && p.time < last.time) throw new Error("Cannot update oldest data");
        if (last && last.time === p.time) s.data[s.data.length - 1] = p;
        else s.data.push(p);
      },
      applyOptions: () => undefined,
      priceLines: [],
      createPriceLine: (o) => {
        s.priceLines.push(o);
        return o;
      },
      removePriceLine: (l) => {
        s.priceLines = s.priceLines.filter((x) => x !== l);
      },
      coordinateToPrice: (y) => 1000 - y,
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
    createChart: vi.fn((_el: HTMLElement, options: unknown) => {
      chartLog.createOptions.push(options);
      return {
        addSeries: (def: { type: string }) => makeSeries(def.type),
        panes: () => [{ setStretchFactor: () => undefined }, { setStretchFactor: () => undefined }],
        applyOptions: (o: unknown) => chartLog.applied.push(o),
        timeScale: () => ({ scrollToRealTime: () => undefined }),
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
      };
    }),
  };
}
