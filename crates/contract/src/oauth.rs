//! The OAuth 2.0 names of CAMARA's security profile that the API and its clients share.

/// The scope the API requires of an access token.
pub const API_SCOPE: &str = "device-reachability-status:read";

/// The scope to create a subscription to `reachability-data` events.
pub const SUBSCRIPTION_DATA_CREATE_SCOPE: &str = "device-reachability-status-subscriptions:org.camaraproject.device-reachability-status-subscriptions.v0.reachability-data:create";
/// The scope to create a subscription to `reachability-sms` events.
pub const SUBSCRIPTION_SMS_CREATE_SCOPE: &str = "device-reachability-status-subscriptions:org.camaraproject.device-reachability-status-subscriptions.v0.reachability-sms:create";
/// The scope to create a subscription to `reachability-disconnected` events.
pub const SUBSCRIPTION_DISCONNECTED_CREATE_SCOPE: &str = "device-reachability-status-subscriptions:org.camaraproject.device-reachability-status-subscriptions.v0.reachability-disconnected:create";
/// The scope to list and retrieve subscriptions.
pub const SUBSCRIPTION_READ_SCOPE: &str = "device-reachability-status-subscriptions:read";
/// The scope to delete subscriptions.
pub const SUBSCRIPTION_DELETE_SCOPE: &str = "device-reachability-status-subscriptions:delete";
/// Every scope of the subscriptions API.
pub const SUBSCRIPTION_SCOPES: [&str; 5] = [
    SUBSCRIPTION_DATA_CREATE_SCOPE,
    SUBSCRIPTION_SMS_CREATE_SCOPE,
    SUBSCRIPTION_DISCONNECTED_CREATE_SCOPE,
    SUBSCRIPTION_READ_SCOPE,
    SUBSCRIPTION_DELETE_SCOPE,
];

/// The `client_assertion_type` of a `private_key_jwt` client assertion (RFC 7523).
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The grant type of OpenID Connect CIBA (Client-Initiated Backchannel Authentication).
pub const CIBA_GRANT: &str = "urn:openid:params:grant-type:ciba";
