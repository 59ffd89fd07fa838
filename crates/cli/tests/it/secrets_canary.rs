//! No secret ever leaves the harness: the binary is run against a mock of this test's own,
//! in a passing and in a failing run, with every output switched on, and the console and
//! every file written are searched for the mock's credentials and for any credential after
//! an authentication scheme.

use crate::outputs::{leaks, run_with_all_outputs};
use reachability_harness::Api;
use reachability_mock::{Fault, MockOptions, MockServer};

async fn check_run(name: &str, faults: Vec<Fault>, expected_exit: i32) {
    let server = MockServer::start(MockOptions {
        profile: Api::CamaraV1.current(),
        faults,
        ..MockOptions::default()
    })
    .await
    .expect("mock starts");
    let dir = std::env::temp_dir().join(format!("rc-canary-{name}-{}", std::process::id()));
    let secrets: Vec<String> = server.secret_env().into_iter().map(|(_, v)| v).collect();
    assert!(!secrets.is_empty());
    let handle = tokio::runtime::Handle::current();
    let server_ref = &server;
    let outputs = tokio::task::block_in_place(|| {
        let _guard = handle.enter();
        run_with_all_outputs(&server_ref.target_toml(), &server_ref.secret_env(), &dir)
    });
    let console = outputs.text("stdout");
    assert_eq!(
        outputs.code,
        expected_exit,
        "{console}\n{}",
        outputs.text("stderr")
    );
    assert!(
        outputs.texts.len() > 6,
        "every output was written: {:?}",
        outputs.texts.iter().map(|t| &t.0).collect::<Vec<_>>()
    );
    if expected_exit == 1 {
        assert!(
            console.contains("Bearer [REDACTED]"),
            "failures show masked credentials: {console}"
        );
    }
    assert_eq!(leaks(&outputs, &secrets), Vec::<String>::new());
    server.shutdown().await;
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_passing_run_leaks_no_secret() {
    check_run("pass", Vec::new(), 0).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_run_leaks_no_secret() {
    // Accepting revoked and expired tokens makes the token scenarios fail, so their
    // exchanges (with those tokens) are shown in every output.
    check_run(
        "fail",
        vec![Fault::RevokedTokenAccepted, Fault::ExpiredTokenAccepted],
        1,
    )
    .await;
}
