//! The expected outcome of the fault matrix, kept as data in `expectations.toml`: for each
//! fault and each profile it applies to, exactly which scenarios fail; and the scenarios no
//! fault can make fail, each with the reason.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::mock::Fault;
use crate::profile::Profile;

/// The table, compiled into the binary.
const EMBEDDED: &str = include_str!("expectations.toml");

/// Where the table lives, for messages.
pub const EXPECTATIONS_PATH: &str = "crates/cli/src/selftest/expectations.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    faults: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    unkillable: BTreeMap<String, String>,
}

/// What the fault matrix must find.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expectations {
    failing: BTreeMap<(Fault, Profile), Vec<String>>,
    unkillable: BTreeMap<String, String>,
}

impl Expectations {
    /// The project's table.
    pub fn embedded() -> Result<Expectations, String> {
        Expectations::parse(EMBEDDED)
    }

    /// Reads a table: `[faults.NAME]` with one `PROFILE = [scenarios]` line per profile the
    /// fault applies to, and `[unkillable]` with `scenario = "reason"` lines. Scenarios are
    /// written as in [`super::Labels::compact`].
    pub fn parse(text: &str) -> Result<Expectations, String> {
        let file: File = toml::from_str(text)
            .map_err(|e| format!("{EXPECTATIONS_PATH} is not a valid table: {e}"))?;
        let mut failing = BTreeMap::new();
        for (name, profiles) in file.faults {
            let fault: Fault = name
                .parse()
                .map_err(|e| format!("{EXPECTATIONS_PATH}: {e}; remove or rename the entry"))?;
            for (profile_name, scenarios) in profiles {
                let profile: Profile = profile_name.parse().map_err(|e| {
                    format!("{EXPECTATIONS_PATH}: [faults.{name}] {profile_name}: {e}")
                })?;
                if !fault.applies_to(profile) {
                    return Err(format!(
                        "{EXPECTATIONS_PATH}: [faults.{name}] names {profile}, which the fault does not apply to; remove that line"
                    ));
                }
                failing.insert((fault, profile), scenarios);
            }
        }
        for (scenario, reason) in &file.unkillable {
            if reason.trim().is_empty() {
                return Err(format!(
                    "{EXPECTATIONS_PATH}: [unkillable] {scenario} gives no reason; say why no fault can make it fail"
                ));
            }
        }
        Ok(Expectations {
            failing,
            unkillable: file.unkillable,
        })
    }

    /// The scenarios (compact form) that must fail with `fault` on in `profile`, or `None`
    /// when the table has no entry for them.
    pub fn failing(&self, fault: Fault, profile: Profile) -> Option<&[String]> {
        self.failing.get(&(fault, profile)).map(Vec::as_slice)
    }

    /// The scenarios no fault makes fail, with the reason for each.
    pub fn unkillable(&self) -> &BTreeMap<String, String> {
        &self.unkillable
    }
}

/// A `[faults.NAME]` table as it would be written for the given failing scenarios, for
/// pasting into the expectations file.
pub fn entry_text(fault: Fault, by_profile: &[(Profile, Vec<String>)]) -> String {
    let mut out = format!("[faults.{}]\n", fault.name());
    for (profile, scenarios) in by_profile {
        // A profile name with a dot is a quoted TOML key.
        let profile = if profile.name().contains('.') {
            format!("{:?}", profile.name())
        } else {
            profile.name().to_owned()
        };
        let quoted: Vec<String> = scenarios
            .iter()
            .map(|s| toml::Value::String(s.clone()).to_string())
            .collect();
        let one_line = format!("{profile} = [{}]\n", quoted.join(", "));
        if one_line.len() <= MAX_LINE {
            out.push_str(&one_line);
        } else {
            out.push_str(&format!("{profile} = [\n"));
            for scenario in quoted {
                out.push_str(&format!("    {scenario},\n"));
            }
            out.push_str("]\n");
        }
    }
    out
}

/// Longest line [`entry_text`] writes before it puts one scenario per line.
const MAX_LINE: usize = 100;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_faults_profiles_and_reasons() {
        let table = Expectations::parse(
            r#"
            [faults.no-auth-required]
            camara-v1 = ["a_01", "b_02[x]"]
            orange-lab-v0 = []
            [unkillable]
            c_03 = "checks nothing the mock can get wrong"
            "#,
        )
        .unwrap();
        assert_eq!(
            table.failing(Fault::NoAuthRequired, Profile::CamaraV1),
            Some(&["a_01".to_owned(), "b_02[x]".to_owned()][..])
        );
        assert_eq!(
            table.failing(Fault::NoAuthRequired, Profile::OrangeLabV0),
            Some(&[][..])
        );
        assert_eq!(table.failing(Fault::NoScopeCheck, Profile::CamaraV1), None);
        assert_eq!(table.unkillable().len(), 1);
    }

    #[test]
    fn mistakes_in_the_table_are_explained() {
        let err = |text| Expectations::parse(text).unwrap_err();
        assert!(err("[faults.nope]\ncamara-v1 = []\n").contains("unknown fault \"nope\""));
        assert_eq!(
            err("[faults.reachable-missing]\norange-lab-v0 = []\n"),
            "crates/cli/src/selftest/expectations.toml: [faults.reachable-missing] names orange-lab-v0, which the fault does not apply to; remove that line"
        );
        assert!(
            err("[faults.reachable-missing]\nv9 = []\n").contains("[faults.reachable-missing] v9")
        );
        assert!(err("[faults]\n[unkillable]\nx = \" \"\n").contains("gives no reason"));
    }

    #[test]
    fn entries_are_written_as_the_table_reads_them() {
        let text = entry_text(
            Fault::NoAuthRequired,
            &[(Profile::CamaraV1, vec!["a_01".into(), "b_02[x]".into()])],
        );
        assert_eq!(
            text,
            "[faults.no-auth-required]\ncamara-v1 = [\"a_01\", \"b_02[x]\"]\n"
        );
        let table = Expectations::parse(&text).unwrap();
        assert_eq!(
            table.failing(Fault::NoAuthRequired, Profile::CamaraV1),
            Some(&["a_01".to_owned(), "b_02[x]".to_owned()][..])
        );
        let long: Vec<String> = (0..9)
            .map(|i| format!("reachability_v1_{i:02}_x"))
            .collect();
        let text = entry_text(Fault::NoAuthRequired, &[(Profile::CamaraV1, long.clone())]);
        assert!(text.contains("camara-v1 = [\n    \"reachability_v1_00_x\",\n"));
        let table = Expectations::parse(&text).unwrap();
        assert_eq!(
            table.failing(Fault::NoAuthRequired, Profile::CamaraV1),
            Some(&long[..])
        );
    }

    #[test]
    fn the_embedded_table_reads() {
        Expectations::embedded().unwrap();
    }
}
