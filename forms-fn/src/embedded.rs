//! The site this binary was built from: its form definitions, their lists of options and its
//! settings (`content/forms/*.yaml`, `content/forms/pilihan/*.yaml`, `content/site.yaml`),
//! embedded by `build.rs` so the Lambda package needs no files beside the binary.

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
