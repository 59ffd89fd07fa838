//! JWS compact serialization of JSON claims: signing, and reading before verifying.

use serde_json::{Value, json};

use super::{Algorithm, JwkSet, PrivateKey, b64, unb64};

/// Signs `claims` with `key` and `algorithm`; the header names `typ` and, when given,
/// `kid`. The result is `header.claims.signature`, each base64url.
pub fn encode(
    key: &PrivateKey,
    algorithm: Algorithm,
    typ: &str,
    kid: Option<&str>,
    claims: &Value,
) -> Result<String, String> {
    let mut header = json!({ "alg": algorithm.name(), "typ": typ });
    if let Some(kid) = kid {
        header["kid"] = json!(kid);
    }
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let signature = key.sign(algorithm, input.as_bytes())?;
    Ok(format!("{input}.{}", b64(&signature)))
}

/// A JWT read but not yet verified: trust nothing in it before [`Jwt::verified_by`].
#[derive(Clone, Debug)]
pub struct Jwt {
    /// The header's algorithm (only supported ones are read).
    pub algorithm: Algorithm,
    /// The header's `kid`, if any.
    pub kid: Option<String>,
    /// The claims object.
    pub claims: Value,
    signing_input: String,
    signature: Vec<u8>,
}

impl Jwt {
    /// Reads a compact JWS whose claims are a JSON object. The error says which part is
    /// wrong; `alg` values other than RS256, PS256 and ES256 (`none` included) are refused.
    pub fn parse(token: &str) -> Result<Jwt, String> {
        let mut parts = token.split('.');
        let (Some(header), Some(claims), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err("it is not a JWT (three base64url parts joined by dots)".to_owned());
        };
        let object = |part: &str, what: &str| -> Result<Value, String> {
            let bytes = unb64(part, what)?;
            match serde_json::from_slice::<Value>(&bytes) {
                Ok(value @ Value::Object(_)) => Ok(value),
                _ => Err(format!("the {what} is not a JSON object")),
            }
        };
        let header_value = object(header, "JWT header")?;
        let alg = header_value
            .get("alg")
            .and_then(Value::as_str)
            .ok_or("the JWT header has no alg")?;
        let algorithm = alg
            .parse::<Algorithm>()
            .map_err(|e| format!("its alg {e}"))?;
        Ok(Jwt {
            algorithm,
            kid: header_value
                .get("kid")
                .and_then(Value::as_str)
                .map(str::to_owned),
            claims: object(claims, "JWT claims set")?,
            signing_input: format!("{header}.{claims}"),
            signature: unb64(signature, "JWT signature")?,
        })
    }

    /// Whether a key of `keys` (the one named by `kid`, if the header has one) signed it.
    pub fn verified_by(&self, keys: &JwkSet) -> bool {
        keys.verifies(
            self.kid.as_deref(),
            self.algorithm,
            self.signing_input.as_bytes(),
            &self.signature,
        )
    }

    /// A claim as a string.
    pub fn str_claim(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    /// A claim as whole seconds (NumericDate).
    pub fn time_claim(&self, name: &str) -> Option<i64> {
        let value = self.claims.get(name)?;
        value
            .as_i64()
            .or_else(|| value.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jose::Jwk;

    fn set(key: &PrivateKey, kid: &str, alg: Algorithm) -> JwkSet {
        JwkSet {
            keys: vec![key.public_jwk(Some(kid), alg)],
        }
    }

    #[test]
    fn signs_and_verifies_es256() {
        let key = PrivateKey::generate_p256().unwrap();
        let other = PrivateKey::generate_p256().unwrap();
        let token = encode(
            &key,
            Algorithm::Es256,
            "JWT",
            Some("k1"),
            &json!({"sub": "a", "exp": 5}),
        )
        .unwrap();
        let jwt = Jwt::parse(&token).unwrap();
        assert_eq!(
            (jwt.algorithm, jwt.kid.as_deref()),
            (Algorithm::Es256, Some("k1"))
        );
        assert_eq!(
            (jwt.str_claim("sub"), jwt.time_claim("exp")),
            (Some("a"), Some(5))
        );
        assert!(jwt.verified_by(&set(&key, "k1", Algorithm::Es256)));
        assert!(
            !jwt.verified_by(&set(&key, "k2", Algorithm::Es256)),
            "kid must match"
        );
        assert!(!jwt.verified_by(&set(&other, "k1", Algorithm::Es256)));
        let tampered = token.replacen('.', ".e30", 1);
        assert!(Jwt::parse(&tampered).map_or(true, |j| !j.verified_by(&set(
            &key,
            "k1",
            Algorithm::Es256
        ))));
    }

    #[test]
    fn refuses_unsupported_or_malformed_tokens() {
        let none = format!("{}.{}.", b64(br#"{"alg":"none"}"#), b64(b"{}"));
        assert_eq!(
            Jwt::parse(&none).unwrap_err(),
            "its alg \"none\" is not a supported algorithm; use RS256, PS256 or ES256"
        );
        assert!(Jwt::parse("a.b").unwrap_err().contains("not a JWT"));
        let array = format!("{}.{}.", b64(br#"{"alg":"RS256"}"#), b64(b"[]"));
        assert_eq!(
            Jwt::parse(&array).unwrap_err(),
            "the JWT claims set is not a JSON object"
        );
        let bad_jwk = Jwk {
            kty: "EC".into(),
            crv: Some("P-256".into()),
            ..Jwk::default()
        };
        assert!(!bad_jwk.verifies(Algorithm::Es256, b"m", b"s"));
    }
}
