//! The negative-case engine: property-based malformed inputs of the request, drawn from
//! each kind's malformation classes with a seeded random stream, kept only when the
//! profile's built-in schema rejects them, and shrunk with proptest's `ValueTree`.
//!
//! It knows requests, schemas and exchanges, not the cucumber world: the steps that send
//! the cases and check their answers are in `steps::generated`.

mod depth;
mod strategies;

use std::sync::{Arc, Mutex, Once, PoisonError};

use proptest::strategy::{Just, Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;

use crate::Profile;
use crate::http::Exchange;
use crate::schema::{BrokenBody, Requirement, RequirementKind, SchemaSet, X_CORRELATOR_POINTER};
pub use depth::{Depth, STANDARD_SAMPLE};
use strategies::Class;
pub(crate) use strategies::Input;

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
pub(crate) const OPERATION: &str = "getReachabilityStatus";
/// The schema every generated body must break.
pub(crate) const REQUEST_POINTER: &str = "#/components/schemas/RequestReachabilityStatus";

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
    /// The `x-correlator` header is long or odd but legal: a value camara-v1's pattern
    /// refuses, sent where the header is a plain string (orange-lab-v0, after v0.6.0).
    UnusualCorrelator,
    /// The body breaks one requirement of the request schema, derived from the schema:
    /// one case per requirement.
    RequestRequirements,
}

impl GeneratedKind {
    /// Every kind.
    pub const ALL: [GeneratedKind; 6] = [
        GeneratedKind::PhoneNumber,
        GeneratedKind::DeviceObject,
        GeneratedKind::JsonTypes,
        GeneratedKind::Correlator,
        GeneratedKind::UnusualCorrelator,
        GeneratedKind::RequestRequirements,
    ];

    /// The words of the step: `... with a generated <phrase> are sent`.
    pub fn phrase(self) -> &'static str {
        match self {
            GeneratedKind::PhoneNumber => "malformed phone number",
            GeneratedKind::DeviceObject => "malformed device object",
            GeneratedKind::JsonTypes => "body of wrong JSON types",
            GeneratedKind::Correlator => "malformed x-correlator",
            GeneratedKind::UnusualCorrelator => "unusual but legal x-correlator",
            GeneratedKind::RequestRequirements => {
                "body breaking one requirement of the request schema"
            }
        }
    }

    /// The kinds a step sends a count of (`N requests with a generated <phrase> are
    /// sent`); the request requirements have a sentence of their own, one case each.
    pub fn counted() -> impl Iterator<Item = GeneratedKind> {
        GeneratedKind::ALL
            .into_iter()
            .filter(|k| *k != GeneratedKind::RequestRequirements)
    }

    /// The counted kind named by `phrase`.
    pub fn from_phrase(phrase: &str) -> Option<GeneratedKind> {
        GeneratedKind::counted().find(|k| k.phrase() == phrase)
    }

    /// Distinguishes the random streams of the kinds under one seed.
    fn stream(self) -> u8 {
        match self {
            GeneratedKind::PhoneNumber => 1,
            GeneratedKind::DeviceObject => 2,
            GeneratedKind::JsonTypes => 3,
            GeneratedKind::Correlator => 4,
            GeneratedKind::UnusualCorrelator => 5,
            GeneratedKind::RequestRequirements => 6,
        }
    }

    /// Whether the kind's inputs must break the schema (negative cases) rather than comply
    /// with it (legal inputs a target must serve).
    pub fn breaks_schema(self) -> bool {
        self != GeneratedKind::UnusualCorrelator
    }
}

/// How this process generates inputs: the seed, the depth, and the count that replaces
/// the depth's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenerationSettings {
    /// The seed of every batch (each kind draws its own stream from it).
    pub seed: u64,
    /// Whether the seed came from [`SEED_ENV`] rather than being drawn at random.
    pub seed_from_env: bool,
    /// The count from [`CASES_ENV`], if set: it replaces what the depth gives.
    pub cases: Option<usize>,
    /// How many cases a step sends when [`CASES_ENV`] is not set.
    pub depth: Depth,
}

impl GenerationSettings {
    /// A seed drawn at random, at the default depth.
    pub fn drawn() -> Self {
        Self {
            seed: uuid::Uuid::new_v4().as_u64_pair().0,
            seed_from_env: false,
            cases: None,
            depth: Depth::default(),
        }
    }

    /// How many cases a step of `kind` sends that writes `written`, for the built-in
    /// schema of `profile` (the request requirements give one case per requirement).
    pub fn cases_of(&self, kind: GeneratedKind, profile: Profile, written: usize) -> usize {
        if kind == GeneratedKind::RequestRequirements {
            return requirement_count(profile);
        }
        let classes = class_count(kind, profile);
        match self.cases {
            Some(cases) => cases.max(classes),
            None => self.depth.cases(classes, written),
        }
    }

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
            None => (Self::drawn().seed, false),
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
            depth: Depth::default(),
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

/// The cases of the last generated step of a scenario.
pub(crate) struct Batch {
    pub(crate) kind: GeneratedKind,
    pub(crate) settings: GenerationSettings,
    pub(crate) cases: Vec<Case>,
}

/// One generated input, its shrinkable tree, and the answer it got.
pub(crate) struct Case {
    pub(crate) class: String,
    pub(crate) tree: Box<dyn ValueTree<Value = Input>>,
    pub(crate) exchange: Exchange,
}

/// The smallest failing input found, its answer and why it fails.
pub(crate) struct Counterexample {
    pub(crate) input: Input,
    pub(crate) exchange: Exchange,
    pub(crate) reason: String,
    pub(crate) requests: usize,
    /// Whether the input could not be simplified at all (a fixed input, e.g. an exemplar).
    pub(crate) fixed: bool,
}

/// The first time generated cases are sent in this process, says on standard error which
/// settings reproduce them.
pub(crate) fn announce(settings: &GenerationSettings) {
    static NOTE: Once = Once::new();
    NOTE.call_once(|| {
        eprintln!(
            "note: generated negative cases use {} ({SEED_ENV} reproduces them)",
            settings.reproduce()
        );
    });
}

/// Draws the cases of one generated step that writes `written` cases: as many inputs of
/// `kind` as the settings give ([`GenerationSettings::cases_of`]), first one per class so
/// that each is tried (its exemplar where it has one, see [`first_case`]), then classes
/// drawn at random from the seeded stream; each one
/// rejected by the built-in schema of `profile` (or, for a kind that does not break the
/// schema, accepted). The request requirements give one case per requirement of the
/// schema, each breaking `body` in that one way.
pub(crate) fn draw(
    settings: &GenerationSettings,
    kind: GeneratedKind,
    profile: Profile,
    written: usize,
    body: Option<&Value>,
) -> Result<Vec<(String, Tree)>, String> {
    let classes = match kind {
        GeneratedKind::RequestRequirements => {
            Arc::new(requirement_classes(settings, profile, body)?)
        }
        _ => classes(kind, profile)?,
    };
    let count = settings.cases_of(kind, profile, written);
    let mut runner = runner(settings.seed, kind);
    (0..count)
        .map(|i| {
            let (class, tree) = match classes.get(i) {
                Some(class) => (class, first_case(kind, profile, class, &mut runner)?),
                None => {
                    let class = &classes[pick(&mut runner, classes.len())?];
                    (class, draw_one(kind, profile, class, &mut runner)?)
                }
            };
            Ok((class.name.clone(), tree))
        })
        .collect()
}

/// The case a batch sends for `class` as its one per class: the class's exemplar when the
/// schema of `profile` treats it as the kind requires (the hand-written example scenario
/// that sends it then shares its exchange), else one drawn from the seeded stream.
fn first_case(
    kind: GeneratedKind,
    profile: Profile,
    class: &Class,
    runner: &mut TestRunner,
) -> Result<Tree, String> {
    if let Some(exemplar) = &class.exemplar
        && is_invalid(profile, exemplar)? == kind.breaks_schema()
    {
        return Ok(Box::new(Just(exemplar.clone())));
    }
    draw_one(kind, profile, class, runner)
}

/// An index below `len` drawn from the seeded stream of `runner`.
fn pick(runner: &mut TestRunner, len: usize) -> Result<usize, String> {
    (0..len)
        .new_tree(runner)
        .map(|tree| tree.current())
        .map_err(|e| format!("cannot draw a malformation class: {e}"))
}

/// How many malformation classes `kind` has for `profile` (a profile whose OAS gives no
/// rule for `kind` has none).
fn class_count(kind: GeneratedKind, profile: Profile) -> usize {
    classes(kind, profile).map_or(0, |classes| classes.len())
}

/// The malformation classes of `kind` for `profile`, built once per kind, profile and
/// process (building them compiles the generators' regular expressions).
fn classes(kind: GeneratedKind, profile: Profile) -> Result<Arc<Vec<Class>>, String> {
    type Built = Result<Arc<Vec<Class>>, String>;
    static BUILT: Mutex<Vec<((GeneratedKind, Profile), Built)>> = Mutex::new(Vec::new());
    let mut built = BUILT.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, classes)) = built.iter().find(|(key, _)| *key == (kind, profile)) {
        return classes.clone();
    }
    let classes = strategies::classes(kind, profile).map(Arc::new);
    built.push(((kind, profile), classes.clone()));
    classes
}

/// How many requirements of the built-in request schema of `profile` a body can break
/// alone: the cases of the request-requirements step.
fn requirement_count(profile: Profile) -> usize {
    builtin_requirements(profile).map_or(0, |requirements| {
        requirements
            .iter()
            .filter(|r| matches!(r.kind, RequirementKind::Body(_)))
            .count()
    })
}

/// The requirements of the built-in request schema of `profile`, derived once per profile
/// and process (deriving them checks many candidate bodies against the schema).
fn builtin_requirements(profile: Profile) -> Result<Vec<Requirement>, String> {
    type Derived = Result<Vec<Requirement>, String>;
    static DERIVED: Mutex<Vec<(Profile, Derived)>> = Mutex::new(Vec::new());
    let mut derived = DERIVED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, requirements)) = derived.iter().find(|(p, _)| *p == profile) {
        return requirements.clone();
    }
    let requirements = SchemaSet::builtin(profile)
        .requirements(OPERATION, REQUEST_POINTER)
        .map_err(|e| format!("the request requirements cannot be derived: {e}"));
    derived.push((profile, requirements.clone()));
    requirements
}

/// One class per requirement of the built-in request schema of `profile`: `body` (the
/// request body built so far), broken in that one way. A requirement no change can break
/// alone is a harness bug (the coverage test rules it out).
///
/// Where the first case of a class of the body kinds ([`BODY_KINDS`], drawn with the same
/// `settings`) breaks the schema in exactly the places the requirement's own change does,
/// that case stands for the requirement instead: it breaks the requirement alone, and the
/// request is then the same as the generated scenario's, so the run sends it once (the
/// scenarios share the exchange, see `steps::shared`). Each drawn case stands for one
/// requirement at most.
fn requirement_classes(
    settings: &GenerationSettings,
    profile: Profile,
    body: Option<&Value>,
) -> Result<Vec<Class>, String> {
    let requirements = builtin_requirements(profile)?;
    let Some(base) = body else {
        return Err("no valid request body to break: set one first, e.g. `Given the request body is set by default to a request body compliant with the schema \"#/components/schemas/RequestReachabilityStatus\"`".into());
    };
    let mut drawn = first_body_cases(settings, profile)?;
    let mut classes = Vec::new();
    for requirement in requirements {
        let RequirementKind::Body(found) = requirement.kind else {
            continue;
        };
        let broken = found.ok_or_else(|| {
            format!(
                "no request breaks \"{}\" alone; this is a harness bug",
                requirement.id
            )
        })?;
        let input = match broken.apply(base) {
            BrokenBody::Json(body) => {
                let places = violation_places(profile, &body)?;
                match drawn.iter().position(|(p, _)| *p == places) {
                    Some(at) => drawn.swap_remove(at).1,
                    None => Input::Body(body),
                }
            }
            BrokenBody::Raw(text) => Input::RawBody(text),
        };
        classes.push(strategies::class(&requirement.id, Just(input)));
    }
    Ok(classes)
}

/// The kinds whose inputs are whole request bodies.
const BODY_KINDS: [GeneratedKind; 3] = [
    GeneratedKind::PhoneNumber,
    GeneratedKind::DeviceObject,
    GeneratedKind::JsonTypes,
];

/// The first case of each class of the [`BODY_KINDS`] that apply to `profile`, as a
/// generated step draws them with `settings` (the first cases do not depend on the
/// step's count), each with the places it breaks the schema.
fn first_body_cases(
    settings: &GenerationSettings,
    profile: Profile,
) -> Result<Vec<(Vec<String>, Input)>, String> {
    let mut cases = Vec::new();
    for kind in BODY_KINDS {
        let Ok(classes) = classes(kind, profile) else {
            continue;
        };
        // A kind whose generator fails here fails its own step too: nothing to share.
        let mut runner = runner(settings.seed, kind);
        let Ok(inputs) = classes
            .iter()
            .map(|class| first_case(kind, profile, class, &mut runner).map(|tree| tree.current()))
            .collect::<Result<Vec<_>, _>>()
        else {
            continue;
        };
        for input in inputs {
            if let Input::Body(body) = &input {
                cases.push((violation_places(profile, body)?, input));
            }
        }
    }
    Ok(cases)
}

/// Where `body` breaks the built-in request schema of `profile`.
fn violation_places(profile: Profile, body: &Value) -> Result<Vec<String>, String> {
    SchemaSet::builtin(profile)
        .violation_places(REQUEST_POINTER, body)
        .map_err(|e| format!("generated inputs cannot be checked against the schema: {e}"))
}

/// A shrinkable generated input.
pub(crate) type Tree = Box<dyn ValueTree<Value = Input>>;

/// A tree of `class` whose value the schema rejects (or, for a kind that does not break
/// the schema, accepts).
fn draw_one(
    kind: GeneratedKind,
    profile: Profile,
    class: &Class,
    runner: &mut TestRunner,
) -> Result<Tree, String> {
    for _ in 0..MAX_DRAWS_PER_CASE {
        let tree = class
            .strategy
            .new_tree(runner)
            .map_err(|e| format!("cannot generate {}: {e}", class.name))?;
        if is_invalid(profile, &tree.current())? == kind.breaks_schema() {
            return Ok(Box::new(tree));
        }
    }
    let (wanted, got) = if kind.breaks_schema() {
        ("break", "accepts")
    } else {
        ("comply with", "rejects")
    };
    Err(format!(
        "the generator of inputs with {} must {wanted} the {profile} schema, but produced only inputs it {got}: use this step with a profile whose schema it fits, or report a harness bug",
        class.name
    ))
}

/// Whether the built-in schema of `profile` rejects `input` (only such inputs are sent,
/// whatever `--spec` says).
pub(crate) fn is_invalid(profile: Profile, input: &Input) -> Result<bool, String> {
    let schemas = SchemaSet::builtin(profile);
    let accepted = match input {
        Input::RawBody(text) => return Ok(serde_json::from_str::<Value>(text).is_err()),
        Input::Body(body) => schemas.accepts(REQUEST_POINTER, body),
        Input::Correlator(value) => {
            schemas.accepts(X_CORRELATOR_POINTER, &Value::String(value.clone()))
        }
    };
    accepted
        .map(|accepted| !accepted)
        .map_err(|e| format!("generated inputs cannot be checked against the schema: {e}"))
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
        Input::RawBody(text) => format!("raw body {text:?}"),
        Input::Correlator(value) => format!("x-correlator: {value}"),
    }
}

pub(crate) fn failure_message(
    batch: &Batch,
    index: usize,
    total: usize,
    original: &Input,
    smallest: &Counterexample,
) -> String {
    let case = &batch.cases[index];
    let shrunk = if smallest.input != *original {
        format!(
            "shrunk from {} in {} request(s)",
            show(original),
            smallest.requests
        )
    } else if smallest.fixed {
        "a fixed input of its class, not shrunk".to_owned()
    } else {
        "no smaller input fails".to_owned()
    };
    format!(
        "generated case {} of {total} ({}: {}) failed:\n{}\nsmallest failing input: {} ({shrunk})\nreproduce: {} reachability-conformance run --depth {} --tags <this scenario's id> (same target)",
        index + 1,
        batch.kind.phrase(),
        case.class,
        smallest.reason,
        show(&smallest.input),
        batch.settings.reproduce(),
        batch.settings.depth,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Api;

    #[test]
    fn settings_come_from_the_environment_values() {
        let set = GenerationSettings::from_values(Some("42"), Some("7")).unwrap();
        assert_eq!(
            set,
            GenerationSettings {
                seed: 42,
                seed_from_env: true,
                cases: Some(7),
                depth: Depth::Standard,
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
        for kind in GeneratedKind::counted() {
            assert_eq!(GeneratedKind::from_phrase(kind.phrase()), Some(kind));
        }
        let own_sentence = GeneratedKind::RequestRequirements;
        assert_eq!(GeneratedKind::from_phrase(own_sentence.phrase()), None);
        assert_eq!(GeneratedKind::from_phrase("malformed moon"), None);
    }

    #[test]
    fn the_same_seed_draws_the_same_inputs() {
        let draw = |seed| {
            let mut runner = runner(seed, GeneratedKind::PhoneNumber);
            strategies::classes(GeneratedKind::PhoneNumber, Api::CamaraV1.current())
                .unwrap()
                .iter()
                .map(|c| c.strategy.new_tree(&mut runner).unwrap().current())
                .collect::<Vec<_>>()
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
    }

    /// The body the embedded features set by default (a device by phone number).
    fn base_body() -> Value {
        serde_json::json!({"device": {"phoneNumber": "+33699901031"}})
    }

    #[test]
    fn every_requirement_break_breaks_the_schema_in_one_place() {
        for profile in Profile::status_profiles() {
            for requirement in builtin_requirements(profile).unwrap() {
                let RequirementKind::Body(Some(broken)) = requirement.kind else {
                    continue;
                };
                if let BrokenBody::Json(body) = broken.apply(&base_body()) {
                    let places = violation_places(profile, &body).unwrap();
                    assert_eq!(
                        places.len(),
                        1,
                        "{profile} {}: {body} breaks {places:?}",
                        requirement.id
                    );
                }
            }
        }
    }

    #[test]
    fn requirement_cases_are_the_generated_first_cases_that_break_the_same_place() {
        let settings = GenerationSettings {
            seed: 5,
            ..GenerationSettings::drawn()
        };
        for profile in Profile::status_profiles() {
            let base = base_body();
            let drawn = first_body_cases(&settings, profile).unwrap();
            let cases = draw(
                &settings,
                GeneratedKind::RequestRequirements,
                profile,
                0,
                Some(&base),
            )
            .unwrap();
            let requirements: Vec<_> = builtin_requirements(profile)
                .unwrap()
                .into_iter()
                .filter_map(|r| match r.kind {
                    RequirementKind::Body(Some(broken)) => Some(broken),
                    _ => None,
                })
                .collect();
            assert_eq!(cases.len(), requirements.len());
            let mut reused = Vec::new();
            for ((_, tree), broken) in cases.iter().zip(&requirements) {
                let input = tree.current();
                let own = broken.apply(&base);
                match (&input, own) {
                    (Input::Body(sent), BrokenBody::Json(own)) if *sent != own => {
                        let places = violation_places(profile, &own).unwrap();
                        assert_eq!(violation_places(profile, sent).unwrap(), places);
                        assert!(
                            drawn.iter().any(|(_, d)| *d == input),
                            "{sent} is not a drawn case"
                        );
                        assert!(!reused.contains(sent), "{sent} stands for two requirements");
                        reused.push(sent.clone());
                    }
                    (Input::Body(sent), BrokenBody::Json(own)) => {
                        let places = violation_places(profile, &own).unwrap();
                        assert!(
                            !drawn.iter().any(|(p, d)| *p == places && *d != input),
                            "{profile}: {sent} has a drawn twin"
                        );
                    }
                    (Input::RawBody(sent), BrokenBody::Raw(own)) => assert_eq!(*sent, own),
                    (input, own) => panic!("{input:?} for {own:?}"),
                }
            }
            assert!(
                reused.len() >= requirements.len() / 2,
                "{profile}: only {} of {} reused",
                reused.len(),
                requirements.len()
            );
        }
    }

    /// The classes of every kind with an exemplar, in every profile they apply to.
    fn exemplars() -> Vec<(Profile, GeneratedKind, String, Input)> {
        let mut found = Vec::new();
        for profile in Profile::status_profiles() {
            for kind in GeneratedKind::counted() {
                for class in classes(kind, profile).iter().flat_map(|c| c.iter()) {
                    if let Some(exemplar) = &class.exemplar {
                        found.push((profile, kind, class.name.clone(), exemplar.clone()));
                    }
                }
            }
        }
        found
    }

    #[test]
    fn every_exemplar_is_the_case_its_class_sends() {
        let settings = GenerationSettings {
            seed: 11,
            depth: Depth::Quick,
            ..GenerationSettings::drawn()
        };
        let found = exemplars();
        for (profile, kind, class, exemplar) in &found {
            assert_eq!(
                is_invalid(*profile, exemplar),
                Ok(kind.breaks_schema()),
                "{profile} {class}: {exemplar:?}"
            );
            let cases = draw(&settings, *kind, *profile, 50, None).unwrap();
            let (_, tree) = cases.iter().find(|(name, _)| name == class).unwrap();
            assert_eq!(tree.current(), *exemplar, "{profile} {class}");
        }
        let per_profile = |profile: Profile| {
            let mut names: Vec<_> = found
                .iter()
                .filter(|(p, ..)| *p == profile)
                .map(|(_, _, class, _)| class.as_str())
                .collect();
            names.sort_unstable();
            names
        };
        let expected = [
            "a body that is not an object",
            "a character that is not a digit",
            "a device that is not an object",
            "a leading zero",
            "a malformed IPv6 address",
            "a phone number sent as a JSON number",
            "a port that is not an integer",
            "a second '+'",
            "an IPv4 address that is not one",
            "an IPv4 address without port or private address",
            "an IPv4 port out of range",
            "fewer than 5 digits",
            "more than 15 digits",
            "no digits at all",
            "without its '+'",
        ];
        for profile in Profile::status_profiles() {
            assert_eq!(per_profile(profile), expected, "{profile}");
        }
    }

    /// An exemplar saves a request only when an example scenario of the embedded suite
    /// sends the same body: each is a cell of an Examples table of its profile's features
    /// (a JSON body, or a phone number put in `$.device.phoneNumber`).
    #[test]
    fn every_exemplar_is_sent_by_an_example_scenario_of_its_profile() {
        let cells = |profile: Profile| -> Vec<Value> {
            let tag = format!("@{}", profile.api().name());
            crate::runner::EMBEDDED
                .iter()
                .filter(|(_, text)| text.lines().next() == Some(tag.as_str()))
                .flat_map(|(_, text)| text.lines())
                .filter_map(|line| line.trim().strip_prefix('|'))
                .flat_map(|row| row.split('|').map(str::trim))
                .flat_map(|cell| {
                    let phone = serde_json::json!({ "device": { "phoneNumber": cell } });
                    [serde_json::from_str(cell).ok(), Some(phone)]
                })
                .flatten()
                .collect()
        };
        for (profile, _, class, exemplar) in exemplars() {
            let Input::Body(body) = exemplar else {
                panic!("{class}: an exemplar that is not a body");
            };
            assert!(
                cells(profile).contains(&body),
                "{profile}: no example scenario sends the exemplar of {class}: {body}"
            );
        }
    }
}
