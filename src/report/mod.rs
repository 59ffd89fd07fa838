//! What a run found, and the outputs made from it.

pub mod console;
mod model;

pub use model::{RunResult, ScenarioResult, Status, StepOutcome};
