//! Macros of `oxios-metrics`: `#[derive(Metrics)]`, `#[derive(LabelValue)]`,
//! `#[derive(LabelSet)]` and `#[timed]`. Use them through the `oxios-metrics` crate, which
//! re-exports them.

#![forbid(unsafe_code)]

use proc_macro::TokenStream;

mod attr;
mod ctxt;
mod labels;
mod metrics;
mod names;
mod timed;

/// Declares a group of metrics: one metric per named field, checked at compile time.
///
/// Generates `const fn new()` (so the group lives in a `static`) and `MetricGroup`, whose
/// `visit` shows each metric in declaration order with a `static MetricDesc` holding the
/// name, HELP, type, unit, constant labels, the definition site (the field's line) and the
/// header lines of both formats rendered at compile time.
///
/// ```text
/// #[metrics(prefix = "app", labels(region = "eu", ...), crate = path::to::oxios_metrics)]
///
/// /// HELP text (doc lines are trimmed and joined with a space).
/// #[metric(
///     rename = "snake_case_name",        // instead of the field name
///     help = "HELP text",                // instead of the doc comment
///     unit = "seconds",                  // a base unit; appended to the name once
///     buckets = [0.1, 0.5, 1.0],         // or linear(start, width, count),
///                                        // or exponential(start, factor, count)
///     max_series = 1000,                 // bound of a dynamic Family
///     read = path::to::function,         // fn() -> f64 of a CallbackGauge/CallbackCounter
///     labels(version = env!("CARGO_PKG_VERSION")), // the labels of an Info metric
///     nested,                            // a field that is itself a Metrics group
///     skip,                              // not a metric; built with `Type::new()`
/// )]
/// ```
///
/// The metric type comes from the field type: `Counter`, `FloatCounter`, `CallbackCounter`
/// (counters, sample `name_total`), `Gauge`, `FloatGauge`, `CallbackGauge`, `Histogram`,
/// `Info` (sample `name_info`) and `Family<Labels, Metric>`. A const assertion checks that the
/// type's `Metric::METRIC_TYPE` agrees, so an alias cannot lie. A nested group's names get
/// `prefix_` in front of its own and its samples the constant labels of this group.
///
/// Refused at compile time, each on the offending token: invalid names, `:`, a leading
/// `__`, camelCase, a prefix ending in `_`; a counter ending in `_total`, any other type
/// ending in `_total`, `_bucket`/`_count`/`_sum` outside histograms, `_created`, `_info`
/// outside info metrics (and on them: it is added); a metric type word as a name segment;
/// non-base units and abbreviated unit segments (`_ms`, `_kb`, ...); empty, unsorted,
/// repeated, non-finite or too many buckets, or buckets on a non-histogram; invalid,
/// reserved (`le`, `quantile`, `series_overflow`, `__*`) or repeated constant labels, a
/// histogram family labelled `le`, a family label equal to a constant label; missing HELP;
/// two metrics exposing the same sample name; unknown or repeated options; unions, enums,
/// tuple and unit structs, generic structs, and field types that are not metrics. Every
/// error of one derive is reported in the same build.
#[proc_macro_derive(Metrics, attributes(metrics, metric))]
pub fn derive_metrics(input: TokenStream) -> TokenStream {
    derive(input, metrics::derive)
}

/// Makes a fieldless enum a label value, and a one-label fixed label set.
///
/// Values are the variant names in snake_case, escaped at compile time; ordinals follow
/// declaration order (whatever the discriminants). The label name is the type name in
/// snake_case.
///
/// ```text
/// #[label(rename_all = "kebab-case", name = "label_name", crate = path)]
/// enum E {
///     #[label(rename = "value text")]
///     Variant,
/// }
/// ```
///
/// `rename_all` takes `snake_case`, `kebab-case`, `lowercase`, `UPPERCASE`,
/// `SCREAMING_SNAKE_CASE`, `camelCase` or `PascalCase`. Refused: structs, unions, generic or
/// empty enums, variants with fields, empty or repeated values (after renaming), invalid or
/// reserved label names.
#[proc_macro_derive(LabelValue, attributes(label))]
pub fn derive_label_value(input: TokenStream) -> TokenStream {
    derive(input, labels::value::derive)
}

/// Makes a struct with named fields a label set; each field is one label named after it.
///
/// Fields of type `String`, `&'static str`, `Box<str>`, `Arc<str>`, `Cow<'static, str>`, an
/// integer, or marked `#[label(open)]` are open: the set is then dynamic (a bounded family;
/// derive `Clone`, `Eq` and `Hash` too). Otherwise every field is a `LabelValue` and the set
/// is fixed: a dense family with one series per combination (ordinals in mixed radix, the
/// first field varying slowest).
///
/// ```text
/// #[label(crate = path)]
/// struct S {
///     #[label(rename = "label_name", open)]
///     field: T,
/// }
/// ```
///
/// Refused: enums, unions, tuple, unit, empty and generic structs, invalid label names,
/// `le`, `quantile`, `series_overflow`, names starting with `__`, and two fields with the
/// same label name.
#[proc_macro_derive(LabelSet, attributes(label))]
pub fn derive_label_set(input: TokenStream) -> TokenStream {
    derive(input, labels::set::derive)
}

/// Parses the input and runs one derive, turning every collected error into a
/// `compile_error!` at its span.
fn derive(
    input: TokenStream,
    expand: fn(&mut ctxt::Ctxt, &syn::DeriveInput) -> Option<proc_macro2::TokenStream>,
) -> TokenStream {
    match syn::parse::<syn::DeriveInput>(input) {
        Ok(input) => ctxt::run(|cx| expand(cx, &input)).into(),
        Err(error) => error.to_compile_error().into(),
    }
}

/// Records a function's duration, in seconds, into a histogram on every way out of it: the
/// tail value, `return`, `?`, a panic, and for an `async fn` the future dropped before it
/// completes.
///
/// ```text
/// #[timed(KERNEL.orchestration)]                          // a Histogram of a static group
/// #[timed(KERNEL.calls, outcome)]                         // a Result's outcome as a label
/// #[timed(KERNEL.run, in_flight = KERNEL.running)]        // and a gauge of calls in progress
/// #[timed]                                                // the built-in per-function family
/// #[timed(buckets = [0.001, 0.01, 0.1], name = "checkout")]
/// ```
///
/// It works on sync and `async fn`, free functions, inherent and trait methods, generic
/// functions, `async fn` in traits and `#[async_trait]`; the body stays where it is (a guard
/// is placed at its top), and a call costs two clock reads and one observation, with no
/// allocation, lock or hashing. Misuse (`const fn`, `extern fn`, a target that is not a
/// histogram, an unknown option) is a compile error on the offending token.
///
/// Use it through `oxios_metrics::timed`. The guide's chapter
/// [`oxios_metrics::guide::timing`](../oxios_metrics/guide/timing/index.html) has examples;
/// the module [`oxios_metrics::timing`](../oxios_metrics/timing/index.html) has every
/// option, the outcome rules and the built-in family.
#[proc_macro_attribute]
pub fn timed(args: TokenStream, item: TokenStream) -> TokenStream {
    timed::expand(args.into(), item.into()).into()
}
