-- Accounts that claim to be the trust's but are not on the register (mtw "Setting up…"):
-- reported by any member of staff, closed by communications as adopted or taken down.
CREATE TABLE imposter_reports (
    id INTEGER PRIMARY KEY,
    reporter_id INTEGER NOT NULL REFERENCES users(id),
    platform TEXT NOT NULL,
    handle TEXT NOT NULL,
    url TEXT NOT NULL,
    details TEXT NOT NULL,
    outcome TEXT,
    outcome_note TEXT,
    channel_id INTEGER REFERENCES channels(id),
    created_at INTEGER NOT NULL,
    closed_at INTEGER
);
CREATE INDEX imposter_reports_open ON imposter_reports(closed_at);
