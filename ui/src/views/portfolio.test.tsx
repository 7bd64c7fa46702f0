// The portfolio view against mocked IPC: the summary and positions from a fixture, the lot
// form's inline checks, CSV import errors with line and column, risk-rule presets as RuleSpecs,
// the account currency and exchange rates, the periodic refresh.
import { mockIPC } from "@tauri-apps/api/mocks";
import { act, cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { App } from "../App";
import type { PortfolioView as Portfolio } from "../bindings/PortfolioView";
import type { RuleSpec } from "../bindings/RuleSpec";
import { I18nProvider } from "../i18n/I18nProvider";
import type { Lang } from "../i18n/lang";
import { installMockBackend, type MockBackend } from "../mock/backend";
import { chartLog } from "../test/chartMock";
import { PORTFOLIO_REFRESH_MS, PortfolioView } from "./PortfolioView";

vi.mock("lightweight-charts", async () => (await import("../test/chartMock")).fakeLightweightCharts());

const DAY = 86_400_000;
const clock = Date.UTC(2024, 4, 17, 9, 30, 10);

const fixture: Portfolio = {
  currency: "EUR",
  value: 12345.678,
  dayPnl: -123.45,
  dayPnlPct: -0.99,
  totalPnl: 2345.6,
  totalPnlPct: 23.46,
  positions: [
    {
      symbol: "yahoo:AAPL",
      quantity: 50,
      avgCost: 150,
      currency: "USD",
      price: 190.25,
      fx: 0.92,
      value: 8751.5,
      dayPnl: -150,
      dayPnlPct: -1.68,
      totalPnl: 1851.5,
      totalPnlPct: 26.83,
      weightPct: 70.9,
      volatilityPct: 24.4,
      alerts1h: 3,
      problem: null,
    },
    {
      symbol: "tushare:600519.SH",
      quantity: 2,
      avgCost: 1500,
      currency: "CNY",
      price: 1700,
      fx: null,
      value: null,
      dayPnl: null,
      dayPnlPct: null,
      totalPnl: null,
      totalPnlPct: null,
      weightPct: null,
      volatilityPct: 31,
      alerts1h: 0,
      problem: "no CNY→EUR exchange rate",
    },
  ],
  risk: {
    days: 249,
    volatilityPct: 18.5,
    var95HistPct: 1.8,
    var99HistPct: 3.1,
    var95ParamPct: 1.7,
    var99ParamPct: 2.6,
    var95Amount: 222.2,
    maxDrawdownPct: 12.5,
    drawdownPct: 4.25,
    sharpe: 1.234,
    hhi: 0.5812,
    topWeightPct: 70.9,
  },
  history: [
    { time: clock - 3 * DAY, value: 12000, drawdownPct: 0 },
    { time: clock - 2 * DAY, value: 11500, drawdownPct: 4.1666 },
    { time: clock - DAY, value: 12400, drawdownPct: 0 },
  ],
  warnings: ["no CNY→EUR exchange rate for tushare:600519.SH: set one in the portfolio settings, or watch the Yahoo pair yahoo:CNYEUR=X"],
  asOf: clock,
};

let backend: MockBackend | null = null;

function renderView(lang: Lang = "en", onCreateRule = (spec: RuleSpec) => api.createRule(spec)) {
  return render(
    <I18nProvider lang={lang}>
      <PortfolioView onCreateRule={onCreateRule} />
    </I18nProvider>,
  );
}

function startMock() {
  backend = installMockBackend({ seed: 3, now: () => clock, historyMinutes: 60 });
  return backend;
}
const callsOf = (cmd: string) => backend?.calls.filter((c) => c.cmd === cmd) ?? [];

beforeEach(() => {
  chartLog.reset();
  localStorage.clear();
  vi.spyOn(navigator, "language", "get").mockReturnValue("C");
});
afterEach(() => {
  cleanup();
  backend?.uninstall();
  backend = null;
  vi.useRealTimers();
});

describe("summary and positions", () => {
  function fixtureIpc() {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "get_portfolio") return structuredClone(fixture);
      if (cmd === "list_holdings") return [];
      if (cmd === "get_portfolio_settings") return { currency: "EUR", fx: {} };
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return Promise.reject({ code: "internal", message: `no mock for ${cmd}` });
    });
    return calls;
  }

  it("shows value, day and total P&L in the account currency, with the warnings in words", async () => {
    fixtureIpc();
    renderView();
    const summary = await screen.findByTestId("pf-summary");
    expect(within(summary).getByTestId("pf-total-value")).toHaveTextContent("12,345.68 EUR");
    const day = within(summary).getByTestId("pf-total-day");
    expect(day).toHaveTextContent("-123.45 EUR");
    expect(day).toHaveClass("down");
    expect(summary).toHaveTextContent("-0.99%");
    const total = within(summary).getByTestId("pf-total-pnl");
    expect(total).toHaveTextContent("+2,345.60 EUR");
    expect(total).toHaveClass("up");
    expect(summary).toHaveTextContent("+23.46%");
    expect(screen.getByTestId("pf-warnings")).toHaveTextContent("no CNY→EUR exchange rate for tushare:600519.SH");
  });

  it("lists each position with its figures, weight bar, alerts and problem", async () => {
    fixtureIpc();
    renderView();
    await screen.findByTestId("pf-positions");
    const rows = screen.getAllByTestId("pf-row");
    expect(rows.map((r) => r.dataset.symbol)).toEqual(["yahoo:AAPL", "tushare:600519.SH"]);
    const [aapl, moutai] = rows as [HTMLElement, HTMLElement];
    expect(aapl).toHaveTextContent("150.00 USD"); // average cost in the instrument's currency
    expect(within(aapl).getByTestId("pf-price")).toHaveTextContent("190.25");
    expect(within(aapl).getByTestId("pf-value")).toHaveTextContent("8,751.50 EUR");
    expect(within(aapl).getByTestId("pf-day")).toHaveTextContent("-150.00 EUR");
    expect(within(aapl).getByTestId("pf-day")).toHaveClass("down");
    expect(within(aapl).getByTestId("pf-total")).toHaveTextContent("+1,851.50 EUR+26.83%");
    expect(within(aapl).getByTestId("pf-total")).toHaveClass("up");
    const weight = within(aapl).getByTestId("pf-weight");
    expect(weight).toHaveTextContent("70.9%");
    expect(weight.querySelector(".pf-bar > span")).toHaveStyle({ width: "70.9%" });
    expect(aapl).toHaveTextContent("24.4%");
    expect(within(aapl).getByTestId("pf-alerts")).toHaveTextContent("3");
    expect(within(aapl).getByTestId("pf-problem")).toHaveTextContent("");
    expect(within(moutai).getByTestId("pf-value")).toHaveTextContent("—");
    expect(within(moutai).getByTestId("pf-problem")).toHaveTextContent("no CNY→EUR exchange rate");
  });

  it("shows the risk figures and draws the value and drawdown history with an explicit locale", async () => {
    fixtureIpc();
    renderView("zh-CN");
    const risk = await screen.findByTestId("pf-risk");
    expect(within(risk).getByTestId("pf-r-vol")).toHaveTextContent("18.50%");
    expect(within(risk).getByTestId("pf-r-var95")).toHaveTextContent("历史法 1.80% · 参数法 1.70%");
    expect(within(risk).getByTestId("pf-r-var99")).toHaveTextContent("历史法 3.10% · 参数法 2.60%");
    expect(within(risk).getByTestId("pf-r-var95-amount")).toHaveTextContent("222.20 EUR");
    expect(within(risk).getByTestId("pf-r-maxdd")).toHaveTextContent("12.50%");
    expect(within(risk).getByTestId("pf-r-dd")).toHaveTextContent("4.25%");
    expect(within(risk).getByTestId("pf-r-sharpe")).toHaveTextContent("1.23");
    expect(within(risk).getByTestId("pf-r-hhi")).toHaveTextContent("0.581");
    expect(screen.getByTestId("pf-r-days")).toHaveTextContent("249");
    await waitFor(() => {
      expect(screen.getByTestId("pf-chart")).toHaveAttribute("data-points", "3");
    });
    const line = chartLog.series.find((s) => s.kind === "Line");
    const bars = chartLog.series.find((s) => s.kind === "Histogram");
    expect(line?.data).toEqual(fixture.history.map((p) => ({ time: Math.floor(p.time / 1000), value: p.value })));
    expect(bars?.data.map((d) => (d as unknown as { value: number }).value)).toEqual([-0, -4.1666, -0]);
    const locales = [...chartLog.createOptions, ...chartLog.applied].flatMap((o) => {
      const loc = (o as { localization?: { locale?: string } }).localization?.locale;
      return loc === undefined ? [] : [loc];
    });
    expect(locales[0]).toBe("en-US");
    expect(locales).toContain("zh-CN");
  });

  it("refreshes every few seconds while the window is visible, and not while hidden", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "setTimeout", "clearTimeout"] });
    const calls = fixtureIpc();
    renderView();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10);
    });
    const n = () => calls.filter((c) => c === "get_portfolio").length;
    expect(n()).toBe(1);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(PORTFOLIO_REFRESH_MS * 2);
    });
    expect(n()).toBe(3);
    const hidden = vi.spyOn(document, "hidden", "get").mockReturnValue(true);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(PORTFOLIO_REFRESH_MS * 3);
    });
    expect(n()).toBe(3);
    hidden.mockReturnValue(false);
    act(() => {
      document.dispatchEvent(new Event("visibilitychange"));
    });
    expect(n()).toBe(4);
  });
});

describe("lots", () => {
  it("checks the lot inline as the engine does, then adds it and shows its position (through the app's navigation)", async () => {
    const user = userEvent.setup();
    startMock();
    render(
      <I18nProvider lang="en">
        <App />
      </I18nProvider>,
    );
    await user.click(screen.getByTestId("nav-portfolio"));
    await screen.findByTestId("pf-empty");

    await user.type(screen.getByTestId("pf-lot-symbol"), "ALPHA");
    await user.type(screen.getByTestId("pf-lot-quantity"), "0");
    await user.clear(screen.getByTestId("pf-lot-opened"));
    await user.type(screen.getByTestId("pf-lot-opened"), "2023-02-29");
    await user.type(screen.getByTestId("pf-lot-currency"), "usdollar");
    await user.click(screen.getByTestId("pf-lot-note"));
    expect(screen.getByTestId("pf-lot-symbol-error")).toHaveTextContent("source:CODE");
    expect(screen.getByTestId("pf-lot-symbol")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("pf-lot-quantity-error")).toHaveTextContent("a number other than 0");
    expect(screen.getByTestId("pf-lot-opened-error")).toHaveTextContent("YYYY-MM-DD");
    expect(screen.getByTestId("pf-lot-currency-error")).toHaveTextContent("3 to 5 capital letters");
    // Cost was never touched: its error waits for a save attempt.
    expect(screen.queryByTestId("pf-lot-cost-error")).toBeNull();
    await user.click(screen.getByTestId("pf-lot-submit"));
    expect(screen.getByTestId("pf-lot-cost-error")).toHaveTextContent("0 or more");
    expect(callsOf("add_holding")).toHaveLength(0);

    await user.clear(screen.getByTestId("pf-lot-symbol"));
    await user.type(screen.getByTestId("pf-lot-symbol"), "demo:ALPHA");
    await user.clear(screen.getByTestId("pf-lot-quantity"));
    await user.type(screen.getByTestId("pf-lot-quantity"), "10");
    await user.type(screen.getByTestId("pf-lot-cost"), "1");
    await user.clear(screen.getByTestId("pf-lot-opened"));
    await user.type(screen.getByTestId("pf-lot-opened"), "2024-02-29");
    await user.clear(screen.getByTestId("pf-lot-currency"));
    await user.type(screen.getByTestId("pf-lot-currency"), "usd"); // upper-cased, as the engine does
    expect(within(screen.getByTestId("pf-lot-form")).queryByRole("alert")).toBeNull();
    await user.click(screen.getByTestId("pf-lot-submit"));
    await screen.findByTestId("pf-lot-ok");
    expect(callsOf("add_holding").map((c) => c.args)).toEqual([
      { lot: { symbol: "demo:ALPHA", quantity: 10, cost: 1, opened: "2024-02-29", currency: "USD" } },
    ]);
    const row = await screen.findByTestId("pf-row");
    expect(row).toHaveAttribute("data-symbol", "demo:ALPHA");
    expect(within(row).getByTestId("pf-value").textContent).toMatch(/^[\d,]+\.\d\d USD$/);
    expect(within(row).getByTestId("pf-problem")).toHaveTextContent("");
    expect(screen.getByTestId("pf-lot-symbol")).toHaveValue(""); // the form starts over
    expect(screen.getAllByTestId("pf-lot-row")).toHaveLength(1);

    // Clicking the symbol opens its chart on the markets view.
    await user.click(within(row).getByTestId("pf-open"));
    await waitFor(() => {
      expect(screen.getByTestId("chart")).toHaveAttribute("data-symbol", "demo:ALPHA");
    });
  });

  it("edits and deletes a lot, and shows the backend's refusal in words", async () => {
    const user = userEvent.setup();
    startMock();
    await api.addHolding({ symbol: "demo:BETA", quantity: 4, cost: 40, opened: "2024-01-02" });
    renderView();
    await user.click(await screen.findByTestId("pf-lot-edit"));
    expect(screen.getByTestId("pf-lot-quantity")).toHaveValue("4");
    await user.clear(screen.getByTestId("pf-lot-quantity"));
    await user.type(screen.getByTestId("pf-lot-quantity"), "-2");
    await user.click(screen.getByTestId("pf-lot-submit"));
    await screen.findByTestId("pf-lot-ok");
    expect(callsOf("update_holding")[0]?.args).toEqual({ id: 1, lot: { symbol: "demo:BETA", quantity: -2, cost: 40, opened: "2024-01-02" } });
    await waitFor(() => {
      expect(within(screen.getByTestId("pf-row")).getByTestId("pf-value")).toHaveTextContent(/^-/);
    });

    backend?.failNext("add_holding", { code: "storage", message: "the database is read-only" });
    await user.type(screen.getByTestId("pf-lot-symbol"), "demo:GAMMA");
    await user.type(screen.getByTestId("pf-lot-quantity"), "1");
    await user.type(screen.getByTestId("pf-lot-cost"), "1");
    await user.click(screen.getByTestId("pf-lot-submit"));
    expect(await screen.findByTestId("pf-lot-error")).toHaveTextContent("Not saved. the database is read-only");

    await user.click(screen.getByTestId("pf-lot-delete"));
    await user.click(screen.getByTestId("pf-lot-delete-yes"));
    await waitFor(() => {
      expect(screen.queryAllByTestId("pf-lot-row")).toHaveLength(0);
    });
    expect(callsOf("delete_holding")[0]?.args).toEqual({ id: 1 });
    await screen.findByTestId("pf-empty");
  });

  it("imports a CSV all or nothing and shows the refusal with its line and column", async () => {
    const user = userEvent.setup();
    startMock();
    renderView();
    const box = await screen.findByTestId("pf-csv-text");
    await user.click(box);
    await user.paste("symbol,quantity,cost,date\ndemo:ALPHA,2,100,2024-01-02\ndemo:BETA,x,1,2024-01-02\n");
    await user.click(screen.getByTestId("pf-csv-import"));
    expect(await screen.findByTestId("pf-csv-error")).toHaveTextContent('Nothing imported. line 3, column 2 (quantity): "x" is not a number');
    expect(await api.listHoldings()).toEqual([]);

    await user.clear(box);
    await user.paste("代码,数量,成本,日期,备注\ndemo:ALPHA,2,100,2024-01-02,\"core, long\"\ndemo:BETA,1,40,2024/01/02\n");
    await user.click(screen.getByTestId("pf-csv-import"));
    await waitFor(() => {
      expect(screen.getByTestId("pf-csv-error")).toHaveTextContent('line 3, column 4: opened: must be a date as YYYY-MM-DD, got "2024/01/02"');
    });

    // A file works the same way.
    const file = new File(["symbol,qty,price,opened,currency\ndemo:ALPHA,2,100,2024-01-02,usd\ndemo:BETA,1,40,2024-01-03,\n"], "lots.csv", { type: "text/csv" });
    await user.upload(screen.getByTestId("pf-csv-file"), file);
    expect(await screen.findByTestId("pf-lot-ok")).toHaveTextContent("2 lots imported.");
    await waitFor(() => {
      expect(screen.getAllByTestId("pf-lot-row").map((r) => r.dataset.symbol)).toEqual(["demo:ALPHA", "demo:BETA"]);
    });
    expect(screen.queryByTestId("pf-csv-error")).toBeNull();
    await waitFor(() => {
      expect(screen.getAllByTestId("pf-row")).toHaveLength(2);
    });
  });
});

describe("risk-rule presets", () => {
  it("creates ordinary rules on the portfolio series", async () => {
    const user = userEvent.setup();
    startMock();
    await api.addHolding({ symbol: "demo:ALPHA", quantity: 10, cost: 1, opened: "2024-01-02" });
    const created: RuleSpec[] = [];
    renderView("en", async (spec) => {
      created.push(spec);
      return api.createRule(spec);
    });
    const loss = await screen.findByTestId("pf-preset-dayLoss-x");
    await user.clear(loss);
    await user.type(loss, "2.5");
    await user.selectOptions(screen.getByTestId("pf-preset-dayLoss-level"), "critical");
    await user.click(screen.getByTestId("pf-preset-dayLoss-create"));
    expect(await screen.findByTestId("pf-preset-dayLoss-ok")).toHaveTextContent("Rule “Daily loss over 2.5 %” created.");
    expect(created[0]).toEqual({
      version: 1,
      name: "Daily loss over 2.5 %",
      target: { symbols: ["portfolio:total"] },
      interval: "1d",
      when: { metric: "pnl_day_pct", op: "lt", value: -2.5 },
      level: "critical",
      frequency: { mode: "once_per_bar", cooldown_s: 0 },
      expires_at: null,
      enabled: true,
    });

    await user.click(screen.getByTestId("pf-preset-drawdown-create"));
    await screen.findByTestId("pf-preset-drawdown-ok");
    expect(created[1]).toMatchObject({ target: { symbols: ["portfolio:total"] }, when: { metric: "drawdown_pct", op: "gt", value: 10 } });

    await user.click(screen.getByTestId("pf-preset-weight-create"));
    await screen.findByTestId("pf-preset-weight-ok");
    expect(created[2]).toMatchObject({
      target: { source: "portfolio" },
      when: { metric: "weight_pct", op: "gt", value: 25 },
      frequency: { mode: "once_per_bar", cooldown_s: 0 },
    });

    await waitFor(() => {
      expect(screen.getByTestId("pf-preset-volatility-holding")).toHaveTextContent("demo:ALPHA");
    });
    await user.selectOptions(screen.getByTestId("pf-preset-volatility-holding"), "demo:ALPHA");
    await user.click(screen.getByTestId("pf-preset-volatility-create"));
    await screen.findByTestId("pf-preset-volatility-ok");
    expect(created[3]).toMatchObject({ target: { symbols: ["portfolio:demo:ALPHA"] }, when: { metric: "volatility_pct", op: "gt", value: 60 } });

    const n = screen.getByTestId("pf-preset-alerts-x");
    await user.clear(n);
    await user.type(n, "2.5");
    expect(screen.getByTestId("pf-preset-alerts-create")).toBeDisabled();
    expect(screen.getByTestId("pf-preset-alerts")).toHaveTextContent("Enter a whole number of 1 or more.");
    await user.clear(n);
    await user.type(n, "4");
    await user.click(screen.getByTestId("pf-preset-alerts-create"));
    await screen.findByTestId("pf-preset-alerts-ok");
    expect(created[4]).toMatchObject({ target: { source: "portfolio" }, interval: "1h", when: { metric: "alerts_1h", op: "ge", value: 4 } });
    expect(backend?.rules().map((r) => r.spec.name)).toHaveLength(5);

    backend?.failNext("create_rule", { code: "invalid_rule", message: "name: must not be empty" });
    await user.click(screen.getByTestId("pf-preset-drawdown-create"));
    expect(await screen.findByTestId("pf-preset-drawdown-error")).toHaveTextContent("The rule was not created. name: must not be empty");
  });
});

describe("account currency and exchange rates", () => {
  it("saves the account currency and a rate by hand; the figures follow", async () => {
    const user = userEvent.setup();
    startMock();
    await api.addHolding({ symbol: "demo:ALPHA", quantity: 10, cost: 1, opened: "2024-01-02" });
    renderView();
    const cur = await screen.findByTestId("pf-set-currency");
    await waitFor(() => {
      expect(within(screen.getByTestId("pf-row")).getByTestId("pf-value")).toHaveTextContent(/ USD$/);
    });
    const usd = Number(within(screen.getByTestId("pf-row")).getByTestId("pf-value").textContent.replace(/[^\d.]/g, ""));

    await user.clear(cur);
    await user.type(cur, "e");
    expect(screen.getByTestId("pf-settings")).toHaveTextContent("3 to 5 capital letters");
    await user.click(screen.getByTestId("pf-set-save"));
    expect(callsOf("set_portfolio_settings")).toHaveLength(0);
    await user.type(cur, "ur");
    await user.click(screen.getByTestId("pf-set-save"));
    await screen.findByTestId("pf-set-ok");
    expect(callsOf("set_portfolio_settings")[0]?.args).toEqual({ settings: { currency: "EUR", fx: {} } });
    // No USD→EUR rate yet: the position says so, and the settings offer a row for it.
    await waitFor(() => {
      expect(within(screen.getByTestId("pf-row")).getByTestId("pf-problem")).toHaveTextContent("no USD→EUR exchange rate");
    });
    expect(screen.getByTestId("pf-warnings")).toHaveTextContent("no USD→EUR exchange rate for demo:ALPHA");

    await user.click(await screen.findByTestId("pf-fx-offer"));
    const rate = screen.getByTestId("pf-fx-rate");
    await user.type(rate, "-1");
    expect(screen.getByTestId("pf-fx-row")).toHaveTextContent("Enter a rate above 0.");
    await user.click(screen.getByTestId("pf-set-save"));
    expect(callsOf("set_portfolio_settings")).toHaveLength(1);
    await user.clear(rate);
    await user.type(rate, "0.5");
    await user.click(screen.getByTestId("pf-set-save"));
    await screen.findByTestId("pf-set-ok");
    expect(callsOf("set_portfolio_settings")[1]?.args).toEqual({ settings: { currency: "EUR", fx: { USD: 0.5 } } });
    await waitFor(() => {
      expect(within(screen.getByTestId("pf-row")).getByTestId("pf-value")).toHaveTextContent(/ EUR$/);
    });
    const eur = Number(within(screen.getByTestId("pf-row")).getByTestId("pf-value").textContent.replace(/[^\d.]/g, ""));
    expect(eur).toBeCloseTo(usd * 0.5, 1);
    expect(screen.queryByTestId("pf-warnings")).toBeNull();

    backend?.failNext("set_portfolio_settings", { code: "storage", message: "disk full" });
    await user.click(screen.getByTestId("pf-set-save"));
    expect(await screen.findByTestId("pf-set-error")).toHaveTextContent("Not saved. disk full");
  });
});
