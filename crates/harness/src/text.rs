//! Text helpers for what comes from a target: cutting it at a character boundary,
//! showing it without letting it drive the terminal, and escaping it for HTML.

use std::fmt::Write as _;

/// `text` cut to at most `max` bytes, at a character boundary.
pub fn floor_boundary(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let cut = (0..=max)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    &text[..cut]
}

/// `text` with every control character but newline and tab (escape sequences, BEL, NUL,
/// carriage return, DEL, C1 controls) and every bidirectional override shown escaped as
/// `\u001b`, so a target's bytes cannot drive a terminal or reorder a line.
pub fn printable(text: &str) -> String {
    if !text.chars().any(needs_escape) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if needs_escape(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether [`printable`] escapes `c`.
fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` safe inside HTML element content and quoted attribute values, control
/// characters shown escaped (see [`printable`]).
pub fn html(text: &str) -> String {
    let text = printable(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_a_character_boundary() {
        assert_eq!(floor_boundary("abc", 5), "abc");
        assert_eq!(floor_boundary("ééé", 3), "é");
    }

    #[test]
    fn controls_and_overrides_are_escaped_lines_kept() {
        assert_eq!(
            printable("a\u{1b}[2Jb\u{7}\0c\r\n\td\u{202e}\u{9b}"),
            "a\\u001b[2Jb\\u0007\\u0000c\\u000d\n\td\\u202e\\u009b"
        );
        assert_eq!(printable("plain é"), "plain é");
    }

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html(r#"<script>alert("x") & 'y'</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"
        );
        assert_eq!(html("a\u{1b}[31mb\u{7}"), "a\\u001b[31mb\\u0007");
    }
}
