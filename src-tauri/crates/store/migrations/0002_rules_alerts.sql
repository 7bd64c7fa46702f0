-- Trigger state of every (rule, symbol): last alert, once-done, hysteresis, pending period.
-- Kept across restarts so a restart neither repeats an alert nor forgets a cooldown.
CREATE TABLE rule_state (
    rule_id    INTEGER NOT NULL,
    symbol     TEXT    NOT NULL,
    state      TEXT    NOT NULL,  -- JSON of tw_analytics::rules::RuleState
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (rule_id, symbol)
) WITHOUT ROWID;

-- Acknowledged (seen) is already a column; resolved (dealt with) is new.
ALTER TABLE alerts ADD COLUMN resolved_at INTEGER NULL;
CREATE INDEX alerts_level_fired_at ON alerts (level, fired_at);
CREATE INDEX alerts_rule_id_fired_at ON alerts (rule_id, fired_at);
