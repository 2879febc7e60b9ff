//! The demo's traced metrics (`TRACES`, a derived group beside `KERNEL`):
//! they register together, text 0.0.4 passes promtool, OpenMetrics is read back with its
//! exemplars by Python's parser, and protobuf carries the native histogram with its classic
//! buckets and exemplars.

use oxios_metrics::{Format, Registry};
use oxios_metrics_examples::{Provider, KERNEL, TRACES};
use oxios_metrics_tests::{openmetrics_parse_exemplars, promtool_check, Checked};

mod proto_common;

const TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";

fn registry() -> Registry {
    let registry = Registry::new();
    registry
        .register(&KERNEL)
        .expect("the kernel set registers");
    registry
        .register(&TRACES)
        .expect("the traced set registers beside it");
    let exemplar = [("trace_id", TRACE), ("span_id", "00f067aa0ba902b7")];
    TRACES
        .llm_latency
        .get(Provider::Anthropic)
        .observe_with_exemplar(0.3, &exemplar)
        .unwrap();
    TRACES
        .llm_tokens
        .get(Provider::Anthropic)
        .add_with_exemplar(900, &exemplar[..1])
        .unwrap();
    TRACES.prompt_tokens.observe(700.0);
    TRACES
        .agent_duration
        .observe_with_exemplar(1.2, &exemplar[..1])
        .unwrap();
    registry
}

#[test]
fn text_openmetrics_and_protobuf_carry_the_traced_metrics() {
    let registry = registry();
    let text = registry.render(Format::Prometheus);
    assert!(
        text.contains("oxios_llm_latency_seconds_bucket{provider=\"anthropic\",le=\"0.4\"} 1\n")
    );
    assert!(text.contains("oxios_llm_tokens_total{provider=\"anthropic\"} 900\n"));
    assert!(text.contains("oxios_llm_prompt_tokens{quantile=\"0.5\"} 700\n"));
    assert!(!text.contains(TRACE), "no exemplars in text 0.0.4");
    if let Checked::Ran(said) = promtool_check(&text) {
        assert_eq!(said, "", "promtool: {said}");
    }

    let openmetrics = registry.render(Format::OpenMetrics);
    if let Checked::Ran(parsed) = openmetrics_parse_exemplars(&openmetrics) {
        for wanted in [
            "histogram oxios_llm_latency_seconds_bucket{le='0.4',provider='anthropic'} 1 # {span_id='00f067aa0ba902b7',trace_id='4bf92f3577b34da6a3ce929d0e0e4736'} 0.3 ",
            "counter oxios_llm_tokens_total{provider='anthropic'} 900 # {trace_id='4bf92f3577b34da6a3ce929d0e0e4736'} 900.0 ",
            "histogram oxios_agent_duration_seconds_bucket{le='2.5'} 1 # {trace_id='4bf92f3577b34da6a3ce929d0e0e4736'} 1.2 ",
            "summary oxios_llm_prompt_tokens{quantile='0.99'} 700.0",
        ] {
            assert!(
                parsed.lines().any(|line| line.starts_with(wanted)),
                "parser output lacks {wanted:?}:\n{parsed}"
            );
        }
    }

    let mut bytes = Vec::new();
    registry.encode_to_vec(&mut bytes, Format::Protobuf);
    let families = proto_common::decode(&bytes);
    let latency = families
        .iter()
        .find(|family| family.name.as_deref() == Some("oxios_llm_latency_seconds"))
        .expect("the native histogram's family");
    let anthropic = latency.metric[0].histogram.as_ref().unwrap();
    assert_eq!(anthropic.schema, Some(3));
    assert_eq!(anthropic.sample_count, Some(1));
    // 0.3 s is native bucket -13 at schema 3: (2^(-14/8), 2^(-13/8)].
    assert_eq!(
        anthropic
            .positive_span
            .iter()
            .map(|span| (span.offset, span.length))
            .collect::<Vec<_>>(),
        [(Some(-13), Some(1))]
    );
    assert_eq!(anthropic.bucket.len(), 8, "the classic buckets alongside");
    assert_eq!(anthropic.exemplars.len(), 1);
    assert_eq!(
        anthropic.exemplars[0].label[0].value.as_deref(),
        Some(TRACE)
    );
    let summary = families
        .iter()
        .find(|family| family.name.as_deref() == Some("oxios_llm_prompt_tokens"))
        .expect("the summary's family");
    assert_eq!(summary.r#type, Some(2));
    assert_eq!(
        summary.metric[0].summary.as_ref().unwrap().quantile.len(),
        3
    );
}
