//! Tokens fetched as the run begins: the flows that make a chain of requests (CIBA:
//! `bc-authorize`, then polls) start before the first scenario, in parallel with the rest,
//! instead of when a scenario first asks for the token. The scenarios then await the same
//! token from the run's cache, so nothing is fetched twice.

use std::sync::Arc;

use tokio::task::JoinHandle;

use super::vocabulary::{Action, TokenChoice};
use super::world::RunContext;
use crate::oauth::TokenKind;

/// The kind of token a step's token choice asks the run's cache for (`None`: a literal the
/// step writes itself, no token is fetched).
pub(crate) fn token_kind(choice: TokenChoice) -> Option<TokenKind> {
    match choice {
        TokenChoice::Malformed | TokenChoice::Unissued => None,
        TokenChoice::Valid | TokenChoice::WrongScheme => Some(TokenKind::Valid),
        TokenChoice::DeviceBound | TokenChoice::BoundToAnotherDevice => {
            Some(TokenKind::DeviceBound)
        }
        TokenChoice::Expired => Some(TokenKind::Expired),
        TokenChoice::Revoked => Some(TokenKind::Revoked),
        TokenChoice::WithoutScope => Some(TokenKind::WithoutScope),
    }
}

/// The tokens worth fetching before the scenarios start among those `actions` ask for: the
/// device-bound token, whose CIBA flow is the longest chain of a run.
pub(crate) fn worth_prefetching<'a>(
    actions: impl IntoIterator<Item = &'a Action>,
) -> Vec<TokenKind> {
    let mut kinds = Vec::new();
    for action in actions {
        if let Action::SetToken(choice) = action
            && let Some(kind @ TokenKind::DeviceBound) = token_kind(*choice)
            && !kinds.contains(&kind)
        {
            kinds.push(kind);
        }
    }
    kinds
}

/// Fetches started ahead; dropping it aborts those still running (a flow no scenario
/// awaited must not outlive its run, even when the run itself is dropped).
pub(crate) struct Prefetched(Vec<JoinHandle<()>>);

impl Drop for Prefetched {
    fn drop(&mut self) {
        for flow in &self.0 {
            flow.abort();
        }
    }
}

/// Starts fetching `kinds` into the run's token cache; keep the result for the run's length.
pub(crate) fn start(ctx: &Arc<RunContext>, kinds: &[TokenKind]) -> Prefetched {
    Prefetched(
        kinds
            .iter()
            .map(|&kind| {
                let ctx = Arc::clone(ctx);
                // The outcome lands in the cache; the scenario that needs it reports an error.
                tokio::spawn(async move {
                    let _ = ctx.tokens.token(kind).await;
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_device_bound_token_is_fetched_ahead_and_once() {
        let actions = [
            Action::SetToken(TokenChoice::Valid),
            Action::SetToken(TokenChoice::BoundToAnotherDevice),
            Action::SetToken(TokenChoice::Revoked),
            Action::SetToken(TokenChoice::DeviceBound),
        ];
        assert_eq!(worth_prefetching(&actions), [TokenKind::DeviceBound]);
        assert!(worth_prefetching(&actions[..1]).is_empty());
        assert!(worth_prefetching(&[]).is_empty());
    }

    #[test]
    fn literal_tokens_fetch_nothing() {
        assert_eq!(token_kind(TokenChoice::Malformed), None);
        assert_eq!(token_kind(TokenChoice::Unissued), None);
        assert_eq!(token_kind(TokenChoice::WrongScheme), Some(TokenKind::Valid));
        assert_eq!(
            token_kind(TokenChoice::BoundToAnotherDevice),
            Some(TokenKind::DeviceBound)
        );
    }
}
