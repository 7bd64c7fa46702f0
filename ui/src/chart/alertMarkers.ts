// Where alerts fired on the chart: one marker per bar (the most severe level colours it), and
// the alerts of the bar under the crosshair for the tooltip. Pure, so it is unit-tested.
import type { Alert } from "../bindings/Alert";
import type { Interval } from "../bindings/Interval";
import type { Level } from "../bindings/Level";

/** Most alerts the chart keeps for its markers (the newest win). */
export const MARKER_ALERT_CAP = 1000;

const RANK: Record<Level, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export const LEVEL_COLORS: Record<Level, string> = {
  low: "#7d8899",
  medium: "#4c9aff",
  high: "#f0b429",
  critical: "#ff4d5e",
};

const MS: Record<Interval, number> = { "1m": 60e3, "5m": 300e3, "15m": 900e3, "1h": 3600e3, "4h": 14400e3, "1d": 86400e3 };

/** The open time (UTC seconds) of the chart bar an alert belongs to. */
export function alertBarTime(a: Pick<Alert, "barTime">, interval: Interval): number {
  return Math.floor(a.barTime / MS[interval]) * (MS[interval] / 1000);
}

/**
 * Adds `incoming` alerts of `symbol` and `interval` to `held`: one per id (an id of 0 — not yet
 * stored — is keyed by rule and time), newest first, at most `cap`.
 */
export function mergeChartAlerts(
  held: readonly Alert[],
  incoming: readonly Alert[],
  symbol: string,
  interval: Interval,
  cap = MARKER_ALERT_CAP,
): Alert[] {
  const key = (a: Alert) => (a.id !== 0 ? `#${a.id}` : `${a.ruleId}|${a.firedAt}`);
  const byKey = new Map<string, Alert>();
  for (const a of [...held, ...incoming]) {
    if (a.symbol === symbol && a.interval === interval) byKey.set(key(a), a);
  }
  return [...byKey.values()].sort((a, b) => b.firedAt - a.firedAt).slice(0, cap);
}

/** Alerts by the open time (UTC seconds) of their bar, each bar's newest first. */
export function alertsByBar(alerts: readonly Alert[], interval: Interval): Map<number, Alert[]> {
  const out = new Map<number, Alert[]>();
  for (const a of alerts) {
    const t = alertBarTime(a, interval);
    const list = out.get(t);
    if (list) list.push(a);
    else out.set(t, [a]);
  }
  for (const list of out.values()) list.sort((a, b) => b.firedAt - a.firedAt);
  return out;
}

export interface AlertMarker {
  time: number;
  position: "aboveBar";
  shape: "arrowDown";
  color: string;
  /** The number of alerts on the bar when more than one. */
  text: string;
  id: string;
}

/**
 * Markers for the bars the chart holds (`barTimes`, sorted): a marker at a time the series does
 * not have would be drawn nowhere, so those are left out. Sorted by time, as the chart needs.
 */
export function alertMarkers(byBar: ReadonlyMap<number, readonly Alert[]>, barTimes: readonly number[]): AlertMarker[] {
  if (barTimes.length === 0) return [];
  const first = barTimes[0] ?? 0;
  const last = barTimes[barTimes.length - 1] ?? 0;
  const held = new Set(barTimes);
  const out: AlertMarker[] = [];
  for (const [time, list] of byBar) {
    if (time < first || time > last || !held.has(time) || list.length === 0) continue;
    const top = list.reduce((m, a) => (RANK[a.level] > RANK[m.level] ? a : m));
    out.push({
      time,
      position: "aboveBar",
      shape: "arrowDown",
      color: LEVEL_COLORS[top.level],
      text: list.length > 1 ? String(list.length) : "",
      id: `alerts-${time}`,
    });
  }
  return out.sort((a, b) => a.time - b.time);
}

/** The metrics an alert looked at, as "name value" pairs for the tooltip (at most `n`). */
export function alertReasons(a: Pick<Alert, "metrics">, n = 4): [string, number][] {
  return Object.entries(a.metrics)
    .filter((e): e is [string, number] => typeof e[1] === "number" && Number.isFinite(e[1]))
    .slice(0, n);
}
