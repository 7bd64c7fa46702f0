import { describe, expect, it } from "vitest";
import { formatPct, formatPrice, formatTime } from "./format";
import { LANGS, STORAGE_KEY, detectLang, initialLang, localeFor, messagesFor, saveLang, translate } from "./lang";
import { en, zhCN } from "./messages";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("language detection", () => {
  it.each([
    ["C", "en"],
    ["", "en"],
    [undefined, "en"],
    [null, "en"],
    ["en-US", "en"],
    ["de-DE", "en"],
    ["zh", "zh-CN"],
    ["zh-CN", "zh-CN"],
    ["zh-TW", "zh-CN"],
    ["zh_HK", "zh-CN"],
    ["ZH-hant-tw", "zh-CN"],
    ["zu", "en"],
  ])("navigator.language %j → %s", (nav, want) => {
    expect(detectLang(nav)).toBe(want);
  });

  it("a saved choice wins over navigator.language, and is persisted", () => {
    expect(initialLang("C")).toBe("en");
    saveLang("zh-CN");
    expect(localStorage.getItem(STORAGE_KEY)).toBe("zh-CN");
    expect(initialLang("en-US")).toBe("zh-CN");
  });

  it("ignores a stored value that is not a known language", () => {
    localStorage.setItem(STORAGE_KEY, "C");
    expect(initialLang("zh-TW")).toBe("zh-CN");
    expect(initialLang("C")).toBe("en");
  });

  it("gives Intl and the chart a valid BCP-47 locale for every language", () => {
    for (const lang of LANGS) {
      const locale = localeFor(lang);
      expect(Intl.getCanonicalLocales(locale)).toEqual([locale]);
      expect(locale).not.toBe("C");
    }
  });
});

describe("dictionaries", () => {
  it("have the same keys in English and Chinese, none empty", () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    for (const lang of LANGS) {
      for (const [key, value] of Object.entries(messagesFor(lang))) {
        expect(value.trim(), `${lang} ${key}`).not.toBe("");
      }
    }
  });

  it("use the same placeholders in both languages", () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it("translate the watchlist title and fill placeholders", () => {
    expect(translate("en", "watchlist.title")).toBe("Watchlist");
    expect(translate("zh-CN", "watchlist.title")).toBe("自选");
    expect(translate("en", "form.err.nameTooLong", { max: 80 })).toContain("80");
    expect(translate("zh-CN", "feed.messages", { count: "1,234" })).toBe("1,234 条");
  });
});

describe("formatting", () => {
  it("formats prices and signed percentages for the locale", () => {
    expect(formatPrice("en-US", 1234.5)).toBe("1,234.50");
    expect(formatPrice("en-US", 0.873149)).toBe("0.8731");
    expect(formatPrice("en-US", null)).toBe("—");
    expect(formatPct("en-US", 1.234)).toBe("+1.23%");
    expect(formatPct("en-US", -0.5)).toBe("-0.50%");
    expect(formatPct("zh-CN", 2)).toBe("+2.00%");
  });

  it("shows times as a 24-hour clock in the given zone", () => {
    expect(formatTime("en-US", Date.UTC(2024, 0, 2, 3, 4, 5), "UTC")).toBe("03:04:05");
    expect(formatTime("zh-CN", Date.UTC(2024, 0, 2, 3, 4, 5), "Asia/Shanghai")).toBe("11:04:05");
  });
});
