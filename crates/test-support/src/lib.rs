//! What the integration tests of several crates of the workspace share (a dev-dependency
//! only, never published):
//!
//! - [`mock_client`]: a started mock with a plain HTTP client, token helpers and decoded
//!   answers (the mock's tests, and the harness's OAuth client tests);
//! - [`lab`]: the lab numbers, read from the contract data;
//! - [`loopback`]: misbehaving servers on 127.0.0.1 and target files pointing at them (the
//!   harness's robustness tests, and the command line's leak tests).

pub mod lab;
pub mod loopback;
pub mod mock_client;
