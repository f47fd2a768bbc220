//! The deployment as code (`deploy/template.yaml`, AWS SAM) checked by cfn-lint, the linter
//! AWS publishes for CloudFormation (from PyPI; scripts/test installs it), and read for the
//! promises the rest of the project relies on.

use std::path::Path;
use std::process::Command;

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
    ] {
        assert!(text.contains(promise), "the template lost `{promise}`");
    }
    assert!(!text.contains("unsafe-inline"), "no inline script or style");
    assert!(
        !text.contains("SMTP_URL:"),
        "the SMTP URL (with its password) is never plain environment text"
    );
}
