// Typed wrappers around the Tauri commands. The rest of the UI never calls `invoke`
// directly, so the command names and argument keys live in one place.
import { Channel, invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { open as openDialog } from "@tauri-apps/plugin-dialog";
import type { FundamentalDay } from "./bindings/FundamentalDay";
import type { Alert } from "./bindings/Alert";
import type { ApiError } from "./bindings/ApiError";
import type { Candle } from "./bindings/Candle";
import type { EngineStatus } from "./bindings/EngineStatus";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { Interval } from "./bindings/Interval";
import type { LiveBatch } from "./bindings/LiveBatch";
import type { Radar } from "./bindings/Radar";
import type { RuleRecord } from "./bindings/RuleRecord";
import type { RuleSpec } from "./bindings/RuleSpec";
import type { UiEvent } from "./bindings/UiEvent";
import type { WatchRow } from "./bindings/WatchRow";
import type { AlertEntry } from "./bindings/AlertEntry";
import type { AlertQuery } from "./bindings/AlertQuery";
import type { AlertStats } from "./bindings/AlertStats";
import type { BinanceSettings } from "./bindings/BinanceSettings";
import type { BinanceVenueSettings } from "./bindings/BinanceVenueSettings";
import type { ReplayStarted } from "./bindings/ReplayStarted";
import type { ConnectionTest } from "./bindings/ConnectionTest";
import type { DeliverySettings } from "./bindings/DeliverySettings";
import type { IndicatorSeries } from "./bindings/IndicatorSeries";
import type { RulePreview } from "./bindings/RulePreview";
import type { Sparkline } from "./bindings/Sparkline";
import type { SymbolMatch } from "./bindings/SymbolMatch";
import type { UiSettings } from "./bindings/UiSettings";
import type { WatchlistInfo } from "./bindings/WatchlistInfo";
import type { Holding } from "./bindings/Holding";
import type { HoldingInput } from "./bindings/HoldingInput";
import type { PortfolioSettings } from "./bindings/PortfolioSettings";
import type { PortfolioView } from "./bindings/PortfolioView";
import type { RuleBacktestReport } from "./bindings/RuleBacktestReport";
import type { RuleBacktestRequest } from "./bindings/RuleBacktestRequest";
import type { StrategyBacktestRequest } from "./bindings/StrategyBacktestRequest";
import type { StrategyReport } from "./bindings/StrategyReport";
import type { StrategyTemplate } from "./bindings/StrategyTemplate";

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
  /** One page of older history: the `limit` bars opening before `before` (ms UTC), oldest first. */
  getCandlesBefore: (symbol: string, interval: Interval, before: number, limit: number) =>
    call<Candle[]>("get_candles_before", { symbol, interval, before, limit }),
  /** A stock's stored daily figures (turnover, 量比, PE, PB, money flow), oldest day first. */
  getFundamentals: (symbol: string, days: number) => call<FundamentalDay[]>("get_fundamentals", { symbol, days }),
  /** The last `points` closes of each symbol (watchlist sparklines), one call for many rows. */
  getSparklines: (symbols: string[], interval: Interval, points: number) =>
    call<Sparkline[]>("get_sparklines", { symbols, interval, points }),
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
  /** Replaces a rule's spec (its trigger state starts fresh). */
  updateRule: (id: number, spec: RuleSpec) => call<RuleRecord>("update_rule", { id, spec }),
  /** A switched-off copy named "… (copy)". */
  duplicateRule: (id: number) => call<RuleRecord>("duplicate_rule", { id }),
  /** A rule, a list of rules or `{"rules": [...]}`; all or nothing. */
  importRules: (json: string) => call<RuleRecord[]>("import_rules", { json }),
  exportRules: () => call<string>("export_rules"),
  listAlerts: (limit: number) => call<Alert[]>("list_alerts", { limit }),
  getStatus: () => call<EngineStatus>("get_status"),
  /** The market radar: `limit` rows per list (1–500); anomalies under `minScore` left out. */
  getRadar: (limit: number, minScore: number) => call<Radar>("get_radar", { limit, minScore }),
  setAlertsPaused: (paused: boolean) => call<null>("set_alerts_paused", { paused }),
  listWatchlists: () => call<WatchlistInfo[]>("list_watchlists"),
  watchlistRows: (name: string) => call<WatchRow[]>("watchlist_rows", { name }),
  createWatchlist: (name: string) => call<WatchlistInfo>("create_watchlist", { name }),
  renameWatchlist: (from: string, to: string) => call<null>("rename_watchlist", { from, to }),
  deleteWatchlist: (name: string) => call<null>("delete_watchlist", { name }),
  addToWatchlist: (name: string, symbol: string) => call<null>("add_to_watchlist", { name, symbol }),
  removeFromWatchlist: (name: string, symbol: string) => call<null>("remove_from_watchlist", { name, symbol }),
  reorderWatchlist: (name: string, symbols: string[]) => call<null>("reorder_watchlist", { name, symbols }),
  searchSymbols: (query: string, limit: number) => call<SymbolMatch[]>("search_symbols", { query, limit }),
  getIndicators: (symbol: string, interval: Interval, limit: number, names: string[]) =>
    call<IndicatorSeries>("get_indicators", { symbol, interval, limit, names }),
  previewRule: (spec: RuleSpec, days: number) => call<RulePreview>("preview_rule", { spec, days }),
  getUiSettings: () => call<UiSettings>("get_ui_settings"),
  setUiSettings: (settings: UiSettings) => call<null>("set_ui_settings", { settings }),
  alertHistory: (query: AlertQuery) => call<AlertEntry[]>("alert_history", { query }),
  acknowledgeAlerts: (ids: number[]) => call<number>("acknowledge_alerts", { ids }),
  resolveAlerts: (ids: number[]) => call<number>("resolve_alerts", { ids }),
  alertStats: (query: AlertQuery, utcOffsetMin: number) => call<AlertStats>("alert_stats", { query, utcOffsetMin }),
  exportAlertsCsv: (query: AlertQuery) => call<string>("export_alerts_csv", { query }),
  getDeliverySettings: () => call<DeliverySettings>("get_delivery_settings"),
  setDeliverySettings: (settings: DeliverySettings) => call<null>("set_delivery_settings", { settings }),
  getBinanceSettings: () => call<BinanceSettings>("get_binance_settings"),
  setBinanceSettings: (settings: BinanceSettings) => call<null>("set_binance_settings", { settings }),
  setSourceToken: (source: string, token: string) => call<null>("set_source_token", { source, token }),
  hasSourceToken: (source: string) => call<boolean>("has_source_token", { source }),
  deleteSourceToken: (source: string) => call<boolean>("delete_source_token", { source }),
  testSourceConnection: (source: string, token: string | null) =>
    call<ConnectionTest>("test_source_connection", { source, token }),
  /** "Test connection" of a Binance venue with the form's (unsaved) settings. */
  testBinanceConnection: (source: "binance-usdm" | "binance-spot", settings: BinanceVenueSettings) =>
    call<ConnectionTest>("test_binance_connection", { source, settings }),
  /** Plays a candle CSV in the running engine at `speed` × real time (0: as fast as possible). */
  openRecording: (path: string, speed: number) => call<ReplayStarted>("open_recording", { path, speed }),
  /** The native file chooser for a recording; null when the user cancels. */
  chooseRecording: async (filterName: string): Promise<string | null> => {
    try {
      const picked = await openDialog({ multiple: false, directory: false, filters: [{ name: filterName, extensions: ["csv", "txt"] }] });
      return typeof picked === "string" ? picked : null;
    } catch (e) {
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw toApiError(e);
    }
  },
  /** The portfolio as it stands now (live value, P&L, weights, risk, value history). */
  getPortfolio: () => call<PortfolioView>("get_portfolio"),
  listHoldings: () => call<Holding[]>("list_holdings"),
  addHolding: (lot: HoldingInput) => call<Holding>("add_holding", { lot }),
  updateHolding: (id: number, lot: HoldingInput) => call<Holding>("update_holding", { id, lot }),
  deleteHolding: (id: number) => call<null>("delete_holding", { id }),
  /** Every lot of a CSV or none; a bad line is refused with its line and column. */
  importHoldingsCsv: (text: string) => call<Holding[]>("import_holdings_csv", { text }),
  getPortfolioSettings: () => call<PortfolioSettings>("get_portfolio_settings"),
  setPortfolioSettings: (settings: PortfolioSettings) => call<PortfolioSettings>("set_portfolio_settings", { settings }),
  /** Rules (stored or not yet) over the stored history of the named symbols. */
  backtestRules: (request: RuleBacktestRequest) => call<RuleBacktestReport>("backtest_rules", { request }),
  /** A strategy over the stored history of one symbol. */
  backtestStrategy: (request: StrategyBacktestRequest) => call<StrategyReport>("backtest_strategy", { request }),
  /** The ready strategies (dual moving average, MACD cross …) with their template keys. */
  strategyTemplates: () => call<StrategyTemplate[]>("strategy_templates"),
  getAutostart: () => call<boolean>("get_autostart"),
  setAutostart: (enabled: boolean) => call<null>("set_autostart", { enabled }),
  onUiEvent: (handler: (event: UiEvent) => void): Promise<UnlistenFn> =>
    listen<UiEvent>(UI_EVENT, (e) => {
      handler(e.payload);
    }),
};

export type Api = typeof api;
