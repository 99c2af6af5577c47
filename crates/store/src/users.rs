//! Users, roles, departments, sessions and login failures.

use std::collections::BTreeSet;

use socialgov_domain::{Department, Role, Timestamp, User};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Result, Store, StoreError, WriteTx, conflict};

/// What it takes to create a user.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    /// An argon2id PHC string; `None` for an account that cannot sign in yet.
    pub password_hash: Option<String>,
    pub department_id: Option<i64>,
    pub manager_id: Option<i64>,
    pub roles: BTreeSet<Role>,
}

/// A signed-in session as stored.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: Timestamp,
}

/// The columns [`user_from_row`] reads, as a macro so queries stay `&'static str`.
macro_rules! user_columns {
    () => {
        "u.id, u.username, u.display_name, u.email, u.department_id, u.manager_id, u.disabled_at"
    };
}

fn user_from_row(row: &AnyRow, roles: BTreeSet<Role>) -> Result<User> {
    Ok(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        email: row.try_get("email")?,
        department_id: row.try_get("department_id")?,
        manager_id: row.try_get("manager_id")?,
        roles,
        disabled_at: row.try_get("disabled_at")?,
    })
}

fn parse_roles(rows: &[AnyRow]) -> Result<BTreeSet<Role>> {
    rows.iter()
        .map(|row| {
            let name: String = row.try_get("role")?;
            name.parse::<Role>()
                .map_err(|e| StoreError::Corrupt(e.to_string()))
        })
        .collect()
}

/// Loads one user and their roles on `conn` (a pooled connection or a write transaction).
async fn load_user(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Option<User>> {
    let sql = concat!("SELECT ", user_columns!(), " FROM users u WHERE u.id = $1");
    let Some(row) = sqlx::query(sql).bind(id).fetch_optional(&mut *conn).await? else {
        return Ok(None);
    };
    let role_rows = sqlx::query("SELECT role FROM user_roles WHERE user_id = $1")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    user_from_row(&row, parse_roles(&role_rows)?).map(Some)
}

impl Store {
    async fn roles_of(&self, user_id: i64) -> Result<BTreeSet<Role>> {
        let rows = sqlx::query("SELECT role FROM user_roles WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?;
        parse_roles(&rows)
    }

    async fn user_from(&self, row: Option<AnyRow>) -> Result<Option<User>> {
        let Some(row) = row else { return Ok(None) };
        let id: i64 = row.try_get("id")?;
        let roles = self.roles_of(id).await?;
        user_from_row(&row, roles).map(Some)
    }

    /// The user with this id.
    pub async fn user(&self, id: i64) -> Result<Option<User>> {
        let mut conn = self.pool.acquire().await?;
        load_user(&mut conn, id).await
    }

    /// The user with this login name, and their password hash.
    pub async fn user_for_login(&self, username: &str) -> Result<Option<(User, Option<String>)>> {
        let sql = concat!(
            "SELECT ",
            user_columns!(),
            ", u.password_hash FROM users u WHERE u.username = $1"
        );
        let Some(row) = sqlx::query(sql)
            .bind(username)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let id: i64 = row.try_get("id")?;
        let hash: Option<String> = row.try_get("password_hash")?;
        let user = user_from_row(&row, self.roles_of(id).await?)?;
        Ok(Some((user, hash)))
    }

    /// The user with this login name.
    pub async fn user_by_name(&self, username: &str) -> Result<Option<User>> {
        let sql = concat!(
            "SELECT ",
            user_columns!(),
            " FROM users u WHERE u.username = $1"
        );
        let row = sqlx::query(sql)
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        self.user_from(row).await
    }

    /// Every user, by login name.
    pub async fn users(&self) -> Result<Vec<User>> {
        let sql = concat!(
            "SELECT ",
            user_columns!(),
            " FROM users u ORDER BY u.username"
        );
        let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
        let role_rows = sqlx::query("SELECT user_id, role FROM user_roles")
            .fetch_all(&self.pool)
            .await?;
        let mut roles: std::collections::HashMap<i64, BTreeSet<Role>> = Default::default();
        for row in &role_rows {
            let id: i64 = row.try_get("user_id")?;
            let name: String = row.try_get("role")?;
            let role = name
                .parse::<Role>()
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            roles.entry(id).or_default().insert(role);
        }
        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get("id")?;
                user_from_row(row, roles.remove(&id).unwrap_or_default())
            })
            .collect()
    }

    /// The users whose line manager is `manager_id`.
    pub async fn reports_of(&self, manager_id: i64) -> Result<Vec<User>> {
        Ok(self
            .users()
            .await?
            .into_iter()
            .filter(|u| u.manager_id == Some(manager_id))
            .collect())
    }

    /// Every department, by name.
    pub async fn departments(&self) -> Result<Vec<Department>> {
        let rows = sqlx::query("SELECT id, name, parent_id FROM departments ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Department {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    parent_id: row.try_get("parent_id")?,
                })
            })
            .collect()
    }

    /// The live session with this token hash, with its user, if it has not expired and the
    /// user is not disabled.
    pub async fn session(&self, token_hash: &str, now: Timestamp) -> Result<Option<SessionRow>> {
        let row = sqlx::query(
            "SELECT user_id, csrf_token, expires_at FROM sessions WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let user_id: i64 = row.try_get("user_id")?;
        let Some(user) = self.user(user_id).await? else {
            return Ok(None);
        };
        if user.disabled_at.is_some() {
            return Ok(None);
        }
        Ok(Some(SessionRow {
            user,
            csrf_token: row.try_get("csrf_token")?,
            expires_at: row.try_get("expires_at")?,
        }))
    }

    /// How many failed logins for `username` since `since`.
    pub async fn login_failures_since(&self, username: &str, since: Timestamp) -> Result<i64> {
        let row =
            sqlx::query("SELECT COUNT(*) AS n FROM login_failures WHERE username = $1 AND at > $2")
                .bind(username)
                .bind(since)
                .fetch_one(&self.pool)
                .await?;
        Ok(row.try_get("n")?)
    }
}

impl WriteTx {
    /// The user with this id, read inside the transaction (so a change based on it cannot
    /// lose a concurrent one: writers hold the lock).
    pub async fn user(&mut self, id: i64) -> Result<Option<User>> {
        load_user(&mut self.tx, id).await
    }

    /// Whether a department with this id exists.
    pub async fn department_exists(&mut self, id: i64) -> Result<bool> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM departments WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *self.tx)
            .await?;
        Ok(row.try_get::<i64, _>("n")? > 0)
    }

    /// Creates a user with their roles; returns the new id.
    pub async fn create_user(&mut self, new: &NewUser, now: Timestamp) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO users (username, display_name, email, password_hash, department_id, manager_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&new.username)
        .bind(&new.display_name)
        .bind(&new.email)
        .bind(&new.password_hash)
        .bind(new.department_id)
        .bind(new.manager_id)
        .bind(now)
        .fetch_one(self.conn())
        .await
        .map_err(conflict("a user with that username"))?;
        let id: i64 = row.try_get("id")?;
        self.set_roles(id, &new.roles).await?;
        Ok(id)
    }

    /// Replaces a user's roles.
    pub async fn set_roles(&mut self, user_id: i64, roles: &BTreeSet<Role>) -> Result<()> {
        sqlx::query("DELETE FROM user_roles WHERE user_id = $1")
            .bind(user_id)
            .execute(self.conn())
            .await?;
        for role in roles {
            sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                .bind(user_id)
                .bind(role.as_str())
                .execute(self.conn())
                .await?;
        }
        Ok(())
    }

    /// Changes a user's name, e-mail, department and line manager.
    pub async fn update_user(&mut self, user: &User) -> Result<()> {
        let done = sqlx::query(
            "UPDATE users SET display_name = $1, email = $2, department_id = $3, manager_id = $4 WHERE id = $5",
        )
        .bind(&user.display_name)
        .bind(&user.email)
        .bind(user.department_id)
        .bind(user.manager_id)
        .bind(user.id)
        .execute(self.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("user"));
        }
        self.set_roles(user.id, &user.roles).await
    }

    /// Sets a user's password hash and ends all their sessions.
    pub async fn set_password_hash(&mut self, user_id: i64, hash: &str) -> Result<()> {
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user_id)
            .execute(self.conn())
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("user"));
        }
        self.end_sessions_of(user_id).await.map(|_| ())
    }

    /// Disables (`Some(now)`) or re-enables (`None`) an account; disabling ends its sessions.
    pub async fn set_disabled(
        &mut self,
        user_id: i64,
        disabled_at: Option<Timestamp>,
    ) -> Result<()> {
        let done = sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2")
            .bind(disabled_at)
            .bind(user_id)
            .execute(self.conn())
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("user"));
        }
        if disabled_at.is_some() {
            self.end_sessions_of(user_id).await?;
        }
        Ok(())
    }

    /// Creates a department; returns its id.
    pub async fn create_department(&mut self, name: &str, parent_id: Option<i64>) -> Result<i64> {
        let row =
            sqlx::query("INSERT INTO departments (name, parent_id) VALUES ($1, $2) RETURNING id")
                .bind(name)
                .bind(parent_id)
                .fetch_one(self.conn())
                .await
                .map_err(conflict("a department with that name"))?;
        Ok(row.try_get("id")?)
    }

    /// Starts a session.
    pub async fn create_session(
        &mut self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(now)
        .bind(expires_at)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Ends one session.
    pub async fn end_session(&mut self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Ends every session of a user ("sign out everywhere"); returns how many.
    pub async fn end_sessions_of(&mut self, user_id: i64) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(self.conn())
            .await?;
        Ok(done.rows_affected())
    }

    /// Records a failed login, and forgets failures older than `forget_before`.
    pub async fn record_login_failure(
        &mut self,
        username: &str,
        now: Timestamp,
        forget_before: Timestamp,
    ) -> Result<()> {
        sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(forget_before)
            .execute(self.conn())
            .await?;
        sqlx::query("INSERT INTO login_failures (username, at) VALUES ($1, $2)")
            .bind(username)
            .bind(now)
            .execute(self.conn())
            .await?;
        Ok(())
    }
}
