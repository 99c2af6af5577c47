//! Who is asking: sessions (cookie + CSRF token) for the browser, bearer tokens for
//! integrations, and password hashing (argon2id). Secrets are stored only as hashes.

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use sha2::{Digest, Sha256};
use socialgov_domain::{Action, Principal};

use crate::error::{AppError, PageError};
use crate::{AppState, now_ms};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "socialgov_session";
/// The header a script sends its session's CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A new random secret: 32 bytes, hex.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// How a secret (session or API token) is stored: its SHA-256. Secrets are random and long,
/// so a fast hash is enough; passwords use argon2id.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Hashes a password with argon2id and a random salt, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(format!("argon2: {e}")))
}

/// Whether `password` matches the PHC string `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash to verify against when the user does not exist, so a login takes as long for an
/// unknown name as for a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not a real password").unwrap_or_default())
}

/// The session cookie for a new session.
pub fn session_cookie(secret: String, secure: bool, hours: u32) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, secret))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .path("/")
        .max_age(time_hours(hours))
        .build()
}

fn time_hours(hours: u32) -> time::Duration {
    time::Duration::hours(i64::from(hours))
}

/// A signed-in browser user: the principal, and the session's CSRF token for forms.
#[derive(Debug, Clone)]
pub struct Session {
    pub principal: Principal,
    pub display_name: String,
    pub csrf: String,
    pub token_hash: String,
}

impl Session {
    /// Refuses unless the principal may do `action`.
    pub fn may(&self, action: Action) -> Result<(), AppError> {
        self.principal.may(action).map_err(AppError::from)
    }
}

fn principal_of(
    user: &socialgov_domain::User,
    scopes: Option<std::collections::BTreeSet<Action>>,
) -> Principal {
    Principal {
        user_id: user.id,
        username: user.username.clone(),
        roles: user.roles.clone(),
        scopes,
    }
}

/// The session named by the request's cookie, if any and live.
pub async fn session_of(state: &AppState, jar: &CookieJar) -> Result<Option<Session>, AppError> {
    let Some(cookie) = jar.get(SESSION_COOKIE) else {
        return Ok(None);
    };
    let token_hash = secret_hash(cookie.value());
    let Some(row) = state.store.session(&token_hash, now_ms()).await? else {
        return Ok(None);
    };
    Ok(Some(Session {
        principal: principal_of(&row.user, None),
        display_name: row.user.display_name.clone(),
        csrf: row.csrf_token,
        token_hash,
    }))
}

impl FromRequestParts<AppState> for Session {
    type Rejection = PageError;

    /// A page that needs a signed-in user: without one, the browser is sent to the login page.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let jar = CookieJar::from_headers(&parts.headers);
        Ok(session_of(state, &jar)
            .await?
            .ok_or(AppError::SignInRequired)?)
    }
}

/// The caller of an API endpoint: a bearer token, or a browser session that sends its CSRF
/// token in `X-CSRF-Token` for anything but a read.
#[derive(Debug, Clone)]
pub struct ApiCaller(pub Principal);

impl ApiCaller {
    pub fn may(&self, action: Action) -> Result<(), AppError> {
        self.0.may(action).map_err(AppError::from)
    }
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if let Some(token) = bearer {
            let owner = state
                .store
                .token_owner(&secret_hash(token.trim()))
                .await?
                .ok_or(AppError::Unauthenticated)?;
            return Ok(ApiCaller(principal_of(&owner.user, Some(owner.scopes))));
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let session = session_of(state, &jar)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD);
        let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
        if !safe && sent != Some(session.csrf.as_str()) {
            return Err(AppError::Csrf);
        }
        Ok(ApiCaller(session.principal))
    }
}
