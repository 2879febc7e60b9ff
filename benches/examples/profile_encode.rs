//! Builds one implementation's 10,000-series exposition and scrapes it repeatedly, for a
//! profiler (the criterion bench builds every implementation first, which hides the scrape):
//!
//! ```sh
//! cargo build --release -p oxios-metrics-benches --example profile_encode
//! valgrind --tool=callgrind target/release/examples/profile_encode oxios-metrics prometheus 20
//! ```
//!
//! Arguments: implementation name (as in `BENCHMARKS.md`), `prometheus`, `openmetrics` or
//! `protobuf`,
//! number of scrapes. Prints the bytes of the last scrape.

use oxios_metrics_benches::exposition::{exposition, TextFormat};

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "oxios-metrics".to_owned());
    let format = match args.next().as_deref() {
        Some("openmetrics") => TextFormat::OpenMetrics,
        Some("protobuf") => TextFormat::Protobuf,
        _ => TextFormat::Prometheus,
    };
    let scrapes: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(20);
    let Some(mut exposition) = exposition(&name, format) else {
        eprintln!("no implementation named {name} writes {format:?}");
        std::process::exit(2);
    };
    for _ in 0..scrapes {
        exposition.encode();
    }
    println!("{} bytes", exposition.output().len());
}
