import { render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import type { FundamentalDay } from "../bindings/FundamentalDay";
import { I18nProvider } from "../i18n/I18nProvider";
import { stockPanelModel } from "../state/stockPanel";
import { StockPanel } from "./StockPanel";

const DAY = 86_400_000;
const D0 = Date.UTC(2026, 10, 16);

const days: FundamentalDay[] = [
  { dayMs: D0, values: { turnover_rate: 0.41, volume_ratio: 1.2, pe: 6.2, pb: 0.9, main_net_inflow: 2e8 } },
  // The newest day: a loss, so no PE; money flow out.
  {
    dayMs: D0 + DAY,
    values: { turnover_rate: 0.52, volume_ratio: 0.8, pb: 0.88, total_mv: 8.1e11, main_net_inflow: -1e8, large_net_inflow: -4e7, xlarge_net_inflow: -6e7 },
  },
];

describe("the A-share panel model", () => {
  it("takes the newest day's figures and never fills a missing one from an older day", () => {
    const m = stockPanelModel(days);
    expect(m.asOf).toBe(D0 + DAY);
    expect(m.latest.turnover_rate).toBe(0.52);
    expect(m.latest.pe).toBeNull();
    expect(m.flow.map((f) => f.main)).toEqual([2e8, -1e8]);
    expect(m.flowScale).toBe(2e8);
    expect(stockPanelModel([]).asOf).toBeNull();
  });

  it("keeps only the last N days of money flow", () => {
    const many = Array.from({ length: 15 }, (_, i) => ({ dayMs: D0 + i * DAY, values: { main_net_inflow: i } }));
    expect(stockPanelModel(many, 10).flow.map((f) => f.main)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  });
});

describe("StockPanel", () => {
  afterEach(() => vi.restoreAllMocks());

  const renderPanel = (symbol: string | null, lang: "en" | "zh-CN" = "en") =>
    render(
      <I18nProvider lang={lang}>
        <StockPanel symbol={symbol} />
      </I18nProvider>,
    );

  it("shows the daily indicators and money flow of an A-share", async () => {
    const spy = vi.spyOn(api, "getFundamentals").mockResolvedValue(days);
    renderPanel("tushare:600036.SH");
    await screen.findByTestId("stock-flow");
    expect(spy).toHaveBeenCalledWith("tushare:600036.SH", 30);
    expect(screen.getByTestId("stock-turnover_rate")).toHaveTextContent("0.52%");
    expect(screen.getByTestId("stock-pe")).toHaveTextContent("not published");
    const bars = screen.getAllByTestId("stock-flow-day");
    expect(bars).toHaveLength(2);
    const out = bars[1] as HTMLElement;
    expect(within(out).getByText(/-100M|−100M/).className).toContain("down");
    expect(out.getAttribute("title")).toContain("Large");
  });

  it("is in Chinese when the app is", async () => {
    vi.spyOn(api, "getFundamentals").mockResolvedValue(days);
    renderPanel("tushare:600036.SH", "zh-CN");
    await screen.findByTestId("stock-flow");
    expect(screen.getByText("换手率")).toBeInTheDocument();
    expect(within(screen.getByTestId("stock-pe")).getByText("未公布")).toBeInTheDocument();
  });

  it("is absent for other sources and says when nothing is stored yet", async () => {
    const spy = vi.spyOn(api, "getFundamentals").mockResolvedValue([]);
    const { container } = renderPanel("binance-usdm:BTCUSDT");
    expect(container).toBeEmptyDOMElement();
    expect(spy).not.toHaveBeenCalled();
    renderPanel("tushare:000001.SZ");
    await waitFor(() => expect(screen.getByText(/No daily figures stored yet/)).toBeInTheDocument());
  });

  it("shows a backend error in words", async () => {
    vi.spyOn(api, "getFundamentals").mockRejectedValue({ code: "storage", message: "database is locked" });
    renderPanel("tushare:600036.SH");
    expect(await screen.findByRole("alert")).toHaveTextContent("database is locked");
  });
});
