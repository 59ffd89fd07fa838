//! Every fault and every legal variation changes the behaviour it names: for each switch
//! and each profile it applies to, one probe (a request to the API, or to the
//! authorisation server) gets a different answer from the switched mock than from the
//! clean one, and the switched answer shows the named behaviour.

use reachability_contract::jose::PrivateKey;
use reachability_mock::Profile;
use reachability_mock::{Fault, MockCiba, MockOptions, Variation};
use reachability_test_support::mock_client::*;
use serde_json::{Value, json};

/// How the probe authenticates.
#[derive(Clone, Copy)]
enum Auth {
    /// A client-credentials token with the API scope.
    Api,
    /// A client-credentials token asked with this scope.
    Scoped(&'static str),
    /// The mock's expired token.
    Expired,
    /// A token revoked before the probe.
    Revoked,
    /// This literal `Authorization` value.
    Header(&'static str),
    /// No `Authorization` header.
    Missing,
    /// A CIBA token bound to this phone number.
    Ciba(&'static str),
}

/// One request.
struct Probe {
    auth: Auth,
    content_type: &'static str,
    body: String,
    /// The `x-correlator` sent; `None` sends no such header.
    correlator: Option<&'static str>,
    network_error: bool,
    /// What stands in front of the operation path.
    base: &'static str,
}

impl Probe {
    fn json(body: Value) -> Probe {
        Probe {
            auth: Auth::Api,
            content_type: "application/json",
            body: body.to_string(),
            correlator: Some(CORRELATOR),
            network_error: false,
            base: "",
        }
    }

    fn phone(phone: &str) -> Probe {
        Probe::json(device_body(phone))
    }

    fn auth(self, auth: Auth) -> Probe {
        Probe { auth, ..self }
    }
}

/// A deliberate defect in a client assertion of `jwt-client`.
#[derive(Clone, Copy)]
enum Flaw {
    /// Signed by a key the mock does not know.
    UnknownKey,
    /// `exp` in the past.
    Expired,
    /// Valid for 400 s.
    LongLived,
    /// `aud` names another server.
    WrongAudience,
    /// `iss` is not the client id (`sub` still is).
    WrongIssuer,
}

/// Requests to the authorisation server; the answer is that of the last one.
#[derive(Clone, Copy)]
enum TokenProbe {
    /// A client-credentials request authenticated by a flawed assertion.
    Flawed(Flaw),
    /// A client-credentials request with a good assertion, then again with the same one.
    Replayed,
    /// A CIBA request for the DATA device, polled twice without waiting.
    CibaPolledTwice,
    /// A client-credentials request with the client's secret.
    ClientCredentials,
    /// A CIBA request for the DATA device (the `bc-authorize` answer).
    CibaStarted,
}

/// What a probe sends.
enum Request {
    /// A request to the API operation.
    Api(Probe),
    /// Requests to the authorisation server.
    Token(TokenProbe),
}

impl Request {
    /// How the mocks answer CIBA for this probe: approved by the first poll, so an API
    /// probe's CIBA token needs no waiting; the slow_down probe needs a request still
    /// pending when it polls again.
    fn ciba(&self) -> MockCiba {
        let pending_polls = match self {
            Request::Token(TokenProbe::CibaPolledTwice) => 1,
            _ => 0,
        };
        MockCiba {
            pending_polls,
            ..MockCiba::default()
        }
    }
}

/// What a faulty answer must show.
type Check = fn(&Answer) -> bool;

fn code(a: &Answer) -> Value {
    a.json()["code"].clone()
}

/// The probe exposing `fault`, and the deviation the faulty answer must show.
fn probe(fault: Fault) -> (Request, Check) {
    use Fault::*;
    let invalid_phone = || Probe::phone("+33-bad");
    let token_issued: Check = |a| a.status == 200 && a.json()["access_token"].is_string();
    let flawed = |flaw| (Request::Token(TokenProbe::Flawed(flaw)), token_issued);
    let (api, check): (Probe, Check) = match fault {
        PhoneWithoutPlus => (Probe::phone("33699901031"), |a| a.status == 200),
        PhoneLengthUnchecked => (Probe::phone("+3369990103112345678"), |a| a.status != 400),
        PhoneLeadingZero => (Probe::phone("+033699901031"), |a| a.status != 400),
        PhoneNumberAsNumber => (
            Probe::json(json!({"device": {"phoneNumber": 33699901031_u64}})),
            |a| a.status == 200,
        ),
        EmptyDeviceAccepted => (Probe::json(json!({"device": {}})), |a| a.status == 422),
        NetworkAccessIdentifierTypeUnchecked => (
            Probe::json(json!({"device": {"networkAccessIdentifier": 123}})),
            |a| a.status == 422,
        ),
        Ipv4Unchecked => (
            Probe::json(json!({"device": {"ipv4Address": {"publicAddress": "203.0.113.31"}}})),
            |a| a.status != 400,
        ),
        Ipv6Unchecked => (
            Probe::json(json!({"device": {"ipv6Address": "2001:db8:0:31::1/64"}})),
            |a| a.status != 400,
        ),
        NonObjectBodyAccepted => (Probe::json(json!([])), |a| a.status == 422),
        EmptyBodyAccepted => (
            Probe {
                body: String::new(),
                ..Probe::phone(lab::data())
            },
            |a| a.status == 422,
        ),
        InvalidJson500 => (
            Probe {
                body: "{".into(),
                ..Probe::phone(lab::data())
            },
            |a| {
                a.status == 500
                    && a.header("content-type")
                        .is_some_and(|t| t.starts_with("text/plain"))
            },
        ),
        UnsupportedMediaTypeAccepted => (
            Probe {
                content_type: "text/plain",
                ..Probe::phone(lab::data())
            },
            |a| a.status == 200,
        ),
        ReachableAsString => (Probe::phone(lab::data()), |a| {
            a.json()["reachable"] == "true"
        }),
        ReachableMissing => (Probe::phone(lab::data()), |a| {
            a.status == 200 && a.json().get("reachable").is_none()
        }),
        ConnectivityWhenUnreachable => (Probe::phone(lab::not_connected()), |a| {
            a.json()["connectivity"] == json!([])
        }),
        LowercaseConnectivity => (Probe::phone(lab::data()), |a| {
            a.json()["connectivity"] == json!(["data"])
        }),
        NonRfc3339Time => (Probe::phone(lab::data()), |a| {
            a.json()["lastStatusTime"]
                .as_str()
                .is_some_and(|t| chrono::DateTime::parse_from_rfc3339(t).is_err())
        }),
        OrangeLowercaseStatus => (Probe::phone(lab::data()), |a| {
            a.json()["reachabilityStatus"] == "connected_data"
        }),
        OrangeV1Body => (Probe::phone(lab::data()), |a| {
            a.json()["reachable"] == true && a.json().get("reachabilityStatus").is_none()
        }),
        SmsReportedAsData => (Probe::phone(lab::sms()), |a| {
            a.text.contains("DATA") && !a.text.contains("SMS")
        }),
        DataReportedUnreachable => (Probe::phone(lab::data()), |a| {
            a.json()["reachable"] == false || a.json()["reachabilityStatus"] == "NOT_CONNECTED"
        }),
        UnreachableReportedReachable => (Probe::phone(lab::not_connected()), |a| {
            a.json()["reachable"] == true || a.json()["reachabilityStatus"] == "CONNECTED_DATA"
        }),
        DataAndSmsMissingSms => (Probe::phone(lab::data_and_sms()), |a| {
            a.json()["connectivity"] == json!(["DATA"])
        }),
        OrangeDataAndSmsAsSms => (Probe::phone(lab::data_and_sms()), |a| {
            a.json()["reachabilityStatus"] == "CONNECTED_SMS"
        }),
        UnknownDevice200 => (Probe::phone(lab::unknown()), |a| a.status == 200),
        NotFoundWrongCode => (Probe::phone(lab::unknown()), |a| {
            a.status == 404 && code(a) == "NOT_FOUND"
        }),
        IdentifierMismatchIgnored => (
            Probe::json(
                json!({"device": {"phoneNumber": lab::data(), "ipv6Address": lab::sms_ipv6()}}),
            ),
            |a| a.status == 200,
        ),
        IdentifierMismatch422 => (
            Probe::json(
                json!({"device": {"phoneNumber": lab::data(), "ipv6Address": lab::sms_ipv6()}}),
            ),
            |a| a.status == 422 && code(a) == "IDENTIFIER_MISMATCH",
        ),
        DeviceNotNamed => (Probe::phone(lab::data()), |a| {
            a.status == 200 && a.json().get("device").is_none()
        }),
        LastStatusTimeMissing => (Probe::phone(lab::data()), |a| {
            a.status == 200 && a.json().get("lastStatusTime").is_none()
        }),
        UnsupportedIdentifier400 => (
            Probe::json(json!({"device": {"networkAccessIdentifier": "x@example.com"}})),
            |a| a.status == 400,
        ),
        UnnecessaryIdentifierAccepted => (
            Probe::phone(lab::data()).auth(Auth::Ciba(lab::data())),
            |a| a.status == 200,
        ),
        MissingIdentifier400 => (Probe::json(json!({})), |a| a.status == 400),
        NotApplicable404 => (Probe::phone(lab::not_applicable()), |a| a.status == 404),
        NotApplicableServed => (Probe::phone(lab::not_applicable()), |a| a.status == 200),
        CibaDeviceIgnored => (Probe::json(json!({})).auth(Auth::Ciba(lab::sms())), |a| {
            a.status == 422 && code(a) == "MISSING_IDENTIFIER"
        }),
        OrangeUnmanaged404 => (Probe::phone(lab::unknown()), |a| a.status == 404),
        OrangeLabNumberRefused => (Probe::phone(lab::not_applicable()), |a| {
            a.status == 422 && code(a) == "DEVICE_NOT_APPLICABLE"
        }),
        ErrorWithoutMessage => (invalid_phone(), |a| {
            a.status == 400 && a.json().get("message").is_none()
        }),
        ErrorStatusAsString => (invalid_phone(), |a| a.json()["status"] == "400"),
        ErrorStatusMismatch => (Probe::phone(lab::data()).auth(Auth::Missing), |a| {
            a.status == 401 && a.json()["status"] == 400
        }),
        InvalidArgumentWrongCode => (invalid_phone(), |a| {
            a.status == 400 && code(a) == "BAD_REQUEST"
        }),
        NoCorrelatorEcho => (Probe::phone(lab::data()), |a| {
            a.status == 200 && a.header("x-correlator").is_none()
        }),
        WrongCorrelatorEcho => (Probe::phone(lab::data()), |a| {
            a.header("x-correlator").is_some_and(|c| c != CORRELATOR)
        }),
        ErrorsWithoutCorrelator => (invalid_phone(), |a| {
            a.status == 400 && a.header("x-correlator").is_none()
        }),
        InvalidCorrelatorAccepted => (
            Probe {
                // Breaks the pattern of every camara-v1 version (a space).
                correlator: Some("not valid"),
                ..Probe::phone(lab::data())
            },
            |a| a.status == 200,
        ),
        CorrelatorPatternImposed => (
            Probe {
                correlator: Some("not_valid"),
                ..Probe::phone(lab::data())
            },
            |a| a.status == 400 && code(a) == "INVALID_ARGUMENT",
        ),
        CorrelatorRequired => (
            Probe {
                correlator: None,
                ..Probe::phone(lab::data())
            },
            |a| a.status == 400 && code(a) == "INVALID_ARGUMENT",
        ),
        TextPlainSuccess => (Probe::phone(lab::data()), |a| {
            a.header("content-type") == Some("text/plain")
        }),
        NoAuthRequired => (Probe::phone(lab::data()).auth(Auth::Missing), |a| {
            a.status == 200
        }),
        MalformedTokenAccepted => (
            Probe::phone(lab::data()).auth(Auth::Header("Bearer not a token")),
            |a| a.status == 200,
        ),
        ExpiredTokenAccepted => (Probe::phone(lab::data()).auth(Auth::Expired), |a| {
            a.status == 200
        }),
        RevokedTokenAccepted => (Probe::phone(lab::data()).auth(Auth::Revoked), |a| {
            a.status == 200
        }),
        NoScopeCheck => (
            Probe::phone(lab::data()).auth(Auth::Scoped("openid")),
            |a| a.status == 200,
        ),
        ForbiddenAs401 => (
            Probe::phone(lab::data()).auth(Auth::Scoped("openid")),
            |a| a.status == 401,
        ),
        UnauthenticatedWrongCode => (Probe::phone(lab::data()).auth(Auth::Missing), |a| {
            code(a) == "UNAUTHORIZED"
        }),
        TokenScopeIgnored => (
            Probe::phone(lab::data()).auth(Auth::Scoped("openid")),
            |a| a.status == 200,
        ),
        NetworkError500 => (
            Probe {
                network_error: true,
                ..Probe::phone(lab::data())
            },
            |a| a.status == 500,
        ),
        AssertionSignatureUnchecked => return flawed(Flaw::UnknownKey),
        AssertionExpiryUnchecked => return flawed(Flaw::Expired),
        AssertionLifetimeUnchecked => return flawed(Flaw::LongLived),
        AssertionAudienceUnchecked => return flawed(Flaw::WrongAudience),
        AssertionIssuerUnchecked => return flawed(Flaw::WrongIssuer),
        AssertionReplayAccepted => return (Request::Token(TokenProbe::Replayed), token_issued),
        CibaEarlyPoll500 => {
            return (Request::Token(TokenProbe::CibaPolledTwice), |a| {
                a.status == 500 && a.json()["error"] == "server_error"
            });
        }
        SinkCredentialMissing
        | SinkCredentialWrong
        | BinaryModeEvents
        | WrongEventType
        | SubscriptionIdMissing
        | SinkCredentialEchoed
        | NoSubscriptionEnded
        | EventsAfterDelete
        | InvalidProtocolWrongCode
        | InvalidCredentialWrongCode
        | InvalidTokenWrongCode
        | InvalidSinkWrongCode
        | MultieventAccepted
        | PastExpiryAccepted
        | SubscriptionsNoAuthCheck
        | SubscriptionsScopeUnchecked
        | UnknownSubscription200
        | InitialEventAlways
        | NoReachabilityEvents
        | StaleChangeEvent => {
            unreachable!("{fault} applies to the subscriptions profile: see mock_subscriptions")
        }
    };
    (Request::Api(api), check)
}

/// The probe exposing `variation`, and what the varied answer must show.
fn variation_probe(variation: Variation) -> (Request, Check) {
    use Variation::*;
    let token = |check: Check| (Request::Token(TokenProbe::ClientCredentials), check);
    let (api, check): (Probe, Check) = match variation {
        // Sorted by name by default (`connectivity` or `lastStatusTime` first); reversed,
        // `reachable` or `reachabilityStatus` comes first.
        FieldOrderReversed => (Probe::phone(lab::data()), |a| {
            a.text.starts_with(r#"{"reachab"#)
        }),
        ExtraResponseMembers => (Probe::phone(lab::data()), |a| {
            a.json()["extension"].is_object()
        }),
        ContentTypeCharset => (Probe::phone(lab::data()), |a| {
            a.header("content-type") == Some("application/json; charset=utf-8")
        }),
        ExtraResponseHeaders => (Probe::phone(lab::data()), |a| {
            a.header("cache-control") == Some("no-store") && a.header("x-request-id").is_some()
        }),
        TimeOffset => (Probe::phone(lab::data()), |a| {
            a.json()["lastStatusTime"].as_str().is_some_and(|t| {
                t.ends_with("+02:00") && chrono::DateTime::parse_from_rfc3339(t).is_ok()
            })
        }),
        TimeWholeSeconds => (Probe::phone(lab::data()), |a| {
            a.json()["lastStatusTime"].as_str().is_some_and(|t| {
                !t.contains('.') && chrono::DateTime::parse_from_rfc3339(t).is_ok()
            })
        }),
        OtherErrorMessages => (Probe::phone("+33-bad"), |a| {
            a.status == 400
                && code(a) == "INVALID_ARGUMENT"
                && a.json()["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("Request not served (INVALID_ARGUMENT)."))
        }),
        CorrelatorWhenAbsent => (
            Probe {
                correlator: None,
                ..Probe::phone(lab::data())
            },
            |a| a.status == 200 && a.header("x-correlator").is_some(),
        ),
        BasePath => (
            Probe {
                base: "/gateway",
                ..Probe::phone(lab::data())
            },
            |a| a.status == 200,
        ),
        UnknownDevicePropertyIgnored => (
            Probe::json(json!({"device": {"phoneNumber": lab::data(), "networkIdentifier": 123}})),
            |a| a.status == 200,
        ),
        ChallengeWithDescription => (Probe::phone(lab::data()).auth(Auth::Missing), |a| {
            a.status == 401
                && a.header("www-authenticate")
                    .is_some_and(|c| c.starts_with("Bearer ") && c.contains("error_description="))
        }),
        AuthenticationRequiredCode => (Probe::phone(lab::data()).auth(Auth::Expired), |a| {
            a.status == 401 && code(a) == "AUTHENTICATION_REQUIRED"
        }),
        ConnectivityReversed => (Probe::phone(lab::data_and_sms()), |a| {
            a.json()["connectivity"] == json!(["SMS", "DATA"])
        }),
        LastStatusTimeAbsent => (Probe::phone(lab::data()), |a| {
            a.status == 200 && a.json().get("lastStatusTime").is_none()
        }),
        SubscriptionsAsync
        | NotificationsRetried
        | SubscriptionStartedEvent
        | ChangeEventsDelayed => {
            unreachable!("{variation} applies to the subscriptions profile: see mock_subscriptions")
        }
        OtherAccessTokenFormat => {
            return token(|a| {
                a.json()["access_token"]
                    .as_str()
                    .is_some_and(|t| t.split('.').count() == 3)
            });
        }
        TokenTypeLowercase => return token(|a| a.json()["token_type"] == "bearer"),
        TokenResponseWithoutScope => {
            return token(|a| a.status == 200 && a.json().get("scope").is_none());
        }
        TokenResponseWithoutExpiresIn => {
            return token(|a| a.status == 200 && a.json().get("expires_in").is_none());
        }
        TokenResponseExtraMembers => {
            return token(|a| a.json()["mock_session_state"].is_string());
        }
        AuthReqIdUuid => {
            return (Request::Token(TokenProbe::CibaStarted), |a| {
                a.json()["auth_req_id"]
                    .as_str()
                    .is_some_and(|id| uuid::Uuid::parse_str(id).is_ok())
            });
        }
        CibaNoSlowDown => {
            return (Request::Token(TokenProbe::CibaPolledTwice), |a| {
                a.status == 200 && a.json()["access_token"].is_string()
            });
        }
        CibaPendingLonger => {
            return (Request::Token(TokenProbe::CibaPolledTwice), |a| {
                a.status == 400 && a.json()["error"] == "authorization_pending"
            });
        }
    };
    (Request::Api(api), check)
}

/// A client assertion of `jwt-client` for the mock's token endpoint, with `flaw`.
fn flawed_assertion(mock: &Mock, flaw: Flaw) -> String {
    let key = mock
        .jwt_client()
        .private_key()
        .expect("jwt-client has a key");
    let mut claims = mock.assertion_claims();
    let now = unix_now();
    match flaw {
        Flaw::UnknownKey => {
            let stranger = PrivateKey::generate_p256().expect("a fresh key");
            return sign_assertion(&stranger, &claims);
        }
        Flaw::Expired => {
            claims["iat"] = json!(now - 65);
            claims["exp"] = json!(now - 5);
        }
        Flaw::LongLived => claims["exp"] = json!(now + 400),
        Flaw::WrongAudience => claims["aud"] = json!("https://another-server.invalid/token"),
        Flaw::WrongIssuer => claims["iss"] = json!("jwt-client-impostor"),
    }
    sign_assertion(key, &claims)
}

/// Sends the token probe; the answer of its last request.
async fn run_token(mock: &Mock, probe: TokenProbe) -> Answer {
    match probe {
        TokenProbe::Flawed(flaw) => {
            mock.token_with_assertion(&flawed_assertion(mock, flaw))
                .await
        }
        TokenProbe::Replayed => {
            let key = mock
                .jwt_client()
                .private_key()
                .expect("jwt-client has a key");
            let assertion = sign_assertion(key, &mock.assertion_claims());
            let first = mock.token_with_assertion(&assertion).await;
            assert_eq!(first.status, 200, "a fresh assertion: {}", first.text);
            mock.token_with_assertion(&assertion).await
        }
        TokenProbe::CibaPolledTwice => {
            let id = mock.start_ciba(lab::data()).await;
            mock.poll_ciba(&id)
                .await
                .assert_oauth_error(400, "authorization_pending");
            mock.poll_ciba(&id).await
        }
        TokenProbe::ClientCredentials => {
            send(mock.oauth("/oauth/token", &[("grant_type", "client_credentials")])).await
        }
        TokenProbe::CibaStarted => {
            let hint = format!("tel:{}", lab::data());
            send(mock.oauth(
                "/bc-authorize",
                &[("login_hint", &hint), ("scope", API_SCOPE)],
            ))
            .await
        }
    }
}

/// Sends the request; the answer of its last exchange.
async fn send_request(mock: &Mock, request: &Request) -> Answer {
    match request {
        Request::Api(probe) => run(mock, probe).await,
        Request::Token(probe) => run_token(mock, *probe).await,
    }
}

async fn run(mock: &Mock, probe: &Probe) -> Answer {
    let mut request = mock
        .http
        .post(mock.url(&format!(
            "{}{}",
            probe.base,
            mock.server.profile().operation_path()
        )))
        .header("content-type", probe.content_type)
        .body(probe.body.clone());
    if let Some(correlator) = probe.correlator {
        request = request.header("x-correlator", correlator);
    }
    let authorization = match probe.auth {
        Auth::Api => Some(format!("Bearer {}", mock.token(None).await)),
        Auth::Scoped(scope) => Some(format!("Bearer {}", mock.token(Some(scope)).await)),
        Auth::Expired => Some(format!("Bearer {}", mock.env("MOCK_EXPIRED_TOKEN"))),
        Auth::Revoked => {
            let token = mock.token(None).await;
            mock.revoke(&token).await;
            Some(format!("Bearer {token}"))
        }
        Auth::Header(value) => Some(value.to_owned()),
        Auth::Missing => None,
        Auth::Ciba(phone) => Some(format!("Bearer {}", mock.ciba_token(phone).await)),
    };
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    if probe.network_error {
        request = request.header("x-mock-simulate", "network-error");
    }
    send(request).await
}

/// What is compared between the clean and the switched answer: the status, the header
/// names and the values of the headers that matter, and the body as sent; values that
/// change with every answer (times, tokens, ids) keep only their shape (every letter or
/// digit replaced).
fn signature(answer: &Answer) -> (u16, Vec<String>, Vec<Option<String>>, String) {
    let mut text = answer.text.clone();
    let body = answer.json();
    for member in ["lastStatusTime", "access_token", "auth_req_id"] {
        if let Some(value) = body.get(member).and_then(Value::as_str) {
            text = text.replace(value, &shape(value));
        }
    }
    let mut names: Vec<String> = answer
        .headers
        .keys()
        .map(|n| n.as_str().to_owned())
        .filter(|n| !["date", "content-length"].contains(&n.as_str()))
        .collect();
    names.sort();
    let values = ["content-type", "x-correlator", "www-authenticate"]
        .iter()
        .map(|name| answer.header(name).map(str::to_owned))
        .collect();
    (answer.status, names, values, text)
}

/// `value` with every ASCII letter or digit replaced by `x`.
fn shape(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { 'x' } else { c })
        .collect()
}

/// Sends `request` to a clean mock and to one started with `switched`; a problem when the
/// answers do not differ or the switched one fails `shows`.
async fn compare_with_clean(
    label: String,
    clean: MockOptions,
    switched: MockOptions,
    request: &Request,
    shows: Check,
) -> Option<String> {
    let clean = Mock::with(clean).await;
    let switched = Mock::with(switched).await;
    let expected = send_request(&clean, request).await;
    let got = send_request(&switched, request).await;
    clean.server.shutdown().await;
    switched.server.shutdown().await;
    if signature(&expected) == signature(&got) {
        Some(format!(
            "{label}: same answer as the clean mock: {} {}",
            got.status, got.text
        ))
    } else if !shows(&got) {
        Some(format!(
            "{label}: answer does not show it: {} {}",
            got.status, got.text
        ))
    } else {
        None
    }
}

#[tokio::test]
async fn every_fault_changes_the_behaviour_it_names() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for profile in Profile::status_profiles() {
        for &fault in Fault::ALL.iter().filter(|f| f.applies_to(profile)) {
            let (request, shows_fault) = probe(fault);
            let clean = MockOptions {
                profile,
                ciba: request.ciba(),
                ..MockOptions::default()
            };
            let faulty = MockOptions {
                faults: vec![fault],
                ..clean.clone()
            };
            let label = format!("{profile} {fault}");
            failures.extend(compare_with_clean(label, clean, faulty, &request, shows_fault).await);
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 60, "only {checked} fault/profile pairs checked");
}

#[tokio::test]
async fn every_variation_changes_the_behaviour_it_names() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for profile in Profile::status_profiles() {
        for &variation in Variation::ALL.iter().filter(|v| v.applies_to(profile)) {
            let (request, shows_variation) = variation_probe(variation);
            let clean = MockOptions {
                profile,
                ciba: request.ciba(),
                ..MockOptions::default()
            };
            let varied = MockOptions {
                variations: vec![variation],
                ..clean.clone()
            };
            let label = format!("{profile} {variation}");
            failures
                .extend(compare_with_clean(label, clean, varied, &request, shows_variation).await);
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        checked,
        Variation::ALL
            .iter()
            .map(|v| Profile::status_profiles()
                .filter(|p| v.applies_to(*p))
                .count())
            .sum::<usize>()
    );
}
