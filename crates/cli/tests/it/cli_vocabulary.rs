//! The vocabulary on the command line: the catalogue, suggestions and the unbound table of
//! `list`, aliases (`--vocabulary`) and their errors, template parameters (`--param`).

use crate::cli_support;

use cli_support::{command, root, temp_file, text};

const PLANS: &str = "crates/harness/tests/fixtures/plans";

fn list(args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["list", "--profile", "camara-v1"];
    all.extend_from_slice(args);
    let out = command(&all).output().expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
}

#[test]
fn the_vocabulary_command_prints_the_generated_page() {
    let out = command(&["vocabulary"]).output().expect("the binary runs");
    assert_eq!(out.status.code(), Some(0));
    let page = std::fs::read_to_string(root().join("docs/generated/vocabulary.md")).unwrap();
    assert_eq!(text(&out.stdout), page);
    assert!(page.contains("## Phrasing drift absorbed"));
}

#[test]
fn list_suggests_the_nearest_sentences_and_ends_with_the_unbound_table() {
    let plan = format!("{PLANS}/device-reachability-status-v0.6.0.feature");
    let (code, stdout, _) = list(&["--features", &plan]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains(
            "    UNBOUND STEP (could not test): Given the request body is not compliant with \
             the schema \"/components/schemas/RequestReachabilityStatus\"\n      the step is not \
             bound: no step definition matches it; nearest: "
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("add to a vocabulary file (--vocabulary FILE): '^the request body is not compliant with the schema \"([^\"]*)\"$' = "),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(
            "13 scenarios; 0 would be skipped; 2 unbound steps\nunbound sentences:\n  count  \
             sentence\n      1  the request body is not compliant with the schema \
             \"/components/schemas/RequestReachabilityStatus\"\n      1  the request body \
             property \"$.device\" refers to a device having network issue\n\n"
        ),
        "{stdout}"
    );
}

#[test]
fn an_alias_file_binds_the_rest_and_list_names_the_alias_of_each_step() {
    let plan = format!("{PLANS}/device-reachability-status-v0.6.0.feature");
    let aliases = format!("{PLANS}/aliases.toml");
    let (code, stdout, _) = list(&["--features", &plan, "--vocabulary", &aliases]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains(&format!(
            "    alias {aliases}:7: Given the request body is not compliant with the schema"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "    alias {aliases}:11: And the request body property \"$.device\" refers to a device having network issue"
        )),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("13 scenarios; 0 would be skipped; 0 unbound steps\n\n"),
        "{stdout}"
    );
}

#[test]
fn a_bad_alias_file_is_a_configuration_error_naming_file_line_and_fix() {
    let bad_regex = temp_file(
        "bad-regex.toml",
        "# aliases\n'^fine$' = 'the request body is removed'\n'^the reply (code$' = 'the response status code is 200'\n",
    );
    let (code, _, stderr) = list(&["--vocabulary", bad_regex.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "error: {}:3: the alias pattern \"^the reply (code$\" is not a regular expression",
            bad_regex.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("escape ( ) [ ] . * + ? with a backslash"),
        "{stderr}"
    );

    let unknown = temp_file(
        "unknown-sentence.toml",
        "'^it works$' = 'the answer is fourty-two'\n",
    );
    let (code, _, stderr) = list(&["--vocabulary", unknown.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "error: {}:1: the alias sentence \"the answer is fourty-two\" is not a sentence of \
             the vocabulary; write a sentence of the vocabulary",
            unknown.display()
        )),
        "{stderr}"
    );

    let groups = temp_file(
        "group-count.toml",
        "'^the reply is (\\d+)$' = 'the response status code is $2'\n",
    );
    let (code, _, stderr) = list(&["--vocabulary", groups.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(":1: the sentence uses $2, but the pattern \"^the reply is (\\\\d+)$\" has 1 group(s); use $1 to $1 only"),
        "{stderr}"
    );

    let (code, _, stderr) = list(&["--param", "no-equals-sign"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--param: \"no-equals-sign\" is not NAME=VALUE"),
        "{stderr}"
    );
}

#[test]
fn params_fill_the_commonalities_templates() {
    let template = format!("{PLANS}/C01-device-errors.feature");
    let (_, stdout, _) = list(&["--features", &template]);
    assert!(
        stdout.contains("the template placeholder {path_to_device} is not filled; give it a value with --param path_to_device=VALUE"),
        "{stdout}"
    );
    let (code, stdout, _) = list(&[
        "--features",
        &template,
        "--param",
        "path_to_device=$.device",
        "--param",
        "operationId=getReachabilityStatus",
    ]);
    assert_eq!(code, 0);
    assert!(
        stdout.ends_with("10 scenarios; 0 would be skipped; 0 unbound steps\n\n"),
        "{stdout}"
    );
}
