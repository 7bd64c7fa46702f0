//! The TypeScript types in `ui/src/bindings/` are generated from the Rust types. This test
//! fails when they drift; `UPDATE_BINDINGS=1 cargo test -p tw-core --test bindings` rewrites them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use ts_rs::TS;
use tw_core::backtest::{
    Direction, EquityPoint, ExitReason, RuleBacktestReport, RuleBacktestRequest,
    RuleBacktestSummary, RuleFire, StrategyBacktestRequest, StrategyMode, StrategyReport,
    StrategySpec, StrategyTemplate, TradeRecord,
};
use tw_core::delivery::{DeliverySettings, QuietHours, WebhookConfig, WebhookKind};
use tw_core::history::{AlertEntry, AlertQuery, AlertStats, AlertStatus, KeyCount};
use tw_core::ipc::{
    ApiError, BinanceSettings, EngineStatus, ErrorCode, FeedHealth, FeedState, LiveBatch,
    NotifierStatus, Radar, RadarAnomaly, RadarMover, RadarOiChange, ReplayStarted, RuleRecord,
    StorageStatus, UiEvent, WatchRow,
};
use tw_core::portfolio::{
    Holding, HoldingInput, PortfolioRisk, PortfolioSettings, PortfolioView, PositionRow, ValuePoint,
};
use tw_core::rule::{
    Comparison, Condition, Frequency, FrequencyMode, Op, Operand, RuleSpec, Target,
};
use tw_core::ui::{
    ConnectionCheck, ConnectionTest, FundamentalDay, IndicatorLine, IndicatorSeries, PreviewHit,
    RulePreview, Sparkline, SymbolMatch, UiSettings, WatchlistInfo,
};
use tw_core::{Alert, Candle, Interval, Level};

fn export_all(dir: &Path) {
    macro_rules! export {
        ($($t:ty),* $(,)?) => { $( <$t>::export_all_to(dir).expect(stringify!($t)); )* };
    }
    export!(
        FundamentalDay,
        Direction,
        EquityPoint,
        ExitReason,
        RuleBacktestReport,
        RuleBacktestRequest,
        RuleBacktestSummary,
        RuleFire,
        StrategyBacktestRequest,
        StrategyMode,
        StrategyReport,
        StrategySpec,
        StrategyTemplate,
        TradeRecord,
        Holding,
        HoldingInput,
        PortfolioRisk,
        PortfolioSettings,
        PortfolioView,
        PositionRow,
        ValuePoint,
        ApiError,
        BinanceSettings,
        EngineStatus,
        ErrorCode,
        FeedHealth,
        FeedState,
        LiveBatch,
        NotifierStatus,
        Radar,
        RadarAnomaly,
        RadarMover,
        RadarOiChange,
        ReplayStarted,
        RuleRecord,
        StorageStatus,
        UiEvent,
        WatchRow,
        Comparison,
        Condition,
        Frequency,
        FrequencyMode,
        Op,
        Operand,
        RuleSpec,
        Target,
        Alert,
        Candle,
        Interval,
        Level,
        AlertEntry,
        AlertQuery,
        AlertStats,
        AlertStatus,
        KeyCount,
        DeliverySettings,
        QuietHours,
        WebhookConfig,
        WebhookKind,
        ConnectionCheck,
        ConnectionTest,
        IndicatorLine,
        IndicatorSeries,
        PreviewHit,
        RulePreview,
        Sparkline,
        SymbolMatch,
        UiSettings,
        WatchlistInfo,
    );
}

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "ts"))
                .map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    (name, std::fs::read_to_string(e.path()).unwrap())
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn typescript_bindings_are_current() {
    let committed: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../ui/src/bindings");
    let fresh = tempfile::tempdir().unwrap();
    export_all(fresh.path());
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        let _ = std::fs::remove_dir_all(&committed);
        std::fs::create_dir_all(&committed).unwrap();
        export_all(&committed);
        return;
    }
    let want = read_dir(fresh.path());
    let have = read_dir(&committed);
    let stale: Vec<_> = want
        .iter()
        .filter(|(k, v)| have.get(*k) != Some(v))
        .map(|(k, _)| k.clone())
        .chain(have.keys().filter(|k| !want.contains_key(*k)).cloned())
        .collect();
    assert!(
        stale.is_empty(),
        "ui/src/bindings is stale ({stale:?}); run `UPDATE_BINDINGS=1 cargo test -p tw-core --test bindings`"
    );
}
