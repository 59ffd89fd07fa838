//! The mock's routes: every path it serves, mapped to its handler, behind the
//! `x-correlator` layer (outermost, so that every answer echoes it), the rate limit and the
//! request guard; anything else is 404 or 405, as JSON.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::Response;
use axum::routing::{get, post};

use super::app::App;
use super::errors::ApiError;
use super::paths;
use super::{api, correlator, discovery, oauth, rate_limit, request, subscriptions};

/// The router of a mock's whole surface, sharing `app`.
pub(crate) fn router(app: Arc<App>) -> Router {
    let api_path = paths::api_path(&app);
    let api = if app.profile.is_subscriptions() {
        Router::new()
            .route(
                &api_path,
                post(subscriptions::create).get(subscriptions::list),
            )
            .route(
                &format!("{api_path}/{{subscriptionId}}"),
                get(subscriptions::retrieve).delete(subscriptions::delete),
            )
            .route(paths::DEVICE_STATE_PATH, post(subscriptions::change_state))
    } else {
        Router::new().route(&api_path, post(api::retrieve))
    };
    api.route(paths::TOKEN_PATH, post(oauth::token))
        .route(paths::ORANGE_TOKEN_PATH, post(oauth::orange_token))
        .route(paths::REVOKE_PATH, post(oauth::revoke))
        .route(paths::CIBA_PATH, post(oauth::bc_authorize))
        .route(paths::INTROSPECT_PATH, post(oauth::introspect))
        .route(
            paths::OPENID_CONFIGURATION_PATH,
            get(discovery::openid_configuration),
        )
        .route(paths::JWKS_PATH, get(discovery::jwks))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&app),
            request::guard,
        ))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&app),
            rate_limit::layer,
        ))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&app),
            correlator::layer,
        ))
        .with_state(app)
}

/// 404 NOT_FOUND for a path the mock does not serve.
pub(crate) async fn not_found(State(app): State<Arc<App>>) -> Response {
    let message = format!(
        "No resource at this path: the API operation is POST {}.",
        paths::api_path(&app)
    );
    ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", message).render(&app.faults)
}

/// 405 METHOD_NOT_ALLOWED for another method than POST.
pub(crate) async fn method_not_allowed(State(app): State<Arc<App>>) -> Response {
    let error = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        "The requested method is not allowed on this resource: use POST.",
    );
    let mut response = error.render(&app.faults);
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("POST"));
    response
}
