//! `reachability-conformance mock` as a user runs it: a standalone process whose printed
//! target file, with the variables it prints, tests it from another process.

use crate::cli_support;

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use cli_support::{closing_line, command, temp_file, text};
use reachability_mock::Variation;
/// The last line `mock` prints once it serves.
const READY: &str = "# Ready: Ctrl-C stops the mock.";

/// A standalone mock process, killed when dropped.
struct StandaloneMock {
    child: Child,
    /// Everything it printed up to the ready line: the target file with its comments.
    printed: String,
}

impl StandaloneMock {
    fn start(args: &[&str]) -> Self {
        let mut child = command(&["mock", "--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (lines, received) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        let mut mock = Self {
            child,
            printed: String::new(),
        };
        loop {
            let line = received
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|_| panic!("no ready line after:\n{}", mock.printed));
            mock.printed.push_str(&line);
            mock.printed.push('\n');
            if line == READY {
                return mock;
            }
        }
    }

    /// The variables of the printed `# export NAME=VALUE` lines, values unquoted.
    fn exports(&self) -> Vec<(String, String)> {
        self.printed
            .lines()
            .filter_map(|line| line.strip_prefix("# export "))
            .map(|assignment| {
                let (name, quoted) = assignment.split_once('=').expect("NAME=VALUE");
                (name.to_owned(), unquote(quoted))
            })
            .collect()
    }

    /// Runs the harness on the printed target file, with the printed variables set.
    fn test_with_harness(&self, name: &str) -> Output {
        let target = temp_file(&format!("{name}.toml"), &self.printed);
        command(&["run", "--target", target.to_str().unwrap()])
            .envs(self.exports())
            .output()
            .expect("the binary runs")
    }
}

impl Drop for StandaloneMock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A shell word as `mock` prints it: '...' or bash's $'...' with \n, \' and \\.
fn unquote(word: &str) -> String {
    if let Some(plain) = word.strip_prefix('\'') {
        return plain.strip_suffix('\'').expect("closing quote").to_owned();
    }
    let escaped = word
        .strip_prefix("$'")
        .and_then(|w| w.strip_suffix('\''))
        .unwrap_or_else(|| panic!("not a quoted shell word: {word}"));
    let mut value = String::new();
    let mut chars = escaped.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => value.push('\n'),
                Some(other) => value.push(other),
                None => panic!("dangling escape in {word}"),
            }
        } else {
            value.push(c);
        }
    }
    value
}

#[test]
fn the_printed_target_file_tests_the_standalone_mock_in_each_profile() {
    for (profile, expected) in [
        // The six private_key_jwt scenarios need a key-based client (see the next test).
        ("camara-v1", "camara-v1.1: 54 passed, 0 failed, 6 skipped"),
        (
            "orange-lab-v0",
            "orange-lab-v0: 51 passed, 0 failed, 0 skipped",
        ),
    ] {
        let mock = StandaloneMock::start(&["--profile", profile]);
        let out = mock.test_with_harness(profile);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
        let shown = expected.split(':').next().unwrap_or_default();
        assert_eq!(closing_line(&stdout, shown), expected, "{stdout}");
        let skips = stdout.lines().filter(|l| l.starts_with("SKIP ")).count();
        let reasons = stdout
            .matches("testing asset `auth.private_key_file` is not configured")
            .count();
        assert_eq!(
            reasons, skips,
            "every skip names the missing key:\n{stdout}"
        );
    }
}

#[test]
fn the_standalone_subscriptions_mock_notifies_the_harness_sink_over_the_network() {
    let profile = "camara-subscriptions-v0.8";
    let mock = StandaloneMock::start(&["--profile", profile]);
    assert!(mock.printed.contains("[subscriptions]"), "{}", mock.printed);
    let out = mock.test_with_harness("subscriptions");
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert_eq!(
        closing_line(&stdout, profile),
        format!("{profile}: 18 passed, 0 failed, 0 skipped"),
        "{stdout}"
    );
    assert!(!stdout.contains("Left on the target"), "{stdout}");
}

#[test]
fn the_security_profile_mock_passes_every_scenario() {
    let mock = StandaloneMock::start(&["--client-auth", "private-key-jwt", "--jwt-access-tokens"]);
    assert!(
        mock.printed.contains("client_auth = \"private_key_jwt\""),
        "{}",
        mock.printed
    );
    let exports = mock.exports();
    let (_, key) = exports
        .iter()
        .find(|(name, _)| name == "MOCK_PRIVATE_KEY")
        .expect("the private key is exported");
    assert!(
        key.starts_with("-----BEGIN ") && key.contains('\n'),
        "{key}"
    );
    let out = mock.test_with_harness("security");
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert_eq!(
        closing_line(&stdout, "camara-v1.1"),
        "camara-v1.1: 60 passed, 0 failed, 0 skipped",
        "{stdout}"
    );
}

#[test]
fn a_user_who_denies_ciba_could_not_test_the_device_bound_scenarios_and_says_why() {
    let mock = StandaloneMock::start(&["--ciba-deny", "--ciba-pending-polls", "0"]);
    let out = mock.test_with_harness("ciba-deny");
    let stdout = text(&out.stdout);
    // A refused token says nothing about the API: could not test (exit 3), not a failure.
    assert_eq!(out.status.code(), Some(3), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("access_denied"), "{stdout}");
    assert!(
        stdout.contains("ERROR reachability_v1_13_device_from_token"),
        "{stdout}"
    );
    assert!(stdout.contains(": COULD NOT TEST\n"), "{stdout}");
}

#[test]
fn a_fault_switch_on_the_standalone_mock_fails_the_run() {
    let mock = StandaloneMock::start(&["--fault", "no-correlator-echo"]);
    let out = mock.test_with_harness("faulted");
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("x-correlator"), "{stdout}");
}

#[test]
fn legal_variations_on_the_standalone_mock_pass_the_run() {
    let mock = StandaloneMock::start(&[
        "--variation",
        "base-path",
        "--variation",
        "field-order-reversed",
        "--variation",
        "time-offset",
    ]);
    assert!(
        mock.printed.contains("/gateway\""),
        "the printed api_root carries the base path:\n{}",
        mock.printed
    );
    let out = mock.test_with_harness("varied");
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert_eq!(
        closing_line(&stdout, "camara-v1.1"),
        "camara-v1.1: 54 passed, 0 failed, 6 skipped",
        "{stdout}"
    );
}

#[test]
fn list_variations_names_each_variation_its_profiles_and_the_clause_that_makes_it_legal() {
    let out = command(&["mock", "--list-variations"])
        .output()
        .expect("the binary runs");
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), Variation::ALL.len(), "{stdout}");
    for (line, variation) in lines.iter().zip(Variation::ALL) {
        assert!(line.starts_with(variation.name()), "{line}");
        assert!(line.contains(variation.description()), "{line}");
        assert!(
            line.ends_with(&format!("legal by: {}", variation.clause())),
            "{line}"
        );
    }
    assert!(
        stdout.contains("ciba-no-slow-down")
            && stdout.contains(
                "[camara-v1.0, camara-v1.1, camara-v1.2-rc] legal by: OpenID CIBA Core 1.0 §11"
            ),
        "{stdout}"
    );
    let out = command(&["mock", "--variation", "nope"])
        .output()
        .expect("the binary runs");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "unknown variation \"nope\": run `reachability-conformance mock --list-variations`"
        ),
        "{stderr}"
    );
}
