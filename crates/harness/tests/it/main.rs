//! The integration tests of reachability-harness, in one binary.

mod auth_tokens;
mod http_client;
mod http_exchange;
mod http_retry;
mod http_tls;
mod plan_steps;
mod provenance;
mod robustness_auth;
mod robustness_limits;
mod robustness_support;
mod robustness_transport;
mod schema_builtin;
mod schema_vendor_spec;
mod security_client;
mod security_target_file;
mod subscriptions_suite;
mod subscriptions_sweep;
mod target_file;
mod vocabulary_plans;
