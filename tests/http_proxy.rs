//! Proxies from the environment (as CI runners set them): used for remote targets, never
//! for loopback ones such as the embedded mock. Each case runs the binary in its own
//! process, so the variables reach only it.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

const BINARY: &str = env!("CARGO_BIN_EXE_reachability-conformance");
const PROXY_VARIABLES: [&str; 6] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
];

fn harness(args: &[&str], proxy: &str) -> Output {
    let mut command = Command::new(BINARY);
    command
        .args(args)
        .env("CI", "true")
        .env("NO_COLOR", "1")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .env("RC_PROXY_TEST_TOKEN", "proxy-test-token");
    for name in PROXY_VARIABLES {
        command.env(name, proxy);
    }
    command.output().expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
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
    for profile in ["camara-v1", "orange-lab-v0"] {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(&format!("{profile}: ")) && l.contains(" 0 failed")),
            "{stdout}"
        );
    }
}

#[test]
fn a_remote_target_is_reached_through_the_proxy() {
    let (proxy, seen) = recording_proxy();
    let dir = std::env::temp_dir().join(format!("rc-proxy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let target: PathBuf = dir.join("remote.toml");
    std::fs::write(
        &target,
        r#"profile = "camara-v1"
api_root = "http://reachability.example.test"

[http]
timeout_ms = 5000

[auth]
access_token_env = "RC_PROXY_TEST_TOKEN"

[devices]
data = { phoneNumber = "+33699901031" }
"#,
    )
    .unwrap();
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
    assert!(!stdout.contains("proxy-test-token"), "{stdout}");
}
