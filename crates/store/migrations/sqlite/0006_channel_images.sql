-- The profile and cover images of a channel (the request form's "profile images"), checked
-- on upload to be PNG, JPEG, GIF or WebP and kept in the database with the rest of the
-- record, so a backup of the database is a backup of everything.
CREATE TABLE channel_images (
    id INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL REFERENCES channels(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    byte_size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BLOB NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES users(id),
    uploaded_at INTEGER NOT NULL
);
CREATE INDEX channel_images_by_channel ON channel_images(channel_id, id);
