//! The sink's HTTP server: answers `204` to every POST at once and hands it to the
//! recorder; bodies are capped at [`MAX_BODY_BYTES`].

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::SystemTime;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

use super::tls::TlsListener;
use super::{Shared, record::Notification};

/// Largest notification body read; a larger one is answered 413 and not recorded.
const MAX_BODY_BYTES: usize = 256 * 1024;

/// Binds `bind` and serves (over TLS with `tls`) until the returned sender is dropped.
pub(crate) async fn serve(
    bind: SocketAddr,
    tls: Option<ServerConfig>,
    shared: Arc<Shared>,
) -> io::Result<(SocketAddr, oneshot::Sender<()>)> {
    let listener = TcpListener::bind(bind).await?;
    let local = listener.local_addr()?;
    let router = Router::new()
        .route("/notifications/{key}", post(receive))
        .fallback(unattributed)
        .with_state(shared);
    let (stop, stopped) = oneshot::channel::<()>();
    let shutdown = async {
        let _ = stopped.await;
    };
    match tls {
        Some(config) => {
            let listener = TlsListener {
                tcp: listener,
                acceptor: TlsAcceptor::from(Arc::new(config)),
            };
            tokio::spawn(async move {
                let _ = axum::serve(listener, router)
                    .with_graceful_shutdown(shutdown)
                    .await;
            });
        }
        None => {
            tokio::spawn(async move {
                let _ = axum::serve(listener, router)
                    .with_graceful_shutdown(shutdown)
                    .await;
            });
        }
    }
    Ok((local, stop))
}

async fn receive(
    State(shared): State<Arc<Shared>>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> StatusCode {
    match notification(&headers, body).await {
        Some(notification) => {
            if shared.record(&key, notification) {
                StatusCode::NO_CONTENT
            } else {
                StatusCode::NOT_FOUND
            }
        }
        None => StatusCode::PAYLOAD_TOO_LARGE,
    }
}

async fn unattributed(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Body,
) -> StatusCode {
    if let Some(notification) = notification(&headers, body).await {
        shared.record("", notification);
    }
    StatusCode::NOT_FOUND
}

async fn notification(headers: &HeaderMap, body: Body) -> Option<Notification> {
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES).await.ok()?;
    Some(Notification {
        headers: headers
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: String::from_utf8_lossy(&bytes).into_owned(),
        arrived: SystemTime::now(),
        authorized: false,
    })
}
