-- The channel register (SPEC §2), training records (the gate on account managers and
-- editors), and in-app notifications. The request form is stored whole as JSON; the
-- columns the register filters and sorts on are kept beside it.
CREATE TABLE channels (
    id INTEGER PRIMARY KEY,
    state TEXT NOT NULL,
    requester_id INTEGER NOT NULL REFERENCES users(id),
    requester_manager_id INTEGER REFERENCES users(id),
    form TEXT NOT NULL,
    platform TEXT,
    service TEXT NOT NULL,
    account_name TEXT NOT NULL,
    handle TEXT NOT NULL,
    special_instructions TEXT NOT NULL,
    recommendation TEXT NOT NULL,
    account_manager_id INTEGER REFERENCES users(id),
    rejection_reason TEXT,
    set_up_on INTEGER,
    review_on INTEGER,
    review_evidence TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX channels_by_state ON channels(state, review_on);
CREATE INDEX channels_by_requester ON channels(requester_id);

CREATE TABLE channel_editors (
    channel_id INTEGER NOT NULL REFERENCES channels(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (channel_id, user_id)
);

CREATE TABLE training_records (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    completed_on INTEGER NOT NULL,
    expires_on INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX training_by_user ON training_records(user_id, kind);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    message TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
CREATE INDEX notifications_by_user ON notifications(user_id, read_at);
