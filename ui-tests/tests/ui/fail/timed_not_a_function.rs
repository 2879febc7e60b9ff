use oxios_metrics::timed;

#[timed]
struct Config {
    value: u8,
}

#[timed]
impl Config {
    fn value(&self) -> u8 {
        self.value
    }
}

trait Work {
    #[timed]
    fn run(&self);
}

fn main() {}
