// Which indicator lines the chart draws, where, and how live 1m bars fold into a coarser bar.
import type { Candle } from "../bindings/Candle";
import type { Interval } from "../bindings/Interval";
import type { Bar } from "./bars";

export const INDICATOR_GROUPS = ["ma", "ema", "bb", "vwap", "rsi", "macd", "anomaly"] as const;
export type IndicatorGroup = (typeof INDICATOR_GROUPS)[number];

export interface LineSpec {
  /** The metric name the engine computes (same words as rules). */
  metric: string;
  color: string;
  /** 0: over the candles; 2+: own panes below the volume. */
  pane: number;
}

const GROUPS: Record<IndicatorGroup, LineSpec[]> = {
  ma: [{ metric: "sma(20)", color: "#f0b429", pane: 0 }],
  ema: [{ metric: "ema(20)", color: "#a78bfa", pane: 0 }],
  bb: [
    { metric: "bb_upper", color: "#60a5fa", pane: 0 },
    { metric: "bb_mid", color: "#3b82f6", pane: 0 },
    { metric: "bb_lower", color: "#60a5fa", pane: 0 },
  ],
  vwap: [{ metric: "vwap", color: "#f472b6", pane: 0 }],
  rsi: [{ metric: "rsi", color: "#fbbf24", pane: 2 }],
  macd: [
    { metric: "macd", color: "#38bdf8", pane: 3 },
    { metric: "macd_signal", color: "#fb923c", pane: 3 },
  ],
  anomaly: [{ metric: "anomaly_score", color: "#f87171", pane: 4 }],
};

/** The lines of the chosen groups, panes numbered without gaps after the volume pane. */
export function indicatorNames(groups: readonly IndicatorGroup[]): LineSpec[] {
  const chosen = INDICATOR_GROUPS.filter((g) => groups.includes(g));
  const panes = [...new Set(chosen.flatMap((g) => GROUPS[g].map((l) => l.pane)).filter((p) => p >= 2))].sort();
  const renumber = new Map(panes.map((p, i) => [p, i + 2]));
  return chosen.flatMap((g) => GROUPS[g].map((l) => ({ ...l, pane: l.pane < 2 ? l.pane : (renumber.get(l.pane) ?? l.pane) })));
}

const MS: Record<Interval, number> = { "1m": 60e3, "5m": 300e3, "15m": 900e3, "1h": 3600e3, "4h": 14400e3, "1d": 86400e3 };

/**
 * Folds live 1m candles into the coarser bars of `interval`: the open stays the bar's own,
 * high/low widen, the close follows. The volume of the coarse bar is the stored one until
 * the next reload (the 1m feed carries per-minute volume, not the bar's running total).
 */
export function rollInto(bars: readonly Bar[], live: readonly Candle[], interval: Interval): Candle[] {
  const out: Candle[] = [];
  let last = bars[bars.length - 1];
  for (const c of live) {
    const openTime = Math.floor(c.openTime / MS[interval]) * MS[interval];
    const base = last && last.time * 1000 === openTime ? last : null;
    const merged: Candle = {
      ...c,
      interval,
      openTime,
      open: base ? base.open : c.open,
      high: base ? Math.max(base.high, c.high) : c.high,
      low: base ? Math.min(base.low, c.low) : c.low,
      close: c.close,
      volume: base ? base.volume : c.volume,
      closed: false,
    };
    out.push(merged);
    last = { time: openTime / 1000, open: merged.open, high: merged.high, low: merged.low, close: merged.close, volume: merged.volume };
  }
  return out;
}
