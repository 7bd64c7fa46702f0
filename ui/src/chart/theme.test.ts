import { describe, expect, it } from "vitest";
import { chartColors, documentChartColors, withAlpha } from "./theme";

describe("chart colours", () => {
  it("follow the theme", () => {
    const dark = chartColors("dark", "green-up");
    const light = chartColors("light", "green-up");
    expect(dark.background).toBe("#0f141b");
    expect(light.background).toBe("#ffffff");
    expect(light.text).not.toBe(dark.text);
    expect(light.grid).not.toBe(dark.grid);
    expect(chartColors(undefined, undefined).background).toBe(dark.background);
  });

  it("follow the up/down convention, volume bars included", () => {
    const west = chartColors("dark", "green-up").palette;
    const china = chartColors("dark", "red-up").palette;
    expect(west.up).toBe("#26a69a");
    expect(china.up).toBe("#ef5350");
    expect(china.down).toBe("#26a69a");
    expect(china.volumeUp).toBe("rgba(239, 83, 80, 0.45)");
  });

  it("take the stylesheet's variables when they are set", () => {
    const css: Record<string, string> = { "--panel": " #fafafa", "--up": "#0a0", "--muted": "" };
    const c = chartColors("light", "green-up", (n) => css[n] ?? "");
    expect(c.background).toBe("#fafafa");
    expect(c.palette.up).toBe("#0a0");
    expect(c.palette.volumeUp).toBe("rgba(0, 170, 0, 0.45)");
    expect(c.text).toBe("#5b6778");
  });

  it("read <html>'s data-theme and data-updown", () => {
    const root = document.createElement("html");
    root.dataset.theme = "light";
    root.dataset.updown = "red-up";
    const c = documentChartColors(root);
    expect(c.background).toBe("#ffffff");
    expect(c.palette.up).toBe("#ef5350");
  });

  it("keeps colours it cannot read as they are", () => {
    expect(withAlpha("#abc", 0.5)).toBe("rgba(170, 187, 204, 0.5)");
    expect(withAlpha("red", 0.5)).toBe("red");
  });
});
