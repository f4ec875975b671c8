//! The HTTP/1 server: the router behind connection-level limits that
//! `axum::serve` does not offer.
//!
//! - **Header-read timeout** (hyper): the request head must arrive in time,
//!   whether the client trickles it or sends nothing; hyper runs the same timer
//!   while a kept-alive connection waits for its next request, so idle
//!   keep-alive connections close then too.
//! - **Idle timeout** (here): a connection on which no byte moves either way is
//!   closed, e.g. a client that stops reading its answer.
//! - **Request timeout and concurrency cap**: router layers (`app.rs`), 408 / 503.
//! - **Connection cap**: past it a new connection is answered 503 with
//!   `Retry-After` and closed; the connections already open are not touched.
//! - **Head size**: heads over the configured limit are a 431 problem from the
//!   router. hyper's read buffer is twice the limit; a head larger than that
//!   never reaches the router: hyper answers `431` with an empty body and
//!   `content-length: 0`, and closes. Either way the connection is closed
//!   gently (FIN, then the rest of the client's bytes read and dropped for a
//!   moment) so the client reads the 431 instead of a connection reset.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use id_capture_contract::ProblemKind;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

use crate::config::ServerLimits;

/// How long a closing connection keeps reading (and dropping) what the client
/// still sends, so its unread bytes do not turn our FIN into a reset.
const LINGER: Duration = Duration::from_secs(2);
const LINGER_MAX_BYTES: usize = 1 << 20;
/// Connections over the cap being answered 503 at once; past this they are just closed.
const MAX_REFUSALS_IN_FLIGHT: usize = 64;
/// How long shutdown waits for open connections to finish their requests.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// hyper's read buffer for a head limit: twice the limit, at least hyper's minimum of 8 KB.
pub fn read_buffer_bytes(max_header_bytes: usize) -> usize {
    max_header_bytes.saturating_mul(2).max(8192)
}

/// Serves `router` on `listener` until `shutdown` completes, then lets open
/// connections finish (for a few seconds at most).
pub async fn serve(listener: TcpListener, router: Router, limits: ServerLimits, shutdown: impl Future<Output = ()> + Send) -> std::io::Result<()> {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(read_buffer_bytes(limits.max_header_bytes))
        .keep_alive(true);
    let builder = Arc::new(builder);
    let connections = Arc::new(Semaphore::new(limits.max_connections));
    let refusals = Arc::new(Semaphore::new(MAX_REFUSALS_IN_FLIGHT));
    let (stop_sender, stop_receiver) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors or a connection reset before accept: wait a little, keep serving.
                    eprintln!("accept failed: {error}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        match connections.clone().try_acquire_owned() {
            Ok(permit) => {
                let connection = serve_connection(stream, peer, router.clone(), builder.clone(), limits.idle_timeout, stop_receiver.clone(), permit);
                tokio::spawn(connection);
            }
            Err(_) => {
                if let Ok(permit) = refusals.clone().try_acquire_owned() {
                    tokio::spawn(refuse_connection(stream, permit));
                }
            }
        }
    }
    drop(listener);
    stop_sender.send_replace(true);
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, connections.acquire_many(all)).await;
    Ok(())
}

async fn serve_connection(
    mut stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    builder: Arc<http1::Builder>,
    idle_timeout: Duration,
    mut stop: watch::Receiver<bool>,
    _permit: OwnedSemaphorePermit,
) {
    let _ = stream.set_nodelay(true);
    let activity = Activity::new();
    let outcome = {
        let io = TokioIo::new(ActivityIo { inner: &mut stream, activity: &activity });
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            // What `ConnectInfo<SocketAddr>` extractors (the rate limiter) read.
            request.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(request.map(axum::body::Body::new))
        });
        let connection = builder.serve_connection(io, service);
        tokio::pin!(connection);
        let mut stopping = false;
        loop {
            tokio::select! {
                result = connection.as_mut() => break Some(result),
                changed = stop.changed(), if !stopping => {
                    stopping = true;
                    if changed.is_ok() {
                        connection.as_mut().graceful_shutdown();
                    }
                }
                () = activity.idle_for(idle_timeout) => break None,
            }
        }
    };
    if let Some(Err(error)) = outcome {
        // hyper answered a malformed or oversized head (400, 414, 431) before giving up.
        if error.is_parse() || error.is_parse_too_large() {
            linger(&mut stream).await;
        }
    }
}

/// A connection past the cap: one 503 problem, then closed.
async fn refuse_connection(mut stream: TcpStream, _permit: OwnedSemaphorePermit) {
    let problem = ProblemKind::Unavailable.to_problem(Some("too many open connections".into()));
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    let head = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/problem+json\r\nretry-after: 1\r\ncache-control: no-store\r\nconnection: close\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    let answer = async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(&body).await?;
        stream.flush().await
    };
    if tokio::time::timeout(Duration::from_secs(1), answer).await.is_ok() {
        linger(&mut stream).await;
    }
}

/// Half-closes, then reads and drops what the client still sends for a moment.
async fn linger(stream: &mut TcpStream) {
    let _ = stream.shutdown().await;
    let drain = async {
        let mut buffer = [0u8; 8192];
        let mut drained = 0;
        while drained < LINGER_MAX_BYTES {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(read) => drained += read,
            }
        }
    };
    let _ = tokio::time::timeout(LINGER, drain).await;
}

/// When a byte last moved on a connection, in milliseconds since it opened.
struct Activity {
    opened: Instant,
    last_millis: AtomicU64,
}

impl Activity {
    fn new() -> Activity {
        Activity { opened: Instant::now(), last_millis: AtomicU64::new(0) }
    }

    fn touch(&self) {
        let now = u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_millis.store(now, Ordering::Relaxed);
    }

    /// Completes once nothing has moved for `limit`.
    async fn idle_for(&self, limit: Duration) {
        loop {
            let last = self.opened + Duration::from_millis(self.last_millis.load(Ordering::Relaxed));
            let quiet = last.elapsed();
            if quiet >= limit {
                return;
            }
            tokio::time::sleep(limit - quiet).await;
        }
    }
}

/// The connection's stream, noting when bytes move.
struct ActivityIo<'a, S> {
    inner: S,
    activity: &'a Activity,
}

impl<S: AsyncRead + Unpin> AsyncRead for ActivityIo<'_, S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        poll
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for ActivityIo<'_, S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<std::io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(poll, Poll::Ready(Ok(written)) if written > 0) {
            self.activity.touch();
        }
        poll
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
