//! One exchange for scenarios that send the same request.
//!
//! Every request of this API's steps is a read (`getReachabilityStatus` changes nothing),
//! and a scenario only reads the answer it gets. So when a scenario sends exactly the
//! request another scenario of the run sent (or is sending) — same method, URL, body and
//! headers, hence the same device and the same token — it uses that exchange instead of
//! asking the target again, and its record says so. An `x-correlator` that is a UUID does
//! not tell requests apart (each scenario draws its own; the echo check compares the
//! shared exchange's request with its answer); any other value does. A scenario never
//! shares with itself: sending one request twice is a deliberate repeat. Failed sends are
//! not shared: the next scenario tries again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::OnceCell;

use crate::http::{Exchange, HttpClient, HttpError, Request};

/// The exchange of one request, once sent, and the scenario that sent it.
type Cell = Arc<OnceCell<(Exchange, String)>>;

/// The exchanges of a run, by request.
#[derive(Debug, Default)]
pub(crate) struct SharedExchanges {
    cells: Mutex<HashMap<String, Cell>>,
}

impl SharedExchanges {
    /// The exchange of `request` for scenario `owner`: sent by `http` unless another
    /// scenario sent the same request, whose exchange is then returned marked as shared.
    pub(crate) async fn send(
        &self,
        http: &HttpClient,
        request: Request,
        owner: &str,
    ) -> Result<Exchange, HttpError> {
        let cell = {
            let mut cells = self.cells.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(cells.entry(key(&request)).or_default())
        };
        let mut sent_here = false;
        let (exchange, first) = cell
            .get_or_try_init(|| {
                sent_here = true;
                let request = request.clone();
                async move {
                    http.send(request)
                        .await
                        .map(|exchange| (exchange, owner.to_owned()))
                }
            })
            .await?;
        if sent_here {
            return Ok(exchange.clone());
        }
        if first == owner {
            return http.send(request).await;
        }
        let mut shared = exchange.clone();
        shared.shared_from = Some(first.clone());
        Ok(shared)
    }
}

/// What tells requests apart: everything but a UUID-valued `x-correlator` and the order
/// of the headers.
fn key(request: &Request) -> String {
    let mut headers: Vec<(String, &str)> = request
        .headers
        .iter()
        .map(|(name, value)| {
            let value = if name.eq_ignore_ascii_case("x-correlator") && is_uuid(value) {
                "<a UUID>"
            } else {
                value
            };
            (name.to_ascii_lowercase(), value)
        })
        .collect();
    headers.sort_unstable();
    let body = request.body.as_deref().map(String::from_utf8_lossy);
    let mut key = String::with_capacity(
        request.url.len() + body.as_ref().map_or(0, |b| b.len()) + 64 * headers.len(),
    );
    for part in [request.method.as_str(), " ", &request.url, "\n"] {
        key.push_str(part);
    }
    for (name, value) in &headers {
        for part in [name.as_str(), ": ", value, "\n"] {
            key.push_str(part);
        }
    }
    if let Some(body) = body {
        key.push('\n');
        key.push_str(&body);
    }
    key
}

fn is_uuid(value: &str) -> bool {
    uuid::Uuid::try_parse(value).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(correlator: &str, body: &str) -> Request {
        Request {
            method: "POST".into(),
            url: "http://127.0.0.1:9/retrieve".into(),
            headers: vec![
                ("Authorization".into(), "Bearer a".into()),
                ("x-correlator".into(), correlator.into()),
            ],
            body: Some(body.as_bytes().to_vec()),
        }
    }

    #[test]
    fn only_a_uuid_correlator_is_left_out_of_the_key() {
        let a = request("7c1e1c55-2b1a-4a8e-9f0e-5d6f4a3b2c1d", "{}");
        let b = request("0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f", "{}");
        assert_eq!(key(&a), key(&b));
        assert_ne!(key(&a), key(&request("not a valid correlator!", "{}")));
        assert_ne!(
            key(&a),
            key(&request("7c1e1c55-2b1a-4a8e-9f0e-5d6f4a3b2c1d", "[]"))
        );
        let mut other_token = a.clone();
        other_token.headers[0].1 = "Bearer b".into();
        assert_ne!(key(&a), key(&other_token));
        let mut absent = a.clone();
        absent.headers.pop();
        assert_ne!(key(&a), key(&absent));
        let mut reordered = a.clone();
        reordered.headers.reverse();
        assert_eq!(key(&a), key(&reordered));
    }
}
