-- Delivery of the e-mail outbox through an SMTP relay, when one is configured. A sender claims
-- a batch for a short lease (so several servers never send the same e-mail twice), then
-- records each e-mail as sent, or its failure and when to try again; after the last attempt
-- the e-mail is marked failed and stays in the outbox for administrators to see.
ALTER TABLE email_outbox ADD COLUMN link TEXT;
ALTER TABLE email_outbox ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE email_outbox ADD COLUMN next_attempt_at BIGINT;
ALTER TABLE email_outbox ADD COLUMN claimed_until BIGINT;
ALTER TABLE email_outbox ADD COLUMN last_error TEXT;
ALTER TABLE email_outbox ADD COLUMN failed_at BIGINT;
