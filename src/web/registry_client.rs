//! The registry's HTTP call: gloo-net `fetch` with an abort timeout. The retry
//! loop around it is the core's (`crate::registry::submit`).

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::Request;
use web_sys::AbortController;

use super::browser::{self, Timeout};
use crate::registry::{AttemptResult, RegistryRequest, RegistryTransport};

pub struct FetchTransport;

impl RegistryTransport for FetchTransport {
    async fn post_json(&self, request: &RegistryRequest, timeout_ms: u32) -> AttemptResult {
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
        let built = Request::post(&request.url)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", request.idempotency_key.as_str())
            // Never send cookies or HTTP auth to the registry: the contract needs none.
            .credentials(web_sys::RequestCredentials::Omit)
            .referrer_policy(web_sys::ReferrerPolicy::NoReferrer)
            .abort_signal(Some(&signal))
            .body(request.json_body.as_str());
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
