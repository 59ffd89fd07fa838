//! How many generated cases a step sends: the request budget of a generated scenario.
//!
//! The rules (a kind's malformation classes) come from the strategies; the depth only says
//! how many samples to draw from them. Every depth tries each class once, so a target that
//! wrongly accepts one way of breaking the request is caught at any depth.

use std::fmt;
use std::str::FromStr;

/// Random cases drawn beyond one per class at the standard depth.
pub const STANDARD_SAMPLE: usize = 2;

/// How deep generated scenarios go: `quick` sends one case per malformation class,
/// `standard` (the default) adds a small seeded random sample, `deep` sends the count
/// written in the step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Depth {
    /// One case per malformation class.
    Quick,
    /// One case per class plus [`STANDARD_SAMPLE`] random ones.
    #[default]
    Standard,
    /// The count the step writes (at least one per class).
    Deep,
}

impl Depth {
    /// Every depth, shallowest first.
    pub const ALL: [Depth; 3] = [Depth::Quick, Depth::Standard, Depth::Deep];

    /// The depth's name, as `--depth` and `[run] depth` take it.
    pub fn name(self) -> &'static str {
        match self {
            Depth::Quick => "quick",
            Depth::Standard => "standard",
            Depth::Deep => "deep",
        }
    }

    /// How many cases a step sends that writes `written` and whose kind has `classes`
    /// malformation classes: never fewer than one per class, never more than `deep`.
    pub fn cases(self, classes: usize, written: usize) -> usize {
        let deep = written.max(classes);
        match self {
            Depth::Quick => classes,
            Depth::Standard => (classes + STANDARD_SAMPLE).min(deep),
            Depth::Deep => deep,
        }
    }
}

impl fmt::Display for Depth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Depth {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Depth::ALL
            .into_iter()
            .find(|d| d.name() == s.trim())
            .ok_or_else(|| format!("{s:?} is not a depth: give quick, standard or deep"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_depth_tries_each_class_and_deep_is_the_written_count() {
        assert_eq!(Depth::Quick.cases(8, 50), 8);
        assert_eq!(Depth::Standard.cases(8, 50), 10);
        assert_eq!(Depth::Deep.cases(8, 50), 50);
        // A step writing fewer cases than classes still tries every class.
        assert_eq!(Depth::Deep.cases(8, 3), 8);
        // The standard sample never goes past the deep count.
        assert_eq!(Depth::Standard.cases(8, 9), 9);
    }

    #[test]
    fn depths_round_trip_through_their_names() {
        for depth in Depth::ALL {
            assert_eq!(depth.name().parse::<Depth>(), Ok(depth));
        }
        assert_eq!(Depth::default(), Depth::Standard);
        assert_eq!(
            "fast".parse::<Depth>().unwrap_err(),
            "\"fast\" is not a depth: give quick, standard or deep"
        );
    }
}
