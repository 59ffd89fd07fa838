//! reachability-conformance: the command line of the contract-conformance harness for the
//! CAMARA Device Reachability Status API.
//!
//! - [`cli`]: the command line and its exit codes;
//! - [`selftest`]: the fault matrix that proves the suite catches each fault;
//! - [`docs`]: the documentation pages that are program output (`docs/generated/`);
//! - [`embedded`]: starting the embedded reference mock and the target that tests it;
//! - `environment`: the settings read from the environment;
//! - `interrupt`: Ctrl-C and SIGTERM during `run` (clean-up, then exit 130);
//! - [`error`]: why a command could not do its job, and its exit code.

pub mod cli;
pub mod docs;
pub mod embedded;
mod environment;
pub mod error;
mod interrupt;
mod list;
pub mod selftest;

use reachability_contract::profile;
use reachability_harness::{http, negative, redact, report, runner, schema, target_file};
use reachability_mock as mock;
