//! The integration tests of reachability-conformance (the command line), in one binary.

mod budget;
mod cli;
mod cli_mock;
mod cli_support;
mod cli_trust;
mod cli_vocabulary;
mod conformance;
mod contract_coverage;
mod cross_version;
mod docs;
mod engine;
mod generated;
mod hostile;
mod hostile_support;
mod http_environment;
mod official_subscriptions;
mod outputs;
mod report_browser;
mod report_cli;
mod report_outputs;
mod report_support;
mod robustness_target_file;
mod secrets_canary;
mod selftest;
mod snapshots;
mod trust;
