//! Peak memory of `run` against hostile targets, every answer of which is a 50 MB body,
//! an endless body, or JSON nested 100,000 deep; with `--record` on, so that what the
//! run keeps of each exchange counts too.

use std::convert::Infallible;
use std::path::Path;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::response::IntoResponse;
use futures::StreamExt as _;
use reachability_test_support::lab;
use tokio::net::TcpListener;

use crate::process::{self, TOKEN_ENV};
use crate::stats::Table;

/// The hostile bodies: a name, and how many 8 KiB chunks (`None`: endless).
const BODIES: [(&str, Option<usize>); 2] = [
    ("a 50 MB body", Some(50 * 1024 * 1024 / 8192)),
    ("an endless chunked body", None),
];

/// Depth of the nested JSON body.
const DEPTH: usize = 100_000;

/// Serves `app` on a loopback port; returns its address.
async fn serve(app: Router) -> Result<std::net::SocketAddr, String> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(addr)
}

/// A server answering every request with `chunks` chunks of 8 KiB (endless: `None`).
fn streaming(chunks: Option<usize>) -> Router {
    Router::new().fallback(move || async move {
        let chunk = Bytes::from(vec![b'z'; 8192]);
        let body = futures::stream::repeat(chunk)
            .take(chunks.unwrap_or(usize::MAX))
            .map(Ok::<_, Infallible>);
        Body::from_stream(body).into_response()
    })
}

/// A server answering every request with JSON arrays nested [`DEPTH`] deep.
fn nested() -> Router {
    let body = format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH));
    Router::new().fallback(move || {
        let body = body.clone();
        async move { ([("content-type", "application/json")], body).into_response() }
    })
}

/// A target file for the API at `addr`, every testing device configured.
fn target_text(addr: std::net::SocketAddr) -> String {
    format!(
        "profile = \"camara-v1\"\napi_root = \"http://{addr}\"\n\n[auth]\naccess_token_env = \"{TOKEN_ENV}\"\n\n\
         [devices]\ndata = {{ phoneNumber = \"{data}\" }}\nsms = {{ phoneNumber = \"{sms}\" }}\n\
         data_and_sms = {{ phoneNumber = \"{data_and_sms}\" }}\nnot_connected = {{ phoneNumber = \"{not_connected}\" }}\n\
         not_applicable = {{ phoneNumber = \"{not_applicable}\" }}\nunknown = {{ phoneNumber = \"{unknown}\" }}\n",
        data = lab::data(),
        sms = lab::sms(),
        data_and_sms = lab::data_and_sms(),
        not_connected = lab::not_connected(),
        not_applicable = lab::not_applicable(),
        unknown = lab::unknown(),
    )
}

/// Runs the binary with records on against a server made by `app`; its peak RSS in KiB.
async fn peak_against(app: Router, dir: &Path, name: &str) -> Result<u64, String> {
    let addr = serve(app).await?;
    let target = dir.join(format!("hostile-{}.toml", addr.port()));
    std::fs::write(&target, target_text(addr))
        .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    let record = dir.join(format!("hostile-record-{}", addr.port()));
    let (target_arg, record_arg) = (target.display().to_string(), record.display().to_string());
    let run = tokio::task::spawn_blocking(move || {
        process::measure(&["run", "--target", &target_arg, "--record", &record_arg])
    })
    .await
    .map_err(|e| e.to_string())??;
    let _ = std::fs::remove_file(&target);
    let _ = std::fs::remove_dir_all(&record);
    // 1: scenarios failed, as they must against such a target.
    if run.code != Some(1) {
        return Err(format!("`run` against {name} exited with {:?}", run.code));
    }
    Ok(run.max_rss_kib)
}

/// The peak RSS of `run` against each hostile target.
pub async fn table(dir: &Path) -> Result<Table, String> {
    let mut table = Table::new(&["peak RSS of `run --record` against", "value", "goal"]);
    let mut targets: Vec<(String, Router)> = BODIES
        .iter()
        .map(|(name, chunks)| ((*name).to_owned(), streaming(*chunks)))
        .collect();
    targets.push((format!("JSON nested {DEPTH} deep"), nested()));
    for (name, app) in targets {
        let kib = peak_against(app, dir, &name).await?;
        table.row(vec![
            name,
            format!("{:.1} MiB", kib as f64 / 1024.0),
            "< 64 MiB".into(),
        ]);
    }
    Ok(table)
}
