//! Why a command could not do its job, with the typed error of the layer that failed, and
//! the one mapping from an error to its exit code and message.

use std::fmt;

use reachability_harness::http::HttpError;
use reachability_harness::phrasebook::PhrasebookError;
use reachability_harness::runner::SuiteError;
use reachability_harness::schema::SchemaError;
use reachability_harness::target_file::TargetError;
use reachability_mock::MockError;

use crate::cli::EXIT_USAGE;
use crate::embedded::EmbeddedError;

/// Why a command could not do its job (nothing was tested, or not everything asked).
#[derive(Debug)]
pub enum CliError {
    /// The command line or the environment asks for something that cannot be done.
    Usage(String),
    /// A target file cannot be used.
    Target(TargetError),
    /// Feature files cannot be read or parsed.
    Suite(SuiteError),
    /// A vendor's OpenAPI document cannot be used.
    Schema(SchemaError),
    /// The run's HTTP client cannot be built.
    Http(HttpError),
    /// The mock cannot start, or its devices file cannot be used.
    Mock(MockError),
    /// The embedded mock cannot be started or tested.
    Embedded(EmbeddedError),
    /// A vocabulary file, `[vocabulary]` alias or template parameter cannot be used.
    Vocabulary(PhrasebookError),
}

impl CliError {
    /// The process exit code for this error: every one of them is a usage or
    /// configuration problem (2), told apart from test outcomes (0, 1, 3).
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Usage(_)
            | CliError::Target(_)
            | CliError::Suite(_)
            | CliError::Schema(_)
            | CliError::Http(_)
            | CliError::Mock(_)
            | CliError::Embedded(_)
            | CliError::Vocabulary(_) => EXIT_USAGE,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(message) => f.write_str(message),
            CliError::Target(e) => e.fmt(f),
            CliError::Suite(e) => e.fmt(f),
            CliError::Schema(e) => e.fmt(f),
            CliError::Http(e) => e.fmt(f),
            CliError::Mock(e) => e.fmt(f),
            CliError::Embedded(e) => e.fmt(f),
            CliError::Vocabulary(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for CliError {}

impl From<String> for CliError {
    fn from(message: String) -> Self {
        CliError::Usage(message)
    }
}

impl From<TargetError> for CliError {
    fn from(e: TargetError) -> Self {
        CliError::Target(e)
    }
}

impl From<SuiteError> for CliError {
    fn from(e: SuiteError) -> Self {
        CliError::Suite(e)
    }
}

impl From<SchemaError> for CliError {
    fn from(e: SchemaError) -> Self {
        CliError::Schema(e)
    }
}

impl From<HttpError> for CliError {
    fn from(e: HttpError) -> Self {
        CliError::Http(e)
    }
}

impl From<MockError> for CliError {
    fn from(e: MockError) -> Self {
        CliError::Mock(e)
    }
}

impl From<EmbeddedError> for CliError {
    fn from(e: EmbeddedError) -> Self {
        CliError::Embedded(e)
    }
}

impl From<PhrasebookError> for CliError {
    fn from(e: PhrasebookError) -> Self {
        CliError::Vocabulary(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_is_a_usage_exit_with_the_message_of_its_layer() {
        let missing = std::path::Path::new("/nonexistent/target.toml");
        let target = reachability_harness::target_file::Target::load(missing).unwrap_err();
        let message = target.to_string();
        let error = CliError::from(target);
        assert_eq!(error.exit_code(), 2);
        assert_eq!(error.to_string(), message);
        let usage = CliError::from("--profile and --target".to_owned());
        assert_eq!(usage.exit_code(), 2);
        assert_eq!(usage.to_string(), "--profile and --target");
    }
}
