//! The local server's HTTP side: the site from memory, the live-reload script and its long
//! poll, and the build-error page.

use forms_model::content_type::of_path;
use std::io::Cursor;
use std::time::Duration;

use tiny_http::{Header, Request, Response};

use super::{Served, Shared, State};
use crate::feeds::escape;
use crate::output::Contents;
use crate::render;

/// The live-reload script: asks the server for the site's generation and reloads the page
/// when it changes. A long poll needs no WebSocket code on either side.
const LIVE_RELOAD_JS: &str = r#"(function () {
  var seen = null;
  function poll() {
    fetch("/__livereload?since=" + (seen === null ? -1 : seen), { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (text) {
        var now = parseInt(text, 10);
        if (seen !== null && now !== seen) { location.reload(); return; }
        seen = now;
        poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"#;

/// Where the form function answers, on the same server as the site.
const FORMS_PREFIX: &str = "/api/forms/";

/// Passes a form post to the form function's handler (the one the Lambda runs).
fn forms(shared: &Shared, request: &mut Request) -> Response<Cursor<Vec<u8>>> {
    let app = shared.lock().forms.clone();
    let app = match app {
        Ok(app) => app,
        Err(err) => {
            let body = format!("The forms cannot be answered: {err}");
            return ok(body.into_bytes(), "text/plain; charset=utf-8").with_status_code(503);
        }
    };
    forms_fn::local::from_tiny_http(&app, request)
}

/// How long a live-reload poll waits for a change before answering "no change".
const POLL_WAIT: Duration = Duration::from_secs(25);

pub(super) fn respond(shared: &Shared, mut request: Request) {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    if path.starts_with(FORMS_PREFIX) {
        let answer = forms(shared, &mut request);
        let _ = request.respond(answer);
        return;
    }
    let response = match path {
        "/__livereload.js" => Some(ok(
            LIVE_RELOAD_JS.as_bytes().to_vec(),
            "text/javascript; charset=utf-8",
        )),
        "/__livereload" => Some(poll(shared, query)),
        _ => None,
    };
    let response = response.unwrap_or_else(|| serve_file(shared, path));
    // The client may have gone away; nothing to do about it.
    let _ = request.respond(response);
}

fn poll(shared: &Shared, query: &str) -> Response<Cursor<Vec<u8>>> {
    let since: i64 = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("since="))
        .and_then(|v| v.parse().ok())
        .unwrap_or(-1);
    let served = shared.lock();
    let (served, _) = shared
        .changed
        .wait_timeout_while(served, POLL_WAIT, |s| {
            since >= 0 && s.generation as i64 <= since
        })
        .unwrap_or_else(|e| e.into_inner());
    ok(
        served.generation.to_string().into_bytes(),
        "text/plain; charset=utf-8",
    )
}

fn serve_file(shared: &Shared, path: &str) -> Response<Cursor<Vec<u8>>> {
    let served = shared.lock();
    if let State::Failed(text) = &served.state {
        let mut html = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head><body><h1>The site could not be built</h1><p>Fix the problems below and save: this page reloads by itself.</p><pre>{}</pre></body></html>",
            escape(text)
        );
        render::inject_live_reload(&mut html, "/");
        return ok(html.into_bytes(), "text/html; charset=utf-8").with_status_code(500);
    }
    let decoded = percent_decode(path.trim_start_matches('/'));
    let mut key = decoded.clone();
    if key.is_empty() || key.ends_with('/') {
        key.push_str("index.html");
    }
    if let Some(contents) = served.files.get(&key) {
        return match contents {
            Contents::Bytes(b) => ok(b.clone(), of_path(&key)),
            Contents::Copy(source) => match std::fs::read(source) {
                Ok(b) => ok(b, of_path(&key)),
                Err(_) => not_found(&served),
            },
        };
    }
    if served.files.contains_key(&format!("{decoded}/index.html")) {
        return Response::from_data(Vec::new())
            .with_status_code(301)
            .with_header(header("Location", &format!("/{decoded}/")));
    }
    not_found(&served)
}

fn not_found(served: &Served) -> Response<Cursor<Vec<u8>>> {
    let body = match served.files.get("404.html") {
        Some(Contents::Bytes(b)) => b.clone(),
        _ => b"404".to_vec(),
    };
    ok(body, "text/html; charset=utf-8").with_status_code(404)
}

fn ok(body: Vec<u8>, content_type: &str) -> Response<Cursor<Vec<u8>>> {
    Response::from_data(body)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|()| {
        Header::from_bytes(&b"X-Invalid"[..], &b"1"[..])
            .unwrap_or_else(|()| unreachable!("a valid header"))
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(
                std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"),
                16,
            )
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_escapes_in_paths() {
        assert_eq!(percent_decode("berita/foto%201.jpg"), "berita/foto 1.jpg");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
