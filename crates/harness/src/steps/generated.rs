//! Generated negative cases: property-based malformed inputs, sent as a batch, checked one
//! by one, and shrunk to the smallest input that still fails.
//!
//! `When 50 requests with a generated malformed phone number are sent` draws the inputs from
//! the kind's malformation classes in turn (so every class is tried at least once, whatever
//! the count; a class's one case is its exemplar where it has one, see `negative::draw`),
//! keeps only inputs the profile's built-in schema rejects (the harness never blames a
//! target for a valid input), and sends each one with the request built so far.
//! `Then every response status code is 400` applies the check after "every" to each answer;
//! on the first failing case it shrinks the input with proptest's `ValueTree` (simplify,
//! re-send, complicate when the simpler input passes), at most [`MAX_SHRINK_REQUESTS`]
//! requests, and reports the smallest failing input with the seed that reproduces it (a
//! fixed input, such as an exemplar, is reported as it is).

use super::vocabulary::Action;
use super::world::{Body, ReachabilityWorld};
use super::{StepResult, Verdict};
use crate::http::{Exchange, Request};
use crate::negative::{
    self, Batch, Case, Counterexample, GeneratedKind, Input, MAX_SHRINK_REQUESTS, OPERATION,
};

impl ReachabilityWorld {
    /// Generates `count` malformed inputs of `kind` (or the run's case count), each at
    /// least once per malformation class, and sends each with the request built so far.
    pub(crate) async fn send_generated(&mut self, count: usize, kind: GeneratedKind) -> StepResult {
        let ctx = self.context()?;
        let settings = ctx.generation;
        negative::announce(&settings);
        let body = match &self.body {
            Body::Json(body) => Some(body),
            _ => None,
        };
        let drawn = negative::draw(&settings, kind, ctx.target.profile, count, body)
            .map_err(Verdict::Errored)?;
        // Sent all at once: the run's HTTP client bounds how many are in flight, so a
        // remote target's latency is paid once per `concurrency` cases, not once per case.
        let requests = drawn
            .iter()
            .map(|(_, tree)| self.request_with(&tree.current()))
            .collect::<Result<Vec<_>, _>>()?;
        let answers = futures::future::join_all(
            requests
                .into_iter()
                .map(|r| ctx.shared.send(&ctx.http, r, &self.label)),
        )
        .await;
        let mut cases = Vec::with_capacity(drawn.len());
        for ((class, tree), answer) in drawn.into_iter().zip(answers) {
            let exchange = answer.map_err(|e| {
                Verdict::Errored(format!("the request got no usable response: {e}"))
            })?;
            self.exchanges.push(exchange.clone());
            cases.push(Case {
                class,
                tree,
                exchange,
            });
        }
        self.generated = Some(Batch {
            kind,
            settings,
            cases,
        });
        Ok(())
    }

    /// Applies `check` to the answer of every generated case; the first failure is shrunk.
    pub(crate) async fn check_every(&mut self, check: &Action) -> StepResult {
        let Some(mut batch) = self.generated.take() else {
            return Err(Verdict::Errored(
                "no generated requests were sent before this check: add e.g. `When 50 requests with a generated malformed phone number are sent`".into(),
            ));
        };
        let total = batch.cases.len();
        let failing = batch.cases.iter().enumerate().find_map(|(i, case)| {
            self.check_exchange(check, &case.exchange)
                .err()
                .map(|verdict| (i, verdict))
        });
        let outcome = match failing {
            None => Ok(()),
            Some((_, other @ (Verdict::Skipped(_) | Verdict::Errored(_)))) => Err(other),
            Some((i, Verdict::Failed(reason))) => {
                let kind = batch.kind;
                let case = &mut batch.cases[i];
                let original = case.tree.current();
                let smallest = self.shrink(check, kind, case, reason).await?;
                // The failure shows the last exchange: make it the smallest failing one, not
                // the last candidate shrinking tried.
                let shown = smallest.exchange.render();
                if let Some(at) = self.exchanges.iter().rposition(|e| e.render() == shown) {
                    let exchange = self.exchanges.remove(at);
                    self.exchanges.push(exchange);
                }
                let message = negative::failure_message(&batch, i, total, &original, &smallest);
                Err(Verdict::Failed(format!(
                    "{message}\nexchange of the smallest failing input:\n{}",
                    smallest.exchange.render()
                )))
            }
        };
        self.generated = Some(batch);
        outcome
    }

    /// The request built so far with `input` in place.
    fn request_with(&self, input: &Input) -> Result<Request, Verdict> {
        let mut request = self.request_for(OPERATION)?;
        match input {
            Input::Body(body) => request.body = Some(body.to_string().into_bytes()),
            Input::RawBody(text) => request.body = Some(text.clone().into_bytes()),
            Input::Correlator(value) => {
                request
                    .headers
                    .retain(|(n, _)| !n.eq_ignore_ascii_case("x-correlator"));
                request
                    .headers
                    .push(("x-correlator".to_owned(), value.clone()));
            }
        }
        Ok(request)
    }

    /// Sends the request built so far with `input` in place, and returns the exchange
    /// (also recorded with the scenario's exchanges).
    async fn send_input(&mut self, input: &Input) -> Result<Exchange, Verdict> {
        let request = self.request_with(input)?;
        let ctx = self.context()?;
        let exchange =
            ctx.http.send(request).await.map_err(|e| {
                Verdict::Errored(format!("the request got no usable response: {e}"))
            })?;
        self.exchanges.push(exchange.clone());
        Ok(exchange)
    }

    /// Runs `check` against one exchange, as if it were the last one.
    fn check_exchange(&self, check: &Action, exchange: &Exchange) -> StepResult {
        let view = ReachabilityWorld {
            ctx: self.ctx.clone(),
            exchanges: vec![exchange.clone()],
            ..ReachabilityWorld::default()
        };
        view.check(check)
    }

    /// Shrinks a failing case: simplify while the simpler input still fails `check`,
    /// complicate when it passes (or is no input of `kind`), until the tree is exhausted
    /// or [`MAX_SHRINK_REQUESTS`] requests were spent. Shrink requests are recorded like any
    /// other; the smallest failing one is quoted in the failure message.
    async fn shrink(
        &mut self,
        check: &Action,
        kind: GeneratedKind,
        case: &mut Case,
        reason: String,
    ) -> Result<Counterexample, Verdict> {
        let mut smallest = Counterexample {
            input: case.tree.current(),
            exchange: case.exchange.clone(),
            reason,
            requests: 0,
            fixed: false,
        };
        if !case.tree.simplify() {
            smallest.fixed = true;
            return Ok(smallest);
        }
        let mut requests = 0;
        while requests < MAX_SHRINK_REQUESTS {
            let candidate = case.tree.current();
            let mut failure = None;
            let profile = self.context()?.target.profile;
            if negative::is_invalid(profile, &candidate).map_err(Verdict::Errored)?
                == kind.breaks_schema()
            {
                requests += 1;
                let exchange = self.send_input(&candidate).await;
                if let Ok(exchange) = exchange
                    && let Err(Verdict::Failed(reason)) = self.check_exchange(check, &exchange)
                {
                    failure = Some((exchange, reason));
                }
            }
            let more = match failure {
                Some((exchange, reason)) => {
                    smallest = Counterexample {
                        input: candidate,
                        exchange,
                        reason,
                        requests,
                        fixed: false,
                    };
                    case.tree.simplify()
                }
                None => case.tree.complicate(),
            };
            if !more {
                break;
            }
        }
        Ok(smallest)
    }
}
