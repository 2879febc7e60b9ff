//! Metrics about the running process, read from `/proc` at scrape time (feature `process`,
//! on by default), under the names and units the official Prometheus clients use, so
//! existing dashboards and alerts work unchanged.
//!
//! | family | type | source |
//! |---|---|---|
//! | `process_cpu_seconds_total` | counter | `/proc/self/stat` utime + stime |
//! | `process_resident_memory_bytes` | gauge | `/proc/self/stat` rss × page size |
//! | `process_virtual_memory_bytes` | gauge | `/proc/self/stat` vsize |
//! | `process_open_fds` | gauge | entries of `/proc/self/fd` |
//! | `process_max_fds` | gauge | soft "Max open files" of `/proc/self/limits` |
//! | `process_start_time_seconds` | gauge | `/proc/stat` btime + starttime |
//! | `process_threads` | gauge | `/proc/self/stat` num_threads |
//!
//! Clock ticks per second and the page size come from the auxiliary vector
//! (`/proc/self/auxv`, `AT_CLKTCK` and `AT_PAGESZ`), which needs no `unsafe` call to
//! `sysconf`; if it cannot be read, 100 ticks and 4096-byte pages (Linux' values on every
//! common architecture) are assumed.
//!
//! A value that cannot be read is left out of that scrape: its family is written with its
//! HELP and TYPE lines and no sample, which keeps the exposition valid. Nothing panics. On
//! systems other than Linux the collector shows no metrics at all.
//!
//! ```
//! use oxios_metrics::process::ProcessCollector;
//! use oxios_metrics::{Format, Registry};
//!
//! let registry = Registry::new();
//! ProcessCollector::register(&registry).unwrap();
//! let text = registry.render(Format::Prometheus);
//! if cfg!(target_os = "linux") {
//!     assert!(text.contains("\nprocess_resident_memory_bytes "));
//! }
//! ```

use crate::desc::{DefinitionSite, MetricDesc, MetricType};
use crate::encode::{MetricEncoder, NoLabels, SampleValue};
use crate::metric::EncodeMetric;
use crate::registry::{MetricGroup, MetricVisitor, RegisterError, Registry};

/// The process metrics as a [`MetricGroup`]; each scrape reads `/proc` once.
#[derive(Debug, Default, Clone, Copy)]
pub struct ProcessCollector {
    _private: (),
}

/// One reading of the process' figures; `None` where a figure could not be read.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct ProcessSnapshot {
    /// User plus system CPU time, in seconds.
    pub cpu_seconds: Option<f64>,
    /// Resident set size, in bytes.
    pub resident_memory_bytes: Option<f64>,
    /// Virtual memory size, in bytes.
    pub virtual_memory_bytes: Option<f64>,
    /// Open file descriptors.
    pub open_fds: Option<f64>,
    /// The soft limit on open file descriptors (`+Inf` when unlimited).
    pub max_fds: Option<f64>,
    /// When the process started, in seconds since the Unix epoch.
    pub start_time_seconds: Option<f64>,
    /// OS threads of the process.
    pub threads: Option<f64>,
}

const fn site(line: u32) -> DefinitionSite {
    DefinitionSite::new(file!(), line, 1)
}

static CPU: MetricDesc = MetricDesc::new(
    "process_cpu_seconds",
    "User and system CPU time used by the process, in seconds.",
    MetricType::Counter,
    site(line!()),
)
.with_unit("seconds");
static RESIDENT: MetricDesc = MetricDesc::new(
    "process_resident_memory_bytes",
    "Resident memory of the process, in bytes.",
    MetricType::Gauge,
    site(line!()),
)
.with_unit("bytes");
static VIRTUAL: MetricDesc = MetricDesc::new(
    "process_virtual_memory_bytes",
    "Virtual memory size of the process, in bytes.",
    MetricType::Gauge,
    site(line!()),
)
.with_unit("bytes");
static OPEN_FDS: MetricDesc = MetricDesc::new(
    "process_open_fds",
    "File descriptors the process has open.",
    MetricType::Gauge,
    site(line!()),
);
static MAX_FDS: MetricDesc = MetricDesc::new(
    "process_max_fds",
    "Most file descriptors the process may open (the soft limit).",
    MetricType::Gauge,
    site(line!()),
);
static START_TIME: MetricDesc = MetricDesc::new(
    "process_start_time_seconds",
    "Start time of the process, in seconds since the Unix epoch.",
    MetricType::Gauge,
    site(line!()),
)
.with_unit("seconds");
static THREADS: MetricDesc = MetricDesc::new(
    "process_threads",
    "OS threads in the process.",
    MetricType::Gauge,
    site(line!()),
);

/// One figure of a snapshot, written as a single sample or not at all.
struct Reading {
    value: Option<f64>,
    suffix: &'static str,
}

impl EncodeMetric for Reading {
    fn encode(&self, encoder: &mut MetricEncoder<'_>) {
        if let Some(value) = self.value {
            encoder.sample(self.suffix, &NoLabels, SampleValue::Float(value));
        }
    }
}

impl ProcessCollector {
    /// The collector. It holds no state: every scrape reads afresh.
    pub const fn new() -> Self {
        ProcessCollector { _private: () }
    }

    /// Registers a collector with `registry`: one call gives a registry the process metrics.
    ///
    /// Fails when the registry already exposes one of the `process_*` names (a second
    /// registration, for instance).
    pub fn register(registry: &Registry) -> Result<(), RegisterError> {
        registry.register_owned(Box::new(ProcessCollector::new()))
    }

    /// Reads the figures now (all `None` on systems other than Linux).
    pub fn snapshot(&self) -> ProcessSnapshot {
        #[cfg(target_os = "linux")]
        {
            linux::read()
        }
        #[cfg(not(target_os = "linux"))]
        {
            ProcessSnapshot::default()
        }
    }
}

impl MetricGroup for ProcessCollector {
    fn visit(&self, visitor: &mut dyn MetricVisitor) {
        if !cfg!(target_os = "linux") {
            return;
        }
        let snapshot = self.snapshot();
        let readings: [(&MetricDesc, Option<f64>); 7] = [
            (&CPU, snapshot.cpu_seconds),
            (&RESIDENT, snapshot.resident_memory_bytes),
            (&VIRTUAL, snapshot.virtual_memory_bytes),
            (&OPEN_FDS, snapshot.open_fds),
            (&MAX_FDS, snapshot.max_fds),
            (&START_TIME, snapshot.start_time_seconds),
            (&THREADS, snapshot.threads),
        ];
        for (desc, value) in readings {
            let suffix = desc.metric_type().sample_suffix();
            visitor.metric(desc, &Reading { value, suffix });
        }
    }
}

#[cfg(any(target_os = "linux", test))]
mod parse {
    //! Parsers for the `/proc` files, kept free of I/O so they can be tested on fixed text.

    /// The fields of `/proc/<pid>/stat` the collector uses, in their raw units.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(super) struct Stat {
        pub(super) utime_ticks: u64,
        pub(super) stime_ticks: u64,
        pub(super) threads: u64,
        pub(super) start_ticks: u64,
        pub(super) vsize_bytes: u64,
        pub(super) rss_pages: u64,
    }

    /// Parses `/proc/<pid>/stat`. The command name (field 2) is in parentheses and may itself
    /// contain spaces and `)`, so fields are counted from the last `)`.
    pub(super) fn stat(text: &str) -> Option<Stat> {
        let after_name = &text[text.rfind(')')? + 1..];
        // `fields[0]` is field 3 (state) in proc(5)'s numbering.
        let fields: Vec<&str> = after_name.split_ascii_whitespace().collect();
        let field = |number: usize| -> Option<u64> { fields.get(number - 3)?.parse().ok() };
        Some(Stat {
            utime_ticks: field(14)?,
            stime_ticks: field(15)?,
            threads: field(20)?,
            start_ticks: field(22)?,
            vsize_bytes: field(23)?,
            rss_pages: field(24)?,
        })
    }

    /// The soft limit on open files from `/proc/<pid>/limits`; `f64::INFINITY` if unlimited.
    pub(super) fn max_open_files(text: &str) -> Option<f64> {
        let line = text
            .lines()
            .find_map(|line| line.strip_prefix("Max open files"))?;
        match line.split_ascii_whitespace().next()? {
            "unlimited" => Some(f64::INFINITY),
            soft => soft.parse::<u64>().ok().map(|limit| limit as f64),
        }
    }

    /// The boot time (`btime`) from `/proc/stat`, in seconds since the epoch.
    pub(super) fn boot_time(text: &str) -> Option<u64> {
        text.lines()
            .find_map(|line| line.strip_prefix("btime "))?
            .trim()
            .parse()
            .ok()
    }

    /// The value of entry `key` of an auxiliary vector (pairs of native-endian machine
    /// words, ended by a zero key).
    pub(super) fn auxv_entry(bytes: &[u8], key: u64) -> Option<u64> {
        let word = std::mem::size_of::<usize>();
        let read = |chunk: &[u8]| -> Option<u64> {
            match word {
                8 => Some(u64::from_ne_bytes(chunk.try_into().ok()?)),
                4 => Some(u64::from(u32::from_ne_bytes(chunk.try_into().ok()?))),
                _ => None,
            }
        };
        for pair in bytes.chunks_exact(2 * word) {
            let entry = read(&pair[..word])?;
            if entry == 0 {
                return None;
            }
            if entry == key {
                return read(&pair[word..]);
            }
        }
        None
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use std::sync::OnceLock;

    use super::parse;
    use super::ProcessSnapshot;

    const AT_PAGESZ: u64 = 6;
    const AT_CLKTCK: u64 = 17;
    const ASSUMED_TICKS_PER_SECOND: f64 = 100.0;
    const ASSUMED_PAGE_SIZE: f64 = 4096.0;

    /// Clock ticks per second and page size; constant for the life of the process.
    fn system_constants() -> (f64, f64) {
        static CONSTANTS: OnceLock<(f64, f64)> = OnceLock::new();
        *CONSTANTS.get_or_init(|| {
            let auxv = std::fs::read("/proc/self/auxv").unwrap_or_default();
            let ticks = parse::auxv_entry(&auxv, AT_CLKTCK)
                .filter(|&ticks| ticks > 0)
                .map_or(ASSUMED_TICKS_PER_SECOND, |ticks| ticks as f64);
            let page = parse::auxv_entry(&auxv, AT_PAGESZ)
                .filter(|&size| size > 0)
                .map_or(ASSUMED_PAGE_SIZE, |size| size as f64);
            (ticks, page)
        })
    }

    /// Boot time; constant, so read once (retried while it fails).
    fn boot_time() -> Option<u64> {
        static BOOT_TIME: OnceLock<u64> = OnceLock::new();
        if let Some(&seconds) = BOOT_TIME.get() {
            return Some(seconds);
        }
        let seconds = parse::boot_time(&std::fs::read_to_string("/proc/stat").ok()?)?;
        Some(*BOOT_TIME.get_or_init(|| seconds))
    }

    pub(super) fn read() -> ProcessSnapshot {
        let (ticks_per_second, page_size) = system_constants();
        let stat = std::fs::read_to_string("/proc/self/stat")
            .ok()
            .and_then(|text| parse::stat(&text));
        let open_fds = std::fs::read_dir("/proc/self/fd")
            .ok()
            .map(|entries| entries.filter(Result::is_ok).count() as f64);
        let max_fds = std::fs::read_to_string("/proc/self/limits")
            .ok()
            .and_then(|text| parse::max_open_files(&text));
        ProcessSnapshot {
            cpu_seconds: stat
                .map(|stat| (stat.utime_ticks + stat.stime_ticks) as f64 / ticks_per_second),
            resident_memory_bytes: stat.map(|stat| stat.rss_pages as f64 * page_size),
            virtual_memory_bytes: stat.map(|stat| stat.vsize_bytes as f64),
            open_fds,
            max_fds,
            start_time_seconds: stat.and_then(|stat| {
                Some(boot_time()? as f64 + stat.start_ticks as f64 / ticks_per_second)
            }),
            threads: stat.map(|stat| stat.threads as f64),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    const STAT: &str = "4242 (my (odd) prog) S 1 4242 4242 0 -1 4194560 2000 0 0 0 \
        150 25 0 0 20 0 7 0 98765 123456789 2048 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

    #[test]
    fn stat_fields_are_counted_from_the_last_parenthesis() {
        let stat = parse::stat(STAT).unwrap();
        assert_eq!(stat.utime_ticks, 150);
        assert_eq!(stat.stime_ticks, 25);
        assert_eq!(stat.threads, 7);
        assert_eq!(stat.start_ticks, 98765);
        assert_eq!(stat.vsize_bytes, 123456789);
        assert_eq!(stat.rss_pages, 2048);
    }

    #[test]
    fn truncated_or_garbled_stat_is_none() {
        assert_eq!(parse::stat(""), None);
        assert_eq!(parse::stat("1 (x) S 1 2 3"), None);
        assert_eq!(parse::stat(&STAT.replace("150", "x")), None);
    }

    #[test]
    fn limits_soft_open_files() {
        let limits =
            "Limit                     Soft Limit           Hard Limit           Units     \n\
            Max processes             127431               127431               processes \n\
            Max open files            1024                 524288               files     \n";
        assert_eq!(parse::max_open_files(limits), Some(1024.0));
        let unlimited =
            "Max open files            unlimited            unlimited            files\n";
        assert_eq!(parse::max_open_files(unlimited), Some(f64::INFINITY));
        assert_eq!(parse::max_open_files("Max processes 1 1\n"), None);
    }

    #[test]
    fn boot_time_line() {
        let stat = "cpu  1 2 3\nintr 5\nbtime 1700000000\nprocesses 9\n";
        assert_eq!(parse::boot_time(stat), Some(1_700_000_000));
        assert_eq!(parse::boot_time("cpu 1\n"), None);
    }

    #[test]
    fn auxv_entries() {
        let word = std::mem::size_of::<usize>();
        let mut auxv = Vec::new();
        for value in [6usize, 4096, 17, 100, 0, 0] {
            auxv.extend_from_slice(&value.to_ne_bytes()[..word]);
        }
        assert_eq!(parse::auxv_entry(&auxv, 6), Some(4096));
        assert_eq!(parse::auxv_entry(&auxv, 17), Some(100));
        assert_eq!(parse::auxv_entry(&auxv, 3), None);
        assert_eq!(parse::auxv_entry(&auxv[..word + 1], 6), None);
    }
}
