-- E-mail notifications waiting to be sent. Without SMTP configured they stay here, and the
-- interface shows them to administrators.
CREATE TABLE email_outbox (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at INTEGER
);
CREATE INDEX email_outbox_unsent ON email_outbox(sent_at, id);
