//! Accepting and serving HTTP/1 connections within the mock's limits, until shutdown.
//!
//! axum's own `serve` does not expose hyper's connection settings, so the mock runs its
//! own accept loop with hyper's HTTP/1 server: a header read timeout (which also ends
//! idle keep-alive connections), a hard cap on the request head, and a bound on the
//! connections served at once.

use std::convert::Infallible;
use std::io;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::Request;
use axum::response::Response;
use axum::{Extension, Router};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot, watch};
use tokio::task::JoinSet;

use super::limits::MockLimits;
use super::request::{HARD_MAX_HEADER_BYTES, Overloaded};

/// Connections accepted past `max_connections` only to be answered 503 and closed.
const REFUSED_CONNECTIONS: usize = 64;

/// At shutdown, how long a connection without a request in progress may take to
/// finish writing an answer before it is closed (hyper itself would wait for the
/// header timeout on a connection that is sending headers or has sent nothing).
const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);

/// Pause after an accept error that is not about one connection (such as running out
/// of file descriptors), so that the loop does not spin.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(100);

/// Serves `router` on `listener` until `stop` fires (or its sender is dropped), then
/// stops accepting, lets requests in flight finish, and returns once every connection
/// has closed.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    limits: MockLimits,
    stop: oneshot::Receiver<()>,
) {
    let served = Arc::new(Semaphore::new(
        limits.max_connections.min(Semaphore::MAX_PERMITS),
    ));
    let refused = Arc::new(Semaphore::new(REFUSED_CONNECTIONS));
    let refusing_router = router.clone().layer(Extension(Overloaded));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_header_size(HARD_MAX_HEADER_BYTES)
        // A client that closes its sending side after its request still gets the answer.
        .half_close(true);
    let mut refusing_http = http.clone();
    refusing_http.keep_alive(false);
    let (closing, closing_seen) = watch::channel(());
    let mut connections = JoinSet::new();
    let mut stop = pin!(stop);
    loop {
        let stream = tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    // Answers are written whole: send them without waiting for acks.
                    let _ = stream.set_nodelay(true);
                    stream
                }
                Err(error) => {
                    if !is_connection_error(&error) {
                        tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
                    }
                    continue;
                }
            },
        };
        while connections.try_join_next().is_some() {}
        let (builder, service, permit) = match Arc::clone(&served).try_acquire_owned() {
            Ok(permit) => (&http, router.clone(), permit),
            Err(_) => match Arc::clone(&refused).try_acquire_owned() {
                Ok(permit) => (&refusing_http, refusing_router.clone(), permit),
                // Past both bounds: closed at once, unread.
                Err(_) => continue,
            },
        };
        connections.spawn(drive(
            builder.clone(),
            stream,
            service,
            permit,
            closing_seen.clone(),
        ));
    }
    drop(listener);
    drop(closing);
    while connections.join_next().await.is_some() {}
}

/// Serves one connection, holding its `permit`, until it ends; when `closing` ends,
/// finishes the request in progress, if any, and closes.
async fn drive(
    http: http1::Builder,
    stream: TcpStream,
    router: Router,
    permit: OwnedSemaphorePermit,
    mut closing: watch::Receiver<()>,
) {
    let service = Counted {
        router: TowerToHyperService::new(router),
        in_progress: Arc::default(),
    };
    let in_progress = Arc::clone(&service.in_progress);
    let connection = http.serve_connection(TokioIo::new(stream), service);
    let mut connection = pin!(connection);
    // Errors (a client gone, a header timeout, a malformed request) end only this
    // connection; hyper has already answered what can be answered.
    tokio::select! {
        _ = connection.as_mut() => {}
        _ = closing.changed() => {
            connection.as_mut().graceful_shutdown();
            if in_progress.load(Ordering::SeqCst) > 0 {
                let _ = connection.await;
            } else {
                let _ = tokio::time::timeout(SHUTDOWN_GRACE, connection).await;
            }
        }
    }
    drop(permit);
}

/// The router as a hyper service that counts the requests in progress on its
/// connection.
#[derive(Clone)]
struct Counted {
    router: TowerToHyperService<Router>,
    in_progress: Arc<AtomicUsize>,
}

impl hyper::service::Service<Request<Incoming>> for Counted {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        let started = InProgress::start(&self.in_progress);
        let answer = self.router.call(request);
        Box::pin(async move {
            let answer = answer.await;
            drop(started);
            answer
        })
    }
}

/// One request in progress, counted until dropped.
struct InProgress(Arc<AtomicUsize>);

impl InProgress {
    fn start(count: &Arc<AtomicUsize>) -> Self {
        count.fetch_add(1, Ordering::SeqCst);
        Self(Arc::clone(count))
    }
}

impl Drop for InProgress {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Accept errors that concern one connection only.
fn is_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}
