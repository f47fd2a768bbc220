//! The SMTP URL (it carries the relay's password) from AWS Secrets Manager, read through the
//! AWS Parameters and Secrets Lambda Extension, which answers on localhost inside the Lambda
//! environment (`SMTP_URL_SECRET`): the secret is never in the function's environment, and
//! one call needs no SDK.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Why the secret could not be read. No variant carries the secret's value.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("SMTP_URL_SECRET needs AWS_SESSION_TOKEN: it is read inside AWS Lambda")]
    NoSession,
    #[error("the secrets extension on port {port}")]
    Unreachable { port: u16, source: std::io::Error },
    #[error("the secrets extension sent no answer")]
    NoAnswer,
    #[error("the secrets extension answered {status} for `{secret}`")]
    Refused { status: String, secret: String },
    #[error("the secrets extension's answer is not JSON")]
    NotJson,
    #[error("the secret `{0}` has no text value")]
    NoText(String),
}

/// The secret's value, asked of the extension with the function's own session token.
pub fn from_extension(secret_id: &str) -> Result<String, SecretError> {
    let port = std::env::var("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(2773);
    let token = std::env::var("AWS_SESSION_TOKEN").map_err(|_| SecretError::NoSession)?;
    fetch(port, &token, secret_id)
}

/// Asks the extension on `port` for `secret_id`.
pub fn fetch(port: u16, token: &str, secret_id: &str) -> Result<String, SecretError> {
    let failed = |source| SecretError::Unreachable { port, source };
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(failed)?;
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .map_err(failed)?;
    write!(
        stream,
        "GET /secretsmanager/get?secretId={} HTTP/1.0\r\nHost: localhost\r\nX-Aws-Parameters-Secrets-Token: {token}\r\n\r\n",
        encode(secret_id)
    )
    .map_err(failed)?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).map_err(failed)?;
    let answer = String::from_utf8_lossy(&answer);
    let (head, body) = answer.split_once("\r\n\r\n").ok_or(SecretError::NoAnswer)?;
    let status = head.split(' ').nth(1).unwrap_or_default();
    if status != "200" {
        // The body is not repeated: it is the extension's, and says nothing we need.
        return Err(SecretError::Refused {
            status: status.to_string(),
            secret: secret_id.to_string(),
        });
    }
    let value: serde_json::Value = serde_json::from_str(body).map_err(|_| SecretError::NotJson)?;
    value["SecretString"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| SecretError::NoText(secret_id.to_string()))
}

/// Percent-encodes all but the unreserved characters (an ARN has `:` and `/`).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufRead;
    use std::net::TcpListener;

    /// A loopback stand-in for the extension (which runs only inside Lambda), answering
    /// one request with `status` and `body`, and handing back the request it got.
    fn extension(status: &str, body: &str) -> (u16, std::thread::JoinHandle<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let answer = format!("HTTP/1.1 {status}\r\nContent-Type: application/json\r\n\r\n{body}");
        let handle = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().expect("accept");
            let mut request = String::new();
            let mut reader = std::io::BufReader::new(stream.try_clone().expect("clone"));
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                request.push_str(&line);
            }
            stream.write_all(answer.as_bytes()).expect("answer");
            request
        });
        (port, handle)
    }

    #[test]
    fn reads_the_secret_with_the_session_token() {
        let (port, request) = extension(
            "200 OK",
            r#"{"Name":"smtp","SecretString":"smtp://u:p%40ss@relay.example:587?tls=required"}"#,
        );
        let arn = "arn:aws:secretsmanager:ap-southeast-3:123456789012:secret:smtp-AbCdEf";
        let value = fetch(port, "token-123", arn).expect("the secret");
        assert_eq!(value, "smtp://u:p%40ss@relay.example:587?tls=required");
        let request = request.join().expect("request");
        assert!(request.starts_with(
            "GET /secretsmanager/get?secretId=arn%3Aaws%3Asecretsmanager%3Aap-southeast-3%3A123456789012%3Asecret%3Asmtp-AbCdEf "
        ));
        assert!(request.contains("X-Aws-Parameters-Secrets-Token: token-123\r\n"));
    }

    #[test]
    fn a_refusal_is_an_error_that_carries_no_secret() {
        let (port, _) = extension("403 Forbidden", r#"{"SecretString":"geheim"}"#);
        let err = fetch(port, "t", "smtp").expect_err("refused").to_string();
        assert!(err.contains("403") && !err.contains("geheim"), "{err}");
    }
}
