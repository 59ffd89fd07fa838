//! Deleting what a run created: every subscription still in the ledger at the end of the
//! run, whatever happened to its scenario.

use uuid::Uuid;

use crate::http::Request;
use crate::oauth::TokenKind;
use crate::steps::world::RunContext;

/// Deletes every subscription left in the run's ledger; returns one line per subscription
/// that could not be deleted (what to do about it included). A 404 counts as deleted.
pub async fn clean_up(ctx: &RunContext) -> Vec<String> {
    let entries = ctx.subscriptions.ledger.entries();
    if entries.is_empty() {
        return Vec::new();
    }
    let token = match ctx.tokens.token(TokenKind::Valid).await {
        Ok(token) => token,
        Err(e) => {
            return entries
                .iter()
                .map(|entry| {
                    format!(
                        "subscription {} was not deleted: no access token ({e}); delete it with DELETE {}",
                        entry.id, entry.url
                    )
                })
                .collect();
        }
    };
    let mut leftovers = Vec::new();
    for entry in entries {
        let request = Request {
            method: "DELETE".into(),
            url: entry.url.clone(),
            headers: vec![
                ("Authorization".into(), format!("Bearer {}", token.expose())),
                ("x-correlator".into(), Uuid::new_v4().to_string()),
            ],
            body: None,
        };
        match ctx.http.send(request).await {
            Ok(exchange) if matches!(exchange.status, 202 | 204 | 404) => {
                ctx.subscriptions.ledger.forget(&entry.id);
            }
            Ok(exchange) => leftovers.push(format!(
                "subscription {} was not deleted: DELETE {} answered {}",
                entry.id, entry.url, exchange.status
            )),
            Err(e) => leftovers.push(format!(
                "subscription {} was not deleted: DELETE {} failed: {e}",
                entry.id, entry.url
            )),
        }
    }
    leftovers
}
