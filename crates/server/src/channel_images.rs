//! Workflows for a channel's profile and cover images: upload (checked by its bytes),
//! listing, serving and removal, each change one transaction with its audit entry.

use sha2::{Digest, Sha256};
use socialgov_domain::Principal;
use socialgov_domain::channel_image::{
    MAX_IMAGES_PER_CHANNEL, check_image, clean_file_name, may_change_images,
};
use socialgov_store::{ChannelImage, NewChannelImage, Store, WriteTx};

use crate::accounts::{Actor, entry};
use crate::channels::may_view;
use crate::error::AppError;

const NOT_YOURS: &str = "only the requester (while the request is theirs to change), communications or the account manager can change a channel's images";

/// What the audit log records of an image: enough to tell which file it was.
fn described(image: &ChannelImage) -> Option<String> {
    Some(
        serde_json::json!({
            "image": image.id,
            "file_name": image.file_name,
            "content_type": image.content_type,
            "bytes": image.byte_size,
            "sha256": image.sha256,
        })
        .to_string(),
    )
}

/// Refuses unless `who` may see channel `id` (a channel they may not see is not found).
async fn check_visible(store: &Store, who: &Principal, id: i64) -> Result<(), AppError> {
    match store.channel(id).await? {
        Some((channel, editors)) if may_view(who, &channel, &editors) => Ok(()),
        _ => Err(AppError::NotFound("channel")),
    }
}

/// Refuses unless `who` may change the images of channel `id`, inside the change's
/// transaction.
async fn check_changeable(tx: &mut WriteTx, who: &Principal, id: i64) -> Result<(), AppError> {
    let (channel, editors) = tx.channel(id).await?.ok_or(AppError::NotFound("channel"))?;
    if !may_view(who, &channel, &editors) {
        return Err(AppError::NotFound("channel"));
    }
    if !may_change_images(who, &channel) {
        return Err(AppError::Refused(NOT_YOURS.into()));
    }
    Ok(())
}

/// The images of a channel `who` may see.
pub async fn list(
    store: &Store,
    who: &Principal,
    channel_id: i64,
) -> Result<Vec<ChannelImage>, AppError> {
    check_visible(store, who, channel_id).await?;
    Ok(store.channel_images(channel_id).await?)
}

/// One image with its bytes, for `who` if they may see the channel.
pub async fn get(
    store: &Store,
    who: &Principal,
    channel_id: i64,
    image_id: i64,
) -> Result<(ChannelImage, Vec<u8>), AppError> {
    check_visible(store, who, channel_id).await?;
    store
        .channel_image(channel_id, image_id)
        .await?
        .ok_or(AppError::NotFound("image"))
}

/// Adds an uploaded image to a channel.
pub async fn add(
    store: &Store,
    who: &Principal,
    channel_id: i64,
    file_name: &str,
    bytes: &[u8],
    now: i64,
) -> Result<ChannelImage, AppError> {
    let checked = check_image(bytes).map_err(|e| AppError::BadRequest(format!("file: {e}")))?;
    let mut tx = store.write().await?;
    check_changeable(&mut tx, who, channel_id).await?;
    let count = tx.channel_image_count(channel_id).await?;
    if usize::try_from(count).unwrap_or(usize::MAX) >= MAX_IMAGES_PER_CHANNEL {
        return Err(AppError::BadRequest(format!(
            "file: a channel keeps at most {MAX_IMAGES_PER_CHANNEL} images; remove one first"
        )));
    }
    let file_name = clean_file_name(file_name);
    let sha256 = hex::encode(Sha256::digest(bytes));
    let new = NewChannelImage {
        channel_id,
        file_name: &file_name,
        content_type: checked.format.content_type(),
        width: i64::try_from(checked.width).unwrap_or(i64::MAX),
        height: i64::try_from(checked.height).unwrap_or(i64::MAX),
        sha256: &sha256,
        bytes,
        uploaded_by: who.user_id,
        uploaded_at: now,
    };
    let image = tx.add_channel_image(&new).await?;
    let mut e = entry(
        &Actor::from(who),
        now,
        "channel.image.add",
        format!("channel:{channel_id}"),
    );
    e.after = described(&image);
    tx.audit(e).await?;
    tx.commit().await?;
    Ok(image)
}

/// Removes an image from a channel.
pub async fn remove(
    store: &Store,
    who: &Principal,
    channel_id: i64,
    image_id: i64,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = store.write().await?;
    check_changeable(&mut tx, who, channel_id).await?;
    let removed = tx.remove_channel_image(channel_id, image_id).await?;
    let mut e = entry(
        &Actor::from(who),
        now,
        "channel.image.remove",
        format!("channel:{channel_id}"),
    );
    e.before = described(&removed);
    tx.audit(e).await?;
    tx.commit().await?;
    Ok(())
}
