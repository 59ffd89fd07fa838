//! The built-in OpenAPI documents, one per [`Profile`], embedded at build time: JSON for
//! the status profiles, the verbatim YAML of CAMARA for the subscriptions profile.

use crate::Profile;

/// The built-in OpenAPI document (JSON or YAML) of `profile`.
pub fn builtin(profile: Profile) -> &'static str {
    match profile {
        Profile::CamaraV1 => include_str!("../../../schemas/camara-v1.json"),
        Profile::OrangeLabV0 => include_str!("../../../schemas/orange-lab-v0.json"),
        Profile::CamaraSubscriptionsV08 => {
            include_str!("../../../contracts/camara-subscriptions-v0.8/openapi.yaml")
        }
    }
}
