// Small hand-made data for the UI tests.
import type { Alert } from "../bindings/Alert";
import type { Candle } from "../bindings/Candle";
import type { WatchRow } from "../bindings/WatchRow";

export function row(symbol: string, price: number | null, updatedAt: number | null = 1000, extra: Partial<WatchRow> = {}): WatchRow {
  return { symbol, name: symbol, simulated: symbol.startsWith("demo:"), price, changePct: 0, volume: 1, relVolume: null, updatedAt, ...extra };
}

export function candle(openTimeMs: number, close: number, extra: Partial<Candle> = {}): Candle {
  return {
    symbol: "demo:ALPHA",
    interval: "1m",
    openTime: openTimeMs,
    open: close - 1,
    high: close + 1,
    low: close - 2,
    close,
    volume: 10,
    quoteVolume: 10 * close,
    trades: 3,
    closed: false,
    ...extra,
  };
}

export function alert(id: number, firedAt: number, extra: Partial<Alert> = {}): Alert {
  return {
    id,
    ruleId: 1,
    ruleName: `rule ${id}`,
    symbol: "demo:ALPHA",
    interval: "1m",
    level: "high",
    firedAt,
    barTime: firedAt - (firedAt % 60_000),
    message: `alert ${id}`,
    metrics: {},
    ...extra,
  };
}
