//! The state of one scenario (the request being built, the last exchange) and the state
//! shared by every scenario of a run.

use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use super::shared::SharedExchanges;
use crate::http::{Exchange, HttpClient, HttpError};
use crate::negative::GenerationSettings;
use crate::oauth::TokenProvider;
use crate::redact::Redactor;
use crate::schema::SchemaSet;
use crate::target_file::{Secret, Target};

/// What every scenario of a run shares: the target, one HTTP client, one token cache and
/// the compiled schemas.
#[derive(Debug)]
pub struct RunContext {
    /// What is tested.
    pub target: Target,
    /// The run's HTTP client (one connection pool).
    pub http: HttpClient,
    /// The run's token cache.
    pub tokens: TokenProvider,
    /// The schemas responses are checked against, compiled once.
    pub schemas: SchemaSet,
    /// The seed, depth and case count of generated negative cases.
    pub generation: GenerationSettings,
    /// The sink and the ledger of created subscriptions (subscriptions profile).
    pub subscriptions: super::subscriptions::SubscriptionRun,
    /// The exchanges scenarios share when they send the same request.
    pub(crate) shared: SharedExchanges,
}

impl RunContext {
    /// Builds the shared state of a run against `target`, registering its secrets for redaction.
    pub(crate) fn new(
        target: Target,
        schemas: SchemaSet,
        redactor: Redactor,
        generation: GenerationSettings,
    ) -> Result<Self, HttpError> {
        redactor.add_all(target.secrets().iter().map(|secret| secret.expose()));
        let http = HttpClient::new(&target.http, redactor)?;
        let tokens = TokenProvider::new(target.auth.clone(), http.clone());
        Ok(Self {
            target,
            http,
            tokens,
            schemas,
            generation,
            subscriptions: super::subscriptions::SubscriptionRun::default(),
            shared: SharedExchanges::default(),
        })
    }

    /// The redactor masking this run's secrets.
    pub fn redactor(&self) -> &Redactor {
        self.http.redactor()
    }
}

/// The request body being built.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Body {
    /// No body is sent.
    #[default]
    Absent,
    /// A JSON document.
    Json(Value),
    /// Raw text, sent as is (e.g. to send invalid JSON).
    Raw(String),
}

/// The cucumber world: one per scenario.
#[derive(Default)]
pub struct ReachabilityWorld {
    pub(crate) ctx: Option<Arc<RunContext>>,
    /// The scenario's id (or title), named by the scenarios that share its exchanges.
    pub(crate) label: String,
    pub(crate) url: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Body,
    pub(crate) device: Option<Value>,
    pub(crate) exchanges: Vec<Exchange>,
    /// The cases of the last generated step.
    pub(crate) generated: Option<crate::negative::Batch>,
    /// The client assertion the next token request carries, if set by a step.
    pub(crate) assertion: Option<Secret>,
    /// The `auth_req_id` of the CIBA request a step started.
    pub(crate) auth_req_id: Option<Secret>,
    /// The seconds the server asks between polls of that request.
    pub(crate) ciba_interval: u64,
    /// The `operationId` of the last request sent (the status API's when none was named).
    pub(crate) operation: Option<String>,
    /// The subscription the scenario works with (subscriptions profile).
    pub(crate) subscription: super::subscriptions::Current,
    /// The operation a `When ... is sent` step named, not sent yet.
    pub(crate) pending: Option<String>,
    /// The operation sent last, once its request went out.
    pub(crate) sent: Option<String>,
    /// The access token the scenario chose last for `Authorization`.
    pub(crate) token: Option<super::TokenChoice>,
}

impl ReachabilityWorld {
    /// Attaches the run's shared state to the scenario called `label` (done by the runner
    /// before the first step).
    pub fn attach(&mut self, ctx: Arc<RunContext>, label: String) {
        self.ctx = Some(ctx);
        self.label = label;
    }

    /// Sends what is still pending: the subscription a Given prepared, then the request a
    /// `When ... is sent` step named (done before any step that needs an answer, and by
    /// the runner at the end of a scenario whose steps passed).
    pub async fn send_pending(&mut self) -> super::StepResult {
        self.create_prepared().await?;
        if let Some(operation) = self.pending.take() {
            self.send(&operation).await?;
            self.sent = Some(operation);
        }
        Ok(())
    }

    /// The exchanges this scenario made, in order.
    pub fn exchanges(&self) -> &[Exchange] {
        &self.exchanges
    }

    /// How many requests the scenario sent itself: its exchanges, less those it shared from
    /// another scenario (not sent again).
    pub fn requests_sent(&self) -> usize {
        self.exchanges
            .iter()
            .filter(|e| e.shared_from.is_none())
            .count()
    }

    /// Every exchange of the scenario as JSON, secrets masked, for recording.
    pub fn recorded_exchanges(&self) -> Vec<serde_json::Value> {
        match &self.ctx {
            Some(ctx) => self
                .exchanges
                .iter()
                .map(|e| e.to_redacted_json(ctx.redactor(), ctx.http.record_budget()))
                .collect(),
            None => Vec::new(),
        }
    }

    /// The last exchange, rendered with secrets masked, for failure reports.
    pub fn last_exchange_transcript(&self) -> Option<String> {
        self.exchanges.last().map(|e| e.render())
    }

    /// Sets a request header, replacing any header of the same name.
    pub(crate) fn set_header(&mut self, name: &str, value: String) {
        self.remove_header(name);
        self.headers.push((name.to_owned(), value));
    }

    /// Removes a request header (names compare case-insensitively).
    pub(crate) fn remove_header(&mut self, name: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    }
}

impl fmt::Debug for ReachabilityWorld {
    // Headers may carry credentials: show their names only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReachabilityWorld")
            .field("url", &self.url)
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("body", &self.body)
            .field("exchanges", &self.exchanges.len())
            .finish()
    }
}

impl cucumber::World for ReachabilityWorld {
    type Error = std::convert::Infallible;

    async fn new() -> Result<Self, Self::Error> {
        Ok(Self::default())
    }
}
