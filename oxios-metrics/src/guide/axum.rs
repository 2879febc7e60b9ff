//! # An axum application
//!
//! An application built on [axum](https://docs.rs/axum) 0.8 serves `/metrics` from its own
//! server: enable the feature `axum` and merge
#![cfg_attr(feature = "axum", doc = "[`axum_router`](crate::serve::axum_router)")]
#![cfg_attr(not(feature = "axum"), doc = "`serve::axum_router` (feature `axum`)")]
//! into the application's router. The handler answers as the standalone exporter does
//! (format from `Accept`, exact `Content-Type`, `405` for methods other than `GET`/`HEAD`,
//! gzip with the feature `gzip`); other paths fall through to the application's routes.
//!
//! ```toml
//! [dependencies]
//! oxios-metrics = { version = "0.1", features = ["axum"] }
//! axum = "0.8"
//! tokio = { version = "1", features = ["rt-multi-thread", "macros", "net", "signal"] }
//! ```
//!
//! The `axum` feature needs axum 0.8 (the router type of another major version is a
//! different type); it turns on none of axum's own features, so the application chooses
//! them (`tokio` and `http1` for `axum::serve`).
//!
//! ## The whole program
//!
//! Routes of its own, metrics declared once, a handler timed with `#[timed]`, the process
//! collector, and a graceful shutdown on Ctrl-C:
//!
//! ```no_run
//! # #[cfg(all(feature = "axum", feature = "process"))]
//! # mod program {
//! use std::time::Duration;
//!
//! use axum::extract::Path;
//! use axum::http::StatusCode;
//! use axum::routing::{get, post};
//! use axum::Router;
//! use oxios_metrics::process::ProcessCollector;
//! use oxios_metrics::serve::axum_router;
//! use oxios_metrics::{global, timed, Counter, Family, Gauge, Histogram, LabelSet, Metrics};
//!
//! #[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
//! pub struct Customer {
//!     pub customer: String,
//! }
//!
//! #[derive(Metrics)]
//! #[metrics(prefix = "shop")]
//! pub struct ShopMetrics {
//!     /// Orders placed, by customer.
//!     #[metric(max_series = 10_000)]
//!     pub orders: Family<Customer, Counter>,
//!     /// Orders being processed now.
//!     pub processing: Gauge,
//!     /// Time to process an order.
//!     #[metric(unit = "seconds", buckets = [0.01, 0.05, 0.1, 0.5, 1.0])]
//!     pub order_duration: Histogram,
//! }
//!
//! pub static SHOP: ShopMetrics = ShopMetrics::new();
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let registry = global();
//!     registry.register(&SHOP)?;
//!     ProcessCollector::register(registry)?;
//!
//!     let app = Router::new()
//!         .route("/", get(|| async { "POST /orders/{customer}\n" }))
//!         .route("/orders/{customer}", post(place_order))
//!         .merge(axum_router(registry)); // GET /metrics
//!
//!     let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
//!     println!("listening on http://{}/ (metrics at /metrics)", listener.local_addr()?);
//!     axum::serve(listener, app)
//!         .with_graceful_shutdown(async {
//!             let _ = tokio::signal::ctrl_c().await;
//!         })
//!         .await?;
//!     Ok(())
//! }
//!
//! #[timed(SHOP.order_duration, in_flight = SHOP.processing)]
//! async fn place_order(Path(customer): Path<String>) -> (StatusCode, &'static str) {
//!     SHOP.orders.get(Customer { customer }).inc();
//!     tokio::time::sleep(Duration::from_millis(20)).await;
//!     (StatusCode::CREATED, "order placed\n")
//! }
//! # }
//! # fn main() {}
//! ```
//!
//! Then `curl -X POST http://127.0.0.1:3000/orders/ada` places an order and
//! `curl http://127.0.0.1:3000/metrics` shows `shop_orders_total{customer="ada"} 1`.
//!
//! ## What a scraper gets
//!
//! The same router, served on a port the system picks, scraped the way Prometheus scrapes
//! (it asks for OpenMetrics first):
//!
//! ```
//! # #[cfg(feature = "axum")]
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use axum::routing::get;
//! use oxios_metrics::serve::axum_router;
//! use oxios_metrics::{Counter, Metrics, Registry};
//! use tokio::io::{AsyncReadExt, AsyncWriteExt};
//!
//! #[derive(Metrics)]
//! pub struct Hits {
//!     /// Pages served.
//!     pub pages: Counter,
//! }
//! static HITS: Hits = Hits::new();
//! static REGISTRY: Registry = Registry::new();
//!
//! tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async {
//!     REGISTRY.register(&HITS)?;
//!     HITS.pages.add(3);
//!     let app = axum::Router::new()
//!         .route("/", get(|| async { "home" }))
//!         .merge(axum_router(&REGISTRY));
//!     let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//!     let address = listener.local_addr()?;
//!     let server = tokio::spawn(async move { axum::serve(listener, app).await });
//!
//!     let mut stream = tokio::net::TcpStream::connect(address).await?;
//!     stream
//!         .write_all(
//!             b"GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
//!               Accept: application/openmetrics-text;version=1.0.0,text/plain;q=0.5\r\n\r\n",
//!         )
//!         .await?;
//!     let mut response = String::new();
//!     stream.read_to_string(&mut response).await?;
//!     server.abort();
//!
//!     assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
//!     assert!(response
//!         .contains("content-type: application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores\r\n"));
//!     assert!(response.ends_with("# TYPE pages counter\npages_total 3\n# EOF\n"), "{response}");
//!     Ok::<(), Box<dyn std::error::Error>>(())
//! })
//! # }
//! # #[cfg(not(feature = "axum"))]
//! # fn main() {}
//! ```
//!
//! ## Choices
//!
//! * **Which registry**: any `&'static Registry`: [`global()`](crate::global), a `static`, or
//!   `Box::leak` of one built at run time.
#![cfg_attr(
    feature = "axum",
    doc = "* **Options**: [`axum_router_for`](crate::serve::axum_router_for) takes a [`MetricsService`](crate::serve::MetricsService) built with its options (a forced format, gzip off); [`metrics_handler`](crate::serve::metrics_handler) is the handler alone, for routing it yourself."
)]
#![cfg_attr(
    not(feature = "axum"),
    doc = "* **Options**: `serve::axum_router_for` takes a `serve::MetricsService` built with its options (a forced format, gzip off); `serve::metrics_handler` is the handler alone, for routing it yourself."
)]
//! * **Another path**: route the handler under any path with
//!   `.route("/internal/metrics", any(metrics_handler).with_state(service))`.
//! * **A program without a server** uses the standalone exporter instead (feature `server`,
//!   see [serving](super::serving)).
