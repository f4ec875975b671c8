//! Raw HTTP/1.1 over loopback sockets, for tests that need to control every
//! byte (trickling, oversized heads, idle connections). Only 127.0.0.1.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long any single read in these tests may take before it counts as a failure.
pub const READ_LIMIT: Duration = Duration::from_secs(10);

#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(header, _)| header.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    pub fn is_problem(&self) -> bool {
        self.header("content-type") == Some("application/problem+json") && self.json()["status"] == self.status
    }
}

/// A request with `Host` and `Content-Length`; `extra` headers as given.
pub fn request(method: &str, path: &str, extra: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut head = format!("{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: {}\r\n", body.len());
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// Reads one response (head, then a `Content-Length` body) from the stream.
pub async fn read_response(stream: &mut TcpStream) -> std::io::Result<RawResponse> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(position) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break position;
        }
        let read = tokio::time::timeout(READ_LIMIT, stream.read(&mut chunk)).await.map_err(|_| std::io::ErrorKind::TimedOut)??;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().and_then(|line| line.split(' ').nth(1)).and_then(|code| code.parse().ok()).unwrap_or(0);
    let headers: Vec<(String, String)> =
        lines.filter_map(|line| line.split_once(':')).map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned())).collect();
    let length: usize = headers.iter().find(|(name, _)| name == "content-length").and_then(|(_, value)| value.parse().ok()).unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let read = tokio::time::timeout(READ_LIMIT, stream.read(&mut chunk)).await.map_err(|_| std::io::ErrorKind::TimedOut)??;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        body.extend_from_slice(&chunk[..read]);
    }
    body.truncate(length);
    Ok(RawResponse { status, headers, body })
}

/// One request on a new connection. Write errors are ignored (a server may
/// stop reading an oversized request early) as long as an answer can be read.
pub async fn exchange(address: SocketAddr, request: &[u8]) -> std::io::Result<RawResponse> {
    let mut stream = TcpStream::connect(address).await?;
    let _ = stream.write_all(request).await;
    read_response(&mut stream).await
}

/// Whether the server has closed the connection (EOF or reset) within `limit`.
pub async fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    let mut chunk = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut chunk)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

pub const ANNA_DOCUMENT: &str =
    r#"{"person":{"given_names":"Anna Maria","surname":"Eriksson","date_of_birth":"1974-08-12","nationality":"SWE"},"source":"typed","corrected_by_user":false}"#;

/// A fresh idempotency key for call `index`.
pub fn key(index: usize) -> String {
    format!("6f1c2a3b-4d5e-4f60-8a7b-{index:012x}")
}
