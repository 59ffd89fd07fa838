//! Ctrl-C during `run`: the run stops, deletes the subscriptions it created, says so and
//! exits 130.

use std::process::Stdio;
use std::time::Duration;

use crate::cli_support::{command, temp_file, text};
use reachability_harness::Api;
use reachability_mock::MockOptions;
use reachability_test_support::mock_client::{Mock, send};
use serde_json::Value;

/// How long the test waits at most for the run to reach its hook.
const REACH_HOOK_WITHIN: Duration = Duration::from_secs(60);

/// The number of subscriptions the mock holds.
async fn held(mock: &Mock, token: &str) -> usize {
    let path = mock.server.profile().operation_path();
    let answer = send(mock.http.get(mock.url(path)).bearer_auth(token)).await;
    serde_json::from_str::<Vec<Value>>(&answer.text)
        .unwrap_or_else(|e| panic!("{e}: {}", answer.text))
        .len()
}

/// Starts `run` on the mock's target file with a hook that says it started and hangs,
/// and waits until the run is inside the hook (its scenario's subscription created).
#[cfg(unix)]
async fn run_inside_its_hook(mock: &Mock) -> std::process::Child {
    let marker = std::env::temp_dir().join(format!(
        "rc-interrupt-{}-{}.started",
        std::process::id(),
        mock.server.addr().port()
    ));
    let _ = std::fs::remove_file(&marker);
    let hook = format!(
        "state_change_hook = {{ command = [\"sh\", \"-c\", \"touch {}; exec sleep 60\"], timeout_s = 120 }}",
        marker.display()
    );
    let toml: Vec<String> = mock
        .server
        .target_toml()
        .lines()
        .map(|line| {
            if line.starts_with("state_change_hook") {
                hook.clone()
            } else {
                line.to_owned()
            }
        })
        .collect();
    let name = format!("interrupted-{}.toml", mock.server.addr().port());
    let target = temp_file(&name, &toml.join("\n"));
    let child = command(&[
        "run",
        "--target",
        target.to_str().unwrap(),
        "--tags",
        "@subscriptions_06_data_gained",
    ])
    .envs(mock.server.secret_env())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("the binary starts");
    let reached = tokio::time::timeout(REACH_HOOK_WITHIN, async {
        while !marker.exists() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    let _ = std::fs::remove_file(&marker);
    assert!(reached.is_ok(), "the run never called its hook");
    child
}

/// Sends `signal` to `child`.
#[cfg(unix)]
fn signal(child: &std::process::Child, signal: i32) {
    let pid = i32::try_from(child.id()).unwrap();
    // SAFETY: signals the child this test started.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_deletes_what_the_run_created_names_the_clean_up_and_exits_130() {
    let mock = Mock::start(Api::CamaraSubscriptionsV0.current(), &[]).await;
    let child = run_inside_its_hook(&mock).await;
    let scopes = reachability_contract::oauth::SUBSCRIPTION_SCOPES.join(" ");
    let token = mock.token(Some(&scopes)).await;
    assert_eq!(
        held(&mock, &token).await,
        1,
        "the scenario's subscription exists"
    );
    signal(&child, libc::SIGINT);
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(130),
        "{stderr}{}",
        text(&output.stdout)
    );
    assert!(
        stderr.contains(
            "interrupted: no more scenarios started; clean-up deleted 1 subscription(s) the run created"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("left on the target"), "{stderr}");
    assert_eq!(held(&mock, &token).await, 0, "nothing is left on the mock");
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn a_second_signal_during_the_clean_up_exits_at_once() {
    // Every API answer takes a while: the clean-up's DELETE is still out when the second
    // signal comes.
    let mock = Mock::with(MockOptions {
        profile: Api::CamaraSubscriptionsV0.current(),
        latency: Duration::from_secs(2),
        ..MockOptions::default()
    })
    .await;
    let child = run_inside_its_hook(&mock).await;
    signal(&child, libc::SIGTERM);
    tokio::time::sleep(Duration::from_millis(300)).await;
    signal(&child, libc::SIGINT);
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains(
            "interrupted again: exiting at once; subscriptions may be left on the target"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("clean-up deleted"), "{stderr}");
}
