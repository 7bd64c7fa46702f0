// Typed wrappers around the Tauri commands. The rest of the UI never calls `invoke`
// directly, so the command names and argument keys live in one place.
import { Channel, invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { Alert } from "./bindings/Alert";
import type { ApiError } from "./bindings/ApiError";
import type { Candle } from "./bindings/Candle";
import type { EngineStatus } from "./bindings/EngineStatus";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { Interval } from "./bindings/Interval";
import type { LiveBatch } from "./bindings/LiveBatch";
import type { RuleRecord } from "./bindings/RuleRecord";
import type { RuleSpec } from "./bindings/RuleSpec";
import type { UiEvent } from "./bindings/UiEvent";
import type { WatchRow } from "./bindings/WatchRow";

export const UI_EVENT = "tw://event";

const ERROR_CODES: readonly ErrorCode[] = [
  "invalid_rule",
  "invalid_input",
  "not_found",
  "storage",
  "keyring_unavailable",
  "internal",
];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}

/** True when `value` is the `{ code, message }` object the backend rejects with. */
export function isApiError(value: unknown): value is ApiError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return isErrorCode(v.code) && typeof v.message === "string";
}

/**
 * Turns whatever a rejected invoke (or a thrown exception) carried into an ApiError,
 * so callers can always branch on `code` and show `message` as words.
 */
export function toApiError(value: unknown): ApiError {
  if (isApiError(value)) return { code: value.code, message: value.message };
  if (typeof value === "string" && value.trim() !== "") {
    // A string rejection may itself be a serialised ApiError.
    try {
      const parsed: unknown = JSON.parse(value);
      if (isApiError(parsed)) return { code: parsed.code, message: parsed.message };
    } catch {
      // not JSON: the string is the message
    }
    return { code: "internal", message: value };
  }
  if (value instanceof Error && value.message !== "") {
    return { code: "internal", message: value.message };
  }
  if (typeof value === "object" && value !== null) {
    const message = (value as Record<string, unknown>).message;
    if (typeof message === "string" && message !== "") return { code: "internal", message };
  }
  return { code: "internal", message: "" };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    // Rejections are rethrown as ApiError objects, never as raw values.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw toApiError(e);
  }
}

export const api = {
  getWatchlist: () => call<WatchRow[]>("get_watchlist"),
  getCandles: (symbol: string, interval: Interval, limit: number) =>
    call<Candle[]>("get_candles", { symbol, interval, limit }),
  /** Starts the live stream; `onBatch` receives coalesced batches a few times a second. */
  subscribeLive: (onBatch: (batch: LiveBatch) => void): Promise<Channel<LiveBatch>> => {
    const channel = new Channel<LiveBatch>(onBatch);
    return call<null>("subscribe_live", { onBatch: channel }).then(() => channel);
  },
  listRules: () => call<RuleRecord[]>("list_rules"),
  createRule: (spec: RuleSpec) => call<RuleRecord>("create_rule", { spec }),
  setRuleEnabled: (id: number, enabled: boolean) =>
    call<RuleRecord>("set_rule_enabled", { id, enabled }),
  deleteRule: (id: number) => call<null>("delete_rule", { id }),
  listAlerts: (limit: number) => call<Alert[]>("list_alerts", { limit }),
  getStatus: () => call<EngineStatus>("get_status"),
  setAlertsPaused: (paused: boolean) => call<null>("set_alerts_paused", { paused }),
  onUiEvent: (handler: (event: UiEvent) => void): Promise<UnlistenFn> =>
    listen<UiEvent>(UI_EVENT, (e) => {
      handler(e.payload);
    }),
};

export type Api = typeof api;
