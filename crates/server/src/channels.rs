//! Channel workflows (SPEC §2) shared by the API and the pages: drafts, the approval steps,
//! set-up, review and retirement. Each step is one write transaction that reads the channel,
//! asks the domain's state machine, saves the result, writes the audit entry and notifies the
//! next person.

use serde::Serialize;
use socialgov_domain::channel::{
    Actor as StepActor, Channel, ChannelEvent, ChannelState, TransitionError,
};
use socialgov_domain::channel_form::{ChannelForm, FormProblem};
use socialgov_domain::training::{ColumnMapping, ImportRow, RowError, TrainingKind};
use socialgov_domain::{Action, Principal, Role};
use socialgov_engine::{Scanner, Severity};
use socialgov_store::{Store, WriteTx};

use crate::accounts::{Actor, entry};
use crate::error::AppError;

/// The training every account manager and editor needs in date (mtw §4.0).
pub const SOCIAL_MEDIA_TRAINING: &str = TrainingKind::SocialMedia.as_str();

impl From<TransitionError> for AppError {
    fn from(err: TransitionError) -> AppError {
        match err {
            TransitionError::NotYours { .. } | TransitionError::OwnRequest => {
                AppError::Refused(err.to_string())
            }
            TransitionError::NotFromHere { .. } => AppError::Conflict(err.to_string()),
            TransitionError::Incomplete { .. } | TransitionError::Invalid { .. } => {
                AppError::BadRequest(err.to_string())
            }
        }
    }
}

/// The profile description goes out in the trust's name: it must pass the policy engine.
fn engine_problems(form: &ChannelForm, scanner: &Scanner) -> Vec<FormProblem> {
    scanner
        .check(&form.profile_description)
        .iter()
        .filter(|f| f.severity == Severity::Block)
        .map(|f| FormProblem {
            field: "profile_description",
            message: format!(
                "Profile description: {} ({})",
                f.rule.message, f.rule.clause
            ),
        })
        .collect()
}

/// What an audit entry records of a channel: its state and the people on it (the form is
/// recorded when it changes).
#[derive(Serialize)]
struct ChannelSummary<'a> {
    state: &'a str,
    account_manager_id: Option<i64>,
    review_on: Option<i64>,
    rejection_reason: Option<&'a str>,
}

fn summary(c: &Channel) -> Option<String> {
    serde_json::to_string(&ChannelSummary {
        state: c.state.as_str(),
        account_manager_id: c.account_manager_id,
        review_on: c.review_on,
        rejection_reason: c.rejection_reason.as_deref(),
    })
    .ok()
}

/// Whether `who` may see channel `c`: the people on it and communications always; everyone
/// once it is on the register (set up).
pub fn may_view(who: &Principal, c: &Channel, editors: &[i64]) -> bool {
    let on_register = matches!(
        c.state,
        ChannelState::Active | ChannelState::ReviewDue | ChannelState::Retired
    );
    let involved = who.user_id == c.requester_id
        || Some(who.user_id) == c.requester_manager_id
        || Some(who.user_id) == c.account_manager_id
        || editors.contains(&who.user_id);
    who.may(Action::ManageRegister).is_ok()
        || involved
        || (on_register && who.may(Action::RequestChannel).is_ok())
}

/// Starts a draft request.
pub async fn create_draft(
    store: &Store,
    who: &Principal,
    form: ChannelForm,
    now: i64,
) -> Result<Channel, AppError> {
    who.may(Action::RequestChannel).map_err(AppError::from)?;
    let problems = form.draft_problems();
    if !problems.is_empty() {
        return Err(AppError::Form(problems));
    }
    let mut channel = Channel::draft(who.user_id, form, now);
    let mut tx = store.write().await?;
    channel.id = tx.create_channel(&channel).await?;
    let mut e = entry(
        &who.into(),
        now,
        "channel.create",
        format!("channel:{}", channel.id),
    );
    e.after = serde_json::to_string(&channel.form).ok();
    tx.audit(e).await?;
    tx.commit().await?;
    Ok(channel)
}

/// Changes the form of a draft or rejected request (only its requester may).
pub async fn update_form(
    store: &Store,
    who: &Principal,
    id: i64,
    form: ChannelForm,
    now: i64,
) -> Result<Channel, AppError> {
    let problems = form.draft_problems();
    if !problems.is_empty() {
        return Err(AppError::Form(problems));
    }
    let mut tx = store.write().await?;
    let (mut channel, _) = tx.channel(id).await?.ok_or(AppError::NotFound("channel"))?;
    if channel.requester_id != who.user_id {
        return Err(AppError::Refused(
            "only the requester can change the request form".into(),
        ));
    }
    if !matches!(channel.state, ChannelState::Draft | ChannelState::Rejected) {
        return Err(AppError::Conflict(format!(
            "a request that is {} cannot be changed",
            channel.state
        )));
    }
    let before = serde_json::to_string(&channel.form).ok();
    channel.form = form;
    channel.updated_at = now;
    tx.save_channel(&channel).await?;
    let mut e = entry(&who.into(), now, "channel.update", format!("channel:{id}"));
    e.before = before;
    e.after = serde_json::to_string(&channel.form).ok();
    tx.audit(e).await?;
    tx.commit().await?;
    Ok(channel)
}

/// Who to tell about a step, and what.
async fn notify_next(
    tx: &mut WriteTx,
    c: &Channel,
    event: &ChannelEvent,
    now: i64,
) -> Result<(), AppError> {
    let name = if c.form.account_name.trim().is_empty() {
        "a channel request"
    } else {
        c.form.account_name.as_str()
    };
    let link = format!("/channels/{}", c.id);
    let (people, message): (Vec<i64>, String) = match event {
        ChannelEvent::Submit => (
            c.requester_manager_id.into_iter().collect(),
            format!("{name} is waiting for your approval as line manager"),
        ),
        ChannelEvent::ManagerApprove => (
            tx.users_with_role(Role::CommsOfficer.as_str()).await?,
            format!("{name} needs communications' planning review"),
        ),
        ChannelEvent::CommsReview { .. } => (
            tx.users_with_role(Role::HeadOfComms.as_str()).await?,
            format!("{name} is waiting for final approval"),
        ),
        ChannelEvent::Approve {
            account_manager_id, ..
        } => {
            let mut people = tx.users_with_role(Role::CommsOfficer.as_str()).await?;
            people.extend([c.requester_id, *account_manager_id]);
            (people, format!("{name} is approved and ready to set up"))
        }
        ChannelEvent::Reject { reason } => (
            vec![c.requester_id],
            format!("{name} was not approved: {reason}"),
        ),
        ChannelEvent::GoLive { .. } => (
            c.account_manager_id
                .into_iter()
                .chain([c.requester_id])
                .collect(),
            format!("{name} is live"),
        ),
        ChannelEvent::ReviewDue => {
            let mut people = tx.users_with_role(Role::CommsOfficer.as_str()).await?;
            people.extend(c.account_manager_id);
            (people, format!("{name} is due for its annual review"))
        }
        ChannelEvent::Renew { .. } => (
            c.account_manager_id.into_iter().collect(),
            format!("{name} was renewed after review"),
        ),
        ChannelEvent::Retire { .. } => (
            c.account_manager_id
                .into_iter()
                .chain([c.requester_id])
                .collect(),
            format!("{name} was retired"),
        ),
    };
    let mut people = people;
    people.sort_unstable();
    people.dedup();
    for person in people {
        tx.notify(person, &message, &link, now).await?;
    }
    Ok(())
}

/// Applies one step of the lifecycle to channel `id`. `who` is `None` for the scheduler.
pub async fn apply(
    store: &Store,
    scanner: &Scanner,
    who: Option<&Principal>,
    id: i64,
    mut event: ChannelEvent,
    now: i64,
) -> Result<Channel, AppError> {
    let mut tx = store.write().await?;
    let (mut channel, editors) = tx.channel(id).await?.ok_or(AppError::NotFound("channel"))?;
    if let Some(p) = who
        && !may_view(p, &channel, &editors)
    {
        return Err(AppError::NotFound("channel"));
    }
    match &mut event {
        ChannelEvent::Submit => {
            let mut problems = channel.form.problems();
            problems.extend(engine_problems(&channel.form, scanner));
            if !problems.is_empty() {
                return Err(AppError::Form(problems));
            }
            // The line manager who approves is the requester's manager now.
            let requester = tx
                .user(channel.requester_id)
                .await?
                .ok_or(AppError::NotFound("user"))?;
            channel.requester_manager_id = requester.manager_id;
        }
        ChannelEvent::Approve {
            account_manager_id,
            account_manager_trained,
        } => {
            if tx
                .user(*account_manager_id)
                .await?
                .is_none_or(|u| u.disabled_at.is_some())
            {
                return Err(AppError::BadRequest(format!(
                    "account_manager_id: no active user {account_manager_id}"
                )));
            }
            *account_manager_trained = tx
                .has_current_training(*account_manager_id, SOCIAL_MEDIA_TRAINING, now)
                .await?;
        }
        _ => {}
    }
    let before = summary(&channel);
    let actor = match who {
        Some(p) => StepActor::Person(p),
        None => StepActor::Scheduler,
    };
    channel.apply(&event, actor, now).map_err(AppError::from)?;
    tx.save_channel(&channel).await?;
    let audit_actor = who.map_or_else(Actor::system, Actor::from);
    let mut e = entry(&audit_actor, now, event.action(), format!("channel:{id}"));
    e.before = before;
    e.after = summary(&channel);
    tx.audit(e).await?;
    notify_next(&mut tx, &channel, &event, now).await?;
    tx.commit().await?;
    Ok(channel)
}

/// The scheduled job: moves every active channel whose review date has come to
/// `review_due` and reminds its account manager and communications. Returns how many.
pub async fn review_sweep(store: &Store, scanner: &Scanner, now: i64) -> Result<usize, AppError> {
    let mut moved = 0;
    for id in store.channels_due_for_review(now).await? {
        match apply(store, scanner, None, id, ChannelEvent::ReviewDue, now).await {
            Ok(_) => moved += 1,
            // Another server's sweep moved it first.
            Err(AppError::Conflict(_)) => {}
            Err(err) => return Err(err),
        }
    }
    Ok(moved)
}

/// Replaces the editors of a set-up or approved channel (communications or its account
/// manager). Every editor needs in-date social media training (mtw §4.0).
pub async fn set_editors(
    store: &Store,
    who: &Principal,
    id: i64,
    editors: Vec<i64>,
    now: i64,
) -> Result<Vec<i64>, AppError> {
    let mut tx = store.write().await?;
    let (channel, before) = tx.channel(id).await?.ok_or(AppError::NotFound("channel"))?;
    if !may_view(who, &channel, &before) {
        return Err(AppError::NotFound("channel"));
    }
    if who.may(Action::ManageRegister).is_err() && channel.account_manager_id != Some(who.user_id) {
        return Err(AppError::Refused(
            "only communications or the channel's account manager can change its editors".into(),
        ));
    }
    if !matches!(
        channel.state,
        ChannelState::Approved | ChannelState::Active | ChannelState::ReviewDue
    ) {
        return Err(AppError::Conflict(format!(
            "a channel that is {} has no editors to change",
            channel.state
        )));
    }
    let mut editors = editors;
    editors.sort_unstable();
    editors.dedup();
    for editor in &editors {
        let user = tx.user(*editor).await?.filter(|u| u.disabled_at.is_none());
        let Some(user) = user else {
            return Err(AppError::BadRequest(format!(
                "editors: no active user {editor}"
            )));
        };
        if !tx
            .has_current_training(*editor, SOCIAL_MEDIA_TRAINING, now)
            .await?
        {
            return Err(AppError::BadRequest(format!(
                "editors: {} needs in-date social media training from communications before they can edit a channel",
                user.display_name
            )));
        }
    }
    tx.set_channel_editors(id, &editors).await?;
    let mut e = entry(&who.into(), now, "channel.editors", format!("channel:{id}"));
    e.before = serde_json::to_string(&before).ok();
    e.after = serde_json::to_string(&editors).ok();
    tx.audit(e).await?;
    let name = channel.form.account_name.clone();
    for editor in editors.iter().filter(|e| !before.contains(e)) {
        tx.notify(
            *editor,
            &format!("You are now an editor of {name}"),
            &format!("/channels/{id}"),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(editors)
}

/// The people on a live channel (account manager and editors) whose social media training is
/// not in date at `now`.
pub fn lapsed_people(
    channel: &Channel,
    editors: &[i64],
    trained: &std::collections::HashSet<i64>,
) -> Vec<i64> {
    if !matches!(
        channel.state,
        ChannelState::Approved | ChannelState::Active | ChannelState::ReviewDue
    ) {
        return Vec::new();
    }
    let mut people: Vec<i64> = channel
        .account_manager_id
        .into_iter()
        .chain(editors.iter().copied())
        .collect();
    people.sort_unstable();
    people.dedup();
    people.retain(|p| !trained.contains(p));
    people
}

/// Marks all of `who`'s notifications read.
pub async fn mark_notifications_read(
    store: &Store,
    who: &Principal,
    now: i64,
) -> Result<u64, AppError> {
    let mut tx = store.write().await?;
    let n = tx.mark_notifications_read(who.user_id, now).await?;
    tx.audit(entry(
        &who.into(),
        now,
        "notification.read",
        format!("user:{}", who.user_id),
    ))
    .await?;
    tx.commit().await?;
    Ok(n)
}

/// One line of the register.
#[derive(Debug, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RegisterEntry {
    pub id: i64,
    pub account_name: String,
    pub platform: String,
    pub handle: String,
    pub profile_url: String,
    pub service: String,
    pub account_manager: String,
    pub editors: Vec<String>,
    /// `YYYY-MM-DD`, UTC.
    pub set_up_on: String,
    pub review_on: String,
    pub state: String,
}

/// The register rows `who` may see, matching `filter`.
pub async fn register(
    store: &Store,
    who: &Principal,
    filter: &socialgov_store::ChannelFilter,
) -> Result<Vec<RegisterEntry>, AppError> {
    let names: std::collections::HashMap<i64, String> = store
        .users()
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let name = |id: i64| names.get(&id).cloned().unwrap_or_default();
    let mut out = Vec::new();
    let mut all_editors = store.editors_by_channel().await?;
    for c in store.channels(filter).await? {
        let editors = all_editors.remove(&c.id).unwrap_or_default();
        if !may_view(who, &c, &editors) {
            continue;
        }
        out.push(RegisterEntry {
            id: c.id,
            account_name: c.form.account_name.clone(),
            platform: c
                .form
                .platform
                .map(|p| p.label().to_owned())
                .unwrap_or_default(),
            handle: c.form.handle.clone(),
            profile_url: c.form.profile_url.clone(),
            service: c.form.service.clone(),
            account_manager: c.account_manager_id.map(name).unwrap_or_default(),
            editors: editors.into_iter().map(name).collect(),
            set_up_on: c
                .set_up_on
                .map(crate::dates::format_day)
                .unwrap_or_default(),
            review_on: c
                .review_on
                .map(crate::dates::format_day)
                .unwrap_or_default(),
            state: c.state.as_str().to_owned(),
        });
    }
    Ok(out)
}

/// The register as CSV (RFC 4180 quoting), with a header row.
pub fn register_csv(rows: &[RegisterEntry]) -> String {
    let mut out = String::from(
        "id,account_name,platform,handle,profile_url,service,account_manager,editors,set_up_on,review_on,state\n",
    );
    for r in rows {
        let fields = [
            r.id.to_string(),
            r.account_name.clone(),
            r.platform.clone(),
            r.handle.clone(),
            r.profile_url.clone(),
            r.service.clone(),
            r.account_manager.clone(),
            r.editors.join("; "),
            r.set_up_on.clone(),
            r.review_on.clone(),
            r.state.clone(),
        ];
        out.push_str(
            &fields
                .iter()
                .map(|f| crate::web::csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    out
}

/// Records a completed training for `user_id`.
pub async fn record_training(
    store: &Store,
    who: &Principal,
    user_id: i64,
    kind: &str,
    completed_on: i64,
    expires_on: Option<i64>,
    now: i64,
) -> Result<i64, AppError> {
    who.may(Action::ManageRegister)?;
    let Some(kind) = TrainingKind::parse(kind) else {
        let kinds: Vec<&str> = TrainingKind::ALL.iter().map(|k| k.as_str()).collect();
        return Err(AppError::BadRequest(format!(
            "kind: one of {}",
            kinds.join(", ")
        )));
    };
    let kind = kind.as_str();
    if expires_on.is_some_and(|e| e <= completed_on) {
        return Err(AppError::BadRequest(
            "expires_on: must be after completed_on".into(),
        ));
    }
    let mut tx = store.write().await?;
    if tx.user(user_id).await?.is_none() {
        return Err(AppError::BadRequest(format!("user_id: no user {user_id}")));
    }
    let id = tx
        .add_training(user_id, kind, completed_on, expires_on, now)
        .await?;
    let mut e = entry(
        &who.into(),
        now,
        "training.record",
        format!("user:{user_id}"),
    );
    e.after = serde_json::to_string(
        &serde_json::json!({"kind": kind, "completed_on": completed_on, "expires_on": expires_on}),
    )
    .ok();
    tx.audit(e).await?;
    tx.commit().await?;
    Ok(id)
}

/// What an import found: the rows it would import (or did) and every row it cannot.
#[derive(Debug, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ImportReport {
    /// Rows that passed every check.
    pub good_rows: usize,
    /// Rows written: 0 on a dry run or when any row is bad.
    pub imported: usize,
    /// Every bad row, by its line in the file (the header is line 1).
    pub errors: Vec<ImportError>,
}

#[derive(Debug, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ImportError {
    pub line: u64,
    pub message: String,
}

impl From<RowError> for ImportError {
    fn from(e: RowError) -> Self {
        ImportError {
            line: e.line,
            message: e.message,
        }
    }
}

/// Imports training records from a staff records system's CSV export. Every row is checked
/// (dates, kinds, and that the person has an account, by username or e-mail); with any bad
/// row, or on a dry run, nothing is written. Otherwise every row is written in one
/// transaction with one audit entry.
pub async fn import_training(
    store: &Store,
    who: &Principal,
    csv: &str,
    mapping: &ColumnMapping,
    dry_run: bool,
    now: i64,
) -> Result<ImportReport, AppError> {
    who.may(Action::ManageRegister)?;
    let (rows, mut errors) = match socialgov_domain::training::read_csv(csv, mapping) {
        Ok(parsed) => parsed,
        Err(e) => {
            return Ok(ImportReport {
                good_rows: 0,
                imported: 0,
                errors: vec![e.into()],
            });
        }
    };
    let mut by_name = std::collections::HashMap::new();
    for u in store.users().await? {
        if let Some(email) = &u.email {
            by_name.insert(email.to_ascii_lowercase(), u.id);
        }
        by_name.insert(u.username.clone(), u.id);
    }
    let mut resolved: Vec<(i64, &ImportRow)> = Vec::new();
    for row in &rows {
        match by_name.get(&row.person) {
            Some(id) => resolved.push((*id, row)),
            None => errors.push(RowError {
                line: row.line,
                message: format!("no account with username or e-mail {:?}", row.person),
            }),
        }
    }
    errors.sort_by_key(|e| e.line);
    let good_rows = resolved.len();
    if dry_run || !errors.is_empty() {
        return Ok(ImportReport {
            good_rows,
            imported: 0,
            errors: errors.into_iter().map(Into::into).collect(),
        });
    }
    let mut tx = store.write().await?;
    for (user_id, row) in &resolved {
        tx.add_training(
            *user_id,
            row.kind.as_str(),
            row.completed_on,
            row.expires_on,
            now,
        )
        .await?;
    }
    let mut e = entry(&who.into(), now, "training.import", "training".into());
    e.after = Some(format!("{{\"rows\":{good_rows}}}"));
    tx.audit(e).await?;
    tx.commit().await?;
    Ok(ImportReport {
        good_rows,
        imported: good_rows,
        errors: Vec::new(),
    })
}

/// Reports an account that claims to be the trust's but is not on the register; every
/// communications officer is told.
pub async fn report_imposter(
    store: &Store,
    who: &Principal,
    platform: &str,
    handle: &str,
    url: &str,
    details: &str,
    now: i64,
) -> Result<i64, AppError> {
    who.may(Action::RequestChannel)?;
    let mut problems = Vec::new();
    let platform = socialgov_domain::platform::Platform::parse(platform);
    if platform.is_err() {
        problems.push(FormProblem {
            field: "platform",
            message: "Select the platform".into(),
        });
    }
    if handle.trim().is_empty() && url.trim().is_empty() {
        problems.push(FormProblem {
            field: "handle",
            message: "Enter the account's handle or its address".into(),
        });
    }
    if !url.trim().is_empty()
        && !url.trim().starts_with("https://")
        && !url.trim().starts_with("http://")
    {
        problems.push(FormProblem {
            field: "url",
            message: "Enter the address as it appears in the browser, starting https://".into(),
        });
    }
    if details.trim().is_empty() {
        problems.push(FormProblem {
            field: "details",
            message: "Say why you think it is pretending to be the trust".into(),
        });
    }
    let Ok(platform) = platform else {
        return Err(AppError::Form(problems));
    };
    if !problems.is_empty() {
        return Err(AppError::Form(problems));
    }
    let report = socialgov_store::ImposterReport {
        id: 0,
        reporter_id: who.user_id,
        platform: platform.as_str().to_owned(),
        handle: handle.trim().to_owned(),
        url: url.trim().to_owned(),
        details: details.trim().to_owned(),
        outcome: None,
        outcome_note: None,
        channel_id: None,
        created_at: now,
        closed_at: None,
    };
    let mut tx = store.write().await?;
    let id = tx.create_imposter_report(&report).await?;
    let mut e = entry(
        &who.into(),
        now,
        "imposter.report",
        format!("imposter:{id}"),
    );
    e.after = serde_json::to_string(&serde_json::json!({"platform": report.platform, "handle": report.handle, "url": report.url})).ok();
    tx.audit(e).await?;
    for officer in tx.users_with_role(Role::CommsOfficer.as_str()).await? {
        let message = format!(
            "An account on {} may be pretending to be the trust: {}",
            platform.label(),
            if report.handle.is_empty() {
                &report.url
            } else {
                &report.handle
            }
        );
        tx.notify(officer, &message, "/imposters", now).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// How communications closes a report of an account pretending to be the trust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImposterOutcome {
    /// It is the trust's after all and is already on the register, as this channel.
    AdoptedAs(i64),
    /// The trust takes it over: it joins the register live, run by `service`, with its
    /// account manager and first review date (head of communications only).
    AdoptedNew {
        service: String,
        account_manager_id: i64,
        review_on: i64,
    },
    /// The platform removed it.
    TakenDown,
}

impl ImposterOutcome {
    /// The outcome a request names: `taken_down`, or `adopted` with either the register
    /// entry it already is (`channel_id`) or what a new entry needs.
    pub fn from_request(
        outcome: &str,
        channel_id: Option<i64>,
        service: Option<&str>,
        account_manager_id: Option<i64>,
        review_on: Option<i64>,
    ) -> Result<ImposterOutcome, AppError> {
        match (outcome, channel_id) {
            ("taken_down", _) => Ok(ImposterOutcome::TakenDown),
            ("adopted", Some(c)) => Ok(ImposterOutcome::AdoptedAs(c)),
            ("adopted", None) => match (account_manager_id, review_on) {
                (Some(account_manager_id), Some(review_on)) => Ok(ImposterOutcome::AdoptedNew {
                    service: service.unwrap_or("").trim().to_owned(),
                    account_manager_id,
                    review_on,
                }),
                (None, _) if service.is_none_or(|s| s.trim().is_empty()) => Err(AppError::BadRequest(
                    "channel_id: name the register entry the account already is, or give service, account_manager_id and review_on to add it to the register".into(),
                )),
                (None, _) => Err(AppError::BadRequest(
                    "account_manager_id: name who will manage the adopted account".into(),
                )),
                (Some(_), None) => Err(AppError::BadRequest(
                    "review_on: give the date of its first review, within a year".into(),
                )),
            },
            (other, _) => Err(AppError::BadRequest(format!(
                "outcome: adopted or taken_down, not {other:?}"
            ))),
        }
    }
}

/// Communications closes a report: adopted (as an existing register entry, or as a new one
/// that joins the register live) or taken down. The reporter is told. Returns the register
/// entry an adopted account is.
pub async fn close_imposter(
    store: &Store,
    who: &Principal,
    id: i64,
    outcome: ImposterOutcome,
    note: &str,
    now: i64,
) -> Result<Option<i64>, AppError> {
    who.may(Action::ManageRegister)?;
    if note.trim().is_empty() {
        return Err(AppError::BadRequest("note: say what was done".into()));
    }
    let mut tx = store.write().await?;
    let report = tx
        .imposter_report(id)
        .await?
        .ok_or(AppError::NotFound("imposter report"))?;
    if report.closed_at.is_some() {
        return Err(AppError::Conflict("this report is already closed".into()));
    }
    let channel_id = match outcome {
        ImposterOutcome::AdoptedAs(c) => {
            if tx.channel(c).await?.is_none() {
                return Err(AppError::BadRequest(format!("channel_id: no channel {c}")));
            }
            Some(c)
        }
        ImposterOutcome::AdoptedNew {
            service,
            account_manager_id,
            review_on,
        } => {
            if tx
                .user(account_manager_id)
                .await?
                .is_none_or(|u| u.disabled_at.is_some())
            {
                return Err(AppError::BadRequest(format!(
                    "account_manager_id: no active user {account_manager_id}"
                )));
            }
            let platform = socialgov_domain::platform::Platform::parse(&report.platform)
                .map_err(|e| AppError::internal(e.to_string()))?;
            // The report's "name or handle" is kept as the account's name, and as its handle
            // when the platform would accept it as one.
            let found = if report.handle.is_empty() {
                &report.url
            } else {
                &report.handle
            };
            let form = ChannelForm {
                platform: Some(platform),
                service,
                account_name: found.clone(),
                handle: platform.handle(&report.handle).unwrap_or_default(),
                profile_url: report.url.clone(),
                ..ChannelForm::default()
            };
            let adoption = socialgov_domain::channel::Adoption {
                form,
                account_manager_id,
                account_manager_trained: tx
                    .has_current_training(account_manager_id, SOCIAL_MEDIA_TRAINING, now)
                    .await?,
                review_on,
                note: note.to_owned(),
            };
            let mut channel = Channel::adopt(adoption, who, now)?;
            channel.id = tx.create_channel(&channel).await?;
            let mut e = entry(
                &who.into(),
                now,
                "channel.adopt",
                format!("channel:{}", channel.id),
            );
            e.after = summary(&channel);
            tx.audit(e).await?;
            tx.notify(
                account_manager_id,
                &format!(
                    "{} on {} is now on the register, and you are its account manager",
                    channel.form.account_name,
                    platform.label()
                ),
                &format!("/channels/{}", channel.id),
                now,
            )
            .await?;
            Some(channel.id)
        }
        ImposterOutcome::TakenDown => None,
    };
    let outcome = if channel_id.is_some() {
        "adopted"
    } else {
        "taken_down"
    };
    tx.close_imposter_report(id, outcome, note.trim(), channel_id, now)
        .await?;
    let mut e = entry(
        &who.into(),
        now,
        &format!("imposter.{outcome}"),
        format!("imposter:{id}"),
    );
    e.after =
        serde_json::to_string(&serde_json::json!({"note": note.trim(), "channel_id": channel_id}))
            .ok();
    tx.audit(e).await?;
    let message = match channel_id {
        Some(_) => "The account you reported has been adopted into the trust's register",
        None => "The account you reported has been taken down",
    };
    tx.notify(report.reporter_id, message, "/imposters", now)
        .await?;
    tx.commit().await?;
    Ok(channel_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lapsed_training_is_found_on_live_channels_only() {
        let mut c = Channel::draft(1, ChannelForm::default(), 0);
        c.account_manager_id = Some(2);
        let trained: std::collections::HashSet<i64> = [3].into();
        assert!(
            lapsed_people(&c, &[3, 4], &trained).is_empty(),
            "a draft has nobody to lapse"
        );
        c.state = ChannelState::Active;
        assert_eq!(lapsed_people(&c, &[3, 4, 2], &trained), [2, 4]);
        c.state = ChannelState::Retired;
        assert!(lapsed_people(&c, &[4], &trained).is_empty());
    }
}
