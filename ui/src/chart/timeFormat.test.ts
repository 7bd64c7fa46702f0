import { describe, expect, it } from "vitest";
import { TickMark, crosshairLabel, exchangeTimeZone, tickLabel, zoneLabel } from "./timeFormat";

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

describe("exchange time zones", () => {
  it("pick the exchange's zone from the symbol", () => {
    expect(exchangeTimeZone("tushare:600519.SH")).toBe("Asia/Shanghai");
    expect(exchangeTimeZone("binance-usdm:BTCUSDT")).toBe("UTC");
    expect(exchangeTimeZone("binance-spot:ETHUSDT")).toBe("UTC");
    expect(exchangeTimeZone("yahoo:AAPL")).toBe("America/New_York");
    expect(exchangeTimeZone("yahoo:0700.HK")).toBe("Asia/Hong_Kong");
    expect(exchangeTimeZone("yahoo:7203.T")).toBe("Asia/Tokyo");
    expect(exchangeTimeZone("yahoo:BTC-USD")).toBe("UTC");
    expect(exchangeTimeZone("yahoo:BRK.B")).toBe("America/New_York");
    expect(exchangeTimeZone("demo:ALPHA")).toBeUndefined();
    expect(exchangeTimeZone(null)).toBeUndefined();
  });

  it("label an A-share bar in Shanghai time whatever the machine's zone", () => {
    const open = Date.UTC(2024, 4, 17, 1, 30) / 1000; // 09:30 in Shanghai
    expect(tickLabel(open, TickMark.Time, "zh-CN", exchangeTimeZone("tushare:000001.SZ"))).toBe("09:30");
    expect(crosshairLabel(open, "en-US", "Asia/Shanghai")).toBe("05/17/2024, 09:30");
    expect(zoneLabel("en-US", "UTC", open * 1000)).toBe("UTC");
    expect(zoneLabel("en-US", "Asia/Shanghai", open * 1000)).toBe("GMT+8");
  });
});
