//! The local server's HTTP side: the site from memory, the live-reload script and its long
//! poll, and the build-error page.

use forms_model::content_type::of_path;
use std::io::Cursor;
use std::time::Duration;

use tiny_http::{Header, Request, Response};

use super::{Served, Shared, State};
use crate::diagnostic::Severity;
use crate::feeds::escape;
use crate::output::Contents;
use crate::render;
use crate::t;

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
            let body = t!("serve.forms_unavailable", error = err);
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
    if path.strip_prefix('/') == Some(crate::admin::config::LOCAL_API) {
        let answer = super::cms::respond(&shared.root, &shared.address, &mut request);
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
    let mut response = response.unwrap_or_else(|| serve_file(shared, path));
    if path.starts_with(&format!("/{}", crate::admin::DIR)) {
        // The editor's own, looser policy, as the deployment gives it.
        response.add_header(header(
            "Content-Security-Policy",
            crate::admin::CONTENT_SECURITY_POLICY,
        ));
    }
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
    let decoded = percent_decode(path.trim_start_matches('/'));
    if let State::Failed(text) = &served.state {
        // A page shows the errors; a file of the last good build (an image, a script) is
        // still served, so only pages answer with the error.
        let is_page = decoded.is_empty()
            || decoded.ends_with('/')
            || decoded.ends_with(".html")
            || !decoded.rsplit('/').next().unwrap_or("").contains('.');
        // The editor stays usable while the site has an error: it is how one fixes it.
        let editor = decoded.starts_with(crate::admin::DIR);
        if !editor && (is_page || !served.files.contains_key(&decoded)) {
            let mut html = error_page(text);
            render::inject_live_reload(&mut html, "/");
            return ok(html.into_bytes(), "text/html; charset=utf-8").with_status_code(500);
        }
    }
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

/// The page `serve` shows while the site cannot be built: each problem in its own box,
/// errors first (as `report` orders them), wrapped to the screen's width, so it reads on a
/// phone; it reloads by itself once the site builds. It speaks the messages' language, so
/// its explanation names the labels the problems carry.
fn error_page(text: &str) -> String {
    let lang = crate::messages::current().code();
    let labels = [
        ("error", Severity::Error.label()),
        ("warning", Severity::Warning.label()),
        ("note", Severity::Note.label()),
    ];
    let mut blocks = String::new();
    for block in text.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
        let class = labels
            .iter()
            .find(|(_, label)| block.starts_with(label.as_str()))
            .map_or("ringkasan", |(class, _)| class);
        blocks.push_str(&format!(
            "<pre class=\"{class}\" lang=\"{lang}\">{}</pre>\n",
            escape(block)
        ));
    }
    let title = escape(&t!("serve.error_page.title"));
    let intro = code_spans(&t!(
        "serve.error_page.intro",
        help = t!("report.label.help")
    ));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{ERROR_PAGE_CSS}</style></head>\
         <body><main><h1>{title}</h1>\
         <p>{intro}</p>\n{blocks}</main></body></html>"
    )
}

/// A message as HTML, its `code` in backticks set as code.
fn code_spans(text: &str) -> String {
    let mut html = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            html.push_str(&format!("<code>{}</code>", escape(part)));
        } else {
            html.push_str(&escape(part));
        }
    }
    html
}

const ERROR_PAGE_CSS: &str = "body{margin:0;font:1rem/1.5 system-ui,sans-serif;color:#1a1a1a;background:#f6f6f4}\
main{max-width:56rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem;color:#8b0000}\
pre{white-space:pre-wrap;overflow-wrap:anywhere;font:.875rem/1.45 ui-monospace,monospace;\
background:#fff;border:1px solid #ccc;border-left:.4rem solid #767676;padding:.75rem;margin:0 0 1rem}\
pre.error{border-left-color:#b00020}pre.warning{border-left-color:#8a5a00}pre.note{border-left-color:#005f87}\
code{font-family:ui-monospace,monospace}";

fn not_found(served: &Served) -> Response<Cursor<Vec<u8>>> {
    let body = match served.files.get("404.html") {
        Some(Contents::Bytes(b)) => b.clone(),
        _ => b"404".to_vec(),
    };
    ok(body, "text/html; charset=utf-8").with_status_code(404)
}

pub(super) fn ok(body: Vec<u8>, content_type: &str) -> Response<Cursor<Vec<u8>>> {
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

    #[test]
    fn the_error_page_boxes_each_problem_by_its_label() {
        let page = error_page(
            "error: a `x`\n --> content/a.md\n\nwarning: b\n\n... and 3 more\n\nerror: the site has 1 error",
        );
        assert!(
            page.contains(r#"<pre class="error" lang="en">error: a `x`"#),
            "{page}"
        );
        assert!(
            page.contains(r#"<pre class="warning" lang="en">warning: b"#),
            "{page}"
        );
        assert!(
            page.contains(r#"<pre class="ringkasan" lang="en">... and 3 more"#),
            "{page}"
        );
        assert!(page.contains("after <code>help:</code>, how"), "{page}");
    }
}
