//! The mock under hostile clients: slow headers, slow bodies, oversized headers and
//! more connections than it serves. Each test checks that the hostile client is
//! refused or dropped and that a well-behaved client keeps getting right answers;
//! bounds are generous and nothing asserts a duration.

use crate::mock_hostile_support;

use std::time::Duration;

use mock_hostile_support::*;
use reachability_mock::MockLimits;
use reachability_mock::Profile;
use tokio::net::TcpStream;

/// camara-v1.0, the release these tests were written for (cross_version tests the others).
fn v1() -> Profile {
    "camara-v1.0".parse().unwrap()
}

/// Short timeouts, so that the tests wait little for the mock to give up.
fn quick() -> MockLimits {
    MockLimits {
        header_timeout: Duration::from_secs(1),
        body_timeout: Duration::from_secs(1),
        ..MockLimits::default()
    }
}

/// Sends `count` well-formed requests in turn with one client; asserts every answer.
async fn assert_served(target: &Target, count: usize) {
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("a client");
    for i in 0..count {
        let correlator = format!("good-{i}");
        if let Err(problem) = target.check_good(&http, &correlator).await {
            panic!("good request {i}: {problem}");
        }
    }
}

/// The start of a request whose headers never end.
fn endless_head(path: &str) -> Vec<u8> {
    format!("POST {path} HTTP/1.1\r\nhost: 127.0.0.1\r\nx-slow: ").into_bytes()
}

/// The complete head of a request announcing a 10,000-byte JSON body.
fn head_of_long_body(path: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nx-correlator: slow-body\r\ncontent-length: 10000\r\n\r\n"
    )
    .into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_headers_are_dropped_without_an_answer_while_others_are_served() {
    let target = Target::start(v1(), quick()).await;
    let slow: Vec<_> = (0..20)
        .map(|_| {
            tokio::spawn(trickle(
                target.addr(),
                endless_head(target.api_path()),
                b'a',
            ))
        })
        .collect();
    assert_served(&target, 50).await;
    for slow in slow {
        let closed = slow.await.expect("a slow client");
        // Before the headers are complete there is no request to answer: hyper closes.
        assert_eq!(closed.printable(), "", "a slow-header client got an answer");
    }
    assert_served(&target, 5).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_bodies_get_a_json_408_and_the_connection_closes() {
    let target = Target::start(v1(), quick()).await;
    let api = tokio::spawn(trickle(
        target.addr(),
        head_of_long_body(target.api_path()),
        b' ',
    ));
    let oauth = tokio::spawn(trickle(
        target.addr(),
        head_of_long_body("/oauth/token"),
        b'a',
    ));
    assert_served(&target, 50).await;

    let answers = api.await.expect("a slow API client").answers();
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert_refusal(&answers[0], 408, "REQUEST_TIMEOUT");
    assert_eq!(answers[0].header("connection"), Some("close"));
    assert_eq!(answers[0].header("x-correlator"), Some("slow-body"));

    let answers = oauth.await.expect("a slow token client").answers();
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert_refusal(&answers[0], 408, "invalid_request");
    assert_eq!(answers[0].header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn headers_over_16_kib_get_a_json_431() {
    let target = Target::start(v1(), MockLimits::default()).await;
    let padding = "p".repeat(500);
    let padded = |request: reqwest::RequestBuilder, count: usize| {
        (0..count).fold(request, |r, i| r.header(format!("x-pad-{i}"), &padding))
    };
    // 30 × ~510 bytes is under 16 KiB: served.
    let answer = padded(target.good_request(&target.http, "under"), 30)
        .send()
        .await
        .expect("an answer");
    assert_eq!(answer.status(), 200);
    for (path, code) in [
        (target.api_path(), "REQUEST_HEADER_FIELDS_TOO_LARGE"),
        ("/oauth/token", "invalid_request"),
        ("/no/such/path", "REQUEST_HEADER_FIELDS_TOO_LARGE"),
    ] {
        let request = target
            .http
            .post(target.url(path))
            .header("x-correlator", "big")
            .header("content-type", "application/json")
            .body("{}");
        let answer = padded(request, 40).send().await.expect("an answer");
        let status = answer.status().as_u16();
        let headers: Vec<(String, String)> = answer
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let body = answer.bytes().await.expect("a body").to_vec();
        let answer = RawAnswer {
            status,
            headers,
            body,
        };
        assert_refusal(&answer, 431, code);
        assert_eq!(answer.header("x-correlator"), Some("big"), "{path}");
    }
    assert_served(&target, 3).await;
}

#[tokio::test]
async fn heads_past_the_parser_limits_get_a_bare_431_and_a_close() {
    let target = Target::start(v1(), MockLimits::default()).await;
    let huge = "h".repeat(70 * 1024);
    let many: Vec<(String, String)> = (0..101).map(|i| (format!("x-{i}"), "1".into())).collect();
    let many: Vec<(&str, &str)> = many.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    for head in [
        request("POST", target.api_path(), &[("x-huge", &huge)], b"{}"),
        request("POST", target.api_path(), &many, b"{}"),
    ] {
        let closed = exchange(target.addr(), &head).await;
        let answers = closed.answers();
        // The HTTP parser refuses before any request exists: no JSON can be produced.
        assert_eq!(answers.len(), 1, "{}", closed.printable());
        assert_eq!(answers[0].status, 431);
        assert!(answers[0].body.is_empty());
    }
    assert_served(&target, 3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_under_the_limit_do_not_slow_others() {
    let target = Target::start(v1(), MockLimits::default()).await;
    let mut idle = Vec::new();
    for _ in 0..200 {
        idle.push(connect(target.addr()).await);
    }
    assert_served(&target, 50).await;
    drop(idle);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_past_the_limit_get_a_json_503_until_slots_free() {
    let limits = MockLimits {
        max_connections: 4,
        ..quick()
    };
    let target = Target::bare(v1(), limits).await;
    let mut idle = Vec::new();
    for _ in 0..limits.max_connections {
        idle.push(connect(target.addr()).await);
    }
    for (path, code, correlator) in [
        (target.api_path(), "UNAVAILABLE", Some("busy")),
        ("/oauth/token", "temporarily_unavailable", None),
    ] {
        let mut headers = vec![("content-type", "application/json")];
        headers.extend(correlator.map(|c| ("x-correlator", c)));
        let closed = exchange(target.addr(), &request("POST", path, &headers, b"{}")).await;
        let answers = closed.answers();
        assert_eq!(answers.len(), 1, "{}", closed.printable());
        assert_refusal(&answers[0], 503, code);
        assert_eq!(answers[0].header("retry-after"), Some("1"));
        assert_eq!(answers[0].header("connection"), Some("close"));
        assert_eq!(answers[0].header("x-correlator"), correlator);
    }
    // The idle connections are dropped at the header timeout; then slots are free
    // (a slot is released just after its connection closes: a few tries).
    for mut connection in idle {
        let closed = read_until_closed(&mut connection).await;
        assert_eq!(closed.printable(), "");
    }
    let mut statuses = Vec::new();
    for _ in 0..50 {
        let answers = exchange(target.addr(), &target.raw_token_request())
            .await
            .answers();
        assert_eq!(answers.len(), 1, "{answers:?}");
        statuses.push(answers[0].status);
        if answers[0].status == 200 {
            assert!(
                answers[0]
                    .json()
                    .is_some_and(|b| b["access_token"].is_string())
            );
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("never served again: {statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_past_both_bounds_are_closed_at_once() {
    let limits = MockLimits {
        max_connections: 4,
        header_timeout: Duration::from_secs(120),
        ..MockLimits::default()
    };
    let target = Target::bare(v1(), limits).await;
    let mut held: Vec<TcpStream> = Vec::new();
    // 4 served and 64 refused connections, idle; the next ones are closed unanswered,
    // long before the header timeout could close them.
    for _ in 0..limits.max_connections + 64 {
        held.push(connect(target.addr()).await);
    }
    for _ in 0..2 {
        let mut extra = connect(target.addr()).await;
        let closed = read_until_closed(&mut extra).await;
        assert_eq!(closed.printable(), "");
    }
    // A refused connection still answers its request with a 503.
    let refused = held.last_mut().expect("a refused connection");
    tokio::io::AsyncWriteExt::write_all(refused, &request("POST", "/oauth/token", &[], b""))
        .await
        .expect("written");
    let closed = read_until_closed(refused).await;
    assert_refusal(&closed.answers()[0], 503, "temporarily_unavailable");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_is_not_held_up_by_idle_or_slow_clients() {
    let limits = MockLimits {
        header_timeout: Duration::from_secs(120),
        body_timeout: Duration::from_secs(120),
        ..MockLimits::default()
    };
    let target = Target::start(v1(), limits).await;
    let idle = connect(target.addr()).await;
    let slow = tokio::spawn(trickle(
        target.addr(),
        endless_head(target.api_path()),
        b'a',
    ));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let Target { server, .. } = target;
    tokio::time::timeout(PATIENCE, server.shutdown())
        .await
        .expect("shutdown ends without waiting for the header timeout");
    slow.await.expect("a slow client");
    drop(idle);
}

#[tokio::test]
async fn idle_keep_alive_connections_are_closed_at_the_header_timeout() {
    let target = Target::bare(v1(), quick()).await;
    let mut connection = connect(target.addr()).await;
    tokio::io::AsyncWriteExt::write_all(&mut connection, &target.raw_token_request_kept_alive())
        .await
        .expect("written");
    // One answer, then the connection waits for the next request's headers, in vain.
    let closed = read_until_closed(&mut connection).await;
    let answers = closed.answers();
    assert_eq!(answers.len(), 1, "{}", closed.printable());
    assert_eq!(answers[0].status, 200, "{}", closed.printable());
    assert_eq!(answers[0].header("connection"), None);
}
