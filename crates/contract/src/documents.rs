//! The built-in OpenAPI documents, one per [`Profile`], embedded at build time.

use crate::Profile;

/// The built-in OpenAPI document (JSON) of `profile`.
pub fn builtin(profile: Profile) -> &'static str {
    match profile {
        Profile::CamaraV1 => include_str!("../../../schemas/camara-v1.json"),
        Profile::OrangeLabV0 => include_str!("../../../schemas/orange-lab-v0.json"),
    }
}
