//! Property-based fuzzing of the mock's request handling, with a fixed budget.
//!
//! Generated requests (raw bytes, JSON that is well-formed but wrong, forms, odd content
//! types, authorisations, correlators and headers) go to the API operation, the
//! authorisation server and unknown paths of both profiles; raw byte streams go straight
//! to the socket. Every answer must be JSON (except the HTTP parser's own bodiless
//! 400/414/431 for a stream it cannot parse), never a 5xx except Orange's documented
//! 500 for an unmanaged number and the 503 of the network-error hook, and must follow
//! the `x-correlator` rule: a well-formed one is echoed, a malformed one is refused
//! with 400 on API paths and never echoed.
//!
//! `MOCK_FUZZ_CASES` (default 256) sets the cases per property and `MOCK_FUZZ_SEED`
//! (default fixed) the seed; a failure prints both, and the shrunk case.

use crate::mock_hostile_support;
use reachability_mock::Api;

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::Instant;

use mock_hostile_support::*;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use reachability_mock::MockLimits;
use reachability_mock::Profile;
use reqwest::header::{HeaderName, HeaderValue};
use serde_json::{Value, json};

/// Cases per property unless `MOCK_FUZZ_CASES` says otherwise.
const DEFAULT_CASES: u32 = 256;
/// Seed unless `MOCK_FUZZ_SEED` says otherwise.
const DEFAULT_SEED: u64 = 0x0C0F_FEE0_5EED_2024;

/// The fuzzing budget: cases and seed, from the environment or the defaults.
fn budget() -> (u32, u64) {
    let read = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let cases = read("MOCK_FUZZ_CASES").map_or(DEFAULT_CASES, |v| {
        v.trim()
            .parse()
            .unwrap_or_else(|_| panic!("MOCK_FUZZ_CASES={v:?} is not a count: use e.g. 256"))
    });
    let seed = read("MOCK_FUZZ_SEED").map_or(DEFAULT_SEED, |v| {
        let v = v.trim();
        let parsed = match v.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16).ok(),
            None => v.parse().ok(),
        };
        parsed.unwrap_or_else(|| panic!("MOCK_FUZZ_SEED={v:?} is not a u64: use e.g. 42 or 0x2a"))
    });
    (cases, seed)
}

/// Runs `test` over `strategy` with the budget and prints the statuses it answered
/// (the last answer's; 0 for none); on failure panics with the seed, the shrunk case and
/// the reason.
fn fuzz<S: Strategy>(name: &str, strategy: S, test: impl Fn(S::Value) -> Result<u16, String>)
where
    S::Value: std::fmt::Debug,
{
    let (cases, seed) = budget();
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 512,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let started = Instant::now();
    let statuses = Mutex::new(BTreeMap::<u16, usize>::new());
    let result = runner.run(&strategy, |value| {
        let status = test(value).map_err(TestCaseError::fail)?;
        if let Ok(mut statuses) = statuses.lock() {
            *statuses.entry(status).or_default() += 1;
        }
        Ok(())
    });
    let statuses = statuses.into_inner().unwrap_or_default();
    println!(
        "{name}: {cases} cases in {:.2} s (MOCK_FUZZ_SEED={seed:#x}); statuses: {statuses:?}",
        started.elapsed().as_secs_f64()
    );
    match result {
        Ok(()) => {}
        Err(TestError::Fail(reason, case)) => panic!(
            "{name} failed with MOCK_FUZZ_SEED={seed:#x} MOCK_FUZZ_CASES={cases}\nreason: {reason}\nshrunk case: {case:#?}"
        ),
        Err(TestError::Abort(reason)) => {
            panic!("{name} aborted with MOCK_FUZZ_SEED={seed:#x}: {reason}")
        }
    }
}

/// Where a generated request goes.
#[derive(Clone, Debug)]
enum Endpoint {
    Api,
    Token,
    OrangeToken,
    Revoke,
    Ciba,
    Other(String),
}

/// How a generated request authenticates.
#[derive(Clone, Debug)]
enum Auth {
    None,
    ApiToken,
    ExpiredToken,
    ClientBasic,
    Raw(String),
}

/// One generated request.
#[derive(Clone, Debug)]
struct Case {
    orange: bool,
    endpoint: Endpoint,
    method: &'static str,
    content_type: Option<String>,
    auth: Auth,
    correlator: Option<String>,
    network_error_hook: bool,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

fn endpoint() -> impl Strategy<Value = Endpoint> {
    prop_oneof![
        6 => Just(Endpoint::Api),
        2 => Just(Endpoint::Token),
        1 => Just(Endpoint::OrangeToken),
        1 => Just(Endpoint::Revoke),
        1 => Just(Endpoint::Ciba),
        1 => "/[a-zA-Z0-9/._~%-]{0,40}".prop_map(Endpoint::Other),
    ]
}

fn method() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        8 => Just("POST"),
        1 => prop::sample::select(vec!["GET", "PUT", "DELETE", "PATCH", "OPTIONS"]),
    ]
}

fn content_type() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        4 => Just(Some("application/json".to_owned())),
        2 => Just(Some("application/x-www-form-urlencoded".to_owned())),
        3 => prop::sample::select(vec![
            "Application/JSON; charset=utf-8",
            "application/json;",
            "text/plain",
            "application/jsonx",
            "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded; charset=latin1",
            "",
            ";",
        ])
        .prop_map(|t| Some(t.to_owned())),
        1 => "[ -~]{0,40}".prop_map(Some),
        1 => Just(None),
    ]
}

fn auth() -> impl Strategy<Value = Auth> {
    prop_oneof![
        4 => Just(Auth::ApiToken),
        2 => Just(Auth::ClientBasic),
        1 => Just(Auth::None),
        1 => Just(Auth::ExpiredToken),
        1 => "(Bearer |bearer |Basic |)[ -~]{0,60}".prop_map(Auth::Raw),
    ]
}

fn correlator() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        3 => "[a-zA-Z0-9-]{0,55}".prop_map(Some),
        1 => "[ -~]{0,70}".prop_map(Some),
        1 => Just(None),
    ]
}

/// Extra headers: odd names and values (visible ASCII, tabs and obs-text), sometimes
/// one large enough for the 16 KiB cap.
fn headers() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    let value_byte = prop_oneof![8 => 0x20u8..0x7f, 1 => Just(b'\t'), 1 => 0x80u8..=0xff];
    let small = ("x-[a-z0-9-]{1,20}", vec(value_byte, 0..64));
    let large = (
        Just("x-large".to_owned()),
        (8_000usize..20_000).prop_map(|n| vec![b'l'; n]),
    );
    prop_oneof![
        9 => vec(small, 0..6),
        1 => vec(large, 1..3),
    ]
}

/// A JSON value built from the words of the request schema, wrong in any way.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        prop::sample::select(vec![
            "device",
            "phoneNumber",
            "ipv4Address",
            "publicAddress",
            "privateAddress",
            "publicPort",
            "ipv6Address",
            "networkAccessIdentifier",
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z]{0,12}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        prop::sample::select(vec![
            "+33699901031",
            "+33699901035",
            "+33699999999",
            "+0123",
            "33699901031",
            "203.0.113.31",
            "2001:db8:0:31::1",
            "2001:db8::g",
            "x@example.com",
        ])
        .prop_map(Value::from),
        "\\PC{0,30}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, move |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A `device` object holding some identifiers, each maybe wrong.
fn device_body() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(
        prop::sample::select(vec![
            "phoneNumber",
            "ipv4Address",
            "ipv6Address",
            "networkAccessIdentifier",
        ]),
        json_value(),
        0..3,
    )
    .prop_map(|ids| json!({ "device": ids }))
}

fn form_body() -> impl Strategy<Value = Vec<u8>> {
    let name = prop_oneof![
        prop::sample::select(vec![
            "grant_type",
            "scope",
            "client_id",
            "client_secret",
            "auth_req_id",
            "login_hint",
            "token",
        ])
        .prop_map(str::to_owned),
        "[a-z_]{0,10}",
    ];
    let value = prop_oneof![
        prop::sample::select(vec![
            "client_credentials",
            "urn:openid:params:grant-type:ciba",
            "device-reachability-status:read",
            "openid",
            "tel:+33699901031",
            "tel:+33699999999",
            "demo-client",
        ])
        .prop_map(str::to_owned),
        "\\PC{0,30}",
    ];
    vec((name, value), 0..5).prop_map(|pairs| {
        serde_urlencoded::to_string(pairs)
            .unwrap_or_default()
            .into_bytes()
    })
}

/// Well-formed bodies, so that cases also reach the success and device answers.
const VALID_BODIES: [&str; 7] = [
    r#"{"device": {"phoneNumber": "+33699901031"}}"#,
    r#"{"device": {"phoneNumber": "+33699901034"}}"#,
    r#"{"device": {"phoneNumber": "+33699999999"}}"#,
    r#"{"device": {"ipv6Address": "2001:db8:0:32::1"}}"#,
    r#"{"device": {"ipv4Address": {"publicAddress": "203.0.113.31", "publicPort": 50031}}}"#,
    "grant_type=client_credentials",
    "grant_type=client_credentials&scope=device-reachability-status%3Aread",
];

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => prop::sample::select(VALID_BODIES.to_vec()).prop_map(|b| b.as_bytes().to_vec()),
        3 => vec(any::<u8>(), 0..2048),
        4 => json_value().prop_map(|v| v.to_string().into_bytes()),
        4 => device_body().prop_map(|v| v.to_string().into_bytes()),
        3 => form_body(),
        1 => (16 * 1024 - 8..40 * 1024usize).prop_map(|n| {
            let mut body = br#"{"device": {"phoneNumber": "+33699901031"}, "pad": ""#.to_vec();
            body.resize(n, b'x');
            body.extend_from_slice(b"\"}");
            body
        }),
    ]
}

/// Any combination of the generated parts.
fn wild_case() -> impl Strategy<Value = Case> {
    (
        any::<bool>(),
        endpoint(),
        method(),
        content_type(),
        auth(),
        correlator(),
        prop::bool::weighted(0.1),
        headers(),
        body(),
    )
        .prop_map(
            |(orange, endpoint, method, content_type, auth, correlator, hook, headers, body)| {
                Case {
                    orange,
                    endpoint,
                    method,
                    content_type,
                    auth,
                    correlator,
                    network_error_hook: hook,
                    headers,
                    body,
                }
            },
        )
}

/// A well-formed API or token request with one or two of its parts taken from a wild
/// case, or the wild case itself.
fn case() -> impl Strategy<Value = Case> {
    let mutated = prop::sample::subsequence((0..6).collect::<Vec<u8>>(), 1..=2);
    (wild_case(), any::<bool>(), any::<bool>(), mutated).prop_map(|(wild, near, api, mutated)| {
        if !near {
            return wild;
        }
        let take = |part: u8| mutated.contains(&part);
        let (endpoint, content_type, auth, body) = if api {
            (
                Endpoint::Api,
                "application/json",
                Auth::ApiToken,
                VALID_BODIES[0],
            )
        } else {
            (
                Endpoint::Token,
                "application/x-www-form-urlencoded",
                Auth::ClientBasic,
                VALID_BODIES[5],
            )
        };
        Case {
            orange: wild.orange,
            endpoint,
            method: if take(0) { wild.method } else { "POST" },
            content_type: if take(1) {
                wild.content_type
            } else {
                Some(content_type.to_owned())
            },
            auth: if take(2) { wild.auth } else { auth },
            correlator: if take(3) {
                wild.correlator
            } else {
                Some("fuzz-1".to_owned())
            },
            network_error_hook: take(4) && wild.network_error_hook,
            headers: if take(4) { wild.headers } else { Vec::new() },
            body: if take(5) {
                wild.body
            } else {
                body.as_bytes().to_vec()
            },
        }
    })
}

/// `^[a-zA-Z0-9-]{0,55}$`.
fn well_formed_correlator(value: &str) -> bool {
    value.len() <= 55
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// A started mock of one profile and what the cases need of it.
struct Subject {
    target: Target,
    expired_token: String,
}

impl Subject {
    async fn start(profile: Profile) -> Subject {
        let target = Target::start(profile, MockLimits::default()).await;
        let env: HashMap<String, String> = target.server.secret_env().into_iter().collect();
        let expired_token = env
            .iter()
            .find(|(name, _)| name.contains("EXPIRED"))
            .map(|(_, value)| value.clone())
            .expect("an expired token in secret_env");
        Subject {
            target,
            expired_token,
        }
    }

    fn path(&self, endpoint: &Endpoint) -> String {
        match endpoint {
            Endpoint::Api => self.target.api_path().to_owned(),
            Endpoint::Token => "/oauth/token".into(),
            Endpoint::OrangeToken => "/oauth/v3/token".into(),
            Endpoint::Revoke => "/oauth/revoke".into(),
            Endpoint::Ciba => "/bc-authorize".into(),
            Endpoint::Other(path) => path.clone(),
        }
    }

    /// Sends `case`; returns the status, or says what is wrong with the answer.
    async fn check(&self, case: &Case) -> Result<u16, String> {
        let target = &self.target;
        let path = self.path(&case.endpoint);
        let method =
            reqwest::Method::from_bytes(case.method.as_bytes()).map_err(|e| e.to_string())?;
        let mut request = target.http.request(method, target.url(&path));
        if let Some(content_type) = &case.content_type {
            request = request.header("content-type", header_value(content_type.as_bytes())?);
        }
        let authorization = match &case.auth {
            Auth::None => None,
            Auth::ApiToken => Some(format!("Bearer {}", target.token)),
            Auth::ExpiredToken => Some(format!("Bearer {}", self.expired_token)),
            Auth::ClientBasic => Some(target.basic()),
            Auth::Raw(value) => Some(value.clone()),
        };
        if let Some(value) = &authorization {
            request = request.header("authorization", header_value(value.as_bytes())?);
        }
        if let Some(correlator) = &case.correlator {
            request = request.header("x-correlator", header_value(correlator.as_bytes())?);
        }
        if case.network_error_hook {
            request = request.header("x-mock-simulate", "network-error");
        }
        for (name, value) in &case.headers {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|e| e.to_string())?;
            request = request.header(name, header_value(value)?);
        }
        let answer = request
            .body(case.body.clone())
            .send()
            .await
            .map_err(|e| format!("no answer: {e:?}"))?;
        let status = answer.status().as_u16();
        let content_type = answer
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let echoed = answer
            .headers()
            .get("x-correlator")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let body = answer.bytes().await.map_err(|e| format!("no body: {e}"))?;
        if let Some(problem) = json_answer_problem(status, content_type.as_deref(), &body) {
            return Err(problem);
        }
        let json: Value = serde_json::from_slice(&body).unwrap_or_default();
        let api = !matches!(
            case.endpoint,
            Endpoint::Token | Endpoint::OrangeToken | Endpoint::Revoke | Endpoint::Ciba
        );
        if status >= 500 {
            let documented_500 = status == 500
                && case.orange
                && matches!(case.endpoint, Endpoint::Api)
                && json["code"] == "INTERNAL_SERVER_ERROR";
            let hook_503 = status == 503
                && case.network_error_hook
                && matches!(case.endpoint, Endpoint::Api)
                && json["code"] == "UNAVAILABLE";
            if !documented_500 && !hook_503 {
                return Err(format!("an undocumented {status}: {json}"));
            }
        }
        // camara-v1 (v1.0.0) gives x-correlator a pattern; orange-lab-v0 (v0.6.0) a plain string.
        let well_formed = case.orange
            || case
                .correlator
                .as_deref()
                .is_none_or(well_formed_correlator);
        if api && !well_formed && (status != 400 || json["code"] != "INVALID_ARGUMENT") {
            return Err(format!(
                "a malformed x-correlator answered {status}: {json}"
            ));
        }
        let expected_echo = case.correlator.clone().filter(|_| well_formed);
        if echoed != expected_echo {
            return Err(format!(
                "x-correlator echoed {echoed:?}, expected {expected_echo:?} ({status} {json})"
            ));
        }
        Ok(status)
    }
}

fn header_value(bytes: &[u8]) -> Result<HeaderValue, String> {
    HeaderValue::from_bytes(bytes)
        .map_err(|e| format!("the generator made a bad header value: {e}"))
}

#[test]
fn fuzzed_requests_get_json_answers_by_the_rules() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let (v1, orange) = runtime.block_on(async {
        (
            Subject::start(Api::CamaraV1.current()).await,
            Subject::start(Api::OrangeLabV0.current()).await,
        )
    });
    fuzz("mock request fuzz", case(), |case| {
        let subject = if case.orange { &orange } else { &v1 };
        runtime.block_on(subject.check(&case))
    });
    for subject in [&v1, &orange] {
        let target = &subject.target;
        runtime
            .block_on(target.check_good(&target.http, "after-fuzz"))
            .expect("the mock still answers well-formed requests");
    }
}

/// A raw byte stream: pure noise, or a request head of the right shape around noise.
fn raw_stream() -> impl Strategy<Value = Vec<u8>> {
    let token = "[!#$%&'*+.^_`|~0-9A-Za-z-]{1,12}";
    let field_value = vec(prop_oneof![0x20u8..0x7f, 0x80u8..=0xff, Just(b'\t')], 0..40);
    let header = (token, field_value).prop_map(|(name, value)| {
        let mut line = name.into_bytes();
        line.extend_from_slice(b": ");
        line.extend_from_slice(&value);
        line.extend_from_slice(b"\r\n");
        line
    });
    let path = prop_oneof![
        Just("/device-reachability-status/v1/retrieve".to_owned()),
        Just("/camara/orange-lab/device-reachability-status/v0/retrieve".to_owned()),
        Just("/oauth/token".to_owned()),
        "[ -~]{0,30}",
    ];
    let framing = prop_oneof![
        Just(Framing::Exact),
        (0usize..64).prop_map(Framing::Short),
        (1usize..64).prop_map(Framing::Long),
        Just(Framing::Chunked),
        Just(Framing::None),
    ];
    let shaped = (
        prop::sample::select(vec!["POST", "GET", "post", "P0ST", ""]),
        path,
        prop::sample::select(vec!["HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.1 x", ""]),
        vec(header, 0..6),
        framing,
        vec(any::<u8>(), 0..512),
        vec(any::<u8>(), 0..64),
    )
        .prop_map(|(method, path, version, headers, framing, body, trailer)| {
            let mut bytes = format!("{method} {path} {version}\r\n").into_bytes();
            headers.iter().for_each(|h| bytes.extend_from_slice(h));
            match framing {
                Framing::Exact => {
                    bytes.extend(format!("content-length: {}\r\n", body.len()).bytes())
                }
                Framing::Short(n) => bytes.extend(
                    format!("content-length: {}\r\n", body.len().saturating_sub(n)).bytes(),
                ),
                Framing::Long(n) => {
                    bytes.extend(format!("content-length: {}\r\n", body.len() + n).bytes())
                }
                Framing::Chunked => bytes.extend_from_slice(b"transfer-encoding: chunked\r\n"),
                Framing::None => {}
            }
            bytes.extend_from_slice(b"\r\n");
            if matches!(framing, Framing::Chunked) {
                bytes.extend(format!("{:x}\r\n", body.len()).bytes());
                bytes.extend_from_slice(&body);
                bytes.extend_from_slice(b"\r\n0\r\n\r\n");
            } else {
                bytes.extend_from_slice(&body);
            }
            bytes.extend_from_slice(&trailer);
            bytes
        });
    prop_oneof![1 => vec(any::<u8>(), 0..512), 4 => shaped]
}

/// How a shaped raw request states its body length.
#[derive(Clone, Copy, Debug)]
enum Framing {
    Exact,
    Short(usize),
    Long(usize),
    Chunked,
    None,
}

#[test]
fn fuzzed_byte_streams_get_json_or_a_parser_refusal() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let targets = runtime.block_on(async {
        [
            Target::start(Api::CamaraV1.current(), MockLimits::default()).await,
            Target::start(Api::OrangeLabV0.current(), MockLimits::default()).await,
        ]
    });
    fuzz(
        "mock byte-stream fuzz",
        (any::<bool>(), raw_stream()),
        |(orange, bytes)| {
            let target = &targets[usize::from(orange)];
            let closed = runtime.block_on(exchange(target.addr(), &bytes));
            check_raw_answers(&closed)
        },
    );
    for target in &targets {
        runtime
            .block_on(target.check_good(&target.http, "after-fuzz"))
            .expect("the mock still answers well-formed requests");
    }
}
