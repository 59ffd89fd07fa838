//! The release binary as a user runs it: peak memory of a run, and the time from
//! process start to its first request.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::header;
use tokio::net::TcpListener;
use tokio::sync::Notify;

/// The binary under test, built by cargo with the bench profile.
pub const BINARY: &str = env!("CARGO_BIN_EXE_reachability-conformance");

/// Variable holding the bench's dummy access token.
pub const TOKEN_ENV: &str = "RC_BENCH_ACCESS_TOKEN";

/// How a finished child went.
pub struct Finished {
    /// Wall time from spawn to exit.
    pub elapsed: Duration,
    /// Its peak resident set size, in KiB.
    pub max_rss_kib: u64,
    /// Its exit code (`None` when killed by a signal).
    pub code: Option<i32>,
}

/// Runs the binary with `args` (output discarded; the bench's token in [`TOKEN_ENV`]) and
/// reads its peak memory from the OS.
pub fn measure(args: &[&str]) -> Result<Finished, String> {
    let started = Instant::now();
    let child = Command::new(BINARY)
        .args(args)
        .env(TOKEN_ENV, "bench-token")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {BINARY}: {e}"))?;
    let pid = libc::pid_t::try_from(child.id()).map_err(|e| e.to_string())?;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero `rusage` is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet waited for; both pointers are to live locals.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if waited != pid {
        return Err(format!("wait4 failed: {}", std::io::Error::last_os_error()));
    }
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    Ok(Finished {
        elapsed: started.elapsed(),
        // Linux reports ru_maxrss in KiB.
        max_rss_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
        code,
    })
}

/// A loopback server of the bench's own that notes when its first request arrives.
struct FirstRequest {
    at: Arc<Mutex<Option<Instant>>>,
    arrived: Arc<Notify>,
    addr: std::net::SocketAddr,
}

impl FirstRequest {
    async fn start() -> Result<FirstRequest, String> {
        let at = Arc::new(Mutex::new(None));
        let arrived = Arc::new(Notify::new());
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let (seen, notify) = (Arc::clone(&at), Arc::clone(&arrived));
        let app = Router::new().fallback(move || {
            let (seen, notify) = (Arc::clone(&seen), Arc::clone(&notify));
            async move {
                let now = Instant::now();
                seen.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .get_or_insert(now);
                notify.notify_one();
                ([(header::CONTENT_TYPE, "application/json")], "{}")
            }
        });
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(FirstRequest { at, arrived, addr })
    }
}

/// A target file for a server at `addr`: a ready access token and one device.
fn target_file(dir: &Path, addr: std::net::SocketAddr) -> Result<PathBuf, String> {
    let path = dir.join(format!("startup-{}.toml", addr.port()));
    let text = format!(
        "profile = \"camara-v1\"\napi_root = \"http://{addr}\"\n\n[auth]\naccess_token_env = \"{TOKEN_ENV}\"\n\n[devices]\ndata = {{ phoneNumber = \"{data}\" }}\n",
        data = reachability_test_support::lab::data(),
    );
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// Time from spawning `run --target` to the first request reaching our server.
pub async fn startup(dir: &Path) -> Result<Duration, String> {
    let server = FirstRequest::start().await?;
    let target = target_file(dir, server.addr)?;
    let started = Instant::now();
    let mut child = Command::new(BINARY)
        .args(["run", "--target"])
        .arg(&target)
        .env(TOKEN_ENV, "bench-token")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {BINARY}: {e}"))?;
    let waited = tokio::time::timeout(Duration::from_secs(30), server.arrived.notified()).await;
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_file(&target);
    waited.map_err(|_| "the binary sent no request within 30 s".to_owned())?;
    let first = server
        .at
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .ok_or("no request time was noted")?;
    Ok(first.duration_since(started))
}
