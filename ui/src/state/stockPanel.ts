// What the A-share panel shows, from a stock's daily figures (Tushare daily_basic and
// moneyflow): the latest value of each indicator with its day, and the main-force net inflow
// per day. A figure the source did not publish stays null (never shown as 0).

import type { FundamentalDay } from "../bindings/FundamentalDay";

export const INDICATORS = ["turnover_rate", "volume_ratio", "pe", "pe_ttm", "pb", "total_mv", "circ_mv"] as const;
export type Indicator = (typeof INDICATORS)[number];

export interface FlowDay {
  day: number;
  main: number;
  large: number | null;
  xlarge: number | null;
}

export interface StockPanelModel {
  /** The newest day with any daily_basic figure. */
  asOf: number | null;
  latest: Record<Indicator, number | null>;
  /** Newest last; at most `maxDays`. */
  flow: FlowDay[];
  /** Largest |main| of `flow`, for bar widths. */
  flowScale: number;
}

/** Shows the panel for A-shares (Tushare symbols) only. */
export function isAShare(symbol: string | null): symbol is string {
  return symbol !== null && symbol.startsWith("tushare:");
}

export function stockPanelModel(days: readonly FundamentalDay[], maxDays = 10): StockPanelModel {
  const sorted = [...days].sort((a, b) => a.dayMs - b.dayMs);
  const latest = Object.fromEntries(INDICATORS.map((k) => [k, null])) as Record<Indicator, number | null>;
  let asOf: number | null = null;
  // The newest day that has daily_basic figures; PE of a loss-making day is absent, so it
  // stays null rather than falling back to an older day's value.
  for (const d of [...sorted].reverse()) {
    const v = d.values;
    if (INDICATORS.some((k) => v[k] !== undefined)) {
      asOf = d.dayMs;
      for (const k of INDICATORS) latest[k] = v[k] ?? null;
      break;
    }
  }
  const flow: FlowDay[] = sorted
    .filter((d) => d.values.main_net_inflow !== undefined)
    .slice(-maxDays)
    .map((d) => ({
      day: d.dayMs,
      main: d.values.main_net_inflow as number,
      large: d.values.large_net_inflow ?? null,
      xlarge: d.values.xlarge_net_inflow ?? null,
    }));
  const flowScale = flow.reduce((m, f) => Math.max(m, Math.abs(f.main)), 0);
  return { asOf, latest, flow, flowScale };
}
