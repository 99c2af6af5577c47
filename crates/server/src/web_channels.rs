//! The channel pages: the register, the request form (drafts saved and finished later), and
//! each channel's page with the one step its viewer can take next.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use serde::Deserialize;
use socialgov_domain::channel::{ChannelEvent, ChannelState};
use socialgov_domain::channel_form::ChannelForm;
use socialgov_domain::platform::Platform;
use socialgov_domain::{Action, Role};
use socialgov_store::{AuditFilter, ChannelFilter};

use crate::auth::Session;
use crate::channel_images;
use crate::channels::{self, SOCIAL_MEDIA_TRAINING};
use crate::dates::{format_day, format_time, required_day};
use crate::error::{AppError, PageError};
use crate::upload::Upload;
use crate::web::{Choice, Chrome, FieldError, check_csrf, render, render_form};
use crate::{AppState, now_ms};

/// How a field of the request form is asked.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Long,
    Date,
}

/// The request form's questions, in the order of tsdft Appendix A.
const QUESTIONS: [(&str, &str, &str, Kind); 21] = [
    ("service", "Your service or team", "", Kind::Text),
    (
        "account_name",
        "Account name",
        "The name people will see, for example Torbay Maternity.",
        Kind::Text,
    ),
    (
        "handle",
        "Handle",
        "As written on the platform, for example @torbay.maternity.",
        Kind::Text,
    ),
    (
        "profile_url",
        "Profile address (if it exists already)",
        "",
        Kind::Text,
    ),
    ("why_channel", "Why is a channel needed?", "", Kind::Long),
    ("why_platform", "Why this platform?", "", Kind::Long),
    ("aim", "What is its aim?", "", Kind::Long),
    ("audience", "Who is it for?", "", Kind::Long),
    (
        "strategy_fit",
        "How does it fit the trust's communications strategy?",
        "",
        Kind::Long,
    ),
    (
        "similar_presence",
        "What similar presence already exists?",
        "Other trust pages or profiles for the same audience, or 'none'.",
        Kind::Long,
    ),
    (
        "resources",
        "Resources and commitment",
        "Who will run it, how much time they have, and for how long.",
        Kind::Long,
    ),
    (
        "exit_strategy",
        "Exit strategy",
        "What happens if it closes: who tells followers, what is archived.",
        Kind::Long,
    ),
    (
        "success_measure",
        "How will you measure success?",
        "",
        Kind::Long,
    ),
    ("target", "Target", "", Kind::Text),
    (
        "review_point",
        "Review date (YYYY-MM-DD)",
        "Within a year of set-up.",
        Kind::Date,
    ),
    (
        "profile_description",
        "Profile description",
        "At most 140 characters. It is checked against the policy too.",
        Kind::Long,
    ),
    (
        "staffed_hours",
        "When will the account be staffed?",
        "",
        Kind::Text,
    ),
    (
        "out_of_hours",
        "How will contact out of those hours be handled?",
        "",
        Kind::Long,
    ),
    (
        "complaints_handling",
        "How will complaints be handled?",
        "Complaints about care go to PALS.",
        Kind::Long,
    ),
    (
        "sensitive_data_handling",
        "How will sensitive or personal data be handled?",
        "",
        Kind::Long,
    ),
    (
        "images",
        "Profile and cover images",
        "Using the trust logo needs communications' permission.",
        Kind::Long,
    ),
];

struct FieldView {
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    long: bool,
    date: bool,
    value: String,
    error: Option<String>,
}

fn field_views(form: &ChannelForm, errors: &[FieldError]) -> Vec<FieldView> {
    let values = serde_json::to_value(form).unwrap_or_default();
    QUESTIONS
        .iter()
        .map(|&(name, label, hint, kind)| FieldView {
            name,
            label,
            hint,
            long: kind == Kind::Long,
            date: kind == Kind::Date,
            value: values
                .get(name)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned(),
            error: errors
                .iter()
                .find(|e| e.field == name)
                .map(|e| e.message.clone()),
        })
        .collect()
}

struct PlatformChoice {
    id: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "channel_form.html")]
struct FormPage {
    chrome: Chrome,
    chrome_csrf: String,
    errors: Vec<FieldError>,
    action: String,
    heading: String,
    fields: Vec<FieldView>,
    platforms: Vec<PlatformChoice>,
    platform_error: Option<String>,
    terms_read: bool,
    terms_error: Option<String>,
}

fn form_page(
    session: &Session,
    action: String,
    heading: String,
    form: &ChannelForm,
    errors: Vec<FieldError>,
) -> Response {
    render_form(
        !errors.is_empty(),
        &FormPage {
            chrome: Chrome::for_session(session, "/channels"),
            chrome_csrf: session.csrf.clone(),
            fields: field_views(form, &errors),
            platforms: Platform::ALL
                .iter()
                .map(|p| PlatformChoice {
                    id: p.as_str(),
                    label: p.label(),
                    selected: form.platform == Some(*p),
                })
                .collect(),
            platform_error: errors
                .iter()
                .find(|e| e.field == "platform")
                .map(|e| e.message.clone()),
            terms_read: form.terms_read,
            terms_error: errors
                .iter()
                .find(|e| e.field == "terms_read")
                .map(|e| e.message.clone()),
            errors,
            action,
            heading,
        },
    )
}

/// Reads the posted form. Unknown fields are ignored (the CSRF token, the button pressed).
fn parse_form(fields: &[(String, String)]) -> Result<ChannelForm, FieldError> {
    let mut map = serde_json::Map::new();
    for (name, value) in fields {
        if QUESTIONS.iter().any(|(q, ..)| q == name) {
            map.insert(name.clone(), serde_json::Value::String(value.clone()));
        }
    }
    let mut form: ChannelForm =
        serde_json::from_value(serde_json::Value::Object(map)).map_err(|e| FieldError {
            field: "service",
            message: e.to_string(),
        })?;
    let lookup = |key: &str| {
        fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    form.terms_read = lookup("terms_read") == Some("yes");
    form.platform = match lookup("platform").unwrap_or("") {
        "" => None,
        p => Some(Platform::parse(p).map_err(|e| FieldError {
            field: "platform",
            message: e.to_string(),
        })?),
    };
    Ok(form)
}

async fn new_page(session: Session) -> Result<Response, PageError> {
    session.may(Action::RequestChannel)?;
    Ok(form_page(
        &session,
        "/channels/new".into(),
        "Request a social media channel".into(),
        &ChannelForm::default(),
        Vec::new(),
    ))
}

fn csrf_of(fields: &[(String, String)]) -> &str {
    fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map_or("", |(_, v)| v.as_str())
}

async fn create(
    State(state): State<AppState>,
    session: Session,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_csrf(&session, csrf_of(&fields))?;
    session.may(Action::RequestChannel)?;
    let heading = "Request a social media channel".to_owned();
    let form = match parse_form(&fields) {
        Ok(form) => form,
        Err(e) => {
            return Ok(form_page(
                &session,
                "/channels/new".into(),
                heading,
                &ChannelForm::default(),
                vec![e],
            ));
        }
    };
    match channels::create_draft(&state.store, &session.principal, form.clone(), now_ms()).await {
        Ok(c) => Ok(Redirect::to(&format!("/channels/{}", c.id)).into_response()),
        Err(AppError::Form(problems)) => Ok(form_page(
            &session,
            "/channels/new".into(),
            heading,
            &form,
            problems.into_iter().map(Into::into).collect(),
        )),
        Err(e) => Err(e.into()),
    }
}

async fn edit_page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (c, editors) = state
        .store
        .channel(id)
        .await?
        .ok_or(AppError::NotFound("channel"))?;
    if !channels::may_view(&session.principal, &c, &editors) {
        return Err(AppError::NotFound("channel").into());
    }
    Ok(form_page(
        &session,
        format!("/channels/{id}/edit"),
        "Change your request".into(),
        &c.form,
        Vec::new(),
    ))
}

async fn update(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_csrf(&session, csrf_of(&fields))?;
    let action = format!("/channels/{id}/edit");
    let heading = "Change your request".to_owned();
    let form = match parse_form(&fields) {
        Ok(form) => form,
        Err(e) => {
            return Ok(form_page(
                &session,
                action,
                heading,
                &ChannelForm::default(),
                vec![e],
            ));
        }
    };
    match channels::update_form(&state.store, &session.principal, id, form.clone(), now_ms()).await
    {
        Ok(_) => Ok(Redirect::to(&format!("/channels/{id}")).into_response()),
        Err(AppError::Form(problems)) => Ok(form_page(
            &session,
            action,
            heading,
            &form,
            problems.into_iter().map(Into::into).collect(),
        )),
        Err(e) => Err(e.into()),
    }
}

// ----- The register -----

struct RegisterRow {
    id: i64,
    account_name: String,
    platform: String,
    handle: String,
    service: String,
    account_manager: String,
    set_up: String,
    review: String,
    state: &'static str,
    state_label: &'static str,
}

#[derive(Template)]
#[template(path = "channels.html")]
struct RegisterPage {
    chrome: Chrome,
    rows: Vec<RegisterRow>,
    services: Vec<(String, bool)>,
    /// The filter as a query string, for the export links.
    query: String,
    states: Vec<(&'static str, &'static str, bool)>,
}

/// The words people read for a state.
pub fn state_label(s: ChannelState) -> &'static str {
    match s {
        ChannelState::Draft => "Draft",
        ChannelState::Submitted => "Waiting for line manager",
        ChannelState::ManagerApproved => "Waiting for communications",
        ChannelState::CommsReviewed => "Waiting for head of communications",
        ChannelState::Approved => "Approved, to be set up",
        ChannelState::Active => "Active",
        ChannelState::ReviewDue => "Review due",
        ChannelState::Retired => "Retired",
        ChannelState::Rejected => "Not approved",
    }
}

#[derive(Deserialize)]
struct RegisterQuery {
    #[serde(default)]
    state: String,
    #[serde(default)]
    service: String,
}

async fn register(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<RegisterQuery>,
) -> Result<Response, PageError> {
    session.may(Action::RequestChannel)?;
    let wanted = ChannelState::parse(&q.state);
    let names: HashMap<i64, String> = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let mut rows = Vec::new();
    for c in state
        .store
        .channels(&ChannelFilter {
            state: wanted,
            involving: None,
            service: Some(q.service.trim().to_owned()).filter(|s| !s.is_empty()),
        })
        .await?
    {
        if !channels::may_view(&session.principal, &c, &[])
            && c.requester_id != session.principal.user_id
        {
            continue;
        }
        rows.push(RegisterRow {
            id: c.id,
            account_name: if c.form.account_name.is_empty() {
                "(untitled request)".into()
            } else {
                c.form.account_name.clone()
            },
            platform: c
                .form
                .platform
                .map(|p| p.label().to_owned())
                .unwrap_or_default(),
            handle: c.form.handle.clone(),
            service: c.form.service.clone(),
            account_manager: c
                .account_manager_id
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_default(),
            set_up: c.set_up_on.map(format_day).unwrap_or_default(),
            review: c.review_on.map(format_day).unwrap_or_default(),
            state: c.state.as_str(),
            state_label: state_label(c.state),
        });
    }
    let mut services: Vec<String> = state
        .store
        .channels(&ChannelFilter::default())
        .await?
        .into_iter()
        .map(|c| c.form.service)
        .filter(|s| !s.is_empty())
        .collect();
    services.sort();
    services.dedup();
    Ok(render(&RegisterPage {
        chrome: Chrome::for_session(&session, "/channels"),
        rows,
        services: services
            .into_iter()
            .map(|s| {
                let selected = s == q.service;
                (s, selected)
            })
            .collect(),
        query: serde_urlencoded::to_string([("state", &q.state), ("service", &q.service)])
            .unwrap_or_default(),
        states: ChannelState::ALL
            .iter()
            .map(|s| (s.as_str(), state_label(*s), wanted == Some(*s)))
            .collect(),
    }))
}

// ----- One channel -----

struct Answer {
    label: &'static str,
    value: String,
}

struct HistoryRow {
    when: String,
    who: String,
    what: String,
}

#[derive(Template)]
#[template(path = "channel.html")]
struct ChannelPage {
    chrome: Chrome,
    chrome_csrf: String,
    errors: Vec<FieldError>,
    id: i64,
    title: String,
    state: &'static str,
    state_label: &'static str,
    answers: Vec<Answer>,
    people: Vec<Answer>,
    rejection_reason: Option<String>,
    history: Vec<HistoryRow>,
    /// Which step the viewer can take now: `submit`, `manager`, `comms`, `head`, `go_live`,
    /// `review`, or empty.
    next: &'static str,
    can_edit: bool,
    candidates: Vec<Choice>,
    today: String,
    /// People on the channel whose social media training is not in date.
    lapsed: Vec<String>,
    /// Trained people who can be editors, for communications or the account manager.
    editor_choices: Vec<Choice>,
    images: Vec<ImageRow>,
    may_change_images: bool,
    /// The problem with the last upload, shown beside the file input.
    file_error: Option<String>,
}

struct ImageRow {
    id: i64,
    file_name: String,
    /// `400 × 400 pixels, 35 KB, PNG`.
    about: String,
}

async fn channel_page_with(
    state: &AppState,
    session: &Session,
    id: i64,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let (c, editors) = state
        .store
        .channel(id)
        .await?
        .ok_or(AppError::NotFound("channel"))?;
    let p = &session.principal;
    if !channels::may_view(p, &c, &editors) {
        return Err(AppError::NotFound("channel").into());
    }
    let users = state.store.users().await?;
    let names: HashMap<i64, String> = users
        .iter()
        .map(|u| (u.id, u.display_name.clone()))
        .collect();
    let name = |id: Option<i64>| {
        id.and_then(|i| names.get(&i).cloned())
            .unwrap_or_else(|| "—".into())
    };
    let values = serde_json::to_value(&c.form).unwrap_or_default();
    let mut answers: Vec<Answer> = vec![Answer {
        label: "Platform",
        value: c
            .form
            .platform
            .map(|p| p.label().to_owned())
            .unwrap_or_default(),
    }];
    for (field, label, _, _) in QUESTIONS.iter() {
        answers.push(Answer {
            label,
            value: values
                .get(*field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned(),
        });
    }
    answers.push(Answer {
        label: "Platform terms read",
        value: if c.form.terms_read {
            "Yes".into()
        } else {
            "No".into()
        },
    });
    let mut people = vec![
        Answer {
            label: "Requested by",
            value: name(Some(c.requester_id)),
        },
        Answer {
            label: "Line manager",
            value: name(c.requester_manager_id),
        },
        Answer {
            label: "Account manager",
            value: name(c.account_manager_id),
        },
    ];
    if !c.special_instructions.is_empty() || !c.recommendation.is_empty() {
        people.push(Answer {
            label: "Special instructions",
            value: c.special_instructions.clone(),
        });
        people.push(Answer {
            label: "Communications' recommendation",
            value: c.recommendation.clone(),
        });
    }
    if !editors.is_empty() {
        people.push(Answer {
            label: "Editors",
            value: editors
                .iter()
                .map(|e| name(Some(*e)))
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    if let Some(on) = c.set_up_on {
        people.push(Answer {
            label: "Set up",
            value: format_day(on),
        });
    }
    if let Some(on) = c.review_on {
        people.push(Answer {
            label: "Review date",
            value: format_day(on),
        });
    }
    if let Some(evidence) = &c.review_evidence {
        people.push(Answer {
            label: "Last review",
            value: evidence.clone(),
        });
    }
    let comms = p.may(Action::ManageRegister).is_ok();
    let next = match c.state {
        ChannelState::Draft | ChannelState::Rejected if p.user_id == c.requester_id => "submit",
        ChannelState::Submitted
            if c.requester_manager_id == Some(p.user_id) && p.user_id != c.requester_id =>
        {
            "manager"
        }
        ChannelState::ManagerApproved if comms && p.user_id != c.requester_id => "comms",
        ChannelState::CommsReviewed
            if p.has(socialgov_domain::Role::HeadOfComms) && p.user_id != c.requester_id =>
        {
            "head"
        }
        ChannelState::Approved if comms => "go_live",
        ChannelState::Active if comms => "start_review",
        ChannelState::ReviewDue if comms => "review",
        _ => "",
    };
    let mut candidates = Vec::new();
    if next == "head" {
        for u in users.iter().filter(|u| u.disabled_at.is_none()) {
            let trained = state.store.training_of(u.id).await?.iter().any(|t| {
                t.kind == SOCIAL_MEDIA_TRAINING && t.expires_on.is_none_or(|e| e > now_ms())
            });
            let label = if trained {
                u.display_name.clone()
            } else {
                format!("{} (no in-date social media training)", u.display_name)
            };
            candidates.push(Choice {
                id: u.id,
                label,
                selected: u.id == c.requester_id,
            });
        }
    }
    let trained = state
        .store
        .trained_users(SOCIAL_MEDIA_TRAINING, now_ms())
        .await?;
    let lapsed = channels::lapsed_people(&c, &editors, &trained)
        .into_iter()
        .map(|id| name(Some(id)))
        .collect();
    let may_set_editors = matches!(
        c.state,
        ChannelState::Approved | ChannelState::Active | ChannelState::ReviewDue
    ) && (comms || c.account_manager_id == Some(p.user_id));
    let editor_choices = if may_set_editors {
        users
            .iter()
            .filter(|u| u.disabled_at.is_none() && trained.contains(&u.id))
            .map(|u| Choice {
                id: u.id,
                label: u.display_name.clone(),
                selected: editors.contains(&u.id),
            })
            .collect()
    } else {
        Vec::new()
    };
    let audit = state
        .store
        .audit_entries(
            &AuditFilter {
                target: Some(format!("channel:{id}")),
                ..Default::default()
            },
            100,
            0,
        )
        .await?;
    let images = state
        .store
        .channel_images(id)
        .await?
        .into_iter()
        .map(|i| ImageRow {
            id: i.id,
            about: format!(
                "{} × {} pixels, {} KB, {}",
                i.width,
                i.height,
                (i.byte_size + 1023) / 1024,
                i.content_type.trim_start_matches("image/").to_uppercase()
            ),
            file_name: i.file_name,
        })
        .collect();
    let file_error = errors
        .iter()
        .find(|e| e.field == "file")
        .map(|e| e.message.clone());
    let history = audit
        .into_iter()
        .map(|r| HistoryRow {
            when: format_time(r.entry.at),
            who: r.entry.actor,
            what: describe(&r.entry.action).to_owned(),
        })
        .collect();
    let invalid = !errors.is_empty();
    let page = render_form(
        invalid,
        &ChannelPage {
            chrome: Chrome::for_session(session, "/channels"),
            chrome_csrf: session.csrf.clone(),
            errors,
            id,
            title: if c.form.account_name.is_empty() {
                "Untitled request".into()
            } else {
                c.form.account_name.clone()
            },
            state: c.state.as_str(),
            state_label: state_label(c.state),
            answers,
            people,
            rejection_reason: c.rejection_reason.clone(),
            history,
            next,
            can_edit: p.user_id == c.requester_id
                && matches!(c.state, ChannelState::Draft | ChannelState::Rejected),
            candidates,
            today: format_day(now_ms()),
            lapsed,
            editor_choices,
            images,
            may_change_images: socialgov_domain::channel_image::may_change_images(p, &c),
            file_error,
        },
    );
    Ok(page)
}

fn describe(action: &str) -> &'static str {
    match action {
        "channel.create" => "Started the request",
        "channel.update" => "Changed the request",
        "channel.submit" => "Submitted",
        "channel.manager_approve" => "Approved as line manager",
        "channel.comms_review" => "Completed communications' review",
        "channel.approve" => "Gave final approval",
        "channel.reject" => "Did not approve",
        "channel.go_live" => "Set up: live",
        "channel.review_due" => "Review due",
        "channel.renew" => "Renewed after review",
        "channel.retire" => "Retired",
        "channel.editors" => "Changed the editors",
        "channel.adopt" => "Adopted into the register",
        "channel.image.add" => "Added an image",
        "channel.image.remove" => "Removed an image",
        _ => "Other change",
    }
}

async fn channel_page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    session.may(Action::RequestChannel)?;
    channel_page_with(&state, &session, id, Vec::new()).await
}

#[derive(Deserialize)]
struct StepForm {
    csrf: String,
    step: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    special_instructions: String,
    #[serde(default)]
    recommendation: String,
    #[serde(default)]
    account_manager_id: String,
    #[serde(default)]
    set_up_on: String,
    #[serde(default)]
    review_on: String,
    #[serde(default)]
    evidence: String,
}

fn step_event(f: &StepForm) -> Result<ChannelEvent, AppError> {
    Ok(match f.step.as_str() {
        "submit" => ChannelEvent::Submit,
        "manager_approve" => ChannelEvent::ManagerApprove,
        "comms_review" => ChannelEvent::CommsReview {
            special_instructions: f.special_instructions.clone(),
            recommendation: f.recommendation.clone(),
        },
        "approve" => ChannelEvent::Approve {
            account_manager_id: f.account_manager_id.trim().parse().map_err(|_| {
                AppError::BadRequest("account_manager_id: choose the account manager".into())
            })?,
            account_manager_trained: false,
        },
        "reject" => ChannelEvent::Reject {
            reason: f.reason.clone(),
        },
        "review_due" => ChannelEvent::ReviewDue,
        "go_live" => ChannelEvent::GoLive {
            set_up_on: required_day(&f.set_up_on, "set_up_on")?,
            review_on: required_day(&f.review_on, "review_on")?,
        },
        "renew" => ChannelEvent::Renew {
            evidence: f.evidence.clone(),
            next_review_on: required_day(&f.review_on, "review_on")?,
        },
        "retire" => ChannelEvent::Retire {
            evidence: f.evidence.clone(),
        },
        other => {
            return Err(AppError::BadRequest(format!(
                "step: unknown step {other:?}"
            )));
        }
    })
}

async fn step(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(f): Form<StepForm>,
) -> Result<Response, PageError> {
    check_csrf(&session, &f.csrf)?;
    session.may(Action::RequestChannel)?;
    let scanner = state
        .packs
        .get(None)
        .cloned()
        .ok_or_else(|| AppError::internal("no default pack"))?;
    let result = match step_event(&f) {
        Ok(event) => {
            channels::apply(
                &state.store,
                &scanner,
                Some(&session.principal),
                id,
                event,
                now_ms(),
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/channels/{id}")).into_response()),
        Err(AppError::Form(problems)) => {
            channel_page_with(
                &state,
                &session,
                id,
                problems.into_iter().map(Into::into).collect(),
            )
            .await
        }
        Err(e @ (AppError::BadRequest(_) | AppError::Conflict(_) | AppError::Refused(_))) => {
            let message = e.to_string();
            let field = [
                "reason",
                "recommendation",
                "account_manager",
                "set_up_on",
                "review_on",
                "evidence",
            ]
            .into_iter()
            .find(|f| message.contains(f) || message.contains(&f.replace('_', " ")))
            .unwrap_or("step");
            channel_page_with(
                &state,
                &session,
                id,
                vec![FieldError {
                    field,
                    message: capitalise(&message),
                }],
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

// ----- Accounts pretending to be the trust -----

struct ImposterRow {
    id: i64,
    platform: String,
    account: String,
    url: String,
    details: String,
    reported: String,
    reporter: String,
    outcome: String,
    /// The register entry an adopted account is.
    channel_id: Option<i64>,
    open: bool,
}

#[derive(Template)]
#[template(path = "imposters.html")]
struct ImpostersPage {
    chrome: Chrome,
    chrome_csrf: String,
    errors: Vec<FieldError>,
    notice: Option<String>,
    platforms: Vec<PlatformChoice>,
    comms: bool,
    rows: Vec<ImposterRow>,
    channels: Vec<Choice>,
    /// Whether this person may adopt an account as a new register entry.
    head_of_comms: bool,
    /// People with in-date social media training, who may manage an adopted account.
    trained: Vec<Choice>,
}

async fn imposters_page_with(
    state: &AppState,
    session: &Session,
    errors: Vec<FieldError>,
    notice: Option<String>,
) -> Result<Response, PageError> {
    session.may(Action::RequestChannel)?;
    let comms = session.principal.may(Action::ManageRegister).is_ok();
    let names: HashMap<i64, String> = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let reports = state
        .store
        .imposter_reports((!comms).then_some(session.principal.user_id))
        .await?;
    let rows = reports
        .into_iter()
        .map(|r| ImposterRow {
            id: r.id,
            platform: Platform::parse(&r.platform)
                .map(|p| p.label().to_owned())
                .unwrap_or(r.platform),
            account: r.handle,
            url: r.url,
            details: r.details,
            reported: format_day(r.created_at),
            reporter: names.get(&r.reporter_id).cloned().unwrap_or_default(),
            outcome: match (r.outcome.as_deref(), r.outcome_note) {
                (Some("adopted"), note) => {
                    format!("Adopted into the register: {}", note.unwrap_or_default())
                }
                (Some(_), note) => format!("Taken down: {}", note.unwrap_or_default()),
                (None, _) => "Open".into(),
            },
            channel_id: r.channel_id,
            open: r.closed_at.is_none(),
        })
        .collect();
    let channels = if comms {
        state
            .store
            .channels(&ChannelFilter::default())
            .await?
            .into_iter()
            .map(|c| Choice {
                id: c.id,
                label: format!("{} ({})", c.form.account_name, c.form.handle),
                selected: false,
            })
            .collect()
    } else {
        Vec::new()
    };
    let head_of_comms = session.principal.has(Role::HeadOfComms);
    let trained = if head_of_comms {
        let trained = state
            .store
            .trained_users(SOCIAL_MEDIA_TRAINING, now_ms())
            .await?;
        let mut people: Vec<Choice> = trained
            .iter()
            .filter_map(|id| {
                names.get(id).map(|name| Choice {
                    id: *id,
                    label: name.clone(),
                    selected: false,
                })
            })
            .collect();
        people.sort_by(|a, b| a.label.cmp(&b.label));
        people
    } else {
        Vec::new()
    };
    let invalid = !errors.is_empty();
    let page = render_form(
        invalid,
        &ImpostersPage {
            chrome: Chrome::for_session(session, "/channels"),
            chrome_csrf: session.csrf.clone(),
            errors,
            notice,
            platforms: Platform::ALL
                .iter()
                .map(|p| PlatformChoice {
                    id: p.as_str(),
                    label: p.label(),
                    selected: false,
                })
                .collect(),
            comms,
            rows,
            channels,
            head_of_comms,
            trained,
        },
    );
    Ok(page)
}

async fn imposters_page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, PageError> {
    imposters_page_with(&state, &session, Vec::new(), None).await
}

#[derive(Deserialize)]
struct ImposterForm {
    csrf: String,
    #[serde(default)]
    platform: String,
    #[serde(default)]
    handle: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    details: String,
}

async fn report_imposter(
    State(state): State<AppState>,
    session: Session,
    Form(f): Form<ImposterForm>,
) -> Result<Response, PageError> {
    check_csrf(&session, &f.csrf)?;
    match channels::report_imposter(
        &state.store,
        &session.principal,
        &f.platform,
        &f.handle,
        &f.url,
        &f.details,
        now_ms(),
    )
    .await
    {
        Ok(_) => {
            imposters_page_with(
                &state,
                &session,
                Vec::new(),
                Some("Thank you. Communications will look into it.".into()),
            )
            .await
        }
        Err(AppError::Form(problems)) => {
            imposters_page_with(
                &state,
                &session,
                problems.into_iter().map(Into::into).collect(),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct OutcomeForm {
    csrf: String,
    outcome: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    channel_id: String,
    #[serde(default)]
    service: String,
    #[serde(default)]
    account_manager_id: String,
    #[serde(default)]
    review_on: String,
}

async fn close_imposter(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(f): Form<OutcomeForm>,
) -> Result<Response, PageError> {
    check_csrf(&session, &f.csrf)?;
    session.may(Action::ManageRegister)?;
    let closed = async {
        let review_on = crate::dates::day_start(&f.review_on, "review_on")?;
        let outcome = channels::ImposterOutcome::from_request(
            &f.outcome,
            crate::web::optional_id(&f.channel_id, "channel_id")?,
            Some(&f.service),
            crate::web::optional_id(&f.account_manager_id, "account_manager_id")?,
            review_on,
        )?;
        channels::close_imposter(
            &state.store,
            &session.principal,
            id,
            outcome,
            &f.note,
            now_ms(),
        )
        .await
    };
    match closed.await {
        Ok(Some(channel)) if f.channel_id.trim().is_empty() => {
            Ok(Redirect::to(&format!("/channels/{channel}")).into_response())
        }
        Ok(_) => Ok(Redirect::to("/imposters").into_response()),
        Err(e @ (AppError::BadRequest(_) | AppError::Conflict(_) | AppError::Refused(_))) => {
            let message = e.to_string();
            let field = [
                ("channel_id", "channel_id"),
                ("service", "service"),
                ("account", "account_manager_id"),
                ("review", "review_on"),
            ]
            .into_iter()
            .find(|(prefix, _)| message.starts_with(prefix))
            .map_or("note", |(_, field)| field);
            imposters_page_with(
                &state,
                &session,
                vec![FieldError {
                    field,
                    message: capitalise(&message),
                }],
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct EditorsForm {
    csrf: String,
    #[serde(default)]
    editors: Vec<String>,
}

async fn set_editors(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(f): Form<EditorsForm>,
) -> Result<Response, PageError> {
    check_csrf(&session, &f.csrf)?;
    session.may(Action::RequestChannel)?;
    let editors = f
        .editors
        .iter()
        .map(|e| {
            e.trim()
                .parse::<i64>()
                .map_err(|_| AppError::BadRequest("editors: choose people from the list".into()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    match channels::set_editors(&state.store, &session.principal, id, editors, now_ms()).await {
        Ok(_) => Ok(Redirect::to(&format!("/channels/{id}")).into_response()),
        Err(AppError::BadRequest(message) | AppError::Conflict(message)) => {
            channel_page_with(
                &state,
                &session,
                id,
                vec![FieldError {
                    field: "editors",
                    message: capitalise(&message),
                }],
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// Adds an image from the channel page's upload form.
async fn add_image(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    request: Request,
) -> Result<Response, PageError> {
    session.may(Action::RequestChannel)?;
    let added = match Upload::read(request, &state).await {
        Ok(upload) => {
            check_csrf(&session, &upload.field("csrf"))?;
            match &upload.file {
                Some((name, bytes)) => {
                    let who = &session.principal;
                    channel_images::add(&state.store, who, id, name, bytes, now_ms()).await
                }
                None => Err(AppError::BadRequest("file: choose an image to add".into())),
            }
        }
        // Too large to read, so too large to check the CSRF token in it: nothing is changed.
        Err(AppError::TooLarge) => Err(AppError::BadRequest(
            "file: the image is larger than 2 MB".into(),
        )),
        Err(e) => Err(e),
    };
    match added {
        Ok(_) => Ok(Redirect::to(&format!("/channels/{id}#images-heading")).into_response()),
        Err(AppError::BadRequest(message)) => {
            let message = message.strip_prefix("file: ").unwrap_or(&message);
            channel_page_with(
                &state,
                &session,
                id,
                vec![FieldError {
                    field: "file",
                    message: capitalise(message),
                }],
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// One image of a channel, for the channel page.
async fn image(
    State(state): State<AppState>,
    session: Session,
    Path((id, image_id)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    session.may(Action::RequestChannel)?;
    let (image, bytes) =
        channel_images::get(&state.store, &session.principal, id, image_id).await?;
    Ok(crate::api_channels::image_response(&image, bytes))
}

#[derive(Deserialize)]
struct CsrfOnly {
    csrf: String,
}

async fn remove_image(
    State(state): State<AppState>,
    session: Session,
    Path((id, image_id)): Path<(i64, i64)>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    check_csrf(&session, &f.csrf)?;
    session.may(Action::RequestChannel)?;
    channel_images::remove(&state.store, &session.principal, id, image_id, now_ms()).await?;
    Ok(Redirect::to(&format!("/channels/{id}#images-heading")).into_response())
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/channels", get(register))
        .route("/channels/new", get(new_page).post(create))
        .route("/channels/{id}", get(channel_page))
        .route("/channels/{id}/edit", get(edit_page).post(update))
        .route("/channels/{id}/step", post(step))
        .route("/channels/{id}/editors", post(set_editors))
        .route(
            "/channels/{id}/images",
            post(add_image).layer(DefaultBodyLimit::max(crate::api_channels::MAX_IMAGE_UPLOAD)),
        )
        .route("/channels/{id}/images/{image_id}", get(image))
        .route(
            "/channels/{id}/images/{image_id}/remove",
            post(remove_image),
        )
        .route("/imposters", get(imposters_page).post(report_imposter))
        .route("/imposters/{id}/outcome", post(close_imposter))
}
