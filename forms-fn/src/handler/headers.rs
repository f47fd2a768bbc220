//! The headers around every answer: CORS for the site's own scripts, the security headers of
//! the function's pages, and the answers built from a status, a type and a body.

use http::{Request, Response, StatusCode, header};

use forms_model::settings::origin_of;

use crate::app::App;

pub type Reply = Response<Vec<u8>>;

pub fn reply(status: StatusCode, content_type: &str, body: Vec<u8>) -> Reply {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(v) = content_type.parse() {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        http::HeaderValue::from_static("no-store"),
    );
    response
}

pub fn json_reply(status: StatusCode, value: serde_json::Value) -> Reply {
    reply(status, "application/json", value.to_string().into_bytes())
}

pub fn html_reply(status: StatusCode, html: String) -> Reply {
    reply(status, "text/html; charset=utf-8", html.into_bytes())
}

/// Whether the caller is the page's script (it asks for JSON) rather than a plain form post.
pub fn wants_json<B>(request: &Request<B>) -> bool {
    request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// The origin a request says it comes from: `Origin`, or the origin of `Referer`.
pub fn request_origin<B>(request: &Request<B>) -> Option<String> {
    let header = |name| request.headers().get(name).and_then(|v| v.to_str().ok());
    header(header::ORIGIN)
        .filter(|o| *o != "null")
        .map(|o| o.trim_end_matches('/').to_ascii_lowercase())
        .or_else(|| header(header::REFERER).and_then(origin_of))
}

/// Whether `origin` is the function's own: a page the function answered with (the form
/// again, with its errors, for a citizen without JavaScript) posting back to it. The
/// browser sets `Origin`, so no other site can claim it.
pub fn same_origin<B>(request: &Request<B>, origin: &str) -> bool {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok());
    let authority = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    matches!((host, authority), (Some(h), Some(a)) if h.eq_ignore_ascii_case(a))
}

/// What the function's pages may load and do: the site's stylesheet, forms that post back
/// to the function, no scripts, no frames around them, and no guessing of content types.
pub fn with_security_headers(mut response: Reply, app: &App) -> Reply {
    let origin_of_url = |url: &str| origin_of(url).map(|o| format!(" {o}")).unwrap_or_default();
    let csp = format!(
        "default-src 'none'; style-src 'self'{}; img-src 'self' data:; form-action 'self'{}; frame-ancestors 'none'; base-uri 'none'",
        app.stylesheet
            .as_deref()
            .map(origin_of_url)
            .unwrap_or_default(),
        origin_of_url(&app.endpoint),
    );
    let headers = response.headers_mut();
    if let Ok(v) = csp.parse() {
        headers.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    set_all(
        headers,
        &[
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::X_FRAME_OPTIONS, "DENY"),
        ],
    );
    response
}

/// Lets an allowed origin's scripts read the answer.
pub fn with_cors(mut response: Reply, app: &App, origin: Option<&str>) -> Reply {
    if let Some(origin) = origin.filter(|o| app.guard.origin_allowed(o))
        && let Ok(value) = origin.parse()
    {
        let headers = response.headers_mut();
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
        headers.insert(header::VARY, http::HeaderValue::from_static("Origin"));
    }
    response
}

/// The answer to a CORS preflight: allowed for the site's origins only.
pub fn preflight(app: &App, origin: Option<&str>) -> Reply {
    let Some(origin) = origin.filter(|o| app.guard.origin_allowed(o)) else {
        return reply(
            StatusCode::FORBIDDEN,
            "text/plain; charset=utf-8",
            Vec::new(),
        );
    };
    let mut response = with_cors(
        reply(
            StatusCode::NO_CONTENT,
            "text/plain; charset=utf-8",
            Vec::new(),
        ),
        app,
        Some(origin),
    );
    set_all(
        response.headers_mut(),
        &[
            (header::ACCESS_CONTROL_ALLOW_METHODS, "POST"),
            (
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                "Accept, Content-Type, Idempotency-Key",
            ),
            (header::ACCESS_CONTROL_MAX_AGE, "600"),
        ],
    );
    response
}

fn set_all(headers: &mut http::HeaderMap, values: &[(header::HeaderName, &'static str)]) {
    for (name, value) in values {
        headers.insert(name.clone(), http::HeaderValue::from_static(value));
    }
}
