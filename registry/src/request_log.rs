//! One log line per request: method, path without its query, status and
//! duration. Never bodies, query strings (a Vipps callback carries a code
//! there) or headers.

use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

pub async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    eprintln!("{method} {path} {} {}ms", response.status().as_u16(), started.elapsed().as_millis());
    response
}
