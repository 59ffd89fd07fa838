//! The OpenAPI document of each [`Profile`], verbatim as published, embedded at build time
//! from `contracts/<profile>/`.

use crate::Profile;

/// The OpenAPI document (YAML or JSON) of `profile`.
pub fn builtin(profile: Profile) -> &'static str {
    profile.document()
}
