use oxios_metrics::{
    Buckets, Counter, DefinitionSite, EncodeMetric, Family, Format, Histogram, MetricDesc,
    MetricGroup, MetricType, MetricVisitor, Registry,
};
use oxios_metrics_tests::{Method, Path};

struct Group {
    hits: Family<Method, Counter>,
    paths: Family<Path, Counter>,
    latency: Family<Method, Histogram>,
}

static GROUP: Group = Group {
    hits: Family::new(),
    paths: Family::new().with_max_series(2),
    latency: Family::with_config(Buckets::checked(&[0.1, 1.0])),
};

const SITE: DefinitionSite = DefinitionSite::new(file!(), 1, 1);
static DESCS: [MetricDesc; 3] = [
    MetricDesc::new("hits", "Hits.", MetricType::Counter, SITE),
    MetricDesc::new("paths", "Paths.", MetricType::Counter, SITE),
    MetricDesc::new("latency_seconds", "Latency.", MetricType::Histogram, SITE)
        .with_unit("seconds"),
];

impl MetricGroup for Group {
    fn visit(&self, visitor: &mut dyn MetricVisitor) {
        let metrics: [&dyn EncodeMetric; 3] = [&self.hits, &self.paths, &self.latency];
        for (desc, metric) in DESCS.iter().zip(metrics) {
            visitor.metric(desc, metric);
        }
    }
}

#[test]
fn smoke() {
    let registry = Registry::new();
    registry.register(&GROUP).unwrap();
    GROUP.hits.get(Method::Post).inc();
    for p in ["/a", "/b", "/c", "/a"] {
        GROUP.paths.get(Path { path: p.into() }).inc();
    }
    GROUP.latency.get(Method::Get).observe(0.5);
    println!("{}", registry.render(Format::Prometheus));
    println!("{}", registry.render(Format::OpenMetrics));
    let err = registry.register(&GROUP).unwrap_err();
    println!("{err}");
}
