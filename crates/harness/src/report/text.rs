//! Small text helpers shared by the writers: slugs and safe file names.

/// Longest file stem [`file_stem`] makes, so names stay valid on every file system.
const MAX_STEM: usize = 100;

/// `text` as lower-case words joined by '-': `A b_c!` becomes `a-b-c`.
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// A file stem made only of ASCII letters, digits, '_' and '-', at most [`MAX_STEM`] long.
pub(crate) fn file_stem(text: &str) -> String {
    let stem: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(MAX_STEM)
        .collect();
    let stem = stem.trim_matches('-');
    if stem.is_empty() {
        "scenario".to_owned()
    } else {
        stem.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_file_stems_are_safe() {
        assert_eq!(
            slug("CAMARA API, v1 - Operation: x_y"),
            "camara-api-v1-operation-x-y"
        );
        assert_eq!(file_stem("../etc/passwd"), "etc-passwd");
        assert_eq!(file_stem("éé"), "scenario");
        assert_eq!(file_stem(&"a".repeat(300)).len(), MAX_STEM);
    }
}
