//! Adding a version needs no code: the v1.2 candidate was added as a folder of `contracts/`
//! and tags in the embedded suite, so no Rust code outside the contract crate (comments and
//! unit-test modules aside) names it, its version or its path.

use std::path::{Path, PathBuf};

use crate::cli_support::root;

/// What would name the v1.2 candidate in code.
const CANDIDATE_NAMES: [&str; 5] = ["camara-v1.2", "1.2.0", "vwip", "V1_2", "v1_2"];

/// The Rust files under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The code lines of a source file: before its unit-test module, comments left out.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .take_while(|(_, line)| line.trim() != "#[cfg(test)]")
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .map(|(i, line)| (i + 1, line))
}

/// Where code outside the contract crate names the candidate, as `file:line: text`.
fn named_in_code() -> Vec<String> {
    let crates = root().join("crates");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&crates).unwrap() {
        let krate = entry.unwrap().path();
        if krate.file_name().is_some_and(|n| n != "contract") && krate.join("src").is_dir() {
            rust_files(&krate.join("src"), &mut files);
        }
    }
    assert!(files.len() > 50, "only {} source files found", files.len());
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (number, line) in code_lines(&text) {
            if CANDIDATE_NAMES.iter().any(|name| line.contains(name)) {
                found.push(format!("{}:{number}: {}", file.display(), line.trim()));
            }
        }
    }
    found
}

#[test]
fn the_v1_2_candidate_has_no_code_of_its_own() {
    assert!(
        "camara-v1.2-rc"
            .parse::<reachability_contract::Profile>()
            .is_ok(),
        "the candidate is a profile"
    );
    let found = named_in_code();
    assert!(
        found.is_empty(),
        "code names the v1.2 candidate; put what differs in contracts/camara-v1.2-rc/profile.toml \
         or in tags of the embedded suite:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_sees_code_and_skips_comments_and_unit_tests() {
    let text = "let a = \"vwip\";\n// vwip\n#[cfg(test)]\nlet b = \"vwip\";\n";
    let lines: Vec<(usize, &str)> = code_lines(text).collect();
    assert_eq!(lines, [(1, "let a = \"vwip\";")]);
}
