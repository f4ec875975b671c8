//! The registry's HTTP call: gloo-net `fetch` with an abort timeout. The retry
//! loop around it is the core's (`crate::registry::submit`).

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::Request;
use web_sys::AbortController;

use super::browser::{self, Timeout};
use crate::registry::{AttemptResult, HttpMethod, RegistryRequest, RegistryTransport};

pub struct FetchTransport;

impl RegistryTransport for FetchTransport {
    async fn send(&self, request: &RegistryRequest, timeout_ms: u32) -> AttemptResult {
        let Ok(controller) = AbortController::new() else { return AttemptResult::NetworkError };
        let timed_out = Rc::new(Cell::new(false));
        let _timer = {
            let (controller, timed_out) = (controller.clone(), timed_out.clone());
            Timeout::new(timeout_ms, move || {
                timed_out.set(true);
                controller.abort();
            })
        };
        let signal = controller.signal();
        let mut builder = match request.method {
            HttpMethod::Get => Request::get(&request.url),
            HttpMethod::Post => Request::post(&request.url).header("Content-Type", "application/json"),
        };
        if let Some(key) = &request.idempotency_key {
            builder = builder.header("Idempotency-Key", key.as_str());
        }
        if let Some(authorization) = &request.authorization {
            builder = builder.header("Authorization", authorization);
        }
        // Never send cookies to the registry (a session is a header the page holds),
        // nor a Referer (a callback address carries nothing then, but a page might).
        let builder = builder
            .credentials(web_sys::RequestCredentials::Omit)
            .referrer_policy(web_sys::ReferrerPolicy::NoReferrer)
            .cache(web_sys::RequestCache::NoStore)
            .abort_signal(Some(&signal));
        let built = match &request.json_body {
            Some(body) => builder.body(body.as_str()),
            None => builder.build(),
        };
        let Ok(built) = built else { return AttemptResult::NetworkError };
        let failed = |timed_out: &Cell<bool>| if timed_out.get() { AttemptResult::TimedOut } else { AttemptResult::NetworkError };
        let response = match built.send().await {
            Ok(response) => response,
            Err(_) => return failed(&timed_out),
        };
        let status = response.status();
        let retry_after = response.headers().get("retry-after");
        match response.text().await {
            Ok(body) => AttemptResult::Response { status, retry_after, body },
            Err(_) => failed(&timed_out),
        }
    }

    async fn sleep_ms(&self, milliseconds: u32) {
        browser::sleep_ms(milliseconds).await;
    }

    fn now_unix_seconds(&self) -> i64 {
        (browser::now_unix_ms() / 1000.0) as i64
    }

    fn random_unit(&self) -> f64 {
        browser::random_unit()
    }
}
