//! An independent decoder of the protobuf exposition for the tests: `prost` messages
//! mirroring client_model's `io/prometheus/client/metrics.proto`, written here by hand (no
//! protoc), and a reader of the `encoding=delimited` stream.

// Each test binary uses the parts it needs.
#![allow(dead_code)]

use prost::Message;

/// The messages of `io/prometheus/client/metrics.proto`, field numbers as there.
pub mod dto {
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct LabelPair {
        #[prost(string, optional, tag = "1")]
        pub name: Option<String>,
        #[prost(string, optional, tag = "2")]
        pub value: Option<String>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Gauge {
        #[prost(double, optional, tag = "1")]
        pub value: Option<f64>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Timestamp {
        #[prost(int64, tag = "1")]
        pub seconds: i64,
        #[prost(int32, tag = "2")]
        pub nanos: i32,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Exemplar {
        #[prost(message, repeated, tag = "1")]
        pub label: Vec<LabelPair>,
        #[prost(double, optional, tag = "2")]
        pub value: Option<f64>,
        #[prost(message, optional, tag = "3")]
        pub timestamp: Option<Timestamp>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Counter {
        #[prost(double, optional, tag = "1")]
        pub value: Option<f64>,
        #[prost(message, optional, tag = "2")]
        pub exemplar: Option<Exemplar>,
        #[prost(message, optional, tag = "3")]
        pub created_timestamp: Option<Timestamp>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Quantile {
        #[prost(double, optional, tag = "1")]
        pub quantile: Option<f64>,
        #[prost(double, optional, tag = "2")]
        pub value: Option<f64>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Summary {
        #[prost(uint64, optional, tag = "1")]
        pub sample_count: Option<u64>,
        #[prost(double, optional, tag = "2")]
        pub sample_sum: Option<f64>,
        #[prost(message, repeated, tag = "3")]
        pub quantile: Vec<Quantile>,
        #[prost(message, optional, tag = "4")]
        pub created_timestamp: Option<Timestamp>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Untyped {
        #[prost(double, optional, tag = "1")]
        pub value: Option<f64>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Bucket {
        #[prost(uint64, optional, tag = "1")]
        pub cumulative_count: Option<u64>,
        #[prost(double, optional, tag = "4")]
        pub cumulative_count_float: Option<f64>,
        #[prost(double, optional, tag = "2")]
        pub upper_bound: Option<f64>,
        #[prost(message, optional, tag = "3")]
        pub exemplar: Option<Exemplar>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct BucketSpan {
        #[prost(sint32, optional, tag = "1")]
        pub offset: Option<i32>,
        #[prost(uint32, optional, tag = "2")]
        pub length: Option<u32>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Histogram {
        #[prost(uint64, optional, tag = "1")]
        pub sample_count: Option<u64>,
        #[prost(double, optional, tag = "4")]
        pub sample_count_float: Option<f64>,
        #[prost(double, optional, tag = "2")]
        pub sample_sum: Option<f64>,
        #[prost(message, repeated, tag = "3")]
        pub bucket: Vec<Bucket>,
        #[prost(message, optional, tag = "15")]
        pub created_timestamp: Option<Timestamp>,
        #[prost(sint32, optional, tag = "5")]
        pub schema: Option<i32>,
        #[prost(double, optional, tag = "6")]
        pub zero_threshold: Option<f64>,
        #[prost(uint64, optional, tag = "7")]
        pub zero_count: Option<u64>,
        #[prost(double, optional, tag = "8")]
        pub zero_count_float: Option<f64>,
        #[prost(message, repeated, tag = "9")]
        pub negative_span: Vec<BucketSpan>,
        #[prost(sint64, repeated, packed = "false", tag = "10")]
        pub negative_delta: Vec<i64>,
        #[prost(double, repeated, packed = "false", tag = "11")]
        pub negative_count: Vec<f64>,
        #[prost(message, repeated, tag = "12")]
        pub positive_span: Vec<BucketSpan>,
        #[prost(sint64, repeated, packed = "false", tag = "13")]
        pub positive_delta: Vec<i64>,
        #[prost(double, repeated, packed = "false", tag = "14")]
        pub positive_count: Vec<f64>,
        #[prost(message, repeated, tag = "16")]
        pub exemplars: Vec<Exemplar>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Metric {
        #[prost(message, repeated, tag = "1")]
        pub label: Vec<LabelPair>,
        #[prost(message, optional, tag = "2")]
        pub gauge: Option<Gauge>,
        #[prost(message, optional, tag = "3")]
        pub counter: Option<Counter>,
        #[prost(message, optional, tag = "4")]
        pub summary: Option<Summary>,
        #[prost(message, optional, tag = "5")]
        pub untyped: Option<Untyped>,
        #[prost(message, optional, tag = "7")]
        pub histogram: Option<Histogram>,
        #[prost(int64, optional, tag = "6")]
        pub timestamp_ms: Option<i64>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct MetricFamily {
        #[prost(string, optional, tag = "1")]
        pub name: Option<String>,
        #[prost(string, optional, tag = "2")]
        pub help: Option<String>,
        #[prost(int32, optional, tag = "3")]
        pub r#type: Option<i32>,
        #[prost(message, repeated, tag = "4")]
        pub metric: Vec<Metric>,
        #[prost(string, optional, tag = "5")]
        pub unit: Option<String>,
    }
}

/// Decodes a `encoding=delimited` stream: varint length, message, repeated to the end.
pub fn decode(mut bytes: &[u8]) -> Vec<dto::MetricFamily> {
    let mut families = Vec::new();
    while !bytes.is_empty() {
        families.push(
            dto::MetricFamily::decode_length_delimited(&mut bytes)
                .unwrap_or_else(|error| panic!("not a delimited MetricFamily stream: {error}")),
        );
    }
    families
}
