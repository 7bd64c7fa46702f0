-- Candles are unique per bar: replays and back-fills upsert instead of duplicating.
CREATE TABLE candles (
    symbol       TEXT    NOT NULL,
    interval     TEXT    NOT NULL,
    open_time    INTEGER NOT NULL,
    open         REAL    NOT NULL,
    high         REAL    NOT NULL,
    low          REAL    NOT NULL,
    close        REAL    NOT NULL,
    volume       REAL    NOT NULL,
    quote_volume REAL    NOT NULL,
    trades       INTEGER NOT NULL,
    closed       INTEGER NOT NULL CHECK (closed IN (0, 1)),
    PRIMARY KEY (symbol, interval, open_time)
) WITHOUT ROWID;

-- AUTOINCREMENT so the id of a deleted rule is never handed to a new one: its alerts are
-- kept and must not look as if a different rule fired them.
CREATE TABLE rules (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    spec       TEXT    NOT NULL,  -- RuleSpec as JSON
    enabled    INTEGER NOT NULL CHECK (enabled IN (0, 1)),  -- mirror of spec.enabled, for queries
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- No foreign key to rules: the history outlives the rule that wrote it.
CREATE TABLE alerts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    rule_id         INTEGER NOT NULL,
    rule_name       TEXT    NOT NULL,
    symbol          TEXT    NOT NULL,
    interval        TEXT    NOT NULL,
    level           TEXT    NOT NULL,
    fired_at        INTEGER NOT NULL,
    bar_time        INTEGER NOT NULL,
    message         TEXT    NOT NULL,
    metrics         TEXT    NOT NULL,  -- JSON object of metric name to number
    acknowledged_at INTEGER NULL
);
CREATE INDEX alerts_fired_at ON alerts (fired_at);
CREATE INDEX alerts_symbol_fired_at ON alerts (symbol, fired_at);
CREATE INDEX alerts_rule_id ON alerts (rule_id);

CREATE TABLE watchlists (
    name     TEXT    NOT NULL,
    symbol   TEXT    NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (name, symbol)
);

CREATE TABLE settings (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
