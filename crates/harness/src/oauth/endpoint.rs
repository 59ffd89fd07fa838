//! Client-authenticated form POSTs to OAuth endpoints, and reading their answers.

use serde_json::Value;

use super::credentials::{Credentials, add_assertion};
use crate::form;
use crate::http::{Exchange, HttpClient, Request};
use crate::redact::Redactor;
use crate::target_file::Secret;

/// Longest access token accepted (8 KiB): real tokens, JWTs included, are far shorter, and
/// a longer one is refused rather than sent on every request.
pub(super) const MAX_TOKEN_BYTES: usize = 8 * 1024;

/// An OAuth client: where tokens come from and how the client authenticates.
pub(super) struct Client<'a> {
    pub http: &'a HttpClient,
    pub token_url: &'a str,
    pub credentials: &'a Credentials,
}

impl Client<'_> {
    /// POSTs the form `params` to `url`, client-authenticated. Errors are ready messages.
    pub async fn post(&self, url: &str, params: &[(&str, &str)]) -> Result<Exchange, String> {
        self.post_as(url, params, None).await
    }

    /// Like [`Client::post`], but authenticated by `assertion` instead of the configured
    /// credentials when given.
    pub async fn post_as(
        &self,
        url: &str,
        params: &[(&str, &str)],
        assertion: Option<&Secret>,
    ) -> Result<Exchange, String> {
        let mut headers = vec![
            (
                "content-type".to_owned(),
                "application/x-www-form-urlencoded".to_owned(),
            ),
            ("accept".to_owned(), "application/json".to_owned()),
        ];
        let mut fields: Vec<(String, String)> = params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        match assertion {
            Some(assertion) => add_assertion(&mut fields, assertion),
            None => self.credentials.apply(
                self.token_url,
                self.redactor(),
                &mut headers,
                &mut fields,
            )?,
        }
        let request = Request {
            method: "POST".to_owned(),
            url: url.to_owned(),
            headers,
            body: Some(form::serialize(&fields).into_bytes()),
        };
        self.http.send(request).await.map_err(|e| e.to_string())
    }

    /// A token by the client credentials grant, with `scope` if given.
    pub async fn client_credentials(&self, scope: Option<&str>) -> Result<Secret, String> {
        let exchange = self.request_client_credentials(scope, None).await?;
        self.access_token(&exchange)
    }

    /// The token endpoint's answer to a client credentials request, whatever its status.
    pub async fn request_client_credentials(
        &self,
        scope: Option<&str>,
        assertion: Option<&Secret>,
    ) -> Result<Exchange, String> {
        let mut params = vec![("grant_type", "client_credentials")];
        params.extend(scope.map(|s| ("scope", s)));
        self.post_as(self.token_url, &params, assertion).await
    }

    /// Revokes `token` at `url` (RFC 7009).
    pub async fn revoke(&self, url: &str, token: &Secret) -> Result<(), String> {
        let params = [
            ("token", token.expose()),
            ("token_type_hint", "access_token"),
        ];
        let exchange = self.post(url, &params).await?;
        if is_success(exchange.status) {
            Ok(())
        } else {
            Err(self.failure("revocation endpoint", &exchange))
        }
    }

    /// The `access_token` of a token endpoint's answer (registered as a secret when the
    /// answer was received): a non-empty string of at most [`MAX_TOKEN_BYTES`] that can
    /// be sent in a header.
    pub fn access_token(&self, exchange: &Exchange) -> Result<Secret, String> {
        if !is_success(exchange.status) {
            return Err(self.failure("token endpoint", exchange));
        }
        let value = answer(exchange, "token endpoint")?;
        let token = match value.get("access_token") {
            None | Some(Value::Null) => {
                return Err(missing(exchange, "token endpoint", "access_token"));
            }
            Some(Value::String(token)) => token,
            Some(other) => {
                return Err(unusable(
                    exchange,
                    &format!("that is {}, not a string", json_kind(other)),
                ));
            }
        };
        let problem = if token.is_empty() {
            Some("that is empty".to_owned())
        } else if token.len() > MAX_TOKEN_BYTES {
            Some(format!(
                "of {} bytes, more than the {MAX_TOKEN_BYTES} the harness accepts",
                token.len()
            ))
        } else if token.chars().any(|c| c.is_control()) {
            Some(
                "containing control characters (such as CR or LF), which cannot be sent in an \
                 HTTP header"
                    .to_owned(),
            )
        } else {
            None
        };
        match problem {
            Some(problem) => Err(unusable(exchange, &problem)),
            None => {
                exchange.redactor.add(token);
                Ok(Secret::new(token.clone()))
            }
        }
    }

    /// The message for a failed answer of `what`, with a hint fitting the credentials.
    pub fn failure(&self, what: &str, exchange: &Exchange) -> String {
        let hint = match self.credentials {
            Credentials::Assertion { .. } => {
                "check the client credentials (auth.client_id, and that the server knows the \
                 public key of the client's private key under auth.key_id)"
            }
            _ => {
                "check the client credentials (auth.client_id and its secret, or \
                 auth.authorization_env)"
            }
        };
        failure(what, exchange, hint)
    }

    /// The redactor every secret learnt is registered with.
    pub fn redactor(&self) -> &Redactor {
        self.http.redactor()
    }
}

/// The JSON body of a successful answer of `what`, or a message saying it is not JSON.
pub(super) fn answer(exchange: &Exchange, what: &str) -> Result<Value, String> {
    exchange.json().map_err(|e| {
        exchange.redactor.redact(&format!(
            "{what} {} answered HTTP {} with a body that is {e}; check that the URL is right",
            exchange.request.url, exchange.status
        ))
    })
}

/// The message for a successful answer of `what` that lacks `field`.
pub(super) fn missing(exchange: &Exchange, what: &str, field: &str) -> String {
    exchange.redactor.redact(&format!(
        "{what} {} answered HTTP {} without {field}; check that the URL is right",
        exchange.request.url, exchange.status
    ))
}

/// The message for a successful token answer whose `access_token` is `problem`.
fn unusable(exchange: &Exchange, problem: &str) -> String {
    exchange.redactor.redact(&format!(
        "token endpoint {} answered HTTP {} with an access_token {problem}; the token \
         endpoint is misbehaving, not the target file",
        exchange.request.url, exchange.status
    ))
}

/// What kind of JSON value `value` is, for messages.
fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The RFC 6749 `error` code of an answer, if it has one.
pub(super) fn error_code(exchange: &Exchange) -> Option<String> {
    let value = exchange.json().ok()?;
    Some(value.get("error")?.as_str()?.to_owned())
}

/// The message for a failed answer of `what`: endpoint, status, `error` and
/// `error_description` (or a body excerpt), and what to check (`credentials_hint` for
/// 401 and 403). Secrets masked.
fn failure(what: &str, exchange: &Exchange, credentials_hint: &str) -> String {
    let status = exchange.status;
    let said = match exchange.json() {
        Err(not_json) => format!("with a body that is {not_json}"),
        Ok(value) => match value.get("error").and_then(Value::as_str) {
            Some(code) => {
                let description = value
                    .get("error_description")
                    .and_then(Value::as_str)
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default();
                format!("with error {code:?}{description}")
            }
            None => "without an OAuth error code".to_owned(),
        },
    };
    let hint = match status {
        401 | 403 => credentials_hint,
        400..=499 => "check the [auth] settings of the target file",
        _ => "check that the endpoint is up and that its URL is right",
    };
    exchange.redactor.redact(&format!(
        "{what} {} answered HTTP {status} {said}; {hint}",
        exchange.request.url
    ))
}

pub(super) fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}
