//! Which profiles a fault or a legal variation applies to.

use crate::Api;
use crate::profile::Profile;
use reachability_contract::SeveralIdentifiers;

/// Which profiles a fault (or a variation) makes sense for: an API family, or the versions
/// of camara-v1 whose contract data (profile file or OAS) has a property, never a version
/// by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Both status profiles (camara-v1 and orange-lab-v0).
    Both,
    CamaraV1,
    OrangeLabV0,
    /// The subscriptions profile only.
    Subscriptions,
    /// Versions that refuse several identifiers naming different devices (v1.0.0).
    RejectsMismatch,
    /// Versions that use one of several identifiers and name it in `device` (v1.1.0).
    PicksOne,
    /// Versions whose OAS leaves `lastStatusTime` optional.
    LastStatusTimeOptional,
    /// Versions whose OAS requires `lastStatusTime`.
    LastStatusTimeRequired,
    /// Versions whose OAS lists 401 `AUTHENTICATION_REQUIRED`.
    AuthenticationRequiredListed,
}

impl Scope {
    /// Whether `profile` is in this scope.
    pub(crate) fn covers(self, profile: Profile) -> bool {
        let v1 = profile.api() == Api::CamaraV1;
        let picks_one = profile.identifiers().several == SeveralIdentifiers::PickOne;
        match self {
            Scope::Both => !profile.is_subscriptions(),
            Scope::Subscriptions => profile.is_subscriptions(),
            Scope::CamaraV1 => v1,
            Scope::OrangeLabV0 => profile.api() == Api::OrangeLabV0,
            Scope::RejectsMismatch => v1 && !picks_one,
            Scope::PicksOne => v1 && picks_one && profile.device_in_response(),
            Scope::LastStatusTimeOptional => v1 && !profile.last_status_time_required(),
            Scope::LastStatusTimeRequired => v1 && profile.last_status_time_required(),
            Scope::AuthenticationRequiredListed => {
                v1 && profile.allows_error_code(401, "AUTHENTICATION_REQUIRED")
            }
        }
    }
}
