//! Bounded loopback load tests: 20,000 requests from 64 concurrent clients, every
//! answer accounted for and correct; then the same with a quarter of the clients sending
//! garbage (malformed JSON, bad tokens, oversized bodies and headers, wrong content
//! types, slow writers), every garbage request refused as documented. Throughput is
//! printed, never asserted.

use crate::mock_hostile_support;
use reachability_mock::Api;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mock_hostile_support::{RawAnswer, Target, parse_answers, refusal_problem, trickle};
use reachability_mock::MockLimits;
use reachability_test_support::mock_client::*;

const TOTAL: usize = 20_000;
const CLIENTS: usize = 64;

/// Phone numbers asked in turn, with the `reachable` each must get.
fn cases() -> [(&'static str, bool); 4] {
    [
        (lab::data(), true),
        (lab::sms(), true),
        (lab::data_and_sms(), true),
        (lab::not_connected(), false),
    ]
}

/// The problems of one client's share of the requests, and how many answers were right.
async fn client_share(client: usize, url: Arc<str>, token: Arc<str>) -> (usize, Vec<String>) {
    let http = http_client();
    let mut right = 0;
    let mut problems = Vec::new();
    for i in (client..TOTAL).step_by(CLIENTS) {
        let (phone, reachable) = cases()[i % cases().len()];
        let correlator = format!("load-{i}");
        let request = http
            .post(&*url)
            .bearer_auth(&*token)
            .header("content-type", "application/json")
            .header("x-correlator", &correlator)
            .body(device_body(phone).to_string());
        let answer = match request.send().await {
            Ok(response) => response,
            Err(e) => {
                problems.push(format!("request {i}: {e}"));
                continue;
            }
        };
        let status = answer.status().as_u16();
        let echoed = answer
            .headers()
            .get("x-correlator")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body: serde_json::Value = answer.json().await.unwrap_or_default();
        if status == 200
            && echoed.as_deref() == Some(correlator.as_str())
            && body["reachable"] == reachable
        {
            right += 1;
        } else {
            problems.push(format!("request {i}: {status} {echoed:?} {body}"));
        }
    }
    (right, problems)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loopback_load_has_no_errors_and_no_lost_answers() {
    let mock = Mock::start(Api::CamaraV1.current(), &[]).await;
    let token: Arc<str> = mock.token(None).await.into();
    let url: Arc<str> = mock.url(Api::CamaraV1.current().operation_path()).into();
    let started = Instant::now();
    let shares: Vec<_> = (0..CLIENTS)
        .map(|client| tokio::spawn(client_share(client, Arc::clone(&url), Arc::clone(&token))))
        .collect();
    let mut right = 0;
    let mut problems = Vec::new();
    for share in shares {
        let (share_right, share_problems) = share.await.expect("a client task");
        right += share_right;
        problems.extend(share_problems);
    }
    let elapsed = started.elapsed();
    println!(
        "mock load: {TOTAL} requests from {CLIENTS} clients in {:.2} s: {:.0} requests/s, {right} right answers, {} problems",
        elapsed.as_secs_f64(),
        TOTAL as f64 / elapsed.as_secs_f64(),
        problems.len()
    );
    assert!(
        problems.is_empty(),
        "{} problems, first: {:?}",
        problems.len(),
        problems.first()
    );
    assert_eq!(right, TOTAL);
    mock.server.shutdown().await;
}

// ---------------------------------------------------------------- with hostile clients

/// One client in this many sends garbage.
const GARBAGE_EVERY: usize = 4;
/// A garbage client writes slowly once in this many of its requests.
const SLOW_EVERY: usize = 40;

/// The kinds of garbage, each with the answer it must get.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Garbage {
    MalformedJson,
    BadToken,
    OversizedBody,
    WrongContentType,
    OversizedHeaders,
    SlowBody,
    SlowHeaders,
}

impl Garbage {
    /// The garbage of a garbage client's request number `round`.
    fn of(round: usize) -> Garbage {
        const FAST: [Garbage; 5] = [
            Garbage::MalformedJson,
            Garbage::BadToken,
            Garbage::OversizedBody,
            Garbage::WrongContentType,
            Garbage::OversizedHeaders,
        ];
        match (round % SLOW_EVERY, (round / SLOW_EVERY) % 2) {
            (0, 0) => Garbage::SlowBody,
            (0, _) => Garbage::SlowHeaders,
            _ => FAST[round % FAST.len()],
        }
    }

    /// The status and error code the garbage must get (`None`: dropped unanswered).
    fn expected(self) -> Option<(u16, &'static str)> {
        match self {
            Garbage::MalformedJson | Garbage::OversizedBody => Some((400, "INVALID_ARGUMENT")),
            Garbage::BadToken => Some((401, "UNAUTHENTICATED")),
            Garbage::WrongContentType => Some((415, "UNSUPPORTED_MEDIA_TYPE")),
            Garbage::OversizedHeaders => Some((431, "REQUEST_HEADER_FIELDS_TOO_LARGE")),
            Garbage::SlowBody => Some((408, "REQUEST_TIMEOUT")),
            Garbage::SlowHeaders => None,
        }
    }
}

/// Sends one piece of garbage; says what is wrong with the answer, if anything.
async fn send_garbage(
    target: &Target,
    http: &reqwest::Client,
    garbage: Garbage,
    correlator: &str,
) -> Result<(), String> {
    let path = target.api_path();
    let bearer = format!("Bearer {}", target.token);
    let json = "application/json";
    let good_body = device_body(lab::data()).to_string();
    let (authorization, content_type, body) = match garbage {
        Garbage::MalformedJson => (
            bearer,
            json,
            r#"{"device": {"phoneNumber": "+336999"#.into(),
        ),
        Garbage::BadToken => ("Bearer not-a-token-of-this-mock".into(), json, good_body),
        Garbage::OversizedBody => {
            let padded = serde_json::json!({"device": {"phoneNumber": lab::data()}, "pad": "x".repeat(20 * 1024)});
            (bearer, json, padded.to_string())
        }
        Garbage::WrongContentType => (bearer, "text/plain", good_body),
        Garbage::OversizedHeaders => (bearer, json, good_body),
        Garbage::SlowBody | Garbage::SlowHeaders => {
            let head = if garbage == Garbage::SlowBody {
                format!(
                    "POST {path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-correlator: {correlator}\r\ncontent-length: 1000\r\n\r\n"
                )
            } else {
                format!("POST {path} HTTP/1.1\r\nhost: x\r\nx-correlator: {correlator}\r\nx-slow: ")
            };
            let closed = trickle(target.addr(), head.into_bytes(), b' ').await;
            let answers = parse_answers(&closed.bytes).map_err(|e| e.to_string())?;
            return match (garbage.expected(), answers.as_slice()) {
                (None, []) => Ok(()),
                (Some((status, code)), [answer]) => check_refusal(answer, status, code, correlator),
                (_, answers) => Err(format!("{garbage:?}: answered {answers:?}")),
            };
        }
    };
    let mut request = http
        .post(target.url(path))
        .header("authorization", authorization)
        .header("content-type", content_type)
        .header("x-correlator", correlator)
        .body(body);
    if garbage == Garbage::OversizedHeaders {
        let pad = "p".repeat(500);
        request = (0..40).fold(request, |r, i| r.header(format!("x-pad-{i}"), &pad));
    }
    let answer = request
        .send()
        .await
        .map_err(|e| format!("{garbage:?}: {e}"))?;
    let answer = RawAnswer {
        status: answer.status().as_u16(),
        headers: answer
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_owned()))
            .collect(),
        body: answer.bytes().await.map_err(|e| e.to_string())?.to_vec(),
    };
    let (status, code) = garbage.expected().ok_or("no expected answer")?;
    check_refusal(&answer, status, code, correlator)
}

fn check_refusal(
    answer: &RawAnswer,
    status: u16,
    code: &str,
    correlator: &str,
) -> Result<(), String> {
    if let Some(problem) = refusal_problem(answer, status, code) {
        return Err(problem);
    }
    match answer.header("x-correlator") {
        Some(echoed) if echoed == correlator => Ok(()),
        other => Err(format!("x-correlator {other:?} instead of {correlator}")),
    }
}

/// Tallies of one client's share: right answers to good requests, garbage sent by
/// kind, and problems.
#[derive(Default)]
struct Tally {
    good: usize,
    garbage: BTreeMap<Garbage, usize>,
    problems: Vec<String>,
}

async fn mixed_share(client: usize, target: Arc<Target>) -> Tally {
    let http = http_client();
    let mut tally = Tally::default();
    let garbage_client = client % GARBAGE_EVERY == GARBAGE_EVERY - 1;
    for (round, i) in (client..TOTAL).step_by(CLIENTS).enumerate() {
        let correlator = format!("mixed-{i}");
        let result = if garbage_client {
            let garbage = Garbage::of(round);
            *tally.garbage.entry(garbage).or_default() += 1;
            send_garbage(&target, &http, garbage, &correlator).await
        } else {
            let checked = target.check_good(&http, &correlator).await;
            tally.good += usize::from(checked.is_ok());
            checked
        };
        if let Err(problem) = result {
            tally.problems.push(format!("request {i}: {problem}"));
        }
    }
    tally
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loopback_load_with_garbage_clients_keeps_good_answers_right() {
    let limits = MockLimits {
        header_timeout: Duration::from_secs(2),
        body_timeout: Duration::from_secs(1),
        ..MockLimits::default()
    };
    let target = Arc::new(Target::start(Api::CamaraV1.current(), limits).await);
    let started = Instant::now();
    let shares: Vec<_> = (0..CLIENTS)
        .map(|client| tokio::spawn(mixed_share(client, Arc::clone(&target))))
        .collect();
    let mut total = Tally::default();
    for share in shares {
        let tally = share.await.expect("a client task");
        total.good += tally.good;
        for (garbage, count) in tally.garbage {
            *total.garbage.entry(garbage).or_default() += count;
        }
        total.problems.extend(tally.problems);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let garbage: usize = total.garbage.values().sum();
    println!(
        "mock load with garbage: {TOTAL} requests from {CLIENTS} clients ({} sending garbage) in {elapsed:.2} s: {:.0} requests/s, {} right good answers ({:.0}/s), garbage {:?}, {} problems",
        CLIENTS / GARBAGE_EVERY,
        TOTAL as f64 / elapsed,
        total.good,
        total.good as f64 / elapsed,
        total.garbage,
        total.problems.len()
    );
    assert!(
        total.problems.is_empty(),
        "{} problems, first: {:?}",
        total.problems.len(),
        total.problems.first()
    );
    assert_eq!(total.good + garbage, TOTAL);
}
