import { en, zhCN, type MessageKey, type Messages } from "./messages";

export const LANGS = ["en", "zh-CN"] as const;
export type Lang = (typeof LANGS)[number];

export const LANG_LABELS: Record<Lang, string> = { en: "English", "zh-CN": "简体中文" };

const TABLES: Record<Lang, Messages> = { en, "zh-CN": zhCN };
export const STORAGE_KEY = "tickwarden.lang";

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (LANGS as readonly string[]).includes(value);
}

/**
 * The language to start in when the user has not chosen one. Any Chinese tag
 * (zh, zh-CN, zh-TW, zh-Hant-HK…) gets zh-CN, the only Chinese we have; anything
 * else, including WebKitGTK's "C" under LANG=C.UTF-8, gets English.
 */
export function detectLang(navigatorLanguage: string | null | undefined): Lang {
  if (typeof navigatorLanguage === "string" && /^zh(?:[-_]|$)/i.test(navigatorLanguage.trim())) {
    return "zh-CN";
  }
  return "en";
}

/** A BCP-47 tag for Intl and lightweight-charts; never the raw navigator value. */
export function localeFor(lang: Lang): string {
  return lang === "zh-CN" ? "zh-CN" : "en-US";
}

function storage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null; // storage can be blocked; the choice is then per session only
  }
}

export function initialLang(navigatorLanguage: string | null | undefined): Lang {
  const saved = storage()?.getItem(STORAGE_KEY);
  return isLang(saved) ? saved : detectLang(navigatorLanguage);
}

export function saveLang(lang: Lang): void {
  try {
    storage()?.setItem(STORAGE_KEY, lang);
  } catch {
    // quota or privacy mode: keep working without persistence
  }
}

export type Vars = Record<string, string | number>;

/** Looks up `key` and fills `{name}` placeholders; unknown placeholders stay visible. */
export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const template = TABLES[lang][key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = vars[name];
    return v === undefined ? whole : String(v);
  });
}

export function messagesFor(lang: Lang): Messages {
  return TABLES[lang];
}
