//! `forms-fn serve`: the function over HTTP on a machine of one's own, hardened against
//! clients that hold connections open. hyper (HTTP/1.1) on a small tokio runtime: a
//! connection costs a task, not a thread; there are at most `max_connections` of them (past
//! that a new one is closed at once, and the listener keeps listening); headers must arrive
//! within `header_timeout` and a whole body within `body_timeout`; a request's head is
//! checked (form, origin, the source's rate, type, declared length) before any of its body
//! is read, and bodies being read share a memory budget. The handler's own work (outbox,
//! mail) runs on a bounded pool of blocking threads.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::app::App;
use crate::guard::{ClientIp, source_key};
use crate::handler::{self, Admitted, Unread};

/// The bounds of the local server.
#[derive(Debug, Clone, Copy)]
pub struct ServerLimits {
    /// Connections open at once; a further one is closed as soon as it is accepted.
    pub max_connections: usize,
    /// Connections one source (an IPv4 address, an IPv6 /64) may hold open at once, so
    /// that one source cannot take every connection.
    pub max_per_source: usize,
    /// How long a client may take to send a request's line and headers.
    pub header_timeout: Duration,
    /// How long a client may take to send a whole body.
    pub body_timeout: Duration,
    /// How long one connection may stay open, whatever it does.
    pub connection_timeout: Duration,
    /// Bytes of bodies being read at once, over all connections.
    pub body_budget: usize,
    /// Threads for the handler's blocking work (outbox writes, inline mail).
    pub workers: usize,
}

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits {
            max_connections: 256,
            max_per_source: 32,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(60),
            connection_timeout: Duration::from_secs(120),
            body_budget: 64 * 1024 * 1024,
            workers: 16,
        }
    }
}

/// Serves `app` on `address` until the process ends.
/// Why the server cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot start the server's runtime")]
    Runtime(#[source] std::io::Error),
    #[error("cannot listen on {address}")]
    Listen {
        address: String,
        source: std::io::Error,
    },
}

pub fn run(app: Arc<App>, address: &str, limits: ServerLimits) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(limits.workers.max(1))
        .thread_name("serve")
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(async {
        let listener = TcpListener::bind(address)
            .await
            .map_err(|source| ServeError::Listen {
                address: address.to_string(),
                source,
            })?;
        eprintln!("forms-fn listening on http://{address}/ (POST /<form id>)");
        accept(app, listener, limits).await;
        Ok(())
    })
}

async fn accept(app: Arc<App>, listener: TcpListener, limits: ServerLimits) {
    let connections = Arc::new(Semaphore::new(limits.max_connections));
    // The body budget in KiB, so a semaphore's permits can count it.
    let bodies = Arc::new(Semaphore::new(limits.body_budget / 1024));
    let per_source = Sources::default();
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(err) => {
                // Out of file descriptors or memory for a moment: keep listening.
                tracing::warn!(error = %err, "cannot accept a connection");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&connections).try_acquire_owned() else {
            tracing::warn!(outcome = "too_many_connections", "connection closed");
            drop(stream);
            continue;
        };
        let Some(held) = Held::take(&per_source, &peer, limits.max_per_source) else {
            tracing::warn!(
                outcome = "too_many_connections_from_source",
                "connection closed"
            );
            drop(stream);
            continue;
        };
        let app = Arc::clone(&app);
        let bodies = Arc::clone(&bodies);
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                answer(Arc::clone(&app), request, peer, limits, Arc::clone(&bodies))
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .serve_connection(TokioIo::new(stream), service);
            let _ = tokio::time::timeout(limits.connection_timeout, connection).await;
            drop((permit, held));
        });
    }
}

/// Connections open per source.
type Sources = Arc<Mutex<HashMap<String, usize>>>;

/// One connection counted against its source while it is open.
struct Held {
    sources: Sources,
    key: String,
}

impl Held {
    fn take(sources: &Sources, peer: &SocketAddr, max: usize) -> Option<Held> {
        let key = source_key(&peer.ip().to_string());
        let mut open = sources.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(key.clone()).or_default();
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(Held {
            sources: Arc::clone(sources),
            key,
        })
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let mut open = self.sources.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.key);
            }
        }
    }
}

async fn answer(
    app: Arc<App>,
    request: Request<Incoming>,
    peer: SocketAddr,
    limits: ServerLimits,
    bodies: Arc<Semaphore>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (mut parts, body) = request.into_parts();
    parts.extensions.insert(ClientIp(peer.ip().to_string()));
    let head = Request::from_parts(parts, ());
    let reply = match handler::admit(&app, &head) {
        Err(refused) => refused,
        Ok(admitted) => match read_body(&app, &admitted, body, limits, &bodies).await {
            Err(why) => handler::unread(&app, &admitted, why),
            Ok(bytes) => {
                let (parts, ()) = head.into_parts();
                let request = Request::from_parts(parts, bytes);
                let (worker_app, worker_admitted) = (Arc::clone(&app), admitted.clone());
                let answered = tokio::task::spawn_blocking(move || {
                    let reply = handler::answer(&worker_app, &worker_admitted, &request);
                    handler::finish(&worker_app, &request, reply)
                })
                .await;
                // A panic in the handler is a fault, answered like a busy server (nothing
                // was recorded, so the citizen may send again).
                return Ok(to_hyper(answered.unwrap_or_else(|_| {
                    handler::unread(&app, &admitted, Unread::Busy)
                })));
            }
        },
    };
    Ok(to_hyper(handler::finish(&app, &head, reply)))
}

/// The body, read within the size limit, the time limit and the shared budget.
async fn read_body(
    app: &App,
    admitted: &Admitted,
    body: Incoming,
    limits: ServerLimits,
    bodies: &Semaphore,
) -> Result<Vec<u8>, Unread> {
    let limit = app.limits.body_bytes;
    // What the body may take: its declared length, or the limit when it declares none.
    let size = admitted.declared_length().map_or(limit, |n| n.min(limit));
    let kib = u32::try_from(size.div_ceil(1024).max(1)).unwrap_or(u32::MAX);
    let Ok(_budget) = bodies.try_acquire_many(kib) else {
        return Err(Unread::Busy);
    };
    let collected = tokio::time::timeout(limits.body_timeout, Limited::new(body, limit).collect())
        .await
        .map_err(|_| Unread::Slow)?;
    match collected {
        Ok(c) => Ok(c.to_bytes().to_vec()),
        Err(err) if err.is::<http_body_util::LengthLimitError>() => Err(Unread::TooLarge),
        Err(_) => Err(Unread::Broken),
    }
}

fn to_hyper(reply: Response<Vec<u8>>) -> Response<Full<Bytes>> {
    let (parts, body) = reply.into_parts();
    Response::from_parts(parts, Full::new(Bytes::from(body)))
}
