//! The axum router, merged into an application with routes of its own, over real TCP.

mod http_common;

use std::net::SocketAddr;

use axum::routing::get as get_route;
use axum::Router;
use http_common::*;
use oxios_metrics::serve::{axum_router, axum_router_for, MetricsService};
use oxios_metrics::Format;

fn app() -> SocketAddr {
    serve_axum(
        Router::new()
            .route("/", get_route(|| async { "home" }))
            .merge(axum_router(registry())),
    )
}

#[test]
fn content_type_follows_accept() {
    check_content_types(app());
}

#[test]
fn other_paths_are_not_found() {
    // The router alone: in `app()` the path `/` belongs to the application.
    check_not_found(serve_axum(axum_router(registry())));
    assert_eq!(request(app(), "GET", "/other", &[]).status, 404);
}

#[test]
fn other_methods_are_not_allowed() {
    check_method_not_allowed(app());
}

#[test]
fn head_has_headers_and_no_body() {
    check_head(app());
}

#[test]
fn gzip_round_trip() {
    check_gzip(app());
}

#[test]
fn sixteen_concurrent_scrapes() {
    let service = MetricsService::new(registry()).max_concurrent_renders(16);
    check_concurrent_scrapes(serve_axum(axum_router_for(service)));
}

#[test]
fn a_slow_client_does_not_block_scrapes() {
    let _slow = check_slow_client_does_not_block(app());
}

#[test]
fn the_application_routes_still_work() {
    let address = app();
    let reply = request(address, "GET", "/", &[]);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text(), "home");
}

#[test]
fn a_configured_service_forces_its_format() {
    let service = MetricsService::new(registry()).force_format(Format::OpenMetrics);
    let address = serve_axum(axum_router_for(service.clone()));
    let reply = get(address, &[("Accept", "text/plain")]);
    assert_eq!(reply.header("content-type"), Some(OPENMETRICS));
    assert_eq!(reply.text(), registry().render(Format::OpenMetrics));
    assert_eq!(service.scrape_counts().openmetrics, 1);
}
