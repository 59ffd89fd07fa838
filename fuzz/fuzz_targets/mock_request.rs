//! libFuzzer target for the embedded mock's request handling, with the rules of
//! `tests/mock_hostile_fuzz.rs`: every answer JSON (or the HTTP parser's own bodiless
//! refusal of a stream it cannot read), no 5xx but Orange's documented 500.
//!
//! The first input byte chooses the profile and what the rest is: a whole byte stream
//! written to the socket, or the body of an authorised API request, or the body of an
//! authenticated token request.
#![no_main]

#[path = "../../tests/mock_hostile_support/mod.rs"]
#[allow(dead_code)]
mod support;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use reachability_mock::Profile;
use reachability_mock::MockLimits;
use support::{Target, check_raw_answers, exchange, request};

/// A runtime and one started mock per profile, for the whole fuzzing session.
fn mocks() -> &'static (tokio::runtime::Runtime, [Target; 2]) {
    static MOCKS: OnceLock<(tokio::runtime::Runtime, [Target; 2])> = OnceLock::new();
    MOCKS.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let targets = runtime.block_on(async {
            [
                Target::start(Profile::CamaraV1, MockLimits::default()).await,
                Target::start(Profile::OrangeLabV0, MockLimits::default()).await,
            ]
        });
        (runtime, targets)
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (runtime, targets) = mocks();
    let target = &targets[usize::from(mode & 1)];
    let bytes = match (mode >> 1) % 3 {
        0 => rest.to_vec(),
        1 => {
            let bearer = format!("Bearer {}", target.token);
            let headers = [
                ("authorization", bearer.as_str()),
                ("content-type", "application/json"),
                ("x-correlator", "fuzz"),
            ];
            request("POST", target.api_path(), &headers, rest)
        }
        _ => {
            let basic = target.basic();
            let headers = [
                ("authorization", basic.as_str()),
                ("content-type", "application/x-www-form-urlencoded"),
            ];
            request("POST", "/oauth/token", &headers, rest)
        }
    };
    let closed = runtime.block_on(exchange(target.addr(), &bytes));
    if let Err(problem) = check_raw_answers(&closed) {
        panic!("{problem}");
    }
});
