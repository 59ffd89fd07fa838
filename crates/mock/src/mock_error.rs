//! Why a mock could not be built or started.

use std::fmt;
use std::io;
use std::path::PathBuf;

use super::faults::Fault;
use super::variations::Variation;
use crate::profile::Profile;

/// Why a mock could not be built or started; the message says what to do.
#[derive(Debug)]
pub enum MockError {
    /// The listening port could not be bound.
    Bind {
        /// The port asked for.
        port: u16,
        /// The system error.
        source: io::Error,
    },
    /// A devices file could not be read.
    DevicesRead {
        /// The file.
        path: PathBuf,
        /// The system error.
        source: io::Error,
    },
    /// A devices file is not valid.
    Devices {
        /// The file (or another name for the text).
        origin: String,
        /// 1-based line at fault, when known.
        line: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// The mock's signing keys could not be made or loaded.
    Keys {
        /// What failed.
        message: String,
    },
    /// A fault was switched on for a profile it does not apply to.
    FaultNotApplicable {
        /// The fault.
        fault: Fault,
        /// The mock's profile.
        profile: Profile,
    },
    /// A variation was switched on for a profile it does not apply to.
    VariationNotApplicable {
        /// The variation.
        variation: Variation,
        /// The mock's profile.
        profile: Profile,
    },
}

impl fmt::Display for MockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MockError::Bind { port, source } if source.kind() == io::ErrorKind::AddrInUse => {
                write!(
                    f,
                    "cannot start the mock: port {port} of 127.0.0.1 is already in use; choose another --port, or 0 for a free one"
                )
            }
            MockError::Bind { port, source } => write!(
                f,
                "cannot start the mock on 127.0.0.1:{port}: {source}; choose another --port, or 0 for a free one"
            ),
            MockError::DevicesRead { path, source } => write!(
                f,
                "cannot read devices file {}: {source}; check the path and its permissions",
                path.display()
            ),
            MockError::Devices {
                origin,
                line,
                message,
            } => {
                write!(f, "devices file {origin}")?;
                if let Some(line) = line {
                    write!(f, ", line {line}")?;
                }
                write!(
                    f,
                    ": {message}; fix it (format: see `DeviceRegistry` in the documentation)"
                )
            }
            MockError::Keys { message } => write!(
                f,
                "cannot make the mock's signing keys: {message}; check that the system's random \
                 generator works"
            ),
            MockError::FaultNotApplicable { fault, profile } => write!(
                f,
                "fault {fault} does not apply to profile {profile}: run `reachability-conformance mock --list-faults` to see the faults of each profile"
            ),
            MockError::VariationNotApplicable { variation, profile } => write!(
                f,
                "variation {variation} does not apply to profile {profile}: run `reachability-conformance mock --list-variations` to see the variations of each profile"
            ),
        }
    }
}

impl std::error::Error for MockError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            MockError::Bind { source, .. } | MockError::DevicesRead { source, .. } => Some(source),
            MockError::Devices { .. }
            | MockError::Keys { .. }
            | MockError::FaultNotApplicable { .. }
            | MockError::VariationNotApplicable { .. } => None,
        }
    }
}
