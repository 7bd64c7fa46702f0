// Fan-out of live 1m candles to whoever draws them (the chart), without sending every
// batch through React state.
import type { Candle } from "../bindings/Candle";

export type CandleListener = (candles: Candle[]) => void;

export interface LiveHub {
  publish: (candles: readonly Candle[]) => void;
  /** Listens to the 1m candles of one symbol; returns the unsubscribe function. */
  subscribe: (symbol: string, listener: CandleListener) => () => void;
}

export function createLiveHub(): LiveHub {
  const listeners = new Map<string, Set<CandleListener>>();
  return {
    publish(candles) {
      const bySymbol = new Map<string, Candle[]>();
      for (const c of candles) {
        if (c.interval !== "1m" || !listeners.has(c.symbol)) continue;
        const list = bySymbol.get(c.symbol);
        if (list) list.push(c);
        else bySymbol.set(c.symbol, [c]);
      }
      for (const [symbol, list] of bySymbol) {
        for (const l of listeners.get(symbol) ?? []) l(list);
      }
    },
    subscribe(symbol, listener) {
      let set = listeners.get(symbol);
      if (!set) {
        set = new Set();
        listeners.set(symbol, set);
      }
      set.add(listener);
      return () => {
        const s = listeners.get(symbol);
        s?.delete(listener);
        if (s?.size === 0) listeners.delete(symbol);
      };
    },
  };
}
