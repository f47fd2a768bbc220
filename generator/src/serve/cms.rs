//! The content editor's local backend: the protocol of Decap CMS's `decap-server` (file
//! system mode), answered by `generator serve` itself, so an editor previewing the site on
//! their computer edits it at `/admin/` with no other program. Pages are saved through
//! `admin::merge`, so a changed value changes its line and nothing else.
//!
//! It writes files, so it answers only the editor's own browser tab: a request must come to
//! this server's own address (`Host`, against DNS rebinding), from a page of this server
//! (`Origin`, against another site open in the same browser), as JSON (which a page of
//! another site cannot send without a preflight that this server never allows), and may
//! read and write only inside `content/`, never through a link out of it.

use std::io::{Cursor, Read};
use std::path::{Component, Path, PathBuf};

use base64::Engine as _;
use serde_json::{Value, json};
use sha2::Digest as _;
use tiny_http::{Method, Request, Response};

use crate::admin::merge;

/// The largest request: a page, or a picture or document of up to about 10 MB in base64.
const MAX_BODY: u64 = 14 * 1024 * 1024;

/// The only folder the editor reads and writes.
const CONTENT: &str = "content";

/// Files the editor may upload beside pages (no SVG: it may carry a script).
const MEDIA: [&str; 6] = ["jpg", "jpeg", "png", "webp", "gif", "pdf"];

type Answer = Response<Cursor<Vec<u8>>>;

fn answer(status: u16, body: &Value) -> Answer {
    super::http::ok(body.to_string().into_bytes(), "application/json").with_status_code(status)
}

fn refuse(status: u16, why: &str) -> Answer {
    answer(status, &json!({ "error": why }))
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

/// Answers one request to the local backend. `address` is where this server listens
/// (`127.0.0.1:1111`).
pub fn respond(root: &Path, address: &str, request: &mut Request) -> Answer {
    if *request.method() != Method::Post {
        return refuse(405, "POST only");
    }
    let port = address.rsplit(':').next().unwrap_or_default();
    let host = header(request, "Host").unwrap_or_default().to_string();
    let own_hosts = [format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    if !own_hosts.contains(&host) {
        return refuse(403, "not this server's address");
    }
    if header(request, "Origin") != Some(format!("http://{host}").as_str()) {
        return refuse(403, "not from this server's editor");
    }
    let is_json = header(request, "Content-Type").is_some_and(|t| {
        t.trim()
            .to_ascii_lowercase()
            .starts_with("application/json")
    });
    if !is_json {
        return refuse(415, "JSON only");
    }
    let mut body = Vec::new();
    if request
        .as_reader()
        .take(MAX_BODY + 1)
        .read_to_end(&mut body)
        .is_err()
    {
        return refuse(400, "the request could not be read");
    }
    if body.len() as u64 > MAX_BODY {
        return refuse(413, "too large");
    }
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return refuse(400, "not JSON");
    };
    let action = request["action"].as_str().unwrap_or_default();
    match act(root, action, &request["params"]) {
        Ok(value) => answer(200, &value),
        Err(Refusal(status, why)) => refuse(status, &why),
    }
}

struct Refusal(u16, String);

fn bad(why: impl Into<String>) -> Refusal {
    Refusal(422, why.into())
}

fn act(root: &Path, action: &str, params: &Value) -> Result<Value, Refusal> {
    let text = |key: &str| {
        params[key]
            .as_str()
            .ok_or_else(|| bad(format!("`{key}` is missing")))
    };
    match action {
        "info" => Ok(json!({
            "repo": root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            "publish_modes": ["simple"],
            "type": "local_fs",
        })),
        "entriesByFolder" => {
            let folder = inside(root, text("folder")?)?;
            let extension = text("extension")?;
            let depth = params["depth"].as_u64().unwrap_or(1) as usize;
            let mut found = list(&folder, depth);
            found.retain(|p| p.to_string_lossy().ends_with(extension));
            found
                .iter()
                .map(|p| entry(root, p))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::from)
        }
        "entriesByFiles" => {
            let files = params["files"].as_array().cloned().unwrap_or_default();
            files
                .iter()
                .map(|f| {
                    let path = inside(root, f["path"].as_str().unwrap_or_default())?;
                    entry(root, &path)
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Value::from)
        }
        "getEntry" => entry(root, &inside(root, text("path")?)?),
        "persistEntry" => persist(root, params),
        "getMedia" => {
            let folder = inside(root, text("mediaFolder")?)?;
            list(&folder, 1)
                .iter()
                .map(|p| media(root, p))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::from)
        }
        "getMediaFile" => media(root, &inside(root, text("path")?)?),
        "persistMedia" => {
            let path = write_asset(root, &params["asset"])?;
            media(root, &path)
        }
        "deleteFile" => {
            delete(root, text("path")?)?;
            Ok(json!({ "message": "deleted" }))
        }
        "deleteFiles" => {
            for path in params["paths"].as_array().cloned().unwrap_or_default() {
                delete(root, path.as_str().unwrap_or_default())?;
            }
            Ok(json!({ "message": "deleted" }))
        }
        "getDeployPreview" => Ok(Value::Null),
        _ => Err(bad(format!("unknown action `{action}`"))),
    }
}

/// `relative` (as the editor names it, `content/layanan/paw.md`) as a path inside
/// `content/`, or a refusal: no `..`, no absolute path, no link that leads out.
fn inside(root: &Path, relative: &str) -> Result<PathBuf, Refusal> {
    let refused = || Refusal(403, format!("`{relative}` is not inside `{CONTENT}/`"));
    let path = Path::new(relative);
    let plain = path.components().all(|c| matches!(c, Component::Normal(_)));
    if !plain || relative.contains(['\\', '\0']) || !path.starts_with(CONTENT) {
        return Err(refused());
    }
    let content = root.join(CONTENT).canonicalize().map_err(|_| refused())?;
    // The deepest part that exists must resolve inside `content/`.
    let full = root.join(path);
    let mut existing = full.as_path();
    while !existing.exists() {
        existing = existing.parent().ok_or_else(refused)?;
    }
    let real = existing.canonicalize().map_err(|_| refused())?;
    if !real.starts_with(&content) {
        return Err(refused());
    }
    Ok(full)
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Files under `dir`, `depth` levels deep, sorted.
fn list(dir: &Path, depth: usize) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .max_depth(depth.max(1))
        .follow_links(false)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

fn id(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn entry(root: &Path, path: &Path) -> Result<Value, Refusal> {
    let file = relative(root, path);
    Ok(match std::fs::read(path) {
        Ok(bytes) => json!({
            "data": String::from_utf8_lossy(&bytes),
            "file": { "path": file, "id": id(&bytes) },
        }),
        Err(_) => json!({ "data": null, "file": { "path": file, "id": null } }),
    })
}

fn media(root: &Path, path: &Path) -> Result<Value, Refusal> {
    let bytes = std::fs::read(path).map_err(|_| Refusal(404, "no such file".into()))?;
    Ok(json!({
        "id": id(&bytes),
        "content": base64::engine::general_purpose::STANDARD.encode(&bytes),
        "encoding": "base64",
        "path": relative(root, path),
        "name": path.file_name().map(|n| n.to_string_lossy().into_owned()),
    }))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Refusal> {
    let failed = |e: std::io::Error| Refusal(500, format!("cannot write: {e}"));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    // Written beside, then renamed: a page is never left half written.
    let temporary = path.with_extension("simpan.tmp");
    std::fs::write(&temporary, bytes).map_err(failed)?;
    std::fs::rename(&temporary, path).map_err(failed)
}

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

fn write_asset(root: &Path, asset: &Value) -> Result<PathBuf, Refusal> {
    let path = inside(root, asset["path"].as_str().unwrap_or_default())?;
    if !MEDIA.contains(&extension(&path).as_str()) {
        return Err(Refusal(
            415,
            format!("only {} files may be uploaded", MEDIA.join(", ")),
        ));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(asset["content"].as_str().unwrap_or_default())
        .map_err(|_| bad("the file is not base64"))?;
    write(&path, &bytes)?;
    Ok(path)
}

fn persist(root: &Path, params: &Value) -> Result<Value, Refusal> {
    let files = match params["dataFiles"].as_array() {
        Some(files) => files.clone(),
        None => vec![params["entry"].clone()],
    };
    for file in &files {
        let path = inside(root, file["path"].as_str().unwrap_or_default())?;
        if extension(&path) != "md" {
            return Err(Refusal(415, "only pages (.md) are saved as entries".into()));
        }
        let raw = file["raw"]
            .as_str()
            .ok_or_else(|| bad("`raw` is missing"))?;
        let text = match std::fs::read_to_string(&path) {
            Ok(old) => merge::apply(&old, raw),
            // A language the page is not written in: nothing to save.
            Err(_) if raw.trim().is_empty() => continue,
            Err(_) => raw.to_string(),
        };
        write(&path, text.as_bytes())?;
        if let Some(new_path) = file["newPath"].as_str() {
            let to = inside(root, new_path)?;
            if extension(&to) != "md" || to.exists() {
                return Err(bad("a page cannot be moved there"));
            }
            std::fs::rename(&path, &to).map_err(|e| Refusal(500, format!("cannot move: {e}")))?;
        }
    }
    for asset in params["assets"].as_array().cloned().unwrap_or_default() {
        write_asset(root, &asset)?;
    }
    Ok(json!({ "message": "entry persisted" }))
}

fn delete(root: &Path, relative: &str) -> Result<(), Refusal> {
    let path = inside(root, relative)?;
    // Pages are removed through review, not from the editor's media library.
    if !MEDIA.contains(&extension(&path).as_str()) {
        return Err(Refusal(403, "only uploaded files may be deleted".into()));
    }
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Refusal(500, format!("cannot delete: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_inside_content_are_accepted() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/layanan")).expect("folders");
        std::fs::create_dir_all(root.join("templates")).expect("folders");
        assert!(inside(root, "content/layanan/paw.md").is_ok());
        assert!(inside(root, "content/baru/halaman.md").is_ok());
        for hostile in [
            "templates/base.html",
            "content/../templates/base.html",
            "/etc/passwd",
            "content/layanan/../../x.md",
            "content\\..\\x.md",
            "",
        ] {
            assert!(inside(root, hostile).is_err(), "{hostile} accepted");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("templates"), root.join("content/luar"))
                .expect("link");
            assert!(inside(root, "content/luar/base.html").is_err());
            assert!(inside(root, "content/luar/baru/x.md").is_err());
        }
    }
}
