//! The integration tests of reachability-conformance (the command line), in one binary.

mod budget;
mod cli;
mod cli_mock;
mod cli_support;
mod cli_trust;
mod conformance;
mod contract_coverage;
mod docs;
mod engine;
mod generated;
mod hostile;
mod hostile_support;
mod http_environment;
mod outputs;
mod report_browser;
mod report_cli;
mod report_outputs;
mod report_support;
// The hostile targets of the harness's tests; the binary's leak tests use part of them.
#[allow(dead_code)]
#[path = "../../../harness/tests/it/robustness_support/mod.rs"]
mod robustness_support;
mod robustness_target_file;
mod secrets_canary;
mod selftest;
mod snapshots;
mod trust;
