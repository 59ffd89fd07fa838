//! Target files: the full format, and the exact message of every error case.

use reachability_harness::Api;
use std::path::PathBuf;
use std::time::Duration;

use reachability_harness::negative::Depth;
use reachability_harness::target_file::{DEFAULT_HOOK_TIMEOUT, HookCall, Target, TargetError};
use serde_json::json;

/// A complete target file using every key.
const FULL: &str = r#"
profile = "camara-v1"
api_root = "http://127.0.0.1:9091/"
[http]
timeout_ms = 2500
concurrency = 3
requests_per_second = 7
insecure_tls = true
[auth]
token_url = "http://127.0.0.1:9091/oauth/token"
client_id = "demo-client"
client_secret_env = "CAMARA_CLIENT_SECRET"
access_token_env = "CAMARA_ACCESS_TOKEN"
scope = "device-reachability-status:read"
revocation_url = "http://127.0.0.1:9091/oauth/revoke"
expired_token_env = "CAMARA_EXPIRED_TOKEN"
no_scope_scope = "openid"
ciba_url = "http://127.0.0.1:9091/bc-authorize"
device_login_hint = "tel:+33699901031"
[provider]
network_error_header = "x-mock-simulate: network-error"
[devices]
data = { phoneNumber = "+33699901031" }
sms = { phoneNumber = "+33699901032" }
data_and_sms = { phoneNumber = "+33699901033" }
not_connected = { phoneNumber = "+33699901034" }
not_applicable = { phoneNumber = "+33699901035" }
unknown = { phoneNumber = "+33699999999" }
mismatch = { phoneNumber = "+33699901031", ipv6Address = "2001:db8:85a3:8d3:1319:8a2e:370:7344" }
unsupported_identifiers = ["networkAccessIdentifier"]
"#;

/// The smallest remote target: a root and a client.
const MINIMAL: &str = r#"profile = "orange-lab-v0"
api_root = "https://api.example.com"
[auth]
token_url = "https://api.example.com/oauth/v3/token"
authorization_env = "ORANGE_AUTHORIZATION"
"#;

/// The environment of these tests.
fn env(name: &str) -> Option<String> {
    match name {
        "CAMARA_CLIENT_SECRET" => Some("client-secret-123".into()),
        "CAMARA_ACCESS_TOKEN" => Some("access-token-456".into()),
        "CAMARA_EXPIRED_TOKEN" => Some("expired-token-789".into()),
        "ORANGE_AUTHORIZATION" => Some("Basic b3JhbmdlOnNlY3JldA==".into()),
        "NO_SCHEME" => Some("b3JhbmdlOnNlY3JldA==".into()),
        "EMPTY" => Some(String::new()),
        _ => None,
    }
}

fn parse(text: &str) -> Result<Target, TargetError> {
    Target::parse(text, "t.toml", &env)
}

/// The error message for `text`.
fn error(text: &str) -> String {
    match parse(text) {
        Ok(target) => panic!("expected an error, got {target:?}"),
        Err(e) => e.to_string(),
    }
}

/// The minimal file with an `[auth]` table made of `auth` lines instead.
fn with_auth(auth: &str) -> String {
    format!("profile = \"camara-v1\"\napi_root = \"http://h\"\n[auth]\n{auth}\n")
}

#[test]
fn full_file_is_read_whole() {
    let t = parse(FULL).unwrap();
    assert_eq!(t.origin, "t.toml");
    assert_eq!(t.profile, Api::CamaraV1.current());
    assert_eq!(t.api_root.as_deref(), Some("http://127.0.0.1:9091"));
    assert_eq!(
        t.operation_url().as_deref(),
        Some("http://127.0.0.1:9091/device-reachability-status/v1/retrieve")
    );
    assert_eq!(
        (
            t.http.timeout_ms,
            t.http.concurrency,
            t.http.requests_per_second,
            t.http.insecure_tls
        ),
        (2500, 3, 7, true)
    );
    let a = &t.auth;
    assert_eq!(
        a.token_url.as_deref(),
        Some("http://127.0.0.1:9091/oauth/token")
    );
    assert_eq!(a.client_id.as_deref(), Some("demo-client"));
    assert_eq!(
        a.client_secret.as_ref().unwrap().expose(),
        "client-secret-123"
    );
    assert_eq!(
        a.access_token.as_ref().unwrap().expose(),
        "access-token-456"
    );
    assert_eq!(
        a.expired_token.as_ref().unwrap().expose(),
        "expired-token-789"
    );
    assert!(a.authorization.is_none());
    assert_eq!(a.scope.as_deref(), Some("device-reachability-status:read"));
    assert_eq!(
        a.revocation_url.as_deref(),
        Some("http://127.0.0.1:9091/oauth/revoke")
    );
    assert_eq!(a.no_scope_scope.as_deref(), Some("openid"));
    assert_eq!(
        a.ciba_url.as_deref(),
        Some("http://127.0.0.1:9091/bc-authorize")
    );
    assert_eq!(a.device_login_hint.as_deref(), Some("tel:+33699901031"));
    assert_eq!(
        t.provider.network_error_header,
        Some(("x-mock-simulate".into(), "network-error".into()))
    );
    let d = &t.devices;
    assert_eq!(d.data, Some(json!({"phoneNumber": "+33699901031"})));
    assert_eq!(d.sms, Some(json!({"phoneNumber": "+33699901032"})));
    assert_eq!(d.data_and_sms, Some(json!({"phoneNumber": "+33699901033"})));
    assert_eq!(
        d.not_connected,
        Some(json!({"phoneNumber": "+33699901034"}))
    );
    assert_eq!(
        d.not_applicable,
        Some(json!({"phoneNumber": "+33699901035"}))
    );
    assert_eq!(d.unknown, Some(json!({"phoneNumber": "+33699999999"})));
    assert_eq!(
        d.mismatch,
        Some(
            json!({"phoneNumber": "+33699901031", "ipv6Address": "2001:db8:85a3:8d3:1319:8a2e:370:7344"})
        )
    );
    assert_eq!(d.unsupported_identifiers, ["networkAccessIdentifier"]);
    assert!(t.embedded_mock.is_none());
    let secrets: Vec<&str> = t.secrets().iter().map(|s| s.expose()).collect();
    assert_eq!(
        secrets,
        ["client-secret-123", "access-token-456", "expired-token-789"]
    );
}

#[test]
fn secrets_never_show_in_debug() {
    let debug = format!("{:?}", parse(FULL).unwrap());
    for secret in ["client-secret-123", "access-token-456", "expired-token-789"] {
        assert!(!debug.contains(secret), "{debug}");
    }
    assert!(debug.contains("[REDACTED]"));
}

#[test]
fn minimal_file_gets_defaults() {
    let t = parse(MINIMAL).unwrap();
    assert_eq!(t.profile(), Api::OrangeLabV0.current());
    assert_eq!(
        t.http(),
        &reachability_harness::http::HttpSettings::default()
    );
    assert_eq!(
        t.operation_url().as_deref(),
        Some("https://api.example.com/camara/orange-lab/device-reachability-status/v0/retrieve")
    );
    assert_eq!(
        t.auth.authorization.as_ref().unwrap().expose(),
        "Basic b3JhbmdlOnNlY3JldA=="
    );
    assert_eq!(t.auth.scope, None);
    assert_eq!(t.devices, Default::default());
    assert_eq!(t.provider, Default::default());
}

#[test]
fn the_run_table_sets_the_depth() {
    assert_eq!(parse(MINIMAL).unwrap().depth, None);
    let quick = parse(&format!("{MINIMAL}[run]\ndepth = \"quick\"\n")).unwrap();
    assert_eq!(quick.depth, Some(Depth::Quick));
    assert_eq!(
        error(&format!("{MINIMAL}[run]\ndepth = \"fast\"\n")),
        "t.toml: run.depth: \"fast\" is not a depth: give quick, standard or deep; quick sends \
         one generated case per malformation class, standard (the default) adds a small random \
         sample, deep sends the counts the steps write"
    );
}

#[test]
fn base_url_gives_the_operation_url() {
    let text = MINIMAL.replace(
        "api_root = \"https://api.example.com\"",
        "base_url = \"https://h/p/device-reachability-status/v1/\"",
    );
    let t = parse(&text).unwrap();
    assert_eq!(
        t.operation_url().as_deref(),
        Some("https://h/p/device-reachability-status/v1/retrieve")
    );
}

#[test]
fn embedded_mock_needs_no_address_nor_credentials() {
    let t = parse(
        "profile = \"camara-v1\"\nembedded_mock = true\n[mock]\nfaults = [\"slow\"]\nlatency_ms = 20\n[http]\nconcurrency = 2\n",
    )
    .unwrap();
    let mock = t.embedded_mock.as_ref().unwrap();
    assert_eq!(
        (mock.faults.as_slice(), mock.latency_ms),
        (&["slow".to_owned()][..], 20)
    );
    assert_eq!(t.http.concurrency, 2);
    assert_eq!(t.operation_url(), None);
    assert!(t.secrets().is_empty());
}

#[test]
fn access_token_alone_is_enough() {
    let t = parse(&with_auth("access_token_env = \"CAMARA_ACCESS_TOKEN\"")).unwrap();
    assert_eq!(t.auth.access_token.unwrap().expose(), "access-token-456");
}

#[test]
fn unreadable_file() {
    let path = PathBuf::from("/nonexistent-dir/target.toml");
    assert_eq!(
        Target::load(&path).unwrap_err().to_string(),
        "/nonexistent-dir/target.toml: cannot read the file (No such file or directory (os error 2)); \
         check the path and the file's permissions"
    );
}

#[test]
fn load_reads_a_file() {
    let path = std::env::temp_dir().join(format!("target-load-{}.toml", std::process::id()));
    std::fs::write(&path, "profile = \"camara-v1\"\nembedded_mock = true\n").unwrap();
    let loaded = Target::load(&path);
    std::fs::remove_file(&path).unwrap();
    let t = loaded.unwrap();
    assert_eq!(t.origin, path.display().to_string());
    assert_eq!(t.embedded_mock, Some(Default::default()));
}

#[test]
fn toml_syntax_error_gives_line_and_column() {
    assert_eq!(
        error("profile = \"camara-v1\"\n[http\n"),
        "t.toml: line 2, column 6: invalid TOML: unclosed table, expected `]`; fix the TOML syntax"
    );
    assert_eq!(
        error("profile = \"camara-v1\"\nprofile = \"x\"\n"),
        "t.toml: line 2, column 1: invalid TOML: duplicate key; fix the TOML syntax"
    );
}

#[test]
fn unknown_keys_are_named_with_the_allowed_ones() {
    assert_eq!(
        error("profle = \"camara-v1\"\n"),
        "t.toml: profle (line 1, column 1): unknown key; use one of: profile, api_root, base_url, \
         embedded_mock, mock, http, run, auth, provider, devices, subscriptions, vocabulary, params"
    );
    assert_eq!(
        error(&format!("{MINIMAL}[http]\ntimeout = 5\n")),
        "t.toml: http.timeout (line 7, column 1): unknown key; use one of: timeout_ms, concurrency, \
         requests_per_second, insecure_tls"
    );
    assert_eq!(
        error(&with_auth("client_secret = \"oops\"")),
        "t.toml: auth.client_secret (line 4, column 1): unknown key; use one of: token_url, client_id, \
         client_secret_env, authorization_env, access_token_env, scope, revocation_url, \
         expired_token_env, no_scope_scope, ciba_url, device_login_hint, client_auth, \
         private_key_file, private_key_env, key_id, algorithm, assertion_audience, \
         assertion_lifetime_s, openid_configuration_url"
    );
}

#[test]
fn wrong_types_are_named() {
    assert_eq!(
        error(&format!("{MINIMAL}[http]\ntimeout_ms = \"5\"\n")),
        "t.toml: http.timeout_ms (line 7, column 14): expected a non-negative integer, found string \"5\"; \
         fix the value"
    );
    assert_eq!(
        error(&format!("{MINIMAL}[http]\nconcurrency = -1\n")),
        "t.toml: http.concurrency (line 7, column 15): expected a non-negative integer, found integer `-1`; \
         fix the value"
    );
    assert_eq!(
        error(&format!("{MINIMAL}[http]\ninsecure_tls = \"yes\"\n")),
        "t.toml: http.insecure_tls (line 7, column 16): expected a boolean, found string \"yes\"; fix the value"
    );
    assert_eq!(
        error("profile = \"camara-v1\"\nhttp = 3\n"),
        "t.toml: http (line 2, column 8): expected a table, found integer `3`; fix the value"
    );
    assert_eq!(
        error(&format!(
            "{MINIMAL}[devices]\nunsupported_identifiers = [1]\n"
        )),
        "t.toml: devices.unsupported_identifiers[0] (line 7, column 28): expected a string, found integer `1`; \
         fix the value"
    );
}

#[test]
fn missing_required_keys() {
    assert_eq!(
        error("api_root = \"http://h\"\n"),
        "t.toml: profile: required key is missing; add it"
    );
    assert_eq!(
        error("profile = \"camara-v1\"\n[auth]\naccess_token_env = \"CAMARA_ACCESS_TOKEN\"\n"),
        "t.toml: api_root: required key is missing; add api_root = \"https://host\" \
         (or base_url = \"https://host/.../v1\")"
    );
    assert_eq!(
        error(&with_auth(
            "client_secret_env = \"CAMARA_CLIENT_SECRET\"\ntoken_url = \"http://h/t\""
        )),
        "t.toml: auth.client_id: required with auth.client_secret_env; add the OAuth client id"
    );
    assert_eq!(
        error(&with_auth("authorization_env = \"ORANGE_AUTHORIZATION\"")),
        "t.toml: auth.token_url: required with client credentials; add the URL of the OAuth token \
         endpoint, or auth.openid_configuration_url"
    );
}

#[test]
fn secrets_must_be_in_the_environment() {
    assert_eq!(
        error(&with_auth(
            "token_url = \"http://h/t\"\nclient_id = \"demo-client\"\nclient_secret_env = \"UNSET_SECRET\""
        )),
        "t.toml: auth.client_secret_env: environment variable UNSET_SECRET is not set; \
         export it with the client secret of client \"demo-client\""
    );
    assert_eq!(
        error(&with_auth("access_token_env = \"EMPTY\"")),
        "t.toml: auth.access_token_env: environment variable EMPTY is empty; \
         export it with a valid access token for the API"
    );
    assert_eq!(
        error(&with_auth(
            "access_token_env = \"CAMARA_ACCESS_TOKEN\"\nexpired_token_env = \"UNSET\""
        )),
        "t.toml: auth.expired_token_env: environment variable UNSET is not set; \
         export it with an expired access token, or remove auth.expired_token_env"
    );
    assert_eq!(
        error(&with_auth(
            "token_url = \"http://h/t\"\nauthorization_env = \"NO_SCHEME\""
        )),
        "t.toml: auth.authorization_env: environment variable NO_SCHEME does not hold a scheme and \
         credentials; export it with the whole Authorization header value for the token endpoint, \
         e.g. \"Basic <base64 of id:secret>\""
    );
}

#[test]
fn invalid_urls() {
    assert_eq!(
        error(&MINIMAL.replace("https://api.example.com\"", "api.example.com\"")),
        "t.toml: api_root: \"api.example.com\" is not an absolute http or https URL; \
         write it like \"https://host/path\""
    );
    assert_eq!(
        error(&MINIMAL.replace(
            "https://api.example.com/oauth",
            "ftp://api.example.com/oauth"
        )),
        "t.toml: auth.token_url: \"ftp://api.example.com/oauth/v3/token\" is not an absolute http or \
         https URL; write it like \"https://host/path\""
    );
}

#[test]
fn invalid_values() {
    assert_eq!(
        error(&MINIMAL.replace("orange-lab-v0", "camara-v2")),
        "t.toml: profile: unknown profile \"camara-v2\"; use one of: \"camara-subscriptions-v0.8\", \"camara-v1.0\", \"camara-v1.1\", \"camara-v1.2-rc\", \"orange-lab-v0\""
    );
    assert_eq!(
        error(&format!("{MINIMAL}[http]\nconcurrency = 0\n")),
        "t.toml: http.concurrency: must be at least 1; set how many requests may be in flight at once, e.g. 8"
    );
    assert_eq!(
        error(&format!("{MINIMAL}[http]\ntimeout_ms = 0\n")),
        "t.toml: http.timeout_ms: must be greater than 0; \
         set the time allowed for one request in milliseconds, e.g. 10000"
    );
    assert_eq!(
        error(&format!("{MINIMAL}[devices]\ndata = \"+33699901031\"\n")),
        "t.toml: devices.data: must be a non-empty table (a CAMARA device object); \
         write it like data = { phoneNumber = \"+33612345678\" }"
    );
    assert_eq!(
        error(&format!("{MINIMAL}[devices]\nunknown = {{}}\n")),
        "t.toml: devices.unknown: must be a non-empty table (a CAMARA device object); \
         write it like unknown = { phoneNumber = \"+33612345678\" }"
    );
    assert_eq!(
        error(&format!(
            "{MINIMAL}[devices]\nunsupported_identifiers = [\"imsi\"]\n"
        )),
        "t.toml: devices.unsupported_identifiers: unknown device identifier type \"imsi\"; \
         use some of: phoneNumber, networkAccessIdentifier, ipv4Address, ipv6Address"
    );
    assert_eq!(
        error(&format!(
            "{MINIMAL}[provider]\nnetwork_error_header = \"x-mock-simulate network-error\"\n"
        )),
        "t.toml: provider.network_error_header: \"x-mock-simulate network-error\" is not a \"Name: value\" \
         header; write it like \"x-mock-simulate: network-error\""
    );
}

#[test]
fn conflicting_keys() {
    assert_eq!(
        error("profile = \"camara-v1\"\nembedded_mock = true\napi_root = \"http://h\"\n"),
        "t.toml: api_root: not allowed with embedded_mock = true; \
         remove it: the embedded mock provides its own address, credentials and devices"
    );
    assert_eq!(
        error("profile = \"camara-v1\"\nembedded_mock = true\n[auth]\nscope = \"x\"\n"),
        "t.toml: auth: not allowed with embedded_mock = true; \
         remove it: the embedded mock provides its own address, credentials and devices"
    );
    assert_eq!(
        error(&format!("{MINIMAL}[mock]\nlatency_ms = 5\n")),
        "t.toml: mock: only allowed with embedded_mock = true; add embedded_mock = true or remove the [mock] table"
    );
    assert_eq!(
        error(&MINIMAL.replace("[auth]", "base_url = \"https://h/v1\"\n[auth]")),
        "t.toml: base_url: conflicts with api_root; keep only one of them"
    );
}

#[test]
fn ciba_needs_a_login_hint_and_the_reverse() {
    let client = "token_url = \"http://h/t\"\nclient_id = \"c\"\nclient_secret_env = \"CAMARA_CLIENT_SECRET\"";
    assert_eq!(
        error(&with_auth(&format!("{client}\nciba_url = \"http://h/bc\""))),
        "t.toml: auth.device_login_hint: required with auth.ciba_url; \
         set the CIBA login hint of a test device, e.g. \"tel:+33612345678\""
    );
    assert_eq!(
        error(&with_auth(&format!(
            "{client}\ndevice_login_hint = \"tel:+1\""
        ))),
        "t.toml: auth.device_login_hint: only used with auth.ciba_url (or \
         auth.openid_configuration_url); add auth.ciba_url or remove it"
    );
}

#[test]
fn there_must_be_a_way_to_get_a_token() {
    let expected = "t.toml: auth: no way to get an access token; set auth.client_secret_env (with \
                    auth.client_id and auth.token_url), auth.authorization_env (with auth.token_url), \
                    client_auth = \"private_key_jwt\" (with auth.client_id, auth.private_key_file and \
                    auth.token_url) or auth.access_token_env";
    assert_eq!(
        error("profile = \"camara-v1\"\napi_root = \"http://h\"\n"),
        expected
    );
    assert_eq!(
        error(&with_auth("token_url = \"http://h/t\"\nclient_id = \"c\"")),
        expected
    );
    assert_eq!(
        error(&with_auth(
            "access_token_env = \"CAMARA_ACCESS_TOKEN\"\nrevocation_url = \"http://h/r\""
        )),
        "t.toml: auth.revocation_url: needs client credentials; set auth.client_secret_env (with \
         auth.client_id), auth.authorization_env or client_auth = \"private_key_jwt\", and \
         auth.token_url"
    );
}

#[test]
fn the_subscriptions_table_sets_the_sink_and_the_waiting_bounds() {
    let text = "profile = \"camara-subscriptions-v0.8\"\napi_root = \"http://h\"\n\
                [auth]\ntoken_url = \"http://h/token\"\nclient_id = \"c\"\n\
                client_secret_env = \"CAMARA_CLIENT_SECRET\"\n\
                [subscriptions]\nsink_bind = \"0.0.0.0:8443\"\n\
                sink_url = \"https://tunnel.example.com/hooks\"\n\
                event_timeout_s = 30\nquiet_window_ms = 250\n";
    let t = parse(text).unwrap();
    assert_eq!(t.profile, Api::CamaraSubscriptionsV0.current());
    let s = &t.subscriptions;
    assert_eq!(s.sink.bind.to_string(), "0.0.0.0:8443");
    assert_eq!(
        s.sink.public_url.as_deref(),
        Some("https://tunnel.example.com/hooks")
    );
    assert_eq!(s.event_timeout.as_secs(), 30);
    assert_eq!(s.quiet_window.as_millis(), 250);
    let defaults = parse(MINIMAL).unwrap().subscriptions;
    assert_eq!(defaults.sink.bind.to_string(), "127.0.0.1:0");
    assert_eq!(defaults.sink.public_url, None);
    assert_eq!(defaults.event_timeout.as_secs(), 10);
}

#[test]
fn bad_subscriptions_values_are_named() {
    let with = |line: &str| format!("{MINIMAL}[subscriptions]\n{line}\n");
    assert_eq!(
        error(&with("sink_bind = \"localhost\"")),
        "t.toml: subscriptions.sink_bind: \"localhost\" is not an address and port; write it like \"127.0.0.1:0\" (0 picks a free port) or \"0.0.0.0:8443\""
    );
    assert!(
        error(&with("sink_url = \"tunnel\"")).contains("subscriptions.sink_url"),
        "{}",
        error(&with("sink_url = \"tunnel\""))
    );
    assert!(
        error(&with("event_timeout_s = 0"))
            .contains("subscriptions.event_timeout_s: must be greater than 0")
    );
    assert!(
        error(&with("quiet_window_ms = 0"))
            .contains("subscriptions.quiet_window_ms: must be greater than 0")
    );
    assert!(error(&with("sink = 1")).contains("subscriptions"));
    assert_eq!(
        error(&with("sink_cert_file = \"c.pem\"")),
        "t.toml: subscriptions.sink_cert_file: needs sink_key_file too (and the other way round); give both PEM files, or neither for a self-signed certificate"
    );
}

#[test]
fn the_state_change_hook_is_a_command_or_an_http_call() {
    let with = |line: &str| format!("{MINIMAL}[subscriptions]\n{line}\n");
    let command = parse(&with(
        "state_change_hook = { command = [\"./hook.sh\", \"{change}\", \"{device}\"], timeout_s = 5 }",
    ))
    .unwrap();
    let hook = command.subscriptions.state_change_hook.unwrap();
    assert_eq!(
        hook.call,
        HookCall::Command(vec![
            "./hook.sh".into(),
            "{change}".into(),
            "{device}".into()
        ])
    );
    assert_eq!(hook.timeout, Duration::from_secs(5));
    let http = parse(&with(
        "state_change_hook = { url = \"https://h/hook\", headers_env = { Authorization = \"CAMARA_ACCESS_TOKEN\" } }\nsweep = true",
    ))
    .unwrap();
    let hook = http.subscriptions.state_change_hook.as_ref().unwrap();
    assert_eq!(hook.timeout, DEFAULT_HOOK_TIMEOUT);
    let HookCall::Http {
        url,
        method,
        headers,
    } = &hook.call
    else {
        panic!("{hook:?}")
    };
    assert_eq!((url.as_str(), method.as_str()), ("https://h/hook", "POST"));
    assert_eq!(headers[0].0, "Authorization");
    assert_eq!(headers[0].1.expose(), "access-token-456");
    assert!(http.subscriptions.sweep);
    assert!(
        http.secrets()
            .iter()
            .any(|s| s.expose() == "access-token-456"),
        "the header's value is a secret the redactor masks"
    );
    assert!(!parse(MINIMAL).unwrap().subscriptions.sweep);
}

#[test]
fn bad_state_change_hooks_are_named() {
    let with = |hook: &str| format!("{MINIMAL}[subscriptions]\nstate_change_hook = {hook}\n");
    let forms = "write state_change_hook = { command = [\"./hook.sh\", \"{change}\", \"{device}\"] } or { url = \"https://host/hook\" }";
    assert_eq!(
        error(&with("{ command = [\"a\"], url = \"https://h\" }")),
        format!("t.toml: subscriptions.state_change_hook: has both command and url; {forms}")
    );
    assert_eq!(
        error(&with("{ timeout_s = 3 }")),
        format!("t.toml: subscriptions.state_change_hook: has neither command nor url; {forms}")
    );
    assert_eq!(
        error(&with("{ command = [] }")),
        "t.toml: subscriptions.state_change_hook.command: must name a program; write it like command = [\"./hook.sh\", \"{change}\", \"{device}\"]"
    );
    assert_eq!(
        error(&with("{ command = [\"a\"], method = \"GET\" }")),
        "t.toml: subscriptions.state_change_hook.method: only applies to a url hook; remove it, or call the hook by url"
    );
    assert_eq!(
        error(&with("{ url = \"https://h\", timeout_s = 0 }")),
        "t.toml: subscriptions.state_change_hook.timeout_s: must be greater than 0; the hook may take this long at most; e.g. timeout_s = 10"
    );
    assert_eq!(
        error(&with(
            "{ url = \"https://h\", headers_env = { X-Key = \"UNSET\" } }"
        )),
        "t.toml: subscriptions.state_change_hook.headers_env.X-Key: environment variable UNSET is not set; export it with the header's value"
    );
    assert!(
        error(&with("{ url = \"https://h\", method = \"GE T\" }"))
            .contains("state_change_hook.method: \"GE T\" is not an HTTP method"),
    );
    assert!(error(&with("{ url = \"h\" }")).contains("state_change_hook.url"));
    assert!(error(&with("{ script = \"x\" }")).contains("unknown key"));
}
