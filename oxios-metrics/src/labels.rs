//! Label sets: what `#[derive(LabelValue)]` and `#[derive(LabelSet)]` implement.
//!
//! A label set whose every field has a fixed number of values (enums deriving `LabelValue`,
//! `bool`) is *fixed*: its family is a dense array indexed by the set's ordinal, built in const
//! context. A set with an open field (`String`, integers, ...) is *dynamic*: its family is a
//! bounded map (see [`Family`](crate::Family)).

use std::borrow::Cow;
use std::hash::Hash;
use std::sync::Arc;

use crate::encode::{LabelWriter, WriteLabels};
use crate::family::SeriesStorage;
use crate::metric::FamilyMember;

/// A label value drawn from a fixed set, such as a fieldless enum.
///
/// Derived with `#[derive(LabelValue)]`, which also makes the type a one-label
/// [`LabelSet`] whose label name is the type's name in snake_case.
pub trait LabelValue: Copy + Send + Sync + 'static {
    /// How many values there are.
    const CARDINALITY: usize;
    /// Each value's text, indexed by ordinal, already escaped for the exposition.
    const VALUES: &'static [&'static str];
    /// This value's position in [`VALUES`](Self::VALUES).
    fn ordinal(self) -> usize;
}

impl LabelValue for bool {
    const CARDINALITY: usize = 2;
    const VALUES: &'static [&'static str] = &["false", "true"];
    #[inline]
    fn ordinal(self) -> usize {
        usize::from(self)
    }
}

/// A set of labels keying the series of a [`Family`](crate::Family).
///
/// Derived on a struct with named fields (`#[derive(LabelSet)]`, one label per field) or on
/// a fieldless enum (`#[derive(LabelValue)]`, one label named after the type). A bare
/// `String` or integer is not a label set: it has no label name.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a label set: a family is keyed by a struct deriving `LabelSet` or an enum deriving `LabelValue`",
    label = "not a label set",
    note = "wrap the value in a struct whose field names the label: `#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)] pub struct Peer {{ pub peer: String }}`, then key the family with `Family<Peer, ...>`"
)]
pub trait LabelSet: WriteLabels + Send + Sync + Sized + 'static {
    /// The label names, in the order they are written.
    const LABEL_NAMES: &'static [&'static str];
    /// How a family keyed by this set stores its series: a dense array for fixed sets
    /// ([`DenseSeries`](crate::family::DenseSeries)), a bounded map for dynamic ones
    /// ([`DynamicSeries`](crate::family::DynamicSeries)).
    type Storage<M: FamilyMember>: SeriesStorage<Self, M>;
}

/// A label set with a fixed number of combinations, numbered densely from 0.
pub trait FixedLabelSet: LabelSet {
    /// The number of combinations.
    const CARDINALITY: usize;
    /// This combination's number, below [`CARDINALITY`](Self::CARDINALITY).
    fn ordinal(&self) -> usize;
    /// Writes the labels of combination `ordinal`, without building the set.
    fn write_labels_at(ordinal: usize, writer: &mut LabelWriter<'_>);
}

/// A value that can be written as one label of a label set: fixed values (via
/// [`LabelValue`]) and open ones (strings, integers).
pub trait EncodeLabelValue {
    /// Writes `name="value"`.
    fn encode_label(&self, name: &str, writer: &mut LabelWriter<'_>);
}

impl<T: LabelValue> EncodeLabelValue for T {
    #[inline]
    fn encode_label(&self, name: &str, writer: &mut LabelWriter<'_>) {
        writer.label_escaped(name, T::VALUES[self.ordinal()]);
    }
}

macro_rules! encode_string_like {
    ($($ty:ty),*) => {$(
        impl EncodeLabelValue for $ty {
            fn encode_label(&self, name: &str, writer: &mut LabelWriter<'_>) {
                writer.label(name, self);
            }
        }
    )*};
}
encode_string_like!(String, &'static str, Box<str>, Arc<str>, Cow<'static, str>);

macro_rules! encode_signed {
    ($($ty:ty),*) => {$(
        impl EncodeLabelValue for $ty {
            fn encode_label(&self, name: &str, writer: &mut LabelWriter<'_>) {
                writer.label_i128(name, i128::from(*self));
            }
        }
    )*};
}
encode_signed!(i8, i16, i32, i64, i128);

macro_rules! encode_unsigned {
    ($($ty:ty),*) => {$(
        impl EncodeLabelValue for $ty {
            fn encode_label(&self, name: &str, writer: &mut LabelWriter<'_>) {
                writer.label_u128(name, u128::from(*self));
            }
        }
    )*};
}
encode_unsigned!(u8, u16, u32, u64, u128);

impl EncodeLabelValue for usize {
    fn encode_label(&self, name: &str, writer: &mut LabelWriter<'_>) {
        writer.label_u128(name, *self as u128);
    }
}

impl EncodeLabelValue for isize {
    fn encode_label(&self, name: &str, writer: &mut LabelWriter<'_>) {
        writer.label_i128(name, *self as i128);
    }
}

/// Marker for the open label values a dynamic family can hash and store.
pub trait OpenLabelSet: LabelSet + Clone + Eq + Hash {}
impl<T: LabelSet + Clone + Eq + Hash> OpenLabelSet for T {}

/// Writes the labels of combination `ordinal` of a fixed set `L`.
pub(crate) struct OrdinalLabels<L> {
    pub(crate) ordinal: usize,
    pub(crate) set: std::marker::PhantomData<fn() -> L>,
}

impl<L: FixedLabelSet> WriteLabels for OrdinalLabels<L> {
    fn write_labels(&self, writer: &mut LabelWriter<'_>) {
        L::write_labels_at(self.ordinal, writer);
    }
}
