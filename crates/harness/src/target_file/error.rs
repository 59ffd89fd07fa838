//! Why a target file cannot be used, and what to do about it.

use std::fmt;

/// A target file that cannot be used, with what to do about it.
///
/// Displays as `<file>: <key>: <what is wrong>; <what to do>` (the key part is left out
/// when the problem is not about one key, e.g. an unreadable file). Never contains a
/// secret value: only the names of the environment variables that hold them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetError {
    origin: String,
    place: Option<String>,
    problem: String,
    fix: String,
}

impl TargetError {
    /// A problem at `place` (a dotted key such as `http.timeout_ms`, or a line/column)
    /// of the target file `origin`.
    pub(crate) fn new(
        origin: &str,
        place: Option<String>,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            origin: origin.to_owned(),
            place,
            problem: problem.into(),
            fix: fix.into(),
        }
    }

    /// The file (or description) of the target the problem is in.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The key (or line and column) the problem is at, when it is about one place.
    pub fn place(&self) -> Option<&str> {
        self.place.as_deref()
    }
}

impl fmt::Display for TargetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.origin)?;
        if let Some(place) = &self.place {
            write!(f, "{place}: ")?;
        }
        write!(f, "{}; {}", self.problem, self.fix)
    }
}

impl std::error::Error for TargetError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_with_and_without_place() {
        let e = TargetError::new("t.toml", Some("http.concurrency".into()), "bad", "fix it");
        assert_eq!(e.to_string(), "t.toml: http.concurrency: bad; fix it");
        let e = TargetError::new("t.toml", None, "unreadable", "check the path");
        assert_eq!(e.to_string(), "t.toml: unreadable; check the path");
    }
}
