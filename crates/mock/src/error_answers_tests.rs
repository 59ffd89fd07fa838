//! Every error answer the mock gives without faults, in every status profile, is one its
//! contract allows: for a status the profile's OAS lists, a code the OAS lists for it
//! ([`Profile::error_codes`]); otherwise an HTTP-level refusal the OAS has no room for.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use reachability_contract::{ErrorSituation, SeveralIdentifiers};

use crate::app::App;
use crate::errors::ApiError;
use crate::faults::FaultSet;
use crate::{MockOptions, Profile, api, bearer, paths, rate_limit, request, routes};

/// Statuses the mock may answer although no OAS lists them: refusals of the request as
/// HTTP carries it (method, media type, a slow body, oversized headers), coded as
/// CAMARA_common codes them.
const HTTP_LEVEL: [u16; 4] = [405, 408, 415, 431];

/// The device problems the request answers (the unauthenticated answer comes from the
/// bearer check, tested on its own).
fn device_problems() -> impl Iterator<Item = ErrorSituation> {
    ErrorSituation::ALL
        .into_iter()
        .filter(|s| *s != ErrorSituation::Unauthenticated)
}

async fn status_and_code(response: Response) -> (u16, String) {
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    (status, body["code"].as_str().unwrap_or_default().to_owned())
}

/// Every error answer of `profile`'s mock, each with the path that gives it.
async fn answers(profile: Profile) -> Vec<(String, u16, String)> {
    let none = FaultSet::default();
    let options = MockOptions {
        profile,
        ..MockOptions::default()
    };
    let app = Arc::new(App::new(options, "http://127.0.0.1:9").unwrap());
    let mut out: Vec<(String, ApiError)> = Vec::new();
    for problem in device_problems() {
        let rejects = profile.identifiers().several == SeveralIdentifiers::Reject;
        if problem != ErrorSituation::IdentifierMismatch || rejects {
            let error = api::problem_error(profile, problem, &none);
            out.push((format!("{problem:?}"), error));
        }
    }
    out.push(("unauthenticated".into(), bearer::unauthenticated(&app, "x")));
    out.push(("no scope".into(), bearer::permission_denied(profile, "x")));
    out.push(("quota".into(), bearer::quota_exceeded(1)));
    out.push(("rate".into(), rate_limit::over_rate(1)));
    out.push(("invalid".into(), ApiError::invalid_argument("x")));
    out.push(("media type".into(), api::unsupported_media_type()));
    out.push(("network error".into(), api::network_error(&none)));
    let mut found: Vec<(String, u16, String)> = out
        .into_iter()
        .map(|(path, error)| {
            let (status, code) = error.status_and_code();
            (path, status, code.to_owned())
        })
        .collect();
    let api_path = paths::api_path(&app);
    let responses = [
        (
            "unknown path",
            routes::not_found(State(Arc::clone(&app))).await,
        ),
        (
            "method",
            routes::method_not_allowed(State(Arc::clone(&app))).await,
        ),
        (
            "slow body",
            request::refusal(&app, &api_path, StatusCode::REQUEST_TIMEOUT, "x"),
        ),
        (
            "headers",
            request::refusal(
                &app,
                &api_path,
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                "x",
            ),
        ),
        (
            "busy",
            request::refusal(&app, &api_path, StatusCode::SERVICE_UNAVAILABLE, "x"),
        ),
    ];
    for (path, response) in responses {
        let (status, code) = status_and_code(response).await;
        found.push((path.to_owned(), status, code));
    }
    found
}

#[tokio::test]
async fn every_error_answer_is_one_the_profiles_oas_lists() {
    let mut wrong = Vec::new();
    for profile in Profile::status_profiles() {
        for (path, status, code) in answers(profile).await {
            let listed = profile.error_codes(status);
            let allowed = if listed.is_empty() {
                HTTP_LEVEL.contains(&status)
            } else {
                listed.contains(&code)
            };
            if !allowed {
                wrong.push(format!(
                    "{profile} {path}: {status} {code} (the OAS lists {listed:?})"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn the_answers_of_each_situation_are_the_contracts() {
    for profile in Profile::status_profiles() {
        let app = App::new(
            MockOptions {
                profile,
                ..MockOptions::default()
            },
            "http://127.0.0.1:9",
        )
        .unwrap();
        let expected = |situation| {
            let answer = profile.error_answer(situation).unwrap();
            (answer.status, answer.code.as_str())
        };
        assert_eq!(
            bearer::unauthenticated(&app, "x").status_and_code(),
            expected(ErrorSituation::Unauthenticated),
            "{profile}"
        );
        for problem in device_problems() {
            if let Some(answer) = profile.error_answer(problem) {
                let error = api::problem_error(profile, problem, &FaultSet::default());
                assert_eq!(
                    error.status_and_code(),
                    (answer.status, answer.code.as_str()),
                    "{profile} {problem:?}"
                );
            }
        }
    }
    let v10: Profile = "camara-v1.0".parse().unwrap();
    assert_eq!(
        api::problem_error(
            v10,
            ErrorSituation::IdentifierMismatch,
            &FaultSet::default()
        )
        .status_and_code(),
        (422, "IDENTIFIER_MISMATCH")
    );
}
