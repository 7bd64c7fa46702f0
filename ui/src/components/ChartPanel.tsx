import type { WatchRow } from "../bindings/WatchRow";
import { CandleChart } from "../chart/CandleChart";
import { directionOf, formatPct, formatPrice } from "../i18n/format";
import { useI18n } from "../i18n/I18nProvider";
import type { LiveHub } from "../state/liveHub";
import { symbolCode } from "../state/watchlist";
import { SimTag } from "./SimTag";

export function ChartPanel({ row, symbol, hub }: { row: WatchRow | null; symbol: string | null; hub: LiveHub }) {
  const { t, locale } = useI18n();
  return (
    <section className="panel chart-panel" aria-labelledby="chart-title">
      <div className="panel-head chart-head">
        <h2 id="chart-title">{symbol ? symbolCode(symbol) : t("chart.title")}</h2>
        {row && <span className="chart-name">{row.name}</span>}
        {row?.simulated && <SimTag />}
        <span className="chip">{t("chart.interval1m")}</span>
        {row && (
          <span className="chart-quote">
            <span className="chart-last">{formatPrice(locale, row.price)}</span>
            <span className={`chart-change ${directionOf(row.changePct)}`}>{formatPct(locale, row.changePct)}</span>
          </span>
        )}
      </div>
      <CandleChart symbol={symbol} hub={hub} />
    </section>
  );
}
