// Chart colours from the app's theme and up/down convention. The stylesheet keeps them as CSS
// variables on <html> (data-theme, data-updown); the canvas cannot read CSS, so the chart asks
// for them here and again whenever those attributes change.
import { ColorType } from "lightweight-charts";
import { useSyncExternalStore } from "react";
import type { Palette } from "./bars";

export interface ChartColors {
  background: string;
  text: string;
  grid: string;
  border: string;
  borderHover: string;
  palette: Palette;
}

type Theme = "dark" | "light";
type UpDown = "green-up" | "red-up";

const BASE: Record<Theme, Omit<ChartColors, "palette">> = {
  dark: { background: "#0f141b", text: "#8b97a7", grid: "#18202a", border: "#1f2833", borderHover: "#2b3645" },
  light: { background: "#ffffff", text: "#5b6778", grid: "#eef1f5", border: "#dde3ea", borderHover: "#c9d2dc" },
};
const GREEN = "#26a69a";
const RED = "#ef5350";

/** `#rrggbb` (or `#rgb`) with an alpha, for the volume bars; other colours are kept as they are. */
export function withAlpha(color: string, alpha: number): string {
  let hex = color.trim();
  hex = hex.replace(/^#([0-9a-f])([0-9a-f])([0-9a-f])$/i, "#$1$1$2$2$3$3");
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return color;
  const [r, g, b] = [m[1], m[2], m[3]].map((x) => parseInt(x ?? "0", 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/**
 * The chart's colours for a theme and convention. `css` reads a custom property of <html>
 * (empty when unset); set ones win over the built-in table, so the stylesheet stays the one
 * place colours are defined.
 */
export function chartColors(theme: string | undefined, updown: string | undefined, css: (name: string) => string = () => ""): ChartColors {
  const t: Theme = theme === "light" ? "light" : "dark";
  const u: UpDown = updown === "red-up" ? "red-up" : "green-up";
  const base = BASE[t];
  const pick = (name: string, fallback: string) => css(name).trim() || fallback;
  const up = pick("--up", u === "red-up" ? RED : GREEN);
  const down = pick("--down", u === "red-up" ? GREEN : RED);
  return {
    background: pick("--panel", base.background),
    text: pick("--muted", base.text),
    grid: base.grid,
    border: pick("--line", base.border),
    borderHover: pick("--line-2", base.borderHover),
    palette: { up, down, volumeUp: withAlpha(up, 0.45), volumeDown: withAlpha(down, 0.45) },
  };
}

/** The colours for the document as it is now. */
export function documentChartColors(root: HTMLElement = document.documentElement): ChartColors {
  const style = getComputedStyle(root);
  return chartColors(root.dataset.theme, root.dataset.updown, (n) => style.getPropertyValue(n));
}

function subscribe(onChange: () => void): () => void {
  const obs = new MutationObserver(onChange);
  obs.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme", "data-updown"] });
  return () => obs.disconnect();
}

const snapshot = () => `${document.documentElement.dataset.theme ?? "dark"}|${document.documentElement.dataset.updown ?? "green-up"}`;

/** "theme|updown" of <html>; re-renders when the settings change either. */
export function useAppearanceKey(): string {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

/** The chart options that follow the theme: background, text, grid, pane separators, borders. */
export function themedOptions(c: ChartColors) {
  return {
    layout: {
      background: { type: ColorType.Solid, color: c.background },
      textColor: c.text,
      panes: { separatorColor: c.border, separatorHoverColor: c.borderHover },
    },
    grid: { vertLines: { color: c.grid }, horzLines: { color: c.grid } },
    rightPriceScale: { borderColor: c.border },
    timeScale: { borderColor: c.border },
  };
}
