//! What to tell the user of a step the vocabulary does not know: the nearest sentences it
//! does know (at most three, ranked), and the alias line that would bind the step.

use std::sync::LazyLock;

use regex::Regex;

use super::normalize;
use super::vocabulary::{self, Sentence};

/// How many sentences a suggestion names at most.
pub const MAX_SUGGESTIONS: usize = 3;

/// Below this similarity (0 to 1) a sentence is not worth suggesting.
const MIN_SIMILARITY: f64 = 0.4;

/// A quoted argument, as a step writes it.
static QUOTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""[^"]*""#).expect("a valid pattern"));

/// A sentence's shape for comparison: normalised, lower case, quoted values blanked.
fn shape(text: &str) -> String {
    QUOTED
        .replace_all(&normalize::sentence(text).to_lowercase(), "\"…\"")
        .into_owned()
}

/// The known sentences nearest to `text`, most similar first (at most [`MAX_SUGGESTIONS`]).
pub fn nearest(text: &str) -> Vec<Sentence> {
    let wanted = shape(text);
    let mut scored: Vec<(f64, Sentence)> = vocabulary::sentences()
        .map(|s| {
            (
                strsim::normalized_levenshtein(&wanted, &shape(s.readable())),
                s,
            )
        })
        .filter(|(score, _)| *score >= MIN_SIMILARITY)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, s)| s)
        .collect()
}

/// The vocabulary-file line that maps `text` to `sentence`: the step's quoted values become
/// groups, filled into the sentence's quoted places in order; a `…` left is for the user to
/// fill.
pub fn alias_line(text: &str, sentence: &Sentence) -> String {
    let text = text.trim();
    let mut pattern = String::from("^");
    let mut last = 0;
    let mut groups = 0;
    for quoted in QUOTED.find_iter(text) {
        pattern.push_str(&regex::escape(&text[last..quoted.start()]));
        pattern.push_str(r#""([^"]*)""#);
        last = quoted.end();
        groups += 1;
    }
    pattern.push_str(&regex::escape(&text[last..]));
    pattern.push('$');
    let mut used = 0;
    let target =
        sentence
            .readable()
            .split("\"…\"")
            .enumerate()
            .fold(String::new(), |mut out, (i, part)| {
                if i > 0 {
                    if used < groups {
                        used += 1;
                        out.push_str(&format!("\"${used}\""));
                    } else {
                        out.push_str("\"…\"");
                    }
                }
                out.push_str(part);
                out
            });
    format!("{} = {}", toml_string(&pattern), toml_string(&target))
}

/// `text` as a TOML string: a literal string ('...') when it can be, else a basic one.
fn toml_string(text: &str) -> String {
    if text.contains(['\'', '\n']) {
        toml::Value::String(text.to_owned()).to_string()
    } else {
        format!("'{text}'")
    }
}

/// The message for an unbound step: why, the nearest sentences, and the alias line.
pub fn unbound_message(text: &str) -> String {
    let mut message = String::from("the step is not bound: no step definition matches it");
    let nearest = nearest(text);
    if let Some(best) = nearest.first() {
        let names: Vec<String> = nearest
            .iter()
            .map(|s| format!("`{}`", s.readable()))
            .collect();
        message.push_str(&format!(
            "; nearest: {}; to bind it, add to a vocabulary file (--vocabulary FILE): {}",
            names.join(", "),
            alias_line(text, best)
        ));
    } else {
        message.push_str(
            "; see docs/generated/vocabulary.md, or bind it with an alias (--vocabulary FILE)",
        );
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phrasebook::Phrasebook;

    #[test]
    fn the_nearest_sentence_comes_first_and_at_most_three_are_named() {
        let near = nearest(r#"the response header "Content-Type" equals "application/json""#);
        assert!(!near.is_empty() && near.len() <= MAX_SUGGESTIONS);
        assert_eq!(near[0].readable(), r#"the response header "…" is "…""#);
        assert!(nearest("the moon is made of green cheese").is_empty());
    }

    #[test]
    fn the_alias_line_binds_the_step() {
        let text = r#"the reply header "x-correlator" mirrors the request header "x-correlator""#;
        let best = nearest(text)[0];
        assert_eq!(
            best.readable(),
            r#"the response header "…" has same value as the request header "…""#
        );
        let line = alias_line(text, &best);
        assert_eq!(
            line,
            r#"'^the reply header "([^"]*)" mirrors the request header "([^"]*)"$' = 'the response header "$1" has same value as the request header "$2"'"#
        );
        // The line, as a vocabulary file, binds the step to the suggested sentence.
        let book = Phrasebook::from_vocabulary_text(&line, "v.toml").unwrap();
        let rewritten = book.rewrite(text);
        assert!(matches!(
            vocabulary::parse(&rewritten.text, None),
            Some(Ok(vocabulary::Action::HeaderEchoes { .. }))
        ));
    }

    #[test]
    fn an_unbound_message_names_the_nearest_and_the_fix() {
        let message = unbound_message("the response code equals 200");
        assert!(
            message.starts_with("the step is not bound: no step definition matches it; nearest: `the response status code is …`"),
            "{message}"
        );
        assert!(
            message.contains("'^the response code equals 200$' = 'the response status code is …'"),
            "{message}"
        );
    }
}
