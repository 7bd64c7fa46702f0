import { useEffect, useState } from "react";
import { api } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { SymbolMatch } from "../bindings/SymbolMatch";
import type { WatchlistInfo } from "../bindings/WatchlistInfo";
import { useI18n } from "../i18n/I18nProvider";
import type { SortKey } from "../state/watchOrder";

/** List picker, new list, symbol search (code, name, pinyin initials) and sort order. */
export function WatchTools({
  lists,
  current,
  onPick,
  onChanged,
  sort,
  onSort,
}: {
  lists: readonly WatchlistInfo[];
  current: string;
  onPick: (name: string) => void;
  onChanged: (pick?: string) => void;
  sort: SortKey;
  onSort: (s: SortKey) => void;
}) {
  const { t, errorText } = useI18n();
  const [query, setQuery] = useState("");
  const [hits, setHits] = useState<SymbolMatch[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [naming, setNaming] = useState<string | null>(null);

  useEffect(() => {
    const q = query.trim();
    if (q === "") return;
    let active = true;
    const timer = setTimeout(() => {
      api.searchSymbols(q, 12).then(
        (h) => active && setHits(h),
        (e: unknown) => active && setError(e as ApiError),
      );
    }, 150);
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [query]);

  const add = (symbol: string) => {
    api.addToWatchlist(current, symbol).then(
      () => {
        setQuery("");
        setHits([]);
        setError(null);
        onChanged();
      },
      (e: unknown) => setError(e as ApiError),
    );
  };
  const shown = query.trim() === "" ? [] : hits;

  return (
    <div className="watch-tools">
      <div className="row">
        <select aria-label={t("wl.list")} data-testid="wl-list" value={current} onChange={(e) => onPick(e.target.value)}>
          {lists.map((l) => (
            <option key={l.name} value={l.name}>
              {l.name === "default" ? t("watchlist.title") : l.name} ({l.symbols.length})
            </option>
          ))}
        </select>
        {naming === null ? (
          <button type="button" className="btn small" data-testid="wl-new" onClick={() => setNaming("")}>
            {t("wl.newList")}
          </button>
        ) : (
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              api.createWatchlist(naming).then(
                (l) => {
                  setNaming(null);
                  setError(null);
                  onChanged(l.name);
                },
                (err: unknown) => setError(err as ApiError),
              );
            }}
          >
            <input aria-label={t("wl.newListPrompt")} data-testid="wl-new-name" value={naming} onChange={(e) => setNaming(e.target.value)} />
            <button type="submit" className="btn small">
              {t("wl.create")}
            </button>
          </form>
        )}
        {current !== "default" && (
          <button
            type="button"
            className="btn small"
            onClick={() => void api.deleteWatchlist(current).then(() => onChanged("default"), (e: unknown) => setError(e as ApiError))}
          >
            {t("wl.deleteList")}
          </button>
        )}
        <select aria-label={t("wl.sort")} data-testid="wl-sort" value={sort} onChange={(e) => onSort(e.target.value as SortKey)}>
          <option value="manual">{t("wl.sortManual")}</option>
          <option value="symbol">{t("wl.sortSymbol")}</option>
          <option value="change">{t("wl.sortChange")}</option>
          <option value="volume">{t("wl.sortVolume")}</option>
          <option value="rvol">{t("wl.sortRvol")}</option>
        </select>
      </div>
      <div className="search">
        <input
          type="search"
          data-testid="wl-search"
          aria-label={t("wl.searchLabel")}
          placeholder={t("wl.search")}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && shown[0]) add(shown[0].symbol);
            if (e.key === "Escape") setQuery("");
          }}
        />
        {shown.length > 0 && (
          <ul className="search-hits" role="listbox">
            {shown.map((h) => (
              <li key={h.symbol}>
                <button type="button" data-testid="wl-hit" data-symbol={h.symbol} aria-label={t("wl.add", { symbol: h.symbol })} onClick={() => add(h.symbol)}>
                  <span className="watch-code">{h.symbol}</span> <span className="watch-name">{h.name}</span>
                  {h.pinyin && <span className="pinyin">{h.pinyin}</span>}
                </button>
              </li>
            ))}
          </ul>
        )}
        {query.trim() !== "" && hits.length === 0 && <p className="empty small">{t("wl.noMatch", { query: query.trim() })}</p>}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {t("wl.error", { message: errorText(error) })}
        </p>
      )}
    </div>
  );
}
