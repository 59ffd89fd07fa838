//! The integration tests of reachability-mock, in one binary.

mod mock_api;
mod mock_faults;
mod mock_hostile;
mod mock_hostile_fuzz;
mod mock_hostile_support;
mod mock_load;
mod mock_oauth;
mod mock_subscriptions;
mod security_mock;
