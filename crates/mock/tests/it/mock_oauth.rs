//! The mock's OAuth 2.0 server: client credentials, scopes, revocation and CIBA.

use reachability_mock::Api;

use reachability_mock::Profile;
use reachability_test_support::mock_client::*;
use serde_json::json;

/// Form parameters, and the OAuth error status and code they must get.
type FormCase<'a> = (&'a [(&'a str, &'a str)], u16, &'a str);

#[tokio::test]
async fn client_credentials_by_basic_header_or_form_fields() {
    let mock = Mock::start(Api::CamaraV1.current(), &[]).await;
    let secret = mock.env("MOCK_CLIENT_SECRET");
    let by_basic = mock
        .http
        .post(mock.url("/oauth/token"))
        .basic_auth("demo-client", Some(&secret));
    let by_form = mock.http.post(mock.url("/oauth/token")).form(&[
        ("grant_type", "client_credentials"),
        ("client_id", "demo-client"),
        ("client_secret", &secret),
    ]);
    for request in [
        by_basic.form(&[("grant_type", "client_credentials")]),
        by_form,
    ] {
        let answer = send(request).await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        assert_eq!(answer.header("content-type"), Some("application/json"));
        assert_eq!(answer.header("cache-control"), Some("no-store"));
        let body = answer.json();
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], 3600);
        assert_eq!(body["scope"], API_SCOPE);
        let token = body["access_token"].as_str().unwrap();
        assert!(token.len() >= 32 && token.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(
            mock.retrieve(token, device_body(lab::data())).await.status,
            200
        );
    }
}

#[tokio::test]
async fn client_authentication_failures() {
    let mock = Mock::start(Api::CamaraV1.current(), &[]).await;
    let secret = mock.env("MOCK_CLIENT_SECRET");
    let grant = [("grant_type", "client_credentials")];
    let token_url = mock.url("/oauth/token");
    let post = || mock.http.post(&token_url);
    let unauthenticated = [
        post().form(&grant),
        post().basic_auth("demo-client", Some("wrong")).form(&grant),
        post().basic_auth("nobody", Some(&secret)).form(&grant),
        post().header("authorization", "Bearer abc").form(&grant),
        post().header("authorization", "Basic !!!").form(&grant),
        post().form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "demo-client"),
        ]),
        post().form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "demo-client"),
            ("client_secret", "x"),
        ]),
    ];
    for request in unauthenticated {
        let answer = send(request).await;
        answer.assert_oauth_error(401, "invalid_client");
        assert!(
            answer
                .header("www-authenticate")
                .is_some_and(|c| c.starts_with("Basic"))
        );
    }
    let both = post().basic_auth("demo-client", Some(&secret)).form(&[
        ("grant_type", "client_credentials"),
        ("client_secret", secret.as_str()),
    ]);
    send(both).await.assert_oauth_error(400, "invalid_request");
}

#[tokio::test]
async fn grant_type_scope_and_form_errors() {
    let mock = Mock::start(Api::CamaraV1.current(), &[]).await;
    let cases: [FormCase<'_>; 5] = [
        (&[("scope", API_SCOPE)], 400, "invalid_request"),
        (&[("grant_type", "password")], 400, "unsupported_grant_type"),
        (
            &[("grant_type", "client_credentials"), ("scope", "admin")],
            400,
            "invalid_scope",
        ),
        (
            &[
                ("grant_type", "client_credentials"),
                ("grant_type", "client_credentials"),
            ],
            400,
            "invalid_request",
        ),
        (&[("grant_type", CIBA_GRANT)], 400, "invalid_request"),
    ];
    for (form, status, error) in cases {
        send(mock.oauth("/oauth/token", form))
            .await
            .assert_oauth_error(status, error);
    }
    let json_body = mock
        .http
        .post(mock.url("/oauth/token"))
        .header("authorization", mock.client_basic())
        .header("content-type", "application/json")
        .body(json!({"grant_type": "client_credentials"}).to_string());
    send(json_body)
        .await
        .assert_oauth_error(400, "invalid_request");
    let partner = &mock.server.clients()[1];
    let request = mock.http.post(mock.url("/oauth/token")).header(
        "authorization",
        partner.basic_authorization().expect("a secret client"),
    );
    let answer =
        send(request.form(&[("grant_type", "client_credentials"), ("scope", API_SCOPE)])).await;
    answer.assert_oauth_error(400, "invalid_scope");
    let wrong_method = send(mock.http.get(mock.url("/oauth/token"))).await;
    assert_eq!(
        (wrong_method.status, wrong_method.json()["code"].clone()),
        (405, json!("METHOD_NOT_ALLOWED"))
    );
}

#[tokio::test]
async fn scope_is_honoured() {
    let mock = Mock::start(Api::CamaraV1.current(), &[]).await;
    let both = send(mock.oauth(
        "/oauth/token",
        &[
            ("grant_type", "client_credentials"),
            ("scope", "openid device-reachability-status:read"),
        ],
    ))
    .await;
    assert_eq!(
        both.json()["scope"],
        "openid device-reachability-status:read"
    );
    let openid = send(mock.oauth(
        "/oauth/token",
        &[("grant_type", "client_credentials"), ("scope", "openid")],
    ))
    .await;
    assert_eq!(openid.json()["scope"], "openid");
    let token = openid.json()["access_token"].as_str().unwrap().to_owned();
    mock.retrieve(&token, device_body(lab::data()))
        .await
        .assert_error(403, "PERMISSION_DENIED");
}

#[tokio::test]
async fn revocation_follows_rfc_7009() {
    let mock = Mock::start(Api::CamaraV1.current(), &[]).await;
    let token = mock.token(None).await;
    let unknown = send(mock.oauth("/oauth/revoke", &[("token", "never-issued")])).await;
    assert_eq!((unknown.status, unknown.json()), (200, json!({})));
    send(mock.oauth("/oauth/revoke", &[("token_type_hint", "access_token")]))
        .await
        .assert_oauth_error(400, "invalid_request");
    let anonymous = mock
        .http
        .post(mock.url("/oauth/revoke"))
        .form(&[("token", token.as_str())]);
    send(anonymous)
        .await
        .assert_oauth_error(401, "invalid_client");
    let partner = &mock.server.clients()[1];
    let by_partner = mock.http.post(mock.url("/oauth/revoke")).header(
        "authorization",
        partner.basic_authorization().expect("a secret client"),
    );
    send(by_partner.form(&[("token", token.as_str())]))
        .await
        .assert_oauth_error(400, "unauthorized_client");
    assert_eq!(
        mock.retrieve(&token, device_body(lab::data())).await.status,
        200
    );
    let revoked = send(mock.oauth(
        "/oauth/revoke",
        &[("token", &token), ("token_type_hint", "access_token")],
    ))
    .await;
    assert_eq!(revoked.status, 200);
    mock.retrieve(&token, device_body(lab::data()))
        .await
        .assert_error(401, "UNAUTHENTICATED");
}

#[tokio::test]
async fn ciba_issues_device_bound_tokens_once() {
    let mock = Mock::start(Api::CamaraV1.current(), &[]).await;
    let hint = format!("tel:{}", lab::data_and_sms());
    let started = send(mock.oauth(
        "/bc-authorize",
        &[("login_hint", hint.as_str()), ("scope", API_SCOPE)],
    ))
    .await;
    assert_eq!(started.status, 200, "{}", started.text);
    let body = started.json();
    assert_eq!(
        (body["expires_in"].clone(), body["interval"].clone()),
        (json!(120), json!(1))
    );
    let id = body["auth_req_id"].as_str().unwrap().to_owned();
    let partner = &mock.server.clients()[1];
    let stolen = mock.http.post(mock.url("/oauth/token")).header(
        "authorization",
        partner.basic_authorization().expect("a secret client"),
    );
    let form = [("grant_type", CIBA_GRANT), ("auth_req_id", id.as_str())];
    send(stolen.form(&form))
        .await
        .assert_oauth_error(400, "invalid_grant");
    let issued = send(mock.oauth("/oauth/token", &form)).await;
    assert_eq!(
        (issued.status, issued.json()["scope"].clone()),
        (200, json!(API_SCOPE))
    );
    let token = issued.json()["access_token"].as_str().unwrap().to_owned();
    let answer = mock.retrieve(&token, json!({})).await;
    assert_eq!(
        answer.assert_success(),
        json!({"reachable": true, "connectivity": ["DATA", "SMS"]})
    );
    send(mock.oauth("/oauth/token", &form))
        .await
        .assert_oauth_error(400, "invalid_grant");
    let unknown = [("grant_type", CIBA_GRANT), ("auth_req_id", "nope")];
    send(mock.oauth("/oauth/token", &unknown))
        .await
        .assert_oauth_error(400, "invalid_grant");
}

#[tokio::test]
async fn ciba_request_errors() {
    let mock = Mock::start(Api::CamaraV1.current(), &[]).await;
    let (data, unknown) = (lab::data(), lab::unknown());
    let (known_hint, unknown_hint) = (format!("tel:{data}"), format!("tel:{unknown}"));
    let without_plus = format!("tel:{}", data.trim_start_matches('+'));
    let cases: [FormCase<'_>; 5] = [
        (
            &[("login_hint", unknown_hint.as_str())],
            400,
            "unknown_user_id",
        ),
        (&[("login_hint", data)], 400, "invalid_request"),
        (
            &[("login_hint", without_plus.as_str())],
            400,
            "invalid_request",
        ),
        (&[("scope", API_SCOPE)], 400, "invalid_request"),
        (
            &[("login_hint", known_hint.as_str()), ("scope", "admin")],
            400,
            "invalid_scope",
        ),
    ];
    for (form, status, error) in cases {
        send(mock.oauth("/bc-authorize", form))
            .await
            .assert_oauth_error(status, error);
    }
    let anonymous = mock
        .http
        .post(mock.url("/bc-authorize"))
        .form(&[("login_hint", known_hint.as_str())]);
    send(anonymous)
        .await
        .assert_oauth_error(401, "invalid_client");
}

#[tokio::test]
async fn the_expired_token_is_a_real_expired_token() {
    for profile in Profile::status_profiles() {
        let mock = Mock::start(profile, &[]).await;
        let expired = mock.env("MOCK_EXPIRED_TOKEN");
        let answer = mock.retrieve(&expired, device_body(lab::data())).await;
        answer.assert_error(401, "UNAUTHENTICATED");
        assert!(
            answer.json()["message"]
                .as_str()
                .unwrap()
                .contains("expired"),
            "{}",
            answer.text
        );
        let revoke = send(mock.oauth("/oauth/revoke", &[("token", &expired)])).await;
        assert_eq!(
            revoke.status, 200,
            "the expired token belongs to the target's client"
        );
    }
}
