//! Deleting what a run created: every subscription still in the ledger at the end of the
//! run, whatever happened to its scenario, or at once when the run is interrupted.

use std::time::Duration;

use futures::future::join_all;
use uuid::Uuid;

use super::ledger::Entry;
use crate::http::Request;
use crate::oauth::TokenKind;
use crate::steps::world::RunContext;

/// Deletes every subscription left in the run's ledger; returns one line per subscription
/// that could not be deleted (what to do about it included). A 404 counts as deleted.
pub async fn clean_up(ctx: &RunContext) -> Vec<String> {
    delete_all(ctx, None).await
}

/// [`clean_up`] in a hurry (after Ctrl-C): the DELETEs go out together, and each one,
/// the access token included, gets at most `within`.
pub async fn clean_up_within(ctx: &RunContext, within: Duration) -> Vec<String> {
    delete_all(ctx, Some(within)).await
}

async fn delete_all(ctx: &RunContext, within: Option<Duration>) -> Vec<String> {
    let entries = ctx.subscriptions.ledger.entries();
    if entries.is_empty() {
        return Vec::new();
    }
    let token = match bounded(within, ctx.tokens.token(TokenKind::Valid)).await {
        Some(Ok(token)) => token,
        failed => {
            let why = match failed {
                Some(Err(e)) => format!("no access token ({e})"),
                _ => "no access token in time".to_owned(),
            };
            return entries
                .iter()
                .map(|entry| {
                    format!(
                        "subscription {} was not deleted: {why}; delete it with DELETE {}",
                        entry.id, entry.url
                    )
                })
                .collect();
        }
    };
    let bearer = format!("Bearer {}", token.expose());
    let deletes = entries
        .iter()
        .map(|entry| delete_one(ctx, entry, &bearer, within));
    join_all(deletes).await.into_iter().flatten().collect()
}

/// Deletes `entry`; the line to report when it could not be deleted.
async fn delete_one(
    ctx: &RunContext,
    entry: &Entry,
    bearer: &str,
    within: Option<Duration>,
) -> Option<String> {
    let request = Request {
        method: "DELETE".into(),
        url: entry.url.clone(),
        headers: vec![
            ("Authorization".into(), bearer.to_owned()),
            ("x-correlator".into(), Uuid::new_v4().to_string()),
        ],
        body: None,
    };
    match bounded(within, ctx.http.send(request)).await {
        Some(Ok(exchange)) if matches!(exchange.status, 202 | 204 | 404) => {
            ctx.subscriptions.ledger.forget(&entry.id);
            None
        }
        Some(Ok(exchange)) => Some(format!(
            "subscription {} was not deleted: DELETE {} answered {}",
            entry.id, entry.url, exchange.status
        )),
        Some(Err(e)) => Some(format!(
            "subscription {} was not deleted: DELETE {} failed: {e}",
            entry.id, entry.url
        )),
        None => Some(format!(
            "subscription {} was not deleted: DELETE {} got no answer in time; delete it by hand",
            entry.id, entry.url
        )),
    }
}

/// `future`'s output, or `None` when `within` (if any) passes first.
async fn bounded<T>(within: Option<Duration>, future: impl Future<Output = T>) -> Option<T> {
    match within {
        Some(limit) => tokio::time::timeout(limit, future).await.ok(),
        None => Some(future.await),
    }
}
