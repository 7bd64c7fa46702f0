import { useCallback, useMemo, useState } from "react";
import { AlertList } from "./components/AlertList";
import { ChartPanel } from "./components/ChartPanel";
import { Header } from "./components/Header";
import { RuleForm } from "./components/RuleForm";
import { RuleList } from "./components/RuleList";
import { Watchlist } from "./components/Watchlist";
import { useI18n } from "./i18n/I18nProvider";
import { createLiveHub } from "./state/liveHub";
import { useAlerts } from "./state/useAlerts";
import { useMarket } from "./state/useMarket";
import { useRules } from "./state/useRules";
import { useStatus } from "./state/useStatus";
import { anySimulated, symbolSource } from "./state/watchlist";

export function App() {
  const { t } = useI18n();
  const [hub] = useState(createLiveHub);
  const market = useMarket(hub);
  const { status, error: statusError, setPaused } = useStatus();
  const { alerts, error: alertsError } = useAlerts();
  const rules = useRules();
  const [picked, setPicked] = useState<string | null>(null);

  const rows = market.watch.rows;
  const selected = picked !== null && rows.some((r) => r.symbol === picked) ? picked : (rows[0]?.symbol ?? null);
  const selectedRow = rows.find((r) => r.symbol === selected) ?? null;

  const simulatedSymbols = useMemo(() => new Set(rows.filter((r) => r.simulated).map((r) => r.symbol)), [rows]);
  const isSimulated = useCallback(
    (symbol: string) => simulatedSymbols.has(symbol) || symbolSource(symbol) === "demo",
    [simulatedSymbols],
  );

  return (
    <div className="app">
      <Header
        simulated={anySimulated(rows) || (status?.feeds.some((f) => f.simulated) ?? false)}
        status={status}
        statusError={statusError}
        onPause={setPaused}
      />
      <main className="workspace">
        <Watchlist
          watch={market.watch}
          selected={selected}
          onSelect={setPicked}
          loadError={market.loadError}
          liveError={market.liveError}
          onRetry={market.retry}
        />
        <ChartPanel row={selectedRow} symbol={selected} hub={hub} />
        <div className="side">
          <AlertList
            alerts={alerts}
            error={alertsError}
            paused={status?.alertsPaused ?? false}
            isSimulated={isSimulated}
          />
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
              />
            </div>
            <RuleForm rows={rows} defaultSymbol={selected} onCreate={rules.create} />
          </section>
        </div>
      </main>
    </div>
  );
}
