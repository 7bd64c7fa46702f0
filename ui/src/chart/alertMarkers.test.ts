import { describe, expect, it } from "vitest";
import { alert } from "../test/fixtures";
import { alertBarTime, alertMarkers, alertReasons, alertsByBar, LEVEL_COLORS, mergeChartAlerts } from "./alertMarkers";

const MIN = 60_000;
const T = Date.UTC(2024, 4, 17, 9, 0);

describe("alert markers", () => {
  it("keeps this symbol's and interval's alerts, once each, newest first, under the cap", () => {
    const a1 = alert(1, T + MIN);
    const a2 = alert(2, T + 3 * MIN);
    const other = alert(3, T + 2 * MIN, { symbol: "demo:BETA" });
    const fiveMin = alert(4, T + 2 * MIN, { interval: "5m" });
    const unsaved = alert(0, T + 4 * MIN, { ruleId: 9 });
    const merged = mergeChartAlerts([a1], [a2, a1, other, fiveMin, unsaved, { ...unsaved }], "demo:ALPHA", "1m");
    expect(merged.map((a) => a.id)).toEqual([0, 2, 1]);
    expect(mergeChartAlerts(merged, [alert(5, T + 9 * MIN)], "demo:ALPHA", "1m", 2).map((a) => a.id)).toEqual([5, 0]);
  });

  it("puts each alert on its bar and colours a bar by its most severe alert", () => {
    const alerts = [
      alert(1, T + 10_000, { level: "low" }),
      alert(2, T + 50_000, { level: "critical" }),
      alert(3, T + 2 * MIN + 5_000, { level: "medium" }),
      alert(4, T + 90 * MIN, { level: "high" }), // a bar the chart does not hold
    ];
    const third = { barTime: T + 2 * MIN };
    expect(alertBarTime(third, "1m")).toBe((T + 2 * MIN) / 1000);
    expect(alertBarTime(third, "5m")).toBe(T / 1000);
    const byBar = alertsByBar(alerts, "1m");
    expect(byBar.get(T / 1000)?.map((a) => a.id)).toEqual([2, 1]);
    const times = [0, 1, 2, 3].map((m) => (T + m * MIN) / 1000);
    const markers = alertMarkers(byBar, times);
    expect(markers).toEqual([
      { time: T / 1000, position: "aboveBar", shape: "arrowDown", color: LEVEL_COLORS.critical, text: "2", id: `alerts-${T / 1000}` },
      { time: (T + 2 * MIN) / 1000, position: "aboveBar", shape: "arrowDown", color: LEVEL_COLORS.medium, text: "", id: `alerts-${(T + 2 * MIN) / 1000}` },
    ]);
    expect(alertMarkers(byBar, [])).toEqual([]);
    // On a 5m chart the three first alerts share one bar.
    expect(alertMarkers(alertsByBar(alerts, "5m"), [T / 1000])[0]?.text).toBe("3");
  });

  it("lists the metrics the rule looked at, numbers only", () => {
    expect(alertReasons({ metrics: { price: 101.5, volume_z: 3.2, bad: Number.NaN, a: 1, b: 2, c: 3 } }, 3)).toEqual([
      ["price", 101.5],
      ["volume_z", 3.2],
      ["a", 1],
    ]);
  });
});
