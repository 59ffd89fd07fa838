//! The documentation: the pages of `docs/generated/` are what the program generates today
//! (the self-test's table is checked by `tests/selftest.rs`, which runs the matrix anyway),
//! and every relative link of the README and of `docs/` leads to a file, and to a heading
//! of it when it names one.

use std::path::{Path, PathBuf};

use reachability_conformance::docs;

/// The repository's root: the nearest folder above the crate holding `Cargo.lock`.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").is_file())
        .expect("a Cargo.lock above the crate")
        .to_path_buf()
}

#[test]
fn generated_pages_are_the_programs_output() {
    let pages = docs::quick_pages().unwrap_or_else(|e| panic!("{e}"));
    let problems = docs::check(&root().join(docs::DEFAULT_DIR), &pages);
    assert!(
        problems.is_empty(),
        "generated documentation is out of date (run `{}` to regenerate it):\n{}",
        docs::REGENERATE,
        problems.join("\n")
    );
}

#[test]
fn the_version_tables_are_the_profiles_data() {
    let table = docs::versions_table();
    assert!(
        table.contains(
            "| `camara-v1.1` (alias `camara-v1`) | device-reachability-status | 1.1.0 | CAMARA r1.2, 2025-09 | `/device-reachability-status/v1/retrieve` |\n"
        ),
        "{table}"
    );
    for page in ["README.md", "docs/versions.md"] {
        let text = std::fs::read_to_string(root().join(page)).unwrap();
        assert!(
            text.contains(&table),
            "{page}: its table of versions is not the profiles' data; put this one in:\n{table}"
        );
    }
}

/// The Markdown files of the README and `docs/`, recursively.
fn markdown_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|x| x == "md") {
                out.push(path);
            }
        }
    }
    let mut files = vec![root().join("README.md")];
    walk(&root().join("docs"), &mut files);
    files
}

/// The lines of `text` outside fenced code blocks (the fences themselves left out).
fn unfenced_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut fenced = false;
    text.lines().filter(move |line| {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            return false;
        }
        !fenced
    })
}

/// The link targets of `text`, outside fenced code blocks.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in unfenced_lines(text) {
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            rest = &rest[at + 2..];
            if let Some(end) = rest.find(')') {
                out.push(rest[..end].to_owned());
                rest = &rest[end..];
            }
        }
    }
    out
}

/// GitHub's anchors of the headings of `text`.
fn anchors(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| {
            l.trim_start_matches('#')
                .trim()
                .to_lowercase()
                .chars()
                .filter_map(|c| match c {
                    ' ' => Some('-'),
                    c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

#[test]
fn relative_links_of_the_documentation_resolve() {
    let mut broken = Vec::new();
    for file in markdown_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        for link in links(&text) {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            let (path, anchor) = link.split_once('#').unwrap_or((&link, ""));
            let target = if path.is_empty() {
                file.clone()
            } else {
                file.parent().unwrap().join(path)
            };
            if !target.exists() {
                broken.push(format!("{}: {link} (no such file)", file.display()));
            } else if !anchor.is_empty()
                && target.extension().is_some_and(|x| x == "md")
                && !anchors(&std::fs::read_to_string(&target).unwrap())
                    .iter()
                    .any(|a| a == anchor)
            {
                broken.push(format!("{}: {link} (no such heading)", file.display()));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_readme_stays_short_and_keeps_the_two_commands() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(
        readme.lines().count() <= 200,
        "the README is at most about 200 lines; details go to docs/"
    );
    assert!(readme.contains("cargo run --release -- run"));
    assert!(readme.contains("cargo test"));
}

/// The repository paths the documentation names in code spans (`crates/cli/src/cli.rs`,
/// `targets/`, or a path inside each crate such as `tests/it/main.rs`), outside fenced code
/// blocks.
fn named_paths(text: &str) -> Vec<String> {
    const ROOTS: [&str; 10] = [
        "src/",
        "tests/",
        "crates/",
        "features/",
        "targets/",
        "contracts/",
        "examples/",
        "benches/",
        "fuzz/",
        "docs/",
    ];
    let mut out = Vec::new();
    for line in unfenced_lines(text) {
        for (i, span) in line.split('`').enumerate() {
            let is_path = i % 2 == 1
                && ROOTS.iter().any(|root| span.starts_with(root))
                && span
                    .chars()
                    .all(|c| c.is_alphanumeric() || "/._-".contains(c));
            if is_path {
                out.push(span.to_owned());
            }
        }
    }
    out
}

#[test]
fn paths_named_by_the_documentation_exist() {
    let mut missing = Vec::new();
    for file in markdown_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        for path in named_paths(&text) {
            // From the root, or from a crate (`tests/it/main.rs` of each crate).
            let crates = std::fs::read_dir(root().join("crates"))
                .map(|dir| dir.map(|e| e.unwrap().path()).collect::<Vec<_>>())
                .unwrap_or_default();
            if !root().join(&path).exists() && !crates.iter().any(|c| c.join(&path).exists()) {
                missing.push(format!("{}: `{path}`", file.display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "paths the documentation names that do not exist:\n{}",
        missing.join("\n")
    );
}

/// Whether `name` is an integration-test target of the root package or of a workspace crate.
fn is_test_target(name: &str) -> bool {
    let mut packages = vec![root()];
    if let Ok(crates) = std::fs::read_dir(root().join("crates")) {
        packages.extend(crates.map(|e| e.unwrap().path()));
    }
    packages.iter().any(|package| {
        let tests = package.join("tests");
        tests.join(format!("{name}.rs")).is_file() || tests.join(name).join("main.rs").is_file()
    })
}

#[test]
fn test_targets_named_by_the_documentation_exist() {
    let mut missing = Vec::new();
    for file in markdown_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        for (_, rest) in text
            .match_indices("cargo test")
            .map(|(i, _)| text.split_at(i))
        {
            let line = rest.lines().next().unwrap_or("");
            let mut words = line.split_whitespace();
            while let Some(word) = words.next() {
                if word == "--" {
                    break;
                }
                if word == "--test" {
                    let name = words.next().unwrap_or("").trim_end_matches('`');
                    if !is_test_target(name) {
                        missing.push(format!("{}: `{line}`", file.display()));
                    }
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "`cargo test --test NAME` commands of the documentation whose test target does not exist:\n{}",
        missing.join("\n")
    );
}
