//! The user's own words: aliases that map their step sentences to sentences the harness
//! knows, and parameters that fill the `{placeholders}` of CAMARA's templates.
//!
//! Aliases come from a vocabulary file (`--vocabulary FILE`, top-level entries) or from the
//! `[vocabulary]` table of a target file; parameters from `--param NAME=VALUE` or the
//! `[params]` table. Each entry is `'<regular expression>' = '<known sentence>'`; the
//! sentence may use the expression's groups as `$1`, `${2}`. Whether a sentence is known is
//! the vocabulary's business ([`crate::steps::vocabulary::check_aliases`]).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use toml::Spanned;

/// One alias: the user's sentence pattern and the known sentence it stands for.
#[derive(Clone, Debug)]
pub struct Alias {
    /// The user's pattern, anchored as written.
    pub pattern: Regex,
    /// The known sentence, with `$1`, `${2}` for the pattern's groups.
    pub target: String,
    /// Where it is written: `file:line`.
    pub origin: String,
}

/// A step's text after parameters and aliases applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rewritten {
    /// The sentence to understand.
    pub text: String,
    /// The alias that produced it (`file:line`), when one did.
    pub alias: Option<String>,
}

/// The aliases and parameters of a run.
#[derive(Clone, Debug, Default)]
pub struct Phrasebook {
    aliases: Vec<Alias>,
    params: BTreeMap<String, String>,
}

/// A vocabulary file, vocabulary table or parameter that cannot be used.
///
/// Displays as `<file>:<line>: <what is wrong>; <what to do>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhrasebookError {
    /// The file (or option) the problem is in.
    pub origin: String,
    /// Its line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub problem: String,
    /// What to do about it.
    pub fix: String,
}

impl fmt::Display for PhrasebookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: ", self.origin)?,
            None => write!(f, "{}: ", self.origin)?,
        }
        write!(f, "{}; {}", self.problem, self.fix)
    }
}

impl std::error::Error for PhrasebookError {}

/// A `{placeholder}` of a CAMARA template. `{api-root}` (with a hyphen) is not one: the
/// harness fills it from the target.
static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}").expect("a valid pattern"));

/// A group reference of an alias's sentence: `$1` or `${1}`.
static GROUP_REFERENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$(?:\{(\d+)\}|(\d+))").expect("a valid pattern"));

impl Phrasebook {
    /// Reads a vocabulary file: TOML whose top-level entries are aliases.
    pub fn from_vocabulary_file(path: &Path) -> Result<Phrasebook, PhrasebookError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| PhrasebookError {
            origin: origin.clone(),
            line: None,
            problem: format!("cannot read the vocabulary file ({e})"),
            fix: "check the path given to --vocabulary".into(),
        })?;
        Self::from_vocabulary_text(&text, &origin)
    }

    /// A vocabulary file's TOML `text`, read from `origin`.
    pub(crate) fn from_vocabulary_text(
        text: &str,
        origin: &str,
    ) -> Result<Phrasebook, PhrasebookError> {
        let origin = origin.to_owned();
        let entries: BTreeMap<Spanned<String>, Spanned<toml::Value>> = toml::from_str(text)
            .map_err(|e| PhrasebookError {
                origin: origin.clone(),
                line: e.span().map(|s| line_of(text, s.start)),
                problem: format!("invalid TOML: {}", e.message()),
                fix: "write one alias a line: '<your sentence as a regular expression>' = \
                      '<a sentence of the vocabulary>'"
                    .into(),
            })?;
        let mut book = Phrasebook::default();
        for (pattern, target) in entries {
            let line = line_of(text, pattern.span().start);
            let toml::Value::String(sentence) = target.get_ref() else {
                return Err(PhrasebookError {
                    origin,
                    line: Some(line),
                    problem: format!("the alias of {:?} is not a string", pattern.get_ref()),
                    fix: "write the known sentence in quotes: '<pattern>' = '<sentence>'".into(),
                });
            };
            book.add_alias(pattern.get_ref(), sentence, &origin, line)?;
        }
        Ok(book)
    }

    /// The `[vocabulary]` and `[params]` tables of the target file `origin`, whose text is
    /// `text` (for line numbers).
    pub(crate) fn from_target_tables(
        vocabulary: BTreeMap<String, Spanned<String>>,
        params: BTreeMap<String, String>,
        text: &str,
        origin: &str,
    ) -> Result<Phrasebook, PhrasebookError> {
        let mut book = Phrasebook {
            params,
            ..Phrasebook::default()
        };
        for (pattern, target) in vocabulary {
            let line = line_of(text, target.span().start);
            book.add_alias(&pattern, target.get_ref(), origin, line)?;
        }
        Ok(book)
    }

    /// Adds an alias written at `origin:line`: the pattern must compile, and the sentence
    /// may only use groups the pattern has.
    fn add_alias(
        &mut self,
        pattern: &str,
        target: &str,
        origin: &str,
        line: usize,
    ) -> Result<(), PhrasebookError> {
        let error = |problem: String, fix: String| PhrasebookError {
            origin: origin.to_owned(),
            line: Some(line),
            problem,
            fix,
        };
        let anchored = format!(
            "^(?:{})$",
            pattern.trim_start_matches('^').trim_end_matches('$')
        );
        let regex = Regex::new(&anchored).map_err(|e| {
            error(
                format!("the alias pattern {pattern:?} is not a regular expression ({e})"),
                "fix the expression (escape ( ) [ ] . * + ? with a backslash to match them \
                 literally)"
                    .into(),
            )
        })?;
        let groups = regex.captures_len() - 1;
        for reference in GROUP_REFERENCE.captures_iter(target) {
            let n: usize = reference
                .get(1)
                .or_else(|| reference.get(2))
                .and_then(|m| m.as_str().parse().ok())
                .unwrap_or(usize::MAX);
            if n == 0 || n > groups {
                return Err(error(
                    format!(
                        "the sentence uses ${n}, but the pattern {pattern:?} has {groups} group(s)"
                    ),
                    format!("use $1 to ${groups} only, or add a group ( ) to the pattern"),
                ));
            }
        }
        self.aliases.push(Alias {
            pattern: regex,
            target: target.to_owned(),
            origin: format!("{origin}:{line}"),
        });
        Ok(())
    }

    /// Parses `NAME=VALUE` (from `--param`) and sets the parameter.
    pub fn set_param(&mut self, assignment: &str) -> Result<(), PhrasebookError> {
        match assignment.split_once('=') {
            Some((name, value)) if PLACEHOLDER.is_match(&format!("{{{}}}", name.trim())) => {
                self.params
                    .insert(name.trim().to_owned(), value.trim().to_owned());
                Ok(())
            }
            _ => Err(PhrasebookError {
                origin: "--param".into(),
                line: None,
                problem: format!("{assignment:?} is not NAME=VALUE"),
                fix: "write e.g. --param path_to_device=$.device (NAME is the template's \
                      {placeholder} without braces)"
                    .into(),
            }),
        }
    }

    /// Adds `other`'s aliases after this one's (they are tried in order), and its
    /// parameters over this one's.
    pub fn extend(&mut self, other: Phrasebook) {
        self.aliases.extend(other.aliases);
        self.params.extend(other.params);
    }

    /// Whether it has neither aliases nor parameters: it then leaves every step as written.
    pub fn is_empty(&self) -> bool {
        self.aliases.is_empty() && self.params.is_empty()
    }

    /// Every alias, in the order they are tried.
    pub fn aliases(&self) -> &[Alias] {
        &self.aliases
    }

    /// Fills the known parameters of `text` (a step or its doc string).
    pub fn fill(&self, text: &str) -> String {
        PLACEHOLDER
            .replace_all(text, |c: &regex::Captures<'_>| {
                self.params
                    .get(&c[1])
                    .cloned()
                    .unwrap_or_else(|| c[0].to_owned())
            })
            .into_owned()
    }

    /// The step `text` with its parameters filled, then rewritten by the first alias whose
    /// pattern matches it.
    pub fn rewrite(&self, text: &str) -> Rewritten {
        let filled = self.fill(text.trim());
        for alias in &self.aliases {
            if let Some(captures) = alias.pattern.captures(&filled) {
                let mut sentence = String::new();
                captures.expand(&alias.target, &mut sentence);
                return Rewritten {
                    text: sentence,
                    alias: Some(alias.origin.clone()),
                };
            }
        }
        Rewritten {
            text: filled,
            alias: None,
        }
    }
}

/// The template `{placeholders}` left in `text` (the harness's own `{api-root}`, with its
/// hyphen, is not one).
pub fn unfilled(text: &str) -> Vec<String> {
    PLACEHOLDER
        .captures_iter(text)
        .map(|c| c[1].to_owned())
        .collect()
}

/// The 1-based line of a byte offset in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(toml_text: &str) -> Result<Phrasebook, PhrasebookError> {
        Phrasebook::from_vocabulary_text(toml_text, "v.toml")
    }

    #[test]
    fn an_alias_rewrites_with_its_groups_and_names_its_line() {
        let book = book(
            "# my words\n'^the device \"(.+)\" is on 4G$' = 'the device has data connectivity and is supported by the service'\n'the answer is (\\d+)' = 'the response status code is $1'\n",
        )
        .unwrap();
        let rewritten = book.rewrite("the answer is 404");
        assert_eq!(rewritten.text, "the response status code is 404");
        assert!(rewritten.alias.unwrap().ends_with(":3"));
        let rewritten = book.rewrite(r#"the device "x" is on 4G"#);
        assert_eq!(
            rewritten.text,
            "the device has data connectivity and is supported by the service"
        );
        assert_eq!(book.rewrite("the answer is 4 or 5").alias, None);
    }

    #[test]
    fn bad_files_name_the_line_and_the_fix() {
        let e = book("'ok' = 'the request body is removed'\n'(unclosed' = 'x'\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.problem.contains("is not a regular expression"), "{e}");
        assert!(e.to_string().starts_with("v.toml:2: "), "{e}");
        let e = book("\n\n'code (\\d+)' = 'the response status code is $2'\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert_eq!(
            e.problem,
            "the sentence uses $2, but the pattern \"code (\\\\d+)\" has 1 group(s)"
        );
        let e = book("'a' = 3\n").unwrap_err();
        assert!(e.problem.contains("is not a string"), "{e}");
        let e = book("'a' = \n").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.problem.starts_with("invalid TOML"), "{e}");
    }

    #[test]
    fn parameters_fill_placeholders_and_the_rest_are_reported() {
        let mut book = Phrasebook::default();
        book.set_param("path_to_device=$.device").unwrap();
        assert_eq!(
            book.fill(r#"the request body property "{path_to_device}.phoneNumber" is set to: {}"#),
            r#"the request body property "$.device.phoneNumber" is set to: {}"#
        );
        assert_eq!(
            unfilled(r#"the resource "{api-root}/x" and "{operationId}""#),
            vec!["operationId".to_owned()]
        );
        let e = book.set_param("no equals sign").unwrap_err();
        assert!(e.fix.contains("--param path_to_device=$.device"), "{e}");
    }
}
