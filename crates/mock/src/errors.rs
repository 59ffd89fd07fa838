//! JSON answers: the CAMARA error body `{status, code, message}`, the OAuth error body of
//! RFC 6749 §5.2, and the one function that writes a JSON response.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use reachability_contract::ErrorSituation;

use super::API_SCOPE;
use super::faults::{Fault, FaultSet};
use super::shape::api_json;
use super::variations::Variation;
use crate::Profile;

/// A JSON response with exactly `Content-Type: application/json`.
pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// A CAMARA error answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// `WWW-Authenticate` value, for 401 answers.
    challenge: Option<&'static str>,
    /// Answer a bare text/plain body instead of JSON (only the `invalid-json-500` fault).
    plain_text: bool,
}

impl ApiError {
    /// An error with this status, code and user-friendly message.
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            challenge: None,
            plain_text: false,
        }
    }

    /// What `profile`'s contract answers in `situation` (its `[errors]`), with `message`;
    /// a 500 naming the gap if the contract names no answer (the contract's load rules it
    /// out for every situation the mock meets in that profile).
    pub(crate) fn of_contract(
        profile: Profile,
        situation: ErrorSituation,
        message: impl Into<String>,
    ) -> Self {
        match profile.error_answer(situation) {
            Some(answer) => Self::new(
                StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                answer.code.as_str(),
                message,
            ),
            None => Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL",
                format!(
                    "The contract of {profile} names no answer for {}: add it to [errors] of its profile.toml.",
                    situation.key()
                ),
            ),
        }
    }

    /// The status and code of this answer (before faults deform it).
    #[cfg(test)]
    pub(crate) fn status_and_code(&self) -> (u16, &'static str) {
        (self.status.as_u16(), self.code)
    }

    /// 400 INVALID_ARGUMENT.
    pub(crate) fn invalid_argument(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "INVALID_ARGUMENT", message)
    }

    /// The text/plain 500 of a server that crashed on its input.
    pub(crate) fn plain_text_500() -> Self {
        Self {
            plain_text: true,
            ..Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL",
                "Internal Server Error",
            )
        }
    }

    /// Adds a `WWW-Authenticate` challenge.
    pub(crate) fn with_challenge(self, challenge: &'static str) -> Self {
        Self {
            challenge: Some(challenge),
            ..self
        }
    }

    /// The user-friendly message.
    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    /// Whether this is the text/plain crash answer.
    #[cfg(test)]
    pub(crate) fn is_plain_text(&self) -> bool {
        self.plain_text
    }

    /// The HTTP answer, as deformed by the error-model faults and shaped by the variations
    /// switched on.
    pub(crate) fn render(&self, faults: &FaultSet) -> Response {
        if self.plain_text {
            let content_type = [(header::CONTENT_TYPE, "text/plain; charset=utf-8")];
            return (self.status, content_type, self.message.clone()).into_response();
        }
        let code = match self.code {
            "INVALID_ARGUMENT" if faults.has(Fault::InvalidArgumentWrongCode) => "BAD_REQUEST",
            code => code,
        };
        let status = if faults.has(Fault::ErrorStatusMismatch) && self.status.is_client_error() {
            400
        } else {
            self.status.as_u16()
        };
        let message = if faults.varies(Variation::OtherErrorMessages) {
            format!("Request not served ({code}). Detail: {}", self.message)
        } else {
            self.message.clone()
        };
        let mut body = json!({ "status": status, "code": code, "message": message });
        if faults.has(Fault::ErrorStatusAsString) {
            body["status"] = json!(status.to_string());
        }
        if faults.has(Fault::ErrorWithoutMessage)
            && let Some(fields) = body.as_object_mut()
        {
            fields.remove("message");
        }
        let mut response = api_json(self.status, body, faults);
        let challenge = self.challenge.map(|challenge| {
            if faults.varies(Variation::ChallengeWithDescription) {
                HeaderValue::from_str(&format!(
                    "{challenge}, error_description=\"{code}\", scope=\"{API_SCOPE}\""
                ))
                .unwrap_or(HeaderValue::from_static(challenge))
            } else {
                HeaderValue::from_static(challenge)
            }
        });
        if let Some(challenge) = challenge {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, challenge);
        }
        response
    }
}

/// An OAuth 2.0 error answer (RFC 6749 §5.2, RFC 7009, OpenID CIBA).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OAuthError {
    status: StatusCode,
    error: &'static str,
    description: String,
}

impl OAuthError {
    /// A 400 error with this `error` code.
    pub(crate) fn bad_request(error: &'static str, description: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            error,
            description: description.into(),
        }
    }

    /// 400 `invalid_request`.
    pub(crate) fn invalid_request(description: impl Into<String>) -> Self {
        Self::bad_request("invalid_request", description)
    }

    /// 401 `invalid_client`.
    pub(crate) fn invalid_client(description: impl Into<String>) -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            error: "invalid_client",
            description: description.into(),
        }
    }

    /// 500 `server_error`.
    pub(crate) fn server_error(description: impl Into<String>) -> Self {
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            error: "server_error",
            description: description.into(),
        }
    }

    /// The HTTP answer.
    pub(crate) fn render(&self) -> Response {
        let body = json!({ "error": self.error, "error_description": self.description });
        let mut response = no_store(json_response(self.status, &body));
        if self.status == StatusCode::UNAUTHORIZED {
            let challenge = HeaderValue::from_static("Basic realm=\"reachability-mock\"");
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, challenge);
        }
        response
    }
}

/// Marks an OAuth answer as not cacheable (RFC 6749 §5.1).
pub(crate) fn no_store(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(response: Response) -> (StatusCode, String, Value) {
        let status = response.status();
        let content_type = response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap_or("")
            .to_owned();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        (
            status,
            content_type,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    #[tokio::test]
    async fn renders_the_camara_error_body() {
        let error = ApiError::new(
            StatusCode::NOT_FOUND,
            "IDENTIFIER_NOT_FOUND",
            "No such device.",
        );
        let (status, content_type, body) = body_of(error.render(&FaultSet::default())).await;
        assert_eq!(
            (status, content_type.as_str()),
            (StatusCode::NOT_FOUND, "application/json")
        );
        assert_eq!(
            body,
            json!({"status": 404, "code": "IDENTIFIER_NOT_FOUND", "message": "No such device."})
        );
    }

    #[tokio::test]
    async fn error_model_faults_deform_the_body() {
        let error = ApiError::new(
            StatusCode::NOT_FOUND,
            "IDENTIFIER_NOT_FOUND",
            "No such device.",
        );
        let faults = FaultSet::new(&[
            Fault::ErrorStatusAsString,
            Fault::ErrorStatusMismatch,
            Fault::ErrorWithoutMessage,
        ]);
        let (_, _, body) = body_of(error.render(&faults)).await;
        assert_eq!(
            body,
            json!({"status": "400", "code": "IDENTIFIER_NOT_FOUND"})
        );
    }
}
