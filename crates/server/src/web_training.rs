//! The training page (communications): every training record and whether it is in date,
//! entry by hand, and import of a staff records system's CSV export with a dry run first.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use serde::Deserialize;
use socialgov_domain::Action;
use socialgov_domain::training::{ColumnMapping, TrainingKind};

use crate::auth::Session;
use crate::channels::{self, ImportReport};
use crate::dates::{day_start, format_day, required_day};
use crate::error::{AppError, PageError};
use crate::upload::Upload;
use crate::web::{Choice, Chrome, FieldError, check_csrf, render_form};
use crate::{AppState, now_ms};

/// The largest CSV export accepted (a large trust's whole workforce).
const MAX_IMPORT_BYTES: usize = 8 * 1024 * 1024;

struct RecordRow {
    person: String,
    kind: &'static str,
    completed: String,
    expires: String,
    in_date: bool,
}

#[derive(Template)]
#[template(path = "training.html")]
struct TrainingPage {
    chrome: Chrome,
    chrome_csrf: String,
    errors: Vec<FieldError>,
    notice: Option<String>,
    people: Vec<Choice>,
    kinds: Vec<(&'static str, &'static str)>,
    records: Vec<RecordRow>,
    report: Option<ImportReport>,
    mapping: ColumnMapping,
}

async fn page_with(
    state: &AppState,
    session: &Session,
    errors: Vec<FieldError>,
    notice: Option<String>,
    report: Option<ImportReport>,
    mapping: ColumnMapping,
) -> Result<Response, PageError> {
    session.may(Action::ManageRegister)?;
    let users = state.store.users().await?;
    let names: HashMap<i64, String> = users
        .iter()
        .map(|u| (u.id, u.display_name.clone()))
        .collect();
    let now = now_ms();
    let records = state
        .store
        .training_of(None)
        .await?
        .into_iter()
        .take(500)
        .map(|t| RecordRow {
            person: names.get(&t.user_id).cloned().unwrap_or_default(),
            kind: TrainingKind::parse(&t.kind).map_or("Other", TrainingKind::label),
            completed: format_day(t.completed_on),
            expires: t
                .expires_on
                .map(format_day)
                .unwrap_or_else(|| "Does not expire".into()),
            in_date: t.completed_on <= now && t.expires_on.is_none_or(|e| e > now),
        })
        .collect();
    let invalid = !errors.is_empty() || report.as_ref().is_some_and(|r| !r.errors.is_empty());
    let page = render_form(
        invalid,
        &TrainingPage {
            chrome: Chrome::for_session(session, "/training"),
            chrome_csrf: session.csrf.clone(),
            errors,
            notice,
            people: users
                .iter()
                .filter(|u| u.disabled_at.is_none())
                .map(|u| Choice {
                    id: u.id,
                    label: format!("{} ({})", u.display_name, u.username),
                    selected: false,
                })
                .collect(),
            kinds: TrainingKind::ALL
                .iter()
                .map(|k| (k.as_str(), k.label()))
                .collect(),
            records,
            report,
            mapping,
        },
    );
    Ok(page)
}

fn default_mapping() -> ColumnMapping {
    ColumnMapping {
        person: "Email".into(),
        kind_column: "Course".into(),
        kind: None,
        completed: "Completed".into(),
        expires: "Expires".into(),
    }
}

async fn page(State(state): State<AppState>, session: Session) -> Result<Response, PageError> {
    page_with(&state, &session, Vec::new(), None, None, default_mapping()).await
}

#[derive(Deserialize)]
struct RecordForm {
    csrf: String,
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    completed_on: String,
    #[serde(default)]
    expires_on: String,
}

async fn add(
    State(state): State<AppState>,
    session: Session,
    Form(f): Form<RecordForm>,
) -> Result<Response, PageError> {
    check_csrf(&session, &f.csrf)?;
    session.may(Action::ManageRegister)?;
    let result = async {
        let user_id = f
            .user_id
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::BadRequest("user_id: choose the person".into()))?;
        let completed = required_day(&f.completed_on, "completed_on")?;
        let expires = day_start(&f.expires_on, "expires_on")?;
        channels::record_training(
            &state.store,
            &session.principal,
            user_id,
            &f.kind,
            completed,
            expires,
            now_ms(),
        )
        .await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to("/training").into_response()),
        Err(AppError::BadRequest(message)) => {
            let field = ["user_id", "kind", "completed_on", "expires_on"]
                .into_iter()
                .find(|f| message.starts_with(f))
                .unwrap_or("user_id");
            page_with(
                &state,
                &session,
                vec![FieldError { field, message }],
                None,
                None,
                default_mapping(),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The import form: the file, the column names, and which button was pressed.
async fn import(
    State(state): State<AppState>,
    session: Session,
    request: Request,
) -> Result<Response, PageError> {
    // Who may import is decided before the upload is read.
    session.may(Action::ManageRegister)?;
    let upload = Upload::read(request, &state).await?;
    let get = |k: &str| upload.field(k);
    let csv = match &upload.file {
        Some((_, bytes)) => String::from_utf8(bytes.clone())
            .map_err(|_| {
                AppError::BadRequest(
                    "file: the file is not UTF-8 text; export it as CSV (UTF-8)".into(),
                )
            })?
            // Spreadsheet exports often begin with a byte order mark.
            .trim_start_matches('\u{feff}')
            .to_owned(),
        None => String::new(),
    };
    check_csrf(&session, &get("csrf"))?;
    let mapping = ColumnMapping {
        person: get("person"),
        kind_column: get("kind_column"),
        kind: TrainingKind::parse(&get("kind")),
        completed: get("completed"),
        expires: get("expires"),
    };
    if csv.trim().is_empty() {
        let e = FieldError {
            field: "file",
            message: "Choose the CSV file to import".into(),
        };
        return page_with(&state, &session, vec![e], None, None, mapping).await;
    }
    let dry_run = get("action") != "import";
    let report = channels::import_training(
        &state.store,
        &session.principal,
        &csv,
        &mapping,
        dry_run,
        now_ms(),
    )
    .await?;
    let notice = match (dry_run, report.errors.is_empty()) {
        (_, false) => None,
        (true, true) => Some(format!(
            "All {} rows are good. Choose the file again and press Import to record them.",
            report.good_rows
        )),
        (false, true) => Some(format!("Imported {} training records.", report.imported)),
    };
    page_with(&state, &session, Vec::new(), notice, Some(report), mapping).await
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/training", get(page).post(add)).route(
        "/training/import",
        post(import).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
    )
}
