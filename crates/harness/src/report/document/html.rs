//! The report as one self-contained HTML page: inline CSS, no script, no external resource;
//! a responsive table for phones and a print style. Every text is HTML-escaped.

use std::fmt::Write as _;

use super::super::text::slug;
use super::super::{Conclusion, DETAILED, RunResult, ScenarioResult, Totals, detailed};
use super::{
    DEVIATIONS_INTRO, PLAN_DEFECTS_INTRO, TITLE, exchange_title, harness, known_deviations, millis,
    run_facts,
};
use crate::text::html as esc;

/// The page's style sheet.
const CSS: &str = r#"
:root{--fg:#1d2330;--muted:#5b6475;--bg:#fff;--panel:#f5f7fa;--line:#dde2ea;
--pass:#1a7f37;--pass-bg:#e6f4ea;--fail:#c62828;--fail-bg:#fdecea;--skip:#946200;--skip-bg:#fff4d6;
--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9ef;--muted:#a3acbb;--bg:#14171d;--panel:#1d222b;
--line:#323945;--pass:#5fd27a;--pass-bg:#183222;--fail:#ff7b72;--fail-bg:#3a1d1d;--skip:#e3b341;--skip-bg:#352b12}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;line-height:1.25;margin:.2em 0 .4em}
h2{font-size:1.25rem;margin:1.6em 0 .5em;padding-top:.8em;border-top:2px solid var(--line)}
h3{font-size:1.05rem;margin:1.4em 0 .5em}
h4{font-size:1rem;margin:0 0 .3em;overflow-wrap:anywhere}
code,pre{font-family:var(--mono);font-size:.86em}
code{overflow-wrap:anywhere}
pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:10px;
margin:.5em 0;white-space:pre-wrap;overflow-wrap:anywhere}
.muted{color:var(--muted)}
.verdict{display:inline-block;font-weight:700;letter-spacing:.03em;padding:.2em .7em;border-radius:6px}
h2 .verdict{font-size:.7em;vertical-align:.15em;margin-left:.3em}
.verdict.ok{color:var(--pass);background:var(--pass-bg)}
.verdict.bad{color:var(--fail);background:var(--fail-bg)}
.verdict.none,.verdict.err{color:var(--skip);background:var(--skip-bg)}
.totals{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:8px;margin:12px 0}
.totals div{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:8px 10px}
.totals b{display:block;font-size:1.5rem;line-height:1.2}
.totals .passed b{color:var(--pass)}.totals .failed b{color:var(--fail)}.totals .skipped b{color:var(--skip)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;overflow-wrap:anywhere}
.badge{display:inline-block;min-width:4.6em;text-align:center;font-size:.8em;font-weight:700;
text-transform:uppercase;border-radius:4px;padding:.1em .4em}
.badge.passed{color:var(--pass);background:var(--pass-bg)}
.badge.failed{color:#fff;background:var(--fail)}
.badge.skipped{color:var(--skip);background:var(--skip-bg)}
.badge.errored{color:#fff;background:var(--skip)}
.badge.advisory{color:var(--muted);background:var(--panel);border:1px solid var(--line)}
article.errored{border-left-color:var(--skip)}
article.advisory{border-left-color:var(--muted)}
.dev{font-size:.78em;color:var(--muted);border:1px solid var(--line);border-radius:4px;padding:0 .3em}
table{width:100%;border-collapse:collapse;margin:8px 0}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line);
overflow-wrap:anywhere}
th{font-size:.85em;color:var(--muted);font-weight:600}
td.time{white-space:nowrap;text-align:right;color:var(--muted);width:5.5em}
td.status{width:6.5em}
table.scenarios th:nth-child(2){width:44%}
td a{color:inherit;text-decoration:underline;text-underline-offset:4px;text-decoration-color:var(--fail)}
tr.failed,tr.failed td{background:var(--fail-bg)}
tr.errored,tr.errored td{background:var(--skip-bg)}
td .title{display:block}
article.failure{border:1px solid var(--line);border-left:4px solid var(--fail);border-radius:6px;
padding:10px 12px;margin:10px 0}
article.failure p{margin:.3em 0}
details{margin:.4em 0}
summary{cursor:pointer;color:var(--muted)}
footer{margin:2em 0 1em;font-size:.85em;color:var(--muted)}
@media (max-width:640px){
main{padding:10px}
.totals{gap:6px}
.totals div{padding:6px 8px;font-size:.85em}
.totals b{font-size:1.35rem}
dl.facts{gap:2px 10px;font-size:.92em}
table.scenarios thead{display:none}
table.scenarios,table.scenarios tbody{display:block;width:100%}
table.scenarios tr{display:grid;grid-template-columns:1fr auto;border:1px solid var(--line);
border-radius:8px;margin:8px 0;padding-bottom:6px;overflow:hidden}
table.scenarios td{display:block;width:auto;border:0;padding:3px 10px;grid-column:1/-1}
table.scenarios td.status{grid-column:1;grid-row:1;padding-top:8px}
table.scenarios td.time{grid-column:2;grid-row:1;padding-top:8px}
table.scenarios td:empty{display:none}
table.scenarios td[data-label]::before{content:attr(data-label);display:block;font-size:.75em;color:var(--muted)}

}
@media print{
:root{--fg:#000;--bg:#fff}
body{font-size:10pt}
th,td{padding:3px 6px}
main{max-width:none;padding:0}
a{color:inherit;text-decoration:none}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
h2{break-before:page;border-top:0}
section:first-of-type h2{break-before:auto}
tr,.totals div{break-inside:avoid}
summary{display:none}
details::details-content{content-visibility:visible;display:contents}
details>pre{display:block}
}
"#;

/// The whole page.
pub(super) fn render(runs: &[RunResult], generated: &str) -> String {
    let conclusion = Conclusion::overall(runs);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} - {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n<header>\n\
         <h1>{}</h1>\n<p>{}</p>\n",
        esc(TITLE),
        esc(conclusion.name()),
        esc(TITLE),
        verdict(conclusion),
    );
    out.push_str(&totals(Totals::of(runs)));
    let profiles: Vec<&str> = runs.iter().map(|r| r.profile.name()).collect();
    out.push_str(&facts(&[
        ("Generated", generated.to_owned()),
        ("Harness", harness()),
        ("Profiles", profiles.join(", ")),
    ]));
    out.push_str("</header>\n");
    for run in runs {
        out.push_str(&section(run, runs.len() > 1));
    }
    let _ = write!(
        out,
        "<footer>Generated by {} on {}. Credentials are masked as [REDACTED]; \
         the exchanges of every scenario can be recorded with <code>--record DIR</code>.</footer>\n\
         </main>\n</body>\n</html>\n",
        esc(&harness()),
        esc(generated)
    );
    out
}

fn verdict(conclusion: Conclusion) -> String {
    let class = match conclusion {
        Conclusion::Conformant => "ok",
        Conclusion::NotConformant => "bad",
        Conclusion::NothingRan => "none",
        Conclusion::CouldNotTest => "err",
    };
    format!(
        "<span class=\"verdict {class}\">{}</span>",
        esc(conclusion.name())
    )
}

fn totals(t: Totals) -> String {
    let cell = |class: &str, n: usize, label: &str| {
        format!("<div class=\"{class}\"><b>{n}</b>{label}</div>")
    };
    // Errored and advisory cells only when there are some, so a clean run keeps one row.
    let optional = |class: &str, n: usize, label: &str| {
        if n > 0 {
            cell(class, n, label)
        } else {
            String::new()
        }
    };
    format!(
        "<div class=\"totals\">{}{}{}{}{}{}</div>\n",
        cell("passed", t.passed, "passed"),
        cell("failed", t.failed, "failed"),
        cell("skipped", t.skipped, "skipped"),
        cell("all", t.total(), "scenarios"),
        optional("errored", t.errored, "could not test"),
        optional("advisory", t.advisory, "advisory"),
    )
}

fn facts(rows: &[(&str, String)]) -> String {
    let mut out = String::from("<dl class=\"facts\">\n");
    for (label, value) in rows {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", esc(label), esc(value));
    }
    out.push_str("</dl>\n");
    out
}

/// The anchor of a scenario's failure details.
fn anchor(run: &RunResult, s: &ScenarioResult) -> String {
    format!("{}-{}-{}", run.profile.name(), slug(s.label()), s.line)
}

fn section(run: &RunResult, several: bool) -> String {
    let mut out = format!("<section id=\"{}\">\n", esc(run.profile.name()));
    let _ = writeln!(
        out,
        "<h2>{} {}</h2>",
        esc(run.profile.name()),
        verdict(run.conclusion())
    );
    out.push_str(&facts(&run_facts(run)));
    if several {
        out.push_str(&totals(Totals::of(std::slice::from_ref(run))));
    }
    out.push_str(&deviations(run));
    if !run.plan_defects.is_empty() {
        let _ = writeln!(
            out,
            "<h3>Plan defects</h3>\n<p class=\"muted\">{}</p>\n<ul>",
            esc(PLAN_DEFECTS_INTRO)
        );
        for defect in &run.plan_defects {
            let _ = writeln!(out, "<li>{}</li>", esc(defect));
        }
        out.push_str("</ul>\n");
    }
    out.push_str(&scenario_table(run));
    for (heading, chosen) in detailed(run) {
        let _ = writeln!(out, "<h3>{}</h3>", esc(heading));
        for s in chosen {
            out.push_str(&failure(run, s));
        }
    }
    out.push_str("</section>\n");
    out
}

fn deviations(run: &RunResult) -> String {
    let mut out = String::from("<h3>Known deviations</h3>\n");
    let deviations = known_deviations(run);
    if deviations.is_empty() {
        out.push_str("<p class=\"muted\">None declared for this profile.</p>\n");
        return out;
    }
    let _ = writeln!(
        out,
        "<p class=\"muted\">{}</p>\n<ul>",
        esc(DEVIATIONS_INTRO)
    );
    for s in deviations {
        let _ = writeln!(
            out,
            "<li><span class=\"badge {0}\">{0}</span> <code>{1}</code> {2}</li>",
            s.status.name(),
            esc(s.label()),
            esc(&s.name)
        );
    }
    out.push_str("</ul>\n");
    out
}

fn failure(run: &RunResult, s: &ScenarioResult) -> String {
    let mut out = format!(
        "<article class=\"failure {}\" id=\"{}\">\n<h4><code>{}</code></h4>\n<p>{}</p>\n\
         <p class=\"muted\">{}:{}</p>\n",
        s.status.name(),
        esc(&anchor(run, s)),
        esc(s.label()),
        esc(&s.name),
        esc(&s.feature_source),
        s.line
    );
    if let Some(required_by) = s.required_by() {
        let _ = writeln!(out, "<p class=\"muted\">{}</p>", esc(&required_by));
    }
    if let Some(why) = &s.advisory {
        let _ = writeln!(out, "<p>Advisory: {}</p>", esc(why));
    }
    if let Some(step) = &s.failed_step {
        let _ = writeln!(out, "<p>Failed step: <code>{}</code></p>", esc(step));
    }
    if let Some(reason) = &s.reason {
        let _ = writeln!(out, "<pre>{}</pre>", esc(reason));
    }
    if let Some(exchange) = &s.exchange {
        let _ = writeln!(
            out,
            "<details><summary>{}</summary><pre>{}</pre></details>",
            esc(&exchange_title(exchange)),
            esc(exchange.trim_end())
        );
    }
    out.push_str("</article>\n");
    out
}

fn scenario_table(run: &RunResult) -> String {
    let mut out = String::from(
        "<h3>All scenarios</h3>\n<table class=\"scenarios\">\n<thead><tr><th>Status</th>\
         <th>Scenario</th><th>Reason</th><th>Time</th></tr></thead>\n<tbody>\n",
    );
    for s in &run.scenarios {
        let status = s.status.name();
        let deviation = if s.is_known_deviation() {
            " <span class=\"dev\">known deviation</span>"
        } else {
            ""
        };
        let label = if DETAILED.iter().any(|(status, _)| *status == s.status) {
            format!(
                "<a href=\"#{}\"><code>{}</code></a>",
                esc(&anchor(run, s)),
                esc(s.label())
            )
        } else {
            format!("<code>{}</code>", esc(s.label()))
        };
        let title = if s.id.is_some() {
            format!("<span class=\"title\">{}</span>", esc(&s.name))
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "<tr class=\"{status}\"><td class=\"status\"><span class=\"badge {status}\">{status}</span></td>\
             <td class=\"scenario\">{label}{deviation}{title}</td>\
             <td data-label=\"Reason\">{}</td><td class=\"time\">{}</td></tr>",
            esc(&s.reason_line()),
            millis(s.duration)
        );
    }
    out.push_str("</tbody>\n</table>\n");
    out
}
