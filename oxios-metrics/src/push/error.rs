//! What can go wrong when pushing.

use std::error::Error;
use std::fmt;
use std::io;
use std::time::Duration;

/// Why a push, push-add or delete did not succeed, or why a client could not be built.
///
/// The variants before [`Connect`](Self::Connect) are found before anything is sent.
#[derive(Debug)]
#[non_exhaustive]
pub enum PushError {
    /// The gateway URL cannot be used.
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A request header given to the builder is not a valid HTTP header.
    InvalidHeader {
        /// The header's name as given.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The grouping key cannot be sent: an empty job, an invalid, reserved or repeated
    /// label name.
    InvalidGroupingKey {
        /// The offending label name (`job` for the job).
        label: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A periodic push was asked for with a zero interval.
    InvalidInterval,
    /// No TCP connection to the gateway could be made (refused, unreachable, the host name
    /// did not resolve).
    Connect {
        /// `host:port` of the gateway.
        address: String,
        /// The system's error.
        source: io::Error,
    },
    /// The TCP connection was not established within the connect timeout.
    ConnectTimeout {
        /// `host:port` of the gateway.
        address: String,
        /// The connect timeout in force.
        timeout: Duration,
    },
    /// The whole request (connect, send, response) took longer than the request timeout.
    Timeout {
        /// The request timeout in force.
        timeout: Duration,
    },
    /// The connection failed after it was made: reset, closed early, or an answer that is
    /// not HTTP.
    Transport {
        /// The HTTP stack's error.
        source: Box<dyn Error + Send + Sync>,
    },
    /// The gateway answered with a status other than 2xx (400 for metrics inconsistent
    /// with what it holds, 401/403 without the right credentials, …).
    Status {
        /// The HTTP status code.
        status: u16,
        /// The response body as text (the gateway explains a 400 here), lossily decoded
        /// from UTF-8, trimmed, and cut at 64 KiB.
        body: String,
    },
    /// The I/O runtime or a thread for the request could not be started.
    Runtime {
        /// The system's error.
        source: io::Error,
    },
}

impl PushError {
    /// The gateway's HTTP status, when it answered with a non-success one.
    pub fn status(&self) -> Option<u16> {
        match self {
            PushError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The gateway's response body, when it answered with a non-success status.
    pub fn body(&self) -> Option<&str> {
        match self {
            PushError::Status { body, .. } => Some(body),
            _ => None,
        }
    }

    /// Whether the request gave up on a timeout (connect or whole request).
    pub fn is_timeout(&self) -> bool {
        matches!(
            self,
            PushError::ConnectTimeout { .. } | PushError::Timeout { .. }
        )
    }
}

impl fmt::Display for PushError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PushError::InvalidUrl { url, reason } => {
                write!(f, "invalid Pushgateway URL {url:?}: {reason}")
            }
            PushError::InvalidHeader { name, reason } => {
                write!(f, "invalid request header {name:?}: {reason}")
            }
            PushError::InvalidGroupingKey { label, reason } => {
                write!(f, "invalid grouping key label {label:?}: {reason}")
            }
            PushError::InvalidInterval => f.write_str("the push interval must not be zero"),
            PushError::Connect { address, source } => {
                write!(
                    f,
                    "cannot connect to the Pushgateway at {address}: {source}"
                )
            }
            PushError::ConnectTimeout { address, timeout } => write!(
                f,
                "no connection to the Pushgateway at {address} within {timeout:?}"
            ),
            PushError::Timeout { timeout } => {
                write!(f, "the Pushgateway did not answer within {timeout:?}")
            }
            PushError::Transport { source } => {
                write!(f, "the connection to the Pushgateway failed: {source}")
            }
            PushError::Status { status, body } if body.is_empty() => {
                write!(f, "the Pushgateway answered {status}")
            }
            PushError::Status { status, body } => {
                write!(f, "the Pushgateway answered {status}: {body}")
            }
            PushError::Runtime { source } => {
                write!(f, "cannot start the push client's I/O runtime: {source}")
            }
        }
    }
}

impl Error for PushError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            PushError::Connect { source, .. } | PushError::Runtime { source } => Some(source),
            PushError::Transport { source } => Some(source.as_ref()),
            _ => None,
        }
    }
}
