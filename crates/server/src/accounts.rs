//! Account workflows shared by the web pages, the API and the command line: sign in and out,
//! create and change users, issue and revoke API tokens. Each change is one transaction with
//! its audit entry.

use std::collections::BTreeSet;

use serde::Serialize;
use socialgov_domain::{Action, AuditEntry, Password, Principal, Role, User, Username};
use socialgov_store::{NewUser, Store};

use crate::auth::{dummy_hash, hash_password, new_secret, secret_hash, verify_password};
use crate::config::Config;
use crate::error::AppError;

/// Who an audit entry names as the actor.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<i64>,
    pub name: String,
}

impl Actor {
    /// The system itself (start-up, the command line run by an operator).
    pub fn system() -> Actor {
        Actor {
            id: None,
            name: "system".into(),
        }
    }
}

impl From<&Principal> for Actor {
    fn from(p: &Principal) -> Actor {
        Actor {
            id: Some(p.user_id),
            name: p.username.clone(),
        }
    }
}

/// What an audit entry records of a user: never a password or its hash.
#[derive(Serialize)]
struct UserState<'a> {
    username: &'a str,
    display_name: &'a str,
    email: Option<&'a str>,
    department_id: Option<i64>,
    manager_id: Option<i64>,
    roles: Vec<&'static str>,
    disabled: bool,
}

fn state_json(user: &User) -> String {
    serde_json::to_string(&UserState {
        username: &user.username,
        display_name: &user.display_name,
        email: user.email.as_deref(),
        department_id: user.department_id,
        manager_id: user.manager_id,
        roles: user.roles.iter().map(|r| r.as_str()).collect(),
        disabled: user.disabled_at.is_some(),
    })
    .unwrap_or_default()
}

/// An audit entry for `action` on `target` by `actor` at `now`.
pub fn entry(actor: &Actor, now: i64, action: &str, target: String) -> AuditEntry {
    AuditEntry {
        at: now,
        actor_id: actor.id,
        actor: actor.name.clone(),
        action: action.to_owned(),
        target,
        before: None,
        after: None,
    }
}

/// Argon2 is slow on purpose; keep it off the async workers.
async fn hash_off_thread(password: Password) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_password(password.expose()))
        .await
        .map_err(|e| AppError::internal(e.to_string()))?
}

/// A login name as stored (`Admin` is `admin`); a name that cannot be one is kept as given,
/// so it is simply not found.
fn canonical(username: &str) -> String {
    Username::parse(username).map_or_else(|_| username.to_owned(), |u| u.to_string())
}

/// A new account, as asked for.
#[derive(Debug, Clone)]
pub struct UserRequest {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub password: Option<String>,
    pub department_id: Option<i64>,
    pub manager_id: Option<i64>,
    pub roles: BTreeSet<Role>,
}

/// Creates a user; returns them.
pub async fn create_user(
    store: &Store,
    actor: &Actor,
    req: UserRequest,
    now: i64,
) -> Result<User, AppError> {
    let username = Username::parse(&req.username)?;
    let display_name = valid_display_name(&req.display_name)?;
    let password_hash = match req.password {
        Some(p) => Some(hash_off_thread(Password::parse(&p)?).await?),
        None => None,
    };
    let new = NewUser {
        username: username.to_string(),
        display_name: display_name.to_owned(),
        email: req.email.filter(|e| !e.trim().is_empty()),
        password_hash,
        department_id: req.department_id,
        manager_id: req.manager_id,
        roles: req.roles,
    };
    let mut tx = store.write().await?;
    if let Some(d) = new.department_id
        && !tx.department_exists(d).await?
    {
        return Err(AppError::BadRequest(format!(
            "department_id: no department {d}"
        )));
    }
    if let Some(m) = new.manager_id
        && tx.user(m).await?.is_none()
    {
        return Err(AppError::BadRequest(format!("manager_id: no user {m}")));
    }
    let id = tx.create_user(&new, now).await?;
    let user = User {
        id,
        username: new.username,
        display_name: new.display_name,
        email: new.email,
        department_id: new.department_id,
        manager_id: new.manager_id,
        roles: new.roles,
        disabled_at: None,
    };
    let mut e = entry(actor, now, "user.create", format!("user:{id}"));
    e.after = Some(state_json(&user));
    tx.audit(e).await?;
    tx.commit().await?;
    Ok(user)
}

/// Changes to a user; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub email: Option<Option<String>>,
    pub department_id: Option<Option<i64>>,
    pub manager_id: Option<Option<i64>>,
    pub roles: Option<BTreeSet<Role>>,
}

/// How far up a management chain to look for a cycle before calling it one.
const MAX_CHAIN: usize = 64;

/// Changes a user's name, e-mail, department, line manager or roles, in one transaction that
/// reads the user, checks the change and writes it with its audit entry.
pub async fn update_user(
    store: &Store,
    actor: &Actor,
    user_id: i64,
    changes: UserChanges,
    now: i64,
) -> Result<User, AppError> {
    let mut tx = store.write().await?;
    let before = tx.user(user_id).await?.ok_or(AppError::NotFound("user"))?;
    let mut after = before.clone();
    if let Some(name) = changes.display_name {
        after.display_name = valid_display_name(&name)?;
    }
    if let Some(email) = changes.email {
        after.email = email.filter(|e| !e.trim().is_empty());
    }
    if let Some(department) = changes.department_id {
        if let Some(d) = department
            && !tx.department_exists(d).await?
        {
            return Err(AppError::BadRequest(format!(
                "department_id: no department {d}"
            )));
        }
        after.department_id = department;
    }
    if let Some(manager) = changes.manager_id {
        // A line manager must exist, and no one may end up managing themselves.
        let mut next = manager;
        for _ in 0..MAX_CHAIN {
            let Some(m) = next else { break };
            if m == user_id {
                return Err(AppError::BadRequest(
                    "manager_id: a person cannot be their own line manager, directly or through others".into(),
                ));
            }
            let up = tx
                .user(m)
                .await?
                .ok_or_else(|| AppError::BadRequest(format!("manager_id: no user {m}")))?;
            next = up.manager_id;
        }
        after.manager_id = manager;
    }
    if let Some(roles) = changes.roles {
        after.roles = roles;
    }
    tx.update_user(&after).await?;
    let mut e = entry(actor, now, "user.update", format!("user:{user_id}"));
    e.before = Some(state_json(&before));
    e.after = Some(state_json(&after));
    tx.audit(e).await?;
    tx.commit().await?;
    Ok(after)
}

fn valid_display_name(raw: &str) -> Result<String, AppError> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(AppError::BadRequest(
            "display_name: give a name of 1 to 120 characters".into(),
        ));
    }
    Ok(name.to_owned())
}

/// Creates a department under `parent_id`.
pub async fn create_department(
    store: &Store,
    actor: &Actor,
    name: &str,
    parent_id: Option<i64>,
    now: i64,
) -> Result<i64, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(AppError::BadRequest(
            "name: give a name of 1 to 120 characters".into(),
        ));
    }
    let mut tx = store.write().await?;
    if let Some(p) = parent_id
        && !tx.department_exists(p).await?
    {
        return Err(AppError::BadRequest(format!(
            "parent_id: no department {p}"
        )));
    }
    let id = tx.create_department(name, parent_id).await?;
    let mut e = entry(actor, now, "department.create", format!("department:{id}"));
    e.after =
        serde_json::to_string(&serde_json::json!({"name": name, "parent_id": parent_id})).ok();
    tx.audit(e).await?;
    tx.commit().await?;
    Ok(id)
}

/// Sets a new password and signs the user out everywhere.
pub async fn set_password(
    store: &Store,
    actor: &Actor,
    username: &str,
    password: &str,
    now: i64,
) -> Result<(), AppError> {
    let password = Password::parse(password)?;
    let user = store
        .user_by_name(&canonical(username))
        .await?
        .ok_or(AppError::NotFound("user"))?;
    let hash = hash_off_thread(password).await?;
    let mut tx = store.write().await?;
    tx.set_password_hash(user.id, &hash).await?;
    tx.audit(entry(
        actor,
        now,
        "user.password",
        format!("user:{}", user.id),
    ))
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Disables (or re-enables) an account; disabling signs it out everywhere.
pub async fn set_disabled(
    store: &Store,
    actor: &Actor,
    username: &str,
    disabled: bool,
    now: i64,
) -> Result<User, AppError> {
    let before = store
        .user_by_name(&canonical(username))
        .await?
        .ok_or(AppError::NotFound("user"))?;
    let mut after = before.clone();
    after.disabled_at = disabled.then_some(now);
    let mut tx = store.write().await?;
    tx.set_disabled(before.id, after.disabled_at).await?;
    let action = if disabled {
        "user.disable"
    } else {
        "user.enable"
    };
    let mut e = entry(actor, now, action, format!("user:{}", before.id));
    e.before = Some(state_json(&before));
    e.after = Some(state_json(&after));
    tx.audit(e).await?;
    tx.commit().await?;
    Ok(after)
}

/// A signed-in session: the cookie's secret and the CSRF token.
pub struct NewSession {
    pub secret: String,
    pub csrf: String,
}

/// Checks a password and starts a session. Every attempt is audited; too many failures for
/// one account within the configured window are refused before the password is checked.
pub async fn sign_in(
    store: &Store,
    config: &Config,
    username: &str,
    password: &str,
    now: i64,
) -> Result<NewSession, AppError> {
    let name = username.trim().to_ascii_lowercase();
    let window = i64::from(config.login_window_minutes) * 60_000;
    if store.login_failures_since(&name, now - window).await?
        >= i64::from(config.login_max_failures)
    {
        store
            .audit(entry(
                &Actor::system(),
                now,
                "session.login_refused",
                format!("username:{name}"),
            ))
            .await?;
        return Err(AppError::RateLimited);
    }
    let found = store.user_for_login(&name).await?;
    let hash = found
        .as_ref()
        .and_then(|(_, h)| h.clone())
        .unwrap_or_else(|| dummy_hash().to_owned());
    let pw = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || verify_password(&pw, &hash))
        .await
        .map_err(|e| AppError::internal(e.to_string()))?;
    let user = match found {
        Some((user, Some(_))) if ok && user.disabled_at.is_none() => user,
        _ => {
            let mut tx = store.write().await?;
            tx.record_login_failure(&name, now, now - window).await?;
            tx.audit(entry(
                &Actor::system(),
                now,
                "session.login_failed",
                format!("username:{name}"),
            ))
            .await?;
            tx.commit().await?;
            return Err(AppError::BadRequest(
                "the username or password is not right".into(),
            ));
        }
    };
    let session = NewSession {
        secret: new_secret(),
        csrf: new_secret(),
    };
    let expires = now + i64::from(config.session_hours) * 3_600_000;
    let mut tx = store.write().await?;
    tx.create_session(
        &secret_hash(&session.secret),
        user.id,
        &session.csrf,
        now,
        expires,
    )
    .await?;
    let actor = Actor {
        id: Some(user.id),
        name: user.username.clone(),
    };
    tx.audit(entry(
        &actor,
        now,
        "session.login",
        format!("user:{}", user.id),
    ))
    .await?;
    tx.commit().await?;
    Ok(session)
}

/// Ends one session, or every session of its user.
pub async fn sign_out(
    store: &Store,
    principal: &Principal,
    token_hash: &str,
    everywhere: bool,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = store.write().await?;
    let action = if everywhere {
        tx.end_sessions_of(principal.user_id).await?;
        "session.logout_everywhere"
    } else {
        tx.end_session(token_hash).await?;
        "session.logout"
    };
    tx.audit(entry(
        &principal.into(),
        now,
        action,
        format!("user:{}", principal.user_id),
    ))
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Issues an API token for `owner` with `scopes`; returns its id and the secret, shown once.
pub async fn issue_token(
    store: &Store,
    actor: &Actor,
    owner: &str,
    name: &str,
    scopes: BTreeSet<Action>,
    now: i64,
) -> Result<(i64, String), AppError> {
    let user = store
        .user_by_name(&canonical(owner))
        .await?
        .ok_or(AppError::NotFound("user"))?;
    if name.trim().is_empty() {
        return Err(AppError::BadRequest(
            "name: give the token a name that says what uses it".into(),
        ));
    }
    if scopes.is_empty() {
        return Err(AppError::BadRequest(
            "scopes: a token needs at least one scope".into(),
        ));
    }
    let secret = format!("sgv_{}", new_secret());
    let mut tx = store.write().await?;
    let id = tx
        .create_api_token(user.id, name.trim(), &secret_hash(&secret), &scopes, now)
        .await?;
    let mut e = entry(actor, now, "token.create", format!("token:{id}"));
    e.after = serde_json::to_string(&serde_json::json!({
        "owner": user.username, "name": name.trim(),
        "scopes": scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
    }))
    .ok();
    tx.audit(e).await?;
    tx.commit().await?;
    Ok((id, secret))
}

/// Revokes a token.
pub async fn revoke_token(store: &Store, actor: &Actor, id: i64, now: i64) -> Result<(), AppError> {
    let mut tx = store.write().await?;
    tx.revoke_api_token(id, now).await?;
    tx.audit(entry(actor, now, "token.revoke", format!("token:{id}")))
        .await?;
    tx.commit().await?;
    Ok(())
}
