//! Public keys as JSON Web Keys, and signature checks with them.

use ring::signature::{self, RsaPublicKeyComponents, UnparsedPublicKey};
use serde::{Deserialize, Serialize};

use super::{Algorithm, unb64};

/// A public JSON Web Key (RFC 7517): RSA (`n`, `e`) or EC P-256 (`crv`, `x`, `y`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    /// Key type: `RSA` or `EC`.
    pub kty: String,
    /// Key id, matched against a JWS header's `kid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    /// Intended use (`sig`).
    #[serde(default, rename = "use", skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
    /// The one algorithm the key is for, when restricted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    /// RSA modulus (base64url).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    /// RSA public exponent (base64url).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
    /// EC curve (`P-256`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    /// EC x coordinate (base64url).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    /// EC y coordinate (base64url).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
}

impl Jwk {
    /// Whether `signature` is `algorithm`'s signature of `message` by this key. A key
    /// of another type, restricted to another algorithm or malformed never verifies.
    pub fn verifies(&self, algorithm: Algorithm, message: &[u8], signature: &[u8]) -> bool {
        if self.kty != algorithm.key_type()
            || self.alg.as_deref().is_some_and(|a| a != algorithm.name())
        {
            return false;
        }
        let part = |value: &Option<String>| unb64(value.as_deref().unwrap_or_default(), "key");
        match algorithm {
            Algorithm::Rs256 | Algorithm::Ps256 => {
                let (Ok(n), Ok(e)) = (part(&self.n), part(&self.e)) else {
                    return false;
                };
                let params = if algorithm == Algorithm::Rs256 {
                    &signature::RSA_PKCS1_2048_8192_SHA256
                } else {
                    &signature::RSA_PSS_2048_8192_SHA256
                };
                RsaPublicKeyComponents { n, e }
                    .verify(params, message, signature)
                    .is_ok()
            }
            Algorithm::Es256 => {
                if self.crv.as_deref() != Some("P-256") {
                    return false;
                }
                let (Ok(x), Ok(y)) = (part(&self.x), part(&self.y)) else {
                    return false;
                };
                let point = [&[4u8][..], &x, &y].concat();
                UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point)
                    .verify(message, signature)
                    .is_ok()
            }
        }
    }
}

/// A JWK Set (RFC 7517 §5), as served at a `jwks_uri`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JwkSet {
    /// The keys.
    pub keys: Vec<Jwk>,
}

impl JwkSet {
    /// Whether a key of the set verifies `signature`: the key named `kid` when given,
    /// otherwise any key.
    pub fn verifies(
        &self,
        kid: Option<&str>,
        algorithm: Algorithm,
        message: &[u8],
        signature: &[u8],
    ) -> bool {
        self.keys
            .iter()
            .filter(|k| kid.is_none_or(|kid| k.kid.as_deref() == Some(kid)))
            .any(|k| k.verifies(algorithm, message, signature))
    }
}
