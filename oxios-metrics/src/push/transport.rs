//! One request to the gateway over a fresh HTTP/1.1 connection, made with hyper's client on
//! a short-lived single-threaded tokio runtime, bounded by the connect and request timeouts.

use std::time::Duration;

use bytes::Bytes;
use http::Request;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;

use super::PushError;

/// How much of an error response's body is kept for [`PushError::Status`].
const BODY_LIMIT: usize = 64 * 1024;

/// Where and how long: the parts of a client's configuration a request needs.
pub(super) struct Endpoint<'a> {
    pub host: &'a str,
    pub port: u16,
    pub connect_timeout: Duration,
    pub timeout: Duration,
}

/// Sends `request` and waits for the answer on the calling thread.
///
/// Inside an async runtime a blocking wait is not allowed on the runtime's own thread (tokio
/// refuses to nest runtimes), so there the request runs on a helper thread that the call
/// joins: the caller still blocks, but nothing panics.
pub(super) fn send(
    endpoint: &Endpoint<'_>,
    request: Request<Full<Bytes>>,
) -> Result<(), PushError> {
    let run = move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(|source| PushError::Runtime { source })?;
        let result = runtime.block_on(exchange(endpoint, request));
        // A name lookup still running on the blocking pool after a connect timeout must not
        // hold the caller: dropping the runtime would wait for it.
        runtime.shutdown_background();
        result
    };
    if tokio::runtime::Handle::try_current().is_err() {
        return run();
    }
    std::thread::scope(|scope| {
        let helper = std::thread::Builder::new()
            .name("oxios-metrics-push".into())
            .spawn_scoped(scope, run)
            .map_err(|source| PushError::Runtime { source })?;
        helper
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

async fn exchange(endpoint: &Endpoint<'_>, request: Request<Full<Bytes>>) -> Result<(), PushError> {
    let whole = async {
        let address = || format!("{}:{}", endpoint.host, endpoint.port);
        let connect = tokio::net::TcpStream::connect((endpoint.host, endpoint.port));
        let stream = match tokio::time::timeout(endpoint.connect_timeout, connect).await {
            Err(_) => {
                return Err(PushError::ConnectTimeout {
                    address: address(),
                    timeout: endpoint.connect_timeout,
                })
            }
            Ok(Err(source)) => {
                return Err(PushError::Connect {
                    address: address(),
                    source,
                })
            }
            Ok(Ok(stream)) => stream,
        };
        let _ = stream.set_nodelay(true);
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(transport)?;
        let answer = async move {
            let response = sender.send_request(request).await?;
            let status = response.status();
            if status.is_success() {
                return Ok((status, String::new()));
            }
            Ok((status, body_text(response.into_body()).await?))
        };
        tokio::pin!(connection, answer);
        // The connection is driven here rather than spawned, so it ends with the request.
        // If it ends first (the gateway closed it), the answer still finishes: with what
        // was received, or with the error that closed it.
        let (status, body) = tokio::select! {
            answer = &mut answer => answer,
            _ = &mut connection => answer.await,
        }
        .map_err(transport)?;
        if status.is_success() {
            Ok(())
        } else {
            Err(PushError::Status {
                status: status.as_u16(),
                body,
            })
        }
    };
    match tokio::time::timeout(endpoint.timeout, whole).await {
        Ok(result) => result,
        Err(_) => Err(PushError::Timeout {
            timeout: endpoint.timeout,
        }),
    }
}

/// The start of a response body as trimmed text: at most [`BODY_LIMIT`] bytes are kept, so a
/// gateway (or whatever answers at its address) cannot make the client buffer without end.
async fn body_text(mut body: Incoming) -> Result<String, hyper::Error> {
    let mut bytes = Vec::new();
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame?.into_data() {
            let room = BODY_LIMIT - bytes.len();
            bytes.extend_from_slice(&data[..data.len().min(room)]);
            if bytes.len() == BODY_LIMIT {
                break;
            }
        }
    }
    Ok(String::from_utf8_lossy(&bytes).trim().to_owned())
}

fn transport(error: hyper::Error) -> PushError {
    PushError::Transport {
        source: Box::new(error),
    }
}
