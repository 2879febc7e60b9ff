use oxios_metrics::LabelValue;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
pub enum Tool<T> {
    Shell,
    Other(std::marker::PhantomData<T>),
}

fn main() {}
