//! The Linux process collector: plausible values read from `/proc`, and an exposition that
//! Prometheus' own linter accepts.
#![cfg(target_os = "linux")]

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use oxios_metrics::process::ProcessCollector;
use oxios_metrics::{Format, Registry};
use oxios_metrics_tests::{openmetrics_parse, promtool_check, Checked};

const FAMILIES: [(&str, &str); 7] = [
    ("process_cpu_seconds_total", "counter"),
    ("process_resident_memory_bytes", "gauge"),
    ("process_virtual_memory_bytes", "gauge"),
    ("process_open_fds", "gauge"),
    ("process_max_fds", "gauge"),
    ("process_start_time_seconds", "gauge"),
    ("process_threads", "gauge"),
];

fn sample(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("no sample {name} in:\n{text}"))
        .parse()
        .unwrap()
}

#[test]
fn values_are_plausible() {
    let snapshot = ProcessCollector::new().snapshot();
    let rss = snapshot.resident_memory_bytes.expect("rss readable");
    let vsize = snapshot.virtual_memory_bytes.expect("vsize readable");
    assert!(rss > 0.0, "rss {rss}");
    assert!(vsize >= rss, "virtual {vsize} < resident {rss}");
    let open = snapshot.open_fds.expect("fds readable");
    assert!(open >= 3.0, "open fds {open}");
    let max = snapshot.max_fds.expect("limits readable");
    assert!(max >= open, "max fds {max} < open {open}");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    let start = snapshot.start_time_seconds.expect("start time readable");
    // The tick granularity and btime's whole seconds allow a small error either way.
    assert!(start <= now + 2.0, "started {start} after now {now}");
    assert!(
        start > now - 86_400.0,
        "started {start}, more than a day before {now}"
    );
    assert!(snapshot.threads.expect("threads readable") >= 1.0);
    assert!(snapshot.cpu_seconds.expect("cpu readable") >= 0.0);
}

#[test]
fn cpu_seconds_rise_with_busy_work() {
    let collector = ProcessCollector::new();
    let before = collector.snapshot().cpu_seconds.unwrap();
    // Busy work until the counter has risen by a tenth of a second; on a loaded machine that
    // can take more wall time, so the bound is generous and only a counter that never moves
    // fails.
    let started = Instant::now();
    let mut x: u64 = 1;
    let mut after = before;
    while after < before + 0.1 && started.elapsed() < Duration::from_secs(20) {
        for _ in 0..1_000_000 {
            x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
        }
        let now = collector.snapshot().cpu_seconds.unwrap();
        assert!(now >= after, "cpu seconds went backwards: {after} -> {now}");
        after = now;
    }
    assert!(
        after >= before + 0.1,
        "cpu seconds went from {before} to {after} over {:?} of busy work",
        started.elapsed()
    );
}

#[test]
fn threads_and_fds_follow_the_process() {
    let collector = ProcessCollector::new();
    let threads_before = collector.snapshot().threads.unwrap();
    let (ready, is_ready) = std::sync::mpsc::channel::<()>();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let released = std::sync::Arc::new(std::sync::Mutex::new(released));
    let helpers: Vec<_> = (0..4)
        .map(|_| {
            let (ready, released) = (ready.clone(), released.clone());
            std::thread::spawn(move || {
                ready.send(()).unwrap();
                // Stay alive until the main thread has looked.
                let _ = released.lock().unwrap().recv();
            })
        })
        .collect();
    for _ in 0..4 {
        is_ready.recv().unwrap();
    }
    let threads_during = collector.snapshot().threads.unwrap();
    drop(release);
    for helper in helpers {
        helper.join().unwrap();
    }
    // Other tests of this binary run threads too, so only a floor can be asserted: the four
    // helpers are alive, and at most the other tests' threads (a handful) may have ended.
    assert!(
        threads_during >= 5.0,
        "threads {threads_before} -> {threads_during} with 4 helpers alive"
    );
    let files: Vec<std::fs::File> = (0..20)
        .map(|_| std::fs::File::open("/proc/self/stat").unwrap())
        .collect();
    let fds_during = collector.snapshot().open_fds.unwrap();
    assert!(
        fds_during >= 3.0 + files.len() as f64,
        "open fds {fds_during} with {} files and stdio open",
        files.len()
    );
}

#[test]
fn exposition_has_every_family_and_passes_promtool() {
    let registry = Registry::new();
    ProcessCollector::register(&registry).unwrap();
    let text = registry.render(Format::Prometheus);
    for (name, kind) in FAMILIES {
        assert!(
            text.contains(&format!("# TYPE {name} {kind}\n")),
            "{name}:\n{text}"
        );
        assert!(sample(&text, name).is_finite() || name == "process_max_fds");
    }
    assert!(sample(&text, "process_resident_memory_bytes") > 0.0);
    match promtool_check(&text) {
        Checked::Ran(said) => assert_eq!(said, "", "promtool on:\n{text}"),
        Checked::Missing => {}
    }
}

#[test]
fn openmetrics_exposition_names_units_and_counter_family() {
    let registry = Registry::new();
    ProcessCollector::register(&registry).unwrap();
    let text = registry.render(Format::OpenMetrics);
    assert!(
        text.contains("# TYPE process_cpu_seconds counter\n# UNIT process_cpu_seconds seconds\n")
    );
    assert!(text.contains("\nprocess_cpu_seconds_total "));
    assert!(text.contains("# UNIT process_resident_memory_bytes bytes\n"));
    assert!(text.contains("# UNIT process_start_time_seconds seconds\n"));
    assert!(text.ends_with("# EOF\n"));
    // A float gauge in OpenMetrics always carries a `.` or an exponent.
    let threads = text
        .lines()
        .find_map(|line| line.strip_prefix("process_threads "))
        .unwrap();
    assert!(threads.contains('.') || threads.contains('e'), "{threads}");
    // An independent OpenMetrics parser reads every family back.
    if let Checked::Ran(said) = openmetrics_parse(&text) {
        for expected in [
            "counter process_cpu_seconds_total{}",
            "gauge process_resident_memory_bytes{}",
            "gauge process_virtual_memory_bytes{}",
            "gauge process_open_fds{}",
            "gauge process_max_fds{}",
            "gauge process_start_time_seconds{}",
            "gauge process_threads{}",
        ] {
            assert!(said.contains(expected), "{expected} missing from:\n{said}");
        }
    }
}

#[test]
fn registering_twice_is_an_error_naming_the_metric() {
    let registry = Registry::new();
    ProcessCollector::register(&registry).unwrap();
    let error = ProcessCollector::register(&registry).unwrap_err();
    assert!(error.to_string().contains("process_cpu_seconds"), "{error}");
    // The first registration is intact: one family each.
    let text = registry.render(Format::Prometheus);
    assert_eq!(text.matches("# TYPE process_threads gauge").count(), 1);
}
