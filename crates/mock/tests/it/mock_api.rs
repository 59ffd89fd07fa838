//! The clean mock's API behaviour in both profiles, through a plain HTTP client.

use reachability_mock::Api;

use std::time::{Duration, Instant};

use reachability_mock::Profile;
use reachability_mock::{DeviceRegistry, Fault, MockError, MockOptions, MockServer, Variation};
use reachability_test_support::mock_client::*;
use serde_json::{Value, json};

/// camara-v1.0, the release these tests were written for (cross_version tests the others).
fn v1() -> Profile {
    "camara-v1.0".parse().unwrap()
}
/// The Orange lab profile.
fn orange() -> Profile {
    Api::OrangeLabV0.current()
}

// ---------------------------------------------------------------- camara-v1 success

#[tokio::test]
async fn v1_answers_each_device_state() {
    let mock = Mock::start(v1(), &[]).await;
    let cases = [
        (
            lab::data(),
            json!({"reachable": true, "connectivity": ["DATA"]}),
        ),
        (
            lab::sms(),
            json!({"reachable": true, "connectivity": ["SMS"]}),
        ),
        (
            lab::data_and_sms(),
            json!({"reachable": true, "connectivity": ["DATA", "SMS"]}),
        ),
        (lab::not_connected(), json!({"reachable": false})),
        (
            "+33699901064",
            json!({"reachable": true, "connectivity": ["DATA"]}),
        ),
    ];
    for (phone, expected) in cases {
        assert_eq!(
            mock.retrieve_phone(phone).await.assert_success(),
            expected,
            "{phone}"
        );
    }
}

#[tokio::test]
async fn v1_identifies_devices_by_ip_addresses_and_consistent_identifier_sets() {
    let mock = Mock::start(v1(), &[]).await;
    let token = mock.token(None).await;
    let bodies = [
        (
            json!({"ipv4Address": {"publicAddress": "203.0.113.31", "publicPort": 50031}}),
            true,
        ),
        (
            json!({"ipv4Address": {"publicAddress": "203.0.113.34", "privateAddress": "10.0.0.34"}}),
            false,
        ),
        (json!({"ipv6Address": "2001:db8:0:31:aaaa::5"}), true),
        (
            json!({"phoneNumber": lab::data(), "ipv6Address": "2001:db8:0:31::1"}),
            true,
        ),
        (
            json!({"phoneNumber": lab::data(), "networkAccessIdentifier": "x@example.com"}),
            true,
        ),
    ];
    for (device, reachable) in bodies {
        let answer = mock.retrieve(&token, json!({ "device": device })).await;
        assert_eq!(answer.assert_success()["reachable"], reachable, "{device}");
    }
}

#[tokio::test]
async fn v1_device_bound_token_identifies_the_device() {
    let mock = Mock::start(v1(), &[]).await;
    let token = mock.ciba_token(lab::sms()).await;
    let answer = mock.retrieve(&token, json!({})).await;
    assert_eq!(
        answer.assert_success(),
        json!({"reachable": true, "connectivity": ["SMS"]})
    );
    let token = mock.ciba_token(lab::not_applicable()).await;
    mock.retrieve(&token, json!({}))
        .await
        .assert_error(422, "SERVICE_NOT_APPLICABLE");
}

// ---------------------------------------------------------------- camara-v1 errors

/// Bodies breaking `RequestReachabilityStatus`, in both profiles (the schema is shared).
fn schema_breaking_bodies() -> Vec<Vec<u8>> {
    let json_bodies = [
        json!({"device": {}}),
        json!({"device": null}),
        json!({"device": "+33699901031"}),
        json!({"device": {"networkIdentifier": 123}}),
        json!({"device": {"phoneNumber": "33699901031"}}),
        json!({"device": {"phoneNumber": "+3369"}}),
        json!({"device": {"phoneNumber": "+3369990103112345678"}}),
        json!({"device": {"phoneNumber": "+033699901031"}}),
        json!({"device": {"phoneNumber": "+33 699901031"}}),
        json!({"device": {"phoneNumber": 33699901031_u64}}),
        json!({"device": {"networkAccessIdentifier": 7}}),
        json!({"device": {"ipv4Address": "203.0.113.31"}}),
        json!({"device": {"ipv4Address": {"publicAddress": "203.0.113.31"}}}),
        json!({"device": {"ipv4Address": {"publicPort": 50031, "privateAddress": "10.0.0.1"}}}),
        json!({"device": {"ipv4Address": {"publicAddress": "203.0.113.256", "publicPort": 1}}}),
        json!({"device": {"ipv4Address": {"publicAddress": "203.0.113.31", "publicPort": -1}}}),
        json!({"device": {"ipv4Address": {"publicAddress": "203.0.113.31", "publicPort": 1.5}}}),
        json!({"device": {"ipv4Address": {"publicAddress": "203.0.113.31", "publicPort": 1, "mask": 24}}}),
        json!({"device": {"ipv6Address": "2001:db8::g"}}),
        json!({"device": {"ipv6Address": "203.0.113.31"}}),
        json!({"device": {"ipv6Address": ["2001:db8::1"]}}),
        json!([]),
        json!("device"),
        json!(null),
    ];
    let mut bodies: Vec<Vec<u8>> = json_bodies
        .iter()
        .map(|b| b.to_string().into_bytes())
        .collect();
    bodies.extend([
        b"".to_vec(),
        b"{".to_vec(),
        b"{\"device\": {\"phoneNumber\": \"+3\xff\"}}".to_vec(),
        b"\xfe\xff".to_vec(),
    ]);
    bodies
}

#[tokio::test]
async fn both_profiles_answer_400_to_schema_breaking_bodies() {
    for profile in Profile::status_profiles() {
        let mock = Mock::start(profile, &[]).await;
        let token = mock.token(None).await;
        for body in schema_breaking_bodies() {
            let answer = send(mock.api().bearer_auth(&token).body(body.clone())).await;
            assert_eq!(
                answer.status,
                400,
                "{profile} {}",
                String::from_utf8_lossy(&body)
            );
            answer.assert_error(400, "INVALID_ARGUMENT");
        }
    }
}

#[tokio::test]
async fn v1_device_identification_errors() {
    let mock = Mock::start(v1(), &[]).await;
    let token = mock.token(None).await;
    let cases = [
        (
            json!({"device": {"phoneNumber": lab::unknown()}}),
            404,
            "IDENTIFIER_NOT_FOUND",
        ),
        (
            json!({"device": {"ipv4Address": {"publicAddress": "198.51.100.1", "publicPort": 1}}}),
            404,
            "IDENTIFIER_NOT_FOUND",
        ),
        (
            json!({"device": {"phoneNumber": lab::data(), "ipv6Address": "2001:db8:ffff::1"}}),
            404,
            "IDENTIFIER_NOT_FOUND",
        ),
        (
            json!({"device": {"networkAccessIdentifier": "x@example.com"}}),
            422,
            "UNSUPPORTED_IDENTIFIER",
        ),
        (
            json!({"device": {"phoneNumber": lab::data(), "ipv6Address": lab::sms_ipv6()}}),
            422,
            "IDENTIFIER_MISMATCH",
        ),
        (
            json!({"device": {"phoneNumber": lab::not_applicable()}}),
            422,
            "SERVICE_NOT_APPLICABLE",
        ),
        (json!({}), 422, "MISSING_IDENTIFIER"),
        (json!({"other": true}), 422, "MISSING_IDENTIFIER"),
    ];
    for (body, status, code) in cases {
        mock.retrieve(&token, body).await.assert_error(status, code);
    }
    let bound = mock.ciba_token(lab::data()).await;
    mock.retrieve(&bound, device_body(lab::data()))
        .await
        .assert_error(422, "UNNECESSARY_IDENTIFIER");
    mock.retrieve(&bound, device_body(lab::sms()))
        .await
        .assert_error(422, "UNNECESSARY_IDENTIFIER");
}

#[tokio::test]
async fn both_profiles_refuse_unusable_tokens_with_401() {
    for profile in Profile::status_profiles() {
        let mock = Mock::start(profile, &[]).await;
        let revoked = mock.token(None).await;
        mock.revoke(&revoked).await;
        let expired = mock.env("MOCK_EXPIRED_TOKEN");
        let authorizations = [
            None,
            Some("Bearer".to_owned()),
            Some("Bearer ".to_owned()),
            Some("Token abcdef".to_owned()),
            Some("Bearer two words".to_owned()),
            Some(mock.client_basic()),
            Some("Bearer 0123456789abcdef".to_owned()),
            Some(format!("Bearer {expired}")),
            Some(format!("Bearer {revoked}")),
        ];
        for authorization in authorizations {
            let mut request = mock.api().body(device_body(lab::data()).to_string());
            if let Some(value) = &authorization {
                request = request.header("authorization", value);
            }
            let answer = send(request).await;
            answer.assert_error(401, "UNAUTHENTICATED");
            assert!(
                answer
                    .header("www-authenticate")
                    .is_some_and(|c| c.starts_with("Bearer"))
            );
            let prefix = if profile == orange() {
                "Authorization failed: "
            } else {
                ""
            };
            assert!(
                answer.json()["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with(prefix)),
                "{}",
                answer.text
            );
        }
    }
}

#[tokio::test]
async fn both_profiles_refuse_tokens_without_the_api_scope_with_403() {
    for profile in Profile::status_profiles() {
        let mock = Mock::start(profile, &[]).await;
        let openid = mock.token(Some("openid")).await;
        mock.retrieve(&openid, device_body(lab::data()))
            .await
            .assert_error(403, "PERMISSION_DENIED");
        let partner = &mock.server.clients()[1];
        let form = [("grant_type", "client_credentials")];
        let request = mock.http.post(mock.url("/oauth/token")).header(
            "authorization",
            partner.basic_authorization().expect("a secret client"),
        );
        let token = send(request.form(&form)).await.json()["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        let answer = mock.retrieve(&token, device_body(lab::data())).await;
        answer.assert_error(403, "PERMISSION_DENIED");
        let prefix = if profile == orange() {
            "Operation not allowed: "
        } else {
            ""
        };
        assert!(
            answer.json()["message"]
                .as_str()
                .is_some_and(|m| m.starts_with(prefix))
        );
    }
}

#[tokio::test]
async fn quota_per_token_gives_429_then_a_new_token_works() {
    for profile in Profile::status_profiles() {
        let mock = Mock::with(MockOptions {
            profile,
            quota_per_token: Some(2),
            ..MockOptions::default()
        })
        .await;
        let token = mock.token(None).await;
        for _ in 0..2 {
            assert_eq!(
                mock.retrieve(&token, device_body(lab::data())).await.status,
                200
            );
        }
        mock.retrieve(&token, device_body(lab::data()))
            .await
            .assert_error(429, "QUOTA_EXCEEDED");
        assert_eq!(mock.retrieve_phone(lab::data()).await.status, 200);
    }
}

#[tokio::test]
async fn a_rate_limit_answers_429_with_retry_after_beyond_it() {
    let mock = Mock::with(MockOptions {
        rate_limit_per_second: Some(1),
        ..MockOptions::default()
    })
    .await;
    // The token request takes the second's one request; the API call right after is over
    // the rate (the bucket refills one request a second).
    let token = mock.token(None).await;
    let answer = mock.retrieve(&token, device_body(lab::data())).await;
    answer.assert_error(429, "TOO_MANY_REQUESTS");
    assert_eq!(answer.header("retry-after"), Some("1"));
}

#[tokio::test]
async fn network_error_header_gives_503() {
    for profile in Profile::status_profiles() {
        let mock = Mock::start(profile, &[]).await;
        let token = mock.token(None).await;
        let request = mock
            .api()
            .bearer_auth(&token)
            .header("x-mock-simulate", "network-error");
        let answer = send(request.body(device_body(lab::sms()).to_string())).await;
        answer.assert_error(503, "UNAVAILABLE");
    }
}

// ---------------------------------------------------------------- orange-lab-v0

#[tokio::test]
async fn orange_token_endpoint_speaks_like_orange() {
    let mock = Mock::start(orange(), &[]).await;
    let request = mock
        .http
        .post(mock.url("/oauth/v3/token"))
        .header("authorization", mock.env("MOCK_AUTHORIZATION"))
        .form(&[("grant_type", "client_credentials")]);
    let answer = send(request).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let body = answer.json();
    assert_eq!(
        (body["token_type"].clone(), body["expires_in"].clone()),
        (json!("Bearer"), json!("3600"))
    );
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(
        mock.retrieve(token, device_body("+33699901064"))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn orange_answers_each_device_state() {
    let mock = Mock::start(orange(), &[]).await;
    let cases = [
        (lab::data(), "CONNECTED_DATA"),
        (lab::sms(), "CONNECTED_SMS"),
        (lab::data_and_sms(), "CONNECTED_DATA"),
        (lab::not_connected(), "NOT_CONNECTED"),
        ("+33699901064", "CONNECTED_DATA"),
    ];
    for (phone, status) in cases {
        let body = mock.retrieve_phone(phone).await.assert_success();
        assert_eq!(body, json!({ "reachabilityStatus": status }), "{phone}");
    }
}

#[tokio::test]
async fn orange_errors_follow_the_lab_documentation_then_v0_6() {
    let mock = Mock::start(orange(), &[]).await;
    let token = mock.token(None).await;
    let unmanaged = mock.retrieve(&token, device_body(lab::unknown())).await;
    assert_eq!(unmanaged.status, 500);
    assert_eq!(
        unmanaged.json(),
        json!({"status": 500, "code": "INTERNAL_SERVER_ERROR", "message": "Internal Server Error, status code 500"})
    );
    assert_eq!(unmanaged.header("content-type"), Some("application/json"));
    let cases = [
        (json!({}), 422, "UNIDENTIFIABLE_DEVICE"),
        (
            json!({"device": {"ipv6Address": lab::sms_ipv6()}}),
            422,
            "UNSUPPORTED_DEVICE_IDENTIFIERS",
        ),
        (
            json!({"device": {"networkAccessIdentifier": "x@example.com"}}),
            422,
            "UNSUPPORTED_DEVICE_IDENTIFIERS",
        ),
    ];
    for (body, status, code) in cases {
        mock.retrieve(&token, body).await.assert_error(status, code);
    }
    // Every lab number is operational in the Orange lab, the not-applicable one included.
    let lab = mock
        .retrieve(
            &token,
            json!({"device": {"phoneNumber": lab::not_applicable()}}),
        )
        .await;
    assert_eq!(lab.status, 200, "{}", lab.text);
    assert_eq!(lab.json()["reachabilityStatus"], "NOT_CONNECTED");
    let only_phone_counts =
        json!({"device": {"phoneNumber": lab::sms(), "ipv6Address": "2001:db8:0:31::1"}});
    let answer = mock.retrieve(&token, only_phone_counts).await;
    assert_eq!(
        answer.assert_success(),
        json!({"reachabilityStatus": "CONNECTED_SMS"})
    );
}

#[tokio::test]
async fn orange_device_bound_token_must_match_the_body_device() {
    let mock = Mock::start(orange(), &[]).await;
    let token = mock.ciba_token(lab::sms()).await;
    let answers = [
        mock.retrieve(&token, json!({})).await,
        mock.retrieve(&token, device_body(lab::sms())).await,
    ];
    for answer in answers {
        assert_eq!(
            answer.assert_success(),
            json!({"reachabilityStatus": "CONNECTED_SMS"})
        );
    }
    mock.retrieve(&token, device_body(lab::data()))
        .await
        .assert_error(403, "INVALID_TOKEN_CONTEXT");
}

// ---------------------------------------------------------------- HTTP robustness, both profiles

#[tokio::test]
async fn media_type_size_path_and_method_errors_are_json() {
    for profile in Profile::status_profiles() {
        let mock = Mock::start(profile, &[]).await;
        let token = mock.token(None).await;
        let body = device_body(lab::data()).to_string();
        let untyped = || {
            let request = mock
                .http
                .post(mock.url(profile.operation_path()))
                .header("x-correlator", CORRELATOR);
            request.bearer_auth(&token).body(body.clone())
        };
        for content_type in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "application/xml",
        ] {
            let request = untyped().header("content-type", content_type);
            send(request)
                .await
                .assert_error(415, "UNSUPPORTED_MEDIA_TYPE");
        }
        send(untyped())
            .await
            .assert_error(415, "UNSUPPORTED_MEDIA_TYPE");
        let charset = untyped().header("content-type", "application/json; charset=utf-8");
        assert_eq!(send(charset).await.status, 200);
        let huge =
            json!({"device": {"phoneNumber": lab::data()}, "padding": "x".repeat(17 * 1024)});
        mock.retrieve(&token, huge)
            .await
            .assert_error(400, "INVALID_ARGUMENT");
        let other = Profile::status_profiles()
            .find(|p| p.operation_path() != profile.operation_path())
            .unwrap();
        for path in [
            "/",
            "/retrieve",
            other.operation_path(),
            "/device-reachability-status/v2/retrieve",
        ] {
            let request = mock
                .http
                .post(mock.url(path))
                .header("x-correlator", CORRELATOR)
                .bearer_auth(&token);
            send(request.body(body.clone()))
                .await
                .assert_error(404, "NOT_FOUND");
        }
        for method in [
            reqwest::Method::GET,
            reqwest::Method::PUT,
            reqwest::Method::DELETE,
            reqwest::Method::PATCH,
        ] {
            let request = mock
                .http
                .request(method, mock.url(profile.operation_path()))
                .header("x-correlator", CORRELATOR);
            let answer = send(request).await;
            answer.assert_error(405, "METHOD_NOT_ALLOWED");
            assert_eq!(answer.header("allow"), Some("POST"));
        }
    }
}

#[tokio::test]
async fn correlator_is_checked_and_echoed_on_every_answer() {
    for profile in Profile::status_profiles() {
        let mock = Mock::start(profile, &[]).await;
        let token = mock.token(None).await;
        let body = device_body(lab::data()).to_string();
        let post = |correlator: &str| {
            mock.http
                .post(mock.url(profile.operation_path()))
                .header("content-type", "application/json")
                .header("x-correlator", correlator)
                .bearer_auth(&token)
                .body(body.clone())
        };
        for valid in ["", "abc", "A-1", &"f".repeat(55)] {
            let answer = send(post(valid)).await;
            assert_eq!(
                (answer.status, answer.header("x-correlator")),
                (200, Some(valid))
            );
        }
        // Each version's OAS pattern decides: v1.0.0 refuses them all, v1.1.0 only the
        // space; orange-lab-v0 follows v0.6.0, whose x-correlator is a plain string.
        for unusual in ["with space", "under_score", "dot.", &"f".repeat(56), "{}"] {
            let answer = send(post(unusual)).await;
            if !profile.correlator_accepts(unusual) {
                assert_eq!(answer.status, 400, "{unusual}");
                assert_eq!(answer.json()["code"], "INVALID_ARGUMENT");
                assert_eq!(answer.header("x-correlator"), None);
            } else {
                assert_eq!(
                    (answer.status, answer.header("x-correlator")),
                    (200, Some(unusual))
                );
            }
        }
        let without = mock
            .http
            .post(mock.url(profile.operation_path()))
            .header("content-type", "application/json");
        let answer = send(without.bearer_auth(&token).body(body.clone())).await;
        assert_eq!((answer.status, answer.header("x-correlator")), (200, None));
        // Echoed on errors of every kind, including the authorisation server's.
        let errors = [
            send(mock.api().body(body.clone())).await,
            send(
                mock.http
                    .get(mock.url("/nowhere"))
                    .header("x-correlator", CORRELATOR),
            )
            .await,
            send(
                mock.http
                    .post(mock.url("/oauth/token"))
                    .header("x-correlator", CORRELATOR)
                    .form(&[("a", "b")]),
            )
            .await,
        ];
        for answer in errors {
            assert_eq!(
                answer.header("x-correlator"),
                Some(CORRELATOR),
                "{}",
                answer.text
            );
        }
    }
}

#[tokio::test]
async fn latency_delays_api_answers() {
    let latency = Duration::from_millis(150);
    let mock = Mock::with(MockOptions {
        latency,
        ..MockOptions::default()
    })
    .await;
    let token = mock.token(None).await;
    let started = Instant::now();
    assert_eq!(
        mock.retrieve(&token, device_body(lab::data())).await.status,
        200
    );
    // A lower bound only: sleeping never ends early, so this cannot flake.
    assert!(started.elapsed() >= latency);
}

// ---------------------------------------------------------------- lifecycle and configuration

#[tokio::test]
async fn target_file_and_secrets_describe_the_running_mock() {
    for profile in Profile::status_profiles() {
        let mock = Mock::start(profile, &[]).await;
        let target: toml::Table =
            toml::from_str(&mock.server.target_toml()).expect("a TOML target file");
        assert_eq!(target["profile"].as_str(), Some(profile.name()));
        assert_eq!(
            target["api_root"].as_str(),
            Some(mock.server.api_root().as_str())
        );
        let auth = target["auth"].as_table().unwrap();
        let named: Vec<&str> = auth
            .iter()
            .filter(|(k, _)| k.ends_with("_env"))
            .filter_map(|(_, v)| v.as_str())
            .collect();
        let mut given: Vec<String> = mock
            .server
            .secret_env()
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        given.sort();
        let mut named: Vec<String> = named.into_iter().map(str::to_owned).collect();
        named.sort();
        assert_eq!(named, given);
        let url = auth["token_url"].as_str().unwrap();
        let mut request = mock
            .http
            .post(url)
            .form(&[("grant_type", "client_credentials")]);
        request = match profile.api() {
            Api::CamaraV1 | Api::CamaraSubscriptionsV0 => request.basic_auth(
                auth["client_id"].as_str().unwrap(),
                Some(mock.env("MOCK_CLIENT_SECRET")),
            ),
            Api::OrangeLabV0 => request.header("authorization", mock.env("MOCK_AUTHORIZATION")),
        };
        let token = send(request).await.json()["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        let devices = target["devices"].as_table().unwrap();
        let data_device: Value = serde_json::to_value(&devices["data"]).unwrap();
        let answer = mock
            .retrieve(&token, json!({ "device": data_device }))
            .await;
        assert_eq!(answer.status, 200);
    }
}

#[tokio::test]
async fn mocks_are_independent_and_shut_down_cleanly() {
    let first = Mock::start(v1(), &[]).await;
    let second = Mock::start(v1(), &[]).await;
    assert_ne!(
        first.env("MOCK_CLIENT_SECRET"),
        second.env("MOCK_CLIENT_SECRET")
    );
    let token = first.token(None).await;
    second
        .retrieve(&token, device_body(lab::data()))
        .await
        .assert_error(401, "UNAUTHENTICATED");
    let url = first.url("/oauth/token");
    let http = first.http.clone();
    assert_eq!(
        first
            .retrieve(&token, device_body(lab::data()))
            .await
            .status,
        200
    );
    first.server.shutdown().await;
    assert!(
        http.post(url).send().await.is_err(),
        "the stopped mock still answers"
    );
    assert_eq!(second.retrieve_phone(lab::data()).await.status, 200);
}

#[tokio::test]
async fn start_errors_say_what_to_do() {
    let mock = Mock::start(v1(), &[]).await;
    let port = mock.server.addr().port();
    let taken = MockServer::start(MockOptions {
        port,
        ..MockOptions::default()
    })
    .await
    .unwrap_err();
    assert!(matches!(taken, MockError::Bind { .. }));
    assert_eq!(
        taken.to_string(),
        format!(
            "cannot start the mock: port {port} of 127.0.0.1 is already in use; choose another --port, or 0 for a free one"
        )
    );
    let options = MockOptions {
        profile: orange(),
        faults: vec![Fault::ReachableAsString],
        ..MockOptions::default()
    };
    let wrong_profile = MockServer::start(options).await.unwrap_err();
    assert_eq!(
        wrong_profile.to_string(),
        "fault reachable-as-string does not apply to profile orange-lab-v0: run `reachability-conformance mock --list-faults` to see the faults of each profile"
    );
    let options = MockOptions {
        profile: orange(),
        variations: vec![Variation::CibaNoSlowDown],
        ..MockOptions::default()
    };
    let wrong_profile = MockServer::start(options).await.unwrap_err();
    assert_eq!(
        wrong_profile.to_string(),
        "variation ciba-no-slow-down does not apply to profile orange-lab-v0: run `reachability-conformance mock --list-variations` to see the variations of each profile"
    );
}

#[tokio::test]
async fn custom_devices_file_replaces_the_lab() {
    let path = std::env::temp_dir().join(format!("mock-devices-{}.toml", std::process::id()));
    let text = "[[device]]\nphoneNumber = \"+4915112345678\"\nstate = \"sms\"\n\
                ipv4Address = { publicAddress = \"192.0.2.7\", privateAddress = \"10.1.1.1\" }\n";
    std::fs::write(&path, text).unwrap();
    let devices = DeviceRegistry::from_toml_file(&path);
    std::fs::remove_file(&path).unwrap();
    let mock = Mock::with(MockOptions {
        devices: devices.unwrap(),
        ..MockOptions::default()
    })
    .await;
    // The default mock is the current camara-v1 release: it names the device it used.
    let sms = json!({
        "reachable": true,
        "connectivity": ["SMS"],
        "device": {"phoneNumber": "+4915112345678"}
    });
    assert_eq!(
        mock.retrieve_phone("+4915112345678").await.assert_success(),
        sms
    );
    mock.retrieve_phone(lab::data())
        .await
        .assert_error(404, "IDENTIFIER_NOT_FOUND");
    let target: toml::Table = toml::from_str(&mock.server.target_toml()).unwrap();
    assert_eq!(
        target["devices"]["sms"]["phoneNumber"].as_str(),
        Some("+4915112345678")
    );
    assert!(target["devices"].get("data").is_none());
    let missing = DeviceRegistry::from_toml_file(&path)
        .unwrap_err()
        .to_string();
    assert!(
        missing.starts_with(&format!("cannot read devices file {}: ", path.display())),
        "{missing}"
    );
    assert!(
        missing.ends_with("check the path and its permissions"),
        "{missing}"
    );
}
