import { Channel } from "@tauri-apps/api/core";
import { mockIPC } from "@tauri-apps/api/mocks";
import { describe, expect, it } from "vitest";
import { api, isApiError, toApiError } from "./api";
import type { RuleSpec } from "./bindings/RuleSpec";

describe("ApiError narrowing", () => {
  it("accepts exactly the backend's { code, message } shape", () => {
    expect(isApiError({ code: "invalid_rule", message: "when.metric: unknown metric" })).toBe(true);
    expect(isApiError({ code: "nope", message: "x" })).toBe(false);
    expect(isApiError({ code: "storage" })).toBe(false);
    expect(isApiError("storage")).toBe(false);
    expect(isApiError(null)).toBe(false);
  });

  it("keeps code and message of an ApiError and drops anything else", () => {
    expect(toApiError({ code: "not_found", message: "rule 9 does not exist", extra: 1 })).toEqual({
      code: "not_found",
      message: "rule 9 does not exist",
    });
  });

  it("parses an ApiError that arrives as a JSON string", () => {
    expect(toApiError('{"code":"storage","message":"disk full"}')).toEqual({ code: "storage", message: "disk full" });
  });

  it("turns plain strings and Errors into internal errors with their text, never JSON", () => {
    expect(toApiError("command get_x not found")).toEqual({ code: "internal", message: "command get_x not found" });
    expect(toApiError(new Error("boom"))).toEqual({ code: "internal", message: "boom" });
    expect(toApiError({ message: "odd shape" })).toEqual({ code: "internal", message: "odd shape" });
    expect(toApiError(42)).toEqual({ code: "internal", message: "" });
  });
});

describe("command wrappers", () => {
  it("send the contract's command names and camelCase argument keys", async () => {
    const seen: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return cmd === "list_rules" ? [] : null;
    });
    const spec = { name: "x" } as RuleSpec;
    await api.getCandles("demo:ALPHA", "1m", 500);
    await api.createRule(spec);
    await api.setRuleEnabled(3, false);
    await api.deleteRule(3);
    await api.listAlerts(50);
    await api.setAlertsPaused(true);
    await api.listRules();
    expect(seen).toEqual([
      ["get_candles", { symbol: "demo:ALPHA", interval: "1m", limit: 500 }],
      ["create_rule", { spec }],
      ["set_rule_enabled", { id: 3, enabled: false }],
      ["delete_rule", { id: 3 }],
      ["list_alerts", { limit: 50 }],
      ["set_alerts_paused", { paused: true }],
      ["list_rules", {}],
    ]);
  });

  it("subscribe_live passes a Channel named onBatch whose messages reach the handler", async () => {
    let channel: unknown = null;
    mockIPC((cmd, args) => {
      if (cmd === "subscribe_live") channel = (args as Record<string, unknown>).onBatch;
      return null;
    });
    const got: unknown[] = [];
    await api.subscribeLive((b) => got.push(b));
    expect(channel).toBeInstanceOf(Channel);
    (channel as Channel).onmessage({ rows: [], candles: [] });
    expect(got).toEqual([{ rows: [], candles: [] }]);
  });

  it("rejects with an ApiError the UI can branch on", async () => {
    mockIPC(() => Promise.reject(new Error("x")));
    await expect(api.getWatchlist()).rejects.toEqual({ code: "internal", message: "x" });
    // The backend rejects with the plain object, as Tauri serialises an ApiError.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    mockIPC(() => Promise.reject({ code: "invalid_rule", message: "name: must not be empty" }));
    await expect(api.createRule({} as RuleSpec)).rejects.toEqual({
      code: "invalid_rule",
      message: "name: must not be empty",
    });
  });
});
