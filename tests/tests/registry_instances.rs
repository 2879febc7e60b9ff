//! Thousands of per-instance groups in the same families: registering or dropping one more
//! costs about the same however many are registered (it used to copy every member of the
//! family, so 4,000 instances took 1.8 s to register). Measured in bytes allocated, which
//! does not depend on the machine's load.

use std::sync::Arc;

use oxios_metrics::{
    DefinitionSite, Format, Gauge, MetricDesc, MetricGroup, MetricType, MetricVisitor,
    Registration, Registry,
};
use oxios_metrics_tests::counting_alloc::{requested_bytes, CountingAllocator};

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

/// One connection's metrics, registered under a `connection` label.
struct Connection {
    bytes: MetricDesc,
    open: MetricDesc,
    bytes_value: Gauge,
    open_value: Gauge,
}

impl MetricGroup for Connection {
    fn visit(&self, visitor: &mut dyn MetricVisitor) {
        visitor.metric(&self.bytes, &self.bytes_value);
        visitor.metric(&self.open, &self.open_value);
    }
}

fn connection() -> Arc<Connection> {
    let site = DefinitionSite::new("registry_instances.rs", 1, 1);
    Arc::new(Connection {
        bytes: MetricDesc::from_strings("conn_bytes", "Bytes queued.", MetricType::Gauge, site),
        open: MetricDesc::from_strings("conn_open", "Open.", MetricType::Gauge, site),
        bytes_value: Gauge::new(),
        open_value: Gauge::new(),
    })
}

fn register(registry: &Registry, instance: usize) -> Registration {
    registry
        .sub_registry_with_label("connection", &instance.to_string())
        .unwrap()
        .register_shared(connection())
        .unwrap()
}

/// Bytes allocated by registering instance `instance` and then dropping it again.
fn cost_of_one_more(registry: &Registry, instance: usize) -> (usize, usize) {
    let before = requested_bytes();
    let registration = register(registry, instance);
    let registered = requested_bytes() - before;
    let before = requested_bytes();
    drop(registration);
    (registered, requested_bytes() - before)
}

#[test]
fn one_more_instance_costs_the_same_among_thousands() {
    let registry = Registry::new();
    let mut kept: Vec<Registration> = (0..100).map(|i| register(&registry, i)).collect();
    let (register_early, drop_early) = cost_of_one_more(&registry, 1_000_000);
    kept.extend((100..4_000).map(|i| register(&registry, i)));
    let (register_late, drop_late) = cost_of_one_more(&registry, 1_000_001);
    // Copying 4,000 members would be some 40 times the early cost; a few chunk pointers more
    // are not.
    assert!(
        register_late <= 2 * register_early,
        "registering: {register_early} bytes among 100, {register_late} among 4,000"
    );
    assert!(
        drop_late <= 2 * drop_early + 1024,
        "dropping: {drop_early} bytes among 100, {drop_late} among 4,000"
    );
    // Every instance is still there, in registration order.
    let text = registry.render(Format::Prometheus);
    assert_eq!(text.matches("conn_bytes{connection=").count(), 4_000);
    let first = text.find("conn_bytes{connection=\"0\"}").unwrap();
    let last = text.find("conn_bytes{connection=\"3999\"}").unwrap();
    assert!(first < last);
    drop(kept);
    assert_eq!(registry.render(Format::Prometheus), "");
}
