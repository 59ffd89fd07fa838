//! The state shared by every handler of one running mock.

use std::time::Duration;

use super::access_tokens::AccessTokenSigner;
use super::assertion::JtiCache;
use super::clients::{JWT_CLIENT_ID, MockClient};
use super::devices::DeviceRegistry;
use super::faults::FaultSet;
use super::limits::MockLimits;
use super::rate_limit::RateLimit;
use super::subscriptions::{DeviceStates, Notifier, SubscriptionStore};
use super::tokens::{Grant, TokenStore};
use super::variations::Variation;
use super::{API_SCOPE, MockCiba, MockClientAuth, MockError, MockOptions};
use crate::profile::Profile;

/// Configuration and in-memory stores of one mock.
pub(crate) struct App {
    /// The API generation served.
    pub profile: Profile,
    /// Faults and variations switched on.
    pub faults: FaultSet,
    /// Managed devices.
    pub devices: DeviceRegistry,
    /// Registered OAuth clients.
    pub clients: Vec<MockClient>,
    /// Issued tokens and pending CIBA requests.
    pub tokens: TokenStore,
    /// Delay before every API answer.
    pub latency: Duration,
    /// API calls allowed per token, if limited.
    pub quota_per_token: Option<u32>,
    /// Requests allowed per second (API and OAuth), if limited.
    pub rate_limit: Option<RateLimit>,
    /// A token of the target file's client, with the API scope, expired from the start.
    pub expired_token: String,
    /// The issuer identifier: `http://127.0.0.1:PORT`.
    pub issuer: String,
    /// How the target file's client authenticates.
    pub client_auth: MockClientAuth,
    /// How CIBA requests are decided.
    pub ciba: MockCiba,
    /// `jti`s of accepted client assertions.
    pub jtis: JtiCache,
    /// Transport limits.
    pub limits: MockLimits,
    /// Subscriptions (the subscriptions profile).
    pub subscriptions: SubscriptionStore,
    /// Sends notifications to subscriptions' sinks.
    pub notifier: Notifier,
    /// Device states changed at run time (the subscriptions profile's control endpoint).
    pub device_states: DeviceStates,
}

impl App {
    /// Builds the state of the mock at `issuer` (its root URL), with fresh client secrets
    /// and keys and a fresh expired token.
    pub(crate) fn new(options: MockOptions, issuer: &str) -> Result<Self, MockError> {
        let keys_error = |message| MockError::Keys { message };
        let clients = MockClient::registered().map_err(keys_error)?;
        let switches = FaultSet::with_variations(&options.faults, &options.variations);
        let jwt_access_tokens =
            options.jwt_access_tokens != switches.varies(Variation::OtherAccessTokenFormat);
        let signer = jwt_access_tokens
            .then(|| AccessTokenSigner::new(issuer))
            .transpose()
            .map_err(keys_error)?;
        let tokens = TokenStore::new(signer);
        let mut ciba = options.ciba;
        if switches.varies(Variation::CibaPendingLonger) {
            ciba.pending_polls = ciba.pending_polls.max(2);
        }
        let mut app = Self {
            profile: options.profile,
            faults: switches,
            devices: options.devices,
            clients,
            tokens,
            latency: options.latency,
            quota_per_token: options.quota_per_token,
            rate_limit: options.rate_limit_per_second.map(RateLimit::new),
            expired_token: String::new(),
            issuer: issuer.to_owned(),
            client_auth: options.client_auth,
            ciba,
            jtis: JtiCache::default(),
            limits: MockLimits::default(),
            subscriptions: SubscriptionStore::default(),
            notifier: Notifier::default(),
            device_states: DeviceStates::default(),
        };
        let grant = Grant {
            scopes: vec![API_SCOPE.to_owned()],
            device: None,
        };
        app.expired_token = app
            .tokens
            .issue_expired(app.main_client().client_id(), grant)
            .map_err(keys_error)?;
        Ok(app)
    }

    /// The client the target file names.
    pub(crate) fn main_client(&self) -> &MockClient {
        let id = match self.client_auth {
            MockClientAuth::ClientSecret => "demo-client",
            MockClientAuth::PrivateKeyJwt => JWT_CLIENT_ID,
        };
        self.clients
            .iter()
            .find(|c| c.client_id() == id)
            .unwrap_or(&self.clients[0])
    }
}
