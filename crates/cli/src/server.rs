//! `socialgov serve`, `config`, `user …` and `audit verify`: the server and its operator
//! commands. Configuration comes from one place ([`socialgov_server::config::Config`]); the
//! flags here override it.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use socialgov_domain::Role;
use socialgov_server::accounts::{self, Actor, UserRequest};
use socialgov_server::config::{Config, LogFormat};
use socialgov_server::{AppState, demo, now_ms};
use socialgov_store::Store;

/// Where the configuration comes from, for every command that uses the database.
#[derive(Args, Clone)]
pub struct ConfigArgs {
    /// A TOML configuration file (`socialgov config` prints one with every default).
    #[arg(long, value_name = "FILE", global = true)]
    config: Option<PathBuf>,
    /// Directory for the embedded SQLite database.
    #[arg(long, value_name = "DIR", global = true)]
    data_dir: Option<PathBuf>,
    /// Run on PostgreSQL (`postgres://…`) instead of SQLite.
    #[arg(long, value_name = "URL", global = true)]
    database_url: Option<String>,
}

impl ConfigArgs {
    fn load(&self) -> anyhow::Result<Config> {
        let mut config = Config::load(self.config.as_deref())?;
        if let Some(dir) = &self.data_dir {
            config.data_dir = dir.clone();
        }
        if let Some(url) = &self.database_url {
            config.database_url = Some(url.clone());
        }
        Ok(config)
    }

    /// The database, which must already exist (operator commands never create one by
    /// mistake, say from a mistyped --data-dir).
    async fn existing_store(&self) -> anyhow::Result<Store> {
        let config = self.load()?;
        if config.database_url.is_none() {
            let file = config.data_dir.join("socialgov.db");
            if !file.exists() {
                bail!(
                    "no database at {}; give the server's --data-dir (or --database-url), or start `socialgov serve` first",
                    file.display()
                );
            }
        }
        self.store_for(config).await
    }

    /// The database, created in the data directory when it does not exist yet.
    async fn store(&self) -> anyhow::Result<Store> {
        let config = self.load()?;
        if config.database_url.is_none() {
            std::fs::create_dir_all(&config.data_dir).with_context(|| {
                format!(
                    "cannot create the data directory {}",
                    config.data_dir.display()
                )
            })?;
        }
        self.store_for(config).await
    }

    async fn store_for(&self, config: Config) -> anyhow::Result<Store> {
        Ok(Store::connect(&config.database_url(), 2).await?)
    }
}

#[derive(Args)]
pub struct ServeArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// Address and port to listen on [default: 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR")]
    listen: Option<SocketAddr>,
    /// Create a demo trust (once) with one user for every role, and print the logins.
    #[arg(long)]
    demo: bool,
}

fn init_logs(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SOCIALGOV_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

pub fn serve(args: ServeArgs) -> anyhow::Result<u8> {
    let mut config = args.config.load()?;
    if let Some(listen) = args.listen {
        config.listen = listen;
    }
    init_logs(config.log_format);
    runtime()?.block_on(async move {
        if !config.assets_dir.join("nhsuk-frontend.min.css").exists() {
            tracing::warn!(
                assets_dir = %config.assets_dir.display(),
                "nhsuk-frontend is not installed there; pages will be unstyled (run: npm ci --prefix web)"
            );
        }
        let listen = config.listen;
        let state = AppState::open(config).await.map_err(anyhow::Error::msg)?;
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        let bound = listener.local_addr()?;
        if args.demo {
            let seed = demo::seed(&state.store, now_ms()).await?;
            print_demo(&seed, bound)?;
        }
        tracing::info!(address = %bound, backend = ?state.store.backend(), "socialgov is serving");
        outln!("socialgov is serving on http://{bound}/");
        socialgov_server::serve(state, listener, shutdown_signal()).await?;
        Ok(0)
    })
}

fn print_demo(seed: &demo::DemoSeed, listen: SocketAddr) -> anyhow::Result<()> {
    match &seed.password {
        Some(password) => {
            outln!(
                "Demo trust created. Log in at http://{listen}/login with any of these usernames"
            );
            outln!("and the password {password}");
            for login in &seed.logins {
                let roles: Vec<_> = login.roles.iter().map(|r| r.label()).collect();
                outln!("  {:<14} {}", login.username, roles.join(", "));
            }
        }
        None => outln!(
            "Demo trust already exists (its password was printed when it was created; `socialgov user passwd admin` sets a new one)."
        ),
    }
    Ok(())
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a user.
    Add {
        /// Login name: lower-case letters, digits, `.`, `_`, `-`.
        username: String,
        /// The person's full name.
        #[arg(long)]
        name: String,
        /// Roles, comma-separated (staff, line_manager, comms_officer, head_of_comms, hr,
        /// information_governance, pals, safeguarding, legal, security, foi_officer,
        /// administrator).
        #[arg(long, value_delimiter = ',', default_value = "staff")]
        roles: Vec<Role>,
        #[arg(long)]
        email: Option<String>,
        /// Read the password from this environment variable instead of standard input.
        #[arg(long, value_name = "VAR")]
        password_env: Option<String>,
    },
    /// Set a user's password (read from standard input) and sign them out everywhere.
    Passwd {
        username: String,
        #[arg(long, value_name = "VAR")]
        password_env: Option<String>,
    },
    /// Disable an account and sign it out everywhere.
    Disable { username: String },
    /// Enable a disabled account.
    Enable { username: String },
}

fn read_password(env: Option<&str>) -> anyhow::Result<String> {
    if let Some(var) = env {
        return std::env::var(var)
            .with_context(|| format!("environment variable {var} is not set"));
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        bail!("no password given on standard input");
    }
    Ok(password)
}

pub fn user(config: ConfigArgs, command: UserCommand) -> anyhow::Result<u8> {
    runtime()?.block_on(async move {
        let store = match command {
            // Adding the first administrator is how a new installation starts.
            UserCommand::Add { .. } => config.store().await?,
            _ => config.existing_store().await?,
        };
        let actor = Actor {
            id: None,
            name: "cli".into(),
        };
        let now = now_ms();
        match command {
            UserCommand::Add {
                username,
                name,
                roles,
                email,
                password_env,
            } => {
                let password = read_password(password_env.as_deref())?;
                let user = accounts::create_user(
                    &store,
                    &actor,
                    UserRequest {
                        username,
                        display_name: name,
                        email,
                        password: Some(password),
                        department_id: None,
                        manager_id: None,
                        roles: roles.into_iter().collect::<BTreeSet<_>>(),
                    },
                    now,
                )
                .await?;
                outln!("created user {} (id {})", user.username, user.id);
            }
            UserCommand::Passwd {
                username,
                password_env,
            } => {
                let password = read_password(password_env.as_deref())?;
                accounts::set_password(&store, &actor, &username, &password, now).await?;
                outln!("password set for {username}; their sessions have ended");
            }
            UserCommand::Disable { username } => {
                accounts::set_disabled(&store, &actor, &username, true, now).await?;
                outln!("disabled {username}");
            }
            UserCommand::Enable { username } => {
                accounts::set_disabled(&store, &actor, &username, false, now).await?;
                outln!("enabled {username}");
            }
        }
        store.close().await;
        Ok(0)
    })
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Issue an API token acting as OWNER; prints the secret once (only its hash is kept).
    Add {
        /// The user the token acts as; it can never do more than they may.
        owner: String,
        /// What uses the token, e.g. "intranet publishing plug-in".
        #[arg(long)]
        name: String,
        /// What the token may do, comma-separated: check_post, view_users, manage_users,
        /// view_audit, manage_api_tokens.
        #[arg(long, value_delimiter = ',', required = true)]
        scopes: Vec<String>,
    },
    /// Revoke a token by its id.
    Revoke { id: i64 },
}

pub fn token(config: ConfigArgs, command: TokenCommand) -> anyhow::Result<u8> {
    runtime()?.block_on(async move {
        let store = config.existing_store().await?;
        let actor = Actor {
            id: None,
            name: "cli".into(),
        };
        match command {
            TokenCommand::Add {
                owner,
                name,
                scopes,
            } => {
                let scopes = scopes
                    .iter()
                    .map(|s| {
                        socialgov_domain::Action::parse(s)
                            .with_context(|| format!("unknown scope {s:?}"))
                    })
                    .collect::<anyhow::Result<BTreeSet<_>>>()?;
                let (id, secret) =
                    accounts::issue_token(&store, &actor, &owner, &name, scopes, now_ms()).await?;
                eprintln!(
                    "token {id} issued for {owner}; send it as Authorization: Bearer <token>"
                );
                outln!("{secret}");
            }
            TokenCommand::Revoke { id } => {
                accounts::revoke_token(&store, &actor, id, now_ms()).await?;
                outln!("token {id} revoked");
            }
        }
        store.close().await;
        Ok(0)
    })
}

pub fn audit_verify(config: ConfigArgs) -> anyhow::Result<u8> {
    runtime()?.block_on(async move {
        let store = config.existing_store().await?;
        let result = store.verify_audit().await?;
        store.close().await;
        match result {
            Ok(n) => {
                outln!("audit log intact: {n} entries, chain and head agree");
                Ok(0)
            }
            Err(broken) => {
                let _ = std::io::Write::flush(&mut std::io::stdout());
                eprintln!("socialgov: audit log broken at {broken}");
                Ok(1)
            }
        }
    })
}
