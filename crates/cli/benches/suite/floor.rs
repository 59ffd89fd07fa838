//! The network floor: the HTTP requests of a harness run, replayed by a bare `reqwest`
//! loop with the same concurrency and one client.
//!
//! Requests come from the run's recorded exchanges (redacted JSON). Masked
//! `Authorization` values are replaced by real tokens, fetched by bare OAuth flows at the
//! start of the replay, all at once: the best schedule a client could have.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use futures::StreamExt as _;
use reachability_harness::report::{RunResult, Status};
use reachability_harness::steps::TokenChoice;
use reachability_harness::steps::vocabulary::{self, Action};
use reachability_harness::target_file::AuthSettings;
use serde_json::Value;

/// What the `Authorization` header of a replayed request carries.
#[derive(Clone, Debug, PartialEq)]
enum Credential {
    /// As recorded (no header, or one that was not masked).
    AsRecorded,
    /// A token of this kind.
    Token(TokenChoice),
    /// A literal value written in the feature.
    Literal(String),
}

/// One request to replay.
#[derive(Clone, Debug)]
struct Replayed {
    method: reqwest::Method,
    url: String,
    headers: Vec<(String, String)>,
    credential: Credential,
    body: Option<Vec<u8>>,
}

/// The requests of a run, by scenario, ready to replay.
pub struct Floor {
    scenarios: Vec<Vec<Replayed>>,
    tokens: Vec<TokenChoice>,
}

impl Floor {
    /// The requests of `run`'s scenarios (the API requests the steps sent).
    pub fn from_run(run: &RunResult) -> Result<Floor, String> {
        let mut scenarios = Vec::new();
        let mut tokens = Vec::new();
        for scenario in &run.scenarios {
            // Steps after a failure never ran, so sent nothing.
            let ran = scenario
                .steps
                .iter()
                .filter(|s| s.status != Status::Skipped);
            let (mut credentials, generated) = credentials(ran.map(|s| s.text.as_str()));
            // A generated step sends as many requests as it generated, all with the
            // credential in effect at that step.
            if let Some(credential) = generated {
                let missing = scenario.exchanges.len().saturating_sub(credentials.len());
                credentials.extend(std::iter::repeat_n(credential, missing));
            }
            if credentials.len() != scenario.exchanges.len() {
                return Err(format!(
                    "{}: {} sending steps but {} recorded exchanges",
                    scenario.label(),
                    credentials.len(),
                    scenario.exchanges.len()
                ));
            }
            // An exchange shared from another scenario was not sent again: the floor
            // sends what the harness sent.
            let requests = scenario
                .exchanges
                .iter()
                .zip(credentials)
                .filter(|(exchange, _)| exchange.get("shared_from").is_none())
                .map(|(exchange, credential)| replayed(exchange, credential))
                .collect::<Result<Vec<_>, _>>()?;
            for r in &requests {
                if let Credential::Token(choice) = r.credential
                    && !matches!(choice, TokenChoice::Malformed | TokenChoice::Unissued)
                    && !tokens.contains(&choice)
                {
                    tokens.push(choice);
                }
            }
            scenarios.push(requests);
        }
        Ok(Floor { scenarios, tokens })
    }

    /// How many API requests a replay sends.
    pub fn requests(&self) -> usize {
        self.scenarios.iter().map(Vec::len).sum()
    }

    /// How many OAuth requests the token flows of a replay send.
    pub fn oauth_requests(&self) -> usize {
        self.tokens
            .iter()
            .map(|t| match t {
                TokenChoice::Valid | TokenChoice::WithoutScope | TokenChoice::WrongScheme => 1,
                TokenChoice::Revoked
                | TokenChoice::DeviceBound
                | TokenChoice::BoundToAnotherDevice => 2,
                TokenChoice::Expired | TokenChoice::Malformed | TokenChoice::Unissued => 0,
            })
            .sum()
    }

    /// Whether the replay needs a device-bound (CIBA) token.
    pub fn needs_ciba(&self) -> bool {
        self.tokens.contains(&TokenChoice::DeviceBound)
            || self.tokens.contains(&TokenChoice::BoundToAnotherDevice)
    }

    /// Fetches the tokens, then sends every scenario's requests in order, `concurrency`
    /// scenarios at once, through one new client. Returns the wall time of it all.
    pub async fn replay(
        &self,
        auth: &AuthSettings,
        concurrency: usize,
    ) -> Result<Duration, String> {
        let started = Instant::now();
        let client = bare_client()?;
        let fetches = self.tokens.iter().map(|kind| {
            let client = &client;
            async move { token(client, auth, *kind).await.map(|t| (*kind, t)) }
        });
        let tokens: Vec<(TokenChoice, String)> = futures::future::join_all(fetches)
            .await
            .into_iter()
            .collect::<Result<_, _>>()?;
        let failures = futures::stream::iter(&self.scenarios)
            .map(|requests| send_all(&client, &tokens, requests))
            .buffer_unordered(concurrency.max(1))
            .filter_map(|outcome| async move { outcome.err() })
            .collect::<Vec<String>>()
            .await;
        match failures.first() {
            Some(first) => Err(format!("the replay failed: {first}")),
            None => Ok(started.elapsed()),
        }
    }
}

/// A client like the harness's: no redirects; loopback only, so no proxy; the TLS
/// configuration (the system's roots) built once per process, as the harness does, so
/// that the floor does not pay for loading the roots on each replay.
pub fn bare_client() -> Result<reqwest::Client, String> {
    static TLS: OnceLock<Result<rustls::ClientConfig, String>> = OnceLock::new();
    let tls = TLS.get_or_init(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
        <rustls::ClientConfig as rustls_platform_verifier::ConfigVerifierExt>::with_platform_verifier()
            .map_err(|e| format!("no TLS configuration: {e}"))
    });
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .tls_backend_preconfigured(tls.clone()?)
        .build()
        .map_err(|e| format!("no HTTP client: {e}"))
}

/// Sends one scenario's requests in order, reading each whole answer.
async fn send_all(
    client: &reqwest::Client,
    tokens: &[(TokenChoice, String)],
    requests: &[Replayed],
) -> Result<(), String> {
    for r in requests {
        let mut request = client.request(r.method.clone(), &r.url);
        for (name, value) in &r.headers {
            request = request.header(name, value);
        }
        let authorization = match &r.credential {
            Credential::AsRecorded => None,
            Credential::Literal(value) => Some(value.clone()),
            Credential::Token(TokenChoice::Malformed | TokenChoice::Unissued) => None,
            Credential::Token(kind) => {
                let scheme = if *kind == TokenChoice::WrongScheme {
                    "Token"
                } else {
                    "Bearer"
                };
                tokens
                    .iter()
                    .find(|(k, _)| k == kind)
                    .map(|(_, t)| format!("{scheme} {t}"))
            }
        };
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        if let Some(body) = &r.body {
            request = request.body(body.clone());
        }
        let answer = request
            .send()
            .await
            .map_err(|e| format!("{}: {e}", r.url))?;
        answer
            .bytes()
            .await
            .map_err(|e| format!("{}: {e}", r.url))?;
    }
    Ok(())
}

/// The credential of each request a scenario sends, from its steps in order.
fn credentials<'s>(steps: impl Iterator<Item = &'s str>) -> (Vec<Credential>, Option<Credential>) {
    let mut current = Credential::AsRecorded;
    let mut out = Vec::new();
    let mut generated = None;
    for text in steps {
        match vocabulary::parse(text, None) {
            Some(Ok(Action::SetToken(choice))) => current = Credential::Token(choice),
            Some(Ok(Action::SetHeader { name, value })) if is_authorization(&name) => {
                current = Credential::Literal(value);
            }
            Some(Ok(Action::RemoveHeader(name))) if is_authorization(&name) => {
                current = Credential::AsRecorded;
            }
            Some(Ok(Action::Send(_) | Action::SimulateNetworkError)) => out.push(current.clone()),
            Some(Ok(Action::SendGenerated { .. })) => generated = Some(current.clone()),
            _ => {}
        }
    }
    (out, generated)
}

fn is_authorization(name: &str) -> bool {
    name.eq_ignore_ascii_case("authorization")
}

/// A recorded exchange as a request; the masked `Authorization` header is dropped (the
/// credential puts the real one back).
fn replayed(exchange: &Value, credential: Credential) -> Result<Replayed, String> {
    let request = &exchange["request"];
    let method = request["method"]
        .as_str()
        .and_then(|m| reqwest::Method::from_bytes(m.as_bytes()).ok())
        .ok_or("a recorded exchange has no method")?;
    let url = request["url"]
        .as_str()
        .ok_or("a recorded exchange has no URL")?
        .to_owned();
    let mut headers = Vec::new();
    let mut credential = credential;
    for pair in request["headers"].as_array().into_iter().flatten() {
        let (Some(name), Some(value)) = (pair[0].as_str(), pair[1].as_str()) else {
            return Err("a recorded header is not a [name, value] pair".into());
        };
        if is_authorization(name) {
            if credential == Credential::AsRecorded {
                // Recorded in clear: not a secret, replay it as is.
                credential = Credential::Literal(value.to_owned());
            }
        } else {
            headers.push((name.to_owned(), value.to_owned()));
        }
    }
    Ok(Replayed {
        method,
        url,
        headers,
        credential,
        body: body_bytes(&request["body"]),
    })
}

/// The bytes of a recorded body: JSON bodies were kept as JSON, others as text.
fn body_bytes(recorded: &Value) -> Option<Vec<u8>> {
    match recorded {
        Value::Null => None,
        Value::String(text) if serde_json::from_str::<Value>(text).is_err() => {
            Some(text.clone().into_bytes())
        }
        json => Some(json.to_string().into_bytes()),
    }
}

/// A token of `kind`, by the bare OAuth flow the harness would use.
pub async fn token(
    client: &reqwest::Client,
    auth: &AuthSettings,
    kind: TokenChoice,
) -> Result<String, String> {
    let oauth = OAuth::new(client, auth)?;
    let scope = auth.scope.as_deref().unwrap_or_default();
    match kind {
        TokenChoice::Valid | TokenChoice::WrongScheme => oauth.client_credentials(scope).await,
        TokenChoice::WithoutScope => {
            oauth
                .client_credentials(auth.no_scope_scope.as_deref().unwrap_or_default())
                .await
        }
        TokenChoice::Revoked => {
            let token = oauth.client_credentials(scope).await?;
            let url = auth.revocation_url.as_deref().ok_or("no revocation_url")?;
            oauth
                .post(
                    url,
                    &[("token", &token), ("token_type_hint", "access_token")],
                )
                .await?;
            Ok(token)
        }
        TokenChoice::Expired => auth
            .expired_token
            .as_ref()
            .map(|t| t.expose().to_owned())
            .ok_or_else(|| "no expired token".to_owned()),
        TokenChoice::DeviceBound | TokenChoice::BoundToAnotherDevice => {
            oauth.ciba(auth, scope).await
        }
        TokenChoice::Malformed | TokenChoice::Unissued => {
            Err("a malformed or never issued token is not fetched".into())
        }
    }
}

/// Client-authenticated form posts to the target's OAuth endpoints.
struct OAuth<'a> {
    client: &'a reqwest::Client,
    token_url: &'a str,
    authorization: String,
}

impl<'a> OAuth<'a> {
    fn new(client: &'a reqwest::Client, auth: &'a AuthSettings) -> Result<Self, String> {
        use base64::Engine as _;
        let authorization = match (&auth.authorization, &auth.client_id, &auth.client_secret) {
            (Some(header), _, _) => header.expose().to_owned(),
            (None, Some(id), Some(secret)) => format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD
                    .encode(format!("{id}:{}", secret.expose()))
            ),
            _ => return Err("the target has no OAuth client".into()),
        };
        Ok(Self {
            client,
            token_url: auth.token_url.as_deref().ok_or("no token_url")?,
            authorization,
        })
    }

    async fn post(&self, url: &str, form: &[(&str, &str)]) -> Result<Value, String> {
        let answer = self
            .client
            .post(url)
            .header("authorization", &self.authorization)
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .map_err(|e| format!("{url}: {e}"))?;
        answer.json().await.map_err(|e| format!("{url}: {e}"))
    }

    async fn client_credentials(&self, scope: &str) -> Result<String, String> {
        let answer = self
            .post(
                self.token_url,
                &[("grant_type", "client_credentials"), ("scope", scope)],
            )
            .await?;
        access_token(&answer)
    }

    /// CIBA in poll mode, waiting the interval the server asks before each poll.
    async fn ciba(&self, auth: &AuthSettings, scope: &str) -> Result<String, String> {
        let url = auth.ciba_url.as_deref().ok_or("no ciba_url")?;
        let hint = auth
            .device_login_hint
            .as_deref()
            .ok_or("no device_login_hint")?;
        let start = self
            .post(url, &[("login_hint", hint), ("scope", scope)])
            .await?;
        let id = start["auth_req_id"].as_str().ok_or("no auth_req_id")?;
        let interval = Duration::from_secs(start["interval"].as_u64().unwrap_or(5));
        for _ in 0..10 {
            tokio::time::sleep(interval).await;
            let grant = [
                ("grant_type", "urn:openid:params:grant-type:ciba"),
                ("auth_req_id", id),
            ];
            let answer = self.post(self.token_url, &grant).await?;
            if answer["error"] != "authorization_pending" {
                return access_token(&answer);
            }
        }
        Err("the CIBA request stayed pending".into())
    }
}

fn access_token(answer: &Value) -> Result<String, String> {
    answer["access_token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("no access_token in {answer}"))
}

/// The wall time of one bare CIBA flow against `auth` (the interval the server asks is
/// most of it).
pub async fn ciba_wait(auth: &AuthSettings) -> Result<Duration, String> {
    let client = bare_client()?;
    let started = Instant::now();
    token(&client, auth, TokenChoice::DeviceBound).await?;
    Ok(started.elapsed())
}
