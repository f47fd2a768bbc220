//! The two hashes the portal uses: FNV-1a for fingerprints (a form definition's version, an
//! asset's cache-busting name; not for security) and SHA-256 where a collision must not be
//! made on purpose (what a citizen submitted, for duplicates).

use sha2::{Digest, Sha256};

/// FNV-1a, 64 bits.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// SHA-256 of a sequence of byte strings, each prefixed with its length (so `["ab", "c"]`
/// and `["a", "bc"]` differ), in lowercase hex.
pub fn sha256_parts<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_parts_are_delimited() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_ne!(fnv1a(b"body{}"), fnv1a(b"body{ }"));
        let ab_c = sha256_parts([&b"ab"[..], b"c"]);
        assert_eq!(ab_c.len(), 64);
        assert_ne!(ab_c, sha256_parts([&b"a"[..], b"bc"]));
    }
}
