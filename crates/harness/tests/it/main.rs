//! The integration tests of reachability-harness, in one binary.

mod auth_tokens;
mod http_client;
mod http_exchange;
mod http_retry;
mod http_tls;
// The mock's own test client, shared with its crate; the OAuth client tests use part of it.
#[allow(dead_code, unused_imports)]
#[path = "../../../mock/tests/it/mock_support.rs"]
mod mock_support;
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
mod target_file;
