//! What cheap static hosts read beside the site (`build --host-files`): `_headers` with the
//! same security headers as the CloudFront deployment (deploy/template.yaml) and long caching
//! for fingerprinted assets, and `_redirects` with every page's `aliases` (Netlify and
//! Cloudflare Pages both read these two files). And, for hosts that serve them,
//! precompressed `.gz` and `.br` copies of each text file (`build --precompress`).

use std::io::Write;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::output::{Contents, OutputFile};
use crate::site::Site;
use crate::t;

/// The policy of deploy/template.yaml, for a site whose forms post to `forms_origin`.
pub fn content_security_policy(forms_origin: Option<&str>) -> String {
    let forms = forms_origin.map(|o| format!(" {o}")).unwrap_or_default();
    format!(
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'{forms}; form-action 'self'{forms}; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
    )
}

/// The origin (`https://host`) of an absolute forms endpoint; `None` for a path.
fn origin(endpoint: &str) -> Option<String> {
    let (scheme, rest) = endpoint.split_once("://")?;
    let host = rest.split('/').next()?;
    Some(format!("{scheme}://{host}"))
}

pub fn files(site: &Site, forms_endpoint: &str) -> Vec<OutputFile> {
    let base = site.config.base_path();
    let policy = content_security_policy(origin(forms_endpoint).as_deref());
    // Cache-Control only where it differs from the host's default (revalidate pages):
    // both hosts merge the headers of every rule that matches.
    let headers = format!(
        "{base}*\n  Strict-Transport-Security: max-age=63072000; includeSubDomains\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n  X-Frame-Options: DENY\n  Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()\n  Content-Security-Policy: {policy}\n{base}css/*\n  Cache-Control: public, max-age=31536000, immutable\n{base}js/*\n  Cache-Control: public, max-age=31536000, immutable\n{base}sw.js\n  Cache-Control: no-cache\n"
    );
    // The content editor's own policy (Cloudflare Pages detaches the site-wide one with
    // `! Header`; CloudFront gives `/admin/*` its own policy, deploy/template.yaml).
    let headers = if site.config.cms.is_some() {
        format!(
            "{headers}{base}{dir}*\n  ! Content-Security-Policy\n  Content-Security-Policy: {editor}\n",
            dir = crate::admin::DIR,
            editor = crate::admin::CONTENT_SECURITY_POLICY
        )
    } else {
        headers
    };
    let mut redirects = String::new();
    for target in site.targets() {
        let doc = site.doc(target);
        for alias in &doc.meta.aliases {
            let from = format!("{base}{}", alias.trim_start_matches('/'));
            redirects.push_str(&format!("{from} {} 301\n", doc.url));
        }
    }
    vec![
        OutputFile::html("_headers".into(), headers),
        OutputFile::html("_redirects".into(), redirects),
    ]
}

fn compressible(path: &str) -> bool {
    matches!(
        path.rsplit('.').next(),
        Some("html" | "css" | "js" | "xml" | "svg" | "txt" | "json")
    )
}

/// A `.gz` (gzip, best) and a `.br` (brotli, best) beside each text file.
pub fn precompressed(outputs: &[OutputFile]) -> Result<Vec<OutputFile>> {
    let compress = |file: &OutputFile| -> Result<Vec<OutputFile>> {
        let bytes = match &file.contents {
            Contents::Bytes(b) => b.clone(),
            Contents::Copy(source) => std::fs::read(source).map_err(|e| Error::Io {
                action: "read",
                path: source.clone(),
                source: e,
            })?,
        };
        let failed = |e: std::io::Error| {
            Error::Message(t!("build.compress_failed", path = file.path, error = e))
        };
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&bytes).map_err(failed)?;
        let gz = gz.finish().map_err(failed)?;
        let mut br = Vec::new();
        {
            let mut writer = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
            writer.write_all(&bytes).map_err(failed)?;
        }
        Ok(vec![
            OutputFile {
                path: format!("{}.gz", file.path),
                contents: Contents::Bytes(gz),
            },
            OutputFile {
                path: format!("{}.br", file.path),
                contents: Contents::Bytes(br),
            },
        ])
    };
    let made: Result<Vec<Vec<OutputFile>>> = outputs
        .par_iter()
        .filter(|f| compressible(&f.path))
        .map(compress)
        .collect();
    Ok(made?.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_names_the_forms_origin() {
        let policy = content_security_policy(
            origin("https://abc.lambda-url.ap-southeast-3.on.aws/").as_deref(),
        );
        assert!(
            policy.contains("form-action 'self' https://abc.lambda-url.ap-southeast-3.on.aws;")
        );
        // Only WebAssembly (the search) may be compiled; no inline code, no eval.
        assert!(!policy.replace("'wasm-unsafe-eval'", "").contains("unsafe"));
        assert_eq!(origin("/api/forms"), None);
    }
}
