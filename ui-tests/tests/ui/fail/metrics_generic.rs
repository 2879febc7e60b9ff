use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
pub struct AppMetrics<T> {
    /// Requests.
    pub requests: Counter,
    pub marker: std::marker::PhantomData<T>,
}

fn main() {}
