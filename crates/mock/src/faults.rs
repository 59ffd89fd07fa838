//! Fault switches: each one turns the mock into one realistic non-conformant implementation.

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

use super::scope::Scope;
use super::variations::Variation;
use crate::profile::Profile;

/// Declares [`Fault`] from one table row per fault: variant, kebab-case name, scope and
/// one-line description, so the four never drift apart.
macro_rules! faults {
    ($( $variant:ident = $name:literal, $scope:ident, $desc:literal; )*) => {
        /// One targeted deviation from the specification, switched on with `--fault NAME`.
        ///
        /// The clean mock is conformant; each fault changes exactly one behaviour, so a
        /// conformance run against a faulty mock shows which checks catch which mistake.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Fault {
            $( #[doc = $desc] $variant, )*
        }

        impl Fault {
            /// Every fault, in a stable order (the order of `--list-faults`).
            pub const ALL: &'static [Fault] = &[$(Fault::$variant),*];

            /// The kebab-case name used with `--fault`.
            pub fn name(self) -> &'static str {
                match self { $(Fault::$variant => $name,)* }
            }

            /// What the fault does, in one line.
            pub fn description(self) -> &'static str {
                match self { $(Fault::$variant => $desc,)* }
            }

            fn scope(self) -> Scope {
                match self { $(Fault::$variant => Scope::$scope,)* }
            }
        }
    };
}

faults! {
    // Request validation.
    PhoneWithoutPlus = "phone-without-plus", Both,
        "Accepts phone numbers without the leading '+'.";
    PhoneLengthUnchecked = "phone-length-unchecked", Both,
        "Accepts phone numbers with fewer than 5 or more than 15 digits.";
    PhoneLeadingZero = "phone-leading-zero", Both,
        "Accepts phone numbers whose first digit is 0.";
    PhoneNumberAsNumber = "phone-number-as-number", Both,
        "Accepts a phoneNumber sent as a JSON number instead of a string.";
    EmptyDeviceAccepted = "empty-device-accepted", Both,
        "Does not reject `device: {}`: handles it as a request without a device.";
    NetworkAccessIdentifierTypeUnchecked = "network-access-identifier-type-unchecked", Both,
        "Accepts a networkAccessIdentifier that is not a string (e.g. a number).";
    Ipv4Unchecked = "ipv4-unchecked", Both,
        "Accepts malformed ipv4Address objects (bad address, bad port, no privateAddress/publicPort).";
    Ipv6Unchecked = "ipv6-unchecked", Both,
        "Accepts malformed ipv6Address strings.";
    NonObjectBodyAccepted = "non-object-body-accepted", Both,
        "Handles a JSON body that is not an object as an empty request instead of answering 400.";
    EmptyBodyAccepted = "empty-body-accepted", Both,
        "Handles an empty body as a request without a device instead of answering 400.";
    InvalidJson500 = "invalid-json-500", Both,
        "Answers a body that is not JSON with a text/plain 500.";
    UnsupportedMediaTypeAccepted = "unsupported-media-type-accepted", OrangeLabV0,
        "Parses bodies sent with a non-JSON Content-Type instead of answering 415.";
    // Response body.
    ReachableAsString = "reachable-as-string", CamaraV1,
        "Answers `reachable` as a string (\"true\") instead of a boolean.";
    ReachableMissing = "reachable-missing", CamaraV1,
        "Leaves the required `reachable` property out of successful answers.";
    ConnectivityWhenUnreachable = "connectivity-when-unreachable", CamaraV1,
        "Sends `connectivity: []` for unreachable devices, where it must be absent.";
    LowercaseConnectivity = "lowercase-connectivity", CamaraV1,
        "Answers connectivity values in lower case (\"data\", \"sms\").";
    LastStatusTimeMissing = "last-status-time-missing", LastStatusTimeRequired,
        "Leaves the required `lastStatusTime` out of successful answers.";
    NonRfc3339Time = "non-rfc3339-time", Both,
        "Answers `lastStatusTime` without the 'T' separator and time zone.";
    OrangeLowercaseStatus = "orange-lowercase-status", OrangeLabV0,
        "Answers `reachabilityStatus` in lower case (\"connected_data\").";
    OrangeV1Body = "orange-v1-body", OrangeLabV0,
        "Answers with the CAMARA v1 body (`reachable`, `connectivity`) instead of `reachabilityStatus`.";
    // Semantic state of each device.
    SmsReportedAsData = "sms-reported-as-data", Both,
        "Reports an SMS-only device as reachable by DATA.";
    DataReportedUnreachable = "data-reported-unreachable", Both,
        "Reports a DATA-only device as not reachable.";
    UnreachableReportedReachable = "unreachable-reported-reachable", Both,
        "Reports a not connected device as reachable by DATA.";
    DataAndSmsMissingSms = "data-and-sms-missing-sms", CamaraV1,
        "Reports a DATA+SMS device with connectivity [\"DATA\"] only.";
    OrangeDataAndSmsAsSms = "orange-data-and-sms-as-sms", OrangeLabV0,
        "Reports a DATA+SMS device as CONNECTED_SMS instead of CONNECTED_DATA.";
    // Device identification.
    UnknownDevice200 = "unknown-device-200", Both,
        "Answers 200 (not reachable) for a schema-valid device it does not manage.";
    NotFoundWrongCode = "not-found-wrong-code", CamaraV1,
        "Answers an unknown device with 404 NOT_FOUND instead of IDENTIFIER_NOT_FOUND.";
    IdentifierMismatchIgnored = "identifier-mismatch-ignored", RejectsMismatch,
        "Uses the first identifier when identifiers point to different devices, instead of 422 IDENTIFIER_MISMATCH.";
    IdentifierMismatch422 = "identifier-mismatch-422", PicksOne,
        "Answers 422 IDENTIFIER_MISMATCH when identifiers name different devices, a code the version removed: it must use one and name it in `device`.";
    DeviceNotNamed = "device-not-named", PicksOne,
        "Leaves `device` out of answers to a request that named the device.";
    UnsupportedIdentifier400 = "unsupported-identifier-400", Both,
        "Answers 400 INVALID_ARGUMENT when only unsupported identifiers are given, instead of 422.";
    UnnecessaryIdentifierAccepted = "unnecessary-identifier-accepted", CamaraV1,
        "Serves a device from the body when the token already identifies one, instead of 422 UNNECESSARY_IDENTIFIER.";
    MissingIdentifier400 = "missing-identifier-400", Both,
        "Answers 400 INVALID_ARGUMENT when no device can be identified, instead of 422.";
    NotApplicable404 = "not-applicable-404", CamaraV1,
        "Answers 404 IDENTIFIER_NOT_FOUND for a device the service does not apply to, instead of 422 SERVICE_NOT_APPLICABLE.";
    NotApplicableServed = "not-applicable-served", CamaraV1,
        "Answers 200 (not reachable) for a device the service does not apply to, instead of 422.";
    CibaDeviceIgnored = "ciba-device-ignored", CamaraV1,
        "Ignores the device bound to a CIBA token: without a body device it answers 422 MISSING_IDENTIFIER.";
    OrangeUnmanaged404 = "orange-unmanaged-404", OrangeLabV0,
        "Answers an unmanaged number with 404 instead of Orange's documented 500.";
    OrangeLabNumberRefused = "orange-lab-number-refused", OrangeLabV0,
        "Refuses the lab number the service does not apply to with 422 DEVICE_NOT_APPLICABLE, though every lab number is operational.";
    // Error model.
    ErrorWithoutMessage = "error-without-message", Both,
        "Leaves `message` out of error bodies.";
    ErrorStatusAsString = "error-status-as-string", Both,
        "Sends the error body's `status` as a string (\"404\").";
    ErrorStatusMismatch = "error-status-mismatch", Both,
        "Sends `status: 400` in every 4xx error body, whatever the HTTP status.";
    InvalidArgumentWrongCode = "invalid-argument-wrong-code", Both,
        "Answers 400 errors with code BAD_REQUEST instead of INVALID_ARGUMENT.";
    // Headers.
    NoCorrelatorEcho = "no-correlator-echo", Both,
        "Never echoes the x-correlator header.";
    WrongCorrelatorEcho = "wrong-correlator-echo", Both,
        "Answers with a freshly generated x-correlator instead of the one received.";
    ErrorsWithoutCorrelator = "errors-without-correlator", Both,
        "Echoes x-correlator on successful answers only, not on errors.";
    InvalidCorrelatorAccepted = "invalid-correlator-accepted", CamaraV1,
        "Accepts (and echoes) an x-correlator that breaks its pattern instead of answering 400.";
    CorrelatorPatternImposed = "correlator-pattern-imposed", OrangeLabV0,
        "Refuses an x-correlator that breaks camara-v1's pattern with 400, though v0.6.0 declares a plain string.";
    CorrelatorRequired = "correlator-required", Both,
        "Refuses requests without an x-correlator header with 400 INVALID_ARGUMENT, though the header is optional.";
    TextPlainSuccess = "text-plain-success", Both,
        "Labels successful answers `Content-Type: text/plain`.";
    // Authentication and authorisation.
    NoAuthRequired = "no-auth-required", Both,
        "Serves requests that carry no Authorization header.";
    MalformedTokenAccepted = "malformed-token-accepted", Both,
        "Accepts Authorization headers that are not `Bearer <token>` or carry a token it never issued.";
    ExpiredTokenAccepted = "expired-token-accepted", Both,
        "Accepts expired access tokens.";
    RevokedTokenAccepted = "revoked-token-accepted", Both,
        "Accepts revoked access tokens.";
    NoScopeCheck = "no-scope-check", Both,
        "Serves tokens that lack the device-reachability-status:read scope.";
    ForbiddenAs401 = "forbidden-as-401", Both,
        "Answers a token without the API scope with 401 UNAUTHENTICATED instead of 403 PERMISSION_DENIED.";
    UnauthenticatedWrongCode = "unauthenticated-wrong-code", Both,
        "Answers 401 errors with code UNAUTHORIZED instead of UNAUTHENTICATED.";
    TokenScopeIgnored = "token-scope-ignored", Both,
        "The token endpoint grants the API scope whatever scope was asked for.";
    NetworkError500 = "network-error-500", Both,
        "Answers a network error with 500 INTERNAL instead of 503 UNAVAILABLE.";
    // Token endpoint (CAMARA security profile).
    AssertionSignatureUnchecked = "assertion-signature-unchecked", CamaraV1,
        "Does not verify client assertion signatures: an assertion signed by any key is accepted.";
    AssertionExpiryUnchecked = "assertion-expiry-unchecked", CamaraV1,
        "Accepts client assertions whose `exp` is in the past.";
    AssertionReplayAccepted = "assertion-replay-accepted", CamaraV1,
        "Does not remember client assertion `jti`s: the same assertion is accepted again.";
    AssertionLifetimeUnchecked = "assertion-lifetime-unchecked", CamaraV1,
        "Accepts client assertions valid for more than 300 s (`exp` - `iat`).";
    AssertionAudienceUnchecked = "assertion-audience-unchecked", CamaraV1,
        "Accepts client assertions whose `aud` names another server.";
    AssertionIssuerUnchecked = "assertion-issuer-unchecked", CamaraV1,
        "Identifies the client by the assertion's `sub` alone: an `iss` that is not the client id is accepted.";
    CibaEarlyPoll500 = "ciba-early-poll-500", CamaraV1,
        "Answers a CIBA poll that comes sooner than the interval with 500 server_error.";
    // Subscriptions and their notifications.
    SinkCredentialMissing = "sink-credential-missing", Subscriptions,
        "Sends notifications without the Authorization header the sinkCredential asks for.";
    SinkCredentialWrong = "sink-credential-wrong", Subscriptions,
        "Sends notifications with a Bearer token other than the sinkCredential's accessToken.";
    BinaryModeEvents = "binary-mode-events", Subscriptions,
        "Sends notifications as binary-mode CloudEvents (ce-* headers, body = data) instead of structured mode.";
    WrongEventType = "wrong-event-type", Subscriptions,
        "Sends reachability events with another `type` than the one subscribed to.";
    SubscriptionIdMissing = "subscription-id-missing", Subscriptions,
        "Leaves the required `data.subscriptionId` out of notifications.";
    SinkCredentialEchoed = "sink-credential-echoed", Subscriptions,
        "Echoes the sinkCredential (with its access token) back in Subscription bodies.";
    NoSubscriptionEnded = "no-subscription-ended", Subscriptions,
        "Never sends a subscription-ended event (max events, expiry or deletion).";
    EventsAfterDelete = "events-after-delete", Subscriptions,
        "Sends one more reachability event after a subscription was deleted.";
    InvalidProtocolWrongCode = "invalid-protocol-wrong-code", Subscriptions,
        "Answers an unsupported protocol with 400 INVALID_ARGUMENT instead of INVALID_PROTOCOL.";
    InvalidCredentialWrongCode = "invalid-credential-wrong-code", Subscriptions,
        "Answers an unsupported credentialType with 400 INVALID_ARGUMENT instead of INVALID_CREDENTIAL.";
    InvalidTokenWrongCode = "invalid-token-wrong-code", Subscriptions,
        "Answers an unusable sink access token with 400 INVALID_ARGUMENT instead of INVALID_TOKEN.";
    InvalidSinkWrongCode = "invalid-sink-wrong-code", Subscriptions,
        "Answers an unusable sink with 400 INVALID_ARGUMENT instead of INVALID_SINK.";
    MultieventAccepted = "multievent-accepted", Subscriptions,
        "Accepts a subscription to several event types instead of 422 MULTIEVENT_SUBSCRIPTION_NOT_SUPPORTED.";
    PastExpiryAccepted = "past-expiry-accepted", Subscriptions,
        "Accepts a subscriptionExpireTime in the past instead of answering 400 INVALID_ARGUMENT.";
    SubscriptionsNoAuthCheck = "subscriptions-no-auth-check", Subscriptions,
        "Serves subscription requests without an Authorization header as if they had every scope.";
    SubscriptionsScopeUnchecked = "subscriptions-scope-unchecked", Subscriptions,
        "Never checks the scopes of the subscriptions API: any valid token may create, read and delete.";
    UnknownSubscription200 = "unknown-subscription-200", Subscriptions,
        "Answers retrieve (200) and delete (204) of a subscription id it does not hold instead of 404 NOT_FOUND.";
    InitialEventAlways = "initial-event-always", Subscriptions,
        "Sends the initialEvent whatever the device's state, even when it does not match the subscribed type.";
    NoReachabilityEvents = "no-reachability-events", Subscriptions,
        "Sends nothing when a device's state changes (only initial and lifecycle events).";
    StaleChangeEvent = "stale-change-event", Subscriptions,
        "Reports a change of a device's state with the event type of its previous state.";
}

impl Fault {
    /// Whether the fault makes sense for (and can be switched on with) `profile`.
    pub fn applies_to(self, profile: Profile) -> bool {
        self.scope().covers(profile)
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error for a fault name that is not one of [`Fault::ALL`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFault(pub String);

impl fmt::Display for UnknownFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown fault {:?}: run `reachability-conformance mock --list-faults` to see the valid names",
            self.0
        )
    }
}

impl std::error::Error for UnknownFault {}

impl FromStr for Fault {
    type Err = UnknownFault;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        Fault::ALL
            .iter()
            .copied()
            .find(|f| f.name().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| UnknownFault(s.to_owned()))
    }
}

/// The faults and the legal variations switched on in one mock: every handler reads both
/// from here.
#[derive(Clone, Debug, Default)]
pub(crate) struct FaultSet {
    faults: HashSet<Fault>,
    variations: HashSet<Variation>,
}

impl FaultSet {
    /// A set holding `faults` and no variation.
    #[cfg(test)]
    pub(crate) fn new(faults: &[Fault]) -> Self {
        Self::with_variations(faults, &[])
    }

    /// A set holding `faults` and `variations`.
    pub(crate) fn with_variations(faults: &[Fault], variations: &[Variation]) -> Self {
        Self {
            faults: faults.iter().copied().collect(),
            variations: variations.iter().copied().collect(),
        }
    }

    /// Whether `fault` is switched on.
    pub(crate) fn has(&self, fault: Fault) -> bool {
        self.faults.contains(&fault)
    }

    /// Whether `variation` is switched on.
    pub(crate) fn varies(&self, variation: Variation) -> bool {
        self.variations.contains(&variation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Api;

    #[test]
    fn names_are_unique_kebab_case_and_round_trip() {
        let mut seen = HashSet::new();
        for f in Fault::ALL {
            assert!(seen.insert(f.name()), "duplicate name {}", f.name());
            assert!(
                f.name()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{} is not kebab-case",
                f.name()
            );
            assert_eq!(f.name().parse::<Fault>(), Ok(*f));
            assert!(!f.description().is_empty() && !f.description().contains('\n'));
        }
        assert!(Fault::ALL.len() >= 30);
    }

    #[test]
    fn every_profile_has_faults_and_scopes_are_honoured() {
        for p in Profile::status_profiles() {
            assert!(Fault::ALL.iter().filter(|f| f.applies_to(p)).count() >= 30);
        }
        assert!(!Fault::ReachableAsString.applies_to(Api::OrangeLabV0.current()));
        assert!(!Fault::OrangeUnmanaged404.applies_to(Api::CamaraV1.current()));
        assert!(Fault::NoCorrelatorEcho.applies_to(Api::OrangeLabV0.current()));
    }

    #[test]
    fn unknown_name_says_how_to_list_faults() {
        let err = "nope".parse::<Fault>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown fault \"nope\": run `reachability-conformance mock --list-faults` to see the valid names"
        );
    }
}
