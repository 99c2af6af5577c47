//! The social media request form (tsdft Appendix A with heft Appendix 1's questions, SPEC §2):
//! what a requester fills in, saved as a draft at any point and checked in full on submit.

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

use crate::platform::Platform;

/// The longest profile description, in characters as a person counts them (grapheme
/// clusters: an emoji with a skin tone is one).
pub const PROFILE_DESCRIPTION_MAX: usize = 140;

/// How many characters a person would count in `text`.
pub fn visible_length(text: &str) -> usize {
    text.graphemes(true).count()
}

/// The request form. Every field may be empty in a draft; [`ChannelForm::problems`] lists
/// what must be put right before it can be submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChannelForm {
    /// The requester's service or team.
    pub service: String,
    pub platform: Option<Platform>,
    /// Why a channel is needed at all.
    pub why_channel: String,
    /// Why this platform rather than another.
    pub why_platform: String,
    /// Its aim or purpose.
    pub aim: String,
    /// Who it is for.
    pub audience: String,
    /// How it fits the trust's communications strategy.
    pub strategy_fit: String,
    /// Similar trust presence that already exists, and why it is not enough.
    pub similar_presence: String,
    /// Who will run it, how much time they have, and for how long.
    pub resources: String,
    /// What happens when it closes: who tells followers, what is archived.
    pub exit_strategy: String,
    /// How success will be measured.
    pub success_measure: String,
    /// The target for that measure.
    pub target: String,
    /// When it will be reviewed against the target (`YYYY-MM-DD`), within a year of set-up.
    pub review_point: String,
    /// Whether the requester has read the platform's terms of use.
    pub terms_read: bool,
    /// The profile's description, at most 140 characters.
    pub profile_description: String,
    /// When the account will be staffed.
    pub staffed_hours: String,
    /// How contact out of those hours will be handled.
    pub out_of_hours: String,
    /// How complaints arriving through the channel will be handled (to PALS).
    pub complaints_handling: String,
    /// How sensitive or personal data sent to the channel will be handled.
    pub sensitive_data_handling: String,
    /// The account's display name.
    pub account_name: String,
    /// The handle, as written on the platform.
    pub handle: String,
    /// The profile's address, once known.
    pub profile_url: String,
    /// What the profile and cover images will show (logo use needs communications'
    /// permission: tsdft §9.6.2).
    pub images: String,
}

/// One thing to put right on the form, with the field it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormProblem {
    pub field: &'static str,
    pub message: String,
}

impl ChannelForm {
    /// Problems that stop even a draft being saved (values that can never be right).
    pub fn draft_problems(&self) -> Vec<FormProblem> {
        let mut out = Vec::new();
        let len = visible_length(&self.profile_description);
        if len > PROFILE_DESCRIPTION_MAX {
            out.push(FormProblem {
                field: "profile_description",
                message: format!(
                    "Profile description must be {PROFILE_DESCRIPTION_MAX} characters or fewer (it has {len})"
                ),
            });
        }
        if let Some(platform) = self.platform {
            if !self.handle.trim().is_empty()
                && let Err(e) = platform.handle(&self.handle)
            {
                out.push(FormProblem {
                    field: "handle",
                    message: capitalise(&e.to_string()),
                });
            }
            if !self.profile_url.trim().is_empty() {
                let handle = platform.handle(&self.handle).ok();
                if let Err(e) = platform.profile_url(&self.profile_url, handle.as_deref()) {
                    out.push(FormProblem {
                        field: "profile_url",
                        message: capitalise(&e.to_string()),
                    });
                }
            }
        }
        out
    }

    /// Everything to put right before the request can be submitted, in the form's order.
    pub fn problems(&self) -> Vec<FormProblem> {
        let mut out = Vec::new();
        let mut need = |field: &'static str, value: &str, label: &str| {
            if value.trim().is_empty() {
                out.push(FormProblem {
                    field,
                    message: format!("Enter {label}"),
                });
            }
        };
        need("service", &self.service, "your service or team");
        need("why_channel", &self.why_channel, "why a channel is needed");
        need("why_platform", &self.why_platform, "why this platform");
        need("aim", &self.aim, "the channel's aim");
        need("audience", &self.audience, "who the channel is for");
        need(
            "strategy_fit",
            &self.strategy_fit,
            "how it fits the communications strategy",
        );
        need(
            "similar_presence",
            &self.similar_presence,
            "what similar presence exists (or 'none')",
        );
        need(
            "resources",
            &self.resources,
            "who will run it, how much time they have and for how long",
        );
        need("exit_strategy", &self.exit_strategy, "the exit strategy");
        need(
            "success_measure",
            &self.success_measure,
            "how success will be measured",
        );
        need("target", &self.target, "the target");
        need("review_point", &self.review_point, "the review date");
        need(
            "profile_description",
            &self.profile_description,
            "the profile description",
        );
        need(
            "staffed_hours",
            &self.staffed_hours,
            "when the account will be staffed",
        );
        need(
            "out_of_hours",
            &self.out_of_hours,
            "how out-of-hours contact will be handled",
        );
        need(
            "complaints_handling",
            &self.complaints_handling,
            "how complaints will be handled",
        );
        need(
            "sensitive_data_handling",
            &self.sensitive_data_handling,
            "how sensitive data will be handled",
        );
        need("account_name", &self.account_name, "the account name");
        need("handle", &self.handle, "the handle");
        if self.platform.is_none() {
            out.insert(
                1.min(out.len()),
                FormProblem {
                    field: "platform",
                    message: "Select the platform".into(),
                },
            );
        }
        if !self.terms_read {
            out.push(FormProblem {
                field: "terms_read",
                message: "Confirm you have read the platform's terms of use".into(),
            });
        }
        out.extend(self.draft_problems());
        out
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete() -> ChannelForm {
        ChannelForm {
            service: "Maternity".into(),
            platform: Some(Platform::Instagram),
            why_channel: "Parents ask for updates".into(),
            why_platform: "Where parents are".into(),
            aim: "Reassure and inform".into(),
            audience: "Expectant parents".into(),
            strategy_fit: "Patient experience priority".into(),
            similar_presence: "None".into(),
            resources: "Two midwives, 2 hours a week, 12 months".into(),
            exit_strategy: "Announce closure, archive posts".into(),
            success_measure: "Followers and messages answered".into(),
            target: "500 followers".into(),
            review_point: "2027-06-01".into(),
            terms_read: true,
            profile_description: "Maternity at Torbay Hospital 🤰🏽 Not monitored 24/7".into(),
            staffed_hours: "Mon-Fri 9-5".into(),
            out_of_hours: "Auto-reply pointing to the ward's phone".into(),
            complaints_handling: "Passed to PALS the same day".into(),
            sensitive_data_handling: "Never asked for; deleted and IG told".into(),
            account_name: "Torbay Maternity".into(),
            handle: "@torbay.maternity".into(),
            profile_url: "https://www.instagram.com/torbay.maternity/".into(),
            images: "Trust logo (permission from comms)".into(),
        }
    }

    #[test]
    fn a_complete_form_has_no_problems() {
        assert_eq!(complete().problems(), Vec::new());
    }

    #[test]
    fn an_empty_draft_can_be_saved_but_not_submitted() {
        let empty = ChannelForm::default();
        assert!(empty.draft_problems().is_empty());
        let fields: Vec<&str> = empty.problems().iter().map(|p| p.field).collect();
        assert!(
            fields.contains(&"platform")
                && fields.contains(&"terms_read")
                && fields.contains(&"exit_strategy")
        );
        assert_eq!(fields.len(), 21, "{fields:?}");
    }

    #[test]
    fn the_profile_description_is_counted_as_a_person_counts() {
        let mut form = complete();
        // 140 family emoji, each several code points: 140 characters to a person.
        form.profile_description = "👨‍👩‍👧".repeat(140);
        assert_eq!(visible_length(&form.profile_description), 140);
        assert!(form.problems().is_empty());
        form.profile_description.push('!');
        let problems = form.draft_problems();
        assert_eq!(problems[0].field, "profile_description");
        assert!(
            problems[0].message.contains("(it has 141)"),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn handle_and_address_are_checked_for_the_platform() {
        let mut form = complete();
        form.handle = "two..dots".into();
        form.profile_url = "https://www.facebook.com/torbay".into();
        let fields: Vec<&str> = form.draft_problems().iter().map(|p| p.field).collect();
        assert_eq!(fields, ["handle", "profile_url"]);
    }
}
