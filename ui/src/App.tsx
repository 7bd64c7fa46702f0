import { useCallback, useEffect, useMemo, useState } from "react";
import { api } from "./api";
import type { RuleRecord } from "./bindings/RuleRecord";
import type { WatchlistInfo } from "./bindings/WatchlistInfo";
import { AlertList } from "./components/AlertList";
import { ChartPanel } from "./components/ChartPanel";
import { Header } from "./components/Header";
import { RuleForm } from "./components/RuleForm";
import { RuleList, RuleTools } from "./components/RuleList";
import { Watchlist } from "./components/Watchlist";
import { WatchTools } from "./components/WatchTools";
import { useI18n } from "./i18n/I18nProvider";
import type { MessageKey } from "./i18n/messages";
import { createLiveHub } from "./state/liveHub";
import type { RuleFormValues } from "./state/ruleForm";
import { useAlertSounds } from "./state/useAlertSounds";
import { useAlerts } from "./state/useAlerts";
import { useMarket } from "./state/useMarket";
import { useRules } from "./state/useRules";
import { useStatus } from "./state/useStatus";
import { moveSymbol, rowsFor, sortRows, type SortKey } from "./state/watchOrder";
import { anySimulated, symbolSource } from "./state/watchlist";
import { AlertsView } from "./views/AlertsView";
import { BacktestView } from "./views/BacktestView";
import { Dashboard } from "./views/Dashboard";
import { PortfolioView } from "./views/PortfolioView";
import { SettingsView } from "./views/SettingsView";
import { SourcesView } from "./views/SourcesView";
import { applyAppearance } from "./views/settingsModel";

const VIEWS = ["dashboard", "markets", "portfolio", "rules", "backtest", "alerts", "sources", "settings"] as const;
type View = (typeof VIEWS)[number];

export function App() {
  const { t } = useI18n();
  const [hub] = useState(createLiveHub);
  const market = useMarket(hub);
  const { status, error: statusError, setPaused } = useStatus();
  const { alerts, error: alertsError } = useAlerts();
  useAlertSounds();
  const rules = useRules();
  const [view, setView] = useState<View>("markets");
  const [picked, setPicked] = useState<string | null>(null);
  const [lists, setLists] = useState<WatchlistInfo[]>([]);
  const [listName, setListName] = useState("default");
  const [sort, setSort] = useState<SortKey>("manual");
  const [draft, setDraft] = useState<Partial<RuleFormValues> | null>(null);
  const [editing, setEditing] = useState<RuleRecord | null>(null);
  const editRule = (rule: RuleRecord) => {
    setEditing(rule);
    setView("rules");
  };

  const loadLists = useCallback((pick?: string) => {
    api.listWatchlists().then(
      (ls) => {
        setLists(ls);
        if (pick !== undefined) setListName(pick);
      },
      () => undefined, // without named lists the live rows still show (the default list)
    );
  }, []);
  useEffect(() => {
    loadLists();
    api.getUiSettings().then(applyAppearance, () => applyAppearance({ theme: "dark", upColor: "green_up" }));
  }, [loadLists]);

  const list = lists.find((l) => l.name === listName) ?? null;
  const liveRows = market.watch.rows;
  const bySymbol = useMemo(() => new Map(liveRows.map((r) => [r.symbol, r])), [liveRows]);
  const rows = useMemo(
    () => sortRows(list ? rowsFor(list.symbols, bySymbol) : liveRows, sort),
    [list, bySymbol, liveRows, sort],
  );
  const watch = { ...market.watch, rows };

  const selected = picked !== null && (rows.some((r) => r.symbol === picked) || bySymbol.has(picked)) ? picked : (rows[0]?.symbol ?? null);
  const selectedRow = (selected !== null ? bySymbol.get(selected) : undefined) ?? rows.find((r) => r.symbol === selected) ?? null;

  const simulatedSymbols = useMemo(() => new Set(liveRows.filter((r) => r.simulated).map((r) => r.symbol)), [liveRows]);
  const isSimulated = useCallback(
    (symbol: string) => simulatedSymbols.has(symbol) || symbolSource(symbol) === "demo",
    [simulatedSymbols],
  );

  const remove = (symbol: string) => {
    api.removeFromWatchlist(listName, symbol).then(() => loadLists(), () => undefined);
  };
  const drop = (moved: string, target: string) => {
    if (!list || sort !== "manual") return;
    const order = moveSymbol(list.symbols, moved, target);
    setLists((ls) => ls.map((l) => (l.name === listName ? { ...l, symbols: order } : l)));
    api.reorderWatchlist(listName, order).then(() => undefined, () => loadLists());
  };
  const createAlertAt = (symbol: string, price: number) => {
    setDraft({ symbol, metric: "price", op: "crosses", value: String(Number(price.toPrecision(6))) });
    setEditing(null);
    setView("rules");
  };

  const navLabel: Record<View, MessageKey> = {
    dashboard: "nav.dashboard",
    markets: "nav.markets",
    portfolio: "nav.portfolio",
    rules: "nav.rules",
    backtest: "nav.backtest",
    alerts: "nav.alerts",
    sources: "nav.sources",
    settings: "nav.settings",
  };

  return (
    <div className="app">
      <Header
        simulated={anySimulated(liveRows) || (status?.feeds.some((f) => f.simulated) ?? false)}
        status={status}
        statusError={statusError}
        onPause={setPaused}
      />
      <nav className="nav" aria-label={t("nav.label")}>
        {VIEWS.map((v) => (
          <button
            key={v}
            type="button"
            className={`nav-btn${v === view ? " on" : ""}`}
            data-testid={`nav-${v}`}
            aria-current={v === view ? "page" : undefined}
            onClick={() => setView(v)}
          >
            {t(navLabel[v])}
          </button>
        ))}
      </nav>
      {view === "dashboard" && (
        <Dashboard
          rows={liveRows}
          status={status}
          alerts={alerts}
          onOpen={(s) => {
            setPicked(s);
            setView("markets");
          }}
        />
      )}
      {view === "markets" && (
        <main className="workspace">
          <Watchlist
            watch={watch}
            selected={selected}
            onSelect={setPicked}
            loadError={market.loadError}
            liveError={market.liveError}
            onRetry={market.retry}
            tools={
              lists.length > 0 ? (
                <WatchTools lists={lists} current={listName} onPick={setListName} onChanged={loadLists} sort={sort} onSort={setSort} />
              ) : undefined
            }
            onRemove={lists.length > 0 ? remove : undefined}
            onDrop={lists.length > 0 && sort === "manual" ? drop : undefined}
          />
          <ChartPanel row={selectedRow} symbol={selected} hub={hub} rules={rules.rules} onCreateAlert={createAlertAt} />
          <div className="side">
            <AlertList alerts={alerts} error={alertsError} paused={status?.alertsPaused ?? false} isSimulated={isSimulated} />
            <section className="panel rules" aria-labelledby="rules-title">
              <div className="panel-head">
                <h2 id="rules-title">{t("rules.title")}</h2>
                <span className="count">{rules.rules.length > 0 ? rules.rules.length : ""}</span>
              </div>
              <div className="rules-scroll">
                <RuleList
                  rules={rules.rules}
                  loadError={rules.loadError}
                  actionError={rules.actionError}
                  onToggle={rules.setEnabled}
                  onDelete={rules.remove}
                  onEdit={editRule}
                  onDuplicate={rules.duplicate}
                />
              </div>
              <RuleForm rows={liveRows} defaultSymbol={selected} onCreate={rules.create} />
            </section>
          </div>
        </main>
      )}
      {view === "rules" && (
        <main className="view rules-view" data-testid="view-rules">
          <section className="panel">
            <div className="panel-head">
              <h2>{t("editor.title")}</h2>
            </div>
            <RuleForm
              key={editing ? `edit-${editing.id}` : JSON.stringify(draft)}
              full
              initial={draft ?? undefined}
              editing={editing}
              rows={liveRows}
              defaultSymbol={draft?.symbol ?? selected}
              onCreate={rules.create}
              onUpdate={rules.update}
              onSaved={(rec, wasEdit) => {
                if (wasEdit) setEditing(rec); // stay on the rule, now as stored
              }}
              onCancelEdit={() => setEditing(null)}
            />
          </section>
          <section className="panel rules">
            <div className="panel-head">
              <h2>{t("rules.title")}</h2>
              <RuleTools onImport={rules.importJson} onExport={rules.exportJson} />
            </div>
            <div className="rules-scroll">
              <RuleList
                rules={rules.rules}
                loadError={rules.loadError}
                actionError={rules.actionError}
                onToggle={rules.setEnabled}
                onDelete={rules.remove}
                onEdit={editRule}
                onDuplicate={rules.duplicate}
                editingId={editing?.id ?? null}
              />
            </div>
          </section>
        </main>
      )}
      {view === "portfolio" && (
        <PortfolioView
          onCreateRule={rules.create}
          onOpen={(s) => {
            setPicked(s);
            setView("markets");
          }}
          canOpen={(s) => bySymbol.has(s) || rows.some((r) => r.symbol === s)}
        />
      )}
      {view === "backtest" && <BacktestView rows={liveRows} defaultSymbol={selected} />}
      {view === "alerts" && <AlertsView />}
      {view === "sources" && <SourcesView />}
      {view === "settings" && <SettingsView />}
    </div>
  );
}
