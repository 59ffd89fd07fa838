//! The one place settings are read from the environment: the seed and case count of
//! generated negative cases (`RC_SEED`, `RC_GENERATED_CASES`).

use reachability_harness::negative::{CASES_ENV, GenerationSettings, SEED_ENV};

/// The generation settings the environment gives; `default_cases` stands for the count
/// when `RC_GENERATED_CASES` is not set (`None`: the counts the steps write).
pub(crate) fn generation_settings(
    default_cases: Option<usize>,
) -> Result<GenerationSettings, String> {
    let seed = std::env::var(SEED_ENV).ok();
    let cases = std::env::var(CASES_ENV).ok();
    let mut settings = GenerationSettings::from_values(seed.as_deref(), cases.as_deref())?;
    settings.cases = settings.cases.or(default_cases);
    Ok(settings)
}
