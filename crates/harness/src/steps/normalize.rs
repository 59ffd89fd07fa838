//! Phrasing drift absorbed before matching: one canonical form for a step sentence and for
//! the literal words of every vocabulary pattern, so that a sentence binds whatever its
//! case, quotes, articles or synonyms, without one pattern per variant.
//!
//! Quoted arguments are kept as written: they are values (header names, JSON paths, schema
//! pointers). A pointer binds with or without `#` (the schema layer reads both); one citing
//! `/component/` binds too, and is reported as a defect of the plan rather than silently
//! corrected ([`crate::runner`]'s plan defects). Matching is case-insensitive (the
//! vocabulary compiles its patterns with `(?i)`).

use std::sync::LazyLock;

use regex::Regex;

/// One class of drift: what it makes equal, shown in the docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DriftClass {
    /// The class, in a few words.
    pub name: &'static str,
    /// The variants written one way, e.g. "`is set to`, `set to`, `is set as`, `set as`".
    pub variants: &'static str,
}

/// Every drift class the normaliser absorbs, in the order it applies them.
pub const DRIFT_CLASSES: &[DriftClass] = &[
    DriftClass {
        name: "case",
        variants: "any letter case outside quotes (`The Response Code` = `the response code`)",
    },
    DriftClass {
        name: "quotes",
        variants: "`\"x\"`, `“x”`, `'x'`",
    },
    DriftClass {
        name: "whitespace and a final full stop",
        variants: "runs of spaces or tabs are one space; a sentence may end with `.`",
    },
    DriftClass {
        name: "set to",
        variants: "`is set to`, `set to`, `is set as`, `set as`",
    },
    DriftClass {
        name: "status code",
        variants: "`response code`, `response status code`, `response status`, `status code`",
    },
    DriftClass {
        name: "removed",
        variants: "`is removed`, `is not available`, `is not sent` (ending a sentence)",
    },
    DriftClass {
        name: "token",
        variants: "`access token`, `token`",
    },
    DriftClass {
        name: "singular and plural",
        variants: "`identifier(s)`, `device(s)`, `request(s)`, `response(s)`, `header(s)`, \
                   `property`/`properties`, `type(s)`, `value(s)`, `code(s)`, `phone number(s)`",
    },
    DriftClass {
        name: "articles and fillers",
        variants: "`the`, `a`, `an`, `that` are ignored",
    },
    DriftClass {
        name: "API root placeholder",
        variants: "`{api-root}`, `{apiRoot}`, `{apiroot}` in a quoted resource (filled from the \
                   target, never a template parameter)",
    },
    DriftClass {
        name: "schema pointers",
        variants: "a quoted pointer with or without `#`; `/component/` binds and is reported \
                   as a plan defect (the pointer is kept as written, never guessed)",
    },
];

/// A word-level rewrite: the pattern (case-insensitive, whole words) and its replacement.
struct Rewrite {
    find: Regex,
    with: &'static str,
}

static REWRITES: LazyLock<Vec<Rewrite>> = LazyLock::new(|| {
    let rule = |find: &str, with| Rewrite {
        find: Regex::new(&format!("(?i){find}")).expect("a valid drift rule"),
        with,
    };
    vec![
        rule(r"\b(?:is set (?:to|as)|set as)\b", "set to"),
        rule(
            r"\b(?:response status code|response code|response status)\b",
            "status code",
        ),
        rule(r"\bis not (?:available|sent)\s*$", "is removed"),
        rule(r"\baccess token\b", "token"),
        rule(r"\bidentifiers\b", "identifier"),
        rule(r"\bdevices\b", "device"),
        rule(r"\brequests\b", "request"),
        rule(r"\bresponses\b", "response"),
        rule(r"\bheaders\b", "header"),
        rule(r"\bproperties\b", "property"),
        rule(r"\btypes\b", "type"),
        rule(r"\bvalues\b", "value"),
        rule(r"\bcodes\b", "code"),
        rule(r"\bnumbers\b", "number"),
        rule(r"\b(?:the|a|an|that)\b\s?", ""),
        rule(r"[ \t]+", " "),
    ]
});

/// `text` with the API root placeholder written the harness's way (`{api-root}`): plans
/// also write `{apiRoot}` and `{apiroot}`, which are not template parameters.
pub fn api_root_placeholder(text: &str) -> std::borrow::Cow<'_, str> {
    static VARIANTS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\{api-?root\}").expect("a valid pattern"));
    VARIANTS.replace_all(text, "{api-root}")
}

/// The canonical form of a step sentence: matching is done on it.
pub fn sentence(text: &str) -> String {
    let text = text
        .trim()
        .trim_end_matches('.')
        .replace(['“', '”'], "\"")
        .replace(['‘', '’'], "'");
    let text = single_quotes_as_double(&text);
    let canonical = map_unquoted(&text, rewrite_words, str::to_owned);
    canonical.trim().to_owned()
}

/// The canonical form of a vocabulary pattern: its literal words rewritten as a sentence's
/// are, its quoted parts and regular-expression syntax kept. `protected` parts (the quoted
/// captures the table is written with) are not rewritten, nor are character classes and
/// escapes (`[a-z]`, `\d`, `\p{L}`).
pub(crate) fn pattern(source: &str, protected: &[&str]) -> String {
    static SYNTAX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\[(?:\\.|[^\]\\])*\]|\\[pP]\{[^}]*\}|\\.").expect("a valid pattern")
    });
    let mut protected: Vec<String> = protected.iter().map(|p| (*p).to_owned()).collect();
    for syntax in SYNTAX.find_iter(source) {
        if !protected.iter().any(|p| p == syntax.as_str()) {
            protected.push(syntax.as_str().to_owned());
        }
    }
    // Each protected part becomes a private-use character while the words are rewritten.
    let mut text = source.to_owned();
    for (i, part) in protected.iter().enumerate() {
        text = text.replace(part.as_str(), &placeholder(i).to_string());
    }
    let mut canonical = map_unquoted(&text, rewrite_words, str::to_owned)
        .trim()
        .to_owned();
    for (i, part) in protected.iter().enumerate().rev() {
        canonical = canonical.replace(placeholder(i), part);
    }
    canonical
}

fn placeholder(i: usize) -> char {
    char::from_u32(0xE000 + i as u32).unwrap_or('\u{E000}')
}

/// `'x'` as `"x"` when the single quotes open and close an argument (not an apostrophe).
fn single_quotes_as_double(text: &str) -> String {
    static SINGLE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"(^|\s)'([^'"]*)'(\s|:|$)"#).expect("a valid pattern"));
    SINGLE.replace_all(text, "$1\"$2\"$3").into_owned()
}

/// Applies `outside` to the unquoted parts of `text` and `inside` to each quoted one.
fn map_unquoted(text: &str, outside: fn(&str) -> String, inside: fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split('"').enumerate() {
        if i > 0 {
            out.push('"');
        }
        if i % 2 == 0 {
            out.push_str(&outside(part));
        } else {
            out.push_str(&inside(part));
        }
    }
    out
}

fn rewrite_words(part: &str) -> String {
    REWRITES.iter().fold(part.to_owned(), |text, rewrite| {
        rewrite.find.replace_all(&text, rewrite.with).into_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) {
        assert_eq!(
            sentence(a).to_lowercase(),
            sentence(b).to_lowercase(),
            "{a:?} and {b:?}"
        );
    }

    #[test]
    fn api_root_placeholders_are_one() {
        for form in ["{api-root}/x", "{apiRoot}/x", "{apiroot}/x", "{APIROOT}/x"] {
            assert_eq!(api_root_placeholder(form), "{api-root}/x", "{form}");
        }
        assert_eq!(api_root_placeholder("{operationId}"), "{operationId}");
    }

    #[test]
    fn set_to_variants_are_one() {
        let canonical = r#"header "X" set to "1""#;
        for form in [
            r#"the header "X" is set to "1""#,
            r#"the header "X" set to "1""#,
            r#"the header "X" is set as "1""#,
            r#"header "X" set as "1""#,
        ] {
            assert_eq!(sentence(form), canonical, "{form}");
        }
    }

    #[test]
    fn status_code_variants_are_one() {
        for form in [
            "the response code is 200",
            "the response status code is 200",
            "the status code is 200",
            "Response code is 200",
            "the response status is 200",
        ] {
            assert_eq!(sentence(form), "status code is 200", "{form}");
        }
    }

    #[test]
    fn removal_variants_are_one_only_at_the_end() {
        same(
            r#"the header "Authorization" is removed"#,
            r#"header "Authorization" is not available"#,
        );
        same(
            r#"the header "Authorization" is removed"#,
            r#"the header "Authorization" is not sent"#,
        );
        assert_eq!(
            sentence("the service is not available for all devices"),
            "service is not available for all device"
        );
    }

    #[test]
    fn case_whitespace_quotes_and_full_stop() {
        same(
            r#"The  Header "x-correlator"	is set to a UUID value."#,
            r#"the header “x-correlator” is set to a UUID value"#,
        );
        same(
            r#"the header 'x-correlator' is removed"#,
            r#"the header "x-correlator" is removed"#,
        );
        // Case is left to the (case-insensitive) matching; quoted values keep theirs.
        assert_eq!(
            sentence(r#"The Header "X-Y" Is Removed"#),
            r#"Header "X-Y" Is Removed"#
        );
        // An apostrophe is not a quote.
        assert_eq!(
            sentence("the API provider's network"),
            "API provider's network"
        );
    }

    #[test]
    fn articles_fillers_tokens_and_plurals() {
        same(
            "that some types of device identifiers are not supported",
            "some type of device identifier are not supported",
        );
        same(
            r#"the header "Authorization" is set to an expired access token"#,
            r#"header "Authorization" set to expired token"#,
        );
        same(
            "50 requests with a generated malformed phone number are sent",
            "50 request with generated malformed phone number are sent",
        );
        // Only whole words: "that" in "thatch", "a" in "data" stay.
        assert_eq!(sentence("thatch data"), "thatch data");
    }

    #[test]
    fn quoted_values_and_pointers_are_kept_as_written() {
        assert_eq!(
            sentence(r#"the response property "$.code" is "the A code""#),
            r#"response property "$.code" is "the A code""#
        );
        for pointer in ["#/components/schemas/X", "/component/schemas/X"] {
            assert_eq!(
                sentence(&format!(r#"complies with the OAS schema at "{pointer}""#)),
                format!(r#"complies with OAS schema at "{pointer}""#)
            );
        }
    }

    #[test]
    fn patterns_keep_their_syntax_and_protected_parts() {
        let q = r#""([^"]+)""#;
        assert_eq!(
            pattern(
                &format!(
                    r"(?:the )?header {q} (?:is )?set to an access token not including scope {q}"
                ),
                &[q]
            ),
            format!(r"(?:)?header {q} (?:is )?set to token not including scope {q}")
        );
        assert_eq!(
            pattern(r"the response (?:status )?code is (\d{3})", &[]),
            r"response (?:status )?code is (\d{3})"
        );
        assert_eq!(
            pattern(r"(\d+) requests with a generated (.+) are sent", &[]),
            r"(\d+) request with generated (.+) are sent"
        );
    }
}
