//! The deployment as code (`deploy/template.yaml`, AWS SAM) checked by cfn-lint, the linter
//! AWS publishes for CloudFormation (from PyPI; scripts/test installs it), and read for the
//! promises the rest of the project relies on; and `generator deploy` against a real
//! S3-protocol server on loopback (moto's server mode, from PyPI).

mod common;

use std::path::Path;
use std::process::{Command, Output};

use aws_sdk_s3::Client;
use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};

fn template() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/template.yaml")
}

#[test]
fn cfn_lint_finds_nothing_in_the_template() {
    let run = Command::new("cfn-lint")
        .arg(template())
        .output()
        .expect("cfn-lint runs (scripts/test installs it: pip install cfn-lint)");
    assert!(
        run.status.success(),
        "cfn-lint:\n{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn the_template_keeps_its_security_promises() {
    let text = std::fs::read_to_string(template()).expect("the template");
    for promise in [
        "Default: ap-southeast-3",
        "HttpVersion: http2and3",
        "ViewerProtocolPolicy: redirect-to-https",
        "ResponsePagePath: /404.html",
        "default-src 'self'",
        "Runtime: provided.al2023",
        "Architectures: [arm64]",
        "SSEAlgorithm: AES256",
        "Prefix: sent/",
        "aws:SecureTransport",
        "SMTP_URL_SECRET: !Ref SmtpSecretArn",
        "RetentionInDays: !Ref LogRetentionDays",
        "MetricName: OldestPendingSeconds",
        "BillingMode: PAY_PER_REQUEST",
        "PointInTimeRecoveryEnabled: true",
        "AttributeName: expires",
        "LINK_SECRET_SECRET: !Ref LinkSecretArn",
        "FORMS_FN_MODE: daily",
        "RETENTION_DAYS: !Ref RetentionDays",
    ] {
        assert!(text.contains(promise), "the template lost `{promise}`");
    }
    // No inline script or style for citizens; only the content editor (`/admin/*`, its own
    // policy) has them.
    let citizens = text.split("EditorHeaders:").next().unwrap_or_default();
    assert!(
        !citizens.contains("unsafe-inline"),
        "no inline script or style"
    );
    assert_eq!(
        text.matches("unsafe-inline").count(),
        1,
        "the editor's policy only"
    );
    assert!(
        !text.contains("dynamodb:*") && !text.contains("DeleteItem"),
        "the table's policies name single actions"
    );
    assert!(
        !text.contains("LINK_SECRET:"),
        "the links' key is never plain environment text"
    );
    assert!(
        !text.contains("SMTP_URL:"),
        "the SMTP URL (with its password) is never plain environment text"
    );
}

fn client(port: u16) -> Client {
    Client::from_conf(
        aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("ap-southeast-3"))
            .endpoint_url(format!("http://127.0.0.1:{port}"))
            .force_path_style(true)
            .credentials_provider(Credentials::new("uji", "uji", None, None, "tests"))
            .build(),
    )
}

fn deploy(root: &Path, port: u16, extra: &[&str]) -> (String, Output) {
    let out = Command::new(env!("CARGO_BIN_EXE_generator"))
        .env("LC_ALL", "en")
        .args(["deploy", "--root"])
        .arg(root)
        .args(["--bucket", "situs", "--endpoint"])
        .arg(format!("http://127.0.0.1:{port}"))
        .args(extra)
        .env("AWS_ACCESS_KEY_ID", "uji")
        .env("AWS_SECRET_ACCESS_KEY", "uji")
        .env("AWS_REGION", "ap-southeast-3")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", root.join("no-aws-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            root.join("no-aws-credentials"),
        )
        .output()
        .expect("generator deploy runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string();
    (summary, out)
}

#[test]
fn deploy_sends_only_what_changed_and_deletes_what_is_gone() {
    let (_server, port) = test_support::servers::s3_server(None);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let s3 = client(port);
    runtime
        .block_on(
            s3.create_bucket()
                .bucket("situs")
                .create_bucket_configuration(
                    CreateBucketConfiguration::builder()
                        .location_constraint(BucketLocationConstraint::ApSoutheast3)
                        .build(),
                )
                .send(),
        )
        .expect("bucket");
    let dir = common::copy_site("basic");
    let root = dir.path().to_path_buf();
    // Media named as cameras and editors name them: the type comes from the extension in any
    // case, and a GIF is an image too.
    let media = root.join("content/berita/rapat-pleno");
    std::fs::write(media.join("FOTO.JPG"), [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]).expect("jpg");
    std::fs::write(media.join("peta.gif"), b"GIF89a\x01\x00\x01\x00").expect("gif");

    let (first, _) = deploy(&root, port, &[]);
    let uploaded: usize = first
        .split(": ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("a count");
    assert!(uploaded > 10, "{first}");
    assert!(first.ends_with(", 0 deleted, 0 unchanged"), "{first}");
    let head = |key: &str| {
        runtime
            .block_on(s3.head_object().bucket("situs").key(key).send())
            .unwrap_or_else(|e| panic!("{key}: {e:?}"))
    };
    for (key, media_type) in [
        ("berita/rapat-pleno/FOTO.JPG", "image/jpeg"),
        ("berita/rapat-pleno/peta.gif", "image/gif"),
        ("berita/rapat-pleno/foto.svg", "image/svg+xml"),
    ] {
        assert_eq!(head(key).content_type(), Some(media_type), "{key}");
    }
    let page = head("layanan/paw/index.html");
    assert_eq!(page.content_type(), Some("text/html; charset=utf-8"));
    assert_eq!(page.cache_control(), Some("public, max-age=300"));
    let listing = runtime
        .block_on(s3.list_objects_v2().bucket("situs").prefix("css/").send())
        .expect("list");
    let css = listing.contents()[0].key().expect("key").to_string();
    assert_eq!(head(&css).content_type(), Some("text/css; charset=utf-8"));
    assert_eq!(
        head(&css).cache_control(),
        Some("public, max-age=31536000, immutable")
    );

    let (second, _) = deploy(&root, port, &[]);
    assert_eq!(
        second,
        format!("s3://situs: 0 uploaded, 0 deleted, {uploaded} unchanged"),
        "a second deploy sends nothing"
    );

    // A page changed and one removed: the dry run says so and changes nothing.
    let paw = root.join("content/layanan/paw.md");
    let text = std::fs::read_to_string(&paw).expect("page");
    std::fs::write(&paw, format!("{text}\nSatu kalimat tambahan.\n")).expect("edit");
    std::fs::remove_file(root.join("content/berita/sosialisasi.md")).expect("remove");
    let etag = page.e_tag().map(str::to_string);
    let (dry, out) = deploy(&root, port, &["--dry-run"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("would upload layanan/paw/index.html"),
        "{said}"
    );
    assert!(
        said.contains("would delete berita/sosialisasi/index.html"),
        "{said}"
    );
    assert!(dry.ends_with("(dry run: nothing changed)"), "{dry}");
    assert_eq!(
        head("layanan/paw/index.html").e_tag().map(str::to_string),
        etag
    );
    head("berita/sosialisasi/index.html");

    // The real deploy does exactly what the dry run said.
    let (_, out) = deploy(&root, port, &[]);
    let done = String::from_utf8_lossy(&out.stdout);
    let actions = |text: &str, prefix: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| l.strip_prefix(prefix).map(str::to_string))
            .collect()
    };
    assert_eq!(actions(&done, "upload "), actions(&said, "would upload "));
    assert_eq!(actions(&done, "delete "), actions(&said, "would delete "));
    assert_ne!(
        head("layanan/paw/index.html").e_tag().map(str::to_string),
        etag
    );
    let gone = runtime.block_on(
        s3.head_object()
            .bucket("situs")
            .key("berita/sosialisasi/index.html")
            .send(),
    );
    assert!(
        gone.is_err(),
        "deleted: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn host_files_carry_the_headers_and_redirects_and_text_is_precompressed() {
    let out = tempfile::tempdir().expect("temp dir");
    let run = Command::new(env!("CARGO_BIN_EXE_generator"))
        .env("LC_ALL", "en")
        .args(["build", "--host-files", "--precompress", "--root"])
        .arg(common::site("basic"))
        .arg("--output")
        .arg(out.path())
        .output()
        .expect("generator runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let headers = common::read(out.path().join("_headers"));
    for line in [
        "Strict-Transport-Security: max-age=63072000",
        "X-Content-Type-Options: nosniff",
        "Content-Security-Policy: default-src 'self';",
        "Cache-Control: public, max-age=31536000, immutable",
    ] {
        assert!(headers.contains(line), "{line}\n{headers}");
    }
    // The same policy as CloudFront's (this site's forms post to its own origin).
    let template = std::fs::read_to_string(template()).expect("the template");
    let cloudfront = template
        .split("ContentSecurityPolicy: !Sub \"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the template's policy")
        .replace(" https://*.lambda-url.${AWS::Region}.on.aws", "");
    assert!(
        headers.contains(&format!("Content-Security-Policy: {cloudfront}\n")),
        "{cloudfront}\n{headers}"
    );
    // The content editor's looser policy is on `/admin/*` only, the same text as the
    // generator's (tests/portal.rs checks `_headers` for a site with the editor).
    assert!(
        template.contains(&format!(
            "ContentSecurityPolicy: \"{}\"",
            generator::admin::CONTENT_SECURITY_POLICY
        )),
        "the template gives /admin/* the editor's policy"
    );
    assert!(
        !headers.contains("/admin/"),
        "a site without an editor has none: {headers}"
    );
    let redirects = common::read(out.path().join("_redirects"));
    assert!(
        redirects.lines().any(|l| l.ends_with(" 301")),
        "the aliases: {redirects}"
    );

    let page = std::fs::read(out.path().join("index.html")).expect("page");
    let gz = std::fs::read(out.path().join("index.html.gz")).expect("gzip");
    let mut unzipped = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut unzipped)
        .expect("gunzip");
    assert_eq!(unzipped, page);
    let br = std::fs::read(out.path().join("index.html.br")).expect("brotli");
    let mut unbrotli = Vec::new();
    std::io::Read::read_to_end(&mut brotli::Decompressor::new(&br[..], 4096), &mut unbrotli)
        .expect("brotli");
    assert_eq!(unbrotli, page);
    assert!(br.len() < page.len() / 2, "{} of {}", br.len(), page.len());
}
