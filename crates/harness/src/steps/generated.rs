//! Generated negative cases: property-based malformed inputs, sent as a batch, checked one
//! by one, and shrunk to the smallest input that still fails.
//!
//! `When 50 requests with a generated malformed phone number are sent` draws the inputs from
//! the kind's malformation classes in turn (so every class is tried at least once, whatever
//! the count), keeps only inputs the profile's built-in schema rejects (the harness never
//! blames a target for a valid input), and sends each one with the request built so far.
//! `Then every response status code is 400` applies the check after "every" to each answer;
//! on the first failing case it shrinks the input with proptest's `ValueTree` (simplify,
//! re-send, complicate when the simpler input passes), at most [`MAX_SHRINK_REQUESTS`]
//! requests, and reports the smallest failing input with the seed that reproduces it.

mod strategies;

use std::sync::OnceLock;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;

use super::vocabulary::Action;
use super::world::ReachabilityWorld;
use super::{StepResult, Verdict};
use crate::http::{Exchange, Request};
use crate::schema::{SchemaError, SchemaSet, X_CORRELATOR_POINTER};
use strategies::{Class, Input};

/// Environment variable that sets the seed of the generated inputs.
pub const SEED_ENV: &str = "RC_SEED";
/// Environment variable that replaces the case count written in the steps.
pub const CASES_ENV: &str = "RC_GENERATED_CASES";
/// Most cases one step may generate.
pub const MAX_CASES: usize = 1000;
/// Most requests spent shrinking one failing input.
pub const MAX_SHRINK_REQUESTS: usize = 64;
/// Most draws for one case before the generator is declared broken (each draw that the
/// schema accepts is thrown away).
const MAX_DRAWS_PER_CASE: usize = 20;
/// The operation generated requests are sent to.
const OPERATION: &str = "getReachabilityStatus";
/// The schema every generated body must break.
const REQUEST_POINTER: &str = "#/components/schemas/RequestReachabilityStatus";

/// What a generated input breaks, as the step names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GeneratedKind {
    /// `device.phoneNumber` breaks the E.164 pattern.
    PhoneNumber,
    /// `device` holds no identifier, or a malformed IP address or port.
    DeviceObject,
    /// A part of the body has the wrong JSON type.
    JsonTypes,
    /// The `x-correlator` header breaks its pattern.
    Correlator,
}

impl GeneratedKind {
    /// Every kind.
    pub const ALL: [GeneratedKind; 4] = [
        GeneratedKind::PhoneNumber,
        GeneratedKind::DeviceObject,
        GeneratedKind::JsonTypes,
        GeneratedKind::Correlator,
    ];

    /// The words of the step: `... with a generated <phrase> are sent`.
    pub fn phrase(self) -> &'static str {
        match self {
            GeneratedKind::PhoneNumber => "malformed phone number",
            GeneratedKind::DeviceObject => "malformed device object",
            GeneratedKind::JsonTypes => "body of wrong JSON types",
            GeneratedKind::Correlator => "malformed x-correlator",
        }
    }

    /// The kind named by `phrase`.
    pub fn from_phrase(phrase: &str) -> Option<GeneratedKind> {
        GeneratedKind::ALL
            .into_iter()
            .find(|k| k.phrase() == phrase)
    }

    /// Distinguishes the random streams of the kinds under one seed.
    fn stream(self) -> u8 {
        match self {
            GeneratedKind::PhoneNumber => 1,
            GeneratedKind::DeviceObject => 2,
            GeneratedKind::JsonTypes => 3,
            GeneratedKind::Correlator => 4,
        }
    }
}

/// How this process generates inputs: the seed, and the count that replaces the steps' own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenerationSettings {
    /// The seed of every batch (each kind draws its own stream from it).
    pub seed: u64,
    /// Whether the seed came from [`SEED_ENV`] rather than being drawn at random.
    pub seed_from_env: bool,
    /// The count from [`CASES_ENV`], if set.
    pub cases: Option<usize>,
}

impl GenerationSettings {
    /// Settings from the values of [`SEED_ENV`] and [`CASES_ENV`]; a missing seed is
    /// drawn at random.
    pub fn from_values(seed: Option<&str>, cases: Option<&str>) -> Result<Self, String> {
        let (seed, seed_from_env) = match seed {
            Some(text) => (
                text.trim().parse::<u64>().map_err(|_| {
                    format!("{SEED_ENV}={text:?} is not a seed: give a whole number from 0 to {}, as printed by an earlier run", u64::MAX)
                })?,
                true,
            ),
            None => (uuid::Uuid::new_v4().as_u64_pair().0, false),
        };
        let cases = cases
            .map(|text| {
                text.trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=MAX_CASES).contains(n))
                    .ok_or_else(|| {
                        format!("{CASES_ENV}={text:?} is not a case count: give a whole number from 1 to {MAX_CASES}")
                    })
            })
            .transpose()?;
        Ok(Self {
            seed,
            seed_from_env,
            cases,
        })
    }

    /// How to reproduce a run with these settings, e.g. `RC_SEED=42 RC_GENERATED_CASES=10`.
    pub fn reproduce(&self) -> String {
        match self.cases {
            Some(cases) => format!("{SEED_ENV}={} {CASES_ENV}={cases}", self.seed),
            None => format!("{SEED_ENV}={}", self.seed),
        }
    }
}

/// The settings of this process, read from the environment once. The first call prints
/// the seed on standard error, so that any run can be reproduced.
pub fn generation_settings() -> Result<GenerationSettings, String> {
    settings_once(None)
}

/// Like [`generation_settings`], but when this is the first call and [`CASES_ENV`] is not
/// set, every step generates `cases` cases (at least one per malformation class) instead of
/// its own count. The fault matrix uses it to run one case per class.
pub fn generation_settings_or(cases: usize) -> Result<GenerationSettings, String> {
    settings_once(Some(cases))
}

fn settings_once(default_cases: Option<usize>) -> Result<GenerationSettings, String> {
    static SETTINGS: OnceLock<Result<GenerationSettings, String>> = OnceLock::new();
    SETTINGS
        .get_or_init(|| {
            let seed = std::env::var(SEED_ENV).ok();
            let cases = std::env::var(CASES_ENV).ok();
            let mut settings = GenerationSettings::from_values(seed.as_deref(), cases.as_deref());
            if let Ok(s) = &mut settings {
                s.cases = s.cases.or(default_cases);
                eprintln!(
                    "note: generated negative cases use {} ({SEED_ENV} reproduces them)",
                    s.reproduce()
                );
            }
            settings
        })
        .clone()
}

/// The cases of the last generated step of a scenario.
pub(crate) struct Batch {
    kind: GeneratedKind,
    settings: GenerationSettings,
    cases: Vec<Case>,
}

/// One generated input, its shrinkable tree, and the answer it got.
struct Case {
    class: &'static str,
    tree: Box<dyn ValueTree<Value = Input>>,
    exchange: Exchange,
}

/// The smallest failing input found, its answer and why it fails.
struct Counterexample {
    input: Input,
    exchange: Exchange,
    reason: String,
    requests: usize,
}

impl ReachabilityWorld {
    /// Generates `count` malformed inputs of `kind` (or [`CASES_ENV`]'s count), each at
    /// least once per malformation class, and sends each with the request built so far.
    pub(crate) async fn send_generated(&mut self, count: usize, kind: GeneratedKind) -> StepResult {
        let settings = generation_settings().map_err(Verdict::Errored)?;
        let classes = strategies::classes(kind);
        let count = settings.cases.unwrap_or(count).max(classes.len());
        let mut runner = runner(settings.seed, kind);
        let mut drawn = Vec::with_capacity(count);
        for i in 0..count {
            let class = &classes[i % classes.len()];
            drawn.push((class.name, self.draw_invalid(class, &mut runner)?));
        }
        // Sent all at once: the run's HTTP client bounds how many are in flight, so a
        // remote target's latency is paid once per `concurrency` cases, not once per case.
        let ctx = self.context()?;
        let requests = drawn
            .iter()
            .map(|(_, tree)| self.request_with(&tree.current()))
            .collect::<Result<Vec<_>, _>>()?;
        let answers =
            futures::future::join_all(requests.into_iter().map(|r| ctx.http.send(r))).await;
        let mut cases = Vec::with_capacity(count);
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
                let case = &mut batch.cases[i];
                let original = case.tree.current();
                let smallest = self.shrink(check, case, reason).await?;
                // The failure shows the last exchange: make it the smallest failing one, not
                // the last candidate shrinking tried.
                let shown = smallest.exchange.render();
                if let Some(at) = self.exchanges.iter().rposition(|e| e.render() == shown) {
                    let exchange = self.exchanges.remove(at);
                    self.exchanges.push(exchange);
                }
                let message = failure_message(&batch, i, total, &original, &smallest);
                Err(Verdict::Failed(format!(
                    "{message}\nexchange of the smallest failing input:\n{}",
                    smallest.exchange.render()
                )))
            }
        };
        self.generated = Some(batch);
        outcome
    }

    /// A tree of `class` whose value the schema rejects.
    fn draw_invalid(
        &self,
        class: &Class,
        runner: &mut TestRunner,
    ) -> Result<Box<dyn ValueTree<Value = Input>>, Verdict> {
        for _ in 0..MAX_DRAWS_PER_CASE {
            let tree = class
                .strategy
                .new_tree(runner)
                .map_err(|e| Verdict::Errored(format!("cannot generate {}: {e}", class.name)))?;
            if self.is_invalid(&tree.current())? {
                return Ok(Box::new(tree));
            }
        }
        Err(Verdict::Errored(format!(
            "the generator of inputs with {} produced only inputs the schema accepts; this is a harness bug",
            class.name
        )))
    }

    /// Whether the built-in schema of the target's profile rejects `input` (only such
    /// inputs are sent, whatever `--spec` says).
    fn is_invalid(&self, input: &Input) -> Result<bool, Verdict> {
        let schemas = SchemaSet::builtin(self.context()?.target.profile);
        let checked = match input {
            Input::Body(body) => schemas.validate(REQUEST_POINTER, body),
            Input::Correlator(value) => {
                schemas.validate(X_CORRELATOR_POINTER, &Value::String(value.clone()))
            }
        };
        match checked {
            Ok(()) => Ok(false),
            Err(SchemaError::Violations { .. }) => Ok(true),
            Err(e) => Err(Verdict::Errored(format!(
                "generated inputs cannot be checked against the schema: {e}"
            ))),
        }
    }

    /// The request built so far with `input` in place.
    fn request_with(&self, input: &Input) -> Result<Request, Verdict> {
        let mut request = self.request_for(OPERATION)?;
        match input {
            Input::Body(body) => request.body = Some(body.to_string().into_bytes()),
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
    /// complicate when it passes (or the schema accepts it), until the tree is exhausted
    /// or [`MAX_SHRINK_REQUESTS`] requests were spent. Shrink requests are recorded like any
    /// other; the smallest failing one is quoted in the failure message.
    async fn shrink(
        &mut self,
        check: &Action,
        case: &mut Case,
        reason: String,
    ) -> Result<Counterexample, Verdict> {
        let mut smallest = Counterexample {
            input: case.tree.current(),
            exchange: case.exchange.clone(),
            reason,
            requests: 0,
        };
        if !case.tree.simplify() {
            return Ok(smallest);
        }
        let mut requests = 0;
        while requests < MAX_SHRINK_REQUESTS {
            let candidate = case.tree.current();
            let mut failure = None;
            if self.is_invalid(&candidate)? {
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

/// A runner whose random stream depends only on the seed and the kind, so that a batch
/// does not depend on which scenarios ran before it.
fn runner(seed: u64, kind: GeneratedKind) -> TestRunner {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8] = kind.stream();
    TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    )
}

/// An input as a person reads it.
fn show(input: &Input) -> String {
    match input {
        Input::Body(body) => format!("body {body}"),
        Input::Correlator(value) => format!("x-correlator: {value}"),
    }
}

fn failure_message(
    batch: &Batch,
    index: usize,
    total: usize,
    original: &Input,
    smallest: &Counterexample,
) -> String {
    let case = &batch.cases[index];
    let shrunk = if smallest.input == *original {
        "no smaller input fails".to_owned()
    } else {
        format!(
            "shrunk from {} in {} request(s)",
            show(original),
            smallest.requests
        )
    };
    format!(
        "generated case {} of {total} ({}: {}) failed:\n{}\nsmallest failing input: {} ({shrunk})\nreproduce: {} reachability-conformance run --tags <this scenario's id> (same target)",
        index + 1,
        batch.kind.phrase(),
        case.class,
        smallest.reason,
        show(&smallest.input),
        batch.settings.reproduce(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_come_from_the_environment_values() {
        let set = GenerationSettings::from_values(Some("42"), Some("7")).unwrap();
        assert_eq!(
            set,
            GenerationSettings {
                seed: 42,
                seed_from_env: true,
                cases: Some(7)
            }
        );
        assert_eq!(set.reproduce(), "RC_SEED=42 RC_GENERATED_CASES=7");
        let drawn = GenerationSettings::from_values(None, None).unwrap();
        assert!(!drawn.seed_from_env && drawn.cases.is_none());
        assert_eq!(drawn.reproduce(), format!("RC_SEED={}", drawn.seed));
    }

    #[test]
    fn bad_settings_say_what_to_give() {
        assert_eq!(
            GenerationSettings::from_values(Some("abc"), None).unwrap_err(),
            "RC_SEED=\"abc\" is not a seed: give a whole number from 0 to 18446744073709551615, as printed by an earlier run"
        );
        for bad in ["0", "1001", "-3", "many"] {
            assert_eq!(
                GenerationSettings::from_values(Some("1"), Some(bad)).unwrap_err(),
                format!(
                    "RC_GENERATED_CASES={bad:?} is not a case count: give a whole number from 1 to 1000"
                )
            );
        }
    }

    #[test]
    fn kinds_round_trip_through_their_phrase() {
        for kind in GeneratedKind::ALL {
            assert_eq!(GeneratedKind::from_phrase(kind.phrase()), Some(kind));
        }
        assert_eq!(GeneratedKind::from_phrase("malformed moon"), None);
    }

    #[test]
    fn the_same_seed_draws_the_same_inputs() {
        let draw = |seed| {
            let mut runner = runner(seed, GeneratedKind::PhoneNumber);
            strategies::classes(GeneratedKind::PhoneNumber)
                .iter()
                .map(|c| c.strategy.new_tree(&mut runner).unwrap().current())
                .collect::<Vec<_>>()
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
    }
}
