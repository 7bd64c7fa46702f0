import { useEffect, useState } from "react";
import { api } from "../api";
import type { Interval } from "../bindings/Interval";
import { defaultDays } from "./backtest";

/** What is known of a symbol's stored history: loading, none, or the open time of its last bar. */
export type StoredEnd = { kind: "loading" } | { kind: "none" } | { kind: "last"; time: number };

/** The wall clock, for the window shown before the stored history answers. */
const clockNow = () => Date.now();

/**
 * The date window of a backtest form: the last 30 days of `symbol`'s stored `interval` bars
 * until the user edits a date (then the user's dates stay, whatever symbol comes next).
 */
export function useStoredWindow(symbol: string, interval: Interval) {
  const key = `${symbol}|${interval}`;
  const [answer, setAnswer] = useState<{ key: string; end: StoredEnd } | null>(null);
  const [edited, setEdited] = useState<{ from: string; to: string } | null>(null);
  const [fallback] = useState(() => defaultDays(clockNow()));

  useEffect(() => {
    if (symbol === "") return;
    let active = true;
    api.getCandles(symbol, interval, 1).then(
      (bars) => {
        const last = bars[bars.length - 1];
        if (active) setAnswer({ key, end: last ? { kind: "last", time: last.openTime } : { kind: "none" } });
      },
      () => {
        if (active) setAnswer({ key, end: { kind: "none" } });
      },
    );
    return () => {
      active = false;
    };
  }, [key, symbol, interval]);

  const end: StoredEnd = symbol === "" ? { kind: "none" } : answer?.key === key ? answer.end : { kind: "loading" };
  const dates = edited ?? (end.kind === "last" ? defaultDays(end.time) : fallback);
  const setDates = (patch: Partial<{ from: string; to: string }>) => {
    setEdited({ ...dates, ...patch });
  };
  return { end, dates, setDates };
}
