//! Units, descriptions and buckets of facade metrics: converted to base units, HELP from
//! `describe_*!` whenever it comes, buckets chosen by name, and `absolute` on counters.

mod facade_support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

use facade_support::{
    assert_checkers_accept, emit, recorder, recorder_with, rewritten, samples, value,
};
use metrics::Unit;
use oxios_metrics::facade::{FacadeRecorder, Matcher, DEFAULT_HELP};
use oxios_metrics::{Buckets, Format};

#[test]
fn non_base_units_are_converted_as_values_are_recorded() {
    let (registry, recorder) = recorder();
    emit(&recorder, || {
        metrics::describe_counter!("gc.pause_ms", Unit::Milliseconds, "GC pauses.");
        metrics::describe_gauge!("heap", Unit::Mebibytes, "Heap in use.");
        metrics::describe_gauge!("cpu.usage", Unit::Percent, "CPU in use.");
        metrics::describe_histogram!("rpc.time", Unit::Microseconds, "RPC time.");
        metrics::describe_gauge!("link.speed", Unit::MegabitsPerSecond, "Link speed.");
        metrics::counter!("gc.pause_ms").increment(1500);
        metrics::counter!("gc.pause_ms").increment(250);
        metrics::gauge!("heap").set(3.0);
        metrics::gauge!("cpu.usage").set(42.0);
        metrics::histogram!("rpc.time").record(250.0);
        metrics::gauge!("link.speed").set(100.0);
    });
    let text = registry.render(Format::Prometheus);
    assert_eq!(
        samples(&text, "gc_pause_seconds_total"),
        ["gc_pause_seconds_total 1.75"]
    );
    assert_eq!(samples(&text, "heap_bytes"), ["heap_bytes 3.145728e+06"]);
    assert_eq!(samples(&text, "cpu_usage_ratio"), ["cpu_usage_ratio 0.42"]);
    assert_eq!(
        value(&text, "rpc_time_seconds_sum").as_deref(),
        Some("0.00025")
    );
    assert!(
        text.contains("rpc_time_seconds_bucket{le=\"0.005\"} 1\n"),
        "{text}"
    );
    // A rate has no base unit: the values stay as recorded, without a unit.
    assert_eq!(samples(&text, "link_speed"), ["link_speed 100"]);
    assert_eq!(rewritten(&registry, "unit"), 1);
    let open = registry.render(Format::OpenMetrics);
    for unit in [
        "# UNIT gc_pause_seconds seconds\n",
        "# UNIT heap_bytes bytes\n",
        "# UNIT cpu_usage_ratio ratio\n",
        "# UNIT rpc_time_seconds seconds\n",
    ] {
        assert!(open.contains(unit), "missing {unit:?} in\n{open}");
    }
    assert!(!open.contains("# UNIT link_speed"), "{open}");
    assert_checkers_accept(&registry);
}

#[test]
fn a_description_after_first_use_replaces_the_help_without_a_gap() {
    let (registry, recorder) = recorder();
    emit(&recorder, || metrics::counter!("orders").increment(1));
    let text = registry.render(Format::Prometheus);
    assert!(
        text.contains(&format!("# HELP orders_total {DEFAULT_HELP}\n")),
        "{text}"
    );

    // A scraper running meanwhile sees the family in every scrape, under one HELP.
    let stop = Arc::new(AtomicBool::new(false));
    let scraper = {
        let registry = registry.clone();
        let stop = stop.clone();
        thread::spawn(move || {
            let mut scrapes = 0u64;
            while !stop.load(Ordering::Relaxed) || scrapes == 0 {
                let text = registry.render(Format::Prometheus);
                assert_eq!(text.matches("# HELP orders_total ").count(), 1, "{text}");
                assert!(text.contains("orders_total 1\n"), "{text}");
                scrapes += 1;
                assert!(
                    scrapes < 10_000_000,
                    "the scraper runs a bounded number of times"
                );
            }
            scrapes
        })
    };
    emit(&recorder, || {
        for round in 0..50 {
            let help = format!("Orders placed (revision {round}).");
            metrics::describe_counter!("orders", help);
        }
    });
    stop.store(true, Ordering::Relaxed);
    assert!(scraper.join().expect("the scraper saw every scrape whole") > 0);

    emit(&recorder, || metrics::counter!("orders").increment(1));
    let text = registry.render(Format::Prometheus);
    assert!(
        text.contains("# HELP orders_total Orders placed (revision 49).\n# TYPE orders_total counter\norders_total 2\n"),
        "{text}"
    );
    assert_checkers_accept(&registry);
}

#[test]
fn a_unit_described_after_first_use_is_left_off_and_counted() {
    let (registry, recorder) = recorder();
    emit(&recorder, || {
        metrics::histogram!("render.time").record(5.0);
        metrics::describe_histogram!("render.time", Unit::Milliseconds, "Render time.");
        metrics::histogram!("render.time").record(5.0);
        // The base unit it already has costs nothing.
        metrics::describe_gauge!("depth", "Queue depth.");
        metrics::gauge!("depth").set(1.0);
        metrics::describe_gauge!("depth", Unit::Count, "Queue depth.");
    });
    let text = registry.render(Format::Prometheus);
    assert!(text.contains("# HELP render_time Render time.\n"), "{text}");
    assert_eq!(value(&text, "render_time_sum").as_deref(), Some("10"));
    assert_eq!(rewritten(&registry, "unit"), 1);
    assert_checkers_accept(&registry);
}

#[test]
fn buckets_follow_the_first_matching_rule() {
    let fast = Buckets::from_vec(vec![0.001, 0.01, 0.1]).unwrap();
    let sizes = Buckets::from_vec(vec![10.0, 100.0]).unwrap();
    let (registry, recorder) = recorder_with(
        FacadeRecorder::builder()
            .buckets(Matcher::Prefix("cache_".into()), fast)
            .buckets(Matcher::Full("payload_bytes".into()), sizes)
            .default_buckets(Buckets::from_vec(vec![1.0, 2.0]).unwrap()),
    );
    emit(&recorder, || {
        metrics::describe_histogram!("cache.lookup", Unit::Seconds, "Cache lookups.");
        metrics::histogram!("cache.lookup").record(0.005);
        metrics::histogram!("payload_bytes").record(50.0);
        metrics::histogram!("frame_bytes").record(50.0);
        metrics::histogram!("retries").record(1.0);
    });
    let text = registry.render(Format::Prometheus);
    let bounds = |family: &str| -> Vec<String> {
        samples(&text, &format!("{family}_bucket"))
            .iter()
            .map(|line| {
                line.split("le=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    assert_eq!(
        bounds("cache_lookup_seconds"),
        ["0.001", "0.01", "0.1", "+Inf"]
    );
    assert_eq!(bounds("payload_bytes"), ["10", "100", "+Inf"]);
    // The built-in rule for `_bytes` still applies after the given ones.
    assert_eq!(bounds("frame_bytes").len(), 11);
    assert_eq!(bounds("retries"), ["1", "2", "+Inf"]);
    // Never a summary.
    assert!(!text.contains("summary"), "{text}");
    assert_checkers_accept(&registry);
}

#[test]
fn absolute_raises_a_counter_and_never_lowers_it() {
    let (registry, recorder) = recorder();
    emit(&recorder, || {
        let synced = metrics::counter!("synced");
        synced.absolute(10);
        synced.absolute(4);
        synced.increment(1);
        synced.absolute(20);
        metrics::describe_counter!("synced_kb", Unit::Kibibytes, "Synced data.");
        metrics::counter!("synced_kb").absolute(2);
        metrics::describe_counter!("uptime_ms", Unit::Milliseconds, "Uptime.");
        metrics::counter!("uptime_ms").absolute(1500);
        metrics::counter!("uptime_ms").absolute(1000);
    });
    let text = registry.render(Format::Prometheus);
    assert_eq!(samples(&text, "synced_total"), ["synced_total 20"]);
    assert_eq!(
        samples(&text, "synced_bytes_total"),
        ["synced_bytes_total 2048"]
    );
    assert_eq!(
        samples(&text, "uptime_seconds_total"),
        ["uptime_seconds_total 1.5"]
    );
    assert_checkers_accept(&registry);
}

#[test]
fn handles_kept_by_the_caller_record_without_the_recorder() {
    let (registry, recorder) = recorder();
    let (counter, gauge, histogram) = metrics::with_local_recorder(&recorder, || {
        (
            metrics::counter!("kept_events"),
            metrics::gauge!("kept_level"),
            metrics::histogram!("kept_seconds"),
        )
    });
    // Outside the recorder's scope: the handles still write into their series.
    counter.increment(3);
    gauge.set(7.0);
    gauge.decrement(2.0);
    histogram.record(0.5);
    histogram.record_many(0.5, 3);
    let text = registry.render(Format::Prometheus);
    assert_eq!(samples(&text, "kept_events_total"), ["kept_events_total 3"]);
    assert_eq!(samples(&text, "kept_level"), ["kept_level 5"]);
    assert_eq!(value(&text, "kept_seconds_count").as_deref(), Some("4"));
    assert_eq!(value(&text, "kept_seconds_sum").as_deref(), Some("2"));
}
