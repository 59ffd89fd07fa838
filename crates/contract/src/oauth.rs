//! The OAuth 2.0 names of CAMARA's security profile that the API and its clients share.

/// The scope the API requires of an access token.
pub const API_SCOPE: &str = "device-reachability-status:read";

/// The `client_assertion_type` of a `private_key_jwt` client assertion (RFC 7523).
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The grant type of OpenID Connect CIBA (Client-Initiated Backchannel Authentication).
pub const CIBA_GRANT: &str = "urn:openid:params:grant-type:ciba";
