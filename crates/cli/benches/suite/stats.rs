//! Small statistics over timings, and how the bench prints them.

use std::time::Duration;

/// Wall times of repeated runs and the CPU time they took together.
pub struct Timings {
    /// Each run's wall time.
    pub wall: Vec<Duration>,
    /// User + system CPU time of the whole process (every thread, the in-process mock's
    /// too) per run.
    pub cpu_per_run: Duration,
}

impl Timings {
    /// Timings of `wall.len()` runs that took `cpu` of CPU time in all.
    pub fn new(wall: Vec<Duration>, cpu: Duration) -> Self {
        let runs = u32::try_from(wall.len().max(1)).unwrap_or(u32::MAX);
        Self {
            cpu_per_run: cpu / runs,
            wall,
        }
    }

    /// The median wall time.
    pub fn median(&self) -> Duration {
        median(&self.wall)
    }

    /// `median (min)` of the wall times: the minimum shows the cost without interference
    /// from other work on the machine.
    pub fn wall(&self) -> String {
        let min = self.wall.iter().min().copied().unwrap_or_default();
        format!("{} (min {})", ms(self.median()), ms(min))
    }
}

/// The 1, 5 and 15 minute load averages, as `uptime` shows them.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

/// User + system CPU time this process has used so far, all threads.
pub fn cpu_time() -> Duration {
    // SAFETY: an all-zero `rusage` is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_SELF with a pointer to a live local is always a valid call.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return Duration::ZERO;
    }
    let time = |t: libc::timeval| {
        Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
            + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// The median of `samples` (the lower middle for an even count); zero when empty.
pub fn median(samples: &[Duration]) -> Duration {
    percentile(samples, 0.5)
}

/// The `q`-quantile (0 < q <= 1) of `samples` by the nearest-rank method; zero when empty.
pub fn percentile(samples: &[Duration], q: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    let mut sorted = samples.to_vec();
    sorted.sort();
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Milliseconds with one decimal, e.g. `12.3 ms`.
pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Microseconds for short latencies, e.g. `183 µs`.
pub fn us(d: Duration) -> String {
    format!("{:.0} µs", d.as_secs_f64() * 1_000_000.0)
}

/// `a / b` with two decimals, or `n/a` when `b` is zero.
pub fn ratio(a: Duration, b: Duration) -> String {
    if b.is_zero() {
        "n/a".to_owned()
    } else {
        format!("{:.2}", a.as_secs_f64() / b.as_secs_f64())
    }
}

/// A Markdown table, columns padded to their widest cell.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column titles.
    pub fn new(header: &[&str]) -> Self {
        Self {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row (missing cells are left empty).
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Prints the table to stdout.
    pub fn print(&self) {
        let columns = self.header.len();
        let cell = |row: &[String], i: usize| row.get(i).cloned().unwrap_or_default();
        let widths: Vec<usize> = (0..columns)
            .map(|i| {
                self.rows
                    .iter()
                    .map(|r| cell(r, i).chars().count())
                    .chain([self.header[i].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |row: &[String]| {
            let cells: Vec<String> = (0..columns)
                .map(|i| format!("{:<w$}", cell(row, i), w = widths[i]))
                .collect();
            println!("| {} |", cells.join(" | "));
        };
        line(&self.header);
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        println!("|-{}-|", rule.join("-|-"));
        for row in &self.rows {
            line(row);
        }
        println!();
    }
}
