//! The Device Reachability Status Subscriptions API v0.8.0 (profile
//! `camara-subscriptions-v0.8`): create, list, retrieve and delete subscriptions, and the
//! CloudEvents the network sends to each subscription's sink.
//!
//! - `POST {root}/subscriptions`: 201 with the `Subscription` (202 `{id}` with the
//!   `subscriptions-async` variation, ACTIVATION_REQUESTED until it turns ACTIVE);
//! - `GET {root}/subscriptions` and `GET {root}/subscriptions/{id}`: what the caller's
//!   client created; `DELETE {root}/subscriptions/{id}`: 204 (202 when asynchronous).
//!
//! Notifications are structured-mode CloudEvents 1.0 (`application/cloudevents+json`)
//! POSTed to the sink with `Authorization: Bearer <sinkCredential.accessToken>`:
//! `initialEvent` sends one event at once when the device's state matches the type; the
//! `subscriptionMaxEvents`-th event is followed by `subscription-ended`
//! (MAX_EVENTS_REACHED); `subscriptionExpireTime` ends it with SUBSCRIPTION_EXPIRED and a
//! DELETE with SUBSCRIPTION_DELETED. Sinks are `https://` URLs, or `http://` on a
//! loopback address (the harness's local sink); the mock does not verify the sink's
//! certificate (a harness sink is self-signed).
//!
//! A device's state changes at run time through the control endpoint
//! `POST /_mock/devices/state` (see `control`); each change sends the reachability event of
//! the device's new state to its subscriptions of that type.

mod control;
mod events;
mod handlers;
mod notifier;
mod request;
mod states;
mod store;

pub(crate) use control::change_state;
pub(crate) use handlers::{create, delete, list, retrieve};
pub(crate) use notifier::Notifier;
pub(crate) use states::DeviceStates;
pub(crate) use store::SubscriptionStore;
