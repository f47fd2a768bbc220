//! One HTTP/1.1 exchange over a fresh connection (`Connection: close`), as a browser or a
//! script would make it, without a client library between the test and the wire.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// An answer: its status, head (status line and headers) and body.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: String,
}

/// Sends `method path` with `headers` (`Name: value` lines) and `body` to the server on
/// `port`, and reads the whole answer (at most `timeout` between reads).
pub fn exchange(
    port: u16,
    method: &str,
    path: &str,
    headers: &[&str],
    body: &[u8],
    timeout: Duration,
) -> std::io::Result<Answer> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(timeout))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for header in headers {
        head.push_str(header);
        head.push_str("\r\n");
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("Connection: close\r\n\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    parse(&String::from_utf8_lossy(&response))
        .ok_or_else(|| std::io::Error::other("not an HTTP answer"))
}

/// The status, head and body of an answer's text.
pub fn parse(response: &str) -> Option<Answer> {
    let status = response.split(' ').nth(1)?.parse().ok()?;
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((response, ""));
    Some(Answer {
        status,
        head: head.to_string(),
        body: body.to_string(),
    })
}
