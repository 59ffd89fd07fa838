use std::time::Duration;

use super::*;

async fn started() -> (Sink, Redactor) {
    let redactor = Redactor::new();
    let sink = Sink::start(&SinkSettings::default(), redactor.clone())
        .await
        .expect("the sink starts");
    (sink, redactor)
}

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .tls_danger_accept_invalid_certs(true)
        .build()
        .unwrap()
}

async fn post(url: &str, token: Option<&str>, body: &str) -> u16 {
    let mut request = client()
        .post(url)
        .header("content-type", "application/cloudevents+json")
        .body(body.to_owned());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("an answer").status().as_u16()
}

#[tokio::test]
async fn notifications_are_attributed_to_their_subscription_and_their_token_checked() {
    let (sink, _) = started().await;
    let first = sink.register();
    let second = sink.register();
    assert_ne!(first.url, second.url);
    assert_ne!(first.token, second.token);
    assert!(first.url.starts_with(&sink.base_url()));

    assert_eq!(
        post(&first.url, Some(&first.token), r#"{"n":1}"#).await,
        204
    );
    assert_eq!(
        post(&first.url, Some(&second.token), r#"{"n":2}"#).await,
        204
    );
    assert_eq!(post(&second.url, None, r#"{"n":3}"#).await, 204);

    let at_first = sink.received(&first);
    assert_eq!(at_first.len(), 2);
    assert!(at_first[0].authorized);
    assert!(!at_first[1].authorized);
    assert_eq!(at_first[0].json().unwrap()["n"], 1);
    assert_eq!(
        at_first[0].header("Content-Type"),
        Some("application/cloudevents+json")
    );
    let at_second = sink.received(&second);
    assert_eq!(at_second.len(), 1);
    assert!(!at_second[0].authorized);
    assert!(sink.unattributed().is_empty());
}

#[tokio::test]
async fn unknown_paths_are_answered_404_and_kept_apart() {
    let (sink, _) = started().await;
    let known = sink.register();
    let unknown = format!("{}nobody", sink.base_url());
    assert_eq!(post(&unknown, None, "{}").await, 404);
    let root = format!("https://{}/elsewhere", sink.local_addr());
    assert_eq!(post(&root, None, "{}").await, 404);
    assert_eq!(sink.unattributed().len(), 2);
    assert!(sink.received(&known).is_empty());
}

#[tokio::test]
async fn tokens_are_secrets() {
    let (sink, redactor) = started().await;
    let registration = sink.register();
    let text = format!("Authorization: Bearer {}", registration.token);
    assert!(!redactor.redact(&text).contains(&registration.token));
    assert!(!format!("{registration:?}").contains(&registration.token));
}

#[tokio::test]
async fn waiting_is_bounded_and_reports_what_arrived() {
    let (sink, _) = started().await;
    let registration = sink.register();
    assert_eq!(post(&registration.url, None, "{}").await, 204);
    let short = Duration::from_millis(50);
    let waited = sink.wait_for(&registration, 2, short).await;
    assert_eq!(waited.map(|r| r.len()).map_err(|r| r.len()), Err(1));
    let waited = sink.wait_for(&registration, 1, short).await;
    assert_eq!(waited.map(|r| r.len()).map_err(|r| r.len()), Ok(1));

    let url = registration.url.clone();
    let later = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(20)).await;
        post(&url, None, "{}").await
    });
    let waited = sink
        .wait_for(&registration, 2, Duration::from_secs(10))
        .await;
    assert_eq!(waited.map(|r| r.len()).map_err(|r| r.len()), Ok(2));
    assert_eq!(later.await.unwrap(), 204);
    let quiet = sink
        .quiet(&registration, short, Duration::from_secs(10))
        .await;
    assert_eq!(quiet.len(), 2);
}

#[tokio::test]
async fn a_public_url_replaces_the_bound_address() {
    let settings = SinkSettings {
        public_url: Some("https://tunnel.example.com/".into()),
        ..SinkSettings::default()
    };
    let sink = Sink::start(&settings, Redactor::new()).await.unwrap();
    assert_eq!(sink.base_url(), "https://tunnel.example.com/notifications/");
    assert!(
        sink.register()
            .url
            .starts_with("https://tunnel.example.com/notifications/")
    );
}

#[tokio::test]
async fn a_busy_address_is_a_clear_error() {
    let (sink, _) = started().await;
    let settings = SinkSettings {
        bind: sink.local_addr(),
        ..SinkSettings::default()
    };
    let error = Sink::start(&settings, Redactor::new()).await.unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains(&sink.local_addr().to_string()),
        "{message}"
    );
    assert!(message.contains("sink_bind"), "{message}");
}

#[tokio::test]
async fn the_sink_speaks_https_by_default_and_plain_http_on_request() {
    let (sink, _) = started().await;
    assert!(
        sink.base_url().starts_with("https://127.0.0.1:"),
        "{}",
        sink.base_url()
    );
    let plain = SinkSettings {
        tls: SinkTls::Plain,
        ..SinkSettings::default()
    };
    let plain = Sink::start(&plain, Redactor::new()).await.unwrap();
    assert!(plain.base_url().starts_with("http://127.0.0.1:"));
    let registration = plain.register();
    assert_eq!(post(&registration.url, None, "{}").await, 204);
}

#[tokio::test]
async fn given_certificate_files_are_used_and_bad_ones_named() {
    let dir = std::env::temp_dir().join(format!("rc-sink-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let generated = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert, generated.cert.pem()).unwrap();
    std::fs::write(&key, generated.signing_key.serialize_pem()).unwrap();
    let settings = SinkSettings {
        tls: SinkTls::Files {
            cert: cert.clone(),
            key: key.clone(),
        },
        ..SinkSettings::default()
    };
    let sink = Sink::start(&settings, Redactor::new()).await.unwrap();
    let registration = sink.register();
    assert_eq!(
        post(&registration.url, Some(&registration.token), "{}").await,
        204
    );
    assert!(sink.received(&registration)[0].authorized);

    let missing = SinkSettings {
        tls: SinkTls::Files {
            cert: dir.join("none.pem"),
            key,
        },
        ..SinkSettings::default()
    };
    let message = Sink::start(&missing, Redactor::new())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("none.pem") && message.contains("sink_cert_file"),
        "{message}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_lasting_base_url_needs_a_public_url_or_a_fixed_port() {
    let fixed = |bind: &str, tls: SinkTls| SinkSettings {
        bind: bind.parse().unwrap(),
        public_url: None,
        tls,
    };
    assert_eq!(SinkSettings::default().lasting_base_url(), None);
    assert_eq!(
        fixed("0.0.0.0:8443", SinkTls::SelfSigned).lasting_base_url(),
        Some("https://0.0.0.0:8443/notifications/".into())
    );
    assert_eq!(
        fixed("127.0.0.1:8080", SinkTls::Plain).lasting_base_url(),
        Some("http://127.0.0.1:8080/notifications/".into())
    );
    let public = SinkSettings {
        public_url: Some("https://tunnel.example.com/hooks/".into()),
        ..SinkSettings::default()
    };
    assert_eq!(
        public.lasting_base_url(),
        Some("https://tunnel.example.com/hooks/notifications/".into())
    );
}
