//! The server's configuration, in one typed place: built-in defaults, then a TOML file, then
//! `SOCIALGOV_*` environment variables, then command-line flags (applied by the binary).

use std::net::SocketAddr;
use std::path::PathBuf;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// Everything the server can be told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address and port to listen on.
    pub listen: SocketAddr,
    /// Directory for the embedded SQLite database (`socialgov.db`).
    pub data_dir: PathBuf,
    /// `postgres://…` to run on PostgreSQL instead of SQLite in `data_dir`.
    pub database_url: Option<String>,
    /// Most connections to keep open to the database.
    pub max_connections: u32,
    /// The policy pack used when a request names none.
    pub default_pack: String,
    /// Largest request body accepted, in bytes; larger bodies get 413.
    pub max_body_bytes: usize,
    /// How long a session lasts without signing in again, in hours.
    pub session_hours: u32,
    /// Mark cookies `Secure` (set when served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Failed logins allowed per account within `login_window_minutes` before refusing.
    pub login_max_failures: u32,
    /// The window for `login_max_failures`, in minutes.
    pub login_window_minutes: u32,
    /// Where the `nhsuk-frontend` npm package was installed (`npm ci --prefix web`).
    pub assets_dir: PathBuf,
    /// Log format: `text` or `json`.
    pub log_format: LogFormat,
    /// The SMTP relay that notifications are e-mailed through
    /// (`smtp://user:password@relay.example.nhs.uk:587?tls=required`); without it they wait
    /// in the outbox.
    pub smtp_url: Option<String>,
    /// The sender of those e-mails (`socialgov <socialgov@trust.nhs.uk>`); needed with
    /// `smtp_url`.
    pub mail_from: Option<String>,
    /// The address people reach this server at (`https://socialgov.trust.nhs.uk`), for links
    /// in e-mails.
    pub public_url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            database_url: None,
            max_connections: 16,
            default_pack: "nhs-baseline".into(),
            max_body_bytes: 256 * 1024,
            session_hours: 12,
            secure_cookies: false,
            login_max_failures: 5,
            login_window_minutes: 15,
            assets_dir: PathBuf::from("web/node_modules/nhsuk-frontend/dist/nhsuk"),
            log_format: LogFormat::Text,
            smtp_url: None,
            mail_from: None,
            public_url: None,
        }
    }
}

/// A configuration that could not be read; the message names the key or file.
#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(pub(crate) String);

/// The keys of [`Config`]; only these are read from the environment.
const KEYS: [&str; 15] = [
    "listen",
    "data_dir",
    "database_url",
    "max_connections",
    "default_pack",
    "max_body_bytes",
    "session_hours",
    "secure_cookies",
    "login_max_failures",
    "login_window_minutes",
    "assets_dir",
    "log_format",
    "smtp_url",
    "mail_from",
    "public_url",
];

impl Config {
    /// Defaults, then `file` when given, then `SOCIALGOV_*` environment variables
    /// (`SOCIALGOV_LISTEN=0.0.0.0:8080`, `SOCIALGOV_DATABASE_URL=postgres://…`).
    pub fn load(file: Option<&std::path::Path>) -> Result<Config, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(file) = file {
            if !file.exists() {
                return Err(ConfigError(format!("no such file {}", file.display())));
            }
            figment = figment.merge(Toml::file(file));
        }
        figment
            .merge(Env::prefixed("SOCIALGOV_").only(&KEYS))
            .extract()
            .map_err(|e| ConfigError(e.to_string()))
    }

    /// The database to use: `database_url`, or SQLite in `data_dir`.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("socialgov.db").display()),
        }
    }

    /// The documented defaults, as a TOML file one can start from.
    pub fn documented_defaults() -> String {
        let d = Config::default();
        format!(
            r#"# socialgov configuration. Every key is optional; shown here with its default.
# Precedence: defaults < this file (--config) < SOCIALGOV_<KEY> environment variables
# < command-line flags.

# Address and port to listen on.
listen = "{listen}"
# Directory for the embedded SQLite database (socialgov.db).
data_dir = "{data_dir}"
# Run on PostgreSQL instead of SQLite (several servers may share one database):
# database_url = "postgres://socialgov@127.0.0.1:5432/socialgov"
# Most connections to keep open to the database.
max_connections = {max_connections}
# The policy pack used when a request names none (see `socialgov packs list`).
default_pack = "{default_pack}"
# Largest request body accepted, in bytes; larger bodies get 413.
max_body_bytes = {max_body_bytes}
# How long a session lasts without signing in again, in hours.
session_hours = {session_hours}
# Mark cookies Secure: set to true when served over TLS (directly or behind a proxy).
secure_cookies = {secure_cookies}
# Failed logins allowed per account within login_window_minutes before refusing.
login_max_failures = {login_max_failures}
login_window_minutes = {login_window_minutes}
# Where the nhsuk-frontend npm package was installed (npm ci --prefix web).
assets_dir = "{assets_dir}"
# Log format: "text" or "json". Logs never contain post text or personal data.
log_format = "text"
# E-mail every notification through this SMTP relay; without it e-mails wait in the outbox,
# which administrators see. smtps:// for TLS from the start, ?tls=required for STARTTLS.
# Put a password in SOCIALGOV_SMTP_URL rather than in this file.
# smtp_url = "smtp://user:password@relay.example.nhs.uk:587?tls=required"
# The sender of those e-mails (needed with smtp_url).
# mail_from = "socialgov <socialgov@trust.nhs.uk>"
# The address people reach this server at, for links in e-mails.
# public_url = "https://socialgov.trust.nhs.uk"
"#,
            listen = d.listen,
            data_dir = d.data_dir.display(),
            max_connections = d.max_connections,
            default_pack = d.default_pack,
            max_body_bytes = d.max_body_bytes,
            session_hours = d.session_hours,
            secure_cookies = d.secure_cookies,
            login_max_failures = d.login_max_failures,
            login_window_minutes = d.login_window_minutes,
            assets_dir = d.assets_dir.display(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_defaults_are_the_defaults() {
        let parsed: Config = Figment::from(Toml::string(&Config::documented_defaults()))
            .extract()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(parsed, Config::default());
    }

    #[test]
    fn a_bad_key_is_named() {
        let err = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::string("listen = 5"))
            .extract::<Config>()
            .map_err(|e| e.to_string());
        assert!(err.is_err_and(|e| e.contains("listen")));
    }
}
