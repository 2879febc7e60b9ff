//! The facade installed for the whole program: `metrics` macros anywhere (any thread, no
//! local recorder) land in the global registry beside the declared groups registered there.

mod facade_support;

use facade_support::{assert_checkers_accept, samples};
use oxios_metrics::facade::{self, FacadeRecorder, InstallError};
use oxios_metrics::{global, Counter, Format, Metrics};

#[derive(Metrics)]
#[metrics(prefix = "svc")]
pub struct Service {
    /// Requests served.
    pub requests: Counter,
}

static SERVICE: Service = Service::new();

#[test]
fn the_installed_recorder_writes_into_the_global_registry() {
    global().register(&SERVICE).unwrap();
    let recorder = facade::install().expect("the first recorder installs");
    SERVICE.requests.inc();
    std::thread::spawn(|| {
        metrics::describe_counter!("worker.batches", "Batches processed by the worker.");
        metrics::counter!("worker.batches", "queue" => "default").increment(2);
    })
    .join()
    .unwrap();
    metrics::gauge!("svc_limit").set(8.0);

    let text = global().render(Format::Prometheus);
    assert_eq!(
        samples(&text, "svc_requests_total"),
        ["svc_requests_total 1"]
    );
    assert_eq!(
        samples(&text, "worker_batches_total"),
        ["worker_batches_total{queue=\"default\"} 2"]
    );
    // `svc_limit` is not a declared name, so it is the facade's.
    assert_eq!(samples(&text, "svc_limit"), ["svc_limit 8"]);
    assert_eq!(recorder.family_count(), 2);
    assert_checkers_accept(global());

    // The `metrics` crate takes one global recorder; a second one is an error, not a panic.
    let other = oxios_metrics::Registry::new();
    let second = FacadeRecorder::builder().registry(&other).build().unwrap();
    assert!(matches!(
        second.install(),
        Err(InstallError::AlreadyInstalled)
    ));
    // And a second recorder on the global registry cannot even be built.
    assert!(matches!(facade::install(), Err(InstallError::Register(_))));
}
