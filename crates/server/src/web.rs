//! The web interface: server-rendered pages in the NHS design system. Every form works
//! without JavaScript and carries the session's CSRF token; `assets/app.js` adds checking as
//! you type.

use std::collections::{BTreeSet, HashMap};

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::Deserialize;
use socialgov_domain::{Action, Role, User};
use socialgov_engine::Severity;
use socialgov_store::AuditFilter;

use crate::accounts::{self, UserRequest};
use crate::auth::{SESSION_COOKIE, Session, new_secret, session_cookie, session_of};
use crate::dates::{day_start, format_time};
use crate::error::{AppError, PageError};
use crate::{AppState, now_ms};

/// A link in the header's navigation.
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// The signed-in user as the page chrome shows them.
pub struct ChromeUser {
    pub display_name: String,
    pub csrf: String,
}

/// What every page's frame needs.
pub struct Chrome {
    pub user: Option<ChromeUser>,
    pub nav: Vec<NavItem>,
}

impl Chrome {
    fn anonymous() -> Chrome {
        Chrome {
            user: None,
            nav: Vec::new(),
        }
    }

    pub(crate) fn for_session(session: &Session, current: &str) -> Chrome {
        let p = &session.principal;
        let mut nav = vec![
            ("/", "Home", None),
            ("/check", "Check a post", Some(Action::CheckPost)),
            ("/channels", "Channels", Some(Action::RequestChannel)),
            ("/training", "Training", Some(Action::ManageRegister)),
        ];
        nav.push(("/admin/users", "Users", Some(Action::ViewUsers)));
        nav.push(("/admin/audit", "Audit log", Some(Action::ViewAudit)));
        nav.push(("/admin/outbox", "Outbox", Some(Action::ManageUsers)));
        Chrome {
            user: Some(ChromeUser {
                display_name: session.display_name.clone(),
                csrf: session.csrf.clone(),
            }),
            nav: nav
                .into_iter()
                .filter(|(_, _, action)| action.is_none_or(|a| p.may(a).is_ok()))
                .map(|(href, label, _)| NavItem {
                    href,
                    label,
                    current: href == current,
                })
                .collect(),
        }
    }
}

/// A form field's error, for the error summary.
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl From<socialgov_domain::channel_form::FormProblem> for FieldError {
    fn from(p: socialgov_domain::channel_form::FormProblem) -> FieldError {
        FieldError {
            field: p.field,
            message: p.message,
        }
    }
}

pub(crate) fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(err) => {
            tracing::error!(%err, "template failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "something went wrong on our side",
            )
                .into_response()
        }
    }
}

/// A page that holds a form: answered 400 when it shows the form's errors, so browsers,
/// tests and logs see that the submission did not go through.
pub(crate) fn render_form(invalid: bool, template: &impl Template) -> Response {
    let mut page = render(template);
    if invalid && page.status().is_success() {
        *page.status_mut() = StatusCode::BAD_REQUEST;
    }
    page
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    chrome: Chrome,
    heading: &'a str,
    message: &'a str,
}

/// A page for an error (the response of [`PageError`]).
pub fn error_page(status: StatusCode, message: &str) -> Response {
    let heading = match status {
        StatusCode::FORBIDDEN => "You cannot see this page",
        StatusCode::NOT_FOUND => "Page not found",
        s if s.is_client_error() => "There is a problem",
        _ => "Sorry, there is a problem with the service",
    };
    let mut response = render(&ErrorPage {
        chrome: Chrome::anonymous(),
        heading,
        message,
    });
    *response.status_mut() = status;
    response
}

pub(crate) fn check_csrf(session: &Session, sent: &str) -> Result<(), AppError> {
    if sent == session.csrf {
        Ok(())
    } else {
        Err(AppError::Csrf)
    }
}

// ----- Log in and out -----

const LOGIN_CSRF_COOKIE: &str = "socialgov_login";

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    login_csrf: String,
    username: String,
}

async fn login_page(State(state): State<AppState>, jar: CookieJar) -> Result<Response, PageError> {
    if session_of(&state, &jar).await?.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    Ok(login_form(&state, jar, Vec::new(), String::new()))
}

/// The login form, with a fresh double-submit token (there is no session to hold one yet).
fn login_form(
    state: &AppState,
    jar: CookieJar,
    errors: Vec<FieldError>,
    username: String,
) -> Response {
    let token = new_secret();
    let cookie = Cookie::build((LOGIN_CSRF_COOKIE, token.clone()))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.config.secure_cookies)
        .path("/login")
        .build();
    let invalid = !errors.is_empty();
    let page = render_form(
        invalid,
        &LoginPage {
            chrome: Chrome::anonymous(),
            errors,
            login_csrf: token,
            username,
        },
    );
    (jar.add(cookie), page).into_response()
}

#[derive(Deserialize)]
struct LoginForm {
    csrf: String,
    username: String,
    password: String,
}

async fn login(
    State(state): State<AppState>,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let expected = jar.get(LOGIN_CSRF_COOKIE).map(|c| c.value().to_owned());
    if expected.as_deref() != Some(form.csrf.as_str()) {
        return Err(AppError::Csrf.into());
    }
    match accounts::sign_in(
        &state.store,
        &state.config,
        &form.username,
        &form.password,
        now_ms(),
    )
    .await
    {
        Ok(session) => {
            let cookie = session_cookie(
                session.secret,
                state.config.secure_cookies,
                state.config.session_hours,
            );
            let jar = jar
                .remove(Cookie::build(LOGIN_CSRF_COOKIE).path("/login"))
                .add(cookie);
            Ok((jar, Redirect::to("/")).into_response())
        }
        Err(err @ (AppError::BadRequest(_) | AppError::RateLimited)) => {
            let errors = vec![FieldError {
                field: "username",
                message: err.to_string(),
            }];
            let mut response = login_form(&state, jar, errors, form.username);
            if matches!(err, AppError::RateLimited) {
                *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            }
            Ok(response)
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

/// Ends this session, or every session of its user, and sends the browser to log in.
async fn end_sessions(
    state: &AppState,
    session: &Session,
    jar: CookieJar,
    csrf: &str,
    everywhere: bool,
) -> Result<Response, PageError> {
    check_csrf(session, csrf)?;
    accounts::sign_out(
        &state.store,
        &session.principal,
        &session.token_hash,
        everywhere,
        now_ms(),
    )
    .await?;
    Ok((
        jar.remove(Cookie::build(SESSION_COOKIE).path("/")),
        Redirect::to("/login"),
    )
        .into_response())
}

async fn logout(
    State(state): State<AppState>,
    session: Session,
    jar: CookieJar,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    end_sessions(&state, &session, jar, &form.csrf, false).await
}

async fn read_notifications(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    check_csrf(&session, &form.csrf)?;
    crate::channels::mark_notifications_read(&state.store, &session.principal, now_ms()).await?;
    Ok(Redirect::to("/").into_response())
}

async fn logout_everywhere(
    State(state): State<AppState>,
    session: Session,
    jar: CookieJar,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    end_sessions(&state, &session, jar, &form.csrf, true).await
}

// ----- Home -----

struct Card {
    href: &'static str,
    title: &'static str,
    text: &'static str,
}

struct Waiting {
    href: String,
    text: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    chrome_csrf: String,
    unread: usize,
    display_name: String,
    roles: String,
    waiting: Vec<Waiting>,
    cards: Vec<Card>,
    reports: Vec<String>,
}

fn role_list(roles: &BTreeSet<Role>) -> String {
    if roles.is_empty() {
        return "none".into();
    }
    roles
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join(", ")
}

async fn home(State(state): State<AppState>, session: Session) -> Result<Response, PageError> {
    let p = &session.principal;
    let mut cards = vec![Card {
        href: "/check",
        title: "Check a post",
        text: "Check a draft against the trust's social media policy before you publish it.",
    }];
    if p.may(Action::ViewUsers).is_ok() {
        cards.push(Card {
            href: "/admin/users",
            title: "Users",
            text: "Accounts, roles, departments and line managers.",
        });
    }
    if p.may(Action::ViewAudit).is_ok() {
        cards.push(Card {
            href: "/admin/audit",
            title: "Audit log",
            text: "Every change, login and confidential read, tamper-evident.",
        });
    }
    let mut waiting = Vec::new();
    if p.may(Action::ManageUsers).is_ok() {
        let without_role = state
            .store
            .users()
            .await?
            .into_iter()
            .filter(|u| u.roles.is_empty() && u.disabled_at.is_none())
            .count();
        if without_role > 0 {
            waiting.push(Waiting {
                href: "/admin/users".into(),
                text: format!("{without_role} active accounts have no role"),
            });
        }
    }
    cards.push(Card {
        href: "/channels",
        title: "Channels",
        text: "The trust's official social media accounts, and requests for new ones.",
    });
    let my_reports = if p.has(Role::LineManager) {
        state.store.reports_of(p.user_id).await?
    } else {
        Vec::new()
    };
    waiting.extend(channel_waiting(&state, p, &my_reports).await?);
    let unread: Vec<_> = state
        .store
        .notifications(p.user_id, 20)
        .await?
        .into_iter()
        .filter(|n| n.read_at.is_none())
        .collect();
    let unread_count = unread.len();
    for n in unread {
        waiting.push(Waiting {
            href: n.link,
            text: n.message,
        });
    }
    let reports = my_reports.into_iter().map(|u| u.display_name).collect();
    Ok(render(&HomePage {
        chrome: Chrome::for_session(&session, "/"),
        chrome_csrf: session.csrf.clone(),
        unread: unread_count,
        display_name: session.display_name.clone(),
        roles: role_list(&p.roles),
        waiting,
        cards,
        reports,
    }))
}

/// What the channel register asks of this person now: approvals at their step, and lapsed
/// training among their team on live channels.
async fn channel_waiting(
    state: &AppState,
    p: &socialgov_domain::Principal,
    reports: &[User],
) -> Result<Vec<Waiting>, AppError> {
    use socialgov_domain::channel::ChannelState as S;
    let channels = state
        .store
        .channels(&socialgov_store::ChannelFilter::default())
        .await?;
    let count = |s: S| {
        channels
            .iter()
            .filter(|c| c.state == s && c.requester_id != p.user_id)
            .count()
    };
    let mut out = Vec::new();
    for c in channels
        .iter()
        .filter(|c| c.state == S::Submitted && c.requester_manager_id == Some(p.user_id))
    {
        out.push(Waiting {
            href: format!("/channels/{}", c.id),
            text: format!(
                "{} is waiting for your approval as line manager",
                c.form.account_name
            ),
        });
    }
    let mut steps = Vec::new();
    if p.may(Action::ManageRegister).is_ok() {
        steps.extend([
            (S::ManagerApproved, "waiting for communications' review"),
            (S::Approved, "approved and waiting to be set up"),
            (S::ReviewDue, "due for their annual review"),
        ]);
    }
    if p.has(Role::HeadOfComms) {
        steps.push((S::CommsReviewed, "waiting for your final approval"));
    }
    for (state_wanted, what) in steps {
        let n = count(state_wanted);
        if n > 0 {
            out.push(Waiting {
                href: format!("/channels?state={}", state_wanted.as_str()),
                text: format!("{n} channel requests {what}"),
            });
        }
    }
    if !reports.is_empty() {
        let trained = state
            .store
            .trained_users(crate::channels::SOCIAL_MEDIA_TRAINING, now_ms())
            .await?;
        let editors = state.store.editors_by_channel().await?;
        for c in &channels {
            let on_it = editors.get(&c.id).map_or(&[][..], Vec::as_slice);
            for person in crate::channels::lapsed_people(c, on_it, &trained) {
                if let Some(r) = reports.iter().find(|r| r.id == person) {
                    out.push(Waiting {
                        href: format!("/channels/{}", c.id),
                        text: format!(
                            "{}'s social media training has lapsed; they run {}",
                            r.display_name, c.form.account_name
                        ),
                    });
                }
            }
        }
    }
    Ok(out)
}

// ----- The post checker -----

struct PackChoice {
    id: String,
    title: String,
    selected: bool,
}

/// A run of the text, highlighted when a finding covers it.
struct Segment {
    text: String,
    finding: Option<usize>,
    severity: &'static str,
}

struct FindingView {
    severity: &'static str,
    severity_label: &'static str,
    excerpt: String,
    message: String,
    clause: String,
}

#[derive(Template)]
#[template(path = "check.html")]
struct CheckPage {
    chrome: Chrome,
    chrome_csrf: String,
    packs: Vec<PackChoice>,
    text: String,
    checked: bool,
    pack_title: String,
    segments: Vec<Segment>,
    findings: Vec<FindingView>,
}

fn severity_rank(s: Severity) -> u8 {
    match s {
        Severity::Block => 3,
        Severity::Warn => 2,
        Severity::Info => 1,
    }
}

/// Splits `text` at every finding boundary; each piece is marked with the most severe finding
/// that covers it.
fn segments(text: &str, findings: &[socialgov_engine::Finding]) -> Vec<Segment> {
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for f in findings {
        cuts.extend([f.start, f.end]);
    }
    cuts.retain(|&c| text.is_char_boundary(c));
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .filter_map(|w| {
            let (a, b) = (w[0], w[1]);
            let piece = text.get(a..b)?;
            let covering = findings
                .iter()
                .enumerate()
                .filter(|(_, f)| f.start <= a && b <= f.end)
                .max_by_key(|(_, f)| severity_rank(f.severity));
            Some(Segment {
                text: piece.to_owned(),
                finding: covering.map(|(i, _)| i),
                severity: covering.map_or("none", |(_, f)| f.severity.as_str()),
            })
        })
        .collect()
}

fn check_page(
    state: &AppState,
    session: &Session,
    pack: Option<&str>,
    text: String,
    checked: bool,
) -> Response {
    let scanner = state.packs.get(pack).or_else(|| state.packs.get(None));
    let selected = scanner.map(|s| s.info().id.clone()).unwrap_or_default();
    let packs = state
        .packs
        .all()
        .map(|s| PackChoice {
            id: s.info().id.clone(),
            title: s.info().title.clone(),
            selected: s.info().id == selected,
        })
        .collect();
    let findings = match (checked, scanner) {
        (true, Some(s)) => s.check(&text),
        _ => Vec::new(),
    };
    render(&CheckPage {
        chrome: Chrome::for_session(session, "/check"),
        chrome_csrf: session.csrf.clone(),
        packs,
        pack_title: scanner.map(|s| s.info().title.clone()).unwrap_or_default(),
        segments: segments(&text, &findings),
        findings: findings
            .iter()
            .map(|f| FindingView {
                severity: f.severity.as_str(),
                severity_label: match f.severity {
                    Severity::Block => "Must change",
                    Severity::Warn => "Check",
                    Severity::Info => "Note",
                },
                excerpt: f.excerpt(&text).to_owned(),
                message: f.rule.message.to_string(),
                clause: f.rule.clause.to_string(),
            })
            .collect(),
        text,
        checked,
    })
}

async fn check_form_page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, PageError> {
    session.may(Action::CheckPost)?;
    Ok(check_page(&state, &session, None, String::new(), false))
}

#[derive(Deserialize)]
struct CheckForm {
    csrf: String,
    pack: Option<String>,
    text: String,
    action: Option<String>,
}

async fn check_submit(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<CheckForm>,
) -> Result<Response, PageError> {
    check_csrf(&session, &form.csrf)?;
    session.may(Action::CheckPost)?;
    let pack = form.pack.as_deref().filter(|p| !p.is_empty());
    let text = if form.action.as_deref() == Some("redact") {
        let scanner = state
            .packs
            .get(pack)
            .ok_or(AppError::BadRequest("no such policy pack".into()))?;
        scanner.redact(&form.text)
    } else {
        form.text
    };
    Ok(check_page(&state, &session, pack, text, true))
}

// ----- Users -----

struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    department: String,
    manager: String,
    roles: String,
    disabled: bool,
}

struct RoleChoice {
    id: &'static str,
    label: &'static str,
    checked: bool,
}

fn role_choices(held: &BTreeSet<Role>) -> Vec<RoleChoice> {
    Role::ALL
        .iter()
        .map(|r| RoleChoice {
            id: r.as_str(),
            label: r.label(),
            checked: held.contains(r),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    chrome: Chrome,
    chrome_csrf: String,
    errors: Vec<FieldError>,
    notice: Option<String>,
    users: Vec<UserRow>,
    can_manage: bool,
    departments: Vec<(i64, String)>,
    managers: Vec<(i64, String)>,
    role_choices: Vec<RoleChoice>,
}

async fn users_page_with(
    state: &AppState,
    session: &Session,
    errors: Vec<FieldError>,
    notice: Option<String>,
) -> Result<Response, PageError> {
    session.may(Action::ViewUsers)?;
    let users = state.store.users().await?;
    let departments: HashMap<i64, String> = state
        .store
        .departments()
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let names: HashMap<i64, String> = users
        .iter()
        .map(|u| (u.id, u.display_name.clone()))
        .collect();
    let rows = users
        .iter()
        .map(|u: &User| UserRow {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            department: u
                .department_id
                .and_then(|d| departments.get(&d).cloned())
                .unwrap_or_default(),
            manager: u
                .manager_id
                .and_then(|m| names.get(&m).cloned())
                .unwrap_or_default(),
            roles: role_list(&u.roles),
            disabled: u.disabled_at.is_some(),
        })
        .collect();
    let invalid = !errors.is_empty();
    let mut departments: Vec<(i64, String)> = departments.into_iter().collect();
    departments.sort_by(|a, b| a.1.cmp(&b.1));
    let page = render_form(
        invalid,
        &UsersPage {
            chrome: Chrome::for_session(session, "/admin/users"),
            chrome_csrf: session.csrf.clone(),
            errors,
            notice,
            users: rows,
            can_manage: session.principal.may(Action::ManageUsers).is_ok(),
            departments,
            managers: users
                .iter()
                .filter(|u| u.roles.contains(&Role::LineManager))
                .map(|u| (u.id, u.display_name.clone()))
                .collect(),
            role_choices: role_choices(&[Role::Staff].into()),
        },
    );
    Ok(page)
}

async fn users_page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, PageError> {
    users_page_with(&state, &session, Vec::new(), None).await
}

#[derive(Deserialize)]
struct NewUserForm {
    csrf: String,
    username: String,
    display_name: String,
    #[serde(default)]
    email: String,
    password: String,
    #[serde(default)]
    department_id: String,
    #[serde(default)]
    manager_id: String,
    #[serde(default)]
    roles: Vec<String>,
}

fn parse_roles(names: &[String]) -> Result<BTreeSet<Role>, AppError> {
    names
        .iter()
        .map(|n| {
            n.parse::<Role>()
                .map_err(|e| AppError::BadRequest(e.to_string()))
        })
        .collect()
}

pub(crate) fn optional_id(raw: &str, field: &str) -> Result<Option<i64>, AppError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    raw.trim()
        .parse()
        .map(Some)
        .map_err(|_| AppError::BadRequest(format!("{field}: choose one from the list")))
}

async fn create_user(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<NewUserForm>,
) -> Result<Response, PageError> {
    check_csrf(&session, &form.csrf)?;
    session.may(Action::ManageUsers)?;
    let req = UserRequest {
        username: form.username.clone(),
        display_name: form.display_name,
        email: Some(form.email),
        password: Some(form.password),
        department_id: optional_id(&form.department_id, "department")?,
        manager_id: optional_id(&form.manager_id, "line manager")?,
        roles: parse_roles(&form.roles)?,
    };
    match accounts::create_user(&state.store, &(&session.principal).into(), req, now_ms()).await {
        Ok(user) => {
            users_page_with(
                &state,
                &session,
                Vec::new(),
                Some(format!("Added {}.", user.username)),
            )
            .await
        }
        Err(err @ (AppError::BadRequest(_) | AppError::Conflict(_))) => {
            let message = err.to_string();
            let field = if message.contains("password") {
                "password"
            } else if message.contains("display_name") {
                "display_name"
            } else {
                "username"
            };
            users_page_with(&state, &session, vec![FieldError { field, message }], None).await
        }
        Err(err) => Err(err.into()),
    }
}

/// An option in a select list.
pub(crate) struct Choice {
    pub id: i64,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "user_edit.html")]
struct UserEditPage {
    chrome: Chrome,
    chrome_csrf: String,
    errors: Vec<FieldError>,
    notice: Option<String>,
    id: i64,
    username: String,
    display_name: String,
    email: String,
    disabled: bool,
    departments: Vec<Choice>,
    managers: Vec<Choice>,
    role_choices: Vec<RoleChoice>,
}

async fn user_page_with(
    state: &AppState,
    session: &Session,
    id: i64,
    errors: Vec<FieldError>,
    notice: Option<String>,
) -> Result<Response, PageError> {
    session.may(Action::ManageUsers)?;
    let user = state
        .store
        .user(id)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    let departments = state
        .store
        .departments()
        .await?
        .into_iter()
        .map(|d| Choice {
            selected: user.department_id == Some(d.id),
            id: d.id,
            label: d.name,
        })
        .collect();
    let managers = state
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| u.id != id && u.roles.contains(&Role::LineManager))
        .map(|u| Choice {
            selected: user.manager_id == Some(u.id),
            id: u.id,
            label: u.display_name,
        })
        .collect();
    let invalid = !errors.is_empty();
    let page = render_form(
        invalid,
        &UserEditPage {
            chrome: Chrome::for_session(session, "/admin/users"),
            chrome_csrf: session.csrf.clone(),
            errors,
            notice,
            id,
            username: user.username,
            display_name: user.display_name,
            email: user.email.unwrap_or_default(),
            disabled: user.disabled_at.is_some(),
            departments,
            managers,
            role_choices: role_choices(&user.roles),
        },
    );
    Ok(page)
}

async fn user_page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    user_page_with(&state, &session, id, Vec::new(), None).await
}

#[derive(Deserialize)]
struct UserForm {
    csrf: String,
    display_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    department_id: String,
    #[serde(default)]
    manager_id: String,
    #[serde(default)]
    roles: Vec<String>,
}

async fn user_update(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<UserForm>,
) -> Result<Response, PageError> {
    check_csrf(&session, &form.csrf)?;
    session.may(Action::ManageUsers)?;
    let changes = accounts::UserChanges {
        display_name: Some(form.display_name),
        email: Some(Some(form.email)),
        department_id: Some(optional_id(&form.department_id, "department")?),
        manager_id: Some(optional_id(&form.manager_id, "line manager")?),
        roles: Some(parse_roles(&form.roles)?),
    };
    match accounts::update_user(
        &state.store,
        &(&session.principal).into(),
        id,
        changes,
        now_ms(),
    )
    .await
    {
        Ok(_) => {
            user_page_with(
                &state,
                &session,
                id,
                Vec::new(),
                Some("Changes saved.".into()),
            )
            .await
        }
        Err(AppError::BadRequest(message)) => {
            let field = ["display_name", "department_id", "manager_id"]
                .into_iter()
                .find(|f| message.starts_with(f))
                .unwrap_or("display_name");
            user_page_with(
                &state,
                &session,
                id,
                vec![FieldError { field, message }],
                None,
            )
            .await
        }
        Err(err) => Err(err.into()),
    }
}

async fn user_disable(
    state: State<AppState>,
    session: Session,
    id: Path<i64>,
    form: Form<CsrfForm>,
) -> Result<Response, PageError> {
    set_disabled(state, session, id, form, true).await
}

async fn user_enable(
    state: State<AppState>,
    session: Session,
    id: Path<i64>,
    form: Form<CsrfForm>,
) -> Result<Response, PageError> {
    set_disabled(state, session, id, form, false).await
}

async fn set_disabled(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
    disabled: bool,
) -> Result<Response, PageError> {
    check_csrf(&session, &form.csrf)?;
    session.may(Action::ManageUsers)?;
    let user = state
        .store
        .user(id)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    accounts::set_disabled(
        &state.store,
        &(&session.principal).into(),
        &user.username,
        disabled,
        now_ms(),
    )
    .await?;
    Ok(Redirect::to(&format!("/admin/users/{id}")).into_response())
}

// ----- Departments -----

struct DepartmentRow {
    name: String,
    parent: String,
    people: usize,
}

#[derive(Template)]
#[template(path = "departments.html")]
struct DepartmentsPage {
    chrome: Chrome,
    chrome_csrf: String,
    errors: Vec<FieldError>,
    can_manage: bool,
    rows: Vec<DepartmentRow>,
    parents: Vec<Choice>,
}

async fn departments_page_with(
    state: &AppState,
    session: &Session,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    session.may(Action::ViewUsers)?;
    let departments = state.store.departments().await?;
    let users = state.store.users().await?;
    let names: HashMap<i64, String> = departments.iter().map(|d| (d.id, d.name.clone())).collect();
    let rows = departments
        .iter()
        .map(|d| DepartmentRow {
            name: d.name.clone(),
            parent: d
                .parent_id
                .and_then(|p| names.get(&p).cloned())
                .unwrap_or_default(),
            people: users
                .iter()
                .filter(|u| u.department_id == Some(d.id))
                .count(),
        })
        .collect();
    let invalid = !errors.is_empty();
    let page = render_form(
        invalid,
        &DepartmentsPage {
            chrome: Chrome::for_session(session, "/admin/users"),
            chrome_csrf: session.csrf.clone(),
            errors,
            can_manage: session.principal.may(Action::ManageUsers).is_ok(),
            rows,
            parents: departments
                .into_iter()
                .map(|d| Choice {
                    id: d.id,
                    label: d.name,
                    selected: false,
                })
                .collect(),
        },
    );
    Ok(page)
}

async fn departments_page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, PageError> {
    departments_page_with(&state, &session, Vec::new()).await
}

#[derive(Deserialize)]
struct DepartmentForm {
    csrf: String,
    name: String,
    #[serde(default)]
    parent_id: String,
}

async fn create_department(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<DepartmentForm>,
) -> Result<Response, PageError> {
    check_csrf(&session, &form.csrf)?;
    session.may(Action::ManageUsers)?;
    let parent = optional_id(&form.parent_id, "parent department")?;
    match accounts::create_department(
        &state.store,
        &(&session.principal).into(),
        &form.name,
        parent,
        now_ms(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/admin/departments").into_response()),
        Err(err @ (AppError::BadRequest(_) | AppError::Conflict(_))) => {
            let field = if err.to_string().starts_with("parent") {
                "parent_id"
            } else {
                "name"
            };
            departments_page_with(
                &state,
                &session,
                vec![FieldError {
                    field,
                    message: err.to_string(),
                }],
            )
            .await
        }
        Err(err) => Err(err.into()),
    }
}

// ----- Audit log -----

struct AuditRow {
    seq: i64,
    when: String,
    actor: String,
    action: String,
    target: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    action: String,
    actor: String,
    from: String,
    to: String,
    /// The filter as a query string, for the export link.
    query: String,
    entries: Vec<AuditRow>,
}

#[derive(Deserialize)]
struct AuditQuery {
    #[serde(default)]
    action: String,
    #[serde(default)]
    actor: String,
    /// First day to include, `YYYY-MM-DD` (UTC).
    #[serde(default)]
    from: String,
    /// Last day to include, `YYYY-MM-DD` (UTC).
    #[serde(default)]
    to: String,
}

impl AuditQuery {
    fn filter(&self) -> Result<AuditFilter, AppError> {
        let some = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        const DAY: i64 = 86_400_000;
        Ok(AuditFilter {
            action_prefix: some(&self.action),
            actor: some(&self.actor),
            since: day_start(&self.from, "from")?,
            until: day_start(&self.to, "to")?.map(|t| t + DAY),
            target: None,
        })
    }
}

async fn audit_page(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    session.may(Action::ViewAudit)?;
    let records = state.store.audit_entries(&q.filter()?, 200, 0).await?;
    Ok(render(&AuditPage {
        chrome: Chrome::for_session(&session, "/admin/audit"),
        entries: records
            .into_iter()
            .map(|r| AuditRow {
                seq: r.seq,
                when: format_time(r.entry.at),
                actor: r.entry.actor,
                action: r.entry.action,
                target: r.entry.target,
            })
            .collect(),
        query: serde_urlencoded::to_string([
            ("action", &q.action),
            ("actor", &q.actor),
            ("from", &q.from),
            ("to", &q.to),
        ])
        .unwrap_or_default(),
        action: q.action,
        actor: q.actor,
        from: q.from,
        to: q.to,
    }))
}

/// One CSV field, quoted when it must be. A value a spreadsheet would run as a formula
/// (`=…`, or `+`, `-`, `@` followed by a call such as `@SUM(`) is prefixed with `'`; plain
/// handles like `@ward7` and values like `-5` are left as they are.
pub(crate) fn csv_field(value: &str) -> String {
    let formula = value.starts_with('=')
        || (value.starts_with(['+', '-', '@']) && value.contains(['(', '!']));
    let value = if formula {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

async fn audit_csv(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    session.may(Action::ViewAudit)?;
    let records = state.store.audit_entries(&q.filter()?, i64::MAX, 0).await?;
    let mut out = String::from("seq,at_utc,actor,action,target,before,after,prev_hash,hash\n");
    for r in &records {
        let e = &r.entry;
        let fields = [
            r.seq.to_string(),
            format_time(e.at),
            e.actor.clone(),
            e.action.clone(),
            e.target.clone(),
            e.before.clone().unwrap_or_default(),
            e.after.clone().unwrap_or_default(),
            r.prev_hash.clone(),
            r.hash.clone(),
        ];
        out.push_str(
            &fields
                .iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    let mut e = accounts::entry(
        &(&session.principal).into(),
        now_ms(),
        "audit.export",
        "audit".into(),
    );
    e.after = Some(format!("{{\"entries\":{}}}", records.len()));
    state.store.audit(e).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"socialgov-audit.csv\"",
            ),
        ],
        out,
    )
        .into_response())
}

// ----- The e-mail outbox -----

struct OutboxRow {
    to: String,
    subject: String,
    queued: String,
    status: String,
}

#[derive(Template)]
#[template(path = "outbox.html")]
struct OutboxPage {
    chrome: Chrome,
    /// The relay's host and port, when one is configured.
    relay: Option<String>,
    rows: Vec<OutboxRow>,
}

/// Where an e-mail is in its delivery, in words.
fn delivery_status(e: &socialgov_store::OutboxEmail) -> String {
    let error = e.last_error.as_deref().unwrap_or("");
    match (e.sent_at, e.failed_at, e.next_attempt_at) {
        (Some(sent), _, _) => format!("Sent {}", format_time(sent)),
        (None, Some(_), _) => format!("Not sent after {} attempts: {error}", e.attempts),
        (None, None, Some(next)) => {
            format!("Trying again {}: {error}", format_time(next))
        }
        (None, None, None) => "Waiting".into(),
    }
}

async fn outbox_page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, PageError> {
    session.may(Action::ManageUsers)?;
    let rows = state
        .store
        .outbox(200)
        .await?
        .into_iter()
        .map(|e| OutboxRow {
            status: delivery_status(&e),
            to: e.to_address,
            subject: e.subject,
            queued: format_time(e.created_at),
        })
        .collect();
    Ok(render(&OutboxPage {
        chrome: Chrome::for_session(&session, "/admin/outbox"),
        relay: state.mailer.as_ref().map(|m| m.relay().to_owned()),
        rows,
    }))
}

// ----- Assets of our own -----

/// The progressive enhancement script (checking as you type).
pub async fn app_js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../assets/app.js"),
    )
        .into_response()
}

/// Styles for the checker's highlights.
pub async fn app_css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../assets/app.css"),
    )
        .into_response()
}

async fn not_found() -> Response {
    error_page(
        StatusCode::NOT_FOUND,
        "If you typed the web address, check it is correct.",
    )
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(crate::web_channels::routes())
        .merge(crate::web_training::routes())
        .route("/", get(home))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/logout-everywhere", post(logout_everywhere))
        .route("/notifications/read", post(read_notifications))
        .route("/check", get(check_form_page).post(check_submit))
        .route("/admin/users", get(users_page).post(create_user))
        .route("/admin/users/{id}", get(user_page).post(user_update))
        .route(
            "/admin/departments",
            get(departments_page).post(create_department),
        )
        .route("/admin/users/{id}/disable", post(user_disable))
        .route("/admin/users/{id}/enable", post(user_enable))
        .route("/admin/audit", get(audit_page))
        .route("/admin/audit.csv", get(audit_csv))
        .route("/admin/outbox", get(outbox_page))
        .fallback(not_found)
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, \"b\""), "\"a, \"\"b\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("@SUM(A1:A9)"), "'@SUM(A1:A9)");
        assert_eq!(csv_field("@ward7.nurses"), "@ward7.nurses");
        assert_eq!(csv_field("-5"), "-5");
    }
}
