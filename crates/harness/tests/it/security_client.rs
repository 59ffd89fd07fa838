//! The harness's OAuth client speaking CAMARA's security profile to the mock:
//! `private_key_jwt` with OpenID discovery, `client_secret_post`, flawed assertions the
//! server must refuse, CIBA, bad discovery documents, and secrets kept out of output.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::routing::get;
use reachability_harness::http::{HttpClient, HttpSettings};
use reachability_harness::negative::GenerationSettings;
use reachability_harness::oauth::{AssertionFlaw, TokenError, TokenKind, TokenProvider};
use reachability_harness::redact::Redactor;
use reachability_harness::target_file::{AuthSettings, ClientAuth, Secret, Target};
use reachability_mock::{MockCiba, MockClientAuth, MockOptions};
use reachability_test_support::mock_client::*;
use serde_json::json;

/// A key-based mock with JWT access tokens, and the target its file describes.
async fn key_based(ciba: MockCiba) -> (Mock, Target) {
    let mock = Mock::with(MockOptions {
        client_auth: MockClientAuth::PrivateKeyJwt,
        jwt_access_tokens: true,
        ciba,
        ..MockOptions::default()
    })
    .await;
    let secrets = mock.server.secret_env();
    let target = Target::parse(&mock.server.target_toml(), "mock", &|name| {
        secrets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    })
    .unwrap();
    (mock, target)
}

fn provider(auth: AuthSettings) -> TokenProvider {
    let http = HttpClient::new(&HttpSettings::default(), Redactor::new()).unwrap();
    TokenProvider::new(auth, http)
}

fn instant_ciba() -> MockCiba {
    MockCiba {
        pending_polls: 2,
        interval_secs: 0,
        ..MockCiba::default()
    }
}

#[tokio::test]
async fn every_token_kind_by_private_key_jwt_and_discovery() {
    let (mock, target) = key_based(instant_ciba()).await;
    let tokens = provider(target.auth.clone());
    // Each request carries a fresh assertion: a reused jti would be refused.
    let valid = tokens.token(TokenKind::Valid).await.unwrap();
    assert_eq!(
        mock.retrieve(valid.expose(), device_body(lab::data()))
            .await
            .status,
        200
    );
    let unscoped = tokens.token(TokenKind::WithoutScope).await.unwrap();
    mock.retrieve(unscoped.expose(), device_body(lab::data()))
        .await
        .assert_error(403, "PERMISSION_DENIED");
    let revoked = tokens.token(TokenKind::Revoked).await.unwrap();
    mock.retrieve(revoked.expose(), device_body(lab::data()))
        .await
        .assert_error(401, "UNAUTHENTICATED");
    let bound = tokens.token(TokenKind::DeviceBound).await.unwrap();
    let answer = mock.retrieve(bound.expose(), json!({})).await;
    assert_eq!(
        answer.assert_success(),
        json!({"reachable": true, "connectivity": ["DATA"]})
    );
}

#[tokio::test]
async fn flawed_assertions_are_refused_and_a_fresh_one_accepted_once() {
    let (_mock, target) = key_based(MockCiba::default()).await;
    let tokens = provider(target.auth);
    let flaws = [
        AssertionFlaw::UnknownKey,
        AssertionFlaw::Expired,
        AssertionFlaw::TooLongLived,
        AssertionFlaw::WrongAudience,
        AssertionFlaw::WrongIssuer,
    ];
    for flaw in flaws {
        let assertion = tokens.client_assertion(Some(flaw)).await.unwrap();
        let answer = tokens.request_token(Some(&assertion)).await.unwrap();
        assert_eq!(answer.status, 401, "{flaw:?}");
        assert_eq!(
            answer.json().unwrap()["error"],
            "invalid_client",
            "{flaw:?}"
        );
    }
    let fresh = tokens.client_assertion(None).await.unwrap();
    assert_eq!(
        tokens.request_token(Some(&fresh)).await.unwrap().status,
        200
    );
    let replayed = tokens.request_token(Some(&fresh)).await.unwrap();
    assert_eq!(replayed.status, 401);
    // The assertion is a secret: masked in transcripts.
    let transcript = replayed.render();
    assert!(!transcript.contains(fresh.expose()), "{transcript}");
    assert!(
        transcript.contains("client_assertion=[REDACTED]"),
        "{transcript}"
    );
    assert_eq!(tokens.request_token(None).await.unwrap().status, 200);
}

#[tokio::test]
async fn a_secret_based_target_has_no_assertion_to_make() {
    let mock = Mock::start(reachability_harness::Api::CamaraV1.current(), &[]).await;
    let auth = AuthSettings {
        token_url: Some(mock.url("/oauth/token")),
        client_id: Some("demo-client".into()),
        client_auth: ClientAuth::ClientSecretPost,
        client_secret: Some(Secret::new(mock.env("MOCK_CLIENT_SECRET"))),
        ..AuthSettings::default()
    };
    let tokens = provider(auth);
    assert_eq!(
        tokens.client_assertion(Some(AssertionFlaw::Expired)).await,
        Err(TokenError::NotConfigured {
            key: "auth.private_key_file"
        })
    );
    // client_secret_post: the secret goes in the form, and the mock accepts it.
    let exchange = tokens.request_token(None).await.unwrap();
    assert_eq!(exchange.status, 200);
    assert_eq!(exchange.request.header("authorization"), None);
    let body = String::from_utf8(exchange.request.body.clone().unwrap()).unwrap();
    assert!(
        body.contains("client_id=demo-client&client_secret="),
        "{body}"
    );
    assert!(exchange.render().contains("client_secret=[REDACTED]"));
}

#[tokio::test]
async fn ciba_against_the_mock_pending_denied_and_slowed_down() {
    let (_mock, target) = key_based(instant_ciba()).await;
    let tokens = provider(target.auth.clone());
    assert!(
        tokens.token(TokenKind::DeviceBound).await.is_ok(),
        "after two pending answers"
    );

    let (_mock, target) = key_based(MockCiba {
        approve: false,
        interval_secs: 0,
        ..MockCiba::default()
    })
    .await;
    let err = provider(target.auth)
        .token(TokenKind::DeviceBound)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot get a device-bound access token: the authentication request for tel:+33699901031 \
         was denied (access_denied); approve it on the device, or check auth.device_login_hint"
    );

    let (_mock, target) = key_based(MockCiba {
        pending_polls: 1,
        ..MockCiba::default()
    })
    .await;
    let tokens = provider(target.auth);
    let (id, _) = tokens.start_ciba().await.unwrap();
    let first = tokens.poll_ciba(&id).await.unwrap();
    let second = tokens.poll_ciba(&id).await.unwrap();
    assert_eq!(first.json().unwrap()["error"], "authorization_pending");
    assert_eq!(
        (second.status, second.json().unwrap()["error"].clone()),
        (400, json!("slow_down"))
    );
    assert!(
        !second.render().contains(id.expose()),
        "auth_req_id is masked"
    );
}

/// A server whose OpenID configuration is `document` (with status `status`), counting
/// how often it is read.
async fn discovery_server(status: u16, document: &'static str) -> (String, Arc<AtomicUsize>) {
    let reads = Arc::new(AtomicUsize::new(0));
    let counter = reads.clone();
    let app = Router::new().route(
        "/.well-known/openid-configuration",
        get(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async move {
                (
                    axum::http::StatusCode::from_u16(status).unwrap(),
                    [("content-type", "application/json")],
                    document,
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("{base}/.well-known/openid-configuration"), reads)
}

fn discovering(url: &str) -> AuthSettings {
    AuthSettings {
        openid_configuration_url: Some(url.to_owned()),
        client_id: Some("c".into()),
        client_secret: Some(Secret::new("s".into())),
        device_login_hint: Some("tel:+33699901031".into()),
        ..AuthSettings::default()
    }
}

#[tokio::test]
async fn bad_discovery_documents_are_explained_once() {
    let cases = [
        (
            200,
            "<html>",
            "OpenID configuration {url} answered HTTP 200 with a body that is not JSON: <html>; check that the URL is right",
        ),
        (
            200,
            "[1]",
            "the OpenID configuration at {url} is not a JSON object; check auth.openid_configuration_url",
        ),
        (
            404,
            "{}",
            "the OpenID configuration at {url} answered HTTP 404; check auth.openid_configuration_url",
        ),
        (
            200,
            "{\"issuer\": \"x\"}",
            "the OpenID configuration at {url} has no token_endpoint; set auth.token_url",
        ),
        (
            200,
            "{\"token_endpoint\": \"/token\"}",
            "the OpenID configuration at {url} gives token_endpoint = \"/token\", which is not an absolute http or https URL; fix the document or set the URL in the target file",
        ),
    ];
    for (status, document, message) in cases {
        let (url, reads) = discovery_server(status, document).await;
        let tokens = provider(discovering(&url));
        let expected = format!(
            "cannot get a valid access token: {}",
            message.replace("{url}", &url)
        );
        assert_eq!(
            tokens
                .token(TokenKind::Valid)
                .await
                .unwrap_err()
                .to_string(),
            expected
        );
        assert!(tokens.token(TokenKind::DeviceBound).await.is_err());
        assert_eq!(reads.load(Ordering::SeqCst), 1, "fetched once per run");
    }
}

#[tokio::test]
async fn endpoints_a_document_lacks_skip_their_scenarios() {
    let (url, _) =
        discovery_server(200, "{\"token_endpoint\": \"http://127.0.0.1:9/token\"}").await;
    let tokens = provider(discovering(&url));
    assert_eq!(
        tokens.token(TokenKind::Revoked).await,
        Err(TokenError::NotConfigured {
            key: "auth.revocation_url"
        })
    );
    assert_eq!(
        tokens.token(TokenKind::DeviceBound).await,
        Err(TokenError::NotConfigured {
            key: "auth.ciba_url"
        })
    );
}

#[tokio::test]
async fn the_private_key_never_shows() {
    let (mock, target) = key_based(MockCiba::default()).await;
    let pem = mock.env("MOCK_PRIVATE_KEY");
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let shown = format!("{target:?} {:?}", provider(target.auth.clone()));
    assert!(!shown.contains(&body[..40]), "{shown}");
    assert!(shown.contains("PrivateKey(EC P-256)"), "{shown}");
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_secret_based_target_the_assertion_scenarios_skip_naming_the_key() {
    use reachability_harness::report::Status;
    use reachability_harness::runner::{self, RunBuilder, Suite, TagFilter};
    use reachability_harness::schema::SchemaSet;

    let mock = Mock::with(MockOptions::default()).await;
    let secrets = mock.server.secret_env();
    let target = Target::parse(&mock.server.target_toml(), "mock", &|name| {
        secrets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    })
    .unwrap();
    let suite = Suite::embedded().unwrap();
    let tags: TagFilter = "@security_profile".parse().unwrap();
    let planned = runner::plan(
        &suite,
        &target,
        &SchemaSet::builtin(target.profile),
        Some(&tags),
        &GenerationSettings::drawn(),
    );
    let missing: Vec<Vec<&str>> = planned.iter().map(|p| p.missing.clone()).collect();
    let key = vec!["auth.private_key_file"];
    assert_eq!(
        missing,
        [
            key.clone(),
            key.clone(),
            key.clone(),
            key.clone(),
            key.clone(),
            key,
            vec![],
            vec![]
        ]
    );

    let run = RunBuilder::new(target).tags(Some(tags)).build().unwrap();
    let result = run.execute(&suite).await;
    let outcomes: Vec<(&str, Status)> = result
        .scenarios
        .iter()
        .map(|s| (s.label(), s.status))
        .collect();
    assert_eq!(outcomes.len(), 8);
    for (label, status) in &outcomes[..6] {
        assert_eq!(*status, Status::Skipped, "{label}");
    }
    assert_eq!(
        outcomes[6..],
        [
            ("security_profile_07_ciba_slow_down", Status::Passed),
            ("security_profile_08_ciba_early_poll", Status::Passed)
        ]
    );
    let reason = result.scenarios[0].reason.as_deref().unwrap();
    assert_eq!(
        reason,
        "testing asset `auth.private_key_file` is not configured in the target file"
    );
}

#[tokio::test]
async fn the_mocks_key_based_target_file_parses_to_private_key_jwt_with_es256() {
    let mock = Mock::with(MockOptions {
        client_auth: MockClientAuth::PrivateKeyJwt,
        ..MockOptions::default()
    })
    .await;
    let toml = mock.server.target_toml();
    let secrets = mock.server.secret_env();
    let target = Target::parse(&toml, "mock", &|name| {
        secrets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    })
    .unwrap();
    assert_eq!(target.auth.client_auth, ClientAuth::PrivateKeyJwt);
    assert_eq!(
        target.auth.assertion.unwrap().algorithm,
        reachability_contract::jose::Algorithm::Es256
    );
}
