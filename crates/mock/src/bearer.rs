//! Authentication and authorisation of API calls: the bearer token, its scope and its quota.

use crate::Api;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};

use super::API_SCOPE;
use super::access_tokens::JwtCheck;
use super::app::App;
use super::errors::ApiError;
use super::faults::Fault;
use super::tokens::{TokenStatus, unix_now};
use super::variations::Variation;
use crate::profile::Profile;
use reachability_contract::ErrorSituation;

/// `WWW-Authenticate` for a call without a token (RFC 6750 §3).
const NO_TOKEN_CHALLENGE: &str = "Bearer realm=\"reachability-mock\"";
/// `WWW-Authenticate` for a call with an unusable token.
const BAD_TOKEN_CHALLENGE: &str = "Bearer realm=\"reachability-mock\", error=\"invalid_token\"";

/// Who is calling, as far as the API cares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Caller {
    /// Phone number of the device the token is bound to (CIBA tokens).
    pub device: Option<String>,
    /// The scopes the token grants.
    pub scopes: Vec<String>,
}

/// Checks the `Authorization` header: 401 without a usable token, 403 without the API
/// scope, 429 past the token's quota.
pub(crate) fn authorize(app: &App, headers: &HeaderMap) -> Result<Caller, ApiError> {
    check(app, headers, Some(API_SCOPE))
}

/// [`authorize`] without the scope check: for operations that check their own scopes
/// (the subscriptions API, whose create scope depends on the request body).
pub(crate) fn authenticate(app: &App, headers: &HeaderMap) -> Result<Caller, ApiError> {
    check(app, headers, None)
}

fn check(app: &App, headers: &HeaderMap, scope: Option<&str>) -> Result<Caller, ApiError> {
    let faults = &app.faults;
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return if faults.has(Fault::NoAuthRequired) {
            Ok(Caller::default())
        } else {
            Err(unauthenticated(
                app,
                "No access token: send `Authorization: Bearer <access token>`.",
            )
            .with_challenge(NO_TOKEN_CHALLENGE))
        };
    };
    let token = match bearer_token(value) {
        Some(token) => token,
        None if faults.has(Fault::MalformedTokenAccepted) => return Ok(Caller::default()),
        None => {
            return Err(unauthenticated(
                app,
                "The Authorization header is not `Bearer <access token>`.",
            ));
        }
    };
    let grant = match token_status(app, token) {
        TokenStatus::Active(grant) => grant,
        TokenStatus::Expired(grant) if faults.has(Fault::ExpiredTokenAccepted) => grant,
        TokenStatus::Revoked(grant) if faults.has(Fault::RevokedTokenAccepted) => grant,
        TokenStatus::Unknown if faults.has(Fault::MalformedTokenAccepted) => {
            return Ok(Caller::default());
        }
        TokenStatus::Unknown => {
            return Err(unauthenticated(
                app,
                "The access token is not valid: request a new one.",
            ));
        }
        TokenStatus::Expired(_) => {
            return Err(unauthenticated(
                app,
                "The access token has expired: request a new one.",
            ));
        }
        TokenStatus::Revoked(_) => {
            return Err(unauthenticated(
                app,
                "The access token has been revoked: request a new one.",
            ));
        }
    };
    if let Some(scope) = scope
        && !grant.scopes.iter().any(|s| s == scope)
        && !faults.has(Fault::NoScopeCheck)
    {
        let reason = format!(
            "The access token lacks the scope {scope}: ask for it when requesting the token."
        );
        return Err(if faults.has(Fault::ForbiddenAs401) {
            unauthenticated(app, &reason)
        } else {
            permission_denied(app.profile, &reason)
        });
    }
    if let Some(quota) = app.quota_per_token
        && !app.tokens.use_once(token, quota)
    {
        return Err(quota_exceeded(quota));
    }
    Ok(Caller {
        device: grant.device,
        scopes: grant.scopes,
    })
}

/// What `token` is worth: a JWT access token must first carry a good signature of this
/// mock; then, JWT or opaque, the store says whether it is active, expired or revoked
/// (as a gateway asks its introspection endpoint, since a signature cannot be revoked).
fn token_status(app: &App, token: &str) -> TokenStatus {
    match app.tokens.signer().map(|s| s.check(token, unix_now())) {
        Some(JwtCheck::Invalid) => TokenStatus::Unknown,
        Some(JwtCheck::Expired | JwtCheck::Good) | None => app.tokens.status(token),
    }
}

/// The token of a well-formed `Bearer <token>` value (RFC 6750 `b64token` syntax).
fn bearer_token(value: &HeaderValue) -> Option<&str> {
    let (scheme, token) = value.to_str().ok()?.split_once(' ')?;
    let body = token.trim_end_matches('=');
    let well_formed = scheme.eq_ignore_ascii_case("bearer")
        && !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b));
    well_formed.then_some(token)
}

/// 429 QUOTA_EXCEEDED: the token has made its `quota` of requests.
pub(crate) fn quota_exceeded(quota: u32) -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "QUOTA_EXCEEDED",
        format!("Out of resource quota: this access token may make {quota} requests."),
    )
}

/// 401 for a missing or unusable token: the code the profile's contract names, unless a
/// fault or variation changes it; worded as the profile words it.
pub(crate) fn unauthenticated(app: &App, reason: &str) -> ApiError {
    let message = match app.profile.api() {
        Api::CamaraV1 | Api::CamaraSubscriptionsV0 => reason.to_owned(),
        Api::OrangeLabV0 => format!("Authorization failed: {reason}"),
    };
    let deformed = if app.faults.has(Fault::UnauthenticatedWrongCode) {
        Some("UNAUTHORIZED")
    } else if app.faults.varies(Variation::AuthenticationRequiredCode) {
        Some("AUTHENTICATION_REQUIRED")
    } else {
        None
    };
    let error = match deformed {
        Some(code) => ApiError::new(StatusCode::UNAUTHORIZED, code, message),
        None => ApiError::of_contract(app.profile, ErrorSituation::Unauthenticated, message),
    };
    error.with_challenge(BAD_TOKEN_CHALLENGE)
}

/// 403 PERMISSION_DENIED, worded as `profile` words it.
pub(crate) fn permission_denied(profile: Profile, reason: &str) -> ApiError {
    let message = match profile.api() {
        Api::CamaraV1 | Api::CamaraSubscriptionsV0 => reason.to_owned(),
        Api::OrangeLabV0 => format!("Operation not allowed: {reason}"),
    };
    ApiError::new(StatusCode::FORBIDDEN, "PERMISSION_DENIED", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_only_well_formed_bearer_values() {
        let token = |v: &'static str| bearer_token(&HeaderValue::from_static(v)).map(str::to_owned);
        assert_eq!(
            token("Bearer abc-123._~+/=="),
            Some("abc-123._~+/==".into())
        );
        assert_eq!(token("bearer abc"), Some("abc".into()));
        for bad in [
            "Bearer",
            "Bearer ",
            "Basic abc",
            "abc",
            "Bearer a b",
            "Bearer ==",
            "Bearer a=b",
        ] {
            assert_eq!(token(bad), None, "{bad}");
        }
    }
}
