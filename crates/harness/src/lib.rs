//! reachability-harness: the library of the contract-conformance harness for the CAMARA
//! Device Reachability Status API.
//!
//! The crate is laid out by job:
//! - [`target_file`]: target files (what is tested, where, with which credentials);
//! - [`oauth`]: the OAuth client (client authentication, discovery, CIBA, token cache);
//! - [`http`]: the one HTTP client every request goes through, and recorded exchanges;
//! - [`schema`]: JSON Schemas of the API, compiled once, looked up by OpenAPI pointer;
//! - [`steps`]: Gherkin step definitions in CAMARA's test-plan vocabulary;
//! - [`phrasebook`]: the user's aliases and the parameters of CAMARA's templates;
//! - [`negative`]: the negative-case engine (generated malformed inputs, shrinking);
//! - [`runner`]: runs features against a target and collects results;
//! - [`report`]: turns results into console output and files;
//! - [`notifications`]: CloudEvents checks of the notifications a sink received;
//! - [`sink`]: the notification sink subscriptions implementations call back;
//! - [`redact`]: masks every secret in everything the harness prints or writes;
//! - [`text`]: cutting and escaping text that comes from a target.
//!
//! The API profiles, the embedded OpenAPI documents and JOSE come from
//! `reachability-contract`; the reference mock is a crate of its own.

pub(crate) mod form;
pub mod http;
pub mod negative;
pub mod notifications;
pub mod oauth;
pub mod phrasebook;
pub mod redact;
pub mod report;
pub mod runner;
pub mod schema;
pub mod sink;
pub mod steps;
pub mod target_file;
pub mod text;

pub use reachability_contract::{Api, DeviceRole, Profile};
use reachability_contract::{jose, profile};
