//! The JSON API under `/api/v1`, described by the OpenAPI document at
//! `/api/v1/openapi.json`. Errors are `{"error": "<code>", "message": "…"}`; a client mistake
//! is never a 500.

use std::collections::BTreeSet;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use socialgov_domain::{Action, AuditRecord, Role, User};
use socialgov_engine::Finding;
use socialgov_store::AuditFilter;
use utoipa::{OpenApi, ToSchema};

use crate::accounts::{self, UserRequest};
use crate::auth::ApiCaller;
use crate::error::{AppError, ErrorBody, json_error};
use crate::{AppState, now_ms};

/// `Json<T>` whose rejections are API errors that name what was wrong.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> Response {
    let status = rejection.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return json_error(
            status,
            "payload_too_large",
            "the request body is larger than this server accepts",
        );
    }
    let message = match &rejection {
        JsonRejection::JsonDataError(e) => format!(
            "invalid request body: {}",
            e.body_text()
                .trim_start_matches("Failed to deserialize the JSON body into the target type: ")
        ),
        JsonRejection::JsonSyntaxError(_) => "the request body is not valid JSON".to_owned(),
        JsonRejection::MissingJsonContentType(_) => {
            "send the body as JSON with Content-Type: application/json".to_owned()
        }
        other => other.body_text(),
    };
    let status = if status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
        status
    } else {
        StatusCode::BAD_REQUEST
    };
    json_error(status, "bad_request", message)
}

/// A path parameter whose rejection is an API error (`/api/v1/users/abc` → 400 JSON).
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct Path<T>(pub T);

/// A query string whose rejection is an API error naming the parameter.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct Query<T>(pub T);

/// A text to check or redact.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    /// The post, reply or message, as UTF-8.
    pub text: String,
    /// A policy pack id (see `GET /api/v1/packs`); the server's default when absent.
    pub pack: Option<String>,
}

/// One finding. `start` and `end` are byte offsets into the UTF-8 text, as in
/// `socialgov check --jsonl`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FindingBody {
    pub category: String,
    pub rule: String,
    /// block, warn or info.
    pub severity: String,
    pub kind: String,
    pub start: usize,
    pub end: usize,
    pub message: String,
    /// The clause of the trust's policy the finding rests on.
    pub clause: String,
}

impl From<&Finding> for FindingBody {
    fn from(f: &Finding) -> Self {
        FindingBody {
            category: f.category.as_str().to_owned(),
            rule: f.rule.to_string(),
            severity: f.severity.as_str().to_owned(),
            kind: f.kind.as_str().to_owned(),
            start: f.start,
            end: f.end,
            message: f.rule.message.to_string(),
            clause: f.rule.clause.to_string(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CheckResponse {
    /// The pack the text was checked against.
    pub pack: String,
    /// Whether any finding has severity `block`.
    pub blocked: bool,
    pub findings: Vec<FindingBody>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RedactResponse {
    pub pack: String,
    /// The text with identifiers replaced by markers such as `[NHS NUMBER]`.
    pub text: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PackBody {
    pub id: String,
    pub title: String,
    pub extends: Vec<String>,
    pub default: bool,
}

fn scanner(
    state: &AppState,
    pack: Option<&str>,
) -> Result<std::sync::Arc<socialgov_engine::Scanner>, AppError> {
    state.packs.get(pack).cloned().ok_or_else(|| {
        AppError::BadRequest(format!(
            "pack: no policy pack called {:?}; GET /api/v1/packs lists them",
            pack.unwrap_or("")
        ))
    })
}

/// Check a text against a policy pack.
#[utoipa::path(post, path = "/api/v1/check", request_body = CheckRequest,
    responses((status = 200, body = CheckResponse), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn check(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(req): ApiJson<CheckRequest>,
) -> Result<Json<CheckResponse>, AppError> {
    caller.may(Action::CheckPost)?;
    let scanner = scanner(&state, req.pack.as_deref())?;
    let findings = scanner.check(&req.text);
    Ok(Json(CheckResponse {
        pack: scanner.info().id.clone(),
        blocked: findings
            .iter()
            .any(|f| f.severity == socialgov_engine::Severity::Block),
        findings: findings.iter().map(FindingBody::from).collect(),
    }))
}

/// Replace identifiers in a text with markers.
#[utoipa::path(post, path = "/api/v1/redact", request_body = CheckRequest,
    responses((status = 200, body = RedactResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn redact(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(req): ApiJson<CheckRequest>,
) -> Result<Json<RedactResponse>, AppError> {
    caller.may(Action::CheckPost)?;
    let scanner = scanner(&state, req.pack.as_deref())?;
    Ok(Json(RedactResponse {
        pack: scanner.info().id.clone(),
        text: scanner.redact(&req.text),
    }))
}

/// The policy packs this server checks against.
#[utoipa::path(get, path = "/api/v1/packs", responses((status = 200, body = Vec<PackBody>), (status = 401, body = ErrorBody)))]
pub async fn packs(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<Vec<PackBody>>, AppError> {
    caller.may(Action::CheckPost)?;
    Ok(Json(
        state
            .packs
            .all()
            .map(|s| PackBody {
                id: s.info().id.clone(),
                title: s.info().title.clone(),
                extends: s.info().extends.clone(),
                default: s.info().id == state.packs.default_id(),
            })
            .collect(),
    ))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UserBody {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub department_id: Option<i64>,
    pub manager_id: Option<i64>,
    pub roles: Vec<String>,
    pub disabled: bool,
}

impl From<User> for UserBody {
    fn from(u: User) -> Self {
        UserBody {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            email: u.email,
            department_id: u.department_id,
            manager_id: u.manager_id,
            roles: u.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            disabled: u.disabled_at.is_some(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserBody {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    /// At least 12 characters; without one, the account cannot sign in until one is set.
    pub password: Option<String>,
    pub department_id: Option<i64>,
    pub manager_id: Option<i64>,
    pub roles: Vec<String>,
}

fn parse_roles(names: &[String]) -> Result<BTreeSet<Role>, AppError> {
    names
        .iter()
        .map(|n| {
            n.parse::<Role>()
                .map_err(|e| AppError::BadRequest(format!("roles: {e}")))
        })
        .collect()
}

/// Every user.
#[utoipa::path(get, path = "/api/v1/users", responses((status = 200, body = Vec<UserBody>), (status = 403, body = ErrorBody)))]
pub async fn users(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<Vec<UserBody>>, AppError> {
    caller.may(Action::ViewUsers)?;
    Ok(Json(
        state
            .store
            .users()
            .await?
            .into_iter()
            .map(UserBody::from)
            .collect(),
    ))
}

/// Create a user.
#[utoipa::path(post, path = "/api/v1/users", request_body = NewUserBody,
    responses((status = 201, body = UserBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_user(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(body): ApiJson<NewUserBody>,
) -> Result<(StatusCode, Json<UserBody>), AppError> {
    caller.may(Action::ManageUsers)?;
    let req = UserRequest {
        username: body.username,
        display_name: body.display_name,
        email: body.email,
        password: body.password,
        department_id: body.department_id,
        manager_id: body.manager_id,
        roles: parse_roles(&body.roles)?,
    };
    let user = accounts::create_user(&state.store, &(&caller.0).into(), req, now_ms()).await?;
    Ok((StatusCode::CREATED, Json(user.into())))
}

/// Reads a present field (even `null`) as `Some`, so an absent field stays `None`.
fn present<'de, T: Deserialize<'de>, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// Changes to a user: only the fields present are changed; `null` clears a field.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatchBody {
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub department_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub manager_id: Option<Option<i64>>,
    /// The complete new set of roles.
    pub roles: Option<Vec<String>>,
}

/// Change a user's name, e-mail, department, line manager or roles.
#[utoipa::path(patch, path = "/api/v1/users/{id}", request_body = UserPatchBody,
    params(("id" = i64, Path, description = "The user's id")),
    responses((status = 200, body = UserBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_user(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<UserPatchBody>,
) -> Result<Json<UserBody>, AppError> {
    caller.may(Action::ManageUsers)?;
    let changes = accounts::UserChanges {
        display_name: body.display_name,
        email: body.email,
        department_id: body.department_id,
        manager_id: body.manager_id,
        roles: body.roles.as_deref().map(parse_roles).transpose()?,
    };
    let user =
        accounts::update_user(&state.store, &(&caller.0).into(), id, changes, now_ms()).await?;
    Ok(Json(user.into()))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DepartmentBody {
    pub id: i64,
    pub name: String,
    pub parent_id: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDepartmentBody {
    pub name: String,
    pub parent_id: Option<i64>,
}

/// The trust's departments.
#[utoipa::path(get, path = "/api/v1/departments", responses((status = 200, body = Vec<DepartmentBody>), (status = 403, body = ErrorBody)))]
pub async fn departments(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<Vec<DepartmentBody>>, AppError> {
    caller.may(Action::ViewUsers)?;
    Ok(Json(
        state
            .store
            .departments()
            .await?
            .into_iter()
            .map(|d| DepartmentBody {
                id: d.id,
                name: d.name,
                parent_id: d.parent_id,
            })
            .collect(),
    ))
}

/// Create a department.
#[utoipa::path(post, path = "/api/v1/departments", request_body = NewDepartmentBody,
    responses((status = 201, body = DepartmentBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_department(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(body): ApiJson<NewDepartmentBody>,
) -> Result<(StatusCode, Json<DepartmentBody>), AppError> {
    caller.may(Action::ManageUsers)?;
    let id = accounts::create_department(
        &state.store,
        &(&caller.0).into(),
        &body.name,
        body.parent_id,
        now_ms(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(DepartmentBody {
            id,
            name: body.name.trim().to_owned(),
            parent_id: body.parent_id,
        }),
    ))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RoleBody {
    pub id: String,
    pub label: String,
}

/// The roles a user can hold.
#[utoipa::path(get, path = "/api/v1/roles", responses((status = 200, body = Vec<RoleBody>)))]
pub async fn roles(caller: ApiCaller) -> Result<Json<Vec<RoleBody>>, AppError> {
    caller.may(Action::CheckPost)?;
    Ok(Json(
        Role::ALL
            .iter()
            .map(|r| RoleBody {
                id: r.as_str().into(),
                label: r.label().into(),
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    /// Only actions starting with this, e.g. `user.`.
    pub action: Option<String>,
    /// Only entries by this username.
    pub actor: Option<String>,
    /// At most this many (1 to 500; default 100).
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditBody {
    pub seq: i64,
    /// Milliseconds since the epoch, UTC.
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub hash: String,
}

impl From<AuditRecord> for AuditBody {
    fn from(r: AuditRecord) -> Self {
        AuditBody {
            seq: r.seq,
            at: r.entry.at,
            actor: r.entry.actor,
            action: r.entry.action,
            target: r.entry.target,
            before: r.entry.before,
            after: r.entry.after,
            hash: r.hash,
        }
    }
}

/// The audit log, newest first.
#[utoipa::path(get, path = "/api/v1/audit", params(AuditQuery), responses((status = 200, body = Vec<AuditBody>), (status = 403, body = ErrorBody)))]
pub async fn audit(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Vec<AuditBody>>, AppError> {
    caller.may(Action::ViewAudit)?;
    let filter = AuditFilter {
        action_prefix: q.action,
        actor: q.actor,
        ..Default::default()
    };
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    let records = state
        .store
        .audit_entries(&filter, limit, q.offset.unwrap_or(0).max(0))
        .await?;
    Ok(Json(records.into_iter().map(AuditBody::from).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTokenBody {
    /// The user the token acts as.
    pub owner: String,
    /// What uses it, e.g. "intranet publishing plug-in".
    pub name: String,
    /// Scopes: check_post, view_users, manage_users, view_audit, manage_api_tokens.
    pub scopes: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NewTokenResponse {
    pub id: i64,
    /// The secret: send it as `Authorization: Bearer <token>`. Shown once; only its hash is kept.
    pub token: String,
}

/// Issue an API token.
#[utoipa::path(post, path = "/api/v1/tokens", request_body = NewTokenBody,
    responses((status = 201, body = NewTokenResponse), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_token(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(body): ApiJson<NewTokenBody>,
) -> Result<(StatusCode, Json<NewTokenResponse>), AppError> {
    caller.may(Action::ManageApiTokens)?;
    let scopes = body
        .scopes
        .iter()
        .map(|s| {
            Action::parse(s)
                .ok_or_else(|| AppError::BadRequest(format!("scopes: unknown scope {s:?}")))
        })
        .collect::<Result<BTreeSet<_>, _>>()?;
    let (id, token) = accounts::issue_token(
        &state.store,
        &(&caller.0).into(),
        &body.owner,
        &body.name,
        scopes,
        now_ms(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(NewTokenResponse { id, token })))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TokenBody {
    pub id: i64,
    pub owner_id: i64,
    pub name: String,
    pub scopes: Vec<String>,
    /// Milliseconds since the epoch, UTC.
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

/// Every API token issued (never their secrets), newest first.
#[utoipa::path(get, path = "/api/v1/tokens", responses((status = 200, body = Vec<TokenBody>), (status = 403, body = ErrorBody)))]
pub async fn tokens(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<Vec<TokenBody>>, AppError> {
    caller.may(Action::ManageApiTokens)?;
    Ok(Json(
        state
            .store
            .api_tokens()
            .await?
            .into_iter()
            .map(|t| TokenBody {
                id: t.id,
                owner_id: t.user_id,
                name: t.name,
                scopes: t.scopes.iter().map(|s| s.as_str().to_owned()).collect(),
                created_at: t.created_at,
                revoked_at: t.revoked_at,
            })
            .collect(),
    ))
}

/// Revoke an API token.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", params(("id" = i64, Path, description = "The token's id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    caller.may(Action::ManageApiTokens)?;
    accounts::revoke_token(&state.store, &(&caller.0).into(), id, now_ms()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "socialgov API",
        description = "Social media governance for NHS trusts. Authenticate with `Authorization: Bearer <token>`, or a browser session plus `X-CSRF-Token`."
    ),
    paths(
        check,
        redact,
        packs,
        users,
        create_user,
        update_user,
        departments,
        create_department,
        roles,
        audit,
        tokens,
        create_token,
        revoke_token,
        crate::api_channels::list,
        crate::api_channels::create,
        crate::api_channels::show,
        crate::api_channels::update_form,
        crate::api_channels::event,
        crate::api_channels::record_training,
        crate::api_channels::notifications,
        crate::api_channels::register,
        crate::api_channels::register_csv,
        crate::api_channels::import_training,
        crate::api_channels::set_editors,
        crate::api_channels::report_imposter,
        crate::api_channels::imposters,
        crate::api_channels::close_imposter,
        crate::api_channels::read_notifications,
        crate::api_channels::images,
        crate::api_channels::add_image,
        crate::api_channels::image,
        crate::api_channels::remove_image
    )
)]
pub struct ApiDoc;

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

async fn not_found() -> Response {
    json_error(StatusCode::NOT_FOUND, "not_found", "no such API endpoint").into_response()
}

async fn method_not_allowed() -> Response {
    json_error(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not take that method; see /api/v1/openapi.json",
    )
    .into_response()
}

pub fn routes() -> Router<AppState> {
    let v1 = Router::new()
        .route("/check", post(check))
        .route("/redact", post(redact))
        .route("/packs", get(packs))
        .route("/users", get(users).post(create_user))
        .route("/users/{id}", axum::routing::patch(update_user))
        .route("/departments", get(departments).post(create_department))
        .route("/roles", get(roles))
        .route("/audit", get(audit))
        .route("/tokens", get(tokens).post(create_token))
        .route("/tokens/{id}", delete(revoke_token))
        .merge(crate::api_channels::routes())
        .route("/openapi.json", get(openapi))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);
    Router::new().nest("/api/v1", v1)
}
