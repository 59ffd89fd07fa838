//! The `[auth]` keys of the CAMARA security profile: client authentication methods,
//! `private_key_jwt` keys and assertions, and OpenID discovery, with every error message.

use std::path::{Path, PathBuf};
use std::time::Duration;

use reachability_contract::jose::Algorithm;
use reachability_harness::target_file::{ClientAuth, Target};

/// The folder of the test-only keys.
fn keys() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keys")
}

/// A camara-v1 target file in the keys folder with this `[auth]` table.
fn target(auth: &str) -> Result<Target, String> {
    let text = format!("profile = \"camara-v1\"\napi_root = \"http://h\"\n[auth]\n{auth}\n");
    let origin = keys().join("t.toml");
    let env = |name: &str| match name {
        "SECRET" => Some("s3cret".to_owned()),
        "HEADER" => Some("Basic abc".to_owned()),
        "KEY_PEM" => std::fs::read_to_string(keys().join("ec-p256-pkcs8.pem")).ok(),
        "NOT_PEM" => Some("hello".to_owned()),
        _ => None,
    };
    Target::parse(&text, &origin.display().to_string(), &env).map_err(|e| {
        // Errors name the file by its full path: keep the part after it.
        e.to_string()
            .split_once("t.toml: ")
            .map_or_else(|| e.to_string(), |(_, rest)| rest.to_owned())
    })
}

const JWT_CLIENT: &str =
    "token_url = \"http://h/token\"\nclient_id = \"c\"\nclient_auth = \"private_key_jwt\"";

fn jwt(extra: &str) -> Result<Target, String> {
    target(&format!("{JWT_CLIENT}\n{extra}"))
}

#[test]
fn private_key_jwt_reads_each_key_form_with_its_algorithm() {
    let cases = [
        ("rsa-2048-pkcs8.pem", None, Algorithm::Rs256),
        ("rsa-2048-pkcs1.pem", None, Algorithm::Rs256),
        ("rsa-2048-pkcs8.pem", Some("PS256"), Algorithm::Ps256),
        ("ec-p256-pkcs8.pem", None, Algorithm::Es256),
        ("ec-p256-pkcs8.pem", Some("ES256"), Algorithm::Es256),
    ];
    for (file, algorithm, expected) in cases {
        let algorithm = algorithm.map_or(String::new(), |a| format!("algorithm = \"{a}\""));
        let t = jwt(&format!("private_key_file = \"{file}\"\n{algorithm}")).unwrap();
        assert_eq!(t.auth.client_auth, ClientAuth::PrivateKeyJwt);
        let assertion = t.auth.assertion.expect("assertion settings");
        assert_eq!(assertion.algorithm, expected, "{file}");
        assert_eq!(assertion.lifetime, Duration::from_secs(60));
        assert_eq!((assertion.key_id, assertion.audience), (None, None));
        assert!(!format!("{:?}", assertion.key).contains("BEGIN"));
    }
    let full = jwt(
        "private_key_env = \"KEY_PEM\"\nkey_id = \"k1\"\nassertion_audience = \"https://as.example\"\nassertion_lifetime_s = 300",
    )
    .unwrap();
    let assertion = full.auth.assertion.unwrap();
    assert_eq!(assertion.key_id.as_deref(), Some("k1"));
    assert_eq!(assertion.audience.as_deref(), Some("https://as.example"));
    assert_eq!(assertion.lifetime, Duration::from_secs(300));
    assert_eq!(format!("{:?}", assertion.key), "PrivateKey(EC P-256)");
}

#[test]
fn private_key_jwt_errors_say_what_to_do() {
    let keys = keys();
    let cases = [
        (
            jwt("private_key_file = \"rsa-2048-pkcs8.pem\"\nassertion_lifetime_s = 301"),
            "auth.assertion_lifetime_s: 301 s is longer than the 300 s the CAMARA security profile allows; use a short lifetime, e.g. 60".to_owned(),
        ),
        (
            jwt("private_key_file = \"rsa-2048-pkcs8.pem\"\nassertion_lifetime_s = 0"),
            "auth.assertion_lifetime_s: must be at least 1; set the seconds a client assertion is valid, e.g. 60".to_owned(),
        ),
        (
            jwt(""),
            "auth.private_key_file: required with client_auth = \"private_key_jwt\"; name the PEM file of the client's private key (or auth.private_key_env)".to_owned(),
        ),
        (
            jwt("private_key_file = \"a.pem\"\nprivate_key_env = \"KEY_PEM\""),
            "auth.private_key_env: conflicts with auth.private_key_file; keep only one of them".to_owned(),
        ),
        (
            jwt("private_key_file = \"ec-p256-sec1.pem\""),
            format!(
                "auth.private_key_file: {} is unusable: it is a SEC1 EC key; convert it with `openssl pkcs8 -topk8 -nocrypt -in key.pem`; give an unencrypted PEM private key (RSA or EC P-256)",
                keys.join("ec-p256-sec1.pem").display()
            ),
        ),
        (
            jwt("private_key_file = \"README.md\""),
            format!(
                "auth.private_key_file: {} is unusable: it is not a PEM file (no -----BEGIN ...----- line); give an unencrypted PEM private key (RSA or EC P-256)",
                keys.join("README.md").display()
            ),
        ),
        (
            jwt("private_key_env = \"NOT_PEM\""),
            "auth.private_key_env: environment variable NOT_PEM is unusable: it is not a PEM file (no -----BEGIN ...----- line); export an unencrypted PEM private key (RSA or EC P-256)".to_owned(),
        ),
        (
            jwt("private_key_env = \"UNSET_KEY\""),
            "auth.private_key_env: environment variable UNSET_KEY is not set; export it with the PEM text of the client's private key".to_owned(),
        ),
        (
            jwt("private_key_file = \"ec-p256-pkcs8.pem\"\nalgorithm = \"RS256\""),
            "auth.algorithm: RS256 cannot sign with the EC P-256 key of auth.private_key_file; use ES256 or a key of type RSA".to_owned(),
        ),
        (
            jwt("private_key_file = \"ec-p256-pkcs8.pem\"\nalgorithm = \"HS256\""),
            "auth.algorithm: \"HS256\" is not a supported algorithm; use RS256, PS256 or ES256; fix the value, e.g. algorithm = \"RS256\"".to_owned(),
        ),
        (
            jwt("private_key_file = \"ec-p256-pkcs8.pem\"\nassertion_audience = \"as\""),
            "auth.assertion_audience: \"as\" is not an absolute http or https URL; write it like \"https://host/path\"".to_owned(),
        ),
        (
            jwt("private_key_file = \"ec-p256-pkcs8.pem\"\nclient_secret_env = \"SECRET\""),
            "auth.client_secret_env: not used with client_auth = \"private_key_jwt\"; remove it: the client authenticates with its private key".to_owned(),
        ),
        (
            target("token_url = \"http://h/t\"\nclient_auth = \"private_key_jwt\"\nprivate_key_file = \"ec-p256-pkcs8.pem\""),
            "auth.client_id: required with client_auth = \"private_key_jwt\"; add the OAuth client id (the iss and sub of the client assertions)".to_owned(),
        ),
        (
            target("token_url = \"http://h/t\"\nclient_id = \"c\"\nclient_secret_env = \"SECRET\"\nkey_id = \"k\""),
            "auth.key_id: only used with client_auth = \"private_key_jwt\"; add client_auth = \"private_key_jwt\" or remove it".to_owned(),
        ),
        (
            target("token_url = \"http://h/t\"\nclient_id = \"c\"\nclient_auth = \"tls_client_auth\""),
            "auth.client_auth: unknown client authentication method \"tls_client_auth\"; use client_secret_basic, client_secret_post or private_key_jwt; fix the value, e.g. client_auth = \"private_key_jwt\"".to_owned(),
        ),
    ];
    for (result, expected) in cases {
        assert_eq!(result.map(|_| ()), Err(expected));
    }
    let missing = jwt("private_key_file = \"missing.pem\"").unwrap_err();
    assert!(
        missing.starts_with(&format!(
            "auth.private_key_file: cannot read {} (",
            keys.join("missing.pem").display()
        )),
        "{missing}"
    );
}

#[test]
fn client_secret_methods() {
    let post = target(
        "token_url = \"http://h/t\"\nclient_id = \"c\"\nclient_secret_env = \"SECRET\"\nclient_auth = \"client_secret_post\"",
    )
    .unwrap();
    assert_eq!(post.auth.client_auth, ClientAuth::ClientSecretPost);
    let implied =
        target("token_url = \"http://h/t\"\nclient_id = \"c\"\nclient_secret_env = \"SECRET\"")
            .unwrap();
    assert_eq!(implied.auth.client_auth, ClientAuth::ClientSecretBasic);
    assert_eq!(
        target("token_url = \"http://h/t\"\nclient_id = \"c\"\nclient_auth = \"client_secret_post\"").map(|_| ()),
        Err("auth.client_secret_env: required with client_auth = \"client_secret_post\"; name the variable that holds the client secret".to_owned())
    );
    assert_eq!(
        target("token_url = \"http://h/t\"\nclient_id = \"c\"\nclient_secret_env = \"SECRET\"\nauthorization_env = \"HEADER\"\nclient_auth = \"client_secret_post\"").map(|_| ()),
        Err("auth.authorization_env: not used with client_auth = \"client_secret_post\"; remove it: the secret is sent as a form field".to_owned())
    );
    let basic_header = target(
        "token_url = \"http://h/t\"\nauthorization_env = \"HEADER\"\nclient_auth = \"client_secret_basic\"",
    );
    assert_eq!(
        basic_header.map(|_| ()),
        Err("auth.client_secret_env: required with client_auth = \"client_secret_basic\"; name the variable that holds the client secret (or auth.authorization_env)".to_owned())
    );
}

#[test]
fn discovery_replaces_the_endpoint_urls() {
    let t = target(
        "openid_configuration_url = \"http://h/.well-known/openid-configuration\"\nclient_id = \"c\"\nclient_auth = \"private_key_jwt\"\nprivate_key_file = \"ec-p256-pkcs8.pem\"\ndevice_login_hint = \"tel:+33699901031\"",
    )
    .unwrap();
    assert_eq!(
        t.auth.openid_configuration_url.as_deref(),
        Some("http://h/.well-known/openid-configuration")
    );
    assert_eq!((t.auth.token_url, t.auth.ciba_url), (None, None));
    assert_eq!(
        target("openid_configuration_url = \"h\"\nclient_id = \"c\"\nclient_secret_env = \"SECRET\"").map(|_| ()),
        Err("auth.openid_configuration_url: \"h\" is not an absolute http or https URL; write it like \"https://host/path\"".to_owned())
    );
}

#[test]
fn the_example_gateway_target_file_is_valid() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read_to_string(dir.join("targets/private-key-jwt-gateway.toml")).unwrap();
    let key = keys().join("rsa-2048-pkcs8.pem");
    let text = text.replace(
        "private_key_file = \"keys/gateway-client.pem\"",
        &format!("private_key_file = {:?}", key.display().to_string()),
    );
    let t = Target::parse(&text, "gateway.toml", &|_| None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.auth.client_auth, ClientAuth::PrivateKeyJwt);
    assert!(t.auth.openid_configuration_url.is_some());
}
