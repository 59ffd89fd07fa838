//! The target file that points the harness at a running mock, and its secrets.

use crate::Api;
use reachability_contract::{DeviceRole, IdentifierKind};
use serde_json::{Map, Value, json};
use std::fmt::Write as _;

use super::app::App;
use super::clients::JWT_CLIENT_KEY_ID;
use super::devices::{Device, DeviceRegistry, DeviceState};
use super::paths::{
    CIBA_PATH, DEVICE_STATE_PATH, OPENID_CONFIGURATION_PATH, REVOKE_PATH, api_base, token_path,
};
use super::variations::Variation;
use super::{API_SCOPE, MockClientAuth, NETWORK_ERROR_HEADER};

use reachability_contract::oauth::SUBSCRIPTION_SCOPES;

/// Variable holding the client secret (camara-v1).
const CLIENT_SECRET_ENV: &str = "MOCK_CLIENT_SECRET";
/// Variable holding the ready `Basic` header (orange-lab-v0, Orange's way).
const AUTHORIZATION_ENV: &str = "MOCK_AUTHORIZATION";
/// Variable holding the PEM private key of `jwt-client` (`private_key_jwt`).
const PRIVATE_KEY_ENV: &str = "MOCK_PRIVATE_KEY";
/// Variable holding the already-expired token.
const EXPIRED_TOKEN_ENV: &str = "MOCK_EXPIRED_TOKEN";
/// Scope a token is asked with to lack the API scope.
const NO_SCOPE_SCOPE: &str = "openid";

/// The target file text for the mock at `api_root` (its root URL; the API root adds the
/// `base-path` variation's path).
pub(crate) fn render(app: &App, api_root: &str) -> String {
    let v1 = app.profile.api() != Api::OrangeLabV0;
    let mut out = format!(
        "# Target file of the embedded {} mock; secrets come from the *_env variables.\n",
        app.profile
    );
    let kv = |out: &mut String, key: &str, value: String| {
        let _ = writeln!(out, "{key} = {value}");
    };
    kv(&mut out, "profile", quote(app.profile.name()));
    kv(
        &mut out,
        "api_root",
        quote(&format!("{api_root}{}", api_base(app))),
    );

    out.push_str("\n[http]\n");
    kv(&mut out, "timeout_ms", "10000".into());
    kv(&mut out, "concurrency", "8".into());
    kv(&mut out, "requests_per_second", "0".into());

    out.push_str("\n[auth]\n");
    let key_based = app.client_auth == MockClientAuth::PrivateKeyJwt;
    let url = |path: &str| quote(&format!("{api_root}{path}"));
    if key_based {
        // CAMARA's security profile: endpoints by discovery, client by private_key_jwt.
        kv(
            &mut out,
            "openid_configuration_url",
            url(OPENID_CONFIGURATION_PATH),
        );
        kv(&mut out, "client_id", quote(app.main_client().client_id()));
        kv(&mut out, "client_auth", quote("private_key_jwt"));
        kv(&mut out, "private_key_env", quote(PRIVATE_KEY_ENV));
        kv(&mut out, "key_id", quote(JWT_CLIENT_KEY_ID));
        kv(&mut out, "algorithm", quote("ES256"));
    } else {
        kv(&mut out, "token_url", url(token_path(app.profile)));
        kv(&mut out, "client_id", quote(app.main_client().client_id()));
        if v1 {
            kv(&mut out, "client_secret_env", quote(CLIENT_SECRET_ENV));
        } else {
            kv(&mut out, "authorization_env", quote(AUTHORIZATION_ENV));
        }
    }
    let scope = if app.profile.is_subscriptions() {
        SUBSCRIPTION_SCOPES.join(" ")
    } else {
        API_SCOPE.to_owned()
    };
    kv(&mut out, "scope", quote(&scope));
    if !key_based {
        kv(&mut out, "revocation_url", url(REVOKE_PATH));
    }
    kv(&mut out, "expired_token_env", quote(EXPIRED_TOKEN_ENV));
    kv(&mut out, "no_scope_scope", quote(NO_SCOPE_SCOPE));
    let devices = testing_devices(app);
    let bound = devices
        .iter()
        .find(|(role, _)| *role == DeviceRole::Data)
        .and_then(|(_, device)| device.get("phoneNumber"));
    if v1 {
        if !key_based {
            kv(&mut out, "ciba_url", url(CIBA_PATH));
        }
        if let Some(phone) = bound.and_then(Value::as_str) {
            kv(
                &mut out,
                "device_login_hint",
                quote(&format!("tel:{phone}")),
            );
        }
    }

    if app.profile.is_subscriptions() {
        // The harness's sink on a free local port; the mock delivers to loopback sinks.
        out.push_str("\n[subscriptions]\n");
        kv(&mut out, "sink_bind", quote("127.0.0.1:0"));
        kv(&mut out, "event_timeout_s", "10".into());
        kv(&mut out, "quiet_window_ms", "500".into());
        // The mock's control endpoint changes a device's state (not part of the API).
        kv(
            &mut out,
            "state_change_hook",
            format!("{{ url = {} }}", url(DEVICE_STATE_PATH)),
        );
        // The official plans' implementation indication: how this mock creates subscriptions.
        let creation = match app.faults.varies(Variation::SubscriptionsAsync) {
            true => "async",
            false => "sync",
        };
        kv(&mut out, "creation", quote(creation));
    }

    out.push_str("\n[provider]\n");
    let (name, value) = NETWORK_ERROR_HEADER;
    kv(
        &mut out,
        "network_error_header",
        quote(&format!("{name}: {value}")),
    );

    out.push_str("\n[devices]\n");
    for (role, device) in &devices {
        kv(&mut out, role.key(), inline_table(device));
    }
    let supported = &app.profile.identifiers().supported;
    let unsupported: Vec<String> = IdentifierKind::ALL
        .into_iter()
        .filter(|kind| !supported.contains(kind))
        .map(|kind| quote(kind.name()))
        .collect();
    kv(
        &mut out,
        "unsupported_identifiers",
        format!("[{}]", unsupported.join(", ")),
    );
    out
}

/// The `*_env` variables [`render`] names, with their values.
pub(crate) fn secret_env(app: &App) -> Vec<(String, String)> {
    let client = app.main_client();
    let credential = match (app.client_auth, app.profile.api()) {
        (MockClientAuth::PrivateKeyJwt, _) => client
            .private_key()
            .map(|key| (PRIVATE_KEY_ENV, key.to_pem())),
        (MockClientAuth::ClientSecret, Api::CamaraV1 | Api::CamaraSubscriptionsV0) => client
            .client_secret()
            .map(|secret| (CLIENT_SECRET_ENV, secret.to_owned())),
        (MockClientAuth::ClientSecret, Api::OrangeLabV0) => client
            .basic_authorization()
            .map(|header| (AUTHORIZATION_ENV, header)),
    };
    credential
        .into_iter()
        .chain([(EXPIRED_TOKEN_ENV, app.expired_token.clone())])
        .map(|(name, value)| (name.to_owned(), value))
        .collect()
}

/// The `[devices]` of the target file: each testing device the profile names
/// ([`Profile::testing_devices`]), where the mock's registry agrees with its role; else, for a
/// vendor's devices file, one of its devices that plays the role (if it has one).
fn testing_devices(app: &App) -> Vec<(DeviceRole, Map<String, Value>)> {
    let registry = &app.devices;
    app.profile
        .testing_devices()
        .iter()
        .filter_map(|(&role, device)| {
            let chosen = if plays(registry, role, device) {
                Some(device.clone())
            } else {
                stand_in(registry, role)
            };
            chosen.map(|device| (role, device))
        })
        .collect()
}

/// Whether `device` plays `role` in `registry`.
fn plays(registry: &DeviceRegistry, role: DeviceRole, device: &Map<String, Value>) -> bool {
    let found = device
        .get("phoneNumber")
        .and_then(Value::as_str)
        .map(|phone| registry.by_phone(phone));
    match (role.state(), found) {
        (Some(state), Some(found)) => found.is_some_and(|d| d.state == state),
        (None, Some(found)) if role == DeviceRole::Unknown => found.is_none(),
        (None, Some(Some(mine))) if role == DeviceRole::Mismatch => device
            .get("ipv6Address")
            .and_then(Value::as_str)
            .and_then(|ip| ip.parse().ok())
            .and_then(|ip| registry.by_ipv6(ip))
            .is_some_and(|other| other.phone_number != mine.phone_number),
        _ => false,
    }
}

/// A device of `registry` that plays `role`: the first in the role's state, a number no
/// device has, or the data device's number next to another device's address (`None` for
/// `Unsupported`, which no device plays).
fn stand_in(registry: &DeviceRegistry, role: DeviceRole) -> Option<Map<String, Value>> {
    let phone = |device: &Device| json!({ "phoneNumber": device.phone_number });
    let chosen = match role.state() {
        Some(state) => phone(registry.first_in_state(state)?),
        None if role == DeviceRole::Unknown => {
            json!({ "phoneNumber": registry.unknown_phone_number() })
        }
        None if role == DeviceRole::Mismatch => {
            let devices = registry.devices();
            let device = registry
                .first_in_state(DeviceState::Data)
                .or(devices.first())?;
            let mut mismatch = phone(device);
            let others = || {
                devices
                    .iter()
                    .filter(|d| d.phone_number != device.phone_number)
            };
            if let Some(ipv6) = others().find_map(|d| d.ipv6_address) {
                mismatch["ipv6Address"] = json!(ipv6.to_string());
            } else {
                let ipv4 = others().find_map(|d| d.ipv4_address.as_ref())?;
                let mut address = json!({ "publicAddress": ipv4.public_address.to_string() });
                if let Some(private) = ipv4.private_address {
                    address["privateAddress"] = json!(private.to_string());
                }
                if let Some(port) = ipv4.public_port {
                    address["publicPort"] = json!(port);
                }
                mismatch["ipv4Address"] = address;
            }
            mismatch
        }
        // No `Device` object plays it: a profile's testing devices never name it.
        None => return None,
    };
    match chosen {
        Value::Object(device) => Some(device),
        _ => None,
    }
}

/// A `Device` object as a TOML inline table (`{ phoneNumber = "...", ... }`): the phone
/// number first, then the other members in name order.
fn inline_table(device: &Map<String, Value>) -> String {
    let mut members: Vec<(&String, &Value)> = device.iter().collect();
    members.sort_by_key(|(key, _)| (key.as_str() != "phoneNumber", key.as_str()));
    let fields: Vec<String> = members
        .into_iter()
        .map(|(key, value)| format!("{key} = {}", toml_value(value)))
        .collect();
    format!("{{ {} }}", fields.join(", "))
}

/// A JSON scalar or object as TOML.
fn toml_value(value: &Value) -> String {
    match value {
        Value::String(text) => quote(text),
        Value::Object(fields) => inline_table(fields),
        other => other.to_string(),
    }
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MockOptions;
    use crate::Profile;

    fn parsed(profile: Profile, devices: DeviceRegistry) -> toml::Table {
        let app = App::new(
            MockOptions {
                profile,
                devices,
                ..MockOptions::default()
            },
            "http://127.0.0.1:9",
        )
        .unwrap();
        toml::from_str(&render(&app, "http://127.0.0.1:9")).unwrap()
    }

    #[test]
    fn device_tables_put_the_phone_number_first() {
        let device = json!({"ipv6Address": "2001:db8::1", "phoneNumber": "+4912345"});
        assert_eq!(
            inline_table(device.as_object().unwrap()),
            r#"{ phoneNumber = "+4912345", ipv6Address = "2001:db8::1" }"#
        );
    }

    #[test]
    fn camara_v1_target_names_every_asset() {
        let target = parsed(Api::CamaraV1.current(), DeviceRegistry::lab());
        let expected: toml::Table = toml::from_str(
            r#"
            profile = "camara-v1.1"
            api_root = "http://127.0.0.1:9"
            [http]
            timeout_ms = 10000
            concurrency = 8
            requests_per_second = 0
            [auth]
            token_url = "http://127.0.0.1:9/oauth/token"
            client_id = "demo-client"
            client_secret_env = "MOCK_CLIENT_SECRET"
            scope = "device-reachability-status:read"
            revocation_url = "http://127.0.0.1:9/oauth/revoke"
            expired_token_env = "MOCK_EXPIRED_TOKEN"
            no_scope_scope = "openid"
            ciba_url = "http://127.0.0.1:9/bc-authorize"
            device_login_hint = "tel:+33699901031"
            [provider]
            network_error_header = "x-mock-simulate: network-error"
            [devices]
            data = { phoneNumber = "+33699901031" }
            sms = { phoneNumber = "+33699901032" }
            data_and_sms = { phoneNumber = "+33699901033" }
            not_connected = { phoneNumber = "+33699901034" }
            not_applicable = { phoneNumber = "+33699901035" }
            unknown = { phoneNumber = "+33699999999" }
            mismatch = { phoneNumber = "+33699901031", ipv6Address = "2001:db8:0:32::1" }
            unsupported_identifiers = ["networkAccessIdentifier"]
            "#,
        )
        .unwrap();
        assert_eq!(target, expected);
    }

    #[test]
    fn a_devices_file_stands_in_for_the_testing_devices_it_lacks() {
        let devices = DeviceRegistry::from_toml_str(
            "[[device]]\nphoneNumber = \"+4912345\"\nstate = \"data\"\n\
             [[device]]\nphoneNumber = \"+4912346\"\nstate = \"not-connected\"\n\
             ipv4Address = { publicAddress = \"192.0.2.7\", publicPort = 7 }\n",
            "test",
        )
        .unwrap();
        let target = parsed(Api::CamaraV1.current(), devices);
        let expected: toml::Table = toml::from_str(
            r#"
            data = { phoneNumber = "+4912345" }
            not_connected = { phoneNumber = "+4912346" }
            unknown = { phoneNumber = "+33699999999" }
            mismatch = { phoneNumber = "+4912345", ipv4Address = { publicAddress = "192.0.2.7", publicPort = 7 } }
            unsupported_identifiers = ["networkAccessIdentifier"]
            "#,
        )
        .unwrap();
        assert_eq!(target["devices"].as_table(), Some(&expected));
        assert_eq!(
            target["auth"]["device_login_hint"].as_str(),
            Some("tel:+4912345")
        );
    }

    #[test]
    fn orange_target_uses_a_basic_header_and_a_custom_registry() {
        let devices = DeviceRegistry::from_toml_str(
            "[[device]]\nphoneNumber = \"+4912345\"\nstate = \"sms\"\n\
             [[device]]\nphoneNumber = \"+33699999999\"\nstate = \"data\"\n",
            "test",
        )
        .unwrap();
        let target = parsed(Api::OrangeLabV0.current(), devices);
        assert_eq!(
            target["auth"]["token_url"].as_str(),
            Some("http://127.0.0.1:9/oauth/v3/token")
        );
        assert_eq!(
            target["auth"]["authorization_env"].as_str(),
            Some("MOCK_AUTHORIZATION")
        );
        assert!(
            target["auth"].get("ciba_url").is_none()
                && target["auth"].get("client_secret_env").is_none()
        );
        let devices = target["devices"].as_table().unwrap();
        let keys: Vec<&str> = devices.keys().map(String::as_str).collect();
        assert_eq!(keys, ["data", "sms", "unknown", "unsupported_identifiers"]);
        assert_eq!(
            devices["data"]["phoneNumber"].as_str(),
            Some("+33699999999")
        );
        assert_eq!(
            devices["unknown"]["phoneNumber"].as_str(),
            Some("+33699999998")
        );
    }
}
