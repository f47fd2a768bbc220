//! The media type of a file by its name: one table for the local server, the deployment to
//! S3 and the attachments of a desk's mail.

/// The media type for `path`'s extension, whatever its case (`FOTO.JPG` is a JPEG);
/// `application/octet-stream` for anything else.
pub fn of_path(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.rsplit_once('.')
        .map_or("application/octet-stream", |(_, e)| of_extension(e))
}

/// The media type for a file extension (`jpg`, `PDF`).
pub fn of_extension(extension: &str) -> &'static str {
    match Some(extension.to_ascii_lowercase()).as_deref() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("txt") => "text/plain; charset=utf-8",
        Some("yml" | "yaml") => "text/yaml; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("gif") => "image/gif",
        Some("ico") => "image/x-icon",
        Some("pdf") => "application/pdf",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_types_in_any_case_and_falls_back_to_bytes() {
        assert_eq!(of_path("index.html"), "text/html; charset=utf-8");
        assert_eq!(of_path("img/FOTO.JPG"), "image/jpeg");
        assert_eq!(of_path("peta.gif"), "image/gif");
        assert_eq!(of_path("favicon.svg"), "image/svg+xml");
        assert_eq!(of_path("a.b/README"), "application/octet-stream");
        assert_eq!(of_path("arsip.tar"), "application/octet-stream");
    }
}
