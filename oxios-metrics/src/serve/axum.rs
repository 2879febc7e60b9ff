//! `/metrics` inside an axum application.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use axum::routing::any;
use axum::Router;

use super::service::MetricsService;
use crate::Registry;

/// A router answering `/metrics` for `registry`; merge it into the application's router.
///
/// Methods and negotiation are those of [`MetricsService`]: `GET`/`HEAD` render the
/// exposition in the format `Accept` asks for, other methods get `405` with an `Allow`
/// header. Paths other than `/metrics` fall through to the router it is merged into (and are
/// `404` when it is used alone).
///
/// Renders run on tokio's blocking pool, not on the application's async worker threads, and
/// at most [`DEFAULT_MAX_CONCURRENT_RENDERS`](super::DEFAULT_MAX_CONCURRENT_RENDERS) at
/// once; further scrapes get `503 Service Unavailable` with `Retry-After`. Use
/// [`axum_router_for`] with [`MetricsService::max_concurrent_renders`] for another limit.
///
/// ```
/// use axum::routing::get;
/// use oxios_metrics::Registry;
///
/// static REGISTRY: Registry = Registry::new();
/// let app: axum::Router = axum::Router::new()
///     .route("/", get(|| async { "hello" }))
///     .merge(oxios_metrics::serve::axum_router(&REGISTRY));
/// # drop(app);
/// ```
pub fn axum_router<S>(registry: &'static Registry) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    axum_router_for(MetricsService::new(registry))
}

/// [`axum_router`] for a service with its own options (a forced format, gzip off, a render
/// limit).
///
/// ```
/// use oxios_metrics::serve::{axum_router_for, MetricsService};
/// use oxios_metrics::Registry;
///
/// static REGISTRY: Registry = Registry::new();
/// let service = MetricsService::new(&REGISTRY).max_concurrent_renders(2);
/// let app: axum::Router = axum_router_for(service);
/// # drop(app);
/// ```
pub fn axum_router_for<S>(service: MetricsService) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    Router::new().route(
        super::METRICS_PATH,
        any(metrics_handler).with_state(service),
    )
}

/// The handler behind [`axum_router`], for routing it yourself with a [`MetricsService`] as
/// state: `.route("/metrics", any(metrics_handler).with_state(service))`. It answers on
/// whatever route it is given (`/internal/metrics` as well), with the methods, negotiation
/// and render limit of [`MetricsService::respond_async`]: on tokio's blocking pool, under
/// the service's render limit.
pub async fn metrics_handler(State(service): State<MetricsService>, request: Request) -> Response {
    // The route that led here chose the path: answer on any (`/internal/metrics`, say).
    service.respond_routed_async(&request).await.map(Body::new)
}
