//! What a provider of a profile answers in each error situation the OAS leaves open
//! (`[errors]` of `profile.toml`: situation → `"STATUS CODE"`), checked against the codes
//! the profile's OAS lists for that status.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use crate::SeveralIdentifiers;

/// An error situation of the status operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorSituation {
    /// Neither the token nor the request names a device.
    MissingIdentifier,
    /// The request only holds identifiers the profile does not support.
    UnsupportedIdentifier,
    /// The identifiers name different devices (profiles whose `several` is `reject`).
    IdentifierMismatch,
    /// The device is known, but the service does not apply to it.
    NotApplicable,
    /// Some identifier names no device of the provider.
    NotFound,
    /// The token names a device, and the request names the same one too.
    UnnecessaryIdentifier,
    /// The request names another device than the token.
    TokenContextMismatch,
    /// The access token is missing, malformed, unknown, expired or revoked.
    Unauthenticated,
}

impl ErrorSituation {
    /// Every situation, in declaration order.
    pub const ALL: [ErrorSituation; 8] = [
        ErrorSituation::MissingIdentifier,
        ErrorSituation::UnsupportedIdentifier,
        ErrorSituation::IdentifierMismatch,
        ErrorSituation::NotApplicable,
        ErrorSituation::NotFound,
        ErrorSituation::UnnecessaryIdentifier,
        ErrorSituation::TokenContextMismatch,
        ErrorSituation::Unauthenticated,
    ];

    /// Its key in `[errors]` (`not_found`).
    pub fn key(self) -> &'static str {
        match self {
            ErrorSituation::MissingIdentifier => "missing_identifier",
            ErrorSituation::UnsupportedIdentifier => "unsupported_identifier",
            ErrorSituation::IdentifierMismatch => "identifier_mismatch",
            ErrorSituation::NotApplicable => "not_applicable",
            ErrorSituation::NotFound => "not_found",
            ErrorSituation::UnnecessaryIdentifier => "unnecessary_identifier",
            ErrorSituation::TokenContextMismatch => "token_context_mismatch",
            ErrorSituation::Unauthenticated => "unauthenticated",
        }
    }
}

/// An error answer: its HTTP status and its `code`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct ErrorAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The `code` of the CAMARA error body.
    pub code: String,
}

impl TryFrom<String> for ErrorAnswer {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        let parsed = text
            .split_once(' ')
            .and_then(|(status, code)| Some((status.parse::<u16>().ok()?, code)))
            .filter(|(status, code)| (400..600).contains(status) && !code.is_empty());
        match parsed {
            Some((status, code)) => Ok(Self {
                status,
                code: code.to_owned(),
            }),
            None => Err(format!(
                "{text:?} is no error answer: write \"STATUS CODE\", e.g. \"404 IDENTIFIER_NOT_FOUND\""
            )),
        }
    }
}

impl fmt::Display for ErrorAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status, self.code)
    }
}

/// A profile's `[errors]`.
pub type ErrorAnswers = BTreeMap<ErrorSituation, ErrorAnswer>;

/// Checks a profile's `[errors]`: every profile answers `unauthenticated`; a status
/// profile (`status`) answers every situation (the identifier mismatch only where several
/// identifiers are rejected); each answer's code is one `listed(status)` holds.
pub(crate) fn check(
    answers: &ErrorAnswers,
    status: bool,
    several: SeveralIdentifiers,
    listed: impl Fn(u16) -> Vec<String>,
) -> Result<(), String> {
    for situation in ErrorSituation::ALL {
        let needed = match situation {
            ErrorSituation::Unauthenticated => true,
            ErrorSituation::IdentifierMismatch => status && several == SeveralIdentifiers::Reject,
            _ => status,
        };
        match answers.get(&situation) {
            None if needed => {
                return Err(format!(
                    "[errors] has no {}: add it (\"STATUS CODE\")",
                    situation.key()
                ));
            }
            Some(_) if !needed => {
                return Err(format!(
                    "[errors] names {}, which this profile never answers: remove it",
                    situation.key()
                ));
            }
            Some(answer) => {
                let codes = listed(answer.status);
                if !codes.contains(&answer.code) {
                    return Err(format!(
                        "[errors] {} = \"{answer}\": the OAS lists no {} for {} (it lists [{}])",
                        situation.key(),
                        answer.code,
                        answer.status,
                        codes.join(", ")
                    ));
                }
            }
            None => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(pairs: &[(ErrorSituation, &str)]) -> ErrorAnswers {
        pairs
            .iter()
            .map(|(s, a)| (*s, ErrorAnswer::try_from((*a).to_owned()).unwrap()))
            .collect()
    }

    #[test]
    fn answers_must_be_complete_and_listed_by_the_oas() {
        let listed = |status: u16| match status {
            404 => vec!["IDENTIFIER_NOT_FOUND".to_owned()],
            _ => vec!["ANY".to_owned()],
        };
        let mut all: Vec<(ErrorSituation, &str)> = ErrorSituation::ALL
            .into_iter()
            .filter(|s| *s != ErrorSituation::IdentifierMismatch)
            .map(|s| (s, "422 ANY"))
            .collect();
        assert_eq!(
            check(&answers(&all), true, SeveralIdentifiers::PickOne, listed),
            Ok(())
        );
        assert_eq!(
            check(&answers(&all), true, SeveralIdentifiers::Reject, listed),
            Err("[errors] has no identifier_mismatch: add it (\"STATUS CODE\")".into())
        );
        all.push((ErrorSituation::NotFound, "404 NOT_FOUND"));
        assert_eq!(
            check(&answers(&all), true, SeveralIdentifiers::PickOne, listed),
            Err("[errors] not_found = \"404 NOT_FOUND\": the OAS lists no NOT_FOUND for 404 (it lists [IDENTIFIER_NOT_FOUND])".into())
        );
        all.pop();
        all.push((ErrorSituation::IdentifierMismatch, "422 ANY"));
        assert!(
            check(&answers(&all), true, SeveralIdentifiers::PickOne, listed)
                .unwrap_err()
                .contains("names identifier_mismatch")
        );
        let unauthenticated = answers(&[(ErrorSituation::Unauthenticated, "422 ANY")]);
        assert_eq!(
            check(&unauthenticated, false, SeveralIdentifiers::PickOne, listed),
            Ok(())
        );
        assert!(
            check(&answers(&all), false, SeveralIdentifiers::PickOne, listed)
                .unwrap_err()
                .contains("which this profile never answers")
        );
        assert_eq!(
            ErrorAnswer::try_from("404".to_owned()).unwrap_err(),
            "\"404\" is no error answer: write \"STATUS CODE\", e.g. \"404 IDENTIFIER_NOT_FOUND\""
        );
    }
}
