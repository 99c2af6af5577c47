//! One error type for every handler. It logs the cause and answers with a stable code and a
//! message that never leaks internals: `{"error": "<code>", "message": "…"}` for the API, a
//! page in the NHS design system for the browser.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use socialgov_domain::Denied;
use socialgov_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("sign in to continue")]
    SignInRequired,
    #[error("a valid session or API token is required")]
    Unauthenticated,
    #[error("the form or request is missing its CSRF token, or it does not match the session")]
    Csrf,
    #[error("{0}")]
    Forbidden(#[from] Denied),
    /// A step the caller may not take on this record (not their approval, their own request).
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    BadRequest(String),
    /// A form with problems, each naming its field.
    #[error("{}", .0.iter().map(|p| format!("{}: {}", p.field, p.message)).collect::<Vec<_>>().join("; "))]
    Form(Vec<socialgov_domain::channel_form::FormProblem>),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    #[error("too many failed sign-in attempts; try again in a few minutes")]
    RateLimited,
    #[error("the request body is larger than this server accepts")]
    TooLarge,
    #[error("something went wrong on our side")]
    Internal(String),
}

impl AppError {
    pub fn internal(cause: impl Into<String>) -> AppError {
        AppError::Internal(cause.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::SignInRequired | AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Csrf | AppError::Forbidden(_) | AppError::Refused(_) => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) | AppError::Form(_) => StatusCode::BAD_REQUEST,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code clients can match on.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::SignInRequired | AppError::Unauthenticated => "unauthenticated",
            AppError::Csrf => "csrf",
            AppError::Forbidden(_) | AppError::Refused(_) => "forbidden",
            AppError::BadRequest(_) | AppError::Form(_) => "bad_request",
            AppError::NotFound(_) => "not_found",
            AppError::Conflict(_) => "conflict",
            AppError::RateLimited => "rate_limited",
            AppError::TooLarge => "payload_too_large",
            AppError::Internal(_) => "internal",
        }
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> AppError {
        match err {
            StoreError::Conflict(what) => AppError::Conflict(format!("{what} already exists")),
            StoreError::NotFound(what) => AppError::NotFound(what),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<axum::extract::rejection::PathRejection> for AppError {
    fn from(rejection: axum::extract::rejection::PathRejection) -> AppError {
        AppError::BadRequest(format!("in the path: {}", rejection.body_text()))
    }
}

impl From<axum::extract::rejection::QueryRejection> for AppError {
    fn from(rejection: axum::extract::rejection::QueryRejection) -> AppError {
        AppError::BadRequest(rejection.body_text())
    }
}

impl From<socialgov_domain::AccountError> for AppError {
    fn from(err: socialgov_domain::AccountError) -> AppError {
        AppError::BadRequest(err.to_string())
    }
}

/// The JSON body of an API error.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A stable code: unauthenticated, csrf, forbidden, bad_request, not_found, conflict,
    /// method_not_allowed, payload_too_large, rate_limited, internal.
    pub error: String,
    /// What was wrong, for people.
    pub message: String,
}

/// Builds an API error response.
pub fn json_error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    let body = ErrorBody {
        error: code.to_owned(),
        message: message.into(),
    };
    (status, axum::Json(body)).into_response()
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(cause) = &self {
            // The cause stays in the log; the client gets the generic message.
            tracing::error!(%cause, "internal error");
        }
        json_error(self.status(), self.code(), self.to_string())
    }
}

/// An error on a web page: sign-in problems go to the login page, the rest render as a page.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(err: E) -> PageError {
        PageError(err.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self.0 {
            AppError::SignInRequired | AppError::Unauthenticated => {
                Redirect::to("/login").into_response()
            }
            err => {
                if let AppError::Internal(cause) = &err {
                    tracing::error!(%cause, "internal error");
                }
                crate::web::error_page(err.status(), &err.to_string())
            }
        }
    }
}
