//! Exchanges: header lookup, JSON bodies, and redacted transcripts and records.

use std::time::Duration;

use chrono::{TimeZone, Utc};
use reachability_harness::http::{
    Exchange, MAX_BODY_BYTES, MAX_JSON_DEPTH, RECORD_BODY_BYTES, RecordBudget, Request,
};
use reachability_harness::redact::Redactor;
use serde_json::json;

const TOKEN: &str = "tok-0123456789";

/// An exchange whose request and response both carry the registered secret [`TOKEN`].
fn exchange(body: &[u8]) -> Exchange {
    let redactor = Redactor::new();
    redactor.add(TOKEN);
    Exchange {
        request: Request {
            method: "POST".into(),
            url: format!("http://127.0.0.1:9/retrieve?t={TOKEN}"),
            headers: vec![
                ("Authorization".into(), format!("Bearer {TOKEN}")),
                ("content-type".into(), "application/json".into()),
            ],
            body: Some(
                format!(r#"{{"device":{{"phoneNumber":"+33699901031"}},"t":"{TOKEN}"}}"#)
                    .into_bytes(),
            ),
        },
        status: 200,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("set-cookie".into(), "session=abcdef".into()),
            ("x-echo".into(), format!("seen {TOKEN}")),
        ],
        body: body.to_vec(),
        truncated: false,
        attempts: 1,
        started_at: Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap(),
        elapsed: Duration::from_millis(42),
        redactor,
        shared_from: None,
    }
}

#[test]
fn render_masks_credentials_and_secrets() {
    let e = exchange(format!(r#"{{"reachable":true,"echo":"{TOKEN}"}}"#).as_bytes());
    assert_eq!(
        e.render(),
        "> POST http://127.0.0.1:9/retrieve?t=[REDACTED]\n\
         > Authorization: Bearer [REDACTED]\n\
         > content-type: application/json\n\
         >\n\
         {\"device\":{\"phoneNumber\":\"+33699901031\"},\"t\":\"[REDACTED]\"}\n\
         \n\
         < HTTP 200 OK (42 ms)\n\
         < content-type: application/json\n\
         < set-cookie: [REDACTED]\n\
         < x-echo: seen [REDACTED]\n\
         <\n\
         {\"reachable\":true,\"echo\":\"[REDACTED]\"}\n"
    );
}

#[test]
fn render_shows_at_most_2_kib_of_body() {
    let mut e = exchange(&[b'a'; 5000]);
    e.request.body = None;
    let rendered = e.render();
    assert!(rendered.ends_with(&format!("<\n{}… (2952 more bytes)\n", "a".repeat(2048))));
    assert!(!rendered.contains(&"a".repeat(2049)));
}

#[test]
fn render_says_when_the_body_was_cut() {
    let mut e = exchange(b"{}");
    e.truncated = true;
    assert!(e.render().ends_with(&format!(
        "<\n{{}}\n[body cut at {MAX_BODY_BYTES} bytes by the harness]\n"
    )));
}

#[test]
fn header_lookup_ignores_case() {
    let e = exchange(b"");
    assert_eq!(e.header("Content-Type"), Some("application/json"));
    assert_eq!(
        e.request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(e.header("x-missing"), None);
}

#[test]
fn json_errors_quote_an_excerpt() {
    assert_eq!(exchange(br#"{"a": 1}"#).json(), Ok(json!({"a": 1})));
    assert_eq!(exchange(b"").json(), Err("not JSON: empty body".to_owned()));
    assert_eq!(
        exchange(format!("<html>{TOKEN}</html>").as_bytes()).json(),
        Err("not JSON: <html>[REDACTED]</html>".to_owned())
    );
    let long = exchange(&[b'x'; 300]).json().unwrap_err();
    assert_eq!(
        long,
        format!("not JSON: {}… (100 more bytes)", "x".repeat(200))
    );
}

#[test]
fn records_are_redacted_json_with_timings() {
    let e = exchange(format!(r#"{{"echo":"{TOKEN}"}}"#).as_bytes());
    assert_eq!(
        e.to_redacted_json(&e.redactor, &RecordBudget::new()),
        json!({
            "started_at": "2025-01-02T03:04:05.000Z",
            "elapsed_ms": 42,
            "attempts": 1,
            "request": {
                "method": "POST",
                "url": "http://127.0.0.1:9/retrieve?t=[REDACTED]",
                "headers": [
                    ["Authorization", "Bearer [REDACTED]"],
                    ["content-type", "application/json"]
                ],
                "body": {"device": {"phoneNumber": "+33699901031"}, "t": "[REDACTED]"}
            },
            "response": {
                "status": 200,
                "headers": [
                    ["content-type", "application/json"],
                    ["set-cookie", "[REDACTED]"],
                    ["x-echo", "seen [REDACTED]"]
                ],
                "body": {"echo": "[REDACTED]"},
                "truncated": false
            }
        })
    );
    let text = exchange(b"plain text").to_redacted_json(&Redactor::new(), &RecordBudget::new());
    assert_eq!(text["response"]["body"], json!("plain text"));
}

#[test]
fn json_errors_name_what_the_body_is() {
    let deep = format!(
        "{}{}",
        "[".repeat(MAX_JSON_DEPTH + 1),
        "]".repeat(MAX_JSON_DEPTH + 1)
    );
    assert_eq!(
        exchange(deep.as_bytes()).json(),
        Err(format!(
            "JSON nested deeper than {MAX_JSON_DEPTH} levels, the most the harness reads"
        ))
    );
    let shallow = format!(
        "{}{}",
        "[".repeat(MAX_JSON_DEPTH),
        "]".repeat(MAX_JSON_DEPTH)
    );
    assert!(exchange(shallow.as_bytes()).json().is_ok());
    assert_eq!(
        exchange(b"{\"a\":\"\xff\"}").json(),
        Err(
            "not JSON: not UTF-8 text (invalid byte at offset 6); it starts: {\"a\":\"\u{fffd}\"}"
                .to_owned()
        )
    );
    let gzip = exchange(&[0x1f, 0x8b, 8, 0, 0]).json().unwrap_err();
    assert!(
        gzip.starts_with("not JSON: gzip-compressed, which the harness does not decompress"),
        "{gzip}"
    );
    let mut declared = exchange(b"xyz");
    declared
        .headers
        .push(("content-encoding".into(), "br".into()));
    assert!(
        declared
            .json()
            .unwrap_err()
            .starts_with("not JSON: br-compressed")
    );
}

#[test]
fn a_secret_cut_by_the_body_cap_is_masked_up_to_the_cut() {
    let mut e = exchange(format!(r#"{{"echo":"{}"#, &TOKEN[..8]).as_bytes());
    e.truncated = true;
    assert!(!e.render().contains(&TOKEN[..8]), "{}", e.render());
    assert!(!e.json().unwrap_err().contains(&TOKEN[..8]));
    let record = e.to_redacted_json(&e.redactor, &RecordBudget::new());
    assert_eq!(record["response"]["body"], json!(r#"{"echo":"[REDACTED]"#));
}

#[test]
fn records_keep_bodies_within_the_budget_and_say_so() {
    let budget = RecordBudget::new();
    let big = exchange(&vec![b'a'; RECORD_BODY_BYTES + 10]);
    let record = big.to_redacted_json(&big.redactor, &budget);
    assert_eq!(
        record["response"]["body"].as_str().map(str::len),
        Some(RECORD_BODY_BYTES)
    );
    assert_eq!(
        record["response"]["body_cut"],
        json!(format!(
            "kept {RECORD_BODY_BYTES} of {} bytes: --record keeps at most {RECORD_BODY_BYTES} bytes of a body and 1048576 of a run",
            RECORD_BODY_BYTES + 10
        ))
    );
    assert_eq!(record["request"].get("body_cut"), None);
}

#[test]
fn debug_shows_no_credentials() {
    let debug = format!("{:?}", exchange(TOKEN.as_bytes()));
    assert!(!debug.contains(TOKEN), "{debug}");
}

proptest::proptest! {
    #[test]
    fn no_body_makes_reading_or_showing_an_exchange_panic(
        body in proptest::collection::vec(proptest::num::u8::ANY, 0..300),
        truncated in proptest::bool::ANY,
    ) {
        let mut e = exchange(&body);
        e.truncated = truncated;
        e.redactor.learn_response(&e.headers, &body);
        let _ = e.json();
        let _ = e.render();
        let _ = e.to_redacted_json(&e.redactor, &RecordBudget::new());
    }
}
