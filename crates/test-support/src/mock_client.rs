//! A started mock with a plain reqwest client, token helpers and a decoded answer: the
//! mock's tests and the harness's OAuth client tests drive the mock with it.

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use reachability_contract::jose::{self, Algorithm, PrivateKey};
use reachability_mock::Profile;
use reachability_mock::{
    Fault, JWT_CLIENT_ID, JWT_CLIENT_KEY_ID, MockCiba, MockClient, MockOptions, MockServer,
};
use reqwest::RequestBuilder;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

pub use crate::lab;
pub const CORRELATOR: &str = "b4333c46-49c0-4f62-80d7-f0ef930f1c46";
pub use reachability_contract::oauth::{API_SCOPE, CIBA_GRANT, JWT_BEARER};

/// Seconds since the Unix epoch.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_secs() as i64
}

/// A client assertion: `claims` signed with `key` (ES256) under the `kid` registered for
/// `jwt-client`.
pub fn sign_assertion(key: &PrivateKey, claims: &Value) -> String {
    jose::encode(
        key,
        Algorithm::Es256,
        "JWT",
        Some(JWT_CLIENT_KEY_ID),
        claims,
    )
    .expect("a signed assertion")
}

/// A plain HTTP client that never goes through a proxy.
pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("an HTTP client")
}

/// A running mock and a client for it.
pub struct Mock {
    pub server: MockServer,
    pub http: reqwest::Client,
    env: HashMap<String, String>,
}

impl Mock {
    /// A mock of `profile` with `faults` on.
    pub async fn start(profile: Profile, faults: &[Fault]) -> Mock {
        Mock::with(MockOptions {
            profile,
            faults: faults.to_vec(),
            // CIBA approved by the first poll, so `ciba_token` needs no waiting.
            ciba: MockCiba {
                pending_polls: 0,
                ..MockCiba::default()
            },
            ..MockOptions::default()
        })
        .await
    }

    /// A mock with these options.
    pub async fn with(options: MockOptions) -> Mock {
        let server = MockServer::start(options).await.expect("the mock starts");
        let env = server.secret_env().into_iter().collect();
        Mock {
            server,
            http: http_client(),
            env,
        }
    }

    /// The value of a `*_env` variable of the target file.
    pub fn env(&self, name: &str) -> String {
        self.env
            .get(name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} not in secret_env"))
    }

    /// Absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.api_root())
    }

    /// `Authorization` value authenticating the target file's client.
    pub fn client_basic(&self) -> String {
        self.server.clients()[0]
            .basic_authorization()
            .expect("demo-client has a secret")
    }

    /// A form POST to the authorisation server, authenticated as the target's client.
    pub fn oauth(&self, path: &str, form: &[(&str, &str)]) -> RequestBuilder {
        self.http
            .post(self.url(path))
            .header("authorization", self.client_basic())
            .form(form)
    }

    /// A client-credentials token, with `scope` if given.
    pub async fn token(&self, scope: Option<&str>) -> String {
        let mut form = vec![("grant_type", "client_credentials")];
        form.extend(scope.map(|s| ("scope", s)));
        access_token(send(self.oauth("/oauth/token", &form)).await)
    }

    /// Starts a CIBA request for the device with `phone` and returns its `auth_req_id`.
    pub async fn start_ciba(&self, phone: &str) -> String {
        let hint = format!("tel:{phone}");
        let started = send(self.oauth(
            "/bc-authorize",
            &[("login_hint", &hint), ("scope", API_SCOPE)],
        ))
        .await;
        assert_eq!(started.status, 200, "{}", started.text);
        started.json()["auth_req_id"]
            .as_str()
            .expect("auth_req_id")
            .to_owned()
    }

    /// The answer to one poll of the token endpoint for CIBA request `auth_req_id`.
    pub async fn poll_ciba(&self, auth_req_id: &str) -> Answer {
        let form = [("grant_type", CIBA_GRANT), ("auth_req_id", auth_req_id)];
        send(self.oauth("/oauth/token", &form)).await
    }

    /// A CIBA token bound to the device with `phone` (the mock must approve at the first
    /// poll).
    pub async fn ciba_token(&self, phone: &str) -> String {
        let id = self.start_ciba(phone).await;
        access_token(self.poll_ciba(&id).await)
    }

    /// The key-based client, `jwt-client` (`private_key_jwt`).
    pub fn jwt_client(&self) -> &MockClient {
        self.server
            .clients()
            .iter()
            .find(|c| c.client_id() == JWT_CLIENT_ID)
            .expect("the mock registers jwt-client")
    }

    /// Claims of a good client assertion of `jwt-client` for the mock's token endpoint:
    /// valid for 60 s from now, with a fresh `jti`.
    pub fn assertion_claims(&self) -> Value {
        let now = unix_now();
        json!({
            "iss": JWT_CLIENT_ID, "sub": JWT_CLIENT_ID, "aud": self.url("/oauth/token"),
            "iat": now, "exp": now + 60, "jti": uuid::Uuid::new_v4().to_string(),
        })
    }

    /// The answer to a client-credentials request authenticated by `assertion`.
    pub async fn token_with_assertion(&self, assertion: &str) -> Answer {
        send(self.http.post(self.url("/oauth/token")).form(&[
            ("grant_type", "client_credentials"),
            ("client_assertion_type", JWT_BEARER),
            ("client_assertion", assertion),
        ]))
        .await
    }

    /// Revokes `token`.
    pub async fn revoke(&self, token: &str) {
        let answer = send(self.oauth("/oauth/revoke", &[("token", token)])).await;
        assert_eq!(answer.status, 200, "{}", answer.text);
    }

    /// A request to the API operation with JSON content type and the test correlator.
    pub fn api(&self) -> RequestBuilder {
        self.http
            .post(self.url(self.server.profile().operation_path()))
            .header("content-type", "application/json")
            .header("x-correlator", CORRELATOR)
    }

    /// The API answer for `body`, with `token`.
    pub async fn retrieve(&self, token: &str, body: Value) -> Answer {
        send(self.api().bearer_auth(token).body(body.to_string())).await
    }

    /// The API answer for the device with `phone`, with a fresh API token.
    pub async fn retrieve_phone(&self, phone: &str) -> Answer {
        let token = self.token(None).await;
        self.retrieve(&token, device_body(phone)).await
    }
}

/// `{"device": {"phoneNumber": phone}}`.
pub fn device_body(phone: &str) -> Value {
    serde_json::json!({ "device": { "phoneNumber": phone } })
}

fn access_token(answer: Answer) -> String {
    assert_eq!(answer.status, 200, "token request failed: {}", answer.text);
    answer.json()["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}

/// A decoded HTTP answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

/// Sends a request and reads the whole answer.
pub async fn send(request: RequestBuilder) -> Answer {
    let response = request.send().await.expect("an HTTP answer");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("a readable body");
    Answer {
        status,
        headers,
        text,
    }
}

impl Answer {
    /// A header's value, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }

    /// Asserts a CAMARA error answer: status, JSON content type, body status and
    /// code, a non-empty message, and the echoed correlator.
    pub fn assert_error(&self, status: u16, code: &str) {
        let body = self.json();
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(
            self.header("content-type"),
            Some("application/json"),
            "{}",
            self.text
        );
        assert_eq!(body["status"], status, "{}", self.text);
        assert_eq!(body["code"], code, "{}", self.text);
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{}",
            self.text
        );
        assert_eq!(
            self.header("x-correlator"),
            Some(CORRELATOR),
            "{}",
            self.text
        );
    }

    /// Asserts a 200 JSON answer with the echoed correlator and a valid RFC 3339 UTC
    /// `lastStatusTime`, and returns the body without `lastStatusTime`.
    pub fn assert_success(&self) -> Value {
        assert_eq!(self.status, 200, "{}", self.text);
        assert_eq!(self.header("content-type"), Some("application/json"));
        assert_eq!(self.header("x-correlator"), Some(CORRELATOR));
        let mut body = self.json();
        let time = body["lastStatusTime"]
            .as_str()
            .expect("lastStatusTime")
            .to_owned();
        assert!(
            chrono::DateTime::parse_from_rfc3339(&time).is_ok() && time.ends_with('Z'),
            "{time}"
        );
        body.as_object_mut().map(|o| o.remove("lastStatusTime"));
        body
    }

    /// Asserts an OAuth error answer (RFC 6749 §5.2).
    pub fn assert_oauth_error(&self, status: u16, error: &str) {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(self.header("content-type"), Some("application/json"));
        assert_eq!(self.json()["error"], error, "{}", self.text);
        assert!(
            self.json()["error_description"]
                .as_str()
                .is_some_and(|d| !d.is_empty())
        );
        assert_eq!(self.header("cache-control"), Some("no-store"));
    }
}
