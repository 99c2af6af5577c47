//! Channel images: metadata to list, bytes to serve, added and removed in audited writes.

use socialgov_domain::Timestamp;
use sqlx::Row;

use crate::{Result, Store, StoreError, WriteTx};

/// What is known of a stored image, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChannelImage {
    pub id: i64,
    pub channel_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub width: i64,
    pub height: i64,
    pub byte_size: i64,
    /// SHA-256 of the bytes, hex: the audit log records it, so the image shown can be matched
    /// to the one approved.
    pub sha256: String,
    pub uploaded_by: i64,
    pub uploaded_at: Timestamp,
}

/// An image to store.
#[derive(Debug, Clone)]
pub struct NewChannelImage<'a> {
    pub channel_id: i64,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub width: i64,
    pub height: i64,
    pub sha256: &'a str,
    pub bytes: &'a [u8],
    pub uploaded_by: i64,
    pub uploaded_at: Timestamp,
}

macro_rules! columns {
    () => {
        "id, channel_id, file_name, content_type, width, height, byte_size, sha256, uploaded_by, uploaded_at"
    };
}

fn image(r: &sqlx::any::AnyRow) -> Result<ChannelImage> {
    Ok(ChannelImage {
        id: r.try_get("id")?,
        channel_id: r.try_get("channel_id")?,
        file_name: r.try_get("file_name")?,
        content_type: r.try_get("content_type")?,
        width: r.try_get("width")?,
        height: r.try_get("height")?,
        byte_size: r.try_get("byte_size")?,
        sha256: r.try_get("sha256")?,
        uploaded_by: r.try_get("uploaded_by")?,
        uploaded_at: r.try_get("uploaded_at")?,
    })
}

impl Store {
    /// A channel's images, oldest first.
    pub async fn channel_images(&self, channel_id: i64) -> Result<Vec<ChannelImage>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM channel_images WHERE channel_id = $1 ORDER BY id"
        ))
        .bind(channel_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(image).collect()
    }

    /// One image of a channel, with its bytes.
    pub async fn channel_image(
        &self,
        channel_id: i64,
        id: i64,
    ) -> Result<Option<(ChannelImage, Vec<u8>)>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            ", bytes FROM channel_images WHERE channel_id = $1 AND id = $2"
        ))
        .bind(channel_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((image(&r)?, r.try_get("bytes")?)))
            .transpose()
    }
}

impl WriteTx {
    /// How many images a channel has, read inside the transaction that adds one.
    pub async fn channel_image_count(&mut self, channel_id: i64) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM channel_images WHERE channel_id = $1")
            .bind(channel_id)
            .fetch_one(&mut *self.tx)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// Stores an image; returns it as stored.
    pub async fn add_channel_image(&mut self, new: &NewChannelImage<'_>) -> Result<ChannelImage> {
        let row = sqlx::query(concat!(
            "INSERT INTO channel_images (channel_id, file_name, content_type, width, height, byte_size, \
             sha256, bytes, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             RETURNING ",
            columns!()
        ))
        .bind(new.channel_id)
        .bind(new.file_name)
        .bind(new.content_type)
        .bind(new.width)
        .bind(new.height)
        .bind(i64::try_from(new.bytes.len()).unwrap_or(i64::MAX))
        .bind(new.sha256)
        .bind(new.bytes.to_vec())
        .bind(new.uploaded_by)
        .bind(new.uploaded_at)
        .fetch_one(self.conn())
        .await?;
        image(&row)
    }

    /// Removes an image; returns what it was.
    pub async fn remove_channel_image(&mut self, channel_id: i64, id: i64) -> Result<ChannelImage> {
        let row = sqlx::query(concat!(
            "DELETE FROM channel_images WHERE channel_id = $1 AND id = $2 RETURNING ",
            columns!()
        ))
        .bind(channel_id)
        .bind(id)
        .fetch_optional(self.conn())
        .await?;
        row.as_ref()
            .map(image)
            .transpose()?
            .ok_or(StoreError::NotFound("image"))
    }
}
