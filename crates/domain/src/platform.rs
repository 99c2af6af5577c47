//! Social media platforms and the handles and profile addresses each one allows, so a
//! channel request names an account that can exist (SPEC §2: handle and URL checked per
//! platform).

use std::fmt;

use serde::{Deserialize, Serialize};
use url::Url;

/// A platform a trust channel can live on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Facebook,
    X,
    Instagram,
    LinkedIn,
    YouTube,
    TikTok,
    Threads,
    Bluesky,
    Mastodon,
    Other,
}

/// Why a handle or profile address was refused; the message says what a valid one looks like.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlatformError {
    #[error("unknown platform {0:?}")]
    UnknownPlatform(String),
    #[error("{platform} handles are {rule}")]
    BadHandle {
        platform: &'static str,
        rule: &'static str,
    },
    #[error("the address is not a web address (https://…)")]
    NotAUrl,
    #[error("the address must start with https://")]
    NotHttps,
    #[error("a {platform} profile address looks like {example}")]
    WrongSite {
        platform: &'static str,
        example: &'static str,
    },
    #[error("the address is for {found}, but the handle is {handle}")]
    HandleMismatch { found: String, handle: String },
}

impl Platform {
    pub const ALL: [Platform; 10] = [
        Platform::Facebook,
        Platform::X,
        Platform::Instagram,
        Platform::LinkedIn,
        Platform::YouTube,
        Platform::TikTok,
        Platform::Threads,
        Platform::Bluesky,
        Platform::Mastodon,
        Platform::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Facebook => "facebook",
            Platform::X => "x",
            Platform::Instagram => "instagram",
            Platform::LinkedIn => "linkedin",
            Platform::YouTube => "youtube",
            Platform::TikTok => "tiktok",
            Platform::Threads => "threads",
            Platform::Bluesky => "bluesky",
            Platform::Mastodon => "mastodon",
            Platform::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Platform::Facebook => "Facebook",
            Platform::X => "X (Twitter)",
            Platform::Instagram => "Instagram",
            Platform::LinkedIn => "LinkedIn",
            Platform::YouTube => "YouTube",
            Platform::TikTok => "TikTok",
            Platform::Threads => "Threads",
            Platform::Bluesky => "Bluesky",
            Platform::Mastodon => "Mastodon",
            Platform::Other => "Other",
        }
    }

    pub fn parse(name: &str) -> Result<Platform, PlatformError> {
        let name = name.trim().to_ascii_lowercase();
        let name = if name == "twitter" {
            "x".to_owned()
        } else {
            name
        };
        Platform::ALL
            .into_iter()
            .find(|p| p.as_str() == name)
            .ok_or(PlatformError::UnknownPlatform(name))
    }

    /// Checks a handle as a person types it (with or without the leading `@`) and returns
    /// it in its usual written form (`@name`, or the full address for Bluesky and Mastodon).
    pub fn handle(self, raw: &str) -> Result<String, PlatformError> {
        let raw = raw.trim();
        let bare = raw.strip_prefix('@').unwrap_or(raw);
        let bad = |rule| PlatformError::BadHandle {
            platform: self.label(),
            rule,
        };
        let chars_ok = |extra: &[char]| {
            !bare.is_empty()
                && bare
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || extra.contains(&c))
        };
        let len = bare.chars().count();
        match self {
            Platform::Facebook => (chars_ok(&['.']) && (5..=50).contains(&len))
                .then(|| bare.to_owned())
                .ok_or(bad("5 to 50 letters, digits or dots")),
            Platform::X => (chars_ok(&['_']) && (1..=15).contains(&len))
                .then(|| format!("@{bare}"))
                .ok_or(bad("1 to 15 letters, digits or underscores")),
            Platform::Instagram | Platform::Threads => (chars_ok(&['.', '_'])
                && (1..=30).contains(&len)
                && !bare.starts_with('.')
                && !bare.ends_with('.')
                && !bare.contains(".."))
            .then(|| format!("@{bare}"))
            .ok_or(bad("1 to 30 letters, digits, underscores or dots, with no dot at either end or two together")),
            Platform::TikTok => (chars_ok(&['.', '_']) && (2..=24).contains(&len) && !bare.ends_with('.'))
                .then(|| format!("@{bare}"))
                .ok_or(bad("2 to 24 letters, digits, underscores or dots, not ending in a dot")),
            Platform::YouTube => (chars_ok(&['.', '_', '-']) && (3..=30).contains(&len))
                .then(|| format!("@{bare}"))
                .ok_or(bad("3 to 30 letters, digits, dots, hyphens or underscores")),
            Platform::LinkedIn => (chars_ok(&['-']) && (2..=100).contains(&len))
                .then(|| bare.to_ascii_lowercase())
                .ok_or(bad("the page's address name: 2 to 100 letters, digits or hyphens")),
            Platform::Bluesky => is_hostname(bare)
                .then(|| format!("@{}", bare.to_ascii_lowercase()))
                .ok_or(bad("a domain name such as yourtrust.bsky.social or yourtrust.nhs.uk")),
            Platform::Mastodon => match bare.split_once('@') {
                Some((user, server))
                    if is_hostname(server)
                        && (1..=30).contains(&user.len())
                        && user.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
                {
                    Ok(format!("@{user}@{}", server.to_ascii_lowercase()))
                }
                _ => Err(bad("name@server, such as @yourtrust@mastodon.social")),
            },
            Platform::Other => (!bare.is_empty() && len <= 100 && !bare.chars().any(char::is_whitespace))
                .then(|| raw.to_owned())
                .ok_or(bad("up to 100 characters without spaces")),
        }
    }

    /// Checks a profile address: https, on this platform's site, and (where the address
    /// names the account) naming the same account as `handle`, when one is given.
    pub fn profile_url(self, raw: &str, handle: Option<&str>) -> Result<Url, PlatformError> {
        let url = Url::parse(raw.trim()).map_err(|_| PlatformError::NotAUrl)?;
        if url.scheme() != "https" {
            return Err(PlatformError::NotHttps);
        }
        let host = url
            .host_str()
            .unwrap_or("")
            .trim_start_matches("www.")
            .trim_start_matches("m.")
            .to_ascii_lowercase();
        let first = url
            .path_segments()
            .and_then(|mut s| s.next())
            .unwrap_or("")
            .to_owned();
        let wrong = |example| PlatformError::WrongSite {
            platform: self.label(),
            example,
        };
        // The account the address names, where it names one.
        let named: Option<String> = match self {
            Platform::Facebook if matches!(host.as_str(), "facebook.com" | "fb.com") => Some(first),
            Platform::Facebook => return Err(wrong("https://www.facebook.com/YourTrust")),
            Platform::X if matches!(host.as_str(), "x.com" | "twitter.com") => {
                Some(format!("@{first}"))
            }
            Platform::X => return Err(wrong("https://x.com/YourTrust")),
            Platform::Instagram if host == "instagram.com" => Some(format!("@{first}")),
            Platform::Instagram => return Err(wrong("https://www.instagram.com/yourtrust")),
            Platform::Threads if matches!(host.as_str(), "threads.net" | "threads.com") => Some(
                first
                    .strip_prefix('@')
                    .map_or(first.clone(), |h| format!("@{h}")),
            ),
            Platform::Threads => return Err(wrong("https://www.threads.com/@yourtrust")),
            Platform::TikTok if host == "tiktok.com" => Some(first.clone()),
            Platform::TikTok => return Err(wrong("https://www.tiktok.com/@yourtrust")),
            Platform::YouTube if matches!(host.as_str(), "youtube.com") => {
                first.starts_with('@').then(|| first.clone())
            }
            Platform::YouTube => return Err(wrong("https://www.youtube.com/@yourtrust")),
            Platform::LinkedIn if host == "linkedin.com" => {
                let second = url
                    .path_segments()
                    .and_then(|mut s| s.nth(1))
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if !matches!(first.as_str(), "company" | "showcase" | "school") || second.is_empty()
                {
                    return Err(wrong("https://www.linkedin.com/company/your-trust"));
                }
                Some(second)
            }
            Platform::LinkedIn => return Err(wrong("https://www.linkedin.com/company/your-trust")),
            Platform::Bluesky if host == "bsky.app" => {
                let second = url
                    .path_segments()
                    .and_then(|mut s| s.nth(1))
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if first != "profile" || second.is_empty() {
                    return Err(wrong("https://bsky.app/profile/yourtrust.bsky.social"));
                }
                Some(format!("@{second}"))
            }
            Platform::Bluesky => {
                return Err(wrong("https://bsky.app/profile/yourtrust.bsky.social"));
            }
            Platform::Mastodon => match first.strip_prefix('@') {
                Some(user) if !user.is_empty() => Some(format!("@{user}@{host}")),
                _ => return Err(wrong("https://mastodon.social/@yourtrust")),
            },
            Platform::Other => None,
        };
        if let (Some(named), Some(handle)) = (named, handle)
            && !named.eq_ignore_ascii_case(handle)
        {
            return Err(PlatformError::HandleMismatch {
                found: named,
                handle: handle.to_owned(),
            });
        }
        Ok(url)
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A DNS host name with at least two labels (`yourtrust.bsky.social`).
fn is_hostname(s: &str) -> bool {
    let labels: Vec<&str> = s.split('.').collect();
    s.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            (1..=63).contains(&l.len())
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

#[cfg(test)]
mod tests {
    use super::Platform as P;
    use super::*;

    #[test]
    fn handles_per_platform() {
        let good = [
            (P::Facebook, "TorbaySDHC", "TorbaySDHC"),
            (P::X, "@TSDFT_NHS", "@TSDFT_NHS"),
            (P::X, "nhs", "@nhs"),
            (P::Instagram, "ward7.nurses", "@ward7.nurses"),
            (P::TikTok, "@nhs_torbay", "@nhs_torbay"),
            (P::YouTube, "@TorbayHospital", "@TorbayHospital"),
            (
                P::LinkedIn,
                "Torbay-and-South-Devon",
                "torbay-and-south-devon",
            ),
            (P::Bluesky, "@tsdft.bsky.social", "@tsdft.bsky.social"),
            (
                P::Mastodon,
                "@tsdft@mastodon.social",
                "@tsdft@mastodon.social",
            ),
            (P::Threads, "tsdft", "@tsdft"),
        ];
        for (platform, raw, written) in good {
            assert_eq!(
                platform.handle(raw),
                Ok(written.to_owned()),
                "{platform} {raw}"
            );
        }
        let bad = [
            (P::X, "this_handle_is_far_too_long"),
            (P::X, "has space"),
            (P::Instagram, ".leadingdot"),
            (P::Instagram, "two..dots"),
            (P::Facebook, "abc"),
            (P::TikTok, "ends."),
            (P::Bluesky, "nodot"),
            (P::Mastodon, "@justaname"),
            (P::Other, ""),
        ];
        for (platform, raw) in bad {
            assert!(
                matches!(platform.handle(raw), Err(PlatformError::BadHandle { .. })),
                "{platform} {raw:?}"
            );
        }
    }

    #[test]
    fn profile_addresses_per_platform() {
        let ok = [
            (
                P::Facebook,
                "https://www.facebook.com/TorbaySDHC",
                "TorbaySDHC",
            ),
            (P::X, "https://twitter.com/TSDFT_NHS", "@TSDFT_NHS"),
            (P::X, "https://x.com/tsdft_nhs/", "@TSDFT_NHS"),
            (
                P::Instagram,
                "https://www.instagram.com/ward7.nurses/",
                "@ward7.nurses",
            ),
            (
                P::YouTube,
                "https://www.youtube.com/@TorbayHospital",
                "@TorbayHospital",
            ),
            (
                P::LinkedIn,
                "https://www.linkedin.com/company/torbay-and-south-devon",
                "torbay-and-south-devon",
            ),
            (
                P::Bluesky,
                "https://bsky.app/profile/tsdft.bsky.social",
                "@tsdft.bsky.social",
            ),
            (
                P::Mastodon,
                "https://mastodon.social/@tsdft",
                "@tsdft@mastodon.social",
            ),
            (P::Threads, "https://www.threads.com/@tsdft", "@tsdft"),
            (
                P::TikTok,
                "https://www.tiktok.com/@nhs_torbay",
                "@nhs_torbay",
            ),
        ];
        for (platform, url, handle) in ok {
            assert!(
                platform.profile_url(url, Some(handle)).is_ok(),
                "{platform} {url}: {:?}",
                platform.profile_url(url, Some(handle))
            );
        }
        assert_eq!(
            P::X.profile_url("http://x.com/a", None),
            Err(PlatformError::NotHttps)
        );
        assert_eq!(
            P::X.profile_url("not a url", None),
            Err(PlatformError::NotAUrl)
        );
        assert!(matches!(
            P::X.profile_url("https://facebook.com/a", None),
            Err(PlatformError::WrongSite { .. })
        ));
        assert!(matches!(
            P::LinkedIn.profile_url("https://linkedin.com/in/someone", None),
            Err(PlatformError::WrongSite { .. })
        ));
        assert!(matches!(
            P::X.profile_url("https://x.com/someone_else", Some("@TSDFT_NHS")),
            Err(PlatformError::HandleMismatch { .. })
        ));
        assert_eq!(Platform::parse("Twitter"), Ok(P::X));
    }
}
