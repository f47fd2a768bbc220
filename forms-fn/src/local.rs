//! The handler behind a `tiny_http` server (`generator serve`): its requests as `http`
//! types, and back.

use http::Request;

use crate::app::App;
use crate::guard::ClientIp;
use crate::handler::{Reply, handle};

/// Adapts a `tiny_http` request (the local servers) to the handler.
pub fn from_tiny_http(
    app: &App,
    request: &mut tiny_http::Request,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    to_tiny_http(handle(
        app,
        &tiny_http_request(request, app.limits.body_bytes),
    ))
}

/// Builds an `http` request from its parts.
fn request_from_parts(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: Vec<u8>,
) -> Request<Vec<u8>> {
    let mut builder = Request::builder().method(method).uri(url);
    for (name, value) in headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder
        .body(body)
        .unwrap_or_else(|_| Request::new(Vec::new()))
}

/// The request as `http` types; the body is read up to one byte past the limit, so an
/// oversized post is refused without reading it all.
fn tiny_http_request(request: &mut tiny_http::Request, limit: usize) -> Request<Vec<u8>> {
    let client = request.remote_addr().map(|a| ClientIp(a.ip().to_string()));
    use std::io::Read as _;
    let mut body = Vec::new();
    let _ = request
        .as_reader()
        .take(limit as u64 + 1)
        .read_to_end(&mut body);
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_string(),
                h.value.as_str().to_string(),
            )
        })
        .collect();
    let mut converted =
        request_from_parts(request.method().as_str(), request.url(), &headers, body);
    if let Some(client) = client {
        converted.extensions_mut().insert(client);
    }
    converted
}

fn to_tiny_http(answer: Reply) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let (parts, body) = answer.into_parts();
    let mut response = tiny_http::Response::from_data(body).with_status_code(parts.status.as_u16());
    for (name, value) in &parts.headers {
        if let Ok(h) = tiny_http::Header::from_bytes(name.as_str().as_bytes(), value.as_bytes()) {
            response.add_header(h);
        }
    }
    response
}
