//! `Family::get_ref` finds the same series as `get`, for fixed and dynamic label sets, and a
//! dynamic family clones a label set only when it creates its series.

use oxios_metrics::{Counter, Family, Format, MetricType};
use oxios_metrics_tests::{desc, registry_with, Method, L};

#[test]
fn get_ref_and_get_share_series_in_a_fixed_family() {
    static FAMILY: Family<Method, Counter> = Family::new();
    FAMILY.get_ref(&Method::Get).add(2);
    FAMILY.get(Method::Get).inc();
    FAMILY.get_ref(&Method::Post).inc();
    assert_eq!(FAMILY.get(Method::Get).get(), 3);
    assert_eq!(FAMILY.get_ref(&Method::Post).get(), 1);
    assert_eq!(FAMILY.series_count(), 2);
}

#[test]
fn get_ref_in_a_dynamic_family_creates_once_and_respects_the_bound() {
    static FAMILY: Family<L, Counter> = Family::new().with_max_series(2);
    let ada = L("ada".into());
    let bob = L("bob".into());
    for _ in 0..5 {
        FAMILY.get_ref(&ada).inc();
    }
    FAMILY.get(bob.clone()).inc();
    FAMILY.get_ref(&bob).inc();
    assert_eq!(FAMILY.series_count(), 2);
    // Full: a third label set, by reference or by value, goes to the overflow series.
    FAMILY.get_ref(&L("eve".into())).inc();
    FAMILY.get(L("mallory".into())).inc();
    assert_eq!(FAMILY.series_count(), 2);
    assert_eq!(FAMILY.overflowed_lookups(), 2);
    let registry = registry_with(vec![(
        desc("users", "Users.", MetricType::Counter, "f.rs", 1),
        &FAMILY,
    )]);
    let text = registry.render(Format::Prometheus);
    assert!(text.contains("users_total{l=\"ada\"} 5\n"), "{text}");
    assert!(text.contains("users_total{l=\"bob\"} 2\n"), "{text}");
    assert!(
        text.contains("users_total{series_overflow=\"true\"} 2\n"),
        "{text}"
    );
}
