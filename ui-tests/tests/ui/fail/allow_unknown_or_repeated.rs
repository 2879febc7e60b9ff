use oxios_metrics::{Counter, Metrics};

#[derive(Metrics)]
pub struct Legacy {
    /// Requests.
    #[metric(allow(no_total))]
    pub requests: Counter,
    /// Requests by type word.
    #[metric(allow(type_word, type_word))]
    pub requests_counter: Counter,
    /// Anything.
    #[metric(allow(everything))]
    pub other: Counter,
}

fn main() {}
