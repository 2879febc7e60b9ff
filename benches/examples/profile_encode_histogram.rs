//! Scrapes a family of 1,000 classic histogram series (10 buckets each) repeatedly, for a
//! profiler or for `scripts/instructions.py`:
//!
//! ```sh
//! cargo build --release -p oxios-metrics-benches --example profile_encode_histogram
//! valgrind --tool=callgrind target/release/examples/profile_encode_histogram dynamic prometheus 20
//! ```
//!
//! Arguments: `dynamic` (a `String` label, one series per path) or `fixed` (three enum labels
//! of ten values each: every one of the 1,000 combinations), then `prometheus`, `openmetrics`
//! or `protobuf`, then the number of scrapes. Prints the bytes of the last scrape.

use oxios_metrics::{Family, Format, Histogram, LabelSet, LabelValue, Metrics, Registry};
use oxios_metrics_benches::oxios_labels::Path;
use oxios_metrics_benches::workload::{observations, BUCKETS};

/// Series in the family.
const SERIES: usize = 1000;

/// One decimal digit, as a label value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
enum Digit {
    D0,
    D1,
    D2,
    D3,
    D4,
    D5,
    D6,
    D7,
    D8,
    D9,
}

impl Digit {
    fn of(value: usize) -> Digit {
        use Digit::*;
        [D0, D1, D2, D3, D4, D5, D6, D7, D8, D9][value % 10]
    }
}

/// Three digits: 1,000 fixed combinations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Cell {
    hundreds: Digit,
    tens: Digit,
    units: Digit,
}

#[derive(Metrics)]
struct Dynamic {
    /// Request duration, by path.
    #[metric(unit = "seconds", buckets = BUCKETS)]
    request_duration: Family<Path, Histogram>,
}

#[derive(Metrics)]
struct Fixed {
    /// Step duration, by cell.
    #[metric(unit = "seconds", buckets = BUCKETS)]
    step_duration: Family<Cell, Histogram>,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let kind = args.next().unwrap_or_else(|| "dynamic".to_owned());
    let format = match args.next().as_deref() {
        Some("openmetrics") => Format::OpenMetrics,
        Some("protobuf") => Format::Protobuf,
        _ => Format::Prometheus,
    };
    let scrapes: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(20);
    let values = observations();
    let registry = Registry::new();
    // Each series sees 20 observations spread over its buckets.
    let observe = |index: usize, histogram: oxios_metrics::HistogramRef<'_>| {
        for step in 0..20 {
            histogram.observe(values[(index * 20 + step) % values.len()]);
        }
    };
    match kind.as_str() {
        "fixed" => {
            let group = Fixed::new();
            for index in 0..SERIES {
                let cell = Cell {
                    hundreds: Digit::of(index / 100),
                    tens: Digit::of(index / 10),
                    units: Digit::of(index),
                };
                observe(index, group.step_duration.get(cell));
            }
            registry.register_owned(Box::new(group)).expect("registers");
        }
        _ => {
            let group = Dynamic::new();
            for index in 0..SERIES {
                let path = Path {
                    path: format!("/api/v1/items/{index}"),
                };
                observe(index, group.request_duration.get(path));
            }
            registry.register_owned(Box::new(group)).expect("registers");
        }
    }
    let mut buffer = Vec::new();
    for _ in 0..scrapes {
        buffer.clear();
        registry.encode_to_vec(&mut buffer, format);
    }
    println!("{} bytes", buffer.len());
}
