//! The report as Markdown (GitHub and GitLab flavours). Text from the target is escaped so it
//! can neither close a table cell nor become HTML or a link, nor drive a terminal (control
//! characters are shown escaped); long texts go in code fences.

use std::fmt::Write as _;

use crate::text::printable;

use super::super::{Conclusion, RunResult, ScenarioResult, Totals, detailed};
use super::{
    DEVIATIONS_INTRO, PLAN_DEFECTS_INTRO, TITLE, exchange_title, harness, known_deviations, millis,
    run_facts,
};

/// The whole document.
pub(super) fn render(runs: &[RunResult], generated: &str) -> String {
    let mut out = format!(
        "# {TITLE}\n\n**{}**: {}\n\n",
        Conclusion::overall(runs).name(),
        counts(Totals::of(runs))
    );
    let profiles: Vec<&str> = runs.iter().map(|r| r.profile.name()).collect();
    out.push_str(&facts(&[
        ("Generated", generated.to_owned()),
        ("Harness", harness()),
        ("Profiles", profiles.join(", ")),
    ]));
    for run in runs {
        out.push_str(&section(run, runs.len() > 1));
    }
    out.push_str(
        "\n---\nCredentials are masked as \\[REDACTED\\]; the exchanges of every scenario can \
         be recorded with `--record DIR`.\n",
    );
    out
}

fn counts(t: Totals) -> String {
    format!("{} ({} scenarios)", t.line(), t.total())
}

fn facts(rows: &[(&str, String)]) -> String {
    let mut out = String::from("| | |\n|---|---|\n");
    for (label, value) in rows {
        let _ = writeln!(out, "| {} | {} |", text(label), text(value));
    }
    out.push('\n');
    out
}

fn section(run: &RunResult, several: bool) -> String {
    let mut out = format!(
        "## {}: {}\n\n",
        text(run.profile.name()),
        run.conclusion().name()
    );
    if several {
        let _ = write!(out, "{}\n\n", counts(Totals::of(std::slice::from_ref(run))));
    }
    out.push_str(&facts(&run_facts(run)));
    out.push_str(&deviations(run));
    if !run.plan_defects.is_empty() {
        let _ = write!(out, "### Plan defects\n\n{}\n\n", text(PLAN_DEFECTS_INTRO));
        for defect in &run.plan_defects {
            let _ = writeln!(out, "- {}", text(defect));
        }
        out.push('\n');
    }
    out.push_str(&scenario_table(run));
    for (heading, chosen) in detailed(run) {
        let _ = write!(out, "### {}\n\n", text(heading));
        for s in chosen {
            out.push_str(&failure(s));
        }
    }
    out
}

fn deviations(run: &RunResult) -> String {
    let mut out = String::from("### Known deviations\n\n");
    let deviations = known_deviations(run);
    if deviations.is_empty() {
        out.push_str("None declared for this profile.\n\n");
        return out;
    }
    let _ = writeln!(out, "{}\n", text(DEVIATIONS_INTRO));
    for s in deviations {
        let _ = writeln!(
            out,
            "- **{}** {}: {}",
            s.status.name(),
            code(s.label()),
            text(&s.name)
        );
    }
    out.push('\n');
    out
}

fn scenario_table(run: &RunResult) -> String {
    let mut out = String::from(
        "### All scenarios\n\n| Status | Scenario | Title | Reason | Time |\n|---|---|---|---|---|\n",
    );
    for s in &run.scenarios {
        let deviation = if s.is_known_deviation() {
            " (known deviation)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "| {} | {}{deviation} | {} | {} | {} |",
            s.status.name(),
            code(s.label()),
            text(&s.name),
            text(&s.reason_line()),
            millis(s.duration)
        );
    }
    out.push('\n');
    out
}

fn failure(s: &ScenarioResult) -> String {
    let mut out = format!(
        "#### {}\n\n{} ({}:{})\n\n",
        code(s.label()),
        text(&s.name),
        text(&s.feature_source),
        s.line
    );
    if let Some(required_by) = s.required_by() {
        let _ = writeln!(out, "{}\n", text(&required_by));
    }
    if let Some(why) = &s.advisory {
        let _ = writeln!(out, "Advisory: {}\n", text(why));
    }
    if let Some(step) = &s.failed_step {
        let _ = writeln!(out, "Failed step: {}\n", code(step));
    }
    if let Some(reason) = &s.reason {
        out.push_str(&fence(reason));
    }
    if let Some(exchange) = &s.exchange {
        let _ = write!(
            out,
            "<details><summary>{}</summary>\n\n{}</details>\n\n",
            text(&exchange_title(exchange)),
            fence(exchange.trim_end())
        );
    }
    out
}

/// `content` in a code fence longer than any backtick run inside it, so it cannot close early.
fn fence(content: &str) -> String {
    let content = &printable(content);
    let longest = content.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest.max(2) + 1);
    format!("{ticks}text\n{}\n{ticks}\n\n", content.trim_end())
}

/// `raw` as inline code when it can be (no backtick, pipe or line break), else as [`text`].
fn code(raw: &str) -> String {
    let raw = &printable(raw);
    if raw.is_empty() || raw.contains(['`', '|', '\n', '\r']) {
        text(raw)
    } else {
        format!("`{raw}`")
    }
}

/// `raw` as inline Markdown text: HTML and Markdown syntax escaped, line breaks as `<br>`,
/// so it is shown as written and stays inside its table cell (or its paragraph: a leading
/// `#`, `-` or `+` would start a heading or a list).
fn text(raw: &str) -> String {
    let raw = &printable(raw);
    let mut out = String::with_capacity(raw.len());
    if raw.starts_with(['#', '-', '+']) {
        out.push('\\');
    }
    for c in raw.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cannot_break_out_of_a_cell_or_become_markup() {
        assert_eq!(
            text("a|b <img src=x> [l](u) *x*\nnext"),
            "a\\|b &lt;img src=x&gt; \\[l\\](u) \\*x\\*<br>next"
        );
        assert_eq!(text("# not a heading #1"), "\\# not a heading #1");
    }

    #[test]
    fn code_spans_only_for_safe_text() {
        assert_eq!(code("reachability_v1_01"), "`reachability_v1_01`");
        assert_eq!(code("a|b"), "a\\|b");
        assert_eq!(code("a`b"), "a\\`b");
    }

    #[test]
    fn fences_outlast_backticks_inside() {
        assert_eq!(fence("a ```` b"), "`````text\na ```` b\n`````\n\n");
        assert_eq!(fence("plain"), "```text\nplain\n```\n\n");
    }
}
