//! The expected outcome of the fault matrix, kept as data in `expectations.toml`: for each
//! fault and each profile it applies to, exactly which scenarios fail; and the scenarios no
//! fault can make fail, each with the reason.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::mock::Fault;
use crate::profile::Profile;
use reachability_harness::Api;

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
    /// fault applies to (a family name, `camara-v1`, stands for each of its versions the
    /// fault applies to, and a version's own line overrides it), and `[unkillable]` with `scenario = "reason"` lines. Scenarios are
    /// written as in [`super::Labels::compact`].
    pub fn parse(text: &str) -> Result<Expectations, String> {
        let file: File = toml::from_str(text)
            .map_err(|e| format!("{EXPECTATIONS_PATH} is not a valid table: {e}"))?;
        let mut failing = BTreeMap::new();
        for (name, profiles) in file.faults {
            let fault: Fault = name
                .parse()
                .map_err(|e| format!("{EXPECTATIONS_PATH}: {e}; remove or rename the entry"))?;
            // Family lines (`camara-v1 = [...]`) first, so that a version's own line
            // (`camara-v1.0 = [...]`) replaces the family's for that version.
            let (families, versions): (Vec<_>, Vec<_>) = profiles
                .into_iter()
                .partition(|(key, _)| key.parse::<Api>().is_ok());
            for (key, scenarios) in families {
                let api: Api = key
                    .parse()
                    .map_err(|e| format!("{EXPECTATIONS_PATH}: {e}"))?;
                let covered: Vec<Profile> =
                    api.profiles().filter(|p| fault.applies_to(*p)).collect();
                if covered.is_empty() {
                    return Err(format!(
                        "{EXPECTATIONS_PATH}: [faults.{name}] names {key}, none of whose versions the fault applies to; remove that line"
                    ));
                }
                for profile in covered {
                    failing.insert((fault, profile), scenarios.clone());
                }
            }
            for (profile_name, scenarios) in versions {
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
        // A version's name holds a dot, which a bare TOML key would split.
        let profile = toml::Value::String(profile.to_string()).to_string();
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
    use reachability_harness::Api;

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
            table.failing(Fault::NoAuthRequired, Api::CamaraV1.current()),
            Some(&["a_01".to_owned(), "b_02[x]".to_owned()][..])
        );
        assert_eq!(
            table.failing(Fault::NoAuthRequired, Api::OrangeLabV0.current()),
            Some(&[][..])
        );
        assert_eq!(
            table.failing(Fault::NoScopeCheck, Api::CamaraV1.current()),
            None
        );
        assert_eq!(table.unkillable().len(), 1);
    }

    #[test]
    fn a_family_line_stands_for_its_versions_and_a_version_line_overrides_it() {
        let table = Expectations::parse(
            "[faults.no-auth-required]\ncamara-v1 = [\"a_01\"]\n\"camara-v1.0\" = [\"b_02\"]\n",
        )
        .unwrap();
        let failing = |name: &str| {
            table
                .failing(Fault::NoAuthRequired, name.parse().unwrap())
                .map(<[String]>::to_vec)
        };
        assert_eq!(failing("camara-v1.0"), Some(vec!["b_02".to_owned()]));
        assert_eq!(failing("camara-v1.1"), Some(vec!["a_01".to_owned()]));
        assert_eq!(failing("camara-v1.2-rc"), Some(vec!["a_01".to_owned()]));
        assert_eq!(failing("orange-lab-v0"), None);
    }

    #[test]
    fn mistakes_in_the_table_are_explained() {
        let err = |text| Expectations::parse(text).unwrap_err();
        assert!(err("[faults.nope]\ncamara-v1 = []\n").contains("unknown fault \"nope\""));
        assert_eq!(
            err("[faults.reachable-missing]\norange-lab-v0 = []\n"),
            "crates/cli/src/selftest/expectations.toml: [faults.reachable-missing] names orange-lab-v0, none of whose versions the fault applies to; remove that line"
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
            &[(
                Api::CamaraV1.current(),
                vec!["a_01".into(), "b_02[x]".into()],
            )],
        );
        assert_eq!(
            text,
            "[faults.no-auth-required]\n\"camara-v1.1\" = [\"a_01\", \"b_02[x]\"]\n"
        );
        let table = Expectations::parse(&text).unwrap();
        assert_eq!(
            table.failing(Fault::NoAuthRequired, Api::CamaraV1.current()),
            Some(&["a_01".to_owned(), "b_02[x]".to_owned()][..])
        );
        let long: Vec<String> = (0..9)
            .map(|i| format!("reachability_v1_{i:02}_x"))
            .collect();
        let text = entry_text(
            Fault::NoAuthRequired,
            &[(Api::CamaraV1.current(), long.clone())],
        );
        assert!(text.contains("\"camara-v1.1\" = [\n    \"reachability_v1_00_x\",\n"));
        let table = Expectations::parse(&text).unwrap();
        assert_eq!(
            table.failing(Fault::NoAuthRequired, Api::CamaraV1.current()),
            Some(&long[..])
        );
    }

    #[test]
    fn the_embedded_table_reads() {
        Expectations::embedded().unwrap();
    }
}
