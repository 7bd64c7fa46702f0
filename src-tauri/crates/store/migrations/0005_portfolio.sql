-- The user's holdings: one row per lot; lots of one symbol add up to a position.
CREATE TABLE holdings (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    symbol     TEXT    NOT NULL,
    quantity   REAL    NOT NULL,
    cost       REAL    NOT NULL,  -- per unit, in the instrument's currency
    opened     TEXT    NOT NULL,  -- YYYY-MM-DD
    currency   TEXT    NULL,      -- NULL: inferred from the symbol
    note       TEXT    NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX holdings_symbol ON holdings (symbol);
