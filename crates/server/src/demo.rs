//! `serve --demo`: a demo trust with one user for every role, a department tree with line
//! managers, created once, so a newcomer sees a living system in one step.

use std::collections::BTreeSet;

use socialgov_domain::Role;
use socialgov_store::Store;

use crate::accounts::{self, Actor, UserRequest};
use crate::auth::new_secret;
use crate::error::AppError;

/// One demo login.
pub struct DemoLogin {
    pub username: &'static str,
    pub roles: Vec<Role>,
}

/// The demo password: printed at start-up, the same for every demo account.
pub struct DemoSeed {
    pub created: bool,
    pub password: Option<String>,
    pub logins: Vec<DemoLogin>,
}

/// A demo person: username, name, roles, department, line manager's username.
type Person = (
    &'static str,
    &'static str,
    &'static [Role],
    &'static str,
    Option<&'static str>,
);

const PEOPLE: [Person; 12] = [
    (
        "admin",
        "Ada Administrator",
        &[Role::Administrator, Role::Staff],
        "Digital services",
        None,
    ),
    (
        "comms.head",
        "Harriet Head",
        &[Role::HeadOfComms, Role::LineManager, Role::Staff],
        "Communications",
        None,
    ),
    (
        "comms.officer",
        "Colin Officer",
        &[Role::CommsOfficer, Role::Staff],
        "Communications",
        Some("comms.head"),
    ),
    (
        "ward.manager",
        "Mina Manager",
        &[Role::LineManager, Role::Staff],
        "Ward 7 (Medicine)",
        None,
    ),
    (
        "nurse",
        "Nia Nurse",
        &[Role::Staff],
        "Ward 7 (Medicine)",
        Some("ward.manager"),
    ),
    (
        "hr.adviser",
        "Hugo HR",
        &[Role::Hr, Role::Staff],
        "Workforce",
        None,
    ),
    (
        "ig.lead",
        "Iris Governance",
        &[Role::InformationGovernance, Role::Staff],
        "Information governance",
        None,
    ),
    (
        "pals",
        "Pat PALS",
        &[Role::Pals, Role::Staff],
        "Patient experience",
        None,
    ),
    (
        "safeguarding",
        "Sam Safeguarding",
        &[Role::Safeguarding, Role::Staff],
        "Nursing directorate",
        None,
    ),
    (
        "legal",
        "Lee Legal",
        &[Role::Legal, Role::Staff],
        "Corporate",
        None,
    ),
    (
        "security",
        "Sid Security",
        &[Role::Security, Role::Staff],
        "Estates",
        None,
    ),
    (
        "foi",
        "Fay FOI",
        &[Role::FoiOfficer, Role::Staff],
        "Corporate",
        None,
    ),
];

const DEPARTMENTS: [(&str, Option<&str>); 9] = [
    ("Corporate", None),
    ("Communications", Some("Corporate")),
    ("Digital services", Some("Corporate")),
    ("Information governance", Some("Corporate")),
    ("Workforce", Some("Corporate")),
    ("Estates", Some("Corporate")),
    ("Nursing directorate", None),
    ("Patient experience", Some("Nursing directorate")),
    ("Ward 7 (Medicine)", Some("Nursing directorate")),
];

/// Creates the demo trust unless it exists (an `admin` user means it does).
pub async fn seed(store: &Store, now: i64) -> Result<DemoSeed, AppError> {
    let logins = PEOPLE
        .iter()
        .map(|(u, _, roles, _, _)| DemoLogin {
            username: u,
            roles: roles.to_vec(),
        })
        .collect();
    if store.user_by_name("admin").await?.is_some() {
        return Ok(DemoSeed {
            created: false,
            password: None,
            logins,
        });
    }
    let actor = Actor::system();
    let mut dept_ids = std::collections::HashMap::new();
    {
        let mut tx = store.write().await?;
        for (name, parent) in DEPARTMENTS {
            let parent_id = parent.and_then(|p| dept_ids.get(p).copied());
            let id = tx.create_department(name, parent_id).await?;
            dept_ids.insert(name, id);
        }
        tx.audit(accounts::entry(
            &actor,
            now,
            "department.create",
            "demo departments".into(),
        ))
        .await?;
        tx.commit().await?;
    }
    let password = format!("demo-{}", new_secret().get(..12).unwrap_or("password-123"));
    let mut user_ids = std::collections::HashMap::new();
    for (username, name, roles, dept, manager) in PEOPLE {
        let user = accounts::create_user(
            store,
            &actor,
            UserRequest {
                username: username.into(),
                display_name: name.into(),
                email: Some(format!("{username}@demo-trust.nhs.invalid")),
                password: Some(password.clone()),
                department_id: dept_ids.get(dept).copied(),
                manager_id: manager.and_then(|m| user_ids.get(m).copied()),
                roles: roles.iter().copied().collect::<BTreeSet<_>>(),
            },
            now,
        )
        .await?;
        user_ids.insert(username, user.id);
    }
    // Training: everyone has had induction; the nurse and the communications officer have
    // in-date social media training, so either can be named account manager.
    let year = 365 * 86_400_000;
    let mut tx = store.write().await?;
    for (username, id) in &user_ids {
        tx.add_training(*id, "induction", now - 200 * 86_400_000, None, now)
            .await?;
        if matches!(*username, "nurse" | "comms.officer") {
            tx.add_training(
                *id,
                crate::channels::SOCIAL_MEDIA_TRAINING,
                now - 30 * 86_400_000,
                Some(now + year),
                now,
            )
            .await?;
        }
    }
    tx.audit(accounts::entry(
        &actor,
        now,
        "training.record",
        "demo training records".into(),
    ))
    .await?;
    tx.commit().await?;
    Ok(DemoSeed {
        created: true,
        password: Some(password),
        logins,
    })
}
