-- Stock data that is not a candle: the A-share symbol list, exchange trading calendars,
-- per-day fundamentals and what each source has already synced.

-- Tushare stock_basic: the symbol list the watchlist search runs on (code, name, pinyin
-- initials of the name).
CREATE TABLE stock_symbols (
    symbol     TEXT    NOT NULL PRIMARY KEY,  -- tushare:000001.SZ
    name       TEXT    NOT NULL,
    pinyin     TEXT    NOT NULL,              -- initials, upper case: 平安银行 → PAYH
    area       TEXT    NULL,
    industry   TEXT    NULL,
    market     TEXT    NULL,
    list_date  TEXT    NULL,                  -- YYYYMMDD
    updated_at INTEGER NOT NULL
);
CREATE INDEX stock_symbols_pinyin ON stock_symbols (pinyin);

-- Tushare trade_cal: which days an exchange is open (dates YYYYMMDD, exchange local time).
CREATE TABLE trade_calendar (
    exchange TEXT    NOT NULL,
    cal_date TEXT    NOT NULL,
    is_open  INTEGER NOT NULL CHECK (is_open IN (0, 1)),
    PRIMARY KEY (exchange, cal_date)
) WITHOUT ROWID;

-- One row per published figure: a value the source did not publish (None/NaN) has no row,
-- so it can never be mistaken for a zero.
CREATE TABLE fundamentals (
    symbol TEXT    NOT NULL,
    day_ms INTEGER NOT NULL,  -- open time of the day's 1d bar (the date at 00:00 UTC)
    metric TEXT    NOT NULL,  -- turnover_rate, volume_ratio, pe, pb, total_mv, net_mf_amount, …
    value  REAL    NOT NULL,
    PRIMARY KEY (symbol, day_ms, metric)
) WITHOUT ROWID;

-- How far each (source, symbol, dataset) is synced, so an incremental sync asks only for the
-- days after it (days without a row, e.g. a suspension, are not asked for again and again).
CREATE TABLE sync_state (
    source        TEXT    NOT NULL,
    symbol        TEXT    NOT NULL,  -- '' for source-wide datasets (stock_basic, trade_cal)
    dataset       TEXT    NOT NULL,  -- daily, daily_basic, moneyflow, stock_basic, trade_cal
    synced_through TEXT   NOT NULL,  -- last date covered, YYYYMMDD
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (source, symbol, dataset)
) WITHOUT ROWID;
