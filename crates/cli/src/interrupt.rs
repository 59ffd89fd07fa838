//! Ctrl-C (SIGINT) and SIGTERM during `run`: the first one stops the run, which deletes
//! the subscriptions it created; a second one exits at once.

use std::time::Duration;

use tokio::sync::watch;

use crate::cli::EXIT_INTERRUPTED;

/// How long each clean-up request of an interrupted run may take.
pub const CLEAN_UP_WITHIN: Duration = Duration::from_secs(3);

/// Whether the process was asked to stop.
pub struct Interruption(watch::Receiver<bool>);

impl Interruption {
    /// Listens for Ctrl-C and SIGTERM from now on.
    pub fn listen() -> Self {
        let (asked, receiver) = watch::channel(false);
        tokio::spawn(async move {
            stop_signal().await;
            let _ = asked.send(true);
            stop_signal().await;
            eprintln!(
                "\ninterrupted again: exiting at once; subscriptions may be left on the target"
            );
            std::process::exit(EXIT_INTERRUPTED);
        });
        Self(receiver)
    }

    /// Completes once the first signal arrived (never, if signals cannot be listened to).
    pub async fn arrived(&self) {
        let mut receiver = self.0.clone();
        if receiver.wait_for(|asked| *asked).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// The next Ctrl-C or SIGTERM; never, when neither can be listened to.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let terminate = async {
            match signal(SignalKind::terminate()) {
                Ok(mut stream) => {
                    stream.recv().await;
                }
                Err(_) => std::future::pending().await,
            }
        };
        let interrupt = async {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            () = interrupt => {}
            () = terminate => {}
        }
    }
    #[cfg(not(unix))]
    {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
