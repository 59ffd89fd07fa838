//! The network settings of the environment, as CI runners and containers have them.
//! Proxies are used for remote targets, never for loopback ones such as the embedded
//! mock; missing root certificates fail HTTPS requests only, each saying what to do.
//! Each case runs the binary in its own process, so the variables reach only it.

use crate::cli_support;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use cli_support::{closing_line, temp_file, text};

const PROXY_VARIABLES: [&str; 6] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
];

fn command(args: &[&str]) -> Command {
    let mut command = cli_support::command(args);
    command.env("RC_TEST_TOKEN", "environment-test-token");
    command
}

/// Runs the binary with every proxy variable set to `proxy`.
fn harness(args: &[&str], proxy: &str) -> Output {
    let mut command = command(args);
    command.env_remove("NO_PROXY").env_remove("no_proxy");
    for name in PROXY_VARIABLES {
        command.env(name, proxy);
    }
    command.output().expect("the binary runs")
}

/// Runs the binary where the system's root certificates cannot be loaded.
fn harness_without_root_certificates(args: &[&str]) -> Output {
    command(args)
        .env("SSL_CERT_FILE", "/nonexistent/ca-bundle.crt")
        .env("SSL_CERT_DIR", "/nonexistent/certs")
        .output()
        .expect("the binary runs")
}

/// A camara-v1 target file at `api_root` with a ready bearer token, in a temporary folder.
fn remote_target(name: &str, api_root: &str) -> PathBuf {
    temp_file(
        &format!("{name}.toml"),
        &format!(
            r#"profile = "camara-v1"
api_root = "{api_root}"

[http]
timeout_ms = 5000

[auth]
access_token_env = "RC_TEST_TOKEN"

[devices]
data = {{ phoneNumber = "+33699901031" }}
"#
        ),
    )
}

/// Whether every closing line of `stdout` reports no failure.
fn nothing_failed(stdout: &str) -> bool {
    [
        "camara-v1.0",
        "camara-v1.1",
        "camara-v1.2-rc",
        "orange-lab-v0",
    ]
    .iter()
    .all(|profile| closing_line(stdout, profile).contains(" 0 failed"))
}

/// A forward proxy on loopback that records each request line and answers 502.
fn recording_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let record = Arc::clone(&record);
            std::thread::spawn(move || answer_502(stream, &record));
        }
    });
    (address, seen)
}

fn answer_502(stream: TcpStream, record: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut length = 0;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        record
            .lock()
            .unwrap()
            .push(request_line.trim_end().to_owned());
        let answer = "HTTP/1.1 502 Bad Gateway\r\ncontent-type: application/json\r\n\
                      content-length: 2\r\n\r\n{}";
        if reader.get_mut().write_all(answer.as_bytes()).is_err() {
            return;
        }
    }
}

#[test]
fn the_embedded_mock_is_reached_directly_whatever_the_proxy_variables_say() {
    // Port 9 on loopback: nothing listens there, so a proxied request would fail.
    let out = harness(&["run"], "http://127.0.0.1:9");
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(nothing_failed(&stdout), "{stdout}");
}

#[test]
fn a_remote_target_is_reached_through_the_proxy() {
    let (proxy, seen) = recording_proxy();
    let target = remote_target("remote", "http://reachability.example.test");
    let out = harness(&["run", "--target", target.to_str().unwrap()], &proxy);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("502"), "{stdout}");
    let seen = seen.lock().unwrap();
    assert!(!seen.is_empty(), "the proxy saw no request:\n{stdout}");
    for line in seen.iter() {
        assert_eq!(
            line,
            "POST http://reachability.example.test/device-reachability-status/v1/retrieve HTTP/1.1",
            "every request goes through the proxy to the remote target"
        );
    }
    assert!(!stdout.contains("environment-test-token"), "{stdout}");
}

#[test]
fn without_root_certificates_the_embedded_mock_still_runs() {
    let out = harness_without_root_certificates(&["run"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(nothing_failed(&stdout), "{stdout}");
}

#[test]
fn without_root_certificates_an_https_target_is_not_contacted_and_the_fix_is_named() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let target = remote_target("https", &format!("https://127.0.0.1:{port}"));
    let out = harness_without_root_certificates(&["run", "--target", target.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    // Nothing reached the target: could not test (exit 3).
    assert_eq!(out.status.code(), Some(3), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains(
            "the system's root certificates, which verify the server, could not be loaded"
        ) && stdout.contains("the ca-certificates package")
            && stdout.contains("SSL_CERT_FILE"),
        "{stdout}"
    );
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "no connection is made without a way to verify the server"
    );
}
