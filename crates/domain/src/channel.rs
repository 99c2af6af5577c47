//! The channel lifecycle of SPEC §2 as an explicit state machine: a request for an official
//! social media channel moves `draft → submitted → manager_approved → comms_reviewed →
//! approved → active → review_due → active | retired`, and any approval step may reject it
//! with a reason, after which the requester can revise and resubmit.
//!
//! [`transition`] is pure: it is given the current state, the event, who is acting and the
//! time, and returns the next state or says exactly why not. Storage applies the result and
//! writes the audit entry in the same transaction.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::channel_form::ChannelForm;
use crate::{Principal, Role, Timestamp};

/// Where a channel is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelState {
    /// Being written by the requester; not yet sent.
    Draft,
    /// Sent; waiting for the requester's line manager.
    Submitted,
    /// The line manager agreed; waiting for communications to complete the planning fields.
    ManagerApproved,
    /// Communications completed the plan; waiting for the head of communications.
    CommsReviewed,
    /// Approved with a named account manager; waiting to be set up.
    Approved,
    /// Set up and in use, with a review date.
    Active,
    /// Its review date has come.
    ReviewDue,
    /// Closed down; its exit strategy was carried out.
    Retired,
    /// Turned down at an approval step, with a reason; the requester may revise and resubmit.
    Rejected,
}

impl ChannelState {
    pub const ALL: [ChannelState; 9] = [
        ChannelState::Draft,
        ChannelState::Submitted,
        ChannelState::ManagerApproved,
        ChannelState::CommsReviewed,
        ChannelState::Approved,
        ChannelState::Active,
        ChannelState::ReviewDue,
        ChannelState::Retired,
        ChannelState::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChannelState::Draft => "draft",
            ChannelState::Submitted => "submitted",
            ChannelState::ManagerApproved => "manager_approved",
            ChannelState::CommsReviewed => "comms_reviewed",
            ChannelState::Approved => "approved",
            ChannelState::Active => "active",
            ChannelState::ReviewDue => "review_due",
            ChannelState::Retired => "retired",
            ChannelState::Rejected => "rejected",
        }
    }

    pub fn parse(name: &str) -> Option<ChannelState> {
        ChannelState::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether this state is an approval step (one that may reject).
    pub fn awaits_approval(self) -> bool {
        matches!(
            self,
            ChannelState::Submitted | ChannelState::ManagerApproved | ChannelState::CommsReviewed
        )
    }
}

impl fmt::Display for ChannelState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What someone asks to happen to a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelEvent {
    /// The requester sends the request (a draft, or a revised rejected request).
    Submit,
    /// The requester's line manager agrees.
    ManagerApprove,
    /// A communications officer completes the planning fields.
    CommsReview {
        special_instructions: String,
        recommendation: String,
    },
    /// The head of communications approves and names the account manager.
    Approve {
        account_manager_id: i64,
        /// Whether the account manager has in-date social media training (mtw §4.0).
        account_manager_trained: bool,
    },
    /// An approver turns the request down.
    Reject { reason: String },
    /// Communications has set the channel up; its review comes at `review_on`.
    GoLive {
        set_up_on: Timestamp,
        review_on: Timestamp,
    },
    /// The scheduled job: the review date has come.
    ReviewDue,
    /// The review found the channel meets its objectives; the next review comes at
    /// `next_review_on`.
    Renew {
        evidence: String,
        next_review_on: Timestamp,
    },
    /// The review found it does not; the exit strategy has been carried out.
    Retire { evidence: String },
}

impl ChannelEvent {
    /// The audit action this event records, e.g. `channel.manager_approve`.
    pub fn action(&self) -> &'static str {
        match self {
            ChannelEvent::Submit => "channel.submit",
            ChannelEvent::ManagerApprove => "channel.manager_approve",
            ChannelEvent::CommsReview { .. } => "channel.comms_review",
            ChannelEvent::Approve { .. } => "channel.approve",
            ChannelEvent::Reject { .. } => "channel.reject",
            ChannelEvent::GoLive { .. } => "channel.go_live",
            ChannelEvent::ReviewDue => "channel.review_due",
            ChannelEvent::Renew { .. } => "channel.renew",
            ChannelEvent::Retire { .. } => "channel.retire",
        }
    }
}

/// The people a request belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parties {
    pub requester_id: i64,
    /// The requester's line manager when the request was submitted.
    pub requester_manager_id: Option<i64>,
}

/// Who is acting: a person, or the scheduler (for `ReviewDue`).
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    Person(&'a Principal),
    Scheduler,
}

/// Why a transition was refused. Each message says what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("a request that is {from} cannot be {verb}")]
    NotFromHere {
        from: ChannelState,
        verb: &'static str,
    },
    #[error("only {who} can do this")]
    NotYours { who: &'static str },
    #[error("nobody may approve their own request")]
    OwnRequest,
    #[error("the request is not complete: {message}")]
    Incomplete {
        field: &'static str,
        message: String,
    },
    #[error("{field}: {problem}")]
    Invalid {
        field: &'static str,
        problem: &'static str,
    },
}

/// The longest allowed gap between set-up (or a review) and the next review: a year
/// (tsdft §8.6).
pub const MAX_REVIEW_GAP_MS: i64 = 365 * 24 * 3_600_000;

fn need_text(field: &'static str, text: &str) -> Result<(), TransitionError> {
    if text.trim().is_empty() {
        Err(TransitionError::Invalid {
            field,
            problem: "cannot be empty",
        })
    } else {
        Ok(())
    }
}

fn person<'a>(actor: Actor<'a>, who: &'static str) -> Result<&'a Principal, TransitionError> {
    match actor {
        Actor::Person(p) => Ok(p),
        Actor::Scheduler => Err(TransitionError::NotYours { who }),
    }
}

/// The roles that act for communications at its steps.
const COMMUNICATIONS: [Role; 2] = [Role::CommsOfficer, Role::HeadOfComms];

fn holds(p: &Principal, roles: &[Role], who: &'static str) -> Result<(), TransitionError> {
    if roles.iter().any(|r| p.has(*r)) {
        Ok(())
    } else {
        Err(TransitionError::NotYours { who })
    }
}

/// Decides the next state of a channel in `from` when `actor` asks for `event` at `now`.
pub fn transition(
    from: ChannelState,
    event: &ChannelEvent,
    parties: Parties,
    actor: Actor<'_>,
    now: Timestamp,
) -> Result<ChannelState, TransitionError> {
    use ChannelState as S;
    let refuse = |verb| Err(TransitionError::NotFromHere { from, verb });
    let not_own = |p: &Principal| {
        if p.user_id == parties.requester_id {
            Err(TransitionError::OwnRequest)
        } else {
            Ok(())
        }
    };
    match event {
        ChannelEvent::Submit => {
            let p = person(actor, "the requester")?;
            if !matches!(from, S::Draft | S::Rejected) {
                return refuse("submitted");
            }
            if p.user_id != parties.requester_id {
                return Err(TransitionError::NotYours {
                    who: "the requester",
                });
            }
            if parties.requester_manager_id.is_none() {
                return Err(TransitionError::Invalid {
                    field: "line manager",
                    problem: "the requester has no line manager to approve the request; ask an administrator to record one",
                });
            }
            Ok(S::Submitted)
        }
        ChannelEvent::ManagerApprove => {
            let p = person(actor, "the requester's line manager")?;
            if from != S::Submitted {
                return refuse("approved by a line manager");
            }
            not_own(p)?;
            if parties.requester_manager_id != Some(p.user_id) {
                return Err(TransitionError::NotYours {
                    who: "the requester's line manager",
                });
            }
            Ok(S::ManagerApproved)
        }
        ChannelEvent::CommsReview {
            special_instructions: _,
            recommendation,
        } => {
            let p = person(actor, "a communications officer")?;
            if from != S::ManagerApproved {
                return refuse("reviewed by communications");
            }
            holds(p, &COMMUNICATIONS, "a communications officer")?;
            not_own(p)?;
            need_text("recommendation", recommendation)?;
            Ok(S::CommsReviewed)
        }
        ChannelEvent::Approve {
            account_manager_id: _,
            account_manager_trained,
        } => {
            let p = person(actor, "the head of communications")?;
            if from != S::CommsReviewed {
                return refuse("given final approval");
            }
            holds(p, &[Role::HeadOfComms], "the head of communications")?;
            not_own(p)?;
            if !account_manager_trained {
                return Err(TransitionError::Invalid {
                    field: "account manager",
                    problem: "needs in-date social media training from communications before they can manage a channel",
                });
            }
            Ok(S::Approved)
        }
        ChannelEvent::Reject { reason } => {
            let p = person(actor, "an approver")?;
            let allowed = match from {
                S::Submitted => parties.requester_manager_id == Some(p.user_id),
                S::ManagerApproved => p.has(Role::CommsOfficer) || p.has(Role::HeadOfComms),
                S::CommsReviewed => p.has(Role::HeadOfComms),
                _ => return refuse("rejected"),
            };
            not_own(p)?;
            if !allowed {
                return Err(TransitionError::NotYours {
                    who: "the approver at this step",
                });
            }
            need_text("reason", reason)?;
            Ok(S::Rejected)
        }
        ChannelEvent::GoLive {
            set_up_on,
            review_on,
        } => {
            let p = person(actor, "communications")?;
            if from != S::Approved {
                return refuse("set up");
            }
            holds(p, &COMMUNICATIONS, "communications")?;
            check_review(*set_up_on, *review_on)?;
            if *set_up_on > now {
                return Err(TransitionError::Invalid {
                    field: "set-up date",
                    problem: "cannot be in the future",
                });
            }
            Ok(S::Active)
        }
        ChannelEvent::ReviewDue => {
            if from != S::Active {
                return refuse("marked due for review");
            }
            match actor {
                Actor::Scheduler => Ok(S::ReviewDue),
                Actor::Person(p) => {
                    holds(p, &COMMUNICATIONS, "communications")?;
                    Ok(S::ReviewDue)
                }
            }
        }
        ChannelEvent::Renew {
            evidence,
            next_review_on,
        } => {
            let p = person(actor, "communications")?;
            if from != S::ReviewDue {
                return refuse("renewed");
            }
            holds(p, &COMMUNICATIONS, "communications")?;
            need_text("evidence", evidence)?;
            check_review(now, *next_review_on)?;
            Ok(S::Active)
        }
        ChannelEvent::Retire { evidence } => {
            let p = person(actor, "communications")?;
            if from != S::ReviewDue {
                return refuse("retired");
            }
            holds(p, &COMMUNICATIONS, "communications")?;
            need_text("evidence", evidence)?;
            Ok(S::Retired)
        }
    }
}

/// What adopting an existing account into the register records ([`Channel::adopt`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adoption {
    /// The platform, account name, handle and address as found, and the service that runs it.
    pub form: ChannelForm,
    pub account_manager_id: i64,
    /// Whether the account manager's social media training is in date now.
    pub account_manager_trained: bool,
    pub review_on: Timestamp,
    /// What communications did to take the account over.
    pub note: String,
}

/// A channel on the register, from its first draft to its retirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Channel {
    pub id: i64,
    pub state: ChannelState,
    pub requester_id: i64,
    /// The requester's line manager when the request was last submitted.
    pub requester_manager_id: Option<i64>,
    pub form: ChannelForm,
    /// Communications' planning fields.
    pub special_instructions: String,
    pub recommendation: String,
    /// The one named account manager (tsdft §8.5).
    pub account_manager_id: Option<i64>,
    /// Why it was last rejected, while it is rejected.
    pub rejection_reason: Option<String>,
    pub set_up_on: Option<Timestamp>,
    pub review_on: Option<Timestamp>,
    /// The evidence recorded at the last review.
    pub review_evidence: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Channel {
    /// A new draft.
    pub fn draft(requester_id: i64, form: ChannelForm, now: Timestamp) -> Channel {
        Channel {
            id: 0,
            state: ChannelState::Draft,
            requester_id,
            requester_manager_id: None,
            form,
            special_instructions: String::new(),
            recommendation: String::new(),
            account_manager_id: None,
            rejection_reason: None,
            set_up_on: None,
            review_on: None,
            review_evidence: None,
            created_at: now,
            updated_at: now,
        }
    }

    /// An account that was found claiming to be the trust's, adopted into the register as it
    /// is (mtw "Setting up…"; SPEC §2). It is live already, so it enters the register
    /// `active`, set up now. Only the head of communications adopts, because adopting names
    /// the account manager, who needs in-date training as at final approval, and the first
    /// review must fall within a year.
    pub fn adopt(
        adoption: Adoption,
        by: &Principal,
        now: Timestamp,
    ) -> Result<Channel, TransitionError> {
        holds(by, &[Role::HeadOfComms], "the head of communications")?;
        need_text("service", &adoption.form.service)?;
        need_text("account name", &adoption.form.account_name)?;
        if adoption.form.platform.is_none() {
            return Err(TransitionError::Invalid {
                field: "platform",
                problem: "must be named",
            });
        }
        if !adoption.account_manager_trained {
            return Err(TransitionError::Invalid {
                field: "account manager",
                problem: "needs in-date social media training from communications before they can manage a channel",
            });
        }
        check_review(now, adoption.review_on)?;
        let mut channel = Channel::draft(by.user_id, adoption.form, now);
        channel.state = ChannelState::Active;
        channel.recommendation = adoption.note.trim().to_owned();
        channel.account_manager_id = Some(adoption.account_manager_id);
        channel.set_up_on = Some(now);
        channel.review_on = Some(adoption.review_on);
        Ok(channel)
    }

    pub fn parties(&self) -> Parties {
        Parties {
            requester_id: self.requester_id,
            requester_manager_id: self.requester_manager_id,
        }
    }

    /// Applies `event`: checks it with [`transition`] and, when allowed, records what it
    /// carries (the plan, the account manager, dates, the reason or evidence). On submit,
    /// the form must be complete and `requester_manager_id` must already be the requester's
    /// current line manager.
    pub fn apply(
        &mut self,
        event: &ChannelEvent,
        actor: Actor<'_>,
        now: Timestamp,
    ) -> Result<(), TransitionError> {
        if matches!(event, ChannelEvent::Submit)
            && let Some(problem) = self.form.problems().into_iter().next()
        {
            return Err(TransitionError::Incomplete {
                field: problem.field,
                message: problem.message,
            });
        }
        let to = transition(self.state, event, self.parties(), actor, now)?;
        match event {
            ChannelEvent::Submit => self.rejection_reason = None,
            ChannelEvent::CommsReview {
                special_instructions,
                recommendation,
            } => {
                self.special_instructions = special_instructions.trim().to_owned();
                self.recommendation = recommendation.trim().to_owned();
            }
            ChannelEvent::Approve {
                account_manager_id, ..
            } => self.account_manager_id = Some(*account_manager_id),
            ChannelEvent::Reject { reason } => {
                self.rejection_reason = Some(reason.trim().to_owned())
            }
            ChannelEvent::GoLive {
                set_up_on,
                review_on,
            } => {
                self.set_up_on = Some(*set_up_on);
                self.review_on = Some(*review_on);
            }
            ChannelEvent::Renew {
                evidence,
                next_review_on,
            } => {
                self.review_evidence = Some(evidence.trim().to_owned());
                self.review_on = Some(*next_review_on);
            }
            ChannelEvent::Retire { evidence } => {
                self.review_evidence = Some(evidence.trim().to_owned())
            }
            ChannelEvent::ManagerApprove | ChannelEvent::ReviewDue => {}
        }
        self.state = to;
        self.updated_at = now;
        Ok(())
    }
}

/// A review must come after its start and within a year of it.
fn check_review(start: Timestamp, review_on: Timestamp) -> Result<(), TransitionError> {
    if review_on <= start {
        return Err(TransitionError::Invalid {
            field: "review date",
            problem: "must be after the set-up or review date",
        });
    }
    if review_on - start > MAX_REVIEW_GAP_MS {
        return Err(TransitionError::Invalid {
            field: "review date",
            problem: "must be within a year (tsdft §8.6)",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::ChannelState as S;
    use super::*;

    const REQUESTER: i64 = 1;
    const MANAGER: i64 = 2;
    const COMMS: i64 = 3;
    const HEAD: i64 = 4;
    const OUTSIDER: i64 = 5;
    const DAY: i64 = 86_400_000;
    const NOW: Timestamp = 1_800_000_000_000;

    fn who(id: i64, roles: &[Role]) -> Principal {
        Principal {
            user_id: id,
            username: format!("u{id}"),
            roles: roles.iter().copied().collect(),
            scopes: None,
        }
    }

    fn parties() -> Parties {
        Parties {
            requester_id: REQUESTER,
            requester_manager_id: Some(MANAGER),
        }
    }

    fn events() -> Vec<ChannelEvent> {
        vec![
            ChannelEvent::Submit,
            ChannelEvent::ManagerApprove,
            ChannelEvent::CommsReview {
                special_instructions: "Use the trust logo".into(),
                recommendation: "Approve for 12 months".into(),
            },
            ChannelEvent::Approve {
                account_manager_id: REQUESTER,
                account_manager_trained: true,
            },
            ChannelEvent::Reject {
                reason: "Duplicates the trust's main page".into(),
            },
            ChannelEvent::GoLive {
                set_up_on: NOW - DAY,
                review_on: NOW + 300 * DAY,
            },
            ChannelEvent::ReviewDue,
            ChannelEvent::Renew {
                evidence: "Reach up 40%".into(),
                next_review_on: NOW + 300 * DAY,
            },
            ChannelEvent::Retire {
                evidence: "No posts in 6 months".into(),
            },
        ]
    }

    /// The one actor entitled to each event (for a reject: the approver at that step).
    fn rightful(event: &ChannelEvent, from: S) -> Principal {
        match event {
            ChannelEvent::Submit => who(REQUESTER, &[Role::Staff]),
            ChannelEvent::ManagerApprove => who(MANAGER, &[Role::LineManager]),
            ChannelEvent::Reject { .. } if from == S::Submitted => {
                who(MANAGER, &[Role::LineManager])
            }
            ChannelEvent::Approve { .. } => who(HEAD, &[Role::HeadOfComms]),
            ChannelEvent::Reject { .. } if from == S::CommsReviewed => {
                who(HEAD, &[Role::HeadOfComms])
            }
            _ => who(COMMS, &[Role::CommsOfficer]),
        }
    }

    /// SPEC §2's transitions, and only those.
    fn legal(from: S, event: &ChannelEvent) -> Option<S> {
        match (from, event) {
            (S::Draft | S::Rejected, ChannelEvent::Submit) => Some(S::Submitted),
            (S::Submitted, ChannelEvent::ManagerApprove) => Some(S::ManagerApproved),
            (S::ManagerApproved, ChannelEvent::CommsReview { .. }) => Some(S::CommsReviewed),
            (S::CommsReviewed, ChannelEvent::Approve { .. }) => Some(S::Approved),
            (S::Submitted | S::ManagerApproved | S::CommsReviewed, ChannelEvent::Reject { .. }) => {
                Some(S::Rejected)
            }
            (S::Approved, ChannelEvent::GoLive { .. }) => Some(S::Active),
            (S::Active, ChannelEvent::ReviewDue) => Some(S::ReviewDue),
            (S::ReviewDue, ChannelEvent::Renew { .. }) => Some(S::Active),
            (S::ReviewDue, ChannelEvent::Retire { .. }) => Some(S::Retired),
            _ => None,
        }
    }

    #[test]
    fn every_state_and_event_follows_the_spec() {
        for from in S::ALL {
            for event in events() {
                let actor = rightful(&event, from);
                let got = transition(from, &event, parties(), Actor::Person(&actor), NOW);
                match legal(from, &event) {
                    Some(to) => assert_eq!(got, Ok(to), "{from} + {}", event.action()),
                    None => assert!(
                        matches!(got, Err(TransitionError::NotFromHere { .. })),
                        "{from} + {} should be refused, got {got:?}",
                        event.action()
                    ),
                }
            }
        }
    }

    #[test]
    fn a_whole_life_from_draft_to_retired() {
        let path = [
            (ChannelEvent::Submit, S::Submitted),
            (ChannelEvent::ManagerApprove, S::ManagerApproved),
            (events()[2].clone(), S::CommsReviewed),
            (events()[3].clone(), S::Approved),
            (events()[5].clone(), S::Active),
            (ChannelEvent::ReviewDue, S::ReviewDue),
            (events()[7].clone(), S::Active),
            (ChannelEvent::ReviewDue, S::ReviewDue),
            (events()[8].clone(), S::Retired),
        ];
        let mut state = S::Draft;
        for (event, expected) in path {
            let actor = rightful(&event, state);
            state = transition(state, &event, parties(), Actor::Person(&actor), NOW)
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(state, expected);
        }
    }

    #[test]
    fn nobody_approves_their_own_request() {
        // The requester is also a line manager, comms officer and head of comms.
        let all = who(
            REQUESTER,
            &[Role::LineManager, Role::CommsOfficer, Role::HeadOfComms],
        );
        let own = Parties {
            requester_id: REQUESTER,
            requester_manager_id: Some(REQUESTER),
        };
        for (from, event) in [
            (S::Submitted, ChannelEvent::ManagerApprove),
            (S::ManagerApproved, events()[2].clone()),
            (S::CommsReviewed, events()[3].clone()),
            (S::CommsReviewed, events()[4].clone()),
        ] {
            assert_eq!(
                transition(from, &event, own, Actor::Person(&all), NOW),
                Err(TransitionError::OwnRequest),
                "{from} + {}",
                event.action()
            );
        }
    }

    #[test]
    fn only_the_rightful_person_acts_at_each_step() {
        let outsider = who(OUTSIDER, &[Role::Staff, Role::LineManager]);
        let comms = who(COMMS, &[Role::CommsOfficer]);
        let cases = [
            (S::Draft, ChannelEvent::Submit, &outsider),
            (S::Submitted, ChannelEvent::ManagerApprove, &outsider),
            (S::Submitted, events()[4].clone(), &comms),
            (S::ManagerApproved, events()[2].clone(), &outsider),
            (S::CommsReviewed, events()[3].clone(), &comms),
            (S::CommsReviewed, events()[4].clone(), &comms),
            (S::Approved, events()[5].clone(), &outsider),
            (S::ReviewDue, events()[8].clone(), &outsider),
        ];
        for (from, event, actor) in cases {
            assert!(
                matches!(
                    transition(from, &event, parties(), Actor::Person(actor), NOW),
                    Err(TransitionError::NotYours { .. })
                ),
                "{from} + {} by {}",
                event.action(),
                actor.username
            );
        }
        assert_eq!(
            transition(
                S::Active,
                &ChannelEvent::ReviewDue,
                parties(),
                Actor::Scheduler,
                NOW
            ),
            Ok(S::ReviewDue)
        );
        assert!(
            transition(
                S::Draft,
                &ChannelEvent::Submit,
                parties(),
                Actor::Scheduler,
                NOW
            )
            .is_err()
        );
    }

    #[test]
    fn the_details_each_step_needs() {
        let head = who(HEAD, &[Role::HeadOfComms]);
        let untrained = ChannelEvent::Approve {
            account_manager_id: REQUESTER,
            account_manager_trained: false,
        };
        let err = transition(
            S::CommsReviewed,
            &untrained,
            parties(),
            Actor::Person(&head),
            NOW,
        );
        assert!(matches!(
            err,
            Err(TransitionError::Invalid {
                field: "account manager",
                ..
            })
        ));
        let blank = ChannelEvent::Reject {
            reason: "  ".into(),
        };
        let err = transition(
            S::CommsReviewed,
            &blank,
            parties(),
            Actor::Person(&head),
            NOW,
        );
        assert!(matches!(
            err,
            Err(TransitionError::Invalid {
                field: "reason",
                ..
            })
        ));
        let comms = who(COMMS, &[Role::CommsOfficer]);
        for (set_up_on, review_on) in [
            (NOW, NOW + 400 * DAY),
            (NOW, NOW - DAY),
            (NOW + DAY, NOW + 30 * DAY),
        ] {
            let e = ChannelEvent::GoLive {
                set_up_on,
                review_on,
            };
            assert!(
                matches!(
                    transition(S::Approved, &e, parties(), Actor::Person(&comms), NOW),
                    Err(TransitionError::Invalid { .. })
                ),
                "{set_up_on} {review_on}"
            );
        }
        let no_manager = Parties {
            requester_id: REQUESTER,
            requester_manager_id: None,
        };
        let requester = who(REQUESTER, &[Role::Staff]);
        let err = transition(
            S::Draft,
            &ChannelEvent::Submit,
            no_manager,
            Actor::Person(&requester),
            NOW,
        );
        assert!(matches!(
            err,
            Err(TransitionError::Invalid {
                field: "line manager",
                ..
            })
        ));
    }

    #[test]
    fn an_adopted_account_enters_the_register_live_with_a_trained_manager() {
        let adoption = || Adoption {
            form: ChannelForm {
                platform: Some(crate::platform::Platform::Facebook),
                service: "Maternity".into(),
                account_name: "Torbay Maternity".into(),
                ..ChannelForm::default()
            },
            account_manager_id: 9,
            account_manager_trained: true,
            review_on: NOW + 30 * DAY,
            note: "Login handed over by the midwife who set it up".into(),
        };
        let head = who(HEAD, &[Role::HeadOfComms]);
        let c = Channel::adopt(adoption(), &head, NOW).unwrap();
        assert_eq!(c.state, ChannelState::Active);
        assert_eq!(
            (c.set_up_on, c.review_on),
            (Some(NOW), Some(NOW + 30 * DAY))
        );
        assert_eq!(c.account_manager_id, Some(9));
        assert_eq!(c.requester_id, HEAD);

        let officer = who(COMMS, &[Role::CommsOfficer]);
        assert_eq!(
            Channel::adopt(adoption(), &officer, NOW),
            Err(TransitionError::NotYours {
                who: "the head of communications"
            })
        );
        let untrained = Adoption {
            account_manager_trained: false,
            ..adoption()
        };
        assert!(matches!(
            Channel::adopt(untrained, &head, NOW),
            Err(TransitionError::Invalid {
                field: "account manager",
                ..
            })
        ));
        let late = Adoption {
            review_on: NOW + 400 * DAY,
            ..adoption()
        };
        assert!(matches!(
            Channel::adopt(late, &head, NOW),
            Err(TransitionError::Invalid {
                field: "review date",
                ..
            })
        ));
        let mut nameless = adoption();
        nameless.form.service.clear();
        assert!(matches!(
            Channel::adopt(nameless, &head, NOW),
            Err(TransitionError::Invalid {
                field: "service",
                ..
            })
        ));
    }
}
