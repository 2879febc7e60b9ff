//! Encoding 10,000 series in text 0.0.4 and OpenMetrics into a reused buffer.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use oxios_metrics_benches::encode_criterion;
use oxios_metrics_benches::exposition::{expositions, FORMATS};
use oxios_metrics_benches::workload::ENCODE_SERIES;

fn encode(c: &mut Criterion) {
    for format in FORMATS {
        let mut group = c.benchmark_group(format!("encode_10k_{}", format.id()));
        group.throughput(Throughput::Elements(ENCODE_SERIES as u64));
        for (name, mut exposition) in expositions(format) {
            // The first scrape sizes the buffer; the benchmark measures the ones after it.
            exposition.encode();
            group.bench_function(name, |b| b.iter(|| exposition.encode()));
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = encode_criterion();
    targets = encode
}
criterion_main!(benches);
