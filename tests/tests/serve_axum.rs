//! The axum handler under slow renders: it renders off the application's async worker
//! threads (a slow callback delays no other route, even on a one-thread runtime) and under
//! the service's render limit (`503` with `Retry-After` past it).

mod http_common;

use std::future::Future;
use std::time::{Duration, Instant};

use axum::routing::get as get_route;
use axum::Router;
use http_common::*;
use oxios_metrics::serve::{axum_router_for, MetricsService};

static HELD: Gate = Gate::new();
fn held_callback() -> f64 {
    HELD.pass();
    1.0
}

#[test]
fn the_render_limit_applies_and_renders_leave_the_worker_free() {
    let service = MetricsService::new(callback_registry(held_callback)).max_concurrent_renders(1);
    let address = serve_axum(
        Router::new()
            .route("/", get_route(|| async { "home" }))
            .merge(axum_router_for(service.clone())),
    );
    let admitted = std::thread::spawn(move || request(address, "GET", "/metrics", &[]));
    assert!(
        HELD.wait_for(1, Duration::from_secs(10)),
        "the render started"
    );
    assert_eq!(service.renders_in_progress(), 1);

    // The application's route is answered while the render waits in its callback.
    let started = Instant::now();
    let home = request(address, "GET", "/", &[]);
    let home_latency = started.elapsed();
    assert_eq!(home.status, 200);
    assert_eq!(home.text(), "home");

    let started = Instant::now();
    let refused = request(address, "GET", "/metrics", &[]);
    let refused_latency = started.elapsed();
    eprintln!("axum, one worker, a render held: / in {home_latency:?}, 503 in {refused_latency:?}");
    assert_eq!(refused.status, 503);
    assert_eq!(refused.header("retry-after"), Some("1"));
    assert_eq!(service.scrape_counts().rejected, 1);
    // The render stays held until the gate opens below, so a blocked worker would not
    // answer at all before the client's 10 s read timeout; the bounds leave a busy machine
    // room for an ordinary request.
    assert!(
        home_latency < Duration::from_secs(5),
        "the worker was blocked for {home_latency:?}"
    );
    assert!(
        refused_latency < Duration::from_secs(5),
        "the refusal took {refused_latency:?}"
    );
    assert_eq!(HELD.arrived(), 1, "the refused scrape did not render");

    HELD.open();
    let reply = admitted.join().expect("the admitted scrape");
    assert_eq!(reply.status, 200);
    assert!(reply.text().contains("callback 1\n"));
    let started = Instant::now();
    while service.renders_in_progress() != 0 {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the permit stayed out"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(get(address, &[]).status, 200);
    assert_eq!(service.scrape_counts().prometheus, 2);
}

#[test]
fn respond_async_outside_a_runtime_renders_in_place() {
    let service = MetricsService::new(registry());
    let request = http::Request::get("/metrics").body(()).unwrap();
    let future = service.respond_async(&request);
    // A minimal executor: the future completes on its first poll.
    let waker = std::task::Waker::noop();
    let mut context = std::task::Context::from_waker(waker);
    let mut future = std::pin::pin!(future);
    match future.as_mut().poll(&mut context) {
        std::task::Poll::Ready(response) => assert_eq!(response.status(), 200),
        std::task::Poll::Pending => panic!("outside a runtime the render runs in place"),
    }
}

fn panicking_callback() -> f64 {
    panic!("a callback that fails");
}

#[test]
fn a_panicking_render_is_a_500_and_the_server_goes_on() {
    let service = MetricsService::new(callback_registry(panicking_callback));
    let address = serve_axum(axum_router_for(service.clone()));
    assert_eq!(get(address, &[]).status, 500);
    assert_eq!(get(address, &[]).status, 500);
    assert_eq!(service.renders_in_progress(), 0, "the permits came back");
}

/// `metrics_handler` is documented for routing by hand: it must answer on whatever route
/// the application gives it (`/internal/metrics`, a route with a path parameter), not only
/// on `/metrics`, and the router stays `/metrics` alone.
#[test]
fn the_handler_answers_on_the_route_it_is_given() {
    use axum::routing::any;
    use oxios_metrics::serve::{axum_router, metrics_handler};
    let service = MetricsService::new(registry());
    let app = Router::new()
        .route(
            "/internal/metrics",
            any(metrics_handler).with_state(service.clone()),
        )
        .route(
            "/tenants/{tenant}/metrics",
            any(metrics_handler).with_state(service),
        )
        .merge(axum_router(registry()));
    let address = serve_axum(app);
    for path in ["/internal/metrics", "/tenants/a/metrics", "/metrics"] {
        let reply = request(address, "GET", path, &[]);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(
            reply.header("content-type"),
            Some("text/plain; version=0.0.4; charset=utf-8"),
            "{path}"
        );
        assert_eq!(request(address, "POST", path, &[]).status, 405, "{path}");
    }
    assert_eq!(request(address, "GET", "/elsewhere", &[]).status, 404);
}
