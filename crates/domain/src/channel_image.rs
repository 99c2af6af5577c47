//! The profile and cover images of a channel (SPEC §2: the request form's "profile images";
//! logo use needs communications' permission, tsdft §9.6.2). An upload is accepted only when
//! its bytes are a PNG, JPEG, GIF or WebP image the platforms take, of a sensible size; what
//! the browser claims the file is counts for nothing.

use crate::channel::{Channel, ChannelState};
use crate::{Action, Principal};

/// The largest image accepted, in bytes (the platforms' own limits for profile images are
/// of this order: X takes 2 MB).
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;
/// The most images one channel keeps.
pub const MAX_IMAGES_PER_CHANNEL: usize = 6;
/// The longest side accepted, in pixels.
const MAX_SIDE: usize = 8_000;

/// An image format the platforms accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Png,
    Jpeg,
    Gif,
    Webp,
}

impl ImageFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Gif => "image/gif",
            ImageFormat::Webp => "image/webp",
        }
    }

    /// The format stored as `content_type`.
    pub fn from_content_type(content_type: &str) -> Option<ImageFormat> {
        [
            ImageFormat::Png,
            ImageFormat::Jpeg,
            ImageFormat::Gif,
            ImageFormat::Webp,
        ]
        .into_iter()
        .find(|f| f.content_type() == content_type)
    }
}

/// An upload that passed [`check_image`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckedImage {
    pub format: ImageFormat,
    pub width: usize,
    pub height: usize,
}

/// Why an upload was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    #[error("the file is empty")]
    Empty,
    #[error("the image is larger than 2 MB")]
    TooLarge,
    #[error("the file is not a PNG, JPEG, GIF or WebP image")]
    NotAnImage,
    #[error("the image is damaged: its size cannot be read")]
    Damaged,
    #[error("the image is {width} × {height} pixels; the longest side may be at most 8000")]
    TooManyPixels { width: usize, height: usize },
}

/// Checks the bytes of an upload: what they are, not what the file name or browser says.
pub fn check_image(bytes: &[u8]) -> Result<CheckedImage, ImageError> {
    if bytes.is_empty() {
        return Err(ImageError::Empty);
    }
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(ImageError::TooLarge);
    }
    let format = match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Png) => ImageFormat::Png,
        Ok(imagesize::ImageType::Jpeg) => ImageFormat::Jpeg,
        Ok(imagesize::ImageType::Gif) => ImageFormat::Gif,
        Ok(imagesize::ImageType::Webp) => ImageFormat::Webp,
        _ => return Err(ImageError::NotAnImage),
    };
    let size = imagesize::blob_size(bytes).map_err(|_| ImageError::Damaged)?;
    let (width, height) = (size.width, size.height);
    if width == 0 || height == 0 {
        return Err(ImageError::Damaged);
    }
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(ImageError::TooManyPixels { width, height });
    }
    Ok(CheckedImage {
        format,
        width,
        height,
    })
}

/// A file name fit to show and to offer for download: its last path part, without control
/// characters, quotes or anything a header would trip on, at most 100 characters.
pub fn clean_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';' | '\\'))
        .take(100)
        .collect();
    let clean = clean.trim();
    if clean.is_empty() {
        "image".into()
    } else {
        clean.to_owned()
    }
}

/// Who may add or remove a channel's images: the requester while the request is theirs to
/// change, communications until it is retired (they permit logo use), and the account
/// manager while it is live.
pub fn may_change_images(who: &Principal, channel: &Channel) -> bool {
    use ChannelState as S;
    let communications = who.may(Action::ManageRegister).is_ok();
    match channel.state {
        S::Retired => false,
        S::Draft | S::Rejected if channel.requester_id == who.user_id => true,
        S::Approved | S::Active | S::ReviewDue
            if channel.account_manager_id == Some(who.user_id) =>
        {
            true
        }
        _ => communications,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;
    use crate::channel_form::ChannelForm;

    /// A 1 × 1 PNG.
    const PNG: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00,
        0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49,
        0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];

    #[test]
    fn images_are_known_by_their_bytes() {
        assert_eq!(
            check_image(PNG),
            Ok(CheckedImage {
                format: ImageFormat::Png,
                width: 1,
                height: 1
            })
        );
        assert_eq!(check_image(b""), Err(ImageError::Empty));
        assert_eq!(
            check_image(
                b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
            ),
            Err(ImageError::NotAnImage)
        );
        assert_eq!(check_image(b"%PDF-1.7 ..."), Err(ImageError::NotAnImage));
        assert_eq!(check_image(&PNG[..12]), Err(ImageError::Damaged));
        let mut huge = PNG.to_vec();
        huge.resize(MAX_IMAGE_BYTES + 1, 0);
        assert_eq!(check_image(&huge), Err(ImageError::TooLarge));
        let mut wide = PNG.to_vec();
        wide[16..20].copy_from_slice(&9_000u32.to_be_bytes());
        assert!(matches!(
            check_image(&wide),
            Err(ImageError::TooManyPixels { width: 9_000, .. })
        ));
        for format in [
            ImageFormat::Png,
            ImageFormat::Jpeg,
            ImageFormat::Gif,
            ImageFormat::Webp,
        ] {
            assert_eq!(
                ImageFormat::from_content_type(format.content_type()),
                Some(format)
            );
        }
    }

    #[test]
    fn file_names_are_made_safe_to_show() {
        assert_eq!(clean_file_name("C:\\Users\\me\\logo.png"), "logo.png");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\"b;\r\nc.png"), "abc.png");
        assert_eq!(clean_file_name("  "), "image");
        assert_eq!(clean_file_name(&"x".repeat(300)).len(), 100);
    }

    #[test]
    fn who_may_change_a_channels_images() {
        let person = |id: i64, role: Role| Principal {
            user_id: id,
            username: format!("u{id}"),
            roles: [role].into_iter().collect(),
            scopes: None,
        };
        let (requester, manager, comms, other) = (
            person(1, Role::Staff),
            person(2, Role::Staff),
            person(3, Role::CommsOfficer),
            person(4, Role::Staff),
        );
        let mut c = Channel::draft(1, ChannelForm::default(), 0);
        c.account_manager_id = Some(2);
        let may =
            |c: &Channel| [&requester, &manager, &comms, &other].map(|p| may_change_images(p, c));
        assert_eq!(may(&c), [true, false, true, false]);
        c.state = ChannelState::Submitted;
        assert_eq!(may(&c), [false, false, true, false]);
        c.state = ChannelState::Active;
        assert_eq!(may(&c), [false, true, true, false]);
        c.state = ChannelState::Retired;
        assert_eq!(may(&c), [false, false, false, false]);
    }
}
