//! Signing algorithms and private keys.

use std::fmt;
use std::str::FromStr;

use ring::rand::SystemRandom;
use ring::signature::{
    self, ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair as _, RsaKeyPair,
    RsaPublicKeyComponents,
};

use super::{Jwk, b64, pem};

/// A JWS signing algorithm the harness and the mock support.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    Rs256,
    /// RSASSA-PSS with SHA-256.
    Ps256,
    /// ECDSA on P-256 with SHA-256.
    Es256,
}

impl Algorithm {
    /// Every supported algorithm.
    pub const ALL: [Algorithm; 3] = [Algorithm::Rs256, Algorithm::Ps256, Algorithm::Es256];

    /// The JOSE name, e.g. `RS256`.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Rs256 => "RS256",
            Algorithm::Ps256 => "PS256",
            Algorithm::Es256 => "ES256",
        }
    }

    /// The JWK `kty` of the keys this algorithm uses.
    pub fn key_type(self) -> &'static str {
        match self {
            Algorithm::Rs256 | Algorithm::Ps256 => "RSA",
            Algorithm::Es256 => "EC",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Algorithm {
    type Err = String;

    /// Parses a JOSE name (`RS256`, `PS256`, `ES256`); the error lists them.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Algorithm::ALL
            .into_iter()
            .find(|a| a.name() == s)
            .ok_or_else(|| format!("{s:?} is not a supported algorithm; use RS256, PS256 or ES256"))
    }
}

/// A private signing key: RSA (2048 to 8192 bits) or EC P-256. Its `Debug` shows the
/// kind of key only, never key material.
pub struct PrivateKey {
    pair: Pair,
    /// The PEM label and DER the key was read from (or generated as).
    label: &'static str,
    der: Vec<u8>,
}

enum Pair {
    Rsa(RsaKeyPair),
    P256(EcdsaKeyPair),
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey({})", self.kind())
    }
}

impl PrivateKey {
    /// Reads an unencrypted PEM private key: `PRIVATE KEY` (PKCS#8, RSA or EC P-256) or
    /// `RSA PRIVATE KEY` (PKCS#1). The error says what the text is and what to do.
    pub fn from_pem(text: &str) -> Result<PrivateKey, String> {
        let (label, der) = pem::decode(text)?;
        let pkcs8 = "convert it with `openssl pkcs8 -topk8 -nocrypt -in key.pem`";
        match label.as_str() {
            "PRIVATE KEY" => Self::from_pkcs8(der),
            "RSA PRIVATE KEY" => {
                let pair = RsaKeyPair::from_der(&der)
                    .map_err(|e| format!("it is not a usable RSA key ({e}); {pkcs8}"))?;
                Ok(PrivateKey {
                    pair: Pair::Rsa(pair),
                    label: "RSA PRIVATE KEY",
                    der,
                })
            }
            "EC PRIVATE KEY" => Err(format!("it is a SEC1 EC key; {pkcs8}")),
            "ENCRYPTED PRIVATE KEY" => Err(format!("it is an encrypted key; {pkcs8}")),
            "PUBLIC KEY" | "CERTIFICATE" | "RSA PUBLIC KEY" => Err(format!(
                "it holds a {}, not a private key; give the private key that signs",
                label.to_lowercase()
            )),
            other => Err(format!(
                "its PEM block is {other:?}, not a private key; give a PKCS#8 (\"PRIVATE KEY\") file"
            )),
        }
    }

    fn from_pkcs8(der: Vec<u8>) -> Result<PrivateKey, String> {
        let rsa = match RsaKeyPair::from_pkcs8(&der) {
            Ok(pair) => {
                return Ok(PrivateKey {
                    pair: Pair::Rsa(pair),
                    label: "PRIVATE KEY",
                    der,
                });
            }
            Err(e) => e,
        };
        let ec =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &der, &SystemRandom::new());
        match ec {
            Ok(pair) => Ok(PrivateKey {
                pair: Pair::P256(pair),
                label: "PRIVATE KEY",
                der,
            }),
            Err(_) => Err(format!(
                "it is not an RSA key of 2048 to 8192 bits or an EC P-256 key ({rsa} as RSA); \
                 use one of those"
            )),
        }
    }

    /// A fresh EC P-256 key.
    pub fn generate_p256() -> Result<PrivateKey, String> {
        let rng = SystemRandom::new();
        let document = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .map_err(|_| "the system random generator failed to make a P-256 key".to_owned())?;
        Self::from_pkcs8(document.as_ref().to_vec())
    }

    /// The key as PEM, in the form it was read (a secret: never log it).
    pub fn to_pem(&self) -> String {
        pem::encode(self.label, &self.der)
    }

    /// `RSA <bits> bits` or `EC P-256`.
    pub fn kind(&self) -> String {
        match &self.pair {
            Pair::Rsa(pair) => format!("RSA {} bits", pair.public().modulus_len() * 8),
            Pair::P256(_) => "EC P-256".to_owned(),
        }
    }

    /// Whether this key can sign with `algorithm`.
    pub fn supports(&self, algorithm: Algorithm) -> bool {
        matches!(
            (&self.pair, algorithm),
            (Pair::Rsa(_), Algorithm::Rs256 | Algorithm::Ps256) | (Pair::P256(_), Algorithm::Es256)
        )
    }

    /// The algorithm to use when none is configured: RS256 for RSA, ES256 for EC.
    pub fn default_algorithm(&self) -> Algorithm {
        match self.pair {
            Pair::Rsa(_) => Algorithm::Rs256,
            Pair::P256(_) => Algorithm::Es256,
        }
    }

    /// Signs `message` with `algorithm` (which the key must support).
    pub fn sign(&self, algorithm: Algorithm, message: &[u8]) -> Result<Vec<u8>, String> {
        let rng = SystemRandom::new();
        let failed = |_| format!("signing with {algorithm} failed");
        match (&self.pair, algorithm) {
            (Pair::Rsa(pair), Algorithm::Rs256 | Algorithm::Ps256) => {
                let padding: &dyn signature::RsaEncoding = if algorithm == Algorithm::Rs256 {
                    &signature::RSA_PKCS1_SHA256
                } else {
                    &signature::RSA_PSS_SHA256
                };
                let mut out = vec![0; pair.public().modulus_len()];
                pair.sign(padding, &rng, message, &mut out)
                    .map_err(failed)?;
                Ok(out)
            }
            (Pair::P256(pair), Algorithm::Es256) => {
                Ok(pair.sign(&rng, message).map_err(failed)?.as_ref().to_vec())
            }
            _ => Err(format!(
                "a {} key cannot sign with {algorithm}",
                self.kind()
            )),
        }
    }

    /// The public half as a JWK for `algorithm`, with `kid` when given.
    pub fn public_jwk(&self, kid: Option<&str>, algorithm: Algorithm) -> Jwk {
        let mut jwk = Jwk {
            kid: kid.map(str::to_owned),
            alg: Some(algorithm.name().to_owned()),
            use_: Some("sig".to_owned()),
            ..Jwk::default()
        };
        match &self.pair {
            Pair::Rsa(pair) => {
                let components = RsaPublicKeyComponents::<Vec<u8>>::from(pair.public());
                jwk.kty = "RSA".to_owned();
                jwk.n = Some(b64(&components.n));
                jwk.e = Some(b64(&components.e));
            }
            Pair::P256(pair) => {
                // Uncompressed point: 0x04 || x (32 bytes) || y (32 bytes).
                let point = pair.public_key().as_ref();
                jwk.kty = "EC".to_owned();
                jwk.crv = Some("P-256".to_owned());
                jwk.x = point.get(1..33).map(b64);
                jwk.y = point.get(33..65).map(b64);
            }
        }
        jwk
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithms_parse_by_jose_name() {
        assert_eq!("PS256".parse(), Ok(Algorithm::Ps256));
        assert_eq!(
            "HS256".parse::<Algorithm>(),
            Err("\"HS256\" is not a supported algorithm; use RS256, PS256 or ES256".to_owned())
        );
    }

    #[test]
    fn generated_p256_keys_sign_and_round_trip_through_pem() {
        let key = PrivateKey::generate_p256().unwrap();
        assert_eq!(format!("{key:?}"), "PrivateKey(EC P-256)");
        assert!(key.supports(Algorithm::Es256) && !key.supports(Algorithm::Rs256));
        assert_eq!(key.sign(Algorithm::Es256, b"m").unwrap().len(), 64);
        assert!(key.sign(Algorithm::Rs256, b"m").is_err());
        let again = PrivateKey::from_pem(&key.to_pem()).unwrap();
        assert_eq!(
            again.public_jwk(None, Algorithm::Es256),
            key.public_jwk(None, Algorithm::Es256)
        );
    }
}
