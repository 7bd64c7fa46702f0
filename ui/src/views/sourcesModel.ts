// Logic of the data-sources view that is not React: recording playback options, the words
// for what started and for bad lines.
import type { BadLine } from "../bindings/BadLine";
import type { ReplayStarted } from "../bindings/ReplayStarted";
import type { Vars } from "../i18n/lang";
import type { MessageKey } from "../i18n/messages";

type T = (key: MessageKey, vars?: Vars) => string;

/** Speeds offered for a recording (× real time; 0 = as fast as the engine takes it). */
export const REPLAY_SPEEDS = [1, 10, 60, 600, 3600, 0] as const;
/** The engine's limit (`tw_engine::MAX_REPLAY_SPEED`). */
export const MAX_REPLAY_SPEED = 100_000;

export type VenueKey = "usdm" | "spot";
export const VENUE_SOURCE: Record<VenueKey, "binance-usdm" | "binance-spot"> = { usdm: "binance-usdm", spot: "binance-spot" };
/** Binance's own endpoints, shown as placeholders of the URL fields. */
export const VENUE_DEFAULTS: Record<VenueKey, { rest: string; ws: string }> = {
  usdm: { rest: "https://fapi.binance.com", ws: "wss://fstream.binance.com" },
  spot: { rest: "https://api.binance.com", ws: "wss://stream.binance.com:9443" },
};

/** A URL field as stored: blank means Binance's own (the engine trims the rest). */
export function urlSetting(text: string): string | null {
  return text.trim() === "" ? null : text;
}

export function speedLabel(speed: number, t: T): string {
  return speed === 0 ? t("src.rec.speedMax") : t("src.rec.speedX", { x: speed });
}

/** What the form would send, or the key of what is missing. */
export function recordingRequest(path: string, speed: number): { ok: true; path: string; speed: number } | { ok: false; problem: MessageKey } {
  const p = path.trim();
  if (p === "") return { ok: false, problem: "src.rec.needPath" };
  if (!Number.isFinite(speed) || speed < 0 || speed > MAX_REPLAY_SPEED) return { ok: false, problem: "src.rec.badSpeed" };
  return { ok: true, path: p, speed };
}

export function badLineText(b: BadLine, t: T): string {
  return t("src.rec.badLine", { line: b.line, column: b.column, name: b.columnName, reason: b.reason });
}

export function startedText(r: ReplayStarted, t: T): string {
  return t("src.rec.started", { symbol: r.symbol, bars: r.bars, interval: r.interval, format: r.format, speed: speedLabel(r.speed, t) });
}

/**
 * The first bad line named in a refusal ("… first: line 2, column 5 (close): not a number"),
 * so the view can say where the file is broken in the user's language.
 */
export function refusedAt(message: string): { line: number; column: number; name: string } | null {
  const m = /line (\d+), column (\d+) \(([^)]*)\)/.exec(message);
  return m ? { line: Number(m[1]), column: Number(m[2]), name: m[3] ?? "" } : null;
}
