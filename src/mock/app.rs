//! The state shared by every handler of one running mock.

use std::time::Duration;

use super::clients::MockClient;
use super::devices::DeviceRegistry;
use super::faults::FaultSet;
use super::limits::MockLimits;
use super::tokens::{Grant, TokenStore};
use super::{API_SCOPE, MockOptions};
use crate::profile::Profile;

/// Configuration and in-memory stores of one mock.
pub(crate) struct App {
    /// The API generation served.
    pub profile: Profile,
    /// Faults switched on.
    pub faults: FaultSet,
    /// Managed devices.
    pub devices: DeviceRegistry,
    /// Registered OAuth clients; the first is the one the target file uses.
    pub clients: Vec<MockClient>,
    /// Issued tokens and pending CIBA requests.
    pub tokens: TokenStore,
    /// Delay before every API answer.
    pub latency: Duration,
    /// API calls allowed per token, if limited.
    pub quota_per_token: Option<u32>,
    /// A token of the first client, with the API scope, expired from the start.
    pub expired_token: String,
    /// Transport limits.
    pub limits: MockLimits,
}

impl App {
    /// Builds the state, with fresh client secrets and a fresh expired token, and the
    /// default limits.
    pub(crate) fn new(options: MockOptions) -> Self {
        let clients = MockClient::registered();
        let tokens = TokenStore::default();
        let grant = Grant {
            scopes: vec![API_SCOPE.to_owned()],
            device: None,
        };
        let expired_token = tokens.issue_expired(clients[0].client_id(), grant);
        Self {
            profile: options.profile,
            faults: FaultSet::new(&options.faults),
            devices: options.devices,
            clients,
            tokens,
            latency: options.latency,
            quota_per_token: options.quota_per_token,
            expired_token,
            limits: MockLimits::default(),
        }
    }

    /// The client the target file names.
    pub(crate) fn main_client(&self) -> &MockClient {
        &self.clients[0]
    }
}
