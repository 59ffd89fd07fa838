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
}

impl Profile {
    /// Every profile, in a stable order.
    pub const ALL: [Profile; 2] = [Profile::CamaraV1, Profile::OrangeLabV0];

    /// The name used in target files, on the command line and as a Gherkin tag.
    pub fn name(self) -> &'static str {
        match self {
            Profile::CamaraV1 => "camara-v1",
            Profile::OrangeLabV0 => "orange-lab-v0",
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

    /// Path of the `getReachabilityStatus` operation below the API root.
    pub fn operation_path(self) -> &'static str {
        match self {
            Profile::CamaraV1 => "/device-reachability-status/v1/retrieve",
            Profile::OrangeLabV0 => "/camara/orange-lab/device-reachability-status/v0/retrieve",
        }
    }

    /// The API version this profile speaks, as shown in reports.
    pub fn api_version(self) -> &'static str {
        match self {
            Profile::CamaraV1 => "1.0.0",
            Profile::OrangeLabV0 => "0 (Orange lab sandbox)",
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error for a profile name that is not one of [`Profile::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownProfile(pub String);

impl fmt::Display for UnknownProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown profile {:?}: use \"camara-v1\" or \"orange-lab-v0\"",
            self.0
        )
    }
}

impl std::error::Error for UnknownProfile {}

impl FromStr for Profile {
    type Err = UnknownProfile;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Profile::ALL
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
        for p in Profile::ALL {
            assert_eq!(p.name().parse::<Profile>(), Ok(p));
        }
        assert_eq!(
            "v2".parse::<Profile>().unwrap_err().to_string(),
            "unknown profile \"v2\": use \"camara-v1\" or \"orange-lab-v0\""
        );
    }
}
