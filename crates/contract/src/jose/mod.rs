//! Signed JWTs (JWS compact serialization, RFC 7515/7519) and JSON Web Keys (RFC 7517),
//! on top of `ring`: what OAuth client assertions (RFC 7523) and the mock's JWT access
//! tokens need, and nothing more.
//!
//! Algorithms: RS256 and PS256 (RSA, 2048 to 8192 bits) and ES256 (EC P-256). Keys are
//! read from unencrypted PEM (PKCS#8, or PKCS#1 for RSA); `none` and HMAC are refused.

mod jwk;
mod jwt;
mod key;
mod pem;

pub use jwk::{Jwk, JwkSet};
pub use jwt::{Jwt, encode};
pub use key::{Algorithm, PrivateKey};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Unpadded base64url (RFC 7515 §2).
fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes unpadded base64url; `what` names the part in the error.
fn unb64(text: &str, what: &str) -> Result<Vec<u8>, String> {
    URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| format!("the {what} is not base64url"))
}
