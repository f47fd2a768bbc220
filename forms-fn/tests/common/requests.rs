//! Requests as the function receives them: the JSON events Lambda delivers (API Gateway
//! HTTP API / Function URL, payload version 2.0) parsed by lambda_http as in production,
//! and plain `http` requests from an origin and an address.

use base64::Engine as _;
use forms_fn::handle;
use http::Request;
use mail_parser::MessageParser;
use serde_json::json;

/// A v2.0 event, as an HTTP API or a Function URL delivers it.
pub fn event(
    method: &str,
    path: &str,
    content_type: &str,
    accept: &str,
    body: &[u8],
) -> Request<Vec<u8>> {
    let event = json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {
            "content-type": content_type,
            "accept": accept,
            "origin": "https://kpu-ntb.example",
            "user-agent": "Mozilla/5.0 (Linux; Android 10)",
            "x-forwarded-for": "203.0.113.7"
        },
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "a1b2c3d4e5",
            "domainName": "a1b2c3d4e5.lambda-url.ap-southeast-3.on.aws",
            "domainPrefix": "a1b2c3d4e5",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.7",
                "userAgent": "Mozilla/5.0 (Linux; Android 10)"
            },
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            "routeKey": "$default",
            "stage": "$default",
            "time": "12/Feb/2026:02:00:00 +0000",
            "timeEpoch": 1_770_861_600_000_u64
        },
        "body": base64::engine::general_purpose::STANDARD.encode(body),
        "isBase64Encoded": true
    });
    let request =
        lambda_http::request::from_str(&event.to_string()).expect("lambda_http parses the event");
    let (parts, body) = request.into_parts();
    Request::from_parts(parts, body.as_ref().to_vec())
}

pub fn json_body(response: &http::Response<Vec<u8>>) -> serde_json::Value {
    serde_json::from_slice(response.body()).expect("JSON")
}

/// A request from `origin` (or none), from the address `ip`.
pub fn from(
    origin: Option<&str>,
    ip: &str,
    body: &[u8],
    extra: &[(&str, &str)],
) -> Request<Vec<u8>> {
    let mut builder = Request::builder()
        .method("POST")
        .uri("/informasi-publik")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json");
    if let Some(origin) = origin {
        builder = builder.header("origin", origin);
    }
    for (name, value) in extra {
        builder = builder.header(*name, *value);
    }
    let mut request = builder.body(body.to_vec()).expect("request");
    request
        .extensions_mut()
        .insert(forms_fn::guard::ClientIp(ip.to_string()));
    request
}

/// The answers with the applicant's name made unique, so they are not a duplicate.
pub fn varied(fields: &[(String, String)], n: usize) -> Vec<u8> {
    let fields: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| {
            if k == "nama" {
                (k.clone(), format!("{v} {n}"))
            } else {
                (k.clone(), v.clone())
            }
        })
        .collect();
    super::urlencoded(&fields)
}

/// Posts `fields` from the site's origin, from one address.
pub fn from_site(app: &forms_fn::App, fields: &[(String, String)]) -> http::Response<Vec<u8>> {
    handle(
        app,
        &from(
            Some("https://kpu-ntb.example"),
            "203.0.113.7",
            &super::urlencoded(fields),
            &[],
        ),
    )
}

pub fn desk_mails(dir: &std::path::Path) -> usize {
    super::mails(&dir.join("mail"))
        .iter()
        .filter_map(|m| MessageParser::default().parse(m))
        .filter(|m| {
            m.to().and_then(|t| t.first()).and_then(|a| a.address())
                == Some("meja-ppid@contoh.invalid")
        })
        .count()
}

/// A post to `path` from the site's origin, from the address `ip`.
pub fn post(
    path: &str,
    ip: &str,
    content_type: &str,
    body: Vec<u8>,
    extra: &[(&str, &str)],
) -> Request<Vec<u8>> {
    let mut builder = Request::builder()
        .method("POST")
        .uri(path)
        .header("origin", "https://kpu-ntb.example")
        .header("content-type", content_type);
    for (name, value) in extra {
        builder = builder.header(*name, *value);
    }
    let mut request = builder.body(body).expect("request");
    request
        .extensions_mut()
        .insert(forms_fn::guard::ClientIp(ip.to_string()));
    request
}

pub fn json(fields: &[(String, String)], ip: &str) -> Request<Vec<u8>> {
    post(
        "/informasi-publik",
        ip,
        "application/x-www-form-urlencoded",
        super::urlencoded(fields),
        &[("accept", "application/json")],
    )
}

pub fn text(response: &http::Response<Vec<u8>>) -> String {
    String::from_utf8_lossy(response.body()).into_owned()
}
