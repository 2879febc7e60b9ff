//! Labels set at run time are checked: `Info` labels that are invalid, reserved, repeated or
//! equal to a constant label of a registration are refused with an error, and never reach
//! the exposition (where one repeated label name makes Prometheus drop the whole target).

use std::sync::Arc;

use oxios_metrics::{Format, Info, LabelSet, Metrics, Registry};
use oxios_metrics_tests::{promtool_check, Checked};

#[derive(Metrics)]
#[metrics(labels(service = "api"))]
struct Build {
    /// Build information.
    build: Info,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Service {
    service: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Version {
    version: String,
}

#[test]
fn an_info_label_repeating_a_constant_label_is_refused() {
    let registry = Registry::new();
    let build = Arc::new(Build::new());
    let _registration = registry
        .sub_registry_with_label("region", "eu")
        .unwrap()
        .register_shared(build.clone())
        .unwrap();
    let error = build
        .build
        .set(&Service {
            service: "billing".into(),
        })
        .unwrap_err();
    assert_eq!(error.label(), "service");
    assert!(error.to_string().contains("constant label"), "{error}");
    let error = build.build.set_static(&[("region", "us")]).unwrap_err();
    assert_eq!(error.label(), "region", "the sub-registry's label too");
    // Refused labels never reach the exposition; valid ones do.
    build
        .build
        .set(&Version {
            version: "1.2.3".into(),
        })
        .unwrap();
    let text = registry.render(Format::Prometheus);
    assert!(
        text.contains("build_info{region=\"eu\",service=\"api\",version=\"1.2.3\"} 1\n"),
        "{text}"
    );
    assert!(!text.contains("billing"), "{text}");
    if let Checked::Ran(said) = promtool_check(&text) {
        assert_eq!(said, "", "promtool");
    }
}

#[test]
fn invalid_reserved_and_repeated_info_labels_are_refused() {
    static INFO: Info = Info::new();
    for (labels, refused) in [
        (&[("git-sha", "abc")][..], "git-sha"),
        (&[("gitSha", "abc")][..], "gitSha"),
        (&[("__name__", "x")][..], "__name__"),
        (&[("le", "1")][..], "le"),
        (&[("quantile", "1")][..], "quantile"),
        (&[("", "1")][..], ""),
        (&[("a", "1"), ("a", "2")][..], "a"),
    ] {
        let error = INFO.set_static(labels).expect_err(refused);
        assert_eq!(error.label(), refused);
    }
    INFO.set_static(&[("commit", "abc"), ("version", "1")])
        .unwrap();
    let registry = Registry::new();
    // A static info with a clashing constant label is refused at registration.
    let scope = registry.sub_registry_with_label("commit", "x").unwrap();
    #[derive(Metrics)]
    struct Static {
        /// Build information.
        #[metric(labels(commit = "abc"))]
        build: Info,
    }
    static STATIC: Static = Static::new();
    let error = scope.register(&STATIC).unwrap_err();
    assert!(error.to_string().contains("appears twice"), "{error}");
}
