//! Which profiles a fault or a legal variation applies to.

use crate::Api;
use crate::profile::Profile;

/// Which profiles a fault (or a variation) makes sense for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    Both,
    CamaraV1,
    OrangeLabV0,
}

impl Scope {
    /// Whether `profile` is in this scope.
    pub(crate) fn covers(self, profile: Profile) -> bool {
        match self {
            Scope::Both => true,
            Scope::CamaraV1 => profile.api() == Api::CamaraV1,
            Scope::OrangeLabV0 => profile.api() == Api::OrangeLabV0,
        }
    }
}
