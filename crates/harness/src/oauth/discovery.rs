//! The endpoints of the authorisation server: from the target file, or read from its
//! OpenID configuration (OpenID Connect Discovery 1.0) when the file leaves them out.

use reqwest::Url;
use serde_json::Value;

use super::endpoint;
use crate::http::{HttpClient, Request};
use crate::target_file::AuthSettings;

/// The OAuth endpoints a run uses; `None` when neither the file nor discovery gives one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Endpoints {
    pub token: Option<String>,
    pub revocation: Option<String>,
    pub ciba: Option<String>,
}

/// The endpoints of `auth`; those it does not give are read from
/// `auth.openid_configuration_url`, fetched once through `http`. Errors are ready messages.
pub(super) async fn endpoints(auth: &AuthSettings, http: &HttpClient) -> Result<Endpoints, String> {
    let given = Endpoints {
        token: auth.token_url.clone(),
        revocation: auth.revocation_url.clone(),
        ciba: auth.ciba_url.clone(),
    };
    let complete = given.token.is_some() && given.revocation.is_some() && given.ciba.is_some();
    let Some(url) = auth
        .openid_configuration_url
        .as_deref()
        .filter(|_| !complete)
    else {
        return Ok(given);
    };
    let document = fetch(url, http).await?;
    let read = |field: &str| endpoint_of(&document, url, field);
    let found = Endpoints {
        token: given
            .token
            .map(Ok)
            .or_else(|| read("token_endpoint").transpose())
            .transpose()?,
        revocation: given
            .revocation
            .map(Ok)
            .or_else(|| read("revocation_endpoint").transpose())
            .transpose()?,
        ciba: given
            .ciba
            .map(Ok)
            .or_else(|| read("backchannel_authentication_endpoint").transpose())
            .transpose()?,
    };
    if found.token.is_none() {
        return Err(format!(
            "the OpenID configuration at {url} has no token_endpoint; set auth.token_url"
        ));
    }
    Ok(found)
}

/// The JSON object at `url`.
async fn fetch(url: &str, http: &HttpClient) -> Result<Value, String> {
    let request = Request {
        method: "GET".to_owned(),
        url: url.to_owned(),
        headers: vec![("accept".to_owned(), "application/json".to_owned())],
        body: None,
    };
    let exchange = http
        .send(request)
        .await
        .map_err(|e| format!("cannot read the OpenID configuration: {e}"))?;
    if !endpoint::is_success(exchange.status) {
        return Err(format!(
            "the OpenID configuration at {url} answered HTTP {}; check \
             auth.openid_configuration_url",
            exchange.status
        ));
    }
    match endpoint::answer(&exchange, "OpenID configuration")? {
        document @ Value::Object(_) => Ok(document),
        _ => Err(format!(
            "the OpenID configuration at {url} is not a JSON object; check \
             auth.openid_configuration_url"
        )),
    }
}

/// The URL in `field` of the document, if present; an error when it is not an absolute
/// http(s) URL.
fn endpoint_of(document: &Value, url: &str, field: &str) -> Result<Option<String>, String> {
    let Some(value) = document.get(field) else {
        return Ok(None);
    };
    match value.as_str().map(Url::parse) {
        Some(Ok(parsed)) if matches!(parsed.scheme(), "http" | "https") && parsed.has_host() => {
            Ok(value.as_str().map(str::to_owned))
        }
        _ => Err(format!(
            "the OpenID configuration at {url} gives {field} = {value}, which is not an \
             absolute http or https URL; fix the document or set the URL in the target file"
        )),
    }
}
