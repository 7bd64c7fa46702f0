import { mockIPC } from "@tauri-apps/api/mocks";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { BinanceSettings } from "../bindings/BinanceSettings";
import type { ReplayStarted } from "../bindings/ReplayStarted";
import { I18nProvider } from "../i18n/I18nProvider";
import { translate } from "../i18n/lang";
import type { MessageKey } from "../i18n/messages";
import { SourcesView } from "./SourcesView";
import { badLineText, recordingRequest, refusedAt, speedLabel, startedText, urlSetting } from "./sourcesModel";

const en = (k: MessageKey, v?: Record<string, string | number>) => translate("en", k, v);
const zh = (k: MessageKey, v?: Record<string, string | number>) => translate("zh-CN", k, v);

const bad = { line: 5, column: 5, columnName: "Close", reason: "\"n/a\" is not a number" };
const started: ReplayStarted = {
  symbol: "replay:SPY",
  format: "Yahoo (Date,Open,High,Low,Close,Adj Close,Volume)",
  interval: "1d",
  bars: 88,
  speed: 60,
  badRows: [bad],
  badTotal: 1,
};

describe("sources model", () => {
  it("checks the recording form before anything is sent", () => {
    expect(recordingRequest("  ", 60)).toEqual({ ok: false, problem: "src.rec.needPath" });
    expect(recordingRequest("/x.csv", -1)).toEqual({ ok: false, problem: "src.rec.badSpeed" });
    expect(recordingRequest("/x.csv", Number.NaN)).toEqual({ ok: false, problem: "src.rec.badSpeed" });
    expect(recordingRequest(" /data/SPY.csv ", 0)).toEqual({ ok: true, path: "/data/SPY.csv", speed: 0 });
  });

  it("says what plays and where lines are bad, in both languages", () => {
    expect(startedText(started, en)).toBe("Playing replay:SPY: 88 bars of 1d (Yahoo (Date,Open,High,Low,Close,Adj Close,Volume)) at 60× real time.");
    expect(badLineText(bad, en)).toBe('Line 5, column 5 (Close): "n/a" is not a number');
    expect(badLineText(bad, zh)).toBe('第 5 行，第 5 列（Close）："n/a" is not a number');
    expect(speedLabel(0, en)).toBe("As fast as possible");
    expect(speedLabel(600, zh)).toBe("600 倍速");
  });

  it("finds the first bad line in a refusal", () => {
    const msg = "/tmp/b.csv: the recording has no valid rows (2 bad lines; first: line 2, column 5 (close): \"x\" is not a number)";
    expect(refusedAt(msg)).toEqual({ line: 2, column: 5, name: "close" });
    expect(refusedAt("path: /tmp/nope.csv does not exist")).toBeNull();
  });

  it("blank URL fields mean Binance's own endpoints", () => {
    expect(urlSetting("  ")).toBeNull();
    expect(urlSetting("ws://127.0.0.1:9")).toBe("ws://127.0.0.1:9");
  });
});

const settings: BinanceSettings = {
  usdm: { enabled: true, universe: "top", topN: 150, minQuoteVolume: 1e7, wsUrl: null, restUrl: null },
  spot: { enabled: false, universe: "watchlist", topN: 150, minQuoteVolume: 1e7, wsUrl: null, restUrl: null },
};

function backend(answers: Record<string, (args: Record<string, unknown>) => unknown>) {
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    if (cmd === "get_binance_settings") return structuredClone(settings);
    if (cmd === "has_source_token") return false;
    const h = answers[cmd];
    // The backend rejects with an ApiError object, not an Error.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    if (!h) return Promise.reject({ code: "internal", message: `no mock for ${cmd}` });
    try {
      return h(args);
    } catch (e) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return Promise.reject(e);
    }
  });
  return calls;
}

const view = (lang: "en" | "zh-CN" = "en") =>
  render(
    <I18nProvider lang={lang}>
      <SourcesView />
    </I18nProvider>,
  );

describe("SourcesView", () => {
  it("tests a Binance venue with the URLs typed in the form and shows the answer in words", async () => {
    const calls = backend({
      test_binance_connection: () => ({
        ok: true,
        summary: "Binance USDⓈ-M futures is reachable: REST answered in 3 ms and lists 4 symbols to watch; the live stream works.",
        checks: [{ name: "exchangeInfo", ok: true, detail: "answered in 3 ms: 4 of 4 symbols can be watched" }],
      }),
    });
    const user = userEvent.setup();
    view();
    const rest = await screen.findByTestId("src-usdm-rest");
    await user.type(rest, "http://127.0.0.1:36309");
    await user.click(screen.getByTestId("src-usdm-test"));
    const result = await screen.findByTestId("src-usdm-test-result");
    expect(result).toHaveTextContent("is reachable: REST answered in 3 ms");
    expect(result).toHaveTextContent("✓ exchangeInfo: answered in 3 ms");
    const call = calls.find((c) => c.cmd === "test_binance_connection");
    expect(call?.args.source).toBe("binance-usdm");
    expect(call?.args.settings).toMatchObject({ restUrl: "http://127.0.0.1:36309", wsUrl: null, topN: 150 });
  });

  it("opens a recording chosen in the file dialog and lists its bad lines", async () => {
    const calls = backend({
      "plugin:dialog|open": () => "/data/SPY.csv",
      open_recording: () => started,
    });
    const user = userEvent.setup();
    view();
    await user.click(await screen.findByTestId("src-rec-browse"));
    await waitFor(() => expect(screen.getByTestId("src-rec-path")).toHaveValue("/data/SPY.csv"));
    await user.selectOptions(screen.getByTestId("src-rec-speed"), "600");
    await user.click(screen.getByTestId("src-rec-play"));
    const result = await screen.findByTestId("src-rec-result");
    expect(result).toHaveTextContent("Playing replay:SPY: 88 bars of 1d");
    expect(result).toHaveTextContent("1 bad lines were skipped");
    expect(screen.getByTestId("src-rec-bad")).toHaveTextContent('Line 5, column 5 (Close): "n/a" is not a number');
    expect(calls.find((c) => c.cmd === "open_recording")?.args).toEqual({ path: "/data/SPY.csv", speed: 600 });
    const dialog = calls.find((c) => c.cmd === "plugin:dialog|open");
    expect(JSON.stringify(dialog?.args)).toContain('"extensions":["csv","txt"]');
  });

  it("a refused file names its first bad line in the user's language; nothing is sent without a path", async () => {
    const calls = backend({
      open_recording: () => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw {
          code: "invalid_input",
          message: "/tmp/b.csv: the recording has no valid rows (2 bad lines; first: line 2, column 5 (close): \"x\" is not a number)",
        };
      },
    });
    const user = userEvent.setup();
    view("zh-CN");
    await user.click(await screen.findByTestId("src-rec-play"));
    expect(await screen.findByTestId("src-rec-error")).toHaveTextContent("请先选择一个 CSV 文件。");
    expect(calls.some((c) => c.cmd === "open_recording")).toBe(false);
    await user.type(screen.getByTestId("src-rec-path"), "/tmp/b.csv");
    await user.click(screen.getByTestId("src-rec-play"));
    await waitFor(() => expect(screen.getByTestId("src-rec-error")).toHaveTextContent("第一处错误在第 2 行，第 5 列（close）"));
    expect(screen.getByTestId("src-rec-error")).toHaveTextContent("no valid rows");
  });
});
