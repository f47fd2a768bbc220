//! Arbitrary bytes as an urlencoded form body: the parser must answer, never panic.
#![no_main]

use forms_model::submission::{Limits, urlencoded};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = urlencoded(data, &Limits::default());
});
