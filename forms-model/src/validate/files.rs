//! The rules for attachments: how many, of which kind (by content, not name), how large,
//! and whether a photo is whole.

use super::{Value, lower_first};
use crate::lang::Lang;
use crate::schema::Field;
use crate::submission::{Submission, Upload};

/// The kind of a file by its first bytes, whatever its name says.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("png")
    } else {
        None
    }
}

pub(super) fn files(
    field: &Field,
    name: &str,
    submission: &Submission,
    lang: Lang,
) -> Result<Value, String> {
    let uploads: Vec<(usize, &Upload)> = submission.files_for(name).collect();
    if uploads.is_empty() {
        return if field.required {
            Err(lang.pick(
                format!("Lampirkan {}.", lower_first(&field.label)),
                format!("Attach: {}.", field.label),
            ))
        } else {
            Ok(Value::Empty)
        };
    }
    // Every file input offers one file (none has `multiple`): more is not a citizen's post.
    if uploads.len() > 1 {
        return Err(lang.pick(
            format!("{}: lampirkan satu berkas saja.", field.label),
            format!("{}: attach one file only.", field.label),
        ));
    }
    let max_bytes = u64::from(field.max_mb.unwrap_or(2)) * 1024 * 1024;
    for (_, upload) in &uploads {
        let kind = sniff(&upload.bytes);
        if kind.is_none_or(|k| {
            !field
                .accept
                .iter()
                .any(|a| a == k || (a == "jpeg" && k == "jpg"))
        }) {
            let kinds = field.accept.join(", ").to_uppercase();
            return Err(lang.pick(
                format!("{}: berkas harus {kinds}.", field.label),
                format!("{}: the file must be {kinds}.", field.label),
            ));
        }
        if kind == Some("jpg") && crate::media::strip_jpeg_metadata(&upload.bytes).is_none() {
            return Err(lang.pick(
                format!("{}: berkas JPG rusak atau tidak lengkap.", field.label),
                format!("{}: the JPG file is damaged or incomplete.", field.label),
            ));
        }
        if upload.bytes.len() as u64 > max_bytes {
            let mb = field.max_mb.unwrap_or(2);
            return Err(lang.pick(
                format!("{}: ukuran berkas paling besar {mb} MB.", field.label),
                format!("{}: the file can be {mb} MB at most.", field.label),
            ));
        }
    }
    Ok(Value::Files(uploads.into_iter().map(|(i, _)| i).collect()))
}
