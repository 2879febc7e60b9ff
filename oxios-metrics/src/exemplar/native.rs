//! A native histogram that keeps its latest few exemplars.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use super::{ExemplarCell, ExemplarError, ExemplarSnapshot, RenderedExemplar};
use crate::encode::{ExemplarRef, MetricEncoder, WriteLabels};
use crate::histogram::Buckets;
use crate::metric::configured_metric;
use crate::metric::FamilyMember;
use crate::native::native_builders;
use crate::native::{
    NativeCells, NativeConfig, NativeHistogram, NativeHistogramRef, NativeSnapshot,
};

/// How many exemplars a native histogram series keeps (the newest replace the oldest).
pub const NATIVE_EXEMPLARS: usize = 4;

/// The counters and exemplars of one native histogram series.
#[derive(Debug)]
pub struct ExemplarNativeCells {
    cells: NativeCells,
    exemplars: [ExemplarCell; NATIVE_EXEMPLARS],
    next: AtomicU64,
}

impl ExemplarNativeCells {
    /// Puts the series back to zero (a dynamic family reusing a removed series' slot).
    pub(crate) fn reset(&self) {
        self.cells.reset();
        for exemplar in &self.exemplars {
            exemplar.clear();
        }
    }

    /// Zeroed counters, no exemplars.
    pub const fn new() -> Self {
        ExemplarNativeCells {
            cells: NativeCells::new(),
            exemplars: [const { ExemplarCell::new() }; NATIVE_EXEMPLARS],
            next: AtomicU64::new(0),
        }
    }
}

impl Default for ExemplarNativeCells {
    fn default() -> Self {
        Self::new()
    }
}

/// A [`NativeHistogram`] that also keeps the exemplars of its latest
/// [`NATIVE_EXEMPLARS`] observations recorded with one. Protobuf carries them as the
/// histogram's `exemplars`, and (when classic buckets are configured) each on the classic
/// bucket its value lies in, where older Prometheus servers look for them; OpenMetrics 2.0
/// after the composite value. In OpenMetrics 1.0 text, each classic bucket (when configured)
/// shows the newest kept exemplar whose value lies in it; without classic buckets the
/// `+Inf` bucket shows the newest one.
///
/// ```
/// use oxios_metrics::ExemplarNativeHistogram;
/// static LATENCY: ExemplarNativeHistogram = ExemplarNativeHistogram::new().with_schema(4);
/// LATENCY.observe(0.2);
/// LATENCY.observe_with_exemplar(0.3, &[("trace_id", "abc")]).unwrap();
/// assert_eq!(LATENCY.snapshot().count(), 2);
/// assert_eq!(LATENCY.exemplars().next().unwrap().value(), 0.3);
/// ```
#[derive(Debug)]
pub struct ExemplarNativeHistogram {
    config: NativeConfig,
    cells: ExemplarNativeCells,
}

impl ExemplarNativeHistogram {
    /// Default options ([`NativeConfig::DEFAULT`]).
    pub const fn new() -> Self {
        Self::with_config(NativeConfig::DEFAULT)
    }

    /// A histogram with `config`.
    pub const fn with_config(config: NativeConfig) -> Self {
        ExemplarNativeHistogram {
            config,
            cells: ExemplarNativeCells::new(),
        }
    }

    native_builders!();

    /// The reference form shared with family members.
    #[inline]
    pub fn as_ref(&self) -> ExemplarNativeHistogramRef<'_> {
        ExemplarNativeHistogramRef {
            config: &self.config,
            cells: &self.cells,
        }
    }

    /// Records one observation.
    #[inline]
    pub fn observe(&self, value: f64) {
        self.as_ref().observe(value);
    }

    /// Records one observation and keeps `labels` as an exemplar, timestamped now.
    pub fn observe_with_exemplar(
        &self,
        value: f64,
        labels: &[(&str, &str)],
    ) -> Result<(), ExemplarError> {
        self.as_ref().observe_with_exemplar(value, labels)
    }

    /// A consistent read of the counters.
    pub fn snapshot(&self) -> NativeSnapshot {
        self.as_ref().snapshot()
    }

    /// The exemplars kept, newest first.
    pub fn exemplars(&self) -> impl Iterator<Item = ExemplarSnapshot> + '_ {
        self.as_ref().exemplars()
    }
}

impl Default for ExemplarNativeHistogram {
    fn default() -> Self {
        Self::new()
    }
}

/// An exemplar native histogram series: a plain [`ExemplarNativeHistogram`] or a family
/// member.
#[derive(Clone, Copy, Debug)]
pub struct ExemplarNativeHistogramRef<'a> {
    config: &'a NativeConfig,
    cells: &'a ExemplarNativeCells,
}

impl<'a> ExemplarNativeHistogramRef<'a> {
    fn native(self) -> NativeHistogramRef<'a> {
        <NativeHistogram as FamilyMember>::handle(&self.cells.cells, self.config)
    }

    /// Records one observation.
    #[inline]
    pub fn observe(self, value: f64) {
        self.native().observe(value);
    }

    /// Records one observation and keeps `labels` as an exemplar, timestamped now. The
    /// observation is always recorded; a refused label set stores no exemplar.
    pub fn observe_with_exemplar(
        self,
        value: f64,
        labels: &[(&str, &str)],
    ) -> Result<(), ExemplarError> {
        self.observe_with_exemplar_at(value, labels, SystemTime::now())
    }

    /// Records one observation and keeps `labels` as an exemplar, timestamped `at`.
    pub fn observe_with_exemplar_at(
        self,
        value: f64,
        labels: &[(&str, &str)],
        at: SystemTime,
    ) -> Result<(), ExemplarError> {
        self.native().observe(value);
        super::check(labels)?;
        let slot = self.cells.next.fetch_add(1, Ordering::Relaxed) as usize % NATIVE_EXEMPLARS;
        self.cells.exemplars[slot]
            .record(labels, value, at)
            .map(|_| ())
    }

    /// A consistent read of the counters.
    pub fn snapshot(self) -> NativeSnapshot {
        self.native().snapshot()
    }

    /// The exemplars kept, newest first.
    pub fn exemplars(self) -> impl Iterator<Item = ExemplarSnapshot> + 'a {
        let next = self.cells.next.load(Ordering::Relaxed) as usize;
        let exemplars = &self.cells.exemplars;
        (1..=NATIVE_EXEMPLARS).filter_map(move |back| {
            exemplars[(next + NATIVE_EXEMPLARS * 2 - back) % NATIVE_EXEMPLARS].snapshot()
        })
    }

    fn encode_with(self, labels: &dyn WriteLabels, encoder: &mut MetricEncoder<'_>) {
        let snapshot = self.snapshot();
        // The kept exemplars, newest first, rendered on the stack where the exposition
        // carries them.
        let mut rendered: [Option<RenderedExemplar>; NATIVE_EXEMPLARS] = [None; NATIVE_EXEMPLARS];
        if encoder.writes_exemplars() {
            for (slot, exemplar) in rendered.iter_mut().zip(self.exemplars()) {
                *slot = Some(exemplar.render());
            }
        }
        let mut exemplars = [ExemplarRef {
            labels: "",
            value: 0.0,
            timestamp: None,
        }; NATIVE_EXEMPLARS];
        let mut len = 0;
        for (slot, exemplar) in exemplars.iter_mut().zip(rendered.iter().flatten()) {
            *slot = exemplar.as_exemplar_ref();
            len += 1;
        }
        snapshot.encode(labels, &exemplars[..len], encoder);
    }
}

configured_metric!(ExemplarNativeHistogram: Histogram, series ExemplarNativeCells, config NativeConfig = NativeConfig::DEFAULT,
    handle ExemplarNativeHistogramRef { config });
