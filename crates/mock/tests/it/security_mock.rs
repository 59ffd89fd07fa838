//! The mock's side of CAMARA's security profile: `private_key_jwt` client assertions,
//! CIBA pending / slow_down / denied / expired and its login hints, JWT access tokens
//! with their JWKS, introspection, and the OpenID configuration.

use reachability_mock::Api;

use std::time::Duration;

use reachability_contract::jose::{Algorithm, JwkSet, Jwt, PrivateKey};
use reachability_mock::Profile;
use reachability_mock::{JWT_CLIENT_ID, MockCiba, MockClientAuth, MockOptions};
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

#[tokio::test]
async fn private_key_jwt_assertions_are_checked_claim_by_claim() {
    let mock = Mock::start(v1(), &[]).await;
    let key = mock.jwt_client().private_key().unwrap();
    let good = sign_assertion(key, &mock.assertion_claims());
    let issued = mock.token_with_assertion(&good).await;
    assert_eq!(issued.status, 200, "{}", issued.text);
    let token = issued.json()["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        mock.retrieve(&token, device_body(lab::data())).await.status,
        200
    );
    // Replayed jti.
    let replay = mock.token_with_assertion(&good).await;
    replay.assert_oauth_error(401, "invalid_client");
    assert!(
        replay.text.contains("jti was already used"),
        "{}",
        replay.text
    );

    let stranger = PrivateKey::generate_p256().unwrap();
    let edit = |f: &dyn Fn(&mut Value)| {
        let mut c = mock.assertion_claims();
        f(&mut c);
        sign_assertion(key, &c)
    };
    let now = unix_now();
    let cases = [
        (
            sign_assertion(&stranger, &mock.assertion_claims()),
            "signature does not verify",
        ),
        (
            edit(&|c| {
                c["exp"] = json!(now - 5);
                c["iat"] = json!(now - 65)
            }),
            "expired",
        ),
        (edit(&|c| c["exp"] = json!(now + 400)), "more than 300 s"),
        (
            edit(&|c| c["aud"] = json!("https://elsewhere/token")),
            "aud",
        ),
        (
            edit(&|c| c["iss"] = json!("demo-client")),
            "must both be the client id",
        ),
        (
            edit(&|c| {
                c["iss"] = json!("demo-client");
                c["sub"] = json!("demo-client")
            }),
            "has no registered keys",
        ),
        (
            edit(&|c| {
                c["iss"] = json!("nobody");
                c["sub"] = json!("nobody")
            }),
            "is registered",
        ),
        (edit(&|c| c["iat"] = json!(now + 120)), "not valid yet"),
        (
            edit(&|c| {
                c.as_object_mut().unwrap().remove("jti");
            }),
            "jti is missing",
        ),
        (
            edit(&|c| {
                c.as_object_mut().unwrap().remove("iat");
            }),
            "iat is missing",
        ),
        ("not-a-jwt".to_owned(), "not a JWT"),
    ];
    for (assertion, why) in cases {
        let answer = mock.token_with_assertion(&assertion).await;
        answer.assert_oauth_error(401, "invalid_client");
        assert!(answer.text.contains(why), "{why}: {}", answer.text);
    }
    // The issuer and the aud as an array are fine.
    let issuer_aud = edit(&|c| c["aud"] = json!(["x", mock.server.api_root()]));
    assert_eq!(mock.token_with_assertion(&issuer_aud).await.status, 200);
}

#[tokio::test]
async fn assertion_requests_must_be_well_formed() {
    let mock = Mock::start(v1(), &[]).await;
    let key = mock.jwt_client().private_key().unwrap();
    let good = sign_assertion(key, &mock.assertion_claims());
    let post = |form: &[(&str, &str)]| mock.http.post(mock.url("/oauth/token")).form(form);
    let grant = ("grant_type", "client_credentials");
    let cases: Vec<(reqwest::RequestBuilder, u16, &str)> = vec![
        (
            post(&[grant, ("client_assertion", &good)]),
            400,
            "invalid_request",
        ),
        (
            post(&[
                grant,
                ("client_assertion_type", "saml"),
                ("client_assertion", &good),
            ]),
            400,
            "invalid_request",
        ),
        (
            post(&[grant, ("client_assertion_type", JWT_BEARER)]),
            400,
            "invalid_request",
        ),
        (
            post(&[
                grant,
                ("client_assertion_type", JWT_BEARER),
                ("client_assertion", &good),
                ("client_id", "demo-client"),
            ]),
            401,
            "invalid_client",
        ),
        (
            mock.http
                .post(mock.url("/oauth/token"))
                .header("authorization", mock.client_basic())
                .form(&[
                    grant,
                    ("client_assertion_type", JWT_BEARER),
                    ("client_assertion", &good),
                ]),
            400,
            "invalid_request",
        ),
        // A key-based client cannot use a secret.
        (
            mock.http
                .post(mock.url("/oauth/token"))
                .basic_auth(JWT_CLIENT_ID, Some(""))
                .form(&[grant]),
            401,
            "invalid_client",
        ),
    ];
    for (request, status, error) in cases {
        send(request).await.assert_oauth_error(status, error);
    }
}

#[tokio::test]
async fn ciba_pending_slow_down_denied_and_expired() {
    let start = |ciba: MockCiba| {
        Mock::with(MockOptions {
            ciba,
            ..MockOptions::default()
        })
    };
    let begin = |mock: &Mock| {
        let request = mock.oauth(
            "/bc-authorize",
            &[
                ("login_hint", format!("tel:{}", lab::data()).as_str()),
                ("scope", "openid"),
            ],
        );
        async move {
            let answer = send(request).await;
            assert_eq!(answer.status, 200, "{}", answer.text);
            answer.json()
        }
    };
    let poll = |mock: &Mock, id: &str| {
        send(mock.oauth(
            "/oauth/token",
            &[("grant_type", CIBA_GRANT), ("auth_req_id", id)],
        ))
    };

    let patient = start(MockCiba {
        pending_polls: 1,
        ..MockCiba::default()
    })
    .await;
    let started = begin(&patient).await;
    assert_eq!(
        (started["interval"].clone(), started["expires_in"].clone()),
        (json!(1), json!(120))
    );
    let id = started["auth_req_id"].as_str().unwrap();
    poll(&patient, id)
        .await
        .assert_oauth_error(400, "authorization_pending");
    poll(&patient, id)
        .await
        .assert_oauth_error(400, "slow_down");
    poll(&patient, id)
        .await
        .assert_oauth_error(400, "slow_down");

    let instant = start(MockCiba {
        pending_polls: 2,
        interval_secs: 0,
        ..MockCiba::default()
    })
    .await;
    let id = begin(&instant).await["auth_req_id"]
        .as_str()
        .unwrap()
        .to_owned();
    poll(&instant, &id)
        .await
        .assert_oauth_error(400, "authorization_pending");
    poll(&instant, &id)
        .await
        .assert_oauth_error(400, "authorization_pending");
    assert_eq!(poll(&instant, &id).await.status, 200);

    let refusing = start(MockCiba {
        approve: false,
        pending_polls: 0,
        interval_secs: 0,
        ..MockCiba::default()
    })
    .await;
    let id = begin(&refusing).await["auth_req_id"]
        .as_str()
        .unwrap()
        .to_owned();
    poll(&refusing, &id)
        .await
        .assert_oauth_error(400, "access_denied");
    poll(&refusing, &id)
        .await
        .assert_oauth_error(400, "invalid_grant");

    let expiring = start(MockCiba {
        lifetime: Duration::ZERO,
        ..MockCiba::default()
    })
    .await;
    let started = begin(&expiring).await;
    assert_eq!(started["expires_in"], 0);
    poll(&expiring, started["auth_req_id"].as_str().unwrap())
        .await
        .assert_oauth_error(400, "expired_token");
}

#[tokio::test]
async fn ciba_login_hints_name_a_device_by_number_address_or_operator_token() {
    let mock = Mock::start(v1(), &[]).await;
    let hints = [
        format!("tel:{}", lab::sms()),
        format!("ipport:[{}]:443", lab::sms_ipv6()),
        format!("operatortoken:{}", mock.server.operator_token(lab::sms())),
    ];
    for hint in hints {
        let started = send(mock.oauth("/bc-authorize", &[("login_hint", &hint)])).await;
        assert_eq!(started.status, 200, "{hint}: {}", started.text);
        let id = started.json()["auth_req_id"].as_str().unwrap().to_owned();
        let issued = send(mock.oauth(
            "/oauth/token",
            &[("grant_type", CIBA_GRANT), ("auth_req_id", &id)],
        ))
        .await;
        let token = issued.json()["access_token"].as_str().unwrap().to_owned();
        let answer = mock.retrieve(&token, json!({})).await;
        assert_eq!(
            answer.assert_success(),
            json!({"reachable": true, "connectivity": ["SMS"]}),
            "{hint}"
        );
    }
    let by_ipv4 = send(mock.oauth(
        "/bc-authorize",
        &[("login_hint", "ipport:203.0.113.31:50031")],
    ))
    .await;
    assert_eq!(by_ipv4.status, 200, "{}", by_ipv4.text);
    for (hint, error) in [
        ("ipport:203.0.113.99:1", "unknown_user_id"),
        ("operatortoken:mock-1", "unknown_user_id"),
        ("ipport:nowhere", "invalid_request"),
        ("email:someone@example.com", "invalid_request"),
    ] {
        send(mock.oauth("/bc-authorize", &[("login_hint", hint)]))
            .await
            .assert_oauth_error(400, error);
    }
}

#[tokio::test]
async fn jwt_access_tokens_verify_with_the_jwks_and_revocation_still_counts() {
    let mock = Mock::with(MockOptions {
        jwt_access_tokens: true,
        ..MockOptions::default()
    })
    .await;
    let token = mock.token(None).await;
    let jwks: JwkSet = serde_json::from_str(
        &send(mock.http.get(mock.url("/.well-known/jwks.json")))
            .await
            .text,
    )
    .unwrap();
    let jwt = Jwt::parse(&token).unwrap();
    assert_eq!(
        (jwt.algorithm, jwt.kid.as_deref()),
        (Algorithm::Rs256, Some("mock-access-token-key-1"))
    );
    assert!(
        jwt.verified_by(&jwks),
        "signature ok with the published keys"
    );
    assert_eq!(jwt.str_claim("iss"), Some(mock.server.api_root().as_str()));
    assert_eq!(jwt.str_claim("client_id"), Some("demo-client"));
    assert_eq!(jwt.str_claim("scope"), Some(API_SCOPE));
    assert_eq!(
        mock.retrieve(&token, device_body(lab::data())).await.status,
        200
    );

    let introspect = |t: &str| send(mock.oauth("/oauth/introspect", &[("token", t)]));
    let active = introspect(&token).await.json();
    assert_eq!(
        (active["active"].clone(), active["client_id"].clone()),
        (json!(true), json!("demo-client"))
    );
    mock.revoke(&token).await;
    assert!(
        Jwt::parse(&token).unwrap().verified_by(&jwks),
        "a revoked JWT still has a good signature"
    );
    assert_eq!(introspect(&token).await.json(), json!({"active": false}));
    let refused = mock.retrieve(&token, device_body(lab::data())).await;
    refused.assert_error(401, "UNAUTHENTICATED");
    assert!(refused.text.contains("revoked"), "{}", refused.text);

    // A JWT of another mock, signed by the same published key, is unknown here.
    let other = Mock::with(MockOptions {
        jwt_access_tokens: true,
        ..MockOptions::default()
    })
    .await;
    mock.retrieve(&other.token(None).await, device_body(lab::data()))
        .await
        .assert_error(401, "UNAUTHENTICATED");
    // The expired token is an expired JWT.
    let expired = mock.env("MOCK_EXPIRED_TOKEN");
    assert!(Jwt::parse(&expired).unwrap().verified_by(&jwks));
    assert!(
        mock.retrieve(&expired, device_body(lab::data()))
            .await
            .text
            .contains("expired")
    );
    assert_eq!(
        introspect("never-issued").await.json(),
        json!({"active": false})
    );
    let anonymous = mock
        .http
        .post(mock.url("/oauth/introspect"))
        .form(&[("token", token.as_str())]);
    send(anonymous)
        .await
        .assert_oauth_error(401, "invalid_client");
}

#[tokio::test]
async fn the_openid_configuration_describes_every_endpoint() {
    for profile in [v1(), orange()] {
        let mock = Mock::start(profile, &[]).await;
        let root = mock.server.api_root();
        let answer = send(mock.http.get(mock.url("/.well-known/openid-configuration"))).await;
        assert_eq!(answer.header("content-type"), Some("application/json"));
        let doc = answer.json();
        let token_path = if profile == v1() {
            "/oauth/token"
        } else {
            "/oauth/v3/token"
        };
        assert_eq!(doc["issuer"], json!(root));
        assert_eq!(doc["token_endpoint"], json!(format!("{root}{token_path}")));
        assert_eq!(
            doc["revocation_endpoint"],
            json!(format!("{root}/oauth/revoke"))
        );
        assert_eq!(
            doc["introspection_endpoint"],
            json!(format!("{root}/oauth/introspect"))
        );
        assert_eq!(
            doc["backchannel_authentication_endpoint"],
            json!(format!("{root}/bc-authorize"))
        );
        assert_eq!(
            doc["jwks_uri"],
            json!(format!("{root}/.well-known/jwks.json"))
        );
        assert_eq!(
            doc["backchannel_token_delivery_modes_supported"],
            json!(["poll"])
        );
        assert_eq!(
            doc["token_endpoint_auth_methods_supported"],
            json!([
                "client_secret_basic",
                "client_secret_post",
                "private_key_jwt"
            ])
        );
        assert_eq!(
            doc["grant_types_supported"],
            json!(["client_credentials", CIBA_GRANT])
        );
        // Opaque tokens: no signing keys to publish.
        let jwks = send(mock.http.get(mock.url("/.well-known/jwks.json"))).await;
        assert_eq!(jwks.json(), json!({"keys": []}));
    }
}

#[tokio::test]
async fn the_key_based_target_file_uses_discovery_and_a_private_key() {
    let mock = Mock::with(MockOptions {
        client_auth: MockClientAuth::PrivateKeyJwt,
        ..MockOptions::default()
    })
    .await;
    let toml = mock.server.target_toml();
    let table: toml::Table = toml::from_str(&toml).unwrap();
    let auth = table["auth"].as_table().unwrap();
    assert_eq!(auth["client_id"].as_str(), Some(JWT_CLIENT_ID));
    assert_eq!(auth["client_auth"].as_str(), Some("private_key_jwt"));
    assert!(auth.get("token_url").is_none() && auth.get("client_secret_env").is_none());
    assert_eq!(mock.server.target_client().client_id(), JWT_CLIENT_ID);
    let pem = mock.env("MOCK_PRIVATE_KEY");
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
}
