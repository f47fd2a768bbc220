//! `generator serve` end to end: a real server on loopback, real file changes, the
//! live-reload long poll answering, and pages rebuilt from the change.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::copy_site;

struct Server {
    child: Child,
    port: u16,
    log: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(root: &std::path::Path) -> Server {
        let port = test_support::free_port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_generator"))
            // The English messages are the ones pinned here.
            .env("LC_ALL", "en")
            .args([
                "serve",
                "--root",
                root.to_str().expect("utf-8"),
                "--port",
                &port.to_string(),
            ])
            .stderr(Stdio::piped())
            .spawn()
            .expect("serve starts");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, log) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let server = Server { child, port, log };
        server.wait_for_line("serving the site at");
        server
    }

    fn wait_for_line(&self, needle: &str) -> String {
        loop {
            match self.log.recv_timeout(Duration::from_secs(20)) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(_) => panic!("the server never said `{needle}`"),
            }
        }
    }

    fn get(&self, path: &str) -> (u16, String) {
        get(self.port, path)
    }
}

fn get(port: u16, path: &str) -> (u16, String) {
    let answer = test_support::http::exchange(port, "GET", path, &[], &[], Duration::from_secs(40))
        .expect("an answer");
    (answer.status, answer.body)
}

fn edit(path: &std::path::Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(
        text.contains(from),
        "fixture changed: {from} not in {}",
        path.display()
    );
    std::fs::write(path, text.replace(from, to)).expect("write");
}

#[test]
fn serves_the_site_and_reloads_pages_after_an_edit() {
    let site = copy_site("basic");
    let server = Server::start(site.path());

    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    assert!(
        home.contains(r#"<script src="/__livereload.js" defer></script>"#),
        "{home}"
    );
    let (status, script) = server.get("/__livereload.js");
    assert_eq!((status, script.contains("location.reload()")), (200, true));
    assert_eq!(server.get("/tidak-ada/").0, 404);
    assert_eq!(server.get("/layanan").0, 301);

    let (_, generation) = server.get("/__livereload?since=-1");
    let generation: u64 = generation.trim().parse().expect("a number");
    let port = server.port;
    let poll = std::thread::spawn(move || get(port, &format!("/__livereload?since={generation}")));

    edit(
        &site.path().join("content/layanan/paw.md"),
        "Layanan ini untuk",
        "Layanan ini khusus untuk",
    );
    let (_, after) = poll.join().expect("poll");
    assert_eq!(
        after.trim().parse::<u64>().expect("a number"),
        generation + 1,
        "the poll answered without a change"
    );
    let line = server.wait_for_line("rebuilt content/layanan/paw.md");
    assert!(line.contains(" ms"), "{line}");
    let (_, page) = server.get("/layanan/paw/");
    assert!(page.contains("Layanan ini khusus untuk"), "{page}");
}

#[test]
fn shows_build_errors_in_the_browser_until_they_are_fixed() {
    let site = copy_site("basic");
    let server = Server::start(site.path());
    let page = site.path().join("content/layanan/paw.md");
    let (_, home) = server.get("/");
    let stylesheet = home
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|href| href.contains("css/"))
        .expect("the home page links its stylesheet")
        .to_string();

    edit(
        &page,
        "title: Penggantian Antar Waktu",
        "titel: Penggantian Antar Waktu",
    );
    server.wait_for_line("error: the site has");
    let (status, body) = server.get("/layanan/paw/");
    assert_eq!(status, 500);
    assert!(body.contains("unknown front matter key `titel`"), "{body}");
    assert!(
        body.contains("__livereload.js"),
        "the error page reloads itself"
    );
    // A page that reads on a phone: its width, text wrapped, each problem in its box,
    // the error before the warnings.
    assert!(body.contains(r#"<meta name="viewport""#), "{body}");
    assert!(body.contains("white-space:pre-wrap"), "{body}");
    let error = body.find(r#"<pre class="error" lang="en">error: unknown front matter key"#);
    let warning = body.find(r#"<pre class="warning" lang="en">warning: value to confirm"#);
    assert!(
        error.is_some() && warning.is_some() && error < warning,
        "{body}"
    );
    // A file of the last good build is still served while the site is broken.
    let (status, css) = server.get(&stylesheet);
    assert_eq!(status, 200, "{css}");

    edit(
        &page,
        "titel: Penggantian Antar Waktu",
        "title: Penggantian Antar Waktu",
    );
    server.wait_for_line("rebuilt the whole site");
    assert_eq!(server.get("/layanan/paw/").0, 200);
}

#[test]
fn a_new_page_appears_in_its_section() {
    let site = copy_site("basic");
    let server = Server::start(site.path());
    let temp = site.path().join("content/layanan/magang.md.tmp");
    std::fs::write(
        &temp,
        "---\ntitle: Magang Mahasiswa\nweight: 1\n---\nMagang di KPU.\n",
    )
    .expect("write");
    std::fs::rename(&temp, site.path().join("content/layanan/magang.md")).expect("rename");
    server.wait_for_line("rebuilt the whole site");
    let (_, list) = server.get("/layanan/");
    assert!(
        list.contains(r#"<a href="/layanan/magang/">Magang Mahasiswa</a>"#),
        "{list}"
    );
    assert_eq!(server.get("/layanan/magang/").0, 200);
}

/// The search bundle's name for the Indonesian index, from `pagefind-entry.json`.
fn indonesian_index(server: &Server) -> String {
    let (status, entry) = server.get("/pagefind/pagefind-entry.json");
    assert_eq!(status, 200, "{entry}");
    let hash = regex::Regex::new(r#""id":\{"hash":"(id_[0-9a-f]+)""#)
        .expect("regex")
        .captures(&entry)
        .unwrap_or_else(|| panic!("no Indonesian index in {entry}"))[1]
        .to_string();
    format!("/pagefind/pagefind.{hash}.pf_meta")
}

#[test]
fn the_search_index_follows_an_edited_page() {
    let site = common::portal_copy();
    let server = Server::start(site.path());
    let before = indonesian_index(&server);
    assert_eq!(server.get(&before).0, 200);

    edit(
        &site.path().join("content/layanan/autentifikasi.md"),
        "Layanan ini untuk",
        "Layanan ini zqxvyt untuk",
    );
    let line = server.wait_for_line("rebuilt ");
    assert!(
        line.contains("rebuilt content/layanan/autentifikasi.md"),
        "not an incremental rebuild: {line}"
    );
    let (_, page) = server.get("/layanan/autentifikasi/");
    assert!(page.contains("zqxvyt"), "the page is not rebuilt");
    server.wait_for_line("search index updated");

    let after = indonesian_index(&server);
    assert_ne!(before, after, "the index is the one from before the edit");
    assert_eq!(server.get(&after).0, 200, "the new index is not served");
    assert_eq!(server.get(&before).0, 404, "the old index is still served");
}

/// A browser opens several connections at once for a page's stylesheet, script and icon,
/// keeps some of them open between requests and closes others. Every request must be
/// answered at once, however many connections are open or were just closed; a thread pool
/// that miscounts its idle threads leaves one unanswered until another connection closes.
#[test]
fn connections_opened_together_are_all_answered_at_once() {
    use std::io::{Read as _, Write as _};
    use std::net::TcpStream;

    let site = copy_site("basic");
    let server = Server::start(site.path());
    let mut kept = Vec::new();
    for round in 0..12 {
        let mut burst: Vec<TcpStream> = (0..6)
            .map(|_| TcpStream::connect(("127.0.0.1", server.port)).expect("connect"))
            .collect();
        for stream in &mut burst {
            stream
                .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .expect("send");
        }
        for (i, stream) in burst.iter_mut().enumerate() {
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .expect("timeout");
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                match stream.read(&mut byte) {
                    Ok(1) => head.push(byte[0]),
                    other => panic!(
                        "round {round}: connection {i} got no answer within 5 s ({other:?}); {} \
                         others open",
                        kept.len() + 5
                    ),
                }
            }
            let head = String::from_utf8_lossy(&head).to_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .expect("a length");
            let mut body = vec![0u8; length];
            stream.read_exact(&mut body).expect("the body");
            assert!(head.starts_with("http/1.1 "), "{head}");
        }
        // Two stay open, idle, as a browser keeps them; the rest close.
        kept.extend(burst.drain(..2));
    }
}
