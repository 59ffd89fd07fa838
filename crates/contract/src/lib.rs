//! The contract of the CAMARA Device Reachability Status API, shared by the harness that
//! checks it and the reference mock that implements it:
//! - [`Profile`]: the API versions known, each read from a folder of `contracts/` (its
//!   verbatim OAS and a `profile.toml`), and [`Api`], the API families;
//! - [`answers`]: what a provider answers in each error situation, from each profile's data;
//! - [`devices`]: the testing devices of each profile and the lab's devices, from its data;
//! - [`documents`]: the built-in OpenAPI document of each profile, embedded at build time;
//! - [`jose`]: signed JWTs (RS256, PS256, ES256) and JSON Web Keys, for OAuth client
//!   assertions and the mock's tokens;
//! - [`oauth`]: the scope and grant names of CAMARA's security profile.

pub mod answers;
pub mod contracts;
pub mod devices;
pub mod documents;
pub mod jose;
pub mod oas;
pub mod oauth;
pub mod profile;

pub use answers::{ErrorAnswer, ErrorSituation};
pub use contracts::{Api, IdentifierKind, Identifiers, SeveralIdentifiers};
pub use devices::{Device, DeviceIpv4, DeviceRole, DeviceState};
pub use profile::Profile;
