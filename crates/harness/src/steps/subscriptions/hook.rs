//! Calling the provider hook that changes a testing device's state
//! (`[subscriptions] state_change_hook`): a command or an HTTP call, bounded by its
//! timeout. A hook that fails makes the step errored (could not test), never failed: the
//! implementation under test is not to blame.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

use crate::http::{HttpClient, Request};
use crate::steps::Verdict;
use crate::target_file::{HookCall, StateChangeHook};
use crate::text::{floor_boundary, printable};

/// At most this much of a hook's output or answer is shown.
const SHOWN_BYTES: usize = 600;

/// Asks the provider, through `hook`, to apply `change` to `device`. `folder` is where a
/// command runs (the target file's folder).
pub(crate) async fn call(
    hook: &StateChangeHook,
    change: &str,
    device: &Value,
    http: &HttpClient,
    folder: Option<&Path>,
) -> Result<(), Verdict> {
    let payload = json!({ "change": change, "device": device });
    match &hook.call {
        HookCall::Command(argv) => run(argv, &payload, hook.timeout, folder).await,
        HookCall::Http {
            url,
            method,
            headers,
        } => {
            let mut sent = vec![("Content-Type".to_owned(), "application/json".to_owned())];
            sent.extend(
                headers
                    .iter()
                    .map(|(name, value)| (name.clone(), value.expose().to_owned())),
            );
            let request = Request {
                method: method.clone(),
                url: url.clone(),
                headers: sent,
                body: Some(payload.to_string().into_bytes()),
            };
            let answer = tokio::time::timeout(hook.timeout, http.send(request))
                .await
                .map_err(|_| {
                    errored(format!(
                        "{method} {url} did not answer within {}",
                        secs(hook.timeout)
                    ))
                })?
                .map_err(|e| errored(format!("{method} {url} failed: {e}")))?;
            if (200..300).contains(&answer.status) {
                Ok(())
            } else {
                Err(errored(format!(
                    "{method} {url} answered {}: {}",
                    answer.status,
                    shown(&answer.body)
                )))
            }
        }
    }
}

/// Runs the hook command with `{change}` and `{device}` replaced, the payload on its
/// standard input; killed when it outlives `timeout`.
async fn run(
    argv: &[String],
    payload: &Value,
    timeout: Duration,
    folder: Option<&Path>,
) -> Result<(), Verdict> {
    let change = payload["change"].as_str().unwrap_or_default();
    let device = payload["device"].to_string();
    let args: Vec<String> = argv
        .iter()
        .map(|arg| arg.replace("{change}", change).replace("{device}", &device))
        .collect();
    let Some((program, rest)) = args.split_first() else {
        return Err(errored("the command is empty: name a program".into()));
    };
    let mut command = Command::new(program);
    command
        .args(rest)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(folder) = folder {
        command.current_dir(folder);
    }
    let mut child = command
        .spawn()
        .map_err(|e| errored(format!("the command {program:?} could not be started: {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A hook that does not read its input is fine.
        let _ = stdin.write_all(payload.to_string().as_bytes()).await;
    }
    let output = tokio::time::timeout(timeout, child.wait_with_output())
        .await
        .map_err(|_| {
            errored(format!(
                "the command {program:?} did not finish within {} and was stopped",
                secs(timeout)
            ))
        })?
        .map_err(|e| errored(format!("the command {program:?} failed: {e}")))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(errored(format!(
            "the command {program:?} exited with {}: {}",
            output.status,
            shown(&output.stderr)
        )))
    }
}

fn errored(what: String) -> Verdict {
    Verdict::Errored(format!(
        "the provider hook `{}` could not change the device's state: {what}",
        crate::target_file::HOOK_KEY
    ))
}

fn secs(timeout: Duration) -> String {
    format!("{} s", timeout.as_secs_f64())
}

/// The start of `bytes` as printable text (`(nothing)` when empty).
fn shown(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim();
    if text.is_empty() {
        return "(nothing)".to_owned();
    }
    let cut = floor_boundary(text, SHOWN_BYTES);
    let more = if cut.len() < text.len() { " ..." } else { "" };
    format!("{}{more}", printable(cut))
}
