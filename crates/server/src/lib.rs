//! The socialgov server: the JSON API under `/api/v1` ([`api`]) and the web interface
//! ([`web`]), thin layers that parse requests, ask [`socialgov_domain::Principal::may`], call
//! the workflows ([`accounts`]) and the store, and render the answer.

pub mod accounts;
pub mod api;
pub mod api_channels;
pub mod auth;
pub mod channel_images;
pub mod channels;
pub mod config;
pub mod dates;
pub mod demo;
pub mod error;
pub mod mail;
pub mod metrics;
pub mod upload;
pub mod web;
pub mod web_channels;
pub mod web_training;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use socialgov_engine::Scanner;
use socialgov_engine::{Builtin, pack_ids};
use socialgov_store::Store;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::config::Config;

/// What every handler shares: configuration, the store and the compiled policy packs.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    pub packs: Arc<Packs>,
    pub metrics: Arc<metrics::Metrics>,
    /// The SMTP relay notifications are e-mailed through, when one is configured.
    pub mailer: Option<Arc<mail::Mailer>>,
}

/// The policy packs, compiled once at start and shared by every request.
pub struct Packs {
    by_id: BTreeMap<String, Arc<Scanner>>,
    default: String,
}

impl Packs {
    /// Compiles every shipped pack; `default` must be one of them.
    pub fn builtin(default: &str) -> Result<Packs, String> {
        let mut by_id = BTreeMap::new();
        for id in pack_ids() {
            let scanner = Scanner::load(id, &Builtin).map_err(|e| e.to_string())?;
            by_id.insert(id.to_owned(), Arc::new(scanner));
        }
        if !by_id.contains_key(default) {
            return Err(format!(
                "default_pack {default:?} is not a shipped pack ({})",
                by_id.keys().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
        Ok(Packs {
            by_id,
            default: default.to_owned(),
        })
    }

    /// The pack called `id`, or the default pack for `None`.
    pub fn get(&self, id: Option<&str>) -> Option<&Arc<Scanner>> {
        self.by_id.get(id.unwrap_or(&self.default))
    }

    pub fn default_id(&self) -> &str {
        &self.default
    }

    pub fn all(&self) -> impl Iterator<Item = &Arc<Scanner>> {
        self.by_id.values()
    }
}

/// Milliseconds since the epoch, read at the edge and passed into the domain.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl AppState {
    /// Connects to the configured database (migrating it) and compiles the packs.
    pub async fn open(config: Config) -> Result<AppState, String> {
        if config.database_url.is_none() {
            std::fs::create_dir_all(&config.data_dir).map_err(|e| {
                format!("cannot create data_dir {}: {e}", config.data_dir.display())
            })?;
        }
        let store = Store::connect(&config.database_url(), config.max_connections)
            .await
            .map_err(|e| e.to_string())?;
        AppState::with_store(config, store)
    }

    /// State over an already connected store (tests use a scratch database).
    pub fn with_store(config: Config, store: Store) -> Result<AppState, String> {
        let packs = Packs::builtin(&config.default_pack)?;
        let mailer = mail::Mailer::from_config(&config).map_err(|e| e.to_string())?;
        Ok(AppState {
            config: Arc::new(config),
            store,
            packs: Arc::new(packs),
            metrics: Arc::new(metrics::Metrics::default()),
            mailer: mailer.map(Arc::new),
        })
    }
}

/// The whole application: API, pages, assets, health and metrics.
pub fn router(state: AppState) -> Router {
    let assets = &state.config.assets_dir;
    let security_headers = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; font-src 'self' https://assets.nhs.uk; \
             style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
        ),
    ];
    let mut app = Router::new()
        .merge(api::routes())
        .merge(web::routes())
        .merge(metrics::routes())
        .nest_service("/assets/nhsuk", ServeDir::new(assets))
        .nest_service(
            "/assets/images",
            ServeDir::new(assets.join("assets/images")),
        )
        .route("/assets/app.js", axum::routing::get(web::app_js))
        .route("/assets/app.css", axum::routing::get(web::app_css))
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ));
    for (name, value) in security_headers {
        app = app.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    app.with_state(state)
}

/// Serves until `shutdown` resolves, then finishes the requests in flight and closes the
/// database.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let store = state.store.clone();
    let scheduler = tokio::spawn(run_scheduler(state.clone()));
    let mailer = state
        .mailer
        .clone()
        .map(|mailer| tokio::spawn(run_mailer(store.clone(), mailer)));
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await?;
    scheduler.abort();
    if let Some(mailer) = mailer {
        mailer.abort();
    }
    store.close().await;
    Ok(())
}

/// Delivers the e-mail outbox through the relay every few seconds.
async fn run_mailer(store: Store, mailer: Arc<mail::Mailer>) {
    tracing::info!(relay = mailer.relay(), "e-mailing notifications");
    let mut tick = tokio::time::interval(Duration::from_secs(10));
    loop {
        tick.tick().await;
        match mail::deliver_due(&store, &mailer, now_ms()).await {
            Ok(mail::Delivery { sent: 0, failed: 0 }) => {}
            Ok(done) => tracing::info!(sent = done.sent, failed = done.failed, "e-mails"),
            Err(err) => tracing::warn!(%err, "e-mail delivery failed; will retry"),
        }
    }
}

/// Scheduled jobs: at start and then hourly, channels whose review date has come move to
/// `review_due` (several servers may run this at once; each step is its own transaction and
/// a channel already moved is skipped).
async fn run_scheduler(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let Some(scanner) = state.packs.get(None).cloned() else {
            return;
        };
        match channels::review_sweep(&state.store, &scanner, now_ms()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(channels = n, "channels due for review"),
            Err(err) => tracing::warn!(%err, "review sweep failed; will retry within the hour"),
        }
    }
}
