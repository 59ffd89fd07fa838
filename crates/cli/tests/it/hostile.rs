//! Hostile targets: a loopback server misbehaving in one way per test (see
//! `hostile_support`), handed canary secrets, and the binary run against it
//! with every output on. Each run must show no canary in any stream or file, not panic,
//! keep escape sequences out of the console and the reports, end with the exit code that
//! tells a misbehaving token endpoint or transport (3) from a wrong answer (1), and name
//! the cause. Peak memory against such targets is measured by the bench
//! (`cargo bench --bench suite`), not here.

use std::sync::atomic::Ordering;

use crate::hostile_support::{self as hostile, Behaviour, Hostile};
use crate::outputs::{Outputs, leaks, run_with_all_outputs};

/// The exit code of a run whose API answers wrongly: some scenario failed (not conformant).
const NOT_CONFORMANT: i32 = 1;
/// The exit code of a run that a refusing or garbled token endpoint, or the transport,
/// stopped before the API could be judged: nothing failed, scenarios errored.
const COULD_NOT_TEST: i32 = 3;

/// Runs the binary against a target behaving as `behaviour`; checks what every hostile
/// run must hold, and that stdout names each of `messages`.
async fn check(behaviour: Behaviour, exit: i32, messages: &[&str]) -> (Outputs, Hostile) {
    let target = hostile::start(behaviour).await;
    let dir = std::env::temp_dir().join(format!("rc-hostile-{behaviour:?}-{}", std::process::id()));
    let handle = tokio::runtime::Handle::current();
    let outputs = tokio::task::block_in_place(|| {
        let _guard = handle.enter();
        run_with_all_outputs(&target.toml, &hostile::secret_env(), &dir)
    });
    let console = outputs.text("stdout");
    assert_eq!(outputs.code, exit, "{console}\n{}", outputs.text("stderr"));
    assert!(outputs.texts.len() > 6, "every output was written");
    let leaks = leaks(&outputs, &hostile::canaries());
    assert!(
        leaks.is_empty(),
        "{} leaks, first: {:#?}",
        leaks.len(),
        &leaks[..leaks.len().min(5)]
    );
    assert_eq!(outputs.places_holding("panicked"), Vec::<&str>::new());
    for place in ["stdout", "stderr", "report.md", "report.html", "junit.xml"] {
        let text = outputs.text(place);
        assert!(
            !text.contains(['\u{1b}', '\u{7}', '\u{0}', '\u{202e}']),
            "{place} holds a raw control character"
        );
    }
    for message in messages {
        assert!(console.contains(message), "{message:?} not in:\n{console}");
    }
    std::fs::remove_dir_all(dir).unwrap();
    (outputs, target)
}

#[tokio::test(flavor = "multi_thread")]
async fn echoed_credentials_are_masked_in_every_spelling() {
    let (outputs, _) = check(Behaviour::EchoOnly, NOT_CONFORMANT, &[]).await;
    let record = outputs
        .texts
        .iter()
        .find(|(place, text)| place.contains("exchanges") && text.contains("\"x-echo\""))
        .expect("a record of an echoed exchange");
    assert!(record.1.contains("Bearer [REDACTED]"), "{}", record.1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_answer_that_is_not_json_keeps_its_token_secret() {
    check(
        Behaviour::TokenTrailingComma,
        COULD_NOT_TEST,
        &["with a body that is not JSON"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_huge_token_is_never_shown() {
    check(
        Behaviour::TokenHuge,
        COULD_NOT_TEST,
        &["the body is longer than 65536 bytes, the most the harness reads"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_that_is_a_number_is_named_so() {
    check(
        Behaviour::TokenNumber,
        COULD_NOT_TEST,
        &["with an access_token that is a number, not a string"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_with_crlf_is_blamed_on_the_token_endpoint() {
    check(
        Behaviour::TokenCrlf,
        COULD_NOT_TEST,
        &["with an access_token containing control characters (such as CR or LF)"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_short_token_is_masked() {
    check(Behaviour::TokenShort, NOT_CONFORMANT, &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_form_secret_echoed_by_the_token_endpoint_is_masked() {
    check(
        Behaviour::TokenEchoesForm,
        COULD_NOT_TEST,
        &["with error \"invalid_client\""],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_parts_of_a_basic_header_echoed_are_masked() {
    check(
        Behaviour::TokenEchoesBasic,
        COULD_NOT_TEST,
        &["with error \"invalid_client\""],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn escape_sequences_in_an_error_description_are_shown_escaped() {
    let (outputs, _) = check(
        Behaviour::TokenAnsiDescription,
        COULD_NOT_TEST,
        &["\\u001b[2J"],
    )
    .await;
    assert!(outputs.text("report.md").contains("u001b"));
    assert!(outputs.text("report.html").contains("\\u001b[2J"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_cut_by_the_body_cap_is_masked_up_to_the_cut() {
    check(Behaviour::BodyCutsToken, NOT_CONFORMANT, &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_50_mb_body_is_cut_at_the_cap() {
    check(
        Behaviour::HugeBody,
        NOT_CONFORMANT,
        &["the body is longer than 65536 bytes, the most the harness reads"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_endless_body_is_cut_at_the_cap() {
    check(
        Behaviour::EndlessBody,
        NOT_CONFORMANT,
        &["the body is longer than 65536 bytes, the most the harness reads"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn json_nested_100k_deep_is_cut_at_the_cap() {
    check(
        Behaviour::DeepNesting100k,
        NOT_CONFORMANT,
        &["the body is longer than 65536 bytes"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn json_nested_too_deep_is_named_so() {
    check(
        Behaviour::DeepNesting1k,
        NOT_CONFORMANT,
        &["JSON nested deeper than 127 levels, the most the harness reads"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_gzip_body_is_named_so() {
    check(
        Behaviour::GzipBody,
        NOT_CONFORMANT,
        &["not JSON: gzip-compressed, which the harness does not decompress"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_that_is_not_utf8_is_named_so() {
    check(
        Behaviour::InvalidUtf8,
        NOT_CONFORMANT,
        &["not JSON: not UTF-8 text (invalid byte at offset 9)"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn escape_sequences_in_a_body_are_shown_escaped() {
    let (outputs, _) = check(
        Behaviour::AnsiBody,
        NOT_CONFORMANT,
        &["\\u001b[2J\\u001b[31mowned\\u0007"],
    )
    .await;
    assert!(outputs.text("report.html").contains("\\u202e"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_cut_in_a_long_header_is_masked() {
    check(Behaviour::LongHeader, NOT_CONFORMANT, &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ciba_interval_of_0_is_polled_once_a_second_at_most() {
    let (_, target) = check(
        Behaviour::CibaIntervalZero,
        NOT_CONFORMANT,
        &["polled every 1 s, as the server's interval of 0 s is outside 1 s to the request's lifetime"],
    )
    .await;
    // One flow of 3 s polled at 0, 1, 2 and 3 s at most, and the two polls of each
    // early-poll scenario (security_profile_07 and 08).
    let polls = target.seen.ciba_polls.load(Ordering::SeqCst);
    assert!(polls <= 8, "{polls} polls");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_huge_ciba_interval_does_not_panic() {
    let (_, target) = check(
        Behaviour::CibaIntervalMax,
        NOT_CONFORMANT,
        &["as the server's interval of 18446744073709551615 s is outside 1 s to the request's lifetime"],
    )
    .await;
    let polls = target.seen.ciba_polls.load(Ordering::SeqCst);
    assert!(polls <= 5, "{polls} polls");
}

#[tokio::test(flavor = "multi_thread")]
async fn slow_down_on_a_huge_interval_saturates() {
    let (_, target) = check(
        Behaviour::CibaSlowDownWraps,
        NOT_CONFORMANT,
        &["was still pending after the 3 s allowed"],
    )
    .await;
    let polls = target.seen.ciba_polls.load(Ordering::SeqCst);
    assert!(polls <= 5, "{polls} polls");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ciba_start_that_is_not_json_keeps_its_request_id_secret() {
    check(
        Behaviour::CibaStartNotJson,
        NOT_CONFORMANT,
        &["CIBA endpoint"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_carrying_the_token_is_masked() {
    check(
        Behaviour::RedirectWithToken,
        COULD_NOT_TEST,
        &["elsewhere.invalid/?t=[REDACTED]"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_absurd_retry_after_is_not_waited_for() {
    // A 429 is the target's rate limit, not a wrong answer: could not test, never failed.
    check(
        Behaviour::RetryAfterHuge,
        COULD_NOT_TEST,
        &["429 Too Many Requests (retried at most twice"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tls_failure_with_insecure_tls_set_does_not_suggest_setting_it() {
    let (outputs, _) = check(
        Behaviour::NotTlsWhileInsecure,
        COULD_NOT_TEST,
        &["although certificates are not verified (`insecure_tls = true`)"],
    )
    .await;
    assert!(!outputs.text("stdout").contains("set `insecure_tls = true`"));
}
