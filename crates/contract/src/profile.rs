//! The profiles the harness knows how to test: one per folder of `contracts/`, read from
//! data (see [`crate::contracts`]), never a branch in the code.

use std::fmt;
use std::str::FromStr;

use serde_json::{Map, Value};

use crate::answers::{ErrorAnswer, ErrorSituation};
use crate::contracts::{self, Api, Contract, Identifiers};
use crate::devices::{Device, DeviceRole, TestingDevices};

/// A profile: one version of an API contract that a target implements. A cheap handle to
/// the embedded contract data.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Profile(usize);

impl Profile {
    /// Every profile, in name order.
    pub fn all() -> &'static [Profile] {
        static ALL: std::sync::OnceLock<Vec<Profile>> = std::sync::OnceLock::new();
        ALL.get_or_init(|| (0..contracts::all().len()).map(Profile).collect())
    }

    /// Every profile of a status-retrieval API (every family but the subscriptions one), in
    /// name order.
    pub fn status_profiles() -> impl Iterator<Item = Profile> {
        Profile::all()
            .iter()
            .copied()
            .filter(|p| !p.is_subscriptions())
    }

    fn contract(self) -> &'static Contract {
        &contracts::all()[self.0]
    }

    /// Whether this profile is of the subscriptions API (create, list, retrieve and delete
    /// subscriptions; notifications to a sink) rather than a status-retrieval API.
    pub fn is_subscriptions(self) -> bool {
        self.api() == Api::CamaraSubscriptionsV0
    }

    /// The name used in target files, on the command line and as a Gherkin tag.
    pub fn name(self) -> &'static str {
        &self.contract().name
    }

    /// The API family this profile is a version of.
    pub fn api(self) -> Api {
        self.contract().api
    }

    /// The names of the profiles `applies_to` accepts, comma-separated (for listings of
    /// what a fault or variation applies to).
    pub fn names_where(applies_to: impl Fn(Profile) -> bool) -> String {
        let names: Vec<&str> = Profile::all()
            .iter()
            .filter(|p| applies_to(**p))
            .map(|p| p.name())
            .collect();
        names.join(", ")
    }

    /// Path of the `getReachabilityStatus` operation below the API root.
    pub fn operation_path(self) -> &'static str {
        &self.contract().operation_path
    }

    /// The API's name, from its base path (`device-reachability-status`).
    pub fn api_name(self) -> &'static str {
        &self.contract().api_name
    }

    /// What a run of this profile tests, as reports show it:
    /// `camara-v1.1: device-reachability-status 1.1.0 (CAMARA r1.2, 2025-09)`.
    pub fn title(self) -> String {
        format!(
            "{}: {} {} ({})",
            self.name(),
            self.api_name(),
            self.api_version(),
            self.release()
        )
    }

    /// The API version this profile speaks, as shown in reports (`1.1.0`).
    pub fn api_version(self) -> &'static str {
        &self.contract().api_version
    }

    /// The release that published this version (`CAMARA r1.2, 2025-09`).
    pub fn release(self) -> &'static str {
        &self.contract().release
    }

    /// Other names this profile answers to (`camara-v1`: the newest v1 release).
    pub fn aliases(self) -> &'static [String] {
        &self.contract().aliases
    }

    /// The OpenAPI document of this profile, verbatim as published (YAML or JSON).
    pub fn document(self) -> &'static str {
        self.contract().document
    }

    /// Where the document lives in the repository (`contracts/camara-v1.1/openapi.yaml`).
    pub fn document_path(self) -> String {
        let contract = self.contract();
        format!("contracts/{}/{}", contract.folder, contract.document_name)
    }

    /// How identifiers behave in this profile.
    pub fn identifiers(self) -> &'static Identifiers {
        &self.contract().identifiers
    }

    /// What a provider of this profile answers in `situation` (`[errors]`; checked against
    /// the OAS), if the profile names an answer.
    pub fn error_answer(self, situation: ErrorSituation) -> Option<&'static ErrorAnswer> {
        self.contract().errors.get(&situation)
    }

    /// The devices a target of this profile is tested with by default (`[testing_devices]`).
    pub fn testing_devices(self) -> &'static TestingDevices {
        &self.contract().testing_devices
    }

    /// The `Device` object that plays `role` by default, if the profile names one.
    pub fn testing_device(self, role: DeviceRole) -> Option<&'static Map<String, Value>> {
        self.testing_devices().get(&role)
    }

    /// The phone number of the device that plays `role` by default, if it has one.
    pub fn testing_phone(self, role: DeviceRole) -> Option<&'static str> {
        self.testing_device(role)?
            .get("phoneNumber")
            .and_then(Value::as_str)
    }

    /// The lab devices this profile declares (`[[lab_devices]]`; see
    /// [`crate::devices::lab`]).
    pub fn lab_devices(self) -> &'static [Device] {
        &self.contract().lab_devices
    }

    /// Whether a 200 answer must carry `lastStatusTime` (from the OAS).
    pub fn last_status_time_required(self) -> bool {
        self.contract().facts.last_status_time_required
    }

    /// Whether the answer names the device it is about in `device` (from the OAS).
    pub fn device_in_response(self) -> bool {
        self.contract().facts.device_in_response
    }

    /// The pattern of the `x-correlator` header as the OAS writes it, if it has one.
    pub fn correlator_pattern(self) -> Option<&'static str> {
        self.contract().facts.correlator_pattern.as_deref()
    }

    /// Whether `value` is an `x-correlator` this profile accepts (any value when its OAS
    /// gives the header no pattern).
    pub fn correlator_accepts(self, value: &str) -> bool {
        self.contract()
            .correlator
            .as_ref()
            .is_none_or(|pattern| pattern.is_match(value))
    }

    /// The pattern of `PhoneNumber` as the OAS writes it, if it has one.
    pub fn phone_pattern(self) -> Option<&'static str> {
        self.contract().facts.phone_pattern.as_deref()
    }

    /// The error codes an answer with `status` may carry (from the OAS enums; empty for a
    /// status the OAS does not list).
    pub fn error_codes(self, status: u16) -> &'static [String] {
        self.contract()
            .facts
            .error_codes
            .get(&status)
            .map_or(&[], Vec::as_slice)
    }

    /// Whether the OAS lists `code` among the codes of `status`.
    pub fn allows_error_code(self, status: u16, code: &str) -> bool {
        self.error_codes(status).iter().any(|c| c == code)
    }
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Api {
    /// Every API family.
    pub const ALL: [Api; 3] = [Api::CamaraV1, Api::OrangeLabV0, Api::CamaraSubscriptionsV0];

    /// The family's name, also a Gherkin tag that applies a scenario to every version.
    pub fn name(self) -> &'static str {
        match self {
            Api::CamaraV1 => "camara-v1",
            Api::OrangeLabV0 => "orange-lab-v0",
            Api::CamaraSubscriptionsV0 => "camara-subscriptions-v0",
        }
    }

    /// The family's current release: the profile whose aliases hold the family's name
    /// (`camara-v1` is camara-v1.1), else its last profile.
    ///
    /// # Panics
    ///
    /// If no contract folder is of this family, which the tests rule out.
    pub fn current(self) -> Profile {
        let mut profiles = self.profiles();
        profiles
            .clone()
            .find(|p| p.aliases().iter().any(|a| a == self.name()))
            .or_else(|| profiles.next_back())
            .unwrap_or_else(|| panic!("no contract folder is of the {} family", self.name()))
    }

    /// Every profile of this family, oldest version first.
    pub fn profiles(self) -> impl DoubleEndedIterator<Item = Profile> + Clone {
        Profile::all()
            .iter()
            .copied()
            .filter(move |p| p.api() == self)
    }
}

impl FromStr for Api {
    type Err = UnknownProfile;

    /// A family's name (`camara-v1`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Api::ALL
            .into_iter()
            .find(|api| api.name() == s)
            .ok_or_else(|| UnknownProfile(s.to_owned()))
    }
}

/// The error for a profile name that is no profile's name nor alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownProfile(pub String);

impl fmt::Display for UnknownProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = Profile::all()
            .iter()
            .flat_map(|p| std::iter::once(p.name()).chain(p.aliases().iter().map(String::as_str)))
            .map(|n| format!("{n:?}"))
            .collect();
        write!(f, "unknown profile {:?}: use {}", self.0, names.join(", "))
    }
}

impl std::error::Error for UnknownProfile {}

impl FromStr for Profile {
    type Err = UnknownProfile;

    /// A profile's name, or an alias (`camara-v1`: the newest v1 release).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let all = Profile::all().iter().copied();
        all.clone()
            .find(|p| p.name() == s)
            .or_else(|| all.clone().find(|p| p.aliases().iter().any(|a| a == s)))
            .ok_or_else(|| UnknownProfile(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(name: &str) -> Profile {
        name.parse().unwrap()
    }

    #[test]
    fn every_contract_folder_is_a_profile() {
        let names: Vec<&str> = Profile::all().iter().map(|p| p.name()).collect();
        assert_eq!(
            names,
            [
                "camara-subscriptions-v0.8",
                "camara-v1.0",
                "camara-v1.1",
                "camara-v1.2-rc",
                "orange-lab-v0"
            ]
        );
        for p in Profile::all() {
            assert_eq!(p.name().parse::<Profile>(), Ok(*p));
        }
    }

    #[test]
    fn camara_v1_names_the_newest_v1_release() {
        assert_eq!(profile("camara-v1"), profile("camara-v1.1"));
        assert_eq!(profile("camara-v1").to_string(), "camara-v1.1");
        assert_eq!(
            "v2".parse::<Profile>().unwrap_err().to_string(),
            "unknown profile \"v2\": use \"camara-subscriptions-v0.8\", \"camara-v1.0\", \"camara-v1.1\", \"camara-v1\", \
             \"camara-v1.2-rc\", \"orange-lab-v0\""
        );
    }

    #[test]
    fn only_the_subscriptions_family_is_subscriptions() {
        let subscriptions: Vec<Profile> = Profile::all()
            .iter()
            .copied()
            .filter(|p| p.is_subscriptions())
            .collect();
        assert_eq!(subscriptions, [Api::CamaraSubscriptionsV0.current()]);
        assert_eq!(subscriptions[0].name(), "camara-subscriptions-v0.8");
    }

    #[test]
    fn versions_and_paths_come_from_the_profile_files() {
        let rows: Vec<(&str, &str, Api)> = Profile::all()
            .iter()
            .map(|p| (p.api_version(), p.operation_path(), p.api()))
            .collect();
        assert_eq!(
            rows,
            [
                (
                    "0.8.0",
                    "/device-reachability-status-subscriptions/v0.8/subscriptions",
                    Api::CamaraSubscriptionsV0
                ),
                (
                    "1.0.0",
                    "/device-reachability-status/v1/retrieve",
                    Api::CamaraV1
                ),
                (
                    "1.1.0",
                    "/device-reachability-status/v1/retrieve",
                    Api::CamaraV1
                ),
                (
                    "1.2.0-rc",
                    "/device-reachability-status/vwip/retrieve",
                    Api::CamaraV1
                ),
                (
                    "0",
                    "/camara/orange-lab/device-reachability-status/v0/retrieve",
                    Api::OrangeLabV0
                ),
            ]
        );
    }

    #[test]
    fn titles_name_the_api_its_version_and_its_release() {
        let titles: Vec<String> = Profile::all().iter().map(|p| p.title()).collect();
        assert_eq!(
            titles,
            [
                "camara-subscriptions-v0.8: device-reachability-status-subscriptions 0.8.0 (CAMARA r1.2, 2025-09)",
                "camara-v1.0: device-reachability-status 1.0.0 (CAMARA DeviceStatus r1.x)",
                "camara-v1.1: device-reachability-status 1.1.0 (CAMARA r1.2, 2025-09)",
                "camara-v1.2-rc: device-reachability-status 1.2.0-rc (CAMARA r2.1, in progress)",
                "orange-lab-v0: device-reachability-status 0 (Orange lab sandbox, Orange Developer)",
            ]
        );
        assert_eq!(
            contracts::api_name_of("/x"),
            Err("base_path \"/x\" does not end with /<api-name>/<version> (e.g. /device-reachability-status/v1)".to_owned())
        );
    }

    #[test]
    fn version_differences_are_read_from_the_oas() {
        let (v10, v11) = (profile("camara-v1.0"), profile("camara-v1.1"));
        assert!(!v10.last_status_time_required());
        assert!(v11.last_status_time_required());
        assert!(!v10.device_in_response());
        assert!(v11.device_in_response());
        assert!(v10.allows_error_code(422, "IDENTIFIER_MISMATCH"));
        assert!(!v11.allows_error_code(422, "IDENTIFIER_MISMATCH"));
        assert!(v10.allows_error_code(401, "AUTHENTICATION_REQUIRED"));
        assert_eq!(v11.error_codes(401), ["UNAUTHENTICATED"]);
        assert_eq!(v10.correlator_pattern(), Some("^[a-zA-Z0-9-]{0,55}$"));
        assert_eq!(
            v11.correlator_pattern(),
            Some("^[a-zA-Z0-9-_:;.\\/<>{}]{0,256}$")
        );
        assert_eq!(v11.phone_pattern(), Some("^\\+[1-9][0-9]{4,14}$"));
    }

    #[test]
    fn correlators_follow_each_versions_pattern() {
        let (v10, v11) = (profile("camara-v1.0"), profile("camara-v1.1"));
        let rich = "a_b:c;d.e/f<g>{h}";
        assert!(!v10.correlator_accepts(rich));
        assert!(v11.correlator_accepts(rich));
        assert!(v10.correlator_accepts(&"a".repeat(55)));
        assert!(!v10.correlator_accepts(&"a".repeat(56)));
        assert!(v11.correlator_accepts(&"a".repeat(256)));
        assert!(!v11.correlator_accepts(&"a".repeat(257)));
        assert!(!v11.correlator_accepts("a b"));
        assert!(profile("orange-lab-v0").correlator_accepts("any thing at all"));
    }
}
