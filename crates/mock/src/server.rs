//! Starting, addressing and stopping a mock.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::app::App;
use super::clients::MockClient;
use super::limits::MockLimits;
use super::{MockError, MockOptions, connections, routes, target_file};
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
        if let Some(&variation) = options.variations.iter().find(|v| !v.applies_to(profile)) {
            return Err(MockError::VariationNotApplicable { variation, profile });
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
        let router = routes::router(Arc::clone(&app));
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

    /// The server's root URL, `http://127.0.0.1:PORT`: the API root, unless the `base-path`
    /// variation serves the API below it (the target file's `api_root` says where).
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
