//! Step definitions in CAMARA's test-plan vocabulary, by phase: [`given`] builds the request,
//! [`when`] sends it, [`then`] checks the response.
//!
//! Every sentence is parsed by [`vocabulary`] into an [`Action`]; one dispatcher performs it,
//! whatever its keyword, because official plans write checks as `And` after a `When` (so they
//! arrive as When steps). [`generated`] sends property-based malformed requests and checks
//! every answer.

pub mod body_path;
mod compound;
mod generated;
mod given;
pub mod normalize;
pub(crate) mod prefetch;
mod shared;
mod subscriptions;
pub mod suggest;
mod then;
mod token;
pub mod vocabulary;
mod when;
mod world;

use std::sync::LazyLock;

use futures::future::LocalBoxFuture;
use regex::Regex;

pub use given::SUBSCRIPTION_DEVICE;
pub use subscriptions::{CREATE, PlanStep, is_item_operation};
pub use subscriptions::{
    Entry, Ledger, SubscriptionRun, SubscriptionStep, Sweep, clean_up, clean_up_within, sweep,
};
pub use vocabulary::{Action, AssertionChoice, TokenChoice};
pub use world::{Body, ReachabilityWorld, RunContext};

/// How a step ends when it does not pass. Raised as a panic payload (cucumber's way of
/// failing a step) and recognised by the runner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The target did not behave as the step requires.
    Failed(String),
    /// The scenario cannot run here: a testing asset is missing (the reason names the key).
    Skipped(String),
    /// Could not test: no usable answer came (transport failure, a token endpoint that
    /// refuses the configured client) or the step cannot be performed (unbound); this says
    /// nothing about conformance.
    Errored(String),
}

impl Verdict {
    /// A skip for a missing target-file key.
    pub fn missing(key: &str) -> Self {
        Verdict::Skipped(format!(
            "testing asset `{key}` is not configured in the target file"
        ))
    }

    /// A failure that shows what was expected and what came.
    pub fn expected(what: impl std::fmt::Display, actual: impl std::fmt::Display) -> Self {
        Verdict::Failed(format!("expected {what}\n  actual: {actual}"))
    }
}

/// The result of performing one step.
pub type StepResult = Result<(), Verdict>;

/// The step collection to give cucumber: one catch-all definition per keyword, so that every
/// step reaches [`dispatch`], which parses it once with the vocabulary and fails an unbound
/// or ambiguous sentence with the sentence shown (cucumber itself would skip an unmatched
/// step and try every pattern a second time).
pub fn collection() -> cucumber::step::Collection<ReachabilityWorld> {
    // An empty match at the start: every sentence matches without being read (cucumber
    // copies what the pattern matched for every step; `dispatch` parses the step itself).
    static ANY_SENTENCE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new("^").expect("a valid pattern"));
    let any = ANY_SENTENCE.clone();
    cucumber::step::Collection::new()
        .given(None, any.clone(), dispatch)
        .when(None, any.clone(), dispatch)
        .then(None, any, dispatch)
}

/// Parses the step's sentence and performs it; a verdict other than success is raised.
fn dispatch(world: &mut ReachabilityWorld, ctx: cucumber::step::Context) -> LocalBoxFuture<'_, ()> {
    Box::pin(async move {
        let step = &ctx.step;
        let understood = match &world.ctx {
            Some(run) => vocabulary::understand(
                &step.value,
                step.docstring.as_deref(),
                &run.target.phrasebook,
            ),
            None => {
                vocabulary::understand(&step.value, step.docstring.as_deref(), &Default::default())
            }
        };
        let problem = understood.problem();
        let outcome = match understood.action {
            Some(Ok(action)) => world.perform(action).await,
            _ => Err(Verdict::Errored(problem.unwrap_or_default())),
        };
        if let Err(verdict) = outcome {
            std::panic::panic_any(verdict);
        }
    })
}

impl ReachabilityWorld {
    /// Performs one understood step.
    ///
    /// A `When ... is sent` step does not send at once: the official plans shape the request
    /// after it (`And request property ... is ...`, `And the path parameter ... is set to
    /// ...`). The request goes out at the first step that does not shape it (a check, a
    /// wait, the next send), or at the end of the scenario; a step that shapes it after it
    /// went out is errored. A subscription a Given prepared is created first.
    pub async fn perform(&mut self, action: Action) -> StepResult {
        if self.ctx.is_none() {
            return Err(Verdict::Errored(
                "the scenario has no target attached".into(),
            ));
        }
        if action.shapes_request() {
            if let Some(operation) = &self.sent {
                return Err(Verdict::Errored(format!(
                    "this step changes the request of \"{operation}\" after it was sent (an \
                     earlier step needed its answer): move it before that step"
                )));
            }
        } else {
            self.send_pending().await?;
        }
        if action.is_check() {
            return self.check(&action);
        }
        match action {
            Action::Send(operation) => {
                self.pending = Some(operation);
                self.sent = None;
                Ok(())
            }
            Action::SimulateNetworkError => self.resend_with_network_error().await,
            Action::SendGenerated { count, kind } => self.send_generated(count, kind).await,
            Action::Every(check) => self.check_every(&check).await,
            Action::Subscription(step) => self.subscription_step(step).await,
            token @ (Action::ClientAssertion(_)
            | Action::RequestToken
            | Action::StartCiba
            | Action::PollCibaTwice) => self.token_step(token).await,
            other => self.set_up(other).await,
        }
    }
}
