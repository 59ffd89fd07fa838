//! The HTML report of a known failing run, opened in headless Chromium: the rendered page shows
//! the totals and the failure rows, and a phone-sized screenshot is kept for people to look at
//! (`target/test-output/report_browser/phone.png`).
//!
//! Needs Debian's `chromium` (`.ci/run` installs it): `cargo test -p reachability-conformance --test it -- --ignored report_browser`.

use crate::report_support;

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use reachability_harness::report::{OutputArgs, ReportFile, Status};
use report_support::{FAILING_COUNT, FAILING_IDS, failing_run, output_dir};

/// Longest a Chromium call may take before it is stopped (it has nothing to fetch).
const CHROMIUM_LIMIT: Duration = Duration::from_secs(120);

/// Runs headless Chromium on `page` with `extra` flags and a fresh profile; returns stdout.
fn chromium(dir: &Path, page: &Path, extra: &[String]) -> String {
    let profile = dir.join(format!("profile-{}", extra.len()));
    let _ = std::fs::remove_dir_all(&profile);
    let mut child = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts (install Debian's chromium package)");
    let started = Instant::now();
    while child
        .try_wait()
        .expect("chromium can be waited for")
        .is_none()
    {
        if started.elapsed() > CHROMIUM_LIMIT {
            let _ = child.kill();
            panic!("chromium did not finish within {CHROMIUM_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut out = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        stdout
            .read_to_string(&mut out)
            .expect("chromium's output is text");
    }
    let _ = std::fs::remove_dir_all(&profile);
    out
}

/// Width and height of a PNG file, from its IHDR chunk.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).expect("the screenshot was written");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let be =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (be(16), be(20))
}

fn write_report(dir: &Path) -> PathBuf {
    let fixture = failing_run();
    let page = dir.join("report.html");
    let outputs = OutputArgs {
        reports: vec![ReportFile::parse(&page.to_string_lossy()).unwrap()],
        ..OutputArgs::default()
    };
    fixture.write(&outputs).unwrap();
    page
}

#[test]
#[ignore = "needs Debian's chromium"]
fn rendered_report_shows_totals_and_failures_on_a_phone() {
    let dir = output_dir("report_browser");
    let page = write_report(&dir);

    let dom = chromium(&dir, &page, &["--dump-dom".to_owned()]);
    assert!(
        dom.contains("<span class=\"verdict bad\">NOT CONFORMANT</span>"),
        "{dom}"
    );
    let passed = failing_run().runs[0].count(Status::Passed);
    assert!(dom.contains(&format!(
        "<div class=\"passed\"><b>{passed}</b>passed</div>"
    )));
    assert!(dom.contains(&format!(
        "<div class=\"failed\"><b>{FAILING_COUNT}</b>failed</div>"
    )));
    assert_eq!(dom.matches("<tr class=\"failed\">").count(), FAILING_COUNT);
    let first_failure_row = dom
        .split("<tr class=\"failed\">")
        .nth(1)
        .and_then(|row| row.split("</tr>").next())
        .expect("a failure row");
    assert!(
        first_failure_row.contains(FAILING_IDS[4]),
        "{first_failure_row}"
    );
    assert!(
        first_failure_row.contains("actual: no such header"),
        "{first_failure_row}"
    );

    let shot = dir.join("phone.png");
    chromium(
        &dir,
        &page,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=412,900".to_owned(),
        ],
    );
    assert_eq!(png_size(&shot), (412, 900));
}
