//! Hostile label values: a dynamic family fed a million distinct values stays within
//! `max_series` (live heap measured before and after), with every observation in a series or
//! the overflow series; huge and strange strings survive promtool and an OpenMetrics parser.

use oxios_metrics::{Counter, Family, Format, MetricType};
use oxios_metrics_tests::counting_alloc::{live_bytes, CountingAllocator};
use oxios_metrics_tests::{
    desc, openmetrics_parse, promtool_check, registry_with, resident_kib, Checked, L,
};

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

/// The tests of this binary run one at a time, so one's allocations never count in another's.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn a_million_distinct_values_stay_within_max_series() {
    const MAX_SERIES: usize = 1000;
    const DISTINCT: u64 = 1_000_000;
    static FAMILY: Family<L, Counter> = Family::new().with_max_series(MAX_SERIES);
    let _alone = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);

    let live_before = live_bytes();
    let rss_before = resident_kib();
    for index in 0..DISTINCT {
        FAMILY
            .get(L(format!("user-{index:07}-\"hostile\"\n")))
            .inc();
    }
    let live_after = live_bytes();
    let rss_after = resident_kib();
    let held = live_after - live_before;
    eprintln!(
        "1,000,000 distinct label sets: {} series, {} overflowed lookups, live heap +{} KiB, RSS {} -> {} KiB",
        FAMILY.series_count(),
        FAMILY.overflowed_lookups(),
        held / 1024,
        rss_before,
        rss_after
    );
    assert_eq!(FAMILY.series_count(), MAX_SERIES);
    assert_eq!(FAMILY.overflowed_lookups(), DISTINCT - MAX_SERIES as u64);
    // 1,000 series of ~30-byte labels, the map and the arena: well under 1 MiB. Without the
    // bound, a million label sets would hold over 60 MiB.
    assert!(held < 1024 * 1024, "live heap grew by {held} bytes");

    let registry = registry_with(vec![(
        desc("messages", "Messages.", MetricType::Counter, "h.rs", 1),
        &FAMILY,
    )]);
    let text = registry.render(Format::Prometheus);
    let overflow_line = text
        .lines()
        .find(|line| line.starts_with("messages_total{series_overflow=\"true\"}"))
        .expect("an overflow series");
    assert_eq!(
        overflow_line,
        format!(
            "messages_total{{series_overflow=\"true\"}} {}",
            DISTINCT - 1000
        )
    );
    let samples: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("messages_total"))
        .collect();
    let total: u64 = samples
        .iter()
        .map(|line| line.rsplit(' ').next().unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(total, DISTINCT, "no observation lost");
    assert_eq!(samples.len(), MAX_SERIES + 1);
    let expected_tail = format!(
        "# TYPE oxios_metrics_series_overflow_total counter\n\
         oxios_metrics_series_overflow_total{{family=\"messages\",reason=\"max_series\"}} {}\n",
        DISTINCT - 1000
    );
    assert!(
        text.ends_with(&expected_tail),
        "the registry exposes the overflow count"
    );
}

#[test]
fn strange_and_huge_strings_survive_both_parsers() {
    let _alone = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let big = "x\\\"\n".repeat(16 * 1024); // 64 KiB of characters that all need escaping
    let values = [
        String::new(),
        "\\".to_owned(),
        "\"".to_owned(),
        "\n".to_owned(),
        "\\n".to_owned(),
        "ünïcödé 𝄞 €".to_owned(),
        "} # HELP fake\nfake_total 1".to_owned(),
        "a".repeat(64 * 1024),
        big.clone(),
    ];
    let help: &'static str = Box::leak(
        format!(
            "HELP with \\ and \" and\nnewline and {}",
            "h".repeat(65_536)
        )
        .into_boxed_str(),
    );
    // Past the default label-byte bound on purpose: these values must survive the parsers.
    let family: &'static Family<L, Counter> =
        Box::leak(Box::new(Family::new().with_max_label_bytes(1 << 20)));
    for (count, value) in values.iter().enumerate() {
        family.get(L(value.clone())).add(count as u64 + 1);
    }
    let registry = registry_with(vec![(
        desc("strange", help, MetricType::Counter, "h.rs", 1),
        family,
    )]);
    if let Checked::Ran(said) = promtool_check(&registry.render(Format::Prometheus)) {
        assert_eq!(said, "", "promtool");
    }
    let Checked::Ran(said) = openmetrics_parse(&registry.render(Format::OpenMetrics)) else {
        return;
    };
    assert!(
        !said.contains("Traceback"),
        "{}",
        &said[..said.len().min(2000)]
    );
    assert_eq!(
        said.lines().count(),
        values.len(),
        "one sample per label value"
    );
    for (line, count) in said.lines().zip(1..) {
        assert!(
            line.ends_with(&format!(" {count}")),
            "sample order and value: {}",
            &line[..line.len().min(200)]
        );
    }
    assert!(said.contains(&format!("l='{}'", "a".repeat(64 * 1024))));
}
