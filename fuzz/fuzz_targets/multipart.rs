//! Arbitrary bytes as a multipart body (the first byte picks the boundary's length), then
//! every file through the JPEG cleaner: answers, never panics.
#![no_main]

use forms_model::submission::{Limits, multipart};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&n, rest)) = data.split_first() else { return };
    let split = usize::from(n % 16).min(rest.len());
    let (boundary, body) = rest.split_at(split);
    let boundary = String::from_utf8_lossy(boundary);
    if let Ok(submission) = multipart(body, &boundary, &Limits::default()) {
        for file in &submission.files {
            let _ = forms_model::media::strip_jpeg_metadata(&file.bytes);
        }
    }
});
