//! The API generations the harness knows how to test.

use std::fmt;
use std::str::FromStr;

/// An API generation (and so a request/response contract) that a target implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Profile {
    /// CAMARA Device Reachability Status v1: `reachable` + `connectivity`.
    CamaraV1,
    /// The Orange lab sandbox, v0: the `reachabilityStatus` enum.
    OrangeLabV0,
    /// CAMARA Device Reachability Status Subscriptions v0.8.0: subscriptions and the
    /// CloudEvents the network sends to the subscriber's sink. Code outside this file asks
    /// [`Profile::is_subscriptions`] rather than naming the variant.
    CamaraSubscriptionsV08,
}

impl Profile {
    /// Every profile of the status-retrieval API, in a stable order: the ones the runner,
    /// the selftest matrix and the generated docs cover.
    pub const ALL: [Profile; 2] = [Profile::CamaraV1, Profile::OrangeLabV0];

    /// The subscriptions profile (`camara-subscriptions-v0.8`).
    pub const SUBSCRIPTIONS: Profile = Profile::CamaraSubscriptionsV08;

    /// Every profile a name can select: [`Profile::ALL`] and [`Profile::SUBSCRIPTIONS`].
    pub const KNOWN: [Profile; 3] = [
        Profile::CamaraV1,
        Profile::OrangeLabV0,
        Profile::CamaraSubscriptionsV08,
    ];

    /// Whether this profile is the subscriptions API (create, list, retrieve and delete
    /// subscriptions; notifications to a sink) rather than the status-retrieval API.
    pub fn is_subscriptions(self) -> bool {
        self == Profile::CamaraSubscriptionsV08
    }

    /// The name used in target files, on the command line and as a Gherkin tag.
    pub fn name(self) -> &'static str {
        match self {
            Profile::CamaraV1 => "camara-v1",
            Profile::OrangeLabV0 => "orange-lab-v0",
            Profile::CamaraSubscriptionsV08 => "camara-subscriptions-v0.8",
        }
    }

    /// The names of the profiles `applies_to` accepts, comma-separated (for listings of
    /// what a fault or variation applies to).
    pub fn names_where(applies_to: impl Fn(Profile) -> bool) -> String {
        let names: Vec<&str> = Profile::ALL
            .iter()
            .filter(|p| applies_to(**p))
            .map(|p| p.name())
            .collect();
        names.join(", ")
    }

    /// Path of the `getReachabilityStatus` operation below the API root; for the
    /// subscriptions profile, the `/subscriptions` collection.
    pub fn operation_path(self) -> &'static str {
        match self {
            Profile::CamaraV1 => "/device-reachability-status/v1/retrieve",
            Profile::OrangeLabV0 => "/camara/orange-lab/device-reachability-status/v0/retrieve",
            Profile::CamaraSubscriptionsV08 => {
                "/device-reachability-status-subscriptions/v0.8/subscriptions"
            }
        }
    }

    /// The API version this profile speaks, as shown in reports.
    pub fn api_version(self) -> &'static str {
        match self {
            Profile::CamaraV1 => "1.0.0",
            Profile::OrangeLabV0 => "0 (Orange lab sandbox)",
            Profile::CamaraSubscriptionsV08 => "0.8.0 (subscriptions)",
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error for a profile name that is not one of [`Profile::KNOWN`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownProfile(pub String);

impl fmt::Display for UnknownProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown profile {:?}: use \"camara-v1\", \"orange-lab-v0\" or \"camara-subscriptions-v0.8\"",
            self.0
        )
    }
}

impl std::error::Error for UnknownProfile {}

impl FromStr for Profile {
    type Err = UnknownProfile;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Profile::KNOWN
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| UnknownProfile(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for p in Profile::KNOWN {
            assert_eq!(p.name().parse::<Profile>(), Ok(p));
        }
        assert_eq!(
            "v2".parse::<Profile>().unwrap_err().to_string(),
            "unknown profile \"v2\": use \"camara-v1\", \"orange-lab-v0\" or \"camara-subscriptions-v0.8\""
        );
    }

    #[test]
    fn only_the_subscriptions_profile_is_subscriptions() {
        let subscriptions: Vec<Profile> = Profile::KNOWN
            .into_iter()
            .filter(|p| p.is_subscriptions())
            .collect();
        assert_eq!(subscriptions, [Profile::SUBSCRIPTIONS]);
        assert!(!Profile::ALL.contains(&Profile::SUBSCRIPTIONS));
    }
}
