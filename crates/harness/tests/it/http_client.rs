//! The HTTP client against loopback servers: timeouts, refused connections, redirects,
//! the body cap, pacing, the concurrency limit and transport errors.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{any, get};
use reachability_harness::http::{HttpClient, HttpError, HttpSettings, MAX_BODY_BYTES, Request};
use reachability_harness::redact::Redactor;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;
use tokio::time::Instant;

/// Serves `app` on a loopback port; returns its base URL.
async fn serve(app: Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

/// Answers every connection with `reply(stream)`; returns the base URL.
async fn serve_raw<F, Fut>(reply: F) -> String
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(reply(stream));
        }
    });
    format!("http://{addr}")
}

/// Reads an HTTP request head (the tests send no bodies to raw servers).
async fn read_head(stream: &mut TcpStream) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).await.unwrap_or(0) == 1 {
        head.push(byte[0]);
    }
}

fn client(settings: HttpSettings) -> HttpClient {
    HttpClient::new(&settings, Redactor::new()).unwrap()
}

fn get_request(url: &str) -> Request {
    Request {
        method: "GET".into(),
        url: url.into(),
        ..Request::default()
    }
}

#[tokio::test]
async fn records_the_whole_exchange() {
    let app = Router::new().route(
        "/x",
        any(|| async {
            (
                [("X-Correlator", "abc")],
                axum::Json(serde_json::json!({"ok": true})),
            )
        }),
    );
    let base = serve(app).await;
    let request = Request {
        method: "POST".into(),
        url: format!("{base}/x"),
        headers: vec![("content-type".into(), "application/json".into())],
        body: Some(b"{}".to_vec()),
    };
    let exchange = client(HttpSettings::default())
        .send(request.clone())
        .await
        .unwrap();
    assert_eq!(exchange.request, request);
    assert_eq!(exchange.status, 200);
    assert_eq!(exchange.header("x-correlator"), Some("abc"));
    assert_eq!(exchange.header("X-CORRELATOR"), Some("abc"));
    assert_eq!(exchange.header("content-type"), Some("application/json"));
    assert_eq!(exchange.json(), Ok(serde_json::json!({"ok": true})));
    assert!(!exchange.truncated);
}

#[tokio::test]
async fn slow_answer_times_out() {
    let app = Router::new().route(
        "/slow",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(10)).await;
            "late"
        }),
    );
    let base = serve(app).await;
    let settings = HttpSettings {
        timeout_ms: 200,
        ..HttpSettings::default()
    };
    let err = client(settings)
        .send(get_request(&format!("{base}/slow")))
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{base}/slow: no complete response after 200 ms; check that the target is responsive, \
             or raise `timeout_ms` in the [http] table of the target file"
        )
    );
}

#[tokio::test]
async fn stalled_body_times_out() {
    let base = serve_raw(|mut stream| async move {
        read_head(&mut stream).await;
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc")
            .await;
        tokio::time::sleep(Duration::from_secs(10)).await;
    })
    .await;
    let settings = HttpSettings {
        timeout_ms: 200,
        ..HttpSettings::default()
    };
    let err = client(settings).send(get_request(&base)).await.unwrap_err();
    assert!(
        matches!(err, HttpError::Timeout { after_ms: 200, .. }),
        "{err}"
    );
}

#[tokio::test]
async fn refused_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let url = format!("http://{addr}/x");
    let err = client(HttpSettings::default())
        .send(get_request(&url))
        .await
        .unwrap_err();
    assert_eq!(err, HttpError::Refused { url: url.clone() });
    assert_eq!(
        err.to_string(),
        format!(
            "{url}: connection refused; check that the target is running and that its URL in the \
             target file is right"
        )
    );
}

#[tokio::test]
async fn redirects_are_reported_not_followed() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let elsewhere = serve(Router::new().route(
        "/elsewhere",
        any(move || {
            counted.fetch_add(1, Ordering::SeqCst);
            async { "followed" }
        }),
    ))
    .await;
    let location = format!("{elsewhere}/elsewhere");
    let target = location.clone();
    let base = serve(Router::new().route(
        "/x",
        any(move || async move { (StatusCode::FOUND, [("location", target)]) }),
    ))
    .await;
    let request = Request {
        headers: vec![("authorization".into(), "Bearer abcdefgh".into())],
        ..get_request(&format!("{base}/x"))
    };
    let err = client(HttpSettings::default())
        .send(request)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        HttpError::Redirected {
            url: format!("{base}/x"),
            status: 302,
            location: location.clone(),
        }
    );
    assert_eq!(
        err.to_string(),
        format!(
            "{base}/x: answered HTTP 302, a redirect to {location}, which the harness does not \
             follow (it would carry the credentials there); put the final URL in the target file"
        )
    );
    assert_eq!(hits.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn other_3xx_answers_are_returned() {
    let base = serve(Router::new().route("/x", any(|| async { StatusCode::NOT_MODIFIED }))).await;
    let exchange = client(HttpSettings::default())
        .send(get_request(&format!("{base}/x")))
        .await
        .unwrap();
    assert_eq!(exchange.status, 304);
}

#[tokio::test]
async fn body_is_capped() {
    let app = Router::new()
        .route("/big", get(|| async { vec![b'a'; 2 * MAX_BODY_BYTES] }))
        .route("/exact", get(|| async { vec![b'b'; MAX_BODY_BYTES] }));
    let base = serve(app).await;
    let http = client(HttpSettings::default());
    let big = http
        .send(get_request(&format!("{base}/big")))
        .await
        .unwrap();
    assert_eq!((big.body.len(), big.truncated), (MAX_BODY_BYTES, true));
    assert!(
        big.render()
            .contains("[body cut at 65536 bytes by the harness]")
    );
    let exact = http
        .send(get_request(&format!("{base}/exact")))
        .await
        .unwrap();
    assert_eq!((exact.body.len(), exact.truncated), (MAX_BODY_BYTES, false));
}

#[tokio::test]
async fn connection_closed_mid_body() {
    let base = serve_raw(|mut stream| async move {
        read_head(&mut stream).await;
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nabc")
            .await;
        let _ = stream.shutdown().await;
    })
    .await;
    let err = client(HttpSettings::default())
        .send(get_request(&base))
        .await
        .unwrap_err();
    let HttpError::BodyInterrupted { url, .. } = &err else {
        panic!("expected BodyInterrupted, got {err:?}");
    };
    assert_eq!(url, &base);
    assert!(
        err.to_string()
            .contains(": connection closed before the whole response body arrived (")
    );
}

#[tokio::test]
async fn not_tls_is_a_tls_failure() {
    let base = serve_raw(|mut stream| async move {
        // Read the TLS ClientHello, answer in plain HTTP.
        let _ = stream.read(&mut [0u8; 4096]).await;
        let _ = stream
            .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
            .await;
    })
    .await;
    let url = base.replace("http://", "https://");
    let err = client(HttpSettings::default())
        .send(get_request(&url))
        .await
        .unwrap_err();
    assert!(matches!(err, HttpError::Tls { .. }), "{err:?}");
    assert!(err.to_string().ends_with(
        "; if the server uses a self-signed certificate, set `insecure_tls = true` in the [http] \
         table of the target file"
    ));
}

#[tokio::test]
async fn malformed_requests_are_refused_before_sending() {
    let http = client(HttpSettings::default());
    let bad_method = Request {
        method: "GE T".into(),
        ..get_request("http://127.0.0.1:9/")
    };
    assert_eq!(
        http.send(bad_method).await.unwrap_err().to_string(),
        "http://127.0.0.1:9/: cannot send the request: \"GE T\" is not an HTTP method; \
         check the URLs and values in the target file"
    );
    let err = http.send(get_request("not a url")).await.unwrap_err();
    assert!(matches!(err, HttpError::InvalidRequest { .. }), "{err:?}");
}

#[tokio::test]
async fn requests_per_second_is_honoured() {
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let log = arrivals.clone();
    let app = Router::new().route(
        "/x",
        any(move || {
            let log = log.clone();
            async move {
                log.lock().await.push(Instant::now());
                "ok"
            }
        }),
    );
    let base = serve(app).await;
    let http = client(HttpSettings {
        requests_per_second: 5,
        concurrency: 10,
        ..HttpSettings::default()
    });
    let start = Instant::now();
    let sends = (0..10).map(|_| http.send(get_request(&format!("{base}/x"))));
    for result in futures::future::join_all(sends).await {
        assert_eq!(result.unwrap().status, 200);
    }
    let arrivals = arrivals.lock().await;
    assert_eq!(arrivals.len(), 10);
    // Starts are 200 ms apart from `start` on: at most 5 fall in the first second,
    // and the tenth cannot start before 1.8 s.
    let first_second = arrivals
        .iter()
        .filter(|t| **t < start + Duration::from_secs(1))
        .count();
    assert!(
        first_second <= 5,
        "{first_second} requests in the first second"
    );
    assert!(start.elapsed() >= Duration::from_millis(1800));
}

#[tokio::test]
async fn concurrency_is_limited() {
    let in_flight = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let (now, max) = (in_flight.clone(), most.clone());
    let app = Router::new().route(
        "/x",
        any(move || {
            let (now, max) = (now.clone(), max.clone());
            async move {
                let current = now.fetch_add(1, Ordering::SeqCst) + 1;
                max.fetch_max(current, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(100)).await;
                now.fetch_sub(1, Ordering::SeqCst);
                "ok".into_response()
            }
        }),
    );
    let base = serve(app).await;
    let http = client(HttpSettings {
        concurrency: 2,
        ..HttpSettings::default()
    });
    let sends = (0..6).map(|_| http.send(get_request(&format!("{base}/x"))));
    let results = futures::future::join_all(sends).await;
    assert!(
        results
            .iter()
            .all(|r| r.as_ref().is_ok_and(|e| e.status == 200))
    );
    let most = most.load(Ordering::SeqCst);
    assert!((1..=2).contains(&most), "{most} requests in flight at once");
}

#[tokio::test]
async fn invalid_settings_are_refused() {
    let settings = HttpSettings {
        concurrency: 0,
        ..HttpSettings::default()
    };
    assert_eq!(
        HttpClient::new(&settings, Redactor::new())
            .unwrap_err()
            .to_string(),
        "cannot set up the HTTP client: concurrency and timeout_ms must be at least 1; \
         check the [http] table of the target file"
    );
}
