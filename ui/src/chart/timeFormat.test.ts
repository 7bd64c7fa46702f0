import { describe, expect, it } from "vitest";
import { TickMark, crosshairLabel, tickLabel } from "./timeFormat";

const t = Date.UTC(2024, 4, 17, 13, 5, 9) / 1000;

describe("chart time labels", () => {
  it("show the local wall clock, not UTC", () => {
    expect(tickLabel(t, TickMark.Time, "en-US", "UTC")).toBe("13:05");
    expect(tickLabel(t, TickMark.Time, "en-US", "Asia/Shanghai")).toBe("21:05");
    expect(tickLabel(t, TickMark.TimeWithSeconds, "en-US", "UTC")).toBe("13:05:09");
  });

  it("use the app's language for dates", () => {
    expect(tickLabel(t, TickMark.DayOfMonth, "en-US", "UTC")).toBe("May 17");
    expect(tickLabel(t, TickMark.DayOfMonth, "zh-CN", "UTC")).toBe("5月17日");
    expect(tickLabel(t, TickMark.Year, "en-US", "UTC")).toBe("2024");
    expect(crosshairLabel(t, "en-US", "America/New_York")).toBe("05/17/2024, 09:05");
  });
});
