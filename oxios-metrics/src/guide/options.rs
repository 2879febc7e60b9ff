//! # Every option and feature
//!
//! A reference: each cargo feature, each attribute option of the derives, each builder
//! method, with where it is described in full.
//!
//! ## Cargo features
//!
//! | feature | default | what it adds | dependencies it brings |
//! |---|---|---|---|
//! | `process` | yes | `process::ProcessCollector`: `process_cpu_seconds_total`, `process_resident_memory_bytes`, … read from `/proc` at each scrape (registers nothing off Linux) | none |
//! | `server` | no | `serve::Exporter`: `/metrics` over hyper 1 on its own thread and runtime | hyper, hyper-util, tokio, http, http-body-util, bytes |
//! | `axum` | no | `serve::axum_router`, `axum_router_for`, `metrics_handler` for axum 0.8 ([chapter](super::axum)) | axum 0.8 (no axum features turned on), http, http-body-util, bytes |
//! | `gzip` | no | gzip responses when `Accept-Encoding` allows (exporter and axum handler) | flate2 |
//! | `push` | no | `push::Pushgateway`: push, push-add, delete, periodic and on-exit pushes ([chapter](super::pushgateway)) | hyper (client), hyper-util, tokio, http, http-body-util, bytes |
//! | `metrics-facade` | no | `facade::FacadeRecorder`: a recorder for the `metrics` 0.24 facade ([chapter](super::facade)) | metrics 0.24 |
//! | `auto-register` | no | `global_metrics!` and `auto::check`: statics registered into `global()` by themselves ([chapter](super::registration)) | oxios-metrics-auto (linkme) |
//!
//! Without features besides the default, the crate pulls in no HTTP stack and no async
//! runtime. docs.rs builds the documentation with every feature.
//!
//! ## `#[derive(Metrics)]`
//!
//! On the struct, `#[metrics(…)]`:
//!
//! | option | effect |
//! |---|---|
//! | `prefix = "app"` | every name of the group starts `app_` |
//! | `labels(region = "eu", …)` | constant labels on every sample of the group (checked, escaped at compile time) |
//! | `crate = path` | where `oxios_metrics` is, for a crate that renames or re-exports it |
//!
//! On a field, `#[metric(…)]`:
//!
//! | option | on | effect |
//! |---|---|---|
//! | `help = "…"` | any | the HELP text, instead of the doc comment |
//! | `rename = "name"` | any | the name, instead of the field's (snake_case) |
//! | `unit = "seconds"` | counters, gauges, histograms, summaries | a base unit: `_seconds` appended once, `# UNIT` in OpenMetrics |
//! | `buckets = [..]`, `linear(start, width, count)`, `exponential(start, factor, count)`, `buckets = CONST` | histograms | bucket bounds, computed and checked at compile time (Prometheus' defaults when absent); a const `[f64; N]` or `&[f64]` is checked where it is evaluated; on a `NativeHistogram` or `ExemplarNativeHistogram`, classic buckets kept alongside the native ones (none when absent) |
//! | `native(schema = 3, zero_threshold = 1e-9, max_buckets = 160)` | `NativeHistogram`, `ExemplarNativeHistogram` and their families | any of the three: the starting schema (`-4..=8`), the zero bucket's half-width (finite, `>= 0`), the bucket limit per sign (`1..=160`); `NativeConfig`'s defaults for the others |
//! | `quantiles = [0.5, 0.9, 0.99]`, `quantiles = CONST` | `Summary` and its families | 1 to 16 quantiles, ascending and distinct, each in `[0, 1]` (default 0.5, 0.9, 0.99) |
//! | `max_age = "10m"`, `max_age = 600` | `Summary` and its families | the window the quantiles cover: a duration (`ms`, `s`, `m`, `h`, `d`, combined as `"1h30m"`) or seconds (default 10 minutes) |
//! | `age_buckets = 5` | `Summary` and its families | slices the window rotates through, `1..=8` (default 5) |
//! | `utf8` | any metric whose name, or whose family's label names, lie outside `[a-zA-Z0-9_]` | the name (`rename = "http.server.request.duration"`) is checked by the UTF-8 rules and written quoted or escaped as each scrape negotiates ([`MetricDesc::with_utf8_names`](crate::MetricDesc::with_utf8_names)) |
//! | `max_series = n` | dynamic families | the series bound (default 1000) |
//! | `sparse` | fixed families | write only the label combinations used, instead of every one from the start |
//! | `read = path::to::fn` | `CallbackGauge`, `CallbackCounter`, `CallbackFamily` | the `fn() -> f64` (or, for a family, `fn(&mut FamilyWriter<'_, Labels>)`) read at each scrape |
//! | `labels(name = value, …)` | `Info` | the info metric's labels; a value is any `&'static str` expression (below) |
//! | `allow(no_total_suffix, type_word, non_base_unit, abbreviated_unit, info_suffix)` | the conventions each names | keep a name that breaks a naming convention, for a migration; each opt-out and what it costs is in the [`Metrics`](crate::Metrics) derive's documentation |
//! | `nested` | a field whose type derives `Metrics` | its metrics join this group, under this group's prefix and labels |
//! | `skip` | any field | not a metric (its type needs a `const fn new()`) |
//!
//! The field-level `labels(…)` of an info metric, next to the group's own constant labels:
//!
//! ```
//! use oxios_metrics::{Format, Info, Metrics, Registry};
//!
//! #[derive(Metrics)]
//! #[metrics(prefix = "app", labels(service = "api"))]
//! pub struct Build {
//!     /// The build running.
//!     #[metric(labels(version = env!("CARGO_PKG_VERSION"), channel = "stable"))]
//!     pub build: Info,
//! }
//! static BUILD: Build = Build::new();
//!
//! let registry = Registry::new();
//! registry.register(&BUILD).unwrap();
//! let text = registry.render(Format::Prometheus);
//! let expected = format!(
//!     "app_build_info{{service=\"api\",version=\"{}\",channel=\"stable\"}} 1\n",
//!     env!("CARGO_PKG_VERSION")
//! );
//! assert!(text.contains(&expected), "{text}");
//! ```
//!
//! Its label names are checked like any (snake_case, not reserved, not repeated, not one of
//! the group's constant labels); `labels` on another type of metric is an error that says
//! which type it is. The [declaring chapter](super::declaring) has what each name rule
//! refuses.
//!
//! ## `#[derive(LabelValue)]` and `#[derive(LabelSet)]`
//!
//! | derive | on | option | effect |
//! |---|---|---|---|
//! | `LabelValue` | the enum | `#[label(rename_all = "kebab-case")]` | value spelling: `snake_case` (default), `kebab-case`, `lowercase`, `UPPERCASE`, `SCREAMING_SNAKE_CASE`, `camelCase`, `PascalCase` |
//! | `LabelValue` | the enum | `#[label(name = "label_name")]` | the label name (default: the type's name in snake_case) |
//! | both | the enum, a field | `#[label(name = "http.request.method", utf8)]`, `#[label(rename = "http.route", utf8)]` | a label name outside the legacy character set; a family keyed by the type then needs `#[metric(utf8)]` |
//! | `LabelValue` | a variant | `#[label(rename = "text")]` | this value's text |
//! | both | the type | `#[label(crate = path)]` | where `oxios_metrics` is |
//! | `LabelSet` | a field | `#[label(rename = "label_name")]` | the label name (default: the field's) |
//! | `LabelSet` | a field | `#[label(open)]` | a field of another type implementing `EncodeLabelValue`: the set is dynamic |
//!
//! See the [labels chapter](super::labels) for fixed and dynamic sets.
//!
//! ## `#[timed]`
//!
//! `#[timed(TARGET)]`, `#[timed]` (the built-in family), `buckets = [..]` and
//! `name = "…"` for the built-in family, `outcome` for functions returning `Result`, and
//! `in_flight = GAUGE`; the table and the rules are in [`timing`](crate::timing), examples in
//! the [timing chapter](super::timing).
//!
//! ## Builders and constructors
//!
//! | type | method | default | effect |
//! |---|---|---|---|
//! | [`Family`](crate::Family) | `new()` | | default configuration (default buckets for histograms) |
//! | | `with_config(config)` | | the series' shared configuration: [`Buckets`](crate::Buckets) for histograms |
//! | | `with_max_series(n)` | 1000 ([`DEFAULT_MAX_SERIES`](crate::family::DEFAULT_MAX_SERIES)) | series of a dynamic family before the overflow series (at least 1) |
//! | | `with_max_label_bytes(n)` | 2048 ([`DEFAULT_MAX_LABEL_BYTES`](crate::family::DEFAULT_MAX_LABEL_BYTES)) | longest rendered label text of one series |
//! | [`Buckets`](crate::Buckets) | `new(&[..])` (const), `checked(&[..])` (const, stops the build), `from_vec`, `linear`, `exponential` | [`DEFAULT_BUCKETS`](crate::DEFAULT_BUCKETS) | checked bounds: non-empty, finite, increasing, at most [`MAX_BUCKETS`](crate::MAX_BUCKETS) |
//! | [`Histogram`](crate::Histogram) | `new()`, `with_buckets(buckets)` | | |
//! | [`Info`](crate::Info) | `new()`, `from_static(&[..])`, `set_static`, `set` | | labels set at run time are checked (`Result`) |
//! | [`CallbackGauge`](crate::CallbackGauge), [`CallbackCounter`](crate::CallbackCounter) | `new(fn)`, `from_fn(closure)` | | read at each scrape |
//! | [`Registry`](crate::Registry) | `register`, `register_owned`, `register_shared` | | a `static` group, an owned one, one shared until its [`Registration`](crate::Registration) drops |
//! | | `sub_registry_with_prefix`, `sub_registry_with_label` | | a [`SubRegistry`](crate::SubRegistry): run-time prefix and constant labels, checked |
//! | `serve::Exporter` (`server`) | `bind(address, registry)`, `builder(registry)` | | the standalone exporter |
//! | `serve::ExporterBuilder` | `header_read_timeout(d)` | 10 s | drop a connection whose request headers are not in by then |
//! | | `response_timeout(d)` | 30 s | cut a response not fully sent by then (a client that never reads) |
//! | | `max_concurrent_renders(n)` | 4 | scrapes rendered or sent at once; the others get `503` with `Retry-After` |
//! | | `force_format(format)` | negotiated | always answer in one format |
//! | | `gzip(bool)` | on with the `gzip` feature | compress when the scraper accepts gzip |
//! | `serve::MetricsService` (`server` or `axum`) | `new(registry)`, `force_format`, `gzip`, `max_concurrent_renders` | | the handler behind both, for other HTTP stacks (`respond`, `respond_async`) |
//! | `push::Pushgateway` (`push`) | `new(url)`, `builder(url)` | | a client for one gateway |
//! | `push::PushgatewayBuilder` | `connect_timeout(d)` | 5 s | TCP connection |
//! | | `timeout(d)` | 10 s | the whole request |
//! | | `header(name, value)`, `basic_auth(user, password)` | | sent with every request |
//! | `facade::FacadeBuilder` (`metrics-facade`) | `registry(&r)`, `sub_registry(scope)` | `global()` | where facade metrics go |
//! | | `names(policy)` | `Sanitize` | invalid names rewritten, or refused (`Refuse`) |
//! | | `max_series(n)`, `max_label_bytes(n)` | 1000, 2048 | bounds of each facade family |
//! | | `max_families(n)` | 1000 | metric names the recorder creates |
//! | | `buckets(matcher, buckets)` | `_bytes` → byte buckets | histogram buckets by name (`Full`, `Prefix`, `Suffix`), first match wins |
//! | | `default_buckets(buckets)` | Prometheus' defaults | buckets of histograms no rule matches |
//! | `global_metrics!` (`auto-register`) | `static NAME: Type = value;` items | | declared and registered into `global()` |
//! | `auto::check()` | | | the registration's outcome: how many registered, or each refused declaration |
