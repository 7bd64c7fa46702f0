// The full rule editor against mocked IPC: nested groups, channel and moving operators,
// expiry, delivery channels, the round trip of a stored rule, and errors shown at the field.
/* eslint-disable @typescript-eslint/only-throw-error, @typescript-eslint/prefer-promise-reject-errors --
   the mocked commands reject with the plain ApiError object, as Tauri does */
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { mockIPC } from "@tauri-apps/api/mocks";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { RuleRecord } from "../bindings/RuleRecord";
import type { RuleSpec } from "../bindings/RuleSpec";
import { I18nProvider } from "../i18n/I18nProvider";
import type { Lang } from "../i18n/lang";
import { row } from "../test/fixtures";
import { RuleForm } from "./RuleForm";
import { RuleList, RuleTools } from "./RuleList";

type Handler = (args: Record<string, unknown>) => unknown;
let calls: { cmd: string; args: Record<string, unknown> }[] = [];
let handlers: Record<string, Handler> = {};

function install(extra: Record<string, Handler> = {}) {
  calls = [];
  handlers = {
    list_watchlists: () => [
      { name: "default", symbols: ["demo:ALPHA"] },
      { name: "majors", symbols: [] },
    ],
    get_delivery_settings: () => ({
      stormWindowS: 10,
      stormMax: 5,
      breakerWindowS: 60,
      breakerMax: 20,
      breakerPauseS: 600,
      quietHours: null,
      soundLevels: [],
      webhooks: [
        { name: "team-slack", kind: "slack", enabled: true, minLevel: "low", perMinute: 20 },
        { name: "ops-tg", kind: "telegram", enabled: false, minLevel: "high", perMinute: 20, chatId: "1" },
      ],
    }),
    preview_rule: () => ({ fired: 3, from: 0, to: 1, symbols: ["demo:ALPHA"], hits: [] }),
    create_rule: (a) => ({ id: 41, spec: a.spec, createdAt: 1 }),
    update_rule: (a) => ({ id: a.id, spec: a.spec, createdAt: 1 }),
    ...extra,
  };
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

const rows = [row("demo:ALPHA", 100), row("demo:BETA", 50), row("demo:GAMMA", 10)];
const callsOf = (cmd: string) => calls.filter((c) => c.cmd === cmd);
const lastSpec = (cmd: string) => callsOf(cmd).at(-1)?.args.spec as RuleSpec | undefined;

function editor(opts: { editing?: RuleRecord; lang?: Lang } = {}) {
  return render(
    <I18nProvider lang={opts.lang ?? "en"}>
      <RuleForm
        full
        rows={rows}
        defaultSymbol="demo:ALPHA"
        editing={opts.editing ?? null}
        onCreate={api.createRule}
        onUpdate={api.updateRule}
      />
    </I18nProvider>,
  );
}

/** The editor of the comparison at `path` (e.g. `when.all[1].any[0]`). */
const cmpAt = (path: string) => {
  const el = screen.getAllByTestId("cmp-editor").find((e) => e.dataset.path === path);
  if (!el) throw new Error(`no comparison at ${path}; have ${screen.getAllByTestId("cmp-editor").map((e) => e.dataset.path ?? "").join(", ")}`);
  return within(el);
};
const groupAt = (path: string) => {
  const el = screen.getAllByTestId("cond-group").find((e) => e.dataset.path === path);
  if (!el) throw new Error(`no group at ${path}`);
  return el;
};
/** Buttons of this group only (not those of nested groups). */
const ownButton = (group: HTMLElement, testId: string) => {
  const b = [...group.querySelectorAll<HTMLElement>(`[data-testid="${testId}"]`)].find((x) => x.closest('[data-testid="cond-group"]') === group);
  if (!b) throw new Error(`no ${testId}`);
  return b;
};
const errorAt = (path: string) => screen.queryAllByTestId("field-error").find((e) => e.dataset.path === path) ?? null;

beforeEach(() => {
  install();
  vi.spyOn(navigator, "language", "get").mockReturnValue("C");
});

describe("rule editor: conditions", () => {
  it("builds a rule with all/any groups nested three deep", async () => {
    const user = userEvent.setup();
    editor();
    await user.type(screen.getByTestId("rule-name"), "deep");
    await user.type(cmpAt("when").getByTestId("rule-value"), "100");

    // A nested group at the root turns the lone condition into `when.all[0]`.
    await user.click(ownButton(groupAt("when"), "group-add-group"));
    const level2 = groupAt("when.all[1]");
    expect(level2).toHaveAttribute("data-kind", "any");
    await user.selectOptions(cmpAt("when.all[1].any[0]").getByTestId("rule-metric"), "rsi");
    await user.selectOptions(cmpAt("when.all[1].any[0]").getByTestId("rule-op"), "lt");
    await user.type(cmpAt("when.all[1].any[0]").getByTestId("rule-value"), "30");

    await user.click(ownButton(level2, "group-add-group"));
    const level3 = groupAt("when.all[1].any[1]");
    await user.selectOptions(within(level3).getAllByTestId("group-kind")[0] as HTMLElement, "any");
    expect(groupAt("when.all[1].any[1]")).toHaveAttribute("data-kind", "any");
    await user.selectOptions(cmpAt("when.all[1].any[1].any[0]").getByTestId("rule-metric"), "sma");
    const period = cmpAt("when.all[1].any[1].any[0]").getByTestId("rule-metric-period");
    await user.clear(period);
    await user.type(period, "50");
    await user.selectOptions(cmpAt("when.all[1].any[1].any[0]").getByTestId("rule-op"), "crosses_up");
    await user.selectOptions(cmpAt("when.all[1].any[1].any[0]").getByTestId("rule-value-kind"), "metric");
    await user.selectOptions(cmpAt("when.all[1].any[1].any[0]").getByTestId("rule-value-metric"), "ema");
    const emaPeriod = cmpAt("when.all[1].any[1].any[0]").getByTestId("rule-value-metric-period");
    await user.clear(emaPeriod);
    await user.type(emaPeriod, "200");
    // a second condition in the deepest group, then removed again
    await user.click(ownButton(groupAt("when.all[1].any[1]"), "group-add-cmp"));
    await user.click(cmpAt("when.all[1].any[1].any[1]").getByTestId("cmp-remove"));

    await user.click(screen.getByTestId("rule-submit"));
    await waitFor(() => {
      expect(callsOf("create_rule")).toHaveLength(1);
    });
    expect(lastSpec("create_rule")?.when).toEqual({
      all: [
        { metric: "price", op: "gt", value: 100 },
        { any: [{ metric: "rsi", op: "lt", value: 30 }, { any: [{ metric: "sma(50)", op: "crosses_up", value: { metric: "ema(200)" } }] }] },
      ],
    });
    expect(lastSpec("create_rule")?.target).toEqual({ symbols: ["demo:ALPHA"] });
  });

  it("shows an empty group's problem at the group and saves nothing", async () => {
    const user = userEvent.setup();
    editor();
    await user.type(screen.getByTestId("rule-name"), "g");
    await user.type(cmpAt("when").getByTestId("rule-value"), "1");
    await user.click(ownButton(groupAt("when"), "group-add-group"));
    await user.click(cmpAt("when.all[1].any[0]").getByTestId("cmp-remove"));
    await user.click(screen.getByTestId("rule-submit"));
    expect(errorAt("when.all[1].any")).toHaveTextContent("An empty group can never fire");
    expect(callsOf("create_rule")).toHaveLength(0);
  });
});

describe("rule editor: errors", () => {
  it("never saves an invalid rule: says why next to each field and focuses the first", async () => {
    const user = userEvent.setup();
    editor();
    await user.click(screen.getByTestId("rule-submit"));
    expect(errorAt("name")).toHaveTextContent("Enter a name for the rule.");
    expect(errorAt("when.value")).toHaveTextContent("Enter a value.");
    expect(screen.getByTestId("rule-name")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("rule-name")).toHaveAttribute("aria-describedby", errorAt("name")?.id);
    await waitFor(() => {
      expect(screen.getByTestId("rule-name")).toHaveFocus();
    });
    expect(callsOf("create_rule")).toHaveLength(0);
    await user.type(screen.getByTestId("rule-name"), "n");
    expect(errorAt("name")).toBeNull();
    expect(screen.getByTestId("rule-name")).toHaveAttribute("aria-invalid", "false");
  });
});

describe("rule editor: operators", () => {
  it("validates channel bounds inline and sends lower/upper, numbers or metrics", async () => {
    const user = userEvent.setup();
    editor();
    await user.type(screen.getByTestId("rule-name"), "band");
    await user.selectOptions(screen.getByTestId("rule-op"), "inside_channel");
    expect(screen.queryByTestId("rule-value")).toBeNull();
    await user.type(screen.getByTestId("rule-lower"), "3");
    await user.type(screen.getByTestId("rule-upper"), "2");
    await user.click(screen.getByTestId("rule-submit"));
    expect(errorAt("when.lower")).toHaveTextContent("The lower bound 3 is above the upper bound 2.");
    expect(screen.getByTestId("rule-lower")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("rule-lower")).toHaveAttribute("aria-describedby", errorAt("when.lower")?.id);
    expect(screen.getByTestId("rule-error")).toHaveTextContent("The lower bound 3 is above the upper bound 2.");
    expect(callsOf("create_rule")).toHaveLength(0);

    // The upper bound becomes a metric: no number comparison left, the rule is valid.
    await user.selectOptions(screen.getByTestId("rule-upper-kind"), "metric");
    await user.selectOptions(screen.getByTestId("rule-upper-metric"), "bb_upper");
    expect(errorAt("when.lower")).toBeNull();
    await user.selectOptions(screen.getByTestId("rule-op"), "exiting_channel");
    await user.click(screen.getByTestId("rule-submit"));
    await waitFor(() => {
      expect(callsOf("create_rule")).toHaveLength(1);
    });
    expect(lastSpec("create_rule")?.when).toEqual({ metric: "price", op: "exiting_channel", lower: 3, upper: { metric: "bb_upper" } });
    expect(lastSpec("create_rule")?.version).toBe(2);
  });

  it("asks for both bounds", async () => {
    const user = userEvent.setup();
    editor();
    await user.type(screen.getByTestId("rule-name"), "band");
    await user.selectOptions(screen.getByTestId("rule-op"), "outside_channel");
    await user.click(screen.getByTestId("rule-submit"));
    expect(errorAt("when.lower")).toHaveTextContent("Enter the lower bound.");
    expect(errorAt("when.upper")).toHaveTextContent("Enter the upper bound.");
  });

  it("moving operators take an amount above 0 and 1 to 500 bars", async () => {
    const user = userEvent.setup();
    editor();
    await user.type(screen.getByTestId("rule-name"), "dump");
    await user.selectOptions(screen.getByTestId("rule-op"), "moving_down_pct");
    expect(screen.getByText("By (%)")).toBeInTheDocument();
    await user.type(screen.getByTestId("rule-value"), "0");
    await user.type(screen.getByTestId("rule-bars"), "501");
    await user.click(screen.getByTestId("rule-submit"));
    expect(errorAt("when.value")).toHaveTextContent("The amount must be a number above 0.");
    expect(errorAt("when.bars")).toHaveTextContent("from 1 to 500");
    expect(callsOf("create_rule")).toHaveLength(0);
    await user.clear(screen.getByTestId("rule-value"));
    await user.type(screen.getByTestId("rule-value"), "2.5");
    await user.clear(screen.getByTestId("rule-bars"));
    await user.type(screen.getByTestId("rule-bars"), "12");
    await user.click(screen.getByTestId("rule-submit"));
    await waitFor(() => {
      expect(callsOf("create_rule")).toHaveLength(1);
    });
    expect(lastSpec("create_rule")?.when).toEqual({ metric: "price", op: "moving_down_pct", value: 2.5, bars: 12 });
  });

  it("a pending period cannot hold a crossing", async () => {
    const user = userEvent.setup();
    editor();
    await user.type(screen.getByTestId("rule-name"), "x");
    await user.selectOptions(screen.getByTestId("rule-op"), "crosses_up");
    await user.type(screen.getByTestId("rule-value"), "1");
    await user.clear(screen.getByTestId("rule-hold"));
    await user.type(screen.getByTestId("rule-hold"), "2");
    await user.click(screen.getByTestId("rule-submit"));
    expect(errorAt("frequency.hold_bars")).toHaveTextContent("cannot hold over bars");
    await user.selectOptions(screen.getByTestId("rule-op"), "gt");
    await user.click(screen.getByTestId("rule-submit"));
    await waitFor(() => {
      expect(lastSpec("create_rule")?.frequency).toEqual({ mode: "once_per_bar", cooldown_s: 60, hold_bars: 2 });
    });
  });

  it("an unknown metric typed by hand is refused at the metric", async () => {
    const user = userEvent.setup();
    editor();
    await user.selectOptions(screen.getByTestId("rule-metric"), "custom");
    await user.type(screen.getByTestId("rule-metric-custom"), "volme_z");
    await user.tab(); // leaving the field shows its problem before any submit
    expect(errorAt("when.metric")).toHaveTextContent("\u201cvolme_z\u201d is not a metric the engine knows");
    expect(errorAt("name")).toBeNull();
    await user.clear(screen.getByTestId("rule-metric-custom"));
    await user.type(screen.getByTestId("rule-metric-custom"), "sma(20)");
    expect(errorAt("when.metric")).toBeNull();
  });
});

describe("rule editor: target, trigger and delivery", () => {
  it("sends symbols, a watchlist, a source, bar-close evaluation, expiry and channels", async () => {
    const user = userEvent.setup();
    editor();
    await user.type(screen.getByTestId("rule-name"), "all of it");
    await user.type(screen.getByTestId("rule-value"), "5");
    await user.click(screen.getByTestId("rule-symbol-add"));
    expect(screen.getAllByTestId("rule-symbol").map((s) => (s as HTMLSelectElement).value)).toEqual(["demo:ALPHA", "demo:BETA"]);
    await user.type(screen.getByTestId("rule-symbol-other"), "binance-usdm:BTCUSDT");
    await user.click(screen.getByTestId("rule-symbol-other-add"));
    await user.click(screen.getByTestId("rule-use-watchlist"));
    await waitFor(() => {
      expect(within(screen.getByTestId("rule-target")).getByRole("option", { name: "majors" })).toBeInTheDocument();
    });
    await user.selectOptions(screen.getByTestId("rule-watchlist"), "majors");
    await user.click(screen.getByTestId("rule-use-source"));
    await user.type(screen.getByTestId("rule-source"), "demo");
    await user.selectOptions(screen.getByTestId("rule-interval"), "4h");
    await user.click(screen.getByTestId("rule-evaluate-bar_close"));
    await user.selectOptions(screen.getByTestId("rule-frequency"), "every_time");
    await user.clear(screen.getByTestId("rule-cooldown"));
    await user.type(screen.getByTestId("rule-cooldown"), "300");
    await user.click(screen.getByTestId("rule-rearm"));

    // Expiry: a past time is refused at the field, a future one is sent in ms.
    await user.click(screen.getByTestId("rule-expires"));
    fireEvent.change(screen.getByTestId("rule-expires-at"), { target: { value: "2001-02-03T04:05" } });
    await user.click(screen.getByTestId("rule-submit"));
    expect(errorAt("expires_at")).toHaveTextContent("The expiry lies in the past.");
    expect(callsOf("create_rule")).toHaveLength(0);
    fireEvent.change(screen.getByTestId("rule-expires-at"), { target: { value: "2099-02-03T04:05" } });
    expect(errorAt("expires_at")).toBeNull();

    // Message with placeholder help, sound on, notification off, a configured webhook.
    await user.type(screen.getByTestId("rule-message"), "Alert: ");
    const symbolChip = screen.getAllByTestId("rule-placeholder").find((b) => b.textContent === "{symbol}");
    if (!symbolChip) throw new Error("no {symbol} chip");
    await user.click(symbolChip);
    expect(screen.getByTestId("rule-message")).toHaveValue("Alert: {symbol}");
    await user.click(screen.getByTestId("rule-notification"));
    await user.click(screen.getByTestId("rule-sound"));
    const hooks = screen.getAllByTestId("rule-webhook");
    expect(hooks.map((h) => h.dataset.name)).toEqual(["team-slack", "ops-tg"]);
    expect(screen.getByTestId("rule-webhooks")).toHaveTextContent("ops-tg (switched off in Settings)");
    await user.click(hooks[0] as HTMLElement);
    await user.selectOptions(screen.getByTestId("rule-level"), "critical");

    await user.click(screen.getByTestId("rule-submit"));
    await waitFor(() => {
      expect(callsOf("create_rule")).toHaveLength(1);
    });
    expect(lastSpec("create_rule")).toEqual({
      version: 2,
      name: "all of it",
      target: { symbols: ["demo:ALPHA", "demo:BETA", "binance-usdm:BTCUSDT"], watchlist: "majors", source: "demo" },
      interval: "4h",
      when: { metric: "price", op: "gt", value: 5 },
      level: "critical",
      frequency: { mode: "every_time", cooldown_s: 300, rearm: true },
      evaluate: "bar_close",
      expires_at: new Date(2099, 1, 3, 4, 5).getTime(),
      enabled: true,
      message: "Alert: {symbol}",
      channels: { notification: false, sound: true, webhooks: ["team-slack"] },
    } satisfies RuleSpec);
  });

  it("refuses a symbol that is not source:CODE, at that symbol", async () => {
    const user = userEvent.setup();
    editor();
    await user.type(screen.getByTestId("rule-name"), "s");
    await user.type(screen.getByTestId("rule-value"), "1");
    await user.type(screen.getByTestId("rule-symbol-other"), "BTCUSDT");
    await user.click(screen.getByTestId("rule-symbol-other-add"));
    await user.click(screen.getByTestId("rule-submit"));
    expect(errorAt("target.symbols[1]")).toHaveTextContent("\u201cBTCUSDT\u201d is not a symbol such as demo:ALPHA");
    await user.click(screen.getAllByTestId("rule-symbol-remove")[1] as HTMLElement);
    await user.click(screen.getByTestId("rule-use-symbols"));
    await user.click(screen.getByTestId("rule-submit"));
    expect(errorAt("target")).toHaveTextContent("Choose what to watch");
    expect(callsOf("create_rule")).toHaveLength(0);
  });

  it("keeps the live preview running for the full spec", async () => {
    const user = userEvent.setup();
    editor();
    expect(screen.getByTestId("rule-preview")).toHaveAttribute("data-state", "idle");
    await user.selectOptions(screen.getByTestId("rule-op"), "moving_up");
    await user.type(screen.getByTestId("rule-value"), "2");
    await user.type(screen.getByTestId("rule-bars"), "5");
    await user.click(ownButton(groupAt("when"), "group-add-cmp"));
    await user.type(cmpAt("when.all[1]").getByTestId("rule-value"), "1");
    await waitFor(
      () => {
        expect(screen.getByTestId("rule-preview")).toHaveAttribute("data-state", "done");
      },
      { timeout: 3000 },
    );
    expect(callsOf("preview_rule").at(-1)?.args).toMatchObject({
      days: 7,
      spec: { name: "preview", when: { all: [{ metric: "price", op: "moving_up", value: 2, bars: 5 }, { metric: "price", op: "gt", value: 1 }] } },
    });
    expect(screen.getByTestId("rule-preview")).toHaveTextContent("would have fired 3 times");
  });
});

const stored: RuleRecord = {
  id: 7,
  createdAt: 1,
  spec: {
    version: 2,
    name: "Breakout desk",
    target: { symbols: ["demo:ALPHA", "binance-usdm:BTCUSDT"], watchlist: "majors", source: "demo" },
    interval: "15m",
    when: {
      any: [
        { metric: "price", op: "entering_channel", lower: { metric: "bb_lower" }, upper: 100.25 },
        {
          all: [
            { metric: "sma(50)", op: "crosses_up", value: { metric: "ema(200)" } },
            { any: [{ metric: "price", op: "moving_down_pct", value: 2.5, bars: 12 }, { metric: "oi_change_pct", op: "ge", value: -1e-7 }] },
          ],
        },
      ],
    },
    level: "critical",
    frequency: { mode: "every_time", cooldown_s: 900, rearm: true },
    evaluate: "bar_close",
    expires_at: 4_102_444_800_123,
    enabled: false,
    message: "{symbol} broke out: {reasons}",
    channels: { notification: false, sound: true, webhooks: ["team-slack", "gone-hook"] },
  },
};

describe("rule editor: editing a stored rule", () => {
  it("shows every field and saves it back unchanged", async () => {
    const user = userEvent.setup();
    editor({ editing: stored });
    expect(screen.getByRole("heading", { name: "Edit rule \u201cBreakout desk\u201d" })).toBeInTheDocument();
    expect(screen.getByTestId("rule-name")).toHaveValue("Breakout desk");
    expect(screen.getAllByTestId("rule-symbol").map((s) => (s as HTMLSelectElement).value)).toEqual(["demo:ALPHA", "binance-usdm:BTCUSDT"]);
    expect(screen.getByTestId("rule-evaluate-bar_close")).toBeChecked();
    expect(screen.getByTestId("rule-enabled")).not.toBeChecked();
    expect(screen.getByTestId("rule-rearm")).toBeChecked();
    expect(screen.getByTestId("rule-expires")).toBeChecked();
    expect(cmpAt("when.any[1].all[1].any[0]").getByTestId("rule-bars")).toHaveValue("12");
    expect(cmpAt("when.any[1].all[0]").getByTestId("rule-metric")).toHaveValue("sma");
    expect(cmpAt("when.any[1].all[0]").getByTestId("rule-metric-period")).toHaveValue("50");
    await waitFor(() => {
      expect(screen.getByTestId("rule-webhooks")).toHaveTextContent("gone-hook (not configured in Settings)");
    });
    const checked = screen.getAllByTestId("rule-webhook").filter((c) => (c as HTMLInputElement).checked).map((c) => c.dataset.name);
    expect(checked).toEqual(["team-slack", "gone-hook"]);
    expect(screen.getByTestId("rule-submit")).toHaveTextContent("Save changes");

    await user.click(screen.getByTestId("rule-submit"));
    await waitFor(() => {
      expect(callsOf("update_rule")).toHaveLength(1);
    });
    expect(callsOf("update_rule")[0]?.args.id).toBe(7);
    expect(JSON.stringify(lastSpec("update_rule"))).toBe(JSON.stringify(stored.spec));
    expect(callsOf("create_rule")).toHaveLength(0);
    expect(await screen.findByText("Rule \u201cBreakout desk\u201d saved.")).toBeInTheDocument();
  });

  it("shows the engine's refusal at the field it names, in words", async () => {
    install({
      update_rule: () => {
        throw { code: "invalid_rule", message: "invalid rule: when.any[0].upper: entering_channel needs an `upper` bound" } satisfies ApiError;
      },
    });
    const user = userEvent.setup();
    editor({ editing: stored });
    await user.click(screen.getByTestId("rule-submit"));
    const at = await waitFor(() => {
      const e = errorAt("when.any[0].upper");
      if (!e) throw new Error("no error at when.any[0].upper");
      return e;
    });
    expect(at).toHaveTextContent("The engine refused this: entering_channel needs an `upper` bound");
    expect(cmpAt("when.any[0]").getByTestId("rule-upper")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("rule-error")).toHaveTextContent("The engine refused this rule: invalid rule: when.any[0].upper");
    expect(screen.getByTestId("rule-error").textContent).not.toMatch(/[{}]|invalid_rule/);
    // editing the form clears the engine's complaint
    await user.type(screen.getByTestId("rule-name"), "!");
    expect(errorAt("when.any[0].upper")).toBeNull();
  });

  it("maps a path to a metric operand onto its field", async () => {
    install({
      update_rule: () => {
        throw { code: "invalid_rule", message: "invalid rule: when.any[0].lower.metric: unknown metric \"bb_lowr\"" } satisfies ApiError;
      },
    });
    const user = userEvent.setup();
    editor({ editing: stored });
    await user.click(screen.getByTestId("rule-submit"));
    await waitFor(() => {
      expect(errorAt("when.any[0].lower")).toHaveTextContent("unknown metric \"bb_lowr\"");
    });
  });

  it("reads in Chinese", () => {
    editor({ editing: stored, lang: "zh-CN" });
    expect(screen.getByRole("heading", { name: "编辑规则“Breakout desk”" })).toBeInTheDocument();
    expect(screen.getByTestId("rule-submit")).toHaveTextContent("保存修改");
    expect(screen.getByText("仅在K线收盘时")).toBeInTheDocument();
  });
});

describe("rule list: edit, duplicate, import and export", () => {
  it("offers edit and duplicate per rule", async () => {
    const user = userEvent.setup();
    const onEdit = vi.fn();
    const onDuplicate = vi.fn();
    render(
      <I18nProvider lang="en">
        <RuleList rules={[stored]} loadError={null} actionError={null} onToggle={vi.fn()} onDelete={vi.fn()} onEdit={onEdit} onDuplicate={onDuplicate} editingId={7} />
      </I18nProvider>,
    );
    const r = screen.getByTestId("rule-row");
    expect(r).toHaveAttribute("aria-current", "true");
    expect(r).toHaveTextContent("Price enters [Bollinger lower, 100.25]");
    await user.click(within(r).getByTestId("rule-edit"));
    expect(onEdit).toHaveBeenCalledWith(stored);
    await user.click(within(r).getByTestId("rule-duplicate"));
    expect(onDuplicate).toHaveBeenCalledWith(7);
  });

  it("imports a file through the engine and says how many, or why not", async () => {
    install({
      import_rules: (a) => {
        const parsed = JSON.parse(String(a.json)) as { rules: RuleSpec[] };
        return parsed.rules.map((spec, i) => ({ id: 100 + i, spec, createdAt: 1 }));
      },
      export_rules: () => '{"version":2,"rules":[]}',
    });
    const user = userEvent.setup();
    render(
      <I18nProvider lang="en">
        <RuleTools onImport={api.importRules} onExport={api.exportRules} />
      </I18nProvider>,
    );
    const json = JSON.stringify({ version: 2, rules: [stored.spec, { ...stored.spec, name: "b" }] });
    await user.upload(screen.getByTestId("rules-import-file"), new File([json], "rules.json", { type: "application/json" }));
    expect(await screen.findByText("Imported 2 rules.")).toBeInTheDocument();
    expect(callsOf("import_rules")[0]?.args.json).toBe(json);

    handlers.import_rules = () => {
      throw { code: "invalid_input", message: "rules[1].when.metric: unknown metric \"x\"" } satisfies ApiError;
    };
    await user.upload(screen.getByTestId("rules-import-file"), new File(["[]"], "bad.json", { type: "application/json" }));
    expect(await screen.findByText(/Nothing was imported\. rules\[1\]\.when\.metric: unknown metric/)).toBeInTheDocument();

    const created: string[] = [];
    const origCreate = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (b: Blob) => {
      created.push(b.type);
      return "blob:x";
    };
    URL.revokeObjectURL = () => undefined;
    const saved: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    await user.click(screen.getByTestId("rules-export"));
    await waitFor(() => {
      expect(created).toEqual(["application/json"]);
    });
    expect(saved).toEqual(["tickwarden-rules.json"]);
    expect(callsOf("export_rules")).toHaveLength(1);
    URL.createObjectURL = origCreate;
  });
});
