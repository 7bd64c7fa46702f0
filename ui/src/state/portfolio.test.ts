import { afterEach, describe, expect, it } from "vitest";
import { api } from "../api";
import { installMockBackend, type MockBackend } from "../mock/backend";
import { inferCurrency, parseHoldingsCsv } from "../mock/portfolio";
import { checkLotForm, checkSettingsForm, emptyLotForm, isDate, lotProblemText, lotProblems, parseThreshold, presetSpec, type LotForm } from "./portfolio";

const lot: LotForm = { symbol: "binance:BTCUSDT", quantity: "0.5", cost: "30000", opened: "2024-02-29", currency: "", note: "" };

describe("lot form", () => {
  it("checks field by field like HoldingInput::validate", () => {
    expect(checkLotForm(lot)).toEqual({ lot: { symbol: "binance:BTCUSDT", quantity: 0.5, cost: 30000, opened: "2024-02-29" }, errors: {} });
    const bad = (p: Partial<LotForm>) => checkLotForm({ ...lot, ...p }).errors;
    expect(bad({ symbol: "BTC" })).toEqual({ symbol: "pf.err.symbol" });
    expect(bad({ symbol: "Binance:BTC" })).toEqual({ symbol: "pf.err.symbol" });
    expect(bad({ symbol: "binance:BTC USDT" })).toEqual({ symbol: "pf.err.symbol" });
    expect(bad({ symbol: "portfolio:total" })).toEqual({ symbol: "pf.err.symbolPortfolio" });
    expect(bad({ quantity: "0" })).toEqual({ quantity: "pf.err.quantity" });
    expect(bad({ quantity: "" })).toEqual({ quantity: "pf.err.quantity" });
    expect(bad({ quantity: "abc" })).toEqual({ quantity: "pf.err.quantity" });
    expect(bad({ cost: "-1" })).toEqual({ cost: "pf.err.cost" });
    expect(bad({ opened: "2023-02-29" })).toEqual({ opened: "pf.err.opened" });
    expect(bad({ opened: "2024/01/01" })).toEqual({ opened: "pf.err.opened" });
    expect(bad({ currency: "us dollar" })).toEqual({ currency: "pf.err.currency" });
    expect(bad({ symbol: "x", quantity: "0", cost: "-2" })).toEqual({ symbol: "pf.err.symbol", quantity: "pf.err.quantity", cost: "pf.err.cost" });
  });

  it("normalises as the engine does: trimmed, currency upper-cased, blanks left out, thousands separators read", () => {
    const c = checkLotForm({ symbol: " yahoo:AAPL ", quantity: "-2", cost: "1,234.5", opened: " 2024-01-02", currency: " usdt ", note: "  " });
    expect(c.lot).toEqual({ symbol: "yahoo:AAPL", quantity: -2, cost: 1234.5, opened: "2024-01-02", currency: "USDT" });
    expect(checkLotForm({ ...lot, cost: "0" }).lot?.cost).toBe(0);
  });

  it("knows the calendar", () => {
    expect(isDate("2024-02-29")).toBe(true);
    expect(isDate("2100-02-29")).toBe(false);
    expect(isDate("2000-02-29")).toBe(true);
    expect(isDate("2024-04-31")).toBe(false);
    expect(isDate("1899-12-31")).toBe(false);
    expect(emptyLotForm(new Date(2024, 0, 5)).opened).toBe("2024-01-05");
  });

  it("words a refusal like the engine", () => {
    const l = { symbol: "binance:BTCUSDT", quantity: 0, cost: 1, opened: "2024-01-01" };
    const p = lotProblems(l)[0];
    expect(p && lotProblemText(p, l)).toBe("quantity: must be a number other than 0 (negative for a short), got 0");
  });
});

describe("settings form", () => {
  it("checks the account currency and each rate; blank rows are skipped", () => {
    expect(checkSettingsForm({ currency: "eur", rates: [{ currency: "usd", rate: "0.92" }, { currency: "", rate: "" }] })).toEqual({
      settings: { currency: "EUR", fx: { USD: 0.92 } },
      currencyError: null,
      rowErrors: [null, null],
    });
    const c = checkSettingsForm({ currency: "E", rates: [{ currency: "USD", rate: "0" }, { currency: "US", rate: "1" }, { currency: "CNY", rate: "0.13" }, { currency: "cny", rate: "0.14" }] });
    expect(c.settings).toBeNull();
    expect(c.currencyError).toBe("pf.err.currency");
    expect(c.rowErrors).toEqual(["pf.err.fxRate", "pf.err.currency", null, "pf.err.fxDuplicate"]);
  });
});

describe("presets", () => {
  it("turn a threshold into a rule on portfolio:total or on the positions", () => {
    expect(presetSpec("dayLoss", 3, "high", "loss").when).toEqual({ metric: "pnl_day_pct", op: "lt", value: -3 });
    expect(presetSpec("dayLoss", 3, "high", "loss").target).toEqual({ symbols: ["portfolio:total"] });
    // A holding narrows only position presets.
    expect(presetSpec("drawdown", 8, "high", "dd", "demo:ALPHA").target).toEqual({ symbols: ["portfolio:total"] });
    expect(presetSpec("weight", 30, "low", "w").target).toEqual({ source: "portfolio" });
    expect(presetSpec("weight", 30, "low", "w", "binance-usdm:BTCUSDT").target).toEqual({ symbols: ["portfolio:binance-usdm:BTCUSDT"] });
    expect(presetSpec("alerts", 5, "low", "a").interval).toBe("1h");
    expect(parseThreshold("alerts", "2.5")).toBeNull();
    expect(parseThreshold("alerts", "0")).toBeNull();
    expect(parseThreshold("volatility", "42.5")).toBe(42.5);
    expect(parseThreshold("dayLoss", "-3")).toBeNull();
  });
});

describe("mock backend's portfolio", () => {
  let backend: MockBackend | null = null;
  afterEach(() => {
    backend?.uninstall();
    backend = null;
  });

  it("reads CSVs with the engine's words", () => {
    expect(parseHoldingsCsv('Quantity,Symbol,Cost,Date,Note\n2,yahoo:AAPL,150.5,2024-01-02,"core, long"\n\n')).toEqual({
      lots: [{ symbol: "yahoo:AAPL", quantity: 2, cost: 150.5, opened: "2024-01-02", note: "core, long" }],
    });
    expect(parseHoldingsCsv("symbol,quantity,cost,date\nyahoo:AAPL,2,1,2024-01-02\nyahoo:MSFT,two,1,2024-01-02\n")).toEqual({
      error: 'line 3, column 2 (quantity): "two" is not a number',
    });
    expect(parseHoldingsCsv("symbol,quantity,cost,date\nyahoo:AAPL,2,1,02/01/2024\n")).toEqual({
      error: 'line 2, column 4: opened: must be a date as YYYY-MM-DD, got "02/01/2024"',
    });
    expect(parseHoldingsCsv("sym,quantity,cost,date\n")).toEqual({
      error: "line 1: no symbol column (the header must name symbol, quantity, cost and date; found: sym, quantity, cost, date)",
    });
    expect(parseHoldingsCsv("symbol,quantity,cost,date\n")).toEqual({ error: "the file holds no lots (a header line, then one lot per line)" });
  });

  it("infers currencies like tw-analytics", () => {
    expect(inferCurrency("tushare:600036.SH")).toBe("CNY");
    expect(inferCurrency("yahoo:0700.HK")).toBe("HKD");
    expect(inferCurrency("yahoo:EURUSD=X")).toBe("USD");
    expect(inferCurrency("binance:ETHBTC")).toBe("BTC");
    expect(inferCurrency("demo:ALPHA")).toBe("USD");
  });

  it("prices demo lots and computes risk from a daily history", async () => {
    const now = Date.UTC(2024, 4, 17, 9, 30);
    backend = installMockBackend({ seed: 3, now: () => now, historyMinutes: 30 });
    await api.addHolding({ symbol: "demo:ALPHA", quantity: 10, cost: 1, opened: "2024-01-02" });
    await api.addHolding({ symbol: "demo:BETA", quantity: 10, cost: 1, opened: "2024-01-02" });
    await api.addHolding({ symbol: "yahoo:AAPL", quantity: 1, cost: 1, opened: "2024-01-02" });
    const p = await api.getPortfolio();
    const [a, b, c] = p.positions;
    expect(a?.value).toBeCloseTo(10 * (a?.price ?? 0), 9);
    expect((a?.weightPct ?? 0) + (b?.weightPct ?? 0)).toBeCloseTo(100, 9);
    expect(p.value).toBeCloseTo((a?.value ?? 0) + (b?.value ?? 0), 9);
    expect(c?.price).toBeNull();
    expect(c?.problem).toBe("no price yet: the symbol has no stored or live data");
    expect(p.warnings).toContain("yahoo:AAPL: no price yet, left out of the totals");
    expect(p.history.length).toBeGreaterThan(100);
    expect(p.risk.days).toBe(p.history.length - 1);
    expect(p.risk.var95HistPct).not.toBeNull();
    expect(p.risk.var99ParamPct ?? 0).toBeGreaterThan(p.risk.var95ParamPct ?? 0);
    expect(p.risk.hhi).toBeGreaterThan(0.5);
    await expect(api.addHolding({ symbol: "demo:ALPHA", quantity: 0, cost: 1, opened: "2024-01-02" })).rejects.toEqual({
      code: "invalid_input",
      message: "quantity: must be a number other than 0 (negative for a short), got 0",
    });
    await expect(api.updateHolding(99, { symbol: "demo:ALPHA", quantity: 1, cost: 1, opened: "2024-01-02" })).rejects.toMatchObject({ code: "not_found" });
  });
});
