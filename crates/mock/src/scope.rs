//! Which profiles a fault or a legal variation applies to.

use crate::profile::Profile;

/// Which profiles a fault (or a variation) makes sense for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Both status profiles (camara-v1 and orange-lab-v0).
    Both,
    CamaraV1,
    OrangeLabV0,
    /// The subscriptions profile only.
    Subscriptions,
}

impl Scope {
    /// Whether `profile` is in this scope.
    pub(crate) fn covers(self, profile: Profile) -> bool {
        match self {
            Scope::Both => !profile.is_subscriptions(),
            Scope::CamaraV1 => profile == Profile::CamaraV1,
            Scope::OrangeLabV0 => profile == Profile::OrangeLabV0,
            Scope::Subscriptions => profile.is_subscriptions(),
        }
    }
}
