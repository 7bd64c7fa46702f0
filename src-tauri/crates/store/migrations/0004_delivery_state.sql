-- Alert-delivery state that must outlive a restart (tw-engine's rules stage and dispatcher).

-- Rules the circuit breaker paused: a restart keeps them paused until `until_ms`.
CREATE TABLE rule_pauses (
    rule_id   INTEGER NOT NULL PRIMARY KEY REFERENCES rules (id) ON DELETE CASCADE,
    until_ms  INTEGER NOT NULL,  -- ms UTC; the rule fires again from then on
    fired     INTEGER NOT NULL,  -- how often it fired within the window that tripped it
    window_ms INTEGER NOT NULL
);

-- Notifications held by quiet hours or the global pause, waiting to be shown as one digest
-- when the hold ends. At most one row.
CREATE TABLE held_notices (
    id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    digest     TEXT    NOT NULL,  -- JSON of the engine's held digest (counts, levels, symbols)
    updated_at INTEGER NOT NULL
);
