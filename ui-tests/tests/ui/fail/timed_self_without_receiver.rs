use oxios_metrics::{timed, Histogram};

pub struct Service {
    latency: Histogram,
}

#[timed(self.latency)]
fn free_function() {}

impl Service {
    #[timed(self.latency)]
    pub fn associated() {}

    // `self` is fine here, but a const fn cannot read the clock.
    #[timed(self.latency)]
    pub const fn constant(&self) {}
}

fn main() {
    free_function();
    Service::associated();
    let _ = Service { latency: Histogram::new() }.latency;
}
