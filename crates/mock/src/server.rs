//! Starting, addressing and stopping a mock.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::Response;
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::app::App;
use super::clients::MockClient;
use super::errors::ApiError;
use super::limits::MockLimits;
use super::{
    MockError, MockOptions, api, connections, correlator, discovery, oauth, request, target_file,
};
use crate::profile::Profile;

/// A running mock, listening on 127.0.0.1.
///
/// Each mock has its own client secrets, tokens and expired token, so several can run
/// in one process. Dropping it stops it too, without waiting.
pub struct MockServer {
    addr: SocketAddr,
    app: Arc<App>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("addr", &self.addr)
            .field("profile", &self.app.profile)
            .finish()
    }
}

impl MockServer {
    /// Binds 127.0.0.1:`options.port` (0 picks a free port) and starts serving, with the
    /// default [`MockLimits`].
    pub async fn start(options: MockOptions) -> Result<MockServer, MockError> {
        MockServer::start_with_limits(options, MockLimits::default()).await
    }

    /// [`MockServer::start`] with these transport limits.
    pub async fn start_with_limits(
        options: MockOptions,
        limits: MockLimits,
    ) -> Result<MockServer, MockError> {
        let profile = options.profile;
        if let Some(&fault) = options.faults.iter().find(|f| !f.applies_to(profile)) {
            return Err(MockError::FaultNotApplicable { fault, profile });
        }
        let port = options.port;
        let bind_error = |source| MockError::Bind { port, source };
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
            .await
            .map_err(bind_error)?;
        let addr = listener.local_addr().map_err(bind_error)?;
        let app = Arc::new(App {
            limits,
            ..App::new(options, &format!("http://{addr}"))?
        });
        let router = router(Arc::clone(&app));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(connections::serve(listener, router, limits, stopped));
        Ok(MockServer {
            addr,
            app,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The address listened on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The profile served.
    pub fn profile(&self) -> Profile {
        self.app.profile
    }

    /// The API root, `http://127.0.0.1:PORT`.
    pub fn api_root(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A complete target file that tests this mock; its secrets are named by `*_env`
    /// keys whose values [`MockServer::secret_env`] gives.
    pub fn target_toml(&self) -> String {
        target_file::render(&self.app, &self.api_root())
    }

    /// The values of the `*_env` variables named in [`MockServer::target_toml`]
    /// (secrets: never log them).
    pub fn secret_env(&self) -> Vec<(String, String)> {
        target_file::secret_env(&self.app)
    }

    /// The registered OAuth clients: `demo-client` and `partner-client` (secrets), then
    /// `jwt-client` (keys).
    pub fn clients(&self) -> &[MockClient] {
        &self.app.clients
    }

    /// The client the target file names.
    pub fn target_client(&self) -> &MockClient {
        self.app.main_client()
    }

    /// The mock's operator token (a CIBA `login_hint` of the form
    /// `operatortoken:<token>`) for the device with `phone_number`.
    pub fn operator_token(&self, phone_number: &str) -> String {
        super::login_hint::operator_token(phone_number)
    }

    /// Stops accepting connections, lets requests in flight finish, and returns once
    /// the server has stopped.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route(app.profile.operation_path(), post(api::retrieve))
        .route(oauth::TOKEN_PATH, post(oauth::token))
        .route(oauth::ORANGE_TOKEN_PATH, post(oauth::orange_token))
        .route(oauth::REVOKE_PATH, post(oauth::revoke))
        .route(oauth::CIBA_PATH, post(oauth::bc_authorize))
        .route(oauth::INTROSPECT_PATH, post(oauth::introspect))
        .route(
            discovery::OPENID_CONFIGURATION_PATH,
            get(discovery::openid_configuration),
        )
        .route(discovery::JWKS_PATH, get(discovery::jwks))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&app),
            request::guard,
        ))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&app),
            correlator::layer,
        ))
        .with_state(app)
}

async fn not_found(State(app): State<Arc<App>>) -> Response {
    let message = format!(
        "No resource at this path: the API operation is POST {}.",
        app.profile.operation_path()
    );
    ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", message).render(&app.faults)
}

async fn method_not_allowed(State(app): State<Arc<App>>) -> Response {
    let error = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        "The requested method is not allowed on this resource: use POST.",
    );
    let mut response = error.render(&app.faults);
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("POST"));
    response
}
