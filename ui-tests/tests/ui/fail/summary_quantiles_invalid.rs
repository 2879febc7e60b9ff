use oxios_metrics::{Family, LabelValue, Metrics, Summary};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Route {
    Home,
}

#[derive(Metrics)]
pub struct Service {
    /// Empty.
    #[metric(quantiles = [])]
    pub empty: Summary,
    /// Unsorted.
    #[metric(quantiles = [0.9, 0.5])]
    pub unsorted: Summary,
    /// Repeated.
    #[metric(quantiles = [0.5, 0.5, 0.99])]
    pub repeated: Family<Route, Summary>,
    /// Out of range, both ways.
    #[metric(quantiles = [-0.1, 0.5, 1.5])]
    pub out_of_range: Summary,
    /// Not literals.
    #[metric(quantiles = [0.5, "0.9"])]
    pub not_literals: Summary,
    /// Too many.
    #[metric(quantiles = [0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])]
    pub too_many: Summary,
    /// Not a list.
    #[metric(quantiles = 0.5)]
    pub not_a_list: Summary,
}

fn main() {}
