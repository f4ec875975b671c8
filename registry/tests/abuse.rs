//! The attacks of issue 13 against the real registry binary with its default
//! limits, as an anonymous caller on loopback would make them. Every loop is
//! bounded and every server is stopped when its test ends.

mod support;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::{closed_within, exchange, key, read_response, request, ANNA_DOCUMENT};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

/// The registry binary on a free loopback port, killed on drop.
struct Registry {
    child: Child,
    address: SocketAddr,
}

impl Registry {
    fn start(extra: &[&str]) -> Registry {
        let mut child = Command::new(env!("CARGO_BIN_EXE_id-capture-registry"))
            .args(["--listen", "127.0.0.1:0", "--db", ":memory:"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the registry binary starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("the listening line");
        let listening: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
        let address = listening["listening"].as_str().and_then(|url| url.strip_prefix("http://")).and_then(|address| address.parse().ok()).expect("an address");
        Registry { child, address }
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn create_document(index: usize) -> Vec<u8> {
    request("POST", "/v2/identities/document", &[("content-type", "application/json"), ("idempotency-key", &key(index))], ANNA_DOCUMENT.as_bytes())
}

#[tokio::test]
async fn an_anonymous_client_gets_a_429_with_retry_after_well_before_the_hundredth_creating_call() {
    let registry = Registry::start(&[]);
    let mut first_refusal = None;
    for index in 0..100 {
        let response = exchange(registry.address, &create_document(index)).await.unwrap();
        if response.status == 429 {
            first_refusal = Some((index, response));
            break;
        }
        assert_eq!(response.status, 201, "call {index}");
    }
    let (index, refusal) = first_refusal.expect("a 429 within 100 calls");
    assert!(index <= 30, "the first 429 came at call {index}");
    assert!(refusal.is_problem());
    assert_eq!(refusal.json()["type"], "/problems/rate-limited");
    let retry_after: u32 = refusal.header("retry-after").and_then(|value| value.parse().ok()).expect("Retry-After in whole seconds");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    // Reading is not limited.
    assert_eq!(exchange(registry.address, &request("GET", "/v1/health", &[], b"")).await.unwrap().status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_and_trickling_connections_are_closed_within_30_s_while_health_still_answers() {
    let registry = Registry::start(&[]);
    let opened = Instant::now();
    let mut idle = Vec::new();
    for _ in 0..280 {
        idle.push(TcpStream::connect(registry.address).await.unwrap());
    }
    // Twenty clients sending their head one byte a second.
    let trickling: Vec<_> = (0..20)
        .map(|_| {
            let address = registry.address;
            tokio::spawn(async move {
                let mut stream = TcpStream::connect(address).await.unwrap();
                stream.write_all(b"GET /v1/health HTTP/1.1\r\nx-slow: ").await.unwrap();
                for _ in 0..40 {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    if stream.write_all(b"a").await.is_err() {
                        return true;
                    }
                    if closed_within(&mut stream, Duration::from_millis(1)).await {
                        return true;
                    }
                }
                false
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;

    let started = Instant::now();
    let health = exchange(registry.address, &request("GET", "/v1/health", &[], b"")).await.unwrap();
    assert_eq!(health.status, 200);
    assert!(started.elapsed() < Duration::from_secs(2), "health took {:?}", started.elapsed());

    for stream in &mut idle {
        let left = Duration::from_secs(30).saturating_sub(opened.elapsed());
        assert!(closed_within(stream, left).await, "an idle connection was still open after 30 s");
    }
    for slow in trickling {
        assert!(slow.await.unwrap(), "a trickling connection was still open after 40 s");
    }
    assert!(opened.elapsed() < Duration::from_secs(30), "closing took {:?}", opened.elapsed());
    assert_eq!(exchange(registry.address, &request("GET", "/v1/health", &[], b"")).await.unwrap().status, 200);
}

#[tokio::test]
async fn a_100_kb_header_is_refused_and_a_40_kb_one_is_a_431_problem() {
    let registry = Registry::start(&[]);
    let huge = "a".repeat(100 * 1024);
    let refused = exchange(registry.address, &request("GET", "/v1/health", &[("x-padding", &huge)], b"")).await.unwrap();
    // Past hyper's buffer (twice the limit) hyper itself answers: a bare 431, then closes.
    assert_eq!(refused.status, 431);
    let large = "a".repeat(40 * 1024);
    let problem = exchange(registry.address, &request("GET", "/v1/health", &[("x-padding", &large)], b"")).await.unwrap();
    assert_eq!(problem.status, 431);
    assert!(problem.is_problem());
    assert_eq!(problem.json()["type"], "/problems/request-header-fields-too-large");
}

#[tokio::test]
async fn a_20_kb_body_is_a_413_problem() {
    let registry = Registry::start(&[]);
    let body = format!(r#"{{"hms_card_reference":"{}","date_of_birth":"1985-03-14"}}"#, "A".repeat(20 * 1024));
    let idempotency_key = key(1);
    let headers = [("content-type", "application/json"), ("idempotency-key", idempotency_key.as_str())];
    let response = exchange(registry.address, &request("POST", "/v2/hms-card/lookups", &headers, body.as_bytes())).await.unwrap();
    assert_eq!(response.status, 413);
    assert!(response.is_problem());
    assert_eq!(response.json()["type"], "/problems/payload-too-large");
}

#[tokio::test]
async fn answers_with_personal_data_are_never_stored_by_caches() {
    let registry = Registry::start(&[]);
    let mut stream = TcpStream::connect(registry.address).await.unwrap();
    stream.write_all(&create_document(1)).await.unwrap();
    let created = read_response(&mut stream).await.unwrap();
    assert_eq!(created.status, 201);
    assert_eq!(created.header("cache-control"), Some("no-store"));
    // The replay of the same key carries the same person: no-store too.
    stream.write_all(&create_document(1)).await.unwrap();
    let replayed = read_response(&mut stream).await.unwrap();
    assert_eq!(replayed.json(), created.json());
    assert_eq!(replayed.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn unknown_expired_revoked_and_wrong_date_cards_are_indistinguishable_and_reveal_no_holder() {
    let registry = Registry::start(&[]);
    let lookup = |reference: &str, date: &str| {
        let body = format!(r#"{{"hms_card_reference":"{reference}","date_of_birth":"{date}"}}"#);
        request("POST", "/v2/hms-card/lookups", &[("content-type", "application/json")], body.as_bytes())
    };
    // Unknown, expired, revoked, and a valid card with a guessed date.
    let probes = [("TEST9999999", "1985-03-14"), ("TEST0000002", "1979-11-02"), ("TEST0000003", "1990-01-20"), ("TEST0000001", "1985-03-15")];
    let mut answers = Vec::new();
    for (reference, date) in probes {
        let response = exchange(registry.address, &lookup(reference, date)).await.unwrap();
        assert_eq!(response.status, 404, "{reference}");
        assert!(response.is_problem());
        assert_eq!(response.header("cache-control"), Some("no-store"));
        answers.push(response.json());
    }
    assert!(answers.windows(2).all(|pair| pair[0] == pair[1]), "one answer for every miss: {answers:?}");
    assert_eq!(answers[0]["type"], "/problems/hms-card-not-found");
    for holder in ["Testmann", "Utgått", "Sperret", "Eksempel Bygg"] {
        assert!(!answers.iter().any(|answer| answer.to_string().contains(holder)));
    }
}
