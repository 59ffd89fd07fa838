//! The contracts embedded from `contracts/<profile>/` (see `build.rs`): each folder holds a
//! `profile.toml` (what the OAS cannot say) and the OpenAPI document it names, verbatim.

use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;

use crate::answers::{self, ErrorAnswers};
use crate::devices::{self, Device, TestingDevices};
use crate::oas::{self, OasFacts};

include!(concat!(env!("OUT_DIR"), "/sources.rs"));

/// One embedded contract folder, as `build.rs` found it.
struct Source {
    folder: &'static str,
    profile: &'static str,
    documents: &'static [(&'static str, &'static str)],
}

/// An API family: versions of one family share request and response shapes, so code may
/// differ by family, never by version (versions differ only by their contract data).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
pub enum Api {
    /// CAMARA Device Reachability Status v1: `reachable` + `connectivity`.
    #[serde(rename = "camara-v1")]
    CamaraV1,
    /// The Orange lab sandbox, v0: the `reachabilityStatus` enum.
    #[serde(rename = "orange-lab-v0")]
    OrangeLabV0,
    /// CAMARA Device Reachability Status Subscriptions v0: subscriptions and the
    /// CloudEvents the network sends to the subscriber's sink.
    #[serde(rename = "camara-subscriptions-v0")]
    CamaraSubscriptionsV0,
}

/// A device identifier of the `Device` object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum IdentifierKind {
    /// `phoneNumber`.
    PhoneNumber,
    /// `ipv4Address`.
    Ipv4Address,
    /// `ipv6Address`.
    Ipv6Address,
    /// `networkAccessIdentifier`.
    NetworkAccessIdentifier,
}

impl IdentifierKind {
    /// Every identifier of the `Device` object, in the order the OAS lists them.
    pub const ALL: [IdentifierKind; 4] = [
        IdentifierKind::PhoneNumber,
        IdentifierKind::NetworkAccessIdentifier,
        IdentifierKind::Ipv4Address,
        IdentifierKind::Ipv6Address,
    ];

    /// Its property name in the `Device` object (`phoneNumber`).
    pub fn name(self) -> &'static str {
        match self {
            IdentifierKind::PhoneNumber => "phoneNumber",
            IdentifierKind::Ipv4Address => "ipv4Address",
            IdentifierKind::Ipv6Address => "ipv6Address",
            IdentifierKind::NetworkAccessIdentifier => "networkAccessIdentifier",
        }
    }
}

/// What a provider does with several identifiers that name different devices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SeveralIdentifiers {
    /// `422 IDENTIFIER_MISMATCH` (v1.0.0).
    Reject,
    /// 200 for one of them, named in the answer's `device` (v1.1.0).
    PickOne,
}

/// How identifiers behave in a profile.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identifiers {
    /// The identifiers a provider resolves.
    pub supported: Vec<IdentifierKind>,
    /// What several identifiers naming different devices give.
    pub several: SeveralIdentifiers,
}

/// `profile.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    name: String,
    api: Api,
    api_version: String,
    release: String,
    document: String,
    #[serde(default)]
    aliases: Vec<String>,
    base_path: String,
    operation: String,
    identifiers: Identifiers,
    #[serde(default)]
    errors: ErrorAnswers,
    #[serde(default, deserialize_with = "devices::deserialize_testing_devices")]
    testing_devices: TestingDevices,
    #[serde(default)]
    lab_devices: Vec<Device>,
}

/// One profile's contract: its profile file and what its OpenAPI document says.
#[derive(Debug)]
pub(crate) struct Contract {
    pub(crate) folder: &'static str,
    pub(crate) name: String,
    pub(crate) api: Api,
    pub(crate) api_version: String,
    pub(crate) release: String,
    pub(crate) aliases: Vec<String>,
    pub(crate) api_name: String,
    pub(crate) operation_path: String,
    pub(crate) document_name: String,
    pub(crate) document: &'static str,
    pub(crate) identifiers: Identifiers,
    pub(crate) errors: ErrorAnswers,
    pub(crate) testing_devices: TestingDevices,
    pub(crate) lab_devices: Vec<Device>,
    pub(crate) facts: OasFacts,
    pub(crate) correlator: Option<Regex>,
}

/// Every embedded contract, read once.
///
/// # Panics
///
/// If an embedded contract is broken, which the tests rule out.
pub(crate) fn all() -> &'static [Contract] {
    static ALL: OnceLock<Vec<Contract>> = OnceLock::new();
    ALL.get_or_init(|| {
        SOURCES
            .iter()
            .map(|source| {
                load(source).unwrap_or_else(|e| {
                    panic!(
                        "the embedded contract contracts/{}/ is broken: {e}",
                        source.folder
                    )
                })
            })
            .collect()
    })
}

fn load(source: &Source) -> Result<Contract, String> {
    let file: ProfileFile =
        toml::from_str(source.profile).map_err(|e| format!("profile.toml: {e}"))?;
    if file.name != source.folder {
        return Err(format!(
            "profile.toml names {:?}; name the folder after the profile",
            file.name
        ));
    }
    let document = source
        .documents
        .iter()
        .find(|(name, _)| *name == file.document)
        .map(|(_, text)| *text)
        .ok_or_else(|| {
            format!(
                "profile.toml names the document {:?}, which is not in the folder",
                file.document
            )
        })?;
    let root: serde_json::Value =
        serde_yaml_ng::from_str(document).map_err(|e| format!("{}: {e}", file.document))?;
    let facts = oas::facts(&root).map_err(|e| format!("{}: {e}", file.document))?;
    let correlator = facts
        .correlator_pattern
        .as_deref()
        .map(|p| Regex::new(p).map_err(|e| format!("x-correlator pattern: {e}")))
        .transpose()?;
    let phone = facts
        .phone_pattern
        .as_deref()
        .map(|p| Regex::new(p).map_err(|e| format!("PhoneNumber pattern: {e}")))
        .transpose()?;
    let status_profile = file.api != Api::CamaraSubscriptionsV0;
    answers::check(
        &file.errors,
        status_profile,
        file.identifiers.several,
        |status| facts.error_codes.get(&status).cloned().unwrap_or_default(),
    )
    .map_err(|e| format!("profile.toml: {e}"))?;
    devices::check(&file.testing_devices, &file.lab_devices, phone.as_ref())
        .map_err(|e| format!("profile.toml: {e}"))?;
    Ok(Contract {
        folder: source.folder,
        name: file.name,
        api: file.api,
        api_version: file.api_version,
        release: file.release,
        aliases: file.aliases,
        api_name: api_name_of(&file.base_path)?,
        operation_path: format!("{}{}", file.base_path, file.operation),
        document_name: file.document,
        document,
        identifiers: file.identifiers,
        errors: file.errors,
        testing_devices: file.testing_devices,
        lab_devices: file.lab_devices,
        facts,
        correlator,
    })
}

/// The API's name in `base_path`: the segment before the version, as CAMARA's URLs write it
/// (`/device-reachability-status/v1`).
pub(crate) fn api_name_of(base_path: &str) -> Result<String, String> {
    let segments: Vec<&str> = base_path.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        [.., name, version] if version.starts_with('v') => Ok((*name).to_owned()),
        _ => Err(format!(
            "base_path {base_path:?} does not end with /<api-name>/<version> (e.g. /device-reachability-status/v1)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The error of loading the first embedded contract with `line` added to the
    /// `[testing_devices]` of its `profile.toml`.
    fn error_with_testing_device(line: &str) -> String {
        let source = &SOURCES[0];
        let profile = source.profile.replace(
            "[testing_devices]\n",
            &format!("[testing_devices]\n{line}\n"),
        );
        assert_ne!(
            profile, source.profile,
            "{} has no [testing_devices]",
            source.folder
        );
        load(&Source {
            profile: Box::leak(profile.into_boxed_str()),
            ..*source
        })
        .expect_err("the profile is refused")
    }

    #[test]
    fn testing_devices_refuse_unsupported_identifiers() {
        let error = error_with_testing_device(r#"unsupported_identifiers = ["ipv4Address"]"#);
        assert!(error.starts_with("profile.toml: "), "{error}");
        assert!(
            error.contains(
                "`unsupported_identifiers` is no testing device: the target file's \
                 devices.unsupported_identifiers lists the identifier types a target does not \
                 support, which a profile cannot know; remove it from [testing_devices]"
            ),
            "{error}"
        );
    }

    #[test]
    fn testing_devices_refuse_an_unknown_role_naming_the_roles() {
        let error = error_with_testing_device(r#"roaming = { phoneNumber = "+33699901031" }"#);
        assert!(
            error.contains(
                "unknown testing device role `roaming`, expected one of `data`, `sms`, \
                 `data_and_sms`, `not_connected`, `not_applicable`, `unknown`, `mismatch`"
            ),
            "{error}"
        );
    }
}
