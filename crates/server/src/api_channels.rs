//! `/api/v1/channels`, `/api/v1/training` and `/api/v1/notifications`: the channel register
//! and its request workflow (SPEC §2) over JSON. Dates are `YYYY-MM-DD` (UTC).

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use socialgov_domain::Action;
use socialgov_domain::channel::{Channel, ChannelEvent, ChannelState};
use socialgov_domain::channel_form::ChannelForm;
use socialgov_store::ChannelFilter;
use utoipa::{IntoParams, ToSchema};

use crate::api::{ApiJson, Path, Query};
use crate::auth::ApiCaller;
use crate::dates::{format_day, required_day};
use crate::error::{AppError, ErrorBody};
use crate::upload::Upload;
use crate::{AppState, now_ms};
use crate::{channel_images, channels};

/// A channel as the API shows it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChannelBody {
    pub id: i64,
    /// draft, submitted, manager_approved, comms_reviewed, approved, active, review_due,
    /// retired or rejected.
    pub state: String,
    pub requester_id: i64,
    pub requester_manager_id: Option<i64>,
    /// The request form (SPEC §2): service, platform, why_channel, …, handle, profile_url.
    #[schema(value_type = Object)]
    pub form: serde_json::Value,
    pub special_instructions: String,
    pub recommendation: String,
    pub account_manager_id: Option<i64>,
    pub editors: Vec<i64>,
    pub rejection_reason: Option<String>,
    pub set_up_on: Option<String>,
    pub review_on: Option<String>,
    pub review_evidence: Option<String>,
}

fn body(c: Channel, editors: Vec<i64>) -> ChannelBody {
    ChannelBody {
        id: c.id,
        state: c.state.as_str().to_owned(),
        requester_id: c.requester_id,
        requester_manager_id: c.requester_manager_id,
        form: serde_json::to_value(&c.form).unwrap_or_default(),
        special_instructions: c.special_instructions,
        recommendation: c.recommendation,
        account_manager_id: c.account_manager_id,
        editors,
        rejection_reason: c.rejection_reason,
        set_up_on: c.set_up_on.map(format_day),
        review_on: c.review_on.map(format_day),
        review_evidence: c.review_evidence,
    }
}

/// A request form, whole. Unknown fields are refused, naming them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FormBody {
    #[schema(value_type = Object)]
    pub form: ChannelForm,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ChannelQuery {
    /// Only channels in this state.
    pub state: Option<String>,
    /// Only channels you requested, approve, manage or edit.
    pub mine: Option<bool>,
}

/// The register: channels you may see, newest first.
#[utoipa::path(get, path = "/api/v1/channels", params(ChannelQuery),
    responses((status = 200, body = Vec<ChannelBody>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<ChannelQuery>,
) -> Result<Json<Vec<ChannelBody>>, AppError> {
    caller.may(Action::RequestChannel)?;
    let wanted = match q.state.as_deref() {
        None | Some("") => None,
        Some(s) => Some(
            ChannelState::parse(s)
                .ok_or_else(|| AppError::BadRequest(format!("state: unknown state {s:?}")))?,
        ),
    };
    let filter = ChannelFilter {
        state: wanted,
        involving: q.mine.unwrap_or(false).then_some(caller.0.user_id),
        service: None,
    };
    let mut editors = state.store.editors_by_channel().await?;
    let mut out = Vec::new();
    for c in state.store.channels(&filter).await? {
        let on_it = editors.remove(&c.id).unwrap_or_default();
        if channels::may_view(&caller.0, &c, &on_it) {
            out.push(body(c, on_it));
        }
    }
    Ok(Json(out))
}

/// Start a request (saved as a draft; it can be finished later).
#[utoipa::path(post, path = "/api/v1/channels", request_body = FormBody,
    responses((status = 201, body = ChannelBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(b): ApiJson<FormBody>,
) -> Result<(StatusCode, Json<ChannelBody>), AppError> {
    caller.may(Action::RequestChannel)?;
    let c = channels::create_draft(&state.store, &caller.0, b.form, now_ms()).await?;
    Ok((StatusCode::CREATED, Json(body(c, Vec::new()))))
}

/// One channel.
#[utoipa::path(get, path = "/api/v1/channels/{id}", params(("id" = i64, Path, description = "The channel's id")),
    responses((status = 200, body = ChannelBody), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<ChannelBody>, AppError> {
    caller.may(Action::RequestChannel)?;
    match state.store.channel(id).await? {
        Some((c, editors)) if channels::may_view(&caller.0, &c, &editors) => {
            Ok(Json(body(c, editors)))
        }
        _ => Err(AppError::NotFound("channel")),
    }
}

/// Replace the form of a draft or rejected request (its requester only).
#[utoipa::path(put, path = "/api/v1/channels/{id}/form", request_body = FormBody, params(("id" = i64, Path, description = "The channel's id")),
    responses((status = 200, body = ChannelBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update_form(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<FormBody>,
) -> Result<Json<ChannelBody>, AppError> {
    caller.may(Action::RequestChannel)?;
    let c = channels::update_form(&state.store, &caller.0, id, b.form, now_ms()).await?;
    Ok(Json(body(c, Vec::new())))
}

/// A step in the request's life.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventBody {
    /// The requester sends the request (or resends it after a rejection).
    Submit,
    /// The requester's line manager agrees.
    ManagerApprove,
    /// Communications completes the planning fields.
    CommsReview {
        special_instructions: String,
        recommendation: String,
    },
    /// The head of communications approves and names the account manager.
    Approve { account_manager_id: i64 },
    /// An approver turns the request down.
    Reject { reason: String },
    /// Communications has set the channel up (dates YYYY-MM-DD).
    GoLive {
        set_up_on: String,
        review_on: String,
    },
    /// The review found the channel meets its objectives.
    Renew {
        evidence: String,
        next_review_on: String,
    },
    /// The review found it does not; its exit strategy has been carried out.
    Retire { evidence: String },
}

impl EventBody {
    fn into_event(self) -> Result<ChannelEvent, AppError> {
        Ok(match self {
            EventBody::Submit => ChannelEvent::Submit,
            EventBody::ManagerApprove => ChannelEvent::ManagerApprove,
            EventBody::CommsReview {
                special_instructions,
                recommendation,
            } => ChannelEvent::CommsReview {
                special_instructions,
                recommendation,
            },
            EventBody::Approve { account_manager_id } => ChannelEvent::Approve {
                account_manager_id,
                account_manager_trained: false,
            },
            EventBody::Reject { reason } => ChannelEvent::Reject { reason },
            EventBody::GoLive {
                set_up_on,
                review_on,
            } => ChannelEvent::GoLive {
                set_up_on: required_day(&set_up_on, "set_up_on")?,
                review_on: required_day(&review_on, "review_on")?,
            },
            EventBody::Renew {
                evidence,
                next_review_on,
            } => ChannelEvent::Renew {
                evidence,
                next_review_on: required_day(&next_review_on, "next_review_on")?,
            },
            EventBody::Retire { evidence } => ChannelEvent::Retire { evidence },
        })
    }
}

/// Move a request or channel on: submit, approve, review, reject, set up, renew, retire.
/// Refused with 403 when it is not yours to do, 409 when the channel is not at that step.
#[utoipa::path(post, path = "/api/v1/channels/{id}/events", request_body = EventBody, params(("id" = i64, Path, description = "The channel's id")),
    responses((status = 200, body = ChannelBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn event(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<EventBody>,
) -> Result<Json<ChannelBody>, AppError> {
    caller.may(Action::RequestChannel)?;
    let scanner = state
        .packs
        .get(None)
        .cloned()
        .ok_or_else(|| AppError::internal("no default pack"))?;
    let c = channels::apply(
        &state.store,
        &scanner,
        Some(&caller.0),
        id,
        b.into_event()?,
        now_ms(),
    )
    .await?;
    let editors = state
        .store
        .channel(c.id)
        .await?
        .map(|(_, e)| e)
        .unwrap_or_default();
    Ok(Json(body(c, editors)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImposterBody {
    /// facebook, x, instagram, linkedin, youtube, tiktok, threads, bluesky, mastodon, other.
    pub platform: String,
    #[serde(default)]
    pub handle: String,
    #[serde(default)]
    pub url: String,
    /// Why it looks like the trust's, and where it was seen.
    pub details: String,
}

/// Report an account that claims to be the trust's but is not on the register.
#[utoipa::path(post, path = "/api/v1/imposters", request_body = ImposterBody,
    responses((status = 201, body = CreatedBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn report_imposter(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(b): ApiJson<ImposterBody>,
) -> Result<(StatusCode, Json<CreatedBody>), AppError> {
    caller.may(Action::RequestChannel)?;
    let id = channels::report_imposter(
        &state.store,
        &caller.0,
        &b.platform,
        &b.handle,
        &b.url,
        &b.details,
        now_ms(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(CreatedBody { id })))
}

/// Imposter reports: all of them for communications, your own for everyone else.
#[utoipa::path(get, path = "/api/v1/imposters", responses((status = 200, body = Vec<Object>), (status = 401, body = ErrorBody)))]
pub async fn imposters(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<Vec<socialgov_store::ImposterReport>>, AppError> {
    caller.may(Action::RequestChannel)?;
    let only = caller
        .0
        .may(Action::ManageRegister)
        .is_err()
        .then_some(caller.0.user_id);
    Ok(Json(state.store.imposter_reports(only).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeBody {
    /// adopted or taken_down.
    pub outcome: String,
    /// What was done.
    pub note: String,
    /// For `adopted`, when the account is already on the register: its entry.
    pub channel_id: Option<i64>,
    /// For `adopted` as a new register entry (head of communications): the service that
    /// will run it, its account manager (with in-date training) and its first review date
    /// (YYYY-MM-DD, within a year).
    pub service: Option<String>,
    pub account_manager_id: Option<i64>,
    pub review_on: Option<String>,
}

/// The register entry an adopted account is.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeReply {
    pub channel_id: Option<i64>,
}

/// Close an imposter report (communications).
#[utoipa::path(post, path = "/api/v1/imposters/{id}/outcome", request_body = OutcomeBody, params(("id" = i64, Path, description = "The report's id")),
    responses((status = 200, body = OutcomeReply), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn close_imposter(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<OutcomeBody>,
) -> Result<Json<OutcomeReply>, AppError> {
    caller.may(Action::ManageRegister)?;
    let review_on = match b.review_on.as_deref() {
        Some(day) => Some(required_day(day, "review_on")?),
        None => None,
    };
    let outcome = channels::ImposterOutcome::from_request(
        &b.outcome,
        b.channel_id,
        b.service.as_deref(),
        b.account_manager_id,
        review_on,
    )?;
    let channel_id =
        channels::close_imposter(&state.store, &caller.0, id, outcome, &b.note, now_ms()).await?;
    Ok(Json(OutcomeReply { channel_id }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditorsBody {
    /// The user ids of every editor; each needs in-date social media training.
    pub editors: Vec<i64>,
}

/// Replace a channel's editors (communications or the channel's account manager).
#[utoipa::path(put, path = "/api/v1/channels/{id}/editors", request_body = EditorsBody, params(("id" = i64, Path, description = "The channel's id")),
    responses((status = 200, body = ChannelBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn set_editors(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<EditorsBody>,
) -> Result<Json<ChannelBody>, AppError> {
    caller.may(Action::RequestChannel)?;
    channels::set_editors(&state.store, &caller.0, id, b.editors, now_ms()).await?;
    let (c, editors) = state
        .store
        .channel(id)
        .await?
        .ok_or(AppError::NotFound("channel"))?;
    Ok(Json(body(c, editors)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingBody {
    pub user_id: i64,
    /// social_media, information_governance or induction.
    pub kind: String,
    pub completed_on: String,
    pub expires_on: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreatedBody {
    pub id: i64,
}

/// Record a completed training (communications).
#[utoipa::path(post, path = "/api/v1/training", request_body = TrainingBody,
    responses((status = 201, body = CreatedBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn record_training(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(b): ApiJson<TrainingBody>,
) -> Result<(StatusCode, Json<CreatedBody>), AppError> {
    caller.may(Action::ManageRegister)?;
    let completed = required_day(&b.completed_on, "completed_on")?;
    let expires = match b.expires_on.as_deref() {
        Some(d) => Some(required_day(d, "expires_on")?),
        None => None,
    };
    let id = channels::record_training(
        &state.store,
        &caller.0,
        b.user_id,
        &b.kind,
        completed,
        expires,
        now_ms(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(CreatedBody { id })))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportBody {
    /// The CSV export, header row first.
    pub csv: String,
    /// Which columns hold what: {"person", "kind_column" or "kind", "completed", "expires"?}.
    #[schema(value_type = Object)]
    pub mapping: socialgov_domain::training::ColumnMapping,
    /// Only check and report; write nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Import training records from a staff records system's CSV export (communications).
/// Nothing is written on a dry run or when any row is bad; every bad row is reported by line.
#[utoipa::path(post, path = "/api/v1/training/import", request_body = ImportBody,
    responses((status = 200, body = channels::ImportReport), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn import_training(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(b): ApiJson<ImportBody>,
) -> Result<Json<channels::ImportReport>, AppError> {
    caller.may(Action::ManageRegister)?;
    Ok(Json(
        channels::import_training(
            &state.store,
            &caller.0,
            &b.csv,
            &b.mapping,
            b.dry_run,
            now_ms(),
        )
        .await?,
    ))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NotificationBody {
    pub message: String,
    pub link: String,
    pub created_at: i64,
    pub read: bool,
}

/// Your notifications, unread first.
#[utoipa::path(get, path = "/api/v1/notifications", responses((status = 200, body = Vec<NotificationBody>), (status = 401, body = ErrorBody)))]
pub async fn notifications(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<Vec<NotificationBody>>, AppError> {
    caller.may(Action::RequestChannel)?;
    let list = state.store.notifications(caller.0.user_id, 100).await?;
    Ok(Json(
        list.into_iter()
            .map(|n| NotificationBody {
                message: n.message,
                link: n.link,
                created_at: n.created_at,
                read: n.read_at.is_some(),
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RegisterQuery {
    /// Only channels in this state.
    pub state: Option<String>,
    /// Only channels of this service.
    pub service: Option<String>,
}

impl RegisterQuery {
    fn filter(&self) -> Result<ChannelFilter, AppError> {
        let state = match self.state.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => Some(
                ChannelState::parse(s)
                    .ok_or_else(|| AppError::BadRequest(format!("state: unknown state {s:?}")))?,
            ),
        };
        let service = self
            .service
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        Ok(ChannelFilter {
            state,
            involving: None,
            service,
        })
    }
}

/// The register as a table: every channel you may see, with platform, handle, address,
/// account manager, editors, set-up and review dates, and state. It answers "which
/// corporate pages do we have, where, and since when".
#[utoipa::path(get, path = "/api/v1/register", params(RegisterQuery),
    responses((status = 200, body = Vec<channels::RegisterEntry>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<RegisterQuery>,
) -> Result<Json<Vec<channels::RegisterEntry>>, AppError> {
    caller.may(Action::RequestChannel)?;
    Ok(Json(
        channels::register(&state.store, &caller.0, &q.filter()?).await?,
    ))
}

/// The same register as CSV, for spreadsheets and FOI answers.
#[utoipa::path(get, path = "/api/v1/register.csv", params(RegisterQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn register_csv(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<RegisterQuery>,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    caller.may(Action::RequestChannel)?;
    let rows = channels::register(&state.store, &caller.0, &q.filter()?).await?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"socialgov-register.csv\"",
            ),
        ],
        channels::register_csv(&rows),
    )
        .into_response())
}

/// Mark all your notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/read", responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn read_notifications(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<StatusCode, AppError> {
    caller.may(Action::RequestChannel)?;
    channels::mark_notifications_read(&state.store, &caller.0, now_ms()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An image of a channel as the API lists it (its bytes are at its own address).
#[derive(Debug, Serialize, ToSchema)]
pub struct ImageBody {
    pub id: i64,
    pub file_name: String,
    /// image/png, image/jpeg, image/gif or image/webp, from the file's bytes.
    pub content_type: String,
    pub width: i64,
    pub height: i64,
    pub bytes: i64,
    pub sha256: String,
    pub uploaded_by: i64,
    /// `YYYY-MM-DD HH:MM:SS`, UTC.
    pub uploaded_at: String,
}

impl From<socialgov_store::ChannelImage> for ImageBody {
    fn from(i: socialgov_store::ChannelImage) -> ImageBody {
        ImageBody {
            id: i.id,
            file_name: i.file_name,
            content_type: i.content_type,
            width: i.width,
            height: i.height,
            bytes: i.byte_size,
            sha256: i.sha256,
            uploaded_by: i.uploaded_by,
            uploaded_at: crate::dates::format_time(i.uploaded_at),
        }
    }
}

/// The image's bytes, as its own type, never to be sniffed or run as anything else.
pub(crate) fn image_response(image: &socialgov_store::ChannelImage, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, image.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "inline; filename=\"{}\"",
                    // A header carries visible ASCII only.
                    image
                        .file_name
                        .chars()
                        .map(|c| if c.is_ascii_graphic() || c == ' ' {
                            c
                        } else {
                            '_'
                        })
                        .collect::<String>()
                ),
            ),
            (header::CACHE_CONTROL, "private, max-age=3600".to_owned()),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox".to_owned(),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// A channel's profile and cover images.
#[utoipa::path(get, path = "/api/v1/channels/{id}/images", params(("id" = i64, Path, description = "The channel's id")),
    responses((status = 200, body = Vec<ImageBody>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn images(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<ImageBody>>, AppError> {
    caller.may(Action::RequestChannel)?;
    let images = channel_images::list(&state.store, &caller.0, id).await?;
    Ok(Json(images.into_iter().map(ImageBody::from).collect()))
}

/// Add an image: `multipart/form-data` with the file in a field called `file`; PNG, JPEG, GIF
/// or WebP, at most 2 MB, six to a channel.
#[utoipa::path(post, path = "/api/v1/channels/{id}/images", params(("id" = i64, Path, description = "The channel's id")),
    request_body(content_type = "multipart/form-data", content = String, description = "the image, in a field called file"),
    responses((status = 201, body = ImageBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn add_image(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    request: Request,
) -> Result<(StatusCode, Json<ImageBody>), AppError> {
    caller.may(Action::RequestChannel)?;
    let upload = Upload::read(request, &state).await?;
    let (name, bytes) = upload.file.ok_or_else(|| {
        AppError::BadRequest("file: send the image in a field called file".into())
    })?;
    let image = channel_images::add(&state.store, &caller.0, id, &name, &bytes, now_ms()).await?;
    Ok((StatusCode::CREATED, Json(image.into())))
}

/// One image's bytes.
#[utoipa::path(get, path = "/api/v1/channels/{id}/images/{image_id}", params(("id" = i64, Path, description = "The channel's id"), ("image_id" = i64, Path, description = "The image's id")),
    responses((status = 200, content_type = "image/*", body = Vec<u8>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn image(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, image_id)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    caller.may(Action::RequestChannel)?;
    let (image, bytes) = channel_images::get(&state.store, &caller.0, id, image_id).await?;
    Ok(image_response(&image, bytes))
}

/// Remove an image.
#[utoipa::path(delete, path = "/api/v1/channels/{id}/images/{image_id}", params(("id" = i64, Path, description = "The channel's id"), ("image_id" = i64, Path, description = "The image's id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_image(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, image_id)): Path<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    caller.may(Action::RequestChannel)?;
    channel_images::remove(&state.store, &caller.0, id, image_id, now_ms()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The largest request body an image upload may have: the image and the form around it.
pub(crate) const MAX_IMAGE_UPLOAD: usize =
    socialgov_domain::channel_image::MAX_IMAGE_BYTES + 64 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/register", get(register))
        .route("/register.csv", get(register_csv))
        .route("/channels", get(list).post(create))
        .route("/channels/{id}", get(show))
        .route("/channels/{id}/form", put(update_form))
        .route("/channels/{id}/events", post(event))
        .route("/channels/{id}/editors", put(set_editors))
        .route(
            "/channels/{id}/images",
            get(images)
                .post(add_image)
                .layer(DefaultBodyLimit::max(MAX_IMAGE_UPLOAD)),
        )
        .route(
            "/channels/{id}/images/{image_id}",
            get(image).delete(remove_image),
        )
        .route("/imposters", get(imposters).post(report_imposter))
        .route("/imposters/{id}/outcome", post(close_imposter))
        .route("/training", post(record_training))
        .route("/training/import", post(import_training))
        .route("/notifications", get(notifications))
        .route("/notifications/read", post(read_notifications))
}
