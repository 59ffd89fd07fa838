//! Sweeping the leftovers of earlier runs before a run starts (`[subscriptions] sweep`):
//! the consumer's subscriptions whose sink starts with this run's lasting sink URL are
//! deleted; the others are not touched.

use serde_json::Value;
use uuid::Uuid;

use crate::http::Request;
use crate::oauth::TokenKind;
use crate::steps::world::RunContext;

/// What a sweep did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sweep {
    /// The sink URL base that recognised an earlier run's subscriptions (`None`: the
    /// sink's URL changes from run to run, so nothing could be recognised).
    pub recognised_by: Option<String>,
    /// The ids deleted.
    pub deleted: Vec<String>,
    /// Subscriptions of other sinks, left alone.
    pub others: usize,
    /// What went wrong (the listing, or a deletion), with what to do.
    pub problems: Vec<String>,
}

/// Lists the consumer's subscriptions and deletes those of an earlier run of this sink.
pub async fn sweep(ctx: &RunContext) -> Sweep {
    let settings = &ctx.target.subscriptions;
    let Some(base) = settings.sink.lasting_base_url() else {
        return Sweep::default();
    };
    let mut sweep = Sweep {
        recognised_by: Some(base.clone()),
        ..Sweep::default()
    };
    let Some(collection) = ctx.target.operation_url() else {
        return sweep;
    };
    let token = match ctx.tokens.token(TokenKind::Valid).await {
        Ok(token) => token,
        Err(e) => {
            sweep
                .problems
                .push(format!("no sweep: no access token ({e})"));
            return sweep;
        }
    };
    let send = |method: &str, url: String| Request {
        method: method.into(),
        url,
        headers: vec![
            ("Authorization".into(), format!("Bearer {}", token.expose())),
            ("x-correlator".into(), Uuid::new_v4().to_string()),
        ],
        body: None,
    };
    let listed = match ctx.http.send(send("GET", collection.clone())).await {
        Ok(exchange) if exchange.status == 200 => {
            serde_json::from_slice::<Vec<Value>>(&exchange.body).map_err(|e| {
                format!("no sweep: GET {collection} did not answer a list of subscriptions ({e})")
            })
        }
        Ok(exchange) => Err(format!(
            "no sweep: GET {collection} answered {}",
            exchange.status
        )),
        Err(e) => Err(format!("no sweep: GET {collection} failed: {e}")),
    };
    let subscriptions = match listed {
        Ok(list) => list,
        Err(problem) => {
            sweep.problems.push(problem);
            return sweep;
        }
    };
    for subscription in subscriptions {
        let sink = subscription["sink"].as_str().unwrap_or_default();
        let id = subscription["id"]
            .as_str()
            .filter(|_| sink.starts_with(&base));
        let Some(id) = id else {
            sweep.others += 1;
            continue;
        };
        let url = format!("{}/{id}", collection.trim_end_matches('/'));
        match ctx.http.send(send("DELETE", url.clone())).await {
            Ok(exchange) if matches!(exchange.status, 202 | 204 | 404) => {
                sweep.deleted.push(id.to_owned());
            }
            Ok(exchange) => sweep.problems.push(format!(
                "leftover {id} was not deleted: DELETE {url} answered {}",
                exchange.status
            )),
            Err(e) => sweep.problems.push(format!(
                "leftover {id} was not deleted: DELETE {url} failed: {e}"
            )),
        }
    }
    sweep
}
