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
/// Generates `const fn new()` (so the group lives in a `static`, or one instance per owner
/// behind an `Arc`) and `MetricGroup`, whose `visit` shows each metric in declaration order
/// with a `static MetricDesc` holding the name, HELP, type, unit, constant labels, the
/// definition site (the field's line) and the header lines of both formats rendered at
/// compile time.
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
///                                        // or exponential(start, factor, count),
///                                        // or DIAL_BUCKETS, a const [f64; N] or &[f64];
///                                        // on a native histogram: classic buckets too
///     native(schema = 3, zero_threshold = 1e-9, max_buckets = 160), // a native histogram's
///     quantiles = [0.5, 0.9, 0.99],      // a summary's (or a const path), each in [0, 1]
///     max_age = "10m",                   // a summary's window: "90s", "1h30m", or seconds
///     age_buckets = 5,                   // a summary's window slices, 1..=8
///     utf8,                              // the name may lie outside [a-zA-Z0-9_]
///     max_series = 1000,                 // bound of a dynamic Family
///     sparse,                            // a fixed Family writes only the combinations used
///     read = path::to::function,         // a CallbackGauge/CallbackCounter's fn() -> f64, or a
///                                        // CallbackFamily's fn(&mut FamilyWriter<'_, Labels>)
///     labels(version = env!("CARGO_PKG_VERSION")), // the labels of an Info metric
///     allow(no_total_suffix, ...),       // naming conventions kept for a migration (below)
///     nested,                            // a field that is itself a Metrics group
///     skip,                              // not a metric; built with `Type::new()`
/// )]
/// ```
///
/// The metric type comes from the field type: `Counter`, `FloatCounter`, `StripedCounter`,
/// `ExemplarCounter`, `CallbackCounter` (counters, sample `name_total`), `Gauge`,
/// `FloatGauge`, `CallbackGauge`, `Histogram`, `ExemplarHistogram` (classic histograms,
/// `buckets`), `NativeHistogram`, `ExemplarNativeHistogram` (native histograms, `native(...)`,
/// with `buckets` kept as classic buckets alongside), `Summary` (`quantiles`, `max_age`,
/// `age_buckets`; samples `name{quantile="0.5"}`, `name_sum`, `name_count`), `Info` (sample
/// `name_info`), `Family<Labels, Metric>` of any of the counters, gauges, histograms and
/// summaries that are not callbacks (the options then apply to every series), and
/// `CallbackFamily<Labels, Gauge>` or `CallbackFamily<Labels, Counter>` (series computed at
/// scrape; without `read` it starts empty, for an instance to set with
/// `CallbackFamily::from_fn`). A const assertion checks that the type's
/// `Metric::METRIC_TYPE` agrees, so an alias cannot lie. A nested group's names get
/// `prefix_` in front of its own and its samples the constant labels of this group.
///
/// Every option is checked here with the ranges the runtime accepts: a schema in `-4..=8`,
/// `zero_threshold` finite and `>= 0`, `max_buckets` in `1..=160`; 1 to 16 quantiles, sorted,
/// distinct, each in `[0, 1]`; `max_age` longer than 0; `age_buckets` in `1..=8`. An option
/// on a type that does not take it (`native` on a classic `Histogram`, `quantiles` on a
/// histogram, `buckets` on a summary) is refused on its key.
///
/// # Names outside the legacy character set: `utf8`
///
/// `#[metric(rename = "http.server.request.duration", utf8)]` declares a name such as
/// OpenTelemetry's semantic conventions use. It is checked by the rules the registry applies
/// to such names (not empty, no leading `__`, no control character, none of `"` `\` `=` `,`
/// `{` `}`), and as legacy names are, no `:` and no capital letter; the naming conventions
/// still apply (a segment after `.` is checked as one after `_`), and suffix rules and
/// collisions are checked on the name as a scrape without UTF-8 names reads it
/// (`http_server_request_duration`). The description gets `with_utf8_names()`, so each
/// scrape writes the name quoted or escaped as it negotiated; its header lines are rendered
/// then rather than at compile time. A family needs `utf8` too when its label set has
/// label names declared `#[label(rename = "http.route", utf8)]` (a const assertion refuses
/// it otherwise); on a single metric with a legacy name `utf8` is refused as not needed.
///
/// `buckets = PATH` and `quantiles = PATH` name a const; its values are checked where the
/// const is evaluated, so an empty, unsorted, repeated or out-of-range set stops the build
/// with the reason, spanned on the path.
///
/// Refused at compile time, each on the offending token: invalid names, `:`, a leading
/// `__`, camelCase, a prefix ending in `_`; a counter ending in `_total`, any other type
/// ending in `_total`, `_bucket` outside histograms, `_count`/`_sum` outside histograms and
/// summaries, `_created`, `_info`
/// outside info metrics (and on them: it is added); a metric type word as a name segment;
/// non-base units and abbreviated unit segments (`_ms`, `_kb`, ...); a unit on an `Info`
/// (OpenMetrics parsers reject it); empty, unsorted, repeated, non-finite or too many
/// buckets, or buckets on a non-histogram; invalid, camelCase, reserved (`le`, `quantile`,
/// `series_overflow`, `__*`) or repeated constant and `Info` labels, a histogram family
/// labelled `le`, a summary family labelled `quantile`, a family label equal to a constant
/// label; `max_series` on a family whose
/// label set is fixed and `sparse` on one whose label set is dynamic (each a const
/// assertion on the option); missing HELP; two metrics exposing the same sample name;
/// unknown options (with the closest one suggested) and repeated ones; unions, enums,
/// tuple and unit structs, generic structs, and field types that are not metrics. A family
/// keyed by a `String`, an integer or a tuple fails once, with `LabelSet`'s message saying
/// to wrap it in a struct deriving `LabelSet`. Every error of one derive is reported in the
/// same build.
///
/// # Keeping names for a migration: `allow(...)`
///
/// A service moving to this crate may have dashboards and alerts that depend on names
/// breaking a naming convention. `#[metric(allow(...))]` keeps such a name for one metric.
/// Each opt-out waives one convention and costs what is listed; an opt-out that waives
/// nothing is an error. Validity rules (the character set, `:`, a leading `__`, camelCase,
/// reserved labels, `_total` on a non-counter, colliding sample names) have no opt-out.
///
/// | opt-out | keeps | costs |
/// |---|---|---|
/// | `no_total_suffix` | a counter `requests` written `requests` in text 0.0.4 | OpenMetrics requires `_total` on counter samples, so there the sample is `requests_total`: the series name differs by format, and queries must say which; promtool reports `counter metrics should have "_total" suffix` |
/// | `type_word` | a metric type word as a segment (`requests_counter`) | promtool reports `metric name should not include type 'counter'`; the name repeats what `# TYPE` says |
/// | `non_base_unit` | a whole-word unit that is not a base unit, in `unit = "milliseconds"` or in the name (`wait_minutes`) | promtool reports `use base unit "seconds" instead of "milliseconds"`; the values do not combine with base-unit metrics (a `rate` of seconds beside one of milliseconds) without conversion |
/// | `abbreviated_unit` | an abbreviated unit, in `unit = "ms"` or in the name (`memory_kb`) | promtool reports `metric names should not contain abbreviated units`; as `non_base_unit`, and the abbreviation is ambiguous (`mb`: megabytes or megabits) |
/// | `info_suffix` | a gauge whose name ends in `_info` (`build_info`, a gauge set to 1) | it reads as an info metric but is typed `gauge` in both formats, so tools that look for the `info` type do not see it; a real `Info` named `build` would expose the same sample and is refused beside it |
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
/// #[label(rename_all = "kebab-case", name = "label_name", utf8, crate = path)]
/// enum E {
///     #[label(rename = "value text")]
///     Variant,
/// }
/// ```
///
/// `rename_all` takes `snake_case`, `kebab-case`, `lowercase`, `UPPERCASE`,
/// `SCREAMING_SNAKE_CASE`, `camelCase` or `PascalCase` (it renames values, which may be any
/// text). `utf8` lets the declared `name` lie outside the legacy character set
/// (`name = "http.request.method"`), checked as `#[metric(utf8)]` checks metric names; a
/// family keyed by the enum then needs `#[metric(utf8)]`. Refused: structs, unions, generic
/// or empty enums, variants with fields, empty or repeated values (after renaming),
/// invalid, camelCase or reserved label names, `utf8` without a declared name outside the
/// legacy set, unknown options (with the closest one suggested).
#[proc_macro_derive(LabelValue, attributes(label))]
pub fn derive_label_value(input: TokenStream) -> TokenStream {
    derive(input, labels::derive_label_value)
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
///     #[label(rename = "label_name", open, utf8)]
///     field: T,
/// }
/// ```
///
/// `utf8` lets a `rename` lie outside the legacy character set (`rename = "http.route"`),
/// checked as `#[metric(utf8)]` checks metric names; a family keyed by the set then needs
/// `#[metric(utf8)]`.
///
/// Refused: enums, unions, tuple, unit, empty and generic structs, invalid or camelCase
/// label names (from a field, even one marked `#[allow(non_snake_case)]`, or a `rename`),
/// `le`, `quantile`, `series_overflow`, names starting with `__`, two fields with the same
/// label name, and unknown options (with the closest one suggested).
#[proc_macro_derive(LabelSet, attributes(label))]
pub fn derive_label_set(input: TokenStream) -> TokenStream {
    derive(input, labels::derive_label_set)
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

/// Records a function's duration, in seconds, into a histogram (classic or native, with or
/// without exemplars) or a summary on every way out of it: the
/// tail value, `return`, `?`, a panic, and for an `async fn` the future dropped before it
/// completes.
///
/// ```text
/// #[timed(METRICS.latency)]                       // a histogram of a `static` group
/// #[timed(self.metrics.latency)]                  // one reached through `&self`
/// #[timed(METRICS.latency.get(Route::Home))]      // a histogram or summary family member
/// #[timed(METRICS.calls, outcome)]                // keyed by `TimedOutcome` (needs `Result`)
/// #[timed(METRICS.latency, in_flight = METRICS.running)]
/// #[timed]                                        // the built-in per-function family
/// #[timed(buckets = [0.001, 0.01], name = "checkout")]
/// ```
///
/// It works on sync and `async fn`, free functions, inherent and trait methods, generic
/// functions, `async fn` in traits and `#[async_trait]`; the body stays where it is (a guard
/// is placed at its top), and a call costs two clock reads and one observation, with no
/// allocation, lock or hashing. Misuse (`const fn`, `extern fn`, a target that is not a
/// histogram or summary, an unknown option) is a compile error on the offending token.
///
/// A target (or `in_flight` gauge) reached through `self` needs a `&self` method: the guard
/// borrows `self` from the call's start to its exit, which `&mut self` and `self` by value
/// cannot share; those, free functions and associated functions without `self` are refused
/// on the `self` token.
///
/// Use it through `oxios_metrics::timed`. The guide's chapter
/// [`oxios_metrics::guide::timing`](../oxios_metrics/guide/timing/index.html) has examples;
/// the module [`oxios_metrics::timing`](../oxios_metrics/timing/index.html) has every
/// option, what each records, the outcome rules and the built-in family.
#[proc_macro_attribute]
pub fn timed(args: TokenStream, item: TokenStream) -> TokenStream {
    timed::expand(args.into(), item.into()).into()
}
