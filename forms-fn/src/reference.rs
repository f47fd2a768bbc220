//! Submission references: a service prefix and eight characters from an alphabet without
//! look-alikes (no 0/O, 1/I/L), easy to read over the phone: `INF-7K3M-Q9XP`.

const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// A new reference for a form with this prefix.
pub fn new(prefix: &str) -> String {
    let mut random = [0u8; 8];
    // The OS generator does not fail on the systems we run on; if it ever did, a reference
    // from the clock is still unique enough to record the submission rather than lose it.
    if getrandom::fill(&mut random).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        random = (nanos as u64).to_le_bytes();
    }
    let chars: String = random
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect();
    format!("{prefix}-{}-{}", &chars[..4], &chars[4..])
}

/// Whether `text` has the shape of a reference (used before it goes near a file name).
pub fn is_valid(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 13
        && b[..3].iter().all(u8::is_ascii_uppercase)
        && b[3] == b'-'
        && b[8] == b'-'
        && b[4..8].iter().chain(&b[9..]).all(|c| ALPHABET.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_have_the_prefix_and_no_look_alikes() {
        for _ in 0..200 {
            let r = new("INF");
            assert!(is_valid(&r), "{r}");
            assert!(!r[4..].contains(['0', 'O', '1', 'I', 'L']), "{r}");
        }
        assert_ne!(new("INF"), new("INF"));
        assert!(!is_valid("INF-0000-0000"));
        assert!(!is_valid("../etc/passwd"));
    }
}
