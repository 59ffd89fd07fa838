//! Finding the device a request is about, from the token and the request's identifiers.

use super::devices::{Device, DeviceRegistry, DeviceState};
use super::faults::{Fault, FaultSet};
use super::validate::{DeviceQuery, Identifier};
use crate::Api;
use crate::profile::Profile;
use reachability_contract::{ErrorSituation, SeveralIdentifiers};

/// The device to answer for, and the request identifier that named it (`None` when the
/// token did).
#[derive(Debug)]
pub(crate) struct Identified<'a> {
    pub(crate) device: &'a Device,
    pub(crate) named_by: Option<Identifier>,
}

/// The device to answer for.
///
/// camara-v1 resolves the identifiers its profile file lists as supported; a device bound
/// to the token excludes any device in the body, and a device the service does not apply
/// to is refused. Several identifiers naming different devices follow the profile's
/// `several` rule: rejected (v1.0.0) or the first supported one is used (v1.1.0).
/// orange-lab-v0 only operates `phoneNumber` (the lab documentation); where that
/// documentation is silent it follows device-reachability-status v0.6.0: a body device
/// next to a device-bound token must be the same device. The lab documents every one of
/// its numbers as operational, so orange-lab-v0 serves a not-applicable device too (it
/// answers NOT_CONNECTED) unless the `orange-lab-number-refused` fault is on.
pub(crate) fn identify<'a>(
    profile: Profile,
    devices: &'a DeviceRegistry,
    token_device: Option<&str>,
    query: Option<&DeviceQuery>,
    faults: &FaultSet,
) -> Result<Identified<'a>, ErrorSituation> {
    let token_device = token_device.filter(|_| !faults.has(Fault::CibaDeviceIgnored));
    let identified = match (token_device, query) {
        (None, None) => return Err(ErrorSituation::MissingIdentifier),
        (None, Some(query)) => resolve(profile, devices, query, faults)?,
        (Some(phone), None) => Identified {
            device: devices.by_phone(phone).ok_or(ErrorSituation::NotFound)?,
            named_by: None,
        },
        (Some(phone), Some(query)) => match profile.api() {
            Api::CamaraV1 | Api::CamaraSubscriptionsV0
                if !faults.has(Fault::UnnecessaryIdentifierAccepted) =>
            {
                return Err(ErrorSituation::UnnecessaryIdentifier);
            }
            Api::CamaraV1 | Api::CamaraSubscriptionsV0 => resolve(profile, devices, query, faults)?,
            Api::OrangeLabV0 => {
                let identified = resolve(profile, devices, query, faults)?;
                if identified.device.phone_number != phone {
                    return Err(ErrorSituation::TokenContextMismatch);
                }
                identified
            }
        },
    };
    let refused = match profile.api() {
        Api::CamaraV1 | Api::CamaraSubscriptionsV0 => !faults.has(Fault::NotApplicableServed),
        Api::OrangeLabV0 => faults.has(Fault::OrangeLabNumberRefused),
    };
    if identified.device.state == DeviceState::NotApplicable && refused {
        return Err(ErrorSituation::NotApplicable);
    }
    Ok(identified)
}

/// Resolves the supported identifiers: under the `reject` rule they must all name the same
/// device; under `pick-one` the first is used and the others are not looked at.
fn resolve<'a>(
    profile: Profile,
    devices: &'a DeviceRegistry,
    query: &DeviceQuery,
    faults: &FaultSet,
) -> Result<Identified<'a>, ErrorSituation> {
    let supported: Vec<&Identifier> = query
        .identifiers
        .iter()
        .filter(|id| supports(profile, id))
        .collect();
    let Some((first_id, others)) = supported.split_first() else {
        return Err(if query.identifiers.is_empty() {
            ErrorSituation::MissingIdentifier
        } else {
            ErrorSituation::UnsupportedIdentifier
        });
    };
    let first = lookup(devices, first_id).ok_or(ErrorSituation::NotFound)?;
    if profile.identifiers().several == SeveralIdentifiers::Reject
        || faults.has(Fault::IdentifierMismatch422)
    {
        for other in others {
            let other = lookup(devices, other).ok_or(ErrorSituation::NotFound)?;
            if other.phone_number != first.phone_number
                && !faults.has(Fault::IdentifierMismatchIgnored)
            {
                return Err(ErrorSituation::IdentifierMismatch);
            }
        }
    }
    Ok(Identified {
        device: first,
        named_by: Some((*first_id).clone()),
    })
}

fn supports(profile: Profile, identifier: &Identifier) -> bool {
    profile.identifiers().supported.contains(&identifier.kind())
}

fn lookup<'a>(devices: &'a DeviceRegistry, identifier: &Identifier) -> Option<&'a Device> {
    match identifier {
        Identifier::Phone(phone) => devices.by_phone(phone),
        Identifier::Ipv4 {
            public,
            private,
            port,
        } => devices.by_ipv4((*public)?, *private, *port),
        Identifier::Ipv6(address) => devices.by_ipv6((*address)?),
        Identifier::NetworkAccess => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reachability_contract::DeviceRole;

    /// The lab number of the testing device playing `role` (the contract data).
    fn lab(role: DeviceRole) -> &'static str {
        crate::Api::CamaraV1.current().testing_phone(role).unwrap()
    }

    fn query(identifiers: Vec<Identifier>) -> DeviceQuery {
        DeviceQuery { identifiers }
    }

    fn phone(n: &str) -> Identifier {
        Identifier::Phone(n.into())
    }

    fn identified(
        profile: &str,
        token: Option<&str>,
        q: Option<DeviceQuery>,
        faults: &[Fault],
    ) -> Result<(String, Option<Identifier>), ErrorSituation> {
        let registry = DeviceRegistry::lab();
        identify(
            profile.parse().unwrap(),
            &registry,
            token,
            q.as_ref(),
            &FaultSet::new(faults),
        )
        .map(|found| (found.device.phone_number.clone(), found.named_by))
    }

    /// The phone number of the device camara-v1.0 answers for.
    fn v1(
        token: Option<&str>,
        q: Option<DeviceQuery>,
        faults: &[Fault],
    ) -> Result<String, ErrorSituation> {
        identified("camara-v1.0", token, q, faults).map(|(phone, _)| phone)
    }

    #[test]
    fn v1_1_uses_the_first_of_several_identifiers_and_names_it() {
        let ipv6_of_32 = Identifier::Ipv6(Some("2001:db8:0:32::7".parse().unwrap()));
        let mismatch = query(vec![phone(lab(DeviceRole::Data)), ipv6_of_32.clone()]);
        assert_eq!(
            identified("camara-v1.1", None, Some(mismatch), &[]),
            Ok((
                lab(DeviceRole::Data).into(),
                Some(phone(lab(DeviceRole::Data)))
            ))
        );
        assert_eq!(
            identified(
                "camara-v1.1",
                None,
                Some(query(vec![ipv6_of_32.clone()])),
                &[]
            ),
            Ok((lab(DeviceRole::Sms).into(), Some(ipv6_of_32)))
        );
        assert_eq!(
            identified("camara-v1.1", Some(lab(DeviceRole::Sms)), None, &[]),
            Ok((lab(DeviceRole::Sms).into(), None))
        );
    }

    #[test]
    fn camara_v1_rules() {
        let ipv6_of_32 = Identifier::Ipv6(Some("2001:db8:0:32::7".parse().unwrap()));
        assert_eq!(
            v1(None, Some(query(vec![phone(lab(DeviceRole::Data))])), &[]),
            Ok(lab(DeviceRole::Data).into())
        );
        assert_eq!(
            v1(None, Some(query(vec![ipv6_of_32.clone()])), &[]),
            Ok(lab(DeviceRole::Sms).into())
        );
        assert_eq!(v1(None, None, &[]), Err(ErrorSituation::MissingIdentifier));
        assert_eq!(
            v1(None, Some(query(vec![])), &[]),
            Err(ErrorSituation::MissingIdentifier)
        );
        let nai = query(vec![Identifier::NetworkAccess]);
        assert_eq!(
            v1(None, Some(nai), &[]),
            Err(ErrorSituation::UnsupportedIdentifier)
        );
        assert_eq!(
            v1(
                None,
                Some(query(vec![phone(lab(DeviceRole::Unknown))])),
                &[]
            ),
            Err(ErrorSituation::NotFound)
        );
        let mismatch = query(vec![phone(lab(DeviceRole::Data)), ipv6_of_32]);
        assert_eq!(
            v1(None, Some(mismatch.clone()), &[]),
            Err(ErrorSituation::IdentifierMismatch)
        );
        assert_eq!(
            v1(None, Some(mismatch), &[Fault::IdentifierMismatchIgnored]),
            Ok(lab(DeviceRole::Data).into())
        );
        assert_eq!(
            v1(
                None,
                Some(query(vec![phone(lab(DeviceRole::NotApplicable))])),
                &[]
            ),
            Err(ErrorSituation::NotApplicable)
        );
        let token = Some(lab(DeviceRole::Sms));
        assert_eq!(v1(token, None, &[]), Ok(lab(DeviceRole::Sms).into()));
        assert_eq!(
            v1(token, Some(query(vec![phone(lab(DeviceRole::Sms))])), &[]),
            Err(ErrorSituation::UnnecessaryIdentifier)
        );
        assert_eq!(
            v1(token, None, &[Fault::CibaDeviceIgnored]),
            Err(ErrorSituation::MissingIdentifier)
        );
    }

    #[test]
    fn orange_uses_phone_numbers_only() {
        let registry = DeviceRegistry::lab();
        let orange = |token, q: DeviceQuery| {
            identify(
                Api::OrangeLabV0.current(),
                &registry,
                token,
                Some(&q),
                &FaultSet::default(),
            )
            .map(|found| found.device.phone_number.clone())
        };
        let ipv6_of_32 = Identifier::Ipv6(Some("2001:db8:0:32::1".parse().unwrap()));
        assert_eq!(
            orange(None, query(vec![ipv6_of_32.clone()])),
            Err(ErrorSituation::UnsupportedIdentifier)
        );
        assert_eq!(
            orange(None, query(vec![phone(lab(DeviceRole::Data)), ipv6_of_32])),
            Ok(lab(DeviceRole::Data).into())
        );
        assert_eq!(
            orange(
                Some(lab(DeviceRole::Data)),
                query(vec![phone(lab(DeviceRole::Data))])
            ),
            Ok(lab(DeviceRole::Data).into())
        );
        assert_eq!(
            orange(
                Some(lab(DeviceRole::Sms)),
                query(vec![phone(lab(DeviceRole::Data))])
            ),
            Err(ErrorSituation::TokenContextMismatch)
        );
        assert_eq!(
            orange(None, query(vec![phone(lab(DeviceRole::NotApplicable))])),
            Ok(lab(DeviceRole::NotApplicable).into())
        );
    }
}
