// The backtests against mocked IPC: the rule editor's panel sends the rule being edited (not
// saved) over a window of stored history and shows fires, hit rate and forward returns; the
// strategy view sends the chosen template and parameters, shows the figures, the trades and
// the equity chart (with an explicit locale); errors are shown in words. The last tests run
// both against the mock backend through the app's navigation.
/* eslint-disable @typescript-eslint/only-throw-error, @typescript-eslint/prefer-promise-reject-errors --
   the mocked commands reject with the plain ApiError object, as Tauri does */
import { mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { App } from "../App";
import type { ApiError } from "../bindings/ApiError";
import type { RuleBacktestReport } from "../bindings/RuleBacktestReport";
import type { RuleBacktestRequest } from "../bindings/RuleBacktestRequest";
import type { StrategyBacktestRequest } from "../bindings/StrategyBacktestRequest";
import type { StrategyReport } from "../bindings/StrategyReport";
import { RuleForm } from "../components/RuleForm";
import { formatDateTime } from "../i18n/format";
import { I18nProvider } from "../i18n/I18nProvider";
import type { Lang } from "../i18n/lang";
import { MOCK_TEMPLATES } from "../mock/backtest";
import { installMockBackend, type MockBackend } from "../mock/backend";
import { chartLog } from "../test/chartMock";
import { candle, row } from "../test/fixtures";
import { BacktestView } from "./BacktestView";

vi.mock("lightweight-charts", async () => (await import("../test/chartMock")).fakeLightweightCharts());

type Handler = (args: Record<string, unknown>) => unknown;
let calls: { cmd: string; args: Record<string, unknown> }[] = [];

function install(handlers: Record<string, Handler>) {
  calls = [];
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    const h = handlers[cmd];
    if (!h) return Promise.reject({ code: "internal", message: `no mock for ${cmd}` } satisfies ApiError);
    try {
      return Promise.resolve(h(args));
    } catch (e) {
      return Promise.reject(e);
    }
  });
}
const callsOf = (cmd: string) => calls.filter((c) => c.cmd === cmd);

const SYMBOL = "binance:BTCUSDT"; // a crypto venue: times in UTC
const rows = [row(SYMBOL, 65_000), row("demo:ALPHA", 100)];
/** The last stored bar: 17 May 2024, 09:30 local time. */
const LAST_BAR = new Date(2024, 4, 17, 9, 30).getTime();
/** The default window: the 30 local days ending on the last bar's day. */
const FROM = new Date(2024, 3, 18).getTime();
const TO = new Date(2024, 4, 18).getTime();
const utc = (h: number, m: number) => Date.UTC(2024, 4, 16, h, m);

let backend: MockBackend | null = null;
beforeEach(() => {
  chartLog.reset();
  vi.spyOn(navigator, "language", "get").mockReturnValue("C");
});
afterEach(() => {
  cleanup();
  backend?.uninstall();
  backend = null;
});

// ---- the rule editor's backtest ----

const ruleReport: RuleBacktestReport = {
  from: FROM,
  to: TO,
  days: 30,
  bars: 43_500,
  symbols: [SYMBOL],
  direction: "up",
  hitDefinition: "…",
  rules: [
    {
      rule: 0,
      name: "breakout",
      interval: "1m",
      fires: 3,
      scored: 2,
      hits: 1,
      hitRate: 0.5,
      meanFwd1: 0.0002,
      meanFwd5: 0.0015,
      meanFwd20: -0.002,
      alertsPerDay: 0.1,
      paused: 0,
      skipped: null,
    },
  ],
  fires: [
    { rule: 0, ruleName: "breakout", symbol: SYMBOL, firedAt: utc(3, 5), barTime: utc(3, 4), price: 64_000.5, message: "m", fwd1: 0.002, fwd5: 0.004, fwd20: -0.002 },
    { rule: 0, ruleName: "breakout", symbol: SYMBOL, firedAt: utc(7, 40), barTime: utc(7, 39), price: 64_500, message: "m", fwd1: -0.003, fwd5: -0.001, fwd20: null },
    { rule: 0, ruleName: "breakout", symbol: SYMBOL, firedAt: utc(23, 59), barTime: utc(23, 58), price: 65_100, message: "m", fwd1: 0.0016, fwd5: null, fwd20: null },
  ],
};

function editor(lang: Lang = "en") {
  return render(
    <I18nProvider lang={lang}>
      <RuleForm full rows={rows} defaultSymbol={SYMBOL} onCreate={api.createRule} onUpdate={api.updateRule} />
    </I18nProvider>,
  );
}

const ruleHandlers = (extra: Record<string, Handler> = {}): Record<string, Handler> => ({
  list_watchlists: () => [],
  get_delivery_settings: () => ({ stormWindowS: 10, stormMax: 5, breakerWindowS: 60, breakerMax: 20, breakerPauseS: 600, quietHours: null, soundLevels: [], webhooks: [] }),
  preview_rule: () => ({ fired: 0, from: 0, to: 1, symbols: [SYMBOL], hits: [] }),
  get_candles: (a) => (a.symbol === SYMBOL ? [candle(LAST_BAR, 65_000, { symbol: SYMBOL })] : []),
  backtest_rules: () => structuredClone(ruleReport),
  ...extra,
});

describe("rule editor backtest", () => {
  it("waits for a complete rule, then sends the rule being edited (unsaved) over the last 30 days of stored history", async () => {
    const user = userEvent.setup();
    install(ruleHandlers());
    editor();
    const box = within(screen.getByTestId("rule-backtest"));
    expect(box.getByTestId("rbt-need-rule")).toHaveTextContent("Complete the rule above");
    expect(box.getByTestId("rbt-run")).toBeDisabled();
    expect(box.getByTestId("rbt-symbol")).toHaveValue(SYMBOL);
    await waitFor(() => {
      expect(box.getByTestId("rbt-to")).toHaveValue("2024-05-17");
    });
    expect(box.getByTestId("rbt-from")).toHaveValue("2024-04-18");

    await user.type(screen.getByTestId("rule-name"), "breakout");
    await user.type(screen.getByTestId("rule-value"), "64000");
    expect(box.queryByTestId("rbt-need-rule")).toBeNull();
    await user.click(box.getByTestId("rbt-run"));
    await box.findByTestId("rbt-result");

    expect(callsOf("create_rule")).toHaveLength(0);
    const req = callsOf("backtest_rules").at(-1)?.args.request as RuleBacktestRequest;
    expect(req).toEqual({
      rules: [expect.objectContaining({ name: "breakout", target: { symbols: [SYMBOL] }, interval: "1m", when: { metric: "price", op: "gt", value: 64000 } })],
      symbols: [SYMBOL],
      from: FROM,
      to: TO,
      direction: "up",
    });
  });

  it("shows fires, alerts per day, the hit rate with its definition, mean forward returns and every fire", async () => {
    const user = userEvent.setup();
    install(ruleHandlers());
    editor();
    const box = within(screen.getByTestId("rule-backtest"));
    await user.type(screen.getByTestId("rule-value"), "64000");
    await user.click(box.getByTestId("rbt-run"));
    await box.findByTestId("rbt-result");

    expect(box.getByTestId("rbt-fires")).toHaveTextContent("3");
    expect(box.getByTestId("rbt-per-day")).toHaveTextContent("0.1");
    expect(box.getByTestId("rbt-hit-rate")).toHaveTextContent("50.0%");
    const def = box.getByTestId("rbt-hit-def").getAttribute("title") ?? "";
    expect(def).toContain("5-bar forward return is above 0");
    expect(def).toContain("(1 of 2)");
    expect(box.getByTestId("rbt-mean-fwd1")).toHaveTextContent("+0.02%");
    expect(box.getByTestId("rbt-mean-fwd5")).toHaveTextContent("+0.15%");
    expect(box.getByTestId("rbt-mean-fwd20")).toHaveTextContent("-0.20%");
    expect(box.getByTestId("rbt-mean-fwd20").querySelector(".down")).not.toBeNull();

    // Newest first, times in the exchange's zone (UTC for a Binance symbol).
    const fires = box.getAllByTestId("rbt-fire");
    expect(fires).toHaveLength(3);
    expect(box.getByTestId("rbt-fire-list")).toHaveTextContent("Time (UTC)");
    expect(fires[0]).toHaveTextContent(formatDateTime("en-US", utc(23, 59), "UTC"));
    expect(fires[0]).toHaveTextContent("05/16/2024, 23:59");
    expect(fires[2]).toHaveTextContent("05/16/2024, 03:05");
    expect(fires[2]).toHaveTextContent("64,000.50");
    const cell = (i: number, id: string) => within(fires[i] as HTMLElement).getByTestId(id);
    expect(cell(2, "rbt-fwd1").querySelector(".up")).toHaveTextContent("+0.20%");
    expect(cell(1, "rbt-fwd1").querySelector(".down")).toHaveTextContent("-0.30%");
    expect(cell(1, "rbt-fwd20")).toHaveTextContent("—");

    // Editing the rule marks the result as out of date.
    expect(box.queryByTestId("rbt-stale")).toBeNull();
    await user.type(screen.getByTestId("rule-value"), "1");
    expect(box.getByTestId("rbt-stale")).toBeInTheDocument();
  });

  it("says in words why the engine could not run it, and reads in Chinese", async () => {
    const user = userEvent.setup();
    install(
      ruleHandlers({
        backtest_rules: () => {
          throw { code: "invalid_input", message: `no stored 1m candles of ${SYMBOL} in the window` } satisfies ApiError;
        },
      }),
    );
    editor("zh-CN");
    const box = within(screen.getByTestId("rule-backtest"));
    await user.type(screen.getByTestId("rule-value"), "1");
    await user.click(box.getByTestId("rbt-run"));
    expect(await box.findByTestId("rbt-error")).toHaveTextContent(`回测失败。no stored 1m candles of ${SYMBOL} in the window`);
    expect(box.getByTestId("rbt-run")).toHaveTextContent("运行回测");
  });

  it("refuses a window that ends before it starts, without asking the engine", async () => {
    const user = userEvent.setup();
    install(ruleHandlers());
    editor();
    const box = within(screen.getByTestId("rule-backtest"));
    await user.type(screen.getByTestId("rule-value"), "1");
    await waitFor(() => {
      expect(box.getByTestId("rbt-to")).toHaveValue("2024-05-17");
    });
    await user.clear(box.getByTestId("rbt-from"));
    await user.type(box.getByTestId("rbt-from"), "2024-05-20");
    await user.click(box.getByTestId("rbt-run"));
    expect(box.getByTestId("rbt-error")).toHaveTextContent("Give a start and an end date, the start on or before the end.");
    expect(callsOf("backtest_rules")).toHaveLength(0);
  });
});

// ---- the strategy view ----

const strategyReport: StrategyReport = {
  name: "MACD cross (12, 26, 9)",
  interval: "1h",
  mode: "long_short",
  bars: 720,
  from: FROM,
  to: TO,
  initialCapital: 20_000,
  finalEquity: 22_468,
  totalReturn: 0.1234,
  annualReturn: 3.2101,
  volatility: 0.4567,
  sharpe: 1.234,
  sortino: 2.0456,
  maxDrawdown: 0.0876,
  winRate: 0.5,
  profitFactor: 1.875,
  exposure: 0.614,
  feesPaid: 12.34,
  periodsPerYear: 8760,
  trades: [
    { side: "long", entryTime: utc(1, 0), entryPrice: 64_000, exitTime: utc(5, 0), exitPrice: 65_000, quantity: 0.15, pnl: 148.5, returnPct: 0.0155, fees: 1.5, bars: 4, exitReason: "signal" },
    { side: "short", entryTime: utc(5, 0), entryPrice: 65_000, exitTime: utc(9, 0), exitPrice: 65_950, quantity: 0.15, pnl: -144.0, returnPct: -0.0148, fees: 1.5, bars: 4, exitReason: "stop_loss" },
  ],
  equity: [
    { time: utc(1, 0), equity: 20_000, drawdown: 0 },
    { time: utc(2, 0), equity: 20_400, drawdown: 0 },
    { time: utc(3, 0), equity: 19_992, drawdown: 0.02 },
  ],
};

/** The templates as the engine sends them: serde writes an absent option as `null`. */
const engineTemplates = () =>
  MOCK_TEMPLATES.map((x) => ({ key: x.key, spec: { interval: null, exit: null, short_entry: null, short_exit: null, stop_loss_pct: null, take_profit_pct: null, ...structuredClone(x.spec) } }));

const strategyHandlers = (extra: Record<string, Handler> = {}): Record<string, Handler> => ({
  strategy_templates: engineTemplates,
  get_candles: (a) => (a.symbol === SYMBOL ? [candle(LAST_BAR, 65_000, { symbol: SYMBOL, interval: a.interval as "1h" })] : []),
  backtest_strategy: () => structuredClone(strategyReport),
  ...extra,
});

function view(lang: Lang = "en") {
  return render(
    <I18nProvider lang={lang}>
      <BacktestView rows={rows} defaultSymbol={SYMBOL} />
    </I18nProvider>,
  );
}

async function setField(user: ReturnType<typeof userEvent.setup>, testId: string, text: string) {
  await user.clear(screen.getByTestId(testId));
  if (text !== "") await user.type(screen.getByTestId(testId), text);
}

describe("strategy backtest", () => {
  it("sends the chosen template and parameters over the window of stored history", async () => {
    const user = userEvent.setup();
    install(strategyHandlers());
    view();
    await waitFor(() => {
      expect(screen.getByTestId("bt-template")).toHaveValue("dual_ma");
    });
    expect(screen.getByTestId("bt-template")).toHaveTextContent("Dual moving average (SMA 10 / SMA 30)");
    await user.selectOptions(screen.getByTestId("bt-template"), "momentum");
    // The momentum template brings its stop and target.
    expect(screen.getByTestId("bt-stop-loss")).toHaveValue("2");
    expect(screen.getByTestId("bt-take-profit")).toHaveValue("4");
    await user.selectOptions(screen.getByTestId("bt-template"), "macd_cross");
    expect(screen.getByTestId("bt-take-profit")).toHaveValue("");
    await user.selectOptions(screen.getByTestId("bt-interval"), "1h");
    await user.click(screen.getByTestId("bt-mode-long_short"));
    await setField(user, "bt-fees", "5");
    await setField(user, "bt-slippage", "2");
    await setField(user, "bt-size", "50");
    await setField(user, "bt-capital", "20000");
    await setField(user, "bt-stop-loss", "3");
    await waitFor(() => {
      expect(screen.getByTestId("bt-to")).toHaveValue("2024-05-17");
    });
    await user.click(screen.getByTestId("bt-run"));
    await screen.findByTestId("bt-figures");

    const req = callsOf("backtest_strategy").at(-1)?.args.request as StrategyBacktestRequest;
    const macd = engineTemplates().find((x) => x.key === "macd_cross")?.spec;
    expect(macd?.take_profit_pct).toBeNull();
    expect(req).toEqual({
      strategy: { ...macd, take_profit_pct: undefined, mode: "long_short", fees_bps: 5, slippage_bps: 2, position_size: 0.5, initial_capital: 20000, stop_loss_pct: 3 },
      symbol: SYMBOL,
      interval: "1h",
      from: FROM,
      to: TO,
    });
    expect("take_profit_pct" in req.strategy).toBe(false);
    expect(callsOf("get_candles").some((c) => c.args.interval === "1h" && c.args.symbol === SYMBOL)).toBe(true);
  });

  it("shows the figures, the trades and the equity chart (explicit locale, drawdown pane)", async () => {
    const user = userEvent.setup();
    install(strategyHandlers());
    view("zh-CN");
    await waitFor(() => {
      expect(screen.getByTestId("bt-template")).toHaveValue("dual_ma");
    });
    expect(screen.getByTestId("bt-template")).toHaveTextContent("双均线（SMA 10 / SMA 30）");
    await user.click(screen.getByTestId("bt-run"));
    const figs = within(await screen.findByTestId("bt-figures"));
    expect(figs.getByTestId("bt-fig-total-return")).toHaveTextContent("+12.34%");
    expect(figs.getByTestId("bt-fig-total-return")).toHaveClass("up");
    expect(figs.getByTestId("bt-fig-annual-return")).toHaveTextContent("+321.01%");
    expect(figs.getByTestId("bt-fig-volatility")).toHaveTextContent("45.67%");
    expect(figs.getByTestId("bt-fig-sharpe")).toHaveTextContent("1.23");
    expect(figs.getByTestId("bt-fig-sortino")).toHaveTextContent("2.05");
    expect(figs.getByTestId("bt-fig-max-drawdown")).toHaveTextContent("8.76%");
    expect(figs.getByTestId("bt-fig-win-rate")).toHaveTextContent("50.0%");
    expect(figs.getByTestId("bt-fig-profit-factor")).toHaveTextContent("1.88");
    expect(figs.getByTestId("bt-fig-exposure")).toHaveTextContent("61.4%");
    expect(figs.getByTestId("bt-fig-trades")).toHaveTextContent("2");
    expect(figs.getByTestId("bt-fig-fees")).toHaveTextContent("12.34");
    expect(figs.getByTestId("bt-fig-final-equity")).toHaveTextContent("22,468.00");
    expect(screen.getByTestId("bt-figures")).toHaveTextContent("夏普比率");

    const trades = screen.getAllByTestId("bt-trade");
    expect(trades).toHaveLength(2);
    // Newest first; times in UTC (the exchange's zone of a Binance symbol).
    expect(trades[0]).toHaveAttribute("data-side", "short");
    expect(trades[0]).toHaveTextContent("空");
    expect(trades[0]).toHaveTextContent("止损");
    expect(trades[0]).toHaveTextContent(formatDateTime("zh-CN", utc(5, 0), "UTC"));
    expect(trades[0]).toHaveTextContent("65,950.00");
    expect(within(trades[0] as HTMLElement).getByTestId("bt-trade-return")).toHaveClass("down");
    expect(within(trades[0] as HTMLElement).getByTestId("bt-trade-pnl")).toHaveTextContent("-144.00");
    expect(within(trades[1] as HTMLElement).getByTestId("bt-trade-return")).toHaveTextContent("+1.55%");
    expect(within(trades[1] as HTMLElement).getByTestId("bt-trade-return")).toHaveClass("up");
    expect(screen.getByTestId("bt-trades")).toHaveTextContent("开仓（UTC）");

    await waitFor(() => {
      expect(screen.getByTestId("bt-equity-chart")).toHaveAttribute("data-points", "3");
    });
    const line = chartLog.series.find((s) => s.kind === "Line");
    const bars = chartLog.series.find((s) => s.kind === "Histogram");
    expect(line?.data).toEqual(strategyReport.equity.map((p) => ({ time: Math.floor(p.time / 1000), value: p.equity })));
    expect(bars?.data.map((d) => (d as unknown as { value: number }).value)).toEqual([-0, -0, -2]);
    const locales = [...chartLog.createOptions, ...chartLog.applied].flatMap((o) => {
      const loc = (o as { localization?: { locale?: string } }).localization?.locale;
      return loc === undefined ? [] : [loc];
    });
    expect(locales[0]).toBe("en-US");
    expect(locales).toContain("zh-CN");
  });

  it("says a one-day window is too short to annualise instead of compounding it, in both languages", async () => {
    const user = userEvent.setup();
    // 24 hourly bars: +11 % in a day would annualise to billions of per cent.
    install(strategyHandlers({ backtest_strategy: () => ({ ...structuredClone(strategyReport), bars: 24, annualReturn: 3.5e7 }) }));
    view("en");
    await waitFor(() => {
      expect(screen.getByTestId("bt-template")).toHaveValue("dual_ma");
    });
    await user.click(screen.getByTestId("bt-run"));
    const card = await screen.findByTestId("bt-fig-annual-return");
    expect(card).toHaveTextContent("Too short to annualise");
    expect(card).not.toHaveTextContent("%");
    expect(card.parentElement).toHaveAttribute("title", "The window is 1 d long, under the 30 days a return needs to be annualised.");
    cleanup();
    view("zh-CN");
    await waitFor(() => {
      expect(screen.getByTestId("bt-template")).toHaveValue("dual_ma");
    });
    await user.click(screen.getByTestId("bt-run"));
    expect(await screen.findByTestId("bt-fig-annual-return")).toHaveTextContent("区间过短，不年化");
  });

  it("names each bad parameter in words and sends nothing", async () => {
    const user = userEvent.setup();
    install(strategyHandlers());
    view();
    await waitFor(() => {
      expect(screen.getByTestId("bt-template")).toHaveValue("dual_ma");
    });
    await setField(user, "bt-fees", "abc");
    await setField(user, "bt-size", "150");
    await setField(user, "bt-capital", "0");
    await user.click(screen.getByTestId("bt-run"));
    const problems = screen.getByTestId("bt-problems");
    expect(problems).toHaveTextContent("Fees (bps per side): enter a number.");
    expect(problems).toHaveTextContent("Position size (% of equity): must be from 0 to 100.");
    expect(problems).toHaveTextContent("Starting capital: must be above 0.");
    expect(screen.getByTestId("bt-fees")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("bt-slippage")).toHaveAttribute("aria-invalid", "false");
    expect(callsOf("backtest_strategy")).toHaveLength(0);
  });

  it("shows the engine's refusal and a failed template load in words", async () => {
    const user = userEvent.setup();
    let failTemplates = true;
    install(
      strategyHandlers({
        strategy_templates: () => {
          if (failTemplates) throw { code: "internal", message: "engine not ready" } satisfies ApiError;
          return structuredClone(MOCK_TEMPLATES);
        },
        backtest_strategy: () => {
          throw { code: "invalid_input", message: `no stored 1m candles of ${SYMBOL} in the window` } satisfies ApiError;
        },
      }),
    );
    view();
    const note = await screen.findByRole("alert");
    expect(note).toHaveTextContent("Could not load the strategies. engine not ready");
    expect(screen.getByTestId("bt-run")).toBeDisabled();
    failTemplates = false;
    await user.click(within(note).getByRole("button"));
    await waitFor(() => {
      expect(screen.getByTestId("bt-run")).toBeEnabled();
    });
    await user.click(screen.getByTestId("bt-run"));
    expect(await screen.findByText(`The backtest failed. no stored 1m candles of ${SYMBOL} in the window`)).toBeInTheDocument();
    expect(screen.queryByTestId("bt-figures")).toBeNull();
  });
});

// ---- against the mock backend, through the app ----

describe("backtests on the mock backend", () => {
  const clock = Date.UTC(2024, 4, 17, 9, 30, 10);

  it("runs the dual moving average on demo:ALPHA from the Backtest view: trades add up to the equity", async () => {
    const user = userEvent.setup();
    backend = installMockBackend({ seed: 5, now: () => clock, historyMinutes: 900 });
    render(
      <I18nProvider lang="en">
        <App />
      </I18nProvider>,
    );
    await user.click(screen.getByTestId("nav-backtest"));
    await screen.findByTestId("view-backtest");
    await waitFor(() => {
      expect(screen.getByTestId("bt-template")).toHaveValue("dual_ma");
    });
    await waitFor(() => {
      expect(screen.getByTestId("bt-symbol")).toHaveValue("demo:ALPHA");
    });
    await user.click(screen.getByTestId("bt-run"));
    const figs = within(await screen.findByTestId("bt-figures"));
    const trades = screen.queryAllByTestId("bt-trade");
    expect(trades.length).toBeGreaterThan(3);
    expect(figs.getByTestId("bt-fig-trades")).toHaveTextContent(String(trades.length));
    expect(Number(screen.getByTestId("bt-equity-chart").dataset.points)).toBe(900);

    const req = backend.calls.filter((c) => c.cmd === "backtest_strategy").at(-1)?.args.request as StrategyBacktestRequest;
    const report = await api.backtestStrategy(req);
    // Every position is closed by the end: the trades' P&L is the whole change of equity.
    const pnl = report.trades.reduce((a, t) => a + t.pnl, 0);
    expect(report.finalEquity - report.initialCapital).toBeCloseTo(pnl, 6);
    expect(report.trades.every((t) => t.side === "long")).toBe(true);
    expect(report.maxDrawdown).toBeGreaterThan(0);
  });

  it("backtests the rule in the editor over the mock's stored bars", async () => {
    const user = userEvent.setup();
    backend = installMockBackend({ seed: 5, now: () => clock, historyMinutes: 300 });
    render(
      <I18nProvider lang="en">
        <App />
      </I18nProvider>,
    );
    await user.click(screen.getByTestId("nav-rules"));
    await screen.findByTestId("view-rules");
    await user.type(screen.getByTestId("rule-value"), "0");
    const box = within(screen.getByTestId("rule-backtest"));
    await waitFor(() => {
      expect(box.getByTestId("rbt-symbol")).toHaveValue("demo:ALPHA");
    });
    await user.click(box.getByTestId("rbt-run"));
    await box.findByTestId("rbt-result");
    // price > 0 holds on every closed bar: one fire per stored closed 1m bar.
    expect(box.getByTestId("rbt-fires")).toHaveTextContent("300");
    expect(box.getAllByTestId("rbt-fire")).toHaveLength(200);
    expect(box.getByTestId("rbt-result")).toHaveTextContent("Showing the last 200 of 300 fires.");
    // The last 5 fires have no 5-bar forward return yet: 295 scored.
    expect(box.getByTestId("rbt-hit-def").getAttribute("title")).toContain("of 295)");
  });
});
