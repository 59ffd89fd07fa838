//! Variation switches: each one makes the mock differ from its default in a way the
//! documents allow, so a run against it proves the suite raises no false alarm there.

use std::fmt;
use std::str::FromStr;

use super::scope::Scope;
use crate::profile::Profile;

/// Declares [`Variation`] from one table row per variation: variant, kebab-case name,
/// scope, one-line description and the document clause that makes it legal.
macro_rules! variations {
    ($( $variant:ident = $name:literal, $scope:ident, $desc:literal, $clause:literal; )*) => {
        /// One legal difference from the mock's default behaviour, switched on with
        /// `--variation NAME`.
        ///
        /// A conformance run against the mock with any variation on must pass: each one is
        /// something a conformant implementation may do.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Variation {
            $( #[doc = $desc] $variant, )*
        }

        impl Variation {
            /// Every variation, in a stable order (the order of `--list-variations`).
            pub const ALL: &'static [Variation] = &[$(Variation::$variant),*];

            /// The kebab-case name used with `--variation`.
            pub fn name(self) -> &'static str {
                match self { $(Variation::$variant => $name,)* }
            }

            /// What the variation does, in one line.
            pub fn description(self) -> &'static str {
                match self { $(Variation::$variant => $desc,)* }
            }

            /// The document clause that makes the behaviour legal.
            pub fn clause(self) -> &'static str {
                match self { $(Variation::$variant => $clause,)* }
            }

            fn scope(self) -> Scope {
                match self { $(Variation::$variant => Scope::$scope,)* }
            }
        }
    };
}

variations! {
    // Body and headers of API answers.
    FieldOrderReversed = "field-order-reversed", Both,
        "Writes the members of every API answer body in reverse order.",
        "RFC 8259 §4: an object is an unordered collection of members";
    ExtraResponseMembers = "extra-response-members", Both,
        "Adds an `extension` member the schema does not declare to every API answer body.",
        "OAS: the response schemas do not set additionalProperties: false";
    ContentTypeCharset = "content-type-charset", Both,
        "Labels every API answer `application/json; charset=utf-8`.",
        "RFC 9110 §8.3.1: a media type may carry parameters";
    ExtraResponseHeaders = "extra-response-headers", Both,
        "Adds `Cache-Control: no-store` and `X-Request-Id` to every API answer.",
        "RFC 9110 §5.1: a recipient ignores header fields it does not recognise";
    TimeOffset = "time-offset", Both,
        "Writes `lastStatusTime` with a +02:00 offset instead of `Z`.",
        "RFC 3339 §5.6: time-offset is `Z` or ±hh:mm (OAS LastStatusTime: format date-time)";
    TimeWholeSeconds = "time-whole-seconds", Both,
        "Writes `lastStatusTime` without fractional seconds.",
        "RFC 3339 §5.6: time-secfrac is optional";
    OtherErrorMessages = "other-error-messages", Both,
        "Words every API error message differently (same status and code).",
        "OAS ErrorInfo: `message` is free text";
    CorrelatorWhenAbsent = "correlator-when-absent", Both,
        "Answers a request without x-correlator with an x-correlator of its own.",
        "OAS: the x-correlator response header is declared on every answer; only its echo is tied to the request";
    BasePath = "base-path", Both,
        "Serves the API under `/gateway` in front of its path (the target file's api_root includes it).",
        "OAS servers: `{apiRoot}` is a variable the provider chooses";
    // Request handling.
    UnknownDevicePropertyIgnored = "unknown-device-property-ignored", Both,
        "Ignores unknown properties inside `device` (e.g. `networkIdentifier`) instead of answering 400.",
        "OAS #/components/schemas/Device: no additionalProperties: false";
    AuthenticationRequiredCode = "authentication-required-code", AuthenticationRequiredListed,
        "Answers a token it refuses with 401 AUTHENTICATION_REQUIRED instead of UNAUTHENTICATED.",
        "OAS v1.0.0 #/components/responses/Generic401: code UNAUTHENTICATED or AUTHENTICATION_REQUIRED";
    // Tokens and the authorisation server.
    OtherAccessTokenFormat = "other-access-token-format", Both,
        "Flips the access token format: opaque where the mock would issue JWTs (the embedded camara-v1 mock), RS256 JWTs where it would issue opaque ones.",
        "RFC 6749 §1.4: an access token is opaque to the client";
    TokenTypeLowercase = "token-type-lowercase", Both,
        "The token endpoint answers `token_type: bearer`.",
        "RFC 6749 §5.1: the token_type value is case insensitive";
    TokenResponseWithoutScope = "token-response-without-scope", Both,
        "The token endpoint leaves `scope` out when it granted exactly what was asked.",
        "RFC 6749 §5.1: scope is OPTIONAL if identical to the scope requested";
    TokenResponseWithoutExpiresIn = "token-response-without-expires-in", Both,
        "The token endpoint leaves `expires_in` out of its answers.",
        "RFC 6749 §5.1: expires_in is RECOMMENDED, not required";
    TokenResponseExtraMembers = "token-response-extra-members", Both,
        "The token endpoint adds a member no RFC defines to its answers.",
        "RFC 6749 §5.1: the client MUST ignore unrecognized value names";
    ChallengeWithDescription = "challenge-with-description", Both,
        "Adds `error_description` and `scope` attributes to WWW-Authenticate challenges.",
        "RFC 6750 §3: error_description and scope are optional challenge attributes";
    AuthReqIdUuid = "auth-req-id-uuid", CamaraV1,
        "Names CIBA requests with a UUID `auth_req_id` instead of 64 hex digits.",
        "OpenID CIBA Core 1.0 §7.3: auth_req_id is an opaque identifier the server chooses";
    CibaNoSlowDown = "ciba-no-slow-down", CamaraV1,
        "Never answers a CIBA poll with slow_down, however soon after the previous one it comes.",
        "OpenID CIBA Core 1.0 §11: the server MAY answer slow_down; it need not";
    CibaPendingLonger = "ciba-pending-longer", CamaraV1,
        "Answers authorization_pending to the first two polls of a CIBA request, and never slow_down.",
        "OpenID CIBA Core 1.0 §11: authorization_pending while the user has not decided";
    // Response body of camara-v1.
    ConnectivityReversed = "connectivity-reversed", CamaraV1,
        "Lists the connectivity of a DATA+SMS device as [\"SMS\", \"DATA\"].",
        "OAS v1.0.0 ReachabilityStatusResponse: connectivity is an array with no order";
    LastStatusTimeAbsent = "last-status-time-absent", LastStatusTimeOptional,
        "Leaves `lastStatusTime` out of successful answers.",
        "OAS v1.0.0 ReachabilityStatusResponse: lastStatusTime is not required";
    // Subscriptions.
    SubscriptionsAsync = "subscriptions-async", Subscriptions,
        "Creates and deletes subscriptions asynchronously: 202 with the id, ACTIVATION_REQUESTED until ACTIVE.",
        "OAS v0.8.0 createDeviceReachabilityStatusSubscription and delete: 202 for an asynchronous process";
    NotificationsRetried = "notifications-retried", Subscriptions,
        "Delivers every notification twice, with the same `source` and `id`.",
        "CloudEvents 1.0 §3.1.1 id: a retried event keeps its source and id (consumers de-duplicate)";
    SubscriptionStartedEvent = "subscription-started-event", Subscriptions,
        "Sends a subscription-started lifecycle event (SUBSCRIPTION_CREATED) when a subscription starts.",
        "OAS v0.8.0 EventTypeNotification: subscription-started is a lifecycle event the network may send";
    ChangeEventsDelayed = "change-events-delayed", Subscriptions,
        "Reports a change of a device's state one second after it happened.",
        "OAS v0.8.0 sets no delay between a network change and its event (the harness waits event_timeout_s)";
}

impl Variation {
    /// Whether the variation makes sense for (and can be switched on with) `profile`.
    pub fn applies_to(self, profile: Profile) -> bool {
        self.scope().covers(profile)
    }
}

impl fmt::Display for Variation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error for a variation name that is not one of [`Variation::ALL`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownVariation(pub String);

impl fmt::Display for UnknownVariation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown variation {:?}: run `reachability-conformance mock --list-variations` to see the valid names",
            self.0
        )
    }
}

impl std::error::Error for UnknownVariation {}

impl FromStr for Variation {
    type Err = UnknownVariation;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        Variation::ALL
            .iter()
            .copied()
            .find(|v| v.name().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| UnknownVariation(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::Api;
    use crate::Fault;

    #[test]
    fn names_are_unique_kebab_case_round_trip_and_differ_from_fault_names() {
        let faults: HashSet<&str> = Fault::ALL.iter().map(|f| f.name()).collect();
        let mut seen = HashSet::new();
        for v in Variation::ALL {
            assert!(seen.insert(v.name()), "duplicate name {}", v.name());
            assert!(!faults.contains(v.name()), "{} is also a fault", v.name());
            assert!(
                v.name()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            );
            assert_eq!(v.name().parse::<Variation>(), Ok(*v));
            for text in [v.description(), v.clause()] {
                assert!(!text.is_empty() && !text.contains('\n'), "{}", v.name());
            }
        }
        assert!(Variation::ALL.len() >= 15);
    }

    #[test]
    fn scopes_are_honoured() {
        assert!(Variation::CibaNoSlowDown.applies_to(Api::CamaraV1.current()));
        assert!(!Variation::CibaNoSlowDown.applies_to(Api::OrangeLabV0.current()));
        assert!(Variation::BasePath.applies_to(Api::OrangeLabV0.current()));
        for p in Profile::status_profiles() {
            assert!(Variation::ALL.iter().filter(|v| v.applies_to(p)).count() >= 15);
        }
    }

    #[test]
    fn unknown_name_says_how_to_list_variations() {
        assert_eq!(
            "nope".parse::<Variation>().unwrap_err().to_string(),
            "unknown variation \"nope\": run `reachability-conformance mock --list-variations` to see the valid names"
        );
    }
}
