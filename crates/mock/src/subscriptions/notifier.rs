//! Delivering notifications to a sink, and the lifecycle of one subscription: the
//! initial event, the end on max events, expiry or deletion.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::http::header;
use chrono::{DateTime, Utc};
use serde_json::Value;
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::sync::oneshot;

use super::super::app::App;
use super::super::devices::DeviceState;
use super::super::faults::Fault;
use super::super::variations::Variation;
use super::events::{self, Subject, Termination};
use super::request::EventType;
use super::states::Changed;
use super::store::Status;

/// How long one delivery may take.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(5);
/// Deliveries of one event: the first and the retries after a failure.
const ATTEMPTS: u32 = 3;
/// Pause before a retry.
const RETRY_PAUSE: Duration = Duration::from_millis(200);
/// How long an asynchronous creation stays ACTIVATION_REQUESTED.
pub(crate) const ACTIVATION_DELAY: Duration = Duration::from_millis(300);
/// How late a state change is reported under `change-events-delayed`.
const CHANGE_EVENT_DELAY: Duration = Duration::from_secs(1);

/// The HTTP client notifications are sent with, built on first use.
#[derive(Debug, Default)]
pub(crate) struct Notifier {
    client: OnceLock<Option<reqwest::Client>>,
}

impl Notifier {
    /// The client; `None` if TLS could not be set up (then nothing is delivered).
    fn client(&self) -> Option<&reqwest::Client> {
        self.client
            .get_or_init(|| {
                let _ = rustls::crypto::ring::default_provider().install_default();
                reqwest::Client::builder()
                    .no_proxy()
                    .redirect(reqwest::redirect::Policy::none())
                    .timeout(DELIVERY_TIMEOUT)
                    // The harness's sink may be self-signed; the mock is a test double.
                    .tls_danger_accept_invalid_certs(true)
                    .build()
                    .ok()
            })
            .as_ref()
    }
}

/// Where and how one subscription's notifications go.
#[derive(Clone, Debug)]
pub(crate) struct Sink {
    /// The sink URL.
    pub url: String,
    /// The sinkCredential's access token.
    pub token: Option<String>,
}

/// What one subscription's lifecycle task does.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The subscribed type.
    pub event_type: EventType,
    /// The subscription and its device.
    pub subject: Subject,
    /// The sink.
    pub sink: Sink,
    /// The device's phone number (whose state changes are announced by it).
    pub phone_number: String,
    /// The device's state when the subscription was created.
    pub state: DeviceState,
    /// The announcements of device state changes, listened to from the creation on.
    pub changes: broadcast::Receiver<Changed>,
    /// `initialEvent`.
    pub initial_event: bool,
    /// `subscriptionMaxEvents`.
    pub max_events: Option<u64>,
    /// `subscriptionExpireTime`.
    pub expires: Option<DateTime<Utc>>,
    /// Created asynchronously: ACTIVATION_REQUESTED for [`ACTIVATION_DELAY`] first.
    pub asynchronous: bool,
}

/// Runs one subscription until it ends; `deleted` fires (or is dropped) on DELETE.
pub(crate) async fn lifecycle(app: Arc<App>, mut plan: Plan, mut deleted: oneshot::Receiver<()>) {
    let id = plan.subject.subscription_id.clone();
    let faults = &app.faults;
    let send_ended = |reason| {
        let app = Arc::clone(&app);
        let event = events::ended(&plan.subject, reason);
        let sink = plan.sink.clone();
        async move {
            if !app.faults.has(Fault::NoSubscriptionEnded) {
                deliver(&app, &sink, &event).await;
            }
        }
    };
    if plan.asynchronous {
        tokio::time::sleep(ACTIVATION_DELAY).await;
        app.subscriptions.set_status(&id, Status::Active);
    }
    if faults.varies(Variation::SubscriptionStartedEvent) {
        deliver(&app, &plan.sink, &events::started(&plan.subject)).await;
    }
    let mut sent = 0;
    let matching = plan.event_type.matches(plan.state) || faults.has(Fault::InitialEventAlways);
    if plan.initial_event && matching {
        let event = events::reachability(&plan.subject, plan.event_type, faults);
        deliver(&app, &plan.sink, &event).await;
        sent += 1;
    }
    let expiry = async {
        match plan.expires {
            Some(at) => {
                let left = (at - Utc::now()).to_std().unwrap_or(Duration::ZERO);
                tokio::time::sleep(left).await;
            }
            None => std::future::pending().await,
        }
    };
    tokio::pin!(expiry);
    loop {
        if plan.max_events.is_some_and(|max| sent >= max) {
            app.subscriptions.set_status(&id, Status::Expired);
            send_ended(Termination::MaxEventsReached).await;
            return;
        }
        tokio::select! {
            _ = &mut deleted => {
                send_ended(Termination::Deleted).await;
                if faults.has(Fault::EventsAfterDelete) {
                    let event = events::reachability(&plan.subject, plan.event_type, faults);
                    deliver(&app, &plan.sink, &event).await;
                }
                return;
            }
            () = &mut expiry => {
                app.subscriptions.set_status(&id, Status::Expired);
                send_ended(Termination::Expired).await;
                return;
            }
            change = plan.changes.recv() => match change {
                Ok(change) if reports(&app, &plan, &change) => {
                    if faults.varies(Variation::ChangeEventsDelayed) {
                        tokio::time::sleep(CHANGE_EVENT_DELAY).await;
                    }
                    let event = events::reachability(&plan.subject, plan.event_type, faults);
                    deliver(&app, &plan.sink, &event).await;
                    sent += 1;
                }
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                // The mock is stopping.
                Err(RecvError::Closed) => return,
            },
        }
    }
}

/// Whether `change` gives the subscription of `plan` an event: a change of its device
/// into the state its type reports (the previous state under `stale-change-event`; never
/// under `no-reachability-events`).
fn reports(app: &App, plan: &Plan, change: &Changed) -> bool {
    let faults = &app.faults;
    let state = if faults.has(Fault::StaleChangeEvent) {
        change.before
    } else {
        change.after
    };
    change.phone_number == plan.phone_number
        && !faults.has(Fault::NoReachabilityEvents)
        && plan.event_type.matches(state)
}

/// POSTs `event` to the sink, retrying a failed delivery with the same event (twice in
/// a row under `notifications-retried`).
async fn deliver(app: &App, sink: &Sink, event: &Value) {
    let copies = if app.faults.varies(Variation::NotificationsRetried) {
        2
    } else {
        1
    };
    for _ in 0..copies {
        for attempt in 1..=ATTEMPTS {
            if post(app, sink, event).await {
                break;
            }
            if attempt < ATTEMPTS {
                tokio::time::sleep(RETRY_PAUSE).await;
            }
        }
    }
}

/// One delivery; whether the sink answered 2xx.
async fn post(app: &App, sink: &Sink, event: &Value) -> bool {
    let Some(client) = app.notifier.client() else {
        return false;
    };
    let faults = &app.faults;
    let mut request = client.post(&sink.url);
    if let Some(token) = &sink.token {
        if faults.has(Fault::SinkCredentialWrong) {
            request = request.bearer_auth(format!("{token}x"));
        } else if !faults.has(Fault::SinkCredentialMissing) {
            request = request.bearer_auth(token);
        }
    }
    let request = if faults.has(Fault::BinaryModeEvents) {
        binary_mode(request, event)
    } else {
        request
            .header(header::CONTENT_TYPE, "application/cloudevents+json")
            .body(event.to_string())
    };
    request
        .send()
        .await
        .is_ok_and(|answer| answer.status().is_success())
}

/// The binary content mode: attributes as `ce-*` headers, `data` as the body.
fn binary_mode(mut request: reqwest::RequestBuilder, event: &Value) -> reqwest::RequestBuilder {
    for attribute in ["id", "source", "specversion", "type", "time"] {
        if let Some(value) = event[attribute].as_str() {
            request = request.header(format!("ce-{attribute}"), value);
        }
    }
    request
        .header(header::CONTENT_TYPE, "application/json")
        .body(event["data"].to_string())
}
