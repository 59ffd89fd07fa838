//! reachability-conformance: a contract-conformance harness for the CAMARA
//! Device Reachability Status API.
//!
//! The crate is laid out by job:
//! - [`target`]: target files (what is tested, where, with which credentials) and the OAuth client;
//! - [`http`]: the one HTTP client every request goes through, and recorded exchanges;
//! - [`jose`]: signed JWTs (RS256, PS256, ES256) and JSON Web Keys, for OAuth client assertions and the mock's tokens;
//! - [`schema`]: JSON Schemas of the API, compiled once, looked up by OpenAPI pointer;
//! - [`steps`]: Gherkin step definitions in CAMARA's test-plan vocabulary;
//! - [`runner`]: runs features against a target and collects results;
//! - [`report`]: turns results into console output and files;
//! - [`mock`]: the embedded reference implementation (and its fault switches);
//! - [`selftest`]: the fault matrix that proves the suite catches each fault;
//! - [`redact`]: masks every secret in everything the harness prints or writes;
//! - [`text`]: cutting and escaping text that comes from a target;
//! - [`cli`]: the command line.

pub mod cli;
pub mod docs;
pub mod http;
pub mod jose;
pub mod mock;
pub mod profile;
pub mod redact;
pub mod report;
pub mod runner;
pub mod schema;
pub mod selftest;
pub mod steps;
pub mod target;
pub mod text;

pub use profile::Profile;
