import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import type { ApiError } from "../bindings/ApiError";
import { initialLang, localeFor, saveLang, translate, type Lang, type Vars } from "./lang";
import type { MessageKey } from "./messages";

export interface I18n {
  lang: Lang;
  /** BCP-47 locale for Intl and the chart. */
  locale: string;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, vars?: Vars) => string;
  /** An ApiError in words: the message, or the code's generic sentence when it has none. */
  errorText: (error: ApiError) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children, lang: forced }: { children: ReactNode; lang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(() => forced ?? initialLang(navigator.language));

  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    saveLang(next);
  }, []);

  useEffect(() => {
    document.documentElement.lang = localeFor(lang);
  }, [lang]);

  const value = useMemo<I18n>(() => {
    const t = (key: MessageKey, vars?: Vars) => translate(lang, key, vars);
    return {
      lang,
      locale: localeFor(lang),
      setLang,
      t,
      errorText: (error) =>
        error.message.trim() !== "" ? error.message : t(`error.${error.code}`),
    };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error("useI18n outside I18nProvider");
  return ctx;
}
