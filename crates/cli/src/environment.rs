//! The one place settings are read from the environment: the seed and case count of
//! generated negative cases (`RC_SEED`, `RC_GENERATED_CASES`).

use reachability_harness::negative::{CASES_ENV, GenerationSettings, SEED_ENV};

/// The generation settings the environment gives (at the default depth: the command line
/// or the target file may change it).
pub(crate) fn generation_settings() -> Result<GenerationSettings, String> {
    let seed = std::env::var(SEED_ENV).ok();
    let cases = std::env::var(CASES_ENV).ok();
    GenerationSettings::from_values(seed.as_deref(), cases.as_deref())
}
