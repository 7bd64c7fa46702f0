import type { UiSettings } from "../bindings/UiSettings";

export function minToHhmm(min: number): string {
  const m = ((min % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

/** "07:30" → 450; anything unreadable → 0. */
export function hhmmToMin(s: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s.trim());
  if (!m) return 0;
  const h = Number(m[1]);
  const mm = Number(m[2]);
  return h < 24 && mm < 60 ? h * 60 + mm : 0;
}

/** The theme and the up/down colours go on <html>, where the stylesheet reads them. */
export function applyAppearance(s: Pick<UiSettings, "theme" | "upColor">, root: HTMLElement = document.documentElement): void {
  const dark = s.theme === "dark" || (s.theme === "system" && !(typeof window.matchMedia === "function" && window.matchMedia("(prefers-color-scheme: light)").matches));
  root.dataset.theme = dark ? "dark" : "light";
  root.dataset.updown = s.upColor === "red_up" ? "red-up" : "green-up";
}
