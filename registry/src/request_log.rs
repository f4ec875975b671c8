//! One log line per request: method, path without its query, status and
//! duration. Never bodies, query strings (a Vipps callback carries a code
//! there), headers, or a stage handle (a capability in the confirm path).

use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

pub async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = loggable_path(request.uri().path());
    let started = Instant::now();
    let response = next.run(request).await;
    eprintln!("{method} {path} {} {}ms", response.status().as_u16(), started.elapsed().as_millis());
    response
}

/// The path with a stage handle replaced: `/v2/stages/…/confirm`.
fn loggable_path(path: &str) -> String {
    match path.strip_prefix("/v2/stages/") {
        Some(rest) => match rest.split_once('/') {
            Some((_, tail)) => format!("/v2/stages/…/{tail}"),
            None => "/v2/stages/…".to_owned(),
        },
        None => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn stage_handles_never_reach_the_log() {
        assert_eq!(super::loggable_path("/v2/stages/s3cr3t-handle/confirm"), "/v2/stages/…/confirm");
        assert_eq!(super::loggable_path("/v2/stages/s3cr3t-handle"), "/v2/stages/…");
        assert_eq!(super::loggable_path("/v2/vipps/logins"), "/v2/vipps/logins");
    }
}
