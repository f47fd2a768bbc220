//! Duplicates: the same submission sent twice (a double click, a resend after a slow network,
//! a script's retry) gets the first one's receipt, and is recorded once.

use http::Request;

use forms_model::hash::sha256_parts;
use forms_model::schema::Form;
use forms_model::submission::Submission;

/// SHA-256 of what was submitted (fields in a stable order, then files), in hex.
pub fn body_hash(submission: &Submission) -> String {
    let mut fields: Vec<&(String, String)> = submission.fields.iter().collect();
    fields.sort();
    let fields = fields
        .into_iter()
        .flat_map(|(n, v)| [n.as_bytes(), v.as_bytes()]);
    let files = submission
        .files
        .iter()
        .flat_map(|f| [f.field.as_bytes(), f.bytes.as_slice()]);
    sha256_parts(fields.chain(files))
}

/// Identifies a submission for duplicates: the script's `Idempotency-Key`, or the hash of
/// what was sent (a double click, or a resubmission after a slow network without
/// JavaScript). A key only ever stands for the body it first came with.
pub fn submission_key(request: &Request<Vec<u8>>, form: &Form, body: &str) -> String {
    let given = request
        .headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok());
    match given.filter(|k| !k.is_empty() && k.len() <= 100) {
        Some(key) => format!("{}:key:{key}", form.id),
        None => format!("{}:hash:{body}", form.id),
    }
}
